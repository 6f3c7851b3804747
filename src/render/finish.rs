//! Post-processing of genpdf 0.2.0 / printpdf 0.3.4 output into a small, exact,
//! reproducible PDF.
//!
//! What genpdf writes, and what `finish` does about it:
//! - Every stream is stored uncompressed; printpdf even marks the font stream
//!   "must not be compressed", which is not true of `FontFile2`. We deflate every
//!   unfiltered stream (fonts included, `/Length1` stays the plain length).
//! - `/Info` has a raw-UTF-8 title (mojibake for Cyrillic), the clock's dates, a
//!   `/GTS_PDFXVersion ()` claim and no author. We replace it with Title, Author,
//!   Subject, Keywords as UTF-16BE with a BOM, and `CreationDate` = `ModDate` = the
//!   memo date.
//! - The trailer `/ID` comes from a process-global counter in printpdf, so the same
//!   input gives different bytes depending on what the process rendered before.
//!   We set it to a hash of the finished file (computed with an all-zero `/ID`
//!   in its place).
//! - One optional-content group per page ("Layer 1", with an "Adobe Illustrator"
//!   creator dictionary), a `/OC /MC0 BDC ... EMC` wrapper around every page's
//!   content and an empty `/Outlines`: none of it is needed by a brief; dropped.
//!   XMP metadata and the ICC output intent (only written without
//!   `set_minimal_conformance`) are dropped too.
//! - Font names are printpdf's resource names (`/F0`...). The fonts are subset
//!   before layout (see `subset.rs`), so each gets `ABCDEF+PostScriptName`, the tag
//!   derived from a hash of the embedded font program (i.e. of the glyph set), as
//!   PDF 32000-1 §9.6.4 asks for subset fonts. `FontBBox` (printpdf writes a sum of
//!   widths there), `ItalicAngle` and the italic flag are taken from the font.
//! - A face the memo draws nothing in reaches printpdf as a standard-14 stand-in
//!   (see `pdf::fonts`), which is neither embedded nor wanted: its resource
//!   is removed, and a page that does draw in it is refused.
//! - A glyph id 0 in a content stream means a character had no glyph (missing from
//!   the subset, or from the font): genpdf would draw an empty box and pdftotext
//!   would lose the character. `finish` refuses such a file, naming the page.
//!
//! Objects are renumbered densely in their original order; lopdf writes them in id
//! order, so the output depends only on the input bytes and `meta`.

use super::embed::{embed, Face};
use super::record::Record;
use anyhow::{bail, Context, Result};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

/// Document metadata written to the Info dictionary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PdfMeta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// `CreationDate` and `ModDate`, in UTC; none leaves them out (never the clock).
    pub date: Option<chrono::NaiveDateTime>,
    /// The document's language (BCP 47), for `/Lang`.
    pub lang: String,
}

/// Post-processes genpdf's output: compresses streams, rewrites metadata, sets
/// deterministic dates and `/ID`, tags subset fonts, drops ICC/XMP/layers and
/// stand-in fonts.
/// Precondition: the embedded fonts were subset with `subset::subset_face` (the
/// subset tag claims it).
pub(crate) fn finish(raw: &[u8], faces: &[Face], meta: &PdfMeta, record: &Record) -> Result<Vec<u8>> {
    let mut doc = Document::load_mem(raw).context("parsing genpdf's PDF output")?;
    embed(&mut doc, faces)?;
    strip_layers_and_extras(&mut doc)?;
    // First: text drawn in a face with no glyphs is glyph 0 throughout, and is
    // better named as that face's than as a missing character's.
    drop_stand_in_fonts(&mut doc)?;
    check_no_notdef(&doc)?;
    tag_fonts(&mut doc)?;

    let info = info_dict(meta);
    let info_id = doc.add_object(Object::Dictionary(info));
    doc.trailer.set("Info", Object::Reference(info_id));
    doc.trailer.remove(b"ID");
    doc.trailer.remove(b"Prev");
    doc.prune_objects();
    doc.renumber_objects();
    // After renumbering, which walks every object: the tags add thousands to a
    // long memo, all numbered on from the last, so the numbering stays dense.
    super::tags::apply(&mut doc, record, &meta.lang).context("tagging the PDF")?;

    compress_streams(&mut doc)?;

    // /ID from the file itself. Serialising costs as much as everything else here,
    // so it is done once: with an all-zero /ID of the final length (so every
    // offset in the xref stream is already right), hashed, then the zeros are
    // overwritten with the hash.
    let written = super::write::save(&doc, ID_LEN, |data| deflate(&mut compressor(), data))
        .context("writing the PDF")?;
    let mut out = written.bytes;
    let id = fnv1a_128(&out).to_be_bytes();
    let hex: Vec<u8> = id.iter().flat_map(|b| format!("{b:02X}").into_bytes()).collect();
    for at in written.id_at {
        out.get_mut(at..at + hex.len())
            .context("the /ID placeholder is outside the file")?
            .copy_from_slice(&hex);
    }
    Ok(out)
}

/// The most a page side may be, in points: 200 inches, the limit PDF readers hold to.
const MAX_SIDE_PT: f64 = 14_400.0;

/// Reads the finished file back as a reader would, so that a build never
/// reports success for a PDF that does not open: its cross-reference table must
/// lead to its objects, it must have the `pages` pages laid out, and each page a
/// box of finite size that readers show.
pub(super) fn check_reads_back(pdf: &[u8], pages: usize) -> Result<()> {
    let doc = Document::load_mem(pdf).context("the finished PDF does not read back")?;
    let found = page_ids(&doc);
    if found.len() != pages {
        bail!(
            "the finished PDF reads back with {} pages instead of the {pages} laid out",
            found.len()
        );
    }
    for (n, id) in found {
        let sides = media_box(&doc, id)
            .and_then(|b| match b.as_slice() {
                [x0, y0, x1, y1] => Some([x1 - x0, y1 - y0]),
                _ => None,
            })
            .with_context(|| format!("page {n} of the finished PDF has no page size readers can use"))?;
        if !sides
            .iter()
            .all(|s| s.is_finite() && *s > 0.0 && *s <= MAX_SIDE_PT)
        {
            bail!(
                "page {n} of the finished PDF is {} x {} pt, which readers cannot show",
                sides[0],
                sides[1]
            );
        }
    }
    drop_aside(doc);
    Ok(())
}

/// Drops `value` on a thread of its own. Freeing a document's tens of thousands
/// of objects one by one takes a 400-point build about 2 ms that it need not
/// wait for; when no thread can be had, it is dropped here, as usual. Only for
/// what is freed last: beside work that allocates, the two threads contend for
/// the allocator's lock (freeing the finishing pass's document this way made
/// reading the file back twice as slow).
fn drop_aside<T: Send + 'static>(value: T) {
    drop(std::thread::Builder::new().spawn(move || drop(value)));
}

/// A page's `/MediaBox`, its own or inherited from the page tree, as numbers.
fn media_box(doc: &Document, page: ObjectId) -> Option<Vec<f64>> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..32 {
        if let Ok(b) = node.get(b"MediaBox").and_then(Object::as_array) {
            return b
                .iter()
                .map(|o| match o {
                    Object::Integer(i) => Some(*i as f64),
                    Object::Real(r) => Some(*r),
                    _ => None,
                })
                .collect();
        }
        let parent = node.get(b"Parent").and_then(Object::as_reference).ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// Bytes in each of the two `/ID` strings.
const ID_LEN: usize = 16;

/// Deflates every stream that has no filter yet, `FontFile2` included (printpdf
/// marks it "must not be compressed"; PDF allows any filter on font programs, and
/// `/Length1` keeps the plain length). Level from `FLATE_LEVEL`; streams are
/// independent, so they are compressed on scoped threads, shared out by size
/// (the largest first, each to the thread with the fewest bytes so far: the font
/// programs are several pages' worth each); the output does not depend on
/// scheduling.
fn compress_streams(doc: &mut Document) -> Result<()> {
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|o| match o {
            Object::Stream(s) if !s.dict.has(b"Filter") && s.content.len() > 32 => Some(s),
            _ => None,
        })
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 8)
        .min(streams.len().max(1));
    streams.sort_by_key(|s| std::cmp::Reverse(s.content.len()));
    let mut shares: Vec<(usize, Vec<&mut lopdf::Stream>)> = (0..threads).map(|_| (0, Vec::new())).collect();
    for s in streams {
        if let Some(least) = shares.iter_mut().min_by_key(|(bytes, _)| *bytes) {
            least.0 += s.content.len();
            least.1.push(s);
        }
    }
    std::thread::scope(|scope| -> Result<()> {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|(_, share)| {
                scope.spawn(move || -> Result<()> {
                    // One compressor a thread, reset between streams: setting one
                    // up costs as much as deflating a small page.
                    let mut z = compressor();
                    for s in share {
                        let d = deflate(&mut z, &s.content)?;
                        if d.len() < s.content.len() {
                            s.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                            s.set_content(d);
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        for h in handles {
            h.join()
                .map_err(|_| anyhow::anyhow!("compression thread panicked"))??;
        }
        Ok(())
    })
}

/// zlib level: 9 saves ~1 % over 6 on these streams at about twice the time; 4
/// (zlib-rs) makes a 400-point memo 13 % larger to save 4 % of the build.
const FLATE_LEVEL: u32 = 6;

/// A zlib compressor at `FLATE_LEVEL`.
fn compressor() -> flate2::Compress {
    flate2::Compress::new(flate2::Compression::new(FLATE_LEVEL), true)
}

/// `data` as one zlib stream, from `z` reset.
fn deflate(z: &mut flate2::Compress, data: &[u8]) -> Result<Vec<u8>> {
    z.reset();
    let mut out = Vec::with_capacity(data.len() / 3 + 64);
    loop {
        let done = usize::try_from(z.total_in())?;
        let rest = data.get(done..).context("deflate read past its input")?;
        match z
            .compress_vec(rest, &mut out, flate2::FlushCompress::Finish)
            .context("deflate")?
        {
            flate2::Status::StreamEnd => return Ok(out),
            // Out of room: more, and go on.
            flate2::Status::Ok | flate2::Status::BufError => out.reserve(out.capacity().max(4096)),
        }
    }
}

/// A text string for the Info dictionary: UTF-16BE with a byte-order mark, the only
/// encoding besides `PDFDocEncoding` that readers must understand (PDF 32000-1 §7.9.2.2).
fn text_string(s: &str) -> Object {
    let mut b = vec![0xFE, 0xFF];
    b.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(b, StringFormat::Hexadecimal)
}

fn info_dict(meta: &PdfMeta) -> Dictionary {
    let mut d = Dictionary::new();
    d.set("Title", text_string(&meta.title));
    d.set("Author", text_string(&meta.author));
    d.set("Subject", text_string(&meta.subject));
    d.set("Keywords", text_string(&meta.keywords.join(", ")));
    // How a later build knows this file is one of its own to replace (`target.rs`).
    d.set("Producer", Object::string_literal(super::target::PRODUCER));
    if let Some(t) = meta.date {
        let date = t.format("D:%Y%m%d%H%M%SZ").to_string();
        d.set("CreationDate", Object::string_literal(date.clone()));
        d.set("ModDate", Object::string_literal(date));
    }
    d
}

fn page_ids(doc: &Document) -> Vec<(u32, ObjectId)> {
    doc.get_pages().into_iter().collect()
}

/// The first page (by number) one of whose content streams contains `needle`.
fn first_page_with(doc: &Document, needle: &[u8]) -> Result<Option<u32>> {
    for (n, page) in page_ids(doc) {
        for cid in doc.get_page_contents(page) {
            let s = doc
                .get_object(cid)
                .and_then(Object::as_stream)
                .with_context(|| format!("content stream of page {n}"))?;
            let content = match s.decompressed_content() {
                Ok(c) => std::borrow::Cow::Owned(c),
                Err(_) => std::borrow::Cow::Borrowed(&s.content),
            };
            if contains(&content, needle) {
                return Ok(Some(n));
            }
        }
    }
    Ok(None)
}

/// Substring search. The first byte is compared inline, so the whole needle is
/// compared (a call) only where it can match: this scans every page's content.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    match needle.first() {
        Some(&first) => haystack
            .windows(needle.len())
            .any(|w| w[0] == first && w == needle),
        None => true,
    }
}

fn check_no_notdef(doc: &Document) -> Result<()> {
    for (n, page) in page_ids(doc) {
        for cid in doc.get_page_contents(page) {
            let s = doc
                .get_object(cid)
                .and_then(Object::as_stream)
                .with_context(|| format!("content stream of page {n}"))?;
            let content = match s.decompressed_content() {
                Ok(c) => std::borrow::Cow::Owned(c),
                Err(_) => std::borrow::Cow::Borrowed(&s.content),
            };
            if draws_notdef(&content) {
                bail!(
                    "page {n} draws .notdef: some character has no glyph in the embedded font \
                     (missing from the subset's character set, or from the font)"
                );
            }
        }
    }
    Ok(())
}

/// Whether a content stream draws glyph 0 (.notdef). printpdf writes glyphs as
/// hex strings of two bytes a glyph inside `TJ` arrays (a run of them in one
/// string, vendor/printpdf), so glyph 0 is a `0000` at a four-digit boundary
/// of a `<...>` string; `<<` opens a dictionary, not a string.
fn draws_notdef(content: &[u8]) -> bool {
    let mut i = 0;
    while let Some(at) = content[i..].iter().position(|&b| b == b'<') {
        let start = i + at + 1;
        if content.get(start) == Some(&b'<') {
            i = start + 1;
            continue;
        }
        let len = content[start..]
            .iter()
            .position(|&b| b == b'>')
            .unwrap_or(content.len() - start);
        if content[start..start + len].chunks(4).any(|g| g == b"0000") {
            return true;
        }
        i = start + len;
    }
    false
}

/// Removes from the pages' font resources every font that is not embedded: the
/// standard-14 stand-ins `pdf::fonts` gives faces the memo draws nothing
/// in. A page that does draw in one is refused (its text would be Helvetica or Times,
/// not `DejaVu`, and Latin-1 at best).
fn drop_stand_in_fonts(doc: &mut Document) -> Result<()> {
    let mut font_dicts = std::collections::BTreeSet::new();
    for (n, page) in page_ids(doc) {
        let resources = match doc.get_dictionary(page)?.get(b"Resources") {
            Ok(Object::Reference(id)) => doc
                .get_dictionary(*id)
                .with_context(|| format!("resources of page {n}"))?,
            Ok(Object::Dictionary(d)) => d,
            _ => continue,
        };
        // printpdf shares one font dictionary among all pages, by reference.
        if let Ok(Object::Reference(id)) = resources.get(b"Font") {
            font_dicts.insert(*id);
        }
    }
    for id in font_dicts {
        let embedded = |f: &Object| {
            let font = match f {
                Object::Reference(r) => doc.get_dictionary(*r).ok(),
                Object::Dictionary(d) => Some(d),
                _ => None,
            };
            font.and_then(|d| d.get(b"Subtype").ok())
                .and_then(|s| s.as_name().ok())
                == Some(b"Type0")
        };
        let stand_ins: Vec<Vec<u8>> = doc
            .get_dictionary(id)
            .context("font resources")?
            .iter()
            .filter(|(_, f)| !embedded(f))
            .map(|(name, _)| name.clone())
            .collect();
        for name in &stand_ins {
            // printpdf selects a font with `/Name size Tf`.
            if let Some(n) = first_page_with(doc, &[b"/", name.as_slice(), b" "].concat())? {
                bail!(
                    "page {n} draws in the font {}, which is not embedded",
                    String::from_utf8_lossy(name)
                );
            }
        }
        let fonts = doc
            .get_object_mut(id)
            .and_then(Object::as_dict_mut)
            .context("font resources")?;
        for name in &stand_ins {
            fonts.remove(name);
        }
    }
    Ok(())
}

/// The document catalog, to change.
pub(super) fn catalog_mut(doc: &mut Document) -> Result<&mut Dictionary> {
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .context("trailer has no /Root")?;
    doc.get_object_mut(root)
        .and_then(Object::as_dict_mut)
        .context("catalog")
}

fn strip_layers_and_extras(doc: &mut Document) -> Result<()> {
    {
        let cat = catalog_mut(doc)?;
        for k in [&b"OCProperties"[..], b"Metadata", b"OutputIntents", b"Outlines"] {
            cat.remove(k);
        }
    }
    for (n, page) in page_ids(doc) {
        // Strip exactly printpdf's `/OC /MC0 BDC ... EMC` wrapper; only if every
        // content stream of the page had it is the `/MC0` resource removed too.
        let mut all_stripped = true;
        for cid in doc.get_page_contents(page) {
            let s = doc
                .get_object_mut(cid)
                .and_then(Object::as_stream_mut)
                .with_context(|| format!("content stream of page {n}"))?;
            let (pre, post) = (&b"/OC /MC0 BDC\n"[..], &b"EMC"[..]);
            let c = &s.content;
            let body_end = c.len() - usize::from(c.ends_with(b"\n"));
            if !s.dict.has(b"Filter")
                && c.starts_with(pre)
                && body_end >= pre.len() + post.len()
                && c[..body_end].ends_with(post)
            {
                let inner = c[pre.len()..body_end - post.len()].to_vec();
                s.set_content(inner);
            } else {
                all_stripped = false;
            }
        }
        if !all_stripped {
            continue;
        }
        let res = doc
            .get_object(page)
            .and_then(Object::as_dict)
            .with_context(|| format!("page {n}"))?
            .get(b"Resources")
            .ok()
            .cloned();
        match res {
            Some(Object::Reference(id)) => {
                if let Ok(d) = doc.get_object_mut(id).and_then(Object::as_dict_mut) {
                    d.remove(b"Properties");
                }
            }
            Some(Object::Dictionary(mut d)) => {
                d.remove(b"Properties");
                doc.get_object_mut(page)
                    .and_then(Object::as_dict_mut)
                    .with_context(|| format!("page {n}"))?
                    .set("Resources", Object::Dictionary(d));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Finds table `tag` in an sfnt.
fn sfnt_table(font: &[u8], tag: [u8; 4]) -> Option<&[u8]> {
    let n = usize::from(u16::from_be_bytes(font.get(4..6)?.try_into().ok()?));
    (0..n).find_map(|i| {
        let r = font.get(12 + 16 * i..28 + 16 * i)?;
        if r[..4] != tag {
            return None;
        }
        let off = u32::from_be_bytes(r[8..12].try_into().ok()?) as usize;
        let len = u32::from_be_bytes(r[12..16].try_into().ok()?) as usize;
        font.get(off..off.checked_add(len)?)
    })
}

fn be16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

/// PostScript name (name id 6), reduced to the characters a PDF name may carry
/// unescaped and that PostScript names use.
fn postscript_name(font: &[u8]) -> Option<String> {
    let name = sfnt_table(font, *b"name")?;
    let count = usize::from(be16(name, 2)?);
    let strings = usize::from(be16(name, 4)?);
    for i in 0..count {
        let r = 6 + 12 * i;
        let (platform, id) = (be16(name, r)?, be16(name, r + 6)?);
        if id != 6 {
            continue;
        }
        let (len, off) = (usize::from(be16(name, r + 8)?), usize::from(be16(name, r + 10)?));
        let raw = name.get(strings + off..strings + off + len)?;
        let s: String = match platform {
            3 | 0 => char::decode_utf16(raw.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])))
                .filter_map(Result::ok)
                .collect(),
            _ => raw.iter().map(|&b| char::from(b)).collect(),
        };
        let s: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        if !s.is_empty() {
            return Some(s);
        }
    }
    None
}

/// Six uppercase letters from a hash of the font program: same glyph set (and face),
/// same tag; different subsets of the same face get different tags.
fn subset_tag(font: &[u8]) -> String {
    let mut h = fnv1a_128(font);
    (0..6)
        .map(|_| {
            let c = char::from(b'A' + (h % 26) as u8);
            h /= 26;
            c
        })
        .collect()
}

fn tag_fonts(doc: &mut Document) -> Result<()> {
    let type0: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| {
            o.as_dict().is_ok_and(|d| {
                d.type_is(b"Font") && d.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0")
            })
        })
        .map(|(id, _)| *id)
        .collect();
    for id in type0 {
        // printpdf writes the CIDFont inline in /DescendantFonts, with the
        // FontDescriptor and the FontFile2 stream as indirect objects.
        let font = doc
            .get_object(id)
            .and_then(Object::as_dict)
            .context("Type0 font")?;
        let old_name = font
            .get(b"BaseFont")
            .and_then(Object::as_name_str)
            .unwrap_or("F")
            .to_string();
        let mut desc_font = match font.get(b"DescendantFonts").and_then(Object::as_array) {
            Ok(a) if a.len() == 1 => match &a[0] {
                Object::Dictionary(d) => d.clone(),
                Object::Reference(r) => doc.get_dictionary(*r).context("CIDFont")?.clone(),
                _ => bail!("font {old_name}: unexpected DescendantFonts entry"),
            },
            _ => bail!("font {old_name}: expected one descendant font"),
        };
        let fd_id = desc_font
            .get(b"FontDescriptor")
            .and_then(Object::as_reference)
            .with_context(|| format!("font {old_name}: FontDescriptor"))?;
        let file_id = doc
            .get_dictionary(fd_id)
            .and_then(|d| d.get(b"FontFile2"))
            .and_then(Object::as_reference)
            .with_context(|| format!("font {old_name}: FontFile2 (only TrueType fonts are expected)"))?;
        let program = {
            let s = doc
                .get_object(file_id)
                .and_then(Object::as_stream)
                .context("FontFile2")?;
            s.decompressed_content().unwrap_or_else(|_| s.content.clone())
        };
        // Text is drawn by glyph id (Identity CIDToGIDMap) and read back through
        // ToUnicode, so the character map the layout needed is dead weight here.
        let program = super::subset::without_table(&program, *b"cmap")
            .with_context(|| format!("font {old_name}: rewriting the font program"))?;
        {
            let s = doc
                .get_object_mut(file_id)
                .and_then(Object::as_stream_mut)
                .context("FontFile2")?;
            s.dict.remove(b"Filter");
            s.dict
                .set("Length1", Object::Integer(i64::try_from(program.len())?));
            s.set_content(program.clone());
        }
        let ps = postscript_name(&program).unwrap_or(old_name.clone());
        let base = format!("{}+{}", subset_tag(&program), ps);

        // Descriptor values printpdf gets wrong or leaves at defaults.
        let head = sfnt_table(&program, *b"head").with_context(|| format!("{ps}: no head table"))?;
        let upem = f64::from(be16(head, 18).context("head")?.max(1));
        let scale = |v: u16| ((f64::from(v as i16) * 1000.0 / upem).round()) as i64;
        let bbox: Vec<Object> = [36, 38, 40, 42]
            .iter()
            .map(|&at| be16(head, at).map(|v| Object::Integer(scale(v))))
            .collect::<Option<_>>()
            .context("head bbox")?;
        let italic = sfnt_table(&program, *b"post")
            .and_then(|p| Some(i32::from_be_bytes(p.get(4..8)?.try_into().ok()?)))
            .map_or(0.0, |fixed| f64::from(fixed) / 65536.0);

        let fd = doc
            .get_object_mut(fd_id)
            .and_then(Object::as_dict_mut)
            .context("FontDescriptor")?;
        // printpdf writes these in font units (DejaVu: 2048 an em); PDF wants
        // thousandths of an em, or selection highlights overlap the next line.
        for key in [&b"Ascent"[..], b"Descent", b"CapHeight"] {
            if let Ok(v) = fd.get(key).and_then(Object::as_i64) {
                let v = (v as f64 * 1000.0 / upem).round() as i64;
                fd.set(key, Object::Integer(v));
            }
        }
        fd.set("FontName", Object::Name(base.clone().into_bytes()));
        fd.set("FontBBox", Object::Array(bbox));
        fd.set("ItalicAngle", Object::Real(italic));
        // Nonsymbolic (32), plus Italic (64) when the face slants.
        fd.set("Flags", Object::Integer(if italic == 0.0 { 32 } else { 96 }));

        desc_font.set("BaseFont", Object::Name(base.clone().into_bytes()));
        desc_font.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
        let font = doc
            .get_object_mut(id)
            .and_then(Object::as_dict_mut)
            .context("Type0 font")?;
        font.set("BaseFont", Object::Name(base.into_bytes()));
        font.set(
            "DescendantFonts",
            Object::Array(vec![Object::Dictionary(desc_font)]),
        );
    }
    Ok(())
}

/// 128-bit FNV-1a. Not cryptographic; used for the file /ID (which only needs to
/// be a stable fingerprint of the content) and for subset tags.
fn fnv1a_128(data: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013B;
    data.iter()
        .fold(OFFSET, |h, &b| (h ^ u128::from(b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf;
    use crate::template::Template;
    use anyhow::ensure;

    fn meta() -> PdfMeta {
        PdfMeta {
            title: "Памятка: саммит ОДКБ".into(),
            author: "Отдел ОДКБ".into(),
            subject: "Организация Договора о коллективной безопасности".into(),
            keywords: vec!["ОДКБ".into(), "CSTO".into()],
            date: chrono::NaiveDate::from_ymd_opt(2025, 11, 12).and_then(|d| d.and_hms_opt(12, 0, 0)),
            lang: "ru".into(),
        }
    }

    fn raw_pdf(points: usize) -> Result<pdf::Laid> {
        Ok(pdf::layout(&pdf::sample(points), &Template::default_template()?)?.0)
    }

    fn fin(laid: &pdf::Laid, meta: &PdfMeta) -> Result<Vec<u8>> {
        finish(&laid.bytes, &laid.faces, meta, &laid.record)
    }

    fn utf16(o: &Object) -> Result<String> {
        let b = o.as_str().context("not a string")?;
        ensure!(b.starts_with(&[0xFE, 0xFF]), "no BOM");
        let units: Vec<u16> = b[2..]
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        Ok(String::from_utf16(&units)?)
    }

    #[test]
    fn a_pdf_that_does_not_read_back_is_refused() -> Result<()> {
        let good = fin(&raw_pdf(2)?, &meta())?;
        check_reads_back(&good, 1)?;
        let e = check_reads_back(&good, 3).unwrap_err().to_string();
        assert_eq!(
            e,
            "the finished PDF reads back with 1 pages instead of the 3 laid out"
        );
        let cut = &good[..good.len() - 200];
        let e = check_reads_back(cut, 1).unwrap_err().to_string();
        assert_eq!(e, "the finished PDF does not read back");
        // A page the size `width = inf` in a template gave, through to the file.
        let mut template = Template::default_template()?;
        for side in [f64::INFINITY, 1e308, 100_000.0] {
            template.page.width = side;
            let built = pdf::render(&pdf::sample(1), &template);
            let e = built.map(|p| p.pages).unwrap_err();
            // Refused when the finished file is read back, or earlier, when
            // tagging reads genpdf's.
            let e = format!("{e:#}");
            assert!(
                e.contains("finished PDF") || e.contains("tagging the PDF"),
                "{side}: {e}"
            );
        }
        Ok(())
    }

    #[test]
    fn deterministic_across_renders() -> Result<()> {
        // Two renders in one process differ (printpdf's counter, the clock)...
        let (a, b) = (raw_pdf(12)?, raw_pdf(12)?);
        // ...the finished files do not.
        assert_eq!(fin(&a, &meta())?, fin(&b, &meta())?);
        Ok(())
    }

    #[test]
    fn id_is_the_hash_of_the_file_with_zeros_in_its_place() -> Result<()> {
        let out = fin(&raw_pdf(6)?, &meta())?;
        let doc = Document::load_mem(&out)?;
        let ids = doc.trailer.get(b"ID")?.as_array()?;
        let id = ids[0].as_str()?.to_vec();
        assert_eq!(id.len(), ID_LEN);
        assert_eq!(ids[1].as_str()?, id.as_slice());
        let hex: Vec<u8> = id.iter().flat_map(|b| format!("{b:02X}").into_bytes()).collect();
        // The file is binary (deflated streams): compare bytes, not text.
        let hits: Vec<usize> = (0..=out.len() - hex.len())
            .filter(|&i| out[i..i + hex.len()] == hex[..])
            .collect();
        assert_eq!(hits.len(), 2, "both /ID strings patched");
        let mut zeroed = out.clone();
        for i in hits {
            zeroed[i..i + hex.len()].fill(b'0');
        }
        assert_eq!(fnv1a_128(&zeroed).to_be_bytes().to_vec(), id);
        Ok(())
    }

    #[test]
    fn metadata_round_trips_as_utf16() -> Result<()> {
        let m = meta();
        let out = fin(&raw_pdf(6)?, &m)?;
        let doc = Document::load_mem(&out)?;
        let info_id = doc.trailer.get(b"Info")?.as_reference()?;
        let info = doc.get_dictionary(info_id)?;
        assert_eq!(utf16(info.get(b"Title")?)?, m.title);
        assert_eq!(utf16(info.get(b"Author")?)?, m.author);
        assert_eq!(utf16(info.get(b"Subject")?)?, m.subject);
        assert_eq!(utf16(info.get(b"Keywords")?)?, "ОДКБ, CSTO");
        assert_eq!(info.get(b"CreationDate")?.as_str()?, b"D:20251112120000Z");
        assert_eq!(info.get(b"ModDate")?.as_str()?, b"D:20251112120000Z");
        assert!(!info.has(b"GTS_PDFXVersion"));
        assert_eq!(doc.trailer.get(b"ID")?.as_array()?.len(), 2);
        Ok(())
    }

    #[test]
    fn every_font_subset_tagged_and_streams_compressed() -> Result<()> {
        let out = fin(&raw_pdf(6)?, &meta())?;
        let doc = Document::load_mem(&out)?;
        let mut fonts = 0;
        for obj in doc.objects.values() {
            let base_font = obj
                .as_dict()
                .and_then(|d| d.get(b"BaseFont"))
                .and_then(Object::as_name);
            if let Ok(name) = base_font {
                let (tag, rest) = name.split_at(7.min(name.len()));
                assert!(
                    tag.len() == 7 && tag[..6].iter().all(u8::is_ascii_uppercase) && tag[6] == b'+',
                    "{name:?}"
                );
                assert!(rest.starts_with(b"DejaVuSerif"), "{name:?}");
                fonts += 1;
            }
            // lopdf unpacks object streams as it loads them.
            if let Object::Stream(s) = obj {
                if s.dict.type_is(b"ObjStm") {
                    continue;
                }
                assert!(
                    s.dict.has(b"Filter") || s.content.len() < 64,
                    "uncompressed stream"
                );
            }
        }
        // Bold italic draws nothing in the sample: its stand-in is gone.
        assert_eq!(fonts, 3, "three Type0 fonts");
        let cat = doc.catalog()?;
        assert!(!cat.has(b"OCProperties") && !cat.has(b"Metadata") && !cat.has(b"OutputIntents"));
        Ok(())
    }

    #[test]
    fn sans_faces_are_embedded_in_their_stand_ins_place_too() -> Result<()> {
        // The sans family has stand-ins of its own (Helvetica; the serif's are
        // Times): each face must still come out as its embedded subset.
        let mut template = Template::default_template()?;
        template.fonts.family = "dejavu-sans".into();
        let raw = pdf::layout(&pdf::sample(6), &template)?.0;
        let doc = Document::load_mem(&fin(&raw, &meta())?)?;
        let mut names = Vec::new();
        for obj in doc.objects.values() {
            if let Ok(d) = obj.as_dict() {
                if d.get(b"Type").and_then(Object::as_name).ok() == Some(&b"Font"[..]) {
                    names.push(String::from_utf8_lossy(d.get(b"BaseFont")?.as_name()?).into_owned());
                }
            }
        }
        // Regular, bold and italic (bold italic draws nothing in the sample).
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(
            names
                .iter()
                .all(|n| n.get(6..).is_some_and(|r| r.starts_with("+DejaVuSans"))),
            "{names:?}"
        );
        let text = extract_text(&doc)?;
        assert!(
            text.contains("Организация") && text.contains("delegation"),
            "{text:.300}"
        );
        Ok(())
    }

    #[test]
    fn text_survives() -> Result<()> {
        // Decode the first page's text through the font's ToUnicode CMap and look
        // for English and Cyrillic words, i.e. glyph ids and ToUnicode still agree.
        let out = fin(&raw_pdf(6)?, &meta())?;
        let doc = Document::load_mem(&out)?;
        let text = extract_text(&doc)?;
        for w in [
            "RESTRICTED",
            "Page",
            "Организация",
            "Договора",
            "коллективной",
            "delegation",
        ] {
            assert!(text.contains(w), "{w} missing from {text:.300}");
        }
        Ok(())
    }

    #[test]
    fn notdef_is_found_at_glyph_boundaries_only() {
        assert!(draws_notdef(b"[<00120000>] TJ"));
        assert!(draws_notdef(b"[<0000>] TJ"));
        assert!(draws_notdef(b"[<0012> -80 <0034><00000013>] TJ"));
        // 0x1000 and 0x0100 hold zeros, not glyph 0; dictionaries are not strings.
        assert!(!draws_notdef(b"[<10000100>] TJ"));
        assert!(!draws_notdef(b"/Span <</MCID 0000>> BDC [<0012>] TJ"));
    }

    #[test]
    fn refuses_missing_glyphs() -> Result<()> {
        let doc = pdf::sample(2);
        let template = Template::default_template()?;
        let mut chars = pdf::face_chars(&doc, &template);
        chars.remove('я');
        let raw = pdf::layout_with(&doc, &template, &chars)?;
        let err = fin(&raw, &meta()).err().context("should fail")?;
        assert!(err.to_string().contains(".notdef"), "{err}");
        Ok(())
    }

    #[test]
    fn refuses_text_in_a_stand_in_font() -> Result<()> {
        let doc = pdf::sample(2);
        let template = Template::default_template()?;
        let mut chars = pdf::face_chars(&doc, &template);
        // Italic text is drawn, but with no characters the face gets a stand-in.
        chars.forget_face(2);
        let raw = pdf::layout_with(&doc, &template, &chars)?;
        let err = fin(&raw, &meta()).err().context("should fail")?;
        assert!(err.to_string().contains("not embedded"), "{err}");
        Ok(())
    }

    /// Minimal text extraction: hex glyph strings mapped through each font's
    /// `ToUnicode` `bfchar` entries (what printpdf writes), in content order.
    fn extract_text(doc: &Document) -> Result<String> {
        use std::collections::HashMap;
        let mut maps: HashMap<Vec<u8>, HashMap<u16, char>> = HashMap::new();
        let page = *doc.get_pages().get(&1).context("page 1")?;
        let res = doc.get_dictionary(page)?.get(b"Resources")?.as_reference()?;
        let fonts = doc.get_dictionary(res)?.get(b"Font")?.as_reference()?;
        for (res_name, font) in doc.get_dictionary(fonts)? {
            let font = doc.get_dictionary(font.as_reference()?)?;
            let res_name = res_name.clone();
            let tu = font.get(b"ToUnicode")?.as_reference()?;
            let cmap = doc.get_object(tu)?.as_stream()?.decompressed_content()?;
            let cmap = String::from_utf8_lossy(&cmap).into_owned();
            let mut m = HashMap::new();
            for line in cmap.lines() {
                let parts: Vec<&str> = line.split_whitespace().collect();
                let [g, u] = parts[..] else { continue };
                let (Some(g), Some(u)) = (g.strip_prefix('<'), u.strip_prefix('<')) else {
                    continue;
                };
                let g = u16::from_str_radix(g.trim_end_matches('>'), 16)?;
                let u = u32::from_str_radix(u.trim_end_matches('>'), 16)?;
                m.insert(g, char::from_u32(u).context("bad code point")?);
            }
            maps.insert(res_name, m);
        }
        let content = doc.get_page_content(page)?;
        let ops = lopdf::content::Content::decode(&content)?;
        let mut font: Vec<u8> = Vec::new();
        let mut text = String::new();
        for op in ops.operations {
            match op.operator.as_str() {
                "Tf" => font = op.operands[0].as_name()?.to_vec(),
                "TJ" => {
                    let m = maps.get(&font).context("font resource")?;
                    for o in op.operands[0].as_array()? {
                        if let Ok(b) = o.as_str() {
                            for g in b.chunks_exact(2) {
                                let g = u16::from_be_bytes([g[0], g[1]]);
                                text.push(*m.get(&g).context("glyph without ToUnicode")?);
                            }
                        }
                    }
                }
                "ET" => text.push('\n'),
                _ => {}
            }
        }
        Ok(text)
    }
}
