//! Writes a synthetic library of N talking points (and optionally packs that
//! each select K of them) for benchmarks and scaling runs.
//!
//! Usage: cargo run --release --example synth -- DIR N [PACK K]...

#[path = "../benches/support/synth.rs"]
mod synth;

use anyhow::{bail, Context, Result};
use std::path::Path;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, n) = match args.as_slice() {
        [dir, n, ..] => (Path::new(dir), n.parse::<usize>().context("N must be a number")?),
        _ => bail!("usage: synth DIR N [PACK K]..."),
    };
    let packs = &args[2..];
    if !packs.len().is_multiple_of(2) {
        bail!("usage: synth DIR N [PACK K]...: each pack needs its K");
    }
    let ids = synth::write_library(dir, n)?;
    for pair in packs.chunks(2) {
        let k: usize = pair[1].parse().context("K must be a number")?;
        std::fs::write(&pair[0], synth::pack_selecting(&ids, k)?)?;
    }
    Ok(())
}
