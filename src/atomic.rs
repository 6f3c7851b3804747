//! Atomic file writes: a reader (or a crash, or a dropped SSH link) sees the old
//! complete file or the new complete file, never a fragment.

use anyhow::{bail, Context, Result};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Writes `bytes` to `path` through a temporary file in the same directory, synced
/// before it is renamed into place. An existing file's permissions are kept.
///
/// A symbolic link is written through: its target is replaced, atomically, in
/// the target's own directory, and the link stays (a shared `points.toml` linked
/// into a checkout gets the change). A character device or a FIFO (`/dev/null`,
/// `/dev/stdout`, a pipe) is written into, never replaced by a file. A read-only
/// file is refused rather than replaced behind its owner's back.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    write_mode(path, bytes, None)
}

/// As `write`, for a file only its owner may read (drafts on a shared server):
/// the temporary file is created with mode 0600, so the text is never readable
/// by others, not even for the moment before the rename.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_mode(path, bytes, Some(0o600))
}

fn write_mode(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    // Looked at through the kernel, which follows every link, `/proc`'s too:
    // `/dev/stdout` on a pipe leads to a FIFO no path names.
    if let Ok(Existing::Stream) = existing(path) {
        return write_into(path, bytes);
    }
    let path = &final_target(path)?;
    if let Existing::Stream = existing(path)? {
        return write_into(path, bytes);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file path", path.display()))?;
    let base = temp_base(&name.to_string_lossy());
    let tmp = dir.join(temp_name(&base));
    let result = boundary(false)
        .and_then(|()| write_synced(&tmp, path, bytes, mode))
        .and_then(|()| boundary(false))
        .and_then(|()| fs::rename(&tmp, path).with_context(|| format!("cannot replace {}", path.display())));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    boundary(true)?;
    sync_dir(&dir);
    boundary(true)?;
    sweep_stale(&dir, &base);
    Ok(())
}

/// Symbolic links are followed this many deep, as the kernel does (ELOOP).
const MAX_LINKS: usize = 40;

/// The file a chain of symbolic links ends at, which may not exist yet (a
/// dangling link is written through, as the shell's `>` does).
fn final_target(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to =
                    fs::read_link(&p).with_context(|| format!("cannot read the link {}", p.display()))?;
                // Relative to the link's directory; an absolute target replaces
                // the whole path in `join`.
                p = match p.parent() {
                    Some(dir) => dir.join(to),
                    None => to,
                };
            }
            _ => return Ok(p),
        }
    }
    bail!("{}: too many levels of symbolic links", path.display())
}

/// What is at the target already, as far as writing it goes.
enum Existing {
    Nothing,
    /// A regular file we may replace.
    File,
    /// A character device or FIFO, written into in place.
    Stream,
}

fn existing(path: &Path) -> Result<Existing> {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Nothing),
        Err(e) => return Err(e).with_context(|| format!("cannot look at {}", path.display())),
    };
    let kind = meta.file_type();
    if kind.is_dir() {
        bail!("{} is a directory", path.display());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() || kind.is_fifo() {
            return Ok(Existing::Stream);
        }
        if kind.is_block_device() || kind.is_socket() {
            bail!(
                "{} is a block device or socket, not a file to write a memo to",
                path.display()
            );
        }
    }
    // Mode bits say what the file's owner meant even to root, who could write it
    // anyway; opening it says whether this user may.
    let refused = OpenOptions::new()
        .write(true)
        .open(path)
        .is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied);
    if meta.permissions().readonly() || refused {
        bail!(
            "{} is read-only; make it writable (chmod u+w) or write to another file",
            path.display()
        );
    }
    Ok(Existing::File)
}

/// Writes into a device or FIFO as it is: renaming a file over it would put a
/// plain file where `/dev/null` or a reader's pipe was.
fn write_into(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .open(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.flush())
        .with_context(|| format!("cannot write {}", path.display()))
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
    let failed = || format!("cannot write {}", tmp.display());
    let (first, rest) = bytes.split_at(bytes.len() / 2);
    boundary(false)?;
    f.write_all(first).with_context(failed)?;
    boundary(false)?;
    f.write_all(rest).with_context(failed)?;
    boundary(false)?;
    f.sync_all().with_context(failed)
}

/// The exit status of a process stopped by `BRIEFPACK_TEST_FAULT=stop:N`.
pub const FAULT_STOPPED: i32 = 86;

/// A test hook, so the kill tests (tests/kill.rs) prove ordering on any machine
/// instead of aiming signals at random moments. `BRIEFPACK_TEST_FAULT=stop:N` ends
/// the process at the Nth boundary between the steps of atomic writes (counted
/// from 0 over the whole process), without cleaning up, as SIGKILL would;
/// `fail:N` makes the Nth boundary before a rename fail as a full disk would.
/// Unset, it costs one load per boundary.
fn boundary(after_rename: bool) -> Result<()> {
    static FAULT: OnceLock<Option<(bool, usize)>> = OnceLock::new();
    static PASSED: AtomicUsize = AtomicUsize::new(0);
    let fault = FAULT.get_or_init(|| {
        let spec = std::env::var("BRIEFPACK_TEST_FAULT").ok()?;
        let (how, n) = spec.split_once(':')?;
        Some((how == "stop", n.parse().ok()?))
    });
    let Some((stop, at)) = *fault else {
        return Ok(());
    };
    if after_rename && !stop {
        return Ok(());
    }
    if PASSED.fetch_add(1, Ordering::SeqCst) == at {
        if stop {
            std::process::exit(FAULT_STOPPED);
        }
        anyhow::bail!("injected fault at write boundary {at}");
    }
    Ok(())
}

/// A file name may be 255 bytes; the temporary name adds at most 27 to its base.
const MAX_BASE: usize = 200;

/// The target's name as temporary names carry it: cut short (at a character
/// boundary) so that a target with a name of the longest length still has one.
fn temp_base(name: &str) -> String {
    let mut end = name.len().min(MAX_BASE);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_owned()
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
pub(crate) fn alive(pid: u32) -> Option<bool> {
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
        // Process 1 (init) is alive as long as the system is: another live writer.
        let init = dir.path().join(".memo.pdf.1-0.tmp");
        let other = dir.path().join(".other.pdf.4194999-0.tmp");
        for f in [&dead, &live, &init, &other] {
            fs::write(f, b"fragment").unwrap();
        }
        write(&p, b"whole").unwrap();
        assert!(!dead.exists());
        assert!(live.exists(), "a live writer's file is kept");
        assert!(init.exists(), "another live process's file is kept");
        assert!(other.exists(), "another target's file is not touched");
    }

    #[test]
    fn refuses_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write(dir.path(), b"x").is_err());
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_symbolic_links_to_their_target() {
        let shared = tempfile::tempdir().unwrap();
        let checkout = tempfile::tempdir().unwrap();
        let target = shared.path().join("points.toml");
        fs::write(&target, b"old").unwrap();
        // A relative link to an absolute link to the file.
        let abs = checkout.path().join("abs.toml");
        std::os::unix::fs::symlink(&target, &abs).unwrap();
        let link = checkout.path().join("points.toml");
        std::os::unix::fs::symlink("abs.toml", &link).unwrap();
        write(&link, b"new").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert!(fs::symlink_metadata(&abs).unwrap().file_type().is_symlink());
        assert_eq!(names(shared.path()), ["points.toml"], "no temporary left");
        assert_eq!(names(checkout.path()), ["abs.toml", "points.toml"]);
        // A dangling link is written through, creating its target.
        let dangling = checkout.path().join("memo.pdf");
        std::os::unix::fs::symlink(shared.path().join("out.pdf"), &dangling).unwrap();
        write(&dangling, b"pdf").unwrap();
        assert_eq!(fs::read(shared.path().join("out.pdf")).unwrap(), b"pdf");
        assert!(fs::symlink_metadata(&dangling).unwrap().file_type().is_symlink());
        // A loop is an error, not a hang.
        let a = checkout.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", checkout.path().join("b")).unwrap();
        let e = write(&a, b"x").unwrap_err().to_string();
        assert!(e.contains("too many levels of symbolic links"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn writes_into_a_fifo_and_a_device_instead_of_replacing_them() {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut s = String::new();
                File::open(fifo).unwrap().read_to_string(&mut s).unwrap();
                s
            })
        };
        write(&fifo, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), "through the pipe");
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(names(dir.path()), ["pipe"]);
        write(Path::new("/dev/null"), b"nothing").unwrap();
        assert!(fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    }

    #[test]
    fn a_temporary_name_keeps_at_most_max_base_bytes_of_the_target_at_a_character_boundary() {
        // One byte, then 127 two-byte characters: byte 200 is inside a character.
        let name = format!("x{}", "é".repeat(127));
        let base = temp_base(&name);
        assert_eq!(base, format!("x{}", "é".repeat(99)));
        assert!(temp_name(&base).len() <= 255);
        assert_eq!(temp_base("short.pdf"), "short.pdf");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_socket_and_leaves_it() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("sock");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        let e = write(&socket, b"memo").unwrap_err();
        assert_eq!(
            format!("{e:#}"),
            format!(
                "{} is a block device or socket, not a file to write a memo to",
                socket.display()
            )
        );
        assert!(fs::symlink_metadata(&socket).unwrap().file_type().is_socket());
        assert_eq!(names(dir.path()), ["sock"]);
    }

    #[test]
    fn a_target_that_cannot_be_looked_at_is_refused_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes.txt");
        fs::write(&file, "mine").unwrap();
        // A path through a file: not "nothing there", which would send the
        // write on to fail somewhere less clear.
        let target = file.join("memo.pdf");
        let e = write(&target, b"memo").unwrap_err();
        assert!(
            format!("{e:#}").starts_with(&format!("cannot look at {}: ", target.display())),
            "{e:#}"
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
    }

    #[cfg(unix)]
    #[test]
    fn replaces_a_program_while_it_runs() {
        // Opening a running program for writing fails (ETXTBSY), but not for
        // want of permission: the rename replaces it, as it replaces any file.
        let dir = tempfile::tempdir().unwrap();
        let program = dir.path().join("sleeper");
        fs::copy("/bin/sleep", &program).unwrap();
        let mut running = std::process::Command::new(&program).arg("30").spawn().unwrap();
        let wrote = write(&program, b"new build");
        running.kill().unwrap();
        running.wait().unwrap();
        wrote.unwrap();
        assert_eq!(fs::read(&program).unwrap(), b"new build");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_read_only_file_and_leaves_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("memo.pdf");
        fs::write(&p, b"kept").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o444)).unwrap();
        let e = write(&p, b"new").unwrap_err().to_string();
        assert!(e.contains("memo.pdf is read-only"), "{e}");
        assert_eq!(fs::read(&p).unwrap(), b"kept");
        assert_eq!(names(dir.path()), ["memo.pdf"]);
    }

    #[test]
    fn a_name_of_the_longest_length_can_be_written() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a".repeat(244) + ".pdf", "я".repeat(125) + ".pdf"] {
            assert!(name.len() <= 255);
            let p = dir.path().join(&name);
            write(&p, b"first").unwrap();
            write(&p, b"second").unwrap();
            assert_eq!(fs::read(&p).unwrap(), b"second");
        }
        assert_eq!(names(dir.path()).len(), 2, "no temporary left");
    }
}
