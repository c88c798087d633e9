//! The link check of `dossier check`: every internal `href`/`src` of every rendered page must
//! reach a generated page, a static file and, for `#fragments`, an id in the target page.
//! It scans the rendered HTML (no files are written), and locates each broken link in the
//! template or content file that wrote it when it can, falling back to the rendered page.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile, suggest};
use crate::render::Output;

/// One URL attribute of a rendered page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlAttr {
    /// The attribute's value with character references decoded.
    pub url: String,
    /// Byte range of the value in the page.
    pub at: std::ops::Range<usize>,
}

/// What a scan of one page found: the URLs it points to and the ids it defines.
#[derive(Debug, Default)]
pub struct Scan {
    pub urls: Vec<UrlAttr>,
    pub ids: BTreeSet<String>,
}

/// What is wrong with one link.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Problem {
    /// No page or file at this site path.
    Missing { target: String },
    /// The page exists but has no element with this id.
    NoAnchor { target: String, anchor: String },
    /// A root-relative URL that does not start with the site's base path.
    OutsideBase,
    /// A relative URL with more `../` than the page is deep.
    AboveRoot,
}

/// Check every rendered HTML page of `outputs`. `root` is the project folder: its `static/`
/// completes the list of files a link may reach, and its sources are searched to say where a
/// broken link was written.
pub fn check(outputs: &[Output], root: &Path, config: &Config, diags: &mut Diagnostics) {
    let mut files: BTreeSet<String> = outputs.iter().map(|o| o.path.clone()).collect();
    files.extend(
        crate::write::BUILTIN_STATIC
            .iter()
            .map(|(p, _)| p.to_string()),
    );
    files.extend(static_files(&root.join("static")));

    let scans: HashMap<&str, (Scan, &Output)> = outputs
        .iter()
        .filter(|o| o.path.ends_with(".html"))
        .map(|o| {
            (
                o.path.as_str(),
                (scan(&String::from_utf8_lossy(&o.bytes)), o),
            )
        })
        .collect();

    // (page, url, where in the page, problem), in page order so reports are stable.
    let mut broken: Vec<(&str, &UrlAttr, Problem)> = Vec::new();
    let mut pages: Vec<&str> = scans.keys().copied().collect();
    pages.sort_unstable();
    for page in &pages {
        let (scan, _) = &scans[page];
        for u in &scan.urls {
            if let Err(p) = verify(page, &u.url, config.base_path(), &files, &scans) {
                broken.push((page, u, p));
            }
        }
    }
    if broken.is_empty() {
        return;
    }

    let sources = Sources::read(root);
    // Group by where the link was written, so a broken link in a template is reported once.
    let mut grouped: BTreeMap<(String, usize, String), (Diagnostic, Vec<&str>)> = BTreeMap::new();
    for (page, u, problem) in broken {
        let (_, output) = &scans[page];
        let located = sources.locate(page, &u.url, config.base_path());
        let (span, written) = match located {
            Some(span) => (span, true),
            None => {
                let file = SourceFile::new(
                    format!("(rendered) {page}"),
                    String::from_utf8_lossy(&output.bytes).into_owned(),
                );
                (file.span(u.at.clone()), false)
            }
        };
        // One report per place in a source; when the place is the rendered page, per URL.
        let key = (
            span.file.path.clone(),
            span.start,
            if written {
                String::new()
            } else {
                u.url.clone()
            },
        );
        let entry = grouped.entry(key).or_insert_with(|| {
            let d = Diagnostic::error(span, message(&u.url, &problem, config.base_path()))
                .with_help_opt(help(&problem, config.base_path(), &files, &scans, written));
            (d, Vec::new())
        });
        if !entry.1.contains(&page) {
            entry.1.push(page);
        }
    }
    for (_, (mut d, pages)) in grouped {
        let shown: Vec<String> = pages
            .iter()
            .take(3)
            .map(|p| site_path(p, config.base_path()))
            .collect();
        let on = match pages.len() {
            1 => format!("on the page {}", shown[0]),
            2 | 3 => format!("on the pages {}", shown.join(", ")),
            n => format!("on {n} pages, such as {}", shown.join(", ")),
        };
        d.help = Some(match d.help.take() {
            Some(h) => format!("{h}\n  = note: {on}"),
            None => format!("it appears {on}"),
        });
        diags.push(d);
    }
}

fn message(url: &str, p: &Problem, base: &str) -> String {
    match p {
        Problem::Missing { target } => {
            format!("broken link \"{url}\": there is no page or file at {base}{target}")
        }
        Problem::NoAnchor { target, anchor } => {
            format!("broken link \"{url}\": {base}{target} has no element with id \"{anchor}\"")
        }
        Problem::OutsideBase => format!("link \"{url}\" is outside the site's base path {base}"),
        Problem::AboveRoot => format!("link \"{url}\" goes above the site's root"),
    }
}

fn help(
    p: &Problem,
    base: &str,
    files: &BTreeSet<String>,
    scans: &HashMap<&str, (Scan, &Output)>,
    written: bool,
) -> Option<String> {
    match p {
        Problem::Missing { target } => {
            let want = target.trim_end_matches('/');
            let candidates: BTreeSet<&str> = files
                .iter()
                .map(|f| {
                    f.strip_suffix("index.html")
                        .unwrap_or(f)
                        .trim_end_matches('/')
                })
                .collect();
            crate::diagnostics::did_you_mean(want, candidates.iter().copied()).map(|s| {
                let slash = if files.contains(&format!("{s}/index.html")) {
                    "/"
                } else {
                    ""
                };
                format!("did you mean {base}{s}{slash}?")
            })
        }
        Problem::NoAnchor { target, anchor } => {
            let page = page_file(target);
            let ids = scans.get(page.as_str())?;
            suggest(anchor, ids.0.ids.iter().map(String::as_str))
        }
        Problem::OutsideBase | Problem::AboveRoot => Some(if written {
            "write links relative to the page, or start them with {{ page.root }} in templates, so the site works under any base path".into()
        } else {
            "links must stay inside the site so it works under any base path".into()
        }),
    }
}

/// `chapters/x/index.html` → `/chapters/x/` (under the base path).
fn site_path(page: &str, base: &str) -> String {
    format!("{base}{}", page.strip_suffix("index.html").unwrap_or(page))
}

/// The output file a site path names: `people/` → `people/index.html`.
fn page_file(target: &str) -> String {
    if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else {
        target.to_string()
    }
}

/// Check one URL found on `page` (an output path such as `chapters/x/index.html`).
pub fn verify(
    page: &str,
    url: &str,
    base: &str,
    files: &BTreeSet<String>,
    scans: &HashMap<&str, (Scan, &Output)>,
) -> Result<(), Problem> {
    let url = url.trim();
    if url.starts_with("//") || has_scheme(url) {
        return Ok(());
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (url, None),
    };
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    let target = if path.is_empty() {
        page.strip_suffix("index.html").unwrap_or(page).to_string()
    } else if let Some(abs) = path.strip_prefix('/') {
        let base_rel = base.trim_start_matches('/');
        match abs.strip_prefix(base_rel) {
            Some(r)
                if base_rel.is_empty()
                    || base_rel.ends_with('/')
                    || r.is_empty()
                    || r.starts_with('/') =>
            {
                normalize("", r)?
            }
            _ => return Err(Problem::OutsideBase),
        }
    } else {
        let dir = page.rfind('/').map_or("", |i| &page[..=i]);
        normalize(dir, path)?
    };
    let target = percent_decode(&target);
    let file = if files.contains(&page_file(&target)) {
        page_file(&target)
    } else if !target.ends_with('/') && files.contains(&format!("{target}/index.html")) {
        // `people/x` without its slash: servers redirect it to `people/x/`.
        format!("{target}/index.html")
    } else {
        return Err(Problem::Missing { target });
    };
    let Some(fragment) = fragment.map(percent_decode) else {
        return Ok(());
    };
    if fragment.is_empty() || fragment.eq_ignore_ascii_case("top") {
        return Ok(());
    }
    match scans.get(file.as_str()) {
        Some((scan, _)) if !scan.ids.contains(&fragment) => {
            let shown = if file == page_file(&target) {
                target
            } else {
                format!("{target}/")
            };
            Err(Problem::NoAnchor {
                target: shown,
                anchor: fragment,
            })
        }
        _ => Ok(()),
    }
}

/// `dir` + `rel`, with `.` and `..` resolved; an error when `..` leaves the root.
fn normalize(dir: &str, rel: &str) -> Result<String, Problem> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let segments: Vec<&str> = rel.split('/').collect();
    let last = segments.len() - 1;
    let mut trailing = rel.is_empty() || rel.ends_with('/');
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "" => {}
            "." => trailing = true,
            ".." => {
                if parts.pop().is_none() {
                    return Err(Problem::AboveRoot);
                }
                if i == last {
                    trailing = true;
                }
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    Ok(out)
}

fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Decode `%XX` escapes in a URL path (shared with `serve`).
pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Files of the project's `static/`, as output paths.
fn static_files(dir: &Path) -> Vec<String> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| crate::load::display_path(dir, e.path()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Scanning rendered HTML

/// The URL attributes and ids of one page. A small tokenizer, enough for the HTML Dossier
/// renders: comments are skipped and the text of `<script>` and `<style>` is not read as tags.
pub fn scan(html: &str) -> Scan {
    let mut out = Scan::default();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off;
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
            continue;
        }
        let name_start = i + 1;
        let mut j = name_start;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        if j == name_start {
            i += 1;
            continue;
        }
        let tag = html[name_start..j].to_ascii_lowercase();
        // Attributes.
        loop {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' || html[j..].starts_with("/>") {
                break;
            }
            let an = j;
            while j < b.len()
                && !b[j].is_ascii_whitespace()
                && !matches!(b[j], b'=' | b'>')
                && !html[j..].starts_with("/>")
            {
                j += 1;
            }
            let attr = html[an..j].to_ascii_lowercase();
            if j == an {
                j += 1;
                continue;
            }
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let (value, range) = if j < b.len() && b[j] == b'=' {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j] as char;
                    let vs = j + 1;
                    let ve = html[vs..].find(q).map_or(html.len(), |e| vs + e);
                    j = (ve + 1).min(html.len());
                    (&html[vs..ve], vs..ve)
                } else {
                    let vs = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    (&html[vs..j], vs..j)
                }
            } else {
                ("", j..j)
            };
            match attr.as_str() {
                "href" | "src" | "poster" => out.urls.push(UrlAttr {
                    url: decode_entities(value),
                    at: range,
                }),
                "srcset" => {
                    for candidate in value.split(',') {
                        if let Some(u) = candidate.split_whitespace().next() {
                            let start = range.start + value.find(u).unwrap_or(0);
                            out.urls.push(UrlAttr {
                                url: decode_entities(u),
                                at: start..start + u.len(),
                            });
                        }
                    }
                }
                "id" => {
                    out.ids.insert(decode_entities(value));
                }
                "name" if tag == "a" => {
                    out.ids.insert(decode_entities(value));
                }
                _ => {}
            }
        }
        i = (j + 1).min(html.len());
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}");
            let lower = html[i..].to_ascii_lowercase();
            i = lower.find(&close).map_or(html.len(), |e| i + e);
        }
        if i >= html.len() {
            break;
        }
    }
    out
}

/// Decode the character references Dossier's templates and Markdown produce.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match crate::markdown::char_ref(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Where a link was written

/// The project's templates (its own, then the built-in ones) and content files, read only
/// when there is a broken link to locate.
struct Sources {
    content: Vec<Arc<SourceFile>>,
    templates: Vec<Arc<SourceFile>>,
}

impl Sources {
    fn read(root: &Path) -> Sources {
        let read_all = |dir: &Path, exts: &[&str]| -> Vec<Arc<SourceFile>> {
            if !dir.is_dir() {
                return Vec::new();
            }
            walkdir::WalkDir::new(dir)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| {
                    e.file_type().is_file()
                        && exts.iter().any(|x| e.path().to_string_lossy().ends_with(x))
                })
                .filter_map(|e| crate::load::read_source(root, e.path()).ok())
                .collect()
        };
        let content = read_all(&root.join("content"), &[".md", ".toml"]);
        let mut templates = read_all(&root.join("templates"), &[".html", ".xml", ".txt"]);
        let own: BTreeSet<String> = templates
            .iter()
            .map(|t| t.path.trim_start_matches("templates/").to_string())
            .collect();
        for (name, text) in crate::render::BUILTIN_TEMPLATES {
            if !own.contains(*name) {
                templates.push(SourceFile::new(
                    format!("(built-in) templates/{name}"),
                    *text,
                ));
            }
        }
        Sources { content, templates }
    }

    /// The place that most likely wrote `url` on `page`: the content file of that page first,
    /// then the templates, then any content file. The URL as written is looked for first, then
    /// its path without the `../` (pages at other depths, such as the print edition, rebase
    /// links), within a longer link.
    fn locate(&self, page: &str, url: &str, base: &str) -> Option<crate::diagnostics::Span> {
        let mut needles = vec![(url.to_string(), false)];
        let mut tail = url;
        loop {
            let t = tail.trim_start_matches("./").trim_start_matches("../");
            if t == tail {
                break;
            }
            tail = t;
        }
        if let Some(t) = url.strip_prefix(base).filter(|_| base.len() > 1) {
            tail = t;
        }
        let bare = tail
            .split(['#', '?'])
            .next()
            .unwrap_or("")
            .trim_end_matches('/');
        if tail != url && tail.len() >= 2 {
            needles.push((tail.to_string(), false));
        }
        if bare.len() >= 2 && bare != tail {
            needles.push((bare.to_string(), true));
        } else if tail.len() >= 2 {
            needles.push((tail.to_string(), true));
        }
        let mut own = own_file(page);
        // The print edition prefixes each chapter's ids with its slug (`crate::print::prefixed`):
        // `#slug--id` there was written as `#id` in that chapter.
        if let Some((slug, id)) = url.strip_prefix('#').and_then(|f| f.split_once("--")) {
            if !slug.is_empty() && !id.is_empty() {
                needles.push((format!("#{id}"), false));
                own = Some(format!("-{slug}.md"));
            }
        }
        let ordered = self
            .content
            .iter()
            .filter(|f| own.as_ref().is_some_and(|o| f.path.ends_with(o.as_str())))
            .chain(self.templates.iter())
            .chain(self.content.iter());
        let ordered: Vec<&Arc<SourceFile>> = ordered.collect();
        for (needle, within) in &needles {
            for f in &ordered {
                if let Some(range) = find_link_text(&f.text, needle, *within) {
                    return Some(f.span(range));
                }
            }
        }
        None
    }
}

/// The content file that a page is made from, as a path suffix.
fn own_file(page: &str) -> Option<String> {
    let parts: Vec<&str> = page.split('/').collect();
    match parts.as_slice() {
        ["chapters", slug, "index.html"] => Some(format!("-{slug}.md")),
        ["people", id, "index.html"] => Some(format!("people/{id}.toml")),
        _ => None,
    }
}

/// Characters around a link target as written: Markdown `(...)` and `<...>`, HTML attribute
/// quotes, template expressions `{{ ... }}`, reference definitions.
fn opens(c: Option<char>) -> bool {
    matches!(
        c,
        None | Some('(' | '"' | '\'' | '=' | '<' | '}' | ' ' | '\n' | '\t')
    )
}

fn closes(c: Option<char>) -> bool {
    matches!(
        c,
        None | Some(')' | '"' | '\'' | '>' | ' ' | '\n' | '{' | '\t')
    )
}

/// Where `needle` is written as a link target. With `within`, it may also be part of a longer
/// path (`../../peopel/` for `peopel`), and the range then covers that whole link.
fn find_link_text(text: &str, needle: &str, within: bool) -> Option<std::ops::Range<usize>> {
    let mut from = 0;
    while let Some(i) = text[from..].find(needle) {
        let at = from + i;
        let end = at + needle.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        if opens(before) && closes(after) {
            return Some(at..end);
        }
        if within
            && (opens(before) || before == Some('/'))
            && (closes(after) || matches!(after, Some('/' | '#' | '?')))
        {
            let start = text[..at]
                .rfind(|c: char| opens(Some(c)))
                .map_or(0, |i| i + 1);
            let stop = text[end..]
                .find(|c: char| closes(Some(c)))
                .map_or(text.len(), |i| end + i);
            return Some(start..stop);
        }
        from = at + needle.len().max(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn scan_finds_urls_and_ids_but_not_inside_scripts_or_comments() {
        let html = r#"<a href="../x/?q=1&amp;r=2#top" id=one>a</a><!-- <a href="nope"> --><script>let s = "<a href='no'>";</script><img src='i.png' srcset="a.png 1x, b.png 2x"><a name="old"></a><p ID="two">"#;
        let s = scan(html);
        let urls: Vec<&str> = s.urls.iter().map(|u| u.url.as_str()).collect();
        assert_eq!(urls, ["../x/?q=1&r=2#top", "i.png", "a.png", "b.png"]);
        assert_eq!(s.ids, files(&["one", "old", "two"]));
        assert_eq!(&html[s.urls[1].at.clone()], "i.png");
    }

    #[test]
    fn resolves_relative_absolute_and_fragment_links() {
        let f = files(&[
            "index.html",
            "people/index.html",
            "people/a/index.html",
            "style.css",
            "chapters/c/index.html",
        ]);
        let page_html = "<h2 id=\"madrid\">M</h2>".to_string();
        let out = Output {
            path: "chapters/c/index.html".into(),
            bytes: page_html.clone().into_bytes().into(),
        };
        let mut scans = HashMap::new();
        scans.insert("chapters/c/index.html", (scan(&page_html), &out));
        let v = |page: &str, url: &str, base: &str| verify(page, url, base, &f, &scans);
        assert_eq!(v("chapters/c/index.html", "../../people/a/", "/"), Ok(()));
        assert_eq!(v("chapters/c/index.html", "../../style.css", "/"), Ok(()));
        assert_eq!(v("chapters/c/index.html", "#madrid", "/"), Ok(()));
        assert_eq!(v("chapters/c/index.html", "#top", "/"), Ok(()));
        assert_eq!(
            v("chapters/c/index.html", "https://example.org/x", "/"),
            Ok(())
        );
        assert_eq!(v("chapters/c/index.html", "mailto:a@b.org", "/"), Ok(()));
        assert_eq!(
            v("people/index.html", "a", "/"),
            Ok(()),
            "a directory without its slash is redirected"
        );
        assert_eq!(v("404.html", "/repo/people/", "/repo/"), Ok(()));
        assert_eq!(
            v("chapters/c/index.html", "#rome", "/"),
            Err(Problem::NoAnchor {
                target: "chapters/c/".into(),
                anchor: "rome".into()
            })
        );
        assert_eq!(
            v("people/index.html", "../peopel/", "/"),
            Err(Problem::Missing {
                target: "peopel/".into()
            })
        );
        assert_eq!(
            v("index.html", "/people/", "/repo/"),
            Err(Problem::OutsideBase)
        );
        assert_eq!(
            v("index.html", "/repository/", "/repo/"),
            Err(Problem::OutsideBase)
        );
        assert_eq!(
            v("people/index.html", "../../x/", "/"),
            Err(Problem::AboveRoot)
        );
        assert_eq!(
            v("index.html", "people/a%20b/", "/"),
            Err(Problem::Missing {
                target: "people/a b/".into()
            })
        );
    }

    #[test]
    fn finds_where_a_link_was_written() {
        let text = "see [x](peoples/) and <a href=\"{{ page.root }}timelin/\">";
        assert_eq!(find_link_text(text, "peoples/", false), Some(8..16));
        let t = text.find("timelin/").unwrap();
        assert_eq!(find_link_text(text, "timelin/", false), Some(t..t + 8));
        assert_eq!(find_link_text("xpeoples/", "peoples/", false), None);
        // Part of a longer link: the whole link.
        let md = "the [guest list](../../peopel/).";
        assert_eq!(find_link_text(md, "peopel", false), None);
        assert_eq!(
            &md[find_link_text(md, "peopel", true).unwrap()],
            "../../peopel/"
        );
    }

    #[test]
    fn decodes_character_references() {
        assert_eq!(
            decode_entities("a&amp;b&#x2F;c&#47;d&lt;&unknown;"),
            "a&b/c/d<&unknown;"
        );
        // A lone ampersand before text that is not ASCII (it once sliced inside a character).
        assert_eq!(
            decode_entities("&\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}"),
            "&\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}"
        );
    }
}
