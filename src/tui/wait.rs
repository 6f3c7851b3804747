//! Waiting for the terminal, a signal, or a deadline, whichever comes first.
//!
//! The loop waits here rather than in crossterm because crossterm cannot report a
//! dead terminal: when the terminal is gone, its reader gets end-of-file or an
//! error, ignores it and reads again, forever, at full CPU, without returning
//! even from a poll with a timeout (crossterm 0.29, `UnixInternalEventSource`).
//! So `poll(2)` watches the terminal (hang-up shows as POLLHUP) and the signal
//! wake-up pipe, and crossterm is asked for events only once the terminal has
//! input and is alive.

use crate::signals::Wakeup;
use std::io;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Wake {
    /// The terminal has input to read.
    Input,
    /// A signal arrived (the pipe is drained; look at the flags).
    Signal,
    /// The terminal hung up or failed: the link dropped, the window was killed.
    Hangup,
    Timeout,
}

/// The terminal's input: crossterm reads standard input when it is a terminal,
/// which the interface checks before starting.
const TTY: libc::c_int = libc::STDIN_FILENO;

/// Blocks until the terminal has input, a signal arrives, or `timeout` passes
/// (`None`: no timeout, so an idle interface uses no CPU).
pub(crate) fn wait(wakeup: &Wakeup, timeout: Option<Duration>) -> io::Result<Wake> {
    let ms = timeout.map_or(-1, |d| {
        // Rounded up: waking a little early would only spin until the deadline.
        libc::c_int::try_from(d.as_micros().div_ceil(1000)).unwrap_or(libc::c_int::MAX)
    });
    let mut fds = [
        libc::pollfd {
            fd: TTY,
            events: libc::POLLIN,
            revents: 0,
        },
        libc::pollfd {
            fd: wakeup.fd(),
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    // SAFETY: `fds` is a valid array of two pollfd structures for the call.
    #[allow(unsafe_code)]
    let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, ms) };
    if n < 0 {
        let e = io::Error::last_os_error();
        // A signal interrupted the wait: the caller looks at the flags.
        return if e.kind() == io::ErrorKind::Interrupted {
            Ok(Wake::Signal)
        } else {
            Err(e)
        };
    }
    if fds[1].revents != 0 {
        wakeup.drain();
        return Ok(Wake::Signal);
    }
    let tty = fds[0].revents;
    Ok(if tty & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        Wake::Hangup
    } else if tty & libc::POLLIN != 0 {
        Wake::Input
    } else {
        Wake::Timeout
    })
}

/// Whether the terminal is gone, without waiting (after a failed draw: a
/// hang-up is an ending, not an error to report to nobody).
pub(crate) fn hung_up() -> bool {
    let mut fd = libc::pollfd {
        fd: TTY,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, no wait.
    #[allow(unsafe_code)]
    let n = unsafe { libc::poll(&raw mut fd, 1, 0) };
    n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}
