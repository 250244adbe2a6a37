//! Text messages through Alibaba Cloud SMS (P7.1): the adapter signs `SendSms` as documented
//! and the simulator checks it as the service would; registered templates with their
//! variables; one text a minute and ten a day per number; promotions carry the opt-out wording,
//! and an opt-out reply pushed by the provider withdraws consent.

use crate::helpers::{json, on_server, spawn_app_with, TestApp};
use crate::messages::{tell, tell_directly, user_id};
use app::backend::clock::SharedClock;
use app::model::messages::MessageCategory;
use server::sms::simulator::{SimConfig, Simulator};
use std::collections::HashMap;

const KEY_ID: &str = "LTAI-test";
const SECRET: &str = "sim-secret";
const SIGN: &str = "综合服务平台";
const TEMPLATES: &str =
    "notice=SMS_100,notice.en=SMS_101,code=SMS_200,promotion=SMS_300,request_code=SMS_400,signing_link=SMS_500,agreement_changed=SMS_600";

pub(crate) struct WithSms {
    pub app: TestApp,
    pub sim: Simulator,
    pub sim_url: String,
}

/// The product with its SMS gateway pointed at a simulator (signed with `secret`), and the
/// simulator pushing replies to the product with the token `reply-token`.
pub(crate) async fn app_with_sms(secret: &str) -> WithSms {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sim_url = format!("http://{}/", listener.local_addr().unwrap());
    let app = spawn_app_with(&[
        "--sms-access-key-id",
        KEY_ID,
        "--sms-access-key-secret",
        secret,
        "--sms-endpoint",
        &sim_url,
        "--sms-sign-name",
        SIGN,
        "--sms-template",
        TEMPLATES,
        "--sms-reply-token",
        "reply-token",
    ])
    .await;
    // The wording as registered with the provider (the README's table), written out here so
    // that the simulator's texts do not come from the product's own code.
    let templates: HashMap<String, String> = [
        (
            "SMS_100",
            "您有一条新消息：${title}。请登录综合服务平台查看。",
        ),
        (
            "SMS_101",
            "New message: ${title}. Log in to the platform to read it.",
        ),
        (
            "SMS_200",
            "您的验证码为${code}，30分钟内有效。请勿告诉他人；如非本人操作，请忽略。",
        ),
        (
            "SMS_300",
            "${title}。详情请登录综合服务平台查看。拒收请回复R",
        ),
    ]
    .into_iter()
    .map(|(code, wording)| (code.to_string(), wording.to_string()))
    .collect();
    let clock: SharedClock = app.clock.clone();
    let sim = Simulator::new(SimConfig {
        access_key_id: KEY_ID.into(),
        access_key_secret: SECRET.into(),
        sign_name: SIGN.into(),
        templates,
        reply_url: Some(app.url("/hooks/sms/aliyun/reply-token")),
        clock,
    });
    let router = sim.router();
    crate::helpers::server_runtime().spawn(async move { axum::serve(listener, router).await });
    WithSms { app, sim, sim_url }
}

/// Sets the outbox so far aside (sent long ago), so a test sees only its own messages, which
/// are written a second later.
async fn clear_outbox(app: &TestApp) {
    sqlx::query("UPDATE outbox SET status = 'sent', last_attempt_at = NULL")
        .execute(app.db.pool())
        .await
        .unwrap();
    app.clock.advance_ms(1000);
}

async fn my_mobile(app: &TestApp, cookie: &str) -> String {
    json(app.call_as(cookie, "my_profile", &[]).await).await["mobile"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The newest text message's (status, transport, last error).
async fn last_sms(app: &TestApp) -> (String, String, String) {
    sqlx::query_as(
        "SELECT status, transport, last_error FROM outbox WHERE channel = 'sms' ORDER BY created_at DESC, id LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p7_1_texts_are_signed_templates_and_one_a_minute_ten_a_day_per_number() {
    let WithSms { app, sim, .. } = app_with_sms(SECRET).await;
    let me = app.open_enterprise("短信公司").await;
    let mobile = my_mobile(&app, &me).await;
    clear_outbox(&app).await;

    tell_directly(&app, &me, "您的申请已通过").await;
    let t = app.deliver().await;
    assert_eq!((t.sent, t.held), (2, 0), "the e-mail and the text: {t:?}");
    let texts = sim.texts();
    assert_eq!(texts.len(), 1);
    assert_eq!(texts[0].phone, mobile);
    assert_eq!(texts[0].template_code, "SMS_100");
    assert_eq!(texts[0].params["title"], "您的申请已通过");
    assert_eq!(
        texts[0].text,
        "【综合服务平台】您有一条新消息：您的申请已通过。请登录综合服务平台查看。"
    );
    assert_eq!(last_sms(&app).await.0, "sent");
    assert_eq!(last_sms(&app).await.1, "aliyun_sms");

    // A second text within the minute waits for it; the simulator never sees it early.
    app.clock.advance_ms(1000);
    tell_directly(&app, &me, "第二条").await;
    let t = app.deliver().await;
    assert_eq!((t.sent, t.held), (1, 1), "{t:?}");
    let (status, _, error) = last_sms(&app).await;
    assert_eq!(status, "pending");
    assert!(error.starts_with("held"), "{error}");
    assert_eq!(sim.texts().len(), 1);
    app.clock.advance_ms(61_000);
    assert_eq!(app.deliver().await.sent, 1);
    assert_eq!(sim.texts().len(), 2);

    // Five an hour and ten a day: nine more queued at once go out over hours, and the
    // eleventh waits for the next day.
    for n in 3..=11 {
        tell_directly(&app, &me, &format!("第{n}条")).await;
    }
    // Minutes after the second text at which one went.
    let mut went = vec![];
    for step in 1..=50 {
        app.clock.advance_ms(13 * 60_000);
        if app.deliver().await.sent > 0 {
            went.push(step * 13);
        }
    }
    assert_eq!(sim.texts().len(), 10, "{went:?}");
    // The first two went a minute apart: three more fit in their hour (at 13, 26 and 39
    // minutes); the one due at 52 waits until the first is an hour old.
    assert_eq!(&went[..4], &[13, 26, 39, 65], "{went:?}");
    let pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND status = 'pending'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(pending, 1);
    // A day after the first, it goes.
    app.clock.advance_ms(86_400_000);
    app.deliver().await;
    assert_eq!(sim.texts().len(), 11);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p7_1_a_request_signed_with_the_wrong_secret_is_refused_and_tried_again() {
    let WithSms { app, sim, .. } = app_with_sms("not-the-secret").await;
    let me = app.open_enterprise("错误密钥公司").await;
    clear_outbox(&app).await;
    tell_directly(&app, &me, "通知").await;
    let t = app.deliver().await;
    assert_eq!(t.retried, 1, "{t:?}");
    let (status, _, error) = last_sms(&app).await;
    assert_eq!(status, "pending");
    assert!(error.contains("SignatureDoesNotMatch"), "{error}");
    assert!(sim.texts().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p7_1_a_promotional_text_carries_the_opt_out_and_a_reply_withdraws_consent() {
    let WithSms { app, sim, sim_url } = app_with_sms(SECRET).await;
    let me = app.open_enterprise("退订公司").await;
    let user = user_id(&app, &me).await;
    let mobile = my_mobile(&app, &me).await;
    let res = app
        .call_as(
            &me,
            "set_purpose",
            &[("purpose", "promotions"), ("on", "on")],
        )
        .await;
    assert_eq!(res.status(), 200);
    clear_outbox(&app).await;
    tell(&app, &user, MessageCategory::Promotion, "新功能上线").await;
    app.deliver().await;
    let texts = sim.texts();
    assert_eq!(texts.len(), 1);
    assert_eq!(texts[0].template_code, "SMS_300");
    assert!(texts[0].text.ends_with("拒收请回复R"), "{}", texts[0].text);

    // Someone else's address for replies is not ours.
    let res = app
        .client
        .post(app.url("/hooks/sms/aliyun/guess"))
        .body(format!(r#"[{{"phone_number":"{mobile}","content":"R"}}]"#))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let allowed = |app: &TestApp| {
        let (state, user) = (app.state.clone(), user.clone());
        on_server(async move {
            let mut conn = state.db.conn().await.unwrap();
            app::backend::purpose_switch::allows(
                &mut conn,
                &user,
                app::model::purpose::Purpose::Promotions,
            )
            .await
            .unwrap()
        })
    };
    assert!(allowed(&app).await);

    // A reply that is not an opt-out changes nothing; "R" withdraws, as the phone's owner.
    let reply = |content: &'static str| {
        let (url, mobile) = (format!("{sim_url}_sim/reply"), mobile.clone());
        async move {
            reqwest::Client::new()
                .post(url)
                .form(&[
                    ("phone", format!("86{mobile}")),
                    ("content", content.to_string()),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(reply("谢谢").await.status(), 200);
    assert!(allowed(&app).await);
    let res = reply(" R ").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert!(
        !allowed(&app).await,
        "the reply withdrew consent to promotions"
    );
    let withdrawals: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'consent.withdraw' AND detail = 'promotions via SMS reply'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(withdrawals, 1);

    // No further promotion on any channel.
    let (state, user) = (app.state.clone(), user.clone());
    let told = on_server(async move {
        let mut tx = state.db.begin().await.unwrap();
        let (t, b) = (
            app::model::Bilingual::new("又一个活动", "More"),
            app::model::Bilingual::new("正文", "Text"),
        );
        let notice = app::backend::messages::Notice {
            category: MessageCategory::Promotion,
            purpose: app::model::outbox::OutboxPurpose::Promotion,
            title: &t,
            body: &b,
            source: "",
            email_only: false,
        };
        let now = state.clock.now();
        let told = app::backend::messages::tell(&state, &mut tx, &user, &notice, now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        told
    })
    .await;
    assert!(told.channels.is_empty(), "{told:?}");
}
