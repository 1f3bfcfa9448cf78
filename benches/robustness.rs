//! Time on hostile input grows linearly: each shape at 1, 4 and 16 MB, with
//! the ratio of time per byte between the largest and the smallest.
//!
//! ```sh
//! cargo bench --bench robustness
//! ```

use std::time::{Duration, Instant};

use recruiter_feedback::Classifier;

/// A text of about `bytes` bytes of the given shape.
fn shape(name: &str, bytes: usize) -> String {
    let unit: String = match name {
        "one line, no punctuation" => {
            "manque d expérience vous ne maîtrisez pas excel trop scolaire ".into()
        }
        "emoji" => "😀🎉👍".into(),
        "combining marks" => format!("e{}", "\u{301}".repeat(1000)),
        "sentence terminators" => "?!.".into(),
        "bullets" => "- \n".into(),
        "zero-width in words" => "comp\u{200b}étences insuf\u{200b}fisantes ".into(),
        "control characters" => "\u{0}\u{1}a\u{7f}\u{202e} ".into(),
        "long words" => "x".repeat(10_000) + " ",
        "mixed scripts" => "Привет 你好 مرحبا compétences ".into(),
        // Every line goes on with the one before: one block of the whole text.
        "shouted wrapped lines" => {
            "VOTRE EXPERIENCE EST TROP\u{2028}JUSTE POUR CE POSTE ET\n".into()
        }
        "texting and typos" => {
            "jsuis dsl bcp de lacunes qqn d'autre experiance insufisante thx ur ".into()
        }
        "real feedback" => {
            "Vos réponses étaient justes mais trop scolaires. Nous conservons votre CV.\n".into()
        }
        _ => unreachable!("unknown shape"),
    };
    let mut s = String::with_capacity(bytes + unit.len());
    while s.len() < bytes {
        s.push_str(&unit);
    }
    s
}

fn time(f: impl Fn() -> usize) -> Duration {
    let mut runs: Vec<Duration> = (0..3)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    runs.sort();
    runs[1]
}

fn main() {
    let c = Classifier::french();
    let shapes = [
        "real feedback",
        "one line, no punctuation",
        "emoji",
        "combining marks",
        "sentence terminators",
        "bullets",
        "zero-width in words",
        "control characters",
        "long words",
        "mixed scripts",
        "shouted wrapped lines",
        "texting and typos",
    ];
    println!(
        "{:<26} {:>10} {:>10} {:>10} {:>8}",
        "shape", "1 MB", "4 MB", "16 MB", "16/1"
    );
    for name in shapes {
        let mut per_byte = Vec::new();
        let mut cells = Vec::new();
        for mb in [1usize, 4, 16] {
            let text = shape(name, mb << 20);
            let d = time(|| c.analyze(&text).statements.len());
            per_byte.push(d.as_secs_f64() / text.len() as f64);
            cells.push(format!(
                "{:.1} MB/s",
                text.len() as f64 / d.as_secs_f64() / 1e6
            ));
        }
        println!(
            "{name:<26} {:>10} {:>10} {:>10} {:>8.2}",
            cells[0],
            cells[1],
            cells[2],
            per_byte[2] / per_byte[0]
        );
    }
}
