//! What an analysis reports: statements, findings with their evidence, and
//! the document summary.
//!
//! These types serialize (with `serde`) to the JSON output contract of the
//! labelling guide: every span is a byte range of the original text, on
//! character boundaries, so `&text[start..end]` is the evidence as the
//! recruiter wrote it.

use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::taxonomy::{Category, Facet, Kind, Language};

/// The analysis of one document.
///
/// ```
/// use recruiter_feedback::{Category, Classifier};
///
/// let text = "Vos prétentions salariales dépassent notre budget.";
/// let analysis = Classifier::french().analyze(text);
/// assert_eq!(analysis.summary.controllable, [Category::Salary]);
/// assert!(analysis.summary.external.is_empty());
/// let finding = &analysis.statements[0].findings[0];
/// assert_eq!(&text[finding.evidence.start..finding.evidence.end], finding.evidence.text);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis<'t> {
    /// The language of the ruleset that produced the analysis.
    pub language: Language,
    /// The statements of the document, in order.
    pub statements: Vec<Statement<'t>>,
    /// What the document says as a whole.
    pub summary: Summary,
}

impl Analysis<'_> {
    /// Every finding of the document, in text order.
    ///
    /// ```
    /// use recruiter_feedback::Classifier;
    /// let a = Classifier::french().analyze("Profil trop junior. Le poste a été pourvu.");
    /// assert_eq!(a.findings().count(), 2);
    /// ```
    pub fn findings(&self) -> impl Iterator<Item = &Finding<'_>> {
        self.statements.iter().flat_map(|s| s.findings.iter())
    }

    /// The categories found, causes and signals, in the guide's order.
    pub fn categories(&self) -> Vec<Category> {
        let s = &self.summary;
        let mut all: Vec<Category> = s
            .controllable
            .iter()
            .chain(&s.external)
            .chain(&s.signals)
            .copied()
            .collect();
        all.sort();
        all
    }
}

/// The part a statement plays in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Ordinary content.
    Body,
    /// A greeting line ("Bonjour Madame,"): carries no finding.
    Greeting,
    /// A closing formula ("Cordialement,"): carries no finding.
    Closing,
    /// A short line after the closing (name, title, company): carries no
    /// finding.
    Signature,
}

impl Role {
    /// The `snake_case` name used in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            Role::Body => "body",
            Role::Greeting => "greeting",
            Role::Closing => "closing",
            Role::Signature => "signature",
        }
    }
}

/// One statement of the document: a sentence, a bullet, a line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Statement<'t> {
    /// Byte offset of the statement in the original text.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// The statement as written.
    pub text: &'t str,
    /// Greeting, body, closing or signature.
    pub role: Role,
    /// What the statement says, in text order.
    pub findings: Vec<Finding<'t>>,
}

/// One thing a statement says, with the rule that found it and the evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding<'t> {
    /// What it is about.
    pub category: Category,
    /// Controllable, external or signal (derived from the category).
    pub kind: Kind,
    /// For [`Category::Bias`], the posture; `None` otherwise.
    pub facet: Option<Facet>,
    /// The id of the rule that fired.
    #[serde(serialize_with = "serialize_arc_str")]
    pub rule: Arc<str>,
    /// The rule's confidence, lowered when the statement is hedged.
    pub confidence: f32,
    /// True when a negation turned a deficit into this strength.
    pub negated: bool,
    /// Where in the original text the finding comes from.
    pub evidence: Evidence<'t>,
}

/// A span of the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence<'t> {
    /// Byte offset in the original text.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// `&text[start..end]`.
    pub text: &'t str,
}

/// The document as a whole: causes by kind, the primary cause, advice.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Causes that depend on the candidate, in the guide's order.
    pub controllable: Vec<Category>,
    /// Causes that do not, in the guide's order.
    pub external: Vec<Category>,
    /// Signals worth keeping, in the guide's order.
    pub signals: Vec<Category>,
    /// The distinct postures of the bias findings.
    pub facets: Vec<Facet>,
    /// The cause with the most weight (summed confidence; the earliest on a
    /// tie), if any cause was found.
    pub primary_cause: Option<Category>,
    /// Controllable causes / all causes, when there is a cause.
    pub controllable_share: Option<f64>,
    /// The document says no without giving any cause.
    pub generic_rejection: bool,
    /// What to do: one entry per cause (primary first), per bias facet, per
    /// signal, and for a generic rejection.
    pub advice: Vec<Advice>,
}

/// What an advice entry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// A category that was found.
    Category(Category),
    /// A rejection without any cause.
    GenericRejection,
}

impl Topic {
    /// The `snake_case` name: the category's, or `generic_rejection`.
    pub fn name(self) -> &'static str {
        match self {
            Topic::Category(c) => c.name(),
            Topic::GenericRejection => "generic_rejection",
        }
    }
}

impl Serialize for Topic {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// One piece of advice from the ruleset's data files.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Advice {
    /// What the advice is about.
    pub category: Topic,
    /// For bias advice, the posture it addresses.
    pub facet: Option<Facet>,
    /// The display name of the topic (from the data files).
    #[serde(serialize_with = "serialize_arc_str")]
    pub title: Arc<str>,
    /// The advice itself.
    #[serde(serialize_with = "serialize_arc_str")]
    pub text: Arc<str>,
}

fn serialize_arc_str<S: Serializer>(v: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v)
}
