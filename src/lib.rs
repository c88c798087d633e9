//! Dossier: a static site generator for documentaries.
//! The pipeline is load → link → render → write; `build` and `check` below are the whole of it.

pub mod cache;
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
pub mod scan;
pub mod search;
pub mod serve;
pub mod site;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

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
/// environmental failures are `Err`. Pages are written as they are rendered (into a folder
/// beside the output, swapped in at the end), so they are never all in memory at once.
pub fn build(opts: &BuildOptions) -> Result<Report, Error> {
    let mut report = Report::default();
    let out = write::check_out_dir(&opts.root, &opts.out)?;
    let Some((site, templates)) = load_and_link(opts, None, &mut report)? else {
        report.diagnostics = std::mem::take(&mut report.diagnostics).sorted();
        return Ok(report);
    };
    let staging = write::Staging::open(&out)?;

    // The pages and the search index are made side by side (both read the site only): each has
    // stretches one core does alone, which the other fills. Their times overlap.
    let diags = &mut report.diagnostics;
    let ((written, render_time), (index, search_time)) = rayon::join(
        || {
            let t = Instant::now();
            let put =
                |o: render::Output| (o.path.ends_with(".html"), staging.put(&o.path, &o.bytes));
            (
                render::each_page(&site, &templates, &opts.mode, diags, put),
                t.elapsed(),
            )
        },
        || {
            let t = Instant::now();
            let index = search::index(&site).map(|files| {
                let put = files
                    .par_iter()
                    .try_for_each(|o| staging.put(&o.path, &o.bytes));
                (files.len(), put)
            });
            (index, t.elapsed())
        },
    );
    report.timings.push(("render", render_time));
    report.timings.push(("search", search_time));
    report.pages = written.iter().filter(|(html, _)| *html).count();
    report.files = written.len();
    let failed = written.into_iter().find_map(|(_, r)| r.err());
    if let Some(e) = failed {
        staging.abandon();
        return Err(e);
    }
    let (files, put) = match index {
        Ok(index) => index,
        Err(d) => {
            staging.abandon();
            report.diagnostics.push(d);
            report.diagnostics = std::mem::take(&mut report.diagnostics).sorted();
            return Ok(report);
        }
    };
    report.files += files;
    if let Err(e) = put {
        staging.abandon();
        return Err(e);
    }
    report.diagnostics.deny(&site.config.deny);
    if report.diagnostics.has_errors() {
        staging.abandon();
        report.diagnostics = std::mem::take(&mut report.diagnostics).sorted();
        return Ok(report);
    }

    let t = Instant::now();
    staging.finish(
        &opts.root.join("static"),
        &opts.root,
        &mut report.diagnostics,
    )?;
    report.timings.push(("write", t.elapsed()));
    report.diagnostics = std::mem::take(&mut report.diagnostics).sorted();
    Ok(report)
}

/// What `dossier serve` builds: the site in memory, by path (pages, then the static files,
/// which stay on disk where they are). `cache` keeps chapters' Markdown and pages from one build
/// to the next, so only what changed is rendered again. The search index is left out: serve
/// makes it from the returned site once the pages are reloaded.
pub fn build_for_serve(
    opts: &BuildOptions,
    cache: &std::sync::Arc<cache::Cache>,
) -> Result<(Report, Option<(site::Site, write::Files)>), Error> {
    cache.next_build();
    let mut report = Report::default();
    let Some((site, templates)) = load_and_link(opts, Some(cache), &mut report)? else {
        report.diagnostics = std::mem::take(&mut report.diagnostics).sorted();
        return Ok((report, None));
    };
    let templates = templates.with_cache(std::sync::Arc::clone(cache));
    let t = Instant::now();
    let pages = render::each_page(
        &site,
        &templates,
        &opts.mode,
        &mut report.diagnostics,
        |o| o,
    );
    report.timings.push(("render", t.elapsed()));
    report.pages = pages.iter().filter(|o| o.path.ends_with(".html")).count();
    report.diagnostics.deny(&site.config.deny);
    let t = Instant::now();
    let files = write::in_memory(
        pages,
        &opts.root.join("static"),
        &opts.root,
        &mut report.diagnostics,
    );
    report.files = files.len();
    report.timings.push(("static", t.elapsed()));
    report.diagnostics = std::mem::take(&mut report.diagnostics).sorted();
    let ok = report.ok();
    Ok((report, ok.then_some((site, files))))
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

/// load → link, and the templates: `None` when anything is wrong (nothing may be written).
fn load_and_link(
    opts: &BuildOptions,
    cache: Option<&std::sync::Arc<cache::Cache>>,
    report: &mut Report,
) -> Result<Option<(site::Site, render::Templates)>, Error> {
    let Some((site, templates)) = load_link(opts, cache, report)? else {
        return Ok(None);
    };
    report.diagnostics.deny(&site.config.deny);
    Ok(templates
        .filter(|_| !report.diagnostics.has_errors())
        .map(|t| (site, t)))
}

/// load → link → render: the pages, whenever they could be rendered at all (even with errors in
/// the content, so `check` can link-check them and report everything at once).
fn render_all(
    opts: &BuildOptions,
    report: &mut Report,
) -> Result<Option<(site::Site, Vec<render::Output>)>, Error> {
    let Some((site, Some(templates))) = load_link(opts, None, report)? else {
        return Ok(None);
    };
    let t = Instant::now();
    let outputs = render::pages(&site, &templates, &opts.mode, &mut report.diagnostics);
    report.timings.push(("render", t.elapsed()));
    report.pages = outputs.iter().filter(|o| o.path.ends_with(".html")).count();
    report.diagnostics.deny(&site.config.deny);
    Ok(Some((site, outputs)))
}

/// load → link: the site whenever site.toml could be read, and the templates if they compile.
fn load_link(
    opts: &BuildOptions,
    cache: Option<&std::sync::Arc<cache::Cache>>,
    report: &mut Report,
) -> Result<Option<(site::Site, Option<render::Templates>)>, Error> {
    let diags = &mut report.diagnostics;
    let t = Instant::now();
    let root = &opts.root;
    if !root.is_dir() {
        return Err(Error::Usage(format!(
            "the project folder {} does not exist",
            root.display()
        )));
    }
    let config = load_config(root, opts.base_url.as_deref(), diags);
    let sources = load::sources_cached(root, opts.drafts, cache.map(|c| &c.files), diags);
    let templates = render::Templates::load(root, diags);
    report.timings.push(("load", t.elapsed()));
    let Some(config) = config else {
        return Ok(None);
    };

    let t = Instant::now();
    let site = link::site_cached(sources, config, cache.map(|c| &**c), diags);
    report.timings.push(("link", t.elapsed()));
    Ok(Some((site, templates)))
}

/// Read `site.toml`, with `--base-url` over its `base_url`.
fn load_config(
    root: &Path,
    base_url: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<config::Config> {
    let path = root.join("site.toml");
    if !path.is_file() {
        diags.push(
            Diagnostic::in_file("site.toml", "no site.toml in the project folder").with_help(
                "create one with at least `title` and `base_url`, or start with `dossier init`",
            ),
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
                diags.push(Diagnostic::in_file(
                    "--base-url",
                    format!("invalid base URL: {why}"),
                ));
                return None;
            }
        }
    }
    Some(config)
}
