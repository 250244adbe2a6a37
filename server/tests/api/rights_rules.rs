//! Rights requests (issue 16 §2), continued: the 15-day clock and the daily digest, refusals
//! and fees, enterprise-wide requests and withdrawal.

use crate::helpers::{field_rules, json, spawn_app, APPLICANT_PW};
use crate::rights::{actions, inbox_bodies, mine, officer, submit, submit_with, verify, DAY_MS};
use serde_json::Value;

/// P10.2: the clock on the manual clock — green, amber, red, overdue — and the privacy
/// office's daily digest, once a day.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p10_2_the_clock_and_the_daily_digest() {
    let app = spawn_app().await;
    // 10:00 China time, so that the digest is due today.
    let now = app::backend::clock::Clock::now(&*app.clock).0;
    let china = (now + 8 * 3_600_000).rem_euclid(DAY_MS);
    app.clock
        .advance_ms((10 * 3_600_000 - china).rem_euclid(DAY_MS));
    let (admin, mobile) = app.open_enterprise_login("时钟公司").await;
    let id = submit(&app, &admin, "complaint", "客服泄露了我的手机号").await;
    verify(&app, &admin, &mobile, &id).await;

    let due = |v: &Value| {
        (
            v["due"]["days_left"].as_i64().unwrap(),
            v["due"]["tone"].as_str().unwrap().to_string(),
        )
    };
    let queue_due = |q: Value| due(&q[0]);
    // Sessions end long before days pass: both sides log in again each time.
    app.clock.advance_ms(6 * DAY_MS);
    let ops = app.finance().await;
    let q = json(app.call_as(&ops, "privacy_request_queue", &[]).await).await;
    assert_eq!(queue_due(q), (9, "amber".into()));
    app.clock.advance_ms(5 * DAY_MS);
    let admin = app.login(&mobile, APPLICANT_PW).await;
    let d = mine(&app, &admin, &id).await;
    assert_eq!(due(&d["summary"]), (4, "red".into()));
    // The due date itself: red, "due today".
    app.clock.advance_ms(4 * DAY_MS);
    let ops = app.finance().await;
    let q = json(app.call_as(&ops, "privacy_request_queue", &[]).await).await;
    assert_eq!(queue_due(q), (0, "red".into()));
    // The next day: one day overdue.
    app.clock.advance_ms(DAY_MS);
    let ops = app.finance().await;
    let q = json(app.call_as(&ops, "privacy_request_queue", &[]).await).await;
    assert_eq!(queue_due(q), (-1, "overdue".into()));
    // A second request that waits for its code.
    let admin = app.login(&mobile, APPLICANT_PW).await;
    let later = submit(&app, &admin, "question", "还有一个问题").await;

    // The digest goes to the privacy office once today: one open (overdue), one unverified.
    server::jobs::housekeeping(&app.state).await.unwrap();
    server::jobs::housekeeping(&app.state).await.unwrap();
    app.deliver_all().await;
    let office = app.state.settings.privacy_office_email.as_str().to_string();
    let digest = app
        .mailbox_body("the digest", |m| m["recipient"] == office.as_str())
        .await;
    assert!(
        digest.contains("待处理的个人信息请求 1 个，其中已逾期 1 个"),
        "{digest}"
    );
    assert!(digest.contains("另有 1 个待申请人验证身份"), "{digest}");
    assert!(
        !digest.contains("客服泄露"),
        "no request's words in the digest"
    );
    let ops_mail = json(app.call_as(&ops, "dev_mailbox", &[]).await).await;
    let digests = ops_mail
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["recipient"] == office.as_str())
        .count();
    assert_eq!(digests, 1, "once a day");

    // A week later, that day's digest — the unverified one has lapsed by then.
    app.clock.advance_ms(8 * DAY_MS);
    server::jobs::housekeeping(&app.state).await.unwrap();
    app.deliver_all().await;
    let ops = app.finance().await;
    let mail = json(app.call_as(&ops, "dev_mailbox", &[]).await).await;
    let bodies: Vec<&str> = mail
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["recipient"] == office.as_str())
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies.len(), 2);
    assert!(
        bodies
            .iter()
            .any(|b| b.contains("其中已逾期 1 个") && b.contains("另有 0 个")),
        "{bodies:?}"
    );
    let admin = app.login(&mobile, APPLICANT_PW).await;
    let lapsed = mine(&app, &admin, &later).await;
    assert_eq!(lapsed["summary"]["status"], "lapsed");
    assert_eq!(actions(&lapsed).last().unwrap(), "lapsed");

    // The overdue complaint is answered at last: taken up, completed, told with its answer.
    for (step, fields) in [
        ("start_privacy_request", vec![("id", id.as_str())]),
        (
            "complete_privacy_request",
            vec![
                ("id", id.as_str()),
                ("answer", "已核实，涉事客服已停岗，向您致歉。"),
            ],
        ),
    ] {
        let res = app.call_as(&ops, step, &fields).await;
        assert_eq!(res.status(), 200, "{step}");
    }
    let d = mine(&app, &admin, &id).await;
    assert_eq!(d["summary"]["status"], "completed");
    assert_eq!(
        actions(&d),
        ["submitted", "code_sent", "verified", "started", "completed"]
    );
    assert!(inbox_bodies(&app, &admin)
        .await
        .iter()
        .any(|b| b.contains("涉事客服已停岗")));
}

/// P6.3, P6.5: a deletion names one of the five situations; a refusal names a reason that fits
/// the kind and explains it; a cost fee only beyond the free number of same-kind requests in
/// 12 months (2 here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_5_refusals_and_fees() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let (admin, mobile) = app.open_enterprise_login("拒绝公司").await;

    let key = app::backend::ids::new_id();
    let res = app
        .call_as(
            &admin,
            "submit_privacy_request",
            &[
                ("key", &key),
                ("kind", "deletion"),
                ("channel", "email"),
                ("password", APPLICANT_PW),
            ],
        )
        .await;
    assert_eq!(
        field_rules(&json(res).await),
        [("ground".into(), "required".into())]
    );
    let del = submit_with(
        &app,
        &admin,
        &[("kind", "deletion"), ("ground", "consent_withdrawn")],
    )
    .await;
    verify(&app, &admin, &mobile, &del).await;
    let question = submit(&app, &admin, "question", "问题").await;
    verify(&app, &admin, &mobile, &question).await;
    let complaint = submit(&app, &admin, "complaint", "同一投诉第三次提交").await;
    verify(&app, &admin, &mobile, &complaint).await;

    let refuse = |id: String, reason: &'static str, answer: &'static str| {
        let (app, ops) = (&app, &ops);
        async move {
            app.call_as(
                ops,
                "refuse_privacy_request",
                &[("id", &id), ("reason", reason), ("answer", answer)],
            )
            .await
        }
    };
    let res = refuse(question.clone(), "no_deletion_ground", "不适用").await;
    assert_eq!(
        field_rules(&json(res).await)[0].0,
        "reason",
        "only a deletion"
    );
    let res = refuse(del.clone(), "none_of_these", "x").await;
    assert_eq!(field_rules(&json(res).await)[0].0, "reason");
    let res = refuse(del.clone(), "legal_obligation", "").await;
    assert_eq!(field_rules(&json(res).await)[0].0, "answer");
    let res = refuse(
        del.clone(),
        "legal_obligation",
        "交易记录须依法保存 30 年，无法删除。",
    )
    .await;
    assert_eq!(res.status(), 200);
    let d = mine(&app, &admin, &del).await;
    assert_eq!(d["summary"]["status"], "refused");
    assert_eq!(d["refusal"], "legal_obligation");
    // A complaint may be refused too (a reason that fits it), and is then closed.
    let res = refuse(complaint.clone(), "repeated", "该投诉已于上月答复。").await;
    assert_eq!(res.status(), 200);
    let d = mine(&app, &admin, &complaint).await;
    assert_eq!(
        (d["summary"]["status"].as_str(), d["refusal"].as_str()),
        (Some("refused"), Some("repeated"))
    );
    let told = inbox_bodies(&app, &admin).await;
    assert!(
        told.iter()
            .any(|b| b.contains("与平台履行法律法规规定的义务相关") && b.contains("30 年")),
        "the reason and the explanation reach the requester: {told:?}"
    );

    // Fees: the first and second copies of the year are free; the third may carry a fee. A
    // copy never verified does not count. (An hour on: five codes an hour per person.)
    app.clock.advance_ms(61 * 60_000);
    let (ops, admin) = (app.finance().await, app.login(&mobile, APPLICANT_PW).await);
    submit(&app, &admin, "copy", "").await;
    let mut copies = vec![];
    for _ in 0..3 {
        let id = submit(&app, &admin, "copy", "").await;
        verify(&app, &admin, &mobile, &id).await;
        copies.push(id);
    }
    let fee = |id: String| {
        let (app, ops) = (&app, &ops);
        async move {
            app.call_as(
                ops,
                "mark_privacy_fee",
                &[("id", &id), ("fee_reason", "一年内第三次索取副本")],
            )
            .await
        }
    };
    assert_eq!(officer(&app, &ops, &copies[1]).await["fee_allowed"], false);
    assert_eq!(
        json(fee(copies[1].clone()).await).await["detail"],
        "fee_not_allowed"
    );
    let third = officer(&app, &ops, &copies[2]).await;
    assert_eq!(third["same_kind_in_year"], 3);
    assert_eq!(third["fee_allowed"], true);
    assert_eq!(fee(copies[2].clone()).await.status(), 200);
    assert_eq!(
        json(fee(copies[2].clone()).await).await["detail"],
        "already_done"
    );
    let d = mine(&app, &admin, &copies[2]).await;
    assert_eq!(d["fee_reason"], "一年内第三次索取副本");
    assert!(actions(&d).contains(&"fee_marked".to_string()));
    // A year later, a copy is free again.
    app.clock.advance_ms(366 * DAY_MS);
    let (ops, admin) = (app.finance().await, app.login(&mobile, APPLICANT_PW).await);
    let next = submit(&app, &admin, "copy", "").await;
    verify(&app, &admin, &mobile, &next).await;
    assert_eq!(officer(&app, &ops, &next).await["same_kind_in_year"], 1);
}

/// P6.5: enterprise-wide requests (a closure, a copy of the enterprise's data) are the
/// admin's; a member or an applicant asks about their own information only. A withdrawn
/// request can no longer be answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_5_enterprise_requests_need_the_admin_and_withdrawal_stops_a_request() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let (admin, mobile) = app.open_enterprise_login("企业请求公司").await;
    let applicant = app.register_unique().await;
    let page = json(app.call_as(&applicant, "my_privacy_requests", &[]).await).await;
    assert_eq!(page["may_ask_for_enterprise"], false);
    for fields in [
        [("kind", "closure"), ("scope", "enterprise")],
        [("kind", "copy"), ("scope", "enterprise")],
    ] {
        let key = app::backend::ids::new_id();
        let mut form = vec![
            ("key", key.as_str()),
            ("channel", "email"),
            ("password", APPLICANT_PW),
        ];
        form.extend_from_slice(&fields);
        let res = app
            .call_as(&applicant, "submit_privacy_request", &form)
            .await;
        assert_eq!(res.status(), 403, "{fields:?}");
    }
    let page = json(app.call_as(&admin, "my_privacy_requests", &[]).await).await;
    assert_eq!(page["may_ask_for_enterprise"], true);
    let closure = submit(&app, &admin, "closure", "").await;
    let d = mine(&app, &admin, &closure).await;
    assert_eq!(d["summary"]["scope"], "enterprise");
    verify(&app, &admin, &mobile, &closure).await;
    let res = app
        .call_as(&admin, "withdraw_privacy_request", &[("id", &closure)])
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .call_as(
            &ops,
            "complete_privacy_request",
            &[("id", &closure), ("answer", "已注销")],
        )
        .await;
    assert_eq!(json(res).await["detail"], "request_not_open");
    let d = mine(&app, &admin, &closure).await;
    assert_eq!(d["summary"]["status"], "withdrawn");
    assert_eq!(actions(&d).last().unwrap(), "withdrawn");
    // The closed queue shows it.
    let closed = json(
        app.call_as(&ops, "privacy_request_queue", &[("filter", "closed")])
            .await,
    )
    .await;
    assert_eq!(closed[0]["status"], "withdrawn");
}
