//! The print edition's chapter bodies: each chapter's rendered HTML made fit to share one page,
//! its ids prefixed with the chapter's slug, links between chapters turned into in-page anchors,
//! its headings moved one level down. One pass over the HTML; the page itself belongs to `render`.
//!
//! A long documentary's print edition is split into volumes (`print/1/`, `print/2/`, …): a link
//! to a chapter printed in another volume becomes `../<volume>/#<anchor>`.
//!
//! Ids become `{slug}--{id}`: chapter slugs are kebab-case, so they never contain `--` and the
//! prefix cannot collide across chapters, nor with the chapters' own anchors `chapter-{slug}`.

use std::collections::HashMap;

use crate::markdown::{ID, LEVEL, REL_HREF, ROOT};

/// The id of a chapter's heading in the print edition.
pub fn chapter_anchor(slug: &str) -> String {
    format!("chapter-{slug}")
}

/// The id an element of chapter `slug` takes in the print edition.
pub fn prefixed(slug: &str, id: &str) -> String {
    format!("{slug}--{id}")
}

/// Where each chapter is printed, by slug: its volume (`None` when the edition is one page).
/// Made once per build and shared by every print page (with 10,000 chapters there are 200).
pub struct Volumes<'a>(HashMap<&'a str, Option<usize>>);

impl<'a> Volumes<'a> {
    /// `chapters`: every chapter's slug with its volume.
    pub fn new(chapters: impl IntoIterator<Item = (&'a str, Option<usize>)>) -> Volumes<'a> {
        Volumes(chapters.into_iter().collect())
    }

    /// The edition as print page `current` links it (`None` when the edition is one page).
    pub fn edition(&self, current: Option<usize>) -> Edition<'_> {
        Edition {
            volumes: &self.0,
            current,
        }
    }
}

/// The chapters a print page can link to, and where each one is printed.
pub struct Edition<'a> {
    volumes: &'a HashMap<&'a str, Option<usize>>,
    /// The volume being written (`None` when the edition is one page).
    current: Option<usize>,
}

impl Edition<'_> {
    /// The link to `anchor` (an id already prefixed) in chapter `slug`, or `None` for an unknown
    /// chapter: in-page within the volume, `../<volume>/#anchor` across volumes.
    fn link(&self, slug: &str, anchor: &str) -> Option<String> {
        let volume = self.volumes.get(slug)?;
        Some(match volume {
            Some(v) if *volume != self.current => format!("../{v}/#{anchor}"),
            _ => format!("#{anchor}"),
        })
    }
}

/// Chapter `slug`'s HTML (with its marks, `RelHtml::marked`) as it reads in the print edition at
/// `root` (the print page's path to the site root). Ids take the chapter's prefix, headings move
/// one level down, links to the chapters of `edition` become anchors (in-page, or in their
/// volume), and other internal links become links relative to `root`. The renderer marked every
/// place to change, so the HTML is copied in runs between the marks, never parsed.
pub fn chapter_html(src: &str, slug: &str, edition: &Edition<'_>, root: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len() + src.len() / 8);
    let mut done = 0;
    let mut i = crate::scan::marks(b, 0);
    while i < b.len() {
        out.push_str(&src[done..i]);
        let after = i + 1;
        done = match char::from(b[i]) {
            ROOT => {
                let end = url_end(src, after, quote_before(b, i));
                push_internal(&mut out, &src[after..end], edition, root);
                end
            }
            ID if b.get(after).is_some_and(|c| *c == b'"' || *c == b'\'') => {
                // `href="#"`: the top of the chapter.
                out.push_str(&chapter_anchor(slug));
                after
            }
            ID => {
                out.push_str(slug);
                out.push_str("--");
                after
            }
            LEVEL => {
                let level = b.get(after).copied().unwrap_or(b'1');
                out.push(char::from(if (b'1'..=b'5').contains(&level) {
                    level + 1
                } else {
                    level
                }));
                (after + 1).min(b.len())
            }
            mark => {
                // A URL written relative to the chapter: the same place, from the print page.
                let end = url_end(src, after, quote_before(b, i));
                let url = &src[after..end];
                match from_chapter(url, slug) {
                    Some(rooted) if mark == REL_HREF => {
                        push_internal(&mut out, &rooted[ROOT.len_utf8()..], edition, root)
                    }
                    Some(rooted) => {
                        out.push_str(root);
                        out.push_str(&rooted[ROOT.len_utf8()..]);
                    }
                    None => out.push_str(url),
                }
                end
            }
        };
        i = crate::scan::marks(b, done);
    }
    out.push_str(&src[done..]);
    out
}

/// The quote that opens the attribute value a mark at `i` starts (`"` unless it is `'`).
fn quote_before(b: &[u8], i: usize) -> u8 {
    if i > 0 && b[i - 1] == b'\'' {
        b'\''
    } else {
        b'"'
    }
}

/// Where the URL that starts at `from` ends: at its closing quote.
fn url_end(src: &str, from: usize, quote: u8) -> usize {
    memchr::memchr(quote, &src.as_bytes()[from..]).map_or(src.len(), |k| from + k)
}

/// An internal URL (site-relative, after the root mark): a chapter of the edition as an
/// anchor, anything else relative to `root`.
fn push_internal(out: &mut String, internal: &str, edition: &Edition<'_>, root: &str) {
    let in_page = internal.strip_prefix("chapters/").and_then(|target| {
        let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
        let other = path.strip_suffix('/').unwrap_or(path);
        edition.link(
            other,
            &if anchor.is_empty() {
                chapter_anchor(other)
            } else {
                prefixed(other, anchor)
            },
        )
    });
    match in_page {
        Some(link) => out.push_str(&link),
        None => {
            out.push_str(root);
            out.push_str(internal);
        }
    }
}

/// A URL the author wrote relative to the chapter's page (`chapters/{slug}/`), rebased on the
/// site root (behind the root marker), so that it reaches the same place from the print page.
/// `None` for every other URL: with a scheme, rooted at `/`, an anchor, or already internal.
fn from_chapter(url: &str, slug: &str) -> Option<String> {
    if url.is_empty() || url.starts_with(['/', '#', '?', ROOT]) {
        return None;
    }
    let path_end = url.find(['?', '#']).unwrap_or(url.len());
    let (path, rest) = url.split_at(path_end);
    if path.contains(':') && path.find(':') < path.find('/').or(Some(path.len())) {
        return None; // a scheme: https:, mailto:, …
    }
    let mut segments: Vec<&str> = vec!["chapters", slug];
    let parts: Vec<&str> = path.split('/').collect();
    for part in &parts {
        match *part {
            "." => {}
            ".." => {
                if segments.pop().is_none() {
                    // Above the root, from the chapter too: keep it exactly as broken.
                    return Some(format!("{ROOT}chapters/{slug}/{url}"));
                }
            }
            "" => {}
            p => segments.push(p),
        }
    }
    let dir = matches!(parts.last().copied().unwrap_or(""), "" | "." | "..");
    let slash = if dir && !segments.is_empty() { "/" } else { "" };
    Some(format!("{ROOT}{}{slash}{rest}", segments.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `html` as the renderer writes it (`ROOT/` for the root mark, and its other marks made
    /// as it makes them), in the print edition of chapters one and two.
    fn print(html: &str) -> String {
        let volumes = Volumes::new([("one", None), ("two", None)]);
        let marked = crate::markdown::mark_raw(&html.replace("ROOT/", "\0"));
        chapter_html(&marked, "one", &volumes.edition(None), "../")
    }

    #[test]
    fn ids_are_prefixed_and_headings_move_down() {
        assert_eq!(
            print(
                "<h2 id=\"madrid\">Madrid <a class=\"anchor\" href=\"#madrid\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h2>\n<p id=\"p-1\">Text.</p>\n"
            ),
            "<h3 id=\"one--madrid\">Madrid <a class=\"anchor\" href=\"#one--madrid\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h3>\n<p id=\"one--p-1\">Text.</p>\n"
        );
    }

    #[test]
    fn links_between_chapters_become_anchors_and_others_stay_relative() {
        assert_eq!(
            print(
                "<a href=\"ROOT/chapters/two/\">x</a><a href=\"ROOT/chapters/two/#roots\">y</a><a href=\"ROOT/people/kerry/\">z</a><a href=\"https://e.org/#a\">w</a>"
            ),
            "<a href=\"#chapter-two\">x</a><a href=\"#two--roots\">y</a><a href=\"../people/kerry/\">z</a><a href=\"https://e.org/#a\">w</a>"
        );
        // An unknown chapter is left as a link (the build reported it already).
        assert_eq!(
            print("<a href=\"ROOT/chapters/nine/\">n</a>"),
            "<a href=\"../chapters/nine/\">n</a>"
        );
    }

    #[test]
    fn links_written_relative_to_the_chapter_reach_the_same_place() {
        assert_eq!(
            print(
                "<a href=\"../../people/kerry/\">a</a><a href=\"../two/#x\">b</a><a href=\"../../style.css?v=1\">c</a><img src=\"pic.png\"><a href=\"../../../up/\">d</a><a href=\"mailto:a@b.c\">e</a><a href=\"/abs/\">f</a>"
            ),
            "<a href=\"../people/kerry/\">a</a><a href=\"#two--x\">b</a><a href=\"../style.css?v=1\">c</a><img src=\"../chapters/one/pic.png\"><a href=\"../chapters/one/../../../up/\">d</a><a href=\"mailto:a@b.c\">e</a><a href=\"/abs/\">f</a>"
        );
        assert_eq!(
            print("<a href=\"./\">self</a><a href=\"..\">up</a>"),
            "<a href=\"#chapter-one\">self</a><a href=\"../chapters/\">up</a>"
        );
    }

    #[test]
    fn footnotes_and_references_to_ids_follow() {
        assert_eq!(
            print(
                "<sup class=\"footnote-ref\"><a id=\"fnref-a\" href=\"#fn-a\">1</a></sup><section class=\"footnotes\" aria-labelledby=\"footnotes\"><h2 id=\"footnotes\">Notes</h2></section>"
            ),
            "<sup class=\"footnote-ref\"><a id=\"one--fnref-a\" href=\"#one--fn-a\">1</a></sup><section class=\"footnotes\" aria-labelledby=\"one--footnotes\"><h3 id=\"one--footnotes\">Notes</h3></section>"
        );
    }

    #[test]
    fn text_comments_scripts_and_odd_tags_pass_through() {
        let html = "<p>1 &lt; 2 and 3 > 2</p><!-- id=\"x\" --><img src='a.png' alt=\"id=x\"/><br><script>if (a<b) x='<a href=\"#y\">'</script><H1 ID=z>q</H1>";
        assert_eq!(
            print(html),
            "<p>1 &lt; 2 and 3 > 2</p><!-- id=\"x\" --><img src='../chapters/one/a.png' alt=\"id=x\"/><br><script>if (a<b) x='<a href=\"#y\">'</script><h2 ID=z>q</h2>"
        );
    }

    #[test]
    fn links_to_chapters_in_other_volumes_name_the_volume() {
        let volumes = Volumes::new([("one", Some(1)), ("two", Some(1)), ("three", Some(2))]);
        let edition = volumes.edition(Some(1));
        let html = "<a href=\"ROOT/chapters/two/#a\">same</a><a href=\"ROOT/chapters/three/\">other</a><a href=\"ROOT/chapters/three/#b\">section</a><a href=\"../three/#c\">relative</a>";
        let marked = crate::markdown::mark_raw(&html.replace("ROOT/", "\0"));
        assert_eq!(
            chapter_html(&marked, "one", &edition, "../../"),
            "<a href=\"#two--a\">same</a><a href=\"../2/#chapter-three\">other</a><a href=\"../2/#three--b\">section</a><a href=\"../2/#three--c\">relative</a>"
        );
    }
}
