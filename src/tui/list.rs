//! The three browsing panes: which records each shows, in what order.
//! Pure: the library and the selection in, rows out.

use super::filter::{self, Fuzzy, Query};
use crate::clean;
use crate::library::{Kind, Library, PartnerKind, PointKind, Status, Trend};
use crate::pack::Selection;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Threats,
    Partners,
    Points,
}

impl Pane {
    pub(crate) const ALL: [Pane; 3] = [Pane::Threats, Pane::Partners, Pane::Points];

    pub(crate) fn kind(self) -> Kind {
        match self {
            Pane::Threats => Kind::Threat,
            Pane::Partners => Kind::Partner,
            Pane::Points => Kind::Point,
        }
    }

    pub(crate) fn title(self) -> &'static str {
        match self {
            Pane::Threats => "Threats",
            Pane::Partners => "Partners",
            Pane::Points => "Points",
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Pane::Threats => 0,
            Pane::Partners => 1,
            Pane::Points => 2,
        }
    }

    #[must_use]
    pub(crate) fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % 3]
    }

    #[must_use]
    pub(crate) fn prev(self) -> Pane {
        Pane::ALL[(self.index() + 2) % 3]
    }

    /// What the `f` key filters by in this pane, and its choices.
    pub(crate) fn kind_filter_name(self) -> &'static str {
        match self {
            Pane::Threats => "trend",
            Pane::Partners | Pane::Points => "kind",
        }
    }

    pub(crate) fn kind_choices(self) -> Vec<&'static str> {
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
    pub(crate) fn describe(&self, pane: Pane) -> Vec<String> {
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

    pub(crate) fn is_active(&self) -> bool {
        *self != Filters::default()
    }

    /// " among picked only, tag: x" when filters other than the query narrow
    /// what `/` searches; empty when they do not.
    pub(crate) fn narrowed_by(&self, pane: Pane) -> String {
        let others = Filters {
            query: String::new(),
            ..self.clone()
        }
        .describe(pane);
        if others.is_empty() {
            String::new()
        } else {
            format!(" among {}", others.join(", "))
        }
    }
}

/// One visible record: which one, and whether it is linked to a pick. Its label
/// and matched characters are worked out when it is drawn, for the rows on screen only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// Position in the library's list of that kind.
    pub index: usize,
    /// Linked to a picked threat or partner.
    pub linked: bool,
    /// Matched the query only loosely (fuzzy): listed after the exact matches.
    pub loose: bool,
}

/// How many rows lead with an exact match (the rest matched loosely).
pub(crate) fn exact_count(rows: &[Row]) -> usize {
    rows.iter().take_while(|r| !r.loose).count()
}

/// The id of a pane's record.
pub(crate) fn id(lib: &Library, pane: Pane, index: usize) -> &str {
    match pane {
        Pane::Threats => &lib.threats[index].id,
        Pane::Partners => &lib.partners[index].id,
        Pane::Points => &lib.points[index].id,
    }
}

/// The text a pane shows (and the filter matches) for a record, cleaned for the
/// terminal; borrowed when there was nothing to clean.
pub(crate) fn label_cow(lib: &Library, pane: Pane, index: usize) -> Cow<'_, str> {
    match pane {
        Pane::Threats => clean::line(&lib.threats[index].title),
        Pane::Partners => Cow::Owned(clean::line(&lib.partners[index].display_name()).into_owned()),
        Pane::Points => clean::line(&lib.points[index].text),
    }
}

/// The text a pane shows for a record.
#[cfg(test)] // only tests ask
pub(crate) fn label(lib: &Library, pane: Pane, index: usize) -> String {
    label_cow(lib, pane, index).into_owned()
}

/// Every record's label prepared for the matcher, per pane, built once per
/// library (the labels never change while the library does not) so that a
/// filter keystroke does not clean, fold and decode 100,000 texts again.
pub struct Haystacks {
    panes: [Vec<nucleo_matcher::Utf32String>; 3],
}

impl Haystacks {
    pub fn build(lib: &Library) -> Haystacks {
        let pane = |pane: Pane| {
            (0..lib.count(pane.kind()))
                .map(|i| filter::haystack(&label_cow(lib, pane, i)))
                .collect()
        };
        Haystacks {
            panes: Pane::ALL.map(pane),
        }
    }

    /// Starts building a library's haystacks on a thread of their own, so start-up
    /// and a library reload do not wait for them; until they are ready, `rows`
    /// prepares the texts itself, with the same results.
    pub(crate) fn in_background(lib: Arc<Library>) -> Arc<OnceLock<Haystacks>> {
        let cell = Arc::new(OnceLock::new());
        let fill = Arc::clone(&cell);
        let spawned = std::thread::Builder::new()
            .name("haystacks".into())
            .spawn(move || {
                let _ = fill.set(Haystacks::build(&lib));
            });
        // No thread to be had: filtering stays correct, only slower.
        drop(spawned);
        cell
    }
}

/// The rows of a pane (see `rows_with`), preparing the texts to match on the spot.
#[cfg(test)] // only tests ask
pub(crate) fn rows(lib: &Library, pane: Pane, f: &Filters, sel: &Selection) -> Vec<Row> {
    rows_with(lib, None, pane, f, sel)
}

/// The rows of a pane, filtered (retired points only when picked): with a query,
/// best match first; without one,
/// records linked to a picked threat or partner first, then library order; with
/// `selected_only`, in the memo's order.
/// `haystacks`, when given, must be `lib`'s.
pub fn rows_with(
    lib: &Library,
    haystacks: Option<&Haystacks>,
    pane: Pane,
    f: &Filters,
    sel: &Selection,
) -> Vec<Row> {
    let kind = pane.kind();
    let count = lib.count(kind);
    let mut linked = vec![false; count];
    match pane {
        Pane::Threats => {}
        Pane::Partners => {
            let ids: HashSet<&str> = sel
                .threats
                .iter()
                .flat_map(|t| lib.partners_of_threat(t))
                .map(|p| p.id.as_str())
                .collect();
            for (i, p) in lib.partners.iter().enumerate() {
                linked[i] = ids.contains(p.id.as_str());
            }
        }
        Pane::Points => {
            for i in lib.linked_point_indices(&sel.threats, &sel.partners) {
                linked[i] = true;
            }
        }
    }
    let picked: HashSet<&str> = sel
        .ids(kind)
        .map(|v| v.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let keep = |index: usize| -> bool {
        let by_kind = match pane {
            Pane::Threats => f
                .kind
                .is_none_or(|k| Trend::ALL.get(k) == Some(&lib.threats[index].trend)),
            Pane::Partners => f
                .kind
                .is_none_or(|k| PartnerKind::ALL.get(k) == Some(&lib.partners[index].kind)),
            Pane::Points => {
                let p = &lib.points[index];
                // A retired point is never offered for a new brief; one this pack
                // already picked stays listed (marked retired) so it can be unpicked.
                (p.status != Status::Retired || picked.contains(p.id.as_str()))
                    && f.kind.is_none_or(|k| PointKind::ALL.get(k) == Some(&p.kind))
                    && f.status.is_none_or(|s| s == p.status)
                    && f.tag.as_ref().is_none_or(|t| p.tags.contains(t))
            }
        };
        by_kind
            && (!f.linked_only || linked[index])
            && (!f.selected_only || picked.contains(id(lib, pane, index)))
    };
    let row = |index: usize, loose: bool| Row {
        index,
        linked: linked[index],
        loose,
    };
    let query = Query::parse(&f.query);
    let mut out: Vec<(Row, u32)> = match &query {
        None => (0..count)
            .filter(|&i| keep(i))
            .map(|i| (row(i, false), 0))
            .collect(),
        Some(q) => match haystacks.map(|h| &h.panes[pane.index()]) {
            // A library's haystacks have one entry per record; the check keeps a
            // mismatched set from hiding records.
            Some(h) if h.len() == count => Fuzzy::rank_prepared(q, h, keep),
            _ => Fuzzy::rank(q, count, |i| keep(i).then(|| label_cow(lib, pane, i))),
        }
        .into_iter()
        .map(|r| (row(r.index, !r.exact), r.score))
        .collect(),
    };
    if f.selected_only {
        let order: std::collections::HashMap<&str, usize> = sel
            .ids(kind)
            .map(|v| v.iter().enumerate().map(|(n, id)| (id.as_str(), n)).collect())
            .unwrap_or_default();
        out.sort_by_key(|(r, _)| (r.loose, order.get(id(lib, pane, r.index)).copied()));
    } else if query.is_some() {
        // Someone typing a query wants exact matches first, then the best loose
        // ones, links or not. The key is packed into one integer (tier, score,
        // linked, index) because sorting most of 100,000 records is a visible
        // share of a keystroke.
        if count < 1 << 31 {
            const SCORE: u64 = (1 << 31) - 1;
            let mut keys: Vec<u64> = out
                .iter()
                .map(|(r, score)| {
                    (u64::from(r.loose) << 63)
                        | ((SCORE - u64::from(*score).min(SCORE)) << 32)
                        | (u64::from(!r.linked) << 31)
                        | r.index as u64
                })
                .collect();
            keys.sort_unstable();
            return keys
                .into_iter()
                .map(|k| Row {
                    index: (k & ((1 << 31) - 1)) as usize,
                    linked: k & (1 << 31) == 0,
                    loose: k >> 63 == 1,
                })
                .collect();
        }
        out.sort_unstable_by_key(|(r, score)| (r.loose, std::cmp::Reverse(*score), !r.linked, r.index));
    } else {
        out.sort_by_key(|(r, _)| (!r.linked, r.index));
    }
    out.into_iter().map(|(r, _)| r).collect()
}
