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

/// The environment's library directory, as `--data` (see `main` for an empty one).
const DATA_VAR: &str = "BRIEFPACK_DATA";

#[derive(Parser, Debug)]
#[command(
    name = "briefpack",
    version,
    about = "Compile summit-preparation briefing memos from a curated library",
    long_about = "Compile summit-preparation briefing memos from a curated library.\n\nWithout a subcommand, opens the terminal interface, on PACK if given (a new pack is saved there)."
)]
pub(crate) struct Cli {
    /// Library directory to use instead of the embedded default.
    #[arg(long, global = true, env = "BRIEFPACK_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Memo template: a built-in name or a path to a template file.
    #[arg(long, global = true, default_value = template::DEFAULT, value_name = "NAME|PATH")]
    pub template: String,
    /// A pack to open in the interface (created on first save if it does not exist).
    #[arg(value_name = "PACK")]
    pub pack: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
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
        /// Build a final memo even though it selects retired points.
        #[arg(long)]
        allow_retired: bool,
        /// Replace OUT even if it is not a PDF an earlier build made.
        #[arg(long)]
        force: bool,
        /// Mark lines last said or reaffirmed more than this many years before the
        /// memo as dated (default: the library's `max_statement_age`, else 5).
        #[arg(long, value_name = "YEARS", value_parser = clap::value_parser!(u32).range(1..=100))]
        max_statement_age: Option<u32>,
        /// One file per addressee of the distribution list, each numbered "Copy
        /// No. N of M" with its addressee on every page: OUT-copy-N.pdf.
        #[arg(long)]
        copies: bool,
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
    /// Review talking points; `--report` prints what is due (exit 3 when something is).
    Review(ReviewArgs),
    /// Add a record to a library directory.
    Add {
        #[command(subcommand)]
        what: AddWhat,
    },
    /// List unsaved work kept as drafts; restore or discard it.
    Drafts {
        #[command(subcommand)]
        action: Option<DraftsAction>,
    },
}

#[derive(clap::Args, Debug)]
pub(crate) struct ReviewArgs {
    /// Print what needs review, by reason and by owner, instead of opening the screen.
    #[arg(long)]
    pub report: bool,
    /// The report as JSON.
    #[arg(long, requires = "report")]
    pub json: bool,
    /// A review older than this many days is due again.
    #[arg(long, value_name = "DAYS", default_value_t = crate::review::Policy::default().max_age_days)]
    pub max_age: u32,
    /// Report as of this day (YYYY-MM-DD) instead of today, e.g. a summit's date.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Also check every excerpt against the source documents in DIR.
    #[arg(long, value_name = "DIR")]
    pub sources: Option<PathBuf>,
    /// A key message, press line or defensive line last said or reaffirmed more than this
    /// many years ago is due as `dated` (default: the library's `max_statement_age`, else 5).
    #[arg(long, value_name = "YEARS", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub max_statement_age: Option<u32>,
    /// Who is reviewing (default: $`BRIEFPACK_REVIEWER`, else the login name).
    #[arg(long, value_name = "NAME")]
    pub reviewer: Option<String>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum AddWhat {
    /// Read one point as a TOML table on standard input, check it and append it to points.toml.
    Point,
}

#[derive(Subcommand, Debug)]
pub(crate) enum DraftsAction {
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

fn parse_day(s: &str) -> std::result::Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date like 2026-11-24"))
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum FormatArg {
    Pdf,
    Text,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum KindArg {
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
    // Empty means unset, as for most variables (`BRIEFPACK_DATA= briefpack`);
    // clap would read it as `--data` given no value. Done first, before any
    // thread exists to read the environment meanwhile.
    if std::env::var_os(DATA_VAR).is_some_and(|v| v.is_empty()) {
        std::env::remove_var(DATA_VAR);
    }
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

/// A reader that stopped reading (`| head`): not an error. `serde_json` hides
/// the `io::Error` it wraps from the error chain, so it is asked apart.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        let kind = c
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                c.downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

pub(crate) fn run(cli: Cli) -> Result<ExitCode> {
    let source = DataSource::from_option(cli.data.clone());
    if let (Some(pack), Some(_)) = (&cli.pack, &cli.command) {
        bail!(
            "`{}` is opened in the interface and cannot come before a subcommand; to build it, run `briefpack build {0}`",
            pack.display()
        );
    }
    match cli.command {
        None => {
            let lib = Library::load(&source)?.into_valid()?;
            let template = Template::find(&cli.template)?;
            let review = crate::tui::review::Setup::today(
                source.clone(),
                crate::review::Policy::default(),
                None,
                None,
            );
            crate::tui::run(lib, template, cli.pack, review, false)
        }
        Some(Command::Check { sources }) => check(&source, sources.as_deref(), &cli.template),
        Some(Command::List { kind, json }) => {
            // Never freed, as in `check`.
            let lib = std::mem::ManuallyDrop::new(Library::load(&source)?.into_valid()?);
            list(&lib, kind.kind(), json)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Review(args)) if !args.report => review_screen(&source, &cli.template, args),
        Some(Command::Review(args)) => review(&source, &args),
        Some(Command::Add { what: AddWhat::Point }) => add_point(&source),
        Some(Command::Build {
            pack,
            output,
            format,
            allow_retired,
            force,
            max_statement_age,
            copies,
        }) => {
            let format = match format {
                FormatArg::Pdf => Format::Pdf,
                FormatArg::Text => Format::Text,
            };
            build(
                &source,
                &cli.template,
                &pack,
                output.as_deref(),
                format,
                &BuildFlags {
                    allow_retired,
                    force,
                    max_statement_age,
                    copies,
                },
            )?;
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
            store.remove(&d)?;
            eprintln!("discarded the draft of {}", d.what());
            Ok(())
        }
        DraftsAction::Discard { which: None, .. } => {
            let (list, _) = store.list()?;
            for d in &list {
                store.remove(d)?;
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

fn check(source: &DataSource, sources_dir: Option<&Path>, template: &str) -> Result<ExitCode> {
    // Never freed: the process ends with the check, and freeing a large
    // library's records one by one would add a tenth to its time.
    let checked = std::mem::ManuallyDrop::new(Library::load(source)?);
    let mut diags = checked.diagnostics.clone();
    // A day's grace for a reviewer whose clock is ahead (another time zone).
    let today = chrono::Local::now().date_naive() + chrono::Days::new(1);
    diags.extend(
        checked
            .library
            .future_reviews(today, &source.display_file(Kind::Point)),
    );
    diags.extend(crate::library::age::check(
        &checked.library,
        chrono::Local::now().date_naive(),
        &source.display_file(Kind::Point),
    ));
    // The library's own words in the template's spelling.
    let convention = Template::find(template)?.spelling;
    for kind in [Kind::Point, Kind::Threat, Kind::Partner] {
        if let Some((file, text)) = source.file_text(kind) {
            diags.extend(crate::spelling::check(&file, &text, convention));
        }
    }
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
        let c = crate::clean::line(&c);
        writeln!(out, "{:<w0$}  {:<w1$}  {c}", crate::clean::line(&a), b)?;
    }
    Ok(())
}

/// The switches of `build`.
struct BuildFlags {
    allow_retired: bool,
    force: bool,
    max_statement_age: Option<u32>,
    copies: bool,
}

fn build(
    source: &DataSource,
    template: &str,
    pack_path: &Path,
    output: Option<&Path>,
    format: Format,
    flags: &BuildFlags,
) -> Result<()> {
    let &BuildFlags {
        allow_retired,
        force,
        max_statement_age,
        copies,
    } = flags;
    let started = Instant::now();
    // Never freed, as in `check`: freeing a large library one record at a time
    // costs the build more than the process's exit does.
    let mut lib = std::mem::ManuallyDrop::new(Library::load(source)?.into_valid()?);
    if let Some(years) = max_statement_age {
        lib.settings.max_statement_age = years;
    }
    let template = Template::find(template)?;
    let opened = pack::load(pack_path, &lib)?;
    let retired = opened.pack.retired_points(&lib);
    if opened.pack.memo.status == pack::MemoStatus::Final && !retired.is_empty() && !allow_retired {
        bail!(
            "{} is a final memo and selects retired point{} `{}`; drop {}, mark the memo draft, or pass --allow-retired",
            pack_path.display(),
            if retired.len() == 1 { "" } else { "s" },
            retired.join("`, `"),
            if retired.len() == 1 { "it" } else { "them" }
        );
    }
    for w in &opened.warnings {
        eprintln!("{w}");
    }
    for w in crate::compose::asof::warnings(&lib, &opened.pack) {
        eprintln!("warning: {w}");
    }
    let doc = compose(&lib, &opened.pack, &template);
    let ext = match format {
        Format::Pdf => "pdf",
        Format::Text => "txt",
    };
    let target = output.map_or_else(|| pack_path.with_extension(ext), Path::to_path_buf);
    if copies {
        if target.as_os_str() == "-" {
            bail!("--copies writes one file per addressee; give -o a file name, not `-`");
        }
        let docs = crate::compose::copies(&doc, &opened.pack, &template);
        if docs.is_empty() {
            bail!(
                "{}: the pack has no distribution list (memo.distribution), so there are no copies to number",
                pack_path.display()
            );
        }
        for (i, d) in docs.iter().enumerate() {
            let out = render::render(d, &template, format)?;
            // The copies differ only in their foot: warnings once.
            if i == 0 {
                for w in &out.warnings {
                    eprintln!("warning: {w}");
                }
            }
            let path = render::copy_path(&target, i + 1);
            refuse_to_replace(&path, pack_path, format, force)?;
            atomic::write(&path, &out.bytes).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "built {} ({} of {}): {}",
                path.display(),
                i + 1,
                docs.len(),
                crate::size::human(out.bytes.len())
            );
        }
        eprintln!(
            "{} copies in {:.2} s",
            docs.len(),
            started.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    let to_stdout = target.as_os_str() == "-";
    if !to_stdout {
        refuse_to_replace(&target, pack_path, format, force)?;
    }
    let out = render::render(&doc, &template, format)?;
    for w in &out.warnings {
        eprintln!("warning: {w}");
    }
    if to_stdout {
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
        crate::size::human(out.bytes.len()),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A build never writes over its own pack, and replaces only a previous output
/// (see `render::target`) unless forced.
fn refuse_to_replace(target: &Path, pack_path: &Path, format: Format, force: bool) -> Result<()> {
    use render::target::{existing, same_file, Existing};
    if same_file(target, pack_path) {
        bail!(
            "{} is the pack being built; give another output with -o",
            target.display()
        );
    }
    if !force && existing(target, format) == Existing::Other {
        let what = match format {
            Format::Pdf => "is not a PDF briefpack made",
            Format::Text => "exists, and text output carries no mark to tell it is an earlier build's",
        };
        bail!(
            "{} {what}; use --force to replace it, or -o for another file",
            target.display()
        );
    }
    Ok(())
}

/// `briefpack review`: the interface, opened on the review screen.
fn review_screen(source: &DataSource, template: &str, args: ReviewArgs) -> Result<ExitCode> {
    if source.dir().is_none() {
        bail!("{}", crate::tui::review::NEEDS_DATA);
    }
    if args.as_of.is_some() {
        bail!("--as-of is for --report; the review screen stamps reviews with today's date");
    }
    if let Some(dir) = &args.sources {
        if !dir.is_dir() {
            bail!("source directory {} does not exist", dir.display());
        }
    }
    // Not `into_valid`: a library with broken links is what this screen repairs.
    let lib = Library::load(source)?.library;
    let template = Template::find(template)?;
    let policy = crate::review::Policy {
        max_age_days: args.max_age,
        max_statement_age: args.max_statement_age,
    };
    let setup = crate::tui::review::Setup::today(source.clone(), policy, args.sources, args.reviewer);
    crate::tui::run(lib, template, None, setup, true)
}

fn review(source: &DataSource, args: &ReviewArgs) -> Result<ExitCode> {
    let today = args.as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    let policy = crate::review::Policy {
        max_age_days: args.max_age,
        max_statement_age: args.max_statement_age,
    };
    let (report, problems) = crate::review::report(source, today, policy, args.sources.as_deref())?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report.json())?;
        writeln!(out)?;
    } else {
        out.write_all(report.text().as_bytes())?;
    }
    if !problems.is_empty() {
        eprintln!(
            "note: the library also has {} problem{}; `briefpack check` lists them",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
    }
    Ok(if report.is_due() {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

fn add_point(source: &DataSource) -> Result<ExitCode> {
    let mut store = crate::review::PointsStore::open(source)?;
    // One point is a few KB; a stream that never ends is cut off, not read for ever.
    let cap = crate::input::PACK_FILE;
    let input = crate::input::read_capped(std::io::stdin().lock(), cap)
        .context("cannot read the new point from standard input")?
        .with_context(|| format!("the new point on standard input is over {} MB", cap >> 20))?;
    let input = String::from_utf8(input).context("the new point on standard input is not UTF-8 text")?;
    let added = store.add_point(&input, "stdin")?;
    eprintln!(
        "added point `{}` at {}:{}",
        added.id,
        store.path().display(),
        added.line
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_opens_the_interface_and_subcommands_still_parse_after_global_options() {
        let cli = Cli::try_parse_from(["briefpack", "summit.toml"]).unwrap();
        assert_eq!(cli.pack.as_deref(), Some(Path::new("summit.toml")));
        assert!(cli.command.is_none());
        let cli = Cli::try_parse_from(["briefpack", "--data", "d", "build", "p.toml"]).unwrap();
        assert!(cli.pack.is_none());
        assert!(matches!(cli.command, Some(Command::Build { .. })));
        let cli = Cli::try_parse_from(["briefpack", "--data", "d", "list", "threats"]).unwrap();
        assert!(matches!(cli.command, Some(Command::List { .. })));
        assert!(Cli::try_parse_from(["briefpack"]).unwrap().pack.is_none());
    }

    #[test]
    fn a_pack_before_a_subcommand_is_refused_in_one_sentence() {
        let cli = Cli::try_parse_from(["briefpack", "x.toml", "list", "threats"]).unwrap();
        let e = run(cli).unwrap_err().to_string();
        assert!(e.contains("briefpack build x.toml") && !e.contains('\n'), "{e}");
    }
}
