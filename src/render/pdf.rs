//! Document -> PDF with genpdf, then a finishing pass.
//!
//! genpdf lays out the pages; this module feeds it text it can draw (no control
//! characters, no glyph the fonts lack, no word wider than its line, since genpdf
//! would drop it), fonts subset to the characters the memo uses (so layout is fast
//! and the file small), and frames every page with the marking and "Page N of M"
//! (see `frame`). `finish` then makes the file small, reproducible and correctly
//! labelled.

use super::finish::{check_reads_back, finish, PdfMeta};
use super::flow::{Piece, Table as FlowTable, Text, Unit};
use super::frame::{frame, Geometry};
use super::subset;
use crate::clean;
use crate::compose::{Block, Document, Run, Style as RunStyle};
use crate::template::Template;
use anyhow::{anyhow, bail, Context as _, Result};
use genpdf::elements::LinearLayout;
use genpdf::fonts::{FontCache, FontData, FontFamily};
use genpdf::style::{Style, StyledString};
use genpdf::{Alignment, Element, Mm, Size};
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

/// The four faces of a family, whole, as compiled in: regular, bold, italic,
/// bold italic. The template names the family (`template::FAMILIES`).
fn whole_faces(family: &str) -> [&'static [u8]; 4] {
    if family == "dejavu-sans" {
        [
            dejavu::sans::regular(),
            dejavu::sans::bold(),
            dejavu::sans::oblique(),
            dejavu::sans::bold_oblique(),
        ]
    } else {
        [
            dejavu::serif::regular(),
            dejavu::serif::bold(),
            dejavu::serif::italic(),
            dejavu::serif::bold_italic(),
        ]
    }
}

/// Which characters the whole fonts can draw; read straight from the compiled-in
/// bytes, without copying them.
struct Glyphs {
    faces: Vec<rusttype::Font<'static>>,
    replacement: char,
}

impl Glyphs {
    fn new(family: &str) -> Result<Glyphs> {
        let faces = whole_faces(family)
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
fn font_family(family: &str, chars: &FaceChars) -> Result<(FontFamily<FontData>, Widest)> {
    use printpdf::BuiltinFont::{Helvetica, HelveticaBold, HelveticaBoldOblique, HelveticaOblique};
    let [regular, bold, italic, bold_italic] = whole_faces(family);
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
                // A line ending in a hyphen reads as a hyphenated word: text
                // extraction joins it to the next without the hyphen. The
                // hyphen starts the next piece instead.
                let carried = out.ends_with('-') && !out.ends_with(" -");
                if carried {
                    out.pop();
                }
                out.push(' ');
                piece_w = Mm::from(0.0);
                if carried {
                    out.push('-');
                    piece_w += font.char_width(cache, '-', size);
                }
            }
            out.push(c);
            piece_w += cw;
        }
    }
    out
}

/// Page geometry and type sizes, from the template.
#[derive(Clone)]
struct Layout {
    page: Size,
    margins: (f64, f64, f64, f64),
    body: u8,
    small: u8,
    title: u8,
    heading: u8,
    subheading: u8,
    /// Baseline to baseline, as a multiple of the type size, at every size.
    leading: f64,
}

impl Layout {
    fn from(t: &Template) -> Layout {
        let p = &t.page;
        let f = &t.fonts;
        Layout {
            page: Size::new(p.width, p.height),
            margins: (p.margin_top, p.margin_right, p.margin_bottom, p.margin_left),
            body: f.body,
            small: f.small,
            title: f.title,
            heading: f.heading,
            subheading: f.subheading,
            leading: f.line_spacing,
        }
    }
}

/// genpdf's line spacing that gives `leading`: genpdf multiplies the font's own
/// line height (ascent, descent and gap: 1.16 em for `DejaVu`), not the type size.
fn genpdf_spacing(cache: &FontCache, leading: f64) -> f64 {
    let size = 10u8;
    let natural = Style::new()
        .with_font_size(size)
        .with_line_spacing(1.0)
        .line_height(cache);
    let em = Mm::from(printpdf::Pt(f64::from(size)));
    leading / (f64::from(natural) / f64::from(em)).max(0.5)
}

/// Where a title-block value or a hanging text starts, in mm from the left.
const FIELD_INDENT: f64 = 30.0;
/// Hanging indent of a point's text after its number, and of a list item after its dash.
/// Hanging indent of points: room for the widest number of the memo, its dot
/// and a space (bold figures are about 0.7 em), so every point's text starts
/// at the same place.
fn point_indent(doc: &Document) -> Mm {
    let widest = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Point { number, .. } => Some(number.to_string().len()),
            _ => None,
        })
        .max()
        .unwrap_or(1);
    Mm::from(4.0 + 2.8 * widest as f64)
}
const BULLET_INDENT: f64 = 5.0;
/// Labels end in a space, so text extraction reads "12. We had", never "12.We".
const BULLET: &str = "\u{2013} ";

/// Converts the document into genpdf elements; called once to collect the
/// characters to subset the fonts to and once to lay out, as genpdf consumes them.
struct Builder<'a> {
    doc: &'a Document,
    layout: &'a Layout,
    /// The body height left under the header and footer bands.
    body_height: Mm,
    /// genpdf's line spacing for the template's leading (`genpdf_spacing`).
    spacing: f64,
    widest: Widest,
    point_indent: Mm,
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

/// Pieces of the flow, each tied to the next when its `with_next` says so.
struct Flow {
    root: LinearLayout,
    unit: Vec<Piece>,
    full_height: Mm,
}

impl Flow {
    fn push(&mut self, piece: Piece) {
        let tied = self.unit.last().is_some_and(|p| p.with_next);
        if !tied {
            self.flush();
        }
        self.unit.push(piece);
    }

    fn flush(&mut self) {
        if !self.unit.is_empty() {
            let unit = std::mem::take(&mut self.unit);
            self.root.push(Unit::new(unit, self.full_height));
        }
    }

    fn element(&mut self, e: impl Element + 'static) {
        self.flush();
        self.root.push(e);
    }
}

fn piece(text: Text, gap: f64) -> Piece {
    Piece {
        text,
        gap: Mm::from(gap),
        whole: false,
        with_next: false,
    }
}

impl Builder<'_> {
    /// A style of `size` points at the template's leading.
    fn sized(&self, size: u8) -> Style {
        Style::new().with_font_size(size).with_line_spacing(self.spacing)
    }

    fn text_of(&self, runs: Vec<StyledString>, base: Style) -> Text {
        Text::new(runs, base, self.widest, fit_words)
    }

    fn para(&self, runs: &[Run], size: u8) -> Text {
        let base = self.sized(size);
        self.text_of(
            runs.iter()
                .map(|r| self.styled(&r.text, base.and(run_style(r.style))))
                .collect(),
            base,
        )
    }

    fn text(&self, text: &str, style: Style) -> Text {
        let base = self.sized(style.font_size()).and(style);
        self.text_of(vec![self.styled(text, base)], base)
    }

    fn styled(&self, text: &str, style: Style) -> StyledString {
        self.used.borrow_mut().add(text, style);
        StyledString::new(text.to_owned(), style)
    }

    fn title_block(&self, flow: &mut Flow) {
        let t = &self.doc.title_block;
        let l = self.layout;
        // The kind of document over what it is about.
        if !t.subtitle.is_empty() {
            flow.push(piece(
                self.text(
                    &t.subtitle.to_uppercase(),
                    Style::new().bold().with_font_size(l.body),
                )
                .aligned(Alignment::Center),
                0.0,
            ));
        }
        flow.push(piece(
            self.text(&t.title, Style::new().bold().with_font_size(l.title))
                .aligned(Alignment::Center),
            1.5,
        ));
        let mut rows: Vec<(String, String)> = t.fields.clone();
        if !t.distribution.is_empty() {
            rows.push((t.distribution_label.clone(), t.distribution.join("; ")));
        }
        for (i, (label, value)) in rows.iter().enumerate() {
            let label = self.styled(label, self.sized(l.body).bold());
            let value = self.text(value, self.sized(l.body));
            flow.push(piece(
                value.labelled(Some(label), Mm::from(FIELD_INDENT)).label_left(),
                if i == 0 { 5.0 } else { 0.0 },
            ));
        }
        if !t.copy.is_empty() {
            flow.push(piece(self.text(&t.copy, self.sized(l.body).bold()), 2.0));
        }
        flow.flush();
    }

    fn build(&self) -> LinearLayout {
        let mut flow = Flow {
            root: LinearLayout::vertical(),
            unit: Vec::new(),
            full_height: self.body_height,
        };
        self.title_block(&mut flow);
        let blocks = &self.doc.blocks;
        for (i, block) in blocks.iter().enumerate() {
            let next = blocks.get(i + 1);
            self.block(&mut flow, block, next);
        }
        flow.flush();
        flow.root
    }

    fn block(&self, flow: &mut Flow, block: &Block, next: Option<&Block>) {
        let l = self.layout;
        let small_italic = Style::new().italic().with_font_size(l.small);
        // A paragraph or field followed by fields is an assessment with its
        // trend and regions: kept together.
        let before_field = matches!(next, Some(Block::Field { .. }));
        // A partner's status of relations belongs with the assessment after it.
        let before_text = before_field || matches!(next, Some(Block::Paragraph(_)));
        match block {
            Block::Heading {
                level,
                text,
                new_page,
                ..
            } => {
                if *new_page {
                    flow.element(genpdf::elements::PageBreak::new());
                }
                let (style, gap) = match level {
                    1 => (Style::new().bold().with_font_size(l.heading), 6.0),
                    2 => (Style::new().bold().with_font_size(l.subheading), 4.0),
                    _ => (Style::new().italic().with_font_size(l.body), 3.0),
                };
                let mut p = piece(self.text(text, style), gap);
                p.with_next = true;
                flow.push(p);
            }
            Block::Paragraph(runs) => {
                let mut p = piece(self.para(runs, l.body), 1.8);
                p.with_next = before_field;
                flow.push(p);
            }
            Block::Field { label, value } => {
                let runs = [Run::bold(format!("{label}: ")), Run::plain(value.clone())];
                let mut p = piece(self.para(&runs, l.body), 0.6);
                p.whole = true;
                p.with_next = before_text;
                flow.push(p);
            }
            Block::Label(label) => {
                let mut p = piece(self.para(&[Run::bold(label.clone())], l.body), 1.8);
                p.with_next = true;
                flow.push(p);
            }
            Block::Note(s) => flow.push(piece(self.text(s, small_italic), 0.8)),
            Block::Bullets(items) => {
                for (i, item) in items.iter().enumerate() {
                    let dash = self.styled(BULLET, self.sized(l.body));
                    let text = self
                        .para(item, l.body)
                        .labelled(Some(dash), Mm::from(BULLET_INDENT));
                    flow.push(piece(text, if i == 0 { 1.2 } else { 0.6 }));
                }
            }
            Block::Point {
                number,
                text: s,
                citation,
                ..
            } => {
                let indent = self.point_indent;
                let label = self.styled(&format!("{number}. "), self.sized(l.body).bold());
                let mut body = piece(
                    self.text(s, self.sized(l.body)).labelled(Some(label), indent),
                    2.4,
                );
                body.with_next = true;
                flow.push(body);
                let mut cite = piece(
                    self.text(&citation.line(), small_italic).labelled(None, indent),
                    0.6,
                );
                cite.whole = true;
                flow.push(cite);
            }
            Block::Table { widths, header, rows } => {
                let small = self.sized(l.small);
                let head_style = small.bold();
                let rows: Vec<Vec<Text>> = rows
                    .iter()
                    .map(|r| {
                        (0..widths.len())
                            .map(|i| self.text(r.get(i).map_or("", String::as_str), small))
                            .collect()
                    })
                    .collect();
                let header = header.clone();
                let (widest, spacing) = (self.widest, self.spacing);
                let size = l.small;
                for h in &header {
                    self.used.borrow_mut().add(h, head_style);
                }
                let make_header = Box::new(move || {
                    header
                        .iter()
                        .map(|h| {
                            let base = Style::new()
                                .with_font_size(size)
                                .with_line_spacing(spacing)
                                .bold();
                            Text::new(vec![StyledString::new(h.clone(), base)], base, widest, fit_words)
                        })
                        .collect()
                });
                flow.element(FlowTable::new(
                    widths.clone(),
                    make_header,
                    rows,
                    Mm::from(3.0),
                    self.body_height,
                ));
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
    if let Some(foot) = &mut m.copy_foot {
        fix(foot, "page furniture");
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
            Block::Field { label, value } => {
                fix(label, &item);
                fix(value, &item);
            }
            Block::Bullets(items) => items.iter_mut().flatten().for_each(|r| fix(&mut r.text, &item)),
            Block::Note(text) | Block::Label(text) => fix(text, &item),
            Block::Point {
                id, text, citation, ..
            } => {
                let here = format!("point `{id}`");
                fix(text, &here);
                fix(&mut citation.text, &here);
                if let Some(a) = &mut citation.attribution {
                    fix(a, &here);
                }
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
    pdf.set_font_size(layout.body);
    let spacing = genpdf_spacing(&cache, layout.leading);
    pdf.set_line_spacing(spacing);
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
        spacing,
        widest,
        point_indent: point_indent(doc),
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
    let (doc, text) = drawable_document(doc, &Glyphs::new(&template.fonts.family)?, &mut warnings);
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
        spacing: 1.0,
        widest: MEASURE_ALL,
        point_indent: Mm::from(0.0),
        used: std::cell::RefCell::default(),
    };
    drop(builder.build());
    let mut chars = builder.used.into_inner();
    let (regular, bold) = (Style::new(), Style::new().bold());
    chars.add(&doc.meta.marking, bold);
    chars.add(doc.meta.draft.as_deref().unwrap_or_default(), bold);
    chars.add(&doc.meta.running_head, regular);
    chars.add(doc.meta.copy_foot.as_deref().unwrap_or_default(), regular);
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
    let faces = font_family(&template.fonts.family, chars)?;
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
                attribution: None,
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
            copy_foot: None,
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
