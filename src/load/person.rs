//! Person files: `content/people/<id>.toml`, one person each; the file name is the id.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned as TSpanned;

use crate::diagnostics::{Diagnostics, SourceFile};
use crate::util::toml::{At, at, ats, doc, markdown};

use super::{RawPerson, check_slug};

#[derive(Deserialize)]
struct PersonToml {
    name: TSpanned<String>,
    #[serde(default)]
    aliases: Vec<TSpanned<String>>,
    #[serde(default)]
    role: String,
    #[serde(default)]
    affiliation: String,
    #[serde(default)]
    side: String,
    summary: Option<TSpanned<String>>,
    bio: Option<TSpanned<String>>,
    born: Option<TSpanned<String>>,
    died: Option<TSpanned<String>>,
    image: Option<TSpanned<String>>,
    #[serde(default)]
    sources: Vec<TSpanned<String>>,
    #[serde(default)]
    organizations: Vec<TSpanned<String>>,
}

const PERSON_KEYS: &[&str] = &[
    "name",
    "aliases",
    "role",
    "affiliation",
    "side",
    "summary",
    "bio",
    "born",
    "died",
    "image",
    "sources",
    "organizations",
];

pub(super) fn person(file: Arc<SourceFile>, diags: &mut Diagnostics) -> Option<RawPerson> {
    let stem = super::file_stem(&file.path, ".toml");
    let id = At {
        value: stem,
        span: file.span(0..0),
    };
    if !check_slug(&id, "person", diags) {
        return None;
    }
    let p: PersonToml = doc(&file, &file.text, 0, PERSON_KEYS, "a person file", diags)?;
    let PersonToml {
        name,
        aliases,
        role,
        affiliation,
        side,
        summary,
        bio,
        born,
        died,
        image,
        sources,
        organizations,
    } = p;
    let name = at(&file, 0, name);
    super::require_text(
        &name,
        "the person's name",
        "a person needs a name, their page's heading and the words the text is linked on",
        diags,
    );
    Some(RawPerson {
        id,
        name,
        aliases: ats(&file, 0, aliases),
        role,
        affiliation,
        side,
        summary: summary.map(|s| markdown(&file, 0, s)),
        bio: bio.map(|b| markdown(&file, 0, b)),
        born: born.map(|b| at(&file, 0, b)),
        died: died.map(|b| at(&file, 0, b)),
        image: image.map(|b| at(&file, 0, b)),
        sources: ats(&file, 0, sources),
        organizations: ats(&file, 0, organizations),
        file,
    })
}
