//! Rights requests (issue 16 §2; P6.2, P6.3, P6.5, P10.2): every type through its life
//! cycle, identity verification (password, then a code: 10 minutes, 3 tries), the 15-day
//! clock on the manual clock, the daily digest, refusals with the policy's reasons, the cost
//! fee, and enterprise-wide requests for the admin only.

use crate::helpers::{field_rules, json, spawn_app, TestApp, APPLICANT_PW};
use serde_json::Value;

pub const DAY_MS: i64 = 86_400_000;

/// The e-mail address [`TestApp::register_unique_login`] gave the person with `mobile`.
pub fn email_of(mobile: &str) -> String {
    let n: u32 = mobile[3..].parse().expect("a test mobile number");
    format!("applicant{n}@example.com")
}

/// Submits a request of `kind` (the code by e-mail); returns its id.
pub async fn submit(app: &TestApp, cookie: &str, kind: &str, details: &str) -> String {
    submit_with(app, cookie, &[("kind", kind), ("details", details)]).await
}

pub async fn submit_with(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> String {
    // What is queued goes first, and a second passes: this request and its code are the
    // newest, whatever came before.
    app.deliver_all().await;
    app.clock.advance_ms(1_000);
    let key = app::backend::ids::new_id();
    let mut form = vec![
        ("key", key.as_str()),
        ("channel", "email"),
        ("password", APPLICANT_PW),
    ];
    form.extend_from_slice(fields);
    let res = app.call_as(cookie, "submit_privacy_request", &form).await;
    assert!(
        res.status().is_success(),
        "submit: {} {}",
        res.status(),
        res.text().await.unwrap_or_default()
    );
    let mine = json(app.call_as(cookie, "my_privacy_requests", &[]).await).await;
    mine["requests"][0]["id"]
        .as_str()
        .expect("the request")
        .to_string()
}

/// Enters the code e-mailed to the person with `mobile` for request `id`.
pub async fn verify(app: &TestApp, cookie: &str, mobile: &str, id: &str) {
    let code = app.code_sent_to(&email_of(mobile)).await;
    let res = app
        .call_as(
            cookie,
            "verify_privacy_request",
            &[("id", id), ("code", &code)],
        )
        .await;
    assert!(res.status().is_success(), "verify: {}", res.status());
}

pub async fn mine(app: &TestApp, cookie: &str, id: &str) -> Value {
    json(
        app.call_as(cookie, "my_privacy_request", &[("id", id)])
            .await,
    )
    .await
}

pub async fn officer(app: &TestApp, ops: &str, id: &str) -> Value {
    json(app.call_as(ops, "privacy_request", &[("id", id)]).await).await
}

pub fn actions(d: &Value) -> Vec<String> {
    d["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap().to_string())
        .collect()
}

pub async fn inbox_bodies(app: &TestApp, cookie: &str) -> Vec<String> {
    let inbox = json(app.call_as(cookie, "my_inbox", &[]).await).await;
    inbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"]["zh"].as_str().unwrap_or("").to_string())
        .collect()
}

/// P6.5, P10.2: a question goes in after the password and a code, the officer starts and
/// answers it, the requester is told with the complaint routes, and every step is kept, with
/// its time, on both sides and in the audit trail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_5_p10_2_a_request_through_its_life_cycle() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let (admin, mobile) = app.open_enterprise_login("请求公司").await;

    // A wrong password makes no request.
    let res = app
        .call_as(
            &admin,
            "submit_privacy_request",
            &[
                ("key", "k1"),
                ("kind", "question"),
                ("details", "你们保存了我哪些信息？"),
                ("channel", "mobile"),
                ("password", "Wrong-Pass-1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("privacy_requests").await, 0);

    // The same form twice makes one request.
    let form = [
        ("key", "k2"),
        ("kind", "question"),
        ("details", "你们保存了我哪些信息？"),
        ("channel", "email"),
        ("password", APPLICANT_PW),
    ];
    for _ in 0..2 {
        let res = app.call_as(&admin, "submit_privacy_request", &form).await;
        assert!(res.status().is_success(), "{}", res.status());
    }
    assert_eq!(app.count("privacy_requests").await, 1);
    let list = json(app.call_as(&admin, "my_privacy_requests", &[]).await).await;
    let r = &list["requests"][0];
    let id = r["id"].as_str().unwrap().to_string();
    assert_eq!(r["status"], "unverified");
    assert!(r["due"].is_null(), "the clock starts once verified");
    assert!(list["complaint_routes"][0]["contact"]
        .as_str()
        .unwrap()
        .contains("12377"));

    // Unverified: the officer cannot act on it yet, and it is not in the open queue.
    for (endpoint, extra) in [
        ("start_privacy_request", vec![]),
        ("complete_privacy_request", vec![("answer", "答复")]),
        (
            "refuse_privacy_request",
            vec![("reason", "impractical"), ("answer", "答复")],
        ),
        ("mark_privacy_fee", vec![("fee_reason", "收费")]),
    ] {
        let mut form = vec![("id", id.as_str())];
        form.extend(extra);
        let res = app.call_as(&ops, endpoint, &form).await;
        assert_eq!(res.status(), 409, "{endpoint}");
    }
    let open = json(app.call_as(&ops, "privacy_request_queue", &[]).await).await;
    assert_eq!(open.as_array().unwrap().len(), 0);

    verify(&app, &admin, &mobile, &id).await;
    let r = &json(app.call_as(&admin, "my_privacy_requests", &[]).await).await["requests"][0];
    assert_eq!(
        (r["due"]["days_left"].as_i64(), r["due"]["tone"].as_str()),
        (Some(15), Some("green"))
    );
    let open = json(app.call_as(&ops, "privacy_request_queue", &[]).await).await;
    assert_eq!(open[0]["id"], id.as_str());
    assert_eq!(
        open[0]["requester"], "测****",
        "names are masked in the queue"
    );
    assert_eq!(open[0]["enterprise"], "请求公司");
    let dashboard = json(app.call_as(&ops, "ops_dashboard", &[]).await).await;
    let tile = dashboard["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["queue"] == "rights_requests")
        .expect("the privacy officers' queue on the dashboard")
        .clone();
    assert_eq!(tile["count"], 1);

    let seen = officer(&app, &ops, &id).await;
    assert_eq!(seen["details"], "你们保存了我哪些信息？");
    assert!(
        seen["requester_full"]
            .as_str()
            .unwrap()
            .starts_with("测试申请人 · 135"),
        "the officer sees who asked: {}",
        seen["requester_full"]
    );
    assert_eq!(
        app.call_as(&ops, "start_privacy_request", &[("id", &id)])
            .await
            .status(),
        200
    );
    let res = app
        .call_as(
            &ops,
            "complete_privacy_request",
            &[("id", &id), ("answer", "  ")],
        )
        .await;
    assert_eq!(field_rules(&json(res).await)[0].0, "answer");
    let res = app
        .call_as(
            &ops,
            "complete_privacy_request",
            &[
                ("id", &id),
                ("answer", "我们保存您的姓名、手机号和登录记录。"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);

    // Answered once; the requester can no longer withdraw it.
    let again = app
        .call_as(
            &ops,
            "complete_privacy_request",
            &[("id", &id), ("answer", "再次答复")],
        )
        .await;
    assert_eq!(json(again).await["detail"], "request_not_open");
    let res = app
        .call_as(&admin, "withdraw_privacy_request", &[("id", &id)])
        .await;
    assert_eq!(json(res).await["detail"], "request_not_open");

    let d = mine(&app, &admin, &id).await;
    assert_eq!(d["summary"]["status"], "completed");
    assert_eq!(d["answer"], "我们保存您的姓名、手机号和登录记录。");
    assert_eq!(
        actions(&d),
        ["submitted", "code_sent", "verified", "started", "completed"]
    );
    assert!(d["summary"]["answered_at"].is_number());
    let told = inbox_bodies(&app, &admin).await;
    assert!(
        told.iter()
            .any(|b| b.contains("我们保存您的姓名") && b.contains("12377")),
        "the answer reaches the requester with the complaint routes: {told:?}"
    );
    for action in [
        "rights.submitted",
        "rights.verified",
        "rights.viewed",
        "rights.started",
        "rights.completed",
    ] {
        assert_eq!(app.audit_count(action).await, 1, "{action}");
    }
    let chain = app::backend::audit::verify(&app.db, &app.state.audit_key)
        .await
        .unwrap();
    assert_eq!(chain.first_broken, None, "the audit chain holds");
}

/// P6.5: a code works for three tries and ten minutes; a new one replaces it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_5_verification_codes_have_three_tries_and_ten_minutes() {
    let app = spawn_app().await;
    let (admin, mobile) = app.open_enterprise_login("验证公司").await;
    let id = submit(&app, &admin, "copy", "").await;
    let email = email_of(&mobile);
    let code = app.code_sent_to(&email).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in [2, 1, 0] {
        let res = app
            .call_as(
                &admin,
                "verify_privacy_request",
                &[("id", &id), ("code", wrong)],
            )
            .await;
        assert_eq!(json(res).await["detail"], "rights_code_wrong");
        let d = mine(&app, &admin, &id).await;
        match left {
            0 => assert!(d["pending_code"].is_null(), "tries used up"),
            n => assert_eq!(d["pending_code"]["tries_left"], n),
        }
    }
    let res = app
        .call_as(
            &admin,
            "verify_privacy_request",
            &[("id", &id), ("code", &code)],
        )
        .await;
    assert_eq!(
        json(res).await["detail"],
        "rights_code_wrong",
        "the right code after three wrong ones"
    );

    // A new code; after ten minutes it no longer works.
    let res = app
        .call_as(
            &admin,
            "resend_privacy_code",
            &[("id", &id), ("channel", "email")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let second = app.code_sent_to(&email).await;
    app.clock.advance_minutes(11);
    let res = app
        .call_as(
            &admin,
            "verify_privacy_request",
            &[("id", &id), ("code", &second)],
        )
        .await;
    assert_eq!(json(res).await["detail"], "rights_code_wrong", "expired");

    // A third code by text message; a fourth replaces it; the fourth verifies.
    let resend = |channel: &'static str| {
        let (app, admin, id) = (&app, &admin, &id);
        async move {
            app.call_as(
                admin,
                "resend_privacy_code",
                &[("id", id.as_str()), ("channel", channel)],
            )
            .await
        }
    };
    assert_eq!(resend("mobile").await.status(), 200);
    let third = app.code_sent_to(&mobile).await;
    let text = app
        .mailbox_body("the text", |m| m["recipient"] == mobile.as_str())
        .await;
    assert!(
        text.contains("10分钟内有效"),
        "the text names ten minutes: {text}"
    );
    assert_eq!(resend("email").await.status(), 200);
    let res = app
        .call_as(
            &admin,
            "verify_privacy_request",
            &[("id", &id), ("code", &third)],
        )
        .await;
    assert_eq!(json(res).await["detail"], "rights_code_wrong", "replaced");
    verify(&app, &admin, &mobile, &id).await;
    let d = mine(&app, &admin, &id).await;
    assert_eq!(d["summary"]["status"], "verified");
    let mail = app
        .mailbox_body("the code", |m| m["recipient"] == email.as_str())
        .await;
    assert!(mail.contains("10分钟内有效"), "{mail}");

    // Five codes an hour per person, over all their requests: the fifth goes, the sixth is
    // refused and its request not made.
    submit(&app, &admin, "question", "第五个验证码").await;
    let before = app.count("privacy_requests").await;
    let key = app::backend::ids::new_id();
    let res = app
        .call_as(
            &admin,
            "submit_privacy_request",
            &[
                ("key", &key),
                ("kind", "question"),
                ("details", "第六个验证码"),
                ("channel", "email"),
                ("password", APPLICANT_PW),
            ],
        )
        .await;
    assert_eq!(res.status(), 429);
    assert_eq!(app.count("privacy_requests").await, before);
}

/// A verified deletion request of the person of `cookie` (code by e-mail to `email`).
pub async fn deletion(app: &TestApp, cookie: &str, email: &str) -> String {
    let id = submit_with(
        app,
        cookie,
        &[("kind", "deletion"), ("ground", "consent_withdrawn")],
    )
    .await;
    let code = app.code_sent_to(email).await;
    let res = app
        .call_as(
            cookie,
            "verify_privacy_request",
            &[("id", &id), ("code", &code)],
        )
        .await;
    assert!(res.status().is_success(), "verify: {}", res.status());
    id
}

pub async fn complete(app: &TestApp, ops: &str, id: &str) -> reqwest::Response {
    app.call_as(
        ops,
        "complete_privacy_request",
        &[("id", id), ("answer", "已按数据地图删除。")],
    )
    .await
}
