//! Tags, sections and authors: names merged by slug into terms that list
//! their articles by id.

use std::collections::{BTreeMap, HashMap};

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

impl Taxonomy {
    /// Builds the terms from each article's names (`names_of(id)`), with
    /// articles taken in the order given (already newest first).
    pub fn build<'a, F>(
        prefix: &str,
        slugs_of: Slugs,
        article_count: usize,
        names_of: F,
    ) -> Taxonomy
    where
        F: Fn(usize) -> Vec<&'a str>,
    {
        let mut spellings: BTreeMap<String, (BTreeMap<&str, usize>, Vec<usize>)> = BTreeMap::new();
        // An archive repeats a few thousand names: slugify each once.
        let mut slugs: HashMap<&str, String, foldhash::fast::RandomState> = HashMap::default();
        for id in 0..article_count {
            for name in names_of(id) {
                let slug = slugs.entry(name).or_insert_with(|| slugs_of.slug(name));
                let entry = match spellings.get_mut(slug.as_str()) {
                    Some(entry) => entry,
                    None => spellings.entry(slug.clone()).or_default(),
                };
                *entry.0.entry(name).or_default() += 1;
                if entry.1.last() != Some(&id) {
                    entry.1.push(id);
                }
            }
        }
        let mut taxonomy = Taxonomy {
            slugs: slugs_of,
            ..Taxonomy::default()
        };
        for (slug, (names, articles)) in spellings {
            // max_by_key keeps the last maximum; iterate reversed so that
            // ties go to the first name in sort order.
            let name = names
                .iter()
                .rev()
                .max_by_key(|(_, n)| **n)
                .map(|(s, _)| s.to_string())
                .unwrap_or_default();
            let id = taxonomy.terms.len();
            taxonomy
                .by_name
                .extend(names.keys().map(|name| (name.to_string(), id)));
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
