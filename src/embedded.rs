//! The French ruleset embedded in the crate: its files, and the classifier
//! the build script compiled from them (see `snapshot`).

/// Every file under `data/fr`, in name order: (path under `data/fr`, text).
pub(crate) const FRENCH: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_fr.rs"));

/// The classifier the build script compiled from [`FRENCH`], as a snapshot.
/// Empty when the build script could not compile it: the builder then
/// compiles the sources, and reports what is wrong with them.
pub(crate) const FRENCH_SNAPSHOT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/fr.snapshot"));
