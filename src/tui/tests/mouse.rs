//! The mouse on the lists: tabs, rows, the pick box, the wheel.

use super::*;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    app.handle(Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

fn click(app: &mut App, column: u16, row: u16) {
    mouse(app, MouseEventKind::Down(MouseButton::Left), column, row);
}

/// Where `needle` is on the screen (column, row).
fn find(app: &mut App, needle: &str) -> (u16, u16) {
    let screen = text(&draw(app, 100, 30, COLOR));
    for (y, line) in screen.lines().enumerate() {
        if let Some(at) = line.find(needle) {
            let x = line[..at].chars().count();
            return (u16::try_from(x).unwrap(), u16::try_from(y).unwrap());
        }
    }
    panic!("{needle:?} not on screen:\n{screen}");
}

#[test]
fn a_click_focuses_a_tab_moves_to_a_row_and_on_its_box_picks_it() {
    let mut app = app();
    let (x, y) = find(&mut app, "3 Points");
    click(&mut app, x + 2, y);
    assert_eq!(app.focus, Pane::Points);
    // On the text of a row: the cursor goes there, nothing is picked.
    let (x, y) = find(&mut app, "Observer status");
    click(&mut app, x + 4, y);
    assert_eq!(app.current_id().unwrap(), "un-observer");
    assert!(app.pack.selection.points.is_empty());
    // On its box: picked, as Space would.
    let (x, y) = find(&mut app, "The Organization is not");
    click(&mut app, x - 3, y);
    assert_eq!(app.pack.selection.points.len(), 1);
    assert_eq!(app.current_id().unwrap(), app.pack.selection.points[0]);
    // Below the last row: nothing.
    let before = app.pane().cursor;
    click(&mut app, 5, 25);
    assert_eq!(app.pane().cursor, before);
}

#[test]
fn the_wheel_moves_through_the_list_and_scrolls_the_pane_beside_it() {
    let mut app = app();
    keys(&mut app, "3");
    let (x, y) = find(&mut app, "Observer status");
    mouse(&mut app, MouseEventKind::ScrollDown, x, y);
    assert_eq!(app.pane().cursor, 3);
    mouse(&mut app, MouseEventKind::ScrollUp, x, y);
    assert_eq!(app.pane().cursor, 0);
    let (x, y) = find(&mut app, "Briefing memo");
    mouse(&mut app, MouseEventKind::ScrollDown, x, y);
    assert_eq!(app.side_scroll, 3);
    assert_eq!(app.pane().cursor, 0);
}

#[test]
fn clicks_do_nothing_under_a_dialog() {
    let mut app = app();
    let (x, y) = find(&mut app, "International terrorism");
    keys(&mut app, "?");
    click(&mut app, x - 3, y);
    assert!(app.pack.selection.threats.is_empty());
    assert!(matches!(app.layer, Layer::Help { .. }));
}
