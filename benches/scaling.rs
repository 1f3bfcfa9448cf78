//! How cost grows: with input size, with the number of rules, with threads;
//! what the raw regexes cost; the indexed matcher against the naive one;
//! cold start, heap, and the per-document overhead. Prints the measured
//! figures and ratios.
//!
//! ```sh
//! cargo bench --bench scaling
//! ```
//!
//! Each figure is the median of several runs, on one core unless stated.
//! Where two or more figures make a ratio (input sizes, rule counts), their
//! runs are interleaved, round after round, and each keeps its best: the
//! machine's load drifts over seconds, and timing one size after the other
//! would charge the drift to the engine.

#[path = "support/corpus.rs"]
mod corpus;

use std::alloc::{GlobalAlloc, Layout, System};
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use recruiter_feedback::internals::{self, match_indexed, match_naive};
use recruiter_feedback::{Classifier, ClassifierBuilder, Rule};

/// Counts live heap bytes, to weigh the compiled classifier.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
/// Counting is only switched on while the classifier is weighed, so that
/// the timings elsewhere do not pay for it.
static COUNTING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counter only observes sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        // SAFETY: same layout as given, per the GlobalAlloc contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.load(Ordering::Relaxed) {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// Median time of `f` over `n` runs; what `f` returns is dropped after
/// the clock stops.
fn time<T>(n: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..n)
            .map(|_| {
                let t = Instant::now();
                let out = std::hint::black_box(f());
                let elapsed = t.elapsed();
                drop(out);
                elapsed
            })
            .collect(),
    )
}

/// Best time of each job over `rounds` rounds, the jobs taking turns.
fn interleaved(rounds: usize, jobs: &mut [&mut dyn FnMut() -> usize]) -> Vec<Duration> {
    let mut best = vec![Duration::MAX; jobs.len()];
    for _ in 0..rounds {
        for (job, best) in jobs.iter_mut().zip(&mut best) {
            let t = Instant::now();
            std::hint::black_box(job());
            *best = (*best).min(t.elapsed());
        }
    }
    best
}

fn mbps(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / d.as_secs_f64() / 1e6
}

fn analyze_all(c: &Classifier, docs: &[String]) -> usize {
    docs.iter().map(|d| c.analyze(d).statements.len()).sum()
}

/// The French rules plus one synthetic copy of each, whose patterns end
/// with a word that occurs in no text: twice the rules, for the index to
/// prove it does not try them all.
fn doubled() -> Classifier {
    let base = Classifier::french();
    let mut b = ClassifierBuilder::french();
    for (i, r) in base.rules().iter().enumerate() {
        let mut copy = Rule::new(format!("synthetic.{}.r{i}", r.category), r.category);
        copy.facet = r.facet;
        copy.patterns = r
            .patterns
            .iter()
            .map(|p| format!("({p}) zqxsynth{i}"))
            .collect();
        if copy.patterns.is_empty() {
            continue;
        }
        b.add_rule(copy);
    }
    b.build().expect("the doubled ruleset compiles")
}

/// The French rules without their raw regexes (a rule that has nothing
/// else is left out): what the regexes cost shows against them. One
/// regex that backtracks can cost more than all the patterns together.
fn without_regexes() -> Classifier {
    let base = Classifier::french();
    let mut b = ClassifierBuilder::french();
    for r in base.rules().iter().filter(|r| !r.regex.is_empty()) {
        if r.patterns.is_empty() {
            b.disable(r.id.clone());
        } else {
            let mut plain = r.clone();
            plain.regex.clear();
            b.replace_rule(plain);
        }
    }
    b.build().expect("the ruleset without regexes compiles")
}

fn main() {
    let french = Classifier::french();
    println!("== input size (analyze, one core)");
    let sizes = [1usize, 4, 16];
    let inputs: Vec<Vec<String>> = sizes.iter().map(|mb| corpus::documents(mb << 20)).collect();
    // A first pass warms caches and lazily built parts up.
    analyze_all(&french, &inputs[0]);
    let [small, medium, large] = &inputs[..] else {
        unreachable!("three sizes")
    };
    let best = interleaved(
        4,
        &mut [
            &mut || analyze_all(&french, small),
            &mut || analyze_all(&french, medium),
            &mut || analyze_all(&french, large),
        ],
    );
    let mut per_mb = Vec::new();
    for ((mb, docs), d) in sizes.iter().zip(&inputs).zip(best) {
        let bytes: usize = docs.iter().map(String::len).sum();
        per_mb.push(d.as_secs_f64() / (bytes as f64 / 1e6));
        println!(
            "  {mb:>2} MB: {:>7.1} MB/s  ({:.3} s, best of 4 interleaved rounds)",
            mbps(bytes, d),
            d.as_secs_f64()
        );
    }
    println!(
        "  time per byte, 4 MB / 1 MB: {:.2}   16 MB / 1 MB: {:.2}",
        per_mb[1] / per_mb[0],
        per_mb[2] / per_mb[0]
    );

    println!("== rule count");
    let docs = corpus::documents(2 << 20);
    let bytes: usize = docs.iter().map(String::len).sum();
    let big = doubled();
    let best = interleaved(
        5,
        &mut [&mut || analyze_all(&french, &docs), &mut || {
            analyze_all(&big, &docs)
        }],
    );
    let (d1, d2) = (best[0], best[1]);
    println!(
        "  {} rules: {:.1} MB/s   {} rules: {:.1} MB/s   ratio {:.2}",
        french.rules().len(),
        mbps(bytes, d1),
        big.rules().len(),
        mbps(bytes, d2),
        d2.as_secs_f64() / d1.as_secs_f64()
    );

    println!("== raw regexes");
    let plain = without_regexes();
    let best = interleaved(
        5,
        &mut [&mut || analyze_all(&french, &docs), &mut || {
            analyze_all(&plain, &docs)
        }],
    );
    let regexes: usize = french.rules().iter().map(|r| r.regex.len()).sum();
    println!(
        "  with the {regexes} raw regexes: {:.1} MB/s   without: {:.1} MB/s   they take {:.0} % of the time",
        mbps(bytes, best[0]),
        mbps(bytes, best[1]),
        100.0 * (1.0 - best[1].as_secs_f64() / best[0].as_secs_f64())
    );

    println!("== indexed vs naive matching");
    let small = corpus::text(128 << 10);
    let di = time(5, || match_indexed(&french, &small));
    let dn = time(3, || match_naive(&french, &small));
    println!(
        "  indexed {:.1} MB/s   naive {:.2} MB/s   indexed is {:.0}x faster",
        mbps(small.len(), di),
        mbps(small.len(), dn),
        dn.as_secs_f64() / di.as_secs_f64()
    );

    println!("== threads (analyze_parallel)");
    let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
    let one = NonZeroUsize::new(1).unwrap_or(NonZeroUsize::MIN);
    let two = NonZeroUsize::new(2).unwrap_or(NonZeroUsize::MIN);
    let t1 = time(5, || french.analyze_parallel(&refs, one).len());
    let t2 = time(5, || french.analyze_parallel(&refs, two).len());
    println!(
        "  1 thread {:.1} MB/s   2 threads {:.1} MB/s   speed-up {:.2}x",
        mbps(bytes, t1),
        mbps(bytes, t2),
        t1.as_secs_f64() / t2.as_secs_f64()
    );

    println!("== cold start and heap");
    // The snapshot's raw regexes are compiled when a statement first needs
    // them: the examples of every rule that has some make a document that
    // needs them all.
    let needs_regexes = french
        .rules()
        .iter()
        .filter(|r| !r.regex.is_empty())
        .flat_map(|r| r.examples.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("\n");
    // Weighed with its regexes compiled (and their caches for this thread).
    COUNTING.store(true, Ordering::Relaxed);
    let before = LIVE.load(Ordering::Relaxed);
    let built = ClassifierBuilder::french().build().expect("builds");
    built.analyze(&needs_regexes);
    let heap = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    COUNTING.store(false, Ordering::Relaxed);
    let cold = time(9, || ClassifierBuilder::french().build());
    let builder = ClassifierBuilder::french();
    let compile = time(5, || internals::compile(&builder));
    println!(
        "  build the French classifier: {:.1} ms   compiled heap, regexes included: {:.1} MB",
        cold.as_secs_f64() * 1e3,
        heap as f64 / 1e6
    );
    println!(
        "  compile the French rule files (any change to the ruleset): {:.1} ms",
        compile.as_secs_f64() * 1e3
    );
    let first = time(9, || {
        let fresh = ClassifierBuilder::french().build().expect("builds");
        let statements = fresh.analyze(&needs_regexes).statements.len();
        (statements, fresh) // dropped after the clock stops
    });
    let warm = time(9, || french.analyze(&needs_regexes).statements.len());
    println!(
        "  build, then analyse a document that needs every raw regex: {:.1} ms \
         (that analysis alone, regexes compiled: {:.2} ms)",
        first.as_secs_f64() * 1e3,
        warm.as_secs_f64() * 1e3
    );
    drop(built);

    println!("== per-document overhead");
    let doc = "Vos compétences en SQL sont encore à renforcer, désolée.";
    let n = 20_000;
    let d = time(5, || {
        (0..n)
            .map(|_| french.analyze(doc).statements.len())
            .sum::<usize>()
    });
    println!(
        "  a {}-byte document: {:.2} µs",
        doc.len(),
        d.as_secs_f64() * 1e6 / n as f64
    );
}
