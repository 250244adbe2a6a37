//! Receipts of paid orders (P6.1) and their verification codes: an HMAC over the order's
//! facts under a key only the server holds, so that the platform can tell a genuine receipt
//! from a forged or altered one.

use crate::backend::audit::{self, Actor, Event};
use crate::backend::crypto::hmac_sha256;
use crate::backend::AppState;
use crate::error::AppError;
use crate::model::funds::{OrderStatus, OrderView};
use crate::model::receipt::{format_code, normalise_code, Receipt, ReceiptCheck};

/// The code of a receipt: the facts it states, bound together under the server's key.
fn code(state: &AppState, enterprise_id: &str, o: &OrderView) -> String {
    let key = hmac_sha256(state.session_key.as_bytes(), b"receipt-code-v1");
    let facts = format!(
        "{}|{enterprise_id}|{}|{}|{}|{}|{}|{}|{}",
        o.id,
        o.order_id,
        o.charges.amount.0,
        o.charges.fee.0,
        o.charges.tax.0,
        o.charges.received.0,
        o.paid_at.map_or(0, |t| t.0),
        o.channel_ref.as_deref().unwrap_or(""),
    );
    let mac = hmac_sha256(&key, facts.as_bytes());
    let mut first = [0u8; 10];
    first.copy_from_slice(&mac[..10]);
    format_code(&first)
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
        code: code(state, enterprise_id, &order),
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
    let found = if reference.len() == 32 && reference.bytes().all(|b| b.is_ascii_hexdigit()) {
        let mut conn = state.db.conn().await?;
        let owner: Option<String> =
            sqlx::query_scalar("SELECT enterprise_id FROM payment_orders WHERE id = $1")
                .bind(reference)
                .fetch_optional(&mut *conn)
                .await
                .map_err(AppError::internal)?;
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
            target: &format!("order:{reference}"),
            result: if genuine.is_some() {
                "genuine"
            } else {
                "unknown"
            },
            detail: "",
        },
        state.clock.now(),
    )
    .await
    .map_err(AppError::internal)?;
    Ok(match genuine {
        Some((_, r)) => ReceiptCheck::Genuine(Box::new(r)),
        None => ReceiptCheck::Unknown,
    })
}
