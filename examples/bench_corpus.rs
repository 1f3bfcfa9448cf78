//! Writes the benchmark corpus as corpus lines, for end-to-end timings of
//! `classify --jsonl`.
//!
//! ```text
//! bench_corpus [MEGABYTES]    (default 20)
//! ```
//!
//! The documents are those the benchmarks in `benches/` analyse: drawn
//! deterministically from the development corpus, with the same noise
//! (missing accents, capitals, NFD, typographic spaces).

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

#[path = "../benches/support/corpus.rs"]
mod corpus;

fn main() -> ExitCode {
    let megabytes = match std::env::args().nth(1).map(|a| a.parse::<usize>()) {
        None => 20,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: bench_corpus [MEGABYTES]");
            return ExitCode::from(2);
        }
    };
    let mut out = BufWriter::new(io::stdout().lock());
    for (id, text) in corpus::documents(megabytes << 20).into_iter().enumerate() {
        let line = serde_json::json!({ "id": id, "text": text });
        if writeln!(out, "{line}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
