//! Classifies recruiter feedback from a file or standard input.
//!
//! ```text
//! classify [OPTIONS] [FILE|-]
//!
#![doc = include_str!("support/classify_help.txt")]
//! ```
//!
//! `--jsonl` streams: lines are read, analysed and written one at a time,
//! or with `--jobs` in small chunks of which only a few are in flight, so
//! memory does not grow with the input.
//!
//! Exit status: 0 on success, 1 when some input was refused (each problem is
//! reported on stderr, the other lines are still processed), 2 on a usage or
//! ruleset error.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufWriter, Read, Write};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError, mpsc};

#[path = "support/rulesets.rs"]
mod rulesets;

use recruiter_feedback::{Analysis, Classifier, Kind, Language, Role};
use rulesets::{Rulesets, from_dir, parse_lang};
use serde::Serialize;

const USAGE: &str = "usage: classify [--json | --jsonl [--jobs N]] [--lang fr|en] [--rules DIR] [--lossy] [FILE|-]\n       classify [--lang fr|en] --check-rules DIR";
/// What each option does, printed by `--help` (and shown in the docs above).
const OPTIONS: &str = include_str!("support/classify_help.txt");

#[derive(Default)]
struct Options {
    mode: Mode,
    lang: Option<Language>,
    rules: Option<String>,
    check_rules: Option<String>,
    lossy: bool,
    jobs: usize,
    input: Option<String>,
    help: bool,
}

#[derive(Default, PartialEq)]
enum Mode {
    #[default]
    Report,
    Json,
    Jsonl,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        jobs: 1,
        ..Options::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--json" => o.mode = Mode::Json,
            "--jsonl" => o.mode = Mode::Jsonl,
            "--lossy" => o.lossy = true,
            "--jobs" => {
                let n = args.next().ok_or("--jobs needs a number")?;
                o.jobs = n
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--jobs needs a positive number, got `{n}`"))?;
            }
            "--lang" => o.lang = Some(parse_lang(args.next())?),
            "--rules" => o.rules = Some(args.next().ok_or("--rules needs a directory")?),
            "--check-rules" => {
                o.check_rules = Some(args.next().ok_or("--check-rules needs a directory")?)
            }
            "-h" | "--help" => o.help = true,
            "-" => o.input = Some(a),
            _ if a.starts_with('-') => return Err(format!("unknown option `{a}`")),
            _ if o.input.is_some() => return Err(format!("only one input file, got `{a}` too")),
            _ => o.input = Some(a),
        }
    }
    Ok(o)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("classify: {msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if options.help {
        print!("{USAGE}\n\n{OPTIONS}");
        return ExitCode::SUCCESS;
    }
    if let Some(dir) = &options.check_rules {
        return check_rules(dir, options.lang.unwrap_or(Language::Fr));
    }
    let rulesets = match Rulesets::load(options.rules.as_deref(), options.lang) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("classify: {e}");
            return ExitCode::from(2);
        }
    };
    let result = match options.mode {
        Mode::Jsonl => run_jsonl(&rulesets, &options),
        _ => run_document(&rulesets, &options),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("classify: {e}");
            ExitCode::from(1)
        }
    }
}

fn check_rules(dir: &str, lang: Language) -> ExitCode {
    let classifier = match from_dir(dir, lang) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("classify: {e}");
            return ExitCode::from(2);
        }
    };
    let failures = classifier.check_rules();
    for f in &failures {
        println!("{f}");
    }
    let rules = classifier.rules().len();
    if failures.is_empty() {
        println!("{rules} rules: every example and counter-example behaves");
        ExitCode::SUCCESS
    } else {
        println!("{rules} rules: {} failing examples", failures.len());
        ExitCode::from(1)
    }
}

fn open_input(options: &Options) -> io::Result<Box<dyn BufRead + Send>> {
    match options.input.as_deref() {
        None | Some("-") => Ok(Box::new(io::BufReader::new(io::stdin()))),
        Some(path) => std::fs::File::open(path)
            .map(|f| Box::new(io::BufReader::new(f)) as Box<dyn BufRead + Send>)
            .map_err(|e| io::Error::new(e.kind(), format!("{path}: {e}"))),
    }
}

/// Decodes `bytes`, or says where the first invalid byte is.
fn decode(bytes: Vec<u8>, lossy: bool) -> Result<(String, usize), String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s, 0)),
        Err(e) if lossy => {
            let bytes = e.into_bytes();
            let text = String::from_utf8_lossy(&bytes);
            let replaced = text.matches('\u{FFFD}').count() - count_replacement_chars(&bytes);
            Ok((text.into_owned(), replaced))
        }
        Err(e) => Err(format!(
            "invalid UTF-8 at byte offset {} (use --lossy to replace invalid sequences)",
            e.utf8_error().valid_up_to()
        )),
    }
}

/// U+FFFD characters already present in the valid parts of `bytes`.
fn count_replacement_chars(bytes: &[u8]) -> usize {
    bytes
        .windows(3)
        .filter(|w| *w == [0xEF, 0xBF, 0xBD])
        .count()
}

/// Tells on stderr how many invalid UTF-8 sequences `--lossy` replaced.
fn report_replaced(replaced: usize) {
    match replaced {
        0 => {}
        1 => eprintln!("classify: replaced 1 invalid UTF-8 sequence"),
        n => eprintln!("classify: replaced {n} invalid UTF-8 sequences"),
    }
}

fn run_document(rulesets: &Rulesets, options: &Options) -> Result<bool, String> {
    let mut input = open_input(options).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    let (text, replaced) = decode(bytes, options.lossy)?;
    report_replaced(replaced);
    let classifier = rulesets.for_text(&text);
    let analysis = classifier.analyze(&text);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let written = if options.mode == Mode::Json {
        serde_json::to_writer_pretty(&mut out, &analysis)
            .map_err(io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        report(&mut out, classifier, &analysis)
    };
    written
        .and_then(|_| out.flush())
        .map_err(|e| e.to_string())?;
    Ok(true)
}

#[derive(Serialize)]
struct Line<'a, 't> {
    id: &'a serde_json::Value,
    #[serde(flatten)]
    analysis: &'a Analysis<'t>,
}

/// Streams corpus lines: one analysis per line, problems on stderr.
fn run_jsonl(rulesets: &Rulesets, options: &Options) -> Result<bool, String> {
    let mut reader = LineReader {
        input: open_input(options).map_err(|e| e.to_string())?,
        number: 0,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut ok = true;
    let mut write = |line: usize, result: Result<String, String>| match result {
        Ok(json) => out.write_all(json.as_bytes()).map_err(|e| e.to_string()),
        Err(msg) => {
            eprintln!("classify: line {line}: {msg}");
            ok = false;
            Ok(())
        }
    };
    if options.jobs <= 1 {
        loop {
            let chunk = reader.chunk(1).map_err(|e| e.to_string())?;
            let Some((line, bytes)) = chunk.into_iter().next() else {
                break;
            };
            write(line, process_line(rulesets, bytes, options.lossy))?;
        }
    } else {
        pipeline(rulesets, options, reader, &mut write)?;
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok(ok)
}

/// Numbered lines of the input, read a chunk at a time.
struct LineReader {
    input: Box<dyn BufRead + Send>,
    /// The number of the last line read.
    number: usize,
}

/// Numbered corpus lines, as read.
type Chunk = Vec<(usize, Vec<u8>)>;

/// A chunk ends after this many bytes even when it holds fewer lines.
const CHUNK_BYTES: usize = 64 << 10;

impl LineReader {
    /// Up to `lines` non-blank lines (fewer at the end of the input or
    /// after [`CHUNK_BYTES`]); empty when the input is exhausted.
    fn chunk(&mut self, lines: usize) -> io::Result<Chunk> {
        let mut chunk = Vec::new();
        let mut bytes = 0;
        while chunk.len() < lines && bytes < CHUNK_BYTES {
            let mut buf = Vec::new();
            let n = self.input.read_until(b'\n', &mut buf)?;
            if n == 0 {
                break;
            }
            self.number += 1;
            bytes += n;
            if !buf.iter().all(u8::is_ascii_whitespace) {
                chunk.push((self.number, buf));
            }
        }
        Ok(chunk)
    }
}

/// Lines a thread takes at a time: lines differ widely in length, so
/// threads take small chunks whenever they are free rather than fixed
/// shares, and none waits on another.
const CHUNK_LINES: usize = 16;

/// Chunks in flight per thread (read, not yet written): what bounds memory
/// whatever the input, and keeps every thread fed.
const IN_FLIGHT_PER_JOB: usize = 4;

/// Analyses on `--jobs` threads while one thread reads ahead and this one
/// writes the results back in input order, so that reading and writing
/// overlap the analysis.
fn pipeline(
    rulesets: &Rulesets,
    options: &Options,
    mut reader: LineReader,
    write: &mut impl FnMut(usize, Result<String, String>) -> Result<(), String>,
) -> Result<(), String> {
    let in_flight = options.jobs * IN_FLIGHT_PER_JOB;
    std::thread::scope(|scope| {
        // Everything is created in this closure so that an early return
        // (a write error) drops the channels and every thread stops.
        let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Chunk)>(in_flight);
        let (done_tx, done_rx) = mpsc::channel();
        // The reader takes a ticket per chunk; the writer gives it back
        // once the chunk is written.
        let (ticket_tx, ticket_rx) = mpsc::sync_channel::<()>(in_flight);
        for _ in 0..in_flight {
            let _ = ticket_tx.send(());
        }
        let reading = scope.spawn(move || -> io::Result<()> {
            for seq in 0usize.. {
                let chunk = reader.chunk(CHUNK_LINES)?;
                if chunk.is_empty() || ticket_rx.recv().is_err() {
                    break;
                }
                if work_tx.send((seq, chunk)).is_err() {
                    break;
                }
            }
            Ok(())
        });
        // Shared by the workers: dropped with the last of them, so that the
        // reader stops too.
        let work_rx = Arc::new(Mutex::new(work_rx));
        for _ in 0..options.jobs {
            let (work_rx, done_tx) = (Arc::clone(&work_rx), done_tx.clone());
            scope.spawn(move || {
                loop {
                    let next = work_rx
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .recv();
                    let Ok((seq, chunk)) = next else { return };
                    let results: Vec<_> = chunk
                        .into_iter()
                        .map(|(line, bytes)| (line, process_line(rulesets, bytes, options.lossy)))
                        .collect();
                    if done_tx.send((seq, results)).is_err() {
                        return;
                    }
                }
            });
        }
        drop((done_tx, work_rx));
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (seq, results) in done_rx {
            waiting.insert(seq, results);
            while let Some(results) = waiting.remove(&next) {
                for (line, result) in results {
                    write(line, result)?;
                }
                next += 1;
                let _ = ticket_tx.send(());
            }
        }
        reading
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
            .map_err(|e| e.to_string())
    })
}

/// One corpus line in, one JSON line out (with its newline).
fn process_line(rulesets: &Rulesets, bytes: Vec<u8>, lossy: bool) -> Result<String, String> {
    let (line, replaced) = decode(bytes, lossy)?;
    report_replaced(replaced);
    let value: serde_json::Value =
        serde_json::from_str(&line).map_err(|e| format!("not a JSON object: {e}"))?;
    let id = value.get("id").ok_or("no `id` field")?;
    let text = value
        .get("text")
        .and_then(|t| t.as_str())
        .ok_or("no string `text` field")?;
    let analysis = rulesets.for_text(text).analyze(text);
    let mut json = serde_json::to_string(&Line {
        id,
        analysis: &analysis,
    })
    .map_err(|e| format!("cannot serialize: {e}"))?;
    json.push('\n');
    Ok(json)
}

/// The human-readable report.
fn report(
    out: &mut impl Write,
    classifier: &Classifier,
    analysis: &Analysis<'_>,
) -> io::Result<()> {
    let name = |c| classifier.category_name(c).unwrap_or(c.name()).to_string();
    for (i, s) in analysis.statements.iter().enumerate() {
        let role = match s.role {
            Role::Body => String::new(),
            r => format!(" [{}]", r.name()),
        };
        writeln!(out, "{:>3}.{role} {}", i + 1, s.text.replace('\n', " "))?;
        for f in &s.findings {
            let facet = f
                .facet
                .map(|x| format!(" – {}", classifier.facet_name(x).unwrap_or(x.name())))
                .unwrap_or_default();
            writeln!(
                out,
                "     → {}{facet} [{}/{}] confidence {:.2}, rule {}",
                name(f.category),
                f.kind,
                f.facet.map_or(f.category.name().to_string(), |x| format!(
                    "{}:{x}",
                    f.category
                )),
                f.confidence,
                f.rule
            )?;
            writeln!(
                out,
                "       evidence «{}» (bytes {}..{})",
                f.evidence.text, f.evidence.start, f.evidence.end
            )?;
        }
    }
    let s = &analysis.summary;
    let list = |cs: &[recruiter_feedback::Category]| {
        if cs.is_empty() {
            "—".to_string()
        } else {
            cs.iter().map(|c| name(*c)).collect::<Vec<_>>().join(", ")
        }
    };
    writeln!(out)?;
    writeln!(out, "Summary")?;
    let rows = [
        (
            format!("depends on you ({})", Kind::Controllable),
            list(&s.controllable),
        ),
        (format!("does not ({})", Kind::External), list(&s.external)),
        (
            format!("worth keeping ({})", Kind::Signal),
            list(&s.signals),
        ),
    ];
    for (label, value) in rows {
        writeln!(out, "  {label:<30} {value}")?;
    }
    if let Some(p) = s.primary_cause {
        writeln!(out, "  {:<30} {}", "primary cause", name(p))?;
    }
    if let Some(share) = s.controllable_share {
        writeln!(out, "  {:<30} {:.0} %", "controllable share", share * 100.0)?;
    }
    writeln!(
        out,
        "  {:<30} {}",
        "generic rejection",
        if s.generic_rejection { "yes" } else { "no" }
    )?;
    if !s.advice.is_empty() {
        writeln!(out)?;
        writeln!(out, "Advice")?;
        for a in &s.advice {
            writeln!(out, "  • {}: {}", a.title, a.text)?;
        }
    }
    Ok(())
}
