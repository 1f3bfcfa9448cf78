//! The embedded French classifier, compiled when the crate is built.
//!
//! Compiling the French ruleset — close to two megabytes of rule files,
//! five thousand patterns — takes tens of milliseconds, most of it parsing
//! TOML and patterns and computing what indexes them. A program that takes
//! the embedded ruleset as it is gets the same classifier every time, so
//! the build script compiles it once, with this crate's own compiler (see
//! `build.rs`), and writes the result in the form below;
//! [`ClassifierBuilder::build`](crate::ClassifierBuilder::build) reads it
//! back. Only the raw regexes are compiled again: the `regex` crate has no
//! serialized form, and they are compiled when first needed (see
//! `raw_regex`).
//!
//! The bytes are written and read by the same source, compiled into the
//! same crate, so the layout has no version: integers are LEB128 varints,
//! strings and sequences are length-prefixed, enums are written by name,
//! and maps in a sorted order, so that writing is deterministic (the tests
//! check that what is read writes back to the same bytes). A reader never
//! panics: truncated or malformed bytes are a [`Corrupt`] error, on which
//! the builder compiles the sources instead.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hash};
use std::sync::{Arc, OnceLock};

use crate::classifier::{CompiledRule, FunctionWords, Inner, Written};
use crate::data::Settings;
use crate::limits::Limits;
use crate::rule::Negation;
use crate::taxonomy::{Category, Facet, Language};

/// The snapshot's bytes cannot be read: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Corrupt {
    /// Byte offset in the snapshot.
    pub at: usize,
    /// What was being read.
    pub what: &'static str,
}

/// Appends values to a snapshot.
#[derive(Debug, Default)]
// Written by the build script (and the tests); the library only reads.
#[allow(dead_code)]
pub(crate) struct Writer {
    pub bytes: Vec<u8>,
}

// Written by the build script (and the tests); the library only reads.
#[allow(dead_code)]
impl Writer {
    /// An unsigned integer, as a LEB128 varint.
    pub fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }

    /// A length-prefixed string.
    pub fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.bytes.extend_from_slice(s.as_bytes());
    }

    /// Ids (atoms, patterns, check sets): when they never decrease, as
    /// most lists of them are kept, each is written as its difference
    /// from the one before, which mostly takes one byte where the id takes
    /// two or three; otherwise as they are. The length says which.
    pub fn ids(&mut self, ids: &[u32]) {
        let sorted = ids.is_sorted();
        self.ids_head(ids.len(), sorted);
        let mut last = 0;
        for &id in ids {
            self.next_id(last, id, sorted);
            last = id;
        }
    }

    /// The head of `n` ids written one by one with [`next_id`](Self::next_id)
    /// (for ids interleaved with other values); `sorted`: they never
    /// decrease.
    pub fn ids_head(&mut self, n: usize, sorted: bool) {
        self.uint((n as u64) << 1 | u64::from(sorted));
    }

    /// Id `id` after `last`, in a list whose head said `sorted`.
    pub fn next_id(&mut self, last: u32, id: u32, sorted: bool) {
        self.uint(u64::from(if sorted { id - last } else { id }));
    }

    /// A sequence: its length, then each item.
    pub fn seq<T: Snapshot>(&mut self, items: &[T]) {
        self.uint(items.len() as u64);
        for item in items {
            item.write(self);
        }
    }
}

/// Reads values back from a snapshot.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// A [`Corrupt`] error at the current position.
    pub fn corrupt(&self, what: &'static str) -> Corrupt {
        Corrupt { at: self.pos, what }
    }

    /// How many bytes are left to read.
    pub fn len_left(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// True when every byte has been read.
    pub fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }

    /// An unsigned integer written by [`Writer::uint`].
    #[inline]
    pub fn uint(&mut self) -> Result<u64, Corrupt> {
        // Most values (lengths, tags, atoms of common words) take one or
        // two bytes.
        match self.bytes.get(self.pos..self.pos + 2) {
            Some(&[b, _]) if b < 0x80 => {
                self.pos += 1;
                Ok(u64::from(b))
            }
            Some(&[lo, hi]) if hi < 0x80 => {
                self.pos += 2;
                Ok(u64::from(lo & 0x7f) | u64::from(hi) << 7)
            }
            _ => self.long_uint(),
        }
    }

    fn long_uint(&mut self) -> Result<u64, Corrupt> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(self.corrupt("an integer"));
            };
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(self.corrupt("an integer of at most ten bytes"))
    }

    /// An integer that must fit in `T`.
    #[inline]
    pub fn int<T: TryFrom<u64>>(&mut self) -> Result<T, Corrupt> {
        let v = self.uint()?;
        T::try_from(v).map_err(|_| self.corrupt("a smaller integer"))
    }

    /// A length of a sequence whose items take at least one byte each: no
    /// more than there are bytes left, so that a bad length cannot ask for
    /// a huge allocation.
    pub fn len(&mut self) -> Result<usize, Corrupt> {
        let n: usize = self.int()?;
        if n > self.len_left() {
            return Err(self.corrupt("a length within the snapshot"));
        }
        Ok(n)
    }

    /// A string written by [`Writer::str`], borrowed from the snapshot.
    pub fn str(&mut self) -> Result<&'a str, Corrupt> {
        let n = self.len()?;
        let bytes = &self.bytes[self.pos..self.pos + n];
        let s = std::str::from_utf8(bytes).map_err(|_| self.corrupt("UTF-8 text"))?;
        self.pos += n;
        Ok(s)
    }

    /// Ids written by [`Writer::ids`].
    pub fn ids(&mut self) -> Result<Vec<u32>, Corrupt> {
        let (n, sorted) = self.ids_head()?;
        let mut ids = Vec::with_capacity(n);
        self.ids_rest(n, sorted, &mut ids)?;
        Ok(ids)
    }

    /// Ids written by [`Writer::ids`], appended to `ids` (many short lists
    /// read into one vector, without a vector each).
    pub fn ids_into(&mut self, ids: &mut Vec<u32>) -> Result<(), Corrupt> {
        let (n, sorted) = self.ids_head()?;
        self.ids_rest(n, sorted, ids)
    }

    /// How many ids [`Writer::ids`] wrote, and whether as differences.
    pub fn ids_head(&mut self) -> Result<(usize, bool), Corrupt> {
        let head = self.uint()?;
        let n = usize::try_from(head >> 1).unwrap_or(usize::MAX);
        if n > self.len_left() {
            return Err(self.corrupt("a length within the snapshot"));
        }
        Ok((n, head & 1 == 1))
    }

    /// The id after `last` in a list whose head said `sorted`.
    #[inline]
    pub fn next_id(&mut self, last: u32, sorted: bool) -> Result<u32, Corrupt> {
        let v: u32 = self.int()?;
        match sorted {
            true => last
                .checked_add(v)
                .ok_or_else(|| self.corrupt("an id within 32 bits")),
            false => Ok(v),
        }
    }

    /// The `n` ids after a head read by [`ids_head`](Self::ids_head),
    /// appended to `ids`.
    pub fn ids_rest(&mut self, n: usize, sorted: bool, ids: &mut Vec<u32>) -> Result<(), Corrupt> {
        let mut last = 0;
        for _ in 0..n {
            last = self.next_id(last, sorted)?;
            ids.push(last);
        }
        Ok(())
    }

    /// A sequence written by [`Writer::seq`].
    pub fn seq<T: Snapshot>(&mut self) -> Result<Vec<T>, Corrupt> {
        let n = self.len()?;
        self.items(n)
    }

    /// The `n` items of a sequence whose length was read.
    #[inline]
    pub fn items<T: Snapshot>(&mut self, n: usize) -> Result<Vec<T>, Corrupt> {
        let mut items = Vec::with_capacity(capacity(n));
        for _ in 0..n {
            items.push(T::read(self)?);
        }
        // A sequence longer than the room reserved grew by doubling: give
        // back what it does not use, up to half of it, which the classifier
        // would otherwise hold for its whole life.
        items.shrink_to_fit();
        Ok(items)
    }
}

/// The room to reserve for `n` items read from a snapshot. A damaged
/// length, though bounded by the bytes left, could still ask for the size
/// of an item times the size of the snapshot: room beyond this is grown,
/// not reserved, and trimmed once read (the French ruleset has sequences of
/// several hundred thousand items).
fn capacity(n: usize) -> usize {
    n.min(1 << 16)
}

/// A value that can be written to a snapshot and read back.
pub(crate) trait Snapshot: Sized {
    /// Appends the value.
    #[allow(dead_code)] // called by the build script and the tests
    fn write(&self, w: &mut Writer);
    /// Reads a value written by [`Snapshot::write`].
    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt>;
}

/// Implements [`Snapshot`] for a struct whose fields all implement it:
/// written and read in the order listed, which must name every field.
/// Invoked in the struct's own module, where its fields are visible. With
/// `checked by f`, a value read back is kept only if `f(&value)` is
/// `Ok(())`; its `Err(what)` makes the snapshot [`Corrupt`] there.
macro_rules! snapshot_fields {
    ($t:ident { $($field:ident),+ $(,)? }) => {
        $crate::snapshot::snapshot_fields!(
            $t { $($field),+ } checked by |_: &$t| Ok::<(), &'static str>(())
        );
    };
    ($t:ident { $($field:ident),+ $(,)? } checked by $check:expr) => {
        impl $crate::snapshot::Snapshot for $t {
            fn write(&self, w: &mut $crate::snapshot::Writer) {
                $( $crate::snapshot::Snapshot::write(&self.$field, w); )+
            }

            fn read(
                r: &mut $crate::snapshot::Reader<'_>,
            ) -> Result<Self, $crate::snapshot::Corrupt> {
                let value = $t {
                    $( $field: $crate::snapshot::Snapshot::read(r)?, )+
                };
                ($check)(&value).map_err(|what| r.corrupt(what))?;
                Ok(value)
            }
        }
    };
}

pub(crate) use snapshot_fields;

macro_rules! snapshot_int {
    ($($t:ty),*) => {$(
        impl Snapshot for $t {
            fn write(&self, w: &mut Writer) {
                w.uint(*self as u64);
            }
            #[inline]
            fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
                r.int()
            }
        }
    )*};
}

snapshot_int!(u8, u32, u64, usize);

impl Snapshot for bool {
    fn write(&self, w: &mut Writer) {
        w.uint(u64::from(*self));
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        match r.uint()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(r.corrupt("a boolean")),
        }
    }
}

impl Snapshot for f32 {
    fn write(&self, w: &mut Writer) {
        w.uint(u64::from(self.to_bits()));
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(f32::from_bits(r.int()?))
    }
}

/// Owned strings, written as their text and made back from it.
macro_rules! snapshot_as_str {
    ($($t:ty),*) => {$(
        impl Snapshot for $t {
            fn write(&self, w: &mut Writer) {
                w.str(self);
            }
            fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
                r.str().map(<$t>::from)
            }
        }
    )*};
}

snapshot_as_str!(String, Box<str>, Arc<str>);

impl<T: Snapshot> Snapshot for Vec<T> {
    fn write(&self, w: &mut Writer) {
        w.seq(self);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        r.seq()
    }
}

impl<T: Snapshot> Snapshot for Box<[T]> {
    fn write(&self, w: &mut Writer) {
        w.seq(self);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        r.seq().map(Vec::into_boxed_slice)
    }
}

impl<T: Snapshot> Snapshot for Option<T> {
    fn write(&self, w: &mut Writer) {
        match self {
            None => w.uint(0),
            Some(v) => {
                w.uint(1);
                v.write(w);
            }
        }
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        match r.uint()? {
            0 => Ok(None),
            1 => T::read(r).map(Some),
            _ => Err(r.corrupt("an option")),
        }
    }
}

/// Maps are written as their (key, value) pairs sorted by key, so that the
/// bytes do not depend on the order a map happens to iterate in.
impl<K, V, S> Snapshot for HashMap<K, V, S>
where
    K: Snapshot + Ord + Hash,
    V: Snapshot,
    S: BuildHasher + Default,
{
    fn write(&self, w: &mut Writer) {
        let mut entries: Vec<(&K, &V)> = self.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        w.uint(entries.len() as u64);
        for (key, value) in entries {
            key.write(w);
            value.write(w);
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        let n = r.len()?;
        let mut map = HashMap::with_capacity_and_hasher(capacity(n), S::default());
        for _ in 0..n {
            map.insert(K::read(r)?, V::read(r)?);
        }
        Ok(map)
    }
}

/// Sets, like maps, in sorted order.
impl<T, S> Snapshot for HashSet<T, S>
where
    T: Snapshot + Ord + Hash,
    S: BuildHasher + Default,
{
    fn write(&self, w: &mut Writer) {
        let mut items: Vec<&T> = self.iter().collect();
        items.sort_unstable();
        w.uint(items.len() as u64);
        for item in items {
            item.write(w);
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        let n = r.len()?;
        let mut set = HashSet::with_capacity_and_hasher(capacity(n), S::default());
        for _ in 0..n {
            set.insert(T::read(r)?);
        }
        Ok(set)
    }
}

impl<A: Snapshot, B: Snapshot> Snapshot for (A, B) {
    fn write(&self, w: &mut Writer) {
        self.0.write(w);
        self.1.write(w);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok((A::read(r)?, B::read(r)?))
    }
}

impl<A: Snapshot, B: Snapshot, C: Snapshot> Snapshot for (A, B, C) {
    fn write(&self, w: &mut Writer) {
        self.0.write(w);
        self.1.write(w);
        self.2.write(w);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok((A::read(r)?, B::read(r)?, C::read(r)?))
    }
}

/// Enums are written by the names rule files use for them.
macro_rules! snapshot_by_name {
    ($($t:ty),*) => {$(
        impl Snapshot for $t {
            fn write(&self, w: &mut Writer) {
                w.str(self.name());
            }
            fn read(r: &mut Reader<'_>) -> Result<Self, Corrupt> {
                r.str()?.parse().map_err(|_| r.corrupt(stringify!($t)))
            }
        }
    )*};
}

snapshot_by_name!(Category, Facet, Language, Negation);

/// The rules as written are left out of the snapshot, and read again
/// from the embedded files when asked for (see [`Written`]).
impl Snapshot for OnceLock<Written> {
    fn write(&self, _: &mut Writer) {}
    fn read(_: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(OnceLock::new())
    }
}

snapshot_fields!(Limits {
    max_pattern_chars,
    max_alternatives,
    max_gap,
    min_stem_chars,
    max_rules,
    max_patterns_per_rule,
    max_class_entries,
    max_regex_bytes,
    max_document_bytes,
    max_statement_bytes,
});

/// Writes `value` as a snapshot.
// Written by the build script (and the tests); the library only reads.
#[allow(dead_code)]
pub(crate) fn to_bytes<T: Snapshot>(value: &T) -> Vec<u8> {
    let mut w = Writer::default();
    value.write(&mut w);
    w.bytes
}

/// Reads a whole snapshot of a `T`; bytes left over are an error.
pub(crate) fn from_bytes<T: Snapshot>(bytes: &[u8]) -> Result<T, Corrupt> {
    let mut r = Reader::new(bytes);
    let value = T::read(&mut r)?;
    if !r.at_end() {
        return Err(r.corrupt("the end of the snapshot"));
    }
    Ok(value)
}

snapshot_fields!(CompiledRule {
    id,
    category,
    facet,
    confidence,
    negation,
    yields_to,
    has_unless,
    has_unless_near,
});

snapshot_fields!(Settings {
    negation_window,
    hedge_factor,
    greeting_max_words,
    signature_max_words,
    typo_min_chars,
});

snapshot_fields!(FunctionWords { set, longest });

// The compiled classifier; its regexes are compiled again when first
// needed (see `raw_regex`). Read back, the patterns and rules its ids name
// must be among its own (see `Inner::check_ids`).
snapshot_fields!(Inner {
    language,
    program,
    regexes,
    regex_filter,
    rules,
    written,
    segmenter,
    settings,
    texts,
    function_words,
    limits,
} checked by Inner::check_ids);

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::embedded::embedded;
    use crate::{Classifier, ClassifierBuilder, Language};

    const FRENCH_SNAPSHOT: &[u8] = crate::embedded::FRENCH.snapshot;

    #[test]
    fn the_embedded_snapshots_are_what_the_sources_compile_to() {
        // The build script wrote them from the data files with this very
        // compiler: compiling them again must give the same bytes. This
        // also checks that writing is deterministic.
        for language in [Language::Fr, Language::En] {
            let compiled = ClassifierBuilder::embedded(language)
                .compile()
                .unwrap_or_else(|e| panic!("the `{language}` ruleset compiles: {e}"));
            let snapshot = embedded(language).snapshot;
            assert!(
                !snapshot.is_empty(),
                "the build script wrote no `{language}` snapshot"
            );
            assert!(
                compiled.to_snapshot() == snapshot,
                "the `{language}` snapshot is stale"
            );
        }
    }

    #[test]
    fn reading_keeps_every_field() {
        // Whatever `read` dropped or changed would be missing when written
        // again.
        for language in [Language::Fr, Language::En] {
            let snapshot = embedded(language).snapshot;
            let inner: Inner = from_bytes(snapshot).expect("the snapshot reads");
            assert!(to_bytes(&inner) == snapshot);
        }
    }

    #[test]
    fn the_rules_as_written_are_left_out_and_read_again_from_the_files() {
        for language in [Language::Fr, Language::En] {
            let read = ClassifierBuilder::embedded(language)
                .build()
                .expect("builds");
            let compiled = ClassifierBuilder::embedded(language).compile().unwrap();
            assert!(!read.holds_written(), "{language}: held");
            let example = &compiled.rules()[0].examples[0];
            assert!(
                !embedded(language)
                    .snapshot
                    .windows(example.len())
                    .any(|w| w == example.as_bytes()),
                "{language}: the snapshot holds «{example}»"
            );
            assert_eq!(read.rules(), compiled.rules(), "{language}");
            let classes = |c: &Classifier| c.written().class_examples.clone();
            assert_eq!(classes(&read), classes(&compiled), "{language}");
            assert!(!classes(&read).is_empty());
        }
    }

    #[test]
    fn the_unchanged_french_builder_reads_the_snapshot_and_a_changed_one_compiles() {
        let read = ClassifierBuilder::french().build().expect("builds");
        assert_eq!(
            read.rules().len(),
            ClassifierBuilder::french().compile().unwrap().rules().len()
        );
        let mut changed = ClassifierBuilder::french();
        changed.add_words("frequent", ["zzzz"]);
        assert!(changed.build().expect("builds").to_snapshot() != FRENCH_SNAPSHOT);
    }

    #[test]
    fn integers_round_trip_at_every_width() {
        for v in [
            0,
            1,
            0x7f,
            0x80,
            0x3fff,
            0x4000,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut w = Writer::default();
            w.uint(v);
            let mut r = Reader::new(&w.bytes);
            assert_eq!(r.uint(), Ok(v));
            assert!(r.at_end());
        }
    }

    #[test]
    fn truncated_bytes_are_corrupt() {
        for cut in [0, 1, FRENCH_SNAPSHOT.len() / 2, FRENCH_SNAPSHOT.len() - 1] {
            assert!(
                from_bytes::<Inner>(&FRENCH_SNAPSHOT[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = FRENCH_SNAPSHOT.to_vec();
        longer.push(0);
        assert_eq!(
            from_bytes::<Inner>(&longer).err().map(|e| e.what),
            Some("the end of the snapshot")
        );
    }

    #[test]
    fn ids_are_written_as_differences_when_sorted_and_read_back() {
        let sorted = [3u32, 3, 200, 70_000, u32::MAX];
        let unsorted = [9u32, 2, 300];
        let mut w = Writer::default();
        w.ids(&sorted);
        w.ids(&unsorted);
        w.ids(&[]);
        let mut r = Reader::new(&w.bytes);
        assert_eq!(r.ids(), Ok(sorted.to_vec()));
        assert_eq!(r.ids(), Ok(unsorted.to_vec()));
        assert_eq!(r.ids(), Ok(Vec::new()));
        assert!(r.at_end());
        // Close ids in order take a byte each after the first.
        let size = |ids: &[u32]| {
            let mut w = Writer::default();
            w.ids(ids);
            w.bytes.len()
        };
        assert_eq!(size(&[1000, 1001, 1003]), 1 + 2 + 1 + 1);
        assert_eq!(size(&[1003, 1001, 1000]), 1 + 2 + 2 + 2);
        // A difference past 32 bits is an error, not a wrap.
        let mut w = Writer::default();
        w.uint(2 << 1 | 1);
        w.uint(u64::from(u32::MAX));
        w.uint(1);
        assert!(Reader::new(&w.bytes).ids().is_err());
    }

    /// Texts a damaged classifier analyses: colons, groups, classes, gaps.
    const DAMAGED_PROBES: [&str; 2] = [
        "Vos compétences en SQL sont encore à renforcer, désolée. Nous avons retenu un autre candidat.",
        "Anglais : niveau insuffisant ; poste pourvu en interne, mais votre dossier est conservé !",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn damaged_snapshots_never_panic(
            at in 0..FRENCH_SNAPSHOT.len(),
            bytes in proptest::collection::vec(any::<u8>(), 1..16),
            cut in proptest::bool::ANY,
        ) {
            let mut damaged = FRENCH_SNAPSHOT.to_vec();
            let end = (at + bytes.len()).min(damaged.len());
            damaged[at..end].copy_from_slice(&bytes[..end - at]);
            if cut {
                damaged.truncate(end);
            }
            // What still reads back must analyse without panicking too.
            if let Ok(inner) = from_bytes::<Inner>(&damaged) {
                let classifier = crate::Classifier::from_inner(inner);
                for text in DAMAGED_PROBES {
                    let _ = classifier.analyze(text);
                }
            }
        }

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = from_bytes::<Inner>(&bytes);
        }
    }
}
