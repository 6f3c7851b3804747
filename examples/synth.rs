//! Writes a synthetic library of N talking points (and optionally a pack that
//! selects K of them) for benchmarks and scaling runs.
//!
//! Usage: cargo run --release --example synth -- DIR N [PACK K]

#[path = "../benches/support/synth.rs"]
mod synth;

use anyhow::{bail, Context, Result};
use std::path::Path;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, n) = match args.as_slice() {
        [dir, n, ..] => (Path::new(dir), n.parse::<usize>().context("N must be a number")?),
        _ => bail!("usage: synth DIR N [PACK K]"),
    };
    let ids = synth::write_library(dir, n)?;
    if let [_, _, pack, k, ..] = args.as_slice() {
        let k: usize = k.parse().context("K must be a number")?;
        std::fs::write(pack, synth::pack_selecting(&ids, k)?)?;
    }
    Ok(())
}
