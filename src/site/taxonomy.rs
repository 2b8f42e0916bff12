//! Tags, sections and authors: names merged by slug into terms that list
//! their articles by id.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::content::slug::Slugs;
use crate::url;

/// A term page: `name` is the spelling most articles use (ties: the first
/// in sort order), `articles` are ids into `Site::articles`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Term {
    pub name: String,
    pub slug: String,
    /// Site path, such as `/tags/nato/`.
    pub path: String,
    pub articles: Vec<usize>,
}

/// All terms of one kind, sorted by slug.
#[derive(Debug, Default)]
pub struct Taxonomy {
    pub terms: Vec<Term>,
    by_slug: HashMap<String, usize>,
    /// Every spelling seen while building, to skip slugifying it again.
    by_name: HashMap<String, usize, foldhash::fast::RandomState>,
    slugs: Slugs,
}

/// A term as the articles are read: its slug, each of its spellings
/// with the number of articles that use it, and its articles.
struct Found<'a> {
    slug: String,
    names: Vec<(&'a str, usize)>,
    articles: Vec<usize>,
}

impl Taxonomy {
    /// Builds the terms from each article's names (`names_of(id)`), with
    /// articles taken in the order given (already newest first).
    pub fn build<'a, F, I>(
        prefix: &str,
        slugs_of: Slugs,
        article_count: usize,
        names_of: F,
    ) -> Taxonomy
    where
        F: Fn(usize) -> I + Sync,
        I: IntoIterator<Item = &'a str>,
    {
        // The articles are read in parallel, in runs of ids: each run
        // gives every name it holds with the ids that use it (once per
        // use), in order.
        type Uses<'a> = HashMap<&'a str, Vec<usize>, foldhash::fast::RandomState>;
        let runs: Vec<Uses<'a>> = (0..article_count)
            .into_par_iter()
            .with_min_len(4096)
            .fold(Uses::default, |mut uses, id| {
                for name in names_of(id) {
                    uses.entry(name).or_default().push(id);
                }
                uses
            })
            .collect();
        // An archive repeats a few thousand names over hundreds of
        // thousands of articles: each name is slugified once, and then
        // found by one lookup.
        let mut spellings: HashMap<&str, (usize, usize), foldhash::fast::RandomState> =
            HashMap::default();
        let mut by_slug: HashMap<String, usize> = HashMap::new();
        let mut found: Vec<Found<'a>> = Vec::new();
        for (name, ids) in runs.into_iter().flatten() {
            let (term, spelling) = *spellings.entry(name).or_insert_with(|| {
                let term = *by_slug
                    .entry(slugs_of.slug(name))
                    .or_insert_with_key(|slug| {
                        found.push(Found {
                            slug: slug.clone(),
                            names: Vec::new(),
                            articles: Vec::new(),
                        });
                        found.len() - 1
                    });
                found[term].names.push((name, 0));
                (term, found[term].names.len() - 1)
            });
            let term = &mut found[term];
            term.names[spelling].1 += ids.len();
            term.articles.extend(ids);
        }
        // A term's ids came run by run and spelling by spelling, and an
        // article may use two of its spellings (or one twice).
        found.par_iter_mut().for_each(|term| {
            term.articles.sort_unstable();
            term.articles.dedup();
        });
        found.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
        let mut taxonomy = Taxonomy {
            slugs: slugs_of,
            ..Taxonomy::default()
        };
        for Found {
            slug,
            mut names,
            articles,
        } in found
        {
            names.sort_unstable();
            // max_by_key keeps the last maximum; iterate reversed so that
            // ties go to the first name in sort order.
            let name = names
                .iter()
                .rev()
                .max_by_key(|(_, n)| *n)
                .map(|(s, _)| s.to_string())
                .unwrap_or_default();
            let id = taxonomy.terms.len();
            taxonomy
                .by_name
                .extend(names.iter().map(|(name, _)| (name.to_string(), id)));
            taxonomy.by_slug.insert(slug.clone(), id);
            let path = url::term(prefix, &slug);
            taxonomy.terms.push(Term {
                name,
                slug,
                path,
                articles,
            });
        }
        taxonomy
    }

    /// The term id a name belongs to.
    pub fn id_of(&self, name: &str) -> Option<usize> {
        match self.by_name.get(name) {
            Some(&id) => Some(id),
            None => self.by_slug.get(&self.slugs.slug(name)).copied(),
        }
    }

    pub fn get(&self, id: usize) -> &Term {
        &self.terms[id]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_spellings_by_majority_then_sort_order() {
        let names = [
            vec!["NATO"],
            vec!["Nato", "Baltic"],
            vec!["Nato"],
            vec!["baltic"],
        ];
        let t = Taxonomy::build("tags", Slugs::Ascii, names.len(), |i| names[i].clone());
        let nato = t.get(t.id_of("nAtO").unwrap());
        assert_eq!(
            (nato.name.as_str(), nato.articles.clone()),
            ("Nato", vec![0, 1, 2])
        );
        let baltic = t.get(t.id_of("Baltic").unwrap());
        assert_eq!(
            baltic.name, "Baltic",
            "a tie goes to the first in sort order"
        );
        assert_eq!(baltic.path, "/tags/baltic/");
    }
}
