//! The message centre (P7.1, P7.2): the inbox and its unread count, preferences with their
//! locks, announcements written in the console and delivered to every inbox, promotions that
//! follow consent, and the one-click unsubscribe of RFC 8058 without a login.

use crate::helpers::{json, spawn_app, TestApp};
use app::backend::messages::{self, Notice};
use app::model::messages::MessageCategory;
use app::model::outbox::OutboxPurpose;
use app::model::Bilingual;

pub(crate) async fn user_id(app: &TestApp, cookie: &str) -> String {
    json(app.call_as(cookie, "whoami", &[]).await).await["user_id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Tells login person `user` something of `category` through the message centre, as a service
/// (or the delivery worker) would, without delivering it; returns the in-site message's id.
pub(crate) async fn tell(
    app: &TestApp,
    user: &str,
    category: MessageCategory,
    title: &str,
) -> String {
    let (state, user, title) = (app.state.clone(), user.to_string(), title.to_string());
    crate::helpers::on_server(async move {
        let mut tx = state.db.begin().await.unwrap();
        let (t, b) = (
            Bilingual::new(&title, "Notice"),
            Bilingual::new("正文", "Text"),
        );
        let purpose = match category {
            MessageCategory::Promotion => OutboxPurpose::Promotion,
            _ => OutboxPurpose::JoinRequest,
        };
        let notice = Notice {
            category,
            purpose,
            title: &t,
            body: &b,
            source: "",
            email_only: false,
        };
        let now = state.clock.now();
        let told = messages::tell(&state, &mut tx, &user, &notice, now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        told.inbox_id.expect("an in-site message")
    })
    .await
}

/// An account notice to the login person behind `cookie`; returns the in-site message's id.
pub(crate) async fn tell_directly(app: &TestApp, cookie: &str, title: &str) -> String {
    let user = user_id(app, cookie).await;
    tell(app, &user, MessageCategory::Account, title).await
}

async fn count(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(bind.to_string())
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p7_1_the_inbox_lists_counts_unread_and_marks_read() {
    let app = spawn_app().await;
    let me = app.open_enterprise("收件公司").await;
    let before = json(app.call_as(&me, "whoami", &[]).await).await["unread_messages"]
        .as_u64()
        .unwrap();
    let first = tell_directly(&app, &me, "第一条").await;
    app.clock.advance_ms(1000);
    tell_directly(&app, &me, "第二条").await;
    let whoami = json(app.call_as(&me, "whoami", &[]).await).await;
    assert_eq!(whoami["unread_messages"].as_u64().unwrap(), before + 2);
    let inbox = json(app.call_as(&me, "my_inbox", &[]).await).await;
    assert_eq!(
        inbox["messages"][0]["title"]["zh"], "第二条",
        "newest first"
    );
    assert_eq!(inbox["unread"].as_u64().unwrap(), before + 2);

    let res = app
        .call_as(&me, "mark_message_read", &[("id", &first)])
        .await;
    assert_eq!(res.status(), 200);
    // Twice is harmless; an unknown id is a 404.
    let res = app
        .call_as(&me, "mark_message_read", &[("id", &first)])
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .call_as(&me, "mark_message_read", &[("id", &"0".repeat(32))])
        .await;
    assert_eq!(res.status(), 404);
    let inbox = json(app.call_as(&me, "my_inbox", &[]).await).await;
    assert_eq!(inbox["unread"].as_u64().unwrap(), before + 1);
    let read = inbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == first.as_str())
        .unwrap();
    assert!(read["read_at"].is_number());

    let all = json(app.call_as(&me, "mark_all_messages_read", &[]).await).await;
    assert_eq!(all.as_u64().unwrap(), before + 1);
    let whoami = json(app.call_as(&me, "whoami", &[]).await).await;
    assert_eq!(whoami["unread_messages"], 0);
    // A damaged cursor is the user's mistake, not a 500.
    let res = app.call_as(&me, "my_inbox", &[("cursor", "x")]).await;
    assert_eq!(res.status(), 422);
}

/// P7.1: a channel turned off is not used; P7.2: announcements and security notices cannot be
/// turned off, and the page says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p7_1_p7_2_preferences_are_kept_and_mandatory_ones_are_locked() {
    let app = spawn_app().await;
    let me = app.open_enterprise("偏好公司").await;
    for category in ["announcement", "security"] {
        let res = app
            .call_as(
                &me,
                "set_message_preference",
                &[("category", category), ("channel", "email"), ("on", "off")],
            )
            .await;
        assert_eq!(res.status(), 422, "{category} cannot be turned off");
    }
    let res = app
        .call_as(
            &me,
            "set_message_preference",
            &[("category", "account"), ("channel", "email"), ("on", "off")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let prefs = json(app.call_as(&me, "message_preferences", &[]).await).await;
    let switch = |category: &str, channel: &str| {
        prefs["switches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["category"] == category && s["channel"] == channel)
            .unwrap()
            .clone()
    };
    assert_eq!(switch("account", "email")["on"], false);
    assert_eq!(switch("account", "in_site")["on"], true);
    assert_eq!(switch("announcement", "email")["locked"], true);
    assert_eq!(
        switch("promotion", "email")["on"],
        false,
        "off until consented"
    );

    let id = tell_directly(&app, &me, "只在站内").await;
    let emails = count(
        &app,
        "SELECT COUNT(*) FROM outbox WHERE inbox_id = $1 AND channel = 'email'",
        &id,
    )
    .await;
    assert_eq!(emails, 0, "the e-mail channel was turned off");
    let texts = count(
        &app,
        "SELECT COUNT(*) FROM outbox WHERE inbox_id = $1 AND channel = 'sms'",
        &id,
    )
    .await;
    assert_eq!(texts, 1, "the text channel is still on");
    // The switch is audited.
    let audited = count(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'messages.preference' AND detail = $1",
        "account email off",
    )
    .await;
    assert_eq!(audited, 1);
}

pub(crate) async fn publish(app: &TestApp, ops: &str, kind: &str, title: &str, at: &str) -> String {
    let res = app
        .call_as(
            ops,
            "save_announcement",
            &[
                ("kind", kind),
                ("title_zh", title),
                ("title_en", "Title"),
                ("body_zh", "正文"),
                ("body_en", "Text"),
                ("publish_at", at),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    json(res).await.as_str().unwrap().to_string()
}

async fn in_inbox(app: &TestApp, cookie: &str, title: &str) -> bool {
    let inbox = json(app.call_as(cookie, "my_inbox", &[]).await).await;
    inbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["title"]["zh"] == title)
}

/// P7.2: an announcement reaches every inbox when its time comes, whatever the preferences;
/// a scheduled one withdrawn in time never does; edits follow into the inboxes; all audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p7_2_announcements_reach_every_inbox_on_time_and_are_audited() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let a = app.open_enterprise("公告甲").await;
    let b = app.register_unique().await;
    app.clock.advance_ms(1000);
    let now = publish(&app, &ops, "maintenance", "今晚维护", "").await;
    let later = publish(&app, &ops, "service", "明日公告", "2099-01-01T08:00").await;
    app.deliver().await;
    for who in [&a, &b] {
        assert!(in_inbox(&app, who, "今晚维护").await);
        assert!(
            !in_inbox(&app, who, "明日公告").await,
            "not before its time"
        );
    }
    let home = json(app.call("announcements", &[("limit", "5")]).await).await;
    assert_eq!(home[0]["title"]["zh"], "今晚维护");
    // E-mailed too (P7.2: it cannot be unsubscribed).
    let mails = count(
        &app,
        "SELECT COUNT(*) FROM outbox WHERE purpose = $1 AND channel = 'email'",
        "announcement",
    )
    .await;
    assert!(mails >= 2, "{mails}");

    // An edit changes the public page and every inbox copy.
    let res = app
        .call_as(
            &ops,
            "save_announcement",
            &[
                ("id", &now),
                ("kind", "maintenance"),
                ("title_zh", "今晚维护（延后）"),
                ("title_en", "Maintenance (later)"),
                ("body_zh", "正文"),
                ("body_en", "Text"),
                ("publish_at", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(in_inbox(&app, &a, "今晚维护（延后）").await);

    // Both languages are required; a bad time is a field error, not a 500.
    let res = app
        .call_as(
            &ops,
            "save_announcement",
            &[
                ("kind", "incident"),
                ("title_zh", "事件"),
                ("title_en", ""),
                ("body_zh", "正文"),
                ("body_en", "Text"),
                ("publish_at", "soon"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("title_en") && body.contains("publish_at"),
        "{body}"
    );

    // Editing a scheduled one without a time keeps its time: it is not published early.
    let res = app
        .call_as(
            &ops,
            "save_announcement",
            &[
                ("id", &later),
                ("kind", "service"),
                ("title_zh", "明日公告"),
                ("title_en", "Tomorrow (typo fixed)"),
                ("body_zh", "正文"),
                ("body_en", "Text"),
                ("publish_at", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    app.deliver().await;
    assert!(!in_inbox(&app, &a, "明日公告").await, "still scheduled");
    let list = json(app.call_as(&ops, "all_announcements", &[]).await).await;
    let entry = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["announcement"]["id"] == later.as_str())
        .unwrap();
    assert_eq!(entry["status"], "scheduled");

    // Withdrawn before its time: never delivered, never public.
    let res = app
        .call_as(&ops, "withdraw_announcement", &[("id", &later)])
        .await;
    assert_eq!(res.status(), 200);
    let list = json(app.call_as(&ops, "all_announcements", &[]).await).await;
    let withdrawn = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["announcement"]["id"] == later.as_str())
        .unwrap();
    assert_eq!(withdrawn["status"], "withdrawn");
    // Past its time (sessions have long expired by then: the database is asked directly).
    app.clock.advance_ms(100 * 365 * 86_400_000);
    app.deliver().await;
    let copies = count(
        &app,
        "SELECT COUNT(*) FROM inbox_messages WHERE source = $1",
        &format!("announcement:{later}"),
    )
    .await;
    assert_eq!(copies, 0, "a withdrawn announcement is never delivered");
    for action in [
        "announcement.create",
        "announcement.edit",
        "announcement.withdraw",
    ] {
        let n = count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = $1",
            action,
        )
        .await;
        assert!(n >= 1, "{action} audited");
    }
}

/// P7.1, P1.2: a promotion reaches only users whose `promotions` purpose is on, carries a
/// one-click unsubscribe link, and after a one-click `POST` without any session no further
/// promotion reaches that user on any channel. Opening the link changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p7_1_promotions_follow_consent_and_one_click_unsubscribe_stops_every_channel() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let fan = app.open_enterprise("推广甲").await;
    let other = app.open_enterprise("推广乙").await;
    let res = app
        .call_as(
            &fan,
            "set_purpose",
            &[("purpose", "promotions"), ("on", "on")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let fan_id = user_id(&app, &fan).await;

    // The texts of opening the enterprises go first (one a minute per number).
    app.deliver_all().await;
    app.clock.advance_ms(61_000);
    publish(&app, &ops, "promotion", "双十二优惠", "").await;
    app.deliver().await;
    assert!(in_inbox(&app, &fan, "双十二优惠").await);
    assert!(
        !in_inbox(&app, &other, "双十二优惠").await,
        "never consented"
    );
    let home = json(app.call("announcements", &[("limit", "50")]).await).await;
    assert!(
        !home.to_string().contains("双十二优惠"),
        "not on the home page"
    );
    let channels = |app: &TestApp| {
        let pool = app.db.pool().clone();
        async move {
            let rows: Vec<String> = sqlx::query_scalar(
                "SELECT channel FROM outbox WHERE purpose = 'promotion' AND status <> 'dead' ORDER BY channel",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            rows
        }
    };
    assert_eq!(channels(&app).await, ["email", "sms"]);

    // The delivered e-mail carries the link (the development mailbox shows it).
    let mail = json(app.call_as(&ops, "dev_mailbox", &[]).await).await;
    let url = mail
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["subject"] == "双十二优惠" && m["channel"] == "email")
        .expect("the promotion was delivered")["unsubscribe_url"]
        .as_str()
        .unwrap()
        .to_string();
    let path = &url[url.find("/unsubscribe/").expect("the link")..];
    assert!(path.contains(&fan_id));

    // Opening the link (a scanner, a preview) changes nothing.
    assert_eq!(app.get(path).await.status(), 200);
    let still = json(app.call_as(&fan, "message_preferences", &[]).await).await;
    assert_eq!(still["promotions_allowed"], true);
    // A forged signature and a body that is not the one-click form are refused.
    let forged = format!("/unsubscribe/{fan_id}.{}", "0".repeat(64));
    let post = |path: String, body: &'static str| {
        app.client
            .post(app.url(&path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    assert_eq!(
        post(forged, "List-Unsubscribe=One-Click")
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(post(path.to_string(), "yes").await.unwrap().status(), 400);
    // A promotion still waiting in the outbox when the user unsubscribes.
    let queued = tell(&app, &fan_id, MessageCategory::Promotion, "排队中的优惠").await;
    // RFC 8058: one POST, no cookie.
    let res = post(path.to_string(), "List-Unsubscribe=One-Click")
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let prefs = json(app.call_as(&fan, "message_preferences", &[]).await).await;
    assert_eq!(prefs["promotions_allowed"], false);
    let withdrawals = count(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'consent.withdraw' AND detail = $1",
        "promotions via unsubscribe link",
    )
    .await;
    assert_eq!(withdrawals, 1, "recorded like a consent withdrawal");
    // The waiting promotion is not sent, and cannot be re-sent.
    let (status, outbox_id): (String, String) =
        sqlx::query_as("SELECT status, id FROM outbox WHERE inbox_id = $1 AND channel = 'email'")
            .bind(&queued)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(status, "dead");
    let res = app
        .call_as(&ops, "resend_outbox", &[("id", &outbox_id)])
        .await;
    assert_eq!(res.status(), 409);
    // A second use changes nothing; the multipart form RFC 8058 recommends works as well.
    let form = reqwest::multipart::Form::new().text("List-Unsubscribe", "One-Click");
    let res = app
        .client
        .post(app.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let withdrawals = count(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'consent.withdraw' AND detail = $1",
        "promotions via unsubscribe link",
    )
    .await;
    assert_eq!(withdrawals, 1, "a second use records nothing");

    publish(&app, &ops, "promotion", "新年优惠", "").await;
    app.deliver().await;
    assert!(!in_inbox(&app, &fan, "新年优惠").await);
    assert_eq!(
        channels(&app).await,
        ["email", "sms"],
        "no new e-mail or text"
    );
}

/// RFC 8058: the promotional e-mail itself carries both headers over SMTP.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p7_1_promotional_mail_carries_list_unsubscribe_headers() {
    let server = crate::delivery::smtp_server(0, false).await;
    let app = crate::delivery::app_with_smtp(&server).await;
    let ops = app.finance().await;
    let fan = app.open_enterprise("推广头部").await;
    app.call_as(
        &fan,
        "set_purpose",
        &[("purpose", "promotions"), ("on", "on")],
    )
    .await;
    publish(&app, &ops, "promotion", "邮件头测试", "").await;
    app.deliver().await;
    let received = server.received.lock().unwrap().clone();
    let mail = received
        .iter()
        .find(|m| m.contains("List-Unsubscribe-Post"))
        .expect("a promotion with the headers");
    assert!(mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert!(
        mail.contains("List-Unsubscribe: <https://platform.test/unsubscribe/"),
        "{mail}"
    );
    assert!(mail.contains("/unsubscribe/"));
}
