//! What the user told briefpack once and should not have to tell it again: the
//! library checkout the review screen works on and the reviewer's name. Kept in
//! `$XDG_CONFIG_HOME/briefpack/config.toml`, else `~/.config/briefpack/config.toml`;
//! written atomically, and only with what the user chose in the interface.

use crate::diag::Diagnostic;
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A config file is a few lines; anything bigger is not one.
const MAX_BYTES: u64 = 64 * 1024;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The library checkout `r` reviews when neither `--data` nor
    /// `BRIEFPACK_DATA` names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<PathBuf>,
    /// Who stamps reviews when neither `--reviewer` nor `BRIEFPACK_REVIEWER`
    /// says: on a shared account the login name says nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    /// Clicks and the wheel (on unless `false`); off, the terminal keeps the
    /// mouse for its own selection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mouse: Option<bool>,
}

/// Where the config file is: the XDG rule, read from the variables directly as
/// `draft::default_dir` does for the state directory.
pub(crate) fn default_path() -> Result<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    if let Some(dir) = var("XDG_CONFIG_HOME") {
        return Ok(dir.join("briefpack").join("config.toml"));
    }
    if let Some(home) = var("HOME") {
        return Ok(home.join(".config").join("briefpack").join("config.toml"));
    }
    bail!("cannot find where to keep settings: set XDG_CONFIG_HOME or HOME")
}

impl Config {
    /// The settings in `path`; none when the file does not exist yet. A file
    /// that does not read as settings is an error naming its line and column.
    pub(crate) fn load(path: &Path) -> Result<Config> {
        if !path.exists() {
            return Ok(Config::default());
        }
        let text = crate::input::read_text(path, MAX_BYTES, "settings file")?;
        let name = path.display().to_string();
        toml::from_str(&text).map_err(|e| {
            let at = Diagnostic::at_span(&name, &text, e.span(), crate::diag::toml_message(e.message()));
            anyhow::anyhow!("{at}")
        })
    }

    /// Writes the settings to `path` (its directory made if need be).
    pub(crate) fn save(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let text = format!(
            "# briefpack's settings, written when you chose them in the interface.\n{}",
            toml::to_string(self).context("cannot write the settings")?
        );
        crate::atomic::write(path, text.as_bytes())
            .with_context(|| format!("cannot save the settings to {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_a_missing_file_is_no_settings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("briefpack").join("config.toml");
        assert_eq!(Config::load(&path).unwrap(), Config::default());
        let c = Config {
            library: Some(PathBuf::from("/srv/library/data")),
            reviewer: Some("Anna Petrova".into()),
            mouse: Some(false),
        };
        c.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("library = \"/srv/library/data\""), "{text}");
        assert_eq!(Config::load(&path).unwrap(), c);
    }

    #[test]
    fn a_bad_settings_file_is_named_with_its_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "reviewer = \"Anna\"\nlibary = \"/srv\"\n").unwrap();
        let e = format!("{:#}", Config::load(&path).unwrap_err());
        assert!(e.contains("config.toml:2:1"), "{e}");
        assert!(e.contains("libary"), "{e}");
    }
}
