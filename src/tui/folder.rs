//! `r` with the library built into the program: review changes the library's
//! files, so it asks for a library checkout on disk (Tab completes the path),
//! opens the review screen on it and remembers it in the settings for next time.

use super::app::{App, Layer, Prompt, PromptFor};
use super::input::LineInput;
use super::keymap::{self, Cmd};
use crate::config::Config;
use crate::library::{DataSource, Library};
use crate::review::Policy;
use crossterm::event::KeyEvent;
use std::path::PathBuf;

impl App {
    /// Asks for the library's folder, starting from the one remembered, if any.
    pub(super) fn ask_library_dir(&mut self) {
        let start = self
            .settings
            .as_ref()
            .and_then(|(_, c)| c.library.as_ref())
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        self.layer = Layer::Prompt(Prompt {
            purpose: PromptFor::LibraryDir,
            input: LineInput::new(&start),
            confirm_replace: false,
        });
        self.info(
            "Review changes the library's files: type the folder of a library checkout (Tab completes).",
        );
    }

    /// A key of `keymap::FOLDER` or the text, while the folder is asked for.
    pub(super) fn library_dir_key(&mut self, key: KeyEvent) {
        let Layer::Prompt(prompt) = &mut self.layer else {
            return;
        };
        match keymap::lookup(&[keymap::FOLDER], &key) {
            Some(Cmd::Cancel) => {
                self.layer = Layer::None;
                self.message = None;
            }
            Some(Cmd::Complete) => {
                let (text, choices) = super::complete::folder(&prompt.input.text);
                prompt.input = LineInput::new(&text);
                match choices.len() {
                    0 => {}
                    n => {
                        let shown: Vec<&str> = choices.iter().take(8).map(String::as_str).collect();
                        let more = if n > 8 {
                            format!(" and {} more", n - 8)
                        } else {
                            String::new()
                        };
                        self.info(format!("{n} folders: {}{more}", shown.join("  ")));
                    }
                }
            }
            Some(Cmd::Accept) => {
                let typed = prompt.input.text.trim().to_owned();
                self.open_library_dir(&typed);
            }
            _ => {
                prompt.input.key(key);
            }
        }
    }

    /// Opens the review screen on the library in `typed`, if it holds one.
    fn open_library_dir(&mut self, typed: &str) {
        if typed.is_empty() {
            self.error("Type the library's folder, or Esc to cancel.");
            return;
        }
        let dir = super::app::expand_home(typed);
        if !dir.is_dir() {
            self.error(format!("There is no folder {}.", dir.display()));
            return;
        }
        // An empty folder loads as an empty library; review needs the points.
        let points = crate::library::Kind::Point.file_name();
        if !dir.join(&points).is_file() {
            self.error(format!(
                "{} is not a library checkout: it holds no {points}.",
                dir.display()
            ));
            return;
        }
        let source = DataSource::Dir(dir.clone());
        if let Err(e) = Library::load(&source) {
            self.error(format!("{} is not a library checkout: {e:#}", dir.display()));
            return;
        }
        let dir = dir.canonicalize().unwrap_or(dir);
        self.layer = Layer::None;
        let remembered = self.remember(|c| c.library = Some(dir.clone()));
        let saved_reviewer = self.settings.as_ref().and_then(|(_, c)| c.reviewer.clone());
        let setup = self.review_setup.get_or_insert_with(|| {
            super::review::Setup::today(DataSource::Dir(dir.clone()), Policy::default(), None, None)
        });
        setup.source = DataSource::Dir(dir.clone());
        setup.saved_reviewer = setup.saved_reviewer.take().or(saved_reviewer);
        // The screen opened without a library says so; open it again on this one.
        self.review = None;
        self.open_review();
        let note = match remembered {
            Ok(Some(file)) => format!("; {} remembers it for next time", file.display()),
            Ok(None) => String::new(),
            Err(e) => format!(" (not remembered: {e:#})"),
        };
        if let Some(r) = self.review.as_mut() {
            r.info(format!("Reviewing the library in {}{note}.", dir.display()));
        }
    }

    /// Changes the settings and writes them, when there is a settings file.
    /// Returns its path once written.
    pub(super) fn remember(&mut self, change: impl FnOnce(&mut Config)) -> anyhow::Result<Option<PathBuf>> {
        let Some((path, config)) = self.settings.as_mut() else {
            return Ok(None);
        };
        change(config);
        config.save(path)?;
        Ok(Some(path.clone()))
    }
}
