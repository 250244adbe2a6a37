//! Registration, login, lockout, sessions and profiles (P0.2, P1.1.2, P5.2, P5.4), on the
//! engine chosen by `TEST_DATABASE_URL`.

use crate::helpers::{field_rules, json, session_cookie, spawn_app, spawn_app_with};
use app::backend::seed::DEMO;
use sqlx::Row;

const PW: &str = "Good-Pass-2026";

/// P0.2: registering accepts the current policy and terms, records the acceptance with both
/// versions, the method, a truncated IP and the user agent, and logs the applicant in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p0_2_registration_records_the_acceptance_and_logs_in() {
    let app = spawn_app().await;
    let (privacy, terms) = app.current_policy_ids().await;
    let cookie = app
        .register("张三", "13911112222", "zhang@example.com", PW)
        .await;
    let me = json(app.call_as(&cookie, "whoami", &[]).await).await;
    assert_eq!(me["name"], "张三");
    assert_eq!(me["mobile_masked"], "139****2222");
    assert!(
        me["enterprise"].is_null(),
        "an applicant has no business account yet"
    );

    let row = sqlx::query(
        "SELECT a.privacy_version_id, a.terms_version_id, a.method, a.ip, a.user_agent \
         FROM policy_acceptances a JOIN users u ON u.id = a.user_id WHERE u.name = '张三'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(row.get::<String, _>("privacy_version_id"), privacy);
    assert_eq!(row.get::<String, _>("terms_version_id"), terms);
    assert_eq!(row.get::<String, _>("method"), "checkbox_submit");
    assert_eq!(row.get::<String, _>("ip"), "127.0.0.0/24");

    // P4.3: contact fields are not stored in clear.
    let raw = sqlx::query("SELECT mobile_enc, email_enc FROM users WHERE name = '张三'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(!raw.get::<String, _>("mobile_enc").contains("13911112222"));
    assert!(!raw.get::<String, _>("email_enc").contains("zhang@"));
}

/// P0.2, P5.4: bad input is answered field by field, in one go, and nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p0_2_bad_registrations_write_nothing() {
    let app = spawn_app().await;
    let (privacy, terms) = app.current_policy_ids().await;
    let users_before = app.count("users").await;
    let acceptances_before = app.count("policy_acceptances").await;
    let res = app
        .call(
            "register",
            &[
                ("name", " "),
                ("mobile", "12345"),
                ("email", "not-an-email"),
                ("password", "password"),
                ("privacy_version_id", &privacy),
                ("terms_version_id", &terms),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    let rules = field_rules(&body);
    for (field, rule) in [
        ("name", "required"),
        ("mobile", "format"),
        ("email", "format"),
        ("password", "weak_password"),
        ("accept", "must_accept"),
    ] {
        assert!(
            rules.contains(&(field.to_string(), rule.to_string())),
            "{field} {rule} in {rules:?}"
        );
    }
    assert_eq!(app.count("users").await, users_before);
    assert_eq!(app.count("policy_acceptances").await, acceptances_before);

    // Accepting versions that are not the current ones is a conflict.
    let res = app
        .call(
            "register",
            &[
                ("name", "李四"),
                ("mobile", "13955556666"),
                ("email", "li@example.com"),
                ("password", PW),
                ("accept", "on"),
                ("privacy_version_id", "0000"),
                ("terms_version_id", &terms),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    assert_eq!(app.count("users").await, users_before);
    assert_eq!(
        app.count("registrations").await,
        0,
        "nothing kept of a refused form"
    );
}

/// P5.2: five wrong passwords lock the account for 30 minutes, even against the right
/// password; the lock ends by itself. Time moves with the app's clock, not by sleeping.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_five_failures_lock_the_account_for_30_minutes() {
    let app = spawn_app().await;
    for i in 1..=4 {
        let res = app
            .call(
                "login",
                &[("login", DEMO.admin_mobile), ("password", "Wrong-Pass-1")],
            )
            .await;
        assert_eq!(res.status(), 401, "attempt {i}");
        assert_eq!(json(res).await["kind"], "bad_credentials");
    }
    let res = app
        .call(
            "login",
            &[("login", DEMO.admin_mobile), ("password", "Wrong-Pass-1")],
        )
        .await;
    assert_eq!(res.status(), 423, "the fifth failure locks");
    let res = app
        .call(
            "login",
            &[
                ("login", DEMO.admin_email),
                ("password", DEMO.admin_password),
            ],
        )
        .await;
    assert_eq!(res.status(), 423, "locked even with the right password");
    assert!(session_cookie(&res, "esp_session").is_none());

    app.clock.advance_minutes(29);
    let res = app
        .call(
            "login",
            &[
                ("login", DEMO.admin_mobile),
                ("password", DEMO.admin_password),
            ],
        )
        .await;
    assert_eq!(res.status(), 423);
    app.clock.advance_minutes(2);
    app.login(DEMO.admin_mobile, DEMO.admin_password).await;

    // The history shows every attempt, and the lock is in the audit log.
    let cookie = app.login(DEMO.admin_mobile, DEMO.admin_password).await;
    let history = json(app.call_as(&cookie, "login_history", &[]).await).await;
    let outcomes: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes.iter().filter(|o| **o == "bad_password").count(), 5);
    assert_eq!(outcomes.iter().filter(|o| **o == "locked").count(), 2);
    let locks: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'account.lock'")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get("n");
    assert_eq!(locks, 1);
}

/// P5.2: logins are rate-limited per IP address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_logins_are_rate_limited_per_ip() {
    let app = spawn_app_with(&["--login-attempts-per-ip", "3"]).await;
    for _ in 0..3 {
        let res = app
            .call("login", &[("login", "13000000000"), ("password", "x")])
            .await;
        assert_eq!(res.status(), 401);
    }
    let res = app
        .call(
            "login",
            &[
                ("login", DEMO.admin_mobile),
                ("password", DEMO.admin_password),
            ],
        )
        .await;
    assert_eq!(res.status(), 429);
    app.clock.advance_minutes(11);
    app.login(DEMO.admin_mobile, DEMO.admin_password).await;
}

/// P1.1.2: a login person edits their own profile; changing the mobile or e-mail needs the
/// password and the code sent to the new address; a taken e-mail is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_2_profile_changes_need_the_password_for_contacts() {
    let app = spawn_app().await;
    let other = app
        .register("赵六", "13600006666", "zhao@example.com", PW)
        .await;
    let cookie = app.login(DEMO.admin_mobile, DEMO.admin_password).await;
    let profile = json(app.call_as(&cookie, "my_profile", &[]).await).await;
    assert_eq!(profile["mobile"], DEMO.admin_mobile);

    let ok = app
        .call_as(
            &cookie,
            "update_profile",
            &[
                ("name", "新名字"),
                ("mobile", DEMO.admin_mobile),
                ("email", DEMO.admin_email),
            ],
        )
        .await;
    assert!(ok.status().is_success(), "a name change needs no password");

    let res = app
        .call_as(
            &cookie,
            "update_profile",
            &[
                ("name", "新名字"),
                ("mobile", "13811112222"),
                ("email", DEMO.admin_email),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        field_rules(&json(res).await),
        vec![("current_password".to_string(), "required".to_string())]
    );
    let res = app
        .call_as(
            &cookie,
            "update_profile",
            &[
                ("name", "新名字"),
                ("mobile", "13811112222"),
                ("email", DEMO.admin_email),
                ("current_password", "Wrong-1234"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .call_as(
            &cookie,
            "update_profile",
            &[
                ("name", "新名字"),
                ("mobile", "13811112222"),
                ("email", "zhao@example.com"),
                ("current_password", DEMO.admin_password),
            ],
        )
        .await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("email".to_string(), "taken".to_string())]
    );
    let res = app
        .call_as(
            &cookie,
            "update_profile",
            &[
                ("name", "新名字"),
                ("mobile", "13811112222"),
                ("email", DEMO.admin_email),
                ("current_password", DEMO.admin_password),
            ],
        )
        .await;
    assert!(res.status().is_success());
    // Not yet: the code went to the new number, and the profile says so.
    let profile = json(app.call_as(&cookie, "my_profile", &[]).await).await;
    assert_eq!(profile["mobile"], DEMO.admin_mobile);
    assert_eq!(profile["pending"][0]["kind"], "mobile");
    assert_eq!(profile["pending"][0]["masked"], "138****2222");
    let res = app
        .call(
            "login",
            &[("login", "13811112222"), ("password", DEMO.admin_password)],
        )
        .await;
    assert_eq!(res.status(), 401);
    let code = app.code_sent_to("13811112222").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = app
        .call_as(
            &cookie,
            "confirm_contact_change",
            &[("kind", "mobile"), ("code", wrong)],
        )
        .await;
    assert_eq!(res.status(), 409);
    assert_eq!(json(res).await["detail"], "contact_code_wrong");
    let res = app
        .call_as(
            &cookie,
            "confirm_contact_change",
            &[("kind", "email"), ("code", &code)],
        )
        .await;
    assert_eq!(res.status(), 409, "no e-mail change is pending");
    let res = app
        .call_as(
            &cookie,
            "confirm_contact_change",
            &[("kind", "mobile"), ("code", &code)],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(app.audit_count("profile.contact_changed").await, 1);
    let profile = json(app.call_as(&cookie, "my_profile", &[]).await).await;
    assert_eq!(profile["pending"].as_array().unwrap().len(), 0);
    // Used once.
    let res = app
        .call_as(
            &cookie,
            "confirm_contact_change",
            &[("kind", "mobile"), ("code", &code)],
        )
        .await;
    assert_eq!(res.status(), 409);
    // The new mobile logs in; the old one no longer does.
    app.login("13811112222", DEMO.admin_password).await;
    assert_eq!(
        app.call(
            "login",
            &[
                ("login", DEMO.admin_mobile),
                ("password", DEMO.admin_password)
            ]
        )
        .await
        .status(),
        401
    );
    let _ = other;
}

/// Calls `change_password`; returns the status.
async fn change_password(
    app: &crate::helpers::TestApp,
    cookie: &str,
    current: &str,
    new: &str,
) -> u16 {
    app.call_as(
        cookie,
        "change_password",
        &[("current_password", current), ("new_password", new)],
    )
    .await
    .status()
    .as_u16()
}

/// P5.4: a password change applies the policy, needs the current password and ends the
/// other sessions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_4_password_change() {
    let app = spawn_app().await;
    let a = app.login(DEMO.admin_mobile, DEMO.admin_password).await;
    let b = app.login(DEMO.admin_mobile, DEMO.admin_password).await;
    assert_eq!(
        change_password(&app, &a, DEMO.admin_password, "short").await,
        422
    );
    assert_eq!(
        change_password(&app, &a, "nope", "Another-Pass-9").await,
        422
    );
    assert_eq!(
        change_password(&app, &a, DEMO.admin_password, "Another-Pass-9").await,
        200
    );
    assert!(
        !json(app.call_as(&a, "whoami", &[]).await).await.is_null(),
        "this session stays"
    );
    assert!(
        json(app.call_as(&b, "whoami", &[]).await).await.is_null(),
        "the others end"
    );
    app.login(DEMO.admin_mobile, "Another-Pass-9").await;
}

/// P5.2: a stolen session cannot be used to guess the password: wrong confirmations count
/// towards the lockout like wrong logins.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_password_confirmations_count_towards_the_lockout() {
    let app = spawn_app().await;
    let cookie = app.login(DEMO.admin_mobile, DEMO.admin_password).await;
    for _ in 0..4 {
        assert_eq!(
            change_password(&app, &cookie, "Guess-1234", "Another-Pass-9").await,
            422
        );
    }
    assert_eq!(
        change_password(&app, &cookie, "Guess-1234", "Another-Pass-9").await,
        423
    );
    assert_eq!(
        change_password(&app, &cookie, DEMO.admin_password, "Another-Pass-9").await,
        423,
        "locked even with the right password"
    );
    assert_eq!(
        app.call(
            "login",
            &[
                ("login", DEMO.admin_mobile),
                ("password", DEMO.admin_password)
            ]
        )
        .await
        .status(),
        423
    );
}

/// P5.2: behind a trusted proxy the client address comes from `X-Forwarded-For` (each client
/// is limited on its own, and the history shows its address); without the flag the header is
/// ignored, so nobody escapes the limit by sending it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_forwarded_addresses_only_behind_a_trusted_proxy() {
    async fn attempt(app: &crate::helpers::TestApp, from: &str, password: &str) -> u16 {
        app.client
            .post(app.url("/api/login"))
            .header("accept", "application/json")
            .header("x-forwarded-for", format!("10.9.9.9, {from}"))
            .form(&[("login", DEMO.admin_mobile), ("password", password)])
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
    let untrusted = spawn_app_with(&["--login-attempts-per-ip", "2"]).await;
    assert_eq!(attempt(&untrusted, "198.51.100.1", "x").await, 401);
    assert_eq!(attempt(&untrusted, "198.51.100.2", "x").await, 401);
    assert_eq!(
        attempt(&untrusted, "198.51.100.3", "x").await,
        429,
        "the header is ignored"
    );

    let proxied = spawn_app_with(&["--login-attempts-per-ip", "2", "--trust-forwarded-for"]).await;
    assert_eq!(attempt(&proxied, "198.51.100.1", "x").await, 401);
    assert_eq!(attempt(&proxied, "198.51.100.1", "x").await, 401);
    assert_eq!(attempt(&proxied, "198.51.100.1", "x").await, 429);
    assert_eq!(
        attempt(&proxied, "198.51.100.2", DEMO.admin_password).await,
        200,
        "another client"
    );
    let ips: Vec<String> = sqlx::query("SELECT ip FROM login_events ORDER BY at")
        .fetch_all(proxied.db.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| sqlx::Row::get(r, "ip"))
        .collect();
    assert_eq!(
        ips.last().map(String::as_str),
        Some("198.51.100.2"),
        "{ips:?}"
    );
}

/// P1.1.2: a new e-mail address takes effect with the code e-mailed to it; five wrong tries use
/// a code up; without a way to send texts, a new mobile number cannot be verified.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_2_a_new_email_needs_its_code_and_five_wrong_tries_use_it_up() {
    let app = spawn_app().await;
    let cookie = app.login(DEMO.admin_mobile, DEMO.admin_password).await;
    let change = |email: &'static str| {
        let (app, cookie) = (&app, cookie.clone());
        async move {
            app.call_as(
                &cookie,
                "update_profile",
                &[
                    ("name", "演示管理员"),
                    ("mobile", DEMO.admin_mobile),
                    ("email", email),
                    ("current_password", DEMO.admin_password),
                ],
            )
            .await
        }
    };
    assert!(change("new-admin@example.com").await.status().is_success());
    let code = app.code_sent_to("new-admin@example.com").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        app.call_as(
            &cookie,
            "confirm_contact_change",
            &[("kind", "email"), ("code", wrong)],
        )
        .await;
    }
    let res = app
        .call_as(
            &cookie,
            "confirm_contact_change",
            &[("kind", "email"), ("code", &code)],
        )
        .await;
    assert_eq!(json(res).await["detail"], "contact_code_wrong", "used up");
    // A new request sends a new code, which works.
    app.clock.advance_ms(61_000);
    assert!(change("new-admin@example.com").await.status().is_success());
    let code = app.code_sent_to("new-admin@example.com").await;
    let res = app
        .call_as(
            &cookie,
            "confirm_contact_change",
            &[("kind", "email"), ("code", &code)],
        )
        .await;
    assert!(res.status().is_success());
    let profile = json(app.call_as(&cookie, "my_profile", &[]).await).await;
    assert_eq!(profile["email"], "new-admin@example.com");
    // The person is told at the new address, and the old one is told too (if someone else
    // made the change, its owner learns of it).
    app.deliver_all().await;
    let ops = app.finance().await;
    let mail = json(app.call_as(&ops, "dev_mailbox", &[]).await).await;
    let told: Vec<&str> = mail
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            m["subject"]
                .as_str()
                .unwrap_or("")
                .starts_with("您的邮箱已更改")
        })
        .map(|m| m["recipient"].as_str().unwrap())
        .collect();
    assert!(told.contains(&"new-admin@example.com"), "{told:?}");
    assert!(told.contains(&DEMO.admin_email), "{told:?}");
}
