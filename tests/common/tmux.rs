//! The real binary in a real pseudo-terminal: a tmux server of the test's own
//! (killed when dropped), with briefpack in its session `e2e`.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Long enough for a loaded CI machine; every wait polls for its condition.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// The session briefpack runs in.
pub const SESSION: &str = "e2e";

pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// A server for the test `name`, apart from every other test's and the user's.
    pub fn new(name: &str) -> Tmux {
        Tmux {
            socket: format!("briefpack-{name}-{}", std::process::id()),
        }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux is needed for this test (apt-get install tmux)")
    }

    /// Starts `briefpack ARGS` in `dir`, in a `width`x`height` session whose
    /// shell stays after it exits and prints its exit status (`EXITED=n`).
    /// Drafts and settings stay inside `dir`; colour is off.
    pub fn start(&self, dir: &Path, size: (u16, u16), args: &str) {
        self.start_with(dir, size, "", args);
    }

    /// As `start`, with more environment: `env` is `NAME='value' ...`, put before
    /// the command as a shell does.
    pub fn start_with(&self, dir: &Path, (width, height): (u16, u16), env: &str, args: &str) {
        let bin = env!("CARGO_BIN_EXE_briefpack");
        let cmd = format!(
            "XDG_STATE_HOME='{}' HOME='{}' NO_COLOR=1 {env} '{bin}' {args}; echo EXITED=$?; sleep 60",
            dir.join("state").display(),
            dir.display(),
        );
        let (w, h) = (width.to_string(), height.to_string());
        let dir = dir.display().to_string();
        let args = [
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            &w,
            "-y",
            &h,
            "-c",
            &dir,
            &cmd,
        ];
        // A test that ended its last session (kill-session, kill-server) leaves a
        // server shutting down on the socket: a client that reaches it then
        // reports "server exited unexpectedly". Starting again once it is gone is
        // what a user would do.
        let start = Instant::now();
        loop {
            let out = self.run(&args);
            if out.status.success() {
                return;
            }
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains("server exited unexpectedly") && start.elapsed() < DEADLINE,
                "{err}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Keys are delivered in order; callers wait for what the screen shows.
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend_from_slice(keys);
        let out = self.run(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", SESSION]).stdout).into_owned()
    }

    /// The screen, once `done` holds for it; fails after `DEADLINE` naming `what`.
    pub fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if done(&s) {
                return s;
            }
            assert!(start.elapsed() < DEADLINE, "never showed {what}:\n{s}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_for(&self, what: &str) -> String {
        self.wait_until(&format!("{what:?}"), |s| s.contains(what))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}
