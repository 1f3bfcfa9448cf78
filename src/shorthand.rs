//! Shorthands: the texting and note-taking abbreviations of a language,
//! read as the words they stand for.
//!
//! Candidates forward feedback typed on a phone and their own call notes:
//! « t'as pas bcp d'exp », « on a pris qqn en interne », "ur answers were
//! 2 long, thx". Rules are written with the full words, once; a ruleset's
//! `[shorthands]` table (`bcp = "beaucoup"`, `qqn = "quelqu'un"`,
//! `ur = "your"`) says how each abbreviation reads, and each shorthand of
//! the text is replaced by the words of its expansion before any pattern
//! is tried. Each of those words still reads as the shorthand too, so that
//! a pattern that spells it (`(bcp | beaucoup) de`) keeps matching. The
//! tokens of an expansion all carry the span of the shorthand itself, so
//! evidence still quotes the original text. Which abbreviations a language
//! has is data, like every other word the engine knows.

use crate::atoms::FxHashMap;
use crate::snapshot::snapshot_fields;
use crate::token::{NO_ALIAS, Token};

/// Most words a shorthand may stand for.
pub(crate) const MAX_EXPANSION_WORDS: usize = 4;

/// A ruleset's shorthands, keyed by their folded spelling.
#[derive(Debug, Default)]
pub(crate) struct Shorthands {
    /// Folded shorthand → the range of `words` it stands for.
    map: FxHashMap<Box<str>, (u32, u32)>,
    /// The words of every expansion, folded, one after the other.
    words: Vec<Box<str>>,
    /// The longest shorthand, in bytes: longer words are not looked up.
    longest: usize,
    /// A bit for the length, first and last byte of each shorthand (see
    /// [`sketch`]): most words of a text are short too, and a word whose
    /// bit is clear is no shorthand, without hashing it.
    sketch: Vec<u64>,
}

snapshot_fields!(Shorthands {
    map,
    words,
    longest,
    sketch,
});

/// Bits in [`Shorthands::sketch`].
const SKETCH_BITS: usize = 1024;

/// The sketch bit of a word: its length, first and last byte mixed.
fn sketch(word: &[u8]) -> usize {
    let (first, last) = match word {
        [] => (0, 0),
        [a, .., b] => (*a, *b),
        [a] => (*a, *a),
    };
    let mixed = (word.len() as u32)
        .wrapping_mul(0x9E37)
        .wrapping_add(u32::from(first) * 31)
        .wrapping_add(u32::from(last) * 1009);
    mixed as usize % SKETCH_BITS
}

impl Shorthands {
    /// Shorthands from (folded shorthand, folded words of its expansion)
    /// pairs, checked by the caller: one word each, 1 to
    /// [`MAX_EXPANSION_WORDS`] words.
    pub fn new(entries: impl IntoIterator<Item = (String, Vec<String>)>) -> Self {
        let mut s = Shorthands {
            sketch: vec![0; SKETCH_BITS / 64],
            ..Shorthands::default()
        };
        for (key, expansion) in entries {
            let bit = sketch(key.as_bytes());
            s.sketch[bit / 64] |= 1 << (bit % 64);
            let from = s.words.len() as u32;
            s.words
                .extend(expansion.into_iter().map(String::into_boxed_str));
            s.longest = s.longest.max(key.len());
            s.map
                .insert(key.into_boxed_str(), (from, s.words.len() as u32));
        }
        s
    }

    /// Replaces each token of `folded` that is a shorthand by the words it
    /// stands for (tokens over the same span, with the punctuation marks of
    /// the shorthand, and a line break before it, on the first). `spare` is
    /// scratch space.
    pub fn expand(&self, folded: &str, tokens: &mut Vec<Token>, spare: &mut Vec<Token>) {
        let Some(first) = tokens.iter().position(|t| self.find(folded, t).is_some()) else {
            return;
        };
        spare.clear();
        spare.extend_from_slice(&tokens[..first]);
        for t in &tokens[first..] {
            match self.find(folded, t) {
                Some((from, to)) => {
                    for (k, alias) in (from..to).enumerate() {
                        let mut word = *t;
                        word.alias = alias;
                        if k > 0 {
                            word.barrier_before = false;
                            word.comma_before = false;
                            word.line_before = false;
                        }
                        spare.push(word);
                    }
                }
                None => spare.push(*t),
            }
        }
        std::mem::swap(tokens, spare);
    }

    /// The expansion word a token of a shorthand reads as (`None` for
    /// other tokens).
    #[inline]
    pub fn alias(&self, t: &Token) -> Option<&str> {
        match t.alias {
            NO_ALIAS => None,
            alias => self.words.get(alias as usize).map(|w| &**w),
        }
    }

    /// The expansion of the token `t`, if it is a shorthand.
    #[inline]
    fn find(&self, folded: &str, t: &Token) -> Option<(u32, u32)> {
        let len = (t.end - t.start) as usize;
        if len > self.longest || t.alias != NO_ALIAS {
            return None;
        }
        let word = folded.get(t.start as usize..t.end as usize)?;
        let bit = sketch(word.as_bytes());
        if self
            .sketch
            .get(bit / 64)
            .is_none_or(|w| w & (1 << (bit % 64)) == 0)
        {
            return None;
        }
        self.map.get(word).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;

    fn read(shorthands: &Shorthands, folded: &str) -> Vec<(String, &'static str)> {
        let (mut tokens, mut spare) = (Vec::new(), Vec::new());
        tokenize(folded, &mut tokens);
        shorthands.expand(folded, &mut tokens, &mut spare);
        tokens
            .iter()
            .map(|t| {
                let span = &folded[t.start as usize..t.end as usize];
                let marks = match (t.barrier_before, t.comma_before) {
                    (true, _) => ";",
                    (_, true) => ",",
                    _ => "",
                };
                let word = shorthands.alias(t).unwrap_or(span);
                (format!("{word}={span}"), marks)
            })
            .collect()
    }

    #[test]
    fn shorthands_read_as_their_words_over_their_own_span() {
        let s = Shorthands::new([
            ("bcp".to_string(), vec!["beaucoup".to_string()]),
            (
                "qqn".to_string(),
                vec!["quelqu".to_string(), "un".to_string()],
            ),
        ]);
        assert_eq!(
            read(&s, "pas bcp d'exp, on a pris qqn"),
            [
                ("pas=pas".to_string(), ""),
                ("beaucoup=bcp".to_string(), ""),
                ("d=d".to_string(), ""),
                ("exp=exp".to_string(), ""),
                ("on=on".to_string(), ","),
                ("a=a".to_string(), ""),
                ("pris=pris".to_string(), ""),
                ("quelqu=qqn".to_string(), ""),
                ("un=qqn".to_string(), ""),
            ]
        );
        // Punctuation before a shorthand stays before its first word only.
        assert_eq!(
            read(&s, "ok ; qqn"),
            [
                ("ok=ok".to_string(), ""),
                ("quelqu=qqn".to_string(), ";"),
                ("un=qqn".to_string(), ""),
            ]
        );
    }

    #[test]
    fn a_line_break_before_a_shorthand_stays_on_its_first_word() {
        let s = Shorthands::new([(
            "qqn".to_string(),
            vec!["quelqu".to_string(), "un".to_string()],
        )]);
        let folded = "pas\nqqn";
        let (mut tokens, mut spare) = (Vec::new(), Vec::new());
        tokenize(folded, &mut tokens);
        s.expand(folded, &mut tokens, &mut spare);
        let lines: Vec<bool> = tokens.iter().map(|t| t.line_before).collect();
        assert_eq!(lines, [false, true, false]);
    }

    #[test]
    fn without_shorthands_tokens_are_untouched() {
        let none = Shorthands::default();
        assert_eq!(
            read(&none, "bcp qqn"),
            [("bcp=bcp".to_string(), ""), ("qqn=qqn".to_string(), "")]
        );
    }
}
