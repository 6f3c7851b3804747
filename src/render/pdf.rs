//! Document -> PDF with genpdf.
//!
//! genpdf lays out the pages; this module feeds it text it can draw (no control
//! characters, no glyph the font lacks, no word wider than its line, since genpdf
//! would drop it), frames every page with the marking and "Page N of M", and
//! renders twice so the total page count is known.

use super::clean;
use crate::compose::{Block, Document, Run, Style as RunStyle};
use crate::template::{fill, Template};
use anyhow::{anyhow, bail, Context as _, Result};
use genpdf::elements::{Break, LinearLayout, PaddedElement, Paragraph, TableLayout, UnorderedList};
use genpdf::fonts::{Font, FontCache, FontData, FontFamily};
use genpdf::style::{Style, StyledString};
use genpdf::{Alignment, Context, Element, Margins, Mm, PageDecorator, Position, RenderResult, Size};
use std::cell::Cell;
use std::rc::Rc;

/// What a PDF build produced.
#[derive(Debug)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Things the reader of the build log should know (e.g. a character the
    /// fonts cannot draw, and where it was).
    pub warnings: Vec<String>,
}

/// Indent of bullet text, as genpdf's `BulletPoint` uses.
const BULLET_INDENT: f64 = 10.0;
/// Indent of a talking point's text under its number.
const POINT_INDENT: f64 = 8.0;
/// Drawn in place of a character no font has.
const REPLACEMENT: char = '\u{FFFD}';

fn font_family() -> Result<FontFamily<FontData>> {
    let load = |bytes: &[u8], name: &str| {
        FontData::new(bytes.to_vec(), None).map_err(|e| anyhow!("cannot load the embedded font {name}: {e}"))
    };
    Ok(FontFamily {
        regular: load(dejavu::sans::regular(), "DejaVu Sans")?,
        bold: load(dejavu::sans::bold(), "DejaVu Sans Bold")?,
        italic: load(dejavu::sans::oblique(), "DejaVu Sans Oblique")?,
        bold_italic: load(dejavu::sans::bold_oblique(), "DejaVu Sans Bold Oblique")?,
    })
}

/// Measures text and checks glyphs with the same fonts genpdf will use.
struct Fitter {
    cache: FontCache,
    fonts: FontFamily<Font>,
    replacement: char,
    warnings: Vec<String>,
}

impl Fitter {
    fn new(family: FontFamily<FontData>) -> Fitter {
        let cache = FontCache::new(family);
        let fonts = cache.default_font_family();
        let mut f = Fitter {
            cache,
            fonts,
            replacement: '?',
            warnings: Vec::new(),
        };
        if f.has_glyph(REPLACEMENT) {
            f.replacement = REPLACEMENT;
        }
        f
    }

    fn faces(&self) -> [Font; 4] {
        [
            self.fonts.regular,
            self.fonts.bold,
            self.fonts.italic,
            self.fonts.bold_italic,
        ]
    }

    fn has_glyph(&self, c: char) -> bool {
        c == ' '
            || self
                .faces()
                .iter()
                .all(|&f| self.cache.get_rt_font(f).glyph(c).id().0 != 0)
    }

    /// Cleans control characters and replaces what the fonts cannot draw,
    /// reporting each such character once per item.
    fn drawable(&mut self, text: &str, item: &str) -> String {
        let text = clean::line(text);
        if text.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
            return text.into_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut reported: Vec<char> = Vec::new();
        for c in text.chars() {
            if self.has_glyph(c) {
                out.push(c);
            } else {
                if !reported.contains(&c) {
                    reported.push(c);
                    self.warnings.push(format!(
                        "{item}: character U+{:04X} '{c}' is not in the fonts; drawn as '{}'",
                        c as u32, self.replacement
                    ));
                }
                out.push(self.replacement);
            }
        }
        out
    }

    /// Breaks every word wider than `width` into pieces that fit, so genpdf,
    /// which drops such words, lays each piece on a line of its own.
    fn fit(&self, text: &str, style: Style, width: Mm) -> String {
        let limit = width * 0.97;
        let font = style.font(&self.cache);
        let size = style.font_size();
        let wide = |w: &str| font.str_width(&self.cache, w, size) > limit;
        if !text.split_whitespace().any(wide) {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len() + 16);
        for (i, word) in text.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            if !wide(word) {
                out.push_str(word);
                continue;
            }
            let mut piece_w = Mm::from(0.0);
            for c in word.chars() {
                let cw = font.char_width(&self.cache, c, size);
                if piece_w + cw > limit && piece_w > Mm::from(0.0) {
                    out.push(' ');
                    piece_w = Mm::from(0.0);
                }
                out.push(c);
                piece_w += cw;
            }
        }
        out
    }
}

/// Page geometry and type sizes, from the template.
#[derive(Clone)]
struct Layout {
    page: Size,
    margins: (f64, f64, f64, f64),
    body: Style,
    small: u8,
    title: u8,
    heading: u8,
    subheading: u8,
    line_spacing: f64,
}

impl Layout {
    fn from(t: &Template) -> Layout {
        let p = &t.page;
        let f = &t.fonts;
        Layout {
            page: Size::new(p.width, p.height),
            margins: (p.margin_top, p.margin_right, p.margin_bottom, p.margin_left),
            body: Style::new()
                .with_font_size(f.body)
                .with_line_spacing(f.line_spacing),
            small: f.small,
            title: f.title,
            heading: f.heading,
            subheading: f.subheading,
            line_spacing: f.line_spacing,
        }
    }

    fn text_width(&self) -> Mm {
        self.page.width - Mm::from(self.margins.1 + self.margins.3)
    }
}

/// Prints the marking, running head and draft banner at the top of each page and
/// the marking and "Page N of M" at the bottom. Its bands have a fixed height on
/// every page, so both renders paginate alike.
struct Frame {
    layout: Layout,
    marking: String,
    running_head: String,
    draft: Option<String>,
    page_pattern: String,
    total: usize,
    page: Rc<Cell<usize>>,
}

impl Frame {
    fn line_height(&self, context: &Context, style: Style) -> Mm {
        style.line_height(&context.font_cache)
    }

    fn centered(
        &self,
        context: &Context,
        area: &genpdf::render::Area<'_>,
        y: Mm,
        style: Style,
        s: &str,
    ) -> Result<(), genpdf::error::Error> {
        let w = style.str_width(&context.font_cache, s);
        let x = (area.size().width - w) / 2.0;
        if area.print_str(&context.font_cache, Position::new(x, y), style, s)? {
            Ok(())
        } else {
            Err(genpdf::error::Error::new(
                format!("the page furniture `{s}` does not fit on the page"),
                genpdf::error::ErrorKind::PageSizeExceeded,
            ))
        }
    }
}

impl PageDecorator for Frame {
    fn decorate_page<'a>(
        &mut self,
        context: &Context,
        mut area: genpdf::render::Area<'a>,
        _style: Style,
    ) -> Result<genpdf::render::Area<'a>, genpdf::error::Error> {
        let page = self.page.get() + 1;
        self.page.set(page);
        let (t, r, b, l) = self.layout.margins;
        area.add_margins(Margins::trbl(t, r, b, l));
        let mark = Style::new().bold().with_font_size(self.layout.small + 1);
        let small = Style::new().with_font_size(self.layout.small);
        let mark_h = self.line_height(context, mark);
        let small_h = self.line_height(context, small);

        self.centered(context, &area, Mm::from(0.0), mark, &self.marking)?;
        let mut y = mark_h;
        if page > 1 {
            area.print_str(
                &context.font_cache,
                Position::new(0, y),
                small,
                &self.running_head,
            )?;
        }
        y += small_h;
        if let Some(draft) = &self.draft {
            self.centered(context, &area, y, mark, draft)?;
        }
        y += mark_h + Mm::from(3.0);

        // A hair of slack, or rounding leaves the last line a fraction too low to print.
        let footer_h = mark_h + small_h + Mm::from(0.5);
        let bottom = area.size().height - footer_h;
        self.centered(context, &area, bottom, mark, &self.marking)?;
        let total = if self.total == 0 {
            "?".to_owned()
        } else {
            self.total.to_string()
        };
        let label = fill(
            &self.page_pattern,
            &[("page", &page.to_string()), ("pages", &total)],
        );
        self.centered(context, &area, bottom + mark_h, small, &label)?;

        area.add_margins(Margins::trbl(y, 0, footer_h + Mm::from(3.0), 0));
        Ok(area)
    }
}

/// Holds a heading back to the next page when fewer than `reserve` millimetres
/// would remain under it: a heading never ends a page alone.
struct KeepWithNext {
    inner: Paragraph,
    reserve: Mm,
    full_height: Mm,
    started: bool,
}

impl Element for KeepWithNext {
    fn render(
        &mut self,
        context: &Context,
        area: genpdf::render::Area<'_>,
        style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        let h = area.size().height;
        let at_top = h >= self.full_height - Mm::from(0.5);
        if !self.started && !at_top && h < self.reserve {
            return Ok(RenderResult {
                size: Size::new(0, 0),
                has_more: true,
            });
        }
        self.started = true;
        self.inner.render(context, area, style)
    }
}

/// Converts the document into genpdf elements; called once per render because
/// genpdf consumes them.
struct Builder<'a> {
    doc: &'a Document,
    layout: &'a Layout,
    fit: &'a Fitter,
    /// The body height left under the header and footer bands.
    body_height: Mm,
}

impl Builder<'_> {
    fn style(&self, s: RunStyle) -> Style {
        match s {
            RunStyle::Plain => Style::new(),
            RunStyle::Bold => Style::new().bold(),
            RunStyle::Italic => Style::new().italic(),
        }
    }

    fn para(&self, runs: &[Run], base: Style, width: Mm) -> Paragraph {
        let mut p = Paragraph::default();
        for r in runs {
            let style = base.and(self.style(r.style));
            p.push_styled(self.fit.fit(&r.text, self.layout.body.and(style), width), style);
        }
        p
    }

    fn text(&self, text: &str, style: Style, width: Mm) -> Paragraph {
        Paragraph::new(StyledString::new(
            self.fit.fit(text, self.layout.body.and(style), width),
            style,
        ))
    }

    fn heading(&self, text: &str, size: u8) -> KeepWithNext {
        let style = Style::new().bold().with_font_size(size);
        let body_line = Mm::from(f64::from(self.layout.body.font_size()) * 0.3528 * self.layout.line_spacing);
        KeepWithNext {
            inner: self.text(text, style, self.layout.text_width()),
            reserve: body_line * 5.0 + Mm::from(f64::from(size) * 0.3528 * 2.0),
            full_height: self.body_height,
            started: false,
        }
    }

    fn build(&self) -> LinearLayout {
        let w = self.layout.text_width();
        let mut root = LinearLayout::vertical();
        let t = &self.doc.title_block;
        root.push(
            self.text(&t.title, Style::new().bold().with_font_size(self.layout.title), w)
                .aligned(Alignment::Center),
        );
        root.push(
            self.text(&t.subtitle, Style::new().italic(), w)
                .aligned(Alignment::Center),
        );
        root.push(Break::new(1.0));
        let mut fields = TableLayout::new(vec![1, 3]);
        let mut rows: Vec<(String, String)> = t.fields.clone();
        if !t.distribution.is_empty() {
            rows.push((t.distribution_label.clone(), t.distribution.join("; ")));
        }
        for (label, value) in rows {
            let label = self.text(&label, Style::new().bold(), w / 4.0);
            let value = self.text(&value, Style::new(), w * 0.75);
            // A two-cell row of known elements cannot be malformed.
            let _ = fields.row().element(label).element(value).push();
        }
        root.push(fields);
        root.push(self.text(
            &t.copy,
            Style::new().italic().with_font_size(self.layout.small),
            w,
        ));
        for block in &self.doc.blocks {
            self.block(&mut root, block, w);
        }
        root
    }

    fn block(&self, root: &mut LinearLayout, block: &Block, w: Mm) {
        let l = self.layout;
        match block {
            Block::Heading {
                level,
                text,
                new_page,
            } => {
                if *new_page {
                    root.push(genpdf::elements::PageBreak::new());
                }
                let size = match level {
                    1 => l.heading,
                    _ => l.subheading,
                };
                root.push(Break::new(if *level == 1 { 1.0 } else { 0.5 }));
                root.push(self.heading(text, size));
            }
            Block::Paragraph(runs) => {
                root.push(PaddedElement::new(
                    self.para(runs, Style::new(), w),
                    Margins::trbl(1, 0, 0, 0),
                ));
            }
            Block::Note(text) => {
                root.push(self.text(text, Style::new().italic().with_font_size(l.small), w));
            }
            Block::Bullets(items) => {
                let mut list = UnorderedList::new();
                for item in items {
                    list.push(self.para(item, Style::new(), w - Mm::from(BULLET_INDENT)));
                }
                root.push(PaddedElement::new(list, Margins::trbl(1, 0, 0, 0)));
            }
            Block::Point {
                number,
                text,
                citation,
                ..
            } => {
                let inner = w - Mm::from(POINT_INDENT);
                let mut numbered = TableLayout::new(vec![1, 11]);
                let _ = numbered
                    .row()
                    .element(Paragraph::new(StyledString::new(
                        format!("{number}."),
                        Style::new().bold(),
                    )))
                    .element(
                        LinearLayout::vertical()
                            .element(self.text(text, Style::new(), inner))
                            .element(self.text(
                                &citation.text,
                                Style::new().italic().with_font_size(l.small),
                                inner,
                            )),
                    )
                    .push();
                root.push(PaddedElement::new(numbered, Margins::trbl(1.5, 0, 0, 0)));
            }
            Block::Table { widths, header, rows } => {
                let total: usize = widths.iter().sum::<usize>().max(1);
                let mut table = TableLayout::new(widths.clone());
                table.set_cell_decorator(genpdf::elements::FrameCellDecorator::new(true, true, false));
                let cell = |text: &str, style: Style, i: usize| {
                    let cw = w * (widths.get(i).copied().unwrap_or(1) as f64 / total as f64) - Mm::from(2.0);
                    PaddedElement::new(
                        self.text(text, style.with_font_size(l.small), cw),
                        Margins::all(1),
                    )
                };
                for (r, row) in std::iter::once(header).chain(rows).enumerate() {
                    let style = if r == 0 { Style::new().bold() } else { Style::new() };
                    let mut tr = table.row();
                    for i in 0..widths.len() {
                        tr.push_element(cell(row.get(i).map_or("", String::as_str), style, i));
                    }
                    let _ = tr.push();
                }
                root.push(PaddedElement::new(table, Margins::trbl(2, 0, 0, 0)));
            }
        }
    }
}

/// Makes every text of the document drawable, naming the item in any warning.
fn drawable_document(doc: &Document, fit: &mut Fitter) -> Document {
    let mut d = doc.clone();
    let mut item = "title block".to_owned();
    let m = &mut d.meta;
    for s in [&mut m.marking, &mut m.running_head, &mut m.page_pattern] {
        *s = fit.drawable(s, "page furniture");
    }
    if let Some(draft) = &mut m.draft {
        *draft = fit.drawable(draft, "page furniture");
    }
    let t = &mut d.title_block;
    for s in [
        &mut t.title,
        &mut t.subtitle,
        &mut t.distribution_label,
        &mut t.copy,
    ] {
        *s = fit.drawable(s, &item);
    }
    for (a, b) in &mut t.fields {
        *a = fit.drawable(a, &item);
        *b = fit.drawable(b, &format!("title block field `{a}`"));
    }
    for s in &mut t.distribution {
        *s = fit.drawable(s, "distribution list");
    }
    for block in &mut d.blocks {
        match block {
            Block::Heading { text, .. } => {
                *text = fit.drawable(text, &format!("heading `{text}`"));
                item = format!("section `{text}`");
            }
            Block::Paragraph(runs) => runs
                .iter_mut()
                .for_each(|r| r.text = fit.drawable(&r.text, &item)),
            Block::Bullets(items) => items
                .iter_mut()
                .flatten()
                .for_each(|r| r.text = fit.drawable(&r.text, &item)),
            Block::Note(text) => *text = fit.drawable(text, &item),
            Block::Point {
                id, text, citation, ..
            } => {
                let here = format!("point `{id}`");
                *text = fit.drawable(text, &here);
                citation.text = fit.drawable(&citation.text, &here);
            }
            Block::Table { header, rows, .. } => {
                header
                    .iter_mut()
                    .chain(rows.iter_mut().flatten())
                    .for_each(|c| *c = fit.drawable(c, &item));
            }
        }
    }
    d
}

fn render_once(
    doc: &Document,
    layout: &Layout,
    fit: &Fitter,
    family: FontFamily<FontData>,
    total: usize,
) -> Result<(Vec<u8>, usize)> {
    let mut pdf = genpdf::Document::new(family);
    pdf.set_minimal_conformance();
    pdf.set_paper_size(layout.page);
    pdf.set_font_size(layout.body.font_size());
    pdf.set_line_spacing(layout.line_spacing);
    let pages = Rc::new(Cell::new(0));
    let frame = Frame {
        layout: layout.clone(),
        marking: doc.meta.marking.clone(),
        running_head: doc.meta.running_head.clone(),
        draft: doc.meta.draft.clone(),
        page_pattern: doc.meta.page_pattern.clone(),
        total,
        page: Rc::clone(&pages),
    };
    // The body height is the page less margins and the frame's bands; measured
    // with the same fonts the frame uses.
    let mark = Style::new()
        .bold()
        .with_font_size(layout.small + 1)
        .line_height(&fit.cache);
    let small = Style::new().with_font_size(layout.small).line_height(&fit.cache);
    let (mt, _, mb, _) = layout.margins;
    let body_height = layout.page.height - Mm::from(mt + mb) - (mark * 3.0 + small * 2.0 + Mm::from(6.0));
    pdf.set_page_decorator(frame);
    let builder = Builder {
        doc,
        layout,
        fit,
        body_height,
    };
    pdf.push(builder.build());
    let mut bytes = Vec::new();
    pdf.render(&mut bytes)
        .map_err(|e| anyhow!("laying out the PDF failed: {e}"))?;
    Ok((bytes, pages.get()))
}

/// Renders the document as PDF.
/// genpdf stamps the wall-clock time as the creation and modification dates,
/// so two builds of one pack differed. The dates are overwritten in place with
/// the memo's date (or 2000-01-01 when it has none): same length, so every
/// cross-reference offset stays right, and rebuilds are byte-identical.
fn pin_dates(bytes: &mut [u8], date: Option<chrono::NaiveDate>) {
    let stamp = date.map_or_else(
        || "20000101000000".to_owned(),
        |d| format!("{}000000", d.format("%Y%m%d")),
    );
    if stamp.len() != 14 {
        return; // a year past 9999 cannot be written in place; keep genpdf's date
    }
    for key in [&b"/CreationDate(D:"[..], &b"/ModDate(D:"[..]] {
        let mut from = 0;
        while let Some(i) = bytes[from..].windows(key.len()).position(|w| w == key) {
            let start = from + i + key.len();
            let end = start + 14;
            if end <= bytes.len() && bytes[start..end].iter().all(u8::is_ascii_digit) {
                bytes[start..end].copy_from_slice(stamp.as_bytes());
            }
            from = start;
        }
    }
}

pub fn render(doc: &Document, template: &Template) -> Result<Pdf> {
    let family = font_family()?;
    let mut fit = Fitter::new(family.clone());
    let doc = drawable_document(doc, &mut fit);
    let layout = Layout::from(template);
    // First pass counts the pages; the second prints "Page N of M" with that count.
    let (_, pages) = render_once(&doc, &layout, &fit, family.clone(), 0).context("first layout pass")?;
    let (mut bytes, again) = render_once(&doc, &layout, &fit, family, pages).context("second layout pass")?;
    pin_dates(&mut bytes, doc.meta.date);
    if again != pages {
        bail!("the layout did not settle: {pages} pages, then {again}");
    }
    Ok(Pdf {
        bytes,
        pages,
        warnings: fit.warnings,
    })
}

#[cfg(test)]
mod date_tests {
    use super::pin_dates;

    #[test]
    fn wall_clock_dates_are_replaced_by_the_memo_date_in_place() {
        let mut pdf = b"<</CreationDate(D:20261124103100+00'00')/ModDate(D:20261124103101+00'00')>>".to_vec();
        let len = pdf.len();
        pin_dates(&mut pdf, chrono::NaiveDate::from_ymd_opt(2011, 8, 5));
        assert_eq!(pdf.len(), len);
        assert_eq!(
            String::from_utf8(pdf).unwrap(),
            "<</CreationDate(D:20110805000000+00'00')/ModDate(D:20110805000000+00'00')>>"
        );
    }
}
