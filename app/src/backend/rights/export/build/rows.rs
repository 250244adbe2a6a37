//! A copy's rows as shown (issue 16 §3, P6.1): which stored columns are shown how (times,
//! amounts, opened ciphertexts), and a row written as a JSON object or a CSV line.

use super::super::sources::Source;
use super::Part;
use crate::backend::AppState;
use crate::model::data_map::{Category, Field};
use crate::model::UtcMillis;

/// The exportable columns that hold integer amounts (fen) or counts, shown as JSON numbers;
/// other text (a memo, a remark) stays text.
pub(super) const AMOUNTS: &[&str] = &[
    "amount",
    "balance",
    "balance_after",
    "bank_fee",
    "credited",
    "fee",
    "tax",
    "received",
    "opening",
    "topups",
    "payments",
    "fees",
    "refunds",
    "transfers",
    "closing",
    "order_count",
    "total_amount",
    "total_fee",
];

/// How a column's stored text is shown.
#[derive(Clone, Copy)]
enum Show {
    Text,
    /// UTC milliseconds, as RFC 3339.
    Time,
    /// An amount in fen, as a JSON number.
    Number,
    /// Encrypted: opened with the context completed by the value of column `key`.
    Sealed {
        key: usize,
    },
}

/// One output column: its name (quoted for JSON), where it is read, and how it is shown.
pub(super) struct Out {
    pub(super) name: &'static str,
    json_key: String,
    at: usize,
    show: Show,
    column: &'static str,
    pub(super) category: Option<Category>,
}

pub(super) fn outs(
    part_columns: &[&'static str],
    source: &Source,
    fields: &[&'static Field],
) -> Vec<Out> {
    let at = |c: &str| {
        part_columns
            .iter()
            .position(|x| *x == c)
            .unwrap_or_default()
    };
    let context = source.context.iter().map(|c| (*c, None));
    let fields = fields.iter().map(|f| (f.column, Some(f.category)));
    context
        .chain(fields)
        .map(|(column, category)| {
            let show = if column.ends_with("_enc") {
                Show::Sealed {
                    key: at(source.seal_key(column).unwrap_or("id")),
                }
            } else if column.ends_with("_at") || column == "at" {
                Show::Time
            } else if category == Some(Category::Transaction) && AMOUNTS.contains(&column) {
                Show::Number
            } else {
                Show::Text
            };
            let name = out_name(column);
            Out {
                name,
                json_key: json_string(name),
                at: at(column),
                show,
                column,
                category,
            }
        })
        .collect()
}

/// `s` as a JSON string.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_json_string(&mut out, s);
    out
}

fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// What a copy shows of one stored value: `None` for null.
enum Shown {
    Null,
    Text(String),
    Number(i64),
}

fn shown(state: &AppState, part: &Part, row: &[Option<String>], out: &Out) -> Shown {
    let Some(v) = &row[out.at] else {
        return Shown::Null;
    };
    match out.show {
        // An empty sealed column holds nothing (an e-mail's SMS content).
        Show::Sealed { .. } if v.is_empty() => Shown::Null,
        Show::Sealed { key } => {
            let key_value = row[key].as_deref().unwrap_or_default();
            let context = part.source.seal_context(out.column, key_value);
            match state.cipher.decrypt_text(v, &context) {
                Ok(plain) => Shown::Text(plain),
                Err(e) => {
                    tracing::warn!(table = part.map.table, column = out.column, error = %e, "a value in a copy could not be opened");
                    Shown::Null
                }
            }
        }
        Show::Time => match v.parse::<i64>() {
            Ok(ms) => Shown::Text(UtcMillis(ms).rfc3339()),
            Err(_) => Shown::Text(v.clone()),
        },
        Show::Number => match v.parse::<i64>() {
            Ok(n) => Shown::Number(n),
            Err(_) => Shown::Text(v.clone()),
        },
        Show::Text => Shown::Text(v.clone()),
    }
}

fn out_name(column: &str) -> &str {
    column.strip_suffix("_enc").unwrap_or(column)
}

/// Appends a row as a JSON object of the given output columns.
pub(super) fn json_row(
    buf: &mut String,
    state: &AppState,
    part: &Part,
    row: &[Option<String>],
    cols: &[&Out],
) {
    buf.push('{');
    for (i, out) in cols.iter().enumerate() {
        if i > 0 {
            buf.push(',');
        }
        buf.push_str(&out.json_key);
        buf.push(':');
        match shown(state, part, row, out) {
            Shown::Null => buf.push_str("null"),
            Shown::Text(t) => push_json_string(buf, &t),
            Shown::Number(n) => buf.push_str(&n.to_string()),
        }
    }
    buf.push('}');
}

/// Appends a row as a CSV line of every output column.
pub(super) fn csv_row(buf: &mut String, state: &AppState, part: &Part, row: &[Option<String>]) {
    for (i, out) in part.outs.iter().enumerate() {
        if i > 0 {
            buf.push(',');
        }
        match shown(state, part, row, out) {
            Shown::Null => {}
            Shown::Text(t) => buf.push_str(&crate::model::csv::escape(&t)),
            Shown::Number(n) => buf.push_str(&n.to_string()),
        }
    }
    buf.push_str("\r\n");
}
