//! Live reload: the script each served page loads, and the WebSocket it opens beside it. A
//! WebSocket is not one of the six HTTP/1.1 connections a browser keeps per host, so open tabs
//! never starve a new page of them (as an event stream did), and each message is one JSON
//! object, `{"type":"build","id":…}` or `{"type":"failed","text":…}`, which no text in it can
//! split or forge. Only pages of this server may open it (`Origin`), and only so many at once.
//! When to tell is the snapshot's; what the page does is `live-reload.js`'s.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts as _;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use serde::Serialize;
use tokio::sync::OwnedSemaphorePermit;

use super::state::{App, Snapshot, is_local_authority};

/// Where, under the base path, the live-reload script and its socket are served.
pub const RELOAD_SCRIPT: &str = "__dossier/live-reload.js";
pub const SOCKET: &str = "__dossier/live";
/// How often an idle socket is pinged; one silent for two pings is closed.
const PING: Duration = Duration::from_secs(20);
/// The largest message a page may send (it sends none; this bounds what is read).
const MAX_MESSAGE: usize = 1 << 10;

/// What a page is told.
#[derive(Serialize, Debug, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Tell<'a> {
    /// A good build is in place: pages of an older build reload.
    Build { id: &'a str },
    /// The last build failed: the page shows `text` over itself, as text.
    Failed { text: &'a str },
}

/// Open a live-reload socket, if the page is this server's and there is room for one more.
pub(super) async fn open(app: Arc<App>, mut parts: Parts) -> Response {
    let origin = parts
        .headers
        .get(header::ORIGIN)
        .map(|o| o.to_str().unwrap_or("-"));
    // A browser always says which page opens a socket; another site's page may not (WebSockets
    // are not bound by the same-origin policy).
    if let Some(origin) = origin {
        let local = origin
            .strip_prefix("http://")
            .is_some_and(|a| is_local_authority(a, app.port));
        if !local {
            return (
                StatusCode::FORBIDDEN,
                "only pages of this server may open this socket\n",
            )
                .into_response();
        }
    }
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(u) => u,
        Err(rejection) => return rejection.into_response(),
    };
    let Ok(permit) = Arc::clone(&app.sockets).try_acquire_owned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "10")],
            "too many live-reload sockets are open; close some tabs\n",
        )
            .into_response();
    };
    let site = app.site.subscribe();
    upgrade
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| live(socket, site, permit))
}

/// Tell the page the current state, then each change, until it goes away.
async fn live(
    mut socket: WebSocket,
    mut site: tokio::sync::watch::Receiver<Arc<Snapshot>>,
    _permit: OwnedSemaphorePermit,
) {
    let mut told = None;
    let mut ping = tokio::time::interval(PING);
    ping.tick().await;
    let mut heard = Instant::now();
    let mut now = Some(Arc::clone(&site.borrow_and_update()));
    loop {
        if let Some(snapshot) = now.take() {
            for message in tells(&snapshot, &mut told) {
                if socket.send(Message::text(message)).await.is_err() {
                    return;
                }
            }
        }
        tokio::select! {
            changed = site.changed() => match changed {
                Ok(()) => now = Some(Arc::clone(&site.borrow_and_update())),
                Err(_) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_)) | Err(_)) | None => return,
                Some(Ok(_)) => heard = Instant::now(),
            },
            _ = ping.tick() => {
                if heard.elapsed() > 2 * PING || socket.send(Message::Ping(Default::default())).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// The messages a snapshot makes for a page last told of build `told`: the build, if it is new
/// to the page, then the errors, if the last build failed.
fn tells(now: &Snapshot, told: &mut Option<String>) -> Vec<String> {
    let mut out = Vec::new();
    let json = |t: Tell<'_>| serde_json::to_string(&t).expect("a message serializes");
    if let Some(id) = &now.build
        && told.as_ref() != Some(id)
    {
        out.push(json(Tell::Build { id }));
        *told = Some(id.clone());
    }
    if let Some(text) = &now.error {
        out.push(json(Tell::Failed { text }));
    }
    out
}

/// The live-reload script, told which build the page that loads it belongs to. It opens the
/// socket next to it (so it works under any base path), reloads after a newer good build,
/// shows build errors in an overlay (role="alert") and opens the socket again when the server
/// restarts.
pub(super) fn script(build: Option<&str>) -> String {
    let id = serde_json::to_string(build.unwrap_or("")).expect("a string serializes");
    include_str!("live-reload.js").replace("\"__DOSSIER_BUILD__\"", &id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_json_that_no_text_can_break() {
        let text = "See [[nobody]]\r\revent: build\rdata: x\r\r.\n\"quoted\"";
        let now = Snapshot {
            build: Some("7-2".into()),
            error: Some(text.into()),
            ..Snapshot::default()
        };
        let mut told = None;
        let sent = tells(&now, &mut told);
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0], r#"{"type":"build","id":"7-2"}"#);
        let failed: serde_json::Value = serde_json::from_str(&sent[1]).unwrap();
        assert_eq!(failed["type"], "failed");
        assert_eq!(failed["text"], text);
        assert!(!sent[1].contains('\r'));
        // Told once of a build; of a failure each time.
        assert_eq!(tells(&now, &mut told).len(), 1);
    }

    #[test]
    fn the_script_knows_its_build() {
        let s = script(Some("12-3"));
        assert!(s.contains("var loaded = \"12-3\";"), "{s}");
        assert!(!s.contains("__DOSSIER_BUILD__"));
    }
}
