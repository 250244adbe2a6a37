//! Issue 14 §5: more than one server. Two servers share one database (and one data directory,
//! so one key file), as two processes behind a load balancer do. Requests go to either; what
//! one server decides holds on the other, background work is done once, and the ledger and
//! the audit chain verify afterwards.

use crate::helpers::{json, on_server, order_form, spawn_pair, APPLICANT_PW};
use app::backend::audit;
use app::backend::clock::Clock;
use futures_util::future::join_all;

/// P5.2: a session made on one server works on the other, and five wrong passwords spread
/// over both lock the account on both.
#[tokio::test]
async fn p5_2_sessions_and_lockouts_hold_across_servers() {
    let (a, b) = spawn_pair(&[]).await;
    let (cookie, mobile) = a.register_unique_login().await;
    let me = json(b.call_as(&cookie, "whoami", &[]).await).await;
    assert!(!me.is_null(), "the session made on A works on B: {me}");
    let fresh = b.login(&mobile, APPLICANT_PW).await;
    assert!(!json(a.call_as(&fresh, "whoami", &[]).await).await.is_null());

    for (i, app) in [&a, &b, &a, &b].into_iter().enumerate() {
        let res = app
            .call("login", &[("login", &mobile), ("password", "Wrong-Pass-1")])
            .await;
        assert_eq!(res.status(), 401, "attempt {i}");
    }
    let res = a
        .call("login", &[("login", &mobile), ("password", "Wrong-Pass-1")])
        .await;
    assert_eq!(res.status(), 423, "the fifth failure (on A) locks");
    for app in [&a, &b] {
        let res = app
            .call("login", &[("login", &mobile), ("password", APPLICANT_PW)])
            .await;
        assert_eq!(
            res.status(),
            423,
            "locked on both, even with the right password"
        );
    }
}

/// P1.1.5, P5.1: orders placed on both servers at once, and payout workers running on both at
/// once, pay every order exactly once; the ledger has no drift and the audit chain, appended
/// to by both, verifies.
#[tokio::test]
async fn p1_1_5_orders_and_payouts_on_two_servers_pay_each_order_once() {
    let (a, b) = spawn_pair(&[]).await;
    let ops = a.finance().await;
    let ent = a.funded_enterprise(&ops, "两台服务器企业", "1000").await;
    let ids: Vec<String> = (0..12).map(|i| format!("PAIR-{i}")).collect();
    join_all(ids.iter().enumerate().map(|(i, id)| {
        let app = if i % 2 == 0 { &a } else { &b };
        let cookie = ent.cookie.clone();
        async move {
            let res = app
                .call_as(
                    &cookie,
                    "create_order",
                    &order_form(id, "bank", "6222021234561234", "10"),
                )
                .await;
            assert!(res.status().is_success(), "create {id}: {}", res.status());
        }
    }))
    .await;
    // Each order costs ¥10.60 (6% fee).
    assert_eq!(
        a.balances(&ent).await,
        (100_000 - 12 * 1_060, 12 * 1_060, 0)
    );

    // Both workers run at once, twice: submit, then settle after the channel's delay.
    for advance in [0, 5_000] {
        a.clock.advance_ms(advance);
        let (sa, sb) = (a.state.clone(), b.state.clone());
        let (ta, tb) = tokio::join!(
            on_server(async move { app::backend::payouts::worker::tick(&sa).await }),
            on_server(async move { app::backend::payouts::worker::tick(&sb).await }),
        );
        let (ta, tb) = (ta.expect("A's pass"), tb.expect("B's pass"));
        if advance == 0 {
            // A worker may submit an order the other has claimed but not yet submitted (it
            // looks lost in flight): the channel takes the order's id as its idempotency key,
            // so that is harmless, as the one payout per order below shows.
            assert!(ta.submitted + tb.submitted >= 12, "{ta:?} {tb:?}");
        } else {
            assert_eq!(
                ta.paid + tb.paid,
                12,
                "each order settled once: {ta:?} {tb:?}"
            );
        }
    }
    assert_eq!(b.count("sim_payouts").await, 12, "one payout per order");
    let paid: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payment_orders WHERE status = 'paid'")
        .fetch_one(a.db.pool())
        .await
        .expect("count");
    assert_eq!(paid, 12);
    assert_eq!(b.balances(&ent).await, (100_000 - 12 * 1_060, 0, 0));
    a.assert_ledger_clean().await;
    let report = audit::verify(&b.db, &b.state.audit_key)
        .await
        .expect("verify");
    assert_eq!(report.first_broken, None, "{report:?}");
    assert!(report.entries > 12);
}

/// P5.2 (expired sessions and old login events are purged), issue 14 §5: housekeeping runs in
/// the one process holding its lease; a lease is renewed by
/// its holder, refused to others, and taken over once it has expired (the holder stopped).
#[tokio::test]
async fn p5_2_housekeeping_runs_once_across_servers() {
    use app::backend::leases::claim;
    let (a, b) = spawn_pair(&[]).await;
    // Each server's own housekeeping runs its first pass at start: one of them claims the
    // lease, and a pass by anyone else is skipped while it lasts (the clock does not move).
    let mut held = false;
    for _ in 0..100 {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM job_leases WHERE name = 'housekeeping'")
                .fetch_one(a.db.pool())
                .await
                .expect("leases");
        if n == 1 {
            held = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(held, "a server's housekeeping claimed its lease");
    for app in [&a, &b] {
        let state = app.state.clone();
        let pass =
            on_server(async move { server::jobs::housekeeping_leased(&state, "other").await })
                .await
                .expect("a pass");
        assert!(pass.is_none(), "skipped: a server holds the lease");
    }
    // The lease rules, on a job of the test's own (the servers' loops never touch it).
    let lease = |holder: &'static str| {
        let (db, now) = (a.db.clone(), a.clock.now());
        on_server(async move { claim(&db, "test-job", holder, now, 540_000).await })
    };
    assert!(lease("A").await.expect("claim"), "A claims the lease");
    assert!(!lease("B").await.expect("claim"), "B is refused");
    a.clock.advance_ms(60_000);
    assert!(!lease("B").await.expect("claim"), "still A's");
    assert!(lease("A").await.expect("claim"), "A renews its own");
    // A stops; its lease runs out and B takes over.
    a.clock.advance_ms(540_000);
    assert!(lease("B").await.expect("claim"), "B takes over");
    assert!(!lease("A").await.expect("claim"), "now B's");
}

/// Issue 14 §5: `bench-orders --instances 2` creates orders through two application states on
/// one database (each its own pool and group committer) without drift, every call answered.
#[tokio::test]
async fn issue_14_bench_orders_on_two_instances_leaves_the_ledger_clean() {
    use clap::Parser;
    let dir = tempfile::tempdir().expect("temp dir");
    let url = crate::helpers::fresh_database_url(dir.path()).await;
    let cli = server::config::Cli::try_parse_from([
        "server",
        "--database-url",
        &url,
        "bench-orders",
        "--orders",
        "120",
        "--enterprises",
        "3",
        "--callers",
        "8",
        "--instances",
        "2",
    ])
    .expect("valid flags");
    let Some(server::config::Command::BenchOrders(args)) = &cli.command else {
        panic!("bench-orders parsed");
    };
    let (serve, args) = (cli.serve.clone(), args.clone());
    let report = on_server(async move { server::bench::run(&serve, &args).await })
        .await
        .expect("the benchmark runs (and checks the ledger)");
    assert_eq!(report.instances, 2);
    assert_eq!(report.accepted + report.suspended + report.replayed, 120);
    assert!(report.accepted > 0 && report.replayed > 0, "{report}");
}

/// P9 (issue 14 §2 and §5): a material version scheduled on one server closes business
/// functions on both once it takes effect, though each server caches the versions in force
/// (until the next effective time, and five seconds at most).
#[tokio::test]
async fn p9_a_version_scheduled_on_one_server_gates_on_both() {
    use crate::policy_versions::{draft, schedule};
    let (a, b) = spawn_pair(&[]).await;
    let ops = a.finance().await;
    let (_, mobile) = a.open_enterprise_login("两台服务器同意公司").await;
    for app in [&a, &b] {
        let user = app.login(&mobile, APPLICANT_PW).await;
        let res = app.call_as(&user, "business_info", &[]).await;
        assert_eq!(res.status(), 200, "open before the change (and cached)");
    }
    let id = draft(&a, &ops, "1.1", true).await;
    let date = app::model::policy_change::earliest_material_date(a.clock.now(), 7);
    assert_eq!(schedule(&a, &ops, &id, &date).await.status(), 200);
    a.clock.advance_ms(8 * 86_400_000);
    for app in [&b, &a] {
        let user = app.login(&mobile, APPLICANT_PW).await;
        let res = app.call_as(&user, "business_info", &[]).await;
        assert_eq!(res.status(), 403);
        assert_eq!(json(res).await["kind"], "policy_not_accepted");
    }
}
