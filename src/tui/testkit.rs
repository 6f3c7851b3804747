//! What the interface's tests share: drawing an `App` on a `TestBackend`, the
//! screen as text, and the insta snapshots of every screen and dialog at the
//! sizes users have (80x24 and 120x40), all kept in `src/tui/snapshots/screens/`
//! under the names the tests give them.

use super::app::App;
use super::theme::Theme;
use super::view;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;

pub(crate) const COLOR: Theme = Theme { no_color: false };
pub(crate) const NO_COLOR: Theme = Theme { no_color: true };

/// The terminal sizes every screen is snapshot at: the smallest usual one and a
/// roomy one.
pub(crate) const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

pub(crate) fn draw(app: &mut App, w: u16, h: u16, theme: Theme) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| view::draw(f, app, theme)).unwrap();
    term.backend().buffer().clone()
}

/// The screen as text, one line per row.
pub(crate) fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut s = String::new();
    for y in 0..area.height {
        for x in 0..area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// Snapshots the screen at every size in `SIZES`, as `NAME_WxH`. Each `(from,
/// to)` of `redact` is replaced first (a temporary directory, say); the time a
/// draft was saved is always written `[WHEN]`.
pub(crate) fn snap(app: &mut App, name: &str, redact: &[(&str, &str)]) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/screens");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    // What the user sees once the cursor rests.
    app.settle();
    settings.bind(|| {
        for (w, h) in SIZES {
            let mut screen = text(&draw(app, w, h, NO_COLOR));
            for (from, to) in redact {
                screen = screen.replace(from, to);
            }
            if let Some(at) = screen.find("saved 20") {
                let start = at + "saved ".len();
                screen.replace_range(start..start + "2026-12-03 01:48".len(), "[WHEN]          ");
            }
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
        }
    });
}
