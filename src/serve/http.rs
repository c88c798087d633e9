//! Answering a request. First what any request must be: for this server by name (`Host`, so a
//! page that rebinds its own name to 127.0.0.1 cannot read the preview), GET or HEAD, with a URI
//! of at most 8 KB. Then where its path leads: outside the base path, a redirect to it or a page
//! saying where the site is; before the first good build, the waiting page; the live-reload
//! script and socket; a folder without its slash, a redirect; a file of the site, or the site's
//! 404 page. A file's bytes are `files`'; the socket is `reload`'s.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use percent_encoding::percent_decode_str;

use super::files;
use super::reload::{self, RELOAD_SCRIPT, SOCKET};
use super::state::{App, Snapshot, is_local_authority};
use crate::output::Body;
use crate::util::escape;

/// The longest request target served (nginx's limit for a request line); longer is a 414.
const MAX_URI: usize = 8 << 10;

/// Every request goes to [`handle`]: the site's paths move with its base path, so there are no
/// fixed routes.
pub(super) fn router(app: Arc<App>) -> axum::Router {
    axum::Router::new().fallback(handle).with_state(app)
}

async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    if let Some(refused) = refuse(&app, &parts) {
        return refused;
    }
    let now = Arc::clone(&app.site.borrow());
    let Ok(path) = percent_decode_str(parts.uri.path()).decode_utf8() else {
        return text(StatusCode::BAD_REQUEST, "bad path\n");
    };
    let path = path.into_owned();
    let base = &now.base;
    let rel = path.strip_prefix(base.decoded.as_str());
    // Pages opened before site.toml moved the base path still find the socket (and so reload,
    // onto the page that says where the site went).
    if rel == Some(SOCKET) || (rel.is_none() && path.ends_with(&format!("/{SOCKET}"))) {
        return reload::open(app, parts).await;
    }
    let Some(rel) = rel else {
        return outside_base(&path, &now);
    };
    if rel == RELOAD_SCRIPT {
        let script = reload::script(now.build.as_deref());
        return (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            script,
        )
            .into_response();
    }
    if now.build.is_none() {
        return html(StatusCode::SERVICE_UNAVAILABLE, waiting_page(&base.href));
    }
    if rel.split('/').any(|s| s == ".." || s == ".") || rel.contains(['\\', '\0']) {
        return text(StatusCode::BAD_REQUEST, "bad path\n");
    }
    site_file(&now, rel, &parts)
}

/// Refuse a request for another name than this server's (403), with another method than GET
/// or HEAD (405, with `Allow`), or with too long a URI (414).
fn refuse(app: &App, parts: &Parts) -> Option<Response> {
    let host = parts
        .headers
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("-"));
    // An absolute URI's authority is the one asked for (RFC 9112 3.2.2); both must be ours.
    let names = [parts.uri.authority().map(|a| a.as_str()), host];
    if host.is_none()
        || names
            .into_iter()
            .flatten()
            .any(|n| !is_local_authority(n, app.port))
    {
        let msg = format!(
            "this server answers only to 127.0.0.1:{0}, localhost:{0} and [::1]:{0}\n",
            app.port
        );
        return Some(text(StatusCode::FORBIDDEN, msg));
    }
    if !matches!(parts.method, Method::GET | Method::HEAD) {
        let mut r = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served\n",
        );
        r.headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("GET, HEAD"));
        return Some(r);
    }
    if parts.uri.path_and_query().map_or(0, |p| p.as_str().len()) > MAX_URI {
        return Some(text(StatusCode::URI_TOO_LONG, "the URI is too long\n"));
    }
    None
}

/// A path outside the base path: the root and the base path's parents lead to it; anything
/// else is not the site.
fn outside_base(path: &str, now: &Snapshot) -> Response {
    let base = &now.base;
    if path == "/" || base.decoded.starts_with(path) || format!("{path}/") == base.decoded {
        return redirect(StatusCode::FOUND, &base.href);
    }
    let href = escape::html(&base.href);
    let shown = escape::html(&base.decoded);
    html(
        StatusCode::NOT_FOUND,
        format!(
            "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>Not under the base path</title>\
             <p>This site is served under <a href=\"{href}\">{shown}</a>, its base path in production.</p></html>"
        ),
    )
}

/// A file of the last good site: `rel` itself or, for a folder, its `index.html` (a folder
/// named without its slash is redirected to it, as GitHub Pages does); else the site's 404 page.
fn site_file(now: &Snapshot, rel: &str, parts: &Parts) -> Response {
    let wanted = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if let Some(body) = now.files.get(&wanted) {
        return files::respond(&parts.headers, &wanted, body);
    }
    if now.files.contains_key(&format!("{rel}/index.html")) {
        let query = parts.uri.query().map_or(String::new(), |q| format!("?{q}"));
        return redirect(
            StatusCode::MOVED_PERMANENTLY,
            &format!("{}/{query}", parts.uri.path()),
        );
    }
    let fallback = Body::Static(b"Not found\n");
    let page = now.files.get("404.html").unwrap_or(&fallback);
    files::whole(StatusCode::NOT_FOUND, "404.html", page)
}

/// Shown before the first good build: the problems, and the reload script that brings the
/// site as soon as they are fixed.
fn waiting_page(base_href: &str) -> String {
    let base = escape::html(base_href);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Waiting for a good build</title>\n</head>\n<body>\n\
         <main>\n<h1>The site does not build yet</h1>\n<p>Dossier shows the problems below and loads the site as soon as they are fixed.</p>\n</main>\n\
         <script src=\"{base}{RELOAD_SCRIPT}\" defer></script>\n</body>\n</html>\n"
    )
}

fn text(status: StatusCode, body: impl Into<String>) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.into(),
    )
        .into_response()
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// A redirect to `to`, a path already percent-encoded (it came in a URI, or is the encoded
/// base path), so it is a valid header whatever the base path holds.
fn redirect(status: StatusCode, to: &str) -> Response {
    let mut r = text(status, format!("moved to {to}\n"));
    match header::HeaderValue::from_str(to) {
        Ok(v) => {
            r.headers_mut().insert(header::LOCATION, v);
            r
        }
        Err(_) => text(StatusCode::BAD_REQUEST, "bad path\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_servers_names_are_answered() {
        for ok in [
            "127.0.0.1:4000",
            "localhost:4000",
            "LocalHost:4000",
            "[::1]:4000",
        ] {
            assert!(is_local_authority(ok, 4000), "{ok}");
        }
        for no in [
            "127.0.0.1:4001",
            "127.0.0.1",
            "evil.example:4000",
            "localhost.evil.example:4000",
            "127.0.0.1.nip.io:4000",
            "[::1]",
            "127.0.0.1:+4000",
            "",
        ] {
            assert!(!is_local_authority(no, 4000), "{no}");
        }
        assert!(is_local_authority("localhost", 80));
    }
}
