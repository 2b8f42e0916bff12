//! The article lists of the site: home, date archives, taxonomy terms. Each
//! is a slice of article ids (newest first), built once in linear time.

use std::collections::BTreeMap;

use super::Site;
use crate::url;

/// Article ids per calendar year, month and day of the site time zone.
#[derive(Debug, Default, PartialEq, Hash)]
pub struct DateIndex {
    pub years: BTreeMap<i16, Vec<usize>>,
    pub months: BTreeMap<(i16, i8), Vec<usize>>,
    pub days: BTreeMap<(i16, i8, i8), Vec<usize>>,
}

impl DateIndex {
    /// `dates` in article order (newest first); lists keep that order.
    pub fn build(dates: impl Iterator<Item = (i16, i8, i8)>) -> DateIndex {
        let mut index = DateIndex::default();
        for (id, (y, m, d)) in dates.enumerate() {
            index.years.entry(y).or_default().push(id);
            index.months.entry((y, m)).or_default().push(id);
            index.days.entry((y, m, d)).or_default().push(id);
        }
        index
    }
}

/// Which kind of taxonomy.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Kind {
    Tag,
    Section,
    Author,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Tag, Kind::Section, Kind::Author];

    /// The URL folder: `tags`, `sections`, `authors`.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Tag => "tags",
            Kind::Section => "sections",
            Kind::Author => "authors",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Tag => "tag",
            Kind::Section => "section",
            Kind::Author => "author",
        }
    }
}

/// One paginated list of articles.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ListId {
    Home,
    Term(Kind, usize),
    Year(i16),
    Month(i16, i8),
    Day(i16, i8, i8),
}

impl Site {
    /// The articles of a list, newest first.
    pub fn list(&self, list: ListId) -> &[usize] {
        let found = match list {
            ListId::Home => Some(&self.all),
            ListId::Term(kind, id) => Some(&self.taxonomy(kind).get(id).articles),
            ListId::Year(y) => self.dates.years.get(&y),
            ListId::Month(y, m) => self.dates.months.get(&(y, m)),
            ListId::Day(y, m, d) => self.dates.days.get(&(y, m, d)),
        };
        found.map_or(&[], Vec::as_slice)
    }

    /// Site path of page 1 of a list.
    pub fn list_path(&self, list: ListId) -> String {
        match list {
            ListId::Home => url::HOME.to_string(),
            ListId::Term(kind, id) => self.taxonomy(kind).get(id).path.clone(),
            ListId::Year(y) => url::year(y),
            ListId::Month(y, m) => url::month(y, m),
            ListId::Day(y, m, d) => url::day(y, m, d),
        }
    }

    /// The articles page `page` (1-based) of a list shows.
    pub fn shown(&self, list: ListId, page: usize) -> &[usize] {
        let ids = self.list(list);
        let per_page = self.config.per_page;
        let start = (page.saturating_sub(1) * per_page).min(ids.len());
        &ids[start..(page * per_page).min(ids.len())]
    }

    /// The articles the feed of a list holds: its newest `feeds.limit`.
    pub fn in_feed(&self, list: ListId) -> &[usize] {
        let ids = self.list(list);
        &ids[..ids.len().min(self.config.feed_limit)]
    }

    /// Number of pages of a list (0 for an empty list).
    pub fn page_count(&self, list: ListId) -> usize {
        self.list(list).len().div_ceil(self.config.per_page)
    }

    /// Every list of the site.
    pub fn lists(&self) -> Vec<ListId> {
        let mut lists = vec![ListId::Home];
        for kind in Kind::ALL {
            lists.extend((0..self.taxonomy(kind).terms.len()).map(|id| ListId::Term(kind, id)));
        }
        lists.extend(self.dates.years.keys().map(|&y| ListId::Year(y)));
        lists.extend(self.dates.months.keys().map(|&(y, m)| ListId::Month(y, m)));
        lists.extend(
            self.dates
                .days
                .keys()
                .map(|&(y, m, d)| ListId::Day(y, m, d)),
        );
        lists
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_index_groups_in_order() {
        let index = DateIndex::build([(2024, 1, 2), (2024, 1, 1), (2023, 12, 31)].into_iter());
        assert_eq!(index.years[&2024], vec![0, 1]);
        assert_eq!(index.months[&(2023, 12)], vec![2]);
        assert_eq!(index.days[&(2024, 1, 1)], vec![1]);
    }
}
