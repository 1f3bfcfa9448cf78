//! Text normalization for matching, with an exact map back to the original.
//!
//! Rules are written once, in plain lower-case words, and must match however
//! the feedback was typed: with or without accents, in capitals, with
//! decomposed (NFD) accents, typographic apostrophes, « » quotes with
//! no-break spaces, ligatures or zero-width characters pasted from a word
//! processor. Rather than listing every variant in every rule, the text is
//! folded into one canonical form before matching:
//!
//! * letters are lower-cased and stripped of their diacritics (`É` → `e`,
//!   `e` + U+0301 → `e`), ligatures are expanded (`œ` → `oe`);
//! * every apostrophe becomes `'`, every quote `"`, every dash `-`;
//! * every kind of space (no-break, thin, figure…) becomes one space, runs of
//!   whitespace collapse to one space, or one `\n` when they hold a line break;
//! * zero-width characters, bidi controls, soft hyphens, control characters
//!   and the middle dot of inclusive writing (`motivé·e·s` → `motivees`) are
//!   dropped.
//!
//! The original text is never altered: each byte of the folded text records
//! the byte range of the original character it came from, so that a match
//! found in the folded text is reported as a span of the original, on
//! character boundaries. A fast table covers ASCII, Latin-1 and Latin
//! Extended-A/B — the characters French text is made of; anything else goes
//! through Unicode decomposition.

use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// What one source character becomes in the folded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fold {
    /// Nothing: the character is invisible for matching.
    Drop,
    /// Part of the preceding character (a combining mark).
    Extend,
    /// Horizontal whitespace.
    Space,
    /// A line break.
    Newline,
    /// Up to three characters of folded text.
    Text([char; 3], u8),
}

impl Fold {
    /// `s` as folded text; callers pass at most three characters.
    fn text(s: &str) -> Fold {
        let mut chars = ['\0'; 3];
        let mut n = 0;
        for (slot, c) in chars.iter_mut().zip(s.chars()) {
            *slot = c;
            n += 1;
        }
        Fold::Text(chars, n)
    }
}

/// Characters below this code point are folded through a precomputed table.
const TABLE_END: u32 = 0x250;

fn table() -> &'static [Fold] {
    static TABLE: OnceLock<Vec<Fold>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0..TABLE_END)
            .map(|cp| char::from_u32(cp).map_or(Fold::Drop, fold_slow))
            .collect()
    })
}

#[inline]
fn fold_char(c: char) -> Fold {
    let cp = c as u32;
    if cp < TABLE_END {
        table()[cp as usize]
    } else {
        fold_slow(c)
    }
}

/// Folds one character by its Unicode properties; the table caches this
/// function for the common range.
fn fold_slow(c: char) -> Fold {
    match c {
        'A'..='Z' => Fold::text(&c.to_ascii_lowercase().to_string()),
        '\n' | '\u{0B}' | '\u{0C}' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => Fold::Newline,
        '\t' | ' ' => Fold::Space,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => Fold::Drop,
        // Typographic apostrophes and primes.
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{00B4}' | '\u{2032}' | '`'
        | '\u{FF07}' => Fold::text("'"),
        // Quotation marks of every style.
        '\u{AB}' | '\u{BB}' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2039}'
        | '\u{203A}' | '\u{FF02}' => Fold::text("\""),
        // Dashes and the minus sign.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            Fold::text("-")
        }
        // Zero-width, format and bidi controls, soft hyphen, inclusive-writing dots.
        '\u{AD}'
        | '\u{B7}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2027}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{22C5}' => Fold::Drop,
        // Ligatures and letters that Unicode does not decompose.
        '\u{152}' | '\u{153}' => Fold::text("oe"),
        '\u{C6}' | '\u{E6}' => Fold::text("ae"),
        '\u{DF}' | '\u{1E9E}' => Fold::text("ss"),
        '\u{D8}' | '\u{F8}' => Fold::text("o"),
        '\u{110}' | '\u{111}' | '\u{D0}' | '\u{F0}' => Fold::text("d"),
        '\u{141}' | '\u{142}' => Fold::text("l"),
        '\u{131}' => Fold::text("i"),
        '\u{DE}' | '\u{FE}' => Fold::text("th"),
        _ if c.is_whitespace() => Fold::Space,
        _ if is_combining_mark(c) => Fold::Extend,
        _ if c.is_ascii() => Fold::Text([c, '\0', '\0'], 1),
        _ => fold_decomposed(c),
    }
}

/// Compatibility-decomposes, lower-cases and strips the marks of `c`.
fn fold_decomposed(c: char) -> Fold {
    let folded: String = std::iter::once(c)
        .nfkd()
        .filter(|d| !is_combining_mark(*d))
        .flat_map(char::to_lowercase)
        .map(|d| match d {
            '\u{2019}' | '\u{2018}' => '\'',
            _ => d,
        })
        .collect();
    if folded.is_empty() {
        Fold::Drop
    } else if folded.chars().count() <= 3 {
        Fold::text(&folded)
    } else {
        // Rare long expansions (ﷺ and friends): keep the character itself.
        let lower: String = c.to_lowercase().collect();
        if lower.chars().count() <= 3 {
            Fold::text(&lower)
        } else {
            Fold::Text([c, '\0', '\0'], 1)
        }
    }
}

/// Is `b` visible ASCII that folds to itself, its case aside? Only the
/// grave accent, read as an apostrophe, does not.
#[inline]
fn is_plain_ascii(b: u8) -> bool {
    b.is_ascii_graphic() && b != b'`'
}

/// Folded text with, for each of its bytes, the byte range of the original
/// character it came from.
#[derive(Debug, Default, Clone)]
pub(crate) struct Folded {
    /// The folded text.
    pub text: String,
    /// `starts[i]`: start of the original character behind byte `i`.
    starts: Vec<u32>,
    /// `ends[i]`: end of the original character behind byte `i`, combining
    /// marks that follow it included.
    ends: Vec<u32>,
    /// Fold the text only, without the offset map (rule literals).
    plain: bool,
}

impl Folded {
    /// Folds `src` (whose first byte lies at `base` in the original) into
    /// this buffer, replacing what it held. `src` must be shorter than 4 GiB
    /// from `base`: the caller splits longer texts.
    pub fn fold(&mut self, src: &str, base: usize) {
        self.text.clear();
        self.starts.clear();
        self.ends.clear();
        // Whitespace is held back until a visible character follows, so that
        // runs collapse and the folded text never starts or ends with it.
        let mut pending: Option<(char, u32, u32)> = None;
        let bytes = src.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let start = (base + i) as u32;
            // Fast path: a run of visible ASCII that folds to itself but for
            // case — most of French text — copied and mapped in bulk.
            if is_plain_ascii(b) {
                self.flush(&mut pending);
                // A single space between two such characters folds to
                // itself as well: words run on without leaving the path.
                let mut run = 1;
                while let Some(&c) = bytes.get(i + run) {
                    let plain = is_plain_ascii(c)
                        || c == b' ' && bytes.get(i + run + 1).is_some_and(|&d| is_plain_ascii(d));
                    if !plain {
                        break;
                    }
                    run += 1;
                }
                self.push_ascii(&src[i..i + run], start);
                i += run;
                continue;
            }
            // Other ASCII (spaces, controls) is its own character: no need
            // to decode it.
            let c = match b {
                0..0x80 => char::from(b),
                _ => match src[i..].chars().next() {
                    Some(c) => c,
                    None => break,
                },
            };
            let end = start + c.len_utf8() as u32;
            i += c.len_utf8();
            match fold_char(c) {
                Fold::Drop => {}
                Fold::Extend => self.extend_last(end),
                Fold::Space => {
                    if pending.is_none() {
                        pending = Some((' ', start, end));
                    }
                }
                Fold::Newline => match pending {
                    Some(('\n', _, _)) => {}
                    _ => pending = Some(('\n', start, end)),
                },
                Fold::Text(chars, n) => {
                    self.flush(&mut pending);
                    for &f in &chars[..n as usize] {
                        self.push_char(f, start, end);
                    }
                }
            }
        }
    }

    /// Emits held-back whitespace, unless the text is still empty.
    #[inline]
    fn flush(&mut self, pending: &mut Option<(char, u32, u32)>) {
        if let Some((c, s, e)) = pending.take() {
            if !self.text.is_empty() {
                self.push_char(c, s, e);
            }
        }
    }

    /// Appends `run`, visible ASCII starting at `start` in the original,
    /// lower-cased: each byte is its own character.
    fn push_ascii(&mut self, run: &str, start: u32) {
        let from = self.text.len();
        self.text.push_str(run);
        self.text[from..].make_ascii_lowercase();
        if self.plain {
            return;
        }
        let end = start + run.len() as u32;
        self.starts.extend(start..end);
        self.ends.extend(start + 1..end + 1);
    }

    #[inline]
    fn push_char(&mut self, c: char, start: u32, end: u32) {
        self.text.push(c);
        if self.plain {
            return;
        }
        for _ in 0..c.len_utf8() {
            self.starts.push(start);
            self.ends.push(end);
        }
    }

    /// Makes the last visible character's span cover a following combining
    /// mark, so that evidence ending on `e` + U+0301 keeps the accent.
    fn extend_last(&mut self, end: u32) {
        let Some(&last_start) = self.starts.last() else {
            return;
        };
        for (s, e) in self.starts.iter().zip(self.ends.iter_mut()).rev() {
            if *s != last_start {
                break;
            }
            *e = end;
        }
    }

    /// The original byte range behind the folded byte range `start..end`
    /// (`start < end <= text.len()`).
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.starts.get(start).copied().unwrap_or(0) as usize;
        let e = self.ends.get(end.wrapping_sub(1)).copied().unwrap_or(0) as usize;
        (s, e.max(s))
    }
}

impl Folded {
    /// A buffer that folds text without keeping the offset map.
    pub(crate) fn plain() -> Self {
        Folded {
            plain: true,
            ..Folded::default()
        }
    }
}

/// Folds a short string without keeping the offset map (rule literals,
/// abbreviations).
pub(crate) fn fold_str(s: &str) -> String {
    let mut folded = Folded::plain();
    folded.fold(s, 0);
    folded.text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(s: &str) -> String {
        fold_str(s)
    }

    #[test]
    fn folds_case_accents_and_ligatures() {
        assert_eq!(fold("Compétences À RENFORCER"), "competences a renforcer");
        assert_eq!(fold("cœur ŒUVRE Ægide"), "coeur oeuvre aegide");
        assert_eq!(fold("Expérience"), fold("Expe\u{301}rience"));
        assert_eq!(fold("naïve façon"), "naive facon");
    }

    #[test]
    fn folds_apostrophes_quotes_spaces_and_dashes() {
        assert_eq!(fold("l’équipe"), "l'equipe");
        assert_eq!(fold("l\u{2BC}equipe"), "l'equipe");
        assert_eq!(fold("«\u{A0}trop scolaire\u{A0}»"), "\" trop scolaire \"");
        assert_eq!(fold("a\u{202F}:\u{2009}b"), "a : b");
        assert_eq!(fold("A – B — C"), "a - b - c");
    }

    #[test]
    fn collapses_whitespace_and_keeps_line_breaks() {
        assert_eq!(fold("  a \t  b  "), "a b");
        assert_eq!(fold("a \n\n  b"), "a\nb");
        assert_eq!(fold("a\r\nb"), "a\nb");
    }

    #[test]
    fn drops_invisible_characters() {
        assert_eq!(fold("comp\u{200B}étences"), "competences");
        assert_eq!(fold("a\u{202E}b\u{FEFF}c\u{0}d\u{AD}e"), "abcde");
        assert_eq!(fold("motivé·e·s"), "motivees");
    }

    /// `src` folded with its offset map, as found at `base`.
    fn folded(src: &str, base: usize) -> Folded {
        let mut f = Folded::default();
        f.fold(src, base);
        f
    }

    #[test]
    fn maps_back_to_original_character_boundaries() {
        let src = "Ré\u{301}ponses « trop\u{A0}scolaires »";
        let f = folded(src, 0);
        assert_eq!(f.text, "reponses \" trop scolaires \"");
        let at = f.text.find("trop scolaires").unwrap();
        let (s, e) = f.original_span(at, at + "trop scolaires".len());
        assert_eq!(&src[s..e], "trop\u{A0}scolaires");
        let (s, e) = f.original_span(0, 8);
        assert_eq!(&src[s..e], "Ré\u{301}ponses");
    }

    #[test]
    fn single_spaces_inside_words_map_like_any_other_character() {
        // The fast path takes "Vu le CV" in one run; "  " and " \t" still
        // collapse into one space, mapped back to the first.
        let src = "Vu le CV  de X \tok";
        let f = folded(src, 100);
        assert_eq!(f.text, "vu le cv de x ok");
        for (i, b) in f.text.bytes().enumerate() {
            let (s, e) = f.original_span(i, i + 1);
            let original = &src[s - 100..e - 100];
            match b {
                b' ' => assert!(original.chars().all(char::is_whitespace), "{i}"),
                _ => assert_eq!(original.to_ascii_lowercase().as_bytes(), [b], "{i}"),
            }
        }
        assert_eq!(f.original_span(2, 3), (102, 103));
        assert_eq!(f.original_span(8, 9), (108, 109));
        assert_eq!(f.original_span(13, 14), (114, 115));
    }

    #[test]
    fn combining_marks_extend_the_previous_character() {
        let src = "cafe\u{301}\u{302}";
        let f = folded(src, 10);
        assert_eq!(f.text, "cafe");
        assert_eq!(f.original_span(3, 4), (13, 10 + src.len()));
    }

    #[test]
    fn the_ascii_fast_path_agrees_with_the_table() {
        for b in 0..128u8 {
            if is_plain_ascii(b) {
                let lower = b.to_ascii_lowercase() as char;
                assert_eq!(
                    fold_char(b as char),
                    Fold::Text([lower, '\0', '\0'], 1),
                    "{b}"
                );
            }
        }
    }

    #[test]
    fn other_scripts_survive_lower_cased() {
        assert_eq!(fold("ΑΒΓ Привет"), "αβγ привет");
        assert_eq!(fold("ﬁn"), "fin");
        assert_eq!(fold("😀"), "😀");
    }
}
