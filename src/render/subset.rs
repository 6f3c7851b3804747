//! Font subsetting *before* layout, so that genpdf lays out, and printpdf embeds,
//! fonts that contain only the glyphs the document uses.
//!
//! Why before layout and not after rendering:
//! - printpdf 0.3.4 embeds whatever font bytes it is given, and when it embeds a
//!   font it calls `rusttype::Font::glyph_ids()`, which looks up *every* Unicode
//!   code point (0..=0x10FFFF) and then parses the outline of every mapped glyph
//!   to build `/W` and the `ToUnicode` `CMap`. With whole `DejaVu` faces (~6000 glyphs,
//!   a format-12 cmap) that is the ~150 ms fixed cost per render. With a subset
//!   whose cmap covers only the BMP, every code point above U+FFFF returns at once
//!   (and a format-6 array makes each BMP one a single read, see `build_cmap`),
//!   and only a few hundred outlines are parsed.
//! - `/W`, `ToUnicode` and the glyph ids in the content streams are then all written
//!   by printpdf against the subset font, so they are consistent by construction;
//!   nothing in the PDF has to be renumbered afterwards.
//!
//! The subset keeps exactly what rusttype (`stb_truetype`) needs to lay out text the
//! same way as with the whole face:
//! - `glyf`/`loca`/`hmtx`/`hhea`/`maxp`/`head`/`post`/`name`, from the `subsetter`
//!   crate (0.2.6, default features off: only `rustc-hash` comes with it), which
//!   renumbers glyphs densely (0 = .notdef kept) and pulls in the components of
//!   composite glyphs; the `name` table is kept for its copyright/licence notice;
//! - no hinting: glyph instructions and `cvt `/`fpgm`/`prep` are removed (they
//!   are more than half of `DejaVu`'s `glyf`; PDF viewers draw outlines unhinted or
//!   auto-hint, and poppler's rendering of the memo is pixel-identical);
//! - a new `cmap` (subsetter drops it: it is written for PDF writers that bring
//!   their own cmap, but rusttype needs one to map characters to glyphs);
//! - a new `kern` table with the pairs among kept glyphs, renumbered (subsetter
//!   drops it, and genpdf's kerning comes from `stb_truetype`, which reads only the
//!   first, format-0 subtable of `kern`).
//!
//! Advance widths are copied unchanged, so line breaking and positions are the
//! same as with the whole face (checked by the tests and by rendering).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, ensure, Context, Result};

/// A face subset to some characters.
#[derive(Clone)]
pub(crate) struct Subset {
    /// The font program.
    pub font: Vec<u8>,
    /// Every character its `cmap` maps, with its glyph, by character: what the
    /// PDF's widths and `ToUnicode` map are written from (see `embed`).
    pub glyphs: Vec<(u32, u16)>,
}

/// Subsets one TrueType face to the characters in `chars` (plus U+0020 SPACE, which
/// genpdf always needs between words). Characters the face has no glyph for are
/// left out: genpdf draws them as `.notdef`, exactly as it would with the whole
/// face. Deterministic: same input, same bytes.
#[cfg(test)]
pub(crate) fn subset_face(ttf: &[u8], chars: &BTreeSet<char>) -> Result<Vec<u8>> {
    Ok(subset(ttf, chars)?.font)
}

/// `subset_face`, with the characters the subset maps.
pub(crate) fn subset(ttf: &[u8], chars: &BTreeSet<char>) -> Result<Subset> {
    // Map characters to glyphs with rusttype itself (the crate genpdf uses), so the
    // subset maps each character to the glyph genpdf would have drawn. Borrowed,
    // not copied: a whole face is 700 KB.
    let font = rusttype::Font::from_bytes(ttf).context("font is not readable by rusttype")?;
    let n_glyphs = u32::try_from(font.glyph_count()).context("glyph count")?;

    let mut remapper = subsetter::GlyphRemapper::new();
    // .notdef must stay glyph 0: genpdf draws missing characters with it.
    remapper.remap(0);
    let mut char_to_old: Vec<(char, u16)> = Vec::new();
    for &c in chars.iter().chain(std::iter::once(&' ')) {
        let old = font.glyph(c).id().0;
        if old == 0 || old >= n_glyphs {
            continue;
        }
        let old = u16::try_from(old).context("glyph id over 65535")?;
        remapper.remap(old);
        char_to_old.push((c, old));
    }
    char_to_old.sort_unstable();
    char_to_old.dedup();

    let sub = subsetter::subset(ttf, 0, &remapper)
        .map_err(|e| anyhow::anyhow!("subsetter: {e}"))
        .context("subsetting the glyph outlines")?;

    let mut cmap_pairs: Vec<(u32, u16)> = Vec::with_capacity(char_to_old.len());
    for (c, old) in &char_to_old {
        let new = remapper
            .get(*old)
            .with_context(|| format!("glyph {old} of {c:?} missing after subsetting"))?;
        // U+FFFF is a noncharacter that format 4 reserves for its end marker.
        if *c != '\u{FFFF}' {
            cmap_pairs.push((u32::from(*c), new));
        }
    }

    let orig = Sfnt::parse(ttf).context("reading the original face")?;
    let mut tables: BTreeMap<[u8; 4], Vec<u8>> = Sfnt::parse(&sub)
        .context("reading subsetter's output")?
        .tables
        .into_iter()
        .map(|(t, d)| (t, d.to_vec()))
        .collect();
    // Hinting is for rasterising at small pixel sizes on screen; PDF viewers render
    // outlines unhinted or auto-hint, and DejaVu's glyph programs are more than half
    // of `glyf`. Dropping them (and the tables they call into) halves the font.
    let (glyf, loca) = strip_instructions(&tables).context("stripping hinting")?;
    tables.insert(*b"glyf", glyf);
    tables.insert(*b"loca", loca);
    let head = tables.get_mut(b"head").context("subset has no head table")?;
    ensure!(head.len() >= 54, "head table too short");
    head[50..52].copy_from_slice(&1u16.to_be_bytes()); // long loca, as written above
    for t in [b"cvt ", b"fpgm", b"prep"] {
        tables.remove(t);
    }
    tables.insert(*b"cmap", build_cmap(&cmap_pairs)?);
    let kern = match orig.tables.get(b"kern") {
        Some(k) => subset_kern(k, &remapper).context("rewriting kern")?,
        None => None,
    };
    if let Some(k) = kern {
        tables.insert(*b"kern", k);
    }
    // OS/2 is not needed by rusttype or by PDF viewers for a CIDFontType2 with an
    // embedded font; copying it is cheap and keeps the font conventional.
    if let Some(os2) = orig.tables.get(b"OS/2") {
        tables.insert(*b"OS/2", os2.to_vec());
    }
    Ok(Subset {
        font: write_sfnt(&tables)?,
        glyphs: cmap_pairs,
    })
}

#[cfg(test)]
/// Characters of `texts`, minus control characters (genpdf draws those as boxes;
/// the caller should not pass them to genpdf at all).
pub(crate) fn chars_of<'a>(texts: impl IntoIterator<Item = &'a str>) -> BTreeSet<char> {
    texts
        .into_iter()
        .flat_map(str::chars)
        .filter(|c| !c.is_control())
        .collect()
}

/// The font without one table. A PDF draws text by glyph id, so the embedded
/// program needs no `cmap`; rusttype needed it only to lay the text out.
pub(crate) fn without_table(font: &[u8], tag: [u8; 4]) -> Result<Vec<u8>> {
    let sfnt = Sfnt::parse(font)?;
    let tables: BTreeMap<[u8; 4], Vec<u8>> = sfnt
        .tables
        .iter()
        .filter(|(t, _)| **t != tag)
        .map(|(t, b)| (*t, b.to_vec()))
        .collect();
    write_sfnt(&tables)
}

/// Minimal view of an sfnt: table tag -> table bytes.
struct Sfnt<'a> {
    tables: BTreeMap<[u8; 4], &'a [u8]>,
}

impl<'a> Sfnt<'a> {
    fn parse(data: &'a [u8]) -> Result<Self> {
        let version = be32(data, 0)?;
        ensure!(
            version == 0x0001_0000 || version == u32::from_be_bytes(*b"true"),
            "not a TrueType font (version {version:#x})"
        );
        let count = usize::from(be16(data, 4)?);
        let mut tables = BTreeMap::new();
        for i in 0..count {
            let rec = 12 + 16 * i;
            let tag: [u8; 4] = data
                .get(rec..rec + 4)
                .context("table record out of bounds")?
                .try_into()?;
            let off = usize::try_from(be32(data, rec + 8)?)?;
            let len = usize::try_from(be32(data, rec + 12)?)?;
            let body = data
                .get(off..off.checked_add(len).context("table length overflow")?)
                .with_context(|| format!("table {} out of bounds", String::from_utf8_lossy(&tag)))?;
            tables.insert(tag, body);
        }
        Ok(Sfnt { tables })
    }
}

/// Table `tag` of a font.
pub(crate) fn table(font: &[u8], tag: [u8; 4]) -> Result<&[u8]> {
    Sfnt::parse(font)?
        .tables
        .get(&tag)
        .copied()
        .with_context(|| format!("no {} table", String::from_utf8_lossy(&tag)))
}

pub(crate) fn be16(d: &[u8], at: usize) -> Result<u16> {
    let b = d.get(at..at + 2).context("read past end of font data")?;
    Ok(u16::from_be_bytes([b[0], b[1]]))
}

fn be32(d: &[u8], at: usize) -> Result<u32> {
    let b = d.get(at..at + 4).context("read past end of font data")?;
    Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Builds a `cmap` with a format-4 subtable for the BMP and, only if some
/// character is outside the BMP, a (3,10) format-12 subtable for all of them.
/// `stb_truetype` uses the *last* Microsoft/Unicode record it understands, so the
/// format-12 one wins when present. Keeping to the BMP in the common case is
/// what makes printpdf's scan over all code points cheap (stb returns at once for
/// code points above U+FFFF).
///
/// When the BMP characters span at most [`FORMAT6_MAX_SPAN`] code points, the
/// format-4 table is recorded as (0,3) and a format-6 table (a plain array from
/// the first to the last character) is added as (3,1), which stb uses: printpdf
/// looks up all 65 536 BMP code points per font, and a format-6 lookup is one
/// bounds check and one read where format 4 is a binary search over segments
/// (about a tenth of a 400-point build). The format-4 table stays for any other
/// reader of the font; a PDF viewer reads neither (`CIDToGIDMap` is Identity).
fn build_cmap(pairs: &[(u32, u16)]) -> Result<Vec<u8>> {
    let bmp: Vec<(u16, u16)> = pairs
        .iter()
        .filter_map(|&(c, g)| u16::try_from(c).ok().map(|c| (c, g)))
        .filter(|&(c, _)| c != 0xFFFF)
        .collect();
    let f4 = cmap_format4(&bmp)?;
    let f12 = if pairs.iter().any(|&(c, _)| c > 0xFFFF) {
        Some(cmap_format12(pairs)?)
    } else {
        None
    };
    let f6 = if f12.is_none() { cmap_format6(&bmp) } else { None };
    // (platform, encoding, table), in the order the spec requires (by platform,
    // then encoding); stb_truetype takes the last one.
    let mut subtables: Vec<(u16, u16, &[u8])> = Vec::with_capacity(2);
    match (&f6, &f12) {
        (Some(f6), _) => {
            subtables.push((0, 3, &f4));
            subtables.push((3, 1, f6));
        }
        (None, Some(f12)) => {
            subtables.push((3, 1, &f4));
            subtables.push((3, 10, f12));
        }
        (None, None) => subtables.push((3, 1, &f4)),
    }
    let n_sub = u16::try_from(subtables.len())?;
    let mut off = 4 + 8 * u32::from(n_sub);
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&n_sub.to_be_bytes());
    for (platform, encoding, table) in &subtables {
        out.extend_from_slice(&platform.to_be_bytes());
        out.extend_from_slice(&encoding.to_be_bytes());
        out.extend_from_slice(&off.to_be_bytes());
        off += u32::try_from(table.len())?;
    }
    for (_, _, table) in &subtables {
        out.extend_from_slice(table);
    }
    Ok(out)
}

/// The widest range of code points a format-6 table is built for: 16 384 entries,
/// 32 KB before compression (ASCII to the em dash or the numero sign is about
/// 8 400); beyond it, format 4 alone.
const FORMAT6_MAX_SPAN: u32 = 16_384;

/// A format-6 (trimmed array) subtable from the first to the last character of
/// `pairs` (sorted by character), unmapped code points to glyph 0; none if the
/// span is too wide.
fn cmap_format6(pairs: &[(u16, u16)]) -> Option<Vec<u8>> {
    let (first, last) = (pairs.first()?.0, pairs.last()?.0);
    let count = last.checked_sub(first)?.checked_add(1)?;
    if u32::from(count) > FORMAT6_MAX_SPAN {
        return None;
    }
    let mut glyphs = vec![0u16; usize::from(count)];
    for &(c, g) in pairs {
        *glyphs.get_mut(usize::from(c.checked_sub(first)?))? = g;
    }
    let length = u16::try_from(10 + 2 * glyphs.len()).ok()?;
    let mut t = Vec::with_capacity(usize::from(length));
    for v in [6, length, 0, first, count] {
        t.extend_from_slice(&v.to_be_bytes());
    }
    for g in glyphs {
        t.extend_from_slice(&g.to_be_bytes());
    }
    Some(t)
}

fn cmap_format4(pairs: &[(u16, u16)]) -> Result<Vec<u8>> {
    // Segments of consecutive characters mapped to consecutive glyphs, each with
    // idRangeOffset = 0 and idDelta = glyph - char (mod 65536). Glyphs are numbered
    // in character order, so runs like A..Z or А..я collapse into one segment.
    let mut segs: Vec<(u16, u16, u16)> = Vec::new(); // (start, end, delta)
    for &(c, g) in pairs {
        let delta = g.wrapping_sub(c);
        match segs.last_mut() {
            Some((_, end, d)) if end.checked_add(1) == Some(c) && *d == delta => *end = c,
            _ => segs.push((c, c, delta)),
        }
    }
    segs.push((0xFFFF, 0xFFFF, 1)); // required final segment, maps to glyph 0
    let seg_count = u16::try_from(segs.len()).context("too many cmap segments")?;
    let entry_selector = 15 - seg_count.leading_zeros() as u16; // floor(log2)
    let search_range = 2u16
        .checked_shl(u32::from(entry_selector))
        .context("cmap search range")?;
    let seg_x2 = seg_count.checked_mul(2).context("too many cmap segments")?;
    let length = u16::try_from(16 + 8 * segs.len()).context("cmap format 4 too long")?;
    let mut t = Vec::with_capacity(usize::from(length));
    for v in [
        4,
        length,
        0,
        seg_x2,
        search_range,
        entry_selector,
        seg_x2 - search_range,
    ] {
        t.extend_from_slice(&v.to_be_bytes());
    }
    for s in &segs {
        t.extend_from_slice(&s.1.to_be_bytes());
    }
    t.extend_from_slice(&0u16.to_be_bytes()); // reservedPad
    for s in &segs {
        t.extend_from_slice(&s.0.to_be_bytes());
    }
    for s in &segs {
        t.extend_from_slice(&s.2.to_be_bytes());
    }
    // idRangeOffset: 0 for every segment
    t.resize(t.len() + 2 * segs.len(), 0);
    Ok(t)
}

fn cmap_format12(pairs: &[(u32, u16)]) -> Result<Vec<u8>> {
    let mut groups: Vec<(u32, u32, u32)> = Vec::new(); // (start char, end char, start glyph)
    for &(c, g) in pairs {
        let g = u32::from(g);
        match groups.last_mut() {
            Some((s, e, sg)) if *e + 1 == c && *sg + (c - *s) == g => *e = c,
            _ => groups.push((c, c, g)),
        }
    }
    let n = u32::try_from(groups.len())?;
    let mut t = Vec::new();
    t.extend_from_slice(&12u16.to_be_bytes());
    t.extend_from_slice(&0u16.to_be_bytes());
    t.extend_from_slice(&(16 + 12 * n).to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    t.extend_from_slice(&n.to_be_bytes());
    for (s, e, g) in groups {
        for v in [s, e, g] {
            t.extend_from_slice(&v.to_be_bytes());
        }
    }
    Ok(t)
}

/// Keeps the first `kern` subtable's pairs whose two glyphs both survive, renumbered
/// and re-sorted (`stb_truetype` binary-searches them). Only a horizontal format-0
/// first subtable is used by `stb_truetype`, so only that one is carried over.
fn subset_kern(kern: &[u8], map: &subsetter::GlyphRemapper) -> Result<Option<Vec<u8>>> {
    let mut pairs: Vec<(u16, u16, i16)> = kern_pairs(kern)?
        .into_iter()
        .filter_map(|(l, r, v)| Some((map.get(l)?, map.get(r)?, v)))
        .collect();
    if pairs.is_empty() {
        return Ok(None);
    }
    pairs.sort_unstable();
    let n = u16::try_from(pairs.len()).context("too many kerning pairs")?;
    let entry_selector = 15 - n.leading_zeros() as u16;
    let search_range = 6 * (1u32 << entry_selector);
    let range_shift = 6 * u32::from(n) - search_range;
    let sub_len = 14 + 6 * pairs.len();
    let mut t = Vec::with_capacity(4 + sub_len);
    // searchRange/rangeShift/length are 16-bit fields that overflow past ~10 900
    // pairs (DejaVu's whole table does); stb_truetype reads none of them, so they
    // saturate rather than fail.
    let sat = |v: u32| u16::try_from(v).unwrap_or(u16::MAX);
    let sub_len16 = u16::try_from(sub_len).unwrap_or(u16::MAX);
    let header = [
        0,
        1,
        0,
        sub_len16,
        1,
        n,
        sat(search_range),
        entry_selector,
        sat(range_shift),
    ];
    for v in header {
        t.extend_from_slice(&v.to_be_bytes());
    }
    for (l, r, v) in pairs {
        t.extend_from_slice(&l.to_be_bytes());
        t.extend_from_slice(&r.to_be_bytes());
        t.extend_from_slice(&v.to_be_bytes());
    }
    Ok(Some(t))
}

/// The pairs of the first `kern` subtable if it is horizontal format 0, the only
/// kind `stb_truetype` reads; none otherwise.
fn kern_pairs(kern: &[u8]) -> Result<Vec<(u16, u16, i16)>> {
    if be16(kern, 0)? != 0 || be16(kern, 2)? == 0 || be16(kern, 8)? != 1 {
        // Apple 'kern' version 1, no subtable, or another kind: stb ignores it too.
        return Ok(Vec::new());
    }
    let n = usize::from(be16(kern, 10)?);
    (0..n)
        .map(|i| {
            let at = 18 + 6 * i;
            Ok((be16(kern, at)?, be16(kern, at + 2)?, be16(kern, at + 4)? as i16))
        })
        .collect()
}

/// The most one character of `font` can add to a line, in em: the widest
/// advance plus the largest kerning that widens a pair. A word of n characters
/// is never wider than n times this, so the layout need not measure short words.
pub(crate) fn widest_char_em(font: &[u8]) -> Result<f64> {
    let sfnt = Sfnt::parse(font)?;
    let table = |tag: &[u8; 4]| {
        sfnt.tables
            .get(tag)
            .copied()
            .with_context(|| format!("no {} table", String::from_utf8_lossy(tag)))
    };
    let upem = be16(table(b"head")?, 18)?;
    ensure!(upem > 0, "zero units per em");
    // Glyphs past the last long metric share its advance.
    let metrics = usize::from(be16(table(b"hhea")?, 34)?);
    let hmtx = table(b"hmtx")?;
    let widest = (0..metrics).try_fold(0u16, |w, i| Ok::<_, anyhow::Error>(w.max(be16(hmtx, 4 * i)?)))?;
    let kern = match sfnt.tables.get(b"kern") {
        Some(k) => kern_pairs(k)?
            .into_iter()
            .map(|(_, _, v)| v)
            .max()
            .unwrap_or(0)
            .max(0),
        None => 0,
    };
    Ok((f64::from(widest) + f64::from(kern)) / f64::from(upem))
}

/// Rewrites `glyf` without TrueType instructions and returns (glyf, long loca).
fn strip_instructions(tables: &BTreeMap<[u8; 4], Vec<u8>>) -> Result<(Vec<u8>, Vec<u8>)> {
    let get = |t: &[u8; 4]| {
        tables
            .get(t)
            .with_context(|| format!("no {} table", String::from_utf8_lossy(t)))
    };
    let (head, maxp, loca, glyf) = (get(b"head")?, get(b"maxp")?, get(b"loca")?, get(b"glyf")?);
    let long = be16(head, 50)? == 1;
    let n = usize::from(be16(maxp, 4)?);
    let offset = |i: usize| -> Result<usize> {
        Ok(if long {
            usize::try_from(be32(loca, 4 * i)?)?
        } else {
            2 * usize::from(be16(loca, 2 * i)?)
        })
    };
    let mut out_glyf = Vec::with_capacity(glyf.len());
    let mut out_loca = Vec::with_capacity(4 * (n + 1));
    for i in 0..n {
        out_loca.extend_from_slice(&u32::try_from(out_glyf.len())?.to_be_bytes());
        let (a, b) = (offset(i)?, offset(i + 1)?);
        if a >= b {
            continue; // empty glyph (space)
        }
        let g = glyf
            .get(a..b)
            .with_context(|| format!("glyph {i} out of bounds"))?;
        let contours = be16(g, 0)? as i16;
        if contours >= 0 {
            // Simple glyph: header, endPtsOfContours, instructionLength, instructions, rest.
            let p = 10 + 2 * usize::from(contours as u16);
            let ilen = usize::from(be16(g, p)?);
            let rest = g
                .get(p + 2 + ilen..)
                .with_context(|| format!("glyph {i} truncated"))?;
            out_glyf.extend_from_slice(&g[..p]);
            out_glyf.extend_from_slice(&[0, 0]);
            out_glyf.extend_from_slice(rest);
        } else {
            // Composite glyph: walk the components, clear WE_HAVE_INSTRUCTIONS and
            // cut the instructions that follow the last component.
            let mut p = 10;
            let mut c = g.to_vec();
            loop {
                let flags = be16(&c, p)?;
                c[p..p + 2].copy_from_slice(&(flags & !0x0100).to_be_bytes());
                p += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
                p += if flags & 0x0008 != 0 {
                    2
                } else if flags & 0x0040 != 0 {
                    4
                } else if flags & 0x0080 != 0 {
                    8
                } else {
                    0
                };
                ensure!(p <= c.len(), "composite glyph {i} truncated");
                if flags & 0x0020 == 0 {
                    break;
                }
            }
            c.truncate(p);
            out_glyf.extend_from_slice(&c);
        }
        while out_glyf.len() % 4 != 0 {
            out_glyf.push(0);
        }
    }
    out_loca.extend_from_slice(&u32::try_from(out_glyf.len())?.to_be_bytes());
    Ok((out_glyf, out_loca))
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |acc, c| {
        let mut b = [0u8; 4];
        b[..c.len()].copy_from_slice(c);
        acc.wrapping_add(u32::from_be_bytes(b))
    })
}

/// Writes an sfnt with the tables in tag order, 4-byte aligned, with table
/// checksums and head.checkSumAdjustment, as the OpenType spec requires.
fn write_sfnt(tables: &BTreeMap<[u8; 4], Vec<u8>>) -> Result<Vec<u8>> {
    let count = u16::try_from(tables.len())?;
    let entry_selector = 15 - count.leading_zeros() as u16;
    let search_range = 16 * (1u16 << entry_selector);
    let mut out = Vec::new();
    for v in [
        0x0001u16,
        0,
        count,
        search_range,
        entry_selector,
        16 * count - search_range,
    ] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    let mut bodies = Vec::new();
    for (tag, body) in tables {
        let mut body = body.clone();
        if tag == b"head" {
            ensure!(body.len() >= 12, "head table too short");
            body[8..12].fill(0);
            head_at = Some(offset + 8);
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(&body).to_be_bytes());
        out.extend_from_slice(&u32::try_from(offset)?.to_be_bytes());
        out.extend_from_slice(&u32::try_from(body.len())?.to_be_bytes());
        offset += body.len().next_multiple_of(4);
        bodies.push(body);
    }
    for mut body in bodies {
        body.resize(body.len().next_multiple_of(4), 0);
        out.extend_from_slice(&body);
    }
    let Some(at) = head_at else {
        bail!("subset has no head table");
    };
    let adj = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    out[at..at + 4].copy_from_slice(&adj.to_be_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faces() -> [&'static [u8]; 4] {
        [
            dejavu::sans::regular(),
            dejavu::sans::bold(),
            dejavu::sans::oblique(),
            dejavu::sans::bold_oblique(),
        ]
    }

    const TEXT: &str = "AVATAR Tο Wo ff fi 12,5 — «Организация Договора» ёЁ №";

    #[test]
    fn same_metrics_and_kerning_as_whole_face() -> Result<()> {
        let chars = chars_of([TEXT]);
        for ttf in faces() {
            let sub = subset_face(ttf, &chars)?;
            assert!(
                sub.len() * 20 < ttf.len(),
                "subset {} of {}",
                sub.len(),
                ttf.len()
            );
            let a = rusttype::Font::from_bytes(ttf).context("whole")?;
            let b = rusttype::Font::from_bytes(sub).context("subset")?;
            let scale = rusttype::Scale::uniform(12.0);
            let mut kerned = 0;
            let mut prev: Option<char> = None;
            for c in TEXT.chars() {
                let (ga, gb) = (a.glyph(c), b.glyph(c));
                assert_ne!(gb.id().0, 0, "{c:?} lost");
                let wa = ga.scaled(scale).h_metrics().advance_width;
                let wb = gb.scaled(scale).h_metrics().advance_width;
                // Bit for bit: the subset must keep the very same metrics.
                assert_eq!(wa.to_bits(), wb.to_bits(), "advance of {c:?}");
                if let Some(p) = prev {
                    let ka = a.pair_kerning(scale, p, c);
                    let kb = b.pair_kerning(scale, p, c);
                    assert_eq!(ka.to_bits(), kb.to_bits(), "kerning {p:?}{c:?}");
                    kerned += usize::from(ka.abs() > 0.0);
                }
                prev = Some(c);
            }
            assert!(kerned > 0, "test text should exercise kerning");
            assert_eq!(b.glyph('ǅ').id().0, 0, "unused characters are dropped");
        }
        Ok(())
    }

    #[test]
    fn no_character_adds_more_than_the_widest_and_not_much_less() -> Result<()> {
        let chars = chars_of([TEXT]);
        for ttf in faces() {
            let sub = subset_face(ttf, &chars)?;
            let widest = widest_char_em(&sub)?;
            let font = rusttype::Font::from_bytes(sub).context("subset")?;
            // As genpdf scales: advances and kerning come out in em.
            let v = font.v_metrics_unscaled();
            let scale = rusttype::Scale::uniform((v.ascent - v.descent) / f32::from(font.units_per_em()));
            let mut most = 0.0_f64;
            for &a in &chars {
                let advance = font.glyph(a).scaled(scale).h_metrics().advance_width;
                for &b in chars.iter().chain([' '].iter()) {
                    let w = f64::from(advance + font.pair_kerning(scale, a, b).max(0.0));
                    assert!(w <= widest + 1e-6, "{a:?}{b:?}: {w} > {widest}");
                    most = most.max(w);
                }
            }
            assert!(
                widest < most + 0.1,
                "{widest} em is loose: at most {most} in the text"
            );
        }
        Ok(())
    }

    #[test]
    fn deterministic() -> Result<()> {
        let chars = chars_of([TEXT]);
        assert_eq!(subset_face(faces()[0], &chars)?, subset_face(faces()[0], &chars)?);
        Ok(())
    }

    #[test]
    fn table_checksums_hold() -> Result<()> {
        let sub = subset_face(faces()[1], &chars_of([TEXT]))?;
        assert_eq!(checksum(&sub), 0xB1B0_AFBA, "whole-font checksum");
        let sfnt = Sfnt::parse(&sub)?;
        for t in [
            b"cmap", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"kern",
        ] {
            assert!(sfnt.tables.contains_key(t), "{}", String::from_utf8_lossy(t));
        }
        Ok(())
    }

    /// (platform, encoding, format) of each cmap subtable.
    fn cmap_subtables(font: &[u8]) -> Result<Vec<(u16, u16, u16)>> {
        let sfnt = Sfnt::parse(font)?;
        let cmap = sfnt.tables.get(b"cmap").context("no cmap")?;
        (0..usize::from(be16(cmap, 2)?))
            .map(|i| {
                let r = 4 + 8 * i;
                let off = usize::try_from(be32(cmap, r + 4)?)?;
                Ok((be16(cmap, r)?, be16(cmap, r + 2)?, be16(cmap, off)?))
            })
            .collect()
    }

    #[test]
    fn narrow_sets_get_format_6_wide_ones_format_4_same_glyphs() -> Result<()> {
        // TEXT spans U+0020..U+2116: a format-6 array; adding U+FFFD makes the span
        // too wide, leaving format 4 alone. Both map every character alike.
        let narrow = chars_of([TEXT]);
        let wide = chars_of([TEXT, "\u{FFFD}"]);
        let a = subset_face(faces()[0], &narrow)?;
        let b = subset_face(faces()[0], &wide)?;
        assert_eq!(cmap_subtables(&a)?, [(0, 3, 4), (3, 1, 6)]);
        assert_eq!(cmap_subtables(&b)?, [(3, 1, 4)]);
        let (fa, fb) = (
            rusttype::Font::from_bytes(a).context("narrow")?,
            rusttype::Font::from_bytes(b).context("wide")?,
        );
        for c in TEXT.chars() {
            assert_ne!(fa.glyph(c).id().0, 0, "{c:?} lost");
            assert_eq!(fa.glyph(c).id(), fb.glyph(c).id(), "{c:?}");
        }
        // Inside the array's range but not in the set, and past its end: glyph 0.
        assert_eq!(fa.glyph('ǅ').id().0, 0);
        assert_eq!(fa.glyph('\u{2200}').id().0, 0);
        Ok(())
    }

    #[test]
    fn non_bmp_characters_use_format_12() -> Result<()> {
        // No DejaVu face has a glyph outside the BMP, so non-BMP code points are
        // mapped to a subset's own glyphs here: a cmap built for them, put in the
        // subset in place of its own, must read back glyph for glyph in rusttype
        // (stb_truetype's rules, as genpdf and printpdf read fonts).
        let sub = subset_face(faces()[0], &chars_of(["Abc"]))?;
        let id = |f: &rusttype::Font<'_>, c: char| f.glyph(c).id().0;
        let font = rusttype::Font::from_bytes(sub.clone()).context("subset")?;
        let glyph = |ch| u16::try_from(id(&font, ch)).context("a glyph id");
        let (a, b, c) = (glyph('A')?, glyph('b')?, glyph('c')?);
        assert!(a != 0 && b != 0 && c != 0);
        let pairs: [(u32, u16); 7] = [
            (0x41, a),
            (0x62, b),
            (0x63, c),
            (0x1D400, a),
            (0x1D401, b),
            (0x1D402, c),
            (0x1F600, c),
        ];
        let mut tables: BTreeMap<[u8; 4], Vec<u8>> = Sfnt::parse(&sub)?
            .tables
            .iter()
            .map(|(t, body)| (*t, body.to_vec()))
            .collect();
        tables.insert(*b"cmap", build_cmap(&pairs)?);
        let mapped = write_sfnt(&tables)?;
        assert_eq!(cmap_subtables(&mapped)?, [(3, 1, 4), (3, 10, 12)]);
        let f = rusttype::Font::from_bytes(mapped).context("mapped")?;
        for (code, want) in pairs {
            let ch = char::from_u32(code).context("a character")?;
            assert_eq!(id(&f, ch), u32::from(want), "U+{code:04X}");
        }
        assert_eq!(id(&f, '\u{1D403}'), 0, "past a group's end");
        assert_eq!(id(&f, 'd'), 0);
        Ok(())
    }
}
