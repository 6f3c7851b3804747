//! `compose()`: the memo's structure from a library, a pack and the template.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use briefpack::compose::{compose, runs_text, Block, Document};
use briefpack::library::{Kind, Library};
use briefpack::pack::MemoStatus;
use briefpack::template::Template;
use chrono::NaiveDate;

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

/// The default template grouping talking points by kind instead of by topic.
fn by_kind() -> Template {
    let text = include_str!("../templates/summit-memo.toml")
        .replace("points = \"by-topic\"", "points = \"by-kind\"");
    Template::parse(&text, "by-kind.toml").unwrap()
}

fn points(d: &Document) -> Vec<(usize, String, usize)> {
    d.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Point {
                number, id, citation, ..
            } => Some((*number, id.clone(), citation.number)),
            _ => None,
        })
        .collect()
}

#[test]
fn sections_follow_the_template_and_annexes_come_last() {
    let d = doc();
    let t = Template::default_template().unwrap();
    let got = headings(&d, 1);
    // The summary first, unnumbered; then the numbered sections in the
    // template's order (one left out when empty), numbered without gaps.
    assert_eq!(got[0], "Summary");
    let body: Vec<&str> = t
        .sections
        .iter()
        .filter(|s| !s.kind.is_annex() && s.heading != "Summary")
        .map(|s| s.heading.as_str())
        .collect();
    let numbered: Vec<&String> = got[1..].iter().take_while(|h| !h.starts_with("Annex")).collect();
    let mut from = 0;
    for (i, h) in numbered.iter().enumerate() {
        let (num, title) = h.split_once(' ').unwrap();
        assert_eq!(num, format!("{}.", i + 1), "{got:?}");
        let at = body[from..].iter().position(|b| *b == title).unwrap();
        from += at + 1;
    }
    // Sources and people annexes are present (states: the fixture has none).
    assert_eq!(
        &got[1 + numbered.len()..],
        ["Annex A. Sources cited", "Annex B. Pen pictures"]
    );
    assert!(d
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Heading { new_page: true, .. })));
}

#[test]
fn by_topic_each_threat_holds_its_assessment_then_its_points_by_kind() {
    let d = doc();
    let pos = |pred: &dyn Fn(&Block) -> bool| d.blocks.iter().position(pred).unwrap();
    let extremism =
        pos(&|b| matches!(b, Block::Heading { level: 2, text, .. } if text == "3.1 Religious extremism"));
    let drugs =
        pos(&|b| matches!(b, Block::Heading { level: 2, text, .. } if text == "3.2 Afghan drug trafficking"));
    let youth = pos(&|b| matches!(b, Block::Point { id, .. } if id == "youth-camps"));
    let channel = pos(&|b| matches!(b, Block::Point { id, .. } if id == "channel-permanent"));
    let defend = pos(&|b| matches!(b, Block::Point { id, .. } if id == "defend-afghan"));
    let trend = pos(&|b| matches!(b, Block::Field { label, .. } if label == "Trend"));
    // The assessment (with its trend) comes before the topic's points; key
    // messages before defensive lines; point numbers run through the memo.
    assert!(
        extremism < trend && trend < youth && youth < drugs,
        "{:#?}",
        d.blocks
    );
    assert!(drugs < channel && channel < defend);
    assert_eq!(
        points(&d).iter().map(|p| (p.0, p.1.as_str())).collect::<Vec<_>>(),
        [(1, "youth-camps"), (2, "channel-permanent"), (3, "defend-afghan")]
    );
    let l3 = headings(&d, 3);
    assert!(l3.contains(&"3.1.1 Key messages".to_owned()), "{l3:?}");
    assert!(l3.contains(&"3.2.2 Defensive lines".to_owned()), "{l3:?}");
    // Nothing is left for "Other talking points", so that section is left out.
    assert!(!headings(&d, 1).iter().any(|h| h.contains("Other talking points")));
}

#[test]
fn the_summary_gives_purpose_key_messages_with_pointers_decisions_and_annexes() {
    let d = doc();
    let end = d
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { text, .. } if text.starts_with("1. ")))
        .unwrap();
    let summary = &d.blocks[..end];
    let labels: Vec<&str> = summary
        .iter()
        .filter_map(|b| match b {
            Block::Label(l) => Some(l.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        labels,
        ["Key messages:", "Decisions sought:", "Annexes:"],
        "{summary:#?}"
    );
    let items: Vec<String> = summary
        .iter()
        .filter_map(|b| match b {
            Block::Bullets(items) => Some(items.iter().map(|r| runs_text(r)).collect::<Vec<_>>()),
            _ => None,
        })
        .flatten()
        .collect();
    // Key messages point at their section and number.
    assert!(items.iter().any(|i| i.ends_with("(3.1, point 1)")), "{items:?}");
    assert!(items.iter().any(|i| i.ends_with("(3.2, point 2)")), "{items:?}");
    assert!(items.contains(&"Annex A. Sources cited".to_owned()), "{items:?}");
    // The title names the subject, not the kind of document.
    assert_ne!(d.title_block.title, "Briefing memo");
}

#[test]
fn by_kind_key_messages_come_first_in_the_users_order_with_sources() {
    let lib = common::library();
    let d = compose(&lib, &common::pack(&lib), &by_kind());
    let points = points(&d);
    let ids: Vec<&str> = points.iter().map(|p| p.1.as_str()).collect();
    // Key messages grouped by theme (the user's threat order: extremism first), then defensive lines.
    assert_eq!(ids, ["youth-camps", "channel-permanent", "defend-afghan"]);
    assert_eq!(points.iter().map(|p| p.0).collect::<Vec<_>>(), [1, 2, 3]);
    let lvl2 = headings(&d, 2);
    let km = lvl2.iter().position(|h| h.ends_with(" Key messages")).unwrap();
    let dl = lvl2.iter().position(|h| h.ends_with(" Defensive lines")).unwrap();
    assert!(km < dl);
    assert!(headings(&d, 3)
        .iter()
        .any(|h| h.ends_with(" Religious extremism")));
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
    // Every "[n]" in the body appears first in ascending order, and where an
    // item cites several, they read "[1][2]", never "[2][1]".
    let mut body = String::new();
    for b in &d.blocks {
        match b {
            Block::Paragraph(r) => body.push_str(&runs_text(r)),
            Block::Point { citation, .. } => body.push_str(&format!("[{}]", citation.number)),
            Block::Heading { text, .. } if text.starts_with("Annex") => break,
            _ => {}
        }
        body.push(' ');
    }
    let mut seen: Vec<usize> = Vec::new();
    for part in body.split('[').skip(1) {
        if let Some(n) = part.split(']').next().and_then(|n| n.parse().ok()) {
            if !seen.contains(&n) {
                seen.push(n);
            }
        }
    }
    let sorted: Vec<usize> = (1..=seen.len()).collect();
    assert_eq!(seen, sorted, "{body}");
    assert!(!body.contains("[2][1]"), "{body}");
    let annex_start = d
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { text, .. } if text.contains("Sources cited")))
        .unwrap();
    let entries: Vec<String> = d.blocks[annex_start..]
        .iter()
        .filter_map(|b| match b {
            Block::Source(s) => Some(format!("[{}] {}", s.number, s.text)),
            _ => None,
        })
        .collect();
    let bordyuzha = entries
        .iter()
        .find(|e| e.contains("Nikolai Bordyuzha (Secretary General)"))
        .unwrap();
    assert!(
        bordyuzha.contains("Moscow, 18 December 2008 (translated from ru)"),
        "{entries:?}"
    );
    let cited_by: Vec<&Vec<briefpack::compose::Citer>> = d.blocks[annex_start..]
        .iter()
        .filter_map(|b| match b {
            Block::Source(s) => Some(&s.cited_by),
            _ => None,
        })
        .collect();
    // A talking point is named and numbered (a PDF links back to it); a threat
    // is named only.
    let first = cited_by[0];
    assert!(
        first.iter().any(|c| c.text == "point 1" && c.point == Some(1)),
        "{first:?}"
    );
    assert!(
        first
            .iter()
            .any(|c| c.text == "Religious extremism" && c.point.is_none()),
        "{first:?}"
    );
}

#[test]
fn situation_shows_trend_and_operations() {
    let d = doc();
    let fields: Vec<(String, String)> = d
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Field { label, value } => Some((label.clone(), value.clone())),
            _ => None,
        })
        .collect();
    let has = |l: &str, v: &str| fields.iter().any(|(a, b)| a == l && b == v);
    // The trend without the library's note on it (commentary about the sources).
    assert!(has("Trend", "rising"), "{fields:#?}");
    assert!(
        has("Related operations", "Channel (operation, since 2003)"),
        "{fields:#?}"
    );
    assert!(
        has("Status of relations", "working contacts since 2008"),
        "{fields:#?}"
    );
}

#[test]
fn an_empty_pack_still_makes_a_memo_that_says_so() {
    let lib = common::library();
    let t = Template::default_template().unwrap();
    let d = compose(&lib, &briefpack::pack::Pack::default(), &t);
    assert_eq!(
        headings(&d, 1),
        [
            "Summary",
            "1. Preparatory work done",
            "2. Threats: assessment and lines to take",
            "3. Partner organisations"
        ],
        "no annexes, format or other points without content"
    );
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

#[test]
fn the_format_line_says_the_format_once() {
    let lib = common::library();
    let template = Template::default_template().unwrap();
    let format_of = |kind: &str, format: &str| -> Option<String> {
        let mut pack = common::pack(&lib);
        pack.meeting.kind = kind.to_owned();
        pack.memo.format = format.to_owned();
        compose(&lib, &pack, &template)
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Field { label, value } if label == &template.wording.format => Some(value.clone()),
                _ => None,
            })
    };
    // The memo's own description, which names the kind itself, is not
    // preceded by the kind a second time.
    assert_eq!(
        format_of(
            "working consultations",
            "Working consultations; no documents for adoption."
        )
        .as_deref(),
        Some("Working consultations; no documents for adoption.")
    );
    // The kind stands in when there is no description, as a value starts.
    assert_eq!(
        format_of("informal summit", "").as_deref(),
        Some("Informal summit")
    );
    assert_eq!(format_of("", ""), None);
}

#[test]
fn an_annex_entry_names_its_topics_then_its_points_as_ranges() {
    let entry = |number, text: &str, cited_by| briefpack::compose::SourceEntry {
        number,
        text: text.to_owned(),
        cited_by_label: "Cited by".to_owned(),
        point_words: ["point".to_owned(), "points".to_owned()],
        cited_by,
    };
    let lines = entry(
        2,
        "A report",
        [3, 1, 2, 7, 5, 6, 10]
            .map(|n| briefpack::compose::Citer {
                text: format!("point {n}"),
                point: Some(n),
            })
            .into_iter()
            .chain([briefpack::compose::Citer {
                text: "Afghan drug trafficking".to_owned(),
                point: None,
            }])
            .collect::<Vec<_>>(),
    )
    .lines();
    assert_eq!(lines.mark, "[2] ");
    assert_eq!(lines.text, "A report");
    assert_eq!(lines.by, "Cited by: Afghan drug trafficking; points 1–3, 5–7, 10");
    // Each number written links back: both ends of a range, and a single one.
    let linked: Vec<(usize, &str)> = lines
        .links
        .iter()
        .map(|(n, at)| (*n, &lines.by[at.clone()]))
        .collect();
    assert_eq!(linked, [(1, "1"), (3, "3"), (5, "5"), (7, "7"), (10, "10")]);
    let one = entry(
        1,
        "x",
        vec![briefpack::compose::Citer {
            text: "point 9".to_owned(),
            point: Some(9),
        }],
    )
    .lines();
    assert_eq!(one.by, "Cited by: point 9");
}

/// The blocks of the numbered section headed `heading`, up to the next section.
fn section_blocks<'d>(d: &'d Document, heading: &str) -> Vec<&'d Block> {
    let start = d
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { level: 1, text, .. } if text.ends_with(heading)))
        .unwrap_or_else(|| panic!("no section {heading}"));
    d.blocks[start + 1..]
        .iter()
        .take_while(|b| !matches!(b, Block::Heading { level: 1, .. }))
        .collect()
}

#[test]
fn a_purpose_section_holds_what_the_pack_gives_and_says_so_when_it_gives_nothing() {
    let text = format!(
        "{}\n[[sections]]\nkind = \"purpose\"\nheading = \"Purpose of the meeting\"\n",
        include_str!("../templates/summit-memo.toml")
    );
    let t = Template::parse(&text, "with-purpose.toml").unwrap();
    let lib = common::library();
    let none = t.wording.none_selected.clone();
    let blocks_for = |purpose: &str, format: &str, kind: &str| -> Vec<String> {
        let mut p = common::pack(&lib);
        p.memo.purpose = purpose.into();
        p.memo.format = format.into();
        p.meeting.kind = kind.into();
        let d = compose(&lib, &p, &t);
        section_blocks(&d, "Purpose of the meeting")
            .into_iter()
            .map(|b| match b {
                Block::Paragraph(runs) => format!("paragraph: {}", runs_text(runs)),
                Block::Note(n) => format!("note: {n}"),
                Block::Field { label, value } => format!("field: {label}: {value}"),
                other => format!("{other:?}"),
            })
            .collect()
    };
    // The purpose alone: its paragraph, nothing said to be missing.
    assert_eq!(
        blocks_for("Brief the President.", "", ""),
        ["paragraph: Brief the President."]
    );
    // A format and no purpose: no empty paragraph, no "nothing selected".
    let got = blocks_for("", "Heads of state only.", "");
    assert!(
        !got.iter()
            .any(|b| b.starts_with("paragraph") || b.starts_with("note")),
        "{got:?}"
    );
    assert!(got.iter().any(|b| b.contains("Heads of state only.")), "{got:?}");
    // The meeting's kind alone is something to say too.
    let got = blocks_for("", "", "informal summit");
    assert!(!got.iter().any(|b| b.starts_with("note")), "{got:?}");
    // A purpose and a format: both, and no note.
    let got = blocks_for("Brief the President.", "Heads of state only.", "");
    assert_eq!(got[0], "paragraph: Brief the President.", "{got:?}");
    assert!(!got.iter().any(|b| b.starts_with("note")), "{got:?}");
    // Nothing at all: the section says so.
    assert_eq!(blocks_for("", "", ""), [format!("note: {none}")]);
}

#[test]
fn a_relationship_begun_after_the_memo_is_not_stated() {
    let partners = common::PARTNERS.replace("since = \"2008\"", "since = \"2010-03\"");
    let lib = Library::from_texts(&[
        (Kind::Source, common::SOURCES),
        (Kind::Threat, common::THREATS),
        (Kind::Partner, &partners),
        (Kind::Operation, common::OPERATIONS),
        (Kind::Person, common::PEOPLE),
        (Kind::Point, common::POINTS),
    ])
    .library;
    let t = Template::default_template().unwrap();
    let relation = |memo: &str| -> Vec<String> {
        let mut p = common::pack(&lib);
        p.memo.date = Some(NaiveDate::parse_from_str(memo, "%Y-%m-%d").unwrap());
        compose(&lib, &p, &t)
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Field { label, value } if *label == t.wording.relationship => Some(value.clone()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(relation("2011-08-05"), ["working contacts since March 2010"]);
    // In 2009 the report (2008) already speaks of UNODC, but not of these contacts.
    assert_eq!(relation("2009-06-01"), Vec::<String>::new());
}

#[test]
fn a_partner_shows_its_areas_and_next_steps_only_when_it_has_them() {
    let t = Template::default_template().unwrap();
    let shown = |partners: &str| -> Vec<String> {
        let lib = Library::from_texts(&[
            (Kind::Source, common::SOURCES),
            (Kind::Threat, common::THREATS),
            (Kind::Partner, partners),
            (Kind::Operation, common::OPERATIONS),
            (Kind::Person, common::PEOPLE),
            (Kind::Point, common::POINTS),
        ])
        .library;
        let d = compose(&lib, &common::pack(&lib), &t);
        let section = t.sections.iter().find(|s| s.heading.contains("Partner")).unwrap();
        section_blocks(&d, &section.heading)
            .into_iter()
            .filter_map(|b| match b {
                Block::Field { label, value } if *label == t.wording.areas => Some(format!("areas: {value}")),
                Block::Label(l) => Some(l.clone()),
                Block::Bullets(items) => Some(format!(
                    "bullets: {}",
                    items.iter().map(|i| runs_text(i)).collect::<Vec<_>>().join(" / ")
                )),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        shown(common::PARTNERS),
        [
            "areas: drugs".to_owned(),
            format!("{}:", t.wording.next_steps),
            "bullets: Invite observers to Channel.".to_owned()
        ]
    );
    let bare = common::PARTNERS
        .replace("areas = [\"drugs\"]", "areas = []")
        .replace(
            "next_steps = [\"Invite observers to Channel.\"]",
            "next_steps = []",
        );
    assert_eq!(shown(&bare), Vec::<String>::new());
}
