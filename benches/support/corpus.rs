//! The benchmark corpus: French feedback documents generated
//! deterministically from the labelled development corpus, from one sentence
//! to long e-mails, with the noise real feedback has (15 % without accents,
//! capitals, typographic apostrophes, no-break spaces before `: ; ? !` and
//! inside « », decomposed accents).

#![allow(dead_code)]

use unicode_normalization::UnicodeNormalization;

const CORPUS: &str = include_str!("../../tests/corpus/fr.jsonl");
const ENGLISH: &str = include_str!("../../tests/corpus/en.jsonl");

/// A small deterministic generator (a 64-bit LCG): the corpus must be the
/// same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The texts of the development corpus.
pub fn base_documents() -> Vec<String> {
    texts(CORPUS)
}

/// The texts of the English development corpus, as they are (its noise is
/// the writers').
pub fn english_documents() -> Vec<String> {
    texts(ENGLISH)
}

/// The texts of corpus lines.
fn texts(corpus: &str) -> Vec<String> {
    corpus
        .lines()
        .filter_map(|l| {
            let start = l.find("\"text\": \"")? + 9;
            let rest = &l[start..];
            let end = rest.find("\", \"labels\"")?;
            Some(unescape(&rest[..end]))
        })
        .collect()
}

/// Undoes JSON string escapes (the corpus uses \n, \", \\ and \uXXXX).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn strip_accents(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect()
}

/// One noisy variant of `doc`.
fn noisy(doc: &str, rng: &mut Lcg) -> String {
    match rng.below(20) {
        0..=2 => strip_accents(doc),
        3 => doc.to_uppercase(),
        4 => doc.nfd().collect(),
        5 | 6 => doc.replace('\'', "’"),
        7 => doc
            .replace(" :", "\u{a0}:")
            .replace(" ?", "\u{202f}?")
            .replace("« ", "«\u{a0}")
            .replace(" »", "\u{a0}»"),
        _ => doc.to_string(),
    }
}

/// Documents totalling at least `bytes` bytes: single sentences, whole
/// documents and long e-mails made of several documents, with noise.
pub fn documents(bytes: usize) -> Vec<String> {
    let base = base_documents();
    let mut rng = Lcg(0x5eed);
    let mut out = Vec::new();
    let mut total = 0;
    while total < bytes {
        let doc = match rng.below(10) {
            // One sentence of a document.
            0..=2 => {
                let d = &base[rng.below(base.len() as u64) as usize];
                d.split(". ").next().unwrap_or(d).to_string()
            }
            // A long e-mail: several documents as paragraphs.
            3 => (0..3 + rng.below(4))
                .map(|_| base[rng.below(base.len() as u64) as usize].clone())
                .collect::<Vec<_>>()
                .join("\n\n"),
            _ => base[rng.below(base.len() as u64) as usize].clone(),
        };
        let doc = noisy(&doc, &mut rng);
        total += doc.len();
        out.push(doc);
    }
    out
}

/// The documents of `documents(bytes)` as one text, separated by blank
/// lines.
pub fn text(bytes: usize) -> String {
    documents(bytes).join("\n\n")
}
