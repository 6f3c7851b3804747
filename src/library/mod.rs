//! The curated library: loading, validation and queries.

pub mod age;
mod load;
pub(crate) mod model;
mod parts;
mod plain;
mod verify;
mod voice;

pub(crate) use age::Settings;
pub(crate) use load::is_kebab_id;
// For the `plain_reader` fuzz target only; see its doc comment.
#[doc(hidden)]
pub use load::plain_and_full;
pub use model::*;
pub use verify::{is_inside, source_text, squash_ws};

use crate::diag::Diagnostic;
use anyhow::{bail, Result};
use load::{Def, Loaded, Loader};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The library's files as compiled into the binary.
const EMBEDDED: [(Kind, &str); 9] = [
    (Kind::Source, include_str!("../../data/sources.toml")),
    (Kind::Threat, include_str!("../../data/threats.toml")),
    (Kind::Partner, include_str!("../../data/partners.toml")),
    (Kind::Point, include_str!("../../data/points.toml")),
    (Kind::State, include_str!("../../data/states.toml")),
    (Kind::Operation, include_str!("../../data/operations.toml")),
    (Kind::Organ, include_str!("../../data/organs.toml")),
    (Kind::Person, include_str!("../../data/people.toml")),
    (Kind::Meeting, include_str!("../../data/meetings.toml")),
];

/// The library's settings as compiled into the binary.
const EMBEDDED_SETTINGS: &str = include_str!("../../data/library.toml");

/// The settings file's name in a library directory; it may be absent.
pub(crate) const SETTINGS_FILE: &str = "library.toml";

/// Where the library comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataSource {
    Embedded,
    Dir(PathBuf),
}

impl DataSource {
    /// A directory if one is given (`--data` or `BRIEFPACK_DATA`), else the embedded library.
    pub fn from_option(dir: Option<PathBuf>) -> DataSource {
        match dir {
            Some(d) if !d.as_os_str().is_empty() => DataSource::Dir(d),
            _ => DataSource::Embedded,
        }
    }

    /// How a file of this source is named in messages.
    pub(crate) fn display_file(&self, kind: Kind) -> String {
        match self {
            DataSource::Embedded => format!("embedded:{}", kind.file_name()),
            DataSource::Dir(d) => d.join(kind.file_name()).display().to_string(),
        }
    }

    /// The text of the library's `kind` file as one file (`None` when it is
    /// missing or split into parts), and the name to report it by.
    pub(crate) fn file_text(&self, kind: Kind) -> Option<(String, String)> {
        let text = match self {
            DataSource::Embedded => EMBEDDED.iter().find(|(k, _)| *k == kind)?.1.to_owned(),
            DataSource::Dir(d) => crate::input::read_text(
                &d.join(kind.file_name()),
                crate::input::LIBRARY_FILE,
                "library file",
            )
            .ok()?,
        };
        Some((self.display_file(kind), text))
    }

    /// The directory the files live in, if they are on disk.
    pub(crate) fn dir(&self) -> Option<&Path> {
        match self {
            DataSource::Embedded => None,
            DataSource::Dir(d) => Some(d),
        }
    }
}

/// The validated library and its indexes.
#[derive(Debug, Default)]
pub struct Library {
    pub sources: Vec<Source>,
    pub threats: Vec<Threat>,
    pub partners: Vec<Partner>,
    pub points: Vec<Point>,
    pub states: Vec<State>,
    pub operations: Vec<Operation>,
    pub organs: Vec<Organ>,
    pub people: Vec<Person>,
    pub meetings: Vec<Meeting>,
    pub settings: Settings,
    /// For each kind (`Kind as usize`), the positions of its records sorted by id
    /// and, among equal ids, by position: a lookup is a binary search, and no id
    /// is copied, which matters for a library of 100,000 points.
    index: [Vec<usize>; Kind::ALL.len()],
    points_of_threat: HashMap<String, Vec<usize>>,
    points_of_partner: HashMap<String, Vec<usize>>,
    /// Where each point's excerpt is (file, place), in the order of `points`.
    excerpts: Vec<(std::sync::Arc<str>, crate::diag::LineCol)>,
}

/// A library with every problem found while loading it.
pub struct Checked {
    pub library: Library,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The library, or an error quoting the first problems when it has any.
    pub fn into_valid(self) -> Result<Library> {
        let errors: Vec<&Diagnostic> = self.diagnostics.iter().filter(|d| d.is_error()).collect();
        if errors.is_empty() {
            return Ok(self.library);
        }
        let mut msg = format!(
            "the library has {} problem{}; run `briefpack check` for all of them",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        );
        for d in errors.iter().take(5) {
            msg.push_str(&format!("\n  {d}"));
        }
        bail!(msg)
    }
}

impl Library {
    /// Loads and validates a library, collecting every problem rather than stopping
    /// at the first. Only an unreadable directory is an `Err`.
    pub fn load(source: &DataSource) -> Result<Checked> {
        Library::load_with(source, &[])
    }

    /// Loads a library as `load` does, but with some files' texts given instead of
    /// read: how an edit or a new record is checked before it is written.
    pub(crate) fn load_with(source: &DataSource, replaced: &[(Kind, &str)]) -> Result<Checked> {
        let mut loader = Loader::default();
        for (kind, embedded) in EMBEDDED {
            let file = source.display_file(kind);
            if let Some((_, text)) = replaced.iter().find(|(k, _)| *k == kind) {
                loader.text(kind, &file, text);
                continue;
            }
            match source.dir() {
                None => loader.text(kind, &file, embedded),
                Some(dir) => match parts::open(&dir.join(kind.file_name()), kind) {
                    Ok(Some(reading)) => loader.reading(kind, &file, reading),
                    Ok(None) if !kind.required() => {}
                    Ok(None) => loader.problem(&file, "file is missing"),
                    Err(e) => loader.problem(&file, format!("{e:#}")),
                },
            }
        }
        if let Some(dir) = source.dir() {
            if !dir.is_dir() {
                bail!(
                    "data directory {} does not exist or is not a directory",
                    dir.display()
                );
            }
        }
        let mut checked = Library::from_loaded(loader.loaded);
        let settings = match source.dir() {
            None => Some((format!("embedded:{SETTINGS_FILE}"), EMBEDDED_SETTINGS.to_owned())),
            Some(dir) => {
                let path = dir.join(SETTINGS_FILE);
                // Missing settings are the defaults; anything else must read
                // like every other library file (no FIFO, no endless device).
                if std::fs::metadata(&path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
                    None
                } else {
                    match crate::input::read_text(&path, crate::input::LIBRARY_FILE, "library file") {
                        Ok(text) => Some((path.display().to_string(), text)),
                        Err(e) => {
                            checked.diagnostics.push(Diagnostic::error(
                                &path.display().to_string(),
                                None,
                                format!("{e:#}"),
                            ));
                            None
                        }
                    }
                }
            }
        };
        if let Some((file, text)) = settings {
            let (settings, diags) = Settings::parse(&file, &text);
            checked.library.settings = settings;
            checked.diagnostics.extend(diags);
        }
        Ok(checked)
    }

    /// The library compiled into the binary.
    pub fn embedded() -> Result<Library> {
        Library::load(&DataSource::Embedded)?.into_valid()
    }

    /// Builds a library from file texts, as if read from a directory (for tests and tools).
    pub fn from_texts(files: &[(Kind, &str)]) -> Checked {
        let mut loader = Loader::default();
        for (kind, text) in files {
            loader.text(*kind, &kind.file_name(), text);
        }
        Library::from_loaded(loader.loaded)
    }

    fn from_loaded(mut l: Loaded) -> Checked {
        let mut diags = std::mem::take(&mut l.diags);
        let defs = std::mem::take(&mut l.defs);
        let refs = std::mem::take(&mut l.refs);
        let mut lib = Library {
            sources: l.sources,
            threats: l.threats,
            partners: l.partners,
            points: l.points,
            states: l.states,
            operations: l.operations,
            organs: l.organs,
            people: l.people,
            meetings: l.meetings,
            excerpts: l.excerpts,
            ..Library::default()
        };
        lib.reindex();

        // Each kind's definitions are in the order of its records, and the index
        // puts equal ids next to each other, the first defined first.
        let mut places: [Vec<&Def>; Kind::ALL.len()] = Default::default();
        for d in &defs {
            places[d.kind as usize].push(d);
        }
        for kind in Kind::ALL {
            let places = &places[kind as usize];
            debug_assert_eq!(places.len(), lib.count(kind), "one definition per record");
            let mut first: Option<usize> = None;
            for &i in &lib.index[kind as usize] {
                let id = lib.id_at(kind, i);
                match first {
                    Some(f) if lib.id_at(kind, f) == id => {
                        if let (Some(d), Some(f)) = (places.get(i), places.get(f)) {
                            diags.push(Diagnostic::error(
                                &d.file,
                                Some(d.pos),
                                format!(
                                    "duplicate {} id `{id}` (first defined at {}:{}:{})",
                                    kind.singular(),
                                    f.file,
                                    f.pos.line,
                                    f.pos.col
                                ),
                            ));
                        }
                    }
                    _ => first = Some(i),
                }
            }
        }
        for part in &refs {
            for kind in Kind::ALL {
                for (id, places) in &part.by_kind[kind as usize] {
                    if lib.contains(kind, id) {
                        continue;
                    }
                    for &pos in places {
                        diags.push(Diagnostic::error(
                            &part.file,
                            Some(pos),
                            format!("unknown {} id `{id}`", kind.singular()),
                        ));
                    }
                }
            }
        }
        for part in &refs {
            for (id, places) in &part.speakers {
                if [Kind::Person, Kind::State, Kind::Organ]
                    .iter()
                    .any(|&k| lib.contains(k, id))
                {
                    continue;
                }
                for &pos in places {
                    diags.push(Diagnostic::error(
                        &part.file,
                        Some(pos),
                        format!("unknown speaker `{id}`: not a person, member state or organ in the library"),
                    ));
                }
            }
        }
        diags.sort_by(|a, b| (&a.file, a.pos).cmp(&(&b.file, b.pos)));
        Checked {
            library: lib,
            diagnostics: diags,
        }
    }

    /// Rebuilds the id and link indexes after the records changed.
    pub fn reindex(&mut self) {
        let index = Kind::ALL.map(|kind| {
            // Sorting the ids beside their positions, rather than positions
            // that look their ids up, keeps each comparison to two strings.
            let mut order: Vec<(&str, usize)> =
                (0..self.count(kind)).map(|i| (self.id_at(kind, i), i)).collect();
            order.sort_unstable();
            order.into_iter().map(|(_, i)| i).collect()
        });
        self.index = index;
        self.points_of_threat.clear();
        self.points_of_partner.clear();
        for (i, p) in self.points.iter().enumerate() {
            link(&mut self.points_of_threat, &p.threats, i);
            link(&mut self.points_of_partner, &p.partners, i);
        }
    }

    /// The id of the record of a kind at a position ("" past the end, which a
    /// stale index could ask for).
    fn id_at(&self, kind: Kind, i: usize) -> &str {
        fn id<T>(records: &[T], i: usize, id: fn(&T) -> &str) -> &str {
            records.get(i).map_or("", id)
        }
        match kind {
            Kind::Source => id(&self.sources, i, |r| &r.id),
            Kind::Threat => id(&self.threats, i, |r| &r.id),
            Kind::Partner => id(&self.partners, i, |r| &r.id),
            Kind::Point => id(&self.points, i, |r| &r.id),
            Kind::State => id(&self.states, i, |r| &r.id),
            Kind::Operation => id(&self.operations, i, |r| &r.id),
            Kind::Organ => id(&self.organs, i, |r| &r.id),
            Kind::Person => id(&self.people, i, |r| &r.id),
            Kind::Meeting => id(&self.meetings, i, |r| &r.id),
        }
    }

    fn position(&self, kind: Kind, id: &str) -> Option<usize> {
        let order = &self.index[kind as usize];
        let at = order.partition_point(|&i| self.id_at(kind, i) < id);
        order.get(at).copied().filter(|&i| self.id_at(kind, i) == id)
    }

    pub fn contains(&self, kind: Kind, id: &str) -> bool {
        self.position(kind, id).is_some()
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.position(Kind::Source, id).map(|i| &self.sources[i])
    }
    pub(crate) fn threat(&self, id: &str) -> Option<&Threat> {
        self.position(Kind::Threat, id).map(|i| &self.threats[i])
    }
    pub(crate) fn partner(&self, id: &str) -> Option<&Partner> {
        self.position(Kind::Partner, id).map(|i| &self.partners[i])
    }
    pub fn point(&self, id: &str) -> Option<&Point> {
        self.position(Kind::Point, id).map(|i| &self.points[i])
    }
    pub(crate) fn state(&self, id: &str) -> Option<&State> {
        self.position(Kind::State, id).map(|i| &self.states[i])
    }
    pub(crate) fn operation(&self, id: &str) -> Option<&Operation> {
        self.position(Kind::Operation, id).map(|i| &self.operations[i])
    }
    pub(crate) fn organ(&self, id: &str) -> Option<&Organ> {
        self.position(Kind::Organ, id).map(|i| &self.organs[i])
    }
    pub(crate) fn person(&self, id: &str) -> Option<&Person> {
        self.position(Kind::Person, id).map(|i| &self.people[i])
    }

    /// Points linked to a threat, in library order.
    pub fn points_of_threat(&self, threat: &str) -> impl Iterator<Item = &Point> {
        self.linked(&self.points_of_threat, threat)
    }

    /// Points linked to a partner, in library order.
    pub fn points_of_partner(&self, partner: &str) -> impl Iterator<Item = &Point> {
        self.linked(&self.points_of_partner, partner)
    }

    fn linked<'a>(
        &'a self,
        map: &'a HashMap<String, Vec<usize>>,
        id: &str,
    ) -> impl Iterator<Item = &'a Point> {
        map.get(id).into_iter().flatten().map(|&i| &self.points[i])
    }

    /// Positions in `points` of the points linked to any of the given threats or
    /// partners, ascending, each once: what a brief on those threats and partners
    /// can draw on.
    pub(crate) fn linked_point_indices(&self, threats: &[String], partners: &[String]) -> Vec<usize> {
        let mut hit: Vec<usize> = threats
            .iter()
            .filter_map(|t| self.points_of_threat.get(t))
            .chain(partners.iter().filter_map(|p| self.points_of_partner.get(p)))
            .flatten()
            .copied()
            .collect();
        hit.sort_unstable();
        hit.dedup();
        hit
    }

    /// Every tag used by a point, sorted, each once.
    pub(crate) fn point_tags(&self) -> Vec<&str> {
        let mut tags: Vec<&str> = self
            .points
            .iter()
            .flat_map(|p| p.tags.iter().map(String::as_str))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        tags
    }

    /// Partners linked to a threat through the points they share.
    pub fn partners_of_threat(&self, threat: &str) -> Vec<&Partner> {
        let mut seen = HashSet::new();
        self.points_of_threat(threat)
            .flat_map(|p| p.partners.iter())
            .filter(|id| seen.insert(id.as_str()))
            .filter_map(|id| self.partner(id))
            .collect()
    }

    /// Number of records of a kind.
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Source => self.sources.len(),
            Kind::Threat => self.threats.len(),
            Kind::Partner => self.partners.len(),
            Kind::Point => self.points.len(),
            Kind::State => self.states.len(),
            Kind::Operation => self.operations.len(),
            Kind::Organ => self.organs.len(),
            Kind::Person => self.people.len(),
            Kind::Meeting => self.meetings.len(),
        }
    }

    /// Points whose review is dated after `today`, one error each at the point:
    /// such a date would keep a point from coming due for review for ever.
    /// `today` comes from the caller (the clock, at the edge).
    /// `points_file` names the points file in the messages.
    pub(crate) fn future_reviews(&self, today: chrono::NaiveDate, points_file: &str) -> Vec<Diagnostic> {
        self.points
            .iter()
            .filter_map(|p| {
                let day = p.reviewed.filter(|d| *d > today)?;
                let at = crate::diag::LineCol { line: p.at.line, col: 1 };
                Some(Diagnostic::error(
                    points_file,
                    Some(at),
                    format!(
                        "point `{}` is marked reviewed on {day}, a date in the future; a review is dated the day it was done",
                        p.id
                    ),
                ))
            })
            .collect()
    }

    /// Checks that every excerpt occurs verbatim (whitespace-insensitive) in its
    /// source's file under `dir`. Returns one diagnostic per excerpt not found.
    pub(crate) fn verify_excerpts(&self, dir: &Path) -> Vec<Diagnostic> {
        verify::verify_excerpts(self, &self.excerpts, dir)
    }
}

/// Records that point `i` links to `ids`, once per id however often it names it.
fn link(map: &mut HashMap<String, Vec<usize>>, ids: &[String], i: usize) {
    for id in ids {
        match map.get_mut(id.as_str()) {
            // A point's positions are added all at once, so one named twice is last.
            Some(points) if points.last() == Some(&i) => {}
            Some(points) => points.push(i),
            None => {
                map.insert(id.clone(), vec![i]);
            }
        }
    }
}

/// The small library in tests/fixtures/lib that unit tests across the crate use.
#[cfg(test)]
pub(crate) fn fixture_library() -> Library {
    fixture_library_with_points("")
}

/// The fixture library with `more` (`[[points]]` tables) after its own points.
#[cfg(test)]
pub(crate) fn fixture_library_with_points(more: &str) -> Library {
    let points = format!("{}\n{more}", include_str!("../../tests/fixtures/lib/points.toml"));
    let checked = Library::from_texts(&[
        (
            Kind::Source,
            include_str!("../../tests/fixtures/lib/sources.toml"),
        ),
        (
            Kind::Threat,
            include_str!("../../tests/fixtures/lib/threats.toml"),
        ),
        (
            Kind::Partner,
            include_str!("../../tests/fixtures/lib/partners.toml"),
        ),
        (Kind::Point, &points),
    ]);
    assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
    checked.library
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Library {
        fixture_library()
    }

    #[test]
    fn points_linked_to_threats_and_partners_once_in_library_order() {
        let lib = fixture();
        let ids = |v: Vec<usize>| {
            v.into_iter()
                .map(|i| lib.points[i].id.clone())
                .collect::<Vec<_>>()
        };
        let t = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            ids(lib.linked_point_indices(&t(&["terrorism"]), &[])),
            ["terror-toolkit", "old-line"]
        );
        assert_eq!(
            ids(lib.linked_point_indices(&t(&["drug-trafficking"]), &t(&["un", "sco"]))),
            ["channel-permanent", "un-observer"]
        );
        assert!(lib.linked_point_indices(&[], &[]).is_empty());
    }

    #[test]
    fn point_tags_are_sorted_and_unique() {
        assert_eq!(
            fixture().point_tags(),
            ["cyber", "drugs", "operations", "partners", "press", "terrorism"]
        );
    }
}
