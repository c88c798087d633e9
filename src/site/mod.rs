//! The resolved documentary: chapters, people, events and sources with every reference turned
//! into an index, plus the cross-reference index (appearances, companions, citations).
//! Plain data with no I/O and no templates; nothing here is half-filled. URLs live here too.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::date::Date;
use crate::markdown::{Heading, RelHtml};

mod world;
pub use world::*;

/// A typed index into one of the site's lists: a `ChapterIx` cannot index the people. It
/// indexes its own list directly (`site.people[p]`).
macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident, $item:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
        pub struct $name(pub usize);

        impl $name {
            /// The position in the list.
            pub fn ix(self) -> usize {
                self.0
            }
        }

        impl Ix for $name {
            fn ix(self) -> usize {
                self.0
            }
        }

        impl From<usize> for $name {
            fn from(i: usize) -> $name {
                $name(i)
            }
        }

        impl std::ops::Index<$name> for [$item] {
            type Output = $item;
            fn index(&self, i: $name) -> &$item {
                &self[i.0]
            }
        }

        impl std::ops::IndexMut<$name> for [$item] {
            fn index_mut(&mut self, i: $name) -> &mut $item {
                &mut self[i.0]
            }
        }

        impl std::ops::Index<$name> for Vec<$item> {
            type Output = $item;
            fn index(&self, i: $name) -> &$item {
                &self[i.0]
            }
        }

        impl std::ops::IndexMut<$name> for Vec<$item> {
            fn index_mut(&mut self, i: $name) -> &mut $item {
                &mut self[i.0]
            }
        }
    };
}

/// What the site's index types have in common: each is a position in its list.
pub trait Ix: Copy {
    fn ix(self) -> usize;
}

/// A list with one value per chapter, person, event or source, indexed by that type (a value per
/// person: `ByIx<PersonIx, T>`), so that it cannot be read with another kind of index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ByIx<I, T> {
    items: Vec<T>,
    ix: std::marker::PhantomData<I>,
}

impl<I, T> ByIx<I, T> {
    pub fn new(items: Vec<T>) -> ByIx<I, T> {
        ByIx {
            items,
            ix: std::marker::PhantomData,
        }
    }
}

impl<I, T> std::ops::Deref for ByIx<I, T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<I: Ix, T> std::ops::Index<I> for ByIx<I, T> {
    type Output = T;
    fn index(&self, i: I) -> &T {
        &self.items[i.ix()]
    }
}

impl<I: Ix, T> std::ops::IndexMut<I> for ByIx<I, T> {
    fn index_mut(&mut self, i: I) -> &mut T {
        &mut self.items[i.ix()]
    }
}

index_type!(
    /// Index of a chapter in `Site::chapters` (reading order).
    ChapterIx,
    Chapter
);
index_type!(
    /// Index of a person in `Site::people` (sorted by id).
    PersonIx,
    Person
);
index_type!(
    /// Index of an event in `Site::events` (timeline order).
    EventIx,
    Event
);
index_type!(
    /// Index of a source in `Site::sources`.
    SourceIx,
    Source
);
index_type!(
    /// Index of an entry of the world in its kind's list (`site.world.places[ix]`), sorted by id.
    EntryIx,
    Entry
);

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub chapters: Vec<Chapter>,
    pub people: Vec<Person>,
    pub events: Vec<Event>,
    pub sources: Vec<Source>,
    /// Places, organizations and glossary terms.
    pub world: World,
    /// Pairs of people named in the same paragraph of a chapter, and in how many paragraphs:
    /// `(a, b)` with `a < b`. (Shared events are in `Event::people`; the network adds both.)
    pub co_mentions: BTreeMap<(PersonIx, PersonIx), u32>,
    /// The links and images the texts make into the site (for the link check).
    pub links: Vec<SiteLink>,
    /// The maps of site.toml, with their outlines (drawn by `map::draw`).
    pub maps: Vec<crate::map::Map>,
    /// Standalone pages (`content/pages/*.md`), by slug, the home page's text (`index`) among
    /// them.
    pub pages: Vec<StandalonePage>,
}

/// A page of its own, written in Markdown (`content/pages/about.md` → `about/`).
#[derive(Debug)]
pub struct StandalonePage {
    /// `about`; `index` is the home page's introduction.
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub menu: Menu,
    pub order: i64,
    pub html: RelHtml,
    pub toc: Vec<Heading>,
}

impl StandalonePage {
    /// Its site-relative address: `about/`, or "" for the home page's text.
    pub fn url(&self) -> String {
        page_path(&self.slug)
    }
}

/// A standalone page's address from its slug: `about/`; the home page's text (`index`) is "".
pub fn page_path(slug: &str) -> String {
    if slug == HOME_TEXT {
        String::new()
    } else {
        format!("{slug}/")
    }
}

/// The slug of the standalone page that is the home page's introduction (`content/pages/index.md`).
pub const HOME_TEXT: &str = "index";

impl Site {
    /// The home page's introduction, if the documentary writes one.
    pub fn home_text(&self) -> Option<&StandalonePage> {
        self.pages.iter().find(|p| p.slug == HOME_TEXT)
    }
}

/// A link or image a text (a chapter, a biography, a summary) makes into the site.
#[derive(Debug, Clone)]
pub struct SiteLink {
    /// The page the text is on, which a relative URL is relative to (`chapters/x/`).
    pub page: String,
    /// The URL as written.
    pub url: String,
    /// Where it is written.
    pub span: crate::diagnostics::Span,
}

#[derive(Debug)]
pub struct Chapter {
    pub number: u64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub sources: Vec<SourceIx>,
    pub html: RelHtml,
    pub toc: Vec<Heading>,
    /// Every id the chapter's text gives an element (headings, paragraphs, notes).
    pub ids: Vec<String>,
    /// Its text as plain text, by section (for the search index).
    pub text: crate::markdown::PlainText,
    /// People in order of their first mention.
    pub people: Vec<PersonIx>,
    /// Events this chapter tells (their `chapter` field), in timeline order.
    pub events: Vec<EventIx>,
    pub words: usize,
    /// When it was published and last changed (`YYYY-MM-DD`, its front matter's), for the feed.
    pub published: Option<String>,
    pub updated: Option<String>,
}

#[derive(Debug, Hash)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub role: String,
    pub affiliation: String,
    pub side: String,
    /// The summary's HTML: inline when it is one paragraph (as it is meant to be: one line).
    pub summary: RelHtml,
    /// The summary as plain text, as the reader reads it (descriptions, JSON-LD, search,
    /// preview cards).
    pub summary_text: String,
    pub bio: RelHtml,
    /// The biography as plain text (for the search index).
    pub bio_text: crate::markdown::PlainText,
    pub born: Option<Date>,
    pub died: Option<Date>,
    /// A path under `static/`.
    pub image: Option<String>,
    pub sources: Vec<SourceIx>,
    /// The organizations they belong to (`organizations = [...]`).
    pub organizations: Vec<EntryIx>,
    /// Events they took part in, in timeline order.
    pub events: Vec<EventIx>,
    /// Chapters that mention them, in reading order.
    pub appearances: Vec<Appearance>,
    /// The people they appear with most often: (person, shared paragraphs + shared events).
    pub companions: Vec<(PersonIx, u32)>,
    /// How many times the chapters mention them.
    pub mentions: usize,
}

/// A chapter that mentions a person: where first, in which sentence, and how often.
#[derive(Debug, Clone, Hash)]
pub struct Appearance {
    pub chapter: ChapterIx,
    pub paragraph: Option<String>,
    pub sentence: String,
    pub count: usize,
}

#[derive(Debug, Hash)]
pub struct Event {
    pub id: String,
    pub date: Date,
    pub title: String,
    pub summary: RelHtml,
    /// The summary as plain text (descriptions, JSON-LD, filters).
    pub summary_text: String,
    pub people: Vec<PersonIx>,
    /// Where it happened as written: free text when the documentary has no `content/places/`,
    /// else the names of its places.
    pub place: String,
    /// Its places, when `place` names place ids.
    pub places: Vec<EntryIx>,
    /// The chapter that tells it, and the section's anchor.
    pub chapter: Option<(ChapterIx, Option<String>)>,
    pub sources: Vec<SourceIx>,
    pub tags: Vec<String>,
    pub note: String,
    /// Where the timeline places it when not by its date: its `sort` date.
    pub sort: Option<Date>,
    /// The timeline page that shows it.
    pub page: TimelinePage,
    /// A turning point of the story (`featured = true`): the home page's glimpse shows these.
    pub featured: bool,
}

/// A timeline with more events than this is split into one page per year, so no page grows
/// with the whole documentary; a year with more than this is split into a page per month (its
/// year page keeps the events known only to the year), and any such page with more than this
/// is cut into numbered parts of this many, in timeline order. An event's year page never
/// changes as others are added, until its year passes the limit.
pub const TIMELINE_PAGE_LIMIT: usize = 500;

/// Which timeline page shows an event: the one timeline, or a page of a timeline split by year
/// (and, in a year past the limit, by month), ordered as the timeline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimelinePage {
    All,
    /// `month: None` is the year's page (the whole year, or, in a year split by month, the
    /// events known only to the year); `part` counts from 1.
    Year {
        year: i64,
        month: Option<u8>,
        part: u32,
    },
}

impl TimelinePage {
    /// The first page of a year's events.
    pub fn year(year: i64) -> TimelinePage {
        TimelinePage::Year {
            year,
            month: None,
            part: 1,
        }
    }

    pub fn url(self) -> String {
        match self {
            TimelinePage::All => "timeline/".into(),
            TimelinePage::Year { year, month, part } => {
                let first = match month {
                    None => format!("timeline/{}/", year_slug(year)),
                    Some(m) => format!("timeline/{}/{m:02}/", year_slug(year)),
                };
                page_url(&first, part as usize)
            }
        }
    }
}

/// A year as a path segment: "2013", or "44-bce" for -43 (astronomical years, as labelled).
pub fn year_slug(year: i64) -> String {
    if year < 0 {
        format!("{}-bce", 1 - year)
    } else {
        year.to_string()
    }
}

#[derive(Debug, Hash)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub author: String,
    pub publication: String,
    pub date: Option<Date>,
    pub url: Option<String>,
    pub chapters: Vec<ChapterIx>,
    pub events: Vec<EventIx>,
    pub people: Vec<PersonIx>,
}

// Site-relative URLs (no leading slash). Pages prefix them with their path to the root.

pub fn chapter_url(slug: &str) -> String {
    format!("chapters/{slug}/")
}

pub fn person_url(id: &str) -> String {
    format!("people/{id}/")
}

pub fn event_url(id: &str, page: TimelinePage) -> String {
    format!("{}#{id}", page.url())
}

pub fn source_url(id: &str) -> String {
    format!("sources/#{id}")
}

impl Chapter {
    pub fn url(&self) -> String {
        chapter_url(&self.slug)
    }

    /// Reading time in minutes (at 230 words a minute), at least one.
    pub fn minutes(&self) -> usize {
        self.words.div_ceil(230).max(1)
    }
}

impl Person {
    pub fn url(&self) -> String {
        person_url(&self.id)
    }
}

impl Event {
    pub fn url(&self) -> String {
        event_url(&self.id, self.page)
    }

    /// The date the timeline places it by: its `sort` date, or its date.
    pub fn placement(&self) -> &Date {
        self.sort.as_ref().unwrap_or(&self.date)
    }
}

impl Source {
    pub fn url(&self) -> String {
        source_url(&self.id)
    }
}

/// Ids a person may not take, because the page exists already (`/people/network/`, and
/// `/people/page/<k>/` of a people index split into pages).
pub const RESERVED_PERSON_IDS: &[&str] = &["index", "network", "page"];
/// Chapter slugs that would collide with generated pages (`/chapters/page/<k>/`).
pub const RESERVED_CHAPTER_SLUGS: &[&str] = &["index", "page"];

// Bounded pages: past these sizes a page that would list the whole documentary is split, so
// every page stays bounded and the whole output grows linearly. Each split depends only on
// positions (reading order, side and name), so a page's links stay put as content is appended.

/// Up to this many chapters the print edition is one page (`print/`); beyond it, `print/` lists
/// volumes of this many chapters each, `print/1/`, `print/2/`…, in reading order.
pub const PRINT_VOLUME_CHAPTERS: usize = 50;
/// The home page lists at most this many chapters (the first); past it, it links to the table
/// of contents `chapters/`, [`CHAPTERS_PER_PAGE`] a page.
pub const HOME_CHAPTERS: usize = 50;
/// Chapters on each page of the table of contents (`chapters/`, `chapters/page/2/`, …), which
/// exists only when the home page cannot list every chapter.
pub const CHAPTERS_PER_PAGE: usize = 100;
/// Up to this many people the people index is one page; beyond it, it is split into pages of
/// [`PEOPLE_PER_PAGE`] (`people/`, `people/page/2/`, …), still grouped by side.
pub const PEOPLE_INDEX_LIMIT: usize = 300;
/// People on each page of a split people index.
pub const PEOPLE_PER_PAGE: usize = 200;
/// The sources page lists at most this many citing chapters, events and biographies per source;
/// a source cited more has its own page, `sources/<id>/`, listing them all.
pub const SOURCE_CITATIONS_SHOWN: usize = 200;
/// Citations on each page of a source's own page (`sources/<id>/`, `sources/<id>/page/2/`, …).
pub const SOURCE_CITATIONS_PER_PAGE: usize = 500;

/// The print volume (1-based) that holds chapter `c` of `chapters`, or `None` when the print
/// edition is one page. It depends only on the chapter's position.
pub fn print_volume(c: ChapterIx, chapters: usize) -> Option<usize> {
    (chapters > PRINT_VOLUME_CHAPTERS).then(|| c.ix() / PRINT_VOLUME_CHAPTERS + 1)
}

/// Page `k` (1-based) of a paginated list whose first page is `first` ("chapters/"):
/// `first` itself, then `{first}page/{k}/`.
pub fn page_url(first: &str, k: usize) -> String {
    if k <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{k}/")
    }
}

/// How many pages `n` items take at `per_page` a page (at least one).
pub fn page_count(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page).max(1)
}

/// Sides in display order: alphabetical, with "Others" (and unassigned people) last.
pub fn side_order(side: &str) -> (bool, String) {
    let s = side.trim();
    (
        s.is_empty() || s.eq_ignore_ascii_case("others") || s.eq_ignore_ascii_case("other"),
        s.to_lowercase(),
    )
}

/// Where a standalone page is linked from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Menu {
    /// Only from where the documentary's text links to it.
    #[default]
    None,
    /// The main navigation of every page (after Sources).
    Nav,
    /// The footer of every page.
    Footer,
}
