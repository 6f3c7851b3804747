//! Document -> PDF with genpdf, then a finishing pass.
//!
//! genpdf lays out the pages; this module feeds it text it can draw (no control
//! characters, no glyph the fonts lack, no word wider than its line, since genpdf
//! would drop it), fonts subset to the characters the memo uses (so layout is fast
//! and the file small), and frames every page with the marking and "Page N of M"
//! (see `frame`). `finish` then makes the file small, reproducible and correctly
//! labelled.

use super::embed::Face;
use super::finish::{check_reads_back, finish, PdfMeta};
use super::flow::{Piece, Table as FlowTable, Target, Text, Unit};
use super::frame::{frame, Geometry, Later};
use super::measure::Measure;
use super::record::{Link, Record, Recorder, Role};
use super::subset;
use crate::clean;
use crate::compose::{Block, Document, Run, SourceEntry, Style as RunStyle};
use crate::template::Template;
use anyhow::{anyhow, bail, Context as _, Result};
use genpdf::elements::{LinearLayout, StyledElement};
use genpdf::fonts::{FontCache, FontData, FontFamily};
use genpdf::style::{Style, StyledString};
use genpdf::{Alignment, Context, Element, Mm, RenderResult, Size};
use std::collections::BTreeSet;
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

/// The most text a PDF memo may hold. Layout costs about 60 bytes of memory a
/// character (printpdf keeps every page's drawing operations until the file is
/// written; vendor/printpdf keeps a line's glyphs as one string), so this bounds
/// a build, in the interface too, to about 260 MB and 1,200 pages.
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

/// The standard-14 fonts that stand in for a family's four faces in genpdf's
/// PDF (see `fonts`), in `whole_faces` order: four distinct names, as `embed`
/// finds each face's place by its stand-in's name, and the nearest in kind, so a
/// stand-in a reader ever showed would at least be of the same cut.
fn stand_ins(family: &str) -> [printpdf::BuiltinFont; 4] {
    use printpdf::BuiltinFont::{
        Helvetica, HelveticaBold, HelveticaBoldOblique, HelveticaOblique, TimesBold, TimesBoldItalic,
        TimesItalic, TimesRoman,
    };
    if family == "dejavu-sans" {
        [Helvetica, HelveticaBold, HelveticaOblique, HelveticaBoldOblique]
    } else {
        [TimesRoman, TimesBold, TimesItalic, TimesBoldItalic]
    }
}

/// Which characters the whole fonts can draw; read straight from the compiled-in
/// bytes, without copying them.
struct Glyphs {
    faces: Vec<rusttype::Font<'static>>,
    replacement: char,
    /// What `has` found for each character below `KNOWN`: 0 not asked yet, 1 yes,
    /// 2 no. A lookup in four whole faces' `cmap`s was a twentieth of a long
    /// memo's build, for the same few hundred characters over and over.
    known: Vec<u8>,
}

/// Latin, Greek, Cyrillic and General Punctuation: what memos are written in.
const KNOWN: usize = 0x2070;

impl Glyphs {
    fn new(family: &str) -> Result<Glyphs> {
        let faces = whole_faces(family)
            .into_iter()
            .map(|b| rusttype::Font::from_bytes(b).context("the compiled-in font is unreadable"))
            .collect::<Result<Vec<_>>>()?;
        let mut g = Glyphs {
            faces,
            replacement: '?',
            known: vec![0; KNOWN],
        };
        if g.has(REPLACEMENT) {
            g.replacement = REPLACEMENT;
        }
        Ok(g)
    }

    /// A character every face can draw (the memo may set any text in any face).
    fn has(&mut self, c: char) -> bool {
        let look =
            |faces: &[rusttype::Font<'static>]| c == ' ' || faces.iter().all(|f| f.glyph(c).id().0 != 0);
        match self.known.get_mut(c as usize) {
            Some(k) => {
                if *k == 0 {
                    *k = if look(&self.faces) { 1 } else { 2 };
                }
                *k == 1
            }
            None => look(&self.faces),
        }
    }

    /// Cleans control characters and replaces what the fonts cannot draw,
    /// reporting each such character once per item.
    fn drawable(&mut self, text: &str, item: &str, warnings: &mut Vec<String>) -> String {
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

/// Each face subset to the characters drawn in it, ready for genpdf and `embed`.
#[derive(Clone)]
struct Fonts {
    /// What genpdf's document is made with: every face's subset, for layout, with
    /// a standard-14 stand-in for the PDF. printpdf looks up all 1.1 million code
    /// points in every font it embeds (two thirds of a ten-page memo's build) and
    /// never in a standard one; `embed` puts the subsets in the stand-ins' place.
    document: FontFamily<FontData>,
    /// The same subsets as embedded fonts, whose handles make genpdf draw by glyph
    /// id (see `typeset`).
    glyph_ids: FontFamily<FontData>,
    widest: Widest,
    /// The faces something is drawn in, to embed. A face nothing is drawn in (bold
    /// italic, as a rule) keeps its stand-in, which `finish` removes.
    embed: Vec<Face>,
}

fn fonts(family: &str, chars: &FaceChars) -> Result<Fonts> {
    let stand_ins = stand_ins(family);
    let mut embed = Vec::new();
    let mut widest: Widest = [0.0; 4];
    let mut document = Vec::with_capacity(4);
    let mut glyph_ids = Vec::with_capacity(4);
    for (index, ((whole, chars), stand_in)) in whole_faces(family)
        .into_iter()
        .zip(&chars.0)
        .zip(stand_ins)
        .enumerate()
    {
        let sub = subset::subset(whole, chars).context("subsetting the font")?;
        widest[index] = subset::widest_char_em(&sub.font).context("reading the subset font")?;
        let load = |builtin| {
            FontData::new(sub.font.clone(), builtin).map_err(|e| anyhow!("cannot load the subset font: {e}"))
        };
        document.push(load(Some(stand_in))?);
        glyph_ids.push(load(None)?);
        if !chars.is_empty() {
            embed.push(Face {
                stand_in: stand_in.into(),
                index,
                subset: sub,
            });
        }
    }
    let family = |v: Vec<FontData>| -> Result<FontFamily<FontData>> {
        let [regular, bold, italic, bold_italic]: [FontData; 4] =
            v.try_into().map_err(|_| anyhow!("four faces expected"))?;
        Ok(FontFamily {
            regular,
            bold,
            italic,
            bold_italic,
        })
    };
    Ok(Fonts {
        document: family(document)?,
        glyph_ids: family(glyph_ids)?,
        widest,
        embed,
    })
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
fn fit_words(
    measure: &Measure,
    cache: &FontCache,
    text: &str,
    style: Style,
    width: Mm,
    widest_em: f64,
) -> String {
    let size = style.font_size();
    // genpdf measures a word with its trailing space; kerning is left out of the
    // per-character sum, hence the 1% slack.
    let limit = (width - measure.char_width(cache, style, ' ')) * 0.99;
    // Measuring every word cost 5-10 % of a long memo's build; a word of no more
    // than `fits` characters cannot be too wide, whichever they are.
    let em = Mm::from(printpdf::Pt(f64::from(size)));
    let fits = (f64::from(limit) / (f64::from(em) * widest_em)) as usize;
    let wide = |w: &str| w.chars().nth(fits).is_some() && measure.str_width(cache, style, w) > limit;
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
            let cw = measure.char_width(cache, style, c);
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
                    piece_w += measure.char_width(cache, style, '-');
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
    /// The contents' heading, and the page count past which a memo gets one.
    contents: String,
    contents_after: usize,
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
            contents: t.wording.contents.clone(),
            contents_after: t.contents_after_pages,
        }
    }
}

/// A line of the contents: a heading's title, linked to it, and its page
/// number, printed right-aligned once layout is done (`Later`).
struct ContentsLine {
    title: Unit,
    indent: Mm,
    /// Space above, left out at the top of a page; the line's own, not its
    /// title's, so the page number stands level with the title.
    gap: Mm,
    /// The body height of a page: an area this tall is a page's top.
    full_height: Mm,
    anchor: String,
    node: usize,
    later: Option<Later>,
    reserved: bool,
}

impl Element for ContentsLine {
    fn render(
        &mut self,
        context: &Context,
        area: genpdf::render::Area<'_>,
        style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        let width = area.size().width;
        let top = area.size().height >= self.full_height - Mm::from(0.5);
        let gap = if top || self.reserved {
            Mm::from(0)
        } else {
            self.gap
        };
        let mut area = area;
        area.add_offset(genpdf::Position::new(0, gap));
        // Room for "9999" and a gap.
        let number_w = style.str_width(&context.font_cache, "99999");
        let mut title_area = area.clone();
        title_area.add_offset(genpdf::Position::new(self.indent, 0));
        title_area.set_width(width - self.indent - number_w);
        let result = self.title.render(context, title_area, style)?;
        let drawn = result.size.height > Mm::from(0);
        if !self.reserved && drawn {
            self.reserved = true;
            if let Some(later) = &self.later {
                let mut slot = area;
                slot.add_offset(genpdf::Position::new(width - number_w, 0));
                // The line's own style: regular, like the frame's page labels,
                // so the digits are in the face.
                later.reserve(&slot, &self.anchor, self.node, style);
            }
        }
        Ok(RenderResult {
            size: Size::new(
                width,
                if drawn {
                    gap + result.size.height
                } else {
                    Mm::from(0)
                },
            ),
            has_more: result.has_more,
        })
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
    measure: Rc<Measure>,
    /// Every character handed to genpdf, by face.
    used: std::cell::RefCell<FaceChars>,
    /// The structure each element's text belongs to, and what is drawn.
    record: Recorder,
    /// The list the talking points being built go in, while they follow each other.
    points: std::cell::Cell<Option<usize>>,
    contents: Contents,
}

/// Whether a memo gets a contents page after its summary.
enum Contents {
    None,
    /// Built only for its characters (the fonts must hold them either way).
    Measured,
    /// Laid out, its page numbers kept here until layout is done.
    Laid(Later),
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
pub(super) struct FaceChars([BTreeSet<char>; 4], [Seen; 4]);

/// A bit for each character below `KNOWN` already in a face's set: every
/// character of the memo passes through `add`, a few hundred distinct ones.
#[derive(Default)]
struct Seen(Vec<u64>);

impl Seen {
    /// Whether `c` is known to be in the set; marks it.
    fn check(&mut self, c: char) -> bool {
        let i = c as usize;
        if i >= KNOWN {
            return false;
        }
        if self.0.is_empty() {
            self.0 = vec![0; KNOWN.div_ceil(64)];
        }
        let (word, bit) = (&mut self.0[i / 64], 1u64 << (i % 64));
        let seen = *word & bit != 0;
        *word |= bit;
        seen
    }
}

impl FaceChars {
    fn face(style: Style) -> usize {
        usize::from(style.is_bold()) + 2 * usize::from(style.is_italic())
    }

    fn add(&mut self, s: &str, style: Style) {
        let face = FaceChars::face(style);
        let (set, seen) = (&mut self.0[face], &mut self.1[face]);
        for c in s.chars() {
            if !seen.check(c) && !c.is_control() {
                set.insert(c);
            }
        }
    }

    /// Drops a character from every face (to test what a missing glyph does).
    #[cfg(test)]
    pub(super) fn remove(&mut self, c: char) {
        for set in &mut self.0 {
            set.remove(&c);
        }
        self.1 = Default::default();
    }

    /// Empties face `face` (to test what drawing in a stand-in does).
    #[cfg(test)]
    pub(super) fn forget_face(&mut self, face: usize) {
        self.0[face].clear();
        self.1[face] = Seen::default();
    }
}

/// Named destinations of the things links point at.
pub(super) fn point_dest(number: usize) -> String {
    format!("point-{number}")
}

/// The `k`-th heading of the memo (from 1).
fn section_dest(k: usize) -> String {
    format!("section-{k}")
}

fn source_dest(number: usize) -> String {
    format!("source-{number}")
}

/// The characters `part` covers in `text`, counted without whitespace (how
/// `record::Link` counts), where `part` first occurs at or after byte `from`;
/// and the byte after it.
fn link_chars(text: &str, part: &str, from: usize) -> Option<(std::ops::Range<usize>, usize)> {
    let at = from + text.get(from..)?.find(part)?;
    let solid = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
    let start = solid(&text[..at]);
    Some((start..start + solid(part), at + part.len()))
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

    fn text_of(&self, runs: Vec<StyledString>, base: Style, node: usize) -> Text {
        Text::new(runs, base, self.widest, fit_words, Rc::clone(&self.measure))
            .recorded(&self.record, Target::Node { node, label: None })
    }

    /// `text_of` whose label is reported for node `label`.
    fn labelled_of(&self, text: Text, node: usize, label: usize) -> Text {
        text.recorded(
            &self.record,
            Target::Node {
                node,
                label: Some(label),
            },
        )
    }

    fn para(&self, runs: &[Run], size: u8, node: usize) -> Text {
        // Each citation mark links to its source through a `Link` element of
        // its own under `node`; marks end the paragraph, so reading order holds.
        let solid = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
        let mut at = 0;
        for r in runs {
            let len = solid(&r.text);
            if let Some(n) = r.cite {
                let element = self.node(Role::Link, node);
                self.record.borrow_mut().nodes[node].links.push(Link {
                    chars: at..at + len,
                    dest: source_dest(n),
                    label: format!("Source {}", r.text),
                    element: Some(element),
                });
            }
            if let Some(n) = r.to_point {
                let element = self.node(Role::Link, node);
                self.record.borrow_mut().nodes[node].links.push(Link {
                    chars: at..at + len,
                    dest: point_dest(n),
                    label: r.text.clone(),
                    element: Some(element),
                });
            }
            at += len;
        }
        let base = self.sized(size);
        self.text_of(
            runs.iter()
                .map(|r| self.styled(&r.text, base.and(run_style(r.style))))
                .collect(),
            base,
            node,
        )
    }

    fn text(&self, text: &str, style: Style, node: usize) -> Text {
        let base = self.sized(style.font_size()).and(style);
        self.text_of(vec![self.styled(text, base)], base, node)
    }

    /// A new structure node under `parent`.
    fn node(&self, role: Role, parent: usize) -> usize {
        self.record.borrow_mut().node(role, parent)
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
            let subtitle = self.node(Role::P, 0);
            flow.push(piece(
                self.text(
                    &t.subtitle.to_uppercase(),
                    Style::new().bold().with_font_size(l.body),
                    subtitle,
                )
                .aligned(Alignment::Center),
                0.0,
            ));
        }
        let title = self.node(Role::P, 0);
        flow.push(piece(
            self.text(&t.title, Style::new().bold().with_font_size(l.title), title)
                .aligned(Alignment::Center),
            1.5,
        ));
        let mut rows: Vec<(String, String)> = t.fields.clone();
        if !t.distribution.is_empty() {
            rows.push((t.distribution_label.clone(), t.distribution.join("; ")));
        }
        let table = self.node(Role::Table, 0);
        for (i, (label, value)) in rows.iter().enumerate() {
            let tr = self.node(Role::TR, table);
            let (th, td) = (self.node(Role::TH { column: false }, tr), self.node(Role::TD, tr));
            let label = self.styled(label, self.sized(l.body).bold());
            let value = self.text(value, self.sized(l.body), td);
            let value = self.labelled_of(value, td, th);
            flow.push(piece(
                value.labelled(Some(label), Mm::from(FIELD_INDENT)).label_left(),
                if i == 0 { 5.0 } else { 0.0 },
            ));
        }
        if !t.copy.is_empty() {
            let copy = self.node(Role::P, 0);
            flow.push(piece(self.text(&t.copy, self.sized(l.body).bold(), copy), 2.0));
        }
        flow.flush();
    }

    /// The contents: a line per section and subsection after the memo's front
    /// (`Document::front`), linked to it, with its page; on a page of their
    /// own after the front, and the body then starts on a new page.
    fn contents(&self, flow: &mut Flow, later: Option<&Later>) {
        let l = self.layout;
        if self.doc.front > 0 {
            flow.element(genpdf::elements::PageBreak::new());
        }
        let heading = self.node(Role::H(1), 0);
        let mut p = piece(
            self.text(
                &l.contents,
                Style::new().bold().with_font_size(l.heading),
                heading,
            ),
            6.0,
        );
        p.with_next = true;
        flow.push(p);
        flow.flush();
        let toc = self.node(Role::Toc, 0);
        let mut k = 0;
        for (i, block) in self.doc.blocks.iter().enumerate() {
            let Block::Heading { level, text, .. } = block else {
                continue;
            };
            // Anchors are numbered over every heading, as `block` names them.
            k += 1;
            if *level > 2 || i < self.doc.front {
                continue;
            }
            let item = self.node(Role::Toci, toc);
            let link = self.node(Role::Link, item);
            let dest = section_dest(k);
            let solid = text.chars().filter(|c| !c.is_whitespace()).count();
            self.record.borrow_mut().nodes[link].links.push(Link {
                chars: 0..solid,
                dest: dest.clone(),
                label: text.clone(),
                element: None,
            });
            let style = if *level == 1 {
                self.sized(l.body).bold()
            } else {
                self.sized(l.body)
            };
            let title = piece(self.text(text, style, link), 0.0);
            flow.element(ContentsLine {
                title: Unit::new(vec![title], self.body_height),
                indent: Mm::from(if *level == 1 { 0.0 } else { 6.0 }),
                gap: Mm::from(if *level == 1 { 1.2 } else { 0.4 }),
                full_height: self.body_height,
                anchor: dest,
                node: link,
                later: later.cloned(),
                reserved: false,
            });
        }
        flow.element(genpdf::elements::PageBreak::new());
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
            if i == self.doc.front {
                flow.flush();
                match &self.contents {
                    Contents::None => {}
                    Contents::Measured => self.contents(&mut flow, None),
                    Contents::Laid(later) => self.contents(&mut flow, Some(later)),
                }
            }
            let next = blocks.get(i + 1);
            self.block(&mut flow, block, next);
        }
        flow.flush();
        flow.root
    }

    fn block(&self, flow: &mut Flow, block: &Block, next: Option<&Block>) {
        let l = self.layout;
        let small_italic = Style::new().italic().with_font_size(l.small);
        // Talking points that follow each other make one list.
        let points = match (block, self.points.take()) {
            (Block::Point { .. }, Some(list)) => Some(list),
            (Block::Point { .. }, None) => Some(self.node(Role::L, 0)),
            _ => None,
        };
        self.points.set(points);
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
                let h = self.node(Role::H(*level), 0);
                {
                    let mut record = self.record.borrow_mut();
                    let headings = record.nodes.iter().filter(|n| n.outline.is_some()).count();
                    let node = &mut record.nodes[h];
                    node.anchor = Some(section_dest(headings + 1));
                    node.outline = Some((*level, text.clone()));
                }
                let mut p = piece(self.text(text, style, h), gap);
                p.with_next = true;
                flow.push(p);
            }
            Block::Paragraph(runs) => {
                let node = self.node(Role::P, 0);
                let mut p = piece(self.para(runs, l.body, node), 1.8);
                p.with_next = before_field;
                flow.push(p);
            }
            Block::Field { label, value } => {
                let node = self.node(Role::P, 0);
                let runs = [Run::bold(format!("{label}: ")), Run::plain(value.clone())];
                let mut p = piece(self.para(&runs, l.body, node), 0.6);
                p.whole = true;
                p.with_next = before_text;
                flow.push(p);
            }
            Block::Label(label) => {
                let node = self.node(Role::P, 0);
                let mut p = piece(self.para(&[Run::bold(label.clone())], l.body, node), 1.8);
                p.with_next = true;
                flow.push(p);
            }
            Block::Note(s) => {
                let node = self.node(Role::P, 0);
                flow.push(piece(self.text(s, small_italic, node), 0.8));
            }
            Block::Source(annex) => {
                let source = annex.lines();
                let (mark, text, by) = (source.mark, source.text, source.by);
                let p = self.node(Role::P, 0);
                self.record.borrow_mut().nodes[p].anchor = Some(source_dest(annex.number));
                let runs = [Run::bold(mark), Run::plain(text)];
                let mut entry = piece(self.para(&runs, l.body, p), 1.8);
                entry.with_next = true;
                flow.push(entry);
                let note = self.node(Role::Note, 0);
                // Each talking point number in the line links back to its point.
                let solid = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
                let links: Vec<Link> = source
                    .links
                    .iter()
                    .map(|(point, at)| {
                        let start = solid(&by[..at.start]);
                        Link {
                            chars: start..start + solid(&by[at.clone()]),
                            dest: point_dest(*point),
                            label: format!("{} {point}", annex.point_words[0]),
                            element: None,
                        }
                    })
                    .collect();
                let by_node = if links.is_empty() {
                    note
                } else {
                    let link = self.node(Role::Link, note);
                    self.record.borrow_mut().nodes[link].links = links;
                    link
                };
                let mut line = piece(self.text(&by, small_italic, by_node), 0.6);
                line.whole = true;
                flow.push(line);
            }
            Block::Bullets(items) => {
                let list = self.node(Role::L, 0);
                for (i, item) in items.iter().enumerate() {
                    let li = self.node(Role::LI, list);
                    let lbl = self.node(Role::Lbl, li);
                    let lbody = self.node(Role::LBody, li);
                    let dash = self.styled(BULLET, self.sized(l.body));
                    let text = self.para(item, l.body, lbody);
                    let text = self
                        .labelled_of(text, lbody, lbl)
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
                let list = points.unwrap_or(0);
                let li = self.node(Role::LI, list);
                let lbl = self.node(Role::Lbl, li);
                self.record.borrow_mut().nodes[lbl].anchor = Some(point_dest(*number));
                let lbody = self.node(Role::LBody, li);
                let p = self.node(Role::P, lbody);
                let note = self.node(Role::Note, lbody);
                let line = citation.line();
                let mark = format!("[{}]", citation.number);
                let cites = match link_chars(&line, &mark, 0) {
                    Some((chars, _)) => {
                        let to_source = self.node(Role::Link, note);
                        self.record.borrow_mut().nodes[to_source].links.push(Link {
                            chars,
                            dest: source_dest(citation.number),
                            label: format!("Source {mark}"),
                            element: None,
                        });
                        to_source
                    }
                    None => note,
                };
                let indent = self.point_indent;
                let label = self.styled(&format!("{number}. "), self.sized(l.body).bold());
                let text = self.text(s, self.sized(l.body), p);
                let mut body = piece(self.labelled_of(text, p, lbl).labelled(Some(label), indent), 2.4);
                body.with_next = true;
                flow.push(body);
                let mut cite = piece(self.text(&line, small_italic, cites).labelled(None, indent), 0.6);
                cite.whole = true;
                flow.push(cite);
            }
            Block::Table { widths, header, rows } => {
                let small = self.sized(l.small);
                let head_style = small.bold();
                let t = self.node(Role::Table, 0);
                let head_row = self.node(Role::TR, t);
                let heads: Vec<usize> = (0..header.len())
                    .map(|_| self.node(Role::TH { column: true }, head_row))
                    .collect();
                let rows: Vec<Vec<Text>> = rows
                    .iter()
                    .map(|r| {
                        let tr = self.node(Role::TR, t);
                        (0..widths.len())
                            .map(|i| {
                                let td = self.node(Role::TD, tr);
                                self.text(r.get(i).map_or("", String::as_str), small, td)
                            })
                            .collect()
                    })
                    .collect();
                let header = header.clone();
                let (widest, spacing) = (self.widest, self.spacing);
                let measure = Rc::clone(&self.measure);
                let size = l.small;
                let record = std::rc::Rc::clone(&self.record);
                // The first header row made is the table's; the ones repeated on
                // later pages are page furniture.
                let made = std::cell::Cell::new(false);
                for h in &header {
                    self.used.borrow_mut().add(h, head_style);
                }
                let make_header = Box::new(move || {
                    let cells = header
                        .iter()
                        .enumerate()
                        .map(|(i, h)| {
                            let base = Style::new()
                                .with_font_size(size)
                                .with_line_spacing(spacing)
                                .bold();
                            let target = match heads.get(i) {
                                Some(&node) if !made.get() => Target::Node { node, label: None },
                                _ => Target::Furniture,
                            };
                            Text::new(
                                vec![StyledString::new(h.clone(), base)],
                                base,
                                widest,
                                fit_words,
                                Rc::clone(&measure),
                            )
                            .recorded(&record, target)
                        })
                        .collect();
                    made.set(true);
                    cells
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
fn drawable_document(doc: &Document, glyphs: &mut Glyphs, warnings: &mut Vec<String>) -> (Document, usize) {
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
            Block::Source(SourceEntry {
                text,
                cited_by_label,
                cited_by,
                ..
            }) => {
                fix(text, &item);
                fix(cited_by_label, &item);
                for c in cited_by.iter_mut() {
                    fix(&mut c.text, &item);
                }
            }
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

/// genpdf's PDF of a memo, with what the finishing pass must know of its pages.
pub(super) struct Laid {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub record: Record,
    /// The faces to put in their stand-ins' place (`embed`).
    pub faces: Vec<Face>,
}

/// Lays the memo out once and writes genpdf's PDF.
///
/// genpdf (0.2.0, pinned) writes text in glyph ids or in `WinAnsi` by the kind of
/// font handle the style names, but takes the PDF font from the document's own
/// cache by the handle's position. The document is made with the stand-ins and
/// every element styled with the handles of the same subsets embedded, minted in
/// a cache of their own in the same order: text is laid out with the subsets
/// and written as glyph ids, in fonts printpdf writes only a name for.
fn typeset(doc: &Document, layout: &Layout, fonts: Fonts, contents: bool) -> Result<Laid> {
    let cache = FontCache::new(fonts.glyph_ids);
    let family = cache.default_font_family();
    let mut pdf = genpdf::Document::new(fonts.document);
    pdf.set_minimal_conformance();
    pdf.set_paper_size(layout.page);
    pdf.set_font_size(layout.body);
    let spacing = genpdf_spacing(&cache, layout.leading);
    pdf.set_line_spacing(spacing);
    let geometry = Geometry {
        margins: layout.margins,
        small: layout.small,
        family,
    };
    let record: Recorder = std::rc::Rc::new(std::cell::RefCell::new(Record::new()));
    let (decorator, page_numbers, pages, numbered, later) = frame(geometry, &doc.meta, &record);
    let (mt, _, mb, _) = layout.margins;
    let body_height = layout.page.height - Mm::from(mt + mb) - geometry.bands_height(&cache);
    pdf.set_page_decorator(decorator);
    let builder = Builder {
        doc,
        layout,
        body_height,
        spacing,
        widest: fonts.widest,
        point_indent: point_indent(doc),
        measure: Rc::default(),
        used: std::cell::RefCell::default(),
        record: std::rc::Rc::clone(&record),
        points: std::cell::Cell::default(),
        contents: if contents {
            Contents::Laid(later)
        } else {
            // Holds the record: dropped now, so the record is ours after layout.
            drop(later);
            Contents::None
        },
    };
    pdf.push(StyledElement::new(builder.build(), family));
    drop(builder);
    pdf.push(StyledElement::new(page_numbers, family));
    let mut bytes = Vec::new();
    pdf.render(&mut bytes)
        .map_err(|e| anyhow!("laying out the PDF failed: {e}"))?;
    let (pages, numbered) = (pages.get(), numbered.get());
    if numbered != pages {
        bail!("{numbered} of the {pages} pages were numbered");
    }
    // genpdf has dropped the elements and the decorator: the record is ours alone.
    let record = std::rc::Rc::try_unwrap(record)
        .map_err(|_| anyhow!("the layout record is still shared"))?
        .into_inner();
    Ok(Laid {
        bytes,
        pages,
        record,
        faces: fonts.embed,
    })
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
pub(super) fn layout(doc: &Document, template: &Template) -> Result<(Laid, Vec<String>)> {
    let mut warnings = Vec::new();
    let (doc, text) = drawable_document(doc, &mut Glyphs::new(&template.fonts.family)?, &mut warnings);
    if text > MAX_TEXT {
        bail!(
            "the memo holds {:.1} MB of text; a PDF memo may hold at most {} MB (about {} pages), so shorten its longest fields",
            text as f64 / f64::from(1u32 << 20),
            MAX_TEXT >> 20,
            (MAX_TEXT >> 20) * 250
        );
    }
    let chars = face_chars(&doc, template);
    let laid = layout_with(&doc, template, &chars)?;
    Ok((laid, warnings))
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
        measure: Rc::default(),
        used: std::cell::RefCell::default(),
        record: Recorder::default(),
        points: std::cell::Cell::default(),
        // The contents' characters too, whether or not the memo gets them.
        contents: Contents::Measured,
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
///
/// A memo of more pages than the template's `contents_after_pages` gets a
/// contents list after its title block and summary, whose page numbers are filled in after
/// layout, never guessed. Whether it is that long is known only by laying it
/// out without contents; a second layout would double the build of every long
/// memo, so a memo whose text is clearly long is laid out with contents first,
/// and that layout is kept when its body alone runs past the threshold by a
/// margin (laid out straight after the summary it could only be shorter by the
/// contents' pages and the one page the summary shares). Only a memo
/// near the threshold, or misjudged, is laid out twice.
pub(super) fn layout_with(doc: &Document, template: &Template, chars: &FaceChars) -> Result<Laid> {
    let faces = fonts(&template.fonts.family, chars)?;
    let layout = Layout::from(template);
    let after = layout.contents_after;
    let plain = |faces| typeset(doc, &layout, faces, false).context("laying out the pages");
    let listed = |faces| typeset(doc, &layout, faces, true).context("laying out the pages with contents");
    // The contents list the headings after the front; anchors number them all.
    let heading = |b: &Block| matches!(b, Block::Heading { .. });
    if !doc.blocks.iter().skip(doc.front).any(heading) {
        return plain(faces);
    }
    let first = doc.blocks.iter().take(doc.front).filter(|b| heading(b)).count() + 1;
    if text_chars(doc) > after.saturating_mul(CHARS_A_PAGE).saturating_mul(5) / 4 {
        let with = listed(faces.clone())?;
        let body_from = with.record.page_of(&section_dest(first)).unwrap_or(with.pages);
        if with.pages.saturating_sub(body_from) >= after.saturating_add(2) {
            return Ok(with);
        }
        let without = plain(faces)?;
        return Ok(if without.pages > after { with } else { without });
    }
    let without = plain(faces.clone())?;
    if without.pages <= after {
        return Ok(without);
    }
    listed(faces)
}

/// Characters of text (spaces included) a full page of a memo holds, over-
/// estimated (the example memo's pages hold about 2,100), so a memo is taken for
/// long only when it is.
const CHARS_A_PAGE: usize = 2_500;

/// The memo's characters of text, spaces included.
fn text_chars(doc: &Document) -> usize {
    let runs = |r: &[Run]| r.iter().map(|r| r.text.chars().count()).sum::<usize>();
    doc.blocks
        .iter()
        .map(|b| match b {
            Block::Heading { text, .. } | Block::Note(text) | Block::Label(text) => text.chars().count(),
            Block::Field { label, value } => label.chars().count() + value.chars().count(),
            Block::Paragraph(r) => runs(r),
            Block::Bullets(items) => items.iter().map(|i| runs(i)).sum(),
            Block::Point { text, citation, .. } => text.chars().count() + citation.text.chars().count(),
            Block::Table { header, rows, .. } => header
                .iter()
                .chain(rows.iter().flatten())
                .map(|c| c.chars().count())
                .sum(),
            Block::Source(SourceEntry { text, cited_by, .. }) => {
                text.chars().count() + cited_by.iter().map(|c| c.text.chars().count()).sum::<usize>()
            }
        })
        .sum()
}

/// `layout_with` as it was before `embed`: the faces drawn in reach printpdf as
/// embedded fonts, and printpdf writes their objects (a second of lookups).
/// Without a contents page.
#[cfg(test)]
pub(super) fn layout_embedded_by_printpdf(
    doc: &Document,
    template: &Template,
    chars: &FaceChars,
) -> Result<Laid> {
    let mut fonts = fonts(&template.fonts.family, chars)?;
    let family =
        |f: &FontFamily<FontData>| [&f.regular, &f.bold, &f.italic, &f.bold_italic].map(Clone::clone);
    let mut faces = family(&fonts.document);
    let embedded = family(&fonts.glyph_ids);
    for face in fonts.embed.drain(..) {
        faces[face.index] = embedded[face.index].clone();
    }
    let [regular, bold, italic, bold_italic] = faces;
    fonts.document = FontFamily {
        regular,
        bold,
        italic,
        bold_italic,
    };
    typeset(doc, &Layout::from(template), fonts, false)
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
    blocks.push(Block::Source(SourceEntry {
        number: 1,
        text: "Декларация, Astana".into(),
        cited_by_label: "Cited by".into(),
        point_words: ["point".into(), "points".into()],
        cited_by: (1..=points)
            .map(|i| crate::compose::Citer {
                text: format!("point {i}"),
                point: Some(i),
            })
            .chain([crate::compose::Citer {
                text: "Afghanistan".into(),
                point: None,
            }])
            .collect(),
    }));
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
        front: 0,
    }
}

/// Renders the document as a finished PDF.
pub fn render(doc: &Document, template: &Template) -> Result<Pdf> {
    let (laid, warnings) = layout(doc, template)?;
    let meta = PdfMeta {
        title: doc.meta.title.clone(),
        author: doc.meta.author.clone(),
        subject: doc.meta.subject.clone(),
        keywords: doc.meta.keywords.clone(),
        date: metadata_date(doc),
        lang: template.lang.clone(),
    };
    let bytes = finish(&laid.bytes, &laid.faces, &meta, &laid.record).context("finishing the PDF")?;
    check_reads_back(&bytes, laid.pages)?;
    Ok(Pdf {
        bytes,
        pages: laid.pages,
        warnings,
    })
}
