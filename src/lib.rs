//! # recruiter-feedback
//!
//! Reads the feedback a candidate gets after a rejection — an e-mail, call
//! notes, a message — and tells what it actually says:
//!
//! * **controllable causes**, what depends on the candidate: skills,
//!   experience, clarity of answers, career path, a posture perceived in the
//!   interview (*bias*, with a facet such as `too_academic`), salary
//!   expectations, preparation, targeting;
//! * **external causes**, what does not: another candidate chosen, internal
//!   criteria, the economic context, a position cancelled, the volume of
//!   applications;
//! * **signals** worth keeping: strengths noted, an open door, an offer to
//!   talk;
//!
//! each with the rule that found it and the evidence quoted from the
//! original text, and a summary with advice for each cause found.
//!
//! ```
//! use recruiter_feedback::{Category, Classifier, Kind};
//!
//! let mail = "Bonjour Madame,\n\n\
//!     Votre maîtrise du droit social nous a convaincus, mais votre expérience \
//!     des audiences reste limitée. Nous avons par ailleurs reçu de très \
//!     nombreuses candidatures.\n\n\
//!     Cordialement,\nMe Perrin";
//! let analysis = Classifier::french().analyze(mail);
//! let s = &analysis.summary;
//! assert_eq!(s.controllable, [Category::Experience]);
//! assert_eq!(s.external, [Category::ApplicationVolume]);
//! assert_eq!(s.signals, [Category::Strength]);
//! for finding in analysis.findings() {
//!     // Evidence is a byte range of the original text.
//!     assert_eq!(&mail[finding.evidence.start..finding.evidence.end], finding.evidence.text);
//! }
//! ```
//!
//! ## Rules are data
//!
//! Classification is done by rules written in TOML files (`data/fr/` and
//! `data/en/` in the crate), in a small pattern language made for feedback —
//! whole words, accent- and case-insensitive, stems (`compéten*`), suffix
//! sets (`motivé{,e,s,es}`), alternatives, optional words, bounded gaps
//! (`~3`), shared word classes (`@insuffisant`) — so that HR specialists and
//! linguists extend it without touching Rust. The engine knows no word of
//! any language. The French and English rules are embedded in the crate
//! ([`Classifier::french`], [`Classifier::english`]); [`ClassifierBuilder`]
//! loads other rule files, adds, replaces or disables rules, and adds words
//! to classes. Every rule carries examples and counter-examples that
//! [`Classifier::check_rules`] runs. `data/README.md` documents the file
//! format and the pattern language.
//!
//! ## French first, English next
//!
//! The French ruleset is the mature one; the English one is younger (see
//! the README's accuracy figures). When documents may come in either
//! language, [`Classifier::detect`] picks, per document, the classifier
//! whose language the text is written in:
//!
//! ```
//! use recruiter_feedback::{Category, Classifier, Language};
//!
//! let both = [Classifier::french(), Classifier::english()];
//! for text in ["Le poste a été pourvu en interne.", "We have filled the position internally."] {
//!     let classifier = Classifier::detect(&both, text).expect("two classifiers");
//!     let analysis = classifier.analyze(text);
//!     assert_eq!(analysis.summary.external, [Category::OtherCandidate]);
//! }
//! ```
//!
//! ## Guarantees
//!
//! * Analysis never panics and never fails, whatever the text (use
//!   [`Classifier::try_analyze`] to enforce a size limit).
//! * Every offset is a byte offset into the original text, on a character
//!   boundary.
//! * A [`Classifier`] is immutable, `Send + Sync` and cheap to clone.
//! * The library never prints.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod analysis;
mod ascii_classes;
mod atoms;
mod builder;
mod classifier;
mod data;
mod embedded;
mod error;
mod forest;
mod graph;
mod limits;
mod marks;
mod matcher;
mod normalize;
mod pattern;
mod prefilter;
mod raw_regex;
mod rule;
mod segment;
mod semantics;
mod shorthand;
mod slips;
mod snapshot;
mod taxonomy;
mod token;

pub use analysis::{Advice, Analysis, Evidence, Finding, Role, Statement, Summary, Topic};
pub use builder::ClassifierBuilder;
pub use classifier::{CheckFailure, CheckKind, Classifier, NEAR_WORDS, Statements, internals};
pub use error::{Error, Location};
pub use limits::Limits;
pub use rule::{Negation, Rule};
pub use taxonomy::{Category, Facet, Kind, Language, UnknownName};

/// The README's code blocks are compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
