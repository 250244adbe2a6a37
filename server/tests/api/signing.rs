//! Signing the worker service agreement (issue 18 §2, P6.1) on both engines: the invitation's
//! text and link, the code by text (one a minute, five tries), the tick that must be given, the
//! record (version, time, method, truncated address, browser), the enterprise's view and its
//! release; and, with `--pay-signed-workers-only`, orders to unsigned payees suspended ("payee
//! not signed") until the payee signs, then reserved and paid.

use crate::helpers::{field_rules, json, TestApp};
use crate::task_completions::{open_task, record, LI, ZHANG};
use serde_json::Value;

fn conflict(body: &Value) -> String {
    body["detail"].as_str().unwrap_or_default().to_string()
}

/// The token of the newest signing link texted to `mobile`.
pub async fn link_token(app: &TestApp, mobile: &str) -> String {
    app.deliver_all().await;
    let body = app
        .mailbox_body("a signing link", |m| {
            m["recipient"] == mobile && m["body"].as_str().unwrap_or("").contains("/sign/")
        })
        .await;
    let at = body.find("/sign/").expect("the link") + "/sign/".len();
    body[at..at + 32].to_string()
}

async fn view(app: &TestApp, token: &str) -> Value {
    json(
        app.call("signing_view", &[("token", token), ("lang", "zh-CN")])
            .await,
    )
    .await
}

async fn sign(app: &TestApp, token: &str, code: &str, agree: bool) -> reqwest::Response {
    let mut form = vec![("token", token), ("code", code), ("version", "1.0")];
    if agree {
        form.push(("agree", "on"));
    }
    app.call("sign_agreement", &form).await
}

/// Invites worker `id` and asks for a code on the link texted to `mobile`: the link's token and
/// the code.
pub async fn invite_and_code(
    app: &TestApp,
    cookie: &str,
    id: &str,
    mobile: &str,
) -> (String, String) {
    let res = app.call_as(cookie, "invite_worker", &[("id", id)]).await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let token = link_token(app, mobile).await;
    let res = app.call("send_signing_code", &[("token", &token)]).await;
    assert_eq!(res.status(), 200);
    let code = app.code_sent_to(mobile).await;
    (token, code)
}

/// The enterprise's worker `name` (mobile `mobile`), invited and signed through the phone's
/// steps; their id.
pub async fn sign_up_worker(app: &TestApp, cookie: &str, name: &str, mobile: &str) -> String {
    let workers = json(app.call_as(cookie, "workers", &[]).await).await;
    let worker = workers
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == name);
    let id = worker.expect("the worker")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (token, code) = invite_and_code(app, cookie, &id, mobile).await;
    let res = sign(app, &token, &code, true).await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_1_a_worker_signs_by_text_code_and_the_enterprise_sees_and_releases_it() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "签约企业", "").await;
    let task = open_task(&app, &ops, &ent, "签约任务", None).await;
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
    let workers = json(app.call_as(&ent.cookie, "workers", &[]).await).await;
    let id = workers[0]["id"].as_str().unwrap().to_string();
    assert_eq!(workers[0]["signing"], "not_signed");

    // The invitation: a text naming the enterprise, with the link.
    assert_eq!(
        app.call_as(&ent.cookie, "invite_worker", &[("id", &id)])
            .await
            .status(),
        200
    );
    let token = link_token(&app, "13900000011").await;
    let ask = &view(&app, &token).await["Ask"];
    assert_eq!(ask["enterprise"], "签约企业");
    assert_eq!(ask["worker"], "张*");
    assert_eq!(ask["version"], "1.0");
    assert!(ask["content"]
        .as_str()
        .unwrap()
        .contains("灵活用工服务协议"));
    assert_eq!(ask["code_sent"], false);
    // A second invitation: the first still works; signing closes the other.
    app.clock.advance_ms(61_000);
    let res = app
        .call_as(&ent.cookie, "invite_worker", &[("id", &id)])
        .await;
    assert_eq!(res.status(), 200);
    let second = link_token(&app, "13900000011").await;
    assert_ne!(second, token);
    let en = json(
        app.call("signing_view", &[("token", &token), ("lang", "en")])
            .await,
    )
    .await;
    assert!(en["Ask"]["content"]
        .as_str()
        .unwrap()
        .starts_with("Worker Service Agreement"));

    // No code yet: nothing signs. One code a minute.
    assert_eq!(
        conflict(&json(sign(&app, &token, "123456", true).await).await),
        "signing_code_wrong"
    );
    assert_eq!(
        app.call("send_signing_code", &[("token", &token)])
            .await
            .status(),
        200
    );
    let res = app.call("send_signing_code", &[("token", &token)]).await;
    assert_eq!(conflict(&json(res).await), "signing_code_too_soon");
    let code = app.code_sent_to("13900000011").await;
    assert_eq!(view(&app, &token).await["Ask"]["code_sent"], true);

    // The box must be ticked; a wrong code takes a try.
    let res = sign(&app, &token, &code, false).await;
    assert_eq!(
        field_rules(&json(res).await),
        [("agree".into(), "must_accept".into())]
    );
    // What is signed is the version read: another one is refused, and takes no try.
    let form = [
        ("token", token.as_str()),
        ("code", code.as_str()),
        ("agree", "on"),
        ("version", "0.9"),
    ];
    let res = app.call("sign_agreement", &form).await;
    assert_eq!(conflict(&json(res).await), "agreement_changed");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(
        conflict(&json(sign(&app, &token, wrong, true).await).await),
        "signing_code_wrong"
    );
    let ask = &view(&app, &token).await["Ask"];
    assert_eq!(
        (ask["wrong_tries"].as_i64(), ask["tries_left"].as_i64()),
        (Some(1), Some(4))
    );

    // Signed: the link is used up, and the record is complete.
    let res = app
        .client
        .post(app.url("/api/sign_agreement"))
        .header("accept", "application/json")
        .header(
            "user-agent",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)",
        )
        .form(&[
            ("token", token.as_str()),
            ("code", code.as_str()),
            ("agree", "on"),
            ("version", "1.0"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await["Signed"]["version"], "1.0");
    assert_eq!(view(&app, &token).await["Signed"]["version"], "1.0");
    assert_eq!(
        conflict(&json(sign(&app, &token, &code, true).await).await),
        "signing_link_gone"
    );
    assert_eq!(view(&app, &second).await, "Gone");
    let page = json(app.call_as(&ent.cookie, "worker", &[("id", &id)]).await).await;
    assert_eq!(page["worker"]["signing"], "signed");
    let s = &page["signatures"][0];
    assert_eq!(
        (s["version"].as_str(), s["method"].as_str()),
        (Some("1.0"), Some("sms_code"))
    );
    assert_eq!(s["ip"], "127.0.0.0/24", "the address truncated");
    assert!(s["user_agent"].as_str().unwrap().contains("iPhone"));
    assert_eq!(page["invites"].as_array().unwrap().len(), 2);
    assert!(page["invites"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i[1] == true));
    assert_eq!(
        app.audit_count("worker.sign").await,
        3,
        "two refused tries and the signature"
    );

    // Signed: no invitation needed. Released with a reason, then invited again.
    let res = app
        .call_as(&ent.cookie, "invite_worker", &[("id", &id)])
        .await;
    assert_eq!(conflict(&json(res).await), "worker_signed");
    let res = app
        .call_as(
            &ent.cookie,
            "release_worker",
            &[("id", &id), ("reason", "")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .call_as(
            &ent.cookie,
            "release_worker",
            &[("id", &id), ("reason", "项目结束")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let page = json(app.call_as(&ent.cookie, "worker", &[("id", &id)]).await).await;
    assert_eq!(page["worker"]["signing"], "released");
    assert_eq!(page["signatures"][0]["release_reason"], "项目结束");
    let res = app
        .call_as(
            &ent.cookie,
            "release_worker",
            &[("id", &id), ("reason", "再次")],
        )
        .await;
    assert_eq!(conflict(&json(res).await), "worker_not_signed");

    // A new link: five wrong codes and even the right one no longer works.
    app.clock.advance_ms(61_000);
    let (token, code) = invite_and_code(&app, &ent.cookie, &id, "13900000011").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        sign(&app, &token, wrong, true).await;
    }
    assert_eq!(
        conflict(&json(sign(&app, &token, &code, true).await).await),
        "signing_code_wrong"
    );
    assert_eq!(view(&app, &token).await["Ask"]["tries_left"], 0);

    // The operator's look from the enterprise view shows the history, and is audited.
    let ops_view = json(
        app.call_as(&ops, "enterprise_workers", &[("enterprise_id", &ent.id)])
            .await,
    )
    .await;
    assert_eq!(ops_view[0]["signatures"][0]["version"], "1.0");
    assert_eq!(app.audit_count("enterprise.workers.view").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_1_orders_to_unsigned_payees_wait_until_they_sign() {
    let app = crate::helpers::spawn_app_with(&["--pay-signed-workers-only"]).await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "只付已签约", "1000").await;

    // A single order to a payee who never signed: suspended, nothing reserved; retry refused.
    let form = crate::helpers::order_form("U-1", "bank", "6222021234561234", "100");
    let res = json(app.call_as(&ent.cookie, "create_order", &form).await).await;
    let order = &res["order"];
    assert_eq!(
        (order["status"].as_str(), order["reason"].as_str()),
        (Some("suspended"), Some("payee_not_signed"))
    );
    let single = order["id"].as_str().unwrap().to_string();
    assert_eq!(app.balances(&ent).await.1, 0, "nothing reserved");
    let res = app
        .call_as(&ent.cookie, "retry_order", &[("id", &single)])
        .await;
    assert_eq!(conflict(&json(res).await), "payee_not_signed");
    // The same order again is the same order.
    let again = json(app.call_as(&ent.cookie, "create_order", &form).await).await;
    assert_eq!(
        (again["order"]["id"].as_str(), again["replayed"].as_bool()),
        (Some(single.as_str()), Some(true))
    );

    // A batch to the same payee and to another: both wait at confirmation.
    let csv = format!(
        "{}B-1,张三,{},bank,6222021234561234,13800000001,50.00,劳务费,\r\nB-2,李四,{LI},alipay,13900000022,13900000022,20.00,劳务费,\r\n",
        app::model::orders::batch_template(app::i18n::Lang::ZhCn, false),
        crate::helpers::ID_NUMBER
    );
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("b.csv"),
    );
    let batch = json(
        app.client
            .post(app.url("/api/upload_batch"))
            .header("accept", "application/json")
            .header("cookie", &ent.cookie)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let batch_id = batch["id"].as_str().unwrap().to_string();
    let res = app
        .call_as(
            &ent.cookie,
            "decide_batch",
            &[("id", &batch_id), ("confirm", "true")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let list = |status: &'static str| {
        let app = &app;
        let cookie = ent.cookie.clone();
        async move {
            json(
                app.call_as(
                    &cookie,
                    "list_orders",
                    &[("status", status), ("batch", ""), ("cursor", "")],
                )
                .await,
            )
            .await["orders"]
                .as_array()
                .unwrap()
                .clone()
        }
    };
    let waiting = list("suspended").await;
    assert_eq!(waiting.len(), 3);
    assert!(waiting.iter().all(|o| o["reason"] == "payee_not_signed"));
    assert_eq!(app.balances(&ent).await.1, 0);

    // 张三 signs: their two orders are reserved and paid; 李四's still waits.
    let workers = json(app.call_as(&ent.cookie, "workers", &[]).await).await;
    assert_eq!(
        workers.as_array().unwrap().len(),
        2,
        "both payees are in the register"
    );
    let zhang = workers
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "张三")
        .unwrap();
    let id = zhang["id"].as_str().unwrap();
    let (token, code) = invite_and_code(&app, &ent.cookie, id, "13800000001").await;
    assert_eq!(sign(&app, &token, &code, true).await.status(), 200);
    assert_eq!(list("accepted").await.len(), 2);
    let left = list("suspended").await;
    assert_eq!(
        (left.len(), left[0]["payee_name"].as_str()),
        (1, Some("李四"))
    );
    app.payouts(0).await;
    assert_eq!(app.payouts(5_000).await.paid, 2);
    app.assert_ledger_clean().await;

    // Released: a new order to them waits again.
    let res = app
        .call_as(
            &ent.cookie,
            "release_worker",
            &[("id", id), ("reason", "合同到期")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let form = crate::helpers::order_form("U-2", "bank", "6222021234561234", "10");
    let res = json(app.call_as(&ent.cookie, "create_order", &form).await).await;
    assert_eq!(res["order"]["reason"], "payee_not_signed");
}
