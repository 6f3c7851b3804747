//! The restore offer and the autosave, driven key by key as the run loop drives
//! them, against a drafts store in a temporary directory.

use super::{app, draw, keys, press, send, text, COLOR};
use crate::draft::{DraftKey, Store};
use crate::pack::{Field, Pack, MAX_SELECTION};
use crate::tui::app::{App, Effect, Event};
use crate::tui::autosave::{self, Autosave};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;
use std::time::Instant;

/// Sends a key and carries out its effects on the store as the run loop does,
/// then lets the autosave see the result. Returns whether it asked to quit.
fn drive(app: &mut App, drafts: &mut Autosave, code: KeyCode) -> bool {
    let mut quit = false;
    for effect in app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))) {
        match effect {
            Effect::Quit => quit = true,
            Effect::Save(p) => {
                if app.save_to(&p) {
                    drafts.saved(app, &p);
                }
            }
            Effect::Draft(op) => drafts.apply(app, op),
            other => panic!("unexpected effect {other:?}"),
        }
    }
    drafts.observe(app, Instant::now());
    quit
}

fn summit() -> Pack {
    let mut p = Pack::new();
    p.meeting.title = "Informal summit in Astana".into();
    p.selection.threats = vec!["terrorism".into()];
    p.selection.points = vec!["channel-permanent".into(), "terror-toolkit".into()];
    p
}

fn app_at(path: Option<&Path>) -> App {
    let mut a = app();
    a.path = path.map(Path::to_path_buf);
    a
}

fn message(app: &App) -> String {
    app.message.as_ref().map(|m| m.text.clone()).unwrap_or_default()
}

#[test]
fn a_draft_of_the_pack_is_offered_with_what_and_when_and_restored() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path().join("state"));
    let path = dir.path().join("summit.toml");
    let key = DraftKey::for_path(&path);
    let earlier = chrono::Utc::now() - chrono::TimeDelta::minutes(5);
    store.save_at(&key, &summit(), earlier).unwrap();

    let (offered, note) = autosave::offer(&store, &key);
    assert_eq!(note, None);
    let mut app = app_at(Some(&path));
    app.offer_drafts(offered);
    let mut drafts = Autosave::new(store.clone(), key.clone(), &app);
    let screen = text(&draw(&mut app, 120, 30, COLOR));
    let DraftKey::Pack(canonical) = &key else {
        unreachable!()
    };
    for needle in [
        "Restore unsaved work?",
        &canonical.display().to_string(),
        "(5 minutes ago)",
        "1 threat, 2 points; “Informal summit in Astana”",
        "r restore  d discard  Esc keep for later",
    ] {
        assert!(screen.contains(needle), "{needle:?} missing:\n{screen}");
    }
    // The dialog is modal: Space does not pick behind it.
    drive(&mut app, &mut drafts, KeyCode::Char(' '));
    assert!(app.pack.selection.threats.is_empty());
    assert!(app.offer().is_some());

    drive(&mut app, &mut drafts, KeyCode::Char('r'));
    assert!(app.offer().is_none());
    assert_eq!(app.pack.to_toml().unwrap(), summit().to_toml().unwrap());
    assert!(app.dirty, "a restored draft is unsaved work");
    let screen = text(&draw(&mut app, 120, 30, COLOR));
    assert!(screen.contains("summit.toml [modified]"), "{screen}");
    assert!(
        screen.contains("Picked: 1 threat, 0 partners, 2 points"),
        "{screen}"
    );
    assert!(
        message(&app).starts_with("Restored the draft saved"),
        "{}",
        message(&app)
    );
    // The draft goes on: written again at once, so it is on disk throughout.
    let now_on_disk = store.find(&key).unwrap().unwrap();
    assert!(now_on_disk.saved > earlier);
    assert_eq!(now_on_disk.pack_toml, summit().to_toml().unwrap());
    assert_eq!(store.list().unwrap().0.len(), 1);

    // Saving the pack retires the draft.
    assert!(!drive(&mut app, &mut drafts, KeyCode::Char('q')), "q asks first");
    assert!(app.save_to(&path));
    drafts.saved(&mut app, &path);
    assert!(store.list().unwrap().0.is_empty());
}

#[test]
fn discarding_takes_a_second_d_and_keeping_never_loses_a_draft() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path().join("state"));
    let t = |min| chrono::Utc::now() - chrono::TimeDelta::minutes(min);
    let older = DraftKey::New("20260101T000000-1".into());
    let newer = DraftKey::New("20260102T000000-2".into());
    let mut small = Pack::new();
    small.selection.threats = vec!["cyber".into()];
    store.save_at(&older, &summit(), t(60)).unwrap();
    store.save_at(&newer, &small, t(1)).unwrap();
    let saved_pack = DraftKey::for_path(&dir.path().join("other.toml"));
    store.save_at(&saved_pack, &summit(), t(2)).unwrap();

    // A new session is offered the drafts of packs never saved, newest first.
    let session = DraftKey::new_pack();
    let (offered, note) = autosave::offer(&store, &session);
    assert_eq!(
        offered.iter().map(|d| d.key.clone()).collect::<Vec<_>>(),
        [newer.clone(), older.clone()]
    );
    assert!(note.is_some_and(|n| n.contains("1 draft of saved packs")));
    let mut app = app_at(None);
    app.offer_drafts(offered);
    let mut drafts = Autosave::new(store.clone(), session, &app);
    let screen = text(&draw(&mut app, 120, 30, COLOR));
    assert!(
        screen.contains("new pack (never saved)") && screen.contains("j/k choose"),
        "{screen}"
    );

    // One d only warns; another key takes it back.
    drive(&mut app, &mut drafts, KeyCode::Char('j'));
    drive(&mut app, &mut drafts, KeyCode::Char('d'));
    assert!(message(&app).contains("Press d again"));
    drive(&mut app, &mut drafts, KeyCode::Char('x'));
    drive(&mut app, &mut drafts, KeyCode::Char('d'));
    assert_eq!(store.list().unwrap().0.len(), 3, "nothing discarded yet");
    drive(&mut app, &mut drafts, KeyCode::Char('d'));
    let left: Vec<DraftKey> = store.list().unwrap().0.into_iter().map(|d| d.key).collect();
    assert_eq!(
        left,
        [newer.clone(), saved_pack.clone()],
        "the chosen (older) one went"
    );

    // Esc keeps the rest for later, untouched.
    drive(&mut app, &mut drafts, KeyCode::Esc);
    assert!(app.offer().is_none());
    assert!(message(&app).contains("kept for later"));
    assert_eq!(
        store.find(&newer).unwrap().unwrap().saved,
        store.list().unwrap().0[0].saved
    );
    assert_eq!(store.list().unwrap().0.len(), 2);
}

#[test]
fn a_draft_kept_for_later_survives_new_changes_to_the_same_pack() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path().join("state"));
    let path = dir.path().join("summit.toml");
    let key = DraftKey::for_path(&path);
    store.save(&key, &summit()).unwrap();
    let mut app = app_at(Some(&path));
    app.offer_drafts(autosave::offer(&store, &key).0);
    let mut drafts = Autosave::new(store.clone(), key.clone(), &app);
    drive(&mut app, &mut drafts, KeyCode::Esc);
    // A change in this session is drafted under the pack's key...
    drive(&mut app, &mut drafts, KeyCode::Char(' '));
    drafts.flush(&app).unwrap();
    let (list, problems) = store.list().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    // ...next to the kept one, which is unchanged; both are offered next time.
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|d| d.key == key));
    assert!(list.iter().any(|d| d.pack_toml == summit().to_toml().unwrap()));
    let (offered, _) = autosave::offer(&store, &key);
    assert_eq!(offered.len(), 2);

    // Restoring the kept one sets the other aside, then moves the kept one into
    // the pack's own draft file.
    let mut app = app_at(Some(&path));
    app.offer_drafts(offered);
    let mut drafts = Autosave::new(store.clone(), key.clone(), &app);
    let kept_at = app
        .offer()
        .unwrap()
        .items
        .iter()
        .position(|i| i.draft.pack_toml == summit().to_toml().unwrap())
        .unwrap();
    for _ in 0..kept_at {
        drive(&mut app, &mut drafts, KeyCode::Char('j'));
    }
    drive(&mut app, &mut drafts, KeyCode::Enter);
    assert_eq!(app.pack.to_toml().unwrap(), summit().to_toml().unwrap());
    assert_eq!(store.list().unwrap().0.len(), 2, "both still on disk");
    assert_eq!(
        store.find(&key).unwrap().unwrap().pack_toml,
        summit().to_toml().unwrap()
    );
}

#[test]
fn every_change_to_the_pack_reaches_the_draft_and_saving_retires_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path().join("state"));
    let key = DraftKey::New("session".into());
    let mut app = app();
    let mut drafts = Autosave::new(store.clone(), key.clone(), &app);
    let drafted = |store: &Store| {
        let d = store.find(&key).unwrap().expect("a draft");
        crate::pack::parse(&d.pack_toml, "draft", &app_lib())
            .unwrap()
            .pack
    };
    assert_eq!(
        drafts.timeout(Instant::now()),
        None,
        "nothing to write: no wake-ups"
    );

    // Selection.
    drive(&mut app, &mut drafts, KeyCode::Char(' '));
    let wait = drafts.timeout(Instant::now()).expect("a deadline");
    assert!(wait <= crate::draft::DEBOUNCE);
    drafts.flush(&app).unwrap();
    assert_eq!(drafted(&store).selection.threats, ["terrorism"]);
    // Moving and looking around change nothing.
    for k in [
        KeyCode::Char('j'),
        KeyCode::Tab,
        KeyCode::Char('p'),
        KeyCode::BackTab,
    ] {
        drive(&mut app, &mut drafts, k);
    }
    assert_eq!(drafts.timeout(Instant::now()), None);
    // Order.
    drive(&mut app, &mut drafts, KeyCode::Char(' '));
    drive(&mut app, &mut drafts, KeyCode::Char('K'));
    assert!(drafts.timeout(Instant::now()).is_some());
    drafts.flush(&app).unwrap();
    assert_eq!(
        drafted(&store).selection.threats,
        ["drug-trafficking", "terrorism"]
    );
    // A header field typed in the form.
    drive(&mut app, &mut drafts, KeyCode::Char('e'));
    drive(&mut app, &mut drafts, KeyCode::Enter);
    keys(&mut app, "Summit");
    drive(&mut app, &mut drafts, KeyCode::Enter);
    assert!(drafts.timeout(Instant::now()).is_some());
    drafts.flush(&app).unwrap();
    assert_eq!(drafted(&store).meeting.title, "Summit");
    // A field edited in $EDITOR comes back as an event.
    assert!(app
        .handle(Event::Edited(Field::Proposals, Ok("One\nTwo".into())))
        .is_empty());
    drafts.observe(&app, Instant::now());
    assert!(drafted(&store).memo.proposals.is_empty(), "not yet due");
    drafts.tick(&mut app, Instant::now() + crate::draft::DEBOUNCE);
    assert_eq!(drafted(&store).memo.proposals, ["One", "Two"]);

    // Saving (through the prompt) removes the draft; the next change is drafted
    // under the saved pack's path.
    drive(&mut app, &mut drafts, KeyCode::Esc);
    send(&mut app, KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    send(&mut app, KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    let saved = dir.path().join("brief.toml");
    keys(&mut app, &saved.display().to_string());
    drive(&mut app, &mut drafts, KeyCode::Enter);
    assert!(saved.exists(), "{:?}", app.message);
    assert!(store.list().unwrap().0.is_empty());
    drive(&mut app, &mut drafts, KeyCode::Char(' '));
    drafts.flush(&app).unwrap();
    assert!(store.find(&DraftKey::for_path(&saved)).unwrap().is_some());
}

fn app_lib() -> crate::library::Library {
    super::library()
}

#[test]
fn quitting_with_changes_says_they_stay_in_a_draft() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    let mut app = app();
    let mut drafts = Autosave::new(store.clone(), DraftKey::New("q".into()), &app);
    drive(&mut app, &mut drafts, KeyCode::Char(' '));
    // Ctrl-C is a key in raw mode; it behaves as q.
    assert!(!send(
        &mut app,
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
    ));
    assert!(
        message(&app).contains("keep them as a draft"),
        "{}",
        message(&app)
    );
    assert!(press(&mut app, KeyCode::Char('q')));
    let file = drafts.flush(&app).unwrap().expect("unsaved work has a draft");
    assert!(file.exists());
}

#[test]
fn picking_stops_at_the_selection_limit() {
    let mut app = app();
    app.pack.selection.threats = vec!["terrorism".into()];
    app.pack.selection.points = (1..MAX_SELECTION).map(|i| format!("p{i}")).collect();
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.pack.selection.threats, ["terrorism"]);
    assert!(message(&app).contains("at most 2000 items"), "{}", message(&app));
    assert!(app.message.as_ref().unwrap().error);
    // Unpicking is always possible.
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Char(' '));
    assert!(app.pack.selection.threats.is_empty());
}
