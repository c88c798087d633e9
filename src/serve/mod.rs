//! `dossier serve`: build the site in memory, serve it on 127.0.0.1 under the site's base
//! path, watch the sources, rebuild on every change and tell the open pages to reload. This
//! file owns the loop (wait for a change, rebuild through `pipeline::run` with a [`Memory`] sink
//! and the memo, publish the new snapshot) and what it tells the caller ([`Notice`]). Watching
//! is `watch`'s; the socket, its limits and the tokio runtime are `listen`'s; requests are
//! `http`'s and `files`'; live reload is `reload`'s. Printing is the caller's.

mod files;
mod http;
mod listen;
mod reload;
mod state;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use tokio::runtime::Runtime;
use tokio::sync::Semaphore;

use crate::diagnostics::{Diagnostics, Error, Severity};
use crate::output::Memory;
use crate::pipeline::{self, Options, Report};
use crate::util::memo::Memo;

pub use listen::DEFAULT_PORT;
pub use reload::{RELOAD_SCRIPT, SOCKET};

use state::{BasePath, Shared, Snapshot};
use watch::{Msg, Next, Watch};

/// What to serve: the build (its `out` is replaced by serve's own folder) and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: Options,
    /// `None`: 1111 or the next free port; `Some(0)`: any free port.
    pub port: Option<u16>,
}

/// What happened, for the caller to show.
#[derive(Debug)]
pub enum Notice<'a> {
    /// Files changed; a rebuild follows.
    Changed { paths: &'a [PathBuf] },
    /// A build succeeded (it may have warnings) and the open pages were told to reload.
    Built {
        report: &'a Report,
        elapsed: Duration,
    },
    /// A build failed: the pages show `text` over the last good site (if there is one yet).
    Failed { text: &'a str, last_good: bool },
    /// The site is served at `url` (after the first build, and again when the base path changes).
    Serving { url: &'a str },
    /// Something about serving the user should know (say, the process ran out of files).
    Warning { text: &'a str },
}

/// A running `dossier serve`: the HTTP server, the watcher and the site in memory.
pub struct Server {
    opts: Options,
    root: PathBuf,
    port: u16,
    site: Shared,
    watch: Watch,
    builds: u64,
    /// What one build keeps for the next, so an edit re-renders only what it changed.
    memo: Memo,
    /// The HTTP side; shut down when the server is dropped.
    runtime: Option<Runtime>,
}

/// Ends a running server's loop from another thread (Ctrl-C, a test).
#[derive(Clone)]
pub struct Stopper(Sender<Msg>);

impl Stopper {
    pub fn stop(&self) {
        let _ = self.0.send(Msg::Stop);
    }
}

impl Server {
    /// Bind the port, start serving (the waiting page, until the first build) and watching;
    /// nothing is built until [`Server::run`]. Also the port wanted and the one taken instead.
    pub fn bind(opts: &ServeOptions) -> Result<(Server, Option<(u16, u16)>), Error> {
        let root = std::fs::canonicalize(&opts.build.root)
            .map_err(|e| Error::io(&opts.build.root, "open the project folder", e))?;
        if !root.join("site.toml").is_file() {
            return Err(Error::Usage(format!(
                "no site.toml in {}: serve a documentary's folder (or start one with `dossier init DIR`)",
                opts.build.root.display()
            )));
        }
        let runtime = listen::runtime()?;
        let (listener, fallback) = listen::bind(&runtime, opts.port)?;
        let port = listener.local_addr().map_or(0, |a| a.port());
        // (Sites were once served from a folder there; remove any left by a killed serve.)
        clean_stale(&std::env::temp_dir());
        let mut build = opts.build.clone();
        build.root = root.clone();
        build.mode.live_reload = true;
        let watch = Watch::start(&root)?;
        let site = state::shared();
        let limits = listen::Limits::for_this_process();
        let app = Arc::new(state::App {
            port,
            site: Arc::clone(&site),
            sockets: Arc::new(Semaphore::new(limits.sockets)),
        });
        let warn = watch.sender();
        listen::spawn(&runtime, listener, http::router(app), limits, move |text| {
            let _ = warn.send(Msg::Warning(text));
        });
        let server = Server {
            opts: build,
            root,
            port,
            site,
            watch,
            builds: 0,
            memo: Memo::new(),
            runtime: Some(runtime),
        };
        Ok((server, fallback))
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The site's address, under its base path.
    pub fn url(&self) -> String {
        format!(
            "http://127.0.0.1:{}{}",
            self.port,
            self.site.borrow().base.href
        )
    }

    pub fn stopper(&self) -> Stopper {
        Stopper(self.watch.sender())
    }

    /// Build, then rebuild on every change until stopped. Each build's outcome goes to `notice`.
    pub fn run(mut self, notice: &mut dyn FnMut(Notice<'_>)) -> Result<(), Error> {
        self.rebuild(notice);
        let url = self.url();
        notice(Notice::Serving { url: &url });
        loop {
            match self.watch.next() {
                Next::Stop => return Ok(()),
                Next::Warn(text) => notice(Notice::Warning { text: &text }),
                Next::Rebuild(paths) => {
                    notice(Notice::Changed { paths: &paths });
                    self.watch.refresh()?;
                    let before = self.url();
                    self.rebuild(notice);
                    let after = self.url();
                    if after != before {
                        notice(Notice::Serving { url: &after });
                    }
                }
            }
        }
    }

    /// Build the site in memory and publish it whole, so the pages are told to reload only once
    /// every new file is in place; a failed build leaves the last good site.
    fn rebuild(&mut self, notice: &mut dyn FnMut(Notice<'_>)) {
        let start = Instant::now();
        let base = base_path(&self.opts).map(|b| BasePath::new(&b));
        let last = Arc::clone(&self.site.borrow());
        let sink = Memory::for_project(&self.root, Some(&last.files));
        let (terminal, failure) = match pipeline::run(&self.opts, sink, &self.memo) {
            Ok(pipeline::Outcome {
                report,
                done: Some(files),
            }) => {
                self.builds += 1;
                self.site.send_replace(Arc::new(Snapshot {
                    base: base.unwrap_or_else(|| last.base.clone()),
                    build: Some(format!("{}-{}", std::process::id(), self.builds)),
                    error: None,
                    files: Arc::new(files),
                }));
                let elapsed = start.elapsed();
                notice(Notice::Built {
                    report: &report,
                    elapsed,
                });
                return;
            }
            // The terminal shows every problem, as `build` and `check` print them; the page
            // shows the errors.
            Ok(pipeline::Outcome { report, .. }) => {
                let errors = Diagnostics {
                    items: (report.diagnostics.items.iter())
                        .filter(|d| d.severity == Severity::Error)
                        .cloned()
                        .collect(),
                };
                (report.diagnostics.to_string(), errors.to_string())
            }
            Err(e) => (e.to_string(), e.to_string()),
        };
        let last_good = last.build.is_some();
        self.site.send_replace(Arc::new(Snapshot {
            // Nothing served yet: the waiting page goes where the site will be.
            base: base
                .filter(|_| !last_good)
                .unwrap_or_else(|| last.base.clone()),
            build: last.build.clone(),
            error: Some(failure),
            files: Arc::clone(&last.files),
        }));
        notice(Notice::Failed {
            text: &terminal,
            last_good,
        });
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// The base path the build will use: site.toml's `base_url`, or `--base-url`. `None` when
/// site.toml cannot be read (the build then fails and reports why).
fn base_path(opts: &Options) -> Option<String> {
    let file = crate::load::read_source(&opts.root, &opts.root.join("site.toml")).ok()?;
    let mut diags = Diagnostics::default();
    let mut config = crate::config::Config::parse(&file, &mut diags)?;
    if let Some(url) = &opts.base_url {
        config.base_url = crate::config::normalize_base_url(url).ok()?;
    }
    Some(config.base_path().to_string())
}

/// Remove site folders of serve processes that are gone (killed without cleaning up). Only
/// where `/proc` tells which processes are alive.
fn clean_stale(tmp: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("dossier-serve-")
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}
