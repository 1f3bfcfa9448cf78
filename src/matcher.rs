//! Compiled patterns and the engine that runs them over a statement.
//!
//! Compilation interns every literal of every pattern as an *atom* (an exact
//! word, a stem, or "a number") and indexes each pattern by the atoms it can
//! start with. Analysing a statement then looks up the atoms of each word
//! once, and only the patterns whose first word is present are tried there:
//! a ruleset twice as large costs a second hash lookup per word, not twice
//! the time.
//!
//! A pattern is tried by simulating it as a non-deterministic automaton over
//! the words: the set of positions reachable after each element is kept,
//! deduplicated, so gaps and alternatives cost time linear in the words they
//! can span, never exponential.

use std::collections::{BTreeSet, HashMap};

use crate::pattern::Node;
use crate::token::Token;

/// Index of an interned atom.
pub(crate) type AtomId = u32;
/// Index of a compiled pattern.
pub(crate) type PatternId = u32;

/// Matches never span more words than this, so that the record of which
/// words a match used fits in a `u64`.
pub(crate) const MAX_MATCH_WORDS: usize = 64;

/// The interned words and stems of a ruleset.
#[derive(Debug, Default)]
pub(crate) struct Atoms {
    words: HashMap<Box<str>, AtomId>,
    prefixes: HashMap<Box<str>, AtomId>,
    /// Distinct byte lengths of the stems, ascending.
    prefix_lens: Vec<usize>,
    digits: Option<AtomId>,
    count: u32,
}

impl Atoms {
    fn next(&mut self) -> AtomId {
        self.count += 1;
        self.count - 1
    }

    fn word(&mut self, w: &str) -> AtomId {
        if let Some(&id) = self.words.get(w) {
            return id;
        }
        let id = self.next();
        self.words.insert(w.into(), id);
        id
    }

    fn prefix(&mut self, p: &str) -> AtomId {
        if let Some(&id) = self.prefixes.get(p) {
            return id;
        }
        let id = self.next();
        self.prefixes.insert(p.into(), id);
        if let Err(at) = self.prefix_lens.binary_search(&p.len()) {
            self.prefix_lens.insert(at, p.len());
        }
        id
    }

    fn digits(&mut self) -> AtomId {
        match self.digits {
            Some(id) => id,
            None => {
                let id = self.next();
                self.digits = Some(id);
                id
            }
        }
    }

    /// Appends the atoms `word` satisfies to `out`, sorted.
    pub fn lookup(&self, word: &str, out: &mut Vec<AtomId>) {
        let from = out.len();
        if let Some(&id) = self.words.get(word) {
            out.push(id);
        }
        for &len in &self.prefix_lens {
            if len > word.len() {
                break;
            }
            if word.is_char_boundary(len) {
                if let Some(&id) = self.prefixes.get(&word[..len]) {
                    out.push(id);
                }
            }
        }
        if let Some(id) = self.digits {
            if word.chars().next().is_some_and(char::is_numeric) {
                out.push(id);
            }
        }
        out[from..].sort_unstable();
    }
}

/// A compiled pattern element.
#[derive(Debug, Clone)]
pub(crate) enum Elem {
    /// One word having any of these atoms (sorted).
    Atoms(Box<[AtomId]>),
    Seq(Box<[Elem]>),
    Alt(Box<[Elem]>),
    Opt(Box<Elem>),
    Gap(u8),
    /// Any entry of the class with this index.
    Class(u32),
}

/// Name of the built-in class that matches numbers.
pub(crate) const DIGITS_CLASS: &str = "digits";

/// Who a pattern belongs to; the classifier gives the meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Owner {
    /// A pattern of the rule with this index.
    Rule(u32),
    /// An `unless` pattern of the rule with this index.
    Unless(u32),
    /// The engine cue class with this index.
    Cue(u8),
}

/// A match of a pattern over the words of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Match {
    pub owner: Owner,
    /// First word.
    pub start: u32,
    /// One past the last word.
    pub end: u32,
    /// Bit `i` set when word `start + i` was matched by a literal, not
    /// skipped by a gap.
    pub literal: u64,
}

impl Match {
    /// True when word `i` lies in the match and was matched by a literal.
    pub fn is_literal(&self, i: u32) -> bool {
        i >= self.start
            && i < self.end
            && (i - self.start) < 64
            && self.literal >> (i - self.start) & 1 == 1
    }
}

/// Resolves class names while compiling.
pub(crate) trait ClassNames {
    /// The index of a class, if it exists.
    fn class_index(&self, name: &str) -> Option<u32>;
}

/// Builds a [`Program`].
#[derive(Debug, Default)]
pub(crate) struct ProgramBuilder {
    atoms: Atoms,
    classes: Vec<Elem>,
    patterns: Vec<(Elem, Owner)>,
}

impl ProgramBuilder {
    /// Compiles a parsed node; the caller has checked that its classes
    /// exist.
    pub fn compile(&mut self, node: &Node, names: &impl ClassNames) -> Elem {
        match node {
            Node::Word(w) => Elem::Atoms(Box::new([self.atoms.word(w)])),
            Node::Prefix(p) => Elem::Atoms(Box::new([self.atoms.prefix(p)])),
            Node::Class(name) if name == DIGITS_CLASS => {
                Elem::Atoms(Box::new([self.atoms.digits()]))
            }
            Node::Class(name) => Elem::Class(names.class_index(name).unwrap_or(u32::MAX)),
            Node::Seq(v) => Elem::Seq(v.iter().map(|n| self.compile(n, names)).collect()),
            Node::Alt(v) => {
                let options: Vec<Elem> = v.iter().map(|n| self.compile(n, names)).collect();
                merge_single_words(options)
            }
            Node::Opt(n) => Elem::Opt(Box::new(self.compile(n, names))),
            Node::Gap(n) => Elem::Gap(*n),
        }
    }

    /// Sets the compiled classes, in index order (each an `Alt` of entries).
    pub fn set_classes(&mut self, classes: Vec<Elem>) {
        self.classes = classes;
    }

    /// Adds a pattern and returns its id.
    pub fn add_pattern(&mut self, elem: Elem, owner: Owner) -> PatternId {
        self.patterns.push((elem, owner));
        (self.patterns.len() - 1) as PatternId
    }

    /// Builds the start index.
    pub fn build(self) -> Program {
        let mut firsts: HashMap<u32, First> = HashMap::new();
        let mut index: HashMap<AtomId, Vec<PatternId>> = HashMap::new();
        let mut anywhere = Vec::new();
        for (id, (elem, _)) in self.patterns.iter().enumerate() {
            let first = first_of(elem, &self.classes, &mut firsts);
            if first.any {
                anywhere.push(id as PatternId);
            }
            for atom in first.atoms {
                index.entry(atom).or_default().push(id as PatternId);
            }
        }
        Program {
            atoms: self.atoms,
            classes: self.classes,
            patterns: self.patterns,
            index,
            anywhere,
        }
    }
}

/// `(a | b | c)` of single words becomes one atom set, tested at once.
fn merge_single_words(options: Vec<Elem>) -> Elem {
    if options.iter().all(|e| matches!(e, Elem::Atoms(_))) {
        let mut set = BTreeSet::new();
        for e in &options {
            if let Elem::Atoms(a) = e {
                set.extend(a.iter().copied());
            }
        }
        Elem::Atoms(set.into_iter().collect())
    } else {
        Elem::Alt(options.into_boxed_slice())
    }
}

/// What words can start a match.
#[derive(Debug, Clone, Default)]
struct First {
    atoms: BTreeSet<AtomId>,
    /// Any word can (a gap or an unresolved class).
    any: bool,
    /// The element can match no word at all.
    nullable: bool,
}

fn first_of(elem: &Elem, classes: &[Elem], memo: &mut HashMap<u32, First>) -> First {
    match elem {
        Elem::Atoms(a) => First {
            atoms: a.iter().copied().collect(),
            ..First::default()
        },
        Elem::Gap(_) => First {
            any: true,
            nullable: true,
            ..First::default()
        },
        Elem::Opt(e) => First {
            nullable: true,
            ..first_of(e, classes, memo)
        },
        Elem::Class(c) => {
            if let Some(f) = memo.get(c) {
                return f.clone();
            }
            // Cycles are refused before compiling; guard anyway.
            memo.insert(
                *c,
                First {
                    any: true,
                    ..First::default()
                },
            );
            let f = match classes.get(*c as usize) {
                Some(e) => first_of(e, classes, memo),
                None => First {
                    any: true,
                    ..First::default()
                },
            };
            memo.insert(*c, f.clone());
            f
        }
        Elem::Alt(v) => {
            let mut out = First::default();
            for e in v.iter() {
                let f = first_of(e, classes, memo);
                out.atoms.extend(f.atoms);
                out.any |= f.any;
                out.nullable |= f.nullable;
            }
            out
        }
        Elem::Seq(v) => {
            let mut out = First {
                nullable: true,
                ..First::default()
            };
            for e in v.iter() {
                let f = first_of(e, classes, memo);
                out.atoms.extend(f.atoms);
                out.any |= f.any;
                if !f.nullable {
                    out.nullable = false;
                    break;
                }
            }
            out
        }
    }
}

/// The compiled patterns of a ruleset with their start index.
#[derive(Debug)]
pub(crate) struct Program {
    atoms: Atoms,
    classes: Vec<Elem>,
    patterns: Vec<(Elem, Owner)>,
    index: HashMap<AtomId, Vec<PatternId>>,
    /// Patterns that can start on any word.
    anywhere: Vec<PatternId>,
}

/// Reusable buffers for [`Program::find`].
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    atoms: Vec<AtomId>,
    /// `ranges[i]`: where the atoms of word `i` lie in `atoms`.
    ranges: Vec<(u32, u32)>,
    /// `tried[p]`: the last start position + 1 pattern `p` was tried at.
    tried: Vec<u32>,
    states: Vec<State>,
    next: Vec<State>,
}

/// A position reached while matching, with the literal words used.
type State = (u32, u64);

/// The words of a statement and their atoms, as the matcher sees them.
struct Words<'a> {
    tokens: &'a [Token],
    atoms: &'a [AtomId],
    ranges: &'a [(u32, u32)],
}

impl Words<'_> {
    fn has_any(&self, i: usize, set: &[AtomId]) -> bool {
        let (a, b) = self.ranges[i];
        let mine = &self.atoms[a as usize..b as usize];
        match (mine, set) {
            ([], _) | (_, []) => false,
            (_, [single]) => mine.contains(single),
            _ => mine.iter().any(|m| set.binary_search(m).is_ok()),
        }
    }

    /// Can a match that started at `start` go on into word `i`?
    fn can_enter(&self, start: usize, i: usize) -> bool {
        i < self.tokens.len() && (i == start || !self.tokens[i].barrier_before)
    }
}

impl Program {
    /// Looks up the atoms of every word into `scratch`.
    fn prepare(&self, text: &str, tokens: &[Token], scratch: &mut Scratch) {
        scratch.atoms.clear();
        scratch.ranges.clear();
        for t in tokens {
            let from = scratch.atoms.len() as u32;
            self.atoms
                .lookup(&text[t.start as usize..t.end as usize], &mut scratch.atoms);
            scratch.ranges.push((from, scratch.atoms.len() as u32));
        }
    }

    /// The end and literal words of the longest match of `elem` at `start`.
    fn longest(
        &self,
        elem: &Elem,
        words: &Words,
        start: usize,
        states: &mut Vec<State>,
        next: &mut Vec<State>,
    ) -> Option<State> {
        states.clear();
        states.push((start as u32, 0));
        self.step(elem, words, start, states, next);
        states
            .iter()
            .filter(|s| s.0 as usize > start)
            .max_by_key(|s| s.0)
            .copied()
    }

    /// Finds, for every pattern and every start word, the longest match;
    /// appends them to `out` in order of start word.
    pub fn find(&self, text: &str, tokens: &[Token], scratch: &mut Scratch, out: &mut Vec<Match>) {
        self.prepare(text, tokens, scratch);
        scratch.tried.clear();
        scratch.tried.resize(self.patterns.len(), 0);
        let mut states = std::mem::take(&mut scratch.states);
        let mut next = std::mem::take(&mut scratch.next);
        let words = Words {
            tokens,
            atoms: &scratch.atoms,
            ranges: &scratch.ranges,
        };
        for start in 0..tokens.len() {
            let stamp = start as u32 + 1;
            let (a, b) = words.ranges[start];
            let candidates = words.atoms[a as usize..b as usize]
                .iter()
                .filter_map(|atom| self.index.get(atom))
                .flatten()
                .chain(self.anywhere.iter());
            for &pid in candidates {
                let slot = &mut scratch.tried[pid as usize];
                if *slot == stamp {
                    continue;
                }
                *slot = stamp;
                let (elem, owner) = &self.patterns[pid as usize];
                if let Some((end, literal)) =
                    self.longest(elem, &words, start, &mut states, &mut next)
                {
                    out.push(Match {
                        owner: *owner,
                        start: start as u32,
                        end,
                        literal,
                    });
                }
            }
        }
        scratch.states = states;
        scratch.next = next;
    }

    /// Does any entry of class `class` occur in the text?
    pub fn matches_class(
        &self,
        class: u32,
        text: &str,
        tokens: &[Token],
        scratch: &mut Scratch,
    ) -> bool {
        self.prepare(text, tokens, scratch);
        let words = Words {
            tokens,
            atoms: &scratch.atoms,
            ranges: &scratch.ranges,
        };
        let elem = Elem::Class(class);
        let (mut states, mut next) = (Vec::new(), Vec::new());
        (0..tokens.len()).any(|start| {
            self.longest(&elem, &words, start, &mut states, &mut next)
                .is_some()
        })
    }

    /// Advances every state in `states` over `elem`, in place.
    fn step(
        &self,
        elem: &Elem,
        words: &Words,
        start: usize,
        states: &mut Vec<State>,
        tmp: &mut Vec<State>,
    ) {
        if states.is_empty() {
            return;
        }
        match elem {
            Elem::Atoms(set) => {
                states.retain_mut(|(pos, lit)| {
                    let i = *pos as usize;
                    if words.can_enter(start, i)
                        && words.has_any(i, set)
                        && i - start < MAX_MATCH_WORDS
                    {
                        *lit |= 1 << (i - start);
                        *pos += 1;
                        true
                    } else {
                        false
                    }
                });
            }
            Elem::Seq(v) => {
                for e in v.iter() {
                    self.step(e, words, start, states, tmp);
                    if states.is_empty() {
                        break;
                    }
                }
            }
            Elem::Alt(v) => {
                let input = states.clone();
                let mut all = Vec::new();
                for e in v.iter() {
                    let mut branch = input.clone();
                    self.step(e, words, start, &mut branch, tmp);
                    all.extend(branch);
                }
                *states = all;
                dedup(states);
            }
            Elem::Opt(e) => {
                let mut taken = states.clone();
                self.step(e, words, start, &mut taken, tmp);
                states.extend(taken);
                dedup(states);
            }
            Elem::Gap(n) => {
                tmp.clear();
                for &(pos, lit) in states.iter() {
                    tmp.push((pos, lit));
                    for k in 0..*n as usize {
                        let i = pos as usize + k;
                        if !words.can_enter(start, i) || i - start >= MAX_MATCH_WORDS {
                            break;
                        }
                        tmp.push((i as u32 + 1, lit));
                    }
                }
                std::mem::swap(states, tmp);
                dedup(states);
            }
            Elem::Class(c) => match self.classes.get(*c as usize) {
                Some(e) => self.step(e, words, start, states, tmp),
                None => states.clear(),
            },
        }
    }
}

/// Sorts states by position and keeps one per position (the first path
/// found is as good as any: only the span and its literals are reported).
fn dedup(states: &mut Vec<State>) {
    states.sort_by_key(|s| s.0);
    states.dedup_by_key(|s| s.0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use crate::normalize::fold_str;
    use crate::pattern::parse;
    use crate::token::tokenize;

    struct Names(Vec<&'static str>);

    impl ClassNames for Names {
        fn class_index(&self, name: &str) -> Option<u32> {
            self.0.iter().position(|n| *n == name).map(|i| i as u32)
        }
    }

    /// Compiles `patterns` with one class `adj` and returns the spans
    /// (folded text) of the matches in `text`, by pattern index.
    fn run(patterns: &[&str], text: &str) -> Vec<(u32, String)> {
        let limits = Limits::default();
        let names = Names(vec!["adj"]);
        let mut b = ProgramBuilder::default();
        let class = parse(
            "insuffisant{,e,s,es} | (trop | très) (faible | léger{,e,s,es})",
            &limits,
        )
        .unwrap();
        let class = b.compile(&class, &names);
        b.set_classes(vec![class]);
        for (i, p) in patterns.iter().enumerate() {
            let node = parse(p, &limits).unwrap();
            let elem = b.compile(&node, &names);
            b.add_pattern(elem, Owner::Rule(i as u32));
        }
        let program = b.build();
        let folded = fold_str(text);
        let mut tokens = Vec::new();
        tokenize(&folded, &mut tokens);
        let mut out = Vec::new();
        program.find(&folded, &tokens, &mut Scratch::default(), &mut out);
        out.iter()
            .map(|m| {
                let Owner::Rule(r) = m.owner else {
                    unreachable!()
                };
                let s = tokens[m.start as usize].start as usize;
                let e = tokens[m.end as usize - 1].end as usize;
                (r, folded[s..e].to_string())
            })
            .collect()
    }

    #[test]
    fn words_stems_and_classes() {
        let found = run(
            &["compéten* ~3 @adj"],
            "Vos compétences restent très légères ici.",
        );
        assert_eq!(found, [(0, "competences restent tres legeres".to_string())]);
        assert!(run(&["compéten* ~3 @adj"], "Vos compétences sont solides.").is_empty());
    }

    #[test]
    fn gaps_are_bounded() {
        assert_eq!(
            run(
                &["manque ~2 expérience"],
                "manque encore un peu d'expérience"
            )
            .len(),
            0
        );
        assert_eq!(
            run(
                &["manque ~4 expérience"],
                "manque encore un peu d'expérience"
            )
            .len(),
            1
        );
    }

    #[test]
    fn longest_match_wins() {
        let found = run(&["trop (sûr de vous)?"], "trop sûr de vous");
        assert_eq!(found, [(0, "trop sur de vous".to_string())]);
    }

    #[test]
    fn barriers_stop_matches() {
        assert!(run(&["anglais ~3 insuffisant"], "anglais. Insuffisant").is_empty());
        assert_eq!(
            run(&["anglais ~3 insuffisant"], "anglais, insuffisant").len(),
            1
        );
    }

    #[test]
    fn numbers_and_optional_starts() {
        let found = run(&["(plus de)? @digits ans"], "plus de 10 ans, 3 ans");
        assert_eq!(
            found,
            [
                (0, "plus de 10 ans".to_string()),
                (0, "10 ans".to_string()),
                (0, "3 ans".to_string())
            ]
        );
    }

    #[test]
    fn literal_mask_excludes_gap_words() {
        let limits = Limits::default();
        let mut b = ProgramBuilder::default();
        let names = Names(vec![]);
        let e = b.compile(&parse("manque ~3 expérience", &limits).unwrap(), &names);
        b.add_pattern(e, Owner::Rule(0));
        let program = b.build();
        let folded = fold_str("manquez pas manque pas d'expérience");
        let mut tokens = Vec::new();
        tokenize(&folded, &mut tokens);
        let mut out = Vec::new();
        program.find(&folded, &tokens, &mut Scratch::default(), &mut out);
        assert_eq!(out.len(), 1);
        let m = out[0];
        assert_eq!((m.start, m.end), (2, 6));
        assert!(m.is_literal(2) && !m.is_literal(3) && !m.is_literal(4) && m.is_literal(5));
    }
}
