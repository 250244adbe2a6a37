//! WeChat's server-to-server API over HTTPS (rustls), as documented (P1.1.3; issue 15): the
//! code exchange, the token refresh and the profile. Every answer is HTTP 200; an error is a
//! body with `errcode`/`errmsg` (`app::model::wechat::parse_answer`). The base URL is
//! configuration (`--wechat-api-base`), so the same client talks to WeChat or to the
//! development simulator (`server wechat-sim`).

use app::backend::wechat::{WechatApi, WxFuture};
use app::model::wechat::{parse_answer, TokenAnswer, UserInfo, WechatError};
use std::time::Duration;

pub const DEFAULT_OPEN_BASE: &str = "https://open.weixin.qq.com";
pub const DEFAULT_API_BASE: &str = "https://api.weixin.qq.com";

/// The application's identity at WeChat. The secret is a secret: no `Debug`, no `Serialize`.
pub struct WechatConfig {
    pub api_base: String,
    pub appid: String,
    pub secret: String,
    /// Production: avatars only from WeChat's image hosts ([`AVATAR_HOST_SUFFIX`]) over HTTPS.
    pub strict: bool,
}

/// WeChat serves avatars from `thirdwx.qlogo.cn` and its siblings.
pub const AVATAR_HOST_SUFFIX: &str = ".qlogo.cn";

pub struct HttpWechat {
    config: WechatConfig,
    client: reqwest::Client,
}

impl HttpWechat {
    pub fn new(config: WechatConfig) -> Result<Self, String> {
        if config.appid.trim().is_empty() || config.secret.trim().is_empty() {
            return Err("--wechat-appid and --wechat-secret go together".into());
        }
        crate::http::install_crypto_provider();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("WeChat's HTTP client: {e}"))?;
        Ok(HttpWechat { config, client })
    }

    /// `GET {api}{path}?{query}`, read as `T` or as WeChat's error body.
    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, WechatError> {
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        let url = format!(
            "{}{path}?{query}",
            self.config.api_base.trim_end_matches('/')
        );
        let unreachable = |e: reqwest::Error| WechatError::Unreachable {
            // Without the URL: it carries the secret or a token.
            detail: e.without_url().to_string(),
        };
        let res = self.client.get(url).send().await.map_err(unreachable)?;
        if !res.status().is_success() {
            return Err(WechatError::Unreachable {
                detail: format!("HTTP {}", res.status()),
            });
        }
        let body = res.text().await.map_err(unreachable)?;
        parse_answer(&body)
    }
}

impl HttpWechat {
    /// Whether the avatar at `url` may be fetched: HTTP(S) anywhere outside production (the
    /// simulator), HTTPS to WeChat's image hosts in production.
    fn avatar_allowed(&self, url: &str) -> bool {
        let Ok(u) = reqwest::Url::parse(url) else {
            return false;
        };
        if !self.config.strict {
            return matches!(u.scheme(), "http" | "https");
        }
        u.scheme() == "https"
            && u.username().is_empty()
            && u.port().is_none()
            && u.host_str().is_some_and(|h| {
                h.ends_with(AVATAR_HOST_SUFFIX) && h.len() > AVATAR_HOST_SUFFIX.len()
            })
    }
}

impl WechatApi for HttpWechat {
    fn exchange_code<'a>(&'a self, code: &'a str) -> WxFuture<'a, TokenAnswer> {
        Box::pin(async move {
            self.get(
                "/sns/oauth2/access_token",
                &[
                    ("appid", &self.config.appid),
                    ("secret", &self.config.secret),
                    ("code", code),
                    ("grant_type", "authorization_code"),
                ],
            )
            .await
        })
    }

    fn refresh<'a>(&'a self, refresh_token: &'a str) -> WxFuture<'a, TokenAnswer> {
        Box::pin(async move {
            self.get(
                "/sns/oauth2/refresh_token",
                &[
                    ("appid", &self.config.appid),
                    ("grant_type", "refresh_token"),
                    ("refresh_token", refresh_token),
                ],
            )
            .await
        })
    }

    fn avatar<'a>(&'a self, url: &'a str) -> WxFuture<'a, Vec<u8>> {
        Box::pin(async move {
            let unreachable = |e: reqwest::Error| WechatError::Unreachable {
                detail: e.without_url().to_string(),
            };
            if !self.avatar_allowed(url) {
                return Err(WechatError::Unreachable {
                    detail: "an avatar URL outside WeChat's image hosts".into(),
                });
            }
            let mut res = self.client.get(url).send().await.map_err(unreachable)?;
            if !res.status().is_success() {
                return Err(WechatError::Unreachable {
                    detail: format!("HTTP {}", res.status()),
                });
            }
            // Read with a cap: a huge answer is not kept in memory.
            let mut bytes = Vec::new();
            while let Some(chunk) = res.chunk().await.map_err(unreachable)? {
                if bytes.len() + chunk.len() > app::model::scan::AVATAR_MAX_BYTES {
                    return Err(WechatError::Unreachable {
                        detail: "the avatar is too large".into(),
                    });
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(bytes)
        })
    }

    fn userinfo<'a>(&'a self, access_token: &'a str, openid: &'a str) -> WxFuture<'a, UserInfo> {
        Box::pin(async move {
            self.get(
                "/sns/userinfo",
                &[
                    ("access_token", access_token),
                    ("openid", openid),
                    ("lang", "zh_CN"),
                ],
            )
            .await
        })
    }
}
