//! Operators: password then TOTP (P5.2), and the tamper-evident audit log (P5.1).

use crate::helpers::{session_cookie, spawn_app, totp_now};
use app::backend::audit;
use app::backend::seed::DEMO;
use serde_json::Value;

/// P5.2: the console needs the password and then a TOTP code; a code works once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_operators_need_a_second_factor() {
    let app = spawn_app().await;
    let res = app
        .call(
            "ops_login",
            &[
                ("login", DEMO.operator_login),
                ("password", DEMO.operator_password),
            ],
        )
        .await;
    assert!(res.status().is_success());
    let half = session_cookie(&res, "esp_ops_session").unwrap();
    let state: Value = app
        .call_as(&half, "ops_whoami", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(state, Value::String("NeedsTotp".into()));
    assert_eq!(
        app.call_as(&half, "list_operators", &[]).await.status(),
        401,
        "no console before TOTP"
    );
    assert_eq!(
        app.call_as(&half, "ops_totp", &[("code", "000000")])
            .await
            .status(),
        422
    );

    let code = totp_now(DEMO.operator_totp_secret, &app.clock);
    let res = app.call_as(&half, "ops_totp", &[("code", &code)]).await;
    assert!(res.status().is_success());
    let full = session_cookie(&res, "esp_ops_session").unwrap();
    assert_ne!(full, half, "the session id rotates after the second factor");
    let ops: Value = app
        .call_as(&full, "list_operators", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(
        ops.as_array()
            .unwrap()
            .iter()
            .any(|o| o["login"] == DEMO.operator_login),
        "{ops}"
    );

    // The same code cannot log in a second time (replay).
    let res = app
        .call(
            "ops_login",
            &[
                ("login", DEMO.operator_login),
                ("password", DEMO.operator_password),
            ],
        )
        .await;
    let again = session_cookie(&res, "esp_ops_session").unwrap();
    assert_eq!(
        app.call_as(&again, "ops_totp", &[("code", &code)])
            .await
            .status(),
        422
    );

    // An enterprise session is no operator session.
    let user = app.login(DEMO.admin_mobile, DEMO.admin_password).await;
    assert_eq!(
        app.call_as(&user, "list_operators", &[]).await.status(),
        401
    );
}

/// P5.1: the chain verifies; changing, deleting or truncating entries is found and the
/// first broken entry named.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_1_audit_chain_detects_tampering() {
    let app = spawn_app().await;
    let ops = app
        .ops_login(
            DEMO.operator_login,
            DEMO.operator_password,
            DEMO.operator_totp_secret,
        )
        .await;
    for _ in 0..3 {
        app.login(DEMO.admin_mobile, DEMO.admin_password).await;
        app.register_unique().await;
    }
    let report = audit::verify(&app.db, &app.state.audit_key).await.unwrap();
    assert!(report.entries >= 5);
    assert_eq!(report.first_broken, None);
    let status: Value = app
        .call_as(&ops, "verify_audit", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["first_broken"], Value::Null);

    // The database refuses changes to the log…
    let refused = sqlx::query("UPDATE audit_log SET detail = 'edited' WHERE seq = 3")
        .execute(app.db.pool())
        .await;
    assert!(refused.is_err(), "audit_log is append-only");
    assert!(sqlx::query("DELETE FROM audit_log")
        .execute(app.db.pool())
        .await
        .is_err());
    // …and someone who removes that guard is still caught by the chain.
    crate::helpers::drop_audit_guard(&app.db).await;
    sqlx::query("UPDATE audit_log SET detail = 'edited' WHERE seq = 3")
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        audit::verify(&app.db, &app.state.audit_key)
            .await
            .unwrap()
            .first_broken,
        Some(3)
    );
    let status: Value = app
        .call_as(&ops, "verify_audit", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["first_broken"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_1_audit_chain_detects_deletion_and_truncation() {
    let app = spawn_app().await;
    for _ in 0..3 {
        app.register_unique().await;
    }
    let n = audit::verify(&app.db, &app.state.audit_key)
        .await
        .unwrap()
        .entries;
    crate::helpers::drop_audit_guard(&app.db).await;
    sqlx::query("DELETE FROM audit_log WHERE seq = $1")
        .bind(n)
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        audit::verify(&app.db, &app.state.audit_key)
            .await
            .unwrap()
            .first_broken,
        Some(n),
        "the last entry is gone"
    );
    sqlx::query("DELETE FROM audit_log WHERE seq = 2")
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        audit::verify(&app.db, &app.state.audit_key)
            .await
            .unwrap()
            .first_broken,
        Some(2)
    );
}

/// What someone with write access to the database would do after editing an entry: recompute
/// every hash from the public algorithm, and the head.
async fn recompute_chain(db: &app::backend::db::Db) {
    type Row = (
        i64,
        i64,
        String,
        String,
        String,
        Option<String>,
        String,
        String,
        String,
        String,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT seq, at, actor_kind, actor_id, actor_role, enterprise_id, action, target, result, ip, detail \
         FROM audit_log ORDER BY seq",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let mut prev = "0".repeat(64);
    for (seq, at, kind, id, role, ent, action, target, result, ip, detail) in rows {
        let fields = [
            prev.clone(),
            seq.to_string(),
            at.to_string(),
            kind,
            id,
            role,
            ent.unwrap_or_default(),
            action,
            target,
            result,
            ip,
            detail,
        ];
        let hash = app::backend::crypto::sha256_hex(fields.join("\u{1f}").as_bytes());
        sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3")
            .bind(&prev)
            .bind(&hash)
            .bind(seq)
            .execute(db.pool())
            .await
            .unwrap();
        prev = hash;
    }
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
        .bind(&prev)
        .execute(db.pool())
        .await
        .unwrap();
}

/// Issue 14, P5.1: an entry edited and the whole chain recomputed verifies as a chain, but not
/// against the seals, whose key is outside the database; a seal rewritten to match is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_1_a_recomputed_chain_is_caught_by_the_seals() {
    let app = spawn_app().await;
    for _ in 0..3 {
        app.register_unique().await;
    }
    let key = &app.state.audit_key;
    let sealed = audit::seal(&app.db, key, app.state.clock.now())
        .await
        .unwrap()
        .expect("a new seal");
    assert_eq!(
        audit::seal(&app.db, key, app.state.clock.now())
            .await
            .unwrap(),
        None
    );
    app.register_unique().await;
    let report = audit::verify(&app.db, key).await.unwrap();
    assert_eq!((report.first_broken, report.sealed_through), (None, sealed));

    crate::helpers::drop_audit_guard(&app.db).await;
    // The newest sealed entry (earlier ones may be under a seal made at start).
    sqlx::query("UPDATE audit_log SET detail = 'forged' WHERE seq = $1")
        .bind(sealed)
        .execute(app.db.pool())
        .await
        .unwrap();
    recompute_chain(&app.db).await;
    assert_eq!(
        audit::verify(&app.db, key).await.unwrap().first_broken,
        Some(sealed),
        "the recomputed hash differs from the sealed one"
    );
    // Housekeeping does not seal over it: a broken chain is never sealed.
    let seals = app.count("audit_seals").await;
    assert_eq!(
        audit::seal(&app.db, key, app.state.clock.now())
            .await
            .unwrap(),
        None
    );
    assert_eq!(app.count("audit_seals").await, seals);
    // Rewriting the seal's hash too: its HMAC no longer matches.
    let new_hash: String = sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
        .bind(sealed)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE audit_seals SET hash = $1 WHERE seq = $2")
        .bind(&new_hash)
        .bind(sealed)
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        audit::verify(&app.db, key).await.unwrap().first_broken,
        Some(sealed)
    );
    // A key other than the server's verifies nothing.
    let other = app::backend::crypto::SecretKey::generate();
    assert!(audit::verify(&app.db, &other)
        .await
        .unwrap()
        .first_broken
        .is_some());
}

/// Issue 14, P5.1: each seal's HMAC covers the one before it, so removing a seal from the
/// middle shows; the console's check reports how far the chain is sealed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_1_a_removed_seal_shows() {
    let app = spawn_app().await;
    let ops = app
        .ops_login(
            DEMO.operator_login,
            DEMO.operator_password,
            DEMO.operator_totp_secret,
        )
        .await;
    let key = &app.state.audit_key;
    let first = audit::seal(&app.db, key, app.state.clock.now())
        .await
        .unwrap()
        .unwrap();
    app.register_unique().await;
    let status: Value = app
        .call_as(&ops, "verify_audit", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["first_broken"], Value::Null);
    let second = status["sealed_through"].as_i64().unwrap();
    assert!(
        second > first,
        "the console's check sealed what it verified"
    );
    sqlx::query("DELETE FROM audit_seals WHERE seq = $1")
        .bind(first)
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        audit::verify(&app.db, key).await.unwrap().first_broken,
        Some(second)
    );
}

/// P5.1: the console searches the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_1_operators_search_the_audit_log() {
    let app = spawn_app().await;
    let ops = app
        .ops_login(
            DEMO.operator_login,
            DEMO.operator_password,
            DEMO.operator_totp_secret,
        )
        .await;
    app.register_unique().await;
    let found: Value = app
        .call_as(
            &ops,
            "search_audit",
            &[
                ("query[action]", "ACCOUNT.Register"),
                ("query[limit]", "10"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    let rows = found.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{found}");
    assert_eq!(rows[0]["action"], "account.register");
    let page = app.get_as(&ops, "/ops/audit?action=operator.login").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("operator.login"));
}

/// P5.1, P6.1: the console lists enterprises; opening one is audited, and contacts show masked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_1_enterprise_looks_are_audited_and_masked() {
    let app = spawn_app().await;
    let ops = app
        .ops_login(
            DEMO.operator_login,
            DEMO.operator_password,
            DEMO.operator_totp_secret,
        )
        .await;
    let list: Value = app
        .call_as(&ops, "list_enterprises", &[("q", "演示")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let id = list[0]["id"].as_str().unwrap();
    let res = app.call_as(&ops, "enterprise_detail", &[("id", id)]).await;
    let body = res.text().await.unwrap();
    assert!(
        body.contains("138****0000") && !body.contains(DEMO.admin_mobile),
        "{body}"
    );
    let looks: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'enterprise.view' AND enterprise_id = $1")
            .bind(id)
            .fetch_one(app.db.pool())
            .await
            .unwrap(),
        "n",
    );
    assert_eq!(looks, 1);
}

/// P5.1: a page that shows audited data records exactly one look per view (the page and its
/// queries are built once, not once per shell render).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_1_pages_record_each_look_once() {
    let app = spawn_app().await;
    let ops = app
        .ops_login(
            DEMO.operator_login,
            DEMO.operator_password,
            DEMO.operator_totp_secret,
        )
        .await;
    let list: Value = app
        .call_as(&ops, "list_enterprises", &[])
        .await
        .json()
        .await
        .unwrap();
    let id = list[0]["id"].as_str().unwrap().to_string();
    let count = |action: &'static str| {
        let db = app.db.clone();
        async move {
            let n: i64 = sqlx::Row::get(
                &sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = $1")
                    .bind(action)
                    .fetch_one(db.pool())
                    .await
                    .unwrap(),
                "n",
            );
            n
        }
    };
    for _ in 0..2 {
        assert_eq!(
            app.get_as(&ops, &format!("/ops/enterprises/{id}"))
                .await
                .status(),
            200
        );
        assert_eq!(app.get_as(&ops, "/ops/audit").await.status(), 200);
    }
    assert_eq!(count("enterprise.view").await, 2);
    assert_eq!(count("audit.search").await, 2);
}
