//! Time and voice: every line knows when it was said and by whom; a memo is
//! composed as of its own date; lines go stale and are reaffirmed, made
//! background or retired on a copy of the shipped library.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use briefpack::compose::{asof, compose};
use briefpack::library::{age, DataSource, Kind, Library, PartialDate, PointKind, Status};
use briefpack::pack::{self, Pack};
use briefpack::render::{self, Format};
use briefpack::review::{self, Action, Category, PointsStore, Policy, Reason};
use briefpack::template::Template;
use chrono::NaiveDate;
use std::path::Path;
use std::process::Command;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn shipped() -> Library {
    Library::embedded().unwrap()
}

fn example(lib: &Library, name: &str) -> Pack {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name);
    pack::load(&path, lib).unwrap().pack
}

/// The 2011 example's selection, as of another day (its header's own dates and
/// reference, which name 2011, taken out).
fn sochi_as_of(lib: &Library, date: &str) -> Pack {
    let mut p = example(lib, "sochi-2011-informal-summit.toml");
    p.memo.date = Some(day(date));
    p.memo.reference = "SG/041".into();
    p.meeting.date = None;
    p
}

fn text(lib: &Library, pack: &Pack) -> String {
    let t = Template::default_template().unwrap();
    let out = render::render(&compose(lib, pack, &t), &t, Format::Text).unwrap();
    // Words as read, whatever the line breaks.
    String::from_utf8(out.bytes)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Years from `from` on that the text mentions, each once.
fn years_from(text: &str, from: i32) -> Vec<i32> {
    let b = text.as_bytes();
    let mut out: Vec<i32> = (0..b.len().saturating_sub(3))
        .filter(|&i| {
            b[i..i + 4].iter().all(u8::is_ascii_digit)
                && (i == 0 || !b[i - 1].is_ascii_digit())
                && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
        })
        .filter_map(|i| text[i..i + 4].parse().ok())
        .filter(|&y| y >= from && y < 2100)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[test]
fn the_2011_example_builds_without_warnings_and_holds_nothing_later() {
    let lib = shipped();
    let pack = example(&lib, "sochi-2011-informal-summit.toml");
    assert_eq!(asof::warnings(&lib, &pack), Vec::<String>::new());
    let t = text(&lib, &pack);
    assert_eq!(years_from(&t, 2012), Vec::<i32>::new(), "{t}");
    // Medvedev's lines are his, and every point says who said it and when.
    assert!(
        t.contains("Source [1]:") && t.contains("(Dmitry Medvedev, 2011)"),
        "{t}"
    );
    assert!(t.contains("” (Nikolai Bordyuzha, 2008)"), "{t}");
    assert!(!t.contains("Assessment as of") || t.contains("Assessment as of 5 August 2011"));
}

#[test]
fn a_memo_between_the_sources_keeps_what_was_said_by_then_and_says_what_it_left_out() {
    let lib = shipped();
    let pack = sochi_as_of(&lib, "2010-03-01");
    let warnings = asof::warnings(&lib, &pack);
    let left: Vec<String> = asof::omissions(&lib, &pack)
        .into_iter()
        .map(|o| format!("{} {}", o.kind.singular(), o.id))
        .collect();
    // Every selected point from the August 2011 transcript is left out, with one
    // warning each; the 2008 defensive line stays.
    for p in &pack.selection.points {
        let point = lib.point(p).unwrap();
        let later = point.said.after(day("2010-03-01"));
        assert_eq!(left.contains(&format!("point {p}")), later, "{p}");
        if later {
            assert_eq!(
                warnings
                    .iter()
                    .filter(|w| w.starts_with(&format!("point `{p}` left out: said on 5 August 2011")))
                    .count(),
                1,
                "{warnings:#?}"
            );
        }
    }
    assert!(!left.contains(&"point channel-results-since-2003".to_owned()));
    // Threats first assessed in 2011, people first spoken of in 2011, are out too.
    assert!(
        left.contains(&"threat southern-kyrgyzstan".to_owned()),
        "{left:?}"
    );
    assert!(
        left.contains(&"threat north-africa-middle-east".to_owned()),
        "{left:?}"
    );
    assert!(!left.contains(&"person nikolai-bordyuzha".to_owned()), "{left:?}");
    assert_eq!(warnings.len(), left.len(), "no dated line in 2010: {warnings:#?}");

    let t = text(&lib, &pack);
    assert_eq!(years_from(&t, 2011), Vec::<i32>::new(), "{t}");
    // The threats show their 2008 assessment, with its date.
    assert!(
        t.contains("Assessment as of 18 December 2008: Despite the efforts of the international community"),
        "{t}"
    );
    assert!(t.contains("Trend: rising (18 December 2008)"), "{t}");
    assert!(!t.contains("Instability in southern Kyrgyzstan ---"), "{t}");
}

#[test]
fn a_memo_before_every_source_leaves_everything_out_one_warning_each() {
    let lib = shipped();
    let pack = sochi_as_of(&lib, "2006-06-30");
    let s = &pack.selection;
    let selected = s.threats.len() + s.partners.len() + s.points.len() + s.people.len();
    let warnings = asof::warnings(&lib, &pack);
    assert_eq!(warnings.len(), selected, "{warnings:#?}");
    let t = text(&lib, &pack);
    assert_eq!(years_from(&t, 2007), Vec::<i32>::new(), "{t}");
    assert!(t.contains("Nothing selected for this section."), "{t}");
}

#[test]
fn a_memo_just_after_the_2007_session_draws_on_that_session_only() {
    let lib = shipped();
    let mut pack = sochi_as_of(&lib, "2007-11-15");
    pack.selection.threats = vec!["international-terrorism".into(), "afghan-drug-trafficking".into()];
    pack.selection.partners = vec!["osce".into()];
    pack.selection.points = vec![
        "energy-ecology-remit".into(),
        "migration-unified-approaches".into(),
    ];
    pack.selection.people = vec![];
    assert_eq!(asof::warnings(&lib, &pack), Vec::<String>::new());
    let t = text(&lib, &pack);
    // Plans made in 2007 for 2008 are in; nothing said later is.
    assert_eq!(years_from(&t, 2009), Vec::<i32>::new(), "{t}");
    assert!(!t.contains("December 2008"), "{t}");
    assert!(
        t.contains("Assessment as of 6 October 2007: International terrorism remains"),
        "{t}"
    );
    // Kazakhstan's line says whose it is: in its text (background) or in front of it.
    assert!(t.contains("Kazakhstan proposed in 2007"), "{t}");
    assert!(t.contains("Kazakhstan’s position: To be effective"), "{t}");
    assert!(t.contains("(Kazakhstan, 2007)"), "{t}");
}

/// Uzbekistan's row of the member-states annex.
fn uzbekistan_row(doc: &briefpack::compose::Document) -> Vec<String> {
    doc.blocks
        .iter()
        .find_map(|b| match b {
            briefpack::compose::Block::Table { rows, .. } => {
                rows.iter().find(|r| r[0] == "Uzbekistan").cloned()
            }
            _ => None,
        })
        .expect("the member-states annex lists Uzbekistan")
}

#[test]
fn a_memo_dated_today_prints_every_line_with_its_year_and_marks_the_dated_ones() {
    let lib = shipped();
    let pack = example(&lib, "osce-consultations-2026.toml");
    assert_eq!(asof::omissions(&lib, &pack), vec![]);
    let dated: Vec<&str> = asof::dated_lines(&lib, &pack)
        .into_iter()
        .map(|(p, _)| p.id.as_str())
        .collect();
    assert_eq!(
        dated,
        [
            "afghanistan-impact-on-central-asia",
            "drugs-obvious-priority",
            "channel-results-since-2003",
            "nato-not-a-threat",
            "iran-afghan-narcotics"
        ]
    );
    let warnings = asof::warnings(&lib, &pack);
    assert_eq!(
        warnings.len(),
        dated.len(),
        "one warning per dated line: {warnings:#?}"
    );
    assert!(warnings[1].contains("said on 18 December 2008, more than 5 years before the memo"));
    let t = text(&lib, &pack);
    assert!(
        t.contains("(Nikolai Bordyuzha, 2008; dated: said on 18 December 2008, more"),
        "{t}"
    );
    assert!(
        t.contains("Russia’s position: CSTO–OSCE interaction is far from exhausting"),
        "{t}"
    );
    // A line dated by its source's estimated date says so.
    assert!(
        t.contains("(Nikolai Bordyuzha, c. 2013; dated: said in 2013, more"),
        "{t}"
    );
    assert!(t.contains("interview, c. 2013 (translated from ru)"), "{t}");
    // A background line is history: its year, never a dated mark.
    assert!(
        t.contains("permanent regional project CSTO” (Nikolai Bordyuzha, 2008) "),
        "{t}"
    );
    // The latest assessment, with its date.
    assert!(
        t.contains("Assessment as of 2021: Russia said the interaction was far from exhausting"),
        "{t}"
    );
    // A status the sources only imply: a word in its column, the reasoning in the notes.
    let t = Template::default_template().unwrap();
    let row = uzbekistan_row(&compose(&lib, &pack, &t));
    assert_eq!(row[1], "former member (inferred)", "{row:?}");
    assert!(
        row.last().unwrap().contains("An inference, not a source"),
        "{row:?}"
    );
    // Only members and former members: Iran, which the library holds as a
    // non-member for the point that says so, is not a member state's row.
    let states: Vec<String> = compose(&lib, &pack, &t)
        .blocks
        .iter()
        .find_map(|b| match b {
            briefpack::compose::Block::Table { rows, .. } if rows.iter().any(|r| r[0] == "Uzbekistan") => {
                Some(rows.iter().map(|r| r[0].clone()).collect())
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(
        states,
        [
            "Armenia",
            "Belarus",
            "Kazakhstan",
            "Kyrgyzstan",
            "Russia",
            "Tajikistan",
            "Uzbekistan"
        ]
    );
    assert!(lib.states.iter().any(|s| s.name == "Iran"));
    // The 2011 memo cannot know it: the reasoning rests on a later source.
    let row = uzbekistan_row(&compose(&lib, &sochi_as_of(&lib, "2011-08-05"), &t));
    assert_eq!(row[1], "not given", "{row:?}");
    assert!(!row.last().unwrap().contains("inference"), "{row:?}");
    // A longer allowed age: nothing dated.
    let mut lib = lib;
    lib.settings.max_statement_age = 20;
    assert_eq!(asof::dated_lines(&lib, &pack).len(), 0);
}

#[test]
fn the_summary_keeps_whose_each_key_message_is_and_whether_it_is_dated() {
    let lib = shipped();
    let pack = example(&lib, "osce-consultations-2026.toml");
    let t = Template::default_template().unwrap();
    let doc = compose(&lib, &pack, &t);
    let summary: Vec<String> = doc.blocks[..doc.front]
        .iter()
        .filter_map(|b| match b {
            briefpack::compose::Block::Bullets(items) => Some(items),
            _ => None,
        })
        .flatten()
        .map(|runs| runs.iter().map(|r| r.text.as_str()).collect())
        .filter(|line: &String| line.contains(", point "))
        .collect();
    // Cut short, a member state's line still says it is that state's, and a line
    // past its age still says so: as in the body, never as ours or as current.
    assert_eq!(summary.len(), 6, "{summary:#?}");
    assert!(
        summary[0].starts_with("Russia’s position: We want to expand CSTO–OSCE cooperation against terrorism, related extremism and drug… (3.1, point 1)"),
        "{summary:#?}"
    );
    assert!(summary[0].ends_with("(3.1, point 1)"), "{summary:#?}");
    assert!(summary[2].ends_with("(3.2, point 3; dated)"), "{summary:#?}");
    assert!(!summary[2].contains("position"), "{summary:#?}");
    let dated: Vec<&String> = summary.iter().filter(|l| l.ends_with("; dated)")).collect();
    assert_eq!(dated.len(), 2, "{summary:#?}");
    // A memo dated when the lines were said: nothing dated, and the 2011
    // example's own lines are the organisation's.
    let doc = compose(&lib, &example(&lib, "sochi-2011-informal-summit.toml"), &t);
    let text: String = doc.blocks[..doc.front]
        .iter()
        .filter_map(|b| match b {
            briefpack::compose::Block::Bullets(items) => Some(items),
            _ => None,
        })
        .flatten()
        .flatten()
        .map(|r| r.text.as_str())
        .collect();
    assert!(!text.contains("dated") && !text.contains("position"), "{text}");
}

#[test]
fn every_shipped_point_has_a_speaker_the_library_holds_and_a_date_within_its_source() {
    let lib = shipped();
    for p in &lib.points {
        let speaker = lib
            .speaker_of(p)
            .unwrap_or_else(|| panic!("{} has no speaker", p.id));
        let source = lib.source(&p.source).unwrap();
        assert!(!p.said.later_than(&source.date), "{}", p.id);
        assert_ne!(p.said, PartialDate::Undated, "{}", p.id);
        assert_eq!(p.reviewer.as_deref(), Some("checked against source"), "{}", p.id);
        // Who speaks in each seed.
        let expected: &[&str] = match p.source.as_str() {
            "russia-osce-statement-2021" => &["russia"],
            "nazarbayev-csc-dushanbe-2007-10-06" => &["kazakhstan"],
            "kremlin-working-meeting-2011-08-05" => &["nikolai-bordyuzha", "dmitry-medvedev"],
            _ => &["nikolai-bordyuzha"],
        };
        assert!(
            expected.contains(&speaker.id),
            "{} spoken by {}",
            p.id,
            speaker.id
        );
        // A borrowed key message, press or defensive line says whose it is.
        if !speaker.own && p.kind != PointKind::Background {
            let shown = asof::point_text(&lib, p, &Template::default_template().unwrap().wording);
            assert!(speaker.named_in(&shown), "{}: {shown}", p.id);
        }
    }
    // Undated sources carry an honest estimate.
    for s in &lib.sources {
        assert_ne!(s.date, PartialDate::Undated, "{}", s.id);
    }
    let interview = lib.source("bordyuzha-vestnik-kavkaza-interview").unwrap();
    assert!(interview.date_note.as_deref().unwrap().starts_with("An estimate"));
}

#[test]
fn loading_refuses_an_unknown_speaker_and_a_line_said_after_its_source() {
    let point = |extra: &str| {
        format!(
            "[[points]]\nid = \"p\"\ntext = \"T.\"\nkind = \"key-message\"\nsource = \"report\"\nexcerpt = \"x\"\nstatus = \"approved\"\n{extra}"
        )
    };
    let ok = common::with_points(&point("said = \"2008-12\"\n"));
    assert_eq!(ok.errors(), 0, "{:?}", ok.diagnostics);
    assert_eq!(ok.library.point("p").unwrap().said, PartialDate::Month(2008, 12));

    let late = common::with_points(&point("said = \"2009\"\n"));
    let msgs: Vec<String> = late.diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains(":8:8: error: `said` is 2009, after its source `report` (2008-12-18)")),
        "{msgs:#?}"
    );
    let unknown = common::with_points(&point("speaker = \"nobody\"\n"));
    let msgs: Vec<String> = unknown.diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains(":8:11: error: unknown speaker `nobody`")),
        "{msgs:#?}"
    );
}

fn check(data: &Path) -> (bool, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_briefpack"))
        .args(["check", "--data"])
        .arg(data)
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn check_refuses_a_review_in_the_future_and_list_json_shows_speaker_and_said() {
    let (_tmp, data) = common::copy_of_data();
    let (ok, err) = check(&data);
    assert!(ok, "{err}");
    let points = data.join("points.toml");
    let text = std::fs::read_to_string(&points).unwrap();
    std::fs::write(
        &points,
        text.replacen("reviewed = 2026-11-24", "reviewed = 2999-01-01", 1),
    )
    .unwrap();
    let (ok, err) = check(&data);
    assert!(!ok);
    assert!(
        err.contains("is marked reviewed on 2999-01-01, a date in the future"),
        "{err}"
    );

    let o = Command::new(env!("CARGO_BIN_EXE_briefpack"))
        .args(["list", "points", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let p = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "russia-bolsters-csto")
        .unwrap();
    assert_eq!(p["speaker"], "dmitry-medvedev");
    assert_eq!(p["said"], "2011-08-05");
    let p = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "osce-potential-untapped")
        .unwrap();
    assert_eq!(
        (p["speaker"].as_str(), p["said"].as_str()),
        (Some("russia"), Some("2021"))
    );
}

fn dated_ids(lib: &Library, today: &str, policy: Policy) -> Vec<String> {
    review::queue(lib, day(today), policy, None)
        .into_iter()
        .filter(|d| d.has(Category::Dated))
        .map(|d| d.id)
        .collect()
}

fn load(data: &Path) -> Library {
    Library::load(&DataSource::Dir(data.to_path_buf()))
        .unwrap()
        .into_valid()
        .unwrap()
}

#[test]
fn lines_go_stale_after_max_statement_age_and_background_never_does() {
    let (_tmp, data) = common::copy_of_data();
    let lib = load(&data);
    let today = dated_ids(&lib, "2026-12-03", Policy::default());
    assert!(today.contains(&"channel-results-since-2003".to_owned()));
    assert!(
        !today.contains(&"afghan-drugs-channel-permanent".to_owned()),
        "background"
    );
    // Said in 2021: dated only once 2021 is more than five years gone.
    assert!(!today.contains(&"osce-potential-untapped".to_owned()));
    assert!(dated_ids(&lib, "2027-01-01", Policy::default()).contains(&"osce-potential-untapped".to_owned()));
    let due = review::queue(&lib, day("2026-12-03"), Policy::default(), None);
    let reason = due
        .iter()
        .find(|d| d.id == "channel-results-since-2003")
        .unwrap()
        .reasons
        .iter()
        .find(|r| r.category() == Category::Dated)
        .unwrap();
    assert_eq!(
        reason,
        &Reason::Dated {
            last: day("2008-12-18"),
            years: 5,
            when: "said on 18 December 2008".into()
        }
    );
    // Every line the queue calls dated is one the library rule calls dated.
    for id in &today {
        let p = lib.point(id).unwrap();
        assert!(age::dated_since(p, day("2026-12-03"), 5).is_some());
        assert_ne!(p.kind, PointKind::Background);
    }
    // --max-statement-age, then the library's own setting.
    let longer = Policy {
        max_statement_age: Some(20),
        ..Policy::default()
    };
    assert_eq!(dated_ids(&lib, "2026-12-03", longer), Vec::<String>::new());
    std::fs::write(data.join("library.toml"), "max_statement_age = 20\n").unwrap();
    assert_eq!(
        dated_ids(&load(&data), "2026-12-03", Policy::default()),
        Vec::<String>::new()
    );
}

#[test]
fn reaffirm_make_background_and_retire_settle_a_dated_line() {
    let (_tmp, data) = common::copy_of_data();
    let mut store = PointsStore::open(&DataSource::Dir(data.clone())).unwrap();
    let id = "channel-results-since-2003";
    store
        .apply(
            id,
            &Action::Reaffirm {
                reviewer: "anna".into(),
                date: day("2026-12-03"),
            },
        )
        .unwrap();
    let text = std::fs::read_to_string(data.join("points.toml")).unwrap();
    assert!(text.contains(
        "status = \"approved\"\nreaffirmed = 2026-12-03\nreviewed = 2026-12-03\nreviewer = \"anna\""
    ));
    let lib = load(&data);
    let p = lib.point(id).unwrap();
    assert_eq!(p.reaffirmed, Some(day("2026-12-03")));
    assert_eq!(
        p.said,
        PartialDate::Day(day("2008-12-18")),
        "the line's own date stays"
    );
    assert!(!dated_ids(&lib, "2026-12-03", Policy::default()).contains(&id.to_owned()));
    assert!(dated_ids(&lib, "2032-01-01", Policy::default()).contains(&id.to_owned()));

    let id = "drugs-obvious-priority";
    store.apply(id, &Action::MakeBackground).unwrap();
    let lib = load(&data);
    assert_eq!(lib.point(id).unwrap().kind, PointKind::Background);
    assert!(!dated_ids(&lib, "2040-01-01", Policy::default()).contains(&id.to_owned()));

    let id = "nato-not-a-threat";
    store
        .apply(
            id,
            &Action::Retire {
                reason: "said c. 2013; no longer our line".into(),
            },
        )
        .unwrap();
    let lib = load(&data);
    assert_eq!(lib.point(id).unwrap().status, Status::Retired);
    assert!(review::queue(&lib, day("2026-12-03"), Policy::default(), None)
        .iter()
        .all(|d| d.id != id));
    // A reaffirmation in the future is refused by check.
    let diags = age::check(&lib, day("2026-12-02"), "points.toml");
    assert!(diags.iter().any(|d| d.is_error()
        && d.to_string()
            .contains("`channel-results-since-2003` is `reaffirmed` on 2026-12-03")));
    assert!(lib.contains(Kind::Point, "channel-results-since-2003"));
}

#[test]
fn a_pen_picture_holds_each_entry_up_to_the_memo_date() {
    let lib = shipped();
    let t = text(&lib, &example(&lib, "sochi-2011-informal-summit.toml"));
    assert!(
        t.contains("18 December 2008: Reported to the Seventh International Conference"),
        "{t}"
    );
    assert!(
        t.contains("5 August 2011: On 5 August 2011 in Sochi briefed"),
        "{t}"
    );
    // As of the end of 2008, the 2011 briefing had not happened.
    let t = text(&lib, &sochi_as_of(&lib, "2008-12-31"));
    assert!(t.contains("18 December 2008: Reported"), "{t}");
    assert!(!t.contains("in Sochi briefed"), "{t}");
}
