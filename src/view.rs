//! A DOM-free view tree: the banner describes itself as data, the web shell turns it into nodes,
//! tests turn it into HTML. Text is always text: there is no way to put markup in the tree.

use crate::prelude::*;

/// A node of the view: an element or a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// An element with attributes and children.
    Element(Element),
    /// A text node; shown as text, never parsed.
    Text(String),
}

/// An element of the view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    /// Tag name, from a fixed set the banner uses.
    pub tag: &'static str,
    /// Attributes, in order. Names are fixed by the banner; values may carry operator text.
    pub attrs: Vec<(&'static str, String)>,
    /// Child nodes.
    pub children: Vec<Node>,
}

/// Starts an element.
pub fn el(tag: &'static str) -> Element {
    Element { tag, attrs: Vec::new(), children: Vec::new() }
}

/// A text node.
pub fn text(s: impl Into<String>) -> Node {
    Node::Text(s.into())
}

impl Element {
    /// Adds an attribute.
    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Element {
        self.attrs.push((name, value.into()));
        self
    }

    /// Adds a boolean attribute when `on`.
    pub fn flag(self, name: &'static str, on: bool) -> Element {
        if on {
            self.attr(name, "")
        } else {
            self
        }
    }

    /// Sets `class`.
    pub fn class(self, value: &str) -> Element {
        self.attr("class", value)
    }

    /// Appends a child.
    pub fn child(mut self, node: impl Into<Node>) -> Element {
        self.children.push(node.into());
        self
    }

    /// Appends a text child.
    pub fn text(self, s: impl Into<String>) -> Element {
        self.child(text(s))
    }

    /// Appends children.
    pub fn children(mut self, nodes: impl IntoIterator<Item = Node>) -> Element {
        self.children.extend(nodes);
        self
    }

    /// The value of an attribute.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

impl From<Element> for Node {
    fn from(e: Element) -> Node {
        Node::Element(e)
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

    /// All text in the tree, concatenated (for tests and accessibility checks).
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
        let node: Node = el("p").attr("title", "\"><script>").text("<img src=x onerror=alert(1)>").into();
        assert_eq!(
            node.to_html(),
            "<p title=\"&quot;&gt;&lt;script&gt;\">&lt;img src=x onerror=alert(1)&gt;</p>"
        );
    }

    #[test]
    fn void_elements_have_no_closing_tag() {
        let node: Node =
            el("input").attr("type", "checkbox").flag("checked", true).flag("disabled", false).into();
        assert_eq!(node.to_html(), "<input type=\"checkbox\" checked>");
    }
}
