//! The format-free memo: what the PDF and the plain-text preview both render.

use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub meta: Meta,
    pub title_block: TitleBlock,
    pub blocks: Vec<Block>,
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
}

impl Run {
    pub fn plain(t: impl Into<String>) -> Run {
        Run {
            text: t.into(),
            style: Style::Plain,
        }
    }
    pub fn bold(t: impl Into<String>) -> Run {
        Run {
            text: t.into(),
            style: Style::Bold,
        }
    }
    pub fn italic(t: impl Into<String>) -> Run {
        Run {
            text: t.into(),
            style: Style::Italic,
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
}

/// A reference to a source in the annex, with the quoted evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Citation {
    /// Number of the source in the annex of sources cited.
    pub number: usize,
    /// "Source [2]: “...”".
    pub text: String,
}

/// Where a talking point stands in the memo: its number and the headings above it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointPlace {
    pub id: String,
    pub number: usize,
    /// The group heading and, when the group is split by theme, the theme
    /// ("Key messages › International terrorism").
    pub group: String,
}

impl Document {
    /// The talking points in the order the memo prints them, as it numbers and
    /// heads them: what an interface shows as "the memo's order".
    pub fn point_places(&self) -> Vec<PointPlace> {
        let mut out = Vec::new();
        let (mut group, mut theme) = (String::new(), None::<String>);
        for block in &self.blocks {
            match block {
                Block::Heading { level: 1, .. } => (group, theme) = (String::new(), None),
                Block::Heading { level: 2, text, .. } => (group, theme) = (text.clone(), None),
                Block::Heading { level: 3, text, .. } => theme = Some(text.clone()),
                Block::Point { number, id, .. } => out.push(PointPlace {
                    id: id.clone(),
                    number: *number,
                    group: match &theme {
                        Some(t) => format!("{group} › {t}"),
                        None => group.clone(),
                    },
                }),
                _ => {}
            }
        }
        out
    }
}
