//! Drafts: every change to the pack being edited, on disk within a second, so a
//! dropped SSH link, a killed process or a panic never loses work.
//!
//! One draft per pack being edited, in the user's state directory
//! (`$XDG_STATE_HOME/briefpack/`, else `~/.local/state/briefpack/`), directory mode
//! 0700 and files 0600 because the servers are shared and packs may be restricted.
//! A draft is keyed by the pack's canonical path, or by a new-pack id when the pack
//! was never saved. It holds the pack's TOML exactly as `Pack::to_toml` writes it,
//! plus when it was saved, which pack it belongs to and a summary for listings.
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
pub const DEBOUNCE: Duration = Duration::from_millis(500);

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
    pub fn new_pack() -> DraftKey {
        let now = Utc::now();
        DraftKey::New(format!(
            "{}-{}",
            now.format("%Y%m%dT%H%M%S%.3f").to_string().replace('.', ""),
            std::process::id()
        ))
    }

    /// The draft's file name: readable for people, unique for the machine.
    fn file_name(&self) -> String {
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
                format!("pack-{stem}-{:016x}.toml", fnv1a(p.to_string_lossy().as_bytes()))
            }
            DraftKey::New(id) => {
                let id: String = id
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .take(60)
                    .collect();
                format!("new-{id}.toml")
            }
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
    /// The pack, exactly as it would be saved.
    pack: String,
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
    /// Where the draft lives.
    pub file: PathBuf,
}

impl Draft {
    /// What the draft is of: the pack's path, or "new pack".
    pub fn what(&self) -> String {
        match &self.key {
            DraftKey::Pack(p) => p.display().to_string(),
            DraftKey::New(_) => "new pack (never saved)".to_owned(),
        }
    }

    /// "3 threats, 1 partner, 7 points; “Informal summit”": what a user needs to
    /// recognise the work.
    pub fn summary(&self) -> String {
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
        if title.is_empty() {
            sel
        } else {
            let title: String = title.chars().take(60).collect();
            format!("{sel}; “{title}”")
        }
    }

    /// "2026-11-24 14:02 (5 minutes ago)", in local time.
    pub fn when(&self, now: DateTime<Utc>) -> String {
        let local = self.saved.with_timezone(&Local);
        format!("{} ({})", local.format("%Y-%m-%d %H:%M"), ago(now - self.saved))
    }

    /// The pack, checked against the library.
    pub fn pack(&self, library: &crate::library::Library) -> Result<crate::pack::Opened> {
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
pub fn default_dir() -> Result<PathBuf> {
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
    pub fn open_default() -> Result<Store> {
        Ok(Store::at(default_dir()?))
    }

    /// A store in a given directory (tests, tools).
    pub fn at(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
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

    /// The file a key's draft lives in.
    pub fn path_of(&self, key: &DraftKey) -> PathBuf {
        self.dir.join(key.file_name())
    }

    /// Saves the draft of `pack` under `key`, atomically and owner-only.
    pub fn save(&self, key: &DraftKey, pack: &Pack) -> Result<PathBuf> {
        self.save_at(key, pack, Utc::now())
    }

    /// As `save`, with the time given (tests).
    pub fn save_at(&self, key: &DraftKey, pack: &Pack, saved: DateTime<Utc>) -> Result<PathBuf> {
        let text = pack.to_toml()?;
        self.save_text(key, pack, &text, saved)
    }

    fn save_text(
        &self,
        key: &DraftKey,
        pack: &Pack,
        pack_toml: &str,
        saved: DateTime<Utc>,
    ) -> Result<PathBuf> {
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
            pack: pack_toml.to_owned(),
        };
        let mut text = String::from("# A briefpack draft: unsaved work, kept so it is never lost.\n");
        text.push_str(
            "# Restore it with `briefpack drafts restore`, or discard it with `briefpack drafts discard`.\n",
        );
        text.push_str(&toml::to_string(&file).context("cannot write the draft as TOML")?);
        let path = self.path_of(key);
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

    /// The draft of a key, if there is one (what the interface offers to restore).
    pub fn find(&self, key: &DraftKey) -> Result<Option<Draft>> {
        let path = self.path_of(key);
        if !path.exists() {
            return Ok(None);
        }
        self.read(&path).map(Some)
    }

    /// Removes a draft; one already gone is not an error.
    pub fn discard(&self, key: &DraftKey) -> Result<()> {
        let path = self.path_of(key);
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).with_context(|| format!("cannot remove draft {}", path.display())),
        }
    }

    /// Removes one draft file (a draft found by `list`, which may be a kept one
    /// that no key names); one already gone is not an error.
    pub fn remove(&self, draft: &Draft) -> Result<()> {
        match fs::remove_file(&draft.file) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).with_context(|| format!("cannot remove draft {}", draft.file.display())),
        }
    }

    /// Moves the draft in `key`'s file aside, under a name of its own, so the
    /// autosave of a new session under the same key cannot overwrite it: the user
    /// chose to keep it for later. It stays in `list` (and `briefpack drafts`).
    /// Returns the new file, or `None` when there was no draft to move.
    pub fn set_aside(&self, key: &DraftKey) -> Result<Option<PathBuf>> {
        let from = self.path_of(key);
        if !from.exists() {
            return Ok(None);
        }
        let stem = from
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stamp = Utc::now()
            .format("%Y%m%dT%H%M%S%.3f")
            .to_string()
            .replace('.', "");
        let to = self
            .dir
            .join(format!("{stem}.kept-{stamp}-{}.toml", std::process::id()));
        fs::rename(&from, &to).with_context(|| format!("cannot keep draft {} aside", from.display()))?;
        Ok(Some(to))
    }

    /// Picks a draft as the user names it: its number in `list` (1 is newest) or
    /// the path of its pack.
    pub fn select(&self, which: &str) -> Result<Draft> {
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
        drafts
            .into_iter()
            .find(|d| d.key == key)
            .with_context(|| format!("there is no draft of {which}"))
    }

    /// Writes a draft's pack to `output`, or back to its own pack file, then
    /// discards the draft. Refuses to overwrite a pack file changed after the draft
    /// was saved (someone else's newer work) unless `force`. Returns where it wrote.
    pub fn restore(&self, draft: &Draft, output: Option<&Path>, force: bool) -> Result<PathBuf> {
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
                let same = fs::read_to_string(&target).is_ok_and(|t| t == draft.pack_toml);
                if modified > draft.saved && !same {
                    bail!(
                        "{} changed after the draft was saved; restore to another file with -o, or use --force to overwrite it",
                        target.display()
                    );
                }
            }
        }
        crate::atomic::write(&target, draft.pack_toml.as_bytes())
            .with_context(|| format!("cannot restore the draft to {}", target.display()))?;
        fs::remove_file(&draft.file)
            .or_else(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    Ok(())
                } else {
                    Err(e)
                }
            })
            .with_context(|| format!("restored, but cannot remove the draft {}", draft.file.display()))?;
        Ok(target)
    }
}

/// Decides when an edited pack is due to be written: at most `delay` after the
/// first change not yet on disk, however fast the changes come, and never more
/// than once per `delay`. Time is passed in, so it is tested without sleeping.
#[derive(Clone, Debug)]
pub struct Debounce {
    delay: Duration,
    dirty_since: Option<Instant>,
}

impl Debounce {
    pub fn new(delay: Duration) -> Debounce {
        Debounce {
            delay,
            dirty_since: None,
        }
    }

    /// A change was made at `now`. Later changes do not push the deadline back,
    /// so continuous typing still reaches the disk within `delay`.
    pub fn changed(&mut self, now: Instant) {
        self.dirty_since.get_or_insert(now);
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty_since.is_some()
    }

    /// True when unsaved changes have waited `delay`.
    pub fn due(&self, now: Instant) -> bool {
        self.dirty_since
            .is_some_and(|t| now.saturating_duration_since(t) >= self.delay)
    }

    /// The changes are on disk.
    pub fn saved(&mut self) {
        self.dirty_since = None;
    }

    /// How long the event loop may wait for input before it must call `tick`:
    /// `None` when nothing is pending.
    pub fn timeout(&self, now: Instant) -> Option<Duration> {
        self.dirty_since
            .map(|t| self.delay.saturating_sub(now.saturating_duration_since(t)))
    }
}

/// What is waiting to be written, shared with the panic hook and signal path.
#[derive(Debug)]
struct Pending {
    store: Store,
    key: DraftKey,
    /// The latest pack not yet in its draft.
    pack: Option<Pack>,
}

/// The debounced writer of one pack's draft: the one thing the interface calls.
///
/// ```text
/// let mut auto = DraftWriter::new(Store::open_default()?, key);
/// let flusher = auto.flusher();          // for the panic hook and signal exit
/// loop {
///     poll input for auto.timeout(now).unwrap_or(idle)
///     on each edit: auto.changed(&pack, Instant::now());
///     auto.tick(Instant::now())?;        // writes when due
/// }
/// on save: pack.save(path)?; auto.pack_saved(path)?;
/// on quit with unsaved changes kept: auto.flush()?;   on quit after saving: nothing left
/// ```
#[derive(Debug)]
pub struct DraftWriter {
    shared: Arc<Mutex<Pending>>,
    debounce: Debounce,
}

/// A handle that writes the pending draft from anywhere: the panic hook, the signal
/// path. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Flusher {
    shared: Arc<Mutex<Pending>>,
}

impl Flusher {
    /// Writes what is pending. Never blocks: a panic raised while the lock was
    /// held (or a poisoned lock) must not hang the exit. Returns the draft's path
    /// when one was written.
    pub fn flush(&self) -> Result<Option<PathBuf>> {
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
    let Some(pack) = p.pack.take() else {
        return Ok(None);
    };
    match p.store.save(&p.key, &pack) {
        Ok(path) => Ok(Some(path)),
        Err(e) => {
            // Keep it pending, so the next tick or flush tries again.
            p.pack = Some(pack);
            Err(e)
        }
    }
}

impl DraftWriter {
    pub fn new(store: Store, key: DraftKey) -> DraftWriter {
        DraftWriter::with_delay(store, key, DEBOUNCE)
    }

    pub fn with_delay(store: Store, key: DraftKey, delay: Duration) -> DraftWriter {
        DraftWriter {
            shared: Arc::new(Mutex::new(Pending {
                store,
                key,
                pack: None,
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

    pub fn flusher(&self) -> Flusher {
        Flusher {
            shared: Arc::clone(&self.shared),
        }
    }

    pub fn key(&self) -> DraftKey {
        self.lock().key.clone()
    }

    /// The pack changed (selection, header, anything): remember it for the draft.
    pub fn changed(&mut self, pack: &Pack, now: Instant) {
        self.lock().pack = Some(pack.clone());
        self.debounce.changed(now);
    }

    /// Writes the draft if a change has waited long enough. Returns true when it
    /// wrote. On error the change stays pending and is tried again next tick.
    pub fn tick(&mut self, now: Instant) -> Result<bool> {
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
    pub fn timeout(&self, now: Instant) -> Option<Duration> {
        self.debounce.timeout(now)
    }

    /// Writes anything pending now (quit, suspend, signal).
    pub fn flush(&mut self) -> Result<Option<PathBuf>> {
        let r = {
            let mut p = self.lock();
            write_pending(&mut p)
        };
        if r.is_ok() {
            self.debounce.saved();
        }
        r
    }

    /// The user saved the pack to `path`: the draft is no longer needed, and from
    /// now on drafts are kept under that path (a new pack got its name).
    pub fn pack_saved(&mut self, path: &Path) -> Result<()> {
        self.debounce.saved();
        let mut p = self.lock();
        let old = std::mem::replace(&mut p.key, DraftKey::for_path(path));
        p.pack = None;
        p.store.discard(&old)?;
        let new = p.key.clone();
        p.store.discard(&new)
    }

    /// The user chose to throw the changes away.
    pub fn discard(&mut self) -> Result<()> {
        self.debounce.saved();
        let mut p = self.lock();
        p.pack = None;
        let key = p.key.clone();
        p.store.discard(&key)
    }
}

/// `briefpack drafts`: the list, for people.
pub fn print_list(store: &Store, out: &mut dyn std::io::Write) -> Result<()> {
    let (drafts, problems) = store.list()?;
    if drafts.is_empty() && problems.is_empty() {
        writeln!(out, "no drafts (they are kept in {})", store.dir().display())?;
        return Ok(());
    }
    let now = Utc::now();
    for (i, d) in drafts.iter().enumerate() {
        writeln!(
            out,
            "{:>3}  {}\n     saved {}; {}",
            i + 1,
            crate::clean::line(&d.what()),
            d.when(now),
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
        store.discard(&a).unwrap();
        store.discard(&a).unwrap();
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
        assert_eq!(direct.file_name(), roundabout.file_name());
        let other = DraftKey::for_path(&dir.path().join("a.toml"));
        assert_ne!(direct.file_name(), other.file_name());
        assert!(direct.file_name().starts_with("pack-a-"));
    }

    #[test]
    fn damaged_drafts_are_reported_not_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        fs::write(dir.path().join("pack-x-1.toml"), "briefpack_draft = [").unwrap();
        fs::write(dir.path().join(".pack-x-1.toml.99-0.tmp"), "fragment").unwrap();
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
        auto.changed(&pack("A", &["p"]), t0);
        assert!(!auto.tick(t0 + Duration::from_millis(499)).unwrap());
        assert!(store.find(&key).unwrap().is_none());
        assert!(auto.tick(t0 + Duration::from_millis(500)).unwrap());
        assert_eq!(store.find(&key).unwrap().unwrap().title, "A");
        // A change flushed from another handle (the panic hook) before it is due.
        auto.changed(&pack("B", &["p"]), t0 + Duration::from_secs(1));
        let path = auto.flusher().flush().unwrap();
        assert!(path.is_some());
        assert_eq!(store.find(&key).unwrap().unwrap().title, "B");
        assert!(auto.flusher().flush().unwrap().is_none(), "nothing pending twice");
        // Saving the pack moves the key to its path and removes the draft.
        let saved_to = dir.path().join("brief.toml");
        auto.changed(&pack("C", &[]), t0 + Duration::from_secs(2));
        auto.flush().unwrap();
        auto.pack_saved(&saved_to).unwrap();
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
    fn a_draft_set_aside_is_listed_and_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        let key = DraftKey::for_path(&dir.path().join("a.toml"));
        assert_eq!(store.set_aside(&key).unwrap(), None);
        store.save(&key, &pack("Kept", &["x"])).unwrap();
        let aside = store.set_aside(&key).unwrap().unwrap();
        assert!(store.find(&key).unwrap().is_none());
        store.save(&key, &pack("New", &[])).unwrap();
        let (list, problems) = store.list().unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let mut titles: Vec<&str> = list.iter().map(|d| d.title.as_str()).collect();
        titles.sort_unstable();
        assert_eq!(titles, ["Kept", "New"]);
        assert!(list.iter().all(|d| d.key == key));
        let kept = list.iter().find(|d| d.file == aside).unwrap();
        store.remove(kept).unwrap();
        store.remove(kept).unwrap();
        assert_eq!(store.list().unwrap().0.len(), 1);
    }

    #[test]
    fn when_and_ago_read_naturally() {
        assert_eq!(ago(chrono::TimeDelta::seconds(5)), "just now");
        assert_eq!(ago(chrono::TimeDelta::seconds(60)), "1 minute ago");
        assert_eq!(ago(chrono::TimeDelta::seconds(7300)), "2 hours ago");
        assert_eq!(ago(chrono::TimeDelta::days(3)), "3 days ago");
    }
}
