//! `dossier serve`: build the site in memory, serve it on 127.0.0.1 under the site's base
//! path, watch the sources, rebuild on every change and tell the open pages to reload.
//! Owns the watcher (notify, debounced here), a small HTTP server (tiny_http) and the reload signal
//! (server-sent events); building is `crate::build`'s, and printing is the caller's.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::diagnostics::Error;
use crate::output::{Body, Files, Memory};
use crate::pipeline::{self, Options, Report};
use crate::util::memo::Memo;

/// The port `serve` tries first, and how many after it when it is taken.
pub const DEFAULT_PORT: u16 = 1111;
const PORT_TRIES: u16 = 10;
/// Where, under the base path, the live-reload script and its event stream are served.
pub const RELOAD_SCRIPT: &str = "__dossier/live-reload.js";
pub const EVENTS: &str = "__dossier/events";
/// Quiet time after a change before rebuilding, so one save is one build...
const DEBOUNCE: Duration = Duration::from_millis(30);
/// ...or less after a change that ends a save (a file closed after writing, or renamed into
/// place), when only what an editor does right after it (a backup removed) is waited for...
const SAVED_DEBOUNCE: Duration = Duration::from_millis(5);
/// ...unless changes keep coming for this long.
const DEBOUNCE_MAX: Duration = Duration::from_secs(2);
/// How often an idle event stream sends a comment, to notice closed connections.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// The folders and file whose changes trigger a rebuild.
const WATCHED_DIRS: [&str; 3] = ["content", "templates", "static"];

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
}

/// A running `dossier serve`: the HTTP server, the watcher and the site in memory.
pub struct Server {
    opts: Options,
    root: PathBuf,
    port: u16,
    state: Arc<State>,
    http: Arc<tiny_http::Server>,
    rx: Receiver<Msg>,
    tx: Sender<Msg>,
    watcher: RecommendedWatcher,
    watched: Vec<PathBuf>,
    builds: u64,
    /// What one build keeps for the next, so an edit re-renders only what it changed.
    memo: Memo,
}

enum Msg {
    /// Paths that changed, and whether the change ends a save.
    Changed(Vec<PathBuf>, bool),
    Stop,
}

/// Ends a running server's loop from another thread (Ctrl-C, a test).
#[derive(Clone)]
pub struct Stopper(Sender<Msg>);

impl Stopper {
    pub fn stop(&self) {
        let _ = self.0.send(Msg::Stop);
    }
}

/// What the HTTP threads share with the serve loop.
struct State {
    /// The built site, in memory (replaced whole by each build).
    files: Mutex<Arc<Files>>,
    status: Mutex<Status>,
    /// One sender per open event stream.
    clients: Mutex<Vec<Sender<String>>>,
}

#[derive(Clone, Default)]
struct Status {
    /// `/` or `/repo/`: where the site is served, as in production.
    base_path: String,
    /// The id of the last good build; `None` until one succeeds.
    build: Option<String>,
    /// The rendered problems of the last build, when it failed.
    error: Option<String>,
}

impl Server {
    /// Bind the port and start watching; nothing is built until [`Server::run`].
    pub fn bind(opts: &ServeOptions) -> Result<(Server, Option<(u16, u16)>), Error> {
        let root = std::fs::canonicalize(&opts.build.root)
            .map_err(|e| Error::io(&opts.build.root, "open the project folder", e))?;
        if !root.join("site.toml").is_file() {
            return Err(Error::Usage(format!(
                "no site.toml in {}: serve a documentary's folder (or start one with `dossier init DIR`)",
                opts.build.root.display()
            )));
        }
        let (http, fallback) = listen(opts.port)?;
        let port = http.server_addr().to_ip().map_or(0, |a| a.port());
        // (Sites were once served from a folder there; remove any left by a killed serve.)
        clean_stale(&std::env::temp_dir());
        let mut build = opts.build.clone();
        build.root = root.clone();
        build.mode.live_reload = true;
        let state = Arc::new(State {
            files: Mutex::default(),
            status: Mutex::new(Status {
                base_path: "/".into(),
                ..Status::default()
            }),
            clients: Mutex::default(),
        });
        let (tx, rx) = mpsc::channel();
        let watch_tx = tx.clone();
        let filter_root = root.clone();
        let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let Ok(event) = res else { return };
            // Reading a file (as every build does) is not a change.
            if matches!(event.kind, EventKind::Access(a) if a != AccessKind::Close(AccessMode::Write)) {
                return;
            }
            let saved = ends_save(&event.kind);
            let paths: Vec<PathBuf> = event.paths.into_iter().filter(|p| is_source(&filter_root, p)).collect();
            if !paths.is_empty() {
                let _ = watch_tx.send(Msg::Changed(paths, saved));
            }
        })
        .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", root.display())))?;
        let http = Arc::new(http);
        let mut server = Server {
            opts: build,
            root,
            port,
            state,
            http,
            rx,
            tx,
            watcher,
            watched: Vec::new(),
            builds: 0,
            memo: Memo::new(),
        };
        server.watch()?;
        server.spawn_http();
        Ok((server, fallback))
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The site's address, under its base path.
    pub fn url(&self) -> String {
        let base = self
            .state
            .status
            .lock()
            .expect("status lock")
            .base_path
            .clone();
        format!("http://127.0.0.1:{}{}", self.port, base)
    }

    pub fn stopper(&self) -> Stopper {
        Stopper(self.tx.clone())
    }

    /// Build, then rebuild on every change until stopped. Each build's outcome goes to `notice`.
    pub fn run(mut self, notice: &mut dyn FnMut(Notice<'_>)) -> Result<(), Error> {
        self.rebuild(notice);
        let url = self.url();
        notice(Notice::Serving { url: &url });
        loop {
            let (mut changed, mut saved) = match self.rx.recv() {
                Ok(Msg::Changed(paths, saved)) => (paths, saved),
                Ok(Msg::Stop) | Err(_) => break,
            };
            // Debounce: wait for a quiet moment, so that one save (or a burst of them) is one build.
            let first = Instant::now();
            while first.elapsed() < DEBOUNCE_MAX {
                match self
                    .rx
                    .recv_timeout(if saved { SAVED_DEBOUNCE } else { DEBOUNCE })
                {
                    Ok(Msg::Changed(more, s)) => {
                        changed.extend(more);
                        saved = s;
                    }
                    Ok(Msg::Stop) => return Ok(()),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return Ok(()),
                }
            }
            changed.sort();
            changed.dedup();
            let shown: Vec<PathBuf> = changed
                .iter()
                .map(|p| p.strip_prefix(&self.root).unwrap_or(p).to_path_buf())
                .collect();
            notice(Notice::Changed { paths: &shown });
            self.watch()?;
            let before = self.url();
            self.rebuild(notice);
            let after = self.url();
            if after != before {
                notice(Notice::Serving { url: &after });
            }
        }
        Ok(())
    }

    /// Watch site.toml (through the project folder, so editors that replace it are seen) and
    /// each source folder that exists; folders created later are picked up after a change.
    fn watch(&mut self) -> Result<(), Error> {
        let mut wanted = vec![(self.root.clone(), RecursiveMode::NonRecursive)];
        for d in WATCHED_DIRS {
            let p = self.root.join(d);
            if p.is_dir() {
                wanted.push((p, RecursiveMode::Recursive));
            }
        }
        for (path, mode) in wanted {
            if self.watched.contains(&path) {
                continue;
            }
            self.watcher
                .watch(&path, mode)
                .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", path.display())))?;
            self.watched.push(path);
        }
        self.watched.retain(|p| p.exists());
        Ok(())
    }

    /// Build the site in memory and swap it in whole, so the pages are told to reload only once
    /// every new file is in place; a failed build leaves the last good site.
    fn rebuild(&mut self, notice: &mut dyn FnMut(Notice<'_>)) {
        let start = Instant::now();
        let base_path = base_path(&self.opts);
        let failure = match pipeline::run(&self.opts, Memory::default(), &self.memo) {
            Ok(pipeline::Outcome {
                report,
                done: Some(files),
            }) => {
                *self.state.files.lock().expect("files lock") = Arc::new(files);
                self.builds += 1;
                let id = format!("{}-{}", std::process::id(), self.builds);
                {
                    let mut s = self.state.status.lock().expect("status lock");
                    s.build = Some(id.clone());
                    s.error = None;
                    if let Some(b) = base_path {
                        s.base_path = b;
                    }
                }
                self.state.broadcast(build_frame(&id));
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
                let errors = crate::diagnostics::Diagnostics {
                    items: report
                        .diagnostics
                        .items
                        .iter()
                        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
                        .cloned()
                        .collect(),
                };
                (report.diagnostics.to_string(), errors.to_string())
            }
            Err(e) => (e.to_string(), e.to_string()),
        };
        let (terminal, failure) = failure;
        let last_good = {
            let mut s = self.state.status.lock().expect("status lock");
            s.error = Some(failure.clone());
            if s.build.is_none() {
                // Nothing served yet: the waiting page goes where the site will be.
                if let Some(b) = base_path {
                    s.base_path = b;
                }
            }
            s.build.is_some()
        };
        notice(Notice::Failed {
            text: &terminal,
            last_good,
        });
        self.state.broadcast(failed_frame(&failure));
    }

    fn spawn_http(&self) {
        let http = Arc::clone(&self.http);
        let state = Arc::clone(&self.state);
        std::thread::spawn(move || {
            for request in http.incoming_requests() {
                let state = Arc::clone(&state);
                std::thread::spawn(move || handle(request, &state));
            }
        });
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.http.unblock();
    }
}

/// Listen on 127.0.0.1: the port asked for, or 1111 and the next ones.
fn listen(port: Option<u16>) -> Result<(tiny_http::Server, Option<(u16, u16)>), Error> {
    match port {
        Some(p) => tiny_http::Server::http(("127.0.0.1", p)).map(|s| (s, None)).map_err(|e| {
            Error::Usage(format!("cannot listen on 127.0.0.1:{p}: {e}; choose another --port, or --port 0 for any free port"))
        }),
        None => {
            let mut last = None;
            for p in DEFAULT_PORT..DEFAULT_PORT + PORT_TRIES {
                match tiny_http::Server::http(("127.0.0.1", p)) {
                    Ok(s) => return Ok((s, (p != DEFAULT_PORT).then_some((DEFAULT_PORT, p)))),
                    Err(e) => last = Some(e),
                }
            }
            Err(Error::Usage(format!(
                "ports {DEFAULT_PORT} to {} on 127.0.0.1 are all taken ({}); choose one with --port, or --port 0 for any free port",
                DEFAULT_PORT + PORT_TRIES - 1,
                last.map(|e| e.to_string()).unwrap_or_default()
            )))
        }
    }
}

/// The base path the build will use: site.toml's `base_url`, or `--base-url`. `None` when
/// site.toml cannot be read (the build then fails and reports why).
fn base_path(opts: &Options) -> Option<String> {
    let file = crate::load::read_source(&opts.root, &opts.root.join("site.toml")).ok()?;
    let mut diags = crate::diagnostics::Diagnostics::default();
    let mut config = crate::config::Config::parse(&file, &mut diags)?;
    if let Some(url) = &opts.base_url {
        config.base_url = crate::config::normalize_base_url(url).ok()?;
    }
    Some(config.base_path().to_string())
}

/// Does this change end a save? Writing a file ends when it is closed; a file renamed into
/// place (editors that save to a temporary file) or removed is done at once.
fn ends_save(kind: &EventKind) -> bool {
    use notify::event::{ModifyKind, RenameMode};
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
            | EventKind::Remove(_)
    )
}

/// Does a change at `path` concern the site? site.toml and files under the source folders,
/// leaving out editors' hidden and backup files.
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
    {
        return false;
    }
    rel == Path::new("site.toml") || WATCHED_DIRS.iter().any(|d| rel.starts_with(d))
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

// ---------------------------------------------------------------------------------------------
// The reload signal

impl State {
    fn status(&self) -> Status {
        self.status.lock().expect("status lock").clone()
    }

    /// Send an event to every open page; closed streams are dropped.
    fn broadcast(&self, frame: String) {
        self.clients
            .lock()
            .expect("clients lock")
            .retain(|c| c.send(frame.clone()).is_ok());
    }
}

/// `event: build`: a good build is in place; pages built before it reload.
fn build_frame(id: &str) -> String {
    format!("event: build\ndata: {id}\n\n")
}

/// `event: failed`: the pages show the problems over the last good version.
fn failed_frame(text: &str) -> String {
    let mut out = String::from("event: failed\n");
    for line in text.lines() {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// The live-reload script, told which build the page that loads it belongs to. It connects to
/// the event stream next to it (so it works under any base path), reloads after a newer good
/// build, shows build errors in an overlay (role="alert") and reconnects when the server
/// restarts.
fn reload_script(build: Option<&str>) -> String {
    let id = serde_json::to_string(build.unwrap_or("")).unwrap_or_else(|_| "\"\"".into());
    include_str!("serve/live-reload.js").replace("\"__DOSSIER_BUILD__\"", &id)
}

// ---------------------------------------------------------------------------------------------
// HTTP

fn handle(request: tiny_http::Request, state: &State) {
    use tiny_http::Method;
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(text_response(
            405,
            "text/plain; charset=utf-8",
            "only GET and HEAD are served\n".into(),
        ));
        return;
    }
    let status = state.status();
    let url = request.url().to_string();
    let (raw_path, query) = url
        .split_once('?')
        .map_or((url.as_str(), ""), |(p, q)| (p, q));
    let path = percent_encoding::percent_decode_str(raw_path)
        .decode_utf8_lossy()
        .into_owned();
    let base = status.base_path.as_str();
    // Pages opened before site.toml moved the base path still find the reload signal (and so
    // reload, onto the page that says where the site went).
    if !path.starts_with(base) && path.ends_with(&format!("/{EVENTS}")) {
        event_stream(request, state);
        return;
    }
    let Some(rel) = path.strip_prefix(base) else {
        if path == "/" || base.starts_with(&path) || format!("{path}/") == base {
            let _ = request.respond(redirect(302, base));
        } else {
            let body = format!(
                "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>Not under the base path</title>\
                 <p>This site is served under <a href=\"{base}\">{base}</a>, its base path in production.</p></html>"
            );
            let _ = request.respond(text_response(404, "text/html; charset=utf-8", body));
        }
        return;
    };
    if rel == RELOAD_SCRIPT {
        let _ = request.respond(text_response(
            200,
            "text/javascript; charset=utf-8",
            reload_script(status.build.as_deref()),
        ));
        return;
    }
    if rel == EVENTS {
        event_stream(request, state);
        return;
    }
    if status.build.is_none() {
        let _ = request.respond(text_response(
            503,
            "text/html; charset=utf-8",
            waiting_page(base),
        ));
        return;
    }
    if rel.split('/').any(|s| s == ".." || s == ".") || rel.contains(['\\', '\0']) {
        let _ = request.respond(text_response(
            400,
            "text/plain; charset=utf-8",
            "bad path\n".into(),
        ));
        return;
    }
    let files = Arc::clone(&state.files.lock().expect("files lock"));
    let exists = |p: &str| files.contains_key(p);
    let wanted = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if !exists(&wanted) && exists(&format!("{rel}/index.html")) {
        let q = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        let _ = request.respond(redirect(301, &format!("{raw_path}/{q}")));
        return;
    }
    let bytes = match files.get(&wanted) {
        Some(body) => body.read().ok(),
        None => None,
    };
    match bytes {
        Some(bytes) => {
            let _ = request.respond(bytes_response(200, content_type(Path::new(&wanted)), bytes));
        }
        None => {
            let not_found = match files.get("404.html") {
                Some(Body::Bytes(b)) => b.to_vec(),
                _ => b"Not found\n".to_vec(),
            };
            let _ = request.respond(bytes_response(404, "text/html; charset=utf-8", not_found));
        }
    }
}

/// Hold the connection open and write each reload event as it comes.
fn event_stream(request: tiny_http::Request, state: &State) {
    let (tx, rx) = mpsc::channel::<String>();
    // Register first, then send the current state: an event in between is sent twice, which
    // the page handles, rather than lost.
    state.clients.lock().expect("clients lock").push(tx);
    let status = state.status();
    let mut first = String::from("retry: 1000\n\n");
    if let Some(id) = &status.build {
        first.push_str(&build_frame(id));
    }
    if let Some(err) = &status.error {
        first.push_str(&failed_frame(err));
    }
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if w.write_all(head.as_bytes())
        .and_then(|()| w.write_all(first.as_bytes()))
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let frame = match rx.recv_timeout(KEEP_ALIVE) {
            Ok(f) => f,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(frame.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Shown before the first good build: the problems, and the reload script that brings the
/// site as soon as they are fixed.
fn waiting_page(base: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Waiting for a good build</title>\n</head>\n<body>\n\
         <main>\n<h1>The site does not build yet</h1>\n<p>Dossier shows the problems below and loads the site as soon as they are fixed.</p>\n</main>\n\
         <script src=\"{base}{RELOAD_SCRIPT}\" defer></script>\n</body>\n</html>\n"
    )
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn bytes_response(
    code: u16,
    content_type: &str,
    bytes: Vec<u8>,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_data(bytes)
        .with_status_code(code)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
}

fn text_response(
    code: u16,
    content_type: &str,
    body: String,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    bytes_response(code, content_type, body.into_bytes())
}

fn redirect(code: u16, to: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    text_response(
        code,
        "text/plain; charset=utf-8",
        format!("moved to {to}\n"),
    )
    .with_header(header("Location", to))
}

fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_trigger_rebuilds() {
        let root = Path::new("/p");
        assert!(is_source(root, Path::new("/p/site.toml")));
        assert!(is_source(root, Path::new("/p/content/chapters/01-a.md")));
        assert!(is_source(root, Path::new("/p/templates/base.html")));
        assert!(is_source(root, Path::new("/p/static/img/a.png")));
        assert!(!is_source(root, Path::new("/p/public/index.html")));
        assert!(!is_source(
            root,
            Path::new("/p/content/chapters/.01-a.md.swp")
        ));
        assert!(!is_source(root, Path::new("/p/content/chapters/01-a.md~")));
        assert!(!is_source(root, Path::new("/elsewhere/site.toml")));
    }

    /// What the short debounce relies on: on this platform, the last event of a plain save and of
    /// a save through a temporary file renamed into place each say the save is over.
    #[test]
    fn saves_end_with_an_event_that_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, rx) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(e) = res {
                let _ = tx.send(e);
            }
        })
        .unwrap();
        watcher.watch(dir.path(), RecursiveMode::Recursive).unwrap();
        let last_for = |path: &Path| {
            let mut last = None;
            while let Ok(e) = rx.recv_timeout(Duration::from_millis(300)) {
                if e.paths
                    .iter()
                    .any(|p| p.ends_with(path.file_name().unwrap()))
                {
                    last = Some(e.kind);
                }
            }
            last.expect("an event for the file")
        };
        let plain = dir.path().join("a.md");
        std::fs::write(&plain, "one").unwrap();
        assert!(ends_save(&last_for(&plain)));
        std::fs::write(&plain, "two").unwrap();
        assert!(ends_save(&last_for(&plain)));
        let temp = dir.path().join(".a.md.tmp");
        std::fs::write(&temp, "three").unwrap();
        std::fs::rename(&temp, &plain).unwrap();
        assert!(ends_save(&last_for(&plain)));
        // Writing without closing yet is not the end of a save.
        let mut open = std::fs::OpenOptions::new()
            .append(true)
            .open(&plain)
            .unwrap();
        std::io::Write::write_all(&mut open, b"four").unwrap();
        assert!(!ends_save(&last_for(&plain)));
        drop(open);
        assert!(ends_save(&last_for(&plain)));
    }

    #[test]
    fn failed_frames_carry_every_line() {
        assert_eq!(
            failed_frame("a:1:2: error: x\n  |\n"),
            "event: failed\ndata: a:1:2: error: x\ndata:   |\n\n"
        );
        assert_eq!(build_frame("7-2"), "event: build\ndata: 7-2\n\n");
    }

    #[test]
    fn the_script_knows_its_build() {
        let s = reload_script(Some("12-3"));
        assert!(s.contains("var loaded = \"12-3\";"), "{s}");
        assert!(!s.contains("__DOSSIER_BUILD__"));
    }
}
