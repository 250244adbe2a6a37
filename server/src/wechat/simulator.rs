//! A local stand-in for WeChat's login, built from its documentation, for development and the
//! tests (`server wechat-sim`; P1.1.3, issue 15). It answers as WeChat does, so a mistake in the
//! product's client fails here as it would there:
//!
//! - `GET /connect/oauth2/authorize` (inside WeChat: `snsapi_base`, silent once the phone has a
//!   user; `snsapi_userinfo`, after the user allows it) and `GET /connect/qrconnect` (the
//!   website QR, `snsapi_login`): the `appid`, `response_type=code` and the scope are checked;
//!   the `redirect_uri` must be on a registered callback host (10003), and the official
//!   account's OAuth answers only inside WeChat (`MicroMessenger` in the User-Agent; elsewhere
//!   "请在微信客户端打开链接"); a page stands for the phone: pick a simulated WeChat user, then
//!   allow or refuse. Allowed,
//!   the browser goes to `redirect_uri?code=CODE&state=STATE`; refused, to
//!   `redirect_uri?state=STATE` (no code).
//! - `GET /sns/oauth2/access_token`: a code works once (40163), for 10 minutes (40029); a wrong
//!   appid (40013) or secret (40125), no code (41008). Tokens last 7,200 s, refresh tokens 30
//!   days (`GET /sns/oauth2/refresh_token`: 40030, 42002).
//! - `GET /sns/userinfo`: a wrong token (40001), an expired one (42001), a `snsapi_base` token
//!   (48001).
//!
//! Every error is HTTP 200 with `{"errcode","errmsg"}`. Time is the given clock (the tests move
//! it). `GET /_sim/users` lists the simulated users.

use app::backend::clock::SharedClock;
use app::model::wechat::{errcode, Scope, TokenAnswer, UserInfo};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const CODE_TTL_MS: i64 = 10 * 60_000;
const TOKEN_TTL_S: i64 = 7_200;
const REFRESH_TTL_MS: i64 = 30 * 86_400_000;
/// The cookie by which the simulated phone remembers its WeChat user.
const PHONE_USER: &str = "wxsim_user";

/// A simulated WeChat user.
#[derive(Clone, Debug, Serialize)]
pub struct SimUser {
    pub key: String,
    pub nickname: String,
    pub openid: String,
    /// Given when the simulated app is bound to an Open Platform account.
    pub unionid: Option<String>,
    pub headimgurl: String,
}

/// The simulated application.
#[derive(Clone)]
pub struct SimConfig {
    pub appid: String,
    pub secret: String,
    /// Whether answers carry a `unionid`.
    pub unionid: bool,
    pub clock: SharedClock,
    /// The path the simulator is mounted at (`""` on its own port, `/wxsim` inside a
    /// development server): its page's form posts there.
    pub mount: String,
    /// Where the simulator is reached from outside (its avatars' URLs start with it).
    pub public_base: String,
    /// The hosts registered for the app's callbacks: a `redirect_uri` elsewhere is refused,
    /// as WeChat refuses one outside the registered domain.
    pub callback_hosts: Vec<String>,
}

/// The users every simulator has (openids derived from the appid, as WeChat's differ per app),
/// each with an avatar served by the simulator under `public_base`.
pub fn users(appid: &str, unionid: bool, public_base: &str) -> Vec<SimUser> {
    [("zhang", "张三"), ("li", "李四"), ("wang", "王五")]
        .into_iter()
        .map(|(key, nickname)| SimUser {
            key: key.into(),
            nickname: nickname.into(),
            openid: format!(
                "o{}_{key}",
                &app::backend::crypto::sha256_hex(appid.as_bytes())[..12]
            ),
            unionid: unionid.then(|| format!("u_{key}")),
            headimgurl: format!(
                "{}/_sim/avatar/{key}.png",
                public_base.trim_end_matches('/')
            ),
        })
        .collect()
}

struct Grant {
    user: String,
    scope: Scope,
    issued: i64,
    used: bool,
}

struct Token {
    user: String,
    scope: Scope,
    expires: i64,
}

#[derive(Default)]
struct Book {
    codes: HashMap<String, Grant>,
    tokens: HashMap<String, Token>,
    refresh: HashMap<String, Token>,
}

#[derive(Clone)]
pub struct Simulator {
    config: Arc<SimConfig>,
    users: Arc<Vec<SimUser>>,
    book: Arc<Mutex<Book>>,
}

#[derive(Deserialize)]
pub struct AuthorizeQuery {
    #[serde(default)]
    appid: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    response_type: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    state: String,
}

/// The phone's answer on the simulated authorisation page.
#[derive(Deserialize)]
pub struct Decision {
    appid: String,
    redirect_uri: String,
    scope: String,
    #[serde(default)]
    state: String,
    user: String,
    /// `allow` or `deny`.
    decision: String,
}

type Params = Query<HashMap<String, String>>;

fn fail(code: i64, msg: &str) -> Response {
    Json(serde_json::json!({ "errcode": code, "errmsg": msg })).into_response()
}

fn random() -> String {
    app::backend::crypto::random_token()
}

/// `redirect_uri` with `pairs` added to its query.
fn back_to(redirect_uri: &str, pairs: &[(&str, &str)]) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    format!("{redirect_uri}{sep}{query}")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Simulator {
    pub fn new(config: SimConfig) -> Self {
        let users = users(&config.appid, config.unionid, &config.public_base);
        Simulator {
            config: Arc::new(config),
            users: Arc::new(users),
            book: Arc::default(),
        }
    }

    pub fn users(&self) -> Vec<SimUser> {
        self.users.as_ref().clone()
    }

    /// Its routes, for any outer state (on its own port, or nested in a development server).
    pub fn router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        Router::new()
            .route("/connect/oauth2/authorize", get(authorize))
            .route("/connect/qrconnect", get(qrconnect))
            .route("/_sim/decide", post(decide))
            .route("/sns/oauth2/access_token", get(access_token))
            .route("/sns/oauth2/refresh_token", get(refresh_token))
            .route("/sns/userinfo", get(userinfo))
            .route("/_sim/users", get(list_users))
            .route("/_sim/avatar/{file}", get(avatar))
            .route("/_sim/open", get(open_inside))
            .with_state(self.clone())
    }

    fn now(&self) -> i64 {
        self.config.clock.now().0
    }

    fn user(&self, key: &str) -> Option<&SimUser> {
        self.users.iter().find(|u| u.key == key)
    }

    /// Issues a code for `user` (a right decision on the phone).
    fn code_for(&self, user: &str, scope: Scope) -> String {
        let code = random();
        let grant = Grant {
            user: user.into(),
            scope,
            issued: self.now(),
            used: false,
        };
        if let Ok(mut book) = self.book.lock() {
            book.codes.insert(code.clone(), grant);
        }
        code
    }

    fn tokens(&self, book: &mut Book, user: &SimUser, scope: Scope) -> TokenAnswer {
        let (access, refresh) = (random(), random());
        let now = self.now();
        book.tokens.insert(
            access.clone(),
            Token {
                user: user.key.clone(),
                scope,
                expires: now + TOKEN_TTL_S * 1000,
            },
        );
        book.refresh.insert(
            refresh.clone(),
            Token {
                user: user.key.clone(),
                scope,
                expires: now + REFRESH_TTL_MS,
            },
        );
        TokenAnswer {
            access_token: access,
            expires_in: TOKEN_TTL_S,
            refresh_token: refresh,
            openid: user.openid.clone(),
            scope: scope.code().into(),
            // WeChat gives the unionid only with a scope that reads the profile.
            unionid: user.unionid.clone().filter(|_| scope.reads_profile()),
            is_snapshotuser: None,
        }
    }

    /// The simulated phone's page: who is this WeChat user, and do they allow it.
    fn page(&self, q: &AuthorizeQuery, scope: Scope, current: Option<&str>) -> Response {
        let asks = match scope {
            Scope::Base => "（静默授权：仅获取 openid）",
            Scope::UserInfo => "申请获取你的昵称、头像",
            Scope::Login => "网站应用申请使用微信登录",
        };
        let options: String = self
            .users
            .iter()
            .map(|u| {
                let selected = if current == Some(u.key.as_str()) { " checked" } else { "" };
                format!(
                    r#"<label><input type="radio" name="user" value="{}"{selected} required> {}</label><br>"#,
                    escape(&u.key),
                    escape(&u.nickname)
                )
            })
            .collect();
        let hidden = |name: &str, value: &str| {
            format!(
                r#"<input type="hidden" name="{name}" value="{}">"#,
                escape(value)
            )
        };
        Html(format!(
            r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>微信授权（模拟）</title></head>
<body><main><h1>微信授权（模拟器）</h1><p>应用 {appid} {asks}</p>
<form method="post" action="{mount}/_sim/decide">{a}{r}{s}{t}<fieldset><legend>以哪个微信用户身份</legend>{options}</fieldset>
<button name="decision" value="allow">允许</button> <button name="decision" value="deny">拒绝</button></form></main></body></html>"#,
            appid = escape(&q.appid),
            mount = escape(&self.config.mount),
            a = hidden("appid", &q.appid),
            r = hidden("redirect_uri", &q.redirect_uri),
            s = hidden("scope", scope.code()),
            t = hidden("state", &q.state),
        ))
        .into_response()
    }

    /// Checks an authorisation request as WeChat does before it shows anything; the refusal's
    /// wording otherwise.
    fn check(&self, q: &AuthorizeQuery, allowed: &[Scope]) -> Result<Scope, &'static str> {
        if q.appid != self.config.appid {
            return Err("appid 参数错误");
        }
        if q.response_type != "code" {
            return Err("response_type 参数错误");
        }
        let host = reqwest::Url::parse(&q.redirect_uri)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .and_then(|u| u.host_str().map(str::to_string));
        match host {
            None => return Err("redirect_uri 参数错误"),
            Some(h) if !self.config.callback_hosts.contains(&h) => {
                return Err("redirect_uri 域名与后台配置不一致，错误码：10003")
            }
            Some(_) => {}
        }
        match Scope::from_code(&q.scope) {
            Some(s) if allowed.contains(&s) => Ok(s),
            _ => Err("scope 参数错误"),
        }
    }
}

/// WeChat's error page for a malformed authorisation request.
fn refused(why: &str) -> Response {
    (StatusCode::BAD_REQUEST, Html(format!("<p>{why}</p>"))).into_response()
}

fn phone_user(headers: &HeaderMap) -> Option<String> {
    let cookies = headers.get_all(header::COOKIE);
    app::model::net::cookie_value(cookies.iter().filter_map(|v| v.to_str().ok()), PHONE_USER)
}

async fn authorize(
    State(sim): State<Simulator>,
    headers: HeaderMap,
    Query(q): Query<AuthorizeQuery>,
) -> Response {
    // The official account's OAuth works only inside WeChat's browser.
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let inside = app::model::net::cookie_value(
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok()),
        app::model::wechat::SIM_INSIDE_COOKIE,
    );
    if !app::model::wechat::inside_wechat(ua, true, inside.as_deref()) {
        return Html("<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>微信</title><p>请在微信客户端打开链接</p></html>").into_response();
    }
    let scope = match sim.check(&q, &[Scope::Base, Scope::UserInfo]) {
        Ok(s) => s,
        Err(why) => return refused(why),
    };
    let current = phone_user(&headers).filter(|k| sim.user(k).is_some());
    // `snsapi_base` is silent once the phone has a WeChat user.
    if let (Scope::Base, Some(user)) = (scope, &current) {
        let code = sim.code_for(user, scope);
        return Redirect::to(&back_to(
            &q.redirect_uri,
            &[("code", &code), ("state", &q.state)],
        ))
        .into_response();
    }
    sim.page(&q, scope, current.as_deref())
}

async fn qrconnect(State(sim): State<Simulator>, Query(q): Query<AuthorizeQuery>) -> Response {
    match sim.check(&q, &[Scope::Login]) {
        Ok(scope) => sim.page(&q, scope, None),
        Err(why) => refused(why),
    }
}

async fn decide(State(sim): State<Simulator>, Form(d): Form<Decision>) -> Response {
    let q = AuthorizeQuery {
        appid: d.appid,
        redirect_uri: d.redirect_uri,
        response_type: "code".into(),
        scope: d.scope,
        state: d.state,
    };
    let scope = match sim.check(&q, &[Scope::Base, Scope::UserInfo, Scope::Login]) {
        Ok(s) => s,
        Err(why) => return refused(why),
    };
    if sim.user(&d.user).is_none() {
        return (StatusCode::BAD_REQUEST, "no such simulated user").into_response();
    }
    let to = if d.decision == "allow" {
        let code = sim.code_for(&d.user, scope);
        back_to(&q.redirect_uri, &[("code", &code), ("state", &q.state)])
    } else {
        back_to(&q.redirect_uri, &[("state", &q.state)])
    };
    let cookie = format!(
        "{PHONE_USER}={}; Path={}/; HttpOnly; SameSite=Lax",
        d.user, sim.config.mount
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(&to)).into_response()
}

async fn access_token(State(sim): State<Simulator>, Query(p): Params) -> Response {
    let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
    if get("appid") != sim.config.appid {
        return fail(errcode::INVALID_APPID, "invalid appid");
    }
    if get("secret") != sim.config.secret {
        return fail(errcode::INVALID_APPSECRET, "invalid appsecret");
    }
    if get("grant_type") != "authorization_code" {
        return fail(40002, "invalid grant_type");
    }
    if get("code").is_empty() {
        return fail(errcode::MISSING_CODE, "missing code");
    }
    let now = sim.now();
    let Ok(mut book) = sim.book.lock() else {
        return fail(-1, "system error");
    };
    let Some(grant) = book.codes.get_mut(get("code")) else {
        return fail(errcode::INVALID_CODE, "invalid code");
    };
    if grant.used {
        return fail(errcode::CODE_BEEN_USED, "code been used");
    }
    if now - grant.issued > CODE_TTL_MS {
        return fail(errcode::INVALID_CODE, "invalid code");
    }
    grant.used = true;
    let (user, scope) = (grant.user.clone(), grant.scope);
    let Some(user) = sim.user(&user).cloned() else {
        return fail(errcode::INVALID_CODE, "invalid code");
    };
    Json(sim.tokens(&mut book, &user, scope)).into_response()
}

async fn refresh_token(State(sim): State<Simulator>, Query(p): Params) -> Response {
    let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
    if get("appid") != sim.config.appid {
        return fail(errcode::INVALID_APPID, "invalid appid");
    }
    if get("grant_type") != "refresh_token" {
        return fail(40002, "invalid grant_type");
    }
    let now = sim.now();
    let Ok(mut book) = sim.book.lock() else {
        return fail(-1, "system error");
    };
    let Some(t) = book.refresh.get(get("refresh_token")) else {
        return fail(errcode::INVALID_REFRESH_TOKEN, "invalid refresh_token");
    };
    if now >= t.expires {
        return fail(errcode::REFRESH_TOKEN_EXPIRED, "refresh_token expired");
    }
    let (user, scope) = (t.user.clone(), t.scope);
    let Some(user) = sim.user(&user).cloned() else {
        return fail(errcode::INVALID_REFRESH_TOKEN, "invalid refresh_token");
    };
    let mut answer = sim.tokens(&mut book, &user, scope);
    // A refresh keeps the refresh token the client has, and its answer has no unionid.
    book.refresh.remove(&answer.refresh_token);
    answer.refresh_token = get("refresh_token").to_string();
    answer.unionid = None;
    Json(answer).into_response()
}

async fn userinfo(State(sim): State<Simulator>, Query(p): Params) -> Response {
    let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
    let now = sim.now();
    let Ok(book) = sim.book.lock() else {
        return fail(-1, "system error");
    };
    let Some(t) = book.tokens.get(get("access_token")) else {
        return fail(
            errcode::INVALID_CREDENTIAL,
            "invalid credential, access_token is invalid or not latest",
        );
    };
    if now >= t.expires {
        return fail(errcode::ACCESS_TOKEN_EXPIRED, "access_token expired");
    }
    let Some(user) = sim.user(&t.user) else {
        return fail(errcode::INVALID_CREDENTIAL, "invalid credential");
    };
    if get("openid") != user.openid {
        return fail(40003, "invalid openid");
    }
    if !t.scope.reads_profile() {
        return fail(errcode::API_UNAUTHORIZED, "api unauthorized");
    }
    Json(UserInfo {
        openid: user.openid.clone(),
        nickname: user.nickname.clone(),
        sex: 0,
        province: String::new(),
        city: String::new(),
        country: "CN".into(),
        headimgurl: user.headimgurl.clone(),
        privilege: vec![],
        unionid: user.unionid.clone(),
    })
    .into_response()
}

async fn list_users(State(sim): State<Simulator>) -> Json<Vec<SimUser>> {
    Json(sim.users())
}

/// A simulated user's avatar: a 132 px square PNG in a colour of its own, as WeChat's
/// `headimgurl` serves one.
async fn avatar(
    State(sim): State<Simulator>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let key = file.trim_end_matches(".png");
    let Some(i) = sim.users.iter().position(|u| u.key == key) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let colour = [[0x2f, 0x80, 0xed], [0x27, 0xae, 0x60], [0xeb, 0x57, 0x57]][i % 3];
    let png = app::backend::files::png::encode_rgb(132, 132, |x, y| {
        if (x / 22 + y / 22) % 2 == 0 {
            colour
        } else {
            [0xff, 0xff, 0xff]
        }
    });
    ([(header::CONTENT_TYPE, "image/png")], png).into_response()
}

#[derive(Deserialize)]
pub struct OpenQuery {
    #[serde(default)]
    next: String,
}

/// `GET /_sim/open?next=/wx/scan/…`: this browser stands for WeChat's from now on (a cookie),
/// and goes to the phone page; so a developer can try scan-login in a second window.
async fn open_inside(Query(q): Query<OpenQuery>) -> Response {
    // Only the platform's own phone page: never another site.
    let next = q.next.as_str();
    let safe = next.starts_with("/wx/scan/")
        && next
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/?=&-_".contains(&b));
    if !safe {
        return refused("next 参数错误");
    }
    let cookie = format!(
        "{}=1; Path=/; HttpOnly; SameSite=Lax",
        app::model::wechat::SIM_INSIDE_COOKIE
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(next)).into_response()
}
