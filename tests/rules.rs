//! Every rule proves itself by its own examples, in both embedded rulesets,
//! and the embedded French ruleset classifies the labelling guide's own
//! examples as the guide does.

use recruiter_feedback::{Category, Classifier, ClassifierBuilder, Facet, Language};

/// Both embedded classifiers.
fn embedded() -> [Classifier; 2] {
    [Classifier::french(), Classifier::english()]
}

#[test]
fn every_rule_example_and_class_example_behaves() {
    for c in embedded() {
        let failures = c.check_rules();
        let report: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
        assert!(
            report.is_empty(),
            "{}: {} failures:\n{}",
            c.language(),
            report.len(),
            report.join("\n")
        );
    }
}

#[test]
fn every_rule_has_an_example_and_a_counter_example() {
    for rule in embedded().iter().flat_map(Classifier::rules) {
        assert!(
            !rule.examples.is_empty(),
            "rule `{}` has no example",
            rule.id
        );
        assert!(
            !rule.counter_examples.is_empty(),
            "rule `{}` has no counter-example",
            rule.id
        );
    }
}

/// A pattern or guard written twice in one rule is a copy left behind:
/// it costs a second try on every statement and says nothing more.
#[test]
fn no_rule_lists_a_pattern_twice() {
    for rule in embedded().iter().flat_map(Classifier::rules) {
        for (kind, list) in [
            ("pattern", &rule.patterns),
            ("regex", &rule.regex),
            ("unless", &rule.unless),
            ("unless_near", &rule.unless_near),
            ("heading", &rule.headings),
        ] {
            let mut seen = std::collections::HashSet::new();
            for p in list {
                let spaced: Vec<&str> = p.split_whitespace().collect();
                assert!(
                    seen.insert(spaced.join(" ")),
                    "rule `{}` lists the {kind} «{p}» twice",
                    rule.id
                );
            }
        }
    }
}

#[test]
fn every_category_and_facet_has_rules_and_texts() {
    for c in embedded() {
        category_and_facet_coverage(&c);
    }
}

fn category_and_facet_coverage(c: &Classifier) {
    for cat in Category::ALL {
        assert!(
            c.rules().iter().any(|r| r.category == *cat),
            "{}: no rule for category {cat}",
            c.language()
        );
        assert!(
            c.category_name(*cat).is_some(),
            "{}: no display name for {cat}",
            c.language()
        );
    }
    for facet in Facet::ALL {
        assert!(
            c.rules().iter().any(|r| r.facet == Some(*facet)),
            "{}: no rule for facet {facet}",
            c.language()
        );
        assert!(
            c.facet_name(*facet).is_some(),
            "{}: no display name for {facet}",
            c.language()
        );
    }
}

#[test]
fn rule_ids_follow_their_language_and_category() {
    for c in embedded() {
        for rule in c.rules() {
            let expected = format!("{}.{}.", c.language(), rule.category);
            assert!(
                rule.id.starts_with(&expected),
                "rule `{}` is not under `{expected}`",
                rule.id
            );
        }
    }
}

#[test]
fn the_data_directories_load_like_the_embedded_rulesets() {
    for c in embedded() {
        let language = c.language();
        let dir = format!("{}/data/{language}", env!("CARGO_MANIFEST_DIR"));
        let from_dir = ClassifierBuilder::new(language)
            .add_dir(dir)
            .unwrap()
            .build()
            .unwrap();
        let ids = |c: &Classifier| c.rules().iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&from_dir), ids(&c));
    }
}

#[test]
fn detection_tells_the_two_languages_apart() {
    let both = embedded();
    let language = |text| Classifier::detect(&both, text).map(Classifier::language);
    assert_eq!(
        language("Votre candidature n'a pas été retenue."),
        Some(Language::Fr)
    );
    assert_eq!(
        language("Your application has not been successful."),
        Some(Language::En)
    );
    // French words in English text, English words in French text.
    assert_eq!(
        language("Le feedback du manager : pas assez de soft skills pour le job."),
        Some(Language::Fr)
    );
    assert_eq!(
        language("The panel felt that your CV lacked a certain je ne sais quoi."),
        Some(Language::En)
    );
    // No function word at all: the words the rules know decide.
    assert_eq!(
        language("Strong portfolio, weak Excel skills."),
        Some(Language::En)
    );
    assert_eq!(
        language("Profil intéressant, prétentions élevées."),
        Some(Language::Fr)
    );
    // A letter alone is an initial, an answer or a texting word, not « l' »
    // or « n' »; elided, it still counts.
    assert_eq!(
        language(
            "Panel notes (J. Dupont, L. Martin)\nCommunication: 2/5 – lots of hesitation\nOffer? N"
        ),
        Some(Language::En)
    );
    assert_eq!(
        language("its 3 days n u need 5 so cant go ahead sry"),
        Some(Language::En)
    );
    assert_eq!(
        language("L'équipe a tranché. J'ai transmis, N'hésitez pas."),
        Some(Language::Fr)
    );
    // Decomposed accents (NFD) stay in their words: « re\u{301}ponses » is
    // not « re » and « ponses ».
    let nfd = "Vos re\u{301}ponses e\u{301}taient tre\u{300}s the\u{301}oriques, presque re\u{301}cite\u{301}es, comme devant un jury d'examen.";
    assert_eq!(language(nfd), Some(Language::Fr));
    // Nothing to tell by: the first classifier.
    assert_eq!(language(""), Some(Language::Fr));
    assert_eq!(language("OK 👍"), Some(Language::Fr));
    assert!(Classifier::detect(&[], "the").is_none());
}

/// (text, expected categories, expected facets, generic rejection)
type Case = (&'static str, &'static [Category], &'static [Facet], bool);

/// The examples the labelling guide itself gives, rule by rule.
const GUIDE: &[Case] = &[
    // Rule 1: label what is stated.
    (
        "Nous avons retenu un candidat plus expérimenté.",
        &[Category::OtherCandidate],
        &[],
        false,
    ),
    // Rule 2: several categories in one statement.
    (
        "Pour des raisons budgétaires, le poste a été supprimé.",
        &[Category::EconomicContext, Category::PositionChange],
        &[],
        false,
    ),
    // Rule 3: negation cancels; a negated deficit praises.
    ("Ce n'est pas une question de compétences.", &[], &[], false),
    (
        "Vous ne manquez pas d'expérience.",
        &[Category::Strength],
        &[],
        false,
    ),
    // Rule 4: negation as the cue.
    (
        "Vous ne maîtrisez pas suffisamment Excel.",
        &[Category::Skills],
        &[],
        false,
    ),
    (
        "Nous n'avons pas le budget.",
        &[Category::EconomicContext],
        &[],
        false,
    ),
    // Rule 5: words are not categories.
    (
        "Vos prétentions dépassent le budget du poste.",
        &[Category::Salary],
        &[],
        false,
    ),
    // Rule 6: contrast labels both sides.
    (
        "Vos réponses étaient justes mais trop scolaires.",
        &[Category::Bias, Category::Strength],
        &[Facet::TooAcademic],
        false,
    ),
    // Rule 7: hedges do not cancel.
    (
        "Il nous a semblé que vous manquiez un peu d'assurance.",
        &[Category::Bias],
        &[Facet::Underconfident],
        false,
    ),
    // Rule 8: filled vs policy.
    (
        "Le poste a été pourvu.",
        &[Category::OtherCandidate],
        &[],
        false,
    ),
    (
        "Nous privilégions la mobilité interne.",
        &[Category::InternalCriteria],
        &[],
        false,
    ),
    // Rule 9: courtesy carries no label.
    (
        "Bonjour Madame,\n\nCordialement,\nLe service RH",
        &[],
        &[],
        false,
    ),
    // Rule 13: freeze of all hiring vs this position; a management decision.
    (
        "Le groupe a décidé un gel des recrutements.",
        &[Category::EconomicContext],
        &[],
        false,
    ),
    (
        "Le recrutement pour ce poste est suspendu.",
        &[Category::PositionChange],
        &[],
        false,
    ),
    (
        "Le comité de direction a tranché.",
        &[Category::InternalCriteria],
        &[],
        false,
    ),
    // Rule 14.
    ("Vos compétences ne sont pas en cause.", &[], &[], false),
    (
        "Votre sérieux ne fait aucun doute.",
        &[Category::Strength],
        &[],
        false,
    ),
    (
        "Nous n'avons jamais douté de votre motivation.",
        &[Category::Strength],
        &[],
        false,
    ),
    // Rule 15 and the generic rejection.
    (
        "Nous ne pouvons donner une suite favorable à votre candidature.",
        &[],
        &[],
        true,
    ),
    ("Votre candidature n'a pas été retenue.", &[], &[], true),
    (
        "Nous conservons votre CV.",
        &[Category::FutureOpportunity],
        &[],
        false,
    ),
    // Rule 16: text quality does not change the label.
    (
        "VOS COMPETENCES SONT A RENFORCER.",
        &[Category::Skills],
        &[],
        false,
    ),
    (
        "Vos compe\u{301}tences sont a\u{300} renforcer.",
        &[Category::Skills],
        &[],
        false,
    ),
    (
        "Le jury a jugé vos réponses «\u{a0}trop apprises par cœur\u{a0}».",
        &[Category::Bias],
        &[Facet::TooAcademic],
        false,
    ),
];

/// The same examples, as English feedback says them.
const GUIDE_EN: &[Case] = &[
    // Rule 1: label what is stated.
    (
        "We have chosen a more experienced candidate.",
        &[Category::OtherCandidate],
        &[],
        false,
    ),
    // Rule 2: several categories in one statement.
    (
        "Because of budget cuts, the position has been cancelled.",
        &[Category::EconomicContext, Category::PositionChange],
        &[],
        false,
    ),
    // Rule 3: negation cancels; a negated deficit praises.
    ("It was not a question of skills.", &[], &[], false),
    (
        "You are not short of experience.",
        &[Category::Strength],
        &[],
        false,
    ),
    // Rule 4: negation as the cue.
    (
        "You don't have a good enough command of Excel.",
        &[Category::Skills],
        &[],
        false,
    ),
    (
        "We don't have the budget.",
        &[Category::EconomicContext],
        &[],
        false,
    ),
    // Rule 5: words are not categories.
    (
        "Your salary expectations are above the budget for the role.",
        &[Category::Salary],
        &[],
        false,
    ),
    // Rule 6: contrast labels both sides.
    (
        "Your answers were accurate but far too academic.",
        &[Category::Bias, Category::Strength],
        &[Facet::TooAcademic],
        false,
    ),
    // Rule 7: hedges do not cancel.
    (
        "It seemed to us that you lacked a little confidence.",
        &[Category::Bias],
        &[Facet::Underconfident],
        false,
    ),
    // Rule 8: filled vs policy.
    (
        "The position has been filled.",
        &[Category::OtherCandidate],
        &[],
        false,
    ),
    (
        "We give priority to internal mobility.",
        &[Category::InternalCriteria],
        &[],
        false,
    ),
    // Rule 9: courtesy carries no label.
    ("Dear Ms Harper,\n\nKind regards,\nHR team", &[], &[], false),
    // Rule 13: freeze of all hiring vs this position.
    (
        "The group has decided on a hiring freeze.",
        &[Category::EconomicContext],
        &[],
        false,
    ),
    (
        "Recruitment for this position has been put on hold.",
        &[Category::PositionChange],
        &[],
        false,
    ),
    // Rule 14: "X n'est pas en cause" adds nothing; "nous n'avons jamais
    // douté de X" is praise, and so is "X was never in question".
    ("Your skills are not in question.", &[], &[], false),
    ("Your skills were not the issue.", &[], &[], false),
    (
        "Your skills were never in question.",
        &[Category::Strength],
        &[],
        false,
    ),
    // Rule 15 and the generic rejection.
    (
        "Unfortunately your application has not been successful.",
        &[],
        &[],
        true,
    ),
    (
        "We will keep your CV on file.",
        &[Category::FutureOpportunity],
        &[],
        false,
    ),
    // Rule 16: text quality does not change the label.
    (
        "YOUR SKILLS NEED MORE WORK.",
        &[Category::Skills],
        &[],
        false,
    ),
    (
        "The panel found your answers \u{201c}learned by heart\u{201d}.",
        &[Category::Bias],
        &[Facet::TooAcademic],
        false,
    ),
];

#[test]
fn the_guide_examples_are_classified_as_the_guide_says() {
    check_cases(&Classifier::french(), GUIDE);
}

#[test]
fn the_guide_examples_in_english_are_classified_as_the_guide_says() {
    check_cases(&Classifier::english(), GUIDE_EN);
}

fn check_cases(c: &Classifier, cases: &[Case]) {
    let mut wrong = Vec::new();
    for (text, categories, facets, generic) in cases {
        let a = c.analyze(text);
        let got = a.categories();
        if got != *categories
            || a.summary.facets != *facets
            || a.summary.generic_rejection != *generic
        {
            wrong.push(format!(
                "{text:?}: got {got:?} {:?} generic={}, expected {categories:?} {facets:?} generic={generic}",
                a.summary.facets, a.summary.generic_rejection
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_negation_of_a_refusal_does_not_reach_its_reasons() {
    let c = Classifier::french();
    for (text, expected) in [
        (
            "Nous ne pouvons pas retenir votre candidature car vos compétences en SQL sont insuffisantes.",
            Category::Skills,
        ),
        (
            "Votre candidature n'a pas été retenue faute d'expérience suffisante.",
            Category::Experience,
        ),
        (
            "Nous ne donnerons pas suite, votre profil étant trop junior.",
            Category::Experience,
        ),
    ] {
        let a = c.analyze(text);
        assert_eq!(a.categories(), [expected], "{text}");
        assert!(!a.summary.generic_rejection);
    }
}
