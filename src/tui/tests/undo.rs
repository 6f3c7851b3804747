//! `u` and Ctrl-R on the main screen, and Esc that never quits.

use super::*;

#[test]
fn u_undoes_picks_reorders_and_header_edits_and_ctrl_r_redoes_them() {
    let mut app = app();
    keys(&mut app, "3 j j ");
    assert_eq!(
        app.pack.selection.points,
        ["channel-permanent", "terror-toolkit", "un-observer"]
    );
    keys(&mut app, "1 j K");
    let threats = app.pack.selection.threats.clone();
    assert_eq!(threats.len(), 2);
    // A header edit, then back through all of it.
    keys(&mut app, "e");
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "Summit");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.pack.meeting.title, "Summit");
    keys(&mut app, "u");
    assert_eq!(app.pack.meeting.title, "");
    let m = app.message.clone().unwrap();
    assert!(m.text.starts_with("Undid: the edit of"), "{m:?}");
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "u");
    assert_eq!(
        app.pack.selection.threats,
        [threats[1].clone(), threats[0].clone()]
    );
    keys(&mut app, "uu");
    assert!(app.pack.selection.threats.is_empty());
    keys(&mut app, "3u");
    assert_eq!(app.pack.selection.points, ["channel-permanent", "terror-toolkit"]);
    // The message names what was undone.
    assert!(app.message.as_ref().unwrap().text.starts_with("Undid: picking “"));
    // The list and the status bar show it at once.
    let screen = text(&draw(&mut app, 100, 30, COLOR));
    assert!(screen.contains("2 points"), "{screen}");
    ctrl(&mut app, 'r');
    assert_eq!(app.pack.selection.points.len(), 3);
    keys(&mut app, "uuu");
    assert!(app.pack.selection.points.is_empty());
    // Back where the pack was opened, nothing is unsaved.
    assert!(!app.dirty);
    keys(&mut app, "u");
    // Said truthfully: there were changes, all undone, and redo is there.
    let m = app.message.as_ref().unwrap().text.clone();
    assert!(
        m.starts_with("Nothing to undo") && m.contains("Ctrl-R") && !m.contains("since the pack was opened"),
        "{m}"
    );
    // A new change forgets what was undone.
    keys(&mut app, " ");
    ctrl(&mut app, 'r');
    assert_eq!(app.pack.selection.points.len(), 1);
    assert_eq!(app.message.as_ref().unwrap().text, "Nothing to redo.");
}

#[test]
fn undo_reaches_the_draft_like_any_change() {
    let mut app = app();
    keys(&mut app, "3 ");
    let g = app.generation();
    keys(&mut app, "u");
    assert!(app.generation() > g, "the autosave sees the undo");
}

#[test]
fn esc_never_quits_the_main_screen() {
    let mut app = app();
    for _ in 0..3 {
        assert!(!press(&mut app, KeyCode::Esc));
    }
    assert!(app.message.as_ref().unwrap().text.contains("q quits"));
    // From every screen Esc goes back, then stays.
    for k in ["e", "v", "\n"] {
        keys(&mut app, if k == "\n" { "3" } else { k });
        if k == "\n" {
            press(&mut app, KeyCode::Enter);
        }
        assert_ne!(app.screen, Screen::Browse);
        assert!(!press(&mut app, KeyCode::Esc));
        assert_eq!(app.screen, Screen::Browse);
        assert!(!press(&mut app, KeyCode::Esc));
    }
    assert!(press(&mut app, KeyCode::Char('q')));
}
