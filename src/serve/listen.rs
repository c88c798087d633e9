//! The listening side: the socket on 127.0.0.1 (the port asked for, or 1111 and the next ones),
//! the tokio runtime, and the accept loop with every limit a connection meets: how many are open
//! at once, how long and how large a request head may be, and what happens when they are all
//! taken or the system runs out of file descriptors (idle connections are closed, as nginx
//! does, and accepting waits and goes on, as in Go's net/http and nginx, rather than give up).
//! HTTP/1.1 itself is hyper's; what a request gets is `http`'s.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, TryAcquireError, watch};

use crate::diagnostics::Error;

/// The port `serve` tries first, and how many after it when it is taken.
pub const DEFAULT_PORT: u16 = 1111;
const PORT_TRIES: u16 = 10;
/// The largest request head (request line and headers) read, as nginx's 4 buffers of 8 KB
/// allow about; past it the answer is 431 and the connection is closed.
pub(super) const MAX_HEAD: usize = 32 << 10;
/// How long a request head may take to arrive, counted from when the connection is ready for
/// it, so that it also closes an idle keep-alive connection.
const HEAD_TIMEOUT: Duration = Duration::from_secs(15);
/// After an accept error that is not one connection's (out of file descriptors, of memory),
/// wait this long, doubling up to `MAX_BACKOFF`, as Go's `http.Server` does.
const FIRST_BACKOFF: Duration = Duration::from_millis(5);
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// How many connections are served at once, and how many of them may be live-reload sockets
/// (each open tab holds one). Past the first, connections wait in the listen queue until one
/// closes; past the second, a tab gets its pages but no live reload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Limits {
    pub connections: usize,
    pub sockets: usize,
}

impl Limits {
    /// 256 connections and 64 sockets, fewer when this process may open fewer files (a quarter
    /// and an eighth of what the limit leaves after 64 for builds), but never fewer than 32 and
    /// 16: below that, running out of descriptors is met by waiting (see `accept_loop`).
    pub fn for_this_process() -> Limits {
        Limits::for_open_files(open_file_limit())
    }

    fn for_open_files(limit: Option<u64>) -> Limits {
        let spare = limit.map_or(u64::MAX, |l| l.saturating_sub(64)) as usize;
        Limits {
            connections: (spare / 4).clamp(32, 256),
            sockets: (spare / 8).clamp(16, 64),
        }
    }
}

#[cfg(unix)]
fn open_file_limit() -> Option<u64> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0;
    (ok && lim.rlim_cur != libc::RLIM_INFINITY).then_some(lim.rlim_cur)
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<u64> {
    None
}

/// The runtime for HTTP: two worker threads, made at start. Nothing a request does starts a
/// thread, so no connection can fail for want of one.
pub(super) fn runtime() -> Result<Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(2)
        .thread_name("dossier-http")
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the HTTP server: {e}")))
}

/// Listen on 127.0.0.1: the port asked for, or 1111 and the next ones. The listener, and the
/// port wanted and the one taken instead, if they differ.
pub(super) fn bind(
    runtime: &Runtime,
    port: Option<u16>,
) -> Result<(TcpListener, Option<(u16, u16)>), Error> {
    let at = |p: u16| runtime.block_on(TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], p))));
    match port {
        Some(p) => at(p).map(|l| (l, None)).map_err(|e| {
            Error::Usage(format!("cannot listen on 127.0.0.1:{p}: {e}; choose another --port, or --port 0 for any free port"))
        }),
        None => {
            let mut last = None;
            for p in DEFAULT_PORT..DEFAULT_PORT + PORT_TRIES {
                match at(p) {
                    Ok(l) => return Ok((l, (p != DEFAULT_PORT).then_some((DEFAULT_PORT, p)))),
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

/// Serve `app` on `listener` until the runtime shuts down; `warn` is told when accepting fails
/// for a while (once each time it starts failing).
pub(super) fn spawn(
    runtime: &Runtime,
    listener: TcpListener,
    app: axum::Router,
    limits: Limits,
    warn: impl Fn(String) + Send + 'static,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_buf_size(MAX_HEAD)
        .max_header_size(MAX_HEAD);
    let connections = Arc::new(Semaphore::new(limits.connections));
    // Each value sent asks every open connection to finish: at once if idle, else after its
    // response (hyper's graceful shutdown).
    let drain = watch::Sender::new(0u64);
    let wind_down = drain.clone();
    let serve = move |stream: TcpStream, permit: OwnedSemaphorePermit| {
        let _ = stream.set_nodelay(true);
        let conn = http
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()))
            .with_upgrades();
        let mut drained = drain.subscribe();
        tokio::spawn(async move {
            let mut conn = std::pin::pin!(conn);
            // A connection that fails (a client gone, a head too large) ends here; hyper has
            // answered what could be answered.
            tokio::select! {
                _ = conn.as_mut() => {}
                Ok(()) = drained.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(permit);
        });
    };
    let press = move || {
        wind_down.send_modify(|n| *n += 1);
    };
    runtime.spawn(accept_loop(listener, connections, serve, press, warn));
}

/// Something that accepts connections: the listener, or a test's stand-in.
trait Accept {
    type Io;
    fn accept(&mut self) -> impl Future<Output = io::Result<Self::Io>> + Send;
}

impl Accept for TcpListener {
    type Io = TcpStream;
    async fn accept(&mut self) -> io::Result<TcpStream> {
        TcpListener::accept(self).await.map(|(s, _)| s)
    }
}

/// Accept connections forever, each with a permit of `connections` (so no more than it has are
/// open; the others wait in the listen queue). When none is left, or accepting fails for want of
/// descriptors or memory, `press` asks the open connections to make room (as nginx closes its
/// idle keep-alive connections). An error of one connection is skipped; any other (EMFILE,
/// ENFILE, ENOMEM, ENOBUFS) is waited out with a growing pause, and never ends the loop.
async fn accept_loop<A: Accept>(
    mut listener: A,
    connections: Arc<Semaphore>,
    mut serve: impl FnMut(A::Io, OwnedSemaphorePermit),
    press: impl Fn(),
    warn: impl Fn(String),
) {
    let mut backoff: Option<Duration> = None;
    loop {
        let permit = match Arc::clone(&connections).try_acquire_owned() {
            Ok(p) => p,
            Err(TryAcquireError::Closed) => return,
            Err(TryAcquireError::NoPermits) => {
                press();
                let Ok(p) = Arc::clone(&connections).acquire_owned().await else {
                    return;
                };
                p
            }
        };
        match listener.accept().await {
            Ok(io) => {
                backoff = None;
                serve(io, permit);
            }
            Err(e) if one_connections(&e) => {}
            Err(e) => {
                drop(permit);
                press();
                if backoff.is_none() {
                    warn(accept_warning(&e));
                }
                let pause = backoff.map_or(FIRST_BACKOFF, |d| (d * 2).min(MAX_BACKOFF));
                backoff = Some(pause);
                tokio::time::sleep(pause).await;
            }
        }
    }
}

/// Is this accept error about one connection only (it was reset or aborted before it was
/// accepted, or the network said no), so the next accept may well succeed?
fn one_connections(e: &io::Error) -> bool {
    use io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | ConnectionRefused | Interrupted | WouldBlock
    ) {
        return true;
    }
    #[cfg(unix)]
    if let Some(code) = e.raw_os_error() {
        // accept(2): "these should be treated like EAGAIN by retrying".
        return [
            libc::EPROTO,
            libc::EPERM,
            libc::ENETDOWN,
            libc::ENOPROTOOPT,
            libc::EHOSTDOWN,
            libc::EHOSTUNREACH,
            libc::EOPNOTSUPP,
            libc::ENETUNREACH,
        ]
        .contains(&code);
    }
    false
}

fn accept_warning(e: &io::Error) -> String {
    #[cfg(unix)]
    if matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE)) {
        let limit = open_file_limit().map_or(String::new(), |l| {
            format!(" (the limit is {l}; `ulimit -n` raises it)")
        });
        return format!(
            "warning: too many open files{limit}: new connections wait until some close"
        );
    }
    format!("warning: cannot accept connections ({e}): waiting, then trying again")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn limits_fit_the_open_file_limit() {
        assert_eq!(
            Limits::for_open_files(Some(1024)),
            Limits {
                connections: 240,
                sockets: 64
            }
        );
        assert_eq!(
            Limits::for_open_files(None),
            Limits {
                connections: 256,
                sockets: 64
            }
        );
        assert_eq!(
            Limits::for_open_files(Some(48)),
            Limits {
                connections: 32,
                sockets: 16
            }
        );
    }

    /// A listener that fails as a process out of descriptors does, then accepts.
    struct Failing {
        errors: Vec<io::Error>,
        accepted: u32,
    }

    impl Accept for Failing {
        type Io = u32;
        async fn accept(&mut self) -> io::Result<u32> {
            match self.errors.pop() {
                Some(e) => Err(e),
                // No one else connects.
                None if self.accepted == 4 => std::future::pending().await,
                None => {
                    self.accepted += 1;
                    Ok(self.accepted)
                }
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn running_out_of_descriptors_is_waited_out_and_serving_goes_on() {
        let mut errors: Vec<io::Error> = (0..12)
            .map(|_| io::Error::from_raw_os_error(libc::EMFILE))
            .collect();
        errors.insert(6, io::Error::from(io::ErrorKind::ConnectionAborted));
        let listener = Failing {
            errors,
            accepted: 0,
        };
        let served = Arc::new(Mutex::new(Vec::new()));
        let warnings = Arc::new(Mutex::new(Vec::new()));
        let pressed = Arc::new(Mutex::new(0));
        let (s, w, p) = (
            Arc::clone(&served),
            Arc::clone(&warnings),
            Arc::clone(&pressed),
        );
        let connections = Arc::new(Semaphore::new(2));
        let start = tokio::time::Instant::now();
        let task = tokio::spawn(accept_loop(
            listener,
            Arc::clone(&connections),
            move |n, permit| {
                s.lock().unwrap().push(n);
                // Two connections stay open; the third waits for one to close.
                if n > 2 {
                    drop(permit);
                } else {
                    std::mem::forget(permit);
                }
            },
            move || *p.lock().unwrap() += 1,
            move |msg| w.lock().unwrap().push(msg),
        ));
        tokio::time::sleep(Duration::from_secs(30)).await;
        // 12 EMFILEs: 5 ms doubling to 1 s, then the two connections a permit allows.
        assert_eq!(*served.lock().unwrap(), vec![1, 2]);
        let warned = warnings.lock().unwrap().clone();
        assert_eq!(warned.len(), 1, "{warned:?}");
        assert!(warned[0].contains("too many open files"), "{warned:?}");
        assert!(start.elapsed() >= Duration::from_millis(5 + 10 + 20 + 40 + 80 + 160 + 320));
        // Room was asked for after each of the 12 errors, and once when the permits ran out.
        assert_eq!(*pressed.lock().unwrap(), 13);
        connections.add_permits(1);
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert_eq!(*served.lock().unwrap(), vec![1, 2, 3, 4]);
        task.abort();
    }
}
