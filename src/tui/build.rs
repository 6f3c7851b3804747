//! Building the PDF off the interface's thread, so the screen never freezes.

use crate::compose::compose;
use crate::library::Library;
use crate::pack::Pack;
use crate::render::{self, Format};
use crate::template::Template;
use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::Instant;

/// Everything a build needs, owned, so the user can keep editing meanwhile.
#[derive(Clone)]
pub struct Job {
    pub lib: Arc<Library>,
    pub template: Arc<Template>,
    pub pack: Pack,
    pub out: PathBuf,
    /// One numbered copy per addressee, beside `out` (`render::copy_path`).
    pub copies: bool,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("out", &self.out)
            .finish_non_exhaustive()
    }
}

/// A finished build.
#[derive(Clone, Debug, PartialEq)]
pub struct Built {
    pub path: PathBuf,
    pub bytes: usize,
    pub pages: usize,
    /// Each warning of the build, one line each (a dated line, a character
    /// the fonts lack), for the message log.
    pub warnings: Vec<String>,
    pub seconds: f64,
    /// Files written: 1, or the number of distribution copies.
    pub files: usize,
}

/// The thread's name, so the panic hook can tell a build's panic from the interface's.
pub(crate) const THREAD: &str = "briefpack-build";

/// Composes, renders and writes the PDF atomically; an error is one sentence.
pub(crate) fn run(job: &Job) -> Result<Built, String> {
    let started = Instant::now();
    let doc = compose(&job.lib, &job.pack, &job.template);
    let docs = if job.copies {
        crate::compose::copies(&doc, &job.pack, &job.template)
    } else {
        vec![doc]
    };
    let mut built = None;
    for (i, d) in docs.iter().enumerate() {
        let path = if job.copies {
            render::copy_path(&job.out, i + 1)
        } else {
            job.out.clone()
        };
        let out = render::render(d, &job.template, Format::Pdf).map_err(|e| sentence(&e))?;
        crate::atomic::write(&path, &out.bytes)
            .map_err(|e| sentence(&e.context(format!("cannot write {}", path.display()))))?;
        built.get_or_insert(Built {
            path,
            bytes: out.bytes.len(),
            pages: out.pages,
            warnings: crate::compose::asof::warnings(&job.lib, &job.pack)
                .into_iter()
                .chain(out.warnings.iter().map(ToString::to_string))
                .collect(),
            seconds: 0.0,
            files: docs.len(),
        });
    }
    let mut built =
        built.ok_or_else(|| "the pack has no distribution list to number copies for".to_owned())?;
    built.seconds = started.elapsed().as_secs_f64();
    Ok(built)
}

fn sentence(e: &anyhow::Error) -> String {
    crate::clean::line(&format!("{e:#}")).into_owned()
}

/// Runs a build on its own thread and sends the result; a panic becomes an error.
pub(crate) fn spawn(job: Job, done: &Sender<Result<Built, String>>) {
    let spawned = std::thread::Builder::new().name(THREAD.to_owned()).spawn({
        let done = done.clone();
        move || {
            let result = std::panic::catch_unwind(|| run(&job)).unwrap_or_else(|_| {
                Err("the PDF renderer failed unexpectedly; the pack is unchanged".to_owned())
            });
            let _ = done.send(result);
        }
    });
    if let Err(e) = spawned {
        let _ = done.send(Err(format!("cannot start the build: {e}")));
    }
}
