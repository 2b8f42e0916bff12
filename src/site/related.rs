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
        .map_init(Vec::new, |shared, (id, article_tags)| {
            // (candidate, position of the shared tag), then summed per
            // candidate: sorting a few hundred pairs beats a map.
            shared.clear();
            for (k, &tag) in article_tags.iter().enumerate() {
                let list = &tags.get(tag).articles;
                // A term's articles are in id order.
                let Ok(at) = list.binary_search(&id) else {
                    continue;
                };
                let start = at.saturating_sub(WINDOW / 2);
                let end = (start + WINDOW + 1).min(list.len());
                for &other in &list[start..end] {
                    if other != id {
                        shared.push((other, k));
                    }
                }
            }
            // Each candidate's weights add up in tag order.
            shared.sort_unstable();
            let mut scores: Vec<(usize, f64)> = Vec::with_capacity(shared.len());
            for &(other, k) in shared.iter() {
                let w = weight[article_tags[k]];
                match scores.last_mut() {
                    Some((last, score)) if *last == other => *score += w,
                    _ => scores.push((other, w)),
                }
            }
            // A total order (ids differ): the first few, then sorted.
            let order = |a: &(usize, f64), b: &(usize, f64)| {
                b.1.total_cmp(&a.1)
                    .then(a.0.abs_diff(id).cmp(&b.0.abs_diff(id)))
                    .then(a.0.cmp(&b.0))
            };
            if scores.len() > RELATED {
                scores.select_nth_unstable_by(RELATED, order);
                scores.truncate(RELATED);
            }
            scores.sort_unstable_by(order);
            scores.into_iter().map(|(other, _)| other).collect()
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
