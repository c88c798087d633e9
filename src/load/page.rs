//! Standalone pages: `content/pages/<slug>.md`, TOML front matter between `+++` lines (a
//! title; where the page is linked from, `menu = "nav"` or `"footer"`; its `order` there; an
//! optional summary), then Markdown. The file name gives the page its slug and its address,
//! `<slug>/`. One name is special: `index.md` is the home page's introduction, not a page of
//! its own. The body is left as text.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned as TSpanned;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::util::slug::{is_slug, slugify};
use crate::util::toml::{At, at, doc};

use super::slug_help;

pub use crate::site::Menu;

#[derive(Debug, Clone)]
pub struct RawPage {
    pub file: Arc<SourceFile>,
    /// The file stem: the page's address (`about` → `about/`); `index` is the home page's text.
    pub slug: At<String>,
    pub title: At<String>,
    pub summary: String,
    pub menu: Menu,
    /// Its place among the pages of its menu (smaller first; then by title).
    pub order: i64,
    /// Byte offset of the Markdown body in `file.text`.
    pub body_start: usize,
}

impl RawPage {
    pub fn body(&self) -> &str {
        &self.file.text[self.body_start..]
    }
}

/// Slugs a standalone page may not take: the folders and files the site makes itself.
pub const RESERVED_PAGE_SLUGS: &[&str] = &[
    "chapters",
    "people",
    "timeline",
    "sources",
    "print",
    "search",
    "page",
    "404",
    "places",
    "organizations",
    "glossary",
    "preview",
];

#[derive(Deserialize)]
struct PageFront {
    title: TSpanned<String>,
    #[serde(default)]
    summary: String,
    menu: Option<TSpanned<String>>,
    #[serde(default)]
    order: i64,
}

const PAGE_KEYS: &[&str] = &["title", "summary", "menu", "order"];

pub(super) fn page(file: Arc<SourceFile>, diags: &mut Diagnostics) -> Option<RawPage> {
    let slug = page_slug(&file, diags)?;
    let (fm, body_start) = super::chapter::front_matter(&file, diags)?;
    let base = fm.start;
    let front: PageFront = doc(
        &file,
        &file.text[fm],
        base,
        PAGE_KEYS,
        "page front matter",
        diags,
    )?;
    let PageFront {
        title,
        summary,
        menu,
        order,
    } = front;
    let title = at(&file, base, title);
    super::require_text(
        &title,
        "the page's title",
        "a page needs a title, its heading and its name in the menus",
        diags,
    );
    let menu = match menu.map(|m| at(&file, base, m)) {
        None => Menu::None,
        Some(m) => match m.value.trim() {
            "nav" if slug.value != "index" => Menu::Nav,
            "footer" if slug.value != "index" => Menu::Footer,
            "nav" | "footer" => {
                diags.push(
                    Diagnostic::error(m.span, "the home page's text takes no menu")
                        .with_help("index.md is the home page's introduction, which every page links to already: remove `menu`"),
                );
                Menu::None
            }
            other => {
                diags.push(
                    Diagnostic::error(m.span, format!("unknown menu \"{}\"", other.escape_debug()))
                        .with_help("write `menu = \"nav\"` (the main navigation) or `menu = \"footer\"`, or leave `menu` out"),
                );
                Menu::None
            }
        },
    };
    Some(RawPage {
        slug,
        title,
        summary,
        menu,
        order,
        body_start,
        file,
    })
}

/// The page's slug, from its file name (`about.md`), or the error why it cannot be one.
fn page_slug(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<At<String>> {
    let stem = super::file_stem(&file.path, ".md");
    let top = file.span(0..0);
    if !is_slug(&stem) {
        diags.push(
            Diagnostic::error(top, format!("invalid page name \"{stem}.md\"")).with_help(format!(
                "{}, and the page's address is its name",
                slug_help(&stem)
            )),
        );
        return None;
    }
    if RESERVED_PAGE_SLUGS.contains(&stem.as_str()) {
        diags.push(
            Diagnostic::error(
                top,
                format!("a page cannot be named \"{stem}.md\": the site makes {stem}/ itself"),
            )
            .with_help(format!(
                "rename the file, such as \"about-{}.md\"",
                slugify(&stem)
            )),
        );
        return None;
    }
    Some(At {
        value: stem,
        span: file.span(0..0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(path: &str, text: &str) -> (Option<RawPage>, Vec<String>) {
        let mut d = Diagnostics::default();
        let p = page(SourceFile::new(path, text), &mut d);
        (p, d.items.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn a_page_has_its_title_menu_and_order() {
        let (p, errs) = load(
            "content/pages/about.md",
            "+++\ntitle = \"About\"\nmenu = \"footer\"\norder = 2\n+++\nText.\n",
        );
        let p = p.unwrap();
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(
            (p.slug.value.as_str(), p.menu, p.order),
            ("about", Menu::Footer, 2)
        );
        assert_eq!(p.body(), "Text.\n");
    }

    #[test]
    fn bad_front_matter_is_located() {
        let (_, errs) = load(
            "content/pages/about.md",
            "+++\ntitle = \"About\"\nmenu = \"sidebar\"\n+++\n",
        );
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].starts_with("content/pages/about.md:3:8: error: unknown menu \"sidebar\""),
            "{errs:?}"
        );
        let (_, errs) = load(
            "content/pages/about.md",
            "+++\ntitle = \"About\"\nordre = 1\n+++\n",
        );
        assert!(
            errs[0].starts_with("content/pages/about.md:3:1: error: unknown key \"ordre\""),
            "{errs:?}"
        );
        assert!(errs[0].contains("did you mean \"order\"?"), "{errs:?}");
    }

    #[test]
    fn a_page_may_not_take_a_generated_folder() {
        let (p, errs) = load("content/pages/timeline.md", "+++\ntitle = \"T\"\n+++\n");
        assert!(p.is_none());
        assert!(
            errs[0].contains("the site makes timeline/ itself"),
            "{errs:?}"
        );
    }
}
