//! The records of the curated library, as the rest of the program sees them: validated,
//! with ids resolved to strings and dates to `chrono` types.

use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// The kinds of record, each living in its own file under its own table name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Source,
    Threat,
    Partner,
    Point,
    State,
    Operation,
    Organ,
    Person,
    Meeting,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Source,
        Kind::Threat,
        Kind::Partner,
        Kind::Point,
        Kind::State,
        Kind::Operation,
        Kind::Organ,
        Kind::Person,
        Kind::Meeting,
    ];

    /// The table name, which is also the file stem and the `list` argument.
    pub(crate) fn plural(self) -> &'static str {
        match self {
            Kind::Source => "sources",
            Kind::Threat => "threats",
            Kind::Partner => "partners",
            Kind::Point => "points",
            Kind::State => "states",
            Kind::Operation => "operations",
            Kind::Organ => "organs",
            Kind::Person => "people",
            Kind::Meeting => "meetings",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            Kind::Source => "source",
            Kind::Threat => "threat",
            Kind::Partner => "partner",
            Kind::Point => "point",
            Kind::State => "member state",
            Kind::Operation => "operation",
            Kind::Organ => "organ",
            Kind::Person => "person",
            Kind::Meeting => "meeting",
        }
    }

    pub fn file_name(self) -> String {
        format!("{}.toml", self.plural())
    }

    /// The four kinds a library cannot do without; the others may be absent.
    pub(crate) fn required(self) -> bool {
        matches!(self, Kind::Source | Kind::Threat | Kind::Partner | Kind::Point)
    }
}

/// Where a record was read from, so tools can point at it and write it back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// File name inside the data directory, e.g. `points.toml`; shared by the
    /// records of a file rather than copied into each of 100,000.
    #[serde(serialize_with = "ser_str")]
    pub file: Arc<str>,
    pub line: usize,
}

fn ser_str<S: serde::Serializer>(s: &Arc<str>, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s)
}

/// A date as precise as the source allows. Ordered in time: by first day, then
/// last day ("2008" before "2008-12" before "2008-12-18"), undated first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PartialDate {
    Undated,
    Year(i32),
    Month(i32, u32),
    Day(NaiveDate),
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `undated`.
    pub(crate) fn parse(s: &str) -> Result<PartialDate, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("undated") {
            return Ok(PartialDate::Undated);
        }
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Option<u32> {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        let bad = || format!("`{s}` is not a date (use YYYY, YYYY-MM, YYYY-MM-DD or \"undated\")");
        match parts.as_slice() {
            [y] => num(y, 4).map(|y| PartialDate::Year(y as i32)).ok_or_else(bad),
            [y, m] => match (num(y, 4), num(m, 2)) {
                (Some(y), Some(m)) if (1..=12).contains(&m) => Ok(PartialDate::Month(y as i32, m)),
                _ => Err(bad()),
            },
            [y, m, d] => match (num(y, 4), num(m, 2), num(d, 2)) {
                (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d)
                    .map(PartialDate::Day)
                    .ok_or_else(|| format!("`{s}` is not a day of the calendar")),
                _ => Err(bad()),
            },
            _ => Err(bad()),
        }
    }

    /// The first day the date can mean (`None` when undated): "2021" counts
    /// from 1 January 2021, so a memo dated in 2021 may draw on it.
    pub(crate) fn first_day(&self) -> Option<NaiveDate> {
        match *self {
            PartialDate::Undated => None,
            PartialDate::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1),
            PartialDate::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1),
            PartialDate::Day(d) => Some(d),
        }
    }

    /// The last day the date can mean (`None` when undated).
    pub(crate) fn last_day(&self) -> Option<NaiveDate> {
        match *self {
            PartialDate::Undated => None,
            PartialDate::Year(y) => NaiveDate::from_ymd_opt(y, 12, 31),
            PartialDate::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1)
                .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
                .and_then(|d| d.pred_opt()),
            PartialDate::Day(d) => Some(d),
        }
    }

    /// True when this date is certainly after `day` (an undated one never is).
    pub fn after(&self, day: NaiveDate) -> bool {
        self.first_day().is_some_and(|d| d > day)
    }

    /// True when this date is certainly later than `other` could be.
    pub fn later_than(&self, other: &PartialDate) -> bool {
        other.last_day().is_some_and(|d| self.after(d))
    }

    /// The year, as memos show it beside a line ("undated" when none).
    pub(crate) fn year(&self) -> String {
        match *self {
            PartialDate::Undated => "undated".to_owned(),
            PartialDate::Year(y) | PartialDate::Month(y, _) => y.to_string(),
            PartialDate::Day(d) => chrono::Datelike::year(&d).to_string(),
        }
    }

    /// "18 December 2008", "June 2021", "2021", "undated".
    pub fn long(&self) -> String {
        match self {
            PartialDate::Undated => "undated".to_owned(),
            PartialDate::Year(y) => y.to_string(),
            PartialDate::Month(y, m) => format!("{} {y}", month_name(*m)),
            PartialDate::Day(d) => long_date(*d),
        }
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.first_day(), self.last_day()).cmp(&(other.first_day(), other.last_day()))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Undated => f.write_str("undated"),
            PartialDate::Year(y) => write!(f, "{y:04}"),
            PartialDate::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            PartialDate::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn month_name(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(m.clamp(1, 12) - 1) as usize]
}

/// "5 August 2011": the form memos use, unambiguous in every locale.
pub(crate) fn long_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), month_name(d.month()), d.year())
}

/// Declares a closed set of kebab-case values with their TOML spelling and a label.
macro_rules! kinds {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The spelling used in the TOML files.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// How the value reads in a memo or on screen.
            #[allow(dead_code)] // not every set is shown by its label
            pub(crate) fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub(crate) fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The accepted spellings, for error messages.
            pub(crate) fn expected() -> String {
                [$($text),+].map(|t| format!("`{t}`")).join(", ")
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

kinds!(SourceKind {
    Speech = "speech" / "speech",
    Interview = "interview" / "interview",
    MeetingTranscript = "meeting-transcript" / "meeting transcript",
    Statement = "statement" / "statement",
    PressRelease = "press-release" / "press release",
    Report = "report" / "report",
});

kinds!(Trend {
    Rising = "rising" / "rising",
    Steady = "steady" / "steady",
    Falling = "falling" / "falling",
    Emerging = "emerging" / "emerging",
});

kinds!(PartnerKind {
    Global = "global" / "global",
    Regional = "regional" / "regional",
    Specialised = "specialised" / "specialised",
});

kinds!(Relationship {
    ObserverStatus = "observer-status" / "observer status",
    Memorandum = "memorandum" / "memorandum",
    Protocol = "protocol" / "protocol",
    WorkingContacts = "working-contacts" / "working contacts",
    None = "none" / "no formal relations",
});

kinds!(
    /// The order here is the order of the memo's talking-point groups.
    PointKind {
        KeyMessage = "key-message" / "key message",
        DefensiveLine = "defensive-line" / "defensive line",
        Background = "background" / "background",
        PressLine = "press-line" / "press line",
    }
);

kinds!(Status {
    Draft = "draft" / "draft",
    Approved = "approved" / "approved",
    Retired = "retired" / "retired",
});

kinds!(StateStatus {
    Member = "member" / "member",
    FormerMember = "former-member" / "former member",
    Partner = "partner" / "partner",
    NonMember = "non-member" / "not a member",
});

kinds!(OperationKind {
    Operation = "operation" / "operation",
    Exercise = "exercise" / "exercise",
    Programme = "programme" / "programme",
});

kinds!(OrganKind {
    Statutory = "statutory" / "statutory organ",
    Subsidiary = "subsidiary" / "subsidiary body",
    Military = "military" / "military body",
    Parliamentary = "parliamentary" / "parliamentary body",
    Advisory = "advisory" / "advisory body",
});

#[derive(Clone, Debug, Serialize)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub author: String,
    pub author_role: Option<String>,
    /// Who speaks in it (a person, member state or organ id): its points' speaker
    /// unless a point names another.
    pub speaker: Option<String>,
    pub date: PartialDate,
    /// The date is our estimate, not printed in the document (see `date_note`).
    pub estimated: bool,
    pub date_note: Option<String>,
    pub place: Option<String>,
    pub kind: SourceKind,
    pub language: String,
    pub translation: bool,
    pub origin: String,
    pub file: String,
    #[serde(skip)]
    pub at: Origin,
}

#[derive(Clone, Debug, Serialize)]
pub struct Threat {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub trend: Trend,
    pub trend_note: Option<String>,
    pub regions: Vec<String>,
    pub operations: Vec<String>,
    pub sources: Vec<String>,
    /// Dated assessments, oldest first: a memo shows the latest up to its date.
    pub assessments: Vec<Assessment>,
    #[serde(skip)]
    pub at: Origin,
}

/// What was judged of a threat, partner or member state at one time, on one source.
#[derive(Clone, Debug, Serialize)]
pub struct Assessment {
    pub date: PartialDate,
    pub source: String,
    pub text: String,
    pub trend: Option<Trend>,
    pub next_steps: Vec<String>,
}

/// The latest of `assessments` dated on or before `day` (all of them when `day`
/// is `None`); among equal dates, the last written.
pub(crate) fn latest_assessment(assessments: &[Assessment], day: Option<NaiveDate>) -> Option<&Assessment> {
    assessments
        .iter()
        .filter(|a| day.is_none_or(|d| !a.date.after(d)))
        .fold(None, |best: Option<&Assessment>, a| match best {
            Some(b) if b.date > a.date => Some(b),
            _ => Some(a),
        })
}

#[derive(Clone, Debug, Serialize)]
pub struct Partner {
    pub id: String,
    pub name: String,
    pub acronym: Option<String>,
    pub kind: PartnerKind,
    pub parent: Option<String>,
    pub relationship: Relationship,
    pub since: Option<PartialDate>,
    pub areas: Vec<String>,
    pub summary: String,
    pub next_steps: Vec<String>,
    pub sources: Vec<String>,
    pub assessments: Vec<Assessment>,
    #[serde(skip)]
    pub at: Origin,
}

impl Partner {
    /// "Shanghai Cooperation Organisation (SCO)".
    pub(crate) fn display_name(&self) -> String {
        match &self.acronym {
            Some(a) if !a.is_empty() => format!("{} ({a})", self.name),
            _ => self.name.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Point {
    pub id: String,
    pub text: String,
    pub kind: PointKind,
    pub threats: Vec<String>,
    pub partners: Vec<String>,
    pub source: String,
    pub excerpt: String,
    pub status: Status,
    /// Who said it: the point's own `speaker`, else its source's.
    pub speaker: Option<String>,
    /// When it was said: the point's own `said`, else its source's date.
    pub said: PartialDate,
    /// When a reviewer last confirmed it is still our position.
    #[serde(serialize_with = "ser_opt_date")]
    pub reaffirmed: Option<NaiveDate>,
    #[serde(serialize_with = "ser_opt_date")]
    pub reviewed: Option<NaiveDate>,
    pub reviewer: Option<String>,
    pub owner: Option<String>,
    pub retired_reason: Option<String>,
    pub tags: Vec<String>,
    #[serde(skip)]
    pub at: Origin,
}

// serde's `serialize_with` hands over a reference to the field.
#[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)]
fn ser_opt_date<S: serde::Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(&d.format("%Y-%m-%d")),
        None => s.serialize_none(),
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct State {
    pub id: String,
    pub name: String,
    pub status: StateStatus,
    /// How the status was established, when no source states it.
    pub status_note: Option<String>,
    pub joined: Option<PartialDate>,
    pub left: Option<PartialDate>,
    pub summary: String,
    pub sources: Vec<String>,
    pub assessments: Vec<Assessment>,
    #[serde(skip)]
    pub at: Origin,
}

#[derive(Clone, Debug, Serialize)]
pub struct Operation {
    pub id: String,
    pub name: String,
    pub kind: OperationKind,
    pub since: Option<PartialDate>,
    pub summary: String,
    pub threats: Vec<String>,
    pub sources: Vec<String>,
    #[serde(skip)]
    pub at: Origin,
}

#[derive(Clone, Debug, Serialize)]
pub struct Organ {
    pub id: String,
    pub name: String,
    pub acronym: Option<String>,
    pub kind: OrganKind,
    pub established: Option<PartialDate>,
    pub summary: String,
    pub sources: Vec<String>,
    #[serde(skip)]
    pub at: Origin,
}

#[derive(Clone, Debug, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: String,
    pub organisation: String,
    pub period: Option<String>,
    /// Staff of the organisation: their lines are its own, not borrowed.
    pub staff: bool,
    pub summary: String,
    pub sources: Vec<String>,
    pub assessments: Vec<Assessment>,
    #[serde(skip)]
    pub at: Origin,
}

#[derive(Clone, Debug, Serialize)]
pub struct Meeting {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub date: PartialDate,
    pub place: Option<String>,
    pub summary: String,
    pub outcomes: Vec<String>,
    pub sources: Vec<String>,
    #[serde(skip)]
    pub at: Origin,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_parse_and_reject() {
        assert_eq!(PartialDate::parse("2021"), Ok(PartialDate::Year(2021)));
        assert_eq!(PartialDate::parse("2021-06"), Ok(PartialDate::Month(2021, 6)));
        assert_eq!(PartialDate::parse("undated"), Ok(PartialDate::Undated));
        let d = PartialDate::parse("2008-12-18").unwrap();
        assert_eq!(d.long(), "18 December 2008");
        assert_eq!(d.to_string(), "2008-12-18");
        for bad in [
            "2011-02-30",
            "2021-13",
            "21",
            "2021-6",
            "",
            "next year",
            "2021-06-01-02",
        ] {
            assert!(PartialDate::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn partial_dates_order_in_time_whatever_their_precision() {
        let d = |s: &str| PartialDate::parse(s).unwrap();
        let mut v = [
            d("2013"),
            d("2008-12-18"),
            d("undated"),
            d("2008"),
            d("2008-12"),
            d("2011-08-05"),
        ];
        v.sort();
        let shown: Vec<String> = v.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            ["undated", "2008", "2008-12", "2008-12-18", "2011-08-05", "2013"]
        );
        assert!(d("2013") > d("2011-08-05"));
        assert!(d("2021").after(NaiveDate::from_ymd_opt(2020, 12, 31).unwrap()));
        assert!(!d("2021").after(NaiveDate::from_ymd_opt(2021, 1, 1).unwrap()));
        assert!(d("2009").later_than(&d("2008-12-18")));
        assert!(!d("2008-12").later_than(&d("2008-12-18")));
        assert!(!d("undated").later_than(&d("2008")));
    }

    #[test]
    fn kinds_round_trip() {
        for k in PointKind::ALL {
            assert_eq!(PointKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(PointKind::parse("key message"), None);
        assert!(Relationship::expected().contains("`observer-status`"));
    }
}
