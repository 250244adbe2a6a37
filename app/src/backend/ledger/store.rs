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

/// [`apply`] for many accounts in one statement: each row is updated only if its own guard
/// holds. Returns the new balance of every account that was updated (the others were
/// refused, or do not exist).
pub async fn apply_many(
    conn: &mut AnyConnection,
    changes: &[(String, i64)],
    now: i64,
) -> Result<std::collections::HashMap<String, i64>, sqlx::Error> {
    let mut out = std::collections::HashMap::with_capacity(changes.len());
    for chunk in changes.chunks(CHUNK) {
        let p = Params::of(conn);
        let mut k = 0;
        let mut next = || {
            k += 1;
            p.n(k)
        };
        let case1: String = chunk
            .iter()
            .map(|_| format!(" WHEN {} THEN {}", next(), next()))
            .collect();
        let at = next();
        let ids = chunk.iter().map(|_| next()).collect::<Vec<_>>().join(", ");
        let case2: String = chunk
            .iter()
            .map(|_| format!(" WHEN {} THEN {}", next(), next()))
            .collect();
        let sql = format!(
            "UPDATE ledger_accounts SET balance = balance + (CASE id{case1} END), updated_at = {at} \
             WHERE id IN ({ids}) AND (floor_zero = 0 OR balance + (CASE id{case2} END) >= 0) RETURNING id, balance"
        );
        let mut q = sqlx::query_as::<_, (String, i64)>(AssertSqlSafe(sql));
        for (id, amount) in chunk {
            q = q.bind(id).bind(*amount);
        }
        q = q.bind(now);
        for (id, _) in chunk {
            q = q.bind(id);
        }
        for (id, amount) in chunk {
            q = q.bind(id).bind(*amount);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// Locks the accounts in id order before a statement that updates several of them (on
/// PostgreSQL; SQLite's writer holds the whole database). Without it the rows of one
/// multi-row `UPDATE` are locked in whatever order the plan visits them, and two such
/// statements could deadlock.
pub async fn lock_in_order(conn: &mut AnyConnection, ids: &[String]) -> Result<(), sqlx::Error> {
    let p = Params::of(conn);
    if p.is_sqlite() || ids.is_empty() {
        return Ok(());
    }
    for chunk in ids.chunks(CHUNK) {
        let sql = format!(
            "SELECT id FROM ledger_accounts WHERE id IN ({}) ORDER BY id FOR UPDATE",
            p.list(1, chunk.len())
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(id);
        }
        q.fetch_all(&mut *conn).await?;
    }
    Ok(())
}

/// Placeholders for statements built at run time. SQLite gets anonymous `?`: sqlx looks up
/// each numbered parameter's name, which SQLite finds by a linear scan, so a statement with
/// thousands of `$N` parameters spends its time there (measured: a third of the benchmark).
/// PostgreSQL gets `$N`. A statement uses one style throughout.
#[derive(Clone, Copy)]
pub struct Params {
    sqlite: bool,
}

impl Params {
    pub fn of(conn: &AnyConnection) -> Params {
        Params {
            sqlite: conn.backend_name().eq_ignore_ascii_case("sqlite"),
        }
    }

    pub fn is_sqlite(self) -> bool {
        self.sqlite
    }

    /// The `i`-th parameter (1-based).
    pub fn n(self, i: usize) -> String {
        if self.sqlite {
            "?".into()
        } else {
            format!("${i}")
        }
    }

    /// `p, p, …` for `count` parameters starting at `start`.
    pub fn list(self, start: usize, count: usize) -> String {
        (start..start + count)
            .map(|i| self.n(i))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `(p, p, …), (p, …)` for `rows` rows of `cols` columns.
    pub fn rows(self, rows: usize, cols: usize) -> String {
        (0..rows)
            .map(|r| format!("({})", self.list(r * cols + 1, cols)))
            .collect::<Vec<_>>()
            .join(", ")
    }
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
            Params::of(conn).rows(chunk.len(), 6)
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
            Params::of(conn).rows(chunk.len(), 7)
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
        let pg = super::Params { sqlite: false };
        assert_eq!(pg.rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(pg.list(4, 2), "$4, $5");
        let lite = super::Params { sqlite: true };
        assert_eq!(lite.rows(2, 2), "(?, ?), (?, ?)");
    }
}
