//! The command line: what the user typed, as clap structs, one per subcommand.
//! It parses arguments only; `main` maps each command to a pipeline call.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Dossier: a static site generator for documentaries.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about, long_about = None)]
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
    /// Write a new chapter, person or event file with the right id, slug and number.
    #[command(subcommand)]
    New(NewCommand),
    /// Start a new documentary in DIR: site.toml, sample content, templates and static files.
    Init(InitArgs),
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
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
