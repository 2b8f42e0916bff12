//! Slugs: lowercase words joined by `-`, transliterated to ASCII from any
//! script, except where the site language has no one reading of it:
//! Japanese slugs keep their kanji and kana (percent-encoded in links),
//! since the Mandarin readings a transliterator gives kanji are not
//! Japanese (`東京` would be `dong-jing`).

/// How a site makes slugs, from its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Slugs {
    /// Every script transliterated to ASCII (`Zürich` -> `zurich`,
    /// `Москва` -> `moskva`, Chinese as pinyin, Korean romanized).
    #[default]
    Ascii,
    /// Kanji, hiragana and katakana kept as they are; the rest as `Ascii`.
    KeepJapanese,
}

impl Slugs {
    /// The slugs of a site in `language` (a BCP 47 tag: `ja`, `ja-JP`...).
    pub fn for_language(language: &str) -> Slugs {
        let primary = language.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("ja") {
            Slugs::KeepJapanese
        } else {
            Slugs::Ascii
        }
    }

    /// "Zürich Café: the reopening" -> `zurich-cafe-the-reopening`. May be
    /// empty when the input has no letters or digits at all.
    pub fn slug(self, text: &str) -> String {
        // Rarely longer than the text: one allocation, the right size for
        // the slugs an archive keeps.
        let mut slug = Slug {
            text: String::with_capacity(text.len()),
            pending_dash: false,
        };
        if self == Slugs::Ascii {
            slug.ascii(text);
            return slug.text;
        }
        let mut run = String::new();
        for c in text.chars() {
            if is_japanese(c) {
                slug.ascii(&run);
                run.clear();
                slug.letter(c);
            } else {
                run.push(c);
            }
        }
        slug.ascii(&run);
        slug.text
    }
}

/// A slug being written.
#[derive(Default)]
struct Slug {
    text: String,
    pending_dash: bool,
}

impl Slug {
    fn letter(&mut self, c: char) {
        if self.pending_dash && !self.text.is_empty() {
            self.text.push('-');
        }
        self.pending_dash = false;
        self.text.push(c);
    }

    /// `text` transliterated: letters and digits kept, lowercased.
    fn ascii(&mut self, text: &str) {
        for c in deunicode::deunicode(text).chars() {
            if c.is_ascii_alphanumeric() {
                self.letter(c.to_ascii_lowercase());
            } else if c != '\'' {
                // Apostrophes join words ("Today's" -> "todays"); all else splits.
                self.pending_dash = true;
            }
        }
    }
}

/// Kanji, hiragana, katakana (and its long vowel mark), half-width katakana.
fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3041}'..='\u{309F}'
        | '\u{30A0}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF66}'..='\u{FF9F}')
        && !matches!(c, '\u{30A0}' | '\u{30FB}')
}

/// [`Slugs::Ascii`] slugs: "Zürich Café" -> `zurich-cafe`.
pub fn slugify(text: &str) -> String {
    Slugs::Ascii.slug(text)
}

/// A slug written in front matter: path separators and `..` are refused
/// outright (they would be path tricks, not typos); the rest is cleaned.
pub fn clean_front_matter_slug(slug: &str, slugs: Slugs) -> Result<String, String> {
    if slug.contains('/') || slug.contains('\\') || slug.contains("..") {
        return Err(format!("slug `{slug}` may not contain `/`, `\\` or `..`"));
    }
    let clean = slugs.slug(slug);
    if clean.is_empty() {
        return Err(format!(
            "slug `{slug}` is empty once cleaned; use letters or digits"
        ));
    }
    Ok(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_and_joins() {
        assert_eq!(slugify("Zürich Café"), "zurich-cafe");
        assert_eq!(
            slugify("  US Handed Written Response -- to Russia's  Demands! "),
            "us-handed-written-response-to-russias-demands"
        );
        assert_eq!(slugify("Москва 2022"), "moskva-2022");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn japanese_sites_keep_kanji_and_kana() {
        let ja = Slugs::for_language("ja-JP");
        assert_eq!(ja, Slugs::KeepJapanese);
        assert_eq!(ja.slug("東京の天気、明日は晴れ"), "東京の天気-明日は晴れ");
        assert_eq!(
            ja.slug("iPhone 16 発売「カメラ」強化"),
            "iphone-16-発売-カメラ-強化"
        );
        assert_eq!(ja.slug("Zürich"), "zurich");
        assert_eq!(slugify("東京"), "dong-jing");
        assert_eq!(Slugs::for_language("zh"), Slugs::Ascii);
    }

    #[test]
    fn front_matter_slug_rules() {
        assert_eq!(
            clean_front_matter_slug("My Slug", Slugs::Ascii).unwrap(),
            "my-slug"
        );
        assert!(clean_front_matter_slug("../etc", Slugs::Ascii).is_err());
        assert!(clean_front_matter_slug("a/b", Slugs::Ascii).is_err());
        assert!(clean_front_matter_slug("a\\b", Slugs::Ascii).is_err());
        assert!(clean_front_matter_slug("---", Slugs::Ascii).is_err());
    }
}
