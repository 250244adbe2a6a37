//! A small RFC 4180 reader for the files users upload (payment batches, bank statements).
//! Shared, so the browser can pre-check a file with the server's own rules.

use crate::model::error::Rule;

/// A file that cannot be read as CSV at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvError {
    /// Neither UTF-8 nor GB18030; the line of the first byte that is not UTF-8.
    Encoding { line: u32 },
    /// A quoted field is never closed; the line where it starts.
    UnclosedQuote { line: u32 },
}

impl CsvError {
    pub fn rule(self) -> Rule {
        match self {
            CsvError::Encoding { .. } => Rule::Encoding,
            CsvError::UnclosedQuote { .. } => Rule::Format,
        }
    }
}

/// One record with the 1-based line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub line: u32,
    pub fields: Vec<String>,
}

/// The text of an uploaded file: UTF-8 (with or without a byte-order mark) is UTF-8; anything
/// else is read as GB18030, which is what zh-CN Excel saves as "CSV (逗号分隔)"; a file that is
/// neither is refused at the line of its first byte that is not UTF-8.
pub fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, CsvError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(std::borrow::Cow::Borrowed(text)),
        Err(e) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or_else(|| {
                let before = &bytes[..e.valid_up_to()];
                let line = before.iter().filter(|b| **b == b'\n').count() as u32 + 1;
                CsvError::Encoding { line }
            }),
    }
}

/// Decodes the file (see [`decode`]) and splits records. Blank lines are skipped.
pub fn read(bytes: &[u8]) -> Result<Vec<Record>, CsvError> {
    let text = decode(bytes)?;
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line: u32 = 1;
    let mut start_line: u32 = 1;
    let mut in_quotes = false;
    let mut quoted_field = false;
    let mut chars = text.chars().peekable();
    let mut finish = |fields: &mut Vec<String>, field: &mut String, start: u32| {
        fields.push(std::mem::take(field));
        let record = std::mem::take(fields);
        if !(record.len() == 1 && record[0].trim().is_empty()) {
            out.push(Record {
                line: start,
                fields: record,
            });
        }
    };
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() && !quoted_field => {
                field.clear();
                in_quotes = true;
                quoted_field = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                quoted_field = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                finish(&mut fields, &mut field, start_line);
                quoted_field = false;
                line += 1;
                start_line = line;
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(CsvError::UnclosedQuote { line: start_line });
    }
    if !field.is_empty() || !fields.is_empty() {
        finish(&mut fields, &mut field, start_line);
    }
    Ok(out)
}

/// Quotes a value for a CSV file we write. Cells that a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@` first) are prefixed with `'` (CSV injection).
pub fn escape(value: &str) -> String {
    let value =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.parse::<f64>().is_err() {
            format!("'{value}")
        } else {
            value.to_string()
        };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// Finds each wanted column in the header row by any of its names (case-insensitive).
/// Returns the index per wanted column, or the first required one that is missing.
pub fn columns<'a>(
    header: &[String],
    wanted: &[(&'a str, &[&str], bool)],
) -> Result<Vec<Option<usize>>, &'a str> {
    let norm: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut out = Vec::with_capacity(wanted.len());
    for (key, names, required) in wanted {
        let found = norm
            .iter()
            .position(|h| names.iter().any(|n| n.to_lowercase() == *h));
        if found.is_none() && *required {
            return Err(key);
        }
        out.push(found);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_newlines_and_bom() {
        let recs =
            read("\u{feff}a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"multi\nline\",z\n".as_bytes())
                .unwrap();
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[0].fields, vec!["a", "b"]);
        assert_eq!(recs[1].fields, vec!["x, y", "say \"hi\""]);
        assert_eq!(recs[1].line, 2);
        assert_eq!(recs[2].fields, vec!["multi\nline", "z"]);
        assert_eq!(recs[2].line, 4);
    }

    #[test]
    fn reads_gb18030_as_zh_cn_excel_saves_it() {
        // "姓名,金额\n张三,1.50\n" as zh-CN Excel saves "CSV (逗号分隔)": GB18030, no BOM.
        let (bytes, _, _) = encoding_rs::GB18030.encode("姓名,金额\n张三,1.50\n");
        assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
        let recs = read(&bytes).unwrap();
        assert_eq!(recs[0].fields, vec!["姓名", "金额"]);
        assert_eq!(recs[1].fields, vec!["张三", "1.50"]);
        // The same bytes written out by hand: 姓 = D0 D5, 名 = C3 FB.
        assert_eq!(decode(&[0xD0, 0xD5, 0xC3, 0xFB]).unwrap(), "姓名");
    }

    #[test]
    fn refuses_other_encodings_and_open_quotes() {
        // 0xFF starts no character in UTF-8 or GB18030: refused at its line.
        assert_eq!(
            read(b"a,b\nc,d\n\xFF\xFE,x\n"),
            Err(CsvError::Encoding { line: 3 })
        );
        assert_eq!(
            read(b"a\n\"open,b\n"),
            Err(CsvError::UnclosedQuote { line: 2 })
        );
    }

    #[test]
    fn escapes_for_spreadsheets() {
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape("a,b"), "\"a,b\"");
        assert_eq!(escape("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(escape("-12.50"), "-12.50");
    }

    #[test]
    fn finds_columns_by_any_name() {
        let header = vec!["姓名".to_string(), " Amount ".to_string()];
        let wanted: &[(&str, &[&str], bool)] = &[
            ("amount", &["amount", "金额"], true),
            ("name", &["name", "姓名"], true),
            ("remark", &["remark", "备注"], false),
        ];
        assert_eq!(columns(&header, wanted), Ok(vec![Some(1), Some(0), None]));
        let wanted: &[(&str, &[&str], bool)] = &[("mobile", &["mobile"], true)];
        assert_eq!(columns(&header, wanted), Err("mobile"));
    }
}
