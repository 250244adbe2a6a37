//! The payout worker drives orders through the payout channel:
//!
//! 1. accepted orders are claimed (accepted → paying, a compare-and-set) and submitted;
//! 2. paying orders are asked about: paid ones are posted, failed ones voided, and ones the
//!    channel has never seen (the process stopped between claim and submit) are submitted
//!    again;
//! 3. returns reported by the channel reverse the payment, then are acknowledged.
//!
//! It survives a restart at any point: submission is idempotent on the order's id, every
//! settlement is a compare-and-set with its ledger operation in one transaction, and a
//! return is acknowledged only after it has been booked. So an order in flight is neither
//! lost nor paid twice, and several workers may run at once.

use super::{PayoutRequest, PayoutState};
use crate::backend::orders::settle;
use crate::backend::AppState;
use crate::model::funds::OrderStatus;

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tick {
    pub submitted: u32,
    pub paid: u32,
    pub failed: u32,
    pub returned: u32,
}

/// Submits the order's payout: what the channel gets is built from the payout channel's
/// registered fields (P3.1.4), and the submission is logged as a sharing event (P3.1.3).
async fn submit(state: &AppState, item: &settle::WorkItem) -> Result<(), String> {
    use crate::backend::sharing::{self, Whose};
    use crate::model::sharing::{codes, Provision};
    let account = settle::payee_account(&state.db, &state.cipher, &item.view.id).await?;
    let now = state.clock.now();
    // No connection is held while the channel answers.
    let recipient = {
        let mut conn = state.db.conn().await.map_err(|e| e.to_string())?;
        sharing::recipient(&mut conn, codes::PAYOUT_CHANNEL)
            .await
            .map_err(|e| e.to_string())?
    };
    let amount = item.view.charges.received.0;
    let sent = Provision::new(&recipient, now)
        .and_then(|p| p.put("payment_orders.payee_name", item.view.payee_name.clone()))
        .and_then(|p| p.put("payment_orders.account_enc", account))
        .and_then(|p| p.put("payment_orders.amount", amount.to_string()))
        .map_err(|e| e.to_string())?;
    let req = PayoutRequest {
        key: item.view.id.clone(),
        channel: item.view.channel,
        account: sent.get("payment_orders.account_enc").to_string(),
        payee_name: sent.get("payment_orders.payee_name").to_string(),
        amount,
    };
    state
        .payouts
        .submit(&req)
        .await
        .map_err(|e| e.to_string())?;
    let mut conn = state.db.conn().await.map_err(|e| e.to_string())?;
    let whose = Whose {
        enterprise_id: Some(&item.enterprise_id),
        user_id: None,
    };
    sharing::record(&mut conn, &sent, whose, &item.view.order_id, now)
        .await
        .map_err(|e| e.to_string())
}

/// Asks the channel about one paying order and settles it if the channel has.
async fn settle_one(state: &AppState, item: &settle::WorkItem, t: &mut Tick) -> Result<(), String> {
    let now = state.clock.now().0;
    match state
        .payouts
        .status(&item.view.id)
        .await
        .map_err(|e| e.to_string())?
    {
        PayoutState::Unknown => {
            submit(state, item).await?;
            t.submitted += 1;
        }
        PayoutState::Pending => {}
        PayoutState::Paid { channel_ref } => {
            if settle::paid(&state.db, item, &channel_ref, now)
                .await
                .map_err(|e| e.to_string())?
            {
                t.paid += 1;
            }
        }
        PayoutState::Failed { reason } => {
            if settle::failed(&state.db, item, reason, now)
                .await
                .map_err(|e| e.to_string())?
            {
                t.failed += 1;
            }
        }
    }
    Ok(())
}

/// Books one return reported by the channel, then acknowledges it. A return for an order
/// still being settled waits for the next pass.
async fn book_return(state: &AppState, key: &str, t: &mut Tick) -> Result<(), String> {
    if let Some(item) = settle::by_id(&state.db, key)
        .await
        .map_err(|e| e.to_string())?
    {
        if item.view.status == OrderStatus::Paying {
            return Ok(());
        }
        if item.view.status == OrderStatus::Paid
            && settle::returned(&state.db, &item, state.clock.now().0)
                .await
                .map_err(|e| e.to_string())?
        {
            t.returned += 1;
        }
    }
    state
        .payouts
        .ack_return(key)
        .await
        .map_err(|e| e.to_string())
}

/// One pass over the work. A problem with one order is logged and that order is tried again
/// next pass; it never holds up the others.
pub async fn tick(state: &AppState) -> Result<Tick, String> {
    let mut t = Tick::default();
    let e = |e: sqlx::Error| e.to_string();
    for item in settle::in_status(&state.db, OrderStatus::Accepted, 200)
        .await
        .map_err(e)?
    {
        if settle::claim(&state.db, &item.view.id, state.clock.now().0)
            .await
            .map_err(e)?
        {
            // If this fails the order stays paying; the next step submits it again.
            match submit(state, &item).await {
                Ok(()) => t.submitted += 1,
                Err(err) => {
                    tracing::warn!(order = %item.view.id, error = %err, "payout submission failed; will retry")
                }
            }
        }
    }
    for item in settle::in_status(&state.db, OrderStatus::Paying, 500)
        .await
        .map_err(e)?
    {
        if let Err(err) = settle_one(state, &item, &mut t).await {
            tracing::warn!(order = %item.view.id, error = %err, "payout settlement failed; will retry");
        }
    }
    for key in state.payouts.returns().await.map_err(|e| e.to_string())? {
        if let Err(err) = book_return(state, &key, &mut t).await {
            tracing::warn!(order = %key, error = %err, "booking a payout return failed; will retry");
        }
    }
    Ok(t)
}

/// Runs [`tick`] every `interval` until the task is dropped.
pub async fn run(state: AppState, interval: std::time::Duration) {
    let mut timer = tokio::time::interval(interval);
    timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        timer.tick().await;
        match tick(&state).await {
            Ok(t) if t != Tick::default() => tracing::info!(?t, "payouts"),
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "payout pass failed; will retry"),
        }
    }
}
