//! A copy of one's data (issue 16 §3, P6.1): a copy request completed by the officer is built
//! in the background, encrypted at rest, downloaded by the requester only, audited, and gone
//! after 7 days; the ZIP holds every field the data map marks exportable for the subject
//! (checked against the map and the database), and nothing of another enterprise.

use crate::helpers::{json, spawn_app, TestApp};
use crate::rights::{mine, submit_with, verify, DAY_MS};
use app::backend::rights::export::sources::SOURCES;
use app::model::data_map;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;

/// Asks for a copy of `scope`, verifies it, and has the officer complete it; returns the
/// request's id once its copy is ready.
async fn copy_ready(app: &TestApp, ops: &str, cookie: &str, mobile: &str, scope: &str) -> String {
    let id = submit_with(app, cookie, &[("kind", "copy"), ("scope", scope)]).await;
    verify(app, cookie, mobile, &id).await;
    let res = app
        .call_as(
            ops,
            "complete_privacy_request",
            &[("id", &id), ("answer", "副本已生成，请在 7 天内下载。")],
        )
        .await;
    assert_eq!(res.status(), 200);
    // Built in the background: the page reports progress until it is ready.
    for _ in 0..200 {
        let d = mine(app, cookie, &id).await;
        match d["copy"]["status"].as_str() {
            Some("ready") => {
                assert_eq!(
                    d["copy"]["href"],
                    format!("/portal/privacy/requests/{id}/copy.zip")
                );
                return id;
            }
            Some("building") => {}
            other => panic!("copy: {other:?} {d}"),
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the copy was not ready in 10 s");
}

/// Every entry of the ZIP, by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.insert(f.name().to_string(), data);
    }
    out
}

/// The rows of `table` in the category files, merged by position.
fn rows_of(files: &BTreeMap<String, Vec<u8>>, table: &str) -> Vec<Value> {
    let mut merged: Vec<serde_json::Map<String, Value>> = Vec::new();
    for (name, data) in files.iter().filter(|(n, _)| n.starts_with("data/")) {
        let doc: Value = serde_json::from_slice(data).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc["format"], "esp-copy/1");
        if let Some(rows) = doc["tables"][table]["rows"].as_array() {
            if merged.is_empty() {
                merged = vec![serde_json::Map::new(); rows.len()];
            }
            assert_eq!(merged.len(), rows.len(), "{table} in {name}");
            for (m, r) in merged.iter_mut().zip(rows) {
                m.extend(r.as_object().unwrap().clone());
            }
        }
    }
    merged.into_iter().map(Value::Object).collect()
}

/// P6.1: every table's rows are in the copy, row for row, with each exported field (the
/// map's, as the copy's source narrows them) — encrypted ones opened wherever the database
/// holds a value — and no other field.
async fn assert_complete(
    app: &TestApp,
    files: &BTreeMap<String, Vec<u8>>,
    enterprise: bool,
    id: &str,
    tables: &[(&'static str, String)],
) {
    for (table, predicate) in tables {
        let expected = count_where(app, table, predicate, id).await;
        let rows = rows_of(files, table);
        assert_eq!(rows.len() as i64, expected, "{table}: rows");
        let source = app::backend::rights::export::sources::source(table).unwrap();
        let exported = source.exported(enterprise);
        let map = data_map::table(table).unwrap();
        let name = |c: &'static str| c.strip_suffix("_enc").unwrap_or(c);
        for row in &rows {
            for f in &exported {
                assert!(
                    row.get(name(f.column)).is_some(),
                    "{table}.{} missing in {row}",
                    f.column
                );
            }
            for f in map.fields.iter().filter(|f| {
                !exported
                    .iter()
                    .any(|e| name(e.column) == f.column || e.column == f.column)
            }) {
                assert!(
                    row.get(name(f.column)).is_none(),
                    "{table}.{} is not exported",
                    f.column
                );
            }
        }
        // Encrypted values opened: as many as the database holds.
        for f in exported.iter().filter(|f| f.column.ends_with("_enc")) {
            let held = count_where(
                app,
                table,
                &format!("{predicate} AND COALESCE({}, '') <> ''", f.column),
                id,
            )
            .await;
            let opened = rows
                .iter()
                .filter(|r| r[name(f.column)].is_string())
                .count() as i64;
            assert_eq!(opened, held, "{table}.{}: opened values", f.column);
        }
        if expected > 0 {
            assert!(
                files.contains_key(&format!("csv/{table}.csv")),
                "{table}.csv"
            );
        }
    }
}

async fn count_where(app: &TestApp, table: &str, predicate: &str, id: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE {predicate}");
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// P6.1: an admin's copy of the enterprise's data: background build with progress, every
/// exportable field, the licence file, nothing of another enterprise; sealed at rest; the
/// requester alone downloads it, audited; gone after 7 days.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_1_an_enterprise_copy_holds_what_the_map_exports_and_nothing_else() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "副本甲公司", "1200").await;
    let other = app.funded_enterprise(&ops, "副本乙公司", "800").await;

    let id = copy_ready(&app, &ops, &ent.cookie, &ent.mobile, "enterprise").await;
    let d = mine(&app, &ent.cookie, &id).await;
    assert_eq!(d["copy"]["done"], d["copy"]["total"]);
    assert!(d["copy"]["size_bytes"].as_i64().unwrap() > 1000);
    // The officer sees the copy's state, not a download.
    let seen = json(app.call_as(&ops, "privacy_request", &[("id", &id)]).await).await;
    assert_eq!(seen["copy"]["status"], "ready");

    // At rest it is sealed: neither a ZIP nor the enterprise's name shows.
    let export_id: String =
        sqlx::query_scalar("SELECT id FROM privacy_exports WHERE request_id = $1")
            .bind(&id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let path = app.state.exports_dir.join(&export_id);
    let at_rest = std::fs::read(&path).expect("the sealed copy");
    assert!(!at_rest.windows(4).any(|w| w == b"PK\x03\x04"));
    assert!(!at_rest.windows(6).any(|w| w == "副本".as_bytes()));

    // Only the requester downloads it.
    let href = format!("/portal/privacy/requests/{id}/copy.zip");
    assert_eq!(app.get_as(&other.cookie, &href).await.status(), 404);
    assert_eq!(app.get_as("", &href).await.status(), 401);
    let res = app.get_as(&ent.cookie, &href).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/zip");
    let bytes = res.bytes().await.unwrap();
    let files = unzip(&bytes);
    for name in [
        "index.html",
        "schema.json",
        "data/transaction.json",
        "data/business.json",
        "csv/ledger_postings.csv",
    ] {
        assert!(files.contains_key(name), "{name} in {:?}", files.keys());
    }
    let downloads: i64 = count_where(
        &app,
        "audit_log",
        "action = 'rights.copy_downloaded' AND target = $1",
        &format!("privacy_request:{id}"),
    )
    .await;
    assert_eq!(downloads, 1);

    // Every table with the enterprise's rows, row for row, with every exportable field.
    let tables: Vec<_> = SOURCES
        .iter()
        .filter_map(|s| Some((s.table, s.enterprise?.to_string())))
        .collect();
    assert!(!rows_of(&files, "ledger_postings").is_empty());
    assert_complete(&app, &files, true, &ent.id, &tables).await;
    // The login persons are named, their contact details are their own.
    assert!(rows_of(&files, "users")
        .iter()
        .all(|u| u.get("mobile").is_none()));
    // Opened values: the payer's whole account number.
    let credits = rows_of(&files, "bank_credits");
    assert_eq!(
        credits[0]["payer_account"], "6225880012345678",
        "{credits:?}"
    );
    let business = rows_of(&files, "enterprises");
    assert_eq!(business[0]["name"], "副本甲公司");
    let postings = rows_of(&files, "ledger_postings");
    assert!(
        postings[0]["amount"].is_i64()
            && postings[0]["created_at"].as_str().unwrap().ends_with('Z')
    );
    // The licence uploaded with the application.
    assert!(
        files
            .keys()
            .any(|n| n.starts_with("files/") && n.ends_with("licence.png")),
        "{:?}",
        files.keys()
    );
    // Nothing of the other enterprise.
    let all: Vec<u8> = files.values().flatten().copied().collect();
    assert!(
        !String::from_utf8_lossy(&all).contains(&ent.mobile),
        "a member's mobile number"
    );
    let text = String::from_utf8_lossy(&all);
    assert!(
        !text.contains("副本乙公司")
            && !text.contains(&other.account_no)
            && !text.contains(&other.mobile)
    );
    let index = String::from_utf8_lossy(&files["index.html"]).to_string();
    assert!(index.contains("副本甲公司") && index.contains("data/transaction.json"));

    // An enterprise's copy is its admin's: once no longer the admin, nothing to download.
    let demote = |role: &'static str| {
        sqlx::query("UPDATE users SET role = $1 WHERE id = (SELECT user_id FROM privacy_requests WHERE id = $2)")
            .bind(role)
            .bind(id.clone())
            .execute(app.db.pool())
    };
    demote("member").await.unwrap();
    assert_eq!(app.get_as(&ent.cookie, &href).await.status(), 404);
    demote("admin").await.unwrap();

    // After 7 days the copy is deleted.
    app.clock.advance_ms(7 * DAY_MS + 1_000);
    server::jobs::housekeeping(&app.state).await.unwrap();
    assert!(!path.exists());
    let cookie = app.login(&ent.mobile, crate::helpers::APPLICANT_PW).await;
    assert_eq!(app.get_as(&cookie, &href).await.status(), 404);
    assert_eq!(mine(&app, &cookie, &id).await["copy"]["status"], "expired");
}

/// P6.1: a person's copy holds their own data (contact details opened, logins, consents,
/// messages) and the application they filed, not the enterprise's books.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_1_a_person_copy_holds_their_own_data() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "个人副本公司", "500").await;
    let id = copy_ready(&app, &ops, &ent.cookie, &ent.mobile, "person").await;
    let res = app
        .get_as(
            &ent.cookie,
            &format!("/portal/privacy/requests/{id}/copy.zip"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let files = unzip(&res.bytes().await.unwrap());
    let user_id: String = sqlx::query_scalar("SELECT user_id FROM privacy_requests WHERE id = $1")
        .bind(&id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let mut tables = Vec::new();
    for s in SOURCES.iter().filter(|s| s.person.is_some()) {
        // The notice that the copy is ready came after it.
        let predicate = match s.table {
            "inbox_messages" => format!("{} AND title_zh <> '信息副本'", s.person.unwrap()),
            "outbox" => format!(
                "{} AND COALESCE(inbox_id, '') NOT IN (SELECT id FROM inbox_messages WHERE title_zh = '信息副本')",
                s.person.unwrap()
            ),
            _ => s.person.unwrap().to_string(),
        };
        tables.push((s.table, predicate));
    }
    assert!(!rows_of(&files, "login_events").is_empty());
    assert_complete(&app, &files, false, &user_id, &tables).await;
    let users = rows_of(&files, "users");
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["mobile"], ent.mobile.as_str());
    assert!(!files.contains_key("csv/ledger_postings.csv"));
    // The answer of this very request is in it, opened.
    let requests = rows_of(&files, "privacy_requests");
    assert!(
        requests
            .iter()
            .any(|r| r["answer"] == "副本已生成，请在 7 天内下载。"),
        "{requests:?}"
    );
}

/// P6.1: `bench-export` builds a copy of an enterprise with many ledger lines and checks that
/// the copy has every one (the README's figure comes from it at 100,000 lines).
#[tokio::test]
async fn p6_1_bench_export_builds_a_whole_copy() {
    use clap::Parser;
    let dir = tempfile::tempdir().expect("temp dir");
    let url = crate::helpers::fresh_database_url(dir.path()).await;
    let cli = server::config::Cli::try_parse_from([
        "server",
        "--database-url",
        &url,
        "bench-export",
        "--lines",
        "3001",
    ])
    .expect("valid flags");
    let Some(server::config::Command::BenchExport(args)) = &cli.command else {
        panic!("bench-export parsed");
    };
    let (serve, args) = (cli.serve.clone(), args.clone());
    let report =
        crate::helpers::on_server(async move { server::bench_export::run(&serve, &args).await })
            .await
            .expect("the benchmark runs (and checks the copy)");
    // 1,501 transactions of two lines, and the top-up's lines.
    assert!(report.lines >= 3002, "{report}");
    assert!(report.zip_bytes > 10_000, "{report}");
}
