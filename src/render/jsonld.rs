//! schema.org `NewsArticle` structured data, written as JSON in code and
//! made safe to place inside `<script type="application/ld+json">`.

use serde_json::{Value, json};

use super::views::ArticleView;
use crate::site::Site;
use crate::site::profiles::Profile;

/// What [`news_article`] reads besides the page's view and the config's
/// title, base URL and language (all in a page's fingerprint already): the
/// profiles of the article's authors. Keep the two in step.
pub fn inputs(site: &Site, id: usize) -> Vec<Option<&Profile>> {
    site.articles[id]
        .authors
        .iter()
        .map(|&author| site.profiles.get(author).and_then(Option::as_ref))
        .collect()
}

pub fn news_article(site: &Site, id: usize, page: &ArticleView<'_>) -> String {
    let base = &site.config.base_url;
    let authors: Vec<Value> = page
        .authors
        .iter()
        .zip(&site.articles[id].authors)
        .map(|(a, &author)| {
            let url = format!("{}{}", origin(&base.root()), a.url);
            let mut person = json!({"@type": "Person", "name": a.name, "url": url});
            if let Some(profile) = site.profiles.get(author).and_then(Option::as_ref) {
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
        "publisher": {"@type": "Organization", "name": site.config.title, "url": base.root()},
        "inLanguage": site.config.language,
        "wordCount": page.word_count,
    });
    if let Some(image) = &page.image {
        data["image"] = json!([image.absolute]);
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

/// Scheme and host of an absolute URL (`https://a.example/news/` -> `https://a.example`).
fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    url[after_scheme..]
        .find('/')
        .map_or(url, |i| &url[..after_scheme + i])
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
    #[test]
    fn script_safe_cannot_close_the_element() {
        let s = super::script_safe(r#"{"h":"</script><script>alert(1)</script>&"}"#);
        assert!(!s.contains("</"));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["h"], "</script><script>alert(1)</script>&");
    }

    #[test]
    fn origin_strips_path() {
        assert_eq!(
            super::origin("https://a.example/news/"),
            "https://a.example"
        );
    }
}
