//! The restore dialog: unsaved work from an earlier session, over the screen.

use crate::clean;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::view::dialog::Dialog;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::Frame;

pub(crate) fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
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
        lines.push(Line::raw(format!(
            "     saved {} by {}",
            clean::line(&item.when),
            clean::line(&item.who)
        )));
        lines.push(Line::raw(format!("     {}", clean::line(&item.summary))));
    }
    lines.push(Line::raw(""));
    let mut dialog = Dialog {
        title: "Restore unsaved work?",
        lines,
        max_width: 90,
        scroll: 0,
    };
    dialog.keys(
        &[
            ("r Enter", "restore it as the pack being edited"),
            ("d d", "discard it for good"),
            ("Esc l", "keep it for later (briefpack offers it again)"),
        ],
        9,
        t,
    );
    dialog.draw(f, area, t);
}
