//! Splitting a large library file into parts that each parse on their own, so
//! they can be parsed on every core, and reading a file from disk part by part,
//! so that a 50 MB file is never in memory whole beside its records.

use super::model::Kind;
use crate::diag::LineCol;
use anyhow::{bail, Context, Result};
use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::Path;

/// Files above this size are parsed in parts.
pub(super) const PART_SIZE: usize = 1 << 18;

/// How much of a file is read at a time to find its cuts.
const BLOCK: usize = 4 * PART_SIZE;

/// One part of a file: whole lines, starting a line of the file.
pub(super) struct Part<'a> {
    /// Checked to be UTF-8 by whoever parses it (a file can change while it is read).
    pub bytes: Cow<'a, [u8]>,
    /// Lines of the file before this part.
    pub lines_before: usize,
}

/// Where a file is cut: each part's byte range and the lines before it, and how
/// many tables the file holds (so record lists can be sized once).
pub(super) struct Cuts {
    pub parts: Vec<(Range<usize>, usize)>,
    pub tables: usize,
}

// The two scans below run over every byte of a large file before its parts
// can be parsed, so they are written for the compiler to vectorise: counting
// in bytes (so 255 at most per run) and folding without an early exit make
// them about ten times faster than `filter().count()` and `contains`.

fn newlines(s: &str) -> usize {
    s.as_bytes()
        .chunks(255)
        .map(|run| run.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n')) as usize)
        .sum()
}

/// Whether `s` holds `"""` or `'''`.
fn has_triple_quote(s: &[u8]) -> bool {
    const RUN: usize = 4096;
    (0..s.len()).step_by(RUN).any(|start| {
        // Two bytes more than the run, so that no triple is missed between runs.
        let w = &s[start..(start + RUN + 2).min(s.len())];
        if w.len() < 3 {
            return false;
        }
        let n = w.len() - 2;
        // Three windows of one length, and `|` and `&` rather than `||` and `&&`
        // (which branch on every byte): vectorised, 16 or 32 bytes a step.
        let (a, b, c) = (&w[..n], &w[1..=n], &w[2..n + 2]);
        a.iter().zip(b).zip(c).fold(0u8, |found, ((&a, &b), &c)| {
            found | (u8::from(a == b) & u8::from(b == c) & (u8::from(a == b'"') | u8::from(a == b'\'')))
        }) != 0
    })
}

/// Finds the cuts of a file fed to it a run of whole lines at a time.
struct Splitter {
    header: String,
    /// Bytes and lines seen so far.
    offset: usize,
    lines: usize,
    /// Where the current part starts, and the lines before it.
    start: (usize, usize),
    parts: Vec<(Range<usize>, usize)>,
    tables: usize,
}

impl Splitter {
    fn new(kind: Kind) -> Splitter {
        Splitter {
            header: format!("[[{}]]", kind.plural()),
            offset: 0,
            lines: 0,
            start: (0, 0),
            parts: Vec::new(),
            tables: 0,
        }
    }

    /// Takes the next whole lines of the file; false when the file might not
    /// split safely (a multi-line string could hold a line that looks like a
    /// table header, and any other header would belong to the table before it).
    fn feed(&mut self, lines: &str) -> bool {
        if has_triple_quote(lines.as_bytes()) {
            return false;
        }
        // Only lines that start with `[` after any whitespace matter, so only
        // the `[`s are visited rather than every line.
        let mut counted = 0;
        for at in memchr::memchr_iter(b'[', lines.as_bytes()) {
            let before = lines[..at].trim_end_matches(|c: char| c.is_whitespace() && c != '\n');
            if !(before.is_empty() || before.ends_with('\n')) {
                continue;
            }
            let end = lines[at..].find('\n').map_or(lines.len(), |i| at + i);
            if lines[at..end].trim_end() != self.header {
                return false;
            }
            self.tables += 1;
            let line_start = before.len();
            if self.offset + line_start - self.start.0 >= PART_SIZE {
                self.lines += newlines(&lines[counted..line_start]);
                counted = line_start;
                self.cut(self.offset + line_start);
            }
        }
        self.lines += newlines(&lines[counted..]);
        self.offset += lines.len();
        true
    }

    /// Ends the current part at `offset` (where `self.lines` lines are behind).
    fn cut(&mut self, offset: usize) {
        let (start, lines_before) = self.start;
        self.parts.push((start..offset, lines_before));
        self.start = (offset, self.lines);
    }

    fn finish(mut self) -> Cuts {
        self.cut(self.offset);
        Cuts {
            parts: self.parts,
            tables: self.tables,
        }
    }
}

/// The cuts of a text in memory; `None` to parse it whole, because it is small
/// or might not split safely.
pub(super) fn split(kind: Kind, text: &str) -> Option<Cuts> {
    if text.len() < 2 * PART_SIZE {
        return None;
    }
    let mut s = Splitter::new(kind);
    s.feed(text).then(|| s.finish())
}

/// A library file as it is to be read.
pub(super) enum Reading {
    /// Read whole: small, or not safe to split.
    Whole(String),
    /// Read part by part (see `PartReader`).
    Parts(PartReader),
}

/// Opens a data file and decides how to read it; `Ok(None)` when it does not
/// exist. A large file is read once here, a block at a time, to check it is
/// UTF-8 and find its cuts, and then again part by part as the parts are parsed:
/// from the page cache, this costs far less than holding the whole text.
pub(super) fn open(path: &Path, kind: Kind) -> Result<Option<Reading>> {
    let cannot_read = || format!("cannot read {}", path.display());
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => bail!("is a directory, not a file"),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(cannot_read),
    }
    let mut file = crate::input::open(path, crate::input::LIBRARY_FILE, "library file")?;
    // The open file's own size and time, to tell whether it changes while read.
    let meta = file.metadata().with_context(cannot_read)?;
    if meta.len() < 2 * PART_SIZE as u64 {
        return read_whole(&mut file, &cannot_read).map(|t| Some(Reading::Whole(t)));
    }
    let mut s = Splitter::new(kind);
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK);
    loop {
        let n = (&mut file)
            .take(BLOCK as u64)
            .read_to_end(&mut buf)
            .with_context(cannot_read)?;
        // Whole lines only (all that is left at the end), so that a character
        // or a line is never cut between two blocks.
        let whole = if n == 0 {
            buf.len()
        } else {
            match buf.iter().rposition(|&b| b == b'\n') {
                Some(i) => i + 1,
                None => continue,
            }
        };
        let lines = std::str::from_utf8(&buf[..whole]).map_err(|e| {
            let valid = String::from_utf8_lossy(&buf[..e.valid_up_to()]);
            let at = LineCol::at(&valid, valid.len());
            anyhow::anyhow!("invalid UTF-8 at line {} column {}", s.lines + at.line, at.col)
        })?;
        if !s.feed(lines) {
            file.seek(SeekFrom::Start(0)).with_context(cannot_read)?;
            return read_whole(&mut file, &cannot_read).map(|t| Some(Reading::Whole(t)));
        }
        if n == 0 {
            break;
        }
        buf.drain(..whole);
    }
    file.seek(SeekFrom::Start(0)).with_context(cannot_read)?;
    let cuts = s.finish();
    Ok(Some(Reading::Parts(PartReader {
        file,
        len: meta.len(),
        modified: meta.modified().ok(),
        tables: cuts.tables,
        parts: cuts.parts.into_iter(),
        done: false,
    })))
}

fn read_whole(file: &mut File, cannot_read: &dyn Fn() -> String) -> Result<String> {
    let bytes = crate::input::read_capped(file, crate::input::LIBRARY_FILE)
        .with_context(cannot_read)?
        .ok_or_else(|| {
            anyhow::anyhow!("the file grew past the most a library file may be while it was read")
        })?;
    String::from_utf8(bytes).map_err(|e| {
        let text = String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]).into_owned();
        let at = LineCol::at(&text, text.len());
        anyhow::anyhow!("invalid UTF-8 at line {} column {}", at.line, at.col)
    })
}

/// Reads a file's parts in order, each as it is asked for; the last item is an
/// error if the file changed since it was opened (a problem rather than a
/// library quietly mixing two versions of the file).
pub(super) struct PartReader {
    file: File,
    len: u64,
    modified: Option<std::time::SystemTime>,
    pub tables: usize,
    parts: std::vec::IntoIter<(Range<usize>, usize)>,
    done: bool,
}

/// What a user is told when a file changes while it is read.
pub(super) const CHANGED: &str = "the file changed while it was being read; check again";

impl Iterator for PartReader {
    type Item = Result<Part<'static>, &'static str>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let Some((range, lines_before)) = self.parts.next() else {
            self.done = true;
            let meta = self.file.metadata().ok();
            let same = meta.is_some_and(|m| m.len() == self.len && m.modified().ok() == self.modified);
            return (!same).then_some(Err(CHANGED));
        };
        let mut bytes = Vec::with_capacity(range.len());
        let read = (&mut self.file).take(range.len() as u64).read_to_end(&mut bytes);
        if read.ok() != Some(range.len()) {
            self.done = true;
            return Some(Err(CHANGED));
        }
        Some(Ok(Part {
            bytes: Cow::Owned(bytes),
            lines_before,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{DataSource, Library};
    use std::fmt::Write as _;

    const SOURCE: &str = "[[sources]]\nid = \"s\"\ntitle = \"t\"\nauthor = \"a\"\ndate = \"2008\"\nkind = \"report\"\nlanguage = \"ru\"\norigin = \"o\"\nfile = \"f\"\n";

    /// A points file of `n` records, large enough to be read in parts, with a
    /// problem of another sort every so often.
    fn points(n: usize) -> String {
        let mut s = String::from("# points\n");
        for i in 0..n {
            let kind = if i % 997 == 5 { "keymessage" } else { "key-message" };
            let source = if i % 1999 == 7 { "nowhere" } else { "s" };
            let id = if i % 2503 == 9 {
                "p-1".to_owned()
            } else {
                format!("p-{i}")
            };
            let _ = write!(
                s,
                "\n[[points]]\nid = \"{id}\"\ntext = \"Point {i} — ОДКБ, {}\"\nkind = \"{kind}\"\n\
                 source = \"{source}\"\nexcerpt = \"x\"\nstatus = \"approved\"\ntags = [\"t\"]\n",
                "padding ".repeat(i % 40)
            );
        }
        s
    }

    /// Loading `text` as points.toml from disk gives what loading it from memory gives.
    fn same_from_disk(text: &[u8]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("sources.toml"), SOURCE).unwrap();
        std::fs::write(dir.path().join("threats.toml"), "").unwrap();
        std::fs::write(dir.path().join("partners.toml"), "").unwrap();
        std::fs::write(dir.path().join("points.toml"), text).unwrap();
        let src = DataSource::Dir(dir.path().to_owned());
        let disk = Library::load(&src).unwrap();
        let msgs: Vec<String> = disk.diagnostics.iter().map(ToString::to_string).collect();
        if let Ok(text) = std::str::from_utf8(text) {
            let memory = Library::load_with(&src, &[(Kind::Point, text)]).unwrap();
            assert_eq!(disk.diagnostics, memory.diagnostics);
            assert_eq!(
                format!("{:?}", disk.library.points),
                format!("{:?}", memory.library.points)
            );
        }
        msgs
    }

    #[test]
    fn triple_quotes_are_found_wherever_they_are() {
        let naive = |s: &[u8]| s.windows(3).any(|w| w == b"\"\"\"" || w == b"'''");
        for len in [0, 1, 2, 3, 4095, 4096, 4097, 4098, 9000] {
            let plain = vec![b'a'; len];
            assert!(!has_triple_quote(&plain));
            for at in
                (0..len.saturating_sub(2)).filter(|i| *i < 40 || (4080..4110).contains(i) || *i + 40 > len)
            {
                for triple in [&b"\"\"\""[..], b"'''", b"\"\"'", b"'\"\"", b"\"'\"", b"\"\"a"] {
                    let mut s = plain.clone();
                    s[at..at + 3].copy_from_slice(triple);
                    assert_eq!(has_triple_quote(&s), naive(&s), "{len} {at} {triple:?}");
                }
            }
        }
    }

    #[test]
    fn a_file_read_in_parts_loads_as_it_does_from_memory() {
        let text = points(6_000);
        assert!(split(Kind::Point, &text).is_some_and(|c| c.parts.len() > 4));
        let msgs = same_from_disk(text.as_bytes());
        for needle in [
            "`kind` is `keymessage`",
            "unknown source id `nowhere`",
            "duplicate point id `p-1`",
        ] {
            assert!(msgs.iter().any(|m| m.contains(needle)), "{needle}: {msgs:#?}");
        }
        same_from_disk(text.replace('\n', "\r\n").as_bytes());
        // A syntax error in a middle part, a line longer than a block, and a
        // file that cannot be split (so is read whole).
        let broken = text.replacen("status = \"approved\"", "status = approved", 3_000);
        assert!(same_from_disk(broken.as_bytes())
            .iter()
            .any(|m| m.contains("points.toml:")));
        let long = text.replacen("padding", &"long ".repeat(300_000), 1);
        same_from_disk(long.as_bytes());
        let whole = text.replacen("text = \"Point 7", "text = \"\"\"Point 7", 1);
        assert!(split(Kind::Point, &whole).is_none());
        same_from_disk(whole.as_bytes());
    }

    #[test]
    fn invalid_utf8_far_down_a_large_file_is_placed_as_in_a_small_one() {
        for text in [
            points(6_000),
            points(6_000).replacen("text = \"Point 7", "text = '''Point 7", 1),
        ] {
            let mut bytes = text.into_bytes();
            let at = bytes.len() - 1_000;
            bytes.splice(at..at, *b"caf\xe9");
            let valid = String::from_utf8_lossy(&bytes[..at + 3]).into_owned();
            let pos = LineCol::at(&valid, valid.len());
            let expected = format!("error: invalid UTF-8 at line {} column {}", pos.line, pos.col);
            let msgs = same_from_disk(&bytes);
            assert!(
                msgs.iter().any(|m| m.ends_with(&expected)),
                "{expected}: {msgs:#?}"
            );
        }
    }

    #[test]
    fn a_file_that_changes_while_read_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("points.toml");
        std::fs::write(&path, points(6_000)).unwrap();
        let Ok(Some(Reading::Parts(reader))) = open(&path, Kind::Point) else {
            panic!("not read in parts");
        };
        let mut file = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
        std::io::Write::write_all(&mut file, b"\n[[points]]\nid = \"late\"\n").unwrap();
        let last = reader.last().map(std::result::Result::err);
        assert_eq!(last, Some(Some(CHANGED)));
    }
}
