//! P3.3 (issue 19): nothing personal is shown publicly. With the demo data and more — a second
//! enterprise with a login person, a worker who signed, a payment order, a support ticket — every
//! public page of the route table (those needing no login and no token) and every public server
//! function of the authorisation walk is fetched as a visitor, and none of the answers holds a
//! personal value: each name, contact, account or ID number the data map marks as personal and
//! keeps in clear, and the plain values of the sealed ones the test itself wrote.

use crate::authz_endpoints::{all, Access};
use crate::helpers::{spawn_app, TestApp};
use crate::signing::sign_up_worker;
use crate::task_completions::{open_task, record, ZHANG};
use app::model::data_map::{self, Category, Holds};

/// The categories whose values identify a person or reach them.
const IDENTIFYING: [Category; 6] = [
    Category::Identity,
    Category::Contact,
    Category::FinancialAccount,
    Category::IdNumber,
    Category::Communication,
    Category::ThirdPartyAccount,
];

/// Every personal value the data map's clear columns hold (sealed columns end in `_enc`; hints
/// are masked by design).
async fn personal_values(app: &TestApp) -> Vec<String> {
    let mut values = Vec::new();
    for table in data_map::tables() {
        for field in table.fields {
            let personal = matches!(field.holds, Holds::Personal | Holds::Sensitive);
            let clear = !field.column.ends_with("_enc") && !field.column.ends_with("_hint");
            if !personal || !clear || !IDENTIFYING.contains(&field.category) {
                continue;
            }
            let sql = format!(
                "SELECT DISTINCT CAST({c} AS TEXT) FROM {t} WHERE {c} IS NOT NULL",
                c = field.column,
                t = table.table
            );
            // Table and column names from the data map, not from input.
            let found: Vec<Option<String>> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
                .fetch_all(app.db.pool())
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            values.extend(found.into_iter().flatten());
        }
    }
    values.retain(|v| v.trim().chars().count() >= 2 && !v.contains('*'));
    values.sort();
    values.dedup();
    values
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p3_3_no_public_page_or_function_shows_a_personal_value() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    // Personal data beyond the demo's: a login person, a worker who signed, an order, a ticket.
    let ent = app.funded_enterprise(&ops, "公开检查企业", "50").await;
    let task = open_task(&app, &ops, &ent, "公开检查任务", None).await;
    let w = ("郑公开", ZHANG, "bank", "6222021234567788");
    assert_eq!(
        record(&app, &ent.cookie, &task, w, "1", "", "")
            .await
            .status(),
        200
    );
    sign_up_worker(&app, &ent.cookie, "郑公开", "13900000011").await;
    let order = crate::helpers::order_form("P33-1", "bank", "6222021234569911", "1");
    let res = app.call_as(&ent.cookie, "create_order", &order).await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    crate::support::open_ticket(&app, &ent.cookie, "我的银行卡 6222021234569911 付款失败").await;

    let mut secrets = personal_values(&app).await;
    let d = &app::backend::seed::DEMO;
    for plain in [
        d.admin_mobile,
        d.admin_email,
        d.applicant_mobile,
        d.applicant_email,
        ent.mobile.as_str(),
        "13900000011",
        ZHANG,
        "6222021234567788",
        "6222021234569911",
    ] {
        secrets.push(plain.to_string());
    }
    for must in ["郑公开", d.admin_email] {
        assert!(
            secrets.iter().any(|s| s == must),
            "{must} is among the values looked for"
        );
    }

    // Every public page: the route table's, without a login or a token.
    let announcement: Option<String> =
        sqlx::query_scalar("SELECT id FROM announcements ORDER BY created_at DESC LIMIT 1")
            .fetch_optional(app.db.pool())
            .await
            .unwrap();
    let mut pages = Vec::new();
    for listing in server::startup::route_list() {
        let path = listing.path().to_string();
        let private = [
            "/portal",
            "/ops",
            "/dev",
            "/wx",
            "/sign",
            "/invite",
            "/reset-password",
            "/unsubscribe",
            "/register/verify",
        ]
        .iter()
        .any(|p| path.starts_with(p))
            && path != "/ops/login";
        if private || pages.contains(&path) {
            continue;
        }
        let path = path.replace("{v}", "1.0");
        let path = match (path.contains("{id}"), &announcement) {
            (true, Some(id)) => path.replace("{id}", id),
            (true, None) => continue,
            (false, _) => path,
        };
        pages.push(path);
    }
    assert!(pages.len() >= 8, "public pages: {pages:?}");
    let mut answers = Vec::new();
    for path in &pages {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert!(res.status().as_u16() < 500, "{path}: {}", res.status());
        answers.push((path.clone(), res.text().await.unwrap()));
    }
    // Every public server function, as a visitor.
    let f = crate::authz_endpoints::Fixture::default();
    for ep in all().filter(|e| e.access == Access::Public) {
        let res = crate::authz::call(&app, "", ep, &f).await;
        answers.push((format!("/api/{}", ep.name), res.text().await.unwrap()));
    }
    eprintln!(
        "P3.3: {} personal values looked for in {} answers: {pages:?}",
        secrets.len(),
        answers.len()
    );
    for (what, body) in &answers {
        for s in &secrets {
            assert!(
                !body.contains(s.as_str()),
                "{what} shows the personal value {s:?}"
            );
        }
    }
    // The values looked for are the ones the product shows to those allowed: the admin's own
    // profile holds some of them.
    let admin = app.login(d.admin_mobile, d.admin_password).await;
    let profile = app
        .call_as(&admin, "my_profile", &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        secrets.iter().any(|s| profile.contains(s.as_str())),
        "{profile}"
    );
}
