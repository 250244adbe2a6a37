//! `GET /portal/privacy/sharing.csv?lang=&recipient=&variant=excel` (issue 19, P3.1.3): the
//! privacy centre's sharing log as CSV — the admin's of the enterprise and its people, a
//! member's own, as the page shows them; never cached.

use crate::http::error;
use crate::state::ServerState;
use app::model::account::MemberRole;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
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
    crate::http::csv_download(app::i18n::sharing_csv(&rows, lang, excel), name)
}
