//! Short import and export names: wasm-opt renames them in the wasm and reports the mapping; this
//! applies the same mapping to the JS glue.
//!
//! wasm-bindgen names each import after its function and a hash (`__wbg_createElement_8c99…`);
//! the names sit in both the wasm and the glue and barely compress (measured: ~4 KB gzip).

use kelisim::json::Json;
use std::collections::HashMap;

/// Old name → new name, for imports and for exports, as wasm-opt's
/// `--minify-imports-and-exports-and-modules` prints them.
pub struct Mapping {
    imports: HashMap<String, String>,
    exports: HashMap<String, String>,
    /// The one import module the glue provides (`./NAME_bg.js`).
    module: String,
}

/// The module name wasm-opt gives every import module.
const NEW_MODULE: &str = "a";

impl Mapping {
    /// Reads wasm-opt's JSON report: `{"imports": [[module, old, new]...], "exports": [[old, new]...]}`.
    pub fn parse(report: &str) -> Result<Mapping, String> {
        let start = report.find('{').ok_or("wasm-opt printed no name mapping")?;
        let json =
            Json::parse(report[start..].trim()).map_err(|e| format!("wasm-opt's name mapping: {e}"))?;
        let list = |key: &str| -> Result<Vec<Vec<String>>, String> {
            let items = json.get(key).and_then(Json::as_array).ok_or(format!("name mapping has no {key}"))?;
            items
                .iter()
                .map(|row| {
                    row.as_array()
                        .and_then(|r| {
                            r.iter().map(|v| v.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>()
                        })
                        .ok_or_else(|| format!("name mapping: a {key} row is not a list of strings"))
                })
                .collect()
        };
        let mut modules: Vec<String> = Vec::new();
        let mut imports = HashMap::new();
        for row in list("imports")? {
            let [module, old, new] = <[String; 3]>::try_from(row).map_err(|_| "an import row has 3 names")?;
            if !modules.contains(&module) {
                modules.push(module);
            }
            imports.insert(old, new);
        }
        let mut exports = HashMap::new();
        for row in list("exports")? {
            let [old, new] = <[String; 2]>::try_from(row).map_err(|_| "an export row has 2 names")?;
            exports.insert(old, new);
        }
        match <[String; 1]>::try_from(modules) {
            Ok([module]) => Ok(Mapping { imports, exports, module }),
            Err(modules) => Err(format!("expected one import module, found {modules:?}")),
        }
    }

    /// The glue with every import key, export access (`wasm.NAME`) and the module name renamed.
    /// Fails if an old name is left anywhere, so a glue shape this does not know is caught here
    /// rather than by a visitor's browser.
    pub fn apply(&self, glue: &str) -> Result<String, String> {
        let quoted = format!("\"{}\"", self.module);
        if glue.matches(&quoted).count() != 1 {
            return Err(format!("the glue names its import module {quoted} other than once"));
        }
        let glue = glue.replace(&quoted, &format!("\"{NEW_MODULE}\""));
        let mut out = String::with_capacity(glue.len());
        let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
        let mut rest = glue.as_str();
        while let Some(start) = rest.find(is_ident) {
            let (before, tail) = rest.split_at(start);
            out.push_str(before);
            let end = tail.find(|c: char| !is_ident(c)).unwrap_or(tail.len());
            let (word, after) = tail.split_at(end);
            let after_wasm = out.ends_with("wasm.");
            let renamed = if after_wasm { self.exports.get(word) } else { self.imports.get(word) };
            out.push_str(renamed.map_or(word, String::as_str));
            rest = after;
        }
        out.push_str(rest);
        // Any import name left, or an export still read as a property (`x.OLD`): a glue shape this
        // does not know. (The glue's own JS functions may share an export's name; they are local.)
        let words: std::collections::HashSet<&str> = out.split(|c: char| !is_ident(c)).collect();
        let left = self.imports.keys().find(|old| words.contains(old.as_str())).or_else(|| {
            self.exports.keys().find(|old| {
                out.match_indices(old.as_str()).any(|(at, _)| {
                    let whole = !out[at + old.len()..].starts_with(is_ident);
                    whole && out[..at].ends_with('.')
                })
            })
        });
        match left {
            Some(old) => {
                Err(format!("the glue still names {old} after renaming: a glue shape this does not know"))
            }
            None => Ok(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Mapping;

    const REPORT: &str = r#"[PassRunner] running
{
 "imports": [
  ["./k_bg.js", "__wbg_createElement_8c99", "a"],
  ["./k_bg.js", "__wbg_createElement_8c991", "b"]
 ],
 "exports": [
  ["memory", "c"],
  ["kelisim_mount", "d"]
 ]
}"#;

    #[test]
    fn imports_exports_and_the_module_are_renamed_as_whole_words() {
        let m = Mapping::parse(REPORT).unwrap();
        let glue = "const i = { __wbg_createElement_8c99: function(){}, __wbg_createElement_8c991: f };\n\
                    return { \"./k_bg.js\": i }; wasm.memory.buffer; wasm.kelisim_mount(1); memory;";
        assert_eq!(
            m.apply(glue).unwrap(),
            "const i = { a: function(){}, b: f };\nreturn { \"a\": i }; wasm.c.buffer; wasm.d(1); memory;"
        );
    }

    #[test]
    fn a_glue_that_keeps_an_old_name_is_refused() {
        let m = Mapping::parse(REPORT).unwrap();
        let err = m.apply("return { \"./k_bg.js\": i }; instance.exports.kelisim_mount();").unwrap_err();
        assert!(err.contains("kelisim_mount"), "{err}");
    }
}
