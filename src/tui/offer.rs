//! The dialog shown at start when unsaved work from an earlier session is in the
//! drafts store: what it is, when it was saved, what it holds, and the choice to
//! restore it, discard it, or keep it for later. Nothing is lost by any key but a
//! confirmed discard.

use super::app::{App, Effect, Layer};
use super::keymap::Cmd;
use crate::draft::Draft;
use chrono::{DateTime, Utc};

/// What the run loop does with the store once the user chose (see `autosave.rs`).
#[derive(Debug)]
pub enum DraftOp {
    /// The draft's pack is now the pack being edited; the draft goes on under the
    /// session's key.
    Restored(Box<Draft>),
    Discard(Box<Draft>),
    /// The offer closed with the drafts left untouched.
    Keep,
}

/// One draft as the dialog shows it.
#[derive(Clone, Debug)]
pub struct Offered {
    pub draft: Draft,
    pub what: String,
    pub when: String,
    /// Who wrote it, and whether that session may still be open.
    pub who: String,
    pub summary: String,
}

#[derive(Clone, Debug)]
pub struct Offer {
    pub items: Vec<Offered>,
    pub cursor: usize,
    /// `d` was pressed once; a second `d` discards.
    pub discard_armed: bool,
}

impl Offer {
    /// `None` when there is nothing to offer.
    pub(crate) fn new(drafts: Vec<Draft>, now: DateTime<Utc>) -> Option<Offer> {
        if drafts.is_empty() {
            return None;
        }
        let items = drafts
            .into_iter()
            .map(|d| Offered {
                what: d.what(),
                when: d.when(now),
                who: d.who(),
                summary: d.summary(),
                draft: d,
            })
            .collect();
        Some(Offer {
            items,
            cursor: 0,
            discard_armed: false,
        })
    }
}

const DISCARD_WARNING: &str = "Press d again to discard this draft for good; any other key keeps it.";

impl App {
    /// Opens the restore dialog on these drafts (newest first), if any.
    pub(crate) fn offer_drafts(&mut self, drafts: Vec<Draft>) {
        if let Some(offer) = Offer::new(drafts, Utc::now()) {
            self.layer = Layer::Offer(offer);
        }
    }

    pub(super) fn offer_key(&mut self, cmd: Option<Cmd>) -> Vec<Effect> {
        let Layer::Offer(offer) = &mut self.layer else {
            return Vec::new();
        };
        let armed = std::mem::take(&mut offer.discard_armed);
        if armed && self.message.as_ref().is_some_and(|m| m.text == DISCARD_WARNING) {
            self.message = None;
        }
        let last = offer.items.len().saturating_sub(1);
        match cmd {
            Some(Cmd::Move(m)) => offer.cursor = offer.cursor.saturating_add_signed(m.delta(1)).min(last),
            Some(Cmd::Restore) => return self.restore_offered(),
            Some(Cmd::Discard) if armed => {
                let i = offer.cursor.min(last);
                let item = offer.items.remove(i);
                offer.cursor = offer.cursor.min(offer.items.len().saturating_sub(1));
                if offer.items.is_empty() {
                    self.layer = Layer::None;
                }
                self.info(format!("Discarded the draft of {}.", clean(&item.what)));
                return vec![Effect::Draft(DraftOp::Discard(Box::new(item.draft)))];
            }
            Some(Cmd::Discard) => {
                offer.discard_armed = true;
                self.error(DISCARD_WARNING);
            }
            Some(Cmd::Keep) => {
                let n = offer.items.len();
                self.layer = Layer::None;
                self.info(if n == 1 {
                    "Draft kept for later: briefpack offers it next time; `briefpack drafts` lists it."
                        .to_owned()
                } else {
                    format!("{n} drafts kept for later: `briefpack drafts` lists them.")
                });
                return vec![Effect::Draft(DraftOp::Keep)];
            }
            _ => {}
        }
        Vec::new()
    }

    fn restore_offered(&mut self) -> Vec<Effect> {
        let Some(offer) = self.offer() else {
            return Vec::new();
        };
        let Some(item) = offer.items.get(offer.cursor) else {
            return Vec::new();
        };
        match item.draft.pack(&self.lib) {
            Ok(opened) => {
                let item = item.clone();
                let others = offer.items.len() - 1;
                self.layer = Layer::None;
                let before = std::mem::replace(&mut self.pack, opened.pack);
                self.changed(before, "restoring the draft".to_owned());
                self.refresh_all();
                if let Some(t) = &item.draft.typing {
                    self.resume_typing(t);
                }
                let warn = match opened.warnings.len() {
                    0 => String::new(),
                    n => format!(
                        " {n} warning{}: {}",
                        if n == 1 { "" } else { "s" },
                        opened.warnings[0]
                    ),
                };
                let kept = match others {
                    0 => String::new(),
                    n => format!(" {n} other draft{} kept.", if n == 1 { "" } else { "s" }),
                };
                let copied = if item.draft.maybe_open() {
                    " Its session may still be open, so its own draft stays."
                } else {
                    ""
                };
                self.info(format!(
                    "Restored the draft saved {}; Ctrl-S saves it.{copied}{kept}{warn}",
                    item.when
                ));
                // The draft's changes were made to the file as it was then: if it
                // changed since, the user chooses how to bring them together.
                if let (Some(base), Some(now)) = (&item.draft.base, &self.disk) {
                    if base != now {
                        let (base, now) = (base.clone(), now.clone());
                        self.open_clash(super::clash::ClashFor::Restore, Some(base), now);
                    }
                }
                vec![Effect::Draft(DraftOp::Restored(Box::new(item.draft)))]
            }
            Err(e) => {
                // The library may have changed since: say why, keep the draft.
                self.error(format!(
                    "Cannot restore this draft: {e:#}. It is kept; `briefpack drafts restore` writes it to a file."
                ));
                Vec::new()
            }
        }
    }
}

fn clean(s: &str) -> String {
    crate::clean::line(s).into_owned()
}
