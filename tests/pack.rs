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

/// A pack selecting `n` ids of each kind, none of them in the library.
fn selecting(threats: usize, partners: usize, points: usize, people: usize) -> String {
    let list = |n: usize, what: &str| {
        let ids: Vec<String> = (0..n).map(|i| format!("\"no-{what}-{i}\"")).collect();
        format!("{what} = [{}]\n", ids.join(", "))
    };
    format!(
        "[selection]\n{}{}{}{}",
        list(threats, "threats"),
        list(partners, "partners"),
        list(points, "points"),
        list(people, "people")
    )
}

#[test]
fn the_selection_limit_counts_every_kind() {
    let lib = common::library();
    let max = pack::MAX_SELECTION;
    // Exactly the limit, spread over the kinds: read on (its ids are then unknown).
    let (t, p, q) = (max / 2, max / 4, max / 4 - 1);
    let e = pack::parse(&selecting(t, p, q, 1), "brief.toml", &lib)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown threat id `no-threats-0`"),
        "{}",
        &e[..200.min(e.len())]
    );
    // One more is refused before anything else, naming the count.
    let e = pack::parse(&selecting(t, p, q, 2), "brief.toml", &lib)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!(
            "brief.toml selects {} items; a brief can hold at most {max}",
            max + 1
        )
    );
}

#[test]
fn twenty_errors_are_shown_and_the_rest_counted() {
    let lib = common::library();
    let e = pack::parse(&selecting(20, 0, 0, 0), "brief.toml", &lib)
        .unwrap_err()
        .to_string();
    assert_eq!(e.lines().count(), 20, "{e}");
    assert!(!e.contains("more errors"), "{e}");
    let e = pack::parse(&selecting(23, 0, 0, 0), "brief.toml", &lib)
        .unwrap_err()
        .to_string();
    assert_eq!(e.lines().count(), 21, "{e}");
    assert!(e.ends_with("brief.toml: and 3 more errors"), "{e}");
}

#[test]
fn copy_zero_is_refused_at_its_place() {
    let lib = common::library();
    let text = common::PACK.replace("copy = 1", "copy = 0");
    let e = pack::parse(&text, "brief.toml", &lib).unwrap_err().to_string();
    assert!(
        e.starts_with("brief.toml:16:8: error: `memo.copy` must be a positive number"),
        "{e}"
    );
}

#[test]
fn every_pickable_kind_toggles_counts_and_reorders() {
    use briefpack::library::Kind;
    let mut s = pack::Pack::new().selection;
    assert!(s.is_empty());
    let kinds = [Kind::Threat, Kind::Partner, Kind::Point, Kind::Person];
    for (n, kind) in kinds.into_iter().enumerate() {
        assert!(!s.contains(kind, "a"));
        assert!(s.toggle(kind, "a"), "{kind:?} is picked");
        assert!(s.toggle(kind, "b"));
        assert!(s.contains(kind, "a") && s.contains(kind, "b"), "{kind:?}");
        assert_eq!(s.ids(kind).unwrap(), &["a", "b"]);
        assert_eq!(s.move_by(kind, "b", -1), Some(0), "{kind:?}");
        assert_eq!(s.ids(kind).unwrap(), &["b", "a"]);
        assert_eq!(s.len(), 2 * (n + 1));
        assert!(!s.is_empty());
    }
    // Unpicking, kind by kind, leaves the other kinds alone.
    for (n, kind) in kinds.into_iter().enumerate() {
        assert!(!s.toggle(kind, "a"), "{kind:?} is unpicked");
        assert!(!s.contains(kind, "a") && s.contains(kind, "b"));
        assert_eq!(s.len(), 8 - (n + 1));
    }
    // Kinds a brief does not pick have no list.
    for kind in [Kind::Source, Kind::State, Kind::Meeting] {
        assert!(s.ids(kind).is_none());
        assert!(!s.toggle(kind, "a"));
        assert!(!s.contains(kind, "a"));
        assert_eq!(s.move_by(kind, "a", 1), None);
    }
}
