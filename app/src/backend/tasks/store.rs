//! The task library's SQL (issue 18 §1): rows read into views, inserts and guarded status
//! changes.

use crate::error::AppResult;
use crate::model::task::{PayKind, TaskInput, TaskStatus, TaskView};
use crate::model::{Fen, UtcMillis};
use sqlx::AnyConnection;

const COLUMNS: &str = "t.id, e.name AS enterprise_name, t.title, t.description, t.category, t.remote, t.city, \
    t.pay_kind, t.unit_price, t.units, t.budget, t.workers, t.starts_on, t.ends_on, t.status, t.flags, \
    t.review_note, u.name AS publisher, t.updated_at, t.submitted_at, t.decided_at, t.closed_at";

#[derive(sqlx::FromRow)]
struct TaskRow {
    id: String,
    enterprise_name: String,
    title: String,
    description: String,
    category: String,
    remote: i64,
    city: String,
    pay_kind: String,
    unit_price: i64,
    units: i64,
    budget: i64,
    workers: i64,
    starts_on: String,
    ends_on: String,
    #[sqlx(try_from = "String")]
    status: TaskStatus,
    flags: String,
    review_note: String,
    publisher: String,
    #[sqlx(try_from = "i64")]
    updated_at: UtcMillis,
    submitted_at: Option<i64>,
    decided_at: Option<i64>,
    closed_at: Option<i64>,
}

impl TryFrom<TaskRow> for TaskView {
    type Error = crate::model::UnknownCode;
    fn try_from(r: TaskRow) -> Result<Self, Self::Error> {
        let pay_kind = match r.pay_kind.as_str() {
            "" => None,
            code => Some(PayKind::from_stored(code, "tasks.pay_kind")?),
        };
        Ok(TaskView {
            id: r.id,
            enterprise_name: r.enterprise_name,
            task: TaskInput {
                title: r.title,
                description: r.description,
                category: r.category,
                remote: r.remote != 0,
                city: r.city,
                pay_kind,
                unit_price: Fen(r.unit_price),
                units: r.units,
                budget: Fen(r.budget),
                workers: r.workers,
                starts_on: r.starts_on,
                ends_on: r.ends_on,
            },
            status: r.status,
            flags: r.flags.lines().map(str::to_string).collect(),
            review_note: r.review_note,
            publisher: r.publisher,
            updated_at: r.updated_at,
            submitted_at: r.submitted_at.map(UtcMillis),
            decided_at: r.decided_at.map(UtcMillis),
            closed_at: r.closed_at.map(UtcMillis),
        })
    }
}

/// Tasks matching `filter` (with `$1`… bound to `args`): the review queue oldest submitted
/// first, the enterprise's newest first; at most 500.
pub async fn views(
    conn: &mut AnyConnection,
    filter: &str,
    args: &[&str],
    oldest_first: bool,
) -> AppResult<Vec<TaskView>> {
    let order = if oldest_first {
        "COALESCE(t.submitted_at, t.created_at), t.id"
    } else {
        "t.created_at DESC, t.id"
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM tasks t JOIN enterprises e ON e.id = t.enterprise_id \
         JOIN users u ON u.id = t.created_by WHERE {filter} ORDER BY {order} LIMIT 500"
    );
    let mut q = sqlx::query_as::<_, TaskRow>(sqlx::AssertSqlSafe(sql));
    for a in args {
        q = q.bind(*a);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(TaskView::try_from)
        .collect::<Result<_, _>>()?)
}

/// The task a form key already made: its id, status and title.
#[derive(sqlx::FromRow)]
pub struct Keyed {
    pub id: String,
    #[sqlx(try_from = "String")]
    pub status: TaskStatus,
    pub title: String,
}

pub async fn by_key(conn: &mut AnyConnection, client_key: &str) -> AppResult<Option<Keyed>> {
    Ok(
        sqlx::query_as("SELECT id, status, title FROM tasks WHERE client_key = $1")
            .bind(client_key)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// A new draft; `false` when the form key already made one (two posts at once: one wins).
pub async fn insert(
    conn: &mut AnyConnection,
    id: &str,
    enterprise_id: &str,
    client_key: &str,
    t: &TaskInput,
    user_id: &str,
    now: UtcMillis,
) -> AppResult<bool> {
    let q = sqlx::query(
        "INSERT INTO tasks (id, enterprise_id, client_key, title, description, category, remote, city, pay_kind, \
         unit_price, units, budget, workers, starts_on, ends_on, status, flags, review_note, created_by, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'draft', '', '', $16, $17, $17) \
         ON CONFLICT (client_key) DO NOTHING",
    )
    .bind(id)
    .bind(enterprise_id)
    .bind(client_key);
    let done = bind_fields(q, t)
        .bind(user_id)
        .bind(now.0)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes an editable task's fields, if it is still in `status`.
pub async fn update(
    conn: &mut AnyConnection,
    id: &str,
    enterprise_id: &str,
    status: TaskStatus,
    t: &TaskInput,
    now: UtcMillis,
) -> AppResult<bool> {
    let q = sqlx::query(
        "UPDATE tasks SET title = $1, description = $2, category = $3, remote = $4, city = $5, pay_kind = $6, \
         unit_price = $7, units = $8, budget = $9, workers = $10, starts_on = $11, ends_on = $12, updated_at = $13 \
         WHERE id = $14 AND enterprise_id = $15 AND status = $16",
    );
    let done = bind_fields(q, t)
        .bind(now.0)
        .bind(id)
        .bind(enterprise_id)
        .bind(status.code())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Binds a task's twelve fields, in the columns' order of the insert and the update.
fn bind_fields<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    t: &'q TaskInput,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    q.bind(&t.title)
        .bind(&t.description)
        .bind(&t.category)
        .bind(i64::from(t.remote))
        .bind(&t.city)
        .bind(t.pay_kind.map(PayKind::code).unwrap_or(""))
        .bind(t.unit_price.0)
        .bind(t.units)
        .bind(t.budget.0)
        .bind(t.workers)
        .bind(&t.starts_on)
        .bind(&t.ends_on)
}

/// The status of the enterprise's task `id`.
pub async fn status_of(
    conn: &mut AnyConnection,
    id: &str,
    enterprise_id: &str,
) -> AppResult<Option<TaskStatus>> {
    let s: Option<String> =
        sqlx::query_scalar("SELECT status FROM tasks WHERE id = $1 AND enterprise_id = $2")
            .bind(id)
            .bind(enterprise_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(s.map(|s| TaskStatus::from_stored(&s, "tasks.status"))
        .transpose()?)
}

/// Moves task `id` from one of `from` to `to`, setting `set` too (`$3` is now, `$4`… the
/// `vals`). `false` when it was no longer in one of `from`.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: &str,
    from: &[TaskStatus],
    to: TaskStatus,
    set: &str,
    vals: &[&str],
    now: UtcMillis,
) -> AppResult<bool> {
    // The codes are the enum's own, never input.
    let list = from
        .iter()
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE tasks SET status = $1, updated_at = $3, {set} WHERE id = $2 AND status IN ({list})"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(to.code())
        .bind(id)
        .bind(now.0);
    for v in vals {
        q = q.bind(*v);
    }
    if q.execute(&mut *conn).await?.rows_affected() != 1 {
        return Ok(false);
    }
    crate::backend::callbacks::events::task_changed(conn, id, now.0).await?;
    Ok(true)
}

/// What a decision needs of a task: its status, title, enterprise and publisher.
#[derive(sqlx::FromRow)]
pub struct Publisher {
    #[sqlx(try_from = "String")]
    pub status: TaskStatus,
    pub title: String,
    pub ends_on: String,
    pub enterprise_id: String,
    pub created_by: String,
}

pub async fn publisher_of(conn: &mut AnyConnection, id: &str) -> AppResult<Option<Publisher>> {
    Ok(sqlx::query_as(
        "SELECT status, title, ends_on, enterprise_id, created_by FROM tasks WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// An open task past its end date.
#[derive(sqlx::FromRow)]
pub struct Ended {
    pub id: String,
    pub title: String,
    pub ends_on: String,
    pub enterprise_id: String,
    pub created_by: String,
}

/// Open tasks whose end date is before `today` (China dates compare as text).
pub async fn ended(conn: &mut AnyConnection, today: &str) -> AppResult<Vec<Ended>> {
    Ok(sqlx::query_as(
        "SELECT id, title, ends_on, enterprise_id, created_by FROM tasks \
         WHERE status = 'open' AND ends_on <> '' AND ends_on < $1 ORDER BY ends_on, id LIMIT 500",
    )
    .bind(today)
    .fetch_all(&mut *conn)
    .await?)
}
