//! Every statement an operator's notice shows comes from its policy: each has an entry in
//! `policies/<config>.provenance.json` that quotes the policy text kept beside it, or is marked
//! `inferred` with what the operator must confirm, and the README lists the inferred ones.

use kelisim::config::Config;
use kelisim::json::Json;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The config stems in `www/consent`, sorted.
fn configs() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join("www/consent"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// Every statement the notice of `cfg` shows, by the keys provenance files use.
fn statements(cfg: &Config) -> Vec<String> {
    let mut keys = vec!["operator.name".to_owned()];
    if cfg.operator.bin.is_some() {
        keys.push("operator.bin".into());
    }
    keys.extend(["policy.title".into(), "policy.summary".into()]);
    if cfg.policy.url.is_some() {
        keys.push("policy.url".into());
    }
    for p in &cfg.purposes {
        for field in ["title", "description", "withdrawalEffect"] {
            keys.push(format!("purposes.{}.{field}", p.id));
        }
    }
    keys.extend(cfg.data_categories.iter().map(|c| format!("dataCategories.{}", c.id)));
    for flag in ["thirdParties", "crossBorder", "publicSources", "storedInKazakhstan"] {
        keys.push(format!("transfers.{flag}"));
    }
    keys.push("term".into());
    keys.extend((0..cfg.notices.len()).map(|i| format!("notices[{i}]")));
    keys
}

/// The text with every run of white space made one space, and the line each character is on.
fn normalized(text: &str) -> (Vec<char>, Vec<usize>) {
    let (mut chars, mut lines) = (Vec::new(), Vec::new());
    let mut line = 1;
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space && !chars.is_empty() {
                chars.push(' ');
                lines.push(line);
            }
            in_space = true;
        } else {
            chars.push(c);
            lines.push(line);
            in_space = false;
        }
        if c == '\n' {
            line += 1;
        }
    }
    (chars, lines)
}

/// The lines on which `quote` (white space normalised) begins in the policy text.
fn lines_of(policy: &(Vec<char>, Vec<usize>), quote: &str) -> Vec<usize> {
    let (quote, _) = normalized(quote.trim());
    let (text, lines) = policy;
    if quote.is_empty() || quote.len() > text.len() {
        return Vec::new();
    }
    (0..=text.len() - quote.len())
        .filter(|&i| text[i..i + quote.len()] == quote[..])
        .map(|i| lines[i])
        .collect()
}

fn members(json: &Json, what: &str) -> Vec<(String, Json)> {
    json.as_object().unwrap_or_else(|| panic!("{what} must be an object")).to_vec()
}

fn string<'a>(json: &'a Json, key: &str, what: &str) -> &'a str {
    json.get(key).and_then(Json::as_str).unwrap_or_else(|| panic!("{what}: {key} must be a string"))
}

struct Provenance {
    policy_text: String,
    entries: Vec<(String, Json)>,
}

fn load(stem: &str) -> Provenance {
    let path = root().join("policies").join(format!("{stem}.provenance.json"));
    let json = Json::parse(&read(&path)).unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message()));
    for (key, _) in members(&json, stem) {
        assert!(
            ["$schema", "config", "policy", "statements"].contains(&key.as_str()),
            "{stem}: unknown field {key}"
        );
    }
    assert_eq!(string(&json, "config", stem), stem, "{stem}: names another config");
    let policy = json.get("policy").unwrap_or_else(|| panic!("{stem}: no policy"));
    let file = root().join("policies").join(string(policy, "file", stem));
    let policy_text = read(&file);
    assert_eq!(
        string(policy, "sha256", stem),
        kelisim::canonical::sha256_hex(policy_text.as_bytes()),
        "{stem}: {} is not the text the quotes were taken from (policy texts are never edited)",
        file.display()
    );
    let entries = members(json.get("statements").unwrap_or_else(|| panic!("{stem}: no statements")), stem);
    Provenance { policy_text, entries }
}

fn config(stem: &str) -> Config {
    let path = root().join("www/consent").join(format!("{stem}.json"));
    Config::from_json_text(&read(&path)).unwrap_or_else(|e| panic!("{stem}: {e}"))
}

#[test]
fn there_is_one_policy_text_and_one_provenance_file_per_config() {
    let stems = configs();
    assert_eq!(stems, ["batys", "esperance", "hitter", "karatel", "simply"]);
    for stem in &stems {
        assert!(root().join("policies").join(format!("{stem}.txt")).is_file(), "{stem}: no policy text");
        load(stem);
    }
}

#[test]
fn every_statement_a_notice_shows_has_a_provenance_entry_and_no_entry_is_stale() {
    for stem in configs() {
        let want = statements(&config(&stem));
        let have: Vec<String> = load(&stem).entries.into_iter().map(|(k, _)| k).collect();
        let missing: Vec<&String> = want.iter().filter(|k| !have.contains(k)).collect();
        let stale: Vec<&String> = have.iter().filter(|k| !want.contains(k)).collect();
        assert!(missing.is_empty(), "{stem}: statements without provenance: {missing:?}");
        assert!(stale.is_empty(), "{stem}: provenance for statements the config does not make: {stale:?}");
    }
}

#[test]
fn every_quote_is_in_its_policy_text_on_the_line_it_names() {
    let mut quotes = 0;
    for stem in configs() {
        let p = load(&stem);
        let policy = normalized(&p.policy_text);
        for (key, entry) in &p.entries {
            let what = format!("{stem}: {key}");
            for (field, _) in members(entry, &what) {
                assert!(
                    ["quotes", "inferred", "note"].contains(&field.as_str()),
                    "{what}: unknown field {field}"
                );
            }
            let inferred =
                entry.get("inferred").map(|v| v.as_str().unwrap_or_else(|| panic!("{what}: inferred")));
            if let Some(s) = inferred {
                assert!(s.trim().len() > 20, "{what}: say what the operator must confirm");
            }
            let list = entry
                .get("quotes")
                .map(|q| q.as_array().unwrap_or_else(|| panic!("{what}: quotes")).to_vec());
            let list = list.unwrap_or_default();
            assert!(!list.is_empty() || inferred.is_some(), "{what}: neither a quote nor marked inferred");
            for q in &list {
                let text = string(q, "text", &what);
                let line: usize = match q.get("line") {
                    Some(Json::Number(n)) => n.parse().unwrap_or_else(|_| panic!("{what}: line {n}")),
                    _ => panic!("{what}: a quote needs its line"),
                };
                let found = lines_of(&policy, text);
                assert!(!found.is_empty(), "{what}: not in policies/{stem}.txt: {text:?}");
                assert!(found.contains(&line), "{what}: {text:?} begins on line {found:?}, not {line}");
                quotes += 1;
            }
        }
    }
    assert!(quotes > 150, "{quotes} quotes");
}

#[test]
fn the_readme_lists_every_inferred_statement_per_operator() {
    let readme = read(&root().join("README.md"));
    for stem in configs() {
        for (key, entry) in load(&stem).entries {
            if entry.get("inferred").is_some() {
                let row = format!("| `{stem}` | `{key}` |");
                assert!(readme.contains(&row), "README.md lacks the row starting {row}");
            }
        }
    }
}

#[test]
fn a_quote_matches_across_line_breaks_and_spaces_but_not_an_edited_word() {
    let policy = normalized("Бірінші жол\n  екінші   жол.\nҮшінші");
    assert_eq!(lines_of(&policy, "жол екінші жол."), [1]);
    assert_eq!(lines_of(&policy, "екінші жол. Үшінші"), [2]);
    assert!(lines_of(&policy, "екінші жолдар").is_empty());
    assert!(lines_of(&policy, "Екінші жол").is_empty(), "case is not normalised");
}
