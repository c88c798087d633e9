//! The output folder's corners (issue 17, item 13), with real folders and the real binary: a
//! published site made read-only, an output that is a mount point (a container's volume), and
//! an output in a folder the build cannot write. Permissions bind only other users than root,
//! so as root the binary is run as `nobody` on a tree given to it; a folder is mounted where
//! the tests may (root), and elsewhere the binary is told the output is a mount point
//! (`DOSSIER_TEST_MOUNT_POINT`).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

const NOBODY: u32 = 65534;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A project to build, `<outer>/project`, from `bad-base`.
struct Project {
    outer: tempfile::TempDir,
    root: PathBuf,
}

impl Project {
    fn new() -> Project {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("project");
        copy_dir(&fixtures().join("bad-base"), &root);
        Project { outer, root }
    }

    /// Build as a user whom permissions bind: (exit status, stderr).
    fn build(&self, env: &[(&str, &str)]) -> (Option<i32>, String) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
        cmd.args(["build", "--root"]).arg(&self.root);
        for (k, v) in env {
            cmd.env(k, v);
        }
        if is_root() {
            use std::os::unix::process::CommandExt;
            give_to_nobody(self.outer.path());
            cmd.uid(NOBODY).gid(NOBODY);
        }
        let out = cmd.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Add a line to a chapter, so that the next build has pages to write.
    fn edit(&self, line: &str) {
        let chapter = self.root.join("content/chapters/01-the-meeting.md");
        let text = fs::read_to_string(&chapter).unwrap();
        fs::write(&chapter, format!("{text}\n{line}\n")).unwrap();
    }

    fn page(&self) -> String {
        fs::read_to_string(self.root.join("public/chapters/the-meeting/index.html")).unwrap()
    }

    /// Dossier's folders beside the output, and inside it.
    fn leftovers(&self) -> Vec<String> {
        let names = |dir: &Path| -> Vec<String> {
            fs::read_dir(dir)
                .map(|d| {
                    d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                        .filter(|n| n.contains(".dossier-tmp") || n.contains(".dossier-prev"))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut all = names(&self.root);
        all.extend(
            names(&self.root.join("public"))
                .into_iter()
                .map(|n| format!("public/{n}")),
        );
        all.sort();
        all
    }
}

/// Give every file under `dir` to `nobody` (links themselves, not what they point to).
fn give_to_nobody(dir: &Path) {
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        std::os::unix::fs::lchown(e.path(), Some(NOBODY), Some(NOBODY)).unwrap();
    }
}

/// `chmod -R a-w` (or `u+w` back) on a folder.
fn read_only(dir: &Path, yes: bool) {
    use std::os::unix::fs::PermissionsExt;
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let mut p = e.metadata().unwrap().permissions();
        p.set_mode(if yes {
            p.mode() & !0o222
        } else {
            p.mode() | 0o200
        });
        fs::set_permissions(e.path(), p).unwrap();
    }
}

#[test]
fn a_published_site_made_read_only_does_not_break_the_builds_after() {
    let p = Project::new();
    let (code, stderr) = p.build(&[]);
    assert_eq!(code, Some(0), "{stderr}");
    read_only(&p.root.join("public"), true);
    // The build after swaps the read-only site out; it kept it for the next build to start from,
    // which then failed to write in it, naming a temporary folder gone by then, at every build.
    for round in 0..4 {
        p.edit(&format!("Edit {round}."));
        let (code, stderr) = p.build(&[]);
        assert_eq!(code, Some(0), "round {round}: {stderr}");
        assert!(stderr.lines().all(|l| !l.contains("warning")), "{stderr}");
        assert!(p.page().contains(&format!("Edit {round}.")));
        assert_eq!(p.leftovers(), [".public.dossier-prev"], "round {round}");
        if round == 1 {
            // The kept site read-only in part only.
            read_only(&p.root.join(".public.dossier-prev/chapters"), true);
        }
    }
    read_only(&p.root, false);
}

/// A folder mounted on another, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    /// Bind `from` on `on`, if this process may mount (root, where mounts are allowed).
    fn bind(from: &Path, on: &Path) -> Option<Mount> {
        if !is_root() {
            return None;
        }
        let ok = Command::new("mount")
            .arg("--bind")
            .arg(from)
            .arg(on)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Mount(on.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn an_output_that_is_a_mount_point_is_written_in_place_with_a_warning() {
    let p = Project::new();
    let volume = p.outer.path().join("volume");
    fs::create_dir_all(&volume).unwrap();
    fs::create_dir_all(p.root.join("public")).unwrap();
    let mount = Mount::bind(&volume, &p.root.join("public"));
    // Where no folder can be mounted here, the binary is told it is one.
    let env: &[(&str, &str)] = match mount {
        Some(_) => &[],
        None => &[("DOSSIER_TEST_MOUNT_POINT", "1")],
    };
    for round in 0..3 {
        p.edit(&format!("Edit {round}."));
        let (code, stderr) = p.build(env);
        assert_eq!(code, Some(0), "round {round}: {stderr}");
        assert!(
            stderr.starts_with("public: warning: the site is written into this folder in place, not swapped in whole: it is a mount point\n  = help: what is lost: "),
            "{stderr}"
        );
        assert!(p.page().contains(&format!("Edit {round}.")));
        assert!(p.leftovers().is_empty(), "{:?}", p.leftovers());
    }
    if mount.is_some() {
        assert!(volume.join("chapters/the-meeting/index.html").is_file());
    }
    // A build that fails still changes nothing.
    let before = tree(&p.root.join("public"));
    fs::write(p.root.join("content/people/bad.toml"), "name = 1\n").unwrap();
    let (code, stderr) = p.build(env);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        tree(&p.root.join("public")) == before,
        "the failed build wrote"
    );
    assert!(p.leftovers().is_empty(), "{:?}", p.leftovers());
    drop(mount);
}

#[test]
fn an_output_in_a_folder_the_build_cannot_write_is_written_in_place_or_explained() {
    use std::os::unix::fs::PermissionsExt;
    let p = Project::new();
    let (code, stderr) = p.build(&[]);
    assert_eq!(code, Some(0), "{stderr}");
    let locked = |yes: bool| {
        fs::set_permissions(
            &p.root,
            fs::Permissions::from_mode(if yes { 0o555 } else { 0o755 }),
        )
        .unwrap()
    };
    // Leftovers of the first build beside the output are gone before the folder is locked.
    let _ = fs::remove_dir_all(p.root.join(".public.dossier-prev"));
    locked(true);
    p.edit("Locked.");
    let (code, stderr) = p.build(&[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.starts_with("public: warning: the site is written into this folder in place, not swapped in whole: the folder it is in cannot be written\n"),
        "{stderr}"
    );
    assert!(p.page().contains("Locked."));
    assert!(p.leftovers().is_empty(), "{:?}", p.leftovers());
    // With no output folder yet, nothing can be made: the error says what the build needs.
    locked(false);
    fs::remove_dir_all(p.root.join("public")).unwrap();
    locked(true);
    let (code, stderr) = p.build(&[]);
    assert_eq!(code, Some(2), "{stderr}");
    let out = p.root.join("public");
    assert!(
        stderr.starts_with(&format!(
            "error: cannot build into {}: the folder it is in, {}, cannot be written (",
            out.display(),
            p.root.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("Dossier builds the site in a folder beside the output and swaps the two")
    );
    locked(false);
}
