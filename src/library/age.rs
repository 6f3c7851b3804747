//! How old a line is: the library's `max_statement_age` setting and which key
//! messages, press lines and defensive lines are dated on a given day.
//!
//! "Today" is always passed in, as in `review::queue`: a memo is judged as of
//! its own date, a report as of the day it is run for.

use super::model::{Point, PointKind, Status};
use crate::diag::Diagnostic;
use chrono::{Months, NaiveDate};
use serde::Deserialize;

/// How many years a line may go unsaid (or unreaffirmed) before it is dated.
pub(crate) const DEFAULT_MAX_STATEMENT_AGE: u32 = 5;

/// Settings of a library, from its `library.toml` (all optional).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Years; see `dated_since`.
    pub max_statement_age: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_statement_age: DEFAULT_MAX_STATEMENT_AGE,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    max_statement_age: Option<toml::Spanned<i64>>,
}

impl Settings {
    /// Reads `library.toml`'s text; a problem is a diagnostic at its place and
    /// leaves the default in force.
    pub(crate) fn parse(file: &str, text: &str) -> (Settings, Vec<Diagnostic>) {
        let mut settings = Settings::default();
        let mut diags = Vec::new();
        match toml::from_str::<RawSettings>(text) {
            Ok(raw) => {
                if let Some(age) = raw.max_statement_age {
                    match u32::try_from(*age.get_ref()) {
                        Ok(years) if (1..=100).contains(&years) => settings.max_statement_age = years,
                        _ => diags.push(Diagnostic::at_span(
                            file,
                            text,
                            Some(age.span()),
                            "`max_statement_age` is a number of years from 1 to 100",
                        )),
                    }
                }
            }
            Err(e) => diags.push(Diagnostic::at_span(
                file,
                text,
                e.span(),
                crate::diag::toml_message(e.message()),
            )),
        }
        (settings, diags)
    }
}

/// The day a point's line was last said or reaffirmed: the later of the last day its
/// `said` can mean (the benefit of the doubt) and its `reaffirmed` date.
pub(crate) fn last_affirmed(p: &Point) -> Option<NaiveDate> {
    match (p.said.last_day(), p.reaffirmed) {
        (Some(s), Some(r)) => Some(s.max(r)),
        (s, r) => s.or(r),
    }
}

/// When a line was last said or reaffirmed, as a person reads it: "in 2013",
/// "on 18 December 2008", "reaffirmed on 1 March 2025".
pub(crate) fn last_affirmed_text(p: &Point) -> String {
    let said = p.said.last_day();
    match p.reaffirmed {
        Some(r) if said.is_none_or(|s| r > s) => format!("reaffirmed on {}", super::long_date(r)),
        _ => match p.said {
            super::PartialDate::Day(d) => format!("said on {}", super::long_date(d)),
            d => format!("said in {}", d.long()),
        },
    }
}

/// When a point is dated on `today`: a key message, press line or defensive line
/// in use whose line was last said or reaffirmed more than `max_years` before.
/// Returns that last day. Background points are history and never go stale; an
/// undated line cannot be judged and is not reported here.
pub fn dated_since(p: &Point, today: NaiveDate, max_years: u32) -> Option<NaiveDate> {
    if p.kind == PointKind::Background || p.status == Status::Retired {
        return None;
    }
    let last = last_affirmed(p)?;
    let due = last.checked_add_months(Months::new(max_years.saturating_mul(12)))?;
    (today > due).then_some(last)
}

/// What `check` adds to loading, as it knows today's date: a `reviewed` date in
/// the future is an error (a typo, or a clock wrong somewhere), and a point with
/// no speaker, neither its own nor its source's, is a warning. `file` is how
/// messages name the points file.
pub fn check(lib: &super::Library, today: NaiveDate, file: &str) -> Vec<Diagnostic> {
    let at = |p: &Point| {
        Some(crate::diag::LineCol {
            line: p.at.line,
            col: 1,
        })
    };
    let mut out = Vec::new();
    for p in &lib.points {
        // `reviewed` in the future is `Library::future_reviews`'s to report.
        for (field, date) in [("reaffirmed", p.reaffirmed)] {
            if let Some(d) = date.filter(|d| *d > today) {
                out.push(Diagnostic::error(
                    file,
                    at(p),
                    format!(
                        "point `{}` is `{field}` on {}, which is in the future (today is {})",
                        p.id,
                        d.format("%Y-%m-%d"),
                        today.format("%Y-%m-%d")
                    ),
                ));
            }
        }
        if p.speaker.is_none() {
            out.push(Diagnostic::warning(
                file,
                at(p),
                format!(
                    "point `{}` has no speaker: give it `speaker`, or its source `{}` one",
                    p.id, p.source
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::PartialDate;

    fn point(kind: PointKind, said: &str, reaffirmed: Option<&str>) -> Point {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Point {
            id: "p".into(),
            text: "t".into(),
            kind,
            threats: vec![],
            partners: vec![],
            source: "s".into(),
            excerpt: "e".into(),
            status: Status::Approved,
            speaker: None,
            said: PartialDate::parse(said).unwrap(),
            reaffirmed: reaffirmed.map(day),
            reviewed: None,
            reviewer: None,
            owner: None,
            retired_reason: None,
            tags: vec![],
            at: crate::library::Origin::default(),
        }
    }

    fn on(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_line_is_dated_after_max_years_from_the_last_day_it_can_have_been_said() {
        let p = point(PointKind::KeyMessage, "2021", None);
        // "2021" counts until 31 December 2021.
        assert_eq!(dated_since(&p, on("2026-12-31"), 5), None);
        assert_eq!(dated_since(&p, on("2027-01-01"), 5), Some(on("2021-12-31")));
        assert_eq!(dated_since(&p, on("2024-01-01"), 2), Some(on("2021-12-31")));
        let day = point(PointKind::PressLine, "2008-12-18", None);
        assert_eq!(dated_since(&day, on("2013-12-18"), 5), None);
        assert_eq!(dated_since(&day, on("2013-12-19"), 5), Some(on("2008-12-18")));
    }

    #[test]
    fn reaffirming_restarts_the_clock_and_background_never_goes_stale() {
        let p = point(PointKind::DefensiveLine, "2008-12-18", Some("2025-03-01"));
        assert_eq!(dated_since(&p, on("2026-12-03"), 5), None);
        assert_eq!(dated_since(&p, on("2030-03-02"), 5), Some(on("2025-03-01")));
        let b = point(PointKind::Background, "2007", None);
        assert_eq!(dated_since(&b, on("2026-12-03"), 5), None);
        let undated = point(PointKind::KeyMessage, "undated", None);
        assert_eq!(dated_since(&undated, on("2026-12-03"), 5), None);
    }

    #[test]
    fn settings_default_and_reject_nonsense_at_its_place() {
        assert_eq!(Settings::parse("library.toml", "").0.max_statement_age, 5);
        assert_eq!(
            Settings::parse("library.toml", "max_statement_age = 3\n")
                .0
                .max_statement_age,
            3
        );
        let (s, d) = Settings::parse("library.toml", "# years\nmax_statement_age = 0\n");
        assert_eq!(s.max_statement_age, 5);
        assert_eq!(d.len(), 1);
        assert!(d[0].to_string().starts_with("library.toml:2:21:"), "{}", d[0]);
        let (_, d) = Settings::parse("library.toml", "max_age = 3\n");
        assert!(d[0].to_string().contains("max_age"), "{}", d[0]);
    }
}
