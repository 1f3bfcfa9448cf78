//! The README shows what the tools really print.

mod support;

use std::process::Command;

#[test]
fn readme_reports_are_the_classify_output() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (file, marker) in [
        ("data/examples/feedback-fr.txt", "report"),
        ("data/examples/feedback-en.txt", "report-en"),
    ] {
        let out = Command::new(support::classify_bin())
            .arg(file)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(out.status.success());
        let report = String::from_utf8(out.stdout).unwrap();
        let open = format!("<!-- {marker}:start -->\n```text\n");
        let start = readme.find(&open).expect("report start marker") + open.len();
        let end = start
            + readme[start..]
                .find(&format!("```\n<!-- {marker}:end -->"))
                .expect("report end marker");
        assert_eq!(
            &readme[start..end],
            report,
            "README report of {file} is stale: regenerate it from the classify output"
        );
    }
}
