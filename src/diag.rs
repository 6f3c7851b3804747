//! Diagnostics that point at a place in a file: `file:line:col: message`.

use std::fmt;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a text file, 1-based as editors show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

impl LineCol {
    /// Converts a byte offset into 1-based line and column (columns count characters,
    /// not bytes, so they match what an editor shows for Cyrillic text).
    pub fn at(text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        LineCol { line, col }
    }
}

/// Where each line of a text starts, so many positions in one file are found by a
/// binary search instead of a scan from the top each time (the loader asks for one
/// per id and reference, and a rescan each time made loading quadratic).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The same as `LineCol::at(text, offset)`, for the text this index was built from.
    pub fn at(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        let col = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        LineCol { line, col }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the user knows it (a path, or `embedded:points.toml`).
    pub file: String,
    pub pos: Option<LineCol>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: &str, pos: Option<LineCol>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            pos,
            message: message.into(),
        }
    }

    pub fn warning(file: &str, pos: Option<LineCol>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pos, message)
        }
    }

    /// A diagnostic at a byte span of `text`.
    pub fn at_span(file: &str, text: &str, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic::error(file, span.map(|s| LineCol::at(text, s.start)), message)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.pos {
            Some(p) => write!(f, "{}:{}:{}: {sev}: {}", self.file, p.line, p.col, self.message),
            None => write!(f, "{}: {sev}: {}", self.file, self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a = 1\nб = \"x\"\n";
        let off = text.find('"').unwrap();
        assert_eq!(LineCol::at(text, off), LineCol { line: 2, col: 5 });
        assert_eq!(LineCol::at(text, 0), LineCol { line: 1, col: 1 });
        // Offsets past the end or inside a character never panic.
        assert_eq!(LineCol::at(text, 999).line, 3);
        assert_eq!(LineCol::at("бв", 1), LineCol { line: 1, col: 1 });
    }

    #[test]
    fn line_index_agrees_with_line_col() {
        for text in ["a = 1\nб = \"x\"\n", "", "\n\n", "бв\nг", "x"] {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    index.at(text, offset),
                    LineCol::at(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }
}
