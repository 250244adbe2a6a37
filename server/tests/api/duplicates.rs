//! One business account per enterprise (issue 11): a credit code that an open enterprise
//! holds is refused at submission, unless the applicant asks a reviewer, who approves only
//! with a recorded reason; the queue flags such applications and any two waiting with one
//! code. On both engines.

use crate::applications::{decide, ops, png, save, upload};
use crate::helpers::{field_rules, json, spawn_app, TestApp};
use serde_json::Value;

/// The credit code of the demo enterprise (an open one).
async fn taken_code(app: &TestApp, ops: &str) -> String {
    let list = json(
        app.call_as(ops, "list_enterprises", &[("q", "演示科技")])
            .await,
    )
    .await;
    list[0]["credit_code"].as_str().unwrap().to_string()
}

async fn applicant_with_licence(app: &TestApp) -> String {
    let me = app.register_unique().await;
    assert!(upload(app, &me, "licence", "l.png", png(), "image/png")
        .await
        .status()
        .is_success());
    me
}

fn queued<'a>(queue: &'a Value, name: &str) -> &'a Value {
    queue
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["enterprise_name"] == name)
        .unwrap_or_else(|| panic!("{name} is not queued: {queue}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_1_a_registered_credit_code_needs_a_reviewer_and_a_reason() {
    let app = spawn_app().await;
    let ops = ops(&app).await;
    let code = taken_code(&app, &ops).await;
    let me = applicant_with_licence(&app).await;
    let form = [
        ("credit_code", code.as_str()),
        ("enterprise_name", "重复代码公司"),
    ];

    // Refused, with its own rule, and nothing is submitted.
    let res = save(&app, &me, "submit", &form).await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        field_rules(&json(res).await),
        vec![(
            "credit_code".to_string(),
            "credit_code_registered".to_string()
        )]
    );
    let mine = json(app.call_as(&me, "my_application", &[]).await).await;
    assert_eq!(mine["status"], "draft");
    // The applicant is not told which enterprise holds it.
    assert_eq!(mine["duplicates"]["registered"], serde_json::json!([]));

    // Asking the holder's admin to invite them: the platform tells the admin through the
    // outbox; the applicant learns only that it was done. Three a day at most.
    let emails = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE channel = 'email'")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
    };
    let outbox = emails().await;
    let told = json(
        app.call_as(&me, "request_to_join", &[("credit_code", &code)])
            .await,
    )
    .await;
    assert_eq!(told, 1);
    assert_eq!(emails().await, outbox + 1);
    // (The registration's e-mail may share the manual clock's millisecond: count by purpose.)
    let joins: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND purpose = 'join_request'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(joins, 1);
    let body = "91350100M00088888";
    let free = format!(
        "{body}{}",
        app::model::credit_code::check_char(body.as_bytes()).unwrap() as char
    );
    let res = app
        .call_as(&me, "request_to_join", &[("credit_code", &free)])
        .await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("credit_code".to_string(), "not_registered".to_string())]
    );
    for _ in 0..2 {
        let res = app
            .call_as(&me, "request_to_join", &[("credit_code", &code)])
            .await;
        assert!(res.status().is_success());
    }
    let res = app
        .call_as(&me, "request_to_join", &[("credit_code", &code)])
        .await;
    assert_eq!(res.status(), 429);
    assert_eq!(emails().await, outbox + 3);

    // Asking a reviewer to check submits it; the queue flags it and names the holder.
    let asked = [form[0], form[1], ("duplicate_review", "on")];
    assert!(save(&app, &me, "submit", &asked)
        .await
        .status()
        .is_success());
    let queue = json(app.call_as(&ops, "review_queue", &[]).await).await;
    let item = queued(&queue, "重复代码公司");
    assert_eq!(
        item["duplicates"]["registered"],
        serde_json::json!(["演示科技有限公司"])
    );
    let id = item["id"].as_str().unwrap().to_string();

    // Approving needs a reason; with one, the second account opens and the reason is kept.
    let res = decide(&app, &ops, &id, "approve", "", "").await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("override_reason".to_string(), "required".to_string())]
    );
    let done = json(
        decide(
            &app,
            &ops,
            &id,
            "approve",
            "",
            "同一法人运营两个平台，已核实",
        )
        .await,
    )
    .await;
    assert_eq!(done["status"], "approved");
    assert_eq!(done["enterprise_name"], "重复代码公司");
    assert!(done["notified"].as_str().unwrap().contains("***"), "{done}");
    let view = json(
        app.call_as(&ops, "review_application", &[("id", &id)])
            .await,
    )
    .await;
    assert_eq!(view["override_reason"], "同一法人运营两个平台，已核实");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM enterprises WHERE credit_code = $1")
        .bind(&code)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 2);
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'application.decide' AND target = $1",
    )
    .bind(format!("application:{id}"))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(
        detail.contains("registered to 演示科技有限公司"),
        "{detail}"
    );

    // Approved, it is not a duplicate of the account it opened itself.
    let approved = json(
        app.call_as(&ops, "review_queue", &[("status", "approved")])
            .await,
    )
    .await;
    assert_eq!(
        queued(&approved, "重复代码公司")["duplicates"]["registered"],
        serde_json::json!(["演示科技有限公司"])
    );

    // A bank credit assigned by that credit code is ambiguous now: the receiving account
    // number must name the enterprise.
    let mut credit = vec![
        ("bank_ref", "AMBIGUOUS-1"),
        ("value_date", "2026-11-29"),
        ("payer_name", "付款企业"),
        ("payer_account", "6225880012345678"),
        ("receiving_account_no", "9558800000000000001"),
        ("amount", "10"),
        ("bank_fee", ""),
    ];
    credit.push(("confirm", "yes"));
    let queued_credit = json(app.call_as(&ops, "record_credit", &credit).await).await;
    assert!(queued_credit["Unmatched"].is_object(), "{queued_credit}");
    let list = json(
        app.call_as(&ops, "list_credits", &[("unmatched_only", "true")])
            .await,
    )
    .await;
    let credit_id = list[0]["id"].as_str().unwrap().to_string();
    let res = app
        .call_as(
            &ops,
            "assign_credit",
            &[("id", &credit_id), ("enterprise", &code)],
        )
        .await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("enterprise".to_string(), "ambiguous".to_string())]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_1_two_waiting_applications_with_one_code_are_flagged() {
    let app = spawn_app().await;
    let ops = ops(&app).await;
    let body = "91350100M00077777";
    let code = format!(
        "{body}{}",
        app::model::credit_code::check_char(body.as_bytes()).unwrap() as char
    );
    for name in ["甲申请", "乙申请"] {
        let me = applicant_with_licence(&app).await;
        let form = [("credit_code", code.as_str()), ("enterprise_name", name)];
        let res = save(&app, &me, "submit", &form).await;
        assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    }
    let queue = json(app.call_as(&ops, "review_queue", &[]).await).await;
    for name in ["甲申请", "乙申请"] {
        let item = queued(&queue, name);
        assert_eq!(item["duplicates"]["pending"], 1, "{item}");
        assert_eq!(item["duplicates"]["registered"], serde_json::json!([]));
    }
    // Once one is approved, the other needs a reason too.
    let first = queued(&queue, "甲申请")["id"].as_str().unwrap().to_string();
    let second = queued(&queue, "乙申请")["id"].as_str().unwrap().to_string();
    assert!(decide(&app, &ops, &first, "approve", "", "")
        .await
        .status()
        .is_success());
    let res = decide(&app, &ops, &second, "approve", "", "").await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("override_reason".to_string(), "required".to_string())]
    );
}
