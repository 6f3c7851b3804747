//! The rule "nothing typed or selected is ever lost", end to end: the real binary
//! in a real pseudo-terminal (tmux), its session ended by SIGHUP, by the terminal
//! being killed, and by SIGTERM; then started again, the draft restored and saved,
//! and the saved pack compared with what was on the screen. Needs `tmux` (CI
//! installs it with apt-get).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use briefpack::pack::Pack;
use common::tmux::{Tmux, DEADLINE, SESSION};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The fixture library, as every test here starts briefpack on it.
fn start(tmux: &Tmux, dir: &Path, args: &str) {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lib");
    tmux.start(dir, (100, 30), &format!("--data '{}' {args}", data.display()));
}

/// Waits for `what`, also where it wraps: output after an ending that leaves
/// the screen as it was (a hang-up) may wrap at the right edge.
fn wait_wrapped(tmux: &Tmux, what: &str) -> String {
    tmux.wait_until(&format!("{what:?}"), |s| {
        s.contains(what) || s.replace('\n', "").contains(what)
    })
}

fn wait_all(tmux: &Tmux, all: &[&str]) -> String {
    tmux.wait_until(&format!("all of {all:?}"), |s| all.iter().all(|w| s.contains(w)))
}

/// Waits for one line of the screen to hold all of `parts`.
fn wait_line(tmux: &Tmux, parts: &[&str]) {
    tmux.wait_until(&format!("a line with all of {parts:?}"), |s| {
        s.lines().any(|l| parts.iter().all(|p| l.contains(p)))
    });
}

/// The pid of briefpack: the child of the pane's shell.
fn briefpack_pid(tmux: &Tmux) -> u32 {
    let out = tmux.run(&["list-panes", "-t", SESSION, "-F", "#{pane_pid}"]);
    let shell: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    let start = Instant::now();
    loop {
        if let Some(pid) = children(shell).into_iter().next() {
            return pid;
        }
        assert!(start.elapsed() < DEADLINE, "briefpack never started");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Processes whose parent is `parent`, from /proc (no procps needed).
fn children(parent: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces, so split after ')'.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        if after.split_whitespace().nth(1) == Some(&parent.to_string()) {
            found.push(pid);
        }
    }
    found
}

/// True once the process has exited (gone, or a zombie nobody reaped yet).
fn exited(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
    }
}

fn wait_exited(pid: u32) {
    let start = Instant::now();
    while !exited(pid) {
        assert!(start.elapsed() < DEADLINE, "briefpack {pid} did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn kill(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// The edits every test makes, and the pack they must come back as. Each burst
/// ending in Escape is waited for before the next: an Escape followed at once by
/// a key reads as Alt and that key, as in any terminal program.
fn make_changes(tmux: &Tmux, dir: &Path) {
    wait_wrapped(tmux, "Picked: 0 threats");
    // A threat; two points found by typing (the memo orders them by kind and
    // theme, so J/K move only within a group: the pick order is the one kept);
    // the meeting's title and place in the header form.
    tmux.keys(&["Space", "3", "/", "toolkit", "Enter", "Space", "Escape"]);
    wait_all(
        tmux,
        &["Picked: 1 threat, 0 partners, 1 point", "Filters cleared."],
    );
    tmux.keys(&["/", "chan", "Enter", "Space"]);
    wait_all(tmux, &["Picked: 1 threat, 0 partners, 2 points"]);
    tmux.keys(&["Escape"]);
    wait_wrapped(tmux, "Filters cleared.");
    tmux.keys(&["e", "j", "j", "j", "Enter", "Astana", "Enter"]);
    wait_line(tmux, &["Place", "Astana"]);
    // Once the autosave has written all that, nothing is pending: the title,
    // changed last, is in no draft until the session's ending writes it (the
    // caller ends it at once, well inside the autosave's half second).
    wait_for_draft(dir, "place = \"Astana\"");
    tmux.keys(&["k", "k", "k", "Enter", "Informal summit in Astana", "Enter"]);
    wait_line(tmux, &["Meeting title", "Informal summit in Astana"]);
    // Enter was taken: the form left editing, so the keys line is the form's.
    let screen = wait_wrapped(tmux, "E $EDITOR");
    assert!(screen.contains("[modified]"), "{screen}");
}

/// Waits for the draft store to hold a draft containing `text`.
fn wait_for_draft(dir: &Path, text: &str) {
    let drafts = dir.join("state").join("briefpack");
    let start = Instant::now();
    loop {
        let found = std::fs::read_dir(&drafts)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains(text)));
        if found {
            return;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "no draft in {} holds {text:?}",
            drafts.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn expected() -> Pack {
    let mut p = Pack::new();
    p.meeting.title = "Informal summit in Astana".into();
    p.meeting.place = "Astana".into();
    p.selection.threats = vec!["terrorism".into()];
    p.selection.points = vec!["terror-toolkit".into(), "channel-permanent".into()];
    p
}

/// Compares packs as TOML documents: every field, every id, in order.
fn assert_same_pack(saved: &str, what: &str) {
    let saved: toml::Value = toml::from_str(saved).unwrap();
    let want: toml::Value = toml::from_str(&expected().to_toml().unwrap()).unwrap();
    assert_eq!(saved, want, "{what}");
}

/// The one draft in the store; checks it is private to the user.
fn the_draft(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let drafts = dir.join("state").join("briefpack");
    let files: Vec<PathBuf> = std::fs::read_dir(&drafts)
        .unwrap_or_else(|e| panic!("no drafts directory {}: {e}", drafts.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&files[0]), 0o600, "{}", files[0].display());
    assert_eq!(mode(&drafts), 0o700);
    files[0].clone()
}

fn draft_pack(file: &Path) -> String {
    let store = briefpack::draft::Store::at(file.parent().unwrap());
    store.read(file).unwrap().pack_toml
}

/// Starts briefpack again, in place of the ended session, accepts the restore
/// offer, saves, quits.
fn restore_and_save(tmux: &Tmux, dir: &Path, args: &str, offer_shows: &str) {
    let _ = tmux.run(&["kill-session", "-t", SESSION]);
    start(tmux, dir, args);
    let offer = wait_wrapped(tmux, "Restore unsaved work?");
    for needle in [
        offer_shows,
        "saved ",
        "1 threat, 2 points; “Informal summit in Astana”",
    ] {
        assert!(offer.contains(needle), "{needle:?} missing:\n{offer}");
    }
    tmux.keys(&["r"]);
    let s = wait_wrapped(tmux, "Restored the draft");
    assert!(
        s.contains("Picked: 1 threat, 0 partners, 2 points") && s.contains("[modified]"),
        "{s}"
    );
    tmux.keys(&["C-s"]);
    if args.is_empty() {
        // A new pack: the prompt offers brief.toml in the working directory.
        wait_wrapped(tmux, "Save pack as:");
        tmux.keys(&["Enter"]);
    }
    wait_wrapped(tmux, "Saved ");
    tmux.keys(&["q"]);
    wait_wrapped(tmux, "EXITED=0");
}

#[test]
fn sighup_keeps_a_never_saved_pack_and_it_comes_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let tmux = Tmux::new("hup");
    start(&tmux, dir.path(), "");
    let pid = briefpack_pid(&tmux);
    make_changes(&tmux, dir.path());
    kill(pid, "-HUP");
    wait_exited(pid);
    wait_wrapped(&tmux, "EXITED=129");
    let draft = the_draft(dir.path());
    assert!(draft.file_name().unwrap().to_string_lossy().starts_with("new-"));
    assert_same_pack(&draft_pack(&draft), "the draft");

    restore_and_save(&tmux, dir.path(), "", "new pack (never saved)");
    let saved = std::fs::read_to_string(dir.path().join("brief.toml")).unwrap();
    assert_same_pack(&saved, "the saved pack");
    assert!(!draft.exists(), "saving retires the draft");
}

#[test]
fn a_killed_terminal_keeps_the_pack_and_it_comes_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let tmux = Tmux::new("kill");
    // A second session keeps the tmux server alive when the first is killed.
    tmux.run(&["new-session", "-d", "-s", "keep", "sleep 120"]);
    start(&tmux, dir.path(), "summit.toml");
    let pid = briefpack_pid(&tmux);
    make_changes(&tmux, dir.path());
    let out = tmux.run(&["kill-session", "-t", SESSION]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    wait_exited(pid);
    let draft = the_draft(dir.path());
    assert!(draft
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("pack-summit-"));
    assert_same_pack(&draft_pack(&draft), "the draft");

    restore_and_save(&tmux, dir.path(), "summit.toml", "summit.toml");
    let saved = std::fs::read_to_string(dir.path().join("summit.toml")).unwrap();
    assert_same_pack(&saved, "the saved pack");
    assert!(!draft.exists(), "saving retires the draft");
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    let tmux = Tmux::new("term");
    start(&tmux, dir.path(), "summit.toml");
    let pid = briefpack_pid(&tmux);
    make_changes(&tmux, dir.path());
    kill(pid, "-TERM");
    let after = wait_wrapped(&tmux, "EXITED=143");
    // The terminal is back to the shell's screen, with a word on where the work is.
    assert!(!after.contains("Picked:"), "{after}");
    let flat = after.replace('\n', "");
    assert!(flat.contains("unsaved changes kept as a draft"), "{after}");
    assert!(
        flat.contains("`briefpack summit.toml` offers it next time"),
        "{after}"
    );
    let draft = the_draft(dir.path());
    assert_same_pack(&draft_pack(&draft), "the draft");
}
