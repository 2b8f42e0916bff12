//! Words as the search index keeps them. The browser applies the same two
//! rules to a query, so that both sides agree:
//!
//! - **fold**: lowercase, decompose (NFD), drop combining marks
//!   (`Zürich` -> `zurich`, `Ærø` keeps its letters: `ærø`);
//! - **words**: Unicode word boundaries (UAX #29, as `Intl.Segmenter`
//!   splits), keeping segments that have a letter or a digit.
//!
//! Stems (Snowball, for the languages that have one) are made here only:
//! the index maps each folded word to its stem, so the browser needs no
//! stemmer.

use pagefind_stem::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// Words longer than this are not indexed (hashes, long URLs).
pub const MAX_WORD: usize = 40;

/// `text` lowercased, decomposed, without combining marks.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The folded words of `text`, in order.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.unicode_words()
        .map(fold)
        .filter(|w| !w.is_empty() && w.chars().count() <= MAX_WORD)
}

/// The stemmer of a site language (its primary subtag), if Snowball has one.
pub fn stemmer(language: &str) -> Option<Stemmer> {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    let algorithm = match primary.to_ascii_lowercase().as_str() {
        "en" => Algorithm::English,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "es" => Algorithm::Spanish,
        "it" => Algorithm::Italian,
        "pt" => Algorithm::Portuguese,
        "nl" => Algorithm::Dutch,
        "sv" => Algorithm::Swedish,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "da" => Algorithm::Danish,
        "fi" => Algorithm::Finnish,
        "ru" => Algorithm::Russian,
        "tr" => Algorithm::Turkish,
        "ro" => Algorithm::Romanian,
        "hu" => Algorithm::Hungarian,
        "el" => Algorithm::Greek,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// The text of an HTML fragment (a rendered body): tags dropped, the
/// entities the Markdown renderer writes decoded, blocks kept apart.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        let at = &rest[i..];
        if at.starts_with('<') {
            let end = at.find('>').map_or(at.len(), |e| e + 1);
            out.push(' ');
            rest = &at[end..];
        } else {
            let end = at.find(';').filter(|e| *e <= 8);
            let decoded = end.and_then(|e| entity(&at[1..e]));
            match (end, decoded) {
                (Some(e), Some(c)) => {
                    out.push(c);
                    rest = &at[e + 1..];
                }
                _ => {
                    out.push('&');
                    rest = &at[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_words() {
        assert_eq!(fold("Zürich CAFÉ"), "zurich café".replace('é', "e"));
        let w: Vec<String> = words("Port Allard's mayor, Mireille — 2024!").collect();
        assert_eq!(w, ["port", "allard's", "mayor", "mireille", "2024"]);
        let long = "x".repeat(MAX_WORD + 1);
        assert_eq!(words(&long).count(), 0);
    }

    #[test]
    fn stems_of_the_site_language() {
        let en = stemmer("en-GB").unwrap();
        assert_eq!(en.stem("ferries"), "ferri");
        assert_eq!(en.stem("ferry"), "ferri");
        assert_eq!(en.stem("running"), "run");
        assert!(stemmer("ja").is_none());
    }

    #[test]
    fn text_of_html() {
        assert_eq!(
            html_text("<p>Caf&eacute; &amp; <em>bar</em>&#8217;s</p><p>Next</p>"),
            " Caf&eacute; &  bar ’s  Next "
        );
    }
}
