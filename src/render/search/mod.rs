//! The full-text search index: built with Pagefind as a library (here),
//! or gazette's own format ([`index`]), as `search.engine` says.
//!
//! Each published article becomes one record: a small HTML document with
//! the headline, the body, and Pagefind filters (section, year) and meta
//! (date). Records are fed in article order, so the index is the same
//! whatever the number of threads. Returns the files of the `/pagefind/`
//! bundle (index, WASM and JS), which work from any static host.

pub mod index;

use std::io::Write;
use std::path::{Path, PathBuf};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::config::{CONFIG_FILE, SearchEngine};
use crate::diagnostics::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::site::Site;

/// Where Pagefind's bundle goes, below the output root.
pub const BUNDLE_DIR: &str = "pagefind";

/// The folder of the engine's files, below the output root.
pub fn folder(site: &Site) -> &'static str {
    match site.config.search_engine {
        SearchEngine::Pagefind => BUNDLE_DIR,
        SearchEngine::Gazette => index::DIR,
    }
}

/// Where an index's files go, each with its fingerprint (paths relative
/// to the output). Called from several threads at once.
pub trait Out: Sync {
    /// Whether files of the last build may be kept at all: if not,
    /// [`Out::keep`] is never asked, and the work of telling which files
    /// changed is not done.
    fn keeps(&self) -> bool {
        false
    }

    /// Whether the file at `rel` is still the one made from inputs of
    /// this fingerprint (it is then kept, and not written).
    fn keep(&self, _rel: &Path, _fingerprint: u64) -> bool {
        false
    }

    fn write(&self, rel: &Path, fingerprint: u64, bytes: &[u8]) -> Result<(), Diagnostic>;
}

/// The file whose fingerprint stands for a whole index (see [`make`]).
pub fn key_file(site: &Site) -> PathBuf {
    match site.config.search_engine {
        SearchEngine::Pagefind => Path::new(BUNDLE_DIR).join("pagefind-entry.json"),
        SearchEngine::Gazette => Path::new(index::DIR).join("meta.json"),
    }
}

/// Makes the engine's files into `out`. Returns their number, kept or
/// written. `whole` is the [`fingerprint`] of the site: the
/// [`key_file`] is recorded with it, so that a later build from the same
/// articles keeps the whole folder by that one record. gazette's own
/// index gives its other files fingerprints of their own, so that an
/// edit writes only the files it changes; Pagefind's bundle is made whole.
pub fn make(site: &Site, out: &dyn Out, whole: u64) -> Result<usize, Diagnostic> {
    match site.config.search_engine {
        SearchEngine::Pagefind => {
            let files = self::index(site)?;
            let count = files.len();
            for (path, bytes) in files {
                out.write(&path, whole, &bytes)?;
            }
            Ok(count)
        }
        SearchEngine::Gazette => index::index(site, out, whole),
    }
}

/// Builds Pagefind's bundle: (path relative to the output, bytes). An
/// article that cannot be read again is an error about it; a failure of
/// the indexer itself is filed under the config, where search is set.
pub fn index(site: &Site) -> Result<Vec<(PathBuf, Vec<u8>)>, Diagnostic> {
    let failed = |what: String| Diagnostic::error(CONFIG_FILE, what);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| failed(format!("cannot start the search indexer: {e}")))?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language(site.config.language.clone())
            .build();
        let mut index =
            PagefindIndex::new(Some(config)).map_err(|e| failed(format!("search index: {e}")))?;
        for id in 0..site.articles.len() {
            let a = &site.articles[id];
            index
                // The site path: Pagefind's script puts the folder the
                // bundle is served from (the base URL's path) before it.
                .add_html_file(None, Some(a.path.clone()), record(site, id)?)
                .await
                .map_err(|e| Diagnostic::error(&a.source, format!("search index: {e}")))?;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| failed(format!("search index: {e}")))?;
        Ok(files
            .into_iter()
            .map(|f| (PathBuf::from(BUNDLE_DIR).join(f.filename), f.contents))
            .collect())
    })
}

/// A hash of everything an index reads of the articles (the body as the
/// hash of its HTML): the index is the same whenever this is.
pub fn fingerprint(site: &Site) -> u64 {
    let mut f = Fingerprint::default();
    f.add(env!("CARGO_PKG_VERSION"))
        .add(&site.config.language)
        .add(folder(site));
    for a in &site.articles {
        f.add(site.link(&a.path))
            .add(&a.meta.title)
            .add(crate::dates::rfc3339(&a.meta.date))
            .add(a.section.map(|t| &site.sections.get(t).name))
            .add(a.authors.len());
        for &t in &a.authors {
            f.add(&site.authors.get(t).name);
        }
        f.add(a.summary()).add(a.html_hash);
    }
    f.finish().unwrap_or_default()
}

/// The HTML Pagefind reads for one article.
fn record(site: &Site, id: usize) -> Result<String, Diagnostic> {
    let a = &site.articles[id];
    let html = site.body(id)?;
    let mut out = Vec::with_capacity(html.len() + 512);
    let esc = |out: &mut Vec<u8>, s: &str| {
        // Writing into a Vec cannot fail.
        let _ = tera::escape_html(s, out);
    };
    let _ = write!(out, "<html lang=\"");
    esc(&mut out, &site.config.language);
    let _ = write!(
        out,
        "\"><body><main data-pagefind-body><h1 data-pagefind-meta=\"title\">"
    );
    esc(&mut out, &a.meta.title);
    let date = &a.meta.date;
    let _ = write!(
        out,
        "</h1><p data-pagefind-ignore><span data-pagefind-filter=\"year\">{}</span>",
        date.year()
    );
    let _ = write!(
        out,
        "<span data-pagefind-meta=\"date\">{}</span>",
        crate::dates::day_label(date.date())
    );
    let _ = write!(
        out,
        "<span data-pagefind-sort=\"date\">{}</span>",
        date.timestamp().as_second()
    );
    if let Some(section) = a.section {
        let _ = write!(out, "<span data-pagefind-filter=\"section\">");
        esc(&mut out, &site.sections.get(section).name);
        let _ = write!(out, "</span>");
    }
    let _ = write!(out, "</p>{html}</main></body></html>");
    Ok(String::from_utf8_lossy(&out).into_owned())
}
