//! `compose()`: the memo's structure from a library, a pack and the template.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use briefpack::compose::{compose, runs_text, Block, Document};
use briefpack::pack::MemoStatus;
use briefpack::template::Template;

fn doc() -> Document {
    let lib = common::library();
    compose(&lib, &common::pack(&lib), &Template::default_template().unwrap())
}

fn headings(d: &Document, level: u8) -> Vec<String> {
    d.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level: l, text, .. } if *l == level => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn sections_follow_the_template_and_annexes_come_last() {
    let d = doc();
    let t = Template::default_template().unwrap();
    let got = headings(&d, 1);
    let body: Vec<&str> = t
        .sections
        .iter()
        .filter(|s| !s.kind.is_annex())
        .map(|s| s.heading.as_str())
        .collect();
    for (i, h) in body.iter().enumerate() {
        assert_eq!(got[i], format!("{}. {h}", i + 1));
    }
    // Sources and people annexes are present (states: the fixture has none).
    assert_eq!(
        &got[body.len()..],
        ["Annex A. Sources cited", "Annex B. Pen pictures"]
    );
    assert!(d
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Heading { new_page: true, .. })));
}

#[test]
fn key_messages_come_first_in_the_users_order_with_sources() {
    let d = doc();
    let points: Vec<(usize, String, usize)> = d
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Point {
                number, id, citation, ..
            } => Some((*number, id.clone(), citation.number)),
            _ => None,
        })
        .collect();
    let ids: Vec<&str> = points.iter().map(|p| p.1.as_str()).collect();
    // Key messages grouped by theme (the user's threat order: extremism first), then defensive lines.
    assert_eq!(ids, ["youth-camps", "channel-permanent", "defend-afghan"]);
    assert_eq!(points.iter().map(|p| p.0).collect::<Vec<_>>(), [1, 2, 3]);
    let lvl2 = headings(&d, 2);
    let km = lvl2.iter().position(|h| h == "Key messages").unwrap();
    let dl = lvl2.iter().position(|h| h == "Defensive lines").unwrap();
    assert!(km < dl);
    assert!(headings(&d, 3).contains(&"Religious extremism".to_owned()));
    // Every point carries its source reference with the verbatim excerpt.
    let cite = d.blocks.iter().find_map(|b| match b {
        Block::Point { id, citation, .. } if id == "channel-permanent" => Some(citation.text.clone()),
        _ => None,
    });
    assert!(cite.unwrap().contains("“permanent regional project”"));
}

#[test]
fn sources_are_numbered_in_order_of_first_citation() {
    let d = doc();
    // The first threat in the situation section (extremism) cites the meeting first.
    let annex_start = d
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { text, .. } if text.contains("Sources cited")))
        .unwrap();
    let entries: Vec<String> = d.blocks[annex_start..]
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(r) => Some(runs_text(r)),
            _ => None,
        })
        .take(2)
        .collect();
    assert!(entries[0].starts_with("[1] Dmitry Medvedev"), "{entries:?}");
    assert!(
        entries[1].starts_with("[2] Nikolai Bordyuzha (Secretary General)"),
        "{entries:?}"
    );
    assert!(
        entries[1].contains("Moscow, 18 December 2008 (translated from ru)"),
        "{entries:?}"
    );
    let notes: Vec<String> = d.blocks[annex_start..]
        .iter()
        .filter_map(|b| match b {
            Block::Note(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    assert!(
        notes[0].contains("point 1") && notes[0].contains("Religious extremism"),
        "{notes:?}"
    );
}

#[test]
fn situation_shows_trend_and_operations() {
    let d = doc();
    let text: Vec<String> = d
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(r) => Some(runs_text(r)),
            _ => None,
        })
        .collect();
    assert!(
        text.iter().any(|t| t == "Trend: rising — Seizures grow."),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t == "Related operations: Channel (operation, since 2003)"),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t == "Status of relations: working contacts since 2008"),
        "{text:#?}"
    );
}

#[test]
fn an_empty_pack_still_makes_a_memo_that_says_so() {
    let lib = common::library();
    let t = Template::default_template().unwrap();
    let d = compose(&lib, &briefpack::pack::Pack::default(), &t);
    assert_eq!(headings(&d, 1).len(), 6, "no annexes without content");
    assert!(d
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Note(n) if n == &t.wording.none_selected)));
    assert_eq!(
        d.meta.draft.as_deref(),
        Some(t.wording.draft.as_str()),
        "a new pack is a draft"
    );
    assert!(d.title_block.fields.iter().any(|(_, v)| v == "not given"));
}

#[test]
fn meta_carries_marking_reference_and_keywords() {
    let lib = common::library();
    let pack = common::pack(&lib);
    assert_eq!(pack.memo.status, MemoStatus::Final);
    let d = doc();
    assert_eq!(d.meta.marking, "RESTRICTED");
    assert_eq!(d.meta.draft, None);
    assert_eq!(d.meta.author, "Secretary General");
    assert_eq!(
        d.meta.keywords,
        ["Religious extremism", "Afghan drug trafficking"]
    );
    assert_eq!(d.meta.running_head, "SG/2011/041 · 5 August 2011");
    assert_eq!(d.title_block.copy, "Copy No. 1 of 2");
    // The memo is pure: the same inputs give the same document.
    assert_eq!(d, doc());
}
