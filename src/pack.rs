//! A pack: one brief's memo header and selection, as the user saves it.

pub(crate) mod merge;
pub(crate) mod rewrite;

use crate::diag::{Diagnostic, LineIndex};
use crate::library::{Kind, Library, Status};
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;
use toml::Spanned;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pack {
    pub meeting: Meeting,
    pub memo: Memo,
    pub selection: Selection,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meeting {
    pub title: String,
    pub kind: String,
    pub date: Option<NaiveDate>,
    pub place: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MemoStatus {
    #[default]
    Draft,
    Final,
}

impl MemoStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            MemoStatus::Draft => "draft",
            MemoStatus::Final => "final",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Memo {
    pub to: String,
    pub from: String,
    pub reference: String,
    pub date: Option<NaiveDate>,
    pub marking: String,
    pub status: MemoStatus,
    pub distribution: Vec<String>,
    pub copy: u32,
    pub purpose: String,
    /// Format of the meeting: who attends, what is adopted.
    pub format: String,
    pub preparatory_work: Vec<String>,
    pub proposals: Vec<String>,
    /// What the meeting should achieve, for the memo's summary.
    pub objectives: Vec<String>,
    /// Who wrote the memo, and how to reach them.
    pub drafter: String,
    pub contact: String,
}

/// The user's picks, in the user's order; the memo follows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub threats: Vec<String>,
    pub partners: Vec<String>,
    pub points: Vec<String>,
    /// People for the pen-picture annex.
    pub people: Vec<String>,
}

impl Selection {
    pub fn ids(&self, kind: Kind) -> Option<&Vec<String>> {
        match kind {
            Kind::Threat => Some(&self.threats),
            Kind::Partner => Some(&self.partners),
            Kind::Point => Some(&self.points),
            Kind::Person => Some(&self.people),
            _ => None,
        }
    }

    pub(crate) fn ids_mut(&mut self, kind: Kind) -> Option<&mut Vec<String>> {
        match kind {
            Kind::Threat => Some(&mut self.threats),
            Kind::Partner => Some(&mut self.partners),
            Kind::Point => Some(&mut self.points),
            Kind::Person => Some(&mut self.people),
            _ => None,
        }
    }

    pub fn contains(&self, kind: Kind, id: &str) -> bool {
        self.ids(kind).is_some_and(|v| v.iter().any(|x| x == id))
    }

    /// Selects an unselected item (at the end) or unselects a selected one.
    pub fn toggle(&mut self, kind: Kind, id: &str) -> bool {
        let Some(list) = self.ids_mut(kind) else {
            return false;
        };
        if let Some(i) = list.iter().position(|x| x == id) {
            list.remove(i);
            false
        } else {
            list.push(id.to_owned());
            true
        }
    }

    /// Moves a selected item `delta` places within its kind's order (the memo's
    /// order), stopping at either end. Returns its new position, or `None` when the
    /// item is not selected.
    pub fn move_by(&mut self, kind: Kind, id: &str, delta: isize) -> Option<usize> {
        let list = self.ids_mut(kind)?;
        let from = list.iter().position(|x| x == id)?;
        let to = from
            .saturating_add_signed(delta)
            .min(list.len().saturating_sub(1));
        let item = list.remove(from);
        list.insert(to, item);
        Some(to)
    }

    pub fn len(&self) -> usize {
        self.threats.len() + self.partners.len() + self.points.len() + self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The memo header's fields, in the order a form shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    MeetingTitle,
    MeetingKind,
    MeetingDate,
    MeetingPlace,
    To,
    From,
    Reference,
    MemoDate,
    Marking,
    Status,
    Distribution,
    Copy,
    Purpose,
    Format,
    PreparatoryWork,
    Proposals,
    Objectives,
    Drafter,
    Contact,
}

impl Field {
    pub(crate) const ALL: [Field; 19] = [
        Field::MeetingTitle,
        Field::MeetingKind,
        Field::MeetingDate,
        Field::MeetingPlace,
        Field::To,
        Field::From,
        Field::Drafter,
        Field::Contact,
        Field::Reference,
        Field::MemoDate,
        Field::Marking,
        Field::Status,
        Field::Distribution,
        Field::Copy,
        Field::Purpose,
        Field::Objectives,
        Field::Format,
        Field::PreparatoryWork,
        Field::Proposals,
    ];

    pub(crate) fn label(self) -> &'static str {
        match self {
            Field::MeetingTitle => "Meeting title",
            Field::MeetingKind => "Meeting kind",
            Field::MeetingDate => "Meeting date",
            Field::MeetingPlace => "Place",
            Field::To => "To",
            Field::From => "From",
            Field::Reference => "Reference",
            Field::MemoDate => "Memo date",
            Field::Marking => "Marking",
            Field::Status => "Status",
            Field::Distribution => "Distribution",
            Field::Copy => "Copy number",
            Field::Purpose => "Purpose",
            Field::Format => "Format",
            Field::PreparatoryWork => "Preparatory work",
            Field::Proposals => "Proposals",
            Field::Objectives => "Objectives",
            Field::Drafter => "Drafter",
            Field::Contact => "Contact",
        }
    }

    /// The field's place in a pack file: `table.key`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Field::MeetingTitle => "meeting.title",
            Field::MeetingKind => "meeting.kind",
            Field::MeetingDate => "meeting.date",
            Field::MeetingPlace => "meeting.place",
            Field::To => "memo.to",
            Field::From => "memo.from",
            Field::Reference => "memo.reference",
            Field::MemoDate => "memo.date",
            Field::Marking => "memo.marking",
            Field::Status => "memo.status",
            Field::Distribution => "memo.distribution",
            Field::Copy => "memo.copy",
            Field::Purpose => "memo.purpose",
            Field::Format => "memo.format",
            Field::PreparatoryWork => "memo.preparatory_work",
            Field::Proposals => "memo.proposals",
            Field::Objectives => "memo.objectives",
            Field::Drafter => "memo.drafter",
            Field::Contact => "memo.contact",
        }
    }

    pub(crate) fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    /// Fields holding a list: one item per line in `Pack::field_text`.
    pub(crate) fn is_list(self) -> bool {
        matches!(
            self,
            Field::Distribution | Field::PreparatoryWork | Field::Proposals | Field::Objectives
        )
    }

    pub(crate) fn is_date(self) -> bool {
        matches!(self, Field::MeetingDate | Field::MemoDate)
    }
}

/// Reads a date as a user types it: empty means no date.
pub(crate) fn parse_date(s: &str) -> Result<Option<NaiveDate>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let iso = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if iso {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| format!("`{s}` is not a day of the calendar"));
    }
    // The memo prints dates as "12 August 2011", so people type them that way too
    // (a month's name or its first three letters, in English).
    let words: Vec<&str> = s.split_whitespace().collect();
    if let [day, month, year] = words[..] {
        // The month needs no look of its own: only a month's name parses as one.
        if day.len() <= 2 && year.len() == 4 {
            let spaced = format!("{day} {month} {year}");
            if let Ok(d) = NaiveDate::parse_from_str(&spaced, "%d %B %Y") {
                return Ok(Some(d));
            }
            let day_ok = day.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
            if day_ok && year.bytes().all(|b| b.is_ascii_digit()) && month_named(month) {
                return Err(format!("`{s}` is not a day of the calendar"));
            }
        }
    }
    Err(format!("`{s}` is not a date; type YYYY-MM-DD or 12 August 2011"))
}

/// Whether a word names a month in English, whole or by its first three letters.
fn month_named(word: &str) -> bool {
    NaiveDate::parse_from_str(&format!("1 {word} 2000"), "%d %B %Y").is_ok()
}

impl Pack {
    /// A new, empty brief: one copy, in draft.
    pub fn new() -> Pack {
        let mut p = Pack::default();
        p.memo.copy = 1;
        p
    }

    /// A field as text; list items one per line, dates as YYYY-MM-DD.
    pub(crate) fn field_text(&self, field: Field) -> String {
        let date = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        let (m, r) = (&self.meeting, &self.memo);
        match field {
            Field::MeetingTitle => m.title.clone(),
            Field::MeetingKind => m.kind.clone(),
            Field::MeetingDate => date(m.date),
            Field::MeetingPlace => m.place.clone(),
            Field::To => r.to.clone(),
            Field::From => r.from.clone(),
            Field::Reference => r.reference.clone(),
            Field::MemoDate => date(r.date),
            Field::Marking => r.marking.clone(),
            Field::Status => r.status.as_str().to_owned(),
            Field::Distribution => r.distribution.join("\n"),
            Field::Copy => r.copy.to_string(),
            Field::Purpose => r.purpose.clone(),
            Field::Format => r.format.clone(),
            Field::PreparatoryWork => r.preparatory_work.join("\n"),
            Field::Proposals => r.proposals.join("\n"),
            Field::Objectives => r.objectives.join("\n"),
            Field::Drafter => r.drafter.clone(),
            Field::Contact => r.contact.clone(),
        }
    }

    /// Sets a field from text in the form `field_text` gives, validating it.
    /// On error the pack is unchanged and the message is one sentence.
    pub(crate) fn set_field(&mut self, field: Field, text: &str) -> Result<(), String> {
        let list = |t: &str| -> Vec<String> {
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        };
        // One-line fields: an editor's trailing newline or a pasted line break is
        // not part of the value.
        let one = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let para = |t: &str| t.trim().to_owned();
        let (m, r) = (&mut self.meeting, &mut self.memo);
        match field {
            Field::MeetingTitle => m.title = one(text),
            Field::MeetingKind => m.kind = one(text),
            Field::MeetingDate => m.date = parse_date(text)?,
            Field::MeetingPlace => m.place = one(text),
            Field::To => r.to = one(text),
            Field::From => r.from = one(text),
            Field::Reference => r.reference = one(text),
            Field::MemoDate => r.date = parse_date(text)?,
            Field::Marking => r.marking = one(text),
            Field::Status => {
                r.status = match text.trim() {
                    "draft" => MemoStatus::Draft,
                    "final" => MemoStatus::Final,
                    other => return Err(format!("status is `{other}`; use `draft` or `final`")),
                }
            }
            Field::Distribution => r.distribution = list(text),
            Field::Copy => {
                r.copy = text
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|&c| c > 0)
                    .ok_or_else(|| format!("copy number `{}` must be a whole number from 1", text.trim()))?;
            }
            Field::Purpose => r.purpose = para(text),
            Field::Format => r.format = para(text),
            Field::PreparatoryWork => r.preparatory_work = list(text),
            Field::Proposals => r.proposals = list(text),
            Field::Objectives => r.objectives = list(text),
            Field::Drafter => r.drafter = one(text),
            Field::Contact => r.contact = one(text),
        }
        Ok(())
    }
}

/// A pack read from a file, with what the user should know about it.
#[derive(Debug)]
pub struct Opened {
    pub pack: Pack,
    pub warnings: Vec<Diagnostic>,
}

// The on-disk shape. Every field is optional so half-filled packs (a brief in
// progress) load; spans are kept on ids so problems point at file:line.
#[derive(Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPack {
    #[serde(default)]
    meeting: RawMeeting,
    #[serde(default)]
    memo: RawMemo,
    #[serde(default)]
    selection: RawSelection,
}

#[derive(Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawMeeting {
    title: String,
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<Spanned<toml::value::Datetime>>,
    place: String,
}

#[derive(Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawMemo {
    to: String,
    from: String,
    reference: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<Spanned<toml::value::Datetime>>,
    marking: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Spanned<String>>,
    distribution: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    copy: Option<Spanned<i64>>,
    purpose: String,
    format: String,
    preparatory_work: Vec<String>,
    proposals: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    objectives: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    drafter: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    contact: String,
}

#[derive(Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawSelection {
    threats: Vec<Spanned<String>>,
    partners: Vec<Spanned<String>>,
    points: Vec<Spanned<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    people: Vec<Spanned<String>>,
}

/// Most items one brief may select, all kinds together. A memo that size is a
/// few hundred pages, far past any briefing; above it the PDF layout needs
/// gigabytes, so a pack asking for more is refused with a clear message rather
/// than left to exhaust a shared server's memory.
pub const MAX_SELECTION: usize = 2000;

/// Errors quoted in full before the rest are counted: a pack with thousands of
/// bad ids should get a readable message, not thousands of lines.
const MAX_ERRORS_SHOWN: usize = 20;

/// Reads and validates a pack file against the library.
pub fn load(path: &Path, library: &Library) -> Result<Opened> {
    parse(&read(path)?, &path.display().to_string(), library)
}

/// A pack file's text, as `load` reads it (the interface keeps it, to notice a
/// change on disk and to save over it in its own layout).
pub(crate) fn read(path: &Path) -> Result<String> {
    let bytes = crate::input::read(path, crate::input::PACK_FILE, "pack")?;
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("pack {} is not UTF-8 text", path.display()))
}

/// As `load`, but ids the library no longer has (a point deleted since the
/// pack was saved) are left out of the selection and named (``point `id` ``),
/// rather than refused: the interface opens such a pack, says which are gone,
/// and a save drops them. Every other problem is refused as `load` refuses it.
pub(crate) fn parse_leaving_out_unknown(
    text: &str,
    file: &str,
    library: &Library,
) -> Result<(Opened, Vec<String>)> {
    parse_with(text, file, library, true)
}

/// Parses a pack's text; `file` names it in messages.
pub fn parse(text: &str, file: &str, library: &Library) -> Result<Opened> {
    parse_with(text, file, library, false).map(|(opened, _)| opened)
}

/// `parse`, with unknown ids left out and returned when `leave_out_unknown`.
fn parse_with(
    text: &str,
    file: &str,
    library: &Library,
    leave_out_unknown: bool,
) -> Result<(Opened, Vec<String>)> {
    let raw: RawPack = toml::from_str(text).map_err(|e| {
        let at = Diagnostic::at_span(file, text, e.span(), crate::diag::toml_message(e.message()));
        anyhow::anyhow!("{at}")
    })?;
    let s = &raw.selection;
    let selected = s.threats.len() + s.partners.len() + s.points.len() + s.people.len();
    if selected > MAX_SELECTION {
        bail!("{file} selects {selected} items; a brief can hold at most {MAX_SELECTION}");
    }
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let lines = LineIndex::new(text);
    let at = |span: std::ops::Range<usize>| Some(lines.at(span.start));

    let date = |field: &str, d: &Option<Spanned<toml::value::Datetime>>, errors: &mut Vec<Diagnostic>| {
        let d = d.as_ref()?;
        if let (Some(day), None) = (d.get_ref().date, d.get_ref().time) {
            let parsed = NaiveDate::from_ymd_opt(day.year.into(), day.month.into(), day.day.into());
            if parsed.is_none() {
                errors.push(Diagnostic::error(
                    file,
                    at(d.span()),
                    format!("`{field}` is not a day of the calendar"),
                ));
            }
            parsed
        } else {
            errors.push(Diagnostic::error(
                file,
                at(d.span()),
                format!("`{field}` must be a date like 2011-08-12"),
            ));
            None
        }
    };
    let meeting = Meeting {
        date: date("meeting.date", &raw.meeting.date, &mut errors),
        title: raw.meeting.title,
        kind: raw.meeting.kind,
        place: raw.meeting.place,
    };
    let memo_date = date("memo.date", &raw.memo.date, &mut errors);
    let status = match &raw.memo.status {
        None => MemoStatus::Draft,
        Some(s) => match s.get_ref().as_str() {
            "draft" => MemoStatus::Draft,
            "final" => MemoStatus::Final,
            other => {
                errors.push(Diagnostic::error(
                    file,
                    at(s.span()),
                    format!("`memo.status` is `{other}`; expected `draft` or `final`"),
                ));
                MemoStatus::Draft
            }
        },
    };
    let copy = match &raw.memo.copy {
        None => 1,
        Some(c) => u32::try_from(*c.get_ref())
            .ok()
            .filter(|&c| c > 0)
            .unwrap_or_else(|| {
                errors.push(Diagnostic::error(
                    file,
                    at(c.span()),
                    "`memo.copy` must be a positive number",
                ));
                1
            }),
    };
    let memo = Memo {
        to: raw.memo.to,
        from: raw.memo.from,
        reference: raw.memo.reference,
        date: memo_date,
        marking: raw.memo.marking,
        status,
        distribution: raw.memo.distribution,
        copy,
        purpose: raw.memo.purpose,
        format: raw.memo.format,
        preparatory_work: raw.memo.preparatory_work,
        proposals: raw.memo.proposals,
        objectives: raw.memo.objectives,
        drafter: raw.memo.drafter,
        contact: raw.memo.contact,
    };

    let mut unknown = Vec::new();
    let mut ids = |kind: Kind,
                   list: Vec<Spanned<String>>,
                   errors: &mut Vec<Diagnostic>,
                   warnings: &mut Vec<Diagnostic>| {
        let mut seen = HashSet::new();
        let mut out = Vec::with_capacity(list.len());
        for id in list {
            let pos = at(id.span());
            let id = id.into_inner();
            if !library.contains(kind, &id) && leave_out_unknown {
                unknown.push(format!("{} `{id}`", kind.singular()));
            } else if !library.contains(kind, &id) {
                errors.push(Diagnostic::error(
                    file,
                    pos,
                    format!("unknown {} id `{id}`", kind.singular()),
                ));
            } else if !seen.insert(id.clone()) {
                warnings.push(Diagnostic::warning(
                    file,
                    pos,
                    format!("{} `{id}` is selected twice; the first is kept", kind.singular()),
                ));
            } else {
                if kind == Kind::Point && library.point(&id).is_some_and(|p| p.status == Status::Retired) {
                    warnings.push(Diagnostic::warning(
                        file,
                        pos,
                        format!("point `{id}` is retired and should not be used in new briefs"),
                    ));
                }
                out.push(id);
            }
        }
        out
    };
    let selection = Selection {
        threats: ids(Kind::Threat, raw.selection.threats, &mut errors, &mut warnings),
        partners: ids(Kind::Partner, raw.selection.partners, &mut errors, &mut warnings),
        points: ids(Kind::Point, raw.selection.points, &mut errors, &mut warnings),
        people: ids(Kind::Person, raw.selection.people, &mut errors, &mut warnings),
    };
    if !errors.is_empty() {
        let mut lines: Vec<String> = errors
            .iter()
            .take(MAX_ERRORS_SHOWN)
            .map(ToString::to_string)
            .collect();
        if errors.len() > MAX_ERRORS_SHOWN {
            lines.push(format!(
                "{file}: and {} more errors",
                errors.len() - MAX_ERRORS_SHOWN
            ));
        }
        bail!("{}", lines.join("\n"));
    }
    Ok((
        Opened {
            pack: Pack {
                meeting,
                memo,
                selection,
            },
            warnings,
        },
        unknown,
    ))
}

impl Pack {
    /// The selected points the library has retired. A draft memo may hold them
    /// (with a warning); a final memo goes out, so a build refuses them.
    pub(crate) fn retired_points<'a>(&'a self, library: &Library) -> Vec<&'a str> {
        self.selection
            .points
            .iter()
            .filter(|id| library.point(id).is_some_and(|p| p.status == Status::Retired))
            .map(String::as_str)
            .collect()
    }

    /// The pack as TOML, in the layout of DESIGN.md: meeting, memo, selection.
    pub fn to_toml(&self) -> Result<String> {
        let dt = |d: Option<NaiveDate>| {
            d.and_then(|d| {
                d.format("%Y-%m-%d")
                    .to_string()
                    .parse::<toml::value::Datetime>()
                    .ok()
            })
            .map(|d| Spanned::new(0..0, d))
        };
        let ids = |v: &[String]| v.iter().map(|s| Spanned::new(0..0, s.clone())).collect();
        let raw = RawPack {
            meeting: RawMeeting {
                title: self.meeting.title.clone(),
                kind: self.meeting.kind.clone(),
                date: dt(self.meeting.date),
                place: self.meeting.place.clone(),
            },
            memo: RawMemo {
                to: self.memo.to.clone(),
                from: self.memo.from.clone(),
                reference: self.memo.reference.clone(),
                date: dt(self.memo.date),
                marking: self.memo.marking.clone(),
                status: Some(Spanned::new(0..0, self.memo.status.as_str().to_owned())),
                distribution: self.memo.distribution.clone(),
                copy: Some(Spanned::new(0..0, i64::from(self.memo.copy))),
                purpose: self.memo.purpose.clone(),
                format: self.memo.format.clone(),
                preparatory_work: self.memo.preparatory_work.clone(),
                proposals: self.memo.proposals.clone(),
                objectives: self.memo.objectives.clone(),
                drafter: self.memo.drafter.clone(),
                contact: self.memo.contact.clone(),
            },
            selection: RawSelection {
                threats: ids(&self.selection.threats),
                partners: ids(&self.selection.partners),
                points: ids(&self.selection.points),
                people: ids(&self.selection.people),
            },
        };
        toml::to_string_pretty(&raw).context("cannot write the pack as TOML")
    }

    /// Saves atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        self.save_over(path, None).map(drop)
    }

    /// Saves atomically, laid out as `previous` (the file as it was read) when
    /// given, so its comments and layout stay. Returns the text written.
    pub(crate) fn save_over(&self, path: &Path, previous: Option<&str>) -> Result<String> {
        // A rewrite that does not read as a pack (it never should) gives way to
        // the plain layout: the values matter more than the comments.
        let text = match previous
            .and_then(|p| rewrite::over(self, p))
            .filter(|t| toml::from_str::<RawPack>(t).is_ok())
        {
            Some(text) => text,
            None => self.to_toml()?,
        };
        crate::atomic::write(path, text.as_bytes())
            .with_context(|| format!("cannot save pack {}", path.display()))?;
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn move_by_reorders_within_bounds() {
        let mut s = Selection::default();
        for id in ["a", "b", "c"] {
            s.toggle(Kind::Point, id);
        }
        assert_eq!(s.move_by(Kind::Point, "c", -1), Some(1));
        assert_eq!(s.points, ["a", "c", "b"]);
        assert_eq!(s.move_by(Kind::Point, "c", -5), Some(0));
        assert_eq!(s.points, ["c", "a", "b"]);
        assert_eq!(s.move_by(Kind::Point, "a", 9), Some(2));
        assert_eq!(s.points, ["c", "b", "a"]);
        assert_eq!(s.move_by(Kind::Point, "zz", 1), None);
        assert_eq!(s.move_by(Kind::Source, "a", 1), None);
    }

    #[test]
    fn dates_are_validated_as_typed() {
        assert_eq!(parse_date(""), Ok(None));
        assert_eq!(
            parse_date(" 2011-08-12 "),
            Ok(NaiveDate::from_ymd_opt(2011, 8, 12))
        );
        assert!(parse_date("2011-08").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("12/08/2011").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("2011-02-30").unwrap_err().contains("not a day"));
        let aug12 = NaiveDate::from_ymd_opt(2011, 8, 12);
        assert_eq!(parse_date("12 August 2011"), Ok(aug12));
        assert_eq!(parse_date(" 12  aug 2011 "), Ok(aug12));
        assert_eq!(
            parse_date("5 March 2026"),
            Ok(NaiveDate::from_ymd_opt(2026, 3, 5))
        );
        assert!(parse_date("30 February 2011").unwrap_err().contains("not a day"));
        assert!(parse_date("12 Smarch 2011").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("12 August").unwrap_err().contains("12 August 2011"));
        assert!(parse_date("August 12 2011").unwrap_err().contains("YYYY-MM-DD"));
        // A year is four digits, a day one or two, a month a word.
        for typed in ["12 August 20111", "012 August 2011", "12 08 2011", "12 Au 2011"] {
            assert!(parse_date(typed).unwrap_err().contains("YYYY-MM-DD"), "{typed}");
        }
    }

    #[test]
    fn fields_round_trip_and_reject_bad_values() {
        let mut p = Pack::new();
        p.set_field(Field::MeetingTitle, "  Informal\nsummit ").unwrap();
        assert_eq!(p.meeting.title, "Informal summit");
        p.set_field(Field::Proposals, "First.\n\n  Second.\n").unwrap();
        assert_eq!(p.memo.proposals, ["First.", "Second."]);
        assert_eq!(p.field_text(Field::Proposals), "First.\nSecond.");
        p.set_field(Field::MemoDate, "2011-08-05").unwrap();
        assert_eq!(p.field_text(Field::MemoDate), "2011-08-05");
        assert!(p.set_field(Field::MemoDate, "2011-13-01").is_err());
        assert_eq!(p.field_text(Field::MemoDate), "2011-08-05");
        assert!(p.set_field(Field::Copy, "0").is_err());
        assert!(p.set_field(Field::Copy, "two").is_err());
        p.set_field(Field::Copy, "3").unwrap();
        assert_eq!(p.memo.copy, 3);
        assert!(p.set_field(Field::Status, "done").is_err());
        p.set_field(Field::Status, "final").unwrap();
        assert_eq!(p.memo.status, MemoStatus::Final);
        for f in Field::ALL {
            let text = p.field_text(f);
            let mut q = p.clone();
            q.set_field(f, &text).unwrap();
            assert_eq!(q, p, "{f:?} does not round-trip");
        }
    }
}
