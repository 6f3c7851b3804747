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

#[test]
fn check_verifies_excerpts_against_the_sources() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !seeds.is_dir() {
        // The seeds live beside the repository, not in it; without them there is nothing to verify.
        return;
    }
    let o = briefpack(&["check", "--sources", seeds.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("every excerpt found in its source"));
}

#[test]
fn list_json_gives_records_for_scripts() {
    for kind in [
        "threats",
        "partners",
        "points",
        "sources",
        "states",
        "operations",
        "organs",
        "people",
        "meetings",
    ] {
        let o = briefpack(&["list", kind, "--json"]);
        assert!(o.status.success(), "{kind}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let arr = v.as_array().unwrap();
        for rec in arr {
            assert!(
                rec["id"].as_str().is_some_and(|id| !id.is_empty()),
                "{kind}: {rec}"
            );
        }
    }
    let o = briefpack(&["list", "threats"]);
    let lib = Library::embedded().unwrap();
    let table = String::from_utf8(o.stdout).unwrap();
    assert_eq!(table.lines().count(), lib.threats.len());
    assert!(table.lines().next().unwrap().starts_with(&lib.threats[0].id));
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
    let lib = Library::load(&DataSource::Embedded).unwrap().library;
    let pack = briefpack::pack::load(Path::new(EXAMPLE), &lib).unwrap().pack;
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.matches(pack.memo.marking.as_str()).count() >= 2,
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
    for id in &pack.selection.threats {
        let t = lib.threat(id).unwrap();
        assert!(all.contains(&squash(&t.title)), "threat {id} missing");
    }
    for id in &pack.selection.points {
        let p = lib.point(id).unwrap();
        assert!(all.contains(&squash(&p.text)), "point {id} missing");
    }
    for id in &pack.selection.partners {
        assert!(
            all.contains(&squash(&lib.partner(id).unwrap().name)),
            "partner {id} missing"
        );
    }
}

#[test]
fn build_text_to_stdout_matches_the_document() {
    let o = briefpack(&["build", EXAMPLE, "--format", "text", "-o", "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.lines().all(|l| unicode_width(l) <= 78),
        "lines fit the width"
    );
    assert!(text.contains("BRIEFING MEMO") && text.contains("RESTRICTED"));
}

fn unicode_width(s: &str) -> usize {
    s.chars().count()
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
        info.contains("Title:           BRIEFING MEMO: Сессия Совета коллективной безопасности"),
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
