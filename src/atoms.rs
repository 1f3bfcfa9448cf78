//! The words and stems of a ruleset, interned as *atoms*.
//!
//! Every literal of every pattern is one atom: an exact word (`manque`), a
//! stem (`competen*`) or "a number". Looking up a word of the text gives the
//! sorted list of atoms it satisfies, in two hash lookups whatever the size
//! of the ruleset: one in the table of exact words, one in the table of stems
//! keyed by their first three bytes (stems are at least three letters long).
//!
//! A word of the text that is none of the ruleset's words may still be one
//! of them typed with a common slip (`insufisant`, `experinece`,
//! `experiance`) when typo tolerance is on (see [`Atoms::tolerate_typos`]
//! and the `slips` module, which says which slips and why). Such a word
//! then satisfies the atoms of the word it stands for.
//!
//! The hash is FxHash (the one rustc uses): the keys are short words chosen
//! by the ruleset's authors, not by an attacker, and it is several times
//! faster than SipHash on them.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::slips::Slips;
use crate::snapshot::snapshot_fields;

/// Index of an interned atom.
pub(crate) type AtomId = u32;

/// FxHash: a multiply-rotate hash for short keys.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `HashMap` with FxHash.
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A `HashSet` with FxHash.
pub(crate) type FxHashSet<K> = std::collections::HashSet<K, BuildHasherDefault<FxHasher>>;

/// Stems sharing their first bytes: (whole stem, atom).
type StemList = Vec<(Box<str>, AtomId)>;

/// The interned words and stems of a ruleset.
#[derive(Debug, Default)]
pub(crate) struct Atoms {
    words: FxHashMap<Box<str>, AtomId>,
    /// Stems by their first bytes (see [`stem_key`]): (whole stem, atom).
    stems: FxHashMap<u32, StemList>,
    /// Stems shorter than the key (only with a lowered `min_stem_chars`).
    short_stems: StemList,
    digits: Option<AtomId>,
    /// The atom of a word no pattern or class names (`@unknown`), once a
    /// pattern asks for it.
    unknown: Option<AtomId>,
    count: u32,
    /// The words as keys for typing slips (empty when tolerance is off).
    slips: Slips,
    /// The words only read as written, as keys for the few slips forgiven
    /// them (see [`Slips::cues`]).
    cue_slips: Slips,
}

snapshot_fields!(Atoms {
    words,
    stems,
    short_stems,
    digits,
    unknown,
    count,
    slips,
    cue_slips,
});

impl Atoms {
    fn next(&mut self) -> AtomId {
        self.count += 1;
        self.count - 1
    }

    /// Is `word` (folded) one of the ruleset's words, as written?
    pub fn knows(&self, word: &str) -> bool {
        self.words.contains_key(word)
    }

    /// The number of atoms.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// The atom of an exact word.
    pub fn word(&mut self, w: &str) -> AtomId {
        if let Some(&id) = self.words.get(w) {
            return id;
        }
        let id = self.next();
        self.words.insert(w.into(), id);
        self.slips.add(w);
        id
    }

    /// The atom of a stem.
    pub fn stem(&mut self, p: &str) -> AtomId {
        let Some(key) = stem_key(p.as_bytes()) else {
            if let Some((_, id)) = self.short_stems.iter().find(|(s, _)| &**s == p) {
                return *id;
            }
            let id = self.next();
            self.short_stems.push((p.into(), id));
            return id;
        };
        if let Some(list) = self.stems.get(&key) {
            if let Some((_, id)) = list.iter().find(|(s, _)| &**s == p) {
                return *id;
            }
        }
        let id = self.next();
        self.stems.entry(key).or_default().push((p.into(), id));
        id
    }

    /// The atom that matches any word the ruleset does not name.
    pub fn unknown(&mut self) -> AtomId {
        reserve(&mut self.unknown, &mut self.count)
    }

    /// The atom of `@unknown`, if a pattern asks for it.
    pub fn unknown_atom(&self) -> Option<AtomId> {
        self.unknown
    }

    /// The atom that matches any number.
    pub fn digits(&mut self) -> AtomId {
        reserve(&mut self.digits, &mut self.count)
    }

    /// Turns typo tolerance on for words of at least `min_chars`
    /// characters (0: off), except towards the words of the atoms in
    /// `as_written` (sorted), which are forgiven fewer slips (see
    /// [`Slips::cues`]).
    pub fn tolerate_typos(&mut self, min_chars: usize, as_written: &[AtomId]) {
        let written = |id: &AtomId| as_written.binary_search(id).is_ok();
        let words = self.words.iter().filter(|(_, id)| !written(id));
        self.slips = Slips::new(min_chars, words.map(|(w, _)| &**w));
        let cues = self.words.iter().filter(|(_, id)| written(id));
        self.cue_slips = Slips::cues(min_chars, cues.map(|(w, _)| &**w));
    }

    /// Appends the atoms `word` satisfies to `out`, sorted: those of the
    /// word itself or, if it is none of the ruleset's words and typo
    /// tolerance is on, those of the words it is one typing slip away from.
    #[inline]
    pub fn lookup(&self, word: &str, out: &mut Vec<AtomId>) {
        let from = out.len();
        if self.lookup_exact(word, out) {
            return;
        }
        let mut found = out.split_off(from);
        let undo = |slips: &Slips, found: &mut Vec<AtomId>| {
            slips.candidates(word, |candidate| {
                if self.words.contains_key(candidate) {
                    self.lookup_exact(candidate, found);
                }
            });
        };
        undo(&self.slips, &mut found);
        // The cues' fewer slips only for a word that is nothing else.
        if found.is_empty() {
            undo(&self.cue_slips, &mut found);
        }
        // A word the ruleset names nowhere, not even by a slip: a tool, an
        // acronym, a name the rules do not list.
        if found.is_empty() {
            found.extend(self.unknown);
        }
        found.sort_unstable();
        found.dedup();
        out.extend(found);
    }

    /// Appends the atoms `word` itself satisfies, sorted; tells whether it
    /// is one of the ruleset's words.
    #[inline]
    fn lookup_exact(&self, word: &str, out: &mut Vec<AtomId>) -> bool {
        let from = out.len();
        let known = self.words.get(word).map(|&id| out.push(id)).is_some();
        if let Some(list) = stem_key(word.as_bytes()).and_then(|key| self.stems.get(&key)) {
            for (stem, id) in list {
                if word.starts_with(&**stem) {
                    out.push(*id);
                }
            }
        }
        for (stem, id) in &self.short_stems {
            if word.starts_with(&**stem) {
                out.push(*id);
            }
        }
        if let Some(id) = self.digits {
            if word.chars().next().is_some_and(char::is_numeric) {
                out.push(id);
            }
        }
        if out.len() - from > 1 {
            out[from..].sort_unstable();
        }
        known
    }
}

/// The atom of a built-in class (`@digits`, `@unknown`), numbered the
/// first time a pattern asks for it.
fn reserve(slot: &mut Option<AtomId>, count: &mut u32) -> AtomId {
    *slot.get_or_insert_with(|| {
        *count += 1;
        *count - 1
    })
}

/// The key of the stem table: the first three bytes of `word` as one
/// number, hashed and compared in one step where a byte slice takes a
/// loop; `None` when `word` is shorter (a stem of fewer bytes, allowed by a
/// lowered `min_stem_chars`, goes to the short stems).
#[inline]
fn stem_key(word: &[u8]) -> Option<u32> {
    match *word {
        [a, b, c, ..] => Some(u32::from_le_bytes([a, b, c, 0])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_stems_and_numbers() {
        let mut a = Atoms::default();
        let manque = a.word("manque");
        let manqu = a.stem("manqu");
        let man = a.stem("man");
        let digits = a.digits();
        assert_eq!(a.word("manque"), manque);
        assert_eq!(a.stem("manqu"), manqu);
        let mut out = Vec::new();
        a.lookup("manque", &mut out);
        assert_eq!(out, {
            let mut v = vec![manque, manqu, man];
            v.sort();
            v
        });
        out.clear();
        a.lookup("manquez", &mut out);
        assert_eq!(out.len(), 2);
        out.clear();
        a.lookup("ma", &mut out);
        assert!(out.is_empty());
        a.lookup("2024", &mut out);
        assert_eq!(out, [digits]);
        let m = a.stem("m");
        out.clear();
        a.lookup("mot", &mut out);
        assert_eq!(out, [m]);
        assert_eq!(a.len(), 5);
        // Once asked for, the unknown atom marks a word nothing else names.
        let unknown = a.unknown();
        out.clear();
        a.lookup("zorglub", &mut out);
        assert_eq!(out, [unknown]);
        out.clear();
        a.lookup("manque", &mut out);
        assert!(!out.contains(&unknown));
        out.clear();
        a.lookup("2024", &mut out);
        assert_eq!(out, [digits]);
    }

    #[test]
    fn typos_of_long_words_find_their_word() {
        let mut a = Atoms::default();
        let insuffisant = a.word("insuffisant");
        let insuffis = a.stem("insuffis");
        let manque = a.word("manque");
        let mut out = Vec::new();
        a.lookup("insufisant", &mut out);
        assert!(out.is_empty(), "off by default");
        a.tolerate_typos(7, &[]);
        a.lookup("insufisant", &mut out);
        let mut both = vec![insuffisant, insuffis];
        both.sort();
        assert_eq!(out, both, "the word and the stems it satisfies");
        out.clear();
        a.lookup("insuffsiant", &mut out);
        assert_eq!(out, both);
        out.clear();
        a.lookup("manqeu", &mut out);
        assert!(out.is_empty(), "too short to correct: {manque}");
        a.lookup("insufsiant", &mut out);
        assert!(out.is_empty(), "two slips");
        a.lookup("1nsuffisant", &mut out);
        assert!(out.is_empty(), "not only letters");
        let later = a.word("connaissances");
        a.lookup("conaissances", &mut out);
        assert_eq!(out, [later], "a word added after tolerance was turned on");
    }

    #[test]
    fn fxhash_spreads_short_keys() {
        use std::hash::BuildHasher;
        let b = BuildHasherDefault::<FxHasher>::default();
        let h: std::collections::HashSet<u64> = ["de", "le", "la", "les", "des", "du", "un", "une"]
            .iter()
            .map(|w| b.hash_one(w))
            .collect();
        assert_eq!(h.len(), 8);
    }
}
