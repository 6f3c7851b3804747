//! The memo as of its own date: what may enter it, whose each line is, and
//! which lines are too old to say again unchecked.
//!
//! The memo's date is "now". Nothing said, assessed, founded or cited after it
//! enters; each item of the selection left out for that is one warning, and the
//! interface greys it out with the same reason (`left_out_reason`). A memo
//! without a date is not filtered.

use crate::library::{age, latest_assessment, Assessment, Kind, Library, PartialDate, Point, Trend};
use crate::pack::Pack;
use crate::template::{fill, Wording};
use chrono::NaiveDate;

/// The day a memo is composed as of.
pub(crate) fn memo_day(pack: &Pack) -> Option<NaiveDate> {
    pack.memo.date
}

/// Why the record `id` of `kind` cannot enter a memo dated `day`, as a phrase
/// ("said in 2013, after the memo's date"); `None` when it can (or is unknown).
pub(crate) fn left_out_reason(lib: &Library, kind: Kind, id: &str, day: NaiveDate) -> Option<String> {
    match kind {
        Kind::Point => point_reason(lib, lib.point(id)?, day),
        Kind::Threat => {
            let t = lib.threat(id)?;
            record_reason(lib, &t.assessments, &t.sources, day)
        }
        Kind::Partner => {
            let p = lib.partner(id)?;
            record_reason(lib, &p.assessments, &p.sources, day)
        }
        Kind::Person => {
            let p = lib.person(id)?;
            record_reason(lib, &p.assessments, &p.sources, day)
        }
        _ => None,
    }
}

fn point_reason(lib: &Library, p: &Point, day: NaiveDate) -> Option<String> {
    if p.said.after(day) {
        return Some(format!("said {}, after the memo's date", in_date(p.said)));
    }
    let source = lib.source(&p.source)?;
    source.date.after(day).then(|| {
        format!(
            "its source dates from {}, after the memo's date",
            source.date.long()
        )
    })
}

/// A record with dated assessments enters from its first one; one without, from
/// its latest source, as its one summary may draw on any of them.
fn record_reason(
    lib: &Library,
    assessments: &[Assessment],
    sources: &[String],
    day: NaiveDate,
) -> Option<String> {
    if let Some(first) = assessments.iter().map(|a| a.date).min() {
        return latest_assessment(assessments, Some(day))
            .is_none()
            .then(|| format!("first assessed {}, after the memo's date", in_date(first)));
    }
    let latest = sources
        .iter()
        .filter_map(|id| lib.source(id))
        .map(|s| s.date)
        .max()?;
    latest.after(day).then(|| {
        format!(
            "its summary draws on a source of {}, after the memo's date",
            latest.long()
        )
    })
}

/// "in 2013", "on 18 December 2008".
fn in_date(d: PartialDate) -> String {
    match d {
        PartialDate::Day(_) => format!("on {}", d.long()),
        _ => format!("in {}", d.long()),
    }
}

/// An item of the selection that the memo leaves out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Omission {
    pub kind: Kind,
    pub id: String,
    pub reason: String,
}

/// The selected threats, partners, points and people a memo dated `day` leaves
/// out, in the selection's order.
pub fn omissions(lib: &Library, pack: &Pack) -> Vec<Omission> {
    let Some(day) = memo_day(pack) else {
        return Vec::new();
    };
    let s = &pack.selection;
    [
        (Kind::Threat, &s.threats),
        (Kind::Partner, &s.partners),
        (Kind::Point, &s.points),
        (Kind::Person, &s.people),
    ]
    .into_iter()
    .flat_map(|(kind, ids)| {
        ids.iter().filter_map(move |id| {
            left_out_reason(lib, kind, id, day).map(|reason| Omission {
                kind,
                id: id.clone(),
                reason,
            })
        })
    })
    .collect()
}

/// True when the record enters a memo dated `day`.
pub(crate) fn keeps(lib: &Library, kind: Kind, id: &str, day: Option<NaiveDate>) -> bool {
    day.is_none_or(|d| left_out_reason(lib, kind, id, d).is_none())
}

/// The selected points the memo uses whose line is dated as of its date, with
/// the day each was last said or reaffirmed.
pub fn dated_lines<'a>(lib: &'a Library, pack: &Pack) -> Vec<(&'a Point, NaiveDate)> {
    let Some(day) = memo_day(pack) else {
        return Vec::new();
    };
    pack.selection
        .points
        .iter()
        .filter_map(|id| lib.point(id))
        .filter(|p| point_reason(lib, p, day).is_none())
        .filter_map(|p| age::dated_since(p, day, lib.settings.max_statement_age).map(|d| (p, d)))
        .collect()
}

/// What building the memo must tell the user: one line per item left out, and
/// one per dated line it uses.
pub fn warnings(lib: &Library, pack: &Pack) -> Vec<String> {
    let mut out: Vec<String> = omissions(lib, pack)
        .into_iter()
        .map(|o| format!("{} `{}` left out: {}", o.kind.singular(), o.id, o.reason))
        .collect();
    let years = lib.settings.max_statement_age;
    out.extend(dated_lines(lib, pack).into_iter().map(|(p, _)| {
        format!(
            "point `{}` is dated: {}, more than {years} years before the memo; reaffirm it, make it background or retire it",
            p.id,
            age::last_affirmed_text(p)
        )
    }));
    out
}

/// Source ids that a memo dated `day` may cite.
pub(crate) fn citable(lib: &Library, sources: &[String], day: Option<NaiveDate>) -> Vec<String> {
    sources
        .iter()
        .filter(|id| day.is_none_or(|d| lib.source(id).is_none_or(|s| !s.date.after(d))))
        .cloned()
        .collect()
}

/// The latest assessment up to `day`, as `latest_assessment`.
pub(crate) fn assessment(assessments: &[Assessment], day: Option<NaiveDate>) -> Option<&Assessment> {
    latest_assessment(assessments, day)
}

/// The trend of the latest assessment up to `day` that gives one, with its date.
pub(crate) fn trend(assessments: &[Assessment], day: Option<NaiveDate>) -> Option<(Trend, PartialDate)> {
    assessments
        .iter()
        .filter(|a| day.is_none_or(|d| !a.date.after(d)))
        .filter_map(|a| a.trend.map(|t| (t, a.date)))
        .max_by_key(|(_, date)| *date)
}

/// Every assessment up to `day`, oldest first: a person's or member state's
/// record as it stood then.
pub(crate) fn entries(
    assessments: &[Assessment],
    day: Option<NaiveDate>,
) -> impl Iterator<Item = &Assessment> {
    assessments
        .iter()
        .filter(move |a| day.is_none_or(|d| !a.date.after(d)))
}

/// A point's text as the memo prints it: a line that is not the organisation's
/// own, and does not already say whose it is, is introduced as its speaker's
/// position. Background points are reported facts, which the note beside the
/// source attributes.
pub fn point_text(lib: &Library, p: &Point, w: &Wording) -> String {
    match position(lib, p, w) {
        Some(whose) => format!("{whose}: {}", p.text),
        None => p.text.clone(),
    }
}

/// "Russia's position", for a line borrowed from someone not of the
/// organisation and not naming them itself: what `point_text` puts before it.
pub(crate) fn position(lib: &Library, p: &Point, w: &Wording) -> Option<String> {
    match lib.speaker_of(p) {
        Some(s) if !s.own && p.kind != crate::library::PointKind::Background && !s.named_in(&p.text) => {
            Some(fill(&w.position, &[("speaker", s.name)]))
        }
        _ => None,
    }
}

/// Whether a point's line is dated in a memo of `day`: the body's mark beside its
/// source and the summary's beside its pointer both ask here.
pub(crate) fn dated(lib: &Library, p: &Point, day: Option<NaiveDate>) -> bool {
    day.is_some_and(|d| age::dated_since(p, d, lib.settings.max_statement_age).is_some())
}

/// Who said a point and when, for beside its source: "Nikolai Bordyuzha, 2008",
/// and, when the line is dated as of `day`, the template's mark.
pub(crate) fn voice(lib: &Library, p: &Point, day: Option<NaiveDate>, w: &Wording) -> String {
    let who = lib.speaker_of(p).map_or("speaker not recorded", |s| s.name);
    // A line dated by its source's estimated date is as uncertain as that date.
    let estimated = lib
        .source(&p.source)
        .is_some_and(|s| s.estimated && s.date == p.said);
    let circa = if estimated { "c. " } else { "" };
    let mut out = format!("{who}, {circa}{}", p.said.year());
    if dated(lib, p, day) {
        out.push_str(&format!(
            "; {}",
            fill(
                &w.dated,
                &[
                    ("when", &age::last_affirmed_text(p)),
                    ("years", &lib.settings.max_statement_age.to_string()),
                ]
            )
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partners_and_people_are_left_out_before_their_first_source_and_kept_after() {
        let lib = Library::embedded().unwrap();
        let early = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        let late = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
        for (kind, id) in [
            (Kind::Partner, "sco"),
            (Kind::Partner, "unodc"),
            (Kind::Person, "nikolai-bordyuzha"),
            (Kind::Threat, "international-terrorism"),
        ] {
            let why = left_out_reason(&lib, kind, id, early);
            assert!(
                why.as_deref()
                    .is_some_and(|w| w.contains("after the memo's date")),
                "{id}: {why:?}"
            );
            assert_eq!(left_out_reason(&lib, kind, id, late), None, "{id}");
        }
    }
}
