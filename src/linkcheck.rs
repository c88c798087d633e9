//! The link check, run by every command: each internal link and image must reach a page or
//! file of the site and, for a `#fragment` on a page whose ids are known, an element with that
//! id. Links are checked where they are made, never by reading the pages again: the links the
//! texts make (the Markdown renderer recorded them, with where they are written), and the
//! links written literally in the project's own templates (read once with the one tokenizer),
//! on every page those templates render. Each broken link is reported once, where it is written.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::diagnostics::{Diagnostic, Diagnostics, Span, did_you_mean, suggest};
use crate::output::{BUILTIN_STATIC, StaticFile};
use crate::render::Templates;
use crate::site::{Site, print_volume};
use crate::util::html::{Token, is_url_attr, tokens};

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

/// Where `dossier serve` serves its own files (the live-reload script), under the base path.
const SERVE_FILES: &str = "__dossier/";

/// The files of the site and the ids known on its pages.
pub struct SiteFiles<'a> {
    /// Every file, as output paths (`people/x/index.html`, `style.css`).
    files: BTreeSet<&'a str>,
    /// The ids on pages whose ids are known, by output path.
    ids: HashMap<String, HashSet<&'a str>>,
    /// The timeline's pages, and the ids of its year and month headings.
    timeline: HashSet<String>,
    years: HashSet<String>,
    base: &'a str,
}

/// Check every link the site makes: `pages` are the files made (with the template of each
/// page, when it has one), `statics` the project's static files.
pub fn check(
    site: &Site,
    pages: &[(String, Option<&'static str>)],
    statics: &[StaticFile],
    templates: &Templates,
    diags: &mut Diagnostics,
) {
    let files = SiteFiles::new(site, pages, statics, templates);
    let mut broken: BTreeMap<(String, usize), (Diagnostic, Vec<String>)> = BTreeMap::new();
    for link in &site.links {
        if let Err(p) = files.verify(&page_file(&link.page), &link.url) {
            let mut on = vec![link.page.clone()];
            if link.page.starts_with("chapters/") {
                on.push(print_page_of(site, &link.page));
            }
            report(&mut broken, &files, link.span.clone(), &link.url, &p, on);
        }
    }
    for (span, url, page, p) in template_links(pages, templates, &files) {
        report(&mut broken, &files, span, &url, &p, vec![site_path(&page)]);
    }
    for (_, (mut d, pages)) in broken {
        let shown: Vec<String> = pages
            .iter()
            .take(3)
            .map(|p| format!("{}{p}", files.base))
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

/// One broken link, grouped with the others written at the same place.
fn report(
    broken: &mut BTreeMap<(String, usize), (Diagnostic, Vec<String>)>,
    files: &SiteFiles<'_>,
    span: Span,
    url: &str,
    p: &Problem,
    on: Vec<String>,
) {
    let key = (span.file.path.clone(), span.start);
    let entry = broken.entry(key).or_insert_with(|| {
        let d = Diagnostic::error(span, message(url, p, files.base)).with_help_opt(help(p, files));
        (d, Vec::new())
    });
    for page in on {
        if !entry.1.contains(&page) {
            entry.1.push(page);
        }
    }
}

/// The print page that shows the chapter at site path `page`.
fn print_page_of(site: &Site, page: &str) -> String {
    let ix = site
        .chapters
        .iter()
        .position(|c| c.url() == page)
        .unwrap_or(0);
    match print_volume(crate::site::ChapterIx(ix), site.chapters.len()) {
        Some(v) => format!("print/{v}/"),
        None => "print/".into(),
    }
}

impl<'a> SiteFiles<'a> {
    fn new(
        site: &'a Site,
        pages: &'a [(String, Option<&'static str>)],
        statics: &'a [StaticFile],
        templates: &'a Templates,
    ) -> SiteFiles<'a> {
        let mut files: BTreeSet<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
        files.extend(BUILTIN_STATIC.iter().map(|(p, _)| *p));
        files.extend(statics.iter().map(|s| s.path.as_str()));
        let template_ids = literal_ids(templates);
        let with = |own: Vec<&'a str>| -> HashSet<&'a str> {
            own.into_iter()
                .chain(template_ids.iter().copied())
                .collect()
        };
        let mut ids = HashMap::new();
        for c in &site.chapters {
            ids.insert(
                page_file(&c.url()),
                with(c.ids.iter().map(String::as_str).collect()),
            );
        }
        ids.insert(
            page_file("sources/"),
            with(site.sources.iter().map(|s| s.id.as_str()).collect()),
        );
        let mut timeline: HashMap<String, Vec<&str>> = HashMap::new();
        for e in &site.events {
            timeline
                .entry(page_file(&e.page.url()))
                .or_default()
                .push(e.id.as_str());
        }
        let pages: HashSet<String> = timeline.keys().cloned().collect();
        for (page, own) in timeline {
            ids.insert(page, with(own));
        }
        SiteFiles {
            files,
            ids,
            timeline: pages,
            years: year_ids(site),
            base: site.config.base_path(),
        }
    }

    /// Check one URL found on the page `page` (an output path such as `chapters/x/index.html`).
    pub fn verify(&self, page: &str, url: &str) -> Result<(), Problem> {
        let url = url.trim();
        if url.starts_with("//") || has_scheme(url) || url.contains(SERVE_FILES) {
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
            let base_rel = self.base.trim_start_matches('/');
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
        let target = percent_encoding::percent_decode_str(&target)
            .decode_utf8_lossy()
            .into_owned();
        let file = if self.files.contains(page_file(&target).as_str()) {
            page_file(&target)
        } else if !target.ends_with('/')
            && self.files.contains(format!("{target}/index.html").as_str())
        {
            // `people/x` without its slash: servers redirect it to `people/x/`.
            format!("{target}/index.html")
        } else {
            return Err(Problem::Missing { target });
        };
        let Some(fragment) = fragment.map(|f| {
            percent_encoding::percent_decode_str(f)
                .decode_utf8_lossy()
                .into_owned()
        }) else {
            return Ok(());
        };
        if fragment.is_empty() || fragment.eq_ignore_ascii_case("top") {
            return Ok(());
        }
        match self.ids.get(&file) {
            Some(ids)
                if !ids.contains(fragment.as_str())
                    && (!self.timeline.contains(&file) || !self.years.contains(&fragment)) =>
            {
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
}

/// The ids of the timeline's year and month headings (`y2013`, `y2013-07`).
fn year_ids(site: &Site) -> HashSet<String> {
    let mut out = HashSet::new();
    for e in &site.events {
        let y = e.date.year();
        out.insert(format!("y{y}"));
        if let Some(m) = e.date.month() {
            out.insert(format!("y{y}-{m:02}"));
        }
    }
    out
}

/// The ids written literally in the templates (`id="main"`).
fn literal_ids(templates: &Templates) -> Vec<&str> {
    let mut out = Vec::new();
    for file in templates.files().values() {
        for (token, _) in tokens(&file.text) {
            let Token::Tag(tag) = token else { continue };
            if let Some(a) = tag.attr("id")
                && !a.value.is_empty()
                && !a.value.contains("{{")
                && !a.value.contains("{%")
            {
                out.push(a.value);
            }
        }
    }
    out
}

/// The broken links written literally in the project's own templates, each with where it is
/// written, the URL as the page shows it, the page, and what is wrong: `(span, url, page, problem)`.
fn template_links(
    pages: &[(String, Option<&'static str>)],
    templates: &Templates,
    files: &SiteFiles<'_>,
) -> Vec<(Span, String, String, Problem)> {
    let mut out = Vec::new();
    for (name, file) in templates.files() {
        let builtin = crate::render::BUILTIN_TEMPLATES
            .iter()
            .any(|(n, t)| n == name && *t == file.text);
        if file.path.starts_with("(built-in)") || builtin {
            continue;
        }
        let links = literal_links(&file.text);
        if links.is_empty() {
            continue;
        }
        let users = templates.pages_using(name);
        for (path, template) in pages {
            if !template.is_some_and(|t| users.contains(t)) {
                continue;
            }
            let root = crate::render::root_for(&site_path(path), files.base);
            for (range, rooted, url) in &links {
                let shown = if *rooted {
                    format!("{root}{url}")
                } else {
                    url.to_string()
                };
                if let Err(p) = files.verify(path, &shown) {
                    out.push((file.span(range.clone()), shown, path.clone(), p));
                }
            }
        }
    }
    out
}

/// The URLs written in a template's tags that its data does not make: literal ones, and ones
/// that only start with `{{ page.root }}`: `(range of the value, rooted, the literal part)`.
fn literal_links(text: &str) -> Vec<(std::ops::Range<usize>, bool, &str)> {
    let mut out = Vec::new();
    for (token, _) in tokens(text) {
        let Token::Tag(tag) = token else { continue };
        for a in tag.attrs().filter(|a| is_url_attr(a.name)) {
            let (rooted, rest) = match a.value.strip_prefix("{{").and_then(|r| r.split_once("}}")) {
                Some((expr, rest)) if expr.trim() == "page.root" => (true, rest),
                _ => (false, a.value),
            };
            if !rest.contains("{{") && !rest.contains("{%") && (rooted || !rest.is_empty()) {
                // Point at the literal part: what the template's author wrote.
                let start = a.range.end - rest.len();
                out.push((start.min(a.range.end)..a.range.end, rooted, rest));
            }
        }
    }
    out
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

fn help(p: &Problem, files: &SiteFiles<'_>) -> Option<String> {
    match p {
        Problem::Missing { target } => {
            let want = target.trim_end_matches('/');
            let candidates: BTreeSet<&str> = files.files.iter().map(|f| f.strip_suffix("index.html").unwrap_or(f).trim_end_matches('/')).collect();
            did_you_mean(want, candidates.iter().copied()).map(|s| {
                let slash = if files.files.contains(format!("{s}/index.html").as_str()) { "/" } else { "" };
                format!("did you mean {}{s}{slash}?", files.base)
            })
        }
        Problem::NoAnchor { target, anchor } => {
            let ids = files.ids.get(&page_file(target))?;
            suggest(anchor, ids.iter().copied())
        }
        Problem::OutsideBase | Problem::AboveRoot => Some(
            "write links relative to the page, or start them with {{ page.root }} in templates, so the site works under any base path".into(),
        ),
    }
}

/// `chapters/x/index.html` → `chapters/x/`.
fn site_path(page: &str) -> String {
    page.strip_suffix("index.html").unwrap_or(page).to_string()
}

/// The output file a site path names: `people/` → `people/index.html`.
fn page_file(target: &str) -> String {
    if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else {
        target.to_string()
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
            "." => trailing |= i == last,
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

/// Does `url` start with a scheme (`https:`, `mailto:`)?
fn has_scheme(url: &str) -> bool {
    crate::markdown::scheme(url).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized_and_may_not_leave_the_root() {
        assert_eq!(normalize("chapters/a/", "../b/"), Ok("chapters/b/".into()));
        assert_eq!(
            normalize("chapters/a/", "../../people/x/"),
            Ok("people/x/".into())
        );
        assert_eq!(normalize("", "a/./b"), Ok("a/b".into()));
        assert_eq!(normalize("a/", "../../x"), Err(Problem::AboveRoot));
    }

    #[test]
    fn schemes_are_told_apart_from_paths() {
        assert!(has_scheme("https://x.org") && has_scheme("mailto:a@b") && has_scheme("tel:1"));
        assert!(!has_scheme("a/b:c") && !has_scheme("12:30") && !has_scheme("../x"));
    }

    #[test]
    fn template_links_are_the_literal_ones() {
        let t = r#"<a href="{{ page.root }}timelines/">T</a> <a href="{{ p.url }}">P</a> <img src="logo.png"> <a href="{{ page.root }}">H</a>"#;
        let got: Vec<(bool, &str)> = literal_links(t)
            .into_iter()
            .map(|(_, r, u)| (r, u))
            .collect();
        assert_eq!(got, [(true, "timelines/"), (false, "logo.png"), (true, "")]);
    }
}
