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
        assert_eq!(p.matches("RESTRICTED").count(), 2, "page {n}:\n{p}");
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
    let mut t = Template::default_template().unwrap();
    // The body's pages only: contents lines are headings' titles, and may end a page.
    t.contents_after_pages = usize::MAX;
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

/// One line of a page as poppler lays it out: its text and vertical extent (PDF
/// points from the top of the page).
#[derive(Debug)]
struct Line {
    text: String,
    top: f64,
    bottom: f64,
}

fn unescape(s: &str) -> String {
    if let Some(hex) = s.strip_prefix("&#x").and_then(|h| h.strip_suffix(';')) {
        return char::from_u32(u32::from_str_radix(hex, 16).unwrap())
            .unwrap()
            .to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Every page's lines, top to bottom, as `MuPDF` extracts them (`mutool draw -F
/// stext`): each line's box spans its fonts' ascenders and descenders, so boxes
/// that do not overlap are lines whose type does not touch.
fn page_lines(bytes: &[u8]) -> Vec<Vec<Line>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("mutool")
        .args(["draw", "-q", "-F", "stext", "-o", "-"])
        .arg(&path)
        .output()
        .expect("mutool (mupdf-tools) is installed");
    assert!(out.status.success());
    let xml = String::from_utf8(out.stdout).unwrap();
    let mut pages = Vec::new();
    for page in xml.split("<page ").skip(1) {
        let mut lines = Vec::new();
        for line in page.split("<line ").skip(1) {
            let bbox = line.split("bbox=\"").nth(1).unwrap();
            let bbox: Vec<f64> = bbox[..bbox.find('"').unwrap()]
                .split(' ')
                .map(|v| v.parse().unwrap())
                .collect();
            let text: String = line
                .split(" c=\"")
                .skip(1)
                .map(|c| unescape(&c[..c.find('"').unwrap()]))
                .collect();
            lines.push(Line {
                text: text.trim().to_owned(),
                top: bbox[1],
                bottom: bbox[3],
            });
        }
        lines.sort_by(|a, b| a.top.total_cmp(&b.top));
        pages.push(lines);
    }
    pages
}

/// A memo of exactly `pages` pages: the fixture pack with as many preparatory
/// consultations as it takes (none and no picks for one page).
fn memo_of(pages: usize) -> (Vec<u8>, briefpack::pack::Pack) {
    let lib = common::library();
    let t = Template::default_template().unwrap();
    let render = |n: usize| {
        let mut pack = common::pack(&lib);
        if pages == 1 {
            pack.selection = briefpack::pack::Pack::new().selection;
        }
        pack.memo.preparatory_work = (1..=n)
            .map(|i| format!("Consultation number {i} held."))
            .collect();
        let out = pdf::render(&compose(&lib, &pack, &t), &t).unwrap();
        (out, pack)
    };
    // Items per page from the last try, until a try gives exactly `pages`.
    let mut n = 30 * (pages - 1);
    for _ in 0..12 {
        let got = render(n).0.pages;
        if got == pages {
            break;
        }
        let per_page = (n / got).max(1);
        n = if got < pages {
            n + (pages - got) * per_page
        } else {
            n.saturating_sub((got - pages) * per_page)
        };
    }
    let (out, pack) = render(n);
    assert_eq!(out.pages, pages);
    (out.bytes, pack)
}

#[test]
fn body_text_stays_out_of_the_header_and_footer_bands() {
    for want in [1, 10, 40] {
        let (bytes, pack) = memo_of(want);
        let pages = page_lines(&bytes);
        assert_eq!(pages.len(), want);
        let head = format!("{} · 5 August 2011", pack.memo.reference);
        for (i, lines) in pages.iter().enumerate() {
            let n = i + 1;
            let page_label = format!("Page {n} of {want}");
            // The bands: the marking (and from page 2 the running head) on top; the
            // marking and the page number at the foot, whatever else the page holds.
            let header: Vec<&Line> = lines
                .iter()
                .take_while(|l| l.text == pack.memo.marking || (n > 1 && l.text == head))
                .collect();
            assert_eq!(
                header.len(),
                if n == 1 { 1 } else { 2 },
                "page {n} of {want}: {lines:#?}"
            );
            let footer: Vec<&Line> = lines.iter().rev().take(2).collect();
            assert_eq!(
                (footer[1].text.as_str(), footer[0].text.as_str()),
                (pack.memo.marking.as_str(), page_label.as_str()),
                "page {n} of {want} does not end with its marking and number"
            );
            let band_end = header.iter().map(|l| l.bottom).fold(0.0, f64::max);
            let foot_start = footer.iter().map(|l| l.top).fold(f64::MAX, f64::min);
            let body = &lines[header.len()..lines.len() - 2];
            assert!(!body.is_empty(), "page {n} of {want} has no body");
            for l in body {
                assert!(
                    l.top >= band_end && l.bottom <= foot_start,
                    "page {n} of {want}: {:?} ({:.1} to {:.1} pt) is inside a band (header ends at {band_end:.1}, footer starts at {foot_start:.1})",
                    l.text,
                    l.top,
                    l.bottom
                );
            }
        }
    }
}

#[test]
fn right_to_left_text_is_reported_where_it_is() {
    let lib = common::library();
    let mut pack = common::pack(&lib);
    pack.memo.purpose = "Meet the delegation of שלום and of السلام عليكم.".into();
    pack.memo.proposals = vec!["Plain Latin and кириллица only.".into()];
    let t = Template::default_template().unwrap();
    let out = pdf::render(&compose(&lib, &pack, &t), &t).unwrap();
    let rtl: Vec<&String> = out
        .warnings
        .iter()
        .filter(|w| w.contains("right-to-left text"))
        .collect();
    assert_eq!(rtl.len(), 1, "once, for the purpose only: {:?}", out.warnings);
    assert!(rtl[0].starts_with("section `"), "{}", rtl[0]);
}
