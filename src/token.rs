//! Splitting folded text into the word tokens patterns are matched against.
//!
//! Patterns speak in whole words, so the text is cut into words once and
//! every pattern works on that sequence. A word is a run of letters, or a run
//! of digits (`58k€` is `58`, `k`, `€`, so that a rule can speak of amounts);
//! a currency or percent sign is a word of its own. Apostrophes and hyphens
//! separate words (`d'expérience` is `d`, `experience`), in patterns as in
//! text, so both sides always agree.
//!
//! Strong punctuation (`; : ? !`, an ellipsis) is not a word but a
//! *barrier*: no pattern matches across it unless it names it (a colon,
//! `:` in a pattern: "Anglais : insuffisant"), and it bounds the scope of
//! negation. A question or exclamation mark that a closing quote follows
//! is a quotation inside the statement ("your answer to 'why us?' was
//! vague"), read across as a comma. Commas, quotes, parentheses and dashes
//! are transparent:
//! "réponses « trop apprises »" matches `réponses trop appris*`. A comma,
//! and the marks note-takers use as one (an arrow `->` `=>` `→`, a dash,
//! plus or slash between spaces), still bounds the scope of a negation.
//!
//! A check box of a form (`[ ]`, `[x]`, `☐`, `☑`, as applicant-tracking
//! systems export their reason lists) is a barrier too, and its mark is no
//! word. The words after an empty box, up to the next box or the end of
//! the line or of the sentence, are *struck*: an option left unticked
//! states nothing ("[X] Profil hors cible [ ] Prétentions [ ] Expérience
//! insuffisante" gives the profile as the reason, and neither the salary
//! nor the experience).
//!
//! A single period is transparent too. Words are taken from one statement
//! at a time, and the segmenter has already cut after every period that
//! ends a sentence: one left inside a statement ends an abbreviation or an
//! initial ("avec M. Dupont", "cf. le test"), or sits inside a number or an
//! address, and must not cut what is said around it.

/// A word of folded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    /// Byte offset of the word in the folded text.
    pub start: u32,
    /// End byte offset (exclusive) in the folded text.
    pub end: u32,
    /// Strong punctuation lies between the previous word and this one.
    pub barrier_before: bool,
    /// That strong punctuation is a colon (or several), and nothing else:
    /// a pattern that names the colon may cross it.
    pub colon_before: bool,
    /// A comma lies between the previous word and this one: it does not stop
    /// a match, but it bounds the scope of a negation.
    pub comma_before: bool,
    /// A line break lies between the previous word and this one (a line
    /// the segmenter joined to the one before): like a comma, it bounds
    /// the scope of a negation, and nothing else.
    pub line_before: bool,
    /// The word of a shorthand's expansion this token reads as (an index
    /// into the ruleset's shorthand words), or [`NO_ALIAS`]: its own text.
    pub alias: u32,
    /// The word belongs to an option of a form left unticked (after `[ ]`
    /// or `☐`): nothing is read from it.
    pub struck: bool,
}

/// [`Token::alias`] of a token read as its own text.
pub(crate) const NO_ALIAS: u32 = u32::MAX;

#[derive(Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Letter,
    Digit,
    Symbol,
    Barrier,
    /// `.`: a barrier when doubled (an ellipsis), see the module docs.
    Period,
    Comma,
    Other,
}

fn class(c: char) -> CharClass {
    match c {
        'a'..='z' => CharClass::Letter,
        '0'..='9' => CharClass::Digit,
        '€' | '£' | '$' | '%' => CharClass::Symbol,
        '.' => CharClass::Period,
        ';' | ':' | '?' | '!' | '…' => CharClass::Barrier,
        '→' | '⇒' | '➔' | '➜' | '➝' | '⟶' | '⟹' => CharClass::Comma,
        ',' => CharClass::Comma,
        _ if c.is_ascii() => CharClass::Other,
        _ if c.is_numeric() => CharClass::Digit,
        _ if c.is_alphabetic() => CharClass::Letter,
        _ => CharClass::Other,
    }
}

/// Appends the words of `folded` to `out` (which is cleared first), and
/// says whether any of them is struck (see [`Token::struck`]).
pub(crate) fn tokenize(folded: &str, out: &mut Vec<Token>) -> bool {
    out.clear();
    let mut marks = Marks::default();
    let mut current: Option<(usize, CharClass)> = None;
    // Inside double quotes (folded from every style of quotation mark).
    let mut quoting = false;
    // After an empty check box, until the next box or line break.
    let mut struck = false;
    let mut any_struck = false;
    let mut chars = folded.char_indices();
    while let Some((i, c)) = chars.next() {
        let cls = class(c);
        quoting ^= c == '"';
        if let Some((start, run)) = current {
            if cls == run && cls != CharClass::Symbol {
                continue;
            }
            push(out, start, i, &mut marks, struck);
            current = None;
        }
        match cls {
            CharClass::Letter | CharClass::Digit | CharClass::Symbol => current = Some((i, cls)),
            // A question or exclamation closed by a quote inside the
            // statement is a quotation the sentence goes on after (« your
            // answer to 'why us?' was vague »; the segmenter kept it in):
            // what is said around it reads across it, as across a comma.
            CharClass::Barrier
                if matches!(c, '?' | '!') && closes_quotation(folded, i, quoting) =>
            {
                marks.comma = true;
            }
            CharClass::Barrier => {
                marks.strong += 1;
                marks.colons += u32::from(c == ':');
            }
            CharClass::Period => marks.periods += 1,
            CharClass::Comma => marks.comma = true,
            // Most often: a space between words.
            CharClass::Other if c == ' ' => {}
            // A dash between spaces sets off a clause as a comma does
            // ("not a money issue - your Spanish isn't strong enough");
            // in a word ("well-known") it only separates.
            CharClass::Other if c == '-' && spaced(folded, i) => marks.comma = true,
            // Note-taking marks: an arrow ("->", "=>", "→") links a fact
            // to what follows from it ("salary ask 68k -> over their
            // band"), so a match may run across it, but a negation does
            // not ("aucune saison -> trop vert"); a spaced plus or slash
            // lists items ("pas d'anglais + junior"). All read as commas.
            CharClass::Other if c == '>' && after_arrow_shaft(folded, i) => marks.comma = true,
            CharClass::Other if matches!(c, '+' | '/') && spaced(folded, i) => marks.comma = true,
            CharClass::Other if c == '\n' => {
                struck = false;
                marks.line = true;
            }
            // A check box is strong punctuation, its mark no word.
            CharClass::Other => {
                if let Some((len, ticked)) = check_box(c, folded, i) {
                    marks.strong += 1;
                    struck = !ticked;
                    any_struck |= struck;
                    // Past the rest of the box: `len` characters in all.
                    if len > 1 {
                        chars.nth(len - 2);
                    }
                }
            }
        }
    }
    if let Some((start, _)) = current {
        push(out, start, folded.len(), &mut marks, struck);
    }
    any_struck
}

/// The check box of a form starting with character `c` at byte `i`, if
/// there is one: its length in characters, and whether it is ticked. `[ ]`,
/// `[]`, `[_]` and `☐` are empty; `[x]`, `[v]`, `[*]`, `[✓]`, `[✔]`, `☑`,
/// `☒` and `✅` are ticked. Other brackets (`[…]`, `[sic]`) are none.
#[inline]
fn check_box(c: char, folded: &str, i: usize) -> Option<(usize, bool)> {
    match c {
        '\u{2610}' => Some((1, false)),
        '\u{2611}' | '\u{2612}' | '\u{2705}' => Some((1, true)),
        '[' => {
            let rest = &folded[i..];
            // The mark is at most one character, spaces around it aside.
            let (n, (close, _)) = rest
                .char_indices()
                .take(5)
                .enumerate()
                .find(|&(_, (_, d))| d == ']')?;
            let ticked = match rest[1..close].trim_matches(' ') {
                "" | "_" => false,
                "x" | "v" | "*" | "\u{2713}" | "\u{2714}" => true,
                _ => return None,
            };
            Some((n + 1, ticked))
        }
        _ => None,
    }
}

/// Is the question or exclamation mark at `i` followed by a closing quote?
/// Quotes are folded to `"` or `'`. A quote right after the mark closes
/// ("why us?'"); after a space, only a double quote does, and only
/// `quoting` (« pourquoi nous ? »): an opening quote follows a space too.
fn closes_quotation(folded: &str, i: usize, quoting: bool) -> bool {
    let after = folded[i..].trim_start_matches(['?', '!']);
    match after.as_bytes().first() {
        Some(b'"' | b'\'') => true,
        Some(b' ') => quoting && after.trim_start_matches(' ').starts_with('"'),
        _ => false,
    }
}

/// Is the one-byte character at `i` between two spaces?
fn spaced(folded: &str, i: usize) -> bool {
    let bytes = folded.as_bytes();
    i > 0 && bytes[i - 1] == b' ' && bytes.get(i + 1) == Some(&b' ')
}

/// Is the `>` at `i` the head of an arrow (`->`, `=>`, `-->`)?
fn after_arrow_shaft(folded: &str, i: usize) -> bool {
    i > 0 && matches!(folded.as_bytes()[i - 1], b'-' | b'=')
}

/// Punctuation seen since the last word.
#[derive(Default)]
struct Marks {
    /// Marks of strong punctuation of any kind seen, and how many of them
    /// were colons.
    strong: u32,
    colons: u32,
    periods: u32,
    comma: bool,
    line: bool,
}

fn push(out: &mut Vec<Token>, start: usize, end: usize, marks: &mut Marks, struck: bool) {
    let first = out.is_empty();
    let barrier_before = (marks.strong > 0 || marks.periods > 1) && !first;
    out.push(Token {
        start: start as u32,
        end: end as u32,
        barrier_before,
        colon_before: barrier_before
            && marks.colons > 0
            && marks.colons == marks.strong
            && marks.periods <= 1,
        comma_before: marks.comma && !first,
        line_before: marks.line && !first,
        alias: NO_ALIAS,
        struck,
    });
    *marks = Marks::default();
}

/// The words of `folded`, as string slices.
pub(crate) fn words(folded: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    tokenize(folded, &mut tokens);
    tokens
        .iter()
        .map(|t| &folded[t.start as usize..t.end as usize])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_digits_and_symbols() {
        assert_eq!(
            words("d'experience, 58k€ re2020"),
            ["d", "experience", "58", "k", "€", "re", "2020"]
        );
        assert_eq!(words("peut-etre (bpf)"), ["peut", "etre", "bpf"]);
        assert_eq!(words("ok.."), ["ok"]);
        assert_eq!(words(""), Vec::<&str>::new());
        assert_eq!(words("привет мир"), ["привет", "мир"]);
    }

    #[test]
    fn strong_punctuation_is_a_barrier() {
        let mut toks = Vec::new();
        tokenize("a, b : c ; d \" e", &mut toks);
        let barriers: Vec<bool> = toks.iter().map(|t| t.barrier_before).collect();
        assert_eq!(barriers, [false, false, true, true, false]);
        tokenize(". a", &mut toks);
        assert!(!toks[0].barrier_before);
        tokenize("avec m. dupont... puis 3.5 ans", &mut toks);
        let barriers: Vec<bool> = toks.iter().map(|t| t.barrier_before).collect();
        assert_eq!(barriers, [false, false, false, true, false, false, false]);
        tokenize("a, b c", &mut toks);
        let commas: Vec<bool> = toks.iter().map(|t| t.comma_before).collect();
        assert_eq!(commas, [false, true, false]);
        // A dash between spaces is a comma; in a word it only separates.
        tokenize("a - b well-known -c", &mut toks);
        let commas: Vec<bool> = toks.iter().map(|t| t.comma_before).collect();
        assert_eq!(commas, [false, true, false, false, false]);
    }

    #[test]
    fn a_quoted_question_or_exclamation_is_read_across() {
        let mut toks = Vec::new();
        // Quotes are folded to `"` and `'`.
        tokenize(
            "reponse a \"pourquoi nous ?\" vague ; 'why us?' was 'wow !' ok",
            &mut toks,
        );
        let barriers: Vec<bool> = toks.iter().map(|t| t.barrier_before).collect();
        assert_eq!(
            barriers,
            [
                false, false, false, false, false, true, false, false, false, false
            ]
        );
        assert!(toks[4].comma_before && toks[7].comma_before && toks[9].comma_before);
        // Unquoted, it is strong punctuation; an opening quote after a
        // space does not make it a quotation.
        tokenize("why us? was it ? 'the' one ? \"two\" three", &mut toks);
        let barriers: Vec<bool> = toks.iter().map(|t| t.barrier_before).collect();
        assert_eq!(
            barriers,
            [false, false, true, false, true, false, true, false]
        );
    }

    #[test]
    fn an_unticked_option_of_a_form_is_struck_up_to_the_next_box_or_line() {
        let mut toks = Vec::new();
        // Folded text: "[X]" is "[x]". The marks are no words.
        let text = "motif : [x] profil [ ] salaire trop haut [] age\nsuite ☐ a ☑ b [v] c";
        tokenize(text, &mut toks);
        let shown: Vec<(&str, bool, bool)> = toks
            .iter()
            .map(|t| {
                (
                    &text[t.start as usize..t.end as usize],
                    t.struck,
                    t.barrier_before,
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("motif", false, false),
                ("profil", false, true),
                ("salaire", true, true),
                ("trop", true, false),
                ("haut", true, false),
                ("age", true, true),
                ("suite", false, false),
                ("a", true, true),
                ("b", false, true),
                ("c", false, true),
            ]
        );
        // Other brackets are no boxes: an elision, a word in brackets.
        assert_eq!(
            words("il [...] a dit [sic] [ok]"),
            ["il", "a", "dit", "sic", "ok"]
        );
        tokenize("[sic] a", &mut toks);
        assert!(toks.iter().all(|t| !t.struck && !t.barrier_before));
    }

    #[test]
    fn a_colon_alone_is_marked_as_one() {
        let mut toks = Vec::new();
        tokenize("a : b ; c :: d :; e ? f ... g", &mut toks);
        let colons: Vec<bool> = toks.iter().map(|t| t.colon_before).collect();
        assert_eq!(colons, [false, true, false, true, false, false, false]);
        assert!(toks[1..].iter().all(|t| t.barrier_before));
    }

    #[test]
    fn note_marks_read_as_commas() {
        let mut toks = Vec::new();
        // Arrows, drawn or typed; a lone ">" is not one.
        tokenize("a -> b => c → d > e ->f", &mut toks);
        let commas: Vec<bool> = toks.iter().map(|t| t.comma_before).collect();
        assert_eq!(commas, [false, true, true, true, false, true]);
        assert!(toks.iter().all(|t| !t.barrier_before));
        // A spaced plus or slash; inside a word neither is.
        tokenize("a + b / c c++ d/e", &mut toks);
        let commas: Vec<bool> = toks.iter().map(|t| t.comma_before).collect();
        assert_eq!(commas, [false, true, true, false, false, false]);
    }
}
