//! Text widths exactly as genpdf measures them, from tables filled as the text
//! is measured.
//!
//! genpdf's `Font::str_width` looks every character of every word up in the font's
//! `cmap`, and every pair of neighbours in its `kern` table, through rusttype, each
//! time the word is measured: a seventh of a 400-point memo's build. A memo uses a
//! few hundred characters and glyphs per face, so each character, advance and pair
//! is looked up once here and kept; the sums are made in genpdf's order and types,
//! so every width, and hence every line break, is the one genpdf would compute.

use genpdf::fonts::{Font, FontCache};
use genpdf::style::Style;
use genpdf::Mm;
use rusttype::{GlyphId, Scale};
use std::cell::RefCell;
use std::collections::HashMap;

/// Characters below this are found in a table; the rest in a map. Covers Latin,
/// Greek, Cyrillic and General Punctuation (dashes, quotes).
const TABLE: usize = 0x2070;
/// Faces with at most this many glyphs keep their pairs' kerning in a square
/// table (a subset face has a few hundred); larger ones in a map.
const SQUARE: usize = 512;

/// Widths of text in the faces of one font cache (genpdf's `FontCache`).
#[derive(Default)]
pub(super) struct Measure {
    faces: RefCell<Vec<Face>>,
}

/// What is known of one face.
struct Face {
    font: Font,
    /// genpdf's scale for the face (`genpdf::fonts::Font::new`).
    scale: Scale,
    /// Glyph + 1 of each character below `TABLE` looked up; 0: not yet.
    glyph: Vec<u32>,
    others: HashMap<char, u32>,
    /// Advance width at `scale`, by glyph; NaN: not yet.
    advance: Vec<f32>,
    /// Kerning at `scale` of each pair (first * glyphs + second); NaN: not yet.
    /// Empty until a pair is asked for.
    kern: Vec<f32>,
    kern_map: HashMap<(u32, u32), f32>,
}

impl Face {
    fn new(font: Font, rt: &rusttype::Font<'static>) -> Face {
        // As genpdf does, in the same f32 operations.
        let units_per_em = f32::from(rt.units_per_em());
        let v = rt.v_metrics_unscaled();
        let scale = Scale::uniform((v.ascent - v.descent) / units_per_em);
        Face {
            font,
            scale,
            glyph: Vec::new(),
            others: HashMap::new(),
            advance: vec![f32::NAN; rt.glyph_count()],
            kern: Vec::new(),
            kern_map: HashMap::new(),
        }
    }

    fn glyph(&mut self, rt: &rusttype::Font<'static>, c: char) -> u32 {
        let i = c as usize;
        if i < TABLE {
            if self.glyph.is_empty() {
                self.glyph = vec![0; TABLE];
            }
            match self.glyph[i] {
                0 => {
                    let id = rt.glyph(c).id().0;
                    self.glyph[i] = id.saturating_add(1);
                    id
                }
                g => g - 1,
            }
        } else {
            *self.others.entry(c).or_insert_with(|| rt.glyph(c).id().0)
        }
    }

    fn advance(&mut self, rt: &rusttype::Font<'static>, id: u32) -> f32 {
        let scale = self.scale;
        let known = |a: &f32| !a.is_nan();
        match self.advance.get_mut(id as usize) {
            Some(a) if known(a) => *a,
            Some(a) => {
                *a = rt.glyph(GlyphId(id)).scaled(scale).h_metrics().advance_width;
                *a
            }
            // Not a glyph of the face (cannot happen for an id the face gave).
            None => rt.glyph(GlyphId(id)).scaled(scale).h_metrics().advance_width,
        }
    }

    fn kerning(&mut self, rt: &rusttype::Font<'static>, first: u32, second: u32) -> f32 {
        let n = self.advance.len();
        let (a, b) = (first as usize, second as usize);
        let scale = self.scale;
        let look = || rt.pair_kerning(scale, GlyphId(first), GlyphId(second));
        if n <= SQUARE && a < n && b < n {
            if self.kern.is_empty() {
                self.kern = vec![f32::NAN; n * n];
            }
            let k = &mut self.kern[a * n + b];
            if k.is_nan() {
                *k = look();
            }
            *k
        } else {
            *self.kern_map.entry((first, second)).or_insert_with(look)
        }
    }
}

impl Measure {
    /// The face of `font`, found or added.
    fn with_face<T>(
        &self,
        cache: &FontCache,
        font: Font,
        f: impl FnOnce(&mut Face, &rusttype::Font<'static>) -> T,
    ) -> T {
        let rt = cache.get_rt_font(font);
        let mut faces = self.faces.borrow_mut();
        let i = faces
            .iter()
            .position(|face| face.font == font)
            .unwrap_or_else(|| {
                faces.push(Face::new(font, rt));
                faces.len() - 1
            });
        f(&mut faces[i], rt)
    }

    /// `style.str_width(cache, s)`: the advances of the characters and the
    /// kerning between them, each in millimetres, summed apart and then added.
    pub(super) fn str_width(&self, cache: &FontCache, style: Style, s: &str) -> Mm {
        let size = f32::from(style.font_size());
        let mm = |v: f32| Mm::from(printpdf::Pt(f64::from(v * size)));
        self.with_face(cache, style.font(cache), |face, rt| {
            // A float sum starts from -0.0, so that "" is -0.0 wide to genpdf too.
            let mut width = Mm::from(-0.0);
            let mut kerning = Mm::from(-0.0);
            let mut last = None;
            for c in s.chars() {
                let id = face.glyph(rt, c);
                width += mm(face.advance(rt, id));
                kerning += mm(last.map_or(0.0, |l| face.kerning(rt, l, id)));
                last = Some(id);
            }
            width + kerning
        })
    }

    /// `style.font(cache).char_width(cache, c, style.font_size())`.
    pub(super) fn char_width(&self, cache: &FontCache, style: Style, c: char) -> Mm {
        let size = f32::from(style.font_size());
        self.with_face(cache, style.font(cache), |face, rt| {
            let id = face.glyph(rt, c);
            Mm::from(printpdf::Pt(f64::from(face.advance(rt, id) * size)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use genpdf::fonts::{FontData, FontFamily};

    const TEXT: &str = "The delegation of the Организация Договора о коллективной безопасности \
                        meets in Astana. AVATAR “Tο Wo” — AWAY, LTA Ty; Kyrgyzstan’s 12,5 % \
                        γλώσσα 𝔘 ﬁ \u{FFFD} x";

    /// The serif faces, whole (thousands of glyphs: kerning in a map) or subset
    /// to the text, less a few of its letters (a square table, and characters
    /// the face lacks).
    fn cache(subset: bool) -> FontCache {
        let chars: std::collections::BTreeSet<char> = TEXT.chars().filter(|c| !"zγ".contains(*c)).collect();
        let face = |b: &'static [u8]| {
            let bytes = if subset {
                crate::render::subset::subset(b, &chars).unwrap().font
            } else {
                b.to_vec()
            };
            FontData::new(bytes, None).unwrap()
        };
        FontCache::new(FontFamily {
            regular: face(dejavu::serif::regular()),
            bold: face(dejavu::serif::bold()),
            italic: face(dejavu::serif::italic()),
            bold_italic: face(dejavu::serif::bold_italic()),
        })
    }

    #[test]
    fn widths_are_genpdfs_to_the_bit() {
        for subset in [false, true] {
            widths_match(&cache(subset));
        }
    }

    fn widths_match(cache: &FontCache) {
        let measure = Measure::default();
        let text = TEXT;
        for size in [8, 11, 16] {
            for style in [
                Style::new(),
                Style::new().bold(),
                Style::new().italic(),
                Style::new().bold().italic(),
            ] {
                let style = style.with_font_size(size);
                // Twice: once filling the tables, once reading them.
                for _ in 0..2 {
                    for word in text.split_inclusive(' ').chain([text, "", "AV", "VA"]) {
                        let ours = measure.str_width(cache, style, word);
                        let theirs = style.str_width(cache, word);
                        assert_eq!(
                            f64::from(ours).to_bits(),
                            f64::from(theirs).to_bits(),
                            "{word:?} {style:?}"
                        );
                    }
                    for c in text.chars() {
                        let ours = measure.char_width(cache, style, c);
                        let theirs = style.font(cache).char_width(cache, c, size);
                        assert_eq!(f64::from(ours).to_bits(), f64::from(theirs).to_bits(), "{c:?}");
                    }
                }
            }
        }
        // Kerning is there to be got right: "AV" is narrower than "A" and "V".
        let s = Style::new().with_font_size(11);
        let w = |t| measure.str_width(cache, s, t);
        assert!(w("AV") < w("A") + w("V"));
    }
}
