//! Transfers and four eyes on money (P1.1.5; issue 14): a transfer reserves at request, leaves
//! at approval, returns at rejection. A transfer to an enterprise's bank account needs two
//! different finance operators, and so does a bank credit above the configured threshold
//! (`--credit-check-above-fen`, ¥50,000 by default). Nothing is booked on the first approval.

use crate::authz::operator_with;
use crate::helpers::{field_rules, json, spawn_app, Ent, TestApp};
use app::backend::clock::Clock;
use app::model::account::OperatorRole;

/// Registers `account_no` as the enterprise's withdrawal account (the admin's password given).
async fn set_account(app: &TestApp, ent: &Ent, name: &str, account_no: &str) -> reqwest::Response {
    app.call_as(
        &ent.cookie,
        "set_withdrawal_account",
        &[
            ("account_name", name),
            ("bank_name", "工商银行"),
            ("account_no", account_no),
            ("password", crate::helpers::APPLICANT_PW),
        ],
    )
    .await
}

/// An enterprise with ¥1,000 and a registered bank account.
async fn with_account(app: &TestApp, ops: &str, name: &str) -> Ent {
    let ent = app.funded_enterprise(ops, name, "1000").await;
    let res = set_account(app, &ent, name, "6212261234567890").await;
    assert!(res.status().is_success(), "{}", res.status());
    ent
}

async fn decide(
    app: &TestApp,
    who: &str,
    endpoint: &str,
    id: &str,
    approve: bool,
) -> reqwest::Response {
    let approve = if approve { "true" } else { "false" };
    app.call_as(
        who,
        endpoint,
        &[("id", id), ("approve", approve), ("reason", "核对不符")],
    )
    .await
}

async fn actions(app: &TestApp, target: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT action, actor_id FROM audit_log WHERE target = $1 ORDER BY seq")
        .bind(target)
        .fetch_all(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_5_a_transfer_leaves_only_with_two_finance_operators() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let checker = operator_with(&app, "second-finance", &[OperatorRole::Finance]).await;
    let ent = with_account(&app, &ops, "复核转出公司").await;
    let t = json(
        app.call_as(
            &ent.cookie,
            "request_transfer",
            &[("amount", "300"), ("key", "fe-1")],
        )
        .await,
    )
    .await;
    let id = t["id"].as_str().unwrap().to_string();
    assert_eq!(app.balances(&ent).await, (70_000, 0, 30_000));

    // The first approval checks it: nothing leaves yet.
    let first = json(decide(&app, &ops, "decide_transfer", &id, true).await).await;
    assert_eq!(first["status"], "checked", "{first}");
    assert_eq!(first["checked_by"], "演示运营");
    assert_eq!(app.balances(&ent).await, (70_000, 0, 30_000));
    // The enterprise sees that it is being checked, not by whom.
    let page = json(app.call_as(&ent.cookie, "transfers_page", &[]).await).await;
    assert_eq!(page["transfers"][0]["status"], "checked");
    assert!(page["transfers"][0]["checked_by"].is_null(), "{page}");
    // Finance's queue still lists it.
    let waiting = json(
        app.call_as(&ops, "list_transfer_requests", &[("waiting_only", "true")])
            .await,
    )
    .await;
    assert!(waiting
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == id.as_str()));

    // The same operator cannot give the second approval.
    let res = decide(&app, &ops, "decide_transfer", &id, true).await;
    assert_eq!(res.status(), 409);
    let body = res.text().await.unwrap();
    assert!(body.contains("second_approver_needed"), "{body}");
    assert_eq!(app.balances(&ent).await, (70_000, 0, 30_000));

    // Another finance operator sends it.
    let second = json(decide(&app, &checker, "decide_transfer", &id, true).await).await;
    assert_eq!(second["status"], "approved");
    assert_eq!(app.balances(&ent).await, (70_000, 0, 0));
    let audit = actions(&app, &format!("transfer:{id}")).await;
    let checked = audit.iter().find(|(a, _)| a == "transfer.check").unwrap();
    let approved = audit.iter().find(|(a, _)| a == "transfer.approve").unwrap();
    assert_ne!(checked.1, approved.1, "two different operators: {audit:?}");

    // A checked transfer may still be refused, by the first approver too: the money returns.
    let r = json(
        app.call_as(
            &ent.cookie,
            "request_transfer",
            &[("amount", "100"), ("key", "fe-2")],
        )
        .await,
    )
    .await;
    let rid = r["id"].as_str().unwrap();
    decide(&app, &ops, "decide_transfer", rid, true).await;
    let refused = json(decide(&app, &ops, "decide_transfer", rid, false).await).await;
    assert_eq!(refused["status"], "rejected");
    assert_eq!(app.balances(&ent).await, (70_000, 0, 0));
    app.assert_ledger_clean().await;
}

fn credit_form<'a>(
    bank_ref: &'a str,
    date: &'a str,
    account: &'a str,
    amount: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("bank_ref", bank_ref),
        ("value_date", date),
        ("payer_name", "付款企业"),
        ("payer_account", "6225880012345678"),
        ("receiving_account_no", account),
        ("amount", amount),
        ("bank_fee", ""),
        ("confirm", "yes"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_5_a_large_credit_is_booked_only_after_a_second_approval() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let checker = operator_with(&app, "credit-checker", &[OperatorRole::Finance]).await;
    let ent = app.funded_enterprise(&ops, "大额入账公司", "").await;
    let date = app.clock.now().china_date();

    // ¥50,000 exactly is booked at once; above it, the credit is held.
    let res = app
        .call_as(
            &ops,
            "record_credit",
            &credit_form("BIG-0", &date, &ent.account_no, "50000"),
        )
        .await;
    assert!(json(res).await["Credited"].is_object());
    let held = json(
        app.call_as(
            &ops,
            "record_credit",
            &credit_form("BIG-1", &date, &ent.account_no, "60000"),
        )
        .await,
    )
    .await;
    assert_eq!(
        held,
        serde_json::json!({"Held": {"credited": 6_000_000, "limit": 5_000_000}})
    );
    assert_eq!(
        app.balances(&ent).await,
        (5_000_000, 0, 0),
        "nothing booked yet"
    );
    let topups = json(app.call_as(&ent.cookie, "list_topups", &[]).await).await;
    assert_eq!(
        topups.as_array().unwrap().len(),
        1,
        "a held credit is not the enterprise's yet: {topups}"
    );
    let d = json(app.call_as(&ops, "ops_dashboard", &[]).await).await;
    let tile = d["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["queue"] == "credits_to_check")
        .unwrap()
        .clone();
    assert_eq!(tile["count"], 1, "{d}");
    let list = json(app.call_as(&ops, "list_held_credits", &[]).await).await;
    let item = &list.as_array().unwrap()[0];
    assert_eq!(item["bank_ref"], "BIG-1");
    assert_eq!(item["recorded_by"], "演示运营");
    let id = item["id"].as_str().unwrap().to_string();

    // The one who recorded it cannot approve it; another finance operator books it.
    let res = decide(&app, &ops, "decide_credit", &id, true).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("second_approver_needed"));
    let res = decide(&app, &checker, "decide_credit", &id, true).await;
    assert_eq!(json(res).await, "credited");
    assert_eq!(app.balances(&ent).await, (11_000_000, 0, 0));
    assert_eq!(
        decide(&app, &checker, "decide_credit", &id, true)
            .await
            .status(),
        409,
        "once"
    );

    // A wrong one is rejected: nothing is booked, and its reference can be recorded again.
    let wrong = credit_form("BIG-2", &date, &ent.account_no, "90000");
    app.call_as(&ops, "record_credit", &wrong).await;
    let list = json(app.call_as(&ops, "list_held_credits", &[]).await).await;
    let wrong_id = list[0]["id"].as_str().unwrap().to_string();
    let res = app
        .call_as(
            &checker,
            "decide_credit",
            &[("id", &wrong_id), ("approve", "false"), ("reason", "")],
        )
        .await;
    assert_eq!(res.status(), 422, "a rejection needs its reason");
    let res = decide(&app, &checker, "decide_credit", &wrong_id, false).await;
    assert_eq!(json(res).await, "rejected");
    assert_eq!(app.balances(&ent).await, (11_000_000, 0, 0));
    let right = credit_form("BIG-2", &date, &ent.account_no, "900");
    let res = json(app.call_as(&ops, "record_credit", &right).await).await;
    assert!(res["Credited"].is_object(), "{res}");
    let recent = json(
        app.call_as(&ops, "list_credits", &[("unmatched_only", "false")])
            .await,
    )
    .await;
    let rejected = recent
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "rejected")
        .unwrap();
    assert_eq!(rejected["bank_ref"], "BIG-2");
    assert_eq!(rejected["reason"], "核对不符");

    // A statement line above the threshold is held too.
    let csv = format!(
        "bank_ref,value_date,payer_name,payer_account,receiving_account_no,amount\nBIG-3,{date},付款企业,6225880012345678,{},\"70,000.00\"\n",
        ent.account_no
    );
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("statement.csv"),
    );
    let res = app
        .client
        .post(app.url("/api/import_statement"))
        .header("accept", "application/json")
        .header("cookie", &ops)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let summary = json(res).await;
    assert_eq!(summary["held"], 1, "{summary}");
    assert_eq!(summary["credited"], 0);
    assert_eq!(app.balances(&ent).await, (11_090_000, 0, 0));

    let audit: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, actor_id FROM audit_log WHERE action LIKE 'funds.credit_%' ORDER BY seq",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert!(
        audit.iter().any(|(a, _)| a == "funds.credit_approve"),
        "{audit:?}"
    );
    assert!(
        audit.iter().any(|(a, _)| a == "funds.credit_reject"),
        "{audit:?}"
    );
    app.assert_ledger_clean().await;
}

/// P1.1.5: a transfer reserves at request, leaves at approval, returns at rejection; the form
/// key makes a repeated submission harmless.
#[tokio::test]
async fn p1_1_5_transfers_are_two_phase() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "转账企业", "1000").await;
    let res = app
        .call_as(
            &ent.cookie,
            "request_transfer",
            &[("amount", "10"), ("key", "k-1")],
        )
        .await;
    assert_eq!(res.status(), 409, "no bank account registered yet");
    let res = set_account(&app, &ent, "转账企业", "12").await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("account_no".to_string(), "format".to_string())]
    );
    let res = set_account(&app, &ent, "转账企业", "6212 2612 3456 7890").await;
    assert!(res.status().is_success());
    let res = app
        .call_as(
            &ent.cookie,
            "request_transfer",
            &[("amount", "1000.01"), ("key", "k-0")],
        )
        .await;
    assert_eq!(res.status(), 409, "more than available");
    let t = json(
        app.call_as(
            &ent.cookie,
            "request_transfer",
            &[("amount", "300"), ("key", "k-1")],
        )
        .await,
    )
    .await;
    assert_eq!(t["status"], "requested");
    assert_eq!(t["account_masked"], "6212 **** **** 7890");
    let again = json(
        app.call_as(
            &ent.cookie,
            "request_transfer",
            &[("amount", "300"), ("key", "k-1")],
        )
        .await,
    )
    .await;
    assert_eq!(again["id"], t["id"]);
    assert_eq!(app.balances(&ent).await, (70_000, 0, 30_000));
    let r = json(
        app.call_as(
            &ent.cookie,
            "request_transfer",
            &[("amount", "100"), ("key", "k-2")],
        )
        .await,
    )
    .await;
    let res = app
        .call_as(
            &ops,
            "decide_transfer",
            &[
                ("id", r["id"].as_str().unwrap()),
                ("approve", "false"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422, "a rejection needs a reason");
    let res = app
        .call_as(
            &ops,
            "decide_transfer",
            &[
                ("id", r["id"].as_str().unwrap()),
                ("approve", "false"),
                ("reason", "账户信息有误"),
            ],
        )
        .await;
    assert_eq!(json(res).await["status"], "rejected");
    // Two finance operators approve (issue 14): the first checks, the second sends.
    let approve = [
        ("id", t["id"].as_str().unwrap()),
        ("approve", "true"),
        ("reason", ""),
    ];
    let res = app.call_as(&ops, "decide_transfer", &approve).await;
    assert_eq!(json(res).await["status"], "checked");
    let checker = crate::authz::operator_with(
        &app,
        "transfer-checker",
        &[app::model::account::OperatorRole::Finance],
    )
    .await;
    let res = app.call_as(&checker, "decide_transfer", &approve).await;
    assert_eq!(json(res).await["status"], "approved");
    let res = app
        .call_as(
            &ops,
            "decide_transfer",
            &[
                ("id", t["id"].as_str().unwrap()),
                ("approve", "true"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 409, "decided once");
    assert_eq!(app.balances(&ent).await, (70_000, 0, 0));
    // An admin's transfer page lists both; a member without admin rights may not ask.
    let page = json(app.call_as(&ent.cookie, "transfers_page", &[]).await).await;
    assert_eq!(page["transfers"].as_array().unwrap().len(), 2);
    app.assert_ledger_clean().await;
}

/// P1.1.5 (issue 14, four eyes): a large credit whose receiving account names no enterprise
/// waits to be matched after its approval, and the operator who recorded it cannot then direct
/// it to an enterprise alone.
#[tokio::test]
async fn p1_1_5_a_large_unmatched_credit_is_not_assigned_by_its_recorder() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let checker = operator_with(&app, "assign-checker", &[OperatorRole::Finance]).await;
    let ent = app.funded_enterprise(&ops, "待匹配大额公司", "").await;
    let date = app.clock.now().china_date();
    let form = credit_form("BIG-U", &date, "999900001111", "80000");
    let held = json(app.call_as(&ops, "record_credit", &form).await).await;
    assert!(held["Held"].is_object(), "{held}");
    let list = json(app.call_as(&ops, "list_held_credits", &[]).await).await;
    let id = list[0]["id"].as_str().unwrap().to_string();
    let res = decide(&app, &checker, "decide_credit", &id, true).await;
    assert_eq!(json(res).await, "unmatched");

    let assign = [("id", id.as_str()), ("enterprise", ent.account_no.as_str())];
    let res = app.call_as(&ops, "assign_credit", &assign).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("second_approver_needed"));
    assert_eq!(app.balances(&ent).await, (0, 0, 0), "nothing booked");
    let res = app.call_as(&checker, "assign_credit", &assign).await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(app.balances(&ent).await, (8_000_000, 0, 0));
    app.assert_ledger_clean().await;
}
