//! Builds and pack saves stopped or failed at every boundary of their atomic
//! write in turn (`BRIEFPACK_TEST_FAULT`, see src/atomic.rs): the target is always
//! absent, the old complete file or the new complete file, never a fragment, and
//! nothing a reader could mistake for the file is left beside it. Walking the
//! boundaries instead of killing at random moments proves each one on any machine.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

use briefpack::atomic::FAULT_STOPPED;
use briefpack::draft::{DraftKey, Store};
use briefpack::library::Library;
use briefpack::pack;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const EXAMPLE: &str = "examples/sochi-2011-informal-summit.toml";

/// Steps of one atomic write a stop can fall between: before the temporary file,
/// after it is created, after half and after all the bytes, after the sync, after
/// the rename, after the directory sync. A failure can fall on the first five.
const STOP_BOUNDARIES: usize = 7;
const FAIL_BOUNDARIES: usize = 5;

fn briefpack(dir: &Path, args: &[&str], fault: Option<String>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_briefpack"));
    c.args(args)
        .current_dir(dir)
        .env_remove("BRIEFPACK_DATA")
        .env_remove("BRIEFPACK_TEST_FAULT")
        .env("XDG_STATE_HOME", dir.join("state"))
        .stdin(Stdio::null());
    if let Some(f) = fault {
        c.env("BRIEFPACK_TEST_FAULT", f);
    }
    c.output().unwrap()
}

fn complete(dir: &Path, args: &[&str]) {
    let o = briefpack(dir, args, None);
    assert!(
        o.status.success(),
        "briefpack {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Nothing but the targets and the writer's hidden temporaries in `dir`.
fn assert_no_lookalikes(dir: &Path, targets: &[&str]) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if targets.contains(&name.as_str()) || name == "state" || name.ends_with(".input.toml") {
            continue;
        }
        assert!(
            name.starts_with('.') && Path::new(&name).extension().is_some_and(|e| e == "tmp"),
            "{name} is left beside the targets, where a reader may take it for one"
        );
    }
}

fn temporaries(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count()
}

fn two_packs(dir: &Path) -> [String; 2] {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let a = std::fs::read_to_string(root.join(EXAMPLE)).unwrap();
    let b = a.replace("reference = \"SG/2011/041\"", "reference = \"SG/2011/042-B\"");
    assert_ne!(a, b);
    std::fs::write(dir.join("a.input.toml"), &a).unwrap();
    std::fs::write(dir.join("b.input.toml"), &b).unwrap();
    [a, b]
}

fn read(path: &Path) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

fn check_build_faults(format: &str, target: &str, whole: impl Fn(&[u8]) -> bool) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    two_packs(dir);
    let inputs = ["a.input.toml", "b.input.toml"];
    // The two complete outputs, made beforehand; builds are deterministic.
    let mut expected = Vec::new();
    for input in inputs {
        complete(
            dir,
            &["build", input, "--format", format, "-o", target, "--force"],
        );
        let bytes = std::fs::read(dir.join(target)).unwrap();
        assert!(whole(&bytes), "a complete {format} build is whole");
        expected.push(bytes);
    }
    assert_ne!(expected[0], expected[1]);
    std::fs::remove_file(dir.join(target)).unwrap();

    // Stops: first over no file, then over the other build's output.
    for (round, old) in [(0, None), (1, Some(0)), (2, Some(1))] {
        let new = round % 2;
        let args = ["build", inputs[new], "--format", format, "-o", target, "--force"];
        let mut stopped = 0;
        loop {
            let o = briefpack(dir, &args, Some(format!("stop:{stopped}")));
            let now = read(&dir.join(target));
            if o.status.code() != Some(FAULT_STOPPED) {
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                assert!(now.as_ref() == Some(&expected[new]), "a complete build");
                break;
            }
            // Until the rename the old file is untouched; from it on, the new one is whole.
            let want = if stopped < STOP_BOUNDARIES - 2 {
                old.map(|o: usize| &expected[o])
            } else {
                Some(&expected[new])
            };
            assert!(
                now.as_ref() == want,
                "round {round}: stopped at write boundary {stopped}, {target} is {}",
                now.map_or("absent".to_owned(), |b| format!(
                    "{} bytes, neither the old nor the new build",
                    b.len()
                ))
            );
            assert_no_lookalikes(dir, &[target]);
            stopped += 1;
        }
        assert_eq!(
            stopped, STOP_BOUNDARIES,
            "the build passed {stopped} write boundaries: its output does not go through one atomic write"
        );
    }

    // Failures (a full disk, an I/O error): a clear error, the old file kept, no
    // temporary left behind.
    for n in 0..FAIL_BOUNDARIES {
        let o = briefpack(
            dir,
            &["build", inputs[0], "--format", format, "-o", target, "--force"],
            Some(format!("fail:{n}")),
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "failure at boundary {n}: {err}");
        assert!(
            err.contains(&format!("cannot write {target}")) && err.contains("injected fault"),
            "{err}"
        );
        assert!(
            read(&dir.join(target)).as_ref() == Some(&expected[0]),
            "a failed write at boundary {n} changed {target}"
        );
        assert_no_lookalikes(dir, &[target]);
        assert_eq!(temporaries(dir), 0, "a failed write left its temporary file");
    }

    // A later complete write sweeps the stopped writers' temporaries.
    let args = ["build", inputs[0], "--format", format, "-o", target, "--force"];
    let o = briefpack(dir, &args, Some("stop:2".into()));
    assert_eq!(o.status.code(), Some(FAULT_STOPPED));
    assert_eq!(temporaries(dir), 1, "a stopped writer leaves its temporary");
    complete(
        dir,
        &["build", inputs[0], "--format", format, "-o", target, "--force"],
    );
    if cfg!(target_os = "linux") {
        assert_eq!(
            temporaries(dir),
            0,
            "temporaries of killed writers are cleaned up"
        );
    }
}

#[test]
fn killed_pdf_builds_leave_old_or_new_pdf() {
    check_build_faults("pdf", "memo.pdf", |b| {
        b.starts_with(b"%PDF-")
            && b.trim_ascii_end().ends_with(b"%%EOF")
            && lopdf::Document::load_mem(b).is_ok()
    });
}

#[test]
fn killed_text_builds_leave_old_or_new_text() {
    check_build_faults("text", "memo.txt", |b| {
        std::str::from_utf8(b).is_ok_and(|s| s.ends_with("RESTRICTED\n"))
    });
}

#[test]
fn killed_pack_saves_leave_old_or_new_pack() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let lib = Library::embedded().unwrap();
    let [a, b] = two_packs(dir);
    let packs = [
        pack::parse(&a, "a", &lib).unwrap().pack,
        pack::parse(&b, "b", &lib).unwrap().pack,
    ];
    let texts = [packs[0].to_toml().unwrap(), packs[1].to_toml().unwrap()];
    let store = Store::at(dir.join("state").join("briefpack"));
    let key = DraftKey::New("kill".into());
    let target = "brief.toml";
    // `drafts restore 1 -o brief.toml --force` is the command that only saves a pack.
    let args = ["drafts", "restore", "1", "-o", target, "--force"];
    store.save(&key, &packs[0]).unwrap();
    complete(dir, &args);
    assert_eq!(std::fs::read_to_string(dir.join(target)).unwrap(), texts[0]);
    for (old, new) in [(0, 1), (1, 0)] {
        let mut stopped = 0;
        loop {
            store.save(&key, &packs[new]).unwrap();
            let o = briefpack(dir, &args, Some(format!("stop:{stopped}")));
            let text = std::fs::read_to_string(dir.join(target)).unwrap();
            let got = texts
                .iter()
                .position(|t| *t == text)
                .unwrap_or_else(|| panic!("stopped at boundary {stopped}, {target} is a fragment:\n{text}"));
            assert_eq!(pack::parse(&text, target, &lib).unwrap().pack, packs[got]);
            let draft_left = store.find(&key).unwrap().is_some();
            if o.status.code() != Some(FAULT_STOPPED) {
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                assert_eq!(got, new, "a complete restore writes the draft's pack");
                assert!(!draft_left, "a complete restore discards the draft");
                break;
            }
            let want = if stopped < STOP_BOUNDARIES - 2 { old } else { new };
            assert_eq!(
                got, want,
                "stopped at write boundary {stopped}: {target} holds pack {got}"
            );
            // The draft is removed only after the pack is whole on disk.
            assert!(
                draft_left,
                "stopped at boundary {stopped}: the draft was discarded"
            );
            assert_no_lookalikes(dir, &[target]);
            stopped += 1;
        }
        assert_eq!(
            stopped, STOP_BOUNDARIES,
            "the restore passed {stopped} write boundaries: the pack does not go through one atomic write"
        );
        // A failed write keeps the old pack and the draft, and says why.
        store.save(&key, &packs[old]).unwrap();
        let o = briefpack(dir, &args, Some("fail:2".into()));
        assert_eq!(o.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&o.stderr).contains("injected fault"));
        assert_eq!(std::fs::read_to_string(dir.join(target)).unwrap(), texts[new]);
        assert!(
            store.find(&key).unwrap().is_some(),
            "a failed restore keeps the draft"
        );
    }
}
