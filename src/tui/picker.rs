//! `f`, `s` and `t` choose from a list that narrows as one types, rather than
//! stepping through the values a key press at a time (the library has over a
//! hundred tags).

use super::app::{App, Layer};
use super::input::LineInput;
use super::keymap::{self, Cmd};
use super::list::Pane;
use crate::library::Status;
use crossterm::event::KeyEvent;

/// What is being chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickFor {
    Kind,
    Status,
    Tag,
}

#[derive(Clone, Debug)]
pub struct Picker {
    pub what: PickFor,
    /// Every value, "any" (no filter) first.
    pub options: Vec<String>,
    pub input: LineInput,
    /// Position in `shown()`.
    pub cursor: usize,
}

/// The first option: no filter.
pub const ANY: &str = "any (no filter)";

impl Picker {
    /// The options that hold what is typed (case aside), by their index.
    pub fn shown(&self) -> Vec<usize> {
        let typed = self.input.text.trim().to_lowercase();
        (0..self.options.len())
            .filter(|&i| i == 0 || typed.is_empty() || self.options[i].to_lowercase().contains(&typed))
            .collect()
    }

    pub fn title(&self) -> &'static str {
        match self.what {
            PickFor::Kind => "Filter by kind",
            PickFor::Status => "Filter by status",
            PickFor::Tag => "Filter by tag",
        }
    }
}

impl App {
    /// Opens the list of `what`'s values for the focused pane, on the current one.
    pub(super) fn open_picker(&mut self, what: PickFor) {
        let pane = self.focus;
        if what != PickFor::Kind && pane != Pane::Points {
            self.info("Status (s) and tag (t) filter the points; f filters any pane by kind.");
            return;
        }
        let f = &self.pane().filters;
        let mut options = vec![ANY.to_owned()];
        let current = match what {
            PickFor::Kind => {
                options.extend(pane.kind_choices().into_iter().map(str::to_owned));
                f.kind.map(|k| k + 1)
            }
            PickFor::Status => {
                options.extend(Status::ALL.iter().map(|s| s.label().to_owned()));
                f.status
                    .and_then(|s| Status::ALL.iter().position(|x| *x == s))
                    .map(|i| i + 1)
            }
            PickFor::Tag => {
                let tags = self.lib.point_tags();
                let at = f.tag.as_deref().and_then(|t| tags.iter().position(|x| *x == t));
                options.extend(tags.into_iter().map(str::to_owned));
                at.map(|i| i + 1)
            }
        };
        self.layer = Layer::Pick(Picker {
            what,
            options,
            input: LineInput::new(""),
            cursor: current.unwrap_or(0),
        });
    }

    pub(super) fn picker_key(&mut self, key: KeyEvent) {
        let Layer::Pick(p) = &mut self.layer else {
            return;
        };
        match keymap::lookup(&[keymap::PICK], &key) {
            Some(Cmd::Cancel) => self.layer = Layer::None,
            Some(Cmd::Move(m)) => {
                let last = p.shown().len().saturating_sub(1);
                p.cursor = p.cursor.saturating_add_signed(m.delta(10)).min(last);
            }
            Some(Cmd::Accept) => {
                let chosen = p.shown().get(p.cursor).copied();
                let what = p.what;
                self.layer = Layer::None;
                if let Some(i) = chosen {
                    self.apply_pick(what, i);
                }
            }
            _ => {
                if p.input.key(key) {
                    p.cursor = 0;
                    // The first value that holds the text, not "any".
                    if p.shown().len() > 1 && !p.input.text.trim().is_empty() {
                        p.cursor = 1;
                    }
                }
            }
        }
    }

    /// Sets the filter to option `i` (0: none) and says what is shown.
    fn apply_pick(&mut self, what: PickFor, i: usize) {
        let pane = self.focus;
        let value = i.checked_sub(1);
        let tags = self.lib.point_tags();
        let f = &mut self.panes[pane.index()].filters;
        match what {
            PickFor::Kind => f.kind = value,
            PickFor::Status => f.status = value.and_then(|v| Status::ALL.get(v).copied()),
            PickFor::Tag => f.tag = value.and_then(|v| tags.get(v)).map(|t| (*t).to_owned()),
        }
        self.filters_changed(pane);
    }
}
