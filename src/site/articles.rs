//! Articles from their sources: URL, body (rendered, or recalled from an
//! earlier build), summary, lead image. Runs in parallel, one article at a
//! time; taxonomies and lists come after, in `site`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::learned::{Digest, Note};
use super::{Article, Body, Html, ImageUrl, Inputs, LinkTable};
use crate::config::Config;
use crate::content::Source;
use crate::content::asked;
use crate::content::frontmatter::ImageSrc;
use crate::content::markdown::{self, Links, LocalFile};
use crate::content::terms::{Held, Terms, Vocabulary};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::Fingerprint;
use crate::images::{self, Probe, Rendition};
use crate::shared::Shared;
use crate::spill::Spill;
use crate::url::PermalinkValues;

/// Site path of each source (same order); two articles on one URL is an error.
pub(super) fn paths(config: &Config, sources: &[Source], diags: &mut Diagnostics) -> Vec<String> {
    let uses_section = config.permalink.uses_section();
    type Slugged<'a> = HashMap<&'a str, String, foldhash::fast::RandomState>;
    let (paths, sectionless): (Vec<String>, Vec<bool>) = sources
        .par_iter()
        // An archive has a few sections: each worker slugifies each once.
        .map_init(Slugged::default, |slugged, s| {
            let date = s.meta.date.date();
            let section = s.meta.section.as_deref().map(|name| {
                slugged
                    .entry(name)
                    .or_insert_with(|| config.slugs.slug(name))
                    .as_str()
            });
            let values = PermalinkValues {
                year: date.year(),
                month: date.month(),
                day: date.day(),
                slug: &s.meta.slug,
                section,
            };
            let sectionless = uses_section && section.is_none();
            (config.permalink.expand(&values), sectionless)
        })
        .unzip();
    let mut seen: HashMap<&str, &Path, foldhash::fast::RandomState> = HashMap::default();
    seen.reserve(paths.len());
    for ((s, path), sectionless) in sources.iter().zip(&paths).zip(sectionless) {
        if sectionless {
            diags.push(
                Diagnostic::error(
                    &s.path,
                    "the article permalink uses :section but this article has no `section`",
                )
                .at(1, None),
            );
        }
        if let Some(other) = seen.insert(path, &s.path) {
            diags.push(
                Diagnostic::error(
                    &s.path,
                    format!(
                        "URL {path} is also the URL of {}; give one a different `slug`",
                        other.display()
                    ),
                )
                .at(1, None),
            );
            // The first article on a URL keeps it, for the next clash too.
            seen.insert(path, other);
        }
    }
    paths
}

/// What building one article reads besides its source.
struct Context<'a> {
    config: &'a Config,
    inputs: &'a Inputs<'a>,
    links: &'a LinkTable,
    vocabulary: Option<&'a Vocabulary>,
    /// Where counted words, and bodies not kept, are written.
    spill: Option<&'a Spill>,
}

/// The articles of `sources` (at `paths`), newest first (equal dates by
/// URL), with what was learned of each, in the same order.
pub(super) fn build(
    config: &Config,
    inputs: &Inputs<'_>,
    links: &LinkTable,
    (vocabulary, spill): (Option<&Vocabulary>, Option<&Spill>),
    mut sources: Vec<Source>,
    mut paths: Vec<String>,
    diags: &mut Diagnostics,
) -> (Vec<Article>, Vec<Note>) {
    let cx = Context {
        config,
        inputs,
        links,
        vocabulary,
        spill,
    };
    // The sources are put in order, not the articles made from them: an
    // article is several times the size of its source, and an ordered
    // parallel map keeps the order (at 1,000,000 articles a copy of the
    // articles is about a gigabyte).
    let dates: Vec<_> = sources
        .par_iter()
        .map(|s| s.meta.date.timestamp())
        .collect();
    let mut order: Vec<usize> = (0..sources.len()).collect();
    // Unstable is enough: no two articles share a path.
    order.par_sort_unstable_by(|&a, &b| {
        (dates[b].cmp(&dates[a])).then_with(|| paths[a].cmp(&paths[b]))
    });
    drop(dates);
    permute(&mut sources, &mut paths, order);
    let (articles, (notes, problems)): (Vec<Article>, (Vec<Note>, Vec<_>)) = sources
        .into_par_iter()
        .zip(paths.into_par_iter())
        .map(|(s, path)| {
            let (article, note, problems) = build_article(&cx, s, path);
            (article, (note, problems))
        })
        .unzip();
    diags.extend(problems.into_iter().flatten());
    (articles, notes)
}

/// Puts `a` and `b` in `order` (position `k` gets the element that was at
/// `order[k]`) in place, without a second copy of either.
fn permute<A, B>(a: &mut [A], b: &mut [B], mut order: Vec<usize>) {
    for start in 0..order.len() {
        // Each cycle of the permutation is walked once, marking its
        // positions done (pointing at themselves) as it goes.
        let mut at = start;
        loop {
            let from = std::mem::replace(&mut order[at], at);
            if from == start {
                break;
            }
            a.swap(at, from);
            b.swap(at, from);
            at = from;
        }
    }
}

fn build_article(
    cx: &Context<'_>,
    mut s: Source,
    path: String,
) -> (Article, Note, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let Body {
        key,
        asked,
        html,
        html_hash,
        first_paragraph,
        word_count,
        assets,
        template_code,
        terms,
    } = body(cx, &mut s, &path, &mut problems);
    problems.extend(
        template_code.iter().map(|(line, col, message)| {
            Diagnostic::warning(&s.path, message).at(*line, Some(*col))
        }),
    );
    let mut article_assets = assets.clone();
    let lead = lead_image(cx, &s, &path, &mut article_assets, &mut problems);
    let first_paragraph = match &s.meta.summary {
        Some(_) => Box::default(),
        None => first_paragraph.as_deref().unwrap_or("").trim().into(),
    };
    let note = Note {
        stamp: s.stamp,
        warnings: s.warnings,
        digest: Digest {
            key,
            asked,
            assets,
            template_code,
        },
    };
    let mut article = Article {
        source: s.path,
        meta: s.meta,
        path,
        html: Html::Again,
        html_hash,
        body_hash: s.body_hash,
        body_line: s.body_line,
        first_paragraph,
        word_count,
        image_url: lead.url,
        image_size: lead.probe.map(|p| p.size()),
        image_renditions: lead.renditions,
        image_folder: lead.folder,
        image_file: lead.file,
        image_probe: lead.probe,
        assets: article_assets,
        tags: Vec::new(),
        section: None,
        authors: Vec::new(),
        related: Vec::new(),
        terms: None,
    };
    if let Some(vocabulary) = cx.vocabulary {
        match counted(cx, vocabulary, terms, html.as_deref(), &article) {
            Ok(terms) => match cx.spill.map(|spill| Held::file(spill, &terms)) {
                None => article.terms = Some(Held::Here(terms)),
                Some(Ok(filed)) => article.terms = Some(filed),
                Some(Err(e)) => problems.push(Diagnostic::error(
                    &article.source,
                    format!("cannot write its words for the search index: {e}"),
                )),
            },
            Err(d) => problems.push(d),
        }
    }
    article.html = match html {
        Some(html) if cx.inputs.keep_bodies => Html::Here(html),
        // Written where the page rendered later reads it back, rather than
        // rendered again; if it cannot be written, it will be.
        Some(html) => (cx.spill)
            .and_then(|spill| spill.put(html.as_bytes()).ok())
            .map_or(Html::Again, Html::Filed),
        None => Html::Again,
    };
    (article, note, problems)
}

/// The article's words in `vocabulary`: as an earlier build counted them,
/// else counted from its HTML (read and rendered again for a body recalled
/// without it).
fn counted(
    cx: &Context<'_>,
    vocabulary: &Vocabulary,
    recalled: Option<Terms>,
    html: Option<&str>,
    article: &Article,
) -> Result<Terms, Diagnostic> {
    if let Some(terms) = recalled.filter(|t| vocabulary.holds(t)) {
        return Ok(terms);
    }
    let again;
    let html = match html {
        Some(html) => html,
        None => {
            again = super::render_again(cx.config, cx.links, article)?;
            &again
        }
    };
    Ok(vocabulary.count(&article.meta.title, html))
}

/// The article's body: as an earlier build rendered it from the same
/// inputs, or rendered now (and offered for the next build).
fn body(cx: &Context<'_>, s: &mut Source, path: &str, problems: &mut Vec<Diagnostic>) -> Body {
    let page_link = cx.config.base_url.link(path);
    let key = Fingerprint::default()
        .add(s.body_hash)
        .add(s.body_line)
        .add(&page_link)
        .add(cx.config.raw_html)
        .add(cx.config.slugs == crate::content::slug::Slugs::KeepJapanese)
        .add(&cx.config.images)
        .finish()
        .unwrap_or_default();
    let bodies = cx.inputs.bodies;
    let of = super::BodyOf {
        path: &s.path,
        at: s.kept_at,
    };
    if let Some(body) = bodies.recall(of, key, s.meta.summary.is_none(), cx.links) {
        return body;
    }
    let before = problems.len();
    let body = render_body(cx, s, key, &page_link, problems);
    if problems.len() == before {
        bodies.remember(&s.path, &body);
    }
    body
}

/// Reads (unless loaded) and renders a body.
fn render_body(
    cx: &Context<'_>,
    s: &mut Source,
    key: u64,
    page_link: &str,
    problems: &mut Vec<Diagnostic>,
) -> Body {
    let text = match s.body.take() {
        Some(text) => text,
        None => crate::content::read_body(&cx.config.root, &s.path, s.body_hash)
            .map(Shared::from)
            .unwrap_or_else(|d| {
                problems.push(d);
                Shared::default()
            }),
    };
    let input = markdown::Input {
        body: &text,
        body_line: s.body_line,
        source: &s.path,
        page_link,
        raw_html: cx.config.raw_html,
        template_code: true,
        slugs: cx.config.slugs,
        images: &cx.config.images,
    };
    let (rendered, asked) = asked::render_recorded(&input, cx.links);
    drop(text);
    problems.extend(
        rendered
            .problems
            .into_iter()
            .map(|(line, col, message)| Diagnostic::error(&s.path, message).at(line, Some(col))),
    );
    Body {
        key,
        asked,
        html_hash: crate::fingerprint::of(&*rendered.html),
        html: Some(rendered.html),
        first_paragraph: Some(rendered.first_paragraph),
        word_count: rendered.word_count,
        assets: rendered.assets,
        template_code: rendered.template_code,
        terms: None,
    }
}

/// A lead image as pages need it.
#[derive(Default)]
struct Lead {
    url: Option<ImageUrl>,
    probe: Option<Probe>,
    renditions: Vec<Rendition>,
    /// The site folder the renditions go in.
    folder: String,
    file: Option<PathBuf>,
}

/// Resolves the lead image: where it is served from, its size, and its
/// renditions. A local image is added to the files copied next to the
/// page; the renditions of a static image go next to it.
fn lead_image(
    cx: &Context<'_>,
    s: &Source,
    page_path: &str,
    assets: &mut Vec<(PathBuf, String)>,
    problems: &mut Vec<Diagnostic>,
) -> Lead {
    let theme = cx.inputs.theme;
    let renditions = |probe: Option<Probe>, name: &str| {
        probe
            .map(|p| images::renditions(&p, name, &cx.config.images, true))
            .unwrap_or_default()
    };
    match s.meta.image.as_ref().map(|i| &i.src) {
        None => Lead::default(),
        Some(ImageSrc::Remote(url)) => Lead {
            url: Some(ImageUrl::Remote(url.clone())),
            ..Lead::default()
        },
        Some(ImageSrc::Static(site_path)) => {
            if !theme.has_static(site_path) {
                problems.push(image_problem(
                    s,
                    format!("image `{site_path}` not found in static/"),
                ));
            }
            let file = theme.static_file(site_path);
            let probe = file.and_then(|f| cx.links.image(f));
            let folder = &site_path[..site_path.rfind('/').map_or(0, |i| i + 1)];
            Lead {
                url: Some(ImageUrl::Site(site_path.clone())),
                probe: probe.or_else(|| {
                    theme
                        .static_image_size(site_path)
                        .map(|(width, height)| Probe {
                            width,
                            height,
                            format: None,
                            orientation: 1,
                        })
                }),
                renditions: renditions(probe, &site_path[folder.len()..]),
                folder: folder.to_string(),
                file: file.map(Path::to_path_buf),
            }
        }
        Some(ImageSrc::Local(rel)) => match markdown::local_file(&s.path, rel, cx.links) {
            Ok(LocalFile { file, name }) => {
                let probe = cx.links.image(&file);
                let renditions = renditions(probe, &name);
                if let Some((other, _)) = assets
                    .iter()
                    .find(|(f, n)| *f != file && images::stem(n) == images::stem(&name))
                    .filter(|_| !renditions.is_empty())
                {
                    problems.push(image_problem(
                        s,
                        format!(
                            "image `{rel}`: its resized copies would have the names of those \
                             of {}; rename one",
                            other.display()
                        ),
                    ));
                }
                let url = crate::url::asset(page_path, &name);
                if !assets.iter().any(|(f, _)| *f == file) {
                    assets.push((file.clone(), name));
                }
                Lead {
                    url: Some(ImageUrl::Site(url)),
                    probe,
                    renditions,
                    folder: page_path.to_string(),
                    file: Some(file),
                }
            }
            Err(e) => {
                let message = match e {
                    markdown::NotLocal::LinkOut(file, target) => {
                        markdown::link_out(rel, &file, &target)
                    }
                    _ => format!("image `{rel}` not found next to the article"),
                };
                problems.push(image_problem(s, message));
                Lead::default()
            }
        },
    }
}

fn image_problem(s: &Source, message: String) -> Diagnostic {
    let line = s.meta.image.as_ref().map_or(1, |i| i.line);
    Diagnostic::error(&s.path, message).at(line, Some(1))
}

#[cfg(test)]
mod tests {
    use super::permute;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn permuting_in_place_gives_the_order_asked(
            order in (0usize..40).prop_flat_map(|n| Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        ) {
            let mut a: Vec<usize> = (0..order.len()).map(|i| i * 10).collect();
            let mut b: Vec<String> = (0..order.len()).map(|i| i.to_string()).collect();
            let want_a: Vec<usize> = order.iter().map(|&i| i * 10).collect();
            let want_b: Vec<String> = order.iter().map(|i| i.to_string()).collect();
            permute(&mut a, &mut b, order);
            prop_assert_eq!(a, want_a);
            prop_assert_eq!(b, want_b);
        }
    }
}
