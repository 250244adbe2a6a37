//! Writing announcements (P7.2, P5.5) and promotions (P7.1) in the console: a super-admin or
//! privacy officer writes both languages, publishes now or at a time, edits and withdraws;
//! every step is audited. When an announcement's time comes, the delivery worker
//! ([`deliver_due`]) tells every active login person through the message centre, once.

use super::store::AnnouncementRow;
use crate::backend::audit::{self, Actor, Event};
use crate::backend::ids::new_id;
use crate::backend::messages::{self, Notice};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::announcement::{
    Announcement, AnnouncementDraft, AnnouncementEntry, AnnouncementId, AnnouncementKind,
    AnnouncementStatus,
};
use crate::model::outbox::OutboxPurpose;
use crate::model::UtcMillis;
use sqlx::AnyConnection;

#[derive(sqlx::FromRow)]
struct EntryRow {
    #[sqlx(flatten)]
    a: AnnouncementRow,
    withdrawn_at: Option<i64>,
    delivered_at: Option<i64>,
    recipients: i64,
}

/// Every announcement and promotion, newest first, with its state.
pub async fn list(state: &AppState) -> AppResult<Vec<AnnouncementEntry>> {
    let now = state.clock.now();
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT a.id, a.kind, a.title_zh, a.title_en, a.body_zh, a.body_en, a.published_at, a.withdrawn_at, a.delivered_at, \
         (SELECT COUNT(*) FROM inbox_messages m WHERE m.source = 'announcement:' || a.id) AS recipients \
         FROM announcements a ORDER BY a.published_at DESC, a.id LIMIT 200",
    )
    .fetch_all(state.db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let announcement = Announcement::from(r.a);
            let status = match r.withdrawn_at {
                Some(_) => AnnouncementStatus::Withdrawn,
                None if announcement.published_at.0 > now.0 => AnnouncementStatus::Scheduled,
                None => AnnouncementStatus::Published,
            };
            AnnouncementEntry {
                announcement,
                status,
                delivered_at: r.delivered_at.map(UtcMillis),
                recipients: u32::try_from(r.recipients).unwrap_or(u32::MAX),
            }
        })
        .collect())
}

/// Writes a new announcement (`id` `None`) or edits one that is not withdrawn. Editing changes
/// the public page and every inbox copy; a time in the past means now, and an edit without a
/// time keeps the one it had. Audited.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    id: Option<&str>,
    draft: &AnnouncementDraft,
) -> AppResult<String> {
    let mut tx = state.db.begin().await?;
    let id = save_in(state, &mut tx, actor, id, draft).await?;
    tx.commit().await?;
    state.public_pages.changed();
    Ok(id)
}

/// [`save`] in the caller's transaction (an incident's public notice is linked in the same one).
pub async fn save_in(
    state: &AppState,
    tx: &mut AnyConnection,
    actor: &Actor,
    id: Option<&str>,
    draft: &AnnouncementDraft,
) -> AppResult<String> {
    let now = state.clock.now();
    let at = draft.publish_at.filter(|t| t.0 > now.0).unwrap_or(now);
    let (id, action, at) = match id {
        None => {
            let id = new_id();
            let a = Announcement {
                id: id.clone(),
                kind: draft.kind,
                title: draft.title.clone(),
                body: draft.body.clone(),
                published_at: at,
            };
            super::store::insert(&mut *tx, &a, now).await?;
            (id, "announcement.create", at)
        }
        Some(id) => {
            let id = AnnouncementId::parse(id).ok_or(AppError::NotFound)?;
            let id = id.as_str().to_string();
            // Once delivered, its time and kind stay as they were delivered.
            // No time given: the scheduled time stays (an edit never publishes early).
            let at = match draft.publish_at {
                Some(_) => at,
                None => sqlx::query_scalar::<_, i64>(
                    "SELECT published_at FROM announcements WHERE id = $1",
                )
                .bind(&id)
                .fetch_optional(&mut *tx)
                .await?
                .map(UtcMillis)
                .ok_or(AppError::NotFound)?,
            };
            let edited = sqlx::query(
                "UPDATE announcements SET title_zh = $2, title_en = $3, body_zh = $4, body_en = $5, updated_at = $6, \
                 kind = CASE WHEN delivered_at IS NULL THEN $7 ELSE kind END, \
                 published_at = CASE WHEN delivered_at IS NULL THEN $8 ELSE published_at END \
                 WHERE id = $1 AND withdrawn_at IS NULL",
            )
            .bind(&id)
            .bind(&draft.title.zh)
            .bind(&draft.title.en)
            .bind(&draft.body.zh)
            .bind(&draft.body.en)
            .bind(now.0)
            .bind(draft.kind.code())
            .bind(at.0)
            .execute(&mut *tx)
            .await?;
            if edited.rows_affected() != 1 {
                return Err(AppError::NotFound);
            }
            sqlx::query(
                "UPDATE inbox_messages SET title_zh = $2, title_en = $3, body_zh = $4, body_en = $5 WHERE source = $1",
            )
            .bind(format!("announcement:{id}"))
            .bind(&draft.title.zh)
            .bind(&draft.title.en)
            .bind(&draft.body.zh)
            .bind(&draft.body.en)
            .execute(&mut *tx)
            .await?;
            (id, "announcement.edit", at)
        }
    };
    let target = format!("announcement:{id}");
    let detail = format!("{} at {}", draft.kind.code(), at.rfc3339());
    audit::append(tx, &Event::ok(actor, action, &target, &detail), now).await?;
    Ok(id)
}

/// Withdraws an announcement: off the home page, and never delivered if it was still
/// scheduled. Copies already in inboxes stay, as a record of what was said. Audited.
pub async fn withdraw(state: &AppState, actor: &Actor, id: &str) -> AppResult<()> {
    let id = AnnouncementId::parse(id).ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let done = sqlx::query(
        "UPDATE announcements SET withdrawn_at = $2, updated_at = $2 WHERE id = $1 AND withdrawn_at IS NULL",
    )
    .bind(id.as_str())
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    let target = format!("announcement:{}", id.as_str());
    audit::append(
        &mut tx,
        &Event::ok(actor, "announcement.withdraw", &target, ""),
        now,
    )
    .await?;
    tx.commit().await?;
    state.public_pages.changed();
    Ok(())
}

/// Delivers every announcement whose time has come to every active login person (once: the
/// first worker to mark it delivered does it, in one transaction with the messages). Returns
/// how many announcements were delivered.
pub async fn deliver_due(state: &AppState) -> AppResult<u32> {
    let now = state.clock.now();
    let due: Vec<AnnouncementRow> = sqlx::query_as(
        "SELECT id, kind, title_zh, title_en, body_zh, body_en, published_at FROM announcements \
         WHERE delivered_at IS NULL AND withdrawn_at IS NULL AND published_at <= $1 ORDER BY published_at, id",
    )
    .bind(now.0)
    .fetch_all(state.db.pool())
    .await?;
    let mut delivered = 0;
    for a in due.into_iter().map(Announcement::from) {
        let mut tx = state.db.begin().await?;
        let claimed = sqlx::query(
            "UPDATE announcements SET delivered_at = $2 WHERE id = $1 AND delivered_at IS NULL AND withdrawn_at IS NULL \
             AND published_at <= $2",
        )
        .bind(&a.id)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            continue;
        }
        // As it is now: an edit between the list and the claim is what goes out.
        let current: AnnouncementRow = sqlx::query_as(
            "SELECT id, kind, title_zh, title_en, body_zh, body_en, published_at FROM announcements WHERE id = $1",
        )
        .bind(&a.id)
        .fetch_one(&mut *tx)
        .await?;
        tell_everyone(state, &mut tx, &Announcement::from(current), now).await?;
        tx.commit().await?;
        delivered += 1;
    }
    Ok(delivered)
}

async fn tell_everyone(
    state: &AppState,
    tx: &mut AnyConnection,
    a: &Announcement,
    now: UtcMillis,
) -> AppResult<()> {
    let users: Vec<String> =
        sqlx::query_scalar("SELECT id FROM users WHERE status = 'active' ORDER BY id")
            .fetch_all(&mut *tx)
            .await?;
    let source = format!("announcement:{}", a.id);
    let notice = Notice {
        category: a.kind.category(),
        purpose: match a.kind {
            AnnouncementKind::Promotion => OutboxPurpose::Promotion,
            _ => OutboxPurpose::Announcement,
        },
        title: &a.title,
        body: &a.body,
        source: &source,
        email_only: false,
    };
    for user in &users {
        messages::tell(state, &mut *tx, user, &notice, now).await?;
    }
    Ok(())
}
