//! Reading the library's TOML files into records, collecting every problem on the way.
//!
//! Each file is parsed once with spans kept, and each record is deserialised on its
//! own, so one bad record never hides the problems of the next and every message can
//! point at file:line:col.

use super::model::*;
use crate::diag::{Diagnostic, LineCol, LineIndex};
use serde::Deserialize;
use std::ops::Range;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

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
    pub fn plural(self) -> &'static str {
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
    pub fn required(self) -> bool {
        matches!(self, Kind::Source | Kind::Threat | Kind::Partner | Kind::Point)
    }

    pub fn from_plural(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.plural() == s)
    }
}

/// A definition or a reference, kept with its place for the cross-file checks.
#[derive(Clone, Debug)]
pub(super) struct Mention {
    pub kind: Kind,
    pub id: String,
    pub file: String,
    pub pos: LineCol,
}

/// What loading one file yields: its records, their ids and references, and problems.
#[derive(Default)]
pub(super) struct Loaded {
    pub sources: Vec<Source>,
    pub threats: Vec<Threat>,
    pub partners: Vec<Partner>,
    pub points: Vec<Point>,
    pub states: Vec<State>,
    pub operations: Vec<Operation>,
    pub organs: Vec<Organ>,
    pub people: Vec<Person>,
    pub meetings: Vec<Meeting>,
    pub defs: Vec<Mention>,
    pub refs: Vec<Mention>,
    /// Point excerpts with their place, for `check --sources`.
    pub excerpts: Vec<(String, Mention)>,
    pub diags: Vec<Diagnostic>,
}

type S = Spanned<String>;
type Sv = Vec<Spanned<String>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: S,
    title: S,
    author: S,
    author_role: Option<S>,
    date: Spanned<toml::Value>,
    date_note: Option<S>,
    place: Option<S>,
    kind: S,
    language: S,
    #[serde(default)]
    translation: bool,
    origin: S,
    file: S,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThreat {
    id: S,
    title: S,
    summary: S,
    trend: S,
    trend_note: Option<S>,
    #[serde(default)]
    regions: Sv,
    #[serde(default)]
    operations: Sv,
    #[serde(default)]
    sources: Sv,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPartner {
    id: S,
    name: S,
    acronym: Option<S>,
    kind: S,
    parent: Option<S>,
    relationship: S,
    since: Option<Spanned<toml::Value>>,
    #[serde(default)]
    areas: Sv,
    summary: S,
    #[serde(default)]
    next_steps: Sv,
    #[serde(default)]
    sources: Sv,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    id: S,
    text: S,
    kind: S,
    #[serde(default)]
    threats: Sv,
    #[serde(default)]
    partners: Sv,
    source: S,
    excerpt: S,
    status: S,
    reviewed: Option<Spanned<toml::Value>>,
    reviewer: Option<S>,
    owner: Option<S>,
    retired_reason: Option<S>,
    #[serde(default)]
    tags: Sv,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawState {
    id: S,
    name: S,
    status: S,
    joined: Option<Spanned<toml::Value>>,
    left: Option<Spanned<toml::Value>>,
    summary: S,
    #[serde(default)]
    sources: Sv,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOperation {
    id: S,
    name: S,
    kind: S,
    since: Option<Spanned<toml::Value>>,
    summary: S,
    #[serde(default)]
    threats: Sv,
    #[serde(default)]
    sources: Sv,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrgan {
    id: S,
    name: S,
    acronym: Option<S>,
    kind: S,
    established: Option<Spanned<toml::Value>>,
    summary: S,
    #[serde(default)]
    sources: Sv,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    id: S,
    name: S,
    role: S,
    organisation: S,
    period: Option<S>,
    summary: S,
    #[serde(default)]
    sources: Sv,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeeting {
    id: S,
    title: S,
    kind: S,
    date: Spanned<toml::Value>,
    place: Option<S>,
    summary: S,
    #[serde(default)]
    outcomes: Sv,
    #[serde(default)]
    sources: Sv,
}

/// True for `kebab-case-ids-like-this1`.
pub fn is_kebab_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Conversion helpers that report into the file's diagnostics.
struct Ctx<'a> {
    file: &'a str,
    lines: &'a LineIndex<'a>,
    out: &'a mut Loaded,
}

impl Ctx<'_> {
    fn pos(&self, span: Range<usize>) -> LineCol {
        self.lines.at(span.start)
    }

    fn err(&mut self, span: Range<usize>, msg: String) {
        let d = Diagnostic::error(self.file, Some(self.pos(span)), msg);
        self.out.diags.push(d);
    }

    fn def(&mut self, kind: Kind, id: &S) -> String {
        let value = id.get_ref().clone();
        if !is_kebab_id(&value) {
            self.err(
                id.span(),
                format!(
                    "{} id `{value}` is not kebab-case (lowercase letters, digits and single hyphens)",
                    kind.singular()
                ),
            );
        }
        let pos = self.pos(id.span());
        let file = self.file.to_owned();
        self.out.defs.push(Mention {
            kind,
            id: value.clone(),
            file,
            pos,
        });
        value
    }

    fn reference(&mut self, kind: Kind, id: &S) -> String {
        let pos = self.pos(id.span());
        let file = self.file.to_owned();
        let value = id.get_ref().clone();
        self.out.refs.push(Mention {
            kind,
            id: value.clone(),
            file,
            pos,
        });
        value
    }

    fn refs(&mut self, kind: Kind, ids: &[S]) -> Vec<String> {
        ids.iter().map(|id| self.reference(kind, id)).collect()
    }

    /// Required text: present and not blank.
    fn text(&mut self, field: &str, s: &S) -> String {
        if s.get_ref().trim().is_empty() {
            self.err(s.span(), format!("`{field}` is empty"));
        }
        s.get_ref().clone()
    }

    fn opt_text(&mut self, s: &Option<S>) -> Option<String> {
        s.as_ref()
            .map(|s| s.get_ref().clone())
            .filter(|s| !s.trim().is_empty())
    }

    fn texts(&mut self, field: &str, list: &[S]) -> Vec<String> {
        list.iter().map(|s| self.text(field, s)).collect()
    }

    /// A closed value; an unknown one is reported and stands in as the first, so
    /// the rest of the record is still checked.
    fn kind<T: Copy>(
        &mut self,
        field: &str,
        s: &S,
        parse: fn(&str) -> Option<T>,
        expected: fn() -> String,
        all: &[T],
    ) -> T {
        match parse(s.get_ref()) {
            Some(v) => v,
            None => {
                self.err(
                    s.span(),
                    format!("`{field}` is `{}`; expected one of {}", s.get_ref(), expected()),
                );
                all[0]
            }
        }
    }

    fn partial_date(&mut self, field: &str, v: &Spanned<toml::Value>) -> Option<PartialDate> {
        let parsed = match v.get_ref() {
            toml::Value::String(s) => PartialDate::parse(s),
            toml::Value::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => PartialDate::parse(&d.to_string()),
                _ => Err(format!("`{dt}` has a time; give a date only")),
            },
            other => Err(format!("expected a date, found a {}", other.type_str())),
        };
        match parsed {
            Ok(d) => Some(d),
            Err(e) => {
                self.err(v.span(), format!("`{field}`: {e}"));
                None
            }
        }
    }

    fn day(&mut self, field: &str, v: &Spanned<toml::Value>) -> Option<chrono::NaiveDate> {
        match self.partial_date(field, v)? {
            PartialDate::Day(d) => Some(d),
            _ => {
                self.err(v.span(), format!("`{field}` must be a full date like 2026-11-24"));
                None
            }
        }
    }
}

/// Parses one library file and appends its records to `out`.
pub(super) fn load_file(kind: Kind, file: &str, text: &str, out: &mut Loaded) {
    // An empty file of a kind the library needs is usually a truncated write or a
    // bad merge: it loads (there is nothing wrong in it) but the user must know.
    if kind.required() && text.trim().is_empty() {
        out.diags.push(Diagnostic::warning(
            file,
            None,
            format!("file is empty, so the library has no {}", kind.plural()),
        ));
    }
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            out.diags.push(Diagnostic::at_span(
                file,
                text,
                e.span(),
                crate::diag::toml_message(e.message()),
            ));
        }
        return;
    }
    let root = root.into_inner();
    let mut items = Vec::new();
    for (key, value) in root {
        let span = key.span();
        if key.get_ref().as_ref() != kind.plural() {
            out.diags.push(Diagnostic::at_span(
                file,
                text,
                Some(span),
                format!(
                    "unexpected key `{}`; this file holds only `[[{}]]` tables",
                    key.get_ref(),
                    kind.plural()
                ),
            ));
            continue;
        }
        let vspan = value.span();
        match value.into_inner() {
            DeValue::Array(arr) => items.extend(arr),
            _ => out.diags.push(Diagnostic::at_span(
                file,
                text,
                Some(vspan),
                format!(
                    "`{}` must be an array of tables (`[[{}]]`)",
                    kind.plural(),
                    kind.plural()
                ),
            )),
        }
    }
    let lines = LineIndex::new(text);
    for item in items {
        let at = Origin {
            file: file_stem_name(file),
            line: lines.at(item.span().start).line,
        };
        let mut cx = Ctx {
            file,
            lines: &lines,
            out,
        };
        match kind {
            Kind::Source => convert(&mut cx, item, |cx, r: RawSource| {
                let rec = Source {
                    id: cx.def(Kind::Source, &r.id),
                    title: cx.text("title", &r.title),
                    author: cx.text("author", &r.author),
                    author_role: cx.opt_text(&r.author_role),
                    date: cx.partial_date("date", &r.date).unwrap_or(PartialDate::Undated),
                    date_note: cx.opt_text(&r.date_note),
                    place: cx.opt_text(&r.place),
                    kind: cx.kind(
                        "kind",
                        &r.kind,
                        SourceKind::parse,
                        SourceKind::expected,
                        SourceKind::ALL,
                    ),
                    language: cx.text("language", &r.language),
                    translation: r.translation,
                    origin: cx.text("origin", &r.origin),
                    file: cx.text("file", &r.file),
                    at,
                };
                cx.out.sources.push(rec);
            }),
            Kind::Threat => convert(&mut cx, item, |cx, r: RawThreat| {
                let rec = Threat {
                    id: cx.def(Kind::Threat, &r.id),
                    title: cx.text("title", &r.title),
                    summary: cx.text("summary", &r.summary),
                    trend: cx.kind("trend", &r.trend, Trend::parse, Trend::expected, Trend::ALL),
                    trend_note: cx.opt_text(&r.trend_note),
                    regions: cx.texts("regions", &r.regions),
                    operations: cx.refs(Kind::Operation, &r.operations),
                    sources: cx.refs(Kind::Source, &r.sources),
                    at,
                };
                need_sources(cx, &r.id, &rec.sources);
                cx.out.threats.push(rec);
            }),
            Kind::Partner => convert(&mut cx, item, |cx, r: RawPartner| {
                let since = r.since.as_ref().and_then(|v| cx.partial_date("since", v));
                let rec = Partner {
                    id: cx.def(Kind::Partner, &r.id),
                    name: cx.text("name", &r.name),
                    acronym: cx.opt_text(&r.acronym),
                    kind: cx.kind(
                        "kind",
                        &r.kind,
                        PartnerKind::parse,
                        PartnerKind::expected,
                        PartnerKind::ALL,
                    ),
                    parent: r.parent.as_ref().map(|p| cx.reference(Kind::Partner, p)),
                    relationship: cx.kind(
                        "relationship",
                        &r.relationship,
                        Relationship::parse,
                        Relationship::expected,
                        Relationship::ALL,
                    ),
                    since,
                    areas: cx.texts("areas", &r.areas),
                    summary: cx.text("summary", &r.summary),
                    next_steps: cx.texts("next_steps", &r.next_steps),
                    sources: cx.refs(Kind::Source, &r.sources),
                    at,
                };
                need_sources(cx, &r.id, &rec.sources);
                cx.out.partners.push(rec);
            }),
            Kind::Point => convert(&mut cx, item, |cx, r: RawPoint| {
                let reviewed = r.reviewed.as_ref().and_then(|v| cx.day("reviewed", v));
                let rec = Point {
                    id: cx.def(Kind::Point, &r.id),
                    text: cx.text("text", &r.text),
                    kind: cx.kind(
                        "kind",
                        &r.kind,
                        PointKind::parse,
                        PointKind::expected,
                        PointKind::ALL,
                    ),
                    threats: cx.refs(Kind::Threat, &r.threats),
                    partners: cx.refs(Kind::Partner, &r.partners),
                    source: cx.reference(Kind::Source, &r.source),
                    excerpt: cx.text("excerpt", &r.excerpt),
                    status: cx.kind("status", &r.status, Status::parse, Status::expected, Status::ALL),
                    reviewed,
                    reviewer: cx.opt_text(&r.reviewer),
                    owner: cx.opt_text(&r.owner),
                    retired_reason: cx.opt_text(&r.retired_reason),
                    tags: cx.texts("tags", &r.tags),
                    at,
                };
                let mention = Mention {
                    kind: Kind::Source,
                    id: rec.source.clone(),
                    file: cx.file.to_owned(),
                    pos: cx.pos(r.excerpt.span()),
                };
                cx.out.excerpts.push((rec.excerpt.clone(), mention));
                cx.out.points.push(rec);
            }),
            Kind::State => convert(&mut cx, item, |cx, r: RawState| {
                let joined = r.joined.as_ref().and_then(|v| cx.partial_date("joined", v));
                let left = r.left.as_ref().and_then(|v| cx.partial_date("left", v));
                let rec = State {
                    id: cx.def(Kind::State, &r.id),
                    name: cx.text("name", &r.name),
                    status: cx.kind(
                        "status",
                        &r.status,
                        StateStatus::parse,
                        StateStatus::expected,
                        StateStatus::ALL,
                    ),
                    joined,
                    left,
                    summary: cx.text("summary", &r.summary),
                    sources: cx.refs(Kind::Source, &r.sources),
                    at,
                };
                need_sources(cx, &r.id, &rec.sources);
                cx.out.states.push(rec);
            }),
            Kind::Operation => convert(&mut cx, item, |cx, r: RawOperation| {
                let since = r.since.as_ref().and_then(|v| cx.partial_date("since", v));
                let rec = Operation {
                    id: cx.def(Kind::Operation, &r.id),
                    name: cx.text("name", &r.name),
                    kind: cx.kind(
                        "kind",
                        &r.kind,
                        OperationKind::parse,
                        OperationKind::expected,
                        OperationKind::ALL,
                    ),
                    since,
                    summary: cx.text("summary", &r.summary),
                    threats: cx.refs(Kind::Threat, &r.threats),
                    sources: cx.refs(Kind::Source, &r.sources),
                    at,
                };
                need_sources(cx, &r.id, &rec.sources);
                cx.out.operations.push(rec);
            }),
            Kind::Organ => convert(&mut cx, item, |cx, r: RawOrgan| {
                let established = r
                    .established
                    .as_ref()
                    .and_then(|v| cx.partial_date("established", v));
                let rec = Organ {
                    id: cx.def(Kind::Organ, &r.id),
                    name: cx.text("name", &r.name),
                    acronym: cx.opt_text(&r.acronym),
                    kind: cx.kind(
                        "kind",
                        &r.kind,
                        OrganKind::parse,
                        OrganKind::expected,
                        OrganKind::ALL,
                    ),
                    established,
                    summary: cx.text("summary", &r.summary),
                    sources: cx.refs(Kind::Source, &r.sources),
                    at,
                };
                need_sources(cx, &r.id, &rec.sources);
                cx.out.organs.push(rec);
            }),
            Kind::Person => convert(&mut cx, item, |cx, r: RawPerson| {
                let rec = Person {
                    id: cx.def(Kind::Person, &r.id),
                    name: cx.text("name", &r.name),
                    role: cx.text("role", &r.role),
                    organisation: cx.text("organisation", &r.organisation),
                    period: cx.opt_text(&r.period),
                    summary: cx.text("summary", &r.summary),
                    sources: cx.refs(Kind::Source, &r.sources),
                    at,
                };
                need_sources(cx, &r.id, &rec.sources);
                cx.out.people.push(rec);
            }),
            Kind::Meeting => convert(&mut cx, item, |cx, r: RawMeeting| {
                let rec = Meeting {
                    id: cx.def(Kind::Meeting, &r.id),
                    title: cx.text("title", &r.title),
                    kind: cx.text("kind", &r.kind),
                    date: cx.partial_date("date", &r.date).unwrap_or(PartialDate::Undated),
                    place: cx.opt_text(&r.place),
                    summary: cx.text("summary", &r.summary),
                    outcomes: cx.texts("outcomes", &r.outcomes),
                    sources: cx.refs(Kind::Source, &r.sources),
                    at,
                };
                need_sources(cx, &r.id, &rec.sources);
                cx.out.meetings.push(rec);
            }),
        }
    }
}

/// Every fact traces to a source, so a record without one is an error.
fn need_sources(cx: &mut Ctx<'_>, id: &S, sources: &[String]) {
    if sources.is_empty() {
        cx.err(
            id.span(),
            format!(
                "`{}` cites no sources; every fact must trace to one",
                id.get_ref()
            ),
        );
    }
}

/// Deserialises one record and hands it to `build`; a record that fails to
/// deserialise is reported and skipped.
fn convert<'t, R: Deserialize<'t>>(
    cx: &mut Ctx<'_>,
    item: Spanned<DeValue<'t>>,
    build: impl FnOnce(&mut Ctx<'_>, R),
) {
    let span = item.span();
    if !matches!(item.get_ref(), DeValue::Table(_)) {
        cx.err(span, "expected a table".to_owned());
        return;
    }
    match R::deserialize(ValueDeserializer::from(item)) {
        Ok(raw) => build(cx, raw),
        Err(e) => {
            let at = e.span().unwrap_or(span);
            cx.err(at, crate::diag::toml_message(e.message()));
        }
    }
}

fn file_stem_name(file: &str) -> String {
    std::path::Path::new(file)
        .file_name()
        .map_or_else(|| file.to_owned(), |n| n.to_string_lossy().into_owned())
}
