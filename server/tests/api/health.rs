use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_pings_the_database() {
    let app = spawn_app().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200, "engine {}", app.engine);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_a_request_id_and_security_headers() {
    let app = spawn_app().await;
    for path in ["/healthz", "/", "/nope", "/api/announcements"] {
        let res = app.get(path).await;
        let h = res.headers();
        let id = h
            .get("x-request-id")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert_eq!(id.len(), 36, "{path}: request id {id:?}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            h["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        // P2.1/P2.2: no cookie is set before the consent banner exists to ask for it.
        assert!(h.get("set-cookie").is_none(), "{path} sets a cookie");
    }
    // A request id given by a proxy is kept.
    let res = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "abc-123");
}

/// Issue 14 (hardening): nothing that names a person or a session is kept by a browser's or a
/// proxy's cache (`no-store`), logged in or not; the public home page takes the default.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_answers_are_never_cached() {
    let app = spawn_app().await;
    let cookie = app.register_unique().await;
    for path in [
        "/portal",
        "/portal/funds",
        "/ops",
        "/ops/login",
        "/register",
    ] {
        let res = app.get_as(&cookie, path).await;
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
    let res = app
        .call_as(&cookie, "announcements", &[("limit", "1")])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(app.get("/").await.headers().get("cache-control").is_none());
    assert_eq!(
        app.get("/login").await.headers()["cache-control"],
        "no-store"
    );
}

/// Issue 14: with hashed file names the site's files are kept for a year, but a file that is
/// not there (an old page asking for an earlier release's file) is not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_site_file_is_not_cached_for_a_year() {
    let app = spawn_app_with(&["--hash-files"]).await;
    let res = app.get("/pkg/platform.0123456789abcdef.wasm").await;
    assert_eq!(res.status(), 404);
    assert!(!res
        .headers()
        .get("cache-control")
        .is_some_and(|v| v.to_str().unwrap().contains("immutable")));
}
