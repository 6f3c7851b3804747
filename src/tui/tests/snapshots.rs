//! Every main-screen view and dialog at 80x24 and 120x40, as text (insta
//! snapshots in `src/tui/tests/snapshots/`): a change to what users see shows up
//! in review as a diff of the screen.

use super::*;
use crate::draft::{DraftKey, Store};
use crate::tui::autosave;

/// The screen at both sizes, with `hide` (a temporary path) written as `[DIR]`
/// and the clock time of a draft as `[WHEN]`.
fn snap(app: &mut App, name: &str, hide: Option<&str>) {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut screen = text(&draw(app, w, h, NO_COLOR));
        if let Some(dir) = hide {
            screen = screen.replace(dir, "[DIR]");
        }
        if let Some(at) = screen.find("saved 20") {
            let start = at + "saved ".len();
            screen.replace_range(start..start + "2026-12-03 01:48".len(), "[WHEN]          ");
        }
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

#[test]
fn every_main_screen_and_dialog() {
    let mut app = app();
    keys(&mut app, "1 3 j ");
    snap(&mut app, "browse", None);
    press(&mut app, KeyCode::Enter);
    snap(&mut app, "detail", None);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "v");
    snap(&mut app, "preview", None);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "o");
    snap(&mut app, "picked_only", None);
    keys(&mut app, "o/terror");
    snap(&mut app, "find", None);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "/mbr tlkt");
    press(&mut app, KeyCode::Enter);
    snap(&mut app, "find_no_exact", None);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "?");
    snap(&mut app, "help", None);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "e");
    snap(&mut app, "form", None);
    let at = Field::ALL.iter().position(|f| *f == Field::MemoDate).unwrap();
    for _ in 0..at {
        keys(&mut app, "j");
    }
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "2011-02-3");
    snap(&mut app, "form_editing", None);
    press(&mut app, KeyCode::Esc);
    ctrl(&mut app, 's');
    snap(&mut app, "save_prompt", None);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "r");
    snap(&mut app, "review_embedded", None);
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
    snap(&mut app, "restore", Some(&shown.display().to_string()));
}
