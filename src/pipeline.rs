//! The one orchestrator: load → link → render → output, the same phases for every command.
//! `build`, `check` and `serve` differ only in their [`Sink`] (a staging folder swapped in, a
//! site in memory, nothing) and in their [`Memo`] (`serve` keeps the results of pure calls from
//! one rebuild to the next; the others keep none). Here, and only here, diagnostics are
//! collected, `deny` is applied, the report is sorted and timed, and the sink is committed when,
//! and only when, nothing is wrong.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Error};
use crate::output::{self, Bytes, Sink, StaticFile};
use crate::render::{self, Content, Page, PageJob, Templates};
use crate::site::Site;
use crate::util::memo::Memo;
use crate::{linkcheck, load, resolve, search};

/// What to build: the project and how to read it. Where the output goes is the sink's.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// The output folder (relative to `root` unless absolute). `build` writes there; every
    /// command refuses static files that link into it.
    pub out: PathBuf,
    /// Overrides site.toml's `base_url`.
    pub base_url: Option<String>,
    /// Include chapters marked `draft = true`.
    pub drafts: bool,
    pub mode: render::Mode,
}

/// What a run found and made, and how long each phase took.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Diagnostics,
    /// HTML pages made.
    pub pages: usize,
    /// Files made (pages, feeds, the search index and the static files).
    pub files: usize,
    pub timings: Vec<(&'static str, Duration)>,
}

impl Report {
    pub fn ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// A run's report, and what its sink gave back when it was committed (`None`: it had errors,
/// and nothing was written).
pub struct Outcome<T> {
    pub report: Report,
    pub done: Option<T>,
}

/// Run the pipeline into `sink`. Content problems are in the report; environmental failures
/// (I/O) are `Err`. Either way, a sink is committed only by a run without errors.
pub fn run<S: Sink>(opts: &Options, sink: S, memo: &Memo) -> Result<Outcome<S::Done>, Error> {
    if !opts.root.is_dir() {
        return Err(Error::Usage(format!(
            "the project folder {} does not exist",
            opts.root.display()
        )));
    }
    memo.next_build();
    let mut report = Report::default();
    let d = &mut report.diagnostics;

    let t = Instant::now();
    let loaded = load_all(opts, memo, d);
    report.timings.push(("load", t.elapsed()));
    let Loaded {
        config,
        parsed,
        broken,
        templates,
        statics,
        maps,
    } = loaded;
    let Some(config) = config else {
        return Ok(finish(report, None));
    };

    let t = Instant::now();
    let mut sources = load::collect(parsed, opts.drafts, d);
    sources.broken.extend(&broken);
    sources.maps = maps;
    let site = link(sources, config, memo, d);
    report.timings.push(("link", t.elapsed()));

    let templates = match &*templates {
        Ok(t) => t,
        Err(errors) => {
            d.extend(errors.clone());
            return Ok(finish(report, None));
        }
    };
    let made = render_all(&opts.mode, &site, templates, &sink, memo, &mut report)?;
    let d = &mut report.diagnostics;
    linkcheck::check(&site, &made.files, &statics, templates, d);
    let pages = made.files.iter().map(|(p, _)| p.as_str());
    let placed = output::statics::place(pages, RESERVED, &statics, d);
    d.deny(&site.config.deny);
    if d.has_errors() {
        return Ok(finish(report, None));
    }

    let t = Instant::now();
    placed
        .par_iter()
        .try_for_each(|f| sink.put_static(&f.path, &f.source))?;
    report.files = made.files.len() + made.later + placed.len();
    let done = sink.commit()?;
    report.timings.push(("write", t.elapsed()));
    crate::util::drop_aside(site);
    Ok(finish(report, Some(done)))
}

fn finish<T>(mut report: Report, done: Option<T>) -> Outcome<T> {
    report.diagnostics = std::mem::take(&mut report.diagnostics).sorted();
    Outcome { report, done }
}

/// What loading reads: the settings, every content file parsed, the templates compiled and
/// the static files listed.
struct Loaded {
    config: Option<Config>,
    parsed: Vec<Arc<load::Parsed>>,
    broken: load::Broken,
    templates: Arc<Result<Templates, Diagnostics>>,
    statics: Vec<StaticFile>,
    /// The maps of site.toml, their outlines parsed.
    maps: Vec<crate::map::Map>,
}

fn load_all(opts: &Options, memo: &Memo, d: &mut Diagnostics) -> Loaded {
    let root = &opts.root;
    let config = load::site_config(root, opts.base_url.as_deref(), d);
    let (files, broken, problems) = load::read_content(root);
    d.extend(problems);
    let parsed: Vec<Arc<load::Parsed>> = files
        .par_iter()
        .map(|f| memo.call(f, load::parse))
        .collect();
    let template_files = render::files(root, d);
    let templates = memo.call(&template_files, render::compile);
    let out = output::absolute(root, &opts.out);
    let statics = output::statics::list(root, &out, d);
    let maps = match &config {
        Some(c) => {
            let (files, problems) = load::maps::read(root, c);
            d.extend(problems);
            let parsed = files
                .iter()
                .map(|f| memo.call(f, load::maps::parse))
                .collect();
            load::maps::maps(parsed, d)
        }
        None => Vec::new(),
    };
    Loaded {
        config,
        parsed,
        broken,
        templates,
        statics,
        maps,
    }
}

/// Resolve the sources into the site; the Markdown of each text is rendered through the memo.
pub fn link(sources: load::Sources, config: Config, memo: &Memo, d: &mut Diagnostics) -> Site {
    let names = resolve::names(&sources);
    let matcher = memo.call(&names, resolve::matcher);
    let index = resolve::index(&sources, names, matcher, d);
    let texts = {
        let jobs = resolve::texts(&sources, &index, &config);
        let rendered = jobs
            .par_iter()
            .map(|job| memo.call(job, resolve::render_text))
            .collect();
        resolve::Texts::new(&sources, &jobs, rendered)
    };
    resolve::site(sources, config, &index, texts, d)
}

/// What rendering made: the path of every file, with the template of each page.
pub struct Made {
    pub files: Vec<(String, Option<&'static str>)>,
    /// How many files were put under the folders made when first asked for ([`RESERVED`]), if
    /// the sink made them now.
    pub later: usize,
}

/// The folders whose files are made by [`Sink::put_later`], and what they hold: no static file
/// may go there, in any command.
pub const RESERVED: &[(&str, &str)] = &[(search::DIR, "the search index")];

/// A page that could not be made: a problem in the content or templates, or a failed write.
enum Failed {
    Content(Diagnostic),
    Io(Error),
}

/// Render every page (each through the memo) and, beside them, the search index (which the sink
/// may make later: see [`Sink::put_later`]); put them in the sink as they are made, unless an
/// error is already known (nothing will be committed).
pub fn render_all<S: Sink>(
    mode: &render::Mode,
    site: &Site,
    templates: &Templates,
    sink: &S,
    memo: &Memo,
    report: &mut Report,
) -> Result<Made, Error> {
    let keep = !report.diagnostics.has_errors();
    let put = |path: &str, bytes: &Bytes| if keep { sink.put(path, bytes) } else { Ok(()) };
    let prepared = render::Prepared::new(site, mode);
    let cx = prepared.ctx();
    let plan = cx.plan();
    let ((pages, render_time), ((index, search_time), (extras, extras_time))) = rayon::join(
        || {
            let t = Instant::now();
            let pages: Vec<Result<(String, Option<&'static str>), Failed>> = plan
                .par_iter()
                .map(|page| render_page(&cx, page, templates, memo, &put))
                .collect();
            (pages, t.elapsed())
        },
        || {
            let t = Instant::now();
            let index = search::documents(site).map(|docs| {
                let make: output::Later = Box::new(move || search::files(docs));
                if keep {
                    sink.put_later(search::DIR, make)
                } else {
                    Ok(0)
                }
            });
            let search_time = t.elapsed();
            // The feeds, the sitemap and the page previews' cards: small, made beside the
            // pages rather than after them.
            let t = Instant::now();
            let extras: Result<Vec<String>, Error> = cx
                .extras()
                .into_iter()
                .chain(crate::preview::files(site))
                .map(|extra| put(&extra.path, &extra.bytes).map(|()| extra.path))
                .collect();
            ((index, search_time), (extras, t.elapsed()))
        },
    );
    report.timings.push(("render", render_time));
    report.timings.push(("search", search_time));
    report.timings.push(("extras", extras_time));
    let mut files = Vec::with_capacity(pages.len() + 16);
    for page in pages {
        match page {
            Ok(made) => files.push(made),
            Err(Failed::Content(d)) => report.diagnostics.push(d),
            Err(Failed::Io(e)) => return Err(e),
        }
    }
    report.pages = files.iter().filter(|(p, _)| p.ends_with(".html")).count();
    files.extend(extras?.into_iter().map(|path| (path, None)));
    let later = match index {
        Ok(put) => put?,
        Err(d) => {
            report.diagnostics.push(d);
            0
        }
    };
    Ok(Made { files, later })
}

/// One page: its view, then its HTML (memoized), then into the sink. Returns its path and
/// template.
fn render_page(
    cx: &render::Ctx<'_>,
    page: &Page,
    templates: &Templates,
    memo: &Memo,
    put: &(impl Fn(&str, &Bytes) -> Result<(), Error> + Sync),
) -> Result<(String, Option<&'static str>), Failed> {
    let spec = cx.spec(page).map_err(Failed::Content)?;
    let (bytes, template) = match spec.content {
        Content::Template(template, view) => {
            let job = PageJob {
                templates,
                template,
                view: &*view,
            };
            (
                memo.call(&job, render::html).map_err(Failed::Content)?,
                Some(template),
            )
        }
        Content::Bytes(b) => (Arc::new(b), None),
    };
    put(&spec.path, &bytes).map_err(Failed::Io)?;
    Ok((spec.path, template))
}
