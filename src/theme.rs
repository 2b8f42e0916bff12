//! Which files make up the theme: the built-in `broadsheet` (compiled into
//! the binary) at the bottom, the site's `themes/NAME/` over it, then the
//! site's `templates/` (as overrides) and `static/`.
//!
//! Reads files; knows nothing of Tera.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Failed, relative};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_theme.rs"));
}

pub const BUILTIN_THEME: &str = "broadsheet";

/// Bytes of a file, from the binary or from disk.
#[derive(Debug, Clone)]
pub enum FileSource {
    Builtin(&'static [u8]),
    Disk(PathBuf),
}

/// One template: its name (`article.html`), text, and where it came from
/// (for messages).
#[derive(Debug, Clone)]
pub struct TemplateFile {
    pub name: String,
    pub text: String,
    pub origin: PathBuf,
}

#[derive(Debug, Default)]
pub struct Theme {
    /// The theme's own templates.
    pub templates: Vec<TemplateFile>,
    /// The site's `templates/` overrides.
    pub overrides: Vec<TemplateFile>,
    /// Static files by site path (`/theme.css`), site `static/` over theme.
    pub statics: BTreeMap<String, (FileSource, PathBuf)>,
    /// Pixel sizes of static images, read once per build.
    image_sizes: Mutex<HashMap<String, Option<(u32, u32)>>>,
}

impl Theme {
    /// Resolves the configured theme and the site's layers over it.
    pub fn load(config: &Config, diags: &mut Diagnostics) -> Result<Theme, Failed> {
        let errors_before = diags.error_count();
        let mut theme = Theme::default();
        // The built-in theme is the bottom layer: a site theme only needs
        // the files it changes.
        for (path, bytes) in builtin::FILES {
            let origin = PathBuf::from(format!("(built-in {BUILTIN_THEME})/{path}"));
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(bytes).into_owned();
                theme.add_template(TemplateFile {
                    name: name.to_string(),
                    text,
                    origin,
                });
            } else if let Some(site_path) = path.strip_prefix("static/") {
                theme.statics.insert(
                    crate::url::static_file(site_path),
                    (FileSource::Builtin(bytes), origin),
                );
            }
        }
        let dir = config.themes_dir().join(&config.theme);
        if dir.is_dir() {
            for t in read_templates(&config.root, &dir.join("templates"), diags) {
                theme.add_template(t);
            }
            add_statics(&config.root, &dir.join("static"), &mut theme.statics, diags);
        } else if config.theme != BUILTIN_THEME {
            diags.push(Diagnostic::error(
                crate::config::CONFIG_FILE,
                format!(
                    "theme `{}` not found: no folder themes/{}/ (the built-in theme is `{BUILTIN_THEME}`)",
                    config.theme, config.theme
                ),
            ));
            return Err(Failed);
        }
        theme.overrides = read_templates(&config.root, &config.templates_dir(), diags);
        add_statics(
            &config.root,
            &config.static_dir(),
            &mut theme.statics,
            diags,
        );
        if diags.error_count() > errors_before {
            Err(Failed)
        } else {
            Ok(theme)
        }
    }

    /// Adds a theme template, replacing one of the same name from a lower layer.
    fn add_template(&mut self, template: TemplateFile) {
        match self.templates.iter_mut().find(|t| t.name == template.name) {
            Some(existing) => *existing = template,
            None => self.templates.push(template),
        }
    }

    /// Pixel size of a static image, read from its header.
    pub fn static_image_size(&self, site_path: &str) -> Option<(u32, u32)> {
        // Many articles share a few static images: read each header once.
        let mut sizes = self.image_sizes.lock().unwrap_or_else(|e| e.into_inner());
        *sizes
            .entry(site_path.to_string())
            .or_insert_with(|| self.read_image_size(site_path))
    }

    fn read_image_size(&self, site_path: &str) -> Option<(u32, u32)> {
        let size = match self.statics.get(site_path)? {
            (FileSource::Builtin(bytes), _) => imagesize::blob_size(bytes).ok()?,
            (FileSource::Disk(path), _) => imagesize::size(path).ok()?,
        };
        Some((
            u32::try_from(size.width).ok()?,
            u32::try_from(size.height).ok()?,
        ))
    }

    /// The file on disk of a static file (`None` for the built-in theme's).
    pub fn static_file(&self, site_path: &str) -> Option<&Path> {
        match self.statics.get(site_path)? {
            (FileSource::Disk(path), _) => Some(path),
            (FileSource::Builtin(_), _) => None,
        }
    }

    /// Whether `/path` is a static file of the site or theme.
    pub fn has_static(&self, site_path: &str) -> bool {
        self.statics.contains_key(site_path)
    }
}

/// The files under `dir`, each with its name below it (`/`-separated);
/// symbolic links are followed inside the site only ([`crate::walk`]).
fn files_under(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    crate::walk::files(root, dir, |_| false, |_| true, diags)
        .into_iter()
        .filter_map(|path| {
            let name = path
                .strip_prefix(dir)
                .ok()?
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            Some((name, path))
        })
        .collect()
}

fn read_templates(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<TemplateFile> {
    let mut out = Vec::new();
    for (name, path) in files_under(root, dir, diags) {
        let origin = relative(root, &path);
        match std::fs::read(&path).map(String::from_utf8) {
            Ok(Ok(text)) => out.push(TemplateFile { name, text, origin }),
            Ok(Err(_)) => diags.push(Diagnostic::error(origin, "template is not valid UTF-8")),
            Err(e) => diags.push(Diagnostic::error(origin, format!("cannot read: {e}"))),
        }
    }
    out
}

fn add_statics(
    root: &Path,
    dir: &Path,
    statics: &mut BTreeMap<String, (FileSource, PathBuf)>,
    diags: &mut Diagnostics,
) {
    for (name, path) in files_under(root, dir, diags) {
        let origin = relative(root, &path);
        statics.insert(
            crate::url::static_file(&name),
            (FileSource::Disk(path), origin),
        );
    }
}
