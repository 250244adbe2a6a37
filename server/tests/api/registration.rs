//! Registration by an e-mailed code, then a texted one (P0.2; issue 14, enumeration): the
//! form's answer is the same whoever holds the contacts; a text goes only to someone who proved
//! the mailbox; the account exists only after the last code.

use crate::helpers::{field_rules, json, spawn_app, spawn_app_with, TestApp};
use app::backend::accounts::registration::TRIES_PER_DAY;
use app::backend::clock::Clock;
use app::backend::seed::DEMO;

const PW: &str = "Good-Pass-2026";

/// E-mail by SMTP (to nowhere: nothing is delivered in these tests) and no SMS gateway.
const SMTP_WITHOUT_SMS: [&str; 8] = [
    "--smtp-host",
    "127.0.0.1",
    "--smtp-port",
    "9",
    "--smtp-security",
    "none",
    "--smtp-region",
    "cn-mainland",
];

async fn try_code(app: &TestApp, id: &str, code: &str) -> reqwest::Response {
    app.call("confirm_registration", &[("id", id), ("code", code)])
        .await
}

fn other_than(code: &str) -> &'static str {
    if code == "111111" {
        "222222"
    } else {
        "111111"
    }
}

async fn texts_to(app: &TestApp, mobile: &str) -> usize {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, recipient_enc FROM outbox WHERE purpose = 'registration_code' AND channel = 'sms'",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    rows.iter()
        .filter(|(id, enc)| {
            app.state
                .cipher
                .decrypt_text(enc, &format!("outbox.recipient:{id}"))
                .is_ok_and(|to| to == mobile)
        })
        .count()
}

/// Issue 14 (enumeration): the registration form answers the same whether or not the mobile
/// number or the e-mail address has an account; only the holder of both learns more. Each code
/// works once, for five tries and 30 minutes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p0_2_registration_does_not_tell_who_has_an_account() {
    let app = spawn_app().await;
    let users_before = app.count("users").await;
    // A free pair, the demo admin's e-mail, the demo admin's mobile: the same answer.
    let free = app
        .start_registration("李四", "13955556666", "li@example.com", PW)
        .await;
    let taken_email = app
        .start_registration("李四", "13955556667", DEMO.admin_email, PW)
        .await;
    let taken_mobile = app
        .start_registration("李四", DEMO.admin_mobile, "li2@example.com", PW)
        .await;
    for started in [&free, &taken_email, &taken_mobile] {
        let keys: Vec<&String> = started.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["email_masked", "id", "mobile_masked"], "{started}");
    }
    assert_eq!(free["email_masked"], "l***@example.com");
    assert_eq!(free["mobile_masked"], "139****6666");
    // Nothing is texted before the mailbox is proved.
    for mobile in ["13955556666", "13955556667", DEMO.admin_mobile] {
        assert_eq!(texts_to(&app, mobile).await, 0, "{mobile}");
    }

    // The owner of the taken address is told, with no code.
    let note = app.registration_mail(DEMO.admin_email).await.unwrap();
    assert!(
        note.contains("已有账号") && !note.contains("验证码为"),
        "{note}"
    );
    let res = try_code(&app, taken_email["id"].as_str().unwrap(), "000000").await;
    assert_eq!(res.status(), 409);

    // The mailbox's holder goes on to the text step whether or not the number is taken; the
    // number's owner is told, with no code, and the holder of the mailbox learns nothing.
    let id = taken_mobile["id"].as_str().unwrap();
    let code = app.registration_code("li2@example.com").await.unwrap();
    let res = try_code(&app, id, &code).await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await, "texted");
    let pending = json(app.call("pending_registration", &[("id", id)]).await).await;
    assert_eq!(pending["step"], "text");
    assert_eq!(pending["mobile_masked"], "138****0000", "{pending}");
    let text = app.registration_mail(DEMO.admin_mobile).await.unwrap();
    assert!(
        text.contains("已有账号") && !text.contains("验证码为"),
        "{text}"
    );
    for guess in ["000000", "123456"] {
        let res = try_code(&app, id, guess).await;
        assert_eq!(res.status(), 409);
        let body = res.text().await.unwrap();
        assert!(body.contains("registration_code_wrong"), "{body}");
    }

    // Wrong codes count; the right ones after them still work, once each.
    let id = free["id"].as_str().unwrap();
    let code = app.registration_code("li@example.com").await.unwrap();
    let res = try_code(&app, id, other_than(&code)).await;
    assert_eq!(res.status(), 409);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("registration_code_wrong"));
    let res = try_code(&app, id, "12").await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("code".to_string(), "format".to_string())]
    );
    let pending = json(app.call("pending_registration", &[("id", id)]).await).await;
    assert_eq!(pending["step"], "email");
    assert_eq!(json(try_code(&app, id, &code).await).await, "texted");
    assert_eq!(
        try_code(&app, id, &code).await.status(),
        409,
        "the e-mailed code works once"
    );
    let sms = app.registration_code("13955556666").await.unwrap();
    assert_eq!(try_code(&app, id, other_than(&sms)).await.status(), 409);
    let res = try_code(&app, id, &sms).await;
    assert!(res.status().is_success(), "{}", res.status());
    let cookie = crate::helpers::session_cookie(&res, "esp_session").unwrap();
    let me = json(app.call_as(&cookie, "whoami", &[]).await).await;
    assert_eq!(me["name"], "李四");
    assert_eq!(
        try_code(&app, id, &sms).await.status(),
        409,
        "codes work once"
    );
    // The kept contacts and password hash are blanked once used.
    let (m, e, p): (String, String, String) = sqlx::query_as(
        "SELECT mobile_enc, email_enc, password_hash FROM registrations WHERE id = $1",
    )
    .bind(id)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!((m.as_str(), e.as_str(), p.as_str()), ("", "", ""));
    assert_eq!(app.count("users").await, users_before + 1);

    // Five tries, then even the right code is refused.
    let started = app
        .start_registration("赵六", "13955550000", "zhao@example.com", PW)
        .await;
    let id = started["id"].as_str().unwrap();
    let code = app.registration_code("zhao@example.com").await.unwrap();
    for _ in 0..5 {
        try_code(&app, id, other_than(&code)).await;
    }
    assert_eq!(
        try_code(&app, id, &code).await.status(),
        409,
        "tries used up"
    );
    // Three codes an hour per address: the fourth form gets the same answer and no e-mail.
    for _ in 0..3 {
        app.start_registration("赵六", "13955550000", "zhao@example.com", PW)
            .await;
    }
    let mails: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE purpose = 'registration_code' AND channel = 'email'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    // li, the admin's note, li2, zhao ×3 (the fourth zhao form sent nothing).
    assert_eq!(mails, 6);

    // Three texts an hour per number, whichever addresses ask. (A fresh window of the per-IP
    // limiter first: 30 tries in 10 minutes.)
    app.clock.advance_ms(11 * 60_000);
    for n in 0..4 {
        let email = format!("n{n}@example.com");
        let started = app
            .start_registration("孙八", "13955557777", &email, PW)
            .await;
        let code = app.registration_code(&email).await.unwrap();
        let res = try_code(&app, started["id"].as_str().unwrap(), &code).await;
        assert_eq!(json(res).await, "texted", "the same answer the fourth time");
    }
    assert_eq!(texts_to(&app, "13955557777").await, 3);

    // Expired registrations are purged by housekeeping a day later.
    let rows = app.count("registrations").await;
    app.clock.advance_ms(31 * 60_000 + 86_400_000);
    let purged = app::backend::accounts::registration::purge_expired(&app.db, app.clock.now())
        .await
        .unwrap();
    assert_eq!(purged as i64, rows);
}

/// Issue 14: a guesser gets [`TRIES_PER_DAY`] wrong tries a day at one address's codes, however
/// many registrations they start; then even a right code waits for the day to pass.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p0_2_wrong_codes_for_one_address_are_capped_per_day() {
    let app = spawn_app().await;
    let email = "guessed@example.com";
    let mut wrong = 0;
    while wrong < TRIES_PER_DAY {
        let started = app
            .start_registration("周九", "13955558888", email, PW)
            .await;
        let id = started["id"].as_str().unwrap().to_string();
        let code = app.registration_code(email).await.unwrap();
        for _ in 0..5 {
            try_code(&app, &id, other_than(&code)).await;
            wrong += 1;
        }
        // A fresh hour: a fresh code, and the per-IP limiter's window passes too.
        app.clock.advance_ms(61 * 60_000);
    }
    let started = app
        .start_registration("周九", "13955558888", email, PW)
        .await;
    let id = started["id"].as_str().unwrap().to_string();
    let code = app.registration_code(email).await.unwrap();
    let res = try_code(&app, &id, &code).await;
    assert_eq!(res.status(), 409, "the day's tries are used up");
    app.clock.advance_ms(86_400_000);
    let started = app
        .start_registration("周九", "13955558888", email, PW)
        .await;
    let res = app
        .confirm_registration(started["id"].as_str().unwrap(), email, "13955558888")
        .await;
    assert!(res.status().is_success(), "a day later: {}", res.status());
}

/// Without an SMS gateway (development only) the e-mailed code is the last (issue 14): the page
/// names the address alone, and the mailbox's holder is told at that step if the number is
/// taken (the README says so). Production refuses to register without one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p0_2_without_an_sms_gateway_the_e_mailed_code_is_enough() {
    let app = spawn_app_with(
        &[
            &SMTP_WITHOUT_SMS[..],
            &["--public-origin", "http://127.0.0.1:9"],
        ]
        .concat(),
    )
    .await;
    let started = app
        .start_registration("钱七", "13955551234", "qian@example.com", PW)
        .await;
    assert!(started["mobile_masked"].is_null(), "{started}");
    let id = started["id"].as_str().unwrap();
    let pending = json(app.call("pending_registration", &[("id", id)]).await).await;
    assert!(pending["mobile_masked"].is_null(), "{pending}");
    assert_eq!(pending["step"], "email");
    let code = app.registration_code("qian@example.com").await.unwrap();
    let res = try_code(&app, id, &code).await;
    assert!(res.status().is_success(), "{}", res.status());
    assert!(crate::helpers::session_cookie(&res, "esp_session").is_some());
    assert_eq!(texts_to(&app, "13955551234").await, 0);

    let taken = app
        .start_registration("钱七", DEMO.admin_mobile, "qian2@example.com", PW)
        .await;
    let code = app.registration_code("qian2@example.com").await.unwrap();
    let res = try_code(&app, taken["id"].as_str().unwrap(), &code).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("contact_taken"));
}

/// Production never registers without confirming the number (issue 14): with e-mail but no SMS
/// gateway, the form says that texts cannot be sent, whatever the contacts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p0_2_production_without_an_sms_gateway_does_not_register() {
    let key = crate::fixtures::hex_key;
    let (session_key, field_key) = (key(), key());
    let production = [
        "--production",
        "--session-key",
        &session_key,
        "--field-key",
        &field_key,
        "--public-origin",
        "https://platform.example.com",
    ];
    let app = spawn_app_with(&[&SMTP_WITHOUT_SMS[..], &production[..]].concat()).await;
    let (privacy, terms) = app.current_policy_ids().await;
    let res = app
        .call(
            "register",
            &[
                ("name", "钱七"),
                ("mobile", "13955551234"),
                ("email", "qian@example.com"),
                ("password", PW),
                ("accept", "on"),
                ("privacy_version_id", &privacy),
                ("terms_version_id", &terms),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("sms_unavailable"));
    assert_eq!(app.count("registrations").await, 0);
}
