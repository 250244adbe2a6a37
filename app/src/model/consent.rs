//! Cookies and consent (P2.1, P2.2). One registry names every cookie the product can set,
//! with its category, purpose and lifetime. The banner, the cookie-policy table and the
//! server's cookie writer all read it, so no code path can set a cookie that is not here.

use serde::{Deserialize, Serialize};

/// A cookie category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CookieCategory {
    /// Sessions and the consent choice itself: always on, shown read-only (P2.1).
    Necessary,
    /// Remembering the login name and the language: off until accepted (P2.2).
    Convenience,
}
super::codes!(CookieCategory { Necessary => "necessary", Convenience => "convenience" });

/// One cookie the product may set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CookieSpec {
    pub name: &'static str,
    pub category: CookieCategory,
    /// What it is for, in zh-CN and English.
    pub purpose: (&'static str, &'static str),
    /// Lifetime in seconds (`None`: set per use, e.g. the session's own limit).
    pub max_age_secs: Option<i64>,
    /// Readable by scripts? Only cookies the browser client must read.
    pub http_only: bool,
    /// In production its name carries the `__Host-` prefix (issue 14): the browser then
    /// accepts it only from this very host, over TLS, for the whole site, so a sibling
    /// subdomain or a plain-HTTP answer cannot plant a session (session fixation).
    pub host_prefixed: bool,
}

/// How long a consent choice is kept: 182 days.
pub const CONSENT_MAX_AGE_SECS: i64 = 182 * 24 * 3600;

/// How many Global Privacy Control decisions are recorded per address and hour; beyond it a
/// request is answered the same way without a record (issue 14).
pub const GPC_RECORDS_PER_HOUR: usize = 20;

/// The cookie policy's revision: a stored choice of an older revision asks again.
pub const COOKIE_REVISION: u32 = 1;

/// How long the WeChat scan-login cookies live: a little longer than a ticket and its state.
pub const WX_COOKIE_MAX_AGE_SECS: i64 = 15 * 60;

/// The registry.
pub const COOKIES: &[CookieSpec] = &[
    CookieSpec {
        name: "esp_session",
        category: CookieCategory::Necessary,
        purpose: (
            "企业门户的登录会话",
            "The enterprise portal's login session",
        ),
        max_age_secs: None,
        http_only: true,
        host_prefixed: true,
    },
    CookieSpec {
        name: "esp_ops_session",
        category: CookieCategory::Necessary,
        purpose: ("运营后台的登录会话", "The operator console's login session"),
        max_age_secs: None,
        http_only: true,
        host_prefixed: true,
    },
    CookieSpec {
        name: "esp_consent",
        category: CookieCategory::Necessary,
        purpose: ("记住您对 Cookie 的选择", "Remembers your cookie choice"),
        max_age_secs: Some(CONSENT_MAX_AGE_SECS),
        http_only: false,
        host_prefixed: false,
    },
    CookieSpec {
        name: "esp_wx_browser",
        category: CookieCategory::Necessary,
        purpose: (
            "微信扫码登录：只有显示二维码的这台电脑的浏览器能完成登录",
            "WeChat scan-login: only the browser that shows the QR code can complete the login",
        ),
        max_age_secs: Some(WX_COOKIE_MAX_AGE_SECS),
        http_only: true,
        host_prefixed: true,
    },
    CookieSpec {
        name: "esp_wx_phone",
        category: CookieCategory::Necessary,
        purpose: (
            "微信扫码登录：把微信授权的结果交回扫码的这部手机",
            "WeChat scan-login: ties WeChat's authorisation to the phone that scanned",
        ),
        max_age_secs: Some(WX_COOKIE_MAX_AGE_SECS),
        http_only: true,
        host_prefixed: true,
    },
    CookieSpec {
        name: "esp_login",
        category: CookieCategory::Convenience,
        purpose: (
            "记住登录名，下次自动填写",
            "Remembers your login name to fill it in next time",
        ),
        max_age_secs: Some(CONSENT_MAX_AGE_SECS),
        http_only: true,
        host_prefixed: false,
    },
    CookieSpec {
        name: "esp_lang",
        category: CookieCategory::Convenience,
        purpose: ("记住界面语言", "Remembers the interface language"),
        max_age_secs: Some(CONSENT_MAX_AGE_SECS),
        http_only: true,
        host_prefixed: false,
    },
];

pub fn cookie_spec(name: &str) -> Option<&'static CookieSpec> {
    COOKIES.iter().find(|c| c.name == name)
}

impl CookieSpec {
    /// The name the browser stores it under: `__Host-` prefixed in production (over TLS)
    /// when [`CookieSpec::host_prefixed`].
    pub fn wire_name(&self, secure: bool) -> std::borrow::Cow<'static, str> {
        if secure && self.host_prefixed {
            format!("__Host-{}", self.name).into()
        } else {
            self.name.into()
        }
    }

    /// The `Set-Cookie` value for this cookie (every writer builds it here).
    pub fn header(&self, value: &str, max_age_secs: Option<i64>, secure: bool) -> String {
        let max_age = max_age_secs.or(self.max_age_secs).unwrap_or(0);
        let http_only = if self.http_only { "; HttpOnly" } else { "" };
        let name = self.wire_name(secure);
        let secure = if secure { "; Secure" } else { "" };
        format!("{name}={value}; Path=/{http_only}; SameSite=Lax; Max-Age={max_age}{secure}")
    }
}

/// The name a registered cookie is read under (see [`CookieSpec::wire_name`]).
pub fn wire_name(name: &'static str, secure: bool) -> std::borrow::Cow<'static, str> {
    cookie_spec(name).map_or(name.into(), |c| c.wire_name(secure))
}

/// How a decision was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    AcceptAll,
    RejectAll,
    Custom,
    /// The browser sent `Sec-GPC: 1` (or `navigator.globalPrivacyControl`): reject optional.
    Gpc,
    Withdrawal,
}
super::codes!(ConsentMethod {
    AcceptAll => "accept_all",
    RejectAll => "reject_all",
    Custom => "custom",
    Gpc => "gpc",
    Withdrawal => "withdrawal",
});

impl ConsentMethod {
    /// A banner or form choice (`accept_all`, `reject_all`, `custom` with the convenience box,
    /// or `gpc` from the browser) as the method recorded and whether convenience cookies are
    /// wanted. Turning convenience off after it was on is a withdrawal (P2.2). `None`: not a
    /// choice.
    pub fn for_choice(
        choice: &str,
        convenience_ticked: bool,
        previous: Option<&ConsentChoice>,
    ) -> Option<(ConsentMethod, bool)> {
        let (method, wanted) = match choice {
            "accept_all" => (ConsentMethod::AcceptAll, true),
            "reject_all" => (ConsentMethod::RejectAll, false),
            "custom" => (ConsentMethod::Custom, convenience_ticked),
            "gpc" => (ConsentMethod::Gpc, false),
            _ => return None,
        };
        if previous.is_some_and(|p| p.convenience) && !wanted {
            return Some((ConsentMethod::Withdrawal, false));
        }
        Some((method, wanted))
    }
}

/// A stored choice, as kept in the `esp_consent` cookie: `v<revision>.<consent id>.<categories>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentChoice {
    pub revision: u32,
    pub consent_id: String,
    pub convenience: bool,
}

impl ConsentChoice {
    pub fn to_cookie(&self) -> String {
        let cats = if self.convenience {
            "necessary+convenience"
        } else {
            "necessary"
        };
        format!("v{}.{}.{}", self.revision, self.consent_id, cats)
    }

    /// Reads the cookie's value; anything malformed is no choice at all.
    pub fn from_cookie(value: &str) -> Option<ConsentChoice> {
        let mut parts = value.splitn(3, '.');
        let revision = parts.next()?.strip_prefix('v')?.parse().ok()?;
        let consent_id = parts.next()?;
        if consent_id.len() != 32 || !consent_id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let convenience = match parts.next()? {
            "necessary" => false,
            "necessary+convenience" => true,
            _ => return None,
        };
        Some(ConsentChoice {
            revision,
            consent_id: consent_id.to_string(),
            convenience,
        })
    }

    /// A choice of the current revision (an older one asks again).
    pub fn is_current(&self) -> bool {
        self.revision == COOKIE_REVISION
    }

    pub fn allows(&self, category: CookieCategory) -> bool {
        match category {
            CookieCategory::Necessary => true,
            CookieCategory::Convenience => self.convenience && self.is_current(),
        }
    }
}

/// What the page needs to know to show (or not show) the banner.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentState {
    /// No current choice: show the banner.
    pub ask: bool,
    pub convenience: bool,
    /// The browser asked not to be tracked (`Sec-GPC: 1`).
    pub gpc: bool,
}

/// One recorded decision, as the user sees it in the consent centre.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecordView {
    pub consent_id: String,
    pub categories: Vec<CookieCategory>,
    pub revision: u32,
    pub method: ConsentMethod,
    pub at: crate::model::UtcMillis,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p2_2_turning_convenience_off_is_a_withdrawal() {
        let on = ConsentChoice {
            revision: COOKIE_REVISION,
            consent_id: "0".repeat(32),
            convenience: true,
        };
        let off = ConsentChoice {
            convenience: false,
            ..on.clone()
        };
        assert_eq!(
            ConsentMethod::for_choice("accept_all", false, None),
            Some((ConsentMethod::AcceptAll, true))
        );
        assert_eq!(
            ConsentMethod::for_choice("custom", true, Some(&off)),
            Some((ConsentMethod::Custom, true))
        );
        assert_eq!(
            ConsentMethod::for_choice("custom", false, None),
            Some((ConsentMethod::Custom, false))
        );
        for choice in ["reject_all", "gpc"] {
            assert_eq!(
                ConsentMethod::for_choice(choice, true, Some(&on)),
                Some((ConsentMethod::Withdrawal, false))
            );
        }
        assert_eq!(
            ConsentMethod::for_choice("custom", false, Some(&on)),
            Some((ConsentMethod::Withdrawal, false))
        );
        assert_eq!(
            ConsentMethod::for_choice("reject_all", false, Some(&off)),
            Some((ConsentMethod::RejectAll, false))
        );
        assert_eq!(ConsentMethod::for_choice("maybe", true, None), None);
    }

    #[test]
    fn p2_1_the_registry_names_each_cookie_once_with_a_purpose() {
        for c in COOKIES {
            assert_eq!(
                COOKIES.iter().filter(|d| d.name == c.name).count(),
                1,
                "{}",
                c.name
            );
            assert!(!c.purpose.0.is_empty() && !c.purpose.1.is_empty());
        }
        assert_eq!(
            cookie_spec("esp_session").map(|c| c.category),
            Some(CookieCategory::Necessary)
        );
        assert_eq!(cookie_spec("_ga"), None);
    }

    #[test]
    fn p2_2_a_choice_round_trips_and_an_old_revision_asks_again() {
        let c = ConsentChoice {
            revision: COOKIE_REVISION,
            consent_id: "ab".repeat(16),
            convenience: true,
        };
        assert_eq!(ConsentChoice::from_cookie(&c.to_cookie()), Some(c.clone()));
        assert!(c.allows(CookieCategory::Convenience));
        let old = ConsentChoice { revision: 0, ..c };
        assert!(!old.is_current() && !old.allows(CookieCategory::Convenience));
        assert_eq!(ConsentChoice::from_cookie("v1.zz.necessary"), None);
        assert_eq!(ConsentChoice::from_cookie("garbage"), None);
    }
}
