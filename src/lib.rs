//! gazette: a static site generator for news archives.
//!
//! A build is five stages, each in a module named after it, told as one
//! story in `pipeline::run`:
//!
//! 1. **load** ([`content`]): walk `content/`, parse front matter, in parallel;
//! 2. **assemble** ([`site`]): publishing rules, URLs, Markdown bodies and
//!    taxonomies, into an immutable [`site::Site`];
//! 3. **plan** ([`plan`]): the list of files the site consists of;
//! 4. **render** ([`render`]): each page to bytes through Tera (minified),
//!    in parallel, while [`render::search`] indexes every article;
//! 5. **publish** ([`output`]): write into a staging folder and swap it in,
//!    or update the output in place.
//!
//! Below the stages, [`reuse`] keeps what one build learned for the next
//! (asked for through traits the stages own), [`url`] makes every site
//! path and URL, [`fingerprint`] hashes what outputs are made from.
//! Every stage reports problems into one [`Diagnostics`] and keeps going;
//! nothing is written unless the whole site is free of errors. The library
//! never prints and never exits: `main.rs` does. See docs/architecture.md.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod content;
pub(crate) mod dates;
pub mod diagnostics;
pub(crate) mod feeds;
pub(crate) mod fingerprint;
pub mod images;
pub mod import;
pub(crate) mod lock;
pub(crate) mod output;
pub(crate) mod paths;
pub(crate) mod plan;
pub(crate) mod render;
pub(crate) mod reuse;
pub mod scaffold;
pub mod serve;
pub(crate) mod shared;
pub(crate) mod site;
pub(crate) mod spill;
pub(crate) mod theme;
pub(crate) mod url;
pub(crate) mod walk;

mod pipeline;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use pipeline::{BuildOptions, Cache, Mode, Report, Summary, build, build_cached};
pub use render::write::Progress;
pub use reuse::Stamp;
