//! Chapter files: `content/chapters/NN-slug.md`, TOML front matter between `+++` lines, then
//! Markdown. The file name gives the chapter's number (its place in the reading order) and its
//! slug; the front matter its title, summary, sources and draft flag. The body is left as text.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned as TSpanned;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::util::slug::{is_slug, slugify};
use crate::util::toml::{At, at, ats, doc};

use super::{RawChapter, slug_help};

#[derive(Deserialize)]
struct ChapterFront {
    title: TSpanned<String>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    sources: Vec<TSpanned<String>>,
    #[serde(default)]
    draft: bool,
    published: Option<TSpanned<String>>,
    updated: Option<TSpanned<String>>,
}

const CHAPTER_KEYS: &[&str] = &[
    "title",
    "summary",
    "sources",
    "draft",
    "published",
    "updated",
];

/// Split `+++` front matter from the body: (front matter range, body start).
pub fn split_front_matter(text: &str) -> Result<(std::ops::Range<usize>, usize), &'static str> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "+++" {
        return Err("a chapter must start with TOML front matter between `+++` lines");
    }
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "+++" {
            return Ok((first_end..pos, end));
        }
        pos = end;
    }
    Err("the front matter is not closed: add a line with `+++` after it")
}

pub(super) fn chapter(file: Arc<SourceFile>, diags: &mut Diagnostics) -> Option<RawChapter> {
    let (number, slug) = number_and_slug(&file, diags)?;
    let (fm, body_start) = front_matter(&file, diags)?;
    let base = fm.start;
    let front: ChapterFront = doc(
        &file,
        &file.text[fm],
        base,
        CHAPTER_KEYS,
        "chapter front matter",
        diags,
    )?;
    let ChapterFront {
        title,
        summary,
        sources,
        draft,
        published,
        updated,
    } = front;
    let mut day = |v: Option<TSpanned<String>>| {
        let v = at(&file, base, v?);
        publication_day(&v, diags).then_some(v.value)
    };
    let (published, updated) = (day(published), day(updated));
    let title = at(&file, base, title);
    super::require_text(
        &title,
        "the chapter's title",
        "a chapter needs a title, its heading and its name in every list",
        diags,
    );
    Some(RawChapter {
        number,
        slug,
        title,
        summary,
        sources: ats(&file, base, sources),
        draft,
        published,
        updated,
        body_start,
        file,
    })
}

#[cfg(test)]
use crate::util::toml::is_day;
pub use crate::util::toml::publication_day;

/// The chapter's number and slug, from its file name (`02-the-deal.md`), or the error why not.
fn number_and_slug(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<(u64, At<String>)> {
    let stem = super::file_stem(&file.path, ".md");
    let top = file.span(0..0);
    let (number, slug) = match stem.split_once('-') {
        Some((n, s)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            (n.parse::<u64>().unwrap_or(u64::MAX), s.to_string())
        }
        _ => {
            diags.push(
                Diagnostic::error(
                    top.clone(),
                    format!("chapter file name \"{stem}.md\" has no number"),
                )
                .with_help(format!(
                    "name chapters NN-slug.md so they sort, e.g. \"01-{}.md\"",
                    slugify(&stem)
                )),
            );
            return None;
        }
    };
    if !is_slug(&slug) {
        diags.push(
            Diagnostic::error(
                top,
                format!("invalid chapter slug \"{slug}\" in file name \"{stem}.md\""),
            )
            .with_help(slug_help(&slug)),
        );
        return None;
    }
    Some((
        number,
        At {
            value: slug,
            span: file.span(0..0),
        },
    ))
}

/// The byte range of the front matter and where the body starts, or the error why not.
pub(super) fn front_matter(
    file: &Arc<SourceFile>,
    diags: &mut Diagnostics,
) -> Option<(std::ops::Range<usize>, usize)> {
    match split_front_matter(&file.text) {
        Ok(v) => Some(v),
        Err(msg) if file.text.trim().is_empty() => {
            diags.push(Diagnostic::error(file.span(0..0), format!("the file is empty: {msg}")).with_help(
                "start the file with a line `+++`, then `title = \"...\"`, then a closing line `+++`, then the chapter's text",
            ));
            None
        }
        Err(msg) => {
            let help = "start the file with a line `+++`, then `title = \"...\"`, then a closing line `+++`";
            diags.push(
                Diagnostic::error(file.span(0..file.text.find('\n').unwrap_or(0)), msg)
                    .with_help(help),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_split_handles_crlf() {
        let t = "+++\r\ntitle = \"x\"\r\n+++\r\nBody\r\n";
        let (fm, body) = split_front_matter(t).unwrap();
        assert_eq!(&t[fm], "title = \"x\"\r\n");
        assert_eq!(&t[body..], "Body\r\n");
    }

    #[test]
    fn publication_days() {
        for ok in ["2026-03-01", "2024-02-29"] {
            assert!(is_day(ok), "{ok}");
        }
        for bad in [
            "2026-3-01",
            "2023-02-29",
            "2026-13-01",
            "March 2026",
            "2026-01-1x",
            "+026-01-10",
        ] {
            assert!(!is_day(bad), "{bad}");
        }
    }

    #[test]
    fn front_matter_must_be_closed() {
        assert!(split_front_matter("+++\ntitle = \"x\"\n").is_err());
        assert!(split_front_matter("title").is_err());
    }
}
