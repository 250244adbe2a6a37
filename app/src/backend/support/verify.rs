//! Identity verification on a ticket and the account panel it opens (issue 18 §3, P1.1.7).
//!
//! A support operator asks the customer to prove who they are — by a code texted to the
//! registered mobile of the person who opened the ticket (typed on the ticket's page; five
//! tries, 30 minutes, one a minute), or by a confirmation button on the ticket's page in the
//! logged-in portal. Until it is given, [`panel`] refuses (server-side; the refusal is audited);
//! afterwards every look-up is audited with the ticket's id. A new request (or closing the
//! ticket) ends an earlier verification.

use super::store;
use crate::backend::accounts::codes::{self, Table};
use crate::backend::accounts::users::UserRow;
use crate::backend::audit::{self, Actor, Event};
use crate::backend::messages::{self, CodeTo};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::account::{AccountStatus, MemberRole, Mobile, Permission};
use crate::model::audit::AuditResult;
use crate::model::business::EnterpriseStatus;
use crate::model::conflict::Conflict;
use crate::model::funds::OrderStatus;
use crate::model::outbox::OutboxPurpose;
use crate::model::support::{
    AccountPanel, PanelFunds, PanelOrder, PanelPerson, SystemNote, TicketStatus, VerifyMethod,
};
use crate::model::{Bilingual, Fen, Lang, UtcMillis};
use sqlx::AnyConnection;

/// Seconds between two codes for one ticket.
const RESEND_SECONDS: i64 = 60;

/// An operator asks the customer to verify by `method`; with a code, it is texted now.
pub async fn request(
    state: &AppState,
    actor: &Actor,
    id: &str,
    method: VerifyMethod,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let t = store::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if t.status == TicketStatus::Closed {
        return Err(AppError::Conflict(Conflict::TicketMovedOn));
    }
    if method == VerifyMethod::SmsCode {
        send_code(state, &mut tx, &t, now).await?;
    }
    sqlx::query(
        "UPDATE support_tickets SET verify_method = $2, verify_requested_at = $3, verified_at = NULL, \
         updated_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(method.code())
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    let note = match method {
        VerifyMethod::SmsCode => SystemNote::VerifyAskedCode,
        VerifyMethod::Portal => SystemNote::VerifyAskedPortal,
    };
    store::note(&mut tx, id, note, now).await?;
    // A texted code tells the customer by itself (a notice beside it would only hold it back:
    // a number gets one text a minute); the portal's button needs them told.
    if method == VerifyMethod::Portal {
        let title = Bilingual::new(
            format!("客服请求验证身份：{}", t.subject),
            format!("Support asks you to confirm your identity: {}", t.subject),
        );
        let text = Bilingual::new(
            "客服需要先确认您的身份，才能查看和讨论您的账户信息。请打开该工单，点击“确认是我本人”。".to_string(),
            "Support needs to confirm who you are before looking at your account. Open the ticket and press \"Confirm it's me\".".to_string(),
        );
        super::tell(state, &mut tx, &t.opened_by, &title, &text, id, now).await?;
    }
    super::log(
        &mut tx,
        actor,
        &t.enterprise_id,
        "support.verify.request",
        id,
        method.code(),
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Texts a new code to the opener's registered mobile (at most one a minute).
async fn send_code(
    state: &AppState,
    conn: &mut AnyConnection,
    t: &store::Locked,
    now: UtcMillis,
) -> AppResult<()> {
    let last: Option<i64> =
        sqlx::query_scalar("SELECT MAX(created_at) FROM support_verify_codes WHERE ticket_id = $1")
            .bind(&t.id)
            .fetch_one(&mut *conn)
            .await?;
    if last.is_some_and(|at| now.0 - at < RESEND_SECONDS * 1000) {
        return Err(AppError::Conflict(Conflict::SupportCodeTooSoon));
    }
    let mobile_enc: String = sqlx::query_scalar("SELECT mobile_enc FROM users WHERE id = $1")
        .bind(&t.opened_by)
        .fetch_one(&mut *conn)
        .await?;
    let mobile = state
        .cipher
        .decrypt_text(&mobile_enc, &format!("users.mobile:{}", t.opened_by))
        .map_err(AppError::internal)?;
    let mobile =
        Mobile::parse(&mobile).map_err(|_| AppError::Conflict(Conflict::SmsUnavailable))?;
    let code_id = crate::backend::ids::new_id();
    let code = codes::new_code();
    // Earlier codes stop working: only the newest is the one the customer was told of.
    sqlx::query(
        "UPDATE support_verify_codes SET used_at = $2 WHERE ticket_id = $1 AND used_at IS NULL",
    )
    .bind(&t.id)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO support_verify_codes (id, ticket_id, code_hash, attempts, expires_at, created_at) \
         VALUES ($1, $2, $3, 0, $4, $5)",
    )
    .bind(&code_id)
    .bind(&t.id)
    .bind(codes::hash(Table::SupportVerification, &code_id, &code))
    .bind(now.0 + crate::model::sms::CODE_MINUTES * 60_000)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    let purpose = OutboxPurpose::SupportVerification;
    let to = CodeTo::Mobile(&mobile);
    if !messages::send_code(
        state,
        conn,
        to,
        Some(&t.opened_by),
        &code,
        Lang::ZhCn,
        purpose,
        now,
    )
    .await?
    {
        return Err(AppError::Conflict(Conflict::SmsUnavailable));
    }
    Ok(())
}

/// How the customer answers: the texted code, or the portal's button.
pub enum Proof<'a> {
    Code(&'a str),
    Portal,
}

/// The person who opened the ticket gives the verification asked for.
pub async fn confirm(
    state: &AppState,
    actor: &Actor,
    user: &UserRow,
    id: &str,
    proof: Proof<'_>,
) -> AppResult<()> {
    if let Proof::Code(code) = proof {
        if !codes::well_formed(code.trim()) {
            return Err(AppError::invalid("code", crate::error::Rule::Format));
        }
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    super::visible(&mut tx, super::Party::Customer(user), id).await?;
    let t = store::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if t.opened_by != user.id {
        return Err(AppError::Conflict(Conflict::NotTicketOpener));
    }
    let asked = VerifyMethod::from_code(&t.verify_method);
    if t.status == TicketStatus::Closed || t.verified_at.is_some() || asked.is_none() {
        return Err(AppError::Conflict(Conflict::VerificationNotRequested));
    }
    let method = match (proof, asked) {
        (Proof::Portal, Some(VerifyMethod::Portal)) => VerifyMethod::Portal,
        (Proof::Code(code), Some(VerifyMethod::SmsCode)) => {
            let candidates: Vec<(String, String)> = sqlx::query_as(
                "SELECT id, code_hash FROM support_verify_codes WHERE ticket_id = $1 AND used_at IS NULL \
                 AND expires_at > $2 ORDER BY created_at DESC",
            )
            .bind(id)
            .bind(now.0)
            .fetch_all(&mut *tx)
            .await?;
            let table = Table::SupportVerification;
            if codes::redeem(&mut tx, table, &candidates, code.trim(), now)
                .await?
                .is_none()
            {
                // The wrong try counts.
                tx.commit().await?;
                return Err(AppError::Conflict(Conflict::SupportCodeWrong));
            }
            VerifyMethod::SmsCode
        }
        _ => return Err(AppError::Conflict(Conflict::VerificationNotRequested)),
    };
    sqlx::query("UPDATE support_tickets SET verified_at = $2, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
    let note = match method {
        VerifyMethod::SmsCode => SystemNote::VerifiedCode,
        VerifyMethod::Portal => SystemNote::VerifiedPortal,
    };
    store::note(&mut tx, id, note, now).await?;
    super::log(
        &mut tx,
        actor,
        &t.enterprise_id,
        "support.verify.confirm",
        id,
        method.code(),
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: String,
    name: String,
    #[sqlx(try_from = "String")]
    status: AccountStatus,
    role: Option<String>,
    mobile_enc: String,
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    order_id: String,
    payee_name: String,
    #[sqlx(try_from = "i64")]
    amount: Fen,
    #[sqlx(try_from = "String")]
    status: OrderStatus,
    #[sqlx(try_from = "i64")]
    created_at: UtcMillis,
}

/// The enterprise's account details from a verified ticket, as far as the verified person may
/// see them in the portal themselves: every look (and every refusal) is audited with the
/// ticket's id.
pub async fn panel(state: &AppState, actor: &Actor, id: &str) -> AppResult<AccountPanel> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let row: Option<(String, Option<i64>, String, String)> = sqlx::query_as(
        "SELECT enterprise_id, verified_at, status, opened_by FROM support_tickets WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let (eid, verified, status, opener) = row.ok_or(AppError::NotFound)?;
    let target = format!("support_ticket:{id}");
    let person = crate::backend::accounts::users::get(&mut conn, &opener)
        .await?
        .filter(|u| u.enterprise_id.as_deref() == Some(eid.as_str()));
    let person = match person {
        Some(p) if verified.is_some() && status != TicketStatus::Closed.code() => p,
        _ => {
            drop(conn);
            let event = Event {
                enterprise_id: Some(&eid),
                result: AuditResult::Denied,
                ..Event::ok(actor, "support.account_lookup", &target, "not verified")
            };
            audit::record(&state.db, &event, now).await?;
            return Err(AppError::Conflict(Conflict::IdentityNotVerified));
        }
    };
    let (name, credit_code, ent_status, opened): (String, String, String, i64) = sqlx::query_as(
        "SELECT name, credit_code, status, created_at FROM enterprises WHERE id = $1",
    )
    .bind(&eid)
    .fetch_one(&mut *conn)
    .await?;
    let funds = if person.holds(Some(Permission::Funds)) {
        Some(funds(&mut conn, &eid).await?)
    } else {
        None
    };
    let people = if person.role == Some(MemberRole::Admin) {
        Some(people(state, &mut conn, &eid).await?)
    } else {
        None
    };
    let invoices_waiting = if person.holds(Some(Permission::Finance)) {
        Some(
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM invoice_applications WHERE enterprise_id = $1 \
                 AND status IN ('submitted', 'issuing')",
            )
            .bind(&eid)
            .fetch_one(&mut *conn)
            .await?,
        )
    } else {
        None
    };
    drop(conn);
    let event = Event {
        enterprise_id: Some(&eid),
        ..Event::ok(actor, "support.account_lookup", &target, "account panel")
    };
    audit::record(&state.db, &event, now).await?;
    Ok(AccountPanel {
        enterprise_name: name,
        credit_code,
        status: EnterpriseStatus::from_stored(&ent_status, "enterprises.status")?,
        opened_at: UtcMillis(opened),
        funds,
        people,
        invoices_waiting,
    })
}

/// The balances and the last ten payment orders (payees' names masked).
async fn funds(conn: &mut AnyConnection, eid: &str) -> AppResult<PanelFunds> {
    let (available, reserved, _) = crate::backend::ledger::balances(conn, eid).await?;
    let orders: Vec<OrderRow> = sqlx::query_as(
        "SELECT order_id, payee_name, amount, status, created_at FROM payment_orders \
         WHERE enterprise_id = $1 ORDER BY created_at DESC, id LIMIT 10",
    )
    .bind(eid)
    .fetch_all(&mut *conn)
    .await?;
    Ok(PanelFunds {
        available: Fen(available),
        reserved: Fen(reserved),
        orders: orders
            .into_iter()
            .map(|o| PanelOrder {
                order_id: o.order_id,
                payee: crate::model::worker::mask_name(&o.payee_name),
                amount: o.amount,
                status: o.status,
                at: o.created_at,
            })
            .collect(),
    })
}

/// The login persons, their mobiles masked.
async fn people(
    state: &AppState,
    conn: &mut AnyConnection,
    eid: &str,
) -> AppResult<Vec<PanelPerson>> {
    let rows: Vec<PersonRow> = sqlx::query_as(
        "SELECT id, name, status, role, mobile_enc FROM users WHERE enterprise_id = $1 ORDER BY created_at, id",
    )
    .bind(eid)
    .fetch_all(&mut *conn)
    .await?;
    let mut people = Vec::with_capacity(rows.len());
    for p in rows {
        let mobile = state
            .cipher
            .decrypt_text(&p.mobile_enc, &format!("users.mobile:{}", p.id))
            .map_err(AppError::internal)?;
        let role = match p.role.as_deref() {
            Some(r) => Some(MemberRole::from_stored(r, "users.role")?),
            None => None,
        };
        people.push(PanelPerson {
            name: p.name,
            role,
            status: p.status,
            mobile: Mobile::parse(&mobile)
                .map(|m| m.masked())
                .unwrap_or_default(),
        });
    }
    Ok(people)
}
