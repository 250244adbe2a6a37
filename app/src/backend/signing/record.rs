//! What the enterprise and an operator see of the workers' signatures (P6.1): a worker's
//! history and invitations, and the audited operator's look from the enterprise view.

use crate::backend::audit::{self, Actor, Event};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::audit::AuditResult;
use crate::model::worker::{SignMethod, SignatureView, WorkerPage};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// A signature row, newest first.
#[derive(sqlx::FromRow)]
struct SignatureRow {
    version: String,
    signed_at: i64,
    #[sqlx(try_from = "String")]
    method: SignMethod,
    ip: String,
    user_agent: String,
    released_at: Option<i64>,
    released_by: String,
    release_reason: String,
}

/// A worker's signatures, newest first.
pub async fn history(conn: &mut AnyConnection, worker_id: &str) -> AppResult<Vec<SignatureView>> {
    let rows: Vec<SignatureRow> = sqlx::query_as(
        "SELECT s.version, s.signed_at, s.method, s.ip, s.user_agent, s.released_at, \
         COALESCE(u.name, '') AS released_by, s.release_reason FROM worker_signatures s \
         LEFT JOIN users u ON u.id = s.released_by WHERE s.worker_id = $1 ORDER BY s.signed_at DESC, s.id DESC",
    )
    .bind(worker_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SignatureView {
            version: r.version,
            signed_at: UtcMillis(r.signed_at),
            method: r.method,
            ip: r.ip,
            user_agent: r.user_agent,
            released_at: r.released_at.map(UtcMillis),
            released_by: r.released_by,
            release_reason: r.release_reason,
        })
        .collect())
}

/// One of the enterprise's workers with their signing history and invitations (P6.1).
pub async fn page(state: &AppState, enterprise_id: &str, worker_id: &str) -> AppResult<WorkerPage> {
    let worker = crate::backend::workers::list(state, enterprise_id, Some(worker_id))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    let mut conn = state.db.conn().await?;
    let invites: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT created_at, used_at FROM worker_sign_invites WHERE worker_id = $1 ORDER BY created_at DESC, id LIMIT 50",
    )
    .bind(worker_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(WorkerPage {
        signatures: history(&mut conn, worker_id).await?,
        invites: invites
            .into_iter()
            .map(|(at, used)| (UtcMillis(at), used.is_some()))
            .collect(),
        worker,
    })
}

/// An operator's look at an enterprise's workers with their signing histories (P6.1), from the
/// audited enterprise view: the look is audited.
pub async fn operator_view(
    state: &AppState,
    actor: &Actor,
    enterprise_id: &str,
) -> AppResult<Vec<WorkerPage>> {
    let workers = crate::backend::workers::list(state, enterprise_id, None).await?;
    let mut conn = state.db.conn().await?;
    let known: Option<String> = sqlx::query_scalar("SELECT id FROM enterprises WHERE id = $1")
        .bind(enterprise_id)
        .fetch_optional(&mut *conn)
        .await?;
    if known.is_none() {
        return Err(AppError::NotFound);
    }
    let mut out = Vec::with_capacity(workers.len());
    for worker in workers {
        out.push(WorkerPage {
            signatures: history(&mut conn, &worker.id).await?,
            invites: Vec::new(),
            worker,
        });
    }
    drop(conn);
    audit::record(
        &state.db,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: "enterprise.workers.view",
            target: &format!("enterprise:{enterprise_id}"),
            result: AuditResult::Ok,
            detail: &format!("{} workers", out.len()),
        },
        state.clock.now(),
    )
    .await?;
    Ok(out)
}
