//! Any pattern, as a rule pattern and as a word class entry: parsing and
//! compiling never panic; a pattern that compiles matches without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recruiter_feedback::{Category, ClassifierBuilder, Rule};

fuzz_target!(|data: &[u8]| {
    let Ok(pattern) = std::str::from_utf8(data) else {
        return;
    };
    let mut rule = Rule::new("fuzz.skills.pattern", Category::Skills);
    rule.patterns.push(pattern.to_string());
    let mut builder = ClassifierBuilder::french();
    builder.add_rule(rule).add_words("insuffisant", [pattern]);
    if let Ok(classifier) = builder.build() {
        let _ = classifier.analyze(pattern);
        let _ = classifier.analyze("Vos compétences en SQL restent insuffisantes, et vous manquez d'expérience.");
    }
});
