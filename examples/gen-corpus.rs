//! A synthetic documentary of any size, for benchmarks: N chapters of about 1,500 words, N/2
//! people with bios, 2N events and a handful of sources, in Dossier's content format.
//!
//! ```text
//! cargo run --release --example gen-corpus -- --chapters 1000 --out /tmp/corpus-1000 [--seed 7]
//! ```
//!
//! The output depends only on `--chapters` and `--seed` (a small PRNG, no clock, no hash order),
//! so a benchmark can be re-run on the same bytes. The site builds without a warning: every
//! person is mentioned, every event is told by a chapter, every chapter cites a source.
//!
//! Shape, chosen to exercise what costs time in a real documentary:
//! - chapters mention a cast of 8–11 people: one or two of six protagonists (who therefore
//!   appear all through the story) and people "local" to that part of the story, by full name
//!   (auto-linked), by surname alias, and by `[[id]]` / `[[id|text]]`;
//! - each chapter has five sections (some with explicit `{#anchors}` that events point at),
//!   emphasis, a block quote, two or three footnotes and references to earlier chapters and events;
//! - events have day, month, year, approximate and interval dates (the imprecise ones with a
//!   `sort` day where their chapter tells them), 1–4 participants, a place,
//!   a chapter (often with a section) and tags, and the timeline spans 20 + N/100 years
//!   (at most 150), so a year holds tens to hundreds of events;
//! - the world: up to 16 cities within up to 4 countries, N/10 halls within the cities, N/20
//!   organizations (a third of the people belong to one) and N/50 glossary terms, each named in
//!   a chapter's introduction (auto-linked by name, alias or term); events take place in a city
//!   (and every other one also in a hall). Countries, cities and halls have coordinates, and
//!   site.toml two `[[map]]`s (a wide one and a smaller one that holds half the cities) over the
//!   documentary's own world outlines, so the places index draws both maps and every place page
//!   a locator map.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A file left in the output folder so a rerun may replace the content it generated.
const MARKER: &str = ".gen-corpus";
const PROTAGONISTS: usize = 6;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(msg) => {
            eprintln!("{msg}");
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("gen-corpus: {msg}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    chapters: usize,
    out: PathBuf,
    seed: u64,
}

fn parse_args(args: Vec<String>) -> Result<Args, String> {
    let usage = "usage: gen-corpus --chapters N --out DIR [--seed S]";
    let (mut chapters, mut out, mut seed) = (None, None, 1u64);
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value; {usage}"))
        };
        match a.as_str() {
            "--chapters" | "-n" => {
                chapters = Some(
                    value("--chapters")?
                        .parse::<usize>()
                        .map_err(|e| format!("--chapters: {e}"))?,
                )
            }
            "--out" | "-o" => out = Some(PathBuf::from(value("--out")?)),
            "--seed" => {
                seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "-h" | "--help" => return Err(usage.into()),
            other => return Err(format!("unknown argument {other:?}; {usage}")),
        }
    }
    let chapters = chapters.ok_or_else(|| format!("--chapters is required; {usage}"))?;
    if !(2..=99_999).contains(&chapters) {
        return Err("--chapters must be between 2 and 99999".into());
    }
    Ok(Args {
        chapters,
        out: out.ok_or_else(|| format!("--out is required; {usage}"))?,
        seed,
    })
}

pub fn run(args: Vec<String>) -> Result<String, String> {
    let args = parse_args(args)?;
    let corpus = Corpus::new(args.chapters, args.seed);
    let files = corpus.files();
    write_all(&args.out, &files)?;
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    Ok(format!(
        "wrote {} chapters, {} people, {} events, {} sources ({} files, {:.1} MB) into {}",
        corpus.chapters.len(),
        corpus.people.len(),
        corpus.chapters.len() * 2,
        SOURCES.len(),
        files.len(),
        bytes as f64 / 1e6,
        args.out.display()
    ))
}

/// Replace the generated content of `out` (refusing a folder that is not ours), then write.
fn write_all(out: &Path, files: &[(String, String)]) -> Result<(), String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    if out.exists() {
        let ours = out.join(MARKER).exists();
        let empty = fs::read_dir(out).map_err(|e| io(out, e))?.next().is_none();
        if !ours && !empty {
            return Err(format!(
                "{} is not empty and was not made by gen-corpus; choose another --out",
                out.display()
            ));
        }
        for sub in ["content", "site.toml"] {
            let p = out.join(sub);
            if p.is_dir() {
                fs::remove_dir_all(&p).map_err(|e| io(&p, e))?;
            }
        }
    }
    for dir in [
        "content/chapters",
        "content/people",
        "content/events",
        "content/places",
        "content/organizations",
        "content/glossary",
        "content/maps",
    ] {
        let p = out.join(dir);
        fs::create_dir_all(&p).map_err(|e| io(&p, e))?;
    }
    fs::write(
        out.join(MARKER),
        "Generated by `cargo run --example gen-corpus`; a rerun replaces content/ and site.toml.\n",
    )
    .map_err(|e| io(out, e))?;
    for (rel, text) in files {
        let p = out.join(rel);
        fs::write(&p, text).map_err(|e| io(&p, e))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// A small deterministic PRNG (SplitMix64): the corpus must not depend on any library's version.

struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }

    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn pick<'a, T: ?Sized>(&mut self, list: &[&'a T]) -> &'a T {
        list[self.below(list.len())]
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const FIRST: &[&str] = &[
    "Amira",
    "Anders",
    "Beatriz",
    "Bogdan",
    "Camille",
    "Chidi",
    "Dagny",
    "Dmitri",
    "Elena",
    "Émile",
    "Farah",
    "Felix",
    "Gideon",
    "Greta",
    "Hana",
    "Hector",
    "Ines",
    "Ivo",
    "Jamal",
    "Johanna",
    "Kaito",
    "Katarina",
    "Leila",
    "Lorenzo",
    "Maja",
    "Marek",
    "Nadia",
    "Nikolai",
    "Oksana",
    "Omar",
    "Paloma",
    "Pieter",
    "Quentin",
    "Rania",
    "Rafael",
    "Sabine",
    "Samir",
    "Tamar",
    "Tobias",
    "Ulla",
    "Umberto",
    "Valeria",
    "Viktor",
    "Wanjiru",
    "Wendell",
    "Ximena",
    "Yara",
    "Yusuf",
    "Zofia",
    "Zoltan",
    "Ada",
    "Bruno",
    "Clara",
    "Dario",
    "Esther",
    "Florian",
    "Gabriela",
    "Henrik",
    "Irene",
    "Jonas",
    "Karim",
    "Lucia",
    "Mateo",
    "Noor",
    "Otto",
    "Priya",
    "Ruth",
    "Stefan",
    "Teresa",
    "Walter",
    "Aiko",
    "Benedikt",
    "Cosima",
    "Desmond",
    "Eleni",
    "Francesca",
    "Goran",
    "Helga",
    "Ibrahim",
    "Jelena",
    "Konrad",
    "Lotte",
    "Miriam",
    "Nils",
    "Olga",
    "Patrice",
    "Rosa",
    "Sven",
    "Thea",
    "Vera",
    "Wilhelmina",
    "Yannick",
    "Zeynep",
];

const SURNAME_HEAD: &[&str] = &[
    "Albr", "Bergm", "Castell", "Dvor", "Eck", "Fal", "Gald", "Hallv", "Ilv", "Jans", "Kessl",
    "Lindq", "Marc", "Nord", "Oster", "Petr", "Quint", "Rosenth", "Salv", "Thorv", "Urb", "Vasil",
    "Wald", "Yilm", "Zel", "Abr", "Bell", "Cors", "Dell", "Ferr", "Grab", "Hart", "Ivan", "Kovac",
    "Lenn", "Moret", "Novak", "Orl", "Pasc", "Rask", "Sorr", "Tann", "Ved", "Weiss", "Adl",
    "Brand", "Cald", "Dorn", "Engl", "Fisch", "Gutt", "Holm",
];

const SURNAME_TAIL: &[&str] = &[
    "echt", "ann", "ano", "ák", "ström", "ov", "erson", "ova", "escu", "idis", "inger", "uist",
    "etti", "ås", "mann", "ley", "ford", "ez", "ini", "ić", "enko", "aro", "ington", "sky", "elli",
    "ard",
];

const PLACES: &[&str] = &[
    "Geneva",
    "Vienna",
    "Oslo",
    "Cairo",
    "Amman",
    "Lisbon",
    "Rome",
    "Paris",
    "Washington",
    "Brussels",
    "Ankara",
    "Helsinki",
    "Tunis",
    "Nairobi",
    "Doha",
    "Madrid",
    "Athens",
    "Warsaw",
    "Prague",
    "Copenhagen",
    "Stockholm",
    "Dublin",
    "Berlin",
    "Bern",
    "Reykjavik",
    "Valletta",
    "Nicosia",
    "Beirut",
    "Algiers",
    "Rabat",
    "Sofia",
    "Bucharest",
    "Belgrade",
    "Zagreb",
    "Tbilisi",
    "Yerevan",
    "Baku",
    "Tallinn",
    "Riga",
    "Vilnius",
];

const ADJ: &[&str] = &[
    "quiet",
    "fragile",
    "stubborn",
    "secret",
    "public",
    "final",
    "early",
    "uneasy",
    "bitter",
    "patient",
    "narrow",
    "careful",
    "sudden",
    "lasting",
    "formal",
    "private",
    "hurried",
    "cautious",
    "hopeful",
    "open",
    "crowded",
    "distant",
    "northern",
    "southern",
    "long",
    "brief",
    "hard",
    "unexpected",
    "familiar",
    "decisive",
];

const NOUN: &[&str] = &[
    "agreement",
    "border",
    "ceasefire",
    "channel",
    "committee",
    "compromise",
    "council",
    "delegation",
    "draft",
    "election",
    "framework",
    "guarantee",
    "harbour",
    "letter",
    "map",
    "memorandum",
    "negotiation",
    "offer",
    "parliament",
    "plan",
    "proposal",
    "question",
    "referendum",
    "settlement",
    "summit",
    "treaty",
    "truce",
    "visit",
    "vote",
    "warning",
    "bargain",
    "mission",
    "cabinet",
    "coalition",
    "deadline",
    "dispute",
    "crossing",
];

const GROUPS: &[&str] = &[
    "The delegation",
    "The committee",
    "Officials in the capital",
    "The envoys",
    "Critics",
    "The negotiators",
    "Diplomats",
    "The press",
    "The opposition",
    "Several ministers",
];

const VERBS: &[&str] = &[
    "argued",
    "insisted",
    "warned",
    "conceded",
    "doubted",
    "suspected",
    "promised",
    "feared",
    "believed",
    "claimed",
];

const ACTS: &[&str] = &[
    "rejected",
    "redrafted",
    "accepted",
    "delayed",
    "questioned",
    "defended",
    "signed",
    "revised",
    "published",
    "leaked",
    "withdrew",
    "extended",
];

const TAGS: &[&str] = &[
    "diplomacy",
    "security",
    "economy",
    "elections",
    "protest",
    "summit",
    "law",
    "media",
    "borders",
    "prisoners",
    "religion",
    "background",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// (id, title, author, publication, date)
const SOURCES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "harbour-papers",
        "The Harbour Papers",
        "Ines Valdés",
        "Northern Review",
        "1998-04",
    ),
    (
        "long-table",
        "Around the Long Table: An Oral History",
        "Tobias Lindqvist",
        "Meridian Press",
        "2004",
    ),
    (
        "cables-1977",
        "Diplomatic cables, 1977–1983",
        "",
        "Public Records Office",
        "2011-09-14",
    ),
    (
        "quiet-channel",
        "The Quiet Channel",
        "Farah Nasser and Otto Brandt",
        "The Evening Standard-Ledger",
        "2015-02-02",
    ),
    (
        "minutes",
        "Minutes of the Joint Committee",
        "",
        "Joint Committee Archive",
        "1989",
    ),
];

// ---------------------------------------------------------------------------------------------
// The corpus

struct Person {
    id: String,
    name: String,
    surname: String,
    /// The surname as an alias, when no one else has it.
    alias: Option<String>,
    role: String,
    side: &'static str,
}

struct Chapter {
    slug: String,
    title: String,
    /// Anchored sections: (anchor, heading).
    anchors: Vec<String>,
    cast: Vec<usize>,
}

struct Corpus {
    seed: u64,
    people: Vec<Person>,
    chapters: Vec<Chapter>,
    /// First year of the timeline and how many years it spans.
    first_year: usize,
    years: usize,
}

const SIDES: &[&str] = &["Northland", "Southland", "Mediators", "Others"];
const ROLES: &[&str] = &[
    "foreign minister",
    "chief negotiator",
    "envoy",
    "journalist",
    "legal adviser",
    "general",
    "party leader",
    "mayor",
    "historian",
    "interpreter",
    "ambassador",
    "trade unionist",
];

impl Corpus {
    fn new(n: usize, seed: u64) -> Corpus {
        let mut rng = Rng::new(seed, 0);
        let count = (n / 2).max(PROTAGONISTS + 1);
        let mut seen = HashSet::new();
        let mut people = Vec::with_capacity(count);
        while people.len() < count {
            let first = rng.pick(FIRST);
            let surname = format!("{}{}", rng.pick(SURNAME_HEAD), rng.pick(SURNAME_TAIL));
            let name = format!("{first} {surname}");
            if !seen.insert(slugify(&name)) {
                continue;
            }
            let role = rng.pick(ROLES).to_string();
            let side = SIDES[rng.below(SIDES.len())];
            people.push(Person {
                id: slugify(&name),
                name,
                surname,
                alias: None,
                role,
                side,
            });
        }
        let mut surnames: HashMap<String, usize> = HashMap::new();
        for p in &people {
            *surnames.entry(p.surname.clone()).or_default() += 1;
        }
        let first_names: HashSet<&str> = FIRST.iter().copied().collect();
        for p in &mut people {
            if surnames[&p.surname] == 1 && !first_names.contains(p.surname.as_str()) {
                p.alias = Some(p.surname.clone());
            }
        }
        let years = (20 + n / 100).min(150);
        let mut corpus = Corpus {
            seed,
            people,
            chapters: Vec::with_capacity(n),
            first_year: 2020 - years,
            years,
        };
        for i in 0..n {
            let mut rng = Rng::new(seed, 1 + i as u64);
            let title = format!(
                "The {} {}",
                capitalize(rng.pick(ADJ)),
                capitalize(rng.pick(NOUN))
            );
            let slug = format!("{}-{}", slugify(&title), i + 1);
            let anchors = (0..5)
                .map(|k| format!("s{}-{}", k + 1, rng.pick(NOUN)))
                .collect();
            let cast = corpus.cast(i, n, &mut rng);
            corpus.chapters.push(Chapter {
                slug,
                title,
                anchors,
                cast,
            });
        }
        corpus
    }

    /// The people a chapter mentions: one or two protagonists, the two people whose "home" it
    /// is (so everyone is mentioned), and people from the neighbourhood of the story.
    fn cast(&self, i: usize, n: usize, rng: &mut Rng) -> Vec<usize> {
        let p = self.people.len();
        let locals = p - PROTAGONISTS;
        let mut cast = Vec::new();
        let add = |x: usize, cast: &mut Vec<usize>| {
            if !cast.contains(&x) {
                cast.push(x);
            }
        };
        for _ in 0..rng.range(1, 2) {
            add(rng.below(PROTAGONISTS), &mut cast);
        }
        // Chapter i is home to the locals whose position in the story is i.
        let home = i * locals / n;
        add(PROTAGONISTS + home, &mut cast);
        let home2 = ((i * locals + locals / 2) / n).min(locals - 1);
        add(PROTAGONISTS + home2, &mut cast);
        let want = rng.range(8, 11);
        // (Bounded: a tiny corpus has fewer people near home than `want`.)
        for _ in 0..1000 {
            if cast.len() >= want {
                break;
            }
            let near = (home as isize + rng.range(0, 12) as isize - 6).rem_euclid(locals as isize)
                as usize;
            add(PROTAGONISTS + near, &mut cast);
        }
        cast
    }

    fn files(&self) -> Vec<(String, String)> {
        let n = self.chapters.len();
        let mut files = Vec::with_capacity(n * 5 / 2 + 3);
        let (maps, outlines) = Self::maps();
        files.push((
            "site.toml".into(),
            format!(
                "title = \"A Generated Documentary ({n} chapters)\"\ndescription = \"A synthetic corpus for Dossier's benchmarks (seed {}).\"\nbase_url = \"https://example.org/corpus/\"\nlanguage = \"en\"\nauthor = \"gen-corpus\"\nautolink = \"first\"\n{maps}",
                self.seed
            ),
        ));
        files.push(outlines);
        let mut sources = String::new();
        for (id, title, author, publication, date) in SOURCES {
            let _ = write!(sources, "[[source]]\nid = \"{id}\"\ntitle = \"{title}\"\n");
            if !author.is_empty() {
                let _ = writeln!(sources, "author = \"{author}\"");
            }
            let _ = write!(
                sources,
                "publication = \"{publication}\"\ndate = \"{date}\"\nurl = \"https://archive.example.org/{id}\"\n\n"
            );
        }
        files.push(("content/sources.toml".into(), sources));
        // Event ids are needed by later chapters' `[[event:...]]` references.
        for i in 0..n {
            let (chapter, events) = self.chapter(i);
            let stem = format!("{:05}-{}", i + 1, self.chapters[i].slug);
            files.push((format!("content/chapters/{stem}.md"), chapter));
            files.push((format!("content/events/{stem}.toml"), events));
        }
        for (ix, _) in self.people.iter().enumerate() {
            files.push((
                format!("content/people/{}.toml", self.people[ix].id),
                self.person(ix),
            ));
        }
        files.extend(self.world().files());
        files
    }

    /// site.toml's maps, and their outlines (the documentary's world outlines): a wide map of
    /// the whole generated world and a smaller one of its first cities.
    fn maps() -> (String, (String, String)) {
        const CAPTION: &str =
            "Outlines: Natural Earth (public domain). Borders are drawn as the data draws them.";
        let table = |id: &str, title: &str, bounds: &str| {
            format!(
                "\n[[map]]\nid = \"{id}\"\ntitle = \"{title}\"\noutlines = \"content/maps/world.geojson\"\nbounds = {bounds}\ncaption = \"{CAPTION}\"\n"
            )
        };
        (
            table("world", "The whole story", "[[34.0, -4.0], [58.0, 50.0]]")
                + &table("heart", "Where it began", "[[37.0, -2.0], [47.0, 24.0]]"),
            (
                "content/maps/world.geojson".into(),
                include_str!("../content/maps/world.geojson").into(),
            ),
        )
    }

    fn world(&self) -> World {
        World::new(self.chapters.len())
    }

    fn event_id(&self, chapter: usize, k: usize) -> String {
        format!("{}-e{}", self.chapters[chapter].slug, k + 1)
    }

    /// A year in the story for chapter `i`: time moves forward through the chapters.
    fn year_of(&self, i: usize) -> usize {
        self.first_year + i * self.years / self.chapters.len()
    }

    fn chapter(&self, i: usize) -> (String, String) {
        let mut rng = Rng::new(self.seed, 1_000_000 + i as u64);
        let ch = &self.chapters[i];
        let year = self.year_of(i);
        let mut w = Writer {
            rng: &mut rng,
            people: &self.people,
            linked: HashSet::new(),
            notes: Vec::new(),
        };
        let mut md = String::with_capacity(11_000);
        let src_a = SOURCES[i % SOURCES.len()].0;
        let src_b = SOURCES[(i * 7 + 3) % SOURCES.len()].0;
        let sources = if src_a == src_b {
            format!("\"{src_a}\"")
        } else {
            format!("\"{src_a}\", \"{src_b}\"")
        };
        let lead = &self.people[ch.cast[0]].name;
        let _ = write!(
            md,
            "+++\ntitle = \"{}\"\nsummary = \"How {lead} and others met the {} {} of {year}.\"\nsources = [{sources}]\n+++\n\n",
            ch.title,
            w.rng.pick(ADJ),
            w.rng.pick(NOUN)
        );
        // Introduction, then five sections.
        w.paragraph(&mut md, &ch.cast, year, 5);
        md.push_str(&self.world().paragraph(i));
        if i > 0 {
            let prev = &self.chapters[i - 1];
            let _ = writeln!(
                md,
                "This chapter picks up where [[chapter:{}]] left off, after [[event:{}]].\n",
                prev.slug,
                self.event_id(i - 1, 1)
            );
        }
        for (k, anchor) in ch.anchors.iter().enumerate() {
            let heading = format!(
                "{} {} in {}",
                capitalize(w.rng.pick(ADJ)),
                w.rng.pick(NOUN),
                w.rng.pick(PLACES)
            );
            if k % 2 == 0 {
                let _ = writeln!(md, "## {heading} {{#{anchor}}}\n");
            } else {
                let _ = writeln!(md, "## {heading}\n");
            }
            for _ in 0..3 {
                w.paragraph(&mut md, &ch.cast, year, 5);
            }
            if k == 1 {
                let who = &self.people[ch.cast[w.rng.below(ch.cast.len())]];
                let _ = writeln!(
                    md,
                    "> \"We did not come to {} to {} a {} {}. We came to leave with one,\" {} told the {}.\n",
                    w.rng.pick(PLACES),
                    w.rng.pick(&["admire", "discuss", "postpone", "mourn"]),
                    w.rng.pick(ADJ),
                    w.rng.pick(NOUN),
                    who.name,
                    w.rng.pick(&["press", "committee", "cabinet", "delegates"])
                );
            }
            if k == 3 && i > 2 {
                let back = w.rng.below(i - 1);
                let _ = writeln!(
                    md,
                    "The episode echoed [[chapter:{}#{}|an earlier {}]], which [[{}]] had not forgotten.\n",
                    self.chapters[back].slug,
                    self.chapters[back].anchors[0],
                    w.rng.pick(NOUN),
                    self.people[ch.cast[1]].id
                );
            }
        }
        let notes = std::mem::take(&mut w.notes);
        for (k, note) in notes.iter().enumerate() {
            let _ = writeln!(md, "[^n{}]: {note}", k + 1);
        }
        let events = self.events(i, &mut rng);
        (md, events)
    }

    fn events(&self, i: usize, rng: &mut Rng) -> String {
        let ch = &self.chapters[i];
        let mut out = format!("# Events told in chapter {}, \"{}\".\n", i + 1, ch.title);
        for k in 0..2 {
            let year = self.year_of(i);
            let month = 1 + (i * 12 * self.years / self.chapters.len()) % 12;
            let day = 1 + rng.below(28);
            let kind = rng.below(20);
            // An imprecise date is placed where the chapter tells it: on a day of its month.
            let sort = if matches!(kind, 0..=9 | 18) {
                String::new()
            } else {
                format!("sort = \"{year}-{month:02}-{day:02}\"\n")
            };
            let date = match kind {
                0..=9 => format!("{year}-{month:02}-{day:02}"),
                10..=14 => format!("{year}-{month:02}"),
                15..=16 => format!("{year}"),
                17 => format!("{year}~"),
                18 => format!(
                    "{year}-{month:02}-{day:02}/{year}-{month:02}-{:02}",
                    (day + 3).min(28)
                ),
                _ => format!("{year}-{month:02}?"),
            };
            let count = rng.range(1, 4);
            let mut people: Vec<&str> = Vec::new();
            let mut first = "";
            while people.len() < count {
                let p = &self.people[ch.cast[rng.below(ch.cast.len())]];
                if !people.contains(&p.id.as_str()) {
                    if people.is_empty() {
                        first = &p.name;
                    }
                    people.push(&p.id);
                }
            }
            let place = rng.pick(PLACES);
            let place_ids = self.world().event_places(i, k, place);
            let act = rng.pick(ACTS);
            let noun = rng.pick(NOUN);
            let title = format!("{first} {act} the {} {noun}", rng.pick(ADJ));
            let chapter_ref = if rng.chance(70) {
                format!("{}#{}", ch.slug, ch.anchors[2 * rng.below(3)])
            } else {
                ch.slug.clone()
            };
            let tags: Vec<String> = (0..rng.range(1, 2))
                .map(|_| format!("\"{}\"", rng.pick(TAGS)))
                .collect();
            let _ = write!(
                out,
                "\n[[event]]\nid = \"{}\"\ndate = \"{date}\"\n{sort}title = \"{title}\"\nsummary = \"In {place}, [[{}]] and the {} {act} the {noun}; the *{}* {} followed.\"\npeople = [{}]\nplace = {place_ids}\nchapter = \"{chapter_ref}\"\nsources = [\"{}\"]\ntags = [{}]\n",
                self.event_id(i, k),
                people[0],
                rng.pick(&["delegation", "committee", "cabinet", "council"]),
                rng.pick(ADJ),
                rng.pick(NOUN),
                people
                    .iter()
                    .map(|p| format!("\"{p}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
                SOURCES[(i + k) % SOURCES.len()].0,
                tags.join(", ")
            );
            if rng.chance(15) {
                let _ = writeln!(
                    out,
                    "note = \"The exact {} is uncertain; the sources disagree by a few days.\"",
                    rng.pick(&["date", "place", "sequence"])
                );
            }
        }
        out
    }

    fn person(&self, ix: usize) -> String {
        let p = &self.people[ix];
        let mut rng = Rng::new(self.seed, 2_000_000 + ix as u64);
        let mut out = format!("name = \"{}\"\n", p.name);
        if let Some(a) = &p.alias {
            let _ = writeln!(out, "aliases = [\"{a}\"]");
        }
        let _ = write!(
            out,
            "role = \"{}\"\nside = \"{}\"\n",
            capitalize(&p.role),
            p.side
        );
        let _ = writeln!(
            out,
            "summary = \"A {} {} from {} who appears {} in the story.\"",
            rng.pick(ADJ),
            p.role,
            rng.pick(PLACES),
            if ix < PROTAGONISTS {
                "throughout"
            } else {
                "in a few chapters"
            }
        );
        if rng.chance(60) {
            let _ = writeln!(out, "born = \"{}\"", self.first_year - rng.range(20, 60));
        }
        if ix.is_multiple_of(3) {
            let _ = writeln!(out, "organizations = [\"{}\"]", self.world().org_id(ix));
        }
        // A chapter where this person appears: their home chapter.
        let locals = self.people.len() - PROTAGONISTS;
        let n = self.chapters.len();
        let home = if ix < PROTAGONISTS {
            0
        } else {
            ((ix - PROTAGONISTS) * n).div_ceil(locals).min(n - 1)
        };
        let home = (home..n)
            .find(|&c| self.chapters[c].cast.contains(&ix))
            .or_else(|| (0..n).find(|&c| self.chapters[c].cast.contains(&ix)))
            .unwrap_or(0);
        let mut bio = String::new();
        let _ = write!(
            bio,
            "{} trained as a {} in {} before the {} {} made {} a {} of the story. ",
            p.name,
            rng.pick(&[
                "lawyer", "teacher", "soldier", "reporter", "surveyor", "doctor"
            ]),
            rng.pick(PLACES),
            rng.pick(ADJ),
            rng.pick(NOUN),
            rng.pick(&["them", "this newcomer"]),
            rng.pick(&["part", "witness", "fixture"])
        );
        for _ in 0..4 {
            let _ = write!(
                bio,
                "Colleagues remember a {} manner and a {} memory for the {} of each {}. ",
                rng.pick(ADJ),
                rng.pick(ADJ),
                rng.pick(&["wording", "history", "cost", "timing"]),
                rng.pick(NOUN)
            );
        }
        let _ = write!(
            bio,
            "\n\nTheir part is told in [[chapter:{}]], where the *{}* {} is described.",
            self.chapters[home].slug,
            rng.pick(ADJ),
            rng.pick(NOUN)
        );
        if ix >= 1 {
            let _ = write!(
                bio,
                " They worked for a time alongside [[{}]].",
                self.people[rng.below(PROTAGONISTS)].id
            );
        }
        let _ = write!(
            out,
            "bio = '''\n{bio}\n'''\nsources = [\"{}\"]\n",
            SOURCES[ix % SOURCES.len()].0
        );
        out
    }
}

/// Writes a chapter's prose: sentences naming the cast in every way Dossier links names.
struct Writer<'a> {
    rng: &'a mut Rng,
    people: &'a [Person],
    linked: HashSet<usize>,
    notes: Vec<String>,
}

impl Writer<'_> {
    /// One paragraph of about `sentences` × 15 words.
    fn paragraph(&mut self, md: &mut String, cast: &[usize], year: usize, sentences: usize) {
        for s in 0..sentences {
            if s > 0 {
                md.push(' ');
            }
            self.sentence(md, cast, year);
        }
        md.push_str("\n\n");
    }

    fn name(&mut self, cast: &[usize]) -> String {
        let ix = cast[self.rng.below(cast.len())];
        let p = &self.people[ix];
        match self.rng.below(10) {
            // An explicit reference, sometimes with its own text.
            0 => format!("[[{}]]", p.id),
            1 => format!("[[{}|{}]]", p.id, p.surname),
            // The surname alone (auto-linked when it is an alias), after the full name was used.
            2 | 3 if self.linked.contains(&ix) && p.alias.is_some() => p.surname.clone(),
            _ => {
                self.linked.insert(ix);
                p.name.clone()
            }
        }
    }

    fn sentence(&mut self, md: &mut String, cast: &[usize], year: usize) {
        let r = &mut *self.rng;
        let adj = |r: &mut Rng| {
            let a = r.pick(ADJ);
            if r.chance(6) {
                format!("*{a}*")
            } else {
                a.to_string()
            }
        };
        let text = match r.below(7) {
            0 => {
                let (m, p) = (r.pick(MONTHS), r.pick(PLACES));
                let a = adj(r);
                let n = r.pick(NOUN);
                let who = self.name(cast);
                format!(
                    "In {m} {year}, {who} travelled to {p} to discuss the {a} {n} with the other side."
                )
            }
            1 => {
                let who = self.name(cast);
                let other = self.name(cast);
                let (v, a, n, n2) = (
                    self.rng.pick(VERBS),
                    adj(self.rng),
                    self.rng.pick(NOUN),
                    self.rng.pick(NOUN),
                );
                format!(
                    "{who} {v} that the {a} {n} would not survive the {n2} unless {other} gave ground first."
                )
            }
            2 => {
                let g = r.pick(GROUPS);
                let (act, a, n) = (r.pick(ACTS), adj(r), r.pick(NOUN));
                let p = r.pick(PLACES);
                format!(
                    "{g} {act} the {a} {n} within days, and the news reached {p} before the ministers did."
                )
            }
            3 => {
                let (a, n) = (adj(r), r.pick(NOUN));
                let who = self.name(cast);
                let emph = self.rng.pick(&["never", "always", "still", "not yet"]);
                format!(
                    "For {who}, the {a} {n} was **{emph}** a matter of principle, whatever the papers wrote."
                )
            }
            4 => {
                let (a, n, a2) = (adj(r), r.pick(NOUN), r.pick(ADJ));
                let who = self.name(cast);
                if self.notes.len() >= 4 {
                    format!("The record of the {a} {n} survives only in a letter {who} kept.")
                } else {
                    let note = self.notes.len() + 1;
                    let src = SOURCES[self.rng.below(SOURCES.len())].1;
                    let page = self.rng.range(3, 400);
                    self.notes
                        .push(format!("{src}, p. {page}; the {a2} wording is disputed."));
                    format!(
                        "The record of the {a} {n} survives only in a letter {who} kept.[^n{note}]"
                    )
                }
            }
            5 => {
                let (n, n2, a) = (r.pick(NOUN), r.pick(NOUN), adj(r));
                let g = r.pick(GROUPS).to_lowercase();
                format!(
                    "Nobody expected the {n} to hold, and {g} spent the {a} weeks that followed preparing for the {n2}."
                )
            }
            _ => {
                let who = self.name(cast);
                let (v, a, n) = (self.rng.pick(VERBS), adj(self.rng), self.rng.pick(NOUN));
                let p = self.rng.pick(PLACES);
                format!(
                    "Years later {who} {v} in an interview in {p} that the {a} {n} had been decided long before anyone sat down."
                )
            }
        };
        md.push_str(&text);
    }
}

/// Invented countries, so that no generated sentence says anything of a real one.
const COUNTRIES: &[&str] = &["Vallania", "Ostmark", "Sudria", "Westerholm"];
const TERMS: &[&str] = &["protocol", "accord", "doctrine", "charter", "compact"];

/// The generated world: how many of each kind, by the number of chapters `n`.
struct World {
    n: usize,
    cities: usize,
    countries: usize,
    halls: usize,
    orgs: usize,
    terms: usize,
}

impl World {
    fn new(n: usize) -> World {
        World {
            n,
            cities: PLACES.len().min(n),
            countries: COUNTRIES.len().min(n),
            halls: n / 10,
            orgs: (n / 20).max(1),
            terms: (n / 50).max(1),
        }
    }

    fn hall(k: usize) -> String {
        format!("Hall {}", k + 1)
    }

    fn org_name(k: usize) -> String {
        format!("Bureau {}", k + 1)
    }

    fn term(k: usize) -> String {
        format!(
            "{} {}",
            capitalize(TERMS[k % TERMS.len()]),
            k / TERMS.len() + 1
        )
    }

    fn org_id(&self, person: usize) -> String {
        slugify(&Self::org_name(person % self.orgs))
    }

    /// Chapter `i`'s own entries: (city, country, hall, organization, term).
    fn of_chapter(&self, i: usize) -> (usize, usize, Option<usize>, usize, usize) {
        let city = i % self.cities;
        (
            city,
            city % self.countries,
            (self.halls > 0).then(|| i * self.halls / self.n),
            i * self.orgs / self.n,
            i * self.terms / self.n,
        )
    }

    /// The sentence of chapter `i`'s introduction that names its entries.
    fn paragraph(&self, i: usize) -> String {
        let (city, country, hall, org, term) = self.of_chapter(i);
        let hall = hall
            .map(|h| format!(" at {}", Self::hall(h)))
            .unwrap_or_default();
        let org = if i.is_multiple_of(2) {
            Self::org_name(org)
        } else {
            format!("B{}", org + 1)
        };
        let term = Self::term(term);
        let term = format!("{}{}", term[..1].to_lowercase(), &term[1..]);
        format!(
            "The talks moved to {}, in {}{hall}, where the {org} put the {term} on the table.\n\n",
            PLACES[city], COUNTRIES[country]
        )
    }

    /// An event's `place`: the city of the name picked, or the chapter's own one if that city is
    /// not in a small world, and for every other event the chapter's hall too.
    fn event_places(&self, i: usize, k: usize, picked: &str) -> String {
        let (own, _, hall, _, _) = self.of_chapter(i);
        let city = PLACES
            .iter()
            .position(|p| *p == picked)
            .filter(|&c| c < self.cities)
            .unwrap_or(own);
        match hall {
            Some(h) if k == 1 => format!(
                "[\"{}\", \"{}\"]",
                slugify(PLACES[city]),
                slugify(&Self::hall(h))
            ),
            _ => format!("\"{}\"", slugify(PLACES[city])),
        }
    }

    fn files(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (k, c) in COUNTRIES.iter().take(self.countries).enumerate() {
            out.push((
                format!("content/places/{}.toml", slugify(c)),
                format!(
                    "name = \"{c}\"\nkind = \"country\"\ncoordinates = [{}, {}]\nsummary = \"An invented country of the story.\"\n",
                    40 + k * 5,
                    k * 10
                ),
            ));
        }
        for (k, c) in PLACES.iter().take(self.cities).enumerate() {
            out.push((
                format!("content/places/{}.toml", slugify(c)),
                format!(
                    "name = \"{c}\"\nkind = \"city\"\nwithin = \"{}\"\ncoordinates = [{}.5, {}.25]\ndescription = \"A city where [[place:{}]] met the story.\"\nsources = [\"{}\"]\n",
                    slugify(COUNTRIES[k % self.countries]),
                    38 + k,
                    k * 3,
                    slugify(COUNTRIES[k % self.countries]),
                    SOURCES[k % SOURCES.len()].0
                ),
            ));
        }
        // Halls near their city (which stands at [38 + k + 0.5, 3k + 0.25]), no two on one spot.
        for h in 0..self.halls {
            let name = Self::hall(h);
            out.push((
                format!("content/places/{}.toml", slugify(&name)),
                format!(
                    "name = \"{name}\"\nkind = \"building\"\nwithin = \"{}\"\ncoordinates = [{}.{:02}, {}.{:02}]\n",
                    slugify(PLACES[h % self.cities]),
                    38 + h % self.cities,
                    10 + h / self.cities % 80,
                    (h % self.cities) * 3,
                    (40 + h / self.cities * 7) % 100,
                ),
            ));
        }
        for o in 0..self.orgs {
            let name = Self::org_name(o);
            out.push((
                format!("content/organizations/{}.toml", slugify(&name)),
                format!(
                    "name = \"{name}\"\naliases = [\"B{}\"]\nkind = \"agency\"\nside = \"{}\"\ndescription = \"An agency of the story.\"\n",
                    o + 1,
                    SIDES[o % SIDES.len()]
                ),
            ));
        }
        for t in 0..self.terms {
            let term = Self::term(t);
            out.push((
                format!("content/glossary/{}.toml", slugify(&term)),
                format!("term = \"{term}\"\ndefinition = \"A text the parties of the story argued over.\"\n"),
            ));
        }
        out
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// The same slugs Dossier makes from names (accents folded, lowercase, hyphens).
fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'å' => 'a',
            'ç' | 'ć' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'É' => 'e',
            'í' | 'ï' => 'i',
            'ó' | 'ö' | 'ø' => 'o',
            'ú' | 'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}
