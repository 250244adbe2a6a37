//! Retention (issue 16 §6, P4.2): the dry run counts exactly what the run then does; legal
//! holds keep an enterprise's rows; closed accounts are anonymised after their period (their
//! books kept); abandoned applications go with their files; runs are kept with their counts.

use crate::helpers::{json, spawn_app, TestApp};
use app::backend::clock::Clock;
use serde_json::Value;

pub(crate) const DAY_MS: i64 = 86_400_000;

pub(crate) async fn run(app: &TestApp, ops: &str, dry: bool) -> Value {
    let res = app
        .call_as(
            ops,
            "run_retention",
            &[("dry", if dry { "true" } else { "false" })],
        )
        .await;
    assert_eq!(res.status(), 200);
    json(res).await
}

pub(crate) fn rows(run: &Value, rule: &str) -> (i64, i64) {
    let c = run["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == rule)
        .unwrap_or_else(|| panic!("{rule} in {run}"));
    (c["rows"].as_i64().unwrap(), c["held"].as_i64().unwrap())
}

async fn scalar(app: &TestApp, sql: &str, id: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// P4.2: a closed account and an abandoned application past their periods; one enterprise on
/// hold; the dry run's counts are the run's, the held enterprise is untouched until released,
/// and the second run finds nothing left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p4_2_the_dry_run_counts_what_the_run_does_and_holds_keep_rows() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let kept = app.funded_enterprise(&ops, "保全公司", "").await;
    let gone = app.funded_enterprise(&ops, "注销公司", "").await;
    // Both closed (as a completed closure does), long ago.
    for e in [&kept.id, &gone.id] {
        sqlx::query("UPDATE enterprises SET status = 'closed', closed_at = $2 WHERE id = $1")
            .bind(e)
            .bind(app.clock.now().0)
            .execute(app.db.pool())
            .await
            .unwrap();
    }
    let credit: String = sqlx::query_scalar("SELECT credit_code FROM enterprises WHERE id = $1")
        .bind(&kept.id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    // An applicant who never finished, with a licence uploaded.
    let applicant = app.register_unique().await;
    let res = app
        .upload_png(
            &applicant,
            "upload_application_file",
            &[("purpose", "licence")],
            "l.png",
        )
        .await;
    assert_eq!(res.status(), 200);
    let files_before = app.count("stored_files").await;

    // A hold on one of them, with a reason (the form's rules first).
    let res = app
        .call_as(
            &ops,
            "place_legal_hold",
            &[("credit_code", &credit), ("reason", " ")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .call_as(
            &ops,
            "place_legal_hold",
            &[
                ("credit_code", &credit),
                ("reason", "劳动仲裁进行中，保全证据。"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let hold: String = res.json().await.unwrap();

    // 200 days on: past the closed-account (90) and application (180) periods.
    app.clock.advance_ms(200 * DAY_MS);
    let ops = app.finance().await;
    let dry = run(&app, &ops, true).await;
    assert_eq!(dry["dry_run"], true);
    let (closed, held) = rows(&dry, "closed_accounts");
    assert_eq!((closed, held), (1, 1), "{dry}");
    assert_eq!(rows(&dry, "abandoned_applications").0, 1);
    // A dry run changes nothing.
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM users WHERE enterprise_id = $1 AND anonymised_at IS NULL",
            &gone.id
        )
        .await,
        1
    );
    let real = run(&app, &ops, false).await;
    for rule in app::model::retention::RetentionRule::ALL {
        assert_eq!(
            rows(&real, rule.code()),
            rows(&dry, rule.code()),
            "{}",
            rule.code()
        );
    }
    // The closed account's person: anonymised, signed out, unbound; the books stay.
    let (name, mobile_idx): (String, String) =
        sqlx::query_as("SELECT name, mobile_idx FROM users WHERE enterprise_id = $1")
            .bind(&gone.id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(name, "已注销用户");
    assert!(mobile_idx.starts_with("anonymised-"));
    // The closed enterprise's own records: its licence gone, its address emptied, its name kept
    // with the books.
    assert_eq!(rows(&real, "closed_enterprises"), (1, 1));
    let (ename, address): (String, String) =
        sqlx::query_as("SELECT name, registered_address FROM enterprises WHERE id = $1")
            .bind(&gone.id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!((ename.as_str(), address.as_str()), ("注销公司", ""));
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM stored_files WHERE application_id IN (SELECT id FROM applications WHERE enterprise_id = $1)", &gone.id).await,
        0
    );
    assert!(
        scalar(&app, "SELECT COUNT(*) FROM stored_files WHERE application_id IN (SELECT id FROM applications WHERE enterprise_id = $1)", &kept.id).await
            > 0
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM sessions WHERE principal_id IN (SELECT id FROM users WHERE enterprise_id = $1)", &gone.id).await,
        0
    );
    assert!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM ledger_accounts WHERE enterprise_id = $1",
            &gone.id
        )
        .await
            > 0
    );
    // The held enterprise's person is as they were.
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM users WHERE enterprise_id = $1 AND anonymised_at IS NULL",
            &kept.id
        )
        .await,
        1
    );
    // Login events past the network-log period: the held enterprise's stay.
    let events = "SELECT COUNT(*) FROM login_events WHERE principal_id IN (SELECT id FROM users WHERE enterprise_id = $1)";
    assert!(scalar(&app, events, &kept.id).await > 0);
    assert_eq!(scalar(&app, events, &gone.id).await, 0);
    // The abandoned application and its file are gone (and the closed enterprise's licence).
    assert_eq!(app.count("stored_files").await, files_before - 2);
    // Nothing left to do; then the hold is released and the next run reaches it.
    assert_eq!(
        rows(&run(&app, &ops, true).await, "closed_accounts"),
        (0, 1)
    );
    let res = app
        .call_as(&ops, "release_legal_hold", &[("id", &hold)])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        rows(&run(&app, &ops, false).await, "closed_accounts"),
        (1, 0)
    );

    // The page lists the runs (newest first) and the hold, released; audited.
    let page = json(app.call_as(&ops, "retention_page", &[]).await).await;
    let asked: Vec<&Value> = page["runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["by"] != "schedule")
        .collect();
    assert_eq!(asked.len(), 4);
    // Named as people know them, not by their ids.
    assert!(asked.iter().all(|r| r["by"] == "演示运营"), "{asked:?}");
    assert_eq!(page["holds"][0]["placed_by"], "演示运营");
    assert_eq!(asked.iter().filter(|r| r["dry_run"] == true).count(), 2);
    assert_eq!(page["holds"][0]["reason"], "劳动仲裁进行中，保全证据。");
    assert!(page["holds"][0]["released_at"].is_number());
    assert_eq!(page["days"]["closed_account"], 90);
    for action in [
        "retention.hold_placed",
        "retention.hold_released",
        "retention.run",
        "retention.dry_run",
    ] {
        assert!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM audit_log WHERE action = $1",
                action
            )
            .await
                > 0,
            "{action}"
        );
    }
}

/// P4.2: the daily job runs once a day from 03:00 China time (housekeeping), whatever the
/// number of passes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p4_2_the_retention_job_runs_once_a_day() {
    let app = spawn_app().await;
    // 04:00 China time (the job starts at 03:00).
    let now = app.clock.now();
    let four = now.china_day_floor().0 + 4 * 3_600_000;
    app.clock.advance_ms((four - now.0).rem_euclid(DAY_MS));
    for _ in 0..3 {
        server::jobs::housekeeping(&app.state).await.unwrap();
    }
    let scheduled = |app: &TestApp| {
        let pool = app.db.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM retention_runs WHERE run_by = 'schedule'",
            )
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let first = scheduled(&app).await;
    assert!(first >= 1, "today's run");
    app.clock.advance_ms(DAY_MS);
    server::jobs::housekeeping(&app.state).await.unwrap();
    server::jobs::housekeeping(&app.state).await.unwrap();
    assert_eq!(scheduled(&app).await, first + 1);
}

/// P4.2: the rules that act on what would otherwise stay for ever, each on real rows: delivered
/// messages and login events after the network-log period (190 days), invitations 30 days after
/// they expired, a visitor's cookie choice after a year, and a finished payment order's payee
/// after the accounting period (30 years) — the amounts kept, the ledger still sound. The dry
/// run counts exactly what the run then does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p4_2_messages_invitations_visitor_choices_and_old_payees_go_after_their_periods() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "久远公司", "100").await;
    let form = crate::helpers::order_form("OLD-1", "bank", "6222021234561234", "5.00");
    let res = app.call_as(&ent.cookie, "create_order", &form).await;
    assert!(res.status().is_success(), "{}", res.status());
    app.payouts(0).await;
    app.payouts(5_000).await;
    let res = app
        .call_as(
            &ent.cookie,
            "invite_member",
            &[
                ("name", "久远成员"),
                ("mobile", "13300004444"),
                ("email", "old.invite@example.com"),
                ("role", "member"),
            ],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let res = app
        .call(
            "save_consent",
            &[("choice", "reject_all"), ("lang", "zh-CN")],
        )
        .await;
    assert_eq!(res.status(), 200);
    app.deliver_all().await;
    let count = |sql: &'static str| {
        let pool = app.db.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let sent = "SELECT COUNT(*) FROM outbox WHERE status = 'sent'";
    let visitors = "SELECT COUNT(*) FROM consent_records WHERE user_id IS NULL";
    let payee = "SELECT COUNT(*) FROM payment_orders WHERE payee_name = '已注销用户'";
    assert!(count(sent).await > 0);
    assert!(count(visitors).await > 0);
    assert_eq!(app.count("invites").await, 1);
    assert_eq!(count(payee).await, 0);

    // A dry run and a run agree on every rule, and each of `rules` acted on some rows.
    let step = |rules: &'static [&'static str]| {
        let app = &app;
        async move {
            let ops = app.finance().await;
            let dry = run(app, &ops, true).await;
            let real = run(app, &ops, false).await;
            for rule in app::model::retention::RetentionRule::ALL {
                assert_eq!(rows(&dry, rule.code()), rows(&real, rule.code()));
            }
            for rule in rules {
                assert!(rows(&real, rule).0 > 0, "{rule}: {real}");
            }
        }
    };
    // 200 days: past the network-log period and the invitation's.
    app.clock.advance_ms(200 * DAY_MS);
    step(&["outbox", "invitations", "login_events"]).await;
    assert_eq!(app.count("invites").await, 0);
    // Messages since (the logins above) are younger: only old ones went.
    let old_sent = "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND sent_at < (SELECT MIN(at) FROM login_events)";
    assert_eq!(count(old_sent).await, 0);
    assert!(
        count(visitors).await > 0,
        "a visitor's choice is kept a year"
    );
    // A year: the visitor's choice.
    app.clock.advance_ms(200 * DAY_MS);
    step(&["visitor_consents"]).await;
    assert_eq!(count(visitors).await, 0);
    assert_eq!(count(payee).await, 0, "the books' payee stays 30 years");
    // Thirty years: the finished order's payee is anonymised, its amount kept.
    app.clock.advance_ms(30 * 365 * DAY_MS);
    step(&["old_payment_orders"]).await;
    assert_eq!(count(payee).await, 1);
    let (amount, status): (i64, String) =
        sqlx::query_as("SELECT amount, status FROM payment_orders WHERE enterprise_id = $1")
            .bind(&ent.id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!((amount, status.as_str()), (500, "paid"));
    app.assert_ledger_clean().await;
}

/// P1.1.7, P4.2: a closed ticket's conversation goes with its files once the data map's period
/// after closing is over; a younger one stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_7_conversations_are_kept_for_the_mapped_period_after_closing() {
    let app = crate::helpers::spawn_app_with(&crate::support::support_app()).await;
    let ops = app.finance().await;
    let (cookie, _) = app.open_enterprise_login("保存企业").await;
    let old = crate::support::with_file(&app, &cookie, "旧工单", "a.png").await;
    // Support's reply told the customer in their message centre (quoting it): the notice goes
    // with the conversation.
    let (status, _) = crate::support::step(
        &app,
        &ops,
        "ops_reply_ticket",
        &[("id", &old), ("body", "旧回复")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        crate::support::step(&app, &cookie, "close_ticket", &[("id", &old)])
            .await
            .0,
        200
    );
    let young = crate::support::open_ticket(&app, &cookie, "新工单").await;
    assert_eq!(
        crate::support::step(&app, &cookie, "close_ticket", &[("id", &young)])
            .await
            .0,
        200
    );
    // Closed 1,096 and 96 days ago.
    for (id, days) in [(&old, 1096), (&young, 96)] {
        sqlx::query("UPDATE support_tickets SET closed_at = closed_at - $2 WHERE id = $1")
            .bind(id)
            .bind(days * DAY_MS)
            .execute(app.db.pool())
            .await
            .unwrap();
    }
    let dry = run(&app, &ops, true).await;
    assert_eq!(rows(&dry, "support_transcripts"), (1, 0));
    let real = run(&app, &ops, false).await;
    assert_eq!(rows(&real, "support_transcripts"), (1, 0));
    assert_eq!(app.count("support_tickets").await, 1);
    assert_eq!(app.count("support_attachments").await, 0);
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM support_messages WHERE ticket_id = $1")
            .bind(&old)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(left, 0);
    let notices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inbox_messages WHERE source = $1")
        .bind(format!("support_ticket:{old}"))
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(notices, 0);
}

/// P4.2 (issue 19): callback deliveries are a transport log — delivered or given up longer ago
/// than the network-log period, they go; one still waiting, a young one, and a failed one
/// re-sent lately (its window reopened) stay.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p4_2_old_callback_deliveries_go_after_the_network_log_period() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "回调留存企业", "").await;
    let now = app.clock.now().0;
    let old = now - 200 * DAY_MS;
    let young = now - 10 * DAY_MS;
    for (id, status, at) in [
        ("cb-old-delivered", "delivered", old),
        ("cb-old-failed", "failed", old),
        ("cb-old-pending", "pending", old),
        ("cb-young", "delivered", young),
        ("cb-resent", "failed", young),
    ] {
        sqlx::query(
            "INSERT INTO callback_deliveries (id, enterprise_id, event, subject, payload, fields, status, \
             window_from, next_at, created_at, delivered_at) VALUES ($1, $2, 'order.status', 'o1', '{}', '', $3, $4, $4, $6, $5)",
        )
        .bind(id)
        .bind(&ent.id)
        .bind(status)
        .bind(at)
        .bind((status == "delivered").then_some(at))
        // Every one was created long ago; the re-sent one's window opened lately.
        .bind(old)
        .execute(app.db.pool())
        .await
        .unwrap();
    }
    let dry = run(&app, &ops, true).await;
    assert_eq!(rows(&dry, "callback_deliveries"), (2, 0));
    let real = run(&app, &ops, false).await;
    assert_eq!(rows(&real, "callback_deliveries"), (2, 0));
    let left: Vec<String> = sqlx::query_scalar("SELECT id FROM callback_deliveries ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(left, ["cb-old-pending", "cb-resent", "cb-young"]);
}
