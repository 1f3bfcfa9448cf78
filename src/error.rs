//! Errors: what went wrong, where, and why.
//!
//! Loading a ruleset is the only fallible step of the crate (besides the
//! optional document size limit): every error names the file, the line and
//! column where the format gives one, the rule or class concerned and the
//! reason, so that a linguist editing a rule file can fix it without reading
//! Rust.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// A place in a rule file: file name, 1-based line and column.
///
/// ```
/// use recruiter_feedback::Location;
/// let at = Location::new("rules/skills.toml", 12, 5);
/// assert_eq!(at.to_string(), "rules/skills.toml:12:5");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file (or source name) the item comes from.
    pub file: Arc<str>,
    /// 1-based line; 0 when unknown.
    pub line: u32,
    /// 1-based column; 0 when unknown.
    pub column: u32,
}

impl Location {
    /// A location in `file` at `line`:`column`.
    ///
    /// ```
    /// use recruiter_feedback::Location;
    ///
    /// let at = Location::new("data/extra.toml", 7, 0);
    /// assert_eq!((&*at.file, at.line, at.column), ("data/extra.toml", 7, 0));
    /// // An unknown column (0) is left out of the display.
    /// assert_eq!(at.to_string(), "data/extra.toml:7");
    /// ```
    pub fn new(file: impl Into<Arc<str>>, line: u32, column: u32) -> Self {
        Location {
            file: file.into(),
            line,
            column,
        }
    }

    /// A location for items added through the API rather than a file.
    ///
    /// ```
    /// use recruiter_feedback::{Category, Location, Rule};
    ///
    /// let api = Location::api();
    /// assert_eq!((api.line, api.column), (0, 0));
    /// assert_eq!(api.to_string(), "<api>");
    /// assert_eq!(Rule::new("fr.skills.x", Category::Skills).location(), &api);
    /// ```
    pub fn api() -> Self {
        Location::new("<api>", 0, 0)
    }

    /// The location of byte `offset` in `source`, named `file`.
    #[cfg(test)]
    pub(crate) fn at(file: &str, source: &str, offset: usize) -> Self {
        LineIndex::new(file, source).locate(offset)
    }
}

/// Line starts of a source, to turn byte offsets into locations in
/// logarithmic time.
pub(crate) struct LineIndex<'a> {
    file: Arc<str>,
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `source`, named `file`.
    pub(crate) fn new(file: &str, source: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            file: Arc::from(file),
            source,
            starts,
        }
    }

    /// The location of byte `offset`.
    pub(crate) fn locate(&self, offset: usize) -> Location {
        let offset = offset.min(self.source.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let line_start = self.starts[line - 1];
        let column = self
            .source
            .get(line_start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Location {
            file: self.file.clone(),
            line: clamp(line),
            column: clamp(column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}", self.file),
            (l, 0) => write!(f, "{}:{l}", self.file),
            (l, c) => write!(f, "{}:{l}:{c}", self.file),
        }
    }
}

/// Everything that can go wrong while loading or compiling a ruleset, or
/// when a document exceeds the configured size.
///
/// Each variant carries the data to act on; `Display` prints one line of the
/// form `file:line:column: rule `id`: reason`.
///
/// ```
/// use recruiter_feedback::{Category, ClassifierBuilder, Error, Rule};
///
/// let mut builder = ClassifierBuilder::french();
/// builder.add_rule(Rule::new("fr.skills.sans_motif", Category::Skills));
/// let err = builder.build().unwrap_err();
/// assert!(matches!(&err, Error::NoPattern { rule, .. } if rule == "fr.skills.sans_motif"));
/// assert_eq!(
///     err.to_string(),
///     "<api>: rule `fr.skills.sans_motif` has no pattern (give `patterns`, `regex` or `headings`)"
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule file or directory could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },

    /// A rule file is not valid TOML, or a field has the wrong type or an
    /// unknown name.
    #[error("{location}: {message}")]
    Syntax {
        /// Where the parser stopped.
        location: Location,
        /// The parser's explanation.
        message: String,
    },

    /// A rule file declares another language than the ruleset's.
    #[error("{location}: file is for language `{found}`, the ruleset is `{expected}`")]
    WrongLanguage {
        /// Where the `language` key is.
        location: Location,
        /// The ruleset's language.
        expected: String,
        /// The file's language.
        found: String,
    },

    /// A rule, class, category or facet name is not valid.
    #[error("{location}: {what}{}: {reason}", rule_label(rule))]
    Invalid {
        /// Where the offending value is.
        location: Location,
        /// The rule concerned, if any.
        rule: Option<String>,
        /// What was being read ("category", "facet", "id", "confidence"…).
        what: &'static str,
        /// Why it is refused.
        reason: String,
    },

    /// A pattern does not parse.
    #[error(
        "{location}{}: pattern `{}`: at character {position}: {reason}",
        rule_label(rule),
        excerpt(pattern)
    )]
    Pattern {
        /// Where the pattern string is.
        location: Location,
        /// The rule (or `class:<name>`) the pattern belongs to.
        rule: Option<String>,
        /// The pattern text.
        pattern: String,
        /// 0-based character position of the problem in the pattern.
        position: usize,
        /// What is wrong.
        reason: String,
    },

    /// A raw regex does not compile, or exceeds the size limit.
    #[error("{location}: rule `{rule}`: regex `{}`: {reason}", excerpt(pattern))]
    Regex {
        /// Where the regex string is.
        location: Location,
        /// The rule the regex belongs to.
        rule: String,
        /// The regex text.
        pattern: String,
        /// The regex crate's explanation.
        reason: String,
    },

    /// A pattern refers to a word class nobody defined.
    #[error("{location}{}: unknown word class `@{class}`", rule_label(rule))]
    UnknownClass {
        /// Where the reference is.
        location: Location,
        /// The rule (or `class:<name>`) that refers to it.
        rule: Option<String>,
        /// The missing class.
        class: String,
    },

    /// Word classes refer to each other in a cycle.
    #[error("{location}: word class `{class}` refers to itself through {}", cycle.join(" -> "))]
    ClassCycle {
        /// Where the first class of the cycle is defined.
        location: Location,
        /// The class that closes the cycle.
        class: String,
        /// The classes along the cycle.
        cycle: Vec<String>,
    },

    /// Two rules (or two classes) have the same id.
    #[error("{second}: {what} `{id}` is already defined at {first}")]
    Duplicate {
        /// "rule" or "word class".
        what: &'static str,
        /// The repeated id.
        id: String,
        /// Where it was first defined.
        first: Location,
        /// Where it is defined again.
        second: Location,
    },

    /// A rule has no `patterns`, `regex` or `headings`.
    #[error("{location}: rule `{rule}` has no pattern (give `patterns`, `regex` or `headings`)")]
    NoPattern {
        /// Where the rule is.
        location: Location,
        /// The rule.
        rule: String,
    },

    /// A ruleset exceeds one of its [`Limits`](crate::Limits).
    #[error(
        "{location}{}: {what} is {found}, the limit is {limit}",
        rule_label(rule)
    )]
    Limit {
        /// Where the offending item is.
        location: Location,
        /// The rule concerned, if any.
        rule: Option<String>,
        /// What was counted.
        what: &'static str,
        /// How many there are.
        found: usize,
        /// How many are allowed.
        limit: usize,
    },

    /// A document is larger than [`Limits::max_document_bytes`](crate::Limits).
    #[error("document is {len} bytes, the limit is {limit} bytes")]
    DocumentTooLarge {
        /// The document's size in bytes.
        len: usize,
        /// The configured limit.
        limit: usize,
    },
}

/// A pattern as quoted in a message: long ones are cut, so that the
/// message stays one readable line.
fn excerpt(pattern: &str) -> String {
    const MAX: usize = 60;
    if pattern.chars().count() <= MAX {
        pattern.to_string()
    } else {
        let head: String = pattern.chars().take(MAX).collect();
        format!("{head}…")
    }
}

fn rule_label(rule: &Option<String>) -> String {
    match rule {
        Some(r) if r.starts_with("class:") => format!(": word class `{}`", &r[6..]),
        Some(r) => format!(": rule `{r}`"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_lines_and_characters() {
        let src = "a = 1\nbé = 2\n";
        assert_eq!(Location::at("f.toml", src, 0).to_string(), "f.toml:1:1");
        let at = src.find('=').unwrap();
        assert_eq!(Location::at("f.toml", src, at).to_string(), "f.toml:1:3");
        let at = src.rfind('=').unwrap();
        assert_eq!(Location::at("f.toml", src, at).to_string(), "f.toml:2:4");
    }

    #[test]
    fn messages_name_place_rule_and_reason() {
        let e = Error::Pattern {
            location: Location::new("r.toml", 3, 12),
            rule: Some("fr.skills.x".into()),
            pattern: "(a".into(),
            position: 0,
            reason: "`(` is never closed".into(),
        };
        assert_eq!(
            e.to_string(),
            "r.toml:3:12: rule `fr.skills.x`: pattern `(a`: at character 0: `(` is never closed"
        );
        let e = Error::UnknownClass {
            location: Location::new("l.toml", 2, 1),
            rule: Some("class:adj".into()),
            class: "adv".into(),
        };
        assert_eq!(
            e.to_string(),
            "l.toml:2:1: word class `adj`: unknown word class `@adv`"
        );
    }
}
