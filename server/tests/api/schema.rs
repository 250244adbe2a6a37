//! The two migration sets (SQLite, PostgreSQL) differ by design — types, trigger syntax — but
//! must describe the same schema: the same tables, columns, nullability and named indexes. A
//! column added to one set only fails here. Runs on the PostgreSQL pass of `./x test` (it needs
//! both engines); on the SQLite pass there is no second engine to compare with.

use app::backend::db::Db;
use std::collections::BTreeSet;

pub(crate) type Schema = (BTreeSet<(String, String, bool)>, BTreeSet<(String, String)>);

pub(crate) async fn sqlite_schema(db: &Db) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let mut columns = BTreeSet::new();
    for table in &tables {
        let rows: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT name, \"notnull\", pk FROM pragma_table_info($1)")
                .bind(table)
                .fetch_all(db.pool())
                .await
                .unwrap();
        for (name, not_null, pk) in rows {
            // A primary key is never null, whether the DDL says so or not.
            columns.insert((table.clone(), name, not_null != 0 || pk != 0));
        }
    }
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    (columns, indexes.into_iter().collect())
}

pub(crate) async fn postgres_schema(db: &Db) -> Schema {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let columns = rows
        .into_iter()
        .map(|(t, c, nullable)| (t, c, nullable == "NO"))
        .collect();
    // Named indexes only: those behind PRIMARY KEY and UNIQUE constraints are named by the
    // engine (`…_pkey`, `…_key`), as SQLite's `sqlite_autoindex_…` are.
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT i.tablename::text, i.indexname::text FROM pg_indexes i WHERE i.schemaname = 'public' \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    (columns, indexes.into_iter().collect())
}

fn only<T: Ord + Clone>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> Vec<T> {
    a.difference(b).cloned().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_sets_describe_the_same_schema() {
    if crate::helpers::engine() != "postgres" {
        eprintln!("schema parity: compared on the PostgreSQL pass (TEST_DATABASE_URL)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Db::connect(
        &format!("sqlite:{}", dir.path().join("parity.db").display()),
        1,
    )
    .await
    .unwrap();
    sqlite.migrate().await.unwrap();
    let postgres = Db::connect(&crate::helpers::fresh_database_url(dir.path()).await, 1)
        .await
        .unwrap();
    postgres.migrate().await.unwrap();
    let (lite_cols, lite_idx) = sqlite_schema(&sqlite).await;
    let (pg_cols, pg_idx) = postgres_schema(&postgres).await;
    eprintln!(
        "schema parity: SQLite {} columns, {} indexes; PostgreSQL {} columns, {} indexes",
        lite_cols.len(),
        lite_idx.len(),
        pg_cols.len(),
        pg_idx.len()
    );
    assert!(
        lite_cols.len() > 100,
        "the schema was read: {}",
        lite_cols.len()
    );
    assert_eq!(
        (only(&lite_cols, &pg_cols), only(&pg_cols, &lite_cols)),
        (vec![], vec![]),
        "columns (table, column, not null) only in SQLite / only in PostgreSQL"
    );
    assert_eq!(
        (only(&lite_idx, &pg_idx), only(&pg_idx, &lite_idx)),
        (vec![], vec![]),
        "indexes (table, name) only in SQLite / only in PostgreSQL"
    );
}
