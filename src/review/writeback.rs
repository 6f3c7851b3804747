//! Writing review actions back to `points.toml` without losing anyone's change.
//!
//! Several staff share one checkout, and the files are also edited by hand. A write
//! therefore happens under an exclusive lock on the data directory, re-reads the file,
//! and compares it with the text the user's view was built from (its content hash). If
//! someone else changed the file meanwhile, the action is re-applied on top of their
//! version when the fields it touches still hold what the user saw; otherwise nothing is
//! written and the conflict, with the user's pending action, is handed back.

use super::add::{self, Added};
use super::edit::{self, Action, Change, EditError, Field, FieldValue};
use crate::library::{Checked, DataSource, Kind, Library};
use anyhow::Context;
use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// A fingerprint of a file's bytes, to tell whether it changed since it was read.
/// Never stored, so std's hasher (fixed keys, stable within one build) is enough; no
/// one is trying to forge a collision between two colleagues' edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ContentHash(u64, usize);

impl ContentHash {
    pub(crate) fn of(text: &str) -> ContentHash {
        let mut h = std::hash::DefaultHasher::new();
        text.hash(&mut h);
        ContentHash(h.finish(), text.len())
    }
}

/// The points file of a directory library, as this session last read or wrote it.
#[derive(Debug)]
pub struct PointsStore {
    dir: PathBuf,
    path: PathBuf,
    text: String,
    hash: ContentHash,
    last: Option<Undo>,
}

/// How to take the last action back: the fields as they were, and what they must still
/// hold (what this session wrote) for the undo to apply cleanly.
#[derive(Clone, Debug)]
struct Undo {
    id: String,
    restore: Vec<Change>,
    expect: Vec<Change>,
    what: String,
}

/// A successful write (or a no-op: the file already said so).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub point: String,
    /// "approved `x`", for the status bar.
    pub summary: String,
    /// Someone else had changed the file; this action went on top of their version, so
    /// the screen should reload the library.
    pub merged: bool,
    /// False when the file already held every value, so nothing was written.
    pub changed: bool,
}

/// One field someone else changed under the user's feet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldConflict {
    pub field: Field,
    /// What the user saw when they chose the action.
    pub seen: Option<FieldValue>,
    /// What the file holds now.
    pub theirs: Option<FieldValue>,
    /// What the action would have written.
    pub yours: Option<FieldValue>,
}

/// An action that was not written because it no longer applies cleanly. The store has
/// re-read the file, so the screen can show their version beside `pending`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub point: String,
    /// Empty when the point itself is gone (removed or renamed).
    pub fields: Vec<FieldConflict>,
    /// The user's action, kept so nothing typed is lost; `None` for an undo.
    pub pending: Option<Action>,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.pending.is_some() {
            "your change"
        } else {
            "the undo"
        };
        if self.fields.is_empty() {
            return write!(
                f,
                "point `{}` was removed or renamed in points.toml by someone else, so {what} was not written; it is kept for you to apply elsewhere",
                self.point
            );
        }
        let names: Vec<&str> = self.fields.iter().map(|c| c.field.key()).collect();
        write!(
            f,
            "someone else changed {} of point `{}` since you read it, so {what} was not written; it is kept, and applying it again replaces their version",
            join_and(&names),
            self.point
        )
    }
}

fn join_and(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => format!(
            "{} and `{last}`",
            init.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Why a write did not happen.
#[derive(Debug)]
pub enum WriteError {
    Conflict(Conflict),
    /// The action or the new point would make the library invalid, or is invalid itself.
    Refused(String),
    /// The file could not be read, locked or written.
    Io(anyhow::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Conflict(c) => c.fmt(f),
            WriteError::Refused(s) => f.write_str(s),
            WriteError::Io(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for WriteError {}

impl From<anyhow::Error> for WriteError {
    fn from(e: anyhow::Error) -> Self {
        WriteError::Io(e)
    }
}

impl From<EditError> for WriteError {
    fn from(e: EditError) -> Self {
        WriteError::Refused(e.to_string())
    }
}

impl PointsStore {
    /// Opens the points file of a directory library. The embedded library is part of the
    /// program and cannot be changed.
    pub fn open(source: &DataSource) -> anyhow::Result<PointsStore> {
        let Some(dir) = source.dir() else {
            anyhow::bail!(
                "the built-in library cannot be changed; pass --data DIR or set BRIEFPACK_DATA to a library checkout"
            );
        };
        let path = dir.join(Kind::Point.file_name());
        let text = read(&path)?;
        Ok(PointsStore {
            dir: dir.to_path_buf(),
            hash: ContentHash::of(&text),
            text,
            path,
            last: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's text as this session last read or wrote it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The library as this session sees it: the other files from disk, the points
    /// from the text the next action will be checked against.
    pub fn library(&self) -> anyhow::Result<Checked> {
        Library::load_with(&DataSource::Dir(self.dir.clone()), &[(Kind::Point, &self.text)])
    }

    /// Whether someone changed the file since this session read or wrote it.
    pub fn changed_on_disk(&self) -> anyhow::Result<bool> {
        Ok(ContentHash::of(&read(&self.path)?) != self.hash)
    }

    /// Reads the file again, so the next action starts from what is on disk now.
    pub(crate) fn reload(&mut self) -> anyhow::Result<()> {
        let text = read(&self.path)?;
        self.set_text(text);
        Ok(())
    }

    /// What `undo` would take back, for the prompt; `None` when there is nothing.
    pub fn undo_summary(&self) -> Option<&str> {
        self.last.as_ref().map(|u| u.what.as_str())
    }

    /// Applies one action to one point and writes the file.
    pub fn apply(&mut self, id: &str, action: &Action) -> Result<Written, WriteError> {
        let want = action
            .changes()
            .map_err(|why| WriteError::Refused(format!("{why}; nothing was written")))?;
        let fields: Vec<Field> = want.iter().map(|(f, _)| *f).collect();
        let seen = edit::read_fields(&self.text, id, &fields)?;
        let written = self.commit(id, &want, &seen, Some(action))?;
        self.last = Some(Undo {
            id: id.to_owned(),
            restore: seen,
            expect: want,
            what: written.summary.clone(),
        });
        Ok(written)
    }

    /// Takes back the last action through the same checked write, as long as no one
    /// has changed those fields since.
    pub fn undo(&mut self) -> Result<Written, WriteError> {
        let Some(undo) = self.last.clone() else {
            return Err(WriteError::Refused("there is nothing to undo".to_owned()));
        };
        let mut written = self.commit(&undo.id, &undo.restore, &undo.expect, None)?;
        written.summary = format!("undid: {}", undo.what);
        self.last = None;
        Ok(written)
    }

    /// Appends a new point given as TOML text (see `add::append`); `input_name` names
    /// the text in messages (`stdin`). The point must leave the library valid.
    pub fn add_point(&mut self, input: &str, input_name: &str) -> Result<Added, WriteError> {
        let _lock = lock_dir(&self.dir)?;
        let current = read(&self.path)?;
        let source = DataSource::Dir(self.dir.clone());
        let before = Library::load_with(&source, &[(Kind::Point, &current)])?;
        let (new_text, added) = add::append(&current, input, input_name, &source, &before)?;
        crate::atomic::write(&self.path, new_text.as_bytes())
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        self.set_text(new_text);
        Ok(added)
    }

    /// The one place the file is written: under the directory lock, against what is on
    /// disk now, with each field checked against what the user saw.
    fn commit(
        &mut self,
        id: &str,
        want: &[Change],
        seen: &[Change],
        pending: Option<&Action>,
    ) -> Result<Written, WriteError> {
        let _lock = lock_dir(&self.dir)?;
        let current = read(&self.path)?;
        let merged = ContentHash::of(&current) != self.hash;
        let seen: HashMap<Field, &Option<FieldValue>> = seen.iter().map(|(f, v)| (*f, v)).collect();
        let fields: Vec<Field> = want.iter().map(|(f, _)| *f).collect();
        let now = match edit::read_fields(&current, id, &fields) {
            Ok(now) => now,
            // The point was in the text last seen (`apply` and `undo` read it
            // there), so another session has removed it: a conflict.
            Err(EditError::Missing(_)) => {
                self.set_text(current);
                return Err(WriteError::Conflict(Conflict {
                    point: id.to_owned(),
                    fields: Vec::new(),
                    pending: pending.cloned(),
                }));
            }
            Err(e) => return Err(e.into()),
        };
        let mut conflicts = Vec::new();
        for ((field, theirs), (_, yours)) in now.iter().zip(want) {
            let was = seen.get(field).copied().cloned().flatten();
            // Unchanged since seen, or already what we want: both apply cleanly.
            if !edit::same(theirs.as_ref(), was.as_ref()) && !edit::same(theirs.as_ref(), yours.as_ref()) {
                conflicts.push(FieldConflict {
                    field: *field,
                    seen: was,
                    theirs: theirs.clone(),
                    yours: yours.clone(),
                });
            }
        }
        if !conflicts.is_empty() {
            self.set_text(current);
            return Err(WriteError::Conflict(Conflict {
                point: id.to_owned(),
                fields: conflicts,
                pending: pending.cloned(),
            }));
        }
        let new_text = edit::apply(&current, id, want)?;
        let summary = pending.map_or_else(|| format!("restored `{id}`"), |a| a.describe(id));
        if new_text == current {
            self.set_text(current);
            return Ok(Written {
                point: id.to_owned(),
                summary,
                merged,
                changed: false,
            });
        }
        self.refuse_new_problems(id, &current, &new_text)?;
        crate::atomic::write(&self.path, new_text.as_bytes())
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        self.set_text(new_text);
        Ok(Written {
            point: id.to_owned(),
            summary,
            merged,
            changed: true,
        })
    }

    /// An edit may not make the library invalid (a link to an unknown threat, say);
    /// problems the file already had are not this edit's to fix.
    fn refuse_new_problems(&self, id: &str, before: &str, after: &str) -> Result<(), WriteError> {
        let source = DataSource::Dir(self.dir.clone());
        let errors = |text: &str| -> anyhow::Result<Vec<String>> {
            Ok(Library::load_with(&source, &[(Kind::Point, text)])?
                .diagnostics
                .into_iter()
                .filter(crate::diag::Diagnostic::is_error)
                .map(|d| d.message)
                .collect())
        };
        let mut old = errors(before)?;
        for msg in errors(after)? {
            match old.iter().position(|m| *m == msg) {
                Some(i) => {
                    old.swap_remove(i);
                }
                None => {
                    return Err(WriteError::Refused(format!(
                        "the change to point `{id}` was not written because the library would then have a problem: {msg}"
                    )))
                }
            }
        }
        Ok(())
    }

    fn set_text(&mut self, text: String) {
        self.hash = ContentHash::of(&text);
        self.text = text;
    }
}

fn read(path: &Path) -> anyhow::Result<String> {
    crate::input::read_text(path, crate::input::LIBRARY_FILE, "library file")
}

/// An exclusive lock on the data directory, held while a write reads, checks and renames,
/// so two briefpack sessions never interleave there. The lock is on the directory, not
/// the file, because the rename replaces the file; it needs no lock file in the checkout.
/// Where the file system cannot lock, writes still go through the content-hash check.
fn lock_dir(dir: &Path) -> anyhow::Result<Option<File>> {
    let handle =
        File::open(dir).with_context(|| format!("cannot open the data directory {}", dir.display()))?;
    let locked = handle.lock();
    Ok(held(locked, dir)?.then_some(handle))
}

/// Whether a lock was taken: not where the file system cannot lock (the write
/// goes on, checked by content hash alone); any other failure refuses the write.
fn held(locked: std::io::Result<()>, dir: &Path) -> anyhow::Result<bool> {
    match locked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::Unsupported => Ok(false),
        Err(e) => Err(e).with_context(|| format!("cannot lock the data directory {}", dir.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_system_that_cannot_lock_lets_the_write_go_on_and_any_other_lock_failure_stops_it() {
        let dir = Path::new("/srv/data");
        assert!(held(Ok(()), dir).unwrap());
        let unsupported = std::io::Error::from(std::io::ErrorKind::Unsupported);
        assert!(!held(Err(unsupported), dir).unwrap());
        let no_locks = std::io::Error::from_raw_os_error(libc::ENOLCK);
        let e = held(Err(no_locks), dir).unwrap_err();
        assert_eq!(e.to_string(), "cannot lock the data directory /srv/data");
    }
}
