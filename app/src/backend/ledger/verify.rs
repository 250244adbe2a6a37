//! Re-derives every balance from the postings (`server verify-ledger`). Every figure here
//! must stay zero.

use crate::backend::db::Db;
use serde::Serialize;

/// What the check found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Drift {
    pub accounts: i64,
    pub transactions: i64,
    pub postings: i64,
    /// Accounts whose stored balance differs from the sum of their postings.
    pub balance_drift: Vec<String>,
    /// Accounts whose last posting's balance-after differs from the stored balance.
    pub running_balance_drift: Vec<String>,
    /// Transactions whose postings do not sum to zero.
    pub unbalanced_transactions: Vec<String>,
    /// Guarded accounts below zero.
    pub negative_balances: Vec<String>,
    /// The sum of every posting (zero in a double-entry ledger).
    pub total: i64,
}

impl Drift {
    pub fn is_clean(&self) -> bool {
        self.balance_drift.is_empty()
            && self.running_balance_drift.is_empty()
            && self.unbalanced_transactions.is_empty()
            && self.negative_balances.is_empty()
            && self.total == 0
    }
}

/// Runs every check on one snapshot, so that writes going on meanwhile cannot look like
/// drift.
pub async fn verify(db: &Db) -> Result<Drift, sqlx::Error> {
    let mut conn = db.begin_snapshot().await?;
    let mut d = Drift {
        accounts: sqlx::query_scalar("SELECT COUNT(*) FROM ledger_accounts")
            .fetch_one(&mut *conn)
            .await?,
        ..Drift::default()
    };
    d.transactions = sqlx::query_scalar("SELECT COUNT(*) FROM ledger_transactions")
        .fetch_one(&mut *conn)
        .await?;
    d.postings = sqlx::query_scalar("SELECT COUNT(*) FROM ledger_postings")
        .fetch_one(&mut *conn)
        .await?;
    d.balance_drift = sqlx::query_scalar(
        "SELECT a.id FROM ledger_accounts a \
         LEFT JOIN (SELECT account_id, CAST(SUM(amount) AS BIGINT) AS s FROM ledger_postings GROUP BY account_id) p \
         ON p.account_id = a.id WHERE a.balance <> COALESCE(p.s, 0) ORDER BY a.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    d.running_balance_drift = sqlx::query_scalar(
        "SELECT a.id FROM ledger_accounts a \
         JOIN (SELECT account_id, MAX(seq) AS last FROM ledger_postings GROUP BY account_id) l ON l.account_id = a.id \
         JOIN ledger_postings p ON p.seq = l.last WHERE p.balance_after <> a.balance ORDER BY a.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    d.unbalanced_transactions = sqlx::query_scalar(
        "SELECT tx_id FROM ledger_postings GROUP BY tx_id HAVING CAST(SUM(amount) AS BIGINT) <> 0 OR COUNT(*) < 2 \
         UNION SELECT id FROM ledger_transactions WHERE id NOT IN (SELECT tx_id FROM ledger_postings) ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    d.negative_balances = sqlx::query_scalar(
        "SELECT id FROM ledger_accounts WHERE floor_zero = 1 AND balance < 0 ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    d.total =
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_postings")
            .fetch_one(&mut *conn)
            .await?;
    Ok(d)
}
