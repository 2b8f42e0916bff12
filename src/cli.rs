//! The command line, as clap derive types: one args struct per command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "gazette",
    version,
    about = "A static site generator for news archives"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output)
    Build(BuildArgs),
    /// Load and validate everything, write nothing
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder (holding gazette.toml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site [default: ROOT/public]
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Publish articles marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Publish articles dated after the build time
    #[arg(long)]
    pub future: bool,
    /// Override base_url of gazette.toml
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Write pages as rendered, without minifying
    #[arg(long)]
    pub no_minify: bool,
    /// Worker threads [default: one per core]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// No progress bar, no summary line
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder (holding gazette.toml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Also check articles marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Also check articles dated after the build time
    #[arg(long)]
    pub future: bool,
    /// No summary line
    #[arg(long, short)]
    pub quiet: bool,
}
