//! Embeds the rulesets (French, English), and compiles them.
//!
//! - Lists every file under `data/fr` and `data/en` so that the library includes them
//!   with `include_str!`: adding a rule file needs no Rust change.
//! - Compiles them with the library's own compiler — its modules, included
//!   below, are the library's source files — and writes the compiled
//!   classifier as a snapshot (see `src/snapshot.rs`), which
//!   `ClassifierBuilder::french().build()` (or `english()`) reads back instead of compiling
//!   the ruleset at run time. Cargo reruns this script when a data file or
//!   one of these source files changes, so the snapshot is never stale.
//!
//! A ruleset that does not compile is no build error: the snapshot is left
//! empty, and the library compiles the sources at run time and reports
//! what is wrong with them, with their file and line, as it always does.

// The library's modules, compiled here only to build the snapshot: most
// of what they offer is unused in this script. A module added to
// `src/lib.rs` is added below too.
#![allow(dead_code, unused_imports)]

use std::borrow::Cow;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

#[path = "src/analysis.rs"]
mod analysis;
#[path = "src/ascii_classes.rs"]
mod ascii_classes;
#[path = "src/atoms.rs"]
mod atoms;
#[path = "src/builder.rs"]
mod builder;
#[path = "src/classifier.rs"]
mod classifier;
#[path = "src/data.rs"]
mod data;
#[path = "src/error.rs"]
mod error;
#[path = "src/forest.rs"]
mod forest;
#[path = "src/graph.rs"]
mod graph;
#[path = "src/limits.rs"]
mod limits;
#[path = "src/marks.rs"]
mod marks;
#[path = "src/matcher.rs"]
mod matcher;
#[path = "src/normalize.rs"]
mod normalize;
#[path = "src/pattern.rs"]
mod pattern;
#[path = "src/prefilter.rs"]
mod prefilter;
#[path = "src/raw_regex.rs"]
mod raw_regex;
#[path = "src/rule.rs"]
mod rule;
#[path = "src/segment.rs"]
mod segment;
#[path = "src/semantics.rs"]
mod semantics;
#[path = "src/shorthand.rs"]
mod shorthand;
#[path = "src/slips.rs"]
mod slips;
#[path = "src/snapshot.rs"]
mod snapshot;
#[path = "src/taxonomy.rs"]
mod taxonomy;
#[path = "src/token.rs"]
mod token;

/// What the library embeds; this script makes it, so here it is empty.
mod embedded {
    pub(crate) struct Embedded {
        pub(crate) files: &'static [(&'static str, &'static str)],
        pub(crate) snapshot: &'static [u8],
    }

    static NOTHING: Embedded = Embedded {
        files: &[],
        snapshot: &[],
    };

    pub(crate) fn embedded(_: crate::taxonomy::Language) -> &'static Embedded {
        &NOTHING
    }
}

pub use analysis::{Advice, Analysis, Evidence, Finding, Role, Statement, Summary, Topic};
pub use builder::ClassifierBuilder;
pub use classifier::{CheckFailure, CheckKind, Classifier, NEAR_WORDS, Statements, internals};
pub use error::{Error, Location};
pub use limits::Limits;
pub use rule::{Negation, Rule};
pub use taxonomy::{Category, Facet, Kind, Language, UnknownName};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=src");
    for language in [Language::Fr, Language::En] {
        embed(&root, &out_dir, language);
    }
}

/// Lists the files of `data/<language>` for `include_str!`, and writes the
/// snapshot of the classifier compiled from them.
fn embed(root: &Path, out_dir: &Path, language: Language) {
    let data = root.join("data").join(language.to_string());
    println!("cargo:rerun-if-changed={}", data.display());
    let mut files = Vec::new();
    collect(&data, &mut files);
    files.sort();
    let mut out = fs::File::create(out_dir.join(format!("embedded_{language}.rs")))
        .expect("OUT_DIR is writable");
    writeln!(out, "&[").expect("write");
    let mut builder = ClassifierBuilder::new(language);
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .strip_prefix(&data)
            .expect("under data/<language>")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("write");
        let text = fs::read_to_string(path).expect("a data file is readable UTF-8");
        builder.add_embedded(&name, Cow::Owned(text));
    }
    writeln!(out, "]").expect("write");
    let snapshot = match builder.compile() {
        Ok(classifier) => classifier.to_snapshot(),
        Err(e) => {
            println!(
                "cargo:warning=the `{language}` ruleset does not compile, so it is compiled at run time, where it fails: {e}"
            );
            Vec::new()
        }
    };
    fs::write(out_dir.join(format!("{language}.snapshot")), snapshot).expect("OUT_DIR is writable");
}
