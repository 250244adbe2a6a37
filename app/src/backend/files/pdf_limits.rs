//! Limits an uploaded PDF must keep before the parser sees it (issue 14, hardening).
//!
//! The PDF parser recurses into nested arrays and dictionaries without a limit, inflates
//! object and cross-reference streams without a limit, and walks the object graph in time
//! that grows with the square of the number of objects. A crafted upload could therefore
//! overflow the stack, exhaust memory or hold a core. This pass reads the raw file once, in
//! bounded memory, and refuses a file that nests deeper than [`MAX_DEPTH`], whose object and
//! cross-reference streams inflate to more than [`MAX_INFLATED`] in all, or that uses another
//! compression for them. (Scanned licences nest four or five levels and hold a few dozen
//! objects; these limits are far above any real document of that kind.)

use crate::error::Rule;
use std::io::Read;

/// Array and dictionary nesting allowed.
pub const MAX_DEPTH: usize = 32;
/// Bytes that object and cross-reference streams may inflate to, in all.
pub const MAX_INFLATED: u64 = 32 << 20;
/// Objects a document may hold (checked after parsing, before the graph is walked).
pub const MAX_OBJECTS: usize = 10_000;

/// `Ok` when the file keeps the limits.
pub fn check(input: &[u8]) -> Result<(), Rule> {
    let mut budget = MAX_INFLATED;
    scan(input, true, &mut budget)
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn delimiter(b: u8) -> bool {
    b.is_ascii_whitespace() || b"()<>[]{}/%".contains(&b)
}

/// Scans `data` (a file, or an object stream's inflated content when `!top`).
fn scan(data: &[u8], top: bool, budget: &mut u64) -> Result<(), Rule> {
    let mut depth = 0usize;
    // Where the dictionary open at depth 0 began (a stream's dictionary precedes it).
    let mut dict_start = 0usize;
    let mut i = 0usize;
    while i < data.len() {
        match data[i] {
            b'%' => {
                i = data[i..]
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .map_or(data.len(), |p| i + p);
            }
            b'(' => i = skip_literal(data, i),
            b'<' if data.get(i + 1) == Some(&b'<') => {
                if depth == 0 {
                    dict_start = i;
                }
                depth += 1;
                i += 1;
            }
            b'<' => i = find(data, b">", i).unwrap_or(data.len()),
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'>' if data.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b's' if top
                && data[i..].starts_with(b"stream")
                && (i == 0 || delimiter(data[i - 1]))
                && matches!(data.get(i + 6), Some(b'\r' | b'\n')) =>
            {
                let mut body = i + 6;
                if data.get(body) == Some(&b'\r') {
                    body += 1;
                }
                if data.get(body) == Some(&b'\n') {
                    body += 1;
                }
                let end = find(data, b"endstream", body).ok_or(Rule::FileDamaged)?;
                let dict = &data[dict_start.min(i)..i];
                let object_stream = find(dict, b"/ObjStm", 0).is_some();
                if object_stream || find(dict, b"/XRef", 0).is_some() {
                    let content = inflate(dict, &data[body..end], budget)?;
                    if object_stream {
                        scan(&content, false, budget)?;
                    }
                }
                i = end + "endstream".len();
                continue;
            }
            _ => {}
        }
        if depth > MAX_DEPTH {
            return Err(Rule::FileDamaged);
        }
        i += 1;
    }
    Ok(())
}

/// The end of the literal string opening at `at` (balanced parentheses, `\` escapes).
fn skip_literal(data: &[u8], at: usize) -> usize {
    let mut open = 0usize;
    let mut i = at;
    while i < data.len() {
        match data[i] {
            b'\\' => i += 1,
            b'(' => open += 1,
            b')' => {
                open -= 1;
                if open == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    data.len()
}

/// True when every filter the dictionary names is Flate (`/DecodeParms` is not a filter).
fn only_flate(dict: &[u8]) -> bool {
    let (mut any, mut from) = (false, 0);
    while let Some(p) = find(dict, b"Decode", from) {
        from = p + "Decode".len();
        if dict[from..].starts_with(b"Parms") {
            continue;
        }
        if p < 6 || &dict[p - 6..p] != b"/Flate" {
            return false;
        }
        any = true;
    }
    any
}

/// A stream's content inflated within the budget (Flate, or none). What a damaged stream
/// yields before its error is kept, as the parser keeps it.
fn inflate(dict: &[u8], raw: &[u8], budget: &mut u64) -> Result<Vec<u8>, Rule> {
    let mut out = Vec::new();
    if find(dict, b"/Filter", 0).is_none() {
        out.extend_from_slice(raw);
    } else if only_flate(dict) {
        let _ = flate2::read::ZlibDecoder::new(raw)
            .take(budget.saturating_add(1))
            .read_to_end(&mut out);
    } else {
        return Err(Rule::FileDamaged);
    }
    let used = out.len() as u64;
    if used > *budget {
        return Err(Rule::FileDamaged);
    }
    *budget -= used;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn xref_stream_pdf(content: &[u8], filter: &str) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4".to_vec();
        out.extend_from_slice(
            format!(" {filter} /Length {} >>\nstream\n", content.len()).as_bytes(),
        );
        out.extend_from_slice(content);
        out.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
        out
    }

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(data).unwrap();
        z.finish().unwrap()
    }

    /// Issue 14: a real document passes; deep nesting is refused, in the file or inside an
    /// object stream.
    #[test]
    fn nesting_beyond_the_limit_is_refused() {
        assert_eq!(check(&super::super::pdf::sample_with_metadata()), Ok(()));
        let deep = format!("%PDF-1.7\n1 0 obj\n{}\nendobj\n", "[".repeat(100_000));
        assert_eq!(check(deep.as_bytes()), Err(Rule::FileDamaged));
        let dicts = format!(
            "%PDF-1.7\n1 0 obj\n{}\nendobj\n",
            "<< /A ".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(check(dicts.as_bytes()), Err(Rule::FileDamaged));
        let fine = format!(
            "%PDF-1.7\n1 0 obj\n{}{}\nendobj\n",
            "[".repeat(8),
            "]".repeat(8)
        );
        assert_eq!(check(fine.as_bytes()), Ok(()));
        // Brackets inside strings, comments and ordinary streams do not count.
        let quoted = format!(
            "%PDF-1.7\n% {}\n1 0 obj\n({} \\) )\nendobj\n2 0 obj\n<< /Length 5 >>\nstream\n{}\nendstream\n",
            "[".repeat(99),
            "[".repeat(99),
            "[".repeat(99)
        );
        assert_eq!(check(quoted.as_bytes()), Ok(()));
        let hidden = deflate(format!("1 0 {}", "[".repeat(1000)).as_bytes());
        assert_eq!(
            check(&xref_stream_pdf(&hidden, "/Filter /FlateDecode")),
            Err(Rule::FileDamaged)
        );
    }

    /// Issue 14: an object stream that inflates beyond the budget (a "zip bomb") is refused
    /// without inflating it whole; other compressions of object streams are refused.
    #[test]
    fn inflation_beyond_the_budget_is_refused() {
        let bomb = deflate(&vec![b' '; (MAX_INFLATED + 1024) as usize]);
        assert!(bomb.len() < 100_000, "a small upload");
        assert_eq!(
            check(&xref_stream_pdf(&bomb, "/Filter /FlateDecode")),
            Err(Rule::FileDamaged)
        );
        let small = deflate(b"1 0 << /A [1 2 3] >>");
        assert_eq!(
            check(&xref_stream_pdf(&small, "/Filter /FlateDecode")),
            Ok(())
        );
        assert_eq!(
            check(&xref_stream_pdf(b"abc", "/Filter /LZWDecode")),
            Err(Rule::FileDamaged)
        );
    }

    /// A PDF 1.5+ file with compressed object and cross-reference streams (as modern
    /// scanners write) keeps the limits, and its metadata is still removed.
    #[test]
    fn a_modern_pdf_with_object_streams_passes() {
        let mut doc = lopdf::Document::load_mem(&super::super::pdf::sample_with_metadata())
            .expect("the sample");
        let mut modern = Vec::new();
        doc.save_modern(&mut modern)
            .expect("saved with object streams");
        assert!(find(&modern, b"/ObjStm", 0).is_some() && find(&modern, b"/XRef", 0).is_some());
        assert_eq!(check(&modern), Ok(()));
        let out = super::super::pdf::strip_pdf(&modern).expect("stripped");
        assert!(find(&out, b"Zhang San", 0).is_none());
        // And the parser is never reached with a file over the limits.
        let deep = format!("%PDF-1.7\n1 0 obj\n{}\nendobj\n", "[".repeat(1_000_000));
        assert_eq!(
            super::super::pdf::strip_pdf(deep.as_bytes()),
            Err(Rule::FileDamaged)
        );
    }
}
