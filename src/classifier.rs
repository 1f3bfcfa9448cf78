//! The compiled classifier and the analysis of a document.
//!
//! Analysis runs statement by statement: the statement is folded, cut into
//! words, every pattern triggered by its words is tried, and the labelling
//! guide's semantics decide what the matches mean (see `semantics`). The
//! document summary is the union of the statements' findings.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, OnceLock};

use crate::analysis::{Advice, Analysis, Evidence, Finding, Role, Statement, Summary, Topic};
use crate::atoms::FxHashSet;
use crate::builder::ClassifierBuilder;
use crate::data::{ClassEntries, Settings, Texts};
use crate::error::Error;
use crate::limits::Limits;
use crate::matcher::{Match, Owner, Program, Scratch};
use crate::normalize::Folded;
use crate::prefilter::RegexPrefilter;
use crate::raw_regex::RawRegex;
use crate::rule::{Negation, Rule};
use crate::segment::{BULLETS, Segmenter, Spans, is_apostrophe, is_closing_quote};
use crate::semantics::{Clauses, Negated, StatementCues};
use crate::snapshot::snapshot_fields;
use crate::taxonomy::{Category, Facet, Kind, Language};
use crate::token::{Token, tokenize};
use unicode_normalization::char::is_combining_mark;

/// The word classes the engine itself reads, by reserved name.
///
/// They hold the language: the engine knows which role a class plays, never
/// its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cue {
    /// Words that negate what follows (`pas`, `jamais`, `sans`).
    Negation = 0,
    /// Phrases where a negation word does not negate (`pas mal`, `sans doute`).
    NegationException,
    /// "X is not the reason": cancels the clause's findings.
    Exoneration,
    /// Connectives that open a new clause (`mais`, `cependant`).
    Contrast,
    /// Hedges: lower confidence, never cancel.
    Hedge,
    /// An explicit no.
    Rejection,
    /// Greeting formulas.
    Greeting,
    /// Closing formulas.
    Closing,
    /// Phrases that deny a reason ("ce n'est pas une question de").
    Denial,
    /// Words that end the reach of a negation ("pourquoi", "comment").
    NegationBarrier,
    /// Contrast adverbs, which open a clause only where one can start.
    ContrastAdverb,
    /// A "no" that answers the question just before ("Non", "Pas du
    /// tout"): that question's findings are cancelled.
    AnswerNo,
    /// A negated verb of liking or approval ("didn't like", « n'a pas
    /// apprécié »): its negation negates nothing after it, like an
    /// exception's, but a signal whose match starts on the verb is no
    /// praise.
    NegatedOpinion,
    /// A phrase that denies the claim it introduces ("it's not that", "I
    /// can't say", « ce n'est pas que »): it negates what follows as a
    /// negation does, and a negation inside the claim is denied with it.
    ClaimDenial,
    /// A question the candidate asked, reported ("you asked whether", « vous
    /// me demandiez si »): the causes that follow it in its clause are
    /// asked about, not stated.
    ReportedQuestion,
}

impl Cue {
    pub const ALL: [Cue; 15] = [
        Cue::Negation,
        Cue::NegationException,
        Cue::Exoneration,
        Cue::Contrast,
        Cue::Hedge,
        Cue::Rejection,
        Cue::Greeting,
        Cue::Closing,
        Cue::Denial,
        Cue::NegationBarrier,
        Cue::ContrastAdverb,
        Cue::AnswerNo,
        Cue::NegatedOpinion,
        Cue::ClaimDenial,
        Cue::ReportedQuestion,
    ];

    /// Whether the cue turns what a sentence says (a negation, a contrast,
    /// an exoneration…), so that a word taken for it by mistake would
    /// change a finding: such words are read only as written.
    pub const fn turns_meaning(self) -> bool {
        !matches!(
            self,
            Cue::Hedge | Cue::Rejection | Cue::Greeting | Cue::Closing
        )
    }

    /// The reserved class name.
    pub const fn class_name(self) -> &'static str {
        match self {
            Cue::Negation => "negation",
            Cue::NegationException => "negation_exception",
            Cue::Exoneration => "exoneration",
            Cue::Contrast => "contrast",
            Cue::Hedge => "hedge",
            Cue::Rejection => "rejection",
            Cue::Greeting => "greeting",
            Cue::Closing => "closing",
            Cue::Denial => "denial",
            Cue::NegationBarrier => "negation_barrier",
            Cue::ContrastAdverb => "contrast_adverb",
            Cue::AnswerNo => "answer_no",
            Cue::NegatedOpinion => "negated_opinion",
            Cue::ClaimDenial => "claim_denial",
            Cue::ReportedQuestion => "reported_question",
        }
    }
}

/// What a rule's match says once its negation is read (the guide's rules
/// 3 and 4): the rule's own category and facet, a strength (a denied
/// deficit, `true` as the finding's `negated`), or nothing. `holds`: a
/// `named` rule's match holds a negation of its own.
fn reading(
    rule: &CompiledRule,
    negated: Negated,
    holds: bool,
) -> Result<(Category, Option<Facet>, bool), Veto> {
    let stated = Ok((rule.category, rule.facet, false));
    let praise = Ok((Category::Strength, None, true));
    match (rule.negation, negated) {
        // Two negations: what the match says stands, unless it says it with
        // a negation, which is then denied ("I can't say you didn't
        // prepare"): a denied deficit praises, unless the claim denied a
        // reason ("it's not that…"); a denied external cause is none. A
        // praise said with a negation of its own is a litotes that the
        // claim only repeats (« ce n'est pas que vous ne soyez pas
        // qualifiée, bien au contraire »).
        (Negation::Cancel | Negation::Strength, Negated::Doubled { named: false, .. })
        | (_, Negated::Doubled { inside: false, .. }) => stated,
        (_, Negated::Doubled { denial, .. }) => match rule.category.kind() {
            Kind::Signal => stated,
            Kind::Controllable if !denial => praise,
            Kind::Controllable | Kind::External => Err(Veto::Negated),
        },
        (_, Negated::No) | (Negation::Keep, _) => stated,
        // A named rule's own negation stands against a plain negation
        // before it, not against a denial ("it's not a question of your
        // qualifications" read by a rule written for "not qualified").
        (Negation::Named, Negated::Yes) if holds => stated,
        (Negation::Cancel | Negation::Named, _) | (Negation::Strength, Negated::Denied) => {
            Err(Veto::Negated)
        }
        (Negation::Strength, Negated::Yes) => praise,
    }
}

/// What the engine keeps of a rule to run it.
#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub id: Arc<str>,
    pub category: Category,
    pub facet: Option<Facet>,
    pub confidence: f32,
    pub negation: Negation,
    pub yields_to: Vec<Category>,
    pub has_unless: bool,
    pub has_unless_near: bool,
}

/// A display name and advice, shared by all analyses.
type SharedTexts = (Arc<str>, Arc<str>);

/// Display names and advice, shared by all analyses.
#[derive(Debug)]
pub(crate) struct TextTable {
    categories: HashMap<Category, SharedTexts>,
    facets: HashMap<Facet, SharedTexts>,
    generic: Option<SharedTexts>,
}

fn shared(t: Texts) -> SharedTexts {
    (Arc::from(t.name), Arc::from(t.advice))
}

impl TextTable {
    pub fn new(
        categories: HashMap<Category, Texts>,
        facets: HashMap<Facet, Texts>,
        generic: Option<Texts>,
    ) -> Self {
        TextTable {
            categories: categories
                .into_iter()
                .map(|(k, v)| (k, shared(v)))
                .collect(),
            facets: facets.into_iter().map(|(k, v)| (k, shared(v))).collect(),
            generic: generic.map(shared),
        }
    }
}

snapshot_fields!(TextTable {
    categories,
    facets,
    generic,
});

/// A word class's examples: (class name, class index, texts).
pub(crate) type ClassExamples = (String, u32, Vec<String>);

/// The rules as written (their patterns as text, examples, notes,
/// locations), the word classes' entries and examples: what [`Classifier::rules`]
/// and [`Classifier::check_rules`] show, and what no analysis reads.
///
/// A compiled classifier holds them from the start. One read from the
/// embedded snapshot does not: they are two of the five megabytes of a
/// snapshot and as much again of heap, per language, that a pipeline
/// analysing text never needs. Asked for, they are read again from the
/// embedded rule files (tens of milliseconds, once).
#[derive(Debug, Default)]
pub(crate) struct Written {
    pub rules: Vec<Rule>,
    /// Every word class, its entries as written.
    pub classes: Vec<ClassEntries>,
    pub class_examples: Vec<ClassExamples>,
}

/// Everything a compiled classifier holds.
#[derive(Debug)]
pub(crate) struct Inner {
    pub language: Language,
    pub program: Program,
    pub regexes: Vec<(RawRegex, Owner)>,
    /// Which of `regexes` a statement needs run.
    pub regex_filter: RegexPrefilter,
    pub rules: Vec<CompiledRule>,
    /// Not in the snapshot: see [`Written`].
    pub written: OnceLock<Written>,
    pub segmenter: Segmenter,
    pub settings: Settings,
    pub texts: TextTable,
    pub function_words: FunctionWords,
    pub limits: Limits,
}

impl Inner {
    /// Checks, for a classifier read from a snapshot, that every pattern
    /// id and every rule its patterns and regexes name is one of its own
    /// (see [`Program::check_ids`]): a damaged snapshot must be refused,
    /// not make an analysis panic.
    pub(crate) fn check_ids(&self) -> Result<(), &'static str> {
        let rules = self.rules.len();
        self.program.check_ids(rules)?;
        if !self.regexes.iter().all(|(_, owner)| owner.within(rules)) {
            return Err("the rule of a regex");
        }
        Ok(())
    }
}

/// A compiled, immutable ruleset that analyses recruiter feedback.
///
/// Cloning is cheap (the compiled rules are shared), and a classifier is
/// `Send + Sync`: build it once and analyse from as many threads as needed,
/// with `&self`.
///
/// ```
/// use recruiter_feedback::{Category, Classifier, Facet};
///
/// let classifier = Classifier::french();
/// let analysis = classifier.analyze(
///     "Vos réponses étaient justes mais trop scolaires. \
///      Nous conservons votre CV pour une prochaine ouverture.",
/// );
/// assert_eq!(analysis.summary.controllable, [Category::Bias]);
/// assert_eq!(analysis.summary.facets, [Facet::TooAcademic]);
/// assert!(analysis.summary.signals.contains(&Category::FutureOpportunity));
/// assert_eq!(analysis.summary.primary_cause, Some(Category::Bias));
/// ```
#[derive(Clone, Debug)]
pub struct Classifier {
    inner: Arc<Inner>,
}

/// A rule example that does not behave as its rule says.
///
/// ```
/// use recruiter_feedback::{CheckKind, ClassifierBuilder};
///
/// let mut builder = ClassifierBuilder::french();
/// builder.add_source(
///     "mine.toml",
///     r#"
/// [[rule]]
/// id = "fr.salary.hors_grille"
/// category = "salary"
/// patterns = ["hors grille"]
/// examples = ["Votre demande est hors de notre grille."]
/// counter_examples = ["Une prime hors grille est possible."]
/// "#,
/// );
/// let failures = builder.build()?.check_rules();
/// let kinds: Vec<CheckKind> = failures.iter().map(|f| f.kind).collect();
/// assert_eq!(kinds, [CheckKind::Missed, CheckKind::FalseAlarm]);
/// assert_eq!(failures[0].owner, "rule `fr.salary.hors_grille`");
/// assert_eq!(failures[0].text, "Votre demande est hors de notre grille.");
/// assert!(failures[0].location.starts_with("mine.toml:"));
/// # Ok::<(), recruiter_feedback::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {owner}: {kind}: «{text}»")]
pub struct CheckFailure {
    /// `rule `id`` or `word class `name``.
    pub owner: String,
    /// Where the rule or class is defined.
    pub location: String,
    /// What went wrong.
    pub kind: CheckKind,
    /// The example text; for a [`CheckKind::RepeatedAlternative`], the
    /// alternative repeated, folded.
    pub text: String,
}

/// How an example failed.
///
/// Each kind displays as what went wrong:
///
/// ```
/// use recruiter_feedback::CheckKind;
///
/// assert_eq!(CheckKind::Missed.to_string(), "example not matched");
/// assert_eq!(CheckKind::FalseAlarm.to_string(), "counter-example matched");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckKind {
    /// An example did not make its rule fire.
    #[error("example not matched")]
    Missed,
    /// A counter-example made its rule fire.
    #[error("counter-example matched")]
    FalseAlarm,
    /// A class example contains no entry of its class.
    #[error("class example not matched")]
    ClassMissed,
    /// A group of a rule's pattern or guard, or of a class entry, lists
    /// one alternative twice (once folded: `(très | tres)`); the text is
    /// that alternative.
    #[error("alternative written twice in one group")]
    RepeatedAlternative,
    /// A word class lists one entry twice (once folded: `à` and `a`); the
    /// text is that entry.
    #[error("entry written twice in one class")]
    RepeatedEntry,
}

impl Classifier {
    /// The embedded French classifier, made once on first use and shared
    /// afterwards (a clone of an `Arc`).
    ///
    /// The French data files are compiled with the crate, so no file is
    /// read at run time, and the first call only reads the compiled
    /// ruleset back (see [`ClassifierBuilder::build`]).
    ///
    /// ```
    /// use recruiter_feedback::{Category, Classifier, Language};
    ///
    /// let french = Classifier::french();
    /// assert_eq!(french.language(), Language::Fr);
    /// let a = french.analyze("Le poste a finalement été supprimé.");
    /// assert_eq!(a.summary.external, [Category::PositionChange]);
    /// ```
    pub fn french() -> Classifier {
        static FRENCH: OnceLock<Classifier> = OnceLock::new();
        Classifier::embedded_once(&FRENCH, Language::Fr)
    }

    /// The embedded English classifier, made once on first use and shared
    /// afterwards, as [`french`](Self::french) is.
    ///
    /// ```
    /// use recruiter_feedback::{Category, Classifier};
    /// let a = Classifier::english().analyze("We have offered the role to another candidate.");
    /// assert_eq!(a.summary.external, [Category::OtherCandidate]);
    /// ```
    pub fn english() -> Classifier {
        static ENGLISH: OnceLock<Classifier> = OnceLock::new();
        Classifier::embedded_once(&ENGLISH, Language::En)
    }

    /// The embedded classifier of `language`.
    ///
    /// ```
    /// use recruiter_feedback::{Classifier, Language};
    /// assert_eq!(Classifier::embedded(Language::En).language(), Language::En);
    /// ```
    pub fn embedded(language: Language) -> Classifier {
        match language {
            Language::Fr => Classifier::french(),
            Language::En => Classifier::english(),
        }
    }

    fn embedded_once(cell: &OnceLock<Classifier>, language: Language) -> Classifier {
        cell.get_or_init(|| {
            // The embedded data is checked by the test suite; failing
            // here is a bug of the crate, not of its input.
            ClassifierBuilder::embedded(language)
                .build()
                .unwrap_or_else(|e| panic!("embedded `{language}` ruleset is invalid: {e}"))
        })
        .clone()
    }

    pub(crate) fn from_inner(inner: Inner) -> Self {
        Classifier {
            inner: Arc::new(inner),
        }
    }

    /// The compiled classifier as a snapshot (see `snapshot`), which the
    /// build script writes.
    #[allow(dead_code)] // in the library, called by the tests only
    pub(crate) fn to_snapshot(&self) -> Vec<u8> {
        crate::snapshot::to_bytes(&*self.inner)
    }

    /// The language of the ruleset.
    ///
    /// ```
    /// use recruiter_feedback::{Classifier, Language};
    ///
    /// assert_eq!(Classifier::french().language(), Language::Fr);
    /// assert_eq!(Classifier::english().language(), Language::En);
    /// ```
    pub fn language(&self) -> Language {
        self.inner.language
    }

    /// How many words of `text` are function words of this classifier's
    /// language (the entries of its `function_words` class: articles,
    /// pronouns, prepositions…). Only the first
    /// [`DETECTION_BYTES`](Self::DETECTION_BYTES) bytes are read: that is
    /// plenty to tell languages apart, and keeps the cost per document
    /// fixed. See [`detect`](Self::detect).
    ///
    /// ```
    /// use recruiter_feedback::Classifier;
    /// let text = "We have chosen another candidate for the role.";
    /// assert!(Classifier::english().language_score(text) > Classifier::french().language_score(text));
    /// ```
    pub fn language_score(&self, text: &str) -> usize {
        let words = &self.inner.function_words;
        let mut score = 0;
        for_each_detection_word(text, words.longest, |w| {
            score += usize::from(words.set.contains(w));
            true
        });
        score
    }

    /// The lead, in function words, at which [`detect`](Self::detect) stops
    /// reading.
    ///
    /// ```
    /// use recruiter_feedback::{Classifier, Language};
    ///
    /// // A French opening that leads by more than DECISIVE_LEAD function
    /// // words, then more English than French in all.
    /// let text = format!(
    ///     "Nous sommes au regret de vous dire que le poste est pourvu et que nous \
    ///      ne pouvons pas donner suite à votre candidature. {}",
    ///     "It was a pleasure to meet you and we wish you the best for the future. ".repeat(3)
    /// );
    /// let (fr, en) = (Classifier::french(), Classifier::english());
    /// assert!(en.language_score(&text) > fr.language_score(&text));
    /// // Detection stopped reading once French led by DECISIVE_LEAD.
    /// let both = [en, fr];
    /// assert_eq!(Classifier::detect(&both, &text).map(Classifier::language), Some(Language::Fr));
    /// ```
    pub const DECISIVE_LEAD: usize = 8;

    /// How much of a text [`language_score`](Self::language_score) and
    /// [`detect`](Self::detect) read, in bytes.
    ///
    /// ```
    /// use recruiter_feedback::Classifier;
    ///
    /// // Only the first DETECTION_BYTES count: French words after them add nothing.
    /// let head = "x ".repeat(Classifier::DETECTION_BYTES / 2);
    /// let text = format!("{head}nous avons bien reçu votre candidature");
    /// assert_eq!(Classifier::french().language_score(&text), 0);
    /// assert!(Classifier::french().language_score("nous avons bien reçu votre candidature") > 0);
    /// ```
    pub const DETECTION_BYTES: usize = 1024;

    /// Of `classifiers`, the one for the language `text` is written in: the
    /// one with the highest [`language_score`](Self::language_score), the
    /// first on a tie (so list the default language first). `None` only when
    /// `classifiers` is empty. Reading stops as soon as one language leads
    /// the others by [`DECISIVE_LEAD`](Self::DECISIVE_LEAD) function words,
    /// so that detection costs little next to the analysis. When function
    /// words leave a tie, the words each ruleset's patterns name decide.
    ///
    /// ```
    /// use recruiter_feedback::{Classifier, Language};
    /// let both = [Classifier::french(), Classifier::english()];
    /// let pick = |text| Classifier::detect(&both, text).map(Classifier::language);
    /// assert_eq!(pick("Le poste a été pourvu en interne."), Some(Language::Fr));
    /// assert_eq!(pick("The position has been filled internally."), Some(Language::En));
    /// assert_eq!(pick("OK"), Some(Language::Fr));
    /// ```
    pub fn detect<'a>(classifiers: &'a [Classifier], text: &str) -> Option<&'a Classifier> {
        let mut scores = vec![0usize; classifiers.len()];
        let longest = classifiers
            .iter()
            .map(|c| c.inner.function_words.longest)
            .max()
            .unwrap_or(0);
        for_each_detection_word(text, longest, |w| {
            for (score, c) in scores.iter_mut().zip(classifiers) {
                *score += usize::from(c.inner.function_words.set.contains(w));
            }
            !decided(&scores)
        });
        if tied(&scores) {
            // Too few function words to tell ("Company policy gives
            // existing employees first refusal on supervisory vacancies"):
            // the words each ruleset's patterns know decide.
            scores.iter_mut().for_each(|s| *s = 0);
            for_each_detection_word(text, MAX_FUNCTION_WORD, |w| {
                for (score, c) in scores.iter_mut().zip(classifiers) {
                    *score += usize::from(c.inner.program.knows(w));
                }
                true
            });
        }
        let mut best: Option<(&Classifier, usize)> = None;
        for (c, &score) in classifiers.iter().zip(&scores) {
            if best.is_none_or(|(_, top)| score > top) {
                best = Some((c, score));
            }
        }
        best.map(|(c, _)| c)
    }

    /// The rules, as loaded (after replacements and disables).
    ///
    /// A classifier read from the embedded snapshot (the unchanged
    /// [`french`](Self::french) or [`english`](Self::english) ruleset)
    /// reads them again from the embedded rule files on the first call,
    /// in tens of milliseconds, so that a pipeline that only analyses
    /// never holds them.
    ///
    /// ```
    /// use recruiter_feedback::{Category, Classifier};
    ///
    /// let french = Classifier::french();
    /// let salary = french.rules().iter().filter(|r| r.category == Category::Salary);
    /// assert!(salary.clone().count() > 0);
    /// // Every rule carries its own examples.
    /// assert!(french.rules().iter().all(|r| !r.examples.is_empty()));
    /// ```
    pub fn rules(&self) -> &[Rule] {
        &self.written().rules
    }

    /// Does this classifier hold the rules as written yet?
    #[cfg(test)]
    pub(crate) fn holds_written(&self) -> bool {
        self.inner.written.get().is_some()
    }

    /// The rules as written: held since compilation, or read again from
    /// the embedded files when this classifier came from the snapshot.
    pub(crate) fn written(&self) -> &Written {
        let inner = &*self.inner;
        inner.written.get_or_init(|| {
            // Only the unchanged embedded ruleset is read from a snapshot,
            // and the build script made that snapshot from these very
            // files: they read. Were they not to, there would be no rules
            // to show rather than a panic.
            ClassifierBuilder::written(inner.language).unwrap_or_default()
        })
    }

    /// The limits this classifier was built with.
    ///
    /// ```
    /// use recruiter_feedback::{Classifier, ClassifierBuilder, Limits};
    ///
    /// assert_eq!(*Classifier::french().limits(), Limits::default());
    /// let small = Limits { max_document_bytes: 1 << 10, ..Limits::default() };
    /// let classifier = ClassifierBuilder::french().limits(small).build()?;
    /// assert_eq!(classifier.limits().max_document_bytes, 1 << 10);
    /// # Ok::<(), recruiter_feedback::Error>(())
    /// ```
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// The display name of a category, from the data files.
    ///
    /// ```
    /// use recruiter_feedback::{Category, Classifier};
    /// assert_eq!(Classifier::french().category_name(Category::Skills), Some("Compétences"));
    /// ```
    pub fn category_name(&self, category: Category) -> Option<&str> {
        self.inner.texts.categories.get(&category).map(|t| &*t.0)
    }

    /// The display name of a bias facet, from the data files.
    ///
    /// ```
    /// use recruiter_feedback::{Classifier, Facet};
    /// assert_eq!(Classifier::french().facet_name(Facet::TooAcademic), Some("Trop scolaire"));
    /// ```
    pub fn facet_name(&self, facet: Facet) -> Option<&str> {
        self.inner.texts.facets.get(&facet).map(|t| &*t.0)
    }

    /// Analyses one document of any size and content; never fails.
    ///
    /// ```
    /// use recruiter_feedback::{Category, Classifier};
    ///
    /// let a = Classifier::french().analyze(
    ///     "Nous avons retenu un autre candidat. Je reste disponible pour en échanger.",
    /// );
    /// assert_eq!(a.summary.external, [Category::OtherCandidate]);
    /// assert_eq!(a.summary.signals, [Category::FeedbackOffer]);
    /// ```
    pub fn analyze<'t>(&self, text: &'t str) -> Analysis<'t> {
        thread_local! {
            // Buffers reused by every analysis on this thread.
            static WORK: std::cell::RefCell<Work> = std::cell::RefCell::new(Work::default());
        }
        WORK.with(|w| match w.try_borrow_mut() {
            Ok(mut work) => self.analyze_with(text, &mut work),
            // Only reachable through re-entrance, which nothing allows today.
            Err(_) => self.analyze_with(text, &mut Work::default()),
        })
    }

    /// Analyses many documents in turn, reusing the same buffers: the
    /// iterator adapter for batch pipelines that bring their own threading
    /// (or none).
    ///
    /// ```
    /// use recruiter_feedback::{Category, Classifier};
    ///
    /// let docs = ["Profil trop junior.", "Le poste a été pourvu."];
    /// let found: Vec<Vec<Category>> = Classifier::french()
    ///     .analyze_batch(docs)
    ///     .map(|a| a.categories())
    ///     .collect();
    /// assert_eq!(found, [vec![Category::Experience], vec![Category::OtherCandidate]]);
    /// ```
    pub fn analyze_batch<'c, 't, I>(&'c self, texts: I) -> impl Iterator<Item = Analysis<'t>> + 'c
    where
        I: IntoIterator<Item = &'t str>,
        I::IntoIter: 'c,
        't: 'c,
    {
        let mut work = Work::default();
        texts
            .into_iter()
            .map(move |t| self.analyze_with(t, &mut work))
    }

    /// Analyses `texts` on `threads` threads (scoped: none outlives the
    /// call, and no pool is kept), returning the analyses in input order.
    ///
    /// ```
    /// use std::num::NonZeroUsize;
    /// use recruiter_feedback::{Category, Classifier};
    ///
    /// let docs: Vec<String> = (0..100).map(|i| format!("Document {i} : profil trop junior.")).collect();
    /// let texts: Vec<&str> = docs.iter().map(String::as_str).collect();
    /// let threads = NonZeroUsize::new(2).unwrap();
    /// let analyses = Classifier::french().analyze_parallel(&texts, threads);
    /// assert_eq!(analyses.len(), 100);
    /// assert!(analyses.iter().all(|a| a.categories() == [Category::Experience]));
    /// ```
    pub fn analyze_parallel<'t>(
        &self,
        texts: &[&'t str],
        threads: std::num::NonZeroUsize,
    ) -> Vec<Analysis<'t>> {
        let threads = threads.get().min(texts.len().max(1));
        if threads <= 1 {
            return self.analyze_batch(texts.iter().copied()).collect();
        }
        let chunk = texts.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = texts
                .chunks(chunk)
                .map(|part| {
                    scope
                        .spawn(move || self.analyze_batch(part.iter().copied()).collect::<Vec<_>>())
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| {
                    // Analysis never panics; a panic here would be a bug, and
                    // is passed on rather than hidden.
                    h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
                })
                .collect()
        })
    }

    /// Like [`analyze`](Self::analyze), but refuses documents larger than
    /// [`Limits::max_document_bytes`].
    ///
    /// # Errors
    /// [`Error::DocumentTooLarge`].
    ///
    /// ```
    /// use recruiter_feedback::{ClassifierBuilder, Error, Limits};
    ///
    /// let mut b = ClassifierBuilder::french();
    /// b.limits(Limits { max_document_bytes: 10, ..Limits::default() });
    /// let c = b.build()?;
    /// assert!(matches!(c.try_analyze("Profil trop junior."), Err(Error::DocumentTooLarge { len: 19, limit: 10 })));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn try_analyze<'t>(&self, text: &'t str) -> Result<Analysis<'t>, Error> {
        let limit = self.inner.limits.max_document_bytes;
        if text.len() > limit {
            return Err(Error::DocumentTooLarge {
                len: text.len(),
                limit,
            });
        }
        Ok(self.analyze(text))
    }

    fn analyze_with<'t>(&self, text: &'t str, work: &mut Work) -> Analysis<'t> {
        let mut stream = Statements::new(self, text, std::mem::take(work));
        let statements: Vec<Statement<'t>> = stream.by_ref().collect();
        let summary = stream.summary();
        *work = stream.work;
        Analysis {
            language: self.inner.language,
            statements,
            summary,
        }
    }

    /// Analyses `text` one statement at a time, with memory that does not
    /// grow with the text: for documents too large to hold an [`Analysis`]
    /// of, or to start reporting before the end. The summary of what was
    /// read so far is available at any point.
    ///
    /// ```
    /// use recruiter_feedback::{Category, Classifier};
    ///
    /// let classifier = Classifier::french();
    /// let text = "Profil trop junior.\n".repeat(10_000) + "Nous conservons votre CV.";
    /// let mut stream = classifier.statements(&text);
    /// let mut count = 0;
    /// for statement in &mut stream {
    ///     count += 1;
    ///     assert!(statement.findings.len() <= 1);
    /// }
    /// assert_eq!(count, 10_001);
    /// let summary = stream.summary();
    /// assert_eq!(summary.controllable, [Category::Experience]);
    /// assert_eq!(summary.signals, [Category::FutureOpportunity]);
    /// ```
    pub fn statements<'c, 't>(&'c self, text: &'t str) -> Statements<'c, 't> {
        Statements::new(self, text, Work::default())
    }

    /// Analyses one statement `text[start..end]`.
    fn statement<'t>(
        &self,
        text: &'t str,
        start: usize,
        end: usize,
        work: &mut Work,
    ) -> StatementResult<'t> {
        let inner = &*self.inner;
        work.read(&inner.program, &text[start..end], start);
        work.matches.clear();
        inner.program.find(
            &work.folded.text,
            &work.tokens,
            &mut work.scratch,
            &mut work.matches,
        );
        self.regex_matches(work);
        self.guard_matches(work);
        // An option left unticked on a form states nothing: no rule, cue or
        // guard is read from it.
        if work.struck {
            let tokens = &work.tokens;
            work.matches
                .retain(|m| tokens.get(m.start as usize).is_none_or(|t| !t.struck));
        }
        let mut cues = std::mem::take(&mut work.cues);
        cues.fill(&work.matches);
        let words = work.tokens.len();
        let role = if cues.starts_with(Cue::Greeting)
            && words <= inner.settings.greeting_max_words as usize
        {
            Role::Greeting
        } else if cues.starts_with(Cue::Closing) {
            Role::Closing
        } else {
            Role::Body
        };
        let mut clauses = std::mem::take(&mut work.clauses);
        clauses.fill(&work.tokens, &cues);
        // The clauses where each rule's `unless` patterns matched.
        work.stopped.clear();
        work.stopped
            .extend(work.matches.iter().filter_map(|m| match m.owner {
                Owner::Unless(r) => Some((r, clauses.deciding(m))),
                _ => None,
            }));
        work.stopped.sort_unstable();
        work.guards.clear();
        work.guards
            .extend(work.matches.iter().filter_map(|m| match m.owner {
                Owner::UnlessNear(r) => Some((r, m.start, m.end)),
                _ => None,
            }));
        work.guards.sort_unstable();
        let mut findings = Vec::new();
        for i in 0..work.matches.len() {
            let m = work.matches[i];
            let Owner::Rule(r) = m.owner else { continue };
            let rule = &inner.rules[r as usize];
            // A match that runs over a contrast ("solide mais limité") mixes
            // two judgements: it says nothing reliable about either, unless
            // the pattern names the connective itself ("…, au contraire").
            // One that reaches an `unless_near` guard is stopped by it. A
            // shorter match of the same rule that stops before either may
            // still stand.
            let near_guard = rule.has_unless_near;
            let acceptable = |m: &Match| {
                !(clauses.crosses_unnamed(m) || near_guard && guarded(&work.guards, r, m))
            };
            let m = if !acceptable(&m) {
                let veto = if clauses.crosses_unnamed(&m) {
                    Veto::Contrast
                } else {
                    Veto::UnlessNear
                };
                let shorter = inner.program.longest_accepted(
                    r,
                    m.start,
                    &work.tokens,
                    &mut work.scratch,
                    acceptable,
                );
                match shorter {
                    Some(m) => m,
                    None => {
                        work.veto(&rule.id, rule.category, veto);
                        continue;
                    }
                }
            } else {
                m
            };
            match self.finding(text, r, &m, &cues, &clauses, work) {
                Ok(f) => {
                    let reach = clauses.part(m.start)..=clauses.part(m.end - 1);
                    findings.push((f, rule, reach));
                }
                Err(veto) => work.veto(&rule.id, rule.category, veto),
            }
        }
        if cues.has(Cue::Hedge) {
            for (f, _, _) in &mut findings {
                f.confidence = round2(f.confidence * inner.settings.hedge_factor);
            }
        }
        crate::semantics::apply_precedence(&mut findings, |f| {
            work.veto(&f.rule, f.category, Veto::Precedence);
        });
        let findings: Vec<Finding<'t>> = findings.into_iter().map(|(f, _, _)| f).collect();
        if let Some(trace) = &mut work.trace {
            trace.extend(
                findings
                    .iter()
                    .map(|f| (f.rule.clone(), f.category, f.facet)),
            );
        }
        let findings = crate::semantics::dedup(findings);
        let rejection = cues.has(Cue::Rejection);
        let answers_no = cues.starts_with(Cue::AnswerNo);
        let heading = work.matches.iter().find_map(|m| match m.owner {
            Owner::Heading(r) if m.start == 0 && m.end as usize == words => Some(r),
            _ => None,
        });
        work.cues = cues;
        work.clauses = clauses;
        StatementResult {
            role,
            words,
            rejection,
            answers_no,
            heading,
            findings,
        }
    }

    /// Turns a rule match into a finding, or says why the guide's rules
    /// make it none. `m` is already clear of contrasts and of its rule's
    /// `unless_near` guards: the caller looked for a shorter match where it
    /// was not.
    fn finding<'t>(
        &self,
        text: &'t str,
        index: u32,
        m: &Match,
        cues: &StatementCues,
        clauses: &Clauses,
        work: &Work,
    ) -> Result<Finding<'t>, Veto> {
        let rule = &self.inner.rules[index as usize];
        let clause = clauses.deciding(m);
        if rule.has_unless && work.stopped.binary_search(&(index, clause)).is_ok() {
            return Err(Veto::Unless);
        }
        let signal = rule.category.kind() == Kind::Signal;
        if cues.exonerated(m, clause, clauses, signal) {
            return Err(Veto::Exonerated);
        }
        // A signal asked about is mostly granted ("you asked whether you
        // could reapply: of course"); a cause asked about, mostly denied.
        if !signal && cues.questioned(m, clause, clauses) {
            return Err(Veto::Questioned);
        }
        // "They didn't like your attitude" praises nothing.
        if signal && cues.opinion_negated(m) {
            return Err(Veto::OpinionNegated);
        }
        let negated = cues.negation(m, clause, clauses, self.inner.settings.negation_window);
        let holds = rule.negation == Negation::Named && cues.holds_negation(m);
        let (category, facet, negated) = reading(rule, negated, holds)?;
        let tokens: &[Token] = &work.tokens;
        let first = tokens[m.start as usize];
        let last = tokens[m.end as usize - 1];
        let (s, e) = work
            .folded
            .original_span(first.start as usize, last.end as usize);
        Ok(Finding {
            category,
            kind: category.kind(),
            facet,
            rule: rule.id.clone(),
            confidence: rule.confidence,
            negated,
            evidence: Evidence {
                start: s,
                end: e,
                text: &text[s..e],
            },
        })
    }

    /// Appends the matches of the guards of the rules that matched.
    fn guard_matches(&self, work: &mut Work) {
        let rules = &self.inner.rules;
        work.guarded.clear();
        work.guarded
            .extend(work.matches.iter().filter_map(|m| match m.owner {
                Owner::Rule(r)
                    if rules[r as usize].has_unless || rules[r as usize].has_unless_near =>
                {
                    Some(r)
                }
                _ => None,
            }));
        if work.guarded.is_empty() {
            return;
        }
        work.guarded.sort_unstable();
        work.guarded.dedup();
        self.inner.program.find_guards(
            &work.guarded,
            &work.tokens,
            &mut work.scratch,
            &mut work.matches,
        );
    }

    /// Appends the matches of raw regexes, as word ranges.
    fn regex_matches(&self, work: &mut Work) {
        let regexes = &self.inner.regexes;
        if regexes.is_empty() {
            return;
        }
        let text = &work.folded.text;
        let mut worth = std::mem::take(&mut work.regexes);
        self.inner.regex_filter.candidates(text, &mut worth);
        for &i in &worth {
            let Some((Some(regex), owner)) = regexes.get(i as usize).map(|(r, o)| (r.get(), o))
            else {
                continue;
            };
            for found in regex.find_iter(text) {
                // Tokens are sorted: the words the match overlaps, by bisection.
                let a = work
                    .tokens
                    .partition_point(|t| t.end as usize <= found.start());
                let b = work
                    .tokens
                    .partition_point(|t| (t.start as usize) < found.end());
                if a < b {
                    work.matches.push(Match {
                        owner: *owner,
                        start: a as u32,
                        end: b as u32,
                        literal: Match::RAW,
                    });
                }
            }
        }
        work.regexes = worth;
    }

    fn advice(
        &self,
        causes: &[(Category, f32, usize)],
        facets: &[Facet],
        signals: &[Category],
        generic: bool,
    ) -> Vec<Advice> {
        let texts = &self.inner.texts;
        let mut out = Vec::new();
        let mut push = |category: Topic, facet: Option<Facet>, t: &(Arc<str>, Arc<str>)| {
            out.push(Advice {
                category,
                facet,
                title: t.0.clone(),
                text: t.1.clone(),
            });
        };
        for &(c, _, _) in causes {
            if c == Category::Bias {
                for &f in facets {
                    if let Some(t) = texts.facets.get(&f).or_else(|| texts.categories.get(&c)) {
                        push(Topic::Category(c), Some(f), t);
                    }
                }
            } else if let Some(t) = texts.categories.get(&c) {
                push(Topic::Category(c), None, t);
            }
        }
        if generic {
            if let Some(t) = &texts.generic {
                push(Topic::GenericRejection, None, t);
            }
        }
        for &c in signals {
            if let Some(t) = texts.categories.get(&c) {
                push(Topic::Category(c), None, t);
            }
        }
        out
    }

    /// Runs every rule's examples and counter-examples, and every word
    /// class's examples; returns what failed (nothing when the ruleset is
    /// consistent). Also reports every alternative a group of a rule's
    /// patterns and guards, or of a class entry, lists twice once folded,
    /// and every entry a word class lists twice: the matcher compares
    /// folded words, so `(à | a)` names one word twice, a copy that hides
    /// which words the group really adds.
    ///
    /// ```
    /// use recruiter_feedback::{CheckKind, Classifier, ClassifierBuilder};
    ///
    /// assert_eq!(Classifier::french().check_rules(), vec![]);
    ///
    /// let mut builder = ClassifierBuilder::french();
    /// builder.add_source(
    ///     "mine.toml",
    ///     r#"
    /// [[rule]]
    /// id = "fr.salary.au_dessus"
    /// category = "salary"
    /// patterns = ["(au-dessus | au dessus | hors) (de | du) budget"]
    /// examples = ["Vos prétentions sont au-dessus du budget."]
    /// counter_examples = ["Le budget est voté."]
    /// "#,
    /// );
    /// let failures = builder.build()?.check_rules();
    /// assert_eq!(failures.len(), 1);
    /// assert_eq!(failures[0].kind, CheckKind::RepeatedAlternative);
    /// assert_eq!(failures[0].text, "au dessus");
    /// # Ok::<(), recruiter_feedback::Error>(())
    /// ```
    pub fn check_rules(&self) -> Vec<CheckFailure> {
        let inner = &*self.inner;
        let written = self.written();
        let mut out = Vec::new();
        for (spec, rule) in written.rules.iter().zip(&inner.rules) {
            let fires = |text: &str| {
                let mut work = Work {
                    trace: Some(Vec::new()),
                    ..Work::default()
                };
                self.analyze_with(text, &mut work);
                work.trace
                    .unwrap_or_default()
                    .iter()
                    .any(|(id, c, f)| *id == rule.id && *c == rule.category && *f == rule.facet)
            };
            let mut fail = |kind, text: &String| {
                out.push(CheckFailure {
                    owner: format!("rule `{}`", spec.id),
                    location: spec.location().to_string(),
                    kind,
                    text: text.clone(),
                })
            };
            for ex in &spec.examples {
                if !fires(ex) {
                    fail(CheckKind::Missed, ex);
                }
            }
            for ex in &spec.counter_examples {
                if fires(ex) {
                    fail(CheckKind::FalseAlarm, ex);
                }
            }
            for alternative in repeated_alternatives(spec, &inner.limits) {
                fail(CheckKind::RepeatedAlternative, &alternative);
            }
        }
        let mut work = Work::default();
        for (name, class, examples) in &written.class_examples {
            for ex in examples {
                work.read(&inner.program, ex, 0);
                if !inner.program.matches_class(
                    *class,
                    &work.folded.text,
                    &work.tokens,
                    &mut work.scratch,
                ) {
                    out.push(CheckFailure {
                        owner: format!("word class `{name}`"),
                        location: String::from("class_examples"),
                        kind: CheckKind::ClassMissed,
                        text: ex.clone(),
                    });
                }
            }
        }
        for class in &written.classes {
            out.extend(repeated_entries(class, &inner.limits));
        }
        out
    }
}

/// The alternatives some group of `rule`'s patterns, guards and headings lists
/// twice, shown folded. A pattern that does not parse has none: the rule
/// could not have compiled.
fn repeated_alternatives(rule: &Rule, limits: &Limits) -> Vec<String> {
    let mut out = Vec::new();
    for written in rule
        .patterns
        .iter()
        .chain(&rule.unless)
        .chain(&rule.unless_near)
        .chain(&rule.headings)
    {
        if let Ok(node) = crate::pattern::parse(written, limits) {
            out.extend(
                crate::pattern::repeated_alternatives(&node)
                    .iter()
                    .map(ToString::to_string),
            );
        }
    }
    out
}

/// The entries `class` lists twice, and the alternatives an entry's group
/// lists twice, shown folded, where the second copy is written.
fn repeated_entries(class: &ClassEntries, limits: &Limits) -> Vec<CheckFailure> {
    let mut out = Vec::new();
    let mut seen = FxHashSet::default();
    for (entry, location) in &class.entries {
        let Ok(node) = crate::pattern::parse(entry, limits) else {
            continue;
        };
        let mut fail = |kind, text: String| {
            out.push(CheckFailure {
                owner: format!("word class `{}`", class.name),
                location: location.to_string(),
                kind,
                text,
            })
        };
        for alternative in crate::pattern::repeated_alternatives(&node) {
            fail(CheckKind::RepeatedAlternative, alternative.to_string());
        }
        // Shown folded, two entries that read the same match the same.
        let shown = node.to_string();
        if !seen.insert(shown.clone()) {
            fail(CheckKind::RepeatedEntry, shown);
        }
    }
    out
}

/// Pieces of the pipeline, run alone: what the benchmarks time. They are
/// not part of the API and may change in any release.
#[doc(hidden)]
pub mod internals {
    use super::{Classifier, Work};
    use crate::{Category, ClassifierBuilder, Error};

    pub use super::Veto;

    /// Every rule match in `text` that made no finding: the rule's id, the
    /// category it would have reported, and why it did not. A rule that
    /// matched twice and was stopped twice is listed twice. For rule
    /// authors: `eval --vetoes` adds them up over a corpus, to find the
    /// guards that cost it the most.
    ///
    /// ```
    /// use recruiter_feedback::{Category, Classifier, internals};
    ///
    /// let french = Classifier::french();
    /// let vetoes = internals::vetoes(&french, "Ce n'est pas un problème de prétentions salariales.");
    /// assert!(vetoes.iter().any(|(_, c, _)| *c == Category::Salary));
    /// assert!(french.analyze("Ce n'est pas un problème de prétentions salariales.")
    ///     .summary.controllable.is_empty());
    /// ```
    pub fn vetoes(classifier: &Classifier, text: &str) -> Vec<(String, Category, Veto)> {
        let mut work = Work {
            vetoes: Some(Vec::new()),
            ..Work::default()
        };
        classifier.analyze_with(text, &mut work);
        work.vetoes
            .unwrap_or_default()
            .into_iter()
            .map(|(id, category, veto)| (id.to_string(), category, veto))
            .collect()
    }

    /// Compiles the builder's sources and edits, even when it holds the
    /// embedded French ruleset unchanged, which
    /// [`ClassifierBuilder::build`] reads from its snapshot instead: what
    /// any change to the ruleset costs.
    pub fn compile(builder: &ClassifierBuilder) -> Result<Classifier, Error> {
        builder.compile()
    }

    /// Folds `text` for matching line by line into one buffer, as the
    /// analysis folds statement by statement into its reused buffers;
    /// returns the folded length.
    pub fn fold(text: &str) -> usize {
        let mut folded = crate::normalize::Folded::default();
        let mut base = 0;
        let mut total = 0;
        for line in text.split_inclusive('\n') {
            folded.fold(line, base);
            base += line.len();
            total += folded.text.len();
        }
        total
    }

    /// Cuts `text` into statements; returns how many.
    pub fn segment(classifier: &Classifier, text: &str) -> usize {
        classifier.inner.segmenter.spans(text).count()
    }

    /// Folds and tokenizes every statement of `text`, then calls `f` with
    /// the buffers; returns the sum of what `f` returns.
    fn per_statement(
        classifier: &Classifier,
        text: &str,
        mut f: impl FnMut(&mut Work) -> usize,
    ) -> usize {
        let mut work = Work::default();
        let mut total = 0;
        for (start, end) in classifier.inner.segmenter.spans(text) {
            work.read(&classifier.inner.program, &text[start..end], start);
            total += f(&mut work);
        }
        total
    }

    /// Folds, tokenizes and matches every statement as `analyze` does
    /// (patterns, then the guards of the rules that matched; no semantics,
    /// no output); returns the number of matches.
    pub fn match_statements(classifier: &Classifier, text: &str) -> usize {
        per_statement(classifier, text, |work| {
            work.matches.clear();
            classifier.inner.program.find(
                &work.folded.text,
                &work.tokens,
                &mut work.scratch,
                &mut work.matches,
            );
            classifier.guard_matches(work);
            work.matches.len()
        })
    }

    /// Folds, tokenizes and matches every statement with the indexed
    /// matcher, every rule's guards included (what the naive evaluation
    /// tries); returns the number of matches.
    pub fn match_indexed(classifier: &Classifier, text: &str) -> usize {
        let program = &classifier.inner.program;
        // Every rule's guards too, as the naive evaluation tries them.
        let all: Vec<u32> = (0..classifier.inner.rules.len() as u32).collect();
        per_statement(classifier, text, |work| {
            work.matches.clear();
            program.find(
                &work.folded.text,
                &work.tokens,
                &mut work.scratch,
                &mut work.matches,
            );
            program.find_guards(&all, &work.tokens, &mut work.scratch, &mut work.matches);
            work.matches.len()
        })
    }

    /// The same, trying every pattern at every word (the naive evaluation);
    /// returns the number of matches.
    pub fn match_naive(classifier: &Classifier, text: &str) -> usize {
        let program = &classifier.inner.program;
        per_statement(classifier, text, |work| {
            program.find_naive(&work.folded.text, &work.tokens, &mut work.scratch)
        })
    }
}

/// Does an `unless_near` match of rule `index` overlap match `m` or lie
/// within [`NEAR_WORDS`] words of it?
fn guarded(guards: &[(u32, u32, u32)], index: u32, m: &Match) -> bool {
    let from = guards.partition_point(|g| g.0 < index);
    guards[from..]
        .iter()
        .take_while(|g| g.0 == index)
        .any(|&(_, s, e)| s <= m.end + NEAR_WORDS && e + NEAR_WORDS >= m.start)
}

/// How close an `unless_near` match must be to stop a rule, in words.
///
/// ```
/// use recruiter_feedback::{ClassifierBuilder, Language, NEAR_WORDS};
///
/// let mut builder = ClassifierBuilder::new(Language::En);
/// builder.add_source(
///     "mine.toml",
///     r#"
/// [categories.salary]
/// name = "Salary"
/// advice = "Check the market range."
///
/// [[rule]]
/// id = "en.salary.budget"
/// category = "salary"
/// patterns = ["over budget"]
/// unless_near = ["project"]
/// "#,
/// );
/// let classifier = builder.build()?;
/// let found = |text: &str| !classifier.analyze(text).summary.controllable.is_empty();
/// assert_eq!(NEAR_WORDS, 2);
/// assert!(!found("The project went over budget."));
/// assert!(!found("The project, sadly, went over budget."));
/// assert!(found("The project was late, and your request went well over budget."));
/// # Ok::<(), recruiter_feedback::Error>(())
/// ```
pub const NEAR_WORDS: u32 = 2;

fn round2(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}

/// A document analysed statement by statement; see
/// [`Classifier::statements`].
///
/// ```
/// use recruiter_feedback::{Category, Classifier};
///
/// let text = "Merci pour votre venue.\nVotre anglais reste insuffisant pour ce poste.";
/// let classifier = Classifier::french();
/// let statements: Vec<_> = classifier.statements(text).collect();
/// assert_eq!(statements.len(), 2);
/// assert_eq!(statements[1].findings[0].category, Category::Skills);
/// // Offsets are into the original text.
/// assert_eq!(&text[statements[1].start..statements[1].end], statements[1].text);
/// ```
pub struct Statements<'c, 't> {
    classifier: &'c Classifier,
    text: &'t str,
    spans: Spans<'c, 't>,
    work: Work,
    tally: Tally,
    after_closing: bool,
    /// The statements after the current one that had to be read early
    /// (at most two), in order.
    ahead: VecDeque<(usize, usize, StatementResult<'t>)>,
    /// The rule whose heading the list being read is under, if any, and
    /// whether an item of it was read yet.
    list: Option<(u32, bool)>,
    /// Where the statement before the current one ended.
    last_end: usize,
}

/// The longest statement, in words, skipped as a hesitation between a
/// question and the "no" that answers it ("Honnêtement ?", "Bah…").
const HESITATION_WORDS: usize = 2;

/// The longest line, in words, read as an item of the list above it
/// without a list mark, if it does not end like a sentence ("aisance à
/// l'oral", not "Nous ne donnerons pas suite.").
const LIST_FRAGMENT_WORDS: usize = 6;

/// Marks that open a list item beside the segmenter's bullets: checks,
/// arrows and a hollow square, which the segmenter leaves in the statement
/// (taking them into its bullets would change how text is segmented).
const ITEM_MARKS: &[char] = &['▫', '✓', '✔', '→'];

/// The length in bytes, spaces in front included, of the mark of a list
/// item `text` starts with: a dash, bullet, star, plus, check or arrow,
/// or a number of one or two digits or a single letter followed by `.`
/// or `)` and a space.
fn list_mark_len(text: &str) -> Option<usize> {
    let rest = text.trim_start();
    let spaces = text.len() - rest.len();
    let first = rest.chars().next()?;
    if BULLETS.contains(&first) || ITEM_MARKS.contains(&first) {
        return Some(spaces + first.len_utf8());
    }
    let label = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let numbered = (1..=2).contains(&label) && rest[..label].bytes().all(|b| b.is_ascii_digit());
    let lettered = label == 1 && first.is_ascii_alphabetic();
    let after = &rest[label..];
    ((numbered || lettered) && after.starts_with(['.', ')']) && after[1..].starts_with(' '))
        .then_some(spaces + label + 1)
}

/// The part of a list item that is its evidence, as byte offsets in it:
/// without a list mark in front, nor spaces and a final `.`, `;` or `,`
/// behind.
fn item_span(item: &str) -> (usize, usize) {
    let body = item.trim_end().trim_end_matches(['.', ';', ',']).trim_end();
    let mark = list_mark_len(body).unwrap_or(0);
    let start = body.len() - body[mark..].trim_start().len();
    (start, body.len())
}

/// How much of a statement asks a question: all of it when it ends on a
/// question mark (before closing quotes); up to the question mark of a
/// question it reports in quotes (« « Est-ce mon âge ? », m'avez-vous
/// demandé. »), so that a finding that runs on past the quote ("your
/// answer to 'why us?' was vague") is not taken for the question; none
/// otherwise. In bytes from the statement's start.
fn asked_part(statement: &str) -> Option<usize> {
    if statement
        .trim_end_matches(|c: char| c.is_whitespace() || is_closing_quote(c) || c == ')')
        .ends_with('?')
    {
        return Some(statement.len());
    }
    statement
        .rmatch_indices('?')
        .find(|&(i, _)| {
            statement[i + 1..]
                .trim_start_matches(char::is_whitespace)
                .starts_with(is_closing_quote)
        })
        .map(|(i, _)| i)
}

impl<'t> Iterator for Statements<'_, 't> {
    type Item = Statement<'t>;

    fn next(&mut self) -> Option<Statement<'t>> {
        let (start, end, mut result) = match self.ahead.pop_front() {
            Some(read) => read,
            None => self.read()?,
        };
        // "Un problème de niveau ? Non, …": a question answered no by the
        // next statement proposed a reason only to deny it.
        if let Some(asked) = asked_part(&self.text[start..end]) {
            let asked_end = start + asked;
            if result.findings.iter().any(|f| f.evidence.end <= asked_end) && self.answered_no() {
                let work = &mut self.work;
                result.findings.retain(|f| {
                    let kept = f.evidence.end > asked_end;
                    if !kept {
                        work.veto(&f.rule, f.category, Veto::AnsweredNo);
                    }
                    kept
                });
            }
        }
        self.follow_list(start, end, &mut result);
        let classifier = self.classifier;
        let text = self.text;
        let settings = &classifier.inner.settings;
        let role = match result.role {
            Role::Body
                if self.after_closing && result.words <= settings.signature_max_words as usize =>
            {
                Role::Signature
            }
            r => r,
        };
        // A greeting, closing or signature line that says something ("Bonjour,
        // vos prétentions sont trop élevées.") is read as content, and so is
        // one that turns the candidate down ("Cheers for your interest –
        // unfortunately it's a no"): the refusal counts.
        let role = if role != Role::Body && (!result.findings.is_empty() || result.rejection) {
            Role::Body
        } else {
            role
        };
        self.after_closing |= role == Role::Closing;
        let findings = if role == Role::Body {
            result.findings
        } else {
            Vec::new()
        };
        self.tally.rejection |= role == Role::Body && result.rejection;
        for f in &findings {
            self.tally.add(f);
        }
        Some(Statement {
            start,
            end,
            text: &text[start..end],
            role,
            findings,
        })
    }
}

impl<'c, 't> Statements<'c, 't> {
    /// A stream over `text` that analyses with the buffers of `work`.
    fn new(classifier: &'c Classifier, text: &'t str, work: Work) -> Self {
        Statements {
            classifier,
            text,
            spans: classifier.inner.segmenter.spans(text),
            work,
            tally: Tally::default(),
            after_closing: false,
            ahead: VecDeque::new(),
            list: None,
            last_end: 0,
        }
    }

    /// Reads the lists under headings: a statement that is a rule's
    /// heading, whole ("Points forts :"), opens a list; the line under it,
    /// and each following line that is a list item, reports that rule if
    /// it reports nothing by itself ("- aisance à l'oral"), with the item
    /// as evidence. A blank line, a line that is no list item, one that
    /// ends on a colon or a closing formula ends the list.
    fn follow_list(&mut self, start: usize, end: usize, result: &mut StatementResult<'t>) {
        let before = self.text.get(self.last_end..start).unwrap_or("");
        self.last_end = end;
        let classifier = self.classifier;
        let rules = &classifier.inner.rules;
        let heading = result
            .heading
            .and_then(|r| Some((r, rules.get(r as usize)?)));
        if let Some((rule, compiled)) = heading {
            // The heading names what its items say: by itself it is no
            // evidence of it ("Points forts :" praises nothing yet).
            result.findings.retain(|f| f.category != compiled.category);
            self.list = Some((rule, false));
            return;
        }
        let Some((rule, begun)) = self.list else {
            return;
        };
        let Some(compiled) = rules.get(rule as usize) else {
            return;
        };
        let Some(line_start) = before.rfind('\n') else {
            // The rest of the line an item began.
            return;
        };
        let blank_line = before[..line_start].contains('\n');
        let item = &self.text[start..end];
        let marked =
            list_mark_len(&before[line_start + 1..]).is_some() || list_mark_len(item).is_some();
        let fragment =
            result.words <= LIST_FRAGMENT_WORDS && !item.trim_end().ends_with(['.', '!', '?', '…']);
        // A line that ends on a colon heads something else ("Points à
        // améliorer :").
        let heads = item.trim_end().ends_with(':');
        // The line right under the heading is its first item, whatever its
        // shape ("Point fort :" then a whole sentence).
        if blank_line || heads || result.role != Role::Body || begun && !(marked || fragment) {
            self.list = None;
            return;
        }
        self.list = Some((rule, true));
        if !result.findings.is_empty() || result.rejection {
            return;
        }
        let (s, e) = item_span(item);
        if s == e {
            return;
        }
        if let Some(trace) = &mut self.work.trace {
            trace.push((compiled.id.clone(), compiled.category, compiled.facet));
        }
        result.findings.push(Finding {
            category: compiled.category,
            kind: compiled.category.kind(),
            facet: compiled.facet,
            rule: compiled.id.clone(),
            confidence: compiled.confidence,
            negated: false,
            evidence: Evidence {
                start: start + s,
                end: start + e,
                text: &self.text[start + s..start + e],
            },
        });
    }

    /// Does the statement after the current one answer no, perhaps after a
    /// word or two of hesitation ("Honnêtement ? Non.")? The answer is read
    /// early, at most two statements ahead, so memory stays bounded.
    fn answered_no(&mut self) -> bool {
        for k in 0..2 {
            if self.ahead.len() <= k {
                match self.read() {
                    Some(read) => self.ahead.push_back(read),
                    None => return false,
                }
            }
            let Some((_, _, next)) = self.ahead.get(k) else {
                return false;
            };
            if next.answers_no {
                return true;
            }
            if !next.findings.is_empty() || next.words > HESITATION_WORDS {
                return false;
            }
        }
        false
    }

    /// Analyses the next span, without yielding it.
    fn read(&mut self) -> Option<(usize, usize, StatementResult<'t>)> {
        let (start, end) = self.spans.next()?;
        let result = self
            .classifier
            .statement(self.text, start, end, &mut self.work);
        Some((start, end, result))
    }

    /// The summary of the statements read so far (of the whole document
    /// once the iterator is exhausted).
    ///
    /// ```
    /// use recruiter_feedback::{Category, Classifier};
    ///
    /// let text = "Nous avons retenu un autre candidat. Votre CV reste dans notre vivier.";
    /// let classifier = Classifier::french();
    /// let mut stream = classifier.statements(text);
    /// stream.next();
    /// assert_eq!(stream.summary().external, [Category::OtherCandidate]);
    /// assert!(stream.summary().signals.is_empty());
    /// stream.next();
    /// assert_eq!(stream.summary().signals, [Category::FutureOpportunity]);
    /// ```
    pub fn summary(&self) -> Summary {
        self.tally.summary(self.classifier)
    }
}

impl std::fmt::Debug for Statements<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Statements")
            .field("summary", &self.summary())
            .finish_non_exhaustive()
    }
}

/// What the summary needs of the findings, gathered as they come.
#[derive(Debug, Default, Clone)]
struct Tally {
    /// Summed confidence and first evidence offset, per category found.
    found: [Option<(f32, usize)>; 16],
    facets: [bool; 8],
    rejection: bool,
}

impl Tally {
    fn add(&mut self, f: &Finding<'_>) {
        let slot = &mut self.found[f.category as usize];
        match slot {
            Some((weight, _)) => *weight += f.confidence,
            None => *slot = Some((f.confidence, f.evidence.start)),
        }
        if let Some(facet) = f.facet {
            self.facets[facet as usize] = true;
        }
    }

    fn summary(&self, classifier: &Classifier) -> Summary {
        let found: Vec<Category> = Category::ALL
            .iter()
            .copied()
            .filter(|c| self.found[*c as usize].is_some())
            .collect();
        let of_kind = |k: Kind| {
            found
                .iter()
                .copied()
                .filter(|c| c.kind() == k)
                .collect::<Vec<_>>()
        };
        let controllable = of_kind(Kind::Controllable);
        let external = of_kind(Kind::External);
        let signals = of_kind(Kind::Signal);
        let facets: Vec<Facet> = Facet::ALL
            .iter()
            .copied()
            .filter(|f| self.facets[*f as usize])
            .collect();
        // Causes by weight: summed confidence, then first appearance.
        let mut causes: Vec<(Category, f32, usize)> = found
            .iter()
            .filter(|c| c.is_cause())
            .filter_map(|c| self.found[*c as usize].map(|(w, first)| (*c, w, first)))
            .collect();
        causes.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
        let n_causes = controllable.len() + external.len();
        let generic_rejection = self.rejection && n_causes == 0;
        let advice = classifier.advice(&causes, &facets, &signals, generic_rejection);
        Summary {
            primary_cause: causes.first().map(|c| c.0),
            controllable_share: (n_causes > 0).then(|| controllable.len() as f64 / n_causes as f64),
            controllable,
            external,
            signals,
            facets,
            generic_rejection,
            advice,
        }
    }
}

/// Buffers reused from one statement to the next.
#[derive(Default)]
struct Work {
    folded: Folded,
    tokens: Vec<Token>,
    /// Some of `tokens` are struck: an option left unticked on a form.
    struck: bool,
    /// Scratch for reading shorthands.
    spare_tokens: Vec<Token>,
    matches: Vec<Match>,
    scratch: Scratch,
    cues: StatementCues,
    clauses: Clauses,
    /// Rules with guards that matched in the statement.
    guarded: Vec<u32>,
    /// (rule, start, end) of the `unless_near` matches, sorted.
    guards: Vec<(u32, u32, u32)>,
    /// (rule, clause) pairs where an `unless` pattern matched, sorted.
    stopped: Vec<(u32, u32)>,
    /// The raw regexes worth running on the statement.
    regexes: Vec<u32>,
    /// When set, collects every rule that fired (before one finding per
    /// category is kept), for checking rule examples.
    trace: Option<Vec<Fired>>,
    /// When set, collects every rule match that made no finding, and why
    /// (see [`internals::vetoes`]).
    vetoes: Option<Vec<(Arc<str>, Category, Veto)>>,
}

impl Work {
    /// Notes, when asked to, that a match of rule `id`, which would have
    /// reported `category`, made no finding.
    fn veto(&mut self, id: &Arc<str>, category: Category, veto: Veto) {
        if let Some(vetoes) = &mut self.vetoes {
            vetoes.push((id.clone(), category, veto));
        }
    }

    /// Folds `text` (found at byte `offset` of the document) and cuts it
    /// into words, shorthands read as the words they stand for.
    fn read(&mut self, program: &Program, text: &str, offset: usize) {
        self.folded.fold(text, offset);
        self.struck = tokenize(&self.folded.text, &mut self.tokens);
        program.expand_shorthands(&self.folded.text, &mut self.tokens, &mut self.spare_tokens);
    }
}

/// A rule that fired, with what it reported.
type Fired = (Arc<str>, Category, Option<Facet>);

/// Why a rule's match made no finding: which of the guide's rules, or of
/// the rule's own guards, stopped it. Reported by [`internals::vetoes`],
/// to find the guards that cost a corpus the most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Veto {
    /// The match runs over a contrast ("solide mais limité"), and no
    /// shorter match of the rule stops before it.
    Contrast,
    /// The match reaches one of the rule's `unless_near` guards, and no
    /// shorter match stops before it.
    UnlessNear,
    /// One of the rule's `unless` guards matched in the deciding clause.
    Unless,
    /// The statement exonerates the candidate of it ("ce n'est pas votre
    /// profil qui est en cause").
    Exonerated,
    /// A signal under a negated opinion ("they didn't like…").
    OpinionNegated,
    /// Negated, and the rule's `negation` drops it.
    Negated,
    /// It yields to another finding it meets (`yields_to`).
    Precedence,
    /// A question the next statement answers no.
    AnsweredNo,
    /// A cause inside a question the candidate asked, reported ("you asked
    /// whether your gap counted").
    Questioned,
}

impl Veto {
    /// A short name for reports: `contrast`, `unless_near`, `unless`,
    /// `exonerated`, `opinion_negated`, `negated`, `precedence`,
    /// `answered_no`, `questioned`.
    pub fn name(self) -> &'static str {
        match self {
            Veto::Contrast => "contrast",
            Veto::UnlessNear => "unless_near",
            Veto::Unless => "unless",
            Veto::Exonerated => "exonerated",
            Veto::OpinionNegated => "opinion_negated",
            Veto::Negated => "negated",
            Veto::Precedence => "precedence",
            Veto::AnsweredNo => "answered_no",
            Veto::Questioned => "questioned",
        }
    }
}

struct StatementResult<'t> {
    role: Role,
    words: usize,
    rejection: bool,
    /// The statement opens with an `answer_no` cue.
    answers_no: bool,
    /// The rule one of whose `headings` the statement is, whole.
    heading: Option<u32>,
    findings: Vec<Finding<'t>>,
}

/// The function words of a ruleset (its `function_words` class), folded,
/// for language detection.
#[derive(Debug, Default)]
pub(crate) struct FunctionWords {
    pub set: FxHashSet<String>,
    /// The longest, in bytes: longer words of a text are not looked up.
    pub longest: usize,
}

impl FunctionWords {
    pub fn new(set: FxHashSet<String>) -> Self {
        let longest = set.iter().map(String::len).max().unwrap_or(0);
        FunctionWords { set, longest }
    }
}

/// The two highest scores, highest first.
fn top_two(scores: &[usize]) -> (usize, usize) {
    let (mut first, mut second) = (0, 0);
    for &s in scores {
        if s > first {
            (first, second) = (s, first);
        } else if s > second {
            second = s;
        }
    }
    (first, second)
}

/// Do two classifiers share the highest score?
fn tied(scores: &[usize]) -> bool {
    scores.len() > 1 && {
        let (first, second) = top_two(scores);
        first == second
    }
}

/// Does one score lead every other by [`Classifier::DECISIVE_LEAD`]?
fn decided(scores: &[usize]) -> bool {
    let (first, second) = top_two(scores);
    first >= second + Classifier::DECISIVE_LEAD
}

/// Longest function word a ruleset may have, in bytes (detection folds
/// words in a buffer of that size).
pub(crate) const MAX_FUNCTION_WORD: usize = 16;

/// Is `word`, at byte `from` of `text`, a letter standing alone (not
/// elided: « l'équipe », « N'hésitez », "don't")? Such a letter is an
/// initial, a grade, an answer or a texting word ("L. Moreno", "Hire? N",
/// "full time n u need") and tells no language, though elided it is a
/// function word (« l' », « n' »). The English pronoun "I" is one too: the
/// other function words tell English without it.
fn is_lone_letter(text: &str, from: usize, word: &str) -> bool {
    word.len() == 1
        && !text[..from].chars().next_back().is_some_and(is_apostrophe)
        && !text[from + 1..].chars().next().is_some_and(is_apostrophe)
}

/// Calls `f`, until it returns false, with each word of at most `longest`
/// bytes of the first
/// [`Classifier::DETECTION_BYTES`] of `text`, folded. Cheaper than the
/// analysis's folding and tokenizing, since it runs on every document
/// before the analysis: longer words are skipped unread, ASCII words (most
/// words, and all English and French function words but a few) are
/// lower-cased in a buffer, and only the others are folded.
fn for_each_detection_word(text: &str, longest: usize, mut f: impl FnMut(&str) -> bool) {
    let mut end = text.len().min(Classifier::DETECTION_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut buf = [0u8; MAX_FUNCTION_WORD];
    let longest = longest.min(MAX_FUNCTION_WORD);
    // A combining accent belongs to its word: decomposed « réponses » is one
    // word, not « re » and « ponses » (which told English from NFD French).
    let in_word = |c: char| c.is_alphanumeric() || is_combining_mark(c);
    for word in text[..end].split(|c: char| !in_word(c)) {
        // Where the word starts in `text`, of which it is a slice.
        let from = word.as_ptr() as usize - text.as_ptr() as usize;
        if word.is_empty() || is_lone_letter(text, from, word) {
            continue;
        }
        if word.is_ascii() {
            if word.len() > longest {
                continue;
            }
            let lower = &mut buf[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            if let Ok(w) = std::str::from_utf8(lower) {
                if !f(w) {
                    return;
                }
            }
        } else if word.len() <= 2 * longest {
            // Folding drops accents: a Latin letter of two bytes becomes
            // one, so longer words cannot fold to a function word.
            if !f(&crate::normalize::fold_str(word)) {
                return;
            }
        }
    }
}
