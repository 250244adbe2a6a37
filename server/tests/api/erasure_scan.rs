//! The deletion test's scan (issue 16 §5, P6.3): every row of every table of the live schema,
//! each value as text, and a search of them for a person's values with sealed columns opened.

use crate::helpers::TestApp;
use app::backend::db::Engine;
use sqlx::Row;
use std::collections::BTreeSet;

/// A table's name, its columns, and its rows (each value as text, `None` for NULL).
pub type Dumped = (String, Vec<String>, Vec<Vec<Option<String>>>);

/// Every row of every table.
pub async fn dump(app: &TestApp) -> Vec<Dumped> {
    let (columns, _) = match app.db.engine() {
        Engine::Sqlite => crate::schema::sqlite_schema(&app.db).await,
        Engine::Postgres => crate::schema::postgres_schema(&app.db).await,
    };
    let tables: BTreeSet<&String> = columns.iter().map(|(t, _, _)| t).collect();
    let mut out = Vec::new();
    for table in tables {
        let names: Vec<String> = columns
            .iter()
            .filter(|(t, _, _)| t == table)
            .map(|(_, c, _)| c.clone())
            .collect();
        let select = names
            .iter()
            .map(|c| format!("CAST(\"{c}\" AS TEXT)"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {select} FROM \"{table}\""
        )))
        .fetch_all(app.db.pool())
        .await
        .unwrap();
        let rows = rows
            .iter()
            .map(|r| {
                (0..names.len())
                    .map(|i| r.try_get::<Option<String>, _>(i).unwrap())
                    .collect()
            })
            .collect();
        out.push((table.clone(), names, rows));
    }
    out
}

/// A sealed value opened with the context its table gives it (`{table}.{column without
/// _enc}:{a value of the row}`; a transfer's number is sealed as the withdrawal account's, an
/// operator's second-factor secret as `operators.totp`), if any opens it.
fn open(
    app: &TestApp,
    table: &str,
    column: &str,
    value: &str,
    row: &[Option<String>],
) -> Option<String> {
    let stem = column.strip_suffix("_enc").unwrap_or(column);
    let stem = if column == "totp_secret_enc" {
        "totp"
    } else {
        stem
    };
    let stems = [
        format!("{table}.{stem}"),
        format!("withdrawal_accounts.{stem}"),
    ];
    row.iter().flatten().find_map(|key| {
        stems.iter().find_map(|s| {
            app.state
                .cipher
                .decrypt_text(value, &format!("{s}:{key}"))
                .ok()
        })
    })
}

/// Where any of `needles` is found: `table.column` (sealed columns opened first). Sealed
/// values that no context opens are named too, so the scan cannot pass by not looking.
pub fn scan(
    app: &TestApp,
    dumped: &[Dumped],
    needles: &[String],
) -> (Vec<String>, BTreeSet<String>) {
    let mut found = Vec::new();
    let mut unopened = BTreeSet::new();
    for (table, names, rows) in dumped {
        for row in rows {
            for (i, value) in row.iter().enumerate() {
                let Some(value) = value else { continue };
                let column = &names[i];
                let sealed = column.ends_with("_enc") && !value.is_empty();
                let text = if sealed {
                    match open(app, table, column, value, row) {
                        Some(clear) => clear,
                        None => {
                            unopened.insert(format!("{table}.{column}"));
                            continue;
                        }
                    }
                } else {
                    value.clone()
                };
                for n in needles.iter().filter(|n| text.contains(n.as_str())) {
                    found.push(format!("{table}.{column} holds {n}"));
                }
            }
        }
    }
    (found, unopened)
}

/// A count with one bound value.
pub async fn count_for(app: &TestApp, sql: &'static str, value: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(value)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}
