//! Finance's side of invoices (console `/ops/invoices`, issue 17): the queue, taking an
//! application up, issuing it with its number, date, tax rate and file, rejecting it with a
//! reason, mailing a paper invoice (the red-letter reversal is in `red.rs`).
//! Every step is audited and delivered to the applicant.

use super::store::{self, StepRow};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::i18n::{Lang, Translate};
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::form::parse_text;
use crate::model::invoice::{
    parse_number, price_and_tax, InvoiceFile, InvoiceStatus, InvoiceStep, InvoiceView, IssueForm,
    Medium, NumberError, TaxRate, MAX_INVOICE_FILE_BYTES,
};
use crate::model::{Bilingual, Fen, UtcMillis};
use sqlx::AnyConnection;

/// The queue: applications, optionally of one status (`waiting`: submitted or issuing), kind
/// and medium, oldest waiting first.
pub async fn queue(
    state: &AppState,
    actor: &Actor,
    status: Option<InvoiceStatus>,
    kind: &str,
    medium: &str,
) -> AppResult<Vec<InvoiceView>> {
    let mut conn = state.db.conn().await?;
    let status = status.map(InvoiceStatus::code).unwrap_or("");
    // Oldest first, so that the longest waiting are never cut off.
    let items = store::views_up_to(
        state,
        &mut conn,
        "($1 = '' AND a.status IN ('submitted', 'issuing') OR a.status = $1) AND ($2 = '' OR a.kind = $2) \
         AND ($3 = '' OR a.medium = $3)",
        &[status, kind.trim(), medium.trim()],
        300,
        "a.applied_at, a.part, a.id",
        true,
    )
    .await?;
    // The buyers' details (bank accounts, mailing contacts) were opened: audited.
    if !items.is_empty() {
        audit::record(
            &state.db,
            &Event {
                actor,
                enterprise_id: None,
                action: "invoice.queue_view",
                target: "invoice_queue",
                result: AuditResult::Ok,
                detail: &format!("{status} {}", items.len()),
            },
            state.clock.now(),
        )
        .await?;
    }
    Ok(items)
}

/// One application, for finance.
pub async fn get(state: &AppState, id: &str) -> AppResult<InvoiceView> {
    let mut conn = state.db.conn().await?;
    store::views(state, &mut conn, "a.id = $1", &[id])
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)
}

/// Reads the application and checks that `step` applies to it.
pub(super) async fn stepping(
    conn: &mut AnyConnection,
    id: &str,
    step: InvoiceStep,
) -> AppResult<(StepRow, InvoiceStatus)> {
    let row = store::step_row(conn, id).await?.ok_or(AppError::NotFound)?;
    let to = row
        .status
        .after(step, row.medium)
        .ok_or(AppError::Conflict(Conflict::InvoiceMovedOn))?;
    Ok((row, to))
}

/// A value bound into a status change's `UPDATE`.
pub(super) enum Val<'a> {
    Text(&'a str),
    Int(i64),
}

/// A status change: the application, its row as read, the new status, the audit action, the
/// other columns it sets (`$2`… from `values`), and what the applicant is told beyond the status.
pub(super) struct Move<'a> {
    pub id: &'a str,
    pub row: &'a StepRow,
    pub to: InvoiceStatus,
    pub action: &'a str,
    pub set: &'a str,
    pub values: &'a [Val<'a>],
    /// A further condition of the `UPDATE` on those values (`red_number = $4`), or empty.
    pub guard: &'a str,
    pub told: (&'a str, &'a str),
}

/// Writes the change — refused when the status read is no longer there (a concurrent step
/// changed it first) — tells the applicant, audits it, and commits.
pub(super) async fn apply_move(
    state: &AppState,
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    m: Move<'_>,
    now: UtcMillis,
) -> AppResult<()> {
    let n = m.values.len();
    let guard = if m.guard.is_empty() {
        String::new()
    } else {
        format!(" AND {}", m.guard)
    };
    let sql = format!(
        "UPDATE invoice_applications SET status = $1, {} WHERE id = ${} AND status = ${}{guard}",
        m.set,
        n + 2,
        n + 3
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(m.to.code());
    for v in m.values {
        q = match v {
            Val::Text(t) => q.bind(*t),
            Val::Int(i) => q.bind(*i),
        };
    }
    let done = q
        .bind(m.id)
        .bind(m.row.status.code())
        .execute(&mut *tx)
        .await
        .map_err(number_race)?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::InvoiceMovedOn));
    }
    crate::backend::callbacks::events::invoice_changed(&mut tx, m.id, now.0).await?;
    let label = crate::i18n::invoice_status_label(m.to);
    let (zh, en) = (label.text(Lang::ZhCn), label.text(Lang::En));
    let amount = Fen(m.row.amount).to_yuan_plain();
    let title = Bilingual::new(
        format!("发票申请：{zh}"),
        format!("Invoice application: {en}"),
    );
    let body = Bilingual::new(
        format!("您申请的 ¥{amount} 发票当前状态：{zh}。{}", m.told.0),
        format!(
            "Your invoice application of ¥{amount} is now: {en}. {}",
            m.told.1
        ),
    );
    super::tell_applicant(state, &mut tx, &m.row.applied_by, &title, &body, now).await?;
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(&m.row.enterprise_id),
            action: m.action,
            target: &format!("invoice:{}", m.id),
            result: AuditResult::Ok,
            detail: &amount,
        },
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// A number written at the same moment by another operator: the unique index refuses it.
pub(super) fn number_race(e: sqlx::Error) -> AppError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            AppError::Conflict(Conflict::InvoiceNumberTaken)
        }
        _ => e.into(),
    }
}

/// Finance takes an application up (submitted → issuing).
pub async fn start(state: &AppState, actor: &Actor, id: &str) -> AppResult<InvoiceView> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (row, to) = stepping(&mut tx, id, InvoiceStep::Start).await?;
    let m = Move {
        id,
        row: &row,
        to,
        action: "invoice.start",
        set: "started_by = $2, updated_at = $3",
        values: &[Val::Text(&actor.id), Val::Int(now.0)],
        guard: "",
        told: ("", ""),
    };
    apply_move(state, tx, actor, m, now).await?;
    get(state, id).await
}

/// A date as finance types it: a real China-time calendar day, not in the future.
pub(super) fn parse_date(input: &str, now: UtcMillis) -> Result<String, Rule> {
    let input = input.trim();
    if input.is_empty() {
        return Err(Rule::Required);
    }
    let day = UtcMillis::china_day_start(input).ok_or(Rule::Format)?;
    if day > now {
        return Err(Rule::OutOfRange);
    }
    Ok(day.china_date())
}

/// Issues the invoice: its number (20 digits for 数电), date and rate; price and tax are
/// computed from the total ([`price_and_tax`]); the file (PDF, OFD or XML, typed by content)
/// is sealed into the file store.
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    form: &IssueForm,
    file: Vec<u8>,
) -> AppResult<InvoiceView> {
    let now = state.clock.now();
    let medium = {
        let mut conn = state.db.conn().await?;
        store::step_row(&mut conn, &form.id)
            .await?
            .ok_or(AppError::NotFound)?
            .medium
    };
    let mut errs = Vec::new();
    let number = crate::model::form::check(
        &mut errs,
        "number",
        parse_number(&form.number, medium).map_err(|e| match e {
            NumberError::NotTwentyDigits | NumberError::NotPaperNumber => Rule::Format,
        }),
    );
    let date = crate::model::form::check(&mut errs, "date", parse_date(&form.date, now));
    let rate = crate::model::form::check(
        &mut errs,
        "rate",
        TaxRate::parse(&form.rate).ok_or(if form.rate.trim().is_empty() {
            Rule::Required
        } else {
            Rule::Format
        }),
    );
    let file_type = crate::model::form::check(
        &mut errs,
        "file",
        if file.is_empty() {
            Err(Rule::Required)
        } else if file.len() > MAX_INVOICE_FILE_BYTES {
            Err(Rule::FileTooLarge {
                max_mb: (MAX_INVOICE_FILE_BYTES >> 20) as u32,
            })
        } else {
            InvoiceFile::sniff(&file).ok_or(Rule::FileType)
        },
    );
    let (Some(number), Some(date), Some(rate), Some(file_type)) = (number, date, rate, file_type)
    else {
        return Err(AppError::Invalid(errs));
    };
    // The file goes into the store first (sealed, bound to its key); a failed step deletes it.
    let key = crate::backend::ids::new_id();
    let sealed = state
        .cipher
        .encrypt(&file, format!("file:{key}").as_bytes());
    let files = state.files.clone();
    let k = key.clone();
    tokio::task::spawn_blocking(move || files.put(&k, &sealed))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let sha = crate::backend::crypto::sha256_hex(&file);
    let result = issue_tx(
        state, actor, &form.id, &number, &date, rate, &key, file_type, &sha, now,
    )
    .await;
    if result.is_err() {
        let _ = state.files.delete(&key);
    }
    result?;
    get(state, &form.id).await
}

#[allow(clippy::too_many_arguments)]
async fn issue_tx(
    state: &AppState,
    actor: &Actor,
    id: &str,
    number: &str,
    date: &str,
    rate: TaxRate,
    key: &str,
    file_type: InvoiceFile,
    sha: &str,
    now: UtcMillis,
) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    // The receiving addresses are read under the enterprise's invoice lock (an erasure removing
    // one of them takes it too).
    let eid = store::step_row(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?
        .enterprise_id;
    crate::backend::db::lock_key(&mut tx, state.db.engine(), &format!("invoice:{eid}")).await?;
    let (row, to) = stepping(&mut tx, id, InvoiceStep::Issue).await?;
    number_free(state, &mut tx, number).await?;
    let pt = price_and_tax(Fen(row.amount), rate);
    let mut zh = format!("发票号码 {number}，开票日期 {date}。可在“财务中心 → 发票申请”下载。");
    let mut en =
        format!("Invoice number {number}, dated {date}. Download it under Finance → Invoices.");
    if row.medium == Medium::Electronic {
        let sent =
            super::send_file(state, &mut tx, id, &row, number, date, key, file_type, now).await?;
        if sent > 0 {
            zh.push_str(&format!("发票文件已发送至 {sent} 个收票邮箱。"));
            en.push_str(&format!(
                " The file was e-mailed to {sent} receiving address{}.",
                if sent == 1 { "" } else { "es" }
            ));
        }
    }
    let m = Move {
        id,
        row: &row,
        to,
        action: "invoice.issue",
        set: "invoice_number = $2, invoice_date = $3, tax_rate = $4, price = $5, tax = $6, file_key = $7, \
              file_type = $8, file_sha256 = $9, issued_by = $10, issued_at = $11, updated_at = $11",
        values: &[
            Val::Text(number),
            Val::Text(date),
            Val::Int(i64::from(rate.percent())),
            Val::Int(pt.price.0),
            Val::Int(pt.tax.0),
            Val::Text(key),
            Val::Text(file_type.code()),
            Val::Text(sha),
            Val::Text(&actor.id),
            Val::Int(now.0),
        ],
        guard: "",
        told: (&zh, &en),
    };
    apply_move(state, tx, actor, m, now).await
}

/// An invoice number (blue or red) not yet recorded. Writers of one number are serialised
/// (PostgreSQL: an advisory lock; SQLite has one writer), so a blue and a red invoice cannot take
/// the same number at once either.
pub(super) async fn number_free(
    state: &AppState,
    conn: &mut AnyConnection,
    number: &str,
) -> AppResult<()> {
    crate::backend::db::lock_key(conn, state.db.engine(), &format!("invoice-number:{number}"))
        .await?;
    let taken: Option<String> = sqlx::query_scalar(
        "SELECT id FROM invoice_applications WHERE invoice_number = $1 OR red_number = $1",
    )
    .bind(number)
    .fetch_optional(&mut *conn)
    .await?;
    match taken {
        Some(_) => Err(AppError::Conflict(Conflict::InvoiceNumberTaken)),
        None => Ok(()),
    }
}

/// Rejects an application with a reason (submitted or issuing → rejected).
pub async fn reject(
    state: &AppState,
    actor: &Actor,
    id: &str,
    reason: &str,
) -> AppResult<InvoiceView> {
    let reason = parse_text(reason, 200).map_err(|r| AppError::invalid("reason", r))?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (row, to) = stepping(&mut tx, id, InvoiceStep::Reject).await?;
    let (zh, en) = (format!("原因：{reason}"), format!("Reason: {reason}"));
    let m = Move {
        id,
        row: &row,
        to,
        action: "invoice.reject",
        set: "reason = $2, decided_by = $3, decided_at = $4, updated_at = $4",
        values: &[Val::Text(&reason), Val::Text(&actor.id), Val::Int(now.0)],
        guard: "",
        told: (&zh, &en),
    };
    apply_move(state, tx, actor, m, now).await?;
    get(state, id).await
}

/// A paper invoice goes out by courier (issued → mailed), with the courier and waybill number.
pub async fn mail(
    state: &AppState,
    actor: &Actor,
    id: &str,
    courier: &str,
    waybill: &str,
) -> AppResult<InvoiceView> {
    let mut errs = Vec::new();
    let courier = crate::model::form::check(&mut errs, "courier", parse_text(courier, 40));
    let waybill = crate::model::form::check(
        &mut errs,
        "waybill",
        parse_text(waybill, 40).and_then(|w| {
            if w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                Ok(w)
            } else {
                Err(Rule::Format)
            }
        }),
    );
    let (Some(courier), Some(waybill)) = (courier, waybill) else {
        return Err(AppError::Invalid(errs));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (row, to) = stepping(&mut tx, id, InvoiceStep::Mail).await?;
    // Recorded as voided (a red letter waits for its checker): not posted.
    if row.red_number.is_some() {
        return Err(AppError::Conflict(Conflict::InvoiceMovedOn));
    }
    let zh = format!("快递公司：{courier}，运单号：{waybill}。");
    let en = format!("Courier: {courier}, waybill number {waybill}.");
    let m = Move {
        id,
        row: &row,
        to,
        action: "invoice.mail",
        set: "courier = $2, waybill = $3, mailed_by = $4, mailed_at = $5, updated_at = $5",
        values: &[
            Val::Text(&courier),
            Val::Text(&waybill),
            Val::Text(&actor.id),
            Val::Int(now.0),
        ],
        guard: "",
        told: (&zh, &en),
    };
    apply_move(state, tx, actor, m, now).await?;
    get(state, id).await
}

/// Who reads an invoice file.
pub enum FileReader<'a> {
    /// A member of the enterprise (with the finance permission, or its admin).
    Enterprise(&'a str),
    /// A finance operator: every look audited.
    Finance(&'a Actor),
}

/// An issued invoice's file: its type, a file name, and the bytes (opened).
pub async fn file(
    state: &AppState,
    reader: FileReader<'_>,
    id: &str,
) -> AppResult<(InvoiceFile, String, Vec<u8>)> {
    let mut conn = state.db.conn().await?;
    let row = store::step_row(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let (Some(key), Some(kind), Some(number)) =
        (&row.file_key, &row.file_type, &row.invoice_number)
    else {
        return Err(AppError::NotFound);
    };
    match reader {
        FileReader::Enterprise(eid) if eid != row.enterprise_id => return Err(AppError::NotFound),
        FileReader::Enterprise(_) => {}
        FileReader::Finance(actor) => {
            audit::record(
                &state.db,
                &Event {
                    actor,
                    enterprise_id: Some(&row.enterprise_id),
                    action: "invoice.file_view",
                    target: &format!("invoice:{id}"),
                    result: AuditResult::Ok,
                    detail: number,
                },
                state.clock.now(),
            )
            .await?;
        }
    }
    let kind = InvoiceFile::from_stored(kind, "invoice_applications.file_type")
        .map_err(AppError::internal)?;
    let bytes = crate::backend::files::open_sealed(state, key, key)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((kind, kind.file_name(number), bytes))
}
