//! The policy registry: the editions operators publish, loaded from their configs, against which
//! each record's text hash and decision are checked.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kelisim::config::Config;
use kelisim::lang::Lang;
use kelisim::record::PolicyRef;

use crate::store::TextCheck;

/// Files in a policies directory that are not configs (provenance notes kept beside them).
const NOT_A_CONFIG: &str = ".provenance.json";

/// One registered policy edition (policy id and version), in each language it is offered in.
#[derive(Clone, Debug, Default)]
pub struct Edition {
    /// Per language: the hash of the canonical text, the config offering it, and its file.
    by_lang: HashMap<Lang, (String, Arc<Config>, PathBuf)>,
}

impl Edition {
    /// Each language the edition is offered in, in switcher order, with its text hash and file.
    pub fn languages(&self) -> Vec<(Lang, &str, &Path)> {
        Lang::ALL
            .into_iter()
            .filter_map(|lang| {
                self.by_lang.get(&lang).map(|(hash, _, file)| (lang, hash.as_str(), file.as_path()))
            })
            .collect()
    }

    /// The config that offers the edition in `lang`, if any.
    pub fn in_language(&self, lang: Lang) -> Option<&Config> {
        self.by_lang.get(&lang).map(|(_, config, _)| &**config)
    }

    /// A config of the edition, for what does not depend on the language (purposes, data,
    /// transfers, BIN): every config of one edition has the same kk text, which covers them.
    pub fn any(&self) -> Option<&Config> {
        Lang::ALL.into_iter().find_map(|lang| self.in_language(lang))
    }
}

/// Every registered edition, by policy id and version.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    editions: HashMap<(String, String), Edition>,
}

impl Registry {
    /// Loads every `*.json` config in `dirs` (old editions' configs may sit beside the current ones;
    /// `*.provenance.json` files are not configs and are skipped). A config that does not parse, or
    /// two files giving one policy edition different texts, is an error naming the file(s) and
    /// every problem with its field.
    pub fn load(dirs: &[PathBuf]) -> Result<Registry, String> {
        let mut registry = Registry::default();
        for dir in dirs {
            let listing = std::fs::read_dir(dir).map_err(|e| format!("--policies {}: {e}", dir.display()))?;
            let mut files: Vec<PathBuf> = listing
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .filter(|p| !p.to_string_lossy().ends_with(NOT_A_CONFIG))
                .collect();
            files.sort();
            for file in files {
                let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
                let problems = Config::problems_in(&text);
                if !problems.is_empty() {
                    let lines: Vec<String> =
                        problems.iter().map(|p| format!("\n  {}", p.message())).collect();
                    return Err(format!(
                        "{}: problems: {} (kelisim-collector check names them in kk or ru):{}",
                        file.display(),
                        problems.len(),
                        lines.concat()
                    ));
                }
                let config = Config::from_json_text(&text)
                    .map_err(|e| format!("{}: {}", file.display(), e.message()))?;
                registry.add(config, &file)?;
            }
        }
        Ok(registry)
    }

    /// Registers the edition of `config` in each language it offers.
    pub fn add(&mut self, config: Config, file: &Path) -> Result<(), String> {
        let key = (config.policy.id.clone(), config.policy.version.clone());
        let config = Arc::new(config);
        let edition = self.editions.entry(key.clone()).or_default();
        for lang in Lang::ALL.into_iter().filter(|l| config.offers(*l)) {
            let hash = kelisim::canonical::text_sha256(&config, lang);
            match edition.by_lang.get(&lang) {
                Some((known, _, other)) if *known != hash => {
                    return Err(format!(
                        "policy {} version {} ({}) has two different texts, in {} and {}: \
                         an edited text needs a new policy.version",
                        key.0,
                        key.1,
                        lang.code(),
                        other.display(),
                        file.display()
                    ));
                }
                Some(_) => {}
                None => {
                    edition.by_lang.insert(lang, (hash, Arc::clone(&config), file.to_owned()));
                }
            }
        }
        Ok(())
    }

    /// How many policy texts (edition × language) are registered.
    pub fn len(&self) -> usize {
        self.editions.values().map(|e| e.by_lang.len()).sum()
    }

    /// The config of the newest registered edition (by version, compared as text) of `policy_id`.
    pub fn latest(&self, policy_id: &str) -> Option<&Config> {
        let mut editions: Vec<(&String, &Edition)> =
            self.editions.iter().filter(|((id, _), _)| id == policy_id).map(|((_, v), e)| (v, e)).collect();
        editions.sort_by(|a, b| a.0.cmp(b.0));
        editions.last().and_then(|(_, edition)| edition.any())
    }

    /// Every registered edition, by policy id and version, with its languages.
    pub fn editions(&self) -> Vec<(&str, &str, &Edition)> {
        let mut out: Vec<(&str, &str, &Edition)> =
            self.editions.iter().map(|((id, version), e)| (id.as_str(), version.as_str(), e)).collect();
        out.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        out
    }

    /// The edition `id` `version`, if registered.
    pub fn edition_of(&self, id: &str, version: &str) -> Option<&Edition> {
        self.editions.get(&(id.to_owned(), version.to_owned()))
    }

    /// The registered edition a record's policy names, if any.
    pub fn edition(&self, policy: &PolicyRef) -> Option<&Edition> {
        self.edition_of(&policy.id, &policy.version)
    }

    /// Compares the hash a record carries with the registered text of its policy edition and language.
    pub fn check(&self, policy: &PolicyRef) -> TextCheck {
        match self.edition(policy).and_then(|e| e.by_lang.get(&policy.language)) {
            Some((hash, _, _)) if hash.eq_ignore_ascii_case(&policy.text_sha256) => TextCheck::Match,
            Some(_) => TextCheck::Mismatch,
            None => TextCheck::Unregistered,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = include_str!("../tests/data/config.json");

    fn policy(config: &Config, lang: Lang) -> PolicyRef {
        PolicyRef {
            id: config.policy.id.clone(),
            version: config.policy.version.clone(),
            language: lang,
            text_sha256: kelisim::canonical::text_sha256(config, lang),
            url: None,
        }
    }

    fn registry_of(config: &Config) -> Registry {
        let mut registry = Registry::default();
        registry.add(config.clone(), Path::new("a.json")).unwrap();
        registry
    }

    #[test]
    fn the_registered_text_matches_in_each_language_and_another_hash_does_not() {
        let config = Config::from_json_text(CONFIG).unwrap();
        let registry = registry_of(&config);
        for lang in Lang::ALL.into_iter().filter(|l| config.offers(*l)) {
            assert_eq!(registry.check(&policy(&config, lang)), TextCheck::Match);
        }
        let mut forged = policy(&config, Lang::Kk);
        forged.text_sha256 = "0".repeat(64);
        assert_eq!(registry.check(&forged), TextCheck::Mismatch);
    }

    #[test]
    fn another_version_or_policy_is_unregistered() {
        let config = Config::from_json_text(CONFIG).unwrap();
        let registry = registry_of(&config);
        let mut other = policy(&config, Lang::Ru);
        other.version.push_str("-next");
        assert_eq!(registry.check(&other), TextCheck::Unregistered);
        assert!(registry.edition(&other).is_none());
        assert_eq!(Registry::default().check(&policy(&config, Lang::Ru)), TextCheck::Unregistered);
    }

    #[test]
    fn one_edition_with_two_texts_is_refused_naming_both_files() {
        let config = Config::from_json_text(CONFIG).unwrap();
        let mut edited = config.clone();
        edited.policy.summary.set(Lang::Kk, "өзгертілген мәтін".into());
        let mut registry = registry_of(&config);
        let err = registry.add(edited, Path::new("b.json")).unwrap_err();
        assert!(
            err.contains("a.json") && err.contains("b.json") && err.contains("new policy.version"),
            "{err}"
        );
        assert!(registry.add(config, Path::new("c.json")).is_ok(), "the same text twice is fine");
    }

    #[test]
    fn the_five_operator_configs_load() {
        let www = Path::new(env!("CARGO_MANIFEST_DIR")).join("../www/consent");
        let registry = Registry::load(&[www]).unwrap();
        assert!(registry.len() >= 5 * 2, "{} texts", registry.len());
    }

    #[test]
    fn a_broken_config_names_its_file_and_provenance_notes_are_not_read_as_configs() {
        let dir = std::env::temp_dir().join(format!("kelisim-registry-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("karatel.json"), CONFIG).unwrap();
        std::fs::write(dir.join("karatel.provenance.json"), r#"{"source": "seed 000"}"#).unwrap();
        let loaded = Registry::load(std::slice::from_ref(&dir)).map(|r| r.len());
        std::fs::write(dir.join("broken.json"), r#"{"schema": 1, "endpoint": "//x"}"#).unwrap();
        let err = Registry::load(std::slice::from_ref(&dir)).unwrap_err();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(loaded, Ok(3), "the config in kk, ru and en; the provenance note skipped");
        assert!(err.contains("broken.json: problems: 8"), "{err}");
        for named in [
            "config: operator: missing",
            "config: endpoint: must be an http(s) URL",
            "config: schema: unknown",
        ] {
            assert!(err.contains(named), "{named} in {err}");
        }
    }
}
