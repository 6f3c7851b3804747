//! `briefpack drafts` through the real binary: list, restore, discard.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use briefpack::draft::{DraftKey, Store};
use std::path::Path;
use std::process::{Command, Output};

fn drafts(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefpack"))
        .arg("drafts")
        .args(args)
        .current_dir(dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn list_restore_and_discard_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = drafts(dir, &[]);
    assert!(o.status.success());
    assert!(
        text(&o.stdout).starts_with("no drafts (they are kept in "),
        "{}",
        text(&o.stdout)
    );

    let store = Store::at(dir.join("state").join("briefpack"));
    let lib = common::library();
    let pack = common::pack(&lib);
    let brief = dir.join("brief.toml");
    store.save(&DraftKey::for_path(&brief), &pack).unwrap();
    store
        .save(&DraftKey::New("n1".into()), &briefpack::pack::Pack::default())
        .unwrap();
    let o = drafts(dir, &["list"]);
    let out = text(&o.stdout);
    assert!(
        out.contains("  1  new pack (never saved)") || out.contains("  2  new pack (never saved)"),
        "{out}"
    );
    assert!(
        out.contains("2 threats, 1 partner, 3 points, 1 person; “Informal summit”"),
        "{out}"
    );

    let o = drafts(dir, &["restore", "9"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        "briefpack: there is no draft 9; `briefpack drafts` lists 1 to 2\n"
    );
    // By the pack's path: written back where it belongs, and the draft is gone.
    let o = drafts(dir, &["restore", "brief.toml"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let restored = std::fs::read_to_string(&brief).unwrap();
    assert_eq!(
        briefpack::pack::parse(&restored, "brief.toml", &lib)
            .unwrap()
            .pack,
        pack
    );
    // A never-saved pack needs somewhere to go.
    let o = drafts(dir, &["restore", "1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("never saved; give a file to restore it to with -o FILE"));
    let o = drafts(dir, &["discard", "--all"]);
    assert!(o.status.success());
    assert_eq!(text(&o.stderr), "discarded 1 draft\n");
    assert!(store.list().unwrap().0.is_empty());
}

/// The listed number of the draft whose line holds `title`.
fn number_of(list: &str, title: &str) -> String {
    // A draft's entry starts with its number and may go on for more lines.
    let lines: Vec<&str> = list.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(title))
        .unwrap_or_else(|| panic!("{title}:\n{list}"));
    lines[..=at]
        .iter()
        .rev()
        .find_map(|l| l.split_whitespace().next().filter(|w| w.parse::<usize>().is_ok()))
        .unwrap_or_else(|| panic!("no number for {title}:\n{list}"))
        .to_owned()
}

#[test]
fn discard_n_removes_only_that_draft() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let store = Store::at(dir.join("state").join("briefpack"));
    for title in ["Alpha summit", "Bravo summit", "Charlie summit"] {
        let mut pack = briefpack::pack::Pack::new();
        pack.meeting.title = title.into();
        store
            .save(&DraftKey::New(title.to_lowercase().replace(' ', "-")), &pack)
            .unwrap();
    }
    let list = text(&drafts(dir, &["list"]).stdout);
    let n = number_of(&list, "Bravo summit");
    let o = drafts(dir, &["discard", &n]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).starts_with("discarded the draft of "),
        "{}",
        text(&o.stderr)
    );
    let after = text(&drafts(dir, &["list"]).stdout);
    assert!(!after.contains("Bravo summit"), "{after}");
    assert!(
        after.contains("Alpha summit") && after.contains("Charlie summit"),
        "{after}"
    );
    assert_eq!(store.list().unwrap().0.len(), 2);
    // A number past the list changes nothing and says what there is.
    let o = drafts(dir, &["discard", "3"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("lists 1 to 2"), "{}", text(&o.stderr));
    assert_eq!(store.list().unwrap().0.len(), 2);
}

#[test]
fn without_xdg_state_home_drafts_live_in_home_local_state() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let store = Store::at(home.join(".local/state/briefpack"));
    let mut pack = briefpack::pack::Pack::new();
    pack.meeting.title = "Fallback summit".into();
    store.save(&DraftKey::New("fallback".into()), &pack).unwrap();
    // Unset, and set but relative (which the XDG rule says to ignore).
    for xdg in [None, Some("relative/state")] {
        let mut c = Command::new(env!("CARGO_BIN_EXE_briefpack"));
        c.args(["drafts", "list"]).current_dir(home).env("HOME", home);
        match xdg {
            Some(v) => c.env("XDG_STATE_HOME", v),
            None => c.env_remove("XDG_STATE_HOME"),
        };
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(
            text(&o.stdout).contains("Fallback summit"),
            "{xdg:?}: {}",
            text(&o.stdout)
        );
    }
    let o = Command::new(env!("CARGO_BIN_EXE_briefpack"))
        .args(["drafts", "discard", "1"])
        .env("HOME", home)
        .env_remove("XDG_STATE_HOME")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(store.list().unwrap().0.is_empty());
}
