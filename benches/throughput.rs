//! Throughput of each stage of the pipeline and of the whole analysis, in
//! bytes per second, on the benchmark corpus (see `support/corpus.rs`), and
//! the time to build the French classifier. Then the English ruleset on the
//! English development corpus, and language detection.
//!
//! ```sh
//! cargo bench --bench throughput
//! ```

#[path = "support/corpus.rs"]
mod corpus;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use recruiter_feedback::internals::{
    self, fold, match_indexed, match_naive, match_statements, segment,
};
use recruiter_feedback::{Classifier, ClassifierBuilder};

fn stages(c: &mut Criterion) {
    let classifier = Classifier::french();
    let text = corpus::text(2 << 20);
    let docs = corpus::documents(2 << 20);
    let mut g = c.benchmark_group("stages");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("normalize", |b| b.iter(|| fold(&text)));
    g.bench_function("segment", |b| b.iter(|| segment(&classifier, &text)));
    g.bench_function("match", |b| b.iter(|| match_statements(&classifier, &text)));
    g.throughput(Throughput::Bytes(bytes(&docs)));
    g.bench_function("analyze (whole pipeline)", |b| {
        b.iter(|| analyze_all(&classifier, &docs))
    });
    g.finish();

    // The naive evaluation is slow: time it on a smaller sample.
    let small = corpus::text(128 << 10);
    let mut g = c.benchmark_group("naive");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(small.len() as u64));
    g.bench_function("match (indexed, every guard)", |b| {
        b.iter(|| match_indexed(&classifier, &small))
    });
    g.bench_function("match (naive: every pattern at every word)", |b| {
        b.iter(|| match_naive(&classifier, &small))
    });
    g.finish();
}

/// Building the embedded French classifier, as `Classifier::french()` does
/// on first use: reading the snapshot the build script compiled. And
/// compiling its rule files, as any change to the ruleset does. Dropping
/// the classifier is not timed.
fn cold_start(c: &mut Criterion) {
    let mut g = c.benchmark_group("cold start");
    g.sample_size(10);
    g.bench_function("build the French classifier", |b| {
        b.iter_with_large_drop(|| ClassifierBuilder::french().build())
    });
    g.bench_function("compile the French rule files", |b| {
        let builder = ClassifierBuilder::french();
        b.iter_with_large_drop(|| internals::compile(&builder))
    });
    g.finish();
}

/// The size of the documents, in bytes.
fn bytes(docs: &[String]) -> u64 {
    docs.iter().map(|d| d.len() as u64).sum()
}

/// Analyses every document; the statement count keeps the work observable.
fn analyze_all(classifier: &Classifier, docs: &[String]) -> usize {
    docs.iter()
        .map(|d| classifier.analyze(d).statements.len())
        .sum()
}

/// The English ruleset on the English development corpus, choosing the
/// classifier of each document of both corpora, and analysing French and
/// English documents in turn.
fn english(c: &mut Criterion) {
    let english = Classifier::english();
    let docs = corpus::english_documents();
    let mut g = c.benchmark_group("english");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes(&docs)));
    g.bench_function("analyze (English ruleset)", |b| {
        b.iter(|| analyze_all(&english, &docs))
    });
    let both = [Classifier::french(), english];
    let french = corpus::base_documents();
    // One French, one English, and so on: a thread's buffers serve both
    // rulesets in turn, as in a batch from an applicant-tracking system.
    let in_turn: Vec<&String> = french.iter().zip(&docs).flat_map(|(f, e)| [f, e]).collect();
    let mixed: Vec<String> = docs.iter().chain(&french).cloned().collect();
    g.throughput(Throughput::Bytes(
        in_turn.iter().map(|d| d.len() as u64).sum(),
    ));
    g.bench_function("detect and analyze (French and English in turn)", |b| {
        b.iter(|| {
            in_turn
                .iter()
                .filter_map(|d| Classifier::detect(&both, d).map(|c| c.analyze(d).statements.len()))
                .sum::<usize>()
        })
    });
    g.throughput(Throughput::Bytes(bytes(&mixed)));
    g.bench_function("detect (French or English)", |b| {
        b.iter(|| {
            mixed
                .iter()
                .filter(|d| {
                    Classifier::detect(&both, d)
                        .is_some_and(|c| c.language() == recruiter_feedback::Language::En)
                })
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, stages, cold_start, english);
criterion_main!(benches);
