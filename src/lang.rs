//! The languages a notice is shown in, and which one a visitor gets.

use crate::prelude::*;

/// A language kelisim shows notices in. Kazakh is the state language and the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// Kazakh (`kk`).
    Kk,
    /// Russian (`ru`).
    Ru,
    /// English (`en`).
    En,
}

impl Lang {
    /// Every language, in the order a switcher lists them.
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The BCP 47 primary subtag: `kk`, `ru` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language's own name, as a switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Kk => "Қазақша",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    /// Reads a language tag by its primary subtag: `kk-KZ`, `KK`, `ru_RU`, `en-US` all resolve.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        // The primary subtag: the letters before the first `-` or `_`, spaces around ignored.
        let tag = tag.as_bytes();
        let start = tag.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(tag.len());
        let len = tag[start..].iter().position(|b| !b.is_ascii_alphabetic()).unwrap_or(tag.len() - start);
        let primary = &tag[start..start + len];
        let rest = &tag[start + len..];
        if !(rest.is_empty()
            || rest[0] == b'-'
            || rest[0] == b'_'
            || rest.iter().all(u8::is_ascii_whitespace))
        {
            return None;
        }
        Lang::ALL.into_iter().find(|l| primary.eq_ignore_ascii_case(l.code().as_bytes()))
    }
}

/// What is known about the visitor's language, strongest signal first.
#[derive(Clone, Debug, Default)]
pub struct LanguageHints<'a> {
    /// The page's explicit `lang` option.
    pub explicit: Option<&'a str>,
    /// The language the visitor picked earlier on this site.
    pub saved: Option<&'a str>,
    /// The document's `<html lang>`.
    pub document: Option<&'a str>,
    /// `navigator.languages`, in preference order.
    pub browser: &'a [String],
}

/// Picks the language to show: explicit option, then the visitor's earlier choice, then
/// `<html lang>`, then the browser's languages, then `default`. Only `offered` languages win.
pub fn negotiate(hints: &LanguageHints<'_>, offered: &[Lang], default: Lang) -> Lang {
    let offered_lang = |tag: &str| Lang::from_tag(tag).filter(|l| offered.contains(l));
    for tag in [hints.explicit, hints.saved, hints.document].into_iter().flatten() {
        if let Some(lang) = offered_lang(tag) {
            return lang;
        }
    }
    for tag in hints.browser {
        if let Some(lang) = offered_lang(tag) {
            return lang;
        }
    }
    default
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[Lang] = &Lang::ALL;

    #[test]
    fn tags_resolve_by_primary_subtag() {
        for (tag, lang) in [
            ("kk-KZ", Some(Lang::Kk)),
            ("kk", Some(Lang::Kk)),
            ("ru-RU", Some(Lang::Ru)),
            ("ru-KZ", Some(Lang::Ru)),
            ("RU_kz", Some(Lang::Ru)),
            ("en-US", Some(Lang::En)),
            ("kaz", None),
            ("", None),
            ("de-DE", None),
        ] {
            assert_eq!(Lang::from_tag(tag), lang, "{tag}");
        }
    }

    #[test]
    fn explicit_option_beats_everything() {
        let browser = vec!["ru-RU".to_owned()];
        let hints = LanguageHints {
            explicit: Some("en"),
            saved: Some("ru"),
            document: Some("ru"),
            browser: &browser,
        };
        assert_eq!(negotiate(&hints, ALL, Lang::Kk), Lang::En);
    }

    #[test]
    fn saved_choice_beats_document_and_browser() {
        let browser = vec!["en".to_owned()];
        let hints = LanguageHints {
            saved: Some("ru"),
            document: Some("kk"),
            browser: &browser,
            ..Default::default()
        };
        assert_eq!(negotiate(&hints, ALL, Lang::Kk), Lang::Ru);
    }

    #[test]
    fn document_lang_beats_browser_languages() {
        let browser = vec!["ru".to_owned()];
        let hints = LanguageHints { document: Some("kk-KZ"), browser: &browser, ..Default::default() };
        assert_eq!(negotiate(&hints, ALL, Lang::Ru), Lang::Kk);
    }

    #[test]
    fn first_offered_browser_language_wins() {
        let browser = vec!["de-DE".to_owned(), "ru-KZ".to_owned(), "kk".to_owned()];
        let hints = LanguageHints { browser: &browser, ..Default::default() };
        assert_eq!(negotiate(&hints, ALL, Lang::Kk), Lang::Ru);
    }

    #[test]
    fn language_not_offered_falls_through_to_default() {
        let browser = vec!["en-US".to_owned()];
        let hints = LanguageHints { explicit: Some("en"), browser: &browser, ..Default::default() };
        assert_eq!(negotiate(&hints, &[Lang::Kk, Lang::Ru], Lang::Kk), Lang::Kk);
        assert_eq!(negotiate(&LanguageHints::default(), ALL, Lang::Kk), Lang::Kk);
    }
}
