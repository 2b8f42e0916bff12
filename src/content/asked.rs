//! The questions a body's rendering asks of the rest of the site (a
//! linked article's URL, whether an image exists, its size), recorded
//! with their answers. A body rendered earlier may be reused while its
//! own inputs are the same and every question still gets the same answer,
//! so renaming a linked article or replacing an image renders it again.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use super::markdown::{self, Input, Links, Rendered};

/// A question the renderer asked, with the answer it got.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Question {
    Article(PathBuf, Result<String, String>),
    FileExists(PathBuf, bool),
    Image(PathBuf, Option<crate::images::Probe>),
}

impl Question {
    pub fn same_answer(&self, links: &dyn Links) -> bool {
        match self {
            Question::Article(p, answer) => links.article(p) == *answer,
            Question::FileExists(p, answer) => links.file_exists(p) == *answer,
            Question::Image(p, answer) => links.image(p) == *answer,
        }
    }

    /// Whether its path can be stored (is UTF-8).
    pub fn storable(&self) -> bool {
        match self {
            Question::Article(p, _) | Question::FileExists(p, _) | Question::Image(p, _) => {
                p.to_str().is_some()
            }
        }
    }
}

/// Whether every question still gets the answer it got.
pub fn same_answers(asked: &[Question], links: &dyn Links) -> bool {
    asked.iter().all(|q| q.same_answer(links))
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

    /// Only asked to word an error (a body with errors is never kept), so
    /// not noted.
    fn leads_out(&self, path: &Path) -> Option<PathBuf> {
        self.links.leads_out(path)
    }

    fn image(&self, path: &Path) -> Option<crate::images::Probe> {
        let answer = self.links.image(path);
        self.asked
            .borrow_mut()
            .push(Question::Image(path.to_path_buf(), answer));
        answer
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
    fn answers_are_recorded_and_checked_again() {
        let input = Input {
            body: "See [the talks](other.md).",
            body_line: 5,
            source: Path::new("content/a.md"),
            page_link: "/a/",
            raw_html: false,
            template_code: true,
            slugs: crate::content::slug::Slugs::Ascii,
            images: &crate::images::Settings::default(),
        };
        let (rendered, asked) = render_recorded(&input, &Site { target: "/talks/" });
        assert!(rendered.html.contains("/talks/"));
        assert_eq!(asked.len(), 1);
        assert!(same_answers(&asked, &Site { target: "/talks/" }));
        assert!(!same_answers(&asked, &Site { target: "/moved/" }));
    }
}
