//! The checks of resolving that are not lookups: `[[chapter:x#section]]` anchors against the
//! sections every chapter has, the problems a rendered text found, reserved anchors, image
//! paths, dates, and the warnings about loose ends (people never mentioned, events no chapter
//! tells, chapters that cite nothing).

use std::collections::HashMap;

use crate::date::Date;
use crate::diagnostics::Warning;
use crate::diagnostics::{Diagnostic, Diagnostics, Span, suggest};
use crate::load::{At, RawChapter, Sources, TomlMarkdown};
use crate::markdown::{Problem, Rendered};
use crate::site::Site;

use super::Texts;
use super::index::Index;

/// The sections (heading ids, and `footnotes`) of every chapter, by chapter, each with its
/// position in the chapter.
pub(super) struct Anchors<'a> {
    ids: Vec<HashMap<&'a str, usize>>,
    slugs: Vec<&'a str>,
}

impl<'a> Anchors<'a> {
    pub fn new(sources: &'a Sources, texts: &'a Texts) -> Anchors<'a> {
        Anchors {
            ids: texts
                .chapters
                .iter()
                .map(|r| r.0.section_ids().enumerate().map(|(i, a)| (a, i)).collect())
                .collect(),
            slugs: sources
                .chapters
                .iter()
                .map(|c| c.slug.value.as_str())
                .collect(),
        }
    }

    pub fn has(&self, chapter: usize, anchor: &str) -> bool {
        self.ids[chapter].contains_key(anchor)
    }

    /// Where section `anchor` comes in chapter `chapter` (0 for its first section).
    pub fn position(&self, chapter: usize, anchor: &str) -> Option<usize> {
        self.ids[chapter].get(anchor).copied()
    }

    /// Report each `[[chapter:x#anchor]]` of `r` whose chapter has no such section; `span` maps
    /// a range of the text to the file.
    pub fn check(
        &self,
        r: &Rendered,
        span: impl Fn(std::ops::Range<usize>) -> Span,
        diags: &mut Diagnostics,
    ) {
        for (target, anchor, range) in &r.anchors {
            if !self.has(*target, anchor) {
                diags.push(self.unknown(span(range.clone()), *target, anchor));
            }
        }
    }

    /// Chapter `target` has no section `anchor`.
    pub fn unknown(&self, span: Span, target: usize, anchor: &str) -> Diagnostic {
        let slug = self.slugs[target];
        let mut list: Vec<&str> = self.ids[target].keys().copied().collect();
        list.sort();
        let help = suggest(anchor, list.iter().copied()).unwrap_or_else(|| {
            if list.is_empty() {
                format!("chapter \"{slug}\" has no headings")
            } else {
                format!("its sections are: {}", list.join(", "))
            }
        });
        Diagnostic::error(
            span,
            format!("chapter \"{slug}\" has no section \"#{anchor}\""),
        )
        .with_help(help)
    }
}

/// The problems a chapter's text has, and its references to missing sections.
pub(super) fn report_chapter_text(
    c: &RawChapter,
    r: &Rendered,
    anchors: &Anchors<'_>,
    _index: &Index,
    diags: &mut Diagnostics,
) {
    let at = |range: std::ops::Range<usize>| {
        c.file
            .span(c.body_start + range.start..c.body_start + range.end)
    };
    report(&r.problems, at, diags);
    anchors.check(r, at, diags);
}

/// The problems of a standalone page's text, located in its file.
pub(super) fn report_page_text(
    p: &crate::load::RawPage,
    r: &Rendered,
    anchors: &Anchors<'_>,
    diags: &mut Diagnostics,
) {
    let at = |range: std::ops::Range<usize>| {
        p.file
            .span(p.body_start + range.start..p.body_start + range.end)
    };
    report(&r.problems, at, diags);
    anchors.check(r, at, diags);
}

/// The problems of a TOML Markdown text (a biography, a summary), located in its file.
pub(super) fn report_fragment(
    md: &TomlMarkdown,
    r: &Rendered,
    anchors: &Anchors<'_>,
    diags: &mut Diagnostics,
) {
    report(&r.problems, |range| md.span(range), diags);
    anchors.check(r, |range| md.span(range), diags);
}

fn report(
    problems: &[Problem],
    span: impl Fn(std::ops::Range<usize>) -> Span,
    diags: &mut Diagnostics,
) {
    for p in problems.iter().filter(|p| !p.silent) {
        diags.push(
            Diagnostic::error(span(p.range.clone()), p.message.clone())
                .with_help_opt(p.help.clone()),
        );
    }
}

/// Element ids the built-in templates give every page (the skip link's target, the search box)
/// and the timeline (its filter and its year and month headings): an event or source taking
/// one would make its `#anchor` lead elsewhere.
const RESERVED_ANCHORS: &[&str] = &[
    "main",
    "search-hint",
    "search-input",
    "search-results",
    "search-status",
    "filter-person",
    "filter-side",
    "filter-tag",
];

/// Report an event or source id that an element of its page already uses.
pub(super) fn reserved_anchor(id: &At<String>, what: &str, page: &str, diags: &mut Diagnostics) {
    let v = id.value.as_str();
    // The timeline's own anchors: years, decades, centuries and months (`y2013`, `y1960s`,
    // `y1900c`, `y2013-07`, `y-43`, each perhaps followed by its period's id), its periods
    // (`era-the-talks`) and its parts (`tl-sources-heading`).
    let timeline_anchor = |s: &str| {
        let year = s
            .strip_prefix('y')
            .map(|r| r.strip_prefix('-').unwrap_or(r))
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        year || s.starts_with("era-") || s.starts_with("tl-")
    };
    if RESERVED_ANCHORS.contains(&v) || (what == "event" && timeline_anchor(v)) {
        diags.push(
            Diagnostic::error(
                id.span.clone(),
                format!("the {what} id \"{v}\" is reserved: {page} uses it for its own anchor"),
            )
            .with_help(format!("rename it, e.g. to \"{v}-{what}\"")),
        );
    }
}

pub(super) fn parse_date_at(d: &At<String>, diags: &mut Diagnostics) -> Option<Date> {
    match Date::parse(&d.value) {
        Ok(date) => Some(date),
        Err(msg) => {
            diags.push(Diagnostic::error(d.span.clone(), msg));
            None
        }
    }
}

/// A person's image: a safe path under `static/`.
pub(super) fn check_image(img: &At<String>, diags: &mut Diagnostics) -> Option<String> {
    let v = img.value.trim().trim_start_matches('/');
    let safe = !v.is_empty()
        && !v.contains('\\')
        && !v.contains(|c: char| c.is_control())
        && v.split('/')
            .all(|part| !part.is_empty() && part != ".." && part != ".")
        && !v.contains(':');
    if safe {
        Some(v.to_string())
    } else {
        diags.push(
            Diagnostic::error(
                img.span.clone(),
                format!("invalid image path \"{}\"", img.value.escape_debug()),
            )
            .with_help("give a path under static/, such as \"images/john-kerry.jpg\""),
        );
        None
    }
}

/// Warnings about loose ends: people no chapter mentions, events no chapter tells. A chapter
/// that failed to load may mention anyone, so no one is reported unmentioned then.
pub(super) fn loose_ends(site: &Site, sources: &Sources, diags: &mut Diagnostics) {
    if sources.broken.chapters.is_empty() {
        for (p, raw) in site.people.iter().zip(&sources.people) {
            if p.appearances.is_empty() {
                diags.push(Diagnostic::warning(
                    raw.name.span.clone(),
                    Warning::UnmentionedPerson,
                    format!("{} ({}) is never mentioned in a chapter", p.name, p.id),
                ));
            }
        }
    }
    for e in &sources.events {
        if e.chapter.is_none() {
            diags.push(
                Diagnostic::warning(
                    e.id.span.clone(),
                    Warning::UntoldEvent,
                    format!("event \"{}\" is not told by any chapter", e.id.value),
                )
                .with_help("add `chapter = \"slug#section\"`"),
            );
        }
    }
}
