//! A DOM-free view: the banner describes itself as a flat list of edits (open an element, set an
//! attribute, add a text, close), the web shell applies them to the DOM, tests turn them into
//! HTML or a tree. Text is always text: there is no edit that puts markup in the page.
//!
//! A flat list, not a tree of nodes: building nested element values moved and copied them at
//! every step, and the banner's view then cost ~6.7 KB gzip of wasm (measured, README).

use crate::prelude::*;
use alloc::borrow::Cow;

/// One edit of a view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op<'a> {
    /// Starts an element (a fixed tag the banner uses) inside the one currently open.
    Open(&'static str),
    /// Sets an attribute of the element just opened. Names are fixed by the banner; values may
    /// carry operator text. An empty value is a boolean attribute.
    Attr(&'static str, Cow<'a, str>),
    /// Adds a text node; shown as text, never parsed.
    Text(Cow<'a, str>),
    /// Ends the element opened last.
    Close,
}

/// A view being built or applied: its edits in document order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View<'a> {
    /// The edits, balanced: every `Open` has its `Close`.
    pub ops: Vec<Op<'a>>,
}

impl<'a> View<'a> {
    /// Opens an element.
    pub fn open(&mut self, tag: &'static str) -> &mut Self {
        self.ops.push(Op::Open(tag));
        self
    }

    /// Sets an attribute of the element just opened.
    pub fn attr(&mut self, name: &'static str, value: impl Into<Cow<'a, str>>) -> &mut Self {
        self.ops.push(Op::Attr(name, value.into()));
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
    pub fn text(&mut self, s: impl Into<Cow<'a, str>>) -> &mut Self {
        self.ops.push(Op::Text(s.into()));
        self
    }

    /// Closes the element opened last.
    pub fn close(&mut self) -> &mut Self {
        self.ops.push(Op::Close);
        self
    }

    /// `<tag class="class">text</tag>`.
    pub fn leaf(
        &mut self,
        tag: &'static str,
        class: &'static str,
        text: impl Into<Cow<'a, str>>,
    ) -> &mut Self {
        self.open(tag);
        if !class.is_empty() {
            self.class(class);
        }
        self.text(text).close()
    }

    /// The same edits owning their strings, so the view outlives what it was built from (the
    /// shell applies it after releasing the banner: DOM changes can call back into the page).
    pub fn into_owned(self) -> View<'static> {
        let owned = |c: Cow<'a, str>| Cow::Owned(c.into_owned());
        let ops = self.ops.into_iter().map(|op| match op {
            Op::Open(tag) => Op::Open(tag),
            Op::Attr(name, value) => Op::Attr(name, owned(value)),
            Op::Text(s) => Op::Text(owned(s)),
            Op::Close => Op::Close,
        });
        View { ops: ops.collect() }
    }

    /// The view as a tree (for tests and accessibility checks).
    pub fn tree(&self) -> Node {
        let mut stack: Vec<Element> = vec![Element { tag: "", attrs: Vec::new(), children: Vec::new() }];
        for op in &self.ops {
            match op {
                Op::Open(tag) => stack.push(Element { tag, attrs: Vec::new(), children: Vec::new() }),
                Op::Attr(name, value) => {
                    if let Some(top) = stack.last_mut() {
                        top.attrs.push((name, value.to_string()));
                    }
                }
                Op::Text(s) => {
                    if let Some(top) = stack.last_mut() {
                        top.children.push(Node::Text(s.to_string()));
                    }
                }
                Op::Close => {
                    if stack.len() > 1 {
                        let done = stack.pop().map(Node::Element);
                        if let Some(top) = stack.last_mut() {
                            top.children.extend(done);
                        }
                    }
                }
            }
        }
        let mut root = stack.swap_remove(0);
        if root.children.len() == 1 {
            root.children.remove(0)
        } else {
            Node::Element(root)
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

    #[test]
    fn operator_text_is_escaped_never_markup() {
        let mut v = View::default();
        v.open("p").attr("title", "\"><script>").text("<img src=x onerror=alert(1)>").close();
        assert_eq!(
            v.to_html(),
            "<p title=\"&quot;&gt;&lt;script&gt;\">&lt;img src=x onerror=alert(1)&gt;</p>"
        );
    }

    #[test]
    fn void_elements_have_no_closing_tag() {
        let mut v = View::default();
        v.open("input").attr("type", "checkbox").flag("checked", true).flag("disabled", false).close();
        assert_eq!(v.to_html(), "<input type=\"checkbox\" checked>");
    }

    #[test]
    fn nested_edits_make_a_tree() {
        let mut v = View::default();
        v.open("div").class("a").leaf("p", "", "one").open("ul").leaf("li", "x", "two").close().close();
        assert_eq!(v.to_html(), "<div class=\"a\"><p>one</p><ul><li class=\"x\">two</li></ul></div>");
        assert_eq!(v.text_content(), "onetwo");
        assert_eq!(v.tree().elements().len(), 4);
    }
}
