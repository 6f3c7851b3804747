//! Issue 13 through the real binary in tmux: two interfaces on one pack (each
//! keeps its own draft; a save never silently undoes the other's), and a quit
//! when no draft can be written, a field half typed when the link drops, a
//! save that keeps the pack's comments.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use common::tmux::Tmux;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn typed(tmux: &Tmux, keys: &[&str]) {
    tmux.keys(keys);
    std::thread::sleep(Duration::from_millis(150));
}

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lib")
}

const PACK: &str = "# Two people on one brief.\n[meeting]\ntitle = \"Summit\"\n";

/// The path in "unsaved changes kept as a draft (PATH);" on the screen.
fn draft_named(screen: &str) -> PathBuf {
    let flat: String = screen.lines().map(str::trim_end).collect();
    let start = flat.find("kept as a draft (").expect("the quit message") + "kept as a draft (".len();
    let end = start + flat[start..].find(')').unwrap();
    PathBuf::from(&flat[start..end])
}

/// Two interfaces, A and B, open on one pack `two.toml` in a new directory.
fn two_sessions(name: &str) -> (tempfile::TempDir, String, Tmux, Tmux) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("two.toml"), PACK).unwrap();
    let args = format!("--data '{}' two.toml", fixture().display());
    let (a, b) = (Tmux::new(&format!("{name}-a")), Tmux::new(&format!("{name}-b")));
    for t in [&a, &b] {
        t.start(dir.path(), (200, 40), &args);
        t.wait_for("Picked: 0 threats");
    }
    (dir, args, a, b)
}

fn saved(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("two.toml")).unwrap()
}

#[test]
fn two_interfaces_on_one_pack_keep_their_own_drafts_and_merge_on_save() {
    let (dir, args, a, b) = two_sessions("two");

    // B picks a threat and its draft is written; A picks a partner and saves.
    typed(&b, &["Space"]);
    b.wait_for("Picked: 1 threat, 0 partners");
    std::thread::sleep(Duration::from_millis(1200));
    typed(&a, &["2", "Space"]);
    a.wait_for("Picked: 0 threats, 1 partner");
    typed(&a, &["C-s"]);
    a.wait_for("Saved two.toml");

    // B quits: its draft is where it says, and the next start offers it.
    typed(&b, &["q", "q"]);
    let after = b.wait_for("EXITED=0");
    let draft = draft_named(&after);
    assert!(draft.exists(), "{} is gone:\n{after}", draft.display());
    drop(b);

    let c = Tmux::new("two-c");
    c.start(dir.path(), (200, 40), &args);
    let offer = c.wait_for("Restore unsaved work?");
    assert!(offer.contains("1 threat; “Summit”"), "{offer}");
    assert!(offer.contains("(ended)"), "{offer}");
    // Restoring it over A's save shows both sides before anything is written.
    typed(&c, &["r"]);
    let clash = c.wait_for("The pack changed on disk");
    assert!(clash.contains("partners picked: un"), "{clash}");
    assert!(clash.contains("threats picked: terrorism"), "{clash}");
    typed(&c, &["r"]);
    c.wait_for("Merged the draft");
    typed(&c, &["C-s"]);
    c.wait_for("Saved two.toml");
    let now = saved(dir.path());
    assert!(now.starts_with("# Two people on one brief."), "{now}");
    assert!(now.contains("\"terrorism\"") && now.contains("\"un\""), "{now}");
}

#[test]
fn a_save_after_someone_elses_save_asks_and_keeps_both_and_the_comments() {
    let (dir, _, a, b) = two_sessions("save");
    typed(&a, &["2", "Space", "C-s"]);
    a.wait_for("Saved two.toml");
    typed(&b, &["Space", "C-s"]);
    let clash = b.wait_for("The pack changed on disk");
    assert!(clash.contains("partners picked: un"), "{clash}");
    assert_eq!(saved(dir.path()).matches("\"un\"").count(), 1, "A's save stands");
    typed(&b, &["r"]);
    b.wait_for("Saved two.toml");
    let last = saved(dir.path());
    assert!(last.starts_with("# Two people on one brief."), "{last}");
    assert!(
        last.contains("\"terrorism\"") && last.contains("\"un\""),
        "{last}"
    );
}

/// The README's promise: a dropped link loses nothing, not even a field half typed.
#[test]
fn a_field_half_typed_when_the_link_drops_reopens_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let args = format!("--data '{}' brief.toml", fixture().display());
    let tmux = Tmux::new("halftyped");
    tmux.start(dir.path(), (120, 30), &args);
    tmux.wait_for("Picked: 0 threats");
    typed(&tmux, &["e", "Enter", "Informal summ"]);
    tmux.wait_for("Informal summ");
    // The terminal goes away: SIGHUP, as when the SSH link drops.
    let _ = tmux.run(&["kill-server"]);
    drop(tmux);
    let again = Tmux::new("halftyped2");
    again.start(dir.path(), (120, 30), &args);
    let offer = again.wait_for("Restore unsaved work?");
    assert!(offer.contains("typing in Meeting title"), "{offer}");
    typed(&again, &["r"]);
    again.wait_for("Informal summ");
    typed(&again, &["it", "Enter"]);
    let form = again.wait_for("Informal summit");
    assert!(form.contains("Meeting title"), "{form}");
}

#[test]
fn when_no_draft_can_be_written_q_q_offers_to_quit_losing_the_changes() {
    let dir = tempfile::tempdir().unwrap();
    // The state directory is a file: no draft can be written.
    std::fs::write(dir.path().join("state"), "not a directory").unwrap();
    let tmux = Tmux::new("nodraft");
    tmux.start(dir.path(), (80, 24), &format!("--data '{}'", fixture().display()));
    tmux.wait_for("Picked: 0 threats");
    typed(&tmux, &["Space"]);
    tmux.wait_for("Cannot save the draft");
    typed(&tmux, &["q", "q"]);
    let offer = tmux.wait_for("y quit and LOSE the changes");
    assert!(
        offer.contains("Cannot keep a draft: y quits and LOSES"),
        "{offer}"
    );
    // Any other key stays.
    typed(&tmux, &["x"]);
    tmux.wait_for("Still here");
    typed(&tmux, &["C-c", "C-c"]);
    tmux.wait_for("y quit and LOSE the changes");
    typed(&tmux, &["y"]);
    let after = tmux.wait_for("EXITED=0");
    assert!(after.contains("quit without saving"), "{after}");
}

/// Issue 13, item 5: pick, unpick, Ctrl-S on the example kept none of its comments.
#[test]
fn saving_keeps_the_packs_comments_and_layout() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sochi-2011-informal-summit.toml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("ex.toml"), &example).unwrap();
    let tmux = Tmux::new("comments");
    tmux.start(dir.path(), (100, 30), "ex.toml");
    tmux.wait_for("Picked: 7 threats");
    typed(&tmux, &["Space", "Space", "C-s"]);
    tmux.wait_for("Saved ex.toml");
    let saved = std::fs::read_to_string(dir.path().join("ex.toml")).unwrap();
    assert_eq!(saved, example, "nothing changed, so nothing moved");
    typed(&tmux, &["3", "Space", "C-s"]);
    tmux.wait_for("Saved ex.toml");
    let saved = std::fs::read_to_string(dir.path().join("ex.toml")).unwrap();
    let comments = |t: &str| t.lines().filter(|l| l.starts_with('#')).count();
    assert_eq!(comments(&saved), comments(&example), "{saved}");
    assert_ne!(saved, example);
}
