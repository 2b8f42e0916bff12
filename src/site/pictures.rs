//! What the site asks of the renditions cache: every local image of every
//! article (its body's and its lead), with where each rendition goes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::Site;
use crate::content::markdown::Links;
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
        let per_article: Vec<Vec<Placed>> = self
            .articles
            .par_iter()
            .map(|a| {
                let placed =
                    |source: &PathBuf, probe, focus, renditions: Vec<Rendition>, folder| Placed {
                        paths: renditions
                            .iter()
                            .map(|r| url::asset_path(folder, &r.name))
                            .collect(),
                        wanted: Wanted {
                            source: source.clone(),
                            probe,
                            focus,
                            renditions,
                        },
                        origin: a.source.clone(),
                    };
                let mut out = Vec::new();
                // The lead image (local or static), with its crops.
                if let (Some(file), Some(probe)) = (&a.image_file, a.image_probe)
                    && !a.image_renditions.is_empty()
                {
                    let focus = a.meta.image.as_ref().and_then(|i| i.focus);
                    let renditions = a.image_renditions.clone();
                    out.push(placed(
                        file,
                        probe,
                        focus.unwrap_or_default(),
                        renditions,
                        &a.image_folder,
                    ));
                }
                // The body's images; the header of each was read already
                // (`Links::image`, remembered for the build).
                for (source, name) in &a.assets {
                    if a.image_file.as_ref() == Some(source) {
                        continue;
                    }
                    let Some(probe) = self.links.image(source) else {
                        continue;
                    };
                    let renditions = images::renditions(&probe, name, settings, false);
                    if !renditions.is_empty() {
                        out.push(placed(source, probe, Focus::default(), renditions, &a.path));
                    }
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
