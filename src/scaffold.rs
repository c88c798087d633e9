//! `dossier new`, `dossier init` and `dossier eject`: well-formed new files with the right id,
//! slug and number. It writes only files that do not exist yet (never overwriting one), and its
//! samples build cleanly and pass `dossier check` without warnings. `init` (with its samples and
//! the GitHub Pages workflow) is in `scaffold/init.rs`, `eject` in `scaffold/eject.rs`. Turning
//! arguments into calls is `main`'s.

mod eject;
mod init;
mod world;

pub use eject::{eject, ejectable};
pub use init::{PAGES_WORKFLOW, init, pages_workflow};
pub use world::{NewEntry, new_entry};

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostics, Error};
use crate::util::slug::{is_slug, slugify};

/// A new chapter: `content/chapters/NN-slug.md`, numbered after the last one.
#[derive(Debug, Clone)]
pub struct NewChapter {
    pub title: String,
    /// The slug; made from the title when absent.
    pub slug: Option<String>,
}

/// A new person: `content/people/<id>.toml`.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    /// The id; made from the name when absent.
    pub id: Option<String>,
}

/// A new event: a `[[event]]` table in `content/events/<id>.toml`, or appended to `into`.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub title: String,
    /// An EDTF date such as `2014-04-01`, `2014-04` or `1975~`.
    pub date: String,
    pub id: Option<String>,
    /// The chapter that tells it: `slug` or `slug#section`.
    pub chapter: Option<String>,
    /// An existing events file to append to instead of writing a new one.
    pub into: Option<PathBuf>,
}

/// Write a new chapter file. Returns its path.
pub fn new_chapter(root: &Path, c: &NewChapter) -> Result<PathBuf, Error> {
    require_project(root)?;
    let slug = id_for(c.slug.as_deref(), &c.title, "chapter slug", "--slug")?;
    if crate::site::RESERVED_CHAPTER_SLUGS.contains(&slug.as_str()) {
        return Err(Error::Usage(format!(
            "the chapter slug \"{slug}\" is reserved; choose another with --slug"
        )));
    }
    let dir = root.join("content/chapters");
    let (mut last, mut width) = (0u64, 2usize);
    for name in names_in(&dir)? {
        let Some(stem) = name.strip_suffix(".md") else {
            continue;
        };
        let Some((n, s)) = stem.split_once('-') else {
            continue;
        };
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if s == slug {
            return Err(Error::Usage(format!(
                "a chapter with the slug \"{slug}\" exists already: content/chapters/{name}; choose another with --slug"
            )));
        }
        last = last.max(n.parse().unwrap_or(0));
        width = width.max(n.len());
    }
    let path = dir.join(format!("{:0width$}-{slug}.md", last + 1));
    let text = format!(
        "+++\ntitle = {}\nsummary = \"\"\n# Ids from content/sources.toml: a chapter that cites no source gets a warning.\nsources = []\n\
         # In the text, people are linked where they are first named; `[[person-id]]` links someone\n\
         # explicitly, and `[[event:id]]`, `[[chapter:slug]]` and `[[source:id]]` link the rest.\n+++\n\nWrite the chapter here.\n",
        toml_str(&c.title)
    );
    create(&path, &text)?;
    Ok(path)
}

/// Write a new person file. Returns its path.
pub fn new_person(root: &Path, p: &NewPerson) -> Result<PathBuf, Error> {
    require_project(root)?;
    let id = id_for(p.id.as_deref(), &p.name, "person id", "--id")?;
    if crate::site::RESERVED_PERSON_IDS.contains(&id.as_str()) {
        return Err(Error::Usage(format!(
            "the person id \"{id}\" is reserved for a generated page; choose another with --id"
        )));
    }
    let path = root.join("content/people").join(format!("{id}.toml"));
    let text = format!(
        "name = {}\n# Other names the chapters use for this person (each is linked like the name).\naliases = []\nrole = \"\"\naffiliation = \"\"\n\
         # People are grouped by side on the people page.\nside = \"\"\nsummary = \"\"\n\
         # A longer biography in Markdown:\n# bio = '''\n# ...\n# '''\n# born = \"1943-12-11\"\nsources = []\n",
        toml_str(&p.name)
    );
    create(&path, &text)?;
    Ok(path)
}

/// Write a new event (a new file, or appended to `into`). Returns the file's path.
pub fn new_event(root: &Path, e: &NewEvent) -> Result<PathBuf, Error> {
    require_project(root)?;
    let id = id_for(e.id.as_deref(), &e.title, "event id", "--id")?;
    crate::date::Date::parse(e.date.trim())
        .map_err(|why| Error::Usage(format!("--date: {why}")))?;
    // The id must be new among all events.
    let mut diags = Diagnostics::default();
    let sources = crate::load::sources(root, true, &mut diags);
    if let Some(existing) = sources.events.iter().find(|x| x.id.value == id) {
        return Err(Error::Usage(format!(
            "an event with the id \"{id}\" exists already ({:?}); choose another with --id",
            existing.id.span
        )));
    }
    let chapter = match &e.chapter {
        Some(c) => format!("chapter = {}\n", toml_str(c)),
        None => "# The chapter that tells it: an event no chapter tells gets a warning.\n# chapter = \"chapter-slug#section\"\n".into(),
    };
    let table = format!(
        "[[event]]\nid = {}\ndate = {}\ntitle = {}\nsummary = \"\"\npeople = []\nplace = \"\"\n{chapter}sources = []\ntags = []\n",
        toml_str(&id),
        toml_str(e.date.trim()),
        toml_str(&e.title)
    );
    match &e.into {
        None => {
            let path = root.join("content/events").join(format!("{id}.toml"));
            create(&path, &table)?;
            Ok(path)
        }
        Some(into) => {
            let path = if into.is_absolute() || into.starts_with("content") {
                root.join(into)
            } else {
                root.join("content/events").join(into)
            };
            if !path.is_file() {
                return Err(Error::Usage(format!(
                    "{} is not an events file; leave out --into to write a new one",
                    path.display()
                )));
            }
            let old = fs::read_to_string(&path).map_err(|err| Error::io(&path, "read", err))?;
            let sep = if old.is_empty() || old.ends_with("\n\n") {
                ""
            } else if old.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            let mut f = fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .map_err(|err| Error::io(&path, "open", err))?;
            f.write_all(format!("{sep}{table}").as_bytes())
                .map_err(|err| Error::io(&path, "write", err))?;
            Ok(path)
        }
    }
}

pub(crate) fn require_project(root: &Path) -> Result<(), Error> {
    if root.join("site.toml").is_file() {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "no site.toml in {}: run this inside a documentary's folder or pass --root (start one with `dossier init DIR`)",
            root.display()
        )))
    }
}

/// The id given, checked, or one made from `text`.
fn id_for(given: Option<&str>, text: &str, what: &str, flag: &str) -> Result<String, Error> {
    if text.trim().is_empty() {
        return Err(Error::Usage(format!(
            "the {} must not be empty",
            if what.starts_with("person") {
                "name"
            } else {
                "title"
            }
        )));
    }
    let id = match given {
        Some(id) => id.to_string(),
        None => slugify(text),
    };
    if id.is_empty() {
        return Err(Error::Usage(format!(
            "cannot make a {what} from \"{text}\": give one with {flag}, e.g. {flag} my-{}",
            what.split(' ').next().unwrap_or("id")
        )));
    }
    if !is_slug(&id) {
        let hint = slugify(&id);
        return Err(Error::Usage(format!(
            "invalid {what} \"{id}\": use lowercase letters, digits and single hyphens{}",
            if hint.is_empty() {
                String::new()
            } else {
                format!(", such as \"{hint}\"")
            }
        )));
    }
    Ok(id)
}

/// File names in `dir` (empty when it does not exist).
fn names_in(dir: &Path) -> Result<Vec<String>, Error> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, "read", e))?;
    Ok(entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect())
}

/// Create a file that must not exist yet (checked atomically), with its folders.
pub(crate) fn create(path: &Path, text: impl AsRef<[u8]>) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create", e))?;
    }
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Usage(format!(
                    "{} exists already; dossier never overwrites a file",
                    path.display()
                ))
            } else {
                Error::io(path, "create", e)
            }
        })?;
    f.write_all(text.as_ref())
        .map_err(|e| Error::io(path, "write", e))
}

/// A TOML basic string, escaped.
pub(crate) fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_titles_or_are_checked() {
        assert_eq!(
            id_for(None, "Rome and the Rupture", "chapter slug", "--slug").unwrap(),
            "rome-and-the-rupture"
        );
        assert_eq!(
            id_for(None, "Shimon Peres", "person id", "--id").unwrap(),
            "shimon-peres"
        );
        assert!(
            id_for(None, "!!!", "event id", "--id")
                .unwrap_err()
                .to_string()
                .contains("give one with --id")
        );
        assert!(
            id_for(Some("Bad Id"), "x", "event id", "--id")
                .unwrap_err()
                .to_string()
                .contains("such as \"bad-id\"")
        );
        assert!(
            id_for(None, "  ", "person id", "--id")
                .unwrap_err()
                .to_string()
                .contains("name must not be empty")
        );
    }

    #[test]
    fn titles_survive_toml_quoting() {
        for t in [
            "A \"quoted\" \\ title",
            "It's 'single'",
            "Both ' and \"",
            "Line\nbreak",
            "Ünïcode — dash",
        ] {
            let doc: toml::Table = toml::from_str(&format!("title = {}", toml_str(t))).unwrap();
            assert_eq!(doc["title"].as_str(), Some(t));
        }
    }
}
