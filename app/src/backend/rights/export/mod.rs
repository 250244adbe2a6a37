//! A copy of one's data (issue 16 §3, P6.1). Completing a copy request starts a build
//! ([`create`] in the officer's transaction, [`kick`] after it commits); the build runs in the
//! background ([`run_pending`]: claimed for 10 minutes, tried three times, taken over by
//! housekeeping if its process stopped), reports its progress, and when it is ready the
//! requester is told through the messages capability. The copy waits encrypted in the data
//! directory (`exports/<id>`) for [`COPY_DAYS`]; only the requester downloads it, each download
//! audited; then housekeeping deletes it ([`expire`]).

mod build;
pub mod sources;

pub use build::{build, Job, Whose};

use crate::backend::audit::{self, Actor, Event};
use crate::backend::messages::{self, Notice};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::i18n::rights as words;
use crate::i18n::{Lang, RightsMsg, Translate};
use crate::model::messages::MessageCategory;
use crate::model::outbox::OutboxPurpose;
use crate::model::rights::{copy_href, CopyStatus, CopyView, RequestScope, COPY_DAYS, COPY_TRIES};
use crate::model::{Bilingual, UtcMillis};
use sqlx::AnyConnection;
use std::path::PathBuf;

/// How long a build may run before another process takes it over.
const CLAIM_MS: i64 = 10 * 60_000;
const DAY_MS: i64 = 86_400_000;

/// Starts a copy for a completed copy request (in the officer's transaction).
pub async fn create(conn: &mut AnyConnection, request_id: &str, now: UtcMillis) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO privacy_exports (id, request_id, status, created_at) VALUES ($1, $2, 'building', $3) \
         ON CONFLICT (request_id) DO NOTHING",
    )
    .bind(crate::backend::ids::new_id())
    .bind(request_id)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Builds waiting copies in the background, now.
pub fn kick(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = run_pending(&state).await {
            tracing::warn!(error = %e, "building a copy of data failed; housekeeping retries");
        }
    });
}

/// Where a copy's sealed file is.
fn path(state: &AppState, export_id: &str) -> PathBuf {
    state.exports_dir.join(export_id)
}

#[derive(sqlx::FromRow)]
struct Claimed {
    id: String,
    request_id: String,
    user_id: String,
    enterprise_id: Option<String>,
    scope: String,
    attempts: i64,
    /// This builder's claim.
    #[sqlx(skip)]
    token: String,
}

/// Builds every copy that waits and is not being built elsewhere; how many were made.
pub async fn run_pending(state: &AppState) -> AppResult<u32> {
    let mut made = 0;
    while let Some(c) = claim(state).await? {
        let part = state.exports_dir.join(format!("{}.{}.part", c.id, c.token));
        let result = match build_one(state, &c, &part).await {
            Ok(size) => ready(state, &c, &part, size).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(true) => made += 1,
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(export = %c.id, attempt = c.attempts, error = %e, "building a copy of data failed");
                let _ = std::fs::remove_file(&part);
                let status = if c.attempts >= COPY_TRIES {
                    "failed"
                } else {
                    "building"
                };
                // Only while the claim is still this builder's.
                sqlx::query(
                    "UPDATE privacy_exports SET status = $2, claimed_by = NULL, claimed_until = NULL \
                     WHERE id = $1 AND claimed_by = $3 AND status = 'building'",
                )
                .bind(&c.id)
                .bind(status)
                .bind(&c.token)
                .execute(state.db.pool())
                .await?;
                // The next tries wait for housekeeping (a failing build does not spin).
                break;
            }
        }
    }
    Ok(made)
}

/// Takes one waiting build: unclaimed, or its claim ran out.
async fn claim(state: &AppState) -> AppResult<Option<Claimed>> {
    let now = state.clock.now().0;
    let found: Option<Claimed> = sqlx::query_as(
        "SELECT x.id, x.request_id, r.user_id, r.enterprise_id, r.scope, x.attempts \
         FROM privacy_exports x JOIN privacy_requests r ON r.id = x.request_id \
         WHERE x.status = 'building' AND (x.claimed_until IS NULL OR x.claimed_until < $1) \
         ORDER BY x.created_at LIMIT 1",
    )
    .bind(now)
    .fetch_optional(state.db.pool())
    .await?;
    let Some(mut c) = found else {
        return Ok(None);
    };
    c.token = crate::backend::ids::new_id();
    let taken = sqlx::query(
        "UPDATE privacy_exports SET claimed_by = $2, claimed_until = $3, attempts = attempts + 1 \
         WHERE id = $1 AND status = 'building' AND (claimed_until IS NULL OR claimed_until < $4)",
    )
    .bind(&c.id)
    .bind(&c.token)
    .bind(now + CLAIM_MS)
    .bind(now)
    .execute(state.db.pool())
    .await?;
    if taken.rows_affected() != 1 {
        // Another process took it a moment ago; look again.
        return Box::pin(claim(state)).await;
    }
    c.attempts += 1;
    Ok(Some(c))
}

/// Renews a build's claim as it goes; an error when another builder has taken it over (the
/// stale builder stops).
pub(super) async fn renew(
    state: &AppState,
    export_id: &str,
    token: &str,
    done: i64,
    total: i64,
) -> AppResult<()> {
    let renewed = sqlx::query(
        "UPDATE privacy_exports SET done = $2, total = $3, claimed_until = $4 \
         WHERE id = $1 AND claimed_by = $5 AND status = 'building'",
    )
    .bind(export_id)
    .bind(done)
    .bind(total)
    .bind(state.clock.now().0 + CLAIM_MS)
    .bind(token)
    .execute(state.db.pool())
    .await?;
    if renewed.rows_affected() != 1 {
        return Err(AppError::internal("the build's claim was taken over"));
    }
    Ok(())
}

async fn build_one(state: &AppState, c: &Claimed, part: &std::path::Path) -> AppResult<u64> {
    let enterprise = RequestScope::from_code(&c.scope) == Some(RequestScope::Enterprise);
    let (name, lang): (String, String) =
        sqlx::query_as("SELECT name, lang FROM users WHERE id = $1")
            .bind(&c.user_id)
            .fetch_one(state.db.pool())
            .await?;
    let lang = Lang::parse(&lang).unwrap_or_default();
    let (whose, name) = match (enterprise, &c.enterprise_id) {
        (true, Some(eid)) => {
            let ename: String = sqlx::query_scalar("SELECT name FROM enterprises WHERE id = $1")
                .bind(eid)
                .fetch_one(state.db.pool())
                .await?;
            (Whose::Enterprise(eid), ename)
        }
        (true, None) => {
            return Err(AppError::internal(
                "an enterprise copy without its enterprise",
            ))
        }
        (false, _) => (Whose::Person(&c.user_id), name),
    };
    std::fs::create_dir_all(state.exports_dir.as_path()).map_err(AppError::internal)?;
    let job = Job {
        export_id: &c.id,
        claim: &c.token,
        whose,
        name: &name,
        lang,
    };
    build(state, &job, part).await
}

/// The copy is ready (if the claim is still this builder's): the file moved into place, its
/// times, and the requester told. Whether it was this builder's to finish.
async fn ready(
    state: &AppState,
    c: &Claimed,
    part: &std::path::Path,
    size: u64,
) -> AppResult<bool> {
    let now = state.clock.now();
    let expires = UtcMillis(now.0 + COPY_DAYS * DAY_MS);
    let mut tx = state.db.begin().await?;
    let done = sqlx::query(
        "UPDATE privacy_exports SET status = 'ready', done = total, size_bytes = $2, ready_at = $3, \
         expires_at = $4, claimed_by = NULL, claimed_until = NULL \
         WHERE id = $1 AND status = 'building' AND claimed_by = $5",
    )
    .bind(&c.id)
    .bind(i64::try_from(size).unwrap_or(i64::MAX))
    .bind(now.0)
    .bind(expires.0)
    .bind(&c.token)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        // Taken over: the other builder finishes it.
        let _ = std::fs::remove_file(part);
        return Ok(false);
    }
    std::fs::rename(part, path(state, &c.id)).map_err(AppError::internal)?;
    let view = CopyView {
        status: CopyStatus::Ready,
        done: 0,
        total: 0,
        size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
        ready_at: Some(now),
        expires_at: Some(expires),
        href: copy_href(&c.request_id),
    };
    let body = |l: Lang| {
        format!(
            "{}\n\n{}",
            words::copy_ready(l, expires.china_display(), view.size_text()),
            format_args!("/portal/privacy/requests/{}", c.request_id)
        )
    };
    let title = Bilingual::new(
        RightsMsg::CopyTitle.text(Lang::ZhCn).to_string(),
        RightsMsg::CopyTitle.text(Lang::En).to_string(),
    );
    let body = Bilingual::new(body(Lang::ZhCn), body(Lang::En));
    let source = format!("privacy_request:{}", c.request_id);
    let notice = Notice {
        category: MessageCategory::Privacy,
        purpose: OutboxPurpose::RightsRequest,
        title: &title,
        body: &body,
        source: &source,
        email_only: false,
    };
    messages::tell(state, &mut tx, &c.user_id, &notice, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Deletes copies whose days are over; how many.
pub async fn expire(state: &AppState) -> AppResult<u64> {
    let now = state.clock.now().0;
    let due: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM privacy_exports WHERE status = 'ready' AND expires_at <= $1",
    )
    .bind(now)
    .fetch_all(state.db.pool())
    .await?;
    for id in &due {
        match std::fs::remove_file(path(state, id)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(AppError::internal(e));
            }
            _ => {}
        }
        sqlx::query(
            "UPDATE privacy_exports SET status = 'expired' WHERE id = $1 AND status = 'ready'",
        )
        .bind(id)
        .execute(state.db.pool())
        .await?;
    }
    Ok(due.len() as u64)
}

/// A request's copy, as its page shows it.
pub async fn view(conn: &mut AnyConnection, request_id: &str) -> AppResult<Option<CopyView>> {
    type Row = (String, i64, i64, i64, Option<i64>, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT status, done, total, size_bytes, ready_at, expires_at FROM privacy_exports WHERE request_id = $1",
    )
    .bind(request_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((status, done, total, size_bytes, ready_at, expires_at)) = row else {
        return Ok(None);
    };
    Ok(Some(CopyView {
        status: CopyStatus::from_stored(&status, "privacy_exports.status")?,
        done,
        total,
        size_bytes,
        ready_at: ready_at.map(UtcMillis),
        expires_at: expires_at.map(UtcMillis),
        href: copy_href(request_id),
    }))
}

/// A copy the requester may download now: its sealed file and the context it is sealed with.
pub struct Download {
    pub path: PathBuf,
    pub context: String,
    pub file_name: String,
}

/// The requester's own ready copy (anyone else, and an expired copy, find nothing); the
/// download is counted and audited.
pub async fn download(
    state: &AppState,
    user_id: &str,
    actor: &Actor,
    request_id: &str,
) -> AppResult<Download> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    type Found = (String, Option<String>, String);
    let found: Option<Found> = sqlx::query_as(
        "SELECT x.id, r.enterprise_id, r.scope FROM privacy_exports x JOIN privacy_requests r ON r.id = x.request_id \
         WHERE x.request_id = $1 AND r.user_id = $2 AND x.status = 'ready' AND x.expires_at > $3",
    )
    .bind(request_id)
    .bind(user_id)
    .bind(now.0)
    .fetch_optional(&mut *tx)
    .await?;
    let (id, enterprise_id, scope) = found.ok_or(AppError::NotFound)?;
    // An enterprise's copy: only while its requester is still the active admin.
    let enterprise_id = match (RequestScope::from_code(&scope), enterprise_id) {
        (Some(RequestScope::Enterprise), Some(eid)) => {
            if !super::still_admin(&mut tx, user_id, &eid).await? {
                return Err(AppError::NotFound);
            }
            Some(eid)
        }
        _ => None,
    };
    let file = path(state, &id);
    if !file.exists() {
        return Err(AppError::internal("a ready copy without its file"));
    }
    sqlx::query(
        "UPDATE privacy_exports SET downloads = downloads + 1, last_download_at = $2 WHERE id = $1",
    )
    .bind(&id)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    let target = super::target(request_id);
    let event = Event {
        enterprise_id: enterprise_id.as_deref(),
        ..Event::ok(actor, "rights.copy_downloaded", &target, "")
    };
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(Download {
        path: file,
        context: format!("privacy_export:{id}"),
        file_name: format!("my-data-{}.zip", now.china_date()),
    })
}
