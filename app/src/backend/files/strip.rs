//! Removing metadata from photos before they are stored (P1.1.1): GPS positions, camera
//! serial numbers, capture times and comments live in EXIF, XMP, IPTC and text chunks; only
//! what is needed to draw the picture is kept.
//!
//! JPEG: APP1-APP15 segments are dropped except an APP2 ICC colour profile and APP14 (Adobe
//! colour transform); COM segments are dropped; everything after the end-of-image marker
//! (maker previews, motion-photo videos, gain maps) is dropped. PNG: only the chunks that draw
//! the picture are kept. (EXIF orientation goes too: a rotated photo shows as taken.)

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the file is damaged or not a complete image")]
pub struct Malformed;

/// The largest side and area an uploaded image may declare (issue 14): the server never decodes
/// images, but a reviewer's browser does, and a few kilobytes can declare a picture that takes
/// gigabytes to draw.
pub const MAX_SIDE: u32 = 8_000;
pub const MAX_PIXELS: u64 = 40_000_000;

/// An image's declared width and height: PNG's `IHDR`, or a JPEG's first start-of-frame.
pub fn dimensions(input: &[u8]) -> Option<(u32, u32)> {
    if input.starts_with(PNG_SIGNATURE) {
        let ihdr = input.get(8..24)?;
        if &ihdr[4..8] != b"IHDR" {
            return None;
        }
        let w = u32::from_be_bytes([ihdr[8], ihdr[9], ihdr[10], ihdr[11]]);
        let h = u32::from_be_bytes([ihdr[12], ihdr[13], ihdr[14], ihdr[15]]);
        return Some((w, h));
    }
    if !input.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    loop {
        while input.get(i) == Some(&0xFF) && input.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let (&ff, &marker) = (input.get(i)?, input.get(i + 1)?);
        if ff != 0xFF || marker == 0xD9 || marker == 0xDA {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([*input.get(i + 2)?, *input.get(i + 3)?]));
        // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let h = u16::from_be_bytes([*input.get(i + 5)?, *input.get(i + 6)?]);
            let w = u16::from_be_bytes([*input.get(i + 7)?, *input.get(i + 8)?]);
            return Some((u32::from(w), u32::from(h)));
        }
        i = i.checked_add(2 + len)?;
    }
}

/// Whether declared dimensions are within [`MAX_SIDE`] and [`MAX_PIXELS`].
pub fn dimensions_allowed((w, h): (u32, u32)) -> bool {
    w <= MAX_SIDE && h <= MAX_SIDE && u64::from(w) * u64::from(h) <= MAX_PIXELS
}

pub fn strip_jpeg(input: &[u8]) -> Result<Vec<u8>, Malformed> {
    if !input.starts_with(&[0xFF, 0xD8]) {
        return Err(Malformed);
    }
    let mut out = Vec::with_capacity(input.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    loop {
        // Fill bytes (0xFF) may precede a marker.
        while input.get(i) == Some(&0xFF) && input.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        if input.get(i) != Some(&0xFF) {
            return Err(Malformed);
        }
        let marker = *input.get(i + 1).ok_or(Malformed)?;
        match marker {
            // End of image: anything after it (trailers, appended files) is dropped.
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(out);
            }
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&input[i..i + 2]);
                i += 2;
                continue;
            }
            _ => {}
        }
        let len = u16::from_be_bytes([
            *input.get(i + 2).ok_or(Malformed)?,
            *input.get(i + 3).ok_or(Malformed)?,
        ]) as usize;
        if len < 2 || i + 2 + len > input.len() {
            return Err(Malformed);
        }
        let segment = &input[i..i + 2 + len];
        let payload = &segment[4..];
        let keep = match marker {
            // APP2 only as an ICC colour profile (not as a multi-picture index, whose extra
            // images carry their own EXIF).
            0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
            0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
            _ => true,
        };
        if keep {
            out.extend_from_slice(segment);
        }
        i += 2 + len;
        if marker == 0xDA {
            // Start of scan: copy the compressed data up to the next marker (progressive
            // images have several scans with tables between them).
            i = copy_scan(input, i, &mut out)?;
        }
    }
}

/// Copies entropy-coded data from `i` to the next real marker; returns that marker's index.
fn copy_scan(input: &[u8], mut i: usize, out: &mut Vec<u8>) -> Result<usize, Malformed> {
    let start = i;
    loop {
        let b = *input.get(i).ok_or(Malformed)?;
        if b == 0xFF {
            match *input.get(i + 1).ok_or(Malformed)? {
                // Stuffed zero and restart markers belong to the data.
                0x00 | 0xD0..=0xD7 => i += 2,
                // A fill byte before a marker.
                0xFF => i += 1,
                _ => {
                    out.extend_from_slice(&input[start..i]);
                    return Ok(i);
                }
            }
        } else {
            i += 1;
        }
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

pub fn strip_png(input: &[u8]) -> Result<Vec<u8>, Malformed> {
    if !input.starts_with(PNG_SIGNATURE) {
        return Err(Malformed);
    }
    let mut out = Vec::with_capacity(input.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut i = PNG_SIGNATURE.len();
    loop {
        let header = input.get(i..i + 8).ok_or(Malformed)?;
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = &header[4..8];
        let end = i
            .checked_add(12)
            .and_then(|v| v.checked_add(len))
            .ok_or(Malformed)?;
        let chunk = input.get(i..end).ok_or(Malformed)?;
        // An allow-list: what draws the picture and its colours. Text, EXIF, time stamps,
        // content credentials and vendor chunks go.
        let keep = matches!(
            kind,
            b"IHDR"
                | b"PLTE"
                | b"IDAT"
                | b"IEND"
                | b"tRNS"
                | b"gAMA"
                | b"cHRM"
                | b"sRGB"
                | b"iCCP"
                | b"sBIT"
                | b"bKGD"
                | b"pHYs"
        );
        if keep {
            out.extend_from_slice(chunk);
        }
        i = end;
        if kind == b"IEND" {
            return Ok(out);
        }
    }
}

/// P1.1.1: photos lose their metadata (GPS included) before storage.
#[cfg(test)]
pub mod tests {
    use super::*;

    /// A PNG that declares `w`×`h` (its IHDR only: enough for the check).
    pub fn png_declaring(w: u32, h: u32) -> Vec<u8> {
        let mut p = PNG_SIGNATURE.to_vec();
        p.extend_from_slice(&13u32.to_be_bytes());
        p.extend_from_slice(b"IHDR");
        p.extend_from_slice(&w.to_be_bytes());
        p.extend_from_slice(&h.to_be_bytes());
        p.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        p
    }

    /// Issue 14: declared dimensions are read from PNG and JPEG headers, and a picture larger
    /// than 8000 px a side or 40 megapixels (a decompression bomb) is refused.
    #[test]
    fn image_dimensions_are_read_and_limited() {
        let small = crate::backend::files::png::encode_rgb(3, 2, |_, _| [0, 0, 0]);
        assert_eq!(dimensions(&small), Some((3, 2)));
        assert_eq!(
            dimensions(&png_declaring(100_000, 100_000)),
            Some((100_000, 100_000))
        );
        assert!(!dimensions_allowed((100_000, 100_000)));
        assert!(!dimensions_allowed((7_000, 7_000)), "49 megapixels");
        assert!(dimensions_allowed((8_000, 5_000)));
        // A JPEG: APP0, then a baseline start-of-frame naming 600×400 (height first).
        let mut j = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00];
        j.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x90, 0x02, 0x58]);
        assert_eq!(dimensions(&j), Some((600, 400)));
        assert_eq!(dimensions(b"not an image"), None);
    }

    /// A minimal JPEG: SOI, APP0 JFIF, APP1 EXIF with a GPS tag, COM, DQT, SOS + data, EOI.
    pub fn jpeg_with_exif() -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
        j.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let exif = b"Exif\0\0MM\0*GPSLatitude=26.07N;GPSLongitude=119.30E";
        j.extend_from_slice(&[0xFF, 0xE1]);
        j.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        j.extend_from_slice(exif);
        let com = b"shot by Alice's phone";
        j.extend_from_slice(&[0xFF, 0xFE]);
        j.extend_from_slice(&((com.len() + 2) as u16).to_be_bytes());
        j.extend_from_slice(com);
        j.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x04, 0x00, 0x01]);
        j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 0x01, 0x00]);
        j.extend_from_slice(&[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78]);
        j.extend_from_slice(&[0xFF, 0xD9]);
        j
    }

    pub fn png_with_text() -> Vec<u8> {
        fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        }
        let mut p = PNG_SIGNATURE.to_vec();
        p.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
        p.extend(chunk(b"tEXt", b"GPS\0lat=26.07"));
        p.extend(chunk(b"eXIf", b"MM\0*GPSLatitude"));
        p.extend(chunk(b"IDAT", &[1, 2, 3]));
        p.extend(chunk(b"IEND", &[]));
        p
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn p1_1_1_jpeg_exif_and_comments_are_removed() {
        let input = jpeg_with_exif();
        let out = strip_jpeg(&input).unwrap();
        assert!(!contains(&out, b"GPS"));
        assert!(!contains(&out, b"Alice"));
        assert!(contains(&out, b"JFIF"), "APP0 stays");
        // The picture data is untouched.
        assert!(out.ends_with(&[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0xFF, 0xD9]));
        assert_eq!(strip_jpeg(&out).unwrap(), out, "idempotent");
    }

    #[test]
    fn p1_1_1_trailing_images_and_multi_picture_indexes_are_removed() {
        let mut input = jpeg_with_exif();
        // An APP2 multi-picture index before the scan, and a second JPEG with EXIF appended.
        let mpf = b"MPF\0pointer to GPS image";
        let mut app2 = vec![0xFF, 0xE2];
        app2.extend_from_slice(&((mpf.len() + 2) as u16).to_be_bytes());
        app2.extend_from_slice(mpf);
        input.splice(2..2, app2);
        input.extend_from_slice(&jpeg_with_exif());
        let out = strip_jpeg(&input).unwrap();
        assert!(!contains(&out, b"GPS") && !contains(&out, b"MPF"));
        assert!(out.ends_with(&[0xFF, 0xD9]));
        assert_eq!(
            out.iter().filter(|b| **b == 0xD8).count(),
            1,
            "one image only"
        );
    }

    #[test]
    fn progressive_scans_keep_their_tables() {
        let mut j = vec![0xFF, 0xD8];
        j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x03, 0x01, 0x11, 0xFF, 0x00, 0x22]);
        j.extend_from_slice(&[0xFF, 0xC4, 0x00, 0x03, 0x05]);
        j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x03, 0x02, 0x33]);
        j.extend_from_slice(&[0xFF, 0xD9]);
        assert_eq!(strip_jpeg(&j).unwrap(), j);
    }

    #[test]
    fn p1_1_1_png_text_and_exif_chunks_are_removed() {
        let out = strip_png(&png_with_text()).unwrap();
        assert!(!contains(&out, b"GPS"));
        assert!(contains(&out, b"IHDR") && contains(&out, b"IDAT") && contains(&out, b"IEND"));
    }

    #[test]
    fn truncated_files_are_refused() {
        let j = jpeg_with_exif();
        assert_eq!(strip_jpeg(&j[..10]), Err(Malformed));
        let p = png_with_text();
        assert_eq!(strip_png(&p[..20]), Err(Malformed));
        assert_eq!(strip_png(b"not a png"), Err(Malformed));
    }
}
