//! The open API's callbacks (issue 19) on both engines: an admin sets the address and gets the
//! signing secret once; an order's status change queues a callback in its transaction; the
//! worker POSTs it signed to a local receiver; failures are retried on the doubling schedule
//! (driven by the manual clock) and given up 24 hours later; the portal's log shows each
//! delivery and re-sends one; another enterprise cannot re-send it; every delivery that left
//! is a sharing event with the payload's registered fields only (P3.1.3, P3.1.4). And the SSRF
//! protection of the production client: only public https addresses, no redirects, a short
//! timeout, a bounded answer.

use crate::helpers::{json, on_server, TestApp};
use crate::openapi::{client, issue};
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

/// One callback as received: its id, timestamp and signature headers, and its body.
type Received = (String, String, String, String);

/// What the local receiver got, in order, and what it answers.
#[derive(Clone, Default)]
struct Inbox {
    got: Arc<Mutex<Vec<Received>>>,
    answer: Arc<AtomicU16>,
}

impl Inbox {
    fn len(&self) -> usize {
        self.got.lock().unwrap().len()
    }
    fn last(&self) -> Received {
        self.got
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("a callback")
    }
}

/// A receiver on 127.0.0.1 answering `inbox.answer`; its `/cb` URL.
async fn receiver(inbox: Inbox) -> String {
    let app = axum::Router::new().route(
        "/cb",
        axum::routing::post(
            |axum::extract::State(inbox): axum::extract::State<Inbox>,
             headers: HeaderMap,
             body: String| async move {
                let h = |n: &str| {
                    headers
                        .get(n)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string()
                };
                inbox.got.lock().unwrap().push((
                    h("x-callback-id"),
                    h("x-timestamp"),
                    h("x-signature"),
                    body,
                ));
                let code = inbox.answer.load(Ordering::SeqCst);
                (StatusCode::from_u16(code).unwrap(), "received")
            },
        ),
    );
    let app = app.with_state(inbox);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/cb")
}

async fn pass(app: &TestApp) -> app::backend::callbacks::deliver::Pass {
    let state = app.state.clone();
    on_server(async move {
        app::backend::callbacks::deliver::tick(&state, state.callbacks.as_ref()).await
    })
    .await
    .expect("a callback pass")
}

/// The documented signature: hex HMAC-SHA256 of "{timestamp}\n{id}\n{body}" (the browser
/// test checks it with Node's own crypto).
fn hmac_hex(secret: &str, msg: &str) -> String {
    hex::encode(app::backend::crypto::hmac_sha256(
        secret.as_bytes(),
        msg.as_bytes(),
    ))
}

async fn delivery(app: &TestApp, id: &str) -> (String, i64, i64) {
    sqlx::query_as("SELECT status, attempts, next_at FROM callback_deliveries WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

pub(crate) fn order_body(order_id: &str) -> String {
    serde_json::json!({
        "order_id": order_id, "payee_name": "张三", "id_number": "110105199001011232",
        "channel": "bank", "account": "6222021234561234", "mobile": "13900000011",
        "amount": "12.34", "remark": "回调", "project": "",
    })
    .to_string()
}

/// Sets `url` as the callback address of `admin`'s enterprise; the answer.
pub(crate) async fn set_callback(app: &TestApp, admin: &str, url: &str) -> Value {
    let res = app
        .call_as(admin, "save_api_callback", &[("url", url)])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await
}

/// Issue 19, P3.1.3, P3.1.4: a cancelled order's callback is queued, signed, retried on the
/// schedule with the manual clock, delivered, logged as a sharing event, shown and re-sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_changes_are_called_back_signed_and_retried() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "回调企业", "1000").await;
    let inbox = Inbox::default();
    inbox.answer.store(500, Ordering::SeqCst);
    let url = receiver(inbox.clone()).await;

    // A bad address is a field error; the first address gets a secret, shown once.
    let bad = app
        .call_as(
            &ent.cookie,
            "save_api_callback",
            &[("url", "ftp://x.example")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("\"url\""));
    let saved = set_callback(&app, &ent.cookie, &url).await;
    let secret = saved["secret"].as_str().expect("a secret").to_string();
    assert_eq!(secret.len(), 64);
    let again = set_callback(&app, &ent.cookie, &url).await;
    assert!(again["secret"].is_null(), "the secret is issued once");
    let shown = app.call_as(&ent.cookie, "api_callbacks", &[]).await;
    let shown = shown.text().await.unwrap();
    assert!(shown.contains(&url) && !shown.contains(&secret));
    let stored: String =
        sqlx::query_scalar("SELECT secret_enc FROM api_callbacks WHERE enterprise_id = $1")
            .bind(&ent.id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert!(!stored.contains(&secret), "the secret is sealed at rest");

    // An order created and cancelled through the API: the cancellation is queued.
    let key = issue(&app, &ent.cookie, &[("scope_orders", "on")]).await;
    let created = client(
        &app,
        &key,
        "POST",
        "/openapi/v1/orders",
        &order_body("CB-1"),
        &[],
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let queued = app.count("callback_deliveries").await;
    let cancel = client(
        &app,
        &key,
        "POST",
        "/openapi/v1/orders/CB-1/cancel",
        "",
        &[],
    )
    .await;
    assert_eq!(cancel.status, 200, "{}", cancel.body);
    assert_eq!(app.count("callback_deliveries").await, queued + 1);
    let id: String = sqlx::query_scalar(
        "SELECT id FROM callback_deliveries WHERE subject = 'CB-1' AND payload LIKE '%cancelled%'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();

    // The receiver fails: retried after 30 s, then 1 min (not before).
    let shared_before = app.count("sharing_events").await;
    pass(&app).await;
    let (status, attempts, next) = delivery(&app, &id).await;
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    let now = app::backend::clock::Clock::now(&*app.clock).0;
    assert_eq!(next - now, 30_000);
    let sent = inbox.len();
    app.clock.advance_ms(29_000);
    pass(&app).await;
    assert_eq!(inbox.len(), sent, "not before its time");
    app.clock.advance_ms(1_000);
    pass(&app).await;
    let (_, attempts, next) = delivery(&app, &id).await;
    assert_eq!(attempts, 2);
    assert_eq!(
        next - app::backend::clock::Clock::now(&*app.clock).0,
        60_000
    );
    assert!(app.count("sharing_events").await > shared_before);

    // The receiver recovers: delivered, signed with the secret, minimal.
    inbox.answer.store(200, Ordering::SeqCst);
    app.clock.advance_ms(60_000);
    pass(&app).await;
    assert_eq!(delivery(&app, &id).await.0, "delivered");
    let (cb_id, ts, sig, body) = inbox.last();
    assert_eq!(cb_id, id);
    assert_eq!(sig, hmac_hex(&secret, &format!("{ts}\n{cb_id}\n{body}")));
    let payload: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(payload["event"], "order.status_changed");
    assert_eq!(payload["data"]["order_id"], "CB-1");
    assert_eq!(payload["data"]["status"], "cancelled");
    assert_eq!(payload["data"]["amount"], "12.34");
    for personal in ["张三", "1101", "6222", "1390"] {
        assert!(!body.contains(personal), "{personal} is not in a callback");
    }
    let (fields, reference): (String, String) = sqlx::query_as(
        "SELECT e.fields, e.reference FROM sharing_events e JOIN sharing_recipients r ON r.id = e.recipient_id \
         WHERE r.code = 'enterprise_api' AND e.reference = 'callback:CB-1' ORDER BY e.at DESC LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        (fields.as_str(), reference.as_str()),
        ("payment_orders.amount", "callback:CB-1")
    );

    // The log shows it; another enterprise cannot re-send it; the admin can.
    let log = json(app.call_as(&ent.cookie, "api_callbacks", &[]).await).await;
    let row = log["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id.as_str())
        .cloned()
        .unwrap();
    assert_eq!(row["status"], "delivered");
    assert_eq!(row["last_status"], 200);
    let other = app.open_enterprise("旁观企业").await;
    let res = app
        .call_as(&other, "resend_api_callback", &[("id", id.as_str())])
        .await;
    assert_eq!(res.status(), 404);
    let theirs = json(app.call_as(&other, "api_callbacks", &[]).await).await;
    assert_eq!(theirs["deliveries"].as_array().unwrap().len(), 0);
    let res = app
        .call_as(&ent.cookie, "resend_api_callback", &[("id", id.as_str())])
        .await;
    assert_eq!(res.status(), 200);
    pass(&app).await;
    assert_eq!(inbox.last().0, id, "re-sent");
    assert_eq!(delivery(&app, &id).await.1, 4);
    assert_eq!(app.audit_count("api_callback.set").await, 2);
    assert_eq!(app.audit_count("api_callback.resend").await, 1);
}

/// Issue 19: a receiver that never answers 2xx is tried for 24 hours on the doubling schedule,
/// then the delivery fails; removing the address fails what still waits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callbacks_give_up_after_a_day() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "重试企业", "1000").await;
    let inbox = Inbox::default();
    inbox.answer.store(503, Ordering::SeqCst);
    let url = receiver(inbox.clone()).await;
    set_callback(&app, &ent.cookie, &url).await;
    let key = issue(&app, &ent.cookie, &[("scope_orders", "on")]).await;
    for n in ["GU-1", "GU-2"] {
        let c = client(
            &app,
            &key,
            "POST",
            "/openapi/v1/orders",
            &order_body(n),
            &[],
        )
        .await;
        assert_eq!(c.status, 201);
        let path = format!("/openapi/v1/orders/{n}/cancel");
        assert_eq!(client(&app, &key, "POST", &path, "", &[]).await.status, 200);
    }
    let id: String =
        sqlx::query_scalar("SELECT id FROM callback_deliveries WHERE subject = 'GU-1'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let start = app::backend::clock::Clock::now(&*app.clock).0;
    let attempts = loop {
        pass(&app).await;
        let (status, n, next) = delivery(&app, &id).await;
        if status == "failed" {
            break n;
        }
        assert_eq!(status, "pending");
        assert!(next <= start + 24 * 3_600_000, "never past the day");
        let now = app::backend::clock::Clock::now(&*app.clock).0;
        app.clock.advance_ms(next - now);
        assert!(n < 40, "the schedule ends");
    };
    assert!(
        (12..=20).contains(&attempts),
        "{attempts} attempts in a day"
    );
    let last: String =
        sqlx::query_scalar("SELECT last_error FROM callback_deliveries WHERE id = $1")
            .bind(&id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert!(last.starts_with("HTTP 503"), "{last}");
    // GU-2 was delivered in the same passes; removing the address fails what waits.
    let other: String =
        sqlx::query_scalar("SELECT status FROM callback_deliveries WHERE subject = 'GU-2'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(other, "failed");
    // A day later the admin logs in again and re-sends it, then removes the address.
    let admin = app.login(&ent.mobile, crate::helpers::APPLICANT_PW).await;
    let res = app
        .call_as(&admin, "resend_api_callback", &[("id", id.as_str())])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(delivery(&app, &id).await.0, "pending");
    // A new day of retries, from the first delay again.
    pass(&app).await;
    let (status, total, next) = delivery(&app, &id).await;
    assert_eq!((status.as_str(), total), ("pending", attempts + 1));
    assert_eq!(
        next - app::backend::clock::Clock::now(&*app.clock).0,
        30_000
    );
    let off = set_callback(&app, &admin, "").await;
    assert!(off["url"].is_null());
    assert_eq!(delivery(&app, &id).await.0, "failed");
    let res = app
        .call_as(&admin, "resend_api_callback", &[("id", id.as_str())])
        .await;
    assert_eq!(res.status(), 409, "no address to re-send to");
    assert_eq!(app.audit_count("api_callback.remove").await, 1);
}

/// Issue 19, SSRF: the production client refuses non-https, loopback, private, link-local
/// (metadata) and names resolving to them, without sending; every client never follows a
/// redirect, stops waiting after its timeout and reads a bounded answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_callback_client_refuses_private_addresses_and_redirects() {
    use app::backend::callbacks::deliver::{Outgoing, Sender, Sent};
    use server::callbacks::{public_addresses, HttpSender};
    use std::time::Duration;

    let hits = Arc::new(AtomicU16::new(0));
    let h = hits.clone();
    let big = "x".repeat(1 << 20);
    let app = axum::Router::new()
        .route(
            "/cb",
            axum::routing::post(move || {
                let h = h.clone();
                async move {
                    h.fetch_add(1, Ordering::SeqCst);
                    "ok"
                }
            }),
        )
        .route(
            "/moved",
            axum::routing::post(|| async { (StatusCode::FOUND, [("location", "/cb")], "moved") }),
        )
        .route(
            "/slow",
            axum::routing::post(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                "late"
            }),
        )
        .route("/big", axum::routing::post(move || async move { big }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let out = |url: String| Outgoing {
        id: "d1".into(),
        url,
        timestamp: 0,
        signature: "s".into(),
        body: "{}".into(),
    };

    let production = HttpSender::new(true, Duration::from_millis(500)).unwrap();
    for url in [
        format!("http://{addr}/cb"),
        format!("https://{addr}/cb"),
        format!("https://localhost:{}/cb", addr.port()),
        "https://169.254.169.254/latest/meta-data".to_string(),
        "https://10.0.0.1/cb".to_string(),
        "https://[::1]/cb".to_string(),
        "https://[::ffff:127.0.0.1]/cb".to_string(),
        // 127.0.0.1 spelt as URL parsers also read it.
        format!("https://2130706433:{}/cb", addr.port()),
        format!("https://0x7f.1:{}/cb", addr.port()),
        format!("https://127.1:{}/cb", addr.port()),
        format!("https://127.0.0.1.:{}/cb", addr.port()),
    ] {
        let sent = production.send(&out(url.clone())).await;
        assert!(matches!(sent, Sent::Refused(_)), "{url}: {sent:?}");
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "nothing reached the receiver"
    );
    // A name is resolved to public addresses only: loopback names resolve to none.
    assert!(public_addresses("localhost").await.is_err());

    let dev = HttpSender::new(false, Duration::from_millis(500)).unwrap();
    let ok = dev.send(&out(format!("http://{addr}/cb"))).await;
    assert!(matches!(ok, Sent::Answered { status: 200, .. }), "{ok:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    let moved = dev.send(&out(format!("http://{addr}/moved"))).await;
    assert!(
        matches!(moved, Sent::Answered { status: 302, .. }),
        "{moved:?}"
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "the redirect is not followed"
    );
    let slow = dev.send(&out(format!("http://{addr}/slow"))).await;
    assert!(matches!(slow, Sent::NoAnswer(_)), "{slow:?}");
    match dev.send(&out(format!("http://{addr}/big"))).await {
        Sent::Answered { status, excerpt } => {
            assert_eq!(status, 200);
            assert!(excerpt.len() <= 200);
        }
        other => panic!("{other:?}"),
    }
}

/// A delivery waiting for `admin`'s enterprise, as the queue writes one (for the walk).
pub(crate) async fn queued_delivery(app: &TestApp, admin: &str) -> String {
    let settings = json(app.call_as(admin, "api_callbacks", &[]).await).await;
    assert!(settings["url"].is_string(), "the address is set first");
    let id = app::backend::ids::new_id();
    sqlx::query(
        "INSERT INTO callback_deliveries (id, enterprise_id, event, subject, payload, fields, status, \
         attempts, window_from, next_at, created_at) SELECT $1, enterprise_id, 'task.status_changed', \
         'walk', '{}', '', 'pending', 0, 0, 0, 0 FROM api_callbacks WHERE url = 'http://127.0.0.1:9/cb'",
    )
    .bind(&id)
    .execute(app.db.pool())
    .await
    .unwrap();
    id
}
