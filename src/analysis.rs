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
    ///
    /// ```
    /// use recruiter_feedback::{Category, Classifier};
    ///
    /// let a = Classifier::french().analyze(
    ///     "Nous gardons votre dossier. Votre anglais écrit n'était pas au niveau attendu.",
    /// );
    /// // Found as a signal, then a cause; listed in the guide's order.
    /// assert_eq!(a.categories(), [Category::Skills, Category::FutureOpportunity]);
    /// assert!(Classifier::french().analyze("Merci.").categories().is_empty());
    /// ```
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
///
/// ```
/// use recruiter_feedback::{Classifier, Role};
///
/// let mail = "Bonjour Monsieur,\n\nLe poste a été supprimé.\n\nBien à vous,\nGaspard Lenoir";
/// let a = Classifier::french().analyze(mail);
/// let roles: Vec<Role> = a.statements.iter().map(|s| s.role).collect();
/// assert_eq!(roles, [Role::Greeting, Role::Body, Role::Closing, Role::Signature]);
/// assert!(a.statements[0].findings.is_empty());
/// assert_eq!(a.statements[1].findings.len(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Ordinary content, including a courtesy line that says something
    /// ("Bonjour, vos prétentions sont trop élevées.") or turns the
    /// candidate down ("Cheers for applying – unfortunately it's a no").
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
    ///
    /// ```
    /// use recruiter_feedback::Role;
    ///
    /// assert_eq!(Role::Greeting.name(), "greeting");
    /// assert_eq!(Role::Signature.name(), "signature");
    /// for role in [Role::Body, Role::Greeting, Role::Closing, Role::Signature] {
    ///     let json = serde_json::to_string(&role).unwrap();
    ///     assert_eq!(json, format!("\"{}\"", role.name()));
    /// }
    /// ```
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
///
/// ```
/// use recruiter_feedback::{Category, Classifier, Role};
///
/// let text = "Your Excel level is too weak. \
///             We have received a very large number of applications.";
/// let a = Classifier::english().analyze(text);
/// assert_eq!(a.statements.len(), 2);
/// let second = &a.statements[1];
/// assert_eq!(second.text, "We have received a very large number of applications.");
/// assert_eq!(&text[second.start..second.end], second.text);
/// assert_eq!(second.role, Role::Body);
/// assert_eq!(second.findings[0].category, Category::ApplicationVolume);
/// ```
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
///
/// ```
/// use recruiter_feedback::{Category, Classifier, Facet, Kind};
///
/// let a = Classifier::french().analyze("Votre discours paraissait trop scolaire.");
/// let finding = a.findings().next().unwrap();
/// assert_eq!(finding.category, Category::Bias);
/// assert_eq!(finding.kind, Kind::Controllable);
/// assert_eq!(finding.facet, Some(Facet::TooAcademic));
/// assert!(finding.rule.starts_with("fr.bias."));
/// assert!(finding.confidence > 0.0 && finding.confidence <= 1.0);
/// assert!(!finding.negated);
/// ```
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
///
/// ```
/// use recruiter_feedback::Classifier;
///
/// let text = "Le recrutement est gelé pour des raisons budgétaires.";
/// let a = Classifier::french().analyze(text);
/// let evidence = a.findings().next().unwrap().evidence;
/// assert_eq!(evidence.text, "Le recrutement est gelé");
/// // Byte offsets: "é" takes two bytes.
/// assert_eq!((evidence.start, evidence.end), (0, 24));
/// assert_eq!(&text[evidence.start..evidence.end], evidence.text);
/// ```
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
///
/// ```
/// use recruiter_feedback::{Category, Classifier};
///
/// let a = Classifier::english()
///     .analyze("Your answers were too vague and we chose someone with more experience.");
/// let s = &a.summary;
/// assert_eq!(s.controllable, [Category::Clarity]);
/// assert_eq!(s.external, [Category::OtherCandidate]);
/// assert_eq!(s.primary_cause, Some(Category::OtherCandidate));
/// assert_eq!(s.controllable_share, Some(0.5));
/// assert!(!s.generic_rejection);
/// assert_eq!(s.advice.len(), 2);
/// ```
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
///
/// ```
/// use recruiter_feedback::{Classifier, Topic};
///
/// let a = Classifier::french()
///     .analyze("Après réflexion, nous avons choisi de ne pas donner suite à votre dossier.");
/// assert!(a.summary.generic_rejection);
/// assert_eq!(a.summary.advice[0].category, Topic::GenericRejection);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// A category that was found.
    Category(Category),
    /// A rejection without any cause.
    GenericRejection,
}

impl Topic {
    /// The `snake_case` name: the category's, or `generic_rejection`.
    ///
    /// ```
    /// use recruiter_feedback::{Category, Topic};
    ///
    /// assert_eq!(Topic::Category(Category::CareerPath).name(), "career_path");
    /// assert_eq!(Topic::GenericRejection.name(), "generic_rejection");
    /// ```
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
///
/// ```
/// use recruiter_feedback::{Category, Classifier, Facet, Topic};
///
/// let a = Classifier::french().analyze("Pendant l'oral, vous sembliez très hésitant.");
/// let advice = &a.summary.advice[0];
/// assert_eq!(advice.category, Topic::Category(Category::Bias));
/// assert_eq!(advice.facet, Some(Facet::Underconfident));
/// assert_eq!(&*advice.title, "Manque d'assurance");
/// assert!(!advice.text.is_empty());
/// ```
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
