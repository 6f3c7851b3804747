//! Bytes the real terminal backend writes for one keystroke's redraw, at 80x24,
//! on the embedded library: what a slow SSH link has to carry.
//!
//! Usage: cargo run --release --example `wire_bytes`
//! Prints `name bytes` lines: the first frame, a cursor move, the full title
//! drawn once the cursor rests, a filter keystroke.
//! With `WIRE_DUMP=1`, also each step's bytes, escaped, to stderr.

use anyhow::Result;
use briefpack::library::Library;
use briefpack::pack::Pack;
use briefpack::template::Template;
use briefpack::tui::app::{App, Event};
use briefpack::tui::backend::Lean;
use briefpack::tui::theme::Theme;
use briefpack::tui::view;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Wire(Arc<Mutex<Vec<u8>>>);

impl Write for Wire {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Wire {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

fn main() -> Result<()> {
    let lib = Library::embedded()?;
    let mut app = App::new(
        Arc::new(lib),
        Arc::new(Template::default_template()?),
        Pack::new(),
        None,
    );
    let wire = Wire::default();
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
    };
    let mut term = Terminal::with_options(Lean::new(wire.clone()), options)?;
    let theme = Theme { no_color: false };
    let dump = std::env::var_os("WIRE_DUMP").is_some();
    let mut step = |name: &str, keys: &[KeyCode], app: &mut App| -> Result<()> {
        for k in keys {
            app.handle(Event::Key(KeyEvent::new(*k, KeyModifiers::NONE)));
        }
        term.draw(|f| view::draw(f, app, theme))?;
        let bytes = wire.take();
        println!("{name} {}", bytes.len());
        if dump {
            eprintln!(
                "== {name}\n{}",
                bytes.escape_ascii().to_string().replace("\\x1b", "\n\\e")
            );
        }
        Ok(())
    };
    step("first-frame", &[], &mut app)?;
    step("cursor-move", &[KeyCode::Char('j')], &mut app)?;
    step("points-pane", &[KeyCode::Char('3')], &mut app)?;
    step("cursor-move-points", &[KeyCode::Char('j')], &mut app)?;
    // Once the cursor rests, the cut title is drawn whole, once.
    app.settle();
    step("title-at-rest", &[], &mut app)?;
    step("filter-open", &[KeyCode::Char('/')], &mut app)?;
    step("filter-keystroke", &[KeyCode::Char('d')], &mut app)?;
    step("filter-keystroke-2", &[KeyCode::Char('r')], &mut app)?;
    Ok(())
}
