//! The `majors` command line: parse arguments, call the library, print, choose the exit code.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use majors::count;
use majors::{build_site, render_diagnostics, BuildOptions, BuildReport, Mode, OutputFormat};

#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's start-up options (its `malloc_conf` symbol, prefixed as tikv-jemalloc-sys builds
/// it). A background thread hands freed memory back to the system about a second after it is
/// freed: without it a long-running `majors serve` keeps the pages freed after a rebuild
/// resident until the next burst of allocations (about 100 MiB more at 10,000 pages). Two
/// arenas instead of four per core: less memory held in partly used arenas (serve's peak at
/// 10,000 pages 391 -> 362 MiB); build time was the same on 2 cores (thread caches take most
/// of the traffic). Measured with `bench/serve_latency.py` and `bench/run.sh`.
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
static malloc_conf: &[u8; 53] = b"background_thread:true,dirty_decay_ms:1000,narenas:2\0";

/// Build a typed, cross-referenced knowledge base into a static site.
#[derive(Parser, Debug)]
#[command(name = "majors", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Site root (the folder that holds site.yaml).
    #[arg(long, short = 'r', global = true, default_value = ".")]
    root: PathBuf,
    /// When to colour diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into the output folder (default `public/`).
    Build {
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Write here instead of the configured `output_dir`.
        #[arg(long, short = 'o')]
        output_dir: Option<PathBuf>,
        /// How to print problems: human (rustc style), json, or github (workflow annotations).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Run every validation without writing anything.
    Check {
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Also check that every URL and anchor a previous build published is still
        /// published: its `data/urls.json`, its output folder, or the published site's URL.
        #[arg(long, value_name = "PATH_OR_URL")]
        against: Option<String>,
        /// How to print problems: human (rustc style), json, or github (workflow annotations).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Which pages two builds added, removed, moved and changed.
    #[command(
        after_help = "OLD and NEW are output folders, `data/urls.json` manifests, or (OLD) the \
        URL of a published site. Changed pages are found by comparing files, so they need both \
        output folders."
    )]
    Diff {
        /// The earlier build.
        old: String,
        /// The later build.
        new: String,
        /// `text` for a terminal, `markdown` for a pull request comment.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Build, serve on localhost, rebuild on every change and reload the browser.
    Serve(majors::ServeArgs),
    /// Start a new site in DIR: two types, a reference between them, a page of each.
    Init {
        /// The folder to create (it must be new or empty).
        dir: PathBuf,
        /// The site's title (default: "My knowledge base").
        #[arg(long, value_parser = clap::builder::NonEmptyStringValueParser::new())]
        title: Option<String>,
    },
    /// Write a page of TYPE at PATH under content/, with its required fields to fill in.
    #[command(
        after_help = "TYPE is a type declared in site.yaml, or `section` for a folder's \
        _index.md. Required fields are written as `TODO`, which `majors check` reports until \
        each is replaced; optional ones are listed as comments."
    )]
    New {
        /// A type declared under `types:` in site.yaml, or `section`.
        #[arg(value_name = "TYPE")]
        type_name: String,
        /// Where, under content/ (`notes/my-note` or `notes/my-note.md`).
        path: String,
        /// The page's title (default: a `TODO` to fill in).
        #[arg(long, value_parser = clap::builder::NonEmptyStringValueParser::new())]
        title: Option<String>,
    },
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum DiffFormat {
    Text,
    Markdown,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    Github,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Developer logs (stage timings) only when asked for: `RUST_LOG=majors=debug`.
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
    }
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(std::io::stderr(), "error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    match cli.command {
        Command::Build {
            drafts,
            output_dir,
            format,
        } => {
            let mut opts = BuildOptions::new(&cli.root, Mode::Build);
            opts.drafts = drafts;
            opts.output_dir = output_dir;
            let report = build_site(&opts)?;
            report_and_exit(&report, format, color, "built")
        }
        Command::Check {
            drafts,
            against,
            format,
        } => {
            let mut opts = BuildOptions::new(&cli.root, Mode::Check);
            opts.drafts = drafts;
            opts.against = against;
            let report = build_site(&opts)?;
            report_and_exit(&report, format, color, "checked")
        }
        Command::Diff { old, new, format } => {
            match majors::diff_builds(&old, &new, format == DiffFormat::Markdown) {
                Ok(report) => {
                    std::io::stdout().write_all(report.as_bytes())?;
                    Ok(ExitCode::SUCCESS)
                }
                Err((sources, d)) => {
                    let out = OutputFormat::Human { color };
                    render_diagnostics(&[d], &sources, out, &mut std::io::stderr().lock())?;
                    // A build that cannot be read is an environment error.
                    Ok(ExitCode::from(2))
                }
            }
        }
        Command::Serve(args) => {
            majors::serve(&cli.root, args, color)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir, title } => init(&dir, title.as_deref()),
        Command::New {
            type_name,
            path,
            title,
        } => new(&cli.root, &type_name, &path, title.as_deref(), color),
    }
}

/// `majors init`: the starter site, and what to do next.
fn init(dir: &std::path::Path, title: Option<&str>) -> anyhow::Result<ExitCode> {
    let files = majors::init(dir, title)?;
    let shown = dir.display();
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "started a site in {shown} ({}):",
        count(files.len(), "file")
    )?;
    for f in &files {
        writeln!(err, "  {f}")?;
    }
    writeln!(err, "next:")?;
    if dir != std::path::Path::new(".") {
        writeln!(err, "  cd {shown}")?;
    }
    writeln!(
        err,
        "  majors serve                          # preview at http://127.0.0.1:1111/, rebuilt on every save\n  majors new note notes/my-note.md      # a new page with the fields a note needs\n  majors check                          # every problem, with file:line:col"
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `majors new`: a page of a type, with its required fields as placeholders.
fn new(
    root: &std::path::Path,
    type_name: &str,
    path: &str,
    title: Option<&str>,
    color: bool,
) -> anyhow::Result<ExitCode> {
    use majors::{new_page, NewOutcome};
    match new_page(root, type_name, path, title)? {
        NewOutcome::Written { path, placeholders } => {
            let mut line = format!("wrote {path}");
            if placeholders > 0 {
                line.push_str(&format!(
                    "; {} to fill in (marked TODO; `majors check` lists them)",
                    count(placeholders, "field")
                ));
            }
            writeln!(std::io::stderr(), "{line}")?;
            Ok(ExitCode::SUCCESS)
        }
        NewOutcome::BadConfig {
            diagnostics,
            sources,
        } => {
            let out = OutputFormat::Human { color };
            render_diagnostics(&diagnostics, &sources, out, &mut std::io::stderr().lock())?;
            writeln!(
                std::io::stderr(),
                "site.yaml has errors; nothing was written"
            )?;
            Ok(ExitCode::from(1))
        }
    }
}

fn report_and_exit(
    report: &BuildReport,
    format: Format,
    color: bool,
    verb: &str,
) -> anyhow::Result<ExitCode> {
    let out_format = match format {
        Format::Human => OutputFormat::Human { color },
        Format::Json => OutputFormat::Json,
        Format::Github => OutputFormat::Github,
    };
    if format == Format::Human {
        render_diagnostics(
            &report.diagnostics,
            &report.sources,
            out_format,
            &mut std::io::stderr().lock(),
        )?;
    } else {
        render_diagnostics(
            &report.diagnostics,
            &report.sources,
            out_format,
            &mut std::io::stdout().lock(),
        )?;
    }
    let errors = report.error_count();
    let warnings = report.warning_count();
    let ms = report.elapsed.as_millis();
    let (e, w) = (count(errors, "error"), count(warnings, "warning"));
    let mut line = if errors > 0 && verb == "built" {
        format!("build failed: {e}, {w} in {ms} ms; nothing was written")
    } else {
        format!(
            "{verb} {} in {ms} ms, {e}, {w}",
            count(report.pages, "page")
        )
    };
    if let Some(stats) = report.written {
        line.push_str(&format!(
            " ({} written, {} unchanged, {} removed)",
            count(stats.written, "file"),
            stats.unchanged,
            stats.removed
        ));
    }
    writeln!(std::io::stderr(), "{line}")?;
    // A previous build that cannot be read (`--against`) is an environment error, not the
    // content's: CI tells an outage of the published site from a broken link.
    let unreadable = report
        .diagnostics
        .iter()
        .any(|d| d.code == "previous-manifest");
    Ok(if unreadable {
        ExitCode::from(2)
    } else if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
