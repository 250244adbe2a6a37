//! Completion records and their payment (issue 18 §1, P1.1.6): the enterprise records work done
//! on a task (the worker joins the register), accepts it explicitly, and turns the accepted
//! records into a payment batch — one order per record, carrying the task and the record —
//! which the existing batch confirmation then reserves and pays. A task's budget bounds its
//! records; its money (accepted, paid) is reconciled with the ledger.

use crate::backend::audit::{self, Actor, Event};
use crate::backend::orders::{self, batches};
use crate::backend::workers;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::conflict::Conflict;
use crate::model::funds::{BatchView, Channel, OrderStatus};
use crate::model::orders::{IdNumber, OrderId, OrderInput, PayeeAccount};
use crate::model::task::completion::{
    fits_budget, order_is_dead, CompletionInput, CompletionStatus, CompletionView, TaskMoney,
};
use crate::model::task::TaskView;
use crate::model::worker::WorkerSource;
use crate::model::{account::Mobile, Fen, UtcMillis};
use sqlx::AnyConnection;

/// Takes the task's row lock (both engines: an update that changes nothing), so that the
/// budget check and the write that follows see every other record of the task; the task, or
/// `NotFound` when it is not the enterprise's.
async fn lock_task(conn: &mut AnyConnection, enterprise_id: &str, id: &str) -> AppResult<TaskView> {
    let locked = sqlx::query(
        "UPDATE tasks SET updated_at = updated_at WHERE id = $1 AND enterprise_id = $2",
    )
    .bind(id)
    .bind(enterprise_id)
    .execute(&mut *conn)
    .await?;
    if locked.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    super::store::views(conn, "t.id = $1", &[id], false)
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)
}

/// Records work done on an open (or closed) task; the worker joins the register. Returns the
/// record's id.
pub async fn record(
    state: &AppState,
    actor: &Actor,
    enterprise_id: &str,
    task_id: &str,
    input: &CompletionInput,
) -> AppResult<String> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let task = lock_task(&mut tx, enterprise_id, task_id).await?;
    if !task.status.accepts_completions() {
        return Err(AppError::Conflict(Conflict::TaskNotOpen));
    }
    let used = money(&mut tx, enterprise_id, task_id).await?;
    if !fits_budget(&task.task, &used, input.amount, input.quantity) {
        return Err(AppError::Conflict(Conflict::OverBudget));
    }
    let w = workers::register(
        state,
        &mut tx,
        enterprise_id,
        &input.worker,
        WorkerSource::Completion,
        now,
    )
    .await?;
    let id = crate::backend::ids::new_id();
    let recorded_by = person_of(&mut tx, actor, enterprise_id).await?;
    sqlx::query(
        "INSERT INTO task_completions (id, task_id, enterprise_id, worker_id, account_id, quantity, milestone, \
         amount, status, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'recorded', $9, $10)",
    )
    .bind(&id)
    .bind(task_id)
    .bind(enterprise_id)
    .bind(&w.worker_id)
    .bind(&w.account_id)
    .bind(input.quantity)
    .bind(&input.milestone)
    .bind(input.amount.0)
    .bind(&recorded_by)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    let detail = format!("{} {}", task.task.title, input.amount);
    log(
        &mut tx,
        actor,
        enterprise_id,
        "task.completion.record",
        &id,
        &detail,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// What the enterprise does to a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The work is accepted: it may be paid.
    Accept,
    /// A mistaken record is taken back (before acceptance).
    Withdraw,
}

/// The login person a record names for `actor`: itself, or through the open API the admin who
/// issued the key (the key stays the audit trail's actor; issue 19).
async fn person_of(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    enterprise_id: &str,
) -> AppResult<String> {
    match actor.kind {
        crate::model::audit::ActorKind::ApiKey => sqlx::query_scalar(
            "SELECT created_by FROM api_credentials WHERE key_id = $1 AND enterprise_id = $2",
        )
        .bind(&actor.id)
        .bind(enterprise_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::Forbidden),
        _ => Ok(actor.id.clone()),
    }
}

/// Accepts or withdraws a recorded completion (compare and set: two clicks, one change).
pub async fn step(
    state: &AppState,
    actor: &Actor,
    enterprise_id: &str,
    id: &str,
    step: Step,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    // Who withdrew a record, and when, is in the audit trail.
    let (to, set, action) = match step {
        Step::Accept => (
            CompletionStatus::Accepted,
            ", accepted_by = $4, accepted_at = $5",
            "task.completion.accept",
        ),
        Step::Withdraw => (CompletionStatus::Withdrawn, "", "task.completion.withdraw"),
    };
    let sql = format!(
        "UPDATE task_completions SET status = $1{set} WHERE id = $2 AND enterprise_id = $3 AND status = 'recorded'"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(to.code())
        .bind(id)
        .bind(enterprise_id);
    let accepted_by = match step {
        Step::Accept => person_of(&mut tx, actor, enterprise_id).await?,
        Step::Withdraw => String::new(),
    };
    if step == Step::Accept {
        q = q.bind(accepted_by).bind(now.0);
    }
    if q.execute(&mut *tx).await?.rows_affected() != 1 {
        let exists: Option<String> = sqlx::query_scalar(
            "SELECT status FROM task_completions WHERE id = $1 AND enterprise_id = $2",
        )
        .bind(id)
        .bind(enterprise_id)
        .fetch_optional(&mut *tx)
        .await?;
        return Err(match exists {
            Some(_) => AppError::Conflict(Conflict::CompletionMovedOn),
            None => AppError::NotFound,
        });
    }
    log(&mut tx, actor, enterprise_id, action, id, "", now).await?;
    Ok(tx.commit().await?)
}

/// A payable record: what its order needs.
#[derive(sqlx::FromRow)]
struct PayableRow {
    id: String,
    worker_id: String,
    account_id: String,
    quantity: i64,
    milestone: String,
    amount: i64,
    order_ref: Option<String>,
    #[sqlx(try_from = "String")]
    order_status: OptionalStatus,
}

/// An order's status, or none (a LEFT JOIN's empty side reads as '').
struct OptionalStatus(Option<OrderStatus>);

impl TryFrom<String> for OptionalStatus {
    type Error = crate::model::UnknownCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        if s.is_empty() {
            return Ok(OptionalStatus(None));
        }
        OrderStatus::from_stored(&s, "payment_orders.status").map(|s| OptionalStatus(Some(s)))
    }
}

/// Turns the task's accepted, unpaid records into a payment batch awaiting confirmation: one
/// order per record (its `order_id` `task-…`, its remark the milestone, its project the task),
/// carrying the task and the record. The records are claimed in the same transaction, so a
/// second click finds nothing to pay.
pub async fn pay(
    state: &AppState,
    actor: &Actor,
    enterprise_id: &str,
    task_id: &str,
) -> AppResult<BatchView> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let task = lock_task(&mut tx, enterprise_id, task_id).await?;
    let rows: Vec<PayableRow> = sqlx::query_as(
        "SELECT c.id, c.worker_id, c.account_id, c.quantity, c.milestone, c.amount, c.order_ref, \
         COALESCE(o.status, '') AS order_status FROM task_completions c \
         LEFT JOIN payment_orders o ON o.id = c.order_ref \
         WHERE c.task_id = $1 AND c.enterprise_id = $2 AND c.status = 'accepted' ORDER BY c.recorded_at, c.id",
    )
    .bind(task_id)
    .bind(enterprise_id)
    .fetch_all(&mut *tx)
    .await?;
    let rows: Vec<PayableRow> = rows
        .into_iter()
        .filter(|r| r.order_status.0.is_none_or(order_is_dead))
        .collect();
    if rows.is_empty() {
        return Err(AppError::Conflict(Conflict::NothingToPay));
    }
    let batch_id = crate::backend::ids::new_id();
    let mut prepared = Vec::with_capacity(rows.len());
    for (n, r) in rows.iter().enumerate() {
        let input = order_input(state, &mut tx, &task, r).await?;
        let mut order = orders::prepare(
            state,
            enterprise_id,
            actor,
            &input,
            Some((&batch_id, n as u32 + 1)),
        );
        order.task_id = Some(task_id.to_string());
        order.completion_id = Some(r.id.clone());
        // Claimed: unless another payment took the record meanwhile.
        let claimed = sqlx::query(
            "UPDATE task_completions SET order_ref = $1 WHERE id = $2 AND status = 'accepted' \
             AND (order_ref IS NULL OR order_ref = $3)",
        )
        .bind(&order.id)
        .bind(&r.id)
        .bind(r.order_ref.as_deref().unwrap_or(""))
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            return Err(AppError::Conflict(Conflict::CompletionMovedOn));
        }
        prepared.push((n as u32 + 1, order));
    }
    let file_name = format!("{} ({})", task.task.title, now.china_date());
    let new = batches::NewBatch {
        id: &batch_id,
        enterprise_id,
        actor,
        file_name: &file_name,
        action: "task.pay",
        now,
    };
    let batch = batches::create(&mut tx, &new, &prepared)
        .await?
        .map_err(|_| AppError::internal("a task payment's order id was taken"))?;
    tx.commit().await?;
    Ok(batch)
}

/// The order paying one record, from the worker's sealed details.
async fn order_input(
    state: &AppState,
    conn: &mut AnyConnection,
    task: &TaskView,
    r: &PayableRow,
) -> AppResult<OrderInput> {
    let p = workers::payee(state, conn, &r.worker_id, &r.account_id).await?;
    let bad = |what: &str| AppError::internal(format!("a worker's stored {what} does not parse"));
    let channel = Channel::parse(&p.channel).ok_or_else(|| bad("channel"))?;
    let remark = if r.milestone.is_empty() {
        format!("× {}", r.quantity)
    } else {
        r.milestone.clone()
    };
    Ok(OrderInput {
        order_id: OrderId::parse(&format!("task-{}", crate::backend::ids::new_id()))
            .map_err(|_| bad("order id"))?,
        payee_name: p.name,
        id_number: IdNumber::parse(&p.id_number).map_err(|_| bad("ID number"))?,
        channel,
        account: PayeeAccount::parse(channel, &p.account).map_err(|_| bad("account"))?,
        mobile: Mobile::parse(&p.mobile).map_err(|_| bad("mobile"))?,
        amount: Fen(r.amount),
        remark,
        project: task.task.title.clone(),
    })
}

/// A task's money: its records (withdrawn ones excluded), what is accepted, what its paid
/// orders paid, and the same payments as the ledger booked them.
pub async fn money(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    task_id: &str,
) -> AppResult<TaskMoney> {
    let (recorded, units, accepted): (i64, i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT), CAST(COALESCE(SUM(quantity), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status = 'accepted' THEN amount ELSE 0 END), 0) AS BIGINT) \
         FROM task_completions WHERE task_id = $1 AND enterprise_id = $2 AND status <> 'withdrawn'",
    )
    .bind(task_id)
    .bind(enterprise_id)
    .fetch_one(&mut *conn)
    .await?;
    let (paid, orders_gross): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT), CAST(COALESCE(SUM(amount + fee), 0) AS BIGINT) \
         FROM payment_orders WHERE task_id = $1 AND enterprise_id = $2 AND status = 'paid'",
    )
    .bind(task_id)
    .bind(enterprise_id)
    .fetch_one(&mut *conn)
    .await?;
    // Posting an order takes its amount and fee out of the reserved account; reversing it
    // returns both to the available one: the net of the two is what the orders paid.
    let ledger: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(-SUM(p.amount), 0) AS BIGINT) FROM ledger_postings p \
         JOIN ledger_transactions t ON t.id = p.tx_id \
         WHERE t.kind IN ('order_post', 'order_reverse') AND p.enterprise_id = $2 \
         AND t.reference IN (SELECT id FROM payment_orders WHERE task_id = $1 AND enterprise_id = $2)",
    )
    .bind(task_id)
    .bind(enterprise_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(TaskMoney {
        recorded: Fen(recorded),
        units,
        accepted: Fen(accepted),
        paid: Fen(paid),
        ledger_gross: Fen(ledger),
        orders_gross: Fen(orders_gross),
    })
}

#[derive(sqlx::FromRow)]
struct CompletionRow {
    id: String,
    worker_id: String,
    worker_name: String,
    id_hint: String,
    #[sqlx(try_from = "String")]
    channel: Channel,
    account_hint: String,
    quantity: i64,
    milestone: String,
    #[sqlx(try_from = "i64")]
    amount: Fen,
    #[sqlx(try_from = "String")]
    status: CompletionStatus,
    #[sqlx(try_from = "i64")]
    recorded_at: UtcMillis,
    accepted_at: Option<i64>,
    accepted_by: String,
    order_ref: Option<String>,
    #[sqlx(try_from = "String")]
    order_status: OptionalStatus,
}

/// The task's records, oldest first.
pub async fn list(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    task_id: &str,
) -> AppResult<Vec<CompletionView>> {
    let rows: Vec<CompletionRow> = sqlx::query_as(
        "SELECT c.id, c.worker_id, w.name AS worker_name, w.id_hint, a.channel, a.account_hint, c.quantity, \
         c.milestone, c.amount, c.status, c.recorded_at, c.accepted_at, COALESCE(u.name, '') AS accepted_by, \
         c.order_ref, COALESCE(o.status, '') AS order_status FROM task_completions c \
         JOIN workers w ON w.id = c.worker_id JOIN worker_accounts a ON a.id = c.account_id \
         LEFT JOIN users u ON u.id = c.accepted_by LEFT JOIN payment_orders o ON o.id = c.order_ref \
         WHERE c.task_id = $1 AND c.enterprise_id = $2 ORDER BY c.recorded_at, c.id LIMIT 2000",
    )
    .bind(task_id)
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CompletionView {
            id: r.id,
            worker_id: r.worker_id,
            worker_name: r.worker_name,
            id_masked: r.id_hint,
            channel: r.channel,
            account_masked: r.account_hint,
            quantity: r.quantity,
            milestone: r.milestone,
            amount: r.amount,
            status: r.status,
            recorded_at: r.recorded_at,
            accepted_at: r.accepted_at.map(UtcMillis),
            accepted_by: r.accepted_by,
            order: r.order_ref.zip(r.order_status.0),
        })
        .collect())
}

async fn log(
    conn: &mut AnyConnection,
    actor: &Actor,
    enterprise_id: &str,
    action: &str,
    id: &str,
    detail: &str,
    now: UtcMillis,
) -> AppResult<()> {
    let target = format!("completion:{id}");
    let event = Event::in_enterprise(actor, enterprise_id, action, &target, detail);
    audit::append(conn, &event, now).await?;
    Ok(())
}
