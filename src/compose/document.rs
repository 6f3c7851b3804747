//! The format-free memo: what the PDF and the plain-text preview both render.

use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub meta: Meta,
    pub title_block: TitleBlock,
    pub blocks: Vec<Block>,
    /// How many of `blocks` open the memo with its title block (the summary):
    /// a long memo's contents come after them, so page 1 stays the summary.
    pub front: usize,
}

/// What every page and the file's metadata carry.
#[derive(Clone, Debug, PartialEq)]
pub struct Meta {
    /// Document title for the PDF's metadata.
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// The memo's date: the PDF's creation date, so rebuilds are identical.
    pub date: Option<NaiveDate>,
    pub marking: String,
    /// "SG/2011/041 · 5 August 2011", for pages after the first.
    pub running_head: String,
    /// "Page {page} of {pages}".
    pub page_pattern: String,
    /// The draft banner, when the memo is a draft.
    pub draft: Option<String>,
    /// On a distribution copy, its number and addressee, at every page's foot:
    /// "Copy No. 2 of 3 · Ministry of Foreign Affairs".
    pub copy_foot: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TitleBlock {
    pub title: String,
    pub subtitle: String,
    /// Label and value rows: reference, date, to, from, meeting, place...
    pub fields: Vec<(String, String)>,
    pub distribution_label: String,
    pub distribution: Vec<String>,
    /// "Copy No. 1 of 2".
    pub copy: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Bold,
    Italic,
}

/// A piece of text in one style.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub text: String,
    pub style: Style,
    /// The source (its number in the annex) this run cites, when it is a
    /// citation mark "[n]": a PDF links it to the source.
    pub cite: Option<usize>,
    /// The talking point (its number) this run refers to, when it says where
    /// something is developed: a PDF links it to the point.
    pub to_point: Option<usize>,
}

impl Run {
    pub(crate) fn plain(t: impl Into<String>) -> Run {
        Run {
            text: t.into(),
            style: Style::Plain,
            cite: None,
            to_point: None,
        }
    }
    pub(crate) fn bold(t: impl Into<String>) -> Run {
        Run {
            text: t.into(),
            style: Style::Bold,
            cite: None,
            to_point: None,
        }
    }
    pub(crate) fn italic(t: impl Into<String>) -> Run {
        Run {
            text: t.into(),
            style: Style::Italic,
            cite: None,
            to_point: None,
        }
    }
    /// The mark "[n]" citing source `n`.
    pub(crate) fn citation(n: usize) -> Run {
        Run {
            text: format!("[{n}]"),
            style: Style::Plain,
            cite: Some(n),
            to_point: None,
        }
    }
    /// `t`, referring to talking point `n`.
    pub(crate) fn point_ref(t: impl Into<String>, n: usize) -> Run {
        Run {
            text: t.into(),
            style: Style::Plain,
            cite: None,
            to_point: Some(n),
        }
    }
}

/// Plain text of some runs.
pub fn runs_text(runs: &[Run]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// Level 1 is a numbered section or an annex (annexes start a new page),
    /// 2 a subsection (a threat, a partner, a group of points), 3 a theme.
    Heading {
        level: u8,
        text: String,
        new_page: bool,
        /// The library item the heading introduces (a threat, a partner, a person),
        /// so a preview can show where a picked item landed.
        item: Option<String>,
    },
    Paragraph(Vec<Run>),
    /// A run-in label and its value on one line: "Trend: rising". Fields that
    /// follow a paragraph belong with it (an assessment and its trend).
    Field {
        label: String,
        value: String,
    },
    /// A run-in label alone ("Next steps:"), introducing what follows; never
    /// the last line of a page.
    Label(String),
    /// List items, each drawn with its dash.
    Bullets(Vec<Vec<Run>>),
    /// A talking point: its number, the line to take, and its source reference.
    Point {
        number: usize,
        id: String,
        text: String,
        citation: Citation,
    },
    Table {
        widths: Vec<usize>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// Small italic text: notes and "nothing selected".
    Note(String),
    /// An entry of the annex of sources.
    Source(SourceEntry),
}

/// An entry of the annex of sources: "[number] text", then "label: what cites
/// it" (what cites it may be a talking point, which a PDF links to). Every
/// renderer prints it through `lines`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceEntry {
    pub number: usize,
    pub text: String,
    pub cited_by_label: String,
    /// How the line names one talking point and several ("point", "points").
    pub point_words: [String; 2],
    pub cited_by: Vec<Citer>,
}

/// Something that cites a source: how the annex names it ("point 3", a threat's
/// title) and, for a talking point, its number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citer {
    pub text: String,
    pub point: Option<usize>,
}

impl SourceEntry {
    /// The entry's two lines: "[number] " and the text, and the line naming
    /// what cites it: the threats and partners, then the talking points as
    /// ranges ("Cited by: Afghan drug trafficking; points 1–8, 10–14"). With it,
    /// where each point number written stands in that line (a range's two ends),
    /// for a PDF to link back from.
    pub fn lines(&self) -> SourceLines {
        let Self {
            number,
            text,
            cited_by_label: label,
            point_words: [point, points],
            cited_by,
        } = self;
        let mut by = format!("{label}: ");
        let mut first = true;
        for c in cited_by.iter().filter(|c| c.point.is_none()) {
            if !first {
                by.push_str("; ");
            }
            by.push_str(&c.text);
            first = false;
        }
        let mut numbers: Vec<usize> = cited_by.iter().filter_map(|c| c.point).collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut links = Vec::new();
        if !numbers.is_empty() {
            if !first {
                by.push_str("; ");
            }
            by.push_str(if numbers.len() == 1 { point } else { points });
            let mut i = 0;
            while i < numbers.len() {
                let mut j = i;
                while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
                    j += 1;
                }
                by.push_str(if i == 0 { " " } else { ", " });
                for (k, n) in [numbers[i], numbers[j]].into_iter().enumerate() {
                    if k == 1 {
                        if j == i {
                            break;
                        }
                        by.push('\u{2013}');
                    }
                    let at = by.len();
                    by.push_str(&n.to_string());
                    links.push((n, at..by.len()));
                }
                i = j + 1;
            }
        }
        SourceLines {
            mark: format!("[{number}] "),
            text: text.to_owned(),
            by,
            links,
        }
    }
}

/// An entry of the annex of sources as printed (see `SourceEntry::lines`).
pub struct SourceLines {
    pub mark: String,
    pub text: String,
    pub by: String,
    /// Each point number in `by`: the point, and the bytes its number covers.
    pub links: Vec<(usize, std::ops::Range<usize>)>,
}

/// A reference to a source in the annex, with the quoted evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Citation {
    /// Number of the source in the annex of sources cited.
    pub number: usize,
    /// "Source [2]: “...”".
    pub text: String,
    /// Who said it and when ("N. Bordyuzha, 2011"), when the point records it.
    pub attribution: Option<String>,
}

impl Citation {
    /// The source line as printed under the point.
    pub fn line(&self) -> String {
        match &self.attribution {
            Some(a) if !a.trim().is_empty() => format!("{} ({a})", self.text),
            _ => self.text.clone(),
        }
    }
}

/// Where a talking point stands in the memo: its number and the headings above it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PointPlace {
    pub id: String,
    pub number: usize,
    /// The group heading and, when the group is split by theme, the theme
    /// ("Key messages › 4.1.2 International terrorism").
    pub group: String,
}

impl Document {
    /// The talking points in the order the memo prints them, as it numbers and
    /// heads them: what an interface shows as "the memo's order".
    pub(crate) fn point_places(&self) -> Vec<PointPlace> {
        let mut out = Vec::new();
        // The headings above the current block, by level (1 to 3).
        let mut heads: [Option<&str>; 3] = [None; 3];
        for block in &self.blocks {
            match block {
                Block::Heading { level, text, .. } if (1..=3).contains(level) => {
                    let at = usize::from(*level) - 1;
                    heads[at] = Some(text);
                    heads[at + 1..].fill(None);
                }
                Block::Point { number, id, .. } => out.push(PointPlace {
                    id: id.clone(),
                    number: *number,
                    group: group_of(&heads),
                }),
                _ => {}
            }
        }
        out
    }
}

/// A point's group as a list names it: the headings below the section
/// ("Key messages › 4.1.1 Afghan drug trafficking"), or the section alone. Only
/// the last keeps its number: it is the one that says where the point is.
fn group_of(heads: &[Option<&str>; 3]) -> String {
    let below: Vec<&str> = heads[1..].iter().flatten().copied().collect();
    let Some((last, above)) = below.split_last() else {
        return heads[0].unwrap_or_default().to_owned();
    };
    let mut parts: Vec<&str> = above.iter().map(|h| unnumbered(h)).collect();
    parts.push(last);
    parts.join(" › ")
}

/// "4.1 Key messages" -> "Key messages".
fn unnumbered(heading: &str) -> &str {
    match heading.split_once(' ') {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit() || c == '.') => rest,
        _ => heading,
    }
}

#[cfg(test)]
mod tests {
    use super::{group_of, Block, Citation};

    #[test]
    fn a_citation_names_who_said_it_only_when_the_point_records_someone() {
        let cite = |attribution: Option<&str>| Citation {
            number: 2,
            text: "Source [2]: \u{201c}Since 2009\u{201d}".to_owned(),
            attribution: attribution.map(str::to_owned),
        };
        assert_eq!(
            cite(Some("N. Bordyuzha, 2011")).line(),
            "Source [2]: \u{201c}Since 2009\u{201d} (N. Bordyuzha, 2011)"
        );
        // Blank is nobody: no empty brackets.
        assert_eq!(cite(Some("  ")).line(), "Source [2]: \u{201c}Since 2009\u{201d}");
        assert_eq!(cite(None).line(), "Source [2]: \u{201c}Since 2009\u{201d}");
    }

    #[test]
    fn a_heading_outside_the_three_levels_leaves_the_points_groups_as_they_were() {
        let (lib, pack) = crate::shipped::sochi_2011();
        let mut doc = crate::compose::compose(
            &lib,
            &pack,
            &crate::template::Template::default_template().unwrap(),
        );
        let before = doc.point_places();
        let first = doc
            .blocks
            .iter()
            .position(|b| matches!(b, Block::Point { .. }))
            .unwrap();
        for level in [0, 4, 9] {
            doc.blocks.insert(
                first,
                Block::Heading {
                    level,
                    text: format!("level {level}"),
                    new_page: false,
                    item: None,
                },
            );
        }
        let after = doc.point_places();
        assert!(!before.is_empty());
        assert_eq!(after, before);
    }

    #[test]
    fn a_group_names_the_headings_below_the_section_and_the_last_ones_number() {
        let heads = [
            Some("4. Other talking points"),
            Some("4.1 Key messages"),
            Some("4.1.1 Afghan drug trafficking"),
        ];
        assert_eq!(group_of(&heads), "Key messages › 4.1.1 Afghan drug trafficking");
        let heads = [Some("2. Threats"), Some("2.1 International terrorism"), None];
        assert_eq!(group_of(&heads), "2.1 International terrorism");
        assert_eq!(
            group_of(&[Some("4. Other talking points"), None, None]),
            "4. Other talking points"
        );
        assert_eq!(group_of(&[None, None, None]), "");
        // Only a number is taken off a heading above the last: an unnumbered
        // heading keeps its first word.
        let heads = [
            Some("Other talking points"),
            Some("Key messages"),
            Some("Afghan drug trafficking"),
        ];
        assert_eq!(group_of(&heads), "Key messages › Afghan drug trafficking");
    }
}
