//! Any rule file: loading never panics and never hangs; when it loads, the
//! classifier it gives analyses text without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recruiter_feedback::{ClassifierBuilder, Language};

const CATEGORIES: &str = include_str!("../../data/fr/categories.toml");

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let mut builder = ClassifierBuilder::new(Language::Fr);
    builder.add_source("categories.toml", CATEGORIES).add_source("fuzz.toml", source);
    if let Ok(classifier) = builder.build() {
        let _ = classifier.analyze("Vous manquez d'expé, bcp de lacunes ; on a pris qqn d'autre, mais votre profil est intéressant.");
        let _ = classifier.check_rules();
    }
});
