//! `F`: one search over the three tabs at once, its matches grouped under their
//! kind with counts, exact ones first in each; Enter goes to the match in its
//! tab. A tab's view (picked only, linked only, a kind, status or tag) still
//! narrows what is searched there, and its group says so.

use super::app::{App, Layer};
use super::input::LineInput;
use super::keymap::{self, Cmd};
use super::list::{self, Filters, Pane, Row};
use crossterm::event::KeyEvent;

#[derive(Clone, Debug, Default)]
pub struct FindAll {
    pub input: LineInput,
    /// Per tab, in tab order: its matches as the tab would list them.
    pub groups: [Vec<Row>; 3],
    /// Position among all the matches, counted across the groups in order.
    pub cursor: usize,
    /// First line shown; kept by the view so the cursor stays visible.
    pub offset: usize,
}

impl FindAll {
    pub(crate) fn total(&self) -> usize {
        self.groups.iter().map(Vec::len).sum()
    }

    /// The `n`th match across the groups, with its tab.
    pub(crate) fn at(&self, mut n: usize) -> Option<(Pane, Row)> {
        for (pane, rows) in Pane::ALL.iter().zip(&self.groups) {
            match rows.get(n) {
                Some(row) => return Some((*pane, *row)),
                None => n -= rows.len(),
            }
        }
        None
    }
}

/// A pane's filters with `query` in place of its own: what `F` searches there.
fn searched(filters: &Filters, query: &str) -> Filters {
    Filters {
        query: query.to_owned(),
        ..filters.clone()
    }
}

impl App {
    pub(super) fn open_find_all(&mut self) {
        self.layer = Layer::FindAll(Box::default());
        self.message = None;
    }

    pub(super) fn find_all_key(&mut self, key: KeyEvent) {
        let Layer::FindAll(find) = &mut self.layer else {
            return;
        };
        match keymap::lookup(&[keymap::FIND_ALL], &key) {
            Some(Cmd::Cancel) => self.layer = Layer::None,
            Some(Cmd::Move(m)) => {
                let last = find.total().saturating_sub(1);
                find.cursor = find.cursor.saturating_add_signed(m.delta(10)).min(last);
            }
            Some(Cmd::Accept) => {
                let chosen = find.at(find.cursor);
                self.layer = Layer::None;
                if let Some((pane, row)) = chosen {
                    self.go_to(pane, row.index);
                }
            }
            _ => {
                if find.input.key(key) {
                    let query = find.input.text.clone();
                    let groups = Pane::ALL.map(|pane| {
                        let f = searched(&self.panes[pane.index()].filters, &query);
                        if f.query.trim().is_empty() {
                            return Vec::new();
                        }
                        list::rows_with(&self.lib, self.haystacks.get(), pane, &f, &self.pack.selection)
                    });
                    if let Layer::FindAll(find) = &mut self.layer {
                        find.groups = groups;
                        find.cursor = 0;
                        find.offset = 0;
                    }
                }
            }
        }
    }

    /// Focuses `pane` with its record `index` under the cursor. The search ran
    /// with the tab's own view, so only the tab's own `/` can hide the record:
    /// then that is cleared, and the message says so.
    fn go_to(&mut self, pane: Pane, index: usize) {
        self.focus = pane;
        let find = |app: &App| app.pane().rows.iter().position(|r| r.index == index);
        let mut at = find(self);
        if at.is_none() && !self.pane().filters.query.is_empty() {
            self.panes[pane.index()].filters.query.clear();
            self.refresh_pane(pane);
            at = find(self);
            self.info(format!(
                "The {} tab's own search was cleared to show this item.",
                pane.title().to_lowercase()
            ));
        }
        if let Some(at) = at {
            self.panes[pane.index()].cursor = at;
        }
        self.focus_pane(pane);
    }
}
