//! A fast reader for the plain TOML the library's files are written in: `[[table]]`
//! headers, `key = value` lines whose values are one-line strings, arrays of
//! strings, dates and booleans, comments and blank lines.
//!
//! It gives up (`None`) on anything else, and on any record that does not
//! deserialise, and the caller then reads the same text with the full parser,
//! which finds and places every problem. So it never decides what is an error or
//! what an error says; it only has to build, for what it accepts, the values and
//! spans the full parser would build, which the same `toml` deserialiser then
//! turns into records. Tests compare the two on the shipped files and on
//! thousands of damaged copies of them.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
use toml::de::{DeArray, DeValue, Error, ValueDeserializer};
use toml::Spanned;

type Field<'t> = (&'t str, Spanned<DeValue<'t>>);

/// The most keys a record read by this reader may have: far more than any
/// record type has (13 at most).
const MAX_FIELDS: usize = 32;

/// A text's tables as scanned: each header's offset and number of fields, and
/// all the fields in order.
struct Tables<'t> {
    headers: Vec<(usize, usize)>,
    fields: Vec<Field<'t>>,
}

/// Every record of `text`, a file (or a part of one) of `[[table]]` tables,
/// each with the byte offset of its header; `None` when the text is not plain
/// TOML or a record does not deserialise as `R`.
pub(super) fn records<'t, R: Deserialize<'t>>(text: &'t str, table: &str) -> Option<Vec<(usize, R)>> {
    let Tables { headers, fields } = scan(text, table)?;
    let mut fields = fields.into_iter();
    headers
        .into_iter()
        .map(|(header, count)| {
            let record = Record {
                fields: &mut fields,
                left: count,
                value: None,
            };
            R::deserialize(record).ok().map(|r| (header, r))
        })
        .collect()
}

fn scan<'t>(text: &'t str, table: &str) -> Option<Tables<'t>> {
    let mut s = Scanner {
        text,
        b: text.as_bytes(),
        i: 0,
    };
    let mut headers: Vec<(usize, usize)> = Vec::new();
    let mut fields: Vec<Field<'t>> = Vec::new();
    let mut first_field = 0;
    loop {
        s.skip_ws();
        let Some(&c) = s.b.get(s.i) else { break };
        match c {
            b'\n' | b'\r' | b'#' => {}
            b'[' => {
                let header = s.i;
                let rest = &s.b[s.i..];
                let ok = rest.starts_with(b"[[")
                    && rest[2..].starts_with(table.as_bytes())
                    && rest[2 + table.len()..].starts_with(b"]]");
                if !ok {
                    return None;
                }
                s.i += table.len() + 4;
                headers.push((header, 0));
                first_field = fields.len();
            }
            _ => {
                let key = s.key()?;
                let (_, count) = headers.last_mut()?;
                // More keys than any record has are left to the full parser,
                // which keeps this check from growing with the square of them.
                if *count == MAX_FIELDS || fields[first_field..].iter().any(|(k, _)| *k == key) {
                    return None;
                }
                s.skip_ws();
                s.eat(b'=')?;
                s.skip_ws();
                let value = s.value()?;
                fields.push((key, value));
                *count += 1;
            }
        }
        s.end_of_line()?;
    }
    Some(Tables { headers, fields })
}

struct Scanner<'t> {
    text: &'t str,
    b: &'t [u8],
    i: usize,
}

impl<'t> Scanner<'t> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    /// Past an optional comment and the line's end (or the end of the text).
    fn end_of_line(&mut self) -> Option<()> {
        self.skip_ws();
        if self.peek() == Some(b'#') {
            // Control characters other than tab are not allowed in a comment.
            while let Some(c) = self.peek().filter(|&c| c != b'\n' && c != b'\r') {
                if (c < 0x20 && c != b'\t') || c == 0x7f {
                    return None;
                }
                self.i += 1;
            }
        }
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.i += 1;
                Some(())
            }
            Some(b'\r') if self.b.get(self.i + 1) == Some(&b'\n') => {
                self.i += 2;
                Some(())
            }
            Some(_) => None,
        }
    }

    /// A bare key; quoted and dotted keys are left to the full parser.
    fn key(&mut self) -> Option<&'t str> {
        let start = self.i;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'-') {
            self.i += 1;
        }
        (self.i > start).then(|| &self.text[start..self.i])
    }

    fn value(&mut self) -> Option<Spanned<DeValue<'t>>> {
        let start = self.i;
        let value = match self.peek()? {
            b'"' | b'\'' => return self.string(),
            b'[' => {
                self.i += 1;
                let mut items = DeArray::new();
                self.skip_ws();
                if self.eat(b']').is_none() {
                    loop {
                        items.push(self.string()?);
                        self.skip_ws();
                        if self.eat(b']').is_some() {
                            break;
                        }
                        self.eat(b',')?;
                        self.skip_ws();
                        if self.eat(b']').is_some() {
                            break;
                        }
                    }
                }
                DeValue::Array(items)
            }
            b't' | b'f' => {
                let word = if self.b[start..].starts_with(b"true") {
                    "true"
                } else if self.b[start..].starts_with(b"false") {
                    "false"
                } else {
                    return None;
                };
                self.i += word.len();
                DeValue::Boolean(word == "true")
            }
            b'0'..=b'9' => {
                self.i += 10;
                DeValue::Datetime(local_date(self.text.get(start..self.i)?)?)
            }
            _ => return None,
        };
        // What follows (`T10:00` after a date, `2` after `true`) is the caller's
        // to refuse: only the line's end may follow a value.
        Some(Spanned::new(start..self.i, value))
    }

    /// A one-line basic or literal string; multi-line ones are left to the full parser.
    fn string(&mut self) -> Option<Spanned<DeValue<'t>>> {
        let start = self.i;
        let quote = self.peek()?;
        if !matches!(quote, b'"' | b'\'') || self.b[start..].starts_with(&[quote; 3]) {
            return None;
        }
        self.i += 1;
        let mut owned: Option<String> = None;
        let mut run = self.i;
        loop {
            self.skip_ordinary(quote);
            let c = self.peek()?;
            if c == quote {
                break;
            }
            if (c < 0x20 && c != b'\t') || c == 0x7f {
                return None;
            }
            if c == b'\\' && quote == b'"' {
                let out = owned.get_or_insert_with(String::new);
                out.push_str(&self.text[run..self.i]);
                out.push(self.escape()?);
                run = self.i;
            } else {
                self.i += 1;
            }
        }
        let text = match owned {
            Some(mut out) => {
                out.push_str(&self.text[run..self.i]);
                Cow::Owned(out)
            }
            None => Cow::Borrowed(&self.text[run..self.i]),
        };
        self.i += 1;
        Some(Spanned::new(start..self.i, DeValue::String(text)))
    }

    /// Past the characters of a string that need no look (strings are most of a
    /// library's bytes): up to the next quote or backslash, found with SIMD, unless
    /// a control character comes first.
    fn skip_ordinary(&mut self, quote: u8) {
        let rest = self.b.get(self.i..).unwrap_or_default();
        let end = memchr::memchr2(quote, b'\\', rest).unwrap_or(rest.len());
        let run = rest.get(..end).unwrap_or_default();
        let control = |c: u8| c < 0x20 || c == 0x7f;
        // `|`, not `any`, so that the common case (none) is vectorised.
        let stop = if run.iter().fold(false, |any, &c| any | control(c)) {
            run.iter().position(|&c| control(c)).unwrap_or(end)
        } else {
            end
        };
        self.i += stop;
    }

    /// The character an escape stands for, the scanner moved past it; only
    /// TOML 1.0's escapes.
    fn escape(&mut self) -> Option<char> {
        let c = *self.b.get(self.i + 1)?;
        self.i += 2;
        let hex = |s: &mut Self, n: usize| -> Option<char> {
            let digits = s.text.get(s.i..s.i + n)?;
            if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            s.i += n;
            char::from_u32(u32::from_str_radix(digits, 16).ok()?)
        };
        Some(match c {
            b'b' => '\u{8}',
            b't' => '\t',
            b'n' => '\n',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'"' => '"',
            b'\\' => '\\',
            b'u' => hex(self, 4)?,
            b'U' => hex(self, 8)?,
            _ => return None,
        })
    }
}

/// `YYYY-MM-DD` as TOML's local date, parsed as the full parser parses it.
fn local_date(s: &str) -> Option<toml::value::Datetime> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)) {
        return None;
    }
    let dt: toml::value::Datetime = s.parse().ok()?;
    (dt.date.is_some() && dt.time.is_none() && dt.offset.is_none()).then_some(dt)
}

/// One record's fields, handed to serde as a map; each value goes through the
/// `toml` deserialiser itself, so strings, dates and spans come out as the full
/// parser's would.
struct Record<'a, 't> {
    fields: &'a mut std::vec::IntoIter<Field<'t>>,
    left: usize,
    value: Option<Spanned<DeValue<'t>>>,
}

impl<'de> Deserializer<'de> for Record<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'t> MapAccess<'t> for Record<'_, 't> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'t>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        let Some((key, value)) = self.fields.next() else {
            return Ok(None);
        };
        self.left -= 1;
        self.value = Some(value);
        seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'t>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(ValueDeserializer::from(v)),
            None => Err(serde::de::Error::custom("value without a key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

#[cfg(test)]
mod tests {
    use crate::library::load::{plain_and_full, rendered, Reader};
    use crate::library::model::Kind;
    use crate::library::EMBEDDED as SHIPPED;

    fn same(kind: Kind, text: &str) {
        let (fast, full) = plain_and_full(kind, text);
        assert!(fast == full, "{text:?}\nplain first:\n{fast}\nfull:\n{full}");
    }

    #[test]
    fn the_shipped_files_are_plain_and_read_as_the_full_parser_reads_them() {
        for (kind, text) in SHIPPED {
            // Dated assessments are sub-tables (`[[threats.assessments]]`), which
            // this reader leaves to the full parser; those files are few and small,
            // and the large ones (points above all) have none.
            if text.contains(&format!("[[{}.", kind.plural())) {
                assert!(super::scan(text, kind.plural()).is_none(), "{kind:?}");
                same(kind, text);
                continue;
            }
            let plain = rendered(Reader::PlainOnly, kind, text);
            assert_eq!(plain, rendered(Reader::Full, kind, text), "{kind:?}");
            assert!(!plain.contains("gave up"), "{kind:?}");
        }
    }

    /// Small texts at the edges of what the fast reader takes.
    #[test]
    fn edge_cases_read_as_the_full_parser_reads_them() {
        let point = |body: &str| {
            format!(
                "[[points]]\nid = \"a\"\ntext = \"T.\"\nkind = \"background\"\nsource = \"s\"\nexcerpt = \"x\"\nstatus = \"draft\"\n{body}"
            )
        };
        let bodies = [
            "",
            "tags = []\n",
            "tags = [ ]\n",
            "tags = [\"a\",]\n",
            "tags = [\"a\" , 'b' ]\n",
            "tags = [,]\n",
            "tags = [\"a\",,]\n",
            "tags = [\"a\"\n]\n",
            "tags = [[\"a\"]]\n",
            "tags = [\"a\"] # c\n",
            "tags = [\"a\"]# c\n",
            "tags=[\"a\"]\n",
            "\ttags\t=\t[\"a\"]\t\n",
            "reviewed = 2026-11-24\n",
            "reviewed = 2026-11-24 # c\n",
            "reviewed = 2026-02-30\n",
            "reviewed = 2026-13-01\n",
            "reviewed = 2026-11-24T10:00:00\n",
            "reviewed = 2026-11-24 10:00:00\n",
            "reviewed = 2026-11-24Z\n",
            "reviewed = 2026-1-24\n",
            "reviewed = 20261124\n",
            "reviewed = 2026\n",
            "reviewed = \"2026-11-24\"\n",
            "reviewed = 0000-01-01\n",
            "reviewed = 2024-02-29\n",
            "reviewed = 2023-02-29\n",
            "owner = \"\"\n",
            "owner = ''\n",
            "owner = \"\"\"x\"\"\"\n",
            "owner = '''x'''\n",
            "owner = \"a\\\"b\\\\c\\n\\t\\r\\b\\f\"\n",
            "owner = \"\\u00e9\\U0001F600\"\n",
            "owner = \"\\ud800\"\n",
            "owner = \"\\U00110000\"\n",
            "owner = \"\\u00e\"\n",
            "owner = \"\\e\"\n",
            "owner = \"\\x41\"\n",
            "owner = \"\\ \"\n",
            "owner = \"a\\\n",
            "owner = 'a\\b'\n",
            "owner = \"tab\there\"\n",
            "owner = \"bell\u{7}\"\n",
            "owner = \"del\u{7f}\"\n",
            "owner = \"c1\u{85}\u{9b}\"\n",
            "owner = \"bidi\u{202e}\"\n",
            "owner = \"nul\u{0}\"\n",
            "owner = \"é ОДКБ 😀\"\n",
            "owner = \"unterminated\n",
            "owner = 'unterminated\n",
            "owner = \"x\" y\n",
            "owner = \"x\"\"y\"\n",
            "owner = true\n",
            "owner = 1\n",
            "owner = {a = 1}\n",
            "owner = \n",
            "owner\n",
            "= \"x\"\n",
            "\"owner\" = \"x\"\n",
            "owner.x = \"y\"\n",
            "owner = \"x\"\nowner = \"y\"\n",
            "id = \"b\"\n",
            "tagz = [\"a\"]\n",
            "# comment\n",
            "# comment with \u{7} bell\n",
            "# comment with \u{7f}\n",
            "# comment with tab\t and é\n",
            "\n\n\n",
            "\r\n",
            "tags = [\"a\"]\r\n",
            "tags = [\"a\"]\r",
            "tags = [\"a\"]\rx\n",
            "\u{a0}tags = [\"a\"]\n",
            "\u{feff}\n",
            "[[points]]\n",
            "[[points]]\nid = \"b\"\n",
            "[[ points ]]\n",
            "[points]\n",
            "[[points.x]]\n",
            "[[pointsx]]\n",
            "[[points]] # c\n",
            "[[points]]x\n",
            "[other]\nx = 1\n",
        ];
        for body in bodies {
            same(Kind::Point, &point(body));
            same(Kind::Point, &point(body).replace('\n', "\r\n"));
        }
        for text in [
            "",
            " ",
            "\n",
            "# only a comment",
            "x = 1\n[[points]]\n",
            "\u{feff}[[points]]\nid = \"a\"\n",
            "[[sources]]\nid = \"s\"\n",
        ] {
            same(Kind::Point, text);
        }
        let source = include_str!("../../data/sources.toml");
        for (from, to) in [
            ("translation = true", "translation = false"),
            ("translation = true", "translation = True"),
            ("translation = true", "translation = truee"),
            ("translation = true", "translation = \"true\""),
        ] {
            same(Kind::Source, &source.replacen(from, to, 1));
        }
    }

    #[test]
    fn a_record_with_more_keys_than_any_has_is_left_to_the_full_parser() {
        let keys = |n: usize| {
            (0..n)
                .map(|i| format!("k{i} = \"x\"\n"))
                .collect::<Vec<_>>()
                .concat()
        };
        assert!(super::scan(&format!("[[points]]\n{}", keys(super::MAX_FIELDS)), "points").is_some());
        assert!(super::scan(&format!("[[points]]\n{}", keys(super::MAX_FIELDS + 1)), "points").is_none());
        same(Kind::Point, &format!("[[points]]\n{}", keys(40)));
    }

    /// Damaged copies of the shipped files: whatever the fast reader takes, it
    /// must read as the full parser does.
    #[test]
    fn damaged_files_read_as_the_full_parser_reads_them() {
        const SNIPPETS: &[&str] = &[
            "\"",
            "'",
            "\\",
            "\\u00e9",
            "\\x41",
            "\\e",
            "\\U0001F600",
            "#",
            "[",
            "]",
            "[[points]]\n",
            "=",
            ",",
            "\n",
            "\r\n",
            "\r",
            "\t",
            " ",
            "\u{0}",
            "\u{7f}",
            "\u{1b}",
            "\u{85}",
            "é",
            "\u{feff}",
            "true",
            "2026-02-30",
            "2026-11-24",
            "T10:00:00",
            "1979",
            "{}",
            "\"\"\"",
            "'''",
            ".",
            "\"k\" = ",
            "id = \"z\"\n",
            "tags = [\"t\"]\n",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rand = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        let mut plain = 0;
        let mut cases = 0;
        // Files with sub-tables are never plain; damaging them would only compare
        // the full parser with itself.
        for (kind, text) in SHIPPED
            .into_iter()
            .filter(|(kind, text)| !text.contains(&format!("[[{}.", kind.plural())))
        {
            // The first few tables, so that damage is dense.
            let header = format!("[[{}]]", kind.plural());
            let end = text.match_indices(&header).nth(3).map_or(text.len(), |(i, _)| i);
            let base = &text[..end];
            for _ in 0..300 {
                let mut t = base.to_owned();
                for _ in 0..=rand(3) {
                    let mut at = rand(t.len() + 1);
                    while !t.is_char_boundary(at) {
                        at -= 1;
                    }
                    match rand(3) {
                        0 => t.insert_str(at, SNIPPETS[rand(SNIPPETS.len())]),
                        1 => {
                            let mut end = (at + 1 + rand(3)).min(t.len());
                            while !t.is_char_boundary(end) {
                                end += 1;
                            }
                            t.replace_range(at..end, "");
                        }
                        _ => {
                            let mut end = (at + 1).min(t.len());
                            while !t.is_char_boundary(end) {
                                end += 1;
                            }
                            t.replace_range(at..end, SNIPPETS[rand(SNIPPETS.len())]);
                        }
                    }
                }
                cases += 1;
                if super::scan(&t, kind.plural()).is_some() {
                    plain += 1;
                }
                same(kind, &t);
            }
        }
        // The damage must leave many texts plain, or the test would only ever
        // compare the full parser with itself.
        assert!(plain * 4 > cases, "{plain} of {cases} plain");
    }
}
