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

#[test]
fn a_message_cut_short_says_m_reads_it_all_and_the_log_holds_every_message() {
    let mut app = app();
    keys(&mut app, "3 o");
    let count = app.message.clone().unwrap();
    assert!(count.text.contains("1 of 6 points shown"), "{count:?}");
    // A message longer than 80 columns: the quit warning.
    keys(&mut app, "q");
    let warning = app.message.clone().unwrap().text;
    assert!(warning.chars().count() > 80, "{warning}");
    let screen = text(&draw(&mut app, 80, 24, COLOR));
    let line = screen.lines().nth(21).unwrap();
    assert!(line.trim_end().ends_with("… M reads all"), "{line}");
    assert!(line.starts_with("Unsaved changes"), "{line}");
    // At 160 columns it fits whole, with no pointer.
    let wide = text(&draw(&mut app, 160, 30, COLOR));
    assert!(wide.contains(&warning) && !wide.contains("M reads all"), "{wide}");
    // M shows every message of the session, in full, the newest last.
    keys(&mut app, "M");
    assert!(matches!(app.layer, Layer::Log { .. }));
    let screen = text(&draw(&mut app, 80, 24, COLOR));
    assert!(screen.contains("Messages"), "{screen}");
    let flat: String = screen
        .lines()
        .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ");
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = words(&flat);
    assert!(flat.contains(&words(&warning)), "{flat}");
    assert!(flat.contains(&words(&count.text)), "{flat}");
    assert!(flat.find(&words(&count.text)) < flat.find(&words(&warning)));
    assert!(screen.lines().nth(23).unwrap().contains("Esc close"), "{screen}");
    // Closing it quits nothing and keeps the pick.
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.layer, Layer::None));
    assert_eq!(app.pack.selection.points.len(), 1);
}

/// The text of the rows under the list at 80x24 (the two above the message line).
fn title_rows(app: &mut App) -> String {
    let screen = text(&draw(app, 80, 24, COLOR));
    let rows: Vec<&str> = screen.lines().collect();
    format!("{}\n{}", rows[19], rows[20])
}

#[test]
fn a_title_the_list_cuts_is_shown_whole_below_it_once_the_cursor_rests() {
    let long = "The Organization's collective rapid reaction forces were exercised three times this year, each time with more member states taking part.";
    let more = format!(
        "[[points]]\nid = \"long-one\"\ntext = \"{long}\"\nkind = \"background\"\nthreats = []\npartners = []\nsource = \"sg-report\"\nexcerpt = \"the transaction is scheduled\"\nstatus = \"approved\"\ntags = []\n"
    );
    let mut app = App::new(
        Arc::new(crate::library::fixture_library_with_points(&more)),
        Arc::new(Template::default_template().unwrap()),
        Pack::new(),
        None,
    );
    keys(&mut app, "3G");
    assert_eq!(app.current_id().unwrap(), "long-one");
    // Moving: the rows only, nothing below yet.
    assert_eq!(title_rows(&mut app).trim(), "");
    app.settle();
    let shown = title_rows(&mut app);
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(words(&shown), long, "{shown}");
    // Another key that leaves the item where it is keeps the title.
    keys(&mut app, "x");
    assert_eq!(words(&title_rows(&mut app)), long);
    // A move takes it down at once: it never names the wrong item.
    keys(&mut app, "k");
    assert_ne!(app.current_id().unwrap(), "long-one");
    assert!(!title_rows(&mut app).contains("rapid reaction"));
    // A title the row holds whole has nothing below it.
    keys(&mut app, "1g");
    app.settle();
    assert_eq!(title_rows(&mut app).trim(), "");
    // Where the list is wide, its rows hold more and there are no such rows.
    keys(&mut app, "3G");
    app.settle();
    let wide = text(&draw(&mut app, 220, 30, COLOR));
    assert_eq!(wide.matches("rapid reaction").count(), 1, "{wide}");
}

#[test]
fn a_narrow_list_writes_the_kind_in_short_and_help_spells_the_codes_out() {
    let mut app = app();
    keys(&mut app, "3");
    let narrow = text(&draw(&mut app, 80, 24, COLOR));
    let row = narrow.lines().find(|l| l.contains("The member states")).unwrap();
    assert!(row.contains(" key│"), "{row}");
    assert!(!narrow.contains("key message"), "{narrow}");
    let wide = text(&draw(&mut app, 140, 30, COLOR));
    assert!(wide.contains("key message"), "{wide}");
    keys(&mut app, "?");
    let mut help = String::new();
    for _ in 0..4 {
        help.push_str(&text(&draw(&mut app, 120, 40, COLOR)));
        keys(&mut app, "jjjjjjjjjjjjjjjjjjjj");
    }
    assert!(
        help.contains("key message · def defensive line · bg background"),
        "{help}"
    );
}
