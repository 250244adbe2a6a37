//! Payment orders to individual workers (P1.1.5, P6.1): created one by one or in batches,
//! reserved in the ledger at acceptance, paid through a payout channel by the background
//! worker, and settled (post, void or reverse) exactly once.

pub mod batches;
pub mod committer;
pub mod settle;
pub mod store;
pub mod unsigned;

pub use unsigned::resume_signed;

use crate::backend::audit::{self, Actor, Event};
use crate::backend::ledger::{self, Leg, NewTx, TxKind};
use crate::backend::AppState;
use crate::error::AppError;
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::funds::{
    Category, EntAccount, OrderOutcome, OrderPage, OrderSecrets, OrderStatus, OrderView, Reason,
};
use crate::model::orders::OrderInput;
use sqlx::AssertSqlSafe;
use store::PreparedOrder;

/// Encryption contexts bind each ciphertext to its row and column.
pub fn ctx(column: &str, id: &str) -> String {
    format!("payment_orders.{column}:{id}")
}

/// Validated input → a row ready to write: priced by the one fee rule, numbers encrypted,
/// the body hashed (keyed, so the hash does not reveal an ID number) for idempotency.
pub fn prepare(
    state: &AppState,
    enterprise_id: &str,
    actor: &Actor,
    input: &OrderInput,
    batch: Option<(&str, u32)>,
) -> PreparedOrder {
    let id = crate::backend::ids::new_time_ordered_id();
    let c = &state.cipher;
    PreparedOrder {
        enterprise_id: enterprise_id.to_string(),
        client_key: format!("{enterprise_id}/{}", input.order_id.as_str()),
        order_id: input.order_id.as_str().to_string(),
        request_hash: state.index.of("payment_order", &input.canonical()),
        batch_id: batch.map(|(id, _)| id.to_string()),
        batch_line: batch.map(|(_, line)| line),
        payee_name: input.payee_name.clone(),
        id_number_enc: c.encrypt_text(input.id_number.expose(), &ctx("id_number", &id)),
        id_hint: input.id_number.masked(),
        channel: input.channel,
        account_enc: c.encrypt_text(input.account.expose(), &ctx("account", &id)),
        account_hint: input.account.masked(input.channel),
        mobile_enc: c.encrypt_text(input.mobile.as_str(), &ctx("mobile", &id)),
        mobile_hint: input.mobile.masked(),
        charges: state.settings.fees.charges(input.amount),
        remark: input.remark.clone(),
        project: input.project.clone(),
        task_id: None,
        completion_id: None,
        payee_index: crate::backend::workers::index_of(state, &input.id_number),
        created_by: actor.id.clone(),
        actor: actor.clone(),
        via_api: false,
        id,
    }
}

/// Creates one order (or returns the original for a retried `order_id`).
pub async fn create(
    state: &AppState,
    enterprise_id: &str,
    actor: &Actor,
    input: &OrderInput,
) -> Result<OrderOutcome, AppError> {
    let order = prepare(state, enterprise_id, actor, input, None);
    if state.settings.pay_signed_workers_only {
        if let Some(waiting) = unsigned::create_checked(state, input, &order).await? {
            return Ok(waiting);
        }
    }
    state.orders.submit(order).await
}

/// [`create`] for the open API (issue 19): the answer, which carries the order's personal
/// fields, is logged as a sharing event to the enterprise's own system — in the group's
/// transaction, so an order and the record of its answer are written together.
pub async fn create_via_api(
    state: &AppState,
    enterprise_id: &str,
    actor: &Actor,
    input: &OrderInput,
) -> Result<OrderOutcome, AppError> {
    let mut order = prepare(state, enterprise_id, actor, input, None);
    order.via_api = true;
    if state.settings.pay_signed_workers_only {
        if let Some(waiting) = unsigned::create_checked(state, input, &order).await? {
            let mut conn = state.db.conn().await?;
            let rows = [(enterprise_id, waiting.order.order_id.as_str())];
            crate::backend::sharing::record_api_orders(&mut conn, &rows, state.clock.now()).await?;
            return Ok(waiting);
        }
    }
    state.orders.submit(order).await
}

/// The enterprise's orders, newest first, optionally by status or batch.
pub async fn list(
    state: &AppState,
    enterprise_id: &str,
    status: Option<OrderStatus>,
    batch_id: Option<&str>,
    cursor: Option<&str>,
) -> Result<OrderPage, AppError> {
    const PAGE: i64 = 50;
    let (c_at, c_id) = match cursor.and_then(|c| c.split_once('.')) {
        Some((at, id)) => (at.parse::<i64>().unwrap_or(i64::MAX), id.to_string()),
        None => (i64::MAX, String::new()),
    };
    let mut sql = format!(
        "SELECT {} FROM payment_orders WHERE enterprise_id = $1 \
         AND (created_at < $2 OR (created_at = $2 AND id < $3))",
        store::COLUMNS
    );
    if status.is_some() {
        sql.push_str(" AND status = $5");
    }
    if batch_id.is_some() {
        sql.push_str(if status.is_some() {
            " AND batch_id = $6"
        } else {
            " AND batch_id = $5"
        });
    }
    sql.push_str(" ORDER BY created_at DESC, id DESC LIMIT $4");
    let mut q = sqlx::query_as::<_, store::OrderRow>(AssertSqlSafe(sql))
        .bind(enterprise_id)
        .bind(c_at)
        .bind(if c_id.is_empty() {
            "~".to_string()
        } else {
            c_id
        })
        .bind(PAGE + 1);
    if let Some(s) = status {
        q = q.bind(s.code());
    }
    if let Some(b) = batch_id {
        q = q.bind(b);
    }
    let mut conn = state.db.conn().await?;
    let rows = q.fetch_all(&mut *conn).await?;
    let mut orders: Vec<OrderView> = rows.into_iter().map(Into::into).collect();
    let next_cursor = if orders.len() as i64 > PAGE {
        orders.truncate(PAGE as usize);
        orders
            .last()
            .map(|o| format!("{}.{}", o.created_at.0, o.id))
    } else {
        None
    };
    Ok(OrderPage {
        orders,
        next_cursor,
    })
}

/// One order of the enterprise.
pub async fn get(state: &AppState, enterprise_id: &str, id: &str) -> Result<OrderView, AppError> {
    get_where(state, enterprise_id, "id", id).await
}

/// The enterprise's order with its own `order_id` (the open API's key; another enterprise's is
/// not found).
pub async fn get_by_order_id(
    state: &AppState,
    enterprise_id: &str,
    order_id: &str,
) -> Result<OrderView, AppError> {
    let key = format!("{enterprise_id}/{order_id}");
    get_where(state, enterprise_id, "client_key", &key).await
}

async fn get_where(
    state: &AppState,
    enterprise_id: &str,
    column: &'static str,
    id: &str,
) -> Result<OrderView, AppError> {
    let mut conn = state.db.conn().await?;
    let sql = format!(
        "SELECT {} FROM payment_orders WHERE {column} = $1 AND enterprise_id = $2",
        store::COLUMNS
    );
    let row: store::OrderRow = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .bind(enterprise_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(row.into())
}

/// An order's encrypted numbers (no `Debug`: ciphertext stays out of logs).
#[derive(sqlx::FromRow)]
struct SecretsRow {
    id_number_enc: String,
    account_enc: String,
    mobile_enc: String,
    order_id: String,
}

/// The full ID-card, account and mobile numbers of one order, for an authorised person.
/// Every look is audited.
pub async fn reveal(
    state: &AppState,
    enterprise_id: &str,
    id: &str,
    actor: &Actor,
) -> Result<OrderSecrets, AppError> {
    let mut conn = state.db.conn().await?;
    let row: SecretsRow = sqlx::query_as(
        "SELECT id_number_enc, account_enc, mobile_enc, order_id FROM payment_orders WHERE id = $1 AND enterprise_id = $2",
    )
    .bind(id)
    .bind(enterprise_id)
    .fetch_optional(&mut *conn)
    .await
    ?
    .ok_or(AppError::NotFound)?;
    drop(conn);
    let dec = |col: &str, stored: String| {
        state
            .cipher
            .decrypt_text(&stored, &ctx(col, id))
            .map_err(AppError::internal)
    };
    let secrets = OrderSecrets {
        id_number: dec("id_number", row.id_number_enc)?,
        account: dec("account", row.account_enc)?,
        mobile: dec("mobile", row.mobile_enc)?,
    };
    audit::record(
        &state.db,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: "order.reveal",
            target: &format!("order:{id}"),
            result: AuditResult::Ok,
            detail: &row.order_id,
        },
        state.clock.now(),
    )
    .await?;
    Ok(secrets)
}

/// Cancels a suspended order, or an accepted one the worker has not taken yet (its
/// reservation is voided).
pub async fn cancel(
    state: &AppState,
    enterprise_id: &str,
    id: &str,
    actor: &Actor,
) -> Result<OrderView, AppError> {
    let now = state.clock.now();
    let order = get(state, enterprise_id, id).await?;
    let mut tx = state.db.begin().await?;
    let from = store::transition(
        &mut tx,
        id,
        &[
            OrderStatus::Suspended,
            OrderStatus::Accepted,
            OrderStatus::AwaitingConfirmation,
        ],
        OrderStatus::Cancelled,
        Reason::CancelledByEnterprise,
        now.0,
    )
    .await?
    .ok_or(AppError::Conflict(Conflict::OrderNotCancellable))?;
    if from == OrderStatus::Accepted {
        void_reservation(&mut tx, enterprise_id, &order, now.0).await?;
    }
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: "order.cancel",
            target: &format!("order:{id}"),
            result: AuditResult::Ok,
            detail: &order.order_id,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    get(state, enterprise_id, id).await
}

/// Returns a reserved order's money to the available balance (failed or cancelled).
pub async fn void_reservation(
    conn: &mut sqlx::AnyConnection,
    enterprise_id: &str,
    order: &OrderView,
    now: i64,
) -> Result<(), ledger::LedgerError> {
    let gross = order.charges.gross.0;
    ledger::post(
        conn,
        NewTx {
            kind: TxKind::OrderVoid,
            enterprise_id: enterprise_id.to_string(),
            reference: order.id.clone(),
            memo: order.order_id.clone(),
            reverses: None,
            legs: vec![
                Leg::ent(
                    enterprise_id,
                    EntAccount::Reserved,
                    Category::Release,
                    -gross,
                ),
                Leg::ent(
                    enterprise_id,
                    EntAccount::Available,
                    Category::Release,
                    gross,
                ),
            ],
        },
        now,
    )
    .await?;
    Ok(())
}

/// Tries a suspended order again: reserved if the balance now covers it, else it stays
/// suspended.
pub async fn retry(
    state: &AppState,
    enterprise_id: &str,
    id: &str,
    actor: &Actor,
) -> Result<OrderView, AppError> {
    let now = state.clock.now();
    let order = get(state, enterprise_id, id).await?;
    if order.status != OrderStatus::Suspended {
        return Err(AppError::Conflict(Conflict::OrderNotSuspended));
    }
    let mut tx = state.db.begin().await?;
    // An order waiting for its payee's signature goes on when they sign, not before.
    if order.reason == Reason::PayeeNotSigned
        && unsigned::must_wait(state, &mut tx, enterprise_id, id).await?
    {
        return Err(AppError::Conflict(Conflict::PayeeNotSigned));
    }
    // Claim the order first (compare and set), so two retries cannot both reserve.
    store::transition(
        &mut tx,
        id,
        &[OrderStatus::Suspended],
        OrderStatus::Accepted,
        Reason::FundsReserved,
        now.0,
    )
    .await?
    .ok_or(AppError::Conflict(Conflict::OrderNotSuspended))?;
    let mut ledger_rows = crate::backend::ledger::group::Reserved::default();
    let accepted = crate::backend::ledger::group::reserve_many(
        &mut tx,
        enterprise_id,
        &[crate::backend::ledger::group::Reservation {
            reference: id,
            memo: &order.order_id,
            gross: order.charges.gross.0,
        }],
        now.0,
        &mut ledger_rows,
    )
    .await?;
    if !accepted[0] {
        // Still not covered: nothing changes (the claim is rolled back).
        return Err(AppError::Conflict(Conflict::InsufficientBalance));
    }
    // A suspended order was never reserved, and an order is reserved at most once, so the
    // order's id stays the reservation's unique reference.
    crate::backend::ledger::group::write(&mut tx, &ledger_rows).await?;
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: "order.retry",
            target: &format!("order:{id}"),
            result: AuditResult::Ok,
            detail: &order.order_id,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    get(state, enterprise_id, id).await
}
