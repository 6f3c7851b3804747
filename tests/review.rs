//! Review actions written back to a copy of the shipped library: the exact text each
//! leaves in points.toml, the library it loads as, undo, conflicts and racing writers.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use briefpack::library::{DataSource, Library, Point, PointKind, Status};
use briefpack::review::{
    self, Action, Category, Field, FieldValue, NewPoint, PointsStore, Policy, Reason, WriteError,
};
use chrono::NaiveDate;
use std::path::Path;

const FILE: &str = "points.toml";

fn open(data: &Path) -> PointsStore {
    PointsStore::open(&DataSource::Dir(data.to_path_buf())).unwrap()
}

fn read(data: &Path) -> String {
    std::fs::read_to_string(data.join(FILE)).unwrap()
}

/// The default policy but for dated lines, which have their own tests
/// (`tests/time_voice.rs`): these tests are about the other reasons.
fn undated() -> Policy {
    Policy {
        max_statement_age: Some(100),
        ..Policy::default()
    }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The single changed stretch between two texts, as (removed lines, added lines):
/// everything before and after it is byte-identical, line endings included.
fn hunk(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let a: Vec<&str> = before.split_inclusive('\n').collect();
    let b: Vec<&str> = after.split_inclusive('\n').collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let own = |v: &[&str]| v.iter().map(|s| s.trim_end_matches('\n').to_owned()).collect();
    (own(&a[head..a.len() - tail]), own(&b[head..b.len() - tail]))
}

fn lines(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// The library the file now loads as: valid, with the point as returned.
fn point_after(store: &PointsStore, id: &str) -> Point {
    let lib = store.library().unwrap().into_valid().unwrap();
    let from_disk = Library::load(&DataSource::Dir(store.path().parent().unwrap().to_path_buf()))
        .unwrap()
        .into_valid()
        .unwrap();
    assert_eq!(lib.points.len(), from_disk.points.len());
    from_disk.point(id).unwrap().clone()
}

/// Applies an action, checks the one hunk it leaves and that undo restores the file
/// byte for byte. Returns the point as the library loaded it after the action.
fn act(id: &str, action: &Action, removed: &[&str], added: &[&str]) -> Point {
    let (_tmp, data) = common::copy_of_data();
    let original = read(&data);
    let mut store = open(&data);
    let w = store.apply(id, action).unwrap();
    assert!(w.changed && !w.merged, "{w:?}");
    let after = read(&data);
    assert_eq!(hunk(&original, &after), (lines(removed), lines(added)));
    assert_eq!(store.text(), after);
    let point = point_after(&store, id);

    assert_eq!(store.undo_summary(), Some(w.summary.as_str()));
    let u = store.undo().unwrap();
    assert!(u.changed, "{u:?}");
    assert_eq!(read(&data), original, "undo restores the file exactly");
    assert!(
        matches!(store.undo(), Err(WriteError::Refused(_))),
        "one level of undo"
    );
    point
}

#[test]
fn mark_reviewed_stamps_date_and_reviewer_only() {
    let p = act(
        "channel-results-since-2003",
        &Action::MarkReviewed {
            reviewer: "anna.k".into(),
            date: day("2027-01-15"),
        },
        &["reviewed = 2026-11-24", "reviewer = \"checked against source\""],
        &["reviewed = 2027-01-15", "reviewer = \"anna.k\""],
    );
    assert_eq!(p.reviewed, Some(day("2027-01-15")));
    assert_eq!(p.reviewer.as_deref(), Some("anna.k"));
    assert_eq!(p.status, Status::Approved);
}

#[test]
fn retire_sets_status_and_inserts_the_reason_before_tags() {
    let p = act(
        "channel-results-since-2003",
        &Action::Retire {
            reason: "Superseded by the 2011 assessment".into(),
        },
        &[
            "status = \"approved\"",
            "reviewed = 2026-11-24",
            "reviewer = \"checked against source\"",
        ],
        &[
            "status = \"retired\"",
            "reviewed = 2026-11-24",
            "reviewer = \"checked against source\"",
            "retired_reason = \"Superseded by the 2011 assessment\"",
        ],
    );
    assert_eq!(p.status, Status::Retired);
    assert_eq!(
        p.retired_reason.as_deref(),
        Some("Superseded by the 2011 assessment")
    );
}

#[test]
fn to_draft_and_approve_change_status_and_stamps() {
    let p = act(
        "channel-trust-and-intelligence",
        &Action::ToDraft,
        &["status = \"approved\""],
        &["status = \"draft\""],
    );
    assert_eq!(p.status, Status::Draft);

    // Approving a draft that was retired before: the reason goes, the stamps change.
    let (_tmp, data) = common::copy_of_data();
    let mut store = open(&data);
    store
        .apply("drugs-obvious-priority", &Action::Retire { reason: "old".into() })
        .unwrap();
    store.apply("drugs-obvious-priority", &Action::ToDraft).unwrap();
    let before = read(&data);
    store
        .apply(
            "drugs-obvious-priority",
            &Action::Approve {
                reviewer: "boris".into(),
                date: day("2027-02-01"),
            },
        )
        .unwrap();
    assert_eq!(
        hunk(&before, &read(&data)),
        (
            lines(&[
                "status = \"draft\"",
                "reviewed = 2026-11-24",
                "reviewer = \"checked against source\""
            ]),
            lines(&[
                "status = \"approved\"",
                "reviewed = 2027-02-01",
                "reviewer = \"boris\""
            ])
        )
    );
    let p = point_after(&store, "drugs-obvious-priority");
    assert_eq!((p.status, p.retired_reason), (Status::Approved, None));
}

#[test]
fn set_text_escapes_quotes_and_keeps_basic_strings() {
    let old = "text = \"Channel has built real trust between national agencies: they now share information on the leaders and active members of the criminal groups behind drug trafficking.\"";
    let p = act(
        "channel-trust-and-intelligence",
        &Action::SetText("Channel built trust: agencies share \"names\" of ring leaders.".into()),
        &[old],
        &["text = \"Channel built trust: agencies share \\\"names\\\" of ring leaders.\""],
    );
    assert_eq!(
        p.text,
        "Channel built trust: agencies share \"names\" of ring leaders."
    );
}

#[test]
fn set_tags_and_links_rewrite_only_their_lines() {
    let p = act(
        "channel-trust-and-intelligence",
        &Action::SetTags(vec!["drugs".into(), "intelligence".into()]),
        &["tags = [\"drugs\", \"organised-crime\", \"operations\"]"],
        &["tags = [\"drugs\", \"intelligence\"]"],
    );
    assert_eq!(p.tags, ["drugs", "intelligence"]);

    let p = act(
        "channel-trust-and-intelligence",
        &Action::SetLinks {
            threats: vec!["organised-crime".into()],
            partners: vec!["unodc".into()],
        },
        &[
            "threats = [\"organised-crime\", \"afghan-drug-trafficking\"]",
            "partners = []",
        ],
        &["threats = [\"organised-crime\"]", "partners = [\"unodc\"]"],
    );
    assert_eq!(
        (p.threats, p.partners),
        (vec!["organised-crime".to_owned()], vec!["unodc".to_owned()])
    );
}

#[test]
fn comments_and_hand_layout_in_the_point_survive() {
    let (_tmp, data) = common::copy_of_data();
    let hand = read(&data).replace(
        "id = \"channel-trust-and-intelligence\"\n",
        "# Checked against the Russian original in 2026.\nid = \"channel-trust-and-intelligence\"\n",
    );
    let hand = hand.replacen(
        "tags = [\"drugs\", \"organised-crime\", \"operations\"]",
        "tags = [\n    \"drugs\",\n    \"organised-crime\",  # the main one\n    \"operations\",\n]  # tags end",
        1,
    );
    std::fs::write(data.join(FILE), &hand).unwrap();
    let mut store = open(&data);
    store
        .apply(
            "channel-trust-and-intelligence",
            &Action::SetTags(vec!["organised-crime".into(), "intelligence".into()]),
        )
        .unwrap();
    assert_eq!(
        hunk(&hand, &read(&data)),
        (
            lines(&[
                "    \"drugs\",",
                "    \"organised-crime\",  # the main one",
                "    \"operations\","
            ]),
            lines(&[
                "    \"organised-crime\",  # the main one",
                "    \"intelligence\","
            ])
        )
    );
    assert!(read(&data).contains("# Checked against the Russian original in 2026.\nid = \"channel-trust"));
    assert!(read(&data).contains("]  # tags end\n"));
}

#[test]
fn a_change_that_breaks_the_library_is_refused_and_not_written() {
    let (_tmp, data) = common::copy_of_data();
    let original = read(&data);
    let mut store = open(&data);
    let e = store
        .apply(
            "channel-trust-and-intelligence",
            &Action::SetLinks {
                threats: vec!["no-such-threat".into()],
                partners: vec![],
            },
        )
        .unwrap_err();
    assert!(matches!(e, WriteError::Refused(_)), "{e:?}");
    assert!(
        e.to_string().contains("unknown threat id `no-such-threat`"),
        "{e}"
    );
    let e = store
        .apply(
            "channel-trust-and-intelligence",
            &Action::Retire { reason: "  ".into() },
        )
        .unwrap_err();
    assert!(e.to_string().contains("reason is empty"), "{e}");
    let e = store.apply("no-such-point", &Action::ToDraft).unwrap_err();
    assert_eq!(e.to_string(), "there is no point `no-such-point` in points.toml");
    assert_eq!(read(&data), original);
}

#[test]
fn the_built_in_library_cannot_be_written() {
    let e = PointsStore::open(&DataSource::Embedded).unwrap_err().to_string();
    assert!(e.starts_with("the built-in library cannot be changed"), "{e}");
}

#[test]
fn someone_elses_change_elsewhere_is_kept_and_ours_applied_on_top() {
    let (_tmp, data) = common::copy_of_data();
    let mut store = open(&data);
    // A colleague edits another point and a field of ours we do not touch, by hand.
    let theirs = read(&data)
        .replacen(
            "reviewer = \"checked against source\"",
            "reviewer = \"colleague\"",
            1,
        )
        .replace(
            "tags = [\"drugs\", \"organised-crime\", \"operations\"]",
            "tags = [\"theirs\"]",
        );
    std::fs::write(data.join(FILE), &theirs).unwrap();
    assert!(store.changed_on_disk().unwrap());
    let w = store
        .apply(
            "channel-trust-and-intelligence",
            &Action::SetText("Our new text.".into()),
        )
        .unwrap();
    assert!(w.merged && w.changed, "{w:?}");
    let after = read(&data);
    let (removed, added) = hunk(&theirs, &after);
    assert_eq!(added, ["text = \"Our new text.\""]);
    assert_eq!(removed.len(), 1);
    let lib = store.library().unwrap().into_valid().unwrap();
    assert_eq!(lib.points[0].reviewer.as_deref(), Some("colleague"));
    let p = lib.point("channel-trust-and-intelligence").unwrap();
    assert_eq!(
        (p.text.as_str(), p.tags.clone()),
        ("Our new text.", vec!["theirs".to_owned()])
    );
}

#[test]
fn a_change_to_the_same_field_is_a_conflict_and_the_edit_is_kept() {
    let (_tmp, data) = common::copy_of_data();
    let mut store = open(&data);
    let theirs = read(&data).replace(
        "text = \"Channel has built real trust",
        "text = \"Their rewrite. Channel has built real trust",
    );
    std::fs::write(data.join(FILE), &theirs).unwrap();
    let mine = Action::SetText("My rewrite.".into());
    let WriteError::Conflict(c) = store.apply("channel-trust-and-intelligence", &mine).unwrap_err() else {
        panic!("expected a conflict");
    };
    assert_eq!(read(&data), theirs, "nothing written");
    assert_eq!(c.pending.as_ref(), Some(&mine), "the typed text is handed back");
    assert_eq!(c.fields.len(), 1);
    assert_eq!(c.fields[0].field, Field::Text);
    assert_eq!(c.fields[0].yours, Some(FieldValue::Text("My rewrite.".into())));
    assert!(matches!(&c.fields[0].theirs, Some(FieldValue::Text(t)) if t.starts_with("Their rewrite.")));
    assert!(matches!(&c.fields[0].seen, Some(FieldValue::Text(t)) if t.starts_with("Channel has built")));
    assert_eq!(
        c.to_string(),
        "someone else changed `text` of point `channel-trust-and-intelligence` since you read it, so your change was not written; it is kept, and applying it again replaces their version"
    );
    // The store now holds their version, so applying again is a deliberate overwrite.
    assert_eq!(store.text(), theirs);
    store.apply("channel-trust-and-intelligence", &mine).unwrap();
    assert!(read(&data).contains("text = \"My rewrite.\""));
}

#[test]
fn the_same_change_made_by_someone_else_is_not_a_conflict() {
    let (_tmp, data) = common::copy_of_data();
    let mut store = open(&data);
    let theirs = read(&data).replacen("status = \"approved\"", "status = \"draft\"", 1);
    std::fs::write(data.join(FILE), &theirs).unwrap();
    let w = store
        .apply("afghan-drugs-channel-permanent", &Action::ToDraft)
        .unwrap();
    assert!(w.merged && !w.changed, "{w:?}");
    assert_eq!(read(&data), theirs);
}

#[test]
fn a_removed_point_is_a_conflict_and_undo_checks_too() {
    let (_tmp, data) = common::copy_of_data();
    let mut store = open(&data);
    store.apply("drugs-obvious-priority", &Action::ToDraft).unwrap();
    // A colleague renames the point by hand: the undo has nothing left to restore.
    let theirs = read(&data).replace(
        "id = \"drugs-obvious-priority\"",
        "id = \"drugs-obvious-priority-renamed\"",
    );
    std::fs::write(data.join(FILE), &theirs).unwrap();
    let e = store.undo().unwrap_err();
    let WriteError::Conflict(c) = &e else {
        panic!("{e:?}")
    };
    assert!(c.fields.is_empty() && c.pending.is_none(), "{c:?}");
    assert!(e.to_string().contains("was removed or renamed"), "{e}");
    assert_eq!(read(&data), theirs);

    let (_tmp, data) = common::copy_of_data();
    let mut store = open(&data);
    store
        .apply(
            "drugs-obvious-priority",
            &Action::Retire {
                reason: "dated".into(),
            },
        )
        .unwrap();
    let theirs = read(&data).replace("retired_reason = \"dated\"", "retired_reason = \"out of date\"");
    std::fs::write(data.join(FILE), &theirs).unwrap();
    let WriteError::Conflict(c) = store.undo().unwrap_err() else {
        panic!()
    };
    assert_eq!(c.fields[0].field, Field::RetiredReason);
    assert_eq!(read(&data), theirs, "their reason survives the undo attempt");
}

#[cfg(unix)]
#[test]
fn writes_keep_the_file_mode_and_leave_no_temporaries() {
    use std::os::unix::fs::PermissionsExt;
    let (_tmp, data) = common::copy_of_data();
    std::fs::set_permissions(data.join(FILE), std::fs::Permissions::from_mode(0o640)).unwrap();
    let names = || {
        let mut v: Vec<_> = std::fs::read_dir(&data)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    let before = names();
    let mut store = open(&data);
    store.apply("drugs-obvious-priority", &Action::ToDraft).unwrap();
    let mode = std::fs::metadata(data.join(FILE)).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    assert_eq!(names(), before);
}

#[test]
fn two_writers_racing_lose_nothing() {
    const ROUNDS: usize = 25;
    let (_tmp, data) = common::copy_of_data();
    let point = "channel-trust-and-intelligence";
    // Each writer read-modify-writes its own field of the same point, and each round
    // builds on its previous one: had the other writer ever overwritten the file from a
    // stale read, the next round would hit a conflict, and the end state would differ.
    let tagger = {
        let data = data.clone();
        std::thread::spawn(move || {
            let mut store = open(&data);
            let mut tags = Vec::new();
            for i in 0..ROUNDS {
                tags.push(format!("t{i}"));
                store.apply(point, &Action::SetTags(tags.clone())).unwrap();
            }
        })
    };
    let writer = {
        let data = data.clone();
        std::thread::spawn(move || {
            let mut store = open(&data);
            for i in 0..ROUNDS {
                store
                    .apply(point, &Action::SetText(format!("Version {i}.")))
                    .unwrap();
                // A second point too, so writes also interleave across records.
                store
                    .apply(
                        "drugs-obvious-priority",
                        &Action::MarkReviewed {
                            reviewer: format!("r{i}"),
                            date: day("2027-01-01"),
                        },
                    )
                    .unwrap();
            }
        })
    };
    tagger.join().unwrap();
    writer.join().unwrap();
    let lib = Library::load(&DataSource::Dir(data.clone()))
        .unwrap()
        .into_valid()
        .unwrap();
    let p = lib.point(point).unwrap();
    let want: Vec<String> = (0..ROUNDS).map(|i| format!("t{i}")).collect();
    assert_eq!(p.tags, want);
    assert_eq!(p.text, format!("Version {}.", ROUNDS - 1));
    let q = lib.point("drugs-obvious-priority").unwrap();
    assert_eq!(q.reviewer.as_deref(), Some(format!("r{}", ROUNDS - 1).as_str()));
}

#[test]
fn the_queue_names_every_reason_and_leaves_retired_points_out() {
    let (_tmp, data) = common::copy_of_data();
    let text = read(&data)
        .replacen("status = \"approved\"", "status = \"draft\"", 1)
        .replacen("reviewed = 2026-11-24\n", "reviewed = 2026-01-01\n", 2)
        .replacen("partners = []", "partners = [\"no-such-partner\"]", 1);
    std::fs::write(data.join(FILE), text).unwrap();
    let mut store = open(&data);
    store
        .apply("drugs-obvious-priority", &Action::Retire { reason: "x".into() })
        .unwrap();
    let checked = store.library().unwrap();
    let due = review::queue(&checked.library, day("2026-11-24"), undated(), None);
    let got: Vec<(&str, Vec<Category>)> = due
        .iter()
        .map(|d| (d.id.as_str(), d.reasons.iter().map(Reason::category).collect()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "afghan-drugs-channel-permanent",
                vec![Category::Draft, Category::Stale]
            ),
            ("channel-results-since-2003", vec![Category::Stale]),
            ("channel-trust-and-intelligence", vec![Category::BrokenLinks]),
        ]
    );
    assert_eq!(
        due[1].reasons[0],
        Reason::Stale {
            reviewed: day("2026-01-01"),
            age_days: 327
        }
    );
    // A longer allowance clears the stale ones; the day is an input, not the clock.
    let lenient = review::queue(
        &checked.library,
        day("2026-11-24"),
        Policy {
            max_age_days: 400,
            ..undated()
        },
        None,
    );
    assert_eq!(lenient.len(), 2);
    let later = review::queue(&checked.library, day("2027-06-30"), Policy::default(), None);
    assert_eq!(
        later.len(),
        checked.library.points.len() - 1,
        "all but the retired one"
    );
}

#[test]
fn a_point_from_the_form_is_appended_as_a_draft() {
    let (_tmp, data) = common::copy_of_data();
    let before = read(&data);
    let mut store = open(&data);
    let new = NewPoint {
        id: "channel-joint-training".into(),
        text: "Officers of \"Channel\" train together.".into(),
        kind: PointKind::KeyMessage,
        threats: vec!["afghan-drug-trafficking".into()],
        partners: vec![],
        source: "sg-report-2008-12-18".into(),
        excerpt: "permanent regional project".into(),
        owner: Some("anna".into()),
        tags: vec!["drugs".into(), "training".into()],
    };
    let added = store.add_point(&new.to_toml(), "the new point").unwrap();
    let block = "[[points]]
id = \"channel-joint-training\"
text = \"Officers of \\\"Channel\\\" train together.\"
kind = \"key-message\"
threats = [\"afghan-drug-trafficking\"]
partners = []
source = \"sg-report-2008-12-18\"
excerpt = \"permanent regional project\"
status = \"draft\"
owner = \"anna\"
tags = [\"drugs\", \"training\"]
";
    assert_eq!(read(&data), format!("{before}\n{block}"));
    assert_eq!(added.line, before.lines().count() + 2);
    let p = point_after(&store, "channel-joint-training");
    assert_eq!(
        (p.status, p.text.as_str()),
        (Status::Draft, "Officers of \"Channel\" train together.")
    );

    // The same id again is refused at its place in the form's text.
    let e = store
        .add_point(&new.to_toml(), "the new point")
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("the new point:2:6: duplicate point id `channel-joint-training`"),
        "{e}"
    );
}

#[test]
fn the_queue_sorts_and_filters_for_the_screen() {
    use briefpack::review::{queue::sort, Filter, SortKey};
    let (_tmp, data) = common::copy_of_data();
    let text = read(&data)
        .replacen(
            "reviewer = \"checked against source\"\n",
            "reviewer = \"checked against source\"\nowner = \"zoe\"\n",
            1,
        )
        .replacen("status = \"approved\"", "status = \"draft\"", 1);
    std::fs::write(data.join(FILE), text).unwrap();
    let mut store = open(&data);
    for (id, date) in [
        ("drugs-obvious-priority", "2025-01-01"),
        ("channel-trust-and-intelligence", "2024-06-01"),
    ] {
        store
            .apply(
                id,
                &Action::MarkReviewed {
                    reviewer: "r".into(),
                    date: day(date),
                },
            )
            .unwrap();
    }
    let lib = store.library().unwrap().into_valid().unwrap();
    let mut due = review::queue(&lib, day("2026-11-24"), undated(), None);
    let ids = |d: &[review::Due]| d.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
    assert_eq!(
        ids(&due),
        [
            "afghan-drugs-channel-permanent",
            "channel-trust-and-intelligence",
            "drugs-obvious-priority"
        ]
    );
    sort(&mut due, SortKey::Age);
    assert_eq!(
        ids(&due),
        [
            "channel-trust-and-intelligence",
            "drugs-obvious-priority",
            "afghan-drugs-channel-permanent"
        ]
    );
    sort(&mut due, SortKey::Owner);
    assert_eq!(due[0].id, "afghan-drugs-channel-permanent", "owned points first");
    sort(&mut due, SortKey::Reason);
    assert_eq!(
        due[0].id, "afghan-drugs-channel-permanent",
        "drafts before stale reviews"
    );

    let shown = |f: &Filter| {
        due.iter()
            .filter(|d| f.matches(d))
            .map(|d| d.id.as_str())
            .collect::<Vec<_>>()
    };
    let stale = Filter {
        category: Some(Category::Stale),
        ..Filter::default()
    };
    assert_eq!(shown(&stale).len(), 2);
    let zoe = Filter {
        owner: Some("zoe".into()),
        ..Filter::default()
    };
    assert_eq!(shown(&zoe), ["afghan-drugs-channel-permanent"]);
    let nobody = Filter {
        owner: Some(String::new()),
        ..Filter::default()
    };
    assert_eq!(shown(&nobody).len(), 2);
}
