//! The words and stems of a ruleset, interned as *atoms*.
//!
//! Every literal of every pattern is one atom: an exact word (`manque`), a
//! stem (`competen*`) or "a number". Looking up a word of the text gives the
//! sorted list of atoms it satisfies, in two hash lookups whatever the size
//! of the ruleset: one in the table of exact words, one in the table of stems
//! keyed by their first three bytes (stems are at least three letters long).
//!
//! A word of the text that is none of the ruleset's words may still be one
//! of them typed with a common slip — a doubled consonant typed once or a
//! single one typed twice, two neighbouring letters swapped (`insufisant`,
//! `experrience`, `experinece`) — when typo
//! tolerance is on (see [`Atoms::tolerate_typos`]). Such a word then
//! satisfies the atoms of the word it stands for. Only long words are
//! corrected, and only with slips that seldom turn one real word into
//! another (see `Atoms::lookup_typo`).
//!
//! The hash is FxHash (the one rustc uses): the keys are short words chosen
//! by the ruleset's authors, not by an attacker, and it is several times
//! faster than SipHash on them.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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
    count: u32,
    /// Shortest word forgiven a typing slip, in characters; 0: none is.
    typo_min_chars: usize,
    /// The letter sets (see [`letter_set`]) and lengths in characters of
    /// the words long enough to be forgiven a slip, sorted: a word whose
    /// letters make none of them, at its length or one letter more or
    /// less, is no slip away from any, and is not worth the candidate
    /// lookups.
    typo_letter_sets: Vec<(u64, u32)>,
}

snapshot_fields!(Atoms {
    words,
    stems,
    short_stems,
    digits,
    count,
    typo_min_chars,
    typo_letter_sets,
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
        if let Some(key) = self.typo_key(w) {
            if let Err(at) = self.typo_letter_sets.binary_search(&key) {
                self.typo_letter_sets.insert(at, key);
            }
        }
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

    /// Turns typo tolerance on for words of at least `min_chars`
    /// characters (0: off).
    pub fn tolerate_typos(&mut self, min_chars: usize) {
        self.typo_min_chars = min_chars;
        self.index_letter_sets();
    }

    fn index_letter_sets(&mut self) {
        let mut sets: Vec<(u64, u32)> =
            self.words.keys().filter_map(|w| self.typo_key(w)).collect();
        sets.sort_unstable();
        sets.dedup();
        self.typo_letter_sets = sets;
    }

    /// The letter set and length a ruleset word is indexed under for typing
    /// slips; `None` when typo tolerance is off or the word is too short
    /// (a text word of `typo_min_chars` can be a slip away from a word one
    /// letter shorter).
    fn typo_key(&self, word: &str) -> Option<(u64, u32)> {
        (self.typo_min_chars > 0 && correctable(word, self.typo_min_chars - 1))
            .then(|| (letter_set(word), word.chars().count() as u32))
    }

    /// Which lengths the ruleset's words with the letters of `word` have,
    /// next to its own: (one letter less, the same, one letter more).
    fn typo_lengths(&self, word: &str) -> (bool, bool, bool) {
        if self.typo_min_chars == 0 || !correctable(word, self.typo_min_chars) {
            return (false, false, false);
        }
        let (set, len) = (letter_set(word), word.chars().count() as u32);
        let has = |len: u32| self.typo_letter_sets.binary_search(&(set, len)).is_ok();
        (has(len - 1), has(len), has(len + 1))
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
        let lengths = self.typo_lengths(word);
        if lengths == (false, false, false) {
            return;
        }
        let mut found = out.split_off(from);
        self.lookup_typo(word, lengths, &mut found);
        found.sort_unstable();
        found.dedup();
        out.extend(found);
    }

    /// Appends the atoms of the ruleset's words `word` is one typing slip
    /// away from: each way of undoing a slip gives one candidate, looked up
    /// like any word — no index, no memory, a few dozen hash lookups for a
    /// word no rule knows.
    #[cold]
    fn lookup_typo(&self, word: &str, lengths: (bool, bool, bool), out: &mut Vec<AtomId>) {
        let (shorter, same, longer) = lengths;
        let chars: Vec<char> = word.chars().collect();
        let mut candidate = String::with_capacity(word.len() + 4);
        let mut try_candidate = |candidate: &str| {
            if self.words.contains_key(candidate) {
                self.lookup_exact(candidate, out);
            }
        };
        for i in 0..chars.len() {
            // A doubled consonant typed once: double it back (once per run).
            let c = chars[i];
            if longer && !is_vowel(c) && chars.get(i + 1) != Some(&c) {
                candidate.clear();
                candidate.extend(&chars[..=i]);
                candidate.extend(&chars[i..]);
                try_candidate(&candidate);
            }
            // A consonant typed twice: type it once.
            if shorter && !is_vowel(c) && chars.get(i + 1) == Some(&c) {
                candidate.clear();
                candidate.extend(&chars[..i]);
                candidate.extend(&chars[i + 1..]);
                try_candidate(&candidate);
            }
            // Two neighbouring letters swapped, not at the end.
            if same && i + 2 < chars.len() && chars[i] != chars[i + 1] {
                candidate.clear();
                candidate.extend(&chars[..i]);
                candidate.push(chars[i + 1]);
                candidate.push(chars[i]);
                candidate.extend(&chars[i + 2..]);
                try_candidate(&candidate);
            }
        }
        if chars.len() < DROP_MIN_CHARS {
            return;
        }
        for i in 1..chars.len() - 1 {
            // A letter the word holds elsewhere dropped inside it ("postion",
            // "managment"): type it back. Never first or last, where a
            // letter more or less is an inflection ("médical", "médicale"),
            // nor a vowel next to itself ("affiches", "affichées").
            if longer {
                let mut seen = 0u64;
                for &c in &chars {
                    let bit = letter_bit(c);
                    let doubles = is_vowel(c) && (chars[i - 1] == c || chars[i] == c);
                    if seen & bit != 0 || doubles {
                        continue;
                    }
                    seen |= bit;
                    candidate.clear();
                    candidate.extend(&chars[..i]);
                    candidate.push(c);
                    candidate.extend(&chars[i..]);
                    try_candidate(&candidate);
                }
            }
            // A letter typed again two letters on, a stutter ("posistion",
            // "situtation"): drop it. Not a vowel next to itself
            // ("experieence" spells an inflection), nor a letter the word
            // holds further away ("mutualiste" is no slip of "mutualise").
            let c = chars[i];
            let doubled_vowel = is_vowel(c) && (chars[i - 1] == c || chars[i + 1] == c);
            let stutter = chars[i - 1] != c
                && chars[i + 1] != c
                && (chars.get(i + 2) == Some(&c) || (i >= 2 && chars[i - 2] == c));
            if shorter && chars.len() > DROP_MIN_CHARS && !doubled_vowel && stutter {
                candidate.clear();
                candidate.extend(&chars[..i]);
                candidate.extend(&chars[i + 1..]);
                try_candidate(&candidate);
            }
        }
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

/// Shortest word, in characters, in which a letter dropped or typed once
/// too often is forgiven: in shorter words such a slip mostly makes
/// another word.
const DROP_MIN_CHARS: usize = 7;

/// The set of characters of `word`, as bits (`a`–`z` exactly, others
/// hashed). No slip the matcher forgives changes it: swapping two
/// letters, typing a doubled one once or a single one twice leaves the
/// same letters.
fn letter_set(word: &str) -> u64 {
    word.chars().fold(0, |set, c| set | letter_bit(c))
}

/// The bit of `c` in a [`letter_set`].
fn letter_bit(c: char) -> u64 {
    let bit = match c {
        'a'..='z' => c as u32 - 'a' as u32,
        _ => 26 + c as u32 % 38,
    };
    1 << bit
}

/// Whether `word` is long enough and made of letters only (numbers and
/// codes are never corrected).
fn correctable(word: &str, min_chars: usize) -> bool {
    word.len() >= min_chars
        && word.chars().count() >= min_chars
        && word.chars().all(char::is_alphabetic)
}

/// Vowels are never "doubled back": a doubled vowel is an inflection
/// (`affichée`, `affichées`), not a slip.
fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
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
    fn typing_slips() {
        let found = corrector(&[
            "insuffisant",
            "connaissances",
            "interruption",
            "experience",
            "clairement",
            "maisons",
            "medical",
            "pourtant",
            "affichees",
            "traiter",
        ]);
        assert_eq!(found("insufisant"), Some("insuffisant"));
        assert_eq!(found("conaissances"), Some("connaissances"));
        assert_eq!(found("interuption"), Some("interruption"));
        assert_eq!(found("experinece"), Some("experience"));
        assert_eq!(found("claireemnt"), Some("clairement"));
        assert_eq!(found("insuffissant"), Some("insuffisant"));
        assert_eq!(found("experrience"), Some("experience"));
        // Edits that mostly make another real word are never forgiven.
        assert_eq!(found("raisons"), None, "replaced letter");
        assert_eq!(found("medicale"), None, "added letter");
        assert_eq!(found("portant"), None, "dropped letter, not doubled");
        assert_eq!(found("affiches"), None, "doubled vowel");
        assert_eq!(found("experieence"), None, "vowel typed twice");
        assert_eq!(found("traitre"), None, "swapped at the end");
        assert_eq!(found("expreinece"), None, "two slips");
    }

    /// What a text word is taken for among `words`, typos forgiven from
    /// six letters.
    fn corrector(words: &[&'static str]) -> impl Fn(&str) -> Option<&'static str> {
        let mut a = Atoms::default();
        let ids: Vec<AtomId> = words.iter().map(|w| a.word(w)).collect();
        a.tolerate_typos(6);
        let words = words.to_vec();
        move |typed| {
            let mut out = Vec::new();
            a.lookup(typed, &mut out);
            out.first()
                .map(|id| words[ids.iter().position(|x| x == id).unwrap_or(0)])
        }
    }

    #[test]
    fn dropped_and_stuttered_letters_in_long_words() {
        let found = corrector(&[
            "position",
            "management",
            "situation",
            "mutualise",
            "affichees",
        ]);
        assert_eq!(found("postion"), Some("position"), "dropped letter");
        assert_eq!(found("managment"), Some("management"), "dropped letter");
        assert_eq!(found("posistion"), Some("position"), "stutter");
        assert_eq!(found("situtation"), Some("situation"), "stutter");
        assert_eq!(found("positio"), None, "last letter: an inflection");
        assert_eq!(found("ositions"), None, "first letter");
        assert_eq!(found("mutualiste"), None, "a letter from far away");
        assert_eq!(found("affiches"), None, "a vowel next to itself");
        assert_eq!(found("posiion"), None, "two slips");
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
        a.tolerate_typos(7);
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
