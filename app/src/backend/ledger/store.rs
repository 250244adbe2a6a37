//! The ledger's SQL, shared by SQLite and PostgreSQL. Multi-row inserts keep the number of
//! statements per order small, which is what group commit needs to be fast.

use super::NewTx;
use crate::model::funds::Category;
use sqlx::{AnyConnection, AssertSqlSafe};

/// A posting about to be written.
#[derive(Clone, Debug)]
pub struct PostingRow {
    pub tx_id: String,
    pub account_id: String,
    pub enterprise_id: Option<String>,
    pub category: Category,
    pub amount: i64,
    pub balance_after: i64,
    pub created_at: i64,
}

/// A transaction header about to be written (group path).
#[derive(Clone, Debug)]
pub struct TxRow {
    pub id: String,
    pub enterprise_id: String,
    pub kind: &'static str,
    pub reference: String,
    pub memo: String,
    pub created_at: i64,
}

/// Inserts a transaction header unless `(kind, reference)` was already posted; `false` then.
pub async fn insert_transaction(
    conn: &mut AnyConnection,
    id: &str,
    tx: &NewTx,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO ledger_transactions (id, enterprise_id, kind, reference, reverses, memo, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (kind, reference) DO NOTHING",
    )
    .bind(id)
    .bind(&tx.enterprise_id)
    .bind(tx.kind.code())
    .bind(&tx.reference)
    .bind(tx.reverses.as_deref())
    .bind(&tx.memo)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Adds `amount` to the account's balance unless that would take a guarded account below
/// zero: one conditional update, atomic on both engines. Returns the new balance, or `None`
/// when refused (or when the account does not exist).
pub async fn apply(
    conn: &mut AnyConnection,
    account: &str,
    amount: i64,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE ledger_accounts SET balance = balance + $1, updated_at = $2 \
         WHERE id = $3 AND (floor_zero = 0 OR balance + $1 >= 0) RETURNING balance",
    )
    .bind(amount)
    .bind(now)
    .bind(account)
    .fetch_optional(&mut *conn)
    .await
}

/// `($1, $2, …), ($n+1, …)` for `rows` rows of `cols` columns.
pub fn placeholders(rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push_str(", ");
            }
            s.push('$');
            s.push_str(&(r * cols + c + 1).to_string());
        }
        s.push(')');
    }
    s
}

/// Rows per multi-row statement: well under SQLite's and PostgreSQL's parameter limits.
const CHUNK: usize = 400;

pub async fn insert_transactions(
    conn: &mut AnyConnection,
    rows: &[TxRow],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO ledger_transactions (id, enterprise_id, kind, reference, memo, created_at) VALUES {}",
            placeholders(chunk.len(), 6)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for r in chunk {
            q = q
                .bind(&r.id)
                .bind(&r.enterprise_id)
                .bind(r.kind)
                .bind(&r.reference)
                .bind(&r.memo)
                .bind(r.created_at);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn insert_postings(
    conn: &mut AnyConnection,
    rows: &[PostingRow],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO ledger_postings (tx_id, account_id, enterprise_id, category, amount, balance_after, created_at) VALUES {}",
            placeholders(chunk.len(), 7)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for r in chunk {
            q = q
                .bind(&r.tx_id)
                .bind(&r.account_id)
                .bind(r.enterprise_id.as_deref())
                .bind(r.category.code())
                .bind(r.amount)
                .bind(r.balance_after)
                .bind(r.created_at);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_every_cell() {
        assert_eq!(super::placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
