//! Which talking points need review, and why.
//!
//! "Today" is always passed in: the logic never reads the clock, so a report can be
//! run as of a summit date and tests do not depend on the day they run.

use crate::library::{age, source_text, squash_ws, Kind, Library, Origin, Point, Status};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// How old a review may get before the point is due again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub max_age_days: u32,
    /// Years after which a line is `dated`; `None`: the library's own setting.
    pub max_statement_age: Option<u32>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_age_days: 180,
            max_statement_age: None,
        }
    }
}

/// The groups a report and the screen's filter use, in the order they are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    BrokenSource,
    BrokenLinks,
    Draft,
    NeverReviewed,
    Stale,
    Dated,
}

impl Category {
    pub(crate) const ALL: [Category; 6] = [
        Category::BrokenSource,
        Category::BrokenLinks,
        Category::Draft,
        Category::NeverReviewed,
        Category::Stale,
        Category::Dated,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Category::BrokenSource => "broken-source",
            Category::BrokenLinks => "broken-links",
            Category::Draft => "draft",
            Category::NeverReviewed => "never-reviewed",
            Category::Stale => "stale",
            Category::Dated => "dated",
        }
    }

    /// How the group is headed in a report or a filter menu.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Category::BrokenSource => "source problems",
            Category::BrokenLinks => "broken links",
            Category::Draft => "draft",
            Category::NeverReviewed => "never reviewed",
            Category::Stale => "review out of date",
            Category::Dated => "line said too long ago",
        }
    }
}

/// One reason a point needs review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    Draft,
    NeverReviewed,
    Stale {
        reviewed: NaiveDate,
        age_days: i64,
    },
    UnknownSource {
        id: String,
    },
    /// The excerpt was not found verbatim in the source document (or it is unreadable).
    Excerpt {
        problem: String,
    },
    UnknownLink {
        kind: Kind,
        id: String,
    },
    /// A key message, press line or defensive line last said or reaffirmed on
    /// `last`, more than `years` ago: still our position, history, or retired?
    Dated {
        last: NaiveDate,
        years: u32,
        /// "said in 2013", "reaffirmed on 1 March 2025".
        when: String,
    },
}

impl Reason {
    pub fn category(&self) -> Category {
        match self {
            Reason::Draft => Category::Draft,
            Reason::NeverReviewed => Category::NeverReviewed,
            Reason::Stale { .. } => Category::Stale,
            Reason::UnknownSource { .. } | Reason::Excerpt { .. } => Category::BrokenSource,
            Reason::UnknownLink { .. } => Category::BrokenLinks,
            Reason::Dated { .. } => Category::Dated,
        }
    }

    /// One line for a person.
    pub(crate) fn describe(&self) -> String {
        match self {
            Reason::Draft => "in draft".to_owned(),
            Reason::NeverReviewed => "never reviewed".to_owned(),
            Reason::Stale { reviewed, age_days } => {
                format!(
                    "last reviewed {} ({age_days} days ago)",
                    reviewed.format("%Y-%m-%d")
                )
            }
            Reason::UnknownSource { id } => format!("source `{id}` is not in the library"),
            Reason::Excerpt { problem } => problem.clone(),
            Reason::UnknownLink { kind, id } => {
                format!("linked {} `{id}` is not in the library", kind.singular())
            }
            Reason::Dated { years, when, .. } => {
                format!("dated: {when}, more than {years} years ago (reaffirm, make background or retire)")
            }
        }
    }
}

/// A point that needs review, with everything the queue sorts and filters on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    pub id: String,
    pub status: Status,
    pub owner: Option<String>,
    pub reviewed: Option<NaiveDate>,
    pub reviewer: Option<String>,
    pub at: Origin,
    pub reasons: Vec<Reason>,
}

impl Due {
    pub fn has(&self, category: Category) -> bool {
        self.reasons.iter().any(|r| r.category() == category)
    }
}

/// The points needing review, in library (file) order. Retired points never are: they
/// are out of use, and briefs that still select one are warned about when they open.
/// `sources_dir`, when given, also checks each excerpt against its source document.
pub fn queue(lib: &Library, today: NaiveDate, policy: Policy, sources_dir: Option<&Path>) -> Vec<Due> {
    listing(lib, today, policy, sources_dir, false)
}

/// Every point, retired ones too, each with what makes it due (often nothing), in
/// library order: for fixing a point that is not due, such as a typo in an
/// approved one.
pub(crate) fn all_points(
    lib: &Library,
    today: NaiveDate,
    policy: Policy,
    sources_dir: Option<&Path>,
) -> Vec<Due> {
    listing(lib, today, policy, sources_dir, true)
}

fn listing(
    lib: &Library,
    today: NaiveDate,
    policy: Policy,
    sources_dir: Option<&Path>,
    all: bool,
) -> Vec<Due> {
    let mut excerpts = ExcerptCheck::new(lib, sources_dir);
    lib.points
        .iter()
        .filter(|p| all || p.status != Status::Retired)
        .filter_map(|p| {
            let reasons = if p.status == Status::Retired {
                Vec::new()
            } else {
                reasons(lib, p, today, policy, &mut excerpts)
            };
            (all || !reasons.is_empty()).then(|| Due {
                id: p.id.clone(),
                status: p.status,
                owner: p.owner.clone(),
                reviewed: p.reviewed,
                reviewer: p.reviewer.clone(),
                at: p.at.clone(),
                reasons,
            })
        })
        .collect()
}

fn reasons(
    lib: &Library,
    p: &Point,
    today: NaiveDate,
    policy: Policy,
    excerpts: &mut ExcerptCheck<'_>,
) -> Vec<Reason> {
    let mut out = Vec::new();
    if lib.source(&p.source).is_none() {
        out.push(Reason::UnknownSource { id: p.source.clone() });
    } else if let Some(problem) = excerpts.problem(p) {
        out.push(Reason::Excerpt { problem });
    }
    for (kind, ids) in [(Kind::Threat, &p.threats), (Kind::Partner, &p.partners)] {
        for id in ids.iter().filter(|id| !lib.contains(kind, id)) {
            out.push(Reason::UnknownLink { kind, id: id.clone() });
        }
    }
    if p.status == Status::Draft {
        out.push(Reason::Draft);
    }
    match p.reviewed {
        None if p.status != Status::Draft => out.push(Reason::NeverReviewed),
        None => {}
        Some(reviewed) => {
            let age_days = (today - reviewed).num_days();
            if age_days > i64::from(policy.max_age_days) {
                out.push(Reason::Stale { reviewed, age_days });
            }
        }
    }
    let years = policy.max_statement_age.unwrap_or(lib.settings.max_statement_age);
    if let Some(last) = age::dated_since(p, today, years) {
        out.push(Reason::Dated {
            last,
            years,
            when: age::last_affirmed_text(p),
        });
    }
    out
}

/// Reads each source document once, however many points quote it.
struct ExcerptCheck<'a> {
    lib: &'a Library,
    dir: Option<&'a Path>,
    texts: HashMap<String, Result<String, String>>,
}

impl<'a> ExcerptCheck<'a> {
    fn new(lib: &'a Library, dir: Option<&'a Path>) -> Self {
        ExcerptCheck {
            lib,
            dir,
            texts: HashMap::new(),
        }
    }

    fn problem(&mut self, p: &Point) -> Option<String> {
        let dir = self.dir?;
        let source = self.lib.source(&p.source)?;
        let text = self
            .texts
            .entry(source.id.clone())
            .or_insert_with(|| source_text(dir, &source.file));
        match text {
            Ok(t) if t.contains(&squash_ws(&p.excerpt)) => None,
            Ok(_) => Some(format!(
                "excerpt not found verbatim in {} (source `{}`)",
                source.file, source.id
            )),
            Err(e) => Some(e.clone()),
        }
    }
}

/// The orders the screen offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortKey {
    /// As the points appear in the file.
    #[default]
    File,
    Id,
    /// Longest unreviewed first (never reviewed before the oldest date).
    Age,
    /// By owner, points without one last.
    Owner,
    /// By the first reason's group, as reports list them.
    Reason,
}

pub fn sort(due: &mut [Due], key: SortKey) {
    match key {
        SortKey::File => due.sort_by_key(|d| d.at.line),
        SortKey::Id => due.sort_by(|a, b| a.id.cmp(&b.id)),
        SortKey::Age => due.sort_by_key(|d| (d.reviewed, d.at.line)),
        SortKey::Owner => due.sort_by(|a, b| {
            (a.owner.is_none(), &a.owner, a.at.line).cmp(&(b.owner.is_none(), &b.owner, b.at.line))
        }),
        SortKey::Reason => due.sort_by_key(|d| (d.reasons.iter().map(Reason::category).min(), d.at.line)),
    }
}

/// What the screen narrows the queue to; empty fields match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub category: Option<Category>,
    /// `Some("")` picks points without an owner.
    pub owner: Option<String>,
}

impl Filter {
    /// Text is searched by the screen, with the same matcher as the lists'.
    pub fn matches(&self, due: &Due) -> bool {
        if self.category.is_some_and(|c| !due.has(c)) {
            return false;
        }
        self.owner
            .as_ref()
            .is_none_or(|owner| due.owner.as_deref().unwrap_or("") == owner)
    }
}
