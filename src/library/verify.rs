//! Verifying that excerpts are verbatim quotes of their source documents.

use super::Library;
use crate::diag::Diagnostic;
use std::collections::HashMap;
use std::path::Path;

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
        let text = texts.entry(source.id.as_str()).or_insert_with(|| {
            let path = dir.join(&source.file);
            std::fs::read(&path)
                .map(|b| squash_ws(&String::from_utf8_lossy(&b)))
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
        });
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
