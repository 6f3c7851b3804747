//! The input the library-file targets share, so that their corpora and seeds
//! serve each other: the first byte picks the kind of file, the rest is its text.

use briefpack::library::Kind;

/// The kind and text `data` stands for; `None` when it is empty or the text is
/// not UTF-8, which the loader refuses before parsing (see read_data_file).
pub fn kind_and_text(data: &[u8]) -> Option<(Kind, &str)> {
    let (&which, rest) = data.split_first()?;
    let text = std::str::from_utf8(rest).ok()?;
    Some((Kind::ALL[usize::from(which) % Kind::ALL.len()], text))
}
