//! The labels of the taxonomy: categories, their kinds, bias facets and
//! languages.
//!
//! Every label has one stable `snake_case` name, used in rule files, in the
//! JSON output and by [`FromStr`] / [`Display`](std::fmt::Display). The names are the contract
//! shared with the labelled corpora, so they never change; human-readable
//! display names and advice live in the data files instead.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Declares a fieldless enum whose variants each have one stable
/// `snake_case` name, with `ALL`, `name()`, `Display`, `FromStr` and serde.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in the order of the labelling guide.
            ///
            /// ```
            /// use recruiter_feedback::{Category, Facet, Kind, Language};
            ///
            /// assert_eq!(Kind::ALL, [Kind::Controllable, Kind::External, Kind::Signal]);
            /// assert_eq!(Language::ALL, [Language::Fr, Language::En]);
            /// assert_eq!((Category::ALL.len(), Facet::ALL.len()), (16, 8));
            /// assert_eq!(Category::ALL.first(), Some(&Category::Skills));
            /// assert_eq!(Category::ALL.last(), Some(&Category::FeedbackOffer));
            /// // Causes the candidate controls first, then external causes, then signals.
            /// assert!(Category::ALL.windows(2).all(|w| w[0].kind() <= w[1].kind()));
            /// ```
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable `snake_case` name used in rule files and JSON.
            ///
            /// ```
            /// use recruiter_feedback::{Category, Facet, Kind, Language};
            ///
            /// assert_eq!(Category::OtherCandidate.name(), "other_candidate");
            /// assert_eq!(Facet::LacksEnthusiasm.name(), "lacks_enthusiasm");
            /// assert_eq!(Kind::External.name(), "external");
            /// assert_eq!(Language::En.name(), "en");
            /// for &c in Category::ALL {
            ///     assert_eq!(c.name().parse::<Category>(), Ok(c));
            /// }
            /// ```
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownName {
                        what: $what,
                        name: s.to_string(),
                        expected: &[$($text),+],
                    }),
                }
            }
        }
    };
}

named_enum! {
    /// Whether a category is a cause the candidate controls, an external
    /// cause, or a signal worth keeping.
    ///
    /// ```
    /// use recruiter_feedback::{Category, Kind};
    /// assert_eq!(Category::Salary.kind(), Kind::Controllable);
    /// assert_eq!("signal".parse::<Kind>().unwrap(), Kind::Signal);
    /// ```
    Kind, "kind" {
        /// Depends on the candidate: something to work on.
        Controllable => "controllable",
        /// Does not depend on the candidate: something to let go.
        External => "external",
        /// Not a cause, but useful to the candidate.
        Signal => "signal",
    }
}

named_enum! {
    /// What a finding is about, as defined by the labelling guide.
    ///
    /// ```
    /// use recruiter_feedback::Category;
    /// let c: Category = "career_path".parse().unwrap();
    /// assert_eq!(c, Category::CareerPath);
    /// assert_eq!(c.to_string(), "career_path");
    /// assert!("careerpath".parse::<Category>().is_err());
    /// ```
    Category, "category" {
        /// Missing or insufficient knowledge, skills, tools, languages.
        Skills => "skills",
        /// Insufficient experience: years, seniority, sector, management.
        Experience => "experience",
        /// Unclear, unstructured or vague answers; achievements not shown.
        Clarity => "clarity",
        /// A career path that seems inconsistent: gaps, short jobs, changes.
        CareerPath => "career_path",
        /// A posture perceived in the interview; always has a [`Facet`].
        Bias => "bias",
        /// Salary expectations misaligned with the role.
        Salary => "salary",
        /// Insufficient preparation or motivation shown.
        Preparation => "preparation",
        /// The application does not target this role.
        Targeting => "targeting",
        /// Another person was chosen; the position is filled.
        OtherCandidate => "other_candidate",
        /// Internal policy or criteria; a management decision.
        InternalCriteria => "internal_criteria",
        /// Economic, budgetary or market reasons; company-wide freeze.
        EconomicContext => "economic_context",
        /// This position was cancelled, frozen, postponed or redefined.
        PositionChange => "position_change",
        /// A large number of applications; strong competition.
        ApplicationVolume => "application_volume",
        /// A positive point noted about the candidate.
        Strength => "strength",
        /// The door stays open: CV kept, will recontact, apply again.
        FutureOpportunity => "future_opportunity",
        /// An offer to discuss or give more detailed feedback.
        FeedbackOffer => "feedback_offer",
    }
}

impl Category {
    /// The kind of this category: controllable, external or signal.
    ///
    /// ```
    /// use recruiter_feedback::{Category, Kind};
    ///
    /// assert_eq!(Category::Experience.kind(), Kind::Controllable);
    /// assert_eq!(Category::PositionChange.kind(), Kind::External);
    /// assert_eq!(Category::FeedbackOffer.kind(), Kind::Signal);
    /// ```
    pub const fn kind(self) -> Kind {
        use Category::*;
        match self {
            Skills | Experience | Clarity | CareerPath | Bias | Salary | Preparation
            | Targeting => Kind::Controllable,
            OtherCandidate | InternalCriteria | EconomicContext | PositionChange
            | ApplicationVolume => Kind::External,
            Strength | FutureOpportunity | FeedbackOffer => Kind::Signal,
        }
    }

    /// True for controllable and external categories, false for signals.
    ///
    /// ```
    /// use recruiter_feedback::Category;
    /// assert!(Category::EconomicContext.is_cause());
    /// assert!(!Category::Strength.is_cause());
    /// ```
    pub const fn is_cause(self) -> bool {
        !matches!(self.kind(), Kind::Signal)
    }
}

named_enum! {
    /// The posture a [`Category::Bias`] finding describes.
    ///
    /// ```
    /// use recruiter_feedback::Facet;
    /// assert_eq!("too_academic".parse::<Facet>().unwrap(), Facet::TooAcademic);
    /// ```
    Facet, "facet" {
        /// Too academic, theoretical, recited.
        TooAcademic => "too_academic",
        /// Overconfident, arrogant, condescending.
        Overconfident => "overconfident",
        /// Too technical, too much jargon or detail.
        TooTechnical => "too_technical",
        /// Lacking assurance, hesitant, stressed, shy.
        Underconfident => "underconfident",
        /// Reserved, withdrawn, distant, cold.
        TooReserved => "too_reserved",
        /// Too long, talkative, digressive.
        TooVerbose => "too_verbose",
        /// Too familiar, too casual in tone or dress.
        TooCasual => "too_casual",
        /// Lacking enthusiasm, energy, drive.
        LacksEnthusiasm => "lacks_enthusiasm",
    }
}

named_enum! {
    /// The language of a ruleset and of the feedback it reads.
    ///
    /// ```
    /// use recruiter_feedback::Language;
    /// assert_eq!(Language::Fr.to_string(), "fr");
    /// ```
    Language, "language" {
        /// French.
        Fr => "fr",
        /// English.
        En => "en",
    }
}

/// A name that is not one of the taxonomy's labels.
///
/// ```
/// use recruiter_feedback::Facet;
/// let err = "shy".parse::<Facet>().unwrap_err();
/// assert!(err.to_string().contains("unknown facet `shy`"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{name}` (expected one of: {})", expected.join(", "))]
pub struct UnknownName {
    /// What was being parsed: "category", "facet", "kind" or "language".
    pub what: &'static str,
    /// The name that was given.
    pub name: String,
    /// The names that would have been accepted.
    pub expected: &'static [&'static str],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Category::ALL {
            assert_eq!(c.name().parse::<Category>().unwrap(), *c);
        }
        for f in Facet::ALL {
            assert_eq!(f.to_string().parse::<Facet>().unwrap(), *f);
        }
        assert_eq!(Category::ALL.len(), 16);
        assert_eq!(Facet::ALL.len(), 8);
    }

    #[test]
    fn kinds_follow_the_guide() {
        let count = |k| Category::ALL.iter().filter(|c| c.kind() == k).count();
        assert_eq!(count(Kind::Controllable), 8);
        assert_eq!(count(Kind::External), 5);
        assert_eq!(count(Kind::Signal), 3);
    }

    #[test]
    fn serde_uses_snake_case() {
        let json = serde_json::to_string(&Category::OtherCandidate).unwrap();
        assert_eq!(json, "\"other_candidate\"");
        let back: Facet = serde_json::from_str("\"lacks_enthusiasm\"").unwrap();
        assert_eq!(back, Facet::LacksEnthusiasm);
    }
}
