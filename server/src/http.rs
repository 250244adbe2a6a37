//! Small HTTP helpers shared by the plain routes (files, exports) and the middleware.

use app::error::AppError;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// The value of a request cookie (the one parser: `app::model::net::cookie_value`).
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    let values = headers.get_all(header::COOKIE);
    app::model::net::cookie_value(values.iter().filter_map(|v| v.to_str().ok()), name)
}

/// The session token of `kind` in the request, under the cookie's name in this mode
/// (`__Host-` prefixed in production; see `app::model::consent::CookieSpec::wire_name`).
pub(crate) fn session_token(
    headers: &HeaderMap,
    state: &app::backend::AppState,
    kind: app::backend::accounts::sessions::PrincipalKind,
) -> Option<String> {
    let name = app::model::consent::wire_name(kind.cookie_name(), state.settings.production);
    cookie(headers, &name)
}

/// An uploaded file shown inline under its (encoded) name: sandboxed, never cached.
pub(crate) fn sandboxed_file(name: &str, mime: &'static str, bytes: Vec<u8>) -> Response {
    use axum::http::{header, HeaderValue};
    let disposition = format!(
        "inline; filename=\"file\"; filename*=UTF-8''{}",
        app::model::net::encode_component(name)
    );
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        ),
    );
    res
}

/// A CSV download named `name`, never cached (it holds the reader's data).
pub(crate) fn csv_download(body: String, name: &str) -> Response {
    use axum::http::HeaderValue;
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

pub(crate) fn error(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(e)).into_response()
}

/// The path as logged: credentials in paths (invitation, reset, enrolment, unsubscribe and
/// worker-signing tokens) are replaced by `…`.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in [
        "/invite/",
        "/reset-password/",
        "/ops/enrol/",
        "/unsubscribe/",
        "/hooks/sms/aliyun/",
        "/wx/scan/",
        "/wx/tickets/",
        "/wx/website/finish/",
        "/sign/",
    ] {
        if path.starts_with(prefix) {
            return std::borrow::Cow::Owned(format!("{prefix}…"));
        }
    }
    std::borrow::Cow::Borrowed(path)
}

/// TLS for the HTTP client (the SMS gateway, and every other outside service) with ring as
/// rustls' crypto provider, as lettre's; first call wins, later ones change nothing.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
