//! The open API's invoices (issue 19; scope `invoices`): applying for VAT invoices (idempotent by
//! `key`, with the portal's rules: never more than the not-yet-invoiced amount), the
//! applications, and the statistics. Amounts are yuan strings.

use super::{answer, audit_read, ApiError, Invoices, Signed};
use crate::state::ServerState;
use app::error::AppError;
use app::model::invoice::InvoiceView;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An invoice application as the API shows it (without the addresses it is mailed to).
#[derive(Serialize, ToSchema)]
pub(super) struct ApiInvoice {
    id: String,
    #[schema(example = "1000.00")]
    amount: String,
    /// `special` or `ordinary`.
    kind: String,
    /// `electronic` or `paper`.
    medium: String,
    goods: String,
    remark: String,
    /// `submitted`, `issuing`, `issued`, `mailed`, `rejected`, `cancelled`…
    status: String,
    /// A large application is issued as several invoices: this one's place and their number.
    part: u32,
    parts: u32,
    /// The invoice's number and date once issued.
    number: Option<String>,
    date: Option<String>,
    /// Why it was rejected (empty otherwise).
    reason: String,
    applied_at: String,
}

impl From<InvoiceView> for ApiInvoice {
    fn from(v: InvoiceView) -> Self {
        ApiInvoice {
            id: v.id,
            amount: v.amount.to_yuan_plain(),
            kind: v.kind.code().into(),
            medium: v.medium.code().into(),
            goods: v.goods,
            remark: v.remark,
            status: v.status.code().into(),
            part: v.part,
            parts: v.parts,
            number: v.number,
            date: v.date,
            reason: v.reason,
            applied_at: v.applied_at.rfc3339(),
        }
    }
}

/// An application for invoices: the portal's fields.
#[derive(Deserialize, Default, ToSchema)]
#[serde(default)]
pub(super) struct ApplyBody {
    /// The idempotency key: the same application again answers its invoices; another body under
    /// the same key is a conflict.
    #[schema(example = "INV-20261203-1")]
    key: String,
    #[schema(example = "1000.00")]
    amount: String,
    /// `special` or `ordinary`.
    kind: String,
    /// `electronic` or `paper`.
    medium: String,
    /// One of the platform's goods or service names.
    goods: String,
    remark: String,
    /// Where an electronic invoice is sent: addresses separated by commas.
    emails: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct Applied {
    invoices: Vec<ApiInvoice>,
}

/// Applies for invoices.
#[utoipa::path(operation_id = "apply_invoice", post, path = "/openapi/v1/invoices", tag = "invoices", request_body = ApplyBody,
    security(("signed" = [])),
    responses((status = 201, description = "The invoices applied for", body = Applied),
        (status = "4XX", description = "Refused (invalid, over the invoiceable amount, no invoice profile…)", body = ApiError)))]
pub(super) async fn apply(State(s): State<ServerState>, req: Signed<Invoices>) -> Response {
    use app::model::invoice::{ApplyForm, ApplyInput};
    let b: ApplyBody = match req.json("the application's fields") {
        Ok(b) => b,
        Err(res) => return res,
    };
    let form = ApplyForm {
        amount: b.amount,
        kind: b.kind,
        medium: b.medium,
        goods: b.goods,
        remark: b.remark,
        emails: b.emails,
        key: b.key,
    };
    let c = &req.caller;
    let applied = async {
        let input =
            ApplyInput::parse(&form, &s.app.settings.invoice_goods).map_err(AppError::Invalid)?;
        let list = app::backend::invoices::applications::apply(
            &s.app,
            &c.enterprise_id,
            &c.actor(),
            &input,
            &form.key,
        )
        .await?;
        Ok(Applied {
            invoices: list.into_iter().map(ApiInvoice::from).collect(),
        })
    };
    answer(&req.rid, StatusCode::CREATED, applied.await)
}

#[derive(Serialize, ToSchema)]
pub(super) struct InvoiceList {
    invoices: Vec<ApiInvoice>,
}

/// The enterprise's invoice applications, newest first.
#[utoipa::path(operation_id = "list_invoices", get, path = "/openapi/v1/invoices", tag = "invoices", security(("signed" = [])),
    responses((status = 200, description = "The applications", body = InvoiceList),
        (status = "4XX", description = "Refused", body = ApiError)))]
pub(super) async fn list(State(s): State<ServerState>, req: Signed<Invoices>) -> Response {
    let c = &req.caller;
    let read = async {
        let page = app::backend::invoices::applications::page(&s.app, &c.enterprise_id).await?;
        audit_read(&s.app, c, "invoices").await?;
        Ok(InvoiceList {
            invoices: page
                .applications
                .into_iter()
                .map(ApiInvoice::from)
                .collect(),
        })
    };
    answer(&req.rid, StatusCode::OK, read.await)
}

#[derive(Serialize, ToSchema)]
pub(super) struct MonthStats {
    #[schema(example = "2026-11")]
    month: String,
    invoiceable: String,
    invoiced: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct InvoiceStats {
    total: String,
    invoiced: String,
    being_invoiced: String,
    not_yet_invoiced: String,
    over_invoiced: String,
    /// The last twelve months.
    months: Vec<MonthStats>,
}

/// What is invoiced, being invoiced and not yet, and the last twelve months.
#[utoipa::path(operation_id = "get_invoice_stats", get, path = "/openapi/v1/invoices/stats", tag = "invoices",
    security(("signed" = [])),
    responses((status = 200, description = "The statistics", body = InvoiceStats),
        (status = "4XX", description = "Refused", body = ApiError)))]
pub(super) async fn stats(State(s): State<ServerState>, req: Signed<Invoices>) -> Response {
    let c = &req.caller;
    let read = async {
        let st = app::backend::invoices::applications::stats(&s.app, &c.enterprise_id, 12).await?;
        audit_read(&s.app, c, "invoice_stats").await?;
        let y = |f: app::model::Fen| f.to_yuan_plain();
        Ok(InvoiceStats {
            total: y(st.standing.total),
            invoiced: y(st.standing.invoiced),
            being_invoiced: y(st.standing.being_invoiced),
            not_yet_invoiced: y(st.standing.not_yet_invoiced),
            over_invoiced: y(st.standing.over_invoiced),
            months: st
                .months
                .iter()
                .map(|m| MonthStats {
                    month: m.month.clone(),
                    invoiceable: y(m.invoiceable),
                    invoiced: y(m.invoiced),
                })
                .collect(),
        })
    };
    answer(&req.rid, StatusCode::OK, read.await)
}
