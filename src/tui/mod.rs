//! The terminal interface: `briefpack` with no subcommand.
//!
//! This module owns the terminal: raw mode and the alternate screen on the way in,
//! both undone on every way out (a normal quit, an error, a panic, Ctrl-Z). The
//! loop blocks on input, so an idle interface uses no CPU, and ratatui's diffing
//! means a keystroke rewrites only the cells it changed.

pub mod app;
pub(crate) mod autosave;
pub mod backend;
pub(crate) mod build;
pub(crate) mod clash;
pub(crate) mod complete;
pub(crate) mod everywhere;
pub(crate) mod filter;
mod folder;
pub(crate) mod form;
pub(crate) mod history;
pub(crate) mod input;
pub(crate) mod keymap;
pub mod list;
pub(crate) mod mouse;
pub(crate) mod offer;
pub(crate) mod picker;
pub(crate) mod review;
#[cfg(unix)]
mod scratch;
pub mod theme;
mod typing;
pub mod view;
mod wait;

use crate::draft::{DraftKey, Store};
use crate::library::Library;
use crate::pack::{self, Field, Pack};
use crate::signals::{self, Signal, Signals, Wakeup};
use crate::template::Template;
use anyhow::{bail, Context, Result};
use app::{App, Effect, Event};
use crossterm::event::{self, Event as CtEvent, KeyEventKind};
use crossterm::{cursor, execute, terminal};
use ratatui::Terminal;
use std::io::{BufWriter, IsTerminal, Stdout, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use theme::Theme;

type Term = Terminal<backend::Lean<BufWriter<Stdout>>>;

/// How often the build's progress redraws while it runs.
const BUILD_TICK: Duration = Duration::from_millis(250);

/// How long after SIGHUP or SIGTERM a stuck main thread is given before a
/// watch thread saves the draft and exits (see `signals::exit_if_stuck`).
const STUCK_GRACE: Duration = Duration::from_secs(2);

/// How the event loop ended.
enum Ending {
    Quit,
    Signal(Signal),
    /// The terminal went away without a signal reaching the loop first.
    Hangup,
    /// The user quit knowing the changes could not be kept (`Effect::Abandon`).
    Abandoned,
}

/// Opens the interface on a pack (an existing file, or a new one to be saved
/// there) or on a new, unsaved pack; on the review screen when `open_review`.
/// Every change goes to a draft within a second; the exit code is a signal's
/// (128 + n) when one ended the session.
pub(crate) fn run(
    lib: Library,
    template: Template,
    pack_path: Option<PathBuf>,
    review: review::Setup,
    open_review: bool,
) -> Result<ExitCode> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("the interface needs a terminal; for scripts use `briefpack build PACK`");
    }
    // A dumb terminal (Emacs' shell, some CI consoles) cannot take the
    // alternate screen, cursor moves or colours the interface is drawn with.
    if std::env::var_os("TERM").is_some_and(|t| t == "dumb") {
        bail!(
            "the interface needs a terminal that can move the cursor, and TERM=dumb says this one cannot; set TERM (e.g. TERM=xterm-256color), or for scripts use `briefpack build PACK`"
        );
    }
    let mut notes = Vec::new();
    let mut disk = None;
    let mut left_out = Vec::new();
    let pack = match &pack_path {
        Some(p) if p.exists() => {
            let text = pack::read(p)?;
            let (opened, unknown) = pack::parse_leaving_out_unknown(&text, &p.display().to_string(), &lib)?;
            disk = Some(text);
            if !unknown.is_empty() {
                const SHOWN: usize = 5;
                let mut named = unknown.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
                if unknown.len() > SHOWN {
                    named.push_str(&format!(" and {} more", unknown.len() - SHOWN));
                }
                notes.insert(
                    0,
                    // The count and the way on first: at 80 columns the list is cut.
                    format!(
                        "{} no longer in the library left out (Ctrl-S saves without {}): {named}.",
                        if unknown.len() == 1 {
                            "1 id".to_owned()
                        } else {
                            format!("{} ids", unknown.len())
                        },
                        if unknown.len() == 1 { "it" } else { "them" }
                    ),
                );
            }
            left_out = unknown;
            notes.extend(opened.warnings.iter().map(ToString::to_string));
            opened.pack
        }
        Some(p) => {
            notes.push(format!("New pack; Ctrl-S saves it as {}.", p.display()));
            Pack::new()
        }
        None => Pack::new(),
    };
    let store = Store::open_default()?;
    let key = pack_path
        .as_deref()
        .map_or_else(DraftKey::new_pack, DraftKey::for_path);
    let (offered, note) = autosave::offer(&store, &key);
    notes.extend(note);
    let mut app = App::new(Arc::new(lib), Arc::new(template), pack, pack_path);
    // What is open differs from the file: quitting asks, and a save drops them.
    app.dirty |= !left_out.is_empty();
    app.disk = disk;
    // The settings: where `r` found a library checkout last time, who reviews.
    let mut review = review;
    match crate::config::default_path().and_then(|p| Ok((crate::config::Config::load(&p)?, p))) {
        Ok((config, path)) => {
            if review.source.dir().is_none() {
                if let Some(dir) = config.library.as_ref().filter(|d| d.is_dir()) {
                    review.source = crate::library::DataSource::Dir(dir.clone());
                }
            }
            review.saved_reviewer.clone_from(&config.reviewer);
            MOUSE.store(config.mouse != Some(false), std::sync::atomic::Ordering::Relaxed);
            app.settings = Some((path, config));
        }
        Err(e) => notes.push(format!("Settings not read: {e:#}")),
    }
    app.review_setup = Some(review);
    if open_review {
        app.open_review_only();
    }
    app.offer_drafts(offered);
    let mut drafts = autosave::Autosave::new(store, key, &app);
    if let Some(first) = notes.first() {
        let more = if notes.len() > 1 {
            format!(" (and {} more)", notes.len() - 1)
        } else {
            String::new()
        };
        app.info(format!("{first}{more}"));
    }
    let signals = Signals::install()?;
    let wakeup = Wakeup::install()?;
    signals::exit_if_stuck(drafts.flusher(), STUCK_GRACE)?;
    // Outermost first: a build thread's panic never reaches the draft hook.
    signals::on_panic(drafts.flusher(), leave);
    install_panic_hook();
    enter()?;
    let result = Terminal::new(backend::Lean::new(BufWriter::new(std::io::stdout())))
        .context("cannot start the terminal interface")
        .and_then(|mut term| {
            let ending = event_loop(
                &mut term,
                &mut app,
                Theme::from_env(),
                &mut drafts,
                &signals,
                &wakeup,
            );
            if matches!(ending, Ok(Ending::Hangup | Ending::Signal(Signal::Hangup))) {
                // Dropping the terminal shows the cursor, and ratatui reports a
                // failure with eprintln!, which panics when stderr is the dead
                // terminal. The process is about to exit; let it go.
                std::mem::forget(term);
            }
            ending
        });
    // However the loop ended, what is pending goes to the draft (unless the user
    // chose to lose it, the draft being impossible to write).
    let kept = if matches!(result, Ok(Ending::Abandoned)) {
        Ok(None)
    } else {
        drafts.flush(&app)
    };
    let terminal_remains = match &result {
        Ok(Ending::Signal(sig)) => sig.terminal_may_remain(),
        Ok(Ending::Hangup) => false,
        _ => true,
    };
    if terminal_remains {
        leave();
    }
    if terminal_remains {
        // Written with `let _`: stderr may be gone, and eprintln! would panic.
        let mut err = std::io::stderr();
        if matches!(result, Ok(Ending::Abandoned)) {
            let _ = writeln!(
                err,
                "briefpack: quit without saving; the changes since the last save are lost, as you chose."
            );
        }
        match kept {
            Ok(Some(file)) => {
                let again = app.path.as_ref().map_or_else(
                    || "briefpack".to_owned(),
                    |p| format!("briefpack {}", p.display()),
                );
                let _ = writeln!(
                    err,
                    "briefpack: unsaved changes kept as a draft ({}); `{again}` offers it next time.",
                    file.display()
                );
            }
            Ok(None) => {}
            Err(e) => {
                let _ = writeln!(err, "briefpack: could not save the draft: {e:#}");
            }
        }
    }
    Ok(match result? {
        Ending::Quit | Ending::Abandoned => ExitCode::SUCCESS,
        Ending::Signal(sig) => ExitCode::from(sig.exit_code()),
        Ending::Hangup => ExitCode::from(Signal::Hangup.exit_code()),
    })
}

/// Whether the interface takes the mouse (the settings' `mouse`, on unless
/// `false`): read by `enter`, which runs again after Ctrl-Z and the editor.
static MOUSE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Presses, releases and the wheel, in the SGR encoding (any size of screen).
/// Not crossterm's `EnableMouseCapture`: it also asks for every motion, which
/// over SSH is a stream of reports, and a redraw each, for a pointer just moved.
const MOUSE_ON: &[u8] = b"\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &[u8] = b"\x1b[?1006l\x1b[?1000l";

/// Raw mode, the alternate screen, no cursor, the mouse when wanted: what a
/// full-screen program needs.
fn enter() -> Result<()> {
    terminal::enable_raw_mode().context("cannot put the terminal in raw mode")?;
    execute!(std::io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)
        .context("cannot switch to the alternate screen")?;
    if MOUSE.load(std::sync::atomic::Ordering::Relaxed) {
        let mut out = std::io::stdout();
        out.write_all(MOUSE_ON)
            .and_then(|()| out.flush())
            .context("cannot take the mouse")?;
    }
    Ok(())
}

/// Undoes `enter`; safe to call more than once, and from the panic hook.
fn leave() {
    let mut out = std::io::stdout();
    let _ = out.write_all(MOUSE_OFF);
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

fn event_loop(
    term: &mut Term,
    app: &mut App,
    theme: Theme,
    drafts: &mut autosave::Autosave,
    signals: &Signals,
    wakeup: &Wakeup,
) -> Result<Ending> {
    let (done_tx, done_rx) = mpsc::channel();
    term.clear()?;
    let mut redraw = true;
    loop {
        if let Some(sig) = signals.pending() {
            return Ok(Ending::Signal(sig));
        }
        let now = Instant::now();
        drafts.observe(app, now);
        redraw |= drafts.tick(app, now);
        if redraw {
            if let Err(e) = term.draw(|f| view::draw(f, app, theme)) {
                return if wait::hung_up() {
                    Ok(Ending::Hangup)
                } else {
                    Err(e.into())
                };
            }
            redraw = false;
        }
        // Wake for input, a signal, the draft's deadline, a build's progress;
        // with none of these pending, block: an idle interface uses no CPU.
        let mut timeout = drafts.timeout(now);
        if let Some(t) = app.settle_timeout(now) {
            timeout = Some(timeout.map_or(t, |d| d.min(t)));
        }
        if app.building.is_some() {
            timeout = Some(timeout.map_or(BUILD_TICK, |t| t.min(BUILD_TICK)));
        }
        let mut events = match wait::wait(wakeup, timeout)? {
            wait::Wake::Hangup => return Ok(Ending::Hangup),
            wait::Wake::Signal if signals.pending().is_some() => continue,
            // A window resize (the one other signal watched). Crossterm does not
            // always have its event yet when the pipe wakes us (a resized window
            // was left at its old size until a key), so the wake is the event.
            wait::Wake::Signal => {
                let mut events = read_ready()?;
                if !events.iter().any(|e| matches!(e, Event::Resize)) {
                    events.push(Event::Resize);
                }
                events
            }
            wait::Wake::Input => read_ready()?,
            // The draft's deadline, or the current item's full title due
            // (only that needs drawing).
            wait::Wake::Timeout if app.settle_timeout(Instant::now()).is_some() => vec![Event::Tick],
            wait::Wake::Timeout => Vec::new(),
        };
        if app.building.is_some() {
            match done_rx.try_recv() {
                Ok(result) => events.push(Event::Built(result)),
                Err(_) => events.push(Event::Tick),
            }
        }
        for event in events {
            redraw = true;
            for effect in app.handle(event) {
                match effect {
                    Effect::Quit => {
                        // Quitting keeps unsaved changes as a draft; if that
                        // cannot be written, the user stays, or quits losing them
                        // after saying so.
                        match drafts.flush(app) {
                            Ok(_) => return Ok(Ending::Quit),
                            Err(e) => app.cannot_keep_draft(&format!("{e:#}")),
                        }
                    }
                    Effect::Abandon => return Ok(Ending::Abandoned),
                    Effect::Save(path) => {
                        if app.save_to(&path) {
                            drafts.saved(app, &path);
                        }
                    }
                    Effect::Build(job) => build::spawn(*job, &done_tx),
                    Effect::Suspend => {
                        drafts.flush_or_report(app);
                        suspend(term)?;
                    }
                    Effect::Edit(field, text) => {
                        // The link may drop while the editor runs.
                        drafts.flush_or_report(app);
                        let result = edit_external(term, field, &text)?;
                        let effects = app.handle(Event::Edited(field, result));
                        debug_assert!(effects.is_empty());
                    }
                    Effect::EditPoint(id, text) => {
                        drafts.flush_or_report(app);
                        let how = "one paragraph, line breaks become spaces";
                        let result = run_editor(term, "point text", how, &text)?;
                        let effects = app.handle(Event::PointEdited(id, result));
                        debug_assert!(effects.is_empty());
                    }
                    Effect::Draft(op) => drafts.apply(app, op),
                }
            }
            drafts.observe(app, Instant::now());
        }
    }
}

/// Every event crossterm has ready, without blocking. Only called when the
/// terminal is alive (see `wait`).
fn read_ready() -> Result<Vec<Event>> {
    let mut events = Vec::new();
    while event::poll(Duration::ZERO)? {
        match event::read()? {
            CtEvent::Key(k) if k.kind != KeyEventKind::Release => events.push(Event::Key(k)),
            CtEvent::Resize(..) => events.push(Event::Resize),
            CtEvent::Mouse(m) => events.push(Event::Mouse(m)),
            _ => {}
        }
    }
    Ok(events)
}

/// Ctrl-Z: give the terminal back, stop until `fg`, then take it again.
fn suspend(term: &mut Term) -> Result<()> {
    leave();
    // SIGTSTP's default action stops the process until the shell continues it.
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
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
    let body = format!(
        "{text}\n# {label}: {how}. Lines starting with # are ignored; an empty file clears the field.\n"
    );
    // Removed when this function returns, by whatever path (the terminal gone
    // after a hang-up is an early return below).
    let scratch = match scratch::Scratch::create(label, &body) {
        Ok(s) => s,
        Err(e) => return Ok(Err(format!("cannot write a temporary file for the editor: {e}"))),
    };
    let file = scratch.path();
    leave();
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    let status = std::process::Command::new(program).args(words).arg(file).status();
    enter()?;
    term.clear()?;
    let read = crate::input::read_text(file, crate::input::PACK_FILE, "field's text");
    drop(scratch);
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
            .map_err(|e| format!("cannot read back the edited text: {e:#}")),
    })
}

#[cfg(test)]
pub(crate) mod testkit;
#[cfg(test)]
mod tests;
