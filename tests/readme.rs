//! The README shows what the tools really print.

mod support;

use std::process::Command;

#[test]
fn readme_report_is_the_classify_output() {
    let bin = support::classify_bin();
    let out = Command::new(bin)
        .arg("data/examples/feedback-fr.txt")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let report = String::from_utf8(out.stdout).unwrap();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- report:start -->\n```text\n")
        .expect("report start marker")
        + 30;
    let end = readme
        .find("```\n<!-- report:end -->")
        .expect("report end marker");
    assert_eq!(
        &readme[start..end],
        report,
        "README report is stale: regenerate it from the classify output"
    );
}
