//! Invoice applications (发票申请, issue 17): applying against the not-yet-invoiced amount,
//! idempotent by the form's key and split over the per-invoice limit; cancelling while one
//! waits; the enterprise's invoices page and its statistics (开票统计, P1.1.4).

use super::store::{self, ctx};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::account::Email;
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::invoice::{
    invoiceable_total, split, ApplyBlock, ApplyInput, InvoiceMonth, InvoiceStats, InvoiceView,
    InvoicesPage, Medium, Paid, TaxpayerIdState,
};
use crate::model::orders::OrderId;
use crate::model::{Fen, UtcMillis};
use std::collections::BTreeMap;

/// The buyer as it stood when applying: what the invoice is issued to (sealed; kept with the
/// books).
#[derive(serde::Serialize)]
struct Buyer<'a> {
    title: &'a str,
    taxpayer_id: &'a str,
    reg_address: &'a str,
    reg_phone: &'a str,
    bank_name: &'a str,
    bank_account: &'a str,
}

/// Where a paper invoice goes: a person's contact, sealed apart from the buyer (blanked when
/// the enterprise's data is erased). Electronic invoices keep none.
#[derive(serde::Serialize)]
struct Mailing<'a> {
    mail_name: &'a str,
    mail_phone: &'a str,
    mail_address: &'a str,
}

/// Applies for invoices. `key` is the form's idempotency key: sent again, the same application
/// returns its invoices; with other details it is a conflict. The amount may not exceed the
/// not-yet-invoiced amount, however many applications run at once: they are serialised per
/// enterprise (SQLite: one writer; PostgreSQL: an advisory lock) and each reads the standing
/// inside its transaction.
pub async fn apply(
    state: &AppState,
    enterprise_id: &str,
    actor: &Actor,
    input: &ApplyInput,
    key: &str,
) -> AppResult<Vec<InvoiceView>> {
    let key = OrderId::parse(key).map_err(|r| AppError::invalid("key", r))?;
    let base = format!("{enterprise_id}/{}", key.as_str());
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    crate::backend::db::lock_key(
        &mut tx,
        state.db.engine(),
        &format!("invoice:{enterprise_id}"),
    )
    .await?;
    if let Some(ids) = earlier(&mut tx, &base, input).await? {
        drop(tx);
        return by_ids(state, enterprise_id, &ids).await;
    }
    let profile = super::profile::get(state, &mut tx, enterprise_id)
        .await?
        .ok_or(AppError::Conflict(Conflict::InvoiceNoProfile))?;
    if !profile.taxpayer_id_state.usable() {
        return Err(AppError::Conflict(Conflict::TaxpayerIdNotAccepted));
    }
    let facts = super::profile::facts(&profile);
    if !facts.missing_for(input.kind).is_empty() {
        return Err(AppError::Conflict(Conflict::SpecialNeedsProfile));
    }
    if input.medium == Medium::Paper && !facts.has_mailing {
        return Err(AppError::Conflict(Conflict::PaperNeedsMailing));
    }
    let standing = store::standing(&mut tx, enterprise_id).await?;
    if input.amount.0 > standing.not_yet_invoiced.0 {
        return Err(AppError::Conflict(Conflict::InvoiceOverAmount));
    }
    let buyer = serde_json::to_string(&Buyer {
        title: &profile.title,
        taxpayer_id: &profile.taxpayer_id,
        reg_address: &profile.reg_address,
        reg_phone: &profile.reg_phone,
        bank_name: &profile.bank_name,
        bank_account: &profile.bank_account,
    })
    .map_err(AppError::internal)?;
    let mailing = match input.medium {
        Medium::Paper => serde_json::to_string(&Mailing {
            mail_name: &profile.mail_name,
            mail_phone: &profile.mail_phone,
            mail_address: &profile.mail_address,
        })
        .map_err(AppError::internal)?,
        Medium::Electronic => String::new(),
    };
    let emails: Vec<&str> = input.emails.iter().map(Email::as_str).collect();
    let parts = split(input.amount, state.settings.invoice_limit);
    let mut ids = Vec::with_capacity(parts.len());
    for (i, amount) in parts.iter().enumerate() {
        let id = crate::backend::ids::new_id();
        sqlx::query(
            "INSERT INTO invoice_applications (id, enterprise_id, client_key, part, parts, amount, kind, medium, goods, remark, \
             emails_enc, buyer_enc, mailing_enc, buyer_title, buyer_taxpayer_id, status, applied_by, applied_at, \
             updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'submitted', $16, $17, $17)",
        )
        .bind(&id)
        .bind(enterprise_id)
        .bind(format!("{base}/{}", i + 1))
        .bind(i as i64 + 1)
        .bind(parts.len() as i64)
        .bind(amount.0)
        .bind(input.kind.code())
        .bind(input.medium.code())
        .bind(&input.goods)
        .bind(&input.remark)
        .bind(state.cipher.encrypt_text(&emails.join("\n"), &ctx("emails", &id)))
        .bind(state.cipher.encrypt_text(&buyer, &ctx("buyer", &id)))
        .bind(if mailing.is_empty() {
            String::new()
        } else {
            state.cipher.encrypt_text(&mailing, &ctx("mailing", &id))
        })
        .bind(&profile.title)
        .bind(&profile.taxpayer_id)
        .bind(&actor.id)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        ids.push(id);
    }
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: "invoice.apply",
            target: &format!("invoice:{}", ids[0]),
            result: AuditResult::Ok,
            detail: &format!(
                "{} {} {} x{}",
                input.amount.to_yuan_plain(),
                input.kind.code(),
                input.medium.code(),
                ids.len()
            ),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    by_ids(state, enterprise_id, &ids).await
}

/// The invoices of an earlier submission of the same form, if there was one (`None`: this is
/// the first). Other details under the same key are a conflict.
async fn earlier(
    conn: &mut sqlx::AnyConnection,
    base: &str,
    input: &ApplyInput,
) -> AppResult<Option<Vec<String>>> {
    let first: Option<(i64,)> =
        sqlx::query_as("SELECT parts FROM invoice_applications WHERE client_key = $1")
            .bind(format!("{base}/1"))
            .fetch_optional(&mut *conn)
            .await?;
    let Some((parts,)) = first else {
        return Ok(None);
    };
    let mut ids = Vec::new();
    let mut total = 0;
    for part in 1..=parts {
        let (id, amount, kind, medium): (String, i64, String, String) = sqlx::query_as(
            "SELECT id, amount, kind, medium FROM invoice_applications WHERE client_key = $1",
        )
        .bind(format!("{base}/{part}"))
        .fetch_one(&mut *conn)
        .await?;
        if kind != input.kind.code() || medium != input.medium.code() {
            return Err(AppError::Conflict(Conflict::KeyReused));
        }
        total += amount;
        ids.push(id);
    }
    if total != input.amount.0 {
        return Err(AppError::Conflict(Conflict::KeyReused));
    }
    Ok(Some(ids))
}

/// What the enterprise sees: not which operator issued its invoices.
fn for_enterprise(views: Vec<InvoiceView>) -> Vec<InvoiceView> {
    views
        .into_iter()
        .map(|v| InvoiceView {
            issued_by: None,
            ..v
        })
        .collect()
}

async fn by_ids(
    state: &AppState,
    enterprise_id: &str,
    ids: &[String],
) -> AppResult<Vec<InvoiceView>> {
    let mut conn = state.db.conn().await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.extend(
            store::views(
                state,
                &mut conn,
                "a.id = $1 AND a.enterprise_id = $2",
                &[id, enterprise_id],
            )
            .await?,
        );
    }
    Ok(for_enterprise(out))
}

/// One application of the enterprise.
pub async fn get(state: &AppState, enterprise_id: &str, id: &str) -> AppResult<InvoiceView> {
    by_ids(state, enterprise_id, &[id.to_string()])
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)
}

/// The applicant's side withdraws an application while it waits (submitted, not yet taken up).
pub async fn cancel(
    state: &AppState,
    enterprise_id: &str,
    actor: &Actor,
    id: &str,
) -> AppResult<InvoiceView> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let row = store::step_row(&mut tx, id)
        .await?
        .filter(|r| r.enterprise_id == enterprise_id)
        .ok_or(AppError::NotFound)?;
    let to = row
        .status
        .after(crate::model::invoice::InvoiceStep::Cancel, row.medium)
        .ok_or(AppError::Conflict(Conflict::InvoiceMovedOn))?;
    let done = sqlx::query(
        "UPDATE invoice_applications SET status = $1, decided_by = $2, decided_at = $3, updated_at = $3 \
         WHERE id = $4 AND status = $5",
    )
    .bind(to.code())
    .bind(&actor.id)
    .bind(now.0)
    .bind(id)
    .bind(row.status.code())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::InvoiceMovedOn));
    }
    crate::backend::callbacks::events::invoice_changed(&mut tx, id, now.0).await?;
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: "invoice.cancel",
            target: &format!("invoice:{id}"),
            result: AuditResult::Ok,
            detail: &Fen(row.amount).to_yuan_plain(),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    get(state, enterprise_id, id).await
}

/// The enterprise's invoices page: the standing, whether it may apply, its applications.
pub async fn page(state: &AppState, enterprise_id: &str) -> AppResult<InvoicesPage> {
    let mut conn = state.db.conn().await?;
    let standing = store::standing(&mut conn, enterprise_id).await?;
    let profile = super::profile::get(state, &mut conn, enterprise_id).await?;
    let blocked = match profile.as_ref().map(|p| p.taxpayer_id_state) {
        None => Some(ApplyBlock::NoProfile),
        Some(TaxpayerIdState::Pending) => Some(ApplyBlock::TaxpayerIdPending),
        Some(TaxpayerIdState::Refused) => Some(ApplyBlock::TaxpayerIdRefused),
        Some(TaxpayerIdState::Valid | TaxpayerIdState::Overridden) => None,
    };
    let applications = for_enterprise(
        store::views(state, &mut conn, "a.enterprise_id = $1", &[enterprise_id]).await?,
    );
    Ok(InvoicesPage {
        standing,
        blocked,
        applications,
        form_key: crate::backend::ids::new_id(),
        goods: state.settings.invoice_goods.clone(),
        limit: state.settings.invoice_limit,
        default_emails: profile.map(|p| p.emails.join(", ")).unwrap_or_default(),
    })
}

/// Every application of the enterprise for its CSV export (P6.1), newest first. An enterprise
/// applies for a few invoices a month; the export stops at 20,000 (README: VAT invoices).
pub async fn export_rows(state: &AppState, enterprise_id: &str) -> AppResult<Vec<InvoiceView>> {
    let mut conn = state.db.conn().await?;
    store::views_up_to(
        state,
        &mut conn,
        "a.enterprise_id = $1",
        &[enterprise_id],
        20_000,
        "a.applied_at DESC, a.part, a.id",
        false,
    )
    .await
    .map(for_enterprise)
}

/// The statistics (开票统计): the standing now, and per China-time month of the last
/// `months`, what became invoiceable and what was invoiced (issued less reversed).
pub async fn stats(state: &AppState, enterprise_id: &str, months: u32) -> AppResult<InvoiceStats> {
    let mut conn = state.db.conn().await?;
    let standing = store::standing(&mut conn, enterprise_id).await?;
    let now = state.clock.now();
    let month_keys = last_months(now, months);
    let since = month_keys
        .first()
        .and_then(|m| UtcMillis::china_day_start(&format!("{m}-01")))
        .map(|t| t.0)
        .unwrap_or(0);
    // Per China-time day, then folded into months.
    let days: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT (created_at + 28800000) / 86400000 AS d, category, CAST(SUM(amount) AS BIGINT) FROM ledger_postings \
         WHERE enterprise_id = $1 AND category IN ('payment', 'fee', 'refund') AND created_at >= $2 GROUP BY d, category",
    )
    .bind(enterprise_id)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let mut paid: BTreeMap<String, Paid> = BTreeMap::new();
    for (day, category, sum) in days {
        let month = UtcMillis(day * 86_400_000).rfc3339()[..7].to_string();
        let p = paid.entry(month).or_default();
        match category.as_str() {
            "payment" => p.orders.0 -= sum,
            "fee" => p.fees.0 -= sum,
            _ => p.returned.0 += sum,
        }
    }
    let issued: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT amount, issued_at, reversed_at FROM invoice_applications WHERE enterprise_id = $1 \
         AND issued_at IS NOT NULL AND (issued_at >= $2 OR reversed_at >= $2)",
    )
    .bind(enterprise_id)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let mut invoiced: BTreeMap<String, i64> = BTreeMap::new();
    for (amount, issued_at, reversed_at) in issued {
        *invoiced
            .entry(UtcMillis(issued_at).china_month())
            .or_default() += amount;
        if let Some(r) = reversed_at {
            *invoiced.entry(UtcMillis(r).china_month()).or_default() -= amount;
        }
    }
    let months = month_keys
        .into_iter()
        .map(|m| InvoiceMonth {
            invoiceable: invoiceable_month(paid.get(&m).copied().unwrap_or_default()),
            invoiced: Fen(invoiced.get(&m).copied().unwrap_or(0)),
            month: m,
        })
        .collect();
    Ok(InvoiceStats { standing, months })
}

/// A month's invoiceable amount may be negative (returns of earlier months' orders).
fn invoiceable_month(p: Paid) -> Fen {
    if p.returned.0 > p.orders.0 + p.fees.0 {
        Fen(p.orders.0 + p.fees.0 - p.returned.0)
    } else {
        invoiceable_total(p)
    }
}

/// The last `n` China-time months, oldest first (`2026-06` … `2026-11`).
fn last_months(now: UtcMillis, n: u32) -> Vec<String> {
    let (mut y, mut m, ..) = now.china_parts();
    let mut out = Vec::with_capacity(n as usize);
    for _ in 0..n {
        out.push(format!("{y:04}-{m:02}"));
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p1_1_4_months_run_back_across_the_year() {
        // 2026-02-10 in China.
        let t = UtcMillis::china_day_start("2026-02-10").unwrap();
        assert_eq!(last_months(t, 3), ["2025-12", "2026-01", "2026-02"]);
    }
}
