//! schema.org `NewsArticle` structured data, written as JSON in code and
//! made safe to place inside `<script type="application/ld+json">`.
//!
//! [`input`] gathers everything the JSON is made of into one value
//! ([`NewsArticle`]); [`news_article`] writes it and reads nothing else, and
//! a page that is only fingerprinted takes that value in instead.

use serde::Serialize;
use serde_json::{Value, json};

use super::views::{ArticleView, CropView};
use crate::site::profiles::Profile;
use crate::site::{Site, SiteImage};

/// Everything an article's structured data is written from.
#[derive(Serialize)]
pub struct NewsArticle<'a> {
    pub page: &'a ArticleView<'a>,
    /// The article's authors, in byline order.
    pub authors: Vec<Person<'a>>,
    /// The site's title.
    pub publisher: &'a str,
    /// The site's absolute base URL.
    pub publisher_url: String,
    pub publisher_logo: Option<&'a SiteImage>,
    /// The image of an article without one of its own.
    pub share_image: Option<&'a SiteImage>,
    pub language: &'a str,
}

/// An author as structured data names them.
#[derive(Serialize)]
pub struct Person<'a> {
    pub name: &'a str,
    /// Absolute URL of the author's page.
    pub url: String,
    pub profile: Option<&'a Profile>,
}

/// The structured data of article `id`, whose page view is `page`.
pub fn input<'a>(site: &'a Site, id: usize, page: &'a ArticleView<'a>) -> NewsArticle<'a> {
    let base = &site.config.base_url;
    NewsArticle {
        page,
        authors: site.articles[id]
            .authors
            .iter()
            .map(|&author| {
                let term = site.authors.get(author);
                Person {
                    name: &term.name,
                    url: base.absolute(&term.path),
                    profile: site.profiles.get(author).and_then(Option::as_ref),
                }
            })
            .collect(),
        publisher: &site.config.title,
        publisher_url: base.root(),
        publisher_logo: site.logo.as_ref(),
        share_image: site.share_image.as_ref(),
        language: &site.config.language,
    }
}

/// The JSON, ready to place in the page.
pub fn news_article(input: &NewsArticle<'_>) -> String {
    let page = input.page;
    let authors: Vec<Value> = input
        .authors
        .iter()
        .map(|a| {
            let mut person = json!({"@type": "Person", "name": a.name, "url": a.url});
            if let Some(profile) = a.profile {
                if let Some(bio) = &profile.bio {
                    person["description"] = json!(bio);
                }
                if !profile.links.is_empty() {
                    let links: Vec<&str> = profile.links.iter().map(|l| l.url.as_str()).collect();
                    person["sameAs"] = json!(links);
                }
            }
            person
        })
        .collect();
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": page.permalink},
        "headline": page.title,
        "description": page.summary,
        "datePublished": page.date.iso,
        "dateModified": page.updated.as_ref().unwrap_or(&page.date).iso,
        "author": authors,
        "publisher": {"@type": "Organization", "name": input.publisher, "url": input.publisher_url},
        "inLanguage": input.language,
        "wordCount": page.word_count,
    });
    if let Some(image) = &page.image {
        data["image"] = match image.crops.is_empty() {
            true => json!([crop_object(&image.share)]),
            false => Value::Array(image.crops.iter().map(crop_object).collect()),
        };
    } else if let Some(image) = input.share_image {
        data["image"] = json!([image_object(image)]);
    }
    if let Some(logo) = input.publisher_logo {
        data["publisher"]["logo"] = image_object(logo);
    }
    if let Some(section) = &page.section {
        data["articleSection"] = json!(section.name);
    }
    if !page.tags.is_empty() {
        data["keywords"] = json!(
            page.tags
                .iter()
                .map(|t| t.name.as_ref())
                .collect::<Vec<_>>()
        );
    }
    script_safe(&data.to_string())
}

/// An article's image (a crop, or the image itself) as a schema.org
/// `ImageObject`.
fn crop_object(image: &CropView) -> Value {
    object_of(&image.absolute, image.width, image.height)
}

/// A site image as a schema.org `ImageObject`.
fn image_object(image: &SiteImage) -> Value {
    object_of(&image.absolute, image.width, image.height)
}

/// An `ImageObject`, with its size when known.
fn object_of(url: &str, width: Option<u32>, height: Option<u32>) -> Value {
    let mut object = json!({"@type": "ImageObject", "url": url});
    if let (Some(w), Some(h)) = (width, height) {
        object["width"] = json!(w);
        object["height"] = json!(h);
    }
    object
}

/// The structured data of a list page: a `CollectionPage` with its
/// `BreadcrumbList` (`crumbs`: name and absolute URL, from the home page
/// to this page), or, for the home page (one crumb), the `WebSite` with
/// the search it offers.
pub fn collection_page(
    site: &Site,
    title: &str,
    description: &str,
    crumbs: &[(String, String)],
) -> String {
    let base = &site.config.base_url;
    let website = json!({"@type": "WebSite", "name": site.config.title, "url": base.root()});
    let data = match crumbs {
        [_] => {
            let mut home = website;
            home["@context"] = json!("https://schema.org");
            home["description"] = json!(description);
            home["inLanguage"] = json!(site.config.language);
            home["potentialAction"] = json!({
                "@type": "SearchAction",
                "target": {
                    "@type": "EntryPoint",
                    "urlTemplate": format!("{}?q={{search_term_string}}", base.absolute(crate::url::SEARCH)),
                },
                "query-input": "required name=search_term_string",
            });
            home
        }
        _ => {
            let items: Vec<Value> = crumbs
                .iter()
                .enumerate()
                .map(|(i, (name, url))| {
                    json!({"@type": "ListItem", "position": i + 1, "name": name, "item": url})
                })
                .collect();
            json!({
                "@context": "https://schema.org",
                "@type": "CollectionPage",
                "name": title,
                "description": description,
                "url": crumbs.last().map(|c| c.1.as_str()),
                "inLanguage": site.config.language,
                "isPartOf": website,
                "breadcrumb": {"@type": "BreadcrumbList", "itemListElement": items},
            })
        }
    };
    script_safe(&data.to_string())
}

/// `<`, `>` and `&` only occur inside JSON strings, where `\u003c` etc. mean
/// the same; escaped, no value can close the script element.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::tests::{date, differs};
    use crate::render::views::{Content, CropView, DateView, ImageView, LinkView};
    use crate::site::profiles::ProfileLink;

    #[test]
    fn script_safe_cannot_close_the_element() {
        let s = script_safe(r#"{"h":"</script><script>alert(1)</script>&"}"#);
        assert!(!s.contains("</"));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["h"], "</script><script>alert(1)</script>&");
    }

    fn link<'a>(name: &'a str, url: &str) -> LinkView<'a> {
        LinkView {
            name: name.into(),
            url: url.into(),
        }
    }

    fn page<'a>(extra: &'a crate::content::yaml::Value) -> ArticleView<'a> {
        ArticleView {
            title: "Talks open",
            url: "/2024/01/05/talks/".into(),
            permalink: "https://news.example/2024/01/05/talks/".into(),
            date: DateView::new(&date("2024-01-05T10:00:00Z", "UTC")),
            updated: None,
            authors: vec![link("Jane Doe", "/authors/jane-doe/")],
            section: Some(link("World", "/sections/world/")),
            tags: vec![link("NATO", "/tags/nato/")],
            image: Some(ImageView {
                url: "/a.jpg".into(),
                absolute: "https://news.example/a.jpg".into(),
                alt: "",
                caption: None,
                credit: None,
                width: None,
                height: None,
                picture: false,
                src: "/a.jpg".into(),
                srcset: None,
                sources: Vec::new(),
                crops: Vec::new(),
                share: CropView {
                    ratio: "",
                    url: "/a.jpg".into(),
                    absolute: "https://news.example/a.jpg".into(),
                    width: None,
                    height: None,
                },
                focus: None,
            }),
            summary: "Talks.",
            content: Content::Fingerprint(1),
            word_count: 120,
            reading_minutes: 1,
            extra,
            previous: None,
            next: None,
            related: Vec::new(),
        }
    }

    fn input<'a>(page: &'a ArticleView<'a>, profile: Option<&'a Profile>) -> NewsArticle<'a> {
        NewsArticle {
            page,
            authors: vec![Person {
                name: "Jane Doe",
                url: "https://news.example/authors/jane-doe/".into(),
                profile,
            }],
            publisher: "News",
            publisher_url: "https://news.example/".into(),
            publisher_logo: None,
            share_image: None,
            language: "en",
        }
    }

    /// Each field is in the fingerprint: structured data differing in any
    /// one of them is written differently and fingerprinted differently.
    #[test]
    fn every_field_changes_the_fingerprint() {
        let extra = crate::content::yaml::Value::Null;
        let view = page(&extra);
        let retitled = ArticleView {
            title: "Talks close",
            ..page(&extra)
        };
        let bio = Profile {
            bio: Some("Covers diplomacy.".into()),
            ..Profile::default()
        };
        let linked = Profile {
            links: vec![ProfileLink {
                name: "Site".into(),
                url: "https://jane.example/".into(),
            }],
            ..Profile::default()
        };
        let reference = input(&view, None);
        let write = |n: &NewsArticle<'_>| news_article(n).into_bytes();
        let mut renamed = input(&view, None);
        renamed.authors[0].name = "Jane Roe";
        let mut moved = input(&view, None);
        moved.authors[0].url = "https://news.example/authors/roe/".into();
        let variants = [
            ("page", input(&retitled, None)),
            ("bio", input(&view, Some(&bio))),
            ("links", input(&view, Some(&linked))),
            ("author name", renamed),
            ("author url", moved),
            (
                "no authors",
                NewsArticle {
                    authors: Vec::new(),
                    ..input(&view, None)
                },
            ),
            (
                "publisher",
                NewsArticle {
                    publisher: "Times",
                    ..input(&view, None)
                },
            ),
            (
                "publisher url",
                NewsArticle {
                    publisher_url: "https://times.example/".into(),
                    publisher_logo: None,
                    share_image: None,
                    ..input(&view, None)
                },
            ),
            (
                "language",
                NewsArticle {
                    language: "fr",
                    ..input(&view, None)
                },
            ),
        ];
        for (what, variant) in &variants {
            differs(what, &reference, variant, write);
        }
    }
}
