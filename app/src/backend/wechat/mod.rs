//! Talking to WeChat (P1.1.3; issue 15): the [`WechatApi`] its HTTP adapter implements
//! (`server::wechat::client`, pointed by configuration at WeChat's hosts or at the development
//! simulator), and the one rule the flows share: a profile is read with the access token, and an
//! expired token is refreshed once with the refresh token before giving up.

pub mod bindings;
pub mod phone;
pub mod tickets;
pub mod website;

use crate::model::wechat::{TokenAnswer, UserInfo, WechatError};
use std::future::Future;
use std::pin::Pin;

/// WeChat login as configured: the API, and what the authorisation URLs need.
#[derive(Clone)]
pub struct WechatSetup {
    pub api: std::sync::Arc<dyn WechatApi>,
    pub appid: String,
    /// Where browsers are sent to authorise (`https://open.weixin.qq.com`, or the simulator).
    pub open_base: String,
    /// The development simulator inside this server.
    pub simulated: bool,
    /// A website application (`--wechat-website`): desktops log in on WeChat's own QR page
    /// (`qrconnect`) instead of the platform's ticket and phone page.
    pub website: bool,
}

impl WechatSetup {
    /// With the simulator: the link that opens `page` (a phone page's local path) in this
    /// browser as if it were WeChat's.
    pub fn sim_open(&self, page: &str) -> Option<String> {
        self.simulated.then(|| {
            format!(
                "{}/_sim/open?next={}",
                self.open_base,
                crate::model::wechat::encode(page)
            )
        })
    }
}

/// What a call to WeChat returns.
pub type WxFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, WechatError>> + Send + 'a>>;

/// WeChat's server-to-server API, as documented.
pub trait WechatApi: Send + Sync {
    /// `GET /sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code`: a code
    /// is exchanged once.
    fn exchange_code<'a>(&'a self, code: &'a str) -> WxFuture<'a, TokenAnswer>;
    /// `GET /sns/oauth2/refresh_token?appid&grant_type=refresh_token&refresh_token`.
    fn refresh<'a>(&'a self, refresh_token: &'a str) -> WxFuture<'a, TokenAnswer>;
    /// `GET /sns/userinfo?access_token&openid&lang=zh_CN`.
    fn userinfo<'a>(&'a self, access_token: &'a str, openid: &'a str) -> WxFuture<'a, UserInfo>;
    /// `GET headimgurl`: the avatar's bytes (production: only from WeChat's image hosts, over
    /// HTTPS, at most [`crate::model::scan::AVATAR_MAX_BYTES`]).
    fn avatar<'a>(&'a self, url: &'a str) -> WxFuture<'a, Vec<u8>>;
}

/// The profile behind `tokens`, refreshing the access token once if WeChat says it expired.
/// Returns the profile and the tokens to keep (the refreshed ones when a refresh happened,
/// with the `unionid` of the first answer: a refresh's answer has none).
pub async fn profile(
    api: &dyn WechatApi,
    tokens: TokenAnswer,
) -> Result<(UserInfo, TokenAnswer), WechatError> {
    match api.userinfo(&tokens.access_token, &tokens.openid).await {
        Ok(info) => Ok((info, tokens)),
        Err(WechatError::TokenExpired) => {
            let mut fresh = api.refresh(&tokens.refresh_token).await?;
            fresh.unionid = fresh.unionid.or(tokens.unionid);
            let info = api.userinfo(&fresh.access_token, &fresh.openid).await?;
            Ok((info, fresh))
        }
        Err(e) => Err(e),
    }
}
