//! Any text: choosing its language and analysing it never panic, every
//! span is inside the input on character boundaries, and the summary
//! agrees with the findings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recruiter_feedback::{Category, Classifier};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let both = [Classifier::french(), Classifier::english()];
    let Some(classifier) = Classifier::detect(&both, &text) else {
        panic!("two classifiers, no pick");
    };
    let analysis = classifier.analyze(&text);
    for s in &analysis.statements {
        assert!(s.start <= s.end && s.end <= text.len());
        assert_eq!(&text[s.start..s.end], s.text);
        for f in &s.findings {
            let e = &f.evidence;
            assert!(s.start <= e.start && e.start < e.end && e.end <= s.end);
            assert_eq!(&text[e.start..e.end], e.text);
            assert_eq!(f.facet.is_some(), f.category == Category::Bias);
        }
    }
    let causes = analysis.summary.controllable.len() + analysis.summary.external.len();
    assert!(!(analysis.summary.generic_rejection && causes > 0));
});
