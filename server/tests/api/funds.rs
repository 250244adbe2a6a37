//! 资金管理 end to end over HTTP (P1.1.5, P6.1): top-ups, payment orders through the payout
//! simulator, batches, transfers, fund flow, bills and receipts. Every test ends with the
//! ledger's drift check.

use crate::helpers::{field_rules, json, order_form, spawn_app, Ent, TestApp};
use app::backend::clock::Clock;

async fn create(
    app: &TestApp,
    ent: &Ent,
    order_id: &str,
    channel: &str,
    account: &str,
    amount: &str,
) -> serde_json::Value {
    let res = app
        .call_as(
            &ent.cookie,
            "create_order",
            &order_form(order_id, channel, account, amount),
        )
        .await;
    assert!(
        res.status().is_success(),
        "create_order {order_id}: {}",
        res.status()
    );
    json(res).await
}

/// Issue 14: ¥0.08 at 6% rounds to no fee; the configured minimum (1 fen) applies, and the
/// ledger books it.
#[tokio::test]
async fn p1_1_5_a_tiny_order_pays_the_minimum_fee() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "小额付款企业", "1").await;
    let tiny = create(&app, &ent, "TINY-1", "bank", "6222021234561234", "0.08").await;
    assert_eq!(tiny["order"]["charges"]["fee"], 1);
    assert_eq!(tiny["order"]["charges"]["gross"], 9);
    assert_eq!(app.balances(&ent).await, (100 - 9, 9, 0));
    app.assert_ledger_clean().await;
}

async fn order(app: &TestApp, ent: &Ent, id: &str) -> serde_json::Value {
    json(app.call_as(&ent.cookie, "get_order", &[("id", id)]).await).await
}

/// P1.1.5: accept reserves, paid posts (fee and tax split), failed voids, returned reverses.
#[tokio::test]
async fn p1_1_5_orders_settle_through_the_payout_simulator() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "付款企业", "1000").await;
    let paid = create(&app, &ent, "O-1", "bank", "6222021234561234", "100").await;
    assert_eq!(paid["replayed"], false);
    assert_eq!(paid["order"]["status"], "accepted");
    // 6% fee on top, 1% tax withheld.
    assert_eq!(paid["order"]["charges"]["fee"], 600);
    assert_eq!(paid["order"]["charges"]["tax"], 100);
    assert_eq!(paid["order"]["charges"]["received"], 9_900);
    assert_eq!(paid["order"]["account_masked"], "6222 **** **** 1234");
    let failing = create(&app, &ent, "O-2", "bank", "6222021234560002", "200").await;
    let wallet = create(&app, &ent, "O-3", "alipay", "worker@example.com", "50").await;
    assert_eq!(
        app.balances(&ent).await,
        (100_000 - 10_600 - 21_200 - 5_300, 37_100, 0)
    );

    let t = app.payouts(0).await;
    assert_eq!(t.submitted, 3);
    assert_eq!(
        order(&app, &ent, paid["order"]["id"].as_str().unwrap()).await["status"],
        "paying"
    );
    // Nothing settles before the channel does.
    assert_eq!(app.payouts(0).await.paid, 0);
    let t = app.payouts(5_000).await;
    assert_eq!((t.paid, t.failed), (2, 1));
    let failed = order(&app, &ent, failing["order"]["id"].as_str().unwrap()).await;
    assert_eq!(
        (failed["status"].as_str(), failed["reason"].as_str()),
        (Some("failed"), Some("account_frozen"))
    );
    let done = order(&app, &ent, paid["order"]["id"].as_str().unwrap()).await;
    assert_eq!(done["status"], "paid");
    assert!(done["channel_ref"].as_str().unwrap().starts_with("SIM"));
    assert_eq!(app.balances(&ent).await, (100_000 - 10_600 - 5_300, 0, 0));
    // Settling again changes nothing.
    assert_eq!(app.payouts(5_000).await, Default::default());

    // The payee's bank sends the wallet payout back: payment and fee return to the balance.
    let res = app
        .call_as(
            &ops,
            "simulate_return",
            &[("key", wallet["order"]["id"].as_str().unwrap())],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(app.payouts(0).await.returned, 1);
    assert_eq!(
        order(&app, &ent, wallet["order"]["id"].as_str().unwrap()).await["status"],
        "returned"
    );
    assert_eq!(app.balances(&ent).await, (100_000 - 10_600, 0, 0));
    assert_eq!(
        app.payouts(0).await,
        Default::default(),
        "a return is booked once"
    );

    // The receipt of the paid order downloads; the failed one has none.
    let res = app
        .client
        .get(app.url(&format!(
            "/portal/funds/orders/{}/receipt.html",
            paid["order"]["id"].as_str().unwrap()
        )))
        .header("cookie", &ent.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("receipt-O-1.html"));
    let body = res.text().await.unwrap();
    assert!(
        body.contains("6222 **** **** 1234")
            && body.contains("¥99.00")
            && !body.contains("6222021234561234")
    );
    // A receipt names the payer and the issuing platform and carries a code the platform
    // checks (issue 11); compressed, it arrives whole.
    let paid_id = paid["order"]["id"].as_str().unwrap();
    let receipt = json(
        app.call_as(&ent.cookie, "get_receipt", &[("id", paid_id)])
            .await,
    )
    .await;
    let payer = receipt["payer"].as_str().unwrap();
    assert!(!payer.is_empty() && body.contains(payer), "{receipt}");
    assert!(body.contains(receipt["issuer"]["zh"].as_str().unwrap()));
    let code = receipt["code"].as_str().unwrap();
    assert!(body.contains(code) && code.len() == 19, "{code}");
    assert!(body.contains(paid_id), "the platform reference");
    let (status, compressed) = app
        .get_compressed(
            &ent.cookie,
            &format!("/portal/funds/orders/{paid_id}/receipt.html"),
        )
        .await;
    assert_eq!((status, compressed), (200, body.clone()));
    let english = app
        .get_compressed(
            &ent.cookie,
            &format!("/portal/funds/orders/{paid_id}/receipt.html?lang=en"),
        )
        .await
        .1;
    assert!(
        english.contains("Issued by")
            && english.contains(receipt["issuer"]["en"].as_str().unwrap())
    );
    let check = |reference: String, code: String| {
        let (app, ops) = (&app, &ops);
        async move {
            json(
                app.call_as(
                    ops,
                    "verify_receipt",
                    &[("reference", &reference), ("code", &code)],
                )
                .await,
            )
            .await
        }
    };
    let genuine = check(
        paid_id.to_uppercase(),
        code.to_lowercase().replace('-', " "),
    )
    .await;
    assert_eq!(genuine["Genuine"]["payer"], payer, "{genuine}");
    let mut altered = code.to_string();
    altered.replace_range(0..1, if code.starts_with('A') { "B" } else { "A" });
    assert_eq!(check(paid_id.to_string(), altered).await, "Unknown");
    // A failed order has no receipt, so no code of it checks.
    let failing_id = failing["order"]["id"].as_str().unwrap().to_string();
    assert_eq!(check(failing_id, code.to_string()).await, "Unknown");
    let res = app
        .client
        .get(app.url(&format!(
            "/portal/funds/orders/{}/receipt.html",
            failing["order"]["id"].as_str().unwrap()
        )))
        .header("cookie", &ent.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    app.assert_ledger_clean().await;
}

/// P1.1.5: an order the balance does not cover is suspended; it can be retried once there is
/// money, or cancelled.
#[tokio::test]
async fn p1_1_5_suspended_orders_are_retried_or_cancelled() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "余额不足企业", "100").await;
    let big = create(&app, &ent, "BIG", "wechat", "oUpF8uMuAJO_M2pxb1Q9", "500").await;
    assert_eq!(
        (
            big["order"]["status"].as_str(),
            big["order"]["reason"].as_str()
        ),
        (Some("suspended"), Some("insufficient_balance"))
    );
    let id = big["order"]["id"].as_str().unwrap();
    let res = app.call_as(&ent.cookie, "retry_order", &[("id", id)]).await;
    assert_eq!(res.status(), 409);
    assert_eq!(app.balances(&ent).await, (10_000, 0, 0));
    app.top_up(&ops, &ent, "1000").await;
    let res = app.call_as(&ent.cookie, "retry_order", &[("id", id)]).await;
    assert_eq!(json(res).await["status"], "accepted");
    assert_eq!(app.balances(&ent).await, (110_000 - 53_000, 53_000, 0));
    // An accepted order not yet taken by the worker can be cancelled: the reservation is voided.
    let res = app
        .call_as(&ent.cookie, "cancel_order", &[("id", id)])
        .await;
    assert_eq!(json(res).await["status"], "cancelled");
    assert_eq!(app.balances(&ent).await, (110_000, 0, 0));
    let res = app
        .call_as(&ent.cookie, "cancel_order", &[("id", id)])
        .await;
    assert_eq!(res.status(), 409);
    app.assert_ledger_clean().await;
}

/// P1.1.5: the same order_id with the same details returns the original; with another
/// amount it is a conflict.
#[tokio::test]
async fn p1_1_5_a_reused_order_id_is_replayed_or_refused() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "幂等企业", "1000").await;
    let first = create(&app, &ent, "SAME", "bank", "6222021234561234", "10").await;
    let again = create(&app, &ent, "SAME", "bank", "6222021234561234", "10.00").await;
    assert_eq!(again["replayed"], true);
    assert_eq!(again["order"]["id"], first["order"]["id"]);
    let res = app
        .call_as(
            &ent.cookie,
            "create_order",
            &order_form("SAME", "bank", "6222021234561234", "11"),
        )
        .await;
    assert_eq!(res.status(), 409);
    assert_eq!(app.balances(&ent).await, (100_000 - 1_060, 1_060, 0));
    // Another enterprise may use the same order_id.
    let other = app.funded_enterprise(&ops, "另一企业", "100").await;
    let theirs = create(&app, &other, "SAME", "bank", "6222021234561234", "10").await;
    assert_eq!(theirs["replayed"], false);
    app.assert_ledger_clean().await;
}

/// P1.1.5, P6.1: lists mask the numbers; the full numbers are shown on request and every look
/// is audited; another enterprise cannot see the order.
#[tokio::test]
async fn p1_1_5_p6_1_numbers_are_masked_and_every_reveal_is_audited() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "掩码企业", "100").await;
    let o = create(&app, &ent, "M-1", "bank", "6222 0212 3456 1234", "1").await;
    let id = o["order"]["id"].as_str().unwrap();
    let list = json(
        app.call_as(
            &ent.cookie,
            "list_orders",
            &[("status", ""), ("batch", ""), ("cursor", "")],
        )
        .await,
    )
    .await;
    let listed = list["orders"][0].to_string();
    assert!(
        listed.contains("110***********002X") && !listed.contains("11010519491231002X"),
        "{listed}"
    );
    assert!(!listed.contains("6222021234561234"));
    // Stored encrypted: the number is nowhere in the row in clear.
    let row: (String, String) =
        sqlx::query_as("SELECT id_number_enc, account_enc FROM payment_orders WHERE id = $1")
            .bind(id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert!(!row.0.contains("1101051949") && !row.1.contains("6222021234"));
    let before = app.count("audit_log").await;
    let secrets = json(
        app.call_as(&ent.cookie, "reveal_order", &[("id", id)])
            .await,
    )
    .await;
    assert_eq!(
        (secrets["id_number"].as_str(), secrets["account"].as_str()),
        (Some("11010519491231002X"), Some("6222021234561234"))
    );
    assert_eq!(app.count("audit_log").await, before + 1);
    let other = app.funded_enterprise(&ops, "旁观企业", "").await;
    for endpoint in ["get_order", "reveal_order", "cancel_order"] {
        let res = app.call_as(&other.cookie, endpoint, &[("id", id)]).await;
        assert_eq!(res.status(), 404, "{endpoint}");
    }
}

/// P1.1.5, P6.1: the fund flow lists every balance change with the balance after it, pages
/// by cursor, filters, and exports as CSV; the month's bill reconciles with it.
#[tokio::test]
async fn p1_1_5_p6_1_fund_flow_and_bill_reconcile() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "流水企业", "1000").await;
    for i in 0..3 {
        create(
            &app,
            &ent,
            &format!("F-{i}"),
            "bank",
            "6222021234561234",
            "100",
        )
        .await;
    }
    app.payouts(0).await;
    app.payouts(5_000).await;
    let flow = json(
        app.call_as(
            &ent.cookie,
            "fund_flow",
            &[("from", ""), ("to", ""), ("category", ""), ("cursor", "")],
        )
        .await,
    )
    .await;
    let lines = flow["lines"].as_array().unwrap();
    // Top-up, 3 × (reserve out, reserve in, payment, fee).
    assert_eq!(lines.len(), 13);
    assert_eq!(lines.last().unwrap()["category"], "topup");
    assert_eq!(lines.last().unwrap()["balance_after"], 100_000);
    let fees = json(
        app.call_as(
            &ent.cookie,
            "fund_flow",
            &[
                ("from", ""),
                ("to", ""),
                ("category", "fee"),
                ("cursor", ""),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(fees["lines"].as_array().unwrap().len(), 3);
    assert!(fees["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["amount"] == -600 && l["reference"].as_str().unwrap().starts_with("F-")));
    let res = app
        .call_as(
            &ent.cookie,
            "fund_flow",
            &[
                ("from", "2026-02-30"),
                ("to", ""),
                ("category", ""),
                ("cursor", ""),
            ],
        )
        .await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("from".to_string(), "format".to_string())]
    );

    let month = app.clock.now().china_month();
    let bill = json(
        app.call_as(&ent.cookie, "get_bill", &[("month", &month)])
            .await,
    )
    .await;
    assert_eq!(
        (
            bill["opening"].as_i64(),
            bill["topups"].as_i64(),
            bill["payments"].as_i64(),
            bill["fees"].as_i64()
        ),
        (Some(0), Some(100_000), Some(30_000), Some(1_800))
    );
    assert_eq!(bill["closing"], 100_000 - 31_800);
    let (a, r, p) = app.balances(&ent).await;
    assert_eq!(bill["closing"].as_i64().unwrap(), a + r + p);

    let csv = app
        .client
        .get(app.url("/portal/funds/flow.csv"))
        .header("cookie", &ent.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert_eq!(text.lines().count(), 14);
    // Labels in the reader's language, each beside its stable code (issue 11).
    assert!(
        text.starts_with("\u{feff}时间(UTC+8),账户,账户代码,类型,类型代码,"),
        "{text}"
    );
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .contains(",可用,available,充值,topup,1000.00,1000.00,"),
        "{text}"
    );
    let english = app
        .client
        .get(app.url("/portal/funds/flow.csv?lang=en"))
        .header("cookie", &ent.cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.starts_with("\u{feff}Time (UTC+8),Account,Account code,"));
    // Compressed as browsers ask for it, the streamed file arrives whole (issue 11).
    let (status, compressed) = app
        .get_compressed(&ent.cookie, "/portal/funds/flow.csv")
        .await;
    assert_eq!((status, compressed), (200, text.clone()));
    assert!(english
        .lines()
        .nth(1)
        .unwrap()
        .contains(",Available,available,Top-up,topup,1000.00,1000.00,"));
    let res = app
        .client
        .get(app.url("/portal/funds/flow.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    app.assert_ledger_clean().await;
}
