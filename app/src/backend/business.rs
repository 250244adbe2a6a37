//! 业务管理: business info (P6.1) and the enterprise's operation records (P1.1.5).

use super::db::Db;
use crate::error::{AppError, AppResult};
use crate::model::audit::OperationRecord;
use crate::model::business::{
    BusinessDetails, EnterpriseDetail, EnterpriseStatus, EnterpriseSummary,
};
use crate::model::UtcMillis;
use sqlx::Row;

pub async fn info(db: &Db, enterprise_id: &str) -> AppResult<BusinessDetails> {
    let row = sqlx::query(
        "SELECT id, name, credit_code, registered_address, business_scope, status, created_at \
         FROM enterprises WHERE id = $1",
    )
    .bind(enterprise_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    (|| {
        Ok::<_, sqlx::Error>(BusinessDetails {
            enterprise_id: row.try_get("id")?,
            name: row.try_get("name")?,
            credit_code: row.try_get("credit_code")?,
            registered_address: row.try_get("registered_address")?,
            business_scope: row.try_get("business_scope")?,
            status: EnterpriseStatus::from_stored(
                &row.try_get::<String, _>("status")?,
                "enterprises.status",
            )?,
            opened_at: UtcMillis(row.try_get("created_at")?),
        })
    })()
    .map_err(AppError::internal)
}

/// The enterprise's own members' actions, newest first; `before` is the cursor.
pub async fn operation_records(
    db: &Db,
    enterprise_id: &str,
    before: Option<i64>,
) -> AppResult<Vec<OperationRecord>> {
    let rows = sqlx::query(
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
    rows.iter()
        .map(|r| {
            Ok(OperationRecord {
                seq: r.try_get("seq")?,
                at: UtcMillis(r.try_get("at")?),
                actor_name: r.try_get("actor_name")?,
                action: r.try_get("action")?,
                target: r.try_get("target")?,
                result: r.try_get("result")?,
                ip: r.try_get("ip")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::internal)
}

/// Every enterprise, newest first, optionally filtered by name or credit code.
pub async fn list(db: &Db, q: Option<&str>) -> AppResult<Vec<EnterpriseSummary>> {
    let like = q.map(super::db::like_pattern);
    let rows = sqlx::query(
        "SELECT e.id, e.name, e.credit_code, e.status, e.created_at, \
         (SELECT COUNT(*) FROM users u WHERE u.enterprise_id = e.id) AS members \
         FROM enterprises e WHERE ($1 IS NULL OR LOWER(e.name) LIKE $1 ESCAPE '\\' OR LOWER(e.credit_code) LIKE $1 ESCAPE '\\') \
         ORDER BY e.created_at DESC, e.id LIMIT 200",
    )
    .bind(like)
    .fetch_all(db.pool())
    .await
    ?;
    rows.iter()
        .map(|r| {
            Ok(EnterpriseSummary {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                credit_code: r.try_get("credit_code")?,
                status: EnterpriseStatus::from_stored(
                    &r.try_get::<String, _>("status")?,
                    "enterprises.status",
                )?,
                members: r.try_get("members")?,
                opened_at: UtcMillis(r.try_get("created_at")?),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::internal)
}

/// One enterprise with its login persons (contacts masked). The look is audited (P5.1).
pub async fn detail(
    state: &super::AppState,
    id: &str,
    actor: &super::audit::Actor,
) -> AppResult<EnterpriseDetail> {
    let details = info(&state.db, id).await?;
    let row = sqlx::query("SELECT application_id FROM enterprises WHERE id = $1")
        .bind(id)
        .fetch_one(state.db.pool())
        .await?;
    let application_id: Option<String> = row.try_get("application_id")?;
    let mut conn = state.db.conn().await?;
    let admin = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM users WHERE enterprise_id = $1 AND role = 'admin' LIMIT 1",
        super::accounts::users::COLUMNS
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    drop(conn);
    let members = match admin {
        Some(row) => {
            let admin = super::accounts::users::read(&row)?;
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
            result: "ok",
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
