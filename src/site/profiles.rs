//! Optional author profiles from `data/authors.yaml`: bio, photo and links,
//! shown on author pages and used in structured data.
//!
//! ```yaml
//! Jane Doe:
//!   bio: "Covers the harbour and the council."
//!   photo: /images/jane.jpg        # from static/, or an http(s) URL
//!   links:
//!     - { name: Mastodon, url: "https://social.example/@jane" }
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::taxonomy::Taxonomy;
use crate::content::yaml;
use crate::diagnostics::{Diagnostic, Diagnostics};

pub const PROFILES_FILE: &str = "data/authors.yaml";

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// A short biography, plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    /// Portrait: a path from `static/` (`/images/a.jpg`) or an http(s) URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
    /// Elsewhere on the web; also `sameAs` in structured data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<ProfileLink>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileLink {
    pub name: String,
    pub url: String,
}

/// The profile of each author term (same ids), where one is written.
pub fn load(root: &Path, authors: &Taxonomy, diags: &mut Diagnostics) -> Vec<Option<Profile>> {
    let mut profiles = vec![None; authors.terms.len()];
    let file = root.join(PROFILES_FILE);
    if let Some(target) = crate::walk::leads_out(&crate::walk::real_root(root), &file) {
        diags.push(crate::walk::link_out_error(PROFILES_FILE, &target));
        return profiles;
    }
    let Ok(text) = std::fs::read_to_string(file) else {
        return profiles;
    };
    let raw: BTreeMap<String, Profile> = match yaml::from_str(&text) {
        Ok(raw) => raw,
        Err(e) => {
            let d = Diagnostic::error(PROFILES_FILE, e.message);
            diags.push(match e.line {
                Some(line) => d.at(line, e.col),
                None => d,
            });
            return profiles;
        }
    };
    for (name, profile) in raw {
        match authors.id_of(&name) {
            Some(id) => profiles[id] = Some(profile),
            None => {
                let line = text
                    .lines()
                    .position(|l| l.trim_end().trim_end_matches(':').trim_matches('"') == name);
                let d = Diagnostic::warning(
                    PROFILES_FILE,
                    format!("profile of `{name}`, who has no published article"),
                );
                diags.push(match line {
                    Some(i) => d.at(i + 1, Some(1)),
                    None => d,
                });
            }
        }
    }
    profiles
}
