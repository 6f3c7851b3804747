//! Arbitrary bytes as a pack against the embedded library: an error or a pack, and
//! a pack that loads saves to TOML that loads back to the same pack.
#![no_main]

use briefpack::library::Library;
use briefpack::pack;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn library() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| Library::embedded().expect("the embedded library is valid"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lib = library();
    match pack::parse(text, "pack.toml", lib) {
        Err(e) => {
            let _ = e.to_string();
        }
        Ok(opened) => {
            let saved = opened.pack.to_toml().expect("a loaded pack can be saved");
            let again = pack::parse(&saved, "saved.toml", lib).expect("a saved pack loads");
            assert_eq!(again.pack, opened.pack, "save and load changed the pack:\n{saved}");
        }
    }
});
