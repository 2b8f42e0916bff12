//! HTML as imported archives hold it: a WordPress post body converted to
//! Markdown (`gazette::import::text::wordpress_body`: Gutenberg comments,
//! automatic paragraphs, `[caption]`, `[embed]`, other shortcodes kept),
//! and the HTML helpers every reader uses: `html_to_markdown` (htmd with
//! gazette's handlers for figures, players, `<sup>`), `html_text` (titles
//! and captions) and `autop`.
//!
//! Beyond not panicking: plain text is trimmed with white space
//! collapsed (and the text itself when there is no markup), Markdown ends
//! with one newline, and no placeholder of a kept shortcode is left in a
//! converted body.

#![no_main]

use gazette::import::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else {
        return;
    };
    let plain = text::html_text(html);
    assert_eq!(
        plain,
        plain.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    if !html.contains(['<', '&']) {
        assert_eq!(plain, html.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    let markdown = text::html_to_markdown(html);
    assert!(markdown.ends_with('\n'));
    let _ = text::autop(html);
    let body = text::wordpress_body(html);
    if !html.contains("GAZETTEKEPT") {
        assert!(!body.contains("GAZETTEKEPT"), "a placeholder left: {body}");
    }
});
