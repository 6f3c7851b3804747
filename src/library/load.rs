//! Reading the library's TOML files into records, collecting every problem on the way.
//!
//! Each record is deserialised on its own, so one bad record never hides the
//! problems of the next, and spans are kept so every message can point at
//! <file:line:col>. Text written the plain way the library's files are is read by
//! the fast reader in `plain`; anything else, and any text with a problem, by
//! the full `toml` parser, which finds and places every problem. Large files are
//! parsed in parts on every core (see `parts`).

use super::model::{
    Assessment, Kind, Meeting, Operation, OperationKind, Organ, OrganKind, Origin, PartialDate, Partner,
    PartnerKind, Person, Point, PointKind, Relationship, Source, SourceKind, State, StateStatus, Status,
    Threat, Trend,
};
use super::parts::{self, Part, Reading};
use super::plain;
use crate::diag::{Diagnostic, LineCol, LineIndex};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{mpsc, Arc, Mutex};
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

/// Where a record's id is defined, for the duplicate-id check. The id itself is
/// not copied: the `defs` of a kind are in the order of that kind's records, so
/// the record at the same rank holds it.
#[derive(Clone, Debug)]
pub(super) struct Def {
    pub kind: Kind,
    pub file: Arc<str>,
    pub pos: LineCol,
}

/// The references one part of a file makes, grouped by the id they name: a large
/// library names few distinct ids many times over, so each id is kept once and
/// each use only as a place, and places are only turned into messages for the
/// rare id that is unknown.
#[derive(Debug)]
pub(super) struct Refs {
    pub file: Arc<str>,
    /// By kind (`Kind as usize`), then by id.
    pub by_kind: RefMaps,
    /// Speakers, which may be people, member states or organs, by id.
    pub speakers: HashMap<String, Vec<LineCol>>,
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
    pub defs: Vec<Def>,
    pub refs: Vec<Refs>,
    /// Where each point's excerpt is, in the order of `points`, for `check --sources`.
    pub excerpts: Vec<(Arc<str>, LineCol)>,
    pub diags: Vec<Diagnostic>,
}

impl Loaded {
    /// Makes room for `n` more records of a kind, with their definitions.
    fn reserve(&mut self, kind: Kind, n: usize) {
        match kind {
            Kind::Source => self.sources.reserve_exact(n),
            Kind::Threat => self.threats.reserve_exact(n),
            Kind::Partner => self.partners.reserve_exact(n),
            Kind::Point => {
                self.points.reserve_exact(n);
                self.excerpts.reserve_exact(n);
            }
            Kind::State => self.states.reserve_exact(n),
            Kind::Operation => self.operations.reserve_exact(n),
            Kind::Organ => self.organs.reserve_exact(n),
            Kind::Person => self.people.reserve_exact(n),
            Kind::Meeting => self.meetings.reserve_exact(n),
        }
        self.defs.reserve_exact(n);
    }

    /// Appends another part's records and findings after this one's.
    fn append(&mut self, mut other: Loaded) {
        self.sources.append(&mut other.sources);
        self.threats.append(&mut other.threats);
        self.partners.append(&mut other.partners);
        self.points.append(&mut other.points);
        self.states.append(&mut other.states);
        self.operations.append(&mut other.operations);
        self.organs.append(&mut other.organs);
        self.people.append(&mut other.people);
        self.meetings.append(&mut other.meetings);
        self.defs.append(&mut other.defs);
        self.refs.append(&mut other.refs);
        self.excerpts.append(&mut other.excerpts);
        self.diags.append(&mut other.diags);
    }
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
    speaker: Option<S>,
    date: Spanned<toml::Value>,
    #[serde(default)]
    estimated: bool,
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
    #[serde(default)]
    assessments: Vec<RawAssessment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssessment {
    date: Spanned<toml::Value>,
    source: S,
    text: S,
    trend: Option<S>,
    #[serde(default)]
    next_steps: Sv,
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
    #[serde(default)]
    assessments: Vec<RawAssessment>,
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
    speaker: Option<S>,
    said: Option<Spanned<toml::Value>>,
    reaffirmed: Option<Spanned<toml::Value>>,
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
    status_note: Option<S>,
    joined: Option<Spanned<toml::Value>>,
    left: Option<Spanned<toml::Value>>,
    summary: S,
    #[serde(default)]
    sources: Sv,
    #[serde(default)]
    assessments: Vec<RawAssessment>,
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
    #[serde(default)]
    staff: bool,
    summary: S,
    #[serde(default)]
    sources: Sv,
    #[serde(default)]
    assessments: Vec<RawAssessment>,
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
pub(crate) fn is_kebab_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Conversion helpers that report into the file's diagnostics.
struct Ctx<'a> {
    file: &'a Arc<str>,
    /// The parsed text's lines: spans are relative to it, which may be one part of the file.
    lines: &'a LineIndex<'a>,
    /// The file's name as records' origins give it.
    stem: &'a Arc<str>,
    known: &'a Known,
    out: &'a mut Loaded,
    /// This part's references, by kind (`Kind as usize`), then by id.
    refs: &'a mut RefMaps,
    /// This part's speakers, by id.
    speakers: &'a mut HashMap<String, Vec<LineCol>>,
}

pub(super) type RefMaps = [HashMap<String, Vec<LineCol>>; Kind::ALL.len()];

impl Ctx<'_> {
    fn pos(&self, span: Range<usize>) -> LineCol {
        self.lines.at(span.start)
    }

    /// Where the record whose header is at `offset` was read from.
    fn origin(&self, offset: usize) -> Origin {
        Origin {
            file: Arc::clone(self.stem),
            line: self.lines.at(offset).line,
        }
    }

    fn err(&mut self, span: Range<usize>, msg: String) {
        let pos = self.pos(span);
        self.err_at(pos, msg);
    }

    fn err_at(&mut self, pos: LineCol, msg: String) {
        let d = Diagnostic::error(self.file, Some(pos), msg);
        self.out.diags.push(d);
    }

    fn def(&mut self, kind: Kind, id: S) -> String {
        let pos = self.pos(id.span());
        let value = id.into_inner();
        if !is_kebab_id(&value) {
            self.err_at(
                pos,
                format!(
                    "{} id `{value}` is not kebab-case (lowercase letters, digits and single hyphens)",
                    kind.singular()
                ),
            );
        }
        let file = Arc::clone(self.file);
        self.out.defs.push(Def { kind, file, pos });
        value
    }

    fn reference(&mut self, kind: Kind, id: S) -> String {
        if self.known.contains(kind, id.get_ref()) {
            return id.into_inner();
        }
        let pos = self.pos(id.span());
        let value = id.into_inner();
        let places = &mut self.refs[kind as usize];
        match places.get_mut(value.as_str()) {
            Some(at) => at.push(pos),
            None => {
                places.insert(value.clone(), vec![pos]);
            }
        }
        value
    }

    /// A speaker: checked once the people, member states and organs are all loaded.
    fn speaker(&mut self, id: S) -> String {
        let pos = self.pos(id.span());
        let value = id.into_inner();
        match self.speakers.get_mut(value.as_str()) {
            Some(at) => at.push(pos),
            None => {
                self.speakers.insert(value.clone(), vec![pos]);
            }
        }
        value
    }

    /// A date that cannot be later than the source it comes from (a source
    /// not known here is reported as unknown elsewhere).
    fn date_within_source(
        &mut self,
        field: &str,
        v: &Spanned<toml::Value>,
        source: &str,
    ) -> Option<PartialDate> {
        let date = self.partial_date(field, v)?;
        if let Some((source_date, _)) = self.known.source(source) {
            if date.later_than(source_date) {
                self.err(
                    v.span(),
                    format!(
                        "`{field}` is {date}, after its source `{source}` ({source_date}); a line cannot be said after the document that records it"
                    ),
                );
            }
        }
        Some(date)
    }

    fn assessments(&mut self, list: Vec<RawAssessment>) -> Vec<Assessment> {
        let mut out: Vec<Assessment> = list
            .into_iter()
            .map(|a| {
                let source = self.reference(Kind::Source, a.source);
                Assessment {
                    date: self
                        .date_within_source("date", &a.date, &source)
                        .unwrap_or(PartialDate::Undated),
                    text: self.text("text", a.text),
                    trend: a
                        .trend
                        .as_ref()
                        .map(|t| self.kind("trend", t, Trend::parse, Trend::expected, Trend::ALL)),
                    next_steps: self.texts("next_steps", a.next_steps),
                    source,
                }
            })
            .collect();
        // Oldest first whatever order they are written in; equal dates keep theirs.
        out.sort_by_key(|a| a.date);
        out
    }

    fn refs(&mut self, kind: Kind, ids: Sv) -> Vec<String> {
        ids.into_iter().map(|id| self.reference(kind, id)).collect()
    }

    /// Required text: present and not blank.
    fn text(&mut self, field: &str, s: S) -> String {
        if s.get_ref().trim().is_empty() {
            self.err(s.span(), format!("`{field}` is empty"));
        }
        s.into_inner()
    }

    fn texts(&mut self, field: &str, list: Sv) -> Vec<String> {
        list.into_iter().map(|s| self.text(field, s)).collect()
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
        if let Some(v) = parse(s.get_ref()) {
            v
        } else {
            self.err(
                s.span(),
                format!("`{field}` is `{}`; expected one of {}", s.get_ref(), expected()),
            );
            all[0]
        }
    }

    fn partial_date(&mut self, field: &str, v: &Spanned<toml::Value>) -> Option<PartialDate> {
        let parsed = match v.get_ref() {
            toml::Value::String(s) => PartialDate::parse(s),
            toml::Value::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => day_of(d).map_or_else(|| PartialDate::parse(&d.to_string()), Ok),
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
        if let PartialDate::Day(d) = self.partial_date(field, v)? {
            Some(d)
        } else {
            self.err(v.span(), format!("`{field}` must be a full date like 2026-11-24"));
            None
        }
    }
}

/// A TOML date that is a day of the calendar, without writing it out to parse
/// it again; the years and days `PartialDate::parse` refuses take that way, for
/// its message.
/// An optional text; blank counts as absent.
fn opt_text(s: Option<S>) -> Option<String> {
    s.map(Spanned::into_inner).filter(|s| !s.trim().is_empty())
}

fn day_of(d: toml::value::Date) -> Option<PartialDate> {
    if d.year > 9999 {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()).map(PartialDate::Day)
}

/// Ids of the kinds records refer to, from the files loaded so far: a
/// reference to one of them cannot turn out unknown, so its place need not be
/// kept for the message (at 100,000 points, 600,000 places).
#[derive(Default)]
pub(super) struct Known(
    [HashSet<String>; Kind::ALL.len()],
    /// Each source's date and speaker, for the dates and speakers of the lines drawn from it.
    HashMap<String, (PartialDate, Option<String>)>,
);

impl Known {
    /// Takes note of the ids of `kind` in `loaded`.
    fn learn(&mut self, kind: Kind, loaded: &Loaded) {
        fn ids<T>(records: &[T], id: fn(&T) -> &String) -> impl Iterator<Item = String> + '_ {
            records.iter().map(move |r| id(r).clone())
        }
        let known = &mut self.0[kind as usize];
        match kind {
            Kind::Source => {
                known.extend(ids(&loaded.sources, |r| &r.id));
                self.1.extend(
                    loaded
                        .sources
                        .iter()
                        .map(|s| (s.id.clone(), (s.date, s.speaker.clone()))),
                );
            }
            Kind::Threat => known.extend(ids(&loaded.threats, |r| &r.id)),
            Kind::Partner => known.extend(ids(&loaded.partners, |r| &r.id)),
            Kind::Operation => known.extend(ids(&loaded.operations, |r| &r.id)),
            // No record refers to these, and points are many.
            Kind::Point | Kind::State | Kind::Organ | Kind::Person | Kind::Meeting => {}
        }
    }

    fn contains(&self, kind: Kind, id: &str) -> bool {
        self.0[kind as usize].contains(id)
    }

    fn source(&self, id: &str) -> Option<&(PartialDate, Option<String>)> {
        self.1.get(id)
    }
}

/// A file being loaded: what parsing any part of it needs besides its text.
pub(super) struct Loading<'a> {
    pub kind: Kind,
    /// Its name in messages.
    pub file: Arc<str>,
    pub known: &'a Known,
}

/// Loads a library's files one after another.
#[derive(Default)]
pub(super) struct Loader {
    pub loaded: Loaded,
    known: Known,
}

impl Loader {
    /// Loads a file held in memory; `file` is its name in messages.
    pub(crate) fn text(&mut self, kind: Kind, file: &str, text: &str) {
        let at = Loading {
            kind,
            file: Arc::from(file),
            known: &self.known,
        };
        load_file(&at, text, &mut self.loaded);
        self.known.learn(kind, &self.loaded);
    }

    /// Loads a file as `parts::open` decided to read it.
    pub(crate) fn reading(&mut self, kind: Kind, file: &str, reading: Reading) {
        match reading {
            Reading::Whole(text) => self.text(kind, file, &text),
            Reading::Parts(reader) => {
                let at = Loading {
                    kind,
                    file: Arc::from(file),
                    known: &self.known,
                };
                load_parts(&at, reader.tables, reader, &mut self.loaded);
                self.known.learn(kind, &self.loaded);
            }
        }
    }

    /// A file that could not be read.
    pub(crate) fn problem(&mut self, file: &str, message: impl Into<String>) {
        self.loaded.diags.push(Diagnostic::error(file, None, message));
    }
}

/// Parses one library file held in memory and appends its records to `out`.
fn load_file(at: &Loading<'_>, text: &str, out: &mut Loaded) {
    // An empty file of a kind the library needs is usually a truncated write or a
    // bad merge: it loads (there is nothing wrong in it) but the user must know.
    if at.kind.required() && text.trim().is_empty() {
        out.diags.push(Diagnostic::warning(
            &at.file,
            None,
            format!("file is empty, so the library has no {}", at.kind.plural()),
        ));
    }
    match parts::split(at.kind, text) {
        None => load_part(at, text, 0, out),
        Some(cuts) => {
            let parts = cuts.parts.into_iter().map(|(range, lines_before)| {
                Ok(Part {
                    bytes: Cow::Borrowed(&text.as_bytes()[range]),
                    lines_before,
                })
            });
            load_parts(at, cuts.tables, parts, out);
        }
    }
}

/// Parses the parts of a file on every core, each into its own records, which
/// are appended in file order as soon as the parts before them are in: a large
/// file loads faster, and only a few parts' texts, parse trees and records are in
/// memory besides the library's own. `parts` are produced here, on this thread,
/// as the workers take them (a file's are read from disk then).
fn load_parts<'a>(
    at: &Loading<'_>,
    tables: usize,
    parts: impl Iterator<Item = Result<Part<'a>, &'static str>>,
    out: &mut Loaded,
) {
    // The record lists are sized once for every table in the file, so appending
    // the parts never reallocates (and briefly doubles) a list of 100,000 records.
    out.reserve(at.kind, tables);
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 8);
    std::thread::scope(|s| {
        // Bounded, so that the parts read ahead of the workers stay few.
        let (work, jobs) = mpsc::sync_channel::<(usize, Part<'a>)>(threads);
        // Shared by the workers and dropped with the last of them, so that were
        // they all to stop, sending more work fails instead of waiting forever.
        let jobs = Arc::new(Mutex::new(jobs));
        let (done, results) = mpsc::channel::<(usize, Loaded)>();
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (jobs, done) = (Arc::clone(&jobs), done.clone());
                s.spawn(move || loop {
                    let job = match jobs.lock() {
                        Ok(jobs) => jobs.recv(),
                        Err(_) => break,
                    };
                    let Ok((i, part)) = job else { break };
                    let mut loaded = Loaded::default();
                    match std::str::from_utf8(&part.bytes) {
                        Ok(text) => load_part(at, text, part.lines_before, &mut loaded),
                        // It was UTF-8 when the file was opened.
                        Err(_) => loaded
                            .diags
                            .push(Diagnostic::error(&at.file, None, parts::CHANGED)),
                    }
                    if done.send((i, loaded)).is_err() {
                        break;
                    }
                })
            })
            .collect();
        drop((jobs, done));
        let mut waiting = std::collections::BTreeMap::new();
        let mut due = 0;
        let mut take = |(i, part): (usize, Loaded), out: &mut Loaded| {
            waiting.insert(i, part);
            while let Some(part) = waiting.remove(&due) {
                out.append(part);
                due += 1;
            }
        };
        let mut sent = 0;
        for part in parts {
            let part = match part {
                Ok(part) => part,
                Err(problem) => {
                    out.diags.push(Diagnostic::error(&at.file, None, problem));
                    break;
                }
            };
            if work.send((sent, part)).is_err() {
                break;
            }
            sent += 1;
            while let Ok(result) = results.try_recv() {
                take(result, out);
            }
        }
        drop(work);
        for result in results {
            take(result, out);
        }
        let panicked = workers.into_iter().any(|w| w.join().is_err());
        if panicked || due < sent {
            // Loading never panics on any input (it is fuzzed); should it, the
            // problem is reported rather than the records silently missing.
            out.diags.push(Diagnostic::error(
                &at.file,
                None,
                "internal error while reading this file",
            ));
            for (_, part) in waiting {
                out.append(part);
            }
        }
    });
}

/// Parses one part of a file (`text`, after `lines_before` lines of it) and
/// appends its records to `out`.
fn load_part(at: &Loading<'_>, text: &str, lines_before: usize, out: &mut Loaded) {
    load_part_by(Reader::PlainFirst, at, text, lines_before, out);
}

/// Which parser reads the records.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Reader {
    /// The fast one when it can, else the full one.
    PlainFirst,
    /// The full one only, to compare the two (`plain_and_full`).
    Full,
    /// The fast one only, for tests that check it reads what it should.
    #[cfg(test)]
    PlainOnly,
}

pub(super) fn load_part_by(
    reader: Reader,
    at: &Loading<'_>,
    text: &str,
    lines_before: usize,
    out: &mut Loaded,
) {
    let lines = LineIndex::part(text, lines_before);
    let stem: Arc<str> = Arc::from(file_stem_name(&at.file));
    let mut refs = RefMaps::default();
    let mut speakers = HashMap::new();
    let mut cx = Ctx {
        file: &at.file,
        lines: &lines,
        stem: &stem,
        known: at.known,
        out,
        refs: &mut refs,
        speakers: &mut speakers,
    };
    let kind = at.kind;
    match kind {
        Kind::Source => records(&mut cx, reader, kind, text, source),
        Kind::Threat => records(&mut cx, reader, kind, text, threat),
        Kind::Partner => records(&mut cx, reader, kind, text, partner),
        Kind::Point => records(&mut cx, reader, kind, text, point),
        Kind::State => records(&mut cx, reader, kind, text, state),
        Kind::Operation => records(&mut cx, reader, kind, text, operation),
        Kind::Organ => records(&mut cx, reader, kind, text, organ),
        Kind::Person => records(&mut cx, reader, kind, text, person),
        Kind::Meeting => records(&mut cx, reader, kind, text, meeting),
    }
    if refs.iter().any(|m| !m.is_empty()) || !speakers.is_empty() {
        out.refs.push(Refs {
            file: Arc::clone(&at.file),
            by_kind: refs,
            speakers,
        });
    }
}

/// What loading `text` as a whole file of `kind` yields through the fast reader
/// (falling back to the full parser, as the loader does) and through the full
/// parser alone, each written out by `rendered`. The fast reader's contract is
/// that the two are equal for every text. Public only for the `plain_reader`
/// fuzz target (fuzz/), which has no other way in; the fast reader's tests use
/// it too, so both compare the same things.
#[doc(hidden)]
pub fn plain_and_full(kind: Kind, text: &str) -> (String, String) {
    (
        rendered(Reader::PlainFirst, kind, text),
        rendered(Reader::Full, kind, text),
    )
}

/// Everything loading `text` (a whole file of `kind`, with no ids known from
/// other files) by `reader` yields: records, places, problems, definitions,
/// references and excerpts, written out so that two loadings compare.
pub(super) fn rendered(reader: Reader, kind: Kind, text: &str) -> String {
    let mut out = Loaded::default();
    let at = Loading {
        kind,
        file: Arc::from("f.toml"),
        known: &Known::default(),
    };
    load_part_by(reader, &at, text, 0, &mut out);
    // References are kept in hash maps, whose order is not the text's.
    let mut refs: Vec<String> = out
        .refs
        .iter()
        .flat_map(|r| r.by_kind.iter().enumerate())
        .flat_map(|(k, m)| m.iter().map(move |(id, at)| format!("{k} {id:?} {at:?}")))
        .chain(
            out.refs
                .iter()
                .flat_map(|r| r.speakers.iter())
                .map(|(id, at)| format!("speaker {id:?} {at:?}")),
        )
        .collect();
    refs.sort();
    format!(
        "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{refs:#?}\n{:#?}",
        out.sources,
        out.threats,
        out.partners,
        out.points,
        out.states,
        out.operations,
        out.organs,
        out.people,
        out.meetings,
        out.diags,
        out.defs,
        out.excerpts
    )
}

/// Reads the records of a text and hands each to `build`: through the fast
/// reader when the text is plain and every record deserialises, else through
/// the full parser, which reports every problem in its place.
fn records<'t, R: Deserialize<'t>>(
    cx: &mut Ctx<'_>,
    reader: Reader,
    kind: Kind,
    text: &'t str,
    build: fn(&mut Ctx<'_>, R, Origin),
) {
    let plain = match reader {
        Reader::PlainFirst => plain::records::<R>(text, kind.plural()),
        #[cfg(test)]
        Reader::PlainOnly => plain::records::<R>(text, kind.plural()),
        Reader::Full => None,
    };
    if let Some(records) = plain {
        for (header, r) in records {
            let at = cx.origin(header);
            build(cx, r, at);
        }
        return;
    }
    #[cfg(test)]
    if reader == Reader::PlainOnly {
        cx.out
            .diags
            .push(Diagnostic::error(cx.file, None, "the plain reader gave up"));
        return;
    }
    for item in parse_tables(cx, kind, text) {
        let at = cx.origin(item.span().start);
        convert(cx, item, |cx, r| build(cx, r, at));
    }
}

/// The `[[kind]]` tables of a text by the full parser, every problem on the way reported.
fn parse_tables<'t>(cx: &mut Ctx<'_>, kind: Kind, text: &'t str) -> Vec<Spanned<DeValue<'t>>> {
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            let at = e.span().map(|s| cx.pos(s));
            cx.out.diags.push(Diagnostic::error(
                cx.file,
                at,
                crate::diag::toml_message(e.message()),
            ));
        }
        return Vec::new();
    }
    let mut items = Vec::new();
    for (key, value) in root.into_inner() {
        if key.get_ref().as_ref() != kind.plural() {
            let msg = format!(
                "unexpected key `{}`; this file holds only `[[{}]]` tables",
                key.get_ref(),
                kind.plural()
            );
            cx.err(key.span(), msg);
            continue;
        }
        let vspan = value.span();
        match value.into_inner() {
            DeValue::Array(arr) => items.extend(arr),
            _ => cx.err(
                vspan,
                format!(
                    "`{}` must be an array of tables (`[[{}]]`)",
                    kind.plural(),
                    kind.plural()
                ),
            ),
        }
    }
    items
}

fn source(cx: &mut Ctx<'_>, r: RawSource, at: Origin) {
    let rec = Source {
        id: cx.def(Kind::Source, r.id),
        title: cx.text("title", r.title),
        author: cx.text("author", r.author),
        author_role: opt_text(r.author_role),
        speaker: r.speaker.map(|s| cx.speaker(s)),
        date: cx.partial_date("date", &r.date).unwrap_or(PartialDate::Undated),
        estimated: r.estimated,
        date_note: opt_text(r.date_note),
        place: opt_text(r.place),
        kind: cx.kind(
            "kind",
            &r.kind,
            SourceKind::parse,
            SourceKind::expected,
            SourceKind::ALL,
        ),
        language: cx.text("language", r.language),
        translation: r.translation,
        origin: cx.text("origin", r.origin),
        file: source_file(cx, r.file),
        at,
    };
    cx.out.sources.push(rec);
}

/// A source's document, which `check --sources` reads: only a file inside the
/// sources directory, never `../../etc/passwd` or an absolute path.
fn source_file(cx: &mut Ctx<'_>, file: S) -> String {
    let span = file.span();
    let file = cx.text("file", file);
    if !file.trim().is_empty() && !super::verify::is_inside(&file) {
        cx.err(
            span,
            format!("`file` = `{file}` is outside the sources directory; name a file inside it"),
        );
    }
    file
}

fn threat(cx: &mut Ctx<'_>, r: RawThreat, at: Origin) {
    let id_span = r.id.span();
    let rec = Threat {
        id: cx.def(Kind::Threat, r.id),
        title: cx.text("title", r.title),
        summary: cx.text("summary", r.summary),
        trend: cx.kind("trend", &r.trend, Trend::parse, Trend::expected, Trend::ALL),
        trend_note: opt_text(r.trend_note),
        regions: cx.texts("regions", r.regions),
        operations: cx.refs(Kind::Operation, r.operations),
        sources: cx.refs(Kind::Source, r.sources),
        assessments: cx.assessments(r.assessments),
        at,
    };
    need_sources(cx, id_span, &rec.id, &rec.sources);
    cx.out.threats.push(rec);
}

fn partner(cx: &mut Ctx<'_>, r: RawPartner, at: Origin) {
    let id_span = r.id.span();
    let since = r.since.as_ref().and_then(|v| cx.partial_date("since", v));
    let rec = Partner {
        id: cx.def(Kind::Partner, r.id),
        name: cx.text("name", r.name),
        acronym: opt_text(r.acronym),
        kind: cx.kind(
            "kind",
            &r.kind,
            PartnerKind::parse,
            PartnerKind::expected,
            PartnerKind::ALL,
        ),
        parent: r.parent.map(|p| cx.reference(Kind::Partner, p)),
        relationship: cx.kind(
            "relationship",
            &r.relationship,
            Relationship::parse,
            Relationship::expected,
            Relationship::ALL,
        ),
        since,
        areas: cx.texts("areas", r.areas),
        summary: cx.text("summary", r.summary),
        next_steps: cx.texts("next_steps", r.next_steps),
        sources: cx.refs(Kind::Source, r.sources),
        assessments: cx.assessments(r.assessments),
        at,
    };
    need_sources(cx, id_span, &rec.id, &rec.sources);
    cx.out.partners.push(rec);
}

fn point(cx: &mut Ctx<'_>, r: RawPoint, at: Origin) {
    let reviewed = r.reviewed.as_ref().and_then(|v| cx.day("reviewed", v));
    let reaffirmed = r.reaffirmed.as_ref().and_then(|v| cx.day("reaffirmed", v));
    let said = r
        .said
        .as_ref()
        .and_then(|v| cx.date_within_source("said", v, r.source.get_ref()));
    // The source's date and speaker stand in for those the point does not give
    // (sources load first; an unknown source is reported as such).
    let (source_date, source_speaker) = cx
        .known
        .source(r.source.get_ref())
        .cloned()
        .unwrap_or((PartialDate::Undated, None));
    let speaker = r.speaker.map(|s| cx.speaker(s)).or(source_speaker);
    let excerpt_at = cx.pos(r.excerpt.span());
    let rec = Point {
        id: cx.def(Kind::Point, r.id),
        text: cx.text("text", r.text),
        kind: cx.kind(
            "kind",
            &r.kind,
            PointKind::parse,
            PointKind::expected,
            PointKind::ALL,
        ),
        threats: cx.refs(Kind::Threat, r.threats),
        partners: cx.refs(Kind::Partner, r.partners),
        source: cx.reference(Kind::Source, r.source),
        excerpt: cx.text("excerpt", r.excerpt),
        status: cx.kind("status", &r.status, Status::parse, Status::expected, Status::ALL),
        speaker,
        said: said.unwrap_or(source_date),
        reaffirmed,
        reviewed,
        reviewer: opt_text(r.reviewer),
        owner: opt_text(r.owner),
        retired_reason: opt_text(r.retired_reason),
        tags: cx.texts("tags", r.tags),
        at,
    };
    cx.out.excerpts.push((Arc::clone(cx.file), excerpt_at));
    cx.out.points.push(rec);
}

fn state(cx: &mut Ctx<'_>, r: RawState, at: Origin) {
    let id_span = r.id.span();
    let joined = r.joined.as_ref().and_then(|v| cx.partial_date("joined", v));
    let left = r.left.as_ref().and_then(|v| cx.partial_date("left", v));
    let rec = State {
        id: cx.def(Kind::State, r.id),
        name: cx.text("name", r.name),
        status: cx.kind(
            "status",
            &r.status,
            StateStatus::parse,
            StateStatus::expected,
            StateStatus::ALL,
        ),
        status_note: opt_text(r.status_note),
        joined,
        left,
        summary: cx.text("summary", r.summary),
        sources: cx.refs(Kind::Source, r.sources),
        assessments: cx.assessments(r.assessments),
        at,
    };
    need_sources(cx, id_span, &rec.id, &rec.sources);
    cx.out.states.push(rec);
}

fn operation(cx: &mut Ctx<'_>, r: RawOperation, at: Origin) {
    let id_span = r.id.span();
    let since = r.since.as_ref().and_then(|v| cx.partial_date("since", v));
    let rec = Operation {
        id: cx.def(Kind::Operation, r.id),
        name: cx.text("name", r.name),
        kind: cx.kind(
            "kind",
            &r.kind,
            OperationKind::parse,
            OperationKind::expected,
            OperationKind::ALL,
        ),
        since,
        summary: cx.text("summary", r.summary),
        threats: cx.refs(Kind::Threat, r.threats),
        sources: cx.refs(Kind::Source, r.sources),
        at,
    };
    need_sources(cx, id_span, &rec.id, &rec.sources);
    cx.out.operations.push(rec);
}

fn organ(cx: &mut Ctx<'_>, r: RawOrgan, at: Origin) {
    let id_span = r.id.span();
    let established = r
        .established
        .as_ref()
        .and_then(|v| cx.partial_date("established", v));
    let rec = Organ {
        id: cx.def(Kind::Organ, r.id),
        name: cx.text("name", r.name),
        acronym: opt_text(r.acronym),
        kind: cx.kind(
            "kind",
            &r.kind,
            OrganKind::parse,
            OrganKind::expected,
            OrganKind::ALL,
        ),
        established,
        summary: cx.text("summary", r.summary),
        sources: cx.refs(Kind::Source, r.sources),
        at,
    };
    need_sources(cx, id_span, &rec.id, &rec.sources);
    cx.out.organs.push(rec);
}

fn person(cx: &mut Ctx<'_>, r: RawPerson, at: Origin) {
    let id_span = r.id.span();
    let rec = Person {
        id: cx.def(Kind::Person, r.id),
        name: cx.text("name", r.name),
        role: cx.text("role", r.role),
        organisation: cx.text("organisation", r.organisation),
        period: opt_text(r.period),
        staff: r.staff,
        summary: cx.text("summary", r.summary),
        sources: cx.refs(Kind::Source, r.sources),
        assessments: cx.assessments(r.assessments),
        at,
    };
    need_sources(cx, id_span, &rec.id, &rec.sources);
    cx.out.people.push(rec);
}

fn meeting(cx: &mut Ctx<'_>, r: RawMeeting, at: Origin) {
    let id_span = r.id.span();
    let rec = Meeting {
        id: cx.def(Kind::Meeting, r.id),
        title: cx.text("title", r.title),
        kind: cx.text("kind", r.kind),
        date: cx.partial_date("date", &r.date).unwrap_or(PartialDate::Undated),
        place: opt_text(r.place),
        summary: cx.text("summary", r.summary),
        outcomes: cx.texts("outcomes", r.outcomes),
        sources: cx.refs(Kind::Source, r.sources),
        at,
    };
    need_sources(cx, id_span, &rec.id, &rec.sources);
    cx.out.meetings.push(rec);
}

/// Every fact traces to a source, so a record without one is an error.
fn need_sources(cx: &mut Ctx<'_>, span: Range<usize>, id: &str, sources: &[String]) {
    if sources.is_empty() {
        cx.err(
            span,
            format!("`{id}` cites no sources; every fact must trace to one"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Library;

    /// A points file big enough to be parsed in parts, with a broken record far down.
    fn big_points(n: usize, broken_at: usize) -> String {
        let mut s = String::from("# many points\n");
        for i in 0..n {
            let kind = if i == broken_at {
                "keymessage"
            } else {
                "key-message"
            };
            s.push_str(&format!(
                "\n[[points]]\nid = \"p-{i}\"\ntext = \"Point number {i}, padded to be long enough: {}\"\nkind = \"{kind}\"\n\
                 source = \"s\"\nexcerpt = \"x\"\nstatus = \"approved\"\ntags = [\"t\"]\n",
                "ОДКБ ".repeat(40)
            ));
        }
        s
    }

    const SOURCE: &str = "[[sources]]\nid = \"s\"\ntitle = \"t\"\nauthor = \"a\"\ndate = \"2008\"\nkind = \"report\"\nlanguage = \"ru\"\norigin = \"o\"\nfile = \"f\"\n";

    #[test]
    fn a_big_file_is_parsed_in_parts_with_the_same_result_and_places() {
        let n = 12_000;
        let text = big_points(n, n - 3);
        assert!(
            parts::split(Kind::Point, &text).is_some_and(|c| c.parts.len() > 2),
            "{} bytes in one part",
            text.len()
        );
        let c = Library::from_texts(&[(Kind::Source, SOURCE), (Kind::Point, &text)]);
        assert_eq!(c.library.points.len(), n);
        assert!(
            c.library
                .points
                .iter()
                .enumerate()
                .all(|(i, p)| p.id == format!("p-{i}")),
            "file order kept"
        );
        // The one error is placed where a whole-file parse would place it.
        let line = text
            .find("\"keymessage\"")
            .map(|o| LineCol::at(&text, o))
            .unwrap();
        let msgs: Vec<String> = c.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(msgs, [format!("points.toml:{}:{}: error: `kind` is `keymessage`; expected one of `key-message`, `defensive-line`, `background`, `press-line`", line.line, line.col)]);
        let last = c.library.points.last().unwrap();
        assert_eq!(
            last.at.line,
            LineCol::at(&text, text.rfind("[[points]]").unwrap()).line
        );
    }

    #[test]
    fn files_that_might_not_split_safely_are_parsed_whole() {
        let mut text = big_points(12_000, usize::MAX);
        assert!(parts::split(Kind::Point, &text).is_some_and(|c| c.parts.len() > 1));
        text.push_str("\n[points.extra]\n");
        assert!(parts::split(Kind::Point, &text).is_none());
        let text = big_points(12_000, usize::MAX).replacen(
            "text = \"Point number 5,",
            "text = \"\"\"Point number 5,",
            1,
        );
        assert!(parts::split(Kind::Point, &text).is_none());
        assert!(parts::split(Kind::Point, "[[points]]\nid = \"a\"\n").is_none());
    }
}
