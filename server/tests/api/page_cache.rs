//! Issue 14 §2: the anonymous public pages are kept for a few seconds and answered without
//! rendering (`server::page_cache`), without ever showing a visitor something stale after a
//! change made on this server, or someone else's page.

use crate::helpers::{spawn_pair, TestApp};
use crate::messages::publish;
use app::backend::public_pages::TTL_MS;
use app::model::consent::{ConsentChoice, COOKIE_REVISION};

/// A page as the browser gets it: its body and the nonce its CSP allows.
async fn page(app: &TestApp, path: &str, cookie: &str, gpc: bool) -> (String, String) {
    let mut req = app.client.get(app.url(path));
    if !cookie.is_empty() {
        req = req.header("cookie", cookie);
    }
    if gpc {
        req = req.header("sec-gpc", "1");
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .unwrap()
        .to_string();
    (res.text().await.unwrap(), nonce)
}

fn without(body: &str, nonce: &str) -> String {
    body.replace(nonce, "NONCE")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_14_2_a_kept_page_has_each_request_s_nonce_and_follows_changes_at_once() {
    let (a, b) = spawn_pair(&[]).await;
    // (Logging in moves the shared clock to a fresh TOTP step: first.)
    let ops = a.finance().await;
    // The same page twice: each answer's scripts carry the nonce its own CSP names.
    let (first, n1) = page(&a, "/", "", false).await;
    let (second, n2) = page(&a, "/", "", false).await;
    assert_ne!(n1, n2, "a fresh nonce for every answer");
    assert!(first.contains(&format!("nonce=\"{n1}\"")), "{first}");
    assert!(second.contains(&format!("nonce=\"{n2}\"")));
    assert!(!second.contains(&n1), "nothing of the first answer's nonce");
    assert_eq!(without(&first, &n1), without(&second, &n2));

    // B keeps its own copy of the home page.
    let (on_b, _) = page(&b, "/", "", false).await;
    assert!(!on_b.contains("缓存公告"));

    // An announcement published on A is on A's home page with the next request (P7.2)...
    let id = publish(&a, &ops, "maintenance", "缓存公告", "").await;
    let (after, _) = page(&a, "/", "", false).await;
    assert!(after.contains("缓存公告"), "A shows the change at once");
    // ...and on B, which kept its page, within the kept time and not later.
    let (kept, _) = page(&b, "/", "", false).await;
    assert!(!kept.contains("缓存公告"), "B answers from its copy");
    b.clock.advance_ms(TTL_MS);
    let (fresh, _) = page(&b, "/", "", false).await;
    assert!(
        fresh.contains("缓存公告"),
        "B renders again after {TTL_MS} ms"
    );

    // Withdrawn: off A's home page at once.
    let res = a
        .call_as(&ops, "withdraw_announcement", &[("id", &id)])
        .await;
    assert_eq!(res.status(), 200);
    let (gone, _) = page(&a, "/", "", false).await;
    assert!(!gone.contains("缓存公告"));
}

/// P2.1, P2.2: the cookie banner asks a visitor who has not chosen, and only such a visitor; a
/// kept page never answers a visitor with another choice, `Sec-GPC`, language or a session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_14_2_p2_1_kept_pages_are_never_someone_else_s() {
    let (a, _b) = spawn_pair(&[]).await;
    let asks = |body: &str| body.contains("aria-labelledby=\"cookie-title\"");
    // Warm the cache with the visitor who has not chosen.
    for _ in 0..2 {
        assert!(asks(&page(&a, "/", "", false).await.0));
    }
    let chosen = ConsentChoice {
        revision: COOKIE_REVISION,
        consent_id: app::backend::ids::new_id(),
        convenience: false,
    };
    let cookie = format!("esp_consent={}", chosen.to_cookie());
    for _ in 0..2 {
        assert!(
            !asks(&page(&a, "/", &cookie, false).await.0),
            "chosen: not asked"
        );
        assert!(
            !asks(&page(&a, "/", "", true).await.0),
            "Sec-GPC: not asked"
        );
        assert!(asks(&page(&a, "/", "", false).await.0));
    }
    // Each language its own page.
    let (en, _) = page(&a, "/?lang=en", "", false).await;
    assert!(en.contains("lang=\"en\""), "{}", &en[..200]);
    let (zh, _) = page(&a, "/", "", false).await;
    assert!(zh.contains("lang=\"zh-CN\""));
    // A logged-in person's pages are rendered for them: the registration page knows them.
    let (person, _) = a.register_unique_login().await;
    for _ in 0..2 {
        let (theirs, n) = page(&a, "/register", &person, false).await;
        let (anonymous, m) = page(&a, "/register", "", false).await;
        assert_ne!(
            without(&theirs, &n),
            without(&anonymous, &m),
            "the logged-in page differs from the anonymous one"
        );
    }
}
