//! 资金管理 (P1.1.5, P6.1): balances, the receiving account, top-ups, fund flow, monthly
//! bills and the 90-day chart. Everything here is read from the ledger's postings, so it
//! always agrees with them.

pub mod credits;
pub mod receipts;
pub mod transfers;

use crate::backend::ledger;
use crate::backend::AppState;
use crate::error::AppError;
use crate::model::funds::{
    Bill, Category, CreditStatus, DayBalance, EntAccount, FlowLine, FlowPage, FundsOverview,
    ReceivingAccount, TopupView,
};
use crate::model::{Fen, UtcMillis};
use rand::Rng;
use sqlx::{AnyConnection, AssertSqlSafe};

/// Opens the enterprise's ledger accounts and its dedicated receiving account (idempotent).
/// Called when an enterprise is approved, and at start-up for enterprises that predate the
/// ledger.
pub async fn open_enterprise(
    conn: &mut AnyConnection,
    settings: &crate::backend::Settings,
    enterprise_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    ledger::open_accounts(conn, enterprise_id, now).await?;
    let has: Option<String> =
        sqlx::query_scalar("SELECT account_no FROM receiving_accounts WHERE enterprise_id = $1")
            .bind(enterprise_id)
            .fetch_optional(&mut *conn)
            .await?;
    if has.is_some() {
        return Ok(());
    }
    loop {
        let prefix: String = settings
            .receiving_prefix
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let digits: String = {
            let mut rng = rand::rng();
            (prefix.len()..19)
                .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
                .collect()
        };
        let done = sqlx::query(
            "INSERT INTO receiving_accounts (enterprise_id, account_no, account_name, bank_name, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_no) DO NOTHING",
        )
        .bind(enterprise_id)
        .bind(format!("{prefix}{digits}"))
        .bind(format!("{}客户备付金", settings.operator_name.zh))
        .bind(&settings.receiving_bank)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
    }
}

/// Gives every enterprise its accounts (start-up).
pub async fn open_all(state: &AppState) -> Result<(), sqlx::Error> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM enterprises e WHERE NOT EXISTS (SELECT 1 FROM receiving_accounts r WHERE r.enterprise_id = e.id)",
    )
    .fetch_all(state.db.pool())
    .await?;
    for id in ids {
        let mut tx = state.db.begin().await?;
        open_enterprise(&mut tx, &state.settings, &id, state.clock.now().0).await?;
        tx.commit().await?;
    }
    Ok(())
}

pub async fn receiving_account(
    conn: &mut AnyConnection,
    enterprise_id: &str,
) -> Result<Option<ReceivingAccount>, sqlx::Error> {
    let row: Option<ReceivingRow> = sqlx::query_as(
        "SELECT account_name, account_no, bank_name FROM receiving_accounts WHERE enterprise_id = $1",
    )
    .bind(enterprise_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(Into::into))
}

/// An enterprise's dedicated receiving account, as stored.
#[derive(sqlx::FromRow)]
struct ReceivingRow {
    account_name: String,
    account_no: String,
    bank_name: String,
}

impl From<ReceivingRow> for ReceivingAccount {
    fn from(r: ReceivingRow) -> Self {
        ReceivingAccount {
            account_name: r.account_name,
            account_no: r.account_no,
            bank_name: r.bank_name,
        }
    }
}

/// Sum of the enterprise's postings before `at` (its total balance then).
async fn total_before(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_postings WHERE enterprise_id = $1 AND created_at < $2",
    )
    .bind(enterprise_id)
    .bind(at)
    .fetch_one(&mut *conn)
    .await
}

/// Sums by category of the enterprise's postings in `[from, to)`.
async fn sums(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    from: i64,
    to: i64,
) -> Result<Vec<(Category, i64)>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT category, CAST(SUM(amount) AS BIGINT) FROM ledger_postings \
         WHERE enterprise_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY category",
    )
    .bind(enterprise_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(c, s)| Ok((Category::from_stored(&c, "ledger_postings.category")?, s)))
        .collect()
}

fn sum_of(sums: &[(Category, i64)], c: Category) -> i64 {
    sums.iter().filter(|(k, _)| *k == c).map(|(_, s)| s).sum()
}

/// The 资金管理 home.
pub async fn overview(state: &AppState, enterprise_id: &str) -> Result<FundsOverview, AppError> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let (available, reserved, pending) = ledger::balances(&mut conn, enterprise_id).await?;
    let (month_start, month_end) = UtcMillis::china_month_bounds(&now.china_month())
        .ok_or_else(|| AppError::internal("month"))?;
    let s = sums(&mut conn, enterprise_id, month_start.0, month_end.0).await?;
    let month_spend =
        -sum_of(&s, Category::Payment) - sum_of(&s, Category::Fee) - sum_of(&s, Category::Refund);
    // 90 China-time days, today included: closing total balance of each.
    let first_day = UtcMillis(now.china_day_floor().0 - 89 * 86_400_000);
    let mut running = total_before(&mut conn, enterprise_id, first_day.0).await?;
    let per_day: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT (created_at + 28800000) / 86400000 AS d, CAST(SUM(amount) AS BIGINT) FROM ledger_postings \
         WHERE enterprise_id = $1 AND created_at >= $2 GROUP BY (created_at + 28800000) / 86400000 ORDER BY d",
    )
    .bind(enterprise_id)
    .bind(first_day.0)
    .fetch_all(&mut *conn)
    .await
    ?;
    let receiving = receiving_account(&mut conn, enterprise_id).await?;
    let mut series = Vec::with_capacity(90);
    let mut changes = per_day.into_iter().peekable();
    for i in 0..90 {
        let day_start = UtcMillis(first_day.0 + i * 86_400_000);
        let day_no = (day_start.0 + 28_800_000) / 86_400_000;
        while let Some((d, amount)) = changes.peek().copied() {
            if d > day_no {
                break;
            }
            running += amount;
            changes.next();
        }
        series.push(DayBalance {
            day_start,
            total: Fen(running),
        });
    }
    Ok(FundsOverview {
        available: Fen(available),
        reserved: Fen(reserved),
        pending_withdrawal: Fen(pending),
        total: Fen(available + reserved + pending),
        month_spend: Fen(month_spend),
        receiving,
        series,
        fee_rule: state.settings.fees,
    })
}

/// The enterprise's top-ups, newest first: those booked to it (a credit held for a second
/// approval, or rejected, is not the enterprise's money).
pub async fn topups(state: &AppState, enterprise_id: &str) -> Result<Vec<TopupView>, AppError> {
    let mut conn = state.db.conn().await?;
    let rows: Vec<TopupRow> = sqlx::query_as(
        "SELECT id, amount, credited, payer_name, payer_account, bank_ref, value_date, created_at, status \
         FROM bank_credits WHERE enterprise_id = $1 AND status NOT IN ('held', 'rejected') ORDER BY created_at DESC, id LIMIT 200",
    )
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(TopupView::from).collect())
}

/// A bank credit as its enterprise lists it (the payer's account is masked in `From`).
#[derive(sqlx::FromRow)]
struct TopupRow {
    id: String,
    #[sqlx(try_from = "i64")]
    amount: Fen,
    #[sqlx(try_from = "i64")]
    credited: Fen,
    payer_name: String,
    payer_account: String,
    bank_ref: String,
    value_date: String,
    #[sqlx(try_from = "i64")]
    created_at: UtcMillis,
    #[sqlx(try_from = "String")]
    status: CreditStatus,
}

impl From<TopupRow> for TopupView {
    fn from(r: TopupRow) -> Self {
        TopupView {
            id: r.id,
            amount: r.amount,
            credited: r.credited,
            payer_name: r.payer_name,
            payer_account: crate::model::funds::mask_card(&r.payer_account),
            bank_ref: r.bank_ref,
            value_date: r.value_date,
            at: r.created_at,
            status: r.status,
        }
    }
}

/// Filters of the fund flow.
#[derive(Clone, Debug, Default)]
pub struct FlowFilter {
    pub from: Option<UtcMillis>,
    pub to: Option<UtcMillis>,
    pub category: Option<Category>,
}

impl FlowFilter {
    /// Parses the typed filter: China-time dates `YYYY-MM-DD` (the end day included).
    pub fn parse(from: &str, to: &str, category: &str) -> Result<FlowFilter, AppError> {
        let day = |field: &str, s: &str| -> Result<Option<UtcMillis>, AppError> {
            if s.trim().is_empty() {
                return Ok(None);
            }
            UtcMillis::china_day_start(s)
                .map(Some)
                .ok_or_else(|| AppError::invalid(field, crate::error::Rule::Format))
        };
        Ok(FlowFilter {
            from: day("from", from)?,
            to: day("to", to)?.map(|t| UtcMillis(t.0 + 86_400_000)),
            category: if category.trim().is_empty() {
                None
            } else {
                Some(
                    Category::from_code(category.trim())
                        .ok_or_else(|| AppError::invalid("category", crate::error::Rule::Format))?,
                )
            },
        })
    }
}

pub const FLOW_PAGE: i64 = 50;

/// One page of fund-flow lines, newest first, before `cursor` (a posting's sequence).
pub async fn flow_page(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    f: &FlowFilter,
    cursor: Option<i64>,
    limit: i64,
    newest_first: bool,
) -> Result<Vec<FlowLine>, sqlx::Error> {
    let (cmp, order) = if newest_first {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let sql = format!(
        "SELECT p.seq, p.created_at, p.account_id, p.category, p.amount, p.balance_after, t.memo \
         FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.tx_id \
         WHERE p.enterprise_id = $1 AND p.seq {cmp} $2 AND p.created_at >= $3 AND p.created_at < $4 \
         AND ($5 = '' OR p.category = $5) ORDER BY p.seq {order} LIMIT $6"
    );
    let rows: Vec<FlowRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(enterprise_id)
        .bind(cursor.unwrap_or(if newest_first { i64::MAX } else { 0 }))
        .bind(f.from.map_or(i64::MIN, |t| t.0))
        .bind(f.to.map_or(i64::MAX, |t| t.0))
        .bind(f.category.map_or("", |c| c.code()))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(FlowLine::try_from)
        .collect::<Result<_, _>>()?)
}

/// A posting with its transaction's memo; the account code is the last part of `account_id`.
#[derive(sqlx::FromRow)]
struct FlowRow {
    seq: i64,
    #[sqlx(try_from = "i64")]
    created_at: UtcMillis,
    account_id: String,
    #[sqlx(try_from = "String")]
    category: Category,
    #[sqlx(try_from = "i64")]
    amount: Fen,
    #[sqlx(try_from = "i64")]
    balance_after: Fen,
    memo: String,
}

impl TryFrom<FlowRow> for FlowLine {
    type Error = crate::model::UnknownCode;
    fn try_from(r: FlowRow) -> Result<Self, Self::Error> {
        Ok(FlowLine {
            seq: r.seq,
            at: r.created_at,
            account: EntAccount::from_stored(
                r.account_id.rsplit(':').next().unwrap_or_default(),
                "ledger_postings.account_id",
            )?,
            category: r.category,
            amount: r.amount,
            balance_after: r.balance_after,
            reference: r.memo,
        })
    }
}

pub async fn flow(
    state: &AppState,
    enterprise_id: &str,
    f: &FlowFilter,
    cursor: Option<i64>,
) -> Result<FlowPage, AppError> {
    let mut conn = state.db.conn().await?;
    let mut lines = flow_page(&mut conn, enterprise_id, f, cursor, FLOW_PAGE + 1, true).await?;
    let next_cursor = if lines.len() as i64 > FLOW_PAGE {
        lines.truncate(FLOW_PAGE as usize);
        lines.last().map(|l| l.seq)
    } else {
        None
    };
    Ok(FlowPage { lines, next_cursor })
}

/// The bill of a China-time month (`2026-11`), computed from the postings. A month that has
/// ended is stored the first time it is computed (and by the month-end job); a stored bill is
/// identical to one computed again, because postings never change.
pub async fn bill(state: &AppState, enterprise_id: &str, month: &str) -> Result<Bill, AppError> {
    let (start, end) = UtcMillis::china_month_bounds(month)
        .ok_or_else(|| AppError::invalid("month", crate::error::Rule::Format))?;
    let mut conn = state.db.conn().await?;
    if let Some(stored) = stored_bill(&mut conn, enterprise_id, month).await? {
        return Ok(stored);
    }
    let now = state.clock.now();
    let opening = total_before(&mut conn, enterprise_id, start.0).await?;
    let s = sums(&mut conn, enterprise_id, start.0, end.0).await?;
    let net: i64 = s.iter().map(|(_, v)| v).sum();
    let bill = Bill {
        month: month.trim().to_string(),
        opening: Fen(opening),
        topups: Fen(sum_of(&s, Category::Topup)),
        payments: Fen(-sum_of(&s, Category::Payment)),
        fees: Fen(-sum_of(&s, Category::Fee)),
        refunds: Fen(sum_of(&s, Category::Refund)),
        transfers: Fen(-sum_of(&s, Category::Transfer)),
        closing: Fen(opening + net),
        generated_at: now,
    };
    // A month's bill is stored once the month has been over for an hour, so that no
    // transaction begun before midnight can still commit into it.
    if end.0 + 3_600_000 <= now.0 {
        sqlx::query(
            "INSERT INTO monthly_bills (enterprise_id, month, opening, topups, payments, fees, refunds, transfers, closing, generated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (enterprise_id, month) DO NOTHING",
        )
        .bind(enterprise_id)
        .bind(&bill.month)
        .bind(bill.opening.0)
        .bind(bill.topups.0)
        .bind(bill.payments.0)
        .bind(bill.fees.0)
        .bind(bill.refunds.0)
        .bind(bill.transfers.0)
        .bind(bill.closing.0)
        .bind(now.0)
        .execute(&mut *conn)
        .await
        ?;
    }
    Ok(bill)
}

async fn stored_bill(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    month: &str,
) -> Result<Option<Bill>, sqlx::Error> {
    let row: Option<BillRow> = sqlx::query_as(
        "SELECT month, opening, topups, payments, fees, refunds, transfers, closing, generated_at FROM monthly_bills \
         WHERE enterprise_id = $1 AND month = $2",
    )
    .bind(enterprise_id)
    .bind(month.trim())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(Into::into))
}

/// A stored monthly bill.
#[derive(sqlx::FromRow)]
struct BillRow {
    month: String,
    #[sqlx(try_from = "i64")]
    opening: Fen,
    #[sqlx(try_from = "i64")]
    topups: Fen,
    #[sqlx(try_from = "i64")]
    payments: Fen,
    #[sqlx(try_from = "i64")]
    fees: Fen,
    #[sqlx(try_from = "i64")]
    refunds: Fen,
    #[sqlx(try_from = "i64")]
    transfers: Fen,
    #[sqlx(try_from = "i64")]
    closing: Fen,
    #[sqlx(try_from = "i64")]
    generated_at: UtcMillis,
}

impl From<BillRow> for Bill {
    fn from(r: BillRow) -> Self {
        Bill {
            month: r.month,
            opening: r.opening,
            topups: r.topups,
            payments: r.payments,
            fees: r.fees,
            refunds: r.refunds,
            transfers: r.transfers,
            closing: r.closing,
            generated_at: r.generated_at,
        }
    }
}

/// Month-end job: stores last month's bill of every enterprise that has none yet.
pub async fn close_last_month(state: &AppState) -> Result<u32, AppError> {
    let now = state.clock.now();
    let (this_start, _) = UtcMillis::china_month_bounds(&now.china_month())
        .ok_or_else(|| AppError::internal("month"))?;
    let last = UtcMillis(this_start.0 - 1).china_month();
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM enterprises e WHERE NOT EXISTS (SELECT 1 FROM monthly_bills b WHERE b.enterprise_id = e.id AND b.month = $1)",
    )
    .bind(&last)
    .fetch_all(state.db.pool())
    .await
    ?;
    for id in &ids {
        bill(state, id, &last).await?;
    }
    Ok(ids.len() as u32)
}

/// The months with any posting, newest first (for the bills page).
pub async fn bill_months(state: &AppState, enterprise_id: &str) -> Result<Vec<String>, AppError> {
    let mut conn = state.db.conn().await?;
    let first: Option<i64> =
        sqlx::query_scalar("SELECT MIN(created_at) FROM ledger_postings WHERE enterprise_id = $1")
            .bind(enterprise_id)
            .fetch_one(&mut *conn)
            .await?;
    let now = state.clock.now();
    let mut months = vec![now.china_month()];
    if let Some(first) = first {
        let first_month = UtcMillis(first).china_month();
        while months.last().is_some_and(|m| *m > first_month) && months.len() < 120 {
            let Some((start, _)) =
                UtcMillis::china_month_bounds(months.last().map_or("", String::as_str))
            else {
                break;
            };
            months.push(UtcMillis(start.0 - 1).china_month());
        }
    }
    Ok(months)
}
