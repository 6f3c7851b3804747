//! Arbitrary bytes as each kind of library file: loading reports problems, never
//! panics, and whatever loads can be queried and listed.
#![no_main]

use briefpack::library::{Kind, Library};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    // The loader refuses invalid UTF-8 before parsing (see read_data_file).
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let kind = Kind::ALL[usize::from(which) % Kind::ALL.len()];
    let checked = Library::from_texts(&[(kind, text)]);
    for d in &checked.diagnostics {
        let _ = d.to_string();
    }
    let lib = checked.library;
    for p in &lib.points {
        let _ = lib.point(&p.id);
        let _ = lib.partners_of_threat(p.threats.first().map_or("", String::as_str));
        let _ = briefpack::render::clean::line(&p.text);
    }
    for k in Kind::ALL {
        let _ = lib.count(k);
    }
});
