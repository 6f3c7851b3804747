//! A dialog over the screen: lines of text, then one line per key and what it
//! does, in a bordered box centred in the area (the restore offer, a pack
//! changed on disk).

use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

pub(crate) struct Dialog<'a> {
    pub title: &'a str,
    pub lines: Vec<Line<'a>>,
    /// The widest the box grows, in columns.
    pub max_width: u16,
    pub scroll: u16,
}

impl<'a> Dialog<'a> {
    /// Adds one line per key, the key in the key colour, padded to `pad` columns.
    pub(crate) fn keys(&mut self, keys: &[(&'a str, &'a str)], pad: usize, t: Theme) {
        for (k, what) in keys {
            self.lines.push(Line::from(vec![
                Span::styled(format!(" {k:<pad$}"), t.key()),
                Span::raw(*what),
            ]));
        }
    }

    pub(crate) fn draw(self, f: &mut Frame, area: Rect, t: Theme) {
        let height = u16::try_from(self.lines.len() + 2)
            .unwrap_or(u16::MAX)
            .min(area.height);
        let width = area
            .width
            .saturating_sub(4)
            .clamp(20, self.max_width)
            .min(area.width);
        let popup = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        };
        f.render_widget(Clear, popup);
        f.render_widget(
            Paragraph::new(self.lines)
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0))
                .block(
                    Block::bordered()
                        .title(format!(" {} ", self.title))
                        .border_style(t.border(true)),
                ),
            popup,
        );
    }
}
