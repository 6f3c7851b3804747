//! The mouse on the lists: a click on a tab focuses its pane, a click on a row
//! moves the cursor there (on its `[ ]`, picks it too), the wheel moves through
//! the list or scrolls what is under it. The view records where it drew what
//! (`Hits`); only the plain lists answer, so a dialog or a field being typed is
//! never changed by a stray click.

use super::app::{App, Layer, Screen};
use super::list::Pane;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

/// Rows a wheel notch moves.
const WHEEL: isize = 3;

/// Where the last frame drew what a click can reach.
#[derive(Clone, Debug, Default)]
pub struct Hits {
    pub tabs: Vec<(Rect, Pane)>,
    /// The list's inner area, and for each of its screen rows the list row
    /// shown there (`None`: a heading or divider).
    pub list: Rect,
    pub rows: Vec<(u16, usize)>,
    /// The pane beside the list, or the full-screen text.
    pub side: Rect,
}

impl App {
    pub(super) fn mouse(&mut self, m: MouseEvent) {
        if !matches!(self.layer, Layer::None) {
            return;
        }
        let at = Position::new(m.column, m.row);
        let hits = &self.hits;
        match (self.screen, m.kind) {
            (Screen::Browse, MouseEventKind::Down(MouseButton::Left)) => {
                if let Some(pane) = hits.tabs.iter().find(|(r, _)| r.contains(at)).map(|(_, p)| *p) {
                    self.focus_pane(pane);
                    return;
                }
                if !hits.list.contains(at) {
                    return;
                }
                let Some(row) = hits.rows.iter().find(|(y, _)| *y == m.row).map(|(_, i)| *i) else {
                    return;
                };
                let on_box = m.column < hits.list.x + 3;
                let cursor = self.pane().cursor;
                self.move_cursor(row as isize - cursor as isize);
                if on_box {
                    self.toggle_current();
                }
            }
            (Screen::Browse, MouseEventKind::ScrollDown | MouseEventKind::ScrollUp) => {
                let down = m.kind == MouseEventKind::ScrollDown;
                if hits.side.contains(at) {
                    self.side_scroll = step(self.side_scroll, down);
                } else if hits.list.contains(at) {
                    self.move_cursor(if down { WHEEL } else { -WHEEL });
                }
            }
            (Screen::Detail, MouseEventKind::ScrollDown | MouseEventKind::ScrollUp) => {
                self.detail_scroll = step(self.detail_scroll, m.kind == MouseEventKind::ScrollDown);
            }
            (Screen::Preview, MouseEventKind::ScrollDown | MouseEventKind::ScrollUp) => {
                self.preview_scroll = step(self.preview_scroll, m.kind == MouseEventKind::ScrollDown);
            }
            _ => {}
        }
    }
}

/// A scroll position a wheel notch on (the view keeps it in range).
fn step(pos: u16, down: bool) -> u16 {
    if down {
        pos.saturating_add(WHEEL as u16)
    } else {
        pos.saturating_sub(WHEEL as u16)
    }
}
