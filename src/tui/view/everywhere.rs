//! The search over all tabs (`F`): what is typed on top, a line that sums the
//! matches up, then each tab's matches under its kind with counts, exact ones
//! above the lists' divider, the cursor's in reverse video.

use super::list::{divider_text, label_spans};
use crate::clean;
use crate::tui::app::{App, Layer};
use crate::tui::filter::Fuzzy;
use crate::tui::list::{self, Pane};
use crate::tui::theme::Theme;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

/// What a line of the list shows.
enum Shown {
    Heading(String),
    Divider(String),
    /// The n-th match across the groups.
    Match(usize, Pane, usize),
}

pub(crate) fn draw(f: &mut Frame, area: Rect, app: &mut App, t: Theme) {
    let App {
        layer,
        lib,
        fuzzy,
        pack,
        panes,
        ..
    } = app;
    let Layer::FindAll(find) = layer else {
        return;
    };
    let popup = Rect {
        x: area.x + area.width.saturating_sub(area.width.saturating_sub(4).min(100)) / 2,
        y: area.y + u16::from(area.height > 12),
        width: area.width.saturating_sub(4).min(100).max(area.width.min(20)),
        height: area.height.saturating_sub(2).max(area.height.min(6)),
    };
    let block = Block::bordered()
        .title(" Find in all tabs ")
        .border_style(t.border(true));
    let inner = block.inner(popup);
    f.render_widget(Clear, popup);
    f.render_widget(block, popup);
    let query = find.input.text.trim().to_owned();
    let total = find.total();
    let exact: usize = find.groups.iter().map(|g| list::exact_count(g)).sum();
    let summary = if query.is_empty() {
        "Type to search threats, partners and points together.".to_owned()
    } else if total == 0 {
        format!("Nothing matches '{}' in any tab.", clean::line(&query))
    } else if exact == 0 {
        crate::tui::filter::no_exact_match(&query, "", total)
    } else {
        format!(
            "{total} match{}: {exact} exact, {} loose.",
            if total == 1 { "" } else { "es" },
            total - exact
        )
    };
    let mut shown = Vec::new();
    if !query.is_empty() {
        let mut n = 0;
        for (pane, rows) in Pane::ALL.iter().zip(&find.groups) {
            let narrowed = panes[pane.index()].filters.narrowed_by(*pane);
            let exact = list::exact_count(rows);
            let count = match rows.len() {
                0 => "no match".to_owned(),
                len if exact == len => format!("{len} exact"),
                len => format!("{len}: {exact} exact, {} loose", len - exact),
            };
            shown.push(Shown::Heading(format!("{} · {count}{narrowed}", pane.title())));
            for (i, row) in rows.iter().enumerate() {
                if i == exact {
                    shown.push(Shown::Divider(divider_text(exact, rows.len() - exact)));
                }
                shown.push(Shown::Match(n, *pane, row.index));
                n += 1;
            }
        }
    }
    let typed = clean::line(&find.input.text).into_owned();
    let mut lines = vec![
        Line::from(vec![Span::styled(" Find: ", t.key()), Span::raw(typed)]),
        Line::styled(format!(" {summary}"), t.dim()),
    ];
    let height = usize::from(inner.height.saturating_sub(2));
    let at = shown
        .iter()
        .position(|s| matches!(s, Shown::Match(n, ..) if *n == find.cursor))
        .unwrap_or(0);
    // The group's heading stays in view above its first match.
    let at_heading = at.saturating_sub(usize::from(at > 0 && matches!(shown[at - 1], Shown::Heading(_))));
    super::keep_in_view(at_heading, &mut find.offset, height, shown.len());
    super::keep_in_view(at, &mut find.offset, height, shown.len());
    let width = usize::from(inner.width);
    for line in shown.iter().skip(find.offset).take(height) {
        lines.push(match line {
            Shown::Heading(text) => Line::styled(cut(text, width), t.heading()),
            Shown::Divider(text) => Line::styled(cut(&format!(" {text}"), width), t.dim()),
            Shown::Match(n, pane, index) => {
                let base = if *n == find.cursor {
                    t.cursor()
                } else {
                    Style::default()
                };
                let picked = pack.selection.contains(pane.kind(), list::id(lib, *pane, *index));
                let mut spans = vec![Span::styled(if picked { " [x] " } else { " [ ] " }, base)];
                let label = list::label_cow(lib, *pane, *index);
                let hits = Fuzzy::pattern(&query)
                    .and_then(|p| fuzzy.find(&p, &label))
                    .map(|h| h.chars)
                    .unwrap_or_default();
                let room = width.saturating_sub(5);
                spans.extend(label_spans(&label, &hits, room, base, t));
                let used: usize = spans.iter().map(Span::width).sum();
                spans.push(Span::styled(" ".repeat(width.saturating_sub(used)), base));
                Line::from(spans)
            }
        });
    }
    f.render_widget(Paragraph::new(lines), inner);
    let col = 7 + find.input.cursor_col();
    f.set_cursor_position(Position::new(
        (inner.x + col).min(inner.right().saturating_sub(1)),
        inner.y,
    ));
}

fn cut(text: &str, width: usize) -> String {
    clean::line(text).chars().take(width).collect()
}
