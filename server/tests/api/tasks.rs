//! The task library (issue 18 §1, P1.1.6) on both engines: drafts, sending for review with
//! every field, forbidden terms flagging (never deciding), the reviewers' decisions told to the
//! publisher, only approved tasks open, closing by the enterprise and by the end date, the
//! `tasks` permission, and another enterprise's tasks out of reach.

use crate::helpers::{field_rules, json, TestApp};
use app::backend::clock::Clock;
use serde_json::Value;

const DAY_MS: i64 = 86_400_000;

/// A complete task form (per unit, in 福州), ending `days` after today.
pub fn task_form(title: &str, days: i64, app: &TestApp) -> Vec<(&'static str, String)> {
    let today = app.clock.now();
    let end = app::model::UtcMillis(today.0 + days * DAY_MS).china_date();
    vec![
        ("id", String::new()),
        ("key", app::backend::ids::new_id()),
        ("intent", "submit".into()),
        ("title", title.into()),
        ("description", "午间高峰配送餐食，每单 3 公里以内。".into()),
        ("category", "配送".into()),
        ("city", "福州".into()),
        ("pay_kind", "per_unit".into()),
        ("unit_price", "8.50".into()),
        ("units", "200".into()),
        ("budget", String::new()),
        ("workers", "5".into()),
        ("starts_on", today.china_date()),
        ("ends_on", end),
    ]
}

pub async fn save(app: &TestApp, cookie: &str, form: &[(&str, String)]) -> reqwest::Response {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call_as(cookie, "save_task", &form).await
}

fn set(form: &mut [(&'static str, String)], key: &str, value: &str) {
    if let Some(f) = form.iter_mut().find(|(k, _)| *k == key) {
        f.1 = value.to_string();
    }
}

async fn mine(app: &TestApp, cookie: &str) -> Vec<Value> {
    json(app.call_as(cookie, "my_tasks", &[]).await).await["tasks"]
        .as_array()
        .unwrap()
        .clone()
}

async fn decide(
    app: &TestApp,
    ops: &str,
    id: &str,
    decision: &str,
    note: &str,
) -> reqwest::Response {
    app.call_as(
        ops,
        "decide_task",
        &[("id", id), ("decision", decision), ("note", note)],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_6_a_task_through_drafts_review_and_closing() {
    let app = crate::helpers::spawn_app_with(&["--task-forbidden-terms", "刷单;赌博"]).await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "任务企业", "").await;

    // A draft needs only its title; what is given is still checked.
    let mut draft = task_form("先存个草稿", 30, &app);
    for (k, v) in draft.iter_mut() {
        if !matches!(*k, "key" | "title") {
            v.clear();
        }
    }
    set(&mut draft, "intent", "draft");
    set(&mut draft, "category", "赌场");
    let res = save(&app, &ent.cookie, &draft).await;
    assert_eq!(
        field_rules(&json(res).await),
        [("category".into(), "format".into())]
    );
    set(&mut draft, "category", "");
    let res = save(&app, &ent.cookie, &draft).await;
    assert_eq!(res.status(), 200);
    let id: String = res.json().await.unwrap();
    // The same form again: the same task (its newer content while it is a draft).
    let again: String = save(&app, &ent.cookie, &draft).await.json().await.unwrap();
    assert_eq!(again, id);
    let list = mine(&app, &ent.cookie).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["status"], "draft");

    // Sending it for review needs every field.
    let mut form = task_form("同城配送员", 30, &app);
    set(&mut form, "id", &id);
    set(&mut form, "description", "");
    let res = save(&app, &ent.cookie, &form).await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        field_rules(&json(res).await),
        [("description".into(), "required".into())]
    );
    set(&mut form, "description", "高薪刷单，日结。配送餐食。");
    let res = save(&app, &ent.cookie, &form).await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let t = &mine(&app, &ent.cookie).await[0];
    assert_eq!(t["status"], "in_review");
    assert_eq!(t["task"]["budget"], 170_000);
    // Which terms matched is the reviewers' alone.
    assert_eq!(t["flags"], serde_json::json!([]));
    // In review it cannot be changed, nor closed.
    let res = save(&app, &ent.cookie, &form).await;
    assert_eq!(json(res).await["detail"], "task_moved_on");
    let res = app.call_as(&ent.cookie, "close_task", &[("id", &id)]).await;
    assert_eq!(json(res).await["detail"], "task_moved_on");

    // The reviewer sees it flagged (never decided by the flag), asks for changes with a reason.
    let queue = json(
        app.call_as(&ops, "task_review_queue", &[("status", "")])
            .await,
    )
    .await;
    let item = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id.as_str())
        .unwrap()
        .clone();
    assert_eq!(item["flags"], serde_json::json!(["刷单"]));
    assert_eq!(item["status"], "in_review");
    let res = decide(&app, &ops, &id, "ask_changes", " ").await;
    assert_eq!(
        field_rules(&json(res).await),
        [("note".into(), "required".into())]
    );
    let res = decide(&app, &ops, &id, "ask_changes", "请删除“刷单”字样").await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.audit_count("task.ask_changes").await, 1);
    let t = &mine(&app, &ent.cookie).await[0];
    assert_eq!(
        (t["status"].as_str(), t["review_note"].as_str()),
        (Some("changes_requested"), Some("请删除“刷单”字样"))
    );
    let inbox = json(app.call_as(&ent.cookie, "my_inbox", &[]).await)
        .await
        .to_string();
    assert!(
        inbox.contains("任务审核：需要修改后重新提交") && inbox.contains("请删除"),
        "{inbox}"
    );

    // Changed and sent again: approved, open; a second decision finds it moved on.
    set(&mut form, "description", "午间配送餐食，日结。");
    assert_eq!(save(&app, &ent.cookie, &form).await.status(), 200);
    assert_eq!(mine(&app, &ent.cookie).await[0]["status"], "in_review");
    let queue = json(
        app.call_as(&ops, "task_review_queue", &[("status", "")])
            .await,
    )
    .await;
    assert_eq!(queue[0]["flags"], serde_json::json!([]), "{queue}");
    // The reviewers list no drafts; a decision must be one of three.
    let res = app
        .call_as(&ops, "task_review_queue", &[("status", "draft")])
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(decide(&app, &ops, &id, "maybe", "").await.status(), 422);
    // The reason stays in the audit trail.
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'task.ask_changes' AND detail LIKE '%请删除%'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);
    assert_eq!(decide(&app, &ops, &id, "approve", "").await.status(), 200);
    let res = decide(&app, &ops, &id, "reject", "晚了").await;
    assert_eq!(json(res).await["detail"], "task_moved_on");
    assert_eq!(mine(&app, &ent.cookie).await[0]["status"], "open");
    let inbox = json(app.call_as(&ent.cookie, "my_inbox", &[]).await)
        .await
        .to_string();
    assert!(inbox.contains("已通过审核"), "{inbox}");

    // The enterprise closes it.
    let res = app.call_as(&ent.cookie, "close_task", &[("id", &id)]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(mine(&app, &ent.cookie).await[0]["status"], "closed");
    assert_eq!(app.audit_count("task.close").await, 1);

    // Another is rejected with its reason; its form sent again is the same task, and other
    // content under that key is refused.
    let mut design = task_form("网站设计", 10, &app);
    let other: String = save(&app, &ent.cookie, &design).await.json().await.unwrap();
    let repeat: String = save(&app, &ent.cookie, &design).await.json().await.unwrap();
    assert_eq!(repeat, other);
    set(&mut design, "title", "另一个任务");
    let res = save(&app, &ent.cookie, &design).await;
    assert_eq!(json(res).await["detail"], "key_reused");
    assert_eq!(
        decide(&app, &ops, &other, "reject", "不属于平台服务范围")
            .await
            .status(),
        200
    );
    let list = mine(&app, &ent.cookie).await;
    let rejected = list.iter().find(|t| t["id"] == other.as_str()).unwrap();
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["review_note"], "不属于平台服务范围");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_6_open_tasks_close_after_their_end_date() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "到期企业", "").await;
    let short: String = save(&app, &ent.cookie, &task_form("短期任务", 1, &app))
        .await
        .json()
        .await
        .unwrap();
    let long: String = save(&app, &ent.cookie, &task_form("长期任务", 30, &app))
        .await
        .json()
        .await
        .unwrap();
    for id in [&short, &long] {
        assert_eq!(decide(&app, &ops, id, "approve", "").await.status(), 200);
    }
    // One left in review past its end date is not opened (it would close at once).
    let late: String = save(&app, &ent.cookie, &task_form("迟审任务", 1, &app))
        .await
        .json()
        .await
        .unwrap();
    // The end date itself is still open; the day after, the short task closes (and its
    // publisher is told); the long one stays open.
    app.clock.advance_ms(DAY_MS);
    server::jobs::housekeeping(&app.state).await.unwrap();
    let status = |id: String| {
        let pool = app.db.pool().clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT status FROM tasks WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(status(short.clone()).await, "open");
    app.clock.advance_ms(DAY_MS);
    server::jobs::housekeeping(&app.state).await.unwrap();
    assert_eq!(status(short.clone()).await, "closed");
    assert_eq!(status(long.clone()).await, "open");
    let ops = app.finance().await;
    let res = decide(&app, &ops, &late, "approve", "").await;
    assert_eq!(json(res).await["detail"], "task_ended");
    assert_eq!(status(late.clone()).await, "in_review");
    assert_eq!(
        decide(&app, &ops, &late, "ask_changes", "请修改日期")
            .await
            .status(),
        200
    );
    let cookie = app.login(&ent.mobile, crate::helpers::APPLICANT_PW).await;
    let inbox = json(app.call_as(&cookie, "my_inbox", &[]).await)
        .await
        .to_string();
    assert!(inbox.contains("已过结束日期"), "{inbox}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_6_the_tasks_permission_and_other_enterprises() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let a = app.funded_enterprise(&ops, "甲任务企业", "").await;
    let b = app.funded_enterprise(&ops, "乙任务企业", "").await;
    let id: String = save(&app, &a.cookie, &task_form("甲的任务", 10, &app))
        .await
        .json()
        .await
        .unwrap();
    // B finds nothing of A's: not its page, not a change, not a close.
    assert_eq!(
        app.call_as(&b.cookie, "task", &[("id", &id)])
            .await
            .status(),
        404
    );
    let mut form = task_form("乙改甲", 10, &app);
    set(&mut form, "id", &id);
    assert_eq!(save(&app, &b.cookie, &form).await.status(), 404);
    assert!(mine(&app, &b.cookie).await.is_empty());
    // A's title is unchanged.
    let t = json(app.call_as(&a.cookie, "task", &[("id", &id)]).await).await;
    assert_eq!(t["task"]["task"]["title"], "甲的任务");
    // A member without the tasks permission is refused; an enterprise user cannot review.
    let member = crate::rights_deletion::member(&app, &a.cookie, "no.tasks@example.com").await;
    assert_eq!(app.call_as(&member, "my_tasks", &[]).await.status(), 403);
    assert_eq!(
        decide(&app, &a.cookie, &id, "approve", "").await.status(),
        401
    );
}
