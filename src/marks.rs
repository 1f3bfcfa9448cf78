//! A set of small numbers — pattern, check-set or atom indexes — marked
//! while one statement is matched, then emptied for the next.
//!
//! The matcher marks a few hundred of the ruleset's thousands of check
//! sets per statement, at random places, and reads as many marks back.
//! A mark is the number of the statement that set it, so that emptying
//! the set is starting a new number, not clearing memory. Kept in a byte,
//! the marks of the French ruleset's check sets take 10 KB and mostly stay
//! in the processor's first-level cache; a 32-bit number spread them over
//! 42 KB, and the function that marks them then took two in five of an
//! analysis's first-level cache misses on writes (cachegrind).
//! A byte's numbers run out after 255 statements: the marks are then
//! cleared, once.

/// A set of indexes below a fixed capacity.
#[derive(Debug, Default, Clone)]
pub(crate) struct Marks {
    /// `stamps[i] == stamp`: `i` is in the set.
    stamps: Vec<u8>,
    stamp: u8,
}

impl Marks {
    /// Empties the set and makes room for indexes below `capacity` at
    /// least.
    ///
    /// The room is never given back: one thread's marks serve every
    /// ruleset it reads with, and French and English documents may come
    /// in turn. Cutting the marks to each ruleset's size, then growing
    /// them back, cleared a few tens of kilobytes at every change of
    /// language. The marks of a larger ruleset left beyond the capacity
    /// are harmless: their stamp is an old one, and only the indexes a
    /// ruleset has are looked at.
    pub fn reset(&mut self, capacity: usize) {
        if self.stamps.len() < capacity {
            self.stamps.resize(capacity, 0);
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.stamps.fill(0);
            self.stamp = 1;
        }
    }

    /// Marks `i`; an index beyond the room made is ignored.
    #[inline]
    pub fn insert(&mut self, i: u32) {
        if let Some(s) = self.stamps.get_mut(i as usize) {
            *s = self.stamp;
        }
    }

    /// Is `i` marked?
    #[inline]
    pub fn contains(&self, i: u32) -> bool {
        self.stamps.get(i as usize) == Some(&self.stamp)
    }

    /// Marks `i`; tells whether it was not marked yet (never for an index
    /// beyond the room made, which cannot be marked).
    #[inline]
    pub fn first_insert(&mut self, i: u32) -> bool {
        match self.stamps.get_mut(i as usize) {
            Some(s) if *s != self.stamp => {
                *s = self.stamp;
                true
            }
            Some(_) | None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Marks `picks` (taken below `capacity`) in `marks`, just reset, and
    /// checks them against a set of the same picks.
    fn marks_and_set_agree(
        marks: &mut Marks,
        capacity: usize,
        picks: &[u32],
    ) -> Result<(), TestCaseError> {
        let mut model = std::collections::BTreeSet::new();
        for pick in picks {
            let i = pick % capacity as u32;
            prop_assert_eq!(marks.first_insert(i), model.insert(i));
        }
        for i in 0..capacity as u32 {
            prop_assert_eq!(marks.contains(i), model.contains(&i), "index {}", i);
        }
        Ok(())
    }

    proptest! {
        /// Marks behave as a set of the indexes inserted, and a reset
        /// empties them.
        #[test]
        fn marks_are_a_set(
            capacity in 1usize..300,
            picks in proptest::collection::vec(any::<u32>(), 0..60),
        ) {
            let mut marks = Marks::default();
            marks.reset(capacity);
            marks_and_set_agree(&mut marks, capacity, &picks)?;
            marks.reset(capacity);
            prop_assert!((0..capacity as u32).all(|i| !marks.contains(i)));
        }

        /// Sets of different capacities in turn (two rulesets on one
        /// thread) share the room, and none sees the marks of another.
        #[test]
        fn marks_of_a_larger_set_are_not_seen_by_the_next(
            turns in proptest::collection::vec(
                (1usize..300, proptest::collection::vec(any::<u32>(), 0..40)),
                1..12,
            ),
        ) {
            let mut marks = Marks::default();
            for (capacity, picks) in turns {
                marks.reset(capacity);
                prop_assert!((0..capacity as u32).all(|i| !marks.contains(i)));
                marks_and_set_agree(&mut marks, capacity, &picks)?;
            }
        }

        /// A mark set hundreds of statements ago, when the stamps have
        /// wrapped around, is not taken for a mark of the current one.
        #[test]
        fn old_marks_are_forgotten_when_the_stamps_wrap(resets in 250usize..520, i in 0u32..8) {
            let mut marks = Marks::default();
            marks.reset(8);
            marks.insert(i);
            for _ in 0..resets {
                marks.reset(8);
            }
            prop_assert!((0..8).all(|j| !marks.contains(j)));
        }
    }

    #[test]
    fn indexes_beyond_the_capacity_are_never_marked() {
        let mut marks = Marks::default();
        marks.reset(10);
        marks.insert(1 << 20);
        assert!(!marks.contains(1 << 20));
        assert!(!marks.first_insert(10));
        assert!(!marks.contains(u32::MAX));
    }
}
