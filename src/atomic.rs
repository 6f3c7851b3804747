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
    write_mode(path, bytes, None)
}

/// As `write`, for a file only its owner may read (drafts on a shared server):
/// the temporary file is created with mode 0600, so the text is never readable
/// by others, not even for the moment before the rename.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_mode(path, bytes, Some(0o600))
}

fn write_mode(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
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
    let base = name.to_string_lossy();
    let tmp = dir.join(temp_name(&base));
    let result = write_synced(&tmp, path, bytes, mode)
        .and_then(|()| fs::rename(&tmp, path).with_context(|| format!("cannot replace {}", path.display())));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    sync_dir(&dir);
    sweep_stale(&dir, &base);
    Ok(())
}

fn write_synced(tmp: &Path, target: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(mode);
    }
    let mut f = opts
        .open(tmp)
        .with_context(|| format!("cannot write in {}", tmp.parent().unwrap_or(tmp).display()))?;
    if mode.is_none() {
        if let Ok(meta) = fs::metadata(target) {
            let _ = f.set_permissions(meta.permissions());
        }
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

/// Removes temporary files of this target left by writers that were killed (a
/// dropped link, SIGKILL, power loss), so they do not pile up. Only files whose
/// writer process is gone are touched: a live writer's file is never removed.
/// Linux only, where `/proc` says which processes are alive; elsewhere the
/// leftovers stay, hidden and named `.tmp`, where no reader mistakes them.
fn sweep_stale(dir: &Path, base: &str) {
    let proc = Path::new("/proc/self");
    if !proc.exists() {
        return;
    }
    let prefix = format!(".{base}.");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(pid) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, n)| n.parse::<u32>().ok().and(pid.parse::<u32>().ok()))
        else {
            continue;
        };
        if pid != std::process::id() && alive(pid) == Some(false) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether process `pid` is running on this machine: `None` where that cannot be
/// told (no `/proc`). A pid can be reused, so `Some(true)` means "perhaps still
/// there": callers only use it to keep things, never to remove them.
pub fn alive(pid: u32) -> Option<bool> {
    if !Path::new("/proc/self").exists() {
        return None;
    }
    // A process that ended but was not yet reaped by its parent (a zombie, state
    // Z or X after the name in parentheses) still has its /proc entry.
    Some(
        fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("stat")).is_ok_and(|stat| {
            stat.rsplit_once(')')
                .is_some_and(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X']))
        }),
    )
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

    #[cfg(unix)]
    #[test]
    fn private_files_are_owner_only_from_the_start() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.toml");
        fs::write(&p, b"old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&p, b"secret").unwrap();
        assert_eq!(fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::read(&p).unwrap(), b"secret");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn leftovers_of_dead_writers_are_swept_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("memo.pdf");
        // A pid above the kernel's maximum (4194304) is never alive.
        let dead = dir.path().join(".memo.pdf.4194999-0.tmp");
        let live = dir
            .path()
            .join(format!(".memo.pdf.{}-999.tmp", std::process::id()));
        let other = dir.path().join(".other.pdf.4194999-0.tmp");
        for f in [&dead, &live, &other] {
            fs::write(f, b"fragment").unwrap();
        }
        write(&p, b"whole").unwrap();
        assert!(!dead.exists());
        assert!(live.exists(), "a live writer's file is kept");
        assert!(other.exists(), "another target's file is not touched");
    }

    #[test]
    fn refuses_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write(dir.path(), b"x").is_err());
    }
}
