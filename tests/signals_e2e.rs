//! The rule "nothing typed or selected is ever lost", end to end: the real binary
//! in a real pseudo-terminal (tmux), its session ended by SIGHUP, by the terminal
//! being killed, by SIGTERM and by SIGINT, or suspended with Ctrl-Z; then started
//! again, the draft restored and saved, and the saved pack compared with what was
//! on the screen. The autosave timer is off (`BRIEFPACK_TEST_NO_AUTOSAVE`), so
//! no draft exists until the ending writes it: each test proves its path, however
//! slow the machine. Needs `tmux` (CI installs it with apt-get).

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
    tmux.start_with(
        dir,
        (100, 30),
        "BRIEFPACK_TEST_NO_AUTOSAVE=1",
        &format!("--data '{}' {args}", data.display()),
    );
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
    tmux.keys(&["k", "k", "k", "Enter", "Informal summit in Astana", "Enter"]);
    wait_line(tmux, &["Meeting title", "Informal summit in Astana"]);
    // Enter was taken: the form left editing, so the keys line is the form's.
    let screen = wait_wrapped(tmux, "E $EDITOR");
    assert!(screen.contains("[modified]"), "{screen}");
    assert_eq!(drafts(dir), 0, "a draft was written before the session ended");
}

/// How many drafts the store holds.
fn drafts(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("state").join("briefpack")).map_or(0, |d| d.flatten().count())
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

#[test]
fn sigint_restores_the_terminal_and_keeps_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    let tmux = Tmux::new("int");
    start(&tmux, dir.path(), "");
    let pid = briefpack_pid(&tmux);
    make_changes(&tmux, dir.path());
    kill(pid, "-INT");
    let after = wait_wrapped(&tmux, "EXITED=130");
    assert!(!after.contains("Picked:"), "{after}");
    assert!(
        after
            .replace('\n', "")
            .contains("unsaved changes kept as a draft"),
        "{after}"
    );
    let draft = the_draft(dir.path());
    assert_same_pack(&draft_pack(&draft), "the draft");

    restore_and_save(&tmux, dir.path(), "", "new pack (never saved)");
    let saved = std::fs::read_to_string(dir.path().join("brief.toml")).unwrap();
    assert_same_pack(&saved, "the saved pack");
}

/// The process state letter from /proc: `T` when stopped.
fn state(pid: u32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after = stat.rsplit_once(')').unwrap().1;
    after.trim_start().chars().next().unwrap()
}

#[test]
fn ctrl_z_gives_the_terminal_back_keeps_the_draft_and_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let tmux = Tmux::new("tstp");
    // Ctrl-Z needs a shell with job control, as the user has: an interactive one.
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lib");
    let out = tmux.run(&[
        "new-session",
        "-d",
        "-s",
        SESSION,
        "-x",
        "100",
        "-y",
        "30",
        "-c",
        dir.path().to_str().unwrap(),
        "bash --norc --noprofile -i",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    tmux.keys(&[&format!(
        "PS1='$ ' XDG_STATE_HOME='{}' HOME='{}' NO_COLOR=1 BRIEFPACK_TEST_NO_AUTOSAVE=1 '{}' --data '{}' summit.toml",
        dir.path().join("state").display(),
        dir.path().display(),
        env!("CARGO_BIN_EXE_briefpack"),
        data.display()
    ), "Enter"]);
    let pid = briefpack_pid(&tmux);
    make_changes(&tmux, dir.path());
    tmux.keys(&["C-z"]);
    let start = Instant::now();
    while state(pid) != 'T' {
        assert!(start.elapsed() < DEADLINE, "Ctrl-Z did not stop briefpack");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Stopped: the shell's screen is back, and the work is on disk first.
    let stopped = wait_wrapped(&tmux, "Stopped");
    assert!(!stopped.contains("Picked:"), "{stopped}");
    let draft = the_draft(dir.path());
    assert_same_pack(&draft_pack(&draft), "the draft written on suspend");
    // `fg` continues it: the interface repaints, as it was, and takes keys.
    tmux.keys(&["fg", "Enter"]);
    wait_all(&tmux, &["Picked: 1 threat, 0 partners, 2 points", "[modified]"]);
    tmux.keys(&["C-s"]);
    wait_wrapped(&tmux, "Saved ");
    let saved = std::fs::read_to_string(dir.path().join("summit.toml")).unwrap();
    assert_same_pack(&saved, "the saved pack");
    assert!(!draft.exists(), "saving retires the draft");
    // Out of the header form, where q only closes the form.
    tmux.keys(&["Escape"]);
    wait_wrapped(&tmux, "q quit");
    tmux.keys(&["q"]);
    let start = Instant::now();
    while !exited(pid) {
        assert!(start.elapsed() < DEADLINE, "q did not quit:\n{}", tmux.screen());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_editor_file_is_private_and_gone_after_a_hang_up() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let runtime = dir.path().join("run");
    std::fs::create_dir(&runtime).unwrap();
    // An editor that says where its file is and how it may be read, then waits.
    let log = dir.path().join("editor.log");
    let editor = dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\n{{ echo \"$1\"; stat -c %a \"$1\" \"$(dirname \"$1\")\"; }} > '{0}.part'\nmv '{0}.part' '{0}'\nexec sleep 60\n",
            log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let tmux = Tmux::new("editor-hup");
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lib");
    tmux.start_with(
        dir.path(),
        (100, 30),
        &format!(
            "VISUAL= EDITOR='{}' XDG_RUNTIME_DIR='{}'",
            editor.display(),
            runtime.display()
        ),
        &format!("--data '{}' p.toml", data.display()),
    );
    wait_wrapped(&tmux, "Picked: 0 threats");
    let pid = briefpack_pid(&tmux);
    tmux.keys(&["e"]);
    wait_wrapped(&tmux, "E $EDITOR");
    tmux.keys(&["E"]);
    let start = Instant::now();
    while !log.exists() {
        assert!(start.elapsed() < DEADLINE, "the editor never ran");
        std::thread::sleep(Duration::from_millis(20));
    }
    let seen = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = seen.lines().collect();
    let file = PathBuf::from(lines[0]);
    assert_eq!(
        file.parent().unwrap().parent().unwrap(),
        runtime,
        "in a directory of its own under $XDG_RUNTIME_DIR: {seen}"
    );
    assert_eq!(lines[1..], ["600", "700"], "file, then directory: {seen}");
    // The link drops: the terminal goes, with briefpack and its editor in it.
    let _ = tmux.run(&["kill-server"]);
    let start = Instant::now();
    while Path::new(&format!("/proc/{pid}")).exists() {
        assert!(start.elapsed() < DEADLINE, "briefpack never ended");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!file.exists(), "{} stayed behind", file.display());
    assert!(!file.parent().unwrap().exists(), "its directory stayed behind");
}
