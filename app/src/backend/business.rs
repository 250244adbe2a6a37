//! 业务管理: business info (P6.1) and the enterprise's operation records (P1.1.5).

use super::db::Db;
use crate::error::{AppError, AppResult};
use crate::model::audit::AuditResult;
use crate::model::audit::OperationRecord;
use crate::model::business::{
    BusinessDetails, EnterpriseDetail, EnterpriseStatus, EnterpriseSummary,
};
use crate::model::UtcMillis;

/// One `enterprises` row as the business info page shows it.
#[derive(sqlx::FromRow)]
struct DetailsRow {
    id: String,
    name: String,
    credit_code: String,
    registered_address: String,
    business_scope: String,
    #[sqlx(try_from = "String")]
    status: EnterpriseStatus,
    #[sqlx(try_from = "i64")]
    created_at: UtcMillis,
}

impl From<DetailsRow> for BusinessDetails {
    fn from(r: DetailsRow) -> Self {
        BusinessDetails {
            enterprise_id: r.id,
            name: r.name,
            credit_code: r.credit_code,
            registered_address: r.registered_address,
            business_scope: r.business_scope,
            status: r.status,
            opened_at: r.created_at,
        }
    }
}

pub async fn info(db: &Db, enterprise_id: &str) -> AppResult<BusinessDetails> {
    let row: DetailsRow = sqlx::query_as(
        "SELECT id, name, credit_code, registered_address, business_scope, status, created_at \
         FROM enterprises WHERE id = $1",
    )
    .bind(enterprise_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(row.into())
}

/// One of the enterprise's own members' actions, with the member's name.
#[derive(sqlx::FromRow)]
struct RecordRow {
    seq: i64,
    #[sqlx(try_from = "i64")]
    at: UtcMillis,
    actor_name: String,
    action: String,
    target: String,
    #[sqlx(try_from = "String")]
    result: AuditResult,
    ip: String,
}

impl From<RecordRow> for OperationRecord {
    fn from(r: RecordRow) -> Self {
        OperationRecord {
            seq: r.seq,
            at: r.at,
            actor_name: r.actor_name,
            action: r.action,
            target: r.target,
            result: r.result,
            // The admin needs a location hint, not a member's address (issue 14, P4.2).
            ip: crate::model::net::truncate_ip(&r.ip),
        }
    }
}

/// The enterprise's own members' actions, newest first; `before` is the cursor.
pub async fn operation_records(
    db: &Db,
    enterprise_id: &str,
    before: Option<i64>,
) -> AppResult<Vec<OperationRecord>> {
    let rows: Vec<RecordRow> = sqlx::query_as(
        "SELECT a.seq, a.at, a.action, a.target, a.result, a.ip, u.name AS actor_name \
         FROM audit_log a JOIN users u ON u.id = a.actor_id \
         WHERE a.enterprise_id = $1 AND a.actor_kind = 'user' AND u.enterprise_id = $1 \
           AND ($2 IS NULL OR a.seq < $2) \
         ORDER BY a.seq DESC LIMIT 50",
    )
    .bind(enterprise_id)
    .bind(before)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(OperationRecord::from).collect())
}

/// A row of the console's enterprise list, with its member count.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    name: String,
    credit_code: String,
    #[sqlx(try_from = "String")]
    status: EnterpriseStatus,
    members: i64,
    #[sqlx(try_from = "i64")]
    created_at: UtcMillis,
}

impl From<SummaryRow> for EnterpriseSummary {
    fn from(r: SummaryRow) -> Self {
        EnterpriseSummary {
            id: r.id,
            name: r.name,
            credit_code: r.credit_code,
            status: r.status,
            members: r.members,
            opened_at: r.created_at,
        }
    }
}

/// Every enterprise, newest first, optionally filtered by name or credit code.
pub async fn list(db: &Db, q: Option<&str>) -> AppResult<Vec<EnterpriseSummary>> {
    let like = q.map(super::db::like_pattern);
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT e.id, e.name, e.credit_code, e.status, e.created_at, \
         (SELECT COUNT(*) FROM users u WHERE u.enterprise_id = e.id) AS members \
         FROM enterprises e WHERE ($1 IS NULL OR LOWER(e.name) LIKE $1 ESCAPE '\\' OR LOWER(e.credit_code) LIKE $1 ESCAPE '\\') \
         ORDER BY e.created_at DESC, e.id LIMIT 200",
    )
    .bind(like)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(EnterpriseSummary::from).collect())
}

/// One enterprise with its login persons (contacts masked). The look is audited (P5.1).
pub async fn detail(
    state: &super::AppState,
    id: &str,
    actor: &super::audit::Actor,
) -> AppResult<EnterpriseDetail> {
    let details = info(&state.db, id).await?;
    let application_id: Option<String> =
        sqlx::query_scalar("SELECT application_id FROM enterprises WHERE id = $1")
            .bind(id)
            .fetch_one(state.db.pool())
            .await?;
    let mut conn = state.db.conn().await?;
    let admin: Option<super::accounts::users::StoredUser> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM users WHERE enterprise_id = $1 AND role = 'admin' LIMIT 1",
            super::accounts::users::COLUMNS
        )))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    drop(conn);
    let members = match admin {
        Some(row) => {
            let admin = super::accounts::users::UserRow::try_from(row)?;
            // Listed as seen by a third party: nobody is "self".
            let mut page = super::members::list(state, &admin).await?;
            page.members.iter_mut().for_each(|m| m.is_self = false);
            page.members
        }
        None => Vec::new(),
    };
    super::audit::record(
        &state.db,
        &super::audit::Event {
            actor,
            enterprise_id: Some(id),
            action: "enterprise.view",
            target: &format!("enterprise:{id}"),
            result: AuditResult::Ok,
            detail: "",
        },
        state.clock.now(),
    )
    .await?;
    Ok(EnterpriseDetail {
        details,
        application_id,
        members,
    })
}

/// Every account with each of `codes` (a reviewer may have opened a second one for a code), by
/// id, each once; a code no account has is a field error under `field`.
pub async fn accounts_with_codes(
    conn: &mut sqlx::AnyConnection,
    codes: &[crate::model::credit_code::CreditCode],
    field: &str,
) -> AppResult<Vec<String>> {
    let mut ids: Vec<String> = Vec::new();
    for code in codes {
        let found: Vec<String> =
            sqlx::query_scalar("SELECT id FROM enterprises WHERE credit_code = $1 ORDER BY id")
                .bind(code.as_str())
                .fetch_all(&mut *conn)
                .await?;
        if found.is_empty() {
            return Err(AppError::invalid(field, crate::error::Rule::NotRegistered));
        }
        for id in found {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(ids)
}
