//! New versions of the worker service agreement (issue 18 §2, P6.1; the agreement's §6: "when
//! the platform changes this agreement it publishes a new version and tells you; a new version
//! applies once you sign it") on both engines: the privacy officer's checks (newer label, both
//! texts, a change), the texts to the workers whose signature in force is of an earlier version
//! (and to no one else), the earlier signature standing until they sign the new one on their
//! own link, the enterprise's view of it, and the audit.

use crate::helpers::{field_rules, json, TestApp};
use crate::signing::{link_token, sign_up_worker};
use crate::task_completions::{open_task, record, LI, ZHANG};
use serde_json::Value;

async fn versions(app: &TestApp, ops: &str) -> Value {
    json(app.call_as(ops, "agreement_versions", &[]).await).await
}

async fn publish(app: &TestApp, ops: &str, version: &str, zh: &str, en: &str) -> reqwest::Response {
    let form = [("version", version), ("content_zh", zh), ("content_en", en)];
    app.call_as(ops, "publish_agreement", &form).await
}

fn worker<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .expect("workers")
        .iter()
        .find(|w| w["name"] == name)
        .expect("the worker")
}

const ZH: &str =
    "灵活用工服务协议（1.1 版）\n\n一、协议双方。……\n\n九、新增条款：任务验收争议先经平台调解。";
const EN: &str = "Worker Service Agreement (version 1.1)\n\n1. Parties. …\n\n9. New: disputes over acceptance are first mediated by the platform.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_1_a_new_agreement_version_is_texted_to_signed_workers_and_applies_once_signed() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "协议企业", "").await;
    let task = open_task(&app, &ops, &ent, "协议任务", None).await;
    for w in [("张三", ZHANG), ("李四", LI)] {
        let res = record(
            &app,
            &ent.cookie,
            &task,
            (w.0, w.1, "bank", "6222021234561234"),
            "1",
            "",
            "",
        )
        .await;
        assert_eq!(res.status(), 200);
    }
    let zhang = sign_up_worker(&app, &ent.cookie, "张三", "13900000011").await;
    let before = versions(&app, &ops).await;
    assert_eq!(before["signed_workers"], 1);
    assert_eq!(before["versions"][0]["version"], "1.0");
    assert_eq!(before["versions"][0]["signed"], 1);

    // Bad versions are refused field by field, and nothing is written.
    let (zh10, en10) = (
        before["versions"][0]["content_zh"]
            .as_str()
            .unwrap()
            .to_string(),
        before["versions"][0]["content_en"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    let cases = [
        ("1.0", ZH, EN, ("version", "not_newer")),
        ("v1.1", ZH, EN, ("version", "format")),
        ("1.1", " ", EN, ("content_zh", "required")),
        ("1.1", &zh10, &en10, ("content_zh", "unchanged")),
    ];
    for (version, zh, en, (field, rule)) in cases {
        let res = publish(&app, &ops, version, zh, en).await;
        assert_eq!(res.status(), 422, "{version}");
        let wanted = vec![(field.to_string(), rule.to_string())];
        assert_eq!(field_rules(&json(res).await), wanted);
    }
    assert_eq!(
        versions(&app, &ops).await["versions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(app.audit_count("worker_agreement.publish").await, 0);

    // Published: the signed worker is texted a link of their own; the unsigned one is not.
    let res = publish(&app, &ops, "1.1", ZH, EN).await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await, 1);
    assert_eq!(app.audit_count("worker_agreement.publish").await, 1);
    app.deliver_all().await;
    let text = app
        .mailbox_body("the new version's text", |m| {
            m["recipient"] == "13900000011"
                && m["body"].as_str().unwrap_or("").contains("已更新为1.1版")
        })
        .await;
    assert!(
        text.contains("协议企业") && text.contains("/sign/"),
        "{text}"
    );
    let token = link_token(&app, "13900000011").await;
    let notices: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT worker_id, created_by FROM worker_sign_invites WHERE notice_for IS NOT NULL",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(notices, vec![(zhang.clone(), None)]);

    // Until they sign it, the earlier signature stands; the enterprise sees it is an earlier one
    // and may invite them again.
    let workers = json(app.call_as(&ent.cookie, "workers", &[]).await).await;
    let w = worker(&workers, "张三");
    assert_eq!(
        (w["signing"].as_str(), w["signed_version"].as_str()),
        (Some("signed"), Some("1.0"))
    );
    assert_eq!(w["signed_earlier"], true);
    assert_eq!(worker(&workers, "李四")["signed_earlier"], false);
    let res = app
        .call_as(&ent.cookie, "invite_worker", &[("id", &zhang)])
        .await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );

    // The phone's page shows the new version and the one they signed.
    let ask = json(
        app.call("signing_view", &[("token", &token), ("lang", "zh-CN")])
            .await,
    )
    .await;
    let ask = &ask["Ask"];
    assert_eq!(
        (ask["version"].as_str(), ask["earlier"].as_str()),
        (Some("1.1"), Some("1.0"))
    );
    assert!(ask["content"].as_str().unwrap().contains("新增条款"));

    // Signing the version read: the new signature is in force, the history keeps both.
    app.clock.advance_ms(61_000);
    assert_eq!(
        app.call("send_signing_code", &[("token", &token)])
            .await
            .status(),
        200
    );
    let code = app.code_sent_to("13900000011").await;
    let form = [
        ("token", token.as_str()),
        ("code", code.as_str()),
        ("agree", "on"),
        ("version", "1.1"),
    ];
    let signed = json(app.call("sign_agreement", &form).await).await;
    assert_eq!(signed["Signed"]["version"], "1.1");
    let page = json(app.call_as(&ent.cookie, "worker", &[("id", &zhang)]).await).await;
    let history: Vec<&str> = page["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["version"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["1.1", "1.0"]);
    assert_eq!(page["worker"]["signed_earlier"], false);
    let res = app
        .call_as(&ent.cookie, "invite_worker", &[("id", &zhang)])
        .await;
    assert_eq!(json(res).await["detail"], "worker_signed");

    // The console's counts: who is on which version, who was texted, who published.
    let after = versions(&app, &ops).await;
    let v11 = &after["versions"][0];
    assert_eq!(
        (
            v11["version"].as_str(),
            v11["signed"].as_i64(),
            v11["told"].as_i64()
        ),
        (Some("1.1"), Some(1), Some(1))
    );
    assert!(!v11["published_by"].as_str().unwrap().is_empty());
    assert_eq!(v11["content_hash"].as_str().unwrap().len(), 64);
    assert_eq!(after["versions"][1]["signed"], 0);
    // A label written two ways is the same version.
    let res = publish(&app, &ops, "1.01", ZH, "changed").await;
    assert_eq!(res.status(), 422);
}
