//! Full-text search: the rendered pages and the timeline's events → a Pagefind index (a chunked
//! word index, a fragment per page, Pagefind's search JS and WebAssembly) as `Output`s under
//! `pagefind/`. Pagefind's Rust library runs in memory on a one-thread tokio runtime.
//!
//! What a page contributes is marked in its template: `data-pagefind-body` on the parts worth
//! finding, `data-pagefind-meta="kind:…"` for the kind of page shown in the results. Headings with
//! ids become sub-results (a chapter's sections). Events live on one page, so each is indexed as
//! its own record pointing at its anchor on the timeline. Pagefind's own UIs are not shipped:
//! `static/search.js` draws the results.

use std::collections::BTreeMap;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostics::Diagnostic;
use crate::render::Output;
use crate::site::Site;

/// Where the index goes, under the output folder.
pub const DIR: &str = "pagefind/";

/// Pages never indexed: the print edition repeats every chapter, and the 404 page has nothing
/// to find (with the built-in templates neither has a `data-pagefind-body`, but a project's
/// own templates may have none at all, and then Pagefind indexes every page whole).
const SKIP: &[&str] = &["404.html", "print/index.html"];

/// Selectors left out of what is indexed: what is hidden from assistive technology too (heading
/// anchors, monograms), footnote markers and back links, and the labels of definition lists
/// (an infobox's "Also known as" would otherwise run into the alias: "asOkafor").
const EXCLUDE: &[&str] = &["[aria-hidden=true]", ".footnote-ref", ".footnote-back", "dt"];

/// Index every HTML page of `outputs` and every event of `site`; the index files come back as
/// more outputs under [`DIR`]. Deterministic: the same pages give the same bytes.
pub fn index(site: &Site, outputs: &[Output]) -> Result<Vec<Output>, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| fail("cannot start", e))?;
    let language = site.config.language.trim().to_lowercase();
    let files = runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .force_language(if language.is_empty() { "unknown".to_string() } else { language.clone() })
            .exclude_selectors(EXCLUDE.iter().map(|s| s.to_string()).collect())
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| fail("invalid options", e))?;
        for o in outputs.iter().filter(|o| o.path.ends_with(".html") && !SKIP.contains(&o.path.as_str())) {
            let html = String::from_utf8_lossy(&o.bytes).into_owned();
            index.add_html_file(None, Some(page_url(&o.path)), html).await.map_err(|e| fail(&o.path, e))?;
        }
        for e in &site.events {
            let people: Vec<&str> = e.people.iter().map(|&p| site.people[p].name.as_str()).collect();
            let content = sentences(&[&e.title, &e.date.display(), &e.place, &e.summary_text, &people.join(", ")]);
            let meta = BTreeMap::from([
                ("title".to_string(), e.title.clone()),
                ("kind".to_string(), "Event".to_string()),
                ("date".to_string(), e.date.display()),
            ]);
            let filters = BTreeMap::from([("kind".to_string(), vec!["Event".to_string()])]);
            index
                .add_custom_record(format!("/{}", e.url()), content, language.clone(), Some(meta), Some(filters), None)
                .await
                .map_err(|err| fail(&format!("event {}", e.id), err))?;
        }
        index.get_files().await.map_err(|e| fail("cannot build", e))
    })?;

    // Keep what the search box loads: the JS and its worker, the entry, the language's
    // WebAssembly, the metadata, index chunks, fragments and filters.
    let wasm = entry_wasm(&files);
    let mut out: Vec<Output> = files
        .into_iter()
        .filter_map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            let keep = matches!(name.as_str(), "pagefind.js" | "pagefind-worker.js" | "pagefind-entry.json")
                || name == wasm
                || name.ends_with(".pf_meta")
                || ["index/", "fragment/", "filter/"].iter().any(|d| name.starts_with(d));
            keep.then(|| Output { path: format!("{DIR}{name}"), bytes: f.contents })
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Pieces of text joined as sentences, so excerpts read well and words do not run together.
fn sentences(pieces: &[&str]) -> String {
    let mut out = String::new();
    for p in pieces.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(p);
        if !p.ends_with(['.', '!', '?', '…']) {
            out.push('.');
        }
    }
    out
}

fn fail(what: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::in_file(DIR, format!("search index: {what}: {e:#}"))
}

/// The URL Pagefind stores for a page: from the site root, with a leading slash and without
/// `index.html`. The search JS puts the site's base path (found from its own URL) in front.
fn page_url(path: &str) -> String {
    format!("/{}", path.strip_suffix("index.html").unwrap_or(path))
}

/// The WebAssembly file the entry asks for: the language's own (with stemming) if Pagefind has
/// one, else the generic one.
fn entry_wasm(files: &[pagefind::api::SyntheticFile]) -> String {
    let entry = files.iter().find(|f| f.filename.as_os_str() == "pagefind-entry.json");
    let wasm = entry
        .and_then(|f| serde_json::from_slice::<serde_json::Value>(&f.contents).ok())
        .and_then(|v| v["languages"].as_object().and_then(|l| l.values().next().cloned()))
        .and_then(|l| l["wasm"].as_str().map(str::to_string));
    format!("wasm.{}.pagefind", wasm.as_deref().unwrap_or("unknown"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_text_reads_as_sentences() {
        assert_eq!(sentences(&["The storm", "", " At sea ", "A gale.", "Who?"]), "The storm. At sea. A gale. Who?");
    }

    #[test]
    fn page_urls_are_rooted_and_drop_index_html() {
        assert_eq!(page_url("index.html"), "/");
        assert_eq!(page_url("chapters/the-signing/index.html"), "/chapters/the-signing/");
        assert_eq!(page_url("people/network/index.html"), "/people/network/");
    }
}
