//! The French and English corpora: their composition, and the scores the
//! classifiers must keep on them (a regression fails CI).
//!
//! The figures are measured by `examples/eval.rs` with the same metric
//! definitions (`examples/support/metrics.rs`); the README reports them.

#[path = "../examples/support/metrics.rs"]
mod metrics;
#[path = "../examples/support/noise.rs"]
mod noise;

use std::collections::BTreeMap;

use metrics::{Labels, Scores, causes, signals};
use noise::Noise;
use recruiter_feedback::{Category, Classifier, Facet, Language};

struct Doc {
    lang: String,
    text: String,
    gold: Labels,
    tags: Vec<String>,
}

fn read(path: &str) -> Vec<Doc> {
    let content = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    content
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, line)| {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}:{}: {e}", n + 1));
            Doc {
                lang: v["lang"].as_str().unwrap_or_default().to_string(),
                text: v["text"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{path}:{}: no text", n + 1))
                    .to_string(),
                gold: Labels::gold(&v).unwrap_or_else(|e| panic!("{path}:{}: {e}", n + 1)),
                tags: v["tags"]
                    .as_array()
                    .map(|t| {
                        t.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

fn score(docs: &[Doc]) -> Scores {
    score_with(&Classifier::french(), docs)
}

fn score_with(c: &Classifier, docs: &[Doc]) -> Scores {
    let mut s = Scores::default();
    for d in docs {
        s.add(&d.gold, &Labels::predicted(&c.analyze(&d.text)));
    }
    s
}

const DEV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/fr.jsonl");
const HELDOUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/fr-heldout.jsonl");
const HARD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/fr-hard.jsonl");
const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpus/fr-sample.jsonl"
);
const EN_DEV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/en.jsonl");
const EN_HELDOUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/en-heldout.jsonl");
const EN_SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpus/en-sample.jsonl"
);

/// Floors enforced on each corpus: (macro F1 causes, macro F1 signals,
/// facet accuracy, generic-rejection accuracy).
struct Floors {
    causes: f64,
    signals: f64,
    facets: f64,
    generic: f64,
}

fn check(name: &str, s: &Scores, f: Floors) {
    let got = (
        s.macro_f1(&causes()),
        s.macro_f1(&signals()),
        s.facet_accuracy().unwrap_or(1.0),
        s.generic_accuracy(),
    );
    let report = format!(
        "{name}: causes {:.3} (floor {}), signals {:.3} (floor {}), facets {:.3} (floor {}), generic {:.3} (floor {})",
        got.0, f.causes, got.1, f.signals, got.2, f.facets, got.3, f.generic
    );
    println!("{report}");
    assert!(
        got.0 >= f.causes && got.1 >= f.signals && got.2 >= f.facets && got.3 >= f.generic,
        "{report}"
    );
}

#[test]
fn development_corpus_composition() {
    let docs = read(DEV);
    assert!(docs.len() >= 400, "{} documents", docs.len());
    check_coverage("development", &docs, 15, 15);
    let tagged = |pred: &dyn Fn(&str) -> bool| {
        docs.iter()
            .filter(|d| d.tags.iter().any(|t| pred(t)))
            .count()
    };
    assert!(tagged(&|t| t == "email") >= 60, "e-mails and call notes");
    assert!(tagged(&|t| t == "template") >= 12, "template rejections");
    assert!(
        docs.iter()
            .filter(|d| d.tags.iter().any(|t| t == "template"))
            .all(|d| d.gold.generic_rejection)
    );
    assert!(tagged(&|t| t.starts_with("trap:")) >= 60, "traps");
    assert!(tagged(&|t| t == "noisy") >= 60, "noisy documents");
    let trap_kinds: std::collections::BTreeSet<&str> = docs
        .iter()
        .flat_map(|d| d.tags.iter().filter_map(|t| t.strip_prefix("trap:")))
        .collect();
    for kind in [
        "negation_cancels",
        "negation_cue",
        "negated_deficit",
        "word_outside_category",
        "contrast",
        "hedge",
        "conditional",
        "question",
        "double_negation",
    ] {
        assert!(trap_kinds.contains(kind), "no trap of kind {kind}");
    }
    let held = read(HELDOUT);
    assert!(
        held.len() * 5 >= docs.len() + held.len(),
        "the held-back set is a fifth"
    );
}

#[test]
fn development_corpus_scores() {
    check(
        "development corpus",
        &score(&read(DEV)),
        // Causes 0.99 → 0.98 when round 37's two tuning sets joined: the
        // rules were tuned on them up to 0.94, which took the file from
        // 0.990 to 0.988. Facets 0.98 → 0.97 when round 38's joined: their
        // posture documents were tuned to 0.94–0.96, which took the file
        // from 0.981 to 0.979; 0.97 → 0.96 when round 42's joined:
        // fr-val77's 38 posture documents, said indirectly, were tuned
        // only to 0.789, which took the file to 0.968. Causes 0.98 → 0.97
        // and signals 0.99 → 0.98 when session 30 moved here the 297
        // held-back documents it had read to write round 47 (chosen
        // because they were missed; 0.761 on causes after the round),
        // which took the file to 0.977 and 0.988.
        Floors {
            causes: 0.97,
            signals: 0.98,
            facets: 0.96,
            generic: 0.98,
        },
    );
}

#[test]
fn held_back_corpus_scores() {
    check(
        "held-back corpus",
        &score(&read(HELDOUT)),
        // Causes: the target, rules that generalize to text they were not
        // tuned on. The others guard against regressions, a little below
        // the current figures; they were re-set when each round's fresh
        // validation set joined this file. Facets 0.89 → 0.88 when
        // fr-val61 (round 36) joined: its 37 posture documents score
        // 0.784, which took the file from 0.890 to 0.887; 0.88 → 0.87
        // when fr-val76 (round 41) joined: its 41 score 0.854, which
        // took the file just under 0.88.
        Floors {
            causes: 0.90,
            signals: 0.91,
            facets: 0.87,
            generic: 0.97,
        },
    );
}

#[test]
fn hard_corpus_scores() {
    check(
        "hard corpus",
        &score(&read(HARD)),
        Floors {
            causes: 0.89,
            signals: 0.93,
            facets: 0.79,
            generic: 0.97,
        },
    );
}

#[test]
fn calibration_sample_scores() {
    check_sample("calibration sample", SAMPLE, &Classifier::french());
}

/// A calibration sample of the shared workspace scores (nearly) perfectly;
/// skipped when the workspace is absent.
fn check_sample(name: &str, path: &str, classifier: &Classifier) {
    if !std::path::Path::new(path).exists() {
        eprintln!("skipped: {path} is not here (the shared workspace is absent)");
        return;
    }
    check(
        name,
        &score_with(classifier, &read(path)),
        Floors {
            causes: 0.98,
            signals: 0.98,
            facets: 0.98,
            generic: 0.98,
        },
    );
}

#[test]
fn english_corpus_composition() {
    let docs = read(EN_DEV);
    let held = read(EN_HELDOUT);
    assert!(docs.len() >= 500, "{} documents", docs.len());
    assert!(held.len() >= 200, "{} held-back documents", held.len());
    for (name, docs) in [("development", &docs), ("held-back", &held)] {
        assert!(
            docs.iter().all(|d| d.lang == "en"),
            "{name}: not all English"
        );
        check_coverage(name, docs, 25, 6);
    }
}

/// Every category in at least `per_category` documents, every facet in at
/// least `per_facet`.
fn check_coverage(name: &str, docs: &[Doc], per_category: usize, per_facet: usize) {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for d in docs {
        for c in &d.gold.categories {
            *count.entry(c.to_string()).or_default() += 1;
        }
        for f in &d.gold.facets {
            *count.entry(format!("bias:{f}")).or_default() += 1;
        }
    }
    for c in Category::ALL {
        assert!(
            count.get(c.name()).copied().unwrap_or(0) >= per_category,
            "{name}: category {c}: {count:?}"
        );
    }
    for f in Facet::ALL {
        assert!(
            count.get(&format!("bias:{f}")).copied().unwrap_or(0) >= per_facet,
            "{name}: facet {f}: {count:?}"
        );
    }
}

#[test]
fn english_development_corpus_scores() {
    check(
        "English development corpus",
        &score_with(&Classifier::english(), &read(EN_DEV)),
        // Causes 0.98 → 0.97 when session 30 moved here the 345 held-back
        // documents it had read to write round 47 (chosen because they
        // were missed; 0.764 on causes after the round), which took the
        // file to 0.977.
        Floors {
            causes: 0.97,
            signals: 0.98,
            facets: 0.95,
            generic: 0.98,
        },
    );
}

#[test]
fn english_held_back_corpus_scores() {
    check(
        "English held-back corpus",
        &score_with(&Classifier::english(), &read(EN_HELDOUT)),
        // A little below the current figures: the development corpus was
        // tuned on, this file never was (its validation sets were only
        // scored). Re-set when each round's scored sets joined this file:
        // round 33's en-val39 took facets from 0.870 to 0.865 (its 37
        // documents with a posture score 0.757, with or without its rules).
        Floors {
            causes: 0.88,
            signals: 0.90,
            facets: 0.86,
            generic: 0.96,
        },
    );
}

/// What the held-back corpora keep of their causes F1 when noise is added
/// to every document (the labels stay: rule 16 of the guide): typing
/// slips in one word of eight, hard-wrapped lines, accents taken off,
/// capitals. Floors: a little below the current figures, so that a change
/// of the slips the matcher forgives or of how wrapped lines are joined
/// is seen.
#[test]
fn held_back_corpora_under_noise() {
    let french = (Classifier::french(), read(HELDOUT));
    let english = (Classifier::english(), read(EN_HELDOUT));
    for (name, (classifier, docs), floors) in [
        ("French", &french, [0.88, 0.89, 0.89, 0.89, 0.89]),
        ("English", &english, [0.865, 0.875, 0.88, 0.88, 0.88]),
    ] {
        for (noise, floor) in Noise::ALL.into_iter().zip(floors) {
            let noisy: Vec<Doc> = docs
                .iter()
                .map(|d| Doc {
                    text: noise.apply(&d.text),
                    gold: d.gold.clone(),
                    lang: d.lang.clone(),
                    tags: Vec::new(),
                })
                .collect();
            let causes_f1 = score_with(classifier, &noisy).macro_f1(&causes());
            println!(
                "{name} held-back, {}: causes {causes_f1:.3} (floor {floor})",
                noise.name()
            );
            assert!(
                causes_f1 >= floor,
                "{name}, {}: {causes_f1:.3} < {floor}",
                noise.name()
            );
        }
    }
}

#[test]
fn english_calibration_sample_scores() {
    check_sample(
        "English calibration sample",
        EN_SAMPLE,
        &Classifier::english(),
    );
}

#[test]
fn every_corpus_document_is_read_in_its_own_language() {
    let both = [Classifier::french(), Classifier::english()];
    let mut paths = vec![DEV, HELDOUT, HARD, EN_DEV, EN_HELDOUT];
    paths.extend(
        [SAMPLE, EN_SAMPLE]
            .into_iter()
            .filter(|p| std::path::Path::new(p).exists()),
    );
    for path in paths {
        for (n, d) in read(path).iter().enumerate() {
            let expected: Language = d
                .lang
                .parse()
                .unwrap_or_else(|e| panic!("{path}:{}: {e}", n + 1));
            let detected = Classifier::detect(&both, &d.text).map(Classifier::language);
            assert_eq!(detected, Some(expected), "{path}:{}", n + 1);
        }
    }
}
