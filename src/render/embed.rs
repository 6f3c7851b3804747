//! The PDF objects of an embedded subset face, written here instead of by printpdf.
//!
//! printpdf 0.3.4 builds a font's `/W` widths and `ToUnicode` map by asking
//! rusttype for the glyph of every one of the 1.1 million code points, per face:
//! two thirds of the instructions of a ten-page memo's build. The subset knows
//! exactly which characters it maps (`subset::Subset::glyphs`), so `pdf` hands
//! genpdf standard-14 stand-ins for the PDF side of every face (printpdf writes a
//! name for those and nothing else), still drawing by glyph id (see
//! `pdf::typeset`), and `embed` puts the real font objects in their place: the
//! same Type0 / `CIDFontType2` / `FontDescriptor` / `FontFile2` / `ToUnicode`
//! objects printpdf writes for an embedded font, from the same numbers, for
//! `finish` to tag and compress as before.

use super::subset::{self, be16, Subset};
use anyhow::{ensure, Context as _, Result};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// A face to embed, and the stand-in whose place it takes.
#[derive(Clone)]
pub(crate) struct Face {
    /// The stand-in's `BaseFont`, which is also its resource name.
    pub stand_in: &'static str,
    /// Its place among the faces; names the `ToUnicode` map as printpdf would
    /// (`F0`, `F1`...).
    pub index: usize,
    pub subset: Subset,
}

/// Replaces each face's stand-in font with the embedded font, under the
/// resource name printpdf would have given it (`/F0`...: shorter than the
/// stand-in's, in every `Tf` of every page). A stand-in with no face (nothing is
/// drawn in it) is left for `finish` to drop.
pub(crate) fn embed(doc: &mut Document, faces: &[Face]) -> Result<()> {
    if faces.is_empty() {
        return Ok(());
    }
    let renames: Vec<(&[u8], Vec<u8>)> = faces
        .iter()
        .map(|f| (f.stand_in.as_bytes(), format!("F{}", f.index).into_bytes()))
        .collect();
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let mut font_dicts = BTreeSet::new();
    for &page in &pages {
        let resources = match doc.get_dictionary(page)?.get(b"Resources") {
            Ok(Object::Reference(id)) => doc.get_dictionary(*id).context("page resources")?,
            Ok(Object::Dictionary(d)) => d,
            _ => continue,
        };
        // printpdf shares one font dictionary among all pages, by reference.
        if let Ok(Object::Reference(id)) = resources.get(b"Font") {
            font_dicts.insert(*id);
        }
        for content in doc.get_page_contents(page) {
            let s = doc
                .get_object_mut(content)
                .and_then(Object::as_stream_mut)
                .context("page content")?;
            if !s.dict.has(b"Filter") {
                if let Some(renamed) = rename_names(&s.content, &renames) {
                    s.set_content(renamed);
                }
            }
        }
    }
    // printpdf numbers a font's objects just before the font resources; so does
    // this, so the file is numbered, and as long, as if printpdf had embedded them.
    let Some(&first) = font_dicts.first() else {
        return Ok(());
    };
    let room = u32::try_from(3 * faces.len())?;
    shift_ids(doc, first.0, room);
    let mut next = first.0;
    for dict_id in font_dicts.iter().map(|&(n, g)| (n + room, g)) {
        for (face, (from, to)) in faces.iter().zip(&renames) {
            let fonts = doc
                .get_object_mut(dict_id)
                .and_then(Object::as_dict_mut)
                .context("font resources")?;
            let Some(stand_in) = fonts.remove(from) else {
                continue;
            };
            let id = stand_in
                .as_reference()
                .with_context(|| format!("the stand-in {} is not an indirect object", face.stand_in))?;
            fonts.set(to.clone(), Object::Reference(id));
            let ids = [(next, 0), (next + 1, 0), (next + 2, 0)];
            next += 3;
            ensure!(next <= first.0 + room, "more stand-ins than faces");
            let (font, parts) =
                type0(face, ids).with_context(|| format!("embedding the face for {}", face.stand_in))?;
            doc.objects.insert(id, Object::Dictionary(font));
            doc.objects.extend(ids.into_iter().zip(parts));
        }
    }
    Ok(())
}

/// Moves every object numbered `from` or more `by` numbers up, references too,
/// leaving room for `by` objects.
fn shift_ids(doc: &mut Document, from: u32, by: u32) {
    let moved = doc.objects.split_off(&(from, 0));
    doc.objects
        .extend(moved.into_iter().map(|((n, g), o)| ((n + by, g), o)));
    doc.traverse_objects(|o| {
        if let Object::Reference((n, _)) = o {
            if *n >= from {
                *n += by;
            }
        }
    });
    doc.max_id += by;
}

/// `content` with every name in `renames` replaced, or none if it has none.
fn rename_names(content: &[u8], renames: &[(&[u8], Vec<u8>)]) -> Option<Vec<u8>> {
    let is_delimiter = |b: u8| b.is_ascii_whitespace() || b"()<>[]{}/%".contains(&b);
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    let mut i = 0;
    while let Some(at) = content[i..].iter().position(|&b| b == b'/') {
        let start = i + at + 1;
        let end = content[start..]
            .iter()
            .position(|&b| is_delimiter(b))
            .map_or(content.len(), |n| start + n);
        if let Some((_, to)) = renames.iter().find(|(from, _)| *from == &content[start..end]) {
            let o = out.get_or_insert_with(|| Vec::with_capacity(content.len()));
            o.extend_from_slice(&content[copied..start]);
            o.extend_from_slice(to);
            copied = end;
        }
        i = end;
    }
    let mut o = out?;
    o.extend_from_slice(&content[copied..]);
    Some(o)
}

/// The Type0 font of a face, and its `ToUnicode` map, program and descriptor,
/// numbered `ids`; laid out as printpdf lays out an external font.
fn type0(face: &Face, ids: [ObjectId; 3]) -> Result<(Dictionary, [Object; 3])> {
    let program = &face.subset.font;
    let name = format!("F{}", face.index);
    let table = |tag: &[u8; 4]| subset::table(program, *tag);
    let (head, hhea, hmtx) = (table(b"head")?, table(b"hhea")?, table(b"hmtx")?);
    let upem = f64::from(be16(head, 18)?);
    let ascent = i64::from(be16(hhea, 4)? as i16);
    let descent = i64::from(be16(hhea, 6)? as i16);
    let long_metrics = usize::from(be16(hhea, 34)?).max(1);
    // Glyphs past the last long metric share its advance.
    let advance = |gid: u16| be16(hmtx, 4 * usize::from(gid).min(long_metrics - 1));

    // printpdf truncates a width scaled to 1000 units an em.
    let scaled = |units: u16| (f64::from(units) * 1000.0 / upem) as i64;
    // Glyph -> character: where characters share a glyph, the last one, as in
    // printpdf's map; glyph 0 (.notdef) maps to U+0000 and is given 1000 font units.
    let mut by_glyph: BTreeMap<u16, (u32, i64)> = BTreeMap::new();
    by_glyph.insert(0, (0, scaled(1000)));
    for &(c, g) in &face.subset.glyphs {
        if g != 0 {
            by_glyph.insert(g, (c, scaled(advance(g)?)));
        }
    }

    let [to_unicode_id, program_id, descriptor_id] = ids;
    let mut to_unicode = Stream::new(Dictionary::new(), to_unicode(&name, &by_glyph).into_bytes());
    // As printpdf's save does (at the best level; `finish` deflates only what is
    // left plain).
    to_unicode.compress().context("compressing ToUnicode")?;
    let program = Stream::new(
        Dictionary::from_iter(vec![("Length1", Object::Integer(i64::try_from(program.len())?))]),
        program.clone(),
    );
    // ItalicAngle, Flags and FontBBox are printpdf's placeholders, as `finish`
    // expects to find them (it sets them from the font).
    let descriptor = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", Object::Name(name.clone().into_bytes())),
        ("Ascent", Object::Integer(ascent)),
        ("Descent", Object::Integer(descent)),
        ("CapHeight", Object::Integer(ascent)),
        ("ItalicAngle", Object::Integer(0)),
        ("Flags", Object::Integer(32)),
        ("StemV", Object::Integer(80)),
        ("FontFile2", Object::Reference(program_id)),
        ("FontBBox", Object::Array(vec![Object::Integer(0); 4])),
    ]);
    let descendant = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"CIDFontType2".to_vec())),
        ("BaseFont", Object::Name(name.clone().into_bytes())),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter(vec![
                (
                    "Registry",
                    Object::String(b"Adobe".to_vec(), StringFormat::Literal),
                ),
                (
                    "Ordering",
                    Object::String(b"Identity".to_vec(), StringFormat::Literal),
                ),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("W", Object::Array(widths(&by_glyph))),
        ("DW", Object::Integer(1000)),
        ("FontDescriptor", Object::Reference(descriptor_id)),
    ]);
    let font = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", Object::Name(name.into_bytes())),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Dictionary(descendant)]),
        ),
        ("ToUnicode", Object::Reference(to_unicode_id)),
    ]);
    Ok((
        font,
        [
            Object::Stream(to_unicode),
            Object::Stream(program),
            Object::Dictionary(descriptor),
        ],
    ))
}

/// `/W`: each run of consecutive glyphs as its first glyph and an array of widths.
fn widths(by_glyph: &BTreeMap<u16, (u32, i64)>) -> Vec<Object> {
    let mut out = Vec::new();
    let mut run: Option<(u16, Vec<Object>)> = None;
    for (&g, &(_, w)) in by_glyph {
        match &mut run {
            Some((first, ws)) if usize::from(*first) + ws.len() == usize::from(g) => {
                ws.push(Object::Integer(w));
            }
            _ => {
                if let Some((first, ws)) = run.take() {
                    out.extend([Object::Integer(i64::from(first)), Object::Array(ws)]);
                }
                run = Some((g, vec![Object::Integer(w)]));
            }
        }
    }
    if let Some((first, ws)) = run {
        out.extend([Object::Integer(i64::from(first)), Object::Array(ws)]);
    }
    out
}

/// The `ToUnicode` `CMap`, in printpdf's words: `bfchar` blocks of at most 100
/// glyphs that share their high byte.
fn to_unicode(name: &str, by_glyph: &BTreeMap<u16, (u32, i64)>) -> String {
    let mut s = format!(
        "/CIDInit /ProcSet findresource begin\n\n12 dict begin\n\nbegincmap\n\n\
         %!PS-Adobe-3.0 Resource-CMap\n%%DocumentNeededResources: procset CIDInit\n\
         %%IncludeResource: procset CIDInit\n\n/CIDSystemInfo 3 dict dup begin\n    \
         /Registry (FontSpecific) def\n    /Ordering ({name}) def\n    /Supplement 0 def\n\
         end def\n\n/CMapName /FontSpecific-{name} def\n/CMapVersion 1 def\n/CMapType 2 def\n\
         /WMode 0 def\n\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    );
    let glyphs: Vec<(u16, u32)> = by_glyph.iter().map(|(&g, &(c, _))| (g, c)).collect();
    for block in glyphs
        .chunk_by(|a, b| a.0 >> 8 == b.0 >> 8)
        .flat_map(|b| b.chunks(100))
    {
        let _ = write!(s, "{} beginbfchar\r\n", block.len());
        for &(g, c) in block {
            let _ = write!(s, "<{g:04x}> <");
            // UTF-16BE: a character past the BMP as its surrogate pair.
            for unit in char::from_u32(c).unwrap_or('\u{FFFD}').encode_utf16(&mut [0; 2]) {
                let _ = write!(s, "{unit:04x}");
            }
            s.push_str(">\n");
        }
        s.push_str("endbfchar\r\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::finish::{finish, PdfMeta};
    use crate::render::pdf;
    use crate::template::Template;

    #[test]
    fn the_same_file_as_printpdf_embedding_the_fonts() -> Result<()> {
        let meta = PdfMeta {
            title: "Памятка".into(),
            author: "Отдел".into(),
            subject: "Summit".into(),
            keywords: vec!["CSTO".into()],
            date: None,
            lang: "en".into(),
        };
        let template = Template::default_template()?;
        for points in [1, 30] {
            let doc = pdf::sample(points);
            let chars = pdf::face_chars(&doc, &template);
            let ours = pdf::layout_with(&doc, &template, &chars)?;
            assert_eq!(ours.faces.len(), 3, "regular, bold and italic are drawn in");
            let printpdfs = pdf::layout_embedded_by_printpdf(&doc, &template, &chars)?;
            assert!(printpdfs.faces.is_empty());
            let a = finish(&ours.bytes, &ours.faces, &meta, &ours.record)?;
            let b = finish(&printpdfs.bytes, &printpdfs.faces, &meta, &printpdfs.record)?;
            // In a release build the files are the same bytes; printpdf leaves
            // `ToUnicode` uncompressed in a debug one, so compare what they say.
            let (a, b) = (objects(&a)?, objects(&b)?);
            assert_eq!(a.len(), b.len(), "{points} points: objects");
            for (x, y) in a.iter().zip(&b) {
                assert!(x == y, "{points} points: {x:.300} against printpdf's {y:.300}");
            }
        }
        Ok(())
    }

    /// Each object of a PDF, numbered, streams decompressed; not the
    /// cross-reference stream, whose offsets follow the compressed lengths.
    fn objects(pdf: &[u8]) -> Result<Vec<String>> {
        let doc = Document::load_mem(pdf)?;
        doc.objects
            .iter()
            .filter(|(_, o)| !o.as_stream().is_ok_and(|s| s.dict.type_is(b"XRef")))
            .map(|(id, o)| {
                Ok(match o {
                    Object::Stream(s) => {
                        let mut dict = s.dict.clone();
                        dict.remove(b"Filter");
                        dict.remove(b"Length");
                        let content = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
                        format!("{id:?} {dict:?} {}", String::from_utf8_lossy(&content))
                    }
                    o => format!("{id:?} {o:?}"),
                })
            })
            .collect()
    }

    #[test]
    fn names_are_renamed_whole() {
        let renames: Vec<(&[u8], Vec<u8>)> = vec![
            (b"Helvetica-Bold", b"F1".to_vec()),
            (b"Helvetica", b"F0".to_vec()),
        ];
        let content = b"BT\n/Helvetica-Bold 9.00 Tf\n[<0001>] TJ\n/Helvetica 10 Tf/Helvetica-BoldOblique 8 Tf\n/Helvetica";
        let out = rename_names(content, &renames).unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&out),
            "BT\n/F1 9.00 Tf\n[<0001>] TJ\n/F0 10 Tf/Helvetica-BoldOblique 8 Tf\n/F0"
        );
        assert!(rename_names(b"/Helvetica-Oblique 9 Tf", &renames).is_none());
    }

    #[test]
    fn to_unicode_writes_characters_past_the_bmp_as_surrogate_pairs() {
        let map = BTreeMap::from([(0, (0, 488)), (1, (0x41, 600)), (2, (0x1D400, 700))]);
        let cmap = to_unicode("F0", &map);
        assert!(
            cmap.contains("3 beginbfchar\r\n<0000> <0000>\n<0001> <0041>\n<0002> <d835dc00>\nendbfchar"),
            "{cmap}"
        );
        let map = BTreeMap::from([(0, (0, 488)), (1, (0x41, 600)), (3, (0x43, 700))]);
        assert_eq!(format!("{:?}", widths(&map)), "[0, [488 600], 3, [700]]");
    }

    #[test]
    fn blocks_of_at_most_100_glyphs_sharing_their_high_byte() {
        let map: BTreeMap<u16, (u32, i64)> = (0..300u16).map(|g| (g, (u32::from(g) + 0x400, 500))).collect();
        let cmap = to_unicode("F0", &map);
        let blocks: Vec<&str> = cmap.lines().filter(|l| l.ends_with("beginbfchar")).collect();
        // 0x000-0x0FF: 100 + 100 + 56; 0x100-0x12B: 44.
        assert_eq!(
            blocks,
            [
                "100 beginbfchar",
                "100 beginbfchar",
                "56 beginbfchar",
                "44 beginbfchar"
            ]
        );
    }
}
