//! The sharing register and its log (issue 19; P3.1.1, P3.1.3, P3.1.4) on both engines: a
//! payout submitted to the payout channel and the texts and e-mails handed to their providers
//! are logged with the recipient, the fields sent, the basis and the business reference; the
//! enterprise's admin reads its log (filterable by recipient), and another enterprise sees none
//! of it.

use crate::helpers::{json, TestApp};
use serde_json::Value;

async fn log(app: &TestApp, cookie: &str, recipient: &str) -> Value {
    let res = app
        .call_as(
            cookie,
            "sharing_log",
            &[("recipient", recipient), ("cursor", "")],
        )
        .await;
    assert_eq!(res.status(), 200);
    json(res).await
}

fn references(log: &Value) -> Vec<String> {
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["reference"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p3_1_3_what_left_the_platform_is_logged_and_shown_to_the_enterprise() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "共享记录企业", "100").await;
    let other = app.funded_enterprise(&ops, "另一企业", "").await;
    let form = crate::helpers::order_form("SHARE-1", "bank", "6222021234561234", "10");
    let res = app.call_as(&ent.cookie, "create_order", &form).await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    assert_eq!(app.payouts(0).await.submitted, 1);
    app.deliver_all().await;

    // The register: the authorities (lawful disclosures) and the three processors, each with its purpose, basis, fields and region.
    let all = log(&app, &ent.cookie, "").await;
    let codes: Vec<&str> = all["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "public_authorities",
            "enterprise_api",
            "mail_relay",
            "payout_channel",
            "sms_provider"
        ]
    );
    let payout = all["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "payout_channel")
        .unwrap();
    assert_eq!(
        (payout["kind"].as_str(), payout["purpose"].as_str()),
        (Some("processor"), Some("payments"))
    );
    assert_eq!(payout["region"], "cn-mainland");

    // The payout: its order number, what was sent (name, account, amount: no ID number), the
    // basis; the payout channel got exactly those fields.
    let paid = log(&app, &ent.cookie, "payout_channel").await;
    assert_eq!(references(&paid), ["SHARE-1"]);
    let event = &paid["events"][0];
    assert_eq!(event["basis"], "contract");
    assert_eq!(
        event["categories"],
        serde_json::json!(["identity", "financial_account", "transaction"])
    );
    assert_eq!(event["subject"], "");
    let fields: String =
        sqlx::query_scalar("SELECT fields FROM sharing_events WHERE reference = 'SHARE-1'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        fields,
        "payment_orders.account_enc,payment_orders.amount,payment_orders.payee_name"
    );

    // Messages to the enterprise's people: handed to the e-mail relay or the SMS provider, the
    // person named masked, the message's purpose as the reference.
    let messages: Vec<Value> = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reference"] != "SHARE-1")
        .cloned()
        .collect();
    assert!(!messages.is_empty(), "{all}");
    assert!(messages
        .iter()
        .all(|e| e["basis"] == "contract" || e["basis"] == "security"));
    assert!(messages
        .iter()
        .all(|e| e["subject"].as_str().unwrap().contains('*')));

    // Another enterprise sees none of it; an unknown recipient is named.
    let theirs = log(&app, &other.cookie, "").await;
    assert!(!references(&theirs).contains(&"SHARE-1".to_string()));
    let res = app
        .call_as(
            &ent.cookie,
            "sharing_log",
            &[("recipient", "nobody"), ("cursor", "")],
        )
        .await;
    assert_eq!(res.status(), 422);

    // The same log as CSV: labels and codes, in the reader's language; only the reader's.
    let csv = |cookie: &str, query: &str| {
        let req = app
            .client
            .get(app.url(&format!("/portal/privacy/sharing.csv?{query}")));
        let req = if cookie.is_empty() {
            req
        } else {
            req.header("cookie", cookie)
        };
        async move { req.send().await.unwrap() }
    };
    let res = csv(&ent.cookie, "recipient=payout_channel&lang=en").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    let body = res.text().await.unwrap();
    let mut lines = body.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("When (UTC+8),Recipient,Type code"));
    let row = lines.next().unwrap();
    assert!(
        row.contains("processor,payments,contract") && row.ends_with(",The enterprise,SHARE-1"),
        "{row}"
    );
    assert_eq!(lines.next(), None);
    let excel = csv(&ent.cookie, "variant=excel")
        .await
        .text()
        .await
        .unwrap();
    assert!(excel.starts_with('\u{feff}') && excel.contains("\r\n") && excel.contains("SHARE-1"));
    let theirs = csv(&other.cookie, "").await.text().await.unwrap();
    assert!(!theirs.contains("SHARE-1"));
    assert_eq!(csv("", "").await.status(), 401);
    assert_eq!(csv(&ent.cookie, "recipient=nobody").await.status(), 422);
}
