//! `dossier serve` for real: the binary on 127.0.0.1 with a free port, pages fetched over HTTP,
//! the event stream read from a socket, fixture copies edited in a temp dir. Every wait is
//! bounded, and the server is always stopped (SIGTERM, then SIGKILL) even when a test fails.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

/// How long any single wait may take before the test fails (not a performance bound: the
/// rebuild itself takes milliseconds).
const WAIT: Duration = Duration::from_secs(30);

fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        dir.path(),
    );
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Replace a file's text in place (as an editor would save it).
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// A running `dossier serve`, stopped when dropped.
struct Serve {
    child: Child,
    port: u16,
    /// The URL it printed, e.g. `http://127.0.0.1:4321/sub/`.
    url: String,
    log: Arc<Mutex<String>>,
    _lines: Receiver<String>,
}

impl Serve {
    fn start(root: &Path, extra: &[&str]) -> Serve {
        Serve::start_with_env(root, extra, &[])
    }

    fn start_with_env(root: &Path, extra: &[&str], env: &[(&str, std::ffi::OsString)]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let thread_log = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                thread_log.lock().unwrap().push_str(&format!("{line}\n"));
                let _ = tx.send(line);
            }
        });
        let mut serve = Serve {
            child,
            port: 0,
            url: String::new(),
            log,
            _lines: mpsc::channel().1,
        };
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix("serving ") {
                        serve.url = rest.split_whitespace().next().unwrap().to_string();
                        let after_host = serve
                            .url
                            .strip_prefix("http://127.0.0.1:")
                            .expect("served on 127.0.0.1");
                        serve.port = after_host.split('/').next().unwrap().parse().unwrap();
                        break;
                    }
                }
                Err(_) => panic!(
                    "dossier serve did not say where it serves within {WAIT:?}; it printed:\n{}",
                    serve.log()
                ),
            }
        }
        serve._lines = rx;
        serve
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Wait (bounded) until the server has printed `needle`: its terminal output is read by
    /// another thread, so it may lag behind what the sockets already show.
    fn wait_log(&self, needle: &str) {
        let deadline = Instant::now() + WAIT;
        while !self.log().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "the server never printed {needle:?}; it printed:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn get(&self, path: &str) -> Response {
        get(self.port, path)
    }

    fn events(&self, path: &str) -> EventStream {
        EventStream::connect(self.port, path)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        // SIGTERM first, so serve removes its site folder; SIGKILL if it does not stop.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }
}

/// A plain HTTP/1.1 GET over a socket, with timeouts.
fn get(port: u16, path: &str) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP response");
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

/// A server-sent events client reading from a socket.
struct EventStream {
    stream: TcpStream,
    buf: String,
}

#[derive(Debug, Clone, PartialEq)]
struct Event {
    name: String,
    data: String,
}

impl EventStream {
    fn connect(port: u16, path: &str) -> EventStream {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut es = EventStream {
            stream,
            buf: String::new(),
        };
        let deadline = Instant::now() + WAIT;
        while !es.buf.contains("\r\n\r\n") {
            assert!(
                Instant::now() < deadline,
                "no response from the event stream"
            );
            es.fill();
        }
        let (head, rest) = es.buf.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: text/event-stream"),
            "{head}"
        );
        es.buf = rest.to_string();
        es
    }

    fn fill(&mut self) {
        let mut chunk = [0u8; 4096];
        match self.stream.read(&mut chunk) {
            Ok(0) => panic!("the event stream was closed"),
            Ok(n) => self.buf.push_str(&String::from_utf8_lossy(&chunk[..n])),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("event stream: {e}"),
        }
    }

    /// The next event (comments and `retry:` skipped), waiting at most `WAIT`.
    fn next(&mut self) -> Event {
        let deadline = Instant::now() + WAIT;
        loop {
            while let Some(end) = self.buf.find("\n\n") {
                let frame = self.buf[..end].to_string();
                self.buf.drain(..end + 2);
                let mut name = String::from("message");
                let mut data: Vec<&str> = Vec::new();
                for line in frame.lines() {
                    if let Some(v) = line.strip_prefix("event: ") {
                        name = v.to_string();
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        data.push(v);
                    } else if line == "data:" {
                        data.push("");
                    }
                }
                if !data.is_empty() {
                    return Event {
                        name,
                        data: data.join("\n"),
                    };
                }
            }
            assert!(
                Instant::now() < deadline,
                "no event within {WAIT:?}; buffered: {:?}",
                self.buf
            );
            self.fill();
        }
    }

    /// Skip events until one named `name` comes.
    fn next_named(&mut self, name: &str) -> Event {
        let deadline = Instant::now() + WAIT;
        loop {
            let e = self.next();
            if e.name == name {
                return e;
            }
            assert!(Instant::now() < deadline, "no {name} event within {WAIT:?}");
        }
    }
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn text_of(html: &Html, css: &str) -> String {
    select(html, css)
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The live-reload script's URL on a page, resolved against the page's path.
fn reload_script_of(page_path: &str, html: &Html) -> String {
    let scripts: Vec<String> = select(html, "script[src]")
        .iter()
        .map(|e| e.value().attr("src").unwrap().to_string())
        .collect();
    let src = scripts
        .iter()
        .find(|s| s.ends_with("__dossier/live-reload.js"))
        .unwrap_or_else(|| panic!("no live-reload script on {page_path}: {scripts:?}"));
    resolve(page_path, src)
}

fn resolve(page_path: &str, href: &str) -> String {
    if href.starts_with('/') {
        return href.to_string();
    }
    let mut parts: Vec<&str> = page_path.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn serves_the_site_under_its_production_base_path() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &[]);
    assert!(serve.url.ends_with("/sub/"), "served at {}", serve.url);

    let home = serve.get("/sub/");
    assert_eq!(home.status, 200, "{}", serve.log());
    assert!(
        home.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(text_of(&home.html(), "title"), "Serve Fixture");
    assert_eq!(
        reload_script_of("/sub/", &home.html()),
        "/sub/__dossier/live-reload.js"
    );

    let chapter = serve.get("/sub/chapters/first/");
    assert_eq!(chapter.status, 200);
    assert!(
        text_of(&chapter.html(), "main").contains("The boxes were older than anyone expected.")
    );
    assert_eq!(
        reload_script_of("/sub/chapters/first/", &chapter.html()),
        "/sub/__dossier/live-reload.js"
    );
    // The stylesheet the page links to is there too.
    let css_href = select(&chapter.html(), "link[rel=stylesheet]")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    let css = serve.get(&resolve("/sub/chapters/first/", &css_href));
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));

    let script = serve.get("/sub/__dossier/live-reload.js");
    assert_eq!(script.status, 200);
    assert!(
        script
            .header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(script.body.contains("EventSource") && script.body.contains("role\", \"alert\""));

    // Outside the base path: the root redirects to it, anything else is not the site.
    let root = serve.get("/");
    assert_eq!((root.status, root.header("location")), (302, Some("/sub/")));
    assert_eq!(serve.get("/chapters/first/").status, 404);
    // A folder without its slash is redirected, as GitHub Pages does.
    let no_slash = serve.get("/sub/chapters/first");
    assert_eq!(
        (no_slash.status, no_slash.header("location")),
        (301, Some("/sub/chapters/first/"))
    );
    // A missing page gets the site's 404 page, whose links work at any depth.
    let missing = serve.get("/sub/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(text_of(&missing.html(), "title").starts_with("Page not found"));
    assert_eq!(
        reload_script_of("/sub/no/such/page/", &missing.html()),
        "/sub/__dossier/live-reload.js"
    );
    assert_eq!(serve.get("/sub/../site.toml").status, 400);
}

#[test]
fn a_plain_build_has_no_reload_script() {
    let dir = fixture("serve");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .arg("--root")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for page in [
        "public/index.html",
        "public/chapters/first/index.html",
        "public/404.html",
    ] {
        let html = std::fs::read_to_string(dir.path().join(page)).unwrap();
        assert!(
            html.contains("<main") && !html.contains("live-reload"),
            "{page}"
        );
    }
}

#[test]
fn editing_a_chapter_sends_a_reload_after_the_new_pages_are_in_place() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &[]);
    let mut events = serve.events("/sub/__dossier/events");
    let first = events.next();
    assert_eq!(first.name, "build");

    // A new chapter, then an edit of the first: whichever build brings the edit must also
    // serve the new page, and both must be in place when its reload event comes.
    std::fs::write(
        dir.path().join("content/chapters/02-second.md"),
        "+++\ntitle = \"Second Thoughts\"\nsources = [\"log\"]\n+++\n\nIris Vale closed the archive.\n",
    )
    .unwrap();
    let chapter = dir.path().join("content/chapters/01-first.md");
    edit(
        &chapter,
        "older than anyone expected",
        "newer than the catalogue said",
    );
    let deadline = Instant::now() + WAIT;
    let reload = loop {
        let e = events.next_named("build");
        assert_ne!(e.data, first.data, "a rebuild has a new id");
        // Right after the event, without waiting: the new files are already served.
        let page = serve.get("/sub/chapters/first/");
        if text_of(&page.html(), "main").contains("newer than the catalogue said") {
            break e;
        }
        assert!(
            Instant::now() < deadline,
            "no build with the edit; log:\n{}",
            serve.log()
        );
    };
    let second = serve.get("/sub/chapters/second/");
    assert_eq!(second.status, 200);
    assert_eq!(text_of(&second.html(), "h1"), "Second Thoughts");
    // A page loaded now is told it belongs to the new build (so it will not reload again).
    assert!(
        serve
            .get("/sub/__dossier/live-reload.js")
            .body
            .contains(&format!("var loaded = \"{}\";", reload.data))
    );
    serve.wait_log("changed: content/chapters/");
}

#[test]
fn the_search_index_is_made_when_asked_for_and_follows_each_build() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &[]);
    let mut events = serve.events("/sub/__dossier/events");
    events.next_named("build");
    let meta = serve.get("/sub/search/meta.json");
    assert_eq!(meta.status, 200);
    assert!(meta.body.contains("\"documents\":3"), "{}", meta.body);
    let doc = serve.get("/sub/search/doc/0.json");
    assert!(
        doc.body.contains("older than anyone expected"),
        "{}",
        doc.body
    );

    // After an edit, the next request is answered from the new build's index.
    edit(
        &dir.path().join("content/chapters/01-first.md"),
        "older than anyone expected",
        "newer than the catalogue said",
    );
    events.next_named("build");
    let doc = serve.get("/sub/search/doc/0.json");
    assert!(
        doc.body.contains("newer than the catalogue said")
            && !doc.body.contains("older than anyone"),
        "{}",
        doc.body
    );
    assert_eq!(serve.get("/sub/search/nothing.json").status, 404);
}

#[test]
fn a_broken_edit_shows_the_errors_and_keeps_serving_the_last_good_site() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &[]);
    let mut events = serve.events("/sub/__dossier/events");
    let good = events.next_named("build");

    let chapter = dir.path().join("content/chapters/01-first.md");
    edit(
        &chapter,
        "Iris Vale opened the archive",
        "Iris Vale opened the [[ghost-writer]] archive",
    );
    let failed = events.next_named("failed");
    assert!(
        failed.data.starts_with(
            "content/chapters/01-first.md:7:22: error: unknown person \"ghost-writer\""
        ),
        "{}",
        failed.data
    );
    assert!(failed.data.contains("1 error"), "{}", failed.data);
    // The last good page is still served, unchanged.
    let page = serve.get("/sub/chapters/first/");
    assert_eq!(page.status, 200);
    let main = text_of(&page.html(), "main");
    assert!(
        main.contains("Iris Vale opened the archive") && !main.contains("ghost"),
        "{main}"
    );
    // A page opened now is told about the problem at once.
    let mut fresh = serve.events("/sub/__dossier/events");
    assert_eq!(
        fresh.next(),
        Event {
            name: "build".into(),
            data: good.data.clone()
        }
    );
    assert_eq!(fresh.next().name, "failed");
    serve.wait_log("build failed: still serving the last good site");

    // Fixing it brings a new build, which clears the overlay by reloading.
    edit(
        &chapter,
        "Iris Vale opened the [[ghost-writer]] archive",
        "Iris Vale opened the west archive",
    );
    let fixed = events.next_named("build");
    assert_ne!(fixed.data, good.data);
    assert!(
        text_of(&serve.get("/sub/chapters/first/").html(), "main")
            .contains("opened the west archive")
    );
}

#[test]
fn a_site_that_does_not_build_yet_is_served_once_fixed() {
    let dir = fixture("serve");
    let events_file = dir.path().join("content/events/events.toml");
    edit(
        &events_file,
        "date = \"2020-05-04\"",
        "date = \"2020-13-45\"",
    );
    let serve = Serve::start(dir.path(), &[]);
    // The waiting page is under the base path and carries the reload script.
    let waiting = serve.get("/sub/chapters/first/");
    assert_eq!(waiting.status, 503);
    assert_eq!(
        reload_script_of("/sub/chapters/first/", &waiting.html()),
        "/sub/__dossier/live-reload.js"
    );
    let mut events = serve.events("/sub/__dossier/events");
    let failed = events.next();
    assert_eq!(failed.name, "failed");
    assert!(
        failed
            .data
            .starts_with("content/events/events.toml:3:8: error:"),
        "{}",
        failed.data
    );

    edit(
        &events_file,
        "date = \"2020-13-45\"",
        "date = \"2020-05-04\"",
    );
    events.next_named("build");
    assert_eq!(serve.get("/sub/chapters/first/").status, 200);
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = fixture("serve");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port}")) && err.contains("--port 0"),
        "{err}"
    );
}

#[test]
fn a_base_url_override_moves_the_served_path() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &["--base-url", "https://user.github.io/repo/"]);
    assert!(serve.url.ends_with("/repo/"), "{}", serve.url);
    assert_eq!(serve.get("/repo/chapters/first/").status, 200);
    assert_eq!(serve.get("/sub/chapters/first/").status, 404);
}

#[test]
fn moving_the_base_path_in_site_toml_moves_the_site_and_reloads_open_pages() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &[]);
    let mut events = serve.events("/sub/__dossier/events");
    let first = events.next_named("build");
    edit(
        &dir.path().join("site.toml"),
        "https://example.org/sub/",
        "https://example.org/moved/",
    );
    // The page opened under the old path still hears the rebuild, and reloads.
    let next = events.next_named("build");
    assert_ne!(next.data, first.data);
    serve.wait_log(&format!("serving http://127.0.0.1:{}/moved/", serve.port));
    assert_eq!(serve.get("/moved/chapters/first/").status, 200);
    assert_eq!(serve.get("/sub/chapters/first/").status, 404);
    assert_eq!(serve.get("/").header("location"), Some("/moved/"));
}

/// `--open` starts the browser (`xdg-open`) with the served URL.
#[cfg(target_os = "linux")]
#[test]
fn open_starts_the_browser_at_the_served_url() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fixture("serve");
    let bin = tempfile::tempdir().unwrap();
    let said = bin.path().join("opened");
    let script = bin.path().join("xdg-open");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n{{ echo \"$1\"; }} > {0}.part && mv {0}.part {0}\n",
            said.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = std::env::join_paths(std::iter::once(bin.path().to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let serve = Serve::start_with_env(dir.path(), &["--open"], &[("PATH", path)]);
    let deadline = Instant::now() + WAIT;
    while !said.exists() {
        assert!(
            Instant::now() < deadline,
            "xdg-open was never run; serve printed:\n{}",
            serve.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let opened = std::fs::read_to_string(&said).unwrap();
    let mut lines = opened.lines();
    assert_eq!(lines.next(), Some(serve.url.as_str()), "{opened}");
}
