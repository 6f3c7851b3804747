//! SIGKILL at random moments during builds and pack saves: the target is always
//! absent, the old complete file or the new complete file, never a fragment, and
//! nothing a reader could mistake for the file is left beside it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

use briefpack::draft::{DraftKey, Store};
use briefpack::library::Library;
use briefpack::pack;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EXAMPLE: &str = "examples/sochi-2011-informal-summit.toml";
/// Kills per operation: enough to land in every phase of a write over the runs
/// of CI, few enough to keep the suite fast.
const KILLS: usize = 8;

/// A small LCG seeded from the clock: different moments every run, no dependency.
struct Lcg(u64);

impl Lcg {
    fn seeded() -> Lcg {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64);
        eprintln!("kill-test seed {t}");
        Lcg(t)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

fn briefpack(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_briefpack"));
    c.args(args)
        .current_dir(dir)
        .env_remove("BRIEFPACK_DATA")
        .env("XDG_STATE_HOME", dir.join("state"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Runs to completion; returns how long it took (to aim the kills, not to assert).
fn complete(dir: &Path, args: &[&str]) -> Duration {
    let t = Instant::now();
    let s = briefpack(dir, args).status().unwrap();
    assert!(s.success(), "briefpack {args:?} failed");
    t.elapsed()
}

/// Starts the command and SIGKILLs it after a random part of its usual run time
/// (sometimes after it finished, which is fine: then the new file must be whole).
fn kill_during(dir: &Path, args: &[&str], usual: Duration, rng: &mut Lcg) {
    let span = u64::try_from(usual.as_micros())
        .unwrap_or(u64::MAX)
        .saturating_mul(5)
        / 4;
    let delay = Duration::from_micros(rng.below(span));
    let mut child = briefpack(dir, args).spawn().unwrap();
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
}

/// Nothing but the targets and the writer's hidden temporaries in `dir`.
fn assert_no_lookalikes(dir: &Path, targets: &[&str]) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if targets.contains(&name.as_str()) || name == "state" || name.ends_with(".input.toml") {
            continue;
        }
        assert!(
            name.starts_with('.')
                && std::path::Path::new(&name)
                    .extension()
                    .is_some_and(|e| e == "tmp"),
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

fn check_build_kills(format: &str, target: &str, whole: impl Fn(&[u8]) -> bool) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    two_packs(dir);
    let mut rng = Lcg::seeded();
    let inputs = ["a.input.toml", "b.input.toml"];
    // The two complete outputs, made beforehand; builds are deterministic.
    let mut expected = Vec::new();
    let mut usual = Duration::ZERO;
    for input in inputs {
        usual = usual.max(complete(dir, &["build", input, "--format", format, "-o", target]));
        let bytes = std::fs::read(dir.join(target)).unwrap();
        assert!(whole(&bytes), "a complete {format} build is whole");
        expected.push(bytes);
    }
    assert_ne!(expected[0], expected[1]);
    std::fs::remove_file(dir.join(target)).unwrap();
    let mut ever_written = false;
    for i in 0..KILLS {
        let input = inputs[i % 2];
        kill_during(
            dir,
            &["build", input, "--format", format, "-o", target],
            usual,
            &mut rng,
        );
        match std::fs::read(dir.join(target)) {
            Ok(bytes) => {
                ever_written = true;
                assert!(
                    expected.contains(&bytes),
                    "after a kill, {target} is neither the old nor the new build ({} bytes)",
                    bytes.len()
                );
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                assert!(!ever_written, "{target} disappeared after a kill");
            }
            Err(e) => panic!("{e}"),
        }
        assert_no_lookalikes(dir, &[target]);
    }
    // A later complete write sweeps the killed writers' temporaries.
    complete(dir, &["build", inputs[0], "--format", format, "-o", target]);
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
    check_build_kills("pdf", "memo.pdf", |b| {
        b.starts_with(b"%PDF-")
            && b.trim_ascii_end().ends_with(b"%%EOF")
            && lopdf::Document::load_mem(b).is_ok()
    });
}

#[test]
fn killed_text_builds_leave_old_or_new_text() {
    check_build_kills("text", "memo.txt", |b| {
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
    let target = "brief.toml";
    let save = |p: &pack::Pack| {
        store.save(&DraftKey::New("kill".into()), p).unwrap();
    };
    // `drafts restore 1 -o brief.toml --force` is the command that only saves a pack.
    let args = ["drafts", "restore", "1", "-o", target, "--force"];
    save(&packs[0]);
    let usual = complete(dir, &args);
    let mut rng = Lcg::seeded();
    let mut current = 0;
    for i in 0..KILLS * 2 {
        let next = (i + 1) % 2;
        save(&packs[next]);
        kill_during(dir, &args, usual, &mut rng);
        let text = std::fs::read_to_string(dir.join(target)).unwrap();
        let got = texts
            .iter()
            .position(|t| *t == text)
            .unwrap_or_else(|| panic!("after a kill, {target} is a fragment:\n{text}"));
        assert!(
            got == current || got == next,
            "{target} went back to an older pack"
        );
        assert_eq!(pack::parse(&text, target, &lib).unwrap().pack, packs[got]);
        current = got;
        // The draft is removed only after the pack is whole on disk.
        let draft_left = store.find(&DraftKey::New("kill".into())).unwrap().is_some();
        assert!(
            draft_left || got == next,
            "the draft was discarded before its pack was saved"
        );
        assert_no_lookalikes(dir, &[target]);
    }
}
