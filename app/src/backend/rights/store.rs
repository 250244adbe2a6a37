//! The SQL of rights requests: rows, the requester's list, the console's queue, a request's
//! steps and its live code.

use crate::backend::crypto::FieldCipher;
use crate::error::{AppError, AppResult};
use crate::model::account::ContactKind;
use crate::model::rights::{
    mask_name, DeletionGround, Due, PendingCode, RefusalReason, RequestAction, RequestKind,
    RequestScope, RequestStatus, RequestStep, RequestSummary, StepBy,
};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// A request as stored.
#[derive(sqlx::FromRow)]
pub struct RequestRow {
    pub id: String,
    pub user_id: String,
    pub enterprise_id: Option<String>,
    #[sqlx(try_from = "String")]
    pub kind: RequestKind,
    #[sqlx(try_from = "String")]
    pub scope: RequestScope,
    pub ground: Option<String>,
    pub details_enc: String,
    #[sqlx(try_from = "String")]
    pub status: RequestStatus,
    #[sqlx(try_from = "i64")]
    pub submitted_at: UtcMillis,
    /// Set when the identity is verified.
    pub due_at: Option<i64>,
    pub answered_at: Option<i64>,
    pub answer_enc: Option<String>,
    pub refusal: Option<String>,
    pub fee_reason_enc: Option<String>,
    /// The requester's name, encrypted mobile number and enterprise (joined).
    pub requester: String,
    pub requester_mobile_enc: String,
    pub enterprise: Option<String>,
}

const SELECT: &str =
    "SELECT r.id, r.user_id, r.enterprise_id, r.kind, r.scope, r.ground, r.details_enc, \
     r.status, r.submitted_at, r.due_at, r.answered_at, r.answer_enc, r.refusal, r.fee_reason_enc, \
     u.name AS requester, u.mobile_enc AS requester_mobile_enc, e.name AS enterprise \
     FROM privacy_requests r JOIN users u ON u.id = r.user_id \
     LEFT JOIN enterprises e ON e.id = r.enterprise_id";

impl RequestRow {
    pub fn summary(&self, now: UtcMillis, console: bool) -> RequestSummary {
        RequestSummary {
            id: self.id.clone(),
            kind: self.kind,
            scope: self.scope,
            status: self.status,
            submitted_at: self.submitted_at,
            due: self.due_at.map(|d| Due::of(UtcMillis(d), now)),
            answered_at: self.answered_at.map(UtcMillis),
            fee: self.fee_reason_enc.is_some(),
            requester: if console {
                mask_name(&self.requester)
            } else {
                String::new()
            },
            enterprise: if console {
                self.enterprise.clone().unwrap_or_default()
            } else {
                String::new()
            },
        }
    }
    pub fn ground(&self) -> AppResult<Option<DeletionGround>> {
        Ok(match &self.ground {
            Some(g) => Some(DeletionGround::from_stored(g, "privacy_requests.ground")?),
            None => None,
        })
    }
    pub fn refusal(&self) -> AppResult<Option<RefusalReason>> {
        Ok(match &self.refusal {
            Some(r) => Some(RefusalReason::from_stored(r, "privacy_requests.refusal")?),
            None => None,
        })
    }
    fn open(&self, cipher: &FieldCipher, enc: &str, column: &str) -> AppResult<String> {
        cipher
            .decrypt_text(enc, &format!("privacy_requests.{column}:{}", self.id))
            .map_err(AppError::internal)
    }
    /// The officer's view of who asked: the full name, the masked mobile number and the
    /// account's id.
    pub fn requester_full(&self, cipher: &FieldCipher) -> AppResult<String> {
        let mobile = cipher
            .decrypt_text(
                &self.requester_mobile_enc,
                &format!("users.mobile:{}", self.user_id),
            )
            .map_err(AppError::internal)?;
        let masked = crate::model::account::Mobile::parse(&mobile)
            .map(|m| m.masked())
            .unwrap_or_default();
        Ok(format!("{} · {masked} · {}", self.requester, self.user_id))
    }
    pub fn details(&self, cipher: &FieldCipher) -> AppResult<String> {
        self.open(cipher, &self.details_enc, "details")
    }
    pub fn answer(&self, cipher: &FieldCipher) -> AppResult<Option<String>> {
        self.answer_enc
            .as_deref()
            .map(|a| self.open(cipher, a, "answer"))
            .transpose()
    }
    pub fn fee_reason(&self, cipher: &FieldCipher) -> AppResult<Option<String>> {
        self.fee_reason_enc
            .as_deref()
            .map(|a| self.open(cipher, a, "fee_reason"))
            .transpose()
    }
}

/// Encrypts a request's free text, bound to its row and column.
pub fn seal(cipher: &FieldCipher, id: &str, column: &str, text: &str) -> String {
    cipher.encrypt_text(text, &format!("privacy_requests.{column}:{id}"))
}

/// One request, whoever's.
pub async fn get(conn: &mut AnyConnection, id: &str) -> AppResult<Option<RequestRow>> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE r.id = $1")))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// One request of `user_id`'s (another's is "not found").
pub async fn get_own(conn: &mut AnyConnection, user_id: &str, id: &str) -> AppResult<RequestRow> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE r.id = $1 AND r.user_id = $2"
    )))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// The requester's requests, newest first.
pub async fn list_own(conn: &mut AnyConnection, user_id: &str) -> AppResult<Vec<RequestRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE r.user_id = $1 ORDER BY r.submitted_at DESC, r.id LIMIT 200"
    )))
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Which requests the console's queue shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueFilter {
    /// Verified and not yet answered: the officer's work, soonest due first.
    Open,
    Unverified,
    /// Answered or withdrawn, most recent first.
    Closed,
    All,
}

impl QueueFilter {
    pub fn parse(s: &str) -> QueueFilter {
        match s {
            "unverified" => QueueFilter::Unverified,
            "closed" => QueueFilter::Closed,
            "all" => QueueFilter::All,
            _ => QueueFilter::Open,
        }
    }
    fn clause(self) -> &'static str {
        match self {
            QueueFilter::Open => {
                "WHERE r.status IN ('verified', 'in_progress') ORDER BY r.due_at, r.id"
            }
            QueueFilter::Unverified => {
                "WHERE r.status = 'unverified' ORDER BY r.submitted_at DESC, r.id"
            }
            QueueFilter::Closed => {
                "WHERE r.status IN ('completed', 'refused', 'withdrawn', 'lapsed') ORDER BY r.updated_at DESC, r.id"
            }
            QueueFilter::All => "ORDER BY r.submitted_at DESC, r.id",
        }
    }
}

/// The console's queue (at most 500 lines).
pub async fn queue(conn: &mut AnyConnection, filter: QueueFilter) -> AppResult<Vec<RequestRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} {} LIMIT 500",
        filter.clause()
    )))
    .fetch_all(&mut *conn)
    .await?)
}

/// Verified requests of `kind` by `user_id` submitted after `since` and up to `until`,
/// withdrawn ones left out (P6.5's count).
pub async fn same_kind_between(
    conn: &mut AnyConnection,
    user_id: &str,
    kind: RequestKind,
    since: UtcMillis,
    until: UtcMillis,
) -> AppResult<u32> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM privacy_requests WHERE user_id = $1 AND kind = $2 AND submitted_at > $3 \
         AND submitted_at <= $4 AND verified_at IS NOT NULL AND status <> 'withdrawn'",
    )
    .bind(user_id)
    .bind(kind.code())
    .bind(since.0)
    .bind(until.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

#[derive(sqlx::FromRow)]
struct StepRow {
    #[sqlx(try_from = "i64")]
    at: UtcMillis,
    #[sqlx(try_from = "String")]
    by_kind: StepBy,
    #[sqlx(try_from = "String")]
    action: RequestAction,
    detail: String,
}

/// A request's steps, oldest first.
pub async fn steps(conn: &mut AnyConnection, id: &str) -> AppResult<Vec<RequestStep>> {
    let rows: Vec<StepRow> = sqlx::query_as(
        "SELECT at, by_kind, action, detail FROM privacy_request_steps WHERE request_id = $1 ORDER BY n",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RequestStep {
            at: r.at,
            by: r.by_kind,
            action: r.action,
            detail: r.detail,
        })
        .collect())
}

/// Records a step.
pub async fn add_step(
    conn: &mut AnyConnection,
    id: &str,
    by: StepBy,
    operator_id: Option<&str>,
    action: RequestAction,
    detail: &str,
    now: UtcMillis,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO privacy_request_steps (id, request_id, n, at, by_kind, operator_id, action, detail) \
         SELECT $1, $2, COALESCE(MAX(n), 0) + 1, $3, $4, $5, $6, $7 FROM privacy_request_steps WHERE request_id = $2",
    )
    .bind(crate::backend::ids::new_id())
    .bind(id)
    .bind(now.0)
    .bind(by.code())
    .bind(operator_id)
    .bind(action.code())
    .bind(detail)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CodeRow {
    #[sqlx(try_from = "String")]
    channel: ContactKind,
    sent_to_masked: String,
    #[sqlx(try_from = "i64")]
    expires_at: UtcMillis,
    attempts: i64,
}

/// The newest code that still works, if any.
pub async fn pending_code(
    conn: &mut AnyConnection,
    id: &str,
    now: UtcMillis,
) -> AppResult<Option<PendingCode>> {
    let row: Option<CodeRow> = sqlx::query_as(
        "SELECT channel, sent_to_masked, expires_at, attempts FROM privacy_request_codes \
         WHERE request_id = $1 AND used_at IS NULL AND expires_at > $2 AND attempts < $3 \
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(id)
    .bind(now.0)
    .bind(crate::model::rights::CODE_TRIES)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| PendingCode {
        channel: r.channel,
        sent_to: r.sent_to_masked,
        expires_at: r.expires_at,
        tries_left: crate::model::rights::CODE_TRIES - r.attempts,
    }))
}

/// Live codes of a request, `(id, hash)`, newest first (what `codes::redeem` tries).
pub async fn live_codes(
    conn: &mut AnyConnection,
    id: &str,
    now: UtcMillis,
) -> AppResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, code_hash FROM privacy_request_codes WHERE request_id = $1 AND used_at IS NULL \
         AND expires_at > $2 AND attempts < $3 ORDER BY created_at DESC",
    )
    .bind(id)
    .bind(now.0)
    .bind(crate::model::rights::CODE_TRIES)
    .fetch_all(&mut *conn)
    .await?)
}

/// Moves a request to `to`, only if it is still in one of `from`: `false` when another step
/// got there first (the two engines' isolation differs; this check holds on both).
pub async fn move_status(
    conn: &mut AnyConnection,
    id: &str,
    from: &[RequestStatus],
    to: RequestStatus,
    now: UtcMillis,
) -> AppResult<bool> {
    let list = from
        .iter()
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ");
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE privacy_requests SET status = $2, updated_at = $3 WHERE id = $1 AND status IN ({list})"
    )))
    .bind(id)
    .bind(to.code())
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
