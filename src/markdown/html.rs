//! The HTML the renderer makes, with marks where a page that shows it must fill something in:
//! the path back to the site root ([`ROOT`], before every internal URL), and where the print
//! edition changes what a chapter's page shows ([`ID`] before each id, [`REL_HREF`] and
//! [`REL_SRC`] before URLs written relative to the chapter, [`LEVEL`] before a heading's level).
//! A page gets the HTML with [`RelHtml::at`]; the print edition reads the marks instead of
//! parsing the HTML again. No mark can come from the text itself (`clean` replaces them).

use std::sync::{Arc, OnceLock};

use pulldown_cmark::{CowStr, Event, LinkType, Tag};

use crate::util::escape;

/// Where the path back to the site root goes. Pages at different depths replace it with `""`,
/// `"../"` or `"../../"`, so every internal link stays relative and the site works under any
/// base path.
pub const ROOT: char = '\0';
/// Before an id (in `id`, `name`, an id list such as `aria-labelledby`, or after the `#` of an
/// in-page link): the print edition prefixes the chapter's slug there.
pub const ID: char = '\u{1}';
/// Before an `href` written relative to the chapter's page (`../other/`).
pub const REL_HREF: char = '\u{2}';
/// Before the level digit of a heading tag (`<h2`, `</h2`): the print edition moves it down.
pub const LEVEL: char = '\u{3}';
/// Before a `src` or `poster` written relative to the chapter's page.
pub const REL_SRC: char = '\u{4}';

/// Is `c` one of the marks?
pub fn is_mark(c: u8) -> bool {
    c <= REL_SRC as u8
}

/// HTML with marks (see the module). Shared, not copied, when cloned (a memo hands the same
/// chapter to every rebuild), with a 128-bit XXH3 of its text, made the first time it is
/// hashed, which stands for the text where it is hashed.
#[derive(Debug, Clone, Default)]
pub struct RelHtml {
    html: Arc<str>,
    key: OnceLock<u128>,
}

impl PartialEq for RelHtml {
    fn eq(&self, other: &RelHtml) -> bool {
        self.html == other.html
    }
}

impl Eq for RelHtml {}

impl RelHtml {
    pub fn new(html: String) -> RelHtml {
        RelHtml {
            html: html.into(),
            key: OnceLock::new(),
        }
    }

    fn key(&self) -> u128 {
        *self
            .key
            .get_or_init(|| xxhash_rust::xxh3::xxh3_128(self.html.as_bytes()))
    }

    /// The HTML as seen from a page whose path back to the root is `root` (`"../../"`): each
    /// root mark made `root`, the print edition's marks dropped.
    pub fn at(&self, root: &str) -> String {
        let html = self.html.as_bytes();
        let mut out = String::with_capacity(html.len() + html.len() / 16);
        let mut done = 0;
        let mut i = crate::scan::marks(html, 0);
        while i < html.len() {
            out.push_str(&self.html[done..i]);
            if html[i] == ROOT as u8 {
                out.push_str(root);
            }
            done = i + 1;
            i = crate::scan::marks(html, done);
        }
        out.push_str(&self.html[done..]);
        out
    }

    /// The HTML with every URL absolute, for a page read outside the site (a feed): the root
    /// mark made `base_url`, and in-page fragments and URLs relative to the text's page made
    /// absolute on `page_url` (the page's absolute URL).
    pub fn absolute(&self, base_url: &str, page_url: &str) -> String {
        let html = self.html.as_bytes();
        let mut out = String::with_capacity(html.len() + html.len() / 8);
        let mut done = 0;
        let mut i = crate::scan::marks(html, 0);
        while i < html.len() {
            out.push_str(&self.html[done..i]);
            match char::from(html[i]) {
                ROOT => out.push_str(base_url),
                REL_HREF | REL_SRC => out.push_str(page_url),
                ID if out.ends_with("\"#") || out.ends_with("'#") => {
                    out.pop();
                    out.push_str(page_url);
                    out.push('#');
                }
                _ => {}
            }
            done = i + 1;
            i = crate::scan::marks(html, done);
        }
        out.push_str(&self.html[done..]);
        out
    }

    /// The HTML with its marks (for the print edition).
    pub fn marked(&self) -> &str {
        &self.html
    }

    /// The HTML as seen from `root`, made only when a template is given it: a fingerprint of a
    /// view takes its key and `root` instead.
    pub fn at_root(&self, root: &str) -> HtmlAt<'_> {
        HtmlAt {
            html: self,
            root: root.to_string(),
        }
    }
}

impl std::hash::Hash for RelHtml {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

/// See [`RelHtml::at_root`]. Serialized as the HTML for readable formats (tera's values), as the
/// key and the root for fingerprints (`util::fingerprint::hash_serialized`).
pub struct HtmlAt<'a> {
    html: &'a RelHtml,
    root: String,
}

impl serde::Serialize for HtmlAt<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&self.html.at(&self.root))
        } else {
            (self.html.key(), &self.root).serialize(s)
        }
    }
}

/// `html` without its marks (the root mark as the root, `""`).
pub fn unmarked(html: &str) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    let Some(first) = b.iter().position(|&c| is_mark(c)) else {
        return std::borrow::Cow::Borrowed(html);
    };
    // Marks are single ASCII bytes: the text between them is whole characters.
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    let mut at = first;
    loop {
        out.push_str(&html[from..at]);
        from = at + 1;
        match b[from..].iter().position(|&c| is_mark(c)) {
            Some(k) => at = from + k,
            None => break,
        }
    }
    out.push_str(&html[from..]);
    std::borrow::Cow::Owned(out)
}

/// The attributes whose value holds ids.
const ID_ATTRS: &[&str] = &["id", "name"];
/// The attributes whose value is a list of ids.
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

/// Raw HTML an author wrote in a chapter, with the marks a page of the renderer's own gets:
/// heading levels, ids, id lists, in-page and relative URLs (quoted values only: an unquoted
/// one is left as written).
pub fn mark_raw(html: &str) -> String {
    use crate::util::html::{Token, tokens};
    let mut out = String::with_capacity(html.len() + 16);
    let mut done = 0;
    let put = |out: &mut String, at: usize, mark: char, done: &mut usize| {
        out.push_str(&html[*done..at]);
        out.push(mark);
        *done = at;
    };
    for (token, _) in tokens(html) {
        let Token::Tag(tag) = token else { continue };
        let name = tag.name.as_bytes();
        if let [b'h' | b'H', b'1'..=b'6'] = name {
            let digit = tag.range.start + 1 + usize::from(tag.closing) + 1;
            put(&mut out, digit, LEVEL, &mut done);
        }
        for a in tag.attrs().filter(|a| a.quoted && !a.value.is_empty()) {
            let is = |list: &[&str]| list.iter().any(|n| n.eq_ignore_ascii_case(a.name));
            if is(ID_ATTRS) {
                put(&mut out, a.range.start, ID, &mut done);
            } else if is(IDREF_ATTRS) {
                for (k, _) in a
                    .value
                    .match_indices(|c: char| !c.is_ascii_whitespace())
                    .filter(|(k, _)| *k == 0 || a.value.as_bytes()[k - 1].is_ascii_whitespace())
                {
                    put(&mut out, a.range.start + k, ID, &mut done);
                }
            } else if a.name.eq_ignore_ascii_case("href") {
                if a.value.starts_with('#') {
                    put(&mut out, a.range.start + 1, ID, &mut done);
                } else if is_relative(a.value) {
                    put(&mut out, a.range.start, REL_HREF, &mut done);
                }
            } else if (a.name.eq_ignore_ascii_case("src") || a.name.eq_ignore_ascii_case("poster"))
                && is_relative(a.value)
            {
                put(&mut out, a.range.start, REL_SRC, &mut done);
            }
        }
    }
    out.push_str(&html[done..]);
    out
}

/// A URL written relative to its page: not rooted (`/`), not a fragment or query alone, not
/// with a scheme or host.
pub fn is_relative(url: &str) -> bool {
    !url.is_empty() && !url.starts_with(['/', '#', '?', ROOT]) && crate::markdown::is_internal(url)
}

/// The author's links and images written as pulldown-cmark writes them, with the marks of
/// `html` (an in-page fragment's id, a URL relative to the page).
pub(super) fn finish_links(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut it = events.into_iter();
    while let Some(e) = it.next() {
        match e {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let mut s = String::from("<a href=\"");
                if link_type == LinkType::Email {
                    s.push_str("mailto:");
                }
                push_url(&mut s, &dest_url, REL_HREF);
                push_title(&mut s, &title);
                s.push_str("\">");
                out.push(Event::InlineHtml(CowStr::from(s)));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let mut s = String::from("<img src=\"");
                push_url(&mut s, &dest_url, REL_SRC);
                s.push_str("\" alt=\"");
                alt_text(&mut it, &mut s);
                push_title(&mut s, &title);
                s.push_str("\" />");
                out.push(Event::InlineHtml(CowStr::from(s)));
            }
            other => out.push(other),
        }
    }
    out
}

/// A URL as pulldown-cmark writes it (`escape_href`), marked as `html` says.
fn push_url(s: &mut String, url: &str, relative: char) {
    if let Some(fragment) = url.strip_prefix('#') {
        s.push('#');
        s.push(ID);
        let _ = pulldown_cmark_escape::escape_href(&mut *s, fragment);
        return;
    }
    if is_relative(url) {
        s.push(relative);
    }
    let _ = pulldown_cmark_escape::escape_href(&mut *s, url);
}

fn push_title(s: &mut String, title: &str) {
    if !title.is_empty() {
        s.push_str("\" title=\"");
        escape::html_into(s, title);
    }
}

/// An image's alt text: what is inside it, as text (pulldown-cmark's `raw_text`).
fn alt_text<'a>(it: &mut impl Iterator<Item = Event<'a>>, s: &mut String) {
    let mut nest = 0;
    for e in it.by_ref() {
        match e {
            Event::Start(_) => nest += 1,
            Event::End(_) if nest == 0 => break,
            Event::End(_) => nest -= 1,
            Event::Html(_) => {}
            Event::InlineHtml(t) | Event::Code(t) | Event::Text(t) => escape::html_into(s, &t),
            Event::SoftBreak | Event::HardBreak | Event::Rule => s.push(' '),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_sees_the_root_and_no_other_mark() {
        let h = RelHtml::new(format!(
            "<h{LEVEL}2 id=\"{ID}x\"><a href=\"{ROOT}people/a/\">A</a> <a href=\"{REL_HREF}../b/\">B</a></h{LEVEL}2>"
        ));
        assert_eq!(
            h.at("../../"),
            "<h2 id=\"x\"><a href=\"../../people/a/\">A</a> <a href=\"../b/\">B</a></h2>"
        );
    }

    #[test]
    fn a_feed_sees_every_url_absolute() {
        let h = RelHtml::new(format!(
            "<p id=\"{ID}p-1\"><a href=\"{ROOT}people/a/\">A</a> <a href=\"#{ID}fn-1\">1</a> <a href=\"{REL_HREF}../b/\">B</a> <img src=\"{REL_SRC}x.png\"></p>"
        ));
        assert_eq!(
            h.absolute("https://e.org/d/", "https://e.org/d/chapters/c/"),
            "<p id=\"p-1\"><a href=\"https://e.org/d/people/a/\">A</a> <a href=\"https://e.org/d/chapters/c/#fn-1\">1</a> <a href=\"https://e.org/d/chapters/c/../b/\">B</a> <img src=\"https://e.org/d/chapters/c/x.png\"></p>"
        );
    }

    #[test]
    fn raw_html_gets_the_marks_of_the_renderers_own() {
        let raw = "<h3 id='a' class=x>T</h3><a href=\"#b\">b</a><a href=\"../c/\">c</a><img src=\"d.png\" alt=\"\"><p aria-labelledby=\"e f\">";
        let marked = mark_raw(raw);
        assert_eq!(
            marked,
            format!(
                "<h{LEVEL}3 id='{ID}a' class=x>T</h{LEVEL}3><a href=\"#{ID}b\">b</a><a href=\"{REL_HREF}../c/\">c</a><img src=\"{REL_SRC}d.png\" alt=\"\"><p aria-labelledby=\"{ID}e {ID}f\">"
            )
        );
        assert_eq!(unmarked(&marked), raw);
    }
}
