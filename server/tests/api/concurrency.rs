//! Invariants under concurrent requests, on both engines (P5.2, P1.1.2).

use crate::helpers::{session_cookie, spawn_app};
use app::backend::seed::DEMO;
use serde_json::Value;

/// P5.2: twenty wrong passwords sent at once still count as five: the account locks, and no
/// more than five passwords were ever checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_parallel_guesses_cannot_pass_the_lockout() {
    let app = spawn_app().await;
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..20 {
        let client = app.client.clone();
        let url = app.url("/api/login");
        guesses.spawn(async move {
            let pw = format!("Wrong-Pass-{i}");
            let res = client
                .post(url)
                .header("accept", "application/json")
                .form(&[("login", DEMO.admin_mobile), ("password", pw.as_str())])
                .send()
                .await
                .unwrap();
            res.status().as_u16()
        });
    }
    let statuses = guesses.join_all().await;
    assert!(
        statuses.iter().all(|s| [401, 423, 429].contains(s)),
        "{statuses:?}"
    );
    let checked: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM login_events WHERE outcome = 'bad_password'")
            .fetch_one(app.db.pool())
            .await
            .unwrap(),
        "n",
    );
    assert_eq!(checked, 5, "{statuses:?}");
    let res = app
        .call(
            "login",
            &[
                ("login", DEMO.admin_mobile),
                ("password", DEMO.admin_password),
            ],
        )
        .await;
    assert_eq!(res.status(), 423);
}

/// P1.1.2: two admins demoting each other at the same moment leave the enterprise with an
/// admin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_2_an_enterprise_keeps_an_admin_under_races() {
    let app = spawn_app().await;
    let a = app.open_enterprise("双管理员公司").await;
    let invited: Value = app
        .call_as(
            &a,
            "invite_member",
            &[
                ("name", "第二管理员"),
                ("mobile", "13411112222"),
                ("email", "second@example.com"),
                ("role", "admin"),
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
                ("password", "Second-Pass-2026"),
                ("accept", "on"),
                ("privacy_version_id", &privacy),
                ("terms_version_id", &terms),
            ],
        )
        .await;
    let b = session_cookie(&res, "esp_session").unwrap();
    let page: Value = app
        .call_as(&a, "list_members", &[])
        .await
        .json()
        .await
        .unwrap();
    let id_of = |is_self: bool| {
        page["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["is_self"] == is_self)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (a_id, b_id) = (id_of(true), id_of(false));
    for _ in 0..5 {
        let form_a = [("id", b_id.as_str()), ("role", "member")];
        let form_b = [("id", a_id.as_str()), ("role", "member")];
        let (ra, rb) = tokio::join!(
            app.call_as(&a, "set_member_access", &form_a),
            app.call_as(&b, "set_member_access", &form_b),
        );
        let admins: i64 = sqlx::Row::get(
            &sqlx::query("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND status = 'active' AND id IN ($1, $2)")
                .bind(&a_id)
                .bind(&b_id)
                .fetch_one(app.db.pool())
                .await
                .unwrap(),
            "n",
        );
        assert!(
            admins >= 1,
            "no admin left ({}, {})",
            ra.status(),
            rb.status()
        );
        assert!(ra.status().as_u16() < 500 && rb.status().as_u16() < 500);
        // Make both admins again for the next round (whoever is still admin promotes the other).
        let (admin, other) = if admins == 2 {
            (&a, &b_id)
        } else {
            let who: Value = app.call_as(&a, "whoami", &[]).await.json().await.unwrap();
            if who["enterprise"]["role"] == "admin" {
                (&a, &b_id)
            } else {
                (&b, &a_id)
            }
        };
        let res = app
            .call_as(
                admin,
                "set_member_access",
                &[("id", other), ("role", "admin")],
            )
            .await;
        assert!(res.status().is_success() || admins == 2);
    }
}

/// P5.2: attempts that never finished (a client that hung up mid-check) cannot leave an
/// account unusable: a used-up allowance turns into an ordinary 30-minute lock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_abandoned_attempts_become_an_ordinary_lock() {
    let app = spawn_app().await;
    sqlx::query("UPDATE users SET failed_logins = 5")
        .execute(app.db.pool())
        .await
        .unwrap();
    let res = app
        .call(
            "login",
            &[
                ("login", DEMO.admin_mobile),
                ("password", DEMO.admin_password),
            ],
        )
        .await;
    assert_eq!(res.status(), 423);
    app.clock.advance_minutes(31);
    app.login(DEMO.admin_mobile, DEMO.admin_password).await;
}

/// P5.2: an operator's password step does not reset the count that wrong TOTP codes raise,
/// so "password, wrong code" cycles lock the account too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_2_wrong_totp_codes_cannot_be_cycled() {
    let app = spawn_app().await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let res = app
            .call(
                "ops_login",
                &[
                    ("login", DEMO.operator_login),
                    ("password", DEMO.operator_password),
                ],
            )
            .await;
        statuses.push(res.status().as_u16());
        if let Some(half) = session_cookie(&res, "esp_ops_session") {
            statuses.push(
                app.call_as(&half, "ops_totp", &[("code", "000000")])
                    .await
                    .status()
                    .as_u16(),
            );
        }
    }
    assert_eq!(statuses.last(), Some(&423), "{statuses:?}");
    let res = app
        .call(
            "ops_login",
            &[
                ("login", DEMO.operator_login),
                ("password", DEMO.operator_password),
            ],
        )
        .await;
    assert_eq!(res.status(), 423, "locked for passwords too");
}
