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
