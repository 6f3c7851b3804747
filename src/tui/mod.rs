//! The terminal interface: `briefpack` with no subcommand.
//!
//! This module owns the terminal: raw mode and the alternate screen on the way in,
//! both undone on every way out (a normal quit, an error, a panic, Ctrl-Z). The
//! loop blocks on input, so an idle interface uses no CPU, and ratatui's diffing
//! means a keystroke rewrites only the cells it changed.

pub mod app;
pub mod build;
pub mod filter;
pub mod form;
pub mod input;
pub mod list;
pub mod review;
pub mod theme;
pub mod view;

use crate::library::Library;
use crate::pack::{self, Field, Pack};
use crate::template::Template;
use anyhow::{bail, Context, Result};
use app::{App, Effect, Event};
use crossterm::event::{self, Event as CtEvent, KeyEventKind};
use crossterm::{cursor, execute, terminal};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{BufWriter, IsTerminal, Stdout, Write};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;
use theme::Theme;

type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// How often the build's progress redraws while it runs.
const BUILD_TICK: Duration = Duration::from_millis(250);

/// Opens the interface on a pack (an existing file, or a new one to be saved
/// there) or on a new, unsaved pack; on the review screen when `open_review`.
pub fn run(
    lib: Library,
    template: Template,
    pack_path: Option<PathBuf>,
    review: review::Setup,
    open_review: bool,
) -> Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("the interface needs a terminal; for scripts use `briefpack build PACK`");
    }
    let mut notes = Vec::new();
    let pack = match &pack_path {
        Some(p) if p.exists() => {
            let opened = pack::load(p, &lib)?;
            notes.extend(opened.warnings.iter().map(ToString::to_string));
            opened.pack
        }
        Some(p) => {
            notes.push(format!("New pack; Ctrl-S saves it as {}.", p.display()));
            Pack::new()
        }
        None => Pack::new(),
    };
    let mut app = App::new(Arc::new(lib), Arc::new(template), pack, pack_path);
    app.review_setup = Some(review);
    if open_review {
        app.open_review();
    }
    if let Some(first) = notes.first() {
        let more = if notes.len() > 1 {
            format!(" (and {} more)", notes.len() - 1)
        } else {
            String::new()
        };
        app.info(format!("{first}{more}"));
    }
    install_panic_hook();
    enter()?;
    let result = Terminal::new(CrosstermBackend::new(BufWriter::new(std::io::stdout())))
        .context("cannot start the terminal interface")
        .and_then(|mut term| event_loop(&mut term, &mut app, Theme::from_env()));
    leave();
    result
}

/// Raw mode, the alternate screen, no cursor: what a full-screen program needs.
fn enter() -> Result<()> {
    terminal::enable_raw_mode().context("cannot put the terminal in raw mode")?;
    execute!(std::io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)
        .context("cannot switch to the alternate screen")?;
    Ok(())
}

/// Undoes `enter`; safe to call more than once, and from the panic hook.
fn leave() {
    let mut out = std::io::stdout();
    let _ = execute!(out, terminal::LeaveAlternateScreen, cursor::Show);
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A build's panic is caught and reported in the status bar; the
        // interface is still running, so the terminal must stay as it is.
        if std::thread::current().name() == Some(build::THREAD) {
            return;
        }
        leave();
        previous(info);
    }));
}

fn event_loop(term: &mut Term, app: &mut App, theme: Theme) -> Result<()> {
    let (done_tx, done_rx) = mpsc::channel();
    term.clear()?;
    let mut redraw = true;
    loop {
        if redraw {
            term.draw(|f| view::draw(f, app, theme))?;
        }
        let event = match next_event(app, &done_rx)? {
            Some(e) => e,
            None => {
                redraw = false;
                continue;
            }
        };
        redraw = true;
        for effect in app.handle(event) {
            match effect {
                Effect::Quit => return Ok(()),
                Effect::Save(path) => app.save_to(&path),
                Effect::Build(job) => build::spawn(*job, done_tx.clone()),
                Effect::Suspend => suspend(term)?,
                Effect::Edit(field, text) => {
                    let result = edit_external(term, field, &text)?;
                    let effects = app.handle(Event::Edited(field, result));
                    debug_assert!(effects.is_empty());
                }
                Effect::EditPoint(id, text) => {
                    let how = "one paragraph, line breaks become spaces";
                    let result = run_editor(term, "point text", how, &text)?;
                    let effects = app.handle(Event::PointEdited(id, result));
                    debug_assert!(effects.is_empty());
                }
            }
        }
    }
}

/// Waits for the next thing to react to. Blocks on input when nothing runs in
/// the background; polls at `BUILD_TICK` while a build runs. `None`: nothing
/// that changes the screen happened.
fn next_event(app: &App, done: &mpsc::Receiver<Result<build::Built, String>>) -> Result<Option<Event>> {
    if app.building.is_some() {
        if let Ok(result) = done.try_recv() {
            return Ok(Some(Event::Built(result)));
        }
        if !event::poll(BUILD_TICK)? {
            return Ok(Some(Event::Tick));
        }
    }
    Ok(match event::read()? {
        CtEvent::Key(k) if k.kind != KeyEventKind::Release => Some(Event::Key(k)),
        CtEvent::Resize(..) => Some(Event::Resize),
        _ => None,
    })
}

/// Ctrl-Z: give the terminal back, stop until `fg`, then take it again.
fn suspend(term: &mut Term) -> Result<()> {
    leave();
    #[cfg(unix)]
    // SAFETY: raise() only sends a signal to this process; SIGTSTP's default
    // action stops it until the shell continues it with SIGCONT.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    enter()?;
    // The screen was the shell's meanwhile: repaint everything.
    term.clear()?;
    Ok(())
}

/// Edits a field's text in `$VISUAL`/`$EDITOR` (else `vi`), as git does: the
/// interface steps aside, the editor runs on a temporary file, lines starting
/// with `#` are dropped.
fn edit_external(term: &mut Term, field: Field, text: &str) -> Result<Result<String, String>> {
    let how = if field.is_list() {
        "one item per line"
    } else {
        "line breaks become spaces"
    };
    run_editor(term, field.label(), how, text)
}

/// Runs the editor on `text`, described in a `#` line as `label` and `how`.
fn run_editor(term: &mut Term, label: &str, how: &str, text: &str) -> Result<Result<String, String>> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.trim().is_empty())
        .or_else(|| std::env::var("EDITOR").ok().filter(|e| !e.trim().is_empty()))
        .unwrap_or_else(|| "vi".to_owned());
    let file = std::env::temp_dir().join(format!(
        "briefpack-{}-{}.txt",
        std::process::id(),
        label.to_lowercase().replace(' ', "-")
    ));
    let body = format!(
        "{text}\n# {label}: {how}. Lines starting with # are ignored; an empty file clears the field.\n"
    );
    if let Err(e) = std::fs::write(&file, body) {
        return Ok(Err(format!("cannot write a temporary file for the editor: {e}")));
    }
    leave();
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(words)
        .arg(&file)
        .status();
    enter()?;
    term.clear()?;
    let read = std::fs::read_to_string(&file);
    let _ = std::fs::remove_file(&file);
    Ok(match status {
        Err(e) => Err(format!("cannot run the editor `{program}`: {e}; set $EDITOR")),
        Ok(s) if !s.success() => Err(format!("the editor `{program}` failed; {label} is unchanged")),
        Ok(_) => read
            .map(|t| {
                t.lines()
                    .filter(|l| !l.trim_start().starts_with('#'))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .map_err(|e| format!("cannot read back the edited text: {e}")),
    })
}

#[cfg(test)]
mod tests;
