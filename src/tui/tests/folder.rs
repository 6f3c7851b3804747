//! `r` with the library built into the program: a folder prompt with Tab
//! completion, the review screen on the chosen checkout, the folder remembered.

use super::*;
use crate::config::Config;

/// A directory holding `data-checkout/`, a copy of the shipped library, and
/// `not-a-library/`.
fn checkouts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data-checkout");
    std::fs::create_dir_all(&data).unwrap();
    for entry in std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), data.join(entry.file_name())).unwrap();
    }
    std::fs::create_dir(dir.path().join("not-a-library")).unwrap();
    dir
}

#[test]
fn r_on_the_built_in_library_asks_for_a_checkout_completes_it_and_remembers_it() {
    let dir = checkouts();
    let settings = dir.path().join("config").join("briefpack").join("config.toml");
    let mut app = app();
    app.settings = Some((settings.clone(), Config::default()));
    keys(&mut app, "r");
    assert_eq!(app.screen, Screen::Browse);
    let screen = text(&draw(&mut app, 80, 24, COLOR));
    assert!(screen.contains("Library checkout to review:"), "{screen}");
    assert!(screen.contains("Tab complete"), "{screen}");
    // A folder that holds no library is refused, and the prompt stays.
    keys(&mut app, &format!("{}/not", dir.path().display()));
    press(&mut app, KeyCode::Tab);
    assert_eq!(
        app.prompt().unwrap().input.text,
        format!("{}/not-a-library/", dir.path().display())
    );
    press(&mut app, KeyCode::Enter);
    let m = app.message.clone().unwrap();
    assert!(m.error && m.text.contains("is not a library checkout"), "{m:?}");
    assert!(app.prompt().is_some());
    // Back to the parent and on to the checkout, by Tab.
    ctrl(&mut app, 'u');
    keys(&mut app, &format!("{}/da", dir.path().display()));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Review);
    let screen = text(&draw(&mut app, 120, 40, COLOR));
    assert!(screen.contains("Reviewing the library in"), "{screen}");
    assert!(!screen.contains("needs a library checkout"), "{screen}");
    // Remembered, for the next start.
    let saved = Config::load(&settings).unwrap();
    let checkout = dir.path().join("data-checkout").canonicalize().unwrap();
    assert_eq!(saved.library.as_deref(), Some(checkout.as_path()));
    // Next time, `r` starts from the remembered folder.
    let mut next = super::app();
    next.settings = Some((settings, saved));
    keys(&mut next, "r");
    assert_eq!(next.prompt().unwrap().input.text, checkout.display().to_string());
    press(&mut next, KeyCode::Esc);
    assert!(next.prompt().is_none() && next.screen == Screen::Browse);
}

/// With no `--reviewer`, `$BRIEFPACK_REVIEWER` or name in the settings, the
/// first stamp asks who is reviewing (not the login name: a desk may share one),
/// stamps with the answer and keeps it in the settings.
#[test]
fn the_first_stamp_asks_the_reviewers_name_once_and_the_settings_keep_it() {
    if std::env::var_os("BRIEFPACK_REVIEWER").is_some() {
        return; // The variable names the reviewer; nothing to ask.
    }
    let dir = checkouts();
    let data = dir.path().join("data-checkout");
    let settings = dir.path().join("config.toml");
    let mut app = app();
    app.settings = Some((settings.clone(), Config::default()));
    app.review_setup = Some(crate::tui::review::Setup::today(
        crate::library::DataSource::Dir(data.clone()),
        crate::review::Policy::default(),
        None,
        None,
    ));
    keys(&mut app, "r");
    assert_eq!(app.screen, Screen::Review);
    let id = app.review.as_ref().unwrap().current_id().unwrap();
    keys(&mut app, "a");
    let screen = text(&draw(&mut app, 100, 30, COLOR));
    assert!(screen.contains("Who is reviewing?"), "{screen}");
    let before = std::fs::read_to_string(data.join("points.toml")).unwrap();
    press(&mut app, KeyCode::Enter);
    assert_eq!(std::fs::read_to_string(data.join("points.toml")).unwrap(), before);
    keys(&mut app, "Anna Petrova");
    press(&mut app, KeyCode::Enter);
    let after = std::fs::read_to_string(data.join("points.toml")).unwrap();
    let block = &after[after.find(&format!("id = \"{id}\"")).unwrap()..];
    let block = &block[..block.find("[[points]]").unwrap_or(block.len())];
    assert!(block.contains("reviewer = \"Anna Petrova\""), "{block}");
    assert_eq!(
        Config::load(&settings).unwrap().reviewer.as_deref(),
        Some("Anna Petrova")
    );
    // The next stamp does not ask again.
    keys(&mut app, "a");
    let screen = text(&draw(&mut app, 100, 30, COLOR));
    assert!(!screen.contains("Who is reviewing?"), "{screen}");
}
