//! Removing metadata from uploaded PDFs (issue 14, P1.1.1): a scanned licence's PDF carries
//! its author, the software and computer that made it, creation and edit times, and often an
//! XMP packet with the same and more (document history, file paths). The file is parsed and
//! written again without:
//!
//! - the document information dictionary (the trailer's `/Info`);
//! - every XMP packet (`/Metadata`, on the catalogue, pages, images or fonts);
//! - applications' private data (`/PieceInfo`);
//! - earlier revisions (incremental updates): the rewritten file has one revision only.
//!
//! The pages, fonts and images are kept as they are. A password-protected PDF is refused: its
//! metadata cannot be read, nor can a reviewer open it.

use crate::error::Rule;
use lopdf::{Document, Object};

/// Keys whose values describe the document rather than draw it.
const DROPPED_KEYS: [&[u8]; 2] = [b"Metadata", b"PieceInfo"];

/// Objects a document may hold (the object graph is walked in quadratic time).
pub const MAX_OBJECTS: usize = 10_000;

/// The PDF without its metadata; `Err` names the rule the upload broke. The parser has no
/// limits of its own: the server runs this only in the helper process that
/// [`super::pdf_helper`] starts with limits, never in its own process.
pub fn strip_pdf(input: &[u8]) -> Result<Vec<u8>, Rule> {
    let mut doc = Document::load_mem(input).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => Rule::PdfEncrypted,
        _ => Rule::FileDamaged,
    })?;
    if doc.is_encrypted() || doc.trailer.has(b"Encrypt") {
        return Err(Rule::PdfEncrypted);
    }
    if doc.catalog().is_err() || doc.objects.len() > MAX_OBJECTS {
        return Err(Rule::FileDamaged);
    }
    doc.trailer.remove(b"Info");
    for object in doc.objects.values_mut() {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &mut s.dict,
            _ => continue,
        };
        for key in DROPPED_KEYS {
            dict.remove(key);
        }
    }
    // The information dictionary and the XMP streams are no longer referenced: gone.
    doc.prune_objects();
    let mut out = Vec::with_capacity(input.len());
    doc.save_to(&mut out).map_err(|_| Rule::FileDamaged)?;
    Ok(out)
}

#[doc(hidden)]
/// A one-page PDF (for the tests) with an information dictionary and an XMP packet naming its author, as
/// an office scanner writes it, with a correct cross-reference table.
pub fn sample_with_metadata() -> Vec<u8> {
    const DRAWING: &str = "0 0 m 100 100 l S";
    let xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><dc:creator>Zhang San</dc:creator>\
               <xmp:CreatorTool>Scanner-Serial-4471</xmp:CreatorTool></x:xmpmeta>";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R \
         /PieceInfo << /Scanner << /Private (C:/Users/zhangsan/scan.pdf) >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{DRAWING}\nendstream", DRAWING.len()),
        format!("<< /Type /Metadata /Subtype /XML /Length {} >>\nstream\n{xmp}\nendstream", xmp.len()),
        "<< /Author (Zhang San) /Creator (Scanner-Serial-4471) /CreationDate (D:20261130120000+08'00') >>"
            .to_string(),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(hay: &[u8], needle: &str) -> bool {
        hay.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    /// Issue 14: the author, the scanner and the private path are gone; the page is kept.
    #[test]
    fn p1_1_1_pdf_metadata_is_removed() {
        let input = sample_with_metadata();
        assert!(contains(&input, "Zhang San") && contains(&input, "Scanner-Serial-4471"));
        let out = strip_pdf(&input).expect("a valid PDF");
        for secret in [
            "Zhang San",
            "Scanner-Serial-4471",
            "zhangsan",
            "CreationDate",
            "/Info",
        ] {
            assert!(!contains(&out, secret), "{secret} survived");
        }
        let doc = Document::load_mem(&out).expect("still a PDF");
        assert_eq!(doc.get_pages().len(), 1);
        assert!(
            contains(&out, "0 0 m 100 100 l S"),
            "the page's drawing is kept"
        );
    }

    #[test]
    fn damaged_and_protected_pdfs_are_refused() {
        assert_eq!(strip_pdf(b"%PDF-1.7\nnot really"), Err(Rule::FileDamaged));
        let mut protected = sample_with_metadata();
        let at = protected.windows(7).position(|w| w == b"/Root 1").unwrap();
        protected.splice(
            at..at,
            b"/Encrypt << /Filter /Standard /V 1 /R 2 /O (x) /U (y) /P -4 >> "
                .iter()
                .copied(),
        );
        assert!(strip_pdf(&protected).is_err());
    }

    /// A PDF 1.5+ file with compressed object and cross-reference streams (as modern scanners
    /// write) is stripped too.
    #[test]
    fn a_modern_pdf_with_object_streams_is_stripped() {
        let mut doc = Document::load_mem(&sample_with_metadata()).expect("the sample");
        let mut modern = Vec::new();
        doc.save_modern(&mut modern)
            .expect("saved with object streams");
        assert!(contains(&modern, "/ObjStm") && contains(&modern, "/XRef"));
        let out = strip_pdf(&modern).expect("stripped");
        assert!(!contains(&out, "Zhang San"));
        assert_eq!(
            Document::load_mem(&out).expect("a PDF").get_pages().len(),
            1
        );
    }
}
