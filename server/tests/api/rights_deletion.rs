//! Deletion carried out by the product (issue 16 §5, P6.3): refused for an open enterprise's
//! admin and under a legal hold; otherwise the requester is erased as the data map says, and
//! **a scan of every column of every table** (sealed ones opened) finds none of their personal
//! values — while every row about anyone else is exactly as it was, and what the law keeps
//! (login events) is still there.

use crate::helpers::{json, spawn_app, TestApp, APPLICANT_PW};
use crate::rights::{email_of, submit, submit_with};
use app::backend::db::Engine;
use sqlx::Row;
use std::collections::BTreeSet;

const NAME: &str = "删除测试员";
const MOBILE: &str = "13312345678";
const EMAIL: &str = "erase.me@example.com";

/// Invites and lets in the member to be erased; returns their session.
async fn member(app: &TestApp, admin: &str) -> String {
    let res = app
        .call_as(
            admin,
            "invite_member",
            &[
                ("name", NAME),
                ("mobile", MOBILE),
                ("email", EMAIL),
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
    app.login(MOBILE, APPLICANT_PW).await
}

/// A verified deletion request of the person of `cookie` (code by e-mail to `email`).
async fn deletion(app: &TestApp, cookie: &str, email: &str) -> String {
    let id = submit_with(
        app,
        cookie,
        &[("kind", "deletion"), ("ground", "consent_withdrawn")],
    )
    .await;
    let code = app.code_sent_to(email).await;
    let res = app
        .call_as(
            cookie,
            "verify_privacy_request",
            &[("id", &id), ("code", &code)],
        )
        .await;
    assert!(res.status().is_success(), "verify: {}", res.status());
    id
}

async fn complete(app: &TestApp, ops: &str, id: &str) -> reqwest::Response {
    app.call_as(
        ops,
        "complete_privacy_request",
        &[("id", id), ("answer", "已按数据地图删除。")],
    )
    .await
}

/// A table's name, its columns, and its rows (each value as text, `None` for NULL).
type Dumped = (String, Vec<String>, Vec<Vec<Option<String>>>);

/// Every row of every table.
async fn dump(app: &TestApp) -> Vec<Dumped> {
    let (columns, _) = match app.db.engine() {
        Engine::Sqlite => crate::schema::sqlite_schema(&app.db).await,
        Engine::Postgres => crate::schema::postgres_schema(&app.db).await,
    };
    let tables: BTreeSet<&String> = columns.iter().map(|(t, _, _)| t).collect();
    let mut out = Vec::new();
    for table in tables {
        let names: Vec<String> = columns
            .iter()
            .filter(|(t, _, _)| t == table)
            .map(|(_, c, _)| c.clone())
            .collect();
        let select = names
            .iter()
            .map(|c| format!("CAST(\"{c}\" AS TEXT)"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {select} FROM \"{table}\""
        )))
        .fetch_all(app.db.pool())
        .await
        .unwrap();
        let rows = rows
            .iter()
            .map(|r| {
                (0..names.len())
                    .map(|i| r.try_get::<Option<String>, _>(i).unwrap())
                    .collect()
            })
            .collect();
        out.push((table.clone(), names, rows));
    }
    out
}

/// A sealed value opened with the context its table gives it (`{table}.{column without
/// _enc}:{a value of the row}`; a transfer's number is sealed as the withdrawal account's, an
/// operator's second-factor secret as `operators.totp`), if any opens it.
fn open(
    app: &TestApp,
    table: &str,
    column: &str,
    value: &str,
    row: &[Option<String>],
) -> Option<String> {
    let stem = column.strip_suffix("_enc").unwrap_or(column);
    let stem = if column == "totp_secret_enc" {
        "totp"
    } else {
        stem
    };
    let stems = [
        format!("{table}.{stem}"),
        format!("withdrawal_accounts.{stem}"),
    ];
    row.iter().flatten().find_map(|key| {
        stems.iter().find_map(|s| {
            app.state
                .cipher
                .decrypt_text(value, &format!("{s}:{key}"))
                .ok()
        })
    })
}

/// Where any of `needles` is found: `table.column` (sealed columns opened first). Sealed
/// values that no context opens are named too, so the scan cannot pass by not looking.
fn scan(
    app: &TestApp,
    dumped: &[Dumped],
    needles: &[String],
) -> (Vec<String>, BTreeSet<String>) {
    let mut found = Vec::new();
    let mut unopened = BTreeSet::new();
    for (table, names, rows) in dumped {
        for row in rows {
            for (i, value) in row.iter().enumerate() {
                let Some(value) = value else { continue };
                let column = &names[i];
                let sealed = column.ends_with("_enc") && !value.is_empty();
                let text = if sealed {
                    match open(app, table, column, value, row) {
                        Some(clear) => clear,
                        None => {
                            unopened.insert(format!("{table}.{column}"));
                            continue;
                        }
                    }
                } else {
                    value.clone()
                };
                for n in needles.iter().filter(|n| text.contains(n.as_str())) {
                    found.push(format!("{table}.{column} holds {n}"));
                }
            }
        }
    }
    (found, unopened)
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
    let cookie = member(&app, &admin).await;
    let me = json(app.call_as(&cookie, "whoami", &[]).await).await;
    let user_id = me["user_id"].as_str().unwrap().to_string();
    // Their traces: a WeChat binding, a question naming them, their consent, their logins.
    crate::scan_helpers::bind(&app, &cookie, "li").await;
    let question = submit(&app, &cookie, "question", &format!("我是{NAME}，请问…")).await;
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
    let mut needles = vec![
        NAME.to_string(),
        MOBILE.to_string(),
        EMAIL.to_string(),
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
    app.deliver_all().await;
    let before = dump(&app).await;
    let (found, _) = scan(&app, &before, &needles);
    for table in [
        "users",
        "invites",
        "outbox",
        "wechat_bindings",
        "privacy_requests",
    ] {
        assert!(
            found.iter().any(|f| f.starts_with(&format!("{table}."))),
            "the scan sees them in {table} before: {found:?}"
        );
    }
    let logins_before: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM login_events WHERE principal_id = $1")
            .bind(&user_id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
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
        "备份最长保留 30 天",
        "已停用",
    ] {
        assert!(answer.contains(words), "{words} in {answer}");
    }
    // Once delivered, housekeeping lets that last message go too.
    let state = app.state.clone();
    server::jobs::housekeeping(&state).await.unwrap();

    let after = dump(&app).await;
    let (found, unopened) = scan(&app, &after, &needles);
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
    // Everyone else's rows are exactly as they were (tables that change by themselves aside:
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
    for (table, _, rows) in before
        .iter()
        .filter(|(t, _, _)| !moving.contains(&t.as_str()))
    {
        for row in rows {
            let theirs = row
                .iter()
                .flatten()
                .any(|v| v.contains(&user_id) || requests.contains(v));
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
    // Held records stay: their login events (network logs), the request as the record of its
    // answer (without its details).
    let logins_after: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM login_events WHERE principal_id = $1")
            .bind(&user_id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(logins_after, logins_before);
    let status: String = sqlx::query_scalar("SELECT status FROM privacy_requests WHERE id = $1")
        .bind(&id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "completed");
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM privacy_requests WHERE user_id = $1")
            .bind(&user_id)
            .fetch_one(app.db.pool())
            .await
            .unwrap(),
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
    let cookie = member(&app, &admin).await;
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
