//! briefpack: compile summit-preparation briefing memos from a curated library.
//!
//! Layers, top to bottom (data flows down, never up; a module imports only from
//! the layers above it):
//! `library`, `template` and `pack` with `draft` (files on disk) -> `compose` (the
//! format-free `Document`) -> `render` (PDF and plain text), `review` (write-back to
//! the library) -> `cli` and `tui`, the two front ends, which hold no domain logic.
//!
//! Leaves any layer may use, which import nothing of the crate: `atomic` (file
//! writes), `input` (bounded file reads), `clean` (text made safe to show), `diag`
//! (messages placed at a file, line and column), `size` (sizes as people read
//! them) and `tomledit` (TOML values written in a file's own layout). `signals`
//! serves the front ends' exit paths.

pub mod atomic;
pub mod clean;
pub mod cli;
pub mod compose;
pub mod config;
pub mod diag;
pub mod draft;
pub mod input;
pub mod library;
pub mod pack;
pub mod render;
pub mod review;
#[cfg(test)]
mod shipped;
pub mod signals;
pub mod size;
pub mod spelling;
pub mod template;
pub mod tomledit;
pub mod tui;
