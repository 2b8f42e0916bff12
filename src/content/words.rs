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

/// Calls `f` with each folded word of `text`, in order. Word boundaries
/// always fall at whitespace, so the text is taken a run between spaces at
/// a time; runs of ASCII (most of them) go by [`ascii_words`], the same
/// rules without the Unicode tables.
pub fn each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut folded = String::new();
    for run in text.as_bytes().split(u8::is_ascii_whitespace) {
        if run.is_ascii() {
            ascii_words(run, |word| {
                if word.len() > MAX_WORD {
                    return;
                }
                // Most words are lowercase already: given as they are.
                if !word.bytes().any(|b| b.is_ascii_uppercase()) {
                    return f(word);
                }
                folded.clear();
                folded.push_str(word);
                folded.make_ascii_lowercase();
                f(&folded);
            });
            continue;
        }
        // Cut at ASCII bytes only, so still UTF-8.
        let Ok(run) = std::str::from_utf8(run) else {
            continue;
        };
        for word in run.unicode_words() {
            folded.clear();
            folded.extend(
                word.nfd()
                    .filter(|c| !is_combining_mark(*c))
                    .flat_map(char::to_lowercase),
            );
            if !folded.is_empty() && folded.chars().count() <= MAX_WORD {
                f(&folded);
            }
        }
    }
}

/// What UAX #29 makes of an ASCII character.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    /// `_` (ExtendNumLet).
    Joiner,
    /// `:` (MidLetter): inside a word between letters.
    MidLetter,
    /// `,` `;` (MidNum): between digits.
    MidNum,
    /// `.` `'` (MidNumLet, Single_Quote): between letters or digits.
    Mid,
    Other,
}

fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Digit,
        b'_' => Class::Joiner,
        b':' => Class::MidLetter,
        b',' | b';' => Class::MidNum,
        b'.' | b'\'' => Class::Mid,
        _ => Class::Other,
    }
}

/// The words (segments with a letter or digit) of ASCII text without
/// whitespace, by the rules of UAX #29 that ASCII can meet: letters,
/// digits and `_` hold together (WB5, WB8-10, WB13a-b); `:` `.` `'`
/// between two letters (WB6-7) and `,` `;` `.` `'` between two digits
/// (WB11-12) stay inside a word; anything else breaks.
fn ascii_words<'a>(run: &'a [u8], mut f: impl FnMut(&'a str)) {
    use Class::*;
    let word_char = |c: Class| matches!(c, Letter | Digit | Joiner);
    let mut i = 0;
    while i < run.len() {
        if !word_char(class(run[i])) {
            i += 1;
            continue;
        }
        let start = i;
        let mut alnum = class(run[i]) != Joiner;
        loop {
            let here = class(run[i]);
            let next = run.get(i + 1).map_or(Other, |&b| class(b));
            if word_char(next) {
                alnum |= next != Joiner;
                i += 1;
                continue;
            }
            let after = run.get(i + 2).map_or(Other, |&b| class(b));
            let bridged = matches!(
                (here, next, after),
                (Letter, MidLetter | Mid, Letter) | (Digit, MidNum | Mid, Digit)
            );
            if bridged {
                i += 2;
                continue;
            }
            break;
        }
        i += 1;
        if alnum {
            // Only ASCII bytes: always a str.
            f(std::str::from_utf8(&run[start..i]).unwrap_or_default());
        }
    }
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
    while let Some(i) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
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

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        each_word(text, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn folding_and_words() {
        assert_eq!(words("Zürich CAFÉ ÆRØ"), ["zurich", "cafe", "ærø"]);
        let w = words("Port Allard's mayor, Mireille — 2024!");
        assert_eq!(w, ["port", "allard's", "mayor", "mireille", "2024"]);
        let long = "x".repeat(MAX_WORD + 1);
        assert!(words(&long).is_empty());
        assert_eq!(words(&format!("é{}", "x".repeat(MAX_WORD - 1))).len(), 1);
        let mixed = words("The\tHARBOUR\nferry\r\x0cMayor's  x");
        assert_eq!(mixed, ["the", "harbour", "ferry", "mayor's", "x"]);
    }

    proptest::proptest! {
        /// The ASCII path finds the words Unicode's segmenter finds.
        #[test]
        fn ascii_words_are_unicode_words(text in "[aZ09_:.',; !\\-]{0,24}") {
            let mut fast = Vec::new();
            ascii_words(text.as_bytes(), |w| fast.push(w.to_string()));
            let unicode: Vec<String> = text.unicode_words().map(str::to_string).collect();
            proptest::prop_assert_eq!(fast, unicode);
        }
    }

    #[test]
    fn ascii_words_at_their_edges() {
        let text = "e.g. 3,5.1 it's a:b _x_ __ 1:2 a'1 9.a x:";
        let mut got = Vec::new();
        ascii_words(text.as_bytes(), |w| got.push(w));
        assert_eq!(got.join(" "), "e.g 3,5.1 it's a:b _x_ 1 2 a 1 9 a x");
        assert_eq!(got, text.unicode_words().collect::<Vec<_>>());
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
