//! The compiled patterns of a program, stored flat.
//!
//! A ruleset compiles to a few hundred thousand pattern elements: words,
//! sequences, groups of alternatives with their index, optional parts.
//! Built as a tree of boxes, each sequence, group and word set is an
//! allocation of its own; for the French and English rulesets together
//! that was some 17 MB of boxes plus several megabytes of allocator
//! overhead, most of the classifiers' memory. Here every element lives in
//! one of a few arrays and refers to its children by index: one
//! allocation per array, children side by side, and a [`Node`] is 12
//! bytes where a boxed element was 24.
//!
//! The arrays are also *interned*: a list of nodes or of atoms that occurs
//! twice — the same inflections of a verb in a hundred patterns, the same
//! set of anchor words in every pattern split from one group — is stored
//! once. Nothing is ever written after the program is built, so sharing
//! cannot be observed.
//!
//! Every node refers only to nodes stored before it (children are added
//! before their parent), so the structure has no cycle; a snapshot that
//! breaks this, or points outside an array, is refused when read
//! ([`Forest::validate`]) rather than trusted, and so is one where a word
//! class contains itself ([`Forest::has_class_cycle`]), which the builder
//! refuses in rule files.

use std::hash::Hash;

use crate::atoms::{AtomId, FxHashMap};
use crate::graph::find_cycle;
use crate::snapshot::{Corrupt, Reader, Snapshot, Writer, snapshot_fields};

/// A range of one of the forest's arrays.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct Span {
    from: u32,
    len: u32,
}

impl Span {
    fn range(self) -> std::ops::Range<usize> {
        let from = self.from as usize;
        from..from + self.len as usize
    }

    /// The span starting at `from` whose length `r` holds next: a length
    /// that takes its end past `u32::MAX` is corrupt.
    fn read_from(r: &mut Reader<'_>, from: u32) -> Result<Span, Corrupt> {
        let len = r.int()?;
        u32::checked_add(from, len).ok_or_else(|| r.corrupt("a range"))?;
        Ok(Span { from, len })
    }
}

/// A pattern element; its children are in the [`Forest`] it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Node {
    /// One word having this atom (two elements in three).
    Atom(AtomId),
    /// One word having any of these atoms (sorted, in `Forest::atoms`).
    Atoms(Span),
    /// These elements in turn (in `Forest::nodes`).
    Seq(Span),
    /// The group of alternatives with this index in `Forest::alts`.
    Alt(u32),
    /// The element at this index of `Forest::nodes`, or nothing.
    Opt(u32),
    /// Up to this many words of any kind.
    Gap(u8),
    /// Any entry of the class with this index (the program's).
    Class(u32),
    /// A colon before the next word.
    Colon,
}

/// A group of alternatives, indexed by the atoms that can start them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Alt {
    /// The branches, in `Forest::nodes`.
    branches: Span,
    /// (atom, branch) pairs sorted, in `Forest::pairs`: the branches each
    /// atom can start.
    by_atom: Span,
    /// Branches that can start anywhere or match nothing (sorted, in
    /// `Forest::always`).
    always: Span,
}

/// The pattern elements of a program (see the [module](self) docs).
#[derive(Debug, Default, Clone)]
pub(crate) struct Forest {
    nodes: Vec<Node>,
    atoms: Vec<AtomId>,
    alts: Vec<Alt>,
    pairs: Vec<(AtomId, u32)>,
    always: Vec<u32>,
}

impl Forest {
    /// The atoms of a set (empty when out of range: a damaged snapshot
    /// must not panic).
    #[inline]
    pub fn atoms(&self, span: Span) -> &[AtomId] {
        self.atoms.get(span.range()).unwrap_or(&[])
    }

    /// Does `span` lie inside the atoms?
    pub fn holds_atoms(&self, span: Span) -> bool {
        span.range().end <= self.atoms.len()
    }

    /// The elements of a sequence.
    #[inline]
    pub fn seq(&self, span: Span) -> &[Node] {
        self.nodes.get(span.range()).unwrap_or(&[])
    }

    /// The element an optional part makes optional.
    #[inline]
    pub fn opt(&self, at: u32) -> Option<&Node> {
        self.nodes.get(at as usize)
    }

    /// A group of alternatives.
    #[inline]
    pub fn alt(&self, at: u32) -> Option<&Alt> {
        self.alts.get(at as usize)
    }

    /// The branches of a group.
    #[inline]
    pub fn branches(&self, alt: &Alt) -> &[Node] {
        self.seq(alt.branches)
    }

    /// The branches of `alt` that can start at a word having the atoms
    /// `atoms` (sorted; empty past the statement's end), into `out`
    /// (sorted, each once).
    pub fn candidates(&self, alt: &Alt, atoms: &[AtomId], out: &mut Vec<u32>) {
        out.clear();
        out.extend_from_slice(self.always.get(alt.always.range()).unwrap_or(&[]));
        let by_atom = self.pairs.get(alt.by_atom.range()).unwrap_or(&[]);
        let (Some(&(lowest, _)), Some(&(highest, _))) = (by_atom.first(), by_atom.last()) else {
            return;
        };
        for &atom in atoms {
            // The word's atoms are sorted, and few start a branch.
            if atom < lowest {
                continue;
            }
            if atom > highest {
                break;
            }
            let from = by_atom.partition_point(|p| p.0 < atom);
            out.extend(
                by_atom[from..]
                    .iter()
                    .take_while(|p| p.0 == atom)
                    .map(|p| p.1),
            );
        }
        if out.len() > 1 {
            out.sort_unstable();
            out.dedup();
        }
    }

    /// Checks what a snapshot cannot be trusted with: every index lies
    /// inside its array, every node refers only to nodes stored before it
    /// and nests at most [`MAX_DEPTH`] deep (so that stepping through the
    /// elements ends, on a bounded stack). `roots` are the nodes held
    /// outside the forest (patterns and classes), which may refer to any
    /// node. On failure, says what is wrong.
    pub fn validate<'a>(
        &self,
        roots: impl IntoIterator<Item = &'a Node>,
    ) -> Result<(), &'static str> {
        let mut depths = Vec::with_capacity(self.nodes.len());
        for node in &self.nodes {
            depths.push(self.depth(node, &depths)?);
        }
        for node in roots {
            self.depth(node, &depths)?;
        }
        for alt in &self.alts {
            let branches = u64::from(alt.branches.len);
            let pairs = self.pairs.get(alt.by_atom.range());
            let always = self.always.get(alt.always.range());
            let (Some(pairs), Some(always)) = (pairs, always) else {
                return Err("the index of a group of alternatives");
            };
            let in_group = |b: u32| u64::from(b) < branches;
            if !pairs.iter().all(|p| in_group(p.1)) || !always.iter().copied().all(in_group) {
                return Err("a branch of a group of alternatives");
            }
        }
        Ok(())
    }

    /// Does some class contain itself, through the classes its entries
    /// name? `classes` are the program's classes (roots in this forest).
    /// The builder refuses such cycles; a damaged snapshot could hold one,
    /// and stepping through it would never end. Call on a forest that
    /// [`validate`](Self::validate) passed.
    pub fn has_class_cycle(&self, classes: &[Node]) -> bool {
        let named: Vec<Vec<usize>> = classes
            .iter()
            .map(|root| self.classes_named(root))
            .collect();
        find_cycle(&named).is_some()
    }

    /// The classes `root` and the nodes below it name.
    fn classes_named(&self, root: &Node) -> Vec<usize> {
        let mut named = Vec::new();
        let mut stack = vec![*root];
        while let Some(node) = stack.pop() {
            match node {
                Node::Class(c) => named.push(c as usize),
                Node::Seq(span) => stack.extend_from_slice(self.seq(span)),
                Node::Alt(i) => stack.extend(self.alt(i).map_or(&[][..], |a| self.branches(a))),
                Node::Opt(i) => stack.extend(self.opt(i)),
                Node::Atom(_) | Node::Atoms(_) | Node::Gap(_) | Node::Colon => {}
            }
        }
        named.sort_unstable();
        named.dedup();
        named
    }

    /// How deep `node` nests, given the `depths` of the nodes stored
    /// before it (and only those: a node it refers to that is not among
    /// them comes after it, or does not exist); an error when it refers to
    /// such a node, lies outside an array, or nests too deep.
    fn depth(&self, node: &Node, depths: &[u16]) -> Result<u16, &'static str> {
        let deepest = |span: Span| {
            depths
                .get(span.range())
                .map(|d| d.iter().copied().max().unwrap_or(0))
        };
        let below = match *node {
            Node::Atoms(span) if !self.holds_atoms(span) => {
                return Err("a set of atoms");
            }
            Node::Seq(span) => deepest(span).ok_or("a sequence of pattern elements")?,
            Node::Opt(i) => *depths
                .get(i as usize)
                .ok_or("an optional pattern element")?,
            Node::Alt(i) => self
                .alts
                .get(i as usize)
                .and_then(|alt| deepest(alt.branches))
                .ok_or("a group of alternatives")?,
            _ => 0,
        };
        match below + 1 {
            d if d > MAX_DEPTH => Err("pattern elements nested at most 256 deep"),
            d => Ok(d),
        }
    }
}

/// How deep pattern elements may nest in a snapshot (patterns compiled
/// from rule files nest a few levels).
const MAX_DEPTH: u16 = 256;

impl Snapshot for Span {
    fn write(&self, w: &mut Writer) {
        self.from.write(w);
        self.len.write(w);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        let from = r.int()?;
        Span::read_from(r, from)
    }
}

impl Snapshot for Node {
    fn write(&self, w: &mut Writer) {
        let (tag, value) = match *self {
            Node::Atom(a) => (0, a),
            Node::Atoms(span) => (1, span.from),
            Node::Seq(span) => (2, span.from),
            Node::Alt(i) => (3, i),
            Node::Opt(i) => (4, i),
            Node::Gap(n) => (5, u32::from(n)),
            Node::Class(c) => (6, c),
            Node::Colon => (7, 0),
        };
        w.uint(tag);
        value.write(w);
        if let Node::Atoms(span) | Node::Seq(span) = self {
            span.len.write(w);
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        let tag = r.uint()?;
        let value: u32 = r.int()?;
        Ok(match tag {
            0 => Node::Atom(value),
            1 => Node::Atoms(Span::read_from(r, value)?),
            2 => Node::Seq(Span::read_from(r, value)?),
            3 => Node::Alt(value),
            4 => Node::Opt(value),
            5 => Node::Gap(u8::try_from(value).map_err(|_| r.corrupt("a gap"))?),
            6 => Node::Class(value),
            7 => Node::Colon,
            _ => return Err(r.corrupt("a pattern element")),
        })
    }
}

snapshot_fields!(Alt {
    branches,
    by_atom,
    always
});

/// The arrays in turn. Not checked here: the program that holds the
/// forest checks it with its roots (see [`Forest::validate`]).
impl Snapshot for Forest {
    fn write(&self, w: &mut Writer) {
        self.nodes.write(w);
        w.ids(&self.atoms);
        self.alts.write(w);
        self.pairs.write(w);
        w.ids(&self.always);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(Forest {
            nodes: Snapshot::read(r)?,
            atoms: r.ids()?,
            alts: Snapshot::read(r)?,
            pairs: Snapshot::read(r)?,
            always: r.ids()?,
        })
    }
}

/// Builds a [`Forest`], children before their parents, storing each list
/// of nodes or atoms once.
#[derive(Debug, Default)]
pub(crate) struct ForestBuilder {
    forest: Forest,
    node_lists: FxHashMap<Box<[Node]>, Span>,
    atom_lists: FxHashMap<Box<[AtomId]>, Span>,
    pair_lists: FxHashMap<Box<[(AtomId, u32)]>, Span>,
    branch_lists: FxHashMap<Box<[u32]>, Span>,
    alts: FxHashMap<Alt, u32>,
}

impl ForestBuilder {
    /// A word having any of `atoms` (sorted).
    pub fn atoms(&mut self, atoms: &[AtomId]) -> Node {
        match atoms {
            [one] => Node::Atom(*one),
            _ => Node::Atoms(self.atom_set(atoms)),
        }
    }

    /// Stores a set of atoms (a pattern's anchor, its starts, a class's
    /// starts) and returns where it is.
    pub fn atom_set(&mut self, atoms: &[AtomId]) -> Span {
        intern(&mut self.atom_lists, &mut self.forest.atoms, atoms)
    }

    /// These elements in turn.
    pub fn seq(&mut self, nodes: &[Node]) -> Node {
        Node::Seq(self.node_list(nodes))
    }

    /// `node`, or nothing.
    pub fn opt(&mut self, node: Node) -> Node {
        Node::Opt(self.node_list(&[node]).from)
    }

    /// A group of `branches`, of which the pairs `by_atom` (sorted) say
    /// which each atom can start, and `always` (sorted) which can start
    /// anywhere.
    pub fn alt(&mut self, branches: &[Node], by_atom: &[(AtomId, u32)], always: &[u32]) -> Node {
        let alt = Alt {
            branches: self.node_list(branches),
            by_atom: intern(&mut self.pair_lists, &mut self.forest.pairs, by_atom),
            always: intern(&mut self.branch_lists, &mut self.forest.always, always),
        };
        let next = self.forest.alts.len() as u32;
        let alts = &mut self.forest.alts;
        Node::Alt(*self.alts.entry(alt).or_insert_with(|| {
            alts.push(alt);
            next
        }))
    }

    fn node_list(&mut self, nodes: &[Node]) -> Span {
        intern(&mut self.node_lists, &mut self.forest.nodes, nodes)
    }

    /// The forest, its arrays cut to size.
    pub fn finish(mut self) -> Forest {
        let f = &mut self.forest;
        f.nodes.shrink_to_fit();
        f.atoms.shrink_to_fit();
        f.alts.shrink_to_fit();
        f.pairs.shrink_to_fit();
        f.always.shrink_to_fit();
        self.forest
    }
}

/// Where `items` are in `store`, appended the first time they are seen.
fn intern<T: Copy + Eq + Hash>(
    seen: &mut FxHashMap<Box<[T]>, Span>,
    store: &mut Vec<T>,
    items: &[T],
) -> Span {
    if let Some(&span) = seen.get(items) {
        return span;
    }
    let span = Span {
        from: store.len() as u32,
        len: items.len() as u32,
    };
    store.extend_from_slice(items);
    seen.insert(items.into(), span);
    span
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{from_bytes, to_bytes};

    #[test]
    fn a_node_takes_twelve_bytes() {
        // Half a boxed element: the memory figures of
        // docs/performance-history.md ("Patterns stored flat") rest on it.
        assert_eq!(std::mem::size_of::<Node>(), 12);
    }

    #[test]
    fn lists_found_again_are_stored_once() {
        let mut b = ForestBuilder::default();
        let words = b.atoms(&[3, 7]);
        let pair = b.seq(&[words, Node::Atom(9)]);
        let words_again = b.atoms(&[3, 7]);
        let again = b.seq(&[words_again, Node::Atom(9)]);
        assert_eq!(pair, again);
        let group = b.alt(&[pair, Node::Atom(4)], &[(3, 0), (4, 1), (7, 0)], &[]);
        let same = b.alt(&[pair, Node::Atom(4)], &[(3, 0), (4, 1), (7, 0)], &[]);
        assert_eq!(group, same);
        let forest = b.finish();
        // [3, 7]; [words, 9]; [pair, 4]: one copy of each.
        assert_eq!(forest.atoms, [3, 7]);
        assert_eq!(forest.nodes.len(), 4);
        assert_eq!(forest.alts.len(), 1);
        assert_eq!(forest.validate([&group]), Ok(()));
    }

    #[test]
    fn candidates_are_the_branches_a_word_can_start_and_those_that_start_anywhere() {
        let mut b = ForestBuilder::default();
        let branches = [Node::Atom(3), Node::Gap(2), Node::Atom(5), Node::Atom(3)];
        let Node::Alt(at) = b.alt(&branches, &[(3, 0), (3, 3), (5, 2)], &[1]) else {
            panic!("a group")
        };
        let forest = b.finish();
        let alt = forest.alt(at).copied().unwrap();
        let mut out = Vec::new();
        forest.candidates(&alt, &[1, 3, 8], &mut out);
        assert_eq!(out, [0, 1, 3]);
        forest.candidates(&alt, &[5], &mut out);
        assert_eq!(out, [1, 2]);
        forest.candidates(&alt, &[], &mut out);
        assert_eq!(out, [1]);
    }

    #[test]
    fn a_snapshot_reads_back_to_the_same_forest_and_bytes() {
        let mut b = ForestBuilder::default();
        let words = b.atoms(&[2, 40_000]);
        let optional = b.opt(Node::Class(1));
        let seq = b.seq(&[Node::Colon, words, optional, Node::Gap(7)]);
        b.alt(&[seq, Node::Atom(1)], &[(1, 1)], &[0]);
        let forest = b.finish();
        let bytes = to_bytes(&forest);
        let read: Forest = from_bytes(&bytes).unwrap();
        assert_eq!(to_bytes(&read), bytes);
        assert_eq!(read.validate([&seq]), Ok(()));
    }

    /// A forest of `n` optional elements, each of the one before.
    fn chain(n: u32) -> Forest {
        let mut forest = Forest::default();
        forest.nodes.push(Node::Atom(0));
        forest.nodes.extend((0..n).map(Node::Opt));
        forest
    }

    #[test]
    fn a_forest_nesting_too_deep_is_refused_without_recursion() {
        assert_eq!(chain(255).validate([]), Ok(()));
        let deep = Node::Opt(255);
        assert_eq!(
            chain(255).validate([&deep]),
            Err("pattern elements nested at most 256 deep")
        );
        // A million deep: refused, where stepping through it would have
        // overflowed the stack.
        assert!(chain(1 << 20).validate([]).is_err());
    }

    #[test]
    fn a_class_containing_itself_is_found() {
        let mut b = ForestBuilder::default();
        let zero_then_one = b.seq(&[Node::Atom(3), Node::Class(1)]);
        let maybe_two = b.opt(Node::Class(2));
        let group = b.alt(&[Node::Atom(4), maybe_two], &[(4, 0)], &[1]);
        let forest = b.finish();
        // 0 names 1, 1 names 2 (inside a group and an optional part).
        let chain = [zero_then_one, group, Node::Atom(5)];
        assert_eq!(forest.validate(&chain), Ok(()));
        assert!(!forest.has_class_cycle(&chain));
        // 2 naming 0 closes the loop; naming itself too.
        assert!(forest.has_class_cycle(&[zero_then_one, group, Node::Class(0)]));
        assert!(forest.has_class_cycle(&[Node::Class(0)]));
        // A class that does not exist is no cycle (it matches nothing).
        assert!(!forest.has_class_cycle(&[Node::Class(7)]));
    }

    #[test]
    fn a_node_referring_to_itself_or_later_or_outside_is_refused() {
        let mut forest = chain(2);
        forest.nodes.push(Node::Opt(3));
        assert_eq!(forest.validate([]), Err("an optional pattern element"));
        let mut forest = chain(2);
        forest.nodes.push(Node::Seq(Span { from: 2, len: 2 }));
        assert_eq!(forest.validate([]), Err("a sequence of pattern elements"));
        let outside = Node::Atoms(Span { from: 0, len: 1 });
        assert_eq!(chain(2).validate([&outside]), Err("a set of atoms"));
        let missing = Node::Alt(0);
        assert_eq!(
            chain(2).validate([&missing]),
            Err("a group of alternatives")
        );
        let mut b = ForestBuilder::default();
        let group = b.alt(&[Node::Atom(1)], &[(1, 1)], &[]);
        assert_eq!(
            b.finish().validate([&group]),
            Err("a branch of a group of alternatives")
        );
    }
}
