//! Writes photo-sized JPEGs for the image benchmark (bench/images.py):
//! `photos OUT_DIR COUNT [WIDTHxHEIGHT] [--from PHOTO]`. Each picture is
//! different bytes (so the renditions cache cannot share work between
//! them). With `--from`, each is a crop of a real photograph, moved and
//! mirrored per picture and resized to the size asked; without, smooth
//! gradients, waves and a little noise, as photos have.

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: photos OUT_DIR COUNT [WIDTHxHEIGHT] [--from PHOTO]";
    let out = PathBuf::from(args.first().expect(usage));
    let count: u32 = args.get(1).and_then(|n| n.parse().ok()).expect(usage);
    let (width, height) = args
        .get(2)
        .filter(|a| !a.starts_with("--"))
        .and_then(|s| s.split_once('x'))
        .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
        .unwrap_or((3000u32, 2000u32));
    let from = args
        .iter()
        .position(|a| a == "--from")
        .and_then(|i| args.get(i + 1))
        .map(|p| image::open(p).expect("a photo to start from").into_rgb8());
    std::fs::create_dir_all(&out).unwrap();
    use rayon::prelude::*;
    (0..count).into_par_iter().for_each(|i| {
        let pixels = match &from {
            Some(photo) => crop_of(photo, i, width, height),
            None => synthetic(i, width, height),
        };
        let mut bytes = Vec::new();
        jpeg_encoder::Encoder::new(&mut bytes, 88)
            .encode(
                &pixels,
                width as u16,
                height as u16,
                jpeg_encoder::ColorType::Rgb,
            )
            .unwrap();
        std::fs::write(out.join(format!("photo-{i}.jpg")), bytes).unwrap();
    });
}

/// A region of `photo` that moves with `i` (mirrored on odd `i`), at the
/// size asked.
fn crop_of(photo: &image::RgbImage, i: u32, width: u32, height: u32) -> Vec<u8> {
    let (pw, ph) = photo.dimensions();
    let (cw, ch) = (pw * 4 / 5, ph * 4 / 5);
    let x = (i * 37) % (pw - cw + 1);
    let y = (i * 53) % (ph - ch + 1);
    let mut part = image::imageops::crop_imm(photo, x, y, cw, ch).to_image();
    if i % 2 == 1 {
        image::imageops::flip_horizontal_in_place(&mut part);
    }
    image::imageops::resize(&part, width, height, image::imageops::FilterType::Triangle).into_raw()
}

fn synthetic(i: u32, width: u32, height: u32) -> Vec<u8> {
    let mut state = i.wrapping_mul(2_654_435_761) | 1;
    let phase = i as f32 * 0.7;
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let noise = (state % 9) as f32 - 4.0;
            let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
            let wave = ((fx * 9.0 + phase).sin() * (fy * 7.0 - phase).cos()) * 40.0;
            let r = 90.0 + 120.0 * fy + wave + noise;
            let g = 110.0 + 80.0 * fx - wave * 0.5 + noise;
            let b = 150.0 - 60.0 * fy + wave * 0.3 + noise;
            pixels.extend([r, g, b].map(|v| v.clamp(0.0, 255.0) as u8));
        }
    }
    pixels
}
