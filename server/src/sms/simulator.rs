//! A local stand-in for Alibaba Cloud's SMS API, built from its documentation, for development
//! and the tests (`server sms-simulator`). It checks what the real service checks before it
//! accepts a text, with its own implementation of the signature (the documentation's
//! alternative recipe: form-encode, then `+`→`%20`, `*`→`%2A`, `%7E`→`~`), so a signing
//! mistake in the adapter fails here as it would there:
//!
//! - `Action=SendSms`, `Version=2017-05-25`, `SignatureMethod=HMAC-SHA1`,
//!   `SignatureVersion=1.0`, a known `AccessKeyId` (`InvalidAccessKeyId.NotFound`);
//! - the signature (`SignatureDoesNotMatch`, HTTP 400), a `Timestamp` within 15 minutes
//!   (`InvalidTimeStamp.Expired`) and a `SignatureNonce` never seen before
//!   (`SignatureNonceUsed`);
//! - a mainland mobile number (`isv.MOBILE_NUMBER_ILLEGAL`), the registered sign
//!   (`isv.SMS_SIGNATURE_ILLEGAL`) and template (`isv.SMS_TEMPLATE_ILLEGAL`), a JSON object of
//!   exactly the template's variables (`isv.INVALID_JSON_PARAM`, `isv.TEMPLATE_MISSING_PARAMS`)
//!   of at most 35 characters each, a link variable 100 (`isv.PARAM_LENGTH_LIMIT`);
//! - flow control per number, one a minute and ten a day (`isv.BUSINESS_LIMIT_CONTROL`).
//!
//! What it accepted is listed at `GET /_sim/messages` (JSON, newest last). `POST /_sim/reply`
//! (`phone`, `content`) plays a reply from a phone: it is pushed to the configured reply URL
//! as the service's HTTP push of uplink messages (`SmsUp`) does.

use app::backend::clock::SharedClock;
use app::model::sms::{MAX_LINK_CHARS, MAX_PARAM_CHARS};
use app::model::UtcMillis;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine;
use hmac::{KeyInit, Mac};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// What the simulated account has registered.
#[derive(Clone)]
pub struct SimConfig {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub sign_name: String,
    /// `TemplateCode` → the registered wording, `${name}` for each variable.
    pub templates: HashMap<String, String>,
    /// Where replies are pushed (the product's `/hooks/sms/aliyun/<token>`).
    pub reply_url: Option<String>,
    /// The clock of the flow control (the tests' moves with the product's; the signature's
    /// `Timestamp` is always checked against the real time, as the service does).
    pub clock: SharedClock,
}

/// A text the simulator accepted.
#[derive(Clone, Debug, Serialize)]
pub struct SimText {
    pub phone: String,
    pub sign_name: String,
    pub template_code: String,
    pub params: BTreeMap<String, String>,
    /// As the phone shows it: 【sign】 and the template filled in.
    pub text: String,
    pub out_id: String,
    pub biz_id: String,
}

#[derive(Default)]
struct Book {
    texts: Vec<SimText>,
    nonces: HashSet<String>,
    /// When each number was last sent a text (for flow control).
    sent_at: HashMap<String, Vec<i64>>,
}

#[derive(Clone)]
pub struct Simulator {
    config: Arc<SimConfig>,
    book: Arc<Mutex<Book>>,
}

impl Simulator {
    pub fn new(config: SimConfig) -> Self {
        Simulator {
            config: Arc::new(config),
            book: Arc::default(),
        }
    }

    /// Every text accepted so far, oldest first.
    pub fn texts(&self) -> Vec<SimText> {
        self.book
            .lock()
            .map(|b| b.texts.clone())
            .unwrap_or_default()
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route("/", get(rpc_query).post(rpc_form))
            .route("/_sim/messages", get(list))
            .route("/_sim/reply", post(reply))
            .with_state(self.clone())
    }

    /// Checks and answers one `SendSms` call.
    fn call(
        &self,
        method: &Method,
        p: &HashMap<String, String>,
    ) -> (StatusCode, serde_json::Value) {
        match self.check(method, p) {
            Ok(biz_id) => (
                StatusCode::OK,
                serde_json::json!({"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": request_id()}),
            ),
            Err((status, code, message)) => (
                status,
                serde_json::json!({"Code": code, "Message": message, "RequestId": request_id()}),
            ),
        }
    }

    fn check(
        &self,
        method: &Method,
        p: &HashMap<String, String>,
    ) -> Result<String, (StatusCode, &'static str, String)> {
        let bad = |code: &'static str, message: &str| {
            Err((StatusCode::BAD_REQUEST, code, message.to_string()))
        };
        let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
        for (k, want) in [
            ("Action", "SendSms"),
            ("Version", "2017-05-25"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
        ] {
            if get(k) != want {
                return bad("InvalidParameter", &format!("{k} must be {want}"));
            }
        }
        if get("AccessKeyId") != self.config.access_key_id {
            return Err((
                StatusCode::NOT_FOUND,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.".into(),
            ));
        }
        if get("Signature")
            != expected_signature(method.as_str(), p, &self.config.access_key_secret)
        {
            return bad(
                "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation.",
            );
        }
        let now = UtcMillis::now();
        let fresh = timestamp(get("Timestamp")).is_some_and(|t| (t - now.0).abs() <= 15 * 60_000);
        if !fresh {
            return bad(
                "InvalidTimeStamp.Expired",
                "Specified time stamp or date value is expired.",
            );
        }
        let phone = get("PhoneNumbers");
        let mainland = phone.len() == 11
            && phone.starts_with('1')
            && phone.bytes().all(|b| b.is_ascii_digit());
        let code = get("TemplateCode");
        let params: BTreeMap<String, String> = match serde_json::from_str(get("TemplateParam")) {
            Ok(p) => p,
            Err(_) => {
                return Err((
                    StatusCode::OK,
                    "isv.INVALID_JSON_PARAM",
                    "JSON参数不合法".into(),
                ))
            }
        };
        let mut book = self.book.lock().map_err(|_| {
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "isp.SYSTEM_ERROR",
                "poisoned".to_string(),
            )
        })?;
        if !book.nonces.insert(get("SignatureNonce").to_string())
            || get("SignatureNonce").is_empty()
        {
            return bad(
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            );
        }
        let refuse =
            |code: &'static str, message: &str| Err((StatusCode::OK, code, message.to_string()));
        if !mainland {
            return refuse("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号");
        }
        if get("SignName") != self.config.sign_name {
            return refuse("isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名");
        }
        let Some(wording) = self.config.templates.get(code).cloned() else {
            return refuse("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板");
        };
        let names: Vec<&str> = params.keys().map(String::as_str).collect();
        if names != variables(&wording) {
            return refuse("isv.TEMPLATE_MISSING_PARAMS", "模板变量缺少对应参数值");
        }
        // A variable registered as a link (`link`) may be longer than the others.
        let too_long = |(k, v): (&String, &String)| {
            let max = if k == "link" {
                MAX_LINK_CHARS
            } else {
                MAX_PARAM_CHARS
            };
            v.chars().count() > max
        };
        if params.iter().any(too_long) {
            return refuse("isv.PARAM_LENGTH_LIMIT", "参数超出长度限制");
        }
        let now = self.config.clock.now();
        let times = book.sent_at.entry(phone.to_string()).or_default();
        times.retain(|t| *t > now.0 - 86_400_000);
        let within = |ms: i64| times.iter().filter(|t| **t > now.0 - ms).count();
        if within(60_000) >= 1 || within(3_600_000) >= 5 || times.len() >= 10 {
            return refuse(
                "isv.BUSINESS_LIMIT_CONTROL",
                "触发号码分钟级、小时级或天级流控",
            );
        }
        times.push(now.0);
        let biz_id = format!("{}^0", hex::encode(rand::random::<[u8; 8]>()));
        let mut text = wording;
        for (name, value) in &params {
            text = text.replace(&format!("${{{name}}}"), value);
        }
        book.texts.push(SimText {
            phone: phone.to_string(),
            sign_name: get("SignName").to_string(),
            template_code: code.to_string(),
            params,
            text: format!("【{}】{text}", self.config.sign_name),
            out_id: get("OutId").to_string(),
            biz_id: biz_id.clone(),
        });
        Ok(biz_id)
    }
}

/// `2017-07-12T02:42:19Z` (UTC) in milliseconds.
fn timestamp(s: &str) -> Option<i64> {
    let (minute, rest) = (s.get(..16)?, s.get(16..)?);
    let seconds: i64 = rest.strip_prefix(':')?.strip_suffix('Z')?.parse().ok()?;
    // `china_minute` reads China time (UTC+8); this one is UTC.
    Some(UtcMillis::china_minute(minute)?.0 + 8 * 3_600_000 + seconds * 1000)
}

/// The variables of a registered wording (`${name}`), sorted.
fn variables(wording: &str) -> Vec<&str> {
    let mut names: Vec<&str> = wording
        .split("${")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

fn request_id() -> String {
    hex::encode(rand::random::<[u8; 16]>()).to_uppercase()
}

/// The documented alternative recipe: `application/x-www-form-urlencoded` encoding, then `+` to
/// `%20`, `*` to `%2A` and `%7E` back to `~`.
fn pop_encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
        .replace('*', "%2A")
        .replace("%7E", "~")
}

fn expected_signature(method: &str, p: &HashMap<String, String>, secret: &str) -> String {
    let mut keys: Vec<&String> = p.keys().filter(|k| k.as_str() != "Signature").collect();
    keys.sort();
    let canonical: Vec<String> = keys
        .into_iter()
        .map(|k| format!("{}={}", pop_encode(k), pop_encode(&p[k])))
        .collect();
    let to_sign = format!("{method}&%2F&{}", pop_encode(&canonical.join("&")));
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn answer((status, body): (StatusCode, serde_json::Value)) -> Response {
    (status, Json(body)).into_response()
}

async fn rpc_query(
    State(sim): State<Simulator>,
    Query(p): Query<HashMap<String, String>>,
) -> Response {
    answer(sim.call(&Method::GET, &p))
}

async fn rpc_form(
    State(sim): State<Simulator>,
    Form(p): Form<HashMap<String, String>>,
) -> Response {
    answer(sim.call(&Method::POST, &p))
}

async fn list(State(sim): State<Simulator>) -> Json<Vec<SimText>> {
    Json(sim.texts())
}

#[derive(serde::Deserialize)]
struct Reply {
    phone: String,
    content: String,
}

/// Pushes a reply from `phone` to the configured reply URL, as the service's HTTP push of
/// uplink messages: a JSON array of `{phone_number, send_time, content, sign_name, dest_code,
/// sequence_id}`; the receiver answers `{"code":0,"msg":"…"}`.
async fn reply(State(sim): State<Simulator>, Form(r): Form<Reply>) -> Response {
    let Some(url) = sim.config.reply_url.clone() else {
        return (StatusCode::CONFLICT, "no reply URL configured").into_response();
    };
    let now = UtcMillis::now().plus_minutes(8 * 60).rfc3339();
    let push = serde_json::json!([{
        "phone_number": r.phone,
        "send_time": now.replace('T', " ").trim_end_matches('Z'),
        "content": r.content,
        "sign_name": sim.config.sign_name,
        "dest_code": "1234",
        "sequence_id": rand::random::<u32>(),
    }]);
    let client = reqwest::Client::new();
    match client.post(&url).json(&push).send().await {
        Ok(res) => {
            let status = res.status();
            let body = res.text().await.unwrap_or_default();
            let ok = serde_json::from_str::<serde_json::Value>(&body)
                .map(|v| v["code"] == 0)
                .unwrap_or(false);
            if status.is_success() && ok {
                (StatusCode::OK, body).into_response()
            } else {
                (
                    StatusCode::BAD_GATEWAY,
                    format!("the receiver answered {status}: {body}"),
                )
                    .into_response()
            }
        }
        Err(e) => (StatusCode::BAD_GATEWAY, format!("push failed: {e}")).into_response(),
    }
}
