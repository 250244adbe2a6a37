//! The ledger's guarantees under pressure (P1.1.5): random sequences keep it balanced,
//! concurrent orders respect the balance guard exactly, a retried order pays once, and a
//! payout worker stopped at any point and started again neither loses nor repeats a payment.

use crate::helpers::{json, on_server, order_form, spawn_app, Ent, TestApp, ID_NUMBER};
use app::backend::audit::Actor;
use app::backend::AppState;
use app::model::funds::OrderStatus;
use app::model::orders::{OrderForm, OrderInput};
use rand::{Rng, SeedableRng};

fn input(order_id: &str, channel: &str, account: &str, yuan: &str) -> OrderInput {
    OrderInput::parse(&OrderForm {
        order_id: order_id.into(),
        payee_name: "王五".into(),
        id_number: ID_NUMBER.into(),
        channel: channel.into(),
        account: account.into(),
        mobile: "13800000003".into(),
        amount: yuan.into(),
        remark: String::new(),
        project: String::new(),
    })
    .expect("a valid order")
}

/// N concurrent orders against a balance that covers only k of them: exactly k are accepted
/// and the rest suspended (P1.1.5, both engines).
#[tokio::test]
async fn p1_1_5_concurrent_orders_respect_the_balance_exactly() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    // Each order costs 106.00 (100 + 6% fee); 13 fit in 1,400.00.
    let ent = app.funded_enterprise(&ops, "并发企业", "1400").await;
    let n = 40;
    let state = app.state.clone();
    let eid = ent.id.clone();
    let outcomes = on_server(async move {
        let calls = (0..n).map(|i| {
            let (state, eid) = (state.clone(), eid.clone());
            tokio::spawn(async move {
                app::backend::orders::create(
                    &state,
                    &eid,
                    &Actor::system(),
                    &input(&format!("C-{i}"), "bank", "6222021234561234", "100"),
                )
                .await
            })
        });
        let mut out = Vec::new();
        for c in calls.collect::<Vec<_>>() {
            out.push(c.await.expect("task").expect("created").order.status);
        }
        out
    })
    .await;
    let accepted = outcomes
        .iter()
        .filter(|s| **s == OrderStatus::Accepted)
        .count();
    let suspended = outcomes
        .iter()
        .filter(|s| **s == OrderStatus::Suspended)
        .count();
    assert_eq!((accepted, suspended), (13, 27));
    assert_eq!(
        app.balances(&ent).await,
        (140_000 - 13 * 10_600, 13 * 10_600, 0)
    );
    app.assert_ledger_clean().await;
}

/// The same order_id submitted 50 times in parallel pays once; the same key with another
/// amount is a conflict (P1.1.5).
#[tokio::test]
async fn p1_1_5_fifty_parallel_submissions_of_one_order_pay_once() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "重复提交企业", "1000").await;
    let form = order_form("ONCE", "bank", "6222021234561234", "100");
    let calls = (0..50).map(|_| app.call_as(&ent.cookie, "create_order", &form));
    let mut ids = std::collections::HashSet::new();
    let mut fresh = 0;
    for res in futures_util::future::join_all(calls).await {
        assert!(res.status().is_success(), "{}", res.status());
        let v = json(res).await;
        ids.insert(v["order"]["id"].as_str().unwrap().to_string());
        if v["replayed"] == false {
            fresh += 1;
        }
    }
    assert_eq!((ids.len(), fresh), (1, 1));
    assert_eq!(app.count("payment_orders").await, 1);
    // Created once, recorded once in the audit log (in the order's own transaction).
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'order.create'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(audited, 1);
    let res = app
        .call_as(
            &ent.cookie,
            "create_order",
            &order_form("ONCE", "bank", "6222021234561234", "100.01"),
        )
        .await;
    assert_eq!(res.status(), 409);
    app.payouts(0).await;
    app.payouts(5_000).await;
    app.payouts(5_000).await;
    let paid: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sim_payouts")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(paid, 1);
    assert_eq!(app.balances(&ent).await, (100_000 - 10_600, 0, 0));
    app.assert_ledger_clean().await;
}

/// The payout worker is stopped at random points (its transaction in flight is dropped, as
/// in a crash) and started again, many times: every order ends paid or failed exactly once,
/// the simulator holds exactly one payout per order, and the ledger balances (P1.1.5).
#[tokio::test]
async fn p1_1_5_a_worker_stopped_mid_settlement_loses_and_repeats_nothing() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "重启企业", "10000").await;
    for i in 0..30 {
        let account = if i % 7 == 0 {
            "6222021234560002"
        } else {
            "6222021234561234"
        };
        let res = app
            .call_as(
                &ent.cookie,
                "create_order",
                &order_form(&format!("R-{i}"), "bank", account, "10"),
            )
            .await;
        assert!(res.status().is_success());
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for _ in 0..25 {
        let state = app.state.clone();
        // The worker runs on the server runtime, where it is stopped at a random point.
        let handle = crate::helpers::server_runtime().spawn(app::backend::payouts::worker::run(
            state,
            std::time::Duration::from_millis(1),
        ));
        tokio::time::sleep(std::time::Duration::from_millis(rng.random_range(0..15))).await;
        handle.abort();
        app.clock.advance_ms(rng.random_range(0..800));
    }
    // Let it finish.
    for _ in 0..4 {
        app.payouts(5_000).await;
    }
    let statuses: Vec<String> = sqlx::query_scalar("SELECT status FROM payment_orders")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert!(
        statuses.iter().all(|s| s == "paid" || s == "failed"),
        "{statuses:?}"
    );
    let failed = statuses.iter().filter(|s| *s == "failed").count();
    assert_eq!(failed, 5);
    let payouts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sim_payouts")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(payouts, 30, "one payout per order");
    let paid_out: i64 =
        sqlx::query_scalar("SELECT balance FROM ledger_accounts WHERE id = 'P:paid_out'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let sim_paid: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM sim_payouts WHERE status = 'paid'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        paid_out, sim_paid,
        "the ledger paid out what the channel paid"
    );
    assert_eq!(app.balances(&ent).await, (1_000_000 - 25 * 1_060, 0, 0));
    app.assert_ledger_clean().await;
}

/// What the random sequence does to one enterprise.
async fn random_step(
    state: &AppState,
    rng: &mut rand::rngs::StdRng,
    ent: &Ent,
    step: u32,
    clock: &app::backend::clock::ManualClock,
) {
    use app::backend::{funds, orders};
    let actor = Actor::system();
    let now = state.clock.now().0;
    match rng.random_range(0..10) {
        0 | 1 => {
            let mut tx = state.db.begin().await.unwrap();
            let credit = app::model::orders::BankCreditInput {
                bank_ref: format!("P-{}-{step}", &ent.id[..8]),
                value_date: "2026-11-29".into(),
                payer_name: "x".into(),
                payer_account: "6225880012345678".into(),
                receiving_account_no: ent.account_no.clone(),
                amount: app::model::Fen(rng.random_range(1..200_000)),
                bank_fee: app::model::Fen(0),
            };
            funds::credits::record_in(
                &mut tx,
                &state.cipher,
                app::model::Fen(0),
                &credit,
                "test",
                &actor,
                now,
            )
            .await
            .unwrap()
            .unwrap();
            tx.commit().await.unwrap();
        }
        2..=4 => {
            let account = if rng.random_bool(0.2) {
                "6222021234560003"
            } else {
                "6222021234561234"
            };
            let yuan = format!(
                "{}.{:02}",
                rng.random_range(0..900),
                rng.random_range(1..100)
            );
            orders::create(
                state,
                &ent.id,
                &actor,
                &input(&format!("Q-{step}"), "bank", account, &yuan),
            )
            .await
            .unwrap();
        }
        5 => {
            clock.advance_ms(rng.random_range(0..6_000));
            app::backend::payouts::worker::tick(state).await.unwrap();
        }
        6 => {
            let paid: Option<String> = sqlx::query_scalar("SELECT id FROM payment_orders WHERE enterprise_id = $1 AND status = 'paid' LIMIT 1")
                .bind(&ent.id)
                .fetch_optional(state.db.pool())
                .await
                .unwrap();
            if let (Some(id), Some(sim)) = (paid, &state.simulator) {
                sim.return_payout(&id).await.unwrap();
            }
        }
        7 => {
            let open: Option<(String, String)> = sqlx::query_as("SELECT id, status FROM payment_orders WHERE enterprise_id = $1 AND status IN ('suspended', 'accepted') LIMIT 1")
                .bind(&ent.id)
                .fetch_optional(state.db.pool())
                .await
                .unwrap();
            if let Some((id, status)) = open {
                if status == "suspended" && rng.random_bool(0.5) {
                    let _ = orders::retry(state, &ent.id, &id, &actor).await;
                } else {
                    orders::cancel(state, &ent.id, &id, &actor).await.unwrap();
                }
            }
        }
        8 => {
            let amount = format!("{}", rng.random_range(1..500));
            let _ = funds::transfers::request(state, &ent.id, &actor, &amount, &format!("K{step}"))
                .await;
        }
        _ => {
            let waiting: Option<String> = sqlx::query_scalar("SELECT id FROM transfers WHERE enterprise_id = $1 AND status = 'requested' LIMIT 1")
                .bind(&ent.id)
                .fetch_optional(state.db.pool())
                .await
                .unwrap();
            if let Some(id) = waiting {
                funds::transfers::decide(state, &actor, &id, rng.random_bool(0.5), "不符")
                    .await
                    .unwrap();
            }
        }
    }
}

/// Property: random sequences of top-ups, orders, settlements, failures, returns, cancels,
/// retries and transfers. After every step no guarded balance is negative; after every
/// sequence postings sum to zero and stored balances equal the replayed postings (P1.1.5).
#[tokio::test]
async fn p1_1_5_random_sequences_keep_the_ledger_balanced() {
    let app: TestApp = spawn_app().await;
    let ops = app.finance().await;
    let a = app.funded_enterprise(&ops, "随机企业甲", "").await;
    let b = app.funded_enterprise(&ops, "随机企业乙", "").await;
    for ent in [&a, &b] {
        app.call_as(
            &ent.cookie,
            "set_withdrawal_account",
            &[
                ("account_name", "x"),
                ("bank_name", "y"),
                ("account_no", "62122612345678"),
                ("password", crate::helpers::APPLICANT_PW),
            ],
        )
        .await;
    }
    let seeds: u64 = std::env::var("LEDGER_SEQUENCES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    for seed in 0..seeds {
        let state = app.state.clone();
        let clock = app.clock.clone();
        let ents = [
            Ent {
                cookie: String::new(),
                id: a.id.clone(),
                account_no: a.account_no.clone(),
                mobile: String::new(),
            },
            Ent {
                cookie: String::new(),
                id: b.id.clone(),
                account_no: b.account_no.clone(),
                mobile: String::new(),
            },
        ];
        on_server(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            for step in 0..40u32 {
                let ent = &ents[rng.random_range(0..2)];
                random_step(&state, &mut rng, ent, (seed as u32) * 1_000 + step, &clock).await;
                let negative: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM ledger_accounts WHERE floor_zero = 1 AND balance < 0",
                )
                .fetch_one(state.db.pool())
                .await
                .unwrap();
                assert_eq!(
                    negative, 0,
                    "seed {seed} step {step}: a balance went negative"
                );
            }
        })
        .await;
        app.assert_ledger_clean().await;
    }
}

/// One order the channel cannot take (here its stored account cannot be decrypted) is retried
/// on every pass and never holds up the others (P1.1.5).
#[tokio::test]
async fn p1_1_5_one_stuck_order_does_not_hold_up_the_others() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "卡单企业", "1000").await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let res = app
            .call_as(
                &ent.cookie,
                "create_order",
                &order_form(&format!("S-{i}"), "bank", "6222021234561234", "10"),
            )
            .await;
        ids.push(json(res).await["order"]["id"].as_str().unwrap().to_string());
    }
    sqlx::query("UPDATE payment_orders SET account_enc = 'broken' WHERE id = $1")
        .bind(&ids[0])
        .execute(app.db.pool())
        .await
        .unwrap();
    app.payouts(0).await;
    let t = app.payouts(5_000).await;
    assert_eq!(t.paid, 2);
    let status: String = sqlx::query_scalar("SELECT status FROM payment_orders WHERE id = $1")
        .bind(&ids[0])
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "paying", "the stuck order waits, unpaid");
    app.assert_ledger_clean().await;
}

/// The drift check is not a formality: a balance changed behind the ledger's back is named
/// (P1.1.5), and postings cannot be changed at all.
#[tokio::test]
async fn p1_1_5_the_drift_check_finds_a_tampered_balance() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "篡改企业", "100").await;
    app.assert_ledger_clean().await;
    let account = format!("E:{}:available", ent.id);
    sqlx::query("UPDATE ledger_accounts SET balance = balance + 1 WHERE id = $1")
        .bind(&account)
        .execute(app.db.pool())
        .await
        .unwrap();
    let db = app.db.clone();
    let d = on_server(async move { app::backend::ledger::verify(&db).await })
        .await
        .unwrap();
    assert!(!d.is_clean());
    assert_eq!(d.balance_drift, vec![account.clone()]);
    assert_eq!(d.running_balance_drift, vec![account]);
    let refused = sqlx::query("UPDATE ledger_postings SET amount = amount + 1")
        .execute(app.db.pool())
        .await;
    assert!(refused.is_err(), "postings are append-only");
}
