//! Text messages (P7.1): what a text says, and the rules for sending one.
//!
//! SMS providers in China send only texts whose wording was registered in advance as a
//! template with variables (Alibaba Cloud's `SendSms` takes a `TemplateCode` and a
//! `TemplateParam` JSON object). The product has three templates; their wording is here, so
//! the development mailbox shows a text exactly as the phone would, and the README lists what
//! to register with the provider:
//!
//! | Template | zh-CN | en |
//! |---|---|---|
//! | `notice` | 您有一条新消息：${title}。请登录综合服务平台查看。 | New message: ${title}. Log in to the platform to read it. |
//! | `code` | 您的验证码为${code}，30分钟内有效。请勿告诉他人；如非本人操作，请忽略。 | Your code is ${code}, valid for 30 minutes. Never share it; if this was not you, ignore this text. |
//! | `promotion` | ${title}。详情请登录综合服务平台查看。拒收请回复R | ${title}. Details on the platform. Reply R to opt out |
//! | `signing_link` | ${enterprise}邀请您签署《灵活用工服务协议》，请用手机打开 ${link} 阅读并签署，7天内有效。 | ${enterprise} invites you to sign the worker service agreement: open ${link} on your phone to read and sign it (valid 7 days). |
//! | `agreement_changed` | 《灵活用工服务协议》已更新为${version}版（${enterprise}），新版本自您签署时适用。请用手机打开 ${link} 阅读并签署，7天内有效。 | The worker service agreement (${enterprise}) has a new version, ${version}, which applies once you sign it: open ${link} on your phone to read and sign it (valid 7 days). |
//!
//! A `link` variable is registered with the provider as a link (up to [`MAX_LINK_CHARS`]).
//!
//! A promotion carries the provider's opt-out wording (拒收请回复R); a reply that opts out
//! ([`is_opt_out`]) withdraws the person's consent to promotions when the provider reports it.
//! Each number gets at most [`PER_MINUTE`] text a minute, [`PER_HOUR`] an hour and [`PER_DAY`]
//! a day ([`wait_until`]), the provider's own defaults.

use super::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A registered template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmsTemplate {
    /// "You have a new message: {title}" (notices of every category but promotions).
    Notice,
    /// A one-time code (a password reset, a new mobile number).
    Code,
    /// A promotion, with the opt-out wording.
    Promotion,
    /// The code that verifies a rights request (issue 16, P6.5): valid 10 minutes.
    RequestCode,
    /// An invitation to sign the worker service agreement, with its link (issue 18).
    SigningLink,
    /// A new version of the worker service agreement, with a link to read and sign it (the
    /// agreement's §6: the platform tells the workers who signed an earlier one).
    AgreementChanged,
}

super::codes!(SmsTemplate { Notice => "notice", Code => "code", Promotion => "promotion", RequestCode => "request_code", SigningLink => "signing_link", AgreementChanged => "agreement_changed" });

/// The most characters a variable may have (Alibaba Cloud refuses longer values).
pub const MAX_PARAM_CHARS: usize = 35;
/// The most characters of a link variable (registered as a link with the provider).
pub const MAX_LINK_CHARS: usize = 100;
/// Texts to one number in a minute, at most.
pub const PER_MINUTE: usize = 1;
/// Texts to one number in an hour, at most.
pub const PER_HOUR: usize = 5;
/// Texts to one number in 24 hours, at most.
pub const PER_DAY: usize = 10;
/// How long a code in a text works (the `code` template says so).
pub const CODE_MINUTES: i64 = 30;
const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;

impl SmsTemplate {
    /// The registered wording, `${name}` for each variable.
    pub fn wording(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (SmsTemplate::Notice, Lang::ZhCn) => "您有一条新消息：${title}。请登录综合服务平台查看。",
            (SmsTemplate::Notice, Lang::En) => {
                "New message: ${title}. Log in to the platform to read it."
            }
            (SmsTemplate::Code, Lang::ZhCn) => {
                "您的验证码为${code}，30分钟内有效。请勿告诉他人；如非本人操作，请忽略。"
            }
            (SmsTemplate::Code, Lang::En) => {
                "Your code is ${code}, valid for 30 minutes. Never share it; if this was not you, ignore this text."
            }
            (SmsTemplate::Promotion, Lang::ZhCn) => {
                "${title}。详情请登录综合服务平台查看。拒收请回复R"
            }
            (SmsTemplate::Promotion, Lang::En) => {
                "${title}. Details on the platform. Reply R to opt out"
            }
            (SmsTemplate::RequestCode, Lang::ZhCn) => {
                "您的验证码为${code}，10分钟内有效，用于核验您提交的个人信息权利请求。请勿告诉他人；如非本人操作，请忽略。"
            }
            (SmsTemplate::RequestCode, Lang::En) => {
                "Your code is ${code}, valid for 10 minutes, to verify your personal-information request. Never share it; if this was not you, ignore this text."
            }
            (SmsTemplate::SigningLink, Lang::ZhCn) => {
                "${enterprise}邀请您签署《灵活用工服务协议》，请用手机打开 ${link} 阅读并签署，7天内有效。"
            }
            (SmsTemplate::SigningLink, Lang::En) => {
                "${enterprise} invites you to sign the worker service agreement: open ${link} on your phone to read and sign it (valid 7 days)."
            }
            (SmsTemplate::AgreementChanged, Lang::ZhCn) => {
                "《灵活用工服务协议》已更新为${version}版（${enterprise}），新版本自您签署时适用。请用手机打开 ${link} 阅读并签署，7天内有效。"
            }
            (SmsTemplate::AgreementChanged, Lang::En) => {
                "The worker service agreement (${enterprise}) has a new version, ${version}, which applies once you sign it: open ${link} on your phone to read and sign it (valid 7 days)."
            }
        }
    }

    /// The variables the template has, in order.
    pub fn params(self) -> &'static [&'static str] {
        match self {
            SmsTemplate::Notice | SmsTemplate::Promotion => &["title"],
            SmsTemplate::Code | SmsTemplate::RequestCode => &["code"],
            SmsTemplate::SigningLink => &["enterprise", "link"],
            SmsTemplate::AgreementChanged => &["version", "enterprise", "link"],
        }
    }
}

/// One text: a template, its language and its variables.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsContent {
    pub template: SmsTemplate,
    pub lang: Lang,
    pub params: BTreeMap<String, String>,
}

impl SmsContent {
    fn new(template: SmsTemplate, lang: Lang, values: &[&str]) -> Self {
        let params = template
            .params()
            .iter()
            .zip(values)
            .map(|(k, v)| {
                let max = if *k == "link" {
                    MAX_LINK_CHARS
                } else {
                    MAX_PARAM_CHARS
                };
                (k.to_string(), clip(v, max))
            })
            .collect();
        SmsContent {
            template,
            lang,
            params,
        }
    }

    /// "You have a new message: {title}".
    pub fn notice(title: &str, lang: Lang) -> Self {
        Self::new(SmsTemplate::Notice, lang, &[title])
    }

    /// A one-time code (valid [`CODE_MINUTES`]; a verification template has one variable).
    pub fn code(code: &str, lang: Lang) -> Self {
        Self::new(SmsTemplate::Code, lang, &[code])
    }

    /// The code of a rights request (valid [`crate::model::rights::CODE_MINUTES`]).
    pub fn request_code(code: &str, lang: Lang) -> Self {
        Self::new(SmsTemplate::RequestCode, lang, &[code])
    }

    /// An invitation from `enterprise` to sign the service agreement at `link`.
    pub fn signing_link(enterprise: &str, link: &str, lang: Lang) -> Self {
        Self::new(SmsTemplate::SigningLink, lang, &[enterprise, link])
    }

    /// Version `version` of the service agreement, to read and sign at `link` (the worker
    /// signed an earlier one with `enterprise`).
    pub fn agreement_changed(version: &str, enterprise: &str, link: &str, lang: Lang) -> Self {
        Self::new(
            SmsTemplate::AgreementChanged,
            lang,
            &[version, enterprise, link],
        )
    }

    /// A promotion titled `title`, with the opt-out wording.
    pub fn promotion(title: &str, lang: Lang) -> Self {
        Self::new(SmsTemplate::Promotion, lang, &[title])
    }

    /// The text as the phone shows it (without the provider's sign, 【…】).
    pub fn text(&self) -> String {
        let mut text = self.template.wording(self.lang).to_string();
        for (name, value) in &self.params {
            text = text.replace(&format!("${{{name}}}"), value);
        }
        text
    }

    /// `TemplateParam`: the variables as a JSON object.
    pub fn param_json(&self) -> String {
        serde_json::to_string(&self.params).unwrap_or_else(|_| "{}".into())
    }
}

/// A variable cut to `max` characters (an ellipsis marks the cut).
fn clip(value: &str, max: usize) -> String {
    let value = value.trim();
    if value.chars().count() <= max {
        return value.to_string();
    }
    let mut cut: String = value.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// Whether a reply to a text asks for no more promotions: R (Alibaba Cloud's wording), T, TD,
/// N, 退订, 取消 or 拒收, in either case and with spaces or punctuation around it.
pub fn is_opt_out(reply: &str) -> bool {
    let word: String = reply
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && !"。，！".contains(*c))
        .collect::<String>()
        .to_uppercase();
    matches!(
        word.as_str(),
        "R" | "T" | "TD" | "N" | "退订" | "取消" | "拒收" | "回T" | "回R"
    )
}

/// When the next text to a number may go, given when the earlier ones went (`sent`, UTC
/// milliseconds, any order): `None` when it may go now. One a minute, five an hour, ten in 24
/// hours.
pub fn wait_until(sent: &[i64], now: i64) -> Option<i64> {
    let mut recent: Vec<i64> = sent.iter().copied().filter(|t| *t > now - DAY_MS).collect();
    recent.sort_unstable();
    [
        (MINUTE_MS, PER_MINUTE),
        (HOUR_MS, PER_HOUR),
        (DAY_MS, PER_DAY),
    ]
    .into_iter()
    .filter_map(|(window, limit)| {
        let inside: Vec<i64> = recent
            .iter()
            .copied()
            .filter(|t| *t > now - window)
            .collect();
        // Free again once the oldest text that fills the window leaves it.
        (inside.len() >= limit).then(|| inside[inside.len() - limit] + window)
    })
    .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p7_1_texts_read_as_registered_with_every_variable_filled() {
        for lang in Lang::ALL {
            let t = SmsContent::notice("您的申请已通过", lang).text();
            assert!(t.contains("您的申请已通过") && !t.contains("${"), "{t}");
            let c = SmsContent::code("123456", lang);
            assert!(c.text().contains("123456") && c.text().contains("30"));
            assert_eq!(c.param_json(), r#"{"code":"123456"}"#);
            for template in SmsTemplate::ALL {
                let names: Vec<&str> = template.params().to_vec();
                for name in names {
                    assert!(template.wording(lang).contains(&format!("${{{name}}}")));
                }
            }
        }
        let p = SmsContent::promotion("新功能上线", Lang::ZhCn).text();
        assert!(p.ends_with("拒收请回复R"), "{p}");
        let long = "长".repeat(50);
        let n = SmsContent::notice(&long, Lang::ZhCn);
        assert_eq!(n.params["title"].chars().count(), MAX_PARAM_CHARS);
    }

    #[test]
    fn p7_1_opt_out_replies() {
        for yes in ["R", "r", " T ", "td", "TD。", "退订", "取消", "回T"] {
            assert!(is_opt_out(yes), "{yes}");
        }
        for no in ["", "好的", "RT", "谢谢", "1"] {
            assert!(!is_opt_out(no), "{no}");
        }
    }

    #[test]
    fn p7_1_one_text_a_minute_five_an_hour_and_ten_a_day_per_number() {
        let now = 10 * DAY_MS;
        assert_eq!(wait_until(&[], now), None);
        assert_eq!(wait_until(&[now - 10_000], now), Some(now + 50_000));
        assert_eq!(wait_until(&[now - 61_000], now), None);
        // Five in the last hour: the next once the oldest of them is an hour old.
        let five: Vec<i64> = (1..=5).map(|m| now - m * 5 * MINUTE_MS).collect();
        assert_eq!(wait_until(&five, now), Some(now - 25 * MINUTE_MS + HOUR_MS));
        // Ten in the last day: the next once the oldest of them is a day old.
        let ten: Vec<i64> = (1..=10).map(|h| now - h * 3_600_000).collect();
        assert_eq!(wait_until(&ten, now), Some(now - 10 * 3_600_000 + DAY_MS));
        // Older than a day: forgotten.
        let old: Vec<i64> = (0..10).map(|h| now - DAY_MS - h).collect();
        assert_eq!(wait_until(&old, now), None);
    }
}
