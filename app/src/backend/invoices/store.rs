//! The invoices' SQL: reading applications into views, and the figures of the standing
//! (issue 17, P1.1.4).

use crate::backend::AppState;
use crate::error::AppResult;
use crate::model::invoice::{
    invoiceable_total, BuyerView, InvoiceKind, InvoiceStatus, InvoiceView, Medium, Paid, Standing,
    TaxRate,
};
use crate::model::{Fen, UtcMillis};
use sqlx::AnyConnection;

/// The seal context of an application's column (`emails`, `buyer`).
pub fn ctx(column: &str, id: &str) -> String {
    format!("invoice_applications.{column}:{id}")
}

/// The buyer's details of application `id`, with a paper invoice's mailing contact (sealed apart;
/// an application made before they were apart holds it in the buyer's JSON).
fn buyer_view(
    state: &AppState,
    id: &str,
    buyer_enc: &str,
    mailing_enc: &str,
) -> AppResult<BuyerView> {
    let open = |enc: &str, column: &str| -> AppResult<BuyerView> {
        let json = state
            .cipher
            .decrypt_text(enc, &ctx(column, id))
            .map_err(crate::error::AppError::internal)?;
        serde_json::from_str(&json).map_err(crate::error::AppError::internal)
    };
    let mut buyer = open(buyer_enc, "buyer")?;
    if !mailing_enc.is_empty() {
        let mailing = open(mailing_enc, "mailing")?;
        buyer.mail_name = mailing.mail_name;
        buyer.mail_phone = mailing.mail_phone;
        buyer.mail_address = mailing.mail_address;
    }
    Ok(buyer)
}

/// Application `id`'s receiving e-mail addresses, opened (none once the enterprise's data was
/// erased: the column is blanked).
pub fn receiving(
    state: &AppState,
    id: &str,
    emails_enc: &str,
) -> AppResult<Vec<crate::model::account::Email>> {
    if emails_enc.is_empty() {
        return Ok(Vec::new());
    }
    let emails = state
        .cipher
        .decrypt_text(emails_enc, &ctx("emails", id))
        .map_err(crate::error::AppError::internal)?;
    Ok(emails
        .lines()
        .filter_map(|e| crate::model::account::Email::parse(e).ok())
        .collect())
}

pub const COLUMNS: &str = "a.id, e.name AS enterprise_name, a.amount, a.kind, a.medium, a.goods, a.remark, a.status, \
    a.part, a.parts, a.buyer_title, a.buyer_taxpayer_id, a.emails_enc, u.name AS applied_by, a.applied_at, \
    a.invoice_number, a.invoice_date, a.tax_rate, a.price, a.tax, a.file_key, o.display_name AS issued_by, \
    a.reason, a.courier, a.waybill, a.red_number, a.red_reason, a.updated_at, a.buyer_enc, a.mailing_enc";

/// The tables [`COLUMNS`] reads.
pub const FROM: &str = "invoice_applications a JOIN enterprises e ON e.id = a.enterprise_id \
    LEFT JOIN users u ON u.id = a.applied_by LEFT JOIN operators o ON o.id = a.issued_by";

/// A row selected with [`COLUMNS`].
#[derive(sqlx::FromRow)]
pub struct InvoiceRow {
    id: String,
    enterprise_name: String,
    amount: i64,
    #[sqlx(try_from = "String")]
    kind: InvoiceKind,
    #[sqlx(try_from = "String")]
    medium: Medium,
    goods: String,
    remark: String,
    #[sqlx(try_from = "String")]
    status: InvoiceStatus,
    part: i64,
    parts: i64,
    buyer_title: String,
    buyer_taxpayer_id: String,
    emails_enc: String,
    applied_by: Option<String>,
    applied_at: i64,
    invoice_number: Option<String>,
    invoice_date: Option<String>,
    tax_rate: Option<i64>,
    price: Option<i64>,
    tax: Option<i64>,
    file_key: Option<String>,
    issued_by: Option<String>,
    reason: String,
    courier: Option<String>,
    waybill: Option<String>,
    red_number: Option<String>,
    red_reason: String,
    updated_at: i64,
    buyer_enc: String,
    mailing_enc: String,
}

impl InvoiceRow {
    /// The view; the receiving addresses opened and masked; the buyer's details opened when
    /// `buyer` (finance).
    pub fn view(self, state: &AppState, buyer: bool) -> AppResult<InvoiceView> {
        let buyer = if buyer {
            Some(buyer_view(
                state,
                &self.id,
                &self.buyer_enc,
                &self.mailing_enc,
            )?)
        } else {
            None
        };
        let emails = receiving(state, &self.id, &self.emails_enc)?
            .iter()
            .map(|e| e.masked())
            .collect();
        let reversal_pending = self.red_number.is_some() && self.status != InvoiceStatus::Reversed;
        Ok(InvoiceView {
            id: self.id,
            enterprise_name: self.enterprise_name,
            amount: Fen(self.amount),
            kind: self.kind,
            medium: self.medium,
            goods: self.goods,
            remark: self.remark,
            status: self.status,
            part: u32::try_from(self.part).unwrap_or(1),
            parts: u32::try_from(self.parts).unwrap_or(1),
            buyer_title: self.buyer_title,
            buyer_taxpayer_id: self.buyer_taxpayer_id,
            buyer,
            emails,
            applied_by: self.applied_by.unwrap_or_default(),
            applied_at: UtcMillis(self.applied_at),
            number: self.invoice_number,
            date: self.invoice_date,
            rate: self.tax_rate.and_then(|r| TaxRate::parse(&r.to_string())),
            price: self.price.map(Fen),
            tax: self.tax.map(Fen),
            has_file: self.file_key.is_some(),
            issued_by: self.issued_by,
            reason: self.reason,
            courier: self.courier,
            waybill: self.waybill,
            red_number: self.red_number,
            red_reason: self.red_reason,
            reversal_pending,
            days_waiting: u32::try_from(
                (state.clock.now().0 - self.applied_at).max(0) / 86_400_000,
            )
            .unwrap_or(u32::MAX),
            updated_at: UtcMillis(self.updated_at),
        })
    }
}

/// Applications matching `filter` (SQL over `a.`, with `$1`… bound by the caller's binds),
/// newest first, at most 300 (a page's list).
pub async fn views(
    state: &AppState,
    conn: &mut AnyConnection,
    filter: &str,
    binds: &[&str],
) -> AppResult<Vec<InvoiceView>> {
    views_up_to(
        state,
        conn,
        filter,
        binds,
        300,
        "a.applied_at DESC, a.part, a.id",
        false,
    )
    .await
}

/// [`views`], at most `limit`, in `order` (SQL over `a.`), with the buyer's details opened when
/// `buyer` (finance's queue).
pub async fn views_up_to(
    state: &AppState,
    conn: &mut AnyConnection,
    filter: &str,
    binds: &[&str],
    limit: i64,
    order: &str,
    buyer: bool,
) -> AppResult<Vec<InvoiceView>> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE {filter} ORDER BY {order} LIMIT {limit}");
    let mut q = sqlx::query_as::<_, InvoiceRow>(sqlx::AssertSqlSafe(sql));
    for b in binds {
        q = q.bind(*b);
    }
    q.fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| r.view(state, buyer))
        .collect()
}

/// What the ledger says the enterprise paid (P1.1.4): its paid orders' amounts and fees, and
/// what returned orders gave back, from its postings (`since` and `until` bound the time).
pub async fn paid(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    since: i64,
    until: i64,
) -> Result<Paid, sqlx::Error> {
    let (orders, fees, returned): (i64, i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN category = 'payment' THEN -amount ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN category = 'fee' THEN -amount ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN category = 'refund' THEN amount ELSE 0 END), 0) AS BIGINT) \
         FROM ledger_postings WHERE enterprise_id = $1 AND category IN ('payment', 'fee', 'refund') \
         AND created_at >= $2 AND created_at < $3",
    )
    .bind(enterprise_id)
    .bind(since)
    .bind(until)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Paid {
        orders: Fen(orders),
        fees: Fen(fees),
        returned: Fen(returned),
    })
}

/// The enterprise's standing now: the invoiceable total from the ledger, and what its
/// applications hold (issued or mailed: invoiced; submitted or issuing: being invoiced).
pub async fn standing(
    conn: &mut AnyConnection,
    enterprise_id: &str,
) -> Result<Standing, sqlx::Error> {
    let total = invoiceable_total(paid(conn, enterprise_id, 0, i64::MAX).await?);
    let (invoiced, being): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN status IN ('issued', 'mailed') THEN amount ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status IN ('submitted', 'issuing') THEN amount ELSE 0 END), 0) AS BIGINT) \
         FROM invoice_applications WHERE enterprise_id = $1",
    )
    .bind(enterprise_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Standing::of(total, Fen(invoiced), Fen(being)))
}

/// One application's facts a step needs.
#[derive(sqlx::FromRow)]
pub struct StepRow {
    pub enterprise_id: String,
    pub amount: i64,
    #[sqlx(try_from = "String")]
    pub status: InvoiceStatus,
    #[sqlx(try_from = "String")]
    pub medium: Medium,
    pub applied_by: String,
    pub issued_by: Option<String>,
    pub red_by: Option<String>,
    pub red_number: Option<String>,
    pub red_at: Option<i64>,
    pub emails_enc: String,
    pub buyer_title: String,
    pub file_key: Option<String>,
    pub file_type: Option<String>,
    pub invoice_number: Option<String>,
}

pub async fn step_row(conn: &mut AnyConnection, id: &str) -> AppResult<Option<StepRow>> {
    Ok(sqlx::query_as(
        "SELECT enterprise_id, amount, status, medium, applied_by, issued_by, red_by, red_number, red_at, emails_enc, \
         buyer_title, file_key, file_type, invoice_number FROM invoice_applications WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}
