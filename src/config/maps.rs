//! The `[[map]]` tables of `site.toml` → [`MapSpec`]s: each map's id, title, outlines file,
//! bounds, caption and area kinds, checked where they are written (a bad id, bounds that are
//! not `[[south, west], [north, east]]` in range and in order, an outlines path outside
//! `content/` or missing, an empty or repeated area kind). Reading and parsing the outlines
//! themselves is `load`'s and `map`'s.
//!
//! ```toml
//! [[map]]
//! id = "region"
//! title = "Israel, the West Bank, Gaza and Jordan"
//! outlines = "content/maps/region.geojson"
//! bounds = [[29.4, 33.9], [33.5, 36.2]]   # [[south, west], [north, east]], decimal degrees
//! caption = "Outlines: Natural Earth (public domain). Borders are drawn as the data draws them."
//! # optional: the place kinds drawn as areas (a name, no mark); default MapSpec::DEFAULT_AREA_KINDS
//! area_kinds = ["country", "region"]
//! ```

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::util::slug::{is_slug, slugify};

/// One `[[map]]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMap {
    /// The map's id (a slug): the `id` of its drawing on a page.
    id: toml::Spanned<String>,
    /// Its title, read by screen readers as the drawing's name.
    title: toml::Spanned<String>,
    /// The GeoJSON file of its base outlines, relative to the project (under `content/`).
    outlines: toml::Spanned<String>,
    /// `[[south, west], [north, east]]` in decimal degrees.
    bounds: toml::Spanned<toml::Value>,
    /// Shown under the map: names the data, says borders are drawn as the data draws them.
    caption: toml::Spanned<String>,
    /// The places' kinds that are areas (a country, a region), drawn as a name without a mark.
    area_kinds: Option<toml::Spanned<Vec<toml::Spanned<String>>>>,
}

/// A map of the site: what it shows and where its outlines come from.
#[derive(Debug, Clone, Hash)]
pub struct MapSpec {
    pub id: String,
    pub title: String,
    /// The outlines file, relative to the project root, with `/` (`content/maps/region.geojson`).
    pub outlines: String,
    pub bounds: Bounds,
    pub caption: String,
    /// The places' kinds that are areas, lowercase: a place of one of them is drawn as its
    /// name in lighter type, without a mark and never sized by its events (an area is not a
    /// point). [`MapSpec::DEFAULT_AREA_KINDS`] unless the map gives `area_kinds`.
    pub area_kinds: Vec<String>,
}

impl MapSpec {
    /// The kinds that are areas when a map does not say: the political and natural units
    /// whose coordinates are only a point inside them.
    pub const DEFAULT_AREA_KINDS: &[&str] = &[
        "continent",
        "country",
        "state",
        "province",
        "region",
        "territory",
        "district",
        "governorate",
        "sea",
        "ocean",
        "lake",
        "river",
        "desert",
    ];

    /// Is a place of `kind` (as written in its file) an area on this map? Case and the
    /// spaces around it do not matter.
    pub fn is_area(&self, kind: &str) -> bool {
        let kind = kind.trim();
        !kind.is_empty() && self.area_kinds.iter().any(|a| a.eq_ignore_ascii_case(kind))
    }
}

/// A rectangle of latitude and longitude in decimal degrees (WGS 84), `south < north` and
/// `west < east` (a map does not cross the 180th meridian).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl Hash for Bounds {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for v in [self.south, self.west, self.north, self.east] {
            v.to_bits().hash(state);
        }
    }
}

impl Bounds {
    /// Does the rectangle hold the point (edges included)?
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.south..=self.north).contains(&lat) && (self.west..=self.east).contains(&lon)
    }
}

const BOUNDS_HELP: &str = "write bounds = [[south, west], [north, east]] in decimal degrees, \
                           such as [[29.4, 33.9], [33.5, 36.2]]";

/// Maps with the span of their `outlines` value in site.toml.
pub(super) type Located = Vec<(MapSpec, Range<usize>)>;

/// The maps, each checked; a map with a problem is reported and left out. Returns each map
/// with the span of its `outlines` value (for [`check_files`]).
pub(super) fn maps(
    file: &Arc<SourceFile>,
    raw: Vec<toml::Spanned<RawMap>>,
    diags: &mut Diagnostics,
) -> Located {
    let mut ids = BTreeSet::new();
    let mut out = Vec::new();
    for table in raw {
        let RawMap {
            id,
            title,
            outlines,
            bounds,
            caption,
            area_kinds,
        } = table.into_inner();
        let mut ok = true;
        let mut error = |span: Range<usize>, msg: String, help: &str| {
            diags.push(Diagnostic::error(file.span(span), msg).with_help(help));
            ok = false;
        };
        if !is_slug(id.get_ref()) {
            let s = slugify(id.get_ref());
            let help = if s.is_empty() {
                "such as \"region\"".into()
            } else {
                format!("try \"{s}\"")
            };
            error(
                id.span(),
                format!("invalid map id \"{}\"", id.get_ref().escape_debug()),
                &format!("ids use lowercase letters, digits and single hyphens: {help}"),
            );
        } else if !ids.insert(id.get_ref().clone()) {
            error(
                id.span(),
                format!("a second map with the id \"{}\"", id.get_ref()),
                "give each [[map]] its own id",
            );
        }
        for (v, what) in [(&title, "title"), (&caption, "caption")] {
            if v.get_ref().trim().is_empty() {
                error(
                    v.span(),
                    format!("the map's {what} is empty"),
                    "a map needs a title (its name for screen readers) and a caption that names its data",
                );
            }
        }
        if let Err((msg, help)) = outlines_path(outlines.get_ref()) {
            error(outlines.span(), msg, &help);
        }
        let read = match read_bounds(bounds.get_ref()) {
            Ok(b) => Some(b),
            Err(msg) => {
                error(bounds.span(), format!("invalid bounds: {msg}"), BOUNDS_HELP);
                None
            }
        };
        let area_kinds = read_area_kinds(area_kinds, &mut error);
        if let (true, Some(bounds)) = (ok, read) {
            let spec = MapSpec {
                id: id.into_inner(),
                title: title.get_ref().trim().to_string(),
                outlines: outlines.get_ref().clone(),
                bounds,
                caption: caption.get_ref().trim().to_string(),
                area_kinds,
            };
            out.push((spec, outlines.span()));
        }
    }
    out
}

/// `area_kinds = [...]`: each kind a non-empty text, none twice (compared as [`MapSpec::is_area`]
/// compares them); stored lowercase. Without it, [`MapSpec::DEFAULT_AREA_KINDS`]. An empty list is
/// allowed: every place is then a point.
fn read_area_kinds(
    written: Option<toml::Spanned<Vec<toml::Spanned<String>>>>,
    error: &mut impl FnMut(Range<usize>, String, &str),
) -> Vec<String> {
    let Some(written) = written else {
        return MapSpec::DEFAULT_AREA_KINDS
            .iter()
            .map(|k| k.to_string())
            .collect();
    };
    let mut out: Vec<String> = Vec::new();
    for kind in written.into_inner() {
        let k = kind.get_ref().trim().to_lowercase();
        if k.is_empty() {
            error(
                kind.span(),
                "an empty area kind".into(),
                "write the kind as places give it, such as \"country\", or remove the empty text",
            );
        } else if out.contains(&k) {
            error(
                kind.span(),
                format!(
                    "the area kind \"{}\" is listed twice",
                    kind.get_ref().trim()
                ),
                "list each kind once (kinds are compared without regard to case)",
            );
        } else {
            out.push(k);
        }
    }
    out
}

/// An outlines path must be relative, use `/`, and lie under `content/` (which `serve`
/// watches, so an edit of the outlines rebuilds the maps).
fn outlines_path(path: &str) -> Result<(), (String, String)> {
    let bad_part = path
        .split('/')
        .any(|p| p.is_empty() || p == "." || p == "..");
    if path.starts_with('/') || path.contains('\\') || bad_part {
        return Err((
            format!("the outlines path \"{}\" is not a plain relative path", path.escape_debug()),
            "write it relative to the project folder with /, such as \"content/maps/region.geojson\"".into(),
        ));
    }
    if !path.starts_with("content/") {
        return Err((
            format!("the outlines file \"{path}\" is not under content/"),
            format!(
                "keep it beside the documentary's other files, such as \"content/maps/{}\" (serve rebuilds when a file under content/ changes)",
                path.rsplit('/').next().unwrap_or(path)
            ),
        ));
    }
    Ok(())
}

/// `[[south, west], [north, east]]`: numbers (integers too), latitudes within ±90, longitudes
/// within ±180, south below north and west of east.
fn read_bounds(v: &toml::Value) -> Result<Bounds, String> {
    let pair = |v: &toml::Value| -> Option<(f64, f64)> {
        let a = v.as_array().filter(|a| a.len() == 2)?;
        let num = |v: &toml::Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
        Some((num(&a[0])?, num(&a[1])?))
    };
    let corners = v
        .as_array()
        .filter(|a| a.len() == 2)
        .and_then(|a| Some((pair(&a[0])?, pair(&a[1])?)));
    let Some(((south, west), (north, east))) = corners else {
        return Err("not two corners of two numbers each".into());
    };
    for (lat, which) in [(south, "south"), (north, "north")] {
        if !(-90.0..=90.0).contains(&lat) {
            return Err(format!(
                "the {which} latitude {lat} is not between -90 and 90"
            ));
        }
    }
    for (lon, which) in [(west, "west"), (east, "east")] {
        if !(-180.0..=180.0).contains(&lon) {
            return Err(format!(
                "the {which} longitude {lon} is not between -180 and 180"
            ));
        }
    }
    if south >= north {
        return Err(format!(
            "the south edge ({south}) is not below the north edge ({north}): the first corner is the south-west one"
        ));
    }
    if west >= east {
        return Err(format!(
            "the west edge ({west}) is not west of the east edge ({east}) (a map cannot cross the 180th meridian)"
        ));
    }
    Ok(Bounds {
        south,
        west,
        north,
        east,
    })
}

/// Each map's outlines file must exist under `root`; a missing one is an error at its path
/// in site.toml, and the map is left out.
pub(super) fn check_files(
    root: &Path,
    file: &Arc<SourceFile>,
    maps: Located,
    diags: &mut Diagnostics,
) -> Vec<MapSpec> {
    let mut kept = Vec::with_capacity(maps.len());
    for (spec, span) in maps {
        if root.join(&spec.outlines).is_file() {
            kept.push(spec);
            continue;
        }
        let (dir, name) = spec
            .outlines
            .rsplit_once('/')
            .unwrap_or(("", &spec.outlines));
        let names = listing(&root.join(dir));
        let help = match crate::diagnostics::did_you_mean(name, names.iter().map(String::as_str)) {
            Some(near) => format!("did you mean \"{dir}/{near}\"?"),
            None => format!(
                "make it (a GeoJSON FeatureCollection of outlines) or correct the path; files in {dir}/: {}",
                if names.is_empty() {
                    "none".into()
                } else {
                    names.join(", ")
                }
            ),
        };
        diags.push(
            Diagnostic::error(
                file.span(span),
                format!("the outlines file \"{}\" does not exist", spec.outlines),
            )
            .with_help(help),
        );
    }
    kept
}

/// The `.geojson` and `.json` files of a folder, for the help of a missing outlines file.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".geojson") || n.ends_with(".json"))
        .filter(|n| n != "package.json" && n != "package-lock.json")
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::diagnostics::{Diagnostics, SourceFile};

    const HEAD: &str = "title = \"T\"\nbase_url = \"https://x.org/\"\n";

    fn parse(maps: &str) -> (Option<Config>, Vec<String>) {
        let file = SourceFile::new("site.toml", format!("{HEAD}{maps}"));
        let mut d = Diagnostics::default();
        let c = Config::parse(&file, &mut d);
        (c, d.items.iter().map(|d| d.to_string()).collect())
    }

    fn map(id: &str, outlines: &str, bounds: &str) -> String {
        format!(
            "[[map]]\nid = \"{id}\"\ntitle = \"Region\"\noutlines = \"{outlines}\"\nbounds = {bounds}\ncaption = \"Natural Earth.\"\n"
        )
    }

    #[test]
    fn a_map_is_read_with_integer_or_decimal_degrees() {
        let (c, d) = parse(&map(
            "region",
            "content/maps/r.geojson",
            "[[29.4, 34], [33.5, 36.2]]",
        ));
        assert!(d.is_empty(), "{d:?}");
        let m = &c.unwrap().maps[0];
        assert_eq!(
            (m.id.as_str(), m.outlines.as_str()),
            ("region", "content/maps/r.geojson")
        );
        assert_eq!(
            (m.bounds.south, m.bounds.west, m.bounds.north, m.bounds.east),
            (29.4, 34.0, 33.5, 36.2)
        );
        assert!(m.bounds.contains(31.778, 35.235) && !m.bounds.contains(46.8, 9.84));
    }

    #[test]
    fn bad_bounds_are_errors_at_the_bounds() {
        for (bounds, phrase) in [
            (
                "[[33.5, 33.9], [29.4, 36.2]]",
                "the south edge (33.5) is not below the north edge (29.4)",
            ),
            (
                "[[29.4, 36.2], [33.5, 33.9]]",
                "the west edge (36.2) is not west of the east edge (33.9)",
            ),
            (
                "[[29.4, 33.9], [95, 36.2]]",
                "the north latitude 95 is not between -90 and 90",
            ),
            (
                "[[29.4, -190], [33.5, 36.2]]",
                "the west longitude -190 is not between -180 and 180",
            ),
            (
                "[29.4, 33.9, 33.5, 36.2]",
                "not two corners of two numbers each",
            ),
            (
                "[[29.4, \"33.9\"], [33.5, 36.2]]",
                "not two corners of two numbers each",
            ),
        ] {
            let (c, d) = parse(&map("region", "content/maps/r.geojson", bounds));
            assert!(c.unwrap().maps.is_empty());
            assert_eq!(d.len(), 1, "{d:?}");
            assert!(
                d[0].starts_with("site.toml:7:10: error: invalid bounds: "),
                "{}",
                d[0]
            );
            assert!(d[0].contains(phrase), "{}", d[0]);
            assert!(d[0].contains("[[south, west], [north, east]]"), "{}", d[0]);
        }
    }

    #[test]
    fn ids_paths_titles_and_keys_are_checked() {
        let b = "[[29.4, 33.9], [33.5, 36.2]]";
        let (_, d) = parse(&format!(
            "{}{}",
            map("Region 1", "content/maps/r.geojson", b),
            map("world", "maps/w.geojson", b)
        ));
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d[0].starts_with("site.toml:4:6: error: invalid map id \"Region 1\"")
                && d[0].contains("try \"region-1\""),
            "{}",
            d[0]
        );
        assert!(
            d[1].starts_with(
                "site.toml:12:12: error: the outlines file \"maps/w.geojson\" is not under content/"
            ),
            "{}",
            d[1]
        );
        assert!(d[1].contains("\"content/maps/w.geojson\""), "{}", d[1]);
        let (_, d) = parse(&format!(
            "{}{}",
            map("a", "content/../x.geojson", b),
            map("a", "content/a.geojson", b)
        ));
        assert!(d[0].contains("is not a plain relative path"), "{}", d[0]);
        assert!(d[1].contains("a second map with the id \"a\""), "{}", d[1]);
        let (_, d) = parse(
            "[[map]]\nid = \"a\"\ntitle = \"\"\noutlines = \"content/a.geojson\"\nbounds = [[0, 0], [1, 1]]\ncaption = \"c\"\nzoom = 3\n",
        );
        assert!(d.iter().any(|m| m.contains("zoom")), "{d:?}");
    }

    #[test]
    fn area_kinds_default_or_as_written_case_aside() {
        let b = "[[29.4, 33.9], [33.5, 36.2]]";
        let (c, d) = parse(&map("region", "content/maps/r.geojson", b));
        assert!(d.is_empty(), "{d:?}");
        let m = &c.unwrap().maps[0];
        assert_eq!(m.area_kinds, super::MapSpec::DEFAULT_AREA_KINDS);
        assert!(m.is_area("country") && m.is_area(" Region ") && !m.is_area("city"));
        assert!(!m.is_area(""));
        let (c, d) = parse(&format!(
            "{}area_kinds = [\"Country\", \"emirate\"]\n",
            map("region", "content/maps/r.geojson", b)
        ));
        assert!(d.is_empty(), "{d:?}");
        let m = &c.unwrap().maps[0];
        assert_eq!(m.area_kinds, ["country", "emirate"]);
        assert!(m.is_area("EMIRATE") && !m.is_area("region"));
        let (c, d) = parse(&format!(
            "{}area_kinds = []\n",
            map("region", "content/maps/r.geojson", b)
        ));
        assert!(d.is_empty(), "{d:?}");
        assert!(!c.unwrap().maps[0].is_area("country"), "no kind is an area");
    }

    #[test]
    fn bad_area_kinds_are_errors_at_the_kind() {
        let b = "[[29.4, 33.9], [33.5, 36.2]]";
        let (c, d) = parse(&format!(
            "{}area_kinds = [\"country\", \" \", \"Country\"]\n",
            map("region", "content/maps/r.geojson", b)
        ));
        assert!(c.unwrap().maps.is_empty(), "the map is left out");
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d[0].starts_with("site.toml:9:26: error: an empty area kind"),
            "{}",
            d[0]
        );
        assert!(
            d[1].starts_with("site.toml:9:31: error: the area kind \"Country\" is listed twice"),
            "{}",
            d[1]
        );
        let (_, d) = parse(&format!(
            "{}area_kinds = \"country\"\n",
            map("region", "content/maps/r.geojson", b)
        ));
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].starts_with("site.toml:9:14: error:"), "{}", d[0]);
    }

    #[test]
    fn a_missing_outlines_file_is_an_error_at_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/maps")).unwrap();
        std::fs::write(root.join("content/maps/region.geojson"), "{}").unwrap();
        let b = "[[29.4, 33.9], [33.5, 36.2]]";
        let text = format!(
            "{HEAD}{}{}",
            map("region", "content/maps/region.geojson", b),
            map("world", "content/maps/regoin.geojson", b)
        );
        std::fs::write(root.join("site.toml"), text).unwrap();
        let mut d = Diagnostics::default();
        let c = crate::load::site_config(root, None, &mut d).unwrap();
        assert_eq!(c.maps.len(), 1);
        assert_eq!(d.items.len(), 1);
        let msg = d.items[0].to_string();
        assert!(msg.starts_with("site.toml:12:12: error: the outlines file \"content/maps/regoin.geojson\" does not exist"), "{msg}");
        assert!(
            msg.contains("did you mean \"content/maps/region.geojson\"?"),
            "{msg}"
        );
    }
}
