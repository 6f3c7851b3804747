//! Document -> plain text: the TUI's live preview and `build --format text`.

use crate::clean;
use crate::compose::{runs_text, Block, Document};
use unicode_width::UnicodeWidthStr;

/// Renders the memo as lines of at most `width` columns (never less than 20).
pub fn lines(doc: &Document, width: usize) -> Vec<String> {
    lines_and_anchors(doc, width).0
}

/// The lines, and for each library item the memo shows (a point, or a threat,
/// partner or person under its heading) the line where its block begins.
pub(crate) fn lines_and_anchors(doc: &Document, width: usize) -> (Vec<String>, Vec<(String, usize)>) {
    let width = width.max(20);
    let mut anchors = Vec::new();
    let mut out = Vec::new();
    let m = &doc.meta;
    center_into(&mut out, &clean::line(&m.marking), width);
    if let Some(draft) = &m.draft {
        center_into(&mut out, &clean::line(draft), width);
    }
    out.push(String::new());
    let t = &doc.title_block;
    center_into(&mut out, &clean::line(&t.subtitle.to_uppercase()), width);
    center_into(&mut out, &clean::line(&t.title), width);
    out.push(String::new());
    // "Label: " for the widest label, the distribution's among them.
    let distribution = (!t.distribution.is_empty()).then_some(&t.distribution_label);
    let label_w = t
        .fields
        .iter()
        .map(|(l, _)| l)
        .chain(distribution)
        .map(|l| l.width())
        .max()
        .unwrap_or(0)
        + 2;
    let label_w = label_w.min(width / 3);
    for (label, value) in &t.fields {
        hanging(
            &mut out,
            &format!("{label}:"),
            &clean::line(value),
            label_w,
            width,
        );
    }
    if !t.distribution.is_empty() {
        let list = t.distribution.join("; ");
        hanging(
            &mut out,
            &format!("{}:", t.distribution_label),
            &clean::line(&list),
            label_w,
            width,
        );
    }
    wrap_into(&mut out, &clean::line(&t.copy), "", "", width);
    for block in &doc.blocks {
        if let Block::Point { id, .. } | Block::Heading { item: Some(id), .. } = block {
            anchors.push((id.clone(), out.len()));
        }
        match block {
            Block::Heading { level, text, .. } => {
                out.push(String::new());
                let text = clean::line(text);
                wrap_into(&mut out, &text, "", "", width);
                if *level == 1 {
                    let w = out.last().map_or(0, |l| l.width());
                    out.push("=".repeat(w.min(width)));
                } else if *level == 2 {
                    let w = out.last().map_or(0, |l| l.width());
                    out.push("-".repeat(w.min(width)));
                }
            }
            Block::Paragraph(runs) => {
                out.push(String::new());
                wrap_into(&mut out, &clean::line(&runs_text(runs)), "", "", width);
            }
            Block::Field { label, value } => {
                let line = format!("{}: {}", clean::line(label), clean::line(value));
                wrap_into(&mut out, &line, "", "", width);
            }
            Block::Label(text) => {
                out.push(String::new());
                wrap_into(&mut out, &clean::line(text), "", "", width);
            }
            Block::Note(text) => {
                wrap_into(&mut out, &clean::line(text), "  ", "  ", width);
            }
            Block::Source(entry) => {
                let lines = entry.lines();
                let (mark, text, by) = (lines.mark, lines.text, lines.by);
                out.push(String::new());
                wrap_into(&mut out, &clean::line(&format!("{mark}{text}")), "", "", width);
                wrap_into(&mut out, &clean::line(&by), "  ", "  ", width);
            }
            Block::Bullets(items) => {
                for item in items {
                    wrap_into(&mut out, &clean::line(&runs_text(item)), "  • ", "    ", width);
                }
            }
            Block::Point {
                number,
                text,
                citation,
                ..
            } => {
                out.push(String::new());
                let lead = format!("{number:>3}. ");
                let indent = " ".repeat(lead.width());
                wrap_into(&mut out, &clean::line(text), &lead, &indent, width);
                wrap_into(&mut out, &clean::line(&citation.line()), &indent, &indent, width);
            }
            Block::Table { widths, header, rows } => {
                out.push(String::new());
                table_into(&mut out, widths, header, rows, width);
            }
        }
    }
    out.push(String::new());
    center_into(&mut out, &clean::line(&m.marking), width);
    (out, anchors)
}

/// A table in columns: each cell wrapped in its column (shares of the width as
/// the document gives them), empty cells kept as blanks, so every value stays
/// under its header.
fn table_into(
    out: &mut Vec<String>,
    weights: &[usize],
    header: &[String],
    rows: &[Vec<String>],
    width: usize,
) {
    const GAP: usize = 2;
    let n = header.len().max(1);
    let room = width.saturating_sub(2 + GAP * (n - 1)).max(n * 4);
    let total: usize = weights.iter().take(n).sum::<usize>().max(1);
    let mut cols: Vec<usize> = (0..n)
        .map(|i| (room * weights.get(i).copied().unwrap_or(1) / total).max(4))
        .collect();
    // Rounding leftovers go to the last column.
    let used: usize = cols.iter().sum();
    if let Some(last) = cols.last_mut() {
        *last += room.saturating_sub(used);
    }
    let mut emit = |row: &[String]| {
        let cells: Vec<Vec<String>> = cols
            .iter()
            .enumerate()
            .map(|(i, &w)| {
                let mut lines = Vec::new();
                wrap_into(
                    &mut lines,
                    &clean::line(row.get(i).map_or("", String::as_str)),
                    "",
                    "",
                    w,
                );
                lines
            })
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
        for k in 0..height {
            let mut line = "  ".to_owned();
            for (i, cell) in cells.iter().enumerate() {
                let text = cell.get(k).map_or("", String::as_str);
                line.push_str(text);
                if i + 1 < cells.len() {
                    let pad = cols[i].saturating_sub(text.width()) + GAP;
                    line.push_str(&" ".repeat(pad));
                }
            }
            out.push(line.trim_end().to_owned());
        }
    };
    emit(header);
    let rule: Vec<String> = cols.iter().map(|&w| "-".repeat(w)).collect();
    emit(&rule);
    for row in rows {
        emit(row);
    }
}

/// Centred lines, wrapped first: a long title or marking (or a narrow preview pane)
/// must not produce lines wider than the pane. Found by the `compose_text` fuzz target.
fn center_into(out: &mut Vec<String>, s: &str, width: usize) {
    let mut lines = Vec::new();
    wrap_into(&mut lines, s, "", "", width);
    if lines.is_empty() {
        lines.push(String::new());
    }
    out.extend(lines.iter().map(|l| center(l, width)));
}

fn center(s: &str, width: usize) -> String {
    let pad = width.saturating_sub(s.width()) / 2;
    format!("{}{s}", " ".repeat(pad))
}

fn hanging(out: &mut Vec<String>, label: &str, value: &str, label_w: usize, width: usize) {
    let pad = label_w.saturating_sub(label.width()).max(1);
    let lead = format!("{label}{}", " ".repeat(pad));
    let indent = " ".repeat(lead.width());
    wrap_into(out, value, &lead, &indent, width);
}

/// Greedy word wrap by display width; a word wider than the line is broken, never lost.
pub(crate) fn wrap_into(out: &mut Vec<String>, text: &str, first: &str, rest: &str, width: usize) {
    let mut line = first.to_owned();
    let mut has_word = false;
    for mut word in text.split_whitespace() {
        loop {
            let sep = usize::from(has_word);
            if line.width() + sep + word.width() <= width {
                if has_word {
                    line.push(' ');
                }
                line.push_str(word);
                has_word = true;
                break;
            }
            if has_word {
                out.push(std::mem::replace(&mut line, rest.to_owned()));
                has_word = false;
                continue;
            }
            let cut = split_at_width(word, width.saturating_sub(line.width()).max(1));
            line.push_str(&word[..cut]);
            out.push(std::mem::replace(&mut line, rest.to_owned()));
            word = &word[cut..];
            if word.is_empty() {
                break;
            }
        }
    }
    if has_word || !first.trim().is_empty() {
        out.push(line);
    }
}

/// The largest char boundary at which `word` fits in `cols` columns (at least one char).
fn split_at_width(word: &str, cols: usize) -> usize {
    let mut w = 0;
    for (i, c) in word.char_indices() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > cols && i > 0 {
            return i;
        }
        w += cw;
    }
    word.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(text: &str, width: usize) -> Vec<String> {
        let mut out = Vec::new();
        wrap_into(&mut out, text, "- ", "  ", width);
        out
    }

    #[test]
    fn wraps_within_width_and_keeps_every_word() {
        let text = "Operation Channel has become a permanent regional project of the organisation";
        let lines = wrap(text, 24);
        assert!(lines.iter().all(|l| l.width() <= 24), "{lines:?}");
        let back: Vec<&str> = lines
            .iter()
            .flat_map(|l| l.split_whitespace())
            .filter(|w| *w != "-")
            .collect();
        assert_eq!(back.join(" "), text);
    }

    #[test]
    fn breaks_words_wider_than_the_line() {
        let long = "https://example.org/".to_owned() + &"x".repeat(50);
        let lines = wrap(&format!("see {long} now"), 20);
        assert!(lines.iter().all(|l| l.width() <= 20), "{lines:?}");
        let joined: String = lines.iter().map(|l| l.trim_start_matches("- ").trim()).collect();
        assert!(joined.contains(&long), "{joined}");
    }

    #[test]
    fn table_columns_stay_under_their_headers_with_empty_cells() {
        let mut out = Vec::new();
        let header = vec!["State".to_owned(), "Dates".to_owned(), "Notes".to_owned()];
        let rows = vec![
            vec!["Armenia".to_owned(), String::new(), "member".to_owned()],
            vec![
                "Uzbekistan".to_owned(),
                "left 2012".to_owned(),
                "former member".to_owned(),
            ],
        ];
        table_into(&mut out, &[3, 2, 8], &header, &rows, 60);
        let col = |line: &str, word: &str| line.find(word).unwrap();
        let notes = col(&out[0], "Notes");
        assert_eq!(col(&out[2], "member"), notes, "{out:#?}");
        assert_eq!(col(&out[3], "former member"), notes, "{out:#?}");
        assert_eq!(col(&out[3], "left"), col(&out[0], "Dates"), "{out:#?}");
        assert!(out.iter().all(|l| l.width() <= 60));
    }

    #[test]
    fn title_block_values_line_up_after_the_widest_label_with_a_space() {
        let (lib, pack) = crate::shipped::sochi_2011();
        let template = crate::template::Template::default_template().unwrap();
        let doc = crate::compose::compose(&lib, &pack, &template);
        let out = lines(&doc, 80);
        let value_at = |label: &str| {
            let line = out.iter().find(|l| l.starts_with(label)).unwrap();
            line[label.len()..].len() - line[label.len()..].trim_start().len() + label.len()
        };
        let to = value_at("To:");
        assert_eq!(value_at("Distribution:"), to, "{out:#?}");
        assert!(to > "Distribution:".len(), "{out:#?}");
    }

    #[test]
    fn cyrillic_counts_columns_not_bytes() {
        let lines = wrap("Организация Договора о коллективной безопасности", 22);
        assert!(lines.iter().all(|l| l.width() <= 22), "{lines:?}");
        assert_eq!(lines.len(), 3);
    }
}
