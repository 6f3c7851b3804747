//! Writes a synthetic library of N talking points (and optionally a pack that
//! selects K of them) for benchmarks and scaling tests.
//!
//! Usage: cargo run --release --example synth -- DIR N [PACK K]
//! Sources, threats and partners are the embedded library's; the points are the
//! embedded points repeated with numbered ids, so every link and excerpt stays valid.

use anyhow::{bail, Context, Result};
use briefpack::library::{Kind, Library};
use std::fmt::Write as _;
use std::path::Path;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, n) = match args.as_slice() {
        [dir, n, ..] => (Path::new(dir), n.parse::<usize>().context("N must be a number")?),
        _ => bail!("usage: synth DIR N [PACK K]"),
    };
    let lib = Library::embedded()?;
    if lib.points.is_empty() {
        bail!("the embedded library has no points to repeat");
    }
    std::fs::create_dir_all(dir)?;
    // Everything but the points is copied as it is in data/.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for kind in Kind::ALL.into_iter().filter(|k| *k != Kind::Point) {
        std::fs::copy(data.join(kind.file_name()), dir.join(kind.file_name()))?;
    }
    let mut out = String::with_capacity(n * 700);
    out.push_str("# Synthetic talking points for benchmarks.\n");
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let p = &lib.points[i % lib.points.len()];
        let id = format!("{}-{i}", p.id);
        let list = |v: &[String]| v.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
        let _ = write!(
            out,
            "\n[[points]]\nid = {id:?}\ntext = {:?}\nkind = {:?}\nthreats = [{}]\npartners = [{}]\nsource = {:?}\nexcerpt = {:?}\nstatus = {:?}\nreviewed = 2026-11-24\nreviewer = \"secretariat\"\ntags = [{}]\n",
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
    if let [_, _, pack, k, ..] = args.as_slice() {
        let k: usize = k.parse().context("K must be a number")?;
        let example = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sochi-2011-informal-summit.toml"),
        )?;
        let mut pack_value: toml::Table = toml::from_str(&example)?;
        let chosen: Vec<toml::Value> = ids.iter().take(k).cloned().map(toml::Value::String).collect();
        if let Some(toml::Value::Table(sel)) = pack_value.get_mut("selection") {
            sel.insert("points".into(), toml::Value::Array(chosen));
        }
        std::fs::write(pack, toml::to_string(&pack_value)?)?;
    }
    Ok(())
}
