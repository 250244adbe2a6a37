//! The ledger (P1.1.5): double entry, used by everything that moves money.
//!
//! - A transaction has two or more postings that sum to zero; once committed it is never
//!   changed (database triggers refuse updates and deletes). Corrections are new reversing
//!   transactions.
//! - One business event is posted once: `(kind, reference)` is unique.
//! - Balance guard: an enterprise account never goes below zero. Every debit is a single
//!   conditional `UPDATE … WHERE balance + amount >= 0 RETURNING balance` in the caller's
//!   transaction, atomic under concurrency on SQLite and PostgreSQL; a `CHECK` constraint
//!   backs it up. Balances are never read, checked and then written.
//! - Rows are always locked in account-id order (single transactions sort their legs; the
//!   group path locks every account it will touch, sorted, first), so concurrent
//!   transactions on PostgreSQL cannot deadlock on each other's accounts.
//! - Stored balances equal the sum of postings; [`verify`] re-derives them.

pub mod group;
pub mod store;
pub mod verify;

pub use verify::{verify, Drift};

use crate::model::conflict::Conflict;
use crate::model::funds::{Category, EntAccount};
use sqlx::AnyConnection;

/// The platform-wide accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlatformAccount {
    /// The platform's bank account: top-ups in, transfers out.
    BankClearing,
    FeeIncome,
    TaxWithheld,
    /// Money that reached workers.
    PaidOut,
}

impl PlatformAccount {
    pub fn id(self) -> &'static str {
        match self {
            PlatformAccount::BankClearing => "P:bank_clearing",
            PlatformAccount::FeeIncome => "P:fee_income",
            PlatformAccount::TaxWithheld => "P:tax_withheld",
            PlatformAccount::PaidOut => "P:paid_out",
        }
    }
}

/// The id of an enterprise's account.
pub fn ent_account(enterprise_id: &str, kind: EntAccount) -> String {
    format!("E:{enterprise_id}:{}", kind.code())
}

/// One line of a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leg {
    pub account: String,
    pub category: Category,
    pub amount: i64,
}

impl Leg {
    pub fn ent(enterprise_id: &str, kind: EntAccount, category: Category, amount: i64) -> Leg {
        Leg {
            account: ent_account(enterprise_id, kind),
            category,
            amount,
        }
    }
    pub fn platform(acc: PlatformAccount, category: Category, amount: i64) -> Leg {
        Leg {
            account: acc.id().to_string(),
            category,
            amount,
        }
    }
}

/// The kinds of ledger transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxKind {
    Topup,
    OrderReserve,
    OrderPost,
    OrderVoid,
    OrderReverse,
    TransferReserve,
    TransferPost,
    TransferVoid,
}

impl TxKind {
    pub fn code(self) -> &'static str {
        match self {
            TxKind::Topup => "topup",
            TxKind::OrderReserve => "order_reserve",
            TxKind::OrderPost => "order_post",
            TxKind::OrderVoid => "order_void",
            TxKind::OrderReverse => "order_reverse",
            TxKind::TransferReserve => "transfer_reserve",
            TxKind::TransferPost => "transfer_post",
            TxKind::TransferVoid => "transfer_void",
        }
    }
}

/// A transaction to post.
#[derive(Clone, Debug)]
pub struct NewTx {
    pub kind: TxKind,
    pub enterprise_id: String,
    pub reference: String,
    pub memo: String,
    pub reverses: Option<String>,
    pub legs: Vec<Leg>,
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// The debit would take a guarded account below zero.
    #[error("insufficient balance in {0}")]
    Insufficient(String),
    #[error("postings do not sum to zero")]
    Unbalanced,
    /// This event was already posted.
    #[error("already posted")]
    AlreadyPosted,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<LedgerError> for crate::error::AppError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Insufficient(_) => {
                crate::error::AppError::Conflict(Conflict::InsufficientBalance)
            }
            LedgerError::AlreadyPosted => crate::error::AppError::Conflict(Conflict::AlreadyDone),
            other => crate::error::AppError::internal(other),
        }
    }
}

/// Posts `tx` inside the caller's database transaction and returns its id. On any error the
/// caller must roll back (dropping the transaction does), because some accounts may already
/// have been updated.
pub async fn post(conn: &mut AnyConnection, tx: NewTx, now: i64) -> Result<String, LedgerError> {
    if tx.legs.len() < 2 || tx.legs.iter().map(|l| i128::from(l.amount)).sum::<i128>() != 0 {
        return Err(LedgerError::Unbalanced);
    }
    let id = crate::backend::ids::new_time_ordered_id();
    let inserted = store::insert_transaction(conn, &id, &tx, now).await?;
    if !inserted {
        return Err(LedgerError::AlreadyPosted);
    }
    let mut legs: Vec<&Leg> = tx.legs.iter().filter(|l| l.amount != 0).collect();
    if legs.len() < 2 {
        return Err(LedgerError::Unbalanced);
    }
    legs.sort_by(|a, b| a.account.cmp(&b.account));
    let mut rows = Vec::with_capacity(legs.len());
    for leg in legs {
        let balance = store::apply(conn, &leg.account, leg.amount, now)
            .await?
            .ok_or_else(|| LedgerError::Insufficient(leg.account.clone()))?;
        rows.push(store::PostingRow {
            tx_id: id.clone(),
            account_id: leg.account.clone(),
            enterprise_id: leg
                .account
                .starts_with("E:")
                .then(|| tx.enterprise_id.clone()),
            category: leg.category,
            amount: leg.amount,
            balance_after: balance,
            created_at: now,
        });
    }
    store::insert_postings(conn, &rows).await?;
    Ok(id)
}

/// The enterprise's three balances: (available, reserved, pending withdrawal).
pub async fn balances(
    conn: &mut AnyConnection,
    enterprise_id: &str,
) -> Result<(i64, i64, i64), sqlx::Error> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT kind, balance FROM ledger_accounts WHERE enterprise_id = $1")
            .bind(enterprise_id)
            .fetch_all(&mut *conn)
            .await?;
    let get = |k: EntAccount| {
        rows.iter()
            .find(|(kind, _)| kind == k.code())
            .map_or(0, |(_, b)| *b)
    };
    Ok((
        get(EntAccount::Available),
        get(EntAccount::Reserved),
        get(EntAccount::WithdrawPending),
    ))
}

/// Opens the enterprise's three accounts (idempotent).
pub async fn open_accounts(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    for kind in EntAccount::ALL {
        sqlx::query(
            "INSERT INTO ledger_accounts (id, enterprise_id, kind, balance, floor_zero, updated_at) \
             VALUES ($1, $2, $3, 0, 1, $4) ON CONFLICT (id) DO NOTHING",
        )
        .bind(ent_account(enterprise_id, *kind))
        .bind(enterprise_id)
        .bind(kind.code())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
