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
    /// Build, serve on 127.0.0.1, rebuild on change and reload open pages
    Serve(ServeArgs),
    /// Create content/YYYY/MM/<slug>.md with its front matter filled in
    New(NewArgs),
    /// Create a new site that builds at once
    Init(InitArgs),
    /// Make a new site from a WordPress export or a Jekyll or Hugo site,
    /// keeping every old URL
    Import(ImportArgs),
}

/// The generator an archive comes from.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ImportFrom {
    Wordpress,
    Jekyll,
    Hugo,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the archive is: wordpress, jekyll or hugo
    #[arg(value_enum)]
    pub from: ImportFrom,
    /// The WordPress export file (WXR), or the root folder of the Jekyll or
    /// Hugo site
    pub source: PathBuf,
    /// The new site's folder (created if absent; must be empty)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// IANA time zone of the new site [default: the source's]
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
    /// Categories that are sections, most preferred first, comma-separated
    /// [default: a post's first category]
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub sections: Vec<String>,
    /// WordPress: a copy of wp-content/uploads, to take the images from
    #[arg(long, value_name = "DIR")]
    pub uploads: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder (holding gazette.toml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Address to listen on (other than 127.0.0.1 exposes the preview to the network)
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Port to listen on; if busy, the next free one is used
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Publish articles marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Publish articles dated after the build time
    #[arg(long)]
    pub future: bool,
    /// Print how long each stage of every build took (on stderr)
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The headline
    pub title: String,
    /// The site folder (holding gazette.toml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Section of the article
    #[arg(long)]
    pub section: Option<String>,
    /// A tag (repeat for several)
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// The author
    #[arg(long)]
    pub author: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in (absent or empty)
    pub dir: PathBuf,
    /// Accepted for symmetry with other commands; DIR is taken as given
    #[arg(long, default_value = ".", hide = true)]
    pub root: PathBuf,
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
    /// Skip the full-text search index (faster; /search/ then finds nothing)
    #[arg(long)]
    pub no_search: bool,
    /// Make every file anew, ignoring what the last build into the same
    /// output recorded in .gazette/manifests/
    #[arg(long)]
    pub clean: bool,
    /// Print how long each stage took
    #[arg(long)]
    pub timings: bool,
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
