//! Properties that hold for any input text.

use proptest::prelude::*;
use recruiter_feedback::{Analysis, Category, Classifier, Role};
use unicode_normalization::UnicodeNormalization;

/// Sentences of real feedback: the examples every rule carries.
fn sentences() -> Vec<String> {
    let mut out: Vec<String> = Classifier::french()
        .rules()
        .iter()
        .flat_map(|r| r.examples.iter().chain(&r.counter_examples).cloned())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Arbitrary text mixing feedback sentences with hostile characters.
fn hostile_text() -> impl Strategy<Value = String> {
    let pool = sentences();
    let piece = prop_oneof![
        4 => proptest::sample::select(pool),
        1 => "\\PC{0,40}",
        1 => proptest::collection::vec(
            prop_oneof![
                Just('\u{0}'), Just('\u{200B}'), Just('\u{202E}'), Just('\u{301}'), Just('\u{FEFF}'),
                Just('\u{A0}'), Just('\n'), Just('.'), Just('«'), Just('’'), Just('😀'), Just('Ж'),
                Just('-'), Just('•'), Just('\r'), Just('\t'), Just('ﬁ'), Just('İ'), Just('ß'),
                Just('\u{2028}'), Just('\u{2029}'), Just('\u{85}'), Just('\u{B}'),
            ],
            0..30
        ).prop_map(|v| v.into_iter().collect::<String>()),
        1 => "[a-zé]{50,300}",
        // Shorthands, shouted lines and wide line breaks: what the
        // expansion of shorthands and the joining of wrapped lines read.
        1 => proptest::collection::vec(
            prop_oneof![
                Just("bcp"), Just("qqn"), Just("thx"), Just("ur"), Just("u"), Just("jsuis"),
                Just("VOTRE ANGLAIS"), Just("EST"), Just(","), Just("\u{2028}"), Just("\u{85}"),
                Just("\n"), Just("4 200 €"), Just("(40 k)"),
                // Check boxes of forms, whole and broken.
                Just("[ ]"), Just("[x]"), Just("☐"), Just("☑"), Just("[ ✓ ]"), Just("["), Just("]"),
            ],
            0..12
        ).prop_map(|v| v.join(" ")),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|v| v.join(" "))
}

/// Plain feedback: sentences of the pool joined by spaces.
fn feedback() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(sentences()), 1..5).prop_map(|v| v.join(" "))
}

/// Sentences that stand alone as body statements (no greeting, closing or
/// signature role), so that a document made of them can be cut anywhere
/// between two of them.
fn body_sentences() -> Vec<String> {
    let c = Classifier::french();
    sentences()
        .into_iter()
        .filter(|s| {
            let a = c.analyze(s);
            !a.statements.is_empty() && a.statements.iter().all(|st| st.role == Role::Body)
        })
        .collect()
}

fn check_spans(text: &str, a: &Analysis<'_>) {
    let mut last_end = 0;
    for s in &a.statements {
        assert!(s.start <= s.end && s.end <= text.len());
        assert!(s.start >= last_end, "statements overlap");
        last_end = s.end;
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        assert_eq!(&text[s.start..s.end], s.text);
        for f in &s.findings {
            let e = &f.evidence;
            assert!(
                s.start <= e.start && e.start < e.end && e.end <= s.end,
                "evidence outside statement"
            );
            assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
            assert_eq!(&text[e.start..e.end], e.text);
            assert_eq!(f.kind, f.category.kind());
            assert_eq!(f.facet.is_some(), f.category == Category::Bias);
        }
    }
    let causes = a.summary.controllable.len() + a.summary.external.len();
    assert!(!(a.summary.generic_rejection && causes > 0));
    assert_eq!(a.summary.primary_cause.is_some(), causes > 0);
}

fn strip_accents(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_spans_are_sound(text in hostile_text()) {
        let a = Classifier::french().analyze(&text);
        check_spans(&text, &a);
    }

    #[test]
    fn english_never_panics_and_detection_always_picks(text in hostile_text()) {
        let both = [Classifier::french(), Classifier::english()];
        let picked = Classifier::detect(&both, &text);
        prop_assert!(picked.is_some());
        let a = Classifier::english().analyze(&text);
        check_spans(&text, &a);
    }

    #[test]
    fn output_is_deterministic(text in hostile_text()) {
        let c = Classifier::french();
        let a = serde_json::to_string(&c.analyze(&text)).unwrap();
        let b = serde_json::to_string(&c.analyze(&text)).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn nfd_capitals_and_missing_accents_change_no_category(text in feedback()) {
        let c = Classifier::french();
        let base = c.analyze(&text);
        let expected = (base.categories(), base.summary.facets.clone(), base.summary.generic_rejection);
        for variant in [text.nfd().collect::<String>(), text.to_uppercase(), strip_accents(&text), text.nfc().collect()] {
            let a = c.analyze(&variant);
            check_spans(&variant, &a);
            prop_assert_eq!(
                (a.categories(), a.summary.facets.clone(), a.summary.generic_rejection),
                expected.clone(),
                "variant {:?}", variant
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn splitting_at_a_statement_boundary_keeps_the_categories(
        parts in proptest::collection::vec(proptest::sample::select(body_sentences()), 2..6),
        cut in 1usize..5,
    ) {
        let c = Classifier::french();
        let text = parts.join("\n\n");
        let whole = c.analyze(&text);
        let cut = cut.min(whole.statements.len() - 1).max(1);
        // A question answered no by the next statement (or the one after a
        // word of hesitation) is read with its answer: cutting between the
        // two is not a neutral cut.
        let asks = |i: usize| whole.statements[i].text.trim_end().ends_with('?');
        prop_assume!(!(asks(cut - 1) || cut >= 2 && asks(cut - 2)));
        // Nor is a cut between a heading and the items of its list.
        let heading_rules: Vec<&str> = c
            .rules()
            .iter()
            .filter(|r| !r.headings.is_empty())
            .map(|r| r.id.as_str())
            .collect();
        prop_assume!(!whole.statements[cut..].iter().flat_map(|s| &s.findings).any(|f| heading_rules.contains(&&*f.rule)));
        let at = whole.statements[cut].start;
        let (head, tail) = text.split_at(at);
        let mut union = c.analyze(head).categories();
        union.extend(c.analyze(tail).categories());
        union.sort();
        union.dedup();
        prop_assert_eq!(union, whole.categories());
    }

    #[test]
    fn zero_width_and_no_break_characters_change_no_category(
        text in feedback(),
        seeds in proptest::collection::vec(0usize..4, 1..40),
    ) {
        let c = Classifier::french();
        let expected = c.analyze(&text).categories();
        // Between words: a no-break or thin space instead of a space, or a
        // zero-width space beside it; inside words: a zero-width character.
        let mut noisy = String::new();
        for (k, ch) in text.chars().enumerate() {
            let seed = seeds[k % seeds.len()];
            match (ch, seed) {
                (' ', 0) => noisy.push('\u{A0}'),
                (' ', 1) => noisy.push_str(" \u{200B}"),
                (' ', 2) => noisy.push('\u{202F}'),
                (c, 3) if c.is_alphabetic() => {
                    noisy.push(c);
                    noisy.push('\u{200B}');
                }
                (c, _) => noisy.push(c),
            }
        }
        let a = c.analyze(&noisy);
        check_spans(&noisy, &a);
        prop_assert_eq!(a.categories(), expected, "noisy {:?}", noisy);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn an_option_left_unticked_adds_nothing_and_a_ticked_one_is_read_as_written(
        option in proptest::sample::select(body_sentences()),
        rest in feedback(),
        empty in proptest::sample::select(vec!["[ ]", "[]", "[_]", "☐"]),
        ticked in proptest::sample::select(vec!["[x]", "[X]", "[v]", "[✓]", "☑", "☒"]),
    ) {
        let c = Classifier::french();
        // One statement, and no question the next line could answer, nor a
        // box of its own (the next box ends what the first strikes).
        prop_assume!(c.analyze(&option).statements.len() == 1);
        prop_assume!(!option.trim_end().ends_with('?'));
        prop_assume!(!option.contains(['[', '☐', '☑', '☒']));
        let struck = format!("{empty} {option}\n{rest}");
        prop_assert_eq!(c.analyze(&struck).categories(), c.analyze(&rest).categories());
        let kept = format!("{ticked} {option}\n{rest}");
        let plain = format!("{option}\n{rest}");
        let a = c.analyze(&kept);
        check_spans(&kept, &a);
        prop_assert_eq!(a.categories(), c.analyze(&plain).categories());
    }
}

#[test]
fn pathological_inputs_complete() {
    let c = Classifier::french();
    let long_word = "a".repeat(200_000);
    let marks = format!("e{}", "\u{301}".repeat(10_000));
    let dots = ".".repeat(50_000);
    let bullets = "- ".repeat(20_000);
    let emoji = "😀".repeat(50_000);
    let no_punct = "manque d expérience ".repeat(5_000);
    for text in [
        long_word,
        marks,
        dots,
        bullets,
        emoji,
        no_punct,
        String::new(),
        "\u{0}".repeat(1000),
    ] {
        let a = c.analyze(&text);
        check_spans(&text, &a);
    }
}
