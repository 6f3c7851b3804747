//! The ways a session ends that the user did not choose: the SSH link dropped
//! (SIGHUP), the server is shutting down or an admin ended the session (SIGTERM),
//! an interrupt (SIGINT), a panic. Each must save the draft and give the terminal
//! back in a usable state.
//!
//! Signals become a flag that the interface's event loop reads between events:
//! a signal handler may do almost nothing safely (no allocation, no locks, no
//! terminal writes), so the saving and restoring happen on the main thread.
//!
//! `signal-hook` does the registering: it is already in the build (crossterm
//! depends on it, so it adds no crate to the lock file), it is the maintained,
//! widely used way to do this in Rust, and it chains with crossterm's own SIGWINCH
//! handling instead of replacing it, which a hand-written `sigaction` would risk.

use crate::draft::Flusher;
use anyhow::{Context, Result};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A signal that ends the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Signal {
    /// The terminal (the SSH link) went away.
    Hangup,
    Terminate,
    Interrupt,
}

impl Signal {
    fn number(self) -> i32 {
        match self {
            Signal::Hangup => signal_hook::consts::SIGHUP,
            Signal::Terminate => signal_hook::consts::SIGTERM,
            Signal::Interrupt => signal_hook::consts::SIGINT,
        }
    }

    fn from_number(n: usize) -> Option<Signal> {
        [Signal::Hangup, Signal::Terminate, Signal::Interrupt]
            .into_iter()
            .find(|s| usize::try_from(s.number()).is_ok_and(|x| x == n))
    }

    /// The exit status shells expect of a process ended by this signal (128 + n).
    pub(crate) fn exit_code(self) -> u8 {
        u8::try_from(128 + self.number()).unwrap_or(1)
    }

    /// Whether there may still be a terminal to restore: after a hangup there is
    /// none, and writing to it would only fail (or block on a dead link).
    pub(crate) fn terminal_may_remain(self) -> bool {
        self != Signal::Hangup
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Signal::Hangup => "SIGHUP",
            Signal::Terminate => "SIGTERM",
            Signal::Interrupt => "SIGINT",
        }
    }
}

/// SIGHUP, SIGTERM and SIGINT caught into a flag while this value lives; dropping
/// it puts the previous handling back.
///
/// The event loop must wake up to notice: poll input with a timeout (200 ms is
/// plenty), then check `pending()`; on `Some(sig)`: flush the draft, restore the
/// terminal if `sig.terminal_may_remain()`, and exit with `sig.exit_code()`.
pub(crate) struct Signals {
    caught: Arc<AtomicUsize>,
    ids: Vec<signal_hook::SigId>,
}

impl Signals {
    pub(crate) fn install() -> Result<Signals> {
        let caught = Arc::new(AtomicUsize::new(0));
        let mut ids = Vec::new();
        for sig in [Signal::Hangup, Signal::Terminate, Signal::Interrupt] {
            let n = sig.number();
            let value = usize::try_from(n).context("signal numbers are positive")?;
            match signal_hook::flag::register_usize(n, Arc::clone(&caught), value) {
                Ok(id) => ids.push(id),
                Err(e) => {
                    for id in ids {
                        signal_hook::low_level::unregister(id);
                    }
                    return Err(e).with_context(|| format!("cannot catch {}", sig.name()));
                }
            }
        }
        Ok(Signals { caught, ids })
    }

    /// The last ending signal received, if any. It stays set: once the session
    /// is ending, it is ending.
    pub(crate) fn pending(&self) -> Option<Signal> {
        Signal::from_number(self.caught.load(Ordering::SeqCst))
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// Wakes an event loop that blocks on the terminal when a signal arrives: the
/// self-pipe pattern. The loop polls `fd()` next to the terminal, so it can block
/// with no timeout at all when idle (no CPU) and still react at once to SIGHUP,
/// SIGTERM, SIGINT and SIGWINCH (window resizes, which crossterm also catches,
/// but on a pipe the loop cannot watch). Install it after `Signals`, so the flag
/// is set before the pipe wakes anyone (signal-hook runs actions in order).
#[cfg(unix)]
pub(crate) struct Wakeup {
    read: std::os::unix::net::UnixStream,
    ids: Vec<signal_hook::SigId>,
}

#[cfg(unix)]
impl Wakeup {
    pub(crate) fn install() -> Result<Wakeup> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGWINCH};
        let (read, write) =
            std::os::unix::net::UnixStream::pair().context("cannot create the signal wake-up pipe")?;
        read.set_nonblocking(true)
            .context("cannot create the signal wake-up pipe")?;
        let mut wakeup = Wakeup {
            read,
            ids: Vec::new(),
        };
        for sig in [SIGHUP, SIGTERM, SIGINT, SIGWINCH] {
            let end = write
                .try_clone()
                .context("cannot create the signal wake-up pipe")?;
            // On error, dropping `wakeup` unregisters what was registered.
            let id = signal_hook::low_level::pipe::register(sig, end)
                .with_context(|| format!("cannot watch for signal {sig}"))?;
            wakeup.ids.push(id);
        }
        Ok(wakeup)
    }

    /// The end to poll for reading.
    pub(crate) fn fd(&self) -> std::os::unix::io::RawFd {
        use std::os::unix::io::AsRawFd;
        self.read.as_raw_fd()
    }

    /// Empties the pipe; call before looking at what woke the loop, so a signal
    /// arriving meanwhile wakes it again rather than being lost.
    pub(crate) fn drain(&self) {
        use std::io::Read;
        let mut buf = [0u8; 64];
        while matches!((&self.read).read(&mut buf), Ok(n) if n > 0) {}
    }
}

#[cfg(unix)]
impl Drop for Wakeup {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// A last resort for an ending signal the event loop does not get to: if the
/// process is still running `grace` after SIGHUP or SIGTERM, a thread
/// saves the draft and exits with the signal's code. The loop normally exits in
/// milliseconds; this covers a main thread that cannot return, such as one
/// blocked on a dead terminal inside a library, or waiting for an editor.
/// SIGINT is left to the loop: it can come from Ctrl-C typed into an editor the
/// interface is waiting for, and the loop handles it once the editor returns.
pub(crate) fn exit_if_stuck(flusher: Flusher, grace: std::time::Duration) -> Result<()> {
    let numbers = [Signal::Hangup, Signal::Terminate].map(Signal::number);
    let mut iter = signal_hook::iterator::Signals::new(numbers).context("cannot watch for ending signals")?;
    std::thread::Builder::new()
        .name("briefpack-signals".into())
        .spawn(move || {
            let Some(n) = iter.forever().next() else {
                return;
            };
            std::thread::sleep(grace);
            let sig = usize::try_from(n).ok().and_then(Signal::from_number);
            // The main thread may hold the draft's lock while writing it: let that
            // write finish (a second or so), then write whatever is left.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
            while flusher.flush().is_err() && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            std::process::exit(sig.map_or(1, |s| i32::from(s.exit_code())));
        })
        .context("cannot start the signal watch thread")?;
    Ok(())
}

/// Installs a panic hook that first restores the terminal (`restore` must not
/// panic and should ignore write errors), then saves the pending draft and says
/// where it is, then runs the hook that was there before (briefpack's one-line
/// message). The order matters: the message must land on a sane terminal.
pub(crate) fn on_panic(flusher: Flusher, restore: impl Fn() + Send + Sync + 'static) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        match flusher.flush() {
            Ok(Some(path)) => eprintln!(
                "briefpack: your unsaved changes are in the draft {}",
                path.display()
            ),
            Ok(None) => {}
            Err(e) => eprintln!("briefpack: could not save the draft: {e:#}"),
        }
        previous(info);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::{DraftKey, DraftWriter, Store};
    use std::sync::atomic::AtomicBool;

    // One test raises all three signals in turn: handlers are process-wide, and two
    // tests installing and removing them at once could let a raised signal through
    // to its default action, which ends the whole test process.
    #[test]
    fn ending_signals_become_a_flag() {
        let signals = Signals::install().unwrap();
        assert_eq!(signals.pending(), None);
        for sig in [Signal::Hangup, Signal::Terminate, Signal::Interrupt] {
            signal_hook::low_level::raise(sig.number()).unwrap();
            // raise() returns after the handler ran on this thread.
            assert_eq!(signals.pending(), Some(sig));
        }
        assert_eq!(Signal::Hangup.exit_code(), 129);
        assert_eq!(Signal::Terminate.exit_code(), 143);
        assert_eq!(Signal::Interrupt.exit_code(), 130);
        assert!(!Signal::Hangup.terminal_may_remain());
        // Two sets of handlers (a test, or the interface started twice) both see it.
        let again = Signals::install().unwrap();
        signal_hook::low_level::raise(Signal::Hangup.number()).unwrap();
        assert_eq!(again.pending(), Some(Signal::Hangup));
        assert_eq!(signals.pending(), Some(Signal::Hangup));
    }

    #[test]
    fn a_panic_restores_the_terminal_then_saves_the_draft() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        let key = DraftKey::New("panic".into());
        let mut auto = DraftWriter::new(store.clone(), key.clone());
        let mut pack = crate::pack::Pack::default();
        pack.meeting.title = "Unsaved".into();
        pack.memo.copy = 1;
        let work = crate::draft::Work { pack, typing: None };
        auto.changed(work, std::time::Instant::now());
        let restored = Arc::new(AtomicBool::new(false));
        let r = Arc::clone(&restored);
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        on_panic(auto.flusher(), move || r.store(true, Ordering::SeqCst));
        let result = std::thread::spawn(|| panic!("boom")).join();
        std::panic::set_hook(before);
        assert!(result.is_err());
        assert!(restored.load(Ordering::SeqCst));
        assert_eq!(store.find(&key).unwrap().unwrap().title, "Unsaved");
    }
}
