//! Reading the one-line lists the review screen's prompts take (tags, links), and
//! checking link ids against the library before anything is written.

use crate::library::{is_kebab_id, Library};

/// Items typed on one line, separated by commas or spaces, blanks dropped.
pub(crate) fn split_list(line: &str) -> Vec<String> {
    line.split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A point's links as the prompt shows them: threats first, then partners.
pub(crate) fn links_line(threats: &[String], partners: &[String]) -> String {
    threats
        .iter()
        .chain(partners)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sorts typed ids into threats and partners by what the library holds. An id that
/// names both can be told apart as `threat:ID` or `partner:ID`. Err: one sentence
/// about the first id that is not a threat or partner of the library.
pub(crate) fn parse_links(line: &str, lib: &Library) -> Result<(Vec<String>, Vec<String>), String> {
    let mut threats = Vec::new();
    let mut partners = Vec::new();
    for item in split_list(line) {
        let (want, id) = match item.split_once(':') {
            Some(("threat" | "t", id)) => (Some(true), id.to_owned()),
            Some(("partner" | "p", id)) => (Some(false), id.to_owned()),
            Some(_) => {
                return Err(format!(
                    "`{item}` is not an id; write `threat:ID` or `partner:ID`, or just the id"
                ))
            }
            None => (None, item),
        };
        if !is_kebab_id(&id) {
            return Err(format!(
                "`{id}` is not an id (lowercase letters, digits and single hyphens)"
            ));
        }
        let (is_threat, is_partner) = (lib.threat(&id).is_some(), lib.partner(&id).is_some());
        let to_threats = match (want, is_threat, is_partner) {
            (Some(true), true, _) | (None, true, false) => true,
            (Some(false), _, true) | (None, false, true) => false,
            (None, true, true) => {
                return Err(format!(
                    "`{id}` names both a threat and a partner; write `threat:{id}` or `partner:{id}`"
                ))
            }
            (Some(true), false, _) => return Err(format!("there is no threat `{id}` in the library")),
            (Some(false), _, false) => return Err(format!("there is no partner `{id}` in the library")),
            (None, false, false) => {
                return Err(format!("`{id}` is neither a threat nor a partner in the library"))
            }
        };
        let list = if to_threats { &mut threats } else { &mut partners };
        if !list.contains(&id) {
            list.push(id);
        }
    }
    Ok((threats, partners))
}

/// The word being typed at the end of a list line, for suggestions.
pub(crate) fn last_word(line: &str) -> &str {
    if line.ends_with([',', ' ']) {
        return "";
    }
    let word = line.rsplit([',', ' ']).next().unwrap_or("");
    word.rsplit(':').next().unwrap_or(word)
}

/// Link ids of the library containing `word`, threats first, for the prompt's hints.
pub(crate) fn suggestions(lib: &Library, word: &str) -> Vec<String> {
    let word = word.to_lowercase();
    lib.threats
        .iter()
        .map(|t| &t.id)
        .chain(lib.partners.iter().map(|p| &p.id))
        .filter(|id| id.contains(&word))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Kind;

    fn lib() -> Library {
        Library::from_texts(&[
            (
                Kind::Source,
                include_str!("../../../tests/fixtures/lib/sources.toml"),
            ),
            (
                Kind::Threat,
                include_str!("../../../tests/fixtures/lib/threats.toml"),
            ),
            (
                Kind::Partner,
                include_str!("../../../tests/fixtures/lib/partners.toml"),
            ),
        ])
        .library
    }

    #[test]
    fn ids_are_sorted_into_threats_and_partners_and_unknown_ones_named() {
        let lib = lib();
        let threat = lib.threats[0].id.clone();
        let partner = lib.partners[0].id.clone();
        let (t, p) = parse_links(&format!("{partner}, {threat} {threat}"), &lib).unwrap();
        assert_eq!((t, p), (vec![threat.clone()], vec![partner.clone()]));
        let e = parse_links(&format!("{threat}, no-such-thing"), &lib).unwrap_err();
        assert_eq!(
            e,
            "`no-such-thing` is neither a threat nor a partner in the library"
        );
        let e = parse_links(&format!("threat:{partner}"), &lib).unwrap_err();
        assert!(e.contains(&format!("no threat `{partner}`")), "{e}");
        assert!(parse_links("Bad Id", &lib).unwrap_err().contains("not an id"));
        assert_eq!(parse_links("  ", &lib).unwrap(), (vec![], vec![]));
    }

    #[test]
    fn the_word_being_typed_drives_the_hints() {
        assert_eq!(last_word("sco, terr"), "terr");
        assert_eq!(last_word("sco, "), "");
        assert_eq!(last_word("partner:un"), "un");
        let lib = lib();
        let first = &lib.threats[0].id;
        assert!(suggestions(&lib, &first[..3]).contains(first));
        assert!(suggestions(&lib, "zzzz-none").is_empty());
    }
}
