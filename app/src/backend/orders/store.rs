//! Payment-order rows. Sensitive numbers are stored encrypted (AES-GCM, bound to the row;
//! the ciphertext names its key, so keys can rotate) next to a masked hint for lists.

use crate::backend::ledger::store::Params;
use crate::model::funds::{Channel, Charges, OrderStatus, OrderView, Reason};
use crate::model::{Fen, UtcMillis};
use sqlx::{AnyConnection, AssertSqlSafe};

/// An order ready to be written: validated, priced, encrypted.
#[derive(Clone, Debug)]
pub struct PreparedOrder {
    pub id: String,
    pub enterprise_id: String,
    pub client_key: String,
    pub order_id: String,
    pub request_hash: String,
    pub batch_id: Option<String>,
    /// The order's line in its batch file.
    pub batch_line: Option<u32>,
    pub payee_name: String,
    pub id_number_enc: String,
    pub id_hint: String,
    pub channel: Channel,
    pub account_enc: String,
    pub account_hint: String,
    pub mobile_enc: String,
    pub mobile_hint: String,
    pub charges: Charges,
    pub remark: String,
    pub project: String,
    /// A completion record's payment (issue 18): the task and the completion.
    pub task_id: Option<String>,
    pub completion_id: Option<String>,
    /// The worker register's keyed hash of the payee's ID number (issue 18 §2).
    pub payee_index: String,
    pub created_by: String,
    /// Who creates it (recorded in the audit log in the same transaction).
    pub actor: crate::backend::audit::Actor,
    /// Asked for through the open API: its answer (the order's personal fields) is logged as
    /// a sharing event to the enterprise's own system in the same transaction (P3.1.3).
    pub via_api: bool,
}

impl PreparedOrder {
    pub fn view(&self, status: OrderStatus, reason: Reason, now: i64) -> OrderView {
        OrderView {
            id: self.id.clone(),
            order_id: self.order_id.clone(),
            batch_id: self.batch_id.clone(),
            payee_name: self.payee_name.clone(),
            id_masked: self.id_hint.clone(),
            channel: self.channel,
            account_masked: self.account_hint.clone(),
            mobile_masked: self.mobile_hint.clone(),
            charges: self.charges,
            remark: self.remark.clone(),
            project: self.project.clone(),
            task_id: self.task_id.clone(),
            completion_id: self.completion_id.clone(),
            status,
            reason,
            channel_ref: None,
            created_at: UtcMillis(now),
            updated_at: UtcMillis(now),
            paid_at: None,
        }
    }
}

pub const COLUMNS: &str = "id, order_id, batch_id, payee_name, id_hint, channel, account_hint, mobile_hint, \
     amount, fee, tax, received, remark, project, status, reason, channel_ref, created_at, updated_at, paid_at, \
     request_hash, enterprise_id, task_id, completion_id";

/// A row selected with [`COLUMNS`] (an unknown stored code fails the read); `.into()` gives
/// the [`OrderView`].
#[derive(sqlx::FromRow)]
pub struct OrderRow {
    id: String,
    order_id: String,
    batch_id: Option<String>,
    payee_name: String,
    id_hint: String,
    #[sqlx(try_from = "String")]
    channel: Channel,
    account_hint: String,
    mobile_hint: String,
    amount: i64,
    fee: i64,
    #[sqlx(try_from = "i64")]
    tax: Fen,
    #[sqlx(try_from = "i64")]
    received: Fen,
    remark: String,
    project: String,
    #[sqlx(try_from = "String")]
    status: OrderStatus,
    #[sqlx(try_from = "String")]
    reason: Reason,
    channel_ref: Option<String>,
    #[sqlx(try_from = "i64")]
    created_at: UtcMillis,
    #[sqlx(try_from = "i64")]
    updated_at: UtcMillis,
    paid_at: Option<i64>,
    pub request_hash: String,
    pub enterprise_id: String,
    task_id: Option<String>,
    completion_id: Option<String>,
}

impl From<OrderRow> for OrderView {
    fn from(r: OrderRow) -> Self {
        OrderView {
            id: r.id,
            order_id: r.order_id,
            batch_id: r.batch_id,
            payee_name: r.payee_name,
            id_masked: r.id_hint,
            channel: r.channel,
            account_masked: r.account_hint,
            mobile_masked: r.mobile_hint,
            charges: Charges {
                amount: Fen(r.amount),
                fee: Fen(r.fee),
                tax: r.tax,
                received: r.received,
                gross: Fen(r.amount + r.fee),
            },
            remark: r.remark,
            project: r.project,
            task_id: r.task_id,
            completion_id: r.completion_id,
            status: r.status,
            reason: r.reason,
            channel_ref: r.channel_ref,
            created_at: r.created_at,
            updated_at: r.updated_at,
            paid_at: r.paid_at.map(UtcMillis),
        }
    }
}

/// A row selected with [`COLUMNS`] and the order's idempotency key.
#[derive(sqlx::FromRow)]
struct KeyedRow {
    client_key: String,
    #[sqlx(flatten)]
    order: OrderRow,
}

/// Inserts orders (sorted by key, so concurrent inserts cannot deadlock) unless their key
/// exists; returns the keys that were inserted.
pub async fn insert_new(
    conn: &mut AnyConnection,
    orders: &[&PreparedOrder],
    status: OrderStatus,
    reason: Reason,
    now: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let mut sorted: Vec<&&PreparedOrder> = orders.iter().collect();
    sorted.sort_by(|a, b| a.client_key.cmp(&b.client_key));
    let mut inserted = Vec::with_capacity(orders.len());
    const COLS: usize = 29;
    for chunk in sorted.chunks(200) {
        let sql = format!(
            "INSERT INTO payment_orders (id, enterprise_id, client_key, order_id, request_hash, batch_id, payee_name, \
             id_number_enc, id_hint, channel, account_enc, account_hint, mobile_enc, mobile_hint, amount, fee, tax, \
             received, remark, project, status, reason, created_by, created_at, updated_at, batch_line, task_id, completion_id, payee_index) VALUES {} \
             ON CONFLICT (client_key) DO NOTHING RETURNING client_key",
            Params::of(conn).rows(chunk.len(), COLS)
        );
        let mut q = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql));
        for o in chunk {
            q = q
                .bind(&o.id)
                .bind(&o.enterprise_id)
                .bind(&o.client_key)
                .bind(&o.order_id)
                .bind(&o.request_hash)
                .bind(o.batch_id.as_deref())
                .bind(&o.payee_name)
                .bind(&o.id_number_enc)
                .bind(&o.id_hint)
                .bind(o.channel.code())
                .bind(&o.account_enc)
                .bind(&o.account_hint)
                .bind(&o.mobile_enc)
                .bind(&o.mobile_hint)
                .bind(o.charges.amount.0)
                .bind(o.charges.fee.0)
                .bind(o.charges.tax.0)
                .bind(o.charges.received.0)
                .bind(&o.remark)
                .bind(&o.project)
                .bind(status.code())
                .bind(reason.code())
                .bind(&o.created_by)
                .bind(now)
                .bind(now)
                .bind(o.batch_line.map(i64::from))
                .bind(o.task_id.as_deref())
                .bind(o.completion_id.as_deref())
                .bind(&o.payee_index);
        }
        inserted.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(inserted)
}

/// The stored orders with these keys, with their request hashes.
pub async fn by_client_keys(
    conn: &mut AnyConnection,
    keys: &[&str],
) -> Result<Vec<(String, OrderView, String)>, sqlx::Error> {
    let mut out = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(400) {
        let list = Params::of(conn).list(1, chunk.len());
        let sql = format!(
            "SELECT {COLUMNS}, client_key FROM payment_orders WHERE client_key IN ({list})"
        );
        let mut q = sqlx::query_as::<_, KeyedRow>(AssertSqlSafe(sql));
        for k in chunk {
            q = q.bind(*k);
        }
        for KeyedRow { client_key, order } in q.fetch_all(&mut *conn).await? {
            let hash = order.request_hash.clone();
            out.push((client_key, order.into(), hash));
        }
    }
    Ok(out)
}

/// Sets the status and reason of many orders at once.
pub async fn set_status_many(
    conn: &mut AnyConnection,
    ids: &[&str],
    status: OrderStatus,
    reason: Reason,
    now: i64,
) -> Result<(), sqlx::Error> {
    for chunk in ids.chunks(400) {
        let p = Params::of(conn);
        let sql = format!(
            "UPDATE payment_orders SET status = {}, reason = {}, updated_at = {} WHERE id IN ({})",
            p.n(1),
            p.n(2),
            p.n(3),
            p.list(4, chunk.len())
        );
        let mut q = sqlx::query(AssertSqlSafe(sql))
            .bind(status.code())
            .bind(reason.code())
            .bind(now);
        for id in chunk {
            q = q.bind(*id);
        }
        q.execute(&mut *conn).await?;
    }
    // The enterprises' systems are told, in this transaction (issue 19).
    crate::backend::callbacks::events::orders_changed(conn, ids, now).await
}

/// Moves one order to `to` if it is still in one of `from` (compare and set: the update
/// names the status it read). Returns the status it left, or `None` when the order was not
/// in `from` or someone else moved it first.
pub async fn transition(
    conn: &mut AnyConnection,
    id: &str,
    from: &[OrderStatus],
    to: OrderStatus,
    reason: Reason,
    now: i64,
) -> Result<Option<OrderStatus>, sqlx::Error> {
    let old: Option<String> = sqlx::query_scalar("SELECT status FROM payment_orders WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(old) = old else {
        return Ok(None);
    };
    let old = OrderStatus::from_stored(&old, "payment_orders.status")?;
    if !from.contains(&old) {
        return Ok(None);
    }
    let done = sqlx::query(
        "UPDATE payment_orders SET status = $1, reason = $2, updated_at = $3, \
         paid_at = CASE WHEN $1 = 'paid' THEN $3 ELSE paid_at END WHERE id = $4 AND status = $5",
    )
    .bind(to.code())
    .bind(reason.code())
    .bind(now)
    .bind(id)
    .bind(old.code())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    crate::backend::callbacks::events::orders_changed(conn, &[id], now).await?;
    Ok(Some(old))
}
