//! Issue 16 §1 (P1.4, P4.2, P5.3): the data map is complete. The live schema of this pass's
//! engine (SQLite, or PostgreSQL on the PostgreSQL pass) is read, and every column of every
//! table must be named by the map (`app::model::data_map`), as a mapped field or as technical;
//! every name in the map must be in the schema. A migration that adds a column fails here
//! until the column is mapped.

use app::backend::db::Engine;
use app::model::data_map;
use std::collections::BTreeSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_4_p4_2_every_column_of_the_live_schema_is_in_the_data_map() {
    let app = crate::helpers::spawn_app().await;
    let (columns, _) = match app.db.engine() {
        Engine::Sqlite => crate::schema::sqlite_schema(&app.db).await,
        Engine::Postgres => crate::schema::postgres_schema(&app.db).await,
    };
    assert!(
        columns.len() > 100,
        "the schema was read: {}",
        columns.len()
    );
    let live: BTreeSet<(String, String)> = columns.into_iter().map(|(t, c, _)| (t, c)).collect();
    let unmapped: Vec<_> = live
        .iter()
        .filter(|(t, c)| !data_map::knows(t, c))
        .map(|(t, c)| format!("{t}.{c}"))
        .collect();
    assert_eq!(
        unmapped,
        Vec::<String>::new(),
        "columns the data map does not name (map them in app/src/model/data_map/tables.rs)"
    );
    let stale: Vec<_> = data_map::tables()
        .flat_map(|t| t.columns().map(move |c| (t.table, c)))
        .filter(|(t, c)| !live.contains(&(t.to_string(), c.to_string())))
        .map(|(t, c)| format!("{t}.{c}"))
        .collect();
    assert_eq!(
        stale,
        Vec::<String>::new(),
        "names in the data map that the schema does not have"
    );
}
