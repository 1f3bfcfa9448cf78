//! Assembling rule sources into a compiled [`Classifier`].
//!
//! A builder collects sources (files, directories, strings, the embedded
//! French data) and edits made in code (add, replace or disable rules, add
//! words to classes). Nothing is parsed until [`ClassifierBuilder::build`],
//! which reads every source in order, applies the edits, checks everything
//! against the [`Limits`], and compiles the result into an immutable
//! classifier. All the ways a ruleset can be wrong are reported there, as an
//! [`Error`] naming the file, line, rule and reason.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::atoms::FxHashSet;
use crate::classifier::{
    ClassExamples, Classifier, CompiledRule, Cue, FunctionWords, Inner, MAX_FUNCTION_WORD,
    TextTable, Written,
};
use crate::data::{ClassEntries, Settings, SourceFile, Texts, read_source};
use crate::embedded::{Embedded, embedded};
use crate::error::{Error, Location};
use crate::graph::find_cycle;
use crate::limits::Limits;
use crate::matcher::{ClassNames, Elem, Owner, ProgramBuilder, is_built_in_class};
use crate::normalize::fold_str;
use crate::pattern::{Node, parse};
use crate::prefilter::RegexPrefilter;
use crate::raw_regex::RawRegex;
use crate::rule::{Negation, PatternList, Rule};
use crate::segment::Segmenter;
use crate::shorthand::{MAX_EXPANSION_WORDS, Shorthands};
use crate::snapshot;
use crate::taxonomy::{Category, Language};
use crate::token::words as words_of;

/// Name of the word class of words too common to anchor a pattern on.
const FREQUENT_CLASS: &str = "frequent";

/// A word class whose entries must be single plain words, read into a
/// set rather than matched as patterns.
struct WordList {
    class: &'static str,
    /// What its entries are, in error messages.
    noun: &'static str,
    /// Said after "single plain words" when an entry is not one.
    hint: &'static str,
    /// The longest entry allowed, in folded bytes.
    longest: usize,
}

/// Words after which a point does not end a sentence (segmentation).
const ABBREVIATIONS: WordList = WordList {
    class: "abbreviation",
    noun: "abbreviations",
    hint: " (without the point)",
    longest: usize::MAX,
};

/// Words after which a point does not end a sentence when a number
/// follows (segmentation).
const ABBREVIATIONS_BEFORE_NUMBER: WordList = WordList {
    class: "abbreviation_before_number",
    noun: "abbreviations",
    hint: " (without the point)",
    longest: usize::MAX,
};

/// The language's function words (detection): a longer entry would never
/// count, so it is an error, not a surprise.
const FUNCTION_WORDS: WordList = WordList {
    class: "function_words",
    noun: "function words",
    hint: "",
    longest: MAX_FUNCTION_WORD,
};

/// Builds a [`Classifier`] from rule sources and edits.
///
/// ```
/// use recruiter_feedback::{Category, ClassifierBuilder};
///
/// let mut builder = ClassifierBuilder::french();
/// builder
///     .disable("fr.bias")
///     .add_words("insuffisant", ["sous-dimensionné{,e,s,es}"])
///     .add_source(
///         "extra.toml",
///         r#"
/// [[rule]]
/// id = "fr.skills.habilitation"
/// category = "skills"
/// patterns = ["pas d'habilitation électrique"]
/// examples = ["Vous n'avez pas d'habilitation électrique."]
/// "#,
///     );
/// let classifier = builder.build()?;
/// let a = classifier.analyze("Vous n'avez pas d'habilitation électrique.");
/// assert_eq!(a.summary.controllable, [Category::Skills]);
/// # Ok::<(), recruiter_feedback::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ClassifierBuilder {
    language: Language,
    /// (name, TOML text); the embedded files are borrowed, not copied.
    sources: Vec<(Cow<'static, str>, Cow<'static, str>)>,
    edits: Vec<Edit>,
    limits: Limits,
}

#[derive(Clone, Debug)]
enum Edit {
    Add(Rule),
    Replace(Rule),
    Disable(String),
    AddWords(String, Vec<String>),
}

impl ClassifierBuilder {
    /// An empty builder for rules in `language`.
    ///
    /// ```
    /// use recruiter_feedback::{Category, ClassifierBuilder, Language};
    ///
    /// let mut builder = ClassifierBuilder::new(Language::En);
    /// builder.add_source(
    ///     "mine.toml",
    ///     r#"
    /// [categories.salary]
    /// name = "Salary"
    /// advice = "Check the market range for the role before you name a figure."
    ///
    /// [[rule]]
    /// id = "en.salary.budget"
    /// category = "salary"
    /// patterns = ["above (our | the) budget"]
    /// "#,
    /// );
    /// let classifier = builder.build()?;
    /// assert_eq!(classifier.rules().len(), 1);
    /// let a = classifier.analyze("Your expectations were well above our budget.");
    /// assert_eq!(a.summary.controllable, [Category::Salary]);
    /// # Ok::<(), recruiter_feedback::Error>(())
    /// ```
    pub fn new(language: Language) -> Self {
        ClassifierBuilder {
            language,
            sources: Vec::new(),
            edits: Vec::new(),
            limits: Limits::default(),
        }
    }

    /// A builder holding the embedded French ruleset, to extend or edit.
    ///
    /// ```
    /// use recruiter_feedback::{ClassifierBuilder, Language};
    ///
    /// let classifier = ClassifierBuilder::french().build()?;
    /// assert_eq!(classifier.language(), Language::Fr);
    /// assert!(classifier.rules().iter().all(|r| r.id.starts_with("fr.")));
    /// # Ok::<(), recruiter_feedback::Error>(())
    /// ```
    pub fn french() -> Self {
        ClassifierBuilder::embedded(Language::Fr)
    }

    /// A builder holding the embedded English ruleset, to extend or edit.
    ///
    /// ```
    /// use recruiter_feedback::{ClassifierBuilder, Language};
    /// let classifier = ClassifierBuilder::english().build()?;
    /// assert_eq!(classifier.language(), Language::En);
    /// # Ok::<(), recruiter_feedback::Error>(())
    /// ```
    pub fn english() -> Self {
        ClassifierBuilder::embedded(Language::En)
    }

    /// A builder holding the embedded ruleset of `language`.
    ///
    /// ```
    /// use recruiter_feedback::{ClassifierBuilder, Language};
    ///
    /// for &language in Language::ALL {
    ///     let classifier = ClassifierBuilder::embedded(language).build()?;
    ///     assert_eq!(classifier.language(), language);
    /// }
    /// # Ok::<(), recruiter_feedback::Error>(())
    /// ```
    pub fn embedded(language: Language) -> Self {
        let mut b = ClassifierBuilder::new(language);
        for (file, text) in embedded(language).files {
            b.add_embedded(file, Cow::Borrowed(*text));
        }
        b
    }

    /// Adds `file` of `data/<language>`, named `data/<language>/<file>` in
    /// locations. The build script adds the files it compiles this way too,
    /// so that the snapshot holds the locations a compile of
    /// [`embedded`](Self::embedded) gives.
    pub(crate) fn add_embedded(&mut self, file: &str, text: Cow<'static, str>) -> &mut Self {
        let name = format!("{}{file}", self.embedded_dir());
        self.sources.push((Cow::Owned(name), text));
        self
    }

    /// Where the embedded files of this builder's language come from, as
    /// locations name them: `data/fr/`.
    fn embedded_dir(&self) -> String {
        format!("data/{}/", self.language)
    }

    /// Adds a rule source (the TOML text of a rule file) named `name` in
    /// error messages. Sources are read in the order they are added.
    ///
    /// ```
    /// use recruiter_feedback::{ClassifierBuilder, Error, Language};
    ///
    /// let mut builder = ClassifierBuilder::new(Language::Fr);
    /// builder.add_source("broken.toml", "[[rule]]\nid = \"fr.skills.x\"\ncategory = \"talent\"\n");
    /// let err = builder.build().unwrap_err();
    /// // The error names the source and the line.
    /// assert!(err.to_string().starts_with("broken.toml:3:"), "{err}");
    /// assert!(matches!(err, Error::Invalid { what: "category", .. }));
    /// ```
    pub fn add_source(&mut self, name: impl Into<String>, toml: impl Into<String>) -> &mut Self {
        self.sources
            .push((Cow::Owned(name.into()), Cow::Owned(toml.into())));
        self
    }

    /// Adds every `*.toml` file under `dir` (recursively, in path order).
    ///
    /// # Errors
    /// [`Error::Io`] when the directory or one of its files cannot be read.
    ///
    /// ```
    /// use recruiter_feedback::{Category, ClassifierBuilder, Language};
    ///
    /// let dir = std::env::temp_dir().join(format!("rf-add-dir-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// std::fs::write(
    ///     dir.join("volume.toml"),
    ///     r#"
    /// [categories.application_volume]
    /// name = "Volume of applications"
    /// advice = "Nothing to change: the number of applicants decided."
    ///
    /// [[rule]]
    /// id = "en.application_volume.flood"
    /// category = "application_volume"
    /// patterns = ["flooded with applications"]
    /// "#,
    /// )
    /// .unwrap();
    /// let classifier = ClassifierBuilder::new(Language::En).add_dir(&dir)?.build()?;
    /// let a = classifier.analyze("We were flooded with applications this month.");
    /// assert_eq!(a.summary.external, [Category::ApplicationVolume]);
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok::<(), recruiter_feedback::Error>(())
    /// ```
    pub fn add_dir(&mut self, dir: impl AsRef<Path>) -> Result<&mut Self, Error> {
        let mut files = Vec::new();
        collect_toml(dir.as_ref(), &mut files)?;
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            self.sources
                .push((Cow::Owned(path.display().to_string()), Cow::Owned(text)));
        }
        Ok(self)
    }

    /// Adds a rule; its id must be new.
    ///
    /// ```
    /// use recruiter_feedback::{Category, Classifier, ClassifierBuilder, Rule};
    ///
    /// let mut rule = Rule::new("fr.targeting.permis_poids_lourd", Category::Targeting);
    /// rule.patterns = vec!["sans permis poids lourd".into()];
    /// rule.examples = vec!["Sans permis poids lourd, le poste n'est pas accessible.".into()];
    /// let classifier = ClassifierBuilder::french().add_rule(rule).build()?;
    /// let a = classifier.analyze("Sans permis poids lourd, impossible de vous confier la tournée.");
    /// assert!(a.findings().any(|f| &*f.rule == "fr.targeting.permis_poids_lourd"));
    /// // An id that exists already is refused.
    /// let mut existing = Classifier::french().rules()[0].clone();
    /// existing.confidence = 0.5;
    /// assert!(ClassifierBuilder::french().add_rule(existing).build().is_err());
    /// # Ok::<(), recruiter_feedback::Error>(())
    /// ```
    pub fn add_rule(&mut self, rule: Rule) -> &mut Self {
        self.edits.push(Edit::Add(rule));
        self
    }

    /// Replaces the rule with the same id; it must exist.
    ///
    /// ```
    /// use recruiter_feedback::{ClassifierBuilder, Rule};
    ///
    /// let base = recruiter_feedback::Classifier::french();
    /// let mut rule: Rule = base.rules()[0].clone();
    /// rule.confidence = 0.5;
    /// let id = rule.id.clone();
    /// let classifier = ClassifierBuilder::french().replace_rule(rule).build()?;
    /// let replaced = classifier.rules().iter().find(|r| r.id == id).unwrap();
    /// assert_eq!(replaced.confidence, 0.5);
    /// // A rule that does not exist cannot be replaced.
    /// let mut unknown = Rule::new("fr.skills.nowhere", recruiter_feedback::Category::Skills);
    /// unknown.patterns = vec!["nulle part".into()];
    /// assert!(ClassifierBuilder::french().replace_rule(unknown).build().is_err());
    /// # Ok::<(), recruiter_feedback::Error>(())
    /// ```
    pub fn replace_rule(&mut self, rule: Rule) -> &mut Self {
        self.edits.push(Edit::Replace(rule));
        self
    }

    /// Disables a rule, or every rule of a group: `"fr.bias"` disables
    /// `fr.bias.scolaire` and its siblings. Something must match.
    ///
    /// ```
    /// use recruiter_feedback::{Category, ClassifierBuilder};
    ///
    /// let text = "Nous avons reçu plus de trois cents candidatures pour ce poste.";
    /// let all = ClassifierBuilder::french().build()?;
    /// assert_eq!(all.analyze(text).summary.external, [Category::ApplicationVolume]);
    /// let fewer = ClassifierBuilder::french().disable("fr.application_volume").build()?;
    /// assert!(fewer.analyze(text).summary.external.is_empty());
    /// // Something must match.
    /// assert!(ClassifierBuilder::french().disable("fr.nothing_here").build().is_err());
    /// # Ok::<(), recruiter_feedback::Error>(())
    /// ```
    pub fn disable(&mut self, id_or_group: impl Into<String>) -> &mut Self {
        self.edits.push(Edit::Disable(id_or_group.into()));
        self
    }

    /// Adds entries (patterns) to an existing word class.
    ///
    /// ```
    /// use recruiter_feedback::ClassifierBuilder;
    ///
    /// // « famélique » is no word of the `insuffisant` class...
    /// let text = "Votre maîtrise d'Excel reste famélique.";
    /// let before = ClassifierBuilder::french().build()?;
    /// assert!(before.analyze(text).summary.controllable.is_empty());
    /// // ...until a linguist adds it, with its endings.
    /// let after = ClassifierBuilder::french()
    ///     .add_words("insuffisant", ["famélique{,s}"])
    ///     .build()?;
    /// assert!(!after.analyze(text).summary.controllable.is_empty());
    /// # Ok::<(), recruiter_feedback::Error>(())
    /// ```
    pub fn add_words<I, S>(&mut self, class: impl Into<String>, entries: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let entries = entries.into_iter().map(Into::into).collect();
        self.edits.push(Edit::AddWords(class.into(), entries));
        self
    }

    /// Sets the limits the ruleset and documents are checked against.
    ///
    /// ```
    /// use recruiter_feedback::{ClassifierBuilder, Error, Limits};
    ///
    /// let limits = Limits { max_document_bytes: 64, ..Limits::default() };
    /// let classifier = ClassifierBuilder::french().limits(limits).build()?;
    /// let long = "Merci pour votre candidature. ".repeat(10);
    /// assert!(matches!(
    ///     classifier.try_analyze(&long),
    ///     Err(Error::DocumentTooLarge { limit: 64, .. })
    /// ));
    /// # Ok::<(), recruiter_feedback::Error>(())
    /// ```
    pub fn limits(&mut self, limits: Limits) -> &mut Self {
        self.limits = limits;
        self
    }

    /// Reads, checks and compiles everything into a classifier.
    ///
    /// The embedded French ruleset, unchanged (this builder as
    /// [`french`](Self::french) made it), was compiled when the crate was
    /// built: it is read back in milliseconds. Its few raw regexes, whose
    /// automata are the slowest part to make, are then compiled the first
    /// time a statement needs one (a fraction of a millisecond each, once),
    /// and the rules as written, which no analysis needs, the first time
    /// [`Classifier::rules`] or [`Classifier::check_rules`] asks for them.
    /// Any change — a source, a rule, a word, other limits — compiles
    /// everything, regexes included.
    ///
    /// ```
    /// use recruiter_feedback::{ClassifierBuilder, Error};
    ///
    /// // The embedded ruleset, unchanged: read back, not compiled.
    /// let french = ClassifierBuilder::french().build()?;
    /// assert!(!french.rules().is_empty());
    /// // A pattern that does not parse: the error says where and why.
    /// let mut builder = ClassifierBuilder::french();
    /// builder.add_source(
    ///     "extra.toml",
    ///     "[[rule]]\nid = \"fr.skills.x\"\ncategory = \"skills\"\npatterns = [\"(sans | permis\"]\n",
    /// );
    /// let err = builder.build().unwrap_err();
    /// assert!(matches!(&err, Error::Pattern { rule: Some(r), .. } if r == "fr.skills.x"));
    /// assert!(err.to_string().starts_with("extra.toml:4:"), "{err}");
    /// # Ok::<(), recruiter_feedback::Error>(())
    /// ```
    ///
    /// # Errors
    /// Any [`Error`] of a source or an edit: syntax, unknown names, bad
    /// patterns, duplicates, cycles, exceeded limits.
    pub fn build(&self) -> Result<Classifier, Error> {
        let embedded = embedded(self.language);
        if self.is_embedded(embedded) {
            // Unreadable only if the build script could not compile the
            // ruleset: compiling it again says why.
            if let Ok(inner) = snapshot::from_bytes::<Inner>(embedded.snapshot) {
                return Ok(Classifier::from_inner(inner));
            }
        }
        self.compile()
    }

    /// True when this builder holds the embedded ruleset of its language,
    /// unchanged.
    fn is_embedded(&self, embedded: &Embedded) -> bool {
        let dir = self.embedded_dir();
        self.edits.is_empty()
            && self.limits == Limits::default()
            && self.sources.len() == embedded.files.len()
            && self
                .sources
                .iter()
                .zip(embedded.files)
                .all(|((name, text), (file, original))| {
                    // `embedded` borrows the embedded texts: the same
                    // address is the same text, without comparing 2 MB.
                    let text: &str = text;
                    name.strip_prefix(dir.as_str()) == Some(file)
                        && (std::ptr::eq(text, *original) || text == *original)
                })
    }

    /// Reads, checks and compiles the sources and edits, without the
    /// snapshot (what the build script does to make it).
    pub(crate) fn compile(&self) -> Result<Classifier, Error> {
        Compiler::new(&self.limits).compile(self.rule_set()?, self.language)
    }

    /// The rules as written and the class examples of the embedded ruleset
    /// of `language`, read again from its files: a classifier read from
    /// the snapshot does not hold them until asked (see [`Written`]).
    pub(crate) fn written(language: Language) -> Result<Written, Error> {
        let set = ClassifierBuilder::embedded(language).rule_set()?;
        let class_examples = set.class_examples(&ClassIndex::of(&set))?;
        Ok(Written {
            rules: set.rules,
            classes: set.classes.into_values().collect(),
            class_examples,
        })
    }

    /// Reads and merges the sources, then applies the edits.
    fn rule_set(&self) -> Result<RuleSet, Error> {
        let mut set = RuleSet::default();
        let files: Vec<SourceFile> = self
            .sources
            .iter()
            .map(|(name, text)| read_source(name, text, self.language))
            .collect::<Result<_, _>>()?;
        for f in &files {
            set.define_classes(f)?;
        }
        for f in &files {
            set.add_file(f)?;
        }
        for edit in &self.edits {
            set.apply(edit)?;
        }
        set.apply_disables()?;
        Ok(set)
    }
}

fn collect_toml(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect_toml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// The merged, uncompiled content of all sources.
#[derive(Default)]
struct RuleSet {
    classes: BTreeMap<String, ClassEntries>,
    class_examples: Vec<(String, Location, Vec<String>)>,
    rules: Vec<Rule>,
    disables: Vec<(String, Location)>,
    settings: Settings,
    categories: HashMap<Category, Texts>,
    facets: HashMap<crate::Facet, Texts>,
    generic: Option<Texts>,
    /// Folded shorthand → (what it stands for, where it is written).
    shorthands: BTreeMap<String, (String, Location)>,
}

impl RuleSet {
    fn define_classes(&mut self, f: &SourceFile) -> Result<(), Error> {
        for c in &f.classes {
            if is_built_in_class(&c.name) {
                return Err(Error::Invalid {
                    location: c.location.clone(),
                    rule: None,
                    what: "word class name",
                    reason: format!("`{}` is built in and cannot be redefined", c.name),
                });
            }
            if let Some(first) = self.classes.get(&c.name) {
                return Err(Error::Duplicate {
                    what: "word class",
                    id: c.name.clone(),
                    first: first.location.clone(),
                    second: c.location.clone(),
                });
            }
            self.classes.insert(c.name.clone(), c.clone());
        }
        Ok(())
    }

    fn add_file(&mut self, f: &SourceFile) -> Result<(), Error> {
        for e in &f.extend {
            let Some(class) = self.classes.get_mut(&e.name) else {
                return Err(Error::UnknownClass {
                    location: e.location.clone(),
                    rule: None,
                    class: e.name.clone(),
                });
            };
            class.entries.extend(e.entries.iter().cloned());
        }
        self.class_examples.extend(f.class_examples.iter().cloned());
        for (short, long, location) in &f.shorthands {
            let key = fold_str(short);
            if let Some((_, first)) = self.shorthands.get(&key) {
                return Err(Error::Duplicate {
                    what: "shorthand",
                    id: short.clone(),
                    first: first.clone(),
                    second: location.clone(),
                });
            }
            self.shorthands
                .insert(key, (long.clone(), location.clone()));
        }
        if let Some((patch, _)) = &f.settings {
            patch.apply(&mut self.settings);
        }
        for (c, t) in &f.categories {
            self.categories.insert(*c, t.clone());
        }
        for (c, t) in &f.facets {
            self.facets.insert(*c, t.clone());
        }
        if let Some(g) = &f.generic_rejection {
            self.generic = Some(g.clone());
        }
        for r in &f.rules {
            if r.replace {
                self.replace(r.rule.clone())?;
            } else {
                self.add(r.rule.clone())?;
            }
        }
        self.disables.extend(f.disable.iter().cloned());
        Ok(())
    }

    /// Each class's examples, with the index of the class they test.
    fn class_examples(&self, names: &ClassIndex) -> Result<Vec<ClassExamples>, Error> {
        self.class_examples
            .iter()
            .map(|(name, location, examples)| {
                names
                    .0
                    .get(name)
                    .map(|&idx| (name.clone(), idx, examples.clone()))
                    .ok_or_else(|| Error::UnknownClass {
                        location: location.clone(),
                        rule: None,
                        class: name.clone(),
                    })
            })
            .collect()
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.id == id)
    }

    fn add(&mut self, rule: Rule) -> Result<(), Error> {
        crate::rule::check_id(&rule.id).map_err(|reason| Error::Invalid {
            location: rule.location.clone(),
            rule: Some(rule.id.clone()),
            what: "id",
            reason,
        })?;
        if let Some(i) = self.position(&rule.id) {
            return Err(Error::Duplicate {
                what: "rule",
                id: rule.id.clone(),
                first: self.rules[i].location.clone(),
                second: rule.location.clone(),
            });
        }
        self.rules.push(rule);
        Ok(())
    }

    fn replace(&mut self, rule: Rule) -> Result<(), Error> {
        match self.position(&rule.id) {
            Some(i) => {
                self.rules[i] = rule;
                Ok(())
            }
            None => Err(Error::Invalid {
                location: rule.location.clone(),
                rule: Some(rule.id.clone()),
                what: "replace",
                reason: "there is no rule with this id to replace".into(),
            }),
        }
    }

    fn apply(&mut self, edit: &Edit) -> Result<(), Error> {
        match edit {
            Edit::Add(r) => self.add(r.clone()),
            Edit::Replace(r) => self.replace(r.clone()),
            Edit::Disable(p) => {
                self.disables.push((p.clone(), Location::api()));
                Ok(())
            }
            Edit::AddWords(class, entries) => match self.classes.get_mut(class) {
                Some(c) => {
                    c.entries
                        .extend(entries.iter().map(|e| (e.clone(), Location::api())));
                    Ok(())
                }
                None => Err(Error::UnknownClass {
                    location: Location::api(),
                    rule: None,
                    class: class.clone(),
                }),
            },
        }
    }

    fn apply_disables(&mut self) -> Result<(), Error> {
        for (prefix, location) in std::mem::take(&mut self.disables) {
            let before = self.rules.len();
            self.rules.retain(|r| !r.is_in_group(&prefix));
            if self.rules.len() == before {
                return Err(Error::Invalid {
                    location,
                    rule: Some(prefix.clone()),
                    what: "disable",
                    reason: "no rule has this id or lies in this group".into(),
                });
            }
        }
        Ok(())
    }
}

/// Class names in index order, for resolving `@name`.
struct ClassIndex(HashMap<String, u32>);

impl ClassIndex {
    /// The index of `set`'s classes: their names in sorted order.
    fn of(set: &RuleSet) -> Self {
        ClassIndex(
            set.classes
                .keys()
                .enumerate()
                .map(|(i, n)| (n.clone(), i as u32))
                .collect(),
        )
    }
}

impl ClassNames for ClassIndex {
    fn class_index(&self, name: &str) -> Option<u32> {
        self.0.get(name).copied()
    }
}

struct Compiler<'a> {
    limits: &'a Limits,
    program: ProgramBuilder,
}

impl<'a> Compiler<'a> {
    fn new(limits: &'a Limits) -> Self {
        Compiler {
            limits,
            program: ProgramBuilder::default(),
        }
    }

    fn compile(mut self, set: RuleSet, language: Language) -> Result<Classifier, Error> {
        let limits = self.limits;
        if set.rules.len() > limits.max_rules {
            return Err(Error::Limit {
                location: set.rules[limits.max_rules].location.clone(),
                rule: None,
                what: "the number of rules",
                found: set.rules.len(),
                limit: limits.max_rules,
            });
        }
        let names = ClassIndex::of(&set);
        self.program.set_shorthands(shorthands(&set)?);
        let class_nodes = self.parse_classes(&set, &names)?;
        check_cycles(&set, &class_nodes)?;
        let classes: Vec<Elem> = class_nodes
            .iter()
            .map(|entries| self.program.compile_class(entries, &names))
            .collect();
        self.program.set_classes(classes);

        let mut rules = Vec::with_capacity(set.rules.len());
        let mut regexes = Vec::new();
        for (i, rule) in set.rules.iter().enumerate() {
            rules.push(self.compile_rule(i as u32, rule, &names, &mut regexes, &set)?);
        }
        let mut as_written = Vec::new();
        for cue in Cue::ALL {
            if let Some(&idx) = names.0.get(cue.class_name()) {
                self.program
                    .add_pattern(Elem::Class(idx), Owner::Cue(cue as u8));
                if cue.turns_meaning() {
                    as_written.extend(self.program.class_atoms(idx));
                }
            }
        }
        self.program.read_as_written(as_written);
        let abbreviations = single_words(&set, &class_nodes, &names, &ABBREVIATIONS)?;
        let abbreviations_before_number =
            single_words(&set, &class_nodes, &names, &ABBREVIATIONS_BEFORE_NUMBER)?;
        let function_words =
            FunctionWords::new(single_words(&set, &class_nodes, &names, &FUNCTION_WORDS)?);
        let class_examples = set.class_examples(&names)?;
        let texts = TextTable::new(set.categories, set.facets, set.generic);
        let frequent = match names.0.get(FREQUENT_CLASS) {
            Some(&idx) => self.program.class_atoms(idx),
            None => Vec::new(),
        };
        Ok(Classifier::from_inner(Inner {
            language,
            program: self
                .program
                .build(&frequent, set.settings.typo_min_chars as usize),
            regex_filter: RegexPrefilter::new(regexes.iter().map(|(r, _)| r.as_str())),
            regexes,
            rules,
            written: OnceLock::from(Written {
                rules: set.rules,
                classes: set.classes.into_values().collect(),
                class_examples,
            }),
            segmenter: Segmenter::new(
                abbreviations,
                abbreviations_before_number,
                limits.max_statement_bytes,
            ),
            settings: set.settings,
            texts,
            function_words,
            limits: limits.clone(),
        }))
    }

    /// Parses every class entry, checking references and limits.
    fn parse_classes(&self, set: &RuleSet, names: &ClassIndex) -> Result<Vec<Vec<Node>>, Error> {
        set.classes
            .values()
            .map(|class| {
                let label = Some(format!("class:{}", class.name));
                if class.entries.len() > self.limits.max_class_entries {
                    return Err(Error::Limit {
                        location: class.location.clone(),
                        rule: label,
                        what: "the number of entries",
                        found: class.entries.len(),
                        limit: self.limits.max_class_entries,
                    });
                }
                class
                    .entries
                    .iter()
                    .map(|(text, location)| self.parse_pattern(text, location, &label, names))
                    .collect()
            })
            .collect()
    }

    fn parse_pattern(
        &self,
        text: &str,
        location: &Location,
        rule: &Option<String>,
        names: &ClassIndex,
    ) -> Result<Node, Error> {
        let node = parse(text, self.limits).map_err(|e| Error::Pattern {
            location: location.clone(),
            rule: rule.clone(),
            pattern: text.to_string(),
            position: e.position,
            reason: e.reason,
        })?;
        let mut missing = None;
        node.for_each_class(&mut |name| {
            if missing.is_none() && !is_built_in_class(name) && names.class_index(name).is_none() {
                missing = Some(name.to_string());
            }
        });
        match missing {
            Some(class) => Err(Error::UnknownClass {
                location: location.clone(),
                rule: rule.clone(),
                class,
            }),
            None => Ok(node),
        }
    }

    fn compile_rule(
        &mut self,
        index: u32,
        rule: &Rule,
        names: &ClassIndex,
        regexes: &mut Vec<(RawRegex, Owner)>,
        set: &RuleSet,
    ) -> Result<CompiledRule, Error> {
        let label = Some(rule.id.clone());
        let invalid = |what: &'static str, reason: String| Error::Invalid {
            location: rule.location.clone(),
            rule: label.clone(),
            what,
            reason,
        };
        match (rule.category, rule.facet) {
            (Category::Bias, None) => {
                return Err(invalid("facet", "a bias rule needs a facet".into()));
            }
            (c, Some(f)) if c != Category::Bias => {
                return Err(invalid(
                    "facet",
                    format!("facet `{f}` is only allowed on bias rules, this rule is `{c}`"),
                ));
            }
            _ => {}
        }
        if !(rule.confidence > 0.0 && rule.confidence <= 1.0) {
            return Err(invalid(
                "confidence",
                format!("{} is not in (0, 1]", rule.confidence),
            ));
        }
        if rule.patterns.is_empty() && rule.regex.is_empty() && rule.headings.is_empty() {
            return Err(Error::NoPattern {
                location: rule.location.clone(),
                rule: rule.id.clone(),
            });
        }
        let count = rule.patterns.len()
            + rule.regex.len()
            + rule.unless.len()
            + rule.unless_near.len()
            + rule.headings.len();
        if count > self.limits.max_patterns_per_rule {
            return Err(Error::Limit {
                location: rule.location.clone(),
                rule: label,
                what: "the number of patterns",
                found: count,
                limit: self.limits.max_patterns_per_rule,
            });
        }
        self.require_texts(rule, set)?;
        for (list, owner, texts) in [
            (PatternList::Patterns, Owner::Rule(index), &rule.patterns),
            (PatternList::Unless, Owner::Unless(index), &rule.unless),
            (
                PatternList::UnlessNear,
                Owner::UnlessNear(index),
                &rule.unless_near,
            ),
            (PatternList::Headings, Owner::Heading(index), &rule.headings),
        ] {
            for (i, text) in texts.iter().enumerate() {
                let node = self.parse_pattern(text, &rule.location_of(list, i), &label, names)?;
                let elem = self.program.compile(&node, names);
                self.program.add_pattern(elem, owner);
            }
        }
        for (i, text) in rule.regex.iter().enumerate() {
            let regex =
                RawRegex::compile(text, self.limits.max_regex_bytes).map_err(|e| Error::Regex {
                    location: rule.location_of(PatternList::Regex, i),
                    rule: rule.id.clone(),
                    pattern: text.clone(),
                    reason: regex_reason(&e),
                })?;
            if regex.get().is_some_and(|r| r.is_match("")) {
                return Err(Error::Regex {
                    location: rule.location_of(PatternList::Regex, i),
                    rule: rule.id.clone(),
                    pattern: text.clone(),
                    reason: "the regex matches the empty string".into(),
                });
            }
            regexes.push((regex, Owner::Rule(index)));
        }
        Ok(CompiledRule {
            id: Arc::from(rule.id.as_str()),
            category: rule.category,
            facet: rule.facet,
            confidence: rule.confidence,
            negation: rule.negation,
            yields_to: rule.yields_to.clone(),
            has_unless: !rule.unless.is_empty(),
            has_unless_near: !rule.unless_near.is_empty(),
        })
    }

    /// Every category a rule can report needs a display name and advice.
    fn require_texts(&self, rule: &Rule, set: &RuleSet) -> Result<(), Error> {
        let mut needed = vec![rule.category];
        if rule.negation == Negation::Strength {
            needed.push(Category::Strength);
        }
        for c in needed {
            if !set.categories.contains_key(&c) {
                return Err(Error::Invalid {
                    location: rule.location.clone(),
                    rule: Some(rule.id.clone()),
                    what: "category texts",
                    reason: format!(
                        "no display name and advice for `{c}`: add a [categories.{c}] table with `name` and `advice`"
                    ),
                });
            }
        }
        Ok(())
    }
}

/// The `regex` crate's error on one line: "unclosed group (at character
/// 7)" rather than its multi-line diagram.
fn regex_reason(e: &regex::Error) -> String {
    let text = e.to_string();
    let message = text.lines().find_map(|l| l.strip_prefix("error: "));
    let caret = text
        .lines()
        .find(|l| l.trim_start().starts_with('^'))
        .map(|l| l.find('^').unwrap_or(4).saturating_sub(4));
    match (message, caret) {
        (Some(m), Some(at)) => format!("{m} (at character {at})"),
        (Some(m), None) => m.to_string(),
        _ => text.lines().map(str::trim).collect::<Vec<_>>().join(" "),
    }
}

/// Refuses classes that refer to themselves, directly or not.
fn check_cycles(set: &RuleSet, nodes: &[Vec<Node>]) -> Result<(), Error> {
    let names: Vec<&String> = set.classes.keys().collect();
    let index: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let refs: Vec<Vec<usize>> = nodes
        .iter()
        .map(|entries| {
            let mut out = Vec::new();
            for n in entries {
                n.for_each_class(&mut |c| {
                    if let Some(&i) = index.get(c) {
                        out.push(i);
                    }
                });
            }
            out
        })
        .collect();
    if let Some(cycle) = find_cycle(&refs) {
        let first = cycle[0];
        return Err(Error::ClassCycle {
            location: set.classes[names[first]].location.clone(),
            class: names[first].clone(),
            cycle: cycle.iter().map(|&i| names[i].clone()).collect(),
        });
    }
    Ok(())
}

/// The ruleset's shorthands, checked: each is one word and stands for 1
/// to [`MAX_EXPANSION_WORDS`] words.
fn shorthands(set: &RuleSet) -> Result<Shorthands, Error> {
    let mut entries = Vec::with_capacity(set.shorthands.len());
    for (short, (long, location)) in &set.shorthands {
        let invalid = |reason: String| Error::Invalid {
            location: location.clone(),
            rule: None,
            what: "shorthand",
            reason,
        };
        if words_of(short) != [short.as_str()] {
            return Err(invalid(format!(
                "`{short}` is not one word (letters or digits, no space or punctuation)"
            )));
        }
        let folded = fold_str(long);
        let words = words_of(&folded);
        if words.is_empty() || words.len() > MAX_EXPANSION_WORDS {
            return Err(invalid(format!(
                "`{short}` stands for {} words (`{long}`): 1 to {MAX_EXPANSION_WORDS} are allowed",
                words.len()
            )));
        }
        entries.push((short.clone(), words.iter().map(|w| w.to_string()).collect()));
    }
    Ok(Shorthands::new(entries))
}

/// The folded words of a class whose entries must be single plain words
/// (see [`WordList`]); empty when the class is not defined.
fn single_words(
    set: &RuleSet,
    nodes: &[Vec<Node>],
    names: &ClassIndex,
    list: &WordList,
) -> Result<FxHashSet<String>, Error> {
    let (Some(&idx), Some(class)) = (names.0.get(list.class), set.classes.get(list.class)) else {
        return Ok(FxHashSet::default());
    };
    let mut out = FxHashSet::default();
    for (node, (text, location)) in nodes[idx as usize].iter().zip(&class.entries) {
        let reason = match node {
            Node::Word(w) => {
                let word = fold_str(w);
                if word.len() <= list.longest {
                    out.insert(word);
                    continue;
                }
                format!("{} are at most {} bytes long", list.noun, list.longest)
            }
            _ => format!("{} are single plain words{}", list.noun, list.hint),
        };
        return Err(Error::Pattern {
            location: location.clone(),
            rule: Some(format!("class:{}", list.class)),
            pattern: text.clone(),
            position: 0,
            reason,
        });
    }
    Ok(out)
}
