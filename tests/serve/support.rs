//! What the serve tests share: a fixture copy, a running server (stopped when dropped), plain
//! HTTP/1.1 over a socket, a live-reload WebSocket client, and the server's memory and threads
//! as `/proc` tells them.

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
pub const WAIT: Duration = Duration::from_secs(30);

/// The binary under test.
pub fn bin() -> String {
    std::env::var("DOSSIER_SERVE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_dossier").into())
}

pub fn fixture(name: &str) -> tempfile::TempDir {
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
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// A running `dossier serve`, stopped when dropped.
pub struct Serve {
    pub child: Child,
    pub port: u16,
    /// The URL it printed, e.g. `http://127.0.0.1:4321/sub/`.
    pub url: String,
    log: Arc<Mutex<String>>,
}

impl Serve {
    pub fn start(root: &Path, extra: &[&str]) -> Serve {
        Serve::start_with_env(root, extra, &[])
    }

    pub fn start_with_env(
        root: &Path,
        extra: &[&str],
        env: &[(&str, std::ffi::OsString)],
    ) -> Serve {
        let mut cmd = Command::new(bin());
        cmd.args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .envs(env.iter().map(|(k, v)| (k, v)));
        Serve::spawn(cmd)
    }

    /// Serve `root` with at most `files` open file descriptors (`ulimit -n`).
    pub fn start_with_file_limit(root: &Path, files: u32) -> Serve {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!("ulimit -n {files} && exec \"$0\" \"$@\""))
            .arg(bin())
            .args(["serve", "--port", "0", "--root"])
            .arg(root);
        Serve::spawn(cmd)
    }

    fn spawn(mut cmd: Command) -> Serve {
        let mut child = cmd
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
        };
        serve.url = serving_url(&rx).unwrap_or_else(|| {
            panic!(
                "dossier serve did not say where it serves within {WAIT:?}; it printed:\n{}",
                serve.log()
            )
        });
        let after_host = serve
            .url
            .strip_prefix("http://127.0.0.1:")
            .expect("served on 127.0.0.1");
        serve.port = after_host.split('/').next().unwrap().parse().unwrap();
        serve
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Wait (bounded) until the server has printed `needle`: its terminal output is read by
    /// another thread, so it may lag behind what the sockets already show.
    pub fn wait_log(&self, needle: &str) {
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

    pub fn get(&self, path: &str) -> Response {
        get(self.port, path)
    }

    /// A GET with extra header lines (each `Name: value`).
    pub fn get_with(&self, path: &str, headers: &[&str]) -> Response {
        let mut head = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n", self.port);
        for h in headers {
            head.push_str(h);
            head.push_str("\r\n");
        }
        head.push_str("Connection: close\r\n\r\n");
        request(self.port, head.as_bytes())
    }

    pub fn live(&self, path: &str) -> Live {
        Live::connect(self.port, path, None).expect("a live-reload socket")
    }

    /// The server's resident memory, in MB.
    pub fn rss_mb(&self) -> f64 {
        self.status_field("VmRSS") as f64 / 1024.0
    }

    /// How many threads the server runs.
    pub fn threads(&self) -> u64 {
        self.status_field("Threads")
    }

    fn status_field(&self, name: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status
            .lines()
            .find(|l| l.starts_with(&format!("{name}:")))
            .unwrap_or_else(|| panic!("no {name} in /proc/PID/status"));
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

/// The URL of the first `serving …` line, within `WAIT`.
fn serving_url(rx: &Receiver<String>) -> Option<String> {
    let deadline = Instant::now() + WAIT;
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .ok()?;
        if let Some(rest) = line.strip_prefix("serving ") {
            return rest.split_whitespace().next().map(str::to_string);
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        // SIGTERM first, so serve stops cleanly; SIGKILL if it does not stop.
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
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn html(&self) -> Html {
        Html::parse_document(&self.text())
    }
}

/// A plain HTTP/1.1 GET over a socket, with timeouts.
pub fn get(port: u16, path: &str) -> Response {
    request(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
}

/// Send `raw` as it is and read the response until the server closes the connection.
pub fn request(port: u16, raw: &[u8]) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    s.write_all(raw).unwrap();
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).unwrap();
    parse_response(&bytes)
}

pub fn parse_response(bytes: &[u8]) -> Response {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP response in {:?}", String::from_utf8_lossy(bytes)));
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
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
        body: bytes[end + 4..].to_vec(),
    }
}

/// A live-reload socket, as a page opens it.
pub struct Live {
    socket: tungstenite::WebSocket<TcpStream>,
}

/// One message on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Told {
    /// `build` or `failed`.
    pub kind: String,
    /// The build's id, or the errors' text.
    pub data: String,
}

impl Live {
    /// Open the socket at `path`, saying it comes from a page at `origin` if given. `Err` holds
    /// the HTTP status of a refusal.
    pub fn connect(port: u16, path: &str, origin: Option<&str>) -> Result<Live, u16> {
        use tungstenite::client::IntoClientRequest as _;
        let mut req = format!("ws://127.0.0.1:{port}{path}")
            .into_client_request()
            .unwrap();
        if let Some(o) = origin {
            req.headers_mut().insert("Origin", o.parse().unwrap());
        }
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        match tungstenite::client(req, stream) {
            Ok((socket, response)) => {
                assert_eq!(response.status(), 101);
                socket
                    .get_ref()
                    .set_read_timeout(Some(Duration::from_millis(200)))
                    .unwrap();
                Ok(Live { socket })
            }
            Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(r))) => {
                Err(r.status().as_u16())
            }
            Err(e) => panic!("live-reload handshake: {e}"),
        }
    }

    /// The next message, waiting at most `within`; `None` if none came.
    pub fn next_within(&mut self, within: Duration) -> Option<Told> {
        let deadline = Instant::now() + within;
        loop {
            match self.socket.read() {
                Ok(tungstenite::Message::Text(t)) => {
                    let v: serde_json::Value = serde_json::from_str(t.as_str())
                        .unwrap_or_else(|e| panic!("not JSON ({e}): {t:?}"));
                    let kind = v["type"].as_str().expect("a type").to_string();
                    let data = match kind.as_str() {
                        "build" => v["id"].as_str(),
                        _ => v["text"].as_str(),
                    };
                    return Some(Told {
                        data: data.expect("a build's id or a failure's text").to_string(),
                        kind,
                    });
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("live-reload socket: {e}"),
            }
            if Instant::now() >= deadline {
                return None;
            }
        }
    }

    pub fn next(&mut self) -> Told {
        self.next_within(WAIT)
            .unwrap_or_else(|| panic!("no live-reload message within {WAIT:?}"))
    }

    /// Skip messages until one of `kind` comes.
    pub fn next_of(&mut self, kind: &str) -> Told {
        let deadline = Instant::now() + WAIT;
        loop {
            let m = self.next();
            if m.kind == kind {
                return m;
            }
            assert!(
                Instant::now() < deadline,
                "no {kind} message within {WAIT:?}"
            );
        }
    }
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

pub fn text_of(html: &Html, css: &str) -> String {
    select(html, css)
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The live-reload script's URL on a page, resolved against the page's path.
pub fn reload_script_of(page_path: &str, html: &Html) -> String {
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

pub fn resolve(page_path: &str, href: &str) -> String {
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
