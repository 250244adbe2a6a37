//! Downloads for the enterprise (P6.1): the fund flow as CSV, streamed page by page from the
//! database so that no export is held in memory whatever its size, and a paid order's
//! electronic receipt.

use crate::http::{error, session_token};
use crate::state::ServerState;
use app::backend::accounts::sessions::PrincipalKind;
use app::backend::accounts::users::{self, UserRow};
use app::backend::funds::{flow_page, FlowFilter};
use app::backend::AppState;
use app::error::AppError;
use app::i18n::{account_label, category_label, FundMsg, Lang, Translate};
use app::model::account::Permission;
use app::model::csv::escape;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

/// The logged-in member of an enterprise who holds the funds permission and has accepted the
/// policy versions in force.
async fn funds_member(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(UserRow, String), AppError> {
    member_holding(state, headers, Permission::Funds).await
}

/// The logged-in member of an enterprise who holds `permission` (admins hold all) and has
/// accepted the policy versions in force, with their enterprise's id.
pub(crate) async fn member_holding(
    state: &AppState,
    headers: &HeaderMap,
    permission: impl Into<Option<Permission>>,
) -> Result<(UserRow, String), AppError> {
    let permission = permission.into();
    let token =
        session_token(headers, state, PrincipalKind::User).ok_or(AppError::Unauthenticated)?;
    let (_, user) = users::by_session(state, &token)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let eid = match &user.enterprise_id {
        Some(eid) if user.holds(permission) => eid.clone(),
        _ => return Err(AppError::Forbidden),
    };
    // P9: business data waits until the policies in force are accepted.
    app::backend::policy::gate::require_accepted(state, &user.id).await?;
    Ok((user, eid))
}

/// `?lang=`: the language of a downloaded file (Chinese by default, as pages).
#[derive(serde::Deserialize)]
pub struct LangQuery {
    #[serde(default)]
    lang: String,
}

impl LangQuery {
    fn lang(&self) -> Lang {
        Lang::parse(&self.lang).unwrap_or_default()
    }
}

#[derive(serde::Deserialize)]
pub struct FlowQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    lang: String,
}

const CSV_PAGE: i64 = 1_000;

/// `GET /portal/funds/flow.csv?from=&to=&category=`: every matching line, oldest first.
pub async fn flow_csv(
    State(s): State<ServerState>,
    Query(q): Query<FlowQuery>,
    headers: HeaderMap,
) -> Response {
    let state = s.app.clone();
    let (_, eid) = match funds_member(&state, &headers).await {
        Ok(v) => v,
        Err(e) => return error(e),
    };
    let filter = match FlowFilter::parse(&q.from, &q.to, &q.category) {
        Ok(f) => f,
        Err(e) => return error(e),
    };
    // Labels in the reader's language, each beside a stable code column for machines.
    let lang = Lang::parse(&q.lang).unwrap_or_default();
    let header_line = format!("\u{feff}{}\n", FundMsg::FlowCsvHeader.text(lang));
    // State: (cursor, finished). Each step reads one page and turns it into CSV text.
    let pages = futures_util::stream::unfold(
        (state, eid, filter, Some(0i64)),
        move |(state, eid, filter, cursor)| async move {
            let after = cursor?;
            let mut conn = match state.db.conn().await {
                Ok(c) => c,
                Err(e) => {
                    return Some((
                        Err(std::io::Error::other(e.to_string())),
                        (state, eid, filter, None),
                    ))
                }
            };
            match flow_page(&mut conn, &eid, &filter, Some(after), CSV_PAGE, false).await {
                Ok(lines) if lines.is_empty() => None,
                Ok(lines) => {
                    let next = (lines.len() as i64 == CSV_PAGE)
                        .then(|| lines.last().map_or(after, |l| l.seq));
                    let mut out = String::with_capacity(lines.len() * 80);
                    for l in &lines {
                        out.push_str(&format!(
                            "{},{},{},{},{},{},{},{}\n",
                            l.at.china_display(),
                            escape(account_label(l.account).text(lang)),
                            l.account.code(),
                            escape(category_label(l.category).text(lang)),
                            l.category.code(),
                            l.amount.to_yuan_plain(),
                            l.balance_after.to_yuan_plain(),
                            escape(&l.reference)
                        ));
                    }
                    drop(conn);
                    Some((Ok(out), (state, eid, filter, next)))
                }
                Err(e) => Some((
                    Err(std::io::Error::other(e.to_string())),
                    (state, eid, filter, None),
                )),
            }
        },
    );
    // Fused: a body may be polled again after its end (the compression layer does), and an
    // `unfold` stream polled after its end panics, which cut every compressed download off
    // after its first line.
    let body = futures_util::StreamExt::fuse(futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok::<_, std::io::Error>(header_line) }),
        pages,
    ));
    let mut res = Body::from_stream(body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"fund-flow.csv\""),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// `GET /portal/funds/orders/{id}/receipt.html`: a paid order's receipt as a file.
pub async fn receipt_download(
    State(s): State<ServerState>,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let state = &s.app;
    let (_, eid) = match funds_member(state, &headers).await {
        Ok(v) => v,
        Err(e) => return error(e),
    };
    let receipt = match app::backend::funds::receipts::receipt(state, &eid, &id).await {
        Ok(r) => r,
        Err(e) => return error(e),
    };
    let order = &receipt.order;
    let html = app::i18n::receipt::standalone_html(&receipt, q.lang());
    let mut res = html.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"receipt-{}.html\"",
        order.order_id
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    res
}

#[derive(serde::Deserialize)]
pub struct TemplateQuery {
    #[serde(default)]
    lang: String,
    /// `excel`: the variant Excel opens with the Chinese intact (BOM, CRLF).
    #[serde(default)]
    variant: String,
}

/// `GET /portal/funds/order-template.csv?lang=&variant=excel`: the batch template. It holds
/// no data, only the column names, so it needs no login.
pub async fn order_template(Query(q): Query<TemplateQuery>) -> Response {
    let lang = Lang::parse(&q.lang).unwrap_or_default();
    let excel = q.variant == "excel";
    let body = app::model::orders::batch_template(lang, excel);
    let name = if excel {
        "payment-orders-template-excel.csv"
    } else {
        "payment-orders-template.csv"
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
