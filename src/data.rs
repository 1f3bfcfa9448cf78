//! Reading rule files (TOML) into rules, word classes and texts.
//!
//! Files are deserialized strictly: an unknown key is an error, so that a
//! typo in a field name (`pattern` for `patterns`) is reported instead of
//! silently disabling a rule. Names are kept as strings with their spans
//! until they are checked here, so that every error names the line and
//! column of the offending value.
//!
//! One file may hold any of the sections below; the French ruleset spreads
//! them over `lexicon.toml`, `categories.toml` and `rules/*.toml`.
//!
//! ```toml
//! language = "fr"
//! disable = ["fr.bias.froid"]          # rule ids or groups to switch off
//!
//! [settings]                            # engine tuning (optional)
//! negation_window = 5
//!
//! [classes]                             # word classes, shared by all rules
//! insuffisant = ["insuffisant{,e,s,es}", "trop faible{,s}"]
//!
//! [extend]                              # add entries to an existing class
//! insuffisant = ["perfectible{,s}"]
//!
//! [class_examples]                      # texts each class must match
//! insuffisant = ["un niveau insuffisant"]
//!
//! [shorthands]                          # abbreviations read as their words
//! bcp = "beaucoup"
//! qqn = "quelqu'un"
//!
//! [categories.skills]                   # display name and advice
//! name = "Compétences"
//! advice = "…"
//!
//! [[rule]]
//! id = "fr.skills.insuffisant"
//! category = "skills"
//! patterns = ["compéten* ~3 @insuffisant"]
//! examples = ["Vos compétences en SQL restent insuffisantes."]
//! counter_examples = ["Vos compétences en SQL sont solides."]
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, LineIndex, Location};
use crate::rule::{Negation, Rule, check_id};
use crate::taxonomy::{Category, Facet, Language};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    language: Option<Spanned<String>>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    settings: Option<Spanned<SettingsDoc>>,
    #[serde(default)]
    classes: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    extend: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    class_examples: BTreeMap<Spanned<String>, Vec<String>>,
    #[serde(default)]
    shorthands: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    categories: BTreeMap<Spanned<String>, TextsDoc>,
    #[serde(default)]
    facets: BTreeMap<Spanned<String>, TextsDoc>,
    generic_rejection: Option<TextsDoc>,
    #[serde(default, rename = "rule")]
    rules: Vec<RuleDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextsDoc {
    name: String,
    advice: String,
}

#[derive(Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct SettingsDoc {
    negation_window: Option<u32>,
    hedge_factor: Option<f32>,
    greeting_max_words: Option<u32>,
    signature_max_words: Option<u32>,
    typo_min_chars: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDoc {
    id: Spanned<String>,
    category: Spanned<String>,
    facet: Option<Spanned<String>>,
    confidence: Option<Spanned<f64>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    regex: Vec<Spanned<String>>,
    #[serde(default)]
    unless: Vec<Spanned<String>>,
    #[serde(default)]
    unless_near: Vec<Spanned<String>>,
    #[serde(default)]
    headings: Vec<Spanned<String>>,
    negation: Option<Spanned<String>>,
    #[serde(default)]
    yields_to: Vec<Spanned<String>>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
    #[serde(default)]
    replace: bool,
    note: Option<String>,
}

/// Engine settings a ruleset may tune.
///
/// They are language-dependent habits rather than code: how far before a
/// cue a negation still applies, how much a hedge lowers confidence, how
/// long a greeting or signature line can be, how long a word must be
/// before a typing slip in it is forgiven.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Settings {
    /// Words between the end of a negation and a match it still negates.
    pub negation_window: u32,
    /// Confidence multiplier for findings in hedged statements.
    pub hedge_factor: f32,
    /// Longest statement, in words, that counts as a greeting line.
    pub greeting_max_words: u32,
    /// Longest statement, in words, after a closing formula, that counts as
    /// part of the signature.
    pub signature_max_words: u32,
    /// Shortest word, in characters, that still matches a word of the rules
    /// with one typing slip (two neighbouring letters swapped, a letter
    /// typed twice, a doubled consonant typed once; in longer words a letter
    /// left out or a vowel for another: see the `slips` module); 0 turns
    /// typo tolerance off.
    pub typo_min_chars: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            negation_window: 5,
            hedge_factor: 0.85,
            greeting_max_words: 8,
            signature_max_words: 10,
            typo_min_chars: 0,
        }
    }
}

/// A class definition or extension read from a file.
#[derive(Clone, Debug)]
pub(crate) struct ClassEntries {
    pub name: String,
    pub location: Location,
    pub entries: Vec<(String, Location)>,
}

/// Display name and advice for a category or facet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Texts {
    pub name: String,
    pub advice: String,
}

/// A rule read from a file, with whether it replaces an existing one.
#[derive(Clone, Debug)]
pub(crate) struct FileRule {
    pub rule: Rule,
    pub replace: bool,
}

/// Everything one source file contributes.
#[derive(Debug, Default)]
pub(crate) struct SourceFile {
    pub disable: Vec<(String, Location)>,
    pub settings: Option<(SettingsPatch, Location)>,
    pub classes: Vec<ClassEntries>,
    pub extend: Vec<ClassEntries>,
    pub class_examples: Vec<(String, Location, Vec<String>)>,
    /// (shorthand, what it stands for, where the shorthand is written).
    pub shorthands: Vec<(String, String, Location)>,
    pub categories: Vec<(Category, Texts)>,
    pub facets: Vec<(Facet, Texts)>,
    pub generic_rejection: Option<Texts>,
    pub rules: Vec<FileRule>,
}

/// Settings given by one file, applied over the defaults.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct SettingsPatch {
    negation_window: Option<u32>,
    hedge_factor: Option<f32>,
    greeting_max_words: Option<u32>,
    signature_max_words: Option<u32>,
    typo_min_chars: Option<u32>,
}

impl SettingsPatch {
    /// Applies this patch to `settings`.
    pub fn apply(&self, settings: &mut Settings) {
        if let Some(v) = self.negation_window {
            settings.negation_window = v;
        }
        if let Some(v) = self.hedge_factor {
            settings.hedge_factor = v;
        }
        if let Some(v) = self.greeting_max_words {
            settings.greeting_max_words = v;
        }
        if let Some(v) = self.signature_max_words {
            settings.signature_max_words = v;
        }
        if let Some(v) = self.typo_min_chars {
            settings.typo_min_chars = v;
        }
    }
}

/// Reads one TOML source named `file` for a ruleset in `language`.
pub(crate) fn read_source(file: &str, text: &str, language: Language) -> Result<SourceFile, Error> {
    let lines = LineIndex::new(file, text);
    let doc: FileDoc = toml::from_str(text).map_err(|e| Error::Syntax {
        location: lines.locate(e.span().map_or(0, |s| s.start)),
        message: e.message().trim().to_string(),
    })?;
    let at = |span: std::ops::Range<usize>| lines.locate(span.start);

    if let Some(lang) = &doc.language {
        let found: Language =
            lang.get_ref()
                .parse()
                .map_err(|e: crate::UnknownName| Error::Invalid {
                    location: at(lang.span()),
                    rule: None,
                    what: "language",
                    reason: e.to_string(),
                })?;
        if found != language {
            return Err(Error::WrongLanguage {
                location: at(lang.span()),
                expected: language.to_string(),
                found: found.to_string(),
            });
        }
    }

    let mut out = SourceFile {
        disable: doc
            .disable
            .iter()
            .map(|d| (d.get_ref().clone(), at(d.span())))
            .collect(),
        ..SourceFile::default()
    };
    if let Some(s) = &doc.settings {
        out.settings = Some((check_settings(s.get_ref(), at(s.span()))?, at(s.span())));
    }
    out.classes = class_entries(&doc.classes, &at)?;
    out.extend = class_entries(&doc.extend, &at)?;
    for (name, examples) in &doc.class_examples {
        out.class_examples
            .push((name.get_ref().clone(), at(name.span()), examples.clone()));
    }
    // In file order, so that a repeated shorthand is reported where it
    // is repeated.
    let mut shorthands: Vec<_> = doc.shorthands.iter().collect();
    shorthands.sort_by_key(|(short, _)| short.span().start);
    for (short, long) in shorthands {
        out.shorthands.push((
            short.get_ref().clone(),
            long.get_ref().clone(),
            at(short.span()),
        ));
    }
    for (name, texts) in &doc.categories {
        let category = parse_name::<Category>(name, "category", None, &at)?;
        out.categories.push((category, texts.into()));
    }
    for (name, texts) in &doc.facets {
        let facet = parse_name::<Facet>(name, "facet", None, &at)?;
        out.facets.push((facet, texts.into()));
    }
    out.generic_rejection = doc.generic_rejection.as_ref().map(Texts::from);
    for r in &doc.rules {
        out.rules.push(read_rule(r, &at)?);
    }
    Ok(out)
}

impl From<&TextsDoc> for Texts {
    fn from(t: &TextsDoc) -> Self {
        Texts {
            name: t.name.clone(),
            advice: t.advice.clone(),
        }
    }
}

/// Shorter words have too many real words one letter away to be corrected.
const MIN_TYPO_CHARS: u32 = 5;

fn check_settings(s: &SettingsDoc, location: Location) -> Result<SettingsPatch, Error> {
    let invalid = |what: &'static str, reason: String| Error::Invalid {
        location: location.clone(),
        rule: None,
        what,
        reason,
    };
    if let Some(f) = s.hedge_factor {
        if !(f > 0.0 && f <= 1.0) {
            return Err(invalid("hedge_factor", format!("{f} is not in (0, 1]")));
        }
    }
    if let Some(w) = s.negation_window {
        if w > 32 {
            return Err(invalid("negation_window", format!("{w} words: at most 32")));
        }
    }
    if let Some(n) = s.typo_min_chars {
        if n != 0 && n < MIN_TYPO_CHARS {
            return Err(invalid(
                "typo_min_chars",
                format!("{n} characters: 0 (off) or at least {MIN_TYPO_CHARS}"),
            ));
        }
    }
    Ok(SettingsPatch {
        negation_window: s.negation_window,
        hedge_factor: s.hedge_factor,
        greeting_max_words: s.greeting_max_words,
        signature_max_words: s.signature_max_words,
        typo_min_chars: s.typo_min_chars,
    })
}

fn class_entries(
    map: &BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    at: &impl Fn(std::ops::Range<usize>) -> Location,
) -> Result<Vec<ClassEntries>, Error> {
    let mut out = Vec::new();
    for (name, entries) in map {
        if name.get_ref().is_empty()
            || !name
                .get_ref()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(Error::Invalid {
                location: at(name.span()),
                rule: None,
                what: "word class name",
                reason: format!(
                    "`{}`: class names are lower-case ASCII letters, digits and `_`",
                    name.get_ref()
                ),
            });
        }
        out.push(ClassEntries {
            name: name.get_ref().clone(),
            location: at(name.span()),
            entries: entries
                .iter()
                .map(|e| (e.get_ref().clone(), at(e.span())))
                .collect(),
        });
    }
    Ok(out)
}

fn parse_name<T: std::str::FromStr<Err = crate::UnknownName>>(
    name: &Spanned<String>,
    what: &'static str,
    rule: Option<&str>,
    at: &impl Fn(std::ops::Range<usize>) -> Location,
) -> Result<T, Error> {
    name.get_ref()
        .parse()
        .map_err(|e: crate::UnknownName| Error::Invalid {
            location: at(name.span()),
            rule: rule.map(String::from),
            what,
            reason: e.to_string(),
        })
}

fn read_rule(
    r: &RuleDoc,
    at: &impl Fn(std::ops::Range<usize>) -> Location,
) -> Result<FileRule, Error> {
    let id = r.id.get_ref().clone();
    let location = at(r.id.span());
    let invalid =
        |span: std::ops::Range<usize>, what: &'static str, reason: String| Error::Invalid {
            location: at(span),
            rule: Some(id.clone()),
            what,
            reason,
        };
    check_id(&id).map_err(|reason| invalid(r.id.span(), "id", reason))?;
    let category: Category = parse_name(&r.category, "category", Some(&id), at)?;
    let facet = match &r.facet {
        Some(f) => Some(parse_name::<Facet>(f, "facet", Some(&id), at)?),
        None => None,
    };
    let mut rule = Rule::new(id.clone(), category);
    rule.facet = facet;
    rule.location = location;
    if let Some(c) = &r.confidence {
        let v = *c.get_ref();
        if !(v > 0.0 && v <= 1.0) {
            return Err(invalid(
                c.span(),
                "confidence",
                format!("{v} is not in (0, 1]"),
            ));
        }
        rule.confidence = v as f32;
    }
    if let Some(n) = &r.negation {
        rule.negation = n
            .get_ref()
            .parse::<Negation>()
            .map_err(|reason| invalid(n.span(), "negation", reason))?;
    }
    for y in &r.yields_to {
        rule.yields_to
            .push(parse_name(y, "category in yields_to", Some(&id), at)?);
    }
    let split = |list: &[Spanned<String>]| -> (Vec<String>, Vec<Location>) {
        list.iter()
            .map(|p| (p.get_ref().clone(), at(p.span())))
            .unzip()
    };
    (rule.patterns, rule.pattern_locations) = split(&r.patterns);
    (rule.regex, rule.regex_locations) = split(&r.regex);
    (rule.unless, rule.unless_locations) = split(&r.unless);
    (rule.unless_near, rule.unless_near_locations) = split(&r.unless_near);
    (rule.headings, rule.heading_locations) = split(&r.headings);
    rule.examples = r.examples.clone();
    rule.counter_examples = r.counter_examples.clone();
    rule.note = r.note.clone();
    Ok(FileRule {
        rule,
        replace: r.replace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<SourceFile, Error> {
        read_source("t.toml", text, Language::Fr)
    }

    #[test]
    fn reads_every_section() {
        let f = read(
            r#"
language = "fr"
disable = ["fr.bias"]
[settings]
negation_window = 4
[classes]
adj = ["faible{,s}"]
[extend]
adj = ["léger{,e,s,es}"]
[class_examples]
adj = ["faible"]
[categories.skills]
name = "Compétences"
advice = "Travaillez-les."
[facets.too_academic]
name = "Trop scolaire"
advice = "Soyez concret."
[generic_rejection]
name = "Refus sans motif"
advice = "Demandez un retour."
[[rule]]
id = "fr.skills.x"
category = "skills"
confidence = 0.7
negation = "strength"
patterns = ["compétences @adj"]
yields_to = ["salary"]
examples = ["compétences faibles"]
"#,
        )
        .unwrap();
        assert_eq!(f.disable[0].0, "fr.bias");
        assert_eq!(f.classes[0].entries[0].0, "faible{,s}");
        assert_eq!(f.extend[0].name, "adj");
        assert_eq!(f.categories[0].0, Category::Skills);
        assert_eq!(f.facets[0].0, Facet::TooAcademic);
        let r = &f.rules[0].rule;
        assert_eq!(r.negation, Negation::Strength);
        assert_eq!(r.yields_to, [Category::Salary]);
        assert!((r.confidence - 0.7).abs() < 1e-6);
        assert_eq!(r.location().to_string(), "t.toml:22:6");
        assert_eq!(
            r.location_of(crate::rule::PatternList::Patterns, 0).line,
            26
        );
        let mut s = Settings::default();
        f.settings.unwrap().0.apply(&mut s);
        assert_eq!(s.negation_window, 4);
    }

    #[test]
    fn unknown_fields_are_errors_with_position() {
        let e = read("[[rule]]\nid = \"fr.a\"\ncategory = \"skills\"\npattern = [\"x\"]\n")
            .unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("t.toml:4:1: "), "{msg}");
        assert!(msg.contains("unknown field `pattern`"), "{msg}");
    }

    #[test]
    fn bad_values_name_rule_and_reason() {
        let e = read("[[rule]]\nid = \"fr.a\"\ncategory = \"skill\"\npatterns = [\"x\"]\n")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.toml:3:12: category: rule `fr.a`: unknown category `skill` (expected one of: skills, experience, clarity, career_path, bias, salary, preparation, targeting, other_candidate, internal_criteria, economic_context, position_change, application_volume, strength, future_opportunity, feedback_offer)"
        );
        let e =
            read("[[rule]]\nid = \"fr.a\"\ncategory = \"skills\"\nconfidence = 1.5\n").unwrap_err();
        assert!(e.to_string().contains("1.5 is not in (0, 1]"));
        let e = read("[[rule]]\nid = \"fr.a\"\ncategory = \"skills\"\nnegation = \"maybe\"\n")
            .unwrap_err();
        assert!(e.to_string().contains("unknown negation policy `maybe`"));
        let e = read("[[rule]]\nid = \"Fr.A\"\ncategory = \"skills\"\n").unwrap_err();
        assert!(e.to_string().contains("segments are lower-case"));
        let e = read("language = \"en\"\n").unwrap_err();
        assert!(matches!(e, Error::WrongLanguage { .. }));
        let e = read("[classes]\n\"Bad-Name\" = [\"x\"]\n").unwrap_err();
        assert!(e.to_string().contains("class names are lower-case"));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let e = read("[[rule]]\nid = \"fr.a\n").unwrap_err();
        assert!(
            matches!(e, Error::Syntax { ref location, .. } if location.line == 2),
            "{e}"
        );
    }
}
