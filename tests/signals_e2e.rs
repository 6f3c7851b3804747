//! The rule "nothing typed or selected is ever lost", end to end: the real binary
//! in a real pseudo-terminal (tmux), its session ended by SIGHUP, by the terminal
//! being killed, and by SIGTERM; then started again, the draft restored and saved,
//! and the saved pack compared with what was on the screen. Needs `tmux` (CI
//! installs it with apt-get).

use briefpack::pack::Pack;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Long enough for a loaded CI machine; every wait polls for its condition.
const DEADLINE: Duration = Duration::from_secs(30);

struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(test: &str) -> Tmux {
        Tmux {
            socket: format!("briefpack-sig-{}-{test}", std::process::id()),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux is needed for this test (apt-get install tmux)")
    }

    /// Starts `briefpack ARGS` in a new 100x30 session whose shell stays after it
    /// exits and prints its exit status.
    fn start(&self, session: &str, dir: &Path, args: &str) {
        let bin = env!("CARGO_BIN_EXE_briefpack");
        let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lib");
        let state = dir.join("state");
        let cmd = format!(
            "XDG_STATE_HOME='{}' HOME='{}' NO_COLOR=1 '{bin}' --data '{}' {args}; echo EXITED=$?; sleep 60",
            state.display(),
            dir.display(),
            data.display()
        );
        let out = self.run(&[
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "100",
            "-y",
            "30",
            "-c",
            &dir.display().to_string(),
            &cmd,
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    /// Keys are delivered in order through the terminal, so no pause is needed
    /// between them; callers wait for what the screen shows instead.
    fn keys(&self, session: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", session];
        args.extend_from_slice(keys);
        let out = self.run(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    fn screen(&self, session: &str) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", session]).stdout).into_owned()
    }

    fn wait_for(&self, session: &str, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(session);
            // Output after an ending that leaves the screen as it was (a hang-up)
            // may wrap at the right edge.
            if s.contains(what) || s.replace('\n', "").contains(what) {
                return s;
            }
            assert!(start.elapsed() < DEADLINE, "never showed {what:?}:\n{s}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_all(&self, session: &str, all: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(session);
            if all.iter().all(|w| s.contains(w)) {
                return s;
            }
            assert!(start.elapsed() < DEADLINE, "never showed all of {all:?}:\n{s}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for one line of the screen to hold all of `parts`.
    fn wait_line(&self, session: &str, parts: &[&str]) {
        let start = Instant::now();
        loop {
            let s = self.screen(session);
            if s.lines().any(|l| parts.iter().all(|p| l.contains(p))) {
                return;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "no line showed all of {parts:?}:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The pid of briefpack: the child of the pane's shell.
    fn briefpack_pid(&self, session: &str) -> u32 {
        let out = self.run(&["list-panes", "-t", session, "-F", "#{pane_pid}"]);
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
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
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
fn make_changes(tmux: &Tmux, s: &str, dir: &Path) {
    tmux.wait_for(s, "Picked: 0 threats");
    // A threat; two points found by typing, the second moved before the first;
    // the meeting's title and place in the header form.
    tmux.keys(s, &["Space", "3", "/", "chan", "Enter", "Space", "Escape"]);
    tmux.wait_all(s, &["Picked: 1 threat, 0 partners, 1 point", "Filters cleared."]);
    tmux.keys(s, &["/", "toolkit", "Enter", "Space", "K"]);
    tmux.wait_all(
        s,
        &["Picked: 1 threat, 0 partners, 2 points", "Now 1 of 2 points"],
    );
    tmux.keys(s, &["Escape"]);
    tmux.wait_for(s, "Filters cleared.");
    tmux.keys(s, &["e", "j", "j", "j", "Enter", "Astana", "Enter"]);
    tmux.wait_line(s, &["Place", "Astana"]);
    // Once the autosave has written all that, nothing is pending: the title,
    // changed last, is in no draft until the session's ending writes it (the
    // caller ends it at once, well inside the autosave's half second).
    wait_for_draft(dir, "place = \"Astana\"");
    tmux.keys(s, &["k", "k", "k", "Enter", "Informal summit in Astana", "Enter"]);
    tmux.wait_line(s, &["Meeting title", "Informal summit in Astana"]);
    // Enter was taken: the form left editing, so the keys line is the form's.
    let screen = tmux.wait_for(s, "E $EDITOR");
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

/// Starts briefpack again, accepts the restore offer, saves, quits.
fn restore_and_save(tmux: &Tmux, dir: &Path, args: &str, offer_shows: &str) {
    tmux.start("again", dir, args);
    let offer = tmux.wait_for("again", "Restore unsaved work?");
    for needle in [
        offer_shows,
        "saved ",
        "1 threat, 2 points; “Informal summit in Astana”",
    ] {
        assert!(offer.contains(needle), "{needle:?} missing:\n{offer}");
    }
    tmux.keys("again", &["r"]);
    let s = tmux.wait_for("again", "Restored the draft");
    assert!(
        s.contains("Picked: 1 threat, 0 partners, 2 points") && s.contains("[modified]"),
        "{s}"
    );
    tmux.keys("again", &["C-s"]);
    if args.is_empty() {
        // A new pack: the prompt offers brief.toml in the working directory.
        tmux.wait_for("again", "Save pack as:");
        tmux.keys("again", &["Enter"]);
    }
    tmux.wait_for("again", "Saved ");
    tmux.keys("again", &["q"]);
    tmux.wait_for("again", "EXITED=0");
}

#[test]
fn sighup_keeps_a_never_saved_pack_and_it_comes_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let tmux = Tmux::new("hup");
    tmux.start("e2e", dir.path(), "");
    let pid = tmux.briefpack_pid("e2e");
    make_changes(&tmux, "e2e", dir.path());
    kill(pid, "-HUP");
    wait_exited(pid);
    tmux.wait_for("e2e", "EXITED=129");
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
    tmux.start("e2e", dir.path(), "summit.toml");
    let pid = tmux.briefpack_pid("e2e");
    make_changes(&tmux, "e2e", dir.path());
    let out = tmux.run(&["kill-session", "-t", "e2e"]);
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
    tmux.start("e2e", dir.path(), "summit.toml");
    let pid = tmux.briefpack_pid("e2e");
    make_changes(&tmux, "e2e", dir.path());
    kill(pid, "-TERM");
    let after = tmux.wait_for("e2e", "EXITED=143");
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
