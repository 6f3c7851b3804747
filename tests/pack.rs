//! Packs: loading against the library, errors that point at the line, saving.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use briefpack::pack::{self, MemoStatus};

#[test]
fn unknown_ids_are_errors_naming_id_and_line() {
    let lib = common::library();
    let text = common::PACK.replace(
        "points = [\"defend-afghan\", \"youth-camps\", \"channel-permanent\"]",
        "points = [\"defend-afghan\",\n  \"no-such-point\"]",
    );
    let e = pack::parse(&text, "brief.toml", &lib).unwrap_err().to_string();
    assert_eq!(e, "brief.toml:25:3: error: unknown point id `no-such-point`");
    let text = common::PACK.replace(
        "threats = [\"extremism\", \"drugs\"]",
        "threats = [\"nope\", \"drugs\", \"nada\"]",
    );
    let e = pack::parse(&text, "brief.toml", &lib).unwrap_err().to_string();
    assert!(
        e.contains("brief.toml:22:12: error: unknown threat id `nope`"),
        "{e}"
    );
    assert!(e.contains("unknown threat id `nada`"), "both are reported: {e}");
}

#[test]
fn retired_and_duplicate_picks_are_warned_about() {
    let lib = common::library();
    let text = common::PACK.replace(
        "points = [\"defend-afghan\", \"youth-camps\", \"channel-permanent\"]",
        "points = [\"old-line\", \"youth-camps\", \"youth-camps\"]",
    );
    let opened = pack::parse(&text, "brief.toml", &lib).unwrap();
    assert_eq!(opened.pack.selection.points, ["old-line", "youth-camps"]);
    let w: Vec<String> = opened.warnings.iter().map(ToString::to_string).collect();
    assert!(w.iter().any(|w| w.contains("`old-line` is retired")), "{w:?}");
    assert!(w.iter().any(|w| w.contains("selected twice")), "{w:?}");
}

#[test]
fn bad_values_point_at_their_place() {
    let lib = common::library();
    for (from, to, want) in [
        ("date = 2011-08-05", "date = 2011-02-30", "brief.toml:12:8:"),
        (
            "status = \"final\"",
            "status = \"done\"",
            "brief.toml:14:10: error: `memo.status` is `done`",
        ),
        (
            "copy = 1",
            "copy = -2",
            "brief.toml:16:8: error: `memo.copy` must be a positive number",
        ),
        (
            "place = \"Astana\"",
            "place = 3",
            "brief.toml:6:9: error: invalid type",
        ),
        ("[selection]", "[selektion]", "brief.toml:21:"),
    ] {
        let text = common::PACK.replace(from, to);
        let e = pack::parse(&text, "brief.toml", &lib).unwrap_err().to_string();
        assert!(e.starts_with(want), "{from} -> {to}: {e}");
    }
}

#[test]
fn saving_and_loading_round_trips() {
    let lib = common::library();
    let p = common::pack(&lib);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brief.toml");
    p.save(&path).unwrap();
    let back = pack::load(&path, &lib).unwrap();
    assert_eq!(back.pack, p);
    assert!(back.warnings.is_empty());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("date = 2011-08-05"),
        "dates stay TOML dates:\n{text}"
    );
    let order = ["[meeting]", "[memo]", "[selection]"].map(|h| text.find(h).unwrap());
    assert!(order[0] < order[1] && order[1] < order[2], "{text}");
}

#[test]
fn a_half_filled_pack_loads_as_a_draft() {
    let lib = common::library();
    let opened = pack::parse("[meeting]\ntitle = \"Summit\"\n", "new.toml", &lib).unwrap();
    assert_eq!(opened.pack.meeting.title, "Summit");
    assert_eq!(opened.pack.memo.status, MemoStatus::Draft);
    assert!(opened.pack.selection.is_empty());
}
