//! Helpers shared by the integration tests.

use std::path::PathBuf;
use std::process::Command;

/// The `classify` example binary, next to the test binaries. It is built
/// (or found up to date) once per test run, so that running one test target
/// alone never uses a stale binary.
pub fn classify_bin() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let mut dir = std::env::current_exe().expect("test binary path");
            dir.pop();
            if dir.ends_with("deps") {
                dir.pop();
            }
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let status = Command::new(cargo)
                .args(["build", "--quiet", "--example", "classify"])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .status()
                .expect("cargo runs");
            assert!(status.success(), "building the classify example failed");
            dir.join("examples")
                .join(format!("classify{}", std::env::consts::EXE_SUFFIX))
        })
        .clone()
}
