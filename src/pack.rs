//! A pack: one brief's memo header and selection, as the user saves it.

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
    pub fn as_str(self) -> &'static str {
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

    pub fn ids_mut(&mut self, kind: Kind) -> Option<&mut Vec<String>> {
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

    pub fn len(&self) -> usize {
        self.threats.len() + self.partners.len() + self.points.len() + self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
    let bytes = std::fs::read(path).with_context(|| format!("cannot read pack {}", path.display()))?;
    let text =
        String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("pack {} is not UTF-8 text", path.display()))?;
    parse(&text, &path.display().to_string(), library)
}

/// Parses a pack's text; `file` names it in messages.
pub fn parse(text: &str, file: &str, library: &Library) -> Result<Opened> {
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
        match (d.get_ref().date, d.get_ref().time) {
            (Some(day), None) => {
                let parsed = NaiveDate::from_ymd_opt(day.year.into(), day.month.into(), day.day.into());
                if parsed.is_none() {
                    errors.push(Diagnostic::error(
                        file,
                        at(d.span()),
                        format!("`{field}` is not a day of the calendar"),
                    ));
                }
                parsed
            }
            _ => {
                errors.push(Diagnostic::error(
                    file,
                    at(d.span()),
                    format!("`{field}` must be a date like 2011-08-12"),
                ));
                None
            }
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
    };

    let ids = |kind: Kind,
               list: Vec<Spanned<String>>,
               errors: &mut Vec<Diagnostic>,
               warnings: &mut Vec<Diagnostic>| {
        let mut seen = HashSet::new();
        let mut out = Vec::with_capacity(list.len());
        for id in list {
            let pos = at(id.span());
            let id = id.into_inner();
            if !library.contains(kind, &id) {
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
    Ok(Opened {
        pack: Pack {
            meeting,
            memo,
            selection,
        },
        warnings,
    })
}

impl Pack {
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
        crate::atomic::write(path, self.to_toml()?.as_bytes())
            .with_context(|| format!("cannot save pack {}", path.display()))
    }
}
