//! The review screen driven key by key through `App::handle` on a temporary copy of
//! `data/`, drawn on a `TestBackend`: the exact text each action leaves in
//! points.toml, the sentence on screen, conflicts with a hand edit, the form.

use super::{Mode, Setup, NEEDS_DATA};
use crate::library::{DataSource, Kind, Library, Status};
use crate::pack::Pack;
use crate::review::Policy;
use crate::template::Template;
use crate::tui::app::{App, Effect, Event, Screen};
use crate::tui::list::Pane;
use crate::tui::testkit::{self, draw, text};
use crate::tui::theme::Theme;
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const THEME: Theme = Theme { no_color: false };
const REVIEWER: &str = "tester";

/// Long after the shipped library's reviews, so every point in it is due as stale.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2031, 6, 1).unwrap()
}

fn copy_of_data() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("data")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), data.join(entry.file_name())).unwrap();
    }
    (dir, data)
}

fn points_file(data: &Path) -> PathBuf {
    data.join(Kind::Point.file_name())
}

fn read(data: &Path) -> String {
    std::fs::read_to_string(points_file(data)).unwrap()
}

/// The interface on a library directory, as `briefpack --data DIR` opens it.
fn app_on(data: &Path) -> App {
    let source = DataSource::Dir(data.to_path_buf());
    let lib = Library::load(&source).unwrap().into_valid().unwrap();
    let mut app = App::new(
        Arc::new(lib),
        Arc::new(Template::default_template().unwrap()),
        Pack::new(),
        None,
    );
    app.review_setup = Some(Setup {
        source,
        today: today(),
        policy: Policy::default(),
        sources_dir: None,
        reviewer: Some(REVIEWER.to_owned()),
        saved_reviewer: None,
    });
    app
}

/// `app_on` with the review screen opened by its key on the main screen.
fn review_on(data: &Path) -> App {
    let mut app = app_on(data);
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(app.screen, Screen::Review);
    app
}

fn send(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    app.handle(Event::Key(key))
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    send(app, KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(app: &mut App, c: char) {
    send(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        send(app, KeyEvent::new(KeyCode::Char(c), mods));
    }
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    text(&draw(app, w, h, THEME))
}

/// The screen's text with pane borders, runs of spaces and line ends squeezed out,
/// for sentences that wrap or are padded.
fn flat(s: &str) -> String {
    s.replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn current_id(app: &App) -> String {
    app.review.as_ref().unwrap().current().unwrap().id.clone()
}

fn queue_ids(app: &App) -> Vec<String> {
    let r = app.review.as_ref().unwrap();
    r.rows.iter().map(|&i| r.due[i].id.clone()).collect()
}

fn message(app: &App) -> String {
    app.review
        .as_ref()
        .and_then(|r| r.message.as_ref())
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

/// The lines of point `id`'s table, from its `[[points]]` header to the blank line.
fn block_of(text: &str, id: &str) -> String {
    let start = text
        .find(&format!("[[points]]\nid = \"{id}\"\n"))
        .unwrap_or_else(|| panic!("no point {id}"));
    let end = text[start..].find("\n\n").map_or(text.len(), |e| start + e + 1);
    text[start..end].to_owned()
}

/// `before` with point `id`'s block rewritten by `edit`: the whole file must
/// become exactly this, every other byte unchanged.
fn expect(before: &str, id: &str, edit: impl Fn(&str) -> String) -> String {
    let block = block_of(before, id);
    let new = edit(&block);
    assert_ne!(block, new, "the expected edit changes nothing");
    before.replacen(&block, &new, 1)
}

/// Replaces the line starting with `key = ` in a block.
fn set_line(block: &str, key: &str, line: &str) -> String {
    let prefix = format!("{key} = ");
    block
        .lines()
        .map(|l| {
            if l.starts_with(&prefix) {
                line.to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn stamped(block: &str) -> String {
    let b = set_line(
        block,
        "reviewed",
        &format!("reviewed = {}", today().format("%Y-%m-%d")),
    );
    set_line(&b, "reviewer", &format!("reviewer = \"{REVIEWER}\""))
}

#[test]
fn r_opens_the_queue_and_approving_stamps_the_point_and_it_leaves_the_queue() {
    let (_tmp, data) = copy_of_data();
    let before = read(&data);
    let mut app = review_on(&data);
    let id = current_id(&app);
    let due = queue_ids(&app).len();
    assert!(due > 1, "every point is due this long after its review");
    let generation = app.generation();

    press(&mut app, KeyCode::Char('a'));
    // Reviewing changes the library, not the brief: nothing to save, no draft.
    assert!(!app.dirty);
    assert_eq!(app.generation(), generation);
    let after = read(&data);
    assert_eq!(after, expect(&before, &id, stamped));
    let shown = flat(&screen(&mut app, 80, 24));
    assert!(
        shown.contains(&format!("Approved `{id}`; it left the queue.")),
        "{shown}"
    );
    assert!(!queue_ids(&app).contains(&id));
    assert_eq!(queue_ids(&app).len(), due - 1);
    // The next point takes its place under the cursor, and undo is offered.
    assert_ne!(current_id(&app), id);
    assert!(shown.contains(&format!("u undoes: approved `{id}`")), "{shown}");
}

#[test]
fn back_to_draft_then_mark_reviewed_keeps_it_due_as_a_draft() {
    let (_tmp, data) = copy_of_data();
    let before = read(&data);
    let mut app = review_on(&data);
    let id = current_id(&app);

    press(&mut app, KeyCode::Char('D'));
    let drafted = expect(&before, &id, |b| set_line(b, "status", "status = \"draft\""));
    assert_eq!(read(&data), drafted);
    assert!(
        message(&app).starts_with(&format!("Sent `{id}` back to draft; still due: draft")),
        "{}",
        message(&app)
    );
    assert_eq!(current_id(&app), id, "still due, still under the cursor");

    press(&mut app, KeyCode::Char('m'));
    assert_eq!(read(&data), expect(&drafted, &id, stamped));
    assert_eq!(
        message(&app),
        format!("Marked `{id}` reviewed; still due: draft.")
    );
    let lib = Library::load(&DataSource::Dir(data.clone())).unwrap().library;
    assert_eq!(lib.point(&id).unwrap().status, Status::Draft);
}

#[test]
fn retiring_asks_for_a_reason_and_the_main_screen_stops_offering_the_point() {
    let (_tmp, data) = copy_of_data();
    let before = read(&data);
    let mut app = review_on(&data);
    let id = current_id(&app);

    // An empty reason is refused, and the prompt stays open.
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(read(&data), before);
    assert!(matches!(app.review.as_ref().unwrap().mode, Mode::Ask(_)));
    assert!(message(&app).contains("the reason is empty"), "{}", message(&app));

    type_text(&mut app, "Superseded by the 2011 assessment");
    let prompt = flat(&screen(&mut app, 80, 24));
    assert!(prompt.contains(&format!("Retire `{id}`")), "{prompt}");
    press(&mut app, KeyCode::Enter);
    let retired = expect(&before, &id, |b| {
        set_line(b, "status", "status = \"retired\"").replace(
            "\ntags = ",
            "\nretired_reason = \"Superseded by the 2011 assessment\"\ntags = ",
        )
    });
    assert_eq!(read(&data), retired);
    assert_eq!(message(&app), format!("Retired `{id}`; it left the queue."));

    // Back on the main screen, the points pane no longer lists it.
    press(&mut app, KeyCode::Char('q'));
    assert_eq!(app.screen, Screen::Browse);
    press(&mut app, KeyCode::Char('3'));
    assert_eq!(app.focus, Pane::Points);
    assert!(!app
        .pane()
        .rows
        .iter()
        .any(|r| crate::tui::list::id(&app.lib, app.focus, r.index) == id));
    assert!(!app.pane().rows.is_empty());
}

#[test]
fn retired_points_are_listed_on_the_main_screen_only_when_the_pack_picked_them() {
    let (_tmp, data) = copy_of_data();
    let text = read(&data);
    let lib = Library::load(&DataSource::Dir(data.clone())).unwrap().library;
    let (kept, retired) = (&lib.points[0].id, &lib.points[1].id);
    let retired_block = block_of(&text, retired);
    let hand_edit = text.replacen(
        &retired_block,
        &set_line(&retired_block, "status", "status = \"retired\""),
        1,
    );
    std::fs::write(points_file(&data), hand_edit).unwrap();

    let mut app = app_on(&data);
    press(&mut app, KeyCode::Char('3'));
    let ids: Vec<&str> = app
        .pane()
        .rows
        .iter()
        .map(|r| crate::tui::list::id(&app.lib, app.focus, r.index))
        .collect();
    assert!(ids.contains(&kept.as_str()) && !ids.contains(&retired.as_str()));

    let mut pack = Pack::new();
    pack.selection.points = vec![retired.clone()];
    let mut app = App::new(
        Arc::clone(&app.lib),
        Arc::new(Template::default_template().unwrap()),
        pack,
        None,
    );
    press(&mut app, KeyCode::Char('3'));
    let row = app
        .pane()
        .rows
        .iter()
        .position(|r| crate::tui::list::id(&app.lib, app.focus, r.index) == retired.as_str());
    let row = row.expect("a picked retired point stays listed so it can be unpicked");
    app.panes[Pane::Points.index()].cursor = row;
    let shown = screen(&mut app, 80, 24);
    // The list is the left half; the row of the picked point ends in its status.
    let row: Vec<String> = shown.lines().map(|l| l.chars().take(40).collect()).collect();
    let line = row.iter().find(|l| l.contains("[x]")).unwrap();
    assert!(
        line.trim_end_matches('│').trim_end().ends_with("retired"),
        "{shown}"
    );
    press(&mut app, KeyCode::Char(' '));
    assert!(app.pack.selection.points.is_empty());
    assert!(
        !app.pane()
            .rows
            .iter()
            .any(|r| crate::tui::list::id(&app.lib, app.focus, r.index) == retired.as_str()),
        "gone once unpicked"
    );
}

#[test]
fn editing_the_text_in_place_writes_it_and_undo_restores_the_file() {
    let (_tmp, data) = copy_of_data();
    let before = read(&data);
    let mut app = review_on(&data);
    let id = current_id(&app);

    press(&mut app, KeyCode::Char('e'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "We invite partners to join Operation Channel.");
    let editor = flat(&screen(&mut app, 80, 24));
    assert!(editor.contains(&format!("Edit the text of `{id}`")), "{editor}");
    assert!(
        editor.contains("We invite partners to join Operation Channel."),
        "{editor}"
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        read(&data),
        expect(&before, &id, |b| set_line(
            b,
            "text",
            "text = \"We invite partners to join Operation Channel.\""
        ))
    );
    assert_eq!(
        message(&app),
        format!("Changed the text of `{id}`; still due: review out of date.")
    );

    press(&mut app, KeyCode::Char('u'));
    assert_eq!(read(&data), before, "undo restores the file byte for byte");
    let shown = flat(&screen(&mut app, 80, 24));
    assert!(
        shown.contains(&format!("Undid: changed the text of `{id}`")),
        "{shown}"
    );
    press(&mut app, KeyCode::Char('u'));
    assert!(message(&app).starts_with("Nothing to undo"), "{}", message(&app));
}

#[test]
fn a_hand_edit_of_the_same_text_shows_the_conflict_and_keeps_what_was_typed() {
    let (_tmp, data) = copy_of_data();
    let mut app = review_on(&data);
    let id = current_id(&app);

    press(&mut app, KeyCode::Char('e'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "Mine, typed in the editor.");

    // Meanwhile a colleague edits the same point's text by hand.
    let original = read(&data);
    let block = block_of(&original, &id);
    let theirs = original.replacen(
        &block,
        &set_line(&block, "text", "text = \"Theirs, saved by hand.\""),
        1,
    );
    std::fs::write(points_file(&data), &theirs).unwrap();

    press(&mut app, KeyCode::Enter);
    assert_eq!(read(&data), theirs, "their change is not overwritten");
    assert!(matches!(app.review.as_ref().unwrap().mode, Mode::Conflict(_)));
    let dialog = flat(&screen(&mut app, 80, 24));
    for needle in [
        "Conflict",
        &format!("Someone else changed `text` of point `{id}`"),
        "theirs : Theirs, saved by hand.",
        "yours : Mine, typed in the editor.",
        "you saw:",
    ] {
        assert!(dialog.contains(needle), "{needle:?} missing:\n{dialog}");
    }
    let wide = flat(&screen(&mut app, 200, 50));
    assert!(wide.contains("Mine, typed in the editor."), "{wide}");

    // Esc goes back to the editor with the typed text still there.
    press(&mut app, KeyCode::Esc);
    match &app.review.as_ref().unwrap().mode {
        Mode::Edit(e) => assert_eq!(e.input.text, "Mine, typed in the editor."),
        other => panic!("expected the editor, got {other:?}"),
    }
    assert!(flat(&screen(&mut app, 80, 24)).contains("Mine, typed in the editor."));

    // Enter now writes it knowingly over their version.
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        read(&data),
        theirs.replacen(
            "text = \"Theirs, saved by hand.\"",
            "text = \"Mine, typed in the editor.\"",
            1
        )
    );
}

#[test]
fn before_a_one_key_action_a_changed_file_is_read_again() {
    let (_tmp, data) = copy_of_data();
    let mut app = review_on(&data);
    let id = current_id(&app);
    let original = read(&data);

    // Someone edits another point: approving this one goes ahead on their file.
    let other = queue_ids(&app).into_iter().find(|x| *x != id).unwrap();
    let block = block_of(&original, &other);
    let theirs = original.replacen(&block, &set_line(&block, "owner", "owner = \"anna\""), 1);
    let theirs = if theirs == original {
        original.replacen(
            &block,
            &block.replace("\ntags = ", "\nowner = \"anna\"\ntags = "),
            1,
        )
    } else {
        theirs
    };
    std::fs::write(points_file(&data), &theirs).unwrap();
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(read(&data), expect(&theirs, &id, stamped));
    assert!(
        message(&app).starts_with(&format!("Approved `{id}`")),
        "{}",
        message(&app)
    );

    // Someone edits the point under the cursor: nothing is written until the user
    // has seen their version.
    let id = current_id(&app);
    let now = read(&data);
    let block = block_of(&now, &id);
    let changed = now.replacen(
        &block,
        &set_line(&block, "text", "text = \"Changed by hand.\""),
        1,
    );
    std::fs::write(points_file(&data), &changed).unwrap();
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(read(&data), changed);
    assert!(
        message(&app).contains("Someone else just changed"),
        "{}",
        message(&app)
    );
    let shown = flat(&screen(&mut app, 200, 50));
    assert!(shown.contains("Changed by hand."), "{shown}");
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(read(&data), expect(&changed, &id, stamped));
}

/// Marks not yet written are typing like any other: a dropped link keeps them
/// in the draft, and the next start reopens the list with them.
#[test]
fn marks_in_the_tags_list_go_to_the_draft_and_come_back() {
    let (_tmp, data) = copy_of_data();
    let mut app = review_on(&data);
    let id = current_id(&app);
    assert!(app.typing().is_none());
    press(&mut app, KeyCode::Char('t'));
    assert!(app.typing().is_none(), "nothing marked yet");
    toggle(&mut app, "summit");
    let typing = app.typing().expect("the marks are typing");
    assert_eq!(typing.target, format!("tags {id}"));
    let Mode::Choose(before) = &app.review.as_ref().unwrap().mode else {
        panic!("no list open");
    };
    let marked = before.picker.marked_indexes();

    let mut again = app_on(&data);
    again.resume_typing(&typing);
    let Mode::Choose(after) = &again.review.as_ref().unwrap().mode else {
        panic!("the list is not reopened");
    };
    assert_eq!(after.point, id);
    assert_eq!(after.picker.marked_indexes(), marked);
}

/// In the open tags or links list: narrows it to `value` and marks or unmarks
/// the option that is exactly it (a tag) or names it (`threat ID: …`).
fn toggle(app: &mut App, value: &str) {
    ctrl(app, 'u');
    type_text(app, value);
    let Mode::Choose(c) = &app.review.as_ref().unwrap().mode else {
        panic!("no list open");
    };
    let named = format!(" {value}:");
    let at = c
        .picker
        .shown()
        .iter()
        .position(|&i| c.picker.options[i] == value || c.picker.options[i].contains(&named))
        .unwrap_or_else(|| panic!("{value} not offered"));
    for _ in 0..at {
        press(app, KeyCode::Down);
    }
    press(app, KeyCode::Char(' '));
}

#[test]
fn links_and_tags_are_marked_in_the_librarys_lists_before_writing() {
    let (_tmp, data) = copy_of_data();
    let before = read(&data);
    let mut app = review_on(&data);
    let id = current_id(&app);
    let lib = Arc::clone(&app.review.as_ref().unwrap().lib);
    let p = lib.point(&id).unwrap().clone();
    let (threat, partner) = (lib.threats[0].id.clone(), lib.partners[0].id.clone());

    press(&mut app, KeyCode::Char('l'));
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("Threats and partners of the point"), "{shown}");
    for t in &p.threats {
        assert!(
            shown.contains(&format!("[x] threat {t}: ")),
            "{t} is marked: {shown}"
        );
    }
    // What names nothing in the library is said, and nothing is written.
    type_text(&mut app, "no-such-thing");
    assert!(flat(&screen(&mut app, 120, 40)).contains("(no threat or partner holds this)"));
    press(&mut app, KeyCode::Enter);
    assert_eq!(read(&data), before);
    assert_eq!(
        message(&app),
        "`no-such-thing` is neither a threat nor a partner in the library; nothing was written."
    );
    assert!(
        matches!(app.review.as_ref().unwrap().mode, Mode::Choose(_)),
        "the list stays open"
    );

    for old in p.threats.iter().chain(&p.partners) {
        toggle(&mut app, old);
    }
    toggle(&mut app, &partner);
    toggle(&mut app, &threat);
    ctrl(&mut app, 'u');
    press(&mut app, KeyCode::Enter);
    let linked = expect(&before, &id, |b| {
        let b = set_line(b, "threats", &format!("threats = [\"{threat}\"]"));
        set_line(&b, "partners", &format!("partners = [\"{partner}\"]"))
    });
    assert_eq!(read(&data), linked);

    // Tags: the library's, marked as the point has them; text no tag holds is a new one.
    press(&mut app, KeyCode::Char('t'));
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("Tags of the point"), "{shown}");
    for old in &p.tags {
        toggle(&mut app, old);
    }
    toggle(&mut app, "drugs");
    ctrl(&mut app, 'u');
    type_text(&mut app, "summit-2011");
    assert!(flat(&screen(&mut app, 120, 40)).contains("(no tag holds this; Enter adds it as a new tag)"));
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        read(&data),
        expect(&linked, &id, |b| set_line(
            b,
            "tags",
            "tags = [\"drugs\", \"summit-2011\"]"
        ))
    );
    assert_eq!(
        message(&app),
        format!("Changed the tags of `{id}`; still due: review out of date.")
    );

    // Esc with marks changed asks once more before dropping them.
    press(&mut app, KeyCode::Char('t'));
    toggle(&mut app, "drugs");
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.review.as_ref().unwrap().mode, Mode::Choose(_)));
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.review.as_ref().unwrap().mode, Mode::List));
}

#[test]
fn the_external_editor_result_is_written_like_typing() {
    let (_tmp, data) = copy_of_data();
    let before = read(&data);
    let mut app = review_on(&data);
    let id = current_id(&app);
    let effects = press(&mut app, KeyCode::Char('E'));
    let [Effect::EditPoint(point, text)] = effects.as_slice() else {
        panic!("expected the editor effect, got {effects:?}");
    };
    assert_eq!(point, &id);
    assert!(before.contains(&format!("text = \"{text}\"")));
    app.handle(Event::PointEdited(
        id.clone(),
        Ok("A line from the editor,\nwrapped  by it.".to_owned()),
    ));
    assert_eq!(
        read(&data),
        expect(&before, &id, |b| set_line(
            b,
            "text",
            "text = \"A line from the editor, wrapped by it.\""
        ))
    );
    app.handle(Event::PointEdited(id, Err("the editor `nano` failed".to_owned())));
    assert_eq!(message(&app), "The editor `nano` failed.");
}

#[test]
fn sort_and_filters_narrow_the_queue() {
    let (_tmp, data) = copy_of_data();
    let mut app = review_on(&data);
    let all = queue_ids(&app);
    press(&mut app, KeyCode::Char('D'));
    let drafted = current_id(&app);

    // By reason, chosen from a list that narrows as one types: draft, the only one in draft.
    press(&mut app, KeyCode::Char('c'));
    let shown = flat(&screen(&mut app, 80, 24));
    assert!(shown.contains("Filter by reason"), "{shown}");
    assert!(
        shown.contains("never reviewed"),
        "every reason is offered: {shown}"
    );
    type_text(&mut app, "dra");
    let shown = flat(&screen(&mut app, 80, 24));
    assert!(!shown.contains("never reviewed"), "the list narrows: {shown}");
    press(&mut app, KeyCode::Enter);
    assert_eq!(queue_ids(&app), std::slice::from_ref(&drafted));
    assert!(flat(&screen(&mut app, 80, 24)).contains("· draft"));
    // Esc in the list leaves the filter as it was.
    press(&mut app, KeyCode::Char('c'));
    type_text(&mut app, "links");
    press(&mut app, KeyCode::Esc);
    assert_eq!(queue_ids(&app), [drafted]);
    press(&mut app, KeyCode::Esc);
    assert_eq!(queue_ids(&app).len(), all.len());

    // Words of the point's text.
    let lib = Arc::clone(&app.review.as_ref().unwrap().lib);
    let word = lib.point(&all[1]).unwrap().id.clone();
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, &word);
    press(&mut app, KeyCode::Enter);
    assert!(queue_ids(&app).contains(&word));
    assert!(queue_ids(&app).len() < all.len());
    press(&mut app, KeyCode::Esc);

    // `s` cycles the orders; by id the queue is alphabetical.
    let mut sorted = all.clone();
    sorted.sort();
    for _ in 0..4 {
        press(&mut app, KeyCode::Char('s'));
    }
    assert_eq!(message(&app), "Sorted by id.");
    assert_eq!(queue_ids(&app), sorted);
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(queue_ids(&app), all, "back to file order");
}

/// Gives point `id` the owner `who` in the points file.
fn own(text: &str, id: &str, who: &str) -> String {
    let at = format!("id = \"{id}\"\n");
    assert!(text.contains(&at), "{id}");
    text.replacen(&at, &format!("{at}owner = \"{who}\"\n"), 1)
}

#[test]
fn o_chooses_each_owner_or_no_owner_or_all_from_a_list() {
    let (_tmp, data) = copy_of_data();
    let all = queue_ids(&review_on(&data));
    assert!(all.len() > 4);
    // Owners given out of the order of the file and of their names.
    let (boris, anna) = (vec![all[0].clone()], vec![all[1].clone(), all[3].clone()]);
    let mut text = read(&data);
    for id in &anna {
        text = own(&text, id, "anna");
    }
    text = own(&text, &boris[0], "boris");
    std::fs::write(points_file(&data), text).unwrap();
    let mut app = review_on(&data);
    assert_eq!(queue_ids(&app), all);
    let nobody: Vec<String> = all
        .iter()
        .filter(|id| !anna.contains(id) && !boris.contains(id))
        .cloned()
        .collect();
    for (want, typed, says) in [
        (&anna, "ann", "owner anna"),
        (&boris, "bor", "owner boris"),
        (&nobody, "no ow", "no owner"),
        (&all, "any", "every owner"),
    ] {
        press(&mut app, KeyCode::Char('o'));
        type_text(&mut app, typed);
        press(&mut app, KeyCode::Enter);
        assert_eq!(&queue_ids(&app), want, "{says}");
        assert!(message(&app).contains(says), "{}", message(&app));
    }
}

#[test]
fn the_form_adds_a_draft_point_and_keeps_what_was_typed_when_refused() {
    let (_tmp, data) = copy_of_data();
    let before = read(&data);
    let mut app = review_on(&data);
    let lib = Arc::clone(&app.review.as_ref().unwrap().lib);
    let (threat, source) = (lib.threats[0].id.clone(), lib.sources[0].id.clone());

    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "Partners are welcome to join the exercises");
    press(&mut app, KeyCode::Tab); // the id is suggested from the text
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char(' ')); // kind: the second one
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, &threat);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "no-such-source");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "welcome to join");
    ctrl(&mut app, 's');

    assert_eq!(read(&data), before, "nothing is added while refused");
    let m = message(&app);
    assert!(m.starts_with("Source: ") && m.contains("no-such-source"), "{m}");
    let Mode::Add(form) = &app.review.as_ref().unwrap().mode else {
        panic!("the form stays open");
    };
    assert_eq!(
        form.field(),
        super::add::AddField::Source,
        "the cursor goes to the field"
    );
    let shown = flat(&screen(&mut app, 80, 24));
    assert!(
        shown.contains("Partners are welcome to join the exercises"),
        "{shown}"
    );

    ctrl(&mut app, 'u');
    type_text(&mut app, &source);
    ctrl(&mut app, 's');
    let id = "partners-are-welcome-to-join";
    let added = format!(
        "\n[[points]]\nid = \"{id}\"\ntext = \"Partners are welcome to join the exercises\"\nkind = \"defensive-line\"\nthreats = [\"{threat}\"]\npartners = []\nsource = \"{source}\"\nexcerpt = \"welcome to join\"\nstatus = \"draft\"\ntags = []\n"
    );
    assert_eq!(read(&data), format!("{before}{added}"));
    assert!(
        message(&app).starts_with(&format!("Added `{id}` as a draft")),
        "{}",
        message(&app)
    );
    assert_eq!(
        current_id(&app),
        id,
        "the new draft is in the queue, under the cursor"
    );
}

/// Tab completes the ids of threats and sources; a refused point lists every
/// problem in the form at once.
#[test]
fn the_form_completes_ids_with_tab_and_lists_every_problem() {
    let (_tmp, data) = copy_of_data();
    let mut app = review_on(&data);
    let lib = Arc::clone(&app.review.as_ref().unwrap().lib);
    let threat = lib.threats[0].id.clone();
    let prefix: String = threat.chars().take(4).collect();
    let unique = lib.threats.iter().filter(|t| t.id.starts_with(&prefix)).count() == 1;
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "Partners are welcome to join the exercises");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab); // on to the threats
    type_text(&mut app, &prefix);
    press(&mut app, KeyCode::Tab);
    let Mode::Add(form) = &app.review.as_ref().unwrap().mode else {
        panic!("the form is open");
    };
    let typed = form.value(super::add::AddField::Threats).to_owned();
    assert!(
        typed.starts_with(&prefix) && typed.len() > prefix.len(),
        "{typed}"
    );
    if unique {
        assert_eq!(typed, threat);
    }
    // Two problems at once: an unknown partner and an unknown source.
    let Mode::Add(form) = &mut app.review.as_mut().unwrap().mode else {
        panic!("the form is open");
    };
    form.inputs[3] = crate::tui::input::LineInput::new(&threat);
    form.go_to(super::add::AddField::Partners);
    type_text(&mut app, "no-such-partner");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "no-such-source");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "welcome to join");
    ctrl(&mut app, 's');
    let m = message(&app);
    assert!(m.starts_with("2 problems, listed in the form"), "{m}");
    let shown = flat(&screen(&mut app, 120, 40));
    assert!(
        shown.contains("no-such-partner") && shown.contains("no-such-source"),
        "{shown}"
    );
    assert!(
        shown.contains("✗ Partners:") && shown.contains("✗ Source:"),
        "{shown}"
    );
}

#[test]
fn the_built_in_library_cannot_be_reviewed_and_says_so() {
    let mut app = App::new(
        Arc::new(Library::embedded().unwrap()),
        Arc::new(Template::default_template().unwrap()),
        Pack::new(),
        None,
    );
    // `r` asks for a checkout on disk (see tui/tests/folder.rs); Esc leaves it.
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(app.screen, Screen::Browse);
    assert!(app.prompt().is_some());
    let asked = app.message.clone().unwrap().text;
    assert!(asked.contains("type the folder of a library checkout"), "{asked}");
    press(&mut app, KeyCode::Esc);
    assert!(app.prompt().is_none());
    // The screen itself, opened on the built-in library, says why it cannot work.
    app.open_review();
    assert_eq!(app.screen, Screen::Review);
    let shown = flat(&screen(&mut app, 80, 24));
    assert!(shown.contains(&flat(NEEDS_DATA)), "{shown}");
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(message(&app), NEEDS_DATA);
    press(&mut app, KeyCode::Char('q'));
    assert_eq!(app.screen, Screen::Browse);
}

#[test]
fn the_screen_fits_80x24_stacked_and_200x50_side_by_side() {
    let (_tmp, data) = copy_of_data();
    let mut app = review_on(&data);
    let r = app.review.as_ref().unwrap();
    let p = r.current_point().unwrap().clone();
    let source = r.lib.source(&p.source).unwrap().clone();

    let small = screen(&mut app, 80, 24);
    let queue_row = small.lines().position(|l| l.contains(" Queue ")).unwrap();
    let point_row = small.lines().position(|l| l.contains(" Point ")).unwrap();
    assert!(point_row > queue_row, "stacked at 80 columns:\n{small}");
    let bottom = small.lines().last().unwrap();
    for k in [
        "a approve",
        "m reviewed",
        "x retire",
        "D draft",
        "e edit",
        "u undo",
        "? help",
        "q back",
    ] {
        assert!(bottom.contains(k), "{k} missing: {bottom}");
    }

    let wide = screen(&mut app, 200, 50);
    let row = wide.lines().find(|l| l.contains(" Queue ")).unwrap();
    assert!(row.contains(" Point "), "side by side at 200 columns:\n{wide}");
    // The point pane alone: the right-hand part of every line.
    let at = row.chars().position(|c| c == '┐').unwrap() + 1;
    let right: String = wide
        .lines()
        .map(|l| l.chars().skip(at).collect::<String>() + "\n")
        .collect();
    let wide = flat(&right);
    for needle in [
        &source.title,
        &source.author,
        &p.excerpt[..p.excerpt.len().min(40)],
    ] {
        assert!(wide.contains(&flat(needle)), "{needle:?} missing:\n{wide}");
    }
    assert!(wide.contains(&source.date.long()), "{wide}");

    // Full screen point, and help, at both sizes without panicking.
    press(&mut app, KeyCode::Enter);
    assert!(screen(&mut app, 80, 24).contains("Enter or Esc"));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('?'));
    let help = screen(&mut app, 200, 50);
    for (k, _) in crate::tui::keymap::help_rows(&[crate::tui::keymap::REVIEW]) {
        assert!(help.contains(&k), "{k} missing:\n{help}");
    }
    // The keys README.md promises for the review screen, each with what it does.
    for (k, what) in [
        ("s", "sort"),
        ("/", "find"),
        ("c", "reason"),
        ("o", "owner"),
        ("a", "approve"),
        ("m", "mark reviewed"),
        ("f", "reaffirm"),
        ("b", "background"),
        ("A", "all points"),
        ("x", "retire"),
        ("D", "draft"),
        ("e", "edit"),
        ("E", "$editor"),
        ("t", "tags"),
        ("l", "links"),
        ("u", "undo"),
        ("n", "new point"),
    ] {
        assert!(
            crate::tui::tests::help_row(&help, k, what),
            "no row for {k} ({what}):\n{help}"
        );
    }
    for (w, h) in [(40, 10), (60, 16), (80, 24), (300, 100)] {
        screen(&mut app, w, h);
    }
}

#[test]
fn ctrl_c_with_typed_text_asks_before_quitting() {
    let (_tmp, data) = copy_of_data();
    let mut app = review_on(&data);
    press(&mut app, KeyCode::Char('x'));
    type_text(&mut app, "out of date");
    assert!(send(&mut app, KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)).is_empty());
    assert!(
        message(&app).contains("again to quit and keep them as a draft"),
        "{}",
        message(&app)
    );
    assert!(app
        .typing()
        .is_some_and(|t| t.describe().starts_with("typing the retirement reason of point")));
    let effects = send(&mut app, KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(matches!(effects.as_slice(), [Effect::Quit]), "{effects:?}");
    // The question reopens with what was typed.
    let t = app.typing().unwrap();
    let mut next = review_on(&data);
    press(&mut next, KeyCode::Esc);
    next.resume_typing(&t);
    let Mode::Ask(ask) = &next.review.as_ref().unwrap().mode else {
        panic!("the question is open again");
    };
    assert_eq!(ask.input.text, "out of date");
}

/// Issue 13, item 4: what is typed on this screen is in the draft, and the next
/// start reopens it with the text and the cursor where they were.
#[test]
fn the_text_being_edited_and_the_new_point_form_reopen_from_the_draft() {
    use crate::draft::{DraftKey, Store};
    use crate::tui::autosave::{self, Autosave};
    let (_tmp, data) = copy_of_data();
    let state = tempfile::tempdir().unwrap();
    let store = Store::at(state.path());
    let key = DraftKey::New("review".into());
    let restored = |store: &Store| {
        let mut next = app_on(&data);
        next.offer_drafts(autosave::offer(store, &key).0);
        let offer = screen(&mut next, 120, 30);
        press(&mut next, KeyCode::Char('r'));
        assert_eq!(next.screen, Screen::Review, "{offer}");
        (next, offer)
    };

    // The point's text, edited in place.
    let mut app = review_on(&data);
    let mut drafts = Autosave::new(store.clone(), key.clone(), &app);
    let id = current_id(&app);
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, " Still so.");
    press(&mut app, KeyCode::Left);
    drafts.observe(&app, std::time::Instant::now());
    drafts.flush(&app).unwrap().expect("a draft of the typing");
    let (next, offer) = restored(&store);
    assert!(
        offer.contains(&format!("editing the text of point `{id}`")),
        "{offer}"
    );
    let Mode::Edit(e) = &next.review.as_ref().unwrap().mode else {
        panic!("the editor is open again");
    };
    assert_eq!(e.point, id);
    assert!(e.input.text.ends_with(" Still so."), "{}", e.input.text);
    assert_eq!(e.input.cursor, e.input.text.chars().count() - 1);
    for d in store.list().unwrap().0 {
        store.remove(&d).unwrap();
    }

    // The new-point form, the cursor in its third typed field.
    let mut app = review_on(&data);
    let mut drafts = Autosave::new(store.clone(), key.clone(), &app);
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "Partners are welcome");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "terro");
    press(&mut app, KeyCode::Home);
    drafts.observe(&app, std::time::Instant::now());
    drafts.flush(&app).unwrap().expect("a draft of the form");
    let (next, offer) = restored(&store);
    assert!(offer.contains("typing a new point"), "{offer}");
    let Mode::Add(form) = &next.review.as_ref().unwrap().mode else {
        panic!("the form is open again");
    };
    let Mode::Add(before) = &app.review.as_ref().unwrap().mode else {
        unreachable!()
    };
    assert_eq!(form.inputs, before.inputs);
    assert_eq!(form.kind, 1);
    assert_eq!(form.field(), super::add::AddField::Threats);
    assert_eq!(form.inputs[form.cursor].cursor, 0);
}

#[test]
fn r_says_whether_points_toml_changed_on_disk() {
    let (_tmp, data) = copy_of_data();
    let mut app = review_on(&data);
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(message(&app), "points.toml has not changed since it was read.");
    // A colleague's edit of another point, then `r`.
    let text = read(&data);
    let last = queue_ids(&app).last().unwrap().clone();
    let edited = text.replacen(
        &format!("id = \"{last}\"\n"),
        &format!("id = \"{last}\"\nowner = \"colleague\"\n"),
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(points_file(&data), edited).unwrap();
    press(&mut app, KeyCode::Char('r'));
    assert!(
        message(&app).starts_with("Read points.toml again: it had changed on disk"),
        "{}",
        message(&app)
    );
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(message(&app), "points.toml has not changed since it was read.");
}

#[test]
fn a_points_file_that_does_not_parse_is_named_with_its_place_not_nothing_to_review() {
    let (_tmp, data) = copy_of_data();
    let text = read(&data);
    let at = text.find("\n[[points]]").unwrap() + 1;
    let line = text[..at].lines().count() + 1;
    let broken = format!("{}[[points]\n{}", &text[..at], &text[at + "[[points]]\n".len()..]);
    std::fs::write(points_file(&data), broken).unwrap();
    let mut app = App::new(
        Arc::new(Library::embedded().unwrap()),
        Arc::new(Template::default_template().unwrap()),
        Pack::new(),
        None,
    );
    app.review_setup = Some(Setup {
        source: DataSource::Dir(data.clone()),
        today: today(),
        policy: Policy::default(),
        sources_dir: None,
        reviewer: Some(REVIEWER.to_owned()),
        saved_reviewer: None,
    });
    press(&mut app, KeyCode::Char('r'));
    let place = format!("points.toml:{line}:");
    assert!(message(&app).contains(&place), "{}", message(&app));
    // Once the message has gone, the queue says it.
    press(&mut app, KeyCode::Char('j'));
    let shown = flat(&screen(&mut app, 100, 30));
    assert!(!shown.contains("Nothing needs review"), "{shown}");
    assert!(
        shown.contains("Points in points.toml cannot be read, so"),
        "{shown}"
    );
    assert!(shown.contains(&place), "{place}: {shown}");
}

/// Whatever a key does on the review list, `keymap::REVIEW` (and so `?` and the
/// key line) lists it.
#[test]
fn a_review_key_that_does_anything_is_in_the_table() {
    let (_tmp, data) = copy_of_data();
    let mut undocumented = Vec::new();
    for key in crate::tui::keymap::every_key() {
        let mut app = review_on(&data);
        type_text(&mut app, "jj");
        let before = screen(&mut app, 100, 30);
        let effects = send(&mut app, key);
        let acted = !effects.is_empty() || screen(&mut app, 100, 30) != before;
        let listed = crate::tui::keymap::lookup(&[crate::tui::keymap::REVIEW], &key).is_some();
        if acted && !listed {
            undocumented.push(format!("{key:?}"));
        }
    }
    assert!(undocumented.is_empty(), "{undocumented:?}");
}

#[test]
fn capital_a_lists_every_point_so_an_approved_one_can_be_fixed() {
    let (_tmp, data) = copy_of_data();
    let mut app = review_on(&data);
    let id = current_id(&app);
    press(&mut app, KeyCode::Char('a'));
    let due = queue_ids(&app);
    assert!(!due.contains(&id), "approved, {id} left the queue");
    press(&mut app, KeyCode::Char('A'));
    let all = queue_ids(&app);
    let lib = Library::load(&DataSource::Dir(data.clone()))
        .unwrap()
        .into_valid()
        .unwrap();
    assert_eq!(all.len(), lib.points.len());
    assert!(all.contains(&id));
    assert!(message(&app).starts_with("Listing all"), "{}", message(&app));
    // The approved point can be edited from here.
    press(&mut app, KeyCode::Char('g'));
    let at = queue_ids(&app).iter().position(|x| *x == id).unwrap();
    for _ in 0..at {
        press(&mut app, KeyCode::Char('j'));
    }
    assert_eq!(current_id(&app), id);
    press(&mut app, KeyCode::Char('e'));
    assert!(matches!(app.review.as_ref().unwrap().mode, Mode::Edit(_)));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('A'));
    assert_eq!(queue_ids(&app), due);
}

/// `briefpack review` has no lists behind it: `q` quits, Esc only closes and clears.
#[test]
fn q_in_briefpack_review_quits_and_esc_does_not() {
    let (_tmp, data) = copy_of_data();
    let mut app = app_on(&data);
    app.open_review_only();
    assert_eq!(app.screen, Screen::Review);
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.screen, Screen::Review);
    assert!(message(&app).contains("q quits"), "{}", message(&app));
    assert!(screen(&mut app, 80, 24).contains("q quit"));
    let effects = press(&mut app, KeyCode::Char('q'));
    assert!(matches!(effects.as_slice(), [Effect::Quit]), "{effects:?}");
    // Reached with `r` from the lists, `q` goes back to them.
    let mut app = review_on(&data);
    assert!(press(&mut app, KeyCode::Char('q')).is_empty());
    assert_eq!(app.screen, Screen::Browse);
}

/// The review screen and its dialogs at 80x24 and 120x40 (insta snapshots; the
/// temporary library's path is written `[DIR]`).
#[test]
fn review_screens_and_dialogs_snapshots() {
    let (tmp, data) = copy_of_data();
    let dir = tmp.path().display().to_string();
    let mut app = review_on(&data);
    let snap = |app: &mut App, name: &str| {
        testkit::snap(app, &format!("review_{name}"), &[(&dir, "[DIR]")]);
    };
    snap(&mut app, "queue");
    press(&mut app, KeyCode::Char('?'));
    snap(&mut app, "help");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('x'));
    type_text(&mut app, "superseded");
    snap(&mut app, "retire");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('e'));
    snap(&mut app, "edit");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('n'));
    snap(&mut app, "new_point");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('A'));
    snap(&mut app, "all_points");
    press(&mut app, KeyCode::Char('c'));
    type_text(&mut app, "re");
    snap(&mut app, "pick_reason");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('t'));
    type_text(&mut app, "dr");
    snap(&mut app, "tags");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "drug traffic");
    snap(&mut app, "search");
}

/// The review screen's `/` is the lists' search: exact matches first, a divider
/// before the loose ones, "no exact match" said outright, `'` for exact only.
#[test]
fn review_search_ranks_exact_above_loose_as_the_lists_do() {
    let (_tmp, data) = copy_of_data();
    let all = queue_ids(&review_on(&data));
    let (exact_id, loose_id) = (all[2].clone(), all[0].clone());
    let before = read(&data);
    let after = expect(&before, &exact_id, |b| {
        set_line(b, "text", "text = \"The zephyr quorum meets at dawn.\"")
    });
    let after = expect(&after, &loose_id, |b| {
        set_line(b, "text", "text = \"Zebra paths yearly, quiet orbit rumour.\"")
    });
    std::fs::write(points_file(&data), after).unwrap();
    let mut app = review_on(&data);

    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "zephyr quorum");
    let rows = queue_ids(&app);
    assert_eq!(rows.first(), Some(&exact_id), "{rows:?}");
    assert!(
        rows.contains(&loose_id),
        "a loose match is still offered: {rows:?}"
    );
    let shown = screen(&mut app, 120, 40);
    let lines: Vec<&str> = shown.lines().collect();
    let at = |needle: &str| lines.iter().position(|l| l.contains(needle));
    // Ids are cut to the column: their starts tell them apart.
    let (e, d, l) = (
        at(&exact_id[..12]).unwrap(),
        at("loose match").unwrap(),
        at(&loose_id[..12]).unwrap(),
    );
    assert!(e < d && d < l, "{shown}");
    // The cursor moves over the rows, never onto the divider.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(current_id(&app), rows[1]);
    assert_eq!(message(&app), "", "an exact match needs no word");

    // Nothing exact: the list and, once kept, the message line say so.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "zephyr rumour");
    let loose = queue_ids(&app);
    assert!(
        loose.contains(&loose_id) && !loose.contains(&exact_id),
        "{loose:?}"
    );
    let n = loose.len();
    let es = if n == 1 { "" } else { "es" };
    assert!(
        flat(&screen(&mut app, 80, 24)).contains(&format!("No exact match; {n} loose match{es}")),
        "{}",
        screen(&mut app, 80, 24)
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        message(&app),
        format!("No exact match for 'zephyr rumour'; {n} loose match{es}.")
    );

    // A leading quote keeps exact matches only, and an empty result says what was searched.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "'zephyr rumour");
    assert!(queue_ids(&app).is_empty());
    assert!(
        flat(&screen(&mut app, 120, 40)).contains("Nothing matches ''zephyr rumour'; Esc clears the"),
        "{}",
        screen(&mut app, 120, 40)
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "'zephyr quorum");
    assert_eq!(queue_ids(&app), [exact_id]);

    // A reason filter narrowing the search is named in what it says.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('c'));
    type_text(&mut app, "draft");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "zephyr rumour");
    press(&mut app, KeyCode::Enter);
    let shown = flat(&screen(&mut app, 120, 40));
    assert!(
        shown.contains("Nothing matches 'zephyr rumour' among reason: "),
        "{shown}"
    );
}
