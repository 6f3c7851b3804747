//! The command line end to end: check, list and build, through the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use briefpack::library::{DataSource, Library};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXAMPLE: &str = "examples/sochi-2011-informal-summit.toml";

fn briefpack(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefpack"))
        .args(args)
        .env_remove("BRIEFPACK_DATA")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text of each page, as poppler's pdftotext (what readers see) extracts it.
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

#[test]
fn check_passes_on_the_shipped_library() {
    let o = briefpack(&["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("library ok:"), "{}", stderr(&o));
    let o = briefpack(&["check", "--data", "data"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn check_fails_on_a_broken_copy_with_places() {
    let (_dir, data) = common::copy_of_data();
    let threats = std::fs::read_to_string(data.join("threats.toml")).unwrap();
    // Break two things in one file: a reference and a value's type.
    let broken = threats.replacen("trend = \"", "trend = \"sideways-", 1).replacen(
        "sources = [\"",
        "sources = [\"nowhere-",
        1,
    );
    std::fs::write(data.join("threats.toml"), broken).unwrap();
    std::fs::write(data.join("people.toml"), "[[people]\nid = 1\n").unwrap();
    let o = briefpack(&["check", "--data", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let located = |file: &str, what: &str| {
        err.lines().any(|l| {
            let mut parts = l.splitn(4, ':');
            let (f, line, col) = (parts.next(), parts.next(), parts.next());
            f.is_some_and(|f| f.ends_with(file))
                && line.is_some_and(|n| n.parse::<usize>().is_ok())
                && col.is_some_and(|n| n.parse::<usize>().is_ok())
                && l.contains(what)
        })
    };
    assert!(located("threats.toml", "`trend` is `sideways-"), "{err}");
    assert!(located("threats.toml", "unknown source id `nowhere-"), "{err}");
    assert!(located("people.toml", "error"), "{err}");
    assert!(err.trim_end().ends_with("errors in the library"), "{err}");
}

/// Copies of the five seed documents, so the excerpt checks run wherever the repository is.
fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds")
}

/// The records of one kind, read from `data/KIND.toml` by the `toml` crate alone:
/// expected values that do not come from the loader under test.
fn records(kind: &str) -> Vec<toml::Table> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("data/{kind}.toml"));
    let mut doc: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
    let Some(toml::Value::Array(items)) = doc.remove(kind) else {
        panic!("data/{kind}.toml has no [[{kind}]]")
    };
    items.into_iter().map(|v| v.as_table().unwrap().clone()).collect()
}

fn field<'a>(rec: &'a toml::Table, key: &str) -> &'a str {
    rec[key].as_str().unwrap()
}

/// The 1-based line of `data`'s points.toml where `needle` first appears.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn check_verifies_excerpts_against_the_sources() {
    let seeds = seeds();
    let o = briefpack(&["check", "--sources", seeds.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("every excerpt found in its source"));

    // An excerpt no source holds is an error at its place in points.toml.
    let (_dir, data) = common::copy_of_data();
    let points = std::fs::read_to_string(data.join("points.toml")).unwrap();
    let second = records("points")[1].clone();
    let quote = field(&second, "excerpt");
    let changed = points.replacen(
        &format!("excerpt = {}", common::toml_str(quote)),
        &format!(
            "excerpt = {}",
            common::toml_str(&format!("{quote} and then some"))
        ),
        1,
    );
    assert_ne!(
        changed, points,
        "the second point's excerpt is written as expected"
    );
    std::fs::write(data.join("points.toml"), &changed).unwrap();
    let line = line_of(&changed, "and then some");
    let source = records("sources")
        .into_iter()
        .find(|s| field(s, "id") == field(&second, "source"))
        .unwrap();
    let data_arg = data.to_str().unwrap();
    let o = briefpack(&["check", "--data", data_arg, "--sources", seeds.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let want = format!(
        "points.toml:{line}:11: error: excerpt not found verbatim in {} (source `{}`)",
        field(&source, "file"),
        field(&source, "id")
    );
    assert!(stderr(&o).contains(&want), "{want} missing:\n{}", stderr(&o));
    assert!(
        stderr(&o).trim_end().ends_with("1 error in the library"),
        "{}",
        stderr(&o)
    );
    // Without --sources the excerpts are not checked, and the library is fine.
    assert!(briefpack(&["check", "--data", data_arg]).status.success());

    // A source document missing from DIR is reported for each point quoting it.
    let seeds_copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), seeds_copy.path().join(entry.file_name())).unwrap();
    }
    let gone = field(&records("sources")[3], "file").to_owned();
    std::fs::remove_file(seeds_copy.path().join(&gone)).unwrap();
    let o = briefpack(&["check", "--sources", seeds_copy.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let quoting = records("points")
        .iter()
        .filter(|p| field(p, "source") == field(&records("sources")[3], "id"))
        .count();
    assert!(quoting > 0);
    let reported = stderr(&o)
        .lines()
        .filter(|l| l.contains(": error: cannot read ") && l.contains(&gone))
        .count();
    assert_eq!(reported, quoting, "{}", stderr(&o));
}

const KINDS: [&str; 9] = [
    "threats",
    "partners",
    "points",
    "sources",
    "states",
    "operations",
    "organs",
    "people",
    "meetings",
];

#[test]
fn list_json_gives_records_for_scripts() {
    for kind in KINDS {
        let o = briefpack(&["list", kind, "--json"]);
        assert!(o.status.success(), "{kind}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let got = v.as_array().unwrap();
        let want = records(kind);
        let ids = |recs: &mut dyn Iterator<Item = String>| recs.collect::<Vec<_>>();
        assert_eq!(
            ids(&mut got.iter().map(|r| r["id"].as_str().unwrap_or("").to_owned())),
            ids(&mut want.iter().map(|r| field(r, "id").to_owned())),
            "{kind}: the records, in the library's order"
        );
        // Every value written in the library comes through as written.
        for (rec, json) in want.iter().zip(got) {
            for (key, value) in rec {
                let expected = match value {
                    toml::Value::String(s) => serde_json::json!(s),
                    toml::Value::Datetime(d) => serde_json::json!(d.to_string()),
                    toml::Value::Array(a) if a.iter().all(toml::Value::is_str) => {
                        serde_json::json!(a.iter().map(|s| s.as_str().unwrap()).collect::<Vec<_>>())
                    }
                    _ => continue,
                };
                assert_eq!(json[key.as_str()], expected, "{kind} {}: {key}", field(rec, "id"));
            }
        }
    }
}

#[test]
fn list_tables_give_one_row_per_record() {
    for (kind, title) in [
        ("threats", "title"),
        ("partners", "name"),
        ("points", "text"),
        ("sources", "title"),
        ("states", "name"),
        ("operations", "name"),
        ("organs", "name"),
        ("people", "name"),
        ("meetings", "title"),
    ] {
        let o = briefpack(&["list", kind]);
        assert!(o.status.success(), "{kind}: {}", stderr(&o));
        let table = String::from_utf8(o.stdout).unwrap();
        let want = records(kind);
        assert_eq!(table.lines().count(), want.len(), "{kind}:\n{table}");
        for (row, rec) in table.lines().zip(&want) {
            let id = field(rec, "id");
            assert!(
                row.split_whitespace().next() == Some(id),
                "{kind}: row {row:?} is not {id}"
            );
            let words: Vec<&str> = field(rec, title).split_whitespace().take(3).collect();
            assert!(
                squash(row).contains(&words.join(" ")),
                "{kind} {id}: {title} missing from {row:?}"
            );
        }
    }
}

#[test]
fn build_writes_a_memo_holding_every_selected_item() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("brief.pdf");
    let o = briefpack(&["build", EXAMPLE, "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("built"), "{}", stderr(&o));

    let pdf = lopdf::Document::load(&out).expect("a PDF lopdf can parse");
    let page_count = pdf.get_pages().len();
    let pages = pdf_pages(&out);
    assert_eq!(pages.len(), page_count);
    // What the memo must hold, read from the pack and library files by the toml
    // crate, not by the loaders under test.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pack: toml::Table = std::fs::read_to_string(root.join(EXAMPLE))
        .unwrap()
        .parse()
        .unwrap();
    let marking = pack["memo"]["marking"].as_str().unwrap();
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.matches(marking).count() >= 2,
            "marking top and bottom of page {}",
            i + 1
        );
        assert!(
            page.contains(&format!("Page {} of {page_count}", i + 1)),
            "page {} numbered",
            i + 1
        );
    }
    let all = squash(&pages.join("\n"));
    for (kind, key, text) in [
        ("threats", "threats", "title"),
        ("points", "points", "text"),
        ("partners", "partners", "name"),
        ("people", "people", "name"),
    ] {
        let picked = pack["selection"][key].as_array().unwrap();
        assert!(!picked.is_empty(), "the example picks {key}");
        let recs = records(kind);
        for id in picked {
            let id = id.as_str().unwrap();
            let rec = recs.iter().find(|r| field(r, "id") == id).unwrap();
            // The memo sets quotes and apostrophes typographically.
            let want = briefpack::compose::editorial::typographic(field(rec, text));
            assert!(all.contains(&squash(&want)), "{kind} {id} missing");
        }
    }
}

#[test]
fn build_text_to_stdout_matches_the_document() {
    let o = briefpack(&["build", EXAMPLE, "--format", "text", "-o", "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.lines().all(|l| l.chars().count() <= 78),
        "lines fit the width"
    );
    // The whole document, byte for byte as the library renders it, and as a file gets it.
    let lib = Library::load(&DataSource::Embedded).unwrap().library;
    let pack = briefpack::pack::load(Path::new(EXAMPLE), &lib).unwrap().pack;
    let template = briefpack::template::Template::default_template().unwrap();
    let doc = briefpack::compose::compose(&lib, &pack, &template);
    let want = briefpack::render::render(&doc, &template, briefpack::render::Format::Text).unwrap();
    assert!(
        text.as_bytes() == want.bytes,
        "standard output is not the rendered document"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("memo.txt");
    let o = briefpack(&["build", EXAMPLE, "--format", "text", "-o", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read(&file).unwrap() == text.as_bytes(),
        "-o - and -o FILE differ"
    );
    assert!(
        text.trim_start().starts_with("RESTRICTED") && text.ends_with("RESTRICTED\n"),
        "{text}"
    );
    assert!(text.contains("BRIEFING MEMO"));
}

#[test]
fn errors_are_one_clear_sentence() {
    let o = briefpack(&["build", "no/such/pack.toml", "-o", "x.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("briefpack: cannot read pack no/such/pack.toml"),
        "{err}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    assert!(!PathBuf::from("x.pdf").exists());
    let o = briefpack(&["check", "--data", "/no/such/dir"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
}

/// Runs a reader no one here wrote on a built PDF and returns its output.
fn reader(tool: &str, args: &[&str], pdf: &Path) -> Output {
    Command::new(tool)
        .args(args)
        .arg(pdf)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils / qpdf) is installed: {e}"))
}

#[test]
fn rebuilding_gives_identical_bytes_and_every_reader_is_content() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.pdf");
    let b = dir.path().join("b.pdf");
    for out in [&a, &b] {
        let o = briefpack(&["build", EXAMPLE, "-o", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let bytes = std::fs::read(&a).unwrap();
    assert!(
        bytes == std::fs::read(&b).unwrap(),
        "two builds of one pack differ"
    );
    // Small enough to e-mail: the example memo is at most 60 KB.
    assert!(bytes.len() <= 60 * 1024, "example PDF is {} bytes", bytes.len());

    let qpdf = reader("qpdf", &["--check"], &a);
    assert!(
        qpdf.status.success(),
        "qpdf --check: {}",
        String::from_utf8_lossy(&qpdf.stdout)
    );
    assert!(
        String::from_utf8_lossy(&qpdf.stderr).trim().is_empty(),
        "qpdf warned"
    );

    let fonts = String::from_utf8(reader("pdffonts", &[], &a).stdout).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type... emb sub uni id gen: embedded and subset, with a subset tag.
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "{row}");
        assert_eq!(cols[0].as_bytes()[6], b'+', "{row}");
    }

    let info = String::from_utf8(reader("pdfinfo", &[], &a).stdout).unwrap();
    let lib = Library::embedded().unwrap();
    let pack = briefpack::pack::load(Path::new(EXAMPLE), &lib).unwrap().pack;
    assert!(
        info.contains(&format!("Author:          {}", pack.memo.from)),
        "{info}"
    );
    assert!(info.contains(&pack.meeting.title), "{info}");
    assert!(
        info.contains("CreationDate:    Fri Aug  5 12:00:00 2011 UTC"),
        "{info}"
    );
}

#[test]
fn cyrillic_metadata_and_a_date_from_source_date_epoch() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("p.toml");
    std::fs::write(
        &pack,
        "[meeting]\ntitle = \"Сессия Совета коллективной безопасности\"\n[memo]\nfrom = \"Генеральный секретарь\"\n\
         marking = \"ДСП\"\n[selection]\nthreats = [\"afghan-drug-trafficking\"]\n",
    )
    .unwrap();
    let out = dir.path().join("p.pdf");
    let o = Command::new(env!("CARGO_BIN_EXE_briefpack"))
        .args(["build", pack.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .env_remove("BRIEFPACK_DATA")
        .env("SOURCE_DATE_EPOCH", "1312545600")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let info = String::from_utf8(reader("pdfinfo", &[], &out).stdout).unwrap();
    assert!(
        info.contains("Title:           Сессия Совета коллективной безопасности"),
        "{info}"
    );
    assert!(info.contains("Author:          Генеральный секретарь"), "{info}");
    assert!(
        info.contains("Keywords:        Afghan drug trafficking"),
        "{info}"
    );
    assert!(
        info.contains("CreationDate:    Fri Aug  5 12:00:00 2011 UTC"),
        "{info}"
    );
    let text = pdf_pages(&out).join("\n");
    assert!(
        text.contains("ДСП") && text.contains("Сессия Совета коллективной безопасности"),
        "{text}"
    );
}

#[test]
fn template_by_name_or_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let text = |args: &[&str]| {
        let mut all = vec!["build", EXAMPLE, "--format", "text", "-o", "-"];
        all.extend_from_slice(args);
        let o = briefpack(&all);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let default = text(&[]);
    assert_eq!(text(&["--template", "summit-memo"]), default);
    // A copy with its own wording, by path.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let own = std::fs::read_to_string(root.join("templates/summit-memo.toml"))
        .unwrap()
        .replace("title = \"Briefing memo\"", "title = \"SUMMIT NOTE\"");
    let path = dir.path().join("note.toml");
    std::fs::write(&path, own).unwrap();
    let note = text(&["--template", path.to_str().unwrap()]);
    assert!(
        note.contains("SUMMIT NOTE") && !note.contains("BRIEFING MEMO"),
        "{note}"
    );
    // The text format sets the title in capitals, as the PDF does.
    assert!(default.contains("BRIEFING MEMO") && !default.contains("SUMMIT NOTE"));
    // Neither a name nor a file: one sentence naming the built-in ones.
    let o = briefpack(&["build", EXAMPLE, "-o", "-", "--template", "no-such"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no template named `no-such` (built in: summit-memo), and no such file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn briefpack_data_picks_the_library_and_data_overrides_it() {
    let (_dir, data) = common::copy_of_data();
    let first = records("threats")[0].clone();
    let title = field(&first, "title");
    let threats = std::fs::read_to_string(data.join("threats.toml")).unwrap();
    let renamed = threats.replacen(
        &format!("title = {}", common::toml_str(title)),
        "title = \"Renamed in the team's checkout\"",
        1,
    );
    assert_ne!(renamed, threats);
    std::fs::write(data.join("threats.toml"), renamed).unwrap();
    let list = |env: Option<&Path>, args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_briefpack"));
        c.args(["list", "threats"])
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        match env {
            Some(d) => c.env("BRIEFPACK_DATA", d),
            None => c.env_remove("BRIEFPACK_DATA"),
        };
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    assert!(list(Some(&data), &[]).contains("Renamed in the team's checkout"));
    assert!(list(None, &[]).contains(title));
    assert!(!list(None, &[]).contains("Renamed"));
    // --data wins over the variable.
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    assert!(!list(Some(&data), &["--data", shipped.to_str().unwrap()]).contains("Renamed"));
}

#[test]
fn a_reader_that_stops_early_is_no_error() {
    // `briefpack list points --json | head -c1`: the pipe closes after a byte.
    for args in [&["list", "points"][..], &["list", "points", "--json"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefpack"))
            .args(args)
            .env_remove("BRIEFPACK_DATA")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 1];
        std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}");
    }
}

#[test]
fn an_empty_briefpack_data_means_the_embedded_library() {
    let o = Command::new(env!("CARGO_BIN_EXE_briefpack"))
        .args(["check"])
        .env("BRIEFPACK_DATA", "")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("library ok:"), "{}", stderr(&o));
}

#[test]
fn dev_stdout_on_a_pipe_is_written_into() {
    let o = briefpack(&[
        "build",
        "examples/sochi-2011-informal-summit.toml",
        "--format",
        "text",
        "-o",
        "/dev/stdout",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("BRIEFING MEMO"), "{text}");
}

/// Issue 13, item 3: a build never writes over its own pack, and replaces only a
/// PDF an earlier build made unless told to with --force.
#[test]
fn build_never_writes_over_its_pack_or_someone_elses_file() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE)).unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_briefpack"))
            .args(args)
            .env_remove("BRIEFPACK_DATA")
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let read = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    for (pack, args) in [
        ("p.toml", vec!["build", "p.toml", "-o", "p.toml"]),
        ("p.toml", vec!["build", "p.toml", "-o", "./p.toml", "--force"]),
        // Text with no -o goes to the pack's name with .txt: here, the pack.
        ("notes.txt", vec!["build", "notes.txt", "--format", "text"]),
        // A pack saved as x.pdf.
        ("x.pdf", vec!["build", "x.pdf"]),
    ] {
        std::fs::write(dir.path().join(pack), &example).unwrap();
        let o = run(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&o).contains("is the pack being built; give another output with -o"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert_eq!(read(pack), example.as_bytes(), "{args:?}");
    }

    // Someone's PDF and someone's text: refused, named, untouched.
    std::fs::write(dir.path().join("minutes.pdf"), b"%PDF-1.7\n% signed minutes\n").unwrap();
    std::fs::write(dir.path().join("notes.md"), b"my notes\n").unwrap();
    for (out, format) in [("minutes.pdf", "pdf"), ("notes.md", "text")] {
        let o = run(&["build", "p.toml", "-o", out, "--format", format]);
        assert_eq!(o.status.code(), Some(1));
        let e = stderr(&o);
        assert!(e.contains(out) && e.contains("use --force to replace it"), "{e}");
        assert!(!e.contains('\n') || e.lines().count() == 1, "{e}");
    }
    assert_eq!(read("minutes.pdf"), b"%PDF-1.7\n% signed minutes\n");
    assert_eq!(read("notes.md"), b"my notes\n");
    // --force replaces them.
    let o = run(&["build", "p.toml", "-o", "minutes.pdf", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(pdf_pages(&dir.path().join("minutes.pdf")).len() > 1);
    // A PDF an earlier build made is rebuilt without a question.
    let o = run(&["build", "p.toml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = read("p.pdf");
    let o = run(&["build", "p.toml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read("p.pdf"), first);
    // Standard output is never a file to protect.
    let o = run(&["build", "p.toml", "--format", "text", "-o", "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
}
