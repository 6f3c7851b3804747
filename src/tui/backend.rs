//! A terminal backend that spends fewer bytes per redraw than ratatui's crossterm
//! one, for slow SSH links: a forward move on the same row is `ESC[nC` rather
//! than an absolute `ESC[row;colH`, style changes go out as one SGR sequence
//! naming only what changed, and a frame ends with one `ESC[0m`, if
//! any attribute is still set. It also knows where it left the cursor, so
//! ratatui's `clear` never asks the terminal (a round trip over SSH, and a
//! two-second wait when nothing answers). Everything else is the crossterm
//! backend's.

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

pub struct Lean<W: Write> {
    inner: CrosstermBackend<W>,
    /// Where this backend last put the cursor. The interface owns the whole
    /// alternate screen, so nothing else moves it.
    cursor: Position,
}

impl<W: Write> Lean<W> {
    pub fn new(writer: W) -> Self {
        Lean {
            inner: CrosstermBackend::new(writer),
            cursor: Position::ORIGIN,
        }
    }
}

impl<W: Write> Write for Lean<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

/// SGR parameters for a colour: foreground (`base` 30), background (40) or
/// underline (50, which has only the indexed and RGB forms).
fn color(out: &mut Vec<String>, c: Color, base: u8) {
    let n = match c {
        Color::Reset => return out.push((base + 9).to_string()),
        Color::Indexed(i) => return out.push(format!("{};5;{i}", base + 8)),
        Color::Rgb(r, g, b) => return out.push(format!("{};2;{r};{g};{b}", base + 8)),
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
    };
    out.push(match (base, n) {
        (50, n) => format!("58;5;{n}"),
        (base, n) if n < 8 => (base + n).to_string(),
        (base, n) => (base + 60 + n - 8).to_string(),
    });
}

/// SGR parameters taking the attributes from `from` to `to`.
fn modifiers(out: &mut Vec<String>, from: Modifier, to: Modifier) {
    let removed = from - to;
    let mut added = to - from;
    // Bold and dim share their "off" code: turning one off turns both off.
    if removed.intersects(Modifier::BOLD | Modifier::DIM) {
        out.push("22".into());
        added |= to & (Modifier::BOLD | Modifier::DIM);
    }
    let off = [
        (Modifier::ITALIC, "23"),
        (Modifier::UNDERLINED, "24"),
        (Modifier::SLOW_BLINK | Modifier::RAPID_BLINK, "25"),
        (Modifier::REVERSED, "27"),
        (Modifier::HIDDEN, "28"),
        (Modifier::CROSSED_OUT, "29"),
    ];
    for (m, code) in off {
        if removed.intersects(m) {
            out.push(code.into());
            // Blinks share theirs too.
            added |= to & m;
        }
    }
    let on = [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ];
    for (m, code) in on {
        if added.contains(m) {
            out.push(code.into());
        }
    }
}

impl<W: Write> Backend for Lean<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let (mut fg, mut bg, mut ul) = (Color::Reset, Color::Reset, Color::Reset);
        let mut modifier = Modifier::empty();
        // Where the terminal's cursor is, when known: after a character of width
        // 1, the next column; after anything else, unknown (terminals disagree on
        // some widths), so the next cell is placed absolutely.
        let mut at: Option<(u16, u16)> = None;
        let w = &mut self.inner;
        let mut sgr = Vec::new();
        for (x, y, cell) in content {
            match at {
                Some((cx, cy)) if cy == y && cx == x => {}
                Some((cx, cy)) if cy == y && cx < x && x - cx == 1 => write!(w, "\x1b[C")?,
                Some((cx, cy)) if cy == y && cx < x => write!(w, "\x1b[{}C", x - cx)?,
                _ => write!(w, "\x1b[{};{}H", y + 1, x + 1)?,
            }
            sgr.clear();
            if cell.modifier != modifier {
                modifiers(&mut sgr, modifier, cell.modifier);
                modifier = cell.modifier;
            }
            if cell.fg != fg {
                color(&mut sgr, cell.fg, 30);
                fg = cell.fg;
            }
            if cell.bg != bg {
                color(&mut sgr, cell.bg, 40);
                bg = cell.bg;
            }
            if cell.underline_color != ul {
                color(&mut sgr, cell.underline_color, 50);
                ul = cell.underline_color;
            }
            if !sgr.is_empty() {
                write!(w, "\x1b[{}m", sgr.join(";"))?;
            }
            let symbol = cell.symbol();
            w.write_all(symbol.as_bytes())?;
            at = (symbol.width() == 1).then_some((x + 1, y));
            self.cursor = Position::new(x.saturating_add(symbol.width() as u16), y);
        }
        // Leave the terminal's attributes as found (the next frame assumes so),
        // writing nothing when they already are.
        if (fg, bg, ul, modifier) != (Color::Reset, Color::Reset, Color::Reset, Modifier::empty()) {
            w.write_all(b"\x1b[0m")?;
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.cursor = position.into();
        self.inner.set_cursor_position(self.cursor)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }
    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }
    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;
    use ratatui::text::{Line, Span};
    use ratatui::widgets::Paragraph;
    use ratatui::{Terminal, TerminalOptions, Viewport};

    /// A screen that understands what `Lean` writes: ESC[r;cH, ESC[nC, SGR, text.
    struct Screen {
        cells: Buffer,
        x: u16,
        y: u16,
        style: Style,
    }

    impl Screen {
        fn color(p: &[u16]) -> (Color, usize) {
            match p {
                [5, i, ..] => (Color::Indexed(*i as u8), 2),
                [2, r, g, b, ..] => (Color::Rgb(*r as u8, *g as u8, *b as u8), 4),
                _ => panic!("bad colour {p:?}"),
            }
        }

        fn apply(&mut self, bytes: &[u8]) {
            let text = std::str::from_utf8(bytes).unwrap();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                if c != '\x1b' {
                    let cell = &mut self.cells[(self.x, self.y)];
                    cell.set_symbol(&c.to_string());
                    cell.modifier = self.style.add_modifier;
                    cell.fg = self.style.fg.unwrap_or(Color::Reset);
                    cell.bg = self.style.bg.unwrap_or(Color::Reset);
                    self.x += 1;
                    continue;
                }
                assert_eq!(chars.next(), Some('['));
                let mut params = String::new();
                let end = loop {
                    let c = chars.next().unwrap();
                    if c.is_ascii_alphabetic() {
                        break c;
                    }
                    params.push(c);
                };
                // Cursor show and hide (ESC[?25h/l) are ratatui's, not drawing.
                if params.starts_with('?') {
                    continue;
                }
                let p: Vec<u16> = params
                    .split(';')
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse().unwrap())
                    .collect();
                match end {
                    'H' => (self.y, self.x) = (p[0] - 1, p[1] - 1),
                    'C' => self.x += p.first().copied().unwrap_or(1),
                    'm' => self.sgr(&p),
                    _ => panic!("unexpected {end}"),
                }
            }
        }

        fn sgr(&mut self, p: &[u16]) {
            let named = |n: u16| -> Color {
                [
                    Color::Black,
                    Color::Red,
                    Color::Green,
                    Color::Yellow,
                    Color::Blue,
                    Color::Magenta,
                    Color::Cyan,
                    Color::Gray,
                    Color::DarkGray,
                    Color::LightRed,
                    Color::LightGreen,
                    Color::LightYellow,
                    Color::LightBlue,
                    Color::LightMagenta,
                    Color::LightCyan,
                    Color::White,
                ][n as usize]
            };
            let s = &mut self.style;
            let mut i = 0;
            while i < p.len() {
                match p[i] {
                    0 => *s = Style::default(),
                    22 => *s = s.remove_modifier(Modifier::BOLD | Modifier::DIM),
                    27 => *s = s.remove_modifier(Modifier::REVERSED),
                    1 => *s = s.add_modifier(Modifier::BOLD),
                    2 => *s = s.add_modifier(Modifier::DIM),
                    7 => *s = s.add_modifier(Modifier::REVERSED),
                    4 => *s = s.add_modifier(Modifier::UNDERLINED),
                    24 => *s = s.remove_modifier(Modifier::UNDERLINED),
                    n @ 30..=37 => *s = s.fg(named(n - 30)),
                    n @ 90..=97 => *s = s.fg(named(n - 90 + 8)),
                    n @ 40..=47 => *s = s.bg(named(n - 40)),
                    n @ 100..=107 => *s = s.bg(named(n - 100 + 8)),
                    39 => *s = s.fg(Color::Reset),
                    49 => *s = s.bg(Color::Reset),
                    38 => {
                        let (c, used) = Self::color(&p[i + 1..]);
                        *s = s.fg(c);
                        i += used;
                    }
                    48 => {
                        let (c, used) = Self::color(&p[i + 1..]);
                        *s = s.bg(c);
                        i += used;
                    }
                    n => panic!("unexpected SGR {n}"),
                }
                i += 1;
            }
        }
    }

    #[derive(Clone, Default)]
    struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// A terminal of `area` whose bytes go to the returned buffer.
    fn terminal(area: Rect) -> (Terminal<Lean<Shared>>, Shared) {
        let out = Shared::default();
        let options = TerminalOptions {
            viewport: Viewport::Fixed(area),
        };
        (
            Terminal::with_options(Lean::new(out.clone()), options).unwrap(),
            out,
        )
    }

    /// Frame after frame, the screen that the bytes produce is the frame drawn:
    /// styles switched on and off, colours of every form, gaps on a row, wide
    /// and typographic characters.
    #[test]
    fn the_screen_shows_every_frame_exactly() {
        let area = Rect::new(0, 0, 30, 4);
        let (mut term, out) = terminal(area);
        let mut screen = Screen {
            cells: Buffer::empty(area),
            x: 0,
            y: 0,
            style: Style::default(),
        };
        let frames: [Vec<Line>; 3] = [
            vec![
                Line::from(vec![
                    Span::styled("bold", Style::new().bold().fg(Color::Cyan)),
                    Span::raw(" plain “quoted” — "),
                    Span::styled("rev", Style::new().reversed().bg(Color::Indexed(17))),
                ]),
                Line::styled("dim grey", Style::new().dim().fg(Color::DarkGray)),
                Line::from("日本 wide"),
            ],
            vec![
                Line::from(vec![
                    Span::styled("bald", Style::new().dim().fg(Color::Rgb(1, 2, 3))),
                    Span::raw(" plain “quoted” — "),
                    Span::styled("rev", Style::new().bold()),
                ]),
                Line::styled("dim gray", Style::new().underlined().fg(Color::White)),
                Line::from("日本 wade"),
            ],
            vec![Line::from("x"), Line::from(""), Line::from("本日 w")],
        ];
        for lines in frames {
            let frame = term
                .draw(|f| f.render_widget(Paragraph::new(lines.clone()), area))
                .unwrap()
                .buffer
                .clone();
            screen.apply(&std::mem::take(&mut *out.0.lock().unwrap()));
            for y in 0..area.height {
                for x in 0..area.width {
                    let (want, got) = (&frame[(x, y)], &screen.cells[(x, y)]);
                    // The cell hidden behind a wide character is never written.
                    if x > 0 && frame[(x - 1, y)].symbol().width() == 2 {
                        continue;
                    }
                    assert_eq!(
                        (want.symbol(), want.fg, want.bg, want.modifier),
                        (got.symbol(), got.fg, got.bg, got.modifier),
                        "at {x},{y}"
                    );
                }
            }
        }
    }

    /// Clearing (at start, after Ctrl-Z, after $EDITOR) never sends the cursor
    /// position query: over SSH its answer is a round trip before the first
    /// frame, and a terminal that does not answer costs two seconds.
    #[test]
    fn clearing_never_asks_the_terminal_where_the_cursor_is() {
        let area = Rect::new(0, 0, 20, 3);
        let (mut term, out) = terminal(area);
        term.draw(|f| f.render_widget(Paragraph::new("abc"), area))
            .unwrap();
        term.clear().unwrap();
        term.draw(|f| f.render_widget(Paragraph::new("abc"), area))
            .unwrap();
        let bytes = std::mem::take(&mut *out.0.lock().unwrap());
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("\x1b[6n"), "{text:?}");
        // The whole frame is drawn again after the clear.
        assert_eq!(text.matches("abc").count(), 2, "{text:?}");
    }
}
