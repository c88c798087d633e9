//! `dossier serve` for real: the binary on 127.0.0.1 with a free port, pages fetched over HTTP,
//! live reload read from its WebSocket, fixture copies edited in a temp dir. Every wait is
//! bounded, every load is a bounded number of connections to 127.0.0.1, and the server is always
//! stopped (SIGTERM, then SIGKILL) even when a test fails.
//!
//! - `site`: what serving does (base path, redirects, the waiting page, the error overlay, live
//!   reload after a good build, ports, `--open`, a clean stop).
//! - `holes`: the nine holes of issue 17, each reproduced against the real server.
//!
//! `DOSSIER_SERVE_BIN=/path/to/dossier cargo test --test serve` runs them against another
//! build of the binary (to see which fail on an older one).

mod holes;
mod site;
mod support;
