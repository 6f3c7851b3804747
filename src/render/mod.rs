//! Document -> PDF and Document -> plain text. Both read the same `Document`, so
//! the preview and the PDF never disagree.

mod embed;
mod finish;
mod flow;
mod frame;
mod measure;
pub mod pdf;
mod record;
mod subset;
mod tags;
pub(crate) mod target;
pub mod text;
mod write;

use crate::compose::Document;
use crate::template::Template;
use anyhow::Result;

/// The formats a brief can be built in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Text,
}

/// A finished rendering of a brief.
#[derive(Debug)]
pub struct Output {
    pub bytes: Vec<u8>,
    /// Pages of the PDF; lines of the text.
    pub pages: usize,
    pub warnings: Vec<String>,
}

/// Where distribution copy `n` of a memo built to `out` is written: beside it,
/// `memo-copy-2.pdf` for `memo.pdf`.
pub(crate) fn copy_path(out: &std::path::Path, n: usize) -> std::path::PathBuf {
    let ext = out.extension().map(|e| e.to_string_lossy().into_owned());
    let stem = out.with_extension("");
    let name = match ext {
        Some(ext) => format!("{}-copy-{n}.{ext}", stem.display()),
        None => format!("{}-copy-{n}", stem.display()),
    };
    std::path::PathBuf::from(name)
}

/// Width of `--format text` output, in columns.
pub(crate) const TEXT_WIDTH: usize = 78;

pub fn render(doc: &Document, template: &Template, format: Format) -> Result<Output> {
    match format {
        Format::Pdf => {
            let p = pdf::render(doc, template)?;
            Ok(Output {
                bytes: p.bytes,
                pages: p.pages,
                warnings: p.warnings,
            })
        }
        Format::Text => {
            let lines = text::lines(doc, TEXT_WIDTH);
            let mut s = lines.join("\n");
            s.push('\n');
            Ok(Output {
                bytes: s.into_bytes(),
                pages: lines.len(),
                warnings: Vec::new(),
            })
        }
    }
}
