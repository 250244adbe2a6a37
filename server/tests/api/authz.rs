//! The authorisation walk (P5.1): every server function, called as a visitor, as a member of
//! another enterprise, and as someone without the needed permission or role, is refused.
//!
//! A new server function must be added to [`ENDPOINTS`] with its access rule and arguments:
//! `every_server_function_is_listed` fails until it is.

use crate::helpers::{session_cookie, spawn_app, TestApp};
use app::backend::seed::DEMO;
use app::model::account::OperatorRole;
use serde_json::Value;

/// Who may call a server function.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Access {
    /// Anyone (it reads public data, or its token is the credential).
    Public,
    /// A logged-in login person (applicants included).
    User,
    /// A login person of an open business account.
    Member,
    /// That account's admin.
    Admin,
    /// A login person of an open business account with the funds permission (or the admin).
    Funds,
    /// An operator after TOTP with one of these roles (super-admins hold all; empty = super-admin only).
    Operator(&'static [OperatorRole]),
    /// The operator's second login step: needs the password step's session.
    OperatorHalf,
}

/// Ids of enterprise A's things, which enterprise B must never reach.
#[derive(Default)]
struct Fixture {
    a_member_id: String,
    a_invite_id: String,
    a_session_handle: String,
    a_file_id: String,
    a_application_id: String,
    a_enterprise_id: String,
    a_order_id: String,
    a_batch_id: String,
}

type Args = fn(&Fixture) -> Vec<(&'static str, String)>;

fn none(_: &Fixture) -> Vec<(&'static str, String)> {
    vec![]
}

struct Endpoint {
    name: &'static str,
    access: Access,
    args: Args,
}

const REVIEWER: &[OperatorRole] = &[OperatorRole::Reviewer];
const PRIVACY: &[OperatorRole] = &[OperatorRole::PrivacyOfficer];
const SUPER: &[OperatorRole] = &[];
const VIEWERS: &[OperatorRole] = &[OperatorRole::Reviewer, OperatorRole::Support];
const FINANCE: &[OperatorRole] = &[OperatorRole::Finance];

fn order_args(_: &Fixture) -> Vec<(&'static str, String)> {
    crate::helpers::order_form("WALK-1", "bank", "6222021234561234", "1")
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect()
}

fn a_order(f: &Fixture) -> Vec<(&'static str, String)> {
    vec![("id", f.a_order_id.clone())]
}

/// Server functions that take a multipart upload, and the file the walk sends.
const UPLOADS: &[(&str, &str)] = &[
    ("upload_application_file", "licence"),
    ("upload_batch", "order_id,payee_name,id_number,channel,account,mobile,amount\nW-1,张三,11010519491231002X,bank,6222021234561234,13800000001,1\n"),
    ("import_statement", "bank_ref,value_date,payer_name,payer_account,receiving_account_no,amount\nWALK-1,2026-11-29,x,62258800123456,9999999999999999,1\n"),
];

macro_rules! ep {
    ($name:literal, $access:expr) => {
        Endpoint {
            name: $name,
            access: $access,
            args: none,
        }
    };
    ($name:literal, $access:expr, $args:expr) => {
        Endpoint {
            name: $name,
            access: $access,
            args: $args,
        }
    };
}

const ENDPOINTS: &[Endpoint] = &[
    ep!("platform_info", Access::Public),
    ep!("announcements", Access::Public, |_| vec![(
        "limit",
        "5".into()
    )]),
    ep!("announcement", Access::Public, |_| vec![(
        "id",
        "0".repeat(32)
    )]),
    ep!("policy_page", Access::Public, |_| vec![(
        "kind",
        "privacy".into()
    )]),
    ep!("current_policies", Access::Public),
    ep!("consent_state", Access::Public, |_| vec![(
        "lang",
        "zh-CN".into()
    )]),
    ep!("save_consent", Access::Public, |_| vec![
        ("choice", "reject_all".into()),
        ("lang", "zh-CN".into())
    ]),
    ep!("remembered_login", Access::Public),
    ep!("my_consents", Access::User),
    ep!("register", Access::Public, |_| vec![
        ("name", "x".into()),
        ("mobile", "1".into()),
        ("email", "x".into()),
        ("password", "x".into()),
        ("privacy_version_id", "x".into()),
        ("terms_version_id", "x".into()),
    ]),
    ep!("login", Access::Public, |_| vec![
        ("login", "13000000000".into()),
        ("password", "x".into())
    ]),
    ep!("logout", Access::Public),
    ep!("whoami", Access::Public),
    ep!("ops_login", Access::Public, |_| vec![
        ("login", "nobody".into()),
        ("password", "x".into())
    ]),
    ep!("ops_logout", Access::Public),
    ep!("ops_whoami", Access::Public),
    ep!("invite_preview", Access::Public, |_| vec![(
        "token",
        "0".repeat(64)
    )]),
    ep!("accept_invite", Access::Public, |_| vec![
        ("token", "0".repeat(64)),
        ("password", "x".into()),
        ("privacy_version_id", "x".into()),
        ("terms_version_id", "x".into()),
    ]),
    ep!("ops_totp", Access::OperatorHalf, |_| vec![(
        "code",
        "000000".into()
    )]),
    ep!("logout_all", Access::User),
    ep!("end_session", Access::User, |f| vec![(
        "handle",
        f.a_session_handle.clone()
    )]),
    ep!("my_profile", Access::User),
    ep!("update_profile", Access::User, |_| vec![
        ("name", "改名".into()),
        ("mobile", "13900000000".into()),
        ("email", "x@example.com".into())
    ]),
    ep!("change_password", Access::User, |_| vec![
        ("current_password", "x".into()),
        ("new_password", "Abcdefg-123".into())
    ]),
    ep!("login_history", Access::User),
    ep!("my_sessions", Access::User),
    ep!("my_application", Access::User),
    ep!("save_application", Access::User, |_| vec![
        ("enterprise_name", "x".into()),
        ("credit_code", "x".into()),
        ("registered_address", "x".into()),
        ("business_scope", "x".into()),
        ("platform_name", "x".into()),
        ("platform_url", "x".into()),
        ("platform_description", "x".into()),
        ("outsourced_work", "x".into()),
        ("intent", "save".into()),
    ]),
    ep!("upload_application_file", Access::User),
    ep!("delete_application_file", Access::User, |f| vec![(
        "id",
        f.a_file_id.clone()
    )]),
    ep!("business_info", Access::Member),
    ep!("operation_records", Access::Admin),
    ep!("list_members", Access::Admin),
    ep!("invite_member", Access::Admin, |_| vec![
        ("name", "x".into()),
        ("mobile", "13211112222".into()),
        ("email", "walk@example.com".into()),
        ("role", "member".into()),
    ]),
    ep!("set_member_access", Access::Admin, |f| vec![
        ("id", f.a_member_id.clone()),
        ("role", "admin".into())
    ]),
    ep!("set_member_status", Access::Admin, |f| vec![
        ("id", f.a_member_id.clone()),
        ("active", "false".into())
    ]),
    ep!("transfer_admin", Access::Admin, |f| vec![
        ("id", f.a_member_id.clone()),
        ("password", crate::helpers::APPLICANT_PW.into())
    ]),
    ep!("revoke_invite", Access::Admin, |f| vec![(
        "id",
        f.a_invite_id.clone()
    )]),
    ep!("list_operators", Access::Operator(SUPER)),
    ep!("search_audit", Access::Operator(SUPER), |_| vec![(
        "query[limit]",
        "5".into()
    )]),
    ep!("verify_audit", Access::Operator(SUPER)),
    ep!("review_queue", Access::Operator(REVIEWER)),
    ep!("review_application", Access::Operator(REVIEWER), |f| vec![
        ("id", f.a_application_id.clone())
    ]),
    ep!("decide_application", Access::Operator(REVIEWER), |f| vec![
        ("id", f.a_application_id.clone()),
        ("decision", "reject".into()),
        ("message", "walk".into())
    ]),
    ep!("list_outbox", Access::Operator(PRIVACY)),
    ep!("list_enterprises", Access::Operator(VIEWERS)),
    ep!("enterprise_detail", Access::Operator(VIEWERS), |f| vec![(
        "id",
        f.a_enterprise_id.clone()
    )]),
    ep!("funds_overview", Access::Funds),
    ep!("list_topups", Access::Funds),
    ep!("create_order", Access::Funds, order_args),
    ep!("list_orders", Access::Funds, |f| vec![
        ("status", String::new()),
        ("batch", f.a_batch_id.clone()),
        ("cursor", String::new())
    ]),
    ep!("get_order", Access::Funds, a_order),
    ep!("reveal_order", Access::Funds, a_order),
    ep!("cancel_order", Access::Funds, a_order),
    ep!("retry_order", Access::Funds, a_order),
    ep!("upload_batch", Access::Funds),
    ep!("list_batches", Access::Funds),
    ep!("decide_batch", Access::Funds, |f| vec![
        ("id", f.a_batch_id.clone()),
        ("confirm", "false".into())
    ]),
    ep!("fund_flow", Access::Funds, |_| vec![
        ("from", String::new()),
        ("to", String::new()),
        ("category", String::new()),
        ("cursor", String::new())
    ]),
    ep!("bill_months", Access::Funds),
    ep!("get_bill", Access::Funds, |_| vec![(
        "month",
        "2026-11".into()
    )]),
    ep!("transfers_page", Access::Admin),
    ep!("set_withdrawal_account", Access::Admin, |_| vec![
        ("account_name", "x".into()),
        ("bank_name", "y".into()),
        ("account_no", "62122612345678".into())
    ]),
    ep!("request_transfer", Access::Admin, |_| vec![
        ("amount", "1".into()),
        ("key", "walk".into())
    ]),
    ep!("record_credit", Access::Operator(FINANCE), |_| vec![
        ("bank_ref", "WALK-2".into()),
        ("value_date", "2026-11-29".into()),
        ("payer_name", "x".into()),
        ("payer_account", "62258800123456".into()),
        ("receiving_account_no", "9999999999999999".into()),
        ("amount", "1".into()),
        ("bank_fee", String::new())
    ]),
    ep!("import_statement", Access::Operator(FINANCE)),
    ep!("list_credits", Access::Operator(FINANCE), |_| vec![(
        "unmatched_only",
        "false".into()
    )]),
    ep!("assign_credit", Access::Operator(FINANCE), |_| vec![
        ("id", "0".repeat(32)),
        ("enterprise", "x".into())
    ]),
    ep!(
        "list_transfer_requests",
        Access::Operator(FINANCE),
        |_| vec![("waiting_only", "true".into())]
    ),
    ep!("decide_transfer", Access::Operator(FINANCE), |_| vec![
        ("id", "0".repeat(32)),
        ("approve", "true".into()),
        ("reason", String::new())
    ]),
    ep!("payout_status", Access::Operator(FINANCE)),
    ep!("simulate_return", Access::Operator(FINANCE), |f| vec![(
        "key",
        f.a_order_id.clone()
    )]),
];

async fn call(app: &TestApp, cookie: &str, ep: &Endpoint, f: &Fixture) -> reqwest::Response {
    if let Some((_, content)) = UPLOADS.iter().find(|(name, _)| *name == ep.name) {
        let form = if ep.name == "upload_application_file" {
            reqwest::multipart::Form::new()
                .text("purpose", "licence")
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(crate::helpers::tiny_png()).file_name("l.png"),
                )
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
    assert!(registered.len() >= ENDPOINTS.len());
    for name in &registered {
        assert!(
            ENDPOINTS.iter().any(|e| e.name == name),
            "server function `{name}` is not in the authorisation walk: add it to ENDPOINTS with its access rule"
        );
    }
}

/// P5.1: a visitor is refused by every server function that is not public.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_1_visitors_are_refused() {
    let app = spawn_app().await;
    let f = Fixture::default();
    for ep in ENDPOINTS.iter().filter(|e| e.access != Access::Public) {
        let res = call(&app, "", ep, &f).await;
        assert_eq!(res.status(), 401, "{} as a visitor", ep.name);
    }
}

async fn operator_with(app: &TestApp, login: &str, roles: &[OperatorRole]) -> String {
    let mut tx = app.db.pool().begin().await.unwrap();
    let created = app::backend::accounts::operators::create(
        &mut tx,
        &app.state.cipher,
        login,
        "测试运营",
        "Ops-Pass-2026",
        roles,
        None,
        "test",
        app::backend::clock::Clock::now(&*app.clock),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    app.ops_login(login, "Ops-Pass-2026", &created.totp_secret)
        .await
}

/// P5.1: members of another enterprise reach nothing of enterprise A; members without the
/// permission, enterprise users in the console, and operators without the role are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_1_other_tenants_and_missing_permissions_are_refused() {
    let app = spawn_app().await;
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
    let token = invited["link"]
        .as_str()
        .unwrap()
        .trim_start_matches("/invite/")
        .to_string();
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
    };

    // Enterprise B's admin walks every function with A's ids. (Logging out takes no target:
    // it would only end the walker's own session, so it is left out of the walks.)
    let walk = || {
        ENDPOINTS
            .iter()
            .filter(|e| !["logout", "logout_all", "ops_logout"].contains(&e.name))
    };
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
                    "reveal_order",
                    "cancel_order",
                    "retry_order",
                    "decide_batch",
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
    assert_eq!(
        app.get_as(&b_admin, &format!("/files/{}", f.a_file_id))
            .await
            .status(),
        404
    );

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
            Access::Funds => {
                assert_eq!(
                    as_member, 403,
                    "{} as a member without the funds permission",
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
            Access::User | Access::Member | Access::Admin | Access::Funds
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
