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
