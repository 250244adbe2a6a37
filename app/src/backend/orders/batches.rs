//! Batches: many orders uploaded as one CSV file, confirmed or cancelled as a whole before
//! they are paid. An upload is all or nothing: any bad row (with its line) and nothing is
//! created.

use super::store;
use crate::backend::audit::{self, Actor, Event};
use crate::backend::ledger::group::{self, Reservation, Reserved};
use crate::backend::workers;
use crate::backend::AppState;
use crate::error::{AppError, Rule};
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::funds::{BatchStatus, BatchView, OrderStatus, Reason};
use crate::model::orders::{parse_batch, RowError};
use crate::model::worker::{WorkerInput, WorkerSource};
use crate::model::{Fen, UtcMillis};

/// What an upload produced: the batch, or every problem found.
#[derive(Debug)]
pub enum Upload {
    Created(BatchView),
    Rejected(Vec<RowError>),
}

pub async fn upload(
    state: &AppState,
    enterprise_id: &str,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<Upload, AppError> {
    let rows = match parse_batch(bytes) {
        Ok(rows) => rows,
        Err(errors) => return Ok(Upload::Rejected(errors)),
    };
    let now = state.clock.now();
    let batch_id = crate::backend::ids::new_id();
    let prepared: Vec<(u32, store::PreparedOrder)> = rows
        .iter()
        .map(|(line, input)| {
            (
                *line,
                super::prepare(state, enterprise_id, actor, input, Some((&batch_id, *line))),
            )
        })
        .collect();
    let mut tx = state.db.begin().await?;
    let new = NewBatch {
        id: &batch_id,
        enterprise_id,
        actor,
        file_name,
        action: "batch.upload",
        now,
    };
    let batch = match create(&mut tx, &new, &prepared).await? {
        Ok(batch) => batch,
        Err(errors) => return Ok(Upload::Rejected(errors)),
    };
    // Each row's payee joins the worker register (issue 18 §2), one per ID number.
    for (_, input) in &rows {
        let worker = WorkerInput {
            name: input.payee_name.clone(),
            id_number: input.id_number.clone(),
            mobile: input.mobile.clone(),
            channel: input.channel,
            account: input.account.clone(),
        };
        workers::register(
            state,
            &mut tx,
            enterprise_id,
            &worker,
            WorkerSource::Batch,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Upload::Created(batch))
}

/// A batch to write.
pub struct NewBatch<'a> {
    pub id: &'a str,
    pub enterprise_id: &'a str,
    pub actor: &'a Actor,
    pub file_name: &'a str,
    /// The audit entry's action (`batch.upload`, `task.pay`).
    pub action: &'a str,
    pub now: UtcMillis,
}

/// Writes a batch of prepared orders (with their lines) awaiting confirmation, in `tx`; the
/// lines whose `order_id` was used before when any was (then nothing is kept: the caller
/// rolls back).
pub async fn create(
    tx: &mut sqlx::AnyConnection,
    b: &NewBatch<'_>,
    prepared: &[(u32, store::PreparedOrder)],
) -> Result<Result<BatchView, Vec<RowError>>, AppError> {
    let NewBatch {
        id: batch_id,
        enterprise_id,
        actor,
        file_name,
        now,
        ..
    } = *b;
    let total_amount: i64 = prepared.iter().map(|(_, o)| o.charges.amount.0).sum();
    let total_fee: i64 = prepared.iter().map(|(_, o)| o.charges.fee.0).sum();
    let file_name: String = file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(120)
        .collect();
    sqlx::query(
        "INSERT INTO payment_batches (id, enterprise_id, file_name, status, order_count, total_amount, total_fee, created_by, created_at) \
         VALUES ($1, $2, $3, 'awaiting_confirmation', $4, $5, $6, $7, $8)",
    )
    .bind(batch_id)
    .bind(enterprise_id)
    .bind(&file_name)
    .bind(prepared.len() as i64)
    .bind(total_amount)
    .bind(total_fee)
    .bind(&actor.id)
    .bind(now.0)
    .execute(&mut *tx)
    .await
    ?;
    let refs: Vec<&store::PreparedOrder> = prepared.iter().map(|(_, o)| o).collect();
    let inserted = store::insert_new(
        &mut *tx,
        &refs,
        OrderStatus::AwaitingConfirmation,
        Reason::AwaitingConfirmation,
        now.0,
    )
    .await?;
    if inserted.len() != prepared.len() {
        // Some order_ids were used before: report them and write nothing.
        let inserted: std::collections::HashSet<&str> =
            inserted.iter().map(String::as_str).collect();
        let errors = prepared
            .iter()
            .filter(|(_, o)| !inserted.contains(o.client_key.as_str()))
            .map(|(line, _)| RowError {
                line: *line,
                field: "order_id".into(),
                rule: Rule::Taken,
            })
            .collect();
        return Ok(Err(errors));
    }
    audit::append(
        &mut *tx,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: b.action,
            target: &format!("batch:{batch_id}"),
            result: AuditResult::Ok,
            detail: &format!("{} orders", prepared.len()),
        },
        now,
    )
    .await?;
    Ok(Ok(BatchView {
        id: batch_id.to_string(),
        file_name,
        status: BatchStatus::AwaitingConfirmation,
        order_count: prepared.len() as i64,
        total_amount: Fen(total_amount),
        total_fee: Fen(total_fee),
        created_at: now,
    }))
}

/// Moves the batch out of awaiting-confirmation (compare and set).
async fn decide(
    tx: &mut sqlx::AnyConnection,
    enterprise_id: &str,
    id: &str,
    to: BatchStatus,
    actor: &Actor,
    now: i64,
) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE payment_batches SET status = $1, decided_by = $2, decided_at = $3 \
         WHERE id = $4 AND enterprise_id = $5 AND status = 'awaiting_confirmation'",
    )
    .bind(to.code())
    .bind(&actor.id)
    .bind(now)
    .bind(id)
    .bind(enterprise_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    let exists: Option<String> = sqlx::query_scalar(
        "SELECT status FROM payment_batches WHERE id = $1 AND enterprise_id = $2",
    )
    .bind(id)
    .bind(enterprise_id)
    .fetch_optional(&mut *tx)
    .await?;
    Err(match exists {
        Some(_) => AppError::Conflict(Conflict::BatchAlreadyDecided),
        None => AppError::NotFound,
    })
}

/// An order claimed by a confirmation: what its reservation needs.
#[derive(sqlx::FromRow)]
struct ClaimedRow {
    id: String,
    order_id: String,
    amount: i64,
    fee: i64,
    batch_line: Option<i64>,
    payee_index: Option<String>,
}

/// Confirms a batch: every order still waiting is reserved, in file order; those the balance
/// does not cover are suspended.
pub async fn confirm(
    state: &AppState,
    enterprise_id: &str,
    id: &str,
    actor: &Actor,
) -> Result<BatchView, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    decide(
        &mut tx,
        enterprise_id,
        id,
        BatchStatus::Confirmed,
        actor,
        now.0,
    )
    .await?;
    // Claim the batch's orders that are still waiting (one may have been cancelled on its
    // own meanwhile): the conditional update takes them, so a concurrent cancel either
    // happened before (the order is not claimed) or waits and then finds it accepted.
    let rows: Vec<ClaimedRow> = sqlx::query_as(
        "UPDATE payment_orders SET status = 'accepted', reason = 'funds_reserved', updated_at = $1 \
         WHERE batch_id = $2 AND status = 'awaiting_confirmation' RETURNING id, order_id, amount, fee, batch_line, payee_index",
    )
    .bind(now.0)
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    crate::backend::callbacks::events::orders_changed(&mut tx, &ids, now.0).await?;
    // Orders to payees who have not signed wait for their signature (issue 18 §2).
    let (rows, waiting) = if state.settings.pay_signed_workers_only {
        let orders: Vec<(&str, Option<&str>)> = rows
            .iter()
            .map(|r| (r.id.as_str(), r.payee_index.as_deref()))
            .collect();
        let unsigned = super::unsigned::unsigned_of(state, &mut tx, enterprise_id, &orders).await?;
        rows.into_iter().partition(|r| !unsigned.contains(&r.id))
    } else {
        (rows, Vec::new())
    };
    let waiting: Vec<&str> = waiting.iter().map(|r| r.id.as_str()).collect();
    store::set_status_many(
        &mut tx,
        &waiting,
        OrderStatus::Suspended,
        Reason::PayeeNotSigned,
        now.0,
    )
    .await?;
    let mut orders: Vec<(String, String, i64, i64)> = rows
        .into_iter()
        .map(|r| {
            (
                r.id,
                r.order_id,
                r.amount + r.fee,
                r.batch_line.unwrap_or(0),
            )
        })
        .collect();
    // Reserved in file order: when the balance runs out, the later lines wait.
    orders.sort_by_key(|o| o.3);
    let items: Vec<Reservation> = orders
        .iter()
        .map(|(oid, memo, gross, _)| Reservation {
            reference: oid,
            memo,
            gross: *gross,
        })
        .collect();
    let mut ledger = Reserved::default();
    let accepted = group::reserve_many(&mut tx, enterprise_id, &items, now.0, &mut ledger).await?;
    let (ok, short): (Vec<_>, Vec<_>) = orders.iter().zip(&accepted).partition(|(_, a)| **a);
    let short: Vec<&str> = short.iter().map(|(o, _)| o.0.as_str()).collect();
    store::set_status_many(
        &mut tx,
        &short,
        OrderStatus::Suspended,
        Reason::InsufficientBalance,
        now.0,
    )
    .await?;
    group::write(&mut tx, &ledger).await?;
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: "batch.confirm",
            target: &format!("batch:{id}"),
            result: AuditResult::Ok,
            detail: &format!(
                "{} reserved, {} suspended, {} waiting for a signature",
                ok.len(),
                short.len(),
                waiting.len()
            ),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    get(state, enterprise_id, id).await
}

/// Cancels a batch before it is confirmed: none of its orders will be paid.
pub async fn cancel(
    state: &AppState,
    enterprise_id: &str,
    id: &str,
    actor: &Actor,
) -> Result<BatchView, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    decide(
        &mut tx,
        enterprise_id,
        id,
        BatchStatus::Cancelled,
        actor,
        now.0,
    )
    .await?;
    let cancelled: Vec<String> = sqlx::query_scalar(
        "UPDATE payment_orders SET status = 'cancelled', reason = 'batch_cancelled', updated_at = $1 \
         WHERE batch_id = $2 AND status = 'awaiting_confirmation' RETURNING id",
    )
    .bind(now.0)
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let ids: Vec<&str> = cancelled.iter().map(String::as_str).collect();
    crate::backend::callbacks::events::orders_changed(&mut tx, &ids, now.0).await?;
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: "batch.cancel",
            target: &format!("batch:{id}"),
            result: AuditResult::Ok,
            detail: "",
        },
        now,
    )
    .await?;
    tx.commit().await?;
    get(state, enterprise_id, id).await
}

const BATCH_COLUMNS: &str =
    "id, file_name, status, order_count, total_amount, total_fee, created_at";

/// A batch selected with [`BATCH_COLUMNS`].
#[derive(sqlx::FromRow)]
struct BatchRow {
    id: String,
    file_name: String,
    #[sqlx(try_from = "String")]
    status: BatchStatus,
    order_count: i64,
    #[sqlx(try_from = "i64")]
    total_amount: Fen,
    #[sqlx(try_from = "i64")]
    total_fee: Fen,
    #[sqlx(try_from = "i64")]
    created_at: UtcMillis,
}

impl From<BatchRow> for BatchView {
    fn from(r: BatchRow) -> Self {
        BatchView {
            id: r.id,
            file_name: r.file_name,
            status: r.status,
            order_count: r.order_count,
            total_amount: r.total_amount,
            total_fee: r.total_fee,
            created_at: r.created_at,
        }
    }
}

pub async fn get(state: &AppState, enterprise_id: &str, id: &str) -> Result<BatchView, AppError> {
    let mut conn = state.db.conn().await?;
    let row: BatchRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {BATCH_COLUMNS} FROM payment_batches WHERE id = $1 AND enterprise_id = $2"
    )))
    .bind(id)
    .bind(enterprise_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(row.into())
}

/// The enterprise's latest batches.
pub async fn list(state: &AppState, enterprise_id: &str) -> Result<Vec<BatchView>, AppError> {
    let mut conn = state.db.conn().await?;
    let rows: Vec<BatchRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {BATCH_COLUMNS} FROM payment_batches WHERE enterprise_id = $1 ORDER BY created_at DESC, id LIMIT 20"
    )))
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(BatchView::from).collect())
}
