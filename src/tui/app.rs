//! The interface's state and what each key does to it. `App::handle` is pure: it
//! changes the state and returns the effects (save, build, editor, suspend, quit)
//! for the run loop to carry out, so tests drive it key by key.

use super::build::{Built, Job};
use super::filter::Fuzzy;
use super::form::{self, Form};
use super::input::LineInput;
use super::list::{self, Filters, Haystacks, Pane, Row};
use super::review::{self as review_screen, ReviewScreen, Then};
use crate::compose::compose;
use crate::library::{Library, Status};
use crate::pack::{Field, MemoStatus, Pack};
use crate::render;
use crate::template::Template;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// What happens to the interface.
#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    /// The window changed size; the next draw adapts.
    Resize,
    /// Time passed while a build runs (for its progress display).
    Tick,
    Built(Result<Built, String>),
    /// The external editor finished editing a field.
    Edited(Field, Result<String, String>),
    /// The external editor finished editing a point's text (id, result).
    PointEdited(String, Result<String, String>),
}

/// What the run loop must do after an event.
#[derive(Debug)]
pub enum Effect {
    Quit,
    Save(PathBuf),
    Build(Box<Job>),
    /// Open `$EDITOR` on a field's text.
    Edit(Field, String),
    /// Open `$EDITOR` on a point's text (id, text), for the review screen.
    EditPoint(String, String),
    Suspend,
    /// Restore, discard or keep a draft offered at start (see `offer.rs`).
    Draft(super::offer::DraftOp),
    /// Quit without keeping the changes: the draft cannot be written and the
    /// user confirmed losing them.
    Abandon,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Browse,
    /// The item under the cursor, full screen.
    Detail,
    /// The memo, full screen.
    Preview,
    /// The memo header form.
    Form,
    /// Reviewing the library's talking points (`review`).
    Review,
}

/// What the right-hand pane of the browse screen shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Detail,
    Preview,
}

/// The memo as plain text at one width, for one state of the pack.
#[derive(Debug, Default)]
struct Preview {
    generation: u64,
    width: usize,
    lines: Vec<String>,
    /// Each item the memo shows, and the line where its block begins.
    anchors: Vec<(String, usize)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptFor {
    SavePack,
    BuildPdf,
}

#[derive(Clone, Debug)]
pub struct Prompt {
    pub purpose: PromptFor,
    pub input: LineInput,
    /// The typed file exists; a second Enter replaces it.
    pub confirm_replace: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

impl Message {
    pub fn new(text: impl Into<String>, error: bool) -> Message {
        Message {
            text: text.into(),
            error,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct PaneState {
    pub cursor: usize,
    /// First row shown; kept by the view so the cursor stays visible.
    pub offset: usize,
    pub filters: Filters,
    pub rows: Vec<Row>,
}

impl PaneState {
    pub fn current(&self) -> Option<&Row> {
        self.rows.get(self.cursor)
    }
}

// The on-top flags (offer, help, prompt, form, filter) are to become one layer enum.
#[allow(clippy::struct_excessive_bools)]
pub struct App {
    pub lib: Arc<Library>,
    pub template: Arc<Template>,
    pub pack: Pack,
    pub path: Option<PathBuf>,
    /// Changes not yet saved.
    pub dirty: bool,
    pub focus: Pane,
    pub panes: [PaneState; 3],
    pub screen: Screen,
    pub side: Side,
    pub help: bool,
    /// Typing into the focused pane's `/` filter.
    pub filtering: bool,
    pub prompt: Option<Prompt>,
    pub form: Form,
    pub detail_scroll: u16,
    pub preview_scroll: u16,
    pub side_scroll: u16,
    pub help_scroll: u16,
    pub message: Option<Message>,
    /// When the running build started.
    pub building: Option<Instant>,
    /// Drafts of unsaved work offered for restoring, shown over everything.
    pub offer: Option<super::offer::Offer>,
    /// The pack file's text as this session last read or wrote it: what its
    /// changes are made to. A save first checks the file still holds it.
    pub disk: Option<String>,
    /// The pack changed on disk under this session: what to do about it.
    pub clash: Option<super::clash::Clash>,
    quit_armed: bool,
    /// The draft could not be written on quitting; `y` now quits losing the changes.
    abandon_offered: bool,
    /// Rows a page key moves; set by the view from the list's height.
    pub page: usize,
    /// Highlights the matched characters of the rows on screen.
    pub fuzzy: Fuzzy,
    /// `lib`'s labels prepared for filtering, filled in the background; replaced
    /// with the library.
    haystacks: Arc<OnceLock<Haystacks>>,
    /// Bumped on every change to the pack; the preview is cached against it.
    generation: u64,
    preview: Option<Preview>,
    /// The item just picked: the side preview scrolls to it on the next draw.
    follow: Option<String>,
    /// How to open the review screen; `None` when the library is not on disk.
    pub review_setup: Option<review_screen::Setup>,
    /// The review screen, once opened (it keeps its place and undo when left).
    pub review: Option<ReviewScreen>,
}

const QUIT_WARNING: &str =
    "Unsaved changes: Ctrl-S saves them; press q or Ctrl-C again to quit and keep them as a draft.";

fn key_is(key: &KeyEvent, code: KeyCode, ctrl: bool) -> bool {
    key.code == code && key.modifiers.contains(KeyModifiers::CONTROL) == ctrl
}

impl App {
    pub fn new(lib: Arc<Library>, template: Arc<Template>, pack: Pack, path: Option<PathBuf>) -> App {
        let haystacks = Haystacks::in_background(Arc::clone(&lib));
        let mut app = App {
            lib,
            haystacks,
            template,
            pack,
            path,
            dirty: false,
            focus: Pane::Threats,
            panes: Default::default(),
            screen: Screen::Browse,
            // The memo beside the list: it changes only when the selection does, so a
            // cursor move over SSH rewrites two rows, not a pane of new text; the
            // item's details are one key away (Enter, or `p` to keep them beside).
            side: Side::Preview,
            help: false,
            filtering: false,
            prompt: None,
            form: Form::default(),
            detail_scroll: 0,
            preview_scroll: 0,
            side_scroll: 0,
            help_scroll: 0,
            message: None,
            building: None,
            offer: None,
            disk: None,
            clash: None,
            quit_armed: false,
            abandon_offered: false,
            page: 10,
            fuzzy: Fuzzy::default(),
            generation: 0,
            preview: None,
            follow: None,
            review_setup: None,
            review: None,
        };
        app.refresh_all();
        app
    }

    /// The id of the record under the cursor in the focused pane.
    pub fn current_id(&self) -> Option<String> {
        self.pane()
            .current()
            .map(|r| list::id(&self.lib, self.focus, r.index).to_owned())
    }

    pub fn pane(&self) -> &PaneState {
        &self.panes[self.focus.index()]
    }

    fn pane_mut(&mut self) -> &mut PaneState {
        &mut self.panes[self.focus.index()]
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message::new(text, false));
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message::new(text, true));
    }

    /// Recomputes one pane's rows, keeping the cursor on the same record if it is
    /// still shown.
    fn refresh(&mut self, pane: Pane) {
        let i = pane.index();
        let keep = self.panes[i].current().map(|r| r.index);
        let rows = list::rows_with(
            &self.lib,
            self.haystacks.get(),
            pane,
            &self.panes[i].filters,
            &self.pack.selection,
        );
        let st = &mut self.panes[i];
        st.rows = rows;
        if let Some(pos) = keep.and_then(|index| st.rows.iter().position(|r| r.index == index)) {
            st.cursor = pos;
        }
        st.cursor = st.cursor.min(st.rows.len().saturating_sub(1));
    }

    pub(super) fn refresh_all(&mut self) {
        for p in Pane::ALL {
            self.refresh(p);
        }
    }

    pub(super) fn changed(&mut self) {
        self.dirty = true;
        self.generation += 1;
    }

    /// Bumped by every change to the pack: the autosave compares it after each
    /// event, so no action can change the pack without reaching the draft.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The memo as plain text at `width` columns, recomposed only after a change.
    pub fn preview_lines(&mut self, width: usize) -> &[String] {
        &self.preview_at(width).lines
    }

    fn preview_at(&mut self, width: usize) -> &Preview {
        let fresh = matches!(&self.preview, Some(p) if p.generation == self.generation && p.width == width);
        if !fresh {
            let doc = compose(&self.lib, &self.pack, &self.template);
            let (lines, anchors) = render::text::lines_and_anchors(&doc, width);
            self.preview = Some(Preview {
                generation: self.generation,
                width,
                lines,
                anchors,
            });
        }
        self.preview.get_or_insert_with(Preview::default)
    }

    /// The preview line where the item just picked begins, once: the side pane
    /// scrolls there so a pick is seen landing in the memo.
    pub fn take_follow(&mut self, width: usize) -> Option<usize> {
        let id = self.follow.take()?;
        if self.side != Side::Preview {
            return None;
        }
        let preview = self.preview_at(width);
        preview
            .anchors
            .iter()
            .find(|(a, _)| *a == id)
            .map(|(_, line)| *line)
    }

    pub fn handle(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Key(key) => {
                let was_armed = self.quit_armed;
                let effects = self.key(key);
                // Any key but a second `q` takes the warning back.
                if was_armed && !matches!(effects.first(), Some(Effect::Quit)) {
                    self.quit_armed = false;
                    if self.message.as_ref().is_some_and(|m| m.text == QUIT_WARNING) {
                        self.message = None;
                    }
                }
                effects
            }
            Event::Resize | Event::Tick => Vec::new(),
            Event::Built(result) => {
                self.building = None;
                match result {
                    Ok(b) => {
                        let warn = match b.warnings {
                            0 => String::new(),
                            1 => ", 1 warning".to_owned(),
                            n => format!(", {n} warnings"),
                        };
                        let copies = match b.files {
                            0 | 1 => String::new(),
                            2 => " and 1 more numbered copy beside it".to_owned(),
                            n => format!(" and {} more numbered copies beside it", n - 1),
                        };
                        self.info(format!(
                            "Built {}{copies}: {} page{}, {}{warn}.",
                            b.path.display(),
                            b.pages,
                            if b.pages == 1 { "" } else { "s" },
                            crate::size::human(b.bytes)
                        ));
                    }
                    Err(e) => self.error(format!("Build failed: {e}")),
                }
                Vec::new()
            }
            Event::Edited(field, result) => {
                match result.and_then(|text| self.set_field(field, &text)) {
                    Ok(()) => self.info(format!("{} updated.", field.label())),
                    Err(e) => self.error(e),
                }
                Vec::new()
            }
            Event::PointEdited(point, result) => {
                if let Some(review) = self.review.as_mut() {
                    review.edited(point, result);
                    if let Some(lib) = review.take_changed() {
                        self.library_changed(lib);
                    }
                }
                Vec::new()
            }
        }
    }

    fn set_field(&mut self, field: Field, text: &str) -> Result<(), String> {
        let before = self.pack.field_text(field);
        self.pack.set_field(field, text)?;
        if self.pack.field_text(field) != before {
            self.changed();
        }
        Ok(())
    }

    fn key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key_is(&key, KeyCode::Char('z'), true) {
            return vec![Effect::Suspend];
        }
        if std::mem::take(&mut self.abandon_offered) {
            if key.code == KeyCode::Char('y') && key.modifiers.is_empty() {
                return vec![Effect::Abandon];
            }
            self.say(Message::new(
                "Still here; your changes are on screen. Ctrl-S saves the pack.",
                false,
            ));
        }
        if self.clash.is_some() && !key_is(&key, KeyCode::Char('c'), true) {
            return self.clash_key(key);
        }
        if self.screen == Screen::Review {
            return self.review_key(key);
        }
        if key_is(&key, KeyCode::Char('c'), true) {
            return self.quit();
        }
        if self.offer.is_some() {
            return self.offer_key(key);
        }
        if self.help {
            return self.help_key(key);
        }
        if self.prompt.is_some() {
            return self.prompt_key(key);
        }
        if self.form.editing.is_some() {
            return self.form_edit_key(key);
        }
        if self.filtering {
            return self.filter_key(key);
        }
        if key_is(&key, KeyCode::Char('s'), true) {
            return self.save();
        }
        if key.code == KeyCode::Char('?') {
            self.help = true;
            self.help_scroll = 0;
            return Vec::new();
        }
        match self.screen {
            Screen::Browse => self.browse_key(key),
            Screen::Detail => self.detail_key(key),
            Screen::Preview => self.preview_key(key),
            Screen::Form => self.form_key(key),
            Screen::Review => self.review_key(key),
        }
    }

    fn quit(&mut self) -> Vec<Effect> {
        if !self.unsaved() || self.quit_armed {
            return vec![Effect::Quit];
        }
        self.quit_armed = true;
        self.error(QUIT_WARNING);
        Vec::new()
    }

    /// Changes not saved: to the pack, or typed into a field and not yet entered.
    pub fn unsaved(&self) -> bool {
        self.dirty || self.typing().is_some()
    }

    /// The run loop could not write the draft on quitting: the user may stay and
    /// save, or quit losing the changes, after saying so with `y`.
    pub fn cannot_keep_draft(&mut self, why: &str) {
        self.abandon_offered = true;
        self.say(Message::new(
            format!(
                "Cannot keep a draft: y quits and LOSES the changes, Ctrl-S saves, any other key stays ({}).",
                crate::clean::line(why)
            ),
            true,
        ));
    }

    /// Whether `y` now quits losing the changes (see `cannot_keep_draft`).
    pub fn offers_to_abandon(&self) -> bool {
        self.abandon_offered
    }

    /// A message where the user is looking: the review screen has its own line.
    fn say(&mut self, m: Message) {
        match (self.screen, self.review.as_mut()) {
            (Screen::Review, Some(r)) => r.message = Some(m),
            _ => self.message = Some(m),
        }
    }

    fn save(&mut self) -> Vec<Effect> {
        if let Some(p) = &self.path {
            vec![Effect::Save(p.clone())]
        } else {
            self.prompt = Some(Prompt {
                purpose: PromptFor::SavePack,
                input: LineInput::new("brief.toml"),
                confirm_replace: false,
            });
            Vec::new()
        }
    }

    /// Writes the pack; called by the run loop for `Effect::Save`. True when
    /// it was written (the run loop then retires the draft). Saving to the pack's
    /// own file first checks that it still holds what this session read: if
    /// someone changed it meanwhile, nothing is written and the user chooses
    /// (see `clash.rs`).
    pub fn save_to(&mut self, path: &Path) -> bool {
        if self.path.as_deref() == Some(path) {
            match crate::pack::read(path) {
                Ok(now) if Some(&now) != self.disk.as_ref() => {
                    let base = self.disk.clone();
                    self.open_clash(super::clash::ClashFor::Save(path.to_path_buf()), base, now);
                    return false;
                }
                Ok(_) => {}
                // Gone (moved, deleted): writing it again loses no one's work.
                Err(_) if !path.exists() => {}
                Err(e) => {
                    self.error(format!("{e:#}; nothing was saved."));
                    return false;
                }
            }
        }
        match self.pack.save_over(path, self.disk.as_deref()) {
            Ok(text) => {
                self.path = Some(path.to_path_buf());
                self.disk = Some(text);
                self.dirty = false;
                self.info(format!("Saved {}.", path.display()));
                true
            }
            Err(e) => {
                self.error(format!("{e:#}."));
                false
            }
        }
    }

    fn build(&mut self) -> Vec<Effect> {
        if self.building.is_some() {
            self.info("A build is already running.");
            return Vec::new();
        }
        let out = self
            .path
            .as_ref()
            .map(|p| p.with_extension("pdf"))
            .filter(|out| self.check_output(out).is_none());
        if let Some(out) = out {
            return self.start_build(out);
        }
        let suggested = self.path.as_ref().map_or_else(
            || "brief.pdf".to_owned(),
            |p| p.with_extension("pdf").display().to_string(),
        );
        let problem = self.check_output(Path::new(&suggested));
        let own = self.is_own_pack(Path::new(&suggested));
        self.prompt = Some(Prompt {
            purpose: PromptFor::BuildPdf,
            input: LineInput::new(&suggested),
            // Asked already: Enter replaces it; never the pack itself.
            confirm_replace: problem.is_some() && !own,
        });
        if let Some(problem) = problem {
            self.error(if own {
                format!("{problem} Type another name for the PDF.")
            } else {
                format!("{problem} Enter replaces it, Esc cancels; or type another name.")
            });
        }
        Vec::new()
    }

    fn is_own_pack(&self, out: &Path) -> bool {
        self.path
            .as_deref()
            .is_some_and(|p| crate::render::target::same_file(out, p) || p == out)
    }

    /// Why the PDF should not be written at `out` without asking: it is the pack
    /// itself (never), or a file briefpack did not make.
    fn check_output(&self, out: &Path) -> Option<String> {
        use crate::render::target::{existing, Existing};
        if self.is_own_pack(out) {
            return Some(format!("{} is the pack itself.", out.display()));
        }
        (existing(out, crate::render::Format::Pdf) == Existing::Other)
            .then(|| format!("{} exists and was not made by briefpack.", out.display()))
    }

    /// `B`: one numbered copy per addressee of the distribution list, beside
    /// the pack.
    fn build_copies(&mut self) -> Vec<Effect> {
        if self.building.is_some() {
            self.info("A build is already running.");
            return Vec::new();
        }
        if self.pack.memo.distribution.is_empty() {
            self.error(
                "The memo has no distribution list: add the addressees in the header (e) to number copies.",
            );
            return Vec::new();
        }
        let Some(p) = &self.path else {
            self.error("Save the pack first (Ctrl-S): the copies are written beside it.");
            return Vec::new();
        };
        let out = p.with_extension("pdf");
        let mut effects = self.start_build(out);
        if let Some(Effect::Build(job)) = effects.first_mut() {
            job.copies = true;
        }
        effects
    }

    fn start_build(&mut self, out: PathBuf) -> Vec<Effect> {
        self.building = Some(Instant::now());
        self.info(format!("Building {}…", out.display()));
        vec![Effect::Build(Box::new(Job {
            lib: Arc::clone(&self.lib),
            template: Arc::clone(&self.template),
            pack: self.pack.clone(),
            out,
            copies: false,
        }))]
    }

    fn prompt_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(prompt) = self.prompt.as_mut() else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Esc => {
                self.prompt = None;
                self.message = None;
            }
            KeyCode::Enter => {
                let typed = prompt.input.text.trim().to_owned();
                if typed.is_empty() {
                    self.error("Type a file name, or Esc to cancel.");
                    return Vec::new();
                }
                let path = expand_home(&typed);
                let purpose = prompt.purpose;
                if path.is_dir() {
                    self.error(format!("{} is a directory; type a file name.", path.display()));
                    return Vec::new();
                }
                if purpose == PromptFor::BuildPdf && self.is_own_pack(&path) {
                    self.error(format!(
                        "{} is the pack itself; type another name for the PDF.",
                        path.display()
                    ));
                    return Vec::new();
                }
                let ask = match purpose {
                    PromptFor::SavePack => path.exists(),
                    PromptFor::BuildPdf => self.check_output(&path).is_some(),
                };
                let Some(prompt) = self.prompt.as_mut() else {
                    return Vec::new();
                };
                if ask && !prompt.confirm_replace {
                    prompt.confirm_replace = true;
                    let what = match purpose {
                        PromptFor::SavePack => "exists",
                        PromptFor::BuildPdf => "exists and was not made by briefpack",
                    };
                    self.error(format!(
                        "{} {what}: Enter again replaces it, Esc cancels.",
                        path.display()
                    ));
                    return Vec::new();
                }
                self.prompt = None;
                return match purpose {
                    PromptFor::SavePack => vec![Effect::Save(path)],
                    PromptFor::BuildPdf => self.start_build(path),
                };
            }
            _ => {
                if prompt.input.key(key) {
                    prompt.confirm_replace = false;
                }
            }
        }
        Vec::new()
    }

    fn help_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match key.code {
            KeyCode::Char('?' | 'q') | KeyCode::Esc | KeyCode::Enter => self.help = false,
            KeyCode::Char('j') | KeyCode::Down => self.help_scroll = self.help_scroll.saturating_add(1),
            KeyCode::Char('k') | KeyCode::Up => self.help_scroll = self.help_scroll.saturating_sub(1),
            _ => {}
        }
        Vec::new()
    }

    fn filter_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match key.code {
            KeyCode::Enter => self.filtering = false,
            KeyCode::Esc => {
                self.filtering = false;
                self.pane_mut().filters.query.clear();
                self.refresh(self.focus);
            }
            KeyCode::Up | KeyCode::Down => {
                self.move_cursor(if key.code == KeyCode::Up { -1 } else { 1 });
            }
            _ => {
                let mut input = LineInput::new(&self.pane().filters.query);
                if input.key(key) && input.text != self.pane().filters.query {
                    self.pane_mut().filters.query = input.text;
                    // The best match is what the user is looking for.
                    self.pane_mut().cursor = 0;
                    self.pane_mut().rows.clear();
                    self.refresh(self.focus);
                }
            }
        }
        Vec::new()
    }

    fn move_cursor(&mut self, delta: isize) {
        let st = self.pane_mut();
        let last = st.rows.len().saturating_sub(1);
        st.cursor = st.cursor.saturating_add_signed(delta).min(last);
        self.new_details();
    }

    /// The details beside the list are of another item: read them from the top.
    /// The memo preview keeps its place, since it did not change.
    fn new_details(&mut self) {
        if self.side == Side::Detail {
            self.side_scroll = 0;
        }
    }

    fn toggle_current(&mut self) {
        let kind = self.focus.kind();
        let Some(id) = self.current_id() else {
            return;
        };
        let already = self.pack.selection.ids(kind).is_some_and(|l| l.contains(&id));
        if !already && self.pack.selection.len() >= crate::pack::MAX_SELECTION {
            self.error(format!(
                "A brief can hold at most {} items; unpick some before picking more.",
                crate::pack::MAX_SELECTION
            ));
            return;
        }
        let picked = self.pack.selection.toggle(kind, &id);
        if picked {
            self.follow = Some(id.clone());
        }
        if picked && kind == crate::library::Kind::Point {
            if let Some(p) = self.lib.point(&id).filter(|p| p.status == Status::Retired) {
                let why = p.retired_reason.as_deref().unwrap_or("no longer in use");
                self.error(format!(
                    "Picked a retired point ({}); it should not be used in new briefs.",
                    crate::clean::line(why)
                ));
            }
        }
        self.changed();
        // Picks reorder the other panes (linked items first); their old cursor
        // position means nothing now, the top of the list is where links are.
        for pane in Pane::ALL {
            if pane != self.focus {
                let st = &mut self.panes[pane.index()];
                st.rows.clear();
                st.cursor = 0;
                st.offset = 0;
            }
            self.refresh(pane);
        }
    }

    fn move_in_memo(&mut self, delta: isize) {
        let kind = self.focus.kind();
        let Some(id) = self.current_id() else {
            return;
        };
        let total = self.pack.selection.ids(kind).map_or(0, Vec::len);
        match self.pack.selection.move_by(kind, &id, delta) {
            Some(to) => {
                self.changed();
                self.refresh(self.focus);
                self.info(format!(
                    "Now {} of {total} {} in the memo.",
                    to + 1,
                    self.focus.title().to_lowercase()
                ));
            }
            None => self.info("Pick it first (Space); only picked items have a place in the memo."),
        }
    }

    fn cycle_filter(&mut self, which: char) {
        let pane = self.focus;
        let f = &mut self.panes[pane.index()].filters;
        match which {
            'f' => {
                let n = pane.kind_choices().len();
                f.kind = match f.kind {
                    None => Some(0),
                    Some(k) if k + 1 < n => Some(k + 1),
                    Some(_) => None,
                };
            }
            's' if pane == Pane::Points => {
                let all = Status::ALL;
                f.status = match f.status {
                    None => all.first().copied(),
                    Some(s) => all.iter().skip_while(|x| **x != s).nth(1).copied(),
                };
            }
            't' if pane == Pane::Points => {
                let tags = self.lib.point_tags();
                f.tag = match &f.tag {
                    None => tags.first().map(|t| (*t).to_owned()),
                    Some(t) => tags
                        .iter()
                        .skip_while(|x| **x != t.as_str())
                        .nth(1)
                        .map(|t| (*t).to_owned()),
                };
            }
            'l' if pane != Pane::Threats => f.linked_only = !f.linked_only,
            'o' => f.selected_only = !f.selected_only,
            _ => {
                self.info("That filter applies to points (s, t) or to points and partners (l).");
                return;
            }
        }
        self.refresh(pane);
        let shown = self.pane().rows.len();
        let total = self.lib.count(pane.kind());
        self.info(format!(
            "{shown} of {total} {} shown.",
            pane.title().to_lowercase()
        ));
    }

    fn browse_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let page = self.page.max(1) as isize;
        if let Some(delta) = list::motion(key.code, page) {
            self.move_cursor(delta);
            return Vec::new();
        }
        match key.code {
            KeyCode::Char('q') => return self.quit(),
            KeyCode::Esc => {
                if self.pane().filters.is_active() {
                    self.pane_mut().filters = Filters::default();
                    self.refresh(self.focus);
                    self.info("Filters cleared.");
                } else {
                    return self.quit();
                }
            }
            KeyCode::Tab => self.focus_pane(self.focus.next()),
            KeyCode::BackTab => self.focus_pane(self.focus.prev()),
            KeyCode::Char('1') => self.focus_pane(Pane::Threats),
            KeyCode::Char('2') => self.focus_pane(Pane::Partners),
            KeyCode::Char('3') => self.focus_pane(Pane::Points),
            KeyCode::Char('d') if ctrl => self.side_scroll = self.side_scroll.saturating_add(page as u16 / 2),
            KeyCode::Char('u') if ctrl => self.side_scroll = self.side_scroll.saturating_sub(page as u16 / 2),
            KeyCode::Char(' ') => self.toggle_current(),
            KeyCode::Enter if self.pane().current().is_some() => {
                self.screen = Screen::Detail;
                self.detail_scroll = 0;
            }
            KeyCode::Char('/') => {
                self.filtering = true;
                self.message = None;
            }
            KeyCode::Char(c @ ('f' | 's' | 't' | 'l' | 'o')) => self.cycle_filter(c),
            KeyCode::Char('J' | ']') => self.move_in_memo(1),
            KeyCode::Char('K' | '[') => self.move_in_memo(-1),
            KeyCode::Char('p') => {
                self.side = match self.side {
                    Side::Detail => Side::Preview,
                    Side::Preview => Side::Detail,
                };
                self.side_scroll = 0;
            }
            KeyCode::Char('P' | 'v') => {
                self.screen = Screen::Preview;
                self.preview_scroll = 0;
            }
            KeyCode::Char('e') => self.screen = Screen::Form,
            KeyCode::Char('b') => return self.build(),
            KeyCode::Char('B') => return self.build_copies(),
            KeyCode::Char('r') => self.open_review(),
            _ => {}
        }
        Vec::new()
    }

    /// Switches to the review screen, opening it the first time.
    pub fn open_review(&mut self) {
        if self.review.is_none() {
            let setup = self.review_setup.clone().unwrap_or_else(|| review_screen::Setup {
                source: crate::library::DataSource::Embedded,
                // Nothing is reviewed without a library on disk, so no day is needed.
                today: chrono::NaiveDate::default(),
                policy: crate::review::Policy::default(),
                sources_dir: None,
                reviewer: None,
            });
            self.review = Some(ReviewScreen::open(setup, Arc::clone(&self.lib)));
        }
        self.screen = Screen::Review;
    }

    fn review_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(review) = self.review.as_mut() else {
            self.screen = Screen::Browse;
            return Vec::new();
        };
        let reply = review.key(key);
        if let Some(lib) = reply.lib {
            self.library_changed(lib);
        }
        match reply.then {
            Then::Stay => Vec::new(),
            Then::Leave => {
                self.screen = Screen::Browse;
                Vec::new()
            }
            Then::Editor { point, text } => vec![Effect::EditPoint(point, text)],
            Then::Quit => {
                let effects = self.quit();
                // The unsaved-pack warning belongs where the user is looking.
                if let (Some(m), Some(r)) = (self.message.clone(), self.review.as_mut()) {
                    if effects.is_empty() {
                        r.message = Some(m);
                    }
                }
                effects
            }
        }
    }

    /// The review screen wrote or re-read the library: the lists and the preview follow.
    fn library_changed(&mut self, lib: Arc<Library>) {
        self.haystacks = Haystacks::in_background(Arc::clone(&lib));
        self.lib = lib;
        // The memo reads the library, so the preview is made again; the pack did
        // not change, so nothing is marked unsaved and no draft is written.
        self.preview = None;
        self.refresh_all();
    }

    fn focus_pane(&mut self, pane: Pane) {
        self.focus = pane;
        self.new_details();
    }

    fn scroll(pos: &mut u16, key: &KeyEvent, page: u16) -> bool {
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => *pos = pos.saturating_add(1),
            KeyCode::Char('k') | KeyCode::Up => *pos = pos.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char('d') => *pos = pos.saturating_add(page),
            KeyCode::PageUp | KeyCode::Char('u') => *pos = pos.saturating_sub(page),
            KeyCode::Char('g') | KeyCode::Home => *pos = 0,
            // The view clamps it to the last page.
            KeyCode::Char('G') | KeyCode::End => *pos = u16::MAX,
            _ => return false,
        }
        true
    }

    fn detail_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let page = self.page as u16;
        if Self::scroll(&mut self.detail_scroll, &key, page) {
            return Vec::new();
        }
        match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => self.screen = Screen::Browse,
            KeyCode::Char(' ') => self.toggle_current(),
            KeyCode::Char('b') => return self.build(),
            _ => {}
        }
        Vec::new()
    }

    fn preview_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let page = self.page as u16;
        if Self::scroll(&mut self.preview_scroll, &key, page) {
            return Vec::new();
        }
        match key.code {
            KeyCode::Esc | KeyCode::Char('q' | 'P' | 'v') => self.screen = Screen::Browse,
            KeyCode::Char('e') => self.screen = Screen::Form,
            KeyCode::Char('b') => return self.build(),
            _ => {}
        }
        Vec::new()
    }

    fn form_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let last = Field::ALL.len() - 1;
        let field = self.form.field();
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => self.screen = Screen::Browse,
            KeyCode::Char('j') | KeyCode::Down | KeyCode::Tab => {
                self.form.cursor = (self.form.cursor + 1).min(last);
            }
            KeyCode::Char('k') | KeyCode::Up | KeyCode::BackTab => {
                self.form.cursor = self.form.cursor.saturating_sub(1);
            }
            KeyCode::Char('g') | KeyCode::Home => self.form.cursor = 0,
            KeyCode::Char('G') | KeyCode::End => self.form.cursor = last,
            KeyCode::Enter | KeyCode::Char(' ') if field == Field::Status => {
                let next = match self.pack.memo.status {
                    MemoStatus::Draft => "final",
                    MemoStatus::Final => "draft",
                };
                if let Err(e) = self.set_field(field, next) {
                    self.error(e);
                }
            }
            KeyCode::Enter | KeyCode::Char('i') => {
                self.form.editing = Some(LineInput::new(&form::inline_text(&self.pack, field)));
                self.message = None;
            }
            KeyCode::Char('E') => return vec![Effect::Edit(field, self.pack.field_text(field))],
            KeyCode::Char('P' | 'v') => {
                self.screen = Screen::Preview;
                self.preview_scroll = 0;
            }
            KeyCode::Char('b') => return self.build(),
            _ => {}
        }
        Vec::new()
    }

    fn form_edit_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let field = self.form.field();
        let Some(input) = self.form.editing.as_mut() else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Esc => {
                self.form.editing = None;
                self.message = None;
            }
            KeyCode::Enter | KeyCode::Tab | KeyCode::Down | KeyCode::Up => {
                let text = form::from_inline(field, &input.text);
                match self.set_field(field, &text) {
                    Ok(()) => {
                        self.form.editing = None;
                        self.message = None;
                        let last = Field::ALL.len() - 1;
                        match key.code {
                            KeyCode::Up => self.form.cursor = self.form.cursor.saturating_sub(1),
                            KeyCode::Enter => {}
                            _ => self.form.cursor = (self.form.cursor + 1).min(last),
                        }
                    }
                    Err(e) => self.error(e),
                }
            }
            _ => {
                if input.key(key) {
                    match form::live_check(field, &input.text) {
                        Some(problem) => self.error(problem),
                        None => self.message = None,
                    }
                }
            }
        }
        Vec::new()
    }
}

/// `~/briefs/x.toml` as a shell would read it.
fn expand_home(typed: &str) -> PathBuf {
    match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(typed),
    }
}
