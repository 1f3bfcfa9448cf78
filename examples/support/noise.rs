//! Noise added to a labelled text, to measure what the classifier keeps of
//! its scores on noisy documents (shared by `eval --noise` and the corpus
//! tests).
//!
//! The labelling guide says noise never changes labels (rule 16), so a
//! labelled corpus with noise added is still labelled. Each kind is
//! deterministic: the same text and kind always give the same noisy text,
//! so that scores can be compared between versions.

use std::sync::OnceLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A kind of noise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Noise {
    /// One typing slip in about one word of eight of five letters or more:
    /// two neighbouring letters swapped, a letter left out, a letter typed
    /// twice or a vowel typed for another, never the first letter.
    Typos,
    /// Lines broken at the last space before 66 characters, as a mail
    /// client that hard-wraps.
    Wrap,
    /// Accents taken off (`experience`, `reponses`).
    NoAccents,
    /// Everything in capitals.
    Capitals,
    /// Texting: every common word that has a texting form takes it
    /// (`beaucoup` → `bcp`, `quelqu'un` → `qqn`, `your` → `ur`), some of
    /// them forms the rulesets' shorthand tables do not list.
    Texting,
}

impl Noise {
    /// Every kind, in the order reports list them.
    pub const ALL: [Noise; 5] = [
        Noise::Typos,
        Noise::Wrap,
        Noise::NoAccents,
        Noise::Capitals,
        Noise::Texting,
    ];

    /// The kind named `name` (`typos`, `wrap`, `no-accents`, `capitals`).
    pub fn parse(name: &str) -> Result<Noise, String> {
        Noise::ALL
            .into_iter()
            .find(|n| n.name() == name)
            .ok_or_else(|| {
                format!("unknown noise `{name}` (typos, wrap, no-accents, capitals, texting)")
            })
    }

    /// The name `parse` reads.
    pub fn name(self) -> &'static str {
        match self {
            Noise::Typos => "typos",
            Noise::Wrap => "wrap",
            Noise::NoAccents => "no-accents",
            Noise::Capitals => "capitals",
            Noise::Texting => "texting",
        }
    }

    /// `text` with this noise.
    pub fn apply(self, text: &str) -> String {
        match self {
            Noise::Typos => typos(text),
            Noise::Wrap => wrap(text, 66),
            Noise::NoAccents => text
                .nfd()
                .filter(|&c| !is_combining_mark(c))
                .nfc()
                .collect(),
            Noise::Capitals => text.to_uppercase(),
            Noise::Texting => texting(text),
        }
    }
}

/// Words and their texting forms, French then English.
const TEXTING: &[(&str, &str)] = &[
    ("beaucoup", "bcp"),
    ("pour", "pr"),
    ("toujours", "tjs"),
    ("pendant", "pdt"),
    ("quand", "qd"),
    ("dans", "ds"),
    ("tout", "tt"),
    ("avec", "avc"),
    ("quelqu'un", "qqn"),
    ("quelque chose", "qqch"),
    ("rendez-vous", "rdv"),
    ("je suis", "jsuis"),
    ("parce que", "pcq"),
    ("désolée?", "dsl"),
    ("s'il te plaît", "stp"),
    ("s'il vous plaît", "svp"),
    ("vous", "vs"),
    ("nous", "ns"),
    ("you", "u"),
    ("your", "ur"),
    ("thanks", "thx"),
    ("please", "pls"),
    ("about", "abt"),
    ("because", "bc"),
    ("though", "tho"),
    ("really", "rly"),
    ("people", "ppl"),
    ("years", "yrs"),
    ("experience", "exp"),
    ("sorry", "sry"),
    ("through", "thru"),
    ("until", "til"),
    ("questions", "qs"),
    ("kind of", "kinda"),
    ("probably", "prob"),
];

fn texting(text: &str) -> String {
    static RULES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let rules = RULES.get_or_init(|| {
        TEXTING
            .iter()
            .filter_map(|&(word, short)| {
                let apostrophe = word.replace('\'', "['’]");
                Regex::new(&format!(r"(?i)\b{apostrophe}\b"))
                    .ok()
                    .map(|r| (r, short))
            })
            .collect()
    });
    rules.iter().fold(text.to_string(), |t, (r, short)| {
        r.replace_all(&t, *short).into_owned()
    })
}

/// A small deterministic generator (SplitMix64), seeded by the text.
struct Dice(u64);

impl Dice {
    fn new(text: &str) -> Self {
        Dice(text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        }))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn typos(text: &str) -> String {
    let mut dice = Dice::new(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut word = Vec::new();
    // `None` ends the last word.
    for c in text.chars().map(Some).chain([None]) {
        if let Some(c) = c.filter(|c| c.is_alphabetic()) {
            word.push(c);
            continue;
        }
        if word.len() >= 5 && dice.below(8) == 0 {
            slip(&mut word, &mut dice);
        }
        out.extend(word.drain(..));
        out.extend(c);
    }
    out
}

/// One slip inside `word` (at least five letters), never its first letter.
fn slip(word: &mut Vec<char>, dice: &mut Dice) {
    let i = 1 + dice.below(word.len() - 2);
    match dice.below(4) {
        0 => word.swap(i, i + 1),
        1 => {
            word.remove(i);
        }
        2 => word.insert(i, word[i]),
        _ => {
            const VOWELS: [char; 5] = ['a', 'e', 'i', 'o', 'u'];
            if let Some(k) = VOWELS.iter().position(|&v| v == word[i]) {
                word[i] = VOWELS[(k + 1 + dice.below(4)) % 5];
            }
        }
    }
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut len = 0;
        for (k, word) in line.split(' ').enumerate() {
            let w = word.chars().count();
            if k > 0 && len > 0 && len + 1 + w > width {
                out.push('\n');
                len = 0;
            } else if k > 0 {
                out.push(' ');
                len += 1;
            }
            out.push_str(word);
            len += w;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_deterministic_and_keeps_the_words() {
        let text = "Votre expérience en gestion de projet reste insuffisante pour ce poste de responsable.";
        for kind in Noise::ALL {
            assert_eq!(kind.apply(text), kind.apply(text));
            assert_eq!(Noise::parse(kind.name()), Ok(kind));
        }
        assert_eq!(Noise::Wrap.apply(text).replace('\n', " "), text);
        assert!(
            Noise::Wrap
                .apply(text)
                .lines()
                .all(|l| l.chars().count() <= 66)
        );
        assert_eq!(
            Noise::NoAccents.apply("expérience réussie, très appréciée"),
            "experience reussie, tres appreciee"
        );
        assert_eq!(
            Noise::Texting.apply("Merci pour tout, quelqu’un vous rappellera. Thanks, see you"),
            "Merci pr tt, qqn vs rappellera. thx, see u"
        );
        let typed = Noise::Typos.apply(&text.repeat(4));
        assert_ne!(typed, text.repeat(4));
        assert_eq!(typed.split(' ').count(), text.repeat(4).split(' ').count());
    }
}
