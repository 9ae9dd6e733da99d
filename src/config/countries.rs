//! The countries a config may name as cross-border destinations, each with its name in Kazakh,
//! Russian and English, so a visitor reads "the Russian Federation", never a bare code.
//!
//! Only the countries operators' policies name are listed (seed 001: the Russian Federation): a
//! full ISO 3166 table in three languages would cost every visitor kilobytes. A config naming
//! another code is refused with the field named; until its name is added here, such an operator
//! writes `"crossBorder": true` and names the destinations in a notice.

use crate::lang::Lang;

/// ISO 3166-1 alpha-2 code, then the official short name in kk, ru and en.
const NAMES: &[(&str, [&str; 3])] =
    &[("RU", ["Ресей Федерациясы", "Российская Федерация", "the Russian Federation"])];

/// The name of the country with this ISO 3166-1 alpha-2 code in `lang`, if kelisim knows it.
pub fn name(code: &str, lang: Lang) -> Option<&'static str> {
    NAMES.iter().find(|(c, _)| *c == code).map(|(_, names)| names[lang as usize])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::SAMPLE;
    use crate::config::Config;

    #[test]
    fn every_listed_country_has_a_name_in_every_language() {
        for (code, names) in NAMES {
            assert!(code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()), "{code}");
            for lang in Lang::ALL {
                assert!(!names[lang as usize].is_empty(), "{code} in {lang:?}");
            }
        }
        assert_eq!(name("RU", Lang::Kk), Some("Ресей Федерациясы"));
        assert_eq!(name("RU", Lang::Ru), Some("Российская Федерация"));
        assert_eq!(name("DE", Lang::En), None);
    }

    #[test]
    fn a_country_without_names_is_refused_naming_the_entry() {
        let text = SAMPLE.replace(r#""crossBorder": ["RU"]"#, r#""crossBorder": ["RU", "DE"]"#);
        assert_ne!(text, SAMPLE);
        let err = Config::from_json_text(&text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "config: transfers.crossBorder[1]: kelisim has no Kazakh, Russian and English name for \"DE\": \
             write true and name the destinations in a notice"
        );
    }
}
