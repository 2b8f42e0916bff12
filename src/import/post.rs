//! What every reader hands the writer: the site's settings and its posts,
//! each with the URLs it answered at.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::ZonedDateTime as Zoned;
use jiff::tz::TimeZone;

use crate::site::profiles::Profile;

/// One source archive, read.
#[derive(Debug, Default)]
pub struct Archive {
    pub site: SiteInfo,
    pub posts: Vec<Post>,
    /// Author profiles by display name.
    pub profiles: BTreeMap<String, Profile>,
    /// Files published as they are: (source file, path under `static/`).
    pub static_files: Vec<(PathBuf, PathBuf)>,
}

/// The settings of the source site that gazette.toml takes over.
#[derive(Debug, Default)]
pub struct SiteInfo {
    pub title: Option<String>,
    /// Scheme, host and path of the old site (`https://example.com/blog/`).
    pub base_url: Option<String>,
    pub language: Option<String>,
    pub description: Option<String>,
    pub timezone: Option<(String, TimeZone)>,
}

/// One article of the source.
#[derive(Debug, Clone)]
pub struct Post {
    /// Where it came from, for the report: a file, or an export's item.
    pub origin: String,
    /// What links in other posts name it by (a source path, a post ID).
    pub keys: Vec<String>,
    pub title: String,
    pub date: Zoned,
    pub updated: Option<Zoned>,
    pub expires: Option<Zoned>,
    pub authors: Vec<String>,
    /// In order; the section is chosen from these (see `write`).
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    /// The old slug, as the source had it (case kept).
    pub slug: String,
    pub draft: bool,
    /// The site paths the post answered at: its own URL first, then the
    /// old redirects to it. Relative to the old site's base path.
    pub urls: Vec<String>,
    pub image: Option<LeadImage>,
    /// Markdown. Links to other posts are written `import:KEY` (see
    /// [`link_to`]) until the writer knows where each post lands.
    pub body: String,
    /// Files the body or the image name by file name: copied beside the
    /// article.
    pub files: Vec<PathBuf>,
}

/// The lead image, as the front matter `image` map writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadImage {
    pub src: String,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// The scheme that marks a link to another imported post until the writer
/// turns it into a link to that post's `.md` file.
pub const LINK_SCHEME: &str = "import:";

/// A Markdown link target naming the post known by `key`.
pub fn link_to(key: &str) -> String {
    format!("{LINK_SCHEME}{}", key.replace(' ', "%20"))
}
