//! End to end: the real binary in a real pseudo-terminal (tmux), driven by keys
//! alone from launch to a PDF, at 80x24 without colour and resized on the way.
//! Needs `tmux` and `pdftotext` (CI installs tmux and poppler-utils with apt-get).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use common::tmux::{Tmux, SESSION};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Sends keys, then gives the interface a moment, as a typist would: an Escape
/// followed at once by a key reads as Alt and that key.
fn typed(tmux: &Tmux, keys: &[&str]) {
    tmux.keys(keys);
    std::thread::sleep(Duration::from_millis(150));
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
    let tmux = Tmux::new("e2e");
    // The shell stays after briefpack exits, so the test can see what it left.
    tmux.start(
        dir.path(),
        (80, 24),
        &format!("--data '{}' summit.toml", data.display()),
    );
    let first = tmux.wait_for("Picked: 0 threats");
    assert!(
        first.contains("New pack; Ctrl-S saves it as summit.toml"),
        "{first}"
    );

    // Pick a threat, then find two points by typing.
    typed(&tmux, &["Space"]);
    typed(&tmux, &["3", "/", "chan"]);
    typed(&tmux, &["Enter", "Space", "Escape"]);
    typed(&tmux, &["/", "toolkit"]);
    typed(&tmux, &["Enter", "Space", "Escape"]);
    let s = tmux.wait_for("Picked: 1 threat, 0 partners, 2 points");
    assert!(s.contains("[x]"), "{s}");

    // Resize mid-session: narrow drops the side pane, wide brings it back.
    tmux.run(&["resize-window", "-t", SESSION, "-x", "60", "-y", "20"]);
    let narrow = tmux.wait_for("Picked: 1 threat");
    assert!(!narrow.contains("Memo preview"), "{narrow}");
    tmux.run(&["resize-window", "-t", SESSION, "-x", "200", "-y", "50"]);
    tmux.wait_for("Memo preview");

    // The meeting title in the header form.
    typed(
        &tmux,
        &["e", "Enter", "Informal summit in Astana", "Enter", "Escape"],
    );
    typed(&tmux, &["Escape"]);

    // Save, then build; the interface reports the path and size.
    typed(&tmux, &["C-s"]);
    tmux.wait_for("Saved summit.toml");
    typed(&tmux, &["b"]);
    let done = tmux.wait_for("Built summit.pdf");
    assert!(done.contains("pages"), "{done}");

    typed(&tmux, &["q"]);
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

    let tmux = Tmux::new("review");
    tmux.start(
        dir.path(),
        (80, 24),
        &format!("review --data '{}' --reviewer e2e-reviewer", data.display()),
    );
    let first_screen = tmux.wait_for("Queue");
    assert!(first_screen.contains(&id[..20.min(id.len())]), "{first_screen}");
    assert!(first_screen.contains("a approve"), "{first_screen}");

    typed(&tmux, &["a"]);
    let done = tmux.wait_for("it left the queue");
    assert!(done.contains(&format!("Approved `{id}`")), "{done}");

    // `briefpack review` has no lists behind it: q quits, and the terminal is
    // the shell's again.
    typed(&tmux, &["q"]);
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

#[test]
fn e_in_the_form_round_trips_a_field_through_the_real_editor() {
    let dir = tempfile::tempdir().unwrap();
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lib");
    // An editor that keeps what it was given and writes a new value with a comment.
    let editor = dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\ncp \"$1\" '{}'\nprintf 'Edited in the editor\\n# dropped\\n' > \"$1\"\n",
            dir.path().join("seen.txt").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &editor,
        <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o755),
    )
    .unwrap();
    let tmux = Tmux::new("editor");
    tmux.start_with(
        dir.path(),
        (80, 24),
        &format!("VISUAL= EDITOR='{}'", editor.display()),
        &format!("--data '{}' summit.toml", data.display()),
    );
    tmux.wait_for("Picked: 0 threats");
    // The meeting title, typed here first, then handed to the editor.
    typed(&tmux, &["e"]);
    tmux.wait_for("E $EDITOR");
    typed(&tmux, &["Enter", "Typed title", "Enter"]);
    tmux.wait_until("the typed title", |s| {
        s.lines()
            .any(|l| l.contains("Meeting title") && l.contains("Typed title"))
    });
    typed(&tmux, &["E"]);
    tmux.wait_until("the edited title", |s| {
        s.lines()
            .any(|l| l.contains("Meeting title") && l.contains("Edited in the editor"))
    });
    let seen = std::fs::read_to_string(dir.path().join("seen.txt")).unwrap();
    assert!(seen.starts_with("Typed title\n# Meeting title"), "{seen}");
    typed(&tmux, &["C-s"]);
    tmux.wait_for("Saved summit.toml");
    let saved: toml::Table = std::fs::read_to_string(dir.path().join("summit.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(saved["meeting"]["title"].as_str(), Some("Edited in the editor"));
    typed(&tmux, &["Escape"]);
    typed(&tmux, &["q"]);
    tmux.wait_for("EXITED=0");
}

#[test]
fn a_pack_naming_ids_no_longer_in_the_library_opens_and_a_save_drops_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lib");
    let pack = dir.path().join("old.toml");
    std::fs::write(
        &pack,
        "[meeting]\ntitle = \"Old summit\"\n\n[selection]\nthreats = [\"terrorism\"]\npoints = [\"channel-permanent\", \"deleted-since\"]\n",
    )
    .unwrap();
    let tmux = Tmux::new("unknown-ids");
    tmux.start(
        dir.path(),
        (120, 24),
        &format!("--data '{}' old.toml", data.display()),
    );
    let s = tmux.wait_for("no longer in the library");
    assert!(s.contains("point `deleted-since`"), "{s}");
    assert!(s.contains("Picked: 1 threat, 0 partners, 1 point"), "{s}");
    typed(&tmux, &["C-s"]);
    tmux.wait_for("Saved");
    let saved = std::fs::read_to_string(&pack).unwrap();
    assert!(!saved.contains("deleted-since"), "{saved}");
    assert!(
        saved.contains("channel-permanent") && saved.contains("Old summit"),
        "{saved}"
    );
    typed(&tmux, &["q"]);
    tmux.wait_for("EXITED=0");
}

#[test]
fn review_with_sources_queues_a_point_whose_excerpt_is_not_in_its_source() {
    let (dir, data) = common::copy_of_data();
    let points = data.join("points.toml");
    let shipped = std::fs::read_to_string(&points).unwrap();
    let first = shipped.find("[[points]]").unwrap();
    let id_line = shipped[first..].lines().nth(1).unwrap();
    let id = id_line
        .trim_start_matches("id = \"")
        .trim_end_matches('"')
        .to_owned();
    let broken = shipped.replacen("excerpt = \"", "excerpt = \"words no source holds, ", 1);
    std::fs::write(&points, broken).unwrap();
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let tmux = Tmux::new("review-sources");
    tmux.start(
        dir.path(),
        (120, 30),
        &format!(
            "review --data '{}' --sources '{}'",
            data.display(),
            seeds.display()
        ),
    );
    let screen = tmux.wait_for("Queue");
    assert!(screen.contains(&id), "{screen}");
    assert!(screen.contains("not found verbatim"), "{screen}");
    // `briefpack review` has no lists behind it: q leaves at once.
    typed(&tmux, &["q"]);
    tmux.wait_for("EXITED=0");

    // Without --sources the excerpt is not read, and nothing is due.
    let tmux = Tmux::new("review-no-sources");
    tmux.start(
        dir.path(),
        (120, 30),
        &format!("review --data '{}'", data.display()),
    );
    let screen = tmux.wait_for("Queue");
    assert!(!screen.contains(&id), "{screen}");
}

#[test]
fn a_dumb_terminal_is_refused_in_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let tmux = Tmux::new("dumb");
    tmux.start_with(dir.path(), (120, 24), "TERM=dumb", "");
    let s = tmux.wait_for("EXITED=1");
    assert!(
        s.replace('\n', "").contains(
            "the interface needs a terminal that can move the cursor, and TERM=dumb says this one cannot"
        ),
        "{s}"
    );
    assert!(!s.contains("Picked:"), "nothing of the interface was drawn: {s}");
}
