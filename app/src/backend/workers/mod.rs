//! The worker register (issue 18 §2): one worker per ID number within an enterprise, found by
//! a keyed hash of the number (a blind index) so that a batch file's row and a completion
//! record name the same person; the numbers are sealed, bound to their row, and lists show
//! masked hints. Each worker keeps the payout accounts they were paid to.

use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::funds::Channel;
use crate::model::worker::{
    PayoutAccountView, SigningStatus, WorkerInput, WorkerSource, WorkerView,
};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// Encryption contexts bind each ciphertext to its table, column and row.
fn ctx(table: &str, column: &str, id: &str) -> String {
    format!("{table}.{column}:{id}")
}

/// A worker and the account of one registration.
pub struct Registered {
    pub worker_id: String,
    pub account_id: String,
}

/// Finds the enterprise's worker with this ID number, or adds them; their name and mobile
/// become the latest given, and the account is added to theirs unless they have it.
pub async fn register(
    state: &AppState,
    conn: &mut AnyConnection,
    enterprise_id: &str,
    w: &WorkerInput,
    source: WorkerSource,
    now: UtcMillis,
) -> AppResult<Registered> {
    let c = &state.cipher;
    let index = index_of(state, &w.id_number);
    let worker_id = match find(conn, enterprise_id, &index).await? {
        Some(id) => {
            sqlx::query(
                "UPDATE workers SET name = $1, mobile_enc = $2, mobile_hint = $3, updated_at = $4 WHERE id = $5",
            )
            .bind(&w.name)
            .bind(c.encrypt_text(w.mobile.as_str(), &ctx("workers", "mobile", &id)))
            .bind(w.mobile.masked())
            .bind(now.0)
            .bind(&id)
            .execute(&mut *conn)
            .await?;
            id
        }
        None => {
            let id = crate::backend::ids::new_id();
            // Two registrations at once (PostgreSQL): the second finds the first's row.
            sqlx::query(
                "INSERT INTO workers (id, enterprise_id, name, id_number_enc, id_index, id_hint, mobile_enc, \
                 mobile_hint, source, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
                 ON CONFLICT (enterprise_id, id_index) DO NOTHING",
            )
            .bind(&id)
            .bind(enterprise_id)
            .bind(&w.name)
            .bind(c.encrypt_text(w.id_number.expose(), &ctx("workers", "id_number", &id)))
            .bind(&index)
            .bind(w.id_number.masked())
            .bind(c.encrypt_text(w.mobile.as_str(), &ctx("workers", "mobile", &id)))
            .bind(w.mobile.masked())
            .bind(source.code())
            .bind(now.0)
            .execute(&mut *conn)
            .await?;
            find(conn, enterprise_id, &index)
                .await?
                .ok_or_else(|| AppError::internal("a worker just written is not found"))?
        }
    };
    let account_index = state.index.of(
        "worker_account",
        &format!("{}:{}", w.channel.code(), w.account.expose()),
    );
    let account_id = crate::backend::ids::new_id();
    sqlx::query(
        "INSERT INTO worker_accounts (id, worker_id, enterprise_id, channel, account_enc, account_index, \
         account_hint, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (worker_id, channel, account_index) DO NOTHING",
    )
    .bind(&account_id)
    .bind(&worker_id)
    .bind(enterprise_id)
    .bind(w.channel.code())
    .bind(c.encrypt_text(w.account.expose(), &ctx("worker_accounts", "account", &account_id)))
    .bind(&account_index)
    .bind(w.account.masked(w.channel))
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    let account_id: String = sqlx::query_scalar(
        "SELECT id FROM worker_accounts WHERE worker_id = $1 AND channel = $2 AND account_index = $3",
    )
    .bind(&worker_id)
    .bind(w.channel.code())
    .bind(&account_index)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Registered {
        worker_id,
        account_id,
    })
}

/// The register's keyed hash of an ID number (a blind index: it finds the worker without
/// revealing the number).
pub fn index_of(state: &AppState, id_number: &crate::model::orders::IdNumber) -> String {
    state.index.of("worker_id_number", id_number.expose())
}

/// Whether the enterprise's worker with this ID number (by its index) has a standing
/// signature of the service agreement.
pub async fn is_signed(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    index: &str,
) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM workers w JOIN worker_signatures s ON s.worker_id = w.id \
         WHERE w.enterprise_id = $1 AND w.id_index = $2 AND s.released_at IS NULL",
    )
    .bind(enterprise_id)
    .bind(index)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

async fn find(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    index: &str,
) -> AppResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM workers WHERE enterprise_id = $1 AND id_index = $2")
            .bind(enterprise_id)
            .bind(index)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

#[derive(sqlx::FromRow)]
struct WorkerRow {
    id: String,
    name: String,
    id_hint: String,
    mobile_hint: String,
    #[sqlx(try_from = "String")]
    source: WorkerSource,
    #[sqlx(try_from = "i64")]
    created_at: UtcMillis,
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    worker_id: String,
    #[sqlx(try_from = "String")]
    channel: Channel,
    account_hint: String,
}

/// A worker's latest signature.
#[derive(sqlx::FromRow)]
struct LatestRow {
    worker_id: String,
    version: String,
    released_at: Option<i64>,
}

/// The enterprise's workers, by name, with their payout accounts (masked) and where each
/// stands with the service agreement; or the one worker `only`.
pub async fn list(
    state: &AppState,
    enterprise_id: &str,
    only: Option<&str>,
) -> AppResult<Vec<WorkerView>> {
    let mut conn = state.db.conn().await?;
    let rows: Vec<WorkerRow> = sqlx::query_as(
        "SELECT id, name, id_hint, mobile_hint, source, created_at FROM workers \
         WHERE enterprise_id = $1 AND ($2 = '' OR id = $2) ORDER BY name, id LIMIT 1000",
    )
    .bind(enterprise_id)
    .bind(only.unwrap_or(""))
    .fetch_all(&mut *conn)
    .await?;
    // Signed in time order: the last of each worker's is their latest.
    let signatures: Vec<LatestRow> = sqlx::query_as(
        "SELECT worker_id, version, released_at FROM worker_signatures WHERE enterprise_id = $1 \
         ORDER BY signed_at, id",
    )
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    // The version workers sign now (the newest published; see `signing`).
    let current: String = sqlx::query_scalar(
        "SELECT version FROM worker_agreements ORDER BY published_at DESC, id DESC LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or_default();
    let latest: std::collections::HashMap<&str, &LatestRow> = signatures
        .iter()
        .map(|s| (s.worker_id.as_str(), s))
        .collect();
    let accounts: Vec<AccountRow> = sqlx::query_as(
        "SELECT worker_id, channel, account_hint FROM worker_accounts WHERE enterprise_id = $1 \
         ORDER BY created_at, id",
    )
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| WorkerView {
            signing: match latest.get(r.id.as_str()) {
                None => SigningStatus::NotSigned,
                Some(s) if s.released_at.is_some() => SigningStatus::Released,
                Some(_) => SigningStatus::Signed,
            },
            signed_version: latest
                .get(r.id.as_str())
                .map(|s| s.version.clone())
                .unwrap_or_default(),
            signed_earlier: latest
                .get(r.id.as_str())
                .is_some_and(|s| s.released_at.is_none() && s.version != current),
            accounts: accounts
                .iter()
                .filter(|a| a.worker_id == r.id)
                .map(|a| PayoutAccountView {
                    channel: a.channel,
                    masked: a.account_hint.clone(),
                })
                .collect(),
            id: r.id,
            name: r.name,
            id_masked: r.id_hint,
            mobile_masked: r.mobile_hint,
            source: r.source,
            created_at: r.created_at,
        })
        .collect())
}

/// A worker's sealed numbers (no `Debug`: ciphertext stays out of logs).
#[derive(sqlx::FromRow)]
struct SealedRow {
    name: String,
    id_number_enc: String,
    mobile_enc: String,
    channel: String,
    account_enc: String,
}

/// A worker's numbers opened, to pay them (no `Debug`).
pub struct Payee {
    pub name: String,
    pub id_number: String,
    pub mobile: String,
    pub channel: String,
    pub account: String,
}

/// Opens the numbers of `worker_id` and their account `account_id`, to pay them.
pub async fn payee(
    state: &AppState,
    conn: &mut AnyConnection,
    worker_id: &str,
    account_id: &str,
) -> AppResult<Payee> {
    let r: SealedRow = sqlx::query_as(
        "SELECT w.name, w.id_number_enc, w.mobile_enc, a.channel, a.account_enc FROM workers w \
         JOIN worker_accounts a ON a.worker_id = w.id WHERE w.id = $1 AND a.id = $2",
    )
    .bind(worker_id)
    .bind(account_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let open = |table: &str, column: &str, id: &str, stored: &str| {
        state
            .cipher
            .decrypt_text(stored, &ctx(table, column, id))
            .map_err(AppError::internal)
    };
    Ok(Payee {
        name: r.name,
        id_number: open("workers", "id_number", worker_id, &r.id_number_enc)?,
        mobile: open("workers", "mobile", worker_id, &r.mobile_enc)?,
        channel: r.channel,
        account: open("worker_accounts", "account", account_id, &r.account_enc)?,
    })
}
