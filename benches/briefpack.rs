//! Speed of everything a user waits for: loading, filtering, drawing, composing,
//! building. `cargo bench`; `bench/run` adds the whole-process figures and the
//! side-by-side ratios against fzf and Typst.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a fixture that fails stops the measurement

#[path = "support/synth.rs"]
mod synth;

use briefpack::compose::compose;
use briefpack::library::{DataSource, Library};
use briefpack::pack::{Pack, Selection};
use briefpack::render::{self, Format};
use briefpack::template::Template;
use briefpack::tui::app::{App, Event};
use briefpack::tui::list::{rows_with, Filters, Haystacks, Pane};
use briefpack::tui::{theme::Theme, view};
use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// Synthetic libraries, written once per run under target/.
fn synthetic(n: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-data/lib-{n}"));
    if !dir.join("points.toml").exists() {
        synth::write_library(&dir, n).expect("write synthetic library");
    }
    dir
}

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("embedded", |b| {
        b.iter(|| Library::load(&DataSource::Embedded).unwrap());
    });
    for n in SIZES {
        let src = DataSource::Dir(synthetic(n));
        g.bench_with_input(BenchmarkId::new("points", n), &src, |b, src| {
            b.iter(|| Library::load(src).unwrap());
        });
    }
    g.finish();
}

fn filter(c: &mut Criterion) {
    let mut g = c.benchmark_group("filter_keystroke");
    g.sample_size(10);
    for n in SIZES {
        let lib = Library::load(&DataSource::Dir(synthetic(n)))
            .unwrap()
            .into_valid()
            .unwrap();
        let sel = Selection::default();
        // The third keystroke of a query: the pane is refiltered from scratch.
        let f = Filters {
            query: "drg".into(),
            ..Filters::default()
        };
        // The interface prepares the labels once per library, in the background.
        let hay = Haystacks::build(&lib);
        g.bench_with_input(BenchmarkId::new("points", n), &lib, |b, lib| {
            b.iter(|| black_box(rows_with(lib, Some(&hay), Pane::Points, &f, &sel).len()));
        });
    }
    g.finish();
}

fn app(lib: Library) -> App {
    App::new(
        Arc::new(lib),
        Arc::new(Template::default_template().unwrap()),
        Pack::new(),
        None,
    )
}

/// A cursor move, then the redraw it causes, measured on `a` at `w`x`h`.
fn cursor_move(g: &mut BenchmarkGroup<'_, WallTime>, id: BenchmarkId, mut a: App, (w, h): (u16, u16)) {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let down = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    let up = KeyEvent::new(KeyCode::Char('k'), KeyModifiers::NONE);
    let mut flip = false;
    g.bench_function(id, |b| {
        b.iter(|| {
            flip = !flip;
            a.handle(Event::Key(if flip { down } else { up }));
            term.draw(|f| view::draw(f, &mut a, Theme { no_color: false }))
                .unwrap();
        });
    });
}

fn frame(c: &mut Criterion) {
    let mut g = c.benchmark_group("frame");
    for (w, h) in [(80u16, 24u16), (200, 50)] {
        let a = app(Library::embedded().unwrap());
        cursor_move(&mut g, BenchmarkId::from_parameter(format!("{w}x{h}")), a, (w, h));
    }
    // The same among the points of large libraries: a frame draws only the rows
    // on screen, so its cost should not grow with the library.
    for n in SIZES {
        let lib = Library::load(&DataSource::Dir(synthetic(n)))
            .unwrap()
            .into_valid()
            .unwrap();
        let mut a = app(lib);
        a.handle(Event::Key(KeyEvent::new(KeyCode::Char('3'), KeyModifiers::NONE)));
        cursor_move(&mut g, BenchmarkId::new("points-80x24", n), a, (80, 24));
    }
    g.finish();
}

fn example_pack(lib: &Library) -> Pack {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sochi-2011-informal-summit.toml");
    briefpack::pack::load(&path, lib).unwrap().pack
}

fn build(c: &mut Criterion) {
    let lib = Library::embedded().unwrap();
    let t = Template::default_template().unwrap();
    let pack = example_pack(&lib);
    c.bench_function("compose/example", |b| b.iter(|| compose(&lib, &pack, &t)));
    let doc = compose(&lib, &pack, &t);
    c.bench_function("text/example", |b| {
        b.iter(|| render::render(&doc, &t, Format::Text).unwrap());
    });
    let mut g = c.benchmark_group("pdf");
    g.sample_size(10);
    g.bench_function("example", |b| {
        b.iter(|| render::render(&doc, &t, Format::Pdf).unwrap());
    });
    let big = Library::load(&DataSource::Dir(synthetic(1_000)))
        .unwrap()
        .into_valid()
        .unwrap();
    let ids: Vec<String> = big.points.iter().map(|p| p.id.clone()).collect();
    let text = synth::pack_selecting(&ids, 400).unwrap();
    let pack400 = briefpack::pack::parse(&text, "400-points.toml", &big)
        .unwrap()
        .pack;
    let doc400 = compose(&big, &pack400, &t);
    g.bench_function("400-points", |b| {
        b.iter(|| render::render(&doc400, &t, Format::Pdf).unwrap());
    });
    g.finish();
}

criterion_group!(benches, load, filter, frame, build);
criterion_main!(benches);
