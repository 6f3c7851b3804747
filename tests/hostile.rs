//! Hostile and broken data, generated at test time: each case gives a clear message
//! or works, through the real binary and through the library API. Never a panic,
//! never a hang (every run has a deadline), never unbounded memory (the binary
//! runs under an address-space limit where `prlimit` exists).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use briefpack::clean;
use briefpack::compose::compose;
use briefpack::library::{DataSource, Kind, Library};
use briefpack::pack;
use briefpack::render::text;
use briefpack::template::Template;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Generous: a deadline catches hangs and runaway loops, it does not time anything.
const DEADLINE: Duration = Duration::from_secs(120);
/// Address space for ordinary cases.
const MEMORY_MB: u64 = 512;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary in `dir` with `args`, under a memory limit, killed at the deadline.
fn run_in(dir: &Path, args: &[&str], memory_mb: u64) -> Run {
    let bin = env!("CARGO_BIN_EXE_briefpack");
    let limit = format!("--as={}", memory_mb * 1024 * 1024);
    let mut cmd = if Path::new("/usr/bin/prlimit").exists() {
        let mut c = Command::new("/usr/bin/prlimit");
        c.arg(&limit).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    let out_file = dir.join(".stdout");
    let err_file = dir.join(".stderr");
    let mut child = cmd
        .args(args)
        .current_dir(dir)
        .env_remove("BRIEFPACK_DATA")
        .env("XDG_STATE_HOME", dir.join(".state"))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_file).unwrap())
        .stderr(std::fs::File::create(&err_file).unwrap())
        .spawn()
        .expect("the binary starts");
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("briefpack {args:?} hung (still running after {DEADLINE:?})");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&std::fs::read(&out_file).unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&std::fs::read(&err_file).unwrap()).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("internal error"),
        "briefpack {args:?} panicked: {}",
        run.stderr
    );
    assert!(
        run.code.is_some(),
        "briefpack {args:?} was killed by a signal (out of memory?)"
    );
    run
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_in(dir, args, MEMORY_MB)
}

/// A small valid library in `dir/data`, files overridable.
fn library_dir(dir: &Path, overrides: &[(&str, &[u8])]) -> PathBuf {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for (name, text) in [
        ("sources.toml", common::SOURCES),
        ("threats.toml", common::THREATS),
        ("partners.toml", common::PARTNERS),
        ("operations.toml", common::OPERATIONS),
        ("people.toml", common::PEOPLE),
        ("points.toml", common::POINTS),
    ] {
        std::fs::write(data.join(name), text).unwrap();
    }
    for (name, bytes) in overrides {
        let p = data.join(name);
        if p.is_dir() {
            std::fs::remove_dir_all(&p).unwrap();
        } else {
            let _ = std::fs::remove_file(&p);
        }
        std::fs::write(p, bytes).unwrap();
    }
    data
}

fn point(id: &str, text: &str) -> String {
    format!(
        "\n[[points]]\nid = {}\ntext = {}\nkind = \"key-message\"\nthreats = [\"drugs\"]\nsource = \"report\"\nexcerpt = \"x\"\nstatus = \"approved\"\n",
        common::toml_str(id),
        common::toml_str(text)
    )
}

fn pack_selecting(points: &[String]) -> String {
    let list: Vec<String> = points.iter().map(|p| common::toml_str(p)).collect();
    common::PACK.replace(
        "points = [\"defend-afghan\", \"youth-camps\", \"channel-permanent\"]",
        &format!("points = [{}]", list.join(", ")),
    )
}

#[test]
fn a_hundred_thousand_points_load_and_a_pack_of_2000_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let mut points = String::from(common::POINTS);
    for i in 0..100_000 {
        points.push_str(&point(
            &format!("gen-{i}"),
            &format!("Generated point number {i}."),
        ));
    }
    let data = library_dir(tmp.path(), &[("points.toml", points.as_bytes())]);
    // The binary: check, list, and a build selecting the most a pack may hold.
    // Loading 20 MB of TOML needs a few hundred MB of address space.
    let r = run_in(tmp.path(), &["check", "--data", "data"], 1024);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("100004 points"), "{}", r.stderr);
    let ids: Vec<String> = (0..pack::MAX_SELECTION - 5).map(|i| format!("gen-{i}")).collect();
    std::fs::write(tmp.path().join("big.toml"), pack_selecting(&ids)).unwrap();
    let r = run_in(
        tmp.path(),
        &[
            "build", "big.toml", "--data", "data", "--format", "text", "-o", "big.txt",
        ],
        1024,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let built = std::fs::read_to_string(tmp.path().join("big.txt")).unwrap();
    assert!(
        built.contains("Generated point number 1994."),
        "the last point is in the memo"
    );
    // The API sees the same library.
    let lib = Library::load(&DataSource::Dir(data))
        .unwrap()
        .into_valid()
        .unwrap();
    assert_eq!(lib.count(Kind::Point), 100_004);
    assert_eq!(lib.points_of_threat("drugs").count(), 100_002);
}

#[test]
fn a_pack_selecting_ten_thousand_items_is_refused_clearly() {
    let lib = common::library();
    let ids: Vec<String> = (0..10_000).map(|i| format!("p-{i}")).collect();
    let text = pack_selecting(&ids);
    let e = pack::parse(&text, "huge.toml", &lib).unwrap_err().to_string();
    assert_eq!(e, "huge.toml selects 10004 items; a brief can hold at most 2000");
    // Under the limit but every id unknown: the message is a screenful, not 1,990 lines.
    let ids: Vec<String> = (0..1_990).map(|i| format!("p-{i}")).collect();
    let e = pack::parse(&pack_selecting(&ids), "bad.toml", &lib)
        .unwrap_err()
        .to_string();
    assert_eq!(e.lines().count(), 21, "{e}");
    assert!(e.ends_with("bad.toml: and 1970 more errors"), "{e}");
    // And through the binary.
    let tmp = tempfile::tempdir().unwrap();
    library_dir(tmp.path(), &[]);
    let ids: Vec<String> = (0..10_000).map(|_| "youth-camps".to_owned()).collect();
    std::fs::write(tmp.path().join("huge.toml"), pack_selecting(&ids)).unwrap();
    let r = run(
        tmp.path(),
        &["build", "huge.toml", "--data", "data", "--format", "text"],
    );
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr
            .contains("selects 10004 items; a brief can hold at most 2000"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_one_megabyte_point_loads_lists_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let words = "zqxcooperation ".repeat(1024 * 1024 / 15);
    let points = format!("{}{}", common::POINTS, point("huge", &words));
    library_dir(tmp.path(), &[("points.toml", points.as_bytes())]);
    let r = run(tmp.path(), &["check", "--data", "data"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = run(tmp.path(), &["list", "points", "--data", "data"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.len() > 1_000_000);
    std::fs::write(tmp.path().join("p.toml"), pack_selecting(&["huge".to_owned()])).unwrap();
    let r = run(
        tmp.path(),
        &[
            "build", "p.toml", "--data", "data", "--format", "text", "-o", "p.txt",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let built = std::fs::read_to_string(tmp.path().join("p.txt")).unwrap();
    // Every word arrives in the body; the summary repeats the point's first words.
    let body = &built[built.find("1. ").unwrap()..];
    assert_eq!(
        body.matches("zqxcooperation").count(),
        words.matches("zqxcooperation").count()
    );
    assert!(built
        .lines()
        .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 78));
}

#[test]
fn invalid_utf8_is_reported_with_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let mut bytes = common::POINTS.as_bytes().to_vec();
    bytes.extend_from_slice(b"\n# caf\xe9\n");
    library_dir(tmp.path(), &[("points.toml", &bytes)]);
    let r = run(tmp.path(), &["check", "--data", "data"]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr
            .contains("points.toml: error: invalid UTF-8 at line 39 column 6"),
        "{}",
        r.stderr
    );
    let r = run(tmp.path(), &["list", "points", "--data", "data"]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("invalid UTF-8"), "{}", r.stderr);
    library_dir(tmp.path(), &[("points.toml", common::POINTS.as_bytes())]);
    let mut pack = common::PACK.as_bytes().to_vec();
    pack.extend_from_slice(b"\xff\xfe");
    std::fs::write(tmp.path().join("p.toml"), pack).unwrap();
    let r = run(
        tmp.path(),
        &["build", "p.toml", "--data", "data", "--format", "text"],
    );
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("pack p.toml is not UTF-8 text"), "{}", r.stderr);
}

#[test]
fn a_data_file_or_pack_that_is_a_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let data = library_dir(tmp.path(), &[]);
    std::fs::remove_file(data.join("threats.toml")).unwrap();
    std::fs::create_dir(data.join("threats.toml")).unwrap();
    let r = run(tmp.path(), &["check", "--data", "data"]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr
            .contains("threats.toml: error: is a directory, not a file"),
        "{}",
        r.stderr
    );
    std::fs::create_dir(tmp.path().join("p.toml")).unwrap();
    let r = run(tmp.path(), &["build", "p.toml", "--format", "text"]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("p.toml is a directory, not a pack"),
        "{}",
        r.stderr
    );
    let r = run(tmp.path(), &["check", "--data", "p.toml/nowhere"]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("does not exist or is not a directory"),
        "{}",
        r.stderr
    );
}

#[test]
fn empty_files_load_with_a_warning_where_it_matters() {
    let tmp = tempfile::tempdir().unwrap();
    library_dir(tmp.path(), &[("points.toml", b""), ("people.toml", b"\n")]);
    let r = run(tmp.path(), &["check", "--data", "data"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("points.toml: warning: file is empty, so the library has no points"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("people.toml"),
        "people are optional: {}",
        r.stderr
    );
    // An empty pack is a brief not yet started: it builds.
    std::fs::write(tmp.path().join("empty.toml"), "").unwrap();
    let r = run(
        tmp.path(),
        &[
            "build",
            "empty.toml",
            "--data",
            "data",
            "--format",
            "text",
            "-o",
            "-",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("DRAFT"), "{}", r.stdout);
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let tmp = tempfile::tempdir().unwrap();
    let n = 10_000;
    let arrays = format!("a = {}{}\n", "[".repeat(n), "]".repeat(n));
    let tables = format!("a = {}1{}\n", "{b = ".repeat(n), "}".repeat(n));
    let dotted = format!("{}c = 1\n", "b.".repeat(n));
    for (i, case) in [&arrays, &tables, &dotted].into_iter().enumerate() {
        library_dir(tmp.path(), &[("points.toml", case.as_bytes())]);
        let r = run(tmp.path(), &["check", "--data", "data"]);
        assert_eq!(r.code, Some(1), "case {i}: {}", r.stderr);
        assert!(r.stderr.contains("points.toml"), "case {i}: {}", r.stderr);
        let c = Library::from_texts(&[(Kind::Point, case)]);
        assert_eq!(c.errors(), 1, "case {i}: {:?}", c.diagnostics);
    }
    library_dir(tmp.path(), &[("points.toml", arrays.as_bytes())]);
    let r = run(tmp.path(), &["check", "--data", "data"]);
    assert!(
        r.stderr
            .contains("nested too deeply; library files and packs need only a few levels"),
        "{}",
        r.stderr
    );
    let lib = common::library();
    let pack = format!("[meeting]\ntitle = {}\"x\"{}\n", "[".repeat(n), "]".repeat(n));
    let e = pack::parse(&pack, "deep.toml", &lib).unwrap_err().to_string();
    assert!(e.starts_with("deep.toml:2:"), "{e}");
    assert!(e.contains("nested too deeply"), "{e}");
}

#[test]
fn duplicate_keys_and_ids_are_errors_with_places() {
    let tmp = tempfile::tempdir().unwrap();
    let dup_key = common::POINTS.replacen(
        "kind = \"defensive-line\"",
        "kind = \"defensive-line\"\nkind = \"x\"",
        1,
    );
    library_dir(tmp.path(), &[("points.toml", dup_key.as_bytes())]);
    let r = run(tmp.path(), &["check", "--data", "data"]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("points.toml:6:1: error: duplicate key"),
        "{}",
        r.stderr
    );
    let dup_id = format!("{}{}", common::POINTS, point("youth-camps", "Again."));
    library_dir(tmp.path(), &[("points.toml", dup_id.as_bytes())]);
    let r = run(tmp.path(), &["check", "--data", "data"]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr
            .contains("duplicate point id `youth-camps` (first defined at"),
        "{}",
        r.stderr
    );
    let lib = common::library();
    let pack = common::PACK.replace("to = \"President\"", "to = \"President\"\nto = \"Minister\"");
    let e = pack::parse(&pack, "dup.toml", &lib).unwrap_err().to_string();
    assert!(
        e.starts_with("dup.toml:10:1:") && e.contains("duplicate key"),
        "{e}"
    );
}

#[test]
fn impossible_dates_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let points = format!("{}reviewed = 2011-02-30\n", point("dated", "A point."));
    let points = format!("{}{points}", common::POINTS);
    library_dir(tmp.path(), &[("points.toml", points.as_bytes())]);
    let r = run(tmp.path(), &["check", "--data", "data"]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("points.toml:47:12: error:"), "{}", r.stderr);
    assert!(r.stderr.contains("day"), "{}", r.stderr);
    // A date given as a string goes through our own parser.
    let sources = common::SOURCES.replace("date = 2011-08-05", "date = \"2011-02-30\"");
    library_dir(tmp.path(), &[("sources.toml", sources.as_bytes())]);
    let c = Library::load(&DataSource::Dir(tmp.path().join("data"))).unwrap();
    let msgs: Vec<String> = c.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].contains("sources.toml:19:8: error: `date`: `2011-02-30` is not a day of the calendar"),
        "{msgs:?}"
    );
}

#[test]
fn ids_with_spaces_are_refused_in_the_library_and_unknown_in_packs() {
    let tmp = tempfile::tempdir().unwrap();
    let points = format!("{}{}", common::POINTS, point("has spaces here", "A point."));
    library_dir(tmp.path(), &[("points.toml", points.as_bytes())]);
    let r = run(tmp.path(), &["check", "--data", "data"]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("point id `has spaces here` is not kebab-case"),
        "{}",
        r.stderr
    );
    let lib = common::library();
    let e = pack::parse(&pack_selecting(&["youth camps".to_owned()]), "p.toml", &lib)
        .unwrap_err()
        .to_string();
    assert_eq!(e, "p.toml:24:11: error: unknown point id `youth camps`");
}

const HOSTILE: &str =
    "Clipboard\u{1b}]52;c;ZXZpbA==\u{7} wipe\u{1b}[2J\u{9b}31m bidi\u{202e}txt.exe\u{2066} end";

fn assert_harmless(s: &str) {
    assert!(
        !s.contains('\u{1b}') && !s.contains('\u{9b}') && !s.contains('\u{7}'),
        "{s:?}"
    );
    assert!(!s.contains('\u{202e}') && !s.contains('\u{2066}'), "{s:?}");
    assert!(s.contains("<U+202E>") && s.contains("<U+2066>"), "{s:?}");
}

#[test]
fn escape_sequences_and_bidi_overrides_never_reach_the_terminal() {
    let cleaned = clean::line(HOSTILE);
    assert_harmless(&cleaned);
    assert!(cleaned.contains("Clipboard]52;c;ZXZpbA== wipe[2J31m bidi<U+202E>txt.exe<U+2066> end"));

    // Through the library, compose and the text renderer.
    let points = format!("{}{}", common::POINTS, point("hostile", HOSTILE));
    let c = common::with_points(&points);
    assert_eq!(c.errors(), 0, "{:?}", c.diagnostics);
    let lib = c.library;
    assert_eq!(
        lib.point("hostile").unwrap().text,
        HOSTILE,
        "the data itself is kept as written"
    );
    let pack_text = pack_selecting(&["hostile".to_owned()]).replace(
        "title = \"Informal summit\"",
        &format!("title = {}", common::toml_str(HOSTILE)),
    );
    let p = pack::parse(&pack_text, "p.toml", &lib).unwrap().pack;
    let doc = compose(&lib, &p, &Template::default_template().unwrap());
    for width in [20, 40, 78, 200] {
        let all = text::lines(&doc, width).join("\n");
        assert_harmless(&all);
    }

    // Through the binary: list and build print it harmlessly.
    let tmp = tempfile::tempdir().unwrap();
    library_dir(tmp.path(), &[("points.toml", points.as_bytes())]);
    std::fs::write(tmp.path().join("p.toml"), &pack_text).unwrap();
    let r = run(tmp.path(), &["list", "points", "--data", "data"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_harmless(&r.stdout);
    let r = run(
        tmp.path(),
        &["build", "p.toml", "--data", "data", "--format", "text", "-o", "-"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_harmless(&r.stdout);
    // JSON keeps the text exactly, escaped the JSON way (no raw ESC byte).
    let r = run(tmp.path(), &["list", "points", "--data", "data", "--json"]);
    assert!(!r.stdout.contains('\u{1b}'));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().any(|p| p["text"] == HOSTILE));
}

/// The words of each page of a PDF as poppler's pdftotext extracts them.
fn pdf_words(path: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext failed on {}", path.display());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_two_megabyte_paragraph_builds_a_pdf_in_bounded_memory() {
    // Laid out in the square of its length, 200 KB of one paragraph needed
    // 1.7 GB; laid out linearly but kept as one PDF object per glyph until the
    // file was written, 2 MB still needed 550 MB. The bound is 300 MB
    // (bench/run reports the peak); address space, capped here, is never less.
    let tmp = tempfile::tempdir().unwrap();
    library_dir(tmp.path(), &[]);
    let words = "zqxcooperation ".repeat(2 * 1024 * 1024 / 15);
    let pack = common::PACK.replace(
        "purpose = \"Brief the President.\"",
        &format!("purpose = {}", common::toml_str(&words)),
    );
    std::fs::write(tmp.path().join("long.toml"), pack).unwrap();
    let r = run_in(
        tmp.path(),
        &["build", "long.toml", "--data", "data", "-o", "long.pdf"],
        300,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let seen = pdf_words(&tmp.path().join("long.pdf"));
    assert_eq!(
        seen.iter().filter(|w| *w == "zqxcooperation").count(),
        words.matches("zqxcooperation").count(),
        "every word of the paragraph is on the pages"
    );
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_as_inputs_never_waited_on() {
    let tmp = tempfile::tempdir().unwrap();
    let data = library_dir(tmp.path(), &[]);
    // A library file that is a FIFO nobody writes to: opening it for reading
    // used to wait for a writer for ever.
    std::fs::remove_file(data.join("threats.toml")).unwrap();
    mkfifo(&data.join("threats.toml"));
    for args in [
        &["check", "--data", "data"][..],
        &["list", "threats", "--data", "data"],
    ] {
        let r = run(tmp.path(), args);
        assert_eq!(r.code, Some(1), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("threats.toml is not a regular file (a FIFO)"),
            "{args:?}: {}",
            r.stderr
        );
    }
    // One linked to /dev/zero: never ending, it used to be read until memory ran out.
    std::fs::remove_file(data.join("threats.toml")).unwrap();
    std::fs::write(data.join("threats.toml"), common::THREATS).unwrap();
    std::fs::remove_file(data.join("points.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", data.join("points.toml")).unwrap();
    let r = run(tmp.path(), &["check", "--data", "data"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("points.toml is not a regular file (a character device)"),
        "{}",
        r.stderr
    );
    // A pack and a template that are FIFOs.
    std::fs::remove_file(data.join("points.toml")).unwrap();
    std::fs::write(data.join("points.toml"), common::POINTS).unwrap();
    mkfifo(&tmp.path().join("p.toml"));
    let r = run(
        tmp.path(),
        &["build", "p.toml", "--data", "data", "--format", "text"],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("p.toml is not a regular file (a FIFO); a pack must be one"),
        "{}",
        r.stderr
    );
    std::fs::write(tmp.path().join("q.toml"), common::PACK).unwrap();
    mkfifo(&tmp.path().join("t.toml"));
    let r = run(
        tmp.path(),
        &[
            "build",
            "q.toml",
            "--data",
            "data",
            "--template",
            "t.toml",
            "--format",
            "text",
        ],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("t.toml is not a regular file (a FIFO)"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_oversized_pack_is_refused_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    library_dir(tmp.path(), &[]);
    let f = std::fs::File::create(tmp.path().join("big.toml")).unwrap();
    // Sparse: 17 MB of nothing on disk.
    f.set_len(17 << 20).unwrap();
    let r = run(
        tmp.path(),
        &["build", "big.toml", "--data", "data", "--format", "text"],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("big.toml is 17.0 MB; a pack may be at most 16 MB"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_source_file_outside_the_sources_directory_is_an_error_and_never_read() {
    let tmp = tempfile::tempdir().unwrap();
    let sources = common::SOURCES
        .replace("file = \"000.txt\"", "file = \"../../../../etc/passwd\"")
        .replace("file = \"003.txt\"", "file = \"/etc/passwd\"");
    library_dir(tmp.path(), &[("sources.toml", sources.as_bytes())]);
    let seeds = tmp.path().join("seeds");
    std::fs::create_dir(&seeds).unwrap();
    let r = run(tmp.path(), &["check", "--data", "data", "--sources", "seeds"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    for (file, line) in [("../../../../etc/passwd", 13), ("/etc/passwd", 23)] {
        let want =
            format!("sources.toml:{line}:8: error: `file` = `{file}` is outside the sources directory");
        assert!(r.stderr.contains(&want), "{want}\n{}", r.stderr);
    }
    assert!(!r.stderr.contains("root:"), "{}", r.stderr);
    // Checked again where the files are read, for a library that skipped loading.
    let e = briefpack::library::source_text(&seeds, "../../../../etc/passwd").unwrap_err();
    assert!(e.contains("outside the sources directory"), "{e}");
    assert!(briefpack::library::source_text(&seeds, "/etc/passwd").is_err());
}

#[test]
fn a_memo_too_long_for_a_pdf_is_refused_before_layout_and_still_builds_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    library_dir(tmp.path(), &[]);
    let words = "zqxcooperation ".repeat(5 * 1024 * 1024 / 15);
    let pack = common::PACK.replace(
        "purpose = \"Brief the President.\"",
        &format!("purpose = {}", common::toml_str(&words)),
    );
    std::fs::write(tmp.path().join("long.toml"), pack).unwrap();
    // Past 4 MB (over 1,000 pages) a PDF memo is refused before any layout,
    // and still builds as text.
    let r = run(
        tmp.path(),
        &["build", "long.toml", "--data", "data", "-o", "long.pdf"],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the memo holds 5.0 MB of text; a PDF memo may hold at most 4 MB"),
        "{}",
        r.stderr
    );
    assert!(!tmp.path().join("long.pdf").exists());
    let r = run(
        tmp.path(),
        &[
            "build",
            "long.toml",
            "--data",
            "data",
            "--format",
            "text",
            "-o",
            "long.txt",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}
