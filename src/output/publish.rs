//! The publishing steps around a sink: a full build writes into a staging
//! folder and swaps it in; an incremental one changes the output in
//! place. Either way the last build's manifest goes before the output
//! changes (a build stopped half-way is then followed by a full one) and
//! the new one is saved after.

use std::io;
use std::path::Path;

use super::{Changes, Staging};
use crate::diagnostics::{Diagnostic, Diagnostics, Failed};
use crate::render::write::Sink;
use crate::reuse::manifest::{Current, Manifest, Record};

/// Fills a sink; returns the number of files it took.
pub type Fill<'a> = dyn FnOnce(&dyn Sink, &mut Diagnostics) -> Result<usize, Failed> + 'a;

/// Writes the whole site (`fill`) into a staging folder and swaps it in if
/// all went well. Returns the number of files written.
pub fn publish(
    output_dir: &Path,
    manifest_file: &Path,
    fill: Box<Fill<'_>>,
    diags: &mut Diagnostics,
) -> Result<usize, Failed> {
    let staging = Staging::create(output_dir)
        .map_err(|e| io_failure(diags, output_dir, "cannot create the staging folder", e))?;
    let files = fill(&staging, diags)?;
    // The old manifest describes the old output: it goes before the swap.
    forget(manifest_file, diags)?;
    let records = staging
        .commit()
        .map_err(|e| io_failure(diags, output_dir, "cannot replace the output folder", e))?;
    remember(&records, manifest_file, diags);
    Ok(files)
}

/// Updates the output in place: makes only the files whose inputs changed
/// since the `previous` manifest (or, without one, compares every file
/// with the output) and, if all went well, moves them into place. Returns
/// (files, files changed, what now describes the output).
pub fn update(
    output_dir: &Path,
    manifest_file: &Path,
    previous: Option<Manifest>,
    fill: Box<Fill<'_>>,
    diags: &mut Diagnostics,
) -> Result<(usize, usize, Option<Current>), Failed> {
    super::sweep(output_dir).map_err(|e| {
        io_failure(
            diags,
            output_dir,
            "cannot clear what an earlier build left",
            e,
        )
    })?;
    std::fs::create_dir_all(output_dir)
        .map_err(|e| io_failure(diags, output_dir, "cannot create the output folder", e))?;
    let changes = Changes::new(output_dir, previous)
        .map_err(|e| io_failure(diags, output_dir, "cannot create the pending folder", e))?;
    let files = fill(&changes, diags)?;
    if changes.is_empty() {
        // Every file kept, none to remove: output and manifest stand.
        return Ok((files, 0, changes.into_previous().map(Current::Stood)));
    }
    // Changed in place, the output no longer matches the manifest until
    // the new one is saved: a build stopped in between starts afresh.
    forget(manifest_file, diags)?;
    let (changed, records) = changes
        .apply()
        .map_err(|e| io_failure(diags, output_dir, "cannot update the output folder", e))?;
    remember(&records, manifest_file, diags);
    Ok((files, changed, Some(Current::Saved(records))))
}

fn io_failure(diags: &mut Diagnostics, path: &Path, what: &str, e: io::Error) -> Failed {
    diags.push(Diagnostic::error(path, format!("{what}: {e}")));
    Failed
}

fn forget(manifest_file: &Path, diags: &mut Diagnostics) -> Result<(), Failed> {
    match std::fs::remove_file(manifest_file) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_failure(
            diags,
            manifest_file,
            "cannot remove the build manifest",
            e,
        )),
        _ => Ok(()),
    }
}

/// Saves the manifest; if that fails the next build is a full one, so a
/// warning is enough.
fn remember(
    records: &[(std::path::PathBuf, Record)],
    manifest_file: &Path,
    diags: &mut Diagnostics,
) {
    if let Err(e) = Manifest::save(records, manifest_file) {
        diags.push(Diagnostic::warning(
            manifest_file,
            format!("cannot save the build manifest (the next build will be a full one): {e}"),
        ));
    }
}
