//! WeChat's login protocol, as its public documentation describes it (P1.1.3; issue 15):
//! the authorisation URLs, the scopes, the answers of the code exchange, the token refresh and
//! the profile, and the error codes each mapped to a typed error the UI words. Pure: both the
//! product's client (`backend::wechat`) and the development simulator (`server::wechat`) use
//! these shapes, so a mismatch with the documentation shows in one place.
//!
//! Facts: `../shared/reference/wechat-login.md`.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

/// What `encodeURIComponent` leaves alone; everything else in a query value is encoded.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// A query value, percent-encoded (a `redirect_uri` is sent URL-encoded).
pub fn encode(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// An OAuth scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// The website application's QR login (`qrconnect`).
    #[serde(rename = "snsapi_login")]
    Login,
    /// Inside WeChat, silent: the openid only.
    #[serde(rename = "snsapi_base")]
    Base,
    /// Inside WeChat, with the user's authorisation: the profile too (nickname, avatar).
    #[serde(rename = "snsapi_userinfo")]
    UserInfo,
}

super::codes!(Scope { Login => "snsapi_login", Base => "snsapi_base", UserInfo => "snsapi_userinfo" });

impl Scope {
    /// Whether a token of this scope may read the profile (`/sns/userinfo`).
    pub fn reads_profile(self) -> bool {
        matches!(self, Scope::Login | Scope::UserInfo)
    }
}

/// The authorisation page inside WeChat's browser (official-account OAuth):
/// `{open}/connect/oauth2/authorize?appid=…&redirect_uri=…&response_type=code&scope=…&state=…#wechat_redirect`.
pub fn authorize_url(
    open_base: &str,
    appid: &str,
    redirect_uri: &str,
    scope: Scope,
    state: &str,
) -> String {
    format!(
        "{}/connect/oauth2/authorize?appid={}&redirect_uri={}&response_type=code&scope={}&state={}#wechat_redirect",
        open_base.trim_end_matches('/'),
        encode(appid),
        encode(redirect_uri),
        scope.code(),
        encode(state),
    )
}

/// WeChat's own hosted QR for a website application (`qrconnect`, scope `snsapi_login`).
pub fn qrconnect_url(
    open_base: &str,
    appid: &str,
    redirect_uri: &str,
    state: &str,
    english: bool,
) -> String {
    format!(
        "{}/connect/qrconnect?appid={}&redirect_uri={}&response_type=code&scope={}&state={}{}#wechat_redirect",
        open_base.trim_end_matches('/'),
        encode(appid),
        encode(redirect_uri),
        Scope::Login.code(),
        encode(state),
        if english { "&lang=en" } else { "&lang=cn" },
    )
}

/// `GET {api}/sns/oauth2/access_token` and `…/refresh_token` answer this (HTTP 200). Its
/// `Debug` leaves the tokens out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenAnswer {
    pub access_token: String,
    /// Seconds (7200).
    pub expires_in: i64,
    pub refresh_token: String,
    pub openid: String,
    /// Comma-separated when several.
    pub scope: String,
    /// Only when the app is bound to an Open Platform account, and only for a scope that reads
    /// the profile (never in a refresh's answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unionid: Option<String>,
    /// 1 for a virtual account of WeChat's snapshot-page mode (never a person to log in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_snapshotuser: Option<i64>,
}

impl std::fmt::Debug for TokenAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenAnswer")
            .field("access_token", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &"<redacted>")
            .field("openid", &self.openid)
            .field("scope", &self.scope)
            .field("unionid", &self.unionid)
            .field("is_snapshotuser", &self.is_snapshotuser)
            .finish()
    }
}

impl TokenAnswer {
    /// Whether this is a snapshot-page virtual account, not a person.
    pub fn is_snapshot_user(&self) -> bool {
        self.is_snapshotuser == Some(1)
    }

    /// Whether the token may read the profile.
    pub fn reads_profile(&self) -> bool {
        self.scope
            .split(',')
            .filter_map(|s| Scope::from_code(s.trim()))
            .any(Scope::reads_profile)
    }
}

/// `GET {api}/sns/userinfo` answers this (HTTP 200). Personal information: its `Debug` shows
/// the openid only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub openid: String,
    pub nickname: String,
    #[serde(default)]
    pub sex: i64,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub country: String,
    /// The avatar's URL (empty when the user has none).
    #[serde(default)]
    pub headimgurl: String,
    #[serde(default)]
    pub privilege: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unionid: Option<String>,
}

impl std::fmt::Debug for UserInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserInfo")
            .field("openid", &self.openid)
            .finish_non_exhaustive()
    }
}

/// Every error comes back as HTTP 200 with this body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorAnswer {
    pub errcode: i64,
    #[serde(default)]
    pub errmsg: String,
}

/// The documented error codes the product meets.
pub mod errcode {
    pub const INVALID_CREDENTIAL: i64 = 40001;
    pub const INVALID_APPID: i64 = 40013;
    pub const INVALID_CODE: i64 = 40029;
    pub const INVALID_REFRESH_TOKEN: i64 = 40030;
    pub const INVALID_APPSECRET: i64 = 40125;
    pub const IP_NOT_ALLOWED: i64 = 40164;
    pub const CODE_BEEN_USED: i64 = 40163;
    pub const MISSING_CODE: i64 = 41008;
    pub const ACCESS_TOKEN_EXPIRED: i64 = 42001;
    pub const REFRESH_TOKEN_EXPIRED: i64 = 42002;
    pub const API_UNAUTHORIZED: i64 = 48001;
}

/// A WeChat error, as the product handles it: each is a value the login pages word for the
/// user; the codes the product does not expect are `Other`, logged in full.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WechatError {
    /// 40029, 41008: the code is wrong, expired or missing (start again).
    InvalidCode,
    /// 40163: the code was exchanged already (a reload of the return page).
    CodeUsed,
    /// 40001, 42001: the access token is wrong or expired (refresh it).
    TokenExpired,
    /// 40030, 42002: the refresh token is wrong or expired (authorise again).
    RefreshExpired,
    /// 48001: the token's scope does not allow this (the profile with `snsapi_base`).
    Unauthorized,
    /// 40013, 40125: the platform's own configuration (appid or secret) is wrong.
    Misconfigured,
    /// Any other error code.
    Other { errcode: i64, errmsg: String },
    /// WeChat could not be reached, or answered something that is not its documented shape.
    Unreachable { detail: String },
}

impl WechatError {
    pub fn from_answer(e: &ErrorAnswer) -> Self {
        use errcode::*;
        match e.errcode {
            INVALID_CODE | MISSING_CODE => WechatError::InvalidCode,
            CODE_BEEN_USED => WechatError::CodeUsed,
            INVALID_CREDENTIAL | ACCESS_TOKEN_EXPIRED => WechatError::TokenExpired,
            INVALID_REFRESH_TOKEN | REFRESH_TOKEN_EXPIRED => WechatError::RefreshExpired,
            API_UNAUTHORIZED => WechatError::Unauthorized,
            INVALID_APPID | INVALID_APPSECRET | IP_NOT_ALLOWED => WechatError::Misconfigured,
            errcode => WechatError::Other {
                errcode,
                errmsg: e.errmsg.clone(),
            },
        }
    }
}

/// Reads a WeChat answer: the documented success shape `T`, or its error body.
pub fn parse_answer<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, WechatError> {
    if let Ok(e) = serde_json::from_str::<ErrorAnswer>(body) {
        if e.errcode != 0 {
            return Err(WechatError::from_answer(&e));
        }
    }
    serde_json::from_str(body).map_err(|e| WechatError::Unreachable {
        detail: format!("an answer that is not the documented shape: {e}"),
    })
}

/// Which WeChat identifier names a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    /// The same for one person across the apps of one Open Platform account.
    Unionid,
    /// One person in one app.
    Openid,
}

super::codes!(IdentityKind { Unionid => "unionid", Openid => "openid" });

/// The identifier a WeChat account is bound by: the `unionid` when WeChat gives one (it
/// survives a move between the website QR and the in-WeChat login), otherwise the `openid`.
pub fn identity(openid: &str, unionid: Option<&str>) -> (IdentityKind, String) {
    match unionid.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => (IdentityKind::Unionid, u.to_string()),
        None => (IdentityKind::Openid, openid.to_string()),
    }
}

/// Whether a User-Agent is WeChat's in-app browser.
pub fn in_wechat(user_agent: &str) -> bool {
    user_agent.contains("MicroMessenger")
}

/// The development simulator's cookie that makes an ordinary browser stand for WeChat's
/// (`/wxsim/_sim/open`), so that scan-login can be tried on one machine. Honoured only while
/// the simulator is WeChat (never in production).
pub const SIM_INSIDE_COOKIE: &str = "wxsim_inside";

/// Whether a request comes from WeChat's browser: its User-Agent, or, with the simulator, the
/// simulator's cookie (`cookie`: that cookie's value).
pub fn inside_wechat(user_agent: &str, simulated: bool, cookie: Option<&str>) -> bool {
    in_wechat(user_agent) || (simulated && cookie == Some("1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p1_1_3_authorisation_urls_are_exactly_the_documented_shape() {
        let url = authorize_url(
            "https://open.weixin.qq.com/",
            "wx123",
            "https://platform.example.com/wx/scan/t1?lang=en",
            Scope::Base,
            "s-1",
        );
        assert_eq!(
            url,
            "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx123\
             &redirect_uri=https%3A%2F%2Fplatform.example.com%2Fwx%2Fscan%2Ft1%3Flang%3Den\
             &response_type=code&scope=snsapi_base&state=s-1#wechat_redirect"
        );
        let url = qrconnect_url(
            "https://open.weixin.qq.com",
            "wx123",
            "https://p.example/cb",
            "s",
            false,
        );
        assert_eq!(
            url,
            "https://open.weixin.qq.com/connect/qrconnect?appid=wx123&redirect_uri=https%3A%2F%2Fp.example%2Fcb\
             &response_type=code&scope=snsapi_login&state=s&lang=cn#wechat_redirect"
        );
        assert!(
            authorize_url("x", "a", "b", Scope::UserInfo, "c").contains("scope=snsapi_userinfo&")
        );
    }

    #[test]
    fn p1_1_3_every_errcode_has_its_meaning() {
        let e = |errcode| {
            WechatError::from_answer(&ErrorAnswer {
                errcode,
                errmsg: "m".into(),
            })
        };
        assert_eq!(e(40029), WechatError::InvalidCode);
        assert_eq!(e(41008), WechatError::InvalidCode);
        assert_eq!(e(40163), WechatError::CodeUsed);
        assert_eq!(e(42001), WechatError::TokenExpired);
        assert_eq!(e(40001), WechatError::TokenExpired);
        assert_eq!(e(42002), WechatError::RefreshExpired);
        assert_eq!(e(40030), WechatError::RefreshExpired);
        assert_eq!(e(48001), WechatError::Unauthorized);
        assert_eq!(e(40125), WechatError::Misconfigured);
        assert_eq!(e(40164), WechatError::Misconfigured);
        let bare: Result<UserInfo, _> = parse_answer(r#"{"errcode":40029}"#);
        assert_eq!(bare, Err(WechatError::InvalidCode), "errmsg may be missing");
        assert_eq!(
            e(45011),
            WechatError::Other {
                errcode: 45011,
                errmsg: "m".into()
            }
        );
        // HTTP 200 with an error body is an error; a success body is read; anything else is not
        // WeChat's documented shape.
        let r: Result<TokenAnswer, _> =
            parse_answer(r#"{"errcode":40163,"errmsg":"code been used"}"#);
        assert_eq!(r, Err(WechatError::CodeUsed));
        let r: TokenAnswer = parse_answer(
            r#"{"access_token":"A","expires_in":7200,"refresh_token":"R","openid":"O","scope":"snsapi_userinfo"}"#,
        )
        .unwrap();
        assert!(r.reads_profile() && r.unionid.is_none() && !r.is_snapshot_user());
        let debug = format!("{r:?}");
        assert!(
            !debug.contains("\"A\"") && !debug.contains("\"R\""),
            "{debug}"
        );
        assert!(matches!(
            parse_answer::<TokenAnswer>("<html>"),
            Err(WechatError::Unreachable { .. })
        ));
    }

    #[test]
    fn p1_1_3_unionid_is_preferred_to_openid() {
        assert_eq!(
            identity("o1", Some("u1")),
            (IdentityKind::Unionid, "u1".into())
        );
        assert_eq!(identity("o1", None), (IdentityKind::Openid, "o1".into()));
        assert_eq!(
            identity("o1", Some(" ")),
            (IdentityKind::Openid, "o1".into())
        );
        assert!(in_wechat(
            "Mozilla/5.0 (iPhone) AppleWebKit MicroMessenger/8.0.47"
        ));
        assert!(!in_wechat("Mozilla/5.0 (iPhone) Safari"));
    }
}
