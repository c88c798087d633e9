//! What serving does: the site under its production base path, redirects, the waiting page,
//! the error overlay's messages, live reload after a good build, ports, `--open`, a clean stop.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

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
    let js = script.text();
    assert!(js.contains("new WebSocket(") && js.contains("role\", \"alert\""));

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
    let with_query = serve.get("/sub/chapters/first?x=1");
    assert_eq!(
        with_query.header("location"),
        Some("/sub/chapters/first/?x=1")
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
    assert_eq!(serve.get("/sub/%2e%2e/site.toml").status, 400);
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
    let mut live = serve.live("/sub/__dossier/live");
    let first = live.next();
    assert_eq!(first.kind, "build");

    // A new chapter, then an edit of the first: whichever build brings the edit must also
    // serve the new page, and both must be in place when its reload message comes.
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
        let m = live.next_of("build");
        assert_ne!(m.data, first.data, "a rebuild has a new id");
        // Right after the message, without waiting: the new files are already served.
        let page = serve.get("/sub/chapters/first/");
        if text_of(&page.html(), "main").contains("newer than the catalogue said") {
            break m;
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
            .text()
            .contains(&format!("var loaded = \"{}\";", reload.data))
    );
    serve.wait_log("changed: content/chapters/");
}

#[test]
fn the_search_index_follows_each_build() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &[]);
    let mut live = serve.live("/sub/__dossier/live");
    live.next_of("build");
    let meta = serve.get("/sub/search/meta.json");
    assert_eq!(meta.status, 200);
    assert!(meta.text().contains("\"documents\":3"), "{}", meta.text());
    let doc = serve.get("/sub/search/doc/0.json");
    assert!(
        doc.text().contains("older than anyone expected"),
        "{}",
        doc.text()
    );

    // After an edit, the next request is answered from the new build's index.
    edit(
        &dir.path().join("content/chapters/01-first.md"),
        "older than anyone expected",
        "newer than the catalogue said",
    );
    live.next_of("build");
    let doc = serve.get("/sub/search/doc/0.json").text();
    assert!(
        doc.contains("newer than the catalogue said") && !doc.contains("older than anyone"),
        "{doc}"
    );
    assert_eq!(serve.get("/sub/search/nothing.json").status, 404);
}

#[test]
fn a_broken_edit_shows_the_errors_and_keeps_serving_the_last_good_site() {
    let dir = fixture("serve");
    let serve = Serve::start(dir.path(), &[]);
    let mut live = serve.live("/sub/__dossier/live");
    let good = live.next_of("build");

    let chapter = dir.path().join("content/chapters/01-first.md");
    edit(
        &chapter,
        "Iris Vale opened the archive",
        "Iris Vale opened the [[ghost-writer]] archive",
    );
    let failed = live.next_of("failed");
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
    let mut fresh = serve.live("/sub/__dossier/live");
    assert_eq!(
        fresh.next(),
        Told {
            kind: "build".into(),
            data: good.data.clone()
        }
    );
    assert_eq!(fresh.next().kind, "failed");
    serve.wait_log("build failed: still serving the last good site");

    // Fixing it brings a new build, which clears the overlay by reloading.
    edit(
        &chapter,
        "Iris Vale opened the [[ghost-writer]] archive",
        "Iris Vale opened the west archive",
    );
    let fixed = live.next_of("build");
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
    let mut live = serve.live("/sub/__dossier/live");
    let failed = live.next();
    assert_eq!(failed.kind, "failed");
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
    live.next_of("build");
    assert_eq!(serve.get("/sub/chapters/first/").status, 200);
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = fixture("serve");
    let out = Command::new(bin())
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
    let mut live = serve.live("/sub/__dossier/live");
    let first = live.next_of("build");
    edit(
        &dir.path().join("site.toml"),
        "https://example.org/sub/",
        "https://example.org/moved/",
    );
    // The page opened under the old path still hears of the rebuild, and reloads.
    let next = live.next_of("build");
    assert_ne!(next.data, first.data);
    serve.wait_log(&format!("serving http://127.0.0.1:{}/moved/", serve.port));
    assert_eq!(serve.get("/moved/chapters/first/").status, 200);
    assert_eq!(serve.get("/sub/chapters/first/").status, 404);
    assert_eq!(serve.get("/").header("location"), Some("/moved/"));
    // ...and so does one opened there after the move (the page says where the site went).
    let mut late = serve.live("/sub/__dossier/live");
    assert_eq!(late.next().data, next.data);
}

/// `--open` starts the browser (`xdg-open`) with the served URL.
#[cfg(target_os = "linux")]
#[test]
fn open_starts_the_browser_at_the_served_url() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fixture("serve");
    let bin_dir = tempfile::tempdir().unwrap();
    let said = bin_dir.path().join("opened");
    let script = bin_dir.path().join("xdg-open");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n{{ echo \"$1\"; }} > {0}.part && mv {0}.part {0}\n",
            said.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.path().to_path_buf()).chain(
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

/// Ctrl-C and SIGTERM stop it at once, with success, even with pages and sockets open.
#[test]
fn a_signal_stops_it_cleanly() {
    let dir = fixture("serve");
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let mut serve = Serve::start(dir.path(), &[]);
        let mut live = serve.live("/sub/__dossier/live");
        live.next_of("build");
        let _idle = std::net::TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
        unsafe {
            libc::kill(serve.child.id() as i32, signal);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        let status = loop {
            if let Some(status) = serve.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "still running after signal {signal}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "signal {signal}: {status:?}");
    }
}
