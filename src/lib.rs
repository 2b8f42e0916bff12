//! gazette: a static site generator for news archives.
//!
//! A build is five stages, each in a module named after it:
//!
//! 1. **load** ([`content`]): walk `content/`, parse front matter, in parallel;
//! 2. **assemble** ([`site`]): publishing rules, URLs, Markdown bodies and
//!    taxonomies, into an immutable [`site::Site`];
//! 3. **plan** ([`plan`]): the list of files the site consists of;
//! 4. **render** ([`render`]): each page to bytes through Tera, in parallel;
//! 5. **publish** ([`output`]): minify, write into a staging folder, swap;
//!    meanwhile [`search`] indexes every article for full-text search.
//!
//! Every stage reports problems into one [`Diagnostics`] and keeps going;
//! nothing is written unless the whole site is free of errors. The library
//! never prints and never exits: `main.rs` does.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod feeds;
pub mod fingerprint;
pub mod output;
pub mod paths;
pub mod plan;
pub mod render;
pub mod reuse;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
pub mod url;

mod pipeline;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use pipeline::{BuildOptions, Cache, Mode, Report, Summary, build, build_cached};
pub use render::write::Progress;
