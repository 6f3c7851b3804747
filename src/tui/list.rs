//! The three browsing panes: which records each shows, in what order.
//! Pure: the library and the selection in, rows out.

use super::filter::Fuzzy;
use crate::library::{Kind, Library, PartnerKind, PointKind, Status, Trend};
use crate::pack::Selection;
use crate::render::clean;
use std::collections::HashSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Threats,
    Partners,
    Points,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Threats, Pane::Partners, Pane::Points];

    pub fn kind(self) -> Kind {
        match self {
            Pane::Threats => Kind::Threat,
            Pane::Partners => Kind::Partner,
            Pane::Points => Kind::Point,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Pane::Threats => "Threats",
            Pane::Partners => "Partners",
            Pane::Points => "Points",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Pane::Threats => 0,
            Pane::Partners => 1,
            Pane::Points => 2,
        }
    }

    pub fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % 3]
    }

    pub fn prev(self) -> Pane {
        Pane::ALL[(self.index() + 2) % 3]
    }

    /// What the `f` key filters by in this pane, and its choices.
    pub fn kind_filter_name(self) -> &'static str {
        match self {
            Pane::Threats => "trend",
            Pane::Partners | Pane::Points => "kind",
        }
    }

    pub fn kind_choices(self) -> Vec<&'static str> {
        match self {
            Pane::Threats => Trend::ALL.iter().map(|t| t.label()).collect(),
            Pane::Partners => PartnerKind::ALL.iter().map(|t| t.label()).collect(),
            Pane::Points => PointKind::ALL.iter().map(|t| t.label()).collect(),
        }
    }
}

/// A pane's filters; `None` means "all".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub query: String,
    pub kind: Option<usize>,
    pub status: Option<Status>,
    pub tag: Option<String>,
    pub linked_only: bool,
    pub selected_only: bool,
}

impl Filters {
    /// The active filters in words, for the pane's title.
    pub fn describe(&self, pane: Pane) -> Vec<String> {
        let mut out = Vec::new();
        if !self.query.is_empty() {
            out.push(format!("/{}", clean::line(&self.query)));
        }
        if let Some(k) = self.kind.and_then(|k| pane.kind_choices().get(k).copied()) {
            out.push(format!("{}: {k}", pane.kind_filter_name()));
        }
        if let Some(s) = self.status {
            out.push(format!("status: {}", s.label()));
        }
        if let Some(t) = &self.tag {
            out.push(format!("tag: {}", clean::line(t)));
        }
        if self.linked_only {
            out.push("linked only".to_owned());
        }
        if self.selected_only {
            out.push("picked only, memo order".to_owned());
        }
        out
    }

    pub fn is_active(&self) -> bool {
        *self != Filters::default()
    }
}

/// One visible record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Position in the library's list of that kind.
    pub index: usize,
    pub id: String,
    /// The text shown and matched, cleaned for the terminal.
    pub label: String,
    /// Characters of `label` the filter matched.
    pub hits: Vec<u32>,
    /// Linked to a picked threat or partner.
    pub linked: bool,
}

/// The text a pane shows (and the filter matches) for a record.
pub fn label(lib: &Library, pane: Pane, index: usize) -> String {
    let raw = match pane {
        Pane::Threats => lib.threats[index].title.clone(),
        Pane::Partners => lib.partners[index].display_name(),
        Pane::Points => lib.points[index].text.clone(),
    };
    clean::line(&raw).into_owned()
}

/// The rows of a pane, filtered (retired points only when picked): with a query, best match first; without one,
/// records linked to a picked threat or partner first, then library order; with
/// `selected_only`, in the memo's order.
pub fn rows(lib: &Library, pane: Pane, f: &Filters, sel: &Selection, fuzzy: &mut Fuzzy) -> Vec<Row> {
    let linked: HashSet<&str> = match pane {
        Pane::Threats => HashSet::new(),
        Pane::Partners => sel
            .threats
            .iter()
            .flat_map(|t| lib.partners_of_threat(t))
            .map(|p| p.id.as_str())
            .collect(),
        Pane::Points => lib
            .points_linked_to(&sel.threats, &sel.partners)
            .into_iter()
            .map(|p| p.id.as_str())
            .collect(),
    };
    let pattern = Fuzzy::pattern(&f.query);
    let kind = pane.kind();
    let mut out: Vec<(Row, u32)> = Vec::new();
    for index in 0..lib.count(kind) {
        let (id, keep) = match pane {
            Pane::Threats => {
                let t = &lib.threats[index];
                (&t.id, f.kind.is_none_or(|k| Trend::ALL.get(k) == Some(&t.trend)))
            }
            Pane::Partners => {
                let p = &lib.partners[index];
                (
                    &p.id,
                    f.kind.is_none_or(|k| PartnerKind::ALL.get(k) == Some(&p.kind)),
                )
            }
            Pane::Points => {
                let p = &lib.points[index];
                // A retired point is never offered for a new brief; one this pack
                // already picked stays listed (marked retired) so it can be unpicked.
                let offered = p.status != Status::Retired || sel.contains(kind, &p.id);
                let keep = offered
                    && f.kind.is_none_or(|k| PointKind::ALL.get(k) == Some(&p.kind))
                    && f.status.is_none_or(|s| s == p.status)
                    && f.tag.as_ref().is_none_or(|t| p.tags.contains(t));
                (&p.id, keep)
            }
        };
        let is_linked = linked.contains(id.as_str());
        if !keep || (f.linked_only && !is_linked) || (f.selected_only && !sel.contains(kind, id)) {
            continue;
        }
        let label = label(lib, pane, index);
        let (score, hits) = match &pattern {
            None => (0, Vec::new()),
            Some(p) => match fuzzy.find(p, &label) {
                Some(h) => (h.score, h.chars),
                None => continue,
            },
        };
        out.push((
            Row {
                index,
                id: id.clone(),
                label,
                hits,
                linked: is_linked,
            },
            score,
        ));
    }
    if f.selected_only {
        let order = sel.ids(kind).cloned().unwrap_or_default();
        out.sort_by_key(|(r, _)| order.iter().position(|x| *x == r.id));
    } else if pattern.is_some() {
        // Someone typing a query wants the best match first, links or not.
        out.sort_by_key(|(r, score)| (std::cmp::Reverse(*score), !r.linked, r.index));
    } else {
        out.sort_by_key(|(r, _)| (!r.linked, r.index));
    }
    out.into_iter().map(|(r, _)| r).collect()
}
