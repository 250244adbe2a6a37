//! A payout-channel simulator for development and tests. It keeps its own book (the
//! `sim_payouts` table, as a bank would keep its own records), settles each payout
//! asynchronously once its settle time has passed, and can be told to fail or return payouts:
//!
//! - a bank card ending in `0002` fails as frozen, one ending in `0003` as invalid;
//! - an Alipay or WeChat account containing `fail` fails as a name mismatch;
//! - [`SimulatedChannel::return_payout`] sends a paid payout back (from the console).

use super::{ChannelError, ChannelFuture, PayoutChannel, PayoutRequest, PayoutState};
use crate::backend::clock::SharedClock;
use crate::backend::db::Db;
use crate::model::funds::{Channel, Reason, SimPayoutStatus, SimPayoutView};
use crate::model::{Fen, UtcMillis};

#[derive(Clone)]
pub struct SimulatedChannel {
    db: Db,
    clock: SharedClock,
    /// How long after submission a payout settles.
    pub settle_after_ms: i64,
}

fn err(e: sqlx::Error) -> ChannelError {
    ChannelError(e.to_string())
}

/// The outcome the simulator decides at submission.
fn outcome(channel: Channel, account: &str) -> Option<Reason> {
    match channel {
        Channel::Bank if account.ends_with("0002") => Some(Reason::AccountFrozen),
        Channel::Bank if account.ends_with("0003") => Some(Reason::AccountInvalid),
        Channel::Alipay | Channel::Wechat if account.to_lowercase().contains("fail") => {
            Some(Reason::NameMismatch)
        }
        _ => None,
    }
}

impl SimulatedChannel {
    pub fn new(db: Db, clock: SharedClock, settle_after_ms: i64) -> Self {
        SimulatedChannel {
            db,
            clock,
            settle_after_ms,
        }
    }

    /// Settles every payout whose time has come.
    async fn settle_due(&self) -> Result<(), sqlx::Error> {
        let now = self.clock.now().0;
        sqlx::query(
            "UPDATE sim_payouts SET status = CASE WHEN reason = 'none' THEN 'paid' ELSE 'failed' END, settled_at = $1 \
             WHERE status = 'pending' AND settle_at <= $1",
        )
        .bind(now)
        .execute(self.db.pool())
        .await?;
        Ok(())
    }

    /// Sends a paid payout back, as a payee's bank does for a closed account. `false` if it
    /// is not a paid payout.
    pub async fn return_payout(&self, key: &str) -> Result<bool, sqlx::Error> {
        self.settle_due().await?;
        let done = sqlx::query(
            "UPDATE sim_payouts SET returned_at = $1 WHERE payout_key = $2 AND status = 'paid' AND returned_at IS NULL",
        )
        .bind(self.clock.now().0)
        .bind(key)
        .execute(self.db.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The simulator's book, newest first.
    pub async fn recent(&self, limit: i64) -> Result<Vec<SimPayoutView>, sqlx::Error> {
        self.settle_due().await?;
        let rows: Vec<SimRow> = sqlx::query_as(
            "SELECT payout_key, channel, amount, account_hint, status, reason, submitted_at, returned_at \
             FROM sim_payouts ORDER BY submitted_at DESC, payout_key LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows.into_iter().map(SimPayoutView::from).collect())
    }
}

/// A payout in the simulator's book.
#[derive(sqlx::FromRow)]
struct SimRow {
    payout_key: String,
    #[sqlx(try_from = "String")]
    channel: Channel,
    #[sqlx(try_from = "i64")]
    amount: Fen,
    account_hint: String,
    #[sqlx(try_from = "String")]
    status: SimPayoutStatus,
    #[sqlx(try_from = "String")]
    reason: Reason,
    #[sqlx(try_from = "i64")]
    submitted_at: UtcMillis,
    returned_at: Option<i64>,
}

impl From<SimRow> for SimPayoutView {
    fn from(r: SimRow) -> Self {
        SimPayoutView {
            payout_key: r.payout_key,
            channel: r.channel,
            amount: r.amount,
            account_hint: r.account_hint,
            status: r.status,
            reason: r.reason,
            submitted_at: r.submitted_at,
            returned: r.returned_at.is_some(),
        }
    }
}

impl PayoutChannel for SimulatedChannel {
    fn name(&self) -> &'static str {
        "simulator"
    }

    fn region(&self) -> super::ChannelRegion {
        super::ChannelRegion::InProcess
    }

    fn submit<'a>(&'a self, req: &'a PayoutRequest) -> ChannelFuture<'a, ()> {
        Box::pin(async move {
            let now = self.clock.now().0;
            let reason = outcome(req.channel, &req.account).unwrap_or(Reason::None);
            let hint = match req.channel {
                Channel::Bank => crate::model::funds::mask_card(&req.account),
                _ => crate::model::funds::mask_handle(&req.account),
            };
            sqlx::query(
                "INSERT INTO sim_payouts (payout_key, channel, amount, account_hint, status, reason, channel_ref, submitted_at, settle_at) \
                 VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8) ON CONFLICT (payout_key) DO NOTHING",
            )
            .bind(&req.key)
            .bind(req.channel.code())
            .bind(req.amount)
            .bind(hint)
            .bind(reason.code())
            .bind(format!("SIM{}", &crate::backend::ids::new_id()[..16].to_uppercase()))
            .bind(now)
            .bind(now + self.settle_after_ms)
            .execute(self.db.pool())
            .await
            .map_err(err)?;
            Ok(())
        })
    }

    fn status<'a>(&'a self, key: &'a str) -> ChannelFuture<'a, PayoutState> {
        Box::pin(async move {
            self.settle_due().await.map_err(err)?;
            // Codes parsed as before: the reason only for a failed payout.
            let row: Option<(String, String, String)> = sqlx::query_as(
                "SELECT status, reason, channel_ref FROM sim_payouts WHERE payout_key = $1",
            )
            .bind(key)
            .fetch_optional(self.db.pool())
            .await
            .map_err(err)?;
            let Some((status, reason, channel_ref)) = row else {
                return Ok(PayoutState::Unknown);
            };
            let stored = |e: crate::model::UnknownCode| ChannelError(e.to_string());
            Ok(
                match SimPayoutStatus::from_stored(&status, "sim_payouts.status").map_err(stored)? {
                    SimPayoutStatus::Paid => PayoutState::Paid { channel_ref },
                    SimPayoutStatus::Failed => PayoutState::Failed {
                        reason: Reason::from_stored(&reason, "sim_payouts.reason")
                            .map_err(stored)?,
                    },
                    SimPayoutStatus::Pending => PayoutState::Pending,
                },
            )
        })
    }

    fn returns(&self) -> ChannelFuture<'_, Vec<String>> {
        Box::pin(async move {
            sqlx::query_scalar(
                "SELECT payout_key FROM sim_payouts WHERE returned_at IS NOT NULL AND return_acked = 0 ORDER BY returned_at LIMIT 100",
            )
            .fetch_all(self.db.pool())
            .await
            .map_err(err)
        })
    }

    fn ack_return<'a>(&'a self, key: &'a str) -> ChannelFuture<'a, ()> {
        Box::pin(async move {
            sqlx::query("UPDATE sim_payouts SET return_acked = 1 WHERE payout_key = $1")
                .bind(key)
                .execute(self.db.pool())
                .await
                .map_err(err)?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_accounts_decide_the_outcome() {
        assert_eq!(
            outcome(Channel::Bank, "6222021234560002"),
            Some(Reason::AccountFrozen)
        );
        assert_eq!(
            outcome(Channel::Bank, "6222021234560003"),
            Some(Reason::AccountInvalid)
        );
        assert_eq!(outcome(Channel::Bank, "6222021234561234"), None);
        assert_eq!(
            outcome(Channel::Alipay, "FAIL@example.com"),
            Some(Reason::NameMismatch)
        );
        assert_eq!(outcome(Channel::Wechat, "oUpF8uMuAJO"), None);
    }
}
