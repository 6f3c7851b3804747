//! Differential: arbitrary text as each kind of library file loads the same
//! (records, places, problems, references) whether the fast plain-TOML reader
//! goes first, as the loader does, or the full toml parser reads it alone.
//! The fast reader may give up on anything; it may never read differently.
//!
//! Seeds (fuzz/seeds/plain_reader/) are the first tables of each shipped file,
//! under 4 KiB, after the kind's byte; fuzz/plain_reader.dict holds TOML tokens.
#![no_main]

use briefpack::library::plain_and_full;
use libfuzzer_sys::fuzz_target;

mod library_input;

fuzz_target!(|data: &[u8]| {
    let Some((kind, text)) = library_input::kind_and_text(data) else {
        return;
    };
    let (fast, full) = plain_and_full(kind, text);
    assert!(
        fast == full,
        "{kind:?} {text:?}\nplain first:\n{fast}\nfull:\n{full}"
    );
});
