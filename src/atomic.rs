//! Atomic file writes: a reader (or a crash, or a dropped SSH link) sees the old
//! complete file or the new complete file, never a fragment.

use anyhow::{Context, Result};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Writes `bytes` to `path` through a temporary file in the same directory, synced
/// before it is renamed into place. An existing file's permissions are kept.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file path", path.display()))?;
    if path.is_dir() {
        anyhow::bail!("{} is a directory", path.display());
    }
    let tmp = dir.join(temp_name(&name.to_string_lossy()));
    let result = write_synced(&tmp, path, bytes)
        .and_then(|()| fs::rename(&tmp, path).with_context(|| format!("cannot replace {}", path.display())));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    sync_dir(&dir);
    Ok(())
}

fn write_synced(tmp: &Path, target: &Path, bytes: &[u8]) -> Result<()> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    let mut f = opts
        .open(tmp)
        .with_context(|| format!("cannot write in {}", tmp.parent().unwrap_or(tmp).display()))?;
    if let Ok(meta) = fs::metadata(target) {
        let _ = f.set_permissions(meta.permissions());
    }
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("cannot write {}", tmp.display()))
}

/// A name no other writer in this or another process will pick.
fn temp_name(base: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(".{base}.{}-{n}.tmp", std::process::id())
}

/// Makes the rename itself durable; best effort, as not every filesystem allows it.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        write(&p, b"first").unwrap();
        write(&p, b"second, longer").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"second, longer");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        write(&p, b"x").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
        write(&p, b"y").unwrap();
        assert_eq!(fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn refuses_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write(dir.path(), b"x").is_err());
    }
}
