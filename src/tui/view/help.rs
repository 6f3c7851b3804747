//! Every key of each screen, for `?`, and the main ones for the status bar.

use crate::tui::app::{App, Screen};
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

const BROWSE: &[(&str, &str)] = &[
    ("Tab / Shift-Tab", "next / previous pane (1 2 3 jump to one)"),
    ("j k  ↓ ↑", "move"),
    ("g G  Home End", "first / last"),
    ("PgUp PgDn", "a page up / down"),
    ("Space", "pick or unpick the item for the memo"),
    ("Enter", "details of the item, full screen"),
    ("/", "find: type to filter (fuzzy); Enter keeps it, Esc clears it"),
    ("f", "filter by kind (threats: trend)"),
    ("s  t", "points: filter by status, by tag"),
    (
        "l",
        "points, partners: only those linked to picked threats/partners",
    ),
    ("o", "only picked items, in memo order"),
    ("J K  ] [", "move the picked item later / earlier in the memo"),
    ("Esc", "clear this pane's filters (or quit when there are none)"),
    ("p", "side pane: details or live memo preview"),
    ("Ctrl-D Ctrl-U", "scroll the side pane"),
    ("P  v", "memo preview, full screen"),
    ("e", "memo header form (meeting, to/from, dates, proposals…)"),
    ("b", "build the PDF (in the background)"),
    ("B", "build one numbered copy per addressee"),
    ("r", "review the library's talking points (needs --data DIR)"),
    ("Ctrl-S", "save the pack"),
    ("Ctrl-Z", "suspend (fg resumes)"),
    (
        "q  Ctrl-C",
        "quit (unsaved changes stay in a draft, offered next time)",
    ),
];

const DETAIL: &[(&str, &str)] = &[
    ("j k  ↓ ↑", "scroll"),
    ("PgUp PgDn  d u", "scroll a page"),
    ("g G", "top / bottom"),
    ("Space", "pick or unpick this item"),
    ("b", "build the PDF"),
    ("Ctrl-S", "save the pack"),
    ("Esc Enter q", "back to the lists"),
];

const PREVIEW: &[(&str, &str)] = &[
    ("j k  ↓ ↑", "scroll"),
    ("PgUp PgDn  d u", "scroll a page"),
    ("g G", "top / bottom"),
    ("e", "memo header form"),
    ("b", "build the PDF"),
    ("Ctrl-S", "save the pack"),
    ("Esc q", "back to the lists"),
];

const FORM: &[(&str, &str)] = &[
    ("j k  ↓ ↑  Tab", "move between fields"),
    (
        "Enter  i",
        "edit the field on its line (Status: switch draft/final)",
    ),
    ("  Enter Tab ↓", "  while editing: keep the value (checked first)"),
    ("  Esc", "  while editing: undo the edit"),
    ("  Ctrl-U Ctrl-W", "  while editing: clear / delete a word"),
    ("E", "edit the field in $EDITOR (lists: one item per line)"),
    ("P", "memo preview, full screen"),
    ("b", "build the PDF"),
    ("Ctrl-S", "save the pack"),
    ("Esc q", "back to the lists"),
];

pub fn keys(screen: Screen) -> &'static [(&'static str, &'static str)] {
    match screen {
        Screen::Browse => BROWSE,
        Screen::Detail => DETAIL,
        Screen::Preview => PREVIEW,
        Screen::Form => FORM,
        Screen::Review => super::review::KEYS,
    }
}

/// The keys the status bar always shows, most important first.
pub fn main_keys(app: &App) -> Vec<(&'static str, &'static str)> {
    if app.offers_to_abandon() {
        return vec![
            ("y", "quit and LOSE the changes"),
            ("^S", "save"),
            ("any other", "stay"),
        ];
    }
    if app.clash.is_some() {
        return vec![
            ("r", "merge"),
            ("a", "save as"),
            ("o", "overwrite"),
            ("Esc", "cancel"),
        ];
    }
    if let Some(offer) = &app.offer {
        let mut keys = vec![("r", "restore"), ("d", "discard"), ("Esc", "keep for later")];
        if offer.items.len() > 1 {
            keys.push(("j/k", "choose"));
        }
        return keys;
    }
    if app.prompt.is_some() {
        return vec![("Enter", "ok"), ("Esc", "cancel")];
    }
    if app.filtering {
        return vec![
            ("type", "filter"),
            ("Enter", "keep"),
            ("Esc", "clear"),
            ("↑↓", "move"),
        ];
    }
    if app.form.editing.is_some() {
        return vec![("Enter", "keep"), ("Esc", "undo"), ("^U", "clear")];
    }
    match app.screen {
        Screen::Browse => vec![
            ("Space", "pick"),
            ("Tab", "pane"),
            ("/", "find"),
            ("Enter", "details"),
            ("b", "build"),
            ("^S", "save"),
            ("?", "help"),
            ("q", "quit"),
            ("r", "review"),
            ("e", "header"),
            ("p", "preview"),
            ("J/K", "order"),
        ],
        Screen::Detail => vec![
            ("j/k", "scroll"),
            ("Space", "pick"),
            ("Esc", "back"),
            ("?", "help"),
        ],
        Screen::Preview => vec![("j/k", "scroll"), ("b", "build"), ("Esc", "back"), ("?", "help")],
        Screen::Review => app
            .review
            .as_ref()
            .map(crate::tui::review::ReviewScreen::main_keys)
            .unwrap_or_default(),
        Screen::Form => vec![
            ("Enter", "edit"),
            ("E", "$EDITOR"),
            ("j/k", "field"),
            ("^S", "save"),
            ("Esc", "back"),
            ("?", "help"),
        ],
    }
}

/// A help screen's lines: each key in a column, what it does beside it, and how
/// to close the help.
pub fn key_lines(rows: &[(&'static str, &'static str)], t: Theme) -> Vec<Line<'static>> {
    let key_w = rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0) + 2;
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!(" {k:<key_w$}"), t.key()),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        " ? Esc or q closes this help; j/k scroll it",
        t.dim(),
    ));
    lines
}

pub fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let lines = key_lines(keys(app.screen), t);
    let inner_h = area.height.saturating_sub(2) as usize;
    let max = lines.len().saturating_sub(inner_h) as u16;
    let scroll = app.help_scroll.min(max);
    let title = match app.screen {
        Screen::Browse => " Keys: lists · j/k scroll · ? closes ",
        Screen::Detail => " Keys: details · ? closes ",
        Screen::Preview => " Keys: memo preview · ? closes ",
        Screen::Form => " Keys: memo header · ? closes ",
        Screen::Review => " Keys: review · ? closes ",
    };
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .block(Block::bordered().title(title).border_style(t.border(true))),
        area,
    );
}
