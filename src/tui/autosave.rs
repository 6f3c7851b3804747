//! The interface's side of drafts: what to offer at start, and keeping the draft
//! in step with the pack being edited. The rules (where drafts live, debounce,
//! private atomic writes) are in `crate::draft`; this only connects them to `App`.

use super::app::App;
use super::offer::DraftOp;
use crate::draft::{Draft, DraftKey, DraftWriter, Flusher, Store, Typing, Work};
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The drafts to offer when the interface opens `key`: those of that pack, or,
/// for a new pack, those of packs never saved. The second value is a note for the
/// status bar (drafts that could not be read, drafts of other packs).
pub(crate) fn offer(store: &Store, key: &DraftKey) -> (Vec<Draft>, Option<String>) {
    let (drafts, problems) = match store.list() {
        Ok(found) => found,
        Err(e) => return (Vec::new(), Some(format!("Cannot look for drafts: {e:#}."))),
    };
    let new_session = matches!(key, DraftKey::New(_));
    let (mine, others): (Vec<Draft>, Vec<Draft>) = drafts.into_iter().partition(|d| match key {
        DraftKey::Pack(_) => &d.key == key,
        DraftKey::New(_) => matches!(d.key, DraftKey::New(_)),
    });
    let note = if !problems.is_empty() {
        Some(format!(
            "{} draft file{} could not be read: `briefpack drafts` lists {}.",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            if problems.len() == 1 { "it" } else { "them" }
        ))
    } else if new_session && !others.is_empty() {
        Some(format!(
            "{} draft{} of saved packs: open the pack, or see `briefpack drafts`.",
            others.len(),
            if others.len() == 1 { "" } else { "s" }
        ))
    } else {
        None
    };
    (mine, note)
}

/// Keeps the draft of the pack being edited on disk: this session's own.
pub(crate) struct Autosave {
    auto: DraftWriter,
    store: Store,
    /// The app's generation last handed to the autosave.
    seen: u64,
    /// What was being typed when last handed over.
    seen_typing: Option<Typing>,
    /// The pack file's text last handed over as the draft's base.
    seen_base: Option<String>,
    /// The last autosave error shown, so a failing disk is reported once, not on
    /// every retry.
    failing: bool,
}

impl Autosave {
    pub(crate) fn new(store: Store, key: DraftKey, app: &App) -> Autosave {
        let mut auto = DraftWriter::new(store.clone(), key);
        auto.set_base(app.disk.clone());
        Autosave {
            auto,
            store,
            seen: app.generation(),
            seen_typing: None,
            seen_base: app.disk.clone(),
            failing: false,
        }
    }

    pub(crate) fn flusher(&self) -> Flusher {
        self.auto.flusher()
    }

    /// The file the draft of this session goes to.
    pub(crate) fn file(&self) -> PathBuf {
        self.auto.path()
    }

    /// Hands a changed pack, or changed typing, to the autosave. Called after
    /// every event, whatever it was, so no action can change the pack or what is
    /// typed without reaching the draft.
    pub(crate) fn observe(&mut self, app: &App, now: Instant) {
        if app.disk != self.seen_base {
            self.seen_base.clone_from(&app.disk);
            self.auto.set_base(app.disk.clone());
        }
        let typing = app.typing();
        if app.generation() != self.seen || typing != self.seen_typing {
            self.seen = app.generation();
            self.seen_typing.clone_from(&typing);
            self.auto.changed(
                Work {
                    pack: app.pack.clone(),
                    typing,
                },
                now,
            );
        }
    }

    /// Writes the draft when due. True when the status bar changed.
    pub(crate) fn tick(&mut self, app: &mut App, now: Instant) -> bool {
        match self.auto.tick(now) {
            Ok(true) if std::mem::take(&mut self.failing) => {
                app.info("The draft is saved again.");
                true
            }
            Ok(_) => false,
            Err(e) => {
                // It retries by itself; say so once.
                if !self.failing {
                    self.failing = true;
                    app.error(format!(
                        "Cannot save the draft ({e:#}); retrying. Ctrl-S saves the pack."
                    ));
                    return true;
                }
                false
            }
        }
    }

    /// How long the loop may wait before `tick` has work: `None` when nothing is
    /// pending, so an idle interface sleeps.
    pub(crate) fn timeout(&self, now: Instant) -> Option<Duration> {
        self.auto.timeout(now)
    }

    /// Writes what is pending now (quit, suspend, editor, signal). Returns the
    /// draft's file when there are unsaved changes (so the user can be told
    /// where they are); with none, this session's draft is removed.
    pub(crate) fn flush(&mut self, app: &App) -> Result<Option<PathBuf>> {
        self.observe(app, Instant::now());
        if !app.unsaved() {
            self.auto.discard()?;
            return Ok(None);
        }
        self.auto.flush()?;
        Ok(Some(self.file()))
    }

    /// As `flush`, reporting an error in the status bar (before the interface
    /// steps aside for a suspend or an editor, where it must not stop them).
    pub(crate) fn flush_or_report(&mut self, app: &mut App) {
        if let Err(e) = self.flush(app) {
            app.error(format!("Cannot save the draft: {e:#}."));
        }
    }

    /// The pack was saved to `path`: this session's draft is no longer needed.
    pub(crate) fn saved(&mut self, app: &mut App, path: &Path) {
        // The saved pack holds every change so far.
        self.seen = app.generation();
        self.seen_base.clone_from(&app.disk);
        if let Err(e) = self.auto.pack_saved(path, app.disk.clone().unwrap_or_default()) {
            app.error(format!("Saved, but the old draft remains: {e:#}."));
        }
        // Text still being typed is not in the saved pack: it goes on in a draft.
        self.seen_typing = None;
        self.observe(app, Instant::now());
    }

    /// Carries out the choice made in the restore dialog.
    pub(crate) fn apply(&mut self, app: &mut App, op: DraftOp) {
        let result = match op {
            DraftOp::Restored(draft) => self.adopt(app, &draft),
            DraftOp::Discard(draft) => self.store.remove(&draft),
            // Every session writes a draft file of its own: the kept ones are safe.
            DraftOp::Keep => Ok(()),
        };
        if let Err(e) = result {
            app.error(format!("{e:#}."));
        }
    }

    /// The restored pack is written at once as this session's draft, and only
    /// then is the restored draft's own file removed, so at every moment the work
    /// is on disk at least once. The draft of a session that may still be open
    /// is left alone: that session goes on writing it.
    fn adopt(&mut self, app: &App, draft: &Draft) -> Result<()> {
        self.seen = app.generation().wrapping_sub(1);
        self.observe(app, Instant::now());
        self.auto.flush()?;
        if draft.file != self.file() && !draft.maybe_open() {
            self.store.remove(draft)?;
        }
        Ok(())
    }
}
