//! The site's folders, walked, and the one rule for symbolic links: a link
//! may point anywhere inside the site, never outside it. A link to a file
//! elsewhere on the machine (`content/leak.png -> /etc/...`) would
//! otherwise publish that file; Jekyll's safe mode, which GitHub Pages
//! runs, refuses such links for the same reason. Links inside the site,
//! to files or to folders, are followed.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};

/// The site root with every symbolic link resolved, to compare targets
/// with. Falls back to the path as given when it cannot be resolved (the
/// reads that follow report why).
pub fn real_root(root: &Path) -> PathBuf {
    std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())
}

/// Where `path` really leads, when that is outside the site whose
/// resolved root is `real_root`; `None` for a path inside the site, or
/// one that does not resolve (missing files are reported by their
/// readers).
pub fn leads_out(real_root: &Path, path: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(path).ok()?;
    (!real.starts_with(real_root)).then_some(real)
}

/// The error for a link that leads out of the site, on the link (relative
/// to the site root).
pub fn link_out_error(link: impl Into<PathBuf>, target: &Path) -> Diagnostic {
    Diagnostic::error(
        link,
        format!(
            "symbolic link to {}, outside the site: refused, so that no file from \
             elsewhere on the machine is published (copy the file into the site instead)",
            target.display()
        ),
    )
}

/// The files under `dir` (a folder of the site at `root`) that `wanted`
/// accepts, sorted by path, following symbolic links that stay inside the
/// site. A link that leads out of it (to a wanted file, or to a folder),
/// or that cannot be read, is an error on the link (relative to `root`);
/// `dir` itself may not lead out either. Entries (below `dir`) whose name
/// `skip` accepts are left out, and so is all under a folder it accepts.
/// Other files (an article's images) are checked where they are used.
///
/// Only folders are read: a file's type comes with its folder's listing,
/// and only a link is looked at on its own. An archive's folders hold
/// thousands of files each, and this walk is the first step of every
/// build.
pub fn files(
    root: &Path,
    dir: &Path,
    skip: impl Fn(&str) -> bool,
    wanted: impl Fn(&Path) -> bool,
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let walk = Walk {
        root,
        real_root: real_root(root),
        skip: &skip,
        wanted: &wanted,
    };
    let mut out = Vec::new();
    walk.folder(dir, false, &mut out, diags);
    // Every path found starts with `dir`, and what follows is made alike.
    out.sort_unstable_by(|a, b| crate::paths::cmp(a, b));
    out
}

struct Walk<'a> {
    root: &'a Path,
    real_root: PathBuf,
    skip: &'a dyn Fn(&str) -> bool,
    wanted: &'a dyn Fn(&Path) -> bool,
}

impl Walk<'_> {
    fn relative(&self, p: &Path) -> PathBuf {
        p.strip_prefix(self.root).unwrap_or(p).to_path_buf()
    }

    /// Whether `path` leads out of the site (then said, on the link).
    fn refused(&self, path: &Path, diags: &mut Diagnostics) -> bool {
        let Some(target) = leads_out(&self.real_root, path) else {
            return false;
        };
        diags.push(link_out_error(self.relative(path), &target));
        true
    }

    fn cannot_read(&self, path: &Path, e: impl std::fmt::Display, diags: &mut Diagnostics) {
        diags.push(Diagnostic::error(
            self.relative(path),
            format!("cannot read: {e}"),
        ));
    }

    /// Adds the wanted files under `dir` to `out`. Below a linked folder
    /// (`follow`) every link is followed by the walker, which also finds
    /// a link back to a folder it is in.
    fn folder(&self, dir: &Path, follow: bool, out: &mut Vec<PathBuf>, diags: &mut Diagnostics) {
        let mut walker = walkdir::WalkDir::new(dir).follow_links(follow).into_iter();
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let path = e.path().unwrap_or(dir).to_path_buf();
                    self.cannot_read(&path, e, diags);
                    continue;
                }
            };
            let is_dir = entry.file_type().is_dir();
            if entry.depth() > 0 && (self.skip)(&entry.file_name().to_string_lossy()) {
                if is_dir {
                    walker.skip_current_dir();
                }
                continue;
            }
            if !follow && entry.file_type().is_symlink() {
                self.link(entry.path(), out, diags);
                // `dir` itself a link: the walker would go on into it.
                if entry.depth() == 0 {
                    walker.skip_current_dir();
                }
                continue;
            }
            if !is_dir && !(self.wanted)(entry.path()) {
                continue;
            }
            if (entry.path_is_symlink() || entry.depth() == 0) && self.refused(entry.path(), diags)
            {
                if is_dir {
                    walker.skip_current_dir();
                }
                continue;
            }
            if entry.file_type().is_file() {
                out.push(entry.into_path());
            }
        }
    }

    /// A link met in a folder that is not itself linked: to a folder,
    /// walked following links; to a wanted file, kept.
    fn link(&self, path: &Path, out: &mut Vec<PathBuf>, diags: &mut Diagnostics) {
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => return self.cannot_read(path, e, diags),
        };
        if !meta.is_dir() && !(self.wanted)(path) {
            return;
        }
        if self.refused(path, diags) {
            return;
        }
        match meta.is_dir() {
            true => self.folder(path, true, out, diags),
            false if meta.is_file() => out.push(path.to_path_buf()),
            false => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_inside_are_followed_and_links_out_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let (site, secret) = (tmp.path().join("site"), tmp.path().join("secret"));
        fs::create_dir_all(site.join("static/inner")).unwrap();
        fs::create_dir_all(secret.join("folder")).unwrap();
        fs::write(secret.join("key.txt"), "secret").unwrap();
        fs::write(secret.join("folder/more.txt"), "secret").unwrap();
        fs::write(site.join("static/inner/a.txt"), "a").unwrap();
        fs::write(site.join("shared.txt"), "shared").unwrap();
        symlink(secret.join("key.txt"), site.join("static/leak.txt")).unwrap();
        symlink(secret.join("folder"), site.join("static/leaks")).unwrap();
        symlink("../shared.txt", site.join("static/shared.txt")).unwrap();
        symlink("inner", site.join("static/again")).unwrap();
        fs::write(site.join("static/.hidden"), "h").unwrap();

        let mut diags = Diagnostics::default();
        let found = files(
            &site,
            &site.join("static"),
            |n| n.starts_with('.'),
            |_| true,
            &mut diags,
        );
        let names: Vec<_> = found
            .iter()
            .map(|p| {
                p.strip_prefix(&site)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            names,
            [
                "static/again/a.txt",
                "static/inner/a.txt",
                "static/shared.txt"
            ]
        );
        let errors: Vec<String> = diags
            .into_sorted()
            .iter()
            .map(|d| format!("{}: {}", d.path.display(), d.message))
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("static/leak.txt: symbolic link to "),
            "{errors:?}"
        );
        assert!(
            errors[0].contains("secret/key.txt, outside the site"),
            "{errors:?}"
        );
        assert!(
            errors[1].starts_with("static/leaks: symbolic link to "),
            "{errors:?}"
        );
    }

    /// Every file of `site/content`, and the problems found.
    fn content_of(site: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
        let mut diags = Diagnostics::default();
        let found = files(site, &site.join("content"), |_| false, |_| true, &mut diags);
        (found, diags.into_sorted())
    }

    #[test]
    fn a_folder_that_is_itself_a_link_out_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let (site, elsewhere) = (tmp.path().join("site"), tmp.path().join("elsewhere"));
        fs::create_dir_all(&site).unwrap();
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("x.md"), "x").unwrap();
        symlink(&elsewhere, site.join("content")).unwrap();
        let (found, errors) = content_of(&site);
        assert!(found.is_empty());
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn a_broken_link_is_an_error_on_the_link() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        fs::create_dir_all(site.join("content/2024")).unwrap();
        fs::write(site.join("content/2024/a.md"), "a").unwrap();
        symlink("gone.md", site.join("content/2024/b.md")).unwrap();
        let (found, errors) = content_of(&site);
        assert_eq!(found, [site.join("content/2024/a.md")]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].path, Path::new("content/2024/b.md"));
        assert!(errors[0].message.starts_with("cannot read"), "{errors:?}");
    }

    #[test]
    fn a_loop_below_a_linked_folder_ends_and_is_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        fs::create_dir_all(site.join("shared/deep")).unwrap();
        fs::create_dir_all(site.join("content")).unwrap();
        fs::write(site.join("shared/deep/x.md"), "x").unwrap();
        symlink("..", site.join("shared/deep/up")).unwrap();
        symlink("../shared", site.join("content/shared")).unwrap();
        let (found, errors) = content_of(&site);
        assert_eq!(found, [site.join("content/shared/deep/x.md")]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].path, Path::new("content/shared/deep/up"));
        assert!(errors[0].message.contains("loop"), "{errors:?}");
    }
}
