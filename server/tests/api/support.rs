//! Customer service (issue 18 §3, P1.1.7) on both engines: a ticket's life cycle (open →
//! answered → replied → resolved → reopened → closed → rated), the two timers and the overdue
//! queue, replies told through the messages capability, files checked by content, the
//! identity check (a texted code with its tries, or the portal's button) before the account
//! panel opens — refused and audited before, audited with the ticket after — and the
//! conversations' retention.

use crate::helpers::{field_rules, json, spawn_app_with, TestApp};
use crate::retention::DAY_MS;
use serde_json::Value;

pub(crate) fn conflict(body: &Value) -> String {
    body["detail"].as_str().unwrap_or_default().to_string()
}

/// Opens a ticket as `cookie`'s person; its id.
pub async fn open_ticket(app: &TestApp, cookie: &str, subject: &str) -> String {
    let key = format!("key-{subject}");
    let res = app
        .call_as(
            cookie,
            "open_ticket",
            &[
                ("key", &key),
                ("category", "funds"),
                ("subject", subject),
                ("body", "充值三天了还没到账"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    json(res).await.as_str().expect("an id").to_string()
}

/// Opens a ticket and attaches a PNG named `file_name`; the ticket's id.
pub async fn with_file(app: &TestApp, cookie: &str, subject: &str, file_name: &str) -> String {
    let id = open_ticket(app, cookie, subject).await;
    let res = app
        .upload_png(cookie, "attach_ticket_file", &[("ticket", &id)], file_name)
        .await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    id
}

/// Support asks the ticket's customer to verify by `method`.
pub async fn ask(app: &TestApp, ops: &str, id: &str, method: &str) {
    let res = app
        .call_as(
            ops,
            "request_ticket_verification",
            &[("id", id), ("method", method)],
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
}

/// Every code the development mailbox holds for `mobile`.
async fn codes_to(app: &TestApp, ops: &str, mobile: &str) -> Vec<String> {
    let mail = json(app.call_as(ops, "dev_mailbox", &[]).await).await;
    mail.as_array()
        .unwrap()
        .iter()
        .filter(|m| m["recipient"] == mobile)
        .filter_map(|m| {
            let body = m["body"].as_str()?;
            let at = body.find("验证码为")? + "验证码为".len();
            Some(body[at..at + 6].to_string())
        })
        .collect()
}

async fn ticket(app: &TestApp, cookie: &str, id: &str) -> Value {
    json(app.call_as(cookie, "support_ticket", &[("id", id)]).await).await
}

pub(crate) async fn step(
    app: &TestApp,
    cookie: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let res = app.call_as(cookie, endpoint, form).await;
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Targets of 30 minutes and 2 hours; sessions that outlast the timers the tests move through.
pub(crate) fn support_app() -> [&'static str; 6] {
    [
        "--support-first-response-minutes",
        "30",
        "--support-resolution-hours",
        "2",
        "--session-idle-minutes",
        "600",
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_7_a_ticket_is_answered_resolved_closed_and_rated_with_its_timers() {
    let app = spawn_app_with(&support_app()).await;
    let ops = app.finance().await;
    let (cookie, _) = app.open_enterprise_login("工单企业").await;

    // Bad input: each field named, nothing written.
    let (status, body) = step(
        &app,
        &cookie,
        "open_ticket",
        &[
            ("key", "k1"),
            ("category", "x"),
            ("subject", ""),
            ("body", " "),
        ],
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<String> = field_rules(&body).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["category", "subject", "body"]);
    assert_eq!(app.count("support_tickets").await, 0);

    // Opened (twice with the same key: one ticket); the form tells the period from the map.
    let id = open_ticket(&app, &cookie, "充值未到账").await;
    assert_eq!(open_ticket(&app, &cookie, "充值未到账").await, id);
    let home = json(app.call_as(&cookie, "support_home", &[]).await).await;
    assert_eq!(home["tickets"].as_array().unwrap().len(), 1);
    assert_eq!(home["kept_days_after_close"], 1095);
    let t = ticket(&app, &cookie, &id).await;
    assert_eq!(t["ticket"]["status"], "open");
    assert_eq!(t["messages"][0]["author"], "customer");

    // Nobody answered within 30 minutes: overdue, first in the queue and under "overdue".
    let quiet = open_ticket(&app, &cookie, "另一个问题").await;
    app.clock.advance_minutes(31);
    let fresh = open_ticket(&app, &cookie, "新问题").await;
    let q = json(app.call_as(&ops, "support_queue", &[("status", "")]).await).await;
    let order: Vec<&str> = q["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(order[2], fresh, "the one on time comes last: {order:?}");
    assert!(q["tickets"][0]["timeliness"]["first_response_overdue"] == true);
    let late = json(
        app.call_as(&ops, "support_queue", &[("status", ""), ("overdue", "on")])
            .await,
    )
    .await;
    assert_eq!(late["tickets"].as_array().unwrap().len(), 2);
    assert_eq!(q["targets"]["first_response_minutes"], 30);

    // Support answers: waiting for the customer, the first answer's time kept, and the customer
    // told in their message centre (客服消息).
    let (status, _) = step(
        &app,
        &ops,
        "ops_reply_ticket",
        &[("id", &id), ("body", "请提供转账凭证")],
    )
    .await;
    assert_eq!(status, 200);
    let t = ticket(&app, &cookie, &id).await;
    assert_eq!(t["ticket"]["status"], "waiting_customer");
    assert!(t["ticket"]["first_response_at"].is_i64());
    assert_eq!(t["messages"][1]["author"], "operator");
    let inbox = json(app.call_as(&cookie, "my_inbox", &[]).await).await;
    let told = inbox["messages"].as_array().unwrap().iter().any(|m| {
        m["category"] == "support"
            && m["body"]["zh"]
                .as_str()
                .unwrap_or("")
                .contains("请提供转账凭证")
    });
    assert!(told, "{inbox}");

    // The customer replies: waiting for us. Resolved, then a reply reopens it.
    let (status, _) = step(
        &app,
        &cookie,
        "reply_ticket",
        &[("id", &id), ("body", "凭证见附件")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        ticket(&app, &cookie, &id).await["ticket"]["status"],
        "waiting_us"
    );
    assert_eq!(
        step(&app, &ops, "resolve_ticket", &[("id", &id)]).await.0,
        200
    );
    let (status, body) = step(&app, &ops, "resolve_ticket", &[("id", &id)]).await;
    assert_eq!((status, conflict(&body).as_str()), (409, "ticket_moved_on"));
    assert_eq!(
        step(
            &app,
            &cookie,
            "reply_ticket",
            &[("id", &id), ("body", "还有问题")]
        )
        .await
        .0,
        200
    );
    assert_eq!(
        ticket(&app, &cookie, &id).await["ticket"]["status"],
        "waiting_us"
    );

    // Rating waits until it is closed; closed, no more replies; rated once, 1 to 5.
    let rate = |r: &'static str| {
        [
            ("id", id.clone()),
            ("rating", r.to_string()),
            ("note", "很快".to_string()),
        ]
    };
    let form = rate("5");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(step(&app, &cookie, "rate_ticket", &form).await.0, 409);
    assert_eq!(
        step(&app, &cookie, "close_ticket", &[("id", &id)]).await.0,
        200
    );
    let (status, body) = step(
        &app,
        &cookie,
        "reply_ticket",
        &[("id", &id), ("body", "再问")],
    )
    .await;
    assert_eq!((status, conflict(&body).as_str()), (409, "ticket_moved_on"));
    let bad = rate("6");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(step(&app, &cookie, "rate_ticket", &bad).await.0, 422);
    assert_eq!(step(&app, &cookie, "rate_ticket", &form).await.0, 200);
    assert_eq!(step(&app, &cookie, "rate_ticket", &form).await.0, 409);
    assert_eq!(ticket(&app, &cookie, &id).await["rating"][0], 5);
    assert_eq!(app.audit_count("support.rate").await, 1);

    // A resolved ticket nobody answers closes after a week (not before), and its customer is
    // told.
    assert_eq!(
        step(&app, &ops, "resolve_ticket", &[("id", &quiet)])
            .await
            .0,
        200
    );
    // Resolving answered it (its first-response timer stopped). A ticket waiting for a
    // customer who does not answer closes after two weeks.
    assert!(ticket(&app, &cookie, &quiet).await["ticket"]["first_response_at"].is_i64());
    let (status, _) = step(
        &app,
        &ops,
        "ops_reply_ticket",
        &[("id", &fresh), ("body", "请补充截图")],
    )
    .await;
    assert_eq!(status, 200);
    let close_resolved = || {
        let state = app.state.clone();
        crate::helpers::on_server(
            async move { app::backend::support::close_resolved(&state).await },
        )
    };
    app.clock.advance_ms(6 * DAY_MS);
    assert_eq!(close_resolved().await.unwrap(), 0);
    app.clock.advance_ms(2 * DAY_MS);
    assert_eq!(close_resolved().await.unwrap(), 1);
    let status: String = sqlx::query_scalar("SELECT status FROM support_tickets WHERE id = $1")
        .bind(&quiet)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "closed");
    app.clock.advance_ms(7 * DAY_MS);
    assert_eq!(
        close_resolved().await.unwrap(),
        1,
        "the one waiting for the customer"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_7_the_account_panel_opens_only_after_the_customer_is_verified() {
    let app = spawn_app_with(&support_app()).await;
    let ops = app.finance().await;
    let (cookie, mobile) = app.open_enterprise_login("验证企业").await;
    let id = open_ticket(&app, &cookie, "账户问题").await;

    // Closed server-side before verification, and the refusal audited.
    let (status, body) = step(&app, &ops, "ticket_account_panel", &[("id", &id)]).await;
    assert_eq!(
        (status, conflict(&body).as_str()),
        (409, "identity_not_verified")
    );
    let denied: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'support.account_lookup' AND result = 'denied' AND target = $1",
    )
    .bind(format!("support_ticket:{id}"))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(denied, 1);
    // The customer cannot verify what was not asked for.
    let (status, body) = step(&app, &cookie, "confirm_ticket_identity", &[("id", &id)]).await;
    assert_eq!(
        (status, conflict(&body).as_str()),
        (409, "verification_not_requested")
    );

    // By a texted code to the registered mobile (one a minute): five wrong tries use it up.
    ask(&app, &ops, &id, "sms_code").await;
    let (status, body) = step(
        &app,
        &ops,
        "request_ticket_verification",
        &[("id", &id), ("method", "sms_code")],
    )
    .await;
    assert_eq!(
        (status, conflict(&body).as_str()),
        (409, "support_code_too_soon")
    );
    let code = app.code_sent_to(&mobile).await;
    let t = ticket(&app, &cookie, &id).await;
    assert_eq!(
        t["ticket"]["verification"]["requested"]["method"],
        "sms_code"
    );
    assert_eq!(t["mobile_hint"], mobile[7..].to_string());
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let (status, body) = step(
            &app,
            &cookie,
            "confirm_ticket_identity",
            &[("id", &id), ("code", wrong)],
        )
        .await;
        assert_eq!(
            (status, conflict(&body).as_str()),
            (409, "support_code_wrong")
        );
    }
    let (status, _) = step(
        &app,
        &cookie,
        "confirm_ticket_identity",
        &[("id", &id), ("code", &code)],
    )
    .await;
    assert_eq!(status, 409, "the code is out of tries");
    assert_eq!(
        step(&app, &ops, "ticket_account_panel", &[("id", &id)])
            .await
            .0,
        409
    );

    // A new code (an hour later: a number gets five texts an hour; they may leave in another
    // order), and the right one verifies.
    let before = codes_to(&app, &ops, &mobile).await;
    app.clock.advance_minutes(61);
    ask(&app, &ops, &id, "sms_code").await;
    app.deliver_all().await;
    let code = codes_to(&app, &ops, &mobile)
        .await
        .into_iter()
        .find(|c| !before.contains(c))
        .expect("a new code");
    let (status, body) = step(
        &app,
        &cookie,
        "confirm_ticket_identity",
        &[("id", &id), ("code", &code)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let t = ticket(&app, &cookie, &id).await;
    assert!(t["ticket"]["verification"]["verified"].is_object(), "{t}");

    // Open now; every look audited with the ticket's id.
    for _ in 0..2 {
        let (status, panel) = step(&app, &ops, "ticket_account_panel", &[("id", &id)]).await;
        assert_eq!(status, 200);
        assert_eq!(panel["enterprise_name"], "验证企业");
        assert!(panel["people"][0]["mobile"]
            .as_str()
            .unwrap()
            .contains("****"));
    }
    let looks: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'support.account_lookup' AND result = 'ok' AND target = $1",
    )
    .bind(format!("support_ticket:{id}"))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(looks, 2);

    // By the portal's button on another ticket; closing the ticket closes the panel again.
    let other = open_ticket(&app, &cookie, "第二个问题").await;
    ask(&app, &ops, &other, "portal").await;
    assert_eq!(
        step(&app, &ops, "ticket_account_panel", &[("id", &other)])
            .await
            .0,
        409
    );
    assert_eq!(
        step(&app, &cookie, "confirm_ticket_identity", &[("id", &other)])
            .await
            .0,
        200
    );
    assert_eq!(
        step(&app, &ops, "ticket_account_panel", &[("id", &other)])
            .await
            .0,
        200
    );
    assert_eq!(
        step(&app, &ops, "ops_close_ticket", &[("id", &other)])
            .await
            .0,
        200
    );
    assert_eq!(
        step(&app, &ops, "ticket_account_panel", &[("id", &other)])
            .await
            .0,
        409
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_7_files_are_checked_and_only_the_ticket_s_people_read_them() {
    let app = spawn_app_with(&support_app()).await;
    let ops = app.finance().await;
    let (cookie, _) = app.open_enterprise_login("附件企业").await;
    let other = app.open_enterprise("别的企业").await;
    let id = open_ticket(&app, &cookie, "附件问题").await;

    let res = app
        .upload_png(
            &cookie,
            "attach_ticket_file",
            &[("ticket", &id)],
            "凭证.png",
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    // Not an image or a PDF: refused by its content, nothing written.
    let form = reqwest::multipart::Form::new()
        .text("ticket", id.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"MZ\x90\x00not a picture".to_vec()).file_name("x.png"),
        );
    let res = app
        .client
        .post(app.url("/api/attach_ticket_file"))
        .header("accept", "application/json")
        .header("cookie", &cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("support_attachments").await, 1);

    let t = ticket(&app, &cookie, &id).await;
    let file = &t["messages"][1]["attachments"][0];
    assert_eq!(file["name"], "凭证.png");
    let file_id = file["id"].as_str().unwrap();
    let res = app
        .get_as(&cookie, &format!("/support/files/{file_id}"))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    // Another enterprise, a visitor and the customer's path with an operator's session: 404.
    for who in [other.as_str(), "", ops.as_str()] {
        let res = app.get_as(who, &format!("/support/files/{file_id}")).await;
        assert_eq!(res.status(), 404);
    }
    // Support reads it on its own path, audited with the ticket.
    let res = app
        .get_as(&ops, &format!("/support/ops/files/{file_id}"))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.audit_count("support.file.view").await, 1);
    assert_eq!(
        app.get_as(&cookie, &format!("/support/ops/files/{file_id}"))
            .await
            .status(),
        404
    );

    // The live updates: the customer's stream for their ticket, nobody else's.
    assert_eq!(
        app.get_as(&other, &format!("/support/tickets/{id}/events"))
            .await
            .status(),
        404
    );
    let mut res = app
        .get_as(&cookie, &format!("/support/tickets/{id}/events"))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    // The stream starts with the ticket's version (nothing between the page's load and the
    // connection is missed): its status, and what its forms depend on.
    let first = String::from_utf8(res.chunk().await.unwrap().unwrap().to_vec()).unwrap();
    assert!(first.starts_with("event: changed\ndata: open:"), "{first}");
    assert!(first.contains("|false:false::0:0"), "{first}");
}
