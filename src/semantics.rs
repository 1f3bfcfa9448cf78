//! What matches mean: clauses, negation, exoneration, precedence.
//!
//! A pattern match is only a candidate. The labelling guide's rules decide
//! what it says about the candidate, and they depend on the words around it:
//!
//! * **Clauses.** Strong punctuation and every contrast connective
//!   (`mais`, `cependant`, `malgré`, `en revanche`…, from the `contrast`
//!   class) open a new clause — unless the connective is set off by commas
//!   inside a clause ("la norme, en revanche, était indispensable"). In "justes mais trop scolaires" the praise and
//!   the criticism are judged separately, and a negation in one clause never
//!   reaches into the next.
//! * **Negation.** A `negation` cue (`pas`, `jamais`, `aucun`, `sans`,
//!   `n'… plus`) negates a match when it lies in the same clause, before the
//!   match or inside one of its gaps, within `negation_window` words and with
//!   no comma or line break in between (in notes, « pas du tout » on one
//!   line says nothing of the next) — unless the cue is part of the pattern itself
//!   (then the rule *is* about the negation), or a `negation_exception`
//!   (`pas mal`, `sans doute`) covers it. The rule's [`Negation`] policy then
//!   cancels the finding, turns it into a strength, or keeps it. A negation
//!   inside a `denial` ("ce n'est pas une question de…", "il ne s'agit ni
//!   de…") denies a reason rather than praising: it always cancels. A
//!   `negation_barrier` word between the negation and the match ("on n'a
//!   pas compris *pourquoi* vous…") ends its reach, and the negation word
//!   of a refusal ("nous ne pouvons *pas* retenir votre candidature car…")
//!   negates nothing else. Nor does that of a `negated_opinion` ("le
//!   client n'a *pas* aimé les trous de votre CV" states the gaps), whose
//!   negation denies its own liking verb instead: a signal whose match
//!   starts on that verb ("ils n'ont pas *apprécié votre attitude*") is no
//!   praise.
//! * **Two negations.** A `claim_denial` (« ce n'est pas que », "I can't
//!   say") negates what follows as one negation does; a negation inside
//!   the claim it introduces is denied with it, and the two affirm: "I
//!   can't say you weren't the candidate we wanted" praises, "it's not as
//!   if your Portuguese isn't good enough" denies the deficit.
//! * **Exoneration.** "Vos compétences ne sont pas en cause": an
//!   `exoneration` cue cancels the findings that come before it in its
//!   clause and adds nothing, unless a `negation_exception` covers it
//!   ("le budget a été gelé, rien à voir avec vous" clears the candidate,
//!   not the budget). Praise said in passing before it stands
//!   ("votre portfolio, qui est excellent, n'y est pour rien"): a signal
//!   is only cancelled when its match runs into the cue.
//! * **Questions answered no.** "Un problème de niveau ? Pas du tout, …":
//!   a statement ending on a question mark loses its findings when the next
//!   statement, or the one after a word or two of hesitation ("Honnêtement ?
//!   Non."), opens with an `answer_no` cue; the statement stream reads that
//!   answer up to two statements early (see `Statements`).
//! * **Reported questions.** "You asked whether your gap counted": after
//!   a `reported_question` cue, the causes the clause names were asked
//!   about, not stated, and are cancelled; the answer, in the next clause
//!   (« vous me demandiez si c'était votre âge : non, c'est le budget »),
//!   stands. Signals stay: what a candidate asks for ("you asked whether
//!   you could reapply") is mostly granted.
//! * **Hedges** lower confidence but never cancel.
//! * **Precedence.** A rule may yield to categories (`yields_to`): "budget"
//!   in a salary clause is salary, not the economic context, and so is a
//!   savings plan in a contrast joined to it (« malgré le plan
//!   d'économies »). Strong punctuation bounds it: « connaissances
//!   insuffisantes ; aucune idée de notre organisation » keeps the skills
//!   of the first part beside the preparation of the second.
//! * **One finding per category and facet** per statement: the most
//!   confident, then the earliest.
//!
//! [`Negation`]: crate::Negation

use std::ops::RangeInclusive;

use crate::analysis::Finding;
use crate::classifier::{CompiledRule, Cue};
use crate::matcher::{MAX_MATCH_WORDS, Match, Owner};
use crate::token::Token;

/// A cue match: its kind and word range.
#[derive(Clone, Copy, Debug)]
struct CueMatch {
    start: u32,
    end: u32,
    literal: u64,
    /// Among the negations: a `claim_denial`, which negates from its end.
    claim: bool,
}

/// The engine cues found in one statement, by kind, each sorted by start.
///
/// Every question the semantics asks ("is there a negation shortly before
/// this match?") is answered by a binary search plus a scan bounded by the
/// longest possible match, so that a statement packed with cues costs time
/// linear in its length.
#[derive(Debug, Default)]
pub(crate) struct StatementCues {
    by_kind: [Vec<CueMatch>; Cue::ALL.len()],
    /// Negation cues that no exception covers.
    negations: Vec<CueMatch>,
}

/// The cues of `v` (sorted by start) that overlap words `start..end`.
fn overlapping(v: &[CueMatch], start: u32, end: u32) -> impl Iterator<Item = &CueMatch> {
    let lo = start.saturating_sub(MAX_MATCH_WORDS as u32);
    let from = v.partition_point(|c| c.start < lo);
    v[from..]
        .iter()
        .take_while(move |c| c.start < end)
        .filter(move |c| c.end > start)
}

/// Is word `i`, inside cue `c`, a literal word of the cue's pattern?
fn literal_at(c: &CueMatch, i: u32) -> bool {
    c.literal >> (i - c.start).min(63) & 1 == 1
}

/// Is a literal word of cue `n` a literal word of match `m`: does the
/// pattern name the cue's word?
fn named_by(n: &CueMatch, m: &Match) -> bool {
    (n.start..n.end)
        .filter(|&i| literal_at(n, i))
        .any(|i| m.is_literal(i))
}

impl StatementCues {
    /// Collects the cues of `matches` (sorted by start, as `find` gives
    /// them), reusing this value's buffers.
    pub fn fill(&mut self, matches: &[Match]) {
        self.by_kind.iter_mut().for_each(Vec::clear);
        self.negations.clear();
        for m in matches {
            if let Owner::Cue(i) = m.owner {
                if let Some(v) = self.by_kind.get_mut(i as usize) {
                    v.push(CueMatch {
                        start: m.start,
                        end: m.end,
                        literal: m.literal,
                        claim: false,
                    });
                }
            }
        }
        // A claim denial ("it's not that…", "I can't say…") is one negation,
        // whatever negation words it holds, unless an exception covers it
        // ("I can't pretend your notice period wasn't a factor").
        let mut claims = std::mem::take(&mut self.by_kind[Cue::ClaimDenial as usize]);
        let exceptions = &self.by_kind[Cue::NegationException as usize];
        claims.retain(|c| overlapping(exceptions, c.start, c.end).next().is_none());
        claims.iter_mut().for_each(|c| c.claim = true);
        self.by_kind[Cue::ClaimDenial as usize] = claims;
        // A negation word inside an exception ("pas mal"), a negated
        // opinion ("the client didn't like the gaps in your CV" states the
        // gaps) or a refusal ("nous ne pouvons pas retenir votre
        // candidature") negates nothing else: the refusal's `pas` is about
        // the refusal. Nor does one inside a claim denial, which is a
        // negation of its own.
        let exceptions = &self.by_kind[Cue::NegationException as usize];
        let opinions = &self.by_kind[Cue::NegatedOpinion as usize];
        let refusals = &self.by_kind[Cue::Rejection as usize];
        let claims = &self.by_kind[Cue::ClaimDenial as usize];
        self.negations.extend(
            self.by_kind[Cue::Negation as usize]
                .iter()
                .filter(|n| overlapping(exceptions, n.start, n.end).next().is_none())
                .filter(|n| overlapping(opinions, n.start, n.end).next().is_none())
                .filter(|n| overlapping(refusals, n.start, n.end).next().is_none())
                .filter(|n| overlapping(claims, n.start, n.end).next().is_none())
                .copied(),
        );
        if !claims.is_empty() {
            self.negations.extend_from_slice(claims);
            self.negations.sort_unstable_by_key(|n| (n.start, n.end));
        }
        // Nor does an exoneration inside an exception clear what comes
        // before it: "the budget was frozen, nothing to do with you" clears
        // the candidate, and the budget stands.
        let exceptions = std::mem::take(&mut self.by_kind[Cue::NegationException as usize]);
        if !exceptions.is_empty() {
            self.by_kind[Cue::Exoneration as usize]
                .retain(|e| overlapping(&exceptions, e.start, e.end).next().is_none());
        }
        self.by_kind[Cue::NegationException as usize] = exceptions;
    }

    fn of(&self, cue: Cue) -> &[CueMatch] {
        &self.by_kind[cue as usize]
    }

    /// Is there a cue of this kind anywhere in the statement?
    pub fn has(&self, cue: Cue) -> bool {
        !self.of(cue).is_empty()
    }

    /// Does the statement open with a cue of this kind?
    pub fn starts_with(&self, cue: Cue) -> bool {
        self.of(cue).first().is_some_and(|c| c.start == 0)
    }

    /// Is match `m` exonerated: followed, in its clause, by "… n'est pas
    /// en cause"? What comes after the cue ("…, elle était même
    /// remarquable") stands. So does a signal said in passing before it
    /// ("vos études de cas, que nous avons appréciées, ne sont pas en
    /// cause"), when `signal`, unless the match runs into the cue itself.
    /// A cause is also exonerated by a cue that opens the next clause,
    /// after one word at most and past a contrast that opens it ("…, mais
    /// cela n'a pas pesé").
    pub fn exonerated(&self, m: &Match, clause: u32, clauses: &Clauses, signal: bool) -> bool {
        let v = self.of(Cue::Exoneration);
        let next = v.partition_point(|c| c.start <= m.start);
        // Clauses grow with position: only the first cue after can share it.
        let Some(c) = v.get(next) else {
            return false;
        };
        let own = clauses.of(c.start);
        if own == clause {
            return !signal || m.end > c.start;
        }
        // A cue that opens the next clause, after one word at most (its
        // subject: « vous ne connaissiez pas Sage ; ce n'est pas un
        // obstacle »), clears the clause before it too.
        !signal
            && clause.checked_add(1) == Some(own)
            && m.end <= c.start
            && c.start <= clauses.past_contrast(own) + 1
    }

    /// Is match `m` inside a question the candidate asked, reported ("you
    /// asked whether your gap counted against you", « vous me demandiez si
    /// votre âge avait joué »): after a `reported_question` cue, in the
    /// same clause? A cause asked about is not stated, whatever the answer;
    /// the answer, in the next clause (« : non, c'est le budget »), stands.
    /// A match that starts on the cue's last word (« vous me demandiez *si
    /// vos prétentions avaient joué* ») is inside the question too.
    /// (The caller leaves signals alone.)
    pub fn questioned(&self, m: &Match, clause: u32, clauses: &Clauses) -> bool {
        let v = self.of(Cue::ReportedQuestion);
        v[..v.partition_point(|c| c.start < m.start)]
            .iter()
            .any(|c| c.end <= m.start + 1 && clauses.of(c.start) == clause)
    }

    /// Does match `m` hold a negation: a word its pattern names ("n'a *pas*
    /// tenu la route") or one of its gaps ("une année, *sans* autre
    /// détail, a intrigué")? A negation word inside an exception ("pas
    /// mal"), a negated opinion or a refusal negates nothing, here as in
    /// [`negation`](Self::negation).
    pub fn holds_negation(&self, m: &Match) -> bool {
        overlapping(&self.negations, m.start, m.end)
            .next()
            .is_some()
    }

    /// Does match `m` start on the verb of a negated opinion ("they
    /// didn't *like your attitude*")? Such a match praises nothing. A
    /// negation exception over the opinion ("not one of us who didn't
    /// love…") turns it back into praise.
    pub fn opinion_negated(&self, m: &Match) -> bool {
        let exceptions = self.of(Cue::NegationException);
        overlapping(self.of(Cue::NegatedOpinion), m.start, m.start + 1)
            .any(|o| o.start < m.start && overlapping(exceptions, o.start, o.end).next().is_none())
    }

    /// How match `m`, which lies in `clause`, is negated, if it is.
    pub fn negation(&self, m: &Match, clause: u32, clauses: &Clauses, window: u32) -> Negated {
        let reach = Reach {
            cues: self,
            clauses,
            window,
        };
        if let Some(doubled) = self.doubled(m, clause, &reach) {
            return doubled;
        }
        let from = reach.from(m.start);
        let mut found = overlapping(&self.negations, from, m.end)
            .filter(|n| clauses.of(n.start) == clause && n.start < m.end && !named_by(n, m))
            .filter(|n| n.end > m.start || reach.before(n, m.start))
            .peekable();
        if found.peek().is_none() {
            return if self.owns_named(m, from) || self.denied_before(m, clause, &reach) {
                Negated::Denied
            } else {
                Negated::No
            };
        }
        if found.any(|n| self.in_denial(n, clause, clauses)) {
            Negated::Denied
        } else {
            Negated::Yes
        }
    }

    /// Does a denial that holds a negation end right before match `m`, in
    /// its clause, within the window? Its reach is measured from its end,
    /// and its own words are no barrier: in "we didn't turn you down
    /// *because of* the gap in your CV" the denial names the reason it
    /// denies, however far its negation stands from the match.
    fn denied_before(&self, m: &Match, clause: u32, reach: &Reach<'_>) -> bool {
        overlapping(self.of(Cue::Denial), reach.from(m.start), m.start)
            .filter(|d| reach.clauses.of(d.start) == clause)
            .filter(|d| reach.spans(d.end, m.start))
            .any(|d| {
                overlapping(&self.negations, d.start, d.end)
                    .any(|n| d.start <= n.start && n.end <= d.end)
            })
    }

    /// Does a denial own a negation that the pattern of `m` names? It
    /// does when the match passes, in a gap, over the words of the denial
    /// that follow the negation: a rule written for "not qualified" then
    /// reads "it's *not* a question of your qualifications", and the
    /// denial, not the rule, says what the negation bears on: a reason
    /// denied. Words of the denial before the negation (« ce n'est pas
    /// possible ») leave it to the rule, as does a pattern that writes
    /// the denial's words itself ("not about the money").
    fn owns_named(&self, m: &Match, from: u32) -> bool {
        let denials = self.of(Cue::Denial);
        if denials.is_empty() {
            return false;
        }
        overlapping(&self.negations, from, m.end)
            .filter(|n| named_by(n, m))
            .any(|n| overlapping(denials, n.start, n.start + 1).any(|d| self.skips(d, n, m)))
    }

    /// Does match `m` pass over a word of denial `d` after negation `n`,
    /// other than a negation word, in a gap of its pattern?
    fn skips(&self, d: &CueMatch, n: &CueMatch, m: &Match) -> bool {
        let negation = self.of(Cue::Negation);
        (n.end..d.end.min(m.end))
            .filter(|&i| literal_at(d, i) && !m.is_literal(i))
            .any(|i| !overlapping(negation, i, i + 1).any(|w| literal_at(w, i)))
    }

    /// Two negations affirm: is a negation that bears on match `m` inside
    /// a denied claim? It may come before the match ("I can't say you
    /// *weren't* the candidate we wanted"), inside it ("it's not as if
    /// your Portuguese *isn't* good enough") or right after it, on the
    /// verb whose subject the match is ("it's not as if your lack of
    /// Salesforce *didn't* come up"). The claim must reach the negation,
    /// or the match for one after it.
    fn doubled(&self, m: &Match, clause: u32, reach: &Reach<'_>) -> Option<Negated> {
        // Most statements hold no claim: nothing to look for.
        if !self.has(Cue::ClaimDenial) {
            return None;
        }
        let from = reach.from(m.start);
        overlapping(&self.negations, from, m.end + 1)
            .filter(|n| !n.claim && reach.clauses.of(n.start) == clause)
            .find_map(|n| {
                let (target, bears) = if n.start >= m.end {
                    // Right after the match, as on its verb, with no comma:
                    // a word between ("the task *and* never finished it")
                    // may start another predicate.
                    (
                        m.start,
                        n.start == m.end && !reach.clauses.comma_between(m.end - 1, n.start),
                    )
                } else {
                    (n.start, n.start >= m.start || reach.before(n, m.start))
                };
                if !bears {
                    return None;
                }
                let c = overlapping(&self.negations, reach.from(target), target)
                    .find(|c| c.claim && reach.before(c, target))
                    .filter(|c| !self.claim_named(c, m))?;
                Some(Negated::Doubled {
                    denial: self.in_denial(c, clause, reach.clauses),
                    named: named_by(n, m),
                    inside: m.start <= n.start && n.start < m.end,
                })
            })
    }

    /// Does the pattern of match `m` read claim `c` itself, being written
    /// for the double negation ("not that your X isn't good", « on ne
    /// peut pas dire que vous n'ayez pas été intimidé »): does the match
    /// cover the claim, or name its negation word?
    fn claim_named(&self, c: &CueMatch, m: &Match) -> bool {
        (m.start <= c.start && c.end <= m.end)
            || overlapping(self.of(Cue::Negation), c.start, c.end)
                .filter(|w| c.start <= w.start && w.end <= c.end)
                .any(|w| named_by(w, m))
    }

    /// Does negation `n`, in `clause`, deny a reason: is it inside a
    /// denial, or after one in the same clause ("il ne s'agit ni de X ni
    /// de Y")? A claim denial asks the same of all its words ("it's *not
    /// that* your notice period was long").
    fn in_denial(&self, n: &CueMatch, clause: u32, clauses: &Clauses) -> bool {
        let denials = self.of(Cue::Denial);
        let end = if n.claim { n.end } else { n.start + 1 };
        overlapping(denials, n.start, end).next().is_some()
            || denials[..denials.partition_point(|d| d.start < n.start)]
                .iter()
                .any(|d| clauses.of(d.start) == clause)
    }
}

/// How far a negation reaches, in one statement.
struct Reach<'a> {
    cues: &'a StatementCues,
    clauses: &'a Clauses,
    window: u32,
}

impl Reach<'_> {
    /// The first word from which a negation may reach word `at`: one
    /// ending within the window before it.
    fn from(&self, at: u32) -> u32 {
        at.saturating_sub(self.window + 1)
    }

    /// Does cue `n`, which ends at or before word `at`, reach it: same
    /// clause, within the window, with no comma, no line break and no
    /// barrier ("on n'a pas compris *pourquoi* vous…") in between?
    fn before(&self, n: &CueMatch, at: u32) -> bool {
        self.clauses.of(n.start) == self.clauses.of(at) && self.spans(n.end, at)
    }

    /// Does a cue ending at `end` reach word `at`: within the window, with
    /// no comma, line break or barrier between? (Same clause: the caller's
    /// to check.)
    fn spans(&self, end: u32, at: u32) -> bool {
        end <= at
            && at - end <= self.window
            && !self.clauses.comma_between(end - 1, at)
            && overlapping(self.cues.of(Cue::NegationBarrier), end, at)
                .next()
                .is_none()
    }
}

/// Whether and how a match is negated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Negated {
    /// No negation applies.
    No,
    /// A negation applies: "vous n'avez pas paru stressé".
    Yes,
    /// A negation that denies a reason applies: "ce n'est pas une question
    /// de …", "il ne s'agit ni de … ni de …". It never praises.
    Denied,
    /// A negation before the match, or one it holds, lies inside a denied
    /// claim: "I can't say you weren't the candidate we wanted". What the
    /// match says without its own negation stands; what it says with one
    /// ("it's not as if your Portuguese isn't good enough") is denied.
    /// `denial`: the claim also denies a reason ("it's not that…");
    /// `named`: the denied negation is a word of the pattern; `inside`: it
    /// lies inside the match, maybe in a gap, which a `named` or `keep`
    /// rule reads as its own ("goes from law to catering *without* a word
    /// of explanation") and any other as a negation of the match (« votre
    /// présentation n'ait *pas* été confuse »).
    Doubled {
        denial: bool,
        named: bool,
        inside: bool,
    },
}

/// The clause of each word of a statement, and its part: the stretch
/// between two marks of strong punctuation (`;`, `:`, `?`, `!`), which
/// holds one clause or several joined by contrasts.
#[derive(Debug, Default)]
pub(crate) struct Clauses {
    clause: Vec<u32>,
    part: Vec<u32>,
    /// A comma or a line break before each word: where a negation's reach
    /// ends (see `comma_between`).
    comma: Vec<bool>,
    /// Scratch: where a contrast opens a clause.
    opens: Vec<bool>,
    /// For each word, the end of the first contrast cue that starts on
    /// it, or 0.
    contrast_end: Vec<u32>,
}

impl Clauses {
    /// Computes the clauses of `tokens`, reusing this value's buffers.
    pub fn fill(&mut self, tokens: &[Token], cues: &StatementCues) {
        let opens = &mut self.opens;
        opens.clear();
        opens.resize(tokens.len(), false);
        let ends = &mut self.contrast_end;
        ends.clear();
        ends.resize(tokens.len(), 0);
        // The end of the first contrast starting on a word, whether or not
        // it opens a clause there.
        let mut note_end = |c: &CueMatch| {
            if let Some(e) = ends.get_mut(c.start as usize) {
                if *e == 0 {
                    *e = c.end;
                }
            }
        };
        for c in cues.of(Cue::Contrast) {
            note_end(c);
            // Set off by commas (", en revanche,") the connective qualifies
            // the whole clause: it does not cut it.
            let before = tokens.get(c.start as usize).is_some_and(|t| t.comma_before);
            let after = tokens.get(c.end as usize).is_some_and(|t| t.comma_before);
            if before && after {
                continue;
            }
            if let Some(o) = opens.get_mut(c.start as usize) {
                *o = true;
            }
        }
        for c in cues.of(Cue::ContrastAdverb) {
            note_end(c);
            // An adverb opens a clause only where a clause can start: first,
            // after a comma or strong punctuation, and not set off by commas.
            // Inside a verb ("a cependant été supprimé") it cuts nothing.
            let Some(t) = tokens.get(c.start as usize) else {
                continue;
            };
            let first = c.start == 0 || t.barrier_before;
            let after = tokens.get(c.end as usize).is_some_and(|t| t.comma_before);
            if first || (t.comma_before && !after) {
                if let Some(o) = opens.get_mut(c.start as usize) {
                    *o = true;
                }
            }
        }
        self.clause.clear();
        self.part.clear();
        let (mut clause, mut part) = (0, 0);
        for (i, t) in tokens.iter().enumerate() {
            if i > 0 && (t.barrier_before || opens[i]) {
                clause += 1;
            }
            if i > 0 && t.barrier_before {
                part += 1;
            }
            self.clause.push(clause);
            self.part.push(part);
        }
        self.comma.clear();
        // A line break joined into the statement ends a negation's reach as
        // a comma does: in notes, « pas du tout » on one line says nothing
        // of « le poste est gelé » on the next.
        self.comma
            .extend(tokens.iter().map(|t| t.comma_before || t.line_before));
    }

    /// The first word of clause `k` (clauses grow with position), past a
    /// contrast that starts on it ("…, *mais* cela n'a pas pesé").
    pub fn past_contrast(&self, k: u32) -> u32 {
        let first = self.clause.partition_point(|&c| c < k);
        match self.contrast_end.get(first) {
            Some(&end) if end > 0 => end,
            _ => first as u32,
        }
    }

    /// The clause of word `i`.
    pub fn of(&self, i: u32) -> u32 {
        self.clause.get(i as usize).copied().unwrap_or(u32::MAX)
    }

    /// The part of word `i` (see [`Clauses`]).
    pub fn part(&self, i: u32) -> u32 {
        self.part.get(i as usize).copied().unwrap_or(u32::MAX)
    }

    /// Does match `m` run into another clause at a word it does not name?
    /// Strong punctuation inside a match was named by its pattern (a
    /// colon: nothing else lets a match across), so only a contrast counts.
    pub fn crosses_unnamed(&self, m: &Match) -> bool {
        (m.start + 1..m.end).any(|i| {
            self.of(i) != self.of(i - 1) && !m.is_literal(i) && self.part(i) == self.part(i - 1)
        })
    }

    /// The clause that decides how match `m` is read (negation, guards,
    /// exoneration): that of its first word, or, for a pattern's match
    /// across a named colon ("anglais : pas au niveau"), that of its last,
    /// the judgement after the label. A raw regex may span any punctuation;
    /// its first word decides, as it always has.
    pub fn deciding(&self, m: &Match) -> u32 {
        let last = m.end.saturating_sub(1).max(m.start);
        if !m.is_raw() && self.part(last) != self.part(m.start) {
            self.of(last)
        } else {
            self.of(m.start)
        }
    }

    /// Is there a comma, or a line break, between word `a` and word `b`
    /// (`a < b`)?
    fn comma_between(&self, a: u32, b: u32) -> bool {
        (a as usize + 1..=b as usize).any(|i| self.comma.get(i).copied().unwrap_or(false))
    }
}

/// Drops the findings whose rule yields to a category found in the same
/// part of the statement ("budget" in a salary clause, or in a contrast
/// joined to it); each finding comes with the parts its match reaches
/// (see [`Clauses`]).
pub(crate) fn apply_precedence<'t>(
    found: &mut Vec<(Finding<'t>, &CompiledRule, RangeInclusive<u32>)>,
    mut dropped: impl FnMut(&Finding<'t>),
) {
    if found.iter().all(|(_, rule, _)| rule.yields_to.is_empty()) {
        return;
    }
    let meets = |a: &RangeInclusive<u32>, b: &RangeInclusive<u32>| {
        a.start() <= b.end() && b.start() <= a.end()
    };
    let keep: Vec<bool> = found
        .iter()
        .map(|(f, rule, reach)| {
            !found.iter().any(|(g, _, other)| {
                g.category != f.category
                    && rule.yields_to.contains(&g.category)
                    && meets(reach, other)
            })
        })
        .collect();
    let mut keep = keep.into_iter();
    found.retain(|(f, _, _)| {
        let kept = keep.next().unwrap_or(true);
        if !kept {
            dropped(f);
        }
        kept
    });
}

/// Keeps one finding per category and facet (the most confident, then the
/// earliest, then the longest), in text order.
pub(crate) fn dedup(found: Vec<Finding<'_>>) -> Vec<Finding<'_>> {
    let mut kept: Vec<Finding<'_>> = Vec::with_capacity(found.len());
    for f in found {
        match kept
            .iter_mut()
            .find(|k| k.category == f.category && k.facet == f.facet)
        {
            Some(k) => {
                // More confident, then earlier, then longer evidence.
                let key = |x: &Finding<'_>| {
                    (
                        x.confidence,
                        std::cmp::Reverse(x.evidence.start),
                        x.evidence.end,
                    )
                };
                let better = key(&f).partial_cmp(&key(k)) == Some(std::cmp::Ordering::Greater);
                if better {
                    *k = f;
                }
            }
            None => kept.push(f),
        }
    }
    kept.sort_by_key(|f| (f.evidence.start, f.evidence.end));
    kept
}
