//! The invoice standing under load and over time (issue 17, P1.1.4), on both engines:
//! applications sent at once never exceed the not-yet-invoiced amount, and the figures
//! reconcile with the ledger after any sequence of steps.

use crate::authz::operator_with;
use crate::helpers::{json, spawn_app};
use crate::invoice_helpers::*;
use app::backend::clock::Clock;
use app::model::account::OperatorRole;

/// P1.1.4: applications sent at once never exceed the not-yet-invoiced amount together.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn p1_1_4_concurrent_applications_never_exceed_the_amount() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    // ¥100 + ¥6: ¥106 invoiceable; ten applications of ¥30 at once: at most three pass.
    let ent = paying_enterprise(&app, &ops, "并发开票企业", &["100"]).await;
    save_profile(&app, &ent.cookie, &profile_form("并发开票企业")).await;
    let mut tasks = Vec::new();
    for i in 0..10 {
        let client = app.client.clone();
        let url = app.url("/api/apply_invoice");
        let cookie = ent.cookie.clone();
        tasks.push(tokio::spawn(async move {
            let form = apply_form("30", "ordinary", "electronic", &format!("c{i}"));
            client
                .post(url)
                .header("cookie", cookie)
                .header("accept", "application/json")
                .form(&form)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    let mut ok = 0;
    for t in tasks {
        let status = t.await.unwrap();
        assert!(status.is_success() || status == 409, "{status}");
        ok += usize::from(status.is_success());
    }
    assert_eq!(ok, 3);
    let s = assert_reconciles(&app, &ent).await;
    assert_eq!(
        (fen(&s["being_invoiced"]), fen(&s["not_yet_invoiced"])),
        (9_000, 1_600)
    );
}

/// P1.1.4, the reconciliation property: after any sequence of orders, returns, applications,
/// issues, rejections, cancellations and red-letter reversals, invoiced + being invoiced + not
/// yet invoiced (− over-invoiced) is the invoiceable total the ledger gives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_4_the_standing_reconciles_after_any_sequence() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let checker = operator_with(&app, "finance-rec", &[OperatorRole::Finance]).await;
    let ent = paying_enterprise(&app, &ops, "对账企业", &["80"]).await;
    save_profile(&app, &ent.cookie, &profile_form("对账企业")).await;
    // A small deterministic generator: the same sequence on every run and engine.
    let mut seed: u64 = 0x1117_2026;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let (mut orders, mut numbers) = (0u32, 0u32);
    let mut paid_orders: Vec<String> = Vec::new();
    for round in 0..40 {
        let waiting: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, status FROM invoice_applications WHERE enterprise_id = $1 ORDER BY applied_at, part",
        )
        .bind(&ent.id)
        .fetch_all(app.db.pool())
        .await
        .unwrap();
        let pick = |status: &[&str], k: u64| {
            let c: Vec<&(String, String)> = waiting
                .iter()
                .filter(|(_, s)| status.contains(&s.as_str()))
                .collect();
            (!c.is_empty()).then(|| c[(k as usize) % c.len()].0.clone())
        };
        match next(7) {
            0 => {
                orders += 1;
                let yuan = (1 + next(40)).to_string();
                let key = format!("R-{orders}");
                let form = crate::helpers::order_form(&key, "bank", "6222021234561234", &yuan);
                let o = json(app.call_as(&ent.cookie, "create_order", &form).await).await;
                app.payouts(0).await;
                app.payouts(5_000).await;
                paid_orders.push(o["order"]["id"].as_str().unwrap().to_string());
            }
            1 if !paid_orders.is_empty() => {
                let id = paid_orders.remove(next(paid_orders.len() as u64) as usize);
                call(&app, &ops, "simulate_return", &[("key", id)]).await;
                app.payouts(0).await;
            }
            2 | 3 => {
                let yuan = (1 + next(30)).to_string();
                call(
                    &app,
                    &ent.cookie,
                    "apply_invoice",
                    &apply_form(&yuan, "ordinary", "electronic", &format!("r{round}")),
                )
                .await;
            }
            4 => {
                if let Some(id) = pick(&["submitted", "issuing"], next(10)) {
                    numbers += 1;
                    issue(&app, &ops, &id, &number(1_000 + numbers), PDF).await;
                }
            }
            5 => {
                if let Some(id) = pick(&["submitted", "issuing"], next(10)) {
                    if next(2) == 0 {
                        call(
                            &app,
                            &ops,
                            "reject_invoice",
                            &[("id", id), ("reason", "核对".into())],
                        )
                        .await;
                    } else {
                        call(&app, &ent.cookie, "cancel_invoice", &[("id", id)]).await;
                    }
                }
            }
            _ => {
                if let Some(id) = pick(&["issued"], next(10)) {
                    numbers += 1;
                    let form = vec![
                        ("id", id.clone()),
                        ("number", number(1_000 + numbers)),
                        ("date", app.clock.now().china_date()),
                        ("reason", "退回".to_string()),
                    ];
                    call(&app, &ops, "record_red_invoice", &form).await;
                    // Now and then withdrawn (typed wrong) and left for a later round.
                    if next(3) == 0 {
                        let why = ("reason", "录错".to_string());
                        call(&app, &ops, "withdraw_red_invoice", &[("id", id), why]).await;
                    } else {
                        call(&app, &checker, "approve_red_invoice", &[("id", id)]).await;
                    }
                }
            }
        }
        assert_reconciles(&app, &ent).await;
    }
    // The sequence did reach every kind of step.
    for status in ["issued", "reversed", "submitted"] {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM invoice_applications WHERE status = $1")
                .bind(status)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert!(n >= 1, "no {status} application in the sequence");
    }
    app.assert_ledger_clean().await;
}
