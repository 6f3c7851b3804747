//! Reading input files (library files, packs, templates, source documents):
//! regular files only, and no more than a cap that suits what the file holds,
//! so a FIFO never hangs a command and `/dev/zero` or a runaway file never eats
//! the machine's memory.

use anyhow::{bail, Context, Result};
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

/// A library data file; the largest library tested (100,000 points) is 20 MB.
pub(crate) const LIBRARY_FILE: u64 = 256 << 20;
/// A pack: a selection of at most 2,000 ids and the memo's own text.
pub(crate) const PACK_FILE: u64 = 16 << 20;
/// A layout template.
pub(crate) const TEMPLATE_FILE: u64 = 1 << 20;
/// A source document an excerpt is checked against.
pub(crate) const SOURCE_FILE: u64 = 64 << 20;

/// Opens `path` for reading if it is a regular file of at most `cap` bytes;
/// `what` names the kind of file in the message otherwise.
pub(crate) fn open(path: &Path, cap: u64, what: &str) -> Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    // A FIFO with no writer would block the open itself; without waiting, the
    // open file can be looked at before a byte is read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts
        .open(path)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    let meta = file
        .metadata()
        .with_context(|| format!("cannot read {}", path.display()))?;
    if meta.is_dir() {
        bail!("{} is a directory, not a {what}", path.display());
    }
    if !meta.is_file() {
        bail!(
            "{} is not a regular file ({}); a {what} must be one",
            path.display(),
            kind_of(&meta)
        );
    }
    if meta.len() > cap {
        bail!(too_large(path, meta.len(), cap, what));
    }
    Ok(file)
}

/// The whole of a regular file of at most `cap` bytes (see `open`).
pub(crate) fn read(path: &Path, cap: u64, what: &str) -> Result<Vec<u8>> {
    let file = open(path, cap, what)?;
    read_capped(file, cap)
        .with_context(|| format!("cannot read {}", path.display()))?
        .ok_or_else(|| anyhow::anyhow!(too_large(path, cap + 1, cap, what)))
}

/// As `read`, for a file that must be UTF-8 text.
pub(crate) fn read_text(path: &Path, cap: u64, what: &str) -> Result<String> {
    String::from_utf8(read(path, cap, what)?)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", path.display()))
}

/// At most `cap` bytes of `from`; `None` if there is more (a file that grew
/// since it was looked at, or a stream that does not end).
pub(crate) fn read_capped(from: impl Read, cap: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    from.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= cap).then_some(bytes))
}

/// Caps are whole megabytes; a file's size is shown to a tenth of one.
fn too_large(path: &Path, len: u64, cap: u64, what: &str) -> String {
    let cap_mb = cap >> 20;
    if len > cap.saturating_add(1) {
        let mb = len as f64 / f64::from(1u32 << 20);
        format!(
            "{} is {mb:.1} MB; a {what} may be at most {cap_mb} MB",
            path.display()
        )
    } else {
        format!(
            "{} grew past {cap_mb} MB, the most a {what} may be",
            path.display()
        )
    }
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "not a plain file"
}
