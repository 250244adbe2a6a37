//! 业务管理: business info (P6.1) and the enterprise's operation records (P1.1.5).

use super::db::Db;
use crate::error::{AppError, AppResult};
use crate::model::audit::OperationRecord;
use crate::model::business::BusinessDetails;
use crate::model::UtcMillis;
use sqlx::Row;

pub async fn info(db: &Db, enterprise_id: &str) -> AppResult<BusinessDetails> {
    let row = sqlx::query(
        "SELECT id, name, credit_code, registered_address, business_scope, status, created_at \
         FROM enterprises WHERE id = $1",
    )
    .bind(enterprise_id)
    .fetch_optional(db.pool())
    .await
    .map_err(AppError::internal)?
    .ok_or(AppError::NotFound)?;
    (|| {
        Ok::<_, sqlx::Error>(BusinessDetails {
            enterprise_id: row.try_get("id")?,
            name: row.try_get("name")?,
            credit_code: row.try_get("credit_code")?,
            registered_address: row.try_get("registered_address")?,
            business_scope: row.try_get("business_scope")?,
            status: row.try_get("status")?,
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
    .await
    .map_err(AppError::internal)?;
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
