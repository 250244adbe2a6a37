//! Incoming bank credits (top-ups). Finance records them one at a time or imports the bank's
//! statement. A credit to an enterprise's dedicated receiving account is applied at once;
//! any other waits in the to-be-matched queue until finance assigns it. The bank's own
//! reference is the idempotency key: re-importing a statement never credits twice, and the
//! same reference with another amount or account is refused.

use crate::backend::audit::{self, Actor, Event};
use crate::backend::crypto::FieldCipher;
use crate::backend::db::Db;
use crate::backend::ledger::{self, Leg, NewTx, PlatformAccount, TxKind};
use crate::backend::AppState;
use crate::error::{AppError, Rule};
use crate::model::approval::{assign_allowed, credit_needs_check, credit_next, Decision};
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::funds::{
    mask_card, BankCreditView, Category, CreditStatus, EntAccount, ImportSummary,
};
use crate::model::orders::{parse_statement, BankCreditInput, RowError};
use crate::model::{Fen, UtcMillis};
use sqlx::AnyConnection;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    Credited,
    Unmatched,
    /// Above the threshold: waits for a second finance operator (issue 14).
    Held,
    AlreadyRecorded,
}

/// Books a matched credit to the enterprise's available balance and notes the ledger
/// transaction (and, if not set yet, when it was matched) on the credit.
async fn apply(
    conn: &mut AnyConnection,
    credit_id: &str,
    bank_ref: &str,
    enterprise_id: &str,
    credited: i64,
    now: i64,
) -> Result<(), AppError> {
    let tx_id = ledger::post(
        conn,
        NewTx {
            kind: TxKind::Topup,
            enterprise_id: enterprise_id.to_string(),
            reference: credit_id.to_string(),
            memo: bank_ref.to_string(),
            reverses: None,
            legs: vec![
                Leg::ent(
                    enterprise_id,
                    EntAccount::Available,
                    Category::Topup,
                    credited,
                ),
                Leg::platform(PlatformAccount::BankClearing, Category::Topup, -credited),
            ],
        },
        now,
    )
    .await?;
    sqlx::query(
        "UPDATE bank_credits SET ledger_tx = $1, matched_at = COALESCE(matched_at, $2) WHERE id = $3",
    )
    .bind(&tx_id)
    .bind(now)
    .bind(credit_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The encryption context of a credit's payer account.
fn payer_ctx(id: &str) -> String {
    format!("bank_credits.payer_account:{id}")
}

/// Seals the payer accounts written before they were encrypted (migration 0016): each is
/// encrypted and its plain column keeps only the masked form. Runs at start; does nothing
/// once every row is sealed.
pub async fn seal_payer_accounts(db: &Db, cipher: &FieldCipher) -> Result<u64, AppError> {
    let mut tx = db.begin().await?;
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, payer_account FROM bank_credits WHERE payer_account_enc IS NULL",
    )
    .fetch_all(&mut *tx)
    .await?;
    for (id, account) in &rows {
        sqlx::query(
            "UPDATE bank_credits SET payer_account = $1, payer_account_enc = $2 WHERE id = $3",
        )
        .bind(mask_card(account))
        .bind(cipher.encrypt_text(account, &payer_ctx(id)))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}

/// Records one credit inside the caller's transaction. `Err(rule)` when the reference was
/// recorded before with other details. A credit above `threshold` is held, not booked, until
/// a second operator approves it ([`decide`]).
pub async fn record_in(
    conn: &mut AnyConnection,
    cipher: &FieldCipher,
    threshold: Fen,
    c: &BankCreditInput,
    source: &str,
    actor: &Actor,
    now: i64,
) -> Result<Result<Recorded, Rule>, AppError> {
    let id = crate::backend::ids::new_id();
    let enterprise: Option<String> =
        // A closed enterprise's account books nothing: finance matches or returns it.
        sqlx::query_scalar(
            "SELECT r.enterprise_id FROM receiving_accounts r JOIN enterprises e ON e.id = r.enterprise_id \
             WHERE r.account_no = $1 AND e.status = 'active'",
        )
            .bind(&c.receiving_account_no)
            .fetch_optional(&mut *conn)
            .await?;
    let credited = c.amount.0 - c.bank_fee.0;
    let held = credit_needs_check(c.amount, threshold);
    let status = if held {
        CreditStatus::Held
    } else if enterprise.is_some() {
        CreditStatus::Credited
    } else {
        CreditStatus::Unmatched
    };
    let done = sqlx::query(
        "INSERT INTO bank_credits (id, bank_ref, amount, bank_fee, credited, payer_name, payer_account, payer_account_enc, \
         receiving_account_no, value_date, status, enterprise_id, source, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT (bank_ref) DO NOTHING",
    )
    .bind(&id)
    .bind(&c.bank_ref)
    .bind(c.amount.0)
    .bind(c.bank_fee.0)
    .bind(credited)
    .bind(&c.payer_name)
    .bind(mask_card(&c.payer_account))
    .bind(cipher.encrypt_text(&c.payer_account, &payer_ctx(&id)))
    .bind(&c.receiving_account_no)
    .bind(&c.value_date)
    .bind(status.code())
    .bind(enterprise.as_deref())
    .bind(source)
    .bind(&actor.id)
    .bind(now)
    .execute(&mut *conn)
    .await
    ?;
    if done.rows_affected() == 0 {
        let same: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM bank_credits WHERE bank_ref = $1 AND amount = $2 AND bank_fee = $3 AND receiving_account_no = $4",
        )
        .bind(&c.bank_ref)
        .bind(c.amount.0)
        .bind(c.bank_fee.0)
        .bind(&c.receiving_account_no)
        .fetch_optional(&mut *conn)
        .await
        ?;
        return Ok(if same.is_some() {
            Ok(Recorded::AlreadyRecorded)
        } else {
            Err(Rule::Mismatch)
        });
    }
    if held {
        return Ok(Ok(Recorded::Held));
    }
    let Some(eid) = enterprise else {
        return Ok(Ok(Recorded::Unmatched));
    };
    apply(conn, &id, &c.bank_ref, &eid, credited, now).await?;
    Ok(Ok(Recorded::Credited))
}

/// Whether this bank reference is recorded already: `Some(true)` with the same details,
/// `Some(false)` with others (refused on recording), `None` if not.
pub async fn recorded_before(
    state: &AppState,
    c: &BankCreditInput,
) -> Result<Option<bool>, AppError> {
    let mut conn = state.db.conn().await?;
    let row: Option<(i64, i64, String)> = sqlx::query_as(
        "SELECT amount, bank_fee, receiving_account_no FROM bank_credits WHERE bank_ref = $1",
    )
    .bind(&c.bank_ref)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(amount, bank_fee, receiving_account_no)| {
        amount == c.amount.0
            && bank_fee == c.bank_fee.0
            && receiving_account_no == c.receiving_account_no
    }))
}

/// Who owns `receiving_account_no` (the enterprise's name), if anyone.
pub async fn owner_of(
    state: &AppState,
    receiving_account_no: &str,
) -> Result<Option<String>, AppError> {
    let mut conn = state.db.conn().await?;
    sqlx::query_scalar(
        "SELECT e.name FROM receiving_accounts r JOIN enterprises e ON e.id = r.enterprise_id WHERE r.account_no = $1",
    )
    .bind(receiving_account_no)
    .fetch_optional(&mut *conn)
    .await
    .map_err(AppError::internal)
}

/// Records one credit typed by finance.
pub async fn record(
    state: &AppState,
    actor: &Actor,
    c: &BankCreditInput,
) -> Result<Recorded, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let threshold = state.settings.credit_check_above;
    let outcome = record_in(&mut tx, &state.cipher, threshold, c, "manual", actor, now.0)
        .await?
        .map_err(|rule| AppError::invalid("bank_ref", rule))?;
    if outcome != Recorded::AlreadyRecorded {
        audit::append(
            &mut tx,
            &Event {
                actor,
                enterprise_id: None,
                action: "funds.credit_record",
                target: &format!("bank_ref:{}", c.bank_ref),
                result: AuditResult::Ok,
                detail: &format!("{} {:?}", Fen(c.amount.0).to_yuan_plain(), outcome),
            },
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(outcome)
}

/// Imports a statement: every line or none.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    bytes: &[u8],
) -> Result<Result<ImportSummary, Vec<RowError>>, AppError> {
    let credits = match parse_statement(bytes) {
        Ok(c) => c,
        Err(errors) => return Ok(Err(errors)),
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let mut summary = ImportSummary::default();
    let mut errors = Vec::new();
    for (line, c) in &credits {
        let threshold = state.settings.credit_check_above;
        match record_in(
            &mut tx,
            &state.cipher,
            threshold,
            c,
            "statement",
            actor,
            now.0,
        )
        .await?
        {
            Ok(Recorded::Credited) => summary.credited += 1,
            Ok(Recorded::Unmatched) => summary.unmatched += 1,
            Ok(Recorded::Held) => summary.held += 1,
            Ok(Recorded::AlreadyRecorded) => summary.already_recorded += 1,
            Err(rule) => errors.push(RowError {
                line: *line,
                field: "bank_ref".into(),
                rule,
            }),
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: None,
            action: "funds.statement_import",
            target: "bank_statement",
            result: AuditResult::Ok,
            detail: &format!("{summary:?}"),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(summary))
}

/// Assigns a to-be-matched credit to an enterprise (named by its receiving account number or
/// its credit code) and applies it.
pub async fn assign(
    state: &AppState,
    actor: &Actor,
    credit_id: &str,
    enterprise_ref: &str,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    // A credit code may belong to more than one enterprise (a reviewer may open a second
    // account for it): then only the receiving account number names the right one.
    let found: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT r.enterprise_id FROM receiving_accounts r JOIN enterprises e ON e.id = r.enterprise_id \
         WHERE (r.account_no = $1 OR e.credit_code = $1) AND e.status = 'active'",
    )
    .bind(enterprise_ref.trim().to_uppercase())
    .fetch_all(&mut *tx)
    .await
    ?;
    let eid = match found.as_slice() {
        [one] => one.clone(),
        [] => return Err(AppError::invalid("enterprise", Rule::Format)),
        _ => return Err(AppError::invalid("enterprise", Rule::Ambiguous)),
    };
    let (bank_ref, credited, amount, recorded_by): (String, i64, i64, String) = sqlx::query_as(
        "SELECT bank_ref, credited, amount, recorded_by FROM bank_credits WHERE id = $1 AND status = 'unmatched'",
    )
    .bind(credit_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::Conflict(Conflict::CreditNotUnmatched))?;
    assign_allowed(
        Fen(amount),
        state.settings.credit_check_above,
        &recorded_by,
        &actor.id,
    )
    .map_err(AppError::Conflict)?;
    let done = sqlx::query(
        "UPDATE bank_credits SET status = 'credited', enterprise_id = $1, matched_by = $2, matched_at = $3 WHERE id = $4 AND status = 'unmatched'",
    )
    .bind(&eid)
    .bind(&actor.id)
    .bind(now.0)
    .bind(credit_id)
    .execute(&mut *tx)
    .await
    ?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::CreditNotUnmatched));
    }
    apply(&mut tx, credit_id, &bank_ref, &eid, credited, now.0).await?;
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(&eid),
            action: "funds.credit_assign",
            target: &format!("bank_ref:{bank_ref}"),
            result: AuditResult::Ok,
            detail: &Fen(credited).to_yuan_plain(),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A bank credit as finance lists it.
#[derive(sqlx::FromRow)]
struct CreditRow {
    id: String,
    bank_ref: String,
    amount: i64,
    credited: i64,
    payer_name: String,
    payer_account: String,
    receiving_account_no: String,
    value_date: String,
    #[sqlx(try_from = "String")]
    status: CreditStatus,
    enterprise_name: Option<String>,
    created_at: i64,
    recorded_by: String,
    reason: String,
}

impl From<CreditRow> for BankCreditView {
    fn from(r: CreditRow) -> Self {
        BankCreditView {
            id: r.id,
            bank_ref: r.bank_ref,
            amount: Fen(r.amount),
            credited: Fen(r.credited),
            payer_name: r.payer_name,
            payer_account: r.payer_account,
            receiving_account_no: r.receiving_account_no,
            value_date: r.value_date,
            status: r.status,
            enterprise_name: r.enterprise_name,
            at: UtcMillis(r.created_at),
            recorded_by: r.recorded_by,
            reason: r.reason,
        }
    }
}

/// Recent credits for finance, or only those with `status` (the queues: unmatched, held).
/// A rejected credit shows the bank reference it was recorded with.
pub async fn list(
    state: &AppState,
    status: Option<CreditStatus>,
) -> Result<Vec<BankCreditView>, AppError> {
    let mut conn = state.db.conn().await?;
    let rows: Vec<CreditRow> = sqlx::query_as(
        "SELECT c.id, COALESCE(c.rejected_ref, c.bank_ref) AS bank_ref, c.amount, c.credited, c.payer_name, c.payer_account, \
         c.receiving_account_no, c.value_date, c.status, c.created_at, e.name AS enterprise_name, \
         COALESCE(o.display_name, c.recorded_by) AS recorded_by, c.reason \
         FROM bank_credits c LEFT JOIN enterprises e ON e.id = c.enterprise_id LEFT JOIN operators o ON o.id = c.recorded_by \
         WHERE ($1 = '' OR c.status = $1) ORDER BY c.created_at DESC, c.id LIMIT 200",
    )
    .bind(status.map_or("", CreditStatus::code))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(BankCreditView::from).collect())
}

/// A second finance operator decides a held credit (issue 14, four eyes): approved, it is
/// booked to its enterprise (or joins the to-be-matched queue); rejected, nothing is booked
/// and its bank reference is freed so that the correct credit can be recorded.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    credit_id: &str,
    approve: bool,
    reason: &str,
) -> Result<CreditStatus, AppError> {
    let (decision, reason) =
        Decision::parse(approve, reason).map_err(|r| AppError::invalid("reason", r))?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (bank_ref, credited, status, recorded_by, enterprise): (String, i64, String, String, Option<String>) =
        sqlx::query_as(
            "SELECT bank_ref, credited, status, recorded_by, enterprise_id FROM bank_credits WHERE id = $1",
        )
        .bind(credit_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let from =
        CreditStatus::from_stored(&status, "bank_credits.status").map_err(AppError::internal)?;
    let to = credit_next(
        from,
        decision,
        &recorded_by,
        &actor.id,
        enterprise.is_some(),
    )
    .map_err(AppError::Conflict)?;
    let sql = if to == CreditStatus::Rejected {
        "UPDATE bank_credits SET status = $1, checked_by = $2, checked_at = $3, reason = $4, \
         rejected_ref = bank_ref, bank_ref = 'rejected:' || id WHERE id = $5 AND status = 'held'"
    } else {
        "UPDATE bank_credits SET status = $1, checked_by = $2, checked_at = $3, reason = $4 WHERE id = $5 AND status = 'held'"
    };
    let done = sqlx::query(sql)
        .bind(to.code())
        .bind(&actor.id)
        .bind(now.0)
        .bind(&reason)
        .bind(credit_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::CreditNotHeld));
    }
    if let (CreditStatus::Credited, Some(eid)) = (to, enterprise.as_deref()) {
        apply(&mut tx, credit_id, &bank_ref, eid, credited, now.0).await?;
    }
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: enterprise.as_deref(),
            action: match to {
                CreditStatus::Rejected => "funds.credit_reject",
                _ => "funds.credit_approve",
            },
            target: &format!("bank_ref:{bank_ref}"),
            result: AuditResult::Ok,
            detail: &format!("{} {}", Fen(credited).to_yuan_plain(), to.code()),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(to)
}
