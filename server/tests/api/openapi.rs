//! The open API (issue 19) on both engines, called with the reference client
//! (`clients/openapi_client.py`, which signs independently of the server's code): an admin
//! issues a key; orders are created idempotently and read back; the signature's refusals
//! (wrong key, body changed, stale timestamp, replayed nonce, revoked key, outside the IP
//! allow-list, wrong scope, unknown key, no headers); another enterprise's order is a 404;
//! rotation's overlap; the per-key rate limit (429 with Retry-After); every use audited.

use crate::helpers::{json, TestApp};
use serde_json::Value;

/// Issues a credential as `admin` with `extra` fields (scopes, allow-list); the answer holds
/// the id, key id and secret.
pub async fn issue(app: &TestApp, admin: &str, extra: &[(&str, &str)]) -> Value {
    let mut form = vec![("name", "ERP"), ("valid_days", "90")];
    form.extend_from_slice(extra);
    let res = app.call_as(admin, "create_api_credential", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await
}

/// What the reference client printed: the status and the JSON answer.
pub struct Answer {
    pub status: u16,
    pub body: Value,
    /// The `Retry-After` header, when there was one.
    pub retry_after: Option<String>,
}

/// Runs the reference client against `app` with `key` (`key_id`, `secret`), the server's clock
/// as the timestamp unless `args` gives one.
pub async fn client(
    app: &TestApp,
    key: &Value,
    method: &str,
    target: &str,
    body: &str,
    args: &[&str],
) -> Answer {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../clients/openapi_client.py");
    let now_secs = (app::backend::clock::Clock::now(&*app.clock).0 / 1000).to_string();
    let mut cmd = tokio::process::Command::new("python3");
    cmd.arg(script)
        .arg("--base")
        .arg(app.url(""))
        .arg("--key-id")
        .arg(key["key_id"].as_str().unwrap())
        .arg("--secret")
        .arg(key["secret"].as_str().unwrap());
    if !args.contains(&"--timestamp") {
        cmd.arg("--timestamp").arg(&now_secs);
    }
    cmd.args(args).arg(method).arg(target).arg(body);
    let out = cmd
        .output()
        .await
        .expect("python3 runs the reference client");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut lines = text.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "client output: {text} {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let rest: String = lines.collect::<Vec<_>>().join("\n");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    Answer {
        status,
        body: serde_json::from_str(&rest).unwrap_or(Value::String(rest)),
        retry_after: stderr
            .lines()
            .find_map(|l| l.strip_prefix("Retry-After: "))
            .map(str::to_string),
    }
}

fn order(order_id: &str, amount: &str) -> String {
    serde_json::json!({
        "order_id": order_id,
        "payee_name": "张三",
        "id_number": "110105199001011232",
        "channel": "bank",
        "account": "6222021234561234",
        "mobile": "13900000011",
        "amount": amount,
        "remark": "接口",
        "project": "",
    })
    .to_string()
}

/// Orders through the signed API: created once, replayed, refused when reused with other
/// details, read back with amounts in yuan; a key without the scope is refused the balance.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_open_api_creates_orders_idempotently_and_reads_them_back() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "接口企业", "1000").await;
    let key = issue(&app, &ent.cookie, &[("scope_orders", "on")]).await;
    assert!(key["key_id"].as_str().unwrap().starts_with("ak_"));
    assert_eq!(key["secret"].as_str().unwrap().len(), 64);

    let created = client(
        &app,
        &key,
        "POST",
        "/openapi/v1/orders",
        &order("API-1", "10.5"),
        &[],
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["order"]["amount"], "10.50");
    assert_eq!(created.body["replayed"], false);
    let again = client(
        &app,
        &key,
        "POST",
        "/openapi/v1/orders",
        &order("API-1", "10.5"),
        &[],
    )
    .await;
    assert_eq!(
        (again.status, again.body["replayed"].as_bool()),
        (200, Some(true))
    );
    let reused = client(
        &app,
        &key,
        "POST",
        "/openapi/v1/orders",
        &order("API-1", "11"),
        &[],
    )
    .await;
    assert_eq!(reused.status, 409);
    assert_eq!(reused.body["code"], "order_id_reused");
    assert!(reused.body["request_id"].as_str().unwrap().len() > 8);
    let bad = client(
        &app,
        &key,
        "POST",
        "/openapi/v1/orders",
        &order("API-2", "1.234"),
        &[],
    )
    .await;
    assert_eq!(
        (bad.status, bad.body["code"].as_str()),
        (422, Some("invalid"))
    );
    assert_eq!(bad.body["fields"][0]["field"], "amount");

    // What the answers carried went to the enterprise's own system: logged (P3.1.3).
    let shared = |log: &Value| {
        log["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["reference"] == "API-1" && e["kind"] == "enterprise_system")
            .count()
    };
    let form = [("recipient", "enterprise_api"), ("cursor", "")];
    let log = json(app.call_as(&ent.cookie, "sharing_log", &form).await).await;
    assert_eq!(shared(&log), 2, "created and replayed: {log}");
    let read = client(&app, &key, "GET", "/openapi/v1/orders/API-1", "", &[]).await;
    let log = json(app.call_as(&ent.cookie, "sharing_log", &form).await).await;
    assert_eq!(shared(&log), 3);
    assert_eq!(read.status, 200);
    assert_eq!(read.body["order_id"], "API-1");
    assert_eq!(read.body["payee_name"], "张三");
    assert!(read.body["id_masked"].as_str().unwrap().contains('*'));
    let balance = client(&app, &key, "GET", "/openapi/v1/balance", "", &[]).await;
    assert_eq!(
        (balance.status, balance.body["code"].as_str()),
        (403, Some("scope_missing"))
    );

    let funds = issue(&app, &ent.cookie, &[("scope_funds_read", "on")]).await;
    let balance = client(&app, &funds, "GET", "/openapi/v1/balance", "", &[]).await;
    assert_eq!(balance.status, 200);
    assert!(
        balance.body["available"].as_str().unwrap().ends_with(".00")
            || balance.body["available"].as_str().unwrap().contains('.')
    );

    // A page of orders, cancelling one (not twice), the fund flow and this month's bill.
    let page = client(
        &app,
        &key,
        "GET",
        "/openapi/v1/orders?status=accepted",
        "",
        &[],
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let ids: Vec<&str> = page.body["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["API-1"]);
    let bad = client(&app, &key, "GET", "/openapi/v1/orders?status=lost", "", &[]).await;
    assert_eq!(bad.status, 422);
    let cancelled = client(
        &app,
        &key,
        "POST",
        "/openapi/v1/orders/API-1/cancel",
        "",
        &[],
    )
    .await;
    assert_eq!(
        (cancelled.status, cancelled.body["status"].as_str()),
        (200, Some("cancelled"))
    );
    let again = client(
        &app,
        &key,
        "POST",
        "/openapi/v1/orders/API-1/cancel",
        "",
        &[],
    )
    .await;
    assert_eq!(
        (again.status, again.body["code"].as_str()),
        (409, Some("order_not_cancellable"))
    );
    let nobody = client(&app, &key, "POST", "/openapi/v1/orders/NOPE/retry", "", &[]).await;
    assert_eq!(nobody.status, 404);
    let flow = client(&app, &funds, "GET", "/openapi/v1/fund-flow", "", &[]).await;
    assert_eq!(flow.status, 200, "{}", flow.body);
    let lines = flow.body["lines"].as_array().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l["category"] == "topup" && l["amount"] == "1000.00"),
        "{lines:?}"
    );
    let month = app::backend::clock::Clock::now(&*app.clock).china_month();
    let bill = client(
        &app,
        &funds,
        "GET",
        &format!("/openapi/v1/bills/{month}"),
        "",
        &[],
    )
    .await;
    assert_eq!(bill.status, 200, "{}", bill.body);
    assert_eq!(bill.body["topups"], "1000.00");
    let bad_month = client(&app, &funds, "GET", "/openapi/v1/bills/2026-13", "", &[]).await;
    assert_eq!(bad_month.status, 422);

    // The portal lists both keys, never a secret; every use is audited by key id.
    let list = json(app.call_as(&ent.cookie, "api_credentials", &[]).await).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(!list.to_string().contains(key["secret"].as_str().unwrap()));
    let by_key: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE actor_kind = 'api_key' AND actor_id = $1",
    )
    .bind(key["key_id"].as_str().unwrap())
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(by_key >= 3, "{by_key}");
    app.assert_ledger_clean().await;
}

/// Every refusal of the signature scheme, each with its stable code; and another enterprise's
/// order is not found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_open_api_refuses_what_is_not_signed_right() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "签名企业", "100").await;
    let other = app.funded_enterprise(&ops, "他人企业", "100").await;
    let key = issue(&app, &ent.cookie, &[("scope_orders", "on")]).await;
    let theirs = issue(&app, &other.cookie, &[("scope_orders", "on")]).await;
    let mine = client(
        &app,
        &theirs,
        "POST",
        "/openapi/v1/orders",
        &order("THEIRS-1", "1"),
        &[],
    )
    .await;
    assert_eq!(mine.status, 201);

    let code = |a: &Answer| (a.status, a.body["code"].as_str().unwrap_or("").to_string());
    // A key of A asking for B's order id: not found.
    let cross = client(&app, &key, "GET", "/openapi/v1/orders/THEIRS-1", "", &[]).await;
    assert_eq!(code(&cross), (404, "not_found".into()));
    // The wrong secret.
    let mut wrong = key.clone();
    wrong["secret"] = theirs["secret"].clone();
    let res = client(&app, &wrong, "GET", "/openapi/v1/orders/X", "", &[]).await;
    assert_eq!(code(&res), (401, "bad_signature".into()));
    // The body changed after signing.
    let res = client(
        &app,
        &key,
        "POST",
        "/openapi/v1/orders",
        &order("T-1", "1"),
        &["--tamper-body"],
    )
    .await;
    assert_eq!(code(&res), (401, "bad_signature".into()));
    // A stale timestamp (ten minutes ago).
    let stale = (app::backend::clock::Clock::now(&*app.clock).0 / 1000 - 600).to_string();
    let res = client(
        &app,
        &key,
        "GET",
        "/openapi/v1/orders/X",
        "",
        &["--timestamp", &stale],
    )
    .await;
    assert_eq!(code(&res), (401, "stale_timestamp".into()));
    // A replayed nonce.
    let res = client(
        &app,
        &key,
        "GET",
        "/openapi/v1/orders/THEIRS-1",
        "",
        &["--nonce", "n-once"],
    )
    .await;
    assert_eq!(res.status, 404);
    let res = client(
        &app,
        &key,
        "GET",
        "/openapi/v1/orders/THEIRS-1",
        "",
        &["--nonce", "n-once"],
    )
    .await;
    assert_eq!(code(&res), (401, "replayed_nonce".into()));
    // An unknown key, and no signature at all.
    let mut unknown = key.clone();
    unknown["key_id"] = Value::String("ak_00000000000000000000".into());
    let res = client(&app, &unknown, "GET", "/openapi/v1/balance", "", &[]).await;
    assert_eq!(code(&res), (401, "unknown_key".into()));
    let plain = reqwest::get(app.url("/openapi/v1/balance")).await.unwrap();
    assert_eq!(plain.status(), 401);
    let body: Value = plain.json().await.unwrap();
    assert_eq!(body["code"], "missing_signature_headers");
    // Outside the IP allow-list (the client calls from 127.0.0.1).
    let fenced = issue(
        &app,
        &ent.cookie,
        &[("scope_orders", "on"), ("ip_allow", "203.0.113.0/24")],
    )
    .await;
    let res = client(&app, &fenced, "GET", "/openapi/v1/orders/X", "", &[]).await;
    assert_eq!(code(&res), (403, "ip_not_allowed".into()));
    let local = issue(
        &app,
        &ent.cookie,
        &[("scope_orders", "on"), ("ip_allow", "127.0.0.1\n::1")],
    )
    .await;
    let res = client(&app, &local, "GET", "/openapi/v1/orders/X", "", &[]).await;
    assert_eq!(code(&res), (404, "not_found".into()));
    // Revoked: refused at once.
    let form = [("id", key["id"].as_str().unwrap())];
    assert_eq!(
        app.call_as(&ent.cookie, "revoke_api_credential", &form)
            .await
            .status(),
        200
    );
    let res = client(&app, &key, "GET", "/openapi/v1/orders/X", "", &[]).await;
    assert_eq!(code(&res), (401, "key_revoked".into()));
    // B's admin cannot revoke or rotate A's key.
    let form = [("id", local["id"].as_str().unwrap())];
    assert_eq!(
        app.call_as(&other.cookie, "revoke_api_credential", &form)
            .await
            .status(),
        404
    );
    let refused: i64 = app.audit_count("api.refused").await;
    assert!(refused >= 7, "{refused}");
    // An address refused twenty times in a second is told to wait, before any lookup or audit.
    let mut last = 0;
    for _ in 0..25 {
        last = reqwest::get(app.url("/openapi/v1/balance"))
            .await
            .unwrap()
            .status()
            .as_u16();
    }
    assert_eq!(last, 429);
    assert!(app.audit_count("api.refused").await < refused + 25);
}

/// Rotation: the new secret works at once, the old one for its overlap only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_overlaps_then_ends() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "轮换企业", "").await;
    let old = issue(&app, &ent.cookie, &[("scope_funds_read", "on")]).await;
    let res = app
        .call_as(
            &ent.cookie,
            "rotate_api_credential",
            &[("id", old["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(res.status(), 200);
    let new = json(res).await;
    assert_ne!(new["secret"], old["secret"]);
    for k in [&old, &new] {
        assert_eq!(
            client(&app, k, "GET", "/openapi/v1/balance", "", &[])
                .await
                .status,
            200
        );
    }
    // Rotating the old one again is refused: it is already on its way out.
    let res = app
        .call_as(
            &ent.cookie,
            "rotate_api_credential",
            &[("id", old["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(res.status(), 409);
    app.clock.advance_ms(25 * 3_600_000);
    let res = client(&app, &old, "GET", "/openapi/v1/balance", "", &[]).await;
    assert_eq!(
        (res.status, res.body["code"].as_str()),
        (401, Some("key_expired"))
    );
    assert_eq!(
        client(&app, &new, "GET", "/openapi/v1/balance", "", &[])
            .await
            .status,
        200
    );
}

/// The per-key limit answers 429 with Retry-After.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_over_its_rate_is_told_to_wait() {
    let app = crate::helpers::spawn_app_with(&["--api-rate-per-second", "2"]).await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "限流企业", "").await;
    let key = issue(&app, &ent.cookie, &[("scope_funds_read", "on")]).await;
    let mut statuses = Vec::new();
    let mut waits = Vec::new();
    for _ in 0..5 {
        let a = client(&app, &key, "GET", "/openapi/v1/balance", "", &[]).await;
        statuses.push(a.status);
        waits.push(a.retry_after);
    }
    let limited = statuses.iter().position(|s| *s == 429).expect("limited");
    assert!(limited >= 2, "{statuses:?}");
    assert_eq!(waits[limited].as_deref(), Some("1"));
}

/// Receipts of paid orders, invoice statistics and tasks, each behind its scope.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_open_api_reads_receipts_invoice_statistics_and_tasks() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "回单企业", "100").await;
    let all = [
        ("scope_orders", "on"),
        ("scope_funds_read", "on"),
        ("scope_invoices", "on"),
        ("scope_tasks", "on"),
    ];
    let key = issue(&app, &ent.cookie, &all).await;
    let created = client(
        &app,
        &key,
        "POST",
        "/openapi/v1/orders",
        &order("R-1", "10"),
        &[],
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let unpaid = client(&app, &key, "GET", "/openapi/v1/orders/R-1/receipt", "", &[]).await;
    assert!(
        unpaid.status >= 400 && unpaid.status < 500,
        "{}",
        unpaid.body
    );
    app.payouts(0).await;
    app.payouts(5_000).await;
    let receipt = client(&app, &key, "GET", "/openapi/v1/orders/R-1/receipt", "", &[]).await;
    assert_eq!(receipt.status, 200, "{}", receipt.body);
    assert_eq!(receipt.body["order"]["status"], "paid");
    assert_eq!(receipt.body["payer"], "回单企业");
    assert!(
        receipt.body["code"].as_str().unwrap().len() >= 10,
        "{}",
        receipt.body
    );

    let stats = client(&app, &key, "GET", "/openapi/v1/invoices/stats", "", &[]).await;
    assert_eq!(stats.status, 200, "{}", stats.body);
    assert!(stats.body["total"].as_str().unwrap().contains('.'));
    assert_eq!(stats.body["months"].as_array().unwrap().len(), 12);

    let form = crate::tasks::task_form("接口任务", 10, &app);
    assert_eq!(
        crate::tasks::save(&app, &ent.cookie, &form).await.status(),
        200
    );
    let tasks = client(&app, &key, "GET", "/openapi/v1/tasks", "", &[]).await;
    assert_eq!(tasks.status, 200, "{}", tasks.body);
    assert_eq!(tasks.body["tasks"][0]["title"], "接口任务");

    // Each route keeps its scope.
    let orders_only = issue(&app, &ent.cookie, &[("scope_orders", "on")]).await;
    for target in [
        "/openapi/v1/invoices/stats",
        "/openapi/v1/tasks",
        "/openapi/v1/orders/R-1/receipt",
    ] {
        let res = client(&app, &orders_only, "GET", target, "", &[]).await;
        assert_eq!(
            (res.status, res.body["code"].as_str()),
            (403, Some("scope_missing")),
            "{target}"
        );
    }
}
