//! The policy registry: the texts operators publish, loaded from their configs, against which each
//! record's `policy.textSha256` is checked.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use kelisim::config::Config;
use kelisim::lang::Lang;
use kelisim::record::PolicyRef;

use crate::store::TextCheck;

/// Policy id, version and language code.
type Key = (String, String, &'static str);

/// The hash of every registered policy text, and the file it came from.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    texts: HashMap<Key, (String, PathBuf)>,
}

impl Registry {
    /// Loads every `*.json` config in `dirs` (old editions' configs may sit beside the current ones).
    /// A config that does not parse, or two files giving one policy edition different texts, is an
    /// error naming the file(s) and field.
    pub fn load(dirs: &[PathBuf]) -> Result<Registry, String> {
        let mut registry = Registry::default();
        for dir in dirs {
            let listing = std::fs::read_dir(dir).map_err(|e| format!("--policies {}: {e}", dir.display()))?;
            let mut files: Vec<PathBuf> = listing
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            for file in files {
                let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
                let config = Config::from_json_text(&text)
                    .map_err(|e| format!("{}: {}", file.display(), e.message()))?;
                registry.add(&config, &file)?;
            }
        }
        Ok(registry)
    }

    /// Registers the text of `config` in each language it offers.
    pub fn add(&mut self, config: &Config, file: &Path) -> Result<(), String> {
        for lang in Lang::ALL.into_iter().filter(|l| config.offers(*l)) {
            let key = (config.policy.id.clone(), config.policy.version.clone(), lang.code());
            let hash = kelisim::canonical::text_sha256(config, lang);
            match self.texts.get(&key) {
                Some((known, other)) if *known != hash => {
                    return Err(format!(
                        "policy {} version {} ({}) has two different texts, in {} and {}: \
                         an edited text needs a new policy.version",
                        key.0,
                        key.1,
                        key.2,
                        other.display(),
                        file.display()
                    ));
                }
                Some(_) => {}
                None => {
                    self.texts.insert(key, (hash, file.to_owned()));
                }
            }
        }
        Ok(())
    }

    /// How many policy texts (edition × language) are registered.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// Compares the hash a record carries with the registered text of its policy edition and language.
    pub fn check(&self, policy: &PolicyRef) -> TextCheck {
        let key = (policy.id.clone(), policy.version.clone(), policy.language.code());
        match self.texts.get(&key) {
            Some((hash, _)) if hash.eq_ignore_ascii_case(&policy.text_sha256) => TextCheck::Match,
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
        registry.add(config, Path::new("a.json")).unwrap();
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
        assert_eq!(Registry::default().check(&policy(&config, Lang::Ru)), TextCheck::Unregistered);
    }

    #[test]
    fn one_edition_with_two_texts_is_refused_naming_both_files() {
        let config = Config::from_json_text(CONFIG).unwrap();
        let mut edited = config.clone();
        edited.policy.summary.set(Lang::Kk, "өзгертілген мәтін".into());
        let mut registry = registry_of(&config);
        let err = registry.add(&edited, Path::new("b.json")).unwrap_err();
        assert!(
            err.contains("a.json") && err.contains("b.json") && err.contains("new policy.version"),
            "{err}"
        );
        assert!(registry.add(&config, Path::new("c.json")).is_ok(), "the same text twice is fine");
    }

    #[test]
    fn the_five_operator_configs_load() {
        let www = Path::new(env!("CARGO_MANIFEST_DIR")).join("../www/consent");
        let registry = Registry::load(&[www]).unwrap();
        assert!(registry.len() >= 5 * 2, "{} texts", registry.len());
    }

    #[test]
    fn a_broken_config_names_its_file_and_field() {
        let dir = std::env::temp_dir().join(format!("kelisim-registry-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("broken.json"), r#"{"schema": 1}"#).unwrap();
        let err = Registry::load(std::slice::from_ref(&dir)).unwrap_err();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(err.contains("broken.json"), "{err}");
    }
}
