//! What the site asks of the renditions cache: every local image of every
//! article (its body's and its lead), with where each rendition goes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::{ImageUrl, Site};
use crate::images::{self, Focus, Rendition, Wanted};
use crate::url;

/// A source image's renditions and the output site path of each (not
/// percent-encoded), with the article that uses it, for messages.
#[derive(Debug, Clone)]
pub struct Placed {
    pub wanted: Wanted,
    pub paths: Vec<String>,
    pub origin: PathBuf,
}

impl Site {
    /// The renditions every article's images need, one entry for each
    /// source image and folder (a static lead image shared by many
    /// articles is one), in a stable order.
    pub fn pictures(&self) -> Vec<Placed> {
        let settings = &self.config.images;
        if !settings.renditions {
            return Vec::new();
        }
        let root = &self.config.root;
        let per_article: Vec<Vec<Placed>> = self
            .articles
            .par_iter()
            .map(|a| {
                let focus = a
                    .meta
                    .image
                    .as_ref()
                    .and_then(|i| i.focus)
                    .unwrap_or_default();
                let lead = |renditions: &[(Rendition, String)], folder: &str| Placed {
                    wanted: Wanted {
                        source: a.image_file.clone().unwrap_or_default(),
                        probe: a.image_probe.unwrap_or(images::Probe {
                            width: 0,
                            height: 0,
                            format: None,
                            orientation: 1,
                        }),
                        focus,
                        renditions: renditions.iter().map(|(r, _)| r.clone()).collect(),
                    },
                    paths: renditions
                        .iter()
                        .map(|(r, _)| url::asset_path(folder, &r.name))
                        .collect(),
                    origin: a.source.clone(),
                };
                let mut out = Vec::new();
                for (source, name) in &a.assets {
                    if a.image_file.as_ref() == Some(source) {
                        if !a.image_renditions.is_empty() {
                            out.push(lead(&a.image_renditions, &a.path));
                        }
                        continue;
                    }
                    let Some(probe) = images::probe(&root.join(source)) else {
                        continue;
                    };
                    let renditions = images::renditions(&probe, name, settings, false);
                    if renditions.is_empty() {
                        continue;
                    }
                    out.push(Placed {
                        paths: renditions
                            .iter()
                            .map(|r| url::asset_path(&a.path, &r.name))
                            .collect(),
                        wanted: Wanted {
                            source: source.clone(),
                            probe,
                            focus: Focus::default(),
                            renditions,
                        },
                        origin: a.source.clone(),
                    });
                }
                if let (Some(ImageUrl::Site(site_path)), false) = (
                    &a.image_url,
                    a.assets
                        .iter()
                        .any(|(s, _)| Some(s) == a.image_file.as_ref()),
                ) && !a.image_renditions.is_empty()
                {
                    let folder = &site_path[..site_path.rfind('/').map_or(0, |i| i + 1)];
                    out.push(lead(&a.image_renditions, folder));
                }
                out
            })
            .collect();
        let mut unique: BTreeMap<(PathBuf, Focus, Vec<String>), Placed> = BTreeMap::new();
        for placed in per_article.into_iter().flatten() {
            let key = (
                placed.wanted.source.clone(),
                placed.wanted.focus,
                placed.paths.clone(),
            );
            unique.entry(key).or_insert(placed);
        }
        unique.into_values().collect()
    }
}
