//! Every key of each screen, for `?`, and the main ones for the status bar.

use crate::tui::app::{App, Layer, PromptFor, Screen};
use crate::tui::keymap;
use crate::tui::review::ReviewScreen;
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

/// The `?` rows of a main screen: its own keys, then those every screen has.
pub(crate) fn rows(app: &App) -> Vec<(String, &'static str)> {
    let mut rows = keymap::help_rows(&[app.keymap(), keymap::GLOBAL]);
    if app.screen == Screen::Form {
        rows.push((String::new(), ""));
        rows.extend(
            keymap::help_rows(&[keymap::EDIT])
                .into_iter()
                .map(|(k, what)| (format!("  {k}"), what)),
        );
        rows.extend(keymap::TYPING.iter().map(|(k, what)| (format!("  {k}"), *what)));
    }
    if app.screen == Screen::Browse {
        rows.push((String::new(), ""));
        rows.push(("On a narrow list, the notes in short:".to_owned(), ""));
        rows.extend(
            super::list::CODES
                .iter()
                .map(|(k, what)| (format!("  {k}"), *what)),
        );
    }
    // The dialogs that open by themselves, so their keys can be read before.
    for (title, table) in [
        ("When the pack's file changed under this session:", keymap::CLASH),
        ("When no draft can be kept on quitting:", keymap::ABANDON),
    ] {
        rows.push((String::new(), ""));
        rows.push((title.to_owned(), ""));
        rows.extend(
            keymap::help_rows(&[table])
                .into_iter()
                .map(|(k, what)| (format!("  {k}"), what)),
        );
    }
    rows
}

/// The keys the status bar shows now, most important first: those of what is
/// open on top, else the screen's.
pub(crate) fn main_keys(app: &App) -> Vec<(&'static str, &'static str)> {
    if app.offers_to_abandon() {
        let mut keys = keymap::key_line(&[keymap::ABANDON]);
        keys.extend([("^S", "save"), ("any other", "stay")]);
        return keys;
    }
    if app.clash().is_some() {
        return keymap::key_line(&[keymap::CLASH]);
    }
    let mut keys = match &app.layer {
        Layer::Offer(offer) => {
            let mut keys = keymap::key_line(&[keymap::OFFER]);
            if offer.items.len() < 2 {
                keys.retain(|(k, _)| *k != "j/k");
            }
            return keys;
        }
        Layer::Help { .. } => keymap::key_line(&[keymap::HELP]),
        Layer::Log { .. } => keymap::key_line(&[keymap::LOG]),
        Layer::Pick(_) => {
            let mut keys = vec![("type", "narrow")];
            keys.extend(keymap::key_line(&[keymap::PICK]));
            keys
        }
        Layer::FindAll(_) => {
            let mut keys = vec![("type", "find")];
            keys.extend(keymap::key_line(&[keymap::FIND_ALL]));
            keys
        }
        Layer::Prompt(p) if p.purpose == PromptFor::LibraryDir => keymap::key_line(&[keymap::FOLDER]),
        Layer::Prompt(_) => keymap::key_line(&[keymap::PROMPT]),
        Layer::Find => {
            let mut keys = vec![("type", "filter")];
            keys.extend(keymap::key_line(&[keymap::FIND]));
            keys
        }
        Layer::Edit(_) => {
            let mut keys = keymap::key_line(&[keymap::EDIT]);
            keys.push(("^U", "clear"));
            keys
        }
        Layer::Clash { .. } | Layer::Abandon { .. } | Layer::None => match app.screen {
            Screen::Review => app
                .review
                .as_ref()
                .map(ReviewScreen::main_keys)
                .unwrap_or_default(),
            _ => keymap::key_line(&[app.keymap(), keymap::GLOBAL]),
        },
    };
    keys.dedup();
    keys
}

/// A help screen's lines: each key in a column, what it does beside it, and how
/// to close the help.
pub(crate) fn key_lines(rows: &[(String, &'static str)], t: Theme) -> Vec<Line<'static>> {
    // A row with no text is a heading: it has the whole line, not the key column.
    let key_w = rows
        .iter()
        .filter(|(_, what)| !what.is_empty())
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|(k, what)| {
            if what.is_empty() {
                return Line::styled(format!(" {k}"), t.dim());
            }
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

pub(crate) fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let lines = key_lines(&rows(app), t);
    let inner_h = area.height.saturating_sub(2) as usize;
    let max = lines.len().saturating_sub(inner_h) as u16;
    let scroll = match app.layer {
        Layer::Help { scroll } => scroll.min(max),
        _ => 0,
    };
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
