//! The navigable, tagged PDF as other readers see it: poppler (`pdfinfo`,
//! `pdftotext`) for the tags and the reading order, `MuPDF` (`mutool`) for the
//! outline and the links, `qpdf` for the file's syntax.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use briefpack::compose::{compose, runs_text, Block, Document};
use briefpack::library::Library;
use briefpack::render::pdf;
use briefpack::template::Template;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Built {
    _dir: tempfile::TempDir,
    path: PathBuf,
    doc: Document,
    pages: usize,
    template: Template,
}

fn build(lib: &Library, pack: &briefpack::pack::Pack, template: Template) -> Built {
    let doc = compose(lib, pack, &template);
    let out = pdf::render(&doc, &template).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memo.pdf");
    std::fs::write(&path, &out.bytes).unwrap();
    Built {
        _dir: dir,
        path,
        doc,
        pages: out.pages,
        template,
    }
}

/// The fixture memo: one page or two.
fn small() -> Built {
    let lib = common::library();
    build(&lib, &common::pack(&lib), Template::default_template().unwrap())
}

/// Everything in the embedded library picked: a long memo, many links. Built
/// once for all the tests here.
fn everything() -> &'static Built {
    static BUILT: std::sync::OnceLock<Built> = std::sync::OnceLock::new();
    BUILT.get_or_init(build_everything)
}

fn build_everything() -> Built {
    let lib = Library::embedded().unwrap();
    let mut pack = common::pack(&common::library());
    pack.selection.threats = lib.threats.iter().map(|t| t.id.clone()).collect();
    pack.selection.partners = lib.partners.iter().map(|p| p.id.clone()).collect();
    pack.selection.points = lib.points.iter().map(|p| p.id.clone()).collect();
    pack.selection.people = lib.people.iter().map(|p| p.id.clone()).collect();
    build(&lib, &pack, Template::default_template().unwrap())
}

fn run(program: &str, args: &[&str], path: &Path) -> String {
    let out = Command::new(program)
        .args(args)
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("{program} is installed: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn pdftotext(path: &Path, args: &[&str]) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .args(args)
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn solid(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The memo's text in reading order, as the document model has it, with the
/// contents (`(title, page)` per line) when the memo has them: what the
/// structure tree must read out (whitespace aside).
fn reading_order(doc: &Document, contents: Option<(&str, &[(String, usize)])>) -> String {
    let t = &doc.title_block;
    // The kind of document, in capitals, over what it is about.
    let mut s = format!("{}{}", t.subtitle.to_uppercase(), t.title);
    for (label, value) in &t.fields {
        s += label;
        s += value;
    }
    if !t.distribution.is_empty() {
        s += &t.distribution_label;
        s += &t.distribution.join("; ");
    }
    s += &t.copy;
    for (i, block) in doc.blocks.iter().enumerate() {
        // The contents follow the summary.
        if let Some((heading, lines)) = contents.filter(|_| i == doc.front) {
            s += heading;
            for (title, page) in lines {
                s += &format!("{title}{page}");
            }
        }
        match block {
            Block::Heading { text, .. } | Block::Note(text) | Block::Label(text) => s += text,
            Block::Field { label, value } => s += &format!("{label}: {value}"),
            Block::Paragraph(runs) => s += &runs_text(runs),
            Block::Bullets(items) => items
                .iter()
                .for_each(|i| s += &format!("\u{2013}{}", runs_text(i))),
            Block::Point {
                number,
                text,
                citation,
                ..
            } => s += &format!("{number}.{text}{}", citation.line()),
            Block::Table { widths, header, rows } => {
                for row in std::iter::once(header).chain(rows) {
                    for i in 0..widths.len() {
                        s += row.get(i).map_or("", String::as_str);
                    }
                }
            }
            Block::Source(entry) => {
                let l = entry.lines();
                s += &format!("{}{}{}", l.mark, l.text, l.by);
            }
        }
    }
    solid(&s)
}

/// The text of every tagged run, in structure order, as poppler reads it.
fn struct_text(path: &Path) -> String {
    let out = run("pdfinfo", &["-struct-text"], path);
    out.lines()
        .filter_map(|l| l.trim().strip_prefix('"')?.strip_suffix('"'))
        .collect()
}

fn counts(s: &str) -> HashMap<char, i64> {
    let mut m = HashMap::new();
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        *m.entry(c).or_insert(0) += 1;
    }
    m
}

#[test]
fn tagged_pdf_17_reads_in_the_memos_order() {
    for b in [&small(), everything()] {
        let info = run("pdfinfo", &[], &b.path);
        assert!(info.contains("Tagged:          yes"), "{info}");
        assert!(info.contains("PDF version:     1.7"), "{info}");
        // PDF/UA-1 §7.9: every Note has an ID.
        let structure = run("pdfinfo", &["-struct"], &b.path);
        let notes: Vec<&str> = structure
            .lines()
            .filter(|l| l.trim_start().starts_with("Note"))
            .collect();
        assert!(!notes.is_empty());
        assert!(notes.iter().all(|l| l.contains("<note-")), "{notes:?}");
        let check = run("qpdf", &["--check"], &b.path);
        assert!(check.contains("No syntax or stream encoding errors"), "{check}");

        // Every word of the memo, in its order, and nothing else; a long memo
        // has contents listing sections and subsections with their pages.
        let tagged = solid(&struct_text(&b.path));
        let lines: Vec<(String, usize)> = body_outline(b)
            .into_iter()
            .filter(|(depth, ..)| *depth <= 2)
            .map(|(_, title, page, _)| (title, page))
            .collect();
        let long = b.pages > b.template.contents_after_pages;
        let contents = long.then_some((b.template.wording.contents.as_str(), &lines[..]));
        let expected = reading_order(&b.doc, contents);
        assert!(
            tagged == expected,
            "structure text and memo differ at char {}:\n{}\n{}",
            tagged
                .chars()
                .zip(expected.chars())
                .take_while(|(a, b)| a == b)
                .count(),
            tagged.chars().take(200).collect::<String>(),
            expected.chars().take(200).collect::<String>()
        );

        // What the page shows and the tree does not read is the frame, exactly:
        // markings, running heads, page labels are artifacts; nothing else is.
        let m = &b.doc.meta;
        let mut frame = String::new();
        for page in 1..=b.pages {
            frame += &m.marking.repeat(2);
            if page > 1 {
                frame += &m.running_head;
            }
            frame += &m
                .page_pattern
                .replace("{page}", &page.to_string())
                .replace("{pages}", &b.pages.to_string());
        }
        let mut shown = counts(&pdftotext(&b.path, &[]));
        for (c, n) in counts(&tagged) {
            *shown.entry(c).or_insert(0) -= n;
        }
        shown.retain(|_, n| *n != 0);
        let mut frame = counts(&frame);
        frame.retain(|_, n| *n != 0);
        assert_eq!(
            shown, frame,
            "untagged text besides the frame, or text tagged twice"
        );
    }
}

#[test]
fn language_comes_from_the_template() {
    let b = small();
    assert_eq!(b.template.lang, "en-GB");
    let cat = Command::new("mutool")
        .args(["show"])
        .arg(&b.path)
        .arg("trailer/Root")
        .output()
        .unwrap();
    let cat = String::from_utf8_lossy(&cat.stdout).into_owned();
    assert!(cat.contains("/Lang (en-GB)"), "{cat}");
    assert!(cat.contains("/Marked true"), "{cat}");
    assert!(cat.contains("/DisplayDocTitle true"), "{cat}");
    assert!(cat.contains("/PageMode /UseOutlines"), "{cat}");

    let lib = common::library();
    let mut t = Template::default_template().unwrap();
    t.lang = "ru".into();
    let b = build(&lib, &common::pack(&lib), t);
    let cat = Command::new("mutool")
        .args(["show"])
        .arg(&b.path)
        .arg("trailer/Root/Lang")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&cat.stdout).trim(), "(ru)");
}

/// `mutool show FILE outline`: (depth, 1 at the top, title, page, y from the
/// top) per item.
fn outline(path: &Path) -> Vec<(usize, String, usize, f64)> {
    let out = Command::new("mutool")
        .arg("show")
        .arg(path)
        .arg("outline")
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let depth = l[1..].chars().take_while(|&c| c == '\t').count();
            let mut parts = l.split('"');
            let title = parts.nth(1).unwrap().to_owned();
            let (page, y) = target(parts.next().unwrap().trim());
            (depth, title, page, y)
        })
        .collect()
}

/// The outline's items after the memo's front (the summary): those a contents
/// page lists, when their depth is 1 or 2.
fn body_outline(b: &Built) -> Vec<(usize, String, usize, f64)> {
    let front = b.doc.blocks[..b.doc.front]
        .iter()
        .filter(|b| matches!(b, Block::Heading { .. }))
        .count();
    outline(&b.path).into_iter().skip(front).collect()
}

/// A `MuPDF` link target `#page=N&zoom=nan,X,Y`: the page and Y (from the top).
fn target(uri: &str) -> (usize, f64) {
    let rest = uri.strip_prefix("#page=").unwrap_or_else(|| panic!("{uri}"));
    let (page, zoom) = rest.split_once('&').unwrap();
    let y = zoom.rsplit(',').next().unwrap().parse().unwrap();
    (page.parse().unwrap(), y)
}

/// Every word pdftotext finds, with its page and box (points, from the top left).
struct Words(Vec<(usize, [f64; 4], String)>);

impl Words {
    fn of(path: &Path) -> Words {
        let html = pdftotext(path, &["-bbox"]);
        let mut words = Vec::new();
        let mut page = 0;
        for line in html.lines().map(str::trim) {
            if line.starts_with("<page ") {
                page += 1;
            }
            let Some(rest) = line.strip_prefix("<word ") else {
                continue;
            };
            let (attrs, text) = rest.split_once('>').unwrap();
            let text = text.trim_end_matches("</word>").replace("&amp;", "&");
            let mut b = [0.0; 4];
            for (i, key) in ["xMin", "yMin", "xMax", "yMax"].iter().enumerate() {
                let v = attrs.split(&format!("{key}=\"")).nth(1).unwrap();
                b[i] = v[..v.find('"').unwrap()].parse().unwrap();
            }
            words.push((page, b, text));
        }
        Words(words)
    }

    /// The text in a box of page `page`: of each word whose middle line runs
    /// through it, the characters whose middle lies in it (pdftotext gives
    /// boxes per word, so characters are placed evenly across their word).
    fn within(&self, page: usize, x: f64, y: f64, w: f64, h: f64) -> String {
        let mut found = Vec::new();
        for (p, b, text) in &self.0 {
            let my = f64::midpoint(b[1], b[3]);
            if *p != page || my < y || my > y + h {
                continue;
            }
            let chars: Vec<char> = text.chars().collect();
            let step = (b[2] - b[0]) / chars.len() as f64;
            let inside: String = chars
                .iter()
                .enumerate()
                .filter(|(i, _)| {
                    let cx = b[0] + (*i as f64 + 0.5) * step;
                    cx >= x && cx <= x + w
                })
                .map(|(_, c)| *c)
                .collect();
            if !inside.is_empty() {
                found.push(inside);
            }
        }
        found.join(" ")
    }
}

#[test]
fn outline_follows_the_headings_to_their_pages() {
    let b = everything();
    let items = outline(&b.path);
    let words = Words::of(&b.path);
    let headings: Vec<(u8, &str)> = b
        .doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, text, .. } => Some((*level, text.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(items.len(), headings.len());
    for ((depth, title, page, y), (level, text)) in items.iter().zip(&headings) {
        assert_eq!(title, text);
        assert_eq!(*depth, usize::from(*level), "{title}");
        // The destination is the heading's own line.
        let there = words.within(*page, 0.0, *y, 600.0, 20.0);
        let first_word = text.split_whitespace().next().unwrap();
        assert!(
            there.contains(first_word),
            "{title}: page {page} at {y} shows {there:?}"
        );
    }
    assert!(b.pages > 12, "a long memo: {} pages", b.pages);
}

#[test]
fn contents_only_past_the_templates_threshold() {
    let b = small();
    assert!(b.pages <= b.template.contents_after_pages);
    let text = pdftotext(&b.path, &[]);
    assert!(!text.contains(&b.template.wording.contents), "{text}");

    // The same memo with a threshold it passes: the title block and summary on
    // page 1, the contents on page 2, the body on the next page, every number
    // the page its heading is on.
    let lib = common::library();
    let mut t = Template::default_template().unwrap();
    t.contents_after_pages = 0;
    let b = build(&lib, &common::pack(&lib), t);
    let words = Words::of(&b.path);
    let first_page = words.within(1, 0.0, 0.0, 600.0, 900.0);
    assert!(first_page.contains("Summary"), "{first_page}");
    assert!(!first_page.contains("Contents"), "{first_page}");
    let second_page = words.within(2, 0.0, 0.0, 600.0, 900.0);
    assert!(second_page.contains("Contents"), "{second_page}");
    let items = body_outline(&b);
    let mut listed = 0;
    for (depth, title, page, _) in items.iter().filter(|i| i.0 <= 2) {
        // The contents line: the title's words, then the number at the right.
        let line = words
            .0
            .iter()
            .filter(|(p, _, w)| *p == 2 && title.starts_with(w.as_str()))
            .find_map(|(p, b, _)| {
                let row: Vec<&str> = words
                    .0
                    .iter()
                    .filter(|(q, c, _)| q == p && (c[1] - b[1]).abs() < 1.0)
                    .map(|(_, _, w)| w.as_str())
                    .collect();
                let joined = row.join(" ");
                joined.starts_with(title.as_str()).then_some(joined)
            })
            .unwrap_or_else(|| panic!("no contents line for {title} (depth {depth})"));
        assert_eq!(line, format!("{title} {page}"));
        assert!(*page >= 3, "{title}: the body starts after the contents");
        listed += 1;
    }
    assert!(listed >= 3, "{listed}");

    // Exactly at the threshold: no contents; one page past it: contents.
    let pages = small().pages;
    for (after, listed) in [(pages, false), (pages - 1, true)] {
        let mut t = Template::default_template().unwrap();
        t.contents_after_pages = after;
        let b = build(&lib, &common::pack(&lib), t);
        let second_page = Words::of(&b.path).within(2, 0.0, 0.0, 600.0, 900.0);
        assert_eq!(
            second_page.contains("Contents"),
            listed,
            "threshold {after}, {pages} pages"
        );
    }
}

/// Every link annotation, as `MuPDF` reads it: page, rectangle (x0 y0 x1 y1,
/// points from the top left) and target.
fn links(path: &Path) -> Vec<(usize, [f64; 4], String)> {
    let script = path.with_file_name("links.js");
    std::fs::write(
        &script,
        "var doc = new PDFDocument(scriptArgs[0]);\n\
         for (var i = 0; i < doc.countPages(); i++) {\n\
           var links = doc.loadPage(i).getLinks();\n\
           for (var j = 0; j < links.length; j++)\n\
             print((i + 1) + ' ' + links[j].bounds.join(' ') + ' ' + links[j].uri);\n\
         }\n",
    )
    .unwrap();
    let out = Command::new("mutool")
        .arg("run")
        .arg(&script)
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split(' ').collect();
            let r: Vec<f64> = f[1..5].iter().map(|v| v.parse().unwrap()).collect();
            (f[0].parse().unwrap(), [r[0], r[1], r[2], r[3]], f[5].to_owned())
        })
        .collect()
}

#[test]
fn summary_key_messages_link_to_where_each_is_developed() {
    let b = small();
    // The pointers the summary gives, "(3.1, point 1)": text and point.
    let pointers: Vec<(String, usize)> = b.doc.blocks[..b.doc.front]
        .iter()
        .filter_map(|b| match b {
            Block::Bullets(items) => Some(items),
            _ => None,
        })
        .flatten()
        .flatten()
        .filter_map(|r| Some((r.text.clone(), r.to_point?)))
        .collect();
    assert!(pointers.len() >= 2, "{pointers:?}");
    let words = Words::of(&b.path);
    // A pointer broken over two lines is two rectangles to one place: one link.
    let mut page_one: Vec<(String, String)> = Vec::new();
    for (_, r, uri) in links(&b.path).into_iter().filter(|(page, ..)| *page == 1) {
        let text = words.within(1, r[0], r[1], r[2] - r[0], r[3] - r[1]);
        match page_one.last_mut() {
            Some((label, to)) if *to == uri => {
                label.push(' ');
                label.push_str(&text);
            }
            _ => page_one.push((text, uri)),
        }
    }
    for (text, point) in &pointers {
        let (_, uri) = page_one
            .iter()
            .find(|(label, _)| label == text)
            .unwrap_or_else(|| panic!("no link on {text:?} on page 1: {page_one:?}"));
        // It lands on the point: its number starts the line there.
        let (to, y) = target(uri);
        let there = words.within(to, 0.0, y, 600.0, 16.0);
        assert!(
            there.trim_start().starts_with(&format!("{point}. ")),
            "{text} -> page {to}: {there:?}"
        );
    }
}

#[test]
fn citations_link_to_sources_and_back_to_points() {
    let b = everything();
    let words = Words::of(&b.path);
    let (mut to_sources, mut to_points, mut to_sections, mut from_summary) = (0, 0, 0, 0);
    // A talking point's source line, and the marks closing a paragraph.
    let citations: usize = b
        .doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Point { .. } => 1,
            Block::Paragraph(runs) => runs.iter().filter(|r| r.cite.is_some()).count(),
            _ => 0,
        })
        .sum();
    // Every point number an annex entry writes: "points 1–8, 10" has three.
    let back_links: usize = b
        .doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Source(entry) => entry.lines().links.len(),
            _ => 0,
        })
        .sum();
    let pointers: usize = b
        .doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Bullets(items) => items.iter().flatten().filter(|r| r.to_point.is_some()).count(),
            _ => 0,
        })
        .sum();
    // The contents lie between the summary and the body.
    let body_from = body_outline(b)[0].2;
    let mut previous = String::new();
    for (page, r, uri) in links(&b.path) {
        let label = words.within(page, r[0], r[1], r[2] - r[0], r[3] - r[1]);
        let label = label.trim().trim_end_matches([',', ':']);
        let (to, y) = target(&uri);
        let there = words.within(to, 0.0, y, 600.0, 16.0);
        let continued = uri == previous;
        previous.clone_from(&uri);
        if let Some(n) = label.strip_prefix('[') {
            // "[2]" lands on the annex entry "[2] ...".
            assert!(n.ends_with(']'), "{label:?}");
            assert!(there.trim_start().starts_with(label), "{label} -> {there:?}");
            to_sources += 1;
        } else if let Some((_, n)) = label.split_once(", point ") {
            // A key message's "3.1, point 7" in the summary lands on the point.
            assert!(
                there.trim_start().starts_with(&format!("{n}. ")),
                "{label} -> page {to}: {there:?}"
            );
            from_summary += 1;
        } else if continued {
            // A line's second line: the first was checked and counted.
        } else if !label.is_empty() && label.chars().all(|c| c.is_ascii_digit() || "–,;".contains(c)) {
            // A point number in an annex entry's "points 1–8, 10" (the word
            // holding it may be a whole range) lands on one of the points named.
            let lands = label
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .any(|n| there.trim_start().starts_with(&format!("{n}. ")));
            assert!(lands, "{label} -> page {to}: {there:?}");
            to_points += 1;
        } else {
            // A contents line lands on its heading.
            assert!(page < body_from, "{label:?} on page {page}");
            let first = label.split(' ').next().unwrap();
            assert!(there.contains(first), "{label} -> page {to}: {there:?}");
            to_sections += 1;
        }
    }
    let sections = b.doc.blocks[b.doc.front..]
        .iter()
        .filter(|b| matches!(b, Block::Heading { level, .. } if *level <= 2))
        .count();
    assert_eq!(from_summary, pointers, "one link per key message in the summary");
    assert_eq!(
        to_sections, sections,
        "a contents line per section and subsection"
    );
    assert_eq!(to_sources, citations, "one link per citation");
    assert_eq!(to_points, back_links, "one link per point an annex entry names");
}
