//! Drafts: every change to the pack being edited, on disk within a second, so a
//! dropped SSH link, a killed process or a panic never loses work.
//!
//! One draft per pack and per session (one running interface), in the user's state
//! directory (`$XDG_STATE_HOME/briefpack/`, else `~/.local/state/briefpack/`),
//! directory mode 0700 and files 0600 because the servers are shared and packs may
//! be restricted. A draft is keyed by the pack's canonical path, or by a new-pack id
//! when the pack was never saved, and named for its session too: two interfaces on
//! one pack each keep their own draft, and a save removes only its own session's.
//! A draft holds the pack's TOML exactly as `Pack::to_toml` writes it, the pack file
//! as the session read it (the base a later merge starts from), the field being
//! typed, when it was saved, by whom, and a summary for listings.
//!
//! The terminal interface uses `DraftWriter` (call `changed` on every edit, `tick` on
//! every turn of the event loop, `flush` on exit, signal and panic); the command
//! line uses `Store` through `briefpack drafts`.

use crate::pack::Pack;
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest a change waits before it is written: well inside the promised second,
/// and long enough that a burst of keystrokes is one write, not one per key.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(500);

/// Which pack a draft belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftKey {
    /// A pack that has a file: its canonical path.
    Pack(PathBuf),
    /// A pack never saved: an id made when it was created (see `DraftKey::new_pack`).
    New(String),
}

impl DraftKey {
    /// The key of the pack at `path`, which need not exist yet.
    pub fn for_path(path: &Path) -> DraftKey {
        DraftKey::Pack(canonical(path))
    }

    /// A fresh key for a pack never saved, unique to this moment and process.
    pub(crate) fn new_pack() -> DraftKey {
        let now = Utc::now();
        DraftKey::New(format!(
            "{}-{}",
            now.format("%Y%m%dT%H%M%S%.3f").to_string().replace('.', ""),
            std::process::id()
        ))
    }

    /// The start of the draft files' names: readable for people, unique to the pack.
    fn stem(&self) -> String {
        match self {
            DraftKey::Pack(p) => {
                let stem = p.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
                let stem: String = stem
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .take(40)
                    .collect();
                format!("pack-{stem}-{:016x}", fnv1a(p.to_string_lossy().as_bytes()))
            }
            DraftKey::New(id) => {
                let id: String = id
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .take(60)
                    .collect();
                format!("new-{id}")
            }
        }
    }
}

/// One running interface. Its drafts are its own: two sessions on one pack never
/// overwrite or remove each other's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Session {
    /// Unique to this moment and process; part of the draft's file name.
    pub id: String,
    /// Who is working: the login name, for the restore offer's "who".
    pub user: String,
    pub pid: u32,
}

impl Session {
    /// A new session of this process, distinct from every other (a counter tells
    /// apart two started in the same millisecond, as tests do).
    pub(crate) fn start() -> Session {
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let pid = std::process::id();
        let stamp = Utc::now()
            .format("%Y%m%dT%H%M%S%.3f")
            .to_string()
            .replace('.', "");
        Session {
            id: format!("{stamp}-{pid}-{n}"),
            user: login_name(),
            pid,
        }
    }

    /// The session `Store::save` writes under: one for the whole process, so a
    /// tool saving the same pack twice replaces its draft.
    fn of_process() -> &'static Session {
        static ONE: std::sync::OnceLock<Session> = std::sync::OnceLock::new();
        ONE.get_or_init(Session::start)
    }

    fn file_part(&self) -> String {
        self.id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(60)
            .collect()
    }
}

/// The login name as the environment gives it; drafts are private to the user, so
/// this only tells one's own sessions apart from a colleague's on a shared account.
fn login_name() -> String {
    login_from(|v| std::env::var(v).ok())
}

/// `login_name` with the environment as a function, so tests need not change it.
fn login_from(var: impl Fn(&str) -> Option<String>) -> String {
    ["USER", "LOGNAME"]
        .iter()
        .find_map(|v| var(v).filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "unknown user".to_owned())
}

/// Text being typed when the draft was written, not yet part of the pack: a header
/// field, a point's text in the review editor, the new-point form. On restore the
/// interface reopens it with the text and the cursor where they were.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Typing {
    pub place: TypingPlace,
    /// The header field's key (`Field::key`), or the point's id; empty for a new point.
    #[serde(default)]
    pub target: String,
    /// The text of each input: one for a field, the form's inputs in its order.
    pub texts: Vec<String>,
    /// Which input has the cursor, and where in it (in characters).
    #[serde(default)]
    pub focus: usize,
    #[serde(default)]
    pub cursor: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TypingPlace {
    Header,
    PointText,
    NewPoint,
    /// A one-line question about a point on the review screen: the target is
    /// `retire ID`, `tags ID` or `links ID`.
    Question,
}

impl Typing {
    /// "typing in Purpose", for listings.
    pub(crate) fn describe(&self) -> String {
        match self.place {
            TypingPlace::Header => format!(
                "typing in {}",
                crate::pack::Field::from_key(&self.target).map_or("a header field", |f| f.label())
            ),
            TypingPlace::PointText => format!("editing the text of point `{}`", self.target),
            TypingPlace::NewPoint => "typing a new point".to_owned(),
            TypingPlace::Question => match self.target.rsplit_once(' ') {
                Some((what, point)) => format!("typing the {what} of point `{point}`"),
                None => "typing on the review screen".to_owned(),
            },
        }
    }
}

/// The path made absolute and resolved as far as it exists, so `./a.toml` and
/// `/srv/briefs/a.toml` share one draft. A file not yet created resolves through
/// its directory.
fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(path) {
        return p;
    }
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |d| d.join(path))
    };
    match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => fs::canonicalize(dir).map_or(abs.clone(), |d| d.join(name)),
        _ => abs,
    }
}

/// FNV-1a: a hash that stays the same across Rust releases (std's does not promise
/// to), so a draft keeps its name after an upgrade.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A draft file's shape on disk.
#[derive(Serialize, Deserialize)]
struct DraftFile {
    briefpack_draft: u32,
    /// RFC 3339, UTC.
    saved: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pack_path: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    new_id: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    threats: usize,
    #[serde(default)]
    partners: usize,
    #[serde(default)]
    points: usize,
    #[serde(default)]
    people: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    user: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pid: Option<u32>,
    /// The pack, exactly as it would be saved.
    pack: String,
    /// The pack file as the session read it, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base: Option<String>,
    /// Last: a table must follow the plain keys in TOML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    typing: Option<Typing>,
}

const FORMAT_VERSION: u32 = 1;

/// A draft as found in the store.
#[derive(Clone, Debug)]
pub struct Draft {
    pub key: DraftKey,
    pub saved: DateTime<Utc>,
    /// The meeting title, for listings.
    pub title: String,
    /// Selected threats, partners, points and people.
    pub counts: [usize; 4],
    /// The pack's TOML text.
    pub pack_toml: String,
    /// The pack file as the session that wrote the draft read it: what the draft's
    /// changes were made to. `None` for a new pack, or a draft of an older briefpack.
    pub base: Option<String>,
    /// What was being typed.
    pub typing: Option<Typing>,
    /// The session that wrote it; `None` for a draft of an older briefpack.
    pub session: Option<String>,
    pub user: String,
    pub pid: Option<u32>,
    /// Where the draft lives.
    pub file: PathBuf,
}

impl Draft {
    /// What the draft is of: the pack's path, or "new pack".
    pub(crate) fn what(&self) -> String {
        match &self.key {
            DraftKey::Pack(p) => p.display().to_string(),
            DraftKey::New(_) => "new pack (never saved)".to_owned(),
        }
    }

    /// "3 threats, 1 partner, 7 points; “Informal summit”": what a user needs to
    /// recognise the work.
    pub(crate) fn summary(&self) -> String {
        let names = [
            ("threat", "threats"),
            ("partner", "partners"),
            ("point", "points"),
            ("person", "people"),
        ];
        let parts: Vec<String> = self
            .counts
            .iter()
            .zip(names)
            .filter(|(n, _)| **n > 0)
            .map(|(n, (one, many))| format!("{n} {}", if *n == 1 { one } else { many }))
            .collect();
        let sel = if parts.is_empty() {
            "nothing selected".to_owned()
        } else {
            parts.join(", ")
        };
        let title = crate::clean::line(self.title.trim());
        let mut out = if title.is_empty() {
            sel
        } else {
            let title: String = title.chars().take(60).collect();
            format!("{sel}; “{title}”")
        };
        if let Some(t) = &self.typing {
            out.push_str("; ");
            out.push_str(&crate::clean::line(&t.describe()));
        }
        out
    }

    /// Whether the session that wrote it may still be running (on this machine):
    /// its draft is then copied, never removed, by another session's restore.
    pub(crate) fn maybe_open(&self) -> bool {
        self.pid
            .filter(|&p| p != std::process::id())
            .is_some_and(|p| crate::atomic::alive(p) != Some(false))
    }

    /// "alice, session 4567 (still open)": who wrote it, for the restore offer.
    pub(crate) fn who(&self) -> String {
        let user = if self.user.is_empty() {
            "unknown user"
        } else {
            &self.user
        };
        let user = crate::clean::line(user);
        match self.pid {
            Some(pid) if self.maybe_open() => format!("{user}, session {pid} (still open)"),
            Some(pid) => format!("{user}, session {pid} (ended)"),
            None => user.into_owned(),
        }
    }

    /// "2026-11-24 14:02 (5 minutes ago)", in local time.
    pub(crate) fn when(&self, now: DateTime<Utc>) -> String {
        let local = self.saved.with_timezone(&Local);
        format!("{} ({})", local.format("%Y-%m-%d %H:%M"), ago(now - self.saved))
    }

    /// The pack, checked against the library.
    pub(crate) fn pack(&self, library: &crate::library::Library) -> Result<crate::pack::Opened> {
        crate::pack::parse(&self.pack_toml, &format!("draft of {}", self.what()), library)
    }
}

fn ago(d: chrono::TimeDelta) -> String {
    let s = d.num_seconds().max(0);
    let (n, unit) = match s {
        0..=59 => return "just now".to_owned(),
        60..=3599 => (s / 60, "minute"),
        3600..=86_399 => (s / 3600, "hour"),
        _ => (s / 86_400, "day"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// The drafts directory and what can be done with it.
#[derive(Clone, Debug)]
pub struct Store {
    dir: PathBuf,
}

/// `$XDG_STATE_HOME/briefpack`, else `$HOME/.local/state/briefpack`. Read from the
/// two variables directly rather than through a crate: this is the whole of the
/// XDG rule for the state directory, and the `dirs` crates give no state
/// directory at all on macOS and Windows, so they would add a dependency and not
/// a platform. Windows (not a target today) uses `%LOCALAPPDATA%`.
pub(crate) fn default_dir() -> Result<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    if let Some(state) = var("XDG_STATE_HOME") {
        return Ok(state.join("briefpack"));
    }
    if let Some(home) = var("HOME") {
        return Ok(home.join(".local").join("state").join("briefpack"));
    }
    if let Some(local) = var("LOCALAPPDATA") {
        return Ok(local.join("briefpack").join("state"));
    }
    bail!("cannot find where to keep drafts: set XDG_STATE_HOME or HOME")
}

impl Store {
    /// The user's drafts directory (created on first save, not here).
    pub(crate) fn open_default() -> Result<Store> {
        Ok(Store::at(default_dir()?))
    }

    /// A store in a given directory (tests, tools).
    pub fn at(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The directory, created owner-only; an existing one is tightened to 0700,
    /// since drafts of restricted memos must not be readable by others.
    fn ensure_dir(&self) -> Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
            if let Some(parent) = self.dir.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create the drafts directory {}", parent.display()))?;
            }
            match fs::DirBuilder::new().mode(0o700).create(&self.dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let meta = fs::metadata(&self.dir)
                        .with_context(|| format!("cannot read {}", self.dir.display()))?;
                    if !meta.is_dir() {
                        bail!(
                            "{} should be the drafts directory but is a file",
                            self.dir.display()
                        );
                    }
                    if meta.permissions().mode() & 0o077 != 0 {
                        fs::set_permissions(&self.dir, fs::Permissions::from_mode(0o700))
                            .with_context(|| format!("cannot make {} private to you", self.dir.display()))?;
                    }
                }
                Err(e) => {
                    return Err(e).with_context(|| {
                        format!("cannot create the drafts directory {}", self.dir.display())
                    })
                }
            }
        }
        #[cfg(not(unix))]
        fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create the drafts directory {}", self.dir.display()))?;
        Ok(())
    }

    /// The file a session's draft of a key lives in.
    pub(crate) fn path_of(&self, key: &DraftKey, session: &Session) -> PathBuf {
        self.dir
            .join(format!("{}.{}.toml", key.stem(), session.file_part()))
    }

    /// Saves the draft of `pack` under `key`, atomically and owner-only, as this
    /// process's one session (tools, tests; the interface uses `DraftWriter`).
    pub fn save(&self, key: &DraftKey, pack: &Pack) -> Result<PathBuf> {
        self.save_at(key, pack, Utc::now())
    }

    /// As `save`, with the time given (tests).
    pub(crate) fn save_at(&self, key: &DraftKey, pack: &Pack, saved: DateTime<Utc>) -> Result<PathBuf> {
        let work = Work {
            pack: pack.clone(),
            typing: None,
        };
        self.write(key, Session::of_process(), &work, None, saved)
    }

    /// Writes a session's draft.
    fn write(
        &self,
        key: &DraftKey,
        session: &Session,
        work: &Work,
        base: Option<&str>,
        saved: DateTime<Utc>,
    ) -> Result<PathBuf> {
        let pack = &work.pack;
        let pack_toml = pack.to_toml()?;
        self.ensure_dir()?;
        let s = &pack.selection;
        let file = DraftFile {
            briefpack_draft: FORMAT_VERSION,
            saved: saved.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            pack_path: match key {
                DraftKey::Pack(p) => Some(p.clone()),
                DraftKey::New(_) => None,
            },
            new_id: match key {
                DraftKey::New(id) => Some(id.clone()),
                DraftKey::Pack(_) => None,
            },
            title: pack.meeting.title.clone(),
            threats: s.threats.len(),
            partners: s.partners.len(),
            points: s.points.len(),
            people: s.people.len(),
            session: Some(session.id.clone()),
            user: session.user.clone(),
            pid: Some(session.pid),
            pack: pack_toml,
            base: base.map(str::to_owned),
            typing: work.typing.clone(),
        };
        let mut text = String::from("# A briefpack draft: unsaved work, kept so it is never lost.\n");
        text.push_str(
            "# Restore it with `briefpack drafts restore`, or discard it with `briefpack drafts discard`.\n",
        );
        text.push_str(&toml::to_string(&file).context("cannot write the draft as TOML")?);
        let path = self.path_of(key, session);
        crate::atomic::write_private(&path, text.as_bytes())
            .with_context(|| format!("cannot save the draft {}", path.display()))?;
        Ok(path)
    }

    /// Reads one draft file.
    pub fn read(&self, file: &Path) -> Result<Draft> {
        let text =
            fs::read_to_string(file).with_context(|| format!("cannot read draft {}", file.display()))?;
        let raw: DraftFile = toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("draft {} is damaged: {}", file.display(), e.message().trim()))?;
        if raw.briefpack_draft > FORMAT_VERSION {
            bail!("draft {} was written by a newer briefpack", file.display());
        }
        let saved = DateTime::parse_from_rfc3339(&raw.saved)
            .with_context(|| format!("draft {} has no valid time", file.display()))?
            .with_timezone(&Utc);
        let key = match (raw.pack_path, raw.new_id) {
            (Some(p), _) => DraftKey::Pack(p),
            (None, Some(id)) => DraftKey::New(id),
            (None, None) => bail!("draft {} names no pack", file.display()),
        };
        Ok(Draft {
            key,
            saved,
            title: raw.title,
            counts: [raw.threats, raw.partners, raw.points, raw.people],
            pack_toml: raw.pack,
            base: raw.base,
            typing: raw.typing,
            session: raw.session,
            user: raw.user,
            pid: raw.pid,
            file: file.to_path_buf(),
        })
    }

    /// Every draft, newest first, and a message for each file that could not be
    /// read (listed, never silently dropped, never deleted).
    pub fn list(&self) -> Result<(Vec<Draft>, Vec<String>)> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", self.dir.display())),
        };
        let mut drafts = Vec::new();
        let mut problems = Vec::new();
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot read {}", self.dir.display()))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            // Hidden files are the atomic writer's temporaries.
            if name.starts_with('.') || !name.ends_with(".toml") {
                continue;
            }
            match self.read(&entry.path()) {
                Ok(d) => drafts.push(d),
                Err(e) => problems.push(format!("{e:#}")),
            }
        }
        drafts.sort_by(|a, b| b.saved.cmp(&a.saved).then_with(|| a.file.cmp(&b.file)));
        Ok((drafts, problems))
    }

    /// The newest draft of a key, of any session, if there is one.
    pub fn find(&self, key: &DraftKey) -> Result<Option<Draft>> {
        Ok(self.list()?.0.into_iter().find(|d| &d.key == key))
    }

    /// Removes one draft file; one already gone is not an error.
    pub(crate) fn remove(&self, draft: &Draft) -> Result<()> {
        remove_file(&draft.file)
    }

    /// Picks a draft as the user names it: its number in `list` (1 is newest) or
    /// the path of its pack.
    pub(crate) fn select(&self, which: &str) -> Result<Draft> {
        let (drafts, _) = self.list()?;
        if let Ok(n) = which.parse::<usize>() {
            if !Path::new(which).exists() {
                return match n.checked_sub(1).and_then(|i| drafts.get(i)) {
                    Some(d) => Ok(d.clone()),
                    None if drafts.is_empty() => bail!("there are no drafts"),
                    None => bail!(
                        "there is no draft {n}; `briefpack drafts` lists 1 to {}",
                        drafts.len()
                    ),
                };
            }
        }
        let key = DraftKey::for_path(Path::new(which));
        let numbers: Vec<String> = drafts
            .iter()
            .enumerate()
            .filter(|(_, d)| d.key == key)
            .map(|(i, _)| (i + 1).to_string())
            .collect();
        if numbers.len() > 1 {
            bail!(
                "{which} has {} drafts (numbers {}); give the number of the one you mean",
                numbers.len(),
                numbers.join(", ")
            );
        }
        drafts
            .into_iter()
            .find(|d| d.key == key)
            .with_context(|| format!("there is no draft of {which}"))
    }

    /// Writes a draft's pack to `output`, or back to its own pack file, then
    /// discards the draft. Refuses to overwrite a pack file changed since the
    /// draft's session read it (someone else's newer work; for a draft without
    /// that record, changed after the draft was saved) unless `force`. Returns
    /// where it wrote.
    pub(crate) fn restore(&self, draft: &Draft, output: Option<&Path>, force: bool) -> Result<PathBuf> {
        let target = match (output, &draft.key) {
            (Some(o), _) => o.to_path_buf(),
            (None, DraftKey::Pack(p)) => p.clone(),
            (None, DraftKey::New(_)) => {
                bail!(
                    "this draft is of a pack that was never saved; give a file to restore it to with -o FILE"
                )
            }
        };
        if !force {
            if let Ok(modified) = fs::metadata(&target).and_then(|m| m.modified()) {
                let modified: DateTime<Utc> = modified.into();
                let now = fs::read_to_string(&target).ok();
                let same = now.as_deref() == Some(draft.pack_toml.as_str());
                let changed = match (&draft.base, output) {
                    // The pack the draft was made from: a change since is someone else's.
                    (Some(base), None) => {
                        (now.as_deref() != Some(base.as_str())).then_some("since the draft's session read it")
                    }
                    _ => (modified > draft.saved).then_some("after the draft was saved"),
                };
                if let Some(when) = changed.filter(|_| !same) {
                    bail!(
                        "{} changed {when}; restore to another file with -o, or use --force to overwrite it",
                        target.display()
                    );
                }
            }
        }
        crate::atomic::write(&target, draft.pack_toml.as_bytes())
            .with_context(|| format!("cannot restore the draft to {}", target.display()))?;
        remove_file(&draft.file).context("restored, but the draft remains")?;
        Ok(target)
    }
}

fn remove_file(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot remove draft {}", path.display())),
    }
}

/// Decides when an edited pack is due to be written: at most `delay` after the
/// first change not yet on disk, however fast the changes come, and never more
/// than once per `delay`. Time is passed in, so it is tested without sleeping.
#[derive(Clone, Debug)]
pub(crate) struct Debounce {
    delay: Duration,
    dirty_since: Option<Instant>,
}

impl Debounce {
    pub(crate) fn new(delay: Duration) -> Debounce {
        Debounce {
            delay,
            dirty_since: None,
        }
    }

    /// A change was made at `now`. Later changes do not push the deadline back,
    /// so continuous typing still reaches the disk within `delay`.
    pub(crate) fn changed(&mut self, now: Instant) {
        self.dirty_since.get_or_insert(now);
    }

    #[cfg(test)] // only tests ask
    pub(crate) fn is_dirty(&self) -> bool {
        self.dirty_since.is_some()
    }

    /// True when unsaved changes have waited `delay`.
    pub(crate) fn due(&self, now: Instant) -> bool {
        self.dirty_since
            .is_some_and(|t| now.saturating_duration_since(t) >= self.delay)
    }

    /// The changes are on disk.
    pub(crate) fn saved(&mut self) {
        self.dirty_since = None;
    }

    /// How long the event loop may wait for input before it must call `tick`:
    /// `None` when nothing is pending.
    pub(crate) fn timeout(&self, now: Instant) -> Option<Duration> {
        self.dirty_since
            .map(|t| self.delay.saturating_sub(now.saturating_duration_since(t)))
    }
}

/// What a draft keeps of a session's work: the pack, and what is being typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Work {
    pub pack: Pack,
    pub typing: Option<Typing>,
}

/// What is waiting to be written, shared with the panic hook and signal path.
#[derive(Debug)]
struct Pending {
    store: Store,
    key: DraftKey,
    session: Session,
    /// The pack file as this session last read or wrote it.
    base: Option<String>,
    /// The latest work not yet in its draft.
    work: Option<Work>,
    /// The work last written, to write again if the file disappears.
    written: Option<Work>,
}

impl Pending {
    fn path(&self) -> PathBuf {
        self.store.path_of(&self.key, &self.session)
    }
}

/// The debounced writer of one pack's draft: the one thing the interface calls.
///
/// ```text
/// let mut auto = DraftWriter::new(Store::open_default()?, key);
/// let flusher = auto.flusher();          // for the panic hook and signal exit
/// loop {
///     poll input for auto.timeout(now).unwrap_or(idle)
///     on each edit: auto.changed(work, Instant::now());
///     auto.tick(Instant::now())?;        // writes when due
/// }
/// on save: pack.save(path)?; auto.pack_saved(path, text)?;
/// on quit with unsaved changes kept: auto.flush()?;   on quit after saving: nothing left
/// ```
#[derive(Debug)]
pub(crate) struct DraftWriter {
    shared: Arc<Mutex<Pending>>,
    debounce: Debounce,
}

/// A handle that writes the pending draft from anywhere: the panic hook, the signal
/// path. Cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct Flusher {
    shared: Arc<Mutex<Pending>>,
}

impl Flusher {
    /// Writes what is pending. Never blocks: a panic raised while the lock was
    /// held (or a poisoned lock) must not hang the exit. Returns the draft's path
    /// when one was written.
    pub(crate) fn flush(&self) -> Result<Option<PathBuf>> {
        let mut guard = match self.shared.try_lock() {
            Ok(g) => g,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                bail!("the draft was being written at the time and could not be saved again")
            }
        };
        write_pending(&mut guard)
    }
}

fn write_pending(p: &mut Pending) -> Result<Option<PathBuf>> {
    let Some(work) = p.work.take() else {
        return Ok(None);
    };
    match p
        .store
        .write(&p.key, &p.session, &work, p.base.as_deref(), Utc::now())
    {
        Ok(path) => {
            p.written = Some(work);
            Ok(Some(path))
        }
        Err(e) => {
            // Keep it pending, so the next tick or flush tries again.
            p.work = Some(work);
            Err(e)
        }
    }
}

impl DraftWriter {
    /// The writer for a new session on `key`.
    /// With the usual delay; `BRIEFPACK_TEST_NO_AUTOSAVE=1` (a test hook) puts the
    /// timer a day away, so only the flushes on quit, suspend and signals write,
    /// and `tests/signals_e2e.rs` proves those paths however slow the machine is.
    pub(crate) fn new(store: Store, key: DraftKey) -> DraftWriter {
        let off = std::env::var_os("BRIEFPACK_TEST_NO_AUTOSAVE").is_some_and(|v| v == "1");
        let delay = if off {
            Duration::from_secs(86_400)
        } else {
            DEBOUNCE
        };
        DraftWriter::with_delay(store, key, delay)
    }

    pub(crate) fn with_delay(store: Store, key: DraftKey, delay: Duration) -> DraftWriter {
        DraftWriter {
            shared: Arc::new(Mutex::new(Pending {
                store,
                key,
                session: Session::start(),
                base: None,
                work: None,
                written: None,
            })),
            debounce: Debounce::new(delay),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        // A poisoned lock only means a panic elsewhere; the data is still whole.
        self.shared
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn flusher(&self) -> Flusher {
        Flusher {
            shared: Arc::clone(&self.shared),
        }
    }

    #[cfg(test)] // only tests ask
    pub(crate) fn key(&self) -> DraftKey {
        self.lock().key.clone()
    }

    /// The file this session's draft goes to.
    pub(crate) fn path(&self) -> PathBuf {
        self.lock().path()
    }

    /// The pack file as this session read it (kept in the draft, for a merge).
    pub(crate) fn set_base(&mut self, base: Option<String>) {
        self.lock().base = base;
    }

    /// The work changed (selection, header, what is typed): remember it for the draft.
    pub(crate) fn changed(&mut self, work: Work, now: Instant) {
        self.lock().work = Some(work);
        self.debounce.changed(now);
    }

    /// Writes the draft if a change has waited long enough. Returns true when it
    /// wrote. On error the change stays pending and is tried again next tick.
    pub(crate) fn tick(&mut self, now: Instant) -> Result<bool> {
        if !self.debounce.due(now) {
            return Ok(false);
        }
        let wrote = {
            let mut p = self.lock();
            write_pending(&mut p)
        };
        match wrote {
            Ok(w) => {
                self.debounce.saved();
                Ok(w.is_some())
            }
            Err(e) => {
                // Wait another period before retrying, not on every keystroke.
                self.debounce.saved();
                self.debounce.changed(now);
                Err(e)
            }
        }
    }

    /// How long the event loop may block before calling `tick`.
    pub(crate) fn timeout(&self, now: Instant) -> Option<Duration> {
        self.debounce.timeout(now)
    }

    /// Writes anything pending now (quit, suspend, signal). A draft written
    /// before and since removed (by hand, or by an older briefpack's session on
    /// the same pack) is written again: the caller is about to say where it is.
    pub(crate) fn flush(&mut self) -> Result<Option<PathBuf>> {
        let r = {
            let mut p = self.lock();
            if p.work.is_none() && !p.path().exists() {
                p.work = p.written.take();
            }
            write_pending(&mut p)
        };
        if r.is_ok() {
            self.debounce.saved();
        }
        r
    }

    /// The user saved the pack to `path` (its text now `text`): this session's
    /// draft is no longer needed, and from now on its drafts are kept under that
    /// path (a new pack got its name). Other sessions' drafts stay.
    pub(crate) fn pack_saved(&mut self, path: &Path, text: String) -> Result<()> {
        self.debounce.saved();
        let mut p = self.lock();
        let old = p.path();
        p.key = DraftKey::for_path(path);
        p.base = Some(text);
        p.work = None;
        p.written = None;
        remove_file(&old)?;
        remove_file(&p.path())
    }

    /// The user chose to throw the changes away (or had none): this session's
    /// draft goes.
    pub(crate) fn discard(&mut self) -> Result<()> {
        self.debounce.saved();
        let mut p = self.lock();
        p.work = None;
        p.written = None;
        let path = p.path();
        remove_file(&path)
    }
}

/// `briefpack drafts`: the list, for people.
pub(crate) fn print_list(store: &Store, out: &mut dyn std::io::Write) -> Result<()> {
    let (drafts, problems) = store.list()?;
    if drafts.is_empty() && problems.is_empty() {
        writeln!(out, "no drafts (they are kept in {})", store.dir().display())?;
        return Ok(());
    }
    let now = Utc::now();
    for (i, d) in drafts.iter().enumerate() {
        writeln!(
            out,
            "{:>3}  {}\n     saved {} by {}; {}",
            i + 1,
            crate::clean::line(&d.what()),
            d.when(now),
            d.who(),
            d.summary()
        )?;
    }
    for p in problems {
        writeln!(out, "  ?  {}", crate::clean::line(&p))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(title: &str, points: &[&str]) -> Pack {
        let mut p = Pack::default();
        p.meeting.title = title.to_owned();
        p.memo.copy = 1;
        p.selection.points = points.iter().map(|s| (*s).to_owned()).collect();
        p
    }

    #[test]
    fn debounce_writes_within_the_delay_even_while_typing() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut d = Debounce::new(ms(500));
        assert!(!d.due(t0) && d.timeout(t0).is_none());
        d.changed(t0);
        // Keystrokes every 100 ms do not push the deadline back.
        for k in 1..5 {
            d.changed(t0 + ms(100 * k));
            assert!(!d.due(t0 + ms(100 * k)));
        }
        assert_eq!(d.timeout(t0 + ms(400)), Some(ms(100)));
        assert!(d.due(t0 + ms(500)));
        d.saved();
        assert!(!d.is_dirty() && !d.due(t0 + ms(5000)));
        d.changed(t0 + ms(600));
        assert!(!d.due(t0 + ms(1000)) && d.due(t0 + ms(1100)));
    }

    #[test]
    fn save_list_find_discard() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("state").join("briefpack"));
        assert!(store.list().unwrap().0.is_empty());
        let a = DraftKey::for_path(&dir.path().join("a.toml"));
        let n = DraftKey::New("20260101T000000-1".into());
        let t = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap();
        store.save_at(&a, &pack("Summit", &["x", "y"]), t(0)).unwrap();
        store.save_at(&n, &pack("", &[]), t(10)).unwrap();
        let (list, problems) = store.list().unwrap();
        assert!(problems.is_empty());
        assert_eq!(
            list.iter().map(|d| d.key.clone()).collect::<Vec<_>>(),
            [n.clone(), a.clone()]
        );
        assert_eq!(list[1].summary(), "2 points; “Summit”");
        assert_eq!(list[0].summary(), "nothing selected");
        // Saving again replaces the draft rather than adding one.
        store.save_at(&a, &pack("Summit", &["x"]), t(20)).unwrap();
        let (list, _) = store.list().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].key, a);
        let found = store.find(&a).unwrap().unwrap();
        assert_eq!(found.saved, t(20));
        assert_eq!(found.pack_toml, pack("Summit", &["x"]).to_toml().unwrap());
        store.remove(&found).unwrap();
        store.remove(&found).unwrap();
        assert!(store.find(&a).unwrap().is_none());
    }

    #[cfg(unix)]
    #[test]
    fn drafts_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("briefpack"));
        fs::create_dir(store.dir()).unwrap();
        fs::set_permissions(store.dir(), fs::Permissions::from_mode(0o755)).unwrap();
        let path = store
            .save(&DraftKey::New("x".into()), &pack("Secret", &[]))
            .unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(store.dir()), 0o700);
    }

    #[test]
    fn one_draft_per_pack_whatever_the_spelling_of_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("briefs");
        fs::create_dir(&sub).unwrap();
        fs::write(sub.join("a.toml"), "").unwrap();
        let direct = DraftKey::for_path(&sub.join("a.toml"));
        let roundabout = DraftKey::for_path(&sub.join("..").join("briefs").join("a.toml"));
        assert_eq!(direct, roundabout);
        assert_eq!(direct.stem(), roundabout.stem());
        let other = DraftKey::for_path(&dir.path().join("a.toml"));
        assert_ne!(direct.stem(), other.stem());
        assert!(direct.stem().starts_with("pack-a-"));
    }

    #[test]
    fn a_pack_not_yet_created_shares_its_draft_however_its_folder_is_spelt() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("briefs");
        fs::create_dir(&sub).unwrap();
        let direct = DraftKey::for_path(&dir.path().join("new.toml"));
        let roundabout = DraftKey::for_path(&sub.join("..").join("new.toml"));
        assert_eq!(direct, roundabout);
    }

    #[test]
    fn draft_names_keep_what_files_allow_and_replace_the_rest() {
        let key = DraftKey::Pack(PathBuf::from("/srv/Brief for Astana-2011_v2.toml"));
        let stem = key.stem();
        let hash = stem
            .strip_prefix("pack-Brief_for_Astana-2011_v2-")
            .unwrap_or_else(|| panic!("{stem}"));
        assert!(
            hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{stem}"
        );
        assert_eq!(DraftKey::New("2026-12/03 x".into()).stem(), "new-2026-1203x");
        let s = Session {
            id: "20261203-77 /0".into(),
            user: String::new(),
            pid: 77,
        };
        assert_eq!(s.file_part(), "20261203-770");
    }

    #[test]
    fn draft_names_hash_with_fnv_1a_which_never_changes() {
        // The published FNV-1a 64-bit test vectors (the empty string, "a", "foobar").
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn the_login_name_comes_from_user_then_logname() {
        let env = |user: Option<&str>, logname: Option<&str>| {
            let (user, logname) = (user.map(str::to_owned), logname.map(str::to_owned));
            login_from(move |v| match v {
                "USER" => user.clone(),
                "LOGNAME" => logname.clone(),
                _ => None,
            })
        };
        assert_eq!(env(Some("alice"), Some("bob")), "alice");
        assert_eq!(env(Some(" "), Some("bob")), "bob");
        assert_eq!(env(None, Some("bob")), "bob");
        assert_eq!(env(None, None), "unknown user");
        // The real one reads the environment, and a session records it.
        assert_eq!(login_name(), login_from(|v| std::env::var(v).ok()));
        assert_eq!(Session::start().user, login_name());
    }

    #[cfg(unix)]
    #[test]
    fn who_says_whether_the_writing_session_is_still_open() {
        let draft = |pid: Option<u32>, user: &str| Draft {
            key: DraftKey::New("x".into()),
            saved: Utc::now(),
            title: String::new(),
            counts: [0; 4],
            pack_toml: String::new(),
            base: None,
            typing: None,
            session: None,
            user: user.into(),
            pid,
            file: PathBuf::new(),
        };
        let mut child = std::process::Command::new("sleep").arg("30").spawn().unwrap();
        let running = draft(Some(child.id()), "alice");
        assert!(running.maybe_open());
        assert_eq!(
            running.who(),
            format!("alice, session {} (still open)", child.id())
        );
        child.kill().unwrap();
        child.wait().unwrap();
        let ended = draft(Some(child.id()), "alice");
        assert!(!ended.maybe_open());
        assert_eq!(ended.who(), format!("alice, session {} (ended)", child.id()));
        // This very process wrote it: not another session that may be open.
        assert!(!draft(Some(std::process::id()), "bob").maybe_open());
        assert_eq!(draft(None, "").who(), "unknown user");
    }

    #[cfg(unix)]
    #[test]
    fn a_drafts_directory_that_cannot_be_made_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        // Longer than a file name may be: the kernel refuses it outright.
        let store = Store::at(dir.path().join("d".repeat(300)));
        let e = store
            .save(&DraftKey::New("x".into()), &pack("T", &[]))
            .unwrap_err();
        assert!(
            format!("{e:#}").contains("cannot create the drafts directory"),
            "{e:#}"
        );
    }

    #[test]
    fn a_draft_from_a_newer_briefpack_is_refused_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        let path = store.save(&DraftKey::New("x".into()), &pack("T", &[])).unwrap();
        assert!(store.read(&path).is_ok());
        let text = fs::read_to_string(&path).unwrap();
        let ours = format!("briefpack_draft = {FORMAT_VERSION}");
        assert!(text.contains(&ours), "{text}");
        fs::write(
            &path,
            text.replace(&ours, &format!("briefpack_draft = {}", FORMAT_VERSION + 1)),
        )
        .unwrap();
        let e = store.read(&path).unwrap_err().to_string();
        assert!(e.contains("written by a newer briefpack"), "{e}");
    }

    #[test]
    fn a_drafts_directory_that_is_a_file_is_an_error_not_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("briefpack");
        fs::write(&file, "").unwrap();
        let e = Store::at(&file).list().unwrap_err();
        assert!(format!("{e:#}").contains("cannot read"), "{e:#}");
        // Not there at all is simply no drafts.
        assert!(Store::at(dir.path().join("none")).list().unwrap().0.is_empty());
    }

    #[test]
    fn damaged_drafts_are_reported_not_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        fs::write(dir.path().join("pack-x-1.toml"), "briefpack_draft = [").unwrap();
        fs::write(dir.path().join(".pack-x-1.toml.99-0.tmp"), "fragment").unwrap();
        // Neither a hidden file nor one that is not TOML is a draft.
        fs::write(dir.path().join(".editor-swap.toml"), "fragment").unwrap();
        fs::write(dir.path().join("notes.txt"), "fragment").unwrap();
        let (list, problems) = store.list().unwrap();
        assert!(list.is_empty());
        assert_eq!(problems.len(), 1, "temporaries are not drafts: {problems:?}");
        assert!(problems[0].contains("is damaged"), "{problems:?}");
        assert!(dir.path().join("pack-x-1.toml").exists());
    }

    #[test]
    fn autosave_writes_when_due_and_flushes_on_demand() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        let key = DraftKey::New("n".into());
        let mut auto = DraftWriter::with_delay(store.clone(), key.clone(), Duration::from_millis(500));
        let t0 = Instant::now();
        let work = |p: Pack| Work {
            pack: p,
            typing: None,
        };
        auto.changed(work(pack("A", &["p"])), t0);
        assert!(!auto.tick(t0 + Duration::from_millis(499)).unwrap());
        assert!(store.find(&key).unwrap().is_none());
        assert!(auto.tick(t0 + Duration::from_millis(500)).unwrap());
        assert_eq!(store.find(&key).unwrap().unwrap().title, "A");
        // A change flushed from another handle (the panic hook) before it is due.
        auto.changed(work(pack("B", &["p"])), t0 + Duration::from_secs(1));
        let path = auto.flusher().flush().unwrap();
        assert!(path.is_some());
        assert_eq!(store.find(&key).unwrap().unwrap().title, "B");
        assert!(auto.flusher().flush().unwrap().is_none(), "nothing pending twice");
        // Saving the pack moves the key to its path and removes the draft.
        let saved_to = dir.path().join("brief.toml");
        auto.changed(work(pack("C", &[])), t0 + Duration::from_secs(2));
        auto.flush().unwrap();
        auto.pack_saved(&saved_to, String::new()).unwrap();
        assert!(store.list().unwrap().0.is_empty());
        assert_eq!(auto.key(), DraftKey::for_path(&saved_to));
    }

    #[test]
    fn restore_writes_the_pack_and_removes_the_draft_but_not_over_newer_work() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("drafts"));
        let target = dir.path().join("brief.toml");
        fs::write(&target, "old").unwrap();
        let key = DraftKey::for_path(&target);
        let p = pack("Summit", &["x"]);
        // A draft older than the file on disk: the file holds newer work.
        store
            .save_at(&key, &p, Utc::now() - chrono::TimeDelta::hours(1))
            .unwrap();
        let d = store.select("1").unwrap();
        let e = store.restore(&d, None, false).unwrap_err().to_string();
        assert!(e.contains("changed after the draft was saved"), "{e}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        let other = dir.path().join("copy.toml");
        assert_eq!(store.restore(&d, Some(&other), false).unwrap(), other);
        assert_eq!(fs::read_to_string(&other).unwrap(), p.to_toml().unwrap());
        assert!(store.list().unwrap().0.is_empty());
        let e = store.select("1").unwrap_err().to_string();
        assert_eq!(e, "there are no drafts");
    }

    #[test]
    fn a_file_last_changed_when_the_draft_was_saved_is_not_newer_work() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("drafts"));
        let target = dir.path().join("brief.toml");
        let saved = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let key = DraftKey::for_path(&target);
        let p = pack("Summit", &["x"]);
        store.save_at(&key, &p, saved).unwrap();
        let stamp = |at: DateTime<Utc>| {
            fs::write(&target, "old").unwrap();
            let f = fs::File::options().write(true).open(&target).unwrap();
            f.set_modified(at.into()).unwrap();
        };
        // A second later is someone's work; the same instant is not.
        stamp(saved + chrono::TimeDelta::seconds(1));
        let d = store.select("1").unwrap();
        assert!(store.restore(&d, None, false).is_err());
        stamp(saved);
        store.restore(&d, None, false).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), p.to_toml().unwrap());
    }

    #[test]
    fn removing_a_draft_already_gone_is_fine_but_other_failures_are_not() {
        let dir = tempfile::tempdir().unwrap();
        assert!(remove_file(&dir.path().join("gone.toml")).is_ok());
        let e = remove_file(dir.path()).unwrap_err();
        assert!(format!("{e:#}").contains("cannot remove draft"), "{e:#}");
    }

    /// Issue 13, item 1: two interfaces on one pack, each with its own draft.
    #[test]
    fn two_sessions_on_one_pack_keep_their_own_drafts() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("drafts"));
        let path = dir.path().join("two.toml");
        let key = DraftKey::for_path(&path);
        let work = |title: &str| Work {
            pack: pack(title, &["x"]),
            typing: None,
        };
        let mut a = DraftWriter::new(store.clone(), key.clone());
        let mut b = DraftWriter::new(store.clone(), key.clone());
        assert_ne!(a.path(), b.path());
        let t0 = Instant::now();
        b.changed(work("B's work"), t0);
        b.flush().unwrap();
        // A autosaves too: B's draft is not overwritten.
        a.changed(work("A's work"), t0);
        a.flush().unwrap();
        let (list, _) = store.list().unwrap();
        let mut titles: Vec<&str> = list.iter().map(|d| d.title.as_str()).collect();
        titles.sort_unstable();
        assert_eq!(titles, ["A's work", "B's work"]);
        assert!(list.iter().all(|d| d.key == key && d.user == login_name()));
        // A saves the pack: only A's draft goes.
        a.pack_saved(&path, "saved by A".into()).unwrap();
        let (list, _) = store.list().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].title, "B's work");
        // B quits: its draft is where it says.
        let kept = b.flush().unwrap();
        assert!(kept.is_none(), "nothing new to write");
        assert!(b.path().exists());
        // Even if something removed it meanwhile, quitting writes it again.
        fs::remove_file(b.path()).unwrap();
        assert_eq!(b.flush().unwrap(), Some(b.path()));
        assert_eq!(store.find(&key).unwrap().unwrap().title, "B's work");
        // By path, two drafts of one pack are ambiguous; by number they are not.
        a.changed(work("A again"), t0);
        a.flush().unwrap();
        let e = store.select(&path.display().to_string()).unwrap_err().to_string();
        assert!(e.contains("has 2 drafts (numbers 1, 2)"), "{e}");
    }

    #[test]
    fn the_base_and_what_is_typed_travel_with_the_draft() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        let key = DraftKey::for_path(&dir.path().join("a.toml"));
        let mut auto = DraftWriter::new(store.clone(), key.clone());
        auto.set_base(Some("[meeting]\ntitle = \"On disk\"\n".into()));
        let typing = Typing {
            place: TypingPlace::Header,
            target: crate::pack::Field::Purpose.key().to_owned(),
            texts: vec!["Half a sent".into()],
            focus: 0,
            cursor: 6,
        };
        auto.changed(
            Work {
                pack: pack("T", &[]),
                typing: Some(typing.clone()),
            },
            Instant::now(),
        );
        auto.flush().unwrap();
        let d = store.find(&key).unwrap().unwrap();
        assert_eq!(d.base.as_deref(), Some("[meeting]\ntitle = \"On disk\"\n"));
        assert_eq!(d.typing, Some(typing));
        assert!(d.summary().ends_with("; typing in Purpose"), "{}", d.summary());
        assert!(d.who().starts_with(&login_name()), "{}", d.who());
    }

    /// A session's draft written after someone else saved the pack is still based
    /// on the older file: restoring it would revert their save.
    #[test]
    fn restore_refuses_a_pack_changed_since_the_drafts_session_read_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("drafts"));
        let target = dir.path().join("brief.toml");
        fs::write(&target, "# as opened\n").unwrap();
        let mut auto = DraftWriter::new(store.clone(), DraftKey::for_path(&target));
        auto.set_base(Some("# as opened\n".into()));
        // Someone saves; then this session's autosave writes, later than that save.
        fs::write(&target, "# their save\n").unwrap();
        let mine = pack("Mine", &["x"]);
        auto.changed(
            Work {
                pack: mine.clone(),
                typing: None,
            },
            Instant::now(),
        );
        auto.flush().unwrap();
        let d = store.select("1").unwrap();
        let e = store.restore(&d, None, false).unwrap_err().to_string();
        assert!(e.contains("changed since the draft's session read it"), "{e}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "# their save\n");
        assert_eq!(store.restore(&d, None, true).unwrap(), target);
        assert_eq!(fs::read_to_string(&target).unwrap(), mine.to_toml().unwrap());
    }

    #[test]
    fn when_and_ago_read_naturally() {
        assert_eq!(ago(chrono::TimeDelta::seconds(5)), "just now");
        assert_eq!(ago(chrono::TimeDelta::seconds(60)), "1 minute ago");
        assert_eq!(ago(chrono::TimeDelta::seconds(7300)), "2 hours ago");
        assert_eq!(ago(chrono::TimeDelta::days(3)), "3 days ago");
    }
}
