//! Issue 15 (P1.1.3): WeChat scan-login and binding end to end, against the WeChat simulator
//! the development server runs inside itself: the desktop's ticket and its cookie, the phone's
//! OAuth with a single-use `state` bound to the phone, confirm and cancel, expiry, another
//! browser or phone, the user refusing, a code used twice, not bound, a disabled user, the
//! binding's profile only with authorisation, and unbinding deleting it.

use crate::fixtures::session_cookie;
use crate::helpers::{spawn_app, spawn_app_with};
use crate::scan_helpers::{
    bind, bind_desk, desk, finish, json, phone, progress, query, scanned_login,
};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_3_bind_then_log_in_by_scanning_with_method_in_history_and_audit() {
    let app = spawn_app().await;
    let (cookie, mobile) = app.register_unique_login().await;
    bind(&app, &cookie, "zhang").await;
    let mine = json(app.call_as(&cookie, "my_wechat", &[]).await).await;
    assert_eq!(mine["nickname"], "张三", "the nickname, authorised: {mine}");
    assert_eq!(mine["profile_authorised"], true);
    assert!(
        mine["avatar"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,"),
        "the avatar is kept, not hot-linked"
    );
    assert_eq!(app.audit_count("account.wechat.bind").await, 1);

    let (d, p) = scanned_login(&app, "zhang").await;
    assert_eq!(progress(&app, &d).await, "scanned");
    let v = p.view(&app, &d.ticket, None).await;
    assert_eq!(v["step"], "decide", "{v}");
    assert!(v["account"].as_str().unwrap().contains(&mobile[7..]), "{v}");
    assert!(
        !v["account"].as_str().unwrap().contains(&mobile),
        "masked: {v}"
    );
    assert_eq!(v["desktop_place"]["kind"], "this_machine");
    assert_eq!(
        finish(&app, &d).await.status(),
        409,
        "not before the phone confirms"
    );
    let v = json(p.decide(&app, &d.ticket, "confirm").await).await;
    assert_eq!(v["step"], "confirmed");
    assert_eq!(progress(&app, &d).await, "confirmed");
    let res = finish(&app, &d).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let session = session_cookie(&res, "esp_session").expect("logged in");
    let me = json(app.call_as(&session, "whoami", &[]).await).await;
    assert!(me.is_object(), "{me}");
    let history = json(app.call_as(&session, "login_history", &[]).await).await;
    assert_eq!(history[0]["method"], "wechat", "{history}");
    assert_eq!(history[0]["outcome"], "ok");
    assert_eq!(app.audit_count("account.login").await, 1);
    // A ticket is used once.
    assert_eq!(finish(&app, &d).await.status(), 409);
    assert_eq!(progress(&app, &d).await, "done");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_3_another_browser_or_phone_cannot_use_the_ticket() {
    let app = spawn_app().await;
    let (cookie, _) = app.register_unique_login().await;
    bind(&app, &cookie, "li").await;
    let (d, p) = scanned_login(&app, "li").await;
    // Another desktop browser: its own cookie, or none.
    let other = desk(&app, "", "login").await;
    for c in [other.cookie.as_str(), ""] {
        let res = app
            .call_as(c, "wechat_scan_progress", &[("ticket", &d.ticket)])
            .await;
        assert_eq!(res.status(), 404);
        let res = app
            .call_as(c, "finish_wechat_login", &[("ticket", &d.ticket)])
            .await;
        assert_eq!(res.status(), 404);
        let res = app
            .get_as(c, &format!("/wx/tickets/{}/events", d.ticket))
            .await;
        assert_eq!(res.status(), 404, "nor follow its events");
    }
    // Another phone: neither sees the decision nor makes it.
    let mut intruder = phone();
    let res = intruder.open(&app, &d.ticket).await;
    assert_eq!(
        res.status(),
        200,
        "a scanned ticket is not authorised again"
    );
    let v = intruder.view(&app, &d.ticket, None).await;
    assert_eq!(v["step"], "problem");
    assert_eq!(v["problem"], "other_phone");
    assert_eq!(
        intruder.decide(&app, &d.ticket, "confirm").await.status(),
        404
    );
    // The right phone and browser still can.
    assert!(p
        .decide(&app, &d.ticket, "confirm")
        .await
        .status()
        .is_success());
    assert!(session_cookie(&finish(&app, &d).await, "esp_session").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_3_cancel_on_the_phone_and_an_expired_ticket() {
    let app = spawn_app().await;
    let (cookie, _) = app.register_unique_login().await;
    bind(&app, &cookie, "wang").await;
    let (d, p) = scanned_login(&app, "wang").await;
    let v = json(p.decide(&app, &d.ticket, "cancel").await).await;
    assert_eq!(v["step"], "cancelled");
    assert_eq!(progress(&app, &d).await, "cancelled");
    assert_eq!(finish(&app, &d).await.status(), 409);
    assert_eq!(
        p.decide(&app, &d.ticket, "confirm").await.status(),
        409,
        "decided once"
    );

    // Expiry: two minutes, whatever the phone does afterwards.
    let d = desk(&app, "", "login").await;
    app.clock.advance_ms(2 * 60_000);
    assert_eq!(progress(&app, &d).await, "expired");
    let mut late = phone();
    let res = late.open(&app, &d.ticket).await;
    assert_eq!(res.status(), 200, "no authorisation for an expired ticket");
    assert_eq!(late.view(&app, &d.ticket, None).await["step"], "gone");
    // Scanned but confirmed too late.
    let (d, p) = scanned_login(&app, "wang").await;
    app.clock.advance_ms(2 * 60_000);
    assert_eq!(p.decide(&app, &d.ticket, "confirm").await.status(), 409);
    assert_eq!(progress(&app, &d).await, "expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_3_state_is_single_use_bound_to_the_phone_and_a_code_works_once() {
    let app = spawn_app().await;
    let d = desk(&app, "", "login").await;
    let mut p = phone();
    let authorize = p.authorize_url(&app, &d.ticket).await;
    let back = p.wechat_decides(&app, &authorize, "zhang", true).await;
    // WeChat's return carried to another phone (CSRF): refused, and it spends nothing.
    let mut other = phone();
    other.cookie = "esp_wx_phone=someone-else".into();
    assert_eq!(other.back(&back).await, "/wx/scan/-?problem=bad_state");
    // A wrong state.
    let forged = back.replace("state=", "state=x");
    assert_eq!(p.back(&forged).await, "/wx/scan/-?problem=bad_state");
    // The right phone: once.
    assert_eq!(p.back(&back).await, format!("/wx/scan/{}", d.ticket));
    assert_eq!(
        p.back(&back).await,
        "/wx/scan/-?problem=bad_state",
        "a state works once"
    );
    assert_eq!(progress(&app, &d).await, "not_bound");
    assert_eq!(p.view(&app, &d.ticket, None).await["step"], "not_bound");

    // A code used twice: WeChat's answer 40163, worded for the phone.
    let d = desk(&app, "", "login").await;
    let mut p = phone();
    let authorize = p.authorize_url(&app, &d.ticket).await;
    let back = p.wechat_decides(&app, &authorize, "zhang", true).await;
    let code = query(&back)["code"].clone();
    p.back(&back).await;
    let d2 = desk(&app, "", "login").await;
    let authorize = p.authorize_url(&app, &d2.ticket).await;
    let state = query(authorize.split('#').next().unwrap())["state"].clone();
    let replay = app.url(&format!("/wx/callback?code={code}&state={state}"));
    let to = p.back(&replay).await;
    assert_eq!(to, format!("/wx/scan/{}?problem=code_used", d2.ticket));
    let v = p.view(&app, &d2.ticket, Some("code_used")).await;
    assert_eq!(
        (v["step"].as_str(), v["problem"].as_str()),
        (Some("problem"), Some("code_used"))
    );
    assert!(
        v["retry"].as_str().is_some(),
        "the ticket still waits: try again"
    );

    // The user refuses in WeChat: no code; the ticket still waits.
    let d = desk(&app, "", "login").await;
    let mut p = phone();
    let authorize = p.authorize_url(&app, &d.ticket).await;
    let back = p.wechat_decides(&app, &authorize, "zhang", false).await;
    assert!(!back.contains("code="));
    assert_eq!(
        p.back(&back).await,
        format!("/wx/scan/{}?problem=refused", d.ticket)
    );
    assert_eq!(progress(&app, &d).await, "waiting");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_3_a_disabled_user_is_refused_and_operators_have_no_wechat_login() {
    let app = spawn_app().await;
    let (cookie, _) = app.register_unique_login().await;
    bind(&app, &cookie, "zhang").await;
    let (d, p) = scanned_login(&app, "zhang").await;
    p.decide(&app, &d.ticket, "confirm").await;
    sqlx::query(
        "UPDATE users SET status = 'disabled' WHERE id IN (SELECT user_id FROM wechat_bindings)",
    )
    .execute(app.db.pool())
    .await
    .unwrap();
    let res = finish(&app, &d).await;
    assert_eq!(res.status(), 403);
    assert!(session_cookie(&res, "esp_session").is_none());
    let (outcome, method): (String, String) = sqlx::query_as(
        "SELECT outcome, method FROM login_events ORDER BY at DESC, outcome LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!((outcome.as_str(), method.as_str()), ("disabled", "wechat"));
    // Bindings name login persons only: an operator has none to log in with.
    let fk: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM wechat_bindings b JOIN users u ON u.id = b.user_id",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(fk, app.count("wechat_bindings").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_3_unbinding_deletes_the_profile_and_one_wechat_binds_one_person() {
    let app = spawn_app().await;
    let (cookie, _) = app.register_unique_login().await;
    bind(&app, &cookie, "li").await;
    let avatar: String = sqlx::query_scalar("SELECT avatar_file_id FROM wechat_bindings")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(app.state.files.get(&avatar).is_ok());
    // Another login person cannot bind the same WeChat account.
    let (other, _) = app.register_unique_login().await;
    let d = bind_desk(&app, &other).await;
    let mut p = phone();
    let page = p.scan(&app, &d.ticket, "li").await;
    assert_eq!(
        page,
        format!("/wx/scan/{}?problem=bound_elsewhere", d.ticket)
    );
    // Nor the first bind a second one; and a new binding code needs the password.
    let res = app
        .call_as(
            &cookie,
            "start_wechat_scan",
            &[("purpose", "bind"), ("lang", "zh-CN")],
        )
        .await;
    assert_eq!(res.status(), 409);
    let res = app
        .call_as(
            &other,
            "start_wechat_scan",
            &[("purpose", "bind"), ("lang", "zh-CN")],
        )
        .await;
    assert_eq!(res.status(), 409, "no code without the password");
    let res = app
        .call_as(
            &other,
            "begin_wechat_bind",
            &[("password", "wrong-Password-1"), ("lang", "zh-CN")],
        )
        .await;
    assert_eq!(res.status(), 422, "a wrong password");
    // The binding and the unbinding are told to the login person (security notices).
    let told: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE purpose = 'wechat_binding'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert!(told > 0, "the binding is told");
    // Binding needs a login.
    let res = app
        .call(
            "start_wechat_scan",
            &[("purpose", "bind"), ("lang", "zh-CN")],
        )
        .await;
    assert_eq!(res.status(), 401);

    // A login confirmed on the phone just before the unbinding cannot be finished after it.
    let (pending, p) = scanned_login(&app, "li").await;
    assert!(p
        .decide(&app, &pending.ticket, "confirm")
        .await
        .status()
        .is_success());
    let res = app.call_as(&cookie, "unbind_wechat", &[]).await;
    assert!(res.status().is_success() || res.status().is_redirection());
    assert_eq!(
        json(app.call_as(&cookie, "my_wechat", &[]).await).await,
        Value::Null
    );
    assert_eq!(app.count("wechat_bindings").await, 0);
    assert!(
        app.state.files.get(&avatar).is_err(),
        "the avatar file is deleted"
    );
    assert_eq!(app.audit_count("account.wechat.unbind").await, 1);
    assert_eq!(
        app.call_as(&cookie, "unbind_wechat", &[]).await.status(),
        404
    );
    assert_eq!(
        finish(&app, &pending).await.status(),
        409,
        "no longer bound"
    );
    // Unbound, the WeChat account logs in nobody.
    let (d, p) = scanned_login(&app, "li").await;
    assert_eq!(p.view(&app, &d.ticket, None).await["step"], "not_bound");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_3_outside_wechat_the_page_says_scan_with_wechat_and_tickets_are_limited() {
    let app = spawn_app_with(&["--wechat-tickets-per-minute", "2"]).await;
    let d = desk(&app, "", "login").await;
    let res = app.get_as("", &format!("/wx/scan/{}", d.ticket)).await;
    assert_eq!(
        res.status(),
        200,
        "a desktop browser gets the page, not WeChat's OAuth"
    );
    let res = app.call("wechat_scan_view", &[("ticket", &d.ticket)]).await;
    let v = json(res).await;
    assert_eq!(v["step"], "outside_wechat");
    // With the simulator, this browser can stand for WeChat's, so one machine is enough.
    let open = v["sim_open"]
        .as_str()
        .expect("the simulator's link")
        .to_string();
    assert!(open.contains("/wxsim/_sim/open?next="), "{open}");
    let res = app.client.get(&open).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let inside = session_cookie(&res, "wxsim_inside").expect("the simulator's cookie");
    let res = app.get_as(&inside, &format!("/wx/scan/{}", d.ticket)).await;
    assert_eq!(res.status(), 303, "into the (simulated) authorisation");
    assert!(res.headers()["location"]
        .to_str()
        .unwrap()
        .contains("/connect/oauth2/authorize?"));
    for next in ["https://evil.example/", "//evil.example", "/portal"] {
        let res = app
            .client
            .get(app.url(&format!(
                "/wxsim/_sim/open?next={}",
                app::model::net::encode_component(next)
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{next}");
    }
    desk(&app, "", "login").await;
    let res = app
        .call(
            "start_wechat_scan",
            &[("purpose", "login"), ("lang", "zh-CN")],
        )
        .await;
    assert_eq!(res.status(), 429, "tickets are limited per address");
    let res = app
        .call(
            "start_wechat_scan",
            &[("purpose", "nonsense"), ("lang", "zh-CN")],
        )
        .await;
    assert_eq!(res.status(), 422);
}
