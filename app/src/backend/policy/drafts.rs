//! The privacy officer's side of policy versions (P0.1, P9): drafts, scheduling with the
//! notice period, the e-mail notice to every account user, and withdrawal before the effective
//! date. Every change is audited in its own transaction.

use super::mail::{self, Notice};
use super::{content_hash, current, PolicyRow, PUBLISHED, SELECT};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::ids::new_id;
use crate::backend::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::model::conflict::Conflict;
use crate::model::policy::PolicyKind;
use crate::model::policy_change::{
    check_draft, check_schedule, earliest_material_date, DraftInput, PolicyAdminItem,
    PolicyAdminList, PolicyDraftView, PolicyStanding, PolicyStatus,
};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

fn item(
    row: PolicyRow,
    now: UtcMillis,
    in_force: &[String],
) -> Result<PolicyAdminItem, crate::model::UnknownCode> {
    let status = row.status;
    let doc = crate::model::policy::PolicyVersion::from(row);
    Ok(PolicyAdminItem {
        standing: PolicyStanding::of(status, doc.effective_at, now, in_force.contains(&doc.id)),
        doc,
        status,
    })
}

/// The ids of the versions in force now, one per document.
async fn in_force(conn: &mut AnyConnection, now: UtcMillis) -> AppResult<Vec<String>> {
    let mut ids = Vec::new();
    for &kind in PolicyKind::ALL {
        ids.push(current(conn, kind, now).await?.id);
    }
    Ok(ids)
}

async fn get(conn: &mut AnyConnection, id: &str, now: UtcMillis) -> AppResult<PolicyAdminItem> {
    let row: PolicyRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let in_force = in_force(conn, now).await?;
    Ok(item(row, now, &in_force)?)
}

/// Every version of both documents, newest first, for the console.
pub async fn list(state: &AppState, notice_days: u32) -> AppResult<PolicyAdminList> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let rows: Vec<PolicyRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} ORDER BY kind, CASE WHEN status = 'draft' THEN 0 ELSE 1 END, effective_at DESC, published_at DESC"
    )))
    .fetch_all(&mut *conn)
    .await?;
    let in_force = in_force(&mut conn, now).await?;
    let items = rows
        .into_iter()
        .map(|r| item(r, now, &in_force))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PolicyAdminList {
        items,
        notice_days,
        earliest_material_date: earliest_material_date(now, notice_days),
    })
}

/// A version for the editor, with the version in force to compare against.
pub async fn view(state: &AppState, id: &str, notice_days: u32) -> AppResult<PolicyDraftView> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let item = get(&mut conn, id, now).await?;
    let current = current(&mut conn, item.doc.kind, now).await?;
    Ok(PolicyDraftView {
        item,
        current,
        notice_days,
        earliest_material_date: earliest_material_date(now, notice_days),
    })
}

/// The label of the newest published (or withdrawn) version of `kind`: drafts must be newer.
async fn latest_label(conn: &mut AnyConnection, kind: PolicyKind) -> AppResult<Option<String>> {
    let labels: Vec<String> = sqlx::query_scalar(
        "SELECT version FROM policy_documents WHERE kind = $1 AND status <> 'draft'",
    )
    .bind(kind.code())
    .fetch_all(&mut *conn)
    .await?;
    use crate::model::policy_change::VersionLabel;
    Ok(labels
        .into_iter()
        .filter_map(|l| VersionLabel::parse(&l).map(|p| (p, l)))
        .max()
        .map(|(_, l)| l))
}

fn next_label(latest: Option<&str>) -> String {
    let mut parts: Vec<u32> = latest
        .unwrap_or("1.0")
        .split('.')
        .filter_map(|p| p.parse().ok())
        .collect();
    match parts.last_mut() {
        Some(last) => *last += 1,
        None => parts.push(1),
    }
    parts
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

fn event<'a>(actor: &'a Actor, action: &'a str, target: &'a str, detail: &'a str) -> Event<'a> {
    Event::ok(actor, action, target, detail)
}

/// Starts a draft of `kind` from the version in force (or returns the open draft: there is one
/// draft per document at a time).
pub async fn start(state: &AppState, kind: PolicyKind, actor: &Actor) -> AppResult<String> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let open: Option<String> =
        sqlx::query_scalar("SELECT id FROM policy_documents WHERE kind = $1 AND status = 'draft'")
            .bind(kind.code())
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(id) = open {
        return Ok(id);
    }
    let base = current(&mut tx, kind, now).await?;
    let version = next_label(latest_label(&mut tx, kind).await?.as_deref());
    let id = new_id();
    let inserted = sqlx::query(
        "INSERT INTO policy_documents (id, kind, version, published_at, effective_at, content_zh, \
         content_en, content_hash, created_at, status, material, summary_zh, summary_en, updated_at, author_id) \
         VALUES ($1, $2, $3, 0, 0, $4, $5, $6, $7, 'draft', 1, '', '', $7, $8)",
    )
    .bind(&id)
    .bind(kind.code())
    .bind(&version)
    .bind(&base.content_zh)
    .bind(&base.content_en)
    .bind(&base.content_hash)
    .bind(now.0)
    .bind(&actor.id)
    .execute(&mut *tx)
    .await;
    if let Err(e) = inserted {
        drop(tx);
        // Another officer started one at the same moment: open theirs.
        let open: Option<String> = sqlx::query_scalar(
            "SELECT id FROM policy_documents WHERE kind = $1 AND status = 'draft'",
        )
        .bind(kind.code())
        .fetch_optional(state.db.pool())
        .await?;
        return open.ok_or_else(|| AppError::from(e));
    }
    let target = format!("policy:{id}");
    audit::append(
        &mut tx,
        &event(actor, "policy.draft_start", &target, &version),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Refuses to act on a draft that changed since the officer opened it (`seen` is the
/// `updated_at` their page showed): two officers never overwrite each other unawares.
fn unchanged(item: &PolicyAdminItem, seen: i64) -> AppResult<()> {
    if item.status != PolicyStatus::Draft {
        return Err(AppError::Conflict(Conflict::PolicyNotDraft));
    }
    if item.doc.updated_at.0 != seen {
        return Err(AppError::Conflict(Conflict::PolicyEdited));
    }
    Ok(())
}

/// Saves a draft's label, material flag, summaries and content.
pub async fn save(
    state: &AppState,
    id: &str,
    seen: i64,
    input: &DraftInput,
    actor: &Actor,
) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    let item = get(&mut tx, id, state.clock.now()).await?;
    unchanged(&item, seen)?;
    // The new edit time is after the one it replaces, so the check above always sees a change.
    let now = UtcMillis(state.clock.now().0.max(seen + 1));
    let label = check_draft(
        input,
        latest_label(&mut tx, item.doc.kind).await?.as_deref(),
    )?;
    let (zh, en) = (input.content_zh.trim(), input.content_en.trim());
    let saved = sqlx::query(
        "UPDATE policy_documents SET version = $1, material = $2, summary_zh = $3, summary_en = $4, \
         content_zh = $5, content_en = $6, content_hash = $7, updated_at = $8 WHERE id = $9 AND status = 'draft' \
         AND updated_at = $10",
    )
    .bind(label.to_string())
    .bind(i64::from(input.material))
    .bind(input.summary_zh.trim())
    .bind(input.summary_en.trim())
    .bind(zh)
    .bind(en)
    .bind(content_hash(zh, en))
    .bind(now.0)
    .bind(id)
    .bind(seen)
    .execute(&mut *tx)
    .await;
    match saved {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::invalid("version", Rule::Taken))
        }
        other => {
            if other?.rows_affected() != 1 {
                return Err(AppError::Conflict(Conflict::PolicyEdited));
            }
        }
    };
    let target = format!("policy:{id}");
    let detail = format!("{} material={}", label, input.material);
    audit::append(
        &mut tx,
        &event(actor, "policy.draft_save", &target, &detail),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes a draft to take effect at the start of `effective_date` (China time). A material
/// change needs `notice_days` of notice and e-mails every account user (P9); only one version of
/// a document waits for its date at a time.
pub async fn schedule(
    state: &AppState,
    id: &str,
    seen: i64,
    effective_date: &str,
    notice_days: u32,
    actor: &Actor,
) -> AppResult<UtcMillis> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let item = get(&mut tx, id, now).await?;
    unchanged(&item, seen)?;
    let doc = &item.doc;
    let pending = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM policy_documents WHERE kind = $1 AND {PUBLISHED} AND effective_at > $2"
    )))
    .bind(doc.kind.code())
    .bind(now.0)
    .fetch_optional(&mut *tx)
    .await?;
    if pending.is_some() {
        return Err(AppError::Conflict(Conflict::PolicyPending));
    }
    // The draft as stored must still pass (another version may have been published since).
    check_draft(
        &DraftInput::from(doc),
        latest_label(&mut tx, doc.kind).await?.as_deref(),
    )?;
    let in_force = current(&mut tx, doc.kind, now).await?;
    let at = check_schedule(
        doc.material,
        UtcMillis::china_day_start(effective_date),
        now,
        notice_days,
        in_force.effective_at,
    )?;
    let done = sqlx::query(
        "UPDATE policy_documents SET status = 'published', published_at = $1, effective_at = $2, \
         updated_at = $1 WHERE id = $3 AND status = 'draft'",
    )
    .bind(now.0)
    .bind(at.0)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::PolicyNotDraft));
    }
    let mut sent = 0;
    if doc.material {
        let announced = crate::model::policy::PolicyVersion {
            effective_at: at,
            published_at: now,
            ..doc.clone()
        };
        sent = mail::queue(state, &mut tx, &announced, Notice::Scheduled, now).await?;
    }
    let target = format!("policy:{id}");
    let detail = format!(
        "{} {} effective {} material={} notices={sent}",
        doc.kind.code(),
        doc.version,
        at.china_date(),
        doc.material
    );
    audit::append(
        &mut tx,
        &event(actor, "policy.schedule", &target, &detail),
        now,
    )
    .await?;
    tx.commit().await?;
    state.policy_in_force.clear();
    state.public_pages.changed();
    Ok(at)
}

/// Withdraws a published version that has not taken effect yet.
pub async fn withdraw(state: &AppState, id: &str, actor: &Actor) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE policy_documents SET status = 'withdrawn', updated_at = $1 WHERE id = $2 AND {PUBLISHED} AND effective_at > $1"
    )))
    .bind(now.0)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        get(&mut tx, id, now).await?;
        return Err(AppError::Conflict(Conflict::PolicyNotPending));
    }
    // Everyone told of a material change is told it will not happen.
    let doc = get(&mut tx, id, now).await?.doc;
    let sent = if doc.material {
        mail::queue(state, &mut tx, &doc, Notice::Withdrawn, now).await?
    } else {
        0
    };
    let target = format!("policy:{id}");
    let detail = format!("{} {} notices={sent}", doc.kind.code(), doc.version);
    audit::append(
        &mut tx,
        &event(actor, "policy.withdraw", &target, &detail),
        now,
    )
    .await?;
    tx.commit().await?;
    state.policy_in_force.clear();
    state.public_pages.changed();
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_label_bumps_the_last_part() {
        assert_eq!(super::next_label(Some("1.0")), "1.1");
        assert_eq!(super::next_label(Some("1.9")), "1.10");
        assert_eq!(super::next_label(Some("2")), "3");
        assert_eq!(super::next_label(None), "1.1");
    }
}
