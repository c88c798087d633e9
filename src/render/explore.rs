//! The pages for exploring the documentary: the network of people (`people/network/`) and the
//! print edition (`print/`; for a long documentary, volumes `print/<n>/` listed on `print/`).
//! Their typed views live here; the drawing is `network`'s and the chapter bodies are `print`'s.
//! A child of `render`, so it shares its `Ctx` and templates.

use serde::Serialize;

use super::views::{Link, PageInfo, PageView, SiteView, TocItem};
use super::{Ctx, PageSpec};
use crate::diagnostics::Diagnostic;
use crate::network::{self, Shape};
use crate::print;
use crate::site::{Chapter, PRINT_VOLUME_CHAPTERS, Site, WORLD_PER_PAGE, print_volume};

pub(super) const NETWORK_PATH: &str = "people/network/";
pub(super) const PRINT_PATH: &str = "print/";

#[derive(Serialize)]
struct NetworkView<'a> {
    site: SiteView<'a>,
    page: PageView,
    /// The drawing: an `<svg>` element whose nodes link to the biographies.
    svg: String,
    /// The sides drawn, for the legend, each with its rows of the table: the same information
    /// as the drawing.
    sides: Vec<SideItem>,
    /// Everyone in the documentary, those drawn, and those with connections left out.
    people: usize,
    drawn: usize,
    left_out: usize,
    /// The ties drawn: seen at least twice (shown by default), and once (shown on request).
    repeated: usize,
    weak: usize,
    /// How many times is "repeated" (`network::REPEATED`).
    twice: u32,
    /// A paragraph naming more people than this ties none of them.
    paragraph_max: usize,
    /// People who appear with no one else: the first [`ALONE_SHOWN`], and how many more.
    alone: Vec<Link>,
    alone_more: usize,
}

/// How many of the people who appear with no one the network page names (all are on the people
/// index), so the page stays bounded however many there are.
const ALONE_SHOWN: usize = 200;

#[derive(Serialize)]
struct SideItem {
    label: String,
    /// A small SVG of the side's shape.
    icon: String,
    shape: &'static str,
    count: usize,
    rows: Vec<RowItem>,
}

#[derive(Serialize)]
struct RowItem {
    /// The row's id ("n-<person id>"), which person pages link to.
    anchor: String,
    name: String,
    url: String,
    links: Vec<ConnectionItem>,
    /// How many of the links are repeated ties.
    repeated: usize,
}

#[derive(Serialize)]
struct ConnectionItem {
    name: String,
    url: String,
    paragraphs: u32,
    events: u32,
    total: u32,
    /// At least `network::REPEATED`: shown by default.
    repeated: bool,
}

pub(super) fn network_page<'a>(cx: &Ctx<'a>) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let path = NETWORK_PATH;
    let root = "../../";
    let drawing = network::network(s, cx.graph, root);
    let ld = serde_json::json!({
        "@context": "https://schema.org", "@type": "WebPage",
        "name": format!("Who appears with whom · {}", s.config.title), "url": s.config.absolute(path),
    });
    let page = cx.page(PageInfo { kind: "network", path, title: "Who appears with whom", description: &format!(
            "The people of {} and who appears with whom: in the same paragraph, in the same event.",
            s.config.title
        ), og_type: "website", section: "people" }, ld);
    let person_link = |p: crate::site::PersonIx| Link {
        title: s.people[p].name.clone(),
        url: format!("{root}{}", s.people[p].url()),
    };
    let row = |r: &network::Row| {
        let p = &s.people[r.person];
        let links: Vec<ConnectionItem> = r
            .connections
            .iter()
            .map(|&(q, paragraphs, events)| {
                let l = person_link(q);
                ConnectionItem {
                    name: l.title,
                    url: l.url,
                    paragraphs,
                    events,
                    total: paragraphs + events,
                    repeated: paragraphs + events >= network::REPEATED,
                }
            })
            .collect();
        RowItem {
            anchor: format!("n-{}", p.id),
            name: p.name.clone(),
            url: format!("{root}{}", p.url()),
            repeated: links.iter().filter(|l| l.repeated).count(),
            links,
        }
    };
    let mut rows = drawing.rows.iter();
    let view = NetworkView {
        site: cx.site_view(),
        page,
        sides: drawing
            .sides
            .iter()
            .map(|(side, label, count)| SideItem {
                label: label.clone(),
                icon: network::side_icon(*side),
                shape: Shape::for_side(*side).name(),
                count: *count,
                rows: rows.by_ref().take(*count).map(row).collect(),
            })
            .collect(),
        people: s.people.len(),
        drawn: drawing.rows.len(),
        left_out: drawing.left_out,
        repeated: drawing.repeated,
        weak: drawing.weak,
        twice: network::REPEATED,
        paragraph_max: crate::markdown::PARAGRAPH_PEOPLE_MAX,
        alone: drawing
            .alone
            .iter()
            .take(ALONE_SHOWN)
            .map(|&p| person_link(p))
            .collect(),
        alone_more: drawing.alone.len().saturating_sub(ALONE_SHOWN),
        svg: drawing.svg,
    };
    Ok(PageSpec::template(path, "network.html", view))
}

/// A person's neighbourhood, for their page.
#[derive(Serialize)]
pub(super) struct Neighbourhood {
    /// An SVG (an image with a text alternative) of them and the people they appear with most.
    svg: String,
    /// The network page, at their row when the drawing shows them.
    url: String,
}

pub(super) fn neighbourhood(
    cx: &Ctx<'_>,
    p: crate::site::PersonIx,
    root: &str,
) -> Option<Neighbourhood> {
    let svg = network::neighbourhood(cx.site, cx.graph, p).unwrap_or_default();
    if svg.is_empty() {
        return None;
    }
    let anchor = if cx.graph.is_drawn(p) {
        format!("#n-{}", cx.site.people[p].id)
    } else {
        String::new()
    };
    Some(Neighbourhood {
        svg,
        url: format!("{root}{NETWORK_PATH}{anchor}"),
    })
}

#[derive(Serialize)]
struct PrintView<'a> {
    site: SiteView<'a>,
    page: PageView,
    chapters: Vec<PrintChapter>,
    /// Which volume this page is, when the edition is split (`None`: every chapter, one page).
    volume: Option<VolumeNav>,
    /// The glossary, at the end of the edition (its last volume), the first
    /// [`WORLD_PER_PAGE`] terms; how many more the online glossary has.
    glossary: Vec<PrintTerm>,
    glossary_more: usize,
}

#[derive(Serialize)]
struct PrintTerm {
    anchor: String,
    term: String,
    definition: String,
}

/// A volume of a print edition split into volumes, and its neighbours.
#[derive(Serialize)]
struct VolumeNav {
    number: usize,
    /// How many volumes there are.
    count: usize,
    /// The numbers of its first and last chapters.
    first: u64,
    last: u64,
    /// The volumes before and after it, and the list of volumes (`print/`), relative to it.
    prev: Option<String>,
    next: Option<String>,
    contents: String,
}

#[derive(Serialize)]
struct PrintChapter {
    number: u64,
    title: String,
    summary: String,
    /// The id of the chapter's heading, which links to the chapter point at.
    anchor: String,
    /// The chapter's HTML, ids prefixed, headings one level down, links between chapters made
    /// anchors (in-page, or `../<volume>/#…` for a chapter printed in another volume).
    content: String,
    toc: Vec<TocItem>,
}

/// How many volumes the print edition has: 0 when it is one page (`print/`).
pub(super) fn print_volumes(chapters: usize) -> usize {
    if print_volume(crate::site::ChapterIx(0), chapters).is_some() {
        chapters.div_ceil(PRINT_VOLUME_CHAPTERS)
    } else {
        0
    }
}

/// The chapters a print page holds: all `n`, or one volume's.
pub(super) fn print_chapters(volume: Option<usize>, n: usize) -> std::ops::Range<usize> {
    match volume {
        None => 0..n,
        Some(v) => (v - 1) * PRINT_VOLUME_CHAPTERS..(v * PRINT_VOLUME_CHAPTERS).min(n),
    }
}

/// The path of a print page: the whole edition, or one volume.
fn print_path(volume: Option<usize>) -> String {
    match volume {
        None => PRINT_PATH.to_string(),
        Some(v) => format!("{PRINT_PATH}{v}/"),
    }
}

/// Where each chapter is printed, and a fingerprint of it: what the links of a print page depend
/// on (every chapter's slug and volume). Made once per build, for every print page.
pub(super) fn print_volumes_of(s: &crate::site::Site) -> print::Volumes<'_> {
    let n = s.chapters.len();
    print::Volumes::new(
        s.chapters
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.as_str(), print_volume(crate::site::ChapterIx(i), n))),
    )
}

/// The print edition (`volume` `None`: every chapter on `print/`), or one of its volumes.
pub(super) fn print_page<'a>(
    cx: &Ctx<'a>,
    volume: Option<usize>,
) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let n = s.chapters.len();
    let path = print_path(volume);
    let root = super::root_for(&path, s.config.base_path());
    let volumes = cx.print_volumes.get_or_init(|| print_volumes_of(s));
    let edition = volumes.edition(volume);
    let range = print_chapters(volume, n);
    let chapters = &s.chapters[range.clone()];
    let (title, description, name) = print_titles(s, volume, chapters);
    let mut ld = serde_json::json!({
        "@context": "https://schema.org", "@type": "Book",
        "name": name, "description": s.config.description, "url": s.config.absolute(&path),
        "inLanguage": s.config.language, "numberOfPages": chapters.len(),
    });
    if volume.is_some() {
        ld["isPartOf"] = serde_json::json!({"@type": "Book", "name": s.config.title, "url": s.config.absolute(PRINT_PATH)});
    }
    let page = cx.page(
        PageInfo {
            kind: "print",
            path: &path,
            title: &title,
            description: &description,
            og_type: "book",
            section: "",
        },
        ld,
    );
    let count = print_volumes(n);
    let view = PrintView {
        site: cx.site_view(),
        page,
        volume: volume.map(|v| VolumeNav {
            number: v,
            count,
            first: chapters[0].number,
            last: chapters[chapters.len() - 1].number,
            prev: (v > 1).then(|| format!("../{}/", v - 1)),
            next: (v < count).then(|| format!("../{}/", v + 1)),
            contents: "../".into(),
        }),
        chapters: chapters
            .iter()
            .map(|ch| print_chapter(ch, &edition, &root))
            .collect(),
        glossary: if range.end == n {
            s.world
                .terms
                .iter()
                .take(WORLD_PER_PAGE)
                .map(|t| PrintTerm {
                    anchor: format!("glossary-{}", t.id),
                    term: t.name.clone(),
                    // As a chapter's text reads in print: links to chapters become anchors
                    // of this edition, ids take the term's prefix.
                    definition: print::chapter_html(
                        t.description.marked(),
                        &format!("glossary-{}", t.id),
                        &edition,
                        &root,
                    ),
                })
                .collect()
        } else {
            Vec::new()
        },
        glossary_more: if range.end == n {
            s.world.terms.len().saturating_sub(WORLD_PER_PAGE)
        } else {
            0
        },
    };
    Ok(PageSpec::template(&path, "print.html", view))
}

/// A print page's title, description and book name: the edition's, or a volume's.
fn print_titles(s: &Site, volume: Option<usize>, chapters: &[Chapter]) -> (String, String, String) {
    match volume {
        None => (
            "Print edition".to_string(),
            format!(
                "Every chapter of {} on one page, to print or save as PDF.",
                s.config.title
            ),
            s.config.title.clone(),
        ),
        Some(v) => {
            let (a, b) = (chapters[0].number, chapters[chapters.len() - 1].number);
            (
                format!("Print edition, volume {v}"),
                format!(
                    "Chapters {a} to {b} of {} on one page, to print or save as PDF.",
                    s.config.title
                ),
                format!("{}, volume {v}", s.config.title),
            )
        }
    }
}

/// One chapter as the print edition shows it: its HTML with ids, links and headings made the
/// edition's, and its sections for the contents.
fn print_chapter(ch: &Chapter, edition: &print::Edition<'_>, root: &str) -> PrintChapter {
    PrintChapter {
        number: ch.number,
        title: ch.title.clone(),
        summary: ch.summary.clone(),
        anchor: print::chapter_anchor(&ch.slug),
        content: print::chapter_html(ch.html.marked(), &ch.slug, edition, root),
        toc: ch
            .toc
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| TocItem {
                level: h.level + 1,
                id: print::prefixed(&ch.slug, &h.id),
                text: h.text.clone(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct PrintVolumesView<'a> {
    site: SiteView<'a>,
    page: PageView,
    volumes: Vec<VolumeItem>,
    chapters: usize,
}

#[derive(Serialize)]
struct VolumeItem {
    number: usize,
    url: String,
    first: Link,
    last: Link,
    first_number: u64,
    last_number: u64,
    chapters: usize,
}

/// `print/` of an edition split into volumes: each volume with its chapter range.
pub(super) fn print_volumes_page<'a>(cx: &Ctx<'a>) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let path = PRINT_PATH;
    let root = "../";
    let volumes: Vec<VolumeItem> = s
        .chapters
        .chunks(PRINT_VOLUME_CHAPTERS)
        .enumerate()
        .map(|(i, chunk)| {
            let first = i * PRINT_VOLUME_CHAPTERS;
            let last = first + chunk.len() - 1;
            VolumeItem {
                number: i + 1,
                url: format!("{}/", i + 1),
                first: cx.chapter_link(crate::site::ChapterIx(first), root),
                last: cx.chapter_link(crate::site::ChapterIx(last), root),
                first_number: chunk[0].number,
                last_number: chunk[chunk.len() - 1].number,
                chapters: chunk.len(),
            }
        })
        .collect();
    let ld = serde_json::json!({
        "@context": "https://schema.org", "@type": "Book",
        "name": s.config.title, "description": s.config.description, "url": s.config.absolute(path),
        "inLanguage": s.config.language, "numberOfPages": s.chapters.len(),
        "hasPart": volumes.iter().map(|v| serde_json::json!({
            "@type": "Book", "name": format!("{}, volume {}", s.config.title, v.number),
            "url": s.config.absolute(&print_path(Some(v.number))),
        })).collect::<Vec<_>>(),
    });
    let page = cx.page(
        PageInfo {
            kind: "print",
            path,
            title: "Print edition",
            description: &format!(
                "{} in {} volumes, to print or save as PDF.",
                s.config.title,
                volumes.len()
            ),
            og_type: "book",
            section: "",
        },
        ld,
    );
    let view = PrintVolumesView {
        site: cx.site_view(),
        page,
        chapters: s.chapters.len(),
        volumes,
    };
    Ok(PageSpec::template(path, "print-volumes.html", view))
}
