//! The building block of the details and the review screen's point pane: a record
//! as titled, labelled, wrapped parts, so both read alike and wrap one way.

use crate::clean;
use crate::render::text::wrap_into;
use crate::tui::theme::Theme;
use ratatui::style::Style;
use ratatui::text::Line;

pub(crate) enum Part {
    Title(String),
    /// Something wrong or due, in the error style.
    Warn(String),
    /// A paragraph, after a blank line.
    Text(String),
    Field(&'static str, String),
    Item(String),
    /// A section heading, after a blank line.
    Heading(String),
    /// Verbatim text, quoted and dimmed.
    Quote(String),
}

/// The parts wrapped to `width` columns (at least 10), cleaned for the terminal.
pub(crate) fn lines(parts: Vec<Part>, width: usize, t: Theme) -> Vec<Line<'static>> {
    let width = width.max(10);
    let mut out = Vec::new();
    for part in parts {
        let (style, first, rest, text): (Style, String, String, String) = match part {
            Part::Title(s) => (t.heading(), String::new(), String::new(), s),
            Part::Warn(s) => (t.error(), String::new(), "  ".to_owned(), s),
            Part::Text(s) => {
                out.push(Line::raw(""));
                (Style::default(), String::new(), String::new(), s)
            }
            Part::Field(label, v) => (Style::default(), format!("{label}: "), "  ".to_owned(), v),
            Part::Item(s) => (Style::default(), "  • ".to_owned(), "    ".to_owned(), s),
            Part::Heading(s) => {
                out.push(Line::raw(""));
                (t.heading(), String::new(), String::new(), s)
            }
            Part::Quote(s) => (t.dim(), "  “".to_owned(), "   ".to_owned(), format!("{s}”")),
        };
        let mut wrapped = Vec::new();
        wrap_into(&mut wrapped, &clean::line(&text), &first, &rest, width);
        out.extend(wrapped.into_iter().map(|l| Line::styled(l, style)));
    }
    out
}
