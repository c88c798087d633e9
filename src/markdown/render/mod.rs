//! The renderer of one Markdown text: pulldown-cmark's events in, HTML with marks (see `html`)
//! out, and what the text holds: references resolved through a `Resolver`, names auto-linked,
//! paragraphs numbered, headings anchored, footnotes collected at the end, the cast and who
//! appears with whom, the links it makes, its ids and its plain text. References and people's
//! names are `refs`'s part.

mod ids;
mod refs;

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};

use super::html::{ID, LEVEL, RelHtml, finish_links, mark_raw};
use super::plain::PlainText;
use super::{
    Heading, LinkOut, Problem, RenderOptions, Rendered, Resolver, check_url, count_words,
    footnote_slug, is_internal,
};
use crate::util::escape;

struct Paragraph {
    index: usize,
    text: String,
    /// (entity, byte offset in `text`)
    mentions: Vec<(crate::markdown::Entity, usize)>,
}

/// A heading being read: its level, the author's id, its events, its text and where it is.
type OpenHeading<'a> = (
    HeadingLevel,
    Option<String>,
    Vec<Event<'a>>,
    String,
    Range<usize>,
);

pub(super) struct Renderer<'a> {
    /// The text being rendered (to locate what its events say).
    text: &'a str,
    resolver: &'a dyn Resolver,
    opts: RenderOptions<'a>,
    out: Vec<Event<'a>>,
    /// Events of a heading being collected (its id is known only at its end), with where it is.
    heading: Option<OpenHeading<'a>>,
    ids: ids::Ids,
    /// Kinds of the open links: true for our own `<a>` tags (closed with raw HTML).
    links: Vec<bool>,
    /// Inside a resolved `[[id]]` without pothole: its text events are replaced.
    skip_text: usize,
    code_block: usize,
    image: usize,
    footnote: Option<(String, Vec<Event<'a>>)>,
    footnotes: Vec<(String, Vec<Event<'a>>)>,
    footnote_numbers: HashMap<String, (usize, usize)>,
    paragraph: Option<Paragraph>,
    paragraphs: usize,
    /// The entities already linked (for `autolink = "first"`).
    linked: refs::Seen,
    /// The entities of `result.cast`, in its order.
    cast_at: refs::Seen,
    result: Rendered,
}

impl<'a> Renderer<'a> {
    pub(super) fn new(text: &'a str, resolver: &'a dyn Resolver, opts: RenderOptions<'a>) -> Self {
        Renderer {
            text,
            resolver,
            opts,
            out: Vec::new(),
            heading: None,
            ids: ids::Ids::new(text, opts.id_prefix),
            links: Vec::new(),
            skip_text: 0,
            code_block: 0,
            image: 0,
            footnote: None,
            footnotes: Vec::new(),
            footnote_numbers: HashMap::new(),
            paragraph: None,
            paragraphs: 0,
            linked: Default::default(),
            cast_at: Default::default(),
            result: Rendered::default(),
        }
    }

    /// Where finished events go: the open footnote, the open heading, or the document.
    fn emit(&mut self, e: Event<'a>) {
        if let Some((_, _, events, text, _)) = &mut self.heading {
            if let Event::Text(t) | Event::Code(t) = &e {
                text.push_str(t);
            }
            events.push(e);
        } else if let Some((_, events)) = &mut self.footnote {
            events.push(e);
        } else {
            self.out.push(e);
        }
    }

    fn html(&mut self, s: String) {
        self.emit(Event::InlineHtml(CowStr::from(s)));
    }

    pub(super) fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::FootnoteReference(name) => self.footnote_ref(&name),
            Event::SoftBreak | Event::HardBreak => {
                // A line break is a space in the paragraph's plain text (context sentences).
                if let Some(p) = &mut self.paragraph {
                    p.text.push(' ');
                }
                self.emit(event);
            }
            Event::Html(t) | Event::InlineHtml(t) if !self.opts.raw_html => self.text(t, range),
            Event::Html(t) => {
                self.raw_html(&t, range);
                self.emit(Event::Html(CowStr::from(mark_raw(&t))));
            }
            Event::InlineHtml(t) => {
                self.raw_html(&t, range);
                self.emit(Event::InlineHtml(CowStr::from(mark_raw(&t))));
            }
            Event::Text(t) => self.text(t, range),
            Event::Code(t) => {
                self.words(&t);
                if let Some(p) = &mut self.paragraph {
                    p.text.push_str(&t);
                }
                self.emit(Event::Code(t));
            }
            other => self.emit(other),
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        match tag {
            Tag::Heading { level, id, .. } => {
                self.heading = Some((
                    level,
                    id.map(|s| s.to_string()),
                    Vec::new(),
                    String::new(),
                    range,
                ));
            }
            Tag::Paragraph => self.start_paragraph(),
            Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            } => {
                self.wikilink(&dest_url, has_pothole, range);
            }
            link @ Tag::Link { .. } => self.start_link(link, range),
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                match check_url(&dest_url) {
                    Err(p) => self.problem(range, p),
                    Ok(()) => self.link_out(&dest_url, range),
                }
                self.image += 1;
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Tag::CodeBlock(k) => {
                self.code_block += 1;
                self.emit(Event::Start(Tag::CodeBlock(k)));
            }
            Tag::FootnoteDefinition(name) => {
                if !self.ids.define(&name) {
                    let help = "give each note its own label, or remove one of the two".to_string();
                    self.problem(
                        range,
                        Problem::new(format!("the note [^{name}] is defined twice"), Some(help)),
                    );
                }
                self.footnote = Some((name.to_string(), Vec::new()));
            }
            other => self.emit(Event::Start(other)),
        }
    }

    /// A paragraph: numbered, with its id, its text kept for the sentences around mentions.
    fn start_paragraph(&mut self) {
        let index = self.paragraphs;
        self.paragraphs += 1;
        self.paragraph = Some(Paragraph {
            index,
            text: String::new(),
            mentions: Vec::new(),
        });
        self.result
            .ids
            .push(format!("{}p-{}", self.opts.id_prefix, index + 1));
        self.html(format!(
            "<p id=\"{ID}{}p-{}\">",
            escape::html(self.opts.id_prefix),
            index + 1
        ));
    }

    /// A Markdown link (not a `[[reference]]`): checked, recorded when it is to the site, and
    /// written as a broken-link span when its URL is refused.
    fn start_link(&mut self, link: Tag<'a>, range: Range<usize>) {
        let Tag::Link { dest_url, .. } = &link else {
            return;
        };
        if let Err(p) = check_url(dest_url) {
            self.problem(range, p);
            self.links.push(true);
            self.html("<span class=\"broken-link\">".into());
        } else {
            self.link_out(dest_url, range);
            self.links.push(false);
            self.emit(Event::Start(link));
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::Paragraph => {
                self.html("</p>\n".into());
                self.end_paragraph();
            }
            TagEnd::Link => {
                if self.skip_text > 0 {
                    self.skip_text -= 1;
                }
                match self.links.pop() {
                    Some(true) => {
                        let close = if self.out_is_broken_span() {
                            "</span>"
                        } else {
                            "</a>"
                        };
                        self.html(close.into());
                    }
                    _ => self.emit(Event::End(TagEnd::Link)),
                }
            }
            TagEnd::Image => {
                self.image -= 1;
                self.emit(Event::End(TagEnd::Image));
            }
            TagEnd::CodeBlock => {
                self.code_block -= 1;
                self.emit(Event::End(TagEnd::CodeBlock));
            }
            TagEnd::FootnoteDefinition => {
                if let Some(f) = self.footnote.take() {
                    self.footnotes.push(f);
                }
            }
            other => self.emit(Event::End(other)),
        }
    }

    fn out_is_broken_span(&self) -> bool {
        // Our own links are `<a>`; broken ones were opened as `<span class="broken-link">`.
        let events = match (&self.heading, &self.footnote) {
            (Some((_, _, e, _, _)), _) => e,
            (None, Some((_, e))) => e,
            _ => &self.out,
        };
        for e in events.iter().rev() {
            if let Event::InlineHtml(h) = e {
                if h.starts_with("<span class=\"broken-link\">") {
                    return true;
                }
                if h.starts_with("<a ") {
                    return false;
                }
            }
        }
        false
    }

    /// Record a link to `url`, written at `range` of the text, when it is one to the site.
    fn link_out(&mut self, url: &str, range: Range<usize>) {
        if !is_internal(url) {
            return;
        }
        // Point at the URL itself when it is written there (not in a reference definition).
        let written = &self.text[range.clone()];
        let range = match written.rfind(url) {
            Some(k) => range.start + k..range.start + k + url.len(),
            None => range,
        };
        self.result.links.push(LinkOut {
            url: url.to_string(),
            range,
        });
    }

    /// What raw HTML in a chapter links to and which ids it gives (read with the one tokenizer).
    fn raw_html(&mut self, html: &str, range: Range<usize>) {
        let verbatim = self.text[range.clone()].starts_with(html);
        for (token, _) in crate::util::html::tokens(html) {
            let crate::util::html::Token::Tag(tag) = token else {
                continue;
            };
            for a in tag.attrs() {
                if a.name.eq_ignore_ascii_case("id") && !a.value.is_empty() {
                    self.result.ids.push(a.value.to_string());
                } else if crate::util::html::is_url_attr(a.name) && is_internal(a.value) {
                    let at = if verbatim {
                        range.start + a.range.start..range.start + a.range.end
                    } else {
                        range.clone()
                    };
                    self.result.links.push(LinkOut {
                        url: a.value.to_string(),
                        range: at,
                    });
                }
            }
        }
    }

    fn problem(&mut self, range: Range<usize>, mut p: Problem) {
        p.range = range;
        self.result.problems.push(p);
    }

    fn words(&mut self, t: &str) {
        self.result.words += count_words(t);
    }

    fn end_heading(&mut self) {
        let Some((level, explicit, events, text, range)) = self.heading.take() else {
            return;
        };
        let id = match self.ids.heading(explicit.as_deref(), &text) {
            Ok(id) => id,
            Err((id, why)) => {
                let help =
                    "give the heading another id: ids must be unique on the page".to_string();
                self.problem(range, Problem::new(why, Some(help)));
                id
            }
        };
        let lvl = level as u8;
        self.result.ids.push(id.clone());
        if lvl <= 3 {
            self.result.toc.push(Heading {
                level: lvl,
                id: id.clone(),
                text: text.trim().to_string(),
            });
        }
        let id_attr = escape::html(&id);
        self.html(format!("<h{LEVEL}{lvl} id=\"{ID}{id_attr}\">"));
        for e in events {
            self.emit(e);
        }
        self.html(format!(
            " <a class=\"anchor\" href=\"#{ID}{id_attr}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{LEVEL}{lvl}>\n"
        ));
    }

    fn footnote_ref(&mut self, name: &str) {
        let next = self.footnote_numbers.len() + 1;
        let entry = self
            .footnote_numbers
            .entry(ids::note_key(name))
            .or_insert((next, 0));
        entry.1 += 1;
        let (n, uses) = *entry;
        let slug = self.ids.note(name);
        let p = escape::html(self.opts.id_prefix);
        let own = if uses == 1 {
            format!("fnref-{slug}")
        } else {
            format!("fnref-{slug}-{uses}")
        };
        let ref_id = format!("{p}{own}");
        self.result
            .ids
            .push(format!("{}{own}", self.opts.id_prefix));
        self.html(format!(
            "<sup class=\"footnote-ref\"><a id=\"{ID}{ref_id}\" href=\"#{ID}{p}fn-{slug}\" aria-label=\"Note {n}\">{n}</a></sup>"
        ));
    }

    pub(super) fn finish(mut self) -> Rendered {
        self.notes();
        let events = finish_links(std::mem::take(&mut self.out));
        self.result.text = PlainText::of(&events);
        let mut html = String::with_capacity(events.len() * 32);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        self.result.html = RelHtml::new(html);
        self.result
    }

    /// The footnotes, in the order they are first referenced, at the end.
    fn notes(&mut self) {
        if self.footnotes.is_empty() {
            return;
        }
        let mut notes = std::mem::take(&mut self.footnotes);
        let order = |name: &str| {
            self.footnote_numbers
                .get(&ids::note_key(name))
                .map_or(usize::MAX, |x| x.0)
        };
        notes.sort_by_key(|(name, _)| order(name));
        let p = escape::html(self.opts.id_prefix);
        self.result
            .ids
            .push(format!("{}footnotes", self.opts.id_prefix));
        self.out.push(Event::Html(CowStr::from(format!(
            "<section class=\"footnotes\" aria-labelledby=\"{ID}{p}footnotes\">\n<h{LEVEL}2 id=\"{ID}{p}footnotes\">Notes</h{LEVEL}2>\n<ol>\n"
        ))));
        for (name, events) in notes {
            let slug = self.ids.note(&name);
            self.result
                .ids
                .push(format!("{}fn-{slug}", self.opts.id_prefix));
            self.out.push(Event::Html(CowStr::from(format!(
                "<li id=\"{ID}{p}fn-{slug}\">"
            ))));
            self.out.extend(events);
            if self.footnote_numbers.contains_key(&ids::note_key(&name)) {
                self.out.push(Event::Html(CowStr::from(format!(
                    "<a class=\"footnote-back\" href=\"#{ID}{p}fnref-{slug}\" aria-label=\"Back to the text\">↩</a>"
                ))));
            }
            self.out.push(Event::Html(CowStr::from("</li>\n")));
        }
        self.out
            .push(Event::Html(CowStr::from("</ol>\n</section>\n")));
    }
}
