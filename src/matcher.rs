//! Compiled patterns and the engine that runs them over a statement.
//!
//! The work is organised so that the cost of a statement depends on the
//! words it contains, not on the size of the ruleset:
//!
//! 1. each word is looked up once in the atom table (see `atoms`), giving
//!    the atoms it satisfies;
//! 2. every pattern is *anchored* on the rarest of its mandatory elements —
//!    an element every match must contain one word of — and the other
//!    mandatory elements are kept as checks. Patterns share their check
//!    sets (word classes recur), so each statement's atoms first mark the
//!    sets they belong to; a pattern is then only tried when its anchor
//!    occurs and all its checks are marked, each answered in constant time;
//!    most patterns are never looked at;
//! 3. a pattern that passes is tried at the words that can start it, by
//!    simulating it as a non-deterministic automaton over the words: the set
//!    of positions reachable after each element is kept, deduplicated, and
//!    the alternatives of a group are only entered at words that can start
//!    them. Gaps and alternatives cost time linear in the words they span,
//!    never exponential.
//!
//! Which words are "rare" is the ruleset's knowledge, not the engine's: an
//! optional `frequent` word class lists words never worth anchoring on; the
//! size of an element's word set breaks ties.
//!
//! Patterns are compiled as trees ([`Elem`]), on which their first words,
//! anchors and checks are computed, then stored flat in the program's
//! [`Forest`], which is what the engine steps through and the snapshot
//! holds (see `forest` for why).

use std::collections::HashMap;
use std::rc::Rc;

use crate::atoms::{AtomId, Atoms, FxHashMap};
use crate::forest::{Alt, Forest, ForestBuilder, Node, Span};
use crate::marks::Marks;
use crate::pattern;
use crate::shorthand::Shorthands;
use crate::snapshot::{Corrupt, Reader, Snapshot, Writer, snapshot_fields};
use crate::token::Token;

/// Index of a compiled pattern.
pub(crate) type PatternId = u32;

/// Matches never span more words than this, so that the record of which
/// words a match used fits in a `u64`, with [`ACROSS_COLON`] beside it.
pub(crate) const MAX_MATCH_WORDS: usize = 63;

/// The bit of a state's record of literal words that says it has just
/// stepped over a colon the pattern names (`Elem::Colon`): the next word
/// may be entered although strong punctuation comes before it. Consuming
/// that word clears it; a match never ends with it set.
const ACROSS_COLON: u64 = 1 << 63;

/// Name of the built-in class that matches numbers.
pub(crate) const DIGITS_CLASS: &str = "digits";
/// The built-in class of a word no pattern or class of the ruleset names.
pub(crate) const UNKNOWN_CLASS: &str = "unknown";

/// Is `name` a class the engine builds in (`@digits`, `@unknown`), which a
/// ruleset uses without defining, and cannot redefine?
pub(crate) fn is_built_in_class(name: &str) -> bool {
    matches!(name, DIGITS_CLASS | UNKNOWN_CLASS)
}

/// A pattern element as compiled, before it is stored in the program's
/// [`Forest`] (where the engine reads it as a [`Node`]).
#[derive(Debug, Clone)]
pub(crate) enum Elem {
    /// One word having any of these atoms (sorted).
    Atoms(AtomSet),
    Seq(Box<[Elem]>),
    /// A group of alternatives (indexed by the words that can start
    /// each branch when stored: see `flatten`).
    Alt(Box<[Elem]>),
    Opt(Box<Elem>),
    Gap(u8),
    /// Any entry of the class with this index.
    Class(u32),
    /// A colon before the next word: lets the match cross it.
    Colon,
}

/// A sorted set of atoms. Most are one word (two in three in the French
/// ruleset), kept inline rather than allocated.
#[derive(Debug, Clone)]
pub(crate) enum AtomSet {
    One(AtomId),
    Many(Box<[AtomId]>),
}

impl std::ops::Deref for AtomSet {
    type Target = [AtomId];

    #[inline]
    fn deref(&self) -> &[AtomId] {
        match self {
            AtomSet::One(atom) => std::slice::from_ref(atom),
            AtomSet::Many(atoms) => atoms,
        }
    }
}

impl From<Vec<AtomId>> for AtomSet {
    fn from(atoms: Vec<AtomId>) -> Self {
        match atoms[..] {
            [one] => AtomSet::One(one),
            _ => AtomSet::Many(atoms.into_boxed_slice()),
        }
    }
}

/// Who a pattern belongs to; the classifier gives the meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Owner {
    /// A pattern of the rule with this index.
    Rule(u32),
    /// An `unless` pattern of the rule with this index.
    Unless(u32),
    /// An `unless_near` pattern of the rule with this index.
    UnlessNear(u32),
    /// The engine cue class with this index.
    Cue(u8),
    /// A `headings` pattern of the rule with this index.
    Heading(u32),
}

impl Owner {
    /// Does the owner name one of `rules` rules (a cue names none)?
    pub fn within(self, rules: usize) -> bool {
        match self {
            Owner::Rule(r) | Owner::Unless(r) | Owner::UnlessNear(r) | Owner::Heading(r) => {
                (r as usize) < rules
            }
            Owner::Cue(_) => true,
        }
    }
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
    /// skipped by a gap; [`RAW`](Self::RAW) for a raw regex's match.
    pub literal: u64,
}

impl Match {
    /// The `literal` of a raw regex's match: every word it spans counts as
    /// named. No pattern's match has it (bit 63 is `ACROSS_COLON`, never
    /// left set in a match).
    pub const RAW: u64 = u64::MAX;

    /// Is this a raw regex's match (which may span any punctuation, where a
    /// pattern's only crosses a colon it names)?
    pub fn is_raw(&self) -> bool {
        self.literal == Self::RAW
    }

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
    shorthands: Shorthands,
    /// Atoms never matched through a typing slip (sorted).
    as_written: Vec<AtomId>,
}

impl ProgramBuilder {
    /// Compiles a parsed node; the caller has checked that its classes
    /// exist.
    pub fn compile(&mut self, node: &pattern::Node, names: &impl ClassNames) -> Elem {
        match node {
            pattern::Node::Word(w) => Elem::Atoms(AtomSet::One(self.atoms.word(w))),
            pattern::Node::Prefix(p) => Elem::Atoms(AtomSet::One(self.atoms.stem(p))),
            pattern::Node::Class(name) => match self.built_in(name) {
                Some(atom) => Elem::Atoms(AtomSet::One(atom)),
                None => Elem::Class(names.class_index(name).unwrap_or(u32::MAX)),
            },
            pattern::Node::Seq(v) => Elem::Seq(join_gaps(v.iter().map(|n| self.compile(n, names)))),
            pattern::Node::Alt(v) => self.compile_alternatives(v, names),
            pattern::Node::Opt(n) => Elem::Opt(Box::new(self.compile(n, names))),
            pattern::Node::Gap(n) => Elem::Gap(*n),
            pattern::Node::Colon => Elem::Colon,
        }
    }

    /// The atom of a one-word node, if it is one.
    fn single_atom(&mut self, node: &pattern::Node) -> Option<AtomId> {
        match node {
            pattern::Node::Word(w) => Some(self.atoms.word(w)),
            pattern::Node::Prefix(p) => Some(self.atoms.stem(p)),
            pattern::Node::Class(name) => self.built_in(name),
            _ => None,
        }
    }

    /// The atom of a built-in class (see [`is_built_in_class`]), if `name`
    /// is one.
    fn built_in(&mut self, name: &str) -> Option<AtomId> {
        match name {
            DIGITS_CLASS => Some(self.atoms.digits()),
            UNKNOWN_CLASS => Some(self.atoms.unknown()),
            _ => None,
        }
    }

    /// Compiles alternatives, the one-word ones straight into one atom set
    /// (inflections and word lists are most alternatives).
    fn compile_alternatives(&mut self, options: &[pattern::Node], names: &impl ClassNames) -> Elem {
        let mut words = Vec::new();
        let mut rest = Vec::new();
        for n in options {
            match self.single_atom(n) {
                Some(a) => words.push(a),
                None => rest.push(self.compile(n, names)),
            }
        }
        alternatives(words, rest)
    }

    /// Compiles the entries of a class into one element.
    pub fn compile_class(&mut self, entries: &[pattern::Node], names: &impl ClassNames) -> Elem {
        self.compile_alternatives(entries, names)
    }

    /// Sets the compiled classes, in index order.
    pub fn set_classes(&mut self, classes: Vec<Elem>) {
        self.classes = classes;
    }

    /// Adds a pattern. A group of alternatives (or a class) at the top is
    /// added as one pattern per alternative, so that each is anchored on its
    /// own rarest word rather than all on their union.
    ///
    /// Guards (`unless`, `unless_near`) are not split: they are not
    /// anchored, only tried for the rules that matched, and what their
    /// matches stop depends only on where they start and how far the
    /// longest one reaches — which the whole group gives in one try. A
    /// guard naming a class that dozens of rules share thus stays one
    /// pattern, not one copy of the class per rule.
    pub fn add_pattern(&mut self, elem: Elem, owner: Owner) {
        if matches!(owner, Owner::Unless(_) | Owner::UnlessNear(_)) {
            self.patterns.push((elem, owner));
            return;
        }
        match elem {
            Elem::Alt(branches) => {
                for b in branches.into_vec() {
                    self.add_pattern(b, owner);
                }
            }
            Elem::Class(c) => match self.classes.get(c as usize).cloned() {
                Some(class) => self.add_pattern(class, owner),
                None => self.patterns.push((Elem::Class(c), owner)),
            },
            other => self.patterns.push((other, owner)),
        }
    }

    /// The atoms of the exact words of the class `class` (for the
    /// `frequent` class).
    pub fn class_atoms(&self, class: u32) -> Vec<AtomId> {
        let mut out = Vec::new();
        if let Some(e) = self.classes.get(class as usize) {
            collect_atoms(e, &mut out);
        }
        out
    }

    /// Sets the shorthands words of the text are read as (see
    /// [`Program::expand_shorthands`]).
    pub fn set_shorthands(&mut self, shorthands: Shorthands) {
        self.shorthands = shorthands;
    }

    /// Words the text must spell as written to be read as them, never
    /// through a typing slip: the engine's cues that turn the meaning of a
    /// sentence (a negation read into "noting" would cancel what it says).
    pub fn read_as_written(&mut self, mut atoms: Vec<AtomId>) {
        atoms.sort_unstable();
        atoms.dedup();
        self.as_written = atoms;
    }

    /// Computes the start filters and anchors; `frequent` atoms are never
    /// chosen as anchors when another element can be. Words of at least
    /// `typo_min_chars` characters match with one typing slip (0: never).
    pub fn build(mut self, frequent: &[AtomId], typo_min_chars: usize) -> Program {
        self.atoms.tolerate_typos(typo_min_chars, &self.as_written);
        let mut forest = ForestBuilder::default();
        let mut firsts = Firsts {
            classes: &self.classes,
            memo: HashMap::new(),
            groups: FxHashMap::default(),
            singles: vec![None; self.atoms.len()],
        };
        let class_starts = (0..self.classes.len() as u32)
            .map(|c| {
                let first = firsts.of(&Elem::Class(c));
                (!first.any && !first.nullable).then(|| forest.atom_set(&first.atoms))
            })
            .collect();
        let mut frequent = frequent.to_vec();
        frequent.sort_unstable();
        let mut frequent_bit = vec![NOT_FREQUENT; self.atoms.len()];
        for (bit, &a) in frequent.iter().take(FrequentWords::BITS).enumerate() {
            if let Some(slot) = frequent_bit.get_mut(a as usize) {
                *slot = bit as u8;
            }
        }
        let mut rarest = Rarest {
            classes: &self.classes,
            frequent: &frequent,
            unknown: self.atoms.unknown_atom(),
            memo: FxHashMap::default(),
            singles: vec![None; self.atoms.len()],
            depth: 0,
        };
        let mut anchors: Vec<Vec<PatternId>> = vec![Vec::new(); self.atoms.len()];
        let mut unanchored = Vec::new();
        let mut guards: Vec<Vec<PatternId>> = Vec::new();
        let mut rule_patterns: Vec<Vec<PatternId>> = Vec::new();
        let mut patterns = Vec::with_capacity(self.patterns.len());
        let mut checks_of: Vec<Vec<u32>> = vec![Vec::new(); self.atoms.len()];
        let mut check_list = Vec::new();
        let mut check_ranges = Vec::with_capacity(self.patterns.len());
        let mut check_ids: FxHashMap<Rc<[AtomId]>, u32> = FxHashMap::default();
        // For each check set, the index in `frequent_sets` of its frequent
        // words.
        let mut check_frequent: Vec<u32> = Vec::new();
        let mut frequent_sets = vec![FrequentWords::default()];
        let mut frequent_ids: FxHashMap<FrequentWords, u32> =
            FxHashMap::from_iter([(FrequentWords::default(), 0)]);
        for (id, (elem, owner)) in self.patterns.iter().enumerate() {
            if let Owner::Rule(r) = owner {
                push_at(&mut rule_patterns, *r, id as PatternId);
            }
            let first = firsts.of(elem);
            // The rarest set anchors the pattern; the others are checks.
            let mut required = rarest.required(elem).into_iter();
            let anchor_set = required.next();
            let anchor: &[AtomId] = anchor_set.as_deref().unwrap_or_default();
            let guard = match owner {
                // Guards are only tried for the rules that matched.
                Owner::Unless(r) | Owner::UnlessNear(r) => {
                    push_at(&mut guards, *r, id as PatternId);
                    true
                }
                _ if anchor.is_empty() => {
                    unanchored.push(id as PatternId);
                    false
                }
                _ => {
                    for a in anchor.iter() {
                        anchors[*a as usize].push(id as PatternId);
                    }
                    false
                }
            };
            let span = max_words(elem, &self.classes, 0) as u32;
            let starts_at_anchor = !anchor.is_empty() && !first.any && first.atoms[..] == *anchor;
            patterns.push(Pattern {
                starts_at_anchor,
                needs_colon: needs_colon(elem),
                elem: flatten(elem, &mut firsts, &mut forest),
                owner: *owner,
                starts: (!first.any).then(|| forest.atom_set(&first.atoms)),
                span,
                anchor: forest.atom_set(anchor),
            });
            // A guard is not found through its anchor, but looked at for
            // each rule that matched: its anchor is checked too, so that a
            // statement without it rejects the guard at once.
            let anchor_check = anchor_set.filter(|_| guard);
            let from = check_list.len() as u32;
            check_list.extend(anchor_check.into_iter().chain(required).map(|set| {
                let next = check_ids.len() as u32;
                *check_ids.entry(set).or_insert_with_key(|set| {
                    // A frequent word would mark this set in nearly every
                    // statement, from each of hundreds of sets it is in:
                    // the set keeps it as a bit instead.
                    let mut words = FrequentWords::default();
                    for &a in set.iter() {
                        match frequent_bit[a as usize] {
                            NOT_FREQUENT => checks_of[a as usize].push(next),
                            bit => words.insert(bit),
                        }
                    }
                    let next_words = frequent_sets.len() as u32;
                    check_frequent.push(*frequent_ids.entry(words).or_insert_with(|| {
                        frequent_sets.push(words);
                        next_words
                    }));
                    next
                })
            }));
            check_ranges.push((from, check_list.len() as u32));
        }
        let classes = self
            .classes
            .iter()
            .map(|class| flatten(class, &mut firsts, &mut forest))
            .collect();
        drop(firsts);
        drop(rarest);
        let check_list = check_list
            .into_iter()
            .map(|set: u32| Check {
                set,
                frequent: check_frequent[set as usize],
            })
            .collect();
        Program {
            atoms: self.atoms,
            forest: forest.finish(),
            classes,
            class_starts,
            patterns,
            links: AtomLinks::new(&checks_of, &anchors, &check_ranges),
            unanchored,
            check_ranges,
            check_list,
            check_sets: check_frequent.len() as u32,
            frequent_bit,
            frequent_sets,
            guards,
            rule_patterns,
            shorthands: self.shorthands,
        }
    }
}

/// Pushes `id` onto the list of rule `r` in `lists`, which grows to hold it.
fn push_at(lists: &mut Vec<Vec<PatternId>>, r: u32, id: PatternId) {
    let r = r as usize;
    if lists.len() <= r {
        lists.resize(r + 1, Vec::new());
    }
    lists[r].push(id);
}

/// The elements of a sequence, with gaps that follow each other joined:
/// `~14 ~10` skips what `~24` does, in one step where two would step every
/// end of the first gap again. (Past [`MAX_MATCH_WORDS`], a gap's length
/// changes nothing, so the sum may saturate.)
fn join_gaps(elems: impl Iterator<Item = Elem>) -> Box<[Elem]> {
    let mut out: Vec<Elem> = Vec::new();
    for e in elems {
        match (e, out.last_mut()) {
            (Elem::Gap(b), Some(Elem::Gap(a))) => *a = a.saturating_add(b),
            (e, _) => out.push(e),
        }
    }
    out.into_boxed_slice()
}

/// Does every match of `elem` cross a named colon? (A class is taken not
/// to: this only spares work, and must never be wrong.)
fn needs_colon(elem: &Elem) -> bool {
    match elem {
        Elem::Colon => true,
        Elem::Seq(v) => v.iter().any(needs_colon),
        Elem::Alt(branches) => !branches.is_empty() && branches.iter().all(needs_colon),
        Elem::Atoms(_) | Elem::Opt(_) | Elem::Gap(_) | Elem::Class(_) => false,
    }
}

/// The most words `elem` can span (at most [`MAX_MATCH_WORDS`]).
fn max_words(elem: &Elem, classes: &[Elem], depth: usize) -> usize {
    if depth > 64 {
        return MAX_MATCH_WORDS;
    }
    let n = match elem {
        Elem::Atoms(_) => 1,
        Elem::Gap(n) => *n as usize,
        Elem::Colon => 0,
        Elem::Opt(e) => max_words(e, classes, depth + 1),
        Elem::Seq(v) => v.iter().map(|e| max_words(e, classes, depth + 1)).sum(),
        Elem::Alt(v) => v
            .iter()
            .map(|b| max_words(b, classes, depth + 1))
            .max()
            .unwrap_or(0),
        Elem::Class(c) => classes
            .get(*c as usize)
            .map_or(MAX_MATCH_WORDS, |e| max_words(e, classes, depth + 1)),
    };
    n.min(MAX_MATCH_WORDS)
}

fn collect_atoms(e: &Elem, out: &mut Vec<AtomId>) {
    match e {
        Elem::Atoms(a) => out.extend(a.iter().copied()),
        Elem::Alt(v) => v.iter().for_each(|b| collect_atoms(b, out)),
        _ => {}
    }
}

/// Groups alternatives, testing all single words at once: `(a | b | c d)`
/// becomes one atom set `{a, b}` and the branch `c d`. `words` are the
/// atoms of the one-word alternatives, `options` the others.
fn alternatives(mut words: Vec<AtomId>, options: Vec<Elem>) -> Elem {
    let mut rest = Vec::new();
    for e in options {
        match e {
            Elem::Atoms(a) => words.extend(a.iter().copied()),
            other => rest.push(other),
        }
    }
    words.sort_unstable();
    words.dedup();
    let rest = factor_first_words(rest);
    let mut branches: Vec<Elem> = Vec::with_capacity(rest.len() + 1);
    if !words.is_empty() {
        let atoms = Elem::Atoms(words.into());
        if rest.is_empty() {
            return atoms;
        }
        branches.push(atoms);
    }
    branches.extend(rest);
    if branches.len() == 1 {
        return branches.pop().unwrap_or(Elem::Seq(Box::new([])));
    }
    Elem::Alt(branches.into_boxed_slice())
}

/// Merges the branches that start with the same word set into one:
/// `(pas assez | pas encore)` becomes `pas (assez | encore)`. Each branch
/// is stepped at every word that can start it, so branches sharing a
/// first word would otherwise each test that word and step on; the
/// merged branch does it once, and reaches the same words with the same
/// literal words (a match's record depends only on where it goes).
fn factor_first_words(branches: Vec<Elem>) -> Vec<Elem> {
    let first = |e: &Elem| match e {
        Elem::Seq(v) if v.len() >= 2 => match &v[0] {
            Elem::Atoms(a) => Some(a.to_vec()),
            _ => None,
        },
        _ => None,
    };
    // Groups in the order of their first branch, found by their start.
    let mut groups: Vec<(Vec<AtomId>, Vec<Elem>)> = Vec::new();
    let mut index: FxHashMap<Vec<AtomId>, usize> = FxHashMap::default();
    let mut out = Vec::new();
    for b in branches {
        match first(&b) {
            Some(key) => match index.get(&key) {
                Some(&g) => groups[g].1.push(b),
                None => {
                    index.insert(key.clone(), groups.len());
                    groups.push((key, vec![b]));
                }
            },
            None => out.push(b),
        }
    }
    for (key, mut members) in groups {
        if members.len() == 1 {
            out.extend(members.pop());
            continue;
        }
        let tails = members
            .into_iter()
            .map(|b| match b {
                Elem::Seq(v) => {
                    let mut tail = v.into_vec();
                    tail.remove(0);
                    match tail.len() {
                        1 => tail.remove(0),
                        _ => Elem::Seq(tail.into_boxed_slice()),
                    }
                }
                other => other,
            })
            .collect();
        out.push(Elem::Seq(Box::new([
            Elem::Atoms(key.into()),
            alternatives(Vec::new(), tails),
        ])));
    }
    out
}

/// `atoms` as a shared set; a set of one word comes from `singles` (by
/// atom), made once: a word recurs in many patterns.
fn shared_set(singles: &mut [Option<Rc<[AtomId]>>], atoms: &[AtomId]) -> Rc<[AtomId]> {
    match atoms {
        [one] => match singles.get_mut(*one as usize) {
            Some(slot) => Rc::clone(slot.get_or_insert_with(|| Rc::from(atoms))),
            None => Rc::from(atoms),
        },
        _ => Rc::from(atoms),
    }
}

/// What words can start a match.
#[derive(Debug, Clone, Default)]
struct First {
    /// Sorted, without duplicates; shared, as first sets are copied for
    /// every group and class that starts with them.
    atoms: Rc<[AtomId]>,
    /// Any word can (a gap, or a class cycle).
    any: bool,
    /// The element can match no word at all.
    nullable: bool,
}

/// First sets, memoized per class and per group (by address: the elements
/// do not move while the program is built).
struct Firsts<'a> {
    classes: &'a [Elem],
    memo: HashMap<u32, First>,
    groups: FxHashMap<usize, First>,
    /// The first sets of one word, by atom.
    singles: Vec<Option<Rc<[AtomId]>>>,
}

impl Firsts<'_> {
    fn of(&mut self, elem: &Elem) -> First {
        match elem {
            Elem::Atoms(a) => First {
                atoms: shared_set(&mut self.singles, a),
                ..First::default()
            },
            Elem::Gap(_) => First {
                any: true,
                nullable: true,
                ..First::default()
            },
            Elem::Colon => First {
                nullable: true,
                ..First::default()
            },
            Elem::Opt(e) => First {
                nullable: true,
                ..self.of(e)
            },
            Elem::Class(c) => {
                if let Some(f) = self.memo.get(c) {
                    return f.clone();
                }
                // Cycles are refused before compiling; guard anyway.
                self.memo.insert(
                    *c,
                    First {
                        any: true,
                        ..First::default()
                    },
                );
                let f = match self.classes.get(*c as usize) {
                    Some(e) => self.of(e),
                    None => First {
                        any: true,
                        ..First::default()
                    },
                };
                self.memo.insert(*c, f.clone());
                f
            }
            Elem::Alt(_) | Elem::Seq(_) => {
                let key = elem as *const Elem as usize;
                if let Some(f) = self.groups.get(&key) {
                    return f.clone();
                }
                let f = self.of_group(elem);
                self.groups.insert(key, f.clone());
                f
            }
        }
    }

    fn of_group(&mut self, elem: &Elem) -> First {
        let mut out = First::default();
        let mut parts = Vec::new();
        match elem {
            Elem::Alt(v) => {
                for b in v.iter() {
                    let f = self.of(b);
                    out.any |= f.any;
                    out.nullable |= f.nullable;
                    parts.push(f.atoms);
                }
            }
            Elem::Seq(v) => {
                out.nullable = true;
                for e in v.iter() {
                    let f = self.of(e);
                    out.any |= f.any;
                    parts.push(f.atoms);
                    if !f.nullable {
                        out.nullable = false;
                        break;
                    }
                }
            }
            _ => {}
        }
        out.atoms = match &parts[..] {
            // A group whose first words are those of one part shares its set.
            [one] => Rc::clone(one),
            _ => {
                let mut atoms: Vec<AtomId> = parts.iter().flat_map(|p| p.iter().copied()).collect();
                atoms.sort_unstable();
                atoms.dedup();
                atoms.into()
            }
        };
        out
    }
}

/// `elem` stored in `forest`, each group of alternatives indexed by the
/// atoms that can start its branches (from `firsts`, which must have been
/// computed on `elem` where it lies: they are keyed by address).
fn flatten(elem: &Elem, firsts: &mut Firsts<'_>, forest: &mut ForestBuilder) -> Node {
    match elem {
        Elem::Atoms(atoms) => forest.atoms(atoms),
        Elem::Seq(v) => {
            let nodes: Vec<Node> = v.iter().map(|e| flatten(e, firsts, forest)).collect();
            forest.seq(&nodes)
        }
        Elem::Opt(e) => {
            let node = flatten(e, firsts, forest);
            forest.opt(node)
        }
        Elem::Alt(branches) => {
            let mut by_atom = Vec::new();
            let mut always = Vec::new();
            for (i, b) in branches.iter().enumerate() {
                let f = firsts.of(b);
                if f.any || f.nullable {
                    always.push(i as u32);
                } else {
                    by_atom.extend(f.atoms.iter().map(|&a| (a, i as u32)));
                }
            }
            by_atom.sort_unstable();
            let nodes: Vec<Node> = branches
                .iter()
                .map(|b| flatten(b, firsts, forest))
                .collect();
            forest.alt(&nodes, &by_atom, &always)
        }
        Elem::Gap(n) => Node::Gap(*n),
        Elem::Class(c) => Node::Class(*c),
        Elem::Colon => Node::Colon,
    }
}

/// A required set: its rarity score and its atoms.
type Required = (usize, Rc<[AtomId]>);

/// The rarest words each part of a pattern requires.
///
/// For an element, a set of atoms such that every match of it contains a
/// word with one of them — the cheapest such set: a sequence requires what
/// its rarest part requires, a group the union of what each alternative
/// requires, a class what its entries do. "La distance pose problème" thus
/// anchors on `distance` and `probleme`, not on `la`. Optional parts and
/// gaps require nothing.
struct Rarest<'a> {
    classes: &'a [Elem],
    frequent: &'a [AtomId],
    /// `@unknown`: as common as a frequent word.
    unknown: Option<AtomId>,
    /// Shared, not copied: class sets recur in thousands of patterns.
    memo: FxHashMap<usize, Option<Required>>,
    /// The one-atom sets, by atom: a word recurs in many patterns.
    singles: Vec<Option<Rc<[AtomId]>>>,
    depth: usize,
}

impl Rarest<'_> {
    fn weight(&self, a: AtomId) -> usize {
        if self.frequent.binary_search(&a).is_ok() || self.unknown == Some(a) {
            1000
        } else {
            1
        }
    }

    /// (score, atoms) of `elem`; `None` when it requires nothing.
    fn of(&mut self, elem: &Elem) -> Option<Required> {
        let key = elem as *const Elem as usize;
        if let Some(r) = self.memo.get(&key) {
            return r.clone();
        }
        if self.depth > 64 {
            return None;
        }
        self.depth += 1;
        let r = match elem {
            Elem::Atoms(a) => Some((
                a.iter().map(|x| self.weight(*x)).sum(),
                shared_set(&mut self.singles, a),
            )),
            Elem::Opt(_) | Elem::Gap(_) | Elem::Colon => None,
            Elem::Class(c) => match self.classes.get(*c as usize) {
                Some(e) => self.of(e),
                None => None,
            },
            Elem::Seq(v) => v
                .iter()
                .filter_map(|e| self.of(e))
                .min_by_key(|(score, set)| (*score, set.len())),
            Elem::Alt(alt) => {
                let mut score = 0;
                let mut atoms = Vec::new();
                let mut all = true;
                for b in alt.iter() {
                    match self.of(b) {
                        Some((s, set)) => {
                            score += s;
                            atoms.extend_from_slice(&set);
                        }
                        None => {
                            all = false;
                            break;
                        }
                    }
                }
                all.then(|| {
                    atoms.sort_unstable();
                    atoms.dedup();
                    (score, Rc::from(atoms))
                })
            }
        };
        self.depth -= 1;
        self.memo.insert(key, r.clone());
        r
    }

    /// The required sets of the parts of a pattern, rarest first.
    fn required(&mut self, elem: &Elem) -> Vec<Rc<[AtomId]>> {
        let parts: Vec<&Elem> = match elem {
            Elem::Seq(v) => v.iter().collect(),
            other => vec![other],
        };
        let mut sets: Vec<Required> = parts.into_iter().filter_map(|e| self.of(e)).collect();
        sets.sort_by_key(|(score, set)| (*score, set.len()));
        sets.into_iter().map(|(_, set)| set).collect()
    }
}

/// A compiled pattern with its starts and checks.
#[derive(Debug)]
struct Pattern {
    elem: Node,
    owner: Owner,
    /// Atoms that can start a match (in the forest); `None`: any word can.
    starts: Option<Span>,
    /// The atoms of the rarest mandatory element (in the forest): every
    /// match contains one.
    anchor: Span,
    /// The most words a match can span.
    span: u32,
    /// The words that can start a match are those of the anchor (the
    /// pattern starts with its rarest element).
    starts_at_anchor: bool,
    /// Every match crosses a named colon: a statement without one cannot
    /// hold a match.
    needs_colon: bool,
}

/// The compiled patterns of a ruleset.
#[derive(Debug)]
pub(crate) struct Program {
    atoms: Atoms,
    /// The elements of the patterns and classes.
    forest: Forest,
    classes: Vec<Node>,
    /// For each class, the atoms its entries can start with (`None`: any
    /// word can start one): where a word has none of them, the class does
    /// not match, and its ends need not be computed.
    class_starts: Vec<Option<Span>>,
    patterns: Vec<Pattern>,
    /// For each atom, the check sets it belongs to and the patterns
    /// anchored on it.
    links: AtomLinks,
    /// Patterns with no mandatory element to anchor on.
    unanchored: Vec<PatternId>,
    /// For each atom, its bit in a statement's [`FrequentWords`], or
    /// [`NOT_FREQUENT`].
    frequent_bit: Vec<u8>,
    /// How many distinct check sets the patterns have.
    check_sets: u32,
    /// The distinct sets of frequent words of the check sets (which
    /// `links` leaves out: a statement holding one of them meets the set),
    /// the empty one first: about 1 600 for the French ruleset's 9 000
    /// check sets, which share a few determiners or auxiliaries. 86 KB to
    /// read from rather than 290 KB with one 32-byte set per check set.
    frequent_sets: Vec<FrequentWords>,
    /// For each pattern, the range of `check_list` that holds the check
    /// sets each of which must have an atom in the statement (kept apart
    /// from the patterns: they are read for many patterns never tried).
    check_ranges: Vec<(u32, u32)>,
    check_list: Vec<Check>,
    /// For each rule, its `unless` and `unless_near` patterns.
    guards: Vec<Vec<PatternId>>,
    /// For each rule, its own patterns (for
    /// [`longest_accepted`](Program::longest_accepted)).
    rule_patterns: Vec<Vec<PatternId>>,
    /// The abbreviations words of the text are read as.
    shorthands: Shorthands,
}

impl Snapshot for Owner {
    fn write(&self, w: &mut Writer) {
        let (tag, index) = match *self {
            Owner::Rule(i) => (0, i),
            Owner::Unless(i) => (1, i),
            Owner::UnlessNear(i) => (2, i),
            Owner::Cue(i) => (3, u32::from(i)),
            Owner::Heading(i) => (4, i),
        };
        w.uint(tag);
        index.write(w);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(match r.uint()? {
            0 => Owner::Rule(r.int()?),
            1 => Owner::Unless(r.int()?),
            2 => Owner::UnlessNear(r.int()?),
            3 => Owner::Cue(r.int()?),
            4 => Owner::Heading(r.int()?),
            _ => return Err(r.corrupt("a pattern owner")),
        })
    }
}

snapshot_fields!(Pattern {
    elem,
    owner,
    starts,
    anchor,
    span,
    starts_at_anchor,
    needs_colon,
});

/// Written field by field, the links last: their lists of anchored
/// patterns are written as the patterns' ids, and the ranges of checks
/// beside each id (see [`AtomLinks`]) are found again in `check_ranges`
/// when read. The forest is checked with the patterns and classes that
/// hold its nodes (see [`Forest::validate`]).
impl Snapshot for Program {
    fn write(&self, w: &mut Writer) {
        self.atoms.write(w);
        self.forest.write(w);
        self.classes.write(w);
        self.class_starts.write(w);
        self.patterns.write(w);
        self.unanchored.write(w);
        self.frequent_bit.write(w);
        self.check_sets.write(w);
        self.frequent_sets.write(w);
        self.check_ranges.write(w);
        self.check_list.write(w);
        self.guards.write(w);
        self.rule_patterns.write(w);
        self.shorthands.write(w);
        self.links.write(w);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        let atoms = Snapshot::read(r)?;
        let forest: Forest = Snapshot::read(r)?;
        let classes: Vec<Node> = Snapshot::read(r)?;
        let class_starts: Vec<Option<Span>> = Snapshot::read(r)?;
        let patterns: Vec<Pattern> = Snapshot::read(r)?;
        forest
            .validate(patterns.iter().map(|p| &p.elem).chain(&classes))
            .map_err(|what| r.corrupt(what))?;
        let spans = class_starts.iter().flatten().chain(
            patterns
                .iter()
                .flat_map(|p| p.starts.iter().chain([&p.anchor])),
        );
        if !spans.into_iter().all(|&span| forest.holds_atoms(span)) {
            return Err(r.corrupt("the words of a pattern"));
        }
        if forest.has_class_cycle(&classes) {
            return Err(r.corrupt("a word class that contains itself"));
        }
        let unanchored = Snapshot::read(r)?;
        let frequent_bit = Snapshot::read(r)?;
        let check_sets = Snapshot::read(r)?;
        let frequent_sets = Snapshot::read(r)?;
        let check_ranges: Vec<(u32, u32)> = Snapshot::read(r)?;
        let check_list = Snapshot::read(r)?;
        let guards = Snapshot::read(r)?;
        let rule_patterns = Snapshot::read(r)?;
        let shorthands = Snapshot::read(r)?;
        let links = AtomLinks::read(r, &check_ranges)?;
        Ok(Program {
            atoms,
            forest,
            classes,
            class_starts,
            patterns,
            links,
            unanchored,
            frequent_bit,
            check_sets,
            frequent_sets,
            check_ranges,
            check_list,
            guards,
            rule_patterns,
            shorthands,
        })
    }
}

/// One check of a pattern: a set of atoms one of which must occur in the
/// statement.
#[derive(Debug, Clone, Copy)]
struct Check {
    /// The set's index (see `Stacks::passed`).
    set: u32,
    /// The index in `frequent_sets` of its frequent words, which do not
    /// mark it: 0 when it has none. Kept beside the set, not in a table of
    /// the sets, because it is read for most checks that fail: one cache
    /// miss instead of two.
    frequent: u32,
}

snapshot_fields!(Check { set, frequent });

/// A position reached while matching, with the literal words used.
type State = (u32, u64);

/// The bit of an atom that is none of the first [`FrequentWords::BITS`]
/// words of the `frequent` class.
const NOT_FREQUENT: u8 = u8::MAX;

/// A set of frequent words, one bit each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct FrequentWords([u64; 4]);

impl FrequentWords {
    /// How many frequent words have a bit; the others are treated as any
    /// word.
    const BITS: usize = 255;

    /// Adds the word with `bit` (nothing for [`NOT_FREQUENT`]).
    #[inline]
    fn insert(&mut self, bit: u8) {
        if bit != NOT_FREQUENT {
            self.0[usize::from(bit >> 6)] |= 1 << (bit & 63);
        }
    }

    /// Do the two sets share a word?
    #[inline]
    fn meets(&self, other: &FrequentWords) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| a & b != 0)
    }
}

impl Snapshot for FrequentWords {
    fn write(&self, w: &mut Writer) {
        for word in self.0 {
            word.write(w);
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(FrequentWords([r.int()?, r.int()?, r.int()?, r.int()?]))
    }
}

/// What the matcher looks up for each atom of a statement: the check sets
/// the atom belongs to and the patterns anchored on it. Patterns check for
/// a few thousand distinct sets of atoms (many share a word class); rather
/// than look for each set's atoms in the statement, the statement's atoms
/// mark the sets they belong to (frequent words excepted: see
/// [`Check::frequent`]). Both lists of an atom lie side by side in one
/// array, and each anchored pattern comes with the range of `check_list`
/// that holds its checks, so that a statement's atoms cost one or two
/// cache misses each, and each pattern they bring up one more, for its
/// checks: looking its range up in `check_ranges` cost another, and made
/// these lookups the matcher's main source of cache misses.
#[derive(Debug, Default)]
struct AtomLinks {
    /// Atom `a`'s check sets are `links[ends[2a]..ends[2a + 1]]`, its
    /// anchored patterns `links[ends[2a + 1]..ends[2a + 2]]`: three numbers
    /// each, the pattern and the range of `check_list` that holds its
    /// checks (see [`anchored_link`]).
    ends: Vec<u32>,
    links: Vec<u32>,
}

impl AtomLinks {
    /// The links of the atoms whose check sets are `checks_of` and whose
    /// anchored patterns are `anchored`, with the checks of each pattern
    /// at `check_ranges[pattern]`.
    fn new(
        checks_of: &[Vec<u32>],
        anchored: &[Vec<PatternId>],
        check_ranges: &[(u32, u32)],
    ) -> Self {
        let mut ends = Vec::with_capacity(2 * checks_of.len() + 1);
        let mut links = Vec::new();
        ends.push(0);
        for (checks, patterns) in checks_of.iter().zip(anchored) {
            links.extend_from_slice(checks);
            ends.push(links.len() as u32);
            let linked = patterns
                .iter()
                .filter_map(|&p| anchored_link(p, check_ranges));
            links.extend(linked.flatten());
            ends.push(links.len() as u32);
        }
        links.shrink_to_fit();
        AtomLinks { ends, links }
    }

    /// Written list by list, each as ids (sorted within it), the anchored
    /// patterns without their checks: the boundaries are the lists'
    /// lengths.
    fn write(&self, w: &mut Writer) {
        let lists = self.ends.len().saturating_sub(1);
        w.uint(lists as u64);
        let mut pids = Vec::new();
        for k in 0..lists {
            if k % 2 == 0 {
                w.ids(self.part(k));
            } else {
                pids.clear();
                pids.extend(self.part(k).iter().step_by(3));
                w.ids(&pids);
            }
        }
    }

    /// Reads what [`write`](Self::write) wrote, the checks of each pattern
    /// being `check_ranges[pattern]`.
    fn read(r: &mut Reader<'_>, check_ranges: &[(u32, u32)]) -> Result<Self, Corrupt> {
        let lists = r.len()?;
        let mut ends = Vec::with_capacity(lists + 1);
        let mut links = Vec::new();
        let mut pids = Vec::new();
        ends.push(0);
        for k in 0..lists {
            if k % 2 == 0 {
                r.ids_into(&mut links)?;
            } else {
                pids.clear();
                r.ids_into(&mut pids)?;
                for &pid in &pids {
                    let link = anchored_link(pid, check_ranges)
                        .ok_or_else(|| r.corrupt("an anchored pattern without checks"))?;
                    links.extend(link);
                }
            }
            ends.push(u32::try_from(links.len()).map_err(|_| r.corrupt("fewer links"))?);
        }
        // Grown by doubling: up to half of it would be spare room.
        links.shrink_to_fit();
        Ok(AtomLinks { ends, links })
    }

    /// The slice between boundaries `k` and `k + 1` (empty when out of
    /// range: a damaged snapshot must not panic).
    #[inline]
    fn part(&self, k: usize) -> &[u32] {
        match (self.ends.get(k), self.ends.get(k + 1)) {
            (Some(&from), Some(&to)) => self.links.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The check sets atom `a` belongs to.
    #[inline]
    fn checks(&self, a: usize) -> &[u32] {
        self.part(2 * a)
    }

    /// The patterns anchored on atom `a`, each with the range of
    /// `check_list` that holds its checks.
    #[inline]
    fn anchored(&self, a: usize) -> impl Iterator<Item = (PatternId, (u32, u32))> + '_ {
        self.part(2 * a + 1)
            .chunks_exact(3)
            .map(|link| (link[0], (link[1], link[2])))
    }
}

/// Pattern `pid` as its anchors' lists hold it: its id, then the range of
/// `check_list` that holds its checks (`check_ranges[pid]`); `None` when
/// there is no such range.
fn anchored_link(pid: PatternId, check_ranges: &[(u32, u32)]) -> Option<[u32; 3]> {
    let &(from, to) = check_ranges
        .get(pid as usize)
        .filter(|(from, to)| from <= to)?;
    Some([pid, from, to])
}

/// Reusable buffers for [`Program::find`].
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    index: WordIndex,
    stacks: Stacks,
}

/// The atoms of the words of one statement.
#[derive(Debug, Default)]
struct WordIndex {
    atoms: Vec<AtomId>,
    /// `ranges[i]`: where the atoms of word `i` lie in `atoms`.
    ranges: Vec<(u32, u32)>,
    /// (atom, word) pairs of the statement, sorted.
    pairs: Vec<(AtomId, u32)>,
    /// The atoms that occur in the statement...
    seen: Marks,
    /// ...and for each, where its pairs lie in `pairs`.
    runs: Vec<(u32, u32)>,
    /// Some word of the statement follows a colon.
    colon: bool,
}

/// Work buffers of the matcher.
#[derive(Debug, Default)]
struct Stacks {
    /// The patterns looked at for this statement.
    tried: Marks,
    /// The check sets that have an atom in this statement (other than
    /// their frequent words)...
    passed: Marks,
    /// ...and the statement's frequent words.
    frequent: FrequentWords,
    starts: Vec<u32>,
    anchors: Vec<u32>,
    /// (pattern, word) pairs: where each pattern's anchor occurs.
    hits: Vec<(PatternId, u32)>,
    states: Vec<State>,
    pool: Vec<Vec<State>>,
    candidates: Vec<Vec<u32>>,
    /// (class, word) → the range of `class_states` the class reaches from
    /// that word, for the current statement.
    class_cache: FxHashMap<(u32, u32), (u32, u32)>,
    class_states: Vec<State>,
}

impl Stacks {
    /// Forgets the class matches of the previous statement.
    fn forget_classes(&mut self) {
        self.class_cache.clear();
        self.class_states.clear();
    }

    fn buffer(&mut self) -> Vec<State> {
        self.pool.pop().unwrap_or_default()
    }

    fn give(&mut self, mut buf: Vec<State>) {
        buf.clear();
        self.pool.push(buf);
    }

    /// Starts a new statement for `patterns` patterns and `checks` check
    /// sets.
    fn reset(&mut self, patterns: usize, checks: usize) {
        self.forget_classes();
        self.tried.reset(patterns);
        self.passed.reset(checks);
    }

    /// Marks `sets` (the check sets an atom of the statement belongs to)
    /// as passed.
    #[inline]
    fn pass(&mut self, sets: &[u32]) {
        for &c in sets {
            self.passed.insert(c);
        }
    }
}

impl WordIndex {
    /// Looks up the atoms of every word and indexes the statement's atoms.
    fn build(&mut self, program: &Program, text: &str, tokens: &[Token]) {
        self.atoms.clear();
        self.ranges.clear();
        self.pairs.clear();
        for (i, t) in tokens.iter().enumerate() {
            let from = self.atoms.len() as u32;
            let own = text.get(t.start as usize..t.end as usize).unwrap_or("");
            program.atoms.lookup(own, &mut self.atoms);
            if let Some(word) = program.shorthands.alias(t) {
                // A shorthand reads as the word it stands for, and as
                // itself for the patterns that spell it.
                let mut both = self.atoms.split_off(from as usize);
                program.atoms.lookup(word, &mut both);
                both.sort_unstable();
                both.dedup();
                self.atoms.extend(both);
            }
            let to = self.atoms.len() as u32;
            self.ranges.push((from, to));
            for &a in &self.atoms[from as usize..to as usize] {
                self.pairs.push((a, i as u32));
            }
        }
        self.pairs.sort_unstable();
        self.colon = tokens.iter().any(|t| t.colon_before);
        self.seen.reset(program.atoms.len());
        // Grown, never cut: see `Marks::reset`. Only the entries of atoms
        // marked `seen` above are read.
        if self.runs.len() < program.atoms.len() {
            self.runs.resize(program.atoms.len(), (0, 0));
        }
        let mut from = 0;
        for run in self.pairs.chunk_by(|x, y| x.0 == y.0) {
            let a = run[0].0;
            self.seen.insert(a);
            self.runs[a as usize] = (from, from + run.len() as u32);
            from += run.len() as u32;
        }
    }

    #[inline]
    fn present(&self, atom: AtomId) -> bool {
        self.seen.contains(atom)
    }

    /// The words where `atom` occurs (sorted).
    fn words_of(&self, atom: AtomId) -> impl ExactSizeIterator<Item = u32> + '_ {
        let run = if self.present(atom) {
            let (from, to) = self.runs[atom as usize];
            self.pairs.get(from as usize..to as usize).unwrap_or(&[])
        } else {
            &[]
        };
        run.iter().map(|&(_, w)| w)
    }

    /// The atoms of word `i`.
    #[inline]
    fn atoms_at(&self, i: usize) -> &[AtomId] {
        let (a, b) = self.ranges[i];
        &self.atoms[a as usize..b as usize]
    }

    #[inline]
    fn has_any(&self, i: usize, set: &[AtomId]) -> bool {
        let (a, b) = self.ranges[i];
        let mine = &self.atoms[a as usize..b as usize];
        match (mine, set) {
            ([], _) | (_, []) => false,
            ([one], _) => set.binary_search(one).is_ok(),
            (_, [single]) => mine.contains(single),
            _ => mine.iter().any(|m| set.binary_search(m).is_ok()),
        }
    }
}

/// The words of a statement and their atoms, as the matcher sees them.
struct Words<'a> {
    tokens: &'a [Token],
    index: &'a WordIndex,
}

impl Words<'_> {
    /// The atoms of word `i` (none past the statement's end).
    #[inline]
    fn atoms_at(&self, i: usize) -> &[AtomId] {
        if i < self.tokens.len() {
            self.index.atoms_at(i)
        } else {
            &[]
        }
    }

    #[inline]
    fn has_any(&self, i: usize, set: &[AtomId]) -> bool {
        self.index.has_any(i, set)
    }

    /// Moves `state` of a match that started at `start` over the word it
    /// is at, if that word has an atom of `set`; tells whether it did.
    #[inline]
    fn enter(&self, start: usize, state: &mut State, set: &[AtomId]) -> bool {
        let (pos, lit) = state;
        let i = *pos as usize;
        if self.can_enter(start, i, *lit) && i - start < MAX_MATCH_WORDS && self.has_any(i, set) {
            *lit = (*lit & !ACROSS_COLON) | 1 << (i - start);
            *pos += 1;
            true
        } else {
            false
        }
    }

    /// Can a match that started at `start`, whose record of literal words
    /// is `lit`, go on into word `i`? Not across strong punctuation, but
    /// across a colon the pattern has just named.
    #[inline]
    fn can_enter(&self, start: usize, i: usize, lit: u64) -> bool {
        i < self.tokens.len()
            && (i == start
                || !self.tokens[i].barrier_before
                || lit & ACROSS_COLON != 0 && self.tokens[i].colon_before)
    }
}

impl Program {
    /// Checks, for a program read from a snapshot, that every pattern id
    /// it lists names one of its patterns and every rule a pattern belongs
    /// to is one of the `rules` rules: the matcher and the classifier index
    /// them directly, and a damaged snapshot must be refused, not make an
    /// analysis panic.
    pub fn check_ids(&self, rules: usize) -> Result<(), &'static str> {
        let patterns = self.patterns.len();
        if self.check_ranges.len() != patterns {
            return Err("the checks of every pattern");
        }
        let known = |ids: &[PatternId]| ids.iter().all(|&p| (p as usize) < patterns);
        if !known(&self.unanchored)
            || !self.guards.iter().all(|g| known(g))
            || !self.rule_patterns.iter().all(|g| known(g))
        {
            return Err("a pattern id");
        }
        if !self.patterns.iter().all(|p| p.owner.within(rules)) {
            return Err("the rule of a pattern");
        }
        Ok(())
    }

    /// Is `word` (folded) a word some pattern or class names?
    pub fn knows(&self, word: &str) -> bool {
        self.atoms.knows(word)
    }

    /// Replaces the shorthands among `tokens` (of `folded`) by the words
    /// they stand for, before any matching (`spare`: scratch space).
    pub fn expand_shorthands(&self, folded: &str, tokens: &mut Vec<Token>, spare: &mut Vec<Token>) {
        self.shorthands.expand(folded, tokens, spare);
    }

    /// Finds, for every pattern and every start word, the longest match;
    /// appends them to `out` sorted by start word and owner.
    pub fn find(&self, text: &str, tokens: &[Token], scratch: &mut Scratch, out: &mut Vec<Match>) {
        scratch.index.build(self, text, tokens);
        scratch
            .stacks
            .reset(self.patterns.len(), self.check_sets as usize);
        let words = Words {
            tokens,
            index: &scratch.index,
        };
        let stacks = &mut scratch.stacks;
        let from = out.len();
        // Every occurrence of an anchor word, by pattern: what each pattern
        // needs to know where it may start, found without looking at the
        // anchors that are absent.
        let pairs = &words.index.pairs;
        let mut hits = std::mem::take(&mut stacks.hits);
        hits.clear();
        // First the check sets the statement's atoms satisfy...
        stacks.frequent = FrequentWords::default();
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            let atom = group[0].0 as usize;
            stacks.pass(self.links.checks(atom));
            stacks.frequent.insert(self.frequent_bit[atom]);
        }
        // ...then the anchors, of the patterns whose checks all pass: most
        // patterns an anchor word brings up lack another of their words.
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            for (pid, range) in self.links.anchored(group[0].0 as usize) {
                if self.all_pass(self.checks(range), stacks) {
                    hits.extend(group.iter().map(|&(_, w)| (pid, w)));
                }
            }
        }
        hits.sort_unstable();
        hits.dedup();
        for group in hits.chunk_by(|a, b| a.0 == b.0) {
            stacks.anchors.clear();
            stacks.anchors.extend(group.iter().map(|&(_, w)| w));
            self.try_pattern(group[0].0, &words, stacks, out, true);
        }
        stacks.hits = hits;
        for &pid in &self.unanchored {
            self.consider(pid, &words, stacks, out);
        }
        // Twins (same owner, start and end, from two patterns of a rule) are
        // ordered by their words, not by which pattern was tried first: the
        // one naming more words literally first, as within a pattern.
        out[from..].sort_unstable_by_key(|m| {
            (
                m.start,
                m.owner,
                m.end,
                std::cmp::Reverse(m.literal.count_ones()),
                m.literal,
            )
        });
    }

    /// Finds the matches of the guard patterns (`unless`, `unless_near`) of
    /// `rules`, in the statement of the last [`find`](Self::find).
    pub fn find_guards(
        &self,
        rules: &[u32],
        tokens: &[Token],
        scratch: &mut Scratch,
        out: &mut Vec<Match>,
    ) {
        let words = Words {
            tokens,
            index: &scratch.index,
        };
        for &r in rules {
            for &pid in self.guards.get(r as usize).map_or(&[][..], Vec::as_slice) {
                self.consider(pid, &words, &mut scratch.stacks, out);
            }
        }
    }

    /// Do all the check sets of pattern `pid` have a word in the statement?
    #[inline]
    fn checks_pass(&self, pid: PatternId, stacks: &Stacks) -> bool {
        self.all_pass(self.checks(self.check_ranges[pid as usize]), stacks)
    }

    /// The checks in `range` of `check_list` (none when it lies outside:
    /// a damaged snapshot must not panic).
    #[inline]
    fn checks(&self, (from, to): (u32, u32)) -> &[Check] {
        self.check_list
            .get(from as usize..to as usize)
            .unwrap_or(&[])
    }

    /// Do all these `checks` (from `check_list`) have a word in the
    /// statement?
    #[inline]
    fn all_pass(&self, checks: &[Check], stacks: &Stacks) -> bool {
        checks.iter().all(|c| {
            stacks.passed.contains(c.set) || self.meets_frequent(c.frequent, &stacks.frequent)
        })
    }

    /// Does the set of frequent words with index `k` in `frequent_sets`
    /// meet the statement's `frequent` words?
    #[inline]
    fn meets_frequent(&self, k: u32, frequent: &FrequentWords) -> bool {
        k != 0
            && self
                .frequent_sets
                .get(k as usize)
                .is_some_and(|words| words.meets(frequent))
    }

    /// Tries pattern `pid` if it was not yet, and its checks pass.
    fn consider(
        &self,
        pid: PatternId,
        words: &Words<'_>,
        stacks: &mut Stacks,
        out: &mut Vec<Match>,
    ) {
        if !stacks.tried.first_insert(pid) {
            return;
        }
        self.try_pattern(pid, words, stacks, out, false);
    }

    /// Tries pattern `pid` at the words that can start it, if its checks
    /// pass. With `anchored`, `stacks.anchors` already holds the words where
    /// its anchor occurs.
    fn try_pattern(
        &self,
        pid: PatternId,
        words: &Words<'_>,
        stacks: &mut Stacks,
        out: &mut Vec<Match>,
        anchored: bool,
    ) {
        // The checks first: most guards fail them, and the pattern itself,
        // looked at after, is one more cache miss.
        if !anchored && !self.checks_pass(pid, stacks) {
            return;
        }
        let pattern = &self.patterns[pid as usize];
        if pattern.needs_colon && !words.index.colon {
            return;
        }
        let heading = matches!(pattern.owner, Owner::Heading(_));
        if heading && !pattern.may_start(0, words.tokens.len()) {
            return;
        }
        let anchor = self.forest.atoms(pattern.anchor);
        if !anchored {
            anchor_words(anchor, words, &mut stacks.anchors);
            // Every match holds a word of the anchor.
            if stacks.anchors.is_empty() && !anchor.is_empty() {
                return;
            }
        }
        let mut starts = std::mem::take(&mut stacks.starts);
        let first = pattern.starts.map(|span| self.forest.atoms(span));
        pattern.start_words(first, anchor, words, &stacks.anchors, &mut starts);
        if heading {
            starts.retain(|&w| pattern.may_start(w as usize, words.tokens.len()));
        }
        for &start in &starts {
            if let Some((end, literal)) = self.longest(&pattern.elem, words, start as usize, stacks)
            {
                out.push(Match {
                    owner: pattern.owner,
                    start,
                    end,
                    literal,
                });
            }
        }
        stacks.starts = starts;
    }

    /// The end and literal words of the longest match of `elem` at `start`.
    fn longest(
        &self,
        elem: &Node,
        words: &Words<'_>,
        start: usize,
        stacks: &mut Stacks,
    ) -> Option<State> {
        let mut states = std::mem::take(&mut stacks.states);
        states.clear();
        states.push((start as u32, 0));
        self.step(elem, words, start, &mut states, stacks);
        let best = states
            .iter()
            .filter(|s| s.0 as usize > start && s.1 & ACROSS_COLON == 0)
            .max_by_key(|s| s.0)
            .copied();
        stacks.states = states;
        best
    }

    /// The longest match of the patterns of rule `rule` at word `start` that
    /// `accept` takes, in the statement [`find`](Self::find) last read:
    /// where the longest match was refused (it runs over a contrast), a
    /// shorter one may still say something ("we loved your energy, but…").
    pub fn longest_accepted(
        &self,
        rule: u32,
        start: u32,
        tokens: &[Token],
        scratch: &mut Scratch,
        accept: impl Fn(&Match) -> bool,
    ) -> Option<Match> {
        let words = Words {
            tokens,
            index: &scratch.index,
        };
        let stacks = &mut scratch.stacks;
        let mut best: Option<Match> = None;
        let owner = Owner::Rule(rule);
        let ids = self
            .rule_patterns
            .get(rule as usize)
            .map_or(&[][..], Vec::as_slice);
        for pattern in ids.iter().filter_map(|&p| self.patterns.get(p as usize)) {
            let mut states = std::mem::take(&mut stacks.states);
            states.clear();
            states.push((start, 0));
            self.step(&pattern.elem, &words, start as usize, &mut states, stacks);
            for &(end, literal) in &states {
                let m = Match {
                    owner,
                    start,
                    end,
                    literal,
                };
                if end > start
                    && literal & ACROSS_COLON == 0
                    && best.is_none_or(|b| end > b.end)
                    && accept(&m)
                {
                    best = Some(m);
                }
            }
            stacks.states = states;
        }
        best
    }

    /// Tries every pattern at every word, without the anchor index: the
    /// naive evaluation the benchmarks compare the indexed one with. Counts
    /// the matches.
    pub fn find_naive(&self, text: &str, tokens: &[Token], scratch: &mut Scratch) -> usize {
        scratch.index.build(self, text, tokens);
        scratch.stacks.forget_classes();
        let words = Words {
            tokens,
            index: &scratch.index,
        };
        let mut found = 0;
        for pattern in &self.patterns {
            for start in (0..tokens.len()).filter(|&s| pattern.may_start(s, tokens.len())) {
                found += usize::from(
                    self.longest(&pattern.elem, &words, start, &mut scratch.stacks)
                        .is_some(),
                );
            }
        }
        found
    }

    /// Does any entry of class `class` occur in the text?
    pub fn matches_class(
        &self,
        class: u32,
        text: &str,
        tokens: &[Token],
        scratch: &mut Scratch,
    ) -> bool {
        scratch.index.build(self, text, tokens);
        scratch.stacks.forget_classes();
        let words = Words {
            tokens,
            index: &scratch.index,
        };
        let elem = Node::Class(class);
        (0..tokens.len()).any(|start| {
            self.longest(&elem, &words, start, &mut scratch.stacks)
                .is_some()
        })
    }

    /// Advances every state in `states` over `elem`, in place.
    fn step(
        &self,
        elem: &Node,
        words: &Words,
        start: usize,
        states: &mut Vec<State>,
        stacks: &mut Stacks,
    ) {
        if states.is_empty() {
            return;
        }
        match *elem {
            Node::Atom(atom) => {
                states.retain_mut(|state| words.enter(start, state, std::slice::from_ref(&atom)));
            }
            Node::Atoms(span) => {
                let set = self.forest.atoms(span);
                states.retain_mut(|state| words.enter(start, state, set));
            }
            Node::Seq(span) => {
                for e in self.forest.seq(span) {
                    // One state through a word: the common case in a
                    // sequence, stepped here without a call.
                    let entered = match (e, &mut states[..]) {
                        (Node::Atom(atom), [state]) => {
                            Some(words.enter(start, state, std::slice::from_ref(atom)))
                        }
                        (Node::Atoms(span), [state]) => {
                            Some(words.enter(start, state, self.forest.atoms(*span)))
                        }
                        _ => None,
                    };
                    match entered {
                        Some(false) => states.clear(),
                        Some(true) => {}
                        None => self.step(e, words, start, states, stacks),
                    }
                    if states.is_empty() {
                        break;
                    }
                }
            }
            Node::Alt(a) => match self.forest.alt(a) {
                Some(alt) => self.step_alt(alt, words, start, states, stacks),
                None => states.clear(),
            },
            Node::Opt(at) => {
                let Some(e) = self.forest.opt(at) else {
                    return;
                };
                let mut taken = stacks.buffer();
                taken.extend_from_slice(states);
                self.step(e, words, start, &mut taken, stacks);
                states.extend_from_slice(&taken);
                stacks.give(taken);
                dedup(states);
            }
            Node::Gap(n) => {
                let count = states.len();
                for s in 0..count {
                    let (pos, lit) = states[s];
                    for k in 0..n as usize {
                        let i = pos as usize + k;
                        // Only the gap's first word may follow a named colon.
                        let entry = if k == 0 { lit } else { 0 };
                        if !words.can_enter(start, i, entry) || i - start >= MAX_MATCH_WORDS {
                            break;
                        }
                        states.push((i as u32 + 1, lit & !ACROSS_COLON));
                    }
                }
                dedup(states);
            }
            Node::Colon => {
                // A colon, and only a colon, between the words before and
                // after (see `Token::colon_before`).
                states.retain_mut(|(pos, lit)| {
                    let i = *pos as usize;
                    let colon = i > start && words.tokens.get(i).is_some_and(|t| t.colon_before);
                    *lit |= ACROSS_COLON;
                    colon
                });
            }
            Node::Class(c) => match self.classes.get(c as usize) {
                // A class of single words is stepped like the word set it
                // is: cheaper than looking its ends up in the cache.
                Some(class @ (Node::Atom(_) | Node::Atoms(_))) => {
                    self.step(class, words, start, states, stacks);
                }
                Some(class) => self.step_class(c, class, words, start, states, stacks),
                None => states.clear(),
            },
        }
    }

    /// Advances the states over a group's alternatives: each state into
    /// the branches that can start at its word.
    fn step_alt(
        &self,
        alt: &Alt,
        words: &Words,
        start: usize,
        states: &mut Vec<State>,
        stacks: &mut Stacks,
    ) {
        let branches = self.forest.branches(alt);
        let mut candidates = stacks.candidates.pop().unwrap_or_default();
        let single = if let [(pos, _)] = states[..] {
            self.forest
                .candidates(alt, words.atoms_at(pos as usize), &mut candidates);
            // One state into at most one branch, the common case: stepped
            // in place, without buffers. A step leaves its states sorted
            // and distinct, as `dedup` would.
            if candidates.len() <= 1 {
                match candidates.first().and_then(|&b| branches.get(b as usize)) {
                    Some(branch) => self.step(branch, words, start, states, stacks),
                    None => states.clear(),
                }
                stacks.candidates.push(candidates);
                return;
            }
            true
        } else {
            false
        };
        let mut all = stacks.buffer();
        for &(pos, lit) in states.iter() {
            if !single {
                self.forest
                    .candidates(alt, words.atoms_at(pos as usize), &mut candidates);
            }
            for branch in candidates.iter().filter_map(|&b| branches.get(b as usize)) {
                let mut reached = stacks.buffer();
                reached.push((pos, lit));
                self.step(branch, words, start, &mut reached, stacks);
                all.extend_from_slice(&reached);
                stacks.give(reached);
            }
        }
        stacks.candidates.push(candidates);
        std::mem::swap(states, &mut all);
        stacks.give(all);
        dedup(states);
    }

    /// Advances the states over class `c`. What a class matches from a
    /// given word does not depend on the pattern around it, and the same
    /// classes recur in many patterns: the ends reached from each word are
    /// computed once per statement and reused.
    fn step_class(
        &self,
        c: u32,
        class: &Node,
        words: &Words,
        start: usize,
        states: &mut Vec<State>,
        stacks: &mut Stacks,
    ) {
        let mut out = stacks.buffer();
        for &(pos, lit) in states.iter() {
            let p = pos as usize;
            // Entering a word after a barrier is only allowed at the start of
            // a match, or across a named colon: the cache, computed from `p`
            // itself, cannot tell.
            if p < words.tokens.len() && !words.can_enter(start, p, lit) {
                continue;
            }
            if let Some(&Some(starts)) = self.class_starts.get(c as usize) {
                if p >= words.tokens.len() || !words.has_any(p, self.forest.atoms(starts)) {
                    continue;
                }
            }
            let (from, to) = match stacks.class_cache.get(&(c, pos)) {
                Some(&range) => range,
                None => {
                    let mut one = stacks.buffer();
                    one.push((pos, 0));
                    self.step(class, words, p, &mut one, stacks);
                    let from = stacks.class_states.len() as u32;
                    stacks.class_states.extend_from_slice(&one);
                    let range = (from, stacks.class_states.len() as u32);
                    stacks.give(one);
                    stacks.class_cache.insert((c, pos), range);
                    range
                }
            };
            let shift = p - start;
            for k in from..to {
                let (end, mask) = stacks.class_states[k as usize];
                if end as usize - start > MAX_MATCH_WORDS {
                    continue;
                }
                let mask = if shift < 64 { mask << shift } else { 0 };
                out.push((end, (lit & !ACROSS_COLON) | mask));
            }
        }
        std::mem::swap(states, &mut out);
        stacks.give(out);
        dedup(states);
    }
}

/// The words where a pattern's `anchor` (its atoms) occurs, sorted, into
/// `out`.
fn anchor_words(anchor: &[AtomId], words: &Words<'_>, out: &mut Vec<u32>) {
    out.clear();
    let pairs = &words.index.pairs;
    if anchor.len() <= pairs.len() {
        for a in anchor {
            out.extend(words.index.words_of(*a));
        }
    } else {
        // A guard's anchor may join the words of a whole class: look the
        // statement's few atoms up in it instead.
        out.extend(
            pairs
                .iter()
                .filter(|(a, _)| anchor.binary_search(a).is_ok())
                .map(|&(_, w)| w),
        );
    }
    out.sort_unstable();
    out.dedup();
}

impl Pattern {
    /// May a match of this pattern start at word `start` of a statement of
    /// `words` words? A heading's only where it can be the whole statement:
    /// from its first word, in a statement no longer than its longest
    /// match.
    fn may_start(&self, start: usize, words: usize) -> bool {
        !matches!(self.owner, Owner::Heading(_)) || start == 0 && words <= self.span as usize
    }

    /// The words a match can start at: words that can start the pattern
    /// (those having an atom of `first`; `None`: any word), close enough
    /// before an occurrence of its `anchor` (`anchors`, sorted) to reach
    /// it.
    fn start_words(
        &self,
        first: Option<&[AtomId]>,
        anchor: &[AtomId],
        words: &Words<'_>,
        anchors: &[u32],
        out: &mut Vec<u32>,
    ) {
        out.clear();
        if self.starts_at_anchor {
            // Every anchor word starts a match, and only they do.
            out.extend_from_slice(anchors);
            return;
        }
        let index = words.index;
        let span = self.span as usize;
        let unanchored = anchor.is_empty();
        // Words in [anchor - span + 1, anchor] for some anchor occurrence.
        let near = |w: usize| {
            let i = anchors.partition_point(|&a| (a as usize) < w);
            unanchored || anchors.get(i).is_some_and(|&a| (a as usize) < w + span)
        };
        match first {
            Some(set) if set.len() <= words.tokens.len() => {
                for a in set.iter() {
                    out.extend(index.words_of(*a).filter(|&w| near(w as usize)));
                }
                out.sort_unstable();
                out.dedup();
            }
            Some(set) => out.extend(
                (0..words.tokens.len() as u32)
                    .filter(|&w| near(w as usize) && index.has_any(w as usize, set)),
            ),
            None => out.extend((0..words.tokens.len() as u32).filter(|&w| near(w as usize))),
        }
    }
}

/// Sorts states by position and keeps one per position: the path that
/// matched the most words literally, so that a word the pattern names is
/// never counted as skipped by a gap (where a negation in it would wrongly
/// negate the match).
fn dedup(states: &mut Vec<State>) {
    const SLOTS: usize = MAX_MATCH_WORDS + 1;
    let sort = |states: &mut Vec<State>| {
        states.sort_unstable_by_key(|s| (s.0, std::cmp::Reverse(s.1.count_ones()), s.1));
        states.dedup_by_key(|s| s.0);
    };
    // Already in strictly increasing positions (one state entering a gap
    // or an optional element): nothing to sort, nothing twice.
    if states.windows(2).all(|w| w[0].0 < w[1].0) {
        return;
    }
    if states.len() <= 8 {
        // Few states: sorting them is cheaper than the slots.
        return sort(states);
    }
    let lo = states.iter().map(|s| s.0).min().unwrap_or(0);
    let hi = states.iter().map(|s| s.0).max().unwrap_or(0);
    let range = (hi - lo) as usize + 1;
    if range > SLOTS {
        return sort(states);
    }
    // Many states (a gap or a class fanning out) over at most 65 positions:
    // keep the best per position in one pass, in position order.
    let mut best = [(false, 0u64); SLOTS];
    for &(pos, mask) in states.iter() {
        let slot = &mut best[(pos - lo) as usize];
        let better = !slot.0
            || mask.count_ones() > slot.1.count_ones()
            || (mask.count_ones() == slot.1.count_ones() && mask < slot.1);
        if better {
            *slot = (true, mask);
        }
    }
    states.clear();
    states.extend(
        best[..range]
            .iter()
            .enumerate()
            .filter(|(_, b)| b.0)
            .map(|(k, b)| (lo + k as u32, b.1)),
    );
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

    fn program(patterns: &[&str]) -> Program {
        let limits = Limits::default();
        let names = Names(vec!["adj"]);
        let mut b = ProgramBuilder::default();
        let entries = [
            "insuffisant{,e,s,es}",
            "(trop | très) (faible | léger{,e,s,es})",
        ];
        let entries: Vec<pattern::Node> =
            entries.iter().map(|e| parse(e, &limits).unwrap()).collect();
        let class = b.compile_class(&entries, &names);
        b.set_classes(vec![class]);
        for (i, p) in patterns.iter().enumerate() {
            let node = parse(p, &limits).unwrap();
            let elem = b.compile(&node, &names);
            b.add_pattern(elem, Owner::Rule(i as u32));
        }
        b.build(&[], 0)
    }

    #[test]
    fn a_program_names_only_the_rules_it_was_built_for() {
        // Two patterns, of rules 0 and 1.
        let p = program(&["vous manquez", "@adj"]);
        assert_eq!(p.check_ids(2), Ok(()));
        assert_eq!(p.check_ids(1), Err("the rule of a pattern"));
        let read: Program = crate::snapshot::from_bytes(&crate::snapshot::to_bytes(&p)).unwrap();
        assert_eq!(read.check_ids(2), Ok(()));
        assert!(Owner::Cue(200).within(0));
        assert!(!Owner::Heading(3).within(3));
    }

    fn find(program: &Program, text: &str) -> (Vec<Match>, Vec<Token>, String) {
        let folded = fold_str(text);
        let mut tokens = Vec::new();
        tokenize(&folded, &mut tokens);
        let mut out = Vec::new();
        program.find(&folded, &tokens, &mut Scratch::default(), &mut out);
        (out, tokens, folded)
    }

    /// The spans (folded text) of the matches in `text`, by pattern index.
    fn run(patterns: &[&str], text: &str) -> Vec<(u32, String)> {
        let (out, tokens, folded) = find(&program(patterns), text);
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
        assert!(run(&["anglais ~3 insuffisant"], "anglais ; Insuffisant").is_empty());
        assert!(run(&["anglais ~3 insuffisant"], "anglais... insuffisant").is_empty());
        // A lone period inside a statement ends an abbreviation.
        assert_eq!(
            run(&["anglais ~3 insuffisant"], "anglais cf. insuffisant").len(),
            1
        );
        assert_eq!(
            run(&["anglais ~3 insuffisant"], "anglais, insuffisant").len(),
            1
        );
    }

    #[test]
    fn a_named_colon_is_crossed_and_nothing_else() {
        let colon = ["anglais : ~2 (insuffisant | faible)"];
        let found = run(&colon, "anglais : niveau insuffisant");
        assert_eq!(found, [(0, "anglais : niveau insuffisant".to_string())]);
        assert_eq!(run(&colon, "anglais: faible").len(), 1);
        for text in [
            "anglais ; faible",
            "anglais faible",
            "anglais :; faible",
            "anglais, faible",
        ] {
            assert!(run(&colon, text).is_empty(), "{text}");
        }
        // Only the word right after the colon may follow it: a second
        // barrier further on still stops the match.
        assert!(run(&colon, "anglais : niveau ; faible").is_empty());
        let optional = ["anglais :? faible"];
        assert_eq!(run(&optional, "anglais : faible").len(), 1);
        assert_eq!(run(&optional, "anglais faible").len(), 1);
        assert!(run(&optional, "anglais ? faible").is_empty());
    }

    #[test]
    fn gaps_that_follow_each_other_are_one_gap() {
        let p = program(&["niveau ~2 ~3 faible"]);
        let Node::Seq(v) = p.patterns[0].elem else {
            panic!("{:?}", p.patterns[0].elem)
        };
        assert!(matches!(
            p.forest.seq(v),
            [Node::Atom(_), Node::Gap(5), Node::Atom(_)]
        ));
        let pattern = ["niveau ~2 ~3 faible"];
        assert_eq!(run(&pattern, "niveau faible").len(), 1);
        assert_eq!(run(&pattern, "niveau a b c d e faible").len(), 1);
        assert!(run(&pattern, "niveau a b c d e f faible").is_empty());
        assert!(run(&pattern, "niveau a ; b faible").is_empty());
        // Seventeen gaps of 16 make more than a byte holds: the joined gap
        // saturates, and still reaches as far as a match may span.
        let many = format!("niveau {}faible", "~16 ".repeat(17));
        let text = format!("niveau {}faible", "a ".repeat(60));
        assert_eq!(run(&[many.as_str()], &text).len(), 1);
    }

    #[test]
    fn only_patterns_that_always_cross_a_colon_need_one() {
        let p = program(&[
            "anglais : faible",
            "(anglais : faible | anglais ~2 faible)",
            "(anglais : faible | espagnol : faible)",
            "anglais :? faible",
            "anglais (: faible)?",
        ]);
        // By rule: a top-level alternation may become several patterns.
        let needs: Vec<bool> = (0..5)
            .map(|r| {
                let mut mine = p.patterns.iter().filter(|p| p.owner == Owner::Rule(r));
                mine.all(|p| p.needs_colon)
            })
            .collect();
        assert_eq!(needs, [true, false, true, false, false]);
        // The patterns that do not need one still match without.
        let found = run(
            &["(anglais : faible | anglais ~2 faible)"],
            "anglais faible",
        );
        assert_eq!(found.len(), 1);
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
    fn multiword_alternatives_are_entered_only_where_they_can_start() {
        let found = run(
            &["vous (avez | êtes) (très peu parlé | manqué (de | d) énergie)"],
            "vous avez manqué d'énergie",
        );
        assert_eq!(found.len(), 1);
        assert!(
            run(
                &["vous (avez | êtes) (très peu parlé | manqué d'énergie)"],
                "vous avez parlé"
            )
            .is_empty()
        );
    }

    #[test]
    fn a_program_read_back_links_its_anchored_patterns_to_their_checks() {
        // The snapshot keeps the ids of the patterns anchored on each atom,
        // not where their checks lie: reading finds that again.
        let p = program(&[
            "de ~3 expérience",
            "manque (de | d) rigueur ~2 @adj",
            "pratique",
        ]);
        let read: Program =
            crate::snapshot::from_bytes(&crate::snapshot::to_bytes(&p)).expect("reads");
        assert_eq!(read.links.ends, p.links.ends);
        assert_eq!(read.links.links, p.links.links);
        let checked = (0..p.atoms.len())
            .flat_map(|a| p.links.anchored(a))
            .filter(|&(_, (from, to))| to > from)
            .count();
        assert!(checked >= 2, "two patterns have checks");
        for text in [
            "de la pratique, de l'expérience",
            "il manque de rigueur, trop faible",
            "manque de rigueur",
        ] {
            assert_eq!(find(&read, text).0, find(&p, text).0, "{text}");
        }
    }

    #[test]
    fn patterns_whose_checks_fail_are_not_tried() {
        let p = program(&["de ~3 expérience", "manque"]);
        let (out, ..) = find(&p, "de la pratique, de la rigueur");
        assert!(out.is_empty());
        let (out, ..) = find(&p, "de l'expérience");
        assert_eq!(out.len(), 1);
    }

    /// Whether the checks of the first `n` patterns of `p` pass in `text`.
    fn checks_passing(p: &Program, text: &str, n: PatternId) -> Vec<bool> {
        let folded = fold_str(text);
        let mut tokens = Vec::new();
        tokenize(&folded, &mut tokens);
        let mut scratch = Scratch::default();
        p.find(&folded, &tokens, &mut scratch, &mut Vec::new());
        (0..n)
            .map(|pid| p.checks_pass(pid, &scratch.stacks))
            .collect()
    }

    #[test]
    fn a_guard_checks_its_anchor_and_a_rule_pattern_does_not() {
        let limits = Limits::default();
        let names = Names(vec![]);
        let mut b = ProgramBuilder::default();
        // Same pattern for a rule and for a guard; one of its two words
        // anchors it, the other is a check.
        for owner in [Owner::Rule(0), Owner::Unless(0)] {
            let elem = b.compile(&parse("retard ~2 important", &limits).unwrap(), &names);
            b.add_pattern(elem, owner);
        }
        let p = b.build(&[], 0);
        let checks = |pid: usize| p.check_ranges[pid].1 - p.check_ranges[pid].0;
        assert_eq!((checks(0), checks(1)), (1, 2));
        let passes = |text: &str| checks_passing(&p, text, 2);
        assert_eq!(passes("un retard important"), [true, true]);
        // Each statement lacks one word: the guard's checks see it
        // whichever word anchors, the rule pattern's only for its check.
        let lacking: Vec<Vec<bool>> = ["un retard", "important"].map(passes).into();
        assert!(lacking.iter().all(|v| !v[1]), "{lacking:?}");
        assert_eq!(lacking.iter().filter(|v| v[0]).count(), 1, "{lacking:?}");
    }

    #[test]
    fn a_frequent_word_meets_its_check_sets_without_marking_them() {
        let limits = Limits::default();
        let names = Names(vec![]);
        let mut b = ProgramBuilder::default();
        // `expérience` anchors both; `de` and `très`, frequent, are checks.
        for p in ["de ~3 expérience", "très ~2 expérience"] {
            let elem = b.compile(&parse(p, &limits).unwrap(), &names);
            b.add_pattern(elem, Owner::Rule(0));
        }
        let frequent = [b.atoms.word("de"), b.atoms.word("tres")];
        let p = b.build(&frequent, 0);
        assert!(
            frequent
                .iter()
                .all(|&a| p.links.checks(a as usize).is_empty())
        );
        let passes = |text: &str| checks_passing(&p, text, 2);
        assert_eq!(passes("de l'expérience"), [true, false]);
        assert_eq!(passes("très peu d'expérience"), [false, true]);
        assert_eq!(passes("une expérience"), [false, false]);
    }

    #[test]
    fn a_guard_group_is_one_pattern_reaching_its_longest_alternative() {
        let limits = Limits::default();
        let names = Names(vec!["adj"]);
        let mut b = ProgramBuilder::default();
        let entries: Vec<pattern::Node> = [
            "faible",
            "(trop | très) faible",
            "très faible pour le poste",
        ]
        .iter()
        .map(|e| parse(e, &limits).unwrap())
        .collect();
        let class = b.compile_class(&entries, &names);
        b.set_classes(vec![class]);
        let guard = b.compile(&parse("@adj", &limits).unwrap(), &names);
        b.add_pattern(guard, Owner::UnlessNear(0));
        let p = b.build(&[], 0);
        assert_eq!(p.patterns.len(), 1, "not split into its alternatives");
        let folded = fold_str("un niveau très faible pour le poste, trop faible");
        let mut tokens = Vec::new();
        tokenize(&folded, &mut tokens);
        let mut scratch = Scratch::default();
        let mut out = Vec::new();
        p.find(&folded, &tokens, &mut scratch, &mut out);
        assert!(out.is_empty(), "guards are only tried for their rules");
        p.find_guards(&[0], &tokens, &mut scratch, &mut out);
        let spans: Vec<(u32, u32)> = out.iter().map(|m| (m.start, m.end)).collect();
        // One match per start word, each as long as the longest entry.
        assert_eq!(spans, [(2, 7), (3, 4), (7, 9), (8, 9)]);
    }

    #[test]
    fn dedup_leaves_states_in_increasing_positions_as_they_are() {
        let mut states: Vec<State> = vec![(3, 0b1), (5, 0), (9, 0b111)];
        dedup(&mut states);
        assert_eq!(states, [(3, 0b1), (5, 0), (9, 0b111)]);
        // Out of order or twice at a position: sorted, the best kept.
        let mut states: Vec<State> = vec![(5, 0), (3, 0b1), (3, 0b11)];
        dedup(&mut states);
        assert_eq!(states, [(3, 0b11), (5, 0)]);
    }

    proptest::proptest! {
        /// Keeping the best state per position in slots gives what sorting
        /// gives: one state per position, in order, the one with the most
        /// literal words (the smallest mask among equals).
        #[test]
        fn dedup_keeps_the_best_state_per_position(
            start in 0u32..1000,
            states in proptest::collection::vec((0u32..=64, 0u64..16), 0..40),
        ) {
            let mut states: Vec<State> = states
                .into_iter()
                .map(|(pos, mask)| (start + pos, mask.rotate_left(pos)))
                .collect();
            let mut sorted = states.clone();
            sorted.sort_unstable_by_key(|s| (s.0, std::cmp::Reverse(s.1.count_ones()), s.1));
            sorted.dedup_by_key(|s| s.0);
            dedup(&mut states);
            proptest::prop_assert_eq!(states, sorted);
        }
    }

    /// Class names `c0`, `c1`…: `c{i}` is class `i`.
    struct Chain;

    impl ClassNames for Chain {
        fn class_index(&self, name: &str) -> Option<u32> {
            name.strip_prefix('c')?.parse().ok()
        }
    }

    #[test]
    fn a_word_deeper_than_the_depth_limit_anchors_nothing() {
        // Classes c0 -> c1 -> ... -> c64 -> `w`: the only word of
        // `@c0 @c0 @c0` lies 65 levels deep, past the anchor search's limit,
        // so the pattern is tried unanchored — and still matches.
        let limits = Limits::default();
        let mut b = ProgramBuilder::default();
        let classes: Vec<Elem> = (0..=64)
            .map(|i| {
                let entry = if i == 64 {
                    "w".to_string()
                } else {
                    format!("@c{}", i + 1)
                };
                b.compile_class(&[parse(&entry, &limits).unwrap()], &Chain)
            })
            .collect();
        b.set_classes(classes);
        for p in ["@c0 @c0 @c0", "w ~1 w"] {
            let e = b.compile(&parse(p, &limits).unwrap(), &Chain);
            b.add_pattern(e, Owner::Rule(0));
        }
        let p = b.build(&[], 0);
        assert_eq!(p.unanchored, [0]);
        let folded = fold_str("w w w");
        let mut tokens = Vec::new();
        tokenize(&folded, &mut tokens);
        let mut out = Vec::new();
        p.find(&folded, &tokens, &mut Scratch::default(), &mut out);
        let mut spans: Vec<(u32, u32)> = out.iter().map(|m| (m.start, m.end)).collect();
        spans.sort_unstable();
        assert_eq!(spans, [(0, 3), (0, 3), (1, 3)]);
    }

    #[test]
    fn branches_sharing_a_first_word_are_one_branch_matching_the_same() {
        let limits = Limits::default();
        let mut b = ProgramBuilder::default();
        let node = parse(
            "(pas assez ~2 solide | pas encore (au niveau | prêt) | plus | pas)",
            &limits,
        )
        .unwrap();
        // `plus` and `pas` join the word set; the three `pas …` branches
        // become one `pas (…)`.
        let Elem::Alt(branches) = b.compile(&node, &Names(vec![])) else {
            panic!("an alternative")
        };
        assert_eq!(branches.len(), 2);
        let shared = branches
            .iter()
            .filter(|e| matches!(e, Elem::Seq(v) if matches!(&v[0], Elem::Atoms(_))))
            .count();
        assert_eq!(shared, 1);
        // Each merged branch still matches what it did, with its own
        // literal words (the gap's word is not one).
        let p = program(&["(pas assez ~2 solide | pas encore (au niveau | prêt))"]);
        let (out, ..) = find(&p, "pas assez vraiment solide");
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].start, out[0].end), (0, 4));
        assert!(out[0].is_literal(1) && !out[0].is_literal(2) && out[0].is_literal(3));
        let (out, ..) = find(&p, "pas encore au niveau");
        assert_eq!((out[0].start, out[0].end), (0, 4));
        assert!(find(&p, "pas encore").0.is_empty());
    }

    #[test]
    fn literal_mask_excludes_gap_words() {
        let p = program(&["manque ~3 expérience"]);
        let (out, ..) = find(&p, "manquez pas manque pas d'expérience");
        assert_eq!(out.len(), 1);
        let m = out[0];
        assert_eq!((m.start, m.end), (2, 6));
        assert!(m.is_literal(2) && !m.is_literal(3) && !m.is_literal(4) && m.is_literal(5));
    }
}
