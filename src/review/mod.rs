//! Reviewing the talking-point library: which points need review and why (`queue`),
//! review actions as data (`edit`), writing them back to `points.toml` safely
//! (`writeback`), new points (`add`) and the report for scheduled jobs (`report`).
//!
//! The review screen is a thin layer over this module: it shows `queue`, turns keys
//! into `Action`s and hands them to a `PointsStore`.

pub(crate) mod add;
pub(crate) mod edit;
pub mod queue;
pub(crate) mod report;
pub(crate) mod writeback;

pub use add::{Added, NewPoint};
pub use edit::{Action, Field, FieldValue};
pub use queue::{queue, Category, Due, Filter, Policy, Reason, SortKey};
pub(crate) use report::Report;
pub use writeback::{Conflict, ContentHash, FieldConflict, PointsStore, WriteError, Written};

use crate::diag::Diagnostic;
use crate::library::{Checked, DataSource, Kind, Library};
use anyhow::{bail, Result};
use chrono::NaiveDate;
use std::path::Path;

/// Who is reviewing by a name given for it (`--reviewer`, `$BRIEFPACK_REVIEWER`,
/// the settings), never the login name: the review screen asks instead, as one
/// login may be shared by a desk.
pub(crate) fn named_reviewer(
    flag: Option<&str>,
    saved: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let given = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    given(flag.map(str::to_owned))
        .or_else(|| given(env("BRIEFPACK_REVIEWER")))
        .or_else(|| given(saved.map(str::to_owned)))
}

/// Why some of the points in points.toml (its `text`, named `file` in messages)
/// are missing from `checked`'s library: the file's first error, with its
/// place (`file:line:col`). `None` when every point loaded. A queue built without them
/// would read "nothing due" when the truth is "the file is broken".
pub(crate) fn unread_points(text: &str, checked: &Checked, file: &str) -> Option<String> {
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
pub(crate) fn report(
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
    fn reviewer_comes_from_flag_then_variable_then_settings_never_the_login() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
        };
        let all = env(&[("BRIEFPACK_REVIEWER", "desk-officer"), ("USER", "anna")]);
        assert_eq!(
            named_reviewer(Some("boris"), Some("Anna Petrova"), all).as_deref(),
            Some("boris")
        );
        assert_eq!(
            named_reviewer(None, Some("Anna Petrova"), all).as_deref(),
            Some("desk-officer")
        );
        // The name in the settings; blanks count as nothing given.
        assert_eq!(
            named_reviewer(
                Some("  "),
                Some("Anna Petrova"),
                env(&[("BRIEFPACK_REVIEWER", " "), ("USER", "desk")])
            )
            .as_deref(),
            Some("Anna Petrova")
        );
        // A shared login is no one's name: the screen asks instead.
        assert_eq!(
            named_reviewer(None, None, env(&[("USER", "desk"), ("LOGNAME", "al")])),
            None
        );
    }
}
