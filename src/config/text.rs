//! A text given in several languages.

use crate::lang::Lang;
use crate::prelude::*;

/// One text in each offered language. A validated config guarantees every offered language is
/// present, so [`Text::get`] always has something to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    by_lang: [Option<String>; 3],
}

impl Text {
    /// A text from `(language, string)` pairs.
    pub fn new<'a>(pairs: impl IntoIterator<Item = (Lang, &'a str)>) -> Text {
        let mut text = Text::default();
        for (lang, s) in pairs {
            text.set(lang, s.to_owned());
        }
        text
    }

    /// The text in `lang`; Kazakh, then Russian, if that one is missing.
    pub fn get(&self, lang: Lang) -> &str {
        self.try_get(lang).or_else(|| self.try_get(Lang::Kk)).or_else(|| self.try_get(Lang::Ru)).unwrap_or("")
    }

    /// The text in `lang`, if given.
    pub fn try_get(&self, lang: Lang) -> Option<&str> {
        self.by_lang[lang as usize].as_deref()
    }

    /// Sets the text in `lang`.
    pub fn set(&mut self, lang: Lang, s: String) {
        self.by_lang[lang as usize] = Some(s);
    }
}
