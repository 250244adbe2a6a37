//! The dashboards (issue 12, §6): each queue's tile counts what waits, dates the oldest item,
//! and is shown only to those who work that queue; an enterprise counts only its own.

use crate::authz::operator_with;
use crate::helpers::{json, order_form, spawn_app};
use app::backend::clock::Clock;
use app::model::account::OperatorRole;
use serde_json::Value;

fn tile<'a>(d: &'a Value, queue: &str) -> Option<&'a Value> {
    d["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["queue"] == queue)
}

fn queues(d: &Value) -> Vec<String> {
    d["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["queue"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_shows_the_queues_of_the_operators_roles() {
    let app = spawn_app().await;
    let ops = app.finance().await; // the demo super-admin: every queue
    let before = json(app.call_as(&ops, "ops_dashboard", &[]).await).await;
    assert_eq!(
        queues(&before),
        [
            "applications",
            "unmatched_credits",
            "credits_to_check",
            "transfers_to_approve",
            "outbox_failed",
            "rights_requests",
            "invoices_to_issue",
            "red_letters_to_approve",
            "taxpayer_ids",
            "tasks_to_review",
            "tickets_waiting"
        ]
    );
    let credits = tile(&before, "unmatched_credits").unwrap();
    assert_eq!(credits["count"], 0);
    assert!(credits["oldest_at"].is_null());

    // A credit to an account no enterprise holds waits in finance's queue.
    let at = app.clock.now().0;
    let form = [
        ("bank_ref", "DASH-1"),
        ("value_date", "2026-11-30"),
        ("payer_name", "付款企业"),
        ("payer_account", "6225880012345678"),
        ("receiving_account_no", "9999000011112222"),
        ("amount", "10.00"),
        ("bank_fee", ""),
        ("confirm", "yes"),
    ];
    let res = app.call_as(&ops, "record_credit", &form).await;
    assert!(res.status().is_success(), "{}", res.status());
    app.clock.advance_ms(60_000);
    let after = json(app.call_as(&ops, "ops_dashboard", &[]).await).await;
    let credits = tile(&after, "unmatched_credits").unwrap();
    assert_eq!(credits["count"], 1, "{after}");
    assert_eq!(credits["oldest_at"], at);
    assert_eq!(after["now"], app.clock.now().0);

    // A reviewer sees the applications and taxpayer IDs queues only.
    let reviewer = operator_with(&app, "dash-reviewer", &[OperatorRole::Reviewer]).await;
    let d = json(app.call_as(&reviewer, "ops_dashboard", &[]).await).await;
    assert_eq!(
        queues(&d),
        ["applications", "taxpayer_ids", "tasks_to_review"]
    );
    // Support works the tickets waiting for the platform (issue 18 §3).
    let support = operator_with(&app, "dash-support", &[OperatorRole::Support]).await;
    let d = json(app.call_as(&support, "ops_dashboard", &[]).await).await;
    assert_eq!(queues(&d), ["tickets_waiting"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portal_counts_only_its_own_enterprise() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let a = app.funded_enterprise(&ops, "看板甲公司", "").await;
    let b = app.funded_enterprise(&ops, "看板乙公司", "").await;
    // A's order exceeds its (empty) balance: suspended. A's admin invites someone.
    let res = app
        .call_as(
            &a.cookie,
            "create_order",
            &order_form("DASH-A1", "wechat", "oUpF8uMuAJO_M2pxb1Q9", "5.00"),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let res = app
        .call_as(
            &a.cookie,
            "invite_member",
            &[
                ("name", "新成员"),
                ("mobile", "13300002222"),
                ("email", "dash@example.com"),
                ("role", "member"),
            ],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());

    let da = json(app.call_as(&a.cookie, "portal_dashboard", &[]).await).await;
    assert_eq!(
        queues(&da),
        [
            "batches_to_confirm",
            "suspended_orders",
            "my_transfers_waiting",
            "open_invites",
            "my_invoices_waiting",
            "tasks_to_change"
        ]
    );
    assert_eq!(tile(&da, "suspended_orders").unwrap()["count"], 1, "{da}");
    assert_eq!(tile(&da, "open_invites").unwrap()["count"], 1);
    assert_eq!(tile(&da, "batches_to_confirm").unwrap()["count"], 0);

    // An invoice application waits: A's tile and finance's queue count it.
    assert_eq!(tile(&da, "my_invoices_waiting").unwrap()["count"], 0);
    crate::invoice_helpers::waiting_application(&app, &a.cookie, "看板甲公司").await;
    let da = json(app.call_as(&a.cookie, "portal_dashboard", &[]).await).await;
    assert_eq!(
        tile(&da, "my_invoices_waiting").unwrap()["count"],
        1,
        "{da}"
    );
    let d = json(app.call_as(&ops, "ops_dashboard", &[]).await).await;
    assert_eq!(tile(&d, "invoices_to_issue").unwrap()["count"], 1, "{d}");
    assert_eq!(tile(&d, "red_letters_to_approve").unwrap()["count"], 0);

    let db = json(app.call_as(&b.cookie, "portal_dashboard", &[]).await).await;
    for t in db["tiles"].as_array().unwrap() {
        assert_eq!(t["count"], 0, "B sees nothing of A: {db}");
    }

    // Past its 72 hours the invitation no longer waits.
    sqlx::query("UPDATE invites SET expires_at = $1")
        .bind(app.clock.now().0)
        .execute(app.db.pool())
        .await
        .unwrap();
    let da = json(app.call_as(&a.cookie, "portal_dashboard", &[]).await).await;
    assert_eq!(tile(&da, "open_invites").unwrap()["count"], 0);
}

/// P1.4 (issue 16 §1): the console's statistics are counts and sums over the platform; they
/// follow what happens and name nobody.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_4_statistics_are_aggregates_that_name_nobody() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let before = json(app.call_as(&ops, "platform_stats", &[]).await).await;
    let ent = app.funded_enterprise(&ops, "统计公司", "100").await;
    let res = app
        .call_as(
            &ent.cookie,
            "create_order",
            &crate::helpers::order_form("STAT-1", "bank", "6222021234561234", "10"),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    app.payouts(0).await;
    app.payouts(5_000).await;
    let after = json(app.call_as(&ops, "platform_stats", &[]).await).await;
    let n = |v: &Value, k: &str| v[k].as_i64().unwrap();
    assert_eq!(
        n(&after, "enterprises_active"),
        n(&before, "enterprises_active") + 1
    );
    let paid = |v: &Value| {
        v["orders"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["status"] == "paid")
            .map(|o| o["count"].as_i64().unwrap())
            .unwrap()
    };
    assert_eq!(paid(&after), paid(&before) + 1);
    assert_eq!(
        after["months"][0]["amount"].as_i64().unwrap()
            - before["months"][0]["amount"].as_i64().unwrap(),
        1_000
    );
    assert_eq!(after["months"].as_array().unwrap().len(), 12);
    let body = after.to_string();
    for personal in ["统计公司", "张三", "6222", "13800000001", &ent.id] {
        assert!(
            !body.contains(personal),
            "the statistics name nobody: {personal}"
        );
    }
}
