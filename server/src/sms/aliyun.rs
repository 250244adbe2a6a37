//! Alibaba Cloud SMS (`dysmsapi`, API version 2017-05-25): the `SendSms` operation with the RPC
//! signature (HMAC-SHA1, signature version 1.0), as documented in "Signature method" of the SMS
//! API reference:
//!
//! 1. every parameter but `Signature`, sorted by name, each name and value percent-encoded
//!    (RFC 3986: only `A-Z a-z 0-9 - _ . ~` unescaped, a space as `%20`), joined as
//!    `name=value` with `&` (the canonicalised query string);
//! 2. `StringToSign = METHOD + "&" + percentEncode("/") + "&" + percentEncode(canonical)`;
//! 3. `Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))`.
//!
//! The request is a form `POST` to the endpoint (`https://dysmsapi.aliyuncs.com/` by default);
//! the answer is JSON, `{"Code":"OK","Message":"OK","BizId":…,"RequestId":…}` or an error code.

use app::backend::delivery::sms::SmsGateway;
use app::backend::delivery::{SendError, SendFuture};
use app::model::sms::{SmsContent, SmsTemplate};
use app::model::{Lang, UtcMillis};
use base64::Engine;
use hmac::{KeyInit, Mac};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

pub const DEFAULT_ENDPOINT: &str = "https://dysmsapi.aliyuncs.com/";

/// The account, the sign and the templates. The secret is a secret: no `Debug`, no `Serialize`.
pub struct AliyunConfig {
    pub endpoint: String,
    pub access_key_id: String,
    pub access_key_secret: String,
    /// 签名, the name shown as 【…】 before every text (registered with the provider).
    pub sign_name: String,
    /// The `TemplateCode` of each of the product's templates, per language (a language without
    /// its own falls back to zh-CN).
    pub templates: HashMap<(SmsTemplate, Lang), String>,
}

pub struct AliyunSms {
    config: AliyunConfig,
    client: reqwest::Client,
}

impl AliyunSms {
    pub fn new(config: AliyunConfig) -> Result<Self, String> {
        for t in SmsTemplate::ALL {
            if !config.templates.contains_key(&(*t, Lang::ZhCn)) {
                return Err(format!(
                    "--sms-template: no template code for {:?} (give {}=SMS_…)",
                    t.code(),
                    t.code()
                ));
            }
        }
        if config.sign_name.trim().is_empty() {
            return Err("--sms-sign-name is required with an SMS gateway".into());
        }
        crate::http::install_crypto_provider();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| format!("the SMS gateway's HTTP client: {e}"))?;
        Ok(AliyunSms { config, client })
    }

    fn template_code(&self, t: SmsTemplate, lang: Lang) -> &str {
        self.config
            .templates
            .get(&(t, lang))
            .or_else(|| self.config.templates.get(&(t, Lang::ZhCn)))
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// The signed form of one `SendSms` request.
    fn form(&self, mobile: &str, sms: &SmsContent, out_id: &str) -> BTreeMap<String, String> {
        let mut p = BTreeMap::new();
        let mut put = |k: &str, v: &str| {
            p.insert(k.to_string(), v.to_string());
        };
        put("AccessKeyId", &self.config.access_key_id);
        put("Action", "SendSms");
        put("Format", "JSON");
        put("OutId", out_id);
        put("PhoneNumbers", mobile);
        put("RegionId", "cn-hangzhou");
        put("SignName", &self.config.sign_name);
        put("SignatureMethod", "HMAC-SHA1");
        put("SignatureNonce", &hex::encode(rand::random::<[u8; 16]>()));
        put("SignatureVersion", "1.0");
        put("TemplateCode", self.template_code(sms.template, sms.lang));
        put("TemplateParam", &sms.param_json());
        put("Timestamp", &UtcMillis::now().rfc3339());
        put("Version", "2017-05-25");
        let signature = signature("POST", &p, &self.config.access_key_secret);
        p.insert("Signature".into(), signature);
        p
    }
}

impl SmsGateway for AliyunSms {
    fn name(&self) -> &'static str {
        "aliyun_sms"
    }

    fn send<'a>(&'a self, mobile: &'a str, sms: &'a SmsContent, out_id: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            let form = self.form(mobile, sms, out_id);
            let reply = self
                .client
                .post(&self.config.endpoint)
                .form(&form)
                .send()
                .await
                .map_err(|e| SendError::Temporary(format!("SMS gateway: {e}")))?;
            let status = reply.status();
            let body = reply
                .text()
                .await
                .map_err(|e| SendError::Temporary(format!("SMS gateway: {e}")))?;
            let answer: serde_json::Value = serde_json::from_str(&body).map_err(|_| {
                SendError::Temporary(format!("SMS gateway: HTTP {status}, not JSON"))
            })?;
            let code = answer["Code"].as_str().unwrap_or("");
            if code == "OK" {
                return Ok(());
            }
            let message = format!(
                "SMS gateway: {code} {}",
                answer["Message"].as_str().unwrap_or("")
            );
            Err(classify(code, message))
        })
    }
}

/// Only a refusal of this text (the number, its length, its content) is final; flow control,
/// a balance, the gateway's own errors and a refused signature or template (the
/// configuration's fault, not the text's) are tried again later.
fn classify(code: &str, message: String) -> SendError {
    match code {
        "isv.MOBILE_NUMBER_ILLEGAL"
        | "isv.MOBILE_COUNT_OVER_LIMIT"
        | "isv.PARAM_LENGTH_LIMIT"
        | "isv.BLACK_KEY_CONTROL_LIMIT"
        | "isv.INVALID_JSON_PARAM"
        | "isv.TEMPLATE_MISSING_PARAMS" => SendError::Permanent(message),
        _ => SendError::Temporary(message),
    }
}

/// `percentEncode` of the signature method: RFC 3986 unreserved characters stay, everything
/// else (UTF-8 bytes) becomes `%XY` with upper-case hex.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The RPC signature of `params` (all but `Signature` itself, which is skipped if present).
pub fn signature(method: &str, params: &BTreeMap<String, String>, secret: &str) -> String {
    let canonical = params
        .iter()
        .filter(|(k, _)| k.as_str() != "Signature")
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let to_sign = format!(
        "{method}&{}&{}",
        percent_encode("/"),
        percent_encode(&canonical)
    );
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// The worked example of Alibaba Cloud's SMS signature documentation (`SendSms`,
    /// `testId`/`testSecret`, signed for `GET`).
    #[test]
    fn p7_1_signs_the_documented_send_sms_example() {
        let p = params(&[
            ("AccessKeyId", "testId"),
            ("Action", "SendSms"),
            ("Format", "XML"),
            ("OutId", "123"),
            ("PhoneNumbers", "15300000001"),
            ("RegionId", "cn-hangzhou"),
            ("SignName", "阿里云短信测试专用"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466"),
            ("SignatureVersion", "1.0"),
            ("TemplateCode", "SMS_71390007"),
            ("TemplateParam", "{\"customer\":\"test\"}"),
            ("Timestamp", "2017-07-12T02:42:19Z"),
            ("Version", "2017-05-25"),
        ]);
        assert_eq!(
            signature("GET", &p, "testSecret"),
            "zJDF+Lrzhj/ThnlvIToysFRq6t4="
        );
    }

    /// The worked example of the RPC signature mechanism (`DescribeRegions`).
    #[test]
    fn p7_1_signs_the_documented_rpc_example() {
        let p = params(&[
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
            ("Signature", "ignored"),
        ]);
        assert_eq!(
            signature("GET", &p, "testsecret"),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
    }

    #[test]
    fn percent_encoding_follows_rfc_3986() {
        assert_eq!(percent_encode("a b*~-_."), "a%20b%2A~-_.");
        assert_eq!(percent_encode("/=&+"), "%2F%3D%26%2B");
        assert_eq!(percent_encode("派"), "%E6%B4%BE");
    }
}
