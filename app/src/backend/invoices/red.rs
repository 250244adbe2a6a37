//! The red-letter reversal (红字, issue 17): finance records the red-letter invoice voiding an
//! issued one (the maker), may withdraw a record typed wrong, and another finance operator
//! approves it (the checker). Every step audited; the approval is told to the applicant.

use super::issuing::{apply_move, get, number_free, number_race, parse_date, stepping, Move, Val};
use super::store;
use crate::backend::audit::{self, Actor, Event};
use crate::backend::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::form::parse_text;
use crate::model::invoice::{parse_number, InvoiceStep, InvoiceView};

/// The maker records a red-letter invoice (红字) voiding an issued one: its own number, date and
/// the reason. The invoice stays issued until another finance operator approves.
pub async fn record_red(
    state: &AppState,
    actor: &Actor,
    id: &str,
    number: &str,
    date: &str,
    reason: &str,
) -> AppResult<InvoiceView> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let medium = store::step_row(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?
        .medium;
    drop(conn);
    let mut errs = Vec::new();
    let number = crate::model::form::check(
        &mut errs,
        "red_number",
        parse_number(number, medium).map_err(|_| Rule::Format),
    );
    let date = crate::model::form::check(&mut errs, "red_date", parse_date(date, now));
    let reason = crate::model::form::check(&mut errs, "red_reason", parse_text(reason, 200));
    let (Some(number), Some(date), Some(reason)) = (number, date, reason) else {
        return Err(AppError::Invalid(errs));
    };
    let mut tx = state.db.begin().await?;
    let (row, _) = stepping(&mut tx, id, InvoiceStep::Reverse).await?;
    if row.red_number.is_some() {
        return Err(AppError::Conflict(Conflict::InvoiceMovedOn));
    }
    number_free(state, &mut tx, &number).await?;
    // Not a status change: the invoice stays issued (or mailed) until the checker approves.
    let done = sqlx::query(
            "UPDATE invoice_applications SET red_number = $1, red_date = $2, red_reason = $3, red_by = $4, red_at = $5, \
             updated_at = $5 WHERE id = $6 AND status = $7 AND red_number IS NULL",
        )
        .bind(&number)
        .bind(&date)
        .bind(&reason)
        .bind(&actor.id)
        .bind(now.0)
        .bind(id)
        .bind(row.status.code())
        .execute(&mut *tx)
        .await
        .map_err(number_race)?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::InvoiceMovedOn));
    }
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(&row.enterprise_id),
            action: "invoice.red_record",
            target: &format!("invoice:{id}"),
            result: AuditResult::Ok,
            detail: &number,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    get(state, id).await
}

/// The checker approves a recorded red-letter invoice: the blue one is reversed, its amount
/// leaves the invoiced figure and is invoiceable again. Neither the operator who issued the
/// blue invoice nor the one who recorded the red letter may approve (maker and checker).
/// `shown` is the red number the checker's page showed: a record changed since is not approved.
pub async fn approve_red(
    state: &AppState,
    actor: &Actor,
    id: &str,
    shown: Option<&str>,
) -> AppResult<InvoiceView> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (row, to) = stepping(&mut tx, id, InvoiceStep::Reverse).await?;
    let Some(red_number) = row.red_number.clone() else {
        return Err(AppError::Conflict(Conflict::InvoiceMovedOn));
    };
    if shown.is_some_and(|n| n.trim() != red_number) {
        return Err(AppError::Conflict(Conflict::InvoiceMovedOn));
    }
    if row.issued_by.as_deref() == Some(actor.id.as_str())
        || row.red_by.as_deref() == Some(actor.id.as_str())
    {
        return Err(AppError::Conflict(Conflict::InvoiceCheckerSame));
    }
    // Approved as read: a record withdrawn and recorded again meanwhile (by this checker,
    // say) is not approved by this request.
    let zh = format!("红字发票号码 {red_number}。该金额已恢复为可开票金额。");
    let en = format!("Red-letter invoice number {red_number}. The amount can be invoiced again.");
    let m = Move {
        id,
        row: &row,
        to,
        action: "invoice.reverse",
        set: "red_approved_by = $2, reversed_at = $3, updated_at = $3",
        values: &[
            Val::Text(&actor.id),
            Val::Int(now.0),
            Val::Text(&red_number),
            Val::Text(row.red_by.as_deref().unwrap_or("")),
            Val::Int(row.red_at.unwrap_or(0)),
        ],
        guard: "red_number = $4 AND red_by = $5 AND red_at = $6",
        told: (&zh, &en),
    };
    apply_move(state, tx, actor, m, now).await?;
    get(state, id).await
}

/// Withdraws a recorded red letter not yet approved (its number or date typed wrong), with a
/// reason: the invoice stays issued, its red number is free again, and a new one may be recorded.
/// Any finance operator may (the maker who noticed, or the checker who would not approve it).
pub async fn withdraw_red(
    state: &AppState,
    actor: &Actor,
    id: &str,
    reason: &str,
) -> AppResult<InvoiceView> {
    let reason = parse_text(reason, 200).map_err(|r| AppError::invalid("reason", r))?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (row, _) = stepping(&mut tx, id, InvoiceStep::Reverse).await?;
    let Some(red_number) = row.red_number.clone() else {
        return Err(AppError::Conflict(Conflict::InvoiceMovedOn));
    };
    let done = sqlx::query(
        "UPDATE invoice_applications SET red_number = NULL, red_date = NULL, red_reason = '', red_by = NULL, \
         red_at = NULL, updated_at = $1 WHERE id = $2 AND status = $3 AND red_number = $4",
    )
    .bind(now.0)
    .bind(id)
    .bind(row.status.code())
    .bind(&red_number)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::InvoiceMovedOn));
    }
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(&row.enterprise_id),
            action: "invoice.red_withdraw",
            target: &format!("invoice:{id}"),
            result: AuditResult::Ok,
            detail: &format!("{red_number}: {reason}"),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    get(state, id).await
}
