//! Issue 15 (P1.1.3): the product's WeChat client against the WeChat simulator, both built
//! from WeChat's documentation: the authorisation redirects, a code exchanged once, every error
//! code's meaning, the profile only with `snsapi_userinfo`, and the token refresh.

use app::backend::clock::ManualClock;
use app::backend::wechat::{profile, WechatApi};
use app::model::wechat::{authorize_url, identity, IdentityKind, Scope, WechatError};
use app::model::UtcMillis;
use server::wechat::client::{HttpWechat, WechatConfig};
use server::wechat::simulator::{SimConfig, Simulator};
use std::sync::Arc;

const APPID: &str = "wx-test-app";
const SECRET: &str = "test-secret";
const BACK: &str = "http://127.0.0.1:1/wx/back?ticket=t1";
const PHONE_UA: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47";

struct Wx {
    base: String,
    clock: Arc<ManualClock>,
    api: HttpWechat,
    phone: reqwest::Client,
}

async fn start(unionid: bool) -> Wx {
    let clock = ManualClock::new(UtcMillis::now());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let sim = Simulator::new(SimConfig {
        appid: APPID.into(),
        secret: SECRET.into(),
        unionid,
        clock: clock.clone(),
        mount: String::new(),
        public_base: base.clone(),
        callback_hosts: vec!["127.0.0.1".into()],
    });
    crate::helpers::server_runtime().spawn(async move {
        let _ = axum::serve(listener, sim.router::<()>()).await;
    });
    let api = HttpWechat::new(WechatConfig {
        api_base: base.clone(),
        appid: APPID.into(),
        secret: SECRET.into(),
        strict: false,
    })
    .unwrap();
    // A phone inside WeChat.
    let phone = reqwest::Client::builder()
        .user_agent(PHONE_UA)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Wx {
        base,
        clock,
        api,
        phone,
    }
}

impl Wx {
    /// The phone decides on the simulator's page; returns where WeChat sends the browser.
    async fn decide(&self, user: &str, scope: Scope, allow: bool) -> String {
        let res = self
            .phone
            .post(format!("{}/_sim/decide", self.base))
            .form(&[
                ("appid", APPID),
                ("redirect_uri", BACK),
                ("scope", scope.code()),
                ("state", "st-1"),
                ("user", user),
                ("decision", if allow { "allow" } else { "deny" }),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "a redirect");
        res.headers()["location"].to_str().unwrap().to_string()
    }

    async fn code(&self, user: &str, scope: Scope) -> String {
        let to = self.decide(user, scope, true).await;
        let url = reqwest::Url::parse(&to).unwrap();
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["state"], "st-1");
        assert_eq!(q["ticket"], "t1", "the redirect_uri's own query is kept");
        q["code"].clone()
    }

    /// The phone opens `url` (a browser does not send the `#wechat_redirect` fragment).
    async fn open(&self, url: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut req = self.phone.get(url.split('#').next().unwrap());
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send().await.unwrap()
    }

    /// A user's tokens through the phone's decision and the code exchange.
    async fn tokens(&self, user: &str, scope: Scope) -> app::model::wechat::TokenAnswer {
        let code = self.code(user, scope).await;
        self.api.exchange_code(&code).await.unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_3_a_code_is_exchanged_once_and_reads_the_profile_only_with_userinfo() {
    let wx = start(false).await;
    // snsapi_userinfo: the profile, with the openid as the identity.
    let code = wx.code("zhang", Scope::UserInfo).await;
    let tokens = wx.api.exchange_code(&code).await.unwrap();
    assert_eq!(
        (tokens.expires_in, tokens.scope.as_str()),
        (7200, "snsapi_userinfo")
    );
    assert_eq!(
        wx.api.exchange_code(&code).await,
        Err(WechatError::CodeUsed),
        "a code works once"
    );
    let (info, _) = profile(&wx.api, tokens.clone()).await.unwrap();
    assert_eq!(info.nickname, "张三");
    assert_eq!(
        identity(&tokens.openid, tokens.unionid.as_deref()).0,
        IdentityKind::Openid
    );

    // snsapi_base: silent once the phone has a user, and no profile.
    let url = authorize_url(&wx.base, APPID, BACK, Scope::Base, "st-2");
    let res = wx.open(&url, Some("wxsim_user=li")).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let to = res.headers()["location"].to_str().unwrap();
    assert!(
        to.starts_with(BACK) && to.contains("state=st-2") && to.contains("code="),
        "{to}"
    );
    let code = to.split("code=").nth(1).unwrap().split('&').next().unwrap();
    let base = wx.api.exchange_code(code).await.unwrap();
    assert!(!base.reads_profile());
    assert_eq!(
        wx.api.userinfo(&base.access_token, &base.openid).await,
        Err(WechatError::Unauthorized)
    );
    // Without a user on the phone, the page asks who (and nothing is issued).
    let res = wx.open(&url, None).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("以哪个微信用户身份"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_3_every_refusal_has_its_error() {
    let wx = start(false).await;
    // The user refuses: the browser comes back without a code.
    let to = wx.decide("zhang", Scope::UserInfo, false).await;
    assert!(to.contains("state=st-1") && !to.contains("code="), "{to}");
    // Wrong, missing and expired codes.
    assert_eq!(
        wx.api.exchange_code("nope").await,
        Err(WechatError::InvalidCode)
    );
    assert_eq!(
        wx.api.exchange_code("").await,
        Err(WechatError::InvalidCode)
    );
    let code = wx.code("zhang", Scope::Base).await;
    wx.clock.advance_ms(10 * 60_000 + 1);
    assert_eq!(
        wx.api.exchange_code(&code).await,
        Err(WechatError::InvalidCode)
    );
    let code = wx.code("zhang", Scope::Base).await;
    wx.clock.advance_ms(10 * 60_000);
    assert!(
        wx.api.exchange_code(&code).await.is_ok(),
        "valid for 10 minutes"
    );
    // A wrong secret is the platform's configuration.
    let wrong = HttpWechat::new(WechatConfig {
        api_base: wx.base.clone(),
        appid: APPID.into(),
        secret: "other".into(),
        strict: false,
    })
    .unwrap();
    let code = wx.code("zhang", Scope::Base).await;
    assert_eq!(
        wrong.exchange_code(&code).await,
        Err(WechatError::Misconfigured)
    );
    // A wrong token, and a server that is not there.
    assert_eq!(
        wx.api.userinfo("nope", "o").await,
        Err(WechatError::TokenExpired)
    );
    let gone = HttpWechat::new(WechatConfig {
        api_base: "http://127.0.0.1:9".into(),
        appid: APPID.into(),
        secret: SECRET.into(),
        strict: false,
    })
    .unwrap();
    assert!(matches!(
        gone.exchange_code("x").await,
        Err(WechatError::Unreachable { .. })
    ));
    // The authorisation page refuses a wrong appid, response_type, scope or callback host.
    for url in [
        authorize_url(&wx.base, "other", BACK, Scope::Base, "s"),
        authorize_url(&wx.base, APPID, BACK, Scope::Base, "s")
            .replace("response_type=code", "response_type=token"),
        authorize_url(&wx.base, APPID, BACK, Scope::Login, "s"),
        authorize_url(&wx.base, APPID, "https://evil.example/cb", Scope::Base, "s"),
    ] {
        let res = wx.open(&url, Some("wxsim_user=li")).await;
        assert_eq!(res.status(), 400, "{url}");
    }
    // Outside WeChat's browser the official account's OAuth only says to open it in WeChat.
    let url = authorize_url(&wx.base, APPID, BACK, Scope::Base, "s");
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(url.split('#').next().unwrap())
        .header("cookie", "wxsim_user=li")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("请在微信客户端打开链接"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_3_an_expired_access_token_is_refreshed_and_unionid_is_preferred() {
    let wx = start(true).await;
    let tokens = wx.tokens("wang", Scope::UserInfo).await;
    assert_eq!(
        identity(&tokens.openid, tokens.unionid.as_deref()),
        (IdentityKind::Unionid, "u_wang".to_string())
    );
    wx.clock.advance_ms(7_200_000 - 1);
    assert!(
        wx.api
            .userinfo(&tokens.access_token, &tokens.openid)
            .await
            .is_ok(),
        "valid until 7,200 s"
    );
    wx.clock.advance_ms(1);
    assert_eq!(
        wx.api.userinfo(&tokens.access_token, &tokens.openid).await,
        Err(WechatError::TokenExpired)
    );
    let (info, fresh) = profile(&wx.api, tokens.clone()).await.unwrap();
    assert_eq!(info.nickname, "王五");
    assert_ne!(
        fresh.access_token, tokens.access_token,
        "a new access token"
    );
    assert_eq!(fresh.refresh_token, tokens.refresh_token);
    assert_eq!(
        fresh.unionid.as_deref(),
        Some("u_wang"),
        "kept across the refresh"
    );
    // The refresh token lasts 30 days from the exchange.
    wx.clock.advance_ms(30 * 86_400_000 - 7_200_001);
    let still = wx.api.refresh(&tokens.refresh_token).await;
    assert!(still.is_ok(), "still valid just before 30 days");
    wx.clock.advance_ms(1);
    assert_eq!(
        profile(&wx.api, fresh).await.map(|(i, _)| i.nickname),
        Err(WechatError::RefreshExpired)
    );
}

/// Issue 15: a development server without `--wechat-appid` runs the simulator inside itself,
/// and its WeChat client talks to it; production refuses a simulator's address and, without an
/// appid, has no WeChat login (and no simulator).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_3_development_simulates_wechat_and_production_refuses_simulator_urls() {
    let app = crate::helpers::spawn_app().await;
    let setup = app
        .state
        .wechat
        .clone()
        .expect("WeChat login in development");
    assert!(setup.simulated);
    assert!(setup.open_base.ends_with("/wxsim"), "{}", setup.open_base);
    let users: serde_json::Value = app.get("/wxsim/_sim/users").await.json().await.unwrap();
    assert_eq!(users.as_array().unwrap().len(), 3);
    // The phone allows; the code goes back to our redirect_uri; the server's client exchanges it.
    let res = app
        .client
        .post(app.url("/wxsim/_sim/decide"))
        .form(&[
            ("appid", setup.appid.as_str()),
            ("redirect_uri", &app.url("/wx/back")),
            ("scope", "snsapi_userinfo"),
            ("state", "s"),
            ("user", "li"),
            ("decision", "allow"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let code = to.split("code=").nth(1).unwrap().split('&').next().unwrap();
    let tokens = setup.api.exchange_code(code).await.unwrap();
    let (info, _) = profile(setup.api.as_ref(), tokens).await.unwrap();
    assert_eq!(info.nickname, "李四");

    let key = crate::fixtures::hex_key;
    let (session_key, field_key) = (key(), key());
    let production = |extra: &'static [&'static str]| {
        let mut args = vec![
            "--production".to_string(),
            "--session-key".into(),
            session_key.clone(),
            "--field-key".into(),
            field_key.clone(),
            "--no-outbound".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let dir = tempfile::tempdir().unwrap();
    let mut args = crate::helpers::test_args(dir.path()).await;
    args.extend(production(&[
        "--wechat-appid",
        "wx1",
        "--wechat-secret",
        "s",
        "--wechat-api-base",
        "http://127.0.0.1:3400",
    ]));
    let cli = <server::config::Cli as clap::Parser>::try_parse_from(&args).unwrap();
    let refused = crate::helpers::build(cli).await.err().expect("refused");
    assert!(
        refused.to_string().contains("--wechat-api-base"),
        "{refused}"
    );

    let app = crate::helpers::spawn_app_with(
        &production(&[])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    )
    .await;
    assert!(
        app.state.wechat.is_none(),
        "no WeChat login without an appid"
    );
    assert_eq!(app.get("/wxsim/_sim/users").await.status(), 404);
}
