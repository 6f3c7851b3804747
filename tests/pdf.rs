//! The PDF as readers see it: every word arrives, whatever the text holds.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use briefpack::compose::compose;
use briefpack::library::Library;
use briefpack::render::pdf;
use briefpack::template::Template;
use std::process::Command;

fn pdftotext(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn without_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A library whose one selected point holds every kind of awkward text.
fn hostile_library(point_text: &str) -> Library {
    let points = common::POINTS.replacen(
        "text = \"Operation Channel has become a permanent regional project.\"",
        &format!("text = {}", common::toml_str(point_text)),
        1,
    );
    let c = common::with_points(&points);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    c.library
}

#[test]
fn every_word_arrives_long_words_broken_missing_glyphs_reported() {
    let url = format!("https://www.odkb-csto.org/documents/{}", "detail-".repeat(30));
    let cyrillic = "Организация Договора о коллективной безопасности";
    let text = format!("Before\tthe\u{1b}[2J summit: see {url} and {cyrillic}; 漢字 remain. Done.");
    let lib = hostile_library(&text);
    let pack = common::pack(&lib);
    let t = Template::default_template().unwrap();
    let doc = compose(&lib, &pack, &t);
    let out = pdf::render(&doc, &t).unwrap();
    let extracted = pdftotext(&out.bytes);
    let flat = without_ws(&extracted);

    // The long reference is broken across lines, never dropped.
    assert!(
        flat.contains(&without_ws(&url)),
        "the long URL is missing:\n{extracted}"
    );
    assert!(
        extracted.contains(cyrillic) || flat.contains(&without_ws(cyrillic)),
        "Cyrillic lost"
    );
    for w in ["Before", "the", "summit:", "remain.", "Done."] {
        assert!(extracted.contains(w), "{w} missing");
    }
    // Control characters are cleaned: the escape's printable tail stays as text.
    assert!(!extracted.contains('\u{1b}'));
    // Characters the fonts lack are drawn as a visible replacement and reported.
    assert!(extracted.contains('\u{FFFD}'), "no replacement drawn");
    let warn: Vec<&String> = out.warnings.iter().filter(|w| w.contains("U+6F22")).collect();
    assert_eq!(warn.len(), 1, "{:?}", out.warnings);
    assert!(warn[0].starts_with("point `channel-permanent`"), "{}", warn[0]);
}

#[test]
fn every_page_is_framed_and_numbered() {
    let lib = common::library();
    let mut pack = common::pack(&lib);
    // Enough content for several pages.
    pack.memo.preparatory_work = (1..=120)
        .map(|i| format!("Consultation number {i} held."))
        .collect();
    let t = Template::default_template().unwrap();
    let out = pdf::render(&compose(&lib, &pack, &t), &t).unwrap();
    assert!(out.pages >= 3, "{} pages", out.pages);
    let text = pdftotext(&out.bytes);
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(pages.len(), out.pages);
    for (i, p) in pages.iter().enumerate() {
        let n = i + 1;
        assert_eq!(
            p.matches("RESTRICTED").count(),
            if n == 1 { 3 } else { 2 },
            "page {n}:\n{p}"
        );
        assert!(p.contains(&format!("Page {n} of {}", out.pages)), "page {n}");
        if n > 1 {
            assert!(
                p.contains("SG/2011/041 · 5 August 2011"),
                "running head on page {n}"
            );
        }
    }
    for i in 1..=120 {
        assert!(
            text.contains(&format!("Consultation number {i} held.")),
            "item {i} lost"
        );
    }
}

#[test]
fn a_draft_says_so_on_every_page() {
    let lib = common::library();
    let mut pack = common::pack(&lib);
    pack.memo.status = briefpack::pack::MemoStatus::Draft;
    let t = Template::default_template().unwrap();
    let out = pdf::render(&compose(&lib, &pack, &t), &t).unwrap();
    let text = pdftotext(&out.bytes);
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    for p in pages {
        assert!(p.contains(&t.wording.draft), "{p}");
    }
}

#[test]
fn headings_never_end_a_page() {
    let lib = Library::embedded().unwrap();
    let mut pack = common::pack(&common::library());
    pack.selection.threats = lib.threats.iter().map(|t| t.id.clone()).collect();
    pack.selection.partners = lib.partners.iter().map(|p| p.id.clone()).collect();
    pack.selection.points = lib.points.iter().map(|p| p.id.clone()).collect();
    pack.selection.people = lib.people.iter().map(|p| p.id.clone()).collect();
    let t = Template::default_template().unwrap();
    let doc = compose(&lib, &pack, &t);
    let headings: Vec<String> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            briefpack::compose::Block::Heading { text, .. } => {
                Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
            }
            _ => None,
        })
        .collect();
    let out = pdf::render(&doc, &t).unwrap();
    assert!(out.pages > 20, "{} pages", out.pages);
    let text = pdftotext(&out.bytes);
    let mut checked = 0;
    for (i, page) in text.split('\u{c}').filter(|p| !p.trim().is_empty()).enumerate() {
        let lines: Vec<&str> = page.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        // The page ends with the marking and "Page N of M"; the line before is content.
        let footer = lines.iter().rposition(|l| l.starts_with("Page ")).unwrap();
        let last = lines[footer - 2];
        assert!(
            !headings.iter().any(|h| h == last),
            "page {} ends with the heading {last:?}",
            i + 1
        );
        checked += 1;
    }
    assert_eq!(checked, out.pages);
}
