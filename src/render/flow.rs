//! The page make-up genpdf lacks: text wrapped once and drawn line by line, so a
//! block can be held back, kept with what follows, or split where a reader
//! expects (never one line of a paragraph alone at a page's top or foot), and a
//! table that repeats its header row on every page it runs onto.
//!
//! genpdf cannot take back what it drew, so every decision is made before
//! drawing, from line counts: each `Text` is wrapped at the width it is first
//! given and knows its lines.

use super::measure::Measure;
use super::record::{Mark, Recorder};
use genpdf::style::{Style, StyledString};
use genpdf::{Alignment, Context, Element, Mm, Position, RenderResult, Size};
use std::rc::Rc;

type GResult<T> = Result<T, genpdf::error::Error>;

/// What `fit` needs to make a word drawable: breaks words wider than the line
/// (genpdf drops them, and everything after them).
pub(super) type Fit = fn(&Measure, &genpdf::fonts::FontCache, &str, Style, Mm, f64) -> String;

/// A paragraph, set line by line. `label` (a point's number, a list's dash, a
/// title-block label) is drawn at the left edge of the first line, and every line
/// of the text starts `indent` from the left: a hanging indent whose label sits in
/// the same line as its text, so selection and text extraction read "4. Drug
/// money is ...".
pub(super) struct Text {
    runs: Vec<StyledString>,
    /// Size and leading of the paragraph: its line height.
    base: Style,
    align: Alignment,
    label: Option<StyledString>,
    /// The label set from the left edge (a title-block label), rather than
    /// flush against the text (a number or a dash).
    label_left: bool,
    indent: Mm,
    /// The most one character adds to a line, in em, by face (see `pdf::Widest`).
    widest: [f64; 4],
    fit: Fit,
    /// Shared by every text of the memo.
    measure: Rc<Measure>,
    lines: Option<Vec<Vec<StyledString>>>,
    /// The first line not drawn yet.
    next: usize,
    /// Where the text objects it draws are reported, for tagging.
    record: Option<(Recorder, Target)>,
}

/// What a `Text`'s text objects belong to in the record.
#[derive(Clone, Copy)]
pub(super) enum Target {
    /// Its lines to `node`; its label to `label`, or to `node` when `None`.
    Node { node: usize, label: Option<usize> },
    /// Page furniture (a table's header row repeated on a later page).
    Furniture,
}

fn face(style: Style) -> usize {
    usize::from(style.is_bold()) + 2 * usize::from(style.is_italic())
}

impl Text {
    pub(super) fn new(
        runs: Vec<StyledString>,
        base: Style,
        widest: [f64; 4],
        fit: Fit,
        measure: Rc<Measure>,
    ) -> Text {
        Text {
            runs,
            base,
            align: Alignment::Left,
            label: None,
            label_left: false,
            indent: Mm::from(0.0),
            widest,
            fit,
            measure,
            lines: None,
            next: 0,
            record: None,
        }
    }

    /// Reports what it draws to `record`, for `target`.
    pub(super) fn recorded(mut self, record: &Recorder, target: Target) -> Text {
        self.record = Some((std::rc::Rc::clone(record), target));
        self
    }

    /// One text object drawn: its label's when `label`.
    fn report(&self, label: bool) {
        let Some((record, target)) = &self.record else {
            return;
        };
        let mut record = record.borrow_mut();
        match *target {
            Target::Node { node, label: l } => {
                let node = if label { l.unwrap_or(node) } else { node };
                record.drawn(node, 1);
            }
            Target::Furniture => record.furniture(None, Mark::Header),
        }
    }

    pub(super) fn aligned(mut self, align: Alignment) -> Text {
        self.align = align;
        self
    }

    /// Hangs `label` in the first `indent` of the first line, flush against
    /// the text.
    pub(super) fn labelled(mut self, label: Option<StyledString>, indent: Mm) -> Text {
        self.label = label;
        self.indent = indent;
        self
    }

    /// Sets the label from the left edge instead (a column of labels).
    pub(super) fn label_left(mut self) -> Text {
        self.label_left = true;
        self
    }

    pub(super) fn line_height(&self, context: &Context, style: Style) -> Mm {
        style.and(self.base).line_height(&context.font_cache)
    }

    fn wrap(&mut self, context: &Context, width: Mm, style: Style) {
        if self.lines.is_some() {
            return;
        }
        let width = width - self.indent;
        let cache = &context.font_cache;
        let runs: Vec<StyledString> = self
            .runs
            .drain(..)
            .map(|r| {
                let st = style.and(r.style);
                let fitted = (self.fit)(&self.measure, cache, &r.s, st, width, self.widest[face(st)]);
                StyledString::new(fitted, st)
            })
            .collect();
        self.lines = Some(wrap(&self.measure, cache, &runs, width));
    }

    fn remaining(&self) -> usize {
        self.lines.as_ref().map_or(0, |l| l.len() - self.next)
    }

    /// Draws up to `n` more lines at the top of `area`.
    fn draw(
        &mut self,
        context: &Context,
        area: &genpdf::render::Area<'_>,
        style: Style,
        n: usize,
    ) -> GResult<()> {
        let style = style.and(self.base);
        let lh = style.line_height(&context.font_cache);
        let cache = &context.font_cache;
        let Some(lines) = &self.lines else { return Ok(()) };
        let width = area.size().width - self.indent;
        for (k, line) in lines.iter().enumerate().skip(self.next).take(n) {
            let y = lh * (k - self.next) as f64;
            if k == 0 {
                if let Some(label) = &self.label {
                    // Set flush against the text, its space the only gap, so
                    // numbers of any width align on their dot and every reader
                    // takes the label and the text as one line.
                    let st = style.and(label.style);
                    let x = self.indent - self.measure.str_width(cache, st, &label.s);
                    let x = if x > Mm::from(0.0) && !self.label_left {
                        x
                    } else {
                        Mm::from(0.0)
                    };
                    print(area, cache, Position::new(x, y), st, &label.s)?;
                    self.report(true);
                }
            }
            let w: Mm = line
                .iter()
                .map(|s| self.measure.str_width(cache, s.style, &s.s))
                .sum();
            let x = self.indent
                + match self.align {
                    Alignment::Left => Mm::from(0.0),
                    Alignment::Center => (width - w) / 2.0,
                    Alignment::Right => width - w,
                };
            if let Some(mut section) = area.text_section(cache, Position::new(x, y), style) {
                for s in line {
                    section.print_str(&s.s, s.style)?;
                }
            } else {
                return Err(too_small());
            }
            // genpdf ends the line's text object when its section is dropped.
            self.report(false);
        }
        self.next = (self.next + n).min(lines.len());
        Ok(())
    }
}

/// Greedy line filling as genpdf's own paragraphs do it: words split after
/// their spaces and measured with them; a word wider than the line (`fit` has
/// broken those) gets a line of its own.
fn wrap(
    measure: &Measure,
    cache: &genpdf::fonts::FontCache,
    runs: &[StyledString],
    width: Mm,
) -> Vec<Vec<StyledString>> {
    // Words as a reader sees them, up to and including a space, across runs: a
    // pointer's "(" at the end of one run and "3.1," starting the next are one
    // word, and a line never breaks inside it. A word's pieces (a run's part up
    // to a space, with its style and width) are held until its space comes.
    let mut lines: Vec<Vec<StyledString>> = Vec::new();
    let mut line: Vec<StyledString> = Vec::new();
    let mut x = Mm::from(0.0);
    let mut word: Vec<(&str, Style, Mm)> = Vec::new();
    let mut place = |word: &mut Vec<(&str, Style, Mm)>| {
        let w = word.iter().fold(Mm::from(0.0), |w, (.., pw)| w + *pw);
        if x + w > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            x = Mm::from(0.0);
        }
        for (piece, style, pw) in word.drain(..) {
            x += pw;
            // Words of one style on one line go out as one string.
            match line.last_mut() {
                Some(last) if last.style == style && !last.s.is_empty() && x <= width => {
                    last.s.push_str(piece);
                }
                _ => line.push(StyledString::new(piece.to_owned(), style)),
            }
        }
    };
    for r in runs {
        for piece in r.s.split_inclusive(' ') {
            word.push((piece, r.style, measure.str_width(cache, r.style, piece)));
            if piece.ends_with(' ') {
                place(&mut word);
            }
        }
    }
    place(&mut word);
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn too_small() -> genpdf::error::Error {
    genpdf::error::Error::new(
        "a line does not fit in the space planned for it",
        genpdf::error::ErrorKind::PageSizeExceeded,
    )
}

fn print(
    area: &genpdf::render::Area<'_>,
    cache: &genpdf::fonts::FontCache,
    at: Position,
    style: Style,
    s: &str,
) -> GResult<()> {
    if area.print_str(cache, at, style, s)? {
        Ok(())
    } else {
        Err(too_small())
    }
}

/// One text of a `Unit`, and how it may be broken.
pub(super) struct Piece {
    pub text: Text,
    /// Space above, left out at the top of a page.
    pub gap: Mm,
    /// Never split across pages (a source line, a table-block label).
    pub whole: bool,
    /// Never the last thing on a page: a heading, a run-in label, a point's text
    /// before its source line, an assessment before its trend.
    pub with_next: bool,
}

/// What a page can take of a unit: for each piece, from the current one, the
/// lines to draw on this page. Empty: none; the unit goes to the next page.
///
/// `pieces` gives, for each piece left, its gap, lines left, line height and
/// whether it is whole and kept with the next. A piece is split only when it
/// has four lines or more, leaving at least two on each page; a `with_next`
/// piece is never left last; at the top of a page something is always drawn.
pub(super) fn plan(pieces: &[(Mm, usize, Mm, bool, bool)], avail: Mm, top: bool) -> Vec<usize> {
    let mut take = Vec::new();
    let mut y = Mm::from(0.0);
    let mut broke = false;
    for &(gap, n, lh, whole, _) in pieces {
        let gap = if top && take.is_empty() {
            Mm::from(0.0)
        } else {
            gap
        };
        let room = avail - y - gap;
        let fit = if room < Mm::from(0.0) {
            0
        } else {
            (f64::from(room) / f64::from(lh) + 1e-6).floor() as usize
        };
        if fit >= n {
            take.push(n);
            y += gap + lh * n as f64;
            continue;
        }
        let k = if whole || n < 4 || fit < 2 {
            0
        } else {
            fit.min(n - 2)
        };
        if k > 0 {
            take.push(k);
            return take;
        }
        broke = true;
        break;
    }
    if !broke {
        return take;
    }
    // Nothing kept-with-next may end the page: its last two lines go over with
    // what follows when it is long enough to split, else all of it.
    while let Some(&last) = take.last() {
        let i = take.len() - 1;
        let (_, n, _, whole, with_next) = pieces[i];
        if !with_next || last != n {
            break;
        }
        if !whole && n >= 4 {
            take[i] = n - 2;
            break;
        }
        take.pop();
    }
    if take.is_empty() && top {
        // Taller than a page whatever is done: fill this one.
        let (_, n, lh, _, _) = pieces[0];
        let fit = (f64::from(avail) / f64::from(lh) + 1e-6).floor() as usize;
        take.push(fit.clamp(1, n.max(1)));
    }
    take
}

/// A run of texts laid out as one: a heading with what it introduces, a point
/// with its source line, an assessment with its trend.
pub(super) struct Unit {
    pieces: Vec<Piece>,
    at: usize,
    /// The body height of a page: an area this tall is a page's top.
    full_height: Mm,
}

impl Unit {
    pub(super) fn new(pieces: Vec<Piece>, full_height: Mm) -> Unit {
        Unit {
            pieces,
            at: 0,
            full_height,
        }
    }
}

impl Element for Unit {
    fn render(
        &mut self,
        context: &Context,
        mut area: genpdf::render::Area<'_>,
        style: Style,
    ) -> GResult<RenderResult> {
        let width = area.size().width;
        for p in &mut self.pieces {
            p.text.wrap(context, width, style);
        }
        let avail = area.size().height;
        let top = avail >= self.full_height - Mm::from(0.5);
        let shape: Vec<_> = self.pieces[self.at..]
            .iter()
            .map(|p| {
                (
                    p.gap,
                    p.text.remaining(),
                    p.text.line_height(context, style),
                    p.whole,
                    p.with_next,
                )
            })
            .collect();
        let take = plan(&shape, avail, top);
        let mut result = RenderResult::default();
        let mut used = Mm::from(0.0);
        for (i, n) in take.into_iter().enumerate() {
            let (gap, left, lh, ..) = shape[i];
            let gap = if top && i == 0 { Mm::from(0.0) } else { gap };
            area.add_offset(Position::new(0, gap));
            self.pieces[self.at].text.draw(context, &area, style, n)?;
            let h = lh * n as f64;
            area.add_offset(Position::new(0, h));
            used += gap + h;
            if n < left {
                break;
            }
            self.at += 1;
        }
        // A piece drawn in part is continued, without its gap, on the next page.
        if let Some(p) = self.pieces.get_mut(self.at) {
            if p.text.next > 0 {
                p.gap = Mm::from(0.0);
            }
        }
        result.size = Size::new(width, used);
        result.has_more = self.at < self.pieces.len();
        Ok(result)
    }
}

/// A table whose rows are never split (unless one is taller than a page) and
/// whose header row is repeated at the top of every page it continues on.
pub(super) struct Table {
    widths: Vec<usize>,
    header: Vec<Text>,
    /// Header texts for pages after the first, made on demand.
    make_header: Box<dyn Fn() -> Vec<Text>>,
    rows: Vec<Vec<Text>>,
    at: usize,
    gap: Mm,
    /// Space between columns, and above and below each row's text.
    pad: Mm,
    full_height: Mm,
    started: bool,
}

impl Table {
    pub(super) fn new(
        widths: Vec<usize>,
        make_header: Box<dyn Fn() -> Vec<Text>>,
        rows: Vec<Vec<Text>>,
        gap: Mm,
        full_height: Mm,
    ) -> Table {
        Table {
            widths,
            header: make_header(),
            make_header,
            rows,
            at: 0,
            gap,
            pad: Mm::from(1.2),
            full_height,
            started: false,
        }
    }

    fn column_areas<'a>(&self, area: &genpdf::render::Area<'a>) -> Vec<genpdf::render::Area<'a>> {
        area.split_horizontally(&self.widths)
    }

    /// Wraps a row's cells at their column widths; returns its height.
    fn row_height(&self, context: &Context, cells: &mut [Text], widths: &[Mm], style: Style) -> Mm {
        let mut h = Mm::from(0.0);
        for (cell, w) in cells.iter_mut().zip(widths) {
            cell.wrap(context, *w - self.pad, style);
            let ch = cell.line_height(context, style) * cell.remaining() as f64;
            if ch > h {
                h = ch;
            }
        }
        h + self.pad * 2.0
    }

    fn draw_row(
        &self,
        context: &Context,
        cells: &mut [Text],
        cols: &[genpdf::render::Area<'_>],
        y: Mm,
        h: Mm,
        style: Style,
    ) -> GResult<()> {
        for (cell, col) in cells.iter_mut().zip(cols) {
            let mut a = col.clone();
            a.add_offset(Position::new(0, y + self.pad));
            a.set_width(col.size().width - self.pad);
            let lh = cell.line_height(context, style);
            let n = (f64::from(h - self.pad * 2.0) / f64::from(lh) + 1e-6).floor() as usize;
            cell.draw(context, &a, style, n.min(cell.remaining()))?;
        }
        Ok(())
    }
}

impl Element for Table {
    fn render(
        &mut self,
        context: &Context,
        mut area: genpdf::render::Area<'_>,
        style: Style,
    ) -> GResult<RenderResult> {
        let avail = area.size().height;
        let top = avail >= self.full_height - Mm::from(0.5);
        let gap = if top { Mm::from(0.0) } else { self.gap };
        area.add_offset(Position::new(0, gap));
        let width = area.size().width;
        let cols = self.column_areas(&area);
        let widths: Vec<Mm> = cols.iter().map(|c| c.size().width).collect();
        if self.started {
            self.header = (self.make_header)();
        }
        let mut header = std::mem::take(&mut self.header);
        let hh = self.row_height(context, &mut header, &widths, style);
        let mut y = hh;
        // Room for the header and at least the first row, or the next page.
        let mut rows = std::mem::take(&mut self.rows);
        let first = rows.get_mut(self.at).map_or(Mm::from(0.0), |r| {
            let w = widths.clone();
            self.row_height(context, r, &w, style)
        });
        if !top && gap + hh + first > avail {
            self.rows = rows;
            self.header = header;
            return Ok(RenderResult {
                size: Size::new(0, 0),
                has_more: true,
            });
        }
        self.draw_row(context, &mut header, &cols, Mm::from(0.0), hh, style)?;
        rule(&area, width, hh);
        self.started = true;
        let mut drawn_any = false;
        while self.at < rows.len() {
            let h = self.row_height(context, &mut rows[self.at], &widths, style);
            let room = avail - gap - y;
            if h > room {
                if drawn_any || !top {
                    break;
                }
                // A row taller than the page: as much of it as fits.
                self.draw_row(context, &mut rows[self.at], &cols, y, room, style)?;
                y = avail - gap;
                break;
            }
            self.draw_row(context, &mut rows[self.at], &cols, y, h, style)?;
            y += h;
            drawn_any = true;
            self.at += 1;
        }
        self.rows = rows;
        Ok(RenderResult {
            size: Size::new(width, gap + y),
            has_more: self.at < self.rows.len(),
        })
    }
}

/// A thin rule under the header row.
fn rule(area: &genpdf::render::Area<'_>, width: Mm, y: Mm) {
    let style = Style::new();
    area.draw_line(vec![Position::new(0, y), Position::new(width, y)], style);
}

#[cfg(test)]
mod tests {
    use super::plan;
    use genpdf::Mm;

    #[test]
    fn a_line_breaks_only_at_a_space_even_where_runs_meet() {
        use super::{wrap, Measure};
        use genpdf::fonts::{FontCache, FontData, FontFamily};
        use genpdf::style::{Style, StyledString};
        let face = |b: &'static [u8]| FontData::new(b.to_vec(), None).unwrap();
        let cache = FontCache::new(FontFamily {
            regular: face(dejavu::serif::regular()),
            bold: face(dejavu::serif::bold()),
            italic: face(dejavu::serif::italic()),
            bold_italic: face(dejavu::serif::bold_italic()),
        });
        let measure = Measure::default();
        let plain = Style::new();
        // A summary line: its text and "(" in one run, the pointer in the next.
        let runs = || {
            vec![
                StyledString::new("solid toolkit… (".to_owned(), plain),
                StyledString::new("3.1, point 2".to_owned(), plain.bold()),
                StyledString::new(")".to_owned(), plain),
            ]
        };
        let line = |l: &Vec<StyledString>| l.iter().map(|s| s.s.as_str()).collect::<String>();
        let all = measure.str_width(&cache, plain, "solid toolkit… (3.1, point 2)");
        assert!(all < Mm::from(100.0));
        // Every width up to more than the whole: "(" never ends a line, and no
        // line starts with "3.1," cut from its bracket.
        for tenth in 5..=1000 {
            let lines: Vec<String> = wrap(&measure, &cache, &runs(), Mm::from(f64::from(tenth) / 10.0))
                .iter()
                .map(line)
                .collect();
            assert_eq!(lines.concat(), "solid toolkit… (3.1, point 2)");
            for l in &lines {
                assert!(!l.ends_with('(') && !l.starts_with("3.1"), "{lines:?}");
            }
        }
    }

    fn mm(v: f64) -> Mm {
        Mm::from(v)
    }

    /// A piece: gap 0, `n` lines of 5 mm.
    fn p(n: usize, whole: bool, with_next: bool) -> (Mm, usize, Mm, bool, bool) {
        (mm(0.0), n, mm(5.0), whole, with_next)
    }

    #[test]
    fn what_fits_is_drawn_whole() {
        assert_eq!(
            plan(&[p(3, false, false), p(2, true, false)], mm(25.0), false),
            vec![3, 2]
        );
    }

    #[test]
    fn a_paragraph_leaves_two_lines_on_each_page() {
        // 6 lines, room for 5: 4 here, 2 there (never one alone).
        assert_eq!(plan(&[p(6, false, false)], mm(25.0), false), vec![4]);
        // room for 1: none here.
        assert_eq!(plan(&[p(6, false, false)], mm(7.0), false), Vec::<usize>::new());
        // three lines are never split.
        assert_eq!(plan(&[p(3, false, false)], mm(10.0), false), Vec::<usize>::new());
    }

    #[test]
    fn a_heading_or_label_never_ends_a_page() {
        // heading (1 line, with next), then a whole source line that does not fit.
        let pieces = [p(1, false, true), p(2, false, true), p(1, true, false)];
        assert_eq!(plan(&pieces, mm(15.0), false), Vec::<usize>::new());
        // at a page top something is drawn even so.
        assert_eq!(plan(&pieces, mm(2.0), true), vec![1]);
    }

    #[test]
    fn a_split_paragraph_carries_its_follower() {
        // point text of 6 lines, source line of 1; room for 6 lines: 4 + (2 + 1) after.
        let pieces = [p(6, false, true), p(1, true, false)];
        assert_eq!(plan(&pieces, mm(30.0), false), vec![4]);
    }
}
