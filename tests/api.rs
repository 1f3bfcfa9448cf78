//! The public API as an embedding tool uses it.

use std::panic::{RefUnwindSafe, UnwindSafe};

use recruiter_feedback::{
    Analysis, Category, CheckKind, Classifier, ClassifierBuilder, Error, Facet, Kind, Language,
    Limits, Negation, Role, Rule, Topic, internals,
};

fn assert_shareable<T: Send + Sync + UnwindSafe + RefUnwindSafe>() {}

#[test]
fn public_types_are_send_sync_and_unwind_safe() {
    assert_shareable::<Classifier>();
    assert_shareable::<ClassifierBuilder>();
    assert_shareable::<Analysis<'static>>();
    assert_shareable::<Rule>();
    // Error holds an io::Error (a boxed trait object): Send + Sync only.
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Error>();
    assert_shareable::<Limits>();
}

#[test]
fn a_classifier_is_shared_across_threads() {
    let c = Classifier::french();
    let texts = [
        "Profil trop junior.",
        "Le poste a été pourvu.",
        "Vos prétentions sont trop élevées.",
    ];
    let expected = [
        Category::Experience,
        Category::OtherCandidate,
        Category::Salary,
    ];
    std::thread::scope(|s| {
        let handles: Vec<_> = texts
            .iter()
            .map(|t| {
                let c = &c;
                s.spawn(move || c.analyze(t).categories())
            })
            .collect();
        for (h, e) in handles.into_iter().zip(expected) {
            assert_eq!(h.join().unwrap(), vec![e]);
        }
    });
}

#[test]
fn summary_sorts_causes_by_kind_and_gives_advice_for_each() {
    let text = "Vos compétences en SQL restent à renforcer. Le poste a été pourvu en interne. \
                Nous conservons votre CV.";
    let a = Classifier::french().analyze(text);
    let s = &a.summary;
    assert_eq!(s.controllable, [Category::Skills]);
    assert_eq!(s.external, [Category::OtherCandidate]);
    assert_eq!(s.signals, [Category::FutureOpportunity]);
    assert_eq!(s.controllable_share, Some(0.5));
    assert!(!s.generic_rejection);
    let topics: Vec<Topic> = s.advice.iter().map(|a| a.category).collect();
    assert!(topics.contains(&Topic::Category(Category::Skills)));
    assert!(topics.contains(&Topic::Category(Category::OtherCandidate)));
    assert!(
        s.advice
            .iter()
            .all(|a| !a.text.is_empty() && !a.title.is_empty())
    );
    assert!(matches!(
        s.primary_cause,
        Some(Category::Skills | Category::OtherCandidate)
    ));
}

#[test]
fn bias_advice_is_given_per_facet() {
    let a =
        Classifier::french().analyze("Vous êtes resté trop technique, et un peu trop sûr de vous.");
    assert_eq!(
        a.summary.facets,
        [Facet::Overconfident, Facet::TooTechnical]
    );
    let facets: Vec<_> = a.summary.advice.iter().filter_map(|x| x.facet).collect();
    assert_eq!(facets.len(), 2);
}

#[test]
fn a_generic_rejection_gets_its_own_advice() {
    let a = Classifier::french().analyze(
        "Bonjour,\nNous sommes au regret de ne pas donner suite à votre candidature.\nCordialement",
    );
    assert!(a.summary.generic_rejection);
    assert_eq!(a.summary.primary_cause, None);
    assert_eq!(a.summary.controllable_share, None);
    assert_eq!(a.summary.advice.len(), 1);
    assert_eq!(a.summary.advice[0].category, Topic::GenericRejection);
}

#[test]
fn courtesy_lines_have_roles_and_no_findings() {
    let a = Classifier::french().analyze(
        "Bonjour Madame Durand,\n\nVotre profil est très intéressant.\n\nBien cordialement,\nPaul Martin\nDirecteur",
    );
    let roles: Vec<Role> = a.statements.iter().map(|s| s.role).collect();
    assert_eq!(
        roles,
        [
            Role::Greeting,
            Role::Body,
            Role::Closing,
            Role::Signature,
            Role::Signature
        ]
    );
    assert_eq!(a.summary.signals, [Category::Strength]);
}

#[test]
fn findings_quote_the_original_text() {
    let text = "Vos RÉPONSES étaient «\u{a0}trop  scolaires\u{a0}», il nous a semblé.";
    let a = Classifier::french().analyze(text);
    let f = a.findings().next().expect("a finding");
    assert_eq!(f.category, Category::Bias);
    assert_eq!(f.kind, Kind::Controllable);
    assert_eq!(f.evidence.text, "trop  scolaires");
    assert_eq!(&text[f.evidence.start..f.evidence.end], f.evidence.text);
    // Hedged: confidence lowered, not cancelled.
    assert!(f.confidence < 0.9);
}

#[test]
fn spans_shift_exactly_with_a_prefix() {
    let text = "Votre maîtrise d'Excel reste insuffisante, mais votre rigueur a été appréciée. \
                Le poste a été pourvu.";
    let c = Classifier::french();
    let base = c.analyze(text);
    for prefix in [
        "x\n\n",
        "Ééé àà\n\n",
        "😀🎉 ✓\n\n",
        "ok.\n\n",
        "\u{301}\u{200B}\n\n",
    ] {
        let shifted = format!("{prefix}{text}");
        let a = c.analyze(&shifted);
        let body: Vec<_> = a
            .statements
            .iter()
            .filter(|s| s.start >= prefix.len())
            .collect();
        assert_eq!(body.len(), base.statements.len(), "prefix {prefix:?}");
        for (s, b) in body.iter().zip(&base.statements) {
            assert_eq!(s.start, b.start + prefix.len());
            assert_eq!(s.end, b.end + prefix.len());
            assert_eq!(s.findings.len(), b.findings.len());
            for (f, g) in s.findings.iter().zip(&b.findings) {
                assert_eq!(f.evidence.start, g.evidence.start + prefix.len());
                assert_eq!(f.evidence.end, g.evidence.end + prefix.len());
                assert_eq!(f.rule, g.rule);
            }
        }
    }
}

#[test]
fn json_output_follows_the_contract() {
    let text = "Vos réponses étaient justes mais trop scolaires.";
    let a = Classifier::french().analyze(text);
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["language"], "fr");
    let st = &v["statements"][0];
    assert_eq!(st["start"], 0);
    assert_eq!(st["end"], text.len());
    assert_eq!(st["text"], text);
    let bias = st["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["category"] == "bias")
        .unwrap();
    assert_eq!(bias["kind"], "controllable");
    assert_eq!(bias["facet"], "too_academic");
    assert_eq!(bias["rule"], "fr.bias.scolaire");
    assert!(bias["evidence"]["start"].is_u64());
    let s = &v["summary"];
    assert_eq!(s["controllable"], serde_json::json!(["bias"]));
    assert_eq!(s["signals"], serde_json::json!(["strength"]));
    assert_eq!(s["primary_cause"], "bias");
    assert_eq!(s["controllable_share"], 1.0);
    assert_eq!(s["generic_rejection"], false);
    assert_eq!(s["advice"][0]["category"], "bias");
}

#[test]
fn output_is_deterministic() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/examples/feedback-fr.txt"
    ))
    .unwrap();
    let c = Classifier::french();
    let first = serde_json::to_string(&c.analyze(&text)).unwrap();
    for _ in 0..3 {
        assert_eq!(serde_json::to_string(&c.analyze(&text)).unwrap(), first);
    }
    let rebuilt = ClassifierBuilder::french().build().unwrap();
    assert_eq!(
        serde_json::to_string(&rebuilt.analyze(&text)).unwrap(),
        first
    );
}

#[test]
fn rules_can_be_disabled_by_group() {
    let mut b = ClassifierBuilder::french();
    b.disable("fr.bias");
    let c = b.build().unwrap();
    assert!(c.rules().iter().all(|r| r.category != Category::Bias));
    assert!(
        c.analyze("Vous étiez trop scolaire.")
            .categories()
            .is_empty()
    );
    let err = ClassifierBuilder::french()
        .disable("fr.bias.nope")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("no rule has this id"), "{err}");
}

#[test]
fn rules_can_be_replaced_added_and_extended() {
    let mut r = Rule::new("fr.bias.scolaire", Category::Bias);
    r.facet = Some(Facet::TooAcademic);
    r.patterns.push("très premier de la classe".into());
    let mut b = ClassifierBuilder::french();
    b.replace_rule(r);
    let c = b.build().unwrap();
    assert!(
        c.analyze("Vous étiez trop scolaire.")
            .categories()
            .is_empty()
    );
    assert_eq!(
        c.analyze("Très premier de la classe.").summary.facets,
        [Facet::TooAcademic]
    );

    let mut dup = Rule::new("fr.bias.scolaire", Category::Bias);
    dup.facet = Some(Facet::TooAcademic);
    dup.patterns.push("x".into());
    let err = ClassifierBuilder::french()
        .add_rule(dup)
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::Duplicate { what: "rule", .. }),
        "{err}"
    );

    let c = ClassifierBuilder::french()
        .add_words("insuffisant", ["bancal{,e,s,es}"])
        .build()
        .unwrap();
    assert_eq!(
        c.analyze("Vos connaissances en SQL sont bancales.")
            .categories(),
        [Category::Skills]
    );
    assert!(
        ClassifierBuilder::french()
            .add_words("nope", ["x"])
            .build()
            .is_err()
    );
}

#[test]
fn a_ruleset_can_be_built_from_strings_only() {
    let c = built_from(
        "mini.toml",
        r#"
[classes]
rejection = ["pas retenu{,e}"]
[categories.skills]
name = "Compétences"
advice = "Formez-vous."
[[rule]]
id = "x.skills.excel"
category = "skills"
negation = "keep"
patterns = ["(ne | n) ~2 maîtris* pas excel"]
examples = ["Vous ne maîtrisez pas Excel."]
counter_examples = ["Vous maîtrisez Excel."]
"#,
    );
    assert_eq!(c.rules()[0].negation, Negation::Keep);
    assert!(c.check_rules().is_empty());
    let a = c.analyze("Candidature pas retenue. Vous ne maîtrisez pas Excel.");
    assert_eq!(a.summary.controllable, [Category::Skills]);
    assert!(!a.summary.generic_rejection);
    assert!(
        c.analyze("Candidature pas retenue.")
            .summary
            .generic_rejection
    );
}

#[test]
fn check_rules_names_what_a_class_or_a_group_lists_twice() {
    let mut b = ClassifierBuilder::new(Language::Fr);
    b.add_source(
        "base.toml",
        r#"
[classes]
outil = ["Excel", "(power bi | Power-BI)", "SQL"]
[categories.skills]
name = "Compétences"
advice = "Formez-vous."
[[rule]]
id = "x.skills.outil"
category = "skills"
patterns = ["(ne | n) ~2 (maîtris* | maitris*) pas @outil"]
examples = ["Vous ne maîtrisez pas Excel."]
counter_examples = ["Vous maîtrisez Excel."]
"#,
    );
    b.add_source("more.toml", "[extend]\noutil = [\"Tableau\", \"excel\"]\n");
    let c = b.build().unwrap();
    let found: Vec<(CheckKind, String, String)> = c
        .check_rules()
        .into_iter()
        .map(|f| (f.kind, f.text, f.location))
        .collect();
    assert_eq!(found.len(), 3, "{found:?}");
    // The pattern's group: `maitris*` is `maîtris*` folded.
    assert_eq!(found[0].0, CheckKind::RepeatedAlternative);
    assert_eq!(found[0].1, "maitris*");
    assert!(found[0].2.starts_with("base.toml:"), "{found:?}");
    // An entry's group, where that entry is written.
    assert_eq!(found[1].0, CheckKind::RepeatedAlternative);
    assert_eq!(found[1].1, "power bi");
    assert!(found[1].2.starts_with("base.toml:3:"), "{found:?}");
    // An entry an extension writes again: reported where it is.
    assert_eq!(found[2].0, CheckKind::RepeatedEntry);
    assert_eq!(found[2].1, "excel");
    assert!(found[2].2.starts_with("more.toml:2:"), "{found:?}");
}

#[test]
fn vetoes_say_which_match_made_no_finding_and_why() {
    let c = built_from(
        "vetoes.toml",
        r#"
[classes]
negation = ["pas"]
contrast = ["mais"]
[categories.skills]
name = "Compétences"
advice = "Formez-vous."
[categories.experience]
name = "Expérience"
advice = "Pratiquez."
[categories.salary]
name = "Salaire"
advice = "Renseignez-vous."
[[rule]]
id = "t.skills.excel"
category = "skills"
patterns = ["excel ~2 faible"]
unless = ["formation"]
examples = ["Excel trop faible."]
counter_examples = ["Excel faible, formation prévue."]
[[rule]]
id = "t.experience.junior"
category = "experience"
patterns = ["junior"]
unless_near = ["poste junior"]
yields_to = ["salary"]
examples = ["Profil junior."]
counter_examples = ["Un poste junior."]
[[rule]]
id = "t.salary.budget"
category = "salary"
patterns = ["hors budget"]
examples = ["Demande hors budget."]
counter_examples = ["Demande pas hors budget."]
"#,
    );
    let vetoes = |text: &str| -> Vec<(String, Category, &'static str)> {
        internals::vetoes(&c, text)
            .into_iter()
            .map(|(rule, category, veto)| (rule, category, veto.name()))
            .collect()
    };
    let one = |rule: &str, category, veto| vec![(rule.to_string(), category, veto)];
    assert_eq!(
        vetoes("Excel faible, formation prévue."),
        one("t.skills.excel", Category::Skills, "unless")
    );
    assert_eq!(
        vetoes("Un poste junior."),
        one("t.experience.junior", Category::Experience, "unless_near")
    );
    assert_eq!(
        vetoes("Demande pas hors budget."),
        one("t.salary.budget", Category::Salary, "negated")
    );
    assert_eq!(
        vetoes("Profil junior et demande hors budget."),
        one("t.experience.junior", Category::Experience, "precedence")
    );
    // What made a finding is no veto.
    assert!(vetoes("Excel trop faible. Profil junior.").is_empty());
}

/// A ruleset with one heading rule (`strength` under « Points forts »)
/// and one pattern rule (`skills` on « anglais insuffisant »).
fn heading_ruleset() -> Classifier {
    built_from(
        "headings.toml",
        r#"
[classes]
closing = ["cordialement"]
[categories.strength]
name = "Point fort"
advice = "Gardez-le."
[categories.skills]
name = "Compétences"
advice = "Formez-vous."
[[rule]]
id = "t.strength.liste"
category = "strength"
confidence = 0.7
headings = ["(vos)? points forts"]
examples = ["Points forts :\n- rigueur"]
counter_examples = ["Points forts : rigueur"]
[[rule]]
id = "t.skills.anglais"
category = "skills"
patterns = ["anglais insuffisant"]
examples = ["Anglais insuffisant."]
counter_examples = ["Anglais courant."]
"#,
    )
}

/// (rule, evidence) of every finding of `text`, in order.
fn findings_of(c: &Classifier, text: &str) -> Vec<(String, String)> {
    let a = c.analyze(text);
    a.findings()
        .map(|f| {
            assert_eq!(&text[f.evidence.start..f.evidence.end], f.evidence.text);
            (f.rule.to_string(), f.evidence.text.to_string())
        })
        .collect()
}

#[test]
fn the_items_under_a_heading_report_its_rule() {
    let c = heading_ruleset();
    assert!(c.check_rules().is_empty(), "{:?}", c.check_rules());
    let item = |e: &str| ("t.strength.liste".to_string(), e.to_string());
    // Marked items, the mark and a final period left out of the evidence;
    // an item that reports something keeps it; the heading itself is none.
    assert_eq!(
        findings_of(
            &c,
            "Vos points forts :\n- rigueur.\n• écoute\n2. anglais insuffisant\n3) ponctualité"
        ),
        [
            item("rigueur"),
            item("écoute"),
            (
                "t.skills.anglais".to_string(),
                "anglais insuffisant".to_string()
            ),
            item("ponctualité"),
        ]
    );
    // The line right under the heading is an item whatever its shape; a
    // short fragment after it too, but not a sentence. (A line that starts
    // lower case after one without a final mark continues it: the
    // segmenter reads it as a wrapped line.)
    assert_eq!(
        findings_of(
            &c,
            "Points forts\nVotre projet autour du jardin partagé, très concret.\nSens du contact\nNous reviendrons vers vous."
        ),
        [
            item("Votre projet autour du jardin partagé, très concret"),
            item("Sens du contact"),
        ]
    );
}

#[test]
fn every_bullet_the_segmenter_strips_marks_a_list_item_and_so_do_checks_and_arrows() {
    let c = heading_ruleset();
    let item = |e: &str| ("t.strength.liste".to_string(), e.to_string());
    // Items of more than six words: only their mark makes them items.
    let long = "une vraie capacité à écouter les clients sans perdre patience";
    for mark in ['●', '○', '■', '□', '➢', '✓', '✔', '→', '▫'] {
        let text = format!("Points forts :\n- rigueur\n{mark} {long}");
        assert_eq!(
            findings_of(&c, &text),
            [item("rigueur"), item(long)],
            "{text:?}"
        );
    }
    // Without a mark, the same line is no item: it ends the list. (It
    // starts with a capital: in lower case it would continue the line
    // above, as a wrapped line.)
    assert_eq!(
        findings_of(
            &c,
            "Points forts :\n- rigueur\nUne vraie capacité à écouter les clients sans perdre patience"
        ),
        [item("rigueur")]
    );
}

#[test]
fn a_list_ends_at_a_blank_line_a_colon_a_closing_or_a_sentence() {
    let c = heading_ruleset();
    let item = |e: &str| ("t.strength.liste".to_string(), e.to_string());
    for (text, expected) in [
        ("Points forts :\n\n- rigueur", vec![]),
        (
            "Points forts :\n- rigueur\n\n- écoute",
            vec![item("rigueur")],
        ),
        (
            "Points forts :\n- rigueur\nPoints à revoir :\n- écoute",
            vec![item("rigueur")],
        ),
        (
            "Points forts :\n- rigueur\nCordialement\n- écoute",
            vec![item("rigueur")],
        ),
        (
            "Points forts :\n- rigueur\nLe poste a été pourvu en interne, désolée.\n- écoute",
            vec![item("rigueur")],
        ),
        // Not a heading: it does not make the whole line.
        ("Points forts : rigueur\n- écoute", vec![]),
        // The rest of an item's line is part of the item.
        (
            "Points forts :\n- rigueur. Vraiment.",
            vec![item("rigueur")],
        ),
    ] {
        assert_eq!(findings_of(&c, text), expected, "{text:?}");
    }
}

/// One rule, two kinds of pattern: one says its negation, one says none
/// (the second with a gap of `gap` words), under negation `policy`, with
/// `classes` (more engine classes) beside the negation class.
fn english_level_rule(policy: &str, classes: &str, gap: u32) -> Classifier {
    built_from(
        "named.toml",
        &format!(
            r#"
[classes]
negation = ["pas", "jamais", "(ne | n) ~1 plus", "(ne | n) ~1 pas"]
{classes}
[categories.skills]
name = "Compétences"
advice = "Formez-vous."
[[rule]]
id = "x.skills.anglais"
category = "skills"
negation = "{policy}"
patterns = ["anglais (n | ne) ~2 (pas | jamais) tenu la route", "anglais ~{gap} posé problème"]
examples = ["Votre anglais n'a pas tenu la route.", "Votre anglais a posé problème."]
counter_examples = ["Votre anglais a tenu la route."]
"#
        ),
    )
}

#[test]
fn a_named_negation_is_kept_and_any_other_cancels_a_match_that_holds_none() {
    let ruleset = |policy: &str| english_level_rule(policy, "", 2);
    let fires =
        |c: &Classifier, text: &str| c.analyze(text).summary.controllable == [Category::Skills];
    let named = ruleset("named");
    assert_eq!(named.rules()[0].negation, Negation::Named);
    assert!(named.check_rules().is_empty());
    // The negation the pattern names is the cue, and one before it does
    // not undo it ("I would not say your English did not hold up" still
    // says it did not).
    assert!(fires(&named, "Votre anglais n'a pas tenu la route."));
    assert!(fires(&named, "Votre anglais n'a jamais tenu la route."));
    assert!(fires(
        &named,
        "Je ne dirais pas que votre anglais n'a pas tenu la route."
    ));
    // A match that holds no negation is cancelled by one, as with cancel.
    assert!(fires(&named, "Votre anglais a posé problème."));
    assert!(!fires(
        &named,
        "Je ne dirais pas que votre anglais a posé problème."
    ));
    // With keep, nothing cancels either kind; with cancel, the second
    // negation cancels the first kind too.
    let keep = ruleset("keep");
    assert!(fires(
        &keep,
        "Je ne dirais pas que votre anglais a posé problème."
    ));
    let cancel = ruleset("cancel");
    assert!(fires(&cancel, "Votre anglais n'a pas tenu la route."));
    assert!(!fires(
        &cancel,
        "Je ne dirais pas que votre anglais n'a pas tenu la route."
    ));
    assert!(!fires(
        &cancel,
        "Je ne dirais pas que votre anglais a posé problème."
    ));
}

#[test]
fn a_denial_reaches_the_reason_it_names_from_its_end() {
    // "because" stops a negation ("we didn't see why you left"), and the
    // window is counted in words; a denial that ends on "because of" names
    // the reason it denies, however far its own negation stands.
    let ruleset = |denials: &str| {
        built_from(
            "reach.toml",
            &format!(
                r#"
[settings]
negation_window = 3
[classes]
negation = ["(didn t | did not | wasn t | was not)"]
negation_barrier = ["because"]
{denials}
[categories.experience]
name = "Experience"
advice = "Gain it."
[[rule]]
id = "x.experience.lack"
category = "experience"
patterns = ["lack of experience"]
examples = ["Your lack of experience decided it."]
"#
            ),
        )
    };
    let denials = ruleset(
        r#"denial = ["(didn t | did not) (turn | reject) you (down)? because of", "it (wasn t | was not) because of"]"#,
    );
    let plain = ruleset("");
    assert!(denials.check_rules().is_empty());
    let fires =
        |c: &Classifier, text: &str| c.analyze(text).summary.controllable == [Category::Experience];
    for denied in [
        "It wasn't because of your lack of experience.",
        "We didn't turn you down because of your obvious lack of experience.",
    ] {
        assert!(fires(&plain, denied), "{denied}");
        assert!(!fires(&denials, denied), "{denied}");
    }
    // A negation with no denial still stops at "because": the reason is
    // stated ("we did not hire you because of…").
    let stated = "We did not hire you because of your lack of experience.";
    assert!(fires(&denials, stated));
    // The window still counts from the denial's end.
    let far = "It wasn't because of what the panel said at length about your lack of experience.";
    assert!(fires(&denials, far));
}

#[test]
fn a_named_negation_a_denial_owns_denies_the_reason() {
    // A rule written for « pas le niveau en anglais » names its negation;
    // with `denials`, the engine knows « pas une question de » too.
    let ruleset = |denials: &str| {
        built_from(
            "owned.toml",
            &format!(
                r#"
[classes]
negation = ["pas", "(ne | n) ~1 pas"]
{denials}
[categories.skills]
name = "Compétences"
advice = "Travaillez-les."
[[rule]]
id = "x.skills.niveau"
category = "skills"
negation = "named"
patterns = ["pas ~3 niveau (en | d) anglais"]
examples = ["Vous n'avez pas le niveau en anglais.", "Ce n'est pas le niveau en anglais attendu."]
"#
            ),
        )
    };
    let denials = ruleset(r#"denial = ["pas une question (de | d)", "(ce | c) (n)? est pas"]"#);
    let plain = ruleset("");
    assert!(denials.check_rules().is_empty());
    let fires =
        |c: &Classifier, text: &str| c.analyze(text).summary.controllable == [Category::Skills];
    let owned = "Ce n'est pas une question de niveau en anglais.";
    // The match passes over the denial's words in its gap: the negation
    // is the denial's, and the denial says what it bears on, a reason.
    assert!(!fires(&denials, owned));
    assert!(fires(&plain, owned));
    // A denial the match does not pass over (« ce n'est » stands before
    // it) leaves the negation to the rule, as the pattern meant.
    assert!(fires(
        &denials,
        "Ce n'est pas le niveau en anglais attendu."
    ));
    assert!(fires(&denials, "Vous n'avez pas le niveau en anglais."));
}

#[test]
fn a_negation_does_not_reach_past_a_line_break_but_a_match_does() {
    // Call notes: « non, pas du tout » on one line says nothing of the
    // next; the segmenter joins the lines into one statement (the second
    // starts in lower case), and the break bounds the negation as a comma
    // would. A match still runs across a hard-wrapped line.
    let c = built_from(
        "lines.toml",
        r#"
[classes]
negation = ["pas"]
[categories.position_change]
name = "Poste modifié"
advice = "Rien à faire."
[[rule]]
id = "x.position_change.gele"
category = "position_change"
patterns = ["poste ~2 gelé"]
examples = ["Le poste est gelé."]
counter_examples = ["Pas le poste gelé."]
"#,
    );
    assert!(c.check_rules().is_empty());
    let frozen = |text: &str| c.analyze(text).summary.external == [Category::PositionChange];
    assert!(frozen("non pas du tout\nle poste est gelé"));
    assert!(!frozen("non pas du tout le poste est gelé"));
    assert!(frozen("le poste\nest gelé jusqu'en mars"));
}

#[test]
fn a_cause_the_candidate_asked_about_is_not_stated_but_the_answer_is() {
    // « Vous me demandiez si votre âge avait joué : non, c'est le budget »:
    // the age was asked about; the budget is the answer.
    let ruleset = |questions: &str| {
        built_from(
            "asked.toml",
            &format!(
                r#"
[classes]
{questions}
[categories.experience]
name = "Expérience"
advice = "Racontez-la."
[categories.economic_context]
name = "Contexte"
advice = "Rien à faire."
[categories.future_opportunity]
name = "Porte ouverte"
advice = "Restez en contact."
[[rule]]
id = "x.experience.age"
category = "experience"
negation = "keep"
patterns = ["(votre | mon) âge"]
examples = ["Votre âge a joué."]
[[rule]]
id = "x.economic_context.budget"
category = "economic_context"
patterns = ["budget"]
examples = ["C'est le budget."]
[[rule]]
id = "x.future_opportunity.repostuler"
category = "future_opportunity"
patterns = ["repostuler"]
examples = ["Vous pourrez repostuler."]
[categories.salary]
name = "Salaire"
advice = "Revoyez vos prétentions."
[[rule]]
id = "x.salary.si_pretentions"
category = "salary"
negation = "keep"
patterns = ["si (vos | mes) prétentions"]
examples = ["On verra si vos prétentions conviennent."]
"#
            ),
        )
    };
    let asked =
        ruleset(r#"reported_question = ["(vous | tu) (me)? (demandiez | avez demandé) si"]"#);
    let plain = ruleset("");
    assert!(asked.check_rules().is_empty());
    let text = "Vous me demandiez si votre âge avait joué : non, c'est le budget.";
    assert_eq!(
        asked.analyze(text).summary.external,
        [Category::EconomicContext]
    );
    assert!(asked.analyze(text).summary.controllable.is_empty());
    assert_eq!(
        plain.analyze(text).summary.controllable,
        [Category::Experience]
    );
    // The cause stated outside the question stands.
    assert_eq!(
        asked
            .analyze("Votre âge a joué, vous me demandiez si c'était le cas.")
            .summary
            .controllable,
        [Category::Experience]
    );
    // A match that starts on the question's last word (« si ») is inside
    // the question too.
    let on_si = "Vous me demandiez si vos prétentions avaient joué.";
    assert!(asked.analyze(on_si).summary.controllable.is_empty());
    assert_eq!(
        plain.analyze(on_si).summary.controllable,
        [Category::Salary]
    );
    // What the candidate asks for is mostly granted: a signal stays.
    assert_eq!(
        asked
            .analyze("Vous me demandiez si vous pouviez repostuler : bien sûr.")
            .summary
            .signals,
        [Category::FutureOpportunity]
    );
}

#[test]
fn a_negation_word_inside_an_exception_is_no_negation_a_named_match_holds() {
    // « pas mal » negates nothing: a match whose gap holds it holds no
    // negation, so one before the match cancels it, as with any match
    // that holds none.
    let c = english_level_rule("named", r#"negation_exception = ["pas mal"]"#, 5);
    assert!(c.check_rules().is_empty());
    let fires = |text: &str| c.analyze(text).summary.controllable == [Category::Skills];
    assert!(fires("Votre anglais, pas mal du reste, a posé problème."));
    assert!(!fires(
        "Je ne dirais pas que votre anglais, pas mal du reste, a posé problème."
    ));
    // A negation the pattern names still holds.
    assert!(fires(
        "Je ne dirais pas que votre anglais n'a pas tenu la route."
    ));
}

#[test]
fn unknown_matches_a_word_no_rule_names() {
    let c = built_from(
        "unknown.toml",
        r#"
[settings]
typo_min_chars = 5
[classes]
outil = ["excel", "sap"]
[categories.skills]
name = "Compétences"
advice = "Travaillez-les."
[categories.preparation]
name = "Préparation"
advice = "Renseignez-vous."
[[rule]]
id = "x.skills.inconnu"
category = "skills"
negation = "keep"
patterns = ["(ne | n) connaît pas (le | la)? (@outil | @unknown)"]
examples = ["Il ne connaît pas le SMED.", "Il ne connaît pas Excel."]
counter_examples = ["Il ne connaît pas notre société."]
[[rule]]
id = "x.preparation.societe"
category = "preparation"
patterns = ["(notre | votre) société"]
examples = ["Notre société."]
"#,
    );
    assert!(c.check_rules().is_empty());
    let skills = |text: &str| {
        c.analyze(text)
            .summary
            .controllable
            .contains(&Category::Skills)
    };
    // Jargon no rule names, or a listed tool...
    assert!(skills("Il ne connaît pas le SMED."));
    assert!(skills("Il ne connaît pas Kanbanize."));
    assert!(skills("Il ne connaît pas SAP."));
    // ...but not a word another rule names, nor one a slip away from it.
    assert!(!skills("Il ne connaît pas notre société."));
    assert!(!skills("Il ne connaît pas sociétté."));
    // The class is built in: a ruleset cannot define it.
    let mut b = ClassifierBuilder::new(Language::Fr);
    b.add_source("bad.toml", "[classes]\nunknown = [\"x\"]\n");
    let err = b.build().expect_err("a class named unknown is refused");
    assert!(err.to_string().contains("`unknown` is built in"), "{err}");
}

#[test]
fn a_negation_inside_a_denied_claim_is_denied_with_it() {
    // With and without the claim class: the same rules, the same
    // negations.
    let ruleset = |claims: &str| {
        built_from(
            "claims.toml",
            &format!(
                r#"
[classes]
negation = ["pas", "jamais", "(ne | n) ~1 plus", "(ne | n) ~1 pas"]
denial = ["(ce | c) (n)? est pas"]
negation_barrier = ["pourquoi"]
{claims}
[categories.strength]
name = "Point fort"
advice = "Gardez-le."
[categories.skills]
name = "Compétences"
advice = "Travaillez-les."
[categories.position_change]
name = "Poste"
advice = "Rien à faire."
[categories.bias]
name = "Posture"
advice = "Travaillez-la."
[facets.underconfident]
name = "Manque d'assurance"
advice = "Osez."
[[rule]]
id = "x.strength.profil"
category = "strength"
negation = "cancel"
patterns = ["profil ~3 solide"]
examples = ["Votre profil est solide."]
[[rule]]
id = "x.skills.sql"
category = "skills"
negation = "strength"
patterns = ["lacunes en SQL", "niveau en SQL (n)? est pas suffisant"]
examples = ["Des lacunes en SQL.", "Votre niveau en SQL n'est pas suffisant."]
[[rule]]
id = "x.position_change.existe"
category = "position_change"
negation = "keep"
patterns = ["poste (n)? existe plus"]
examples = ["Le poste n'existe plus."]
[[rule]]
id = "x.bias.intimide"
category = "bias"
facet = "underconfident"
negation = "keep"
patterns = ["(on | nous) (ne | n) peut pas dire que ~4 intimidé", "intimidé"]
examples = ["Vous étiez intimidé."]
"#
            ),
        )
    };
    let claims = ruleset(
        r#"claim_denial = ["(ce | c) (n)? est pas (que | comme si)", "faux de dire que", "(ne | n) peut pas dire que"]"#,
    );
    let plain = ruleset("");
    assert!(claims.check_rules().is_empty());
    let labels = |c: &Classifier, text: &str| {
        let s = c.analyze(text).summary;
        [s.controllable, s.external, s.signals].concat()
    };
    // A negation alone, as before.
    for c in [&claims, &plain] {
        assert!(labels(c, "Votre profil n'est pas solide.").is_empty());
        assert_eq!(
            labels(c, "Votre niveau en SQL n'est pas suffisant."),
            [Category::Skills]
        );
    }
    // Two negations affirm the praise...
    let praise = "Ce n'est pas que votre profil ne soit pas solide.";
    assert_eq!(labels(&claims, praise), [Category::Strength]);
    assert!(labels(&plain, praise).is_empty());
    // ...and deny a deficit said with a negation: a strength, unless the
    // claim also denies a reason (« ce n'est pas… »).
    let deficit = "Il serait faux de dire que votre niveau en SQL n'est pas suffisant.";
    assert_eq!(labels(&claims, deficit), [Category::Strength]);
    assert_eq!(labels(&plain, deficit), [Category::Skills]);
    let reason = "Ce n'est pas que votre niveau en SQL n'est pas suffisant.";
    assert!(labels(&claims, reason).is_empty());
    // A negation right after the match, on its verb: the deficit stands.
    // A word between may start another predicate: the claim alone negates.
    let counted = "Ce n'est pas comme si vos lacunes en SQL n'avaient pas compté.";
    assert_eq!(labels(&claims, counted), [Category::Skills]);
    let apart = "Il serait faux de dire que vous aviez des lacunes en SQL et jamais de méthode.";
    assert_eq!(labels(&claims, apart), [Category::Strength]);
    // A claim with no second negation is one negation: a denied deficit.
    let single = "Il serait faux de dire que vous aviez des lacunes en SQL.";
    assert_eq!(labels(&claims, single), [Category::Strength]);
    // A denied external cause is none.
    let post = "Ce n'est pas que le poste n'existe plus.";
    assert!(labels(&claims, post).is_empty());
    assert_eq!(labels(&plain, post), [Category::PositionChange]);
    // A barrier ends the claim's reach.
    let barrier = "Il serait faux de dire pourquoi votre profil n'est pas solide.";
    assert!(labels(&claims, barrier).is_empty());
    // A rule written for the double negation reads the claim itself.
    let own = "On ne peut pas dire que vous n'ayez pas été intimidé.";
    assert_eq!(labels(&claims, own), [Category::Bias]);
}

#[test]
fn a_praise_that_starts_on_a_negated_opinion_verb_is_no_praise() {
    // The liking verb as a negated opinion, or as one more exception.
    let ruleset = |classes: &str| {
        built_from(
            "opinion.toml",
            &format!(
                r#"
[classes]
negation = ["pas"]
{classes}
[categories.strength]
name = "Point fort"
advice = "Gardez-le."
[categories.career_path]
name = "Parcours"
advice = "Expliquez-le."
[[rule]]
id = "x.strength.aime"
category = "strength"
negation = "cancel"
patterns = ["(aimé | apprécié) votre ~1 (attitude | étude)"]
examples = ["Ils ont aimé votre attitude."]
[[rule]]
id = "x.career_path.trous"
category = "career_path"
negation = "cancel"
patterns = ["trous ~3 CV"]
examples = ["Les trous de votre CV."]
"#
            ),
        )
    };
    let opinion = ruleset(
        r#"negated_opinion = ["(n | ne) ~2 pas (aimé | apprécié)"]
negation_exception = ["pas un de nous qui (n | ne) ~1 pas"]"#,
    );
    let plain = ruleset(
        r#"negation_exception = ["(n | ne) ~2 pas (aimé | apprécié)", "pas un de nous qui (n | ne) ~1 pas"]"#,
    );
    assert!(opinion.check_rules().is_empty());
    let signals = |c: &Classifier, text: &str| c.analyze(text).summary.signals;
    let causes = |c: &Classifier, text: &str| c.analyze(text).summary.controllable;
    // A mere exception keeps the negation off the praise: read as praise.
    let text = "Ils n'ont pas aimé votre attitude.";
    assert_eq!(signals(&plain, text), [Category::Strength]);
    assert!(signals(&opinion, text).is_empty());
    // What follows the opinion is stated, not denied, as with an exception.
    let gaps = "Le client n'a pas aimé les trous de votre CV.";
    assert_eq!(causes(&opinion, gaps), [Category::CareerPath]);
    assert_eq!(causes(&plain, gaps), [Category::CareerPath]);
    // Two negations affirm: an exception over the opinion restores it.
    let double = "Il n'y a pas un de nous qui n'ait pas apprécié votre étude.";
    assert_eq!(signals(&opinion, double), [Category::Strength]);
}

#[test]
fn an_option_left_unticked_on_a_form_states_nothing() {
    let fr = Classifier::french();
    let a = fr.analyze(
        "Motif du refus : [X] Prétentions salariales trop élevées [ ] Expérience insuffisante [ ] Poste pourvu en interne",
    );
    assert_eq!(a.summary.controllable, [Category::Salary]);
    assert!(a.summary.external.is_empty());
    // The same options, ticked the other way, in ballot boxes and on lines.
    let a = fr.analyze("☐ Prétentions salariales trop élevées\n☑ Expérience insuffisante");
    assert_eq!(a.summary.controllable, [Category::Experience]);
    // Without the boxes, every option is read.
    let a = fr.analyze("Prétentions salariales trop élevées. Expérience insuffisante.");
    assert_eq!(
        a.summary.controllable,
        [Category::Experience, Category::Salary]
    );
    let en = Classifier::english();
    let a = en.analyze("Reason: [ ] Salary expectations too high [x] Not enough experience");
    assert_eq!(a.summary.controllable, [Category::Experience]);
}

#[test]
fn check_rules_reports_misbehaving_examples() {
    let c = ClassifierBuilder::french()
        .add_source(
            "bad.toml",
            r#"
[[rule]]
id = "fr.skills.test_only"
category = "skills"
patterns = ["zorglub"]
examples = ["rien à voir"]
counter_examples = ["zorglub"]
"#,
        )
        .build()
        .unwrap();
    let failures = c.check_rules();
    assert_eq!(failures.len(), 2);
    assert!(
        failures[0]
            .to_string()
            .starts_with("bad.toml:3:6: rule `fr.skills.test_only`: example not matched")
    );
    assert!(
        failures[1]
            .to_string()
            .contains("counter-example matched: «zorglub»")
    );
}

#[test]
fn load_errors_name_file_line_rule_and_reason() {
    let build = |src: &str| {
        ClassifierBuilder::french()
            .add_source("user.toml", src)
            .build()
            .unwrap_err()
            .to_string()
    };
    let e = build("[[rule]]\nid = \"fr.x.y\"\ncategory = \"skills\"\npatterns = [\"(a b\"]\n");
    assert_eq!(
        e,
        "user.toml:4:13: rule `fr.x.y`: pattern `(a b`: at character 0: `(` is never closed"
    );
    let e = build("[[rule]]\nid = \"fr.x.y\"\ncategory = \"skills\"\npatterns = [\"@nope\"]\n");
    assert_eq!(
        e,
        "user.toml:4:13: rule `fr.x.y`: unknown word class `@nope`"
    );
    let e = build("[[rule]]\nid = \"fr.x.y\"\ncategory = \"bias\"\npatterns = [\"a\"]\n");
    assert!(e.contains("a bias rule needs a facet"), "{e}");
    let e = build("[[rule]]\nid = \"fr.x.y\"\ncategory = \"skills\"\n");
    assert_eq!(
        e,
        "user.toml:2:6: rule `fr.x.y` has no pattern (give `patterns`, `regex` or `headings`)"
    );
    let e =
        build("[[rule]]\nid = \"fr.skills.lacunes\"\ncategory = \"skills\"\npatterns = [\"a\"]\n");
    assert!(e.starts_with("user.toml:2:6: rule `fr.skills.lacunes` is already defined at data/fr/rules/skills.toml:"), "{e}");
    let e = build("[classes]\na = [\"@b\"]\nb = [\"@a\"]\n");
    assert!(e.contains("refers to itself through a -> b -> a"), "{e}");
    let e = build("[[rule]]\nid = \"fr.x.y\"\ncategory = \"skills\"\nregex = [\"(\"]\n");
    assert!(
        e.starts_with("user.toml:4:10: rule `fr.x.y`: regex `(`:"),
        "{e}"
    );
}

#[test]
fn the_document_size_limit_is_an_error_not_a_truncation() {
    let mut b = ClassifierBuilder::french();
    b.limits(Limits {
        max_document_bytes: 100,
        ..Limits::default()
    });
    let c = b.build().unwrap();
    assert!(c.try_analyze(&"a".repeat(100)).is_ok());
    let err = c.try_analyze(&"a".repeat(101)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "document is 101 bytes, the limit is 100 bytes"
    );
}

#[test]
fn names_parse_and_display() {
    assert_eq!(
        "too_casual".parse::<Facet>().unwrap().to_string(),
        "too_casual"
    );
    assert_eq!(Category::Bias.kind(), Kind::Controllable);
    assert!("nope".parse::<Language>().is_err());
}

#[test]
fn the_indexed_matcher_finds_what_trying_every_pattern_everywhere_finds() {
    use recruiter_feedback::internals::{match_indexed, match_naive};
    let c = Classifier::french();
    let mut texts: Vec<String> = c
        .rules()
        .iter()
        .flat_map(|r| r.examples.iter().chain(&r.counter_examples).cloned())
        // A spread of a few hundred texts: trying every pattern at every word
        // is slow by design.
        .step_by(4)
        .collect();
    texts.push(
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/examples/feedback-fr.txt"
        ))
        .unwrap(),
    );
    for t in &texts {
        assert_eq!(match_indexed(&c, t), match_naive(&c, t), "{t}");
    }
}

#[test]
fn unless_near_guards_only_the_words_around_the_match() {
    let mut rule = Rule::new("fr.skills.test_guard", Category::Skills);
    rule.patterns.push("zorglub".into());
    rule.unless_near.push("pas de".into());
    let mut clause_wide = Rule::new("fr.skills.test_clause", Category::Skills);
    clause_wide.patterns.push("zorglub".into());
    clause_wide.unless.push("pas de".into());
    let c = ClassifierBuilder::french().add_rule(rule).build().unwrap();
    assert!(
        c.analyze("Il n'y a pas de zorglub.")
            .categories()
            .is_empty()
    );
    assert_eq!(
        c.analyze("Zorglub pour nous tous, pas de chance.")
            .categories(),
        [Category::Skills]
    );
    assert_eq!(
        c.analyze("Pas de bol du tout avec le grand zorglub.")
            .categories(),
        [Category::Skills]
    );
    let c = ClassifierBuilder::french()
        .add_rule(clause_wide)
        .build()
        .unwrap();
    assert!(
        c.analyze("Pas de bol du tout avec le grand zorglub.")
            .categories()
            .is_empty()
    );
}

#[test]
fn a_shorter_match_clear_of_an_unless_near_guard_still_stands() {
    let mut rule = Rule::new("fr.skills.test_shorter", Category::Skills);
    rule.patterns.push("zorglub ~5 blip".into());
    rule.unless_near.push("blip de moitié".into());
    let c = ClassifierBuilder::french().add_rule(rule).build().unwrap();
    // The longest match runs to the second "blip", inside the guard; the
    // one that stops at the first is more than two words clear of it.
    let a = c.analyze("Zorglub blip cette année puis blip de moitié.");
    let evidence: Vec<&str> = a.findings().map(|f| f.evidence.text).collect();
    assert_eq!(evidence, ["Zorglub blip"]);
    // With no shorter match, the guard stops the rule.
    assert!(
        c.analyze("Zorglub puis blip de moitié.")
            .categories()
            .is_empty()
    );
}

/// A rule of `category` with one pattern.
fn rule(id: &str, category: Category, pattern: &str) -> Rule {
    let mut rule = Rule::new(id, category);
    rule.patterns.push(pattern.into());
    rule
}

/// The embedded French ruleset with `rules` added.
fn french_with(rules: impl IntoIterator<Item = Rule>) -> Classifier {
    let mut builder = ClassifierBuilder::french();
    for rule in rules {
        builder.add_rule(rule);
    }
    builder.build().expect("the rules compile")
}

#[test]
fn a_pattern_may_cross_a_contrast_it_names() {
    let c = french_with([
        rule(
            "fr.strength.test_named",
            Category::Strength,
            "zorglub mais zorg",
        ),
        rule("fr.strength.test_gap", Category::Strength, "blip ~2 blop"),
    ]);
    assert_eq!(
        c.analyze("Zorglub mais zorg.").categories(),
        [Category::Strength]
    );
    assert_eq!(
        c.analyze("Blip et blop.").categories(),
        [Category::Strength]
    );
    assert!(c.analyze("Blip mais blop.").categories().is_empty());
}

#[test]
fn a_raw_regex_rule_matches_the_folded_text_and_quotes_the_original() {
    let mut rule = Rule::new("fr.salary.test_regex", Category::Salary);
    rule.regex.push(r"\b\d+ ?k€".into());
    let c = ClassifierBuilder::french().add_rule(rule).build().unwrap();
    let text = "Montant demandé : 58 K€ brut.";
    let a = c.analyze(text);
    let f = a
        .findings()
        .find(|f| &*f.rule == "fr.salary.test_regex")
        .expect("the regex rule fires");
    assert_eq!(f.evidence.text, "58 K€");
    assert_eq!(&text[f.evidence.start..f.evidence.end], "58 K€");
}

#[test]
fn a_courtesy_line_that_says_something_is_content() {
    let c = Classifier::french();
    let a = c.analyze("Bonjour, vos prétentions sont trop élevées.");
    assert_eq!(a.statements[0].role, Role::Body);
    assert_eq!(a.summary.controllable, [Category::Salary]);
    let a =
        c.analyze("Merci pour votre temps.\nCordialement, nous avons recruté une autre personne.");
    assert_eq!(a.summary.external, [Category::OtherCandidate]);
}

#[test]
fn a_courtesy_line_that_turns_the_candidate_down_counts_as_a_refusal() {
    // "Cheers for your interest – unfortunately it's a no" opens with a
    // closing formula, yet its refusal is what the message says: without a
    // cause anywhere, it is a generic rejection. The same line without the
    // refusal stays a closing and says nothing.
    let c = built_from(
        "courtesy.toml",
        r#"
[classes]
closing = ["cheers"]
rejection = ["(it s | its) a no"]
[categories.skills]
name = "Skills"
advice = "Train."
[[rule]]
id = "t.skills.sql"
category = "skills"
patterns = ["weak sql"]
examples = ["Weak SQL."]
counter_examples = ["Strong SQL."]
"#,
    );
    let a = c.analyze("Cheers for your interest in the job - unfortunately it's a no from us.");
    assert_eq!(a.statements[0].role, Role::Body);
    assert!(a.summary.generic_rejection);
    let a = c.analyze("Cheers for your interest in the job.");
    assert_eq!(a.statements[0].role, Role::Closing);
    assert!(!a.summary.generic_rejection);
}

/// A French classifier built from one source, which must compile.
fn built_from(name: &str, source: &str) -> Classifier {
    let mut b = ClassifierBuilder::new(Language::Fr);
    b.add_source(name, source);
    b.build().unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn common_typing_slips_in_long_words_are_forgiven_when_the_ruleset_asks() {
    let ruleset = |typo_min_chars: u32| {
        built_from(
            "typos.toml",
            &format!(
                r#"
[settings]
typo_min_chars = {typo_min_chars}
[categories.skills]
name = "Compétences"
advice = "Formez-vous."
[[rule]]
id = "x.skills.insuffisant"
category = "skills"
patterns = ["connaissances ~3 (insuffisantes | lacunaires)"]
examples = ["Des connaissances vraiment insuffisantes."]
"#
            ),
        )
    };
    let skills =
        |c: &Classifier, text: &str| c.analyze(text).summary.controllable == [Category::Skills];
    let tolerant = ruleset(6);
    // A doubled consonant typed once, two neighbouring letters swapped.
    assert!(skills(&tolerant, "Vos conaissances sont insufisantes."));
    assert!(skills(&tolerant, "Des connaissances lacunaries."));
    // Other edits make other real words: never forgiven.
    assert!(!skills(&tolerant, "Des connaissances insuffisantas."));
    // Two slips in one word are not one slip.
    assert!(!skills(&tolerant, "Des conaissances insufisnates."));
    let strict = ruleset(0);
    assert!(!skills(&strict, "Vos conaissances sont insufisantes."));
    assert!(skills(&strict, "Vos connaissances sont insuffisantes."));
    // The French ruleset forgives them.
    assert_eq!(
        Classifier::french()
            .analyze("Vos conaissances en comptabilité sont netement insufisantes.")
            .summary
            .controllable,
        [Category::Skills]
    );
}

#[test]
fn shorthands_read_as_the_words_they_stand_for() {
    let c = built_from(
        "shorthands.toml",
        r#"
[shorthands]
qqn = "quelqu'un"
bcp = "beaucoup"
[categories.other_candidate]
name = "Autre candidat"
advice = "Restez en contact."
[[rule]]
id = "x.other_candidate.quelqu_un"
category = "other_candidate"
patterns = ["(pris | retenu) quelqu'un (d'autre | en interne)"]
examples = ["On a pris quelqu'un d'autre."]
[[rule]]
id = "x.other_candidate.bcp"
category = "other_candidate"
patterns = ["bcp de candidats"]
examples = ["Il y avait bcp de candidats."]
"#,
    );
    let a = c.analyze("dsl, on a pris qqn en interne");
    assert_eq!(a.summary.external, [Category::OtherCandidate]);
    // The evidence quotes the text as written.
    assert_eq!(
        a.findings().next().unwrap().evidence.text,
        "pris qqn en interne"
    );
    // A pattern that spells the shorthand still matches it.
    let a = c.analyze("Il y avait bcp de candidats.");
    assert_eq!(a.summary.external, [Category::OtherCandidate]);
    // The embedded rulesets read texting: "bcp" is "beaucoup".
    let french = Classifier::french();
    let texted = french.analyze("tu n'as pas bcp d'expérience en cuisine");
    assert_eq!(texted.summary.controllable, [Category::Experience]);
    assert!(texted.findings().any(|f| f.evidence.text.contains("bcp")));
    // "vs" is "vous", "ns" is "nous", "pa" is "pas" (a negation, too).
    let texted = french.analyze("ns avons retenu qqn en interne, vs avez pa l'expérience requise");
    assert_eq!(texted.summary.controllable, [Category::Experience]);
    assert_eq!(texted.summary.external, [Category::OtherCandidate]);
    // English: "thru" is "through".
    let english = Classifier::english();
    let texted = english.analyze("it's a no, but I can walk you thru what the panel noted");
    assert_eq!(texted.summary.signals, [Category::FeedbackOffer]);
}

#[test]
fn words_that_turn_a_sentence_are_forgiven_only_a_swap_or_a_doubled_letter() {
    // "noting" is one letter away from "nothing"; read as a negation, it
    // would turn a weakness into praise.
    let english = Classifier::english();
    let a =
        english.analyze("The panel, noting your weak Excel skills, preferred another candidate.");
    assert_eq!(a.summary.controllable, [Category::Skills]);
    assert!(a.findings().all(|f| f.category != Category::Strength));
    // Slips in the words of rules are still forgiven.
    let a = english.analyze("Your experiance is too limited for this post.");
    assert_eq!(a.summary.controllable, [Category::Experience]);
    // A long negation typed with two letters swapped or one doubled makes
    // no other word: it still negates ("jamais" read where "jamias" is).
    let french = Classifier::french();
    for typed in ["jamais", "jamias", "jammais"] {
        let text = format!("Vos compétences ne sont {typed} en cause.");
        assert!(
            french.analyze(&text).summary.controllable.is_empty(),
            "{typed}"
        );
    }
}

#[test]
fn a_period_inside_a_statement_does_not_cut_it_and_two_negations_affirm() {
    let c = Classifier::french();
    let a = c.analyze("Votre entretien avec M. Ferreira était très solide.");
    assert_eq!(a.statements.len(), 1);
    assert_eq!(a.summary.signals, [Category::Strength]);
    let text = "Nous ne pouvons pas ne pas relever vos lacunes en droit social.";
    affirms(&c, text, 1, &[Category::Skills]);
}

#[test]
fn a_no_ending_a_sentence_or_a_note_arrow_bounds_a_negation() {
    let english = Classifier::english();
    // "no." is an abbreviation only before a number: here it ends the
    // sentence, and its negation does not reach the next one.
    let text = "The client said no. They felt you lacked experience in retail.";
    affirms(&english, text, 2, &[Category::Experience]);
    assert_eq!(english.analyze("See ref. no. 5 above.").statements.len(), 1);
    // An arrow in call notes bounds a negation as a comma does.
    let text = "Notes : aucune saison en restauration -> trop vert pour le poste";
    reads_as(&Classifier::french(), text, &[Category::Experience], &[]);
}

/// Asserts that `text` reads as `statements` statements stating the
/// controllable causes `controllable`, no finding negated.
fn affirms(c: &Classifier, text: &str, statements: usize, controllable: &[Category]) {
    let a = c.analyze(text);
    assert_eq!(a.statements.len(), statements, "{text}");
    assert_eq!(a.summary.controllable, controllable, "{text}");
    assert!(a.findings().all(|f| !f.negated), "{text}");
}

/// Asserts the controllable causes and the signals `text` reads as.
fn reads_as(c: &Classifier, text: &str, controllable: &[Category], signals: &[Category]) {
    let a = c.analyze(text);
    assert_eq!(a.summary.controllable, controllable, "{text}");
    assert_eq!(a.summary.signals, signals, "{text}");
}

#[test]
fn litotes_affirm_and_saying_verbs_let_a_negation_through() {
    let (french, english) = (Classifier::french(), Classifier::english());
    let experience = [Category::Experience];
    reads_as(
        &french,
        "Il n'est pas exclu que votre manque d'expérience ait joué.",
        &experience,
        &[],
    );
    reads_as(
        &french,
        "Je ne dirais pas que votre présentation était convaincante.",
        &[],
        &[],
    );
    let text = "We can't rule out that your limited Excel skills weighed on it.";
    reads_as(&english, text, &[Category::Skills], &[]);
}

#[test]
fn praise_said_in_passing_survives_an_exoneration_that_cancels_the_cause() {
    let (french, english) = (Classifier::french(), Classifier::english());
    let strength = [Category::Strength];
    let text = "Your two case studies, all of which we liked, were not the problem.";
    reads_as(&english, text, &[], &strength);
    reads_as(
        &french,
        "Votre portfolio, qui est excellent, n'y est pour rien.",
        &[],
        &strength,
    );
    // The exoneration itself still adds nothing.
    reads_as(
        &french,
        "Votre anglais ne nous a pas posé problème.",
        &[],
        &[],
    );
}

#[test]
fn an_exoneration_opening_the_next_clause_clears_the_one_before() {
    let (french, english) = (Classifier::french(), Classifier::english());
    let skills = [Category::Skills];
    let text = "Vous ne connaissiez pas Sage 100 ; ce n'est pas un obstacle.";
    reads_as(&french, text, &[], &[]);
    let text = "Your Excel was weak; that wasn't a factor though.";
    reads_as(&english, text, &[], &[]);
    // Not when the cue has a subject of its own, which it exonerates.
    let text = "Vous ne connaissiez pas Sage 100 ; votre âge n'a pas pesé.";
    reads_as(&french, text, &skills, &[]);
    // Nor two clauses back.
    let text = "Vous ne connaissiez pas Sage 100 ; le poste est à Lyon ; ce n'est pas un obstacle.";
    reads_as(&french, text, &skills, &[]);
}

#[test]
fn every_regex_rule_fires_whatever_the_characters_around_it() {
    // Several regexes are first tried together, in one pass; each must
    // still find its own matches, in plain ASCII text as in text with
    // characters folding leaves alone.
    let c = built_from(
        "regexes.toml",
        r#"
[categories.salary]
name = "Salaire"
advice = "Renseignez-vous."
[categories.skills]
name = "Compétences"
advice = "Formez-vous."
[[rule]]
id = "x.salary.k"
category = "salary"
regex = ['\b\d+ ?k\b']
[[rule]]
id = "x.skills.sql"
category = "skills"
regex = ['\bsql ko\b', '\bexcel ko\b']
"#,
    );
    for text in [
        "Demande : 58 k, test SQL KO.",
        "Demande 😀 58 k, test 😀 SQL KO.",
        "Demande : 58 k.",
        "Test 😀 SQL KO.",
    ] {
        let analysis = c.analyze(text);
        let mut fired: Vec<&str> = analysis.findings().map(|f| &*f.rule).collect();
        fired.sort();
        let expected: Vec<&str> = [("58 k", "x.salary.k"), ("SQL", "x.skills.sql")]
            .into_iter()
            .filter(|(cue, _)| text.contains(cue))
            .map(|(_, rule)| rule)
            .collect();
        assert_eq!(fired, expected, "{text}");
    }
    assert!(
        c.analyze("Rien à signaler, 😀.")
            .findings()
            .next()
            .is_none()
    );
}

#[test]
fn a_question_answered_no_states_nothing() {
    let c = Classifier::french();
    let asked = "Est-ce votre manque d'expérience qui a joué ?";
    // Asked and left unanswered, or answered yes: the reason stands.
    for text in [asked.to_string(), format!("{asked} Oui, clairement.")] {
        let a = c.analyze(&text);
        assert_eq!(a.summary.controllable, [Category::Experience], "{text}");
    }
    // Answered no: the question proposed the reason only to deny it, and
    // what the answer goes on to say stands.
    for answer in ["Non.", "Pas du tout.", "absolument pas !"] {
        let text = format!("{asked} {answer}");
        let a = c.analyze(&text);
        assert!(a.findings().next().is_none(), "{text}");
        assert!(a.summary.controllable.is_empty(), "{text}");
    }
    let text = format!("{asked} Non, nous avons retenu une candidate interne.");
    let a = c.analyze(&text);
    assert!(a.summary.controllable.is_empty());
    assert_eq!(a.summary.external, [Category::OtherCandidate]);
    // The statement stream, which reads the answer one statement early,
    // says the same as the whole analysis.
    let mut stream = c.statements(&text);
    let streamed: Vec<_> = stream.by_ref().collect();
    assert_eq!(streamed, a.statements);
    assert_eq!(stream.summary(), a.summary);
    // A word or two of hesitation may come before the no; a longer
    // statement, or one that says something, is no hesitation.
    let hesitant = format!("{asked} Honnêtement ? Non.");
    assert!(c.analyze(&hesitant).summary.controllable.is_empty());
    let text = format!("{asked} Honnêtement ? Non. Vous connaissiez bien le dossier.");
    let streamed: Vec<_> = c.statements(&text).collect();
    assert_eq!(streamed, c.analyze(&text).statements);
    let longer = format!("{asked} Je vais être honnête avec vous. Non.");
    let a = c.analyze(&longer);
    assert_eq!(a.summary.controllable, [Category::Experience]);
    // A question reported in quotes is asked all the same: the no after it
    // answers it. A quoted question the next statement does not answer no
    // leaves the reason standing.
    let reported = "« Est-ce mon manque d'expérience qui a joué ? », m'avez-vous demandé.";
    assert_eq!(
        c.analyze(reported).summary.controllable,
        [Category::Experience]
    );
    let text = format!("{reported} Non, nous avons retenu une candidate interne.");
    let a = c.analyze(&text);
    assert!(a.summary.controllable.is_empty(), "{text}");
    assert_eq!(a.summary.external, [Category::OtherCandidate]);
    let english = Classifier::english();
    let reported = "You asked: 'Was it my lack of experience that counted against me?' and I said I would check.";
    let answered = format!("{reported} No, it was not.");
    assert!(english.analyze(&answered).summary.controllable.is_empty());
    let confirmed = format!("{reported} Yes, sadly.");
    assert_eq!(
        english.analyze(&confirmed).summary.controllable,
        [Category::Experience]
    );
    // Only what the quoted question asks is answered: a finding that runs
    // on past the quote is what the sentence says of it.
    let text = "Ta réponse à « pourquoi nous ? » était vague. Non, nous ne donnerons pas suite.";
    assert!(
        c.analyze(text)
            .summary
            .controllable
            .contains(&Category::Clarity)
    );
    let text =
        "Your answer to 'why this firm?' was vague. No, we will not take your application further.";
    assert!(
        english
            .analyze(text)
            .summary
            .controllable
            .contains(&Category::Clarity)
    );
    // "Aucun" answers "how many?" and confirms: it is no answer_no.
    let a = c.analyze("Combien de fois avez-vous encadré une équipe ? Aucune, et c'est un manque d'expérience pour ce poste.");
    assert_eq!(a.summary.controllable, [Category::Experience]);
}

#[test]
fn a_match_over_a_contrast_falls_back_to_the_longest_one_before_it() {
    // The longest match of the pattern runs over "mais" into the second
    // judgement; the engine keeps the shorter match that stops before it.
    let c = built_from(
        "t.toml",
        r#"
[classes]
contrast = ["mais"]
[categories.strength]
name = "Point fort"
advice = "Gardez-le."
[[rule]]
id = "t.strength.apprecie"
category = "strength"
patterns = ["apprécié ~6 (votre | vos) (énergie | cv)"]
examples = ["Nous avons apprécié votre énergie."]
counter_examples = ["Nous avons apprécié le café."]
"#,
    );
    let text = "Nous avons apprécié votre énergie, mais votre CV posait question.";
    let a = c.analyze(text);
    let evidence: Vec<&str> = a.findings().map(|f| f.evidence.text).collect();
    assert_eq!(evidence, ["apprécié votre énergie"]);
    // Without a shorter match, nothing is found across the contrast.
    let a = c.analyze("Nous avons apprécié, mais votre CV posait question.");
    assert_eq!(a.findings().count(), 0);
}

#[test]
fn a_rule_yields_only_to_a_category_found_up_to_strong_punctuation() {
    let mut budget = rule(
        "fr.economic_context.test_blip",
        Category::EconomicContext,
        "blip",
    );
    budget.yields_to.push(Category::Salary);
    let c = french_with([
        rule("fr.salary.test_zorglub", Category::Salary, "zorglub"),
        budget,
    ]);
    let categories = |text| c.analyze(text).categories();
    assert_eq!(categories("Zorglub et blip."), [Category::Salary]);
    assert_eq!(categories("Zorglub, malgré blip."), [Category::Salary]);
    assert_eq!(
        categories("Zorglub ; par ailleurs, blip."),
        [Category::Salary, Category::EconomicContext]
    );
    assert_eq!(categories("Blip."), [Category::EconomicContext]);
}

#[test]
fn a_pattern_crosses_a_colon_only_where_it_names_one() {
    let c = french_with([
        rule(
            "fr.skills.test_colon",
            Category::Skills,
            "zorglub : ~2 (faible | nul)",
        ),
        rule(
            "fr.clarity.test_colon_optional",
            Category::Clarity,
            "blip :? flou",
        ),
    ]);
    let categories = |text| c.analyze(text).categories();
    let a = c.analyze("Zorglub : niveau faible.");
    let evidence: Vec<&str> = a.findings().map(|f| f.evidence.text).collect();
    assert_eq!(evidence, ["Zorglub : niveau faible"]);
    assert_eq!(categories("ZORGLUB: NUL"), [Category::Skills]);
    // Any other strong punctuation, or none, is not the colon named.
    assert!(categories("Zorglub ; faible.").is_empty());
    assert!(categories("Zorglub ? Faible.").is_empty());
    assert!(categories("Zorglub faible.").is_empty());
    // The judgement after the colon decides: its negation counts, one
    // before the label does not.
    assert!(categories("Zorglub : pas faible du tout.").is_empty());
    assert_eq!(
        categories("Jamais de répit pour zorglub : faible."),
        [Category::Skills]
    );
    assert_eq!(categories("Blip : flou."), [Category::Clarity]);
    assert_eq!(categories("Blip flou."), [Category::Clarity]);
}

#[test]
fn clearing_the_candidate_does_not_clear_the_reason_before_it() {
    let french = Classifier::french();
    let a = french.analyze("La direction a gelé les embauches, rien à voir avec vous.");
    assert_eq!(a.summary.external, [Category::EconomicContext]);
    // What the exoneration is about comes before it: that is cleared.
    let a = french.analyze("Vos prétentions n'ont rien à voir avec la décision.");
    assert!(a.summary.controllable.is_empty());
    let english = Classifier::english();
    let a = english.analyze("The board froze all hiring this quarter, nothing to do with you.");
    assert_eq!(a.summary.external, [Category::EconomicContext]);
    assert!(a.summary.signals.is_empty());
}
