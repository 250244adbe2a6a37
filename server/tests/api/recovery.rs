//! Forgotten passwords (P5.2; the link or code is delivered through the outbox, P7.1): the
//! form answers the same whether or not an account exists, a link works once and for 30
//! minutes, a code by text message works once, for 30 minutes and five tries, and setting the
//! new password ends every session and tells the user.

use crate::helpers::{json, spawn_app, TestApp, APPLICANT_PW};

const NEW_PW: &str = "Fresh-Pass-2026";

async fn purpose_count(app: &TestApp, purpose: &str) -> i64 {
    purpose_count_on(app, purpose, "email").await
}

async fn purpose_count_on(app: &TestApp, purpose: &str, channel: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE purpose = $1 AND channel = $2")
        .bind(purpose)
        .bind(channel)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// The newest reset link in the development mailbox (the worker delivers it first).
async fn newest_link(app: &TestApp) -> String {
    app.deliver().await;
    let body = app
        .mailbox_body("a reset e-mail", |m| {
            m["subject"].as_str().unwrap_or("").starts_with("重置密码")
        })
        .await;
    let at = body.find("/reset-password/").expect("the link") + "/reset-password/".len();
    body[at..at + 64].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_the_reset_form_answers_the_same_whether_or_not_the_account_exists() {
    let app = spawn_app().await;
    let (_, mobile) = app.register_unique_login().await;
    let known = app
        .call("request_password_reset", &[("login", &mobile)])
        .await;
    let (known_status, known_body) = (known.status(), known.text().await.unwrap());
    let unknown = app
        .call("request_password_reset", &[("login", "13999999999")])
        .await;
    assert_eq!(known_status, unknown.status());
    assert_eq!(known_body, unknown.text().await.unwrap());
    assert!(known_status.is_success(), "{known_status}");
    // Only the real account got a code (a mobile number was typed: by text message).
    assert_eq!(purpose_count_on(&app, "password_reset", "sms").await, 1);
    // The same for an e-mail address (a link by e-mail).
    let known = app
        .call("request_password_reset", &[("login", &email_of(&mobile))])
        .await;
    let unknown = app
        .call("request_password_reset", &[("login", "nobody@example.com")])
        .await;
    assert_eq!(known.status(), unknown.status());
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(purpose_count(&app, "password_reset").await, 1);
    // A malformed login is the caller's own mistake, said as such.
    let bad = app
        .call("request_password_reset", &[("login", "not a login")])
        .await;
    assert_eq!(bad.status(), 422);
    // Three an hour per account: the fourth request sends nothing (and says the same).
    for _ in 0..3 {
        let res = app
            .call("request_password_reset", &[("login", &mobile)])
            .await;
        assert!(res.status().is_success());
    }
    assert_eq!(purpose_count_on(&app, "password_reset", "sms").await, 2);
}

/// The e-mail address `register_unique_login` gave the applicant with `mobile`.
fn email_of(mobile: &str) -> String {
    format!(
        "applicant{}@example.com",
        mobile[3..].trim_start_matches('0')
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_a_reset_link_works_once_for_30_minutes_ends_every_session_and_tells_the_user() {
    let app = spawn_app().await;
    let (session, mobile) = app.register_unique_login().await;
    assert!(!json(app.call_as(&session, "whoami", &[]).await)
        .await
        .is_null());
    app.call("request_password_reset", &[("login", &email_of(&mobile))])
        .await;
    let token = newest_link(&app).await;
    assert!(app
        .call("check_password_reset", &[("token", &token)])
        .await
        .status()
        .is_success());
    // A weak password is refused and the link still works.
    let weak = app
        .call("reset_password", &[("token", &token), ("password", "abc")])
        .await;
    assert_eq!(weak.status(), 422);
    let done = app
        .call("reset_password", &[("token", &token), ("password", NEW_PW)])
        .await;
    assert!(done.status().is_success(), "{}", done.status());

    // Every session ended; the old password is gone, the new one works.
    assert!(json(app.call_as(&session, "whoami", &[]).await)
        .await
        .is_null());
    let old = app
        .call("login", &[("login", &mobile), ("password", APPLICANT_PW)])
        .await;
    assert_eq!(old.status(), 401);
    app.login(&mobile, NEW_PW).await;
    // The user is told, and it is audited.
    assert_eq!(purpose_count(&app, "password_changed").await, 1);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'password.reset'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(audited, 1);

    // Once only.
    let again = app
        .call("reset_password", &[("token", &token), ("password", NEW_PW)])
        .await;
    assert_eq!(again.status(), 409);
    assert_eq!(json(again).await["detail"], "reset_used");

    // 30 minutes only.
    app.clock.advance_minutes(1);
    app.call("request_password_reset", &[("login", &email_of(&mobile))])
        .await;
    let late = newest_link(&app).await;
    assert_ne!(late, token);
    app.clock.advance_minutes(31);
    let res = app.call("check_password_reset", &[("token", &late)]).await;
    assert_eq!(res.status(), 409);
    assert_eq!(json(res).await["detail"], "reset_expired");
    // An unknown token is not found.
    let res = app
        .call("check_password_reset", &[("token", &"0".repeat(64))])
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_a_code_by_text_message_works_once_within_five_tries_and_ends_every_session() {
    let app = spawn_app().await;
    let (session, mobile) = app.register_unique_login().await;
    let res = app
        .call("request_password_reset", &[("login", &mobile)])
        .await;
    assert!(res.status().is_success());
    let code = app.code_sent_to(&mobile).await;
    assert!(code.bytes().all(|b| b.is_ascii_digit()), "{code}");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let try_code = |login: String, code: String, pw: &'static str| {
        let app = &app;
        async move {
            app.call(
                "reset_password_with_code",
                &[("login", &login), ("code", &code), ("password", pw)],
            )
            .await
        }
    };
    // A malformed code and a weak password are the caller's own mistakes; nothing is used up.
    let res = try_code(mobile.clone(), "12ab".into(), NEW_PW).await;
    assert_eq!(res.status(), 422);
    let res = try_code(mobile.clone(), code.clone(), "abc").await;
    assert_eq!(res.status(), 422);
    // An unknown number and a wrong code get the same answer; four wrong tries leave the fifth.
    let res = try_code("13999999999".into(), code.clone(), NEW_PW).await;
    assert_eq!(res.status(), 409);
    assert_eq!(json(res).await["detail"], "reset_code_wrong");
    for _ in 0..4 {
        let res = try_code(mobile.clone(), wrong.into(), NEW_PW).await;
        assert_eq!(json(res).await["detail"], "reset_code_wrong");
    }
    let res = try_code(mobile.clone(), code.clone(), NEW_PW).await;
    assert!(res.status().is_success(), "{}", res.status());
    assert!(json(app.call_as(&session, "whoami", &[]).await)
        .await
        .is_null());
    app.login(&mobile, NEW_PW).await;
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'password.reset' AND detail LIKE 'by text-message code%'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);
    // Once only.
    let res = try_code(mobile.clone(), code.clone(), "Other-Pass-2026").await;
    assert_eq!(res.status(), 409);

    // Five wrong tries use a code up, even sent in parallel (a try is taken before the code is
    // compared): the right one no longer works. (A fresh window of the per-IP limiter first.)
    app.clock.advance_minutes(11);
    app.call("request_password_reset", &[("login", &mobile)])
        .await;
    let code = app.code_sent_to(&mobile).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let guesses = (0..8).map(|_| try_code(mobile.clone(), wrong.into(), "Other-Pass-2026"));
    futures_util::future::join_all(guesses).await;
    let tries: i64 = sqlx::query_scalar(
        "SELECT MAX(attempts) FROM password_resets WHERE channel = 'sms' AND used_at IS NULL",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(tries, 5, "no more than five tries were taken");
    let res = try_code(mobile.clone(), code.clone(), "Other-Pass-2026").await;
    assert_eq!(json(res).await["detail"], "reset_code_wrong");
    // And a code lasts 30 minutes.
    app.clock.advance_minutes(2);
    app.call("request_password_reset", &[("login", &mobile)])
        .await;
    let code = app.code_sent_to(&mobile).await;
    app.clock.advance_minutes(31);
    let res = try_code(mobile.clone(), code, "Other-Pass-2026").await;
    assert_eq!(json(res).await["detail"], "reset_code_wrong");
    app.login(&mobile, NEW_PW).await;
}
