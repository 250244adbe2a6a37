//! The authorisation walk (P5.1): every server function, called as a visitor, as a member of
//! another enterprise, and as someone without the needed permission or role, is refused.
//!
//! A new server function must be added to `ENDPOINTS` (or, for invoices and tasks, `BUSINESS_ENDPOINTS`) with its access rule and arguments:
//! `every_server_function_is_listed` fails until it is.

use crate::authz_endpoints::{all, Access, Endpoint, Fixture, UPLOADS};
pub(crate) use crate::authz_fixture::operator_with;
use crate::helpers::{session_cookie, spawn_app, TestApp};
use app::backend::seed::DEMO;
use app::model::account::OperatorRole;
use serde_json::Value;

pub(crate) async fn call(
    app: &TestApp,
    cookie: &str,
    ep: &Endpoint,
    f: &Fixture,
) -> reqwest::Response {
    if let Some((_, content)) = UPLOADS.iter().find(|(name, _)| *name == ep.name) {
        let png = || reqwest::multipart::Part::bytes(crate::helpers::tiny_png()).file_name("l.png");
        let form = if ep.name == "upload_application_file" {
            reqwest::multipart::Form::new()
                .text("purpose", "licence")
                .part("file", png())
        } else if ["attach_ticket_file", "ops_attach_ticket_file"].contains(&ep.name) {
            // A's ticket: nobody else's file reaches it.
            reqwest::multipart::Form::new()
                .text("ticket", f.a_support_ticket_id.clone())
                .part("file", png())
        } else if ep.name == "upload_correction_licence" {
            // A's request: nobody else's upload reaches it.
            reqwest::multipart::Form::new()
                .text("request", f.a_request_id.clone())
                .part("file", png())
        } else {
            reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(content.as_bytes().to_vec()).file_name("w.csv"),
            )
        };
        let mut req = app
            .client
            .post(app.url(&format!("/api/{}", ep.name)))
            .header("accept", "application/json");
        if !cookie.is_empty() {
            req = req.header("cookie", cookie);
        }
        return req.multipart(form).send().await.unwrap();
    }
    let args = (ep.args)(f);
    let form: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call_as(cookie, ep.name, &form).await
}

#[test]
fn every_server_function_is_listed() {
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    assert!(registered.len() >= all().count());
    for name in &registered {
        assert!(
            all().any(|e| e.name == name),
            "server function `{name}` is not in the authorisation walk: add it to ENDPOINTS (or BUSINESS_ENDPOINTS) with its access rule"
        );
    }
}

/// P5.1: a visitor is refused by every server function that is not public.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_1_visitors_are_refused() {
    let app = spawn_app().await;
    let f = Fixture::default();
    for ep in all().filter(|e| e.access != Access::Public) {
        let res = call(&app, "", ep, &f).await;
        assert_eq!(res.status(), 401, "{} as a visitor", ep.name);
    }
}

/// P5.1: members of another enterprise reach nothing of enterprise A; members without the
/// permission, enterprise users in the console, and operators without the role are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_1_other_tenants_and_missing_permissions_are_refused() {
    // Many logins from one address (each new admin logs in again after the approval): more
    // than the default 30 in 10 minutes per IP.
    let app = crate::helpers::spawn_app_with(&[
        "--login-attempts-per-ip",
        "300",
        "--wechat-tickets-per-minute",
        "300",
    ])
    .await;
    // Enterprise A: an admin, a member, an invitation; an applicant with a file.
    let a_admin = app.open_enterprise("甲公司").await;
    let invited: Value = app
        .call_as(
            &a_admin,
            "invite_member",
            &[
                ("name", "甲成员"),
                ("mobile", "13211110000"),
                ("email", "a-member@example.com"),
                ("role", "member"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
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
    let a_member = session_cookie(&res, "esp_session").unwrap();
    app.call_as(
        &a_admin,
        "invite_member",
        &[
            ("name", "甲二"),
            ("mobile", "13211110001"),
            ("email", "a-two@example.com"),
            ("role", "member"),
        ],
    )
    .await;
    let page: Value = app
        .call_as(&a_admin, "list_members", &[])
        .await
        .json()
        .await
        .unwrap();
    let a_applicant = app.register_unique().await;
    let file: Value = {
        let form = reqwest::multipart::Form::new()
            .text("purpose", "licence")
            .part(
                "file",
                reqwest::multipart::Part::bytes(crate::helpers::tiny_png()).file_name("a.png"),
            );
        app.client
            .post(app.url("/api/upload_application_file"))
            .header("accept", "application/json")
            .header("cookie", &a_applicant)
            .multipart(form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    };
    let application: Value = app
        .call_as(&a_applicant, "my_application", &[])
        .await
        .json()
        .await
        .unwrap();
    let sessions: Value = app
        .call_as(&a_admin, "my_sessions", &[])
        .await
        .json()
        .await
        .unwrap();
    let f = Fixture {
        a_member_id: page["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["is_self"] == false)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .into(),
        a_invite_id: page["invites"][0]["id"].as_str().unwrap().into(),
        a_session_handle: sessions[0]["handle"].as_str().unwrap().into(),
        a_file_id: file["id"].as_str().unwrap().into(),
        a_application_id: application["id"].as_str().unwrap().into(),
        a_enterprise_id: {
            let me: Value = app
                .call_as(&a_admin, "whoami", &[])
                .await
                .json()
                .await
                .unwrap();
            me["enterprise"]["id"].as_str().unwrap().into()
        },
        a_order_id: {
            let o: Value = app
                .call_as(
                    &a_admin,
                    "create_order",
                    &crate::helpers::order_form("A-1", "bank", "6222021234561234", "1"),
                )
                .await
                .json()
                .await
                .unwrap();
            o["order"]["id"].as_str().unwrap().into()
        },
        a_batch_id: {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(UPLOADS[1].1.replace("W-1", "A-2").into_bytes())
                    .file_name("a.csv"),
            );
            let b: Value = app
                .client
                .post(app.url("/api/upload_batch"))
                .header("accept", "application/json")
                .header("cookie", &a_admin)
                .multipart(form)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            b["id"].as_str().unwrap().into()
        },
        a_message_id: crate::messages::tell_directly(&app, &a_admin, "甲公司站内信").await,
        a_ticket: {
            // A's admin has WeChat bound, and a login ticket scanned by A's phone waits.
            crate::scan_helpers::bind(&app, &a_admin, "zhang").await;
            let (desk, _phone) = crate::scan_helpers::scanned_login(&app, "zhang").await;
            desk.ticket
        },
        a_request_id: crate::rights::submit(&app, &a_admin, "question", "甲公司的问题").await,
        a_invoice_id: crate::invoice_helpers::waiting_application(&app, &a_admin, "甲公司").await,
        a_support_ticket_id: {
            let id = crate::support::open_ticket(&app, &a_admin, "甲公司的工单").await;
            let ops = app.finance().await;
            crate::support::ask(&app, &ops, &id, "sms_code").await;
            id
        },
        a_api_credential_id: crate::openapi::issue(&app, &a_admin, &[("scope_orders", "on")]).await
            ["id"]
            .as_str()
            .unwrap()
            .to_string(),
        a_callback_delivery_id: {
            crate::callbacks::set_callback(&app, &a_admin, "http://127.0.0.1:9/cb").await;
            crate::callbacks::queued_delivery(&app, &a_admin).await
        },
        a_task_id: {
            let form = crate::tasks::task_form("甲公司的任务", 10, &app);
            let res = crate::tasks::save(&app, &a_admin, &form).await;
            res.json().await.unwrap()
        },
        ..Default::default()
    };
    // An open task of A with a recorded completion (its worker named after A).
    let mut f = f;
    let form = crate::tasks::task_form("甲公司的开放任务", 10, &app);
    f.a_open_task_id = crate::tasks::save(&app, &a_admin, &form)
        .await
        .json()
        .await
        .unwrap();
    sqlx::query("UPDATE tasks SET status = 'open' WHERE id = $1")
        .bind(&f.a_open_task_id)
        .execute(app.db.pool())
        .await
        .unwrap();
    let w = (
        "甲公司工人",
        crate::task_completions::ZHANG,
        "bank",
        "6222021234561234",
    );
    let res =
        crate::task_completions::record(&app, &a_admin, &f.a_open_task_id, w, "2", "", "").await;
    f.a_completion_id = res.json().await.unwrap();
    f.a_worker_id =
        crate::signing::sign_up_worker(&app, &a_admin, "甲公司工人", "13900000011").await;

    // Enterprise B's admin walks every function with A's ids. (Logging out takes no target:
    // it would only end the walker's own session, so it is left out of the walks.)
    let walk = || all().filter(|e| !["logout", "logout_all", "ops_logout"].contains(&e.name));
    let b_admin = app.open_enterprise("乙公司").await;
    for ep in walk() {
        let res = call(&app, &b_admin, ep, &f).await;
        let status = res.status().as_u16();
        let body = res.text().await.unwrap_or_default();
        match ep.access {
            Access::Operator(_) | Access::OperatorHalf => {
                assert_eq!(status, 401, "{} as another enterprise's admin", ep.name)
            }
            _ => {
                assert!(
                    !body.contains("甲公司") && !body.contains("甲成员"),
                    "{} leaks enterprise A: {body}",
                    ep.name
                );
                if [
                    "end_session",
                    "delete_application_file",
                    "set_member_access",
                    "set_member_status",
                    "transfer_admin",
                    "revoke_invite",
                    "get_order",
                    "get_receipt",
                    "reveal_order",
                    "cancel_order",
                    "retry_order",
                    "decide_batch",
                    "mark_message_read",
                    "wechat_scan_progress",
                    "finish_wechat_login",
                    "decide_wechat_scan",
                    "unbind_wechat",
                    "my_privacy_request",
                    "verify_privacy_request",
                    "resend_privacy_code",
                    "withdraw_privacy_request",
                    "upload_correction_licence",
                    "cancel_invoice",
                    "task",
                    "save_task",
                    "close_task",
                    "record_completion",
                    "completion_step",
                    "pay_completions",
                    "worker",
                    "invite_worker",
                    "release_worker",
                    "support_ticket",
                    "reply_ticket",
                    "attach_ticket_file",
                    "close_ticket",
                    "rate_ticket",
                    "confirm_ticket_identity",
                    "resend_api_callback",
                ]
                .contains(&ep.name)
                {
                    assert!(
                        status == 404 || status == 409,
                        "{} on A's id answered {status}",
                        ep.name
                    );
                }
            }
        }
    }
    // A's ticket is as A left it: open, its one message, its verification still asked for by
    // code, untried, and no file (issue 18 §3).
    let (status, messages, verified, files): (String, i64, Option<i64>, i64) = sqlx::query_as(
        "SELECT status, (SELECT COUNT(*) FROM support_messages WHERE ticket_id = t.id), verified_at, \
         (SELECT COUNT(*) FROM support_attachments WHERE ticket_id = t.id) FROM support_tickets t WHERE id = $1",
    )
    .bind(&f.a_support_ticket_id)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!((status.as_str(), verified, files), ("open", None, 0));
    assert_eq!(messages, 2, "the first message and the verification's note");
    let tries: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM support_verify_codes WHERE attempts > 0")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(tries, 0);
    // A's invoice application still waits.
    let status: String =
        sqlx::query_scalar("SELECT status FROM invoice_applications WHERE id = $1")
            .bind(&f.a_invoice_id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(status, "submitted");
    // A's task is still in review, its title A's.
    let (status, title): (String, String) =
        sqlx::query_as("SELECT status, title FROM tasks WHERE id = $1")
            .bind(&f.a_task_id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), title.as_str()),
        ("in_review", "甲公司的任务")
    );
    // A's completion is still only recorded, unpaid, and nothing was recorded on A's task.
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT status, order_ref FROM task_completions WHERE task_id = $1")
            .bind(&f.a_open_task_id)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(rows, [("recorded".to_string(), None)]);
    // A's worker is still signed; B's walk sent no invitation.
    let (signed, invites): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM worker_signatures WHERE worker_id = $1 AND released_at IS NULL), \
         (SELECT COUNT(*) FROM worker_sign_invites WHERE worker_id = $1)",
    )
    .bind(&f.a_worker_id)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!((signed, invites), (1, 1));
    // A's API credential is neither rotated nor revoked.
    let (until, revoked): (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT active_until, revoked_at FROM api_credentials WHERE id = $1")
            .bind(&f.a_api_credential_id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!((until, revoked), (None, None));
    // A's callback delivery is not re-sent, its address A's.
    let url: String = sqlx::query_scalar(
        "SELECT c.url FROM callback_deliveries d JOIN api_callbacks c \
         ON c.enterprise_id = d.enterprise_id WHERE d.id = $1",
    )
    .bind(&f.a_callback_delivery_id)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(url, "http://127.0.0.1:9/cb");
    assert_eq!(app.audit_count("api_callback.resend").await, 0);
    // A's request still waits for A's code, its code untried.
    let (status, attempts): (String, i64) = sqlx::query_as(
        "SELECT r.status, c.attempts FROM privacy_requests r JOIN privacy_request_codes c ON c.request_id = r.id \
         WHERE r.id = $1 AND c.used_at IS NULL",
    )
    .bind(&f.a_request_id)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!((status.as_str(), attempts), ("unverified", 0));
    // A's WeChat binding stands, and its ticket still waits for A's phone.
    assert_eq!(app.count("wechat_bindings").await, 1);
    let status: String =
        sqlx::query_scalar("SELECT status FROM wechat_tickets WHERE status = 'scanned'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(status, "scanned");
    // A is untouched: its order and batch are as they were, the member is still an active
    // member, the invitation still open.
    let order: Value = app
        .call_as(&a_admin, "get_order", &[("id", &f.a_order_id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(order["status"], "suspended");
    let batches: Value = app
        .call_as(&a_admin, "list_batches", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(batches[0]["status"], "awaiting_confirmation");
    let page: Value = app
        .call_as(&a_admin, "list_members", &[])
        .await
        .json()
        .await
        .unwrap();
    let member = page["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == f.a_member_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (member["role"].as_str(), member["status"].as_str()),
        (Some("member"), Some("active"))
    );
    assert_eq!(page["invites"].as_array().unwrap().len(), 1);
    // B's "mark read" did not reach A's message (and B's "mark all" only B's own).
    let inbox: Value = app
        .call_as(&a_admin, "my_inbox", &[])
        .await
        .json()
        .await
        .unwrap();
    let message = inbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == f.a_message_id.as_str())
        .expect("A's message");
    assert!(message["read_at"].is_null(), "A's message is still unread");
    assert_eq!(
        app.get_as(&b_admin, &format!("/files/{}", f.a_file_id))
            .await
            .status(),
        404
    );

    // A's member cannot read or touch A's admin's request either.
    for endpoint in ["my_privacy_request", "withdraw_privacy_request"] {
        let res = app
            .call_as(&a_member, endpoint, &[("id", &f.a_request_id)])
            .await;
        assert_eq!(res.status(), 404, "{endpoint} as A's member");
    }

    // A member without admin rights, and an applicant without a business account.
    for ep in walk() {
        let as_member = call(&app, &a_member, ep, &f).await.status().as_u16();
        let as_applicant = call(&app, &a_applicant, ep, &f).await.status().as_u16();
        match ep.access {
            Access::Admin => {
                assert_eq!(as_member, 403, "{} as a member", ep.name);
                assert_eq!(as_applicant, 403, "{} as an applicant", ep.name);
            }
            Access::Member => assert_eq!(as_applicant, 403, "{} as an applicant", ep.name),
            Access::Funds | Access::Finance | Access::Tasks => {
                assert_eq!(
                    as_member, 403,
                    "{} as a member without the funds or finance permission",
                    ep.name
                );
                assert_eq!(as_applicant, 403, "{} as an applicant", ep.name);
            }
            Access::Operator(_) | Access::OperatorHalf => {
                assert_eq!(as_member, 401, "{} as a member", ep.name)
            }
            _ => {}
        }
    }

    // Operators without the role are refused; super-admin-only functions refuse everyone else.
    let support = operator_with(&app, "walk-support", &[OperatorRole::Support]).await;
    let reviewer = operator_with(&app, "walk-reviewer", &[OperatorRole::Reviewer]).await;
    for ep in walk() {
        if let Access::Operator(roles) = ep.access {
            for (cookie, role) in [
                (&support, OperatorRole::Support),
                (&reviewer, OperatorRole::Reviewer),
            ] {
                if !roles.contains(&role) {
                    let status = call(&app, cookie, ep, &f).await.status();
                    assert_eq!(status, 403, "{} as {}", ep.name, role.code());
                }
            }
        }
        // Operator sessions are not enterprise sessions.
        if matches!(
            ep.access,
            Access::User
                | Access::Member
                | Access::Admin
                | Access::Funds
                | Access::Finance
                | Access::Tasks
        ) {
            assert_eq!(
                call(&app, &support, ep, &f).await.status(),
                401,
                "{} as an operator",
                ep.name
            );
        }
    }
    let denied: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'access.denied'")
            .fetch_one(app.db.pool())
            .await
            .unwrap(),
        "n",
    );
    assert!(
        denied > 10,
        "refusals of logged-in callers are audited ({denied})"
    );
    let _ = DEMO;
}
