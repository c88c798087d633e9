//! The typed views every page is made of: the site and the page itself, and the items that
//! many pages list (chapters, people, events, sources), each made from the `Site` by [`Ctx`].
//! People and events seen from two folders down are made once per build and shared ([`Deep`]),
//! as tera values and as fingerprints, by every page that lists them.

use serde::Serialize;

use crate::site::*;
use crate::util::slug::slugify;

use super::people_index::PeopleIndex;
use super::{Mode, root_for, side_key};

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) language: &'a str,
    pub(super) author: &'a str,
    pub(super) base_url: &'a str,
    /// Whether the documentary has places, organizations, glossary terms (their pages exist).
    pub(super) places: bool,
    pub(super) organizations: bool,
    pub(super) glossary: bool,
    /// The image shown where a page is shared (`share.png`), as an absolute URL.
    pub(super) share_image: String,
}

#[derive(Serialize)]
pub(super) struct PageView {
    /// index, chapter, people, person, timeline, sources, 404
    pub(super) kind: &'static str,
    /// The `<title>`.
    pub(super) title: String,
    pub(super) description: String,
    pub(super) canonical: String,
    /// The path back to the site root, to prefix every internal URL: "", "../", "../../".
    pub(super) root: String,
    pub(super) og_type: &'static str,
    /// schema.org JSON-LD, already escaped for a `<script>` element.
    pub(super) json_ld: String,
    pub(super) live_reload: bool,
    /// Which main navigation entry is current: chapters, people, timeline, sources, or a
    /// standalone page's slug.
    pub(super) section: &'static str,
    /// The standalone pages in the main navigation (`menu = "nav"`), relative to this page.
    pub(super) nav: Vec<MenuLink>,
    /// The standalone pages in the footer (`menu = "footer"`).
    pub(super) footer: Vec<MenuLink>,
}

/// A standalone page in a menu, and whether it is the page being shown.
#[derive(Serialize)]
pub(super) struct MenuLink {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) current: bool,
}

#[derive(Serialize, Clone)]
pub(super) struct Link {
    pub(super) title: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct ChapterItem {
    pub(super) number: u64,
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) url: String,
    pub(super) minutes: usize,
}

/// Borrowed from the `Site` where it can be: people and events appear on many pages, and each
/// copy of a field was an allocation before tera copied it again into its own values.
#[derive(Serialize, Clone)]
pub(super) struct PersonItem<'a> {
    pub(super) id: &'a str,
    pub(super) name: &'a str,
    pub(super) role: &'a str,
    pub(super) side: &'a str,
    /// The summary as plain text; `summary_html` as the reader sees it.
    pub(super) summary: &'a str,
    pub(super) summary_html: String,
    pub(super) url: String,
    pub(super) monogram: &'a str,
    /// The colour of their side, as the network draws it (monograms are toned by it).
    pub(super) tone: &'static str,
    pub(super) image: Option<String>,
}

#[derive(Serialize, Clone)]
pub(super) struct EventItem<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) date: String,
    /// For `<time datetime>`: none before year 1 or with an open or unknown start.
    pub(super) datetime: Option<String>,
    /// The EDTF text, for `data-edtf`.
    pub(super) edtf: &'a str,
    pub(super) partial: bool,
    pub(super) year: i64,
    pub(super) summary_html: String,
    pub(super) people: Vec<PersonRef<'a>>,
    /// The people as the timeline's one line names them: "Kerry, Abbas, Netanyahu +2".
    pub(super) people_short: String,
    pub(super) place: &'a str,
    /// Its places' pages, when `place` names places.
    pub(super) places: Vec<Link>,
    pub(super) chapter: Option<Link>,
    /// Each source by its short label ("[The New Republic], 2014"); the full citation is on the
    /// sources page and, once, at the end of the timeline.
    pub(super) sources: Vec<Link>,
    pub(super) tags: &'a [String],
    pub(super) note: &'a str,
    pub(super) url: String,
    /// Space-separated ids, sides and tags for the timeline filter.
    pub(super) filter_people: String,
    pub(super) filter_sides: String,
    pub(super) filter_tags: String,
}

#[derive(Serialize)]
pub(super) struct SourceItem {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) author: String,
    pub(super) publication: String,
    pub(super) date: String,
    pub(super) url: Option<String>,
    pub(super) anchor_url: String,
}

#[derive(Serialize)]
pub(super) struct TocItem {
    pub(super) level: u8,
    pub(super) id: String,
    pub(super) text: String,
}

impl TocItem {
    /// A text's table of contents as its page shows it: its second-level headings.
    pub(super) fn sections(toc: &[crate::markdown::Heading]) -> Vec<TocItem> {
        toc.iter()
            .filter(|h| h.level == 2)
            .map(|h| TocItem {
                level: h.level,
                id: h.id.clone(),
                text: h.text.clone(),
            })
            .collect()
    }
}

/// What a page says of itself: its kind (`index`, `chapter`, … for templates), path, title and
/// description, Open Graph type and the main navigation entry it belongs to.
pub(super) struct PageInfo<'s> {
    pub(super) kind: &'static str,
    pub(super) path: &'s str,
    pub(super) title: &'s str,
    pub(super) description: &'s str,
    pub(super) og_type: &'static str,
    pub(super) section: &'static str,
}

/// What every page of one build is made from: the site, and what is worked out once for all its
/// pages (see [`super::Prepared`]).
pub struct Ctx<'a> {
    pub(super) site: &'a Site,
    pub(super) mode: &'a Mode,
    /// Each person's initials, computed once.
    pub(super) monograms: &'a [String],
    /// Who appears with whom: the network page and each person's neighbourhood.
    pub(super) graph: &'a crate::network::Graph,
    /// The people index's order and pages, for its pages and each biography's link to its side.
    pub(super) people_index: &'a PeopleIndex,
    /// Every event as seen from two folders down (chapters, people, timeline years), made when a
    /// page first lists it, in tera's form, and shared (not copied) by each page that lists it.
    pub(super) deep_events: &'a [Deep<EventItem<'a>>],
    /// Every person as seen from two folders down (a chapter's cast, a biography's companions),
    /// shared the same way.
    pub(super) deep_people: &'a [Deep<PersonItem<'a>>],
    /// Where each chapter is printed, and its fingerprint: made by the first print page.
    pub(super) print_volumes: &'a std::sync::OnceLock<crate::print::Volumes<'a>>,
    /// Each source's short label, for the lists that cite many (see [`source_labels`]).
    pub(super) source_labels: &'a [String],
    /// The timeline's pages and years: made by the first timeline page that needs them.
    pub(super) timeline_outline: &'a std::sync::OnceLock<super::timeline::outline::Outline>,
    /// Every place with coordinates, as a point of the maps.
    pub(super) map_points: &'a [crate::map::MapPoint<'a>],
}

/// The path to the root from pages two folders down (`chapters/x/`, `people/x/`).
pub(super) const DEEP_ROOT: &str = "../../";

/// An item (an event, a person) as pages two folders down show it, made when one first lists
/// it: the item, tera's value of it (made once, then shared by every page given it, not copied)
/// and its fingerprint (hashed once, then standing for it in each view that serve's cache
/// fingerprints).
pub(super) struct Deep<T> {
    pub(super) item: std::sync::OnceLock<T>,
    pub(super) value: std::sync::OnceLock<tera::Value>,
    pub(super) key: std::sync::OnceLock<u128>,
}

impl<T> Default for Deep<T> {
    fn default() -> Self {
        Deep {
            item: std::sync::OnceLock::new(),
            value: std::sync::OnceLock::new(),
            key: std::sync::OnceLock::new(),
        }
    }
}

/// An item as a page shows it: shared from the [`Deep`] items of [`Ctx`], or made for this page.
#[derive(Clone)]
pub(super) enum Shared<'a, T> {
    Deep(&'a Deep<T>),
    Own(T),
}

pub(super) type EventRef<'a> = Shared<'a, EventItem<'a>>;
pub(super) type PersonRef<'a> = Shared<'a, PersonItem<'a>>;

impl<'a, T> Shared<'a, T> {
    /// Item `ix` of `deep` when seen from [`DEEP_ROOT`] (made by `make` the first time), else
    /// its own copy.
    pub(super) fn of(
        deep: &'a [Deep<T>],
        ix: usize,
        root: &str,
        make: impl FnOnce(&str) -> T,
    ) -> Shared<'a, T> {
        match deep.get(ix) {
            Some(d) if root == DEEP_ROOT => {
                d.item.get_or_init(|| make(DEEP_ROOT));
                Shared::Deep(d)
            }
            _ => Shared::Own(make(root)),
        }
    }
}

impl<T: Serialize> Serialize for Shared<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Shared::Deep(deep) => {
                let item = deep.item.get().expect("made by Shared::of");
                if s.is_human_readable() {
                    // (Into tera's values, a value is passed on as it is.)
                    deep.value
                        .get_or_init(|| tera::Value::from_serializable(item))
                        .serialize(s)
                } else {
                    deep.key
                        .get_or_init(|| {
                            let mut f = crate::util::fingerprint::Fingerprint::new(0x6576);
                            crate::util::fingerprint::hash_serialized(&mut f, item);
                            f.finish128()
                        })
                        .serialize(s)
                }
            }
            Shared::Own(item) => item.serialize(s),
        }
    }
}

impl<'a> Ctx<'a> {
    pub(super) fn site_view(&self) -> SiteView<'a> {
        let c = &self.site.config;
        SiteView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            author: &c.author,
            base_url: &c.base_url,
            places: !self.site.world.places.is_empty(),
            organizations: !self.site.world.organizations.is_empty(),
            glossary: !self.site.world.terms.is_empty(),
            share_image: c.absolute("share.png"),
        }
    }

    pub(super) fn page(&self, info: PageInfo<'_>, json_ld: serde_json::Value) -> PageView {
        let PageInfo {
            kind,
            path,
            title,
            description,
            og_type,
            section,
        } = info;
        let c = &self.site.config;
        let full_title = if kind == "index" {
            c.title.clone()
        } else {
            format!("{title} · {}", c.title)
        };
        PageView {
            kind,
            title: full_title,
            description: if description.is_empty() {
                c.description.clone()
            } else {
                description.to_string()
            },
            canonical: c.absolute(path),
            root: root_for(path, c.base_path()),
            og_type,
            json_ld: crate::util::escape::script_json(&json_ld),
            live_reload: self.mode.live_reload,
            section,
            nav: self.menu(crate::load::Menu::Nav, path, &root_for(path, c.base_path())),
            footer: self.menu(
                crate::load::Menu::Footer,
                path,
                &root_for(path, c.base_path()),
            ),
        }
    }

    /// The standalone pages of `menu`, by their `order` then title, as seen from `path`.
    fn menu(&self, menu: crate::load::Menu, path: &str, root: &str) -> Vec<MenuLink> {
        let mut pages: Vec<&StandalonePage> =
            self.site.pages.iter().filter(|p| p.menu == menu).collect();
        pages.sort_by(|a, b| (a.order, &a.title).cmp(&(b.order, &b.title)));
        pages
            .into_iter()
            .map(|p| MenuLink {
                title: p.title.clone(),
                url: format!("{root}{}", p.url()),
                current: p.url() == path,
            })
            .collect()
    }

    /// Person `ix` as seen from `root`.
    pub(super) fn person(&self, ix: PersonIx, root: &str) -> PersonRef<'a> {
        Shared::of(self.deep_people, ix.ix(), root, |root| {
            self.person_item(ix, root)
        })
    }

    pub(super) fn person_item(&self, ix: PersonIx, root: &str) -> PersonItem<'a> {
        let p = &self.site.people[ix];
        PersonItem {
            id: &p.id,
            name: &p.name,
            role: &p.role,
            side: &p.side,
            summary: &p.summary_text,
            summary_html: p.summary.at(root),
            url: format!("{root}{}", p.url()),
            monogram: &self.monograms[ix.ix()],
            tone: crate::network::side_colour(self.graph.side_of[ix]),
            image: p.image.as_ref().map(|i| format!("{root}{i}")),
        }
    }

    /// Event `e` as seen from `root`.
    pub(super) fn event(&self, e: EventIx, root: &str) -> EventRef<'a> {
        Shared::of(self.deep_events, e.ix(), root, |root| {
            self.event_item(e, root)
        })
    }

    pub(super) fn event_item(&self, e: EventIx, root: &str) -> EventItem<'a> {
        let s = self.site;
        let e = &s.events[e];
        let people: Vec<PersonRef<'a>> = e.people.iter().map(|&p| self.person(p, root)).collect();
        let mut sides: Vec<String> = e
            .people
            .iter()
            .map(|&p| side_key(&s.people[p].side))
            .collect();
        sides.sort();
        sides.dedup();
        EventItem {
            id: &e.id,
            title: &e.title,
            date: e.date.display(),
            datetime: e.date.datetime(),
            edtf: e.date.edtf(),
            partial: e.date.is_partial(),
            year: e.date.year(),
            summary_html: e.summary.at(root),
            filter_people: e
                .people
                .iter()
                .map(|&p| s.people[p].id.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            filter_sides: sides.join(" "),
            filter_tags: e
                .tags
                .iter()
                .map(|t| slugify(t))
                .collect::<Vec<_>>()
                .join(" "),
            people_short: people_short(s, &e.people),
            people,
            place: &e.place,
            places: self.entry_links(WorldKind::Place, &e.places, root),
            chapter: e.chapter.as_ref().map(|(c, anchor)| {
                let ch = &s.chapters[*c];
                let url = match anchor {
                    Some(a) => format!("{root}{}#{a}", ch.url()),
                    None => format!("{root}{}", ch.url()),
                };
                let section = anchor
                    .as_ref()
                    .and_then(|a| ch.toc.iter().find(|h| &h.id == a))
                    .map(|h| format!("{}: {}", ch.title, h.text))
                    .unwrap_or_else(|| ch.title.clone());
                Link {
                    title: section,
                    url,
                }
            }),
            sources: e
                .sources
                .iter()
                .map(|&x| Link {
                    title: self.source_labels[x.ix()].clone(),
                    url: format!("{root}{}", s.sources[x].url()),
                })
                .collect(),
            tags: &e.tags,
            note: &e.note,
            url: format!("{root}{}", e.url()),
        }
    }

    pub(super) fn source_item(&self, s: SourceIx, root: &str) -> SourceItem {
        let src = &self.site.sources[s];
        SourceItem {
            id: src.id.clone(),
            title: src.title.clone(),
            author: src.author.clone(),
            publication: src.publication.clone(),
            date: src.date.as_ref().map(|d| d.display()).unwrap_or_default(),
            url: src.url.clone(),
            anchor_url: format!("{root}{}", src.url()),
        }
    }

    pub(super) fn chapter_item(&self, c: ChapterIx, root: &str) -> ChapterItem {
        let ch = &self.site.chapters[c];
        ChapterItem {
            number: ch.number,
            title: ch.title.clone(),
            summary: ch.summary.clone(),
            url: format!("{root}{}", ch.url()),
            minutes: ch.minutes(),
        }
    }

    /// Links to entries `list` of `kind`.
    pub(super) fn entry_links(&self, kind: WorldKind, list: &[EntryIx], root: &str) -> Vec<Link> {
        let all = self.site.world.of(kind);
        list.iter()
            .map(|&x| Link {
                title: all[x.ix()].name.clone(),
                url: format!("{root}{}", all[x.ix()].url),
            })
            .collect()
    }

    pub(super) fn chapter_link(&self, c: ChapterIx, root: &str) -> Link {
        let ch = &self.site.chapters[c];
        Link {
            title: ch.title.clone(),
            url: format!("{root}{}", ch.url()),
        }
    }
}

/// How many people an event's one line names before "+2".
const SHORT_PEOPLE: usize = 3;

/// The people of an event as one line names them: each by the alias that is their surname, or
/// else the shortest alias that is part of their name ("Kerry" of "John Kerry"; a name without
/// one stays whole), the first [`SHORT_PEOPLE`], then how many more.
fn people_short(s: &Site, people: &[PersonIx]) -> String {
    let mut names: Vec<&str> = people
        .iter()
        .take(SHORT_PEOPLE)
        .map(|&p| short_name(&s.people[p]))
        .collect();
    let more = people.len().saturating_sub(SHORT_PEOPLE);
    let more = (more > 0).then(|| format!("+{more}"));
    names.extend(more.as_deref());
    names.join(", ")
}

fn short_name(p: &Person) -> &str {
    let spaced = format!(" {} ", p.name);
    let last = p.name.split_whitespace().last().unwrap_or("");
    let within: Vec<&String> = p
        .aliases
        .iter()
        .filter(|a| spaced.contains(&format!(" {a} ")))
        .collect();
    // Their surname when an alias is just that ("Erekat", not "Saeb"), else the shortest.
    within
        .iter()
        .find(|a| a.as_str() == last)
        .or_else(|| within.iter().min_by_key(|a| a.len()))
        .map_or(p.name.as_str(), |a| a.as_str())
}

/// Each source's short label: its publication as written up to any parenthesis (else its author,
/// else its title), and its year; the full title where two sources would share a label.
pub(super) fn source_labels(site: &Site) -> Vec<String> {
    let base: Vec<String> = site
        .sources
        .iter()
        .map(|x| {
            let name = [&x.publication, &x.author, &x.title]
                .into_iter()
                .map(|t| t.split(" (").next().unwrap_or("").trim())
                .find(|t| !t.is_empty())
                .unwrap_or(&x.id);
            match &x.date {
                Some(d) => format!("{name}, {}", year_label(d.year())),
                None => name.to_string(),
            }
        })
        .collect();
    base.iter()
        .zip(&site.sources)
        .map(|(label, x)| {
            if base.iter().filter(|b| *b == label).count() > 1 {
                x.title.clone()
            } else {
                label.clone()
            }
        })
        .collect()
}

fn year_label(y: i64) -> String {
    crate::date::year_label(y)
}
