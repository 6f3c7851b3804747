//! The file `$EDITOR` edits a field in. On a shared server `/tmp` is everyone's:
//! a predictable, world-readable name there lets another user read the memo or
//! plant a link that has the text written over one of the user's files. So the
//! file lives in a directory of its own that only the user may enter (0700,
//! created exclusively: if the name exists, whoever made it, another is taken),
//! is created exclusively with mode 0600, and goes, directory and all (with any
//! swap or backup file the editor left), when the edit ends, however it ends.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

pub(super) struct Scratch {
    dir: PathBuf,
    file: PathBuf,
}

impl Scratch {
    /// A private file named for `label` holding `body`, under
    /// `$XDG_RUNTIME_DIR` (the user's own, in memory) or else the temp directory.
    pub(super) fn create(label: &str, body: &str) -> io::Result<Scratch> {
        let runtime = std::env::var_os("XDG_RUNTIME_DIR")
            .map(PathBuf::from)
            .filter(|d| d.is_absolute() && d.is_dir());
        Scratch::create_in(&runtime.unwrap_or_else(std::env::temp_dir), label, body)
    }

    pub(super) fn create_in(base: &Path, label: &str, body: &str) -> io::Result<Scratch> {
        let dir = private_dir(base)?;
        // From here on, dropping the value removes the directory.
        let mut scratch = Scratch {
            file: PathBuf::new(),
            dir,
        };
        let name: String = label
            .to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect();
        scratch.file = scratch.dir.join(format!("{name}.txt"));
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        opts.open(&scratch.file)?.write_all(body.as_bytes())?;
        Ok(scratch)
    }

    pub(super) fn path(&self) -> &Path {
        &self.file
    }
}

/// Creates a new directory only the user may enter, under a name no one had.
fn private_dir(base: &Path) -> io::Result<PathBuf> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let mut builder = DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    let mut last = None;
    for _ in 0..100 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = base.join(format!("briefpack-{}-{nanos:x}-{n}", std::process::id()));
        // mkdir never follows a link and fails on any existing name.
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free name for a private directory")))
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn private_from_the_start_and_gone_with_what_the_editor_left() {
        use std::os::unix::fs::PermissionsExt;
        let base = tempfile::tempdir().unwrap();
        let s = Scratch::create_in(base.path(), "Meeting title", "Informal summit").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = s.path().parent().unwrap().to_path_buf();
        assert_eq!(dir.parent().unwrap(), base.path());
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(s.path()), 0o600);
        assert_eq!(s.path().file_name().unwrap(), "meeting-title.txt");
        assert_eq!(fs::read_to_string(s.path()).unwrap(), "Informal summit");
        // An editor's swap file beside it.
        fs::write(dir.join(".meeting-title.txt.swp"), b"swap").unwrap();
        let other = Scratch::create_in(base.path(), "Meeting title", "x").unwrap();
        assert_ne!(other.path(), s.path(), "each edit has a directory of its own");
        drop(s);
        assert!(!dir.exists());
        drop(other);
        assert_eq!(fs::read_dir(base.path()).unwrap().count(), 0);
    }
}
