//! The command line: what the user typed, as clap structs, one per subcommand.
//! It parses arguments only; `main` maps each command to a pipeline call. The shell
//! completions and the manual page are made here too, from the same definition.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

/// `dossier --version`: the version and the commit it was built from (see `src/build.rs`).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("DOSSIER_COMMIT"), ")");

/// Dossier: a static site generator for documentaries.
#[derive(Debug, Parser)]
#[command(name = "dossier", version = VERSION, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Load, link and render everything, report problems, and write nothing.
    Check(CommonArgs),
    /// Serve the site on 127.0.0.1 under its base path, rebuild on every change and reload the open pages.
    Serve(ServeArgs),
    /// Write a new chapter, person, event, place, organization or glossary term file with the right id.
    #[command(subcommand)]
    New(NewCommand),
    /// Start a new documentary in DIR: site.toml, sample content and a GitHub Pages workflow.
    Init(InitArgs),
    /// Copy a built-in template or static file into the project to change it (never overwrites).
    Eject(EjectArgs),
    /// Print the completions for a shell, e.g. `dossier completions bash > ~/.local/share/bash-completion/completions/dossier`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `dossier man > dossier.1`.
    Man,
}

#[derive(Debug, Args)]
pub struct EjectArgs {
    /// What to copy: a template (`chapter.html`, `partials/search.html`) or a static file
    /// (`static/style.css`). Without a name, lists what there is.
    pub names: Vec<String>,
    /// Copy every built-in template and static file.
    #[arg(long, conflicts_with = "names")]
    pub all: bool,
    /// The documentary's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

/// Write the completions of `dossier` for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    clap_complete::generate(shell, &mut Cli::command(), "dossier", out);
}

/// Write the manual page of `dossier` (roff), its subcommands included.
pub fn man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let cmd = Cli::command();
    let page = clap_mangen::Man::new(cmd.clone());
    page.render_title(out)?;
    page.render_name_section(out)?;
    page.render_synopsis_section(out)?;
    page.render_description_section(out)?;
    page.render_options_section(out)?;
    page.render_subcommands_section(out)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name();
        writeln!(out, ".SH \"DOSSIER {}\"", name.to_uppercase())?;
        let sub = sub.clone().bin_name(format!("dossier {name}"));
        let sub_page = clap_mangen::Man::new(sub.clone());
        sub_page.render_synopsis_section(out)?;
        sub_page.render_options_section(out)?;
        for nested in sub.get_subcommands() {
            let nested = nested
                .clone()
                .bin_name(format!("dossier {name} {}", nested.get_name()));
            clap_mangen::Man::new(nested).render_synopsis_section(out)?;
        }
    }
    page.render_version_section(out)
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The port on 127.0.0.1 [default: 1111, or the next free one]; 0 picks any free port.
    #[arg(long)]
    pub port: Option<u16>,
    /// Open the site in the web browser once it is served.
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A chapter: content/chapters/NN-slug.md, numbered after the last chapter.
    Chapter(NewChapterArgs),
    /// A person: content/people/<id>.toml.
    Person(NewPersonArgs),
    /// An event: content/events/<id>.toml (or appended to an events file with --into).
    Event(NewEventArgs),
    /// A place: content/places/<id>.toml.
    Place(NewEntryArgs),
    /// An organization: content/organizations/<id>.toml.
    Organization(NewEntryArgs),
    /// A glossary term: content/glossary/<id>.toml.
    Term(NewEntryArgs),
}

#[derive(Debug, Args)]
pub struct NewEntryArgs {
    /// The id, e.g. jordan-valley (events, people and [[place:jordan-valley]] name it so).
    pub id: String,
    /// Its name (a term's term) [default: made from the id: "Jordan Valley"].
    #[arg(long)]
    pub name: Option<String>,
    /// The documentary's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct NewChapterArgs {
    /// The chapter's title, e.g. "Rome and the Rupture".
    pub title: String,
    /// The URL slug [default: made from the title].
    #[arg(long)]
    pub slug: Option<String>,
    /// The documentary's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct NewPersonArgs {
    /// The person's full name, e.g. "Tzipi Livni".
    pub name: String,
    /// The id [default: made from the name].
    #[arg(long)]
    pub id: Option<String>,
    /// The documentary's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct NewEventArgs {
    /// The event's title, e.g. "The framework is presented".
    pub title: String,
    /// When it happened, as an EDTF date: 2014-04-01, 2014-04, 2014, 1975~ ...
    #[arg(long)]
    pub date: String,
    /// The id [default: made from the title].
    #[arg(long)]
    pub id: Option<String>,
    /// The chapter that tells it: slug or slug#section.
    #[arg(long)]
    pub chapter: Option<String>,
    /// Append to this events file (under content/events/) instead of writing a new one.
    #[arg(long)]
    pub into: Option<PathBuf>,
    /// The documentary's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (it must not exist, or be empty).
    pub dir: PathBuf,
    /// The documentary's title [default: made from the folder's name].
    #[arg(long)]
    pub title: Option<String>,
}

#[derive(Debug, Args)]
pub struct CommonArgs {
    /// The documentary's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Override site.toml's base_url, e.g. https://user.github.io/repo/.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include chapters marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Where to write the site (relative to --root unless absolute).
    #[arg(long, default_value = "public")]
    pub out: PathBuf,
    /// Print how long each phase took.
    #[arg(long)]
    pub timings: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn completions_and_man_page_name_every_command() {
        let mut bash = Vec::new();
        completions(clap_complete::Shell::Bash, &mut bash);
        let bash = String::from_utf8(bash).unwrap();
        let mut roff = Vec::new();
        man(&mut roff).unwrap();
        let roff = String::from_utf8(roff).unwrap();
        for sub in [
            "build",
            "check",
            "serve",
            "new",
            "init",
            "eject",
            "completions",
        ] {
            assert!(bash.contains(sub), "bash completions lack {sub}");
            assert!(roff.contains(sub), "the man page lacks {sub}");
        }
        assert!(roff.starts_with(".ie \\n(.g .ds Aq"), "{}", &roff[..80]);
        assert!(roff.contains(VERSION), "the man page names the version");
    }
}
