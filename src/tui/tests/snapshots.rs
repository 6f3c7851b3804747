//! Every main-screen view and dialog at 80x24 and 120x40, as text (insta
//! snapshots in `src/tui/snapshots/screens/`, taken by `testkit::snap`): a change to what users see shows up
//! in review as a diff of the screen.

use super::*;
use crate::draft::{DraftKey, Store};
use crate::tui::autosave;
use crate::tui::testkit::snap;

#[test]
fn every_main_screen_and_dialog() {
    let mut app = app();
    keys(&mut app, "1 3 j ");
    snap(&mut app, "browse", &[]);
    press(&mut app, KeyCode::Enter);
    snap(&mut app, "detail", &[]);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "v");
    snap(&mut app, "preview", &[]);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "o");
    snap(&mut app, "picked_only", &[]);
    keys(&mut app, "o/terror");
    snap(&mut app, "find", &[]);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "/mbr tlkt");
    press(&mut app, KeyCode::Enter);
    snap(&mut app, "find_no_exact", &[]);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "tt");
    snap(&mut app, "pick_tag", &[]);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "Fterror");
    snap(&mut app, "find_all", &[]);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "?");
    snap(&mut app, "help", &[]);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "e");
    snap(&mut app, "form", &[]);
    let at = Field::ALL.iter().position(|f| *f == Field::MemoDate).unwrap();
    for _ in 0..at {
        keys(&mut app, "j");
    }
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "2011-02-3");
    snap(&mut app, "form_editing", &[]);
    press(&mut app, KeyCode::Esc);
    ctrl(&mut app, 's');
    snap(&mut app, "save_prompt", &[]);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "?");
    snap(&mut app, "help_form", &[]);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "b");
    snap(&mut app, "build_prompt", &[]);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "r");
    snap(&mut app, "library_folder", &[]);
    press(&mut app, KeyCode::Esc);
    app.open_review();
    snap(&mut app, "review_embedded", &[]);
}

/// The dialog of a pack changed on disk under the session, and the offer to
/// quit losing the changes when no draft can be written.
#[test]
fn the_clash_and_abandon_dialogs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summit.toml");
    let mine = "[meeting]\ntitle = \"Summit\"\n";
    std::fs::write(&path, mine).unwrap();
    let mut app = app();
    app.pack = pack::parse(mine, "pack", &library()).unwrap().pack;
    app.path = Some(path.clone());
    app.disk = Some(mine.to_owned());
    keys(&mut app, " ");
    let mut theirs = app.pack.clone();
    theirs.meeting.title = "Informal summit".into();
    theirs.selection.threats.clear();
    theirs.selection.partners.push("un".into());
    theirs.save_over(&path, Some(mine)).unwrap();
    ctrl(&mut app, 's');
    let shown = dir.path().display().to_string();
    snap(&mut app, "clash", &[(&shown, "[DIR]")]);
    press(&mut app, KeyCode::Esc);
    app.cannot_keep_draft("cannot create the drafts directory: Permission denied (os error 13)");
    snap(&mut app, "abandon", &[]);
}

#[test]
fn the_restore_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path().join("state"));
    let path = dir.path().join("summit.toml");
    let key = DraftKey::for_path(&path);
    let mut pack = Pack::new();
    pack.meeting.title = "Informal summit in Astana".into();
    pack.selection.points = vec!["channel-permanent".into()];
    let earlier = chrono::Utc::now() - chrono::TimeDelta::minutes(5);
    store.save_at(&key, &pack, earlier).unwrap();
    let (mut offered, _) = autosave::offer(&store, &key);
    // Who wrote it comes from the environment and the process id: fixed here so
    // the dialog lays out the same on every machine.
    for d in &mut offered {
        d.user = "alice".into();
        d.pid = None;
    }
    let mut app = app();
    app.path = Some(path);
    app.offer_drafts(offered);
    let shown = dir.path().canonicalize().unwrap();
    snap(&mut app, "restore", &[(&shown.display().to_string(), "[DIR]")]);
}
