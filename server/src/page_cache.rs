//! The rendered anonymous public pages, kept for a few seconds (issue 14 §2).
//!
//! Most requests for the home page, the sign-in and sign-up pages and the policies come from
//! visitors who are not logged in, and what those pages show changes only at known moments
//! (`app::backend::public_pages`). Rendering one costs about 0.6 ms of CPU, which bounded `/`
//! at ~1,500 requests per second on two cores; a kept page is answered without rendering.
//!
//! What a kept page may depend on is exactly its key: the path, the language (`?lang=`, the
//! only query allowed), the visitor's cookie choice (none yet, or whether convenience cookies
//! are allowed) and `Sec-GPC`. Everything else bypasses the cache:
//! - a request with any other of the platform's cookies (a session, the remembered login
//!   name), another query parameter, or another method;
//! - a response that is not a `200` HTML page, or that sets a cookie.
//!
//! The page's CSP nonce is the one per-request part: a kept page is stored split at its
//! nonce, and each answer carries the nonce of its own request (`middleware::CspNonce`), so
//! the inline scripts still run under the `Content-Security-Policy` sent with it.
//!
//! A page is kept under the generation of `AppState::public_pages` read before it was rendered
//! and for `TTL_MS` of the application's clock: a change in this process is seen by the next
//! request, a change made by another process or one that comes with time within five seconds.

use crate::middleware::CspNonce;
use app::backend::public_pages::TTL_MS;
use app::backend::AppState;
use app::components::INCOMPLETE_HEADER;
use app::i18n::Lang;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;
use http_body_util::BodyExt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The pages kept. (Pages with a token or an id in the path are not: few visitors share one.)
pub const PAGES: [&str; 7] = [
    "/",
    "/login",
    "/register",
    "/forgot-password",
    "/privacy",
    "/terms",
    "/cookies",
];

/// A rendered page larger than this is answered but not kept.
const MAX_PAGE_BYTES: usize = 1 << 20;

/// The platform's cookies a kept page may have been asked with: they are part of the key.
const KEYED_COOKIES: [&str; 2] = ["esp_consent", "esp_lang"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key {
    path: &'static str,
    lang: Lang,
    /// The visitor's current cookie choice: `None` (not chosen), else whether convenience
    /// cookies are allowed.
    choice: Option<bool>,
    gpc: bool,
}

struct Entry {
    generation: u64,
    /// Kept for `from <= now < until` (application clock).
    from: i64,
    until: i64,
    status: StatusCode,
    headers: HeaderMap,
    /// The page split at its nonce: the answer joins the parts with the request's own.
    parts: Vec<Bytes>,
}

impl Entry {
    fn answer(&self, nonce: &str) -> Response {
        let len = self.parts.iter().map(Bytes::len).sum::<usize>()
            + nonce.len() * self.parts.len().saturating_sub(1);
        let mut body = Vec::with_capacity(len);
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                body.extend_from_slice(nonce.as_bytes());
            }
            body.extend_from_slice(part);
        }
        let mut res = Response::new(Body::from(body));
        *res.status_mut() = self.status;
        *res.headers_mut() = self.headers.clone();
        res
    }
}

/// The kept pages of one server. Their number is bounded by the key: 7 pages × 2 languages ×
/// 3 cookie choices × `Sec-GPC`.
#[derive(Default)]
pub struct PageCache(Mutex<HashMap<Key, Arc<Entry>>>);

impl PageCache {
    fn get(&self, key: &Key, generation: u64, now: i64) -> Option<Arc<Entry>> {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key)
            .filter(|e| e.generation == generation && e.from <= now && now < e.until)
            .cloned()
    }

    fn put(&self, key: Key, entry: Entry) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.insert(key, Arc::new(entry));
    }
}

/// What the layer needs: the application (its clock and generation) and the kept pages.
#[derive(Clone)]
pub struct PageCacheState {
    pub app: AppState,
    pub pages: Arc<PageCache>,
}

/// The key of a request that may be answered from the cache, or `None` to render it.
fn key_of(req: &Request) -> Option<Key> {
    if req.method() != Method::GET {
        return None;
    }
    let path = *PAGES.iter().find(|p| **p == req.uri().path())?;
    let lang = match req.uri().query() {
        None | Some("") => Lang::default(),
        Some(q) if !q.contains('&') => app::i18n::lang_in_query(q)?,
        Some(_) => return None,
    };
    let headers = req.headers();
    for value in headers.get_all(header::COOKIE) {
        let value = value.to_str().ok()?;
        for pair in value.split(';') {
            let name = pair.split_once('=').map_or(pair, |(n, _)| n).trim();
            let name = name.strip_prefix("__Host-").unwrap_or(name);
            if name.starts_with("esp_") && !KEYED_COOKIES.contains(&name) {
                return None;
            }
        }
    }
    let choice = crate::http::cookie(headers, "esp_consent")
        .and_then(|v| app::model::consent::ConsentChoice::from_cookie(&v))
        .filter(|c| c.is_current())
        .map(|c| c.convenience);
    let gpc = headers
        .get("sec-gpc")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        == Some("1");
    Some(Key {
        path,
        lang,
        choice,
        gpc,
    })
}

/// Whether a rendered answer may be kept: a complete `200` HTML page that sets no cookie (and
/// whose data all loaded: `app::components::mark_incomplete`).
fn keepable(res: &Response) -> bool {
    let h = res.headers();
    res.status() == StatusCode::OK
        && !h.contains_key(INCOMPLETE_HEADER)
        && !h.contains_key(header::SET_COOKIE)
        && !h.contains_key(header::LOCATION)
        && h.get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
}

/// `page` split at every occurrence of `nonce`.
fn split_at_nonce(page: &Bytes, nonce: &[u8]) -> Vec<Bytes> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while !nonce.is_empty() && i + nonce.len() <= page.len() {
        if &page[i..i + nonce.len()] == nonce {
            parts.push(page.slice(start..i));
            i += nonce.len();
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(page.slice(start..));
    parts
}

enum Read {
    /// The whole page, within the limit.
    Whole(Bytes),
    /// Larger than the limit: the whole page still, as a body (what was read, then the rest).
    TooLarge(Body),
    Failed(axum::Error),
}

/// Reads a rendered page up to `limit` bytes.
async fn read_page(mut body: Body, limit: usize) -> Read {
    let mut page = Vec::new();
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(frame) => page.extend_from_slice(&frame.into_data().unwrap_or_default()),
            Err(e) => return Read::Failed(e),
        }
        if page.len() > limit {
            let read = futures_util::stream::once(async move { Ok(Bytes::from(page)) });
            return Read::TooLarge(Body::from_stream(read.chain(body.into_data_stream())));
        }
    }
    Read::Whole(Bytes::from(page))
}

/// The layer: answers a keyed request from the cache, or renders it and keeps the page.
/// (Inside `security_headers`, whose nonce it uses, and inside the compression.)
pub async fn public_page_cache(
    State(s): State<PageCacheState>,
    req: Request,
    next: Next,
) -> Response {
    let (Some(key), Some(nonce)) = (key_of(&req), req.extensions().get::<CspNonce>().cloned())
    else {
        return next.run(req).await;
    };
    let now = s.app.clock.now().0;
    let generation = s.app.public_pages.generation();
    if let Some(entry) = s.pages.get(&key, generation, now) {
        return entry.answer(&nonce.0);
    }
    let mut res = next.run(req).await;
    if !keepable(&res) {
        res.headers_mut().remove(INCOMPLETE_HEADER);
        return res;
    }
    let (mut head, body) = res.into_parts();
    let page = match read_page(body, MAX_PAGE_BYTES).await {
        Read::Whole(page) => page,
        Read::TooLarge(body) => return Response::from_parts(head, body),
        Read::Failed(e) => {
            tracing::error!(error = %e, path = key.path, "a public page could not be rendered in full");
            let mut res = Response::new(Body::empty());
            *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return res;
        }
    };
    head.headers.remove(header::CONTENT_LENGTH);
    let entry = Entry {
        generation,
        from: now,
        until: now.saturating_add(TTL_MS),
        status: head.status,
        headers: head.headers.clone(),
        parts: split_at_nonce(&page, nonce.0.as_bytes()),
    };
    s.pages.put(key, entry);
    Response::from_parts(head, Body::from(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(uri: &str, cookie: Option<&str>) -> Request {
        let mut b = Request::builder().uri(uri);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn issue_14_2_only_anonymous_public_pages_are_keyed() {
        let k = key_of(&req("/", None)).unwrap();
        assert_eq!(
            (k.path, k.lang, k.choice, k.gpc),
            ("/", Lang::ZhCn, None, false)
        );
        assert_eq!(key_of(&req("/login?lang=en", None)).unwrap().lang, Lang::En);
        // Another query, another page, another cookie of the platform's: rendered.
        assert!(key_of(&req("/login?lang=en&next=/portal", None)).is_none());
        assert!(key_of(&req("/login?lang=xx", None)).is_none());
        assert!(key_of(&req("/portal", None)).is_none());
        assert!(key_of(&req("/", Some("esp_session=abc"))).is_none());
        assert!(key_of(&req("/", Some("a=1; __Host-esp_ops_session=abc"))).is_none());
        assert!(key_of(&req("/login", Some("esp_login=someone"))).is_none());
        // The language cookie and foreign cookies do not change the page.
        assert!(key_of(&req("/", Some("esp_lang=en; other=1"))).is_some());
        let post = Request::builder()
            .method(Method::POST)
            .uri("/")
            .body(Body::empty())
            .unwrap();
        assert!(key_of(&post).is_none());
    }

    /// Only a complete 200 HTML page that sets no cookie is kept: not one whose data failed to
    /// load (a database fault shown to one visitor must not be shown to all for five seconds).
    #[test]
    fn issue_14_2_only_complete_pages_are_kept() {
        let page = || {
            let mut res = Response::new(Body::empty());
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("text/html; charset=utf-8"),
            );
            res
        };
        assert!(keepable(&page()));
        let mut incomplete = page();
        incomplete
            .headers_mut()
            .insert(INCOMPLETE_HEADER, header::HeaderValue::from_static("1"));
        assert!(!keepable(&incomplete));
        let mut cookie = page();
        cookie.headers_mut().insert(
            header::SET_COOKIE,
            header::HeaderValue::from_static("esp_lang=en"),
        );
        assert!(!keepable(&cookie));
        let mut missing = page();
        *missing.status_mut() = StatusCode::NOT_FOUND;
        assert!(!keepable(&missing));
    }

    /// A page larger than the limit is answered in full, not kept (nor cut short).
    #[tokio::test]
    async fn issue_14_2_a_page_over_the_limit_is_answered_whole() {
        let chunks = ["<html>", "a", "b".repeat(40).leak(), "</html>"];
        let stream = futures_util::stream::iter(
            chunks.map(|c| Ok::<_, std::io::Error>(Bytes::from_static(c.as_bytes()))),
        );
        let Read::TooLarge(body) = read_page(Body::from_stream(stream), 10).await else {
            panic!("a page over the limit");
        };
        let all = axum::body::to_bytes(body, 1 << 10).await.unwrap();
        assert_eq!(all, chunks.concat().as_bytes());
        let small = Body::from("<html></html>");
        assert!(
            matches!(read_page(small, 100).await, Read::Whole(b) if &b[..] == b"<html></html>")
        );
    }

    #[tokio::test]
    async fn issue_14_2_a_kept_page_carries_each_request_s_nonce() {
        let page = Bytes::from_static(b"<script nonce=\"N0\">a</script><link crossorigin=\"N0\">");
        let parts = split_at_nonce(&page, b"N0");
        assert_eq!(parts.len(), 3);
        let entry = Entry {
            generation: 0,
            from: 0,
            until: 1,
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            parts,
        };
        let body = axum::body::to_bytes(entry.answer("Zz9").into_body(), 1 << 10)
            .await
            .unwrap();
        assert_eq!(
            &body[..],
            b"<script nonce=\"Zz9\">a</script><link crossorigin=\"Zz9\">"
        );
        assert_eq!(split_at_nonce(&Bytes::from_static(b"abc"), b"N0").len(), 1);
    }

    #[test]
    fn issue_14_2_an_entry_is_served_only_in_its_generation_and_time() {
        let cache = PageCache::default();
        let key = key_of(&req("/", None)).unwrap();
        let entry = || Entry {
            generation: 3,
            from: 1_000,
            until: 1_000 + TTL_MS,
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            parts: vec![Bytes::from_static(b"x")],
        };
        cache.put(key, entry());
        assert!(cache.get(&key, 3, 1_000).is_some());
        assert!(cache.get(&key, 3, 1_000 + TTL_MS - 1).is_some());
        assert!(cache.get(&key, 3, 1_000 + TTL_MS).is_none(), "expired");
        assert!(cache.get(&key, 4, 1_500).is_none(), "a change since");
        assert!(cache.get(&key, 3, 999).is_none(), "clock moved back");
    }
}
