//! The classifiers the command-line examples read documents with: both
//! embedded rulesets (each document in its own language), one of them
//! (`--lang`), or rule files from a directory (`--rules`, `--ruleset`).

use recruiter_feedback::{Classifier, ClassifierBuilder, Error, Language};

/// The language named by the value of a `--lang` option.
pub fn parse_lang(value: Option<String>) -> Result<Language, String> {
    let value = value.ok_or("--lang needs fr or en")?;
    value.parse().map_err(|e| format!("--lang: {e}"))
}

/// The rule files in `dir`, for feedback in `lang`.
pub fn from_dir(dir: &str, lang: Language) -> Result<Classifier, Error> {
    ClassifierBuilder::new(lang).add_dir(dir)?.build()
}

/// The classifiers to choose from, the default language first; never empty.
pub struct Rulesets(Vec<Classifier>);

impl Rulesets {
    /// The rule files in `dir` (in `lang`, French by default), else the
    /// embedded ruleset of `lang`, else both embedded rulesets.
    pub fn load(dir: Option<&str>, lang: Option<Language>) -> Result<Self, Error> {
        Ok(Rulesets(match (dir, lang) {
            (None, None) => vec![Classifier::french(), Classifier::english()],
            (None, Some(lang)) => vec![Classifier::embedded(lang)],
            (Some(dir), lang) => vec![from_dir(dir, lang.unwrap_or(Language::Fr))?],
        }))
    }

    /// The classifier for the language `text` is written in.
    pub fn for_text(&self, text: &str) -> &Classifier {
        Classifier::detect(&self.0, text).unwrap_or(&self.0[0])
    }

    /// Every classifier.
    #[allow(dead_code)] // `classify` has no use for it
    pub fn all(&self) -> &[Classifier] {
        &self.0
    }
}
