//! The open API's invoices and tasks (issue 19) on both engines, through the reference client:
//! applying for invoices (idempotent, bounded by the invoiceable amount), recording a task's
//! completion and accepting it, with their callbacks (an invoice taken up by finance, a task
//! approved); another enterprise's ids are a 404. And the OpenAPI 3.1 document: well formed,
//! every operation in it served and signed, every route in it, the readable page.

use crate::callbacks::set_callback;
use crate::helpers::TestApp;
use crate::invoice_helpers::{paying_enterprise, profile_form, save_profile};
use crate::openapi::{client, issue};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The payload of the callback queued for `subject`'s `event` into `status`.
async fn payload_of(app: &TestApp, event: &str, subject: &str, status: &str) -> Value {
    let all: Vec<String> = sqlx::query_scalar(
        "SELECT payload FROM callback_deliveries WHERE event = $1 AND subject = $2",
    )
    .bind(event)
    .bind(subject)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    all.iter()
        .map(|p| serde_json::from_str::<Value>(p).unwrap())
        .find(|p| p["data"]["status"] == status)
        .unwrap_or_else(|| panic!("no {event} into {status} for {subject}: {all:?}"))
}

/// Issue 19: invoices applied for and completions recorded through the signed API, their
/// status changes called back, and another enterprise's ids not found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_open_api_applies_for_invoices_and_records_completions() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    // ¥100 paid, with its ¥6 fee: ¥106 invoiceable.
    let ent = paying_enterprise(&app, &ops, "接口开票企业", &["100"]).await;
    save_profile(&app, &ent.cookie, &profile_form("接口开票企业")).await;
    set_callback(&app, &ent.cookie, "http://127.0.0.1:9/cb").await;
    let key = issue(
        &app,
        &ent.cookie,
        &[("scope_invoices", "on"), ("scope_tasks", "on")],
    )
    .await;

    let body = |key: &str, amount: &str| {
        json!({ "key": key, "amount": amount, "kind": "ordinary", "medium": "electronic",
            "goods": "*现代服务*服务费", "remark": "", "emails": "ap@example.com" })
        .to_string()
    };
    let applied = client(
        &app,
        &key,
        "POST",
        "/openapi/v1/invoices",
        &body("API-INV-1", "50"),
        &[],
    )
    .await;
    assert_eq!(applied.status, 201, "{}", applied.body);
    let inv = &applied.body["invoices"][0];
    assert_eq!(
        (inv["amount"].as_str(), inv["status"].as_str()),
        (Some("50.00"), Some("submitted"))
    );
    assert!(
        inv.get("emails").is_none(),
        "the addresses are not read back"
    );
    let id = inv["id"].as_str().unwrap().to_string();
    let again = client(
        &app,
        &key,
        "POST",
        "/openapi/v1/invoices",
        &body("API-INV-1", "50"),
        &[],
    )
    .await;
    assert_eq!(
        again.body["invoices"][0]["id"],
        id.as_str(),
        "idempotent by key"
    );
    let over = client(
        &app,
        &key,
        "POST",
        "/openapi/v1/invoices",
        &body("API-INV-2", "56.01"),
        &[],
    )
    .await;
    assert_eq!(
        (over.status, over.body["code"].as_str()),
        (409, Some("invoice_over_amount"))
    );
    let bad = client(
        &app,
        &key,
        "POST",
        "/openapi/v1/invoices",
        &body("API-INV-3", "abc"),
        &[],
    )
    .await;
    assert_eq!(
        (bad.status, bad.body["fields"][0]["field"].as_str()),
        (422, Some("amount"))
    );
    let listed = client(&app, &key, "GET", "/openapi/v1/invoices", "", &[]).await;
    assert_eq!(listed.body["invoices"][0]["id"], id.as_str());

    // Finance takes it up: the enterprise's system is called back with the new status.
    let res = app
        .call_as(&ops, "start_invoice", &[("id", id.as_str())])
        .await;
    assert_eq!(res.status(), 200);
    let p = payload_of(&app, "invoice.status_changed", &id, "issuing").await;
    assert_eq!(p["data"]["amount"], "50.00");

    // A task approved (called back), a completion recorded and accepted through the API.
    let task = crate::task_completions::open_task(&app, &ops, &ent, "接口任务", None).await;
    let p = payload_of(&app, "task.status_changed", &task, "open").await;
    assert_eq!(p["data"]["id"], task.as_str());
    // Submitted, then approved before anything was sent: the receiver is told once, "open".
    let queued: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM callback_deliveries WHERE event = 'task.status_changed' AND subject = $1",
    )
    .bind(&task)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(queued, 1, "an unsent change is superseded");
    let work = json!({ "name": "张三", "id_number": crate::task_completions::ZHANG,
        "mobile": "13900000011", "channel": "bank", "account": "6222021234561234",
        "quantity": "2", "milestone": "", "amount": "" })
    .to_string();
    let path = format!("/openapi/v1/tasks/{task}/completions");
    let recorded = client(&app, &key, "POST", &path, &work, &[]).await;
    assert_eq!(recorded.status, 201, "{}", recorded.body);
    let cid = recorded.body["id"].as_str().unwrap().to_string();
    let recorder: String =
        sqlx::query_scalar("SELECT recorded_by FROM task_completions WHERE id = $1")
            .bind(&cid)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let issuer: String =
        sqlx::query_scalar("SELECT created_by FROM api_credentials WHERE key_id = $1")
            .bind(key["key_id"].as_str().unwrap())
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(recorder, issuer, "the key's issuing admin records it");
    assert!(app.audit_count("task.completion.record").await >= 1);
    let step = |s: &str| format!("/openapi/v1/completions/{cid}/{s}");
    let wrong = client(&app, &key, "POST", &step("pay"), "", &[]).await;
    assert_eq!(wrong.status, 422);
    let accepted = client(&app, &key, "POST", &step("accept"), "", &[]).await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    let list = client(&app, &key, "GET", &path, "", &[]).await;
    let c = &list.body["completions"][0];
    assert_eq!(
        (c["status"].as_str(), c["amount"].as_str()),
        (Some("accepted"), Some("17.00"))
    );
    let text = list.body.to_string();
    assert!(
        !text.contains("张三") && !text.contains("6222"),
        "payee details are not read back"
    );
    let tasks = client(&app, &key, "GET", "/openapi/v1/tasks", "", &[]).await;
    assert!(tasks.body.to_string().contains(&task));

    // Another enterprise's key: A's task, completion and nothing of its invoices.
    let ops2 = app.finance().await;
    let other = app.funded_enterprise(&ops2, "旁观接口企业", "").await;
    let theirs = issue(
        &app,
        &other.cookie,
        &[("scope_invoices", "on"), ("scope_tasks", "on")],
    )
    .await;
    assert_eq!(
        client(&app, &theirs, "GET", &path, "", &[]).await.status,
        404
    );
    assert_eq!(
        client(&app, &theirs, "POST", &path, &work, &[])
            .await
            .status,
        404
    );
    assert_eq!(
        client(&app, &theirs, "POST", &step("withdraw"), "", &[])
            .await
            .status,
        404
    );
    let none = client(&app, &theirs, "GET", "/openapi/v1/invoices", "", &[]).await;
    assert_eq!(none.body["invoices"].as_array().map(Vec::len), Some(0));
    // A key without the scope is refused.
    let orders_only = issue(&app, &ent.cookie, &[("scope_orders", "on")]).await;
    let refused = client(&app, &orders_only, "GET", "/openapi/v1/invoices", "", &[]).await;
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (403, Some("scope_missing"))
    );
}

/// The operations the API serves: the document must name exactly these.
const OPERATIONS: &[(&str, &str)] = &[
    ("post", "/openapi/v1/orders"),
    ("get", "/openapi/v1/orders"),
    ("get", "/openapi/v1/orders/{order_id}"),
    ("post", "/openapi/v1/orders/{order_id}/cancel"),
    ("post", "/openapi/v1/orders/{order_id}/retry"),
    ("get", "/openapi/v1/orders/{order_id}/receipt"),
    ("get", "/openapi/v1/balance"),
    ("get", "/openapi/v1/fund-flow"),
    ("get", "/openapi/v1/bills/{month}"),
    ("post", "/openapi/v1/invoices"),
    ("get", "/openapi/v1/invoices"),
    ("get", "/openapi/v1/invoices/stats"),
    ("get", "/openapi/v1/tasks"),
    ("post", "/openapi/v1/tasks/{task_id}/completions"),
    ("get", "/openapi/v1/tasks/{task_id}/completions"),
    ("post", "/openapi/v1/completions/{id}/{step}"),
];

/// Every `$ref` in `v` names a schema of `schemas`.
fn refs_resolve(v: &Value, schemas: &serde_json::Map<String, Value>) {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                let name = r
                    .strip_prefix("#/components/schemas/")
                    .expect("a local schema");
                assert!(schemas.contains_key(name), "{r} does not resolve");
            }
            m.values().for_each(|x| refs_resolve(x, schemas));
        }
        Value::Array(a) => a.iter().for_each(|x| refs_resolve(x, schemas)),
        _ => {}
    }
}

/// Issue 19: the OpenAPI 3.1 document is well formed (required fields, unique operation ids,
/// declared path parameters, answers, the signature's scheme, resolving references), names
/// exactly the served operations, each of which is signed (an unsigned call is refused with
/// the documented JSON error, so the router and the document agree); the page shows them all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_names_every_route() {
    let app = crate::helpers::spawn_app().await;
    let res = app.get("/openapi/v1/openapi.json").await;
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    assert!(doc["info"]["description"]
        .as_str()
        .unwrap()
        .contains("X-Signature"));
    assert_eq!(
        doc["components"]["securitySchemes"]["signed"]["in"],
        "header"
    );
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    refs_resolve(&doc, schemas);

    let mut found = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            found.insert((method.clone(), path.clone()));
            assert!(
                ids.insert(op["operationId"].as_str().unwrap().to_string()),
                "unique ids"
            );
            assert_eq!(
                op["security"][0]["signed"],
                json!([]),
                "{method} {path} is signed"
            );
            assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()));
            assert!(op["tags"][0].is_string());
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            let in_path: BTreeSet<&str> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .collect();
            assert_eq!(declared, in_path, "{method} {path}: its path parameters");
        }
    }
    let wanted: BTreeSet<(String, String)> = OPERATIONS
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        found, wanted,
        "the document names exactly the served operations"
    );

    // Every operation of the document is served, and refuses an unsigned call.
    for (method, path) in &found {
        let concrete: String = path
            .split('/')
            .map(|s| if s.starts_with('{') { "x" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let req = match method.as_str() {
            "get" => app.client.get(app.url(&concrete)),
            _ => app.client.post(app.url(&concrete)).body("{}"),
        };
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 401, "{method} {path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "missing_signature_headers", "{method} {path}");
    }

    let page = app.get("/openapi/v1/docs").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("X-Signature") && html.contains("Callbacks"));
    for (method, path) in &found {
        let marker = format!("data-path=\"{path}\" data-method=\"{method}\"");
        assert!(html.contains(&marker), "the page shows {method} {path}");
    }
}

/// Issue 19: every answer of the API is its JSON error with the request id, also where axum
/// would answer plain text or the portal its page: a malformed query or path (`bad_request`),
/// an unknown route (`not_found`), a method the route does not take (`method_not_allowed`, with
/// `Allow`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_open_api_answers_every_error_as_json() {
    let app = crate::helpers::spawn_app().await;
    let cases = [
        (
            "GET",
            "/openapi/v1/orders?cursor=a&cursor=b",
            400,
            "bad_request",
        ),
        ("GET", "/openapi/v1/orders/%FF%FE", 400, "bad_request"),
        ("GET", "/openapi/v1/nowhere", 404, "not_found"),
        ("GET", "/openapi/v1/orders/x/refund", 404, "not_found"),
        ("DELETE", "/openapi/v1/orders", 405, "method_not_allowed"),
        (
            "GET",
            "/openapi/v1/orders/x/cancel",
            405,
            "method_not_allowed",
        ),
        ("POST", "/openapi/v1/docs", 405, "method_not_allowed"),
        ("GET", "/openapi/v1", 404, "not_found"),
        ("GET", "/openapi/v1/", 404, "not_found"),
    ];
    for (method, target, status, code) in cases {
        let res = app
            .client
            .request(method.parse().unwrap(), app.url(target))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{method} {target}");
        let rid = res.headers()["x-request-id"].to_str().unwrap().to_string();
        if status == 405 {
            assert!(res.headers().contains_key("allow"), "{method} {target}");
        }
        let body: Value = res.json().await.expect("a JSON answer");
        assert_eq!(body["code"], code, "{method} {target}: {body}");
        assert_eq!(body["request_id"], rid.as_str(), "{method} {target}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // A well-formed call still reaches the signature check.
    let res = app.get("/openapi/v1/orders?cursor=a").await;
    assert_eq!(res.status(), 401);
}
