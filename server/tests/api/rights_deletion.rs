//! Deletion carried out by the product (issue 16 §5, P6.3): refused for an open enterprise's
//! admin and under a legal hold; otherwise the requester is erased as the data map says, and
//! **a scan of every column of every table** (sealed ones opened) finds none of their personal
//! values — while every row about anyone else is exactly as it was, and what the law keeps
//! (login events) is still there.

use crate::erasure_scan::{count_for, dump, scan, Dumped};
use crate::helpers::{json, spawn_app, TestApp, APPLICANT_PW};
pub use crate::rights::{complete, deletion};
use crate::rights::{email_of, submit};
use std::collections::BTreeSet;

pub const NAME: &str = "删除测试员";
const MOBILE: &str = "13312345678";
pub const EMAIL: &str = "erase.me@example.com";
/// The address they were invited with, before they changed it.
const OLD_EMAIL: &str = "erase.old@example.com";
/// Their browser: every request of theirs carries it (sessions, consent, login events).
const AGENT: &str = "EraseMeBrowser/6.3 (scan)";

/// Invites and lets in the member to be erased, who then logs in with their own browser;
/// returns their session.
pub async fn member(app: &TestApp, admin: &str, email: &str) -> String {
    let res = app
        .call_as(
            admin,
            "invite_member",
            &[
                ("name", NAME),
                ("mobile", MOBILE),
                ("email", email),
                ("role", "member"),
            ],
        )
        .await;
    let link = json(res).await["link"].as_str().unwrap().to_string();
    let token = link.rsplit_once("/invite/").unwrap().1.to_string();
    let (privacy, terms) = app.current_policy_ids().await;
    let res = app
        .call(
            "accept_invite",
            &[
                ("token", &token),
                ("password", APPLICANT_PW),
                ("accept", "on"),
                ("privacy_version_id", &privacy),
                ("terms_version_id", &terms),
            ],
        )
        .await;
    assert!(res.status().is_success(), "accept: {}", res.status());
    let res = reqwest::Client::builder()
        .user_agent(AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/api/login"))
        .header("accept", "application/json")
        .form(&[("login", MOBILE), ("password", APPLICANT_PW)])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "login: {}", res.status());
    crate::helpers::session_cookie(&res, "esp_session").expect("a session")
}

/// P6.3: the requester is erased as the data map says; the scan finds none of their values;
/// everything about anyone else is unchanged; login events stay (network logs); the answer
/// says what the law keeps and when the backups follow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_3_a_deletion_erases_the_person_and_a_scan_finds_nothing_of_them() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let (admin, admin_mobile) = app.open_enterprise_login("删除公司").await;
    let (_other, other_mobile) = app.open_enterprise_login("旁观公司").await;
    let cookie = member(&app, &admin, OLD_EMAIL).await;
    let user_id = crate::messages::user_id(&app, &cookie).await;
    // A new address (the old one is told, naming them).
    let res = app
        .call_as(
            &cookie,
            "update_profile",
            &[
                ("name", NAME),
                ("mobile", MOBILE),
                ("email", EMAIL),
                ("current_password", APPLICANT_PW),
            ],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let code = app.code_sent_to(EMAIL).await;
    let res = app
        .call_as(
            &cookie,
            "confirm_contact_change",
            &[("kind", "email"), ("code", &code)],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    // The admin gives their address for receiving invoices (the profile, its history, and an
    // application written as the walk's fixture is).
    let invoice = crate::invoice_helpers::receiving_too(&app, &admin, "删除公司", EMAIL).await;
    // Their traces: a WeChat binding, a question naming them, their consent, their logins.
    crate::scan_helpers::bind(&app, &cookie, "li").await;
    let question = submit(&app, &cookie, "question", &format!("我是{NAME}，请问…")).await;
    // A support ticket naming them, with a file named after them, and a code texted to them
    // for its identity check (issue 18 §3).
    let ticket = crate::support::with_file(
        &app,
        &cookie,
        &format!("{NAME}的工单"),
        &format!("{NAME}.png"),
    )
    .await;
    crate::support::ask(&app, &ops, &ticket, "sms_code").await;
    let id = deletion(&app, &cookie, EMAIL).await;
    assert!(!question.is_empty());

    // What identifies them, read before it goes: contacts, their blind indexes and masks,
    // the WeChat identity.
    let (mobile_idx, email_idx): (String, String) =
        sqlx::query_as("SELECT mobile_idx, email_idx FROM users WHERE id = $1")
            .bind(&user_id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let (openid, unionid, nickname): (String, Option<String>, String) = sqlx::query_as(
        "SELECT openid_enc, unionid_enc, nickname_enc FROM wechat_bindings WHERE user_id = $1",
    )
    .bind(&user_id)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let c = &app.state.cipher;
    let opened = |v: &str, col: &str| {
        c.decrypt_text(v, &format!("wechat_bindings.{col}:{user_id}"))
            .unwrap()
    };
    let avatar: String =
        sqlx::query_scalar("SELECT avatar_file_id FROM wechat_bindings WHERE user_id = $1")
            .bind(&user_id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert!(app.state.files.get(&avatar).is_ok());
    let mut needles = vec![
        NAME.to_string(),
        MOBILE.to_string(),
        EMAIL.to_string(),
        OLD_EMAIL.to_string(),
        AGENT.to_string(),
        avatar.clone(),
        mobile_idx,
        email_idx,
        app::model::account::Mobile::parse(MOBILE).unwrap().masked(),
        app::model::account::Email::parse(EMAIL).unwrap().masked(),
        opened(&openid, "openid"),
        opened(&nickname, "nickname"),
    ];
    if let Some(unionid) = unionid.filter(|u| !u.is_empty()) {
        needles.push(opened(&unionid, "unionid"));
    }
    let requests: Vec<String> =
        sqlx::query_scalar("SELECT id FROM privacy_requests WHERE user_id = $1")
            .bind(&user_id)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(requests.len(), 2);
    // A message to their address from before their time (a previous holder's) is not theirs.
    let long_ago = app::backend::clock::Clock::now(&*app.clock).0 - 10 * 86_400_000;
    sqlx::query(
        "INSERT INTO outbox (id, channel, recipient_enc, recipient_masked, subject, body_enc, \
         purpose, status, created_at, sent_at, recipient_idx) \
         VALUES ('previous-holder', 'email', '', '', '旧邮件', '', 'invitation', 'sent', $1, $1, $2)",
    )
    .bind(long_ago)
    .bind(app.state.index.of("email", EMAIL))
    .execute(app.db.pool())
    .await
    .unwrap();
    app.deliver_all().await;
    let before = dump(&app).await;
    let (found, _) = scan(&app, &before, &needles);
    for table in [
        "users",
        "invites",
        "outbox",
        "wechat_bindings",
        "privacy_requests",
        "sessions",
        "login_events",
        "invoice_profiles",
        "invoice_profile_history",
        "invoice_applications",
    ] {
        assert!(
            found.iter().any(|f| f.starts_with(&format!("{table}."))),
            "the scan sees them in {table} before: {found:?}"
        );
    }
    let logins_before: i64 = count_for(
        &app,
        "SELECT COUNT(*) FROM login_events WHERE principal_id = $1",
        &user_id,
    )
    .await;
    assert!(logins_before > 0);

    // Completed: erased.
    let res = complete(&app, &ops, &id).await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    assert_eq!(app.audit_count("rights.completed").await, 1);
    // The answer reaches them, with what the law keeps and when backups follow.
    app.deliver_all().await;
    let answer = app
        .mailbox_body("the answer", |m| {
            m["recipient"] == EMAIL && m["subject"].as_str().unwrap_or("").contains("已答复")
        })
        .await;
    for words in [
        "已按数据地图删除。",
        "依《网络安全法》保存 190 天",
        "删除超过 30 天的备份",
        "已停用",
    ] {
        assert!(answer.contains(words), "{words} in {answer}");
    }
    // Once delivered, housekeeping lets that last message go too.
    let state = app.state.clone();
    server::jobs::housekeeping(&state).await.unwrap();

    // A previous holder's message to their address stays (then it is set aside: it holds the
    // address's blind index, which the scan looks for).
    let previous = "SELECT COUNT(*) FROM outbox WHERE id = $1";
    assert_eq!(count_for(&app, previous, "previous-holder").await, 1);
    sqlx::query("DELETE FROM outbox WHERE id = 'previous-holder'")
        .execute(app.db.pool())
        .await
        .unwrap();
    let after = dump(&app).await;
    let (found, unopened) = scan(&app, &after, &needles);
    // Only where the map keeps a person's values under a legal hold (their login events).
    let held = |f: &String| {
        let (column, _) = f.split_once(" holds ").unwrap();
        let (table, column) = column.split_once('.').unwrap();
        app::model::data_map::table(table).is_some_and(|t| {
            t.fields.iter().any(|m| {
                m.column == column && matches!(m.erasure, app::model::data_map::Erasure::Keep(_))
            })
        })
    };
    let (kept, found): (Vec<String>, Vec<String>) = found.into_iter().partition(held);
    assert_eq!(
        kept,
        ["login_events.user_agent holds EraseMeBrowser/6.3 (scan)"],
        "what the law keeps"
    );
    assert!(
        app.state.files.get(&avatar).is_err(),
        "the avatar's bytes are gone"
    );
    assert_eq!(
        found,
        Vec::<String>::new(),
        "the subject's values after the deletion"
    );
    assert_eq!(
        unopened,
        BTreeSet::new(),
        "sealed values the scan could not open (so could not check)"
    );
    // Everyone else's rows are exactly as they were (their ticket's thread, files and codes are
    // theirs; tables that change by themselves aside:
    // the audit trail grows, sessions and an operator's last second-factor step move on).
    let moving = [
        "audit_log",
        "audit_head",
        "audit_seals",
        "job_leases",
        "app_meta",
        "sessions",
        "outbox",
        "operators",
    ];
    let after_rows: BTreeSet<(String, Vec<Option<String>>)> = after
        .iter()
        .flat_map(|(t, _, rows)| rows.iter().map(move |r| (t.clone(), r.clone())))
        .collect();
    let mut missing = Vec::new();
    // Others' messages stay too (their status may have moved on: compared by id): all but
    // those for them or to a number or address of theirs.
    let index = &app.state.index;
    let to_them = [
        index.of("mobile", MOBILE),
        index.of("email", EMAIL),
        index.of("email", OLD_EMAIL),
    ];
    let ids = |d: &[Dumped]| -> BTreeSet<String> {
        let (_, names, rows) = d.iter().find(|(t, _, _)| t == "outbox").unwrap();
        let at = |name: &str| names.iter().position(|c| c == name).unwrap();
        let (i, u, to) = (at("id"), at("user_id"), at("recipient_idx"));
        rows.iter()
            .filter(|r| r[u].as_deref() != Some(user_id.as_str()))
            .filter(|r| !to_them.iter().any(|t| r[to].as_deref() == Some(t.as_str())))
            .filter_map(|r| r[i].clone())
            .collect()
    };
    let (others_before, others_after) = (ids(&before), ids(&after));
    assert!(
        others_before.is_subset(&others_after),
        "others' messages gone: {:?}",
        others_before.difference(&others_after).collect::<Vec<_>>()
    );
    // Rows whose sealed lists held their address are sealed again without it (checked below).
    let resealed = [
        "invoice_profiles",
        "invoice_profile_history",
        "invoice_applications",
    ];
    for (table, _, rows) in before
        .iter()
        .filter(|(t, _, _)| !moving.contains(&t.as_str()) && !resealed.contains(&t.as_str()))
    {
        for row in rows {
            let theirs = row
                .iter()
                .flatten()
                .any(|v| v.contains(&user_id) || requests.contains(v) || *v == ticket);
            if !theirs && !after_rows.contains(&(table.clone(), row.clone())) {
                missing.push(format!("{table}: {row:?}"));
            }
        }
    }
    assert_eq!(
        missing,
        Vec::<String>::new(),
        "rows of others changed or gone"
    );
    for table in resealed {
        let rows = |d: &[Dumped]| d.iter().find(|(t, _, _)| t == table).unwrap().2.len();
        assert_eq!(rows(&before), rows(&after), "{table}");
    }
    // The enterprise's other receiving address stays, in the profile and where it was sent.
    let profile = crate::helpers::json(app.call_as(&admin, "invoice_profile", &[]).await).await;
    assert_eq!(
        profile["profile"]["emails"],
        serde_json::json!(["ap@example.com"]),
        "{profile}"
    );
    let sent: String =
        sqlx::query_scalar("SELECT emails_enc FROM invoice_applications WHERE id = $1")
            .bind(&invoice)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let ctx = app::backend::invoices::store::ctx("emails", &invoice);
    assert_eq!(
        app.state.cipher.decrypt_text(&sent, &ctx).unwrap(),
        "ap@example.com"
    );
    // Held records stay: their login events (network logs), the request as the record of its
    // answer (without its details).
    let logins_after: i64 = count_for(
        &app,
        "SELECT COUNT(*) FROM login_events WHERE principal_id = $1",
        &user_id,
    )
    .await;
    assert_eq!(logins_after, logins_before);
    let status: String = sqlx::query_scalar("SELECT status FROM privacy_requests WHERE id = $1")
        .bind(&id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "completed");
    assert_eq!(
        count_for(
            &app,
            "SELECT COUNT(*) FROM privacy_requests WHERE user_id = $1",
            &user_id
        )
        .await,
        1,
        "their other requests are gone"
    );
    // They are logged out and cannot log in; the others can.
    assert_eq!(
        app.call_as(&cookie, "my_privacy_requests", &[])
            .await
            .status(),
        401
    );
    let res = app
        .call("login", &[("login", MOBILE), ("password", APPLICANT_PW)])
        .await;
    assert!(!res.status().is_success(), "{}", res.status());
    assert_eq!(
        app.call_as(&admin, "my_privacy_requests", &[])
            .await
            .status(),
        200
    );
    app.login(&admin_mobile, APPLICANT_PW).await;
    app.login(&other_mobile, APPLICANT_PW).await;
}

/// P6.3: nothing is erased for the active admin of an open enterprise, nor under a legal hold;
/// the officer is told why (both languages) and can refuse with a reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_3_no_deletion_for_an_open_enterprises_admin_or_under_a_hold() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let (admin, admin_mobile) = app.open_enterprise_login("保全公司").await;
    let id = deletion(&app, &admin, &email_of(&admin_mobile)).await;
    let res = complete(&app, &ops, &id).await;
    assert_eq!(res.status(), 409);
    assert_eq!(json(res).await["detail"], "deletion_admin");
    let users_before = app.count("users").await;

    // A member of an enterprise under a legal hold.
    let cookie = member(&app, &admin, EMAIL).await;
    let credit: String = sqlx::query_scalar(
        "SELECT e.credit_code FROM enterprises e JOIN users u ON u.enterprise_id = e.id \
         WHERE u.role = 'admin' AND e.name = '保全公司'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let res = app
        .call_as(
            &ops,
            "place_legal_hold",
            &[("credit_code", &credit), ("reason", "劳动仲裁进行中。")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let hold: String = res.json().await.unwrap();
    let theirs = deletion(&app, &cookie, EMAIL).await;
    let res = complete(&app, &ops, &theirs).await;
    assert_eq!(res.status(), 409);
    assert_eq!(json(res).await["detail"], "deletion_held");
    // Nothing changed: they still log in, the request still waits.
    assert_eq!(
        app.call_as(&cookie, "my_privacy_requests", &[])
            .await
            .status(),
        200
    );
    assert_eq!(app.count("users").await, users_before + 1);
    let anonymised: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE anonymised_at IS NOT NULL")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(anonymised, 0);
    // Released: carried out.
    let res = app
        .call_as(&ops, "release_legal_hold", &[("id", &hold)])
        .await;
    assert_eq!(res.status(), 200);
    let res = complete(&app, &ops, &theirs).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.call_as(&cookie, "my_privacy_requests", &[])
            .await
            .status(),
        401
    );
    // The admin's request can still be refused, with a reason.
    let res = app
        .call_as(
            &ops,
            "refuse_privacy_request",
            &[
                ("id", &id),
                ("reason", "legal_obligation"),
                (
                    "answer",
                    "企业账户须有管理员：请先移交管理员或申请注销企业账户。",
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
}

/// P6.3: an applicant whose account never opened is erased with what is theirs alone — the
/// application and its files — and the join request that named them goes from the admins'
/// message centres and the outbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_3_a_deleted_applicant_takes_their_application_and_join_request_along() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let (admin, _) = app.open_enterprise_login("被申请公司").await;
    let code: String =
        sqlx::query_scalar("SELECT credit_code FROM enterprises WHERE name = '被申请公司'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let (name, mobile, email) = ("加入申请人", "13512340001", "join.erase@example.com");
    let cookie = app.register(name, mobile, email, APPLICANT_PW).await;
    let user_id = crate::messages::user_id(&app, &cookie).await;
    let res = app
        .upload_png(
            &cookie,
            "upload_application_file",
            &[("purpose", "licence")],
            "licence.png",
        )
        .await;
    assert_eq!(res.status(), 200);
    let key: String = sqlx::query_scalar(
        "SELECT f.storage_key FROM stored_files f JOIN applications a ON a.id = f.application_id \
         JOIN users u ON u.id = a.user_id WHERE u.name = $1",
    )
    .bind(name)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let told = json(
        app.call_as(&cookie, "request_to_join", &[("credit_code", &code)])
            .await,
    )
    .await;
    assert_eq!(told, 1);
    let naming = "SELECT COUNT(*) FROM inbox_messages WHERE body_zh LIKE '%加入申请人%'";
    let count = |sql: &'static str| {
        let app = &app;
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(app.db.pool())
                .await
                .unwrap()
        }
    };
    assert_eq!(
        count(naming).await,
        1,
        "the admin's message centre names them"
    );
    let inbox = || async {
        json(app.call_as(&admin, "my_inbox", &[]).await)
            .await
            .to_string()
    };
    assert!(inbox().await.contains("有人请求加入贵企业账户"));

    let id = deletion(&app, &cookie, email).await;
    let res = complete(&app, &ops, &id).await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    assert_eq!(count(naming).await, 0);
    assert_eq!(
        count("SELECT COUNT(*) FROM outbox WHERE purpose = 'join_request'").await,
        0
    );
    let theirs: i64 = count_for(
        &app,
        "SELECT COUNT(*) FROM applications WHERE user_id = $1",
        &user_id,
    )
    .await;
    assert_eq!(theirs, 0, "the application that never opened an account");
    assert!(app.state.files.get(&key).is_err(), "its file's bytes");
    // The admin's message centre no longer has it; their other messages stay.
    let after = inbox().await;
    assert!(!after.contains("有人请求加入贵企业账户"), "{after}");
    assert!(after.contains("title"), "{after}");
}
