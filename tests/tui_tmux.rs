//! End to end: the real binary in a real pseudo-terminal (tmux), driven by keys
//! alone from launch to a PDF, at 80x24 without colour and resized on the way.
//! Needs `tmux` and `pdftotext` (CI installs tmux and poppler-utils with apt-get).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux is needed for this test (apt-get install tmux)")
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        let out = self.run(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        // Give the interface a moment, as a typist would.
        std::thread::sleep(Duration::from_millis(150));
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "e2e"]).stdout).into_owned()
    }

    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(what) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "never showed {what:?}:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// The PDF's text as a reader sees it. pdftotext (poppler-utils, which CI
/// installs with tmux) maps the embedded fonts' glyphs back to characters.
fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is needed for this test (apt-get install poppler-utils)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn keys_alone_take_a_new_pack_to_a_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lib");
    let bin = env!("CARGO_BIN_EXE_briefpack");
    let tmux = Tmux {
        socket: format!("briefpack-e2e-{}", std::process::id()),
    };
    // The shell stays after briefpack exits, so the test can see what it left.
    let cmd = format!(
        "NO_COLOR=1 XDG_STATE_HOME='{}' '{bin}' --data '{}' summit.toml; echo EXITED=$?; sleep 60",
        dir.path().join("state").display(),
        data.display()
    );
    let out = tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        "80",
        "-y",
        "24",
        "-c",
        &dir.path().display().to_string(),
        &cmd,
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let first = tmux.wait_for("Picked: 0 threats");
    assert!(
        first.contains("New pack; Ctrl-S saves it as summit.toml"),
        "{first}"
    );

    // Pick a threat, then find two points by typing.
    tmux.keys(&["Space"]);
    tmux.keys(&["3", "/", "chan"]);
    tmux.keys(&["Enter", "Space", "Escape"]);
    tmux.keys(&["/", "toolkit"]);
    tmux.keys(&["Enter", "Space", "Escape"]);
    let s = tmux.wait_for("Picked: 1 threat, 0 partners, 2 points");
    assert!(s.contains("[x]"), "{s}");

    // Resize mid-session: narrow drops the side pane, wide brings it back.
    tmux.run(&["resize-window", "-t", "e2e", "-x", "60", "-y", "20"]);
    let narrow = tmux.wait_for("Picked: 1 threat");
    assert!(!narrow.contains("Memo preview"), "{narrow}");
    tmux.run(&["resize-window", "-t", "e2e", "-x", "200", "-y", "50"]);
    tmux.wait_for("Memo preview");

    // The meeting title in the header form.
    tmux.keys(&["e", "Enter", "Informal summit in Astana", "Enter", "Escape"]);
    tmux.keys(&["Escape"]);

    // Save, then build; the interface reports the path and size.
    tmux.keys(&["C-s"]);
    tmux.wait_for("Saved summit.toml");
    tmux.keys(&["b"]);
    let done = tmux.wait_for("Built summit.pdf");
    assert!(done.contains("pages"), "{done}");

    tmux.keys(&["q"]);
    let after = tmux.wait_for("EXITED=0");
    // The terminal is back to normal: the shell's output, not the interface.
    assert!(!after.contains("Picked:"), "{after}");

    let pdf = dir.path().join("summit.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let text = pdf_text(&pdf);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Informal summit in Astana",
        "International terrorism",
        "Operation Channel",
        "anti-terrorist toolkit",
    ] {
        assert!(flat.contains(needle), "{needle:?} not in the PDF:\n{flat}");
    }
    let saved = std::fs::read_to_string(dir.path().join("summit.toml")).unwrap();
    assert!(
        saved.contains("channel-permanent") && saved.contains("terror-toolkit"),
        "{saved}"
    );
}

#[test]
fn briefpack_review_approves_a_draft_and_writes_only_its_lines() {
    let (dir, data) = common::copy_of_data();
    let points = data.join("points.toml");
    let shipped = std::fs::read_to_string(&points).unwrap();
    // A colleague has put the first point back to draft by hand, so it is due today.
    let first = shipped.find("[[points]]").unwrap();
    let status = first + shipped[first..].find("status = \"approved\"").unwrap();
    let id_line = shipped[first..].lines().nth(1).unwrap();
    let id = id_line
        .trim_start_matches("id = \"")
        .trim_end_matches('"')
        .to_owned();
    let drafted = format!(
        "{}status = \"draft\"{}",
        &shipped[..status],
        &shipped[status + "status = \"approved\"".len()..]
    );
    std::fs::write(&points, &drafted).unwrap();

    let bin = env!("CARGO_BIN_EXE_briefpack");
    let tmux = Tmux {
        socket: format!("briefpack-review-{}", std::process::id()),
    };
    let cmd = format!(
        "NO_COLOR=1 XDG_STATE_HOME='{}' '{bin}' review --data '{}' --reviewer e2e-reviewer; echo EXITED=$?; sleep 60",
        dir.path().join("state").display(),
        data.display()
    );
    let out = tmux.run(&["new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", &cmd]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let first_screen = tmux.wait_for("Queue");
    assert!(first_screen.contains(&id[..20.min(id.len())]), "{first_screen}");
    assert!(first_screen.contains("a approve"), "{first_screen}");

    tmux.keys(&["a"]);
    let done = tmux.wait_for("it left the queue");
    assert!(done.contains(&format!("Approved `{id}`")), "{done}");

    // Back to the lists, then quit: the terminal is the shell's again.
    tmux.keys(&["q"]);
    tmux.wait_for("Picked: 0 threats");
    tmux.keys(&["q"]);
    let after = tmux.wait_for("EXITED=0");
    assert!(!after.contains("Picked:"), "{after}");

    // Only the point's status and review stamp changed, every other byte as shipped.
    let today = chrono::Local::now().date_naive().format("%Y-%m-%d").to_string();
    let block_end = first + shipped[first..].find("\n\n").unwrap();
    let block: String = shipped[first..block_end]
        .lines()
        .map(|l| {
            if l.starts_with("reviewed = ") {
                format!("reviewed = {today}")
            } else if l.starts_with("reviewer = ") {
                "reviewer = \"e2e-reviewer\"".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let expected = format!("{}{block}{}", &shipped[..first], &shipped[block_end..]);
    assert_eq!(std::fs::read_to_string(&points).unwrap(), expected);
}
