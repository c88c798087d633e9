//! Dossier: a static site generator for documentaries.
//! The pipeline is load → link → render → write; `build` and `check` below are the whole of it.

pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod link;
pub mod linkcheck;
pub mod load;
pub mod markdown;
pub mod network;
pub mod print;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diagnostics::{Diagnostic, Diagnostics, Error};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// The output folder (relative to `root` unless absolute).
    pub out: PathBuf,
    /// Overrides site.toml's `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    pub mode: render::Mode,
}

/// What a run produced: its problems, the pages written and how long each phase took.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Diagnostics,
    pub pages: usize,
    pub files: usize,
    pub timings: Vec<(&'static str, Duration)>,
}

impl Report {
    pub fn ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// load → link → render → write. Content problems are in the report (and nothing is written);
/// environmental failures are `Err`.
pub fn build(opts: &BuildOptions) -> Result<Report, Error> {
    let mut report = Report::default();
    let out = write::check_out_dir(&opts.root, &opts.out)?;
    let Some((site, outputs)) = generate(opts, &mut report)? else {
        report.diagnostics = std::mem::take(&mut report.diagnostics).sorted();
        return Ok(report);
    };
    let t = Instant::now();
    let mut outputs = outputs;
    match search::index(&site, &outputs) {
        Ok(index) => outputs.extend(index),
        Err(d) => {
            report.diagnostics.push(d);
            return Ok(report);
        }
    }
    report.timings.push(("search", t.elapsed()));
    let t = Instant::now();
    report.files = outputs.len();
    write::site(&outputs, &opts.root.join("static"), &opts.root, &out, &mut report.diagnostics)?;
    report.timings.push(("write", t.elapsed()));
    drop(site);
    report.diagnostics = std::mem::take(&mut report.diagnostics).sorted();
    Ok(report)
}

/// load → link → render → link-check the rendered pages, writing nothing: what `dossier check` runs.
pub fn check(opts: &BuildOptions) -> Result<Report, Error> {
    let mut report = Report::default();
    if let Some((site, outputs)) = render_all(opts, &mut report)? {
        let t = Instant::now();
        linkcheck::check(&outputs, &opts.root, &site.config, &mut report.diagnostics);
        report.timings.push(("links", t.elapsed()));
    }
    report.diagnostics = std::mem::take(&mut report.diagnostics).sorted();
    Ok(report)
}

/// load → link → render; `None` when anything is wrong (nothing may be written).
fn generate(opts: &BuildOptions, report: &mut Report) -> Result<Option<(site::Site, Vec<render::Output>)>, Error> {
    let rendered = render_all(opts, report)?;
    Ok(rendered.filter(|_| !report.diagnostics.has_errors()))
}

/// load → link → render: the pages, whenever they could be rendered at all (even with errors in
/// the content, so `check` can link-check them and report everything at once).
fn render_all(opts: &BuildOptions, report: &mut Report) -> Result<Option<(site::Site, Vec<render::Output>)>, Error> {
    let diags = &mut report.diagnostics;
    let t = Instant::now();
    let root = &opts.root;
    if !root.is_dir() {
        return Err(Error::Usage(format!("the project folder {} does not exist", root.display())));
    }
    let config = load_config(root, opts.base_url.as_deref(), diags);
    let sources = load::sources(root, opts.drafts, diags);
    let templates = render::Templates::load(root, diags);
    report.timings.push(("load", t.elapsed()));
    let Some(config) = config else { return Ok(None) };
    let deny = config.deny.clone();

    let t = Instant::now();
    let site = link::site(sources, config, diags);
    report.timings.push(("link", t.elapsed()));
    let Some(templates) = templates else { return Ok(None) };

    let t = Instant::now();
    let outputs = render::pages(&site, &templates, &opts.mode, diags);
    report.timings.push(("render", t.elapsed()));
    report.pages = outputs.iter().filter(|o| o.path.ends_with(".html")).count();
    diags.deny(&deny);
    Ok(Some((site, outputs)))
}

/// Read `site.toml`, with `--base-url` over its `base_url`.
fn load_config(root: &Path, base_url: Option<&str>, diags: &mut Diagnostics) -> Option<config::Config> {
    let path = root.join("site.toml");
    if !path.is_file() {
        diags.push(
            Diagnostic::in_file("site.toml", "no site.toml in the project folder")
                .with_help("create one with at least `title` and `base_url`, or start with `dossier init`"),
        );
        return None;
    }
    let file = match load::read_source(root, &path) {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut config = config::Config::parse(&file, diags)?;
    if let Some(url) = base_url {
        match config::normalize_base_url(url) {
            Ok(u) => config.base_url = u,
            Err(why) => {
                diags.push(Diagnostic::in_file("--base-url", format!("invalid base URL: {why}")));
                return None;
            }
        }
    }
    Some(config)
}
