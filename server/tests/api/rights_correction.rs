//! Correction requests (issue 16 §4, P6.2): the requester proposes new values (checked by
//! the rules of where they are first entered); a change of the enterprise's name or address
//! waits for the new business licence; completing the request applies the values in one
//! transaction and keeps the values before; refusing changes nothing; both sides and the
//! business info page show before and after.

use crate::helpers::{field_rules, json, spawn_app, TestApp};
use crate::rights::{mine, submit_with, verify};
use app::model::account::OperatorRole;
use serde_json::Value;

async fn upload_licence(app: &TestApp, cookie: &str, request: &str) -> reqwest::Response {
    app.upload_png(
        cookie,
        "upload_correction_licence",
        &[("request", request)],
        "新执照.png",
    )
    .await
}

async fn complete(app: &TestApp, ops: &str, id: &str) -> reqwest::Response {
    app.call_as(
        ops,
        "complete_privacy_request",
        &[("id", id), ("answer", "已按您的材料更正。")],
    )
    .await
}

fn change<'a>(d: &'a Value, field: &str) -> &'a Value {
    d["correction"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == field)
        .unwrap_or_else(|| panic!("{field} in {d}"))
}

/// P6.2: the enterprise's name and business scope corrected: the licence first, then applied
/// with the values before kept and shown on both sides and in the business info.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_2_a_business_correction_is_applied_with_its_licence_and_history() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let (admin, mobile) = app.open_enterprise_login("更正前公司").await;
    let (other, _) = app.open_enterprise_login("旁观公司").await;
    let before: Value = json(app.call_as(&admin, "business_info", &[]).await).await;

    // The form's rules: nothing proposed, another scope's value, a value too long.
    for (fields, field) in [
        (vec![("scope", "enterprise")], "new_enterprise_name"),
        (
            vec![("scope", "person"), ("new_business_scope", "x")],
            "new_business_scope",
        ),
        (
            vec![
                ("scope", "enterprise"),
                ("new_enterprise_name", &"名".repeat(101)),
            ],
            "new_enterprise_name",
        ),
    ] {
        let mut form = vec![
            ("key", "bad"),
            ("kind", "correction"),
            ("channel", "email"),
            ("password", crate::helpers::APPLICANT_PW),
        ];
        form.extend(fields.iter().map(|(k, v)| (*k, *v)));
        let res = app.call_as(&admin, "submit_privacy_request", &form).await;
        assert_eq!(res.status(), 422, "{form:?}");
        assert_eq!(field_rules(&json(res).await)[0].0, field);
    }
    assert_eq!(app.count("privacy_requests").await, 0);

    let id = submit_with(
        &app,
        &admin,
        &[
            ("kind", "correction"),
            ("scope", "enterprise"),
            ("new_enterprise_name", "更正后科技有限公司"),
            ("new_business_scope", "软件开发；数据处理"),
        ],
    )
    .await;
    verify(&app, &admin, &mobile, &id).await;
    let d = mine(&app, &admin, &id).await;
    assert_eq!(change(&d, "enterprise_name")["before"], before["name"]);
    assert_eq!(
        change(&d, "enterprise_name")["proposed"],
        "更正后科技有限公司"
    );
    assert!(change(&d, "business_scope")["applied_at"].is_null());
    assert_eq!(d["correction"]["needs_licence"], true);

    // The name is on the licence: not applied without the new one.
    let res = complete(&app, &ops, &id).await;
    assert_eq!(json(res).await["detail"], "correction_needs_licence");
    let info: Value = json(app.call_as(&admin, "business_info", &[]).await).await;
    assert_eq!(info["name"], before["name"]);

    // Only the requester attaches it.
    assert_eq!(upload_licence(&app, &other, &id).await.status(), 404);
    let res = upload_licence(&app, &admin, &id).await;
    assert_eq!(res.status(), 200);
    let file_id: String = res.json().await.unwrap();
    assert_eq!(
        mine(&app, &admin, &id).await["correction"]["licence_file_id"],
        file_id.as_str()
    );
    // A privacy officer (no reviewer role) opens it, audited; not other application files.
    let officer =
        crate::authz::operator_with(&app, "privacy-only", &[OperatorRole::PrivacyOfficer]).await;
    assert_eq!(
        app.get_as(&officer, &format!("/files/{file_id}"))
            .await
            .status(),
        200
    );
    let licence: String = sqlx::query_scalar(
        "SELECT id FROM stored_files WHERE purpose = 'licence' ORDER BY created_at LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        app.get_as(&officer, &format!("/files/{licence}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get_as(&other, &format!("/files/{file_id}"))
            .await
            .status(),
        404
    );

    // Applied: the values, the values before, the audit entry.
    assert_eq!(complete(&app, &officer, &id).await.status(), 200);
    let info: Value = json(app.call_as(&admin, "business_info", &[]).await).await;
    assert_eq!(info["name"], "更正后科技有限公司");
    assert_eq!(info["business_scope"], "软件开发；数据处理");
    assert_eq!(info["registered_address"], before["registered_address"]);
    let d = mine(&app, &admin, &id).await;
    assert_eq!(change(&d, "enterprise_name")["before"], before["name"]);
    assert!(change(&d, "business_scope")["applied_at"].is_number());
    let seen = json(
        app.call_as(&officer, "privacy_request", &[("id", &id)])
            .await,
    )
    .await;
    assert_eq!(
        change(&seen, "business_scope")["before"],
        before["business_scope"]
    );
    let history: Value = json(app.call_as(&admin, "business_corrections", &[]).await).await;
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert!(history.iter().any(|h| h["field"] == "enterprise_name"
        && h["before"] == before["name"]
        && h["after"] == "更正后科技有限公司"));
    let other_history: Value = json(app.call_as(&other, "business_corrections", &[]).await).await;
    assert_eq!(other_history.as_array().unwrap().len(), 0);
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'rights.completed' AND target = $1",
    )
    .bind(format!("privacy_request:{id}"))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(detail, "corrected=business_scope,enterprise_name");
    // Once answered, no more licences.
    let res = upload_licence(&app, &admin, &id).await;
    assert_eq!(json(res).await["detail"], "licence_not_needed");
}

/// P6.2: a person's own name, corrected without a licence; a refused correction changes
/// nothing and says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_2_a_name_correction_and_a_refused_one() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let (admin, mobile) = app.open_enterprise_login("姓名更正公司").await;
    let id = submit_with(
        &app,
        &admin,
        &[("kind", "correction"), ("new_name", "更正后的姓名")],
    )
    .await;
    verify(&app, &admin, &mobile, &id).await;
    assert_eq!(
        mine(&app, &admin, &id).await["correction"]["needs_licence"],
        false
    );
    // A licence is not taken for a name.
    assert_eq!(
        json(upload_licence(&app, &admin, &id).await).await["detail"],
        "licence_not_needed"
    );
    assert_eq!(complete(&app, &ops, &id).await.status(), 200);
    let me: Value = json(app.call_as(&admin, "my_profile", &[]).await).await;
    assert_eq!(me["name"], "更正后的姓名", "{me}");

    let id = submit_with(
        &app,
        &admin,
        &[
            ("kind", "correction"),
            ("scope", "enterprise"),
            ("new_registered_address", "福州市鼓楼区更正路 1 号"),
        ],
    )
    .await;
    verify(&app, &admin, &mobile, &id).await;
    // Not carried out for someone who is no longer the enterprise's admin.
    let role = |r: &'static str| {
        sqlx::query("UPDATE users SET role = $1 WHERE id = (SELECT user_id FROM privacy_requests WHERE id = $2)")
            .bind(r)
            .bind(id.clone())
            .execute(app.db.pool())
    };
    role("member").await.unwrap();
    assert_eq!(
        json(complete(&app, &ops, &id).await).await["detail"],
        "requester_not_admin"
    );
    role("admin").await.unwrap();
    let res = app
        .call_as(
            &ops,
            "refuse_privacy_request",
            &[
                ("id", &id),
                ("reason", "impractical"),
                ("answer", "请提供新的营业执照后重新申请。"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let d = mine(&app, &admin, &id).await;
    assert!(change(&d, "registered_address")["applied_at"].is_null());
    let info: Value = json(app.call_as(&admin, "business_info", &[]).await).await;
    assert_ne!(info["registered_address"], "福州市鼓楼区更正路 1 号");
    assert_eq!(
        json(app.call_as(&admin, "business_corrections", &[]).await).await,
        serde_json::json!([])
    );
}
