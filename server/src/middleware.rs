//! Request middleware: security headers with a per-request CSP nonce, and the mapping of
//! typed server-function errors to HTTP status codes.

use app::error::AppError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use rand::RngCore;
use std::sync::Arc;

/// The largest request body accepted (413 beyond). Uploads get their own, larger limit.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// The upload endpoint and its limit.
pub const UPLOAD_PATHS: [&str; 5] = [
    "/api/upload_application_file",
    "/api/upload_batch",
    "/api/import_statement",
    "/api/upload_correction_licence",
    // An invoice's file (issue 17): up to `MAX_INVOICE_FILE_BYTES`, the same 10 MiB.
    "/api/issue_invoice",
];
pub const MAX_UPLOAD_BODY_BYTES: usize = app::model::application::MAX_UPLOAD_BYTES + (64 << 10);

/// The nonce that the inline hydration script of this response carries.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

impl CspNonce {
    fn generate() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        CspNonce(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }
}

/// The policy: only the app's own script (by nonce) and WASM, own styles, images and
/// connections; no framing, no plugins, forms only to the app itself.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// How long a browser or a proxy may keep a response, by path: never for anything that names a
/// person or a session (`no-store`); for ever for the site's files when their names carry
/// their content's hash (`LEPTOS_HASH_FILES`, set by `./x release`), and otherwise only
/// after asking again. Pages of the public site take the default (revalidated by the browser).
pub fn cache_control(path: &str, hashed_files: bool) -> Option<&'static str> {
    const PRIVATE: [&str; 11] = [
        "/api/",
        "/login",
        "/portal",
        "/ops",
        "/register",
        "/policy-update",
        "/files/",
        "/invite/",
        "/reset-password",
        "/unsubscribe/",
        "/hooks/",
    ];
    if PRIVATE.iter().any(|p| path.starts_with(p)) {
        Some("no-store")
    } else if path.starts_with("/pkg/") {
        Some(if hashed_files {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        })
    } else {
        None
    }
}

/// What [`security_headers`] needs to know of the configuration.
#[derive(Clone, Copy, Debug)]
pub struct HeaderPolicy {
    pub production: bool,
    pub hashed_files: bool,
}

/// Adds the security headers to every response, and its cache policy ([`cache_control`]).
pub async fn security_headers(
    State(policy): State<HeaderPolicy>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = CspNonce::generate();
    req.extensions_mut().insert(nonce.clone());
    let cache = cache_control(req.uri().path(), policy.hashed_files);
    let production = policy.production;
    let mut res = next.run(req).await;
    // A handler that chose its own (a download's `private, no-store`) keeps it. A file that is
    // not there is not kept for a year.
    let found = res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED;
    let h = res.headers_mut();
    if let Some(cache) = cache.filter(|c| found || !c.contains("immutable")) {
        h.entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(cache));
    }
    // Production is served over TLS (by the proxy in front): browsers must never fall back
    // to plain HTTP, where the session cookie (Secure) would not be sent anyway.
    if production {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    // A handler may set a stricter policy of its own (served files are sandboxed).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(v) = HeaderValue::from_str(&content_security_policy(&nonce.0)) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    h.insert(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// Refuses state-changing requests that a browser sent from another site (cross-site request
/// forgery, P5.2). A browser names the page's origin in `Origin` (or at least marks the request
/// `Sec-Fetch-Site: cross-site`); it must be this site. Clients that are not browsers send
/// neither and are judged by their credentials instead.
///
/// This site is `public_origin` when configured (behind a proxy that rewrites `Host`), and
/// otherwise the request's own `Host`.
pub async fn reject_cross_site(
    State(public_origin): State<Option<Arc<str>>>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_site(req.headers(), public_origin.as_deref()) {
        tracing::warn!(method = %req.method(), path = %crate::http::loggable_path(req.uri().path()), "cross-site request refused");
        let body = serde_json::to_vec(&AppError::Forbidden).unwrap_or_default();
        let mut res = Response::new(Body::from(body));
        *res.status_mut() = StatusCode::FORBIDDEN;
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return res;
    }
    next.run(req).await
}

fn is_cross_site(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(origin) = text(header::ORIGIN.as_str()) {
        if let Some(public) = public_origin {
            return !origin.eq_ignore_ascii_case(public.trim_end_matches('/'));
        }
        let origin_host = origin.split_once("://").map(|(_, rest)| rest);
        return match (origin_host, text(header::HOST.as_str())) {
            (Some(o), Some(host)) => !o.eq_ignore_ascii_case(host),
            // `Origin: null` (sandboxed or privacy-sensitive contexts) or no Host: refuse.
            _ => true,
        };
    }
    text("sec-fetch-site") == Some("cross-site")
}

/// Server functions answer failures with 500 by default; this gives each typed
/// [`AppError`] its own status (422 for bad input, 404, 409, …) so that a user's mistake is
/// never reported as a server failure. The body is untouched.
pub async fn server_fn_error_status(res: Response) -> Response {
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match to_bytes(body, 1 << 20).await {
        Ok(b) => b,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(err.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The largest request body: 1 MiB, except uploads (10 MiB of file plus the form around it;
/// the upload's own handler applies its own, smaller limit with a clear message).
/// A declared length over the limit is refused at once with 413; a body that grows past it
/// fails when read.
pub async fn body_limit(req: Request, next: Next) -> Response {
    let limit = if UPLOAD_PATHS.contains(&req.uri().path()) {
        MAX_UPLOAD_BODY_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        let body = serde_json::to_string(&AppError::BadRequest("request body too large".into()))
            .unwrap_or_default();
        let mut res = Response::new(Body::from(body));
        *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return res;
    }
    let (parts, body) = req.into_parts();
    let limited = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, limited)).await
}

/// Records the client's address for the handlers (login limits, login history, audit): the
/// peer address, or with `--trust-forwarded-for` the last `X-Forwarded-For` entry.
pub async fn client_ip(
    State(trust_forwarded): State<bool>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let forwarded = trust_forwarded
        .then(|| {
            req.headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
                .map(str::to_string)
                .collect::<Vec<_>>()
                .pop()
        })
        .flatten();
    if let Some(ip) = forwarded.or(peer) {
        req.extensions_mut().insert(app::model::net::ClientIp(ip));
    }
    next.run(req).await
}

/// A redirect carries no page: pages that redirect a visitor (to the login) were rendered
/// with failed queries, and nothing of them is sent.
pub async fn empty_redirects(res: Response) -> Response {
    if res.status().is_redirection() && res.headers().contains_key(header::LOCATION) {
        let (mut parts, _) = res.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    res
}

/// The language convenience cookie (P2.2), only with that consent: a page asked for with
/// `?lang=` remembers it; a page asked for without `?lang=` by a browser that remembered
/// English is sent to the English page. The language itself stays in the URL.
pub async fn remember_language(
    State(production): State<bool>,
    req: Request,
    next: Next,
) -> Response {
    use app::i18n::Lang;
    use app::model::consent::cookie_spec;
    let decision = language_decision(&req);
    let Some((asked, remembered)) = decision else {
        return next.run(req).await;
    };
    if asked.is_none() && remembered == Some(Lang::En) {
        // Only ever a local path: `//evil.example/` must not become a redirect off-site.
        let path = app::i18n::local_path(req.uri().path());
        let query = req.uri().query().unwrap_or("");
        let sep = if query.is_empty() { "" } else { "&" };
        let to = format!("{path}?{query}{sep}lang=en");
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::SEE_OTHER;
        if let Ok(v) = HeaderValue::from_str(&to) {
            res.headers_mut().insert(header::LOCATION, v);
        }
        return res;
    }
    let mut res = next.run(req).await;
    if let (Some(lang), Some(spec)) = (asked, cookie_spec("esp_lang")) {
        if remembered != Some(lang) {
            if let Ok(v) = HeaderValue::from_str(&spec.header(lang.code(), None, production)) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
        }
    }
    res
}

/// Every redirect keeps the language of the page it came from (the language lives in the URL,
/// so that it needs no cookie, P2.2). The language is the request's own `?lang=`, or for a form
/// post that of the page that sent it (`Referer`, same site only). A local `Location` without
/// a `lang` parameter gets it: this covers the redirects of server functions (plain form posts
/// and `serverfnredirect` answers alike) and of pages, present and future.
pub async fn keep_language(
    State(public_origin): State<Option<Arc<str>>>,
    req: Request,
    next: Next,
) -> Response {
    let lang = request_language(&req, public_origin.as_deref());
    let mut res = next.run(req).await;
    let Some(lang) = lang else { return res };
    let kept = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|loc| app::i18n::keep_lang(loc, lang))
        .and_then(|loc| HeaderValue::from_str(&loc).ok());
    if let Some(v) = kept {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// The language of a request: its own `?lang=`, else, for a form post, that of the same-site
/// page that sent it. (A page asked for without `?lang=` is Chinese, whatever page linked to
/// it: the switch to 中文 is such a link.)
fn request_language(req: &Request, public_origin: Option<&str>) -> Option<app::i18n::Lang> {
    if let Some(lang) = app::i18n::lang_in_query(req.uri().query().unwrap_or("")) {
        return Some(lang);
    }
    if req.method() == Method::GET || req.method() == Method::HEAD {
        return None;
    }
    let referer = req.headers().get(header::REFERER)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("http://")
        .or_else(|| referer.strip_prefix("https://"))?;
    let (origin_host, path) = rest.split_once('/').unwrap_or((rest, ""));
    // This site: the configured public origin (behind a proxy that rewrites `Host`), else Host.
    let site = match public_origin {
        Some(origin) => origin
            .split_once("://")
            .map_or(origin, |(_, h)| h)
            .trim_end_matches('/')
            .to_string(),
        None => req.headers().get(header::HOST)?.to_str().ok()?.to_string(),
    };
    if !origin_host.eq_ignore_ascii_case(&site) {
        return None;
    }
    let query = path
        .split_once('#')
        .map_or(path, |(p, _)| p)
        .split_once('?')?
        .1;
    app::i18n::lang_in_query(query)
}

/// For a page request whose convenience consent is given: the language asked for in the URL
/// and the one remembered. `None` when the cookie must not be used.
fn language_decision(req: &Request) -> Option<(Option<app::i18n::Lang>, Option<app::i18n::Lang>)> {
    use app::model::consent::{ConsentChoice, CookieCategory};
    let path = req.uri().path();
    let page = req.method() == Method::GET
        && !path.starts_with("/api/")
        && !path.starts_with("/pkg/")
        && !path.starts_with("/files/")
        && !path.rsplit('/').next().unwrap_or("").contains('.');
    if !page {
        return None;
    }
    let cookie = |name: &str| crate::http::cookie(req.headers(), name);
    let allowed = cookie("esp_consent")
        .and_then(|v| ConsentChoice::from_cookie(&v))
        .is_some_and(|c| c.allows(CookieCategory::Convenience));
    if !allowed {
        return None;
    }
    let asked = app::i18n::lang_in_query(req.uri().query().unwrap_or(""));
    let remembered = cookie("esp_lang").and_then(|v| app::i18n::Lang::parse(&v));
    Some((asked, remembered))
}

/// Global Privacy Control (P2.2): a page request with `Sec-GPC: 1` and no cookie choice is
/// answered "reject optional" without asking. The decision is recorded (method `gpc`), the
/// consent cookie is set on the response, and the request itself carries the choice, so the
/// page is rendered without the banner.
pub async fn global_privacy_control(
    State(state): State<app::backend::AppState>,
    req: Request,
    next: Next,
) -> Response {
    use app::model::consent::{ConsentChoice, ConsentMethod, COOKIE_REVISION};
    let gpc = req
        .headers()
        .get("sec-gpc")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        == Some("1");
    let page = req.method() == Method::GET
        && !req.uri().path().starts_with("/api/")
        && !req.uri().path().starts_with("/pkg/");
    let chosen = crate::http::cookie(req.headers(), "esp_consent")
        .and_then(|v| ConsentChoice::from_cookie(&v))
        .is_some_and(|c| c.is_current());
    if !gpc || !page || chosen {
        return next.run(req).await;
    }
    let ip = req
        .extensions()
        .get::<app::model::net::ClientIp>()
        .map(|c| c.0.clone())
        .unwrap_or_else(|| "-".into());
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let choice = ConsentChoice {
        revision: COOKIE_REVISION,
        consent_id: app::backend::ids::new_id(),
        convenience: false,
    };
    // A client that keeps no cookies asks again with every page (issue 14): its decisions are
    // recorded up to a limit per address, then only answered.
    let now = state.clock.now();
    if !state
        .gpc_limiter
        .allow(&app::model::net::rate_key(&ip), now.0)
    {
        return with_choice(req, next, &choice, state.settings.production).await;
    }
    let lang = req
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|p| p.strip_prefix("lang="))
        .and_then(app::i18n::Lang::parse)
        .unwrap_or_default();
    let recorded = app::backend::consent::record(
        &state.db,
        &app::backend::consent::Decision {
            consent_id: &choice.consent_id,
            user_id: None,
            convenience: false,
            method: ConsentMethod::Gpc,
            lang: lang.code(),
        },
        &app::backend::request::ClientMeta { ip, user_agent },
        now,
    )
    .await;
    if let Err(e) = recorded {
        tracing::warn!(error = %e, "recording a GPC decision failed");
        return next.run(req).await;
    }
    with_choice(req, next, &choice, state.settings.production).await
}

/// Serves `req` as if it carried `choice` (in place of any stale one), and sets it
/// (`Secure` in `production`).
async fn with_choice(
    mut req: Request,
    next: Next,
    choice: &app::model::consent::ConsentChoice,
    production: bool,
) -> Response {
    let value = choice.to_cookie();
    let mut pairs: Vec<String> = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with("esp_consent="))
        .map(str::to_string)
        .collect();
    pairs.push(format!("esp_consent={value}"));
    if let Ok(v) = HeaderValue::from_str(&pairs.join("; ")) {
        req.headers_mut().insert(header::COOKIE, v);
    }
    let mut res = next.run(req).await;
    if let Some(spec) = app::model::consent::cookie_spec("esp_consent") {
        if let Ok(v) = HeaderValue::from_str(&spec.header(&value, None, production)) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14: the site's files are kept for a year only when their names change with their
    /// content; otherwise the browser asks again (and gets a 304 when nothing changed).
    #[test]
    fn site_files_are_immutable_only_when_hashed() {
        assert_eq!(
            cache_control("/pkg/platform.3f2a.wasm", true),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(cache_control("/pkg/platform.wasm", false), Some("no-cache"));
        assert_eq!(cache_control("/api/login", true), Some("no-store"));
        assert_eq!(cache_control("/privacy", true), None);
    }

    #[test]
    fn policy_allows_own_wasm_and_forbids_framing() {
        let p = content_security_policy("abc");
        assert!(p.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(!p.contains("unsafe-inline"));
        assert!(!p.contains("'unsafe-eval'"));
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_requests_are_recognised() {
        let same = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
        ]);
        assert!(!is_cross_site(&same, None));
        let evil = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "https://evil.example"),
        ]);
        assert!(is_cross_site(&evil, None));
        let prefix = headers(&[
            ("host", "platform.example"),
            ("origin", "https://platform.example.evil"),
        ]);
        assert!(is_cross_site(&prefix, None));
        assert!(is_cross_site(
            &headers(&[("host", "a"), ("origin", "null")]),
            None
        ));
        assert!(is_cross_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            None
        ));
        assert!(!is_cross_site(
            &headers(&[("sec-fetch-site", "same-origin")]),
            None
        ));
        assert!(
            !is_cross_site(&headers(&[("host", "a")]), None),
            "non-browser clients pass"
        );
        // Behind a proxy the public origin decides, whatever Host the proxy sends.
        let proxied = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "https://platform.example"),
        ]);
        assert!(!is_cross_site(&proxied, Some("https://platform.example/")));
        assert!(is_cross_site(&proxied, Some("https://other.example")));
        assert!(is_cross_site(&same, Some("https://platform.example")));
    }

    #[test]
    fn nonces_are_fresh() {
        assert_ne!(CspNonce::generate().0, CspNonce::generate().0);
        assert!(CspNonce::generate().0.len() >= 22);
    }
}
