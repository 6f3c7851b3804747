//! Diagnostics that point at a place in a file: `file:line:col: message`.

use std::cell::Cell;
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
    pub(crate) fn at(text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        LineCol { line, col }
    }
}

/// The toml parser's message in one line, with its terse wording for nesting
/// past its recursion limit (a hostile or broken file such as `a = [[[[...]]]]`)
/// replaced by one a user can act on.
pub(crate) fn toml_message(msg: &str) -> String {
    if msg.contains("recurs") {
        return "nested too deeply; library files and packs need only a few levels".to_owned();
    }
    msg.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Line starts of a text, so that turning many offsets into line:col costs a
/// binary search each rather than a scan from the start of the file (which made
/// loading a 100,000-record library quadratic: minutes instead of a second).
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
    /// Lines of the file before `text`, which may be one part of it.
    lines_before: usize,
    /// The last place asked for (offset, line, column): a place further on the
    /// same line is counted on from there, so that many places on one long line
    /// (a one-line array of 100,000 ids) cost one pass over it, not one each.
    last: Cell<(usize, usize, usize)>,
}

impl<'t> LineIndex<'t> {
    pub(crate) fn new(text: &'t str) -> LineIndex<'t> {
        LineIndex::part(text, 0)
    }

    /// The index of one part of a file that starts a line, after `lines_before`
    /// lines: positions come out as in the whole file, without the whole file
    /// having to be in memory.
    pub(crate) fn part(text: &'t str, lines_before: usize) -> LineIndex<'t> {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex {
            text,
            starts,
            lines_before,
            last: Cell::new((0, 0, 0)),
        }
    }

    /// The same answer as `LineCol::at(text, offset)`.
    pub(crate) fn at(&self, offset: usize) -> LineCol {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line.saturating_sub(1)];
        let col = match self.last.get() {
            // Lines are numbered from 1, so the initial (0, 0, 0) never matches.
            (at, on, col) if on == line && (start..=offset).contains(&at) => {
                col + self.text[at..offset].chars().count()
            }
            _ => self.text[start..offset].chars().count() + 1,
        };
        self.last.set((offset, line, col));
        LineCol {
            line: self.lines_before + line,
            col,
        }
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
    pub(crate) fn error(file: &str, pos: Option<LineCol>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            pos,
            message: message.into(),
        }
    }

    pub(crate) fn warning(file: &str, pos: Option<LineCol>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pos, message)
        }
    }

    /// A diagnostic at a byte span of `text`.
    pub(crate) fn at_span(
        file: &str,
        text: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
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
    fn line_index_agrees_with_line_col_everywhere() {
        for text in ["", "a", "a = 1\nб = \"x\"\n", "\n\n", "x\nбв\r\ny"] {
            let idx = LineIndex::new(text);
            for off in 0..=text.len() + 2 {
                assert_eq!(idx.at(off), LineCol::at(text, off), "{text:?} at {off}");
            }
        }
    }

    #[test]
    fn a_part_index_places_offsets_as_the_whole_file_does() {
        let text = "a = 1\nб = \"x\"\n[[t]]\nc = \"д\"\n";
        let cut = text.find("[[t]]").unwrap();
        let part = LineIndex::part(&text[cut..], 2);
        let offsets = 0..=text.len() - cut;
        // Forwards (each place counted on from the last), backwards and skipping about.
        for off in offsets
            .clone()
            .chain(offsets.clone().rev())
            .chain(offsets.step_by(3))
        {
            assert_eq!(part.at(off), LineCol::at(text, cut + off), "at {off}");
        }
    }
}
