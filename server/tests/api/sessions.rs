//! Sessions (P5.2, P2.1): cookie flags and rotation, idle and absolute expiry, logout, and
//! housekeeping, on the engine chosen by `TEST_DATABASE_URL`.

use crate::helpers::{hex_key, json, session_cookie, set_cookies, spawn_app, spawn_app_with};
use app::backend::seed::DEMO;

const PW: &str = "Good-Pass-2026";

/// P5.2, P2.1: the session cookie is HttpOnly and SameSite=Lax, Secure and `__Host-` prefixed
/// in production; the session id rotates at login.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_session_cookie_flags_and_rotation() {
    let app = spawn_app().await;
    let res = app
        .call(
            "login",
            &[
                ("login", DEMO.admin_email),
                ("password", DEMO.admin_password),
            ],
        )
        .await;
    let cookies = set_cookies(&res);
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    let c = &cookies[0];
    assert!(
        c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Path=/"),
        "{c}"
    );
    assert!(!c.contains("Secure"), "plain HTTP in development: {c}");
    let first = session_cookie(&res, "esp_session").unwrap();

    // Logging in again with the old cookie ends the old session.
    let res = app
        .call_as(
            &first,
            "login",
            &[
                ("login", DEMO.admin_email),
                ("password", DEMO.admin_password),
            ],
        )
        .await;
    let second = session_cookie(&res, "esp_session").unwrap();
    assert_ne!(first, second);
    assert!(json(app.call_as(&first, "whoami", &[]).await)
        .await
        .is_null());
    assert!(!json(app.call_as(&second, "whoami", &[]).await)
        .await
        .is_null());

    let prod = spawn_app_with(&[
        "--production",
        "--session-key",
        &hex_key(),
        "--field-key",
        &hex_key(),
        "--no-outbound",
    ])
    .await;
    // Production has no demo data: register someone.
    let started = prod
        .start_registration("王五", "13700001111", "wang@example.com", PW)
        .await;
    let res = prod
        .confirm_registration(
            started["id"].as_str().unwrap(),
            "wang@example.com",
            "13700001111",
        )
        .await;
    let cookies = set_cookies(&res);
    // Issue 14: the `__Host-` prefix: the browser keeps it only from this host, over TLS.
    assert!(
        cookies.iter().any(|c| c.starts_with("__Host-esp_session=")
            && c.contains("; Secure")
            && c.contains("Path=/")
            && !c.contains("Domain")),
        "{cookies:?}"
    );
    let prefixed = session_cookie(&res, "__Host-esp_session").unwrap();
    assert!(!json(prod.call_as(&prefixed, "whoami", &[]).await)
        .await
        .is_null());
    // The same token without the prefix (as a sibling subdomain could plant it) is no session.
    let planted = prefixed.replacen("__Host-", "", 1);
    assert!(json(prod.call_as(&planted, "whoami", &[]).await)
        .await
        .is_null());
    // Production is behind TLS: browsers are told to stay on HTTPS.
    assert!(res.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
    assert!(
        app.get("/")
            .await
            .headers()
            .get("strict-transport-security")
            .is_none(),
        "not on plain development HTTP"
    );
}

/// P5.2: a session ends after 30 idle minutes, and after 12 hours however active.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_sessions_expire_when_idle_and_at_the_absolute_limit() {
    let app = spawn_app().await;
    let cookie = app.login(DEMO.admin_mobile, DEMO.admin_password).await;
    app.clock.advance_minutes(29);
    assert!(
        !json(app.call_as(&cookie, "whoami", &[]).await)
            .await
            .is_null(),
        "29 idle minutes are fine"
    );
    app.clock.advance_minutes(30);
    assert!(
        json(app.call_as(&cookie, "whoami", &[]).await)
            .await
            .is_null(),
        "30 idle minutes end it"
    );
    assert_eq!(app.call_as(&cookie, "my_profile", &[]).await.status(), 401);

    let cookie = app.login(DEMO.admin_mobile, DEMO.admin_password).await;
    for _ in 0..(12 * 3 - 1) {
        app.clock.advance_minutes(20);
        assert!(!json(app.call_as(&cookie, "whoami", &[]).await)
            .await
            .is_null());
    }
    app.clock.advance_minutes(20);
    assert!(
        json(app.call_as(&cookie, "whoami", &[]).await)
            .await
            .is_null(),
        "12 hours end it"
    );
}

/// P5.2: logout ends this session; "log out everywhere" ends all of them; a session can be
/// ended from another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_logout_and_logout_everywhere() {
    let app = spawn_app().await;
    let a = app.login(DEMO.admin_mobile, DEMO.admin_password).await;
    let b = app.login(DEMO.admin_email, DEMO.admin_password).await;
    let c = app.login(DEMO.admin_email, DEMO.admin_password).await;
    let sessions = json(app.call_as(&a, "my_sessions", &[]).await).await;
    assert_eq!(sessions.as_array().unwrap().len(), 3);
    let other = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| !s["current"].as_bool().unwrap())
        .unwrap()["handle"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(app
        .call_as(&a, "end_session", &[("handle", &other)])
        .await
        .status()
        .is_success());
    assert_eq!(
        json(app.call_as(&a, "my_sessions", &[]).await)
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let res = app.call_as(&a, "logout", &[]).await;
    assert!(set_cookies(&res)
        .iter()
        .any(|c| c.starts_with("esp_session=;") && c.contains("Max-Age=0")));
    assert!(json(app.call_as(&a, "whoami", &[]).await).await.is_null());

    let d = app.login(DEMO.admin_mobile, DEMO.admin_password).await;
    assert!(app
        .call_as(&d, "logout_all", &[])
        .await
        .status()
        .is_success());
    for cookie in [&b, &c, &d] {
        assert!(json(app.call_as(cookie, "whoami", &[]).await)
            .await
            .is_null());
    }
}

/// P5.2: housekeeping removes expired sessions and keeps login events for at least 180 days.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_housekeeping_keeps_login_logs_180_days() {
    let app = spawn_app().await;
    app.login(DEMO.admin_mobile, DEMO.admin_password).await;
    let events = app.count("login_events").await;
    app.clock.advance_minutes(13 * 60);
    let (sessions, old) = server::jobs::housekeeping(&app.state).await.unwrap();
    assert_eq!(
        (sessions, old),
        (1, 0),
        "the expired session goes, the log stays"
    );
    app.clock.advance_minutes(180 * 24 * 60);
    server::jobs::housekeeping(&app.state).await.unwrap();
    assert_eq!(app.count("login_events").await, events, "kept for 180 days");
    app.clock.advance_minutes(11 * 24 * 60);
    server::jobs::housekeeping(&app.state).await.unwrap();
    assert_eq!(
        app.count("login_events").await,
        0,
        "gone after the retention period"
    );
}
