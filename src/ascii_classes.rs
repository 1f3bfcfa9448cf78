//! Raw regexes read `\w`, `\d`, `\s` and `\b` as ASCII.
//!
//! A raw regex runs on the folded statement (see `normalize`): lower case,
//! accents stripped, every space one space. Its letters are ASCII, so
//! Unicode's word class — seven hundred ranges, which the `regex` crate
//! compiles into thousands of automaton states — buys nothing there, yet
//! costs memory twice: in each compiled regex, and in the lazy DFA cache
//! each thread keeps for it. A Unicode word boundary also stops the lazy
//! DFA on any non-ASCII byte (a `€`, a `•`), sending the search to a
//! slower engine.
//!
//! So before a raw regex is compiled, its Perl classes become the ASCII
//! classes of the same name (`\w` → `[[:word:]]`, `\D` → `[^[:digit:]]`,
//! inside brackets `[\s,]` → `[[:space:],]`) and its word boundaries
//! ASCII ones (`\b` → `(?-u:\b)`). Everything else keeps its Unicode
//! meaning: `.` and `[^;]` still match any character, and a class may
//! still hold `•` or `→`. The rewrite works on the regex's syntax tree,
//! never on its text, so an escaped backslash or a class is never
//! mistaken for one of these.

use regex_syntax::ast::{
    self, AssertionKind, Ast, ClassAscii, ClassAsciiKind, ClassBracketed, ClassPerlKind, ClassSet,
    ClassSetItem, Flag, Flags, FlagsItem, FlagsItemKind, Group, GroupKind,
};

/// `source` with its Perl classes and word boundaries made ASCII; `None`
/// when it does not parse (compiling the source as written then says why).
pub(crate) fn ascii_classes(source: &str) -> Option<String> {
    let mut tree = ast::parse::Parser::new().parse(source).ok()?;
    rewrite(&mut tree);
    let mut out = String::with_capacity(source.len() + 16);
    ast::print::Printer::new().print(&tree, &mut out).ok()?;
    Some(out)
}

fn rewrite(tree: &mut Ast) {
    match tree {
        Ast::ClassPerl(class) => {
            let span = class.span;
            *tree = Ast::class_bracketed(ClassBracketed {
                span,
                negated: class.negated,
                kind: ClassSet::Item(ClassSetItem::Ascii(ascii(span, &class.kind, false))),
            });
        }
        Ast::Assertion(assertion) if is_word_boundary(&assertion.kind) => {
            let span = assertion.span;
            let item = |kind| FlagsItem { span, kind };
            let ascii_only = Flags {
                span,
                items: vec![
                    item(FlagsItemKind::Negation),
                    item(FlagsItemKind::Flag(Flag::Unicode)),
                ],
            };
            *tree = Ast::group(Group {
                span,
                kind: GroupKind::NonCapturing(ascii_only),
                ast: Box::new(Ast::Assertion(assertion.clone())),
            });
        }
        Ast::ClassBracketed(class) => rewrite_set(&mut class.kind),
        Ast::Repetition(repetition) => rewrite(&mut repetition.ast),
        Ast::Group(group) => rewrite(&mut group.ast),
        Ast::Alternation(alternation) => alternation.asts.iter_mut().for_each(rewrite),
        Ast::Concat(concat) => concat.asts.iter_mut().for_each(rewrite),
        _ => {}
    }
}

fn rewrite_set(set: &mut ClassSet) {
    match set {
        ClassSet::Item(item) => rewrite_item(item),
        ClassSet::BinaryOp(op) => {
            rewrite_set(&mut op.lhs);
            rewrite_set(&mut op.rhs);
        }
    }
}

fn rewrite_item(item: &mut ClassSetItem) {
    match item {
        ClassSetItem::Perl(class) => {
            *item = ClassSetItem::Ascii(ascii(class.span, &class.kind, class.negated));
        }
        ClassSetItem::Bracketed(class) => rewrite_set(&mut class.kind),
        ClassSetItem::Union(union) => union.items.iter_mut().for_each(rewrite_item),
        _ => {}
    }
}

/// The ASCII class named like a Perl class.
fn ascii(span: ast::Span, kind: &ClassPerlKind, negated: bool) -> ClassAscii {
    let kind = match kind {
        ClassPerlKind::Digit => ClassAsciiKind::Digit,
        ClassPerlKind::Space => ClassAsciiKind::Space,
        ClassPerlKind::Word => ClassAsciiKind::Word,
    };
    ClassAscii {
        span,
        kind,
        negated,
    }
}

fn is_word_boundary(kind: &AssertionKind) -> bool {
    matches!(
        kind,
        AssertionKind::WordBoundary
            | AssertionKind::NotWordBoundary
            | AssertionKind::WordBoundaryStart
            | AssertionKind::WordBoundaryEnd
            | AssertionKind::WordBoundaryStartAngle
            | AssertionKind::WordBoundaryEndAngle
            | AssertionKind::WordBoundaryStartHalf
            | AssertionKind::WordBoundaryEndHalf
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ascii_of(source: &str) -> String {
        ascii_classes(source).expect("parses")
    }

    #[test]
    fn perl_classes_and_boundaries_become_ascii() {
        for source in [
            r"\bprofil\w*",
            r"\W\D\S",
            r"[^\w\s]",
            r"\b{start}x\b{end-half}",
        ] {
            let rewritten = ascii_of(source);
            assert!(regex::Regex::new(&rewritten).is_ok(), "{rewritten}");
        }
        assert_eq!(ascii_of(r"\bprofil\w*"), r"(?-u:\b)profil[[:word:]]*");
        assert_eq!(ascii_of(r"\d+\s*k\B"), r"[[:digit:]]+[[:space:]]*k(?-u:\B)");
        assert_eq!(ascii_of(r"\W\D\S"), r"[^[:word:]][^[:digit:]][^[:space:]]");
        assert_eq!(ascii_of(r"[\s(\-•*]"), r"[[:space:](\-•*]");
        assert_eq!(ascii_of(r"[^\w\s]"), r"[^[:word:][:space:]]");
        assert_eq!(
            ascii_of(r"\b{start}x\b{end-half}"),
            r"(?-u:\b{start})x(?-u:\b{end-half})"
        );
    }

    #[test]
    fn everything_else_is_kept_as_written() {
        for source in [
            r"(?:reponses?|propos)\s*:",
            r"\\w et \\b",
            r"[^;.]{1,40}",
            r"^poste$",
            r"(?i)a|b",
            r"\p{L}",
            r"→",
        ] {
            let rewritten = ascii_of(source);
            let kept = source.replace(r"\s", "[[:space:]]");
            assert_eq!(rewritten, kept, "{source}");
        }
    }

    #[test]
    fn the_rewritten_regex_matches_ascii_word_characters_only() {
        let unicode = regex::Regex::new(r"\b\w+\b").expect("compiles");
        let ascii = regex::Regex::new(&ascii_of(r"\b\w+\b")).expect("compiles");
        let text = "poste: ingenieur, 45 k€";
        let words = |r: &regex::Regex| r.find_iter(text).map(|m| m.as_str()).collect::<Vec<_>>();
        assert_eq!(words(&unicode), words(&ascii));
        assert_eq!(ascii.find("жк").map(|m| m.as_str()), None);
        assert_eq!(unicode.find("жк").map(|m| m.as_str()), Some("жк"));
    }

    #[test]
    fn an_unparsable_source_is_left_to_the_compiler() {
        assert_eq!(ascii_classes("(unclosed"), None);
    }
}
