//! Slugs follow the site language: a Japanese site keeps kanji and kana in
//! its URLs (percent-encoded in links and feeds, as the characters in file
//! names), where transliteration would give Mandarin readings.

use crate::harness::{assert_contains, build};

#[test]
fn japanese_site_keeps_its_characters_in_urls() {
    let built = build("japanese");
    built.assert_ok();
    for file in [
        "2024/01/02/東京の天気-明日は晴れ/index.html",
        "2024/01/03/iphone-16-発売-カメラ-強化/index.html",
        "tags/東京/index.html",
        "sections/国内/index.html",
        "authors/山田-太郎/index.html",
    ] {
        assert!(
            built.exists(file),
            "{file} missing; files:\n{}",
            built.files().join("\n")
        );
    }
    let article = built.read("2024/01/02/東京の天気-明日は晴れ/index.html");
    assert_contains(&article, r#"<h2 id="週末の予報">"#);
    // Links are percent-encoded; a link to the other article's file too.
    let camera =
        "/2024/01/03/iphone-16-%E7%99%BA%E5%A3%B2-%E3%82%AB%E3%83%A1%E3%83%A9-%E5%BC%B7%E5%8C%96/";
    assert_contains(&article, &format!("href=\"{camera}\""));
    assert_contains(&article, "href=\"/tags/%E6%9D%B1%E4%BA%AC/\"");
    let sitemap = built.read("sitemap.xml");
    assert_contains(
        &sitemap,
        "<loc>https://news.example.jp/tags/%E6%9D%B1%E4%BA%AC/</loc>",
    );
    assert!(!sitemap.contains("東京"), "{sitemap}");
    crate::syndication::xmllint("sitemap.xsd", &built.out.join("sitemap.xml"));
}
