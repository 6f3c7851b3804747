//! Reviewing the talking-point library: which points need review and why (`queue`),
//! review actions as data (`edit`), writing them back to `points.toml` safely
//! (`writeback`), new points (`add`) and the report for scheduled jobs (`report`).
//!
//! The review screen is a thin layer over this module: it shows `queue`, turns keys
//! into `Action`s and hands them to a `PointsStore`.

pub mod add;
pub mod edit;
pub mod queue;
pub mod report;
pub mod writeback;

pub use add::{Added, NewPoint};
pub use edit::{Action, Field, FieldValue};
pub use queue::{queue, Category, Due, Filter, Policy, Reason, SortKey};
pub use report::Report;
pub use writeback::{Conflict, ContentHash, FieldConflict, PointsStore, WriteError, Written};

use crate::diag::Diagnostic;
use crate::library::{Checked, DataSource, Kind, Library};
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use std::path::Path;

/// Who is reviewing: `--reviewer`, else `$BRIEFPACK_REVIEWER`, else the name in
/// the settings (`saved`), else the login name. `env` looks a variable up, so the
/// rule is tested without touching the process.
pub fn reviewer(
    flag: Option<&str>,
    saved: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<String> {
    let given = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    given(flag.map(str::to_owned))
        .or_else(|| given(env("BRIEFPACK_REVIEWER")))
        .or_else(|| given(saved.map(str::to_owned)))
        .or_else(|| given(env("USER")))
        .or_else(|| given(env("LOGNAME")))
        .context("cannot tell who is reviewing; pass --reviewer NAME or set BRIEFPACK_REVIEWER")
}

/// Who is reviewing by a name given for it (`--reviewer`, `$BRIEFPACK_REVIEWER`,
/// the settings), never the login name: the review screen asks instead, as one
/// login may be shared by a desk.
pub fn named_reviewer(
    flag: Option<&str>,
    saved: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let given = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    given(flag.map(str::to_owned))
        .or_else(|| given(env("BRIEFPACK_REVIEWER")))
        .or_else(|| given(saved.map(str::to_owned)))
}

/// `reviewer` with the process environment.
pub fn reviewer_from_env(flag: Option<&str>, saved: Option<&str>) -> Result<String> {
    reviewer(flag, saved, |k| std::env::var(k).ok())
}

/// Why some of the points in points.toml (its `text`, named `file` in messages)
/// are missing from `checked`'s library: the file's first error, with its
/// place (`file:line:col`). `None` when every point loaded. A queue built without them
/// would read "nothing due" when the truth is "the file is broken".
pub fn unread_points(text: &str, checked: &Checked, file: &str) -> Option<String> {
    let first_error = || {
        checked
            .diagnostics
            .iter()
            .find(|d| d.is_error() && d.file == file)
            .map(ToString::to_string)
    };
    match edit::point_ids(text) {
        Ok(ids) if ids.len() <= checked.library.points.len() => None,
        Ok(ids) => Some(first_error().unwrap_or_else(|| {
            format!(
                "{file}: {} of its {} points could not be read",
                ids.len() - checked.library.points.len(),
                ids.len()
            )
        })),
        Err(e) => Some(first_error().unwrap_or_else(|| format!("{file}: {e}"))),
    }
}

/// The review report for a library as of a day, with the library's own problems (for
/// the caller to mention; broken links and sources are already reasons in the report).
pub fn report(
    source: &DataSource,
    as_of: NaiveDate,
    policy: Policy,
    sources_dir: Option<&Path>,
) -> Result<(Report, Vec<Diagnostic>)> {
    let checked = Library::load(source)?;
    if let Some(dir) = source.dir() {
        // A point that failed to load would silently drop out of the report, and a
        // scheduled job would read "nothing due"; so every point in the file must load.
        let path = dir.join(Kind::Point.file_name());
        let text = crate::input::read_text(&path, crate::input::LIBRARY_FILE, "library file")?;
        let in_file = edit::point_ids(&text).map_err(|e| anyhow::anyhow!("{e}"))?.len();
        let loaded = checked.library.points.len();
        if loaded < in_file {
            bail!(
                "{} of the {in_file} points in {} could not be read, so the report would be incomplete; `briefpack check` shows why",
                in_file - loaded,
                path.display()
            );
        }
    }
    if let Some(dir) = sources_dir {
        if !dir.is_dir() {
            bail!("source directory {} does not exist", dir.display());
        }
    }
    let due = queue(&checked.library, as_of, policy, sources_dir);
    let problems = checked
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    Ok((Report { as_of, policy, due }, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviewer_comes_from_flag_then_variable_then_login() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
        };
        let all = env(&[
            ("BRIEFPACK_REVIEWER", "desk-officer"),
            ("USER", "anna"),
            ("LOGNAME", "al"),
        ]);
        assert_eq!(
            reviewer(Some("boris"), Some("Anna Petrova"), all).unwrap(),
            "boris"
        );
        assert_eq!(reviewer(None, Some("Anna Petrova"), all).unwrap(), "desk-officer");
        assert_eq!(
            reviewer(Some("  "), None, env(&[("USER", "anna")])).unwrap(),
            "anna"
        );
        // The name in the settings comes before the login name (a shared account).
        assert_eq!(
            reviewer(None, Some("Anna Petrova"), env(&[("USER", "desk")])).unwrap(),
            "Anna Petrova"
        );
        assert_eq!(
            reviewer(
                None,
                Some(" "),
                env(&[("BRIEFPACK_REVIEWER", ""), ("LOGNAME", "al")])
            )
            .unwrap(),
            "al"
        );
        let e = reviewer(None, None, env(&[])).unwrap_err().to_string();
        assert!(e.contains("--reviewer"), "{e}");
    }
}
