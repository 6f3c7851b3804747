//! Document -> PDF with genpdf, then a finishing pass.
//!
//! genpdf lays out the pages; this module feeds it text it can draw (no control
//! characters, no glyph the fonts lack, no word wider than its line, since genpdf
//! would drop it), fonts subset to the characters the memo uses (so layout is fast
//! and the file small), and frames every page with the marking and "Page N of M"
//! (see `frame`). `finish` then makes the file small, reproducible and correctly
//! labelled.

use super::finish::{check_reads_back, finish, PdfMeta};
use super::frame::{frame, Geometry};
use super::subset;
use crate::clean;
use crate::compose::{Block, Document, Run, Style as RunStyle};
use crate::template::Template;
use anyhow::{anyhow, bail, Context as _, Result};
use genpdf::elements::{Break, LinearLayout, PaddedElement, Paragraph, TableLayout, UnorderedList};
use genpdf::fonts::{FontCache, FontData, FontFamily};
use genpdf::style::{Style, StyledString};
use genpdf::{Alignment, Context, Element, Margins, Mm, RenderResult, Size};
use std::collections::BTreeSet;

/// What a PDF build produced.
#[derive(Debug)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Things the reader of the build log should know (e.g. a character the
    /// fonts cannot draw, and where it was).
    pub warnings: Vec<String>,
}

/// A letter of a script written right to left (Unicode bidi classes R and
/// AL: Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms).
/// genpdf draws text in the order it is typed and without Arabic joining;
/// reordering and shaping would need a bidi and a shaping engine, so such text
/// is reported instead of silently drawn backwards.
fn is_right_to_left(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x1_0800..=0x1_0FFF | 0x1_E800..=0x1_EFFF)
        && c.is_alphabetic()
}

/// The most text a PDF memo may hold. Layout costs about 300 bytes of memory a
/// character (genpdf and printpdf keep every glyph of every page as an object
/// until the file is written), so this bounds a build, in the interface too,
/// to about 1.2 GB; a 2 MB paragraph (some 530 pages) still builds.
const MAX_TEXT: usize = 4 << 20;

/// Drawn in place of a character no font has.
const REPLACEMENT: char = '\u{FFFD}';

/// The four faces, whole, as compiled in: regular, bold, italic, bold italic.
fn whole_faces() -> [&'static [u8]; 4] {
    [
        dejavu::sans::regular(),
        dejavu::sans::bold(),
        dejavu::sans::oblique(),
        dejavu::sans::bold_oblique(),
    ]
}

/// Which characters the whole fonts can draw; read straight from the compiled-in
/// bytes, without copying them.
struct Glyphs {
    faces: Vec<rusttype::Font<'static>>,
    replacement: char,
}

impl Glyphs {
    fn new() -> Result<Glyphs> {
        let faces = whole_faces()
            .into_iter()
            .map(|b| rusttype::Font::from_bytes(b).context("the compiled-in font is unreadable"))
            .collect::<Result<Vec<_>>>()?;
        let mut g = Glyphs {
            faces,
            replacement: '?',
        };
        if g.has(REPLACEMENT) {
            g.replacement = REPLACEMENT;
        }
        Ok(g)
    }

    /// A character every face can draw (the memo may set any text in any face).
    fn has(&self, c: char) -> bool {
        c == ' ' || self.faces.iter().all(|f| f.glyph(c).id().0 != 0)
    }

    /// Cleans control characters and replaces what the fonts cannot draw,
    /// reporting each such character once per item.
    fn drawable(&self, text: &str, item: &str, warnings: &mut Vec<String>) -> String {
        let text = clean::line(text);
        if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            return text.into_owned();
        }
        if text.chars().any(is_right_to_left) {
            warnings.push(format!(
                "{item}: right-to-left text (Hebrew, Arabic) is drawn in typed order, left to right and unjoined, so it reads wrongly; give it in transliteration"
            ));
        }
        let mut out = String::with_capacity(text.len());
        let mut reported: Vec<char> = Vec::new();
        for c in text.chars() {
            if self.has(c) {
                out.push(c);
            } else {
                if !reported.contains(&c) {
                    reported.push(c);
                    warnings.push(format!(
                        "{item}: character U+{:04X} '{c}' is not in the fonts; drawn as '{}'",
                        c as u32, self.replacement
                    ));
                }
                out.push(self.replacement);
            }
        }
        out
    }
}

/// Each face subset to the characters drawn in it, ready for genpdf.
///
/// A face nothing is drawn in (bold italic, as a rule) is still measured with
/// its subset but goes to the PDF as a standard-14 stand-in: printpdf looks up
/// all 1.1 million code points in every font it embeds, a third of the example
/// memo's build, and never in a standard one. `finish` removes the stand-in.
fn font_family(chars: &FaceChars) -> Result<(FontFamily<FontData>, Widest)> {
    use printpdf::BuiltinFont::{Helvetica, HelveticaBold, HelveticaBoldOblique, HelveticaOblique};
    let [regular, bold, italic, bold_italic] = whole_faces();
    let load = |whole: &[u8], chars: &BTreeSet<char>, stand_in| -> Result<(FontData, f64)> {
        let sub = subset::subset_face(whole, chars).context("subsetting the font")?;
        let widest = subset::widest_char_em(&sub).context("reading the subset font")?;
        let data = FontData::new(sub, chars.is_empty().then_some(stand_in))
            .map_err(|e| anyhow!("cannot load the subset font: {e}"))?;
        Ok((data, widest))
    };
    let [r, b, i, bi] = &chars.0;
    let (regular, wr) = load(regular, r, Helvetica)?;
    let (bold, wb) = load(bold, b, HelveticaBold)?;
    let (italic, wi) = load(italic, i, HelveticaOblique)?;
    let (bold_italic, wbi) = load(bold_italic, bi, HelveticaBoldOblique)?;
    let family = FontFamily {
        regular,
        bold,
        italic,
        bold_italic,
    };
    Ok((family, [wr, wb, wi, wbi]))
}

/// For each face, in `FaceChars` order, the most one character can add to a
/// line, in em (`subset::widest_char_em`).
type Widest = [f64; 4];

/// Measures every word: for elements built only to be taken apart.
const MEASURE_ALL: Widest = [f64::INFINITY; 4];

/// Breaks every word wider than `width` into pieces that fit, so genpdf, which
/// drops such a word and everything after it in the paragraph, lays each piece
/// on a line of its own. `widest_em` bounds the width of one character of the
/// style's face.
fn fit_words(cache: &FontCache, text: &str, style: Style, width: Mm, widest_em: f64) -> String {
    let font = style.font(cache);
    let size = style.font_size();
    // genpdf measures a word with its trailing space; kerning is left out of the
    // per-character sum, hence the 1% slack.
    let limit = (width - font.char_width(cache, ' ', size)) * 0.99;
    // Measuring every word cost 5-10 % of a long memo's build; a word of no more
    // than `fits` characters cannot be too wide, whichever they are.
    let em = Mm::from(printpdf::Pt(f64::from(size)));
    let fits = (f64::from(limit) / (f64::from(em) * widest_em)) as usize;
    let wide = |w: &str| w.chars().nth(fits).is_some() && font.str_width(cache, w, size) > limit;
    if !text.split(' ').any(wide) {
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
            let cw = font.char_width(cache, c, size);
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

/// A paragraph that fits its words to the width it is given when it is first
/// rendered, so no word is ever wider than its line, in any column.
struct Text {
    runs: Vec<StyledString>,
    align: Alignment,
    widest: Widest,
    inner: Option<Paragraph>,
}

impl Text {
    fn new(runs: Vec<StyledString>, widest: Widest) -> Text {
        Text {
            runs,
            align: Alignment::Left,
            widest,
            inner: None,
        }
    }

    fn aligned(mut self, align: Alignment) -> Text {
        self.align = align;
        self
    }
}

impl Element for Text {
    fn render(
        &mut self,
        context: &Context,
        area: genpdf::render::Area<'_>,
        style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        let width = area.size().width;
        let runs = &mut self.runs;
        let (align, widest) = (self.align, self.widest);
        let inner = self.inner.get_or_insert_with(|| {
            let mut p = Paragraph::default();
            p.set_alignment(align);
            for run in runs.drain(..) {
                let style = style.and(run.style);
                let widest_em = widest[FaceChars::face(style)];
                let fitted = fit_words(&context.font_cache, &run.s, style, width, widest_em);
                // genpdf cuts a run into words by moving the rest of the run
                // to a new string after each word, and each word keeps the
                // capacity of the string it was cut from: time and memory in
                // the square of the run's length (a 2 MB paragraph needed
                // over 24 GB). Given a word at a time, it cuts nothing.
                for word in fitted.split_inclusive(' ') {
                    p.push_styled(word, run.style);
                }
            }
            p
        });
        inner.render(context, area, style)
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
}

/// Holds a heading back to the next page when fewer than `reserve` millimetres
/// would remain under it: a heading never ends a page alone.
struct KeepWithNext {
    inner: Text,
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

/// Converts the document into genpdf elements; called once to collect the
/// characters to subset the fonts to and once to lay out, as genpdf consumes them.
struct Builder<'a> {
    doc: &'a Document,
    layout: &'a Layout,
    /// The body height left under the header and footer bands.
    body_height: Mm,
    widest: Widest,
    /// Every character handed to genpdf, by face.
    used: std::cell::RefCell<FaceChars>,
}

fn run_style(s: RunStyle) -> Style {
    match s {
        RunStyle::Plain => Style::new(),
        RunStyle::Bold => Style::new().bold(),
        RunStyle::Italic => Style::new().italic(),
    }
}

/// The characters drawn in each face: regular, bold, italic, bold italic. Each
/// face is subset to its own set, so a face the memo barely uses costs little.
#[derive(Default)]
pub(super) struct FaceChars([BTreeSet<char>; 4]);

impl FaceChars {
    fn face(style: Style) -> usize {
        usize::from(style.is_bold()) + 2 * usize::from(style.is_italic())
    }

    fn add(&mut self, s: &str, style: Style) {
        self.0[FaceChars::face(style)].extend(s.chars().filter(|c| !c.is_control()));
    }

    /// Drops a character from every face (to test what a missing glyph does).
    #[cfg(test)]
    pub(super) fn remove(&mut self, c: char) {
        for set in &mut self.0 {
            set.remove(&c);
        }
    }

    /// Empties face `face` (to test what drawing in a stand-in does).
    #[cfg(test)]
    pub(super) fn forget_face(&mut self, face: usize) {
        self.0[face].clear();
    }
}

impl Builder<'_> {
    fn para(&self, runs: &[Run], base: Style) -> Text {
        Text::new(
            runs.iter()
                .map(|r| self.styled(&r.text, base.and(run_style(r.style))))
                .collect(),
            self.widest,
        )
    }

    fn text(&self, text: &str, style: Style) -> Text {
        Text::new(vec![self.styled(text, style)], self.widest)
    }

    fn styled(&self, text: &str, style: Style) -> StyledString {
        self.used.borrow_mut().add(text, style);
        StyledString::new(text.to_owned(), style)
    }

    /// A heading kept with what follows it: `then`, the size of a heading that
    /// comes straight after, whose own room must be kept too, or a heading with
    /// only another under it would end a page.
    fn heading(&self, s: &str, size: u8, then: Option<u8>) -> KeepWithNext {
        let style = Style::new().bold().with_font_size(size);
        let body_line = Mm::from(f64::from(self.layout.body.font_size()) * 0.3528 * self.layout.line_spacing);
        let heading = |size: u8| Mm::from(f64::from(size) * 0.3528 * 2.0);
        KeepWithNext {
            inner: self.text(s, style),
            reserve: body_line * 5.0 + heading(size) + then.map_or(Mm::from(0.0), heading),
            full_height: self.body_height,
            started: false,
        }
    }

    fn build(&self) -> LinearLayout {
        let mut root = LinearLayout::vertical();
        let t = &self.doc.title_block;
        let l = self.layout;
        root.push(
            self.text(&t.title, Style::new().bold().with_font_size(l.title))
                .aligned(Alignment::Center),
        );
        root.push(
            self.text(&t.subtitle, Style::new().italic())
                .aligned(Alignment::Center),
        );
        root.push(Break::new(1.0));
        let mut fields = TableLayout::new(vec![1, 3]);
        let mut rows: Vec<(String, String)> = t.fields.clone();
        if !t.distribution.is_empty() {
            rows.push((t.distribution_label.clone(), t.distribution.join("; ")));
        }
        for (label, value) in rows {
            // A two-cell row of known elements cannot be malformed.
            let _ = fields
                .row()
                .element(self.text(&label, Style::new().bold()))
                .element(self.text(&value, Style::new()))
                .push();
        }
        root.push(fields);
        root.push(self.text(&t.copy, Style::new().italic().with_font_size(l.small)));
        for (i, block) in self.doc.blocks.iter().enumerate() {
            self.block(&mut root, block, self.doc.blocks.get(i + 1));
        }
        root
    }

    fn block(&self, root: &mut LinearLayout, block: &Block, next: Option<&Block>) {
        let l = self.layout;
        let small_italic = Style::new().italic().with_font_size(l.small);
        match block {
            Block::Heading {
                level,
                text,
                new_page,
                ..
            } => {
                if *new_page {
                    root.push(genpdf::elements::PageBreak::new());
                }
                let size = if *level == 1 { l.heading } else { l.subheading };
                root.push(Break::new(if *level == 1 { 1.0 } else { 0.5 }));
                let then = match next {
                    Some(Block::Heading {
                        level,
                        new_page: false,
                        ..
                    }) => Some(if *level == 1 { l.heading } else { l.subheading }),
                    _ => None,
                };
                root.push(self.heading(text, size, then));
            }
            Block::Paragraph(runs) => {
                root.push(PaddedElement::new(
                    self.para(runs, Style::new()),
                    Margins::trbl(1, 0, 0, 0),
                ));
            }
            Block::Note(s) => root.push(self.text(s, small_italic)),
            Block::Bullets(items) => {
                let mut list = UnorderedList::new();
                for item in items {
                    list.push(self.para(item, Style::new()));
                }
                root.push(PaddedElement::new(list, Margins::trbl(1, 0, 0, 0)));
            }
            Block::Point {
                number,
                text: s,
                citation,
                ..
            } => {
                let mut numbered = TableLayout::new(vec![1, 11]);
                let body = LinearLayout::vertical()
                    .element(self.text(s, Style::new()))
                    .element(self.text(&citation.text, small_italic));
                let _ = numbered
                    .row()
                    .element(self.text(&format!("{number}."), Style::new().bold()))
                    .element(body)
                    .push();
                root.push(PaddedElement::new(numbered, Margins::trbl(1.5, 0, 0, 0)));
            }
            Block::Table { widths, header, rows } => {
                let mut table = TableLayout::new(widths.clone());
                table.set_cell_decorator(genpdf::elements::FrameCellDecorator::new(true, true, false));
                for (r, row) in std::iter::once(header).chain(rows).enumerate() {
                    let style =
                        if r == 0 { Style::new().bold() } else { Style::new() }.with_font_size(l.small);
                    let mut tr = table.row();
                    for i in 0..widths.len() {
                        let cell = self.text(row.get(i).map_or("", String::as_str), style);
                        tr.push_element(PaddedElement::new(cell, Margins::all(1)));
                    }
                    let _ = tr.push();
                }
                root.push(PaddedElement::new(table, Margins::trbl(2, 0, 0, 0)));
            }
        }
    }
}

/// Makes every text of the document drawable, naming the item in any warning.
/// Also returns the bytes of text the memo holds.
fn drawable_document(doc: &Document, glyphs: &Glyphs, warnings: &mut Vec<String>) -> (Document, usize) {
    let mut d = doc.clone();
    let mut total = 0;
    let mut fix = |s: &mut String, item: &str| {
        total += s.len();
        *s = glyphs.drawable(s, item, warnings);
    };
    let m = &mut d.meta;
    for s in [&mut m.marking, &mut m.running_head, &mut m.page_pattern] {
        fix(s, "page furniture");
    }
    if let Some(draft) = &mut m.draft {
        fix(draft, "page furniture");
    }
    let t = &mut d.title_block;
    for s in [
        &mut t.title,
        &mut t.subtitle,
        &mut t.distribution_label,
        &mut t.copy,
    ] {
        fix(s, "title block");
    }
    for (a, b) in &mut t.fields {
        fix(a, "title block");
        let item = format!("title block field `{a}`");
        fix(b, &item);
    }
    for s in &mut t.distribution {
        fix(s, "distribution list");
    }
    let mut item = "title block".to_owned();
    for block in &mut d.blocks {
        match block {
            Block::Heading { text, .. } => {
                fix(text, &format!("heading `{text}`"));
                item = format!("section `{text}`");
            }
            Block::Paragraph(runs) => runs.iter_mut().for_each(|r| fix(&mut r.text, &item)),
            Block::Bullets(items) => items.iter_mut().flatten().for_each(|r| fix(&mut r.text, &item)),
            Block::Note(text) => fix(text, &item),
            Block::Point {
                id, text, citation, ..
            } => {
                let here = format!("point `{id}`");
                fix(text, &here);
                fix(&mut citation.text, &here);
            }
            Block::Table { header, rows, .. } => {
                header
                    .iter_mut()
                    .chain(rows.iter_mut().flatten())
                    .for_each(|c| fix(c, &item));
            }
        }
    }
    (d, total)
}

/// Lays the memo out once and writes genpdf's PDF; returns it and its page count.
fn typeset(
    doc: &Document,
    layout: &Layout,
    (family, widest): (FontFamily<FontData>, Widest),
) -> Result<(Vec<u8>, usize)> {
    let cache = FontCache::new(family.clone());
    let mut pdf = genpdf::Document::new(family);
    pdf.set_minimal_conformance();
    pdf.set_paper_size(layout.page);
    pdf.set_font_size(layout.body.font_size());
    pdf.set_line_spacing(layout.line_spacing);
    let geometry = Geometry {
        margins: layout.margins,
        small: layout.small,
    };
    let (decorator, page_numbers, pages, numbered) = frame(geometry, &doc.meta);
    let (mt, _, mb, _) = layout.margins;
    let body_height = layout.page.height - Mm::from(mt + mb) - geometry.bands_height(&cache);
    pdf.set_page_decorator(decorator);
    let builder = Builder {
        doc,
        layout,
        body_height,
        widest,
        used: std::cell::RefCell::default(),
    };
    pdf.push(builder.build());
    pdf.push(page_numbers);
    let mut bytes = Vec::new();
    pdf.render(&mut bytes)
        .map_err(|e| anyhow!("laying out the PDF failed: {e}"))?;
    let (pages, numbered) = (pages.get(), numbered.get());
    if numbered != pages {
        bail!("{numbered} of the {pages} pages were numbered");
    }
    Ok((bytes, pages))
}

/// The date printed into the file's metadata: the memo's date (noon UTC, so it
/// reads as that day in every time zone), else `SOURCE_DATE_EPOCH`, else none at
/// all, never the clock, so the same pack always gives the same bytes.
fn metadata_date(doc: &Document) -> Option<chrono::NaiveDateTime> {
    if let Some(d) = doc.meta.date {
        return d.and_hms_opt(12, 0, 0);
    }
    let epoch: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    chrono::DateTime::from_timestamp(epoch, 0).map(|t| t.naive_utc())
}

/// Lays the memo out and returns genpdf's raw PDF, before finishing.
pub(super) fn layout(doc: &Document, template: &Template) -> Result<(Vec<u8>, usize, Vec<String>)> {
    let mut warnings = Vec::new();
    let (doc, text) = drawable_document(doc, &Glyphs::new()?, &mut warnings);
    if text > MAX_TEXT {
        bail!(
            "the memo holds {:.1} MB of text; a PDF memo may hold at most {} MB (about {} pages), so shorten its longest fields",
            text as f64 / f64::from(1u32 << 20),
            MAX_TEXT >> 20,
            (MAX_TEXT >> 20) * 250
        );
    }
    let chars = face_chars(&doc, template);
    let (bytes, pages) = layout_with(&doc, template, &chars)?;
    Ok((bytes, pages, warnings))
}

/// The characters each face must hold: all the builder hands genpdf, and the
/// page furniture the frame draws.
pub(super) fn face_chars(doc: &Document, template: &Template) -> FaceChars {
    let layout = Layout::from(template);
    let builder = Builder {
        doc,
        layout: &layout,
        body_height: Mm::from(0.0),
        widest: MEASURE_ALL,
        used: std::cell::RefCell::default(),
    };
    drop(builder.build());
    let mut chars = builder.used.into_inner();
    let (regular, bold) = (Style::new(), Style::new().bold());
    chars.add(&doc.meta.marking, bold);
    chars.add(doc.meta.draft.as_deref().unwrap_or_default(), bold);
    chars.add(&doc.meta.running_head, regular);
    // "Page N of M"; genpdf's bullet.
    chars.add(&doc.meta.page_pattern, regular);
    chars.add("0123456789\u{2013}", regular);
    chars
}

/// Lays out a drawable document with each face subset to its characters.
pub(super) fn layout_with(
    doc: &Document,
    template: &Template,
    chars: &FaceChars,
) -> Result<(Vec<u8>, usize)> {
    let faces = font_family(chars)?;
    typeset(doc, &Layout::from(template), faces).context("laying out the pages")
}

/// A memo with English and Cyrillic text, `points` talking points long, for the
/// render module's own tests.
#[cfg(test)]
pub(super) fn sample(points: usize) -> Document {
    use crate::compose::{Citation, Meta, TitleBlock};
    let mut blocks = vec![
        Block::Heading {
            level: 1,
            text: "1. Purpose".into(),
            new_page: false,
            item: None,
        },
        Block::Paragraph(vec![Run::plain(
            "The delegation of the Организация Договора о коллективной безопасности meets in Astana.",
        )]),
        Block::Bullets(vec![vec![
            Run::bold("Kyrgyzstan: "),
            Run::plain("visited all regions."),
        ]]),
        Block::Heading {
            level: 1,
            text: "2. Talking points".into(),
            new_page: false,
            item: None,
        },
    ];
    for i in 1..=points {
        blocks.push(Block::Point {
            number: i,
            id: format!("p{i}"),
            text: format!("Point {i}: AVATAR Tο Wo — укрепление коллективной безопасности."),
            citation: Citation {
                number: 1,
                text: "Source [1]: “verbatim”".into(),
            },
        });
    }
    blocks.push(Block::Table {
        widths: vec![1, 2],
        header: vec!["State".into(), "Notes".into()],
        rows: vec![vec!["Armenia".into(), "member".into()]],
    });
    Document {
        meta: Meta {
            title: "BRIEFING MEMO: саммит".into(),
            author: "Secretary General".into(),
            subject: "Summit".into(),
            keywords: vec!["terrorism".into()],
            date: chrono::NaiveDate::from_ymd_opt(2011, 8, 5),
            marking: "RESTRICTED".into(),
            running_head: "SG/2011/041 · 5 August 2011".into(),
            page_pattern: "Page {page} of {pages}".into(),
            draft: None,
        },
        title_block: TitleBlock {
            title: "BRIEFING MEMO".into(),
            subtitle: "Preparation".into(),
            fields: vec![("To".into(), "President".into())],
            distribution_label: "Distribution".into(),
            distribution: vec!["Office".into()],
            copy: "Copy No. 1 of 1".into(),
        },
        blocks,
    }
}

/// Renders the document as a finished PDF.
pub fn render(doc: &Document, template: &Template) -> Result<Pdf> {
    let (raw, pages, warnings) = layout(doc, template)?;
    let meta = PdfMeta {
        title: doc.meta.title.clone(),
        author: doc.meta.author.clone(),
        subject: doc.meta.subject.clone(),
        keywords: doc.meta.keywords.clone(),
        date: metadata_date(doc),
    };
    let bytes = finish(&raw, &meta).context("finishing the PDF")?;
    check_reads_back(&bytes, pages)?;
    Ok(Pdf {
        bytes,
        pages,
        warnings,
    })
}
