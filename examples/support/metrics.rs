//! Corpus scores with the labelling guide's metric definitions (those of
//! `shared/tools/eval.py`): labels are the set of categories of a whole
//! document; precision, recall and F1 per category; macro F1 over the
//! categories present in the gold labels; micro F1 over all decisions; bias
//! facet accuracy over the documents with a gold facet; generic-rejection
//! accuracy over all documents.
//!
//! Shared by `examples/eval.rs` and `tests/corpus.rs`.

#![allow(dead_code)]

use std::collections::BTreeSet;

use recruiter_feedback::{Analysis, Category, Facet, Kind};

/// What a document is labelled with, or predicted to be.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Labels {
    pub categories: BTreeSet<Category>,
    pub facets: BTreeSet<Facet>,
    pub generic_rejection: bool,
}

impl Labels {
    /// The labels an analysis predicts.
    pub fn predicted(a: &Analysis<'_>) -> Labels {
        Labels {
            categories: a.categories().into_iter().collect(),
            facets: a.summary.facets.iter().copied().collect(),
            generic_rejection: a.summary.generic_rejection,
        }
    }

    /// Parses gold labels from a corpus line (`labels`, `facets` as
    /// `bias:<facet>`, `generic_rejection`).
    pub fn gold(v: &serde_json::Value) -> Result<Labels, String> {
        let mut out = Labels::default();
        for l in v["labels"].as_array().ok_or("no `labels` array")? {
            let name = l.as_str().ok_or("a label is not a string")?;
            out.categories
                .insert(name.parse().map_err(|e| format!("{e}"))?);
        }
        if let Some(facets) = v["facets"].as_array() {
            for f in facets {
                let name = f.as_str().ok_or("a facet is not a string")?;
                let name = name
                    .strip_prefix("bias:")
                    .ok_or_else(|| format!("facet `{name}` lacks `bias:`"))?;
                out.facets.insert(name.parse().map_err(|e| format!("{e}"))?);
            }
        }
        out.generic_rejection = v["generic_rejection"].as_bool().unwrap_or(false);
        Ok(out)
    }
}

/// Counts per category.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub tp: u32,
    pub fp: u32,
    pub fn_: u32,
}

impl Counts {
    pub fn support(&self) -> u32 {
        self.tp + self.fn_
    }

    /// Precision, recall, F1 (the guide's conventions for empty cases).
    pub fn prf(&self) -> (f64, f64, f64) {
        let (tp, fp, fn_) = (self.tp as f64, self.fp as f64, self.fn_ as f64);
        let p = if tp + fp > 0.0 {
            tp / (tp + fp)
        } else if fn_ == 0.0 {
            1.0
        } else {
            0.0
        };
        let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 1.0 };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
}

/// Scores over a corpus.
#[derive(Clone, Debug, Default)]
pub struct Scores {
    pub counts: [Counts; 16],
    pub documents: u32,
    pub facet_documents: u32,
    pub facet_correct: u32,
    pub generic_correct: u32,
    pub kind_correct: u32,
    pub exact: u32,
}

fn index(c: Category) -> usize {
    Category::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

pub fn causes() -> Vec<Category> {
    Category::ALL
        .iter()
        .copied()
        .filter(|c| c.is_cause())
        .collect()
}

pub fn signals() -> Vec<Category> {
    Category::ALL
        .iter()
        .copied()
        .filter(|c| !c.is_cause())
        .collect()
}

impl Scores {
    pub fn add(&mut self, gold: &Labels, predicted: &Labels) {
        self.documents += 1;
        for c in Category::ALL {
            let counts = &mut self.counts[index(*c)];
            match (
                gold.categories.contains(c),
                predicted.categories.contains(c),
            ) {
                (true, true) => counts.tp += 1,
                (false, true) => counts.fp += 1,
                (true, false) => counts.fn_ += 1,
                (false, false) => {}
            }
        }
        if !gold.facets.is_empty() {
            self.facet_documents += 1;
            self.facet_correct += u32::from(gold.facets == predicted.facets);
        }
        self.generic_correct += u32::from(gold.generic_rejection == predicted.generic_rejection);
        let kinds = |l: &Labels| {
            (
                l.categories.iter().any(|c| c.kind() == Kind::Controllable),
                l.categories.iter().any(|c| c.kind() == Kind::External),
            )
        };
        self.kind_correct += u32::from(kinds(gold) == kinds(predicted));
        self.exact += u32::from(gold.categories == predicted.categories);
    }

    pub fn category(&self, c: Category) -> Counts {
        self.counts[index(c)]
    }

    /// Mean F1 over the categories of `cs` that occur in the gold labels.
    pub fn macro_f1(&self, cs: &[Category]) -> f64 {
        let present: Vec<f64> = cs
            .iter()
            .map(|c| self.category(*c))
            .filter(|k| k.support() > 0)
            .map(|k| k.prf().2)
            .collect();
        if present.is_empty() {
            0.0
        } else {
            present.iter().sum::<f64>() / present.len() as f64
        }
    }

    /// F1 of all decisions over `cs` pooled.
    pub fn micro_f1(&self, cs: &[Category]) -> f64 {
        let mut total = Counts::default();
        for c in cs {
            let k = self.category(*c);
            total.tp += k.tp;
            total.fp += k.fp;
            total.fn_ += k.fn_;
        }
        total.prf().2
    }

    pub fn facet_accuracy(&self) -> Option<f64> {
        (self.facet_documents > 0).then(|| self.facet_correct as f64 / self.facet_documents as f64)
    }

    pub fn generic_accuracy(&self) -> f64 {
        ratio(self.generic_correct, self.documents)
    }

    pub fn kind_accuracy(&self) -> f64 {
        ratio(self.kind_correct, self.documents)
    }

    pub fn exact_match(&self) -> f64 {
        ratio(self.exact, self.documents)
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}
