//! The memo as a reader gets it: read back from the built PDF with poppler's
//! pdftotext and pdffonts and with lopdf, for the example pack and for a pack
//! selecting every record of the library (about forty pages).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

use briefpack::compose::editorial::typographic;
use briefpack::library::{DataSource, Library};
use std::path::{Path, PathBuf};
use std::process::Command;

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/sochi-2011-informal-summit.toml"
);

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_briefpack"));
    c.env_remove("BRIEFPACK_DATA");
    c
}

fn build(pack: &Path, out: &Path, extra: &[&str]) {
    let o = bin()
        .args(["build", pack.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn tool(name: &str, args: &[&str], pdf: &Path) -> String {
    let mut c = Command::new(name);
    c.args(args).arg(pdf);
    if name == "pdftotext" {
        c.arg("-");
    }
    let o = c
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils) is installed: {e}"));
    assert!(o.status.success(), "{name} failed");
    String::from_utf8(o.stdout).unwrap()
}

fn pages(pdf: &Path) -> Vec<String> {
    tool("pdftotext", &[], pdf)
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

fn lib() -> Library {
    Library::load(&DataSource::Embedded).unwrap().library
}

/// The example's header with every record of the library selected.
fn every_record_pack(dir: &Path) -> PathBuf {
    let lib = lib();
    let example = std::fs::read_to_string(EXAMPLE).unwrap();
    let header = &example[..example.find("[selection]").unwrap()];
    let list = |ids: Vec<&str>| {
        let q: Vec<String> = ids.iter().map(|i| format!("\"{i}\"")).collect();
        format!("[{}]", q.join(", "))
    };
    let text = format!(
        "{header}[selection]\nthreats = {}\npartners = {}\npoints = {}\npeople = {}\n",
        list(lib.threats.iter().map(|t| t.id.as_str()).collect()),
        list(lib.partners.iter().map(|t| t.id.as_str()).collect()),
        list(lib.points.iter().map(|t| t.id.as_str()).collect()),
        list(lib.people.iter().map(|t| t.id.as_str()).collect()),
    );
    let path = dir.join("all.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The body lines of a page: without the marking, running head and page label.
fn body_lines(page: &str) -> Vec<&str> {
    page.lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && *l != "RESTRICTED"
                && !l.starts_with("Page ")
                && !l.starts_with("SG/2011/041 ·")
                && !l.starts_with("Copy No.")
        })
        .collect()
}

#[test]
fn page_one_holds_the_title_naming_the_subject_and_the_whole_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.pdf");
    build(Path::new(EXAMPLE), &out, &[]);
    let p = pages(&out);
    let one = &p[0];
    assert!(
        one.contains("Informal summit of the Collective Security"),
        "{one}"
    );
    assert!(one.contains("Astana, 12 August 2011"), "{one}");
    assert!(!one.contains("Preparation of the meeting"), "{one}");
    for label in [
        "Summary",
        "Purpose:",
        "Key messages:",
        "Decisions sought:",
        "Annexes:",
        "Annex A. Sources cited",
    ] {
        assert!(one.contains(label), "{label} not on page 1:\n{one}");
    }
    // Each key message in brief points to where it is developed.
    assert!(one.contains("(3.1, point 1)"), "{one}");
    // The title block's labels stand in a column of their own, apart from the values.
    let layout = tool("pdftotext", &["-layout", "-f", "1", "-l", "1"], &out);
    let row = layout.lines().find(|l| l.contains("SG/2011/041")).unwrap();
    let (label, value) = row.trim().split_once("  ").unwrap();
    assert_eq!((label, value.trim()), ("Ref.", "SG/2011/041"), "{layout}");
}

#[test]
fn numbers_and_dashes_read_in_the_line_of_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.pdf");
    build(Path::new(EXAMPLE), &out, &[]);
    let text = tool("pdftotext", &[], &out);
    let lib = lib();
    let example = std::fs::read_to_string(EXAMPLE).unwrap();
    let mut n = 0;
    for p in &lib.points {
        if !example.contains(&format!("\"{}\"", p.id)) {
            continue;
        }
        n += 1;
        let first: String = typographic(&p.text)
            .split(' ')
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.lines()
                .any(|l| l.contains(". ") && l.ends_with(&first) || l.contains(&format!(". {first}"))),
            "no line reads \"N. {first}\":\n{text}"
        );
    }
    assert!(n > 10);
    // Dashes come before their item's text, in the same line.
    assert!(text.contains("– Study of the situation in Kyrgyzstan"), "{text}");
}

#[test]
fn serif_body_at_eleven_points_on_a_readable_measure() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.pdf");
    build(Path::new(EXAMPLE), &out, &[]);
    let fonts = tool("pdffonts", &[], &out);
    assert!(fonts.contains("DejaVuSerif"), "{fonts}");
    assert!(!fonts.contains("DejaVuSans"), "{fonts}");
    // Type sizes as the content streams set them.
    let doc = lopdf::Document::load(&out).unwrap();
    let mut sizes = std::collections::BTreeSet::new();
    for (_, page) in doc.get_pages() {
        let content = lopdf::content::Content::decode(&doc.get_page_content(page).unwrap()).unwrap();
        for op in content.operations.iter().filter(|o| o.operator == "Tf") {
            if let Some(size) = op.operands.get(1).and_then(|o| match o {
                lopdf::Object::Real(r) => Some(*r),
                lopdf::Object::Integer(i) => Some(*i as f64),
                _ => None,
            }) {
                sizes.insert((size * 10.0).round() as i64);
            }
        }
    }
    assert!(sizes.contains(&110), "body 11 pt: {sizes:?}");
    // Banners and marking no smaller than 9 pt; source lines and tables at 8.
    assert!(sizes.iter().all(|&s| s >= 80), "{sizes:?}");
    // The measure: lines of body text (lines found in a point or a threat's
    // summary; not the 8 pt source lines) of at most 85 characters, most near 75.
    let lib = lib();
    let body: Vec<String> = lib
        .points
        .iter()
        .map(|p| typographic(&p.text))
        .chain(lib.threats.iter().map(|t| typographic(&t.summary)))
        .collect();
    let lines: Vec<usize> = tool("pdftotext", &[], &out)
        .lines()
        .map(str::trim)
        .filter(|l| l.chars().count() > 55 && body.iter().any(|b| b.contains(*l)))
        .map(|l| l.chars().count())
        .collect();
    assert!(lines.len() > 20, "{lines:?}");
    let max = *lines.iter().max().unwrap();
    assert!(max <= 88, "longest line {max}");
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    let median = sorted[sorted.len() / 2];
    assert!((68..=82).contains(&median), "median full line {median}");
    // FontDescriptor metrics in thousandths of an em.
    for o in doc.objects.values() {
        if let Ok(d) = o.as_dict() {
            if d.type_is(b"FontDescriptor") {
                let ascent = d.get(b"Ascent").and_then(lopdf::Object::as_i64).unwrap();
                let descent = d.get(b"Descent").and_then(lopdf::Object::as_i64).unwrap();
                assert!(
                    (700..=1100).contains(&ascent) && (-400..=-100).contains(&descent),
                    "{ascent} {descent}"
                );
            }
        }
    }
}

/// Page ends of the forty-page memo: no page ends on a heading or a run-in
/// label, no point is parted from its source line, every page of a table
/// starts with its header row.
#[test]
fn a_long_memo_breaks_its_pages_where_a_reader_expects() {
    let dir = tempfile::tempdir().unwrap();
    let pack = every_record_pack(dir.path());
    let out = dir.path().join("all.pdf");
    build(&pack, &out, &[]);
    let p = pages(&out);
    assert!(p.len() >= 25, "{} pages", p.len());
    let heading = |l: &str| {
        let first = l.split(' ').next().unwrap_or("");
        // "3.", "3.1", "3.1.2"; not a year ending a sentence ("2006.").
        first.len() > 1
            && first.chars().all(|c| c.is_ascii_digit() || c == '.')
            && first.contains('.')
            && first.split('.').all(|n| n.len() <= 2)
            && l.split(' ')
                .nth(1)
                .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
            && !l.ends_with('.')
    };
    let mut in_states = false;
    for (i, page) in p.iter().enumerate() {
        let lines = body_lines(page);
        let last = lines.last().copied().unwrap_or("");
        let label = last.ends_with(':') && last.split(' ').count() <= 4;
        assert!(!label, "page {} ends on a label: {last}", i + 1);
        assert!(!heading(last), "page {} ends on a heading: {last}", i + 1);
        // The last line of a page is never a point's only line before its source.
        if let Some(at) = lines.iter().rposition(|l| l.starts_with("Source [")) {
            let after = &lines[at + 1..];
            assert!(
                !after.iter().any(|l| l
                    .split(' ')
                    .next()
                    .is_some_and(|w| w.ends_with('.') && w[..w.len() - 1].parse::<usize>().is_ok())
                    && after.len() <= 1),
                "page {}: a point without its source line at the foot: {after:?}",
                i + 1
            );
        }
        // Annex headings start their page; the summary lists them after a
        // dash, the contents among other lines.
        if let Some(first) = lines.first().filter(|l| l.starts_with("Annex")) {
            in_states = first.ends_with("Member states");
        }
        if in_states {
            assert!(
                page.contains("State") && page.contains("Status"),
                "page {}: table without its header",
                i + 1
            );
        }
    }
    // A page that starts with a list item keeps its dash.
    for (i, page) in p.iter().enumerate().skip(1) {
        let first = body_lines(page).first().copied().unwrap_or("");
        assert!(!first.is_empty(), "page {} empty", i + 1);
    }
}

#[test]
fn distribution_copies_are_numbered_addressed_on_every_page_and_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.pdf");
    build(Path::new(EXAMPLE), &out, &["--copies"]);
    let again = dir.path().join("again");
    std::fs::create_dir(&again).unwrap();
    build(Path::new(EXAMPLE), &again.join("m.pdf"), &["--copies"]);
    let addressees = ["Office of the President", "Ministry of Foreign Affairs"];
    for (i, who) in addressees.iter().enumerate() {
        let name = format!("m-copy-{}.pdf", i + 1);
        let copy = dir.path().join(&name);
        let bytes = std::fs::read(&copy).unwrap();
        assert_eq!(
            bytes,
            std::fs::read(again.join(&name)).unwrap(),
            "{name} differs on rebuild"
        );
        let foot = format!("Copy No. {} of 2 · {who}", i + 1);
        for (k, page) in pages(&copy).iter().enumerate() {
            assert!(page.contains(&foot), "{name} page {}: no \"{foot}\"", k + 1);
        }
    }
    assert!(!dir.path().join("m-copy-3.pdf").exists());
}

#[test]
fn a_table_running_over_pages_repeats_its_header_and_never_splits_a_row() {
    use briefpack::compose::{compose, Block};
    use briefpack::template::Template;
    let lib = lib();
    let pack = briefpack::pack::load(Path::new(EXAMPLE), &lib).unwrap().pack;
    let t = Template::default_template().unwrap();
    let mut doc = compose(&lib, &pack, &t);
    let rows: Vec<Vec<String>> = (1..=120)
        .map(|i| {
            vec![
                format!("Row{i:03}"),
                "member".into(),
                format!("Row{i:03} notes: a participating state of the Treaty, listed at the session."),
            ]
        })
        .collect();
    doc.blocks.push(Block::Table {
        widths: vec![3, 2, 8],
        header: vec!["State".into(), "Status".into(), "Notes".into()],
        rows,
    });
    let pdf = briefpack::render::pdf::render(&doc, &t).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, &pdf.bytes).unwrap();
    let mut seen = 0;
    let mut table_pages = 0;
    for page in pages(&path) {
        let n = page.matches("Row").count();
        if n == 0 {
            continue;
        }
        table_pages += 1;
        assert!(
            page.contains("State") && page.contains("Status") && page.contains("Notes"),
            "{page}"
        );
        // Each row's two mentions (name and notes) on the same page.
        for i in 1..=120 {
            let k = page.matches(&format!("Row{i:03}")).count();
            assert!(k == 0 || k == 2, "row {i} split:\n{page}");
            seen += usize::from(k == 2);
        }
    }
    assert_eq!(seen, 120);
    assert!(table_pages >= 3, "{table_pages}");
}

/// Each line of `mutool draw -F stext` output on `page`: its characters and
/// their left and right edges.
fn stext_lines(pdf: &Path, page: usize) -> Vec<Vec<(char, f64, f64)>> {
    let o = Command::new("mutool")
        .args(["draw", "-F", "stext", "-o", "-"])
        .arg(pdf)
        .arg(page.to_string())
        .output()
        .expect("mutool (mupdf-tools) is installed");
    assert!(o.status.success(), "mutool draw failed");
    let xml = String::from_utf8(o.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> String {
        let tag = format!(" {tag}");
        let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        tag[at..at + tag[at..].find('"').unwrap()].to_owned()
    };
    let mut lines = Vec::new();
    for line in xml.split("<line ").skip(1) {
        let mut chars = Vec::new();
        for tag in line.split("<char ").skip(1) {
            let quad: Vec<f64> = attr(tag, "quad")
                .split_whitespace()
                .map(|v| v.parse().unwrap())
                .collect();
            let c = attr(tag, "c").chars().next().unwrap_or(' ');
            chars.push((c, quad[0], quad[2]));
        }
        lines.push(chars);
    }
    lines
}

#[test]
fn the_marking_is_letter_spaced_and_stays_centred() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.pdf");
    build(Path::new(EXAMPLE), &out, &[]);
    let page_count = pages(&out).len();
    let width = 595.28; // A4, with equal left and right margins in the template.
    for page in 1..=page_count {
        let markings: Vec<_> = stext_lines(&out, page)
            .into_iter()
            .filter(|l| l.iter().map(|c| c.0).collect::<String>() == "RESTRICTED")
            .collect();
        assert_eq!(markings.len(), 2, "top and bottom marking on page {page}");
        for m in &markings {
            // Tracked: a visible gap between every two letters, as wide for all,
            // and still below the tenth of an em (0.9 pt at 9 pt) at which
            // readers would split the word.
            let gaps: Vec<f64> = m.windows(2).map(|w| w[1].1 - w[0].2).collect();
            assert!(
                gaps.iter().all(|g| (0.5..0.9).contains(g)),
                "page {page}: gaps {gaps:?}"
            );
            let centre = f64::midpoint(m[0].1, m[m.len() - 1].2);
            assert!((centre - width / 2.0).abs() < 0.5, "page {page}: centre {centre}");
        }
        // Body text is not tracked.
        let body = stext_lines(&out, page)
            .into_iter()
            .find(|l| l.len() > 20)
            .unwrap();
        let tight = body.windows(2).filter(|w| (w[1].1 - w[0].2).abs() < 0.05).count();
        assert!(tight > body.len() / 2, "page {page}: {body:?}");
    }
}
