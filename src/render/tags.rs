//! The finishing pass that makes the PDF navigable and accessible: tagged
//! content, the structure tree, named destinations, links and the outline.
//!
//! Design. genpdf cannot emit marked content, so the renderer only records what
//! it drew (`record.rs`: a structure tree in reading order, and per page the run
//! of text objects each element drew), and this pass, which owns the PDF's
//! objects anyway, writes everything from that record:
//!
//! 1. Every page's content stream is rewritten once, line by line (printpdf
//!    writes one operator per line, glyphs as hex strings, so a line `BT` is a
//!    text object's start and nothing else). The text objects of one recorded run
//!    become one marked-content sequence `/Role <</MCID n>> BDC ... EMC`; the
//!    frame's text becomes `/Artifact <</Type /Pagination ...>> BDC ... EMC`;
//!    anything else drawn outside text objects (table rules) is a layout
//!    artifact. Text objects not recorded, or recorded and not found, are an
//!    error: a tag on the wrong text is worse than none.
//! 2. While rewriting, the text objects of nodes that carry an anchor or links
//!    are measured (`Td`, `Tf` and the glyph widths of `TJ`), which gives the
//!    named destinations their positions and the link annotations their
//!    rectangles, on whatever page the text landed.
//! 3. Then the objects: one `StructElem` per node (`/K` holding its MCIDs,
//!    children and link annotations), the `ParentTree`, the `/Dests` name tree,
//!    the outline (one item per heading, nested as the headings are, pointing at
//!    named destinations), and the catalog entries readers look for (`/MarkInfo`,
//!    `/Lang`, `/ViewerPreferences /DisplayDocTitle`, `/PageMode /UseOutlines`).
//!
//! Rewriting the streams after layout, rather than emitting operators while
//! laying out, keeps genpdf unpatched and costs one linear scan of text that is
//! about to be deflated anyway.

use super::record::{Mark, Record, Role};
use anyhow::{bail, Context, Result};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use std::collections::{BTreeMap, HashMap};

/// Where a node's text starts: the destination of its anchor.
#[derive(Clone, Copy)]
struct Spot {
    page: usize,
    x: f64,
    top: f64,
}

/// One drawn glyph of a linked node.
struct Glyph {
    solid: bool,
    page: usize,
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
}

/// Widths and characters of one font, read from its dictionaries.
struct FontInfo {
    widths: ByGlyph<f64>,
    default_width: f64,
    chars: ByGlyph<char>,
}

/// A value for each glyph id of a subset font, looked up for every glyph drawn:
/// the ids are small and dense, so a table beats hashing them.
struct ByGlyph<T>(Vec<Option<T>>);

impl<T: Copy> ByGlyph<T> {
    fn new() -> Self {
        ByGlyph(Vec::new())
    }

    fn insert(&mut self, glyph: u16, value: T) {
        let at = usize::from(glyph);
        if at >= self.0.len() {
            self.0.resize(at + 1, None);
        }
        self.0[at] = Some(value);
    }

    fn get(&self, glyph: u16) -> Option<T> {
        self.0.get(usize::from(glyph)).copied().flatten()
    }
}

impl FontInfo {
    fn read(doc: &Document, font: &Dictionary) -> Result<FontInfo> {
        let descendant = match font.get(b"DescendantFonts").and_then(Object::as_array) {
            Ok(a) => match a.first() {
                Some(Object::Dictionary(d)) => d,
                Some(Object::Reference(r)) => doc.get_dictionary(*r)?,
                _ => bail!("font without a descendant font"),
            },
            Err(_) => bail!("font without descendant fonts"),
        };
        let default_width = descendant.get(b"DW").ok().and_then(number).unwrap_or(1000.0);
        let mut widths = ByGlyph::new();
        if let Ok(w) = descendant.get(b"W").and_then(Object::as_array) {
            let mut i = 0;
            while i + 1 < w.len() {
                let first = number(&w[i]).context("/W")? as u16;
                if let Ok(list) = w[i + 1].as_array() {
                    for (k, v) in list.iter().enumerate() {
                        widths.insert(first.wrapping_add(k as u16), number(v).context("/W")?);
                    }
                    i += 2;
                } else {
                    let last = number(&w[i + 1]).context("/W")? as u16;
                    let v = w.get(i + 2).and_then(number).context("/W")?;
                    for g in first..=last {
                        widths.insert(g, v);
                    }
                    i += 3;
                }
            }
        }
        let mut chars = ByGlyph::new();
        if let Ok(tu) = font.get(b"ToUnicode").and_then(Object::as_reference) {
            let s = doc.get_object(tu).and_then(Object::as_stream)?;
            let cmap = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
            // printpdf writes `<glyph> <code point>` pairs inside bfchar blocks.
            for line in String::from_utf8_lossy(&cmap).lines() {
                let mut parts = line.split_whitespace();
                let (Some(g), Some(u), None) = (parts.next(), parts.next(), parts.next()) else {
                    continue;
                };
                let hex = |s: &str| {
                    s.strip_prefix('<')
                        .and_then(|s| s.strip_suffix('>'))
                        .and_then(|s| u32::from_str_radix(s, 16).ok())
                };
                if let (Some(g), Some(c)) = (hex(g), hex(u).and_then(char::from_u32)) {
                    chars.insert(g as u16, c);
                }
            }
        }
        Ok(FontInfo {
            widths,
            default_width,
            chars,
        })
    }
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// What the content rewrite learns: for each node, its MCIDs by page, where its
/// text starts, and (for linked nodes) its glyphs; for each page, the node of
/// each MCID.
struct Scan {
    mcids: Vec<Vec<(usize, i64)>>,
    spots: Vec<Option<Spot>>,
    glyphs: Vec<Vec<Glyph>>,
    parents: Vec<Vec<usize>>,
}

/// Tags the document from `record`; see the module header.
pub(super) fn apply(doc: &mut Document, record: &Record, title_lang: &str) -> Result<()> {
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if pages.len() != record.pages.len() {
        bail!(
            "the layout recorded {} pages, the PDF has {}",
            record.pages.len(),
            pages.len()
        );
    }
    let n = record.nodes.len();
    let mut scan = Scan {
        mcids: vec![Vec::new(); n],
        spots: vec![None; n],
        glyphs: (0..n).map(|_| Vec::new()).collect(),
        parents: Vec::with_capacity(pages.len()),
    };
    let mut fonts: HashMap<ObjectId, FontInfo> = HashMap::new();
    for (i, &page) in pages.iter().enumerate() {
        let font_refs = page_fonts(doc, page)?;
        let contents = doc.get_page_contents(page);
        let [cid] = contents[..] else {
            bail!("page {}: expected one content stream", i + 1);
        };
        let content = {
            let s = doc.get_object(cid).and_then(Object::as_stream)?;
            if s.dict.has(b"Filter") {
                bail!("page {}: content stream already compressed", i + 1);
            }
            std::mem::take(&mut doc.get_object_mut(cid).and_then(Object::as_stream_mut)?.content)
        };
        let rewritten = rewrite_page(doc, &content, i, record, &font_refs, &mut fonts, &mut scan)
            .with_context(|| format!("tagging page {}", i + 1))?;
        doc.get_object_mut(cid)
            .and_then(Object::as_stream_mut)?
            .set_content(rewritten);
    }
    write_objects(doc, record, &pages, &scan, title_lang)
}

/// The page's font resources: resource name to font object.
fn page_fonts(doc: &Document, page: ObjectId) -> Result<HashMap<Vec<u8>, ObjectId>> {
    let resources = match doc.get_dictionary(page)?.get(b"Resources") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id)?,
        Ok(Object::Dictionary(d)) => d,
        _ => return Ok(HashMap::new()),
    };
    let fonts = match resources.get(b"Font") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id)?,
        Ok(Object::Dictionary(d)) => d,
        _ => return Ok(HashMap::new()),
    };
    Ok(fonts
        .iter()
        .filter_map(|(k, v)| v.as_reference().ok().map(|r| (k.clone(), r)))
        .collect())
}

/// The state of the text object being read, for measuring.
#[derive(Default)]
struct Pen {
    x: f64,
    y: f64,
    font: Option<ObjectId>,
    size: f64,
    first: bool,
}

#[allow(clippy::too_many_arguments)]
fn rewrite_page(
    doc: &Document,
    content: &[u8],
    page: usize,
    record: &Record,
    font_refs: &HashMap<Vec<u8>, ObjectId>,
    fonts: &mut HashMap<ObjectId, FontInfo>,
    scan: &mut Scan,
) -> Result<Vec<u8>> {
    let marks = &record.pages[page];
    let mut next = marks.iter();
    let mut out = Vec::with_capacity(content.len() + content.len() / 8);
    // The run being read: its node (none for furniture) and text objects left.
    let mut open: Option<(Option<usize>, usize)> = None;
    let mut in_text = false;
    let mut artifact = false;
    // In the marking's text object: where its `Td` line starts in `out`, once seen.
    let mut spaced: Option<Option<usize>> = None;
    let mut parents = Vec::new();
    let mut pen = Pen::default();
    for line in content.split(|&b| b == b'\n') {
        let op = line.trim_ascii();
        if op.is_empty() {
            continue;
        }
        if op == b"BT" {
            if artifact {
                out.extend_from_slice(b"EMC\n");
                artifact = false;
            }
            if open.is_none() {
                let mark = next.next().context(
                    "more text on the page than the layout recorded (a text element does not report what it draws)",
                )?;
                open = Some(match *mark {
                    Mark::Text { node, sections } => {
                        let role = record.nodes.get(node).context("recorded node missing")?.role;
                        let mcid = parents.len() as i64;
                        out.push(b'/');
                        out.extend_from_slice(role.name());
                        out.extend_from_slice(format!(" <</MCID {mcid}>> BDC\n").as_bytes());
                        parents.push(node);
                        scan.mcids[node].push((page, mcid));
                        (Some(node), sections)
                    }
                    Mark::Header | Mark::Footer | Mark::Marking { .. } => {
                        let which: &[u8] = match *mark {
                            Mark::Header | Mark::Marking { footer: false } => b"Header",
                            _ => b"Footer",
                        };
                        spaced = matches!(mark, Mark::Marking { .. }).then_some(None);
                        out.extend_from_slice(b"/Artifact <</Type /Pagination /Subtype /");
                        out.extend_from_slice(which);
                        out.extend_from_slice(b">> BDC\n");
                        (None, 1)
                    }
                });
            }
            in_text = true;
            pen = Pen {
                first: true,
                ..Pen::default()
            };
            out.extend_from_slice(op);
            out.push(b'\n');
            continue;
        }
        if op == b"ET" {
            out.extend_from_slice(op);
            out.push(b'\n');
            in_text = false;
            spaced = None;
            if let Some((node, left)) = open {
                if left <= 1 {
                    out.extend_from_slice(b"EMC\n");
                    open = None;
                } else {
                    open = Some((node, left - 1));
                }
            }
            continue;
        }
        if let Some(td) = spaced.as_mut() {
            if op.ends_with(b" Td") {
                *td = Some(out.len());
            } else if op.ends_with(b" TJ") {
                if let Some(at) = td.take() {
                    letter_space(&mut out, at, op)?;
                    continue;
                }
            }
        }
        if in_text {
            if let Some((Some(node), _)) = open {
                let n = &record.nodes[node];
                if n.anchor.is_some() || !n.links.is_empty() {
                    let at = (node, page, !n.links.is_empty());
                    measure(doc, op, at, &mut pen, font_refs, fonts, scan)?;
                }
            }
        } else if open.is_none() {
            let state = op == b"q" || op == b"Q";
            if state && artifact {
                out.extend_from_slice(b"EMC\n");
                artifact = false;
            } else if !state && !artifact {
                out.extend_from_slice(b"/Artifact BMC\n");
                artifact = true;
            }
        }
        out.extend_from_slice(op);
        out.push(b'\n');
    }
    if artifact {
        out.extend_from_slice(b"EMC\n");
    }
    if open.is_some() || next.next().is_some() {
        bail!("less text on the page than the layout recorded");
    }
    scan.parents.push(parents);
    Ok(out)
}

/// Letter spacing of the marking, in thousandths of an em: as wide as a
/// classification banner is usually tracked, and below the tenth of an em at
/// which text extractors start a new word, so it still reads "RESTRICTED".
const MARKING_SPACING: i64 = 80;

/// Sets the marking's `TJ` line `op` letter-spaced, and moves the text object's
/// start (its `Td` line, at `out[at..]`, followed by the `Tf` line) left by half
/// the added width, so the marking stays centred where the frame put it.
/// genpdf cannot write a `Tc`; a spacing number between the glyphs in `TJ` is
/// the same thing to a reader.
fn letter_space(out: &mut Vec<u8>, at: usize, op: &[u8]) -> Result<()> {
    let text = std::str::from_utf8(op).context("marking's TJ is not text")?;
    let body = text.strip_suffix(" TJ").unwrap_or(text).trim();
    let body = body.strip_prefix('[').and_then(|b| b.strip_suffix(']'));
    let body = body.context("marking's TJ is not an array")?;
    // The array as glyphs (two bytes each, whatever the strings' grouping) and
    // the adjustments already between them, which the spacing adds to.
    let mut items: Vec<(String, i64)> = Vec::new();
    let mut rest = body.trim();
    while !rest.is_empty() {
        if let Some(hex) = rest.strip_prefix('<') {
            let end = hex.find('>').context("unterminated string in the marking")?;
            for k in (0..end).step_by(4) {
                items.push((hex.get(k..k + 4).context("marking glyph id")?.to_owned(), 0));
            }
            rest = hex[end + 1..].trim_start();
        } else {
            let end = rest
                .find(|c: char| c == '<' || c.is_whitespace())
                .unwrap_or(rest.len());
            let adjust: i64 = rest[..end].parse().context("marking's TJ adjustment")?;
            if let Some(last) = items.last_mut() {
                last.1 += adjust;
            }
            rest = rest[end..].trim_start();
        }
    }
    let head = String::from_utf8_lossy(&out[at..]).into_owned();
    let (td, between) = head.split_once('\n').context("marking's Td line")?;
    let size: f64 = between
        .lines()
        .find_map(|l| l.trim().strip_suffix(" Tf"))
        .and_then(|t| t.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .context("marking's font size")?;
    let mut xy = td.trim().strip_suffix(" Td").unwrap_or("").split_whitespace();
    let (Some(x), Some(y)) = (
        xy.next().and_then(|v| v.parse::<f64>().ok()),
        xy.next().and_then(|v| v.parse::<f64>().ok()),
    ) else {
        bail!("marking's Td line `{td}` is not a position");
    };
    let gaps = items.len().saturating_sub(1);
    let added = gaps as f64 * MARKING_SPACING as f64 / 1000.0 * size;
    out.truncate(at);
    out.extend_from_slice(format!("{:.2} {y:.2} Td\n{between}[", x - added / 2.0).as_bytes());
    for (i, (glyph, adjust)) in items.iter().enumerate() {
        out.push(b'<');
        out.extend_from_slice(glyph.as_bytes());
        out.push(b'>');
        let adjust = if i < gaps {
            adjust - MARKING_SPACING
        } else {
            *adjust
        };
        if adjust != 0 {
            out.extend_from_slice(format!(" {adjust} ").as_bytes());
        }
    }
    out.extend_from_slice(b"] TJ\n");
    Ok(())
}

/// Follows `Td`, `Tf` and `TJ` in a text object of `node` on `page`, noting
/// where its text starts and, if it is `linked`, every glyph's box.
fn measure(
    doc: &Document,
    op: &[u8],
    (node, page, linked): (usize, usize, bool),
    pen: &mut Pen,
    font_refs: &HashMap<Vec<u8>, ObjectId>,
    fonts: &mut HashMap<ObjectId, FontInfo>,
    scan: &mut Scan,
) -> Result<()> {
    let text = String::from_utf8_lossy(op);
    if let Some(args) = text.strip_suffix(" Td") {
        let mut it = args.split_whitespace().filter_map(|v| v.parse::<f64>().ok());
        if let (Some(x), Some(y)) = (it.next(), it.next()) {
            pen.x = x;
            pen.y = y;
        }
    } else if let Some(args) = text.strip_suffix(" Tf") {
        let mut it = args.split_whitespace();
        if let (Some(name), Some(size)) = (it.next(), it.next()) {
            let name = name.trim_start_matches('/').as_bytes();
            pen.font = font_refs.get(name).copied();
            pen.size = size.parse().unwrap_or(0.0);
        }
    } else if let Some(array) = text.strip_suffix(" TJ") {
        if pen.first {
            pen.first = false;
            if scan.spots[node].is_none() {
                scan.spots[node] = Some(Spot {
                    page,
                    x: pen.x,
                    top: pen.y + pen.size,
                });
            }
        }
        if linked {
            let font = pen.font.context("text drawn before a font was set")?;
            let info = match fonts.entry(font) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(FontInfo::read(doc, doc.get_dictionary(font)?)?)
                }
            };
            let em = pen.size / 1000.0;
            let body = array.trim().trim_start_matches('[').trim_end_matches(']');
            let mut rest = body;
            while !rest.is_empty() {
                rest = rest.trim_start();
                if let Some(hex) = rest.strip_prefix('<') {
                    let end = hex.find('>').context("unterminated string in TJ")?;
                    let digits = &hex[..end];
                    for k in (0..digits.len()).step_by(4) {
                        let g = u16::from_str_radix(digits.get(k..k + 4).context("glyph id")?, 16)?;
                        let w = info.widths.get(g).unwrap_or(info.default_width) * em;
                        let c = info.chars.get(g).unwrap_or(' ');
                        scan.glyphs[node].push(Glyph {
                            solid: !c.is_whitespace(),
                            page,
                            x0: pen.x,
                            x1: pen.x + w,
                            y: pen.y,
                            size: pen.size,
                        });
                        pen.x += w;
                    }
                    rest = &hex[end + 1..];
                } else {
                    let end = rest
                        .find(|c: char| c == '<' || c.is_whitespace())
                        .unwrap_or(rest.len());
                    let adjust: f64 = rest[..end].parse().unwrap_or(0.0);
                    pen.x -= adjust * em;
                    rest = &rest[end..];
                }
            }
        }
    }
    Ok(())
}

/// A text string: UTF-16BE with a byte-order mark (PDF 32000-1 §7.9.2.2).
fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut b = vec![0xFE, 0xFF];
    b.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(b, StringFormat::Hexadecimal)
}

fn name(s: &[u8]) -> Object {
    Object::Name(s.to_vec())
}

fn write_objects(
    doc: &mut Document,
    record: &Record,
    pages: &[ObjectId],
    scan: &Scan,
    lang: &str,
) -> Result<()> {
    let nodes = &record.nodes;
    let root_id = doc.new_object_id();
    let ids: Vec<ObjectId> = nodes.iter().map(|_| doc.new_object_id()).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        if let Some(p) = node.parent {
            children.get_mut(p).context("a node's parent is missing")?.push(i);
        }
    }

    // Named destinations.
    let mut dests: BTreeMap<Vec<u8>, Object> = BTreeMap::new();
    for (i, node) in nodes.iter().enumerate() {
        if let (Some(anchor), Some(spot)) = (&node.anchor, scan.spots[i]) {
            dests.insert(
                anchor.as_bytes().to_vec(),
                Object::Array(vec![
                    Object::Reference(pages[spot.page]),
                    name(b"XYZ"),
                    Object::Integer(spot.x.round() as i64),
                    Object::Integer((spot.top + 2.0).round() as i64),
                    Object::Null,
                ]),
            );
        }
    }

    // Link annotations, one per line a link's text runs over.
    let mut annots: Vec<Vec<Object>> = vec![Vec::new(); pages.len()];
    let mut objr: Vec<Vec<Object>> = vec![Vec::new(); nodes.len()];
    let mut annot_parents: Vec<usize> = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        let solid: Vec<&Glyph> = scan.glyphs[i].iter().filter(|g| g.solid).collect();
        for link in &node.links {
            // A target the memo leaves out (a template without the annex of
            // sources): the text stays, unlinked.
            if !dests.contains_key(link.dest.as_bytes()) {
                continue;
            }
            let covered = solid
                .get(link.chars.clone())
                .with_context(|| format!("the text of the link to `{}` was not drawn", link.dest))?;
            let mut lines: Vec<(usize, f64, f64, f64, f64)> = Vec::new();
            for g in covered {
                match lines.last_mut() {
                    Some(l) if l.0 == g.page && (l.1 - g.y).abs() < 0.01 => {
                        l.2 = l.2.min(g.x0);
                        l.3 = l.3.max(g.x1);
                    }
                    _ => lines.push((g.page, g.y, g.x0, g.x1, g.size)),
                }
            }
            for (page, y, x0, x1, size) in lines {
                let key = (pages.len() + annot_parents.len()) as i64;
                let r = |v: f64| Object::Real((v * 100.0).round() / 100.0);
                let mut a = Dictionary::new();
                a.set("Type", name(b"Annot"));
                a.set("Subtype", name(b"Link"));
                a.set(
                    "Rect",
                    Object::Array(vec![r(x0), r(y - 0.25 * size), r(x1), r(y + 0.95 * size)]),
                );
                a.set("Border", Object::Array(vec![0.into(), 0.into(), 0.into()]));
                a.set("Contents", text_string(&link.label));
                a.set("Dest", Object::string_literal(link.dest.as_bytes().to_vec()));
                a.set("StructParent", key);
                let id = doc.add_object(Object::Dictionary(a));
                annots[page].push(Object::Reference(id));
                let mut o = Dictionary::new();
                o.set("Type", name(b"OBJR"));
                o.set("Pg", Object::Reference(pages[page]));
                o.set("Obj", Object::Reference(id));
                let element = link.element.unwrap_or(i);
                objr.get_mut(element)
                    .context("a link's structure element is missing")?
                    .push(Object::Dictionary(o));
                annot_parents.push(element);
            }
        }
    }

    // The structure elements.
    let mut note_ids: BTreeMap<Vec<u8>, ObjectId> = BTreeMap::new();
    for (i, node) in nodes.iter().enumerate() {
        let mut e = Dictionary::new();
        // A link none of whose targets is in the memo is plain text.
        let role = if node.role == Role::Link && objr[i].is_empty() {
            &b"Span"[..]
        } else {
            node.role.name()
        };
        e.set("S", name(role));
        e.set("P", Object::Reference(node.parent.map_or(root_id, |p| ids[p])));
        let home = scan.mcids[i].first().map(|&(p, _)| p);
        if let Some(p) = home {
            e.set("Pg", Object::Reference(pages[p]));
        }
        let mut k: Vec<Object> = Vec::new();
        for &(p, mcid) in &scan.mcids[i] {
            if Some(p) == home {
                k.push(Object::Integer(mcid));
            } else {
                let mut mcr = Dictionary::new();
                mcr.set("Type", name(b"MCR"));
                mcr.set("Pg", Object::Reference(pages[p]));
                mcr.set("MCID", mcid);
                k.push(Object::Dictionary(mcr));
            }
        }
        k.extend(children[i].iter().map(|&c| Object::Reference(ids[c])));
        k.append(&mut objr[i]);
        match k.len() {
            0 => {}
            1 => e.set("K", k.remove(0)),
            _ => e.set("K", Object::Array(k)),
        }
        // PDF/UA-1 §7.9: a Note has an ID (listed in the IDTree below).
        if node.role == Role::Note {
            let id = format!("note-{i}").into_bytes();
            e.set("ID", Object::String(id.clone(), StringFormat::Literal));
            note_ids.insert(id, ids[i]);
        }
        if let Role::TH { column } = node.role {
            let mut a = Dictionary::new();
            a.set("O", name(b"Table"));
            a.set("Scope", name(if column { b"Column" } else { b"Row" }));
            e.set("A", Object::Dictionary(a));
        }
        if node.role == Role::L {
            let mut a = Dictionary::new();
            a.set("O", name(b"List"));
            let numbered = children[i]
                .iter()
                .flat_map(|&li| &children[li])
                .any(|&c| nodes[c].anchor.is_some());
            a.set("ListNumbering", name(if numbered { b"Decimal" } else { b"None" }));
            e.set("A", Object::Dictionary(a));
        }
        doc.objects.insert(ids[i], Object::Dictionary(e));
    }

    let mut nums: Vec<Object> = Vec::new();
    for (p, parents) in scan.parents.iter().enumerate() {
        nums.push((p as i64).into());
        nums.push(Object::Array(
            parents.iter().map(|&n| Object::Reference(ids[n])).collect(),
        ));
    }
    for (k, &n) in annot_parents.iter().enumerate() {
        nums.push(((pages.len() + k) as i64).into());
        nums.push(Object::Reference(ids[n]));
    }
    let mut parent_tree = Dictionary::new();
    parent_tree.set("Nums", Object::Array(nums));
    let mut root = Dictionary::new();
    root.set("Type", name(b"StructTreeRoot"));
    if let Some(&first) = ids.first() {
        root.set("K", Object::Reference(first));
    }
    root.set("ParentTree", Object::Dictionary(parent_tree));
    root.set("ParentTreeNextKey", (pages.len() + annot_parents.len()) as i64);
    if !note_ids.is_empty() {
        let mut tree = Dictionary::new();
        tree.set(
            "Names",
            Object::Array(
                note_ids
                    .into_iter()
                    .flat_map(|(k, v)| [Object::String(k, StringFormat::Literal), Object::Reference(v)])
                    .collect(),
            ),
        );
        root.set("IDTree", Object::Dictionary(tree));
    }
    doc.objects.insert(root_id, Object::Dictionary(root));

    for (p, &page) in pages.iter().enumerate() {
        let d = doc
            .get_object_mut(page)
            .and_then(Object::as_dict_mut)
            .context("page")?;
        d.set("StructParents", p as i64);
        d.set("Tabs", name(b"S"));
        if !annots[p].is_empty() {
            d.set("Annots", Object::Array(std::mem::take(&mut annots[p])));
        }
    }

    let outline = outline(doc, record, &dests);
    let mut names = Dictionary::new();
    let mut tree = Dictionary::new();
    tree.set(
        "Names",
        Object::Array(
            dests
                .into_iter()
                .flat_map(|(k, v)| [Object::String(k, StringFormat::Literal), v])
                .collect(),
        ),
    );
    names.set("Dests", Object::Dictionary(tree));

    let cat = super::finish::catalog_mut(doc)?;
    cat.set("StructTreeRoot", Object::Reference(root_id));
    let mut mark_info = Dictionary::new();
    mark_info.set("Marked", true);
    cat.set("MarkInfo", Object::Dictionary(mark_info));
    cat.set("Lang", text_string(lang));
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", true);
    cat.set("ViewerPreferences", Object::Dictionary(prefs));
    cat.set("Names", Object::Dictionary(names));
    if let Some(outline) = outline {
        cat.set("Outlines", Object::Reference(outline));
        cat.set("PageMode", name(b"UseOutlines"));
    }
    "1.7".clone_into(&mut doc.version);
    Ok(())
}

/// The outline: an item per node with an outline entry whose anchor was drawn,
/// nested by level; top-level items shown, the rest folded under them.
fn outline(doc: &mut Document, record: &Record, dests: &BTreeMap<Vec<u8>, Object>) -> Option<ObjectId> {
    let entries: Vec<(u8, &str, &str)> = record
        .nodes
        .iter()
        .filter_map(|n| {
            let (level, title) = n.outline.as_ref()?;
            let anchor = n.anchor.as_deref()?;
            dests
                .contains_key(anchor.as_bytes())
                .then_some((*level, title.as_str(), anchor))
        })
        .collect();
    if entries.is_empty() {
        return None;
    }
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| doc.new_object_id()).collect();
    // Each entry's parent: the nearest earlier entry of a lower level.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, &(level, _, _)) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&s| entries[s].0 >= level) {
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    let mut top = Vec::new();
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => kids[*p].push(i),
            None => top.push(i),
        }
    }
    for (i, &(_, title, anchor)) in entries.iter().enumerate() {
        let siblings = parent[i].map_or(&top, |p| &kids[p]);
        let at = siblings.iter().position(|&s| s == i).unwrap_or(0);
        let mine = &kids[i];
        let mut d = Dictionary::new();
        d.set("Title", text_string(title));
        d.set("Parent", Object::Reference(parent[i].map_or(root, |p| ids[p])));
        if at > 0 {
            d.set("Prev", Object::Reference(ids[siblings[at - 1]]));
        }
        if let Some(&n) = siblings.get(at + 1) {
            d.set("Next", Object::Reference(ids[n]));
        }
        if let (Some(&first), Some(&last)) = (mine.first(), mine.last()) {
            d.set("First", Object::Reference(ids[first]));
            d.set("Last", Object::Reference(ids[last]));
            // Folded: minus the children shown when opened.
            d.set("Count", -(mine.len() as i64));
        }
        d.set("Dest", Object::string_literal(anchor.as_bytes().to_vec()));
        doc.objects.insert(ids[i], Object::Dictionary(d));
    }
    let mut d = Dictionary::new();
    d.set("Type", name(b"Outlines"));
    if let (Some(&first), Some(&last)) = (top.first(), top.last()) {
        d.set("First", Object::Reference(ids[first]));
        d.set("Last", Object::Reference(ids[last]));
    }
    d.set("Count", top.len() as i64);
    doc.objects.insert(root, Object::Dictionary(d));
    Some(root)
}
