//! Synthetic libraries of any size, for benchmarks and scaling runs. Sources,
//! threats and partners are the embedded library's; the points are the embedded
//! points repeated with numbered ids, so every link and excerpt stays valid.

use anyhow::{bail, Result};
use briefpack::library::{Kind, Library};
use std::fmt::Write as _;
use std::path::Path;

/// Writes a library of `n` points into `dir` and returns the point ids.
pub fn write_library(dir: &Path, n: usize) -> Result<Vec<String>> {
    let lib = Library::embedded()?;
    if lib.points.is_empty() {
        bail!("the embedded library has no points to repeat");
    }
    std::fs::create_dir_all(dir)?;
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for kind in Kind::ALL.into_iter().filter(|k| *k != Kind::Point) {
        std::fs::copy(data.join(kind.file_name()), dir.join(kind.file_name()))?;
    }
    let mut out = String::with_capacity(n * 700);
    out.push_str("# Synthetic talking points for benchmarks.\n");
    let mut ids = Vec::with_capacity(n);
    let list = |v: &[String]| v.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
    for i in 0..n {
        let p = &lib.points[i % lib.points.len()];
        let id = format!("{}-{i}", p.id);
        let _ = write!(
            out,
            "\n[[points]]\nid = {id:?}\ntext = {:?}\nkind = {:?}\nthreats = [{}]\npartners = [{}]\nsource = {:?}\n\
             excerpt = {:?}\nstatus = {:?}\nreviewed = 2026-11-24\nreviewer = \"secretariat\"\ntags = [{}]\n",
            format!("{} (variant {i})", p.text),
            p.kind.as_str(),
            list(&p.threats),
            list(&p.partners),
            p.source,
            p.excerpt,
            p.status.as_str(),
            list(&p.tags),
        );
        ids.push(id);
    }
    std::fs::write(dir.join("points.toml"), out)?;
    Ok(ids)
}

/// The example pack with its points replaced by the first `k` of `ids`.
pub fn pack_selecting(ids: &[String], k: usize) -> Result<String> {
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sochi-2011-informal-summit.toml"),
    )?;
    let mut pack: toml::Table = toml::from_str(&example)?;
    let chosen = ids.iter().take(k).cloned().map(toml::Value::String).collect();
    if let Some(toml::Value::Table(sel)) = pack.get_mut("selection") {
        sel.insert("points".into(), toml::Value::Array(chosen));
    }
    Ok(toml::to_string(&pack)?)
}
