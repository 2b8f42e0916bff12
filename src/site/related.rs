//! Related articles: those sharing tags, rarer tags weighing more.
//!
//! Linear in the archive: for each tag of an article, only the articles
//! nearest in time within that tag are candidates (a window of the tag's
//! list, found through the article's position in it), so a tag on every
//! article does not make the work quadratic.

use rayon::prelude::*;

use super::taxonomy::Taxonomy;

/// How many related articles a page shows.
pub const RELATED: usize = 5;
/// Candidates taken from each tag, around the article in time.
const WINDOW: usize = 40;

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
        .map(|(id, article_tags)| {
            // (candidate, weight of one shared tag), then summed per
            // candidate: sorting a few hundred pairs beats a map.
            let mut shared: Vec<(usize, f64)> = Vec::new();
            for &tag in article_tags {
                let list = &tags.get(tag).articles;
                // A term's articles are in id order.
                let Ok(at) = list.binary_search(&id) else {
                    continue;
                };
                let start = at.saturating_sub(WINDOW / 2);
                let end = (start + WINDOW + 1).min(list.len());
                for &other in &list[start..end] {
                    if other != id {
                        shared.push((other, weight[tag]));
                    }
                }
            }
            // Stable: each candidate's weights add up in tag order.
            shared.sort_by_key(|&(other, _)| other);
            let mut scores: Vec<(usize, f64)> = Vec::with_capacity(shared.len());
            for (other, w) in shared {
                match scores.last_mut() {
                    Some((last, score)) if *last == other => *score += w,
                    _ => scores.push((other, w)),
                }
            }
            scores.sort_by(|a, b| {
                b.1.total_cmp(&a.1)
                    .then(a.0.abs_diff(id).cmp(&b.0.abs_diff(id)))
                    .then(a.0.cmp(&b.0))
            });
            scores
                .into_iter()
                .take(RELATED)
                .map(|(other, _)| other)
                .collect()
        })
        .collect()
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
        let tags = Taxonomy::build("tags", names.len(), |i| names[i].clone());
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
}
