//! What the HTTP side serves and the live-reload sockets tell: one [`Snapshot`] of the last
//! good site, its base path, the last good build's id and the last build's errors. The serve
//! loop replaces it whole after each build (a `tokio::sync::watch` channel, so a socket wakes
//! once per change and a request reads whichever snapshot is current); `http` and `reload` only
//! read it.

use std::sync::Arc;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use tokio::sync::{Semaphore, watch};

use crate::output::Files;

/// The site as served now.
#[derive(Debug, Default)]
pub(super) struct Snapshot {
    pub base: BasePath,
    /// The id of the last good build; `None` until one succeeds.
    pub build: Option<String>,
    /// The errors of the last build, when it failed (as the terminal shows them).
    pub error: Option<String>,
    /// The last good site.
    pub files: Arc<Files>,
}

/// Where the site is served, as in production: `/`, `/repo/` or `/répo/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BasePath {
    /// As request paths are compared with it: percent-decoded (`/répo/`).
    pub decoded: String,
    /// As it is written in a URL or a `Location`: percent-encoded (`/r%C3%A9po/`).
    pub href: String,
}

/// What a path may hold unencoded in a URL: visible ASCII, less what ends or escapes a path.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

impl BasePath {
    /// From the base path of the configured `base_url`, encoded or not.
    pub fn new(configured: &str) -> BasePath {
        let decoded = percent_decode_str(configured)
            .decode_utf8_lossy()
            .into_owned();
        let href = utf8_percent_encode(&decoded, PATH).to_string();
        BasePath { decoded, href }
    }
}

impl Default for BasePath {
    fn default() -> BasePath {
        BasePath::new("/")
    }
}

/// The current snapshot, shared by the serve loop (which replaces it) and the HTTP side.
pub(super) type Shared = Arc<watch::Sender<Arc<Snapshot>>>;

pub(super) fn shared() -> Shared {
    Arc::new(watch::Sender::new(Arc::new(Snapshot::default())))
}

/// What every request shares: the port (for the names this server answers to), the site and
/// the room left for live-reload sockets.
pub(super) struct App {
    pub port: u16,
    pub site: Shared,
    pub sockets: Arc<Semaphore>,
}

/// Is `authority` (a `Host`, or an `Origin` without its scheme) one of the names this server
/// listens as: 127.0.0.1, localhost or [::1], with its port?
pub(super) fn is_local_authority(authority: &str, port: u16) -> bool {
    let (name, given) = match authority.rsplit_once(':') {
        Some((n, p)) if !p.contains(']') => (n, Some(p)),
        _ => (authority, None),
    };
    let port_ok = match given {
        Some(p) => p.parse::<u16>() == Ok(port) && !p.starts_with('+'),
        None => port == 80,
    };
    port_ok && (name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_path_is_compared_decoded_and_written_encoded() {
        for given in ["/répo/", "/r%C3%A9po/"] {
            let b = BasePath::new(given);
            assert_eq!(b.decoded, "/répo/");
            assert_eq!(b.href, "/r%C3%A9po/");
        }
        assert_eq!(BasePath::new("/a%20b/").href, "/a%20b/");
        assert_eq!(BasePath::new("/100%25/").decoded, "/100%/");
        assert_eq!(BasePath::new("/100%25/").href, "/100%25/");
    }
}
