//! The pack changed on disk under this session (another session saved it, or it
//! was edited by hand): on saving, or on restoring a draft made before that
//! change. The dialog shows what changed on each side and offers to reload the
//! file and re-apply this session's changes (a three-way merge, `pack::merge`),
//! to save this version as another file, or to overwrite the file. Nothing is
//! written, and nothing typed is lost, until the user chooses.

use super::app::{App, Effect, Layer, Prompt, PromptFor};
use super::input::LineInput;
use super::keymap::Cmd;
use crate::pack::merge::{self, Merged};
use crate::pack::Pack;
use std::path::{Path, PathBuf};

/// What found the change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClashFor {
    /// Ctrl-S, to this file.
    Save(PathBuf),
    /// A draft restored; its changes were made to an older version of the file.
    Restore,
}

#[derive(Clone, Debug)]
pub struct Clash {
    pub why: ClashFor,
    pub path: PathBuf,
    /// The file as it is now.
    pub theirs_text: String,
    /// What this session's changes were made to.
    pub base_text: Option<String>,
    /// The file with this session's changes re-applied, or why that cannot be
    /// done (the file no longer reads as a pack).
    pub merged: Result<Merged, String>,
    /// How the file changed, and how this session changed the pack, since `base_text`.
    pub theirs: Vec<String>,
    pub yours: Vec<String>,
    pub scroll: u16,
}

impl App {
    /// Opens the dialog: the file at the pack's path now holds `now`, not `base`.
    pub(super) fn open_clash(&mut self, why: ClashFor, base: Option<String>, now: String) {
        let Some(path) = self.path.clone() else {
            return;
        };
        let name = path.display().to_string();
        let base_pack = base
            .as_deref()
            .and_then(|b| crate::pack::parse(b, &name, &self.lib).ok())
            .map_or_else(Pack::new, |o| o.pack);
        let theirs = crate::pack::parse(&now, &name, &self.lib)
            .map(|o| o.pack)
            .map_err(|e| crate::clean::line(&format!("{e:#}")).into_owned());
        let yours = merge::differences(&base_pack, &self.pack);
        let (merged, their_changes) = match theirs {
            Ok(t) => (
                Ok(merge::merge(&base_pack, &self.pack, &t)),
                merge::differences(&base_pack, &t),
            ),
            Err(e) => (Err(e), Vec::new()),
        };
        let clash = Box::new(Clash {
            why,
            path,
            theirs_text: now,
            base_text: base,
            merged,
            theirs: their_changes,
            yours,
            scroll: 0,
        });
        self.layer.push(|under| Layer::Clash { clash, under });
        self.message = None;
    }

    /// The dialog, when it is open.
    pub(crate) fn clash(&self) -> Option<&Clash> {
        match &self.layer {
            Layer::Clash { clash, .. } => Some(clash),
            _ => None,
        }
    }

    /// Closes the dialog, uncovering what it was opened over.
    fn take_clash(&mut self) -> Option<Clash> {
        match std::mem::take(&mut self.layer) {
            Layer::Clash { clash, under } => {
                self.layer = *under;
                Some(*clash)
            }
            other => {
                self.layer = other;
                None
            }
        }
    }

    /// A key of `keymap::CLASH`, while the dialog is open.
    pub(super) fn clash_key(&mut self, cmd: Option<Cmd>) -> Vec<Effect> {
        let Layer::Clash { clash, .. } = &mut self.layer else {
            return Vec::new();
        };
        match cmd {
            Some(Cmd::Move(m)) => clash.scroll = m.scroll(clash.scroll, 1),
            Some(Cmd::Merge) => return self.clash_merge(),
            Some(Cmd::SaveAs) => {
                let Some(clash) = self.take_clash() else {
                    return Vec::new();
                };
                if clash.why == ClashFor::Restore {
                    // A later Ctrl-S to the pack's own file asks again.
                    self.disk = clash.base_text;
                }
                self.layer = Layer::Prompt(Prompt {
                    purpose: PromptFor::SavePack,
                    input: LineInput::new(&another_name(&clash.path)),
                    confirm_replace: false,
                });
                self.info("Save your version as: (Enter saves, Esc cancels)");
            }
            Some(Cmd::Overwrite) => {
                let Some(clash) = self.take_clash() else {
                    return Vec::new();
                };
                // The file as it is now is what the user chose to replace.
                self.disk = Some(clash.theirs_text);
                return match clash.why {
                    ClashFor::Save(path) => vec![Effect::Save(path)],
                    ClashFor::Restore => {
                        self.info(format!(
                            "The draft is restored as it was; Ctrl-S replaces {} with it.",
                            clash.path.display()
                        ));
                        Vec::new()
                    }
                };
            }
            Some(Cmd::Cancel) => {
                let Some(clash) = self.take_clash() else {
                    return Vec::new();
                };
                match clash.why {
                    ClashFor::Save(_) => self.info("Not saved; your changes are still here."),
                    ClashFor::Restore => {
                        self.disk = clash.base_text;
                        self.info(
                            "The draft is restored as it was; Ctrl-S asks again about the file's changes.",
                        );
                    }
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// Takes the file as it is now with this session's changes on top.
    fn clash_merge(&mut self) -> Vec<Effect> {
        let Some(clash) = self.clash() else {
            return Vec::new();
        };
        let merged = match &clash.merged {
            Ok(m) => m.clone(),
            Err(e) => {
                let e = format!("Cannot merge: {e}. Save as another file (a) or overwrite (o).");
                self.error(e);
                return Vec::new();
            }
        };
        let Some(clash) = self.take_clash() else {
            return Vec::new();
        };
        let before = std::mem::replace(&mut self.pack, merged.pack);
        self.disk = Some(clash.theirs_text);
        self.changed(before, "the merge with the file's new version".to_owned());
        self.refresh_all();
        if !merged.conflicts.is_empty() {
            let what: Vec<&str> = merged.conflicts.iter().map(|c| c.what.as_str()).collect();
            self.error(format!(
                "Merged; both sides changed {}, where the file's version was kept. Nothing saved yet: Ctrl-S saves.",
                what.join(", ")
            ));
            return Vec::new();
        }
        match clash.why {
            ClashFor::Save(path) => {
                self.info("Merged your changes into the file's new version.");
                vec![Effect::Save(path)]
            }
            ClashFor::Restore => {
                self.info("Merged the draft into the file's new version; Ctrl-S saves it.");
                Vec::new()
            }
        }
    }
}

/// `summit.toml` -> `summit-mine.toml`, beside it.
fn another_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map_or_else(|| "pack".into(), |s| s.to_string_lossy());
    path.with_file_name(format!("{stem}-mine.toml"))
        .display()
        .to_string()
}
