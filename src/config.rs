//! `site.toml` → `Config`: the documentary's settings, strictly checked.
//! A raw struct is read with serde and destructured field by field into the resolved `Config`,
//! so a new setting cannot be silently ignored. No runtime mode (serve, check) lives here.
//!
//! ```toml
//! title = "The Kerry Initiative"
//! description = "How the 2013–2014 peace effort was built and how it fell apart."
//! base_url = "https://user.github.io/repo/"
//! language = "en"
//! author = "The Dossier editors"
//! autolink = "first"          # "first" | "all" | "off": people, and every kind by default
//! autolink_by_kind = { terms = "off" } # optional: people, places, organizations, terms
//! cname = "kerry.example.org" # optional: writes CNAME for GitHub Pages
//! deny = ["unsourced-chapter"] # optional: warnings to treat as errors
//! published = "2026-12-06"     # optional: the feed's date for chapters that give none
//!
//! [[era]]                      # optional: the timeline's named periods, each a section
//! name = "Background"
//! end = "2012"                 # EDTF dates; an era without start or end is open on that side
//!
//! [[era]]
//! name = "The talks"
//! start = "2013-07"
//! end = "2014-04"
//!
//! [[map]]                      # optional: maps drawn at build time (see `maps`)
//! id = "region"
//! title = "Israel, the West Bank, Gaza and Jordan"
//! outlines = "content/maps/region.geojson"
//! bounds = [[29.4, 33.9], [33.5, 36.2]]
//! caption = "Outlines: Natural Earth. Borders are drawn as the data draws them."
//! ```

mod maps;

use std::sync::Arc;

use serde::Deserialize;

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile, Warning};
use crate::util::toml::doc;
pub use maps::{Bounds, MapSpec};

/// When a chapter's plain-text mentions of people become links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Autolink {
    /// Only the first mention of each person in each chapter.
    #[default]
    First,
    /// Every mention.
    All,
    /// Never: only explicit `[[id]]` references link.
    Off,
}

/// When mentions of each kind of entity become links: `autolink`, with `autolink_by_kind` over
/// it for the kinds it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Autolinks {
    pub people: Autolink,
    pub places: Autolink,
    pub organizations: Autolink,
    pub terms: Autolink,
}

impl Autolinks {
    /// The same setting for every kind.
    pub fn all(a: Autolink) -> Autolinks {
        Autolinks {
            people: a,
            places: a,
            organizations: a,
            terms: a,
        }
    }
}

/// `autolink_by_kind` as written: a setting for some kinds.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAutolinks {
    people: Option<Autolink>,
    places: Option<Autolink>,
    organizations: Option<Autolink>,
    terms: Option<Autolink>,
}

#[derive(Deserialize)]
struct RawConfig {
    /// The documentary's title, shown in the header and in `<title>`.
    title: toml::Spanned<String>,
    /// One or two sentences: the home page's introduction and the meta description.
    #[serde(default)]
    description: String,
    /// Where the site is published, e.g. `https://user.github.io/repo/`.
    base_url: toml::Spanned<String>,
    /// The `lang` of every page.
    #[serde(default = "default_language")]
    language: String,
    /// Who wrote the documentary (feed and metadata).
    #[serde(default)]
    author: String,
    #[serde(default)]
    autolink: Autolink,
    /// When mentions of each kind become links, over `autolink`.
    #[serde(default)]
    autolink_by_kind: RawAutolinks,
    /// A custom domain for GitHub Pages.
    #[serde(default)]
    cname: Option<toml::Spanned<String>>,
    /// Warning codes to treat as errors.
    #[serde(default)]
    deny: Vec<toml::Spanned<String>>,
    /// The timeline's named periods (`[[era]]` tables).
    #[serde(default)]
    era: Vec<toml::Spanned<RawEra>>,
    /// The maps drawn at build time (`[[map]]` tables).
    #[serde(default)]
    map: Vec<toml::Spanned<maps::RawMap>>,
    /// When the documentary was published (`YYYY-MM-DD`): the feed's date for chapters that
    /// give none of their own.
    #[serde(default)]
    published: Option<toml::Spanned<String>>,
}

/// One `[[era]]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEra {
    /// Its heading on the timeline: "The talks".
    name: toml::Spanned<String>,
    /// Its first date (EDTF); none: it reaches back to the first event.
    start: Option<toml::Spanned<String>>,
    /// Its last date (EDTF); none: it runs on to the last event.
    end: Option<toml::Spanned<String>>,
}

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "author",
    "autolink",
    "autolink_by_kind",
    "cname",
    "deny",
    "era",
    "map",
    "published",
];

fn default_language() -> String {
    "en".into()
}

/// The resolved settings of one build.
#[derive(Debug, Clone, Hash)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: String,
    pub author: String,
    pub autolink: Autolinks,
    pub cname: Option<String>,
    pub deny: Vec<Warning>,
    /// The timeline's named periods, in time order, none overlapping another.
    pub eras: Vec<Era>,
    /// The maps, in the order site.toml lists them, each checked (ids unique, bounds in order;
    /// after `load::site_config`, outlines files that exist).
    pub maps: Vec<MapSpec>,
    /// When the documentary was published (`YYYY-MM-DD`), for the feed.
    pub published: Option<String>,
}

/// A named period of the timeline: every event placed from the first day of `start` to the last
/// day of `end` is in its section.
#[derive(Debug, Clone, Hash)]
pub struct Era {
    pub name: String,
    pub start: Option<Date>,
    pub end: Option<Date>,
}

impl Era {
    /// Does the era hold a date placed on `day` (year, month, day)?
    pub fn holds(&self, day: (i64, u8, u8)) -> bool {
        self.start.as_ref().is_none_or(|s| first_day(s) <= day)
            && self
                .end
                .as_ref()
                .is_none_or(|e| e.last_day().is_none_or(|last| day <= last))
    }
}

fn first_day(d: &Date) -> (i64, u8, u8) {
    let (y, m, day, _) = d.sort_key();
    (y, m, day)
}

impl Config {
    /// Parse `site.toml`'s text. Problems are pushed to `diags`; `None` when the file is unusable.
    pub fn parse(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<Config> {
        Config::parse_spanned(file, diags).map(|(config, _)| config)
    }

    /// [`Config::parse`], with each map's span of its `outlines` value.
    fn parse_spanned(
        file: &Arc<SourceFile>,
        diags: &mut Diagnostics,
    ) -> Option<(Config, maps::Located)> {
        let raw: RawConfig = doc(file, &file.text, 0, KEYS, "site.toml", diags)?;
        let RawConfig {
            title,
            description,
            base_url,
            language,
            author,
            autolink,
            autolink_by_kind,
            cname,
            deny,
            era,
            map,
            published,
        } = raw;
        let autolink = autolinks(autolink, autolink_by_kind);
        let published = published
            .map(|p| crate::util::toml::At {
                span: file.span(p.span()),
                value: p.into_inner(),
            })
            .filter(|p| crate::util::toml::publication_day(p, diags))
            .map(|p| p.value);
        let span = |s: std::ops::Range<usize>| file.span(s);
        let base = match normalize_base_url(base_url.get_ref()) {
            Ok(b) => b,
            Err(why) => {
                diags.push(
                    Diagnostic::error(span(base_url.span()), format!("invalid base_url: {why}"))
                        .with_help("use an absolute URL such as \"https://user.github.io/repo/\""),
                );
                return None;
            }
        };
        if title.get_ref().trim().is_empty() {
            diags.push(Diagnostic::error(
                span(title.span()),
                "the title must not be empty",
            ));
        }
        let cname = cname.and_then(|c| self::cname(file, c, diags));
        let denied = self::denied(file, deny, diags);
        let eras = eras(file, era, diags);
        let maps = maps::maps(file, map, diags);
        let config = Config {
            title: title.into_inner(),
            description,
            base_url: base,
            language,
            author,
            autolink,
            cname,
            deny: denied,
            eras,
            maps: maps.iter().map(|(m, _)| m.clone()).collect(),
            published,
        };
        Some((config, maps))
    }

    /// The settings of `file` (`root/site.toml`, as read), with `base_url` over its own when
    /// given (`--base-url`).
    pub fn from_file(
        root: &std::path::Path,
        file: &std::sync::Arc<crate::diagnostics::SourceFile>,
        base_url: Option<&str>,
        diags: &mut Diagnostics,
    ) -> Option<Config> {
        let (mut config, maps) = Config::parse_spanned(file, diags)?;
        config.maps = maps::check_files(root, file, maps, diags);
        if let Some(url) = base_url {
            match normalize_base_url(url) {
                Ok(u) => config.base_url = u,
                Err(why) => {
                    diags.push(Diagnostic::in_file(
                        "--base-url",
                        format!("invalid base URL: {why}"),
                    ));
                    return None;
                }
            }
        }
        Some(config)
    }

    /// The path part of the base URL, e.g. `/repo/` (used only where a page cannot be relative,
    /// such as `404.html`, which is served at any depth).
    pub fn base_path(&self) -> &str {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }

    /// An absolute URL for a site path such as `chapters/x/`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

/// The `[[era]]` tables, their dates read and checked: each ends after it starts, and none
/// overlaps the next (in order of their starts). Eras with problems are left out.
/// The auto-linking of each kind: its own setting, or the site's.
fn autolinks(all: Autolink, by_kind: RawAutolinks) -> Autolinks {
    let RawAutolinks {
        people,
        places,
        organizations,
        terms,
    } = by_kind;
    Autolinks {
        people: people.unwrap_or(all),
        places: places.unwrap_or(all),
        organizations: organizations.unwrap_or(all),
        terms: terms.unwrap_or(all),
    }
}

/// `cname`, when it is a bare domain name.
fn cname(
    file: &Arc<SourceFile>,
    c: toml::Spanned<String>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let v = c.get_ref().trim().to_string();
    if v.is_empty() || v.contains(['/', ':', ' ']) {
        diags.push(
            Diagnostic::error(file.span(c.span()), format!("invalid cname \"{v}\""))
                .with_help("a bare domain name, such as \"docs.example.org\""),
        );
        None
    } else {
        Some(v)
    }
}

/// The warnings `deny` names; an unknown one is an error with the nearest code.
fn denied(
    file: &Arc<SourceFile>,
    deny: Vec<toml::Spanned<String>>,
    diags: &mut Diagnostics,
) -> Vec<Warning> {
    let mut denied = Vec::new();
    for code in deny {
        match Warning::from_code(code.get_ref()) {
            Some(w) => denied.push(w),
            None => {
                let codes: Vec<&str> = Warning::ALL.iter().map(|w| w.code()).collect();
                let help = crate::diagnostics::suggest(code.get_ref(), codes.iter().copied())
                    .unwrap_or_else(|| format!("known warnings: {}", codes.join(", ")));
                diags.push(
                    Diagnostic::error(
                        file.span(code.span()),
                        format!("unknown warning \"{}\"", code.get_ref()),
                    )
                    .with_help(help),
                );
            }
        }
    }
    denied
}

fn eras(
    file: &Arc<SourceFile>,
    raw: Vec<toml::Spanned<RawEra>>,
    diags: &mut Diagnostics,
) -> Vec<Era> {
    let mut out: Vec<(Era, std::ops::Range<usize>)> = Vec::new();
    for table in raw {
        let span = table.span();
        let RawEra { name, start, end } = table.into_inner();
        let mut ok = true;
        let mut date = |d: Option<toml::Spanned<String>>| {
            d.and_then(|d| match Date::parse(d.get_ref()) {
                Ok(date) => Some(date),
                Err(msg) => {
                    diags.push(Diagnostic::error(file.span(d.span()), msg));
                    ok = false;
                    None
                }
            })
        };
        let era = Era {
            name: name.get_ref().trim().to_string(),
            start: date(start),
            end: date(end),
        };
        if era.name.is_empty() {
            diags.push(Diagnostic::error(
                file.span(name.span()),
                "an era needs a name, its heading on the timeline",
            ));
            ok = false;
        }
        if let (Some(s), Some(e)) = (&era.start, &era.end)
            && e.last_day().is_some_and(|last| last < first_day(s))
        {
            diags.push(Diagnostic::error(
                file.span(span.clone()),
                format!("the era \"{}\" ends before it starts", era.name),
            ));
            ok = false;
        }
        if ok {
            out.push((era, span));
        }
    }
    out.sort_by_key(|(e, _)| e.start.as_ref().map(first_day));
    for w in out.windows(2) {
        let (a, b) = (&w[0].0, &w[1].0);
        let a_last = a.end.as_ref().and_then(Date::last_day);
        let b_first = b.start.as_ref().map(first_day);
        if !matches!((a_last, b_first), (Some(l), Some(f)) if l < f) {
            diags.push(
                Diagnostic::error(
                    file.span(w[1].1.clone()),
                    format!("the era \"{}\" overlaps the era \"{}\"", b.name, a.name),
                )
                .with_help(
                    "each event belongs to one era: give each an end before the next one's start",
                ),
            );
        }
    }
    out.into_iter().map(|(e, _)| e).collect()
}

/// Accept `http(s)://host[/path]`, and always end in `/`.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("\"{url}\" is not an http or https URL"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(format!("\"{url}\" has no host"));
    }
    // (A line break would add lines to robots.txt and the feed's head, which print it as is.)
    if let Some(c) = url.chars().find(|c| c.is_control()) {
        return Err(format!(
            "\"{}\" holds a control character (U+{:04X})",
            url.escape_debug(),
            c as u32
        ));
    }
    if url.contains(['?', '#', ' ', '"', '<', '>', '\\']) {
        return Err(format!(
            "\"{url}\" must not contain a query, fragment, spaces or quotes"
        ));
    }
    let mut out = url.to_string();
    if !out.ends_with('/') {
        out.push('/');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autolink_by_kind_overrides_autolink_for_the_kinds_it_names() {
        let (c, d) = parse(
            "title = \"T\"\nbase_url = \"https://e.org/\"\nautolink = \"all\"\nautolink_by_kind = { terms = \"off\", places = \"first\" }\n",
        );
        assert!(!d.has_errors(), "{d:?}");
        let a = c.unwrap().autolink;
        assert_eq!(
            (a.people, a.places, a.organizations, a.terms),
            (Autolink::All, Autolink::First, Autolink::All, Autolink::Off)
        );
        let (_, d) = parse(
            "title = \"T\"\nbase_url = \"https://e.org/\"\nautolink_by_kind = { term = \"off\" }\n",
        );
        assert!(d.has_errors());
    }

    fn parse(text: &str) -> (Option<Config>, Diagnostics) {
        let file = SourceFile::new("site.toml", text);
        let mut diags = Diagnostics::default();
        (Config::parse(&file, &mut diags), diags)
    }

    #[test]
    fn reads_settings_and_normalizes_base_url() {
        let (c, d) =
            parse("title = \"T\"\nbase_url = \"https://u.github.io/repo\"\nautolink = \"all\"\n");
        let c = c.unwrap();
        assert!(!d.has_errors());
        assert_eq!(c.base_url, "https://u.github.io/repo/");
        assert_eq!(c.base_path(), "/repo/");
        assert_eq!(c.autolink, Autolinks::all(Autolink::All));
        assert_eq!(c.language, "en");
    }

    #[test]
    fn unknown_key_is_an_error_with_a_suggestion() {
        let (_, d) = parse("title = \"T\"\nbase_url = \"https://x.org/\"\ndescripton = \"d\"\n");
        assert_eq!(d.items.len(), 1);
        let text = d.items[0].to_string();
        assert!(
            text.starts_with("site.toml:3:1: error: unknown key \"descripton\" in site.toml"),
            "{text}"
        );
        assert!(text.contains("did you mean \"description\"?"), "{text}");
    }

    #[test]
    fn base_url_holds_no_control_character() {
        for url in [
            "https://x.org/\nDisallow: /",
            "https://x.org/a\tb",
            "https://x\u{1b}[2J.org/",
        ] {
            let why = normalize_base_url(url).unwrap_err();
            assert!(why.contains("holds a control character (U+00"), "{why}");
            assert!(!why.chars().any(char::is_control), "{why}");
        }
        let (c, d) = parse("title = \"T\"\nbase_url = \"https://x.org/\\r\\nHost: evil\"\n");
        assert!(c.is_none());
        assert!(
            d.items[0].to_string().starts_with("site.toml:2:"),
            "{}",
            d.items[0]
        );
    }

    #[test]
    fn base_url_must_be_http() {
        let (c, d) = parse("title = \"T\"\nbase_url = \"ftp://x\"\n");
        assert!(c.is_none());
        assert!(d.items[0].to_string().contains("invalid base_url"));
    }
}
