//! Login persons and invitations (P1.1.2).

use crate::helpers::{json, session_cookie, spawn_app, spawn_app_with, TestApp, APPLICANT_PW};
use serde_json::Value;

const PW: &str = "Member-Pass-2026";

async fn invite(
    app: &TestApp,
    admin: &str,
    mobile: &str,
    email: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = vec![
        ("name", "新成员"),
        ("mobile", mobile),
        ("email", email),
        ("role", "member"),
    ];
    form.extend_from_slice(extra);
    app.call_as(admin, "invite_member", &form).await
}

fn token_of(link: &Value) -> String {
    let link = link["link"].as_str().unwrap();
    link.rsplit_once("/invite/")
        .expect("an invitation link")
        .1
        .to_string()
}

async fn accept(app: &TestApp, token: &str) -> reqwest::Response {
    let (privacy, terms) = app.current_policy_ids().await;
    app.call(
        "accept_invite",
        &[
            ("token", token),
            ("password", PW),
            ("accept", "on"),
            ("privacy_version_id", &privacy),
            ("terms_version_id", &terms),
        ],
    )
    .await
}

/// P1.1.2: the admin invites by mobile and e-mail; the one-time link works once, within 72
/// hours; the member logs in with the permissions given.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_2_invitations_are_one_time_and_expire() {
    let app = spawn_app().await;
    let (admin, admin_mobile) = app.open_enterprise_login("邀请测试公司").await;
    let created = json(
        invite(
            &app,
            &admin,
            "13300001111",
            "m1@example.com",
            &[("perm_funds", "on")],
        )
        .await,
    )
    .await;
    let token = token_of(&created);
    // The link is absolute (a copied link must work where it is pasted): the request's host.
    assert_eq!(
        created["link"].as_str().unwrap(),
        format!("http://{}/invite/{token}", app.addr)
    );
    let details = json(app.call("invite_preview", &[("token", &token)]).await).await;
    assert_eq!(details["enterprise_name"], "邀请测试公司");
    assert_eq!(details["mobile_masked"], "133****1111");

    // Accepting needs the policy box too (P0.2).
    let (privacy, terms) = app.current_policy_ids().await;
    let res = app
        .call(
            "accept_invite",
            &[
                ("token", &token),
                ("password", PW),
                ("privacy_version_id", &privacy),
                ("terms_version_id", &terms),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = accept(&app, &token).await;
    assert!(res.status().is_success());
    let member = session_cookie(&res, "esp_session").unwrap();
    let me = json(app.call_as(&member, "whoami", &[]).await).await;
    assert_eq!(me["enterprise"]["name"], "邀请测试公司");
    assert_eq!(me["enterprise"]["role"], "member");
    assert_eq!(
        me["enterprise"]["permissions"],
        serde_json::json!(["funds"])
    );
    app.login("13300001111", PW).await;

    // The same link again: refused, and nothing more is created.
    let users = app.count("users").await;
    assert_eq!(accept(&app, &token).await.status(), 409);
    assert_eq!(app.count("users").await, users);

    // 72 hours later a link no longer works.
    let late =
        token_of(&json(invite(&app, &admin, "13300002222", "m2@example.com", &[]).await).await);
    app.clock.advance_minutes(72 * 60 + 1);
    let _ = admin;
    let admin = app.login(&admin_mobile, APPLICANT_PW).await;
    assert_eq!(accept(&app, &late).await.status(), 409);
    let page = json(app.call_as(&admin, "list_members", &[]).await).await;
    assert_eq!(page["invites"][0]["expired"], true);

    // Contacts already used by someone are refused at once.
    let res = invite(&app, &admin, "13300001111", "other@example.com", &[]).await;
    assert_eq!(res.status(), 422);
    // The invitations wait in the outbox (e-mail and SMS each).
    let ops = app
        .ops_login(
            app::backend::seed::DEMO.operator_login,
            app::backend::seed::DEMO.operator_password,
            app::backend::seed::DEMO.operator_totp_secret,
        )
        .await;
    let outbox = json(app.call_as(&ops, "list_outbox", &[]).await).await;
    assert_eq!(
        outbox
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["purpose"] == "invitation")
            .count(),
        4
    );
}

/// P1.1.2: disabling ends the member's sessions and refuses their login; re-enabling restores
/// it; role changes and the admin hand-over take effect at once; an enterprise keeps an admin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_2_admin_manages_members() {
    let app = spawn_app().await;
    let admin = app.open_enterprise("管理测试公司").await;
    let token =
        token_of(&json(invite(&app, &admin, "13300003333", "m3@example.com", &[]).await).await);
    let member = session_cookie(&accept(&app, &token).await, "esp_session").unwrap();
    let page = json(app.call_as(&admin, "list_members", &[]).await).await;
    let member_id = page["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["is_self"] == false)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let admin_id = page["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["is_self"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // A member is not an admin.
    assert_eq!(
        app.call_as(&member, "list_members", &[]).await.status(),
        403
    );
    assert_eq!(
        invite(&app, &member, "13300004444", "m4@example.com", &[])
            .await
            .status(),
        403
    );

    // Disable: sessions end, login refused; enable: back.
    assert!(app
        .call_as(
            &admin,
            "set_member_status",
            &[("id", &member_id), ("active", "false")]
        )
        .await
        .status()
        .is_success());
    assert!(json(app.call_as(&member, "whoami", &[]).await)
        .await
        .is_null());
    let res = app
        .call("login", &[("login", "13300003333"), ("password", PW)])
        .await;
    assert_eq!(res.status(), 403);
    assert!(app
        .call_as(
            &admin,
            "set_member_status",
            &[("id", &member_id), ("active", "true")]
        )
        .await
        .status()
        .is_success());
    let member = app.login("13300003333", PW).await;

    // An admin cannot disable or demote themself, so there is always an admin.
    assert_eq!(
        app.call_as(
            &admin,
            "set_member_status",
            &[("id", &admin_id), ("active", "false")]
        )
        .await
        .status(),
        409
    );
    assert_eq!(
        app.call_as(
            &admin,
            "set_member_access",
            &[("id", &admin_id), ("role", "member")]
        )
        .await
        .status(),
        409
    );

    // Permissions change at once.
    assert!(app
        .call_as(
            &admin,
            "set_member_access",
            &[("id", &member_id), ("role", "member"), ("perm_tasks", "on")]
        )
        .await
        .status()
        .is_success());
    assert_eq!(
        json(app.call_as(&member, "whoami", &[]).await).await["enterprise"]["permissions"],
        serde_json::json!(["tasks"])
    );

    // Hand-over needs the password; then the roles swap.
    let res = app
        .call_as(
            &admin,
            "transfer_admin",
            &[("id", &member_id), ("password", "wrong")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .call_as(
            &admin,
            "transfer_admin",
            &[("id", &member_id), ("password", APPLICANT_PW)],
        )
        .await;
    assert!(res.status().is_success());
    assert_eq!(
        json(app.call_as(&member, "whoami", &[]).await).await["enterprise"]["role"],
        "admin"
    );
    assert_eq!(
        json(app.call_as(&admin, "whoami", &[]).await).await["enterprise"]["role"],
        "member"
    );
    assert_eq!(app.call_as(&admin, "list_members", &[]).await.status(), 403);

    // An invitation from the former admin no longer works.
    let stale: Value = json(
        app.call_as(
            &member,
            "invite_member",
            &[
                ("name", "旧邀请"),
                ("mobile", "13300005555"),
                ("email", "m5@example.com"),
                ("role", "member"),
            ],
        )
        .await,
    )
    .await;
    let res = app
        .call_as(
            &member,
            "transfer_admin",
            &[("id", &admin_id), ("password", PW)],
        )
        .await;
    assert!(res.status().is_success(), "hand back");
    // The inviter is a member now: their open invitation is gone from the list and the link
    // no longer works.
    let page = json(app.call_as(&admin, "list_members", &[]).await).await;
    assert!(page["invites"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["name"] != "旧邀请"));
    assert_eq!(accept(&app, &token_of(&stale)).await.status(), 404);

    // The operation records show who did what, to the admin.
    let records = json(app.call_as(&admin, "operation_records", &[]).await).await;
    let actions: Vec<&str> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    for a in [
        "member.invite",
        "member.disable",
        "member.enable",
        "member.access",
        "member.transfer_admin",
        "member.join",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

/// Behind a proxy the configured public origin names the links, whatever `Host` says.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_links_use_the_public_origin() {
    let app = spawn_app_with(&["--public-origin", "https://platform.example/"]).await;
    let admin = app.open_enterprise("链接测试公司").await;
    let res = app
        .client
        .post(app.url("/api/invite_member"))
        .header("accept", "application/json")
        .header("cookie", &admin)
        .header("origin", "https://platform.example")
        .form(&[
            ("name", "成员"),
            ("mobile", "13300002222"),
            ("email", "m2@example.com"),
            ("role", "member"),
        ])
        .send()
        .await
        .unwrap();
    let created = json(res).await;
    let link = created["link"].as_str().unwrap();
    assert!(
        link.starts_with("https://platform.example/invite/"),
        "{link}"
    );
}

/// Issue 11: a page a member may not open answers a real 403 naming the enterprise's admins,
/// and nothing of the page's data; the admin gets the page itself. The navigation offers only
/// what the member may open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_2_pages_a_member_may_not_open_answer_403_naming_the_admins() {
    let app = spawn_app().await;
    let (admin, _) = app.open_enterprise_login("权限测试公司").await;
    let created = json(invite(&app, &admin, "13300003333", "m3@example.com", &[]).await).await;
    let res = accept(&app, &token_of(&created)).await;
    let member = session_cookie(&res, "esp_session").unwrap();
    let admin_name = json(app.call_as(&admin, "whoami", &[]).await).await["name"]
        .as_str()
        .unwrap()
        .to_string();
    for path in [
        "/portal/funds",
        "/portal/funds/flow",
        "/portal/business/members",
    ] {
        let res = app.get_as(&member, path).await;
        assert_eq!(res.status(), 403, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains(r#"data-testid="forbidden""#), "{path}");
        assert!(html.contains(&admin_name), "{path} names the admin");
        assert!(
            html.contains(r#"<div hidden class="guarded">"#),
            "{path} hides the page"
        );
        let res = app.get_as(&admin, path).await;
        assert_eq!(res.status(), 200, "{path}");
        let html = res.text().await.unwrap();
        assert!(!html.contains(r#"data-testid="forbidden""#), "{path}");
        assert!(
            html.contains(r#"<div class="guarded">"#),
            "{path}: {}",
            html.split("guarded")
                .nth(1)
                .unwrap_or("(none)")
                .chars()
                .take(200)
                .collect::<String>()
        );
    }
    // Each refused page view is one entry in the audit log, not one per refused query.
    let denied: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND target = '/portal/funds/flow'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(denied, 1);
    let nav = app.get_as(&member, "/portal").await.text().await.unwrap();
    assert!(
        !nav.contains(r#"href="/portal/funds""#),
        "no funds entry for the member"
    );
    assert!(nav.contains(r#"href="/portal/business""#));
    let nav = app.get_as(&admin, "/portal").await.text().await.unwrap();
    assert!(nav.contains(r#"href="/portal/funds""#));
}

/// Issue 14 (enumeration): an admin learns that a contact is already one of their own people,
/// never that it belongs to an account elsewhere. The invitation to such a contact looks like
/// any other; the person who opens it is told the contact has an account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_2_an_invitation_does_not_reveal_accounts_of_other_enterprises() {
    let app = spawn_app().await;
    let (admin, _) = app.open_enterprise_login("查询测试公司").await;
    let demo = app::backend::seed::DEMO;
    let fresh = invite(&app, &admin, "13300003333", "fresh@example.com", &[]).await;
    let elsewhere = invite(&app, &admin, demo.admin_mobile, demo.admin_email, &[]).await;
    assert_eq!(fresh.status(), 200);
    assert_eq!(
        elsewhere.status(),
        200,
        "the same answer as for a new contact"
    );
    let created = json(elsewhere).await;
    assert!(created["link"].as_str().unwrap().contains("/invite/"));
    // Accepting it cannot take over or duplicate the existing account.
    let users = app.count("users").await;
    let res = accept(&app, &token_of(&created)).await;
    assert_eq!(res.status(), 409);
    assert_eq!(json(res).await["detail"], "contact_taken");
    assert_eq!(app.count("users").await, users);
}
