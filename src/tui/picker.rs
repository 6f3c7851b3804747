//! `f`, `s` and `t` (and the review screen's `c` and `o`) choose from a list
//! that narrows as one types, rather than stepping through the values a key
//! press at a time (the library has over a hundred tags).

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
    /// On the review screen: why a point is due, and whose it is.
    Reason,
    Owner,
}

/// What a key did in a picker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Picked {
    Stay,
    Cancel,
    /// The option at this index (0: "any").
    Chosen(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
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
            PickFor::Reason => "Filter by reason",
            PickFor::Owner => "Filter by owner",
        }
    }

    /// A list of `values` after "any", the cursor on `current` (an index into
    /// `values`) or on "any".
    pub fn new(what: PickFor, values: impl IntoIterator<Item = String>, current: Option<usize>) -> Picker {
        let mut options = vec![ANY.to_owned()];
        options.extend(values);
        Picker {
            what,
            options,
            input: LineInput::new(""),
            cursor: current.map_or(0, |i| i + 1),
        }
    }

    /// One key: the picker's table, or else typing that narrows the list.
    pub fn key(&mut self, key: KeyEvent) -> Picked {
        match keymap::lookup(&[keymap::PICK], &key) {
            Some(Cmd::Cancel) => return Picked::Cancel,
            Some(Cmd::Move(m)) => {
                let last = self.shown().len().saturating_sub(1);
                self.cursor = self.cursor.saturating_add_signed(m.delta(10)).min(last);
            }
            Some(Cmd::Accept) => {
                return self
                    .shown()
                    .get(self.cursor)
                    .map_or(Picked::Cancel, |&i| Picked::Chosen(i));
            }
            _ => {
                if self.input.key(key) {
                    self.cursor = 0;
                    // The first value that holds the text, not "any".
                    if self.shown().len() > 1 && !self.input.text.trim().is_empty() {
                        self.cursor = 1;
                    }
                }
            }
        }
        Picked::Stay
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
        let picker = match what {
            PickFor::Kind => Picker::new(what, pane.kind_choices().into_iter().map(str::to_owned), f.kind),
            PickFor::Status => Picker::new(
                what,
                Status::ALL.iter().map(|s| s.label().to_owned()),
                f.status.and_then(|s| Status::ALL.iter().position(|x| *x == s)),
            ),
            // Reason and owner are the review screen's.
            PickFor::Tag | PickFor::Reason | PickFor::Owner => {
                let tags = self.lib.point_tags();
                let at = f.tag.as_deref().and_then(|t| tags.iter().position(|x| *x == t));
                Picker::new(PickFor::Tag, tags.into_iter().map(str::to_owned), at)
            }
        };
        self.layer = Layer::Pick(picker);
    }

    pub(super) fn picker_key(&mut self, key: KeyEvent) {
        let Layer::Pick(p) = &mut self.layer else {
            return;
        };
        let what = p.what;
        match p.key(key) {
            Picked::Stay => {}
            Picked::Cancel => self.layer = Layer::None,
            Picked::Chosen(i) => {
                self.layer = Layer::None;
                self.apply_pick(what, i);
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
            PickFor::Reason | PickFor::Owner => {}
        }
        self.filters_changed(pane);
    }
}
