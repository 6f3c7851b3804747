//! Every key of every screen, one table per screen, as helix's `keymap/default.rs`
//! does: each binding says which keys, which command, its line in `?` and whether
//! (and how) the key line shows it. Dispatch, help and the key line all read these
//! tables, so a key cannot work without being listed, nor be listed without working.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key as the tables name it: a code, with or without Ctrl. Shift is part of
/// the character (`J`), and Alt is ignored, as terminals disagree on both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn ch(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

impl Key {
    pub(crate) fn matches(self, ev: &KeyEvent) -> bool {
        let ev_ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let code = match ev.code {
            // Some terminals send Shift-Tab as Tab with Shift.
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            c => c,
        };
        self.code == code && self.ctrl == ev_ctrl
    }

    /// The key as help writes it: `j`, `Ctrl-S`, `PgDn`, `Shift-Tab`.
    pub(crate) fn name(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) if self.ctrl => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Tab => "Tab".to_owned(),
            KeyCode::BackTab => "Shift-Tab".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Right => "→".to_owned(),
            KeyCode::Home => "Home".to_owned(),
            KeyCode::End => "End".to_owned(),
            KeyCode::PageUp => "PgUp".to_owned(),
            KeyCode::PageDown => "PgDn".to_owned(),
            KeyCode::Backspace => "Backspace".to_owned(),
            KeyCode::Delete => "Del".to_owned(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

/// A table row: the keys, the command, what `?` says of it, and its place in the
/// key line (`None`: help only).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Binding<C: 'static> {
    pub keys: &'static [Key],
    pub cmd: C,
    /// The help text; empty means "shown on the row above", for pairs such as
    /// down/up that read better as one line.
    pub help: &'static str,
    pub line: Option<Short>,
}

/// A key line entry: the rank (lower shows first, as room allows), the key as
/// written there and the one word for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Short {
    pub rank: u8,
    pub key: &'static str,
    pub what: &'static str,
}

const fn b<C>(keys: &'static [Key], cmd: C, help: &'static str) -> Binding<C> {
    Binding {
        keys,
        cmd,
        help,
        line: None,
    }
}

const fn s<C>(
    keys: &'static [Key],
    cmd: C,
    help: &'static str,
    short: (u8, &'static str, &'static str),
) -> Binding<C> {
    Binding {
        keys,
        cmd,
        help,
        line: Some(Short {
            rank: short.0,
            key: short.1,
            what: short.2,
        }),
    }
}

/// The command of the first binding in `tables` (searched in order) that has `ev`.
pub(crate) fn lookup<C: Copy>(tables: &[&[Binding<C>]], ev: &KeyEvent) -> Option<C> {
    tables
        .iter()
        .flat_map(|t| t.iter())
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.cmd)
}

/// The bindings of `tables` as `lookup` sees them: each with only the keys an
/// earlier binding does not take (a screen's `q` hides the global one), those
/// left with none dropped.
fn reachable<'a, C>(tables: &[&'a [Binding<C>]]) -> Vec<(&'a Binding<C>, Vec<Key>)> {
    let mut seen: Vec<Key> = Vec::new();
    let mut out = Vec::new();
    for binding in tables.iter().flat_map(|t| t.iter()) {
        let keys: Vec<Key> = binding
            .keys
            .iter()
            .copied()
            .filter(|k| !seen.contains(k))
            .collect();
        seen.extend(&keys);
        if !keys.is_empty() {
            out.push((binding, keys));
        }
    }
    out
}

/// The `?` rows of `tables`: the keys' names and the help text; a binding with no
/// text of its own joins the row above.
pub(crate) fn help_rows<C>(tables: &[&[Binding<C>]]) -> Vec<(String, &'static str)> {
    let mut rows: Vec<(String, &'static str)> = Vec::new();
    for (binding, keys) in reachable(tables) {
        let names = keys.iter().map(|k| k.name()).collect::<Vec<_>>().join(" ");
        match rows.last_mut() {
            Some((keys, _)) if binding.help.is_empty() => {
                keys.push_str("  ");
                keys.push_str(&names);
            }
            _ => rows.push((names, binding.help)),
        }
    }
    rows
}

/// The key line's entries of `tables`, most important first.
pub(crate) fn key_line<C>(tables: &[&[Binding<C>]]) -> Vec<(&'static str, &'static str)> {
    // An entry whose keys were partly taken by an earlier table would advertise
    // the wrong key, so only whole bindings count.
    let mut shorts: Vec<Short> = reachable(tables)
        .into_iter()
        .filter(|(b, keys)| keys.len() == b.keys.len())
        .filter_map(|(b, _)| b.line)
        .collect();
    shorts.sort_by_key(|s| s.rank);
    shorts.into_iter().map(|s| (s.key, s.what)).collect()
}

/// A cursor or scroll move, sized by the caller (a page is what the view shows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Motion {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
}

impl Motion {
    /// How far the move goes with `page` rows on screen; the owner of the cursor
    /// clamps it.
    pub(crate) fn delta(self, page: usize) -> isize {
        let page = isize::try_from(page.max(1)).unwrap_or(isize::MAX / 2);
        match self {
            Motion::Down => 1,
            Motion::Up => -1,
            Motion::PageDown => page,
            Motion::PageUp => -page,
            Motion::Top => isize::MIN / 2,
            Motion::Bottom => isize::MAX / 2,
        }
    }

    /// A scroll position after the move, within `0..=u16::MAX` (the view clamps
    /// it to the last page).
    pub(crate) fn scroll(self, pos: u16, page: usize) -> u16 {
        let delta = self.delta(page).clamp(i32::MIN as isize, i32::MAX as isize);
        let moved = i64::from(pos) + delta as i64;
        u16::try_from(moved.clamp(0, i64::from(u16::MAX))).unwrap_or(u16::MAX)
    }
}

/// The main screens' commands (lists, details, preview, header form and what
/// opens over them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmd {
    Move(Motion),
    /// Ctrl-D / Ctrl-U: the side pane, half a page.
    SideDown,
    SideUp,
    NextPane,
    PrevPane,
    Focus(usize),
    Pick,
    Details,
    Find,
    /// `F`: search all three tabs at once.
    FindAll,
    FilterKind,
    FilterStatus,
    FilterTag,
    LinkedOnly,
    PickedOnly,
    Later,
    Earlier,
    SideToggle,
    Preview,
    Header,
    Build,
    /// One numbered copy per addressee of the distribution list.
    BuildCopies,
    /// The message log: every message of the session, in full.
    Log,
    /// Tab in a path prompt.
    Complete,
    Review,
    /// Esc: close, clear or go back, never quit.
    Back,
    Undo,
    Redo,
    /// The header form: edit the field on its line, or in `$EDITOR`.
    EditField,
    EditExternal,
    Save,
    Help,
    Suspend,
    Quit,
    // Over the screens: help, the restore dialog, prompts and fields.
    Close,
    Restore,
    Discard,
    Keep,
    Accept,
    Cancel,
    AcceptUp,
    /// The pack changed on disk: merge, save as another file, overwrite it.
    Merge,
    SaveAs,
    Overwrite,
    /// No draft can be kept: quit losing the changes.
    Abandon,
}

use Cmd as C;
use KeyCode as K;
use Motion as M;

const DOWN: &[Key] = &[ch('j'), code(K::Down)];
const UP: &[Key] = &[ch('k'), code(K::Up)];
const PAGE_DOWN: &[Key] = &[code(K::PageDown)];
const PAGE_UP: &[Key] = &[code(K::PageUp)];
const TOP: &[Key] = &[ch('g'), code(K::Home)];
const BOTTOM: &[Key] = &[ch('G'), code(K::End)];

/// Keys every main screen has (after the screen's own, so a screen may take one).
pub(crate) const GLOBAL: &[Binding<Cmd>] = &[
    s(&[ctrl('s')], C::Save, "save the pack", (6, "^S", "save")),
    s(&[ch('?')], C::Help, "these keys", (7, "?", "help")),
    b(&[ctrl('z')], C::Suspend, "suspend (fg resumes)"),
    b(
        &[ch('M')],
        C::Log,
        "the message log: this session's messages in full",
    ),
    s(
        &[ch('q'), ctrl('c')],
        C::Quit,
        "quit (unsaved changes stay in a draft, offered next time)",
        (8, "q", "quit"),
    ),
];

pub(crate) const BROWSE: &[Binding<Cmd>] = &[
    s(&[code(K::Tab)], C::NextPane, "next pane", (1, "Tab", "pane")),
    b(&[code(K::BackTab)], C::PrevPane, "previous pane"),
    b(&[ch('1')], C::Focus(0), "jump to threats / partners / points"),
    b(&[ch('2')], C::Focus(1), ""),
    b(&[ch('3')], C::Focus(2), ""),
    b(DOWN, C::Move(M::Down), "move down / up"),
    b(UP, C::Move(M::Up), ""),
    b(TOP, C::Move(M::Top), "first / last"),
    b(BOTTOM, C::Move(M::Bottom), ""),
    b(PAGE_DOWN, C::Move(M::PageDown), "a page down / up"),
    b(PAGE_UP, C::Move(M::PageUp), ""),
    s(
        &[ch(' ')],
        C::Pick,
        "pick or unpick the item for the memo",
        (0, "Space", "pick"),
    ),
    s(
        &[code(K::Enter)],
        C::Details,
        "details of the item, full screen",
        (3, "Enter", "details"),
    ),
    s(
        &[ch('/')],
        C::Find,
        "find: type to filter; Enter keeps it, Esc clears it",
        (2, "/", "find"),
    ),
    b(
        &[ch('F')],
        C::FindAll,
        "find in all tabs at once; Enter goes to the item",
    ),
    b(&[ch('f')], C::FilterKind, "filter by kind (threats: trend)"),
    b(&[ch('s')], C::FilterStatus, "points: filter by status"),
    b(&[ch('t')], C::FilterTag, "points: filter by tag"),
    b(
        &[ch('l')],
        C::LinkedOnly,
        "points, partners: only those linked to picked threats/partners",
    ),
    b(&[ch('o')], C::PickedOnly, "only picked items, in memo order"),
    s(
        &[ch('J'), ch(']')],
        C::Later,
        "move the picked item later / earlier in the memo",
        (13, "J/K", "order"),
    ),
    b(&[ch('K'), ch('[')], C::Earlier, ""),
    s(
        &[ch('u')],
        C::Undo,
        "undo the last pick, reorder or header edit",
        (9, "u", "undo"),
    ),
    b(&[ctrl('r')], C::Redo, "redo what was undone"),
    b(
        &[code(K::Esc)],
        C::Back,
        "clear this pane's filters (never quits)",
    ),
    s(
        &[ch('p')],
        C::SideToggle,
        "side pane: details or live memo preview",
        (12, "p", "preview"),
    ),
    b(&[ctrl('d')], C::SideDown, "scroll the side pane down / up"),
    b(&[ctrl('u')], C::SideUp, ""),
    b(&[ch('P'), ch('v')], C::Preview, "memo preview, full screen"),
    s(
        &[ch('e')],
        C::Header,
        "memo header form (meeting, to/from, dates, proposals…)",
        (11, "e", "header"),
    ),
    s(
        &[ch('b')],
        C::Build,
        "build the PDF (in the background)",
        (4, "b", "build"),
    ),
    b(
        &[ch('B')],
        C::BuildCopies,
        "build one numbered copy per addressee",
    ),
    s(
        &[ch('r')],
        C::Review,
        "review the library's talking points",
        (10, "r", "review"),
    ),
];

pub(crate) const DETAIL: &[Binding<Cmd>] = &[
    s(DOWN, C::Move(M::Down), "scroll", (0, "j/k", "scroll")),
    b(UP, C::Move(M::Up), ""),
    b(
        &[code(K::PageDown), ch('d')],
        C::Move(M::PageDown),
        "scroll a page down / up",
    ),
    b(&[code(K::PageUp), ch('u')], C::Move(M::PageUp), ""),
    b(TOP, C::Move(M::Top), "top / bottom"),
    b(BOTTOM, C::Move(M::Bottom), ""),
    s(
        &[ch(' ')],
        C::Pick,
        "pick or unpick this item",
        (1, "Space", "pick"),
    ),
    b(&[ch('b')], C::Build, "build the PDF"),
    s(
        &[code(K::Esc), code(K::Enter), ch('q')],
        C::Back,
        "back to the lists",
        (2, "Esc", "back"),
    ),
];

pub(crate) const PREVIEW: &[Binding<Cmd>] = &[
    s(DOWN, C::Move(M::Down), "scroll", (0, "j/k", "scroll")),
    b(UP, C::Move(M::Up), ""),
    b(
        &[code(K::PageDown), ch('d')],
        C::Move(M::PageDown),
        "scroll a page down / up",
    ),
    b(&[code(K::PageUp), ch('u')], C::Move(M::PageUp), ""),
    b(TOP, C::Move(M::Top), "top / bottom"),
    b(BOTTOM, C::Move(M::Bottom), ""),
    b(&[ch('e')], C::Header, "memo header form"),
    s(&[ch('b')], C::Build, "build the PDF", (1, "b", "build")),
    s(
        &[code(K::Esc), ch('q'), ch('P'), ch('v')],
        C::Back,
        "back to the lists",
        (2, "Esc", "back"),
    ),
];

pub(crate) const FORM: &[Binding<Cmd>] = &[
    s(
        &[ch('j'), code(K::Down), code(K::Tab)],
        C::Move(M::Down),
        "next / previous field",
        (2, "j/k", "field"),
    ),
    b(&[ch('k'), code(K::Up), code(K::BackTab)], C::Move(M::Up), ""),
    b(TOP, C::Move(M::Top), "first / last field"),
    b(BOTTOM, C::Move(M::Bottom), ""),
    s(
        &[code(K::Enter), ch('i'), ch(' ')],
        C::EditField,
        "edit the field on its line (Status: switch draft/final)",
        (0, "Enter", "edit"),
    ),
    s(
        &[ch('E')],
        C::EditExternal,
        "edit the field in $EDITOR (lists: one item per line)",
        (1, "E", "$EDITOR"),
    ),
    s(
        &[ch('u')],
        C::Undo,
        "undo the last change (picks too)",
        (4, "u", "undo"),
    ),
    b(&[ctrl('r')], C::Redo, "redo what was undone"),
    b(&[ch('P'), ch('v')], C::Preview, "memo preview, full screen"),
    b(&[ch('b')], C::Build, "build the PDF"),
    s(
        &[code(K::Esc), ch('q')],
        C::Back,
        "back to the lists",
        (3, "Esc", "back"),
    ),
];

/// The `?` overlay.
pub(crate) const HELP: &[Binding<Cmd>] = &[
    s(DOWN, C::Move(M::Down), "scroll the help", (0, "j/k", "scroll")),
    b(UP, C::Move(M::Up), ""),
    s(
        &[ch('?'), code(K::Esc), ch('q'), code(K::Enter)],
        C::Close,
        "close the help",
        (1, "?", "close"),
    ),
];

/// The message log (`M`).
pub(crate) const LOG: &[Binding<Cmd>] = &[
    s(
        DOWN,
        C::Move(M::Down),
        "scroll the messages",
        (0, "j/k", "scroll"),
    ),
    b(UP, C::Move(M::Up), ""),
    s(
        &[ch('M'), code(K::Esc), ch('q')],
        C::Close,
        "close the message log",
        (1, "Esc", "close"),
    ),
];

/// The restore dialog shown at start.
pub(crate) const OFFER: &[Binding<Cmd>] = &[
    s(
        &[ch('r'), code(K::Enter)],
        C::Restore,
        "restore it as the pack being edited",
        (0, "r", "restore"),
    ),
    s(
        &[ch('d')],
        C::Discard,
        "discard it for good (press twice)",
        (1, "d", "discard"),
    ),
    s(
        &[code(K::Esc), ch('l'), ch('q')],
        C::Keep,
        "keep it for later (briefpack offers it again)",
        (2, "Esc", "keep for later"),
    ),
    s(
        DOWN,
        C::Move(M::Down),
        "choose another draft",
        (3, "j/k", "choose"),
    ),
    b(UP, C::Move(M::Up), ""),
];

/// The pack changed on disk under this session (`clash.rs`).
pub(crate) const CLASH: &[Binding<Cmd>] = &[
    s(
        &[ch('r')],
        C::Merge,
        "reload the file and re-apply your changes",
        (0, "r", "merge"),
    ),
    s(
        &[ch('a')],
        C::SaveAs,
        "save your version as another file",
        (1, "a", "save as"),
    ),
    s(
        &[ch('o')],
        C::Overwrite,
        "overwrite the file with your version",
        (2, "o", "overwrite"),
    ),
    s(
        &[code(K::Esc), ch('q')],
        C::Cancel,
        "cancel: nothing written, your changes kept",
        (3, "Esc", "cancel"),
    ),
    b(DOWN, C::Move(M::Down), "scroll the changes"),
    b(UP, C::Move(M::Up), ""),
];

/// No draft could be written on quitting; any other key stays (and does what
/// it does), so Ctrl-S saves.
pub(crate) const ABANDON: &[Binding<Cmd>] = &[s(
    &[ch('y')],
    C::Abandon,
    "quit and LOSE the changes",
    (0, "y", "quit and LOSE the changes"),
)];

/// Typing the `/` filter; other keys edit the text.
pub(crate) const FIND: &[Binding<Cmd>] = &[
    s(
        &[code(K::Enter)],
        C::Accept,
        "keep the filter and go back to the list",
        (1, "Enter", "keep"),
    ),
    s(
        &[code(K::Esc)],
        C::Cancel,
        "clear the filter",
        (2, "Esc", "clear"),
    ),
    s(
        &[code(K::Down)],
        C::Move(M::Down),
        "move in the list",
        (3, "↑↓", "move"),
    ),
    b(&[code(K::Up)], C::Move(M::Up), ""),
];

/// Searching all tabs (`F`); other keys edit the text.
pub(crate) const FIND_ALL: &[Binding<Cmd>] = &[
    s(
        &[code(K::Enter)],
        C::Accept,
        "go to the item in its tab",
        (1, "Enter", "go to"),
    ),
    s(
        &[code(K::Esc)],
        C::Cancel,
        "close the search",
        (2, "Esc", "close"),
    ),
    s(
        &[code(K::Down), ctrl('n')],
        C::Move(M::Down),
        "move in the matches",
        (3, "↑↓", "move"),
    ),
    b(&[code(K::Up), ctrl('p')], C::Move(M::Up), ""),
    b(&[code(K::PageDown)], C::Move(M::PageDown), "a page down / up"),
    b(&[code(K::PageUp)], C::Move(M::PageUp), ""),
];

/// A file name prompt; other keys edit the text.
pub(crate) const PROMPT: &[Binding<Cmd>] = &[
    s(&[code(K::Enter)], C::Accept, "use this file", (0, "Enter", "ok")),
    s(&[code(K::Esc)], C::Cancel, "cancel", (1, "Esc", "cancel")),
];

/// Choosing a kind, status or tag (`picker.rs`); other keys narrow the list.
pub(crate) const PICK: &[Binding<Cmd>] = &[
    s(
        &[code(K::Enter)],
        C::Accept,
        "filter by the value chosen",
        (1, "Enter", "choose"),
    ),
    s(
        &[code(K::Esc)],
        C::Cancel,
        "leave the filter as it was",
        (2, "Esc", "cancel"),
    ),
    s(
        &[code(K::Down), ctrl('n')],
        C::Move(M::Down),
        "move in the list",
        (3, "↑↓", "move"),
    ),
    b(&[code(K::Up), ctrl('p')], C::Move(M::Up), ""),
    b(&[code(K::PageDown)], C::Move(M::PageDown), "a page down / up"),
    b(&[code(K::PageUp)], C::Move(M::PageUp), ""),
];

/// A picker of several (the review screen's tags and links), over `PICK`.
pub(crate) const PICK_SEVERAL: &[Binding<Cmd>] = &[s(
    &[ch(' ')],
    C::Pick,
    "mark or unmark the value under the cursor",
    (0, "Space", "mark"),
)];

/// Asking for the library's folder; other keys edit the text.
pub(crate) const FOLDER: &[Binding<Cmd>] = &[
    s(
        &[code(K::Tab)],
        C::Complete,
        "complete the folder's name",
        (0, "Tab", "complete"),
    ),
    s(
        &[code(K::Enter)],
        C::Accept,
        "review the library in this folder",
        (1, "Enter", "open"),
    ),
    s(&[code(K::Esc)], C::Cancel, "cancel", (2, "Esc", "cancel")),
];

/// Typing a header field; other keys edit the text.
pub(crate) const EDIT: &[Binding<Cmd>] = &[
    s(
        &[code(K::Enter), code(K::Tab), code(K::Down)],
        C::Accept,
        "keep the value (checked first); Tab and ↓ go on to the next field",
        (0, "Enter", "keep"),
    ),
    b(
        &[code(K::Up)],
        C::AcceptUp,
        "keep the value and go to the field above",
    ),
    s(&[code(K::Esc)], C::Cancel, "undo the edit", (1, "Esc", "undo")),
];

/// What the line editors (`input.rs`) do with the keys these tables leave them,
/// for help and the key line of the screens that type.
pub(crate) const TYPING: &[(&str, &str)] = &[
    ("Ctrl-U", "clear to the start"),
    ("Ctrl-W", "delete a word"),
    ("Ctrl-A Ctrl-E", "start / end of the line"),
];

/// The review screen's commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReviewCmd {
    Move(Motion),
    ScrollDown,
    ScrollUp,
    SwitchFocus,
    Zoom,
    Find,
    Category,
    Owner,
    Sort,
    All,
    Approve,
    MarkReviewed,
    Reaffirm,
    MakeBackground,
    ToDraft,
    Retire,
    Edit,
    EditExternal,
    Tags,
    Links,
    Undo,
    New,
    Reload,
    /// Esc: close the zoom, clear the filters or go back.
    Back,
    Leave,
    Help,
    /// Ctrl-C (the review screen checks first for unwritten typing) and Ctrl-Z
    /// (the app's, wherever the user is).
    Quit,
    Suspend,
}

use ReviewCmd as R;

pub(crate) const REVIEW: &[Binding<ReviewCmd>] = &[
    b(
        DOWN,
        R::Move(M::Down),
        "move in the queue (or scroll the point pane when it has focus)",
    ),
    b(UP, R::Move(M::Up), ""),
    b(TOP, R::Move(M::Top), "first / last"),
    b(BOTTOM, R::Move(M::Bottom), ""),
    b(PAGE_DOWN, R::Move(M::PageDown), "a page down / up"),
    b(PAGE_UP, R::Move(M::PageUp), ""),
    b(
        &[code(K::Tab), code(K::BackTab)],
        R::SwitchFocus,
        "focus the queue or the point pane",
    ),
    b(&[code(K::Enter)], R::Zoom, "the point full screen (again: back)"),
    b(&[ctrl('d')], R::ScrollDown, "scroll the point pane down / up"),
    b(&[ctrl('u')], R::ScrollUp, ""),
    s(
        &[ch('/')],
        R::Find,
        "find in id, text or tags (searches all points when the list shows all)",
        (9, "/", "find"),
    ),
    b(
        &[ch('c')],
        R::Category,
        "filter by reason (draft, out of date, links…), from a list",
    ),
    b(&[ch('o')], R::Owner, "filter by owner (or no owner), from a list"),
    s(
        &[ch('s')],
        R::Sort,
        "sort: file order, oldest review, reason, owner, id",
        (10, "s", "sort"),
    ),
    s(
        &[ch('A')],
        R::All,
        "list all points, or only those due",
        (12, "A", "all"),
    ),
    s(
        &[ch('a')],
        R::Approve,
        "approve (and stamp today's review and your name)",
        (0, "a", "approve"),
    ),
    s(
        &[ch('m')],
        R::MarkReviewed,
        "mark reviewed (stamp today and your name; status stays)",
        (1, "m", "reviewed"),
    ),
    b(
        &[ch('f')],
        R::Reaffirm,
        "reaffirm: the line is still our position (stamps today and your name)",
    ),
    b(
        &[ch('b')],
        R::MakeBackground,
        "make background: the line becomes history and never goes stale",
    ),
    s(&[ch('x')], R::Retire, "retire, with a reason", (2, "x", "retire")),
    s(&[ch('D')], R::ToDraft, "send back to draft", (3, "D", "draft")),
    s(
        &[ch('e')],
        R::Edit,
        "edit the text here (Enter writes, Esc cancels)",
        (4, "e", "edit"),
    ),
    b(&[ch('E')], R::EditExternal, "edit the text in $EDITOR"),
    s(
        &[ch('t')],
        R::Tags,
        "mark the tags in the library's list (Space)",
        (8, "t/l", "tags/links"),
    ),
    b(
        &[ch('l')],
        R::Links,
        "mark the threats and partners it links to (Space)",
    ),
    s(&[ch('u')], R::Undo, "undo the last action", (5, "u", "undo")),
    s(&[ch('n')], R::New, "add a new point (a form)", (11, "n", "new")),
    b(
        &[ch('r')],
        R::Reload,
        "read points.toml again (someone else may have changed it)",
    ),
    b(
        &[code(K::Esc)],
        R::Back,
        "close the full-screen point, clear the filters, or back",
    ),
    s(
        &[ch('q')],
        R::Leave,
        "back to the lists (in `briefpack review`: quit)",
        (7, "q", "back"),
    ),
    s(&[ch('?')], R::Help, "these keys", (6, "?", "help")),
    b(
        &[ctrl('c')],
        R::Quit,
        "quit briefpack (unsaved pack changes stay in a draft)",
    ),
    b(&[ctrl('z')], R::Suspend, "suspend (fg resumes)"),
];

/// Every key a test may press: letters, digits, punctuation, the named keys,
/// with and without Ctrl.
#[cfg(test)]
pub(crate) fn every_key() -> Vec<KeyEvent> {
    let named = [
        K::Enter,
        K::Esc,
        K::Tab,
        K::BackTab,
        K::Up,
        K::Down,
        K::Left,
        K::Right,
        K::Home,
        K::End,
        K::PageUp,
        K::PageDown,
        K::Backspace,
        K::Delete,
    ];
    let mut out = Vec::new();
    for c in (b' '..=b'~').map(char::from) {
        let shift = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        out.push(KeyEvent::new(K::Char(c), shift));
        if c.is_ascii_lowercase() {
            out.push(KeyEvent::new(K::Char(c), KeyModifiers::CONTROL));
        }
    }
    out.extend(named.iter().map(|&k| KeyEvent::new(k, KeyModifiers::NONE)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Within one table a key has one meaning: a second binding of it would never run.
    #[test]
    fn no_key_is_bound_twice_in_a_screen() {
        let main: [(&str, &[Binding<Cmd>]); 15] = [
            ("browse", BROWSE),
            ("find all", FIND_ALL),
            ("log", LOG),
            ("folder", FOLDER),
            ("pick", PICK),
            ("pick several", PICK_SEVERAL),
            ("detail", DETAIL),
            ("preview", PREVIEW),
            ("form", FORM),
            ("help", HELP),
            ("offer", OFFER),
            ("find", FIND),
            ("edit", EDIT),
            ("clash", CLASH),
            ("abandon", ABANDON),
        ];
        for (name, table) in main {
            let mut seen = Vec::new();
            for key in table.iter().flat_map(|b| b.keys) {
                assert!(!seen.contains(key), "{name}: {key:?} bound twice");
                seen.push(*key);
            }
        }
        let mut seen = Vec::new();
        for key in REVIEW.iter().flat_map(|b| b.keys) {
            assert!(!seen.contains(key), "review: {key:?} bound twice");
            seen.push(*key);
        }
    }

    /// A key line entry names a key of its binding, so it cannot advertise a key
    /// that does something else.
    #[test]
    fn key_line_entries_name_their_own_keys() {
        fn check<C: std::fmt::Debug>(table: &[Binding<C>]) {
            for b in table {
                let Some(short) = b.line else { continue };
                let first = short.key.split('/').find(|k| !k.is_empty()).unwrap_or(short.key);
                let names: Vec<String> = b
                    .keys
                    .iter()
                    .flat_map(|k| [k.name(), k.name().replace("Ctrl-", "^")])
                    .collect();
                assert!(
                    names.iter().any(|n| n == first) || first == "↑↓",
                    "{:?}: key line says {first:?}, keys are {names:?}",
                    b.cmd
                );
            }
        }
        for t in [
            BROWSE,
            DETAIL,
            PREVIEW,
            FORM,
            HELP,
            LOG,
            OFFER,
            FIND,
            PROMPT,
            FOLDER,
            PICK,
            EDIT,
            GLOBAL,
            CLASH,
            ABANDON,
            FIND_ALL,
            PICK_SEVERAL,
        ] {
            check(t);
        }
        check(REVIEW);
    }

    #[test]
    fn help_joins_pairs_and_names_keys_as_written() {
        let rows = help_rows(&[BROWSE]);
        assert!(
            rows.contains(&("j ↓  k ↑".to_owned(), "move down / up")),
            "{rows:?}"
        );
        assert!(rows.iter().any(|(k, _)| k == "Ctrl-D  Ctrl-U"));
        let ev = KeyEvent::new(K::Tab, KeyModifiers::SHIFT);
        assert_eq!(lookup(&[BROWSE], &ev), Some(C::PrevPane));
        let ev = KeyEvent::new(K::Char('J'), KeyModifiers::SHIFT);
        assert_eq!(lookup(&[BROWSE], &ev), Some(C::Later));
        let ev = KeyEvent::new(K::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(lookup(&[BROWSE, GLOBAL], &ev), Some(C::Save));
    }

    #[test]
    fn motions_scroll_within_bounds() {
        assert_eq!(M::Top.scroll(5, 10), 0);
        assert_eq!(M::Bottom.scroll(5, 10), u16::MAX);
        assert_eq!(M::PageDown.scroll(5, 10), 15);
        assert_eq!(M::Up.scroll(0, 10), 0);
    }
}
