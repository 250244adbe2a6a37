//! Receipts of paid orders (P6.1) and their verification codes: 80 random bits drawn when the
//! receipt is first issued and kept with the order, so that the platform can tell a receipt
//! it issued from a forged one, and show the facts it holds to compare with an altered one
//! (whatever keys are rotated meanwhile).

use crate::backend::audit::{self, Actor, Event};
use crate::backend::AppState;
use crate::error::AppError;
use crate::model::audit::AuditResult;
use crate::model::funds::OrderStatus;
use crate::model::receipt::{format_code, normalise_code, Receipt, ReceiptCheck};

/// The order's receipt code, drawn once (a concurrent first issue keeps the first one drawn).
async fn code(state: &AppState, id: &str) -> Result<String, AppError> {
    let mut conn = state.db.conn().await?;
    let drawn = format_code(&rand::random::<[u8; 10]>());
    sqlx::query(
        "UPDATE payment_orders SET receipt_code = $1 WHERE id = $2 AND receipt_code IS NULL",
    )
    .bind(&drawn)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar("SELECT receipt_code FROM payment_orders WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .map_err(AppError::internal)
}

async fn enterprise_name(state: &AppState, enterprise_id: &str) -> Result<String, AppError> {
    let mut conn = state.db.conn().await?;
    sqlx::query_scalar("SELECT name FROM enterprises WHERE id = $1")
        .bind(enterprise_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(AppError::internal)
}

/// The receipt of one of the enterprise's paid (or later returned) orders.
pub async fn receipt(state: &AppState, enterprise_id: &str, id: &str) -> Result<Receipt, AppError> {
    let order = crate::backend::orders::get(state, enterprise_id, id).await?;
    if !matches!(order.status, OrderStatus::Paid | OrderStatus::Returned) {
        return Err(AppError::NotFound);
    }
    Ok(Receipt {
        code: code(state, &order.id).await?,
        payer: enterprise_name(state, enterprise_id).await?,
        issuer: state.settings.operator_name.clone(),
        order,
    })
}

/// Checks a receipt's platform reference and code (an operator's look, audited).
pub async fn verify(
    state: &AppState,
    reference: &str,
    typed_code: &str,
    actor: &Actor,
) -> Result<ReceiptCheck, AppError> {
    let reference = reference.trim().to_ascii_lowercase();
    let reference = reference.as_str();
    let well_formed = reference.len() == 32 && reference.bytes().all(|b| b.is_ascii_hexdigit());
    let found = if well_formed {
        let mut conn = state.db.conn().await?;
        let owner: Option<String> =
            sqlx::query_scalar("SELECT enterprise_id FROM payment_orders WHERE id = $1")
                .bind(reference)
                .fetch_optional(&mut *conn)
                .await?;
        drop(conn);
        match owner {
            Some(eid) => match receipt(state, &eid, reference).await {
                Ok(r) => Some((eid, r)),
                Err(AppError::NotFound) => None,
                Err(e) => return Err(e),
            },
            None => None,
        }
    } else {
        None
    };
    let genuine = found.filter(|(_, r)| {
        let expected = normalise_code(&r.code);
        let typed = normalise_code(typed_code);
        // Constant time: the comparison does not tell how much of a guess was right.
        expected.len() == typed.len()
            && expected
                .bytes()
                .zip(typed.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    });
    audit::record(
        &state.db,
        &Event {
            actor,
            enterprise_id: genuine.as_ref().map(|(eid, _)| eid.as_str()),
            action: "funds.receipt_check",
            // Only a well-formed reference is written to the permanent log.
            target: &if well_formed {
                format!("order:{reference}")
            } else {
                "order:(malformed)".to_string()
            },
            result: if genuine.is_some() {
                AuditResult::Genuine
            } else {
                AuditResult::Unknown
            },
            detail: "",
        },
        state.clock.now(),
    )
    .await?;
    Ok(match genuine {
        Some((_, r)) => ReceiptCheck::Genuine(Box::new(r)),
        None => ReceiptCheck::Unknown,
    })
}
