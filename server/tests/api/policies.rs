//! Policy documents (P0.1, P0.3, P0.4): versions with their dates stay readable, the account
//! terms are a document of their own, and important clauses are marked.

use crate::helpers::{json, spawn_app};
use app::backend::clock::Clock;
use app::model::policy::PolicyKind;

/// P0.1: a new version becomes the current one; the old one stays readable at its own URL,
/// and every page states the version, the publish date and the effective date.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p0_1_versions_have_dates_and_stay_readable() {
    let app = spawn_app().await;
    let first = json(app.call("policy_page", &[("kind", "privacy")]).await).await;
    assert_eq!(first["shown"]["version"], "1.0");
    assert_eq!(first["shown"]["content_hash"].as_str().unwrap().len(), 64);

    app.clock.advance_minutes(1);
    let now = app.clock.now();
    let mut tx = app.db.begin().await.unwrap();
    app::backend::policy::insert(
        &mut tx,
        PolicyKind::Privacy,
        "1.1",
        now,
        now,
        "## 新版\n\n!! 新的重要条款。",
        "## New\n\n!! A new important clause.",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let page = json(app.call("policy_page", &[("kind", "privacy")]).await).await;
    assert_eq!(page["shown"]["version"], "1.1");
    let versions: Vec<(&str, bool)> = page["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_str().unwrap(),
                v["current"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(versions, vec![("1.1", true), ("1.0", false)]);

    let html = app.get("/privacy").await.text().await.unwrap();
    assert!(
        html.contains(r#"data-testid="policy-version">1.1<"#),
        "the current version is shown"
    );
    assert!(
        html.contains(r#"href="/privacy/versions/1.0""#),
        "the old version is linked"
    );
    assert!(html.contains("发布日期") && html.contains("生效日期"));
    let old = app.get("/privacy/versions/1.0").await;
    assert_eq!(old.status(), 200);
    let old = old.text().await.unwrap();
    assert!(old.contains(r#"data-testid="policy-version">1.0<"#) && old.contains("历史版本"));
    assert_eq!(app.get("/privacy/versions/9.9").await.status(), 404);
}

/// P0.3, P0.4: the account terms are a document of their own, accepted with the policy; both
/// mark their important clauses, which the pages show in bold.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p0_3_terms_are_a_separate_document_with_marked_clauses() {
    let app = spawn_app().await;
    let both = json(app.call("current_policies", &[]).await).await;
    assert_ne!(both["privacy"]["id"], both["terms"]["id"]);
    assert_eq!(both["terms"]["kind"], "terms");
    for kind in ["privacy", "terms"] {
        let zh = both[kind]["content_zh"].as_str().unwrap();
        let clauses = app::model::policy::important_clauses(zh);
        assert!(!clauses.is_empty(), "{kind} marks important clauses");
        let html = app.get(&format!("/{kind}")).await.text().await.unwrap();
        assert!(
            html.contains(&format!("<strong>{}</strong>", clauses[0])),
            "{kind} shows them in bold"
        );
    }
    let terms = app.get("/terms").await.text().await.unwrap();
    assert!(terms.contains(r#"data-testid="terms""#) && terms.contains("账户使用规则"));
}
