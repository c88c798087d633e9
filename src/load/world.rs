//! The world's files: `content/places/<id>.toml`, `content/organizations/<id>.toml` and
//! `content/glossary/<id>.toml`, one entry each, the file name its id. The three kinds share
//! one loader and one raw record ([`RawEntry`]); each has only its own keys. Coordinates are
//! checked here (they need nothing else); ids are looked up by `resolve`.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned as TSpanned;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::site::WorldKind;
use crate::util::toml::{At, at, ats, doc, markdown};

use super::{RawEntry, check_slug};

/// Every key any kind may have; each kind's own are in [`keys`].
#[derive(Deserialize)]
struct EntryToml {
    name: Option<TSpanned<String>>,
    term: Option<TSpanned<String>>,
    #[serde(default)]
    aliases: Vec<TSpanned<String>>,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    side: String,
    within: Option<TSpanned<String>>,
    coordinates: Option<TSpanned<Vec<f64>>>,
    summary: Option<TSpanned<String>>,
    description: Option<TSpanned<String>>,
    definition: Option<TSpanned<String>>,
    #[serde(default)]
    sources: Vec<TSpanned<String>>,
    #[serde(default)]
    note: String,
}

/// The keys a file of `kind` may have.
fn keys(kind: WorldKind) -> &'static [&'static str] {
    match kind {
        WorldKind::Place => &[
            "name",
            "aliases",
            "kind",
            "within",
            "coordinates",
            "summary",
            "description",
            "sources",
            "note",
        ],
        WorldKind::Organization => &[
            "name",
            "aliases",
            "kind",
            "side",
            "summary",
            "description",
            "sources",
            "note",
        ],
        WorldKind::Term => &["term", "aliases", "definition", "sources", "note"],
    }
}

/// The id a file's name gives its entry (`content/places/gaza.toml` → `gaza`), if valid.
pub(super) fn file_id(path: &str) -> Option<String> {
    let stem = path.rsplit('/').next()?.strip_suffix(".toml")?;
    crate::util::slug::is_slug(stem).then(|| stem.to_string())
}

/// One entry file of `kind`; `None` (reported) when it cannot be used.
pub(super) fn entry(
    kind: WorldKind,
    file: Arc<SourceFile>,
    diags: &mut Diagnostics,
) -> Option<RawEntry> {
    let stem = super::file_stem(&file.path, ".toml");
    let id = At {
        value: stem,
        span: file.span(0..0),
    };
    if !check_slug(&id, kind.noun(), diags) {
        return None;
    }
    let what = format!("{} {} file", article(kind), kind.noun());
    let e: EntryToml = doc(&file, &file.text, 0, keys(kind), &what, diags)?;
    let EntryToml {
        name,
        term,
        aliases,
        kind: category,
        side,
        within,
        coordinates,
        summary,
        description,
        definition,
        sources,
        note,
    } = e;
    let name = heading(
        kind,
        &file,
        if kind == WorldKind::Term { term } else { name },
        diags,
    )?;
    let coordinates = coordinates.and_then(|c| check_coordinates(&file, c, diags));
    Some(RawEntry {
        kind,
        id,
        name,
        aliases: ats(&file, 0, aliases),
        category,
        side,
        within: within.map(|w| at(&file, 0, w)),
        coordinates,
        summary: summary.map(|s| markdown(&file, 0, s)),
        description: description.or(definition).map(|d| markdown(&file, 0, d)),
        sources: ats(&file, 0, sources),
        note,
        file,
    })
}

/// "a" or "an", before the kind's noun.
fn article(kind: WorldKind) -> &'static str {
    if kind == WorldKind::Organization {
        "an"
    } else {
        "a"
    }
}

/// An entry's heading: a term's `term`, another's `name`, which must be there and not blank.
fn heading(
    kind: WorldKind,
    file: &Arc<SourceFile>,
    written: Option<TSpanned<String>>,
    diags: &mut Diagnostics,
) -> Option<At<String>> {
    let key = if kind == WorldKind::Term {
        "term"
    } else {
        "name"
    };
    let Some(name) = written else {
        diags.push(
            Diagnostic::error(
                file.span(0..0),
                format!("this {} has no `{key}`", kind.noun()),
            )
            .with_help(format!(
                "add `{key} = \"...\"`: its heading and the words the text is linked on"
            )),
        );
        return None;
    };
    let name = at(file, 0, name);
    super::require_text(
        &name,
        &format!("the {}'s {key}", kind.noun()),
        "it is the heading and the words the text is linked on",
        diags,
    );
    Some(name)
}

/// `coordinates = [latitude, longitude]`: two numbers, latitude in [-90, 90], longitude in
/// [-180, 180].
fn check_coordinates(
    file: &Arc<SourceFile>,
    c: TSpanned<Vec<f64>>,
    diags: &mut Diagnostics,
) -> Option<At<[f64; 2]>> {
    let span = file.span(c.span());
    let v = c.into_inner();
    let problem = match v.as_slice() {
        [lat, _] if !(-90.0..=90.0).contains(lat) => Some(format!(
            "latitude {lat} is out of range: it must be between -90 and 90"
        )),
        [_, lon] if !(-180.0..=180.0).contains(lon) => Some(format!(
            "longitude {lon} is out of range: it must be between -180 and 180"
        )),
        [lat, lon] => {
            return Some(At {
                value: [*lat, *lon],
                span,
            });
        }
        _ => Some(format!(
            "coordinates need two numbers, [latitude, longitude]; this has {}",
            v.len()
        )),
    };
    let help = match v.as_slice() {
        [lat, lon] if (-90.0..=90.0).contains(lon) && (-180.0..=180.0).contains(lat) => {
            format!("latitude comes first: did you mean [{lon}, {lat}]?")
        }
        _ => "write `coordinates = [latitude, longitude]` in decimal degrees, such as [31.778, 35.235] for Jerusalem".into(),
    };
    diags.push(Diagnostic::error(span, problem.unwrap_or_default()).with_help(help));
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(kind: WorldKind, path: &str, text: &str) -> (Option<RawEntry>, Diagnostics) {
        let mut d = Diagnostics::default();
        (entry(kind, SourceFile::new(path, text), &mut d), d)
    }

    #[test]
    fn a_place_loads_with_its_coordinates_and_within() {
        let (e, d) = load(
            WorldKind::Place,
            "content/places/muqata.toml",
            "name = \"Muqata\"\nkind = \"building\"\nwithin = \"ramallah\"\ncoordinates = [31.9, 35.2]\n",
        );
        assert!(!d.has_errors(), "{d:?}");
        let e = e.unwrap();
        assert_eq!(e.id.value, "muqata");
        assert_eq!(e.within.unwrap().value, "ramallah");
        assert_eq!(e.coordinates.unwrap().value, [31.9, 35.2]);
    }

    #[test]
    fn coordinates_out_of_range_are_located_errors() {
        let (_, d) = load(
            WorldKind::Place,
            "content/places/x.toml",
            "name = \"X\"\ncoordinates = [135.2, 31.9]\n",
        );
        let text = format!("{d:?}");
        assert!(text.contains("latitude 135.2 is out of range"), "{text}");
        assert!(text.contains("did you mean [31.9, 135.2]"), "{text}");
        let (_, d) = load(
            WorldKind::Place,
            "content/places/x.toml",
            "name = \"X\"\ncoordinates = [31.9, 200]\n",
        );
        assert!(format!("{d:?}").contains("longitude 200 is out of range"));
    }

    #[test]
    fn each_kind_has_only_its_own_keys() {
        let (_, d) = load(
            WorldKind::Term,
            "content/glossary/x.toml",
            "term = \"X\"\ncoordinates = [1, 2]\n",
        );
        assert!(format!("{d:?}").contains("coordinates"), "{d:?}");
        let (e, d) = load(
            WorldKind::Term,
            "content/glossary/two-states.toml",
            "term = \"Two-state solution\"\ndefinition = \"Two states.\"\n",
        );
        assert!(!d.has_errors());
        assert_eq!(e.unwrap().description.unwrap().text, "Two states.");
        let (_, d) = load(
            WorldKind::Organization,
            "content/organizations/plo.toml",
            "aliases = []\n",
        );
        assert!(format!("{d:?}").contains("has no `name`"), "{d:?}");
    }
}
