//! A catalogue of broken rule files, one per way a rule file can be wrong,
//! each with the exact error it must produce (its first line,
//! `# expect: …`).

use recruiter_feedback::{ClassifierBuilder, Language};

/// What every broken file is loaded with: display texts for every category
/// but `feedback_offer`, and one class named `base`.
const BASE: &str = r#"
[classes]
base = ["x"]
[categories.skills]
name = "n"
advice = "a"
[categories.bias]
name = "n"
advice = "a"
"#;

fn expected_and_actual() -> Vec<(String, String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/broken-rules");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(path).unwrap();
            let expected = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# expect: "))
                .unwrap_or_else(|| panic!("{name}: first line must be `# expect: <error>`"))
                .to_string();
            let actual = match ClassifierBuilder::new(Language::Fr)
                .add_source("base.toml", BASE)
                .add_source(format!("broken/{name}"), text)
                .build()
            {
                Ok(_) => "<no error>".to_string(),
                Err(e) => e.to_string(),
            };
            (name, expected, actual)
        })
        .collect()
}

#[test]
fn every_broken_file_gives_its_exact_error() {
    let results = expected_and_actual();
    assert!(
        results.len() >= 25,
        "the catalogue has only {} files",
        results.len()
    );
    let wrong: Vec<String> = results
        .iter()
        .filter(|(_, e, a)| e != a)
        .map(|(n, e, a)| format!("{n}:\n  expected {e}\n  actual   {a}"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_error_names_the_file() {
    for (name, _, actual) in expected_and_actual() {
        assert!(
            actual.contains(&format!("broken/{name}")) || actual.starts_with("<api>"),
            "{name}: {actual}"
        );
    }
}
