//! Completion records, their payment and the worker register (issue 18 §1–2, P1.1.6) on both
//! engines: recording (the budget and the units bound it), explicit acceptance, withdrawal, the
//! accepted records paid as a batch whose orders carry the task and the record, the batch
//! confirmed and paid, the task's money reconciled with the ledger, a failed payment paid again,
//! and workers de-duplicated by ID number through the blind index (from completion records and
//! from batch files).

use crate::helpers::{field_rules, json, Ent, TestApp};
use serde_json::Value;

pub const ZHANG: &str = "110105199001011232";
pub const LI: &str = "32010219850615201X";

/// Opens a task (per unit ¥8.50 × 200, or fixed `budget` yuan) of `ent`, approved by `ops`.
pub async fn open_task(
    app: &TestApp,
    ops: &str,
    ent: &Ent,
    title: &str,
    budget: Option<&str>,
) -> String {
    let mut form = crate::tasks::task_form(title, 30, app);
    if let Some(b) = budget {
        for (k, v) in form.iter_mut() {
            match *k {
                "pay_kind" => *v = "fixed".into(),
                "budget" => *v = b.into(),
                "unit_price" | "units" => v.clear(),
                _ => {}
            }
        }
    }
    let id: String = crate::tasks::save(app, &ent.cookie, &form)
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .call_as(
            ops,
            "decide_task",
            &[("id", &id), ("decision", "approve"), ("note", "")],
        )
        .await;
    assert_eq!(res.status(), 200);
    id
}

/// Records a completion: `(name, id number, channel, account, quantity, milestone, amount)`.
pub async fn record(
    app: &TestApp,
    cookie: &str,
    task: &str,
    w: (&str, &str, &str, &str),
    quantity: &str,
    milestone: &str,
    amount: &str,
) -> reqwest::Response {
    let (name, id_number, channel, account) = w;
    app.call_as(
        cookie,
        "record_completion",
        &[
            ("task_id", task),
            ("name", name),
            ("id_number", id_number),
            ("mobile", "13900000011"),
            ("channel", channel),
            ("account", account),
            ("quantity", quantity),
            ("milestone", milestone),
            ("amount", amount),
        ],
    )
    .await
}

async fn step(app: &TestApp, cookie: &str, id: &str, step: &str) -> reqwest::Response {
    app.call_as(cookie, "completion_step", &[("id", id), ("step", step)])
        .await
}

async fn page(app: &TestApp, cookie: &str, task: &str) -> Value {
    json(app.call_as(cookie, "task", &[("id", task)]).await).await
}

fn conflict(body: &Value) -> &str {
    body["detail"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_6_completions_accepted_paid_as_a_batch_and_reconciled() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "完成记录企业", "1000").await;
    let task = open_task(&app, &ops, &ent, "同城配送", None).await;
    let zhang = ("张三", ZHANG, "bank", "6222021234561234");
    let li = ("李四", LI, "alipay", "13900000022");

    // Bad input: every field named, nothing written.
    let res = record(
        &app,
        &ent.cookie,
        &task,
        ("", "123", "bank", "12"),
        "0",
        "",
        "",
    )
    .await;
    assert_eq!(res.status(), 422);
    let rules = field_rules(&json(res).await);
    for f in ["name", "id_number", "account", "quantity"] {
        assert!(rules.iter().any(|(k, _)| k == f), "{f} in {rules:?}");
    }
    assert_eq!(app.count("workers").await, 0);

    // Per unit: the amount is the units done × ¥8.50, never typed.
    let res = record(&app, &ent.cookie, &task, zhang, "10", "", "9999").await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let first: String = res.json().await.unwrap();
    let second: String = record(&app, &ent.cookie, &task, li, "20", "第二周", "")
        .await
        .json()
        .await
        .unwrap();
    // 张三 again, paid to a wallet this time: the same worker with a second account.
    let third: String = record(
        &app,
        &ent.cookie,
        &task,
        ("张三", ZHANG, "alipay", "13900000033"),
        "5",
        "",
        "",
    )
    .await
    .json()
    .await
    .unwrap();
    // The units expected (200) bound the records: 35 recorded, 166 more is too many.
    let res = record(&app, &ent.cookie, &task, li, "166", "", "").await;
    assert_eq!(res.status(), 409);
    assert_eq!(conflict(&json(res).await), "over_budget");

    // Acceptance is explicit; a mistaken record is withdrawn and no longer counts.
    assert_eq!(
        step(&app, &ent.cookie, &first, "accept").await.status(),
        200
    );
    assert_eq!(
        step(&app, &ent.cookie, &second, "accept").await.status(),
        200
    );
    assert_eq!(
        step(&app, &ent.cookie, &third, "withdraw").await.status(),
        200
    );
    let res = step(&app, &ent.cookie, &third, "accept").await;
    assert_eq!(res.status(), 409);
    assert_eq!(conflict(&json(res).await), "completion_moved_on");
    let p = page(&app, &ent.cookie, &task).await;
    assert_eq!(p["money"]["recorded"], 8_500 + 17_000);
    assert_eq!(p["money"]["accepted"], 8_500 + 17_000);
    assert_eq!(p["money"]["paid"], 0);
    let rows = p["completions"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!(row(&first)["amount"], 8_500);
    assert_eq!(row(&first)["status"], "accepted");
    assert_eq!(row(&first)["id_masked"], "110***********1232");
    assert_eq!(row(&third)["status"], "withdrawn");

    // The accepted records become one batch awaiting confirmation; a second click pays nothing.
    let res = app
        .call_as(&ent.cookie, "pay_completions", &[("task_id", &task)])
        .await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let batch = json(res).await;
    assert_eq!(
        (batch["order_count"].as_i64(), batch["status"].as_str()),
        (Some(2), Some("awaiting_confirmation"))
    );
    assert_eq!(batch["total_amount"], 25_500);
    let res = app
        .call_as(&ent.cookie, "pay_completions", &[("task_id", &task)])
        .await;
    assert_eq!(res.status(), 409);
    assert_eq!(conflict(&json(res).await), "nothing_to_pay");
    // Each order carries its task and its record.
    let batch_id = batch["id"].as_str().unwrap();
    let orders = json(
        app.call_as(
            &ent.cookie,
            "list_orders",
            &[("status", ""), ("batch", batch_id), ("cursor", "")],
        )
        .await,
    )
    .await;
    let orders = orders["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 2);
    for o in orders {
        assert_eq!(o["task_id"], task.as_str());
        assert!([first.as_str(), second.as_str()].contains(&o["completion_id"].as_str().unwrap()));
        assert_eq!(o["project"], "同城配送");
    }

    // The existing confirmation reserves and pays it.
    let res = app
        .call_as(
            &ent.cookie,
            "decide_batch",
            &[("id", batch_id), ("confirm", "true")],
        )
        .await;
    assert_eq!(res.status(), 200);
    app.payouts(0).await;
    assert_eq!(app.payouts(5_000).await.paid, 2);
    let p = page(&app, &ent.cookie, &task).await;
    let m = &p["money"];
    assert_eq!(m["paid"], 25_500);
    assert!(
        m["ledger_gross"].as_i64().unwrap() > 25_500,
        "the fee is in the gross: {m}"
    );
    assert_eq!(
        m["ledger_gross"], m["orders_gross"],
        "reconciled with the ledger"
    );
    for row in p["completions"].as_array().unwrap() {
        let paid = row["id"] != third.as_str();
        assert_eq!(row["order"][1] == "paid", paid, "{row}");
    }
    app.assert_ledger_clean().await;
    for (action, n) in [
        ("task.completion.record", 3),
        ("task.completion.accept", 2),
        ("task.completion.withdraw", 1),
        ("task.pay", 1),
    ] {
        assert_eq!(app.audit_count(action).await, n, "{action}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_6_a_fixed_budget_bounds_records_and_a_failed_payment_is_paid_again() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "固定预算企业", "500").await;
    let task = open_task(&app, &ops, &ent, "门店盘点", Some("100")).await;
    // A task still in review takes no records.
    let form = crate::tasks::task_form("待审任务", 30, &app);
    let waiting: String = crate::tasks::save(&app, &ent.cookie, &form)
        .await
        .json()
        .await
        .unwrap();
    let frozen = ("王五", ZHANG, "bank", "6222021234560002");
    let res = record(&app, &ent.cookie, &waiting, frozen, "1", "", "").await;
    assert_eq!(conflict(&json(res).await), "task_not_open");

    // Fixed: a milestone and its amount; the budget (¥100) bounds the sum.
    let res = record(&app, &ent.cookie, &task, frozen, "", "", "").await;
    assert_eq!(
        field_rules(&json(res).await),
        [
            ("milestone".into(), "required".into()),
            ("amount".into(), "required".into())
        ]
    );
    let a: String = record(&app, &ent.cookie, &task, frozen, "", "第一阶段", "60")
        .await
        .json()
        .await
        .unwrap();
    let res = record(&app, &ent.cookie, &task, frozen, "", "第二阶段", "40.01").await;
    assert_eq!(conflict(&json(res).await), "over_budget");
    assert_eq!(
        record(&app, &ent.cookie, &task, frozen, "", "第二阶段", "40")
            .await
            .status(),
        200
    );
    assert_eq!(step(&app, &ent.cookie, &a, "accept").await.status(), 200);

    // The card is frozen: the payment fails, and the record may be paid again.
    let batch = json(
        app.call_as(&ent.cookie, "pay_completions", &[("task_id", &task)])
            .await,
    )
    .await;
    assert_eq!(batch["order_count"], 1);
    let id = batch["id"].as_str().unwrap().to_string();
    app.call_as(
        &ent.cookie,
        "decide_batch",
        &[("id", &id), ("confirm", "true")],
    )
    .await;
    app.payouts(0).await;
    assert_eq!(app.payouts(5_000).await.failed, 1);
    let p = page(&app, &ent.cookie, &task).await;
    let rows = p["completions"].as_array().unwrap();
    let paid = rows.iter().find(|r| r["id"] == a.as_str()).unwrap();
    assert_eq!(paid["order"][1], "failed");
    assert_eq!(p["money"]["paid"], 0);
    assert_eq!(p["money"]["ledger_gross"], 0);
    let again = json(
        app.call_as(&ent.cookie, "pay_completions", &[("task_id", &task)])
            .await,
    )
    .await;
    assert_eq!(again["order_count"], 1, "{again}");
    assert_ne!(again["id"], batch["id"]);
    app.assert_ledger_clean().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_1_workers_are_one_per_id_number_through_the_blind_index() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "名册企业", "").await;
    let other = app.funded_enterprise(&ops, "另一企业", "").await;
    let task = open_task(&app, &ops, &ent, "名册任务", None).await;
    record(
        &app,
        &ent.cookie,
        &task,
        ("张三", ZHANG, "bank", "6222021234561234"),
        "1",
        "",
        "",
    )
    .await;
    record(
        &app,
        &ent.cookie,
        &task,
        ("张三丰", ZHANG, "bank", "6222 0212 3456 1234"),
        "1",
        "",
        "",
    )
    .await;
    record(
        &app,
        &ent.cookie,
        &task,
        ("李四", LI, "wechat", "wx_openid_li"),
        "1",
        "",
        "",
    )
    .await;
    // A batch file naming 张三 (lower-case x is the same number) and a new worker.
    let csv = format!(
        "{}B-1,张三,{},alipay,13900000033,13800000003,12.00,劳务费,\r\nB-2,赵六,11010519491231002x,bank,6222021234569999,13800000004,5.00,劳务费,\r\n",
        app::model::orders::batch_template(app::i18n::Lang::ZhCn, false),
        ZHANG.to_lowercase()
    );
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("b.csv"),
    );
    let res = app
        .client
        .post(app.url("/api/upload_batch"))
        .header("accept", "application/json")
        .header("cookie", &ent.cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    // The other enterprise's register is its own, even for the same person.
    let t2 = open_task(&app, &ops, &other, "另一任务", None).await;
    record(
        &app,
        &other.cookie,
        &t2,
        ("张三", ZHANG, "bank", "6222021234561234"),
        "1",
        "",
        "",
    )
    .await;

    let workers = json(app.call_as(&ent.cookie, "workers", &[]).await).await;
    let workers = workers.as_array().unwrap();
    let names: Vec<&str> = workers
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    // By name: 张三 took the latest name given (the batch's), 赵六 came from the batch.
    assert_eq!(names, ["张三", "李四", "赵六"], "{workers:?}");
    let zhang = &workers[0];
    assert_eq!(
        zhang["accounts"].as_array().unwrap().len(),
        2,
        "the same card twice is one account"
    );
    assert_eq!(zhang["source"], "completion");
    assert_eq!(workers[2]["source"], "batch");
    assert_eq!(
        json(app.call_as(&other.cookie, "workers", &[]).await)
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // At rest: the number sealed, found by the keyed hash (the blind index) alone.
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id_number_enc, id_index FROM workers WHERE enterprise_id = $1")
            .bind(&ent.id)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(rows.len(), 3);
    let zhang_index = app.state.index.of("worker_id_number", ZHANG);
    assert_eq!(rows.iter().filter(|(_, i)| *i == zhang_index).count(), 1);
    for (enc, index) in rows {
        assert!(!enc.contains(ZHANG) && !enc.contains("1232"));
        assert!(!index.contains("1101") && index.len() == 64);
    }
}
