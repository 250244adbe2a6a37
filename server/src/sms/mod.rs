//! Text messages through Alibaba Cloud SMS (P7.1): the adapter ([`aliyun`]), a local simulator
//! of the service for development and tests ([`simulator`]), the parsing of
//! `--sms-template`, and the receiver of replies (`POST /hooks/sms/aliyun/<token>`), where the
//! service pushes what people answered: an opt-out (回R, 回T, 退订…) withdraws that person's
//! consent to promotions.

pub mod aliyun;
pub mod simulator;

use crate::state::ServerState;
use app::backend::crypto::hmac_sha256_verify;
use app::backend::request::ClientMeta;
use app::model::sms::SmsTemplate;
use app::model::Lang;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::collections::HashMap;

/// Reads `kind=CODE` or `kind.en=CODE` pairs (`notice=SMS_1,notice.en=SMS_2,code=SMS_3,…`).
pub fn parse_templates(pairs: &[String]) -> Result<HashMap<(SmsTemplate, Lang), String>, String> {
    let mut out = HashMap::new();
    for pair in pairs.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let (key, code) = pair
            .split_once('=')
            .ok_or_else(|| format!("--sms-template {pair:?}: expected kind=TEMPLATE_CODE"))?;
        let (kind, lang) = match key.trim().split_once('.') {
            Some((kind, lang)) => (kind, Lang::parse(lang)),
            None => (key.trim(), Some(Lang::ZhCn)),
        };
        let (Some(t), Some(lang)) = (SmsTemplate::from_code(kind), lang) else {
            return Err(format!(
                "--sms-template {pair:?}: the kinds are notice, code, promotion and request_code, optionally .en"
            ));
        };
        let code = code.trim();
        if code.is_empty() {
            return Err(format!(
                "--sms-template {pair:?}: the template code is empty"
            ));
        }
        out.insert((t, lang), code.to_string());
    }
    Ok(out)
}

/// One uplink message as the service pushes it.
#[derive(serde::Deserialize)]
struct Uplink {
    phone_number: String,
    #[serde(default)]
    content: String,
}

/// `POST /hooks/sms/aliyun/<token>`: the service's HTTP push of replies (a JSON array). The
/// token (`--sms-reply-token`) is the only thing that tells the service from anyone else, so
/// a wrong one is a 404, as an unknown address.
pub async fn replies(
    State(state): State<ServerState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    ip: Option<axum::Extension<app::model::net::ClientIp>>,
    Path(token): Path<String>,
    body: String,
) -> Response {
    let known = state.sms_reply_token.as_deref().is_some_and(|want| {
        // Compared as HMACs, in constant time.
        let key = b"sms-reply-token";
        let tag = app::backend::crypto::hmac_sha256(key, want.as_bytes());
        hmac_sha256_verify(key, token.as_bytes(), &tag)
    });
    if !known {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(items) = serde_json::from_str::<Vec<Uplink>>(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({"code": 1, "msg": "expected a JSON array of uplink messages"})),
        )
            .into_response();
    };
    let meta = ClientMeta {
        ip: ip.map(|e| e.0 .0).unwrap_or_else(|| peer.ip().to_string()),
        user_agent: "sms-provider-push".into(),
    };
    let mut withdrawn = 0;
    for item in &items {
        match app::backend::messages::prefs::opt_out_by_reply(
            &state.app,
            &item.phone_number,
            &item.content,
            &meta,
        )
        .await
        {
            Ok(true) => withdrawn += 1,
            Ok(false) => {}
            Err(e) => {
                // The provider pushes again when the answer is not a success.
                tracing::error!(error = ?e, "an SMS reply could not be recorded");
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(serde_json::json!({"code": 1, "msg": "try again"})),
                )
                    .into_response();
            }
        }
    }
    tracing::info!(replies = items.len(), withdrawn, "SMS replies received");
    Json(serde_json::json!({"code": 0, "msg": "接收成功"})).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_template_codes_per_kind_and_language() {
        let t = parse_templates(&["notice=SMS_1".into(), " code.en = SMS_2 ".into()]).unwrap();
        assert_eq!(t[&(SmsTemplate::Notice, Lang::ZhCn)], "SMS_1");
        assert_eq!(t[&(SmsTemplate::Code, Lang::En)], "SMS_2");
        assert!(parse_templates(&["hello=SMS_1".into()]).is_err());
        assert!(parse_templates(&["notice".into()]).is_err());
        assert!(parse_templates(&["notice=".into()]).is_err());
    }
}
