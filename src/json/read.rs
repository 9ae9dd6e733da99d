//! One way to read JSON objects, used by every reader of the crate (configs, records, the saved
//! decision, outbox entries): a [`Path`] to name where a value sits, built as text only when a
//! problem must be named; objects whose used members are tracked, so an unknown one is caught;
//! and a [`Reader`] that keeps the first problem and lets reading go on with empty values (and,
//! in native builds, every later problem that is not an echo of an earlier one, for checkers).
//!
//! Going on instead of returning at every `?` is deliberate: early returns make the compiler emit
//! drop code for every partly built value at every exit, which measured ~10 KB of wasm for the
//! config alone; building each field's path eagerly cost more again.

use super::{push_uint, Json};
use crate::concat::concat;
use crate::prelude::*;

/// Where a value sits: the document, a member of an object, or an item of an array.
#[derive(Clone, Copy, Debug)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    /// The whole document.
    pub const ROOT: Path<'static> = Path { parent: None, step: Step::Root };

    /// The member `key` of the object here.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path { parent: Some(self), step: Step::Key(key) }
    }

    /// The item `i` of the array here.
    pub fn index(&'a self, i: usize) -> Path<'a> {
        Path { parent: Some(self), step: Step::Index(i) }
    }

    /// `purposes[1].title`; empty for the document itself.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.write(out);
        }
        match self.step {
            Step::Root => {}
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => {
                out.push('[');
                push_uint(out, i as u64);
                out.push(']');
            }
        }
    }
}

/// What kind of problem a value has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A required member is absent (or `null`).
    Missing,
    /// A value has the wrong type or form.
    Invalid,
    /// A member the reader does not know: a misspelling, or a field of a later version.
    Unknown,
    /// A version of the format this reader does not read.
    Unsupported,
}

/// The first problem met while reading: its kind, where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// What kind of problem.
    pub kind: Kind,
    /// The path of the value, e.g. `purposes[1].title`; empty for the whole document.
    pub field: String,
    /// What is wrong with it and what to do.
    pub message: String,
}

/// Reads values, keeping the first problem met; reading goes on with empty values after it.
#[derive(Default)]
pub struct Reader {
    /// The first problem, if any.
    pub problem: Option<Problem>,
    /// Native builds: every problem, and the fields read as empty values because they were absent,
    /// mistyped or empty (what is said later about them, or beneath them, is an echo).
    #[cfg(not(target_arch = "wasm32"))]
    all: Everything,
}

#[cfg(not(target_arch = "wasm32"))]
#[derive(Default)]
struct Everything {
    problems: Vec<Problem>,
    emptied: Vec<String>,
}

static NULL: Json = Json::Null;

impl Reader {
    /// Notes a problem at `at`, unless one was noted before.
    pub fn fail(&mut self, at: &Path<'_>, kind: Kind, message: impl Into<String>) {
        self.note(at, kind, message, false);
    }

    /// Notes that `found` at `at` is not `what`.
    pub fn expected(&mut self, at: &Path<'_>, what: &str, found: &Json) {
        self.note(at, Kind::Invalid, concat(&["expected ", what, ", found ", found.kind()]), true);
    }

    /// Notes a problem; `emptied` when reading goes on at `at` with an empty value instead.
    fn note(&mut self, at: &Path<'_>, kind: Kind, message: impl Into<String>, emptied: bool) {
        #[cfg(not(target_arch = "wasm32"))]
        let message = {
            let (field, message) = (at.render(), message.into());
            if !self.all.emptied.iter().any(|e| within(&field, e)) {
                if emptied {
                    self.all.emptied.push(field.clone());
                }
                self.all.problems.push(Problem { kind, field, message: message.clone() });
            }
            message
        };
        #[cfg(target_arch = "wasm32")]
        let _ = emptied;
        // Natively already a String; in wasm converted only for the first problem.
        #[allow(clippy::useless_conversion)]
        if self.problem.is_none() {
            self.problem = Some(Problem { kind, field: at.render(), message: message.into() });
        }
    }

    /// Whether nothing at or beneath `field` was read as an empty value, so that rules over the
    /// whole document may judge it (always, where only the first problem is kept).
    pub fn whole(&self, field: &str) -> bool {
        #[cfg(not(target_arch = "wasm32"))]
        return !self.all.emptied.iter().any(|e| within(e, field) || within(field, e));
        #[cfg(target_arch = "wasm32")]
        {
            let _ = field;
            true
        }
    }

    /// Native builds: every problem noted, in the order met, echoes left out.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn problems(self) -> Vec<Problem> {
        self.all.problems
    }

    /// The object at `at`; an empty one (and a problem) if `json` is not an object.
    pub fn object<'j>(&mut self, at: &Path<'_>, json: &'j Json) -> Object<'j> {
        let members = json.as_object().unwrap_or_else(|| {
            self.expected(at, "an object", json);
            &[]
        });
        Object { members, used: vec![false; members.len()] }
    }

    /// The items of the array at `at`; none (and a problem) if `json` is not an array.
    pub fn array<'j>(&mut self, at: &Path<'_>, json: &'j Json) -> &'j [Json] {
        json.as_array().unwrap_or_else(|| {
            self.expected(at, "an array", json);
            &[]
        })
    }

    /// The non-empty string at `at`.
    pub fn string(&mut self, at: &Path<'_>, json: &Json) -> String {
        match json.as_str() {
            Some(s) if !is_blank(s) => return s.to_owned(),
            Some(_) => self.note(at, Kind::Invalid, "must not be empty", true),
            None => self.expected(at, "a string", json),
        }
        String::new()
    }

    /// The boolean at `at`.
    pub fn boolean(&mut self, at: &Path<'_>, json: &Json) -> bool {
        json.as_bool().unwrap_or_else(|| {
            self.expected(at, "true or false", json);
            false
        })
    }

    /// The whole number at `at`, written in digits.
    pub fn uint(&mut self, at: &Path<'_>, json: &Json) -> u64 {
        json.as_uint().unwrap_or_else(|| {
            self.expected(at, "a whole number", json);
            0
        })
    }
}

/// Whether `field` is `outer` or a member or item inside it (everything is inside the document).
#[cfg(not(target_arch = "wasm32"))]
fn within(field: &str, outer: &str) -> bool {
    match field.strip_prefix(outer) {
        Some(rest) => outer.is_empty() || rest.is_empty() || rest.starts_with(['.', '[']),
        None => false,
    }
}

/// Whether `s` holds nothing but white space (`str::trim` would do, at more code).
pub fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// An object being read: remembers which members were used.
pub struct Object<'j> {
    members: &'j [(String, Json)],
    used: Vec<bool>,
}

impl<'j> Object<'j> {
    /// The member `key`, unless it is absent or `null`.
    pub fn optional(&mut self, key: &str) -> Option<&'j Json> {
        let i = self.members.iter().position(|(k, _)| k == key)?;
        self.used[i] = true;
        Some(&self.members[i].1).filter(|v| !matches!(v, Json::Null))
    }

    /// The member `key` of the object at `at`; `null` (and a problem) if it is absent.
    pub fn required(&mut self, r: &mut Reader, at: &Path<'_>, key: &str) -> &'j Json {
        self.optional(key).unwrap_or_else(|| {
            r.note(&at.key(key), Kind::Missing, "missing: this field is required", true);
            &NULL
        })
    }

    /// Notes each member never asked for (a typo, or a field this version does not know),
    /// `$schema` aside, with `message`.
    pub fn finish(self, r: &mut Reader, at: &Path<'_>, message: &str) {
        let mut unused =
            self.members.iter().zip(&self.used).filter(|((k, _), used)| !**used && k != "$schema");
        // Where only the first problem is kept, the first unknown member is all there is to say.
        #[cfg(target_arch = "wasm32")]
        if let Some(((key, _), _)) = unused.next() {
            r.fail(&at.key(key), Kind::Unknown, message);
        }
        #[cfg(not(target_arch = "wasm32"))]
        for ((key, _), _) in &mut unused {
            r.fail(&at.key(key), Kind::Unknown, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_written_only_when_asked_and_names_keys_and_items() {
        let root = Path::ROOT;
        let purposes = root.key("purposes");
        let first = purposes.index(1);
        assert_eq!(first.key("title").render(), "purposes[1].title");
        assert_eq!(Path::ROOT.render(), "");
    }

    #[test]
    fn the_first_problem_is_kept_and_unknown_members_are_named() {
        let json = Json::parse(r#"{"a": "x", "b": 1, "typo": true, "$schema": "s"}"#).unwrap();
        let mut r = Reader::default();
        let at = Path::ROOT;
        let mut o = r.object(&at, &json);
        let a = o.required(&mut r, &at, "a");
        assert_eq!(r.string(&at.key("a"), a), "x");
        let b = o.required(&mut r, &at, "b");
        assert_eq!(r.uint(&at.key("b"), b), 1);
        o.required(&mut r, &at, "c");
        o.finish(&mut r, &at, "unknown field");
        let p = r.problem.unwrap();
        assert_eq!(
            (p.kind, p.field.as_str()),
            (Kind::Missing, "c"),
            "the first problem, not the unknown member"
        );
    }
}
