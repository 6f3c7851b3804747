//! The command line: parses arguments and calls the layers below. No domain logic.

use crate::compose::compose;
use crate::diag::Severity;
use crate::library::{DataSource, Kind, Library};
use crate::render::{self, Format};
use crate::template::{self, Template};
use crate::{atomic, pack};
use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(
    name = "briefpack",
    version,
    about = "Compile summit-preparation briefing memos from a curated library"
)]
pub struct Cli {
    /// Library directory to use instead of the embedded default.
    #[arg(long, global = true, env = "BRIEFPACK_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Memo template: a built-in name or a path to a template file.
    #[arg(long, global = true, default_value = template::DEFAULT, value_name = "NAME|PATH")]
    pub template: String,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build a brief from a pack, without the interface.
    Build {
        /// The pack file (TOML).
        pack: PathBuf,
        /// Output file; `-` writes to standard output. Default: the pack's name
        /// with .pdf or .txt.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = FormatArg::Pdf)]
        format: FormatArg,
    },
    /// Validate the library; exit 1 if it has errors.
    Check {
        /// Also verify every excerpt verbatim against the source documents in DIR.
        #[arg(long, value_name = "DIR")]
        sources: Option<PathBuf>,
    },
    /// List records of one kind, as a table or as JSON.
    List {
        #[arg(value_enum)]
        kind: KindArg,
        #[arg(long)]
        json: bool,
    },
    /// List unsaved work kept as drafts; restore or discard it.
    Drafts {
        #[command(subcommand)]
        action: Option<DraftsAction>,
    },
}

#[derive(Subcommand, Debug)]
pub enum DraftsAction {
    /// List drafts, newest first (the default).
    List,
    /// Write a draft back to its pack (or to OUT) and remove the draft.
    Restore {
        /// The draft's number in the list, or its pack's path.
        which: String,
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Overwrite a pack file changed after the draft was saved.
        #[arg(long)]
        force: bool,
    },
    /// Remove a draft, or all of them.
    Discard {
        /// The draft's number in the list, or its pack's path.
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        which: Option<String>,
        #[arg(long)]
        all: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    Pdf,
    Text,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum KindArg {
    Sources,
    Threats,
    Partners,
    Points,
    States,
    Operations,
    Organs,
    People,
    Meetings,
}

impl KindArg {
    fn kind(self) -> Kind {
        match self {
            KindArg::Sources => Kind::Source,
            KindArg::Threats => Kind::Threat,
            KindArg::Partners => Kind::Partner,
            KindArg::Points => Kind::Point,
            KindArg::States => Kind::State,
            KindArg::Operations => Kind::Operation,
            KindArg::Organs => Kind::Organ,
            KindArg::People => Kind::Person,
            KindArg::Meetings => Kind::Meeting,
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("briefpack: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let source = DataSource::from_option(cli.data.clone());
    match cli.command {
        None => bail!("the interactive interface is not available in this build; see `briefpack --help`"),
        Some(Command::Check { sources }) => check(&source, sources.as_deref()),
        Some(Command::List { kind, json }) => {
            let lib = Library::load(&source)?.into_valid()?;
            list(&lib, kind.kind(), json)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Build { pack, output, format }) => {
            let format = match format {
                FormatArg::Pdf => Format::Pdf,
                FormatArg::Text => Format::Text,
            };
            build(&source, &cli.template, &pack, output.as_deref(), format)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Drafts { action }) => {
            drafts(action.unwrap_or(DraftsAction::List))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn drafts(action: DraftsAction) -> Result<()> {
    let store = crate::draft::Store::open_default()?;
    match action {
        DraftsAction::List => crate::draft::print_list(&store, &mut std::io::stdout().lock()),
        DraftsAction::Restore { which, output, force } => {
            let d = store.select(&which)?;
            let to = store.restore(&d, output.as_deref(), force)?;
            eprintln!("restored the draft of {} to {}", d.what(), to.display());
            Ok(())
        }
        DraftsAction::Discard {
            which: Some(which), ..
        } => {
            let d = store.select(&which)?;
            store.discard(&d.key)?;
            eprintln!("discarded the draft of {}", d.what());
            Ok(())
        }
        DraftsAction::Discard { which: None, .. } => {
            let (list, _) = store.list()?;
            for d in &list {
                store.discard(&d.key)?;
            }
            eprintln!(
                "discarded {} draft{}",
                list.len(),
                if list.len() == 1 { "" } else { "s" }
            );
            Ok(())
        }
    }
}

fn check(source: &DataSource, sources_dir: Option<&Path>) -> Result<ExitCode> {
    let checked = Library::load(source)?;
    let mut diags = checked.diagnostics.clone();
    if let Some(dir) = sources_dir {
        if !dir.is_dir() {
            bail!("source directory {} does not exist", dir.display());
        }
        diags.extend(checked.library.verify_excerpts(dir));
    }
    let mut err = std::io::stderr().lock();
    for d in &diags {
        writeln!(err, "{d}")?;
    }
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    let lib = &checked.library;
    let counts: Vec<String> = Kind::ALL
        .iter()
        .map(|k| format!("{} {}", lib.count(*k), k.plural()))
        .collect();
    if errors == 0 {
        let verified = if sources_dir.is_some() {
            ", every excerpt found in its source"
        } else {
            ""
        };
        writeln!(err, "library ok: {}{verified}", counts.join(", "))?;
        Ok(ExitCode::SUCCESS)
    } else {
        writeln!(
            err,
            "{errors} error{} in the library",
            if errors == 1 { "" } else { "s" }
        )?;
        Ok(ExitCode::from(1))
    }
}

fn list(lib: &Library, kind: Kind, json: bool) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        let value = match kind {
            Kind::Source => serde_json::to_value(&lib.sources),
            Kind::Threat => serde_json::to_value(&lib.threats),
            Kind::Partner => serde_json::to_value(&lib.partners),
            Kind::Point => serde_json::to_value(&lib.points),
            Kind::State => serde_json::to_value(&lib.states),
            Kind::Operation => serde_json::to_value(&lib.operations),
            Kind::Organ => serde_json::to_value(&lib.organs),
            Kind::Person => serde_json::to_value(&lib.people),
            Kind::Meeting => serde_json::to_value(&lib.meetings),
        }?;
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
        return Ok(());
    }
    let rows: Vec<[String; 3]> = match kind {
        Kind::Source => lib
            .sources
            .iter()
            .map(|r| [r.id.clone(), r.date.to_string(), r.title.clone()])
            .collect(),
        Kind::Threat => lib
            .threats
            .iter()
            .map(|r| [r.id.clone(), r.trend.to_string(), r.title.clone()])
            .collect(),
        Kind::Partner => lib
            .partners
            .iter()
            .map(|r| [r.id.clone(), r.relationship.to_string(), r.display_name()])
            .collect(),
        Kind::Point => lib
            .points
            .iter()
            .map(|r| [r.id.clone(), format!("{} {}", r.kind, r.status), r.text.clone()])
            .collect(),
        Kind::State => lib
            .states
            .iter()
            .map(|r| [r.id.clone(), r.status.to_string(), r.name.clone()])
            .collect(),
        Kind::Operation => lib
            .operations
            .iter()
            .map(|r| [r.id.clone(), r.kind.to_string(), r.name.clone()])
            .collect(),
        Kind::Organ => lib
            .organs
            .iter()
            .map(|r| [r.id.clone(), r.kind.to_string(), r.name.clone()])
            .collect(),
        Kind::Person => lib
            .people
            .iter()
            .map(|r| [r.id.clone(), r.organisation.clone(), r.name.clone()])
            .collect(),
        Kind::Meeting => lib
            .meetings
            .iter()
            .map(|r| [r.id.clone(), r.date.to_string(), r.title.clone()])
            .collect(),
    };
    let w0 = rows
        .iter()
        .map(|r| r[0].chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    let w1 = rows
        .iter()
        .map(|r| r[1].chars().count())
        .max()
        .unwrap_or(0)
        .min(28);
    for [a, b, c] in rows {
        let c = crate::render::clean::line(&c);
        writeln!(out, "{:<w0$}  {:<w1$}  {c}", crate::render::clean::line(&a), b)?;
    }
    Ok(())
}

fn build(
    source: &DataSource,
    template: &str,
    pack_path: &Path,
    output: Option<&Path>,
    format: Format,
) -> Result<()> {
    let started = Instant::now();
    let lib = Library::load(source)?.into_valid()?;
    let template = Template::find(template)?;
    let opened = pack::load(pack_path, &lib)?;
    for w in &opened.warnings {
        eprintln!("{w}");
    }
    let doc = compose(&lib, &opened.pack, &template);
    let out = render::render(&doc, &template, format)?;
    for w in &out.warnings {
        eprintln!("warning: {w}");
    }
    let ext = match format {
        Format::Pdf => "pdf",
        Format::Text => "txt",
    };
    let target = output.map_or_else(|| pack_path.with_extension(ext), Path::to_path_buf);
    if target.as_os_str() == "-" {
        std::io::stdout().lock().write_all(&out.bytes)?;
        return Ok(());
    }
    atomic::write(&target, &out.bytes).with_context(|| format!("cannot write {}", target.display()))?;
    let what = match format {
        Format::Pdf => format!("{} page{}", out.pages, if out.pages == 1 { "" } else { "s" }),
        Format::Text => format!("{} lines", out.pages),
    };
    eprintln!(
        "built {}: {what}, {} in {:.2} s",
        target.display(),
        human_size(out.bytes.len()),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// "52 KB", "1.4 MB".
pub fn human_size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.0} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}
