//! The memo header form.

use crate::clean;
use crate::pack::Field;
use crate::tui::app::App;
use crate::tui::form::{hint, inline_text};
use crate::tui::theme::Theme;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

const LABEL_W: usize = 18;

pub(crate) fn draw(f: &mut Frame, area: Rect, app: &mut App, t: Theme) {
    let block = Block::bordered()
        .title(" Memo header ")
        .border_style(t.border(true));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let rows_h = inner.height.saturating_sub(2) as usize;
    let cursor = app.form.cursor;
    let mut offset = 0;
    super::keep_in_view(cursor, &mut offset, rows_h, Field::ALL.len());
    let value_w = (inner.width as usize).saturating_sub(LABEL_W);
    let mut lines = Vec::new();
    for (i, field) in Field::ALL.iter().enumerate().skip(offset).take(rows_h) {
        let here = i == cursor;
        let base = if here { t.cursor() } else { Style::default() };
        let label = format!(" {:<w$}", field.label(), w = LABEL_W - 1);
        let value = if let (Some(input), true) = (app.editing(), here) {
            clean::line(&input.text).into_owned()
        } else {
            let v = inline_text(&app.pack, *field);
            if v.is_empty() {
                "—".to_owned()
            } else {
                clean::line(&v).into_owned()
            }
        };
        let shown = fit(&value, value_w, app.editing().filter(|_| here).map(|i| i.cursor));
        let value_style = if here && app.editing().is_some() {
            Style::default()
        } else {
            base
        };
        lines.push(Line::from(vec![
            Span::styled(label, base.patch(t.key())),
            Span::styled(format!("{shown:<value_w$}"), value_style),
        ]));
        if let (Some(input), true) = (app.editing(), here) {
            let skipped = skipped_cols(&value, value_w, input.cursor);
            let x = inner.x + LABEL_W as u16 + input.cursor_col().saturating_sub(skipped);
            let y = inner.y + (i - offset) as u16;
            f.set_cursor_position(Position::new(x.min(inner.right().saturating_sub(1)), y));
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
    let hint_area = Rect::new(inner.x, inner.bottom().saturating_sub(1), inner.width, 1);
    f.render_widget(
        Paragraph::new(Line::styled(format!(" {}", hint(app.form.field())), t.dim())),
        hint_area,
    );
}

/// Columns scrolled off the left so the editing cursor stays visible.
fn skipped_cols(value: &str, width: usize, cursor: usize) -> u16 {
    let before = value.chars().take(cursor).count();
    u16::try_from(before.saturating_sub(width.saturating_sub(1))).unwrap_or(0)
}

/// The part of `value` that fits, scrolled to keep `cursor` visible when editing.
fn fit(value: &str, width: usize, cursor: Option<usize>) -> String {
    let n = value.chars().count();
    match cursor {
        Some(c) => {
            let start = c.saturating_sub(width.saturating_sub(1));
            value.chars().skip(start).take(width).collect()
        }
        None if n > width => {
            let mut s: String = value.chars().take(width.saturating_sub(1)).collect();
            s.push('…');
            s
        }
        None => value.to_owned(),
    }
}
