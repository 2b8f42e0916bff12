//! Site paths to output files, aliases as written to site paths, and the
//! percent-encoding of file names in links.

use std::path::PathBuf;

/// The file a site path is written to, relative to the output folder:
/// `/a/b/` -> `a/b/index.html`, `/a/b.html` -> `a/b.html`, `/a/b` ->
/// `a/b/index.html`. `None` if the path could leave the output folder or is
/// not a plain path (`..`, `.`, backslashes, NUL, a query, a fragment).
pub fn output_file(site_path: &str) -> Option<PathBuf> {
    // Made as one string: a build makes one for every page.
    let mut file = String::with_capacity(site_path.len() + "/index.html".len());
    let mut last = "";
    for segment in site_path.split('/').filter(|s| !s.is_empty()) {
        if !is_safe(segment) {
            return None;
        }
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str(segment);
        last = segment;
    }
    if site_path.ends_with('/') || !last.contains('.') {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some(PathBuf::from(file))
}

/// Normalizes an alias as written (`old/path.html`, `/old/path/`) into a
/// site path, or explains why it cannot be one.
pub fn normalize_alias(alias: &str) -> Result<String, String> {
    let trimmed = alias.trim();
    if trimmed.contains("://") || trimmed.starts_with("//") {
        return Err(format!(
            "alias `{alias}` must be a path on this site, not a URL"
        ));
    }
    let segments = safe_segments(trimmed)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("alias `{alias}` is not a plain path inside the site"))?;
    let mut path = format!("/{}", segments.join("/"));
    if trimmed.ends_with('/') || !segments.last().is_some_and(|s| s.contains('.')) {
        path.push('/');
    }
    Ok(path)
}

/// The `/`-separated segments of a site path, or `None` if any of them is
/// unsafe to use as a file name.
fn safe_segments(site_path: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    for segment in site_path.split('/').filter(|s| !s.is_empty()) {
        if !is_safe(segment) {
            return None;
        }
        out.push(segment);
    }
    Some(out)
}

/// Whether a segment of a site path names a plain file or folder.
fn is_safe(segment: &str) -> bool {
    // One pass over the bytes: a build checks every segment of every page.
    let plain = |b: &u8| !b.is_ascii_control() && !matches!(b, b'\\' | b'?' | b'#' | b':');
    segment != "."
        && segment != ".."
        && segment.as_bytes().iter().all(plain)
        && (segment.is_ascii() || !segment.chars().any(char::is_control))
}

/// A file name made safe for a URL path segment.
pub fn percent_encode_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (invalid UTF-8 becomes U+FFFD); other bytes are kept.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_files_stay_inside() {
        assert_eq!(output_file("/a/b/"), Some(PathBuf::from("a/b/index.html")));
        assert_eq!(output_file("/a/b.html"), Some(PathBuf::from("a/b.html")));
        assert_eq!(output_file("/"), Some(PathBuf::from("index.html")));
        assert_eq!(output_file("/a/b"), Some(PathBuf::from("a/b/index.html")));
        assert_eq!(output_file("//a//b.x"), Some(PathBuf::from("a/b.x")));
        assert_eq!(
            output_file("/a/b.x/"),
            Some(PathBuf::from("a/b.x/index.html"))
        );
        assert_eq!(output_file("/a/\u{7}/"), None);
        assert_eq!(output_file("/a/../../etc/"), None);
        assert_eq!(output_file("/a\\..\\b/"), None);
    }

    proptest::proptest! {
        #[test]
        fn a_segment_is_safe_without_dot_parts_separators_or_controls(
            segment in "[\\x00-\\x{a0}./\\\\?#:aé]{0,6}"
        ) {
            let plain = segment != "."
                && segment != ".."
                && !segment.contains(['\\', '\0', '?', '#', ':'])
                && !segment.chars().any(char::is_control);
            proptest::prop_assert_eq!(is_safe(&segment), plain);
        }
    }

    #[test]
    fn aliases_normalize_or_fail() {
        assert_eq!(
            normalize_alias("old/cms/1.html").unwrap(),
            "/old/cms/1.html"
        );
        assert_eq!(normalize_alias("/stories/x").unwrap(), "/stories/x/");
        assert!(normalize_alias("/../../etc/passwd").is_err());
        assert!(normalize_alias("https://evil.example/").is_err());
        assert!(normalize_alias("/").is_err());
    }
}
