//! Dossier: a static site generator for documentaries.
//!
//! The pipeline (`pipeline::run`) is the same for every command: `load` reads the project into
//! raw records, `resolve` links them into the `site` model (rendering Markdown with
//! `markdown`), `render` makes the pages (with `search`, `print` and `network` for what they
//! derive), `linkcheck` checks the links the renderer made, and `output` puts the files in a
//! sink. `serve` runs it on every change with a memo of pure calls. Leaves (`util`, `scan`,
//! `date`, `diagnostics`) are used by all and use nothing above them.

pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod linkcheck;
pub mod load;
pub mod map;
pub mod markdown;
pub mod network;
pub mod output;
pub mod pipeline;
pub mod preview;
pub mod print;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod scan;
pub mod search;
pub mod serve;
pub mod site;
pub mod util;

pub use pipeline::{Options, Outcome, Report};

use diagnostics::Error;
use util::memo::Memo;

/// `dossier build`: the pipeline into a staging folder beside the output, swapped in only when
/// the run has no errors.
pub fn build(opts: &Options) -> Result<Report, Error> {
    let out = output::check_out_dir(&opts.root, &opts.out)?;
    let staging = output::Staging::open(&out)?;
    // (Where the output cannot be swapped, the build writes in place, and says what is lost.)
    let in_place = staging.warning(&opts.out.display().to_string());
    let mut report = pipeline::run(opts, staging, &Memo::off())?.report;
    if let Some(warning) = in_place {
        report.diagnostics.push(warning);
        report.diagnostics = std::mem::take(&mut report.diagnostics).sorted();
    }
    Ok(report)
}

/// `dossier check`: the pipeline with nothing written.
pub fn check(opts: &Options) -> Result<Report, Error> {
    pipeline::run(opts, output::Discard, &Memo::off()).map(|o| o.report)
}
