//! P3.1.1 on both engines: no sharing without consent or another recorded basis, unless
//! de-identified. A promotion handed to the e-mail relay or the SMS provider rests on its
//! person's consent as it stands when it leaves, and the log and the privacy centre say so; a
//! recipient registered for a consent-based purpose gets nothing about a person on its own
//! word — only with that person's consent, logged about that person, or de-identified (names
//! and numbers as keyed pseudonyms).

use crate::helpers::{json, on_server, spawn_app, TestApp};
use crate::messages::{tell, user_id};
use app::backend::clock::Clock;
use app::backend::sharing::{self, Whose};
use app::model::messages::MessageCategory;
use app::model::provision::{Grounds, Pseudonymise, DEIDENTIFIED};
use app::model::purpose::Purpose;
use app::model::sharing::{Provision, ProvisionError};
use serde_json::Value;

async fn switch_promotions(app: &TestApp, cookie: &str, on: bool) {
    let on = if on { "on" } else { "" };
    let res = app
        .call_as(
            cookie,
            "set_purpose",
            &[("purpose", "promotions"), ("on", on)],
        )
        .await;
    assert_eq!(res.status(), 200);
}

async fn events(app: &TestApp, cookie: &str) -> Vec<Value> {
    let res = app
        .call_as(cookie, "sharing_log", &[("recipient", ""), ("cursor", "")])
        .await;
    assert_eq!(res.status(), 200);
    json(res).await["events"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p3_1_1_a_promotion_leaves_on_its_persons_consent_and_is_logged_so() {
    let app = spawn_app().await;
    let fan = app.open_enterprise("同意推广企业").await;
    switch_promotions(&app, &fan, true).await;
    let fan_id = user_id(&app, &fan).await;
    // The texts of opening the enterprise go first (one a minute per number).
    app.deliver_all().await;
    app.clock.advance_ms(61_000);
    tell(&app, &fan_id, MessageCategory::Promotion, "会员日优惠").await;
    app.deliver_all().await;

    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT reference, basis, purpose FROM sharing_events WHERE user_id = $1 ORDER BY at, id",
    )
    .bind(&fan_id)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let promotions: Vec<_> = rows.iter().filter(|r| r.0 == "promotion").collect();
    assert!(!promotions.is_empty(), "the promotion left: {rows:?}");
    for (_, basis, purpose) in &promotions {
        assert_eq!(
            (basis.as_str(), purpose.as_str()),
            ("consent", "promotions")
        );
    }
    // Service messages rest on the provider's registered basis.
    assert!(rows
        .iter()
        .filter(|r| r.0 != "promotion")
        .all(|r| r.1 != "consent"));
    // The privacy centre shows what each rested on.
    let shown = events(&app, &fan).await;
    let promo = shown
        .iter()
        .find(|e| e["reference"] == "promotion")
        .expect("shown");
    assert_eq!(promo["basis"], "consent");
    assert_eq!(promo["purpose"], "promotions");
    let service = shown
        .iter()
        .find(|e| e["reference"] != "promotion")
        .expect("a service message");
    assert_eq!(service["basis"], "contract");

    // Withdrawn after it was queued, by a switch recorded without the consent centre's own
    // clean-up of the waiting promotions (as when it lands between the queueing and the send):
    // the payload cannot be built, nothing leaves, and the message dies with the reason.
    app.clock.advance_ms(61_000);
    tell(&app, &fan_id, MessageCategory::Promotion, "周末优惠").await;
    sqlx::query(
        "INSERT INTO purpose_consents (id, user_id, purpose, granted, created_at, ip, user_agent) \
         VALUES ($1, $2, 'promotions', 0, $3, '', '')",
    )
    .bind(app::backend::ids::new_id())
    .bind(&fan_id)
    .bind(app.clock.now().0)
    .execute(app.db.pool())
    .await
    .unwrap();
    app.deliver_all().await;
    let waiting: Vec<(String, String)> = sqlx::query_as(
        "SELECT status, last_error FROM outbox WHERE user_id = $1 AND purpose = 'promotion' \
         AND status <> 'sent'",
    )
    .bind(&fan_id)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert!(!waiting.is_empty());
    for (status, error) in &waiting {
        assert_eq!(
            (status.as_str(), error.as_str()),
            ("dead", "consent to promotions withdrawn")
        );
    }
    let after: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sharing_events WHERE user_id = $1 AND reference = 'promotion'",
    )
    .bind(&fan_id)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        after as usize,
        promotions.len(),
        "no provision without consent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p3_1_1_a_consent_based_recipient_gets_a_person_only_on_consent_or_de_identified() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let today = app.state.clock.now().china_date();
    let form = [
        ("code", "group_marketing"),
        ("name_zh", "集团营销中心"),
        ("name_en", "Group marketing centre"),
        ("kind", "affiliate"),
        ("purpose", "promotions"),
        ("fields", "users.name\nusers.mobile_enc\noutbox.body_enc"),
        ("region", "cn-mainland"),
        ("contract_ref", "集团营销数据共享协议 2026-12"),
        ("active_from", today.as_str()),
        ("active_to", ""),
    ];
    let res = app.call_as(&ops, "save_recipient", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let fan = app.open_enterprise("营销共享企业").await;
    let other = app.open_enterprise("另一营销企业").await;
    let fan_id = user_id(&app, &fan).await;
    let other_id = user_id(&app, &other).await;

    // Before consent: nothing can be built about the person.
    let state = app.state.clone();
    let fid = fan_id.clone();
    on_server(async move {
        let mut conn = state.db.conn().await.unwrap();
        let r = sharing::find(&mut conn, "group_marketing")
            .await
            .unwrap()
            .expect("registered");
        let now = state.clock.now();
        assert!(matches!(
            Provision::new(&r, now),
            Err(ProvisionError::ConsentRequired { .. })
        ));
        assert!(sharing::consent(&mut conn, &fid, Purpose::Promotions)
            .await
            .unwrap()
            .is_none());
        // A purpose that does not rest on consent gives no consent to build on.
        assert!(sharing::consent(&mut conn, &fid, Purpose::Payments)
            .await
            .unwrap()
            .is_none());

        // De-identified, it may receive: the name as a keyed pseudonym, stable for this
        // recipient, another for another recipient, never the database's own index.
        let p = Provision::deidentified(&r, &*state.index, now)
            .and_then(|p| p.put("users.name", "张三"))
            .expect("de-identified");
        let pseudonym = p.get("users.name").to_string();
        assert_eq!(pseudonym.len(), 32);
        assert!(!pseudonym.contains("张三"));
        assert_eq!(
            state
                .index
                .pseudonym("group_marketing", "users.name", "张三"),
            pseudonym
        );
        assert_ne!(
            state
                .index
                .pseudonym("group_analytics", "users.name", "张三"),
            pseudonym
        );
        assert!(!state.index.of("name", "张三").starts_with(&pseudonym));
        assert!(matches!(
            Provision::deidentified(&r, &*state.index, now)
                .and_then(|p| p.put("outbox.body_enc", "您好，张三")),
            Err(ProvisionError::NotDeidentifiable(_))
        ));
        let eid = sharing::enterprise_of(&mut conn, &fid).await.unwrap();
        let whose = Whose {
            enterprise_id: eid.as_deref(),
            user_id: Some(&fid),
        };
        sharing::record(&mut conn, &p, whose, "campaign-stats", now)
            .await
            .unwrap();
    })
    .await;

    // With the person's consent: built, and logged about that person only.
    switch_promotions(&app, &fan, true).await;
    let state = app.state.clone();
    let (fid, oid) = (fan_id.clone(), other_id.clone());
    on_server(async move {
        let mut conn = state.db.conn().await.unwrap();
        let r = sharing::find(&mut conn, "group_marketing")
            .await
            .unwrap()
            .unwrap();
        let now = state.clock.now();
        let consent = sharing::consent(&mut conn, &fid, Purpose::Promotions)
            .await
            .unwrap()
            .expect("given");
        assert_eq!(consent.user_id(), fid);
        let p = Provision::with_consent(&r, &consent, now)
            .and_then(|p| p.put("users.name", "张三"))
            .expect("consented");
        assert_eq!(p.grounds(), Grounds::Consent);
        assert_eq!(p.get("users.name"), "张三");
        // Not about someone else on this person's consent.
        let other_eid = sharing::enterprise_of(&mut conn, &oid).await.unwrap();
        let wrong = Whose {
            enterprise_id: other_eid.as_deref(),
            user_id: Some(&oid),
        };
        assert!(sharing::record(&mut conn, &p, wrong, "campaign-1", now)
            .await
            .is_err());
        let eid = sharing::enterprise_of(&mut conn, &fid).await.unwrap();
        let whose = Whose {
            enterprise_id: eid.as_deref(),
            user_id: Some(&fid),
        };
        sharing::record(&mut conn, &p, whose, "campaign-1", now)
            .await
            .unwrap();
    })
    .await;

    // The enterprise sees both, each with what it rested on; the other enterprise neither.
    let shown = events(&app, &fan).await;
    let of = |reference: &str| {
        shown
            .iter()
            .find(|e| e["reference"] == reference)
            .unwrap_or_else(|| panic!("{reference} shown"))
            .clone()
    };
    assert_eq!(of("campaign-stats")["basis"], DEIDENTIFIED);
    assert_eq!(of("campaign-1")["basis"], "consent");
    assert_eq!(of("campaign-1")["purpose"], "promotions");
    let theirs = events(&app, &other).await;
    assert!(theirs
        .iter()
        .all(|e| !e["reference"].as_str().unwrap().starts_with("campaign")));

    // Withdrawn: no consent to build on any more.
    switch_promotions(&app, &fan, false).await;
    let state = app.state.clone();
    let fid = fan_id.clone();
    let gone = on_server(async move {
        let mut conn = state.db.conn().await.unwrap();
        sharing::consent(&mut conn, &fid, Purpose::Promotions)
            .await
            .unwrap()
    })
    .await;
    assert!(gone.is_none());
}
