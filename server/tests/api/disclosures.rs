//! The console's sharing register and lawful disclosures (issue 19; P3.1.1, P3.1.2, P3.1.3,
//! P3.4, P4.1) on both engines: a recipient is added and changed only under the register's
//! rules (nothing written otherwise); a disclosure is recorded by one privacy officer and
//! approved by a second (four eyes: the recorder's own approval is refused and audited); an
//! approved disclosure the subject is told of enters the enterprise's sharing log and its admin's
//! inbox; one the law forbids telling stays in the register only.

use crate::authz::operator_with;
use crate::helpers::{field_rules, json, TestApp};
use app::model::account::OperatorRole;
use serde_json::Value;

async fn register(app: &TestApp, ops: &str) -> Value {
    let res = app.call_as(ops, "sharing_register", &[]).await;
    assert_eq!(res.status(), 200);
    json(res).await
}

const GROUP: [(&str, &str); 10] = [
    ("code", "group_finance"),
    ("name_zh", "集团财务共享中心"),
    ("name_en", "Group finance shared service centre"),
    ("kind", "affiliate"),
    ("purpose", "records"),
    ("fields", "payment_orders.amount\npayment_orders.payee_name"),
    ("region", "cn-mainland"),
    ("contract_ref", "集团内部数据处理协议 2026-07"),
    ("active_from", "2026-12-01"),
    ("active_to", ""),
];

fn with<'a>(base: &[(&'a str, &'a str)], k: &str, v: &'a str) -> Vec<(&'a str, &'a str)> {
    base.iter()
        .map(|(bk, bv)| (*bk, if *bk == k { v } else { *bv }))
        .collect()
}

/// P3.1.3, P4.1: the register's rules, on the server, with nothing written on a refusal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p3_1_3_the_console_register_keeps_its_rules() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let before = app.count("sharing_recipients").await;
    let cases = [
        (
            with(&GROUP, "region", "us-east-1"),
            ("region", "outside_region"),
        ),
        (
            with(&GROUP, "fields", "payment_orders.amount\nusers.shoe_size"),
            ("fields", "unknown_field"),
        ),
        (
            with(&GROUP, "active_to", "2026-01-01"),
            ("active_to", "out_of_range"),
        ),
        (with(&GROUP, "code", "Group!"), ("code", "format")),
    ];
    for (form, (field, rule)) in &cases {
        let res = app.call_as(&ops, "save_recipient", form).await;
        assert_eq!(res.status(), 422, "{field}");
        let wanted = vec![(field.to_string(), rule.to_string())];
        assert_eq!(field_rules(&json(res).await), wanted);
    }
    assert_eq!(app.count("sharing_recipients").await, before);

    let res = app.call_as(&ops, "save_recipient", &GROUP).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let reg = register(&app, &ops).await;
    assert_eq!(reg["storage_region"], "cn-mainland");
    let group = reg["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "group_finance")
        .expect("registered");
    assert_eq!(group["kind"], "affiliate");
    assert_eq!(group["fields"].as_array().unwrap().len(), 2);
    assert_eq!(app.audit_count("sharing.recipient_add").await, 1);

    // Changed: a new agreement is fine; a new purpose needs new consent (a new entry).
    let changed = with(&GROUP, "contract_ref", "集团内部数据处理协议 2026-12");
    let res = app.call_as(&ops, "save_recipient", &changed).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.audit_count("sharing.recipient_change").await, 1);
    let res = app
        .call_as(
            &ops,
            "save_recipient",
            &with(&GROUP, "purpose", "promotions"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let wanted = vec![("purpose".to_string(), "purpose_fixed".to_string())];
    assert_eq!(field_rules(&json(res).await), wanted);

    // The payout channel keeps what the product sends it; the authorities' entry is not edited.
    let payout = [
        ("code", "payout_channel"),
        ("kind", "processor"),
        ("purpose", "payments"),
        ("fields", "payment_orders.amount"),
    ];
    let mut form = GROUP.to_vec();
    for (k, v) in payout {
        form = with(&form, k, v);
    }
    let res = app.call_as(&ops, "save_recipient", &form).await;
    assert_eq!(res.status(), 422);
    let wanted = vec![("fields".to_string(), "product_sends".to_string())];
    assert_eq!(field_rules(&json(res).await), wanted);
    let reg = register(&app, &ops).await;
    let payout = reg["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "payout_channel")
        .unwrap();
    assert_eq!(payout["fields"].as_array().unwrap().len(), 3);
}

fn disclosure<'a>(credit_code: &'a str, tell: &'a str, reason: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("authority", "某市公安局经济犯罪侦查支队"),
        ("ground", "criminal_justice"),
        ("legal_basis", "《刑事诉讼法》第五十四条"),
        ("document_ref", "（2026）某公经调字第 12 号"),
        ("fields", "payment_orders.payee_name\npayment_orders.amount"),
        ("credit_code", credit_code),
        ("person_mobile", ""),
        ("disclosed_at", "2026-01-05T10:00"),
        ("tell", tell),
        ("tell_reason", reason),
    ]
}

async fn credit_code(app: &TestApp, enterprise_id: &str) -> String {
    sqlx::query_scalar("SELECT credit_code FROM enterprises WHERE id = $1")
        .bind(enterprise_id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

async fn record(app: &TestApp, ops: &str, form: &[(&str, &str)]) -> String {
    let res = app.call_as(ops, "record_disclosure", form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await.as_str().unwrap().to_string()
}

async fn approve(app: &TestApp, ops: &str, id: &str) -> reqwest::Response {
    let form = [("id", id), ("approve", "true"), ("reason", "")];
    app.call_as(ops, "decide_disclosure", &form).await
}

async fn authority_events(app: &TestApp, cookie: &str) -> Vec<Value> {
    let form = [("recipient", "public_authorities"), ("cursor", "")];
    let log = json(app.call_as(cookie, "sharing_log", &form).await).await;
    log["events"].as_array().unwrap().clone()
}

/// P3.1.2, P3.4: four eyes on a lawful disclosure; the told-or-not decision with its reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p3_1_2_a_lawful_disclosure_needs_two_officers_and_tells_only_when_allowed() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let second = operator_with(&app, "privacy-two", &[OperatorRole::PrivacyOfficer]).await;
    let ent = app.funded_enterprise(&ops, "披露企业", "").await;
    let other = app.funded_enterprise(&ops, "旁观企业", "").await;
    let code = credit_code(&app, &ent.id).await;

    // Bad records are refused field by field; nothing is written.
    let mut bad = disclosure(&code, "no", "");
    bad[1] = ("ground", "curiosity");
    let res = app.call_as(&ops, "record_disclosure", &bad).await;
    assert_eq!(res.status(), 422);
    let wanted = vec![
        ("ground".to_string(), "required".to_string()),
        ("tell_reason".to_string(), "required".to_string()),
    ];
    assert_eq!(field_rules(&json(res).await), wanted);
    let mut stranger = disclosure(&code, "yes", "");
    stranger[6] = ("person_mobile", "13911112222");
    let res = app.call_as(&ops, "record_disclosure", &stranger).await;
    let wanted = vec![("person_mobile".to_string(), "not_member".to_string())];
    assert_eq!(field_rules(&json(res).await), wanted);
    assert_eq!(app.count("lawful_disclosures").await, 0);

    // Told: recorded by one officer, refused to the same one, approved by a second.
    let told = record(&app, &ops, &disclosure(&code, "yes", "")).await;
    let res = approve(&app, &ops, &told).await;
    assert_eq!(res.status(), 409);
    let body = res.text().await.unwrap();
    assert!(body.contains("second_officer_needed"), "{body}");
    let reg = register(&app, &second).await;
    assert_eq!(reg["disclosures"][0]["status"], "pending");
    assert_eq!(reg["disclosures"][0]["can_approve"], true);
    assert!(authority_events(&app, &ent.cookie).await.is_empty());
    let res = approve(&app, &second, &told).await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await, "approved");
    // Decided once only.
    let late = [
        ("id", told.as_str()),
        ("approve", "false"),
        ("reason", "迟到"),
    ];
    let res = app.call_as(&ops, "decide_disclosure", &late).await;
    assert_eq!(res.status(), 409);

    // The enterprise sees it in its sharing log, and its admin was told in the inbox.
    let events = authority_events(&app, &ent.cookie).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["kind"], "authority");
    assert_eq!(events[0]["basis"], "legal_duty");
    assert!(events[0]["reference"]
        .as_str()
        .unwrap()
        .contains("某公经调字第 12 号"));
    let inbox = json(app.call_as(&ent.cookie, "my_inbox", &[]).await).await;
    let told_msg = inbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["title"]["zh"] == "我们依法向国家机关提供了您的信息")
        .expect("the admin is told");
    assert!(told_msg["body"]["zh"]
        .as_str()
        .unwrap()
        .contains("犯罪侦查"));
    assert!(authority_events(&app, &other.cookie).await.is_empty());

    // Not told (the law forbids it): approved, it stays in the register only.
    let silent = record(
        &app,
        &second,
        &disclosure(&code, "no", "侦查期间依法不得告知"),
    )
    .await;
    assert_eq!(approve(&app, &ops, &silent).await.status(), 200);
    assert_eq!(authority_events(&app, &ent.cookie).await.len(), 1);
    let reg = register(&app, &ops).await;
    let silent_row = reg["disclosures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == silent.as_str())
        .unwrap();
    assert_eq!(silent_row["tell"], false);
    assert_eq!(silent_row["tell_reason"], "侦查期间依法不得告知");
    assert_eq!(silent_row["status"], "approved");

    // Refused: nothing is disclosed.
    let refused = record(&app, &ops, &disclosure(&code, "yes", "")).await;
    let form = [
        ("id", refused.as_str()),
        ("approve", "false"),
        ("reason", "文书不全"),
    ];
    let res = app.call_as(&second, "decide_disclosure", &form).await;
    assert_eq!(json(res).await, "rejected");
    assert_eq!(authority_events(&app, &ent.cookie).await.len(), 1);

    // Audited: three recorded, two approved, one rejected, one refused approval.
    assert_eq!(app.audit_count("disclosure.record").await, 3);
    assert_eq!(app.audit_count("disclosure.approve").await, 2);
    assert_eq!(app.audit_count("disclosure.reject").await, 1);
    assert_eq!(app.audit_count("disclosure.decide").await, 2);
}

/// P3.2: a transfer in a merger is recorded like sharing — the successor enters the register
/// and each affected enterprise's log — and every affected login person is told; an enterprise
/// not named is neither logged nor told.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p3_2_a_transfer_is_recorded_like_sharing_and_told_to_everyone_affected() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "转让企业", "").await;
    let other = app.funded_enterprise(&ops, "未涉及企业", "").await;
    let code = credit_code(&app, &ent.id).await;
    let form = [
        ("successor", "某某数字科技有限公司"),
        ("kind", "merger"),
        ("basis", "bound"),
        ("effective_on", "2027-01-01"),
        ("enterprises", code.as_str()),
        (
            "summary_zh",
            "本平台运营方与某某数字科技有限公司合并，服务不变。",
        ),
        (
            "summary_en",
            "The operator merges into X Digital; the service stays the same.",
        ),
    ];
    // Every problem named, nothing written or told.
    let res = app
        .call_as(&ops, "record_succession", &with(&form, "basis", "whim"))
        .await;
    assert_eq!(res.status(), 422);
    let wanted = vec![("basis".to_string(), "required".to_string())];
    assert_eq!(field_rules(&json(res).await), wanted);
    assert_eq!(app.count("data_successions").await, 0);

    let res = app.call_as(&ops, "record_succession", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let list = json(app.call_as(&ops, "successions", &[]).await).await;
    assert_eq!(list[0]["successor"], "某某数字科技有限公司");
    assert_eq!(
        (list[0]["enterprises"].as_u64(), list[0]["told"].as_u64()),
        (Some(1), Some(1))
    );
    let reg = register(&app, &ops).await;
    let successor = reg["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "successor")
        .expect("the successor is registered");
    assert_eq!(successor["region"], "cn-mainland");

    // The enterprise's log shows it, with every kind of information; its admin was told.
    let log = json(
        app.call_as(
            &ent.cookie,
            "sharing_log",
            &[("recipient", ""), ("cursor", "")],
        )
        .await,
    )
    .await;
    let event = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "successor")
        .expect("logged");
    assert_eq!(event["reference"], "2027-01-01");
    assert!(event["categories"].as_array().unwrap().len() > 3);
    let inbox = json(app.call_as(&ent.cookie, "my_inbox", &[]).await).await;
    let told = inbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["title"]["zh"] == "您的信息将转让给某某数字科技有限公司")
        .expect("told");
    assert!(told["body"]["zh"]
        .as_str()
        .unwrap()
        .contains("承继方继续受本隐私政策约束"));
    // The enterprise not named: nothing.
    let theirs = json(
        app.call_as(
            &other.cookie,
            "sharing_log",
            &[("recipient", ""), ("cursor", "")],
        )
        .await,
    )
    .await;
    assert!(!theirs["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "successor"));
    assert_eq!(app.audit_count("succession.record").await, 1);
}
