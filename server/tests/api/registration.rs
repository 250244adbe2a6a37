//! Registration by an e-mailed code (P0.2; issue 14, enumeration): the form's answer is the
//! same whoever holds the contacts; the account exists only after the code.

use crate::helpers::{field_rules, json, spawn_app};
use app::backend::clock::Clock;
use app::backend::seed::DEMO;

const PW: &str = "Good-Pass-2026";

/// Issue 14 (enumeration): the registration form answers the same whether or not the mobile
/// number or the e-mail address has an account; only the mailbox's holder learns more. The
/// code works once, for five tries and 30 minutes.
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
        assert_eq!(keys, ["email_masked", "id"], "{started}");
    }
    assert_eq!(free["email_masked"], "l***@example.com");
    assert_eq!(
        app.count("users").await,
        users_before,
        "nobody registered yet"
    );

    // The owner of the taken address is told, with no code.
    let note = app.registration_mail(DEMO.admin_email).await.unwrap();
    assert!(
        note.contains("已有账号") && !note.contains("验证码为"),
        "{note}"
    );
    let res = app
        .call(
            "confirm_registration",
            &[
                ("id", taken_email["id"].as_str().unwrap()),
                ("code", "000000"),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);

    // Wrong codes count; the right one after them still works, once.
    let id = free["id"].as_str().unwrap();
    let code = app.registration_code("li@example.com").await.unwrap();
    let wrong = if code == "111111" { "222222" } else { "111111" };
    let res = app
        .call("confirm_registration", &[("id", id), ("code", wrong)])
        .await;
    assert_eq!(res.status(), 409);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("registration_code_wrong"));
    let res = app
        .call("confirm_registration", &[("id", id), ("code", "12")])
        .await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("code".to_string(), "format".to_string())]
    );
    let res = app
        .call("confirm_registration", &[("id", id), ("code", &code)])
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let cookie = crate::helpers::session_cookie(&res, "esp_session").unwrap();
    let me = json(app.call_as(&cookie, "whoami", &[]).await).await;
    assert_eq!(me["name"], "李四");
    let again = app
        .call("confirm_registration", &[("id", id), ("code", &code)])
        .await;
    assert_eq!(again.status(), 409, "a code works once");
    // The kept contacts and password hash are blanked once used.
    let (m, e, p): (String, String, String) = sqlx::query_as(
        "SELECT mobile_enc, email_enc, password_hash FROM registrations WHERE id = $1",
    )
    .bind(id)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!((m.as_str(), e.as_str(), p.as_str()), ("", "", ""));

    // Only the mailbox's holder learns that the mobile number is taken.
    let code = app.registration_code("li2@example.com").await.unwrap();
    let res = app
        .call(
            "confirm_registration",
            &[
                ("id", taken_mobile["id"].as_str().unwrap()),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("contact_taken"));
    assert_eq!(app.count("users").await, users_before + 1);
    // That registration is used up and blanked too.
    let kept: String = sqlx::query_scalar(
        "SELECT mobile_enc || email_enc || password_hash FROM registrations WHERE id = $1",
    )
    .bind(taken_mobile["id"].as_str().unwrap())
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(kept, "", "nothing kept after a refused registration");

    // Five tries, then even the right code is refused.
    let started = app
        .start_registration("赵六", "13955550000", "zhao@example.com", PW)
        .await;
    let id = started["id"].as_str().unwrap();
    let code = app.registration_code("zhao@example.com").await.unwrap();
    let wrong = if code == "111111" { "222222" } else { "111111" };
    for _ in 0..5 {
        app.call("confirm_registration", &[("id", id), ("code", wrong)])
            .await;
    }
    let res = app
        .call("confirm_registration", &[("id", id), ("code", &code)])
        .await;
    assert_eq!(res.status(), 409, "tries used up");
    // Three codes an hour per address: the fourth form gets the same answer and no e-mail.
    for _ in 0..3 {
        app.start_registration("赵六", "13955550000", "zhao@example.com", PW)
            .await;
    }
    let mails: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE purpose = 'registration_code'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    // li, admin note, li2, zhao ×3 (the fourth zhao form sent nothing).
    assert_eq!(mails, 6);
    // Expired registrations are purged by housekeeping a day later.
    app.clock.advance_ms(31 * 60_000 + 86_400_000);
    let purged = app::backend::accounts::registration::purge_expired(&app.db, app.clock.now())
        .await
        .unwrap();
    assert_eq!(purged, 7);
}
