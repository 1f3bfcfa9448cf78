//! Any pattern, as a rule pattern and as a word class entry: parsing and
//! compiling never panic; a pattern that compiles matches without panicking.
//! A minimal ruleset keeps every run short, so the fuzzer explores more.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recruiter_feedback::{Category, ClassifierBuilder, Language, Rule};

const CATEGORIES: &str = include_str!("../../data/fr/categories.toml");

fuzz_target!(|data: &[u8]| {
    let Ok(pattern) = std::str::from_utf8(data) else {
        return;
    };
    let mut rule = Rule::new("fuzz.skills.pattern", Category::Skills);
    rule.patterns.push(pattern.to_string());
    rule.patterns.push("@fuzz ~2 fin".to_string());
    let mut builder = ClassifierBuilder::new(Language::Fr);
    builder
        .add_source("categories.toml", CATEGORIES)
        .add_source("classes.toml", "[classes]\nfuzz = [\"trop\"]\nnegation = [\"pas\"]\n")
        .add_words("fuzz", [pattern])
        .add_rule(rule);
    if let Ok(classifier) = builder.build() {
        let _ = classifier.analyze(pattern);
        let _ = classifier.analyze("Vos compétences en SQL restent insuffisantes, pas trop la fin.");
    }
});
