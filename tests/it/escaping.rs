//! Hostile front matter and config are escaped wherever they land: text,
//! attributes, and JSON-LD (where `</script>` must not break out).

use crate::harness::{build, json_ld};

#[test]
fn hostile_values_never_become_markup() {
    let built = build("hostile");
    built.assert_ok();
    let page = built.read("2024/01/01/script-script-alert-t-script-quoted-b/index.html");
    assert_eq!(
        page.matches("<script").count(),
        1,
        "only the JSON-LD script element"
    );
    // Inside the JSON-LD, values are JSON strings (checked below); the rest
    // of the page must hold no markup from front matter.
    let start = page.find("<script type=\"application/ld+json\">").unwrap();
    let end = start + page[start..].find("</script>").unwrap();
    let html = format!("{}{}", &page[..start], &page[end..]);
    for forbidden in [
        "<script>alert",
        "<img src=x",
        "<b>bold",
        "<i>World",
        "<b>\"",
        "\" onerror=",
        "\" onmouseover=",
        "</figcaption><script",
        "</title><script",
        "\"><img",
    ] {
        assert!(!html.contains(forbidden), "unescaped {forbidden:?}");
    }
    assert!(html.contains("&lt;script&gt;alert(&#39;caption&#39;)&lt;/script&gt;"));
    assert!(html.contains("O&#39;Brien &amp; &quot;Sons&quot;"));
}

#[test]
fn json_ld_keeps_hostile_values_intact() {
    let built = build("hostile");
    let html = built.read("2024/01/01/script-script-alert-t-script-quoted-b/index.html");
    let data = json_ld(&html);
    assert_eq!(
        data["headline"],
        "</script><script>alert('t')</script> & \"quoted\" <b>"
    );
    assert_eq!(data["author"][0]["name"], "<img src=x onerror=alert('a')>");
    assert_eq!(data["author"][1]["name"], "O'Brien & \"Sons\"");
    assert_eq!(
        data["publisher"]["name"],
        "Site </title><script>alert(1)</script>"
    );
    assert_eq!(
        data["description"],
        "</script><!-- <script> \" onmouseover=alert(1) x=\""
    );
}
