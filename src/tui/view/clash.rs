//! The dialog for a pack changed on disk under this session: what changed on
//! each side, then the choices.

use crate::clean;
use crate::tui::app::App;
use crate::tui::clash::ClashFor;
use crate::tui::theme::Theme;
use crate::tui::view::dialog::Dialog;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::Frame;

pub(crate) fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let Some(clash) = app.clash() else {
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
    let mut dialog = Dialog {
        title: "The pack changed on disk",
        lines,
        max_width: 100,
        scroll: clash.scroll,
    };
    dialog.keys(
        &[
            ("r", merge),
            ("a", "save your version as another file"),
            ("o", overwrite),
            ("Esc", cancel),
            ("j/k", "scroll"),
        ],
        5,
        t,
    );
    dialog.draw(f, area, t);
}
