//! Customer service (issue 18 §3, P1.1.7) on both engines: who in an enterprise sees which
//! tickets, who may verify, and what the account panel then shows (only what the verified
//! person may see in the portal).

use crate::helpers::{json, session_cookie, spawn_app_with};
use crate::support::{ask, conflict, open_ticket, step, support_app};
use serde_json::Value;

/// A member sees their own tickets only; the admin sees the enterprise's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_7_a_member_sees_their_tickets_and_the_admin_all_of_the_enterprise_s() {
    let app = spawn_app_with(&support_app()).await;
    let (admin, _) = app.open_enterprise_login("成员企业").await;
    let invited = json(
        app.call_as(
            &admin,
            "invite_member",
            &[
                ("name", "成员甲"),
                ("mobile", "13211112222"),
                ("email", "support-member@example.com"),
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
    let admins = open_ticket(&app, &admin, "管理员的工单").await;
    let members = open_ticket(&app, &member, "成员的工单").await;
    let listed = |v: Value| v["tickets"].as_array().unwrap().len();
    assert_eq!(
        listed(json(app.call_as(&member, "support_home", &[]).await).await),
        1
    );
    assert_eq!(
        listed(json(app.call_as(&admin, "support_home", &[]).await).await),
        2
    );
    assert_eq!(
        app.call_as(&member, "support_ticket", &[("id", &admins)])
            .await
            .status(),
        404
    );
    assert_eq!(
        app.call_as(&admin, "support_ticket", &[("id", &members)])
            .await
            .status(),
        200
    );
    // Only the person who opened it verifies.
    let ops = app.finance().await;
    ask(&app, &ops, &members, "portal").await;
    let (status, body) = step(&app, &admin, "confirm_ticket_identity", &[("id", &members)]).await;
    assert_eq!(
        (status, conflict(&body).as_str()),
        (409, "not_ticket_opener")
    );
    // Verified by the member, the panel shows only what the member sees in the portal: no
    // balances or orders (no funds permission), no invoices, no login persons (not the admin).
    let (status, _) = step(
        &app,
        &member,
        "confirm_ticket_identity",
        &[("id", &members)],
    )
    .await;
    assert_eq!(status, 200);
    let (status, panel) = step(&app, &ops, "ticket_account_panel", &[("id", &members)]).await;
    assert_eq!(status, 200);
    assert_eq!(panel["enterprise_name"], "成员企业");
    assert!(
        panel["funds"].is_null() && panel["people"].is_null(),
        "{panel}"
    );
    assert!(panel["invoices_waiting"].is_null(), "{panel}");
    // The admin's verified ticket shows them all.
    ask(&app, &ops, &admins, "portal").await;
    let (status, _) = step(&app, &admin, "confirm_ticket_identity", &[("id", &admins)]).await;
    assert_eq!(status, 200);
    let (_, panel) = step(&app, &ops, "ticket_account_panel", &[("id", &admins)]).await;
    assert_eq!(panel["people"].as_array().unwrap().len(), 2, "{panel}");
    assert_eq!(panel["funds"]["available"], 0);
    assert_eq!(panel["invoices_waiting"], 0);
}
