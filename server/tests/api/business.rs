//! 业务管理: business info (P6.1) and operation records (P1.1.5).

use crate::helpers::{json, session_cookie, spawn_app};

/// P6.1, P1.1.5: members see their enterprise's business details; only the admin sees the
/// operation records, which list that enterprise's members' actions and nobody else's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_1_p1_1_5_business_info_and_operation_records() {
    let app = spawn_app().await;
    let admin = app.open_enterprise("记录测试公司").await;
    let other = app.open_enterprise("旁观公司").await;
    let invited = json(
        app.call_as(
            &admin,
            "invite_member",
            &[
                ("name", "记录成员"),
                ("mobile", "13122223333"),
                ("email", "rec@example.com"),
                ("role", "member"),
            ],
        )
        .await,
    )
    .await;
    let token = crate::helpers::invite_token(&invited);
    let (privacy, terms) = app.current_policy_ids().await;
    let res = app
        .call(
            "accept_invite",
            &[
                ("token", &token),
                ("password", "Member-Pass-2026"),
                ("accept", "on"),
                ("privacy_version_id", &privacy),
                ("terms_version_id", &terms),
            ],
        )
        .await;
    let member = session_cookie(&res, "esp_session").unwrap();

    // P6.1: any member sees the business details; an applicant has none to see.
    let info = json(app.call_as(&member, "business_info", &[]).await).await;
    assert_eq!(info["name"], "记录测试公司");
    assert_eq!(info["credit_code"].as_str().unwrap().len(), 18);
    let applicant = app.register_unique().await;
    assert_eq!(
        app.call_as(&applicant, "business_info", &[]).await.status(),
        403
    );

    // A member's own action shows in the admin's operation records, with the member's name.
    let res = app
        .call_as(
            &member,
            "update_profile",
            &[
                ("name", "记录成员改名"),
                ("mobile", "13122223333"),
                ("email", "rec@example.com"),
            ],
        )
        .await;
    assert!(res.status().is_success());
    let records = json(app.call_as(&admin, "operation_records", &[]).await).await;
    let rows = records.as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["action"] == "profile.update" && r["actor_name"] == "记录成员改名"),
        "{records}"
    );
    assert!(rows.iter().any(|r| r["action"] == "member.join"));
    // Issue 14: addresses are truncated, as in every record shown outside the audit log.
    assert!(
        rows.iter()
            .all(|r| r["ip"] == "127.0.0.0/24" || r["ip"] == "-"),
        "{records}"
    );
    // Only the admin reads them, and another enterprise's admin sees none of these.
    assert_eq!(
        app.call_as(&member, "operation_records", &[])
            .await
            .status(),
        403
    );
    let theirs = json(app.call_as(&other, "operation_records", &[]).await).await;
    assert!(
        theirs
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["actor_name"] != "记录成员改名"),
        "{theirs}"
    );
}
