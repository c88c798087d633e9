//! `dossier new place|organization|term <id>`: a new entry file of the world, named by its id,
//! with every key of its kind written out (commented where optional).

use std::path::{Path, PathBuf};

use crate::diagnostics::Error;
use crate::site::{RESERVED_WORLD_IDS, WorldKind};

use super::{create, require_project, toml_str};

/// A new place, organization or glossary term: `content/<folder>/<id>.toml`.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub kind: WorldKind,
    pub id: String,
    /// Its name (a term's term); made from the id when absent ("jordan-valley": "Jordan Valley").
    pub name: Option<String>,
}

/// Write a new entry file. Returns its path.
pub fn new_entry(root: &Path, e: &NewEntry) -> Result<PathBuf, Error> {
    require_project(root)?;
    let id = e.id.trim();
    if !crate::util::slug::is_slug(id) {
        let hint = crate::util::slug::slugify(id);
        return Err(Error::Usage(format!(
            "invalid {} id \"{id}\": use lowercase letters, digits and single hyphens{}",
            e.kind.noun(),
            if hint.is_empty() {
                String::new()
            } else {
                format!(", such as \"{hint}\"")
            }
        )));
    }
    if e.kind != WorldKind::Term && RESERVED_WORLD_IDS.contains(&id) {
        return Err(Error::Usage(format!(
            "the {} id \"{id}\" is reserved for a generated page; choose another",
            e.kind.noun()
        )));
    }
    let name = e.name.clone().unwrap_or_else(|| name_of(id));
    let path = root
        .join("content")
        .join(e.kind.dir())
        .join(format!("{id}.toml"));
    create(&path, text(e.kind, &name))?;
    Ok(path)
}

/// A name made from an id: each word capitalized.
fn name_of(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn text(kind: WorldKind, name: &str) -> String {
    let name = toml_str(name);
    let common = "summary = \"\"\n# In Markdown; it may use [[references]].\ndescription = '''\n'''\n# Ids from content/sources.toml.\nsources = []\n# note = \"Coordinates: general knowledge.\"\n";
    match kind {
        WorldKind::Place => format!(
            "name = {name}\n# Other names the chapters use for it (each is linked like the name).\naliases = []\n\
             # city, building, region, country, site, body of water...\nkind = \"\"\n\
             # The id of the place it is within (the muqata is within ramallah).\n# within = \"\"\n\
             # [latitude, longitude] in decimal degrees.\n# coordinates = [31.778, 35.235]\n{common}"
        ),
        WorldKind::Organization => format!(
            "name = {name}\n# Other names, acronyms included (\"PLO\").\naliases = []\n\
             # government, ministry, party, movement, agency, international body, newspaper...\nkind = \"\"\n\
             # Organizations are grouped by side, as people are.\nside = \"\"\n{common}"
        ),
        WorldKind::Term => format!(
            "term = {name}\n# Other forms the chapters use (each is linked like the term).\naliases = []\n\
             # In Markdown; it may use [[references]].\ndefinition = '''\n'''\n# Ids from content/sources.toml.\nsources = []\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_from_ids() {
        assert_eq!(name_of("jordan-valley"), "Jordan Valley");
    }

    #[test]
    fn every_kind_writes_a_file_that_loads() {
        for kind in WorldKind::ALL {
            let path = format!("content/{}/x.toml", kind.dir());
            let mut d = crate::diagnostics::Diagnostics::default();
            let f = crate::diagnostics::SourceFile::new(path, text(kind, "X"));
            let e = crate::load::parse(&crate::load::ContentFile {
                kind: crate::load::Kind::World(kind),
                file: f,
            });
            d.extend(e.diagnostics.clone());
            assert!(!d.has_errors() && e.entry.is_some(), "{kind:?}: {d:?}");
        }
    }
}
