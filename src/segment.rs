//! Cutting a document into statements.
//!
//! Feedback arrives as sentences, but also as e-mails with a greeting and a
//! signature block, as bullet lists of call notes, or hard-wrapped at 72
//! columns. A statement is the unit findings are attached to, so it should
//! be one thing the recruiter said:
//!
//! * a line break ends a statement, except inside a hard-wrapped sentence
//!   (the line ends on a letter or digit and the next begins in lower case);
//! * a bullet (`-`, `•`, `*`, `1.`, `a)`…) starts a statement, and its marker
//!   is not part of it;
//! * `.`, `!`, `?` and `…` followed by a space end a statement, except after
//!   an abbreviation listed in the ruleset's `abbreviation` class (`M.`,
//!   `Mme`, `cf.`, `p. ex.`) or a single-letter initial; decimals (`2.5`)
//!   never split because no space follows the point.
//!
//! Statements are byte ranges of the original text, trimmed of whitespace.
//! A statement longer than the configured maximum is cut at a space, so that
//! pathological input (20 MB without punctuation) costs bounded work per
//! statement.

use std::collections::HashSet;

use unicode_normalization::char::is_combining_mark;

use crate::normalize::fold_str;

/// Splits documents into statements; built from the ruleset.
#[derive(Debug, Clone)]
pub(crate) struct Segmenter {
    /// Folded words after which a point does not end a sentence.
    pub abbreviations: HashSet<String>,
    /// Statements longer than this are cut.
    pub max_statement_bytes: usize,
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}')
}

/// Zero-width and format characters that may hide inside a word.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Characters that may follow a terminator and still belong to the sentence.
fn is_closer(c: char) -> bool {
    is_terminator(c)
        || matches!(
            c,
            '"' | '\'' | '»' | '”' | '’' | ')' | ']' | '\u{A0}' | '\u{202F}'
        )
}

const BULLETS: &[char] = &[
    '-', '–', '—', '•', '*', '·', '▪', '◦', '‣', '●', '○', '■', '□', '➢', '►', '>', '+',
];

impl Segmenter {
    /// Appends the statements of `text` to `out` as byte ranges.
    pub fn segment(&self, text: &str, out: &mut Vec<(usize, usize)>) {
        let mut block: Option<(usize, usize)> = None;
        for (start, end) in lines(text) {
            let Some((s, e)) = trim(text, start, end) else {
                if let Some(b) = block.take() {
                    self.sentences(text, b, out);
                }
                continue;
            };
            let (content, bullet) = strip_bullet(text, s, e);
            match block {
                Some((bs, be)) if !bullet && continues(text, be, content) => {
                    block = Some((bs, e));
                }
                _ => {
                    if let Some(b) = block.take() {
                        self.sentences(text, b, out);
                    }
                    block = Some((content, e));
                }
            }
        }
        if let Some(b) = block {
            self.sentences(text, b, out);
        }
    }

    /// Splits one block (a line, or hard-wrapped lines) into sentences.
    fn sentences(&self, text: &str, (start, end): (usize, usize), out: &mut Vec<(usize, usize)>) {
        let block = &text[start..end];
        let mut sentence_start = start;
        let mut chars = block.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !is_terminator(c) {
                continue;
            }
            let mut stop = start + i + c.len_utf8();
            let mut run = 1;
            while let Some(&(j, d)) = chars.peek() {
                if !is_closer(d) {
                    break;
                }
                run += usize::from(is_terminator(d));
                stop = start + j + d.len_utf8();
                chars.next();
            }
            let followed_by_space = chars.peek().is_none_or(|&(_, d)| is_space(d));
            if !followed_by_space {
                continue;
            }
            if c == '.' && run == 1 && self.is_abbreviation(&text[sentence_start..start + i]) {
                continue;
            }
            self.push(text, sentence_start, stop, out);
            sentence_start = stop;
        }
        self.push(text, sentence_start, end, out);
    }

    /// Does `before` (text up to a point) end with an abbreviation?
    fn is_abbreviation(&self, before: &str) -> bool {
        // Combining marks and invisible characters belong to the word: an
        // NFD "traités." is not the initial "s.".
        let in_word = |c: char| c.is_alphabetic() || is_combining_mark(c) || is_invisible(c);
        let word_start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| in_word(*c))
            .last()
            .map(|(i, _)| i);
        let Some(ws) = word_start else {
            return false;
        };
        let word = &before[ws..];
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if letters == 1 {
            return true;
        }
        // Abbreviations are short: compare ASCII words without allocating.
        if word.len() <= 16 && word.is_ascii() {
            let mut buf = [0u8; 16];
            buf[..word.len()].copy_from_slice(word.as_bytes());
            buf[..word.len()].make_ascii_lowercase();
            return std::str::from_utf8(&buf[..word.len()])
                .is_ok_and(|w| self.abbreviations.contains(w));
        }
        letters > 1 && letters <= 16 && self.abbreviations.contains(&fold_str(word))
    }

    /// Pushes a trimmed, non-empty statement, cut to the maximum length.
    fn push(&self, text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
        let Some((mut s, e)) = trim(text, start, end) else {
            return;
        };
        while e - s > self.max_statement_bytes.max(16) {
            let cut = cut_point(text, s, s + self.max_statement_bytes.max(16));
            if let Some(piece) = trim(text, s, cut) {
                push_if_wordy(text, piece, out);
            }
            s = cut;
        }
        if let Some(piece) = trim(text, s, e) {
            push_if_wordy(text, piece, out);
        }
    }
}

/// Keeps statements that contain at least one letter or digit.
fn push_if_wordy(text: &str, (s, e): (usize, usize), out: &mut Vec<(usize, usize)>) {
    if text[s..e].chars().any(char::is_alphanumeric) {
        out.push((s, e));
    }
}

/// The last space before `limit`, or the last char boundary.
fn cut_point(text: &str, start: usize, limit: usize) -> usize {
    let mut limit = limit.min(text.len());
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    text[start..limit]
        .char_indices()
        .rev()
        .find(|(_, c)| is_space(*c))
        .map(|(i, _)| start + i)
        .filter(|&i| i > start)
        .unwrap_or(limit)
}

/// Line ranges of `text` (without their line breaks).
fn lines(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some((i, c)) = iter.next() {
            if is_line_break(c) {
                let line = (start, i);
                if c == '\r' {
                    if let Some(&(_, '\n')) = iter.peek() {
                        iter.next();
                    }
                }
                start = iter.peek().map_or(text.len(), |&(j, _)| j);
                return Some(line);
            }
        }
        if start < text.len() {
            let line = (start, text.len());
            start = text.len();
            return Some(line);
        }
        None
    })
}

/// `start..end` without surrounding whitespace; `None` when nothing is left.
fn trim(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start_matches(is_space).len();
    let rest = piece.trim_matches(is_space);
    (!rest.is_empty()).then(|| (start + lead, start + lead + rest.len()))
}

/// Where the content of a line starts once a bullet marker is removed, and
/// whether there was one.
fn strip_bullet(text: &str, start: usize, end: usize) -> (usize, bool) {
    let line = &text[start..end];
    let mut chars = line.char_indices();
    let marker_end = match chars.next() {
        Some((_, c)) if BULLETS.contains(&c) => {
            // A run of the same marker (`--`, `**`) is still one bullet.
            let run = line.chars().take_while(|d| *d == c).count();
            Some(line.char_indices().nth(run).map_or(line.len(), |(i, _)| i))
        }
        Some((_, c)) if c.is_ascii_digit() => {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            match line[digits..].chars().next() {
                Some('.' | ')') if digits <= 3 => Some(digits + 1),
                _ => None,
            }
        }
        Some((_, c)) if c.is_ascii_lowercase() => match chars.next() {
            Some((i, ')')) => Some(i + 1),
            _ => None,
        },
        _ => None,
    };
    match marker_end {
        Some(m) if line[m..].starts_with(is_space) => {
            let rest = line[m..].trim_start_matches(is_space);
            (end - rest.len(), true)
        }
        _ => (start, false),
    }
}

/// Does the line starting at `next` continue the block ending at `prev_end`
/// (a hard-wrapped sentence)?
fn continues(text: &str, prev_end: usize, next: usize) -> bool {
    let prev = text[..prev_end].chars().next_back();
    let first = text[next..].chars().next();
    matches!(prev, Some(c) if c.is_alphanumeric()) && matches!(first, Some(c) if c.is_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str) -> Vec<&str> {
        let s = Segmenter {
            abbreviations: ["m", "mme", "dr", "cf", "etc", "ex", "env"]
                .iter()
                .map(|w| w.to_string())
                .collect(),
            max_statement_bytes: 1000,
        };
        let mut out = Vec::new();
        s.segment(text, &mut out);
        out.iter().map(|&(a, b)| &text[a..b]).collect()
    }

    #[test]
    fn sentences_and_abbreviations() {
        assert_eq!(
            seg("Bonjour M. Besson. Votre note est de 12.5 sur 20 ! Merci… À bientôt"),
            [
                "Bonjour M. Besson.",
                "Votre note est de 12.5 sur 20 !",
                "Merci…",
                "À bientôt"
            ]
        );
        assert_eq!(
            seg("Voir p. ex. le cas n° 3, cf. annexe."),
            ["Voir p. ex. le cas n° 3, cf. annexe."]
        );
        assert_eq!(
            seg("Vu avec Mme Dupont et J. Martin. Fin."),
            ["Vu avec Mme Dupont et J. Martin.", "Fin."]
        );
    }

    #[test]
    fn decomposed_accents_do_not_make_an_initial() {
        assert_eq!(
            seg("Vous les avez traite\u{301}s. Merci."),
            ["Vous les avez traite\u{301}s.", "Merci."]
        );
    }

    #[test]
    fn lines_bullets_and_hard_wraps() {
        let text = "Bonjour Jade,\n\nNous avons retenu un autre\ncandidat.\n- point 1 : Excel\n• point 2\n  3) point 3\nCordialement,\r\nMax";
        assert_eq!(
            seg(text),
            [
                "Bonjour Jade,",
                "Nous avons retenu un autre\ncandidat.",
                "point 1 : Excel",
                "point 2",
                "point 3",
                "Cordialement,",
                "Max"
            ]
        );
    }

    #[test]
    fn punctuation_only_lines_and_blank_input_are_dropped() {
        assert!(seg("").is_empty());
        assert!(seg(" \n\t \u{A0}").is_empty());
        assert_eq!(seg("--\nMax\n***"), ["Max"]);
        assert_eq!(seg("?!?!?! ok"), ["ok"]);
    }

    #[test]
    fn long_statements_are_cut_at_spaces() {
        let s = Segmenter {
            abbreviations: HashSet::new(),
            max_statement_bytes: 20,
        };
        let text = "mot ".repeat(20);
        let mut out = Vec::new();
        s.segment(&text, &mut out);
        assert!(out.len() >= 4);
        for &(a, b) in &out {
            assert!(b - a <= 20);
            assert_eq!(text[a..b].trim(), &text[a..b]);
        }
        let text = "é".repeat(50);
        out.clear();
        s.segment(&text, &mut out);
        assert_eq!(out.iter().map(|&(a, b)| b - a).sum::<usize>(), text.len());
    }
}
