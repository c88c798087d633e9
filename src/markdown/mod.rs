//! The one place that configures pulldown-cmark and turns Markdown into HTML (`render`), and
//! what a rendered text holds (`Rendered`): its HTML with the marks pages and the print edition
//! fill in (`html`), the people it names and with whom (`names` finds them), the links it makes,
//! its ids and its plain text (`plain`). References resolve through a `Resolver` it is handed.
//! Pure functions: no files, no templates, no site model.

mod html;
mod names;
mod plain;
mod render;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod world_tests;

use std::ops::Range;

use pulldown_cmark::utils::TextMergeWithOffset;
use pulldown_cmark::{Event, Options, Parser, TagEnd};

use crate::config::{Autolink, Autolinks};
use crate::util::slug::slugify;

pub use html::{
    HtmlAt, ID, LEVEL, REL_HREF, REL_SRC, ROOT, RelHtml, is_relative, mark_raw, unmarked,
};
pub use names::NameMatcher;
pub use plain::{PlainText, Section};

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
    Place,
    Organization,
    Term,
}

/// The kinds of entity whose names are found in the text: people and the world's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Person,
    Place,
    Organization,
    Term,
}

impl EntityKind {
    /// The reference kind that names one.
    pub fn reference(self) -> RefKind {
        match self {
            EntityKind::Person => RefKind::Person,
            EntityKind::Place => RefKind::Place,
            EntityKind::Organization => RefKind::Organization,
            EntityKind::Term => RefKind::Term,
        }
    }
}

/// An entity: its kind and its position in its kind's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Entity {
    pub kind: EntityKind,
    pub ix: usize,
}

impl Entity {
    pub fn person(ix: usize) -> Entity {
        Entity {
            kind: EntityKind::Person,
            ix,
        }
    }
}

impl Autolinks {
    /// The setting for names of `kind`.
    pub fn of(&self, kind: EntityKind) -> Autolink {
        match kind {
            EntityKind::Person => self.people,
            EntityKind::Place => self.places,
            EntityKind::Organization => self.organizations,
            EntityKind::Term => self.terms,
        }
    }
}

/// A resolved link: its site-relative URL, default text and, for people, whose it is.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: String,
    pub text: String,
    pub class: &'static str,
    /// The entity it names (a person, a place, …), whose mention it is.
    pub entity: Option<Entity>,
    /// For `[[chapter:slug#anchor]]`: the chapter and anchor, checked once every chapter's
    /// headings are known.
    pub anchor: Option<(usize, String)>,
}

/// Answers references; implemented by `link` over the site's indices.
pub trait Resolver: Sync {
    fn resolve(&self, kind: RefKind, id: &str, anchor: Option<&str>) -> Result<Target, Problem>;
    /// The link to `entity`, whose name the text mentions.
    fn entity(&self, entity: Entity) -> Target;
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
pub(crate) fn count_words(t: &str) -> usize {
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

/// How to render one Markdown text.
#[derive(Clone, Copy)]
pub struct RenderOptions<'a> {
    pub autolink: Autolinks,
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

/// An entity (a person, a place, …) the text names: where first, and how often. Later mentions
/// are only counted (a chapter with hundreds of mentions kept a record, and a sentence, for each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub entity: Entity,
    /// The id of the paragraph of the first mention, when it is in one.
    pub paragraph: Option<String>,
    /// The sentence around the first mention (empty outside a paragraph).
    pub sentence: String,
    /// How many times the text names them.
    pub count: usize,
}

/// The outcome of rendering one Markdown text.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: RelHtml,
    pub toc: Vec<Heading>,
    /// Each entity named (people, places, …), in order of first mention (headings are not
    /// counted).
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
    /// Its plain text, by section (for the search index).
    pub text: PlainText,
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
    let mut r = render::Renderer::new(&text, resolver, opts);
    for (event, range) in TextMergeWithOffset::new(parser) {
        r.event(event, range);
    }
    r.finish()
}

/// A paragraph or an event naming more people than this ties none of them together: a list that
/// long is a roll call (a delegation, the signatories, a crowd), not people seen together, and
/// its n(n-1)/2 pairs made the cost of co-mentions quadratic (one paragraph naming 10,000 people
/// made 50 million pairs: 64 s and 9.4 GB). Capped, each list adds at most 1,225 pairs, so the
/// pairs of a documentary grow at most linearly with its text. (No chapter or event of the
/// documentary or of the generated corpora names more than 11.)
pub const PAIRS_PEOPLE_MAX: usize = 50;

/// A paragraph naming more people than this ties none of them together: it is a list (the
/// secretaries of state before Kerry, a delegation), and counting its pairs made everyone in it
/// a companion of everyone else, in the network and on person pages alike (in the documentary,
/// a sentence naming eleven of Kerry's predecessors had Madeleine Albright "appear with 11
/// people"). A scene names a handful; six leaves every scene of the documentary its ties.
pub const PARAGRAPH_PEOPLE_MAX: usize = 6;

/// Each pair of different people in `list` (distinct people), as `(a, b)` with `a < b`, added to
/// `pairs`; none when the list names more than [`PAIRS_PEOPLE_MAX`].
pub fn add_pairs(list: &[usize], pairs: &mut Vec<(usize, usize)>) {
    if list.len() > PAIRS_PEOPLE_MAX {
        return;
    }
    for (i, &a) in list.iter().enumerate() {
        for &b in &list[i + 1..] {
            if a != b {
                pairs.push((a.min(b), a.max(b)));
            }
        }
    }
}

/// The largest char boundary of `s` at or before `i`.
fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(crate) fn footnote_slug(name: &str) -> String {
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
    !url.trim().starts_with("//") && scheme(url).is_none()
}

/// True for http(s), mailto and relative URLs. Only a real scheme makes a URL absolute: a
/// letter, then letters, digits, `+`, `-` or `.`, then `:` (so `12:30` or `notes:` in a path
/// segment after another character are relative), read as a browser reads it: leading spaces
/// and control characters, and tabs and line breaks anywhere, ignored (`java\tscript:` is a
/// scheme).
pub fn is_safe_url(url: &str) -> bool {
    match scheme(url) {
        Some(s) => matches!(s.as_str(), "http" | "https" | "mailto"),
        None => true,
    }
}

/// The scheme of `url`, lowercased, as a browser finds it; `None` for a relative URL.
pub fn scheme(url: &str) -> Option<String> {
    let u = url.trim_start_matches(|c: char| c.is_whitespace() || c.is_control());
    let mut scheme = String::new();
    for c in u.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        match c {
            ':' if !scheme.is_empty() => return Some(scheme),
            c if c.is_ascii_alphabetic() => scheme.push(c.to_ascii_lowercase()),
            c if !scheme.is_empty() && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) => {
                scheme.push(c)
            }
            _ => return None,
        }
    }
    None
}

/// How far from a mention its sentence's ends are looked for. A sentence longer than this on
/// either side is cut there (it is shown cut to 300 characters anyway): looking as far as the
/// paragraph's ends made the first mentions of n people in one paragraph cost n times the
/// paragraph.
const SENTENCE_REACH: usize = 2_000;

/// The sentence around byte `offset` of a paragraph's plain text, at most 300 characters of it.
/// One that starts more than [`SENTENCE_REACH`] bytes before the offset is shown from a word
/// shortly before it, after "…".
pub(crate) fn sentence_at(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let lo = floor_char_boundary(text, offset.saturating_sub(SENTENCE_REACH));
    let hi = floor_char_boundary(text, offset.saturating_add(SENTENCE_REACH).min(text.len()));
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
    let start = memchr::memrchr3_iter(b'.', b'!', b'?', &b[lo..offset])
        .map(|k| lo + k)
        .find(|&i| is_end(b, i))
        .map(|i| i + 1);
    // Too far back: from a word shortly before the mention, marked as cut.
    let (start, cut) = match start {
        Some(s) => (s, false),
        None if lo == 0 => (0, false),
        None => {
            let near = floor_char_boundary(text, offset.saturating_sub(160));
            let word = text[near..offset].find(char::is_whitespace);
            (word.map_or(offset, |k| near + k), true)
        }
    };
    let end = memchr::memchr3_iter(b'.', b'!', b'?', &b[offset..hi])
        .map(|k| offset + k)
        .find(|&i| is_end(b, i))
        .map_or(hi, |i| i + 1);
    let s = text[start..end].trim();
    // Skip a closing quotation mark left at the start by the split.
    let s = s.trim_start_matches(['”', '’', '"']).trim();
    let lead = if cut { "…" } else { "" };
    if s.len() > 320 && s.chars().count() > 320 {
        let cut: String = s.chars().take(300).collect();
        format!("{lead}{}…", cut.trim_end())
    } else {
        format!("{lead}{s}")
    }
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
    s
}
