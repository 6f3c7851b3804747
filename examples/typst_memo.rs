//! Prints a pack's memo as Typst markup, from the same `Document` the PDF is made
//! of, so the benchmark can set briefpack beside Typst on identical content.
//!
//! Usage: cargo run --release --example `typst_memo` -- PACK [`FONT_DIR`]
//! (reads the library from `BRIEFPACK_DATA` when set, as briefpack does).
//! With `FONT_DIR`, the four `DejaVu` faces of the template's family (Serif by
//! default, Sans if the template says so) are written there too, so Typst
//! typesets with the same fonts briefpack embeds.

use anyhow::{Context, Result};
use briefpack::compose::{compose, runs_text, Block, Document};
use briefpack::library::Library;
use briefpack::template::Template;
use std::fmt::Write as _;
use std::path::Path;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let pack_path = args.next().context("usage: typst_memo PACK [FONT_DIR]")?;
    // The same library briefpack would use: BRIEFPACK_DATA, else the embedded one.
    let source =
        briefpack::library::DataSource::from_option(std::env::var_os("BRIEFPACK_DATA").map(Into::into));
    let lib = Library::load(&source)?.into_valid()?;
    let template = Template::default_template()?;
    let pack = briefpack::pack::load(Path::new(&pack_path), &lib)?.pack;
    if let Some(dir) = args.next() {
        let dir = Path::new(&dir);
        std::fs::create_dir_all(dir)?;
        let faces = if serif(&template) {
            [
                ("DejaVuSerif.ttf", dejavu::serif::regular()),
                ("DejaVuSerif-Bold.ttf", dejavu::serif::bold()),
                ("DejaVuSerif-Italic.ttf", dejavu::serif::italic()),
                ("DejaVuSerif-BoldItalic.ttf", dejavu::serif::bold_italic()),
            ]
        } else {
            [
                ("DejaVuSans.ttf", dejavu::sans::regular()),
                ("DejaVuSans-Bold.ttf", dejavu::sans::bold()),
                ("DejaVuSans-Oblique.ttf", dejavu::sans::oblique()),
                ("DejaVuSans-BoldOblique.ttf", dejavu::sans::bold_oblique()),
            ]
        };
        for (name, bytes) in faces {
            std::fs::write(dir.join(name), bytes)?;
        }
    }
    print!("{}", typst(&compose(&lib, &pack, &template), &template));
    Ok(())
}

/// Whether the template sets the memo in `DejaVu` Serif (else Sans).
fn serif(t: &Template) -> bool {
    t.fonts.family == "dejavu-serif"
}

/// A Typst string literal, which markup inserts as plain text.
fn lit(s: &str) -> String {
    let mut out = String::from("#\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn typst(doc: &Document, t: &Template) -> String {
    let p = &t.page;
    let f = &t.fonts;
    let m = &doc.meta;
    let mut s = String::new();
    let draft = m
        .draft
        .as_deref()
        .map(|d| format!("#align(center, text(weight: \"bold\")[{}])", lit(d)))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "#set page(paper: \"a4\", margin: (top: {top}mm, bottom: {bottom}mm, left: {left}mm, right: {right}mm),\n  \
         header: context [#align(center, text(size: {mark}pt, weight: \"bold\")[{marking}])\n    \
         #if counter(page).get().first() > 1 [#text(size: {small}pt)[{running}]]\n    {draft}],\n  \
         footer: context [#align(center)[#text(size: {mark}pt, weight: \"bold\")[{marking}] \\ \
         #text(size: {small}pt)[Page #counter(page).display() of #counter(page).final().first()]]])",
        top = p.margin_top + 18.0,
        bottom = p.margin_bottom + 12.0,
        left = p.margin_left,
        right = p.margin_right,
        mark = f.small + 1,
        small = f.small,
        marking = lit(&m.marking),
        running = lit(&m.running_head),
    );
    let _ = writeln!(
        s,
        "#set text(font: \"{}\", size: {}pt, lang: \"en\")",
        if serif(t) { "DejaVu Serif" } else { "DejaVu Sans" },
        f.body
    );
    let _ = writeln!(s, "#set par(leading: {:.2}em)", (f.line_spacing - 1.0) + 0.3);
    let tb = &doc.title_block;
    let _ = writeln!(
        s,
        "#align(center, text(size: {}pt, weight: \"bold\")[{}])",
        f.title,
        lit(&tb.title)
    );
    let _ = writeln!(s, "#align(center, emph[{}])", lit(&tb.subtitle));
    let _ = writeln!(s, "#table(columns: (1fr, 3fr), stroke: none,");
    let mut rows = tb.fields.clone();
    if !tb.distribution.is_empty() {
        rows.push((tb.distribution_label.clone(), tb.distribution.join("; ")));
    }
    for (a, b) in rows {
        let _ = writeln!(s, "  strong[{}], [{}],", lit(&a), lit(&b));
    }
    let _ = writeln!(
        s,
        ")\n#text(size: {}pt, style: \"italic\")[{}]\n",
        f.small,
        lit(&tb.copy)
    );
    for b in &doc.blocks {
        match b {
            Block::Heading {
                level,
                text,
                new_page,
                ..
            } => {
                if *new_page {
                    s.push_str("#pagebreak()\n");
                }
                let size = if *level == 1 { f.heading } else { f.subheading };
                let _ = writeln!(
                    s,
                    "#block(sticky: true, above: 1.2em, text(size: {size}pt, weight: \"bold\")[{}])",
                    lit(text)
                );
            }
            Block::Paragraph(runs) => {
                let _ = writeln!(s, "{}\n", lit(&runs_text(runs)));
            }
            Block::Field { label, value } => {
                let _ = writeln!(s, "*{}:* {}\n", lit(label), lit(value));
            }
            Block::Label(text) => {
                let _ = writeln!(s, "#block(sticky: true)[*{}*]\n", lit(text));
            }
            Block::Note(text) => {
                let _ = writeln!(
                    s,
                    "#text(size: {}pt, style: \"italic\")[{}]\n",
                    f.small,
                    lit(text)
                );
            }
            Block::Source(entry) => {
                let lines = entry.lines();
                let (mark, text, by) = (lines.mark, lines.text, lines.by);
                let _ = writeln!(s, "{}\n", lit(&format!("{mark}{text}")));
                let _ = writeln!(s, "#text(size: {}pt, style: \"italic\")[{}]\n", f.small, lit(&by));
            }
            Block::Bullets(items) => {
                for item in items {
                    let _ = writeln!(s, "- {}", lit(&runs_text(item)));
                }
                s.push('\n');
            }
            Block::Point {
                number,
                text,
                citation,
                ..
            } => {
                let _ = writeln!(
                    s,
                    "#grid(columns: (1fr, 11fr), strong[{number}.], [{} \\ #text(size: {}pt, style: \"italic\")[{}]])\n",
                    lit(text),
                    f.small,
                    lit(&citation.text)
                );
            }
            Block::Table { widths, header, rows } => {
                let cols: Vec<String> = widths.iter().map(|w| format!("{w}fr")).collect();
                let _ = writeln!(
                    s,
                    "#text(size: {}pt)[#table(columns: ({}),",
                    f.small,
                    cols.join(", ")
                );
                for (i, row) in std::iter::once(header).chain(rows).enumerate() {
                    for c in row {
                        if i == 0 {
                            let _ = write!(s, "strong[{}], ", lit(c));
                        } else {
                            let _ = write!(s, "[{}], ", lit(c));
                        }
                    }
                    s.push('\n');
                }
                s.push_str(")]\n");
            }
        }
    }
    s
}
