//! Related articles: those sharing tags, rarer tags weighing more.
//!
//! Linear in the archive: for each tag of an article, only the articles
//! nearest in time within that tag are candidates (a window of the tag's
//! list, found through the article's position in it), so a tag on every
//! article does not make the work quadratic.

use std::sync::Arc;

use rayon::prelude::*;

use super::taxonomy::Taxonomy;

/// How many related articles a page shows.
pub const RELATED: usize = 5;
/// Candidates taken from each tag, around the article in time.
const WINDOW: usize = 40;

/// The related lists of a build, kept on disk for the next (in its memo
/// of fingerprints) with a hash of what they were made from: every
/// article's tags, by id, in the article order. The weights and windows
/// are made of nothing else.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Kept {
    inputs: u64,
    lists: Vec<Vec<usize>>,
}

impl Kept {
    /// What `site`'s articles are related to, as kept.
    pub fn of(site: &super::Site) -> Kept {
        let tags_of: Vec<&[usize]> = site.articles.iter().map(|a| a.tags.as_slice()).collect();
        Kept {
            inputs: inputs_of(&tags_of),
            lists: site.articles.iter().map(|a| a.related.clone()).collect(),
        }
    }
}

/// The hash a [`Kept`] is known by.
fn inputs_of<T: AsRef<[usize]>>(tags_of: &[T]) -> u64 {
    let mut f = crate::fingerprint::Fingerprint::new(0x0072_656c_6174_6564);
    f.add(tags_of.len());
    for tags in tags_of {
        f.add(tags.as_ref());
    }
    f.finish().unwrap_or(0)
}

/// [`related`], or the lists kept of an earlier build when they were made
/// from the same inputs, the same tags article by article: those of
/// `earlier` (`serve`'s last site, compared) or `kept` (`build`'s, from
/// disk, by their hash). Most rebuilds follow an edit that does not touch
/// tags; at 100,000 articles this spares a tenth of a second.
pub fn related_or_kept(
    tags_of: &[Vec<usize>],
    tags: &Arc<Taxonomy>,
    earlier: Option<&super::Site>,
    kept: Option<&Kept>,
) -> Vec<Vec<usize>> {
    let same_inputs = |e: &&super::Site| {
        e.articles.len() == tags_of.len()
            && super::same_terms(&e.tags, tags)
            && e.articles.iter().zip(tags_of).all(|(a, t)| a.tags == *t)
    };
    let reused = match (earlier.filter(same_inputs), kept) {
        (Some(e), _) => Some(e.articles.iter().map(|a| a.related.clone()).collect()),
        (None, Some(k)) if k.lists.len() == tags_of.len() && k.inputs == inputs_of(tags_of) => {
            Some(k.lists.clone())
        }
        _ => None,
    };
    match reused {
        Some(kept) => {
            debug_assert!(
                kept == related(tags_of, tags),
                "the related articles kept differ from those made"
            );
            kept
        }
        None => related(tags_of, tags),
    }
}

/// For each article, up to [`RELATED`] ids: highest score first, ties
/// broken by nearness in the article order, then by id.
pub fn related(tags_of: &[Vec<usize>], tags: &Taxonomy) -> Vec<Vec<usize>> {
    let total = tags_of.len().max(1) as f64;
    let weight: Vec<f64> = tags
        .terms
        .iter()
        .map(|t| (total / t.articles.len() as f64).ln() + 1.0)
        .collect();
    tags_of
        .par_iter()
        .enumerate()
        .map_init(Vec::new, |windows, (id, article_tags)| {
            // Each tag's candidates: the window of its list around the
            // article. A term's articles are in id order, so each window is
            // sorted, and merging them meets every candidate once with all
            // its shared tags (in tag order, so that the sums are the same
            // every time).
            windows.clear();
            for &tag in article_tags {
                let list = &tags.get(tag).articles;
                let Ok(at) = list.binary_search(&id) else {
                    continue;
                };
                let start = at.saturating_sub(WINDOW / 2);
                let end = (start + WINDOW + 1).min(list.len());
                windows.push((&list[start..end], weight[tag]));
            }
            let mut best = Best::new(id);
            while let Some(other) = windows.iter().filter_map(|(w, _)| w.first()).min().copied() {
                let mut score = 0.0;
                for (w, tag_weight) in windows.iter_mut() {
                    if w.first() == Some(&other) {
                        score += *tag_weight;
                        *w = &w[1..];
                    }
                }
                if other != id {
                    best.offer(other, score);
                }
            }
            best.ids()
        })
        .collect()
}

/// The [`RELATED`] best candidates so far, best first: highest score,
/// then nearest to the article, then lowest id (a total order).
struct Best {
    id: usize,
    top: Vec<(usize, f64)>,
}

impl Best {
    fn new(id: usize) -> Self {
        Best {
            id,
            top: Vec::with_capacity(RELATED + 1),
        }
    }

    fn before(&self, a: (usize, f64), b: (usize, f64)) -> bool {
        b.1.total_cmp(&a.1)
            .then(a.0.abs_diff(self.id).cmp(&b.0.abs_diff(self.id)))
            .then(a.0.cmp(&b.0))
            .is_lt()
    }

    fn offer(&mut self, other: usize, score: f64) {
        let candidate = (other, score);
        if self.top.len() == RELATED && !self.before(candidate, self.top[RELATED - 1]) {
            return;
        }
        let at = self
            .top
            .iter()
            .position(|&t| self.before(candidate, t))
            .unwrap_or(self.top.len());
        self.top.insert(at, candidate);
        self.top.truncate(RELATED);
    }

    fn ids(self) -> Vec<usize> {
        self.top.into_iter().map(|(other, _)| other).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_shared_tags_rank_first() {
        // Tag "common" on all five, "rare" on 0 and 4 only.
        let names: Vec<Vec<&str>> = vec![
            vec!["common", "rare"],
            vec!["common"],
            vec!["common"],
            vec!["common"],
            vec!["common", "rare"],
        ];
        let tags = Taxonomy::build(
            "tags",
            crate::content::slug::Slugs::Ascii,
            names.len(),
            |i| names[i].clone(),
        );
        let tags_of: Vec<Vec<usize>> = names
            .iter()
            .map(|n| n.iter().map(|t| tags.id_of(t).unwrap()).collect())
            .collect();
        let related = related(&tags_of, &tags);
        assert_eq!(related[0], vec![4, 1, 2, 3]);
        assert_eq!(
            related[2],
            vec![1, 3, 0, 4],
            "equal scores: nearest first, then lower id"
        );
    }

    fn five_articles() -> (Vec<Vec<usize>>, Arc<Taxonomy>) {
        let names: Vec<Vec<&str>> = vec![
            vec!["common", "rare"],
            vec!["common"],
            vec!["common", "other"],
            vec!["common", "other"],
            vec!["common", "rare"],
        ];
        let tags = Taxonomy::build("tags", crate::content::slug::Slugs::Ascii, 5, |i| {
            names[i].clone()
        });
        let tags_of = (names.iter())
            .map(|n| n.iter().map(|t| tags.id_of(t).unwrap()).collect())
            .collect();
        (tags_of, Arc::new(tags))
    }

    fn kept(tags_of: &[Vec<usize>], lists: &[Vec<usize>]) -> Kept {
        Kept {
            inputs: inputs_of(tags_of),
            lists: lists.to_vec(),
        }
    }

    #[test]
    fn kept_lists_stand_only_for_the_same_tags() {
        let (tags_of, tags) = five_articles();
        let made = related(&tags_of, &tags);
        let k = kept(&tags_of, &made);
        assert_eq!(related_or_kept(&tags_of, &tags, None, Some(&k)), made);
        // Article 1 gains a tag: the kept lists are another build's.
        let mut changed = tags_of.clone();
        changed[1].push(tags.id_of("rare").unwrap());
        let wrong = kept(&tags_of, &vec![vec![0]; 5]);
        assert_eq!(
            related_or_kept(&changed, &tags, None, Some(&wrong)),
            related(&changed, &tags)
        );
        let fewer = kept(&tags_of[..4], &made[..4]);
        assert_eq!(related_or_kept(&tags_of, &tags, None, Some(&fewer)), made);
    }

    /// Lists kept for the same tags are taken as they are; debug builds
    /// (the tests') make them again and stop if they differ.
    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "the related articles kept differ")]
    fn kept_lists_are_checked_in_debug_builds() {
        let (tags_of, tags) = five_articles();
        let wrong = kept(&tags_of, &vec![vec![0]; 5]);
        related_or_kept(&tags_of, &tags, None, Some(&wrong));
    }

    /// The plain way: every candidate of every window scored, all sorted.
    fn reference(tags_of: &[Vec<usize>], tags: &Taxonomy) -> Vec<Vec<usize>> {
        let total = tags_of.len().max(1) as f64;
        let weight = |t: usize| (total / tags.get(t).articles.len() as f64).ln() + 1.0;
        (0..tags_of.len())
            .map(|id| {
                let mut scores: Vec<(usize, f64)> = Vec::new();
                for &tag in &tags_of[id] {
                    let list = &tags.get(tag).articles;
                    let at = list.binary_search(&id).unwrap();
                    let start = at.saturating_sub(WINDOW / 2);
                    let end = (start + WINDOW + 1).min(list.len());
                    for &other in list[start..end].iter().filter(|&&o| o != id) {
                        match scores.iter_mut().find(|(o, _)| *o == other) {
                            Some((_, s)) => *s += weight(tag),
                            None => scores.push((other, weight(tag))),
                        }
                    }
                }
                scores.sort_by(|a, b| {
                    b.1.total_cmp(&a.1)
                        .then(a.0.abs_diff(id).cmp(&b.0.abs_diff(id)))
                        .then(a.0.cmp(&b.0))
                });
                scores.into_iter().take(RELATED).map(|(o, _)| o).collect()
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn the_merge_finds_what_scoring_everything_finds(
            names in proptest::collection::vec(
                proptest::collection::btree_set(0..12u8, 0..5), 1..120)
        ) {
            let names: Vec<Vec<String>> = names
                .iter()
                .map(|set| set.iter().map(|t| format!("t{t}")).collect())
                .collect();
            let tags = Taxonomy::build("tags", crate::content::slug::Slugs::Ascii, names.len(), |i| {
                names[i].iter().map(String::as_str)
            });
            let tags_of: Vec<Vec<usize>> = names
                .iter()
                .map(|n| n.iter().map(|t| tags.id_of(t).unwrap()).collect())
                .collect();
            proptest::prop_assert_eq!(related(&tags_of, &tags), reference(&tags_of, &tags));
        }
    }
}
