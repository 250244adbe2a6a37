//! Building a copy of one's data (issue 16 §3, P6.1): a ZIP written as a stream into a file
//! sealed in 64 KiB frames ([`SealWriter`]), so memory stays flat whatever the size. Rows come
//! from one read-only snapshot, streamed from the database; the ZIP's writing (compression and
//! the file) runs on the blocking pool a batch at a time.
//!
//! The archive:
//! - `data/<category>.json`: one file per data-map category, `{"format", "category",
//!   "tables": {"<table>": {"purpose", "legal_basis", "retention", "rows": [...]}}}`; a row has
//!   the table's context columns (its key and times, RFC 3339 UTC) and the category's
//!   exportable columns (encrypted ones opened, named without `_enc`); amounts are integer fen;
//! - `csv/<table>.csv`: every exportable column of each table (UTF-8 with a byte-order mark);
//! - `files/`: the files uploaded (application documents, the WeChat avatar);
//! - `schema.json`: the data map's entries for the tables in the copy;
//! - `index.html`: what is where, in the requester's language.

mod rows;

use super::sources::{Source, SOURCES};
use crate::backend::files::sealed_stream::SealWriter;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::i18n::receipt::esc;
use crate::i18n::rights as words;
use crate::i18n::{data_category_label, Lang, RightsMsg, Translate};
use crate::model::data_map::{self, Category, Field, TableMap};
use crate::model::UtcMillis;
use futures_util::TryStreamExt;
use rows::{csv_row, json_row, outs, Out};
use sqlx::Row;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

/// Whose data a copy holds.
#[derive(Clone, Copy, Debug)]
pub enum Whose<'a> {
    Person(&'a str),
    Enterprise(&'a str),
}

/// How the copy is labelled and where progress goes.
pub struct Job<'a> {
    pub export_id: &'a str,
    /// The builder's claim, renewed with each progress report.
    pub claim: &'a str,
    pub whose: Whose<'a>,
    /// The person's or enterprise's name, for the index.
    pub name: &'a str,
    pub lang: Lang,
}

type Zip = ZipWriter<StreamWriter<SealWriter<BufWriter<std::fs::File>>>>;

/// The archive being written; each step runs on the blocking pool.
struct Sink {
    zip: Option<Zip>,
    options: SimpleFileOptions,
}

impl Sink {
    async fn run<F>(&mut self, f: F) -> AppResult<()>
    where
        F: FnOnce(&mut Zip) -> std::io::Result<()> + Send + 'static,
    {
        let mut zip = self
            .zip
            .take()
            .ok_or_else(|| AppError::internal("the archive failed earlier"))?;
        let zip = tokio::task::spawn_blocking(move || f(&mut zip).map(|_| zip))
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)?;
        self.zip = Some(zip);
        Ok(())
    }

    async fn start(&mut self, name: String) -> AppResult<()> {
        let options = self.options;
        self.run(move |z| z.start_file(name, options).map_err(std::io::Error::other))
            .await
    }

    async fn write(&mut self, bytes: Vec<u8>) -> AppResult<()> {
        self.run(move |z| z.write_all(&bytes)).await
    }

    /// Finishes the ZIP and the sealed file; the plaintext size.
    async fn finish(mut self) -> AppResult<u64> {
        let zip = self
            .zip
            .take()
            .ok_or_else(|| AppError::internal("the archive failed earlier"))?;
        tokio::task::spawn_blocking(move || -> std::io::Result<u64> {
            let sealed = zip.finish().map_err(std::io::Error::other)?.into_inner();
            let size = sealed.written;
            let file = sealed.finish()?.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            Ok(size)
        })
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
    }
}

/// One table of the copy: its map, its source, the predicate for the subject, and the
/// columns read (context, exportable fields, cipher keys, file columns).
struct Part {
    map: &'static TableMap,
    source: &'static Source,
    predicate: &'static str,
    fields: Vec<&'static Field>,
    columns: Vec<&'static str>,
    /// The context columns, then the exportable fields, as shown.
    outs: Vec<Out>,
    rows: i64,
}

impl Part {
    fn sql(&self) -> String {
        let cols: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("CAST({c} AS TEXT)"))
            .collect();
        format!(
            "SELECT {} FROM {} WHERE {} ORDER BY {}",
            cols.join(", "),
            self.map.table,
            self.predicate,
            self.source.context.first().copied().unwrap_or("1")
        )
    }
}

fn plan(whose: Whose<'_>) -> Vec<Part> {
    let mut parts = Vec::new();
    for source in SOURCES {
        let predicate = match whose {
            Whose::Person(_) => source.person,
            Whose::Enterprise(_) => source.enterprise,
        };
        let (Some(predicate), Some(map)) = (predicate, data_map::table(source.table)) else {
            continue;
        };
        let fields = source.exported(matches!(whose, Whose::Enterprise(_)));
        let mut columns: Vec<&str> = source.context.to_vec();
        let extra = fields
            .iter()
            .map(|f| f.column)
            .chain(source.sealed.iter().map(|(_, k)| *k))
            .chain(source.file.iter().flat_map(|(k, id)| [*k, *id]));
        for c in extra {
            if !columns.contains(&c) {
                columns.push(c);
            }
        }
        let outs = outs(&columns, source, &fields);
        parts.push(Part {
            map,
            source,
            predicate,
            fields,
            columns,
            outs,
            rows: 0,
        });
    }
    parts
}

/// A code as serde writes it (`snake_case`).
fn code<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Progress, written at most every 2 % (or at the end).
struct Progress<'a> {
    state: &'a AppState,
    export_id: &'a str,
    claim: &'a str,
    done: i64,
    total: i64,
    saved: i64,
}

impl Progress<'_> {
    async fn add(&mut self, n: i64) -> AppResult<()> {
        self.done += n;
        if (self.done - self.saved) * 50 >= self.total.max(1) {
            self.save().await?;
        }
        Ok(())
    }

    async fn save(&mut self) -> AppResult<()> {
        super::renew(
            self.state,
            self.export_id,
            self.claim,
            self.done,
            self.total,
        )
        .await?;
        self.saved = self.done;
        Ok(())
    }
}

/// Bytes gathered before a batch is handed to the archive.
const BATCH_BYTES: usize = 256 * 1024;

/// Builds the copy into `path` (created; the caller renames it into place). Returns the ZIP's
/// size in bytes.
pub async fn build(state: &AppState, job: &Job<'_>, path: &Path) -> AppResult<u64> {
    let subject_id = match job.whose {
        Whose::Person(id) | Whose::Enterprise(id) => id.to_string(),
    };
    let file = std::fs::File::create(path).map_err(AppError::internal)?;
    let sealed = SealWriter::new(
        BufWriter::with_capacity(128 * 1024, file),
        Arc::clone(&state.cipher),
        &format!("privacy_export:{}", job.export_id),
    );
    let mut sink = Sink {
        zip: Some(ZipWriter::new_stream(sealed)),
        // Fast deflate: a copy's text compresses well at level 1, and its time goes to the
        // people waiting for it.
        options: SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(1))
            .last_modified_time(zip_time(state.clock.now())),
    };
    // One moment for every pass.
    let mut tx = state.db.begin_snapshot().await?;
    let mut parts = plan(job.whose);
    let mut total = 0;
    for p in &mut parts {
        let sql = format!("SELECT COUNT(*) FROM {} WHERE {}", p.map.table, p.predicate);
        p.rows = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(&subject_id)
            .fetch_one(&mut *tx)
            .await?;
        let categories = categories_of(&p.fields).len() as i64;
        total += p.rows * (categories + 1) + i64::from(p.source.file.is_some()) * p.rows;
    }
    let mut progress = Progress {
        state,
        export_id: job.export_id,
        claim: job.claim,
        done: 0,
        total,
        saved: 0,
    };
    progress.save().await?;

    // One JSON file per category.
    let mut categories: Vec<Category> = Vec::new();
    for p in &parts {
        for c in categories_of(&p.fields) {
            if !categories.contains(&c) {
                categories.push(c);
            }
        }
    }
    for cat in &categories {
        sink.start(format!("data/{}.json", code(cat))).await?;
        let head = format!(
            "{{\"format\":\"esp-copy/1\",\"category\":{},\"tables\":{{",
            serde_json::Value::String(code(cat))
        );
        sink.write(head.into_bytes()).await?;
        let mut first_table = true;
        for p in parts
            .iter()
            .filter(|p| categories_of(&p.fields).contains(cat))
        {
            // The context columns and this category's fields.
            let cols: Vec<&Out> = p
                .outs
                .iter()
                .filter(|o| o.category.is_none() || o.category == Some(*cat))
                .collect();
            let mut buf = format!(
                "{}{}:{{\"purpose\":\"{}\",\"legal_basis\":\"{}\",\"retention\":{},\"rows\":[",
                if first_table { "" } else { "," },
                serde_json::Value::String(p.map.table.to_string()),
                code(&p.map.purpose),
                code(&p.map.basis()),
                serde_json::to_string(&p.map.retention).map_err(AppError::internal)?,
            );
            first_table = false;
            let mut first_row = true;
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(p.sql()))
                .bind(&subject_id)
                .fetch(&mut *tx);
            let mut n = 0;
            while let Some(row) = rows.try_next().await? {
                let values = read_row(&row, p.columns.len())?;
                if !first_row {
                    buf.push(',');
                }
                first_row = false;
                json_row(&mut buf, state, p, &values, &cols);
                buf.push('\n');
                n += 1;
                if buf.len() >= BATCH_BYTES {
                    sink.write(std::mem::take(&mut buf).into_bytes()).await?;
                    progress.add(std::mem::take(&mut n)).await?;
                }
            }
            drop(rows);
            buf.push_str("]}");
            sink.write(buf.into_bytes()).await?;
            progress.add(n).await?;
        }
        sink.write(b"}}\n".to_vec()).await?;
    }

    // One CSV file per table.
    for p in parts.iter().filter(|p| p.rows > 0) {
        sink.start(format!("csv/{}.csv", p.map.table)).await?;
        let header: Vec<&str> = p.outs.iter().map(|o| o.name).collect();
        let mut buf = format!("\u{feff}{}\r\n", header.join(","));
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(p.sql()))
            .bind(&subject_id)
            .fetch(&mut *tx);
        let mut n = 0;
        while let Some(row) = rows.try_next().await? {
            let values = read_row(&row, p.columns.len())?;
            csv_row(&mut buf, state, p, &values);
            n += 1;
            if buf.len() >= BATCH_BYTES {
                sink.write(std::mem::take(&mut buf).into_bytes()).await?;
                progress.add(std::mem::take(&mut n)).await?;
            }
        }
        drop(rows);
        sink.write(buf.into_bytes()).await?;
        progress.add(n).await?;
    }

    // The files uploaded: listed in the snapshot, then read (the snapshot ends first, as
    // reading and compressing files may take longer than a transaction may sit idle).
    let mut listed: Vec<(&str, String, String, String)> = Vec::new();
    for p in parts.iter().filter(|p| p.rows > 0) {
        let Some((key_col, id_col)) = p.source.file else {
            continue;
        };
        let name_col = if p.map.table == "stored_files" {
            "original_name"
        } else {
            "''"
        };
        let sql = format!(
            "SELECT {key_col}, {id_col}, {name_col} FROM {} WHERE {} AND {key_col} IS NOT NULL",
            p.map.table, p.predicate
        );
        let found: Vec<(String, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&subject_id)
            .fetch_all(&mut *tx)
            .await?;
        listed.extend(found.into_iter().map(|(k, id, n)| (p.map.table, k, id, n)));
    }
    tx.rollback().await?;
    let mut files: Vec<String> = Vec::new();
    for (table, key, id, original) in listed {
        // Removed since its row was read: nothing to copy.
        let Some(bytes) = crate::backend::files::open_sealed(state, &key, &id).await? else {
            continue;
        };
        let name = format!("files/{}", file_name(table, &id, &original, &bytes));
        sink.start(name.clone()).await?;
        sink.write(bytes).await?;
        files.push(name);
        progress.add(1).await?;
    }

    // What the copy holds: the map's entries for its tables.
    sink.start("schema.json".into()).await?;
    let tables: Vec<&TableMap> = parts.iter().map(|p| p.map).collect();
    let schema = serde_json::json!({
        "format": "esp-copy/1",
        "about": "data/<category>.json: {format, category, tables: {<table>: {purpose, legal_basis, retention, rows: [{<column>: value}]}}}. Columns ending in _enc in the map are shown opened, without the suffix. Times are RFC 3339 UTC; amounts (category transaction) are integer fen.",
        "tables": tables,
    });
    sink.write(serde_json::to_vec_pretty(&schema).map_err(AppError::internal)?)
        .await?;

    sink.start("index.html".into()).await?;
    let index = index_html(job, state.clock.now(), &parts, &categories, &files);
    sink.write(index.into_bytes()).await?;
    progress.save().await?;
    sink.finish().await
}

fn read_row(row: &sqlx::any::AnyRow, n: usize) -> AppResult<Vec<Option<String>>> {
    (0..n)
        .map(|i| row.try_get::<Option<String>, _>(i))
        .collect::<Result<_, _>>()
        .map_err(AppError::from)
}

fn categories_of(fields: &[&Field]) -> Vec<Category> {
    let mut out: Vec<Category> = Vec::new();
    for f in fields {
        if !out.contains(&f.category) {
            out.push(f.category);
        }
    }
    out
}

/// A file's name in the archive: its id, then its original name made safe (letters, digits,
/// CJK, `.-_` only), or the kind its bytes show.
fn file_name(table: &str, id: &str, original: &str, bytes: &[u8]) -> String {
    let safe: String = original
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    let short = &id[..id.len().min(12)];
    if table == "stored_files" && !safe.trim_matches('.').is_empty() {
        return format!("{short}-{safe}");
    }
    let ext = if bytes.starts_with(b"\x89PNG") {
        "png"
    } else if bytes.starts_with(b"%PDF") {
        "pdf"
    } else if let Some(kind) = crate::model::invoice::InvoiceFile::sniff(bytes) {
        // An invoice's OFD or XML file (issue 17).
        kind.extension()
    } else {
        "jpg"
    };
    format!("{table}-{short}.{ext}")
}

fn zip_time(now: UtcMillis) -> zip::DateTime {
    let (y, mo, d, h, mi, s) = now.china_parts();
    zip::DateTime::from_date_and_time(
        u16::try_from(y).unwrap_or(1980),
        mo as u8,
        d as u8,
        h as u8,
        mi as u8,
        s as u8,
    )
    .unwrap_or_default()
}

/// `index.html`: what the copy holds, for a person to read.
fn index_html(
    job: &Job<'_>,
    now: UtcMillis,
    parts: &[Part],
    categories: &[Category],
    files: &[String],
) -> String {
    let l = job.lang;
    let title = RightsMsg::CopyIndexTitle.text(l);
    let mut html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}td,th{{padding:.25rem .75rem;text-align:left;border-bottom:1px solid #ddd}}</style></head><body>\
         <h1>{title}</h1><p>{}</p><p>{}</p><table><tbody>",
        l.code(),
        esc(&words::copy_index_subject(l, job.name, now.china_display())),
        esc(RightsMsg::CopyIndexIntro.text(l)),
    );
    for cat in categories {
        let rows: i64 = parts
            .iter()
            .filter(|p| p.fields.iter().any(|f| f.category == *cat))
            .map(|p| p.rows)
            .sum();
        let name = format!("data/{}.json", code(cat));
        html.push_str(&format!(
            "<tr><td>{}</td><td><a href=\"{name}\">{name}</a></td><td>{rows} {}</td></tr>",
            esc(data_category_label(*cat).text(l)),
            esc(RightsMsg::CopyIndexRows.text(l)),
        ));
    }
    html.push_str(&format!(
        "</tbody></table><h2>{}</h2><ul>",
        esc(RightsMsg::CopyIndexTables.text(l))
    ));
    for p in parts.iter().filter(|p| p.rows > 0) {
        let name = format!("csv/{}.csv", p.map.table);
        html.push_str(&format!(
            "<li><a href=\"{name}\">{name}</a> ({} {})</li>",
            p.rows,
            esc(RightsMsg::CopyIndexRows.text(l))
        ));
    }
    html.push_str(&format!(
        "</ul><h2>{}</h2><ul>",
        esc(RightsMsg::CopyIndexFiles.text(l))
    ));
    for f in files {
        html.push_str(&format!("<li><a href=\"{0}\">{0}</a></li>", esc(f)));
    }
    html.push_str("</ul><p><a href=\"schema.json\">schema.json</a></p></body></html>\n");
    html
}
