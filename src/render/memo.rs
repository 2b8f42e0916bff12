//! The fingerprints of each article's card and page view, taken once per
//! build, and kept by `serve` for its next build ([`Memo`]) so that an
//! unchanged article's views cost nothing to fingerprint again.
//!
//! An article's fingerprints are reused when the article, the terms it
//! links to and its authors' profiles equal the earlier build's, under the
//! same recipe (gazette's version, the templates, `site`). They are
//! compared, not hashed: `Article` derives `PartialEq`, so a field added
//! to it is compared by construction, and the views are made from nothing
//! else (see `views`). Debug builds, the tests', take every reused
//! fingerprint afresh as well and stop if it differs.
//!
//! A whole page's fingerprint is reused too, without its view being made,
//! when the site has the earlier build's shape (the same config,
//! taxonomies, date lists, profiles and number of articles: see
//! [`Site::same_shape`]) and every article the page shows is the same at
//! the same id: an article page reads its own article, the two beside it
//! and its related ones; a list page and a feed the articles they show.
//! Every other page is fingerprinted afresh.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::plan::{Output, Page};
use crate::site::Site;
use crate::site::taxonomy::Taxonomy;

type Fast = foldhash::fast::RandomState;

/// One build's site with the fingerprints its renderer took of each
/// article's card and page view (`None` where none was taken).
pub struct Memo {
    site: Site,
    recipe: u64,
    cards: Vec<Option<u64>>,
    articles: Vec<Option<u64>>,
    /// The fingerprint of each page made or kept.
    pages: HashMap<Page, u64, Fast>,
    /// Article ids by site path, made when ids moved.
    by_path: OnceLock<HashMap<String, usize, Fast>>,
}

impl Memo {
    /// Keeps `site` with what its build's renderer `taken`.
    pub fn new(site: Site, taken: Learned) -> Self {
        Memo {
            site,
            recipe: taken.recipe,
            cards: taken.cards,
            articles: taken.articles,
            pages: taken.pages,
            by_path: OnceLock::new(),
        }
    }

    /// The build's site.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The earlier build's id of article `id` of `site`, if the article and
    /// everything its views are made from are unchanged.
    fn same(&self, site: &Site, id: usize) -> Option<usize> {
        let a = &site.articles[id];
        let earlier = match self.site.articles.get(id) {
            Some(old) if old.path == a.path => id,
            _ => *self
                .by_path
                .get_or_init(|| {
                    self.site
                        .articles
                        .iter()
                        .enumerate()
                        .map(|(id, a)| (a.path.clone(), id))
                        .collect()
                })
                .get(&a.path)?,
        };
        let (old_site, old) = (&self.site, &self.site.articles[earlier]);
        let same_terms = |old_tax: &Taxonomy, tax: &Taxonomy, ids: &[usize]| {
            ids.iter().all(|&t| {
                let (o, n) = (old_tax.get(t), tax.get(t));
                o.name == n.name && o.path == n.path
            })
        };
        let same = old == a
            && same_terms(&old_site.tags, &site.tags, &a.tags)
            && same_terms(&old_site.authors, &site.authors, &a.authors)
            && same_terms(&old_site.sections, &site.sections, a.section.as_slice())
            && a.authors
                .iter()
                .all(|&t| old_site.profiles.get(t) == site.profiles.get(t));
        same.then_some(earlier)
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
    pages: HashMap<Page, u64, Fast>,
}

/// The fingerprints of one build's cards and article views, each taken
/// once, or reused from the earlier build.
pub struct Taken<'a> {
    earlier: Option<&'a Memo>,
    recipe: u64,
    /// Whether (and as which id) the earlier build had each article as it is.
    same: Vec<OnceLock<Option<usize>>>,
    cards: Vec<OnceLock<Option<u64>>>,
    articles: Vec<OnceLock<Option<u64>>>,
    /// Whether the site has the earlier build's shape.
    shape: OnceLock<bool>,
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
        Taken {
            earlier: earlier.filter(|m| m.recipe == recipe),
            recipe,
            same: slots(n),
            cards: slots(n),
            articles: slots(n),
            shape: OnceLock::new(),
            pages: slots(outputs),
            pages_reused: AtomicUsize::new(0),
        }
    }

    /// The earlier build's fingerprint of `page`, if it reads nothing that
    /// changed since (see the module's comment).
    pub fn page(&self, site: &Site, page: &Page) -> Option<u64> {
        let memo = self.earlier?;
        if !*self.shape.get_or_init(|| memo.site.same_shape(site)) {
            return None;
        }
        let unchanged = |id: usize| self.earlier_id(memo, site, id) == Some(id);
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
            true => memo.pages.get(page).copied(),
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
        *self.same[id].get_or_init(|| memo.same(site, id))
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
        let pages = outputs
            .iter()
            .zip(&self.pages)
            .filter_map(|(o, f)| match (&o.job, f.get()) {
                (crate::plan::Job::Render(page), Some(&f)) => Some((page.clone(), f)),
                _ => None,
            })
            .collect();
        Learned {
            recipe: self.recipe,
            cards: values(&self.cards, |m| &m.cards),
            articles: values(&self.articles, |m| &m.articles),
            pages,
        }
    }
}
