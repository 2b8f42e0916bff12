//! Image renditions: resized copies never upscaled, WebP before the
//! fallback, a lead image's crops around its focus point in Open Graph
//! and JSON-LD, camera rotation applied, remote images left alone, and a
//! cache that never decodes an unchanged image again (its own counters
//! say so) and makes the same bytes with one worker or two.

use std::fs;
use std::path::Path;

use tempfile::TempDir;

use crate::harness::{Built, assert_contains, build_root, files_under, json_ld};

/// A photo-like picture: gradients with a little deterministic noise, so
/// that encoders have detail to keep.
fn photo(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761) | 1;
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let noise = state % 24;
            pixels.push(((x * 255 / width + noise) % 256) as u8);
            pixels.push(((y * 255 / height + noise) % 256) as u8);
            pixels.push((((x + y) * 128 / (width + height) + seed * 40) % 256) as u8);
        }
    }
    pixels
}

/// A JPEG of `photo`, with an EXIF orientation tag when given.
fn jpeg(width: u32, height: u32, seed: u32, orientation: Option<u8>) -> Vec<u8> {
    let pixels = photo(width, height, seed);
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    if let Some(o) = orientation {
        // "Exif\0\0", a little-endian TIFF header, one IFD entry: 0x0112
        // (orientation), SHORT, count 1, the value.
        let mut exif = b"Exif\0\0II\x2a\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0".to_vec();
        exif.extend([o, 0, 0, 0, 0, 0, 0, 0]);
        encoder.add_app_segment(1, &exif).unwrap();
    }
    encoder
        .encode(
            &pixels,
            width as u16,
            height as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .unwrap();
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut out),
        &photo(width, height, 7),
        width,
        height,
        image::ExtendedColorType::Rgb8,
    )
    .unwrap();
    out
}

const ARTICLE: &str = "---
title: Harbour at dawn
date: 2025-05-01T08:00:00Z
image:
  src: lead.jpg
  alt: Boats at their moorings
  focus: 20% 50%
---
The fleet went out early.

![A chart of landings](chart.png)

![Held upright](portrait.jpg)

![Remote](https://images.example.org/far.jpg)
";

/// A site with one article: a 2400x1600 lead photo with a focus point, a
/// 1000x600 PNG chart, a portrait photo stored sideways (EXIF
/// orientation 6), and a remote image.
fn site() -> TempDir {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    fs::write(
        root.join("gazette.toml"),
        "title = \"Pictures\"\nbase_url = \"https://news.example.org/\"\n",
    )
    .unwrap();
    let dir = root.join("content/2025");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("dawn.md"), ARTICLE).unwrap();
    fs::write(dir.join("lead.jpg"), jpeg(2400, 1600, 1, None)).unwrap();
    fs::write(dir.join("chart.png"), png(1000, 600)).unwrap();
    fs::write(dir.join("portrait.jpg"), jpeg(1600, 1200, 2, Some(6))).unwrap();
    crate::harness::settle(&site);
    site
}

const PAGE: &str = "2025/05/01/harbour-at-dawn/";

fn dimensions(path: &Path) -> (u32, u32) {
    image::image_dimensions(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn build(site: &TempDir, jobs: usize) -> Built {
    let built = build_root(site, |o| o.jobs = Some(jobs));
    built.assert_ok();
    built
}

#[test]
fn renditions_are_made_at_each_width_never_upscaled() {
    let site = site();
    let built = build(&site, 2);
    let page = built.out.join(PAGE);
    let mut made: Vec<(String, (u32, u32))> = files_under(&page)
        .into_iter()
        .filter(|f| f != "index.html")
        .map(|f| {
            let size = dimensions(&page.join(&f));
            (f, size)
        })
        .collect();
    made.sort();
    let expected = [
        // A PNG gets WebP copies, up to its own width; its file is the
        // fallback.
        ("chart-1000w.webp", (1000, 600)),
        ("chart-480w.webp", (480, 288)),
        ("chart-960w.webp", (960, 576)),
        ("chart.png", (1000, 600)),
        ("lead-1440w.jpg", (1440, 960)),
        ("lead-1440w.webp", (1440, 960)),
        ("lead-16x9.jpg", (1200, 675)),
        ("lead-1x1.jpg", (1200, 1200)),
        ("lead-480w.jpg", (480, 320)),
        ("lead-480w.webp", (480, 320)),
        ("lead-4x3.jpg", (1200, 900)),
        ("lead-960w.jpg", (960, 640)),
        ("lead-960w.webp", (960, 640)),
        ("lead.jpg", (2400, 1600)),
        // Stored 1600x1200 and turned upright: 1200 wide, so its own
        // width is the widest rendition.
        ("portrait-1200w.jpg", (1200, 1600)),
        ("portrait-1200w.webp", (1200, 1600)),
        ("portrait-480w.jpg", (480, 640)),
        ("portrait-480w.webp", (480, 640)),
        ("portrait-960w.jpg", (960, 1280)),
        ("portrait-960w.webp", (960, 1280)),
        ("portrait.jpg", (1600, 1200)),
    ];
    let expected: Vec<(String, (u32, u32))> =
        expected.iter().map(|(f, s)| (f.to_string(), *s)).collect();
    assert_eq!(made, expected);
    for (file, _) in &made {
        let bytes = fs::read(page.join(file)).unwrap();
        let webp = bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP";
        assert_eq!(webp, file.ends_with(".webp"), "{file}");
        let jpeg = bytes.starts_with(&[0xff, 0xd8]);
        assert_eq!(jpeg, file.ends_with(".jpg"), "{file}");
        if file.contains('-') && file.ends_with(".jpg") {
            // No camera metadata in a rendition.
            assert!(!bytes.windows(6).any(|w| w == b"Exif\0\0"), "{file}");
        }
    }
    let stats = built.report.summary.as_ref().unwrap().images;
    assert_eq!((stats.decoded, stats.made, stats.reused), (3, 18, 0));
}

#[test]
fn pages_offer_webp_then_the_fallback_with_sizes() {
    let site = site();
    let built = build(&site, 2);
    let html = built.read(&format!("{PAGE}index.html"));
    let link = "/2025/05/01/harbour-at-dawn/";
    // The body's photo: WebP first, then JPEG, with the size it shows at.
    assert_contains(
        &html,
        &format!(
            "<picture><source type=\"image/webp\" srcset=\"{link}portrait-480w.webp 480w, \
             {link}portrait-960w.webp 960w, {link}portrait-1200w.webp 1200w\" sizes=\""
        ),
    );
    assert_contains(
        &html,
        &format!(
            "<img src=\"{link}portrait-1200w.jpg\" srcset=\"{link}portrait-480w.jpg 480w, \
             {link}portrait-960w.jpg 960w, {link}portrait-1200w.jpg 1200w\" sizes=\"(min-width: 42rem) 40rem, calc(100vw - 2rem)\" \
             alt=\"Held upright\" width=\"1200\" height=\"1600\" loading=\"lazy\""
        ),
    );
    // A PNG is its own fallback.
    assert_contains(
        &html,
        &format!("<img src=\"{link}chart.png\" alt=\"A chart of landings\" width=\"1000\""),
    );
    // The remote image is left alone.
    assert_contains(
        &html,
        "<img src=\"https://images.example.org/far.jpg\" alt=\"Remote\" loading=\"lazy\"",
    );
    // The lead image: a picture too, its focus point kept when the theme
    // crops it to the frame.
    let figure = &html[html.find("<figure class=\"story-figure\">").unwrap()..];
    assert_contains(figure, "<picture><source type=\"image/webp\" srcset=\"");
    assert_contains(figure, "lead-1440w.jpg");
    assert_contains(figure, "style=\"object-position: 20% 50%\"");
}

#[test]
fn the_lead_image_crops_are_the_share_image_and_the_structured_data() {
    let site = site();
    let built = build(&site, 2);
    let html = built.read(&format!("{PAGE}index.html"));
    let absolute = "https://news.example.org/2025/05/01/harbour-at-dawn/";
    assert_contains(
        &html,
        &format!("<meta property=\"og:image\" content=\"{absolute}lead-16x9.jpg\">"),
    );
    assert_contains(&html, "<meta property=\"og:image:width\" content=\"1200\">");
    assert_contains(&html, "<meta property=\"og:image:height\" content=\"675\">");
    assert_contains(
        &html,
        &format!("<meta name=\"twitter:image\" content=\"{absolute}lead-16x9.jpg\">"),
    );
    let data = json_ld(&html);
    let images: Vec<(String, u64, u64)> = data["image"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            assert_eq!(i["@type"], "ImageObject");
            (
                i["url"].as_str().unwrap().to_string(),
                i["width"].as_u64().unwrap(),
                i["height"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        images,
        [
            (format!("{absolute}lead-16x9.jpg"), 1200, 675),
            (format!("{absolute}lead-4x3.jpg"), 1200, 900),
            (format!("{absolute}lead-1x1.jpg"), 1200, 1200),
        ]
    );
}

#[test]
fn crops_centre_on_the_focus_point() {
    // The left of the photo is dark red, the right bright: a square crop
    // focused on the left holds less red than one on the right.
    let site = site();
    let built = build(&site, 2);
    let red = |built: &Built| {
        let img = image::open(built.out.join(PAGE).join("lead-1x1.jpg"))
            .unwrap()
            .into_rgb8();
        img.pixels().map(|p| u64::from(p[0])).sum::<u64>() / u64::from(img.width() * img.height())
    };
    let left = red(&built);
    let article = site.path().join("content/2025/dawn.md");
    let text = fs::read_to_string(&article).unwrap();
    fs::write(&article, text.replace("focus: 20% 50%", "focus: right")).unwrap();
    crate::harness::settle(&site);
    let moved = build(&site, 2);
    let right = red(&moved);
    assert!(right > left + 40, "left {left}, right {right}");
    // Only the three crops depend on the focus: nothing else is made.
    let stats = moved.report.summary.as_ref().unwrap().images;
    assert_eq!((stats.decoded, stats.made), (1, 3), "{stats:?}");
}

#[test]
fn an_unchanged_image_is_never_decoded_again() {
    let site = site();
    let first = build(&site, 2);
    assert_eq!(first.report.summary.as_ref().unwrap().images.decoded, 3);
    // Another output folder, the same cache: nothing is decoded, and the
    // sources' fingerprints come from the cache's table, not their bytes.
    let second = build(&site, 2);
    let stats = second.report.summary.as_ref().unwrap().images;
    assert_eq!(
        (stats.read, stats.decoded, stats.made, stats.reused),
        (0, 0, 0, 18)
    );
    assert_eq!(files_under(&first.out), files_under(&second.out));
    // A replaced image is decoded again; the others are not.
    let lead = site.path().join("content/2025/lead.jpg");
    fs::write(&lead, jpeg(2400, 1600, 9, None)).unwrap();
    crate::harness::settle(&site);
    let third = build(&site, 2);
    let stats = third.report.summary.as_ref().unwrap().images;
    assert_eq!(
        (stats.read, stats.decoded, stats.made),
        (1, 1, 9),
        "{stats:?}"
    );
}

#[test]
fn one_worker_or_two_make_the_same_bytes() {
    let one_site = site();
    let two_site = site();
    let one = build(&one_site, 1);
    let two = build(&two_site, 2);
    let files = files_under(&one.out);
    assert_eq!(files, files_under(&two.out));
    for f in &files {
        assert!(
            fs::read(one.out.join(f)).unwrap() == fs::read(two.out.join(f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn renditions_can_be_turned_off() {
    let site = site();
    let config = site.path().join("gazette.toml");
    let mut text = fs::read_to_string(&config).unwrap();
    text.push_str("[images]\nrenditions = false\n");
    fs::write(&config, text).unwrap();
    let built = build(&site, 2);
    let html = built.read(&format!("{PAGE}index.html"));
    assert!(!html.contains("<picture>"));
    assert!(!html.contains("srcset"));
    let files = files_under(&built.out.join(PAGE));
    assert_eq!(
        files,
        ["chart.png", "index.html", "lead.jpg", "portrait.jpg"]
    );
    assert_contains(
        &html,
        "<meta property=\"og:image\" content=\"https://news.example.org/2025/05/01/harbour-at-dawn/lead.jpg\">",
    );
}

#[test]
fn an_image_that_cannot_be_decoded_is_an_error_naming_it() {
    let site = site();
    // A JPEG header that promises pixels it does not have.
    let mut broken = jpeg(1600, 1200, 3, None);
    let scan = broken.windows(2).position(|w| w == [0xff, 0xda]).unwrap();
    broken.truncate(scan + 2);
    broken.extend([0u8; 16]);
    fs::write(site.path().join("content/2025/portrait.jpg"), &broken).unwrap();
    crate::harness::settle(&site);
    let built = build_root(&site, |_| {});
    assert!(built.report.summary.is_none(), "built a broken image");
    let errors = built.errors();
    assert_contains(&errors, "content/2025/portrait.jpg");
    assert_contains(&errors, "cannot decode the image");
    assert!(!built.out.exists(), "wrote an output");
}

#[test]
fn bad_image_settings_name_their_key() {
    let site = site();
    let config = site.path().join("gazette.toml");
    let mut text = fs::read_to_string(&config).unwrap();
    text.push_str("[images]\nwidths = [0, 480]\nquality = 101\nfocal = 1\n");
    fs::write(&config, text).unwrap();
    let built = build_root(&site, |_| {});
    let errors = built.errors();
    assert_contains(&errors, "gazette.toml:4:");
    assert_contains(&errors, "images.widths: `0` is not a width");
    assert_contains(&errors, "gazette.toml:5:");
    assert_contains(&errors, "images.quality: `101`");
    assert_contains(&errors, "unknown key `images.focal`");
}

#[test]
fn a_bad_focus_point_is_an_error_at_its_line() {
    let site = site();
    let article = site.path().join("content/2025/dawn.md");
    let text = fs::read_to_string(&article).unwrap();
    fs::write(&article, text.replace("focus: 20% 50%", "focus: 120% up")).unwrap();
    let built = build_root(&site, |_| {});
    let errors = built.errors();
    assert_contains(&errors, "content/2025/dawn.md:4");
    assert_contains(&errors, "focus `120% up` is not a point");
}

#[test]
fn an_incremental_build_after_image_edits_equals_a_clean_one() {
    let site = site();
    let dir = tempfile::tempdir().unwrap();
    let (kept, clean) = (dir.path().join("kept"), dir.path().join("clean"));
    let build_into = |out: &Path, incremental: bool| {
        let mut o = crate::harness::options(&site);
        o.output = Some(out.to_path_buf());
        o.incremental = incremental;
        let report = gazette::build(&o, &());
        assert!(
            report.summary.is_some(),
            "{}",
            crate::harness::diagnostics_text(&report)
        );
    };
    build_into(&kept, true);
    let content = site.path().join("content/2025");
    type Step<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let steps: [Step; 4] = [
        (
            "a body image replaced by a smaller one",
            Box::new(|| fs::write(content.join("portrait.jpg"), jpeg(700, 500, 5, None)).unwrap()),
        ),
        (
            "the focus point moved",
            Box::new(|| {
                let md = content.join("dawn.md");
                let text = fs::read_to_string(&md).unwrap();
                fs::write(&md, text.replace("focus: 20% 50%", "focus: top")).unwrap();
            }),
        ),
        (
            "a body image dropped",
            Box::new(|| {
                let md = content.join("dawn.md");
                let text = fs::read_to_string(&md).unwrap();
                fs::write(&md, text.replace("![A chart of landings](chart.png)", "")).unwrap();
            }),
        ),
        (
            "the widths changed",
            Box::new(|| {
                let config = site.path().join("gazette.toml");
                let mut text = fs::read_to_string(&config).unwrap();
                text.push_str("[images]\nwidths = [600, 1000]\n");
                fs::write(&config, text).unwrap();
            }),
        ),
    ];
    for (step, change) in steps {
        change();
        crate::harness::settle(&site);
        build_into(&kept, true);
        let _ = fs::remove_dir_all(&clean);
        build_into(&clean, false);
        let files = files_under(&clean);
        assert_eq!(
            files_under(&kept),
            files,
            "{step}: not the files of a clean build"
        );
        for f in &files {
            let same = fs::read(kept.join(f)).unwrap() == fs::read(clean.join(f)).unwrap();
            assert!(same, "{step}: {f} differs from a clean build");
        }
    }
}

#[test]
fn a_static_lead_image_shared_by_two_articles_gets_one_set_of_renditions() {
    let site = site();
    let root = site.path();
    fs::create_dir_all(root.join("static/img")).unwrap();
    fs::write(
        root.join("static/img/harbour.jpg"),
        jpeg(2000, 1500, 4, None),
    )
    .unwrap();
    for (name, day) in [("one", "02"), ("two", "03")] {
        let text = format!(
            "---\ntitle: Story {name}\ndate: 2025-05-{day}T08:00:00Z\n\
             image:\n  src: /img/harbour.jpg\n  alt: The harbour\n---\nText.\n"
        );
        fs::write(root.join(format!("content/2025/{name}.md")), text).unwrap();
    }
    crate::harness::settle(&site);
    let built = build(&site, 2);
    let img = built.out.join("img");
    let files = files_under(&img);
    assert_eq!(
        files,
        [
            "harbour-1440w.jpg",
            "harbour-1440w.webp",
            "harbour-16x9.jpg",
            "harbour-1x1.jpg",
            "harbour-480w.jpg",
            "harbour-480w.webp",
            "harbour-4x3.jpg",
            "harbour-960w.jpg",
            "harbour-960w.webp",
            "harbour.jpg",
        ]
    );
    assert_eq!(dimensions(&img.join("harbour-4x3.jpg")), (1200, 900));
    assert_eq!(dimensions(&img.join("harbour-1x1.jpg")), (1200, 1200));
    let html = built.read("2025/05/02/story-one/index.html");
    assert_contains(
        &html,
        "srcset=\"/img/harbour-480w.webp 480w, /img/harbour-960w.webp 960w",
    );
    assert_contains(
        &html,
        "<meta property=\"og:image\" content=\"https://news.example.org/img/harbour-16x9.jpg\">",
    );
    let stats = built.report.summary.as_ref().unwrap().images;
    // The article's three images, and the static one once.
    assert_eq!(stats.decoded, 4, "{stats:?}");
}
