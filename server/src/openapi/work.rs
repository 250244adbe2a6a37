//! The open API's receipts (scope `funds_read`), invoice statistics (scope `invoices`) and
//! tasks (scope `tasks`) (issue 19). Amounts are yuan strings.

use super::orders::ApiOrder;
use super::{app_error, audit_read, authorise};
use crate::state::ServerState;
use app::error::AppError;
use app::model::openapi::Scope;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::net::SocketAddr;

/// `GET /openapi/v1/orders/{order_id}/receipt`: the receipt of a paid order — the order, the
/// payer, the issuer and the verification code anyone can check on the platform.
pub(super) async fn receipt(
    State(s): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(order_id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let caller = match authorise(&s, peer, &method, &uri, &headers, b"", Scope::FundsRead).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let eid = caller.enterprise_id.clone();
    let found = async {
        let order = app::backend::orders::get_by_order_id(&s.app, &eid, &order_id).await?;
        let r = app::backend::funds::receipts::receipt(&s.app, &eid, &order.id).await?;
        super::orders::shared(&s, &caller, &[&r.order], &order_id).await?;
        audit_read(&s.app, &caller, &format!("receipt:{order_id}")).await?;
        Ok::<_, AppError>(r)
    };
    match found.await {
        Ok(r) => Json(json!({
            "order": ApiOrder::from(r.order),
            "payer": r.payer,
            "issuer": { "zh": r.issuer.zh, "en": r.issuer.en },
            "code": r.code,
        }))
        .into_response(),
        Err(e) => app_error(e, &headers),
    }
}

/// `GET /openapi/v1/invoices/stats`: what is invoiced, being invoiced and not yet, and the last
/// twelve months.
pub(super) async fn invoice_stats(
    State(s): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let caller = match authorise(&s, peer, &method, &uri, &headers, b"", Scope::Invoices).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let stats = async {
        let st =
            app::backend::invoices::applications::stats(&s.app, &caller.enterprise_id, 12).await?;
        audit_read(&s.app, &caller, "invoice_stats").await?;
        Ok::<_, AppError>(st)
    };
    match stats.await {
        Ok(st) => {
            let y = |f: app::model::Fen| f.to_yuan_plain();
            let months: Vec<_> = st
                .months
                .iter()
                .map(|m| json!({ "month": m.month, "invoiceable": y(m.invoiceable), "invoiced": y(m.invoiced) }))
                .collect();
            Json(json!({
                "total": y(st.standing.total),
                "invoiced": y(st.standing.invoiced),
                "being_invoiced": y(st.standing.being_invoiced),
                "not_yet_invoiced": y(st.standing.not_yet_invoiced),
                "over_invoiced": y(st.standing.over_invoiced),
                "months": months,
            }))
            .into_response()
        }
        Err(e) => app_error(e, &headers),
    }
}

/// `GET /openapi/v1/tasks`: the enterprise's tasks, newest first.
pub(super) async fn tasks(
    State(s): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let caller = match authorise(&s, peer, &method, &uri, &headers, b"", Scope::Tasks).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let page = async {
        let p = app::backend::tasks::page(&s.app, &caller.enterprise_id).await?;
        audit_read(&s.app, &caller, "tasks").await?;
        Ok::<_, AppError>(p)
    };
    match page.await {
        Ok(p) => {
            let tasks: Vec<_> = p
                .tasks
                .into_iter()
                .map(|t| {
                    json!({
                        "id": t.id,
                        "title": t.task.title,
                        "category": t.task.category,
                        "status": t.status.code(),
                        "pay_kind": t.task.pay_kind.map(|k| k.code()),
                        "budget": t.task.budget.to_yuan_plain(),
                        "workers": t.task.workers,
                        "starts_on": t.task.starts_on,
                        "ends_on": t.task.ends_on,
                        "updated_at": t.updated_at.rfc3339(),
                    })
                })
                .collect();
            Json(json!({ "tasks": tasks })).into_response()
        }
        Err(e) => app_error(e, &headers),
    }
}
