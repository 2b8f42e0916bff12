//! The integration suite: one binary, a module per feature, a fixture site
//! per feature under `tests/fixtures/`, broken sites under
//! `tests/fixtures/broken/` (one per error kind, error text snapshotted).
//! Fixtures are read and copied, never built: every build runs on a copy
//! (see `harness` and `hermetic`).

mod harness;

mod incremental;
mod indices;
mod languages;

mod broken;
mod cli;
mod determinism;
mod escaping;
mod features;
mod fuzz;
mod hermetic;
mod hostile;
mod images;
mod import;
mod markdown;
mod metadata;
mod output_safety;
mod scaffold;
mod search;
mod serve;
mod syndication;
mod themes;
mod timezones;
