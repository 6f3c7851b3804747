//! `briefpack review --report` and `briefpack add point` through the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use briefpack::library::{DataSource, Library, Status};
use briefpack::review::{Action, PointsStore};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn briefpack(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefpack"))
        .args(args)
        .env_remove("BRIEFPACK_DATA")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // A command that refuses early may not read its input; that is not a failure here.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn points(data: &Path) -> String {
    std::fs::read_to_string(data.join("points.toml")).unwrap()
}

/// Replaces the `nth` (0-based) occurrence of `from` in the block of point `id`.
fn edit_point(text: &str, id: &str, from: &str, to: &str) -> String {
    let start = text.find(&format!("id = \"{id}\"\n")).unwrap();
    let end = text[start..].find("[[points]]").map_or(text.len(), |e| start + e);
    let block = text[start..end].replacen(from, to, 1);
    assert_ne!(block, text[start..end], "{from} not in {id}");
    format!("{}{block}{}", &text[..start], &text[end..])
}

/// Three points due for three reasons, two of them owned by anna, and a retired one
/// (long unreviewed) that must not appear.
fn library_with_due_points() -> (tempfile::TempDir, PathBuf) {
    let (tmp, data) = common::copy_of_data();
    let mut t = points(&data);
    t = edit_point(
        &t,
        "afghan-drugs-channel-permanent",
        "status = \"approved\"",
        "status = \"draft\"",
    );
    t = edit_point(
        &t,
        "afghan-drugs-channel-permanent",
        "reviewer = \"checked against source\"\n",
        "reviewer = \"checked against source\"\nowner = \"anna\"\n",
    );
    t = edit_point(
        &t,
        "channel-results-since-2003",
        "reviewed = 2026-11-24",
        "reviewed = 2026-01-01",
    );
    t = edit_point(
        &t,
        "channel-results-since-2003",
        "reviewer = \"checked against source\"\n",
        "reviewer = \"checked against source\"\nowner = \"anna\"\n",
    );
    t = edit_point(
        &t,
        "channel-trust-and-intelligence",
        "partners = []",
        "partners = [\"no-such-partner\"]",
    );
    t = edit_point(
        &t,
        "channel-open-to-regional-structures",
        "status = \"approved\"",
        "status = \"retired\"",
    );
    t = edit_point(
        &t,
        "channel-open-to-regional-structures",
        "reviewed = 2026-11-24",
        "reviewed = 2019-01-01",
    );
    std::fs::write(data.join("points.toml"), t).unwrap();
    (tmp, data)
}

const DUE_REPORT: &str = "\
3 points need review as of 2026-11-24 (reviews older than 180 days are due).

By reason
  broken links (1)
    channel-trust-and-intelligence  linked partner `no-such-partner` is not in the library  (points.toml:32)
  draft (1)
    afghan-drugs-channel-permanent  in draft  (points.toml:4)
  review out of date (1)
    channel-results-since-2003      last reviewed 2026-01-01 (327 days ago)  (points.toml:18)

By owner
  anna (2): afghan-drugs-channel-permanent, channel-results-since-2003
  no owner (1): channel-trust-and-intelligence
";

#[test]
fn report_lists_due_points_by_reason_and_owner_and_exits_3() {
    let (_tmp, data) = library_with_due_points();
    let d = data.to_str().unwrap();
    let o = briefpack(
        &[
            "review",
            "--report",
            "--data",
            d,
            "--as-of",
            "2026-11-24",
            "--max-statement-age",
            "100",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(stdout(&o), DUE_REPORT);
    // The broken link is also a library problem, which `check` lists.
    assert_eq!(
        stderr(&o),
        "note: the library also has 1 problem; `briefpack check` lists them\n"
    );

    // A longer allowance clears the out-of-date review only.
    let o = briefpack(
        &[
            "review",
            "--report",
            "--data",
            d,
            "--as-of",
            "2026-11-24",
            "--max-statement-age",
            "100",
            "--max-age",
            "400",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stdout(&o)
        .starts_with("2 points need review as of 2026-11-24 (reviews older than 400 days are due).\n"));
    assert!(
        !stdout(&o).contains("channel-results-since-2003"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn report_json_is_for_scripts() {
    let (_tmp, data) = library_with_due_points();
    let o = briefpack(
        &[
            "review",
            "--report",
            "--json",
            "--data",
            data.to_str().unwrap(),
            "--as-of",
            "2026-11-24",
            "--max-statement-age",
            "100",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["as_of"], "2026-11-24");
    assert_eq!(v["max_age_days"], 180);
    assert_eq!(v["due"], 3);
    assert_eq!(
        v["points"][1],
        serde_json::json!({
            "id": "channel-results-since-2003",
            "status": "approved",
            "owner": "anna",
            "reviewed": "2026-01-01",
            "reviewer": "checked against source",
            "file": "points.toml",
            "line": 18,
            "reasons": [{"reason": "stale", "detail": "last reviewed 2026-01-01 (327 days ago)"}],
        })
    );
    assert_eq!(
        v["by_reason"],
        serde_json::json!([
            {"reason": "broken-links", "label": "broken links", "points": ["channel-trust-and-intelligence"]},
            {"reason": "draft", "label": "draft", "points": ["afghan-drugs-channel-permanent"]},
            {"reason": "stale", "label": "review out of date", "points": ["channel-results-since-2003"]},
        ])
    );
    assert_eq!(
        v["by_owner"],
        serde_json::json!([
            {"owner": "anna", "points": ["afghan-drugs-channel-permanent", "channel-results-since-2003"]},
            {"owner": null, "points": ["channel-trust-and-intelligence"]},
        ])
    );
}

#[test]
fn report_exits_0_when_nothing_is_due() {
    let o = briefpack(
        &[
            "review",
            "--report",
            "--as-of",
            "2026-11-24",
            "--max-statement-age",
            "100",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "No points need review as of 2026-11-24 (reviews older than 180 days are due).\n"
    );
    assert_eq!(stderr(&o), "");
    let o = briefpack(
        &[
            "review",
            "--report",
            "--json",
            "--as-of",
            "2026-11-24",
            "--max-statement-age",
            "100",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["due"].as_u64(), v["points"].as_array().map(Vec::len)),
        (Some(0), Some(0))
    );

    // Half a year on, every shipped point is due again.
    let o = briefpack(&["review", "--report", "--json", "--as-of", "2027-06-30"], "");
    assert_eq!(o.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let lib = Library::embedded().unwrap();
    assert_eq!(v["due"].as_u64(), Some(lib.points.len() as u64));
}

#[test]
fn report_refuses_when_a_point_cannot_be_read() {
    let (_tmp, data) = common::copy_of_data();
    let t = edit_point(
        &points(&data),
        "drugs-obvious-priority",
        "kind = \"key-message\"",
        "kind = 5",
    );
    std::fs::write(data.join("points.toml"), t).unwrap();
    let o = briefpack(&["review", "--report", "--data", data.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let total = Library::embedded().unwrap().points.len();
    assert!(
        err.starts_with(&format!("briefpack: 1 of the {total} points in "))
            && err.contains("could not be read, so the report would be incomplete"),
        "{err}"
    );
}

#[test]
fn the_review_screen_needs_a_library_checkout_and_a_terminal() {
    let o = briefpack(&["review"], "");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "briefpack: Reviewing changes the library's files, so it needs a library checkout: start briefpack with --data DIR or set BRIEFPACK_DATA.\n"
    );
    // With a checkout, but run from a script: the screen cannot open, and says what can.
    let (_tmp, data) = common::copy_of_data();
    let o = briefpack(&["review", "--data", data.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("briefpack: the interface needs a terminal"),
        "{}",
        stderr(&o)
    );
    let o = briefpack(
        &[
            "review",
            "--data",
            data.to_str().unwrap(),
            "--as-of",
            "2030-01-01",
        ],
        "",
    );
    assert!(stderr(&o).contains("--as-of is for --report"), "{}", stderr(&o));
}

const NEW_POINT: &str = "\
id = \"channel-joint-training\"
text = \"Channel's participants should train their officers together.\"
kind = \"key-message\"
threats = [\"afghan-drug-trafficking\"]
partners = [\"unodc\"]
source = \"sg-report-2008-12-18\"
excerpt = \"Since 2009, the transaction is scheduled to convert to permanent regional project CSTO\"
status = \"draft\"
owner = \"anna\"   # she asked for it
tags = [\"drugs\"]
";

#[test]
fn add_point_appends_a_bare_table_and_touches_no_other_line() {
    let (_tmp, data) = common::copy_of_data();
    let before = points(&data);
    let d = data.to_str().unwrap();
    let o = briefpack(&["add", "point", "--data", d], NEW_POINT);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(points(&data), format!("{before}\n[[points]]\n{NEW_POINT}"));
    let line = before.lines().count() + 2;
    assert_eq!(
        stderr(&o),
        format!(
            "added point `channel-joint-training` at {}:{line}\n",
            data.join("points.toml").display()
        )
    );
    let lib = Library::load(&DataSource::Dir(data.clone()))
        .unwrap()
        .into_valid()
        .unwrap();
    let p = lib.point("channel-joint-training").unwrap();
    assert_eq!(
        (p.status, p.owner.as_deref(), p.at.line),
        (Status::Draft, Some("anna"), line)
    );
    // And it is now due for review, as a draft.
    let o = briefpack(
        &[
            "review",
            "--report",
            "--data",
            d,
            "--as-of",
            "2026-11-24",
            "--max-statement-age",
            "100",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stdout(&o).contains(&format!("channel-joint-training  in draft  (points.toml:{line})")));
}

#[test]
fn add_point_accepts_one_points_table_as_written() {
    let (_tmp, data) = common::copy_of_data();
    let before = points(&data);
    let input = format!("\n# Added for the 2027 summit.\n[[points]]\n{NEW_POINT}\n\n");
    let o = briefpack(&["add", "point", "--data", data.to_str().unwrap()], &input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        points(&data),
        format!("{before}\n# Added for the 2027 summit.\n[[points]]\n{NEW_POINT}")
    );
}

#[test]
fn add_point_refuses_with_one_sentence_and_leaves_the_file_alone() {
    let (_tmp, data) = common::copy_of_data();
    let before = points(&data);
    let d = data.to_str().unwrap();
    let with = |from: &str, to: &str| {
        let s = NEW_POINT.replacen(from, to, 1);
        assert_ne!(s, NEW_POINT);
        s
    };
    let first_id_line = before
        .lines()
        .position(|l| l == "id = \"drugs-obvious-priority\"")
        .unwrap()
        + 1;
    let cases: Vec<(String, String)> = vec![
        (
            with("threats = [\"afghan-drug-trafficking\"]", "threats = [\"afghan-drug-trafficking\", \"nope\"]"),
            "stdin:4:39: unknown threat id `nope`; the point was not added".into(),
        ),
        (
            with("\"channel-joint-training\"", "\"drugs-obvious-priority\""),
            format!(
                "stdin:1:6: duplicate point id `drugs-obvious-priority` (first defined at {}:{first_id_line}:6); the point was not added",
                data.join("points.toml").display()
            ),
        ),
        (
            with("kind = \"key-message\"", "kind = \"speech\""),
            "stdin:3:8: `kind` is `speech`; expected one of `key-message`, `defensive-line`, `background`, `press-line`; the point was not added".into(),
        ),
        (
            with("text = \"Channel's participants should train their officers together.\"", "text = \"  \""),
            "stdin:2:8: `text` is empty; the point was not added".into(),
        ),
        (
            with("id = \"channel-joint-training\"", "id = \"Channel Joint\""),
            "stdin:1:6: point id `Channel Joint` is not kebab-case (lowercase letters, digits and single hyphens); the point was not added".into(),
        ),
        (
            format!("[[points]]\n{NEW_POINT}\n[[points]]\n{NEW_POINT}"),
            "stdin holds 2 points; add one point at a time".into(),
        ),
        (
            format!("title = \"x\"\n[[points]]\n{NEW_POINT}"),
            "stdin must hold one point, either as a bare table or as one `[[points]]` table, and nothing else".into(),
        ),
        (
            "\n  \n".into(),
            "stdin holds no point; give one as a TOML table with `id = ...` or under `[[points]]`".into(),
        ),
        (
            with("[\"drugs\"]", "[\"drugs\""),
            "stdin:10:16: the new point is not valid TOML: unclosed array, expected `]`".into(),
        ),
    ];
    for (input, want) in cases {
        let o = briefpack(&["add", "point", "--data", d], &input);
        assert_eq!(o.status.code(), Some(1), "{input}");
        let err = stderr(&o);
        assert!(
            err.starts_with(&format!("briefpack: {want}")),
            "want {want}\n got {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(points(&data), before, "file untouched for {input}");
    }

    // A required field missing is reported at the point as a whole.
    let o = briefpack(
        &["add", "point", "--data", d],
        &with("source = \"sg-report-2008-12-18\"\n", ""),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("briefpack: stdin:1:1: missing field `source`"),
        "{}",
        stderr(&o)
    );

    let o = briefpack(&["add", "point"], NEW_POINT);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "briefpack: the built-in library cannot be changed; pass --data DIR or set BRIEFPACK_DATA to a library checkout\n"
    );
}

#[test]
fn a_retired_point_in_a_final_memo_is_refused_and_in_a_draft_warned_about() {
    let (_tmp, data) = common::copy_of_data();
    let mut store = PointsStore::open(&DataSource::Dir(data.clone())).unwrap();
    store
        .apply(
            "channel-results-since-2003",
            &Action::Retire {
                reason: "Superseded".into(),
            },
        )
        .unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sochi-2011-informal-summit.toml");
    let text = std::fs::read_to_string(&example).unwrap();
    assert!(text.contains("status = \"final\""), "the example is a final memo");
    let dir = tempfile::tempdir().unwrap();
    let build = |pack: &str, extra: &[&str]| {
        let path = dir.path().join(pack);
        let mut args = vec![
            "build",
            path.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
            "--format",
            "text",
            "-o",
            "-",
        ];
        args.extend_from_slice(extra);
        briefpack(&args, "")
    };
    std::fs::write(dir.path().join("final.toml"), &text).unwrap();
    std::fs::write(
        dir.path().join("draft.toml"),
        text.replacen("status = \"final\"", "status = \"draft\"", 1),
    )
    .unwrap();
    // A final memo goes out: refused, naming the point and the ways on.
    let o = build("final.toml", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is a final memo and selects retired point `channel-results-since-2003`; drop it, mark the memo draft, or pass --allow-retired"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
    // Forced, or a draft: built, with the warning.
    for o in [
        build("final.toml", &["--allow-retired"]),
        build("draft.toml", &[]),
    ] {
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            stderr(&o).contains(
                "point `channel-results-since-2003` is retired and should not be used in new briefs"
            ),
            "{}",
            stderr(&o)
        );
        assert!(!o.stdout.is_empty());
    }
}

#[test]
fn a_point_added_by_hand_is_a_draft_and_cannot_claim_a_review() {
    let (_tmp, data) = common::copy_of_data();
    let before = points(&data);
    let d = data.to_str().unwrap();
    for (from, to, want) in [
        (
            "status = \"draft\"",
            "status = \"approved\"",
            "stdin:8:1: a new point is a draft; leave `status` out",
        ),
        (
            "status = \"draft\"",
            "status = \"retired\"",
            "stdin:8:1: a new point is a draft; leave `status` out",
        ),
        (
            "status = \"draft\"",
            "status = \"draft\"\nreviewer = \"me\"",
            "stdin:9:1: `reviewer` is set by review, not by hand; leave it out",
        ),
        (
            "status = \"draft\"",
            "reviewed = 9999-12-31",
            "stdin:8:1: `reviewed` is set by review, not by hand; leave it out",
        ),
    ] {
        let input = NEW_POINT.replacen(from, to, 1);
        let o = briefpack(&["add", "point", "--data", d], &input);
        assert_eq!(o.status.code(), Some(1), "{to}");
        assert!(
            stderr(&o).starts_with(&format!("briefpack: {want}")),
            "{to}: {}",
            stderr(&o)
        );
        assert_eq!(points(&data), before, "file untouched for {to}");
    }
    // `status` left out: a draft; and a byte-order mark before it all is no part of it.
    let input = format!("\u{feff}{}", NEW_POINT.replacen("status = \"draft\"\n", "", 1));
    let o = briefpack(&["add", "point", "--data", d], &input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lib = Library::load(&DataSource::Dir(data.clone()))
        .unwrap()
        .into_valid()
        .unwrap();
    assert_eq!(lib.point("channel-joint-training").unwrap().status, Status::Draft);
    assert!(!points(&data).contains('\u{feff}'));
}

#[test]
fn check_flags_a_review_dated_in_the_future() {
    let (_tmp, data) = common::copy_of_data();
    let text = points(&data);
    let first = text.find("reviewed = ").unwrap();
    let header = text[..first].rfind("[[points]]").unwrap();
    let line = text[..header].lines().count() + 1;
    let id_at = header + "[[points]]\nid = \"".len();
    let id = &text[id_at..id_at + text[id_at..].find('"').unwrap()];
    let end = first + text[first..].find('\n').unwrap();
    let edited = format!("{}reviewed = 9999-12-31{}", &text[..first], &text[end..]);
    std::fs::write(data.join("points.toml"), edited).unwrap();
    let o = briefpack(&["check", "--data", data.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let want = format!(
        "points.toml:{line}:1: error: point `{id}` is marked reviewed on 9999-12-31, a date in the future"
    );
    assert!(stderr(&o).contains(&want), "{want}\n{}", stderr(&o));
}

/// The seed documents' copies, for `--sources`.
fn seeds() -> String {
    format!("{}/tests/fixtures/seeds", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn report_names_points_never_reviewed_and_with_broken_sources() {
    let (_tmp, data) = common::copy_of_data();
    let mut t = points(&data);
    let reviewed = |t: &str, id: &str| {
        let start = t.find(&format!("id = \"{id}\"\n")).unwrap();
        let line = t[start..].lines().find(|l| l.starts_with("reviewed = ")).unwrap();
        format!("{line}\n")
    };
    let line = reviewed(&t, "channel-results-since-2003");
    t = edit_point(&t, "channel-results-since-2003", &line, "");
    t = edit_point(
        &t,
        "afghan-drugs-channel-permanent",
        "excerpt = \"",
        "excerpt = \"not in the report: ",
    );
    t = edit_point(
        &t,
        "channel-trust-and-intelligence",
        "source = \"",
        "source = \"no-such-",
    );
    std::fs::write(data.join("points.toml"), &t).unwrap();
    let d = data.to_str().unwrap();
    let seeds = seeds();
    let o = briefpack(
        &[
            "review",
            "--report",
            "--json",
            "--data",
            d,
            "--as-of",
            "2026-11-24",
            "--sources",
            &seeds,
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let reason = |key: &str| -> Vec<String> {
        v["by_reason"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["reason"] == key)
            .map_or_else(Vec::new, |r| {
                r["points"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap().to_owned())
                    .collect()
            })
    };
    assert_eq!(reason("never-reviewed"), ["channel-results-since-2003"], "{v:#}");
    assert_eq!(
        reason("broken-source"),
        ["afghan-drugs-channel-permanent", "channel-trust-and-intelligence"],
        "{v:#}"
    );
    // Lines said too long ago are due as well (issue 14), so `due` counts every
    // point named under any reason, once.
    let named: std::collections::BTreeSet<String> = v["by_reason"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["points"].as_array().unwrap().iter())
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    assert!(named.len() > 3, "{v:#}");
    assert_eq!(v["due"], named.len(), "{v:#}");

    // The table says why, for people.
    let o = briefpack(
        &[
            "review",
            "--report",
            "--data",
            d,
            "--as-of",
            "2026-11-24",
            "--sources",
            &seeds,
        ],
        "",
    );
    let out = stdout(&o);
    let row = |id: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(id))
            .unwrap_or("")
            .to_owned()
    };
    assert!(
        row("channel-results-since-2003").contains("never reviewed"),
        "{out}"
    );
    assert!(
        row("afghan-drugs-channel-permanent")
            .contains("excerpt not found verbatim in 000_9a12d29949f263c6.txt"),
        "{out}"
    );
    assert!(
        row("channel-trust-and-intelligence").contains("is not in the library"),
        "{out}"
    );

    // Without --sources the excerpts are not read: the changed one is not due.
    let o = briefpack(
        &[
            "review",
            "--report",
            "--json",
            "--data",
            d,
            "--as-of",
            "2026-11-24",
        ],
        "",
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["due"], named.len() - 1, "{v:#}");
    assert!(
        !o.stdout
            .windows(30)
            .any(|w| w == b"afghan-drugs-channel-permanent"),
        "{v:#}"
    );
}
