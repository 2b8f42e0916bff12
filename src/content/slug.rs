//! Slugs: lowercase ASCII words joined by `-`, transliterated from any script.

/// "Zürich Café: the reopening" -> `zurich-cafe-the-reopening`. May be empty
/// when the input has no letters or digits at all.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            // Apostrophes join words ("Today's" -> "todays"); all else splits.
            pending_dash = true;
        }
    }
    slug
}

/// A slug written in front matter: path separators and `..` are refused
/// outright (they would be path tricks, not typos); the rest is cleaned.
pub fn clean_front_matter_slug(slug: &str) -> Result<String, String> {
    if slug.contains('/') || slug.contains('\\') || slug.contains("..") {
        return Err(format!("slug `{slug}` may not contain `/`, `\\` or `..`"));
    }
    let clean = slugify(slug);
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
    fn front_matter_slug_rules() {
        assert_eq!(clean_front_matter_slug("My Slug").unwrap(), "my-slug");
        assert!(clean_front_matter_slug("../etc").is_err());
        assert!(clean_front_matter_slug("a/b").is_err());
        assert!(clean_front_matter_slug("a\\b").is_err());
        assert!(clean_front_matter_slug("---").is_err());
    }
}
