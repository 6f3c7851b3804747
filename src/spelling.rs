//! One spelling convention per memo: the template's (`en-GB` by default) is the
//! one its fixed wording uses, and `check` warns where the library's own words
//! (a point's text, a summary, next steps) spell otherwise. Quotations
//! (excerpts, titles) are the sources' words and are never checked, nor are
//! names and titles, which keep their owners' style (the CSTO's "Secretary
//! General", the SCO's "Secretary-General").

use crate::diag::{Diagnostic, LineCol};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
pub enum Convention {
    #[serde(rename = "en-GB")]
    EnGb,
    #[serde(rename = "en-US")]
    EnUs,
}

impl Convention {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Convention::EnGb => "en-GB",
            Convention::EnUs => "en-US",
        }
    }
}

/// British and American spellings of the words a briefing uses; the
/// convention's form is the first for en-GB, the second for en-US. Only the
/// lower-case forms: capitalised ones are names ("Shanghai Cooperation
/// Organization") and stay as their owners spell them.
const PAIRS: [(&str, &str); 21] = [
    ("organisation", "organization"),
    ("organisations", "organizations"),
    ("organised", "organized"),
    ("organise", "organize"),
    ("defence", "defense"),
    ("centre", "center"),
    ("centres", "centers"),
    ("programme", "program"),
    ("programmes", "programs"),
    ("labour", "labor"),
    ("behaviour", "behavior"),
    ("recognise", "recognize"),
    ("recognised", "recognized"),
    ("stabilise", "stabilize"),
    ("stabilisation", "stabilization"),
    ("militarisation", "militarization"),
    ("neutralise", "neutralize"),
    ("criticise", "criticize"),
    ("realise", "realize"),
    ("favour", "favor"),
    ("analyse", "analyze"),
];

/// Keys whose values are the library's own words (not quotations).
const OWN_WORDS: [&str; 6] = ["text", "summary", "next_steps", "areas", "trend_note", "notes"];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// Warnings, with `file:line:col`, for words of `text` (a library file) spelled
/// against `convention` in the library's own words.
pub(crate) fn check(file: &str, text: &str, convention: Convention) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if !OWN_WORDS.contains(&key.trim()) {
            continue;
        }
        let value_at = start + key.len() + 1;
        for &(gb, us) in &PAIRS {
            let (want, wrong) = match convention {
                Convention::EnGb => (gb, us),
                Convention::EnUs => (us, gb),
            };
            let mut from = 0;
            while let Some(i) = value[from..].find(wrong) {
                let at = from + i;
                from = at + wrong.len();
                let before = value[..at].chars().next_back();
                let after = value[at + wrong.len()..].chars().next();
                if before.is_some_and(is_word_char) || after.is_some_and(char::is_alphanumeric) {
                    continue;
                }
                out.push(Diagnostic::warning(
                    file,
                    Some(LineCol::at(text, value_at + at)),
                    format!(
                        "`{wrong}` is not {} spelling; the memo's wording writes `{want}`",
                        convention.name()
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn american_spellings_in_own_words_are_warned_with_their_place() {
        let text = "[[points]]\nid = \"organization-x\"\ntext = \"The organization's defense center.\"\nexcerpt = \"the organization\"\n";
        let d = check("points.toml", text, Convention::EnGb);
        let shown: Vec<String> = d.iter().map(ToString::to_string).collect();
        assert_eq!(d.len(), 3, "{shown:?}");
        assert!(
            shown[0].starts_with("points.toml:3:13: warning: `organization`"),
            "{shown:?}"
        );
        // The id and the excerpt (a quotation) are not checked.
        assert!(
            shown.iter().all(|s| !s.contains(":2:") && !s.contains(":4:")),
            "{shown:?}"
        );
    }

    #[test]
    fn names_and_titles_keep_their_owners_spelling() {
        // The SCO writes Organization and Secretary-General, the CSTO Secretary
        // General: names and titles are the owners', not the house style's.
        let text = "summary = \"The Shanghai Cooperation Organization met the CSTO Secretary General.\"\n";
        assert!(check("partners.toml", text, Convention::EnGb).is_empty());
        assert_eq!(
            check("p.toml", "text = \"the organisation\"\n", Convention::EnUs).len(),
            1
        );
    }
}
