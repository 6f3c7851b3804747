//! Library + Pack + Template -> Document. Pure: no I/O, no clock, no formatting
//! decisions beyond what the template says.

pub mod asof;
mod document;

pub use document::*;

use crate::library::{long_date, Kind, Library, Point, PointKind, Source};
use crate::pack::{MemoStatus, Pack};
use crate::template::{fill, SectionKind, Template, Wording};

/// Sources in order of first citation, with what cites each.
#[derive(Default)]
struct Citations {
    order: Vec<String>,
    cited_by: Vec<Vec<String>>,
}

impl Citations {
    fn cite(&mut self, source: &str, by: String) -> usize {
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

    fn marks(&mut self, sources: &[String], by: &str) -> String {
        let nums: Vec<String> = sources
            .iter()
            .map(|s| format!("[{}]", self.cite(s, by.to_owned())))
            .collect();
        nums.join("")
    }
}

struct Composer<'a> {
    lib: &'a Library,
    pack: &'a Pack,
    w: &'a Wording,
    cites: Citations,
    blocks: Vec<Block>,
    point_number: usize,
}

/// Builds the memo. Ids the library does not hold are skipped (packs are
/// validated on load; this keeps compose total for any input).
pub fn compose(lib: &Library, pack: &Pack, template: &Template) -> Document {
    let w = &template.wording;
    let mut c = Composer {
        lib,
        pack,
        w,
        cites: Citations::default(),
        blocks: Vec::new(),
        point_number: 0,
    };
    let mut section_no = 0;
    let mut annex_no = 0u8;
    // Annexes list what the body cited, so the body is composed first and the
    // annexes after, whatever order the template gives them in.
    let mut annexes = Vec::new();
    for section in &template.sections {
        if section.kind.is_annex() {
            annexes.push(section);
            continue;
        }
        section_no += 1;
        c.blocks.push(Block::Heading {
            level: 1,
            text: format!("{section_no}. {}", section.heading),
            new_page: false,
            item: None,
        });
        c.section(section.kind);
    }
    for section in annexes {
        let before = c.blocks.len();
        let letter = (b'A' + annex_no.min(25)) as char;
        c.blocks.push(Block::Heading {
            level: 1,
            text: format!("Annex {letter}. {}", section.heading),
            new_page: true,
            item: None,
        });
        if c.annex(section.kind) {
            annex_no += 1;
        } else {
            c.blocks.truncate(before);
        }
    }
    Document {
        meta: meta(lib, pack, w),
        title_block: title_block(pack, w),
        blocks: c.blocks,
    }
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

fn meta(lib: &Library, pack: &Pack, w: &Wording) -> Meta {
    let m = &pack.memo;
    let mt = &pack.meeting;
    let subject = [mt.title.as_str(), mt.place.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .chain(mt.date.map(long_date))
        .collect::<Vec<_>>()
        .join(", ");
    Meta {
        title: if mt.title.is_empty() {
            w.title.clone()
        } else {
            format!("{}: {}", w.title, mt.title)
        },
        author: m.from.clone(),
        subject,
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
    TitleBlock {
        title: w.title.clone(),
        subtitle: w.subtitle.clone(),
        fields: vec![
            (w.reference.clone(), or_not_given(&m.reference, w)),
            (w.date.clone(), date_or(m.date, w)),
            (w.to.clone(), or_not_given(&m.to, w)),
            (w.from.clone(), or_not_given(&m.from, w)),
            (w.meeting.clone(), meeting),
            (w.place.clone(), or_not_given(&mt.place, w)),
            (w.meeting_date.clone(), date_or(mt.date, w)),
            (w.marking.clone(), or_not_given(&m.marking, w)),
        ],
        distribution_label: w.distribution.clone(),
        distribution: m.distribution.clone(),
        copy: fill(
            &w.copy,
            &[("copy", &m.copy.to_string()), ("copies", &copies.to_string())],
        ),
    }
}

fn field(label: &str, value: impl Into<String>) -> Block {
    Block::Paragraph(vec![Run::bold(format!("{label}: ")), Run::plain(value)])
}

impl Composer<'_> {
    fn none(&mut self) {
        self.blocks.push(Block::Note(self.w.none_selected.clone()));
    }

    fn texts(&mut self, items: &[String]) {
        let items: Vec<Vec<Run>> = items
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| vec![Run::plain(s.clone())])
            .collect();
        if items.is_empty() {
            self.none();
        } else {
            self.blocks.push(Block::Bullets(items));
        }
    }

    fn section(&mut self, kind: SectionKind) {
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
                let format = [pack.meeting.kind.trim(), m.format.trim()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>();
                if !format.is_empty() {
                    self.blocks.push(field(&w.format, format.join("; ")));
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
                    self.blocks.push(Block::Heading {
                        level: 2,
                        text: t.title.clone(),
                        new_page: false,
                        item: Some(t.id.clone()),
                    });
                    if t.assessments.is_empty() {
                        let cited = asof::citable(lib, &t.sources, day);
                        let marks = self.cites.marks(&cited, &t.title);
                        self.blocks.push(Block::Paragraph(vec![Run::plain(format!(
                            "{} {marks}",
                            t.summary
                        ))]));
                        let trend = match &t.trend_note {
                            Some(n) => format!("{} — {n}", t.trend.label()),
                            None => t.trend.label().to_owned(),
                        };
                        self.blocks.push(field(&w.trend, trend));
                    } else {
                        self.blocks
                            .push(Block::Paragraph(vec![Run::plain(t.summary.clone())]));
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
                    self.blocks.push(Block::Heading {
                        level: 2,
                        text: name.clone(),
                        new_page: false,
                        item: Some(p.id.clone()),
                    });
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
                        let marks = self.cites.marks(&cited, &name);
                        self.blocks.push(Block::Paragraph(vec![Run::plain(format!(
                            "{} {marks}",
                            p.summary
                        ))]));
                        p.next_steps.as_slice()
                    } else {
                        self.blocks
                            .push(Block::Paragraph(vec![Run::plain(p.summary.clone())]));
                        self.assessment(&p.assessments, &name, day)
                            .map_or(&[][..], |a| a.next_steps.as_slice())
                    };
                    if !p.areas.is_empty() {
                        self.blocks.push(field(&w.areas, p.areas.join("; ")));
                    }
                    if !next_steps.is_empty() {
                        self.blocks
                            .push(Block::Paragraph(vec![Run::bold(format!("{}:", w.next_steps))]));
                        self.blocks.push(Block::Bullets(
                            next_steps.iter().map(|s| vec![Run::plain(s.clone())]).collect(),
                        ));
                    }
                }
            }
            SectionKind::Points => self.points(),
            SectionKind::AnnexSources | SectionKind::AnnexStates | SectionKind::AnnexPeople => {}
        }
    }

    /// Key messages first, then defensive lines, background and press lines; within
    /// each kind, points grouped by theme in the order the user picked them.
    fn points(&mut self) {
        let (lib, pack, w) = (self.lib, self.pack, self.w);
        let day = asof::memo_day(pack);
        let points: Vec<&Point> = pack
            .selection
            .points
            .iter()
            .filter(|id| asof::keeps(lib, Kind::Point, id, day))
            .filter_map(|id| lib.point(id))
            .collect();
        if points.is_empty() {
            self.none();
            return;
        }
        for kind in PointKind::ALL {
            let of_kind: Vec<&Point> = points.iter().copied().filter(|p| p.kind == *kind).collect();
            if of_kind.is_empty() {
                continue;
            }
            self.blocks.push(Block::Heading {
                level: 2,
                text: w.point_kinds.heading(*kind).to_owned(),
                new_page: false,
                item: None,
            });
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
                    self.blocks.push(Block::Heading {
                        level: 3,
                        text: theme,
                        new_page: false,
                        item: None,
                    });
                }
                for p in list {
                    self.point_number += 1;
                    let number = self
                        .cites
                        .cite(&p.source, format!("{} {}", w.point, self.point_number));
                    let citation = Citation {
                        number,
                        text: format!(
                            "{} [{number}] ({}): {}{}{}",
                            w.source,
                            asof::voice(lib, p, day, w),
                            w.excerpt_open,
                            p.excerpt.trim(),
                            w.excerpt_close
                        ),
                    };
                    self.blocks.push(Block::Point {
                        number: self.point_number,
                        id: p.id.clone(),
                        text: asof::point_text(lib, p, w),
                        citation,
                    });
                }
            }
        }
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
        let mark = self.cites.marks(std::slice::from_ref(&a.source), by);
        self.blocks.push(Block::Paragraph(vec![
            Run::bold(format!(
                "{}: ",
                fill(&self.w.assessed, &[("date", &a.date.long())])
            )),
            Run::plain(format!("{} {mark}", a.text)),
        ]));
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
                    self.blocks.push(Block::Paragraph(vec![
                        Run::bold(format!("[{}] ", i + 1)),
                        Run::plain(describe_source(s)),
                    ]));
                    let by = self.cites.cited_by[i].join(", ");
                    self.blocks.push(Block::Note(format!("{}: {by}", w.cited_by)));
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
                        let status = match &s.status_note {
                            Some(_) if later => w.not_given.clone(),
                            Some(n) => format!("{} ({n})", s.status.label()),
                            None => s.status.label().to_owned(),
                        };
                        vec![s.name.clone(), status, dates.join("; "), notes]
                    })
                    .collect();
                self.blocks.push(Block::Table {
                    widths: vec![3, 2, 3, 8],
                    header: w.states_columns.to_vec(),
                    rows,
                });
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
                        let marks = self.cites.marks(&p.sources, &p.name);
                        self.blocks.push(Block::Paragraph(vec![Run::plain(format!(
                            "{} {marks}",
                            p.summary
                        ))]));
                        continue;
                    }
                    let mut text = p.summary.clone();
                    for e in asof::entries(&p.assessments, day) {
                        let mark = self.cites.marks(std::slice::from_ref(&e.source), &p.name);
                        text.push_str(&format!(" {}: {} {mark}", e.date.long(), e.text));
                    }
                    self.blocks.push(Block::Paragraph(vec![Run::plain(text)]));
                }
                true
            }
            _ => false,
        }
    }
}

/// "Nikolai Bordyuzha (CSTO Secretary General), “Title”, speech, Moscow, 18 December 2008. Publisher."
pub fn describe_source(s: &Source) -> String {
    let mut out = s.author.clone();
    if let Some(role) = &s.author_role {
        out.push_str(&format!(" ({role})"));
    }
    out.push_str(&format!(", “{}”, {}", s.title, s.kind.label()));
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
