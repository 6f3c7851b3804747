//! The house style applied to every word of the memo: typographic quotes, quotes
//! never doubled. (Citation marks in order: `Citations::marks`; back-references as
//! ranges: `SourceEntry::lines`.)

use super::{Block, Document, SourceEntry};

/// Straight quotes to typographic ones: an apostrophe or closing single quote
/// after a letter or digit, opening quotes after a space, bracket or dash.
pub fn typographic(s: &str) -> String {
    if !s.contains(['"', '\'']) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev: Option<char> = None;
    for c in s.chars() {
        let opening = prev.is_none_or(|p| p.is_whitespace() || "([{–—-/“‘".contains(p));
        out.push(match (c, opening) {
            ('"', true) => '“',
            ('"', false) => '”',
            ('\'', true) => '‘',
            ('\'', false) => '’',
            _ => c,
        });
        prev = Some(c);
    }
    out
}

/// Text without the pair of quotation marks around it, if it has one, so it
/// can be quoted once. Quotes inside the text are the text's own and stay.
pub(crate) fn unquoted(s: &str) -> &str {
    const QUOTES: [char; 9] = ['"', '\'', '“', '”', '‘', '’', '«', '»', '„'];
    let t = s.trim();
    let mut chars = t.chars();
    let (Some(first), Some(last)) = (chars.next(), chars.next_back()) else {
        return t;
    };
    let inner = chars.as_str();
    if QUOTES.contains(&first) && QUOTES.contains(&last) && !inner.contains(QUOTES) {
        inner.trim()
    } else {
        t
    }
}

/// `s` between `open` and `close`, quoted once: a pair of quotes around it is
/// dropped, and double quotes inside become single ones, as quotes within a
/// quotation are set.
pub(crate) fn quoted(s: &str, open: &str, close: &str) -> String {
    let inner: String = typographic(unquoted(s))
        .chars()
        .map(|c| match c {
            '“' => '‘',
            '”' => '’',
            c => c,
        })
        .collect();
    format!("{open}{inner}{close}")
}

/// Applies `typographic` to every text of the memo.
pub(crate) fn apply(doc: &mut Document) {
    let fix = |s: &mut String| *s = typographic(s);
    let t = &mut doc.title_block;
    fix(&mut t.title);
    fix(&mut t.subtitle);
    for (_, v) in &mut t.fields {
        fix(v);
    }
    t.distribution.iter_mut().for_each(fix);
    fix(&mut doc.meta.title);
    fix(&mut doc.meta.subject);
    for b in &mut doc.blocks {
        match b {
            Block::Heading { text, .. } | Block::Label(text) | Block::Note(text) => fix(text),
            Block::Paragraph(runs) => runs.iter_mut().for_each(|r| fix(&mut r.text)),
            Block::Bullets(items) => items.iter_mut().flatten().for_each(|r| fix(&mut r.text)),
            Block::Field { value, .. } => fix(value),
            Block::Source(SourceEntry { text, cited_by, .. }) => {
                fix(text);
                for c in cited_by.iter_mut() {
                    fix(&mut c.text);
                }
            }
            Block::Point { text, citation, .. } => {
                fix(text);
                fix(&mut citation.text);
            }
            Block::Table { header, rows, .. } => {
                header.iter_mut().chain(rows.iter_mut().flatten()).for_each(fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_quotes_become_typographic() {
        assert_eq!(
            typographic(r#"the "Channel" operation, Kyrgyzstan's south, 'so-called'"#),
            "the “Channel” operation, Kyrgyzstan’s south, ‘so-called’"
        );
        assert_eq!(typographic("no quotes"), "no quotes");
    }

    #[test]
    fn a_quoted_title_is_quoted_once() {
        assert_eq!(unquoted("“Astana statement”"), "Astana statement");
        assert_eq!(unquoted("\"Astana\""), "Astana");
        assert_eq!(
            unquoted("On the “Channel” operation"),
            "On the “Channel” operation"
        );
        // A quote at one end only is not a pair around the text.
        assert_eq!(unquoted("“Channel” was renewed"), "“Channel” was renewed");
        assert_eq!(unquoted("renewed as “Channel”"), "renewed as “Channel”");
    }

    #[test]
    fn quotes_inside_a_quotation_are_single() {
        assert_eq!(
            quoted("Report at the conference \"The state of security\"", "“", "”"),
            "“Report at the conference ‘The state of security’”"
        );
        assert_eq!(quoted("“already quoted”", "“", "”"), "“already quoted”");
    }
}
