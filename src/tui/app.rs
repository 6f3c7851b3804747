//! The interface's state and what each key does to it. `App::handle` is pure: it
//! changes the state and returns the effects (save, build, editor, suspend, quit)
//! for the run loop to carry out, so tests drive it key by key.

use super::build::{Built, Job};
use super::filter::Fuzzy;
use super::form::{self, Form};
use super::history::History;
use super::input::LineInput;
use super::keymap::{self, Binding, Cmd};
use super::list::{self, Filters, Haystacks, Pane, Row};
use super::offer::Offer;
use super::review::{self as review_screen, ReviewScreen, Then};
use crate::compose::{compose, PointPlace};
use crate::library::{Library, Status};
use crate::pack::{Field, MemoStatus, Pack};
use crate::render;
use crate::template::Template;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// What happens to the interface.
#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    /// A click or the wheel (`mouse.rs`).
    Mouse(crossterm::event::MouseEvent),
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
    /// The library checkout to review (`folder.rs`).
    LibraryDir,
}

#[derive(Clone, Debug)]
pub struct Prompt {
    pub purpose: PromptFor,
    pub input: LineInput,
    /// The typed file exists; a second Enter replaces it.
    pub confirm_replace: bool,
}

/// What is open over the screen and takes the keys before it; one at a time, so
/// which comes first is never in question.
#[derive(Clone, Debug, Default)]
pub enum Layer {
    #[default]
    None,
    /// Drafts of unsaved work offered for restoring, at start.
    Offer(Offer),
    Help {
        scroll: u16,
    },
    /// Every message of the session, in full (`M`); the view keeps `scroll` in
    /// range, and it starts at the end, where the newest are.
    Log {
        scroll: u16,
    },
    Prompt(Prompt),
    /// Typing into the header form's current field.
    Edit(LineInput),
    /// Typing the focused pane's `/` filter.
    Find,
    /// Choosing a kind, status or tag to filter by (`picker.rs`).
    Pick(super::picker::Picker),
    /// Searching all three tabs at once (`everywhere.rs`).
    FindAll(Box<super::everywhere::FindAll>),
    /// The pack changed on disk under this session: what to do about it
    /// (`clash.rs`). What was open beneath it (a field being typed) waits there.
    Clash {
        clash: Box<super::clash::Clash>,
        under: Box<Layer>,
    },
    /// No draft could be written on quitting: `y` quits losing the changes; any
    /// other key closes this and goes on to what is beneath.
    Abandon {
        under: Box<Layer>,
    },
}

impl Layer {
    /// The layer beneath the dialogs that wait over it: what the screen shows as
    /// being typed or open.
    pub(crate) fn base(&self) -> &Layer {
        match self {
            Layer::Clash { under, .. } | Layer::Abandon { under } => under.base(),
            other => other,
        }
    }

    /// Opens a dialog over what is open now.
    pub(crate) fn push(&mut self, over: impl FnOnce(Box<Layer>) -> Layer) {
        let under = Box::new(std::mem::take(self));
        *self = over(under);
    }

    /// Closes the dialog on top, uncovering what it waited over.
    pub(crate) fn pop(&mut self) {
        if let Layer::Clash { under, .. } | Layer::Abandon { under } = self {
            let under = std::mem::take(&mut **under);
            *self = under;
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

impl Message {
    pub(crate) fn new(text: impl Into<String>, error: bool) -> Message {
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
    /// With "picked only" on the points: each row's number and group in the
    /// memo, as the composed memo has them; empty otherwise.
    pub memo: Vec<(usize, String)>,
}

impl PaneState {
    pub(crate) fn current(&self) -> Option<&Row> {
        self.rows.get(self.cursor)
    }
}

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
    /// What is open over the screen, taking the keys first.
    pub layer: Layer,
    pub form: Form,
    pub detail_scroll: u16,
    pub preview_scroll: u16,
    pub side_scroll: u16,
    pub message: Option<Message>,
    /// Every message shown this session, oldest first, for `M`: a message cut
    /// short at 80 columns, or gone, can still be read in full.
    pub log: Vec<Message>,
    /// The settings file and what it holds; `None` when there is nowhere to keep
    /// settings (and in tests).
    pub settings: Option<(PathBuf, crate::config::Config)>,
    /// Where the last frame put what a click can reach; set by the view.
    pub hits: super::mouse::Hits,
    /// The current item changed this recently: its full title waits until then
    /// (see `settled`).
    unsettled_until: Option<Instant>,
    /// When the running build started.
    pub building: Option<Instant>,
    /// The pack file's text as this session last read or wrote it: what its
    /// changes are made to. A save first checks the file still holds it.
    pub disk: Option<String>,
    quit_armed: bool,
    /// The pack before each change, for `u` and Ctrl-R.
    history: History,
    /// The pack as last saved or opened: undoing back to it is not a change.
    saved: Pack,
    /// Rows a page key moves; set by the view from the list's height.
    pub page: usize,
    /// Highlights the matched characters of the rows on screen.
    pub fuzzy: Fuzzy,
    /// `lib`'s labels prepared for filtering, filled in the background; replaced
    /// with the library.
    pub(super) haystacks: Arc<OnceLock<Haystacks>>,
    /// Bumped on every change to the pack; the preview is cached against it.
    generation: u64,
    preview: Option<Preview>,
    /// The picked points' places in the memo, for one generation of the pack.
    places: Option<(u64, Vec<PointPlace>)>,
    /// The item just picked: the side preview scrolls to it on the next draw.
    follow: Option<String>,
    /// How to open the review screen; `None` when the library is not on disk.
    pub review_setup: Option<review_screen::Setup>,
    /// The review screen, once opened (it keeps its place and undo when left).
    pub review: Option<ReviewScreen>,
}

/// How long the cursor rests on an item before its full title is drawn: moving
/// through a list sends no titles over the wire, only the rows.
pub(crate) const TITLE_DELAY: Duration = Duration::from_millis(300);

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
            layer: Layer::None,
            form: Form::default(),
            detail_scroll: 0,
            preview_scroll: 0,
            side_scroll: 0,
            message: None,
            log: Vec::new(),
            settings: None,
            hits: super::mouse::Hits::default(),
            unsettled_until: None,
            building: None,
            disk: None,
            quit_armed: false,
            history: History::default(),
            saved: Pack::new(),
            page: 10,
            fuzzy: Fuzzy::default(),
            generation: 0,
            preview: None,
            places: None,
            follow: None,
            review_setup: None,
            review: None,
        };
        app.saved = app.pack.clone();
        app.refresh_all();
        app
    }

    /// The id of the record under the cursor in the focused pane.
    pub(crate) fn current_id(&self) -> Option<String> {
        self.pane()
            .current()
            .map(|r| list::id(&self.lib, self.focus, r.index).to_owned())
    }

    /// The current record's label, quoted and cut short, for messages.
    fn quoted_current(&self) -> String {
        const ROOM: usize = 40;
        let Some(row) = self.pane().current() else {
            return String::new();
        };
        let label = list::label_cow(&self.lib, self.focus, row.index);
        if label.chars().count() > ROOM {
            let cut: String = label.chars().take(ROOM - 1).collect();
            format!("“{}…”", cut.trim_end())
        } else {
            format!("“{label}”")
        }
    }

    pub(crate) fn pane(&self) -> &PaneState {
        &self.panes[self.focus.index()]
    }

    fn pane_mut(&mut self) -> &mut PaneState {
        &mut self.panes[self.focus.index()]
    }

    pub(crate) fn info(&mut self, text: impl Into<String>) {
        self.show(Message::new(text, false));
    }

    pub(crate) fn error(&mut self, text: impl Into<String>) {
        self.show(Message::new(text, true));
    }

    /// Puts a message on the message line, and in the log.
    fn show(&mut self, m: Message) {
        /// Enough for a session's worth of reading back, bounded however long it runs.
        const LOG_MAX: usize = 500;
        if self.log.last() != Some(&m) {
            if self.log.len() == LOG_MAX {
                self.log.remove(0);
            }
            self.log.push(m.clone());
        }
        self.message = Some(m);
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
        let memo_order = pane == Pane::Points && self.panes[i].filters.selected_only;
        let (rows, memo) = if memo_order {
            self.in_memo_order(rows)
        } else {
            (rows, Vec::new())
        };
        let st = &mut self.panes[i];
        st.rows = rows;
        st.memo = memo;
        if let Some(pos) = keep.and_then(|index| st.rows.iter().position(|r| r.index == index)) {
            st.cursor = pos;
        }
        st.cursor = st.cursor.min(st.rows.len().saturating_sub(1));
    }

    /// The picked points as the memo prints them, recomposed only after a change.
    pub(crate) fn point_places(&mut self) -> &[PointPlace] {
        if self.places.as_ref().is_none_or(|(g, _)| *g != self.generation) {
            let doc = compose(&self.lib, &self.pack, &self.template);
            self.places = Some((self.generation, doc.point_places()));
        }
        self.places.as_ref().map_or(&[], |(_, p)| p.as_slice())
    }

    /// The memo's number for point `id` and how many points the memo prints, when
    /// `point_places` has been worked out for the pack as it is now.
    pub(crate) fn memo_number(&self, id: &str) -> Option<(usize, usize)> {
        let (generation, places) = self.places.as_ref()?;
        if *generation != self.generation {
            return None;
        }
        let place = places.iter().find(|p| p.id == id)?;
        Some((place.number, places.len()))
    }

    /// Picked points' rows in the memo's order (exact matches of a query still
    /// first), each with its number and group.
    fn in_memo_order(&mut self, rows: Vec<Row>) -> (Vec<Row>, Vec<(usize, String)>) {
        let lib = Arc::clone(&self.lib);
        let places = self.point_places();
        let at: std::collections::HashMap<&str, usize> = places
            .iter()
            .enumerate()
            .map(|(n, p)| (p.id.as_str(), n))
            .collect();
        let mut keyed: Vec<(Row, Option<usize>)> = rows
            .into_iter()
            .map(|r| (r, at.get(lib.points[r.index].id.as_str()).copied()))
            .collect();
        keyed.sort_by_key(|(r, n)| (r.loose, n.unwrap_or(usize::MAX)));
        let memo = keyed
            .iter()
            .map(|(_, n)| {
                n.and_then(|n| places.get(n))
                    .map_or((0, String::new()), |p| (p.number, p.group.clone()))
            })
            .collect();
        (keyed.into_iter().map(|(r, _)| r).collect(), memo)
    }

    pub(super) fn refresh_pane(&mut self, pane: Pane) {
        self.refresh(pane);
    }

    pub(super) fn refresh_all(&mut self) {
        for p in Pane::ALL {
            self.refresh(p);
        }
    }

    /// The pack changed, as `what` says ("picked …"): marked unsaved, drafted,
    /// and undoable from `before`.
    pub(super) fn changed(&mut self, before: Pack, what: String) {
        self.history.record(before, what);
        self.dirty = true;
        self.generation += 1;
    }

    /// Bumped by every change to the pack: the autosave compares it after each
    /// event, so no action can change the pack without reaching the draft.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// The memo as plain text at `width` columns, recomposed only after a change.
    pub(crate) fn preview_lines(&mut self, width: usize) -> &[String] {
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
    pub(crate) fn take_follow(&mut self, width: usize) -> Option<usize> {
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
                let (screen, generation) = (self.screen, self.generation);
                let before = self.message.clone();
                let item = (self.focus, self.pane().current().map(|r| r.index));
                let effects = self.key(key);
                if (self.focus, self.pane().current().map(|r| r.index)) != item {
                    self.unsettled_until = Some(Instant::now() + TITLE_DELAY);
                }
                // A note about what was on screen ("3 of 6 points shown") stops
                // being true once the screen or the pack changes under it; errors
                // stay until read and replaced.
                let moved_on = self.screen != screen || self.generation != generation;
                if moved_on && self.message == before && before.as_ref().is_some_and(|m| !m.error) {
                    self.message = None;
                }
                // Any key but a second `q` takes the warning back.
                if was_armed && !matches!(effects.first(), Some(Effect::Quit)) {
                    self.quit_armed = false;
                    if self.message.as_ref().is_some_and(|m| m.text == QUIT_WARNING) {
                        self.message = None;
                    }
                }
                effects
            }
            Event::Resize => Vec::new(),
            Event::Mouse(m) => {
                self.mouse(m);
                Vec::new()
            }
            Event::Tick => {
                if self.unsettled_until.is_some_and(|t| Instant::now() >= t) {
                    self.unsettled_until = None;
                }
                Vec::new()
            }
            Event::Built(result) => {
                self.building = None;
                match result {
                    Ok(b) => {
                        // Each warning goes to the log, so a dated line is named
                        // in the interface as on the command line; the message
                        // line counts them and says where they are.
                        for w in &b.warnings {
                            self.show(Message::new(format!("Warning: {w}"), false));
                        }
                        let warn = match b.warnings.len() {
                            0 => String::new(),
                            1 => ", 1 warning (M shows it)".to_owned(),
                            n => format!(", {n} warnings (M shows them)"),
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
        let before = self.pack.clone();
        self.pack.set_field(field, text)?;
        if self.pack.field_text(field) != before.field_text(field) {
            self.changed(before, format!("the edit of {}", field.label()));
        }
        Ok(())
    }

    fn key(&mut self, key: KeyEvent) -> Vec<Effect> {
        // What answers a key, first to last: Ctrl-Z; the answer to "quit losing
        // the changes?" (`y`; any other key stays and goes on to what follows);
        // the clash dialog (all but Ctrl-C); the review screen; Ctrl-C; the
        // layer open on top; the screen.
        if keymap::lookup(&[keymap::GLOBAL], &key) == Some(Cmd::Suspend) {
            return vec![Effect::Suspend];
        }
        if let Layer::Abandon { .. } = self.layer {
            self.layer.pop();
            if keymap::lookup(&[keymap::ABANDON], &key) == Some(Cmd::Abandon) {
                return vec![Effect::Abandon];
            }
            self.say(Message::new(
                "Still here; your changes are on screen. Ctrl-S saves the pack.",
                false,
            ));
        }
        let ctrl_c = key_is(&key, KeyCode::Char('c'), true);
        if matches!(self.layer, Layer::Clash { .. }) && !ctrl_c {
            let cmd = keymap::lookup(&[keymap::CLASH], &key);
            return self.clash_key(cmd);
        }
        if self.screen == Screen::Review {
            return self.review_key(key);
        }
        if ctrl_c {
            return self.quit();
        }
        match self.layer {
            Layer::Offer(_) => {
                let cmd = keymap::lookup(&[keymap::OFFER], &key);
                return self.offer_key(cmd);
            }
            Layer::Help { .. } => {
                let cmd = keymap::lookup(&[keymap::HELP], &key);
                self.help_cmd(cmd);
                return Vec::new();
            }
            Layer::Log { .. } => {
                let cmd = keymap::lookup(&[keymap::LOG], &key);
                self.help_cmd(cmd);
                return Vec::new();
            }
            Layer::Prompt(_) => return self.prompt_key(key),
            Layer::Edit(_) => return self.form_edit_key(key),
            Layer::Find => return self.filter_key(key),
            Layer::Pick(_) => {
                self.picker_key(key);
                return Vec::new();
            }
            Layer::FindAll(_) => {
                self.find_all_key(key);
                return Vec::new();
            }
            // Ctrl-C over the clash dialog (the others are taken above).
            Layer::Clash { .. } | Layer::Abandon { .. } | Layer::None => {}
        }
        match keymap::lookup(&[self.keymap(), keymap::GLOBAL], &key) {
            Some(cmd) => self.command(cmd),
            None => Vec::new(),
        }
    }

    /// The table of the screen shown (the review screen has its own, see
    /// `keymap::REVIEW`).
    pub(crate) fn keymap(&self) -> &'static [Binding<Cmd>] {
        match self.screen {
            Screen::Browse | Screen::Review => keymap::BROWSE,
            Screen::Detail => keymap::DETAIL,
            Screen::Preview => keymap::PREVIEW,
            Screen::Form => keymap::FORM,
        }
    }

    /// Carries out a command of the screen shown.
    fn command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let page = self.page.max(1);
        match (self.screen, cmd) {
            (_, Cmd::Save) => return self.save(),
            (_, Cmd::Quit) => return self.quit(),
            (_, Cmd::Suspend) => return vec![Effect::Suspend],
            (_, Cmd::Help) => self.layer = Layer::Help { scroll: 0 },
            (_, Cmd::Log) => self.layer = Layer::Log { scroll: u16::MAX },
            (_, Cmd::Build) => return self.build(),
            (_, Cmd::BuildCopies) => return self.build_copies(),
            (_, Cmd::Undo) => self.undo(),
            (_, Cmd::Redo) => self.redo(),
            (_, Cmd::Pick) => self.toggle_current(),
            (_, Cmd::Header) => self.screen = Screen::Form,
            (_, Cmd::Preview) => {
                self.screen = Screen::Preview;
                self.preview_scroll = 0;
            }
            (Screen::Browse | Screen::Review, Cmd::Move(m)) => self.move_cursor(m.delta(page)),
            (Screen::Detail, Cmd::Move(m)) => self.detail_scroll = m.scroll(self.detail_scroll, page),
            (Screen::Preview, Cmd::Move(m)) => self.preview_scroll = m.scroll(self.preview_scroll, page),
            (Screen::Form, Cmd::Move(m)) => {
                let last = Field::ALL.len() - 1;
                self.form.cursor = self.form.cursor.saturating_add_signed(m.delta(page)).min(last);
            }
            (Screen::Browse, Cmd::Back) => {
                if self.pane().filters.is_active() {
                    self.pane_mut().filters = Filters::default();
                    self.refresh(self.focus);
                    self.info("Filters cleared.");
                } else {
                    self.info("Nothing to close or clear here; q quits.");
                }
            }
            (_, Cmd::Back) => self.screen = Screen::Browse,
            (_, Cmd::NextPane) => self.focus_pane(self.focus.next()),
            (_, Cmd::PrevPane) => self.focus_pane(self.focus.prev()),
            (_, Cmd::Focus(i)) => self.focus_pane(Pane::ALL[i.min(2)]),
            (_, Cmd::SideDown) => self.side_scroll = self.side_scroll.saturating_add(half(page)),
            (_, Cmd::SideUp) => self.side_scroll = self.side_scroll.saturating_sub(half(page)),
            (_, Cmd::Details) => {
                if self.pane().current().is_some() {
                    self.screen = Screen::Detail;
                    self.detail_scroll = 0;
                }
            }
            (_, Cmd::Find) => {
                self.layer = Layer::Find;
                self.message = None;
            }
            (_, Cmd::FindAll) => self.open_find_all(),
            (_, Cmd::FilterKind) => self.open_picker(super::picker::PickFor::Kind),
            (_, Cmd::FilterStatus) => self.open_picker(super::picker::PickFor::Status),
            (_, Cmd::FilterTag) => self.open_picker(super::picker::PickFor::Tag),
            (_, Cmd::LinkedOnly) => self.cycle_filter('l'),
            (_, Cmd::PickedOnly) => self.cycle_filter('o'),
            (_, Cmd::Later) => self.move_in_memo(1),
            (_, Cmd::Earlier) => self.move_in_memo(-1),
            (_, Cmd::SideToggle) => {
                self.side = match self.side {
                    Side::Detail => Side::Preview,
                    Side::Preview => Side::Detail,
                };
                self.side_scroll = 0;
            }
            (_, Cmd::Review) => {
                let on_disk = self
                    .review_setup
                    .as_ref()
                    .is_some_and(|s| s.source.dir().is_some());
                if on_disk {
                    self.open_review();
                } else {
                    self.ask_library_dir();
                }
            }
            (_, Cmd::EditField) => return self.edit_field(),
            (_, Cmd::EditExternal) => {
                let field = self.form.field();
                return vec![Effect::Edit(field, self.pack.field_text(field))];
            }
            // The layers' commands; `key` sends them to the layer's handler.
            (
                _,
                Cmd::Close
                | Cmd::Restore
                | Cmd::Discard
                | Cmd::Keep
                | Cmd::Accept
                | Cmd::Cancel
                | Cmd::AcceptUp
                | Cmd::Merge
                | Cmd::SaveAs
                | Cmd::Overwrite
                | Cmd::Abandon
                | Cmd::Complete,
            ) => {}
        }
        Vec::new()
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
    pub(crate) fn unsaved(&self) -> bool {
        self.dirty || self.typing().is_some()
    }

    /// The run loop could not write the draft on quitting: the user may stay and
    /// save, or quit losing the changes, after saying so with `y`.
    pub(crate) fn cannot_keep_draft(&mut self, why: &str) {
        if !self.offers_to_abandon() {
            self.layer.push(|under| Layer::Abandon { under });
        }
        self.say(Message::new(
            format!(
                "Cannot keep a draft: y quits and LOSES the changes, Ctrl-S saves, any other key stays ({}).",
                crate::clean::line(why)
            ),
            true,
        ));
    }

    /// Whether the cursor has rested on its item long enough for the full title.
    pub(crate) fn settled(&self) -> bool {
        self.unsettled_until.is_none()
    }

    /// Takes the wait for the full title as over (the run loop does, on a tick
    /// after `TITLE_DELAY`; tests do at once).
    pub fn settle(&mut self) {
        self.unsettled_until = None;
    }

    /// How long the run loop may sleep before the full title is due.
    pub(crate) fn settle_timeout(&self, now: Instant) -> Option<Duration> {
        self.unsettled_until.map(|t| t.saturating_duration_since(now))
    }

    /// Whether `y` now quits losing the changes (see `cannot_keep_draft`).
    pub(crate) fn offers_to_abandon(&self) -> bool {
        matches!(self.layer, Layer::Abandon { .. })
    }

    /// A message where the user is looking: the review screen has its own line.
    fn say(&mut self, m: Message) {
        match (self.screen, self.review.as_mut()) {
            (Screen::Review, Some(r)) => r.message = Some(m),
            _ => self.show(m),
        }
    }

    fn save(&mut self) -> Vec<Effect> {
        if let Some(p) = &self.path {
            vec![Effect::Save(p.clone())]
        } else {
            self.layer = Layer::Prompt(Prompt {
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
    pub(crate) fn save_to(&mut self, path: &Path) -> bool {
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
                self.saved = self.pack.clone();
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
        self.layer = Layer::Prompt(Prompt {
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
        let cmd = keymap::lookup(&[keymap::PROMPT], &key);
        let Layer::Prompt(prompt) = &mut self.layer else {
            return Vec::new();
        };
        if prompt.purpose == PromptFor::LibraryDir {
            self.library_dir_key(key);
            return Vec::new();
        }
        match cmd {
            Some(Cmd::Cancel) => {
                self.layer = Layer::None;
                self.message = None;
            }
            Some(Cmd::Accept) => {
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
                    PromptFor::LibraryDir => false,
                };
                let Layer::Prompt(prompt) = &mut self.layer else {
                    return Vec::new();
                };
                if ask && !prompt.confirm_replace {
                    prompt.confirm_replace = true;
                    let what = match purpose {
                        PromptFor::BuildPdf => "exists and was not made by briefpack",
                        PromptFor::SavePack | PromptFor::LibraryDir => "exists",
                    };
                    self.error(format!(
                        "{} {what}: Enter again replaces it, Esc cancels.",
                        path.display()
                    ));
                    return Vec::new();
                }
                self.layer = Layer::None;
                return match purpose {
                    PromptFor::SavePack => vec![Effect::Save(path)],
                    PromptFor::BuildPdf => self.start_build(path),
                    PromptFor::LibraryDir => Vec::new(),
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

    /// A key of the help or the message log: both scroll and close.
    fn help_cmd(&mut self, cmd: Option<Cmd>) {
        let (Layer::Help { scroll } | Layer::Log { scroll }) = &mut self.layer else {
            return;
        };
        match cmd {
            Some(Cmd::Close) => self.layer = Layer::None,
            Some(Cmd::Move(m)) => *scroll = m.scroll(*scroll, 1),
            _ => {}
        }
    }

    fn filter_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match keymap::lookup(&[keymap::FIND], &key) {
            Some(Cmd::Accept) => {
                self.layer = Layer::None;
                self.search_summary();
            }
            Some(Cmd::Cancel) => {
                self.layer = Layer::None;
                self.pane_mut().filters.query.clear();
                self.refresh(self.focus);
            }
            Some(Cmd::Move(m)) => self.move_cursor(m.delta(1)),
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

    /// After a search is kept: when nothing matched exactly, says so with the
    /// query, in full, where the list's divider has no room for it.
    fn search_summary(&mut self) {
        let query = self.pane().filters.query.trim().to_owned();
        let rows = &self.pane().rows;
        let exact = list::exact_count(rows);
        if query.is_empty() || exact > 0 || rows.is_empty() {
            return;
        }
        let loose = rows.len();
        let narrowed = self.pane().filters.narrowed_by(self.focus);
        self.info(super::filter::no_exact_match(&query, &narrowed, loose));
    }

    pub(super) fn move_cursor(&mut self, delta: isize) {
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

    pub(super) fn toggle_current(&mut self) {
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
        let before = self.pack.clone();
        let picked = self.pack.selection.toggle(kind, &id);
        let what = format!(
            "{} {}",
            if picked { "picking" } else { "unpicking" },
            self.quoted_current()
        );
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
        self.changed(before, what);
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
        if !self.pack.selection.contains(kind, &id) {
            self.info("Pick it first (Space); only picked items have a place in the memo.");
            return;
        }
        if self.focus == Pane::Points {
            self.move_point_in_group(&id, delta);
            return;
        }
        let total = self.pack.selection.ids(kind).map_or(0, Vec::len);
        let before = self.pack.clone();
        if let Some(to) = self.pack.selection.move_by(kind, &id, delta) {
            let what = format!("moving {} in the memo", self.quoted_current());
            self.changed(before, what);
            self.refresh(self.focus);
            self.info(format!(
                "Now {} of {total} {} in the memo.",
                to + 1,
                self.focus.title().to_lowercase()
            ));
        }
    }

    /// J/K on a point: the memo groups points (by topic, then kind, or the other
    /// way, as the template says), so a point
    /// moves past its neighbour within its group; the message quotes the memo's number.
    fn move_point_in_group(&mut self, id: &str, delta: isize) {
        let places = self.point_places().to_vec();
        let Some(here) = places.iter().position(|p| p.id == id) else {
            return;
        };
        let group = places[here].group.clone();
        let neighbour = here
            .checked_add_signed(delta.signum())
            .and_then(|n| places.get(n))
            .filter(|p| p.group == group);
        let Some(neighbour) = neighbour else {
            let end = if delta > 0 { "last" } else { "first" };
            let order = match self.template.points {
                crate::template::PointGrouping::ByTopic => "by topic, then kind",
                crate::template::PointGrouping::ByKind => "by kind, then theme",
            };
            self.info(format!(
                "Point {} is already {end} in {group}; the memo groups points {order}.",
                places[here].number
            ));
            return;
        };
        let list = &self.pack.selection.points;
        let (Some(from), Some(to)) = (
            list.iter().position(|x| x == id),
            list.iter().position(|x| *x == neighbour.id),
        ) else {
            return;
        };
        let before = self.pack.clone();
        let what = format!("moving {} in the memo", self.quoted_current());
        // A swap: the groups' first places in the selection, which order the
        // themes, stay where they were.
        self.pack.selection.points.swap(from, to);
        self.changed(before, what);
        self.refresh(self.focus);
        let number = self
            .point_places()
            .iter()
            .find(|p| p.id == id)
            .map_or(0, |p| p.number);
        self.info(format!("Now point {number} of the memo, in {group}."));
    }

    fn cycle_filter(&mut self, which: char) {
        let pane = self.focus;
        let f = &mut self.panes[pane.index()].filters;
        match which {
            'l' if pane != Pane::Threats => f.linked_only = !f.linked_only,
            'o' => f.selected_only = !f.selected_only,
            _ => {
                self.info("Linked only (l) applies to points and partners.");
                return;
            }
        }
        self.filters_changed(pane);
    }

    /// A pane's filters changed: its rows follow, and a note says how many show.
    pub(super) fn filters_changed(&mut self, pane: Pane) {
        self.refresh(pane);
        let shown = self.pane().rows.len();
        let total = self.lib.count(pane.kind());
        self.info(format!(
            "{shown} of {total} {} shown.",
            pane.title().to_lowercase()
        ));
    }

    /// Switches to the review screen, opening it the first time.
    /// The review screen as `briefpack review` opens it: `q` there quits.
    pub(crate) fn open_review_only(&mut self) {
        self.open_review();
        if let Some(r) = self.review.as_mut() {
            r.standalone = true;
        }
    }

    pub(crate) fn open_review(&mut self) {
        if self.review.is_none() {
            let setup = self.review_setup.clone().unwrap_or_else(|| review_screen::Setup {
                source: crate::library::DataSource::Embedded,
                // Nothing is reviewed without a library on disk, so no day is needed.
                today: chrono::NaiveDate::default(),
                policy: crate::review::Policy::default(),
                sources_dir: None,
                reviewer: None,
                saved_reviewer: None,
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
        if let Some(name) = review.new_reviewer.take() {
            if let Err(e) = self.remember(|c| c.reviewer = Some(name)) {
                if let Some(r) = self.review.as_mut() {
                    r.error(format!("Your name is not kept for next time: {e:#}"));
                }
            }
        }
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
        self.places = None;
        self.refresh_all();
    }

    pub(super) fn focus_pane(&mut self, pane: Pane) {
        self.focus = pane;
        self.new_details();
    }

    /// Enter on a header field: Status switches, any other field opens for typing.
    fn edit_field(&mut self) -> Vec<Effect> {
        let field = self.form.field();
        if field == Field::Status {
            let next = match self.pack.memo.status {
                MemoStatus::Draft => "final",
                MemoStatus::Final => "draft",
            };
            if let Err(e) = self.set_field(field, next) {
                self.error(e);
            }
        } else {
            self.layer = Layer::Edit(LineInput::new(&form::inline_text(&self.pack, field)));
            self.message = None;
        }
        Vec::new()
    }

    fn form_edit_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let field = self.form.field();
        let cmd = keymap::lookup(&[keymap::EDIT], &key);
        let Layer::Edit(input) = &mut self.layer else {
            return Vec::new();
        };
        match cmd {
            Some(Cmd::Cancel) => {
                self.layer = Layer::None;
                self.message = None;
            }
            Some(Cmd::Accept | Cmd::AcceptUp) => {
                let text = form::from_inline(field, &input.text);
                match self.set_field(field, &text) {
                    Ok(()) => {
                        self.layer = Layer::None;
                        self.message = None;
                        let last = Field::ALL.len() - 1;
                        match key.code {
                            _ if cmd == Some(Cmd::AcceptUp) => {
                                self.form.cursor = self.form.cursor.saturating_sub(1);
                            }
                            KeyCode::Enter => {}
                            _ => self.form.cursor = (self.form.cursor + 1).min(last),
                        }
                    }
                    Err(e) => self.error(e),
                }
            }
            _ => {
                if input.key(key) {
                    // Shown as typed but not logged: a date typed key by key is
                    // wrong until its last digit, and the log is for what happened.
                    self.message = form::live_check(field, &input.text).map(|p| Message::new(p, true));
                }
            }
        }
        Vec::new()
    }

    /// What is open over the screen, for the views.
    pub(crate) fn offer(&self) -> Option<&super::offer::Offer> {
        match self.layer.base() {
            Layer::Offer(o) => Some(o),
            _ => None,
        }
    }

    pub(crate) fn prompt(&self) -> Option<&Prompt> {
        match self.layer.base() {
            Layer::Prompt(p) => Some(p),
            _ => None,
        }
    }

    /// The header field being typed, if one is.
    pub(crate) fn editing(&self) -> Option<&LineInput> {
        match self.layer.base() {
            Layer::Edit(i) => Some(i),
            _ => None,
        }
    }

    fn undo(&mut self) {
        match self.history.undo(self.pack.clone()) {
            Some((pack, what)) => {
                self.put_back(pack);
                self.info(format!("Undid: {what}. Ctrl-R redoes it."));
            }
            None if self.history.can_redo() => {
                self.info("Nothing to undo: every change is undone. Ctrl-R redoes them.");
            }
            None => self.info("Nothing to undo: no pick, reorder or header edit since the pack was opened."),
        }
    }

    fn redo(&mut self) {
        match self.history.redo(self.pack.clone()) {
            Some((pack, what)) => {
                self.put_back(pack);
                self.info(format!("Redid: {what}. u undoes it."));
            }
            None => self.info("Nothing to redo."),
        }
    }

    /// The pack from the history, with everything that shows it brought up to date.
    fn put_back(&mut self, pack: Pack) {
        self.pack = pack;
        self.generation += 1;
        // Back where it was saved, nothing is unsaved.
        self.dirty = self.pack != self.saved;
        self.refresh_all();
    }
}

/// Half a page, for Ctrl-D and Ctrl-U.
fn half(page: usize) -> u16 {
    u16::try_from(page / 2).unwrap_or(u16::MAX)
}

/// `~/briefs/x.toml` as a shell would read it.
pub(super) fn expand_home(typed: &str) -> PathBuf {
    match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(typed),
    }
}
