//! Serialises the finished document with object streams and a cross-reference
//! stream (PDF 1.5+), which lopdf 0.26 cannot write.
//!
//! A tagged memo has an object per structure element, link and outline item:
//! hundreds of small dictionaries that, written one by one with an xref entry
//! each, made the example 40 KB larger (95 KB against 54 KB untagged). Packed
//! into one deflated object stream they cost a few KB. Streams stay top-level
//! objects (PDF 32000-1 §7.5.7 forbids them in object streams); everything else
//! goes in the object stream.
//!
//! The output depends only on the document: objects in id order, no clock.

use anyhow::{bail, Context, Result};
use lopdf::{Dictionary, Document, Object, StringFormat};
use std::io::Write;

/// The serialised file, and where the trailer's `/ID` placeholder starts: the
/// two `ID_LEN`-byte strings, as hex digits, at the two offsets.
pub(super) struct Written {
    pub bytes: Vec<u8>,
    pub id_at: [usize; 2],
}

/// Writes `doc` with `id` (all zeros, to be patched) as its `/ID`.
pub(super) fn save(
    doc: &Document,
    id_len: usize,
    deflate: impl Fn(&[u8]) -> Result<Vec<u8>>,
) -> Result<Written> {
    let max_id = doc.objects.keys().map(|(id, _)| *id).max().unwrap_or(0);
    let objstm_id = max_id + 1;
    let xref_id = max_id + 2;
    let size = xref_id as usize + 1;
    // Per object: (type, field2, field3) of its xref entry.
    let mut entries: Vec<(u8, u64, u16)> = vec![(0, 0, 0); size];
    entries[0] = (0, 0, 0xFFFF);

    let mut out: Vec<u8> = Vec::with_capacity(64 * 1024);
    out.extend_from_slice(format!("%PDF-{}\n%\u{e2}\u{e3}\n", doc.version).as_bytes());

    let mut packed_index: Vec<u8> = Vec::new();
    let mut packed_body: Vec<u8> = Vec::new();
    let mut packed = 0u16;
    // The Info dictionary stays in plain sight: its `/Producer` is how a later
    // build knows the file for briefpack's own (`target::existing`).
    let info = doc.trailer.get(b"Info").and_then(Object::as_reference).ok();
    for (&(id, generation), object) in &doc.objects {
        if let Object::Stream(s) = object {
            if s.dict.type_is(b"ObjStm") || s.dict.type_is(b"XRef") {
                continue;
            }
            entries[id as usize] = (1, out.len() as u64, generation);
            out.extend_from_slice(format!("{id} {generation} obj\n").as_bytes());
            write_stream_parts(&mut out, &s.dict, &s.content)?;
            out.extend_from_slice(b"\nendobj\n");
        } else if info == Some((id, generation)) {
            entries[id as usize] = (1, out.len() as u64, generation);
            out.extend_from_slice(format!("{id} {generation} obj\n").as_bytes());
            write_object(&mut out, object)?;
            out.extend_from_slice(b"\nendobj\n");
        } else {
            if generation != 0 {
                bail!("object {id} {generation}: only generation 0 can go in an object stream");
            }
            entries[id as usize] = (2, u64::from(objstm_id), packed);
            packed = packed
                .checked_add(1)
                .context("too many objects for one object stream")?;
            write!(packed_index, "{id} {} ", packed_body.len())?;
            write_object(&mut packed_body, object)?;
            packed_body.push(b'\n');
        }
    }
    if packed > 0 {
        let first = packed_index.len();
        packed_index.extend_from_slice(&packed_body);
        let z = deflate(&packed_index)?;
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"ObjStm".to_vec()));
        d.set("N", i64::from(packed));
        d.set("First", first as i64);
        d.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        entries[objstm_id as usize] = (1, out.len() as u64, 0);
        out.extend_from_slice(format!("{objstm_id} 0 obj\n").as_bytes());
        write_stream_parts(&mut out, &d, &z)?;
        out.extend_from_slice(b"\nendobj\n");
    }

    let xref_at = out.len();
    entries[xref_id as usize] = (1, xref_at as u64, 0);
    let mut table = Vec::with_capacity(size * 7);
    for (t, a, b) in &entries {
        table.push(*t);
        table.extend_from_slice(&(*a as u32).to_be_bytes());
        table.extend_from_slice(&b.to_be_bytes());
    }
    if out.len() > u32::MAX as usize {
        bail!("the PDF is larger than 4 GB");
    }
    let z = deflate(&table)?;
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"XRef".to_vec()));
    d.set("Size", size as i64);
    d.set("W", Object::Array(vec![1.into(), 4.into(), 2.into()]));
    for key in [&b"Root"[..], b"Info"] {
        if let Ok(v) = doc.trailer.get(key) {
            d.set(key.to_vec(), v.clone());
        }
    }
    d.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    d.set("Length", z.len() as i64);
    out.extend_from_slice(format!("{xref_id} 0 obj\n").as_bytes());
    write_object(&mut out, &Object::Dictionary(d))?;
    // /ID last in the dictionary, written by hand so its offset is known.
    out.pop(); // the dictionary's closing `>>`
    out.pop();
    out.extend_from_slice(b"/ID[<");
    let first = out.len();
    out.resize(out.len() + 2 * id_len, b'0');
    out.extend_from_slice(b"><");
    let second = out.len();
    out.resize(out.len() + 2 * id_len, b'0');
    out.extend_from_slice(b">]>>stream\n");
    out.extend_from_slice(&z);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    Ok(Written {
        bytes: out,
        id_at: [first, second],
    })
}

fn write_stream_parts(out: &mut Vec<u8>, dict: &Dictionary, content: &[u8]) -> Result<()> {
    let mut d = dict.clone();
    d.set("Length", content.len() as i64);
    write_object(out, &Object::Dictionary(d))?;
    out.extend_from_slice(b"stream\n");
    out.extend_from_slice(content);
    out.extend_from_slice(b"\nendstream");
    Ok(())
}

/// Whether a byte ends a token by itself (a delimiter or whitespace).
fn delimits(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    ) || b.is_ascii_whitespace()
        || b == 0
}

/// Writes one object, separating tokens only where the syntax needs it.
fn write_object(out: &mut Vec<u8>, object: &Object) -> Result<()> {
    let sep = |out: &mut Vec<u8>| {
        if out.last().is_some_and(|&b| !delimits(b)) {
            out.push(b' ');
        }
    };
    match object {
        Object::Null => {
            sep(out);
            out.extend_from_slice(b"null");
        }
        Object::Boolean(b) => {
            sep(out);
            out.extend_from_slice(if *b { b"true" } else { b"false" });
        }
        Object::Integer(i) => {
            sep(out);
            decimal(out, i.unsigned_abs(), *i < 0);
        }
        Object::Real(r) => {
            sep(out);
            let s = format!("{r:.4}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            out.extend_from_slice(if s == "-0" || s.is_empty() { "0" } else { s }.as_bytes());
        }
        Object::Name(n) => name(out, n),
        Object::String(s, StringFormat::Literal) => {
            out.push(b'(');
            for &b in s {
                match b {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
        Object::String(s, StringFormat::Hexadecimal) => {
            out.push(b'<');
            for &b in s {
                out.extend_from_slice(&hex(b));
            }
            out.push(b'>');
        }
        Object::Array(a) => {
            out.push(b'[');
            for o in a {
                write_object(out, o)?;
            }
            out.push(b']');
        }
        Object::Dictionary(d) => {
            out.extend_from_slice(b"<<");
            for (k, v) in d {
                name(out, k);
                write_object(out, v)?;
            }
            out.extend_from_slice(b">>");
        }
        Object::Stream(_) => bail!("a stream inside another object"),
        Object::Reference((id, generation)) => {
            sep(out);
            decimal(out, u64::from(*id), false);
            out.push(b' ');
            decimal(out, u64::from(*generation), false);
            out.extend_from_slice(b" R");
        }
    }
    Ok(())
}

// The three writers below are what `write!` with `{}` and `{:02X}` would write;
// `write!` goes through the formatting machinery for each number and byte, and
// a tagged memo has tens of thousands of both.

/// A name, `#`-escaping what may not stand in one.
fn name(out: &mut Vec<u8>, n: &[u8]) {
    out.push(b'/');
    for &b in n {
        if b.is_ascii_graphic() && !delimits(b) && b != b'#' {
            out.push(b);
        } else {
            out.push(b'#');
            out.extend_from_slice(&hex(b));
        }
    }
}

/// A byte as two upper-case hex digits.
fn hex(b: u8) -> [u8; 2] {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]]
}

/// A number in decimal, with a minus sign when `negative`.
fn decimal(out: &mut Vec<u8>, mut n: u64, negative: bool) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if negative {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(o: &Object) -> String {
        let mut out = Vec::new();
        write_object(&mut out, o).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        for i in [
            i64::MIN,
            -1_000_000_007,
            -10,
            -9,
            -1,
            0,
            1,
            9,
            10,
            99,
            100,
            65_535,
            i64::MAX,
        ] {
            assert_eq!(written(&Object::Integer(i)), i.to_string());
        }
        for (id, g) in [(0, 0), (1, 0), (10, 7), (4_294_967_295, 65_535)] {
            assert_eq!(written(&Object::Reference((id, g))), format!("{id} {g} R"));
        }
    }

    #[test]
    fn bytes_are_written_in_upper_case_hex_and_names_escaped() {
        let all: Vec<u8> = (0..=255).collect();
        let expected = all.iter().fold(String::new(), |s, b| s + &format!("{b:02X}"));
        assert_eq!(
            written(&Object::String(all, StringFormat::Hexadecimal)),
            format!("<{expected}>")
        );
        assert_eq!(
            written(&Object::Name(b"A b#(c)/\xC3\xA9".to_vec())),
            "/A#20b#23#28c#29#2F#C3#A9"
        );
        let mut d = Dictionary::new();
        d.set("K y", Object::Integer(-3));
        d.set("R", Object::Reference((12, 0)));
        assert_eq!(written(&Object::Dictionary(d)), "<</K#20y -3/R 12 0 R>>");
    }
}
