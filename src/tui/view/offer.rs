//! The restore dialog: unsaved work from an earlier session, over the screen.

use crate::clean;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let Some(offer) = app.offer() else {
        return;
    };
    let one = offer.items.len() == 1;
    let mut lines = vec![
        Line::raw(if one {
            " Unsaved work from an earlier session was kept as a draft:"
        } else {
            " Unsaved work from earlier sessions was kept as drafts (j/k choose):"
        }),
        Line::raw(""),
    ];
    for (i, item) in offer.items.iter().enumerate() {
        let here = i == offer.cursor;
        let mark = if here && !one { "▶ " } else { "  " };
        let style = if here && !one { t.cursor() } else { t.picked() };
        lines.push(Line::styled(format!(" {mark}{}", clean::line(&item.what)), style));
        lines.push(Line::raw(format!("     saved {}", clean::line(&item.when))));
        lines.push(Line::raw(format!("     {}", clean::line(&item.summary))));
    }
    lines.push(Line::raw(""));
    for (k, what) in [
        ("r Enter", "restore it as the pack being edited"),
        ("d d", "discard it for good"),
        ("Esc l", "keep it for later (briefpack offers it again)"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!(" {k:<9}"), t.key()),
            Span::raw(what),
        ]));
    }
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let width = area.width.saturating_sub(4).clamp(20, 90).min(area.width);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    f.render_widget(Clear, popup);
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .title(" Restore unsaved work? ")
                .border_style(t.border(true)),
        ),
        popup,
    );
}
