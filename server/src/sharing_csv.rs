//! `GET /portal/privacy/sharing.csv?lang=&recipient=&variant=excel` (issue 19, P3.1.3): the
//! privacy centre's sharing log as CSV — the admin's of the enterprise and its people, a
//! member's own, as the page shows them; never cached.

use crate::http::error;
use crate::state::ServerState;
use app::model::account::MemberRole;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn routes() -> axum::Router<ServerState> {
    axum::Router::new().route("/portal/privacy/sharing.csv", get(sharing_csv))
}

#[derive(serde::Deserialize)]
pub struct SharingQuery {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    recipient: String,
    /// `excel`: the variant Excel opens with the Chinese intact (BOM, CRLF).
    #[serde(default)]
    variant: String,
}

pub async fn sharing_csv(
    State(s): State<ServerState>,
    Query(q): Query<SharingQuery>,
    headers: HeaderMap,
) -> Response {
    let state = &s.app;
    let rows = async {
        let (user, eid) = crate::exports::member_holding(state, &headers, None).await?;
        let own = (user.role != Some(MemberRole::Admin)).then_some(user.id.as_str());
        app::backend::sharing::export(state, &eid, own, Some(q.recipient.as_str())).await
    };
    let rows = match rows.await {
        Ok(r) => r,
        Err(e) => return error(e),
    };
    let lang = app::i18n::Lang::parse(&q.lang).unwrap_or_default();
    let excel = q.variant == "excel";
    let name = if excel {
        "sharing-log-excel.csv"
    } else {
        "sharing-log.csv"
    };
    let mut res = app::i18n::sharing_csv(&rows, lang, excel).into_response();
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
