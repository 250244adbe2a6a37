//! Customer service (客户服务, issue 18 §3, P1.1.7): an enterprise's login persons open tickets
//! and talk with the platform's support operators in a recorded thread (files checked by
//! content and stripped, as every upload); the operator answers, resolves or closes; the
//! customer replies, closes and rates. Each operator reply and step reaches the customer
//! through the messages capability. The two timers are worked out on reading
//! (`model::support::Targets`). Identity verification and the account panel are `verify.rs`;
//! the SQL is `store.rs`.

mod closing;
mod files;
pub mod store;
pub mod verify;

pub use closing::{close, close_resolved, rate};
pub use files::{read_file, Attachment};

use crate::backend::accounts::users::UserRow;
use crate::backend::audit::{self, Actor, Event};
use crate::backend::messages::{self, Notice};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::account::MemberRole;
use crate::model::conflict::Conflict;
use crate::model::messages::MessageCategory;
use crate::model::outbox::OutboxPurpose;
use crate::model::support::{
    parse_reply, Author, SupportHome, SupportQueue, SystemNote, TicketInput, TicketPage,
    TicketStatus, TicketStep, TicketSummary, MAX_ATTACHMENTS, RESOLVED_CLOSE_DAYS,
};
use crate::model::{Bilingual, UtcMillis};
use sqlx::AnyConnection;

/// Who looks at or acts on a ticket.
#[derive(Clone, Copy)]
pub enum Party<'a> {
    /// A login person of the ticket's enterprise: its opener, or the enterprise's admin.
    Customer(&'a UserRow),
    /// A support operator (by display name).
    Operator { id: &'a str, name: &'a str },
}

impl Party<'_> {
    /// The tickets this party may see: SQL over `t` with `$1`, `$2` bound to [`Party::args`].
    fn filter(&self) -> &'static str {
        match self {
            Party::Customer(u) if u.role == Some(MemberRole::Admin) => {
                "t.enterprise_id = $1 AND $2 <> ''"
            }
            Party::Customer(_) => "t.enterprise_id = $1 AND t.opened_by = $2",
            Party::Operator { .. } => "$1 <> '' AND $2 <> ''",
        }
    }
    fn args(&self) -> [&str; 2] {
        match self {
            Party::Customer(u) => [u.enterprise_id.as_deref().unwrap_or("-"), &u.id],
            Party::Operator { id, .. } => ["ops", id],
        }
    }
    fn author(&self) -> (Author, &str, String) {
        match self {
            Party::Customer(u) => (Author::Customer, &u.id, u.name.clone()),
            Party::Operator { id, name } => (Author::Operator, id, format!("客服 {name}")),
        }
    }
}

/// Whether `party` may see ticket `id` (another enterprise's, or another member's, is not
/// found).
async fn visible(conn: &mut AnyConnection, party: Party<'_>, id: &str) -> AppResult<()> {
    let [a, b] = party.args();
    let sql = format!(
        "SELECT t.id FROM support_tickets t WHERE t.id = $3 AND {}",
        party.filter()
    );
    let found: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(a)
        .bind(b)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    found.map(|_| ()).ok_or(AppError::NotFound)
}

/// The customer's tickets (an admin sees the enterprise's), a fresh form key and the
/// recording notice's period.
pub async fn home(state: &AppState, user: &UserRow) -> AppResult<SupportHome> {
    let mut conn = state.db.conn().await?;
    let party = Party::Customer(user);
    let now = state.clock.now();
    let targets = state.settings.support_targets;
    let tickets = store::summaries(
        &mut conn,
        party.filter(),
        &party.args(),
        targets,
        now,
        false,
    )
    .await?;
    Ok(SupportHome {
        tickets,
        key: crate::backend::ids::new_id(),
        kept_days_after_close: crate::model::data_map::transcript_days(),
    })
}

/// One ticket with its thread, for `party`.
pub async fn page(state: &AppState, party: Party<'_>, id: &str) -> AppResult<TicketPage> {
    let mut conn = state.db.conn().await?;
    visible(&mut conn, party, id).await?;
    let now = state.clock.now();
    let targets = state.settings.support_targets;
    let ticket = store::summaries(&mut conn, "t.id = $1", &[id], targets, now, false)
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    let opener: (String, String) =
        sqlx::query_as("SELECT u.id, u.mobile_enc FROM support_tickets t JOIN users u ON u.id = t.opened_by WHERE t.id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    let may_verify = matches!(party, Party::Customer(u) if u.id == opener.0);
    let mobile_hint = if may_verify {
        let mobile = state
            .cipher
            .decrypt_text(&opener.1, &format!("users.mobile:{}", opener.0))
            .map_err(AppError::internal)?;
        mobile
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect()
    } else {
        String::new()
    };
    Ok(TicketPage {
        ticket,
        messages: store::thread(&mut conn, id).await?,
        rating: store::rating(&mut conn, id).await?,
        kept_days_after_close: crate::model::data_map::transcript_days(),
        may_verify,
        mobile_hint,
    })
}

/// What the live updates watch (`None` when `party` may not see the ticket):
/// `"{status}:{last change}:{messages}|{forms}"`, where `forms` changes only with what the
/// page's forms depend on (closed, resolved, the verification asked for and given, rated), so
/// that a page reloads its forms — and what is typed in them — only when they must change.
pub async fn version(state: &AppState, party: Party<'_>, id: &str) -> AppResult<Option<String>> {
    let mut conn = state.db.conn().await?;
    if visible(&mut conn, party, id).await.is_err() {
        return Ok(None);
    }
    let v: Option<(String, i64, i64, String, i64, i64)> = sqlx::query_as(
        "SELECT status, updated_at, (SELECT COUNT(*) FROM support_messages m WHERE m.ticket_id = t.id), \
         verify_method, CASE WHEN verified_at IS NULL THEN 0 ELSE 1 END, \
         CASE WHEN rating IS NULL THEN 0 ELSE 1 END FROM support_tickets t WHERE t.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(v.map(|(s, at, n, method, verified, rated)| {
        let closed = s == TicketStatus::Closed.code();
        let resolved = s == TicketStatus::Resolved.code();
        format!("{s}:{at}:{n}|{closed}:{resolved}:{method}:{verified}:{rated}")
    }))
}

/// The console's queue: the tickets of `status` (default: every one not closed), overdue
/// first, then the oldest.
pub async fn queue(
    state: &AppState,
    status: Option<TicketStatus>,
    overdue_only: bool,
) -> AppResult<SupportQueue> {
    let mut conn = state.db.conn().await?;
    let now = state.clock.now();
    let targets = state.settings.support_targets;
    let mut tickets = match status {
        Some(s) => {
            store::summaries(&mut conn, "t.status = $1", &[s.code()], targets, now, true).await?
        }
        None => {
            store::summaries(&mut conn, "t.status <> 'closed'", &[], targets, now, true).await?
        }
    };
    if overdue_only {
        tickets.retain(TicketSummary::overdue);
    }
    tickets.sort_by_key(|t| (!t.overdue(), !t.status.ours(), t.created_at.0));
    Ok(SupportQueue { tickets, targets })
}

/// Opens a ticket with its first message (the form's `key` makes a repeat harmless); its id.
pub async fn open(
    state: &AppState,
    actor: &Actor,
    user: &UserRow,
    key: &str,
    input: &TicketInput,
) -> AppResult<String> {
    let eid = user.enterprise_id.as_deref().ok_or(AppError::Forbidden)?;
    let key = crate::model::form::parse_text(key, 64).map_err(|r| AppError::invalid("key", r))?;
    let client_key = format!("{}/{key}", user.id);
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let id = crate::backend::ids::new_id();
    let made = sqlx::query(
        "INSERT INTO support_tickets (id, enterprise_id, opened_by, client_key, category, subject, status, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $7) ON CONFLICT (client_key) DO NOTHING",
    )
    .bind(&id)
    .bind(eid)
    .bind(&user.id)
    .bind(&client_key)
    .bind(input.category.code())
    .bind(&input.subject)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    if made.rows_affected() == 0 {
        let found: String =
            sqlx::query_scalar("SELECT id FROM support_tickets WHERE client_key = $1")
                .bind(&client_key)
                .fetch_one(&mut *tx)
                .await?;
        return Ok(found);
    }
    store::add_message(
        &mut tx,
        &id,
        Author::Customer,
        &user.id,
        &user.name,
        &input.body,
        now,
    )
    .await?;
    // The subject is the customer's words: the trail names the category only.
    log(
        &mut tx,
        actor,
        eid,
        "support.open",
        &id,
        input.category.code(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Whether `party` may add to ticket `id` now (seen, not closed, room for a file): checked
/// before an upload is processed; [`post`] checks again in its transaction.
pub async fn may_attach(state: &AppState, party: Party<'_>, id: &str) -> AppResult<()> {
    let mut conn = state.db.conn().await?;
    visible(&mut conn, party, id).await?;
    let (status, files): (String, i64) = sqlx::query_as(
        "SELECT status, (SELECT COUNT(*) FROM support_attachments a WHERE a.ticket_id = t.id) \
         FROM support_tickets t WHERE t.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if status == TicketStatus::Closed.code() {
        return Err(AppError::Conflict(Conflict::TicketMovedOn));
    }
    if files >= MAX_ATTACHMENTS as i64 {
        return Err(AppError::Conflict(Conflict::TooManyAttachments));
    }
    Ok(())
}

/// Adds a message (and/or a file) to the thread; the ticket moves on (a customer's reply to a
/// resolved ticket reopens it). An operator's reply is the first answer if none came before,
/// and the customer is told of it.
pub async fn post(
    state: &AppState,
    actor: &Actor,
    party: Party<'_>,
    id: &str,
    body: &str,
    file: Option<Attachment>,
) -> AppResult<()> {
    let body = if file.is_some() && body.trim().is_empty() {
        String::new()
    } else {
        parse_reply(body).map_err(|r| AppError::invalid("body", r))?
    };
    let result = post_in_tx(state, actor, party, id, &body, file.as_ref()).await;
    if result.is_err() {
        if let Some(f) = &file {
            f.sealed.discard(state);
        }
    }
    result
}

async fn post_in_tx(
    state: &AppState,
    actor: &Actor,
    party: Party<'_>,
    id: &str,
    body: &str,
    file: Option<&Attachment>,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    visible(&mut tx, party, id).await?;
    let t = store::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let (author, author_id, author_name) = party.author();
    let step = match author {
        Author::Operator => TicketStep::OperatorReply,
        _ => TicketStep::CustomerReply,
    };
    let to = t
        .status
        .after(step)
        .ok_or(AppError::Conflict(Conflict::TicketMovedOn))?;
    let message =
        store::add_message(&mut tx, id, author, author_id, &author_name, body, now).await?;
    if let Some(f) = file {
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM support_attachments WHERE ticket_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        if count >= MAX_ATTACHMENTS as i64 {
            return Err(AppError::Conflict(Conflict::TooManyAttachments));
        }
        sqlx::query(
            "INSERT INTO support_attachments (id, ticket_id, message_id, file_name, kind, size_bytes, sha256, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&f.sealed.id)
        .bind(id)
        .bind(&message)
        .bind(&f.name)
        .bind(f.sealed.kind.mime())
        .bind(f.sealed.size as i64)
        .bind(&f.sealed.sha256)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
    }
    let extra = match step {
        TicketStep::OperatorReply => {
            "first_response_at = COALESCE(first_response_at, $3), resolved_at = NULL"
        }
        _ => "resolved_at = NULL",
    };
    if !store::set_status(&mut tx, id, t.status, to, extra, now).await? {
        return Err(AppError::Conflict(Conflict::TicketMovedOn));
    }
    if author == Author::Operator {
        let excerpt: String = body.chars().take(200).collect();
        let title = Bilingual::new(
            format!("客服回复了您的工单：{}", t.subject),
            format!("Support replied to your ticket: {}", t.subject),
        );
        let text = Bilingual::new(
            format!("{excerpt}\n\n请在“客户服务”中查看并回复。"),
            format!("{excerpt}\n\nRead and reply under Customer service."),
        );
        tell(state, &mut tx, &t.opened_by, &title, &text, id, now).await?;
    }
    let action = match author {
        Author::Operator => "support.reply",
        _ => "support.customer_reply",
    };
    // A file's name is the customer's words: the trail says only that one came.
    let detail = if file.is_some() { "file" } else { "" };
    log(&mut tx, actor, &t.enterprise_id, action, id, detail, now).await?;
    Ok(tx.commit().await?)
}

/// An operator marks the ticket resolved; the customer is told (a reply reopens it).
pub async fn resolve(state: &AppState, actor: &Actor, id: &str) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let t = store::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let to = t
        .status
        .after(TicketStep::Resolve)
        .ok_or(AppError::Conflict(Conflict::TicketMovedOn))?;
    // Resolving answers the customer too: the first-response timer stops.
    let sets = "resolved_at = $3, first_response_at = COALESCE(first_response_at, $3)";
    if !store::set_status(&mut tx, id, t.status, to, sets, now).await? {
        return Err(AppError::Conflict(Conflict::TicketMovedOn));
    }
    store::note(&mut tx, id, SystemNote::Resolved, now).await?;
    let title = Bilingual::new(
        format!("您的工单已解决：{}", t.subject),
        format!("Your ticket was resolved: {}", t.subject),
    );
    let text = Bilingual::new(
        format!("客服已将工单“{}”标记为已解决。如仍有问题，请直接回复；{RESOLVED_CLOSE_DAYS} 天内无回复将自动关闭，关闭后可以评价本次服务。", t.subject),
        format!("Support marked \"{}\" resolved. If something is still wrong, just reply; without a reply it closes in {RESOLVED_CLOSE_DAYS} days, and you can then rate the service.", t.subject),
    );
    tell(state, &mut tx, &t.opened_by, &title, &text, id, now).await?;
    log(
        &mut tx,
        actor,
        &t.enterprise_id,
        "support.resolve",
        id,
        "",
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Tells the customer through the messages capability (category 客服消息).
async fn tell(
    state: &AppState,
    conn: &mut AnyConnection,
    user_id: &str,
    title: &Bilingual,
    body: &Bilingual,
    ticket: &str,
    now: UtcMillis,
) -> AppResult<()> {
    let active: Option<String> =
        sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND status = 'active'")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    if active.is_none() {
        return Ok(());
    }
    let source = format!("support_ticket:{ticket}");
    let notice = Notice {
        category: MessageCategory::Support,
        purpose: OutboxPurpose::SupportReply,
        title,
        body,
        source: &source,
        email_only: false,
    };
    messages::tell(state, conn, user_id, &notice, now).await?;
    Ok(())
}

/// Appends the audit entry of a step on ticket `id`.
async fn log(
    conn: &mut AnyConnection,
    actor: &Actor,
    enterprise_id: &str,
    action: &str,
    id: &str,
    detail: &str,
    now: UtcMillis,
) -> AppResult<()> {
    let target = format!("support_ticket:{id}");
    let event = Event::in_enterprise(actor, enterprise_id, action, &target, detail);
    audit::append(conn, &event, now).await?;
    Ok(())
}
