//! Typing slips: which word of the ruleset a misspelt word of the text
//! stands for.
//!
//! Feedback is typed in a hurry, and a rule that waits for `expérience`
//! should still read `experiance`, `experinece` or `experrience`. A word of
//! the text that is none of the ruleset's words may be one of them typed
//! with one slip:
//!
//! - two neighbouring letters swapped (`experinece`, `bonsu`);
//! - a letter typed twice, next to itself (`experrience`) or two letters on
//!   (`posistion`);
//! - a letter left out (`postion`, `skils`);
//! - a vowel typed for another (`experiance`, `compétance`).
//!
//! Many real words are one such edit away from another, so some edits are
//! never forgiven, where they mostly make a real word rather than a slip:
//! the first letter; the last letter, where a letter more or less is an
//! inflection (`médical`, `médicale`); a vowel next to itself or changed
//! among the last three letters (`affichée`/`affichées`,
//! `annonçant`/`annoncent`); a letter other than a vowel typed for another
//! (`marquer`/`manquer`); and in short words, any slip but a swap or a
//! doubled letter. The engine's cues that turn a sentence, a negation or a
//! contrast, are kept apart, in an index of their own that forgives only
//! a swap or a doubled letter in a word of six letters or more (`jamias`,
//! `jammais`, `nothnig` are slips of `jamais` and `nothing`): those make
//! no other word, where a letter left out would (`noting` is no slip of
//! `nothing`).
//!
//! Trying every way of undoing every slip on every unknown word would cost
//! more than the matching itself, and most words of a text are none of the
//! ruleset's. So the ruleset's words are indexed by hashes of themselves
//! and of themselves with one letter left out (their *deletion
//! neighbourhood*, as in SymSpell): a word one slip away from a ruleset
//! word shares one of these keys with it, found with one hash lookup per
//! letter. Only then are the spellings that undo the slip built and looked
//! up. The keys are kept in Bloom filters (a few hundred kilobytes for the
//! French ruleset, read in a fraction of a millisecond), so a key may be
//! found that was never inserted: like a hash collision, that only costs a
//! lookup that finds nothing.

use crate::snapshot::snapshot_fields;

/// Longest word, in characters, looked at for slips (longer ones are
/// codes, URLs or words glued together).
const MAX_CHARS: usize = 32;

/// Shortest typed word, in characters, in which a letter left out (other
/// than one of a doubled consonant) or typed again two letters on is
/// forgiven: in shorter words such a slip mostly makes another word.
const DROP_MIN_CHARS: usize = 6;

/// Shortest typed word, in characters, in which one vowel typed for
/// another is forgiven.
const VOWEL_MIN_CHARS: usize = 8;

/// Shortest word, in characters, in which a cue that turns a sentence is
/// forgiven a slip (see [`Slips::cues`]).
pub(crate) const CUE_MIN_CHARS: usize = 6;

/// Vowels a slip may turn into one another.
const VOWELS: [char; 5] = ['a', 'e', 'i', 'o', 'u'];

/// The multiplier of the polynomial hash of spellings.
const BASE: u32 = 0x0100_0193;

/// `BASE` to the power of each index.
const POWERS: [u32; MAX_CHARS + 1] = {
    let mut p = [1u32; MAX_CHARS + 1];
    let mut i = 1;
    while i <= MAX_CHARS {
        p[i] = p[i - 1].wrapping_mul(BASE);
        i += 1;
    }
    p
};

/// The ruleset's words as keys for slips: see the module documentation.
#[derive(Debug, Default)]
pub(crate) struct Slips {
    /// Shortest typed word forgiven a slip, in characters; 0: none is.
    min_chars: u32,
    /// Only two letters swapped or one typed twice are forgiven (the
    /// index of the cues that turn a sentence).
    strict: bool,
    /// Hashes of the ruleset's words.
    words: Bloom,
    /// Hashes of the ruleset's words with one letter left out, never the
    /// first nor the last.
    less_one: Bloom,
}

snapshot_fields!(Slips {
    min_chars,
    strict,
    words,
    less_one,
});

/// A Bloom filter of 32-bit keys: three bits per key in an array of at
/// least sixteen bits per key. A key never inserted is found about once
/// in two hundred times.
#[derive(Debug, Default)]
struct Bloom {
    bits: Vec<u64>,
    /// 32 less the base-2 logarithm of the number of bits.
    shift: u32,
}

snapshot_fields!(Bloom { bits, shift });

impl Bloom {
    /// An empty filter sized for about `keys` keys.
    fn with_capacity(keys: usize) -> Self {
        let bits = keys
            .saturating_mul(16)
            .clamp(1 << 10, 1 << 30)
            .next_power_of_two();
        Bloom {
            bits: vec![0; bits / 64],
            shift: 32 - bits.trailing_zeros(),
        }
    }

    /// The three bits of `key`: `h1 + i·h2` for two well-mixed hashes
    /// (the polynomial keys of similar words are too alike for a single
    /// multiplication to spread them).
    fn probes(&self, key: u32) -> [usize; 3] {
        let h1 = fmix32(key);
        let h2 = fmix32(key ^ 0x9E37_79B9) | 1;
        let mask = (u32::MAX >> self.shift) as usize;
        [0u32, 1, 2].map(|i| h1.wrapping_add(i.wrapping_mul(h2)) as usize & mask)
    }

    fn insert(&mut self, key: u32) {
        if self.bits.is_empty() {
            *self = Bloom::with_capacity(0);
        }
        for p in self.probes(key) {
            self.bits[p / 64] |= 1 << (p % 64);
        }
    }

    fn contains(&self, key: u32) -> bool {
        !self.bits.is_empty()
            && self.probes(key).iter().all(|&p| {
                self.bits
                    .get(p / 64)
                    .is_some_and(|w| w & (1 << (p % 64)) != 0)
            })
    }
}

impl Slips {
    /// Slips forgiven in words of at least `min_chars` characters (0:
    /// none), between the text and `words`.
    pub fn new<'a>(min_chars: usize, words: impl IntoIterator<Item = &'a str>) -> Self {
        let words: Vec<&str> = words.into_iter().collect();
        let letters = words.iter().map(|w| w.len()).sum();
        let mut slips = Slips {
            min_chars: u32::try_from(min_chars).unwrap_or(u32::MAX),
            strict: false,
            words: Bloom::with_capacity(words.len()),
            less_one: Bloom::with_capacity(letters),
        };
        for w in words {
            slips.add(w);
        }
        slips
    }

    /// The slips forgiven towards the cues that turn a sentence (negations,
    /// contrasts…): in words of at least [`CUE_MIN_CHARS`] characters, and
    /// when tolerance is on at all (`min_chars` > 0), only two neighbouring
    /// letters swapped or a letter typed twice next to itself.
    pub fn cues<'a>(min_chars: usize, words: impl IntoIterator<Item = &'a str>) -> Self {
        let min_chars = if min_chars == 0 {
            0
        } else {
            min_chars.max(CUE_MIN_CHARS)
        };
        Slips {
            strict: true,
            ..Slips::new(min_chars, words)
        }
    }

    /// Indexes one more ruleset word.
    pub fn add(&mut self, word: &str) {
        // A typed word of `min_chars` may be a ruleset word one letter
        // shorter, with a letter typed twice.
        let Some(s) = self.spelling(word, 1) else {
            return;
        };
        self.words.insert(s.whole());
        for i in 1..s.len.saturating_sub(1) {
            self.less_one.insert(s.without(i));
        }
    }

    /// Calls `try_word` with each spelling that undoes one forgiven slip
    /// in `word` and may be a ruleset word (most are; a hash collision
    /// gives one that is not). `word` is folded and none of the ruleset's
    /// words.
    pub fn candidates(&self, word: &str, mut try_word: impl FnMut(&str)) {
        let Some(s) = self.spelling(word, 0) else {
            return;
        };
        let t = &s.chars[..s.len];
        let mut candidate = String::with_capacity(word.len() + 4);
        // A spelling is `t` cut in two around what the slip changed
        // (`head`, `tail`) with the letters that undo it (`mid`) between:
        // pushed letter by letter, which is several times cheaper than
        // collecting an iterator of them.
        let mut try_parts = |head: &[char], mid: &[char], tail: &[char]| {
            candidate.clear();
            for part in [head, mid, tail] {
                part.iter().for_each(|&c| candidate.push(c));
            }
            try_word(&candidate);
        };
        if !self.strict && self.less_one.contains(s.whole()) {
            for (i, c) in left_out(t) {
                try_parts(&t[..i], &[c], &t[i..]);
            }
        }
        for i in 1..t.len() {
            let h = s.without(i);
            let extra = if self.strict {
                t[i - 1] == t[i]
            } else {
                extra_letter(t, i)
            };
            if extra && self.words.contains(h) {
                try_parts(&t[..i], &[], &t[i + 1..]);
            }
            if !self.less_one.contains(h) {
                continue;
            }
            // One letter differs at `i`, or `i` and a neighbour swapped.
            for v in other_vowels(t, i).filter(|_| !self.strict) {
                try_parts(&t[..i], &[v], &t[i + 1..]);
            }
            for a in [i, i - 1] {
                let b = a + 1;
                if a >= 1 && b < t.len() && t[a] != t[b] {
                    try_parts(&t[..a], &[t[b], t[a]], &t[b + 1..]);
                }
            }
        }
    }

    /// The hashes of `word` if it may hold a slip: tolerance on, at least
    /// `min_chars - shorter_by` characters, letters only.
    fn spelling(&self, word: &str, shorter_by: usize) -> Option<Spelling> {
        let min = (self.min_chars as usize).checked_sub(shorter_by)?;
        if self.min_chars == 0 || word.len() < min || word.len() > 4 * MAX_CHARS {
            return None;
        }
        Spelling::new(word).filter(|s| s.len >= min)
    }
}

/// The letters that may have been left out of `t`, and where: before
/// index `i`, never first nor last; any letter in a word long enough,
/// otherwise only a consonant doubling its neighbour (`skils`); never a
/// vowel next to itself (`affichées` is no slip of `affiches`).
fn left_out(t: &[char]) -> impl Iterator<Item = (usize, char)> + '_ {
    (1..t.len()).flat_map(move |i| {
        ('a'..='z')
            .filter(move |&c| {
                let beside = t[i - 1] == c || t[i] == c;
                if is_vowel(c) {
                    t.len() >= DROP_MIN_CHARS && !beside
                } else {
                    t.len() >= DROP_MIN_CHARS || beside
                }
            })
            .map(move |c| (i, c))
    })
}

/// Whether the letter at `i` may have been typed once too often: inside
/// the word, next to itself (a vowel only before the last three letters:
/// `employée` is no slip of `employé`), or two letters on in a word long
/// enough (`posistion`; not `mutualiste`, whose `t` comes from far away).
fn extra_letter(t: &[char], i: usize) -> bool {
    let n = t.len();
    if i == 0 || i + 1 >= n {
        return false;
    }
    let c = t[i];
    if t[i - 1] == c || t[i + 1] == c {
        return !is_vowel(c) || i + 3 < n;
    }
    let stutter = t.get(i + 2) == Some(&c) || (i >= 2 && t[i - 2] == c);
    n >= DROP_MIN_CHARS && stutter
}

/// The vowels that may stand where `t[i]` was typed: `t[i]` is a vowel
/// inside a word long enough, before its last three letters.
fn other_vowels(t: &[char], i: usize) -> impl Iterator<Item = char> + '_ {
    let may = t.len() >= VOWEL_MIN_CHARS && i >= 1 && i + 3 < t.len() && VOWELS.contains(&t[i]);
    VOWELS.into_iter().filter(move |&v| may && v != t[i])
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// A word as characters with the hashes of its prefixes and suffixes, so
/// that the hash of the word less any one letter takes two operations.
struct Spelling {
    chars: [char; MAX_CHARS],
    len: usize,
    /// `prefix[i]`: hash of the first `i` letters.
    prefix: [u32; MAX_CHARS + 1],
    /// `suffix[i]`: the letters from `i` on, weighted by their place in
    /// the whole word.
    suffix: [u32; MAX_CHARS + 1],
}

impl Spelling {
    /// `None` unless `word` is made of 1 to `MAX_CHARS` letters.
    fn new(word: &str) -> Option<Self> {
        let mut s = Spelling {
            chars: ['\0'; MAX_CHARS],
            len: 0,
            prefix: [0; MAX_CHARS + 1],
            suffix: [0; MAX_CHARS + 1],
        };
        for c in word.chars() {
            if s.len == MAX_CHARS || !c.is_alphabetic() {
                return None;
            }
            s.chars[s.len] = c;
            s.prefix[s.len + 1] = s.prefix[s.len].wrapping_mul(BASE).wrapping_add(code(c));
            s.len += 1;
        }
        for i in (0..s.len).rev() {
            let weight = POWERS[s.len - 1 - i];
            s.suffix[i] = code(s.chars[i])
                .wrapping_mul(weight)
                .wrapping_add(s.suffix[i + 1]);
        }
        (s.len > 0).then_some(s)
    }

    /// The hash of the whole word.
    fn whole(&self) -> u32 {
        self.suffix[0]
    }

    /// The hash of the word less its letter at `i` (`i < len`): the same
    /// as the hash of that shorter word spelt out.
    fn without(&self, i: usize) -> u32 {
        self.prefix[i]
            .wrapping_mul(POWERS[self.len - 1 - i])
            .wrapping_add(self.suffix[i + 1])
    }
}

/// MurmurHash3's finalizer: every bit of the result depends on every bit
/// of `h`.
fn fmix32(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85EB_CA6B);
    h ^= h >> 13;
    h = h.wrapping_mul(0xC2B2_AE35);
    h ^ (h >> 16)
}

/// A character's weight in the hash (never 0, so that letters count even
/// at the front).
fn code(c: char) -> u32 {
    c as u32 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `typed` is taken for among `words`, slips forgiven from five
    /// letters (as the shipped rulesets do).
    fn found(words: &[&str], typed: &str) -> Vec<String> {
        found_by(&Slips::new(5, words.iter().copied()), words, typed)
    }

    /// What `slips` take `typed` for among `words`, each word once.
    fn found_by(slips: &Slips, words: &[&str], typed: &str) -> Vec<String> {
        let mut out = Vec::new();
        slips.candidates(typed, |c| {
            if words.contains(&c) && !out.iter().any(|o| o == c) {
                out.push(c.to_string());
            }
        });
        out
    }

    #[test]
    fn a_cue_is_forgiven_only_a_swap_or_a_doubled_letter_from_six_letters() {
        let words = ["jamais", "nothing", "never"];
        let slips = Slips::cues(5, words);
        let found = |typed: &str| found_by(&slips, &words, typed);
        assert_eq!(found("jamias"), ["jamais"]);
        assert_eq!(found("jammais"), ["jamais"]);
        assert_eq!(found("nothnig"), ["nothing"]);
        // A letter left out, a vowel changed, two slips, or a word under
        // six letters: none is forgiven ("noting" is no slip of "nothing").
        for typed in ["noting", "jmais", "jameis", "nottihng", "nevre"] {
            assert!(found(typed).is_empty(), "{typed}");
        }
        assert!(Slips::cues(0, words).min_chars == 0);
    }

    #[test]
    fn hash_without_a_letter_is_the_hash_of_the_shorter_word() {
        let s = Spelling::new("expérience").unwrap();
        for i in 0..s.len {
            let shorter: String = s.chars[..s.len]
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, c)| c)
                .collect();
            assert_eq!(s.without(i), Spelling::new(&shorter).unwrap().whole());
        }
    }

    #[test]
    fn each_slip_finds_its_word() {
        let words = ["experience", "position", "skills", "poste", "insuffisant"];
        for (typed, word) in [
            ("experinece", "experience"),
            ("expereince", "experience"),
            ("psote", "poste"),
            ("experienec", "experience"),
            ("experrience", "experience"),
            ("experieence", "experience"),
            ("posistion", "position"),
            ("postion", "position"),
            ("positon", "position"),
            ("skils", "skills"),
            ("experiance", "experience"),
            ("insufisant", "insuffisant"),
            ("experence", "experience"),
            ("posiion", "position"),
        ] {
            assert_eq!(found(&words, typed), [word], "{typed}");
        }
    }

    #[test]
    fn edits_that_mostly_make_real_words_are_not_forgiven() {
        let words = [
            "maisons",
            "medical",
            "affichees",
            "employe",
            "annoncent",
            "mutualise",
            "manquer",
            "salaire",
            "poste",
            "langue",
        ];
        for typed in [
            "raisons",    // first letter
            "medicale",   // a letter added at the end
            "affiches",   // a vowel left out next to itself
            "employee",   // a vowel doubled among the last three letters
            "annoncant",  // a vowel changed among the last three letters
            "mutualiste", // a letter from far away
            "marquer",    // a consonant for another
            "solaire",    // a vowel for another in a short word
            "poser",      // a letter left out of a short word, not doubled
            "longue",     // a vowel for another in a short word
            "edicale",    // two slips
        ] {
            assert_eq!(found(&words, typed), Vec::<String>::new(), "{typed}");
        }
    }

    #[test]
    fn words_too_short_long_or_not_letters_are_left_alone() {
        let slips = Slips::new(5, ["skill", "a1b2c3"]);
        let mut tried = 0;
        for typed in ["skil", "sklil1", "a1b2c4", &"s".repeat(40)] {
            slips.candidates(typed, |_| tried += 1);
        }
        assert_eq!(tried, 0);
        Slips::new(0, ["skills"]).candidates("skils", |_| tried += 1);
        assert_eq!(tried, 0, "tolerance off");
    }

    #[test]
    fn the_key_filters_seldom_find_a_key_never_inserted() {
        // Letters only: words of the ruleset and of the text are made of
        // them.
        let spell = |n: usize| -> String {
            n.to_string()
                .bytes()
                .map(|d| char::from(b'a' + d - b'0'))
                .collect()
        };
        let words: Vec<String> = (0..20_000)
            .map(|i| format!("mot{}e{}", spell(i * 7), spell(i)))
            .collect();
        let slips = Slips::new(5, words.iter().map(String::as_str));
        for w in &words {
            assert!(
                slips
                    .words
                    .contains(Spelling::new(w).map_or(0, |s| s.whole())),
                "{w}"
            );
        }
        let found = (0..100_000)
            .filter_map(|i| Spelling::new(&format!("zq{}x{}", spell(i * 3), spell(i))))
            .filter(|s| slips.less_one.contains(s.whole()) || slips.words.contains(s.whole()))
            .count();
        assert!(
            found < 500,
            "{found} of 100 000 words never inserted were found"
        );
    }

    proptest::proptest! {
        /// Every slip the module documentation promises is undone: for
        /// any word, a swap, a doubled consonant, a letter left out or a
        /// vowel for another, where allowed, gives the word back among
        /// the candidates.
        #[test]
        fn every_promised_slip_finds_its_word(
            word in "[bcdfgklmnprstv][aeiou][a-z]{6,14}",
            at in 1usize..100,
            kind in 0usize..4,
            vowel in 0usize..5,
        ) {
            let w: Vec<char> = word.chars().collect();
            let n = w.len();
            let i = 1 + at % (n - 2);
            let typed: Option<Vec<char>> = match kind {
                // Two neighbouring letters swapped.
                0 if w[i] != w[i + 1] => {
                    let mut t = w.clone();
                    t.swap(i, i + 1);
                    Some(t)
                }
                // A consonant typed twice.
                1 if !is_vowel(w[i]) => {
                    let mut t = w.clone();
                    t.insert(i, w[i]);
                    Some(t)
                }
                // A letter left out, not a vowel beside itself.
                2 if !(is_vowel(w[i]) && (w[i - 1] == w[i] || w[i + 1] == w[i])) => {
                    let mut t = w.clone();
                    t.remove(i);
                    Some(t)
                }
                // A vowel for another, before the last three letters.
                3 if VOWELS.contains(&w[i]) && i + 3 < n && VOWELS[vowel] != w[i] => {
                    let mut t = w.clone();
                    t[i] = VOWELS[vowel];
                    Some(t)
                }
                _ => None,
            };
            if let Some(typed) = typed {
                let typed: String = typed.into_iter().collect();
                let slips = Slips::new(5, [word.as_str()]);
                let mut found = false;
                slips.candidates(&typed, |c| found |= c == word);
                proptest::prop_assert!(found || typed == word, "{typed} for {word}");
            }
        }
    }
}
