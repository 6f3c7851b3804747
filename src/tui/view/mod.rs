//! Drawing. Reads the app's state (and keeps its scroll positions in range); never
//! changes what the user picked or typed.

mod clash;
pub(super) mod detail;
mod dialog;
mod everywhere;
mod form;
pub(crate) mod help;
mod list;
mod log;
mod offer;
mod picker;
pub(crate) mod review;
mod sheet;

use super::app::{App, Layer, PromptFor, Screen, Side};
use super::list::Pane;
use super::theme::Theme;
use crate::library::Kind;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Below this the screens cannot show a list, a status bar and the keys.
pub(crate) const MIN_WIDTH: u16 = 40;
pub(crate) const MIN_HEIGHT: u16 = 10;
/// From this width the browse screen shows a side pane next to the list.
const SIDE_WIDTH: u16 = 70;

/// Every screen's rows: a top line, the main area, then the message, status and
/// key lines at the bottom.
pub(crate) fn screen_areas(area: Rect) -> [Rect; 5] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

pub fn draw(f: &mut Frame, app: &mut App, t: Theme) {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "The window is too small ({}x{}); briefpack needs at least {MIN_WIDTH}x{MIN_HEIGHT}. q quits.",
            area.width, area.height
        );
        f.render_widget(
            Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    if app.screen == Screen::Review {
        review::draw(f, area, app, t);
        clash::draw(f, area, app, t);
        return;
    }
    let [top, main, message, status, keys] = screen_areas(area);
    // What a click can reach is what this frame draws.
    app.hits = super::mouse::Hits::default();
    tabs(f, top, app, t);
    match app.screen {
        Screen::Browse => browse(f, main, app, t),
        Screen::Detail => {
            let title = format!(" {} · details ", app.focus.title());
            scrolled(f, main, &title, Scroll::Detail, app, t);
        }
        Screen::Preview => scrolled(f, main, " Memo preview ", Scroll::Preview, app, t),
        Screen::Form => form::draw(f, main, app, t),
        Screen::Review => {}
    }
    match app.layer.base() {
        Layer::Help { .. } => help::draw(f, main, app, t),
        Layer::Log { .. } => log::draw(f, main, app, t),
        Layer::Pick(_) => picker::draw(f, main, app, t),
        Layer::FindAll(_) => everywhere::draw(f, main, app, t),
        Layer::Offer(_) => offer::draw(f, main, app, t),
        _ => {}
    }
    clash::draw(f, main, app, t);
    message_line(f, message, app, t);
    status_line(f, status, app, t);
    keys_line(f, keys, &help::main_keys(app), t);
}

fn tabs(f: &mut Frame, area: Rect, app: &mut App, t: Theme) {
    let sel = &app.pack.selection;
    let mut spans = Vec::new();
    let mut x = area.x;
    app.hits.tabs.clear();
    for (n, pane) in Pane::ALL.iter().enumerate() {
        let picked = sel.ids(pane.kind()).map_or(0, Vec::len);
        let label = format!(" {} {} ({picked}) ", n + 1, pane.title());
        let w = u16::try_from(label.width()).unwrap_or(u16::MAX);
        app.hits
            .tabs
            .push((Rect::new(x, area.y, w, 1).intersection(area), *pane));
        x = x.saturating_add(w + 1);
        let focused = *pane == app.focus && app.screen != Screen::Form;
        spans.push(Span::styled(
            label,
            if focused { t.focus() } else { Style::default() },
        ));
        spans.push(Span::raw(" "));
    }
    let form = app.screen == Screen::Form;
    spans.push(Span::styled(
        " e Header ",
        if form { t.focus() } else { Style::default() },
    ));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Rows under a narrow list for the current item's full title.
const TITLE_ROWS: u16 = 2;

fn browse(f: &mut Frame, area: Rect, app: &mut App, t: Theme) {
    // Where the list cuts its titles short, the current one is shown whole below
    // it (empty while the row holds it all, so a cursor move sends no more).
    let narrow =
        area.width < SIDE_WIDTH || usize::from(area.width / 2).saturating_sub(2) < list::SHORT_NOTES_BELOW;
    let (area, title) = if narrow && area.height >= MIN_HEIGHT + TITLE_ROWS {
        let [main, title] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(TITLE_ROWS)]).areas(area);
        (main, Some(title))
    } else {
        (area, None)
    };
    let cut = if area.width < SIDE_WIDTH {
        list::draw(f, area, app, t)
    } else {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
        let cut = list::draw(f, left, app, t);
        app.hits.side = right;
        match app.side {
            Side::Detail => scrolled(f, right, " Details ", Scroll::Side, app, t),
            Side::Preview => scrolled(f, right, " Memo preview ", Scroll::Side, app, t),
        }
        cut
    };
    if let (Some(area), Some(label), true) = (title, cut, app.settled()) {
        full_title(f, area, &label, t);
    }
}

/// The current item's title across the screen's width, on up to `TITLE_ROWS`
/// rows; longer ones end in `…` (Enter shows the details).
fn full_title(f: &mut Frame, area: Rect, label: &str, t: Theme) {
    let width = area.width as usize;
    let mut lines = Vec::new();
    crate::render::text::wrap_into(&mut lines, label, " ", " ", width.saturating_sub(1));
    let rows = usize::from(area.height);
    if lines.len() > rows {
        lines.truncate(rows);
        if let Some(last) = lines.last_mut() {
            while last.width() + 1 > width.saturating_sub(1) {
                last.pop();
            }
            last.push('…');
        }
    }
    let lines: Vec<Line> = lines.into_iter().map(|l| Line::styled(l, t.heading())).collect();
    f.render_widget(Paragraph::new(lines), area);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scroll {
    Detail,
    Preview,
    Side,
}

/// A bordered, scrollable text: details or the memo preview.
fn scrolled(f: &mut Frame, area: Rect, title: &str, which: Scroll, app: &mut App, t: Theme) {
    let focused = which != Scroll::Side;
    let block = Block::bordered()
        .title(title.to_owned())
        .border_style(t.border(focused));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let width = inner.width as usize;
    let preview = which == Scroll::Preview || (which == Scroll::Side && app.side == Side::Preview);
    if which == Scroll::Side {
        if let Some(line) = app.take_follow(width) {
            app.side_scroll = u16::try_from(line).unwrap_or(u16::MAX);
        }
    }
    let lines: Vec<Line> = if preview {
        app.preview_lines(width)
            .iter()
            .map(|l| Line::raw(l.clone()))
            .collect()
    } else {
        // The details quote the point's number in the memo, worked out once a change.
        app.point_places();
        detail::lines(app, width, t)
    };
    let height = inner.height as usize;
    let max = u16::try_from(lines.len().saturating_sub(height)).unwrap_or(u16::MAX);
    let pos = match which {
        Scroll::Detail => &mut app.detail_scroll,
        Scroll::Preview => &mut app.preview_scroll,
        Scroll::Side => &mut app.side_scroll,
    };
    *pos = (*pos).min(max);
    if which != Scroll::Side {
        app.page = height.max(1);
    }
    let scroll = match which {
        Scroll::Detail => app.detail_scroll,
        Scroll::Preview => app.preview_scroll,
        Scroll::Side => app.side_scroll,
    };
    let visible: Vec<Line> = lines.into_iter().skip(scroll as usize).take(height).collect();
    f.render_widget(Paragraph::new(visible), inner);
}

fn message_line(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    if let Some(p) = app.prompt() {
        let label = match p.purpose {
            PromptFor::SavePack => "Save pack as: ",
            PromptFor::BuildPdf => "Build PDF to: ",
            PromptFor::LibraryDir => "Library checkout to review: ",
        };
        input_line(f, area, label, &p.input, t);
        return;
    }
    if matches!(app.layer.base(), Layer::Find) {
        let input = super::input::LineInput::new(&app.pane().filters.query);
        // Other filters narrow the search: say so where the query is typed.
        let label = format!(
            "Find in {}{}: /",
            app.focus.title().to_lowercase(),
            app.pane().filters.narrowed_by(app.focus)
        );
        input_line(f, area, &label, &input, t);
        return;
    }
    if let Some(m) = &app.message {
        let style = if m.error { t.error() } else { t.info() };
        let text = crate::clean::line(&m.text);
        // Cut short, a message says where the rest is.
        let line = if text.width() > area.width as usize {
            let more = "… M reads all";
            let room = (area.width as usize).saturating_sub(more.width());
            let mut used = 0;
            let head: String = text
                .chars()
                .take_while(|c| {
                    used += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                    used <= room
                })
                .collect();
            Line::from(vec![Span::styled(head, style), Span::styled(more, t.key())])
        } else {
            Line::styled(text.into_owned(), style)
        };
        f.render_widget(Paragraph::new(line), area);
    }
}

fn input_line(f: &mut Frame, area: Rect, label: &str, input: &super::input::LineInput, t: Theme) {
    let text = crate::clean::line(&input.text).into_owned();
    let label_w = label.width() as u16;
    let room = area.width.saturating_sub(label_w + 1) as usize;
    // Long input scrolls left so the end (where one types) stays in view.
    let skip = text.chars().count().saturating_sub(room);
    let shown: String = text.chars().skip(skip).collect();
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(label.to_owned(), t.key()),
            Span::raw(shown),
        ])),
        area,
    );
    let col = input.cursor_col().saturating_sub(skip as u16);
    f.set_cursor_position(Position::new(
        (area.x + label_w + col).min(area.right().saturating_sub(1)),
        area.y,
    ));
}

fn status_line(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let sel = &app.pack.selection;
    let n = |kind: Kind, one: &str, many: &str| {
        let c = sel.ids(kind).map_or(0, Vec::len);
        format!("{c} {}", if c == 1 { one } else { many })
    };
    let picked = format!(
        " Picked: {}, {}, {}",
        n(Kind::Threat, "threat", "threats"),
        n(Kind::Partner, "partner", "partners"),
        n(Kind::Point, "point", "points")
    );
    let file = match &app.path {
        Some(p) => p
            .file_name()
            .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned()),
        None => "new pack".to_owned(),
    };
    let file = crate::clean::line(&file).into_owned();
    let modified = if app.dirty { " [modified] " } else { " " };
    let mut building = String::new();
    if let Some(started) = app.building {
        const SPIN: [&str; 4] = ["|", "/", "-", "\\"];
        let tenths = started.elapsed().as_millis() / 250;
        building = format!(
            "{} building PDF {:.1}s │ ",
            SPIN[(tenths % 4) as usize],
            started.elapsed().as_secs_f32()
        );
    }
    // The review key, here because the key line is full at 80 columns; it is the
    // first to go when room runs short, then the file name shrinks from the
    // left: the modified mark always shows.
    let hint = if app.screen == Screen::Browse {
        "r review │ "
    } else {
        ""
    };
    let room = (area.width as usize).saturating_sub(picked.width() + 1);
    let fixed = building.width() + modified.width();
    let hint = if fixed + hint.width() + file.width() <= room {
        hint
    } else {
        ""
    };
    let file_room = room.saturating_sub(fixed + hint.width());
    let file = if file.width() > file_room {
        let keep: String = file
            .chars()
            .rev()
            .scan(1, |w, c| {
                *w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                (*w <= file_room).then_some(c)
            })
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if file_room > 0 {
            format!("…{keep}")
        } else {
            String::new()
        }
    } else {
        file
    };
    let right = format!("{building}{hint}{file}{modified}");
    let pad = (area.width as usize)
        .saturating_sub(picked.width() + right.width())
        .max(1);
    let line = Line::from(vec![
        Span::styled(picked, t.picked()),
        Span::raw(" ".repeat(pad)),
        Span::styled(right, if app.dirty { t.key() } else { Style::default() }),
    ]);
    f.render_widget(Paragraph::new(line).style(t.cursor()), area);
}

/// Moves a list's first shown row (`offset`) so the cursor is on screen with the
/// least scrolling, and no empty rows show below the last while rows are above.
pub(super) fn keep_in_view(cursor: usize, offset: &mut usize, height: usize, len: usize) {
    if cursor < *offset {
        *offset = cursor;
    } else if height > 0 && cursor >= *offset + height {
        *offset = cursor + 1 - height;
    }
    *offset = (*offset).min(len.saturating_sub(height.max(1)));
}

/// The keys line at the foot of a screen: as many "key what" items as fit.
pub(super) fn keys_line(f: &mut Frame, area: Rect, keys: &[(&str, &str)], t: Theme) {
    let mut spans = Vec::new();
    let mut used = 0;
    for (k, what) in keys {
        // One space before each key (two between items), then "key what".
        let sep = if spans.is_empty() { 1 } else { 2 };
        let w = sep + k.width() + 1 + what.width();
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::raw(" ".repeat(sep)));
        spans.push(Span::styled(k.to_string(), t.key()));
        spans.push(Span::raw(format!(" {what}")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
