//! The `classify` example, run as a user runs it.

mod support;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use support::classify_bin;

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(classify_bin())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("classify starts");
    // The program may exit before reading its input (usage errors): ignore EPIPE.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The run ended with exit code `code` and said `message` on stderr.
fn fails_with(out: &Output, code: i32, message: &str) {
    assert_eq!(out.status.code(), Some(code), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains(message), "{}", text(&out.stderr));
}

#[test]
fn help_is_printed_on_stdout_and_succeeds() {
    for flag in ["--help", "-h"] {
        let out = run(&[flag], b"");
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
        let help = text(&out.stdout);
        assert!(help.starts_with("usage: classify"), "{help}");
        // Every option is explained, not only named.
        for option in ["--jsonl", "--jobs N", "--check-rules DIR", "--lossy"] {
            assert!(help.contains(&format!("\n  {option} ")), "{option}: {help}");
        }
    }
    // A wrong option is still a usage error, on stderr.
    fails_with(&run(&["--bogus"], b""), 2, "unknown option `--bogus`");
}

#[test]
fn report_on_the_shipped_example() {
    let out = run(&["data/examples/feedback-fr.txt"], b"");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(report.contains("evidence «trop scolaires»"), "{report}");
    assert!(report.contains("Summary"));
    assert!(report.contains("Advice"));
    assert!(report.contains("[greeting] Bonjour Madame Lemoine,"));
}

#[test]
fn json_reads_stdin_as_one_document() {
    let out = run(
        &["--json", "-"],
        "Profil trop junior.\nLe poste a été pourvu.".as_bytes(),
    );
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["summary"]["controllable"],
        serde_json::json!(["experience"])
    );
    assert_eq!(
        v["summary"]["external"],
        serde_json::json!(["other_candidate"])
    );
    assert_eq!(v["statements"].as_array().unwrap().len(), 2);
}

#[test]
fn jsonl_echoes_ids_and_reports_bad_lines_without_stopping() {
    let input = concat!(
        "{\"id\": \"a\", \"text\": \"Vos prétentions salariales sont trop élevées.\", \"labels\": [\"salary\"]}\n",
        "not json\n",
        "\n",
        "{\"id\": 7, \"text\": \"Nous conservons votre CV.\"}\n",
        "{\"text\": \"sans id\"}\n",
    );
    let out = run(&["--jsonl"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("line 2: not a JSON object"), "{stderr}");
    assert!(stderr.contains("line 5: no `id` field"), "{stderr}");
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(
        lines[0]["summary"]["controllable"],
        serde_json::json!(["salary"])
    );
    assert_eq!(lines[1]["id"], 7);
    assert_eq!(
        lines[1]["summary"]["signals"],
        serde_json::json!(["future_opportunity"])
    );
}

#[test]
fn invalid_utf8_is_refused_with_its_offset_or_replaced_with_lossy() {
    let bytes = b"Profil trop junior. \xff\xfe fin";
    let out = run(&["--json"], bytes);
    fails_with(&out, 1, "invalid UTF-8 at byte offset 20");
    let out = run(&["--json", "--lossy"], bytes);
    assert!(out.status.success());
    assert!(
        text(&out.stderr).contains("replaced 2 invalid UTF-8 sequences"),
        "{}",
        text(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["summary"]["controllable"],
        serde_json::json!(["experience"])
    );
}

#[test]
fn each_jsonl_document_is_read_in_its_own_language_unless_lang_says() {
    let input = concat!(
        r#"{"id": "fr", "text": "Le poste a été pourvu en interne."}"#,
        "\n",
        r#"{"id": "en", "text": "The position has been filled by an internal candidate."}"#,
        "\n",
    );
    let languages = |args: &[&str]| -> Vec<String> {
        let out = run(args, input.as_bytes());
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                assert_eq!(
                    v["summary"]["external"],
                    serde_json::json!(["other_candidate"])
                );
                v["language"].as_str().unwrap().to_string()
            })
            .collect()
    };
    assert_eq!(languages(&["--jsonl"]), ["fr", "en"]);
    assert_eq!(languages(&["--jsonl", "--jobs", "2"]), ["fr", "en"]);
    let out = run(&["--jsonl", "--lang", "en"], input.as_bytes());
    let forced: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(forced[0]["language"], "en");
    assert_eq!(forced[1]["language"], "en");
    let out = run(&["--lang", "de"], b"x");
    fails_with(&out, 2, "--lang: unknown language `de`");
}

#[test]
fn unreadable_file_and_bad_options_are_clear_errors() {
    let out = run(&["/no/such/file.txt"], b"");
    fails_with(&out, 1, "/no/such/file.txt");
    let out = run(&["--frobnicate"], b"");
    fails_with(&out, 2, "unknown option `--frobnicate`");
}

#[test]
fn check_rules_passes_on_the_shipped_rules_and_fails_on_broken_ones() {
    for args in [
        &["--check-rules", "data/fr"][..],
        &["--lang", "en", "--check-rules", "data/en"],
    ] {
        let out = run(args, b"");
        assert!(
            out.status.success(),
            "{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        assert!(text(&out.stdout).contains("every example and counter-example behaves"));
    }
    let out = run(&["--check-rules", "data/en"], b"");
    fails_with(&out, 2, "file is for language `en`, the ruleset is `fr`");

    let dir = std::env::temp_dir().join(format!("rf-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("r.toml"),
        "[categories.skills]\nname = \"C\"\nadvice = \"A\"\n[[rule]]\nid = \"t.skills.a\"\ncategory = \"skills\"\npatterns = [\"(zorglub | Zorglüb)\"]\nexamples = [\"autre chose\"]\n",
    )
    .unwrap();
    let out = run(&["--check-rules", dir.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("rule `t.skills.a`: example not matched: «autre chose»"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stdout)
            .contains("rule `t.skills.a`: alternative written twice in one group: «zorglub»"),
        "{}",
        text(&out.stdout)
    );
    let out = run(
        &["--rules", dir.to_str().unwrap(), "--json"],
        "zorglub".as_bytes(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["controllable"], serde_json::json!(["skills"]));

    std::fs::write(
        dir.join("r.toml"),
        "[[rule]]\nid = \"t.skills.a\"\ncategory = \"skillz\"\n",
    )
    .unwrap();
    let out = run(&["--rules", dir.to_str().unwrap()], b"x");
    fails_with(&out, 2, "unknown category `skillz`");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn jsonl_jobs_keep_the_input_order() {
    let mut input = String::new();
    for i in 0..300 {
        let text = [
            "Profil trop junior.",
            "Le poste a été pourvu.",
            "Nous conservons votre CV.",
        ][i % 3];
        input.push_str(&format!("{{\"id\": {i}, \"text\": \"{text}\"}}\n"));
        // A blank line and a broken one, well past the first chunks.
        if i == 150 {
            input.push_str("\n{\"id\": \"broken\"}\n");
        }
    }
    let one = run(&["--jsonl"], input.as_bytes());
    for jobs in ["2", "3"] {
        let many = run(&["--jsonl", "--jobs", jobs], input.as_bytes());
        assert_eq!(many.status.code(), Some(1));
        assert_eq!(one.stdout, many.stdout);
        assert_eq!(text(&many.stdout).lines().count(), 300);
        assert_eq!(
            text(&many.stderr),
            "classify: line 153: no string `text` field\n"
        );
    }
    assert_eq!(
        text(&one.stderr),
        "classify: line 153: no string `text` field\n"
    );
    let out = run(&["--jsonl", "--jobs", "0"], b"");
    fails_with(&out, 2, "--jobs needs a positive number");
}
