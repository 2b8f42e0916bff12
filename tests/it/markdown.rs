//! Markdown features and the raw_html switch.

use crate::harness::build;

fn body(html: &str) -> &str {
    let start = html
        .find(r#"<div class="story-body">"#)
        .expect("body present");
    let end = start + html[start..].find("\n  </div>").expect("body closed");
    &html[start..end]
}

#[test]
fn every_markdown_feature() {
    let built = build("markdown");
    built.assert_ok();
    let html = built.read("2024/01/01/every-markdown-feature/index.html");
    insta::assert_snapshot!("markdown_features", body(&html));
}

#[test]
fn raw_html_off_escapes_html_in_bodies() {
    let built = build("markdown_no_raw_html");
    built.assert_ok();
    let html = built.read("2024/01/01/no-raw-html/index.html");
    let body = body(&html);
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{body}"
    );
    assert!(body.contains("&lt;div&gt;block&lt;/div&gt;"), "{body}");
    assert!(!body.contains("<script") && !body.contains("<b>"));
}
