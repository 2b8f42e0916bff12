//! Pixels: a source decoded once (turned upright by its EXIF
//! orientation), then each rendition resized or cropped from it with
//! Lanczos3 (`fast_image_resize`) and encoded: JPEG by `jpeg-encoder`
//! (progressive, optimized Huffman tables, the source's ICC profile kept),
//! WebP by libwebp, PNG by the `png` crate. No metadata but the colour
//! profile is copied: a camera's EXIF (its GPS position among it) stays
//! in the original only.

use std::path::Path;

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{PixelType, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageReader};

use super::{Focus, Format, Probe, Rendition, Shape, region, region_origin};

/// A source image in memory, upright.
pub struct Decoded {
    pixels: Vec<u8>,
    width: u32,
    height: u32,
    alpha: bool,
    icc: Option<Vec<u8>>,
}

impl Decoded {
    /// Decodes the image at `path`, whose header said `probe`.
    pub fn read(path: &Path, probe: &Probe) -> Result<Decoded, String> {
        let reader = ImageReader::open(path)
            .and_then(ImageReader::with_guessed_format)
            .map_err(|e| e.to_string())?;
        let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
        let icc = decoder.icc_profile().ok().flatten();
        let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
        if let Some(o) = image::metadata::Orientation::from_exif(probe.orientation) {
            image.apply_orientation(o);
        }
        if (image.width(), image.height()) != probe.size() {
            return Err(format!(
                "its pixels are {}x{} but its header says {}x{}",
                image.width(),
                image.height(),
                probe.width,
                probe.height
            ));
        }
        let alpha = image.color().has_alpha();
        let (width, height) = (image.width(), image.height());
        let pixels = match alpha {
            true => image.into_rgba8().into_raw(),
            false => image.into_rgb8().into_raw(),
        };
        Ok(Decoded {
            pixels,
            width,
            height,
            alpha,
            icc,
        })
    }

    fn pixel_type(&self) -> PixelType {
        match self.alpha {
            true => PixelType::U8x4,
            false => PixelType::U8x3,
        }
    }

    /// The bytes of `rendition`, from its `pixels` ([`Decoded::resized`]).
    pub fn encode(
        &self,
        rendition: &Rendition,
        pixels: &[u8],
        quality: u8,
    ) -> Result<Vec<u8>, String> {
        let (w, h) = (rendition.width, rendition.height);
        match rendition.format {
            Format::Jpeg => self.jpeg(pixels, w, h, quality),
            Format::Webp => {
                let encoder = match self.alpha {
                    true => webp::Encoder::from_rgba(pixels, w, h),
                    false => webp::Encoder::from_rgb(pixels, w, h),
                };
                Ok(encoder.encode(f32::from(quality)).to_vec())
            }
            Format::Png => {
                use image::ImageEncoder;
                use image::codecs::png::{CompressionType, FilterType, PngEncoder};
                let mut out = Vec::new();
                let color = match self.alpha {
                    true => image::ExtendedColorType::Rgba8,
                    false => image::ExtendedColorType::Rgb8,
                };
                PngEncoder::new_with_quality(
                    &mut out,
                    CompressionType::Default,
                    FilterType::Adaptive,
                )
                .write_image(pixels, w, h, color)
                .map_err(|e| e.to_string())?;
                Ok(out)
            }
        }
    }

    /// The pixels of `rendition`: the whole image or its crop, at its size.
    pub fn resized(&self, rendition: &Rendition, focus: Focus) -> Result<Vec<u8>, String> {
        let size = (self.width, self.height);
        let (left, top, width, height) = match rendition.shape {
            Shape::Width(_) => (0, 0, self.width, self.height),
            Shape::Crop(ratio) => {
                let part = region(size, ratio);
                let (x, y) = region_origin(size, part, focus);
                (x, y, part.0, part.1)
            }
        };
        if (width, height) == (rendition.width, rendition.height) && (left, top) == (0, 0) {
            return Ok(self.pixels.clone());
        }
        let source = ImageRef::new(self.width, self.height, &self.pixels, self.pixel_type())
            .map_err(|e| e.to_string())?;
        let mut target = Image::new(rendition.width, rendition.height, self.pixel_type());
        let options = ResizeOptions::new().crop(
            f64::from(left),
            f64::from(top),
            f64::from(width),
            f64::from(height),
        );
        Resizer::new()
            .resize(&source, &mut target, &options)
            .map_err(|e| e.to_string())?;
        Ok(target.into_vec())
    }

    /// JPEG has no transparency: a transparent image is laid on white.
    fn jpeg(&self, pixels: &[u8], w: u32, h: u32, quality: u8) -> Result<Vec<u8>, String> {
        let flat;
        let rgb = match self.alpha {
            false => pixels,
            true => {
                flat = on_white(pixels);
                &flat
            }
        };
        let (Ok(w16), Ok(h16)) = (u16::try_from(w), u16::try_from(h)) else {
            return Err(format!("{w}x{h} is too large for JPEG"));
        };
        let mut out = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
        encoder.set_progressive(true);
        encoder.set_optimized_huffman_tables(true);
        if let Some(icc) = &self.icc {
            encoder.add_icc_profile(icc).map_err(|e| e.to_string())?;
        }
        encoder
            .encode(rgb, w16, h16, jpeg_encoder::ColorType::Rgb)
            .map_err(|e| e.to_string())?;
        Ok(out)
    }
}

/// RGBA pixels laid on a white background, as RGB.
fn on_white(rgba: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgba.len() / 4 * 3);
    for p in rgba.chunks_exact(4) {
        let a = u16::from(p[3]);
        for &c in &p[..3] {
            let v = (u16::from(c) * a + 255 * (255 - a) + 127) / 255;
            out.push(u8::try_from(v).unwrap_or(255));
        }
    }
    out
}
