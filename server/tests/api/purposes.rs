//! Processing purposes in the privacy centre (P1.2, P1.3, P6.4).

use crate::helpers::{json, spawn_app};

/// P1.2, P1.3, P6.4: consent-based purposes start off; switching is recorded with its time
/// and audited; purposes with another legal basis cannot be switched and say why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_2_purposes_start_off_and_withdrawal_is_recorded() {
    let app = spawn_app().await;
    let user = app.open_enterprise("目的测试有限公司").await;
    let centre = json(app.call_as(&user, "privacy_centre", &[]).await).await;
    let state = |c: &serde_json::Value, p: &str| {
        c["purposes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["purpose"] == p)
            .cloned()
            .unwrap()
    };
    for p in ["personalisation", "promotions", "convenience_cookies"] {
        assert_eq!(state(&centre, p)["on"], false, "{p} starts off (P1.2)");
        assert_eq!(state(&centre, p)["basis"], "consent");
    }
    assert_eq!(state(&centre, "records")["basis"], "legal_duty");
    assert_eq!(state(&centre, "records")["on"], true);
    assert_eq!(state(&centre, "account_security")["basis"], "security");

    let set = |p: &'static str, on: &'static str| {
        let (app, user) = (&app, user.clone());
        async move {
            app.call_as(&user, "set_purpose", &[("purpose", p), ("on", on)])
                .await
        }
    };
    assert_eq!(set("personalisation", "on").await.status(), 200);
    app.clock.advance_minutes(5);
    assert_eq!(set("personalisation", "off").await.status(), 200);
    assert_eq!(
        set("records", "off").await.status(),
        422,
        "P1.3: not based on consent"
    );
    assert_eq!(set("nonsense", "on").await.status(), 422);

    let centre = json(app.call_as(&user, "privacy_centre", &[]).await).await;
    assert_eq!(state(&centre, "personalisation")["on"], false);
    let history: Vec<(String, String)> = centre["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["kind"].as_str().unwrap().into(),
                h["detail"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(history[0], ("purpose_off".into(), "personalisation".into()));
    assert_eq!(history[1], ("purpose_on".into(), "personalisation".into()));
    assert_eq!(
        history[2].0, "policy_accepted",
        "the registration's acceptance"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('consent.grant', 'consent.withdraw')",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(audited, 2, "one grant and one withdrawal");
    // P1.2: with personalisation off nothing is suggested; switched on, the overview suggests
    // the areas of the user's own recent actions; off again, nothing.
    let areas = || async { json(app.call_as(&user, "frequent_areas", &[]).await).await };
    let invite = [
        ("name", "成员甲"),
        ("mobile", "13900001111"),
        ("email", "m1@example.com"),
        ("role", "member"),
    ];
    let res = app.call_as(&user, "invite_member", &invite).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(areas().await, serde_json::json!([]));
    assert_eq!(set("personalisation", "on").await.status(), 200);
    assert_eq!(areas().await, serde_json::json!(["members"]));
    assert_eq!(set("personalisation", "off").await.status(), 200);
    assert_eq!(areas().await, serde_json::json!([]));

    // P6.4: the page says earlier processing is not undone.
    let html = app
        .get_as(&user, "/portal/privacy")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"data-testid="withdrawal-note""#));
    assert!(html.contains("撤回前已进行的处理不受影响"));
}
