//! New policy versions and re-consent (P0.1, P9) and the consent centre (P1.2, P1.3, P6.4),
//! on both engines, moving the injectable clock instead of sleeping.

use crate::authz_endpoints::{all, Access, Fixture};
use crate::helpers::{field_rules, json, spawn_app, TestApp, APPLICANT_PW};
use app::backend::clock::Clock;
use app::model::policy_change::earliest_material_date;
use app::model::UtcMillis;

const DAY_MS: i64 = 86_400_000;

fn date_in(app: &TestApp, days: i64) -> String {
    UtcMillis(app.clock.now().0 + days * DAY_MS).china_date()
}

/// Drafts a new privacy-policy version with one added important clause and saves it.
pub(crate) async fn draft(app: &TestApp, ops: &str, version: &str, material: bool) -> String {
    let res = app
        .call_as(ops, "start_policy_draft", &[("kind", "privacy")])
        .await;
    assert_eq!(res.status(), 200);
    let id = json(res).await.as_str().unwrap().to_string();
    let view = json(app.call_as(ops, "policy_draft", &[("id", &id)]).await).await;
    let seen = view["item"]["doc"]["updated_at"].to_string();
    let zh = format!(
        "{}\n\n!! 新增条款：我们会提前通知您。",
        view["item"]["doc"]["content_zh"].as_str().unwrap()
    );
    let en = format!(
        "{}\n\n!! Added clause: we tell you in advance.",
        view["item"]["doc"]["content_en"].as_str().unwrap()
    );
    let mut form = vec![
        ("id", id.as_str()),
        ("updated_at", &seen),
        ("version", version),
        ("summary_zh", "新增提前通知条款。"),
        ("summary_en", "Adds the advance-notice clause."),
        ("content_zh", &zh),
        ("content_en", &en),
    ];
    if material {
        form.push(("material", "on"));
    }
    let res = app.call_as(ops, "save_policy_draft", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    id
}

/// The last edit of a draft, as the editor's forms send it back.
async fn seen(app: &TestApp, ops: &str, id: &str) -> String {
    let view = json(app.call_as(ops, "policy_draft", &[("id", id)]).await).await;
    view["item"]["doc"]["updated_at"].to_string()
}

pub(crate) async fn schedule(app: &TestApp, ops: &str, id: &str, date: &str) -> reqwest::Response {
    let seen = seen(app, ops, id).await;
    app.call_as(
        ops,
        "schedule_policy",
        &[("id", id), ("updated_at", &seen), ("effective_date", date)],
    )
    .await
}

/// Answers (`accept` or `decline`) about the versions in force, as the re-consent page's
/// form does.
async fn answer(app: &TestApp, user: &str, answer: &str) -> reqwest::Response {
    let (privacy, terms) = app.current_policy_ids().await;
    app.call_as(
        user,
        "answer_policy_update",
        &[
            ("answer", answer),
            ("privacy_version_id", &privacy),
            ("terms_version_id", &terms),
        ],
    )
    .await
}

async fn outbox_notices(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE purpose = 'policy_change' AND channel = 'email'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap()
}

async fn active_users(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE status = 'active'")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// P9, P0.1: the officer's draft is checked, a material change needs 7 days of notice, is
/// announced on the home page and e-mailed to every account user; only one version waits at a
/// time, and a waiting version can be withdrawn.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p9_drafting_and_scheduling_rules() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    app.open_enterprise("通知测试有限公司").await;

    // The draft starts from the version in force, with the next label.
    let res = app
        .call_as(&ops, "start_policy_draft", &[("kind", "privacy")])
        .await;
    let id = json(res).await.as_str().unwrap().to_string();
    let view = json(app.call_as(&ops, "policy_draft", &[("id", &id)]).await).await;
    assert_eq!(view["item"]["status"], "draft");
    assert_eq!(view["item"]["doc"]["version"], "1.1");
    assert_eq!(view["current"]["version"], "1.0");
    assert_eq!(
        view["item"]["doc"]["content_zh"],
        view["current"]["content_zh"]
    );
    // A second "new draft" opens the same one.
    let again = app
        .call_as(&ops, "start_policy_draft", &[("kind", "privacy")])
        .await;
    assert_eq!(json(again).await.as_str().unwrap(), id);
    // Drafts are not public.
    let public = json(
        app.call("policy_page", &[("kind", "privacy"), ("version", "1.1")])
            .await,
    )
    .await;
    assert_eq!(public["kind"], "not_found");

    // Bad drafts are refused field by field, and nothing is saved.
    let opened = seen(&app, &ops, &id).await;
    let res = app
        .call_as(
            &ops,
            "save_policy_draft",
            &[
                ("id", &id),
                ("updated_at", &opened),
                ("version", "1.0"),
                ("summary_zh", ""),
                ("summary_en", "x"),
                ("content_zh", "## 一\n\n!! 重要。"),
                ("content_en", "## 1\n\nNot marked."),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let rules = field_rules(&json(res).await);
    assert!(
        rules.contains(&("version".into(), "not_newer".into())),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("summary_zh".into(), "required".into())),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("content_en".into(), "mismatch".into())),
        "{rules:?}"
    );
    let view = json(app.call_as(&ops, "policy_draft", &[("id", &id)]).await).await;
    assert_eq!(view["item"]["doc"]["summary_en"], "");

    let id = draft(&app, &ops, "1.1", true).await;
    // A form opened before someone else's save cannot overwrite it.
    let res = app
        .call_as(
            &ops,
            "save_policy_draft",
            &[
                ("id", &id),
                ("updated_at", &opened),
                ("version", "1.1"),
                ("summary_zh", "旧表单。"),
                ("summary_en", "An old form."),
                ("content_zh", "## 一"),
                ("content_en", "## 1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    assert_eq!(json(res).await["detail"], "policy_edited");
    // Material: 3 days' notice is too short; the earliest date passes.
    let res = schedule(&app, &ops, &id, &date_in(&app, 3)).await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        field_rules(&json(res).await),
        vec![("effective_date".to_string(), "notice_too_short".to_string())]
    );
    assert_eq!(schedule(&app, &ops, &id, "2026-02-30").await.status(), 422);
    assert_eq!(
        outbox_notices(&app).await,
        0,
        "a refused schedule sends nothing"
    );
    let earliest = earliest_material_date(app.clock.now(), 7);
    let res = schedule(&app, &ops, &id, &earliest).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // Every active account user gets the e-mail notice (P9).
    assert_eq!(outbox_notices(&app).await, active_users(&app).await);
    assert!(active_users(&app).await >= 2);
    // The notice is public, links to the version and its changes, and is on the home page.
    let notices = json(app.call("policy_notices", &[]).await).await;
    assert_eq!(notices.as_array().unwrap().len(), 1);
    assert_eq!(notices[0]["version"], "1.1");
    assert_eq!(notices[0]["material"], true);
    assert_eq!(notices[0]["in_force"], false);
    let home = app.get("/").await.text().await.unwrap();
    assert!(
        home.contains(r#"data-testid="policy-notice""#),
        "home lacks the notice"
    );
    assert!(home.contains("/privacy/versions/1.1#changes"));
    // The scheduled version is readable at its stable address with its dates and its diff,
    // while 1.0 is still in force (P0.1).
    let page = json(
        app.call("policy_page", &[("kind", "privacy"), ("version", "1.1")])
            .await,
    )
    .await;
    assert_eq!(page["previous"]["version"], "1.0");
    let current = json(app.call("policy_page", &[("kind", "privacy")]).await).await;
    assert_eq!(current["shown"]["version"], "1.0");
    let html = app.get("/privacy/versions/1.1").await.text().await.unwrap();
    // The changes section holds the summary and the added clause, marked as added.
    let start = html.find(r#"id="changes""#).expect("a changes section");
    let end = start + html[start..].find("</ol>").expect("the diff list");
    let changes = &html[start..end];
    assert!(changes.contains("新增提前通知条款。"), "{changes}");
    assert!(
        changes.contains(r#"class="diff-added""#)
            && changes.contains("新增条款：我们会提前通知您。"),
        "{changes}"
    );
    assert!(
        !changes.contains("diff-removed"),
        "nothing was removed: {changes}"
    );

    // One waiting version at a time.
    let second = draft(&app, &ops, "1.2", false).await;
    let res = schedule(&app, &ops, &second, &date_in(&app, 1)).await;
    assert_eq!(res.status(), 409);
    assert_eq!(json(res).await["detail"], "policy_pending");

    // Withdrawn before its date: the notice goes, everyone e-mailed is told, the version's
    // address still answers (marked withdrawn, out of the list), and 1.2 can now be scheduled.
    let res = app.call_as(&ops, "withdraw_policy", &[("id", &id)]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(outbox_notices(&app).await, 2 * active_users(&app).await);
    let page = json(
        app.call("policy_page", &[("kind", "privacy"), ("version", "1.1")])
            .await,
    )
    .await;
    assert_eq!(page["withdrawn"], true);
    let list = json(app.call("policy_page", &[("kind", "privacy")]).await).await;
    assert_eq!(list["versions"].as_array().unwrap().len(), 1);
    assert!(json(app.call("policy_notices", &[]).await)
        .await
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        schedule(&app, &ops, &second, &date_in(&app, 1))
            .await
            .status(),
        200
    );
    // A version in force cannot be withdrawn or edited.
    app.clock.advance_ms(2 * DAY_MS);
    let ops = app.finance().await;
    let res = app
        .call_as(&ops, "withdraw_policy", &[("id", &second)])
        .await;
    assert_eq!(res.status(), 409);
    let res = app
        .call_as(
            &ops,
            "save_policy_draft",
            &[
                ("id", &second),
                ("updated_at", "0"),
                ("version", "1.3"),
                ("summary_zh", "x"),
                ("summary_en", "x"),
                ("content_zh", "## x"),
                ("content_en", "## x"),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action LIKE 'policy.%' ORDER BY seq",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    for a in [
        "policy.draft_start",
        "policy.draft_save",
        "policy.schedule",
        "policy.withdraw",
    ] {
        assert!(
            actions.iter().any(|x| x == a),
            "{a} not audited: {actions:?}"
        );
    }
}

/// P9: after a material version takes effect, a user who has not accepted it is sent to the
/// re-consent page, and business server functions refuse them whatever the page shows.
/// Declining leaves the privacy centre; accepting opens everything again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p9_reconsent_gate_refuses_business_functions() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let (_, mobile) = app.open_enterprise_login("重新同意有限公司").await;
    let (applicant, applicant_mobile) = app.register_unique_login().await;
    let id = draft(&app, &ops, "1.1", true).await;
    let earliest = earliest_material_date(app.clock.now(), 7);
    assert_eq!(schedule(&app, &ops, &id, &earliest).await.status(), 200);

    // Before the date nothing is asked.
    let user = app.login(&mobile, APPLICANT_PW).await;
    assert_eq!(app.call_as(&user, "business_info", &[]).await.status(), 200);
    assert!(json(app.call_as(&user, "whoami", &[]).await).await["policy_gate"].is_null());

    // Eight days later (sessions have expired meanwhile: log in again).
    app.clock.advance_ms(8 * DAY_MS);
    let user = app.login(&mobile, APPLICANT_PW).await;
    let res = app.call_as(&user, "business_info", &[]).await;
    assert_eq!(res.status(), 403);
    assert_eq!(json(res).await["kind"], "policy_not_accepted");
    // Every business function, whatever it needs besides, answers with the gate (the
    // authorisation walk's list, so a new function is covered when it is added there) ...
    let fixture = Fixture::default();
    for ep in all().filter(|e| {
        matches!(
            e.access,
            Access::Member | Access::Admin | Access::Funds | Access::Finance | Access::Tasks
        )
    }) {
        let res = crate::authz::call(&app, &user, ep, &fixture).await;
        assert_eq!(res.status(), 403, "{}", ep.name);
        assert_eq!(
            json(res).await["kind"],
            "policy_not_accepted",
            "{}",
            ep.name
        );
    }
    // ... and so do the downloads that are not server functions.
    for path in [
        "/portal/funds/flow.csv",
        "/portal/funds/orders/x/receipt.html",
    ] {
        assert_eq!(app.get_as(&user, path).await.status(), 403, "{path}");
    }
    // An applicant whose application was under way is asked too, and can answer.
    drop(applicant);
    let applicant = app.login(&applicant_mobile, APPLICANT_PW).await;
    let res = app.call_as(&applicant, "my_application", &[]).await;
    assert_eq!(json(res).await["kind"], "policy_not_accepted");
    let res = app.get_as(&applicant, "/portal/funds").await;
    assert_eq!(res.headers()["location"], "/portal/policy-update");
    assert_eq!(
        app.get_as(&applicant, "/portal/policy-update")
            .await
            .status(),
        200
    );
    assert_eq!(answer(&app, &applicant, "accept").await.status(), 200);
    assert_eq!(
        app.call_as(&applicant, "my_application", &[])
            .await
            .status(),
        200
    );
    let me = json(app.call_as(&user, "whoami", &[]).await).await;
    assert!(me["policy_gate"]["declined_at"].is_null(), "{me}");
    // Pages: business pages go to the re-consent page; it, the privacy centre and account
    // security stay open.
    let res = app.get_as(&user, "/portal/funds").await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/portal/policy-update");
    for open in [
        "/portal/policy-update",
        "/portal/privacy",
        "/portal/account",
    ] {
        assert_eq!(app.get_as(&user, open).await.status(), 200, "{open}");
    }
    let update = json(app.call_as(&user, "policy_update_page", &[]).await).await;
    let versions = update["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 1, "only the privacy policy changed");
    assert_eq!(versions[0]["version"], "1.1");
    let html = app
        .get_as(&user, "/portal/policy-update")
        .await
        .text()
        .await
        .unwrap();
    // P0.4: the important clauses are listed again, in bold, on the acceptance page (the
    // text is also in the page's data, so look inside the list itself).
    let start = html
        .find(r#"class="important-clauses""#)
        .expect("a clause list");
    let list = &html[start..start + html[start..].find("</ul>").expect("the list's end")];
    assert!(
        list.contains("<strong>新增条款：我们会提前通知您。</strong>"),
        "the important clause is listed: {list}"
    );
    assert!(
        html.contains("新增提前通知条款。"),
        "the summary of changes is shown"
    );

    // Declining: still refused; the portal now sends them to the privacy centre.
    assert_eq!(answer(&app, &user, "decline").await.status(), 200);
    assert_eq!(app.call_as(&user, "business_info", &[]).await.status(), 403);
    let res = app.get_as(&user, "/portal").await;
    assert_eq!(res.headers()["location"], "/portal/privacy");
    let centre = json(app.call_as(&user, "privacy_centre", &[]).await).await;
    assert!(centre["gate"]["declined_at"].is_number());

    // Accepting opens everything again, and both decisions are in the history. The page's
    // forms are plain forms: without JavaScript the answer is a redirect into the portal.
    // An answer about versions other than those in force is refused (the page was stale).
    let (privacy, terms) = app.current_policy_ids().await;
    assert_eq!(answer(&app, &user, "maybe").await.status(), 422);
    let stale = app
        .call_as(
            &user,
            "answer_policy_update",
            &[
                ("answer", "accept"),
                ("privacy_version_id", terms.as_str()),
                ("terms_version_id", &terms),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409);
    assert_eq!(json(stale).await["detail"], "policy_changed");
    let res = app
        .client
        .post(app.url("/api/answer_policy_update"))
        .header("cookie", &user)
        .header("referer", app.url("/portal/policy-update"))
        .header("accept", "text/html,application/xhtml+xml")
        .form(&[
            ("answer", "accept"),
            ("privacy_version_id", &privacy),
            ("terms_version_id", &terms),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], "/portal");
    assert_eq!(app.call_as(&user, "business_info", &[]).await.status(), 200);
    assert_eq!(app.get_as(&user, "/portal/funds").await.status(), 200);
    let centre = json(app.call_as(&user, "privacy_centre", &[]).await).await;
    assert!(centre["gate"].is_null());
    let kinds: Vec<&str> = centre["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        &kinds[..3],
        ["policy_accepted", "policy_declined", "policy_accepted"],
        "{kinds:?}"
    );
    let method: String = sqlx::query_scalar(
        "SELECT method FROM policy_acceptances ORDER BY accepted_at DESC LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(method, "reconsent");

    // Someone registering now accepts 1.1 at registration and is not asked again.
    let newcomer = app.register_unique().await;
    assert!(json(app.call_as(&newcomer, "whoami", &[]).await).await["policy_gate"].is_null());
}

/// P9: a minor change takes effect on its date with the notice only: no e-mail, no re-consent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p9_minor_change_is_announced_only() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let user = app.open_enterprise("一般变更有限公司").await;
    let id = draft(&app, &ops, "1.1", false).await;
    let today = app.clock.now().china_date();
    assert_eq!(schedule(&app, &ops, &id, &today).await.status(), 200);
    assert_eq!(outbox_notices(&app).await, 0);
    let notices = json(app.call("policy_notices", &[]).await).await;
    assert_eq!(
        notices[0]["in_force"], true,
        "in force today, announced as updated"
    );
    assert_eq!(app.call_as(&user, "business_info", &[]).await.status(), 200);
    let page = json(app.call("policy_page", &[("kind", "privacy")]).await).await;
    assert_eq!(page["shown"]["version"], "1.1");
    // The notice stays 30 days after the date, then goes.
    app.clock.advance_ms(31 * DAY_MS);
    assert!(json(app.call("policy_notices", &[]).await)
        .await
        .as_array()
        .unwrap()
        .is_empty());
}
