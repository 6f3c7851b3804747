//! The review screen's state and what each key does there. The decisions (which
//! points are due, what an action writes, whether a write conflicts) are
//! `crate::review`'s; this module turns keys into `Action`s, keeps what the user
//! typed until it is safely written, and keeps the queue in step with the file.

pub(crate) mod add;
pub(crate) mod links;
#[cfg(test)]
mod tests;

use super::app::Message;
use super::filter::{self, Fuzzy, Query, Ranked};
use super::input::LineInput;
use super::keymap::{self, Cmd, ReviewCmd};
use super::picker::{PickFor, Picked, Picker};
use crate::compose::capitalise;
use crate::library::{squash_ws, DataSource, Library, Point};
use crate::review::{
    self, queue, Action, Category, Conflict, Due, Filter, PointsStore, Policy, SortKey, WriteError, Written,
};
use add::{locate, AddField, AddForm};
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

/// What the screen is opened with. `today` is read from the clock by the caller, so
/// the queue and the stamps are testable on any day.
#[derive(Clone, Debug)]
pub struct Setup {
    pub source: DataSource,
    pub today: NaiveDate,
    pub policy: Policy,
    pub sources_dir: Option<PathBuf>,
    /// `--reviewer`; the environment, the settings and the login name come after it.
    pub reviewer: Option<String>,
    /// The reviewer's name in the settings file.
    pub saved_reviewer: Option<String>,
}

impl Setup {
    /// Opened by a person, today by the local clock: the clock is read here, at
    /// the edge, and nowhere further down.
    pub(crate) fn today(
        source: DataSource,
        policy: Policy,
        sources_dir: Option<PathBuf>,
        reviewer: Option<String>,
    ) -> Setup {
        Setup {
            source,
            today: chrono::Local::now().date_naive(),
            policy,
            sources_dir,
            reviewer,
            saved_reviewer: None,
        }
    }
}

/// Said when the library is the one built into the program.
pub(crate) const NEEDS_DATA: &str =
    "Reviewing changes the library's files, so it needs a library checkout: start briefpack with --data DIR or set BRIEFPACK_DATA.";

/// The order `s` cycles through.
const SORTS: [SortKey; 5] = [
    SortKey::File,
    SortKey::Age,
    SortKey::Reason,
    SortKey::Owner,
    SortKey::Id,
];

pub(crate) fn sort_label(key: SortKey) -> &'static str {
    match key {
        SortKey::File => "file order",
        SortKey::Id => "id",
        SortKey::Age => "oldest review first",
        SortKey::Owner => "owner",
        SortKey::Reason => "reason",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AskFor {
    Retire,
    Tags,
    Links,
    /// The reviewer's name, asked once when nothing gives it (`point` is the
    /// point the stamp was for).
    Reviewer,
}

/// A one-line question about the current point: a retirement reason, tags, links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ask {
    pub what: AskFor,
    pub point: String,
    pub input: LineInput,
    /// What the input held when it opened, to tell whether anything was typed.
    pub original: String,
}

/// Marking a point's tags, or its threats and partners, in the library's lists
/// (`t`, `l`): a picker of several.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choose {
    pub what: AskFor,
    pub point: String,
    pub picker: Picker,
    /// The marks as the point has them, to tell whether anything changed.
    pub original: Vec<bool>,
}

impl Choose {
    /// The marked values as the old one-line answer wrote them (tags, or link
    /// ids threats first), for the draft and for reading one back.
    pub(crate) fn line(&self, lib: &Library) -> String {
        let (threats, partners, tags) = self.marked(lib);
        match self.what {
            AskFor::Links => links::links_line(&threats, &partners),
            _ => tags.join(", "),
        }
    }

    /// The marked threats, partners and tags (only one kind is ever marked).
    fn marked(&self, lib: &Library) -> (Vec<String>, Vec<String>, Vec<String>) {
        let (mut threats, mut partners, mut tags) = (Vec::new(), Vec::new(), Vec::new());
        for i in self.picker.marked_indexes() {
            match self.what {
                AskFor::Links => match lib.threats.get(i) {
                    Some(t) => threats.push(t.id.clone()),
                    None => partners.extend(lib.partners.get(i - lib.threats.len()).map(|p| p.id.clone())),
                },
                _ => tags.extend(self.picker.options.get(i).cloned()),
            }
        }
        (threats, partners, tags)
    }
}

/// The point's text being edited in place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Editing {
    pub point: String,
    pub input: LineInput,
    pub original: String,
}

/// A write that someone else's change stopped, shown over what the user was doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictDialog {
    pub conflict: Conflict,
    /// Where Esc goes back to, with everything typed still in it.
    pub back: Mode,
    pub scroll: u16,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    List,
    /// Typing the `/` filter.
    Find(LineInput),
    Ask(Ask),
    Edit(Editing),
    Conflict(Box<ConflictDialog>),
    Add(Box<AddForm>),
    /// Choosing a reason or an owner to filter by, from a list that narrows as one types.
    Pick(Picker),
    Choose(Box<Choose>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Queue,
    Point,
}

/// What the app must do after a key on this screen.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) enum Then {
    #[default]
    Stay,
    /// Back to the lists.
    Leave,
    Quit,
    /// Open `$EDITOR` on a point's text.
    Editor {
        point: String,
        text: String,
    },
}

#[derive(Debug, Default)]
pub(crate) struct Reply {
    pub then: Then,
    /// The library changed on disk (a write, a reload): the main screen takes it too.
    pub lib: Option<Arc<Library>>,
}

// Independent on/off view settings of the review screen.
#[allow(clippy::struct_excessive_bools)]
pub struct ReviewScreen {
    pub setup: Setup,
    store: Option<PointsStore>,
    /// Why there is nothing to review here, in one sentence (no store).
    pub unavailable: Option<String>,
    /// The library as the store sees it; what the queue and the point pane show.
    pub lib: Arc<Library>,
    /// Errors the library has (broken links are review reasons; the rest are for `check`).
    pub problems: usize,
    /// Why points of points.toml are not in the queue (the file's first error,
    /// with its `file:line:col`), when some are not.
    pub unread: Option<String>,
    pub reviewer: Result<String, String>,
    /// Every due point, in the chosen order.
    pub due: Vec<Due>,
    /// Positions in `due` that pass the filter: the rows shown.
    pub rows: Vec<usize>,
    pub cursor: usize,
    /// First row shown; kept by the view so the cursor stays visible.
    pub offset: usize,
    pub sort: SortKey,
    pub filter: Filter,
    /// What `/` searches for, matched as the lists' `/` is (see `tui::filter`).
    pub query: String,
    /// How many of `rows` lead with an exact match of `query`; the rest matched loosely.
    pub exact: usize,
    /// Every point is listed, not only those due.
    pub all: bool,
    pub mode: Mode,
    pub message: Option<Message>,
    pub focus: Focus,
    /// The point pane fills the screen.
    pub zoom: bool,
    pub point_scroll: u16,
    pub help: bool,
    pub help_scroll: u16,
    /// Rows a page key moves and the editor's line width; set by the view.
    pub page: usize,
    pub edit_width: usize,
    lib_changed: bool,
    /// Opened by `briefpack review`: there are no lists to go back to, so `q`
    /// quits (and Esc, which never quits, only closes and clears).
    pub standalone: bool,
    /// The stamp that waits for the reviewer's name.
    pending: Option<OneKey>,
    /// A reviewer's name just given, for the settings file (the app keeps it).
    pub new_reviewer: Option<String>,
}

impl ReviewScreen {
    /// Opens the points file of `setup.source`; `fallback` is shown (and nothing can be
    /// done) when there is no file to review, as with the built-in library.
    pub(crate) fn open(setup: Setup, fallback: Arc<Library>) -> ReviewScreen {
        let reviewer =
            review::named_reviewer(setup.reviewer.as_deref(), setup.saved_reviewer.as_deref(), |k| {
                std::env::var(k).ok()
            })
            .ok_or_else(|| "no reviewer named yet".to_owned());
        let (store, unavailable) = match PointsStore::open(&setup.source) {
            Ok(s) => (Some(s), None),
            Err(_) if setup.source.dir().is_none() => (None, Some(NEEDS_DATA.to_owned())),
            Err(e) => (None, Some(sentence(&format!("{e:#}")))),
        };
        let mut screen = ReviewScreen {
            setup,
            store,
            unavailable,
            lib: fallback,
            problems: 0,
            unread: None,
            reviewer,
            due: Vec::new(),
            rows: Vec::new(),
            cursor: 0,
            offset: 0,
            sort: SortKey::File,
            filter: Filter::default(),
            query: String::new(),
            exact: 0,
            all: false,
            mode: Mode::List,
            message: None,
            focus: Focus::Queue,
            zoom: false,
            point_scroll: 0,
            help: false,
            help_scroll: 0,
            page: 10,
            edit_width: 60,
            lib_changed: false,
            standalone: false,
            pending: None,
            new_reviewer: None,
        };
        screen.refresh();
        screen.lib_changed = false;
        if let Some(problem) = &screen.unread {
            let text = format!("Some points cannot be read: {problem}");
            screen.error(sentence(&text));
        } else if screen.problems > 0 {
            screen.error(format!(
                "The library has {} problem{}; broken links and sources are in the queue, `briefpack check` lists the rest.",
                screen.problems,
                if screen.problems == 1 { "" } else { "s" }
            ));
        }
        screen
    }

    pub(crate) fn store_path(&self) -> Option<&std::path::Path> {
        self.store.as_ref().map(PointsStore::path)
    }

    pub(crate) fn undo_summary(&self) -> Option<&str> {
        self.store.as_ref().and_then(PointsStore::undo_summary)
    }

    pub(crate) fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message::new(text, false));
    }

    pub(crate) fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message::new(text, true));
    }

    pub(crate) fn current(&self) -> Option<&Due> {
        self.rows.get(self.cursor).and_then(|&i| self.due.get(i))
    }

    #[cfg(test)] // only tests ask
    pub(crate) fn current_point(&self) -> Option<&Point> {
        self.current().and_then(|d| self.lib.point(&d.id))
    }

    pub(crate) fn current_id(&self) -> Option<String> {
        self.current().map(|d| d.id.clone())
    }

    /// Rebuilds the library and the queue from the store's text, keeping the cursor on
    /// the same point, or on the one that took its place when it left the queue.
    fn refresh(&mut self) {
        let Some(store) = &self.store else { return };
        let keep = self.current_id();
        match store.library() {
            Ok(checked) => {
                self.problems = checked.errors();
                let file = self.setup.source.display_file(crate::library::Kind::Point);
                self.unread = review::unread_points(store.text(), &checked, &file);
                self.lib = Arc::new(checked.library);
                self.lib_changed = true;
            }
            Err(e) => {
                self.error(sentence(&format!("{e:#}")));
                return;
            }
        }
        let list = if self.all { queue::all_points } else { queue };
        self.due = list(
            &self.lib,
            self.setup.today,
            self.setup.policy,
            self.setup.sources_dir.as_deref(),
        );
        self.rebuild_rows(keep);
    }

    /// Sorts and filters `due` into `rows`: with a query, the exact matches first
    /// in the queue's order (the chosen sort still means something), then the
    /// loose ones, best first.
    fn rebuild_rows(&mut self, keep: Option<String>) {
        queue::sort(&mut self.due, self.sort);
        let (due, lib, filter) = (&self.due, &self.lib, &self.filter);
        match Query::parse(&self.query) {
            None => {
                self.rows = (0..due.len()).filter(|&i| filter.matches(&due[i])).collect();
                self.exact = self.rows.len();
            }
            Some(q) => {
                let ranked = Fuzzy::rank(&q, due.len(), |i| {
                    filter
                        .matches(&due[i])
                        .then(|| Cow::Owned(searched(lib, &due[i])))
                });
                let (exact, mut loose): (Vec<Ranked>, Vec<Ranked>) =
                    ranked.into_iter().partition(|r| r.exact);
                loose.sort_by_key(|r| std::cmp::Reverse(r.score));
                self.exact = exact.len();
                self.rows = exact.iter().chain(&loose).map(|r| r.index).collect();
            }
        }
        if let Some(pos) = keep.and_then(|id| self.rows.iter().position(|&i| self.due[i].id == id)) {
            self.cursor = pos;
        }
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }

    fn refilter(&mut self) {
        let keep = self.current_id();
        self.rebuild_rows(keep);
        self.point_scroll = 0;
    }

    /// Handles one key. Ctrl-Z is the app's; everything else on this screen is here.
    pub(crate) fn key(&mut self, key: KeyEvent) -> Reply {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        // The app asks before quitting with anything unsaved, typed text included:
        // it goes to the draft.
        let then = if ctrl && key.code == KeyCode::Char('c') {
            Then::Quit
        } else if self.help {
            self.help_key(key);
            Then::Stay
        } else {
            match std::mem::take(&mut self.mode) {
                Mode::List => self.list_key(key),
                Mode::Find(input) => self.find_key(input, key),
                Mode::Ask(ask) => self.ask_key(ask, key),
                Mode::Edit(editing) => self.edit_key(editing, key),
                Mode::Conflict(dialog) => self.conflict_key(*dialog, key),
                Mode::Add(form) => self.add_key(*form, key),
                Mode::Pick(picker) => self.pick_key(picker, key),
                Mode::Choose(choose) => self.choose_key(*choose, key),
            }
        };
        Reply {
            then,
            lib: self.take_changed(),
        }
    }

    /// The library, if it changed since last asked.
    pub(crate) fn take_changed(&mut self) -> Option<Arc<Library>> {
        std::mem::take(&mut self.lib_changed).then(|| Arc::clone(&self.lib))
    }

    /// The external editor finished editing a point's text: the result goes into the
    /// in-place editor and is written from there, so a conflict keeps it as typed.
    pub(crate) fn edited(&mut self, point: String, result: Result<String, String>) {
        let original = self.lib.point(&point).map(|p| p.text.clone()).unwrap_or_default();
        match result {
            Err(e) => self.error(sentence(&e)),
            Ok(text) => {
                let text = squash_ws(&text);
                let editing = Editing {
                    point,
                    input: LineInput::new(&text),
                    original,
                };
                if text.is_empty() {
                    self.error("The edited text is empty; it is in the editor here, Esc drops it.");
                    self.mode = Mode::Edit(editing);
                } else {
                    self.commit_text(editing);
                }
            }
        }
    }

    fn help_key(&mut self, key: KeyEvent) {
        match keymap::lookup(&[keymap::HELP], &key) {
            Some(Cmd::Close) => self.help = false,
            Some(Cmd::Move(m)) => self.help_scroll = m.scroll(self.help_scroll, 1),
            _ => {}
        }
    }

    fn move_cursor(&mut self, delta: isize) {
        if self.focus == Focus::Point || self.zoom {
            let by = i16::try_from(delta).unwrap_or(if delta < 0 { i16::MIN } else { i16::MAX });
            self.point_scroll = self.point_scroll.saturating_add_signed(by);
            return;
        }
        let last = self.rows.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.point_scroll = 0;
    }

    fn list_key(&mut self, key: KeyEvent) -> Then {
        let Some(cmd) = keymap::lookup(&[keymap::REVIEW], &key) else {
            return Then::Stay;
        };
        let page = self.page.max(1);
        let needs_store = !matches!(
            cmd,
            ReviewCmd::Move(_)
                | ReviewCmd::Leave
                | ReviewCmd::Quit
                | ReviewCmd::Suspend
                | ReviewCmd::Back
                | ReviewCmd::Help
                | ReviewCmd::ScrollDown
                | ReviewCmd::ScrollUp
                | ReviewCmd::SwitchFocus
                | ReviewCmd::Zoom
        );
        if needs_store {
            if let Some(why) = &self.unavailable {
                self.error(why.clone());
                return Then::Stay;
            }
        }
        match cmd {
            ReviewCmd::Move(m) => self.move_cursor(m.delta(page)),
            ReviewCmd::Leave if self.standalone => return Then::Quit,
            ReviewCmd::Leave => return Then::Leave,
            ReviewCmd::Quit => return Then::Quit,
            // The app suspends before a key reaches this screen.
            ReviewCmd::Suspend => {}
            ReviewCmd::Back if self.zoom => self.zoom = false,
            ReviewCmd::Back => {
                if self.filter == Filter::default() && self.query.is_empty() {
                    if self.standalone {
                        self.info("Nothing to close or clear here; q quits.");
                        return Then::Stay;
                    }
                    return Then::Leave;
                }
                self.filter = Filter::default();
                self.query.clear();
                self.refilter();
                self.info("Filters cleared.");
            }
            ReviewCmd::Help => {
                self.help = true;
                self.help_scroll = 0;
            }
            ReviewCmd::ScrollDown => self.point_scroll = self.point_scroll.saturating_add(half(page)),
            ReviewCmd::ScrollUp => self.point_scroll = self.point_scroll.saturating_sub(half(page)),
            ReviewCmd::SwitchFocus => {
                self.focus = match self.focus {
                    Focus::Queue => Focus::Point,
                    Focus::Point => Focus::Queue,
                }
            }
            ReviewCmd::Zoom => {
                self.zoom = !self.zoom;
                self.point_scroll = 0;
            }
            ReviewCmd::Find => {
                self.mode = Mode::Find(LineInput::new(&self.query));
                self.message = None;
            }
            ReviewCmd::Sort => self.cycle_sort(),
            ReviewCmd::Category => self.pick_category(),
            ReviewCmd::Owner => self.pick_owner(),
            ReviewCmd::All => self.toggle_all(),
            ReviewCmd::Reload => self.reload(),
            ReviewCmd::Approve => self.one_key(OneKey::Approve),
            ReviewCmd::MarkReviewed => self.one_key(OneKey::MarkReviewed),
            ReviewCmd::Reaffirm => self.one_key(OneKey::Reaffirm),
            ReviewCmd::MakeBackground => self.one_key(OneKey::MakeBackground),
            ReviewCmd::ToDraft => self.one_key(OneKey::ToDraft),
            ReviewCmd::Retire => self.open_ask(AskFor::Retire),
            ReviewCmd::Tags => self.open_choose(AskFor::Tags),
            ReviewCmd::Links => self.open_choose(AskFor::Links),
            ReviewCmd::Edit => self.open_editor(),
            ReviewCmd::EditExternal => {
                if let Some((point, text)) = self.start_on_current() {
                    return Then::Editor { point, text };
                }
            }
            ReviewCmd::Undo => self.undo(),
            ReviewCmd::New => {
                self.mode = Mode::Add(Box::default());
                self.info("New point: Tab moves between fields, Ctrl-S adds it as a draft, Esc cancels.");
            }
        }
        Then::Stay
    }

    /// `A`: every point, or only those due.
    fn toggle_all(&mut self) {
        self.all = !self.all;
        let keep = self.current_id();
        self.refresh();
        if let Some(pos) = keep.and_then(|id| self.rows.iter().position(|&i| self.due[i].id == id)) {
            self.cursor = pos;
        }
        self.point_scroll = 0;
        self.info(if self.all {
            format!(
                "Listing all {} points, due or not; A lists only those due again.",
                self.due.len()
            )
        } else {
            format!("Listing the {} points due for review.", self.due.len())
        });
    }

    fn cycle_sort(&mut self) {
        let at = SORTS.iter().position(|s| *s == self.sort).unwrap_or(0);
        self.sort = SORTS[(at + 1) % SORTS.len()];
        self.refilter();
        self.info(format!("Sorted by {}.", sort_label(self.sort)));
    }

    /// `c`: the reasons to choose from, on the current one.
    fn pick_category(&mut self) {
        let current = self
            .filter
            .category
            .and_then(|c| Category::ALL.iter().position(|x| *x == c));
        let labels = Category::ALL.iter().map(|c| c.label().to_owned());
        self.mode = Mode::Pick(Picker::new(PickFor::Reason, labels, current));
    }

    /// The owners of listed points, then "" (no owner) when some have none.
    fn owners(&self) -> Vec<String> {
        let mut owners: Vec<String> = self.due.iter().filter_map(|d| d.owner.clone()).collect();
        owners.sort();
        owners.dedup();
        if self.due.iter().any(|d| d.owner.is_none()) {
            owners.push(String::new());
        }
        owners
    }

    /// `o`: the owners to choose from, on the current one.
    fn pick_owner(&mut self) {
        let owners = self.owners();
        let current = self
            .filter
            .owner
            .as_ref()
            .and_then(|o| owners.iter().position(|x| x == o));
        let labels = owners
            .into_iter()
            .map(|o| if o.is_empty() { NO_OWNER.to_owned() } else { o });
        self.mode = Mode::Pick(Picker::new(PickFor::Owner, labels, current));
    }

    fn pick_key(&mut self, mut picker: Picker, key: KeyEvent) -> Then {
        match picker.key(key) {
            Picked::Stay => self.mode = Mode::Pick(picker),
            Picked::Cancel | Picked::Done => {}
            Picked::Chosen(i) => {
                let value = i.checked_sub(1);
                let what = if picker.what == PickFor::Reason {
                    self.filter.category = value.and_then(|v| Category::ALL.get(v).copied());
                    self.filter
                        .category
                        .map_or("every reason", Category::label)
                        .to_owned()
                } else {
                    self.filter.owner = value.and_then(|v| self.owners().get(v).cloned());
                    match self.filter.owner.as_deref() {
                        None => "every owner".to_owned(),
                        Some("") => NO_OWNER.to_owned(),
                        Some(o) => format!("owner {o}"),
                    }
                };
                self.refilter();
                self.info(format!(
                    "{} of {} due points shown: {what}.",
                    self.rows.len(),
                    self.due.len()
                ));
            }
        }
        Then::Stay
    }

    fn find_key(&mut self, mut input: LineInput, key: KeyEvent) -> Then {
        match key.code {
            KeyCode::Enter => {
                self.search_summary();
                return Then::Stay;
            }
            KeyCode::Esc => {
                self.query.clear();
                self.refilter();
                return Then::Stay;
            }
            KeyCode::Up | KeyCode::Down => self.move_cursor(if key.code == KeyCode::Up { -1 } else { 1 }),
            _ => {
                if input.key(key) && input.text != self.query {
                    self.query.clone_from(&input.text);
                    self.cursor = 0;
                    self.refilter();
                }
            }
        }
        self.mode = Mode::Find(input);
        Then::Stay
    }

    /// After a search is kept: when nothing matched exactly, says so with the
    /// query, in full, as the lists do.
    fn search_summary(&mut self) {
        let loose = self.rows.len() - self.exact;
        if self.query.trim().is_empty() || self.exact > 0 || loose == 0 {
            return;
        }
        let narrowed = self.narrowed_by();
        self.info(filter::no_exact_match(&self.query, &narrowed, loose));
    }

    /// " among reason: draft, owner zoe" when the reason or owner filter
    /// narrows what `/` searches; empty when neither does.
    pub(crate) fn narrowed_by(&self) -> String {
        let mut by = Vec::new();
        if let Some(c) = self.filter.category {
            by.push(format!("reason: {}", c.label()));
        }
        match self.filter.owner.as_deref() {
            Some("") => by.push("no owner".to_owned()),
            Some(o) => by.push(format!("owner {}", crate::clean::line(o))),
            None => {}
        }
        if by.is_empty() {
            String::new()
        } else {
            format!(" among {}", by.join(", "))
        }
    }

    /// Re-reads points.toml if someone changed it. Returns false, with a message, when
    /// the current point itself changed: the user has not seen what they would act on.
    fn catch_up(&mut self, id: &str) -> bool {
        let Some(store) = self.store.as_mut() else {
            return false;
        };
        match store.changed_on_disk() {
            Ok(false) => true,
            Ok(true) => {
                let before = self.lib.point(id).map(snapshot);
                if let Err(e) = store.reload() {
                    self.error(sentence(&format!("{e:#}")));
                    return false;
                }
                self.refresh();
                let after = self.lib.point(id).map(snapshot);
                if before == after {
                    return true;
                }
                self.error(format!(
                    "Someone else just changed `{id}` in points.toml; the screen now shows their version, so look again before acting."
                ));
                false
            }
            Err(e) => {
                self.error(sentence(&format!("{e:#}")));
                false
            }
        }
    }

    /// The current point's id and text, re-read from disk first, for an editor.
    fn start_on_current(&mut self) -> Option<(String, String)> {
        let Some(id) = self.current_id() else {
            self.info("The queue is empty here, so there is nothing to act on.");
            return None;
        };
        // An editor shows the text it edits, so reading their change first is enough.
        self.catch_up(&id);
        let Some(p) = self.lib.point(&id) else {
            self.error(format!("Point `{id}` is no longer in points.toml."));
            return None;
        };
        self.message = None;
        Some((id, p.text.clone()))
    }

    fn open_editor(&mut self) {
        if let Some((point, text)) = self.start_on_current() {
            self.mode = Mode::Edit(Editing {
                point,
                input: LineInput::new(&text),
                original: text,
            });
        }
    }

    fn open_ask(&mut self, what: AskFor) {
        let Some((point, _)) = self.start_on_current() else {
            return;
        };
        let Some(original) = self.asked(what, &point) else {
            return;
        };
        self.mode = Mode::Ask(Ask {
            what,
            point,
            input: LineInput::new(&original),
            original,
        });
    }

    fn open_choose(&mut self, what: AskFor) {
        let Some((point, _)) = self.start_on_current() else {
            return;
        };
        if let Some(choose) = self.choose_for(what, &point, None) {
            self.mode = Mode::Choose(Box::new(choose));
        }
    }

    /// The lists `t` and `l` mark in, marked as `point` has them or, resuming a
    /// draft, as `line` (the answer as one line) says.
    pub(crate) fn choose_for(&self, what: AskFor, point: &str, line: Option<&str>) -> Option<Choose> {
        let p = self.lib.point(point)?;
        let lib = &self.lib;
        let (threats, partners) = match line {
            Some(l) if what == AskFor::Links => links::parse_links(l, lib).unwrap_or_default(),
            _ => (p.threats.clone(), p.partners.clone()),
        };
        let (kind, options, original, marked): (PickFor, Vec<String>, Vec<bool>, Vec<bool>) =
            match what {
                AskFor::Tags => {
                    let tags = lib.point_tags();
                    let wanted = line.map_or_else(|| p.tags.clone(), links::split_list);
                    (
                        PickFor::Tags,
                        tags.iter().map(|t| (*t).to_owned()).collect(),
                        tags.iter().map(|t| p.tags.iter().any(|x| x == t)).collect(),
                        tags.iter().map(|t| wanted.iter().any(|x| x == t)).collect(),
                    )
                }
                AskFor::Links => {
                    let options =
                        lib.threats
                            .iter()
                            .map(|t| format!("threat {}: {}", t.id, crate::clean::line(&t.title)))
                            .chain(lib.partners.iter().map(|x| {
                                format!("partner {}: {}", x.id, crate::clean::line(&x.display_name()))
                            }))
                            .collect();
                    let marks = |ts: &[String], ps: &[String]| -> Vec<bool> {
                        lib.threats
                            .iter()
                            .map(|t| ts.contains(&t.id))
                            .chain(lib.partners.iter().map(|x| ps.contains(&x.id)))
                            .collect()
                    };
                    (
                        PickFor::Links,
                        options,
                        marks(&p.threats, &p.partners),
                        marks(&threats, &partners),
                    )
                }
                AskFor::Retire | AskFor::Reviewer => return None,
            };
        Some(Choose {
            what,
            point: point.to_owned(),
            picker: Picker::several(kind, options, marked),
            original,
        })
    }

    fn choose_key(&mut self, mut c: Choose, key: KeyEvent) -> Then {
        match c.picker.key(key) {
            Picked::Stay => {
                if self.message.as_ref().is_some_and(|m| m.text == DISCARD_EDIT) {
                    self.message = None;
                }
                self.mode = Mode::Choose(Box::new(c));
            }
            Picked::Cancel => {
                let armed = self.message.as_ref().is_some_and(|m| m.text == DISCARD_EDIT);
                if c.picker.marked.as_ref() != Some(&c.original) && !armed {
                    self.error(DISCARD_EDIT);
                    self.mode = Mode::Choose(Box::new(c));
                } else {
                    self.message = None;
                }
            }
            Picked::Chosen(_) | Picked::Done => self.write_choice(c),
        }
        Then::Stay
    }

    /// Enter in the tags or links list: writes the marks. Text that no value
    /// holds is a new tag; for links, it is refused, as it names nothing.
    fn write_choice(&mut self, c: Choose) {
        let typed = c.picker.input.text.trim().to_owned();
        let new = !typed.is_empty() && c.picker.shown().is_empty();
        let (threats, partners, mut tags) = c.marked(&self.lib);
        let action = match c.what {
            AskFor::Links if new => {
                self.error(format!(
                    "`{typed}` is neither a threat nor a partner in the library; nothing was written."
                ));
                self.mode = Mode::Choose(Box::new(c));
                return;
            }
            AskFor::Links => Action::SetLinks { threats, partners },
            _ => {
                if new {
                    tags.push(typed);
                }
                Action::SetTags(tags)
            }
        };
        if !new && c.picker.marked.as_ref() == Some(&c.original) {
            self.info("Nothing changed; nothing was written.");
            return;
        }
        let id = c.point.clone();
        self.write(&id, &action, Mode::Choose(Box::new(c)));
    }

    /// What a question about `point` starts from: its tags or links as they are.
    pub(crate) fn asked(&self, what: AskFor, point: &str) -> Option<String> {
        let p = self.lib.point(point)?;
        Some(match what {
            AskFor::Retire | AskFor::Reviewer => String::new(),
            AskFor::Tags => p.tags.join(", "),
            AskFor::Links => links::links_line(&p.threats, &p.partners),
        })
    }

    /// Who stamps `which`; when no one is named yet, asks (once: the answer is
    /// kept) and carries the stamp out after.
    fn reviewer(&mut self, which: OneKey, point: &str) -> Option<String> {
        if let Ok(r) = &self.reviewer {
            return Some(r.clone());
        }
        self.pending = Some(which);
        self.mode = Mode::Ask(Ask {
            what: AskFor::Reviewer,
            point: point.to_owned(),
            input: LineInput::new(""),
            original: String::new(),
        });
        None
    }

    fn one_key(&mut self, which: OneKey) {
        let Some(id) = self.current_id() else {
            self.info("The queue is empty here, so there is nothing to act on.");
            return;
        };
        if !self.catch_up(&id) {
            return;
        }
        let date = self.setup.today;
        let action = match which {
            OneKey::Approve => match self.reviewer(which, &id) {
                Some(reviewer) => Action::Approve { reviewer, date },
                None => return,
            },
            OneKey::MarkReviewed => match self.reviewer(which, &id) {
                Some(reviewer) => Action::MarkReviewed { reviewer, date },
                None => return,
            },
            OneKey::ToDraft => Action::ToDraft,
            OneKey::Reaffirm => match self.reviewer(which, &id) {
                Some(reviewer) => Action::Reaffirm { reviewer, date },
                None => return,
            },
            OneKey::MakeBackground => Action::MakeBackground,
        };
        self.write(&id, &action, Mode::List);
    }

    /// Writes an action. Success: the queue follows and a sentence says what happened.
    /// A conflict: the dialog, over `back`, which keeps what was typed.
    fn write(&mut self, id: &str, action: &Action, back: Mode) {
        let Some(store) = self.store.as_mut() else { return };
        match store.apply(id, action) {
            Ok(w) => {
                self.mode = Mode::List;
                self.refresh();
                self.confirm(&w);
            }
            Err(e) => self.failed(e, back),
        }
    }

    fn failed(&mut self, e: WriteError, back: Mode) {
        match e {
            WriteError::Conflict(conflict) => {
                // The store has re-read the file: the point pane shows their version.
                self.refresh();
                self.message = None;
                self.mode = Mode::Conflict(Box::new(ConflictDialog {
                    conflict,
                    back,
                    scroll: 0,
                }));
            }
            WriteError::Refused(why) => {
                self.mode = back;
                self.error(sentence(&why));
            }
            WriteError::Io(e) => {
                self.mode = back;
                self.error(sentence(&format!("{e:#}; nothing was written")));
            }
        }
    }

    fn confirm(&mut self, w: &Written) {
        let mut s = capitalise(&w.summary);
        if !w.changed {
            s.push_str("; points.toml already said so, so nothing was written");
        } else if w.merged {
            s.push_str(" on top of someone else's change to points.toml");
        }
        match self.due.iter().find(|d| d.id == w.point) {
            Some(d) => {
                // The groups, not the full reasons: the sentence must fit one line; the
                // point pane has the details.
                let mut why: Vec<Category> = d.reasons.iter().map(review::Reason::category).collect();
                why.sort();
                why.dedup();
                let why: Vec<&str> = why.iter().map(|c| c.label()).collect();
                s.push_str(&format!("; still due: {}", why.join(", ")));
            }
            None if w.changed => s.push_str("; it left the queue"),
            None => {}
        }
        s.push('.');
        self.info(s);
    }

    fn undo(&mut self) {
        let Some(store) = self.store.as_mut() else { return };
        if store.undo_summary().is_none() {
            self.info(
                "Nothing to undo: no review action has been written in this session since the last undo.",
            );
            return;
        }
        match store.undo() {
            Ok(w) => {
                self.refresh();
                // Back on the point the undo restored, wherever the queue puts it.
                if let Some(pos) = self.rows.iter().position(|&i| self.due[i].id == w.point) {
                    self.cursor = pos;
                }
                self.confirm(&w);
            }
            Err(e) => self.failed(e, Mode::List),
        }
    }

    fn reload(&mut self) {
        let Some(store) = self.store.as_mut() else { return };
        let changed = match store.changed_on_disk() {
            Ok(c) => c,
            Err(e) => {
                self.error(sentence(&format!("{e:#}")));
                return;
            }
        };
        if let Err(e) = store.reload() {
            self.error(sentence(&format!("{e:#}")));
            return;
        }
        self.refresh();
        self.info(if changed {
            "Read points.toml again: it had changed on disk, and the queue now shows the new version."
        } else {
            "points.toml has not changed since it was read."
        });
    }

    fn ask_key(&mut self, mut ask: Ask, key: KeyEvent) -> Then {
        match key.code {
            KeyCode::Esc => {
                let armed = self.message.as_ref().is_some_and(|m| m.text == DISCARD_EDIT);
                if ask.input.text != ask.original && !armed {
                    self.error(DISCARD_EDIT);
                    self.mode = Mode::Ask(ask);
                } else {
                    self.message = None;
                }
                return Then::Stay;
            }
            KeyCode::Enter if ask.what == AskFor::Reviewer => {
                let name = squash_ws(&ask.input.text);
                if name.is_empty() {
                    self.error("Type your name as reviews should be stamped, or Esc to cancel.");
                    self.mode = Mode::Ask(ask);
                    return Then::Stay;
                }
                self.reviewer = Ok(name.clone());
                self.new_reviewer = Some(name);
                if let Some(which) = self.pending.take() {
                    self.one_key(which);
                }
                return Then::Stay;
            }
            KeyCode::Enter => {
                let line = ask.input.text.clone();
                let action = match ask.what {
                    AskFor::Reviewer => return Then::Stay,
                    AskFor::Retire => Ok(Action::Retire { reason: line }),
                    AskFor::Tags => Ok(Action::SetTags(links::split_list(&line))),
                    AskFor::Links => links::parse_links(&line, &self.lib)
                        .map(|(threats, partners)| Action::SetLinks { threats, partners }),
                };
                match action {
                    Ok(action) => {
                        let id = ask.point.clone();
                        self.write(&id, &action, Mode::Ask(ask));
                    }
                    Err(why) => {
                        self.error(format!("{}; nothing was written.", capitalise(&why)));
                        self.mode = Mode::Ask(ask);
                    }
                }
                return Then::Stay;
            }
            _ => {
                if ask.input.key(key) {
                    self.message = None;
                    if ask.what == AskFor::Links {
                        // Ids already typed are checked at once (the one being typed
                        // is not finished), so Enter is not the first one hears of it.
                        let text = &ask.input.text;
                        let done = &text[..text.rfind([',', ' ']).map_or(0, |i| i + 1)];
                        if let Err(why) = links::parse_links(done, &self.lib) {
                            self.error(format!("{}.", capitalise(&why)));
                        }
                    }
                }
            }
        }
        self.mode = Mode::Ask(ask);
        Then::Stay
    }

    fn edit_key(&mut self, mut editing: Editing, key: KeyEvent) -> Then {
        let width = self.edit_width.max(1);
        match key.code {
            KeyCode::Esc => {
                let changed = editing.input.text != editing.original;
                let armed = self.message.as_ref().is_some_and(|m| m.text == DISCARD_EDIT);
                if changed && !armed {
                    self.error(DISCARD_EDIT);
                    self.mode = Mode::Edit(editing);
                } else {
                    self.message = None;
                }
                return Then::Stay;
            }
            KeyCode::Enter => {
                self.commit_text(editing);
                return Then::Stay;
            }
            KeyCode::Up => editing.input.cursor = editing.input.cursor.saturating_sub(width),
            KeyCode::Down => {
                let len = editing.input.text.chars().count();
                editing.input.cursor = (editing.input.cursor + width).min(len);
            }
            _ => {
                if editing.input.key(key) && self.message.as_ref().is_some_and(|m| m.text == DISCARD_EDIT) {
                    self.message = None;
                }
            }
        }
        self.mode = Mode::Edit(editing);
        Then::Stay
    }

    fn commit_text(&mut self, editing: Editing) {
        let text = squash_ws(&editing.input.text);
        let current = self.lib.point(&editing.point).map(|p| p.text.as_str());
        if current == Some(text.as_str()) {
            self.info("The text is unchanged, so nothing was written.");
            return;
        }
        let id = editing.point.clone();
        self.write(&id, &Action::SetText(text), Mode::Edit(editing));
    }

    fn conflict_key(&mut self, mut dialog: ConflictDialog, key: KeyEvent) -> Then {
        match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => {
                self.mode = dialog.back;
                if dialog.conflict.pending.is_some() {
                    self.info(match &self.mode {
                        Mode::List => "Your change is not written; the screen shows their version, and the same key applies yours again.",
                        _ => "Your text is kept here; Enter writes it over their version, Esc drops it.",
                    });
                }
            }
            KeyCode::Char('a') if dialog.conflict.pending.is_some() => {
                let id = dialog.conflict.point.clone();
                let back = dialog.back.clone();
                match dialog.conflict.pending.clone() {
                    Some(action) if !dialog.conflict.fields.is_empty() => self.write(&id, &action, back),
                    _ => {
                        self.error(format!(
                            "Point `{id}` is gone from points.toml, so your change cannot be applied to it."
                        ));
                        self.mode = Mode::Conflict(Box::new(dialog));
                    }
                }
            }
            KeyCode::Char('d') => {
                let id = dialog.conflict.point.clone();
                self.mode = Mode::List;
                self.info(format!(
                    "Dropped your change to `{id}`; points.toml keeps their version."
                ));
            }
            KeyCode::Char('j') | KeyCode::Down => {
                dialog.scroll = dialog.scroll.saturating_add(1);
                self.mode = Mode::Conflict(Box::new(dialog));
            }
            KeyCode::Char('k') | KeyCode::Up => {
                dialog.scroll = dialog.scroll.saturating_sub(1);
                self.mode = Mode::Conflict(Box::new(dialog));
            }
            _ => self.mode = Mode::Conflict(Box::new(dialog)),
        }
        Then::Stay
    }

    fn add_key(&mut self, mut form: AddForm, key: KeyEvent) -> Then {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('s') if ctrl => {
                self.submit(form);
                return Then::Stay;
            }
            KeyCode::Esc => {
                if form.is_blank() || form.discard_armed {
                    self.info("No point was added.");
                    return Then::Stay;
                }
                form.discard_armed = true;
                self.error(
                    "Esc again drops the new point and everything typed in it; any other key keeps it.",
                );
            }
            KeyCode::Tab if self.complete_id(&mut form) => {}
            KeyCode::Tab | KeyCode::Down | KeyCode::Enter => form.step(true),
            KeyCode::BackTab | KeyCode::Up => form.step(false),
            _ => {
                if form.key(key) {
                    self.message = None;
                }
            }
        }
        if key.code != KeyCode::Esc {
            form.discard_armed = false;
        }
        self.mode = Mode::Add(Box::new(form));
        Then::Stay
    }

    /// Tab in the threats, partners or source field: completes the id being
    /// typed; false when there is nothing to complete.
    fn complete_id(&self, form: &mut AddForm) -> bool {
        let field = form.field();
        let line = form.value(field);
        let done = match field {
            AddField::Threats => add::complete_id(line, self.lib.threats.iter().map(|x| x.id.as_str())),
            AddField::Partners => add::complete_id(line, self.lib.partners.iter().map(|x| x.id.as_str())),
            AddField::Source => add::complete_id(line, self.lib.sources.iter().map(|x| x.id.as_str())),
            _ => None,
        };
        let Some(done) = done else { return false };
        form.inputs[form.cursor] = LineInput::new(&done);
        true
    }

    fn submit(&mut self, mut form: AddForm) {
        const NAME: &str = "new point";
        let Some(store) = self.store.as_mut() else { return };
        let toml = form.to_point().to_toml();
        match store.add_point(&toml, NAME) {
            Ok(added) => {
                self.refresh();
                // A new point is a draft, so it is due; show it unless a filter hides it.
                if let Some(pos) = self.rows.iter().position(|&i| self.due[i].id == added.id) {
                    self.cursor = pos;
                } else {
                    self.filter = Filter::default();
                    self.query.clear();
                    self.rebuild_rows(Some(added.id.clone()));
                }
                self.info(format!(
                    "Added `{}` as a draft (points.toml line {}); it is due for review.",
                    added.id, added.line
                ));
            }
            Err(WriteError::Refused(why)) => {
                // Every problem is listed in the form; the first one's field gets the cursor.
                let problems: Vec<(Option<AddField>, String)> = why
                    .trim_end_matches("; the point was not added")
                    .lines()
                    .map(|l| locate(l, NAME, &toml))
                    .collect();
                if let Some(f) = problems.iter().find_map(|(f, _)| *f) {
                    form.go_to(f);
                }
                let n = problems.len();
                form.problems = problems.into_iter().map(|(_, m)| m).collect();
                let first = form.problems.first().cloned().unwrap_or_default();
                self.error(match n {
                    0 | 1 => sentence(&format!("{first}; the point was not added")),
                    n => format!("{n} problems, listed in the form; the point was not added."),
                });
                self.mode = Mode::Add(Box::new(form));
            }
            Err(e) => {
                self.error(sentence(&format!("{e}; the point was not added")));
                self.mode = Mode::Add(Box::new(form));
            }
        }
    }

    /// The keys this screen's status bar shows now, most important first.
    pub(crate) fn main_keys(&self) -> Vec<(&'static str, &'static str)> {
        if self.help {
            return keymap::key_line(&[keymap::HELP]);
        }
        match &self.mode {
            Mode::Find(_) => vec![("type", "filter"), ("Enter", "keep"), ("Esc", "clear")],
            Mode::Pick(_) => {
                let mut keys = vec![("type", "narrow")];
                keys.extend(keymap::key_line(&[keymap::PICK]));
                keys
            }
            Mode::Choose(_) => {
                let mut keys = vec![("type", "narrow")];
                keys.extend(keymap::key_line(&[keymap::PICK_SEVERAL, keymap::PICK]));
                keys
            }
            Mode::Ask(_) => vec![("Enter", "write"), ("Esc", "cancel"), ("^U", "clear")],
            Mode::Edit(_) => vec![("Enter", "write"), ("Esc", "cancel"), ("←→↑↓", "move")],
            Mode::Conflict(c) if c.conflict.pending.is_some() => vec![
                ("Esc", "back, edit kept"),
                ("a", "apply yours"),
                ("d", "drop yours"),
            ],
            Mode::Conflict(_) => vec![("Esc", "close")],
            Mode::Add(_) => vec![("Tab", "next field"), ("^S", "add"), ("Esc", "cancel")],
            Mode::List if self.unavailable.is_some() => vec![("q", "back"), ("?", "help")],
            Mode::List => {
                let mut keys = keymap::key_line(&[keymap::REVIEW]);
                if self.standalone {
                    // No lists behind `briefpack review`: q quits.
                    for k in &mut keys {
                        if *k == ("q", "back") {
                            k.1 = "quit";
                        }
                    }
                }
                keys
            }
        }
    }
}

/// The owner filter's choice for points nobody owns.
const NO_OWNER: &str = "no owner";

/// Esc pressed once in the editor with changes; the second Esc drops them.
const DISCARD_EDIT: &str = "Esc again drops your edit; Enter writes it, any other key goes on editing.";

#[derive(Clone, Copy)]
enum OneKey {
    Approve,
    MarkReviewed,
    ToDraft,
    Reaffirm,
    MakeBackground,
}

/// What `/` searches in a due point: its text, id and tags.
fn searched(lib: &Library, due: &Due) -> String {
    match lib.point(&due.id) {
        Some(p) => format!("{} {} {}", crate::clean::line(&p.text), p.id, p.tags.join(" ")),
        None => due.id.clone(),
    }
}

/// A point as it reads, for telling whether someone changed it (its place in the file,
/// which other points' edits move, is left out).
fn snapshot(p: &Point) -> String {
    serde_json::to_string(p).unwrap_or_default()
}

/// A message as one sentence: capitalised, ending in a full stop.
pub(crate) fn sentence(s: &str) -> String {
    let mut out = capitalise(s.trim());
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Half a page, for Ctrl-D and Ctrl-U.
fn half(page: usize) -> u16 {
    u16::try_from(page / 2).unwrap_or(u16::MAX)
}
