//! Library + Pack + Template -> Document. Pure: no I/O, no clock, no formatting
//! decisions beyond what the template says.

pub mod asof;
mod document;
pub mod editorial;

pub use document::*;

use crate::library::{long_date, Kind, Library, Point, PointKind, Source, StateStatus};
use crate::pack::{MemoStatus, Pack};
use crate::template::{fill, PointGrouping, SectionKind, Template, Wording};

/// Sources in order of first citation, with what cites each.
#[derive(Default)]
struct Citations {
    order: Vec<String>,
    cited_by: Vec<Vec<Citer>>,
}

impl Citations {
    fn cite(&mut self, source: &str, by: Citer) -> usize {
        let i = if let Some(i) = self.order.iter().position(|s| s == source) {
            i
        } else {
            self.order.push(source.to_owned());
            self.cited_by.push(Vec::new());
            self.order.len() - 1
        };
        if !self.cited_by[i].contains(&by) {
            self.cited_by[i].push(by);
        }
        i + 1
    }

    /// The marks "[n]" citing `sources`, in ascending order, each recorded as
    /// cited by `by`.
    fn marks(&mut self, sources: &[String], by: &str) -> Vec<Run> {
        let mut nums: Vec<usize> = sources
            .iter()
            .map(|s| {
                let by = Citer {
                    text: by.to_owned(),
                    point: None,
                };
                self.cite(s, by)
            })
            .collect();
        nums.sort_unstable();
        nums.dedup();
        nums.into_iter().map(Run::citation).collect()
    }
}

/// Section numbers: "3.", "3.1", "3.1.2".
#[derive(Default)]
struct Numbers([usize; 3]);

impl Numbers {
    fn next(&mut self, level: u8) -> String {
        let l = usize::from(level.clamp(1, 3)) - 1;
        self.0[l] += 1;
        for n in &mut self.0[l + 1..] {
            *n = 0;
        }
        match l {
            0 => format!("{}.", self.0[0]),
            1 => format!("{}.{}", self.0[0], self.0[1]),
            _ => format!("{}.{}.{}", self.0[0], self.0[1], self.0[2]),
        }
    }

    /// Takes back the last number given at level 1 (for a section left out).
    fn undo_section(&mut self) {
        self.0[0] = self.0[0].saturating_sub(1);
    }
}

/// Where a key message is developed, for the summary.
struct Placed {
    number: usize,
    section: String,
    text: String,
    /// Whose position it is, when not the organisation's ("Russia's position").
    position: Option<String>,
    /// Said or last reaffirmed longer ago than the library allows.
    dated: bool,
}

struct Composer<'a> {
    lib: &'a Library,
    pack: &'a Pack,
    w: &'a Wording,
    by_topic: bool,
    cites: Citations,
    blocks: Vec<Block>,
    numbers: Numbers,
    /// The number of the last (sub)section opened, for the summary's pointers.
    here: String,
    point_number: usize,
    key_messages: Vec<Placed>,
}

/// Builds the memo. Ids the library does not hold are skipped (packs are
/// validated on load; this keeps compose total for any input).
pub fn compose(lib: &Library, pack: &Pack, template: &Template) -> Document {
    let w = &template.wording;
    let mut c = Composer {
        lib,
        pack,
        w,
        by_topic: template.points == PointGrouping::ByTopic,
        cites: Citations::default(),
        blocks: Vec::new(),
        numbers: Numbers::default(),
        here: String::new(),
        point_number: 0,
        key_messages: Vec::new(),
    };
    let mut annex_no = 0u8;
    // Annexes list what the body cited, so the body is composed first and the
    // annexes after, whatever order the template gives them in; the summary,
    // which points into both, last of all.
    let mut annexes = Vec::new();
    let mut summary = None;
    for section in &template.sections {
        if section.kind.is_annex() {
            annexes.push(section);
            continue;
        }
        if section.kind == SectionKind::Summary {
            summary = Some(section);
            continue;
        }
        let before = c.blocks.len();
        let number = c.numbers.next(1);
        c.here.clone_from(&number);
        c.blocks.push(Block::Heading {
            level: 1,
            text: format!("{number} {}", section.heading),
            new_page: false,
            item: None,
        });
        if !c.section(section.kind) {
            c.blocks.truncate(before);
            c.numbers.undo_section();
        }
    }
    let mut annex_titles = Vec::new();
    for section in annexes {
        let before = c.blocks.len();
        let letter = (b'A' + annex_no.min(25)) as char;
        let title = format!("{} {letter}. {}", w.annex, section.heading);
        c.blocks.push(Block::Heading {
            level: 1,
            text: title.clone(),
            new_page: true,
            item: None,
        });
        if c.annex(section.kind) {
            annex_no += 1;
            annex_titles.push(title);
        } else {
            c.blocks.truncate(before);
        }
    }
    let mut blocks = match summary {
        Some(s) => c.summary(&s.heading, &annex_titles),
        None => Vec::new(),
    };
    let front = blocks.len();
    blocks.append(&mut c.blocks);
    let mut doc = Document {
        meta: meta(lib, pack, w),
        title_block: title_block(pack, w),
        blocks,
        front,
    };
    editorial::apply(&mut doc);
    doc
}

/// One memo per addressee of the distribution list, in its order: copy N of M,
/// its number and addressee on the title page and at every page's foot. Empty
/// when the pack has no distribution list.
pub(crate) fn copies(doc: &Document, pack: &Pack, template: &Template) -> Vec<Document> {
    let w = &template.wording;
    let list = &pack.memo.distribution;
    let total = list.len().to_string();
    list.iter()
        .enumerate()
        .map(|(i, addressee)| {
            let mut d = doc.clone();
            let n = (i + 1).to_string();
            let copy = fill(&w.copy, &[("copy", &n), ("copies", &total)]);
            d.meta.copy_foot = Some(format!("{copy} \u{b7} {}", editorial::typographic(addressee)));
            d.title_block.copy = format!("{copy}: {}", editorial::typographic(addressee));
            d
        })
        .collect()
}

fn or_not_given(s: &str, w: &Wording) -> String {
    if s.trim().is_empty() {
        w.not_given.clone()
    } else {
        s.to_owned()
    }
}

fn date_or(d: Option<chrono::NaiveDate>, w: &Wording) -> String {
    d.map_or_else(|| w.not_given.clone(), long_date)
}

/// What the memo is about: "Informal CSTO summit, Astana, 12 August 2011";
/// the template's title when the pack names no meeting.
fn subject(pack: &Pack, w: &Wording) -> String {
    let mt = &pack.meeting;
    if mt.title.trim().is_empty() {
        return w.title.clone();
    }
    [mt.title.trim(), mt.place.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .chain(mt.date.map(long_date))
        .collect::<Vec<_>>()
        .join(", ")
}

fn meta(lib: &Library, pack: &Pack, w: &Wording) -> Meta {
    let m = &pack.memo;
    let subject = subject(pack, w);
    Meta {
        title: subject.clone(),
        author: m.from.clone(),
        subject: format!("{}: {subject}", w.title),
        keywords: pack
            .selection
            .threats
            .iter()
            .filter_map(|id| lib.threat(id))
            .map(|t| t.title.clone())
            .collect(),
        date: m.date,
        marking: m.marking.clone(),
        running_head: fill(
            &w.running_head,
            &[
                ("reference", &or_not_given(&m.reference, w)),
                ("date", &date_or(m.date, w)),
            ],
        ),
        page_pattern: w.page.clone(),
        draft: (m.status == MemoStatus::Draft).then(|| w.draft.clone()),
        copy_foot: None,
    }
}

fn title_block(pack: &Pack, w: &Wording) -> TitleBlock {
    let m = &pack.memo;
    let mt = &pack.meeting;
    let meeting = match (mt.title.trim(), mt.kind.trim()) {
        ("", "") => w.not_given.clone(),
        (t, "") => t.to_owned(),
        ("", k) => k.to_owned(),
        (t, k) => format!("{t} ({k})"),
    };
    let copies = m.distribution.len().max(m.copy as usize).max(1);
    let mut fields = vec![
        (w.reference.clone(), or_not_given(&m.reference, w)),
        (w.date.clone(), date_or(m.date, w)),
        (w.to.clone(), or_not_given(&m.to, w)),
        (w.from.clone(), or_not_given(&m.from, w)),
    ];
    // Drafter and contact only as the pack gives them: a memo is not the place
    // to say who did not write it.
    for (label, value) in [(&w.drafter, &m.drafter), (&w.contact, &m.contact)] {
        if !value.trim().is_empty() {
            fields.push((label.clone(), value.clone()));
        }
    }
    // The title names the meeting, its place and date when the pack gives
    // its title; the rows would only repeat it.
    if mt.title.trim().is_empty() {
        fields.extend([
            (w.meeting.clone(), meeting),
            (w.place.clone(), or_not_given(&mt.place, w)),
            (w.meeting_date.clone(), date_or(mt.date, w)),
        ]);
    }
    TitleBlock {
        title: subject(pack, w),
        // The kind of document over its subject; alone when there is no subject.
        subtitle: if mt.title.trim().is_empty() {
            String::new()
        } else {
            w.title.clone()
        },
        fields,
        distribution_label: w.distribution.clone(),
        distribution: m.distribution.clone(),
        copy: fill(
            &w.copy,
            &[("copy", &m.copy.to_string()), ("copies", &copies.to_string())],
        ),
    }
}

fn field(label: &str, value: impl Into<String>) -> Block {
    Block::Field {
        label: label.to_owned(),
        value: value.into(),
    }
}

fn bullets(items: &[String]) -> Option<Block> {
    let items: Vec<Vec<Run>> = items
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| vec![Run::plain(s.clone())])
        .collect();
    (!items.is_empty()).then_some(Block::Bullets(items))
}

/// Most characters of a key message in the summary, whose it is included:
/// two lines with its pointer (the measure is about 75), enough to say what the
/// message is, which one line (50) was not.
const BRIEF: usize = 105;

/// Fewest characters of the message itself, however long whose it is.
const BRIEF_LEAST: usize = 60;

/// A key message in brief, for the summary's two lines: its first sentence, cut
/// at a word with an ellipsis when longer than `room` characters.
fn brief(text: &str, room: usize) -> String {
    let t = text.trim();
    let first = t.find(". ").map_or(t, |i| &t[..=i]);
    if first.chars().count() <= room {
        return first.to_owned();
    }
    let cut: String = first.chars().take(room).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    let head = cut[..at].trim_end_matches([',', ';', ':', ' ', '.', '—', '–']);
    format!("{head}\u{2026}")
}

/// Which topic a point belongs to.
#[derive(Clone, PartialEq)]
enum Topic {
    Threat(String),
    Partner(String),
    None,
}

impl<'a> Composer<'a> {
    fn none(&mut self) {
        self.blocks.push(Block::Note(self.w.none_selected.clone()));
    }

    fn texts(&mut self, items: &[String]) {
        match bullets(items) {
            Some(b) => self.blocks.push(b),
            None => self.none(),
        }
    }

    fn heading(&mut self, level: u8, text: &str, item: Option<String>) {
        let number = self.numbers.next(level);
        if level <= 2 {
            self.here.clone_from(&number);
        }
        self.blocks.push(Block::Heading {
            level,
            text: format!("{number} {text}"),
            new_page: false,
            item,
        });
    }

    /// The summary under the title block: purpose, objectives, key messages in
    /// brief with where each is developed, decisions sought, annexes.
    fn summary(&self, heading: &str, annexes: &[String]) -> Vec<Block> {
        let (m, w) = (&self.pack.memo, self.w);
        let mut out = vec![Block::Heading {
            level: 1,
            text: heading.to_owned(),
            new_page: false,
            item: None,
        }];
        if !m.purpose.trim().is_empty() {
            out.push(field(&w.purpose, m.purpose.trim()));
        }
        let list = |out: &mut Vec<Block>, label: &str, b: Option<Block>| {
            if let Some(b) = b {
                out.push(Block::Label(format!("{label}:")));
                out.push(b);
            }
        };
        list(&mut out, &w.objectives, bullets(&m.objectives));
        // Each key message in brief, with where it is developed (a PDF links
        // the pointer to the point). Whose it is and whether it is dated stay
        // with it: cut short, it must not read as ours, or as current.
        let messages: Vec<Vec<Run>> = self
            .key_messages
            .iter()
            .map(|k| {
                let at = fill(
                    &w.developed_at,
                    &[("point", &k.number.to_string()), ("section", &k.section)],
                );
                let whose = k.position.as_ref().map_or(String::new(), |p| format!("{p}: "));
                let dated = if k.dated {
                    format!("; {}", w.dated_in_brief)
                } else {
                    String::new()
                };
                vec![
                    Run::plain(format!(
                        "{whose}{} (",
                        brief(
                            &k.text,
                            BRIEF.saturating_sub(whose.chars().count()).max(BRIEF_LEAST)
                        )
                    )),
                    Run::point_ref(at, k.number),
                    Run::plain(format!("{dated})")),
                ]
            })
            .collect();
        let messages = (!messages.is_empty()).then_some(Block::Bullets(messages));
        list(&mut out, &w.key_messages, messages);
        list(&mut out, &w.decisions, bullets(&m.proposals));
        list(&mut out, &w.annexes, bullets(annexes));
        if out.len() == 1 {
            out.push(Block::Note(w.none_selected.clone()));
        }
        out
    }

    /// Writes a numbered section's content; false when the section would be
    /// empty and is better left out.
    fn section(&mut self, kind: SectionKind) -> bool {
        let (lib, pack, w) = (self.lib, self.pack, self.w);
        match kind {
            SectionKind::Purpose => {
                let m = &pack.memo;
                if m.purpose.trim().is_empty() && m.format.trim().is_empty() && pack.meeting.kind.is_empty() {
                    self.none();
                }
                if !m.purpose.trim().is_empty() {
                    self.blocks
                        .push(Block::Paragraph(vec![Run::plain(m.purpose.clone())]));
                }
                self.format();
            }
            SectionKind::Format => {
                if !self.format() {
                    return false;
                }
            }
            SectionKind::PreparatoryWork => self.texts(&pack.memo.preparatory_work),
            SectionKind::Proposals => self.texts(&pack.memo.proposals),
            SectionKind::Situation => {
                let day = asof::memo_day(pack);
                let threats: Vec<_> = pack
                    .selection
                    .threats
                    .iter()
                    .filter(|id| asof::keeps(lib, Kind::Threat, id, day))
                    .filter_map(|id| lib.threat(id))
                    .collect();
                if threats.is_empty() {
                    self.none();
                }
                for t in threats {
                    self.heading(2, &t.title, Some(t.id.clone()));
                    if t.assessments.is_empty() {
                        let cited = asof::citable(lib, &t.sources, day);
                        let runs = self.cited(t.summary.trim(), &cited, &t.title);
                        self.blocks.push(Block::Paragraph(runs));
                        // The trend alone: the library's note on it speaks about the
                        // sources, which is not the memo's voice.
                        self.blocks.push(field(&w.trend, t.trend.label()));
                    } else {
                        self.blocks
                            .push(Block::Paragraph(vec![Run::plain(t.summary.trim().to_owned())]));
                        self.assessment(&t.assessments, &t.title, day);
                        if let Some((trend, date)) = asof::trend(&t.assessments, day) {
                            self.blocks
                                .push(field(&w.trend, format!("{} ({})", trend.label(), date.long())));
                        }
                    }
                    if !t.regions.is_empty() {
                        self.blocks.push(field(&w.regions, t.regions.join(", ")));
                    }
                    let ops: Vec<String> = t
                        .operations
                        .iter()
                        .filter_map(|id| lib.operation(id))
                        .filter(|o| day.is_none_or(|d| !o.since.is_some_and(|s| s.after(d))))
                        .map(|o| match o.since {
                            Some(d) => format!("{} ({}, {} {})", o.name, o.kind.label(), w.since, d.long()),
                            None => format!("{} ({})", o.name, o.kind.label()),
                        })
                        .collect();
                    if !ops.is_empty() {
                        self.blocks.push(field(&w.operations, ops.join("; ")));
                    }
                    if self.by_topic {
                        let topic = Topic::Threat(t.id.clone());
                        self.topic_points(&topic);
                    }
                }
            }
            SectionKind::Partners => {
                let day = asof::memo_day(pack);
                let partners: Vec<_> = pack
                    .selection
                    .partners
                    .iter()
                    .filter(|id| asof::keeps(lib, Kind::Partner, id, day))
                    .filter_map(|id| lib.partner(id))
                    .collect();
                if partners.is_empty() {
                    self.none();
                }
                for p in partners {
                    let name = p.display_name();
                    self.heading(2, &name, Some(p.id.clone()));
                    let rel = match p.since {
                        // A relationship begun after the memo's date is not yet one.
                        Some(d) if day.is_some_and(|day| d.after(day)) => None,
                        Some(d) => Some(format!("{} {} {}", p.relationship.label(), w.since, d.long())),
                        None => Some(p.relationship.label().to_owned()),
                    };
                    if let Some(rel) = rel {
                        self.blocks.push(field(&w.relationship, rel));
                    }
                    let next_steps = if p.assessments.is_empty() {
                        let cited = asof::citable(lib, &p.sources, day);
                        let runs = self.cited(p.summary.trim(), &cited, &name);
                        self.blocks.push(Block::Paragraph(runs));
                        p.next_steps.as_slice()
                    } else {
                        self.blocks
                            .push(Block::Paragraph(vec![Run::plain(p.summary.trim().to_owned())]));
                        self.assessment(&p.assessments, &name, day)
                            .map_or(&[][..], |a| a.next_steps.as_slice())
                    };
                    if !p.areas.is_empty() {
                        self.blocks.push(field(&w.areas, p.areas.join("; ")));
                    }
                    if !next_steps.is_empty() {
                        self.blocks.push(Block::Label(format!("{}:", w.next_steps)));
                        self.blocks.push(Block::Bullets(
                            next_steps.iter().map(|s| vec![Run::plain(s.clone())]).collect(),
                        ));
                    }
                    if self.by_topic {
                        let topic = Topic::Partner(p.id.clone());
                        self.topic_points(&topic);
                    }
                }
            }
            SectionKind::Points => return self.points(),
            SectionKind::Summary
            | SectionKind::AnnexSources
            | SectionKind::AnnexStates
            | SectionKind::AnnexPeople => return false,
        }
        true
    }

    /// "Format: ..." when the pack says anything about it; false when not.
    /// The memo's own description of the format says more than the meeting's
    /// kind, and usually names it ("Working consultations; ..."), so the kind
    /// stands in only when there is no description.
    fn format(&mut self) -> bool {
        let (pack, w) = (self.pack, self.w);
        let text = match (pack.memo.format.trim(), pack.meeting.kind.trim()) {
            ("", "") => return false,
            ("", kind) => capitalise(kind),
            (format, _) => capitalise(format),
        };
        self.blocks.push(field(&w.format, text));
        true
    }

    /// The selected points, in the user's order.
    fn selected_points(&self) -> Vec<&'a Point> {
        let lib: &'a Library = self.lib;
        let day = asof::memo_day(self.pack);
        self.pack
            .selection
            .points
            .iter()
            .filter(|id| asof::keeps(lib, Kind::Point, id, day))
            .filter_map(|id| lib.point(id))
            .collect()
    }

    /// `text` closed by the marks citing `sources` (a PDF links each to its
    /// source), each source recorded as cited by `by`.
    fn cited(&mut self, text: &str, sources: &[String], by: &str) -> Vec<Run> {
        let marks = self.cites.marks(sources, by);
        let text = if marks.is_empty() {
            text.to_owned()
        } else {
            format!("{text} ")
        };
        let mut runs = vec![Run::plain(text)];
        runs.extend(marks);
        runs
    }

    /// A point's topic: the first of its threats the brief selected, else the
    /// first of its partners the brief selected.
    fn topic(&self, p: &Point) -> Topic {
        let sel = &self.pack.selection;
        if let Some(t) = p.threats.iter().find(|t| sel.threats.contains(t)) {
            return Topic::Threat(t.clone());
        }
        if let Some(t) = p.partners.iter().find(|t| sel.partners.contains(t)) {
            return Topic::Partner(t.clone());
        }
        Topic::None
    }

    /// A topic's points, by kind: key messages, defensive lines, background,
    /// press lines, each under a numbered heading.
    fn topic_points(&mut self, topic: &Topic) {
        let points: Vec<&Point> = self
            .selected_points()
            .into_iter()
            .filter(|p| self.topic(p) == *topic)
            .collect();
        for kind in PointKind::ALL {
            let of_kind: Vec<&Point> = points.iter().copied().filter(|p| p.kind == *kind).collect();
            if of_kind.is_empty() {
                continue;
            }
            self.heading(3, self.w.point_kinds.heading(*kind), None);
            for p in of_kind {
                self.point(p);
            }
        }
    }

    fn point(&mut self, p: &Point) {
        let w = self.w;
        let day = asof::memo_day(self.pack);
        self.point_number += 1;
        let number = self.cites.cite(
            &p.source,
            Citer {
                text: format!("{} {}", w.point, self.point_number),
                point: Some(self.point_number),
            },
        );
        let machine = if self.lib.source(&p.source).is_some_and(|s| s.translation) {
            format!(" ({})", w.machine_translation)
        } else {
            String::new()
        };
        let citation = Citation {
            number,
            text: format!(
                "{} [{number}]{machine}: {}",
                w.source,
                editorial::quoted(&p.excerpt, &w.excerpt_open, &w.excerpt_close),
            ),
            attribution: Some(asof::voice(self.lib, p, day, w)),
        };
        if p.kind == PointKind::KeyMessage {
            self.key_messages.push(Placed {
                number: self.point_number,
                section: self.here.clone(),
                text: p.text.clone(),
                position: asof::position(self.lib, p, w),
                dated: asof::dated(self.lib, p, day),
            });
        }
        self.blocks.push(Block::Point {
            number: self.point_number,
            id: p.id.clone(),
            text: asof::point_text(self.lib, p, w),
            citation,
        });
    }

    /// The talking points not placed under a topic (all of them when the
    /// template groups by kind): key messages first, then defensive lines,
    /// background and press lines; within each kind, points grouped by theme in
    /// the order the user picked them. False when there are none to show.
    fn points(&mut self) -> bool {
        let all = self.selected_points();
        if all.is_empty() && !self.by_topic {
            self.none();
            return true;
        }
        let points: Vec<&Point> = all
            .into_iter()
            .filter(|p| !self.by_topic || self.topic(p) == Topic::None)
            .collect();
        if points.is_empty() {
            return false;
        }
        for kind in PointKind::ALL {
            let of_kind: Vec<&Point> = points.iter().copied().filter(|p| p.kind == *kind).collect();
            if of_kind.is_empty() {
                continue;
            }
            self.heading(2, self.w.point_kinds.heading(*kind), None);
            let mut themes: Vec<(String, Vec<&Point>)> = Vec::new();
            for p in of_kind {
                let theme = self.theme(p);
                match themes.iter_mut().find(|(t, _)| *t == theme) {
                    Some((_, list)) => list.push(p),
                    None => themes.push((theme, vec![p])),
                }
            }
            let single = themes.len() == 1;
            for (theme, list) in themes {
                if !single {
                    self.heading(3, &theme, None);
                }
                for p in list {
                    self.point(p);
                }
            }
        }
        true
    }

    /// Writes the latest assessment up to `day`, headed with its date and citing
    /// its source; returns it.
    fn assessment<'l>(
        &mut self,
        assessments: &'l [crate::library::Assessment],
        by: &str,
        day: Option<chrono::NaiveDate>,
    ) -> Option<&'l crate::library::Assessment> {
        let a = asof::assessment(assessments, day)?;
        let mut runs = vec![Run::bold(format!(
            "{}: ",
            fill(&self.w.assessed, &[("date", &a.date.long())])
        ))];
        runs.extend(self.cited(a.text.trim(), std::slice::from_ref(&a.source), by));
        self.blocks.push(Block::Paragraph(runs));
        Some(a)
    }

    /// A point's theme: the first of its threats that the brief selected, else its
    /// first threat, else the general heading.
    fn theme(&self, p: &Point) -> String {
        let sel = &self.pack.selection.threats;
        p.threats
            .iter()
            .find(|t| sel.contains(t))
            .or(p.threats.first())
            .and_then(|id| self.lib.threat(id))
            .map_or_else(|| self.w.general_theme.clone(), |t| t.title.clone())
    }

    /// Writes an annex; false when it would be empty (and so is left out).
    fn annex(&mut self, kind: SectionKind) -> bool {
        let (lib, pack, w) = (self.lib, self.pack, self.w);
        match kind {
            SectionKind::AnnexSources => {
                if self.cites.order.is_empty() {
                    return false;
                }
                let order = self.cites.order.clone();
                for (i, id) in order.iter().enumerate() {
                    let Some(s) = lib.source(id) else { continue };
                    self.blocks.push(Block::Source(SourceEntry {
                        number: i + 1,
                        text: describe_source(s),
                        cited_by_label: w.cited_by.clone(),
                        point_words: [w.point.clone(), w.points.clone()],
                        cited_by: self.cites.cited_by[i].clone(),
                    }));
                }
                true
            }
            SectionKind::AnnexStates => {
                if lib.states.is_empty() {
                    return false;
                }
                let day = asof::memo_day(pack);
                let rows = lib
                    .states
                    .iter()
                    // Members, and those that were: a partner or a non-member (Iran, which
                    // a point mentions) under "Member states" would read as one.
                    .filter(|s| matches!(s.status, StateStatus::Member | StateStatus::FormerMember))
                    // A state the sources first speak of after the memo's date is not in it.
                    .filter(|s| s.assessments.is_empty() || asof::assessment(&s.assessments, day).is_some())
                    .map(|s| {
                        let mut dates = Vec::new();
                        if let Some(j) = s.joined {
                            dates.push(format!("{} {}", w.joined, j.long()));
                        }
                        if let Some(l) = s.left {
                            dates.push(format!("{} {}", w.left, l.long()));
                        }
                        let mut notes = s.summary.clone();
                        if let Some(a) = asof::assessment(&s.assessments, day) {
                            notes.push_str(&format!(" {}: {}", a.date.long(), a.text));
                        }
                        // A status inferred from sources later than the memo is not
                        // known at its date.
                        let later = day.is_some_and(|d| s.assessments.iter().any(|a| a.date.after(d)));
                        // The status column stays a word or two; why the status is
                        // only inferred is read in the notes.
                        let status = match &s.status_note {
                            Some(_) if later => w.not_given.clone(),
                            Some(n) => {
                                notes.push_str(&format!(" {}", n.trim()));
                                format!("{} ({})", s.status.label(), w.inferred)
                            }
                            None => s.status.label().to_owned(),
                        };
                        vec![s.name.clone(), status, dates.join("; "), notes]
                    })
                    .collect();
                self.blocks
                    .push(table(vec![3, 2, 3, 8], w.states_columns.to_vec(), rows));
                true
            }
            SectionKind::AnnexPeople => {
                let day = asof::memo_day(pack);
                let people: Vec<_> = pack
                    .selection
                    .people
                    .iter()
                    .filter(|id| asof::keeps(lib, Kind::Person, id, day))
                    .filter_map(|id| lib.person(id))
                    .collect();
                if people.is_empty() {
                    return false;
                }
                for p in people {
                    self.blocks.push(Block::Heading {
                        level: 2,
                        text: p.name.clone(),
                        new_page: false,
                        item: Some(p.id.clone()),
                    });
                    let mut role = format!("{}, {}", p.role, p.organisation);
                    // The period is attested by all the person's sources, so a memo
                    // older than any of them cannot state it.
                    let attested = asof::citable(lib, &p.sources, day).len() == p.sources.len();
                    if let Some(period) = p.period.as_ref().filter(|_| attested) {
                        role.push_str(&format!(" ({period})"));
                    }
                    self.blocks.push(Block::Paragraph(vec![Run::italic(role)]));
                    if p.assessments.is_empty() {
                        let runs = self.cited(p.summary.trim(), &p.sources, &p.name);
                        self.blocks.push(Block::Paragraph(runs));
                        continue;
                    }
                    let mut runs = vec![Run::plain(p.summary.trim().to_owned())];
                    for e in asof::entries(&p.assessments, day) {
                        let entry = format!(" {}: {}", e.date.long(), e.text.trim());
                        runs.extend(self.cited(&entry, std::slice::from_ref(&e.source), &p.name));
                    }
                    self.blocks.push(Block::Paragraph(runs));
                }
                true
            }
            _ => false,
        }
    }
}

/// A table without the columns no row fills.
fn table(widths: Vec<usize>, header: Vec<String>, rows: Vec<Vec<String>>) -> Block {
    let keep: Vec<bool> = (0..header.len())
        .map(|i| {
            rows.iter()
                .any(|r| r.get(i).is_some_and(|c| !c.trim().is_empty()))
        })
        .collect();
    let pick = |v: Vec<String>| -> Vec<String> {
        v.into_iter()
            .enumerate()
            .filter(|(i, _)| keep.get(*i).copied().unwrap_or(false))
            .map(|(_, c)| c)
            .collect()
    };
    Block::Table {
        widths: widths
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep.get(*i).copied().unwrap_or(false))
            .map(|(_, w)| w)
            .collect(),
        header: pick(header),
        rows: rows.into_iter().map(pick).collect(),
    }
}

/// "Nikolai Bordyuzha (CSTO Secretary General), “Title”, speech, Moscow, 18 December 2008. Publisher."
pub(crate) fn describe_source(s: &Source) -> String {
    let mut out = s.author.clone();
    if let Some(role) = &s.author_role {
        out.push_str(&format!(" ({role})"));
    }
    out.push_str(&format!(
        ", {}, {}",
        editorial::quoted(&s.title, "“", "”"),
        s.kind.label()
    ));
    if let Some(place) = &s.place {
        out.push_str(&format!(", {place}"));
    }
    if s.estimated {
        out.push_str(&format!(", c. {}", s.date.long()));
    } else {
        out.push_str(&format!(", {}", s.date.long()));
    }
    if s.translation {
        out.push_str(&format!(" (translated from {})", s.language));
    }
    out.push_str(&format!(". {}.", s.origin));
    out
}

/// `text` with its first letter in capitals, as a field's value or a message starts.
pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}
