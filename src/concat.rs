//! Joining strings without `core::fmt` and with one copy of the code: `[a, b].concat()` and
//! `.join(sep)` are generic and were compiled once per element type (~1.4 KB of wasm, measured).

use crate::prelude::*;

/// The parts one after another.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// The items with `sep` between them.
pub fn join(items: &[String], sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn parts_are_joined_in_order() {
        assert_eq!(super::concat(&["a", "", "қ", "c"]), "aқc");
        assert_eq!(super::join(&["x".into(), "y".into(), "z".into()], ", "), "x, y, z");
        assert_eq!(super::join(&[], ", "), "");
    }
}
