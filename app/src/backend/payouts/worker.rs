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

async fn submit(state: &AppState, item: &settle::WorkItem) -> Result<(), String> {
    let account = settle::payee_account(&state.db, &state.cipher, &item.view.id).await?;
    let req = PayoutRequest {
        key: item.view.id.clone(),
        channel: item.view.channel,
        account,
        payee_name: item.view.payee_name.clone(),
        amount: item.view.charges.received.0,
    };
    state.payouts.submit(&req).await.map_err(|e| e.to_string())
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
