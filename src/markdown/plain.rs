//! A rendered text as plain text, for the search index: the text before the first heading, then
//! each heading with an id (its text and anchor) with the text under it. Made from the
//! renderer's own events as it writes them (their HTML pieces read with the one tokenizer):
//! what is hidden from assistive technology (heading anchors), footnote markers and back links,
//! scripts and styles are left out; character references are decoded; whitespace becomes single
//! spaces. Block elements separate words; inline ones do not.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::util::html::{Token, tokens};

/// A text's plain text: an introduction, then its sections.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PlainText {
    pub intro: String,
    pub sections: Vec<Section>,
}

/// A heading with an id, and the text under it up to the next one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Section {
    pub title: String,
    pub anchor: String,
    pub text: String,
}

impl PlainText {
    /// The plain text of the events a text was rendered into.
    pub fn of(events: &[Event<'_>]) -> PlainText {
        let mut c = Collector::default();
        for e in events {
            match e {
                Event::Text(t) | Event::Code(t) => c.text(t, false),
                Event::SoftBreak => c.text("\n", false),
                Event::HardBreak => {
                    c.tag("br", false, true, Attrs::NONE);
                    c.text("\n", false);
                }
                Event::Rule => c.tag("hr", false, true, Attrs::NONE),
                Event::Html(h) | Event::InlineHtml(h) => c.marked_html(h),
                Event::Start(tag) => c.tag(
                    start_name(tag),
                    false,
                    matches!(tag, Tag::Image { .. }),
                    Attrs::NONE,
                ),
                Event::End(tag) => c.tag(end_name(*tag), true, false, Attrs::NONE),
                _ => {}
            }
        }
        c.finish()
    }

    /// Everything, the sections' titles and texts included, as one text.
    pub fn flat(&self) -> String {
        let mut out = self.intro.clone();
        for s in &self.sections {
            for piece in [&s.title, &s.text] {
                if !piece.is_empty() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(piece);
                }
            }
        }
        out
    }
}

/// The element pulldown-cmark writes for a start tag (the ones this renderer leaves to it).
fn start_name(tag: &Tag<'_>) -> &'static str {
    match tag {
        Tag::Emphasis => "em",
        Tag::Strong => "strong",
        Tag::Strikethrough => "del",
        Tag::Link { .. } => "a",
        Tag::Image { .. } => "img",
        Tag::CodeBlock(_) => "pre",
        Tag::List(Some(_)) => "ol",
        Tag::List(None) => "ul",
        Tag::Item => "li",
        Tag::BlockQuote(_) => "blockquote",
        Tag::Table(_) => "table",
        Tag::TableHead => "thead",
        Tag::TableRow => "tr",
        Tag::TableCell => "td",
        _ => "div",
    }
}

fn end_name(tag: TagEnd) -> &'static str {
    match tag {
        TagEnd::Emphasis => "em",
        TagEnd::Strong => "strong",
        TagEnd::Strikethrough => "del",
        TagEnd::Link => "a",
        TagEnd::Image => "img",
        TagEnd::CodeBlock => "pre",
        TagEnd::List(true) => "ol",
        TagEnd::List(false) => "ul",
        TagEnd::Item => "li",
        TagEnd::BlockQuote(_) => "blockquote",
        TagEnd::Table => "table",
        TagEnd::TableHead => "thead",
        TagEnd::TableRow => "tr",
        TagEnd::TableCell => "td",
        _ => "div",
    }
}

/// Whether a tag leaves words on either side together (everything else separates them).
fn inline(name: &str) -> bool {
    let Some(l) = lower(name) else {
        return false;
    };
    matches!(
        l.as_ref(),
        b"a" | b"abbr"
            | b"b"
            | b"cite"
            | b"code"
            | b"del"
            | b"dfn"
            | b"em"
            | b"i"
            | b"ins"
            | b"kbd"
            | b"mark"
            | b"q"
            | b"s"
            | b"samp"
            | b"small"
            | b"span"
            | b"strong"
            | b"sub"
            | b"sup"
            | b"time"
            | b"u"
            | b"var"
    )
}

/// Elements with no closing tag.
fn void(name: &str) -> bool {
    let Some(l) = lower(name) else {
        return false;
    };
    matches!(
        l.as_ref(),
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"source"
            | b"track"
            | b"wbr"
    )
}

/// A short tag name in lower case, to compare with `match` (no name above is longer than 6).
fn lower(name: &str) -> Option<Lower> {
    let b = name.as_bytes();
    if b.len() > 6 {
        return None;
    }
    let mut buf = [0u8; 6];
    for (d, s) in buf.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    Some(Lower { buf, len: b.len() })
}

struct Lower {
    buf: [u8; 6],
    len: usize,
}

impl AsRef<[u8]> for Lower {
    fn as_ref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// The attributes the collector reads, found in one pass over a tag's attributes.
#[derive(Clone, Copy, Default)]
struct Attrs<'x> {
    class: &'x str,
    aria_hidden: bool,
    id: Option<&'x str>,
}

impl<'x> Attrs<'x> {
    const NONE: Attrs<'static> = Attrs {
        class: "",
        aria_hidden: false,
        id: None,
    };

    fn of(tag: &crate::util::html::Tag<'x>) -> Attrs<'x> {
        let mut out = Attrs::default();
        for a in tag.attrs() {
            if a.name.eq_ignore_ascii_case("class") {
                out.class = a.value;
            } else if a.name.eq_ignore_ascii_case("aria-hidden") {
                out.aria_hidden = a.value == "true";
            } else if a.name.eq_ignore_ascii_case("id") {
                out.id = Some(a.value);
            }
        }
        out
    }
}

fn is_heading(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() == 2 && b[0].eq_ignore_ascii_case(&b'h') && (b'1'..=b'6').contains(&b[1])
}

/// The text so far, in pieces: the intro, then each section's title and text.
#[derive(Default)]
struct Collector {
    buf: String,
    /// Where each closed piece ends; the open one starts at `from`.
    pieces: Vec<usize>,
    from: usize,
    anchors: Vec<String>,
    in_heading: Option<String>,
    /// The element being skipped, and how deep in same-named elements we are.
    skip: Option<(String, usize)>,
}

impl Collector {
    /// HTML as the renderer emits it, marks and all (see `markdown::html`).
    fn marked_html(&mut self, html: &str) {
        if !self.own_html(html) {
            self.html(&super::html::unmarked(html));
        }
    }

    /// The pieces of HTML the renderer writes most (text, a paragraph's start and end, a link
    /// to an entity or its end), read without the tokenizer, with the same effect as
    /// [`Collector::html`] on them. False, having done nothing, for anything else.
    fn own_html(&mut self, html: &str) -> bool {
        let plain = |s: &str| !s.contains(['"', '<', '>']) && !s.bytes().any(super::html::is_mark);
        if self.skip.is_some() {
            return false;
        }
        if !html.contains('<') && !html.bytes().any(super::html::is_mark) {
            self.text(html, true);
            return true;
        }
        match html {
            // An inline element's end changes nothing (a heading's is never written alone).
            "</a>" => return true,
            "</p>\n" => {
                self.tag("p", true, false, Attrs::NONE);
                self.text("\n", true);
                return true;
            }
            _ => {}
        }
        if let Some(id) = html
            .strip_prefix("<p id=\"")
            .and_then(|r| r.strip_suffix("\">"))
        {
            if id.contains(['"', '<', '>']) {
                return false;
            }
            self.tag("p", false, false, Attrs::NONE);
            return true;
        }
        // `<a class="…" href="…">`, alone or with its text and end, as `refs` writes a
        // reference or a name.
        let Some((class, rest)) = html
            .strip_prefix("<a class=\"")
            .and_then(|r| r.split_once("\" href=\""))
        else {
            return false;
        };
        let Some((href, rest)) = rest.split_once("\">") else {
            return false;
        };
        let text = if rest.is_empty() {
            ""
        } else if let Some(text) = rest.strip_suffix("</a>") {
            text
        } else {
            return false;
        };
        if !plain(class)
            || !plain(text)
            || href.contains(['"', '<', '>'])
            || class.contains("footnote")
        {
            return false;
        }
        self.text(text, true);
        true
    }

    /// Raw HTML (the renderer's own pieces, or an author's): its tags and text.
    fn html(&mut self, html: &str) {
        for (token, _) in tokens(html) {
            match token {
                Token::Text(t) => self.text(t, true),
                Token::Tag(tag) => {
                    let attrs = if tag.closing {
                        Attrs::NONE
                    } else {
                        Attrs::of(&tag)
                    };
                    let void = void(tag.name)
                        || html[tag.range.clone()].trim_end_matches('>').ends_with('/');
                    self.tag(tag.name, tag.closing, void, attrs);
                }
                Token::Other => {}
            }
        }
    }

    fn tag(&mut self, name: &str, closing: bool, void: bool, attrs: Attrs<'_>) {
        if let Some((skipped, depth)) = &mut self.skip {
            if name.eq_ignore_ascii_case(skipped) && !void {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        self.skip = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            return;
        }
        if !closing {
            let class = attrs.class;
            let hidden = ["script", "style", "template"]
                .iter()
                .any(|n| n.eq_ignore_ascii_case(name))
                || attrs.aria_hidden
                || class.split_whitespace().any(|c| {
                    c == "footnote-back"
                        || (name.eq_ignore_ascii_case("sup") && c == "footnote-ref")
                });
            if hidden {
                if !void {
                    self.skip = Some((name.to_string(), 1));
                }
                return;
            }
            if is_heading(name)
                && self.in_heading.is_none()
                && let Some(id) = attrs.id
            {
                let mut anchor = String::new();
                push_text(&mut anchor, 0, id, true);
                self.anchors.push(anchor);
                self.close_piece();
                self.in_heading = Some(name.to_string());
                return;
            }
        } else if self
            .in_heading
            .as_deref()
            .is_some_and(|h| h.eq_ignore_ascii_case(name))
        {
            self.in_heading = None;
            self.close_piece();
            return;
        }
        if !inline(name) && self.buf.len() > self.from && !self.buf.ends_with(' ') {
            self.buf.push(' ');
        }
    }

    fn close_piece(&mut self) {
        self.pieces.push(self.buf.len());
        self.from = self.buf.len();
    }

    fn text(&mut self, t: &str, decode: bool) {
        if self.skip.is_none() {
            push_text(&mut self.buf, self.from, t, decode);
        }
    }

    fn finish(mut self) -> PlainText {
        self.pieces.push(self.buf.len());
        if self.in_heading.is_some() {
            self.pieces.push(self.buf.len()); // a heading never closed: no text under it
        }
        let (buf, pieces) = (&self.buf, &self.pieces);
        let mut start = 0;
        let mut piece = |end: usize| {
            let text = buf[start..end].trim_end().to_string();
            start = end;
            text
        };
        let intro = piece(pieces[0]);
        let sections = std::mem::take(&mut self.anchors)
            .into_iter()
            .enumerate()
            .map(|(k, anchor)| Section {
                title: piece(pieces[1 + 2 * k]),
                anchor,
                text: piece(pieces[2 + 2 * k]),
            })
            .collect();
        PlainText { intro, sections }
    }
}

/// Text as it reads: runs of whitespace (and control characters) as one space, no space at the
/// start of the piece that starts at `from`; character references decoded when `decode`.
fn push_text(out: &mut String, from: usize, text: &str, decode: bool) {
    let b = text.as_bytes();
    let mut space = out.len() == from || out.ends_with(' ');
    let mut start = 0;
    loop {
        let k = crate::scan::text_special(b, start, space);
        if k == b.len() {
            break;
        }
        out.push_str(&text[start..k]);
        if b[k] == b'&' {
            let decoded = decode.then(|| super::char_ref(&text[k..])).flatten();
            match decoded {
                Some((c, len)) => {
                    out.push(if c.is_control() { ' ' } else { c });
                    start = k + len;
                }
                None => {
                    out.push('&');
                    start = k + 1;
                }
            }
        } else {
            if !out.ends_with(' ') && out.len() != from {
                out.push(' ');
            }
            start = k + 1;
        }
        space = out.len() == from || out.ends_with(' ');
    }
    out.push_str(&text[start..]);
}

#[cfg(test)]
#[path = "plain_tests.rs"]
mod tests;
