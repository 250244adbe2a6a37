//! Transfers (withdrawals of unused prepayment) to the enterprise's own bank account: the
//! admin asks, finance approves or rejects. Two-phase in the ledger: the amount is reserved
//! (available → pending withdrawal) at the request, then posted out of the platform's bank
//! account at approval or voided back at rejection.

use crate::backend::audit::{self, Actor, Event};
use crate::backend::ledger::{self, Leg, NewTx, PlatformAccount, TxKind};
use crate::backend::AppState;
use crate::error::AppError;
use crate::model::approval::{transfer_next, Decision};
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::form::{check, parse_text};
use crate::model::funds::{
    mask_card, Category, EntAccount, TransferStatus, TransferView, TransfersPage, WithdrawalAccount,
};
use crate::model::orders::OrderId;
use crate::model::{Fen, UtcMillis};
use sqlx::AnyConnection;

fn ctx(enterprise_id: &str) -> String {
    format!("withdrawal_accounts.account_no:{enterprise_id}")
}

/// Sets the enterprise's own bank account (admin; needs the account holder's name, the bank
/// and an 8-30 digit account number).
pub async fn set_account(
    state: &AppState,
    enterprise_id: &str,
    actor: &Actor,
    name: &str,
    bank: &str,
    number: &str,
) -> Result<(), AppError> {
    let mut errs = Vec::new();
    let name = check(&mut errs, "account_name", parse_text(name, 100));
    let bank = check(&mut errs, "bank_name", parse_text(bank, 100));
    let number = check(
        &mut errs,
        "account_no",
        crate::model::funds::parse_corporate_account(number),
    );
    let (Some(name), Some(bank), Some(number)) = (name, bank, number) else {
        return Err(AppError::Invalid(errs));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO withdrawal_accounts (enterprise_id, account_name, bank_name, account_no_enc, account_hint, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (enterprise_id) DO UPDATE SET account_name = excluded.account_name, \
         bank_name = excluded.bank_name, account_no_enc = excluded.account_no_enc, account_hint = excluded.account_hint, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(enterprise_id)
    .bind(&name)
    .bind(&bank)
    .bind(state.cipher.encrypt_text(&number, &ctx(enterprise_id)))
    .bind(mask_card(&number))
    .bind(&actor.id)
    .bind(now.0)
    .execute(&mut *tx)
    .await
    ?;
    tell_admins(
        state,
        &mut tx,
        enterprise_id,
        actor,
        &bank,
        &mask_card(&number),
        now,
    )
    .await?;
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: "funds.withdrawal_account_set",
            target: &format!("enterprise:{enterprise_id}"),
            result: AuditResult::Ok,
            detail: &mask_card(&number),
        },
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Money leaves to this account: every active admin of the enterprise is told that it changed,
/// and by whom (issue 14), the one who changed it too (by e-mail and SMS, which a stolen
/// session does not control), so that a hijacked session cannot redirect withdrawals unnoticed.
async fn tell_admins(
    state: &AppState,
    conn: &mut AnyConnection,
    enterprise_id: &str,
    actor: &Actor,
    bank: &str,
    masked: &str,
    now: UtcMillis,
) -> Result<(), AppError> {
    use crate::backend::messages::{self, Notice};
    let (by,): (String,) = sqlx::query_as("SELECT name FROM users WHERE id = $1")
        .bind(&actor.id)
        .fetch_one(&mut *conn)
        .await?;
    let admins = messages::admins_of(conn, enterprise_id).await?;
    let title = crate::model::Bilingual::new("提现账户已更改", "Withdrawal account changed");
    let body = crate::model::Bilingual::new(
        format!("{by} 将企业的提现账户改为 {bank} {masked}。如非贵企业的安排，请立即联系平台客服。"),
        format!("{by} changed the enterprise's withdrawal account to {bank} {masked}. If your enterprise did not arrange this, contact the platform's support at once."),
    );
    let notice = Notice {
        category: crate::model::messages::MessageCategory::Security,
        purpose: crate::model::outbox::OutboxPurpose::WithdrawalAccountChanged,
        title: &title,
        body: &body,
        // It names who changed it: erased with them (P6.3); the audit trail keeps the change.
        source: &messages::about_person(&actor.id),
        email_only: false,
    };
    for id in admins {
        messages::tell(state, conn, &id, &notice, now).await?;
    }
    Ok(())
}

/// The enterprise's own bank account as stored: the number encrypted, and its masked hint.
#[derive(sqlx::FromRow)]
struct WithdrawalRow {
    account_name: String,
    bank_name: String,
    account_no_enc: String,
    account_hint: String,
}

/// The enterprise's own bank account, and its encrypted number.
async fn account(
    conn: &mut AnyConnection,
    enterprise_id: &str,
) -> Result<Option<(WithdrawalAccount, String)>, sqlx::Error> {
    let row: Option<WithdrawalRow> = sqlx::query_as(
        "SELECT account_name, bank_name, account_no_enc, account_hint FROM withdrawal_accounts WHERE enterprise_id = $1",
    )
    .bind(enterprise_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| {
        (
            WithdrawalAccount {
                account_name: r.account_name,
                bank_name: r.bank_name,
                account_masked: r.account_hint,
            },
            r.account_no_enc,
        )
    }))
}

/// Asks for a transfer. `key` is the form's idempotency key: a repeated submission returns
/// the first request.
pub async fn request(
    state: &AppState,
    enterprise_id: &str,
    actor: &Actor,
    amount: &str,
    key: &str,
) -> Result<TransferView, AppError> {
    let amount = Fen::parse_positive_yuan(amount).map_err(|r| AppError::invalid("amount", r))?;
    let key = OrderId::parse(key).map_err(|r| AppError::invalid("key", r))?;
    let client_key = format!("{enterprise_id}/{}", key.as_str());
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (acct, number_enc) = account(&mut tx, enterprise_id)
        .await?
        .ok_or(AppError::Conflict(Conflict::NoWithdrawalAccount))?;
    let id = crate::backend::ids::new_id();
    let done = sqlx::query(
        "INSERT INTO transfers (id, enterprise_id, client_key, amount, status, reason, account_name, bank_name, account_no_enc, account_hint, requested_by, requested_at) \
         VALUES ($1, $2, $3, $4, 'requested', '', $5, $6, $7, $8, $9, $10) ON CONFLICT (client_key) DO NOTHING",
    )
    .bind(&id)
    .bind(enterprise_id)
    .bind(&client_key)
    .bind(amount.0)
    .bind(&acct.account_name)
    .bind(&acct.bank_name)
    .bind(&number_enc)
    .bind(&acct.account_masked)
    .bind(&actor.id)
    .bind(now.0)
    .execute(&mut *tx)
    .await
    ?;
    if done.rows_affected() == 0 {
        let (existing_id, existing_amount): (String, i64) =
            sqlx::query_as("SELECT id, amount FROM transfers WHERE client_key = $1")
                .bind(&client_key)
                .fetch_one(&mut *tx)
                .await?;
        drop(tx);
        if existing_amount != amount.0 {
            return Err(AppError::Conflict(Conflict::KeyReused));
        }
        return get(state, Some(enterprise_id), &existing_id).await;
    }
    ledger::post(
        &mut tx,
        NewTx {
            kind: TxKind::TransferReserve,
            enterprise_id: enterprise_id.to_string(),
            reference: id.clone(),
            memo: id[..12].to_string(),
            reverses: None,
            legs: vec![
                Leg::ent(
                    enterprise_id,
                    EntAccount::Available,
                    Category::Withdraw,
                    -amount.0,
                ),
                Leg::ent(
                    enterprise_id,
                    EntAccount::WithdrawPending,
                    Category::Withdraw,
                    amount.0,
                ),
            ],
        },
        now.0,
    )
    .await?;
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: "transfer.request",
            target: &format!("transfer:{id}"),
            result: AuditResult::Ok,
            detail: &amount.to_yuan_plain(),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    get(state, Some(enterprise_id), &id).await
}

/// Finance decides a transfer (issue 14, four eyes): a first approval only checks it; a
/// second approval by another finance operator posts it (the money leaves the platform's bank
/// account); a rejection at either step returns it to the available balance.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: &str,
    approve: bool,
    reason: &str,
) -> Result<TransferView, AppError> {
    let (decision, reason) =
        Decision::parse(approve, reason).map_err(|r| AppError::invalid("reason", r))?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (eid, amount, status, checked_by): (String, i64, String, Option<String>) = sqlx::query_as(
        "SELECT enterprise_id, amount, status, checked_by FROM transfers WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let from =
        TransferStatus::from_stored(&status, "transfers.status").map_err(AppError::internal)?;
    let to = transfer_next(from, decision, checked_by.as_deref(), &actor.id)
        .map_err(AppError::Conflict)?;
    // The status read above is the guard: a concurrent decision changes it first.
    let sql = if to == TransferStatus::Checked {
        "UPDATE transfers SET status = $1, checked_by = $2, checked_at = $3 WHERE id = $4 AND status = $5 AND $6 = ''"
    } else {
        "UPDATE transfers SET status = $1, decided_by = $2, decided_at = $3, reason = $6 WHERE id = $4 AND status = $5"
    };
    let done = sqlx::query(sql)
        .bind(to.code())
        .bind(&actor.id)
        .bind(now.0)
        .bind(id)
        .bind(from.code())
        .bind(&reason)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::TransferAlreadyDecided));
    }
    let posting = match to {
        TransferStatus::Approved => Some((
            TxKind::TransferPost,
            vec![
                Leg::ent(
                    &eid,
                    EntAccount::WithdrawPending,
                    Category::Transfer,
                    -amount,
                ),
                Leg::platform(PlatformAccount::BankClearing, Category::Transfer, amount),
            ],
        )),
        TransferStatus::Rejected => Some((
            TxKind::TransferVoid,
            vec![
                Leg::ent(
                    &eid,
                    EntAccount::WithdrawPending,
                    Category::Release,
                    -amount,
                ),
                Leg::ent(&eid, EntAccount::Available, Category::Release, amount),
            ],
        )),
        TransferStatus::Requested | TransferStatus::Checked => None,
    };
    if let Some((kind, legs)) = posting {
        ledger::post(
            &mut tx,
            NewTx {
                kind,
                enterprise_id: eid.clone(),
                reference: id.to_string(),
                memo: id[..12].to_string(),
                reverses: None,
                legs,
            },
            now.0,
        )
        .await?;
    }
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(&eid),
            action: match to {
                TransferStatus::Checked => "transfer.check",
                TransferStatus::Approved => "transfer.approve",
                _ => "transfer.reject",
            },
            target: &format!("transfer:{id}"),
            result: AuditResult::Ok,
            detail: &Fen(amount).to_yuan_plain(),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    get(state, None, id).await
}

const COLUMNS: &str = "t.id, e.name AS enterprise_name, t.amount, t.status, t.reason, t.account_name, t.bank_name, t.account_hint, t.requested_at, t.decided_at, o.display_name AS checked_by";

/// The tables [`COLUMNS`] reads: the first approver's name comes from the operators.
const FROM: &str = "transfers t JOIN enterprises e ON e.id = t.enterprise_id LEFT JOIN operators o ON o.id = t.checked_by";

/// A row selected with [`COLUMNS`], read by `sqlx::FromRow`: the status goes through
/// `TryFrom<String>`, so an unknown stored code fails the read (never a default). The pattern
/// for row readers: a typed row, then `From` into the view.
#[derive(sqlx::FromRow)]
struct TransferRow {
    id: String,
    enterprise_name: String,
    amount: i64,
    #[sqlx(try_from = "String")]
    status: TransferStatus,
    reason: String,
    account_name: String,
    bank_name: String,
    account_hint: String,
    requested_at: i64,
    decided_at: Option<i64>,
    checked_by: Option<String>,
}

impl From<TransferRow> for TransferView {
    fn from(r: TransferRow) -> Self {
        TransferView {
            id: r.id,
            enterprise_name: r.enterprise_name,
            amount: Fen(r.amount),
            status: r.status,
            reason: r.reason,
            account_name: r.account_name,
            bank_name: r.bank_name,
            account_masked: r.account_hint,
            requested_at: UtcMillis(r.requested_at),
            decided_at: r.decided_at.map(UtcMillis),
            checked_by: r.checked_by,
        }
    }
}

/// One transfer; limited to the enterprise when one is given.
pub async fn get(
    state: &AppState,
    enterprise_id: Option<&str>,
    id: &str,
) -> Result<TransferView, AppError> {
    let mut conn = state.db.conn().await?;
    let row: TransferRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE t.id = $1 AND ($2 = '' OR t.enterprise_id = $2)"
    )))
    .bind(id)
    .bind(enterprise_id.unwrap_or(""))
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(for_viewer(row.into(), enterprise_id))
}

/// The enterprise sees that its transfer is being checked, not which operator checked it.
fn for_viewer(mut view: TransferView, enterprise_id: Option<&str>) -> TransferView {
    if enterprise_id.is_some() {
        view.checked_by = None;
    }
    view
}

/// Transfers of one enterprise, or (finance) of all, optionally only those waiting.
pub async fn list(
    state: &AppState,
    enterprise_id: Option<&str>,
    waiting_only: bool,
) -> Result<Vec<TransferView>, AppError> {
    let mut conn = state.db.conn().await?;
    let rows: Vec<TransferRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {FROM} \
         WHERE ($1 = '' OR t.enterprise_id = $1) AND ($2 = 0 OR t.status IN ('requested', 'checked')) ORDER BY t.requested_at DESC, t.id LIMIT 200"
    )))
    .bind(enterprise_id.unwrap_or(""))
    .bind(i64::from(waiting_only))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| for_viewer(r.into(), enterprise_id))
        .collect())
}

/// The enterprise's transfers page.
pub async fn page(state: &AppState, enterprise_id: &str) -> Result<TransfersPage, AppError> {
    let mut conn = state.db.conn().await?;
    let account = account(&mut conn, enterprise_id).await?.map(|(a, _)| a);
    let (available, _, _) = ledger::balances(&mut conn, enterprise_id).await?;
    drop(conn);
    Ok(TransfersPage {
        account,
        available: Fen(available),
        transfers: list(state, Some(enterprise_id), false).await?,
        form_key: crate::backend::ids::new_id(),
    })
}
