//! Verifying that excerpts are verbatim quotes of their source documents.

use super::Library;
use crate::diag::Diagnostic;
use std::collections::HashMap;
use std::path::{Component, Path};

/// A source's `file` names a file inside the sources directory: relative, and
/// never climbing out of it with `..`.
pub fn is_inside(file: &str) -> bool {
    !file.is_empty()
        && Path::new(file)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// The text of a source document in the sources directory `dir`, whitespace
/// squashed for matching excerpts; the error is one sentence naming the file.
pub fn source_text(dir: &Path, file: &str) -> Result<String, String> {
    if !is_inside(file) {
        return Err(format!(
            "source file `{file}` is outside the sources directory; name a file inside it"
        ));
    }
    crate::input::read(&dir.join(file), crate::input::SOURCE_FILE, "source document")
        .map(|b| squash_ws(&String::from_utf8_lossy(&b)))
        .map_err(|e| format!("{e:#}"))
}

/// Collapses every run of whitespace to one space, so line breaks and double
/// spaces in a seed never decide whether a quote matches.
pub fn squash_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `places` holds where each point's excerpt is, in the order of `lib.points`.
pub(super) fn verify_excerpts(
    lib: &Library,
    places: &[(std::sync::Arc<str>, crate::diag::LineCol)],
    dir: &Path,
) -> Vec<Diagnostic> {
    let mut texts: HashMap<&str, Result<String, String>> = HashMap::new();
    let mut out = Vec::new();
    for (point, (file, pos)) in lib.points.iter().zip(places) {
        let excerpt = &point.excerpt;
        let Some(source) = lib.source(&point.source) else {
            continue; // an unknown source is already reported by the loader
        };
        let text = texts
            .entry(source.id.as_str())
            .or_insert_with(|| source_text(dir, &source.file));
        let problem = match text {
            Ok(t) if t.contains(&squash_ws(excerpt)) => continue,
            Ok(_) => format!(
                "excerpt not found verbatim in {} (source `{}`)",
                source.file, source.id
            ),
            Err(e) => e.clone(),
        };
        out.push(Diagnostic::error(file, Some(*pos), problem));
    }
    out
}
