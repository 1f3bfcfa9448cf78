//! The pattern language rules are written in.
//!
//! A pattern is a sequence of whole words, matched after folding (so it is
//! case- and accent-insensitive), with a few operators made for the way
//! feedback is phrased:
//!
//! | syntax | matches |
//! |---|---|
//! | `manque` | the word `manque` (also `Manqué`, `MANQUE`) |
//! | `d'expérience` | the two words `d` `experience` |
//! | `compéten*` | any word starting with `competen` (stem of at least 3 letters) |
//! | `motivé{,e,s,es}` | `motive`, `motivee`, `motives`, `motivees` |
//! | `(trop \| très) long` | alternatives, each a sequence |
//! | `vraiment?` | an optional word (or `(…)?` group) |
//! | `~3` | a gap of zero to three arbitrary words |
//! | `@insuffisant` | any entry of the word class `insuffisant` |
//! | `@digits` | a number (built-in class) |
//! | `@unknown` | a word no pattern or class of the ruleset names, even by a typing slip: a tool, an acronym, a name the rules do not list (built-in class) |
//! | `anglais : insuffisant` | a colon between the two words (strong punctuation stops every other pattern) |
//!
//! The parser only builds a syntax tree; classes are resolved and words are
//! interned when the ruleset is compiled (see `matcher`).

use crate::limits::Limits;
use crate::normalize::{Folded, fold_str};
use crate::token::{Token, tokenize};

/// A parsed pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Node {
    /// One folded word, exactly.
    Word(String),
    /// One word starting with this folded stem.
    Prefix(String),
    /// Any entry of a word class.
    Class(String),
    /// Each node in turn.
    Seq(Vec<Node>),
    /// One of the nodes.
    Alt(Vec<Node>),
    /// The node or nothing.
    Opt(Box<Node>),
    /// Zero to n arbitrary words.
    Gap(u8),
    /// A colon between the words before and after: no word itself.
    Colon,
}

impl Node {
    /// The fewest words a match of this node spans.
    pub fn min_words(&self) -> usize {
        match self {
            Node::Word(_) | Node::Prefix(_) => 1,
            Node::Class(_) => 1,
            Node::Seq(v) => v.iter().map(Node::min_words).sum(),
            Node::Alt(v) => v.iter().map(Node::min_words).min().unwrap_or(0),
            Node::Opt(_) | Node::Gap(_) | Node::Colon => 0,
        }
    }

    /// Calls `f` with the name of every class this node refers to.
    pub fn for_each_class<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        match self {
            Node::Class(name) => f(name),
            Node::Seq(v) | Node::Alt(v) => v.iter().for_each(|n| n.for_each_class(f)),
            Node::Opt(n) => n.for_each_class(f),
            Node::Word(_) | Node::Prefix(_) | Node::Gap(_) | Node::Colon => {}
        }
    }
}

/// The alternatives of `node`'s groups that one group lists twice (equal
/// once folded: `(très | tres)` repeats `tres`), each once, in the order
/// they are met. A repeat costs nothing at run time, since the compiler
/// merges equal alternatives; but it is a copy left behind, and it hides
/// which words the group really adds.
pub(crate) fn repeated_alternatives(node: &Node) -> Vec<&Node> {
    let mut out: Vec<&Node> = Vec::new();
    let mut walk = vec![node];
    while let Some(n) = walk.pop() {
        match n {
            Node::Alt(options) => {
                for (i, option) in options.iter().enumerate() {
                    if options[..i].contains(option) && !out.contains(&option) {
                        out.push(option);
                    }
                }
                walk.extend(options.iter().rev());
            }
            Node::Seq(v) => walk.extend(v.iter().rev()),
            Node::Opt(inner) => walk.push(inner),
            Node::Word(_) | Node::Prefix(_) | Node::Class(_) | Node::Gap(_) | Node::Colon => {}
        }
    }
    out
}

/// Shows a node in the pattern language, folded: `(tres | trop) long`.
impl std::fmt::Display for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Node::Word(w) => f.write_str(w),
            Node::Prefix(stem) => write!(f, "{stem}*"),
            Node::Class(name) => write!(f, "@{name}"),
            Node::Seq(v) => {
                for (i, n) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{n}")?;
                }
                Ok(())
            }
            Node::Alt(v) => {
                f.write_str("(")?;
                for (i, n) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" | ")?;
                    }
                    write!(f, "{n}")?;
                }
                f.write_str(")")
            }
            Node::Opt(n) if matches!(**n, Node::Seq(_)) => write!(f, "({n})?"),
            Node::Opt(n) => write!(f, "{n}?"),
            Node::Gap(n) => write!(f, "~{n}"),
            Node::Colon => f.write_str(":"),
        }
    }
}

/// Why a pattern does not parse, and where (a character index in the
/// pattern).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// 0-based character position in the pattern.
    pub position: usize,
    /// What is wrong.
    pub reason: String,
}

/// Parses a pattern, checking it against `limits`.
pub(crate) fn parse(pattern: &str, limits: &Limits) -> Result<Node, SyntaxError> {
    if pattern.trim().is_empty() {
        return Err(SyntaxError {
            position: 0,
            reason: "empty pattern".into(),
        });
    }
    let chars = pattern.chars().count();
    if chars > limits.max_pattern_chars {
        return Err(SyntaxError {
            position: limits.max_pattern_chars,
            reason: format!(
                "pattern is {chars} characters long, the limit is {}",
                limits.max_pattern_chars
            ),
        });
    }
    let mut parser = Parser {
        src: pattern,
        pos: 0,
        limits,
        depth: 0,
        folded: Folded::plain(),
        tokens: Vec::new(),
    };
    let node = parser.alternation()?;
    parser.skip_space();
    if let Some(c) = parser.peek() {
        return Err(parser.error(format!("unexpected `{c}`")));
    }
    if node.min_words() == 0 {
        return Err(SyntaxError {
            position: 0,
            reason: "pattern can match without any word (only optional parts and gaps)".into(),
        });
    }
    check_edges(&node)?;
    Ok(node)
}

/// A gap at either end of a pattern would only widen the evidence; a
/// colon there would join the pattern to a word it does not name.
fn check_edges(node: &Node) -> Result<(), SyntaxError> {
    let err = |which: &str, what: &str| SyntaxError {
        position: 0,
        reason: format!("pattern {which} with {what}: a pattern begins and ends with a word"),
    };
    let edge = |n: Option<&Node>| {
        if matches!(n, Some(Node::Gap(_))) {
            Some("a gap (`~N`)")
        } else if is_colon(n) {
            Some("a colon")
        } else {
            None
        }
    };
    match node {
        Node::Seq(v) => {
            if let Some(what) = edge(v.first()) {
                return Err(err("starts", what));
            }
            if let Some(what) = edge(v.last()) {
                return Err(err("ends", what));
            }
            Ok(())
        }
        Node::Alt(v) => v.iter().try_for_each(check_edges),
        _ => Ok(()),
    }
}

/// Is `node` a colon, or an optional one?
fn is_colon(node: Option<&Node>) -> bool {
    match node {
        Some(Node::Colon) => true,
        Some(Node::Opt(inner)) => matches!(**inner, Node::Colon),
        _ => false,
    }
}

/// Characters with a meaning in the syntax; everything else is literal text.
const SPECIAL: &[char] = &['(', ')', '|', '?', '~', '@', '*', '{', '}', ':'];

/// For each ASCII byte, whether it ends a literal: a special character or
/// white space.
const ENDS_LITERAL: [bool; 128] = {
    let mut table = [false; 128];
    let mut i = 0;
    while i < SPECIAL.len() {
        table[SPECIAL[i] as usize] = true;
        i += 1;
    }
    let mut b = 0;
    while b < 128 {
        // `char::is_whitespace` on ASCII (it counts the vertical tab).
        if matches!(b, 0x09..=0x0d | 0x20) {
            table[b] = true;
        }
        b += 1;
    }
    table
};

/// Nesting deeper than this is refused, so that parsing stays shallow.
const MAX_DEPTH: usize = 16;

/// A recursive-descent parser over the pattern's bytes: every character
/// with a meaning is ASCII, so only literal text is ever decoded, and a
/// literal is a slice of the pattern, not a copy built character by
/// character (the French ruleset has close to a million characters of
/// patterns to parse at each build).
struct Parser<'a> {
    src: &'a str,
    /// Byte offset of the next character.
    pos: usize,
    limits: &'a Limits,
    depth: usize,
    /// Buffers reused for every literal.
    folded: Folded,
    tokens: Vec<Token>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<char> {
        let rest = self.src.as_bytes().get(self.pos..)?;
        match rest.first() {
            Some(&b) if b.is_ascii() => Some(b as char),
            _ => self.src.get(self.pos..)?.chars().next(),
        }
    }

    /// The character position of byte offset `at`, as errors report it.
    fn char_position(&self, at: usize) -> usize {
        self.src.get(..at).map_or(0, |s| s.chars().count())
    }

    fn error(&self, reason: String) -> SyntaxError {
        self.error_at(self.pos, reason)
    }

    fn error_at(&self, at: usize, reason: String) -> SyntaxError {
        SyntaxError {
            position: self.char_position(at),
            reason,
        }
    }

    /// Steps over the character `c` just peeked.
    fn advance(&mut self, c: char) {
        self.pos += c.len_utf8();
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.advance(c);
        }
    }

    fn alternation(&mut self) -> Result<Node, SyntaxError> {
        let mut options = vec![self.sequence()?];
        loop {
            self.skip_space();
            if self.peek() != Some('|') {
                break;
            }
            self.pos += 1;
            options.push(self.sequence()?);
            if options.len() > self.limits.max_alternatives {
                return Err(self.error(format!(
                    "more than {} alternatives in one group",
                    self.limits.max_alternatives
                )));
            }
        }
        if options.len() > 1 && options.iter().any(|o| o.min_words() == 0) {
            // `(a | b?)` silently makes the whole group optional: a slot the
            // author meant to require would match nothing.
            return Err(self.error(
                "an alternative can match no word, which makes the whole group optional: \
                 write the group itself optional, as in `(a | b)?`"
                    .into(),
            ));
        }
        Ok(if options.len() == 1 {
            options.pop().unwrap_or(Node::Seq(Vec::new()))
        } else {
            Node::Alt(options)
        })
    }

    fn sequence(&mut self) -> Result<Node, SyntaxError> {
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None | Some('|') | Some(')') => break,
                _ => {}
            }
            let item = self.item()?;
            match item {
                Node::Seq(inner) => items.extend(inner),
                other => items.push(other),
            }
        }
        if items.is_empty() {
            return Err(self.error("empty alternative".into()));
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Node::Seq(Vec::new()))
        } else {
            Node::Seq(items)
        })
    }

    fn item(&mut self) -> Result<Node, SyntaxError> {
        let node = self.primary()?;
        if self.peek() == Some('?') {
            self.pos += 1;
            if matches!(node, Node::Gap(_)) {
                return Err(self.error("a gap is already optional: `?` after `~N`".into()));
            }
            return Ok(Node::Opt(Box::new(node)));
        }
        Ok(node)
    }

    fn primary(&mut self) -> Result<Node, SyntaxError> {
        match self.peek() {
            Some('(') => self.group(),
            Some('~') => self.gap(),
            Some('@') => self.class(),
            Some(':') => {
                self.pos += 1;
                Ok(Node::Colon)
            }
            Some(c @ ('*' | '{' | '}' | '?')) => Err(self.error(format!(
                "`{c}` must follow a word (write `stem*`, `word{{a,b}}`, `word?`)"
            ))),
            _ => self.literal(),
        }
    }

    fn group(&mut self) -> Result<Node, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("groups nested deeper than {MAX_DEPTH}")));
        }
        let inner = self.alternation()?;
        self.skip_space();
        if self.peek() != Some(')') {
            return Err(self.error_at(open, "`(` is never closed".into()));
        }
        self.pos += 1;
        self.depth -= 1;
        Ok(inner)
    }

    fn gap(&mut self) -> Result<Node, SyntaxError> {
        self.pos += 1;
        let digits = self.take_while(|c| c.is_ascii_digit());
        let n: usize = digits.parse().map_err(|_| {
            self.error("`~` must be followed by a number of words, as in `~3`".into())
        })?;
        if n == 0 || n > self.limits.max_gap {
            return Err(self.error(format!(
                "gap of {n} words: gaps go from 1 to {} words",
                self.limits.max_gap
            )));
        }
        Ok(Node::Gap(n as u8))
    }

    fn class(&mut self) -> Result<Node, SyntaxError> {
        self.pos += 1;
        let name = self.take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if name.is_empty() {
            return Err(self.error(
                "`@` must be followed by a class name (lower-case letters, digits, `_`)".into(),
            ));
        }
        Ok(Node::Class(name.to_string()))
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let start = self.pos;
        while let Some(c) = self.peek().filter(|&c| keep(c)) {
            self.advance(c);
        }
        self.src.get(start..self.pos).unwrap_or("")
    }

    /// The literal text from here to the next white space or special
    /// character; ASCII, most of it, is judged by table.
    fn take_literal(&mut self) -> &'a str {
        let start = self.pos;
        let bytes = self.src.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if b.is_ascii() {
                if ENDS_LITERAL[b as usize] {
                    break;
                }
                self.pos += 1;
            } else {
                match self.peek() {
                    Some(c) if !c.is_whitespace() => self.advance(c),
                    _ => break,
                }
            }
        }
        self.src.get(start..self.pos).unwrap_or("")
    }

    fn literal(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        let text = self.take_literal();
        // Most literals are one plain word, already folded: skip the work.
        let plain = !text.is_empty() && text.bytes().all(|b| b.is_ascii_lowercase());
        if plain && !matches!(self.peek(), Some('*' | '{')) {
            return Ok(Node::Word(text.to_string()));
        }
        let mut parts: Vec<String> = if plain {
            vec![text.to_string()]
        } else {
            self.folded.fold(text, 0);
            tokenize(&self.folded.text, &mut self.tokens);
            let folded = &self.folded.text;
            self.tokens
                .iter()
                .map(|t| folded[t.start as usize..t.end as usize].to_string())
                .collect()
        };
        let Some(last) = parts.pop() else {
            return Err(self.error_at(start, format!("`{text}` contains no word")));
        };
        let last = match self.peek() {
            Some('*') => {
                self.pos += 1;
                if last.chars().count() < self.limits.min_stem_chars {
                    return Err(self.error_at(
                        start,
                        format!(
                            "stem `{last}*` is too short: stems need at least {} letters",
                            self.limits.min_stem_chars
                        ),
                    ));
                }
                Node::Prefix(last)
            }
            Some('{') => self.suffixes(last)?,
            _ => Node::Word(last),
        };
        let mut seq: Vec<Node> = parts.into_iter().map(Node::Word).collect();
        seq.push(last);
        Ok(if seq.len() == 1 {
            seq.pop().unwrap_or(Node::Seq(Vec::new()))
        } else {
            Node::Seq(seq)
        })
    }

    /// `word{a,b,}`: the word followed by each suffix.
    fn suffixes(&mut self, stem: String) -> Result<Node, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let body = self.take_while(|c| c != '}' && c != ')' && c != '|');
        if self.peek() != Some('}') {
            return Err(self.error_at(open, "`{` is never closed".into()));
        }
        self.pos += 1;
        let mut forms: Vec<String> = Vec::new();
        for suffix in body.split(',').map(str::trim) {
            // Suffixes are mostly plain lower-case letters, already folded.
            let folded = if suffix.bytes().all(|b| b.is_ascii_lowercase()) {
                std::borrow::Cow::Borrowed(suffix)
            } else {
                std::borrow::Cow::Owned(fold_str(suffix))
            };
            if !folded.chars().all(char::is_alphanumeric) {
                return Err(self.error_at(open, format!("suffix `{suffix}` must be letters only")));
            }
            let mut form = String::with_capacity(stem.len() + folded.len());
            form.push_str(&stem);
            form.push_str(&folded);
            if !forms.contains(&form) {
                forms.push(form);
            }
        }
        if forms.len() > self.limits.max_alternatives {
            return Err(self.error_at(
                open,
                format!("more than {} suffixes", self.limits.max_alternatives),
            ));
        }
        Ok(if forms.len() == 1 {
            Node::Word(forms.remove(0))
        } else {
            Node::Alt(forms.into_iter().map(Node::Word).collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Node {
        parse(s, &Limits::default()).unwrap()
    }

    fn err(s: &str) -> SyntaxError {
        parse(s, &Limits::default()).unwrap_err()
    }

    fn w(s: &str) -> Node {
        Node::Word(s.into())
    }

    fn repeated(s: &str) -> Vec<String> {
        repeated_alternatives(&p(s))
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn alternatives_equal_once_folded_are_repeats() {
        assert_eq!(repeated("(à | a) la"), ["a"]);
        assert_eq!(repeated("(c'est | c est | c'était) clair"), ["c est"]);
        // Each repeat once, nested groups and optional ones included.
        assert_eq!(
            repeated("(trop (long | Long | LONG) | court)? (x | y | x) ~2 (z | z)"),
            ["long", "x", "z"]
        );
        assert_eq!(repeated("(entre (a b | a  b) | c)"), ["a b"]);
    }

    #[test]
    fn distinct_alternatives_are_no_repeats() {
        // A stem and a word it starts, a class and a word, a word and a
        // longer sequence: each adds something.
        assert!(repeated("(compet* | competence | @fort | fort | fort bien) x").is_empty());
        assert!(repeated("sans groupe").is_empty());
        // Two groups may share an alternative.
        assert!(repeated("(a | b) ~1 (a | b)").is_empty());
    }

    #[test]
    fn a_node_shows_as_the_pattern_it_folds_to() {
        for written in [
            "(tres | trop) long",
            "motive? (un peu)? ~3 @insuffisant",
            "anglais : faible*",
            "(a (b | c) | d)",
        ] {
            assert_eq!(p(written).to_string(), written);
        }
        assert_eq!(p("Très  LONG").to_string(), "tres long");
        assert_eq!(p("d'expérience").to_string(), "d experience");
    }

    #[test]
    fn words_are_folded_and_split() {
        assert_eq!(p("Expérience"), w("experience"));
        assert_eq!(p("d'expérience"), Node::Seq(vec![w("d"), w("experience")]));
        assert_eq!(
            p("trop  scolaire"),
            Node::Seq(vec![w("trop"), w("scolaire")])
        );
    }

    #[test]
    fn stems_suffixes_classes_gaps() {
        assert_eq!(p("compéten*"), Node::Prefix("competen".into()));
        assert_eq!(
            p("motivé{,e,s}"),
            Node::Alt(vec![w("motive"), w("motivee"), w("motives")])
        );
        assert_eq!(
            p("manque ~2 @qualite"),
            Node::Seq(vec![
                w("manque"),
                Node::Gap(2),
                Node::Class("qualite".into())
            ])
        );
    }

    #[test]
    fn groups_alternatives_and_options() {
        assert_eq!(
            p("(trop | très) long?"),
            Node::Seq(vec![
                Node::Alt(vec![w("trop"), w("tres")]),
                Node::Opt(Box::new(w("long")))
            ])
        );
        assert_eq!(
            p("a b | c"),
            Node::Alt(vec![Node::Seq(vec![w("a"), w("b")]), w("c")])
        );
    }

    #[test]
    fn errors_say_where_and_why() {
        assert_eq!(err("(a b").position, 0);
        assert!(err("(a b").reason.contains("never closed"));
        assert!(err("a ~0 b").reason.contains("gaps go from 1"));
        assert!(err("a ~99 b").reason.contains("gaps go from 1"));
        assert!(err("co*").reason.contains("too short"));
        assert!(err("a?").reason.contains("without any word"));
        assert!(err("~2 a").reason.contains("starts with a gap"));
        assert!(err("a ~2").reason.contains("ends with a gap"));
        assert!(err("a | ").reason.contains("empty alternative"));
        assert_eq!(err("  ").reason, "empty pattern");
        assert!(err("@").reason.contains("class name"));
        assert!(err(", a").reason.contains("contains no word"));
        assert!(err("a )").reason.contains("unexpected `)`"));
        assert!(err("*a").reason.contains("must follow a word"));
        assert_eq!(err("abc def {x").position, 8);
        assert!(err(": a").reason.contains("starts with a colon"));
        assert!(err("a :?").reason.contains("ends with a colon"));
        assert!(err(":").reason.contains("without any word"));
    }

    #[test]
    fn a_colon_is_a_token_of_its_own() {
        let labelled = Node::Seq(vec![w("anglais"), Node::Colon, w("faible")]);
        assert_eq!(p("anglais : faible"), labelled);
        assert_eq!(p("Anglais: faible"), labelled);
        assert_eq!(p("anglais :faible"), labelled);
        assert_eq!(
            p("anglais :? faible"),
            Node::Seq(vec![
                w("anglais"),
                Node::Opt(Box::new(Node::Colon)),
                w("faible")
            ])
        );
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        // The parser walks bytes; what it reports is where a reader counts.
        assert_eq!(err("élève été {x").position, 10);
        assert_eq!(err("très (déçu").position, 5);
        assert_eq!(err("é ~0 b").position, 4);
        // Non-ASCII white space separates words, as ASCII space does.
        assert_eq!(
            p("trop\u{a0}scolaire"),
            Node::Seq(vec![w("trop"), w("scolaire")])
        );
        assert_eq!(p("\u{2003}bien\u{3000}"), w("bien"));
        // A vertical tab is white space too: the `?` after it follows no word.
        assert_eq!(err("vraiment\u{b}?").position, 9);
    }

    #[test]
    fn limits_are_enforced() {
        let limits = Limits {
            max_alternatives: 2,
            max_pattern_chars: 20,
            ..Limits::default()
        };
        assert!(
            parse("a | b | c", &limits)
                .unwrap_err()
                .reason
                .contains("alternatives")
        );
        assert!(
            parse(&"a ".repeat(11), &limits)
                .unwrap_err()
                .reason
                .contains("limit")
        );
        let deep = format!("{}a{}", "(".repeat(40), ")".repeat(40));
        assert!(
            parse(&deep, &Limits::default())
                .unwrap_err()
                .reason
                .contains("nested")
        );
    }
}
