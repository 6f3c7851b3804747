//! Making text safe to draw: in the terminal, in the plain-text preview and in PDF.
//!
//! Library files and packs are edited by many hands; a talking point may hold a
//! tab, a stray escape sequence or a bidirectional override. None of them may
//! reach a terminal or a page as anything but visible, harmless text.

use std::borrow::Cow;

/// Characters that reorder text invisibly (Trojan-Source style); shown, never obeyed.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// The rule `any_to_clean` applies to bytes, as characters: the reference its test checks it against.
#[cfg(test)]
fn needs_cleaning(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || c == '\u{FEFF}' || c == '\u{2028}' || c == '\u{2029}'
}

/// Whether `needs_cleaning` holds for any character, found from the UTF-8 bytes
/// without decoding them: the filter cleans every label on every keystroke, so
/// this runs over whole libraries.
fn any_to_clean(b: &[u8]) -> bool {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    b.iter().enumerate().any(|(i, &x)| match x {
        0x00..=0x1F | 0x7F => true,
        // U+0080..U+009F, the C1 controls
        0xC2 => matches!(at(i + 1), 0x80..=0x9F),
        // U+061C ARABIC LETTER MARK
        0xD8 => at(i + 1) == 0x9C,
        // U+200E/F, U+2028..U+202E, U+2066..U+2069
        0xE2 => matches!(
            (at(i + 1), at(i + 2)),
            (0x80, 0x8E | 0x8F | 0xA8..=0xAE) | (0x81, 0xA6..=0xA9)
        ),
        // U+FEFF
        0xEF => at(i + 1) == 0xBB && at(i + 2) == 0xBF,
        _ => false,
    })
}

/// One line of text: whitespace controls become spaces, other control characters
/// (escape sequences' ESC included, so they print as inert text) are dropped, and
/// bidirectional controls are made visible as `<U+202E>`.
pub fn line(s: &str) -> Cow<'_, str> {
    if !any_to_clean(s.as_bytes()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push(' '),
            c if is_bidi_control(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c if c.is_control() || c == '\u{FEFF}' => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_never_survive() {
        let hostile = "ok\x1b]52;c;ZXZpbA==\x07 then\x1b[2J wipe\u{9b}31m";
        let clean = line(hostile);
        assert!(!clean.chars().any(char::is_control), "{clean:?}");
        assert!(clean.contains("ok") && clean.contains("wipe"));
    }

    #[test]
    fn the_byte_scan_agrees_with_the_character_rules() {
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let s = c.encode_utf8(&mut buf);
            assert_eq!(
                any_to_clean(s.as_bytes()),
                needs_cleaning(c),
                "U+{:04X}",
                c as u32
            );
            let framed = format!("a{c}b");
            assert_eq!(
                any_to_clean(framed.as_bytes()),
                needs_cleaning(c),
                "U+{:04X} framed",
                c as u32
            );
        }
    }

    #[test]
    fn whitespace_controls_become_spaces_and_bidi_is_visible() {
        assert_eq!(line("a\tb\nc"), "a b c");
        assert_eq!(line("abc\u{202E}def"), "abc<U+202E>def");
        assert!(matches!(line("plain"), Cow::Borrowed(_)));
    }
}
