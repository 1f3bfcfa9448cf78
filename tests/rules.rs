//! Every rule proves itself by its own examples, and the embedded French
//! ruleset classifies the labelling guide's own examples as the guide does.

use recruiter_feedback::{Category, Classifier, ClassifierBuilder, Facet};

#[test]
fn every_rule_example_and_class_example_behaves() {
    let failures = Classifier::french().check_rules();
    let report: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
    assert!(
        report.is_empty(),
        "{} failures:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn every_rule_has_an_example_and_a_counter_example() {
    for rule in Classifier::french().rules() {
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

#[test]
fn every_category_and_facet_has_rules_and_texts() {
    let c = Classifier::french();
    for cat in Category::ALL {
        assert!(
            c.rules().iter().any(|r| r.category == *cat),
            "no rule for category {cat}"
        );
        assert!(c.category_name(*cat).is_some(), "no display name for {cat}");
    }
    for facet in Facet::ALL {
        assert!(
            c.rules().iter().any(|r| r.facet == Some(*facet)),
            "no rule for facet {facet}"
        );
        assert!(
            c.facet_name(*facet).is_some(),
            "no display name for {facet}"
        );
    }
}

#[test]
fn rule_ids_follow_their_category() {
    for rule in Classifier::french().rules() {
        let expected = format!("fr.{}.", rule.category);
        assert!(
            rule.id.starts_with(&expected),
            "rule `{}` is not under `{expected}`",
            rule.id
        );
    }
}

#[test]
fn the_data_directory_loads_like_the_embedded_ruleset() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/fr");
    let from_dir = ClassifierBuilder::new(recruiter_feedback::Language::Fr)
        .add_dir(dir)
        .unwrap()
        .build()
        .unwrap();
    let embedded = Classifier::french();
    let ids = |c: &Classifier| c.rules().iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&from_dir), ids(&embedded));
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

#[test]
fn the_guide_examples_are_classified_as_the_guide_says() {
    let c = Classifier::french();
    let mut wrong = Vec::new();
    for (text, categories, facets, generic) in GUIDE {
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
