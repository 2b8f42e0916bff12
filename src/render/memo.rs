//! The fingerprints of each article's card and page view, taken once per
//! build, and kept for the next build ([`Memo`]) so that an unchanged
//! article's views cost nothing to fingerprint again: by `serve` in
//! memory with its whole site, by `build` on disk ([`Kept`]) with a digest
//! of each article.
//!
//! An article's fingerprints are reused when the article, the terms it
//! links to and its authors' profiles equal the earlier build's, under the
//! same recipe (gazette's version, the templates, `site`). In memory they
//! are compared, not hashed: `Article` derives `PartialEq`, so a field added
//! to it is compared by construction, and the views are made from nothing
//! else (see `views`). On disk each article is known by a hash of the same
//! ([`digest`]), which names every field of `Article`, so that a field
//! added to it does not compile until it is hashed or said to be unread.
//! Debug builds, the tests', take every reused fingerprint afresh as well
//! and stop if it differs.
//!
//! A whole page's fingerprint is reused too, without its view being made,
//! when the site has the earlier build's shape (the same config,
//! taxonomies, date lists, profiles and number of articles: see
//! [`Site::same_shape`], [`Site::shape_digest`]) and every article the page
//! shows is the same at the same id: an article page reads its own
//! article, the two beside it and its related ones; a list page and a feed
//! the articles they show. Every other page is fingerprinted afresh.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::fingerprint::Fingerprint;
use crate::plan::{Output, Page};
use crate::site::related;
use crate::site::taxonomy::Taxonomy;
use crate::site::{Article, Site};

type Fast = foldhash::fast::RandomState;

/// The format of a [`Kept`] memo's file (see `reuse::value`).
pub const FORMAT: &str = concat!("gazette-memo 4 ", env!("CARGO_PKG_VERSION"));

/// One build's site with the fingerprints its renderer took of each
/// article's card and page view (`None` where none was taken).
pub struct Memo {
    earlier: Earlier,
    recipe: u64,
    cards: Vec<Option<u64>>,
    articles: Vec<Option<u64>>,
    /// The fingerprint of each page made or kept.
    pages: Pages,
    /// Article ids by the hash of their site path ([`path_key`]), made
    /// when ids moved.
    by_path: OnceLock<HashMap<u64, usize, Fast>>,
    /// The earlier build's related lists, when read from disk.
    related: Option<related::Kept>,
}

/// What the earlier build's articles are told by.
enum Earlier {
    /// `serve`'s last site, held: compared value by value.
    Site(Box<Site>),
    /// A build's, read from disk: the site's [`Site::shape_digest`], and
    /// each article's [`path_key`] and [`digest`].
    Digests {
        shape: u64,
        articles: Vec<(u64, Option<u64>)>,
    },
}

/// A [`Memo`] as `build` keeps it on disk for the next build.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Kept {
    recipe: u64,
    shape: u64,
    articles: Vec<(u64, Option<u64>)>,
    cards: Vec<Option<u64>>,
    views: Vec<Option<u64>>,
    pages: Pages,
    related: related::Kept,
}

/// What an article's site path is known by in a [`Kept`] memo, and in the
/// lookup of moved ids: a hash, since the [`digest`] that decides holds
/// the path itself.
fn path_key(path: &str) -> u64 {
    crate::fingerprint::of(path)
}

impl Kept {
    /// What `build` keeps of `site` and of what its renderer `taken`
    /// (the digests it took are not taken again); `None` if the site's
    /// shape could not be taken.
    pub fn new(site: &Site, taken: Learned) -> Option<Kept> {
        let shape = site.shape_digest()?;
        let articles = (taken.digests.into_par_iter().enumerate())
            .map(|(id, d)| {
                let d = d.unwrap_or_else(|| digest(site, id));
                (path_key(&site.articles[id].path), d)
            })
            .collect();
        Some(Kept {
            recipe: taken.recipe,
            shape,
            articles,
            cards: taken.cards,
            views: taken.articles,
            pages: taken.pages,
            related: related::Kept::of(site),
        })
    }
}

impl Memo {
    /// Keeps `site` with what its build's renderer `taken`.
    pub fn new(site: Site, taken: Learned) -> Self {
        Memo {
            earlier: Earlier::Site(Box::new(site)),
            recipe: taken.recipe,
            cards: taken.cards,
            articles: taken.articles,
            pages: taken.pages,
            by_path: OnceLock::new(),
            related: None,
        }
    }

    /// The memo of an earlier build kept on disk.
    pub fn from_kept(kept: Kept) -> Self {
        Memo {
            earlier: Earlier::Digests {
                shape: kept.shape,
                articles: kept.articles,
            },
            recipe: kept.recipe,
            cards: kept.cards,
            articles: kept.views,
            pages: kept.pages,
            by_path: OnceLock::new(),
            related: Some(kept.related),
        }
    }

    /// The related lists of the build kept on disk (`serve`'s memo has
    /// them in its site).
    pub fn related(&self) -> Option<&related::Kept> {
        self.related.as_ref()
    }

    /// The build's site, when it is held.
    pub fn site(&self) -> Option<&Site> {
        match &self.earlier {
            Earlier::Site(site) => Some(site),
            Earlier::Digests { .. } => None,
        }
    }

    /// The id the earlier build gave the article at `path`: `id` when the
    /// articles did not move. Found by a hash of the path, which may name
    /// another article: [`Memo::same`] decides, by the article or by its
    /// digest, both of which hold the path.
    fn id_of(&self, path: &str, id: usize) -> Option<usize> {
        let key = match &self.earlier {
            Earlier::Site(site) => match site.articles.get(id) {
                Some(old) if old.path == path => return Some(id),
                _ => path_key(path),
            },
            Earlier::Digests { articles, .. } => {
                let key = path_key(path);
                if articles.get(id).is_some_and(|a| a.0 == key) {
                    return Some(id);
                }
                key
            }
        };
        let by_path = self.by_path.get_or_init(|| match &self.earlier {
            Earlier::Site(site) => (site.articles.iter().enumerate())
                .map(|(id, a)| (path_key(&a.path), id))
                .collect(),
            Earlier::Digests { articles, .. } => (articles.iter().enumerate())
                .map(|(id, a)| (a.0, id))
                .collect(),
        });
        by_path.get(&key).copied()
    }

    /// Whether `site` has the earlier build's shape.
    fn same_shape(&self, site: &Site) -> bool {
        match &self.earlier {
            Earlier::Site(old) => old.same_shape(site),
            Earlier::Digests { shape, .. } => site.shape_digest() == Some(*shape),
        }
    }

    /// The earlier build's id of article `id` of `site`, if the article and
    /// everything its views are made from are unchanged (`digest`: its
    /// [`digest`], asked only of a memo read from disk).
    fn same(&self, site: &Site, id: usize, digest: impl FnOnce() -> Option<u64>) -> Option<usize> {
        let earlier = self.id_of(&site.articles[id].path, id)?;
        let same = match &self.earlier {
            Earlier::Site(old_site) => same_article(old_site, earlier, site, id),
            Earlier::Digests { articles, .. } => {
                articles[earlier].1.is_some_and(|d| digest() == Some(d))
            }
        };
        same.then_some(earlier)
    }
}

/// Whether article `old` of `old_site` is article `id` of `site`, with the
/// same names and paths of its terms and the same profiles of its authors.
fn same_article(old_site: &Site, old: usize, site: &Site, id: usize) -> bool {
    let (old, a) = (&old_site.articles[old], &site.articles[id]);
    let same_terms = |old_tax: &Taxonomy, tax: &Taxonomy, ids: &[usize]| {
        ids.iter().all(|&t| {
            let (o, n) = (old_tax.get(t), tax.get(t));
            o.name == n.name && o.path == n.path
        })
    };
    old == a
        && same_terms(&old_site.tags, &site.tags, &a.tags)
        && same_terms(&old_site.authors, &site.authors, &a.authors)
        && same_terms(&old_site.sections, &site.sections, a.section.as_slice())
        && a.authors
            .iter()
            .all(|&t| old_site.profiles.get(t) == site.profiles.get(t))
}

/// A hash of what [`same_article`] compares of article `id`: every field of
/// the article but two, the names and paths of its terms, its authors'
/// profiles. `None` if a part could not be taken.
pub fn digest(site: &Site, id: usize) -> Option<u64> {
    let Article {
        source,
        meta,
        path,
        // Its fingerprint is `html_hash`; whether it is held depends on
        // what the build needs.
        html: _,
        html_hash,
        body_hash,
        body_line,
        first_paragraph,
        word_count,
        image_url,
        image_size,
        image_renditions,
        image_folder,
        image_file,
        image_probe,
        assets,
        tags,
        section,
        authors,
        related,
        // Read only by the search index, which has its own fingerprint.
        terms: _,
    } = &site.articles[id];
    let mut f = Fingerprint::new(0x6469_6765_7374);
    // A path's bytes: `Path`'s own hash goes component by component.
    f.add_bytes(source.as_os_str().as_encoded_bytes())
        .add(meta)
        .add(path)
        .add(html_hash)
        .add(body_hash)
        .add(body_line)
        .add(first_paragraph)
        .add(word_count)
        .add(image_url)
        .add(image_size)
        .add(image_renditions)
        .add(image_folder)
        .add(image_file)
        .add(image_probe)
        .add(assets)
        .add(tags)
        .add(section)
        .add(authors)
        .add(related);
    let terms = [
        (&site.tags, tags.as_slice()),
        (&site.sections, section.as_slice()),
        (&site.authors, authors.as_slice()),
    ];
    for (taxonomy, ids) in terms {
        for &t in ids {
            let term = taxonomy.get(t);
            f.add(&term.name).add(&term.path);
        }
    }
    for &t in authors {
        f.add_serialized(&site.profiles.get(t));
    }
    f.finish()
}

/// The fingerprint of each page a build made or kept, by the page's
/// place in that build's plan: found there when the plan has not moved
/// (every page of an archive in the same place), else by the page.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Pages {
    at: Vec<Option<(Page, u64)>>,
    #[serde(skip)]
    by_page: OnceLock<HashMap<Page, u64, Fast>>,
}

impl Pages {
    /// The fingerprint of `page`, output `index` of this build's plan.
    fn get(&self, index: usize, page: &Page) -> Option<u64> {
        if let Some(Some((at, fingerprint))) = self.at.get(index)
            && at == page
        {
            return Some(*fingerprint);
        }
        let by_page = self.by_page.get_or_init(|| {
            let pages = self.at.iter().flatten();
            pages.map(|(page, f)| (page.clone(), *f)).collect()
        });
        by_page.get(page).copied()
    }
}

fn slots<T>(n: usize) -> Vec<OnceLock<T>> {
    (0..n).map(|_| OnceLock::new()).collect()
}

/// What a renderer took, for a [`Memo`].
pub struct Learned {
    recipe: u64,
    cards: Vec<Option<u64>>,
    articles: Vec<Option<u64>>,
    pages: Pages,
    /// Each article's [`digest`], where one was taken.
    digests: Vec<Option<Option<u64>>>,
}

/// The fingerprints of one build's cards and article views, each taken
/// once, or reused from the earlier build.
pub struct Taken<'a> {
    earlier: Option<&'a Memo>,
    recipe: u64,
    /// Whether (and as which id) the earlier build had each article as it is.
    same: Vec<OnceLock<Option<usize>>>,
    /// Each article's [`digest`], taken to tell that of a memo read from
    /// disk.
    digests: Vec<OnceLock<Option<u64>>>,
    cards: Vec<OnceLock<Option<u64>>>,
    articles: Vec<OnceLock<Option<u64>>>,
    /// Whether each article is the earlier build's at the same id, taken
    /// for all at once when the site has the earlier build's shape (else
    /// `None`): a list page asks it of every article it shows, about a
    /// million questions at 100,000 articles, answered from a dense array.
    unchanged: Option<Vec<bool>>,
    /// Each output's fingerprint, by its index in the plan.
    pages: Vec<OnceLock<u64>>,
    /// Pages whose fingerprint was reused.
    pages_reused: AtomicUsize,
}

impl<'a> Taken<'a> {
    /// For `site`'s articles and `outputs` pages; `earlier` is used only if
    /// its recipe is `recipe`.
    pub fn new(site: &Site, recipe: u64, outputs: usize, earlier: Option<&'a Memo>) -> Self {
        let n = site.articles.len();
        let mut taken = Taken {
            earlier: earlier.filter(|m| m.recipe == recipe),
            recipe,
            same: slots(n),
            digests: slots(n),
            cards: slots(n),
            articles: slots(n),
            unchanged: None,
            pages: slots(outputs),
            pages_reused: AtomicUsize::new(0),
        };
        // Every page asks this of what it shows when the shape is the
        // same: taken here, in parallel, before any page is fingerprinted.
        if let Some(memo) = taken.earlier.filter(|m| m.same_shape(site)) {
            let unchanged = (0..n).into_par_iter();
            let unchanged = unchanged.map(|id| taken.earlier_id(memo, site, id) == Some(id));
            taken.unchanged = Some(unchanged.collect());
        }
        taken
    }

    /// The earlier build's fingerprint of `page` (output `index` of the
    /// plan), if it reads nothing that changed since (see the module's
    /// comment).
    pub fn page(&self, site: &Site, index: usize, page: &Page) -> Option<u64> {
        let (memo, unchanged) = (self.earlier?, self.unchanged.as_deref()?);
        let unchanged = |id: usize| unchanged[id];
        let reads_unchanged = match *page {
            Page::Article(id) => {
                unchanged(id)
                    && (id + 1 == site.articles.len() || unchanged(id + 1))
                    && (id == 0 || unchanged(id - 1))
                    && site.articles[id].related.iter().all(|&r| unchanged(r))
            }
            Page::Alias(id) => unchanged(id),
            Page::List(list, n) => site.shown(list, n).iter().all(|&id| unchanged(id)),
            Page::Feed(list) => site.in_feed(list).iter().all(|&id| unchanged(id)),
            _ => false,
        };
        let reused = match reads_unchanged {
            true => memo.pages.get(index, page),
            false => None,
        };
        if reused.is_some() {
            self.pages_reused.fetch_add(1, Ordering::Relaxed);
        }
        reused
    }

    pub fn pages_reused(&self) -> usize {
        self.pages_reused.load(Ordering::Relaxed)
    }

    /// Output `index` was fingerprinted `fingerprint`.
    pub fn took_page(&self, index: usize, fingerprint: Option<u64>) {
        if let (Some(slot), Some(f)) = (self.pages.get(index), fingerprint) {
            let _ = slot.set(f);
        }
    }

    /// The fingerprint of article `id`'s card, which `take` takes
    /// (`None`: it could not be taken).
    pub fn card(&self, site: &Site, id: usize, take: impl FnOnce() -> Option<u64>) -> Option<u64> {
        *self.cards[id].get_or_init(|| self.reuse(site, id, |m| &m.cards, take))
    }

    /// The fingerprint of article `id`'s page view without its
    /// neighbours, which `take` takes.
    pub fn article(
        &self,
        site: &Site,
        id: usize,
        take: impl FnOnce() -> Option<u64>,
    ) -> Option<u64> {
        *self.articles[id].get_or_init(|| self.reuse(site, id, |m| &m.articles, take))
    }

    /// The id article `id` had in the earlier build, if it and what its
    /// views are made from are unchanged (asked of `memo` once per build).
    fn earlier_id(&self, memo: &Memo, site: &Site, id: usize) -> Option<usize> {
        let digest = || *self.digests[id].get_or_init(|| digest(site, id));
        *self.same[id].get_or_init(|| memo.same(site, id, digest))
    }

    fn reuse(
        &self,
        site: &Site,
        id: usize,
        kept: impl Fn(&Memo) -> &[Option<u64>],
        take: impl FnOnce() -> Option<u64>,
    ) -> Option<u64> {
        let earlier = self.earlier.and_then(|m| {
            let old = self.earlier_id(m, site, id)?;
            kept(m).get(old).copied().flatten()
        });
        match earlier {
            Some(fingerprint) => {
                debug_assert_eq!(
                    Some(fingerprint),
                    take(),
                    "a reused fingerprint of {} differs from the one taken",
                    site.articles[id].source.display()
                );
                Some(fingerprint)
            }
            None => take(),
        }
    }

    /// What was taken, for the next build's [`Memo`] (of `outputs`, the
    /// plan's): an article's fingerprint not taken, because no page that
    /// needed it was made, is the earlier build's if the article is the
    /// same.
    pub fn learned(&self, outputs: &[Output]) -> Learned {
        let values = |slots: &[OnceLock<Option<u64>>], kept: fn(&Memo) -> &[Option<u64>]| {
            let earlier = |id: usize| {
                let memo = self.earlier?;
                let old = (*self.same[id].get()?)?;
                kept(memo).get(old).copied().flatten()
            };
            slots
                .iter()
                .enumerate()
                .map(|(id, s)| s.get().copied().flatten().or_else(|| earlier(id)))
                .collect()
        };
        let at = outputs
            .iter()
            .zip(&self.pages)
            .map(|(o, f)| match (&o.job, f.get()) {
                (crate::plan::Job::Render(page), Some(&f)) => Some((page.clone(), f)),
                _ => None,
            })
            .collect();
        let pages = Pages {
            at,
            by_page: OnceLock::new(),
        };
        Learned {
            recipe: self.recipe,
            cards: values(&self.cards, |m| &m.cards),
            articles: values(&self.articles, |m| &m.articles),
            pages,
            digests: self.digests.iter().map(|d| d.get().copied()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_found_in_its_place_or_moved() {
        let pages = Pages {
            at: vec![Some((Page::Article(0), 10)), None, Some((Page::Robots, 30))],
            by_page: OnceLock::new(),
        };
        assert_eq!(pages.get(0, &Page::Article(0)), Some(10), "in place");
        assert!(pages.by_page.get().is_none(), "found without the map");
        assert_eq!(pages.get(1, &Page::Robots), Some(30), "moved");
        assert_eq!(pages.get(2, &Page::Article(0)), Some(10), "moved");
        assert_eq!(pages.get(1, &Page::NotFound), None, "not made then");
        assert_eq!(pages.get(7, &Page::Article(1)), None, "past the end");
    }
}
