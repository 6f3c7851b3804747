//! The list `f`, `s` and `t` choose from: what is typed on top, the values that
//! hold it below, the cursor's in reverse video.

use crate::clean;
use crate::tui::app::{App, Layer};
use crate::tui::picker::{PickFor, Picker};
use crate::tui::theme::Theme;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

pub(crate) fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    if let Layer::Pick(p) = &app.layer {
        draw_picker(f, area, p, t);
    }
}

/// A picker over `area`, wherever it is open.
pub(super) fn draw_picker(f: &mut Frame, area: Rect, p: &Picker, t: Theme) {
    let shown = p.shown();
    // A picker of one value lists "any" first, always; one of several does not.
    let any = usize::from(p.marked.is_none());
    let width = area.width.saturating_sub(4).clamp(20, 60).min(area.width);
    // Borders, what is typed, a blank, the values and a line to say none fits.
    let height = area
        .height
        .saturating_sub(2)
        .min(u16::try_from(shown.len() + 5).unwrap_or(u16::MAX));
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let mut title = format!(
        " {} · {} of {} ",
        p.title(),
        shown.len() - any,
        p.options.len() - any
    );
    if any == 0 {
        title.push_str(&format!("· {} marked ", p.marked_indexes().len()));
    }
    let block = Block::bordered().title(title).border_style(t.border(true));
    let inner = block.inner(popup);
    f.render_widget(Clear, popup);
    f.render_widget(block, popup);
    let rows = usize::from(inner.height.saturating_sub(2));
    // The cursor's row stays in view.
    let offset = p.cursor.saturating_sub(rows.saturating_sub(1));
    let typed = clean::line(&p.input.text).into_owned();
    let mut lines = vec![
        Line::from(vec![Span::styled(" Narrow: ", t.key()), Span::raw(typed)]),
        Line::raw(""),
    ];
    for (at, &i) in shown.iter().enumerate().skip(offset).take(rows) {
        let mark = match p.marked.as_ref().map(|m| m.get(i) == Some(&true)) {
            Some(true) => "[x] ",
            Some(false) => "[ ] ",
            None => "",
        };
        let text = format!(" {mark}{}", clean::line(&p.options[i]));
        let style = if at == p.cursor {
            t.cursor()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::styled(text, style));
    }
    if shown.len() == any && !p.input.text.trim().is_empty() {
        let why = match p.what {
            PickFor::Tags => " (no tag holds this; Enter adds it as a new tag)",
            PickFor::Links => " (no threat or partner holds this)",
            _ => " (no value holds this)",
        };
        lines.push(Line::styled(why, t.dim()));
    }
    f.render_widget(Paragraph::new(lines), inner);
    let col = 9 + p.input.cursor_col();
    f.set_cursor_position(Position::new(
        (inner.x + col).min(inner.right().saturating_sub(1)),
        inner.y,
    ));
}
