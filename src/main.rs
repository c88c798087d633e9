//! The `dossier` binary: parse the command line, run the pipeline, print the diagnostics once,
//! and set the exit status (0 success, 1 content problems, 2 usage or I/O errors).

use std::process::ExitCode;

use clap::Parser;
use dossier::cli::{Cli, Command, CommonArgs};
use dossier::{Options, Report};

/// The allocator: measurably faster than the system one for the many small strings a build makes.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (mimalloc.h; the bindings do not name it): how long freed
/// memory is kept before it is returned to the system (1,000 ms by default).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keep freed memory for reuse rather than return it to the system: every command is either
/// one build, which exits when done, or `serve`, whose next rebuild needs the same memory again.
/// Returned after a second, as by default, it came back as fresh pages, each zeroed again by the
/// kernel: a build of N = 10,000 returned and faulted back 730-820 MB (mimalloc's statistics),
/// and its median fell from 3.04 to 2.82 s without it; every rebuild in `serve` (saves come
/// seconds apart) took 800 faults, about a sixth of its time at N = 1,000.
fn keep_freed_memory() {
    // SAFETY: sets an integer option; mimalloc reads options at each use.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build(args) => {
            let opts = options(&args.common, args.out);
            let start = std::time::Instant::now();
            finish(
                dossier::build(&opts),
                "build failed: nothing was written",
                |r| {
                    if args.timings {
                        for (phase, d) in &r.timings {
                            eprintln!("{phase:>8}: {:>8.1} ms", d.as_secs_f64() * 1000.0);
                        }
                        eprintln!(
                            "{:>8}: {:>8.1} ms",
                            "total",
                            start.elapsed().as_secs_f64() * 1000.0
                        );
                    }
                    format!(
                        "built {} pages ({} files) into {} in {} ms",
                        r.pages,
                        r.files,
                        opts.out.display(),
                        start.elapsed().as_millis()
                    )
                },
            )
        }
        Command::Check(args) => {
            let opts = options(&args, "public".into());
            finish(dossier::check(&opts), "check failed", |r| {
                format!("checked {} pages: no errors", r.pages)
            })
        }
        Command::Serve(args) => serve(&args),
        Command::New(cmd) => new(cmd),
        Command::Init(args) => init(&args),
        Command::Eject(args) => eject(&args),
        Command::Completions(args) => {
            dossier::cli::completions(args.shell, &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => match dossier::cli::man(&mut std::io::stdout()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write the manual page: {e}");
                ExitCode::from(2)
            }
        },
    }
}

/// `dossier init DIR`: write the documentary and say what to do next.
fn init(args: &dossier::cli::InitArgs) -> ExitCode {
    match dossier::scaffold::init(&args.dir, args.title.as_deref()) {
        Ok(files) => {
            let dir = args.dir.display();
            eprintln!("created a documentary in {dir} ({} files)", files.len());
            eprintln!(
                "next: `cd {dir}`, then `dossier serve` to write with the site open in a browser"
            );
            eprintln!(
                "publish: push it to GitHub and choose Settings → Pages → Source: GitHub Actions \
                 (.github/workflows/pages.yml does the rest)"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// `dossier eject [NAME...]`: copy built-in files into the project, or list them.
fn eject(args: &dossier::cli::EjectArgs) -> ExitCode {
    if args.names.is_empty() && !args.all {
        println!("Built-in files `dossier eject NAME` copies into the project to change:");
        for rel in dossier::scaffold::ejectable() {
            let note = if args.root.join(&rel).exists() {
                "  (the project has its own)"
            } else {
                ""
            };
            println!("  {rel}{note}");
        }
        return ExitCode::SUCCESS;
    }
    match dossier::scaffold::eject(&args.root, &args.names, args.all) {
        Ok(files) => {
            for path in files {
                let shown = path.strip_prefix(&args.root).unwrap_or(&path);
                eprintln!(
                    "wrote {}: it now replaces the built-in one",
                    shown.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// `dossier serve`: print each rebuild's outcome until Ctrl-C (or SIGTERM).
fn serve(args: &dossier::cli::ServeArgs) -> ExitCode {
    use dossier::serve::{Notice, ServeOptions, Server};
    let opts = ServeOptions {
        build: options(&args.common, "public".into()),
        port: args.port,
    };
    let (server, fallback) = match Server::bind(&opts) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Some((wanted, got)) = fallback {
        eprintln!("port {wanted} is taken: using {got}");
    }
    let stopper = server.stopper();
    if let Err(e) = ctrlc::set_handler(move || stopper.stop()) {
        eprintln!("warning: cannot handle Ctrl-C: {e}");
    }
    let open = args.open;
    let mut first = true;
    let result = server.run(&mut |n| match n {
        Notice::Changed { paths } => {
            let names: Vec<String> = paths
                .iter()
                .take(3)
                .map(|p| p.display().to_string())
                .collect();
            let more = if paths.len() > 3 {
                format!(" and {} more", paths.len() - 3)
            } else {
                String::new()
            };
            eprintln!("changed: {}{more}", names.join(", "));
        }
        Notice::Built { report, elapsed } => {
            if !report.diagnostics.items.is_empty() {
                eprintln!("{}", report.diagnostics);
            }
            let phases: Vec<String> = report
                .timings
                .iter()
                .map(|(p, d)| format!("{p} {}", d.as_millis()))
                .collect();
            eprintln!(
                "built {} pages in {} ms ({} ms)",
                report.pages,
                elapsed.as_millis(),
                phases.join(", ")
            );
        }
        Notice::Failed { text, last_good } => {
            let then = if last_good {
                "still serving the last good site"
            } else {
                "the site will be served once it builds"
            };
            eprintln!("{text}\nbuild failed: {then}");
        }
        Notice::Serving { url } => {
            eprintln!("serving {url} (Ctrl-C to stop)");
            if open && std::mem::take(&mut first) {
                open_browser(url);
            }
        }
        Notice::Warning { text } => eprintln!("{text}"),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let mut command = std::process::Command::new(cmd);
    command
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = command.spawn() {
        eprintln!("warning: cannot open a browser ({cmd}: {e}); open {url} yourself");
    }
}

/// `dossier new chapter|person|event|place|organization|term`: write the file and say where.
fn new(cmd: dossier::cli::NewCommand) -> ExitCode {
    use dossier::cli::NewCommand;
    use dossier::scaffold;
    let result = match cmd {
        NewCommand::Chapter(a) => scaffold::new_chapter(
            &a.root,
            &scaffold::NewChapter {
                title: a.title,
                slug: a.slug,
            },
        )
        .map(|p| (a.root, p)),
        NewCommand::Person(a) => scaffold::new_person(
            &a.root,
            &scaffold::NewPerson {
                name: a.name,
                id: a.id,
            },
        )
        .map(|p| (a.root, p)),
        NewCommand::Event(a) => scaffold::new_event(
            &a.root,
            &scaffold::NewEvent {
                title: a.title,
                date: a.date,
                id: a.id,
                chapter: a.chapter,
                into: a.into,
            },
        )
        .map(|p| (a.root, p)),
        NewCommand::Place(a) => new_entry(dossier::site::WorldKind::Place, a),
        NewCommand::Organization(a) => new_entry(dossier::site::WorldKind::Organization, a),
        NewCommand::Term(a) => new_entry(dossier::site::WorldKind::Term, a),
    };
    match result {
        Ok((root, path)) => {
            eprintln!(
                "wrote {}",
                path.strip_prefix(&root).unwrap_or(&path).display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn new_entry(
    kind: dossier::site::WorldKind,
    a: dossier::cli::NewEntryArgs,
) -> Result<(std::path::PathBuf, std::path::PathBuf), dossier::diagnostics::Error> {
    let e = dossier::scaffold::NewEntry {
        kind,
        id: a.id,
        name: a.name,
    };
    dossier::scaffold::new_entry(&a.root, &e).map(|p| (a.root, p))
}

fn options(c: &CommonArgs, out: std::path::PathBuf) -> Options {
    Options {
        root: c.root.clone(),
        out,
        base_url: c.base_url.clone(),
        drafts: c.drafts,
        mode: Default::default(),
    }
}

fn finish(
    result: Result<Report, dossier::diagnostics::Error>,
    failed: &str,
    success: impl Fn(&Report) -> String,
) -> ExitCode {
    match result {
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
        Ok(r) => {
            if !r.diagnostics.items.is_empty() {
                eprintln!("{}", r.diagnostics);
            }
            if r.ok() {
                eprintln!("{}", success(&r));
                ExitCode::SUCCESS
            } else {
                eprintln!("{failed}");
                ExitCode::from(1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// The option set at start is the purge delay: the one whose default is 1,000 ms.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reads an integer option.
            assert_eq!(
                unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) },
                1000
            );
        }
        super::keep_freed_memory();
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) },
            -1
        );
    }
}
