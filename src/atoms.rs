//! The words and stems of a ruleset, interned as *atoms*.
//!
//! Every literal of every pattern is one atom: an exact word (`manque`), a
//! stem (`competen*`) or "a number". Looking up a word of the text gives the
//! sorted list of atoms it satisfies, in two hash lookups whatever the size
//! of the ruleset: one in the table of exact words, one in the table of stems
//! keyed by their first three bytes (stems are at least three letters long).
//!
//! The hash is FxHash (the one rustc uses): the keys are short words chosen
//! by the ruleset's authors, not by an attacker, and it is several times
//! faster than SipHash on them.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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

/// Stems sharing their first bytes: (whole stem, atom).
type StemList = Vec<(Box<str>, AtomId)>;

/// Bytes of a stem used as the key of the stem table.
const STEM_KEY: usize = 3;

/// The interned words and stems of a ruleset.
#[derive(Debug, Default)]
pub(crate) struct Atoms {
    words: FxHashMap<Box<str>, AtomId>,
    /// Stems by their first bytes: (whole stem, atom).
    stems: FxHashMap<Box<[u8]>, StemList>,
    /// Stems shorter than the key (only with a lowered `min_stem_chars`).
    short_stems: StemList,
    digits: Option<AtomId>,
    count: u32,
}

impl Atoms {
    fn next(&mut self) -> AtomId {
        self.count += 1;
        self.count - 1
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
        id
    }

    /// The atom of a stem.
    pub fn stem(&mut self, p: &str) -> AtomId {
        if p.len() < STEM_KEY {
            if let Some((_, id)) = self.short_stems.iter().find(|(s, _)| &**s == p) {
                return *id;
            }
            let id = self.next();
            self.short_stems.push((p.into(), id));
            return id;
        }
        let key: Box<[u8]> = p.as_bytes()[..STEM_KEY].into();
        if let Some(list) = self.stems.get(&key) {
            if let Some((_, id)) = list.iter().find(|(s, _)| &**s == p) {
                return *id;
            }
        }
        let id = self.next();
        self.stems.entry(key).or_default().push((p.into(), id));
        id
    }

    /// The atom that matches any number.
    pub fn digits(&mut self) -> AtomId {
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
    #[inline]
    pub fn lookup(&self, word: &str, out: &mut Vec<AtomId>) {
        let from = out.len();
        if let Some(&id) = self.words.get(word) {
            out.push(id);
        }
        if word.len() >= STEM_KEY {
            if let Some(list) = self.stems.get(&word.as_bytes()[..STEM_KEY]) {
                for (stem, id) in list {
                    if word.starts_with(&**stem) {
                        out.push(*id);
                    }
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
