//! The one place that configures pulldown-cmark and turns Markdown into HTML.
//! It resolves `[[references]]` through a `Resolver` it is handed, auto-links people's names
//! with one Aho-Corasick automaton, numbers paragraphs, anchors headings and collects footnotes,
//! mentions and the table of contents. Pure functions: no files, no templates, no site model.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use pulldown_cmark::utils::TextMergeWithOffset;
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::config::Autolink;
use crate::util::slug::slugify;

/// Where in rendered HTML the path back to the site root goes. Pages at different depths
/// replace it with `""`, `"../"` or `"../../"`, so every internal link stays relative and the
/// site works under any base path. (NUL cannot survive in rendered Markdown: see `clean`.)
pub const ROOT: char = '\0';

/// HTML whose internal links are relative to a root marker; see [`ROOT`]. Shared, not copied,
/// when cloned (serve's cache hands the same chapter to every rebuild), with a 128-bit XXH3 of
/// its text, made the first time it is hashed, which stands for the text where it is hashed.
#[derive(Debug, Clone, Default)]
pub struct RelHtml {
    html: std::sync::Arc<str>,
    key: std::sync::OnceLock<u128>,
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
            key: std::sync::OnceLock::new(),
        }
    }

    fn key(&self) -> u128 {
        *self
            .key
            .get_or_init(|| xxhash_rust::xxh3::xxh3_128(self.html.as_bytes()))
    }

    /// The HTML as seen from a page whose path back to the root is `root` (`"../../"`).
    pub fn at(&self, root: &str) -> String {
        let html = self.html.as_bytes();
        let mut out = String::with_capacity(html.len() + html.len() / 16);
        let mut done = 0;
        for k in memchr::memchr_iter(ROOT as u8, html) {
            out.push_str(&self.html[done..k]);
            out.push_str(root);
            done = k + 1;
        }
        out.push_str(&self.html[done..]);
        out
    }

    pub fn raw(&self) -> &str {
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
/// key and the root for the fingerprints of serve's cache (`cache::hash_serialized`).
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

/// The pulldown-cmark features Dossier's Markdown has.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// The kinds of `[[reference]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Person,
    Event,
    Chapter,
    Source,
}

/// A resolved link: its site-relative URL, default text and, for people, whose it is.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: String,
    pub text: String,
    pub class: &'static str,
    pub person: Option<usize>,
    /// For `[[chapter:slug#anchor]]`: the chapter and anchor, checked once every chapter's
    /// headings are known.
    pub anchor: Option<(usize, String)>,
}

/// Answers references; implemented by `link` over the site's indices.
pub trait Resolver: Sync {
    fn resolve(&self, kind: RefKind, id: &str, anchor: Option<&str>) -> Result<Target, Problem>;
    fn person(&self, index: usize) -> Target;
}

/// Something wrong in the Markdown, at a byte range of the text given to [`render`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub range: Range<usize>,
    pub message: String,
    pub help: Option<String>,
    /// A reference to something that failed to load: already reported where it failed.
    pub silent: bool,
}

impl Problem {
    pub fn new(message: impl Into<String>, help: Option<String>) -> Problem {
        Problem {
            range: 0..0,
            message: message.into(),
            help,
            silent: false,
        }
    }

    /// A reference to something that failed to load (see [`Problem::silent`]).
    pub fn silent() -> Problem {
        Problem {
            silent: true,
            ..Problem::new("it failed to load", None)
        }
    }
}

/// The character reference at the start of `s` (which starts with `&`): its character and its
/// length in bytes. Numeric references and the named ones HTML written by Dossier and its
/// templates uses (`amp`, `lt`, `gt`, `quot`, `apos`, `nbsp`); `None` for anything else.
pub fn char_ref(s: &str) -> Option<(char, usize)> {
    let semi = s.bytes().skip(1).take(11).position(|c| c == b';')? + 1;
    let c = match &s[1..semi] {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        name => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, semi + 1))
}

/// How many words `t` has: `t.split_whitespace().count()`. ASCII is taken eight bytes at a
/// time (the chapters' text is mostly ASCII) with one bit per byte for "is a space"
/// ([`crate::scan::ascii_spaces`]); anything else a character at a time.
fn count_words(t: &str) -> usize {
    let bytes = t.as_bytes();
    let mut n = 0;
    // Whether the text so far ends in a space (or nothing).
    let mut space = true;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8)
            && let Some(bits) = crate::scan::ascii_spaces(u64::from_le_bytes(
                chunk.try_into().expect("eight bytes"),
            ))
        {
            // A word starts at each non-space whose previous byte is a space.
            let before = (bits << 1) | u32::from(space);
            n += (!bits & before & 0xff).count_ones() as usize;
            space = bits & 0x80 != 0;
            i += 8;
            continue;
        }
        let c = t[i..].chars().next().expect("a char starts here");
        let s = c.is_whitespace();
        n += usize::from(space & !s);
        space = s;
        i += c.len_utf8();
    }
    n
}

/// All people's names and aliases in one automaton (leftmost-longest, so "Naftali Bennett"
/// wins over "Bennett"), run only where a name can start: at the start of a word, on a byte
/// that starts some name.
pub struct NameMatcher {
    ac: AhoCorasick,
    owners: Vec<usize>,
    /// The bytes names start with.
    first: [bool; 256],
}

impl NameMatcher {
    /// `names`: (name, person index). Names claimed by two different people are left out, as
    /// a link to either would be a guess; they are returned so the caller can say so.
    pub fn new(names: &[(String, usize)]) -> (NameMatcher, Vec<String>) {
        let mut owner: HashMap<String, Option<usize>> = HashMap::new();
        for (name, who) in names {
            for variant in [name.replace('\'', "’"), name.replace('’', "'")] {
                if variant.trim().is_empty() {
                    continue;
                }
                let e = owner.entry(variant).or_insert(Some(*who));
                if *e != Some(*who) {
                    *e = None;
                }
            }
        }
        let mut ambiguous: Vec<String> = owner
            .iter()
            .filter(|(_, o)| o.is_none())
            .map(|(n, _)| n.clone())
            .collect();
        ambiguous.sort();
        let mut pairs: Vec<(String, usize)> = owner
            .into_iter()
            .filter_map(|(n, o)| o.map(|o| (n, o)))
            .collect();
        pairs.sort();
        let mut first = [false; 256];
        for (n, _) in &pairs {
            first[n.as_bytes()[0] as usize] = true;
        }
        // A DFA, searched anchored at each place a name can start: more memory than the
        // default NFA, but the fastest to search, and every chapter's text goes through it.
        let ac = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(aho_corasick::StartKind::Anchored)
            .build(pairs.iter().map(|(n, _)| n.as_str()))
            .expect("names build an automaton");
        (
            NameMatcher {
                ac,
                owners: pairs.into_iter().map(|(_, o)| o).collect(),
                first,
            },
            ambiguous,
        )
    }

    /// Whole-word matches in `text`, left to right, not overlapping: (byte range, person). At
    /// each start of a word, the longest name found there that also ends a word.
    fn find<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (Range<usize>, usize)> + 'a {
        let b = text.as_bytes();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let mut i = 0;
        std::iter::from_fn(move || {
            while i < b.len() {
                let at = i;
                i += 1;
                if !self.first[b[at] as usize] || word(text[..at].chars().next_back()) {
                    continue;
                }
                let input = aho_corasick::Input::new(text)
                    .span(at..text.len())
                    .anchored(aho_corasick::Anchored::Yes);
                let Some(m) = self.ac.find(input) else {
                    continue;
                };
                if word(text[m.end()..].chars().next()) {
                    continue;
                }
                i = m.end();
                return Some((m.range(), self.owners[m.pattern().as_usize()]));
            }
            None
        })
    }
}

/// How to render one Markdown text.
#[derive(Clone, Copy)]
pub struct RenderOptions<'a> {
    pub autolink: Autolink,
    /// Names to find (for auto-links and mentions); `None` for no name matching.
    pub names: Option<&'a NameMatcher>,
    /// Prefix for paragraph and footnote ids, so fragments can share a page.
    pub id_prefix: &'a str,
    /// Let raw HTML through (chapters, written by the editors like templates are). When false
    /// (Markdown from TOML values: bios, event summaries), raw HTML is shown as escaped text.
    pub raw_html: bool,
}

/// A heading of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A person the text names: where first, and how often. Later mentions are only counted (a
/// chapter with hundreds of mentions kept a record, and a sentence, for each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub person: usize,
    /// The id of the paragraph of the first mention, when it is in one.
    pub paragraph: Option<String>,
    /// The sentence around the first mention (empty outside a paragraph).
    pub sentence: String,
    /// How many times the text names them.
    pub count: usize,
}

/// The outcome of rendering one Markdown text.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: RelHtml,
    pub toc: Vec<Heading>,
    /// Each person named, in order of first mention (headings are not counted).
    pub cast: Vec<Named>,
    /// Each pair of people named in the same paragraph, once per paragraph, in document order:
    /// `(a, b)` with `a < b`.
    pub pairs: Vec<(usize, usize)>,
    /// `[[chapter:x#anchor]]` references to check: (chapter, anchor, range in the text).
    pub anchors: Vec<(usize, String, Range<usize>)>,
    pub words: usize,
    pub problems: Vec<Problem>,
    /// The internal links and images the text makes (their URLs as written: relative ones are
    /// relative to the page the text is on), for the link check.
    pub links: Vec<LinkOut>,
    /// Every id the text's HTML gives an element.
    pub ids: Vec<String>,
}

/// A link or image a text makes to a page or file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkOut {
    pub url: String,
    /// Where the URL is written, in the text.
    pub range: Range<usize>,
}

impl Rendered {
    /// The ids a `[[chapter:x#id]]` may point at: the headings', and `footnotes`.
    pub fn section_ids(&self) -> impl Iterator<Item = &str> {
        let notes = self.ids.iter().any(|i| i == "footnotes");
        self.toc
            .iter()
            .map(|h| h.id.as_str())
            .chain(notes.then_some("footnotes"))
    }
}

/// Replace NUL (which would collide with [`ROOT`]) with a space; byte offsets are unchanged.
fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\0') {
        std::borrow::Cow::Owned(text.replace('\0', " "))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Render Markdown to HTML, resolving references through `resolver`.
pub fn render(text: &str, resolver: &dyn Resolver, opts: RenderOptions<'_>) -> Rendered {
    let text = clean(text);
    let parser = Parser::new_ext(&text, options()).into_offset_iter();
    let mut r = Renderer::new(&text, resolver, opts);
    for (event, range) in TextMergeWithOffset::new(parser) {
        r.event(event, range);
    }
    r.finish()
}

struct Paragraph {
    index: usize,
    text: String,
    /// (person, byte offset in `text`)
    mentions: Vec<(usize, usize)>,
}

struct Renderer<'a> {
    /// The text being rendered (to locate what its events say).
    text: &'a str,
    resolver: &'a dyn Resolver,
    opts: RenderOptions<'a>,
    out: Vec<Event<'a>>,
    /// Events of a heading being collected (its id is known only at its end).
    heading: Option<(HeadingLevel, Option<String>, Vec<Event<'a>>, String)>,
    heading_ids: HashMap<String, usize>,
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
    linked: Vec<usize>,
    result: Rendered,
}

impl<'a> Renderer<'a> {
    fn new(text: &'a str, resolver: &'a dyn Resolver, opts: RenderOptions<'a>) -> Self {
        Renderer {
            text,
            resolver,
            opts,
            out: Vec::new(),
            heading: None,
            heading_ids: HashMap::new(),
            links: Vec::new(),
            skip_text: 0,
            code_block: 0,
            image: 0,
            footnote: None,
            footnotes: Vec::new(),
            footnote_numbers: HashMap::new(),
            paragraph: None,
            paragraphs: 0,
            linked: Vec::new(),
            result: Rendered::default(),
        }
    }

    /// Where finished events go: the open footnote, the open heading, or the document.
    fn emit(&mut self, e: Event<'a>) {
        if let Some((_, _, events, text)) = &mut self.heading {
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

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading = Some((level, id.map(|s| s.to_string()), Vec::new(), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::Paragraph) => {
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
                    "<p id=\"{}p-{}\">",
                    attr(self.opts.id_prefix),
                    index + 1
                ));
            }
            Event::End(TagEnd::Paragraph) => {
                self.html("</p>\n".into());
                self.end_paragraph();
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => {
                self.wikilink(&dest_url, has_pothole, range);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if let Err(p) = check_url(&dest_url) {
                    self.problem(range, p);
                    self.links.push(true);
                    self.html("<span class=\"broken-link\">".into());
                } else {
                    self.link_out(&dest_url, range);
                    self.links.push(false);
                    self.emit(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
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
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
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
            Event::End(TagEnd::Image) => {
                self.image -= 1;
                self.emit(Event::End(TagEnd::Image));
            }
            Event::Start(Tag::CodeBlock(k)) => {
                self.code_block += 1;
                self.emit(Event::Start(Tag::CodeBlock(k)));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_block -= 1;
                self.emit(Event::End(TagEnd::CodeBlock));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                self.footnote = Some((name.to_string(), Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(f) = self.footnote.take() {
                    self.footnotes.push(f);
                }
            }
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
                self.emit(Event::Html(t));
            }
            Event::InlineHtml(t) => {
                self.raw_html(&t, range);
                self.emit(Event::InlineHtml(t));
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

    fn out_is_broken_span(&self) -> bool {
        // Our own links are `<a>`; broken ones were opened as `<span class="broken-link">`.
        let events = match (&self.heading, &self.footnote) {
            (Some((_, _, e, _)), _) => e,
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

    fn wikilink(&mut self, dest: &str, has_pothole: bool, range: Range<usize>) {
        let (kind, rest) = match dest.split_once(':') {
            Some(("event", r)) => (RefKind::Event, r),
            Some(("chapter", r)) => (RefKind::Chapter, r),
            Some(("source", r)) => (RefKind::Source, r),
            Some(("person", r)) => (RefKind::Person, r),
            Some((other, _)) => {
                let help = crate::diagnostics::suggest(
                    other,
                    ["event", "chapter", "source", "person"],
                )
                .unwrap_or_else(|| {
                    "references are [[person-id]], [[event:id]], [[chapter:slug]] or [[source:id]]"
                        .into()
                });
                self.problem(
                    range,
                    Problem::new(
                        format!("unknown reference kind \"{other}\" in [[{dest}]]"),
                        Some(help),
                    ),
                );
                self.links.push(true);
                self.html("<span class=\"broken-link\">".into());
                return;
            }
            None => (RefKind::Person, dest),
        };
        let rest = rest.trim();
        let (id, anchor) = match rest.split_once('#') {
            Some((id, a)) => (id, Some(a)),
            None => (rest, None),
        };
        match self.resolver.resolve(kind, id, anchor) {
            Ok(t) => {
                if let Some((chapter, a)) = &t.anchor {
                    self.result
                        .anchors
                        .push((*chapter, a.clone(), range.clone()));
                }
                if let Some(p) = t.person {
                    self.mention(p, 0);
                    self.linked.push(p);
                }
                self.links.push(true);
                self.html(format!(
                    "<a class=\"{}\" href=\"{ROOT}{}\">",
                    t.class,
                    attr(&t.url)
                ));
                if !has_pothole {
                    self.skip_text += 1;
                    self.plain_text(&t.text);
                    let escaped = text_html(&t.text);
                    self.html(escaped);
                }
            }
            Err(p) => {
                self.problem(range, p);
                self.links.push(true);
                self.html("<span class=\"broken-link\">".into());
            }
        }
    }

    /// Record a mention of `person` at `offset` bytes past the current end of the paragraph.
    fn mention(&mut self, person: usize, offset: usize) {
        match &mut self.paragraph {
            Some(p) => p.mentions.push((person, p.text.len() + offset)),
            None if self.heading.is_none() => {
                self.named(person, || (None, String::new()));
            }
            None => {}
        }
    }

    /// Count a mention of `person`; the first makes their entry in the cast, with `first()`'s
    /// paragraph id and sentence.
    fn named(&mut self, person: usize, first: impl FnOnce() -> (Option<String>, String)) {
        match self.result.cast.iter_mut().find(|n| n.person == person) {
            Some(n) => n.count += 1,
            None => {
                let (paragraph, sentence) = first();
                self.result.cast.push(Named {
                    person,
                    paragraph,
                    sentence,
                    count: 1,
                });
            }
        }
    }

    fn plain_text(&mut self, t: &str) {
        self.words(t);
        if let Some(p) = &mut self.paragraph {
            p.text.push_str(t);
        }
    }

    fn text(&mut self, t: CowStr<'a>, _range: Range<usize>) {
        if self.skip_text > 0 {
            return;
        }
        let linkable = self.heading.is_none()
            && self.links.is_empty()
            && self.code_block == 0
            && self.image == 0;
        let Some(names) = self.opts.names.filter(|_| linkable) else {
            if self.code_block == 0 {
                self.plain_text(&t);
            }
            self.emit(Event::Text(t));
            return;
        };
        let matches: Vec<(Range<usize>, usize)> = names.find(&t).collect();
        if matches.is_empty() {
            self.plain_text(&t);
            self.emit(Event::Text(t));
            return;
        }
        let mut last = 0;
        let mut pieces: Vec<Event<'a>> = Vec::new();
        for (m, person) in matches {
            self.mention(person, m.start);
            let link = match self.opts.autolink {
                Autolink::Off => false,
                Autolink::All => true,
                Autolink::First => !self.linked.contains(&person),
            };
            if !link {
                continue;
            }
            self.linked.push(person);
            let target = self.resolver.person(person);
            if m.start > last {
                pieces.push(Event::Text(CowStr::from(t[last..m.start].to_string())));
            }
            pieces.push(Event::InlineHtml(CowStr::from(format!(
                "<a class=\"{}\" href=\"{ROOT}{}\">{}</a>",
                target.class,
                attr(&target.url),
                text_html(&t[m.clone()])
            ))));
            last = m.end;
        }
        self.plain_text(&t);
        if last == 0 {
            self.emit(Event::Text(t));
            return;
        }
        if last < t.len() {
            pieces.push(Event::Text(CowStr::from(t[last..].to_string())));
        }
        for p in pieces {
            self.emit(p);
        }
    }

    fn end_paragraph(&mut self) {
        let Some(p) = self.paragraph.take() else {
            return;
        };
        if p.mentions.is_empty() {
            return;
        }
        let mut here: Vec<usize> = Vec::new();
        for &(person, offset) in &p.mentions {
            let prefix = self.opts.id_prefix;
            self.named(person, || {
                (
                    Some(format!("{prefix}p-{}", p.index + 1)),
                    sentence_at(&p.text, offset),
                )
            });
            if !here.contains(&person) {
                here.push(person);
            }
        }
        add_pairs(&here, &mut self.result.pairs);
    }

    fn end_heading(&mut self) {
        let Some((level, explicit, events, text)) = self.heading.take() else {
            return;
        };
        let base = match explicit {
            Some(id) if !id.trim().is_empty() => id.trim().to_string(),
            _ => {
                let s = slugify(&text);
                if s.is_empty() {
                    "section".to_string()
                } else {
                    s
                }
            }
        };
        let n = self.heading_ids.entry(base.clone()).or_insert(0);
        *n += 1;
        let id = if *n == 1 {
            base
        } else {
            format!("{base}-{}", *n - 1)
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
        let id_attr = attr(&id);
        self.html(format!("<h{lvl} id=\"{id_attr}\">"));
        for e in events {
            self.emit(e);
        }
        self.html(format!(
            " <a class=\"anchor\" href=\"#{id_attr}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{lvl}>\n"
        ));
    }

    fn footnote_ref(&mut self, name: &str) {
        let next = self.footnote_numbers.len() + 1;
        let entry = self
            .footnote_numbers
            .entry(name.to_string())
            .or_insert((next, 0));
        entry.1 += 1;
        let (n, uses) = *entry;
        let slug = footnote_slug(name);
        let p = attr(self.opts.id_prefix);
        let ref_id = if uses == 1 {
            format!("{p}fnref-{slug}")
        } else {
            format!("{p}fnref-{slug}-{uses}")
        };
        let own = if uses == 1 {
            format!("fnref-{slug}")
        } else {
            format!("fnref-{slug}-{uses}")
        };
        self.result
            .ids
            .push(format!("{}{own}", self.opts.id_prefix));
        self.html(format!(
            "<sup class=\"footnote-ref\"><a id=\"{ref_id}\" href=\"#{p}fn-{slug}\" aria-label=\"Note {n}\">{n}</a></sup>"
        ));
    }

    fn finish(mut self) -> Rendered {
        if !self.footnotes.is_empty() {
            let mut notes = std::mem::take(&mut self.footnotes);
            let order = |name: &str| self.footnote_numbers.get(name).map_or(usize::MAX, |x| x.0);
            notes.sort_by_key(|(name, _)| order(name));
            let p = attr(self.opts.id_prefix);
            self.result
                .ids
                .push(format!("{}footnotes", self.opts.id_prefix));
            self.out.push(Event::Html(CowStr::from(format!(
                "<section class=\"footnotes\" aria-labelledby=\"{p}footnotes\">\n<h2 id=\"{p}footnotes\">Notes</h2>\n<ol>\n"
            ))));
            for (name, events) in notes {
                let slug = footnote_slug(&name);
                self.result
                    .ids
                    .push(format!("{}fn-{slug}", self.opts.id_prefix));
                self.out.push(Event::Html(CowStr::from(format!(
                    "<li id=\"{p}fn-{slug}\">"
                ))));
                self.out.extend(events);
                if self.footnote_numbers.contains_key(&name) {
                    self.out.push(Event::Html(CowStr::from(format!(
                        "<a class=\"footnote-back\" href=\"#{p}fnref-{slug}\" aria-label=\"Back to the text\">↩</a>"
                    ))));
                }
                self.out.push(Event::Html(CowStr::from("</li>\n")));
            }
            self.out
                .push(Event::Html(CowStr::from("</ol>\n</section>\n")));
        }
        let mut html = String::with_capacity(self.out.len() * 32);
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        self.result.html = RelHtml::new(html);
        self.result
    }
}

/// Each pair of different people in `list`, as `(a, b)` with `a < b`, added to `pairs`.
pub fn add_pairs(list: &[usize], pairs: &mut Vec<(usize, usize)>) {
    for (i, &a) in list.iter().enumerate() {
        for &b in &list[i + 1..] {
            if a != b {
                pairs.push((a.min(b), a.max(b)));
            }
        }
    }
}

fn footnote_slug(name: &str) -> String {
    let s = slugify(name);
    if s.is_empty() {
        format!("n{}", name.len())
    } else {
        s
    }
}

/// Only web and relative URLs may be linked: no `javascript:`, `data:` or other schemes.
pub fn check_url(url: &str) -> Result<(), Problem> {
    if is_safe_url(url) {
        Ok(())
    } else {
        Err(Problem::new(
            format!(
                "unsafe link \"{}\"",
                url.chars().take(60).collect::<String>().escape_debug()
            ),
            Some("links may use http:, https:, mailto: or a relative path".into()),
        ))
    }
}

/// Does `url` lead into the site (a relative or root-relative URL, or a `#fragment`)? Not a
/// URL with a scheme (`https:`, `mailto:`), nor one to another host (`//host/`).
pub fn is_internal(url: &str) -> bool {
    let u = url.trim();
    if u.starts_with("//") {
        return false;
    }
    match u.find([':', '/', '?', '#']) {
        Some(i) if u[i..].starts_with(':') => false,
        _ => true,
    }
}

/// True for http(s), mailto and relative URLs.
pub fn is_safe_url(url: &str) -> bool {
    let u = url.trim_start_matches(|c: char| c.is_whitespace() || c.is_control());
    let scheme_end = u.find(|c: char| c == ':' || c == '/' || c == '?' || c == '#');
    match scheme_end {
        Some(i) if u[i..].starts_with(':') => {
            let scheme = u[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// The sentence around byte `offset` of a paragraph's plain text.
fn sentence_at(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let is_end = |b: &[u8], i: usize| {
        matches!(b[i], b'.' | b'!' | b'?')
            && b.get(i + 1)
                .is_none_or(|c| c.is_ascii_whitespace() || *c == b'"' || *c == 0xE2)
            && !(i >= 2 && &b[i - 2..i] == b"Mr"
                || i >= 1
                    && b[i - 1].is_ascii_uppercase()
                    && (i < 2 || !b[i - 2].is_ascii_alphabetic()))
    };
    let b = text.as_bytes();
    let start = memchr::memrchr3_iter(b'.', b'!', b'?', &b[..offset])
        .find(|&i| is_end(b, i))
        .map_or(0, |i| i + 1);
    let end = memchr::memchr3_iter(b'.', b'!', b'?', &b[offset..])
        .map(|k| offset + k)
        .find(|&i| is_end(b, i))
        .map_or(b.len(), |i| i + 1);
    let s = text[start..end].trim();
    // Skip a closing quotation mark left at the start by the split.
    let s = s.trim_start_matches(['”', '’', '"']).trim();
    if s.len() > 320 && s.chars().count() > 320 {
        let cut: String = s.chars().take(300).collect();
        format!("{}…", cut.trim_end())
    } else {
        s.to_string()
    }
}

/// Escape text for an HTML attribute value.
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escape text for HTML element content.
pub fn text_html(s: &str) -> String {
    let mut out = String::new();
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut out, s);
    out
}

/// Plain text of a Markdown snippet (for descriptions and JSON-LD).
pub fn plain(md: &str) -> String {
    let mut out = String::new();
    for e in Parser::new_ext(md, options()) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
    }
    let mut s = out.split_whitespace().collect::<Vec<_>>().join(" ");
    // `[[id]]` shows as its id in plain text; keep it readable.
    s = s.replace("[[", "").replace("]]", "");
    let _ = write!(String::new(), "");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    struct People;
    const NAMES: [&str; 3] = ["John Kerry", "Naftali Bennett", "Bennett"];
    const IDS: [&str; 3] = ["john-kerry", "naftali-bennett", "naftali-bennett"];

    impl Resolver for People {
        fn resolve(
            &self,
            kind: RefKind,
            id: &str,
            anchor: Option<&str>,
        ) -> Result<Target, Problem> {
            match (kind, id) {
                (RefKind::Person, "john-kerry") => Ok(self.person(0)),
                (RefKind::Chapter, "rome") => Ok(Target {
                    url: format!(
                        "chapters/rome/{}",
                        anchor.map(|a| format!("#{a}")).unwrap_or_default()
                    ),
                    text: "Rome".into(),
                    class: "ref-chapter",
                    person: None,
                    anchor: anchor.map(|a| (0, a.to_string())),
                }),
                _ => Err(Problem::new(format!("unknown {kind:?} \"{id}\""), None)),
            }
        }
        fn person(&self, index: usize) -> Target {
            let id = if index == 0 {
                "john-kerry"
            } else {
                "naftali-bennett"
            };
            Target {
                url: format!("people/{id}/"),
                text: NAMES[index].into(),
                class: "ref-person",
                person: Some(index),
                anchor: None,
            }
        }
    }

    fn matcher() -> NameMatcher {
        let names: Vec<(String, usize)> = NAMES
            .iter()
            .zip(IDS)
            .map(|(n, id)| (n.to_string(), usize::from(id != "john-kerry")))
            .collect();
        NameMatcher::new(&names).0
    }

    fn html(md: &str, mode: Autolink) -> Rendered {
        let m = matcher();
        render(
            md,
            &People,
            RenderOptions {
                autolink: mode,
                names: Some(&m),
                id_prefix: "",
                raw_html: true,
            },
        )
    }

    #[test]
    fn references_resolve_with_relative_root() {
        let r = html(
            "See [[john-kerry]] and [[john-kerry|the secretary]].",
            Autolink::Off,
        );
        assert_eq!(
            r.html.at("../../"),
            "<p id=\"p-1\">See <a class=\"ref-person\" href=\"../../people/john-kerry/\">John Kerry</a> and <a class=\"ref-person\" href=\"../../people/john-kerry/\">the secretary</a>.</p>\n"
        );
        assert!(r.problems.is_empty());
    }

    #[test]
    fn unknown_reference_is_a_located_problem() {
        let md = "Hello [[jon-kerry]] there.";
        let r = html(md, Autolink::Off);
        assert_eq!(r.problems.len(), 1);
        assert_eq!(&md[r.problems[0].range.clone()], "[[jon-kerry]]");
        assert!(
            r.html
                .raw()
                .contains("<span class=\"broken-link\">jon-kerry</span>")
        );
    }

    #[test]
    fn character_references() {
        assert_eq!(char_ref("&amp;x"), Some(('&', 5)));
        assert_eq!(char_ref("&#x2F;"), Some(('/', 6)));
        assert_eq!(char_ref("&#47;"), Some(('/', 5)));
        assert_eq!(char_ref("&nbsp;"), Some(('\u{a0}', 6)));
        for none in [
            "&",
            "&unknown;",
            "&#xZZ;",
            "&#1114112;",
            "& amp",
            "&\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9};",
        ] {
            assert_eq!(char_ref(none), None, "{none:?}");
        }
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them_in_any_mix() {
        let pieces = [
            "a",
            "word",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{0b}",
            "\u{0c}",
            "\r",
            "\u{8}",
            "\u{e}",
            "\u{1f}",
            "!",
            "\u{7f}",
            "\u{1c}",
            "\u{a0}",
            "\u{85}",
            "\u{2003}",
            "\u{3000}",
            "é",
            "\u{201c}",
            "x\u{2028}y",
            "\u{1680}",
            "\u{feff}",
        ];
        let mut seed: u64 = 7;
        for _ in 0..5000 {
            let mut t = String::new();
            for _ in 0..(seed % 40) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                t.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            assert_eq!(count_words(&t), t.split_whitespace().count(), "{t:?}");
        }
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for t in [
            "",
            " ",
            "one",
            " two  words ",
            "tab\tand\nnewline",
            "non\u{a0}breaking",
            "em\u{2003}space and\u{3000}ideographic",
            "caf\u{e9} \u{201c}quoted\u{201d} \u{2014} dash",
            "\u{85}next line",
            "\u{e1}\u{e9} \u{1680}ogham",
        ] {
            assert_eq!(count_words(t), t.split_whitespace().count(), "{t:?}");
        }
    }

    #[test]
    fn autolink_first_mention_longest_name_whole_words() {
        let r = html(
            "# Bennett\n\nNaftali Bennett spoke. Bennett again. Bennettism no. John Kerry listened.",
            Autolink::First,
        );
        let h = r.html.raw();
        assert!(h.contains("<h1 id=\"bennett\">Bennett"), "{h}");
        assert!(h.contains("<a class=\"ref-person\" href=\"\0people/naftali-bennett/\">Naftali Bennett</a> spoke. Bennett again."), "{h}");
        assert!(h.contains("Bennettism no."));
        assert!(h.contains(">John Kerry</a> listened"));
        let got: Vec<(usize, Option<&str>, &str, usize)> = r
            .cast
            .iter()
            .map(|n| {
                (
                    n.person,
                    n.paragraph.as_deref(),
                    n.sentence.as_str(),
                    n.count,
                )
            })
            .collect();
        // Each person once, in order of first mention, with that mention's paragraph and
        // sentence, and a count of all mentions (the heading's is not one).
        assert_eq!(
            got,
            [
                (1, Some("p-1"), "Naftali Bennett spoke.", 2),
                (0, Some("p-1"), "John Kerry listened.", 1)
            ]
        );
        assert_eq!(r.pairs, [(0, 1)]);
    }

    #[test]
    fn pairs_are_people_named_in_the_same_paragraph_once_per_paragraph() {
        let r = html(
            "John Kerry and Bennett, then Bennett and John Kerry again.\n\nBennett alone.\n\n- John Kerry in a list\n\nJohn Kerry and Naftali Bennett.",
            Autolink::First,
        );
        assert_eq!(r.pairs, [(0, 1), (0, 1)]);
        let got: Vec<(usize, Option<&str>, usize)> = r
            .cast
            .iter()
            .map(|n| (n.person, n.paragraph.as_deref(), n.count))
            .collect();
        assert_eq!(got, [(0, Some("p-1"), 4), (1, Some("p-1"), 4)]);
    }

    #[test]
    fn names_are_found_only_as_whole_words() {
        let m = matcher();
        let found = |t: &str| {
            m.find(t)
                .map(|(r, p)| (t[r].to_string(), p))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            found("Bennett"),
            [("Bennett".to_string(), 1)],
            "at the very start and end"
        );
        assert_eq!(
            found("John Kerry, Naftali Bennett."),
            [
                ("John Kerry".to_string(), 0),
                ("Naftali Bennett".to_string(), 1)
            ]
        );
        // Inside a word (after a letter, a non-ASCII letter, a digit or "_"), or running on into one.
        assert!(found("McBennett éBennett 2Bennett _Bennett Bennetts Bennett_x").is_empty());
        // A longer name that runs on into a word does not hide a shorter one after it.
        assert_eq!(
            found("Naftali Bennettism; Bennett"),
            [("Bennett".to_string(), 1)]
        );
        // After punctuation and typographic quotes.
        assert_eq!(
            found("“Bennett”—(John Kerry)"),
            [("Bennett".to_string(), 1), ("John Kerry".to_string(), 0)]
        );
    }

    #[test]
    fn no_autolink_in_code_or_links() {
        let r = html(
            "`John Kerry` and [John Kerry](https://example.org) and John Kerry.",
            Autolink::First,
        );
        let h = r.html.raw();
        assert!(h.contains("<code>John Kerry</code>"));
        assert!(h.contains("<a href=\"https://example.org\">John Kerry</a>"));
        assert!(
            h.contains("and <a class=\"ref-person\" href=\"\0people/john-kerry/\">John Kerry</a>."),
            "{h}"
        );
    }

    #[test]
    fn autolink_all_links_every_mention() {
        let r = html("John Kerry met John Kerry.", Autolink::All);
        assert_eq!(r.html.raw().matches("<a ").count(), 2);
    }

    #[test]
    fn headings_get_ids_and_toc() {
        let r = html(
            "## In Rome {#rome}\n\n## In Rome\n\n## In Rome",
            Autolink::Off,
        );
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["rome", "in-rome", "in-rome-1"]);
    }

    #[test]
    fn footnotes_are_numbered_and_collected_at_the_end() {
        let r = html(
            "Text[^a] and more[^b].\n\n[^b]: Second.\n[^a]: First.\n",
            Autolink::Off,
        );
        let h = r.html.raw();
        let first = h.find("<li id=\"fn-a\">").unwrap();
        let second = h.find("<li id=\"fn-b\">").unwrap();
        assert!(first < second, "{h}");
        assert!(h.contains("href=\"#fn-a\" aria-label=\"Note 1\">1</a>"));
    }

    #[test]
    fn unsafe_urls_are_refused() {
        let r = html(
            "[x](javascript:alert(1)) [y](https://ok.org) [z](../rel/)",
            Autolink::Off,
        );
        assert_eq!(r.problems.len(), 1);
        assert!(!r.html.raw().contains("javascript:"));
        assert!(
            is_safe_url("#frag")
                && is_safe_url("a/b:c")
                && !is_safe_url(" JavaScript:x")
                && !is_safe_url("data:x")
        );
    }

    #[test]
    fn chapter_anchor_references_are_collected_for_checking() {
        let r = html("See [[chapter:rome#hotel]].", Autolink::Off);
        assert_eq!(r.anchors, vec![(0, "hotel".to_string(), 4..26)]);
    }

    #[test]
    fn line_breaks_are_spaces_in_context_sentences() {
        let r = html("Then John Kerry\nspoke at length.", Autolink::Off);
        assert_eq!(r.cast[0].sentence, "Then John Kerry spoke at length.");
    }

    #[test]
    fn raw_html_is_text_unless_allowed_and_ids_are_escaped() {
        let m = matcher();
        let opts = RenderOptions {
            autolink: Autolink::Off,
            names: Some(&m),
            id_prefix: "\"><x-",
            raw_html: false,
        };
        let r = render(
            "Hi <b>there</b>[^n]\n\n<div onclick=\"x\">block</div>\n\n[^n]: Note.\n",
            &People,
            opts,
        );
        let h = r.html.raw();
        assert!(
            !h.contains("<b>") && !h.contains("<div") && !h.contains("\"><x"),
            "{h}"
        );
        assert!(
            h.contains("Hi &lt;b&gt;there&lt;/b&gt;")
                && h.contains("&lt;div onclick=\"x\"&gt;block&lt;/div&gt;"),
            "{h}"
        );
        assert!(h.contains("<p id=\"&quot;&gt;&lt;x-p-1\">"), "{h}");
        assert!(
            html("Hi <b>there</b>", Autolink::Off)
                .html
                .raw()
                .contains("Hi <b>there</b>")
        );
    }

    #[test]
    fn sentence_context() {
        assert_eq!(
            sentence_at("First one. Then Kerry spoke at U.N. sessions. Last.", 16),
            "Then Kerry spoke at U.N. sessions."
        );
    }
}
