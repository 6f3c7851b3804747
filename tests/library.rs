//! Loading and checking the library: every problem found, each at <file:line:col>.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

use briefpack::library::{Kind, Library, PointKind, Status};

const SOURCES: &str = r#"
[[sources]]
id = "src-a"
title = "A report"
author = "N. Bordyuzha"
date = 2008-12-18
kind = "report"
language = "ru"
origin = "CSTO"
file = "000.txt"

[[sources]]
id = "src-b"
title = "An interview"
author = "N. Bordyuzha"
date = "undated"
kind = "interview"
language = "ru"
origin = "Vestnik Kavkaza"
file = "001.txt"
"#;

const THREATS: &str = r#"
[[threats]]
id = "drugs"
title = "Drug trafficking"
summary = "Heroin from Afghanistan."
trend = "rising"
regions = ["Central Asia"]
sources = ["src-a"]
"#;

const PARTNERS: &str = r#"
[[partners]]
id = "unodc"
name = "UN Office on Drugs and Crime"
acronym = "UNODC"
kind = "specialised"
relationship = "working-contacts"
since = "2008"
summary = "Works with us on Channel."
sources = ["src-a"]
"#;

const POINTS: &str = r#"
[[points]]
id = "channel-permanent"
text = "Channel is permanent."
kind = "key-message"
threats = ["drugs"]
partners = ["unodc"]
source = "src-a"
excerpt = "permanent regional project"
status = "approved"
reviewed = 2026-11-22
reviewer = "secretariat"
tags = ["drugs"]
"#;

fn lib_with(points: &str) -> briefpack::library::Checked {
    Library::from_texts(&[
        (Kind::Source, SOURCES),
        (Kind::Threat, THREATS),
        (Kind::Partner, PARTNERS),
        (Kind::Point, points),
    ])
}

fn messages(c: &briefpack::library::Checked) -> Vec<String> {
    c.diagnostics.iter().map(ToString::to_string).collect()
}

#[test]
fn a_clean_library_loads_with_indexes() {
    let c = lib_with(POINTS);
    assert!(c.diagnostics.is_empty(), "{:?}", messages(&c));
    let lib = c.library;
    let p = lib.point("channel-permanent").expect("point indexed by id");
    assert_eq!(p.kind, PointKind::KeyMessage);
    assert_eq!(p.status, Status::Approved);
    assert_eq!(p.at.line, 2);
    assert_eq!(lib.points_of_threat("drugs").count(), 1);
    assert_eq!(
        lib.points_of_partner("unodc")
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>(),
        ["channel-permanent"]
    );
    assert_eq!(lib.partners_of_threat("drugs").len(), 1);
    assert_eq!(
        lib.source("src-b").map(|s| s.date.long()),
        Some("undated".to_owned())
    );
}

#[test]
fn every_problem_is_reported_with_its_place() {
    let broken = POINTS.to_owned()
        + r#"
[[points]]
id = "channel-permanent"
text = "   "
kind = "key message"
threats = ["no-such-threat"]
source = "no-such-source"
excerpt = "x"
status = "approved"
reviewed = "2026-02-30"

[[points]]
id = "Bad Id"
text = "Fine text."
kind = "press-line"
source = "src-a"
excerpt = "y"
status = "draft"

[[points]]
id = "typed-wrong"
text = "Fine text."
kind = "press-line"
source = "src-a"
excerpt = "y"
status = "draft"
tags = [1]
"#;
    let c = lib_with(&broken);
    let m = messages(&c);
    let has = |needle: &str| m.iter().any(|d| d.contains(needle));
    // The second record (lines 15-24): duplicate id, empty text, bad kind, unknown
    // threat and source, impossible date. The third has a bad id, the fourth a wrongly typed tag.
    for needle in [
        "points.toml:16:6: error: duplicate point id `channel-permanent` (first defined at points.toml:3:6)",
        "points.toml:17:8: error: `text` is empty",
        "points.toml:18:8: error: `kind` is `key message`",
        "points.toml:19:12: error: unknown threat id `no-such-threat`",
        "points.toml:20:10: error: unknown source id `no-such-source`",
        "points.toml:23:12: error: `reviewed`: `2026-02-30` is not a day of the calendar",
        "points.toml:26:6: error: point id `Bad Id` is not kebab-case",
    ] {
        assert!(has(needle), "missing {needle:?} in {m:#?}");
    }
    assert!(
        m.iter()
            .any(|d| d.starts_with("points.toml:40:9") && d.contains("integer")),
        "{m:#?}"
    );
}

#[test]
fn semantic_problems_point_at_the_offending_value() {
    let broken = POINTS
        .replace("kind = \"key-message\"", "kind = \"key message\"")
        .replace(
            "threats = [\"drugs\"]",
            "threats = [\"drugs\", \"no-such-threat\"]",
        )
        .replace("source = \"src-a\"", "source = \"nowhere\"")
        .replace("text = \"Channel is permanent.\"", "text = \"\"");
    let c = lib_with(&broken);
    let m = messages(&c);
    let has = |needle: &str| m.iter().any(|d| d.contains(needle));
    assert!(has("points.toml:4:8: error: `text` is empty"), "{m:#?}");
    assert!(
        has("points.toml:5:8: error: `kind` is `key message`; expected one of `key-message`"),
        "{m:#?}"
    );
    // Unknown references are checked even though the record had other errors,
    // each at its value, and the known ones are not reported.
    assert!(
        has("points.toml:6:21: error: unknown threat id `no-such-threat`"),
        "{m:#?}"
    );
    assert!(
        has("points.toml:8:10: error: unknown source id `nowhere`"),
        "{m:#?}"
    );
    assert!(!has("unknown threat id `drugs`"), "{m:#?}");
}

#[test]
fn unknown_references_and_dates() {
    let broken = POINTS
        .replace(
            "threats = [\"drugs\"]",
            "threats = [\"drugs\", \"no-such-threat\"]",
        )
        .replace("source = \"src-a\"", "source = \"nowhere\"")
        .replace("reviewed = 2026-11-22", "reviewed = \"2026-02-30\"");
    let c = lib_with(&broken);
    let m = messages(&c);
    let has = |needle: &str| m.iter().any(|d| d.contains(needle));
    assert!(
        has("points.toml:11:12: error: `reviewed`: `2026-02-30` is not a day of the calendar"),
        "{m:#?}"
    );
    let fixed_date = broken.replace("reviewed = \"2026-02-30\"", "reviewed = 2026-11-22");
    let c = lib_with(&fixed_date);
    let m = messages(&c);
    let has = |needle: &str| m.iter().any(|d| d.contains(needle));
    assert!(
        has("points.toml:6:21: error: unknown threat id `no-such-threat`"),
        "{m:#?}"
    );
    assert!(
        has("points.toml:8:10: error: unknown source id `nowhere`"),
        "{m:#?}"
    );
    // A TOML date that is not a day is a syntax error of the file, still located.
    let c = lib_with(&POINTS.replace("reviewed = 2026-11-22", "reviewed = 2011-02-30"));
    let m = messages(&c);
    assert!(
        m.iter()
            .any(|d| d.starts_with("points.toml:11:") && d.contains("day")),
        "{m:#?}"
    );
}

#[test]
fn syntax_errors_are_all_located_and_never_panic() {
    let c = lib_with("[[points]]\nid = \"a\"\ntext = \"unterminated\n");
    let m = messages(&c);
    assert!(m.iter().any(|d| d.starts_with("points.toml:3:")), "{m:#?}");
    for junk in [
        "",
        "\u{0}",
        "[[points]]\n[[points]]",
        "points = 3",
        "[points]\nid=1",
        "[[points]]\nid=\"x\"\nid=\"y\"",
    ] {
        let c = lib_with(junk);
        // Either fine (empty) or reported; never a panic.
        let _ = messages(&c);
    }
    let c = lib_with("points = 3");
    assert!(
        messages(&c).iter().any(|d| d.contains("array of tables")),
        "{:?}",
        messages(&c)
    );
}

#[test]
fn unknown_fields_are_typos_to_report() {
    let c = lib_with(&POINTS.replace("tags =", "tagz ="));
    assert!(
        messages(&c)
            .iter()
            .any(|d| d.contains("points.toml:13:1") && d.contains("tagz")),
        "{:?}",
        messages(&c)
    );
}

#[test]
fn the_embedded_library_is_valid() {
    let c = Library::load(&briefpack::library::DataSource::Embedded).unwrap();
    assert!(c.diagnostics.is_empty(), "{:#?}", messages(&c));
    assert!(!c.library.sources.is_empty() && !c.library.threats.is_empty());
}
