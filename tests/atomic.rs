//! A build is all or nothing. The real binary builds a documentary big enough that writing
//! takes a while, and is killed with SIGKILL at random (seeded) moments: after each kill the
//! output is exactly the previous complete site or exactly the new complete site, never a mix,
//! and the next build cleans up after it. Two builds run at once leave one complete site.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_dossier");

/// A small, seeded random number generator (xorshift64*), so failures can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// `bad-base` grown to a few hundred pages and a few hundred static files, written to `root`.
fn big_project(root: &Path) {
    copy_dir(&fixtures().join("bad-base"), root);
    let paragraph = "Ada Lovelace wrote to Charles Babbage about the engine, which would weave algebraic patterns. ";
    for c in 3..40 {
        let mut text = format!("+++\ntitle = \"Chapter {c}\"\nsources = [\"letters\"]\n+++\n\n");
        for p in 0..120 {
            let _ = write!(
                text,
                "{} Paragraph {p} of chapter {c}.\n\n",
                paragraph.repeat(3)
            );
        }
        fs::write(
            root.join(format!("content/chapters/{c:02}-chapter-{c}.md")),
            text,
        )
        .unwrap();
    }
    for p in 0..200 {
        fs::write(
            root.join(format!("content/people/person-{p}.toml")),
            format!("name = \"Person Number{p}\"\nsummary = \"One of many.\"\n"),
        )
        .unwrap();
    }
    fs::create_dir_all(root.join("static/images")).unwrap();
    for i in 0..100 {
        let bytes: Vec<u8> = (0..100_000u32)
            .map(|b| (b.wrapping_mul(i + 7) >> 3) as u8)
            .collect();
        fs::write(root.join(format!("static/images/picture-{i}.bin")), bytes).unwrap();
    }
}

fn build(root: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(["build", "--timings"])
        .args(extra)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

/// Milliseconds of a phase in `--timings` output.
fn phase_ms(stderr: &str, phase: &str) -> f64 {
    stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix(&format!("{phase}:"))
                .map(|r| r.trim().trim_end_matches("ms").trim().parse().unwrap())
        })
        .unwrap_or_else(|| panic!("no {phase} timing in:\n{stderr}"))
}

/// What is beside the output folder, apart from the project's own files.
fn dossier_leftovers(parent: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public") || n.starts_with("public."))
        .collect();
    names.sort();
    names
}

fn set_title(root: &Path, title: &str) {
    let site = root.join("site.toml");
    let text = fs::read_to_string(&site).unwrap();
    let first = text.lines().next().unwrap().to_string();
    fs::write(
        &site,
        text.replacen(&first, &format!("title = \"{title}\""), 1),
    )
    .unwrap();
}

#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_a_complete_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    big_project(&root);
    let out = root.join("public");

    // The two complete sites any moment may show: before (v1) and after (v2) an edit of the
    // title, which is on every page. Calibrate on the project itself, v1 → v2 as the trials go
    // (each starting from the previous build Dossier keeps), to know when writing happens.
    let v1 = build(&root, &[]);
    assert!(
        v1.status.success(),
        "{}",
        String::from_utf8_lossy(&v1.stderr)
    );
    let site_v1 = tree(&out);
    let mut site_v2 = BTreeMap::new();
    let (mut full, mut write) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..3 {
        set_title(&root, "Engines, second edition");
        let t = Instant::now();
        let o = build(&root, &[]);
        full += t.elapsed() / 3;
        assert!(o.status.success());
        write += Duration::from_secs_f64(
            phase_ms(&String::from_utf8_lossy(&o.stderr), "write") / 1000.0,
        ) / 3;
        site_v2 = tree(&out);
        set_title(&root, "Engines");
        assert!(build(&root, &[]).status.success());
        assert!(tree(&out) == site_v1);
    }
    eprintln!(
        "{} files, {} MB; a rebuild takes {full:?}, of which writing {write:?}",
        site_v2.len(),
        site_v2.values().map(Vec::len).sum::<usize>() >> 20
    );
    assert_ne!(site_v1, site_v2);
    set_title(&root, "Engines, second edition");

    let mut rng = Rng(0x5EED_D055_1E12_2024);
    let (mut saw_v1, mut saw_v2) = (0, 0);
    let trials = 40;
    for trial in 0..trials {
        // Half the kills anywhere in the run, half in its writing phase (at its end).
        let at = if trial % 2 == 0 {
            rng.below(full.as_micros() as u64)
        } else {
            (full - write).as_micros() as u64 + rng.below(write.as_micros() as u64 + 1)
        };
        let mut child = Command::new(BIN)
            .arg("build")
            .arg("--root")
            .arg(&root)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(at));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let now = tree(&out);
        if now == site_v1 {
            saw_v1 += 1;
        } else if now == site_v2 {
            saw_v2 += 1;
        } else {
            let diff: Vec<&String> = now
                .keys()
                .chain(site_v1.keys())
                .filter(|k| now.get(*k) != site_v1.get(*k))
                .take(10)
                .collect();
            panic!(
                "trial {trial}: killed after {at} µs ({status}): public/ is neither the old nor the new site; differs from the old in {diff:?}"
            );
        }
        // Back to the old site for the next trial, when this one got to finish.
        if now == site_v2 {
            set_title(&root, "Engines");
            assert!(build(&root, &[]).status.success());
            let back = tree(&out);
            let diff: Vec<&String> = back
                .keys()
                .chain(site_v1.keys())
                .filter(|k| back.get(*k) != site_v1.get(*k))
                .take(10)
                .collect();
            assert!(
                diff.is_empty(),
                "trial {trial}: the rebuild after it differs from the old site in {diff:?}; beside it: {:?}",
                dossier_leftovers(&root)
            );
            set_title(&root, "Engines, second edition");
        }
    }
    eprintln!(
        "{trials} kills: the old site intact {saw_v1} times, the new site complete {saw_v2} times"
    );
    assert!(
        saw_v1 > 0,
        "no kill landed before the swap: the trials tested nothing"
    );

    // The next build completes, and leaves no temporary folder behind.
    assert!(build(&root, &[]).status.success());
    assert!(tree(&out) == site_v2);
    assert_eq!(dossier_leftovers(&root), [".public.dossier-prev"]);
}

#[cfg(unix)]
#[test]
fn two_builds_at_once_leave_one_complete_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    big_project(&root);
    let out = root.join("public");
    // The two builds differ (their base URLs are in every page), so a mix would show.
    let sites: Vec<BTreeMap<String, Vec<u8>>> = ["https://a.example/", "https://b.example/"]
        .iter()
        .map(|base| {
            let r = build(&root, &["--base-url", base]);
            assert!(r.status.success());
            tree(&out)
        })
        .collect();
    assert_ne!(sites[0], sites[1]);
    for round in 0..6 {
        if round % 2 == 0 {
            // From nothing: both find no output folder and race to create it.
            fs::remove_dir_all(&out).unwrap();
        }
        let spawn = |base: &str| {
            Command::new(BIN)
                .args(["build", "--base-url", base, "--root"])
                .arg(&root)
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("https://a.example/"), spawn("https://b.example/"));
        for (name, child) in [("a", a), ("b", b)] {
            let o = child.wait_with_output().unwrap();
            assert!(
                o.status.success(),
                "round {round}: build {name} failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        let now = tree(&out);
        assert!(
            now == sites[0] || now == sites[1],
            "round {round}: a mixed tree"
        );
    }
    assert_eq!(dossier_leftovers(&root), [".public.dossier-prev"]);
}

#[test]
fn two_builds_at_once_in_one_process_leave_one_complete_site() {
    let f = Fixture::new("bad-base");
    let opts = |base: &str| {
        let mut o = f.options();
        o.base_url = Some(base.into());
        o
    };
    let sites: Vec<BTreeMap<String, Vec<u8>>> = ["https://a.example/", "https://b.example/"]
        .iter()
        .map(|b| {
            assert!(dossier::build(&opts(b)).unwrap().ok());
            f.tree()
        })
        .collect();
    for round in 0..10 {
        let (a, b) = (opts("https://a.example/"), opts("https://b.example/"));
        let results: Vec<bool> = std::thread::scope(|s| {
            let ha = s.spawn(|| dossier::build(&a).map(|r| r.ok()).unwrap_or(false));
            let hb = s.spawn(|| dossier::build(&b).map(|r| r.ok()).unwrap_or(false));
            vec![ha.join().unwrap(), hb.join().unwrap()]
        });
        assert_eq!(results, [true, true], "round {round}");
        let now = f.tree();
        assert!(
            now == sites[0] || now == sites[1],
            "round {round}: a mixed tree"
        );
    }
}

#[test]
fn only_dossiers_own_leftovers_are_cleaned_up() {
    let f = Fixture::new("bad-base");
    assert!(f.build().ok());
    let root: PathBuf = f.root().to_path_buf();
    // Folders named like Dossier's working folders but not made by it (no marker file), and
    // a folder a killed build left (with the marker, its process long gone).
    let foreign = root.join(".public.dossier-tmp-999999999");
    fs::create_dir_all(foreign.join("mine")).unwrap();
    fs::write(foreign.join("mine/notes.txt"), "not Dossier's").unwrap();
    let killed = root.join(".public.dossier-tmp-999999998-0");
    fs::create_dir_all(&killed).unwrap();
    fs::write(killed.join(dossier::output::MARKER), "").unwrap();
    fs::write(killed.join("half.html"), "<p>half").unwrap();
    assert!(f.build().ok());
    assert_eq!(
        fs::read_to_string(foreign.join("mine/notes.txt")).unwrap(),
        "not Dossier's"
    );
    assert!(!killed.exists());
    assert!(f.build().ok());
    assert!(!f.tree().contains_key("half.html"));
}
