//! Server-rendered pages.

use crate::helpers::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_is_rendered_in_chinese_with_data_and_a_nonced_hydration_script() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"<html lang="zh-CN""#), "{html}");
    assert!(html.contains("为平台企业提供合规的灵活用工综合服务"));
    assert!(
        html.contains("平台服务上线公告"),
        "announcements are rendered on the server"
    );
    assert!(
        html.contains("privacy@platform.example.com"),
        "P10.1: the contact is in the footer"
    );
    assert!(html.contains(r#"data-hydrated="false""#));
    // The inline bootstrap script carries the nonce of this response's policy.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce in CSP");
    assert!(
        html.contains(&format!(r#"nonce="{nonce}""#)),
        "hydration script has the CSP nonce"
    );
    for tag in html
        .match_indices("<script")
        .map(|(i, _)| html[i..].chars().take(40).collect::<String>())
    {
        assert!(
            tag.contains("nonce="),
            "every inline script is nonced: {tag}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_is_one_parameter_away() {
    let app = spawn_app().await;
    let html = app.get("/?lang=en").await.text().await.unwrap();
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains("Compliant flexible-work services for platform businesses"));
    assert!(html.contains("The platform is open"));
    assert!(!html.contains("为平台企业提供合规的灵活用工综合服务"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_are_404_pages() {
    let app = spawn_app().await;
    let res = app.get("/definitely/not/here").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("页面不存在"));
    let res = app
        .get("/announcements/ffffffffffffffffffffffffffffffff")
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shells_and_entry_pages_render() {
    let app = spawn_app().await;
    for (path, text) in [
        ("/ops/login", "运营后台登录"),
        ("/login", "登录"),
        ("/register", "注册并申请企业账户"),
        ("/privacy", "隐私政策"),
        ("/terms", "账户使用规则"),
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(
            res.text().await.unwrap().contains(text),
            "{path} shows {text}"
        );
    }
}

/// P5.1: the portal and the console send visitors to their login pages before any content.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protected_areas_redirect_visitors_to_login() {
    let app = spawn_app().await;
    for (path, to) in [
        ("/portal", "/login?next=%2Fportal"),
        ("/portal/account", "/login?next=%2Fportal%2Faccount"),
        ("/ops", "/ops/login"),
        ("/ops/audit", "/ops/login"),
        (
            "/ops/applications/0123456789abcdef0123456789abcdef",
            "/ops/login",
        ),
        (
            "/ops/enterprises/0123456789abcdef0123456789abcdef",
            "/ops/login",
        ),
    ] {
        let res = app.get_as("", path).await;
        assert_eq!(res.status(), 302, "{path}");
        assert_eq!(res.headers()["location"], to, "{path}");
        let body = res.text().await.unwrap();
        assert!(
            body.is_empty(),
            "{path} sends a page with its redirect: {body}"
        );
    }
}

/// Many pages rendered at once all finish, complete, with the right status. (Page metadata is
/// rendered after the page itself; a render must never fail or stall because of it.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_renders_are_complete() {
    let app = spawn_app().await;
    let mut tasks = Vec::new();
    for i in 0..150 {
        let path = ["/", "/?lang=en", "/portal", "/privacy", "/missing"][i % 5];
        let (client, url) = (app.client.clone(), app.url(path));
        tasks.push(tokio::spawn(async move {
            let res = client
                .get(url)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{path}: no response: {e}"));
            let status = res.status().as_u16();
            let body = res
                .text()
                .await
                .unwrap_or_else(|e| panic!("{path}: incomplete body: {e}"));
            (path, status, body)
        }));
    }
    for task in tasks {
        let (path, status, body) = task.await.unwrap();
        let expected = if path == "/missing" { 404 } else { 200 };
        assert_eq!(status, expected, "{path}");
        assert!(body.contains("</html>"), "{path}: incomplete page");
        if path != "/portal" {
            assert!(
                body.contains("privacy@platform.example.com"),
                "{path}: no footer"
            );
        }
        assert!(body.contains("<title>"), "{path}: no title");
    }
}
