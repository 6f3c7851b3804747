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
    /// On the review screen, several at once: a point's tags, its threats and partners.
    Tags,
    Links,
}

/// What a key did in a picker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Picked {
    Stay,
    Cancel,
    /// The option at this index (0: "any").
    Chosen(usize),
    /// Enter in a picker of several: the marked options are the answer.
    Done,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picker {
    pub what: PickFor,
    /// Every value, "any" (no filter) first.
    pub options: Vec<String>,
    pub input: LineInput,
    /// Position in `shown()`.
    pub cursor: usize,
    /// Choosing several (Space marks): which options are marked. `None` when
    /// choosing one value, with "any" first.
    pub marked: Option<Vec<bool>>,
}

/// The first option: no filter.
pub(crate) const ANY: &str = "any (no filter)";

impl Picker {
    /// The options that hold what is typed (case aside), by their index.
    pub(crate) fn shown(&self) -> Vec<usize> {
        let typed = self.input.text.trim().to_lowercase();
        let any_first = self.marked.is_none();
        (0..self.options.len())
            .filter(|&i| {
                (any_first && i == 0) || typed.is_empty() || self.options[i].to_lowercase().contains(&typed)
            })
            .collect()
    }

    pub(crate) fn title(&self) -> &'static str {
        match self.what {
            PickFor::Kind => "Filter by kind",
            PickFor::Status => "Filter by status",
            PickFor::Tag => "Filter by tag",
            PickFor::Reason => "Filter by reason",
            PickFor::Owner => "Filter by owner",
            PickFor::Tags => "Tags of the point",
            PickFor::Links => "Threats and partners of the point",
        }
    }

    /// A list of `values` to mark several of, those `marked` already marked.
    pub(crate) fn several(what: PickFor, values: Vec<String>, marked: Vec<bool>) -> Picker {
        Picker {
            what,
            options: values,
            input: LineInput::new(""),
            cursor: 0,
            marked: Some(marked),
        }
    }

    /// The marked options' indexes, in the list's order.
    pub(crate) fn marked_indexes(&self) -> Vec<usize> {
        self.marked
            .iter()
            .flat_map(|m| m.iter().enumerate().filter(|(_, on)| **on).map(|(i, _)| i))
            .collect()
    }

    /// A list of `values` after "any", the cursor on `current` (an index into
    /// `values`) or on "any".
    pub(crate) fn new(
        what: PickFor,
        values: impl IntoIterator<Item = String>,
        current: Option<usize>,
    ) -> Picker {
        let mut options = vec![ANY.to_owned()];
        options.extend(values);
        Picker {
            what,
            options,
            input: LineInput::new(""),
            cursor: current.map_or(0, |i| i + 1),
            marked: None,
        }
    }

    /// One key: the picker's table, or else typing that narrows the list.
    /// Choosing several, Space marks or unmarks the option under the cursor.
    pub(crate) fn key(&mut self, key: KeyEvent) -> Picked {
        if self.marked.is_some() && keymap::lookup(&[keymap::PICK_SEVERAL], &key) == Some(Cmd::Pick) {
            let at = self.shown().get(self.cursor).copied();
            if let Some(on) = at.and_then(|i| self.marked.as_mut()?.get_mut(i)) {
                *on = !*on;
            }
            return Picked::Stay;
        }
        match keymap::lookup(&[keymap::PICK], &key) {
            Some(Cmd::Cancel) => return Picked::Cancel,
            Some(Cmd::Move(m)) => {
                let last = self.shown().len().saturating_sub(1);
                self.cursor = self.cursor.saturating_add_signed(m.delta(10)).min(last);
            }
            Some(Cmd::Accept) if self.marked.is_some() => return Picked::Done,
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
                    if self.marked.is_none() && self.shown().len() > 1 && !self.input.text.trim().is_empty() {
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
            // The others are the review screen's.
            PickFor::Tag | PickFor::Reason | PickFor::Owner | PickFor::Tags | PickFor::Links => {
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
            Picked::Cancel | Picked::Done => self.layer = Layer::None,
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
            PickFor::Reason | PickFor::Owner | PickFor::Tags | PickFor::Links => {}
        }
        self.filters_changed(pane);
    }
}
