//! The dialog for a pack changed on disk under this session: what changed on
//! each side, then the choices.

use super::super::app::App;
use super::super::clash::ClashFor;
use super::super::theme::Theme;
use crate::render::clean;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let Some(clash) = &app.clash else {
        return;
    };
    let path = clean::line(&clash.path.display().to_string()).into_owned();
    let mut lines = vec![
        Line::raw(match clash.why {
            ClashFor::Save(_) => {
                format!(" {path} changed on disk since you opened it; nothing is saved yet.")
            }
            ClashFor::Restore => format!(" {path} changed on disk since this draft was made."),
        }),
        Line::raw(""),
    ];
    let mut section = |title: &str, items: &[String]| {
        lines.push(Line::styled(format!(" {title}"), t.picked()));
        if items.is_empty() {
            lines.push(Line::raw("   nothing"));
        }
        for i in items {
            lines.push(Line::raw(format!("   {}", clean::line(i))));
        }
    };
    match &clash.merged {
        Ok(_) => section("Changed in the file:", &clash.theirs),
        Err(e) => section("The file no longer reads as a pack:", std::slice::from_ref(e)),
    }
    section("Your changes:", &clash.yours);
    if let Ok(m) = &clash.merged {
        if !m.conflicts.is_empty() {
            let both: Vec<String> = m
                .conflicts
                .iter()
                .map(|c| format!("{}: yours {}, the file's {}", c.what, c.mine, c.theirs))
                .collect();
            section("Changed on both sides (a merge keeps the file's):", &both);
        }
    }
    lines.push(Line::raw(""));
    let merge = match &clash.merged {
        Ok(m) if m.is_clean() => "reload the file and re-apply your changes",
        Ok(_) => "reload the file and re-apply your changes where they do not clash",
        Err(_) => "(cannot merge: the file does not read as a pack)",
    };
    let (overwrite, cancel) = match clash.why {
        ClashFor::Save(_) => (
            "overwrite the file with your version",
            "cancel; nothing is written",
        ),
        ClashFor::Restore => (
            "keep the draft as it is (Ctrl-S then replaces the file)",
            "decide later (Ctrl-S asks again)",
        ),
    };
    for (k, what) in [
        ("r", merge),
        ("a", "save your version as another file"),
        ("o", overwrite),
        ("Esc", cancel),
        ("j/k", "scroll"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!(" {k:<5}"), t.key()),
            Span::raw(what),
        ]));
    }
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let width = area.width.saturating_sub(4).clamp(20, 100).min(area.width);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    f.render_widget(Clear, popup);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((clash.scroll, 0))
            .block(
                Block::bordered()
                    .title(" The pack changed on disk ")
                    .border_style(t.border(true)),
            ),
        popup,
    );
}
