//! A browsing pane: one row per record, picks marked `[x]`, links `•`, matched
//! characters highlighted, the cursor in reverse video.

use crate::clean;
use crate::library::{Library, PointKind, Relationship, Status};
use crate::tui::app::App;
use crate::tui::filter::Fuzzy;
use crate::tui::list::{self, Pane, Row};
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthChar;

/// Below this many columns a row's note is a short code, so the title keeps
/// its room (`?` spells the codes out).
pub(crate) const SHORT_NOTES_BELOW: usize = 50;

/// The codes of the notes, as `?` lists them.
pub(crate) const CODES: [(&str, &str); 2] = [
    (
        "points",
        "key message · def defensive line · bg background · press line",
    ),
    ("partners", "observer status · memo memorandum · contacts · none"),
];

/// The short note at the right of a row: in short on a narrow list.
fn meta(lib: &Library, pane: Pane, row: &Row, short: bool) -> &'static str {
    match pane {
        Pane::Threats => lib.threats[row.index].trend.label(),
        Pane::Partners => {
            let r = lib.partners[row.index].relationship;
            if !short {
                return r.label();
            }
            match r {
                Relationship::ObserverStatus => "observer",
                Relationship::Memorandum => "memo",
                Relationship::Protocol => "protocol",
                Relationship::WorkingContacts => "contacts",
                Relationship::None => "none",
            }
        }
        // Draft and retired points are what needs a warning when picking; the
        // kind is in the details and the `f` filter.
        Pane::Points => {
            let p = &lib.points[row.index];
            match (p.status, short) {
                (Status::Approved, false) => p.kind.label(),
                (Status::Approved, true) => match p.kind {
                    PointKind::KeyMessage => "key",
                    PointKind::DefensiveLine => "def",
                    PointKind::Background => "bg",
                    PointKind::PressLine => "press",
                },
                (s, _) => s.label(),
            }
        }
    }
}

/// Draws the focused pane's list. Returns the cursor row's label when the row
/// had to cut it, for the line that shows it in full.
pub(crate) fn draw(f: &mut Frame, area: Rect, app: &mut App, t: Theme) -> Option<String> {
    let pane = app.focus;
    let mut title = format!(" {} ", pane.title());
    let filters = app.pane().filters.describe(pane);
    if !filters.is_empty() {
        title.push_str(&format!("· {} ", filters.join(" · ")));
    }
    let block = Block::bordered().title(title).border_style(t.border(true));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let height = inner.height as usize;
    app.page = height.max(1);
    app.hits.list = inner;
    let kind = pane.kind();
    let lib = std::sync::Arc::clone(&app.lib);
    let pattern = Fuzzy::pattern(&app.panes[pane.index()].filters.query);
    let fuzzy = &mut app.fuzzy;
    let st = &mut app.panes[pane.index()];
    if st.rows.is_empty() {
        let why = if st.filters.query.trim().is_empty() {
            if st.filters.is_active() {
                "No item matches; Esc clears the filters.".to_owned()
            } else {
                "The library holds none of these yet.".to_owned()
            }
        } else {
            format!(
                "Nothing matches '{}'{}; Esc clears the filters.",
                clean::line(st.filters.query.trim()),
                st.filters.narrowed_by(pane)
            )
        };
        f.render_widget(
            Paragraph::new(Line::styled(why, t.dim())).wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
        return None;
    }
    // Rows of text between list rows: with a query, a divider between the exact
    // and the loose matches; in the memo's order, the memo's group headings.
    let exact = list::exact_count(&st.rows);
    let mut seps: Vec<(usize, String, bool)> = Vec::new();
    if pattern.is_some() && exact < st.rows.len() {
        seps.push((exact, divider_text(exact, st.rows.len() - exact), false));
    }
    for (i, (_, group)) in st.memo.iter().enumerate() {
        if i == 0 || st.memo[i - 1].1 != *group || seps.first().is_some_and(|(d, ..)| *d == i) {
            seps.push((i, group.clone(), true));
        }
    }
    // Stable: at one row the divider comes before the heading.
    seps.sort_by_key(|(i, ..)| *i);
    // Shown position of a row, and what is shown at a position.
    let shown = |i: usize| i + seps.partition_point(|(r, ..)| *r <= i);
    let at_shown = |at: usize| -> Result<usize, usize> {
        // Text rows shown before position `at` (the k-th sits at its row + k).
        let k = seps
            .iter()
            .enumerate()
            .take_while(|(n, (r, ..))| r + n < at)
            .count();
        match seps.get(k) {
            Some((r, ..)) if r + k == at => Err(k),
            _ => Ok(at - k),
        }
    };
    // The offset counts shown rows, text rows included.
    let total = st.rows.len() + seps.len();
    super::keep_in_view(shown(st.cursor), &mut st.offset, height, total);
    let width = inner.width as usize;
    let short = width < SHORT_NOTES_BELOW;
    let mut cut = None;
    let mut lines = Vec::with_capacity(height);
    for at in st.offset..(st.offset + height).min(total) {
        let i = match at_shown(at) {
            Err(k) => {
                if let Some((_, text, heading)) = seps.get(k) {
                    let text = if *heading {
                        fit_group(text, width)
                    } else {
                        text.chars().take(width).collect()
                    };
                    lines.push(Line::styled(text, if *heading { t.heading() } else { t.dim() }));
                }
                continue;
            }
            Ok(i) => i,
        };
        let Some(row) = st.rows.get(i) else { break };
        let y = inner.y + u16::try_from(lines.len()).unwrap_or(u16::MAX);
        app.hits.rows.push((y, i));
        let picked = app.pack.selection.contains(kind, list::id(&lib, pane, row.index));
        let is_cursor = i == st.cursor;
        let base = if is_cursor { t.cursor() } else { Style::default() };
        let mut spans = vec![
            Span::styled(
                if picked { "[x]" } else { "[ ]" },
                if picked { t.picked().patch(base) } else { base },
            ),
            Span::styled(if row.linked { "•" } else { " " }, t.linked().patch(base)),
        ];
        // An item the memo's date leaves out is greyed, its note saying why in short
        // (the details give the reason in full).
        let later = app.pack.memo.date.is_some_and(|d| {
            crate::compose::asof::left_out_reason(&lib, kind, list::id(&lib, pane, row.index), d).is_some()
        });
        let base = if later { t.dim().patch(base) } else { base };
        let note = if later {
            "after memo date"
        } else {
            meta(&lib, pane, row, short)
        };
        let note_w = (note.chars().count() + 1).min(width / 3);
        // In the memo's order, the memo's number leads.
        if let Some((number, _)) = st.memo.get(i).filter(|(n, _)| *n > 0) {
            spans.push(Span::styled(format!("{number}. "), base));
        }
        let lead: usize = spans.iter().map(Span::width).sum();
        let label_w = width.saturating_sub(lead + note_w);
        let label = list::label_cow(&lib, pane, row.index);
        if is_cursor && unicode_width::UnicodeWidthStr::width(label.as_ref()) > label_w {
            cut = Some(label.clone().into_owned());
        }
        let hits = pattern
            .as_ref()
            .and_then(|p| fuzzy.find(p, &label))
            .map(|h| h.chars)
            .unwrap_or_default();
        spans.extend(label_spans(&label, &hits, label_w, base, t));
        let used: usize = spans.iter().map(ratatui::prelude::Span::width).sum();
        let pad = width.saturating_sub(used + note_w);
        let note: String = note.chars().take(note_w.saturating_sub(1)).collect();
        // A retired point is listed only because the pack picked it: say so loudly.
        let retired = kind == crate::library::Kind::Point && lib.points[row.index].status == Status::Retired;
        let note_style = if retired { t.error() } else { t.dim() };
        spans.push(Span::styled(
            format!("{} {note}", " ".repeat(pad)),
            note_style.patch(base),
        ));
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), inner);
    cut
}

/// The row between the exact and the loose matches: how many loose ones, and
/// when there is no exact match, that there is none (the message line says it
/// with the query once the search is kept, see `App::search_summary`).
/// A memo group heading in `width` characters. The last part says where the
/// points are ("3.1.1 Key messages"), so the topic before it is what gets
/// shortened: "The situation in Afgh… › 3.1.1 Key messages".
fn fit_group(text: &str, width: usize) -> String {
    let len = |s: &str| s.chars().count();
    if len(text) <= width {
        return text.to_owned();
    }
    let cut = |s: &str, n: usize| -> String {
        match n {
            0 => String::new(),
            n if len(s) <= n => s.to_owned(),
            n => {
                let head: String = s.chars().take(n - 1).collect();
                format!("{}…", head.trim_end())
            }
        }
    };
    match text.rsplit_once(" › ") {
        // Room for a few letters of the topic, its mark and the arrow.
        Some((above, last)) if len(last) + 3 + 4 <= width => {
            let room = width - len(last) - 3;
            format!("{} › {last}", cut(above, room))
        }
        Some((_, last)) => cut(last, width),
        None => cut(text, width),
    }
}

pub(crate) fn divider_text(exact: usize, loose: usize) -> String {
    let matches = if loose == 1 { "match" } else { "matches" };
    if exact == 0 {
        format!("No exact match; {loose} loose {matches}:")
    } else {
        format!("── {loose} loose {matches} ──")
    }
}

/// The label cut to `width` columns (with `…`), matched characters highlighted.
pub(super) fn label_spans(
    label: &str,
    hits: &[u32],
    width: usize,
    base: Style,
    t: Theme,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    let mut used = 0;
    let total: usize = label.chars().map(|c| c.width().unwrap_or(0)).sum();
    let limit = if total > width {
        width.saturating_sub(1)
    } else {
        width
    };
    let style = |hit: bool| if hit { t.hit().patch(base) } else { base };
    for (i, c) in label.chars().enumerate() {
        let w = c.width().unwrap_or(0);
        if used + w > limit {
            break;
        }
        used += w;
        let hit = hits.binary_search(&(i as u32)).is_ok();
        if hit != run_hit && !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), style(run_hit)));
        }
        run_hit = hit;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, style(run_hit)));
    }
    if total > width && width > 0 {
        spans.push(Span::styled("…", base));
    }
    spans
}

#[cfg(test)]
mod fit_tests {
    use super::fit_group;

    #[test]
    fn a_long_group_keeps_its_numbered_heading_and_shortens_the_topic() {
        let g = "The situation in Afghanistan and its impact on Central Asia › 3.1.1 Key messages";
        assert_eq!(fit_group(g, 200), g);
        let fitted = fit_group(g, 38);
        assert_eq!(fitted, "The situation in… › 3.1.1 Key messages");
        assert_eq!(fitted.chars().count(), 38);
        // Too narrow for any of the topic: the heading alone, cut last.
        assert_eq!(fit_group(g, 20), "3.1.1 Key messages");
        assert_eq!(fit_group(g, 10), "3.1.1 Key…");
        assert_eq!(fit_group("4. Other talking points", 10), "4. Other…");
    }
}
