//! The holes of issue 17 in `dossier serve`, each reproduced against the real server on
//! 127.0.0.1 (numbered as in the issue). Loads are bounded: at most 150 connections, 64 MB
//! sent, each wait bounded by `WAIT`. Memory and threads are read from `/proc` (so those tests
//! are Linux's), never timed.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::support::*;

/// The served site is what the last good build accepted: a static file replaced by a link to a
/// file outside the project is refused by the rebuild, and the old bytes are still what is
/// served, for a file held in memory and for a large one held open.
#[cfg(target_os = "linux")]
#[test]
fn h1_static_files_are_what_the_last_good_build_accepted() {
    let dir = fixture("serve");
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("passwd");
    std::fs::write(&secret, "root:x:0:0:SECRET\n").unwrap();
    let statics = dir.path().join("static");
    std::fs::create_dir(&statics).unwrap();
    std::fs::write(statics.join("note.txt"), "ok\n").unwrap();
    let large: Vec<u8> = (0..12u32 << 20).map(|i| (i % 251) as u8).collect();
    std::fs::write(statics.join("film.bin"), &large).unwrap();
    let serve = Serve::start(dir.path(), &[]);
    assert_eq!(serve.get("/sub/note.txt").text(), "ok\n");

    // What a `git pull` can do: each file replaced, in one rename, by a link out of the project.
    for name in ["note.txt", "film.bin"] {
        let link = statics.join("t");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        std::fs::rename(&link, statics.join(name)).unwrap();
    }
    serve.wait_log("leads outside the project");
    serve.wait_log("build failed: still serving the last good site");
    let note = serve.get("/sub/note.txt");
    assert_eq!((note.status, note.text().as_str()), (200, "ok\n"));
    let film = serve.get("/sub/film.bin");
    assert_eq!(film.status, 200);
    assert!(
        film.body == large,
        "the large file changed ({} bytes)",
        film.body.len()
    );
}

/// Out of file descriptors (`ulimit -n 40`, 150 idle connections), the server waits instead of
/// dying, starts no thread per connection, closes idle connections to serve a page while they
/// are held, and serves and rebuilds once they close.
#[cfg(target_os = "linux")]
#[test]
fn h2_running_out_of_file_descriptors_is_waited_out() {
    let dir = fixture("serve");
    let mut serve = Serve::start_with_file_limit(dir.path(), 40);
    assert_eq!(serve.get("/sub/").status, 200, "{}", serve.log());
    let threads = serve.threads();
    let idle: Vec<TcpStream> = (0..150)
        .map(|_| TcpStream::connect(("127.0.0.1", serve.port)))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| {
            panic!(
                "the server stopped listening ({e}); it printed:\n{}",
                serve.log()
            )
        });
    serve.wait_log("too many open files");
    assert!(serve.is_running(), "{}", serve.log());
    assert_eq!(serve.threads(), threads, "a thread per connection");
    // Idle connections are closed to make room, so a page loads while they are still held.
    assert_eq!(serve.get("/sub/chapters/first/").status, 200);
    drop(idle);

    let start = Instant::now();
    edit(
        &dir.path().join("content/chapters/01-first.md"),
        "older than anyone expected",
        "newer than the catalogue said",
    );
    while !text_of(&serve.get("/sub/chapters/first/").html(), "main")
        .contains("newer than the catalogue")
    {
        assert!(
            start.elapsed() < WAIT,
            "no rebuild after the connections closed:\n{}",
            serve.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(serve.is_running());
}

/// Live-reload sockets are bounded too (64, fewer under a low `ulimit -n`): one more is refused
/// with 503 (the page retries later), pages still load, and a socket closed makes room.
#[test]
fn h2_live_reload_sockets_are_bounded() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &[]);
    let socket = "/sub/__dossier/live";
    let mut open = Vec::new();
    let refused = loop {
        match Live::connect(serve.port, socket, None) {
            Ok(live) => open.push(live),
            Err(status) => break status,
        }
        assert!(
            open.len() <= 64,
            "more than 64 live-reload sockets were opened"
        );
    };
    assert_eq!(refused, 503);
    assert!(open.len() >= 16, "only {} sockets", open.len());
    assert_eq!(serve.get("/sub/").status, 200);
    open.pop();
    let deadline = Instant::now() + WAIT;
    while Live::connect(serve.port, socket, None).is_err() {
        assert!(Instant::now() < deadline, "a closed socket made no room");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Live reload holds no HTTP/1.1 connection: the page's script opens a WebSocket (its upgrade is
/// a 101, out of the browser's six connections per host), there is no event stream any more,
/// and with seven sockets open (seven tabs) pages still load.
#[test]
fn h3_live_reload_holds_no_http_connection() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &[]);
    let js = serve.get("/sub/__dossier/live-reload.js").text();
    assert!(
        js.contains("new WebSocket(") && !js.contains("EventSource"),
        "{js}"
    );
    assert_eq!(serve.get("/sub/__dossier/events").status, 404);
    let mut tabs: Vec<Live> = (0..7).map(|_| serve.live("/sub/__dossier/live")).collect();
    for tab in &mut tabs {
        assert_eq!(tab.next().kind, "build");
    }
    for path in ["/sub/", "/sub/chapters/first/", "/sub/style.css"] {
        assert_eq!(serve.get(path).status, 200, "{path}");
    }
}

/// Only requests for this server's own names are answered (DNS rebinding), and only this
/// server's pages may open the live-reload socket.
#[test]
fn h4_only_this_servers_names_are_answered() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &[]);
    let p = serve.port;
    let ask = |host: &str, target: &str| {
        request(
            p,
            format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    };
    for host in [
        format!("127.0.0.1:{p}"),
        format!("localhost:{p}"),
        format!("[::1]:{p}"),
    ] {
        assert_eq!(ask(&host, "/sub/").status, 200, "{host}");
    }
    for host in [
        format!("rebound.example:{p}"),
        "rebound.example".into(),
        format!("127.0.0.1:{}", p + 1),
    ] {
        let r = ask(&host, "/sub/");
        assert_eq!(r.status, 403, "{host}");
        assert!(!r.text().contains("Serve Fixture"));
    }
    assert_eq!(
        ask(&format!("127.0.0.1:{p}"), "http://rebound.example/sub/").status,
        403
    );
    let no_host = request(p, b"GET /sub/ HTTP/1.0\r\n\r\n");
    assert_eq!(no_host.status, 403);

    let socket = "/sub/__dossier/live";
    assert_eq!(
        Live::connect(p, socket, Some("http://rebound.example")).err(),
        Some(403)
    );
    assert_eq!(
        Live::connect(p, socket, Some(&format!("http://rebound.example:{p}"))).err(),
        Some(403)
    );
    assert!(Live::connect(p, socket, Some(&format!("http://localhost:{p}"))).is_ok());
    assert!(Live::connect(p, socket, Some(&format!("http://127.0.0.1:{p}"))).is_ok());
}

/// The request line and headers are bounded: 414 for a long URI, 431 for long headers, and
/// 64 MB of header costs the server no memory to speak of.
#[cfg(target_os = "linux")]
#[test]
fn h5_request_heads_are_bounded() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &[]);
    let before = serve.rss_mb();
    let mut s = TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
    s.set_write_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "GET /sub/ HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n",
        serve.port
    )
    .unwrap();
    let line = format!("X-Filler: {}\r\n", "c".repeat(1 << 20));
    let mut sent = 0;
    while sent < 64 && s.write_all(line.as_bytes()).is_ok() {
        sent += 1;
    }
    let grown = serve.rss_mb() - before;
    eprintln!("h5: {sent} MB of headers sent, server grew by {grown:.1} MB");
    assert!(
        sent < 64 && grown < 16.0,
        "the server read {sent} MB of headers and grew by {grown:.0} MB"
    );
    drop(s);

    let long_uri = format!("/sub/{}", "a".repeat(10 << 10));
    assert_eq!(serve.get(&long_uri).status, 414);
    let header = format!("X-Filler: {}", "b".repeat(40 << 10));
    assert_eq!(serve.get_with("/sub/", &[&header]).status, 431);
    assert_eq!(serve.get("/sub/").status, 200);
}

/// Content cannot forge live-reload messages: an error line with bare CRs that spell an event
/// arrives as one message, and no build message follows it until a real rebuild.
#[test]
fn h6_content_cannot_forge_live_reload_messages() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &[]);
    let mut live = serve.live("/sub/__dossier/live");
    let good = live.next_of("build");
    let chapter = dir.path().join("content/chapters/01-first.md");
    let forged = "See [[nobody]]\r\revent: build\rdata: x\r\r.";
    edit(&chapter, "Iris Vale opened the archive", forged);
    let failed = live.next();
    assert_eq!(failed.kind, "failed", "{failed:?}");
    assert!(
        failed.data.contains("unknown person \"nobody\""),
        "{}",
        failed.data
    );
    // The CRs arrive inside the one message's text (shown as their pictures, as the terminal
    // shows them), never as the lines of another message.
    assert!(
        failed
            .data
            .contains("\u{240d}event: build\u{240d}data: x\u{240d}"),
        "{:?}",
        failed.data
    );
    // Nothing else comes: no build "x", no reload.
    assert_eq!(live.next_within(Duration::from_millis(500)), None);
    edit(&chapter, forged, "Iris Vale opened the archive");
    let next = live.next();
    assert_eq!(next.kind, "build");
    assert_ne!(next.data, good.data);
    assert_ne!(next.data, "x");
}

/// The search index is made once per build: forty requests at once right after a rebuild get
/// the same bytes, and cost the server no memory to speak of.
#[cfg(target_os = "linux")]
#[test]
fn h7_the_search_index_is_made_once_per_build() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &[]);
    assert_eq!(serve.get("/sub/search/meta.json").status, 200);
    edit(
        &dir.path().join("content/chapters/01-first.md"),
        "older than anyone expected",
        "newer than the catalogue said",
    );
    // The rebuild is in place once its page is served (the index comes with it).
    let start = Instant::now();
    while !text_of(&serve.get("/sub/chapters/first/").html(), "main").contains("newer than") {
        assert!(start.elapsed() < WAIT, "no rebuild:\n{}", serve.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    let before = serve.rss_mb();
    let port = serve.port;
    let answers: Vec<Response> = std::thread::scope(|s| {
        let asks: Vec<_> = (0..40)
            .map(|_| s.spawn(move || get(port, "/sub/search/meta.json")))
            .collect();
        asks.into_iter().map(|a| a.join().unwrap()).collect()
    });
    assert!(
        answers
            .iter()
            .all(|a| a.status == 200 && a.body == answers[0].body)
    );
    assert!(answers[0].text().contains("\"documents\":3"));
    let grown = serve.rss_mb() - before;
    eprintln!("h7: 40 requests for the index, server grew by {grown:.1} MB");
    assert!(
        grown < 16.0,
        "forty requests for the index grew the server by {grown:.0} MB"
    );
}

/// Large static files are streamed, ranges and conditional requests are answered: ten slow
/// readers of a 64 MB file cost little memory, a `Range` gets 206 with its bytes, and a client
/// that has the file gets 304.
#[cfg(target_os = "linux")]
#[test]
fn h8_large_files_stream_with_ranges_and_validators() {
    let dir = fixture("serve");
    std::fs::create_dir(dir.path().join("static")).unwrap();
    let film: Vec<u8> = (0..64u32 << 20).map(|i| (i % 251) as u8).collect();
    std::fs::write(dir.path().join("static/film.mp4"), &film).unwrap();
    std::fs::write(dir.path().join("static/note.txt"), "0123456789").unwrap();
    let serve = Serve::start(dir.path(), &[]);

    let before = serve.rss_mb();
    let readers: Vec<TcpStream> = (0..10)
        .map(|_| slow_reader(serve.port, "/sub/film.mp4"))
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let grown = serve.rss_mb() - before;
    eprintln!("h8: ten slow readers of 64 MB, server grew by {grown:.1} MB");
    assert!(
        grown < 24.0,
        "ten slow readers of a 64 MB file grew the server by {grown:.0} MB"
    );
    drop(readers);

    for (path, bytes) in [
        ("/sub/film.mp4", &film[..]),
        ("/sub/note.txt", b"0123456789"),
    ] {
        let part = serve.get_with(path, &["Range: bytes=3-6"]);
        assert_eq!(part.status, 206, "{path}");
        let total = bytes.len();
        assert_eq!(
            part.header("content-range"),
            Some(format!("bytes 3-6/{total}").as_str())
        );
        assert_eq!(part.body, &bytes[3..7]);
        let tail = serve.get_with(path, &["Range: bytes=-2"]);
        assert_eq!(tail.body, &bytes[total - 2..]);
        assert_eq!(
            serve.get_with(path, &["Range: bytes=99999999999-"]).status,
            416
        );
        let whole = serve.get(path);
        assert_eq!(whole.header("accept-ranges"), Some("bytes"));
        let etag = whole.header("etag").expect("an ETag").to_string();
        let again = serve.get_with(path, &[&format!("If-None-Match: {etag}")]);
        assert_eq!((again.status, again.body.len()), (304, 0));
        let modified = whole
            .header("last-modified")
            .expect("a Last-Modified")
            .to_string();
        assert_eq!(
            serve
                .get_with(path, &[&format!("If-Modified-Since: {modified}")])
                .status,
            304
        );
        let stale = serve.get_with(path, &["Range: bytes=3-6", "If-Range: \"old\""]);
        assert_eq!((stale.status, stale.body.len()), (200, total));
    }
    let head = request(
        serve.port,
        format!(
            "HEAD /sub/film.mp4 HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            serve.port
        )
        .as_bytes(),
    );
    assert_eq!(
        head.header("content-length"),
        Some(film.len().to_string().as_str())
    );
    assert!(head.body.is_empty());
}

/// A GET of `path` that reads the head and a little of the body, then stops reading.
fn slow_reader(port: u16, path: &str) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    let mut first = [0u8; 4096];
    let n = s.read(&mut first).unwrap();
    assert!(
        first[..n].starts_with(b"HTTP/1.1 200"),
        "{:?}",
        String::from_utf8_lossy(&first[..n])
    );
    s
}

/// A base path that is not ASCII is served (percent-encoded where a URL needs it), and a 405
/// says which methods are allowed.
#[test]
fn h9_a_non_ascii_base_path_and_allow() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &["--base-url", "https://example.org/répo/"]);
    assert!(serve.url.ends_with("/r%C3%A9po/"), "{}", serve.url);
    let root = serve.get("/");
    assert_eq!(
        (root.status, root.header("location")),
        (302, Some("/r%C3%A9po/"))
    );
    let home = serve.get("/r%C3%A9po/");
    assert_eq!(home.status, 200, "{}", home.text());
    assert_eq!(text_of(&home.html(), "title"), "Serve Fixture");
    let no_slash = serve.get("/r%C3%A9po/chapters/first");
    assert_eq!(
        no_slash.header("location"),
        Some("/r%C3%A9po/chapters/first/")
    );
    assert_eq!(serve.get("/elsewhere/").status, 404);
    assert!(Live::connect(serve.port, "/r%C3%A9po/__dossier/live", None).is_ok());

    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let r = request(serve.port, format!("{method} /r%C3%A9po/ HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", serve.port).as_bytes());
        assert_eq!(
            (r.status, r.header("allow")),
            (405, Some("GET, HEAD")),
            "{method}"
        );
    }
}
