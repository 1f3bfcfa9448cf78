//! Bounds on what a ruleset and a document may ask of the engine.
//!
//! Rule files may come from untrusted hands and documents from anyone, so
//! every quantity that drives time or memory has a ceiling. The defaults are
//! far above what the French ruleset and real feedback need; exceeding one
//! is a clear error, never a hang.

/// Ceilings applied when compiling a ruleset and when analysing text.
///
/// ```
/// use recruiter_feedback::{ClassifierBuilder, Limits};
///
/// let limits = Limits { max_gap: 4, ..Limits::default() };
/// let mut builder = ClassifierBuilder::french();
/// builder.limits(limits);
/// // The French rules use gaps of up to 14 words, so this is refused:
/// assert!(builder.build().is_err());
/// ```
///
/// Build it with struct update syntax from the defaults, as above, so that
/// limits added later keep their defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest pattern, in characters.
    pub max_pattern_chars: usize,
    /// Most alternatives in one group (or suffixes in one `{…}` set).
    pub max_alternatives: usize,
    /// Widest gap `~N`, in words.
    pub max_gap: usize,
    /// Shortest stem for `stem*`, in letters.
    pub min_stem_chars: usize,
    /// Most rules in a ruleset.
    pub max_rules: usize,
    /// Most patterns (and regexes) in one rule.
    pub max_patterns_per_rule: usize,
    /// Most entries in one word class.
    pub max_class_entries: usize,
    /// Most bytes of compiled program for one regex (the `regex` crate's
    /// size limit).
    pub max_regex_bytes: usize,
    /// Largest document [`Classifier::try_analyze`](crate::Classifier::try_analyze)
    /// accepts, in bytes.
    pub max_document_bytes: usize,
    /// Longest statement, in bytes: a longer run of text without sentence
    /// punctuation is cut at a space so that the work per statement stays
    /// bounded.
    pub max_statement_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_pattern_chars: 2_000,
            max_alternatives: 512,
            max_gap: 16,
            min_stem_chars: 3,
            max_rules: 20_000,
            max_patterns_per_rule: 256,
            max_class_entries: 10_000,
            max_regex_bytes: 1 << 20,
            max_document_bytes: 64 << 20,
            max_statement_bytes: 16 << 10,
        }
    }
}
