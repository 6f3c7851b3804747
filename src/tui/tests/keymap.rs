//! Every key on every main screen: whatever a key does, the screen's table (and so
//! `?` and the key line) must list it.

use super::*;
use crate::tui::keymap::{self, every_key};

/// The screens to try, each set up away from its edges so that moves show.
fn on(screen: &str) -> App {
    let mut app = app();
    keys(&mut app, "3jj");
    match screen {
        "browse" => {}
        "detail" => {
            press(&mut app, KeyCode::Enter);
        }
        "preview" => keys(&mut app, " jj vjj"),
        "form" => keys(&mut app, "ejj"),
        _ => unreachable!(),
    }
    app
}

#[test]
fn a_key_that_does_anything_is_in_the_screens_table_and_help() {
    for screen in ["browse", "detail", "preview", "form"] {
        let mut undocumented = Vec::new();
        for key in every_key() {
            let mut app = on(screen);
            assert!(matches!(app.layer, Layer::None), "{screen}");
            let before = text(&draw(&mut app, 100, 30, COLOR));
            let effects = app.handle(Event::Key(key));
            let after = text(&draw(&mut app, 100, 30, COLOR));
            let acted = !effects.is_empty() || before != after;
            let listed = keymap::lookup(&[app_table(screen), keymap::GLOBAL], &key).is_some();
            if acted && !listed {
                undocumented.push(format!(
                    "{:?}{}",
                    key.code,
                    if key.modifiers.is_empty() { "" } else { "+mod" }
                ));
            }
        }
        assert!(
            undocumented.is_empty(),
            "{screen}: keys that act but are not in help: {undocumented:?}"
        );
    }
}

fn app_table(screen: &str) -> &'static [keymap::Binding<keymap::Cmd>] {
    match screen {
        "browse" => keymap::BROWSE,
        "detail" => keymap::DETAIL,
        "preview" => keymap::PREVIEW,
        _ => keymap::FORM,
    }
}

/// The converse: what help lists, help shows (at a size where it fits once scrolled).
#[test]
fn every_binding_of_a_screen_is_on_its_help_overlay() {
    for screen in ["browse", "detail", "preview", "form"] {
        let mut app = on(screen);
        keys(&mut app, "?");
        let mut shown = String::new();
        for _ in 0..4 {
            shown.push_str(&text(&draw(&mut app, 120, 40, COLOR)));
            keys(&mut app, "jjjjjjjjjjjjjjjjjjjj");
        }
        for (k, what) in view::help::rows(&app) {
            assert!(
                shown.contains(&k) && shown.contains(what),
                "{screen}: {k} {what} missing"
            );
        }
    }
}
