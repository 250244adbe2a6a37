//! Security incidents (P5.5): the record and its timeline, notifying exactly the affected
//! people (every login person of the affected enterprises, nobody else) once and after the
//! officer confirmed the number, the result per person, and the public notice.

use crate::helpers::{json, spawn_app, TestApp};

async fn credit_code(app: &TestApp, admin: &str) -> String {
    json(app.call_as(admin, "business_info", &[]).await).await["credit_code"]
        .as_str()
        .unwrap()
        .to_string()
}

fn record(codes: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("title_zh", "测试事件"),
        ("title_en", "Test incident"),
        ("what_happened", "一台备份服务器的访问日志显示异常下载。"),
        ("discovered_at", "2026-11-30T09:30"),
        ("impact", "登录人员的姓名和手机号可能外泄。"),
        ("measures", "已吊销相关凭据并加固访问控制。"),
        ("advice_zh", "请警惕冒充平台的电话和短信。"),
        (
            "advice_en",
            "Beware of calls and texts pretending to be the platform.",
        ),
        ("remedies", "免费提供一年的身份保护服务。"),
        ("reported_at", ""),
        ("enterprises", codes),
    ]
}

async fn inbox_titles(app: &TestApp, cookie: &str) -> Vec<String> {
    let inbox = json(app.call_as(cookie, "my_inbox", &[]).await).await;
    inbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["title"]["zh"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_5_incident_notices_reach_exactly_the_affected_people_once() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let hit = app.open_enterprise("受影响公司").await;
    let spared = app.open_enterprise("未受影响公司").await;
    let code = credit_code(&app, &hit).await;

    // Bad input is a field error; an unknown enterprise is named as such.
    let mut bad = record("91350100M000100Y43X");
    bad[4] = ("impact", "");
    let res = app.call_as(&ops, "save_incident", &bad).await;
    assert_eq!(res.status(), 422);
    let res = app
        .call_as(&ops, "save_incident", &record("91110000600037341L"))
        .await;
    assert_eq!(res.status(), 422, "a valid code with no account");

    let res = app.call_as(&ops, "save_incident", &record(&code)).await;
    assert!(res.status().is_success(), "{}", res.status());
    let list = json(app.call_as(&ops, "list_incidents", &[]).await).await;
    let id = list[0]["id"].as_str().unwrap().to_string();
    // A change is kept in the timeline.
    let mut changed = record(&code);
    changed[9] = ("reported_at", "2026-11-30T12:00");
    let mut form = vec![("id", id.as_str())];
    form.extend(changed.iter().copied());
    app.call_as(&ops, "save_incident", &form).await;
    let incident = json(app.call_as(&ops, "get_incident", &[("id", &id)]).await).await;
    assert_eq!(incident["affected"], 1);
    assert_eq!(incident["form"]["reported_at"], "2026-11-30T12:00");
    // The preview is the notice each person will get, in both languages.
    let preview = incident["notice_body"]["zh"].as_str().unwrap();
    assert!(
        preview.contains("发生了什么：一台备份服务器的访问日志显示异常下载。"),
        "{preview}"
    );
    assert!(incident["notice_body"]["en"]
        .as_str()
        .unwrap()
        .contains("What happened:"));
    let timeline = incident["timeline"].to_string();
    assert!(
        timeline.contains("recorded") && timeline.contains("reported_at"),
        "{timeline}"
    );
    // Saving again without a change adds nothing to the timeline.
    app.call_as(&ops, "save_incident", &form).await;
    let again = json(app.call_as(&ops, "get_incident", &[("id", &id)]).await).await;
    assert_eq!(again["timeline"], incident["timeline"]);

    // The texts of opening the enterprises go first (one a minute per number).
    app.deliver_all().await;
    app.clock.advance_ms(61_000);
    // The confirmed number must be the current one.
    let res = app
        .call_as(&ops, "notify_incident", &[("id", &id), ("expected", "5")])
        .await;
    assert_eq!(res.status(), 409);
    let res = app
        .call_as(&ops, "notify_incident", &[("id", &id), ("expected", "1")])
        .await;
    assert_eq!(json(res).await, 1);
    let res = app
        .call_as(&ops, "notify_incident", &[("id", &id), ("expected", "1")])
        .await;
    assert_eq!(res.status(), 409, "once only");
    app.deliver().await;

    assert!(inbox_titles(&app, &hit)
        .await
        .iter()
        .any(|t| t == "安全事件通知：测试事件"));
    assert!(!inbox_titles(&app, &spared)
        .await
        .iter()
        .any(|t| t.contains("测试事件")));
    let incident = json(app.call_as(&ops, "get_incident", &[("id", &id)]).await).await;
    let results = incident["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["in_site"], true);
    assert_eq!(results[0]["email"], "sent");
    assert_eq!(results[0]["sms"], "sent");
    // The e-mail carries the record's parts (the development mailbox shows it).
    let mail = json(app.call_as(&ops, "dev_mailbox", &[]).await).await;
    let body = mail
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["subject"] == "安全事件通知：测试事件" && m["channel"] == "email")
        .expect("the incident e-mail")["body"]
        .as_str()
        .unwrap()
        .to_string();
    for part in ["异常下载", "可能外泄", "吊销", "冒充", "身份保护"] {
        assert!(body.contains(part), "{part} in {body}");
    }

    // Someone who joins the affected enterprise afterwards is told by a second notice, which
    // goes to them only.
    assert_eq!(incident["untold"], 0);
    let created = json(
        app.call_as(
            &hit,
            "invite_member",
            &[
                ("name", "后来者"),
                ("mobile", "13300009999"),
                ("email", "later@example.com"),
                ("role", "member"),
            ],
        )
        .await,
    )
    .await;
    let token = created["link"]
        .as_str()
        .unwrap()
        .rsplit_once("/invite/")
        .unwrap()
        .1
        .to_string();
    let (privacy, terms) = app.current_policy_ids().await;
    let res = app
        .call(
            "accept_invite",
            &[
                ("token", token.as_str()),
                ("password", "Later-Pass-2026"),
                ("accept", "on"),
                ("privacy_version_id", &privacy),
                ("terms_version_id", &terms),
            ],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let incident = json(app.call_as(&ops, "get_incident", &[("id", &id)]).await).await;
    assert_eq!(
        (incident["affected"].as_u64(), incident["untold"].as_u64()),
        (Some(2), Some(1))
    );
    let res = app
        .call_as(&ops, "notify_incident", &[("id", &id), ("expected", "2")])
        .await;
    assert_eq!(
        res.status(),
        409,
        "the confirmed number must be the untold one"
    );
    let res = app
        .call_as(&ops, "notify_incident", &[("id", &id), ("expected", "1")])
        .await;
    assert_eq!(json(res).await, 1);
    let incident = json(app.call_as(&ops, "get_incident", &[("id", &id)]).await).await;
    assert_eq!(
        incident["results"].as_array().unwrap().len(),
        2,
        "each told once"
    );
    assert_eq!(incident["untold"], 0);
    let res = app
        .call_as(&ops, "notify_incident", &[("id", &id), ("expected", "0")])
        .await;
    assert_eq!(res.status(), 409);

    // The public notice, once, on the home page.
    let res = app.call_as(&ops, "announce_incident", &[("id", &id)]).await;
    assert_eq!(res.status(), 200);
    let res = app.call_as(&ops, "announce_incident", &[("id", &id)]).await;
    assert_eq!(res.status(), 409);
    let announced: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM announcements WHERE kind = 'incident'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(announced, 1, "the second publish made nothing");
    let home = json(app.call("announcements", &[("limit", "5")]).await).await;
    assert_eq!(home[0]["kind"], "incident");
    assert_eq!(home[0]["title"]["zh"], "测试事件");
    // One record, one edit (the save without a change is not one), two notices (the second to
    // the newcomer), one announcement.
    for (action, n) in [
        ("incident.record", 1),
        ("incident.edit", 1),
        ("incident.notify", 2),
        ("incident.announce", 1),
    ] {
        assert_eq!(app.audit_count(action).await, n, "{action}");
    }
}
