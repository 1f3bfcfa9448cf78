//! Cutting a document into statements.
//!
//! Feedback arrives as sentences, but also as e-mails with a greeting and a
//! signature block, as bullet lists of call notes, or hard-wrapped at 72
//! columns. A statement is the unit findings are attached to, so it should
//! be one thing the recruiter said:
//!
//! * a line break ends a statement, except inside a hard-wrapped sentence:
//!   the line ends on a letter, a digit or a comma and the next begins in
//!   lower case, with a number or a parenthesis, or both are in capitals
//!   (a shouted paragraph, wrapped);
//! * a bullet (`-`, `•`, `*`, `1.`, `a)`…) starts a statement, and its marker
//!   is not part of it;
//! * `.`, `!`, `?` and `…` followed by a space end a statement, except after
//!   an abbreviation listed in the ruleset's `abbreviation` class (`M.`,
//!   `Mme`, `cf.`, `p. ex.`), one of its `abbreviation_before_number`
//!   class followed by a number (`no. 5`, but "the client said no. They…"
//!   is two sentences) or a single-letter initial (not the letter of a
//!   contraction: "it wasn't."), and except a
//!   quoted question or exclamation the sentence goes on after in lower case
//!   (`son « on se tutoie ? » a surpris`, `your 'why us?' was vague`);
//!   decimals (`2.5`) never split because no space follows the point.
//!
//! Statements are byte ranges of the original text, trimmed of whitespace.
//! A statement longer than the configured maximum is cut at a space, so that
//! pathological input (20 MB without punctuation) costs bounded work per
//! statement.

use unicode_normalization::char::is_combining_mark;

use crate::atoms::FxHashSet;
use crate::normalize::fold_str;
use crate::snapshot::{Corrupt, Reader, Snapshot, Writer};

/// Splits documents into statements; built from the ruleset.
#[derive(Debug, Clone)]
pub(crate) struct Segmenter {
    /// Folded words after which a point does not end a sentence.
    abbreviations: FxHashSet<String>,
    /// Folded words after which a point does not end a sentence when a
    /// number follows ("no. 5", "max. 3 ans"): they are common words too,
    /// and "the client said no. They…" is two sentences.
    abbreviations_before_number: FxHashSet<String>,
    /// Statements longer than this are cut.
    max_statement_bytes: usize,
    /// The most letters of any abbreviation: a longer word before a point
    /// is none, whatever its accents (no need to fold it). Derived from
    /// the lists, which are private so that it cannot fall out of step.
    longest_abbreviation: usize,
}

/// The longest abbreviation is derived again from the lists.
impl Snapshot for Segmenter {
    fn write(&self, w: &mut Writer) {
        self.abbreviations.write(w);
        self.abbreviations_before_number.write(w);
        self.max_statement_bytes.write(w);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(Segmenter::new(
            Snapshot::read(r)?,
            Snapshot::read(r)?,
            Snapshot::read(r)?,
        ))
    }
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

/// The bytes a line break starts with: ASCII control bytes, 0xC2 (U+0085)
/// and 0xE2 (U+2028, U+2029). A table: one load per byte where a
/// comparison with each would take six.
const BREAK_LEAD: [bool; 256] = {
    let mut table = [false; 256];
    let leads = [b'\n', b'\r', 0x0B, 0x0C, 0xC2, 0xE2];
    let mut k = 0;
    while k < leads.len() {
        table[leads[k] as usize] = true;
        k += 1;
    }
    table
};

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn is_break_lead(b: u8) -> bool {
    BREAK_LEAD[b as usize]
}

/// The bytes a sentence terminator starts with: ASCII, or 0xE2 (…).
fn is_terminator_lead(b: u8) -> bool {
    matches!(b, b'.' | b'!' | b'?' | 0xE2)
}

/// The first character of `s` at or after byte `from` that `is` takes,
/// and where it is. Such characters start with a byte `lead` takes: only
/// those bytes are decoded, the others skipped as bytes.
fn find_char(
    s: &str,
    mut from: usize,
    lead: impl Fn(u8) -> bool,
    is: impl Fn(char) -> bool,
) -> Option<(usize, char)> {
    let bytes = s.as_bytes();
    while let Some(k) = bytes.get(from..)?.iter().position(|&b| lead(b)) {
        let i = from + k;
        let c = s.get(i..)?.chars().next()?;
        if is(c) {
            return Some((i, c));
        }
        from = i + c.len_utf8();
    }
    None
}

/// The first character of `rest` after spaces.
fn first_after_spaces(rest: &str) -> Option<char> {
    rest.chars().find(|&c| !is_space(c))
}

/// Does `rest` go on with a lower-case word (after spaces)?
fn continues_in_lower_case(rest: &str) -> bool {
    first_after_spaces(rest).is_some_and(char::is_lowercase)
}

/// Characters that may follow a terminator and still belong to the sentence.
fn is_closer(c: char) -> bool {
    is_terminator(c) || is_closing_quote(c) || matches!(c, ')' | ']')
}

/// A quotation mark that may close a quotation: right after a question
/// mark, even a single one does (an apostrophe never follows one).
pub(crate) fn is_closing_quote(c: char) -> bool {
    matches!(c, '"' | '»' | '”' | '\'' | '’')
}

/// An apostrophe, which joins a letter to the word it is elided before or
/// ends (« l'équipe », "wasn't").
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// The marks a bulleted line starts with, which the segmenter strips from
/// the statement (the list reader of `classifier` knows a few more).
pub(crate) const BULLETS: &[char] = &[
    '-', '–', '—', '•', '*', '·', '▪', '◦', '‣', '●', '○', '■', '□', '➢', '►', '>', '+',
];

impl Segmenter {
    /// A segmenter reading these abbreviations (folded words), cutting
    /// statements longer than `max_statement_bytes`.
    pub fn new(
        abbreviations: FxHashSet<String>,
        abbreviations_before_number: FxHashSet<String>,
        max_statement_bytes: usize,
    ) -> Self {
        let longest_abbreviation = abbreviations
            .iter()
            .chain(&abbreviations_before_number)
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        Segmenter {
            abbreviations,
            abbreviations_before_number,
            max_statement_bytes,
            longest_abbreviation,
        }
    }

    /// The statements of `text`, lazily: memory does not grow with the
    /// text.
    pub fn spans<'s, 't>(&'s self, text: &'t str) -> Spans<'s, 't> {
        Spans {
            segmenter: self,
            text,
            next_line: 0,
            block: None,
            block_line: 0,
            sentences: None,
            cut: None,
        }
    }

    /// Appends the statements of `text` to `out` as byte ranges.
    #[cfg(test)]
    pub fn segment(&self, text: &str, out: &mut Vec<(usize, usize)>) {
        out.extend(self.spans(text));
    }

    /// Does `before` (text up to a point) end with an abbreviation, given
    /// the text `after` the point?
    fn is_abbreviation(&self, before: &str, after: &str) -> bool {
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
            // A letter after an apostrophe ends a contraction ("it
            // wasn't."): it is no initial.
            let contraction = before[..ws].chars().next_back().is_some_and(is_apostrophe);
            return !contraction;
        }
        let number_follows = || first_after_spaces(after).is_some_and(|c| c.is_ascii_digit());
        let listed = |w: &str| {
            self.abbreviations.contains(w)
                || (self.abbreviations_before_number.contains(w) && number_follows())
        };
        // Abbreviations are short: compare ASCII words without allocating.
        if word.len() <= 16 && word.is_ascii() {
            let mut buf = [0u8; 16];
            buf[..word.len()].copy_from_slice(word.as_bytes());
            buf[..word.len()].make_ascii_lowercase();
            return std::str::from_utf8(&buf[..word.len()]).is_ok_and(listed);
        }
        letters > 1 && letters <= self.longest_abbreviation && listed(&fold_str(word))
    }
}

/// The statements of a text, one at a time.
///
/// Lines are read one after the other; a *block* (a line, or hard-wrapped
/// lines) is only complete when the next line cannot continue it, so one
/// line of look-ahead is kept. Each block is then split into sentences, and
/// each sentence longer than the maximum is cut into pieces.
pub(crate) struct Spans<'s, 't> {
    segmenter: &'s Segmenter,
    text: &'t str,
    /// Where the next unread line starts.
    next_line: usize,
    /// The block being gathered.
    block: Option<(usize, usize)>,
    /// Where the last line of that block starts (after any bullet).
    block_line: usize,
    /// The block being split into sentences.
    sentences: Option<Cursor>,
    /// What is left of a sentence being cut into pieces.
    cut: Option<(usize, usize)>,
}

/// Position of the sentence splitter in a block.
struct Cursor {
    /// Next byte to examine.
    pos: usize,
    /// End of the block.
    end: usize,
    /// Start of the sentence being read.
    sentence_start: usize,
}

impl Iterator for Spans<'_, '_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        loop {
            if let Some(piece) = self.next_piece() {
                return Some(piece);
            }
            if let Some(sentence) = self.next_sentence() {
                self.cut = trim(self.text, sentence.0, sentence.1);
                continue;
            }
            let (start, end) = self.next_block()?;
            self.sentences = Some(Cursor {
                pos: start,
                end,
                sentence_start: start,
            });
        }
    }
}

impl Spans<'_, '_> {
    /// The next line (without its break), or `None` at the end.
    fn next_line(&mut self) -> Option<(usize, usize)> {
        let text = self.text;
        if self.next_line >= text.len() {
            return None;
        }
        let start = self.next_line;
        let Some((i, c)) = find_char(text, start, is_break_lead, is_line_break) else {
            self.next_line = text.len();
            return Some((start, text.len()));
        };
        let mut after = i + c.len_utf8();
        if c == '\r' && text.as_bytes().get(after) == Some(&b'\n') {
            after += 1;
        }
        self.next_line = after;
        Some((start, i))
    }

    /// The next complete block.
    fn next_block(&mut self) -> Option<(usize, usize)> {
        let text = self.text;
        loop {
            let Some((ls, le)) = self.next_line() else {
                return self.block.take();
            };
            let Some((s, e)) = trim(text, ls, le) else {
                match self.block.take() {
                    Some(b) => return Some(b),
                    None => continue,
                }
            };
            let (content, bullet) = strip_bullet(text, s, e);
            let line = &text[content..e];
            let block_line = std::mem::replace(&mut self.block_line, content);
            match self.block {
                Some((bs, be)) if !bullet && continues(&text[block_line..be], line) => {
                    self.block = Some((bs, e));
                }
                Some(b) => {
                    self.block = Some((content, e));
                    return Some(b);
                }
                None => self.block = Some((content, e)),
            }
        }
    }

    /// The next sentence of the current block.
    fn next_sentence(&mut self) -> Option<(usize, usize)> {
        let text = self.text;
        let cursor = self.sentences.as_mut()?;
        let block = &text[cursor.pos..cursor.end];
        let base = cursor.pos;
        let mut from = 0;
        while let Some((i, c)) = find_char(block, from, is_terminator_lead, is_terminator) {
            let mut stop = base + i + c.len_utf8();
            let mut run = 1;
            let mut quote_closed = false;
            while let Some(d) = block[stop - base..].chars().next() {
                // French typography puts a no-break space before « » closing
                // quotes: "… scolaire. »" still ends at the quote.
                let after = &block[stop - base + d.len_utf8()..];
                let quoted = (matches!(d, '\u{A0}' | '\u{202F}')
                    && after.starts_with(['»', '”', '"']))
                    || (d == ' ' && after.starts_with(['»', '”']));
                if !is_closer(d) && !quoted {
                    break;
                }
                run += usize::from(is_terminator(d));
                // After a terminator, a single quote closes a quotation
                // too: an apostrophe does not follow a question mark.
                quote_closed |= quoted || is_closing_quote(d);
                stop += d.len_utf8();
            }
            from = stop - base;
            let followed_by_space = block[from..].chars().next().is_none_or(is_space);
            if !followed_by_space {
                continue;
            }
            let before = &text[cursor.sentence_start..base + i];
            if c == '.'
                && run == 1
                && self
                    .segmenter
                    .is_abbreviation(before, &text[stop..cursor.end])
            {
                continue;
            }
            // A quoted question or exclamation the sentence goes on after
            // (« on se tutoie ? » lancé à…) is part of it.
            if quote_closed && continues_in_lower_case(&text[stop..cursor.end]) {
                continue;
            }
            let sentence = (cursor.sentence_start, stop);
            cursor.sentence_start = stop;
            cursor.pos = stop;
            return Some(sentence);
        }
        let sentence = (cursor.sentence_start, cursor.end);
        self.sentences = None;
        Some(sentence)
    }

    /// The next statement-sized piece of the sentence being cut.
    fn next_piece(&mut self) -> Option<(usize, usize)> {
        let max = self.segmenter.max_statement_bytes.max(16);
        while let Some((s, e)) = self.cut {
            let (piece, rest) = if e - s > max {
                let cut = cut_point(self.text, s, s + max);
                (trim(self.text, s, cut), trim(self.text, cut, e))
            } else {
                (Some((s, e)), None)
            };
            self.cut = rest;
            // Statements hold at least one letter or digit.
            if let Some((a, b)) = piece {
                if self.text[a..b].chars().any(char::is_alphanumeric) {
                    return Some((a, b));
                }
            }
        }
        None
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

/// Does `next_line` continue the block whose last line is `prev_line` (a
/// hard-wrapped sentence)? Both are trimmed, without their bullets.
fn continues(prev_line: &str, next_line: &str) -> bool {
    let (Some(last), Some(first)) = (prev_line.chars().next_back(), next_line.chars().next())
    else {
        return false;
    };
    // A line cut inside a clause ends on a word or a comma.
    if !(last.is_alphanumeric() || last == ',') {
        return false;
    }
    // A line that opens with a lower-case word, a number or a parenthesis
    // goes on with what the previous one said ("Vos prétentions\n(2 800 €)
    // sont…", "entre les\n4 200 € demandés").
    if first.is_lowercase() || first == '(' || first.is_numeric() {
        return true;
    }
    // In a text in capitals, a line in capitals goes on with the previous
    // one in capitals, unless that one ended on a comma (a greeting).
    last != ',' && shouts(prev_line) && shouts(first_word(next_line))
}

/// The first word of `line`.
fn first_word(line: &str) -> &str {
    line.split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
}

/// Whether `s` holds letters, at least two, and none in lower case.
fn shouts(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphabetic()).nth(1).is_some() && !s.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scans_see_every_break_and_terminator() {
        // The line and sentence scans decode only the bytes these
        // characters start with.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let lead = c.to_string().as_bytes()[0];
            if is_terminator(c) {
                assert!(is_terminator_lead(lead), "{c:?}");
            }
            if is_line_break(c) {
                assert!(is_break_lead(lead), "{c:?}");
            }
        }
        let terminator = |s, from| find_char(s, from, is_terminator_lead, is_terminator);
        assert_eq!(terminator("a – b … c. d", 0), Some((8, '…')));
        assert_eq!(terminator("a – b … c. d", 11), Some((13, '.')));
        assert_eq!(terminator("a – b", 0), None);
        let line_break = |s, from| find_char(s, from, is_break_lead, is_line_break);
        assert_eq!(line_break("a\u{2028}b\r\nc", 0), Some((1, '\u{2028}')));
        assert_eq!(line_break("a\u{2028}b\r\nc", 4), Some((5, '\r')));
        assert_eq!(line_break("a – b\u{A0}c", 0), None);
    }

    fn seg(text: &str) -> Vec<&str> {
        let s = Segmenter::new(
            ["m", "mme", "dr", "cf", "etc", "ex", "env"]
                .iter()
                .map(|w| w.to_string())
                .collect(),
            ["no", "max"].iter().map(|w| w.to_string()).collect(),
            1000,
        );
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
        // The letter of a contraction is no initial.
        assert_eq!(
            seg("You asked if it was the salary. It wasn't. The post has gone."),
            [
                "You asked if it was the salary.",
                "It wasn't.",
                "The post has gone."
            ]
        );
        assert_eq!(seg("It isn’t. Sorry."), ["It isn’t.", "Sorry."]);
    }

    #[test]
    fn some_abbreviations_only_hold_before_a_number() {
        assert_eq!(
            seg("Dossier no. 5 vu. Le client a dit no. Ils ont pris un autre."),
            [
                "Dossier no. 5 vu.",
                "Le client a dit no.",
                "Ils ont pris un autre."
            ]
        );
        assert_eq!(
            seg("Budget 40k max. 3 ans mini."),
            ["Budget 40k max. 3 ans mini."]
        );
        assert_eq!(
            seg("On est à 2300 max. Et après ?"),
            ["On est à 2300 max.", "Et après ?"]
        );
    }

    #[test]
    fn no_break_spaces_end_sentences_and_precede_closing_quotes() {
        assert_eq!(seg("Fin.\u{A0}Suite."), ["Fin.", "Suite."]);
        assert_eq!(
            seg("« C'est fini.\u{A0}» Suite."),
            ["« C'est fini.\u{A0}»", "Suite."]
        );
        assert_eq!(
            seg("Son « on se tutoie\u{A0}?\u{A0}» lancé au jury a surpris. Fin."),
            [
                "Son « on se tutoie\u{A0}?\u{A0}» lancé au jury a surpris.",
                "Fin."
            ]
        );
        assert_eq!(
            seg("Son « on y va ? » a surpris. « Fini ! » Suite."),
            ["Son « on y va ? » a surpris.", "« Fini ! »", "Suite."]
        );
        // Single quotes, straight or curly, close a quotation too.
        assert_eq!(
            seg("Your answer to 'why us?' was vague. Your ‘wow!’ was loud. 'Why?' Next."),
            [
                "Your answer to 'why us?' was vague.",
                "Your ‘wow!’ was loud.",
                "'Why?'",
                "Next."
            ]
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
        let text = "Bonjour Jade,\n\nNous avons retenu un autre\ncandidat.\nVos prétentions\n(40 k) dépassent.\n- point 1 : Excel\n• point 2\n  3) point 3\nCordialement,\r\nMax";
        assert_eq!(
            seg(text),
            [
                "Bonjour Jade,",
                "Nous avons retenu un autre\ncandidat.",
                "Vos prétentions\n(40 k) dépassent.",
                "point 1 : Excel",
                "point 2",
                "point 3",
                "Cordialement,",
                "Max"
            ]
        );
    }

    #[test]
    fn wrapped_lines_go_on_after_a_comma_before_a_number_and_in_capitals() {
        assert_eq!(
            seg("l'écart entre les\n4 200 € demandés et la grille,\nmême revue, reste net."),
            ["l'écart entre les\n4 200 € demandés et la grille,\nmême revue, reste net."]
        );
        assert_eq!(
            seg("VOTRE ANGLAIS N'EST PAS ENCORE AU\nNIVEAU ATTENDU.\nMERCI"),
            [
                "VOTRE ANGLAIS N'EST PAS ENCORE AU\nNIVEAU ATTENDU.",
                "MERCI"
            ]
        );
        // A greeting in capitals, a heading, a list of lines in capitals
        // when the first is not: each stays its own statement.
        assert_eq!(
            seg("BONJOUR JADE,\nMERCI POUR VOTRE VENUE.\nRetour client\nEXCEL : OK"),
            [
                "BONJOUR JADE,",
                "MERCI POUR VOTRE VENUE.",
                "Retour client",
                "EXCEL : OK"
            ]
        );
    }

    #[test]
    fn a_wrapped_line_after_a_wide_line_break_is_read_whole() {
        // U+2028 and U+0085 are line breaks of two and three bytes.
        assert_eq!(
            seg("Fin.\u{2028}VOTRE ANGLAIS EST\nTROP JUSTE\u{85}merci"),
            ["Fin.", "VOTRE ANGLAIS EST\nTROP JUSTE\u{85}merci"]
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
        let s = Segmenter::new(FxHashSet::default(), FxHashSet::default(), 20);
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
