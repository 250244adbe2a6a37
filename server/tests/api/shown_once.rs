//! Issue 19 (forms work before the WASM loads): an API key or a callback signing secret issued by
//! a form posted without the WASM is not lost. The post is answered by a redirect back to the
//! page, without the secret; the page's next rendering for the same session shows it — the
//! real one: the reference client signs with it — and only once. Not to the same admin's other
//! session nor another enterprise's admin, not after two minutes, and nothing is held for the
//! WASM's own calls.

use crate::helpers::TestApp;
use crate::openapi::client;
use serde_json::{json, Value};

const PAGE: &str = "/portal/business/api";

/// Posts `form` to `endpoint` as a browser without the WASM does: a plain form post.
async fn plain_post(app: &TestApp, cookie: &str, endpoint: &str, form: &[(&str, &str)]) -> String {
    let res = app
        .client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .header("referer", app.url(PAGE))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_redirection(),
        "{endpoint}: {}",
        res.status()
    );
    let to = res.headers()["location"].to_str().unwrap().to_string();
    // (server_fn strips its error parameters, which may leave an empty query.)
    assert!(
        to.trim_end_matches('?').ends_with(PAGE),
        "back to the page: {to}"
    );
    res.text().await.unwrap()
}

/// The text of the element with `testid` in `html` (markers skipped), if there is one.
fn shown(html: &str, testid: &str) -> Option<String> {
    let at = html.find(&format!("data-testid=\"{testid}\""))?;
    let mut rest = &html[at..];
    rest = &rest[rest.find('>')? + 1..];
    while let Some(comment) = rest.strip_prefix("<!") {
        rest = &comment[comment.find('>')? + 1..];
    }
    Some(rest[..rest.find('<')?].trim().to_string())
}

async fn page(app: &TestApp, cookie: &str) -> String {
    let (status, html) = app.get_compressed(cookie, PAGE).await;
    assert_eq!(status, 200);
    html
}

async fn held(app: &TestApp, cookie: &str) -> Value {
    let res = app.call_as(cookie, "api_shown_once", &[]).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_issued_without_the_wasm_is_shown_once_on_the_page() {
    let app = crate::helpers::spawn_app().await;
    let (admin, mobile) = app.open_enterprise_login("无脚本密钥企业").await;
    // The same admin in another session (another browser), and another enterprise's admin.
    let elsewhere = app.login(&mobile, crate::fixtures::APPLICANT_PW).await;
    let other = app.open_enterprise("旁观企业").await;
    let form = [
        ("name", "ERP"),
        ("valid_days", "90"),
        ("scope_funds_read", "on"),
    ];

    // Issued by a plain post: the answer is a redirect, without the secret.
    let answer = plain_post(&app, &admin, "create_api_credential", &form).await;
    assert!(!answer.contains("secret"), "{answer}");
    // Held for the session that asked only: not for the same admin's other session, not for
    // another enterprise's admin.
    let nothing = json!({ "key": null, "callback_secret": null });
    assert_eq!(held(&app, &elsewhere).await, nothing);
    assert_eq!(held(&app, &other).await, nothing);
    let html = page(&app, &admin).await;
    let key_id = shown(&html, "api-key-id").expect("the key id on the page");
    let secret = shown(&html, "api-secret").expect("the secret on the page");
    assert!(
        html.contains(&format!("data-key=\"{key_id}\"")),
        "the key listed"
    );
    // It is the real secret: the reference client signs with it.
    let key = json!({ "key_id": key_id, "secret": secret });
    let balance = client(&app, &key, "GET", "/openapi/v1/balance", "", &[]).await;
    assert_eq!(balance.status, 200, "{}", balance.body);
    // Shown once.
    let again = page(&app, &admin).await;
    assert_eq!(shown(&again, "api-secret"), None);

    // A rotation by a plain post: the successor's secret, once.
    let id: String = sqlx::query_scalar("SELECT id FROM api_credentials WHERE key_id = $1")
        .bind(&key_id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    plain_post(&app, &admin, "rotate_api_credential", &[("id", &id)]).await;
    let rotated = held(&app, &admin).await;
    let successor = rotated["key"]["key_id"].as_str().unwrap();
    assert_ne!(successor, key_id);
    assert!(rotated["key"]["secret"]
        .as_str()
        .is_some_and(|s| s.len() >= 32));

    // A callback secret, the same way.
    plain_post(
        &app,
        &admin,
        "save_api_callback",
        &[("url", "http://127.0.0.1:9/cb")],
    )
    .await;
    let html = page(&app, &admin).await;
    let cb = shown(&html, "callback-secret").expect("the callback secret on the page");
    assert!(cb.len() >= 32, "{cb}");
    assert_eq!(shown(&page(&app, &admin).await, "callback-secret"), None);

    // Not held past two minutes.
    plain_post(&app, &admin, "create_api_credential", &form).await;
    app.clock
        .advance_ms(app::backend::openapi::shown_once::HOLD_MS + 1);
    assert_eq!(held(&app, &admin).await["key"], Value::Null);

    // The WASM's own call answers the secret, and nothing is held.
    let res = app.call_as(&admin, "create_api_credential", &form).await;
    let answered: Value = res.json().await.unwrap();
    assert!(answered["secret"].is_string());
    assert_eq!(held(&app, &admin).await["key"], Value::Null);
}
