//! The rulesets embedded in the crate: their files, and the classifiers
//! the build script compiled from them (see `snapshot`).

use crate::taxonomy::Language;

/// One embedded ruleset: every file under `data/<language>`, and the
/// classifier the build script compiled from them.
pub(crate) struct Embedded {
    /// Every file, in name order: (path under `data/<language>/`, text).
    pub(crate) files: &'static [(&'static str, &'static str)],
    /// The compiled classifier, as a snapshot. Empty when the build script
    /// could not compile it: the builder then compiles the sources, and
    /// reports what is wrong with them.
    pub(crate) snapshot: &'static [u8],
}

/// The French ruleset.
pub(crate) const FRENCH: Embedded = Embedded {
    files: include!(concat!(env!("OUT_DIR"), "/embedded_fr.rs")),
    snapshot: include_bytes!(concat!(env!("OUT_DIR"), "/fr.snapshot")),
};

/// The English ruleset.
pub(crate) const ENGLISH: Embedded = Embedded {
    files: include!(concat!(env!("OUT_DIR"), "/embedded_en.rs")),
    snapshot: include_bytes!(concat!(env!("OUT_DIR"), "/en.snapshot")),
};

/// The embedded ruleset of `language`.
pub(crate) fn embedded(language: Language) -> &'static Embedded {
    match language {
        Language::Fr => &FRENCH,
        Language::En => &ENGLISH,
    }
}
