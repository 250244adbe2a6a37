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
        "columns the data map does not name (map them in app/src/model/data_map/ (people.rs, records.rs, invoices.rs))"
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

/// Issue 16 §1 (P4.2): what the map promises for codes is what housekeeping does: a
/// password-reset or contact-change code goes a day after it expired, not before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p4_2_expired_codes_go_as_the_map_says() {
    use app::model::data_map::Retention;
    let app = crate::helpers::spawn_app().await;
    for table in ["password_resets", "contact_changes"] {
        assert_eq!(
            data_map::table(table).unwrap().retention,
            Retention::UntilExpiry { hours_after: 25 },
            "{table}"
        );
    }
    let cookie = app.register_unique().await;
    let me: serde_json::Value = app
        .call_as(&cookie, "whoami", &[])
        .await
        .json()
        .await
        .unwrap();
    let user = me["user_id"].as_str().expect("an id").to_string();
    let now = app::backend::clock::Clock::now(&*app.clock).0;
    sqlx::query(
        "INSERT INTO password_resets (id, user_id, token_hash, expires_at, ip, created_at) \
         VALUES ('r1', $1, 'h1', $2, '-', $2)",
    )
    .bind(&user)
    .bind(now + 30 * 60_000)
    .execute(app.db.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO contact_changes (id, user_id, kind, value_enc, value_masked, code_hash, expires_at, created_at) \
         VALUES ('c1', $1, 'email', 'x', 'x', 'h', $2, $2)",
    )
    .bind(&user)
    .bind(now + 30 * 60_000)
    .execute(app.db.pool())
    .await
    .unwrap();
    app.clock.advance_minutes(12 * 60);
    server::jobs::housekeeping(&app.state).await.unwrap();
    let left = app.count("password_resets").await + app.count("contact_changes").await;
    assert_eq!(left, 2, "kept until a day after expiry");
    app.clock.advance_minutes(13 * 60);
    server::jobs::housekeeping(&app.state).await.unwrap();
    let left = app.count("password_resets").await + app.count("contact_changes").await;
    assert_eq!(left, 0, "gone within the 25 hours the privacy centre says");
}
