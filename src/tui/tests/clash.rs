//! Issue 13, items 2-4: a pack changed on disk under the session, builds that
//! would replace the pack or someone's file, the field being typed in the draft.

use super::{app, ctrl, draw, keys, library, press, text, COLOR};
use crate::draft::{DraftKey, DraftWriter, Store, Work};
use crate::pack::{self, Pack};
use crate::tui::app::{App, Effect, Event, Screen};
use crate::tui::autosave::{self, Autosave};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;
use std::time::Instant;

const ON_DISK: &str = "# The summit brief. Keep the threats in the order the President reads them.\n\
[meeting]\n\
title = \"Summit\"\n\
\n\
[selection]\n\
# Agreed with the Secretariat.\n\
points = [\n    \"channel-permanent\",\n]\n";

/// The interface opened on `path`, holding `text`, as the run loop opens it.
fn opened(path: &Path, text: &str) -> App {
    std::fs::write(path, text).unwrap();
    let mut app = app();
    app.pack = pack::parse(text, "pack", &library()).unwrap().pack;
    app.path = Some(path.to_path_buf());
    app.disk = Some(text.to_owned());
    app
}

/// Someone else saves the pack: here, a new title and a partner picked.
fn saved_elsewhere(path: &Path) -> String {
    let mut theirs = pack::parse(ON_DISK, "pack", &library()).unwrap().pack;
    theirs.meeting.title = "Informal summit".into();
    theirs.selection.partners.push("un".into());
    theirs.save_over(path, Some(ON_DISK)).unwrap()
}

/// This session picks a threat while someone else saves the pack.
fn picked_while_saved_elsewhere(path: &Path) -> (App, String) {
    let mut app = opened(path, ON_DISK);
    keys(&mut app, " ");
    let theirs = saved_elsewhere(path);
    (app, theirs)
}

fn message(app: &App) -> String {
    app.message.as_ref().map(|m| m.text.clone()).unwrap_or_default()
}

#[test]
fn a_save_over_a_pack_changed_on_disk_asks_and_merges_both_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summit.toml");
    let (mut app, theirs) = picked_while_saved_elsewhere(&path);
    ctrl(&mut app, 's');
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "nothing written over their save"
    );
    assert!(app.dirty);
    let screen = text(&draw(&mut app, 110, 34, COLOR));
    for needle in [
        "The pack changed on disk",
        "changed on disk since you opened it; nothing is saved yet.",
        "Changed in the file:",
        "Meeting title: “Summit” → “Informal summit”",
        "partners picked: un",
        "Your changes:",
        "threats picked: terrorism",
        "reload the file and re-apply your changes",
        "save your version as another file",
        "overwrite the file with your version",
    ] {
        assert!(screen.contains(needle), "{needle:?} missing:\n{screen}");
    }
    // The key line is the dialog's table (`keymap::CLASH`), even at 80 columns.
    let narrow = text(&draw(&mut app, 80, 24, COLOR));
    for needle in ["r merge", "a save as", "o overwrite", "Esc cancel"] {
        assert!(narrow.contains(needle), "{needle:?} missing:\n{narrow}");
    }
    // Keys go to the dialog: Space picks nothing behind it.
    keys(&mut app, " ");
    assert_eq!(app.pack.selection.threats, ["terrorism"]);
    // r: their version with this session's pick on top, saved in the file's layout.
    press(&mut app, KeyCode::Char('r'));
    assert!(app.clash().is_none());
    assert!(!app.dirty, "{}", message(&app));
    let now = std::fs::read_to_string(&path).unwrap();
    let saved = pack::parse(&now, "pack", &library()).unwrap().pack;
    assert_eq!(saved.meeting.title, "Informal summit");
    assert_eq!(saved.selection.partners, ["un"]);
    assert_eq!(saved.selection.threats, ["terrorism"]);
    assert!(now.starts_with("# The summit brief."), "{now}");
    assert!(now.contains("# Agreed with the Secretariat."), "{now}");
    // Saving again finds the file as this session wrote it: no question.
    keys(&mut app, "j ");
    ctrl(&mut app, 's');
    assert!(app.clash().is_none() && !app.dirty, "{}", message(&app));
}

#[test]
fn overwrite_and_save_as_each_keep_what_the_user_chose() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summit.toml");
    let (mut app, theirs) = picked_while_saved_elsewhere(&path);
    // Esc: nothing written, and the next Ctrl-S asks again.
    ctrl(&mut app, 's');
    press(&mut app, KeyCode::Esc);
    assert!(app.clash().is_none() && app.dirty);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    ctrl(&mut app, 's');
    assert!(app.clash().is_some());
    // a: this version goes to another file; theirs stays.
    press(&mut app, KeyCode::Char('a'));
    let screen = text(&draw(&mut app, 100, 30, COLOR));
    assert!(screen.contains("summit-mine.toml"), "{screen}");
    press(&mut app, KeyCode::Enter);
    let mine = dir.path().join("summit-mine.toml");
    let written = pack::load(&mine, &library()).unwrap().pack;
    assert_eq!(written.selection.threats, ["terrorism"]);
    assert_eq!(written.meeting.title, "Summit");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    assert_eq!(app.path.as_deref(), Some(mine.as_path()));

    // o: the user's version replaces theirs, as asked.
    let (mut app, _) = picked_while_saved_elsewhere(&path);
    ctrl(&mut app, 's');
    press(&mut app, KeyCode::Char('o'));
    let over = pack::load(&path, &library()).unwrap().pack;
    assert_eq!(over.meeting.title, "Summit");
    assert!(over.selection.partners.is_empty());
    assert_eq!(over.selection.threats, ["terrorism"]);
    assert!(!app.dirty);
}

#[test]
fn restoring_a_draft_made_before_the_file_changed_offers_the_merge() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path().join("state"));
    let path = dir.path().join("summit.toml");
    let key = DraftKey::for_path(&path);
    // An earlier session picked a threat on the pack as it was, then the link dropped.
    let mut mine = pack::parse(ON_DISK, "pack", &library()).unwrap().pack;
    mine.selection.threats.push("terrorism".into());
    let mut earlier = DraftWriter::new(store.clone(), key.clone());
    earlier.set_base(Some(ON_DISK.to_owned()));
    earlier.changed(
        Work {
            pack: mine,
            typing: None,
        },
        Instant::now(),
    );
    earlier.flush().unwrap();
    drop(earlier);
    // Meanwhile someone saved the pack.
    std::fs::write(&path, ON_DISK).unwrap();
    let theirs = saved_elsewhere(&path);

    let mut app = opened(&path, &theirs);
    app.offer_drafts(autosave::offer(&store, &key).0);
    let mut drafts = Autosave::new(store.clone(), key.clone(), &app);
    for effect in app.handle(Event::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE))) {
        if let Effect::Draft(op) = effect {
            drafts.apply(&mut app, op);
        }
    }
    let screen = text(&draw(&mut app, 110, 34, COLOR));
    assert!(
        screen.contains("changed on disk since this draft was made"),
        "{screen}"
    );
    assert!(screen.contains("threats picked: terrorism"), "{screen}");
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(app.pack.meeting.title, "Informal summit");
    assert_eq!(app.pack.selection.threats, ["terrorism"]);
    assert_eq!(app.pack.selection.partners, ["un"]);
    assert!(app.dirty);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs, "not saved yet");
    ctrl(&mut app, 's');
    assert!(app.clash().is_none() && !app.dirty, "{}", message(&app));
}

#[test]
fn a_build_never_writes_over_the_pack_or_a_file_briefpack_did_not_make() {
    let dir = tempfile::tempdir().unwrap();
    // A pack saved as x.pdf: `b` would build x.pdf, the pack itself.
    let path = dir.path().join("x.pdf");
    let mut app = opened(&path, ON_DISK);
    press(&mut app, KeyCode::Char('b'));
    assert!(app.building.is_none());
    assert!(message(&app).contains("is the pack itself"), "{}", message(&app));
    press(&mut app, KeyCode::Enter);
    assert!(app.building.is_none());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), ON_DISK);
    press(&mut app, KeyCode::Esc);

    // Someone's PDF where the memo would go: asked, and replaced only on Enter.
    let path = dir.path().join("summit.toml");
    let theirs = dir.path().join("summit.pdf");
    std::fs::write(&theirs, b"%PDF-1.7\n% the signed minutes\n").unwrap();
    let mut app = opened(&path, ON_DISK);
    press(&mut app, KeyCode::Char('b'));
    assert!(app.building.is_none());
    assert!(
        message(&app).contains("exists and was not made by briefpack"),
        "{}",
        message(&app)
    );
    press(&mut app, KeyCode::Esc);
    assert!(std::fs::read(&theirs)
        .unwrap()
        .starts_with(b"%PDF-1.7\n% the signed"));
    press(&mut app, KeyCode::Char('b'));
    press(&mut app, KeyCode::Enter);
    assert!(message(&app).starts_with("Built"), "{}", message(&app));
    // Now it is briefpack's own: `b` rebuilds it without a question.
    press(&mut app, KeyCode::Char('b'));
    assert!(app.prompt().is_none());
    assert!(message(&app).starts_with("Built"), "{}", message(&app));
}

#[test]
fn the_header_field_being_typed_is_in_the_draft_and_reopens_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path().join("state"));
    let key = DraftKey::New("typing".into());
    let mut app = app();
    let mut drafts = Autosave::new(store.clone(), key.clone(), &app);
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "Informal summit in Astna");
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Left);
    drafts.observe(&app, Instant::now());
    assert!(app.unsaved(), "typed text is unsaved work");
    // The link drops here: the loop's last act is the flush.
    let file = drafts.flush(&app).unwrap().expect("a draft");
    assert!(file.exists());

    let mut next = app_with_offer(&store, &key);
    press(&mut next, KeyCode::Char('r'));
    assert_eq!(next.screen, Screen::Form);
    let input = next.editing().cloned().expect("the field is open");
    assert_eq!(input.text, "Informal summit in Astna");
    assert_eq!(input.cursor, 22);
    // Typing goes on where it stopped.
    keys(&mut next, "a");
    press(&mut next, KeyCode::Enter);
    assert_eq!(next.pack.meeting.title, "Informal summit in Astana");
}

fn app_with_offer(store: &Store, key: &DraftKey) -> App {
    let (offered, _) = autosave::offer(store, key);
    let mut app = app();
    app.offer_drafts(offered);
    let screen = text(&draw(&mut app, 100, 30, COLOR));
    assert!(screen.contains("typing in Meeting title"), "{screen}");
    app
}

#[test]
fn with_nothing_unsaved_quitting_leaves_no_draft() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path().join("state"));
    let mut app = app();
    let mut drafts = Autosave::new(store.clone(), DraftKey::New("n".into()), &app);
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "x");
    drafts.observe(&app, Instant::now());
    drafts.flush(&app).unwrap();
    assert_eq!(store.list().unwrap().0.len(), 1);
    press(&mut app, KeyCode::Esc);
    assert!(!app.unsaved());
    assert_eq!(drafts.flush(&app).unwrap(), None);
    assert!(store.list().unwrap().0.is_empty());
}

/// The dialog opens over a header field being typed (a restored draft's) and
/// closes back onto it: the field, its text and its cursor wait beneath.
#[test]
fn the_clash_dialog_waits_over_a_field_being_typed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path().join("state"));
    let path = dir.path().join("summit.toml");
    let key = DraftKey::for_path(&path);
    let mut earlier = DraftWriter::new(store.clone(), key.clone());
    earlier.set_base(Some(ON_DISK.to_owned()));
    earlier.changed(
        Work {
            pack: pack::parse(ON_DISK, "pack", &library()).unwrap().pack,
            typing: Some(crate::draft::Typing {
                place: crate::draft::TypingPlace::Header,
                target: crate::pack::Field::MeetingTitle.key().to_owned(),
                texts: vec!["Summit in Astna".into()],
                focus: 0,
                cursor: 13,
            }),
        },
        Instant::now(),
    );
    earlier.flush().unwrap();
    drop(earlier);
    std::fs::write(&path, ON_DISK).unwrap();
    let theirs = saved_elsewhere(&path);
    let mut app = opened(&path, &theirs);
    app.offer_drafts(autosave::offer(&store, &key).0);
    press(&mut app, KeyCode::Char('r'));
    assert!(app.clash().is_some());
    // Beneath the dialog, the form shows the field being typed.
    assert_eq!(app.editing().map(|i| i.text.as_str()), Some("Summit in Astna"));
    let screen = text(&draw(&mut app, 110, 34, COLOR));
    assert!(screen.contains("The pack changed on disk"), "{screen}");
    // Typing goes to the dialog, not the field.
    keys(&mut app, "x");
    assert_eq!(app.editing().map(|i| i.text.as_str()), Some("Summit in Astna"));
    press(&mut app, KeyCode::Esc);
    assert!(app.clash().is_none());
    keys(&mut app, "a");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.pack.meeting.title, "Summit in Astana");
}

/// `?` lists the keys of the dialogs that open by themselves.
#[test]
fn help_lists_the_clash_and_abandon_keys() {
    let mut app = app();
    keys(&mut app, "?");
    let mut shown = String::new();
    for _ in 0..4 {
        shown.push_str(&text(&draw(&mut app, 120, 40, COLOR)));
        keys(&mut app, "jjjjjjjjjjjjjjjjjjjj");
    }
    for needle in [
        "When the pack's file changed under this session:",
        "reload the file and re-apply your changes",
        "overwrite the file with your version",
        "When no draft can be kept on quitting:",
        "quit and LOSE the changes",
    ] {
        assert!(shown.contains(needle), "{needle:?} missing:\n{shown}");
    }
}

#[test]
fn when_no_draft_can_be_written_quitting_offers_to_lose_the_changes() {
    let dir = tempfile::tempdir().unwrap();
    // The state directory is a file: no draft can ever be written.
    let state = dir.path().join("state");
    std::fs::write(&state, "not a directory").unwrap();
    let mut app = app();
    let mut drafts = Autosave::new(Store::at(&state), DraftKey::New("q".into()), &app);
    keys(&mut app, " ");
    // What the run loop does with q q.
    let quit_once = |app: &mut App, drafts: &mut Autosave| {
        let mut effects = app.handle(key('q'));
        effects.extend(app.handle(key('q')));
        assert!(matches!(effects.as_slice(), [Effect::Quit]), "{effects:?}");
        let e = drafts.flush(app).unwrap_err();
        app.cannot_keep_draft(&format!("{e:#}"));
    };
    quit_once(&mut app, &mut drafts);
    let screen = text(&draw(&mut app, 200, 30, COLOR));
    assert!(screen.contains("y quits and LOSES the changes"), "{screen}");
    // At 80 columns the choice is on the keys line, whatever the reason's length.
    let narrow = text(&draw(&mut app, 80, 24, COLOR));
    assert!(narrow.contains("y quit and LOSE the changes"), "{narrow}");
    // Any other key stays, with the changes.
    assert!(app.handle(key('x')).is_empty());
    assert_eq!(app.pack.selection.threats, ["terrorism"]);
    assert!(message(&app).starts_with("Still here"), "{}", message(&app));
    // y right after the offer, and only then, quits.
    assert!(app.handle(key('y')).is_empty());
    quit_once(&mut app, &mut drafts);
    assert!(matches!(app.handle(key('y')).as_slice(), [Effect::Abandon]));
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn a_pack_without_comments_is_still_saved_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.toml");
    let text = Pack::new().to_toml().unwrap();
    let mut app = opened(&path, &text);
    keys(&mut app, " ");
    ctrl(&mut app, 's');
    assert!(!app.dirty, "{}", message(&app));
    let saved = pack::load(&path, &library()).unwrap().pack;
    assert_eq!(saved, app.pack);
}
