//! Scores the classifier on a labelled corpus.
//!
//! ```text
//! eval CORPUS.jsonl [--errors] [--rules] [--vetoes] [--lang fr|en] [--ruleset DIR] [--noise KIND]
//!
#![doc = include_str!("support/eval_help.txt")]
//! ```
//!
//! Corpus lines are those of the labelling guide: `id`, `text`, `labels`,
//! `facets` (`bias:<facet>`), `generic_rejection`. The metric definitions
//! are those of `shared/tools/eval.py`.

#[path = "support/metrics.rs"]
mod metrics;
#[path = "support/noise.rs"]
mod noise;
#[path = "support/rulesets.rs"]
mod rulesets;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use metrics::{Labels, Scores, causes, signals};
use noise::Noise;
use recruiter_feedback::internals::{self, Veto};
use recruiter_feedback::{Category, Classifier, Language};
use rulesets::{Rulesets, parse_lang};

/// Prints a line; a closed pipe (`eval … | head`) ends the output quietly.
macro_rules! say {
    ($($arg:tt)*) => {{
        let mut out = std::io::stdout().lock();
        if writeln!(out, $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

const USAGE: &str = "usage: eval CORPUS.jsonl [--errors] [--rules] [--vetoes] [--lang fr|en] [--ruleset DIR] [--noise typos|wrap|no-accents|capitals|texting]";
/// What each option does, printed by `--help` (and shown in the docs above).
const OPTIONS: &str = include_str!("support/eval_help.txt");

struct Options {
    corpus: String,
    errors: bool,
    rules: bool,
    vetoes: bool,
    lang: Option<Language>,
    ruleset: Option<String>,
    noise: Option<Noise>,
}

/// The options, or `None` when `--help` asked for help.
fn parse_args() -> Result<Option<Options>, String> {
    let mut corpus = None;
    let (mut errors, mut rules, mut vetoes, mut lang, mut ruleset, mut noise) =
        (false, false, false, None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--errors" => errors = true,
            "--rules" => rules = true,
            "--vetoes" => vetoes = true,
            "--lang" => lang = Some(parse_lang(args.next())?),
            "--ruleset" => ruleset = Some(args.next().ok_or("--ruleset needs a directory")?),
            "--noise" => noise = Some(Noise::parse(&args.next().ok_or("--noise needs a kind")?)?),
            "-h" | "--help" => return Ok(None),
            _ if a.starts_with('-') => return Err(format!("unknown option `{a}`")),
            _ if corpus.is_some() => return Err("only one corpus file".into()),
            _ => corpus = Some(a),
        }
    }
    Ok(Some(Options {
        corpus: corpus.ok_or("no corpus file")?,
        errors,
        rules,
        vetoes,
        lang,
        ruleset,
        noise,
    }))
}

struct Document {
    id: String,
    text: String,
    gold: Labels,
}

fn read_corpus(path: &str) -> Result<Vec<Document>, String> {
    let content = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (n, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = |e: String| format!("{path}:{}: {e}", n + 1);
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| at(e.to_string()))?;
        let id = match &v["id"] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => return Err(at("no `id`".into())),
            other => other.to_string(),
        };
        let text = v["text"]
            .as_str()
            .ok_or_else(|| at("no string `text`".into()))?
            .to_string();
        let gold = Labels::gold(&v).map_err(at)?;
        out.push(Document { id, text, gold });
    }
    Ok(out)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(Some(o)) => o,
        Ok(None) => {
            say!("{USAGE}\n\n{}", OPTIONS.trim_end());
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("eval: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let rulesets = match Rulesets::load(options.ruleset.as_deref(), options.lang) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("eval: {e}");
            return ExitCode::from(2);
        }
    };
    let documents = match read_corpus(&options.corpus) {
        Ok(mut d) => {
            if let Some(noise) = options.noise {
                d.iter_mut()
                    .for_each(|doc| doc.text = noise.apply(&doc.text));
            }
            d
        }
        Err(e) => {
            eprintln!("eval: {e}");
            return ExitCode::from(2);
        }
    };
    let mut scores = Scores::default();
    // rule id -> (documents fired in, of which gold has the rule's category)
    let mut fired: BTreeMap<String, (Vec<String>, u32)> = BTreeMap::new();
    let mut vetoed = VetoTally::default();
    for doc in &documents {
        let classifier = rulesets.for_text(&doc.text);
        let analysis = classifier.analyze(&doc.text);
        let predicted = Labels::predicted(&analysis);
        if options.vetoes {
            vetoed.add(doc, &predicted, internals::vetoes(classifier, &doc.text));
        }
        scores.add(&doc.gold, &predicted);
        let mut rules_here: BTreeMap<String, Category> = BTreeMap::new();
        for f in analysis.findings() {
            rules_here.insert(f.rule.to_string(), f.category);
        }
        for (rule, category) in &rules_here {
            let entry = fired.entry(rule.clone()).or_default();
            entry.0.push(doc.id.clone());
            entry.1 += u32::from(doc.gold.categories.contains(category));
        }
        let wrong =
            doc.gold.categories != predicted.categories || doc.gold.facets != predicted.facets;
        if options.errors && wrong {
            print_error(doc, &predicted, &analysis);
        }
    }
    print_scores(&scores);
    if options.rules {
        print_rules(rulesets.all(), &fired);
    }
    if options.vetoes {
        vetoed.print();
    }
    ExitCode::SUCCESS
}

fn names<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    let v: Vec<String> = items.into_iter().map(|x| x.to_string()).collect();
    format!("[{}]", v.join(", "))
}

fn print_error(doc: &Document, predicted: &Labels, analysis: &recruiter_feedback::Analysis<'_>) {
    let missed = doc.gold.categories.difference(&predicted.categories);
    let extra: Vec<Category> = predicted
        .categories
        .difference(&doc.gold.categories)
        .copied()
        .collect();
    let text: String = doc.text.replace('\n', " / ").chars().take(160).collect();
    print!(
        "ERR {} missed {} extra {}",
        doc.id,
        names(missed),
        names(&extra)
    );
    if doc.gold.facets != predicted.facets {
        print!(
            " facets {} expected {}",
            names(&predicted.facets),
            names(&doc.gold.facets)
        );
    }
    say!(" | {text}");
    for f in analysis.findings().filter(|f| extra.contains(&f.category)) {
        say!(
            "      extra {} by {}: «{}»",
            f.category,
            f.rule,
            f.evidence.text.replace('\n', " ")
        );
    }
}

fn print_scores(s: &Scores) {
    say!(
        "{:<20} {:>6} {:>6} {:>6} {:>5}",
        "category",
        "P",
        "R",
        "F1",
        "n"
    );
    for c in Category::ALL {
        let k = s.category(*c);
        let (p, r, f) = k.prf();
        say!(
            "{:<20} {p:>6.3} {r:>6.3} {f:>6.3} {:>5}",
            c.name(),
            k.support()
        );
    }
    say!("");
    say!("documents                 {}", s.documents);
    say!("macro F1 causes           {:.3}", s.macro_f1(&causes()));
    say!("micro F1 causes           {:.3}", s.micro_f1(&causes()));
    say!("macro F1 signals          {:.3}", s.macro_f1(&signals()));
    say!("micro F1 signals          {:.3}", s.micro_f1(&signals()));
    match s.facet_accuracy() {
        Some(a) => say!(
            "bias facet accuracy       {a:.3} ({} documents)",
            s.facet_documents
        ),
        None => say!("bias facet accuracy       - (no gold facet)"),
    }
    say!("generic rejection acc.    {:.3}", s.generic_accuracy());
    say!("kind accuracy             {:.3}", s.kind_accuracy());
    say!("exact match               {:.3}", s.exact_match());
}

fn print_rules(classifiers: &[Classifier], fired: &BTreeMap<String, (Vec<String>, u32)>) {
    say!("");
    say!("{:<48} {:>5} {:>6}  documents", "rule", "fired", "prec.");
    for (rule, (docs, correct)) in fired {
        let precision = *correct as f64 / docs.len() as f64;
        let shown: Vec<&str> = docs.iter().take(8).map(String::as_str).collect();
        let more = if docs.len() > 8 {
            format!(" … +{}", docs.len() - 8)
        } else {
            String::new()
        };
        say!(
            "{rule:<48} {:>5} {precision:>6.2}  {}{more}",
            docs.len(),
            shown.join(" ")
        );
    }
    let never: Vec<&str> = classifiers
        .iter()
        .flat_map(Classifier::rules)
        .map(|r| r.id.as_str())
        .filter(|id| !fired.contains_key(*id))
        .collect();
    say!("");
    say!("never fired ({}): {}", never.len(), never.join(" "));
}

/// What each rule's stopped matches did on the corpus, by why they were
/// stopped: `lost`, documents where the category it would have reported
/// is in the gold labels and missing from the output (the veto cost a
/// right label, unless another one did too); `saved`, documents where it
/// is in neither (the veto kept a wrong label out).
#[derive(Default)]
struct VetoTally {
    /// (rule, veto) -> (lost, saved, the first documents lost)
    by_rule: BTreeMap<(String, Veto), (u32, u32, Vec<String>)>,
    /// veto -> (lost, saved)
    by_veto: BTreeMap<Veto, (u32, u32)>,
    /// Gold labels the output lacks that some match had reported before a
    /// veto: each (document, category) once, however many rules it
    /// stopped.
    labels_lost: u32,
}

impl VetoTally {
    fn add(&mut self, doc: &Document, predicted: &Labels, vetoes: Vec<(String, Category, Veto)>) {
        let once: std::collections::BTreeSet<(String, Category, Veto)> =
            vetoes.into_iter().collect();
        let lost_here: std::collections::BTreeSet<Category> = once
            .iter()
            .map(|(_, category, _)| *category)
            .filter(|c| doc.gold.categories.contains(c) && !predicted.categories.contains(c))
            .collect();
        self.labels_lost += lost_here.len() as u32;
        for (rule, category, veto) in once {
            if predicted.categories.contains(&category) {
                continue;
            }
            let lost = doc.gold.categories.contains(&category);
            let entry = self.by_rule.entry((rule, veto)).or_default();
            let total = self.by_veto.entry(veto).or_default();
            if lost {
                entry.0 += 1;
                total.0 += 1;
                if entry.2.len() < 6 {
                    entry.2.push(doc.id.clone());
                }
            } else {
                entry.1 += 1;
                total.1 += 1;
            }
        }
    }

    fn print(&self) {
        say!("");
        say!(
            "gold labels missed that a stopped match had found: {}",
            self.labels_lost
        );
        say!("{:<16} {:>6} {:>6}", "veto", "lost", "saved");
        for (veto, (lost, saved)) in &self.by_veto {
            say!("{:<16} {lost:>6} {saved:>6}", veto.name());
        }
        let mut rows: Vec<_> = self.by_rule.iter().filter(|(_, v)| v.0 > 0).collect();
        rows.sort_by_key(|(k, v)| {
            (
                std::cmp::Reverse(i64::from(v.0) - i64::from(v.1)),
                (*k).clone(),
            )
        });
        say!("");
        say!(
            "{:<48} {:<16} {:>5} {:>6}  lost in",
            "rule",
            "veto",
            "lost",
            "saved"
        );
        for ((rule, veto), (lost, saved, docs)) in rows {
            say!(
                "{rule:<48} {:<16} {lost:>5} {saved:>6}  {}",
                veto.name(),
                docs.join(" ")
            );
        }
    }
}
