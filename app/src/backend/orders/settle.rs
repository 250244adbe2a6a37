//! The transitions the payout worker makes. Each one is a compare-and-set on the order's
//! status plus its ledger operation, in one transaction, so it happens exactly once however
//! often it is attempted (and `(kind, reference)` is unique in the ledger as well).

use super::store;
use crate::backend::db::Db;
use crate::backend::ledger::{self, Leg, NewTx, PlatformAccount, TxKind};
use crate::model::funds::{Category, EntAccount, OrderStatus, OrderView, Reason};
use sqlx::AssertSqlSafe;

/// An order as the worker needs it.
pub struct WorkItem {
    pub view: OrderView,
    pub enterprise_id: String,
}

impl From<store::OrderRow> for WorkItem {
    fn from(r: store::OrderRow) -> Self {
        WorkItem {
            enterprise_id: r.enterprise_id.clone(),
            view: r.into(),
        }
    }
}

/// Orders in `status`, oldest first.
pub async fn in_status(
    db: &Db,
    status: OrderStatus,
    limit: i64,
) -> Result<Vec<WorkItem>, sqlx::Error> {
    let sql = format!(
        "SELECT {} FROM payment_orders WHERE status = $1 ORDER BY updated_at, id LIMIT $2",
        store::COLUMNS
    );
    let mut conn = db.pool().acquire().await?;
    let rows: Vec<store::OrderRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(status.code())
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(WorkItem::from).collect())
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<WorkItem>, sqlx::Error> {
    let sql = format!(
        "SELECT {} FROM payment_orders WHERE id = $1",
        store::COLUMNS
    );
    let mut conn = db.pool().acquire().await?;
    let row: Option<store::OrderRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(WorkItem::from))
}

/// The decrypted payee account, for the channel.
pub async fn payee_account(
    db: &Db,
    cipher: &crate::backend::crypto::FieldCipher,
    id: &str,
) -> Result<String, String> {
    let mut conn = db.pool().acquire().await.map_err(|e| e.to_string())?;
    let enc: String = sqlx::query_scalar("SELECT account_enc FROM payment_orders WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| e.to_string())?;
    cipher
        .decrypt_text(&enc, &super::ctx("account", id))
        .map_err(|e| e.to_string())
}

/// accepted → paying (the worker claims the order). `false` if someone else did.
pub async fn claim(db: &Db, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE payment_orders SET status = 'paying', reason = 'sent_to_channel', attempts = attempts + 1, updated_at = $1 \
         WHERE id = $2 AND status = 'accepted'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    crate::backend::callbacks::events::orders_changed(&mut tx, &[id], now).await?;
    tx.commit().await?;
    Ok(true)
}

/// paying → paid: the reservation is posted (payment and fee leave the enterprise; the fee
/// becomes income, the tax is withheld, the rest is paid out).
pub async fn paid(
    db: &Db,
    item: &WorkItem,
    channel_ref: &str,
    now: i64,
) -> Result<bool, ledger::LedgerError> {
    let mut tx = db.begin().await?;
    if store::transition(
        &mut tx,
        &item.view.id,
        &[OrderStatus::Paying],
        OrderStatus::Paid,
        Reason::Paid,
        now,
    )
    .await?
    .is_none()
    {
        return Ok(false);
    }
    sqlx::query("UPDATE payment_orders SET channel_ref = $1 WHERE id = $2")
        .bind(channel_ref)
        .bind(&item.view.id)
        .execute(&mut *tx)
        .await?;
    let c = item.view.charges;
    let eid = &item.enterprise_id;
    ledger::post(
        &mut tx,
        NewTx {
            kind: TxKind::OrderPost,
            enterprise_id: eid.clone(),
            reference: item.view.id.clone(),
            memo: item.view.order_id.clone(),
            reverses: None,
            legs: vec![
                Leg::ent(eid, EntAccount::Reserved, Category::Payment, -c.amount.0),
                Leg::ent(eid, EntAccount::Reserved, Category::Fee, -c.fee.0),
                Leg::platform(PlatformAccount::FeeIncome, Category::Fee, c.fee.0),
                Leg::platform(PlatformAccount::TaxWithheld, Category::Payment, c.tax.0),
                Leg::platform(PlatformAccount::PaidOut, Category::Payment, c.received.0),
            ],
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// paying → failed: the reservation is voided.
pub async fn failed(
    db: &Db,
    item: &WorkItem,
    reason: Reason,
    now: i64,
) -> Result<bool, ledger::LedgerError> {
    let mut tx = db.begin().await?;
    if store::transition(
        &mut tx,
        &item.view.id,
        &[OrderStatus::Paying],
        OrderStatus::Failed,
        reason,
        now,
    )
    .await?
    .is_none()
    {
        return Ok(false);
    }
    super::void_reservation(&mut tx, &item.enterprise_id, &item.view, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// paid → returned: a reversing transaction gives the payment and the fee back to the
/// enterprise's available balance. The original posting stays as it was.
pub async fn returned(db: &Db, item: &WorkItem, now: i64) -> Result<bool, ledger::LedgerError> {
    let mut tx = db.begin().await?;
    if store::transition(
        &mut tx,
        &item.view.id,
        &[OrderStatus::Paid],
        OrderStatus::Returned,
        Reason::ReturnedByBank,
        now,
    )
    .await?
    .is_none()
    {
        return Ok(false);
    }
    let original: Option<String> = sqlx::query_scalar(
        "SELECT id FROM ledger_transactions WHERE kind = 'order_post' AND reference = $1",
    )
    .bind(&item.view.id)
    .fetch_optional(&mut *tx)
    .await?;
    let c = item.view.charges;
    let eid = &item.enterprise_id;
    ledger::post(
        &mut tx,
        NewTx {
            kind: TxKind::OrderReverse,
            enterprise_id: eid.clone(),
            reference: item.view.id.clone(),
            memo: item.view.order_id.clone(),
            reverses: original,
            legs: vec![
                Leg::ent(eid, EntAccount::Available, Category::Refund, c.amount.0),
                Leg::ent(eid, EntAccount::Available, Category::Refund, c.fee.0),
                Leg::platform(PlatformAccount::FeeIncome, Category::Refund, -c.fee.0),
                Leg::platform(PlatformAccount::TaxWithheld, Category::Refund, -c.tax.0),
                Leg::platform(PlatformAccount::PaidOut, Category::Refund, -c.received.0),
            ],
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
