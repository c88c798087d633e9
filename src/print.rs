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

use crate::markdown::ROOT;

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

/// Attributes holding space-separated id references.
const IDREF_ATTRS: &[&str] = &[
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "aria-owns",
    "aria-flowto",
    "for",
    "headers",
    "list",
];

/// Chapter `slug`'s HTML (`RelHtml::raw`, internal links still behind the root marker) as it
/// reads in the print edition at `root` (the print page's path to the site root). Links to the
/// chapters of `edition` become anchors (in-page, or in their volume); other internal links
/// (people, timeline, sources) stay links relative to `root`.
///
/// The HTML is copied in runs, up to each edit (a heading's level, an id, a link, an unquoted
/// value given quotes), so most of it is copied a paragraph at a time. Every root marker
/// copied, in a run or in an edit, becomes `root`.
pub fn chapter_html(src: &str, slug: &str, edition: &Edition<'_>, root: &str) -> String {
    let mut out = Edits {
        src,
        root,
        done: 0,
        out: String::with_capacity(src.len() + src.len() / 8),
    };
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &src.as_bytes()[i..]).map(|k| i + k) {
        let rest = &src[lt..];
        if rest.starts_with("<!--") {
            i = rest[4..].find("-->").map_or(src.len(), |k| lt + 4 + k + 3);
            continue;
        }
        let Some(len) = tag_end(rest) else {
            // A stray "<" (not a tag): kept as it is.
            i = lt + 1;
            continue;
        };
        i = lt + len;
        let name = tag_name(&rest[..len]);
        rewrite_tag(lt, &rest[..len], name, slug, edition, &mut out);
        // Raw text elements: their content is copied untouched.
        if !rest.starts_with("</")
            && (name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style"))
        {
            let close = format!("</{name}");
            i += find_ci(&src[i..], &close).unwrap_or(src.len() - i);
        }
    }
    out.finish()
}

/// The output of [`chapter_html`]: `src[..done]` is copied, edits included.
struct Edits<'s> {
    src: &'s str,
    root: &'s str,
    done: usize,
    out: String,
}

impl Edits<'_> {
    /// Replace `src[from..to]` with what `f` writes (`from >= done`).
    fn edit(&mut self, from: usize, to: usize, f: impl FnOnce(&mut String)) {
        let run = &self.src[self.done..from];
        self.push(run);
        f(&mut self.out);
        self.done = to;
    }

    /// Replace `src[from..to]` with `text` (root markers in it made `root`).
    fn replace(&mut self, from: usize, to: usize, text: &str) {
        let run = &self.src[self.done..from];
        self.push(run);
        self.push(text);
        self.done = to;
    }

    fn push(&mut self, text: &str) {
        let mut rest = text;
        while let Some(k) = memchr::memchr(ROOT as u8, rest.as_bytes()) {
            self.out.push_str(&rest[..k]);
            self.out.push_str(self.root);
            rest = &rest[k + ROOT.len_utf8()..];
        }
        self.out.push_str(rest);
    }

    fn finish(mut self) -> String {
        let run = &self.src[self.done..];
        self.push(run);
        self.out
    }
}

/// The length of the tag at the start of `s` (which starts with '<'), quotes respected; `None`
/// when `s` does not start a tag.
fn tag_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let first = *b.get(1)?;
    if !(first.is_ascii_alphabetic() || first == b'/' || first == b'!' || first == b'?') {
        return None;
    }
    let mut quote = None;
    for (i, &c) in b.iter().enumerate().skip(1) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn tag_name(tag: &str) -> &str {
    let b = tag.as_bytes();
    let lt = b.iter().position(|&c| c != b'<').unwrap_or(b.len());
    let start = lt
        + b[lt..]
            .iter()
            .position(|&c| c != b'/')
            .unwrap_or(b.len() - lt);
    let len = b[start..]
        .iter()
        .position(|c| !c.is_ascii_alphanumeric())
        .unwrap_or(b.len() - start);
    &tag[start..start + len]
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The edits one tag (named `name`) needs, `at` its offset in the source.
fn rewrite_tag(
    at: usize,
    tag: &str,
    name: &str,
    slug: &str,
    chapters: &Edition<'_>,
    out: &mut Edits<'_>,
) {
    let closing = tag.starts_with("</");
    let start = if closing { 2 } else { 1 } + name.len();
    // Headings move one level down: the page's <h1> is the documentary, chapters are <h2>.
    if let [b'h' | b'H', d @ b'1'..=b'5'] = name.as_bytes() {
        let level = char::from(d + 1);
        out.edit(at + start - 2, at + start, |o| {
            o.push('h');
            o.push(level);
        });
    }
    if closing || !tag[start..].contains('=') {
        return;
    }
    // Attributes: name, optional value (quoted or not).
    let b = tag.as_bytes();
    let mut i = start;
    let end = tag.len() - 1; // the final '>'
    while i < end {
        while i < end && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= end {
            break;
        }
        let name_start = i;
        while i < end
            && !b[i].is_ascii_whitespace()
            && b[i] != b'='
            && b[i] != b'>'
            && !(b[i] == b'/' && i + 1 == end)
        {
            i += 1;
        }
        if i == name_start {
            break; // a lone "/" of a self-closing tag
        }
        let attr_name = &tag[name_start..i];
        if i < end && b[i] == b'=' {
            i += 1;
            let (value, quoted, next) = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = tag[i + 1..].find(q as char).map_or(end, |j| i + 1 + j);
                    (i + 1..close, true, (close + 1).min(end))
                }
                _ => {
                    let stop = tag[i..end]
                        .find(|c: char| c.is_ascii_whitespace())
                        .map_or(end, |j| i + j);
                    (i..stop, false, stop)
                }
            };
            let text = &tag[value.clone()];
            let (from, to) = if quoted {
                (at + value.start, at + value.end)
            } else {
                (at + i, at + next)
            };
            let wrap = |o: &mut String, f: &dyn Fn(&mut String)| {
                if !quoted {
                    o.push('"');
                }
                f(o);
                if !quoted {
                    o.push('"');
                }
            };
            let kind = Attr::of(attr_name);
            match kind {
                Attr::Id if !text.is_empty() => {
                    out.edit(from, to, |o| wrap(o, &|o| push_prefixed(o, slug, text)))
                }
                Attr::IdRefs => out.edit(from, to, |o| {
                    wrap(o, &|o| {
                        for (k, id) in text.split_ascii_whitespace().enumerate() {
                            if k > 0 {
                                o.push(' ');
                            }
                            push_prefixed(o, slug, id);
                        }
                    })
                }),
                Attr::Href | Attr::Src => {
                    let new = if kind == Attr::Href {
                        rewrite_href(text, slug, chapters)
                    } else {
                        from_chapter(text, slug)
                    };
                    match new {
                        Some(new) if quoted => out.replace(from, to, &new),
                        Some(new) => out.replace(from, to, &format!("\"{new}\"")),
                        None if !quoted => out.replace(from, to, &format!("\"{text}\"")),
                        None => {}
                    }
                }
                _ if !quoted => out.replace(from, to, &format!("\"{text}\"")),
                _ => {}
            }
            i = next;
        }
    }
}

/// The attributes the print edition rewrites.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attr {
    /// `id`, `name`: prefixed.
    Id,
    /// Space-separated id references ([`IDREF_ATTRS`]): each prefixed.
    IdRefs,
    /// `href`: anchors prefixed, chapter links made in-page, relative links rebased.
    Href,
    /// `src`, `poster`: relative links rebased.
    Src,
    Other,
}

impl Attr {
    fn of(name: &str) -> Attr {
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        if is("id") || is("name") {
            Attr::Id
        } else if is("href") {
            Attr::Href
        } else if is("src") || is("poster") {
            Attr::Src
        } else if IDREF_ATTRS.iter().any(|n| is(n)) {
            Attr::IdRefs
        } else {
            Attr::Other
        }
    }
}

fn push_prefixed(out: &mut String, slug: &str, id: &str) {
    out.push_str(slug);
    out.push_str("--");
    out.push_str(id);
}

fn rewrite_href(href: &str, slug: &str, chapters: &Edition<'_>) -> Option<String> {
    if let Some(anchor) = href.strip_prefix('#') {
        return Some(if anchor.is_empty() {
            format!("#{}", chapter_anchor(slug))
        } else {
            format!("#{}", prefixed(slug, anchor))
        });
    }
    let rebased = from_chapter(href, slug);
    let internal = rebased.as_deref().unwrap_or(href).strip_prefix(ROOT)?;
    let in_page = internal.strip_prefix("chapters/").and_then(|target| {
        let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
        let other = path.strip_suffix('/').unwrap_or(path);
        chapters.link(
            other,
            &if anchor.is_empty() {
                chapter_anchor(other)
            } else {
                prefixed(other, anchor)
            },
        )
    });
    in_page.or(rebased)
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

    fn print(html: &str) -> String {
        let volumes = Volumes::new([("one", None), ("two", None)]);
        chapter_html(
            &html.replace("ROOT/", "\0"),
            "one",
            &volumes.edition(None),
            "../",
        )
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
            "<p>1 &lt; 2 and 3 > 2</p><!-- id=\"x\" --><img src='../chapters/one/a.png' alt=\"id=x\"/><br><script>if (a<b) x='<a href=\"#y\">'</script><h2 ID=\"one--z\">q</h2>"
        );
    }

    #[test]
    fn links_to_chapters_in_other_volumes_name_the_volume() {
        let volumes = Volumes::new([("one", Some(1)), ("two", Some(1)), ("three", Some(2))]);
        let edition = volumes.edition(Some(1));
        let html = "<a href=\"ROOT/chapters/two/#a\">same</a><a href=\"ROOT/chapters/three/\">other</a><a href=\"ROOT/chapters/three/#b\">section</a><a href=\"../three/#c\">relative</a>";
        assert_eq!(
            chapter_html(&html.replace("ROOT/", "\0"), "one", &edition, "../../"),
            "<a href=\"#two--a\">same</a><a href=\"../2/#chapter-three\">other</a><a href=\"../2/#three--b\">section</a><a href=\"../2/#three--c\">relative</a>"
        );
    }
}
