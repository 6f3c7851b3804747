//! 80x24 shows what matters: the modified mark, and labels with their space.

use super::*;

#[test]
fn the_modified_mark_shows_at_80_columns_even_with_a_long_file_name_and_many_picks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("a-very-long-name-for-the-sochi-informal-summit-brief.toml");
    let mut app = App::new(
        Arc::new(library()),
        Arc::new(Template::default_template().unwrap()),
        Pack::new(),
        Some(path),
    );
    keys(&mut app, "1 j 2 j 3 j j ");
    assert!(app.dirty);
    let screen = text(&draw(&mut app, 80, 24, COLOR));
    let status = screen.lines().nth(22).unwrap();
    assert!(status.contains("[modified]"), "{status}");
    assert!(status.contains("…"), "the name shrinks from the left: {status}");
    assert!(status.contains("brief.toml"), "its end stays: {status}");
    // With room, the review hint and the whole name come back.
    let screen = text(&draw(&mut app, 160, 30, COLOR));
    let status = screen.lines().nth(28).unwrap();
    assert!(status.contains("r review │ a-very-long-name"), "{status}");
}

#[test]
fn a_label_wider_than_the_narrow_preview_column_keeps_its_space() {
    let mut app = app();
    for width in [30, 36, 60] {
        let lines = app.preview_lines(width).to_vec();
        assert!(
            lines.iter().any(|l| l.starts_with("Meeting date: ")),
            "{width}: {lines:#?}"
        );
        assert!(!lines.iter().any(|l| l.contains(":not given")), "{width}");
    }
}

#[test]
fn a_note_clears_when_the_screen_or_the_pack_changes_under_it() {
    let mut app = app();
    keys(&mut app, "3o");
    assert!(app.message.as_ref().unwrap().text.contains("points shown"));
    // A cursor move leaves it true.
    keys(&mut app, "j");
    assert!(app.message.is_some());
    keys(&mut app, "o ");
    assert_eq!(app.message, None, "a pick changes what was counted");
    press(&mut app, KeyCode::Esc);
    assert!(app.message.is_some());
    keys(&mut app, "e");
    assert_eq!(app.message, None, "another screen");
    // An error stays until replaced.
    keys(&mut app, "j");
    app.error("something failed");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.message.as_ref().unwrap().text, "something failed");
}
