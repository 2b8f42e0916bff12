//! Image renditions: smaller copies of every local photo for each screen
//! (`srcset`), in WebP with a JPEG or PNG fallback, and for a lead image
//! the 16:9, 4:3 and 1:1 crops that cards and structured data ask for.
//!
//! Which renditions an image gets is a pure function of its size, its
//! format and the `[images]` settings ([`renditions`]), so the Markdown
//! renderer, the templates and the planner name the same files without
//! touching pixels. Making them is the [`store`]'s job: once per source
//! bytes and settings, into the site's cache, from where the planner
//! copies them next to the page.

mod codec;
pub mod store;

use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

pub use store::{Stats, Store, Wanted};

/// `[images]` of `gazette.toml`, checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Settings {
    /// `false`: images are published as they are, with no renditions.
    pub renditions: bool,
    /// Widths of the `srcset` renditions, ascending.
    pub widths: Vec<u32>,
    /// Encoder quality of JPEG and WebP renditions, 1 to 100.
    pub quality: u8,
    /// Also write WebP renditions, offered before the fallback.
    pub webp: bool,
    /// Width of a lead image's crops; none when the source is narrower.
    pub crop_width: u32,
    /// The `sizes` attribute of body images.
    pub sizes: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            renditions: true,
            widths: vec![480, 960, 1440],
            quality: 80,
            webp: true,
            crop_width: 1200,
            sizes: DEFAULT_SIZES.to_string(),
        }
    }
}

/// The column of the built-in theme: 40rem wide, less the page's margins
/// on narrow screens.
pub const DEFAULT_SIZES: &str = "(min-width: 42rem) 40rem, calc(100vw - 2rem)";

/// The formats gazette decodes and writes; others (GIF, SVG, AVIF) are
/// published as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }
}

/// What an image's header says: its size as shown (after the camera's
/// EXIF rotation), and its format when gazette can make renditions of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Probe {
    pub width: u32,
    pub height: u32,
    pub format: Option<Format>,
    /// EXIF orientation, 1 (as stored) to 8.
    pub orientation: u8,
}

impl Probe {
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }
}

/// Reads the header of the image at `path` (one opening of the file,
/// its metadata segments only); `None` when it is not an image whose size
/// can be read.
pub fn probe(path: &Path) -> Option<Probe> {
    let mut reader = BufReader::new(std::fs::File::open(path).ok()?);
    let kind = imagesize::reader_type(&mut reader).ok()?;
    reader.seek(SeekFrom::Start(0)).ok()?;
    let size = kind.reader_size(&mut reader).ok()?;
    let (width, height) = (
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    );
    let format = match kind {
        imagesize::ImageType::Jpeg => Some(Format::Jpeg),
        imagesize::ImageType::Png => Some(Format::Png),
        imagesize::ImageType::Webp => Some(Format::Webp),
        _ => None,
    };
    let orientation = match format {
        Some(_) => {
            reader.seek(SeekFrom::Start(0)).ok()?;
            orientation(&mut reader).unwrap_or(1)
        }
        None => 1,
    };
    let (width, height) = match orientation {
        5..=8 => (height, width),
        _ => (width, height),
    };
    Some(Probe {
        width,
        height,
        format,
        orientation,
    })
}

/// The EXIF orientation tag, 1 to 8.
fn orientation<R: BufRead + Seek>(reader: &mut R) -> Option<u8> {
    let exif = exif::Reader::new().read_from_container(reader).ok()?;
    let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    let value = field.value.get_uint(0)?;
    u8::try_from(value).ok().filter(|v| (1..=8).contains(v))
}

/// A file name without its extension: what its renditions are named after
/// (`harbour.jpg` makes `harbour-480w.webp`).
pub fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// What a rendition is cut to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// The whole image at this width.
    Width(u32),
    /// The largest region of this aspect ratio around the focus point.
    Crop(Ratio),
}

/// The aspect ratios of a lead image's crops (Google's Article guidance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ratio {
    Wide,
    Standard,
    Square,
}

impl Ratio {
    pub const ALL: [Ratio; 3] = [Ratio::Wide, Ratio::Standard, Ratio::Square];

    /// (width, height) parts.
    pub fn parts(self) -> (u32, u32) {
        match self {
            Ratio::Wide => (16, 9),
            Ratio::Standard => (4, 3),
            Ratio::Square => (1, 1),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Ratio::Wide => "16x9",
            Ratio::Standard => "4x3",
            Ratio::Square => "1x1",
        }
    }
}

/// A focus point in percent of the width and height from the top left
/// corner; crops keep it as near their centre as the image allows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Focus {
    pub x: u8,
    pub y: u8,
}

impl Default for Focus {
    fn default() -> Self {
        Focus { x: 50, y: 50 }
    }
}

impl Focus {
    /// `"30% 60%"`, or one or two of `left`, `center`, `right`, `top`,
    /// `bottom` (`"top"`, `"bottom right"`), as CSS `object-position`.
    pub fn parse(text: &str) -> Result<Focus, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let bad = || {
            format!(
                "focus `{text}` is not a point such as `50% 30%` or `top left` \
                 (percent from the left, then from the top)"
            )
        };
        let percent = |w: &str| -> Option<u8> {
            w.strip_suffix('%')?
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= 100)
        };
        let (mut x, mut y) = (None, None);
        match words.as_slice() {
            [a, b] if percent(a).is_some() || percent(b).is_some() => {
                x = Some(percent(a).ok_or_else(bad)?);
                y = Some(percent(b).ok_or_else(bad)?);
            }
            [_] | [_, _] => {
                for w in &words {
                    match *w {
                        "left" if x.is_none() => x = Some(0),
                        "right" if x.is_none() => x = Some(100),
                        "top" if y.is_none() => y = Some(0),
                        "bottom" if y.is_none() => y = Some(100),
                        "center" => {}
                        _ => return Err(bad()),
                    }
                }
            }
            _ => return Err(bad()),
        }
        Ok(Focus {
            x: x.unwrap_or(50),
            y: y.unwrap_or(50),
        })
    }

    /// As CSS `object-position` writes it.
    pub fn css(self) -> String {
        format!("{}% {}%", self.x, self.y)
    }
}

/// One file made from a source image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rendition {
    /// File name, next to the source's copy (`harbour-960w.webp`).
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub shape: Shape,
}

/// Every rendition of an image: `srcset` widths in each format, then, for
/// a lead image (`crops`), the crops. Widths are never upscaled: those at
/// or above the source's width give way to one at its own width. A source
/// no wider than the narrowest width, or of a format gazette does not
/// decode, gets none.
pub fn renditions(probe: &Probe, name: &str, settings: &Settings, crops: bool) -> Vec<Rendition> {
    let Some(source) = probe.format.filter(|_| settings.renditions) else {
        return Vec::new();
    };
    let Some(&narrowest) = settings.widths.first() else {
        return Vec::new();
    };
    if probe.width <= narrowest {
        return Vec::new();
    }
    let stem = stem(name);
    let mut widths: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|w| *w < probe.width)
        .collect();
    if settings.widths.iter().any(|w| *w >= probe.width) {
        widths.push(probe.width);
    }
    let mut out = Vec::new();
    for format in formats(source, settings) {
        for &w in &widths {
            out.push(Rendition {
                name: format!("{stem}-{w}w.{}", format.extension()),
                width: w,
                height: scaled(probe.height, w, probe.width),
                format,
                shape: Shape::Width(w),
            });
        }
    }
    if crops {
        for ratio in Ratio::ALL {
            let (region_w, _) = region(probe.size(), ratio);
            if region_w < settings.crop_width {
                continue;
            }
            let (a, b) = ratio.parts();
            out.push(Rendition {
                name: format!("{stem}-{}.jpg", ratio.name()),
                width: settings.crop_width,
                height: scaled(settings.crop_width, b, a),
                format: Format::Jpeg,
                shape: Shape::Crop(ratio),
            });
        }
    }
    out
}

/// The formats of an image's renditions, the modern first. A JPEG gets
/// WebP and JPEG; a WebP only WebP; a PNG (a chart, a screenshot, a logo)
/// only WebP, its own file being the fallback: PNG copies of a resized
/// PNG come out larger than the source more often than not.
pub fn formats(source: Format, settings: &Settings) -> Vec<Format> {
    match source {
        Format::Webp => vec![Format::Webp],
        Format::Png if settings.webp => vec![Format::Webp],
        Format::Png => Vec::new(),
        Format::Jpeg if settings.webp => vec![Format::Webp, Format::Jpeg],
        Format::Jpeg => vec![Format::Jpeg],
    }
}

/// `n * num / den`, rounded, at least 1.
fn scaled(n: u32, num: u32, den: u32) -> u32 {
    let v = (u64::from(n) * u64::from(num) + u64::from(den) / 2) / u64::from(den.max(1));
    u32::try_from(v).unwrap_or(u32::MAX).max(1)
}

/// The size of the largest region of `ratio` inside an image of `size`.
pub fn region((w, h): (u32, u32), ratio: Ratio) -> (u32, u32) {
    let (a, b) = ratio.parts();
    // w / h > a / b: the full height, a narrower width.
    if u64::from(w) * u64::from(b) > u64::from(h) * u64::from(a) {
        (scaled(h, a, b).min(w), h)
    } else {
        (w, scaled(w, b, a).min(h))
    }
}

/// Where a region of `region` size starts in an image of `size`, centred
/// on `focus` as far as the edges allow.
pub fn region_origin(size: (u32, u32), region: (u32, u32), focus: Focus) -> (u32, u32) {
    let place = |full: u32, part: u32, percent: u8| {
        let centre = u64::from(full) * u64::from(percent) / 100;
        let start = centre.saturating_sub(u64::from(part) / 2);
        u32::try_from(start.min(u64::from(full - part))).unwrap_or(0)
    };
    (
        place(size.0, region.0, focus.x),
        place(size.1, region.1, focus.y),
    )
}

/// A `srcset` value: each rendition of `format` as `URL Ww`, with `link`
/// making a rendition's name into its URL.
pub fn srcset(renditions: &[Rendition], format: Format, link: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    for r in renditions {
        if r.format != format || !matches!(r.shape, Shape::Width(_)) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&link(&r.name));
        out.push(' ');
        out.push_str(&r.width.to_string());
        out.push('w');
    }
    out
}

/// The `src` of an `<img>` with renditions of a `source` image: the
/// widest rendition in the source's own format (browsers that read
/// `srcset` never load it). A PNG has none: its own file is the `src`.
pub fn fallback(renditions: &[Rendition], source: Format) -> Option<&Rendition> {
    renditions
        .iter()
        .filter(|r| r.format == source && matches!(r.shape, Shape::Width(_)))
        .max_by_key(|r| r.width)
}

/// The formats offered in `<source>` elements before the `<img>`: those
/// of the renditions other than the fallback's, in order.
pub fn sources(renditions: &[Rendition], source: Format) -> Vec<Format> {
    let mut formats: Vec<Format> = renditions
        .iter()
        .filter(|r| matches!(r.shape, Shape::Width(_)) && r.format != source)
        .map(|r| r.format)
        .collect();
    formats.dedup();
    formats
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Probe {
        Probe {
            width,
            height,
            format: Some(Format::Jpeg),
            orientation: 1,
        }
    }

    fn names(r: &[Rendition]) -> Vec<String> {
        r.iter()
            .map(|r| format!("{} {}x{}", r.name, r.width, r.height))
            .collect()
    }

    #[test]
    fn widths_are_never_upscaled() {
        let settings = Settings::default();
        let r = renditions(&jpeg(1000, 500), "a.jpg", &settings, false);
        assert_eq!(
            names(&r),
            [
                "a-480w.webp 480x240",
                "a-960w.webp 960x480",
                "a-1000w.webp 1000x500",
                "a-480w.jpg 480x240",
                "a-960w.jpg 960x480",
                "a-1000w.jpg 1000x500",
            ]
        );
        let r = renditions(&jpeg(3000, 2000), "a.jpg", &settings, false);
        assert_eq!(r.iter().map(|r| r.width).max(), Some(1440));
        assert!(renditions(&jpeg(480, 300), "a.jpg", &settings, true).is_empty());
    }

    #[test]
    fn crops_need_a_large_enough_source() {
        let settings = Settings::default();
        let crops = |p: Probe| -> Vec<String> {
            renditions(&p, "lead.jpeg", &settings, true)
                .into_iter()
                .filter(|r| matches!(r.shape, Shape::Crop(_)))
                .map(|r| format!("{} {}x{}", r.name, r.width, r.height))
                .collect()
        };
        assert_eq!(
            crops(jpeg(3000, 2000)),
            [
                "lead-16x9.jpg 1200x675",
                "lead-4x3.jpg 1200x900",
                "lead-1x1.jpg 1200x1200"
            ]
        );
        // 1600x1000: a square is only 1000 wide.
        assert_eq!(crops(jpeg(1600, 1000)).len(), 2);
        assert!(crops(jpeg(1100, 2000)).is_empty());
    }

    #[test]
    fn regions_follow_the_focus_within_the_edges() {
        assert_eq!(region((3000, 2000), Ratio::Wide), (3000, 1688));
        assert_eq!(region((3000, 2000), Ratio::Square), (2000, 2000));
        let centre = region_origin((3000, 2000), (2000, 2000), Focus::default());
        assert_eq!(centre, (500, 0));
        let left = region_origin((3000, 2000), (2000, 2000), Focus { x: 0, y: 0 });
        assert_eq!(left, (0, 0));
        let right = region_origin((3000, 2000), (2000, 2000), Focus { x: 90, y: 50 });
        assert_eq!(right, (1000, 0));
    }

    #[test]
    fn focus_reads_like_object_position() {
        assert_eq!(Focus::parse("30% 60%"), Ok(Focus { x: 30, y: 60 }));
        assert_eq!(Focus::parse("top"), Ok(Focus { x: 50, y: 0 }));
        assert_eq!(Focus::parse("bottom right"), Ok(Focus { x: 100, y: 100 }));
        assert_eq!(Focus::parse("center"), Ok(Focus::default()));
        for bad in ["", "120% 5%", "30%", "up", "left right", "1 2 3"] {
            assert!(Focus::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_srcset_lists_one_format() {
        let settings = Settings::default();
        let r = renditions(&jpeg(1000, 500), "a b.jpg", &settings, false);
        let set = srcset(&r, Format::Jpeg, &|n| format!("/x/{n}"));
        assert_eq!(
            set,
            "/x/a b-480w.jpg 480w, /x/a b-960w.jpg 960w, /x/a b-1000w.jpg 1000w"
        );
        assert_eq!(
            fallback(&r, Format::Jpeg).map(|r| r.name.as_str()),
            Some("a b-1000w.jpg")
        );
        assert_eq!(sources(&r, Format::Jpeg), [Format::Webp]);
    }

    #[test]
    fn a_png_is_its_own_fallback() {
        let png = Probe {
            format: Some(Format::Png),
            ..jpeg(1000, 500)
        };
        let r = renditions(&png, "chart.png", &Settings::default(), true);
        assert!(
            r.iter()
                .all(|r| r.format == Format::Webp || r.format == Format::Jpeg)
        );
        assert!(fallback(&r, Format::Png).is_none());
        assert_eq!(sources(&r, Format::Png), [Format::Webp]);
        let no_webp = Settings {
            webp: false,
            ..Settings::default()
        };
        let r = renditions(&png, "chart.png", &no_webp, false);
        assert!(r.is_empty());
    }
}
