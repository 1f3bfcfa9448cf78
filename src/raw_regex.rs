//! A rule's raw regex, compiled when a statement first needs it.
//!
//! The `regex` crate takes about half a millisecond to compile each of
//! the French rules' raw regexes — their long alternations make large
//! automata — some fifteen milliseconds in all: with them, reading the
//! compiled ruleset back from its snapshot (see `snapshot`) would take
//! more than twice as long. Yet the literal prefilter
//! (see `prefilter`) keeps most statements from running any of them. So a
//! regex read from a snapshot is compiled the first time a statement needs
//! it, once, whichever thread gets there first; the others wait for it. A
//! regex the builder compiled (it had to, to report its errors) is kept as
//! it is.

use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};

use crate::ascii_classes::ascii_classes;
use crate::snapshot::{Corrupt, Reader, Snapshot, Writer};

/// A raw regex, compiled or not yet.
#[derive(Debug)]
pub(crate) struct RawRegex {
    source: Box<str>,
    /// The size limit to compile it with.
    max_bytes: usize,
    /// `None` if it failed to compile, which a regex that compiled when the
    /// snapshot was written, with the same crate, cannot do.
    compiled: OnceLock<Option<Regex>>,
}

impl RawRegex {
    /// Compiles `source` within `max_bytes` (for the compiled program; the
    /// lazy DFA's cache gets at most [`DFA_CACHE_BYTES`] of them).
    pub fn compile(source: &str, max_bytes: usize) -> Result<Self, regex::Error> {
        let regex = build(source, max_bytes)?;
        Ok(RawRegex {
            source: source.into(),
            max_bytes,
            compiled: OnceLock::from(Some(regex)),
        })
    }

    /// A regex known to compile, compiled on first use.
    pub fn lazy(source: &str, max_bytes: usize) -> Self {
        RawRegex {
            source: source.into(),
            max_bytes,
            compiled: OnceLock::new(),
        }
    }

    /// The regex's source.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The compiled regex, compiling it if needed.
    pub fn get(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| build(&self.source, self.max_bytes).ok())
            .as_ref()
    }
}

/// Written as its source and size limit; read back uncompiled.
impl Snapshot for RawRegex {
    fn write(&self, w: &mut Writer) {
        self.source.write(w);
        self.max_bytes.write(w);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        let source = r.str()?;
        Ok(RawRegex::lazy(source, r.int()?))
    }
}

/// Compiles `source` with its Perl classes and word boundaries read as
/// ASCII (see `ascii_classes`). Errors are those of `source` as written,
/// which is also what is compiled should only its ASCII form fail.
fn build(source: &str, max_bytes: usize) -> Result<Regex, regex::Error> {
    let compile = |source: &str| {
        RegexBuilder::new(source)
            .size_limit(max_bytes)
            .dfa_size_limit(DFA_CACHE_BYTES.min(max_bytes))
            .build()
    };
    match ascii_classes(source).map(|ascii| compile(&ascii)) {
        Some(Ok(regex)) => Ok(regex),
        // What is wrong is said of the regex as its author wrote it.
        _ => compile(source),
    }
}

/// The most memory one regex's lazy DFA may cache states in, per thread.
/// Statements are short: with the cache allowed as much as the program
/// (1 MiB), the French regexes took 6.9 MB once they had run, a third of
/// the classifier's heap, and no search was faster. Most automata, their
/// classes being ASCII (see `ascii_classes`), fit in 64 KiB; but a few
/// French regexes with long bounded repetitions of a negated class
/// (`[^:;.!?\n]{0,45}?`) outgrow it, and the `regex` crate then searches
/// with its backtracker, which costs little: on the first 3 000 lines of
/// the bench corpus, an analysis takes 1 103.2 M instructions with 64 KiB,
/// 1 094.8 M with 128 KiB and 1 077.8 M with 256 KiB (+2.4 % at most),
/// while `classify --jobs 2` (both rulesets, one cache per regex and
/// thread) peaks at 43.2–44.1, 47.4–47.8 and 48.5–49.1 MiB. The memory
/// budget (50 MB) is the tighter of the two.
const DFA_CACHE_BYTES: usize = 64 << 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lazy_regex_compiles_on_first_use_and_matches_as_a_compiled_one() {
        let source = r"\b(sur|parmi) [0-9]+ candidats";
        let lazy = RawRegex::lazy(source, 1 << 20);
        assert!(lazy.compiled.get().is_none());
        let text = "retenu parmi 120 candidats";
        let eager = RawRegex::compile(source, 1 << 20).expect("compiles");
        assert_eq!(
            lazy.get().and_then(|r| r.find(text)).map(|m| m.range()),
            eager.get().and_then(|r| r.find(text)).map(|m| m.range()),
        );
        assert!(lazy.compiled.get().is_some());
        assert_eq!(lazy.as_str(), source);
    }

    #[test]
    fn compiling_reports_errors_and_limits() {
        assert!(RawRegex::compile("(unclosed", 1 << 20).is_err());
        assert!(RawRegex::compile(r"\w{1000}", 1 << 10).is_err());
        assert!(RawRegex::lazy(r"\w{1000}", 1 << 10).get().is_none());
    }
}
