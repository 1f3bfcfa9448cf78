//! Which of the rules' raw regexes are worth running on a statement.
//!
//! Rules may carry raw regexes beside their patterns. Almost no statement
//! matches any of them, yet running each one costs a pass over the
//! statement, and one `RegexSet` of them all is slower still (its
//! automaton for the union is large).
//!
//! Most regexes, though, cannot match without some literal strings: every
//! match of `\b(sur|parmi) (les |des )?[0-9]+ candidats` contains `sur ` or
//! `parmi `, and `candidats`; every match of `reponses? : (floue|vague)`
//! contains `reponse`, `:`, and `floue` or `vague`. Such *conditions* come
//! from the `regex-syntax` literal extractor — complete by construction,
//! since the `regex` crate relies on the same sets for its own prefilters —
//! applied to the prefixes and suffixes of the whole regex and the prefixes
//! of each part of a top-level sequence. A set that is unbounded, or holds
//! the empty string (which every text contains) or a literal found in
//! nearly every statement (a space, a digit, a short word), is no
//! condition. One Aho-Corasick pass over the statement then finds every
//! literal present, and a regex runs only when each of its conditions has
//! a literal there (or it has no condition at all).
//!
//! A regex that is an alternation at the top (`[:,]\s*(solide|excellent)|
//! anglais\s*:\s*courant`) has conditions branch by branch: it runs when
//! every condition of one of its branches is met. Taken whole, it would
//! only need the literals every branch begins with — here a colon or a
//! comma, which half the statements hold.

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

use crate::snapshot::{Corrupt, Reader, Snapshot, Writer};

/// The regexes to run on a statement, found by the literals they need.
#[derive(Debug, Clone, Default)]
pub(crate) struct RegexPrefilter {
    /// Every literal of every condition; `None` when there is none.
    literals: Option<AhoCorasick>,
    /// The conditions of literal `k` of `literals` are
    /// `conditions[ends[k]..ends[k + 1]]` (a literal may serve several).
    /// Conditions are numbered branch after branch.
    ends: Vec<u32>,
    conditions: Vec<u32>,
    /// For each condition, its branch (a regex, or one alternative of a
    /// regex that is an alternation at the top).
    branch_of: Vec<u32>,
    /// For each branch, its number of conditions.
    needs: Vec<u32>,
    /// For each branch, its regex.
    regex_of: Vec<u32>,
    /// The regexes with a branch without conditions: always run.
    always: Vec<u32>,
    /// The literals `literals` was built from, each once, kept for the
    /// snapshot (the automaton does not give them back).
    patterns: Vec<Vec<u8>>,
}

impl RegexPrefilter {
    /// Builds the prefilter of `regexes` (regex syntax, as given to the
    /// `regex` crate, which has already accepted each of them).
    pub fn new<'a>(regexes: impl IntoIterator<Item = &'a str>) -> Self {
        let mut filter = RegexPrefilter::default();
        // (literal, condition) pairs.
        let mut literals: Vec<(Vec<u8>, u32)> = Vec::new();
        for (i, regex) in regexes.into_iter().enumerate() {
            let branches = branch_conditions(regex);
            if branches.iter().any(Vec::is_empty) {
                filter.always.push(i as u32);
                continue;
            }
            for sets in branches {
                let branch = filter.needs.len() as u32;
                filter.needs.push(sets.len() as u32);
                filter.regex_of.push(i as u32);
                for set in sets {
                    let condition = filter.branch_of.len() as u32;
                    filter.branch_of.push(branch);
                    literals.extend(shortest(set).into_iter().map(|l| (l, condition)));
                }
            }
        }
        // Each literal is looked for once, whatever the conditions it
        // serves: every match costs the search a stop.
        literals.sort_unstable();
        literals.dedup();
        filter.ends.push(0);
        for group in literals.chunk_by(|a, b| a.0 == b.0) {
            filter.patterns.push(group[0].0.clone());
            filter.conditions.extend(group.iter().map(|&(_, c)| c));
            filter.ends.push(filter.conditions.len() as u32);
        }
        filter.find_literals();
        filter
    }

    /// Builds the automaton of `patterns`.
    fn find_literals(&mut self) {
        if self.patterns.is_empty() {
            return;
        }
        // A contiguous NFA, not a DFA: the DFA's transition table for the
        // French regexes' literals took 1.7 MB of heap and a few
        // milliseconds to build at load time, for a scan no faster on
        // ordinary text (fewer instructions, more cache misses); only on
        // texting with a slip in every word was the DFA ahead, by about
        // 8 % end to end. If the automaton cannot be built (never seen for
        // a few thousand short literals), every regex runs.
        self.literals = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&self.patterns)
            .ok();
        if self.literals.is_none() {
            self.always.extend_from_slice(&self.regex_of);
            self.always.sort_unstable();
            self.always.dedup();
        }
    }

    /// The indexes of the regexes that can match somewhere in `text`, in
    /// increasing order, into `out`.
    pub fn candidates(&self, text: &str, out: &mut Vec<u32>) {
        out.clear();
        if let Some(automaton) = &self.literals {
            // Overlapping: a literal inside another ("sur " in "parmi sur ")
            // must not hide it.
            for m in automaton.find_overlapping_iter(text) {
                let k = m.pattern().as_usize();
                if let (Some(&from), Some(&to)) = (self.ends.get(k), self.ends.get(k + 1)) {
                    out.extend(
                        self.conditions
                            .get(from as usize..to as usize)
                            .unwrap_or(&[]),
                    );
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        // The conditions met, grouped by branch: keep the regexes of the
        // branches that meet all of theirs, in place (each group leaves at
        // most one entry).
        let branch_of = |c: u32| self.branch_of.get(c as usize).copied();
        let (mut read, mut write) = (0, 0);
        while read < out.len() {
            let branch = branch_of(out[read]);
            let met = out[read..]
                .iter()
                .take_while(|&&c| branch_of(c) == branch)
                .count();
            let needs = branch.and_then(|b| self.needs.get(b as usize));
            if let (Some(&needs), Some(&regex)) =
                (needs, branch.and_then(|b| self.regex_of.get(b as usize)))
            {
                if met as u32 == needs {
                    out[write] = regex;
                    write += 1;
                }
            }
            read += met;
        }
        out.truncate(write);
        out.extend_from_slice(&self.always);
        out.sort_unstable();
        out.dedup();
    }
}

impl Snapshot for RegexPrefilter {
    fn write(&self, w: &mut Writer) {
        w.ids(&self.ends);
        w.ids(&self.conditions);
        self.branch_of.write(w);
        self.needs.write(w);
        self.regex_of.write(w);
        self.always.write(w);
        self.patterns.write(w);
    }

    /// Rebuilds the automaton, not the conditions: finding those parses
    /// every regex.
    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        let mut filter = RegexPrefilter {
            literals: None,
            ends: r.ids()?,
            conditions: r.ids()?,
            branch_of: Snapshot::read(r)?,
            needs: Snapshot::read(r)?,
            regex_of: Snapshot::read(r)?,
            always: Snapshot::read(r)?,
            patterns: Snapshot::read(r)?,
        };
        filter.find_literals();
        Ok(filter)
    }
}

/// The conditions of each branch of `regex` (the alternatives of an
/// alternation at its top, or the whole regex): a branch without
/// conditions when it does not parse.
fn branch_conditions(regex: &str) -> Vec<Vec<Vec<Vec<u8>>>> {
    let Ok(hir) = regex_syntax::parse(regex) else {
        return vec![Vec::new()];
    };
    match ungrouped(&hir).kind() {
        HirKind::Alternation(branches) => branches.iter().map(conditions).collect(),
        _ => vec![conditions(&hir)],
    }
}

/// `hir` without the capture groups around it: they match what it does.
fn ungrouped(hir: &Hir) -> &Hir {
    match hir.kind() {
        HirKind::Capture(group) => ungrouped(&group.sub),
        _ => hir,
    }
}

/// The conditions of `hir`: sets of literals each of which must have one
/// in any text it matches.
fn conditions(hir: &Hir) -> Vec<Vec<Vec<u8>>> {
    let mut sets: Vec<Vec<Vec<u8>>> = Vec::new();
    sets.extend(literal_set(hir, ExtractKind::Prefix));
    sets.extend(literal_set(hir, ExtractKind::Suffix));
    // Each part of a sequence matches inside the whole match.
    if let HirKind::Concat(parts) = ungrouped(hir).kind() {
        sets.extend(
            parts
                .iter()
                .filter_map(|p| literal_set(p, ExtractKind::Prefix)),
        );
    }
    sets.sort_unstable();
    sets.dedup();
    sets
}

/// The literals of `set` that hold no other of its literals: wherever a
/// longer one occurs, the shorter one inside it does too ("competences"
/// adds nothing to "competence").
fn shortest(set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let holds = |long: &[u8], short: &[u8]| {
        long.len() > short.len() && long.windows(short.len()).any(|w| w == short)
    };
    set.iter()
        .filter(|l| !set.iter().any(|other| holds(l, other)))
        .cloned()
        .collect()
}

/// The literals every match of `hir` begins (or ends) with, sorted;
/// `None` when they are unbounded or one is not worth looking for.
fn literal_set(hir: &Hir, kind: ExtractKind) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new().kind(kind).extract(hir);
    let mut set: Vec<Vec<u8>> = seq
        .literals()?
        .iter()
        .map(|l| l.as_bytes().to_vec())
        .collect();
    if set.is_empty() || !set.iter().all(|l| worth_looking_for(l)) {
        return None;
    }
    set.sort_unstable();
    set.dedup();
    Some(set)
}

/// Is `literal` rare enough to be worth looking for? The empty string is
/// in every text, and a space, a letter, a digit or a two-letter word in
/// nearly every statement: looking for them would cost more than it saves.
/// A punctuation mark (`:`) is rare enough, and so is anything longer.
fn worth_looking_for(literal: &[u8]) -> bool {
    match literal {
        [] => false,
        [b] => b.is_ascii_punctuation(),
        [_, _] => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw_regex::RawRegex;
    use proptest::prelude::*;

    fn candidates(regexes: &[&str], text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        RegexPrefilter::new(regexes.iter().copied()).candidates(text, &mut out);
        out
    }

    #[test]
    fn regexes_run_only_where_their_literals_occur() {
        let regexes = [
            r"\b(sur|parmi) (les |des )?[0-9]+ candidats",
            r"(?:^|\s)reponses?\s*:\s*(floue|vague)",
        ];
        assert_eq!(
            candidates(&regexes, "nous avons recu 80 dossiers"),
            [] as [u32; 0]
        );
        assert_eq!(candidates(&regexes, "parmi les 80 candidats"), [0]);
        assert_eq!(candidates(&regexes, "reponses : vague"), [1]);
        assert_eq!(
            candidates(&regexes, "sur 9 candidats, reponses : floue"),
            [0, 1]
        );
    }

    #[test]
    fn a_regex_without_required_literals_always_runs() {
        // `\w+\d` has no literal, `a?b?` can match the empty string, and a
        // single letter is in too many statements to be worth looking for.
        let regexes = [r"\w+\d", "xyz", r"a?b?", "q"];
        assert_eq!(candidates(&regexes, "rien"), [0, 2, 3]);
        assert_eq!(candidates(&regexes, "xyz"), [0, 1, 2, 3]);
        // Whereas every match of `\w+\s*:` ends with a colon.
        assert_eq!(candidates(&[r"\w+\s*:"], "rien"), [] as [u32; 0]);
    }

    #[test]
    fn every_part_of_a_sequence_is_a_condition() {
        // Label, colon and judgement must all be there.
        let regexes = [r"(?:^|\s)(reponses?|propos)\s*:\s*(floue|vague)"];
        assert_eq!(candidates(&regexes, "reponses : floue"), [0]);
        assert_eq!(candidates(&regexes, "des reponses floues"), [] as [u32; 0]);
        assert_eq!(candidates(&regexes, "propos: vague"), [0]);
        assert_eq!(candidates(&regexes, "note : vague"), [] as [u32; 0]);
        // An optional part is no condition.
        let regexes = [r"sur (les )?[0-9]+ candidats"];
        assert_eq!(candidates(&regexes, "sur 80 candidats"), [0]);
    }

    #[test]
    fn an_alternation_runs_where_one_branch_has_all_it_needs() {
        // Taken whole, this regex would need only a colon or a comma.
        let regexes = [r"[:,]\s*(?:solide|excellent)|anglais\s*:\s*courant"];
        assert_eq!(
            candidates(&regexes, "sql, encore a renforcer"),
            [] as [u32; 0]
        );
        assert_eq!(
            candidates(&regexes, "anglais, un peu juste"),
            [] as [u32; 0]
        );
        assert_eq!(candidates(&regexes, "dossier : solide"), [0]);
        assert_eq!(candidates(&regexes, "anglais : courant"), [0]);
        assert_eq!(candidates(&regexes, "anglais : courant, solide"), [0]);
        // One branch without conditions makes the regex run everywhere.
        assert_eq!(candidates(&[r"anglais\s*:|\w+\d"], "rien"), [0]);
        // Groups around the whole or a branch change nothing.
        let grouped = [r"((^|\n)\W*(points? forts?)\s*:\s*\w)|(:\s*(tres )?solide)"];
        assert_eq!(candidates(&grouped, "rien, rien"), [] as [u32; 0]);
        assert_eq!(candidates(&grouped, "points forts : le code"), [0]);
        assert_eq!(candidates(&grouped, "dossier : solide"), [0]);
    }

    #[test]
    fn a_literal_serves_every_condition_it_is_in_once() {
        // " a renforcer" is a condition of both regexes: looked for once.
        let regexes = [r"competences? a renforcer", r"sql,? a renforcer"];
        let filter = RegexPrefilter::new(regexes);
        let looked_for = |l: &str| {
            filter
                .patterns
                .iter()
                .filter(|p| p == &l.as_bytes())
                .count()
        };
        assert_eq!(looked_for(" a renforcer"), 1);
        assert_eq!(candidates(&regexes, "sql a renforcer"), [1]);
        assert_eq!(
            candidates(&regexes, "competences a renforcer, sql a renforcer"),
            [0, 1]
        );
        assert_eq!(candidates(&regexes, "competences sql"), [] as [u32; 0]);
        // A literal holding another of its set adds nothing to it.
        let set = |ls: &[&str]| ls.iter().map(|l| l.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(
            shortest(set(&["competence", "competences", "acompetence", "savoir"])),
            set(&["competence", "savoir"])
        );
    }

    #[test]
    fn case_insensitive_regexes_are_filtered_in_every_case() {
        let regexes = [r"(?i)cv\s+:"];
        assert_eq!(candidates(&regexes, "Votre CV :"), [0]);
        assert_eq!(candidates(&regexes, "votre parcours"), [] as [u32; 0]);
    }

    /// Phrases shaped like what the French regexes look for — a label, a
    /// colon, a judgement; a count of applications — with their parts
    /// drawn at random, so that many texts match some regex (a third of
    /// the cases, when this was written).
    fn phrase() -> impl Strategy<Value = String> {
        let pick = |items: &'static [&'static str]| proptest::sample::select(items);
        prop_oneof![
            (
                pick(&["", "- ", "• ", "\n", "(", "x"]),
                pick(&[
                    "reponses",
                    "experience",
                    "anglais",
                    "cv",
                    "parcours",
                    "points faibles",
                    "excel",
                    "notes"
                ]),
                pick(&[" : ", ":", " ", " - "]),
                pick(&["", "trop ", "un peu ", "tres "]),
                pick(&[
                    "juste",
                    "floue",
                    "insuffisant",
                    "decousu",
                    "vague",
                    "bien",
                    "é"
                ]),
            )
                .prop_map(|(a, b, c, d, e)| format!("{a}{b}{c}{d}{e}")),
            (
                pick(&["sur ", "parmi ", "nous avons eu ", "il y avait ", ""]),
                pick(&["les ", "plus de ", ""]),
                pick(&["120 ", "3 ", "45", "€ "]),
                pick(&["candidats", "candidatures", "dossiers", "profils"]),
                pick(&[" pour un poste", " pour une place", "", " ."]),
            )
                .prop_map(|(a, b, c, d, e)| format!("{a}{b}{c}{d}{e}")),
        ]
    }

    /// The French regexes and their prefilter, compiled once (slow in a
    /// debug build): the filter built from the regexes as written, each
    /// regex compiled as the classifier compiles it (with ASCII classes).
    fn french() -> &'static (Vec<RawRegex>, RegexPrefilter) {
        static FRENCH: std::sync::OnceLock<(Vec<RawRegex>, RegexPrefilter)> =
            std::sync::OnceLock::new();
        FRENCH.get_or_init(|| {
            let french = crate::Classifier::french();
            let sources: Vec<&str> = french
                .rules()
                .iter()
                .flat_map(|r| r.regex.iter().map(String::as_str))
                .collect();
            let max_bytes = french.limits().max_regex_bytes;
            let regexes = sources
                .iter()
                .map(|r| RawRegex::compile(r, max_bytes).expect("compiles"))
                .collect();
            (regexes, RegexPrefilter::new(sources))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn no_regex_that_matches_is_filtered_out(
            phrases in proptest::collection::vec(phrase(), 1..4),
            glue in proptest::sample::select(&[" ", ", ", ". ", "\n", " et "][..]),
        ) {
            let text = phrases.join(glue);
            let (regexes, filter) = french();
            let mut worth = Vec::new();
            filter.candidates(&text, &mut worth);
            for (i, regex) in regexes.iter().enumerate() {
                if regex.get().is_some_and(|r| r.is_match(&text)) {
                    prop_assert!(worth.contains(&(i as u32)), "regex {i} on {text:?}");
                }
            }
        }
    }
}
