//! Writing JSON text directly, member by member, in the order given: the records, the saved
//! decision and the outbox entries are written this way rather than built as a tree first
//! (building the tree cost ~1 KB gzip of wasm more, measured).

use super::{push_uint, write_string};
use crate::prelude::*;

/// Compact JSON text being written. Containers are opened and closed explicitly; commas are
/// placed by the writer.
#[derive(Default)]
pub struct Writer {
    out: String,
    /// The next value is the first in its container: no comma before it.
    first: bool,
}

impl Writer {
    /// Starts a text whose top level is an object.
    pub fn object() -> Writer {
        let mut w = Writer { out: String::new(), first: true };
        w.out.push('{');
        w
    }

    fn comma(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    /// Writes `"key":` (in an object); `None` for an array item.
    fn key(&mut self, key: Option<&str>) {
        self.comma();
        if let Some(k) = key {
            write_string(&mut self.out, k);
            self.out.push(':');
        }
    }

    /// A string member (or array item).
    pub fn str(&mut self, key: Option<&str>, value: &str) -> &mut Self {
        self.key(key);
        write_string(&mut self.out, value);
        self
    }

    /// A string member written only when there is a value.
    pub fn str_if(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.str(Some(key), v);
        }
        self
    }

    /// `true` or `false`.
    pub fn bool(&mut self, key: Option<&str>, value: bool) -> &mut Self {
        self.key(key);
        self.out.push_str(if value { "true" } else { "false" });
        self
    }

    /// A whole number.
    pub fn uint(&mut self, key: Option<&str>, value: u64) -> &mut Self {
        self.key(key);
        push_uint(&mut self.out, value);
        self
    }

    /// Opens an object member (or item).
    pub fn open(&mut self, key: Option<&str>) -> &mut Self {
        self.key(key);
        self.out.push('{');
        self.first = true;
        self
    }

    /// Opens an array member.
    pub fn open_list(&mut self, key: &str) -> &mut Self {
        self.key(Some(key));
        self.out.push('[');
        self.first = true;
        self
    }

    /// Closes the object opened last.
    pub fn close(&mut self) -> &mut Self {
        self.out.push('}');
        self.first = false;
        self
    }

    /// Closes the array opened last.
    pub fn close_list(&mut self) -> &mut Self {
        self.out.push(']');
        self.first = false;
        self
    }

    /// Closes the top-level object and returns the text.
    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::Writer;
    use crate::json::Json;

    #[test]
    fn members_and_nesting_come_out_as_compact_json_in_order() {
        let mut w = Writer::object();
        w.uint(Some("n"), 1).str(Some("s"), "қ\"\n").str_if("none", None).str_if("some", Some("x"));
        w.open(Some("o")).bool(Some("t"), true).close();
        w.open_list("l").str(None, "a").open(None).bool(Some("f"), false).close().close_list();
        let text = w.finish();
        assert_eq!(text, r#"{"n":1,"s":"қ\"\n","some":"x","o":{"t":true},"l":["a",{"f":false}]}"#);
        assert!(Json::parse(&text).is_ok());
    }
}
