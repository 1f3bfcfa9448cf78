//! Rules as data: what a rule file's `[[rule]]` entry holds.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::error::Location;
use crate::taxonomy::{Category, Facet};

/// What a negation in front of a rule's match does.
///
/// French negation is discontinuous (`ne … pas`, `n'… plus`, `sans`,
/// `aucun`…) and does not always cancel: "vous ne manquez pas d'expérience"
/// praises, "vous ne maîtrisez pas Excel" *is* the cue. Each rule says which
/// reading applies to it. More policies may come: the enum is
/// `#[non_exhaustive]`, so a `match` on it outside this crate needs a `_`
/// arm.
///
/// ```
/// use recruiter_feedback::Negation;
/// assert_eq!("strength".parse::<Negation>().unwrap(), Negation::Strength);
/// assert_eq!("named".parse::<Negation>().unwrap(), Negation::Named);
/// assert_eq!(Negation::default(), Negation::Cancel);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Negation {
    /// A negated match is dropped: "ce n'est pas une question de
    /// compétences" is not `skills`.
    #[default]
    Cancel,
    /// A negated match is a [`Category::Strength`]: "vous ne manquez pas
    /// d'expérience".
    Strength,
    /// Negation is ignored: the pattern already says what it means,
    /// negation included ("vous ne maîtrisez pas", "le poste n'existe plus"),
    /// or a negation before the match is itself the cue ("vous n'avez pas su
    /// expliquer ce trou").
    Keep,
    /// A match that holds a negation (a word its pattern names, "votre
    /// anglais n'a *pas* tenu la route", or one in a gap) says what it
    /// means and ignores any other, as with [`Keep`](Negation::Keep), except
    /// a denial of a reason before it or around its own negation ("it's
    /// *not a question of* your qualifications"), which drops it; a
    /// match that holds none is cancelled by a negation before it, as with
    /// [`Cancel`](Negation::Cancel): "je ne dirais pas que votre anglais a
    /// posé problème". For rules whose patterns are of both kinds.
    Named,
}

impl Negation {
    /// The name used in rule files.
    ///
    /// ```
    /// use recruiter_feedback::Negation;
    ///
    /// assert_eq!(Negation::Cancel.name(), "cancel");
    /// assert_eq!(Negation::Keep.to_string(), "keep");
    /// for n in [Negation::Cancel, Negation::Strength, Negation::Keep, Negation::Named] {
    ///     assert_eq!(n.name().parse::<Negation>(), Ok(n));
    /// }
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Negation::Cancel => "cancel",
            Negation::Strength => "strength",
            Negation::Keep => "keep",
            Negation::Named => "named",
        }
    }
}

impl fmt::Display for Negation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Negation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "cancel" => Ok(Negation::Cancel),
            "strength" => Ok(Negation::Strength),
            "keep" => Ok(Negation::Keep),
            "named" => Ok(Negation::Named),
            _ => Err(format!(
                "unknown negation policy `{s}` (expected one of: cancel, strength, keep, named)"
            )),
        }
    }
}

/// One classification rule, as written in a rule file (uncompiled).
///
/// A rule fires on a statement when one of its `patterns` (or `regex`)
/// matches and none of its `unless` patterns matches in the same clause; the
/// [`Negation`] policy then decides what a negation in front of the match
/// does. Its `examples` must make it fire and its `counter_examples` must
/// not: [`Classifier::check_rules`](crate::Classifier::check_rules) runs
/// them.
///
/// ```
/// use recruiter_feedback::{Category, ClassifierBuilder, Rule};
///
/// let mut rule = Rule::new("fr.skills.permis_caces", Category::Skills);
/// rule.patterns.push("pas (de | le) caces".into());
/// rule.examples.push("Vous n'avez pas le CACES exigé.".into());
///
/// let mut builder = ClassifierBuilder::french();
/// builder.add_rule(rule);
/// let classifier = builder.build().unwrap();
/// assert!(classifier.check_rules().is_empty());
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Rule {
    /// Unique, hierarchical id: `fr.skills.lacunes`. Segments are
    /// lower-case letters, digits and `_`, separated by dots.
    pub id: String,
    /// The category a match reports.
    pub category: Category,
    /// The facet, required for [`Category::Bias`] and refused otherwise.
    pub facet: Option<Facet>,
    /// How sure a match makes us, in `(0, 1]`.
    pub confidence: f32,
    /// Patterns in the pattern language (see the crate documentation).
    pub patterns: Vec<String>,
    /// Raw regexes, matched against the folded text (lower case, no
    /// accents): the escape hatch for what patterns cannot say. `\w`,
    /// `\d`, `\s` and `\b` are read as ASCII, like the folded text's
    /// letters.
    pub regex: Vec<String>,
    /// Patterns that, found in the same clause, stop the rule.
    pub unless: Vec<String>,
    /// Patterns that stop the rule only where they overlap its match or
    /// touch it (at most [`NEAR_WORDS`](crate::NEAR_WORDS) words away): a
    /// guard that does not silence the rest of the clause.
    pub unless_near: Vec<String>,
    /// Patterns of a heading: a line that one of them matches whole
    /// ("Points forts :", "What went well:") makes the rule report each
    /// list item under it that reports nothing by itself ("- aisance à
    /// l'oral"), with that item as evidence. The list runs over the
    /// following lines that start with a list mark (`-`, `•`, `*`, `1.`…)
    /// or are a short fragment, up to a blank line or any other line.
    pub headings: Vec<String>,
    /// What negation in front of a match does.
    pub negation: Negation,
    /// Categories that take precedence: when one of them is found in the
    /// stretch of the statement between strong punctuation (`;`, `:`, `?`,
    /// `!`) that this rule's match reaches, its finding is dropped
    /// ("budget" in a salary clause is not `economic_context`; after a
    /// `;`, it may be).
    pub yields_to: Vec<Category>,
    /// Texts the rule must fire on.
    pub examples: Vec<String>,
    /// Texts the rule must not fire on.
    pub counter_examples: Vec<String>,
    /// A free comment for the people who maintain the rule.
    pub note: Option<String>,
    pub(crate) location: Location,
    pub(crate) pattern_locations: Vec<Location>,
    pub(crate) regex_locations: Vec<Location>,
    pub(crate) unless_locations: Vec<Location>,
    pub(crate) unless_near_locations: Vec<Location>,
    pub(crate) heading_locations: Vec<Location>,
}

impl Rule {
    /// A rule with an id and a category, no pattern yet, confidence 0.8 and
    /// the default negation policy.
    ///
    /// ```
    /// use recruiter_feedback::{Category, Negation, Rule};
    ///
    /// let rule = Rule::new("en.salary.over_band", Category::Salary);
    /// assert_eq!(rule.id, "en.salary.over_band");
    /// assert_eq!(rule.category, Category::Salary);
    /// assert_eq!(rule.confidence, 0.8);
    /// assert_eq!(rule.negation, Negation::Cancel);
    /// assert!(rule.patterns.is_empty() && rule.facet.is_none());
    /// ```
    pub fn new(id: impl Into<String>, category: Category) -> Self {
        Rule {
            id: id.into(),
            category,
            facet: None,
            confidence: 0.8,
            patterns: Vec::new(),
            regex: Vec::new(),
            unless: Vec::new(),
            unless_near: Vec::new(),
            headings: Vec::new(),
            negation: Negation::default(),
            yields_to: Vec::new(),
            examples: Vec::new(),
            counter_examples: Vec::new(),
            note: None,
            location: Location::api(),
            pattern_locations: Vec::new(),
            regex_locations: Vec::new(),
            unless_locations: Vec::new(),
            unless_near_locations: Vec::new(),
            heading_locations: Vec::new(),
        }
    }

    /// Where the rule was defined (`<api>` for rules built in code).
    ///
    /// ```
    /// use recruiter_feedback::{Category, ClassifierBuilder, Rule};
    ///
    /// let toml = r#"[[rule]]
    /// id = "en.skills.cobol"
    /// category = "skills"
    /// patterns = ["no cobol"]
    /// "#;
    /// let classifier = ClassifierBuilder::english().add_source("extra.toml", toml).build()?;
    /// let rule = classifier.rules().iter().find(|r| r.id == "en.skills.cobol").unwrap();
    /// // Line 2, column 6: where the rule's `id` value starts.
    /// assert_eq!(rule.location().to_string(), "extra.toml:2:6");
    /// assert_eq!(Rule::new("en.skills.x", Category::Skills).location().to_string(), "<api>");
    /// # Ok::<(), recruiter_feedback::Error>(())
    /// ```
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Where pattern `i` of `list` is, falling back to the rule itself.
    pub(crate) fn location_of(&self, list: PatternList, i: usize) -> Location {
        let locations = match list {
            PatternList::Patterns => &self.pattern_locations,
            PatternList::Regex => &self.regex_locations,
            PatternList::Unless => &self.unless_locations,
            PatternList::UnlessNear => &self.unless_near_locations,
            PatternList::Headings => &self.heading_locations,
        };
        locations
            .get(i)
            .cloned()
            .unwrap_or_else(|| self.location.clone())
    }

    /// True when `prefix` names this rule or a group containing it
    /// (`fr.bias` covers `fr.bias.scolaire`, not `fr.biased`).
    ///
    /// ```
    /// use recruiter_feedback::{Category, Rule};
    ///
    /// let rule = Rule::new("en.salary.over_band", Category::Salary);
    /// assert!(rule.is_in_group("en.salary"));
    /// assert!(rule.is_in_group("en"));
    /// assert!(rule.is_in_group("en.salary.over_band"));
    /// assert!(!rule.is_in_group("en.sal"));
    /// assert!(!rule.is_in_group("en.skills"));
    /// ```
    pub fn is_in_group(&self, prefix: &str) -> bool {
        let prefix = prefix.trim_end_matches('.');
        self.id == prefix
            || (self.id.starts_with(prefix) && self.id.as_bytes().get(prefix.len()) == Some(&b'.'))
    }
}

/// Which pattern list of a rule an index refers to.
#[derive(Clone, Copy, Debug)]
pub(crate) enum PatternList {
    Patterns,
    Regex,
    Unless,
    UnlessNear,
    Headings,
}

/// Checks the shape of a rule id.
pub(crate) fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("rule id is empty".into());
    }
    for segment in id.split('.') {
        if segment.is_empty()
            || !segment
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(format!(
                "rule id `{id}`: segments are lower-case ASCII letters, digits and `_`, separated by single dots"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_follow_dots() {
        let r = Rule::new("fr.bias.scolaire", Category::Bias);
        assert!(r.is_in_group("fr"));
        assert!(r.is_in_group("fr.bias"));
        assert!(r.is_in_group("fr.bias."));
        assert!(r.is_in_group("fr.bias.scolaire"));
        assert!(!r.is_in_group("fr.bia"));
        assert!(!r.is_in_group("fr.bias.scolaire.x"));
    }

    #[test]
    fn ids_are_checked() {
        assert!(check_id("fr.skills.lacunes_2").is_ok());
        assert!(check_id("fr..x").is_err());
        assert!(check_id("fr.Skills").is_err());
        assert!(check_id("").is_err());
        assert!(check_id("fr.é").is_err());
    }
}
