//! A DOM-free view: the banner describes itself as a sequence of edits (open an element, set an
//! attribute, add a text, close) sent to a [`Sink`]. The web shell's sink builds DOM nodes; the
//! [`View`] sink here builds a tree that tests turn into HTML. Text is always text: there is no
//! edit that puts markup in the page.
//!
//! Edits sent straight to a sink, not a tree of nodes built first: building nested element values
//! moved and copied them at every step, and the banner's view then cost ~6.7 KB gzip of wasm
//! (measured, README).

use crate::prelude::*;

/// Where a view's edits go.
pub trait Sink {
    /// Starts an element (a fixed tag the banner uses) inside the one currently open.
    fn open(&mut self, tag: &'static str);
    /// Sets an attribute of the element just opened. Names are fixed by the banner; values may
    /// carry operator text. An empty value is a boolean attribute.
    fn attr(&mut self, name: &'static str, value: &str);
    /// Adds a text node; shown as text, never parsed.
    fn text(&mut self, s: &str);
    /// Ends the element opened last.
    fn close(&mut self);
}

/// Edits written to a sink, chained: `v.open("p").class("k-x").text("…").close()`.
pub struct Out<'s> {
    sink: &'s mut dyn Sink,
}

impl<'s> Out<'s> {
    /// Writes to `sink`.
    pub fn new(sink: &'s mut dyn Sink) -> Out<'s> {
        Out { sink }
    }

    /// Opens an element.
    pub fn open(&mut self, tag: &'static str) -> &mut Self {
        self.sink.open(tag);
        self
    }

    /// Sets an attribute of the element just opened.
    pub fn attr(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.sink.attr(name, value);
        self
    }

    /// Sets `class`.
    pub fn class(&mut self, value: &'static str) -> &mut Self {
        self.attr("class", value)
    }

    /// Sets a boolean attribute when `on`.
    pub fn flag(&mut self, name: &'static str, on: bool) -> &mut Self {
        if on {
            self.attr(name, "");
        }
        self
    }

    /// Adds a text node.
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.sink.text(s);
        self
    }

    /// Closes the element opened last.
    pub fn close(&mut self) -> &mut Self {
        self.sink.close();
        self
    }

    /// `<tag class="class">text</tag>`.
    pub fn leaf(&mut self, tag: &'static str, class: &'static str, text: &str) -> &mut Self {
        self.open(tag);
        if !class.is_empty() {
            self.class(class);
        }
        self.text(text).close()
    }
}

/// A view recorded as a tree, for tests and accessibility checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    stack: Vec<Element>,
}

impl Default for View {
    fn default() -> View {
        View { stack: vec![Element { tag: "", attrs: Vec::new(), children: Vec::new() }] }
    }
}

impl Sink for View {
    fn open(&mut self, tag: &'static str) {
        self.stack.push(Element { tag, attrs: Vec::new(), children: Vec::new() });
    }

    fn attr(&mut self, name: &'static str, value: &str) {
        if let Some(top) = self.stack.last_mut() {
            top.attrs.push((name, value.to_owned()));
        }
    }

    fn text(&mut self, s: &str) {
        if let Some(top) = self.stack.last_mut() {
            top.children.push(Node::Text(s.to_owned()));
        }
    }

    fn close(&mut self) {
        if self.stack.len() > 1 {
            let done = self.stack.pop().map(Node::Element);
            if let Some(top) = self.stack.last_mut() {
                top.children.extend(done);
            }
        }
    }
}

impl View {
    /// The view as a tree: its one root element (or every top-level node under an unnamed one).
    pub fn tree(&self) -> Node {
        let root = &self.stack[0];
        match root.children.as_slice() {
            [only] => only.clone(),
            _ => Node::Element(root.clone()),
        }
    }

    /// Serialises the view as HTML, every text and attribute value escaped.
    pub fn to_html(&self) -> String {
        self.tree().to_html()
    }

    /// All text in the view, concatenated.
    pub fn text_content(&self) -> String {
        self.tree().text_content()
    }
}

/// A node of a view's tree: an element or a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// An element with attributes and children.
    Element(Element),
    /// A text node; shown as text, never parsed.
    Text(String),
}

/// An element of a view's tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    /// Tag name, from a fixed set the banner uses.
    pub tag: &'static str,
    /// Attributes, in order.
    pub attrs: Vec<(&'static str, String)>,
    /// Child nodes.
    pub children: Vec<Node>,
}

impl Element {
    /// The value of an attribute.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

/// Elements that never have children or a closing tag.
fn is_void(tag: &str) -> bool {
    matches!(tag, "input" | "br" | "hr" | "img" | "meta" | "link")
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

impl Node {
    /// Serialises the tree as HTML, every text and attribute value escaped.
    pub fn to_html(&self) -> String {
        let mut out = String::new();
        self.write_html(&mut out);
        out
    }

    fn write_html(&self, out: &mut String) {
        match self {
            Node::Text(s) => escape_into(out, s),
            Node::Element(e) => {
                out.push('<');
                out.push_str(e.tag);
                for (name, value) in &e.attrs {
                    out.push(' ');
                    out.push_str(name);
                    if !value.is_empty() {
                        out.push_str("=\"");
                        escape_into(out, value);
                        out.push('"');
                    }
                }
                out.push('>');
                if !is_void(e.tag) {
                    for child in &e.children {
                        child.write_html(out);
                    }
                    out.push_str("</");
                    out.push_str(e.tag);
                    out.push('>');
                }
            }
        }
    }

    /// All text in the tree, concatenated.
    pub fn text_content(&self) -> String {
        let mut out = String::new();
        self.walk(&mut |n| {
            if let Node::Text(s) = n {
                out.push_str(s);
            }
        });
        out
    }

    /// Visits every node, depth first.
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(&'a Node)) {
        visit(self);
        if let Node::Element(e) = self {
            for child in &e.children {
                child.walk(visit);
            }
        }
    }

    /// Every element in the tree, depth first.
    pub fn elements(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        self.walk(&mut |n| {
            if let Node::Element(e) = n {
                out.push(e);
            }
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded(edits: impl FnOnce(&mut Out<'_>)) -> View {
        let mut view = View::default();
        edits(&mut Out::new(&mut view));
        view
    }

    #[test]
    fn operator_text_is_escaped_never_markup() {
        let v = recorded(|v| {
            v.open("p").attr("title", "\"><script>").text("<img src=x onerror=alert(1)>").close();
        });
        assert_eq!(
            v.to_html(),
            "<p title=\"&quot;&gt;&lt;script&gt;\">&lt;img src=x onerror=alert(1)&gt;</p>"
        );
    }

    #[test]
    fn void_elements_have_no_closing_tag() {
        let v = recorded(|v| {
            v.open("input").attr("type", "checkbox").flag("checked", true).flag("disabled", false).close();
        });
        assert_eq!(v.to_html(), "<input type=\"checkbox\" checked>");
    }

    #[test]
    fn nested_edits_make_a_tree() {
        let v = recorded(|v| {
            v.open("div").class("a").leaf("p", "", "one").open("ul").leaf("li", "x", "two").close().close();
        });
        assert_eq!(v.to_html(), "<div class=\"a\"><p>one</p><ul><li class=\"x\">two</li></ul></div>");
        assert_eq!(v.text_content(), "onetwo");
        assert_eq!(v.tree().elements().len(), 4);
    }
}
