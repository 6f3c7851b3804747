//! The message log (`M`): every message of the session, wrapped in full, the
//! newest at the foot.

use crate::clean;
use crate::render::text::wrap_into;
use crate::tui::app::{App, Layer};
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

pub(crate) fn draw(f: &mut Frame, area: Rect, app: &mut App, t: Theme) {
    let block = Block::bordered()
        .title(" Messages · newest last · Esc closes ")
        .border_style(t.border(true));
    let inner = block.inner(area);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    if app.log.is_empty() {
        lines.push(Line::styled("No messages yet.", t.dim()));
    }
    for m in &app.log {
        let style = if m.error { t.error() } else { t.info() };
        let mut wrapped = Vec::new();
        wrap_into(&mut wrapped, &clean::line(&m.text), "• ", "  ", width);
        lines.extend(wrapped.into_iter().map(|l| Line::styled(l, style)));
    }
    let max = u16::try_from(lines.len().saturating_sub(inner.height as usize)).unwrap_or(u16::MAX);
    let scroll = match &mut app.layer {
        Layer::Log { scroll } => {
            *scroll = (*scroll).min(max);
            *scroll
        }
        _ => max,
    };
    let para = Paragraph::new(lines).scroll((scroll, 0)).block(block);
    f.render_widget(Clear, area);
    f.render_widget(para, area);
}
