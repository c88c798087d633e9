//! Answering with one file of the site: its type, its validators (`ETag`, and `Last-Modified`
//! for a project's file), conditional requests (`If-None-Match`, `If-Modified-Since`, `If-Match`,
//! `If-Unmodified-Since`, `If-Range`), a byte `Range` (parsed by `http-range-header`, as
//! tower-http does), and a body that is never copied whole: bytes in memory are shared, and a
//! large file is read a piece at a time as the client takes it. Which file a path names is
//! `http`'s.
//!
//! Not tower-http's `ServeDir`/`ServeFile`: they open a path when the request comes, and what a
//! path holds then is not what the last good build accepted (issue 17, first hole). What is
//! served here is the build's own bytes or descriptor, so the answering is ours; the parts the
//! ecosystem hardens (the `Range` parser, dates, HTTP/1.1 itself) are not.

use std::io;
use std::ops::Range;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::SystemTime;

use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Response, StatusCode};
use axum::response::IntoResponse as _;
use http_body::{Frame, SizeHint};

use crate::output::{Body, ProjectFile};

/// How much of a large file is read at a time: at most this much of it is in memory per
/// client, however slowly the client reads.
const CHUNK: usize = 64 << 10;

type Answer = Response<axum::body::Body>;

/// The answer for `body` at `path`, as the request's headers ask: 200, 206, 304, 412 or 416.
pub(super) fn respond(headers: &HeaderMap, path: &str, body: &Body) -> Answer {
    let v = Validators::of(body);
    let len = body.len();
    if let Some(status) = v.precondition(headers) {
        return v
            .headers(Response::builder().status(status), path)
            .body(axum::body::Body::empty())
            .expect("valid response");
    }
    let range = match headers.get(header::RANGE).and_then(|r| r.to_str().ok()) {
        Some(r) if v.if_range(headers) => match requested(r, len) {
            Ok(Some(range)) => Some(range),
            Ok(None) => None,
            Err(()) => {
                return Response::builder()
                    .status(StatusCode::RANGE_NOT_SATISFIABLE)
                    .header(header::CONTENT_RANGE, format!("bytes */{len}"))
                    .body(axum::body::Body::empty())
                    .expect("valid response");
            }
        },
        _ => None,
    };
    let mut answer = v.headers(Response::builder(), path);
    let range = match range {
        Some(r) => {
            answer = answer.status(StatusCode::PARTIAL_CONTENT).header(
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{len}", r.start, r.end - 1),
            );
            r
        }
        None => 0..len,
    };
    answer
        .header(header::CONTENT_LENGTH, range.end - range.start)
        .body(content(body, range))
        .expect("valid response")
}

/// A whole file with a status of its own (the site's 404 page), no validators.
pub(super) fn whole(status: StatusCode, path: &str, body: &Body) -> Answer {
    let len = body.len();
    (
        status,
        [
            (header::CONTENT_TYPE, content_type(Path::new(path))),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        content(body, 0..len),
    )
        .into_response()
}

/// The one range asked for; `None` for the whole file (no usable range, or several: RFC 9110
/// lets a server answer those with all of it); `Err` when none can be satisfied.
fn requested(header: &str, len: u64) -> Result<Option<Range<u64>>, ()> {
    let ranges = http_range_header::parse_range_header(header)
        .and_then(|r| r.validate(len))
        .map_err(|_| ())?;
    Ok(match ranges.as_slice() {
        [one] => Some(*one.start()..*one.end() + 1),
        _ => None,
    })
}

/// What identifies a version of a file to a client.
struct Validators {
    etag: String,
    modified: Option<SystemTime>,
}

impl Validators {
    /// A page's tag is a hash of its bytes (made per request: a page hashes in microseconds);
    /// a project file's is its inode, size and time, as nginx's is its size and time.
    fn of(body: &Body) -> Validators {
        let hash = |b: &[u8]| format!("\"{:032x}\"", xxhash_rust::xxh3::xxh3_128(b));
        match body {
            Body::Bytes(b) => Validators {
                etag: hash(b),
                modified: None,
            },
            Body::Static(b) => Validators {
                etag: hash(b),
                modified: None,
            },
            Body::File(f) => Validators {
                etag: file_tag(f),
                modified: Some(f.stamp.modified),
            },
        }
    }

    fn headers(
        &self,
        b: axum::http::response::Builder,
        path: &str,
    ) -> axum::http::response::Builder {
        let mut b = b
            .header(header::CONTENT_TYPE, content_type(Path::new(path)))
            .header(header::ETAG, &self.etag)
            .header(header::ACCEPT_RANGES, "bytes")
            // Kept, but asked about again each time: a rebuilt file is fetched anew, an
            // unchanged one is a 304.
            .header(header::CACHE_CONTROL, "no-cache");
        if let Some(m) = self.modified {
            b = b.header(header::LAST_MODIFIED, httpdate::fmt_http_date(m));
        }
        b
    }

    /// RFC 9110 13.2.2: 412 when `If-Match` or `If-Unmodified-Since` fails, 304 when
    /// `If-None-Match` or `If-Modified-Since` says the client has this version.
    fn precondition(&self, h: &HeaderMap) -> Option<StatusCode> {
        // Whether the file changed since a date the client gives (`None`: no date, or none to
        // compare it with). HTTP dates are in whole seconds.
        let changed_since = |name| match (date(h, name), self.modified) {
            (Some(d), Some(m)) => Some(seconds(m) > seconds(d)),
            _ => None,
        };
        let failed = match text(h, header::IF_MATCH) {
            Some(tags) => !tags_match(tags, &self.etag, true),
            None => changed_since(header::IF_UNMODIFIED_SINCE) == Some(true),
        };
        if failed {
            return Some(StatusCode::PRECONDITION_FAILED);
        }
        let fresh = match text(h, header::IF_NONE_MATCH) {
            Some(tags) => tags_match(tags, &self.etag, false),
            None => changed_since(header::IF_MODIFIED_SINCE) == Some(false),
        };
        fresh.then_some(StatusCode::NOT_MODIFIED)
    }

    /// `If-Range`: the range is served only for the version the client names (by a strong
    /// tag, or by its exact date).
    fn if_range(&self, h: &HeaderMap) -> bool {
        match text(h, header::IF_RANGE) {
            None => true,
            Some(v) if v.starts_with('"') => v == self.etag,
            Some(v) => match (httpdate::parse_http_date(v), self.modified) {
                (Ok(d), Some(m)) => seconds(d) == seconds(m),
                _ => false,
            },
        }
    }
}

fn file_tag(f: &ProjectFile) -> String {
    let nanos = f
        .stamp
        .modified
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("\"{:x}-{:x}-{nanos:x}\"", f.stamp.ino, f.stamp.len)
}

fn text(h: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

fn date(h: &HeaderMap, name: header::HeaderName) -> Option<SystemTime> {
    text(h, name).and_then(|v| httpdate::parse_http_date(v).ok())
}

fn seconds(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Does a list of entity tags (or `*`) name `etag`? Strong comparison leaves out weak tags.
fn tags_match(list: &str, etag: &str, strong: bool) -> bool {
    list.split(',').map(str::trim).any(|t| {
        t == "*"
            || match t.strip_prefix("W/") {
                Some(weak) => !strong && weak == etag,
                None => t == etag,
            }
    })
}

/// The bytes of `range`: a slice of shared bytes, or the file read as the client reads.
fn content(body: &Body, range: Range<u64>) -> axum::body::Body {
    let slice =
        |b: bytes::Bytes| axum::body::Body::from(b.slice(range.start as usize..range.end as usize));
    match body {
        Body::Bytes(b) => slice(bytes::Bytes::from_owner(Shared(Arc::clone(b)))),
        Body::Static(b) => slice(bytes::Bytes::from_static(b)),
        Body::File(f) => match f.bytes() {
            Some(b) => slice(bytes::Bytes::from_owner(Shared(Arc::clone(b)))),
            None => axum::body::Body::new(FileBody {
                file: Arc::clone(f),
                at: range.start,
                end: range.end,
            }),
        },
    }
}

/// Bytes a page or file already holds, lent to a response without a copy.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// A large file's bytes, read [`CHUNK`] at a time when hyper is ready to send more. The read
/// is made on the worker thread, as nginx reads files in its event loop (a page-cache read of
/// 64 KiB takes microseconds): no thread is started for it.
struct FileBody {
    file: Arc<ProjectFile>,
    at: u64,
    end: u64,
}

impl http_body::Body for FileBody {
    type Data = bytes::Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<bytes::Bytes>, io::Error>>> {
        let this = self.get_mut();
        if this.at >= this.end {
            return Poll::Ready(None);
        }
        let mut buf = vec![0; CHUNK.min((this.end - this.at) as usize)];
        Poll::Ready(Some(match this.file.read_at(&mut buf, this.at) {
            Ok(0) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file is shorter than when the build took it",
            )),
            Ok(n) => {
                buf.truncate(n);
                this.at += n as u64;
                Ok(Frame::data(bytes::Bytes::from(buf)))
            }
            Err(e) => Err(e),
        }))
    }

    fn is_end_stream(&self) -> bool {
        self.at >= self.end
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.end.saturating_sub(self.at))
    }
}

/// The `Content-Type` of a site file, by its extension.
pub(super) fn content_type(path: &Path) -> HeaderValue {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    HeaderValue::from_static(match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "vtt" => "text/vtt; charset=utf-8",
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
        "wasm" => "application/wasm",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" | "oga" => "audio/ogg",
        "wav" => "audio/wav",
        "mp4" | "m4v" => "video/mp4",
        "mov" => "video/quicktime",
        "ogv" => "video/ogg",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(n, v)| (n.clone(), HeaderValue::from_str(v).unwrap()))
            .collect()
    }

    #[test]
    fn ranges_conditions_and_tags() {
        let body = Body::Bytes(Arc::new(b"0123456789".to_vec()));
        let whole = respond(&HeaderMap::new(), "a.txt", &body);
        assert_eq!(whole.status(), StatusCode::OK);
        let etag = whole.headers()[header::ETAG].to_str().unwrap().to_string();
        let status = |h: &[(header::HeaderName, &str)]| respond(&ask(h), "a.txt", &body).status();
        assert_eq!(
            status(&[(header::IF_NONE_MATCH, &etag)]),
            StatusCode::NOT_MODIFIED
        );
        let weak = format!("\"x\", W/{etag}");
        assert_eq!(
            status(&[(header::IF_NONE_MATCH, &weak)]),
            StatusCode::NOT_MODIFIED
        );
        assert_eq!(status(&[(header::IF_NONE_MATCH, "\"x\"")]), StatusCode::OK);
        assert_eq!(
            status(&[(header::IF_MATCH, "\"x\"")]),
            StatusCode::PRECONDITION_FAILED
        );
        let part = respond(&ask(&[(header::RANGE, "bytes=2-4")]), "a.txt", &body);
        assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(part.headers()[header::CONTENT_RANGE], "bytes 2-4/10");
        assert_eq!(part.headers()[header::CONTENT_LENGTH], "3");
        assert_eq!(
            status(&[(header::RANGE, "bytes=-3")]),
            StatusCode::PARTIAL_CONTENT
        );
        assert_eq!(
            status(&[(header::RANGE, "bytes=20-")]),
            StatusCode::RANGE_NOT_SATISFIABLE
        );
        assert_eq!(status(&[(header::RANGE, "bytes=0-1,4-5")]), StatusCode::OK);
        // A range of another version is not served: the whole file is.
        assert_eq!(
            status(&[(header::RANGE, "bytes=2-4"), (header::IF_RANGE, "\"old\"")]),
            StatusCode::OK
        );
        assert_eq!(
            status(&[(header::RANGE, "bytes=2-4"), (header::IF_RANGE, &etag)]),
            StatusCode::PARTIAL_CONTENT
        );
    }
}
