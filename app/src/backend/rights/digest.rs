//! The daily digest of rights requests (P10.2): once a China day, from 09:00, housekeeping
//! e-mails the privacy office (`--privacy-office-email`, else the contact e-mail) how many
//! requests wait for an answer, how many are overdue (their due date is past) or due within
//! five days (China calendar days, as the badges count them), and how many
//! wait for the requester's code — through the messages capability, with the requests that
//! need attention first listed by kind and due date (no personal data). A day with nothing
//! open sends nothing. The day is claimed in `privacy_digests`, so that two processes (or two
//! passes) never send it twice.

use crate::backend::messages::{self, Notice};
use crate::backend::AppState;
use crate::error::AppResult;
use crate::i18n::{due_text, kind_label, Lang, RightsMsg, Translate};
use crate::model::messages::MessageCategory;
use crate::model::outbox::OutboxPurpose;
use crate::model::rights::{days_left, due_soon_before, overdue_before, RequestKind};
use crate::model::{Bilingual, UtcMillis};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;
/// The digest goes from this hour, China time.
const FROM_HOUR: i64 = 9;
/// Lines the digest lists, at most.
const LINES: i64 = 20;

/// What one digest counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub open: i64,
    pub overdue: i64,
    pub soon: i64,
    pub unverified: i64,
}

/// Sends today's digest if it is due and not yet sent; returns the counts when it went out.
pub async fn send_if_due(state: &AppState) -> AppResult<Option<Counts>> {
    let now = state.clock.now();
    let china_hour = (now.0 + 8 * HOUR_MS).rem_euclid(DAY_MS) / HOUR_MS;
    if china_hour < FROM_HOUR {
        return Ok(None);
    }
    let day = now.china_date();
    let mut tx = state.db.begin().await?;
    let claimed = sqlx::query(
        "INSERT INTO privacy_digests (day, open_count, overdue_count, sent_at) VALUES ($1, 0, 0, $2) \
         ON CONFLICT (day) DO NOTHING",
    )
    .bind(&day)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        return Ok(None);
    }
    let (open, overdue, soon, unverified): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT \
         COALESCE(SUM(CASE WHEN status <> 'unverified' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN status <> 'unverified' AND due_at < $1 THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN status <> 'unverified' AND due_at >= $1 AND due_at < $2 THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN status = 'unverified' THEN 1 ELSE 0 END), 0) \
         FROM privacy_requests WHERE status IN ('unverified', 'verified', 'in_progress')",
    )
    .bind(overdue_before(now).0)
    .bind(due_soon_before(now).0)
    .fetch_one(&mut *tx)
    .await?;
    let c = Counts {
        open,
        overdue,
        soon,
        unverified,
    };
    sqlx::query("UPDATE privacy_digests SET open_count = $2, overdue_count = $3 WHERE day = $1")
        .bind(&day)
        .bind(c.open)
        .bind(c.overdue)
        .execute(&mut *tx)
        .await?;
    if c.open + c.unverified == 0 {
        tx.commit().await?;
        return Ok(None);
    }
    let rows: Vec<(String, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, kind, due_at FROM privacy_requests WHERE status IN ('verified', 'in_progress') \
         ORDER BY due_at, id LIMIT {LINES}"
    )))
    .fetch_all(&mut *tx)
    .await?;
    let first = rows
        .into_iter()
        .map(|(id, kind, due)| {
            Ok((
                id,
                RequestKind::from_stored(&kind, "privacy_requests.kind")?,
                due,
            ))
        })
        .collect::<AppResult<Vec<_>>>()?;
    let origin = state.settings.public_origin.clone().unwrap_or_default();
    let words = |l: Lang| {
        let mut body = crate::i18n::rights::digest_body(l, c.open, c.overdue, c.soon, c.unverified);
        for (id, kind, due) in &first {
            let kind = kind_label(*kind).text(l);
            let due = UtcMillis(*due);
            body.push_str(&format!(
                "\n- {kind} · {} · {} · {origin}/ops/privacy/requests/{id}",
                due.china_date(),
                due_text(l, days_left(due, now)),
            ));
        }
        (RightsMsg::DigestTitle.text(l).to_string(), body)
    };
    let (zh, en) = (words(Lang::ZhCn), words(Lang::En));
    let (title, body) = (Bilingual::new(zh.0, en.0), Bilingual::new(zh.1, en.1));
    let notice = Notice {
        category: MessageCategory::Privacy,
        purpose: OutboxPurpose::RightsRequest,
        title: &title,
        body: &body,
        source: "",
        email_only: true,
    };
    let to = &state.settings.privacy_office_email;
    messages::tell_address(state, &mut tx, to, None, &notice, now).await?;
    tx.commit().await?;
    Ok(Some(c))
}
