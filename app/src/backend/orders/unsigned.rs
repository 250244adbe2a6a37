//! Orders to payees who have not signed the worker service agreement (issue 18 §2), when
//! `--pay-signed-workers-only` is on: such an order waits, suspended with the reason "payee not
//! signed", without reserving money; the payee joins the worker register so that the enterprise
//! can invite them to sign; when they sign, their waiting orders are reserved (or suspended for
//! the balance, as any order) in the signature's transaction.

use super::store::{self, PreparedOrder};
use crate::backend::audit::{self, Event};
use crate::backend::ledger::group::{self, Reservation, Reserved};
use crate::backend::workers;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::funds::{OrderOutcome, OrderStatus, Reason};
use crate::model::orders::OrderInput;
use crate::model::worker::{WorkerInput, WorkerSource};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// Whether order `id` must still wait for its payee's signature.
pub async fn must_wait(
    state: &AppState,
    conn: &mut AnyConnection,
    enterprise_id: &str,
    id: &str,
) -> AppResult<bool> {
    if !state.settings.pay_signed_workers_only {
        return Ok(false);
    }
    let index = payee_index(state, conn, id).await?;
    Ok(!signed_locked(conn, enterprise_id, &index).await?)
}

/// The register's index of order `id`'s payee; an order made before it was kept (migration
/// 0032) has it worked out from its sealed ID number, and kept.
pub async fn payee_index(
    state: &AppState,
    conn: &mut AnyConnection,
    id: &str,
) -> AppResult<String> {
    let (index, sealed): (Option<String>, String) =
        sqlx::query_as("SELECT payee_index, id_number_enc FROM payment_orders WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(AppError::NotFound)?;
    if let Some(index) = index {
        return Ok(index);
    }
    let number = state
        .cipher
        .decrypt_text(&sealed, &super::ctx("id_number", id))
        .map_err(AppError::internal)?;
    let number = crate::model::orders::IdNumber::parse(&number)
        .map_err(|_| AppError::internal("a stored ID number does not parse"))?;
    let index = workers::index_of(state, &number);
    sqlx::query("UPDATE payment_orders SET payee_index = $1 WHERE id = $2")
        .bind(&index)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(index)
}

/// Whether the payee (by the register's index) has signed, the worker's row locked for the
/// transaction first: a signature or a release at the same moment waits for it, or it for them
/// (so an order is never left waiting for a signature already given).
async fn signed_locked(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    index: &str,
) -> AppResult<bool> {
    sqlx::query(
        "UPDATE workers SET updated_at = updated_at WHERE enterprise_id = $1 AND id_index = $2",
    )
    .bind(enterprise_id)
    .bind(index)
    .execute(&mut *conn)
    .await?;
    workers::is_signed(conn, enterprise_id, index).await
}

/// Creates one order with the switch on: the payee joins the register (their row locked); a
/// payee who has signed has the order made as any other (`Ok(None)`: the caller submits it);
/// otherwise it waits, suspended (a retried `order_id` answers as the committer does: the
/// original, or a conflict when the request differs).
pub async fn create_checked(
    state: &AppState,
    input: &OrderInput,
    order: &PreparedOrder,
) -> AppResult<Option<OrderOutcome>> {
    let now = state.clock.now();
    let (status, reason) = (OrderStatus::Suspended, Reason::PayeeNotSigned);
    let mut tx = state.db.begin().await?;
    let worker = WorkerInput {
        name: input.payee_name.clone(),
        id_number: input.id_number.clone(),
        mobile: input.mobile.clone(),
        channel: input.channel,
        account: input.account.clone(),
    };
    let eid = &order.enterprise_id;
    workers::register(state, &mut tx, eid, &worker, WorkerSource::Order, now).await?;
    if signed_locked(&mut tx, eid, &order.payee_index).await? {
        tx.commit().await?;
        return Ok(None);
    }
    let inserted = store::insert_new(&mut tx, &[order], status, reason, now.0).await?;
    if inserted.is_empty() {
        let found = store::by_client_keys(&mut tx, &[order.client_key.as_str()]).await?;
        return match found.into_iter().next() {
            Some((_, view, hash)) if hash == order.request_hash => Ok(Some(OrderOutcome {
                order: view,
                replayed: true,
            })),
            Some(_) => Err(AppError::Conflict(Conflict::OrderIdReused)),
            None => Err(AppError::internal("order neither inserted nor found")),
        };
    }
    let detail = format!(
        "{} {} (payee not signed)",
        order.order_id,
        order.charges.amount.to_yuan_plain()
    );
    let event = Event {
        actor: &order.actor,
        enterprise_id: Some(eid),
        action: "order.create",
        target: &format!("order:{}", order.id),
        result: AuditResult::Ok,
        detail: &detail,
    };
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(Some(OrderOutcome {
        order: order.view(status, reason, now.0),
        replayed: false,
    }))
}

/// An order claimed to go on.
#[derive(sqlx::FromRow)]
struct Claimed {
    id: String,
    order_id: String,
    amount: i64,
    fee: i64,
    created_at: i64,
}

/// In the signature's transaction: the enterprise's orders to this payee (by the register's
/// index) that waited for the signature are reserved, oldest first; those the balance does not
/// cover stay suspended for the balance. Returns how many were reserved.
pub async fn resume_signed(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    payee_index: &str,
    now: UtcMillis,
) -> AppResult<usize> {
    let mut rows: Vec<Claimed> = sqlx::query_as(
        "UPDATE payment_orders SET status = 'accepted', reason = 'funds_reserved', updated_at = $1 \
         WHERE enterprise_id = $2 AND payee_index = $3 AND status = 'suspended' AND reason = 'payee_not_signed' \
         RETURNING id, order_id, amount, fee, created_at",
    )
    .bind(now.0)
    .bind(enterprise_id)
    .bind(payee_index)
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    crate::backend::callbacks::events::orders_changed(conn, &ids, now.0).await?;
    rows.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    let items: Vec<Reservation> = rows
        .iter()
        .map(|r| Reservation {
            reference: &r.id,
            memo: &r.order_id,
            gross: r.amount + r.fee,
        })
        .collect();
    let mut ledger = Reserved::default();
    let accepted = group::reserve_many(conn, enterprise_id, &items, now.0, &mut ledger).await?;
    let short: Vec<&str> = rows
        .iter()
        .zip(&accepted)
        .filter(|(_, ok)| !**ok)
        .map(|(r, _)| r.id.as_str())
        .collect();
    let (suspended, reason) = (OrderStatus::Suspended, Reason::InsufficientBalance);
    store::set_status_many(conn, &short, suspended, reason, now.0).await?;
    group::write(conn, &ledger).await?;
    Ok(rows.len() - short.len())
}

/// In a batch's confirmation: which of the orders (`id`, their payee's index if kept) go to
/// payees who have not signed (each payee's row locked, as for a single order).
pub async fn unsigned_of(
    state: &AppState,
    conn: &mut AnyConnection,
    enterprise_id: &str,
    orders: &[(&str, Option<&str>)],
) -> AppResult<std::collections::HashSet<String>> {
    let mut signed = std::collections::HashMap::new();
    let mut out = std::collections::HashSet::new();
    for (id, index) in orders {
        let index = match index {
            Some(i) => i.to_string(),
            None => payee_index(state, conn, id).await?,
        };
        let ok = match signed.get(&index) {
            Some(ok) => *ok,
            None => {
                let ok = signed_locked(conn, enterprise_id, &index).await?;
                signed.insert(index, ok);
                ok
            }
        };
        if !ok {
            out.insert(id.to_string());
        }
    }
    Ok(out)
}
