//! Reserving many payments of one enterprise at once (group commit, batch confirmation).
//!
//! The whole group is first tried as one conditional debit of the available balance; if the
//! balance does not cover it, each payment is tried alone, in order, so exactly those that
//! fit are reserved and the rest are refused, one bad payment never failing its neighbours.
//! Either way every debit is a conditional update, never a read-then-write.

use super::store::{self, PostingRow, TxRow};
use super::{ent_account, TxKind};
use crate::model::funds::{Category, EntAccount};
use sqlx::AnyConnection;

/// One payment to reserve.
pub struct Reservation<'a> {
    /// The business record (the order's row id).
    pub reference: &'a str,
    /// What the enterprise calls it (its order_id).
    pub memo: &'a str,
    pub gross: i64,
}

/// Ledger rows to write for a group, and which payments were reserved.
#[derive(Default)]
pub struct Reserved {
    pub txs: Vec<TxRow>,
    pub postings: Vec<PostingRow>,
}

/// Reserves `items` (of one enterprise) from its available balance into its reserved
/// balance. The caller writes `txs` and `postings` in the same database transaction.
pub async fn reserve_many(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    items: &[Reservation<'_>],
    now: i64,
    out: &mut Reserved,
) -> Result<Vec<bool>, sqlx::Error> {
    let available = ent_account(enterprise_id, EntAccount::Available);
    let reserved = ent_account(enterprise_id, EntAccount::Reserved);
    let n = items.len();
    let mut accepted = vec![false; n];
    let mut avail_after = vec![0i64; n];
    let total: i64 = items.iter().map(|i| i.gross).sum();
    if let Some(balance) = store::apply(conn, &available, -total, now).await? {
        let mut running = balance;
        for i in (0..n).rev() {
            accepted[i] = true;
            avail_after[i] = running;
            running += items[i].gross;
        }
    } else {
        for (i, item) in items.iter().enumerate() {
            if let Some(balance) = store::apply(conn, &available, -item.gross, now).await? {
                accepted[i] = true;
                avail_after[i] = balance;
            }
        }
    }
    let accepted_total: i64 = items
        .iter()
        .zip(&accepted)
        .filter(|(_, ok)| **ok)
        .map(|(i, _)| i.gross)
        .sum();
    if accepted_total == 0 {
        return Ok(accepted);
    }
    let reserved_balance = store::apply(conn, &reserved, accepted_total, now)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let mut reserved_after = reserved_balance - accepted_total;
    for (i, item) in items.iter().enumerate() {
        if !accepted[i] {
            continue;
        }
        reserved_after += item.gross;
        let tx_id = crate::backend::ids::new_id();
        out.txs.push(TxRow {
            id: tx_id.clone(),
            enterprise_id: enterprise_id.to_string(),
            kind: TxKind::OrderReserve.code(),
            reference: item.reference.to_string(),
            memo: item.memo.to_string(),
            created_at: now,
        });
        for (account, amount, after) in [
            (&available, -item.gross, avail_after[i]),
            (&reserved, item.gross, reserved_after),
        ] {
            out.postings.push(PostingRow {
                tx_id: tx_id.clone(),
                account_id: account.clone(),
                enterprise_id: Some(enterprise_id.to_string()),
                category: Category::Reserve,
                amount,
                balance_after: after,
                created_at: now,
            });
        }
    }
    Ok(accepted)
}

/// Writes what [`reserve_many`] collected.
pub async fn write(conn: &mut AnyConnection, r: &Reserved) -> Result<(), sqlx::Error> {
    store::insert_transactions(conn, &r.txs).await?;
    store::insert_postings(conn, &r.postings).await
}
