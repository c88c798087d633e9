//! The `dossier` binary: parse the command line, run the pipeline, print the diagnostics once,
//! and set the exit status (0 success, 1 content problems, 2 usage or I/O errors).

use std::process::ExitCode;

use clap::Parser;
use dossier::cli::{Cli, Command, CommonArgs};
use dossier::{BuildOptions, Report};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match cli.command {
        Command::Build(args) => {
            let opts = options(&args.common, args.out);
            let start = std::time::Instant::now();
            finish(dossier::build(&opts), |r| {
                if args.timings {
                    for (phase, d) in &r.timings {
                        eprintln!("{phase:>8}: {:>8.1} ms", d.as_secs_f64() * 1000.0);
                    }
                    eprintln!("{:>8}: {:>8.1} ms", "total", start.elapsed().as_secs_f64() * 1000.0);
                }
                format!("built {} pages ({} files) into {} in {} ms", r.pages, r.files, opts.out.display(), start.elapsed().as_millis())
            })
        }
        Command::Check(args) => {
            let opts = options(&args, "public".into());
            finish(dossier::check(&opts), |r| format!("checked {} pages: no errors", r.pages))
        }
    }
}

fn options(c: &CommonArgs, out: std::path::PathBuf) -> BuildOptions {
    BuildOptions { root: c.root.clone(), out, base_url: c.base_url.clone(), drafts: c.drafts, mode: Default::default() }
}

fn finish(result: Result<Report, dossier::diagnostics::Error>, success: impl Fn(&Report) -> String) -> ExitCode {
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
                eprintln!("build failed: nothing was written");
                ExitCode::from(1)
            }
        }
    }
}
