//! Reserving many payments of one enterprise at once (group commit, batch confirmation).
//!
//! Each enterprise's payments are first tried as one conditional debit of its available
//! balance (all enterprises in one statement); if the balance does not cover them, each
//! payment is tried alone, in order, so exactly those that fit are reserved and the rest are
//! refused, one bad payment never failing its neighbours. Either way every debit is a
//! conditional update, never a read-then-write.

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
/// balance. The caller writes `out`'s rows in the same database transaction.
pub async fn reserve_many(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    items: &[Reservation<'_>],
    now: i64,
    out: &mut Reserved,
) -> Result<Vec<bool>, sqlx::Error> {
    let mut all = reserve_groups(conn, &[(enterprise_id, items)], now, out).await?;
    Ok(all.pop().unwrap_or_default())
}

/// Reserves for many enterprises at once (group commit): one statement debits every
/// enterprise's total where it fits; only an enterprise whose total does not fit has its
/// payments tried one by one; one statement credits every reserved balance. Enterprises are
/// given in id order, so rows are always locked in the same order.
pub async fn reserve_groups(
    conn: &mut AnyConnection,
    groups: &[(&str, &[Reservation<'_>])],
    now: i64,
    out: &mut Reserved,
) -> Result<Vec<Vec<bool>>, sqlx::Error> {
    let debits: Vec<(String, i64)> = groups
        .iter()
        .map(|(eid, items)| {
            (
                ent_account(eid, EntAccount::Available),
                -items.iter().map(|i| i.gross).sum::<i64>(),
            )
        })
        .collect();
    let mut all_accounts: Vec<String> = groups
        .iter()
        .flat_map(|(eid, _)| {
            [
                ent_account(eid, EntAccount::Available),
                ent_account(eid, EntAccount::Reserved),
            ]
        })
        .collect();
    all_accounts.sort();
    store::lock_in_order(conn, &all_accounts).await?;
    let whole = store::apply_many(conn, &debits, now).await?;
    let mut accepted_all = Vec::with_capacity(groups.len());
    let mut avail_after_all = Vec::with_capacity(groups.len());
    for ((eid, items), (available, _)) in groups.iter().zip(&debits) {
        let n = items.len();
        let mut accepted = vec![false; n];
        let mut avail_after = vec![0i64; n];
        if let Some(balance) = whole.get(available) {
            let mut running = *balance;
            for i in (0..n).rev() {
                accepted[i] = true;
                avail_after[i] = running;
                running += items[i].gross;
            }
        } else {
            let _ = eid;
            for (i, item) in items.iter().enumerate() {
                if let Some(balance) = store::apply(conn, available, -item.gross, now).await? {
                    accepted[i] = true;
                    avail_after[i] = balance;
                }
            }
        }
        accepted_all.push(accepted);
        avail_after_all.push(avail_after);
    }
    let credits: Vec<(String, i64)> = groups
        .iter()
        .zip(&accepted_all)
        .map(|((eid, items), acc)| {
            let total: i64 = items
                .iter()
                .zip(acc)
                .filter(|(_, ok)| **ok)
                .map(|(i, _)| i.gross)
                .sum();
            (ent_account(eid, EntAccount::Reserved), total)
        })
        .filter(|(_, total)| *total > 0)
        .collect();
    let reserved_balances = store::apply_many(conn, &credits, now).await?;
    for (g, (eid, items)) in groups.iter().enumerate() {
        let (available, reserved) = (
            ent_account(eid, EntAccount::Available),
            ent_account(eid, EntAccount::Reserved),
        );
        let accepted_total: i64 = items
            .iter()
            .zip(&accepted_all[g])
            .filter(|(_, ok)| **ok)
            .map(|(i, _)| i.gross)
            .sum();
        if accepted_total == 0 {
            continue;
        }
        let balance = *reserved_balances
            .get(&reserved)
            .ok_or(sqlx::Error::RowNotFound)?;
        let mut reserved_after = balance - accepted_total;
        for (i, item) in items.iter().enumerate() {
            if !accepted_all[g][i] {
                continue;
            }
            reserved_after += item.gross;
            let tx_id = crate::backend::ids::new_time_ordered_id();
            out.txs.push(TxRow {
                id: tx_id.clone(),
                enterprise_id: eid.to_string(),
                kind: TxKind::OrderReserve.code(),
                reference: item.reference.to_string(),
                memo: item.memo.to_string(),
                created_at: now,
            });
            for (account, amount, after) in [
                (&available, -item.gross, avail_after_all[g][i]),
                (&reserved, item.gross, reserved_after),
            ] {
                out.postings.push(PostingRow {
                    tx_id: tx_id.clone(),
                    account_id: account.clone(),
                    enterprise_id: Some(eid.to_string()),
                    category: Category::Reserve,
                    amount,
                    balance_after: after,
                    created_at: now,
                });
            }
        }
    }
    Ok(accepted_all)
}

/// Writes what [`reserve_many`] collected.
pub async fn write(conn: &mut AnyConnection, r: &Reserved) -> Result<(), sqlx::Error> {
    store::insert_transactions(conn, &r.txs).await?;
    store::insert_postings(conn, &r.postings).await
}
