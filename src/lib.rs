//! briefpack: compile summit-preparation briefing memos from a curated library.
//!
//! Layers, top to bottom (data flows down, never up):
//! `library` and `pack` (files on disk) -> `compose` (the format-free `Document`)
//! -> `render` (PDF and plain text) -> `cli` (and the terminal interface).

pub mod atomic;
pub mod cli;
pub mod compose;
pub mod diag;
pub mod draft;
pub mod library;
pub mod pack;
pub mod render;
pub mod review;
pub mod signals;
pub mod template;
pub mod tomledit;
pub mod tui;
