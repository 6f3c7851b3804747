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

fn needs_cleaning(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || c == '\u{FEFF}' || c == '\u{2028}' || c == '\u{2029}'
}

/// One line of text: whitespace controls become spaces, other control characters
/// (escape sequences' ESC included, so they print as inert text) are dropped, and
/// bidirectional controls are made visible as `<U+202E>`.
pub fn line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_cleaning) {
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
        assert!(!clean.chars().any(|c| c.is_control()), "{clean:?}");
        assert!(clean.contains("ok") && clean.contains("wipe"));
    }

    #[test]
    fn whitespace_controls_become_spaces_and_bidi_is_visible() {
        assert_eq!(line("a\tb\nc"), "a b c");
        assert_eq!(line("abc\u{202E}def"), "abc<U+202E>def");
        assert!(matches!(line("plain"), Cow::Borrowed(_)));
    }
}
