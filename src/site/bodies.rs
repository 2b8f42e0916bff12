//! Rendered Markdown bodies kept between builds (by `serve`).
//!
//! A body's HTML depends on its Markdown, its page's link, and the answers
//! to the questions the renderer asked about other files: the URL of a
//! linked article, whether an image exists, its size. Each cached body
//! keeps those questions with their answers; it is reused only when its
//! Markdown is the same and every question still gets the same answer, so
//! renaming a linked article or replacing an image renders it again.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::content::markdown::{self, Input, Links, Rendered};
use crate::manifest::Fingerprint;

#[derive(Debug, Default)]
pub struct BodyCache {
    entries: Mutex<HashMap<PathBuf, Entry>>,
}

#[derive(Debug)]
struct Entry {
    key: Option<u64>,
    asked: Vec<Question>,
    rendered: Rendered,
}

/// A question the renderer asked, with the answer it got.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Question {
    Article(PathBuf, Result<String, String>),
    FileExists(PathBuf, bool),
    ImageSize(PathBuf, Option<(u32, u32)>),
}

impl Question {
    pub fn same_answer(&self, links: &dyn Links) -> bool {
        match self {
            Question::Article(p, answer) => links.article(p) == *answer,
            Question::FileExists(p, answer) => links.file_exists(p) == *answer,
            Question::ImageSize(p, answer) => links.image_size(p) == *answer,
        }
    }

    /// Whether its paths can be stored (are UTF-8).
    pub fn storable(&self) -> bool {
        match self {
            Question::Article(p, _) | Question::FileExists(p, _) | Question::ImageSize(p, _) => {
                p.to_str().is_some()
            }
        }
    }
}

/// Renders a body, noting the questions it asked about other files.
pub fn render_recorded(input: &Input<'_>, links: &dyn Links) -> (Rendered, Vec<Question>) {
    let recorder = Recorder {
        links,
        asked: RefCell::new(Vec::new()),
    };
    let rendered = markdown::render(input, &recorder);
    (rendered, recorder.asked.into_inner())
}

/// Answers from `links`, noting each question.
struct Recorder<'a> {
    links: &'a dyn Links,
    asked: RefCell<Vec<Question>>,
}

impl Links for Recorder<'_> {
    fn article(&self, source: &Path) -> Result<String, String> {
        let answer = self.links.article(source);
        self.asked
            .borrow_mut()
            .push(Question::Article(source.to_path_buf(), answer.clone()));
        answer
    }

    fn file_exists(&self, path: &Path) -> bool {
        let answer = self.links.file_exists(path);
        self.asked
            .borrow_mut()
            .push(Question::FileExists(path.to_path_buf(), answer));
        answer
    }

    fn image_size(&self, path: &Path) -> Option<(u32, u32)> {
        let answer = self.links.image_size(path);
        self.asked
            .borrow_mut()
            .push(Question::ImageSize(path.to_path_buf(), answer));
        answer
    }
}

impl BodyCache {
    /// The body of `input`, from the cache when still valid, else rendered
    /// (and kept, if it rendered without problems).
    pub fn render(&self, input: &Input<'_>, links: &dyn Links) -> Rendered {
        let key = Fingerprint::default()
            .add(input.body)
            .add(input.body_line)
            .add(input.page_link)
            .add(input.raw_html)
            .finish();
        {
            let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(e) = entries.get(input.source) {
                if key.is_some() && e.key == key && e.asked.iter().all(|q| q.same_answer(links)) {
                    return e.rendered.clone();
                }
            }
        }
        let (rendered, asked) = render_recorded(input, links);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if rendered.problems.is_empty() {
            entries.insert(
                input.source.to_path_buf(),
                Entry {
                    key,
                    asked,
                    rendered: rendered.clone(),
                },
            );
        } else {
            entries.remove(input.source);
        }
        rendered
    }

    /// Forgets the bodies of files that are gone.
    pub fn retain(&self, keep: impl Fn(&Path) -> bool) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|path, _| keep(path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Site {
        target: &'static str,
    }

    impl Links for Site {
        fn article(&self, _source: &Path) -> Result<String, String> {
            Ok(self.target.to_string())
        }

        fn file_exists(&self, _path: &Path) -> bool {
            true
        }
    }

    #[test]
    fn a_cached_body_is_rendered_again_when_a_linked_url_changes() {
        let cache = BodyCache::default();
        let input = Input {
            body: "See [the talks](other.md).",
            body_line: 5,
            source: Path::new("content/a.md"),
            page_link: "/a/",
            raw_html: false,
        };
        let first = cache.render(&input, &Site { target: "/talks/" });
        assert!(first.html.contains("/talks/"));
        let again = cache.render(&input, &Site { target: "/talks/" });
        assert_eq!(again.html, first.html);
        let moved = cache.render(&input, &Site { target: "/moved/" });
        assert!(moved.html.contains("/moved/"), "{}", moved.html);
        let edited = Input {
            body: "See [the new talks](other.md).",
            ..input
        };
        assert!(
            cache
                .render(&edited, &Site { target: "/moved/" })
                .html
                .contains("new talks")
        );
    }
}
