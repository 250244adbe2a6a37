//! Cookies and consent (P2.1, P2.2): the registry covers every cookie, nothing optional is
//! set without consent, withdrawing deletes, Global Privacy Control is honoured, and every
//! decision is recorded (both engines).

use crate::helpers::{json, set_cookies, spawn_app, TestApp};
use app::backend::seed::DEMO;

/// The names of the cookies a response sets.
fn names(res: &reqwest::Response) -> Vec<String> {
    set_cookies(res)
        .iter()
        .filter_map(|c| c.split_once('=').map(|(n, _)| n.to_string()))
        .collect()
}

async fn records(app: &TestApp, method: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM consent_records WHERE method = $1")
        .bind(method)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

async fn decide(app: &TestApp, cookie: &str, choice: &str, convenience: bool) -> reqwest::Response {
    let mut form = vec![("choice", choice), ("lang", "zh-CN")];
    if convenience {
        form.push(("convenience", "on"));
    }
    app.call_as(cookie, "save_consent", &form).await
}

fn cookie_value(res: &reqwest::Response, name: &str) -> Option<String> {
    set_cookies(res).iter().find_map(|c| {
        let (n, rest) = c.split_once('=')?;
        (n == name).then(|| rest.split(';').next().unwrap_or("").to_string())
    })
}

/// P2.1: every `Set-Cookie` the app emits along its flows names a cookie in the registry.
#[tokio::test]
async fn p2_1_every_cookie_the_app_sets_is_in_the_registry() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    let res = app.get("/").await;
    seen.extend(names(&res));
    let res = decide(&app, "", "accept_all", false).await;
    let consent = format!(
        "esp_consent={}",
        cookie_value(&res, "esp_consent").expect("a consent cookie")
    );
    seen.extend(names(&res));
    let res = app
        .client
        .post(app.url("/api/login"))
        .header("accept", "application/json")
        .header("cookie", &consent)
        .form(&[
            ("login", DEMO.admin_mobile),
            ("password", DEMO.admin_password),
        ])
        .send()
        .await
        .unwrap();
    seen.extend(names(&res));
    assert!(
        names(&res).contains(&"esp_login".to_string()),
        "convenience accepted: the login name is kept"
    );
    let session = cookie_value(&res, "esp_session").unwrap();
    let both = format!("{consent}; esp_session={session}");
    seen.extend(names(&app.call_as(&both, "logout", &[]).await));
    let ops = app.finance().await;
    seen.extend(names(&app.call_as(&ops, "ops_logout", &[]).await));
    seen.extend(names(&decide(&app, &consent, "reject_all", false).await));
    assert!(!seen.is_empty());
    for name in &seen {
        assert!(
            app::model::consent::cookie_spec(name).is_some(),
            "cookie {name} is not in the registry"
        );
    }
}

/// P2.2: without consent no optional cookie is set; withdrawing deletes it and is recorded.
#[tokio::test]
async fn p2_2_optional_cookies_follow_consent_and_withdrawal_deletes_them() {
    let app = spawn_app().await;
    // No choice yet: logging in sets the session only.
    let res = app
        .call(
            "login",
            &[
                ("login", DEMO.admin_mobile),
                ("password", DEMO.admin_password),
            ],
        )
        .await;
    assert_eq!(names(&res), vec!["esp_session".to_string()]);
    // Rejected: still nothing optional.
    let res = decide(&app, "", "reject_all", false).await;
    let rejected = format!("esp_consent={}", cookie_value(&res, "esp_consent").unwrap());
    let res = app
        .call_as(
            &rejected,
            "login",
            &[
                ("login", DEMO.admin_mobile),
                ("password", DEMO.admin_password),
            ],
        )
        .await;
    assert!(!names(&res).contains(&"esp_login".to_string()));
    // Accepted through "Customise", then withdrawn.
    let res = decide(&app, &rejected, "custom", true).await;
    let accepted = format!("esp_consent={}", cookie_value(&res, "esp_consent").unwrap());
    assert!(accepted.ends_with("necessary+convenience"));
    let res = app
        .call_as(
            &accepted,
            "login",
            &[
                ("login", DEMO.admin_mobile),
                ("password", DEMO.admin_password),
            ],
        )
        .await;
    assert_eq!(
        cookie_value(&res, "esp_login").as_deref(),
        Some(DEMO.admin_mobile)
    );
    let remembered = format!("{accepted}; esp_login={}", DEMO.admin_mobile);
    assert_eq!(
        json(app.call_as(&remembered, "remembered_login", &[]).await).await,
        DEMO.admin_mobile
    );
    let res = decide(&app, &remembered, "custom", false).await;
    let deleted = set_cookies(&res)
        .into_iter()
        .find(|c| c.starts_with("esp_login="))
        .expect("the login cookie is deleted");
    assert!(deleted.contains("Max-Age=0"), "{deleted}");
    assert_eq!(records(&app, "withdrawal").await, 1);
    // The same consent id throughout: one visitor, one history.
    let ids: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT consent_id) FROM consent_records")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(ids, 1);
}

/// P2.2: a browser sending `Sec-GPC: 1` is not asked; optional cookies are off and the
/// decision is recorded with method `gpc`. Without it, the banner is in the page's HTML.
#[tokio::test]
async fn p2_2_global_privacy_control_is_honoured_and_recorded() {
    let app = spawn_app().await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(
        html.contains(r#"data-testid="cookie-banner""#),
        "a first visit is asked"
    );
    assert!(html.contains(r#"role="dialog""#) && html.contains(r#"aria-modal="true""#));
    let res = app
        .client
        .get(app.url("/"))
        .header("sec-gpc", "1")
        .send()
        .await
        .unwrap();
    let consent = cookie_value(&res, "esp_consent").expect("the GPC choice is kept");
    assert!(consent.ends_with(".necessary"), "{consent}");
    assert!(!res
        .text()
        .await
        .unwrap()
        .contains(r#"data-testid="cookie-banner""#));
    assert_eq!(records(&app, "gpc").await, 1);
    let row: (String, String, i64) =
        sqlx::query_as("SELECT categories, ip, revision FROM consent_records WHERE method = 'gpc'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        (row.0.as_str(), row.1.as_str(), row.2),
        ("necessary", "127.0.0.0/24", 1)
    );
    // A stale choice (an older cookie-policy revision) is replaced by the GPC one.
    let res = app
        .client
        .get(app.url("/"))
        .header("sec-gpc", "1")
        .header(
            "cookie",
            format!("esp_consent=v0.{}.necessary+convenience", "a".repeat(32)),
        )
        .send()
        .await
        .unwrap();
    assert!(cookie_value(&res, "esp_consent").is_some_and(|v| v.starts_with("v1.")));
    assert!(!res
        .text()
        .await
        .unwrap()
        .contains(r#"data-testid="cookie-banner""#));
    // Issue 14: a client that keeps no cookies asks again with every page. Each is answered
    // the same way, but decisions are recorded only up to a limit per address and hour.
    let limit = app::model::consent::GPC_RECORDS_PER_HOUR as i64;
    for _ in 0..limit + 5 {
        let res = app
            .client
            .get(app.url("/privacy"))
            .header("sec-gpc", "1")
            .send()
            .await
            .unwrap();
        assert!(cookie_value(&res, "esp_consent").is_some_and(|v| v.ends_with(".necessary")));
        assert!(!res
            .text()
            .await
            .unwrap()
            .contains(r#"data-testid="cookie-banner""#));
    }
    assert_eq!(records(&app, "gpc").await, limit);
    app.clock.advance_minutes(61);
    app.client
        .get(app.url("/"))
        .header("sec-gpc", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        records(&app, "gpc").await,
        limit + 1,
        "the next hour records again"
    );
    // Once chosen, the page does not ask again.
    let html = app
        .get_as(&format!("esp_consent={consent}"), "/")
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains(r#"data-testid="cookie-banner""#));
}

/// P2.2: a visitor's decisions are linked to the account at login, and the user sees them.
#[tokio::test]
async fn p2_2_decisions_follow_the_visitor_into_the_account() {
    let app = spawn_app().await;
    let res = decide(&app, "", "accept_all", false).await;
    let consent = format!("esp_consent={}", cookie_value(&res, "esp_consent").unwrap());
    let res = app
        .call_as(
            &consent,
            "login",
            &[
                ("login", DEMO.admin_mobile),
                ("password", DEMO.admin_password),
            ],
        )
        .await;
    let session = format!(
        "{consent}; esp_session={}",
        cookie_value(&res, "esp_session").unwrap()
    );
    decide(&app, &session, "reject_all", false).await;
    let mine = json(app.call_as(&session, "my_consents", &[]).await).await;
    let methods: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods.len(), 2);
    assert!(
        methods.contains(&"accept_all") && methods.contains(&"withdrawal"),
        "{methods:?}"
    );
    let res = app
        .call("save_consent", &[("choice", "everything"), ("lang", "en")])
        .await;
    assert_eq!(res.status(), 422);
}

/// P2.2: the language is remembered only with convenience consent, and a remembered English
/// sends a page without `?lang=` to the English one.
#[tokio::test]
async fn p2_2_the_language_is_remembered_only_with_consent() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/privacy?lang=en"))
        .send()
        .await
        .unwrap();
    assert!(
        !names(&res).contains(&"esp_lang".to_string()),
        "no consent, no cookie"
    );
    let res = decide(&app, "", "accept_all", false).await;
    let consent = format!("esp_consent={}", cookie_value(&res, "esp_consent").unwrap());
    let res = app.get_as(&consent, "/privacy?lang=en").await;
    assert_eq!(cookie_value(&res, "esp_lang").as_deref(), Some("en"));
    let res = app
        .get_as(&format!("{consent}; esp_lang=en"), "/privacy")
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/privacy?lang=en");
    // Without consent a stale language cookie is ignored.
    let res = app.get_as("esp_lang=en", "/privacy").await;
    assert_eq!(res.status(), 200);
}

/// Issue 11: a request for `//evil.example/` (which a browser reads as another site) is sent
/// to a local path, never off-site, when the remembered language redirects it.
#[tokio::test]
async fn the_language_redirect_never_leaves_the_site() {
    let app = spawn_app().await;
    let res = decide(&app, "", "accept_all", false).await;
    let consent = format!("esp_consent={}", cookie_value(&res, "esp_consent").unwrap());
    for path in ["//evil.example/", "/\\evil.example/", "///evil.example/x/"] {
        let res = app.get_as(&format!("{consent}; esp_lang=en"), path).await;
        assert_eq!(res.status(), 303, "{path}");
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(
            location.starts_with('/')
                && !location.starts_with("//")
                && !location.starts_with("/\\"),
            "{path} → {location}"
        );
        assert!(location.ends_with("lang=en"), "{location}");
    }
}

/// Issue 11: with optional cookies refused, the language lives in the URL: every redirect
/// keeps it — a page's own (the portal sending a visitor to log in) and a form's (the
/// Referer of a plain form post; the `serverfnredirect` answer of the client).
#[tokio::test]
async fn redirects_keep_the_language() {
    let app = spawn_app().await;
    // A page's redirect: the login page, in English, with the way back.
    let res = app
        .get_as("", "/portal/funds/flow?from=2026-11-01&lang=en")
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("/login?next=") && location.ends_with("&lang=en"),
        "{location}"
    );
    assert!(
        location.contains("from%3D2026-11-01"),
        "the filters come back: {location}"
    );

    // A form posted without JavaScript from an English page.
    let referer = app.url("/login?lang=en");
    let res = app
        .client
        .post(app.url("/api/login"))
        .header("accept", "text/html")
        .header("referer", &referer)
        .form(&[
            ("login", "13800000000"),
            ("password", "Demo-Admin-2026"),
            ("next", "/portal/funds"),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], "/portal/funds?lang=en");

    // The same form through the WASM client (`serverfnredirect`).
    let res = app
        .client
        .post(app.url("/api/login"))
        .header("accept", "application/json")
        .header("referer", &referer)
        .form(&[("login", "13800000000"), ("password", "Demo-Admin-2026")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["location"], "/portal?lang=en");

    // A page asked for without `?lang=` is Chinese, whatever English page linked to it (the
    // switch to 中文 is such a link): its redirect adds nothing.
    let res = app
        .client
        .get(app.url("/portal"))
        .header("accept", "text/html")
        .header("referer", app.url("/privacy?lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/login?next=%2Fportal");
    // A form posted from a Chinese page, or from another site's page, adds nothing.
    let res = app
        .client
        .post(app.url("/api/login"))
        .header("accept", "application/json")
        .header("referer", app.url("/login"))
        .form(&[("login", "13800000000"), ("password", "Demo-Admin-2026")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/portal");
    let res = app
        .client
        .post(app.url("/api/login"))
        .header("accept", "application/json")
        .header("referer", "http://other.example/x?lang=en")
        .form(&[("login", "13800000000"), ("password", "Demo-Admin-2026")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/portal");
}
