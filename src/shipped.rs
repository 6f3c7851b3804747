//! The shipped example packs over the embedded library, for unit tests that
//! need a real memo.

use crate::library::{DataSource, Library};
use crate::pack::Pack;

fn load(text: &str, name: &str) -> (Library, Pack) {
    let lib = Library::load(&DataSource::Embedded).unwrap().library;
    let pack = crate::pack::parse(text, name, &lib).unwrap().pack;
    (lib, pack)
}

/// `examples/sochi-2011-informal-summit.toml`.
pub(crate) fn sochi_2011() -> (Library, Pack) {
    load(
        include_str!("../examples/sochi-2011-informal-summit.toml"),
        "sochi-2011-informal-summit.toml",
    )
}

/// `examples/osce-consultations-2026.toml`.
pub(crate) fn osce_2026() -> (Library, Pack) {
    load(
        include_str!("../examples/osce-consultations-2026.toml"),
        "osce-consultations-2026.toml",
    )
}
