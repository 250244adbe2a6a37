//! Operator management (P5.1, P5.2): a super-admin creates operators, who enrol through a
//! one-time link with a QR code and one confirmed code; roles, disabling and resets are
//! audited and end sessions; nobody changes their own account; the platform keeps a
//! super-admin.

use crate::helpers::{json, spawn_app, totp_now, TestApp};
use app::backend::audit::Actor;
use app::model::audit::ActorKind;

const PW: &str = "Operator-Pass-2026";

fn token_of(link: &serde_json::Value) -> String {
    let link = link["link"].as_str().unwrap();
    link.rsplit('/').next().unwrap().to_string()
}

/// Creates an operator with `roles` as the demo super-admin; returns (id, enrolment token).
async fn create(app: &TestApp, ops: &str, login: &str, roles: &[&str]) -> (String, String) {
    let mut form = vec![("login", login), ("display_name", "新运营")];
    form.extend(roles.iter().map(|r| (*r, "on")));
    let res = app.call_as(ops, "create_operator", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let link = json(res).await;
    assert!(link["link"].as_str().unwrap().contains("/ops/enrol/"));
    (
        link["operator_id"].as_str().unwrap().into(),
        token_of(&link),
    )
}

/// Enrols with the link: returns the TOTP secret (the new one, or `secret` when kept).
async fn enrol(app: &TestApp, token: &str, secret: Option<&str>) -> String {
    let page = json(app.call("operator_enrolment", &[("token", token)]).await).await;
    let secret = match secret {
        Some(s) => {
            assert!(page["authenticator"].is_null(), "the authenticator is kept");
            s.to_string()
        }
        None => {
            let a = &page["authenticator"];
            assert!(a["qr_svg"].as_str().unwrap().contains("<svg"));
            assert!(a["otpauth_uri"]
                .as_str()
                .unwrap()
                .starts_with("otpauth://totp/"));
            a["secret"].as_str().unwrap().to_string()
        }
    };
    app.clock.advance_ms(30_000);
    let code = totp_now(&secret, &app.clock);
    let res = app
        .call(
            "enrol_operator",
            &[("token", token), ("password", PW), ("code", &code)],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    secret
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_a_new_operator_enrols_with_a_qr_code_and_one_code_then_logs_in() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let (_, token) = create(&app, &ops, "new.reviewer", &["reviewer"]).await;
    // Not before enrolling: no password anyone knows.
    let res = app
        .call("ops_login", &[("login", "new.reviewer"), ("password", PW)])
        .await;
    assert_eq!(res.status(), 401);
    // Bad input is a field error, and uses nothing up.
    let res = app
        .call(
            "enrol_operator",
            &[("token", &token), ("password", "short"), ("code", "000000")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .call(
            "enrol_operator",
            &[("token", &token), ("password", PW), ("code", "000000")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("code"));
    let secret = enrol(&app, &token, None).await;
    // Once only.
    let res = app.call("operator_enrolment", &[("token", &token)]).await;
    assert_eq!(res.status(), 409);
    let res = app
        .call("operator_enrolment", &[("token", &"0".repeat(64))])
        .await;
    assert_eq!(res.status(), 404);
    let me = app.ops_login("new.reviewer", PW, &secret).await;
    let state = json(app.call_as(&me, "ops_whoami", &[]).await).await;
    assert_eq!(
        state["In"]["roles"],
        serde_json::json!(["reviewer"]),
        "{state}"
    );
    // A login name is unique, and both fields are checked together.
    let res = app
        .call_as(
            &ops,
            "create_operator",
            &[
                ("login", "new.reviewer"),
                ("display_name", "重名"),
                ("finance", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    let res = app
        .call_as(
            &ops,
            "create_operator",
            &[("login", "x"), ("display_name", "")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("login") && body.contains("display_name") && body.contains("roles"),
        "{body}"
    );
    // Guessing codes uses a link up after five tries; a disabled operator's link stops working.
    let (guessed, token) = create(&app, &ops, "guess.me", &["support"]).await;
    for _ in 0..5 {
        let res = app
            .call(
                "enrol_operator",
                &[("token", &token), ("password", PW), ("code", "000000")],
            )
            .await;
        assert_eq!(res.status(), 422);
    }
    let res = app.call("operator_enrolment", &[("token", &token)]).await;
    assert_eq!(res.status(), 409, "used up by wrong codes");
    let link = json(
        app.call_as(
            &ops,
            "reset_operator",
            &[("id", &guessed), ("what", "totp")],
        )
        .await,
    )
    .await;
    app.call_as(
        &ops,
        "set_operator_status",
        &[("id", &guessed), ("active", "off")],
    )
    .await;
    let res = app
        .call("operator_enrolment", &[("token", &token_of(&link))])
        .await;
    assert!(res.status().is_client_error(), "{}", res.status());
    for action in ["operator.create", "operator.enrol"] {
        assert!(app.audit_count(action).await >= 1, "{action}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_1_roles_disabling_and_resets_are_audited_and_end_sessions() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let (id, token) = create(&app, &ops, "ops.two", &["reviewer"]).await;
    let secret = enrol(&app, &token, None).await;
    let them = app.ops_login("ops.two", PW, &secret).await;

    // Roles.
    let res = app
        .call_as(
            &ops,
            "set_operator_roles",
            &[("id", &id), ("finance", "on"), ("support", "on")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let list = json(app.call_as(&ops, "list_operators", &[]).await).await;
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["roles"], serde_json::json!(["finance", "support"]));
    let res = app
        .call_as(&ops, "set_operator_roles", &[("id", &id)])
        .await;
    assert_eq!(res.status(), 422, "at least one role");

    // Disabled: the session ends and the login is refused; re-enabled, it works again.
    let res = app
        .call_as(
            &ops,
            "set_operator_status",
            &[("id", &id), ("active", "off")],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.call_as(&them, "list_enterprises", &[]).await.status(),
        401
    );
    let res = app
        .call("ops_login", &[("login", "ops.two"), ("password", PW)])
        .await;
    assert!(res.status().is_client_error());
    app.call_as(
        &ops,
        "set_operator_status",
        &[("id", &id), ("active", "on")],
    )
    .await;
    let them = app.ops_login("ops.two", PW, &secret).await;

    // A lost phone: a new authenticator; the old one and the session stop working.
    let link = json(
        app.call_as(&ops, "reset_operator", &[("id", &id), ("what", "totp")])
            .await,
    )
    .await;
    assert_eq!(
        app.call_as(&them, "list_operators", &[]).await.status(),
        401
    );
    let res = app
        .call("ops_login", &[("login", "ops.two"), ("password", PW)])
        .await;
    assert_eq!(res.status(), 401, "not enrolled again yet");
    let fresh = enrol(&app, &token_of(&link), None).await;
    assert_ne!(fresh, secret);
    app.ops_login("ops.two", PW, &fresh).await;

    // A forgotten password: the authenticator stays.
    let link = json(
        app.call_as(&ops, "reset_operator", &[("id", &id), ("what", "password")])
            .await,
    )
    .await;
    enrol(&app, &token_of(&link), Some(&fresh)).await;
    app.ops_login("ops.two", PW, &fresh).await;

    for action in [
        "operator.roles",
        "operator.disable",
        "operator.enable",
        "operator.reset_totp",
        "operator.reset_password",
    ] {
        assert_eq!(app.audit_count(action).await, 1, "{action}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_1_nobody_changes_their_own_account_and_a_super_admin_always_remains() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let me = json(app.call_as(&ops, "ops_whoami", &[]).await).await["In"]["operator_id"]
        .as_str()
        .unwrap()
        .to_string();
    for (endpoint, form) in [
        (
            "set_operator_status",
            vec![("id", me.as_str()), ("active", "off")],
        ),
        (
            "set_operator_roles",
            vec![("id", me.as_str()), ("reviewer", "on")],
        ),
        (
            "reset_operator",
            vec![("id", me.as_str()), ("what", "totp")],
        ),
    ] {
        let res = app.call_as(&ops, endpoint, &form).await;
        assert_eq!(res.status(), 409, "{endpoint} on oneself");
    }
    // A second super-admin disables the first; the first's request to disable the second,
    // sent before that and arriving after it, is refused: one super-admin always remains.
    let (second, token) = create(&app, &ops, "second.admin", &["super_admin"]).await;
    let secret = enrol(&app, &token, None).await;
    let other = app.ops_login("second.admin", PW, &secret).await;
    let res = app
        .call_as(
            &other,
            "set_operator_status",
            &[("id", &me), ("active", "off")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let stale = Actor {
        kind: ActorKind::Operator,
        id: me.clone(),
        role: "super_admin".into(),
        ip: "127.0.0.1".into(),
    };
    let state = app.state.clone();
    let target = second.clone();
    let refused = crate::helpers::on_server(async move {
        app::backend::accounts::operator_admin::set_status(&state, &stale, &target, false).await
    })
    .await;
    // Refused: the actor is no longer an active super-admin (re-checked under the lock).
    assert_eq!(refused, Err(app::error::AppError::Forbidden));
    let list = json(app.call_as(&other, "list_operators", &[]).await).await;
    let kept = list
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == second.as_str())
        .unwrap()
        .clone();
    assert_eq!(kept["status"], "active");
    // Two super-admins disabling each other: the first wins, and the second's session has
    // ended, so one super-admin remains.
    let (third, token) = create(&app, &other, "third.admin", &["super_admin"]).await;
    let secret = enrol(&app, &token, None).await;
    let third_session = app.ops_login("third.admin", PW, &secret).await;
    let state = app.state.clone();
    let (second_id, third_id) = (second.clone(), third.clone());
    let first = crate::helpers::on_server({
        let state = state.clone();
        async move {
            let a = Actor {
                kind: ActorKind::Operator,
                id: second_id.clone(),
                role: "super_admin".into(),
                ip: "-".into(),
            };
            app::backend::accounts::operator_admin::set_status(&state, &a, &third_id, false).await
        }
    })
    .await;
    assert_eq!(first, Ok(()));
    let res = app
        .call_as(
            &third_session,
            "set_operator_status",
            &[("id", &second), ("active", "off")],
        )
        .await;
    assert_eq!(res.status(), 401, "the disabled operator's session ended");
}
