//! The review screen: the queue of points due, the point with its source and excerpt,
//! and the dialogs (prompts, the text editor, a conflict, the new-point form).
//! Side by side from `SIDE_BY_SIDE` columns, stacked below that.

use super::sheet::{self, Part};
use crate::clean;
use crate::library::{Library, Status};
use crate::render::text::wrap_into;
use crate::review::{Category, Due, FieldValue};
use crate::tui::app::App;
use crate::tui::input::LineInput;
use crate::tui::review::add::{AddField, AddForm};
use crate::tui::review::links;
use crate::tui::review::{sort_label, Ask, AskFor, ConflictDialog, Editing, Focus, Mode, ReviewScreen};
use crate::tui::theme::Theme;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// From this width the queue and the point sit side by side.
const SIDE_BY_SIDE: u16 = 100;

pub(crate) fn draw(f: &mut Frame, area: Rect, app: &mut App, t: Theme) {
    let Some(r) = app.review.as_mut() else { return };
    let [top, main, message, status, keys] = super::screen_areas(area);
    top_line(f, top, r, t);
    if let Some(why) = r.unavailable.clone() {
        let block = Block::bordered().title(" Review ").border_style(t.border(true));
        let inner = block.inner(main);
        f.render_widget(block, main);
        let mut lines = Vec::new();
        wrap_into(&mut lines, &why, " ", " ", inner.width as usize);
        lines.push(String::new());
        lines.push(" q or Esc goes back to the lists.".to_owned());
        f.render_widget(
            Paragraph::new(lines.into_iter().map(Line::raw).collect::<Vec<_>>()),
            inner,
        );
    } else {
        panes(f, main, r, t);
        match &r.mode {
            Mode::Ask(a) => ask(f, main, &r.lib, a, t),
            Mode::Edit(e) => {
                let w = editor(f, main, e, t);
                r.edit_width = w;
            }
            Mode::Conflict(c) => conflict(f, main, c, t),
            Mode::Add(form) => add_form(f, main, &r.lib, form, t),
            Mode::Pick(p) => super::picker::draw_picker(f, main, p, t),
            Mode::Choose(c) => super::picker::draw_picker(f, main, &c.picker, t),
            Mode::List | Mode::Find(_) => {}
        }
    }
    if r.help {
        help(f, main, r, t);
    }
    message_line(f, message, r, t);
    status_line(f, status, r, t);
    super::keys_line(f, keys, &r.main_keys(), t);
}

fn top_line(f: &mut Frame, area: Rect, r: &ReviewScreen, t: Theme) {
    if r.unavailable.is_some() {
        f.render_widget(Paragraph::new(Span::styled(" Review ", t.focus())), area);
        return;
    }
    let left = format!(
        " Review · {} due · as of {} · due {} days after review ",
        r.due.len(),
        r.setup.today.format("%Y-%m-%d"),
        r.setup.policy.max_age_days
    );
    let right = match &r.reviewer {
        Ok(name) => format!("reviewer: {} ", clean::line(name)),
        Err(_) => "reviewer: asked at the first stamp ".to_owned(),
    };
    let pad = (area.width as usize)
        .saturating_sub(left.width() + right.width())
        .max(1);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(left, t.focus()),
            Span::raw(" ".repeat(pad)),
            Span::styled(right, t.dim()),
        ])),
        area,
    );
}

fn panes(f: &mut Frame, area: Rect, r: &mut ReviewScreen, t: Theme) {
    if r.zoom {
        point_pane(f, area, r, t, true);
        return;
    }
    let (q, p) = if area.width >= SIDE_BY_SIDE {
        let [q, p] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area);
        (q, p)
    } else {
        // Stacked: the queue keeps a few rows, the point (text, source, excerpt) the rest.
        let q_h = (area.height * 2 / 5).max(5).min(area.height);
        let [q, p] = Layout::vertical([Constraint::Length(q_h), Constraint::Fill(1)]).areas(area);
        (q, p)
    };
    queue_pane(f, q, r, t);
    let focused = r.focus == Focus::Point;
    point_pane(f, p, r, t, focused);
}

fn reasons_short(d: &Due) -> String {
    let mut cats: Vec<Category> = d
        .reasons
        .iter()
        .map(crate::review::queue::Reason::category)
        .collect();
    cats.sort();
    cats.dedup();
    cats.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(",")
}

/// `s` cut or padded to exactly `w` columns, the last one a gap before the next column.
fn cell(s: &str, w: usize) -> String {
    let w = w.saturating_sub(1);
    let s = clean::line(s);
    let mut out = String::new();
    let mut used = 0;
    let total = s.width();
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw > w || (total > w && used + cw + 1 > w) {
            if total > w && used < w {
                out.push('…');
                used += 1;
            }
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push_str(&" ".repeat(w.saturating_sub(used) + 1));
    out
}

fn queue_pane(f: &mut Frame, area: Rect, r: &mut ReviewScreen, t: Theme) {
    let mut title = format!(
        " Queue {}/{} · {} ",
        r.rows.len(),
        r.due.len(),
        sort_label(r.sort)
    );
    if let Some(c) = r.filter.category {
        title.push_str(&format!("· {} ", c.label()));
    }
    match r.filter.owner.as_deref() {
        Some("") => title.push_str("· no owner "),
        Some(o) => title.push_str(&format!("· owner {} ", clean::line(o))),
        None => {}
    }
    if !r.query.is_empty() {
        title.push_str(&format!("· /{} ", clean::line(&r.query)));
    }
    let focused = r.focus == Focus::Queue;
    let block = Block::bordered().title(title).border_style(t.border(focused));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    if r.rows.is_empty() {
        let unread;
        let why = if let Some(problem) = &r.unread {
            unread = format!(
                "Points in points.toml cannot be read, so the queue would be incomplete: {}. Fix the file (`briefpack check` lists every problem), then r reads it again.",
                clean::line(problem)
            );
            &unread
        } else if r.due.is_empty() {
            "Nothing needs review: every point is approved and reviewed recently enough."
        } else if !r.query.trim().is_empty() {
            unread = format!(
                "Nothing matches '{}'{}; Esc clears the filters.",
                clean::line(r.query.trim()),
                r.narrowed_by()
            );
            &unread
        } else {
            "No due point matches the filters; Esc clears them."
        };
        let mut lines = Vec::new();
        wrap_into(&mut lines, why, "", "", inner.width as usize);
        f.render_widget(
            Paragraph::new(
                lines
                    .into_iter()
                    .map(|l| Line::styled(l, t.dim()))
                    .collect::<Vec<_>>(),
            ),
            inner,
        );
        return;
    }
    let w = inner.width as usize;
    let (show_owner, show_reviewed) = (w >= 72, w >= 50);
    let status_w = 9;
    let reviewed_w = if show_reviewed { 11 } else { 0 };
    let owner_w = if show_owner { 11 } else { 0 };
    let reasons_w = (w / 5).clamp(8, 24);
    let id_w = w.saturating_sub(status_w + reviewed_w + owner_w + reasons_w + 1);
    let row_text = |id: &str, why: &str, status: &str, reviewed: &str, owner: &str| {
        let mut s = format!(
            " {}{}{}",
            cell(id, id_w),
            cell(why, reasons_w),
            cell(status, status_w)
        );
        if show_reviewed {
            s.push_str(&cell(reviewed, reviewed_w));
        }
        if show_owner {
            s.push_str(&cell(owner, owner_w));
        }
        s
    };
    let mut lines = vec![Line::styled(
        row_text("point", "due because", "status", "reviewed", "owner"),
        t.heading(),
    )];
    let height = (inner.height as usize).saturating_sub(1);
    r.page = height.max(1);
    // With a query and loose matches, a divider row sits before them (the
    // offset counts it, as the lists' does).
    let divider = (!r.query.trim().is_empty() && r.exact < r.rows.len()).then_some(r.exact);
    let shown = |n: usize| n + usize::from(divider.is_some_and(|d| n >= d));
    let total = r.rows.len() + usize::from(divider.is_some());
    super::keep_in_view(shown(r.cursor), &mut r.offset, height, total);
    for at in r.offset..(r.offset + height).min(total) {
        let n = match divider {
            Some(d) if at == d => {
                let text = super::list::divider_text(r.exact, r.rows.len() - r.exact);
                lines.push(Line::styled(format!(" {text}"), t.dim()));
                continue;
            }
            Some(d) if at > d => at - 1,
            _ => at,
        };
        let Some(d) = r.rows.get(n).and_then(|&i| r.due.get(i)) else {
            continue;
        };
        let reviewed = d
            .reviewed
            .map_or_else(|| "never".to_owned(), |d| d.format("%Y-%m-%d").to_string());
        let text = row_text(
            &d.id,
            &reasons_short(d),
            d.status.label(),
            &reviewed,
            d.owner.as_deref().unwrap_or("—"),
        );
        let style = if n == r.cursor {
            t.cursor()
        } else if d.status == Status::Draft {
            t.key()
        } else {
            Style::default()
        };
        lines.push(Line::styled(text, style));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn point_parts(r: &ReviewScreen) -> Vec<Part> {
    let mut out = Vec::new();
    let Some(d) = r.current() else {
        return out;
    };
    let Some(p) = r.lib.point(&d.id) else {
        out.push(Part::Warn(format!(
            "Point `{}` is no longer in the library; r reads points.toml again.",
            d.id
        )));
        return out;
    };
    out.push(Part::Title(p.id.clone()));
    for reason in &d.reasons {
        out.push(Part::Warn(format!("Due: {}", reason.describe())));
    }
    out.push(Part::Text(p.text.clone()));
    out.push(Part::Field("Kind", p.kind.label().to_owned()));
    out.push(Part::Field("Status", p.status.label().to_owned()));
    let who = r.lib.speaker_of(p).map_or("speaker not recorded", |s| s.name);
    out.push(Part::Field("Said", format!("{who}, {}", p.said.long())));
    if let Some(day) = p.reaffirmed {
        out.push(Part::Field("Reaffirmed", day.format("%Y-%m-%d").to_string()));
    }
    let reviewed = match (&p.reviewed, &p.reviewer) {
        (Some(day), Some(who)) => format!("{} by {who}", day.format("%Y-%m-%d")),
        (Some(day), None) => day.format("%Y-%m-%d").to_string(),
        (None, _) => "never".to_owned(),
    };
    out.push(Part::Field("Reviewed", reviewed));
    if let Some(o) = &p.owner {
        out.push(Part::Field("Owner", o.clone()));
    }
    if let Some(why) = &p.retired_reason {
        out.push(Part::Field("Retired", why.clone()));
    }
    if !p.tags.is_empty() {
        out.push(Part::Field("Tags", p.tags.join(", ")));
    }
    out.push(Part::Heading("Links".to_owned()));
    if p.threats.is_empty() && p.partners.is_empty() {
        out.push(Part::Item("none".to_owned()));
    }
    for id in &p.threats {
        let title = r
            .lib
            .threat(id)
            .map_or("not in the library", |x| x.title.as_str());
        out.push(Part::Item(format!("threat {id}: {title}")));
    }
    for id in &p.partners {
        let name = r.lib.partner(id).map_or_else(
            || "not in the library".to_owned(),
            crate::library::model::Partner::display_name,
        );
        out.push(Part::Item(format!("partner {id}: {name}")));
    }
    out.push(Part::Heading("Source".to_owned()));
    match r.lib.source(&p.source) {
        None => out.push(Part::Warn(format!("`{}` is not in sources.toml", p.source))),
        Some(s) => {
            out.push(Part::Field("Title", s.title.clone()));
            let author = match &s.author_role {
                Some(role) => format!("{} ({role})", s.author),
                None => s.author.clone(),
            };
            out.push(Part::Field("Author", author));
            let mut date = s.date.long();
            if let Some(note) = &s.date_note {
                date.push_str(&format!(" ({note})"));
            }
            out.push(Part::Field("Date", date));
            if let Some(place) = &s.place {
                out.push(Part::Field("Place", place.clone()));
            }
            out.push(Part::Field("Kind", s.kind.label().to_owned()));
            out.push(Part::Field("Origin", s.origin.clone()));
            out.push(Part::Field("Id, file", format!("{}, {}", s.id, s.file)));
        }
    }
    out.push(Part::Heading("Excerpt (verbatim)".to_owned()));
    out.push(Part::Quote(p.excerpt.clone()));
    out
}

fn point_lines(r: &ReviewScreen, width: usize, t: Theme) -> Vec<Line<'static>> {
    let mut out = sheet::lines(point_parts(r), width, t);
    if out.is_empty() {
        out.push(Line::styled("No point selected.", t.dim()));
    }
    out
}

fn point_pane(f: &mut Frame, area: Rect, r: &mut ReviewScreen, t: Theme, focused: bool) {
    let title = if r.zoom {
        " Point · Enter or Esc: back to the queue "
    } else {
        " Point · source · excerpt "
    };
    let block = Block::bordered().title(title).border_style(t.border(focused));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let lines = point_lines(r, inner.width as usize, t);
    let height = inner.height as usize;
    let max = u16::try_from(lines.len().saturating_sub(height)).unwrap_or(u16::MAX);
    r.point_scroll = r.point_scroll.min(max);
    if r.zoom {
        r.page = height.max(1);
    }
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(r.point_scroll as usize)
        .take(height)
        .collect();
    f.render_widget(Paragraph::new(visible), inner);
}

/// A box centred in `area`, at most `w` x `h`.
fn popup(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// An input wrapped at `width` columns, by character so the cursor maps exactly;
/// returns the rows and the cursor's (row, column).
fn wrap_input(input: &LineInput, width: usize) -> (Vec<String>, (usize, usize)) {
    let width = width.max(2);
    let mut rows = vec![String::new()];
    let mut col = 0;
    let mut at = (0, 0);
    for (i, c) in input.text.chars().enumerate() {
        let mut buf = [0u8; 4];
        let shown = clean::line(c.encode_utf8(&mut buf)).into_owned();
        let w = shown.width();
        if col + w > width {
            rows.push(String::new());
            col = 0;
        }
        if i == input.cursor {
            at = (rows.len() - 1, col);
        }
        if let Some(last) = rows.last_mut() {
            last.push_str(&shown);
        }
        col += w;
    }
    if input.cursor >= input.text.chars().count() {
        if col >= width {
            rows.push(String::new());
            col = 0;
        }
        at = (rows.len() - 1, col);
    }
    (rows, at)
}

/// Draws a dialog: a title, lines of text above an input, hints below it.
#[allow(clippy::too_many_arguments)]
fn input_dialog(
    f: &mut Frame,
    area: Rect,
    title: &str,
    above: &[Line<'static>],
    input: &LineInput,
    below: &[Line<'static>],
    min_input_rows: usize,
    t: Theme,
) -> usize {
    let w = area.width.saturating_sub(4).min(100);
    let inner_w = w.saturating_sub(4) as usize;
    let (rows, (cy, cx)) = wrap_input(input, inner_w);
    let input_rows = rows.len().max(min_input_rows);
    let want = above.len() + input_rows + below.len() + 4;
    let rect = popup(area, w, u16::try_from(want).unwrap_or(u16::MAX));
    f.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(clean::line(title).into_owned())
        .border_style(t.border(true));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    let mut lines: Vec<Line> = above.to_vec();
    lines.push(Line::raw(""));
    let input_top = lines.len();
    // Rows beyond the room scroll so the cursor's row stays in view.
    let room = (inner.height as usize)
        .saturating_sub(above.len() + 1 + below.len())
        .max(1);
    let skip = cy.saturating_sub(room - 1);
    for row in rows.iter().skip(skip).take(room) {
        lines.push(Line::from(vec![
            Span::raw(" "),
            Span::styled(row.clone(), t.cursor()),
        ]));
    }
    for _ in rows.len().saturating_sub(skip)..input_rows.min(room) {
        lines.push(Line::raw(""));
    }
    lines.extend(below.iter().cloned());
    f.render_widget(Paragraph::new(lines), inner);
    let y = inner.y + u16::try_from(input_top + cy - skip).unwrap_or(0);
    let x = inner.x + 1 + u16::try_from(cx).unwrap_or(0);
    if y < inner.bottom() {
        f.set_cursor_position(Position::new(x.min(inner.right().saturating_sub(1)), y));
    }
    inner_w
}

fn wrapped(text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    wrap_into(&mut out, &clean::line(text), " ", " ", width.max(10));
    out.into_iter().map(|l| Line::styled(l, style)).collect()
}

fn ask(f: &mut Frame, area: Rect, lib: &Library, a: &Ask, t: Theme) {
    let width = area.width.saturating_sub(8).min(96) as usize;
    let (title, explain, hint) = match a.what {
        AskFor::Retire => (
            format!(" Retire `{}` ", a.point),
            "Why is this point retired? It stays in the library but is no longer offered for new briefs.",
            "Enter retires it · Esc cancels".to_owned(),
        ),
        AskFor::Reviewer => (
            " Who is reviewing? ".to_owned(),
            "Your name, as review stamps it on the points you approve, mark reviewed or reaffirm. Asked once: briefpack keeps it in its settings file.",
            "Enter stamps the point · Esc cancels".to_owned(),
        ),
        AskFor::Tags => (
            format!(" Tags of `{}` ", a.point),
            "Tags, separated by commas.",
            "Enter writes them · Esc cancels · Ctrl-U clears".to_owned(),
        ),
        AskFor::Links => {
            let word = links::last_word(&a.input.text);
            let ids = links::suggestions(lib, word);
            let shown: Vec<&str> = ids.iter().take(40).map(String::as_str).collect();
            let more = ids.len().saturating_sub(shown.len());
            let mut hint = if ids.is_empty() {
                format!("No threat or partner id contains `{word}`.")
            } else {
                format!("Ids: {}", shown.join(", "))
            };
            if more > 0 {
                hint.push_str(&format!(" (and {more} more)"));
            }
            (
                format!(" Links of `{}` ", a.point),
                "Threat and partner ids, separated by commas; each is checked against the library.",
                hint,
            )
        }
    };
    let above = wrapped(explain, width, Style::default());
    let mut below = vec![Line::raw("")];
    below.extend(wrapped(&hint, width, t.dim()));
    input_dialog(f, area, &title, &above, &a.input, &below, 1, t);
}

fn editor(f: &mut Frame, area: Rect, e: &Editing, t: Theme) -> usize {
    let width = area.width.saturating_sub(8).min(96) as usize;
    let above = wrapped(
        "The line to take, ready to say. It is written back as one paragraph.",
        width,
        t.dim(),
    );
    let below = wrapped(
        "Enter writes it · Esc cancels · ←→↑↓ Home End move · Ctrl-W deletes a word",
        width,
        t.dim(),
    );
    let mut b = vec![Line::raw("")];
    b.extend(below);
    input_dialog(
        f,
        area,
        &format!(" Edit the text of `{}` ", e.point),
        &above,
        &e.input,
        &b,
        3,
        t,
    )
}

fn show(v: Option<&FieldValue>) -> String {
    match v {
        None => "(not set)".to_owned(),
        Some(v) => v.show(),
    }
}

fn conflict(f: &mut Frame, area: Rect, c: &ConflictDialog, t: Theme) {
    let rect = popup(area, area.width.saturating_sub(2).min(110), area.height);
    f.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(" Conflict: someone else changed this point ")
        .border_style(t.error());
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    let w = inner.width as usize;
    let mut lines = wrapped(
        &crate::tui::review::sentence(&c.conflict.to_string()),
        w,
        t.error(),
    );
    for fc in &c.conflict.fields {
        lines.push(Line::raw(""));
        lines.push(Line::styled(format!(" {}", fc.field.key()), t.heading()));
        for (label, v, style) in [
            ("you saw", &fc.seen, t.dim()),
            ("theirs ", &fc.theirs, Style::default()),
            ("yours  ", &fc.yours, t.key()),
        ] {
            let mut out = Vec::new();
            wrap_into(
                &mut out,
                &clean::line(&show(v.as_ref())),
                &format!("   {label}: "),
                "            ",
                w.max(20),
            );
            lines.extend(out.into_iter().map(|l| Line::styled(l, style)));
        }
    }
    lines.push(Line::raw(""));
    let keys = if c.conflict.pending.is_some() {
        "Esc or Enter: back, with your change kept · a: apply yours over theirs now · d: drop yours · j/k scroll"
    } else {
        "Esc or Enter: close · j/k scroll"
    };
    lines.extend(wrapped(keys, w, t.key()));
    let max = u16::try_from(lines.len().saturating_sub(inner.height as usize)).unwrap_or(0);
    f.render_widget(Paragraph::new(lines).scroll((c.scroll.min(max), 0)), inner);
}

fn add_form(f: &mut Frame, area: Rect, lib: &Library, form: &AddForm, t: Theme) {
    const LABEL_W: usize = 10;
    let rect = popup(area, area.width.saturating_sub(2).min(110), area.height);
    f.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(" New point (added as a draft) · Ctrl-S adds · Esc cancels ")
        .border_style(t.border(true));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    let value_w = (inner.width as usize).saturating_sub(LABEL_W + 1).max(4);
    let mut lines = Vec::new();
    let mut cursor = None;
    for (i, field) in AddField::ALL.iter().enumerate() {
        let here = i == form.cursor;
        let label = Span::styled(format!(" {:<w$}", field.label(), w = LABEL_W - 1), t.key());
        if *field == AddField::Kind {
            let kind = format!("‹ {} ›", form.kind().label());
            let style = if here { t.cursor() } else { Style::default() };
            lines.push(Line::from(vec![label, Span::styled(kind, style)]));
            continue;
        }
        let input = &form.inputs[i];
        if here {
            // The field being typed shows whole, wrapped, with the cursor.
            let (rows, (cy, cx)) = wrap_input(input, value_w);
            cursor = Some((lines.len() + cy, cx));
            for (n, row) in rows.into_iter().enumerate() {
                let lead = if n == 0 {
                    label.clone()
                } else {
                    Span::raw(" ".repeat(LABEL_W))
                };
                lines.push(Line::from(vec![lead, Span::styled(row, t.cursor())]));
            }
        } else {
            let v = if input.text.is_empty() { "—" } else { &input.text };
            lines.push(Line::from(vec![label, Span::raw(cell(v, value_w))]));
        }
    }
    lines.push(Line::raw(""));
    // Why the last Ctrl-S was refused, every problem at once.
    for p in &form.problems {
        let mut wrapped = Vec::new();
        wrap_into(&mut wrapped, &clean::line(p), " ✗ ", "   ", inner.width as usize);
        lines.extend(wrapped.into_iter().map(|l| Line::styled(l, t.error())));
    }
    if !form.problems.is_empty() {
        lines.push(Line::raw(""));
    }
    let field = form.field();
    let mut hint = field.hint().to_owned();
    match field {
        AddField::Threats | AddField::Partners => {
            let word = links::last_word(form.value(field));
            let ids: Vec<&str> = if field == AddField::Threats {
                lib.threats
                    .iter()
                    .map(|x| x.id.as_str())
                    .filter(|id| id.contains(word))
                    .collect()
            } else {
                lib.partners
                    .iter()
                    .map(|x| x.id.as_str())
                    .filter(|id| id.contains(word))
                    .collect()
            };
            hint.push_str(&format!(": {}", ids.join(", ")));
        }
        AddField::Source => {
            let typed = form.value(field).trim();
            if let Some(s) = lib.source(typed) {
                hint = format!("{}: {}, {}", s.id, s.author, s.title);
            } else {
                let ids: Vec<&str> = lib
                    .sources
                    .iter()
                    .map(|s| s.id.as_str())
                    .filter(|id| id.contains(typed))
                    .take(12)
                    .collect();
                hint.push_str(&format!(": {}", ids.join(", ")));
            }
        }
        _ => {}
    }
    lines.extend(wrapped(&hint, inner.width as usize, t.dim()));
    let skip = cursor.map_or(0, |(y, _)| {
        y.saturating_sub((inner.height as usize).saturating_sub(1))
    });
    f.render_widget(
        Paragraph::new(lines).scroll((u16::try_from(skip).unwrap_or(0), 0)),
        inner,
    );
    if let Some((y, x)) = cursor {
        let y = inner.y + u16::try_from(y - skip).unwrap_or(0);
        let x = inner.x + u16::try_from(LABEL_W + x).unwrap_or(0);
        if y < inner.bottom() {
            f.set_cursor_position(Position::new(x.min(inner.right().saturating_sub(1)), y));
        }
    }
}

fn help(f: &mut Frame, area: Rect, r: &ReviewScreen, t: Theme) {
    let lines = super::help::key_lines(&crate::tui::keymap::help_rows(&[crate::tui::keymap::REVIEW]), t);
    let inner_h = area.height.saturating_sub(2) as usize;
    let max = lines.len().saturating_sub(inner_h) as u16;
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines).scroll((r.help_scroll.min(max), 0)).block(
            Block::bordered()
                .title(" Keys: review · j/k scroll · ? closes ")
                .border_style(t.border(true)),
        ),
        area,
    );
}

fn message_line(f: &mut Frame, area: Rect, r: &ReviewScreen, t: Theme) {
    if let Mode::Find(input) = &r.mode {
        super::input_line(f, area, "Find in queue: /", input, t);
        return;
    }
    if let Some(m) = &r.message {
        let style = if m.error { t.error() } else { t.info() };
        f.render_widget(
            Paragraph::new(Line::styled(clean::line(&m.text).into_owned(), style)),
            area,
        );
    }
}

fn status_line(f: &mut Frame, area: Rect, r: &ReviewScreen, t: Theme) {
    let listed = if r.all { "points (all, due or not)" } else { "due" };
    let mut left = format!(" {} of {} {listed} shown", r.rows.len(), r.due.len());
    if let Some(u) = r.undo_summary() {
        left.push_str(&format!(" · u undoes: {}", clean::line(u)));
    }
    let mut right = match r.store_path() {
        Some(p) => clean::line(&p.display().to_string()).into_owned(),
        None => "built-in library (read only)".to_owned(),
    };
    right.push(' ');
    let room = (area.width as usize).saturating_sub(left.width() + 1);
    let right = if right.width() > room {
        // The end of a path says most: keep it.
        let skip = right.chars().count().saturating_sub(room.saturating_sub(1));
        format!("…{}", right.chars().skip(skip + 1).collect::<String>())
    } else {
        right
    };
    let pad = (area.width as usize)
        .saturating_sub(left.width() + right.width())
        .max(1);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(left, t.picked()),
            Span::raw(" ".repeat(pad)),
            Span::raw(right),
        ]))
        .style(t.cursor()),
        area,
    );
}
