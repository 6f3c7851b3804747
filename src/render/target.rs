//! Where a build may write. Never over its own pack; never over a file briefpack
//! did not make, unless the user says so (`--force`, or a second Enter in the
//! interface).
//!
//! A previous output is recognised by its contents, not its name: a PDF whose
//! `/Producer` is briefpack's (the finishing pass writes it), and nothing else.
//! Text output carries no mark (it is meant to be pasted), so an existing text
//! file is always someone's to keep unless `--force`.

use super::Format;
use std::io::Read;
use std::path::Path;

/// What the finishing pass writes as the PDF's `/Producer`.
pub(crate) const PRODUCER: &str = concat!("briefpack ", env!("CARGO_PKG_VERSION"));

/// What is at the place a build would write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Existing {
    Nothing,
    /// A file an earlier build made: replacing it is what rebuilding means.
    Ours,
    /// Anything else: someone's file.
    Other,
}

/// How much of a file is read to find the producer mark. briefpack's PDFs
/// write their Info dictionary outside the compressed object stream
/// (`write.rs`), so the mark is plain bytes; a memo of a few hundred pages is a
/// few MB, read whole well inside this.
const SCAN: u64 = 64 * 1024 * 1024;

pub(crate) fn existing(out: &Path, format: Format) -> Existing {
    let Ok(meta) = std::fs::metadata(out) else {
        return Existing::Nothing;
    };
    if !meta.is_file() {
        // A device or a pipe (`-o /dev/stdout`) is written into, not replaced;
        // a directory is refused by the writer.
        return Existing::Nothing;
    }
    if format == Format::Text || meta.len() > SCAN {
        return Existing::Other;
    }
    let mut bytes = Vec::new();
    let read = std::fs::File::open(out).and_then(|f| f.take(SCAN).read_to_end(&mut bytes));
    if read.is_ok() && bytes.starts_with(b"%PDF-") && produced_by_us(&bytes) {
        Existing::Ours
    } else {
        Existing::Other
    }
}

/// A `/Producer` entry whose string starts with briefpack's name (PDF allows
/// white space, or none, between a name and its value).
fn produced_by_us(pdf: &[u8]) -> bool {
    const KEY: &[u8] = b"/Producer";
    let want = format!("({PRODUCER_PREFIX}");
    pdf.windows(KEY.len())
        .enumerate()
        .filter(|(_, w)| *w == KEY)
        .any(|(i, _)| {
            let rest = &pdf[i + KEY.len()..];
            let start = rest
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .unwrap_or(rest.len());
            rest[start..].starts_with(want.as_bytes())
        })
}

/// Any version's mark: a PDF built by an older briefpack is one of ours too.
const PRODUCER_PREFIX: &str = "briefpack ";

/// Whether two paths name one file (whatever the spelling, links included);
/// false when either does not exist.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_briefpacks_own_pdfs_count_as_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n);
        assert_eq!(existing(&p("none.pdf"), Format::Pdf), Existing::Nothing);
        std::fs::write(
            p("ours.pdf"),
            b"%PDF-1.3\n1 0 obj\n<</Producer (briefpack 0.0.9)>>\n",
        )
        .unwrap();
        assert_eq!(existing(&p("ours.pdf"), Format::Pdf), Existing::Ours);
        std::fs::write(p("tight.pdf"), b"%PDF-1.3\n<</Producer(briefpack 0.1.0)>>\n").unwrap();
        assert_eq!(existing(&p("tight.pdf"), Format::Pdf), Existing::Ours);
        std::fs::write(p("theirs.pdf"), b"%PDF-1.7\n<</Producer (LibreOffice)>>\n").unwrap();
        assert_eq!(existing(&p("theirs.pdf"), Format::Pdf), Existing::Other);
        std::fs::write(p("notes.txt"), b"/Producer (briefpack 0.1.0)").unwrap();
        assert_eq!(existing(&p("notes.txt"), Format::Pdf), Existing::Other);
        assert_eq!(existing(&p("ours.pdf"), Format::Text), Existing::Other);
        assert!(same_file(&p("ours.pdf"), &dir.path().join(".").join("ours.pdf")));
        assert!(!same_file(&p("ours.pdf"), &p("theirs.pdf")));
        assert!(!same_file(&p("none.pdf"), &p("none.pdf")));
    }
}
