//! Arbitrary bytes as each kind of library file: loading reports problems, never
//! panics, and whatever loads can be queried and listed.
#![no_main]

use briefpack::library::{Kind, Library};
use libfuzzer_sys::fuzz_target;

mod library_input;

fuzz_target!(|data: &[u8]| {
    let Some((kind, text)) = library_input::kind_and_text(data) else {
        return;
    };
    let checked = Library::from_texts(&[(kind, text)]);
    for d in &checked.diagnostics {
        let _ = d.to_string();
    }
    let lib = checked.library;
    for p in &lib.points {
        let _ = lib.point(&p.id);
        let _ = lib.partners_of_threat(p.threats.first().map_or("", String::as_str));
        let _ = briefpack::clean::line(&p.text);
    }
    for k in Kind::ALL {
        let _ = lib.count(k);
    }
});
