//! Rights requests (issue 16 §2; portal `/portal/privacy/requests`, console
//! `/ops/privacy/requests`; P6.2, P6.3, P6.5, P10.2).
//!
//! - **Submitting** needs the password again and a six-digit code sent to the registered
//!   mobile or e-mail (10 minutes, 3 tries, P6.5; five codes an hour per person); until the
//!   code is entered the request is `unverified`, the officer cannot act on it, and after seven
//!   days it lapses. An enterprise-wide request (a copy of the enterprise's data, a closure)
//!   needs the admin. A form submitted twice makes one request.
//! - **The clock** (P10.2): due 15 days after the request is complete (verified); both sides
//!   see the days left.
//! - **The officer** starts, completes with an answer, or refuses with one of the policy's
//!   reasons and an answer; may mark a cost fee only beyond the configured free number of
//!   same-kind requests in 12 months (P6.5). Each answer is delivered to the requester through
//!   the messages capability, with the regulators' complaint routes.
//! - Every step is a row of the request's timeline and an audit entry; steps that race are
//!   settled by a conditional update (the second finds the request moved on).

pub mod closure;
pub mod correction;
pub mod deletion;
pub mod digest;
pub mod export;
mod officer;
pub mod store;

pub use officer::{answer, mark_fee, start, Outcome};

use crate::backend::accounts::codes::{self, Table};
use crate::backend::accounts::sessions::ClientMeta;
use crate::backend::accounts::users::UserRow;
use crate::backend::audit::{self, Actor, Event};
use crate::backend::ids::new_id;
use crate::backend::messages::{self, CodeTo};
use crate::backend::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::model::account::{ContactKind, Email, MemberRole, Mobile};
use crate::model::conflict::Conflict;
use crate::model::outbox::{OutboxChannel, OutboxPurpose};
use crate::model::rights::{
    self as rules, MyRequests, RequestAction, RequestDetail, RequestForm, RequestScope,
    RequestStatus, RequestSummary, StepBy,
};
use crate::model::UtcMillis;
use sqlx::AnyConnection;
use store::{QueueFilter, RequestRow};

const YEAR_MS: i64 = 365 * 86_400_000;
/// Codes one person may be sent in an hour, over all their requests.
const CODES_PER_HOUR: i64 = 5;

/// Whether `user` is the admin of a business account (enterprise-wide requests are theirs).
fn is_admin(user: &UserRow) -> bool {
    user.enterprise_id.is_some() && user.role == Some(MemberRole::Admin)
}

fn target(id: &str) -> String {
    format!("privacy_request:{id}")
}

/// The requester's page.
pub async fn mine(state: &AppState, user: &UserRow) -> AppResult<MyRequests> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let rows = store::list_own(&mut conn, &user.id).await?;
    Ok(MyRequests {
        requests: rows.iter().map(|r| r.summary(now, false)).collect(),
        form_key: new_id(),
        may_ask_for_enterprise: is_admin(user),
        mobile_masked: Mobile::parse(&user.mobile(&state.cipher)?)
            .map(|m| m.masked())
            .unwrap_or_default(),
        email_masked: Email::parse(&user.email(&state.cipher)?)
            .map(|e| e.masked())
            .unwrap_or_default(),
        sms_available: state.transport.carries(OutboxChannel::Sms),
        complaint_routes: state.settings.complaint_routes.clone(),
    })
}

/// Submits a request and sends its code; returns the request's id. The same form key again
/// answers with the request it made.
pub async fn submit(
    state: &AppState,
    user: &UserRow,
    meta: &ClientMeta,
    actor: &Actor,
    key: &str,
    form: &RequestForm,
    password: &str,
) -> AppResult<String> {
    let draft = form.parse().map_err(AppError::Invalid)?;
    let key = key.trim();
    if key.is_empty() || key.len() > 64 {
        return Err(AppError::invalid("key", Rule::Format));
    }
    if draft.scope == RequestScope::Enterprise && !is_admin(user) {
        let event = Event {
            result: crate::model::audit::AuditResult::Denied,
            ..Event::ok(
                actor,
                "rights.submit",
                "privacy_request",
                "enterprise scope: not the admin",
            )
        };
        audit::record(&state.db, &event, state.clock.now()).await?;
        return Err(AppError::Forbidden);
    }
    if let Some(id) = by_key(&mut *state.db.conn().await?, &user.id, key).await? {
        return Ok(id);
    }
    // A closure asked for while money is there or in flight is refused at once (P6.3).
    if draft.kind == crate::model::rights::RequestKind::Closure {
        let eid = user.enterprise_id.as_deref().ok_or(AppError::Forbidden)?;
        if let Some(c) = closure::blocker(&mut *state.db.conn().await?, eid).await? {
            return Err(AppError::Conflict(c));
        }
    }
    // Before the password, so that nobody types it for a code that cannot be sent.
    if draft.channel == ContactKind::Mobile && !state.transport.carries(OutboxChannel::Sms) {
        return Err(AppError::Conflict(Conflict::SmsUnavailable));
    }
    crate::backend::accounts::confirm_password(state, user, password, "password", meta).await?;
    let now = state.clock.now();
    let id = new_id();
    let mut tx = state.db.begin().await?;
    let enterprise_id = user.enterprise_id.as_deref();
    let inserted = sqlx::query(
        "INSERT INTO privacy_requests (id, user_id, enterprise_id, kind, scope, ground, details_enc, status, \
         form_key, submitted_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
         ON CONFLICT (user_id, form_key) DO NOTHING",
    )
    .bind(&id)
    .bind(&user.id)
    .bind(enterprise_id)
    .bind(draft.kind.code())
    .bind(draft.scope.code())
    .bind(draft.ground.map(|g| g.code()))
    .bind(store::seal(&state.cipher, &id, "details", &draft.details))
    .bind(RequestStatus::Unverified.code())
    .bind(key)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        // The same form, submitted in parallel: the other made the request.
        drop(tx);
        return by_key(&mut *state.db.conn().await?, &user.id, key)
            .await?
            .ok_or(AppError::NotFound);
    }
    store::add_step(
        &mut tx,
        &id,
        StepBy::Requester,
        None,
        RequestAction::Submitted,
        draft.kind.code(),
        now,
    )
    .await?;
    correction::record(&mut tx, &state.cipher, &id, &draft.corrections).await?;
    send_code(state, &mut tx, &id, user, draft.channel, now).await?;
    let detail = format!("kind={} scope={}", draft.kind.code(), draft.scope.code());
    let t = target(&id);
    let event = Event {
        enterprise_id: enterprise_id.filter(|_| draft.scope == RequestScope::Enterprise),
        ..Event::ok(actor, "rights.submitted", &t, &detail)
    };
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(id)
}

async fn by_key(conn: &mut AnyConnection, user_id: &str, key: &str) -> AppResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM privacy_requests WHERE user_id = $1 AND form_key = $2")
            .bind(user_id)
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Sends a fresh code for request `id` to `user`'s registered `channel`; older codes stop
/// working. At most [`CODES_PER_HOUR`] a person.
async fn send_code(
    state: &AppState,
    conn: &mut AnyConnection,
    id: &str,
    user: &UserRow,
    channel: ContactKind,
    now: UtcMillis,
) -> AppResult<()> {
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM privacy_request_codes c JOIN privacy_requests r ON r.id = c.request_id \
         WHERE r.user_id = $1 AND c.created_at > $2",
    )
    .bind(&user.id)
    .bind(now.0 - 3_600_000)
    .fetch_one(&mut *conn)
    .await?;
    if recent >= CODES_PER_HOUR {
        return Err(AppError::RateLimited);
    }
    if channel == ContactKind::Mobile && !state.transport.carries(OutboxChannel::Sms) {
        return Err(AppError::Conflict(Conflict::SmsUnavailable));
    }
    sqlx::query(
        "UPDATE privacy_request_codes SET used_at = $2 WHERE request_id = $1 AND used_at IS NULL",
    )
    .bind(id)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    let (mobile, email);
    let (to, masked) = match channel {
        ContactKind::Mobile => {
            mobile = Mobile::parse(&user.mobile(&state.cipher)?)
                .map_err(|_| AppError::internal("a stored mobile number does not parse"))?;
            (CodeTo::Mobile(&mobile), mobile.masked())
        }
        ContactKind::Email => {
            email = Email::parse(&user.email(&state.cipher)?)
                .map_err(|_| AppError::internal("a stored e-mail address does not parse"))?;
            (CodeTo::Email(&email), email.masked())
        }
    };
    let code_id = new_id();
    let code = codes::new_code();
    sqlx::query(
        "INSERT INTO privacy_request_codes (id, request_id, channel, sent_to_masked, code_hash, attempts, \
         expires_at, used_at, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6, NULL, $7)",
    )
    .bind(&code_id)
    .bind(id)
    .bind(channel.code())
    .bind(&masked)
    .bind(codes::hash(Table::RightsRequests, &code_id, &code))
    .bind(now.0 + rules::CODE_MINUTES * 60_000)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    let lang = crate::backend::accounts::contacts::lang_of(conn, &user.id).await?;
    messages::send_code(
        state,
        conn,
        to,
        Some(&user.id),
        &code,
        lang,
        OutboxPurpose::RightsVerification,
        now,
    )
    .await?;
    store::add_step(
        conn,
        id,
        StepBy::Requester,
        None,
        RequestAction::CodeSent,
        channel.code(),
        now,
    )
    .await
}

/// Sends a new code for an unverified request of `user`'s.
pub async fn resend(
    state: &AppState,
    user: &UserRow,
    actor: &Actor,
    id: &str,
    channel: &str,
) -> AppResult<()> {
    let channel = ContactKind::from_code(channel.trim())
        .ok_or(AppError::invalid("channel", Rule::Required))?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    store::get_own(&mut tx, &user.id, id).await?;
    // Holds the request (a withdrawal or a verification at the same moment waits).
    let (from, to) = ([RequestStatus::Unverified], RequestStatus::Unverified);
    if !store::move_status(&mut tx, id, &from, to, now).await? {
        return Err(AppError::Conflict(Conflict::RequestNotOpen));
    }
    send_code(state, &mut tx, id, user, channel, now).await?;
    let t = target(id);
    audit::append(
        &mut tx,
        &Event::ok(actor, "rights.code_sent", &t, channel.code()),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Enters the code of an unverified request: a right one verifies it, a wrong one counts
/// against the three tries.
pub async fn verify(
    state: &AppState,
    user: &UserRow,
    actor: &Actor,
    id: &str,
    code: &str,
) -> AppResult<()> {
    let code = code.trim();
    if !codes::well_formed(code) {
        return Err(AppError::invalid("code", Rule::Format));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let row = store::get_own(&mut tx, &user.id, id).await?;
    if row.status != RequestStatus::Unverified {
        return Err(AppError::Conflict(Conflict::RequestNotOpen));
    }
    let live = store::live_codes(&mut tx, id, now).await?;
    if codes::redeem(&mut tx, Table::RightsRequests, &live, code, now)
        .await?
        .is_none()
    {
        let t = target(id);
        let event = Event {
            result: crate::model::audit::AuditResult::Denied,
            ..Event::ok(actor, "rights.verify", &t, "wrong code")
        };
        audit::append(&mut tx, &event, now).await?;
        // The tries taken count.
        tx.commit().await?;
        return Err(AppError::Conflict(Conflict::RightsCodeWrong));
    }
    let to = RequestStatus::Verified;
    if !store::move_status(&mut tx, id, &[RequestStatus::Unverified], to, now).await? {
        return Err(AppError::Conflict(Conflict::RequestNotOpen));
    }
    // Complete now: its 15 days start (P10.2).
    sqlx::query("UPDATE privacy_requests SET verified_at = $2, due_at = $3 WHERE id = $1")
        .bind(id)
        .bind(now.0)
        .bind(rules::due_at(now).0)
        .execute(&mut *tx)
        .await?;
    let step = RequestAction::Verified;
    store::add_step(&mut tx, id, StepBy::Requester, None, step, "", now).await?;
    let t = target(id);
    audit::append(&mut tx, &Event::ok(actor, "rights.verified", &t, ""), now).await?;
    tx.commit().await?;
    Ok(())
}

/// The requester withdraws an open request.
pub async fn withdraw(state: &AppState, user: &UserRow, actor: &Actor, id: &str) -> AppResult<()> {
    use RequestStatus as S;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    store::get_own(&mut tx, &user.id, id).await?;
    let open = [S::Unverified, S::Verified, S::InProgress];
    if !store::move_status(&mut tx, id, &open, S::Withdrawn, now).await? {
        return Err(AppError::Conflict(Conflict::RequestNotOpen));
    }
    sqlx::query(
        "UPDATE privacy_request_codes SET used_at = $2 WHERE request_id = $1 AND used_at IS NULL",
    )
    .bind(id)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    let step = RequestAction::Withdrawn;
    store::add_step(&mut tx, id, StepBy::Requester, None, step, "", now).await?;
    let t = target(id);
    audit::append(&mut tx, &Event::ok(actor, "rights.withdrawn", &t, ""), now).await?;
    tx.commit().await?;
    Ok(())
}

/// One of the requester's own requests.
pub async fn mine_one(state: &AppState, user: &UserRow, id: &str) -> AppResult<RequestDetail> {
    let mut conn = state.db.conn().await?;
    let row = store::get_own(&mut conn, &user.id, id).await?;
    detail(state, &mut conn, &row, false).await
}

/// The console's queue.
pub async fn queue(state: &AppState, filter: &str) -> AppResult<Vec<RequestSummary>> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let rows = store::queue(&mut conn, QueueFilter::parse(filter.trim())).await?;
    Ok(rows.iter().map(|r| r.summary(now, true)).collect())
}

/// One request as the officer sees it; the look is audited.
pub async fn for_officer(state: &AppState, actor: &Actor, id: &str) -> AppResult<RequestDetail> {
    let mut conn = state.db.conn().await?;
    let row = store::get(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let t = target(id);
    let event = Event::ok(actor, "rights.viewed", &t, row.kind.code());
    audit::record(&state.db, &event, state.clock.now()).await?;
    detail(state, &mut conn, &row, true).await
}

/// Same-kind requests of the requester in the 12 months up to this one (this one included).
async fn same_kind(conn: &mut AnyConnection, row: &RequestRow) -> AppResult<u32> {
    let since = UtcMillis(row.submitted_at.0 - YEAR_MS);
    store::same_kind_between(conn, &row.user_id, row.kind, since, row.submitted_at).await
}

async fn detail(
    state: &AppState,
    conn: &mut AnyConnection,
    row: &RequestRow,
    console: bool,
) -> AppResult<RequestDetail> {
    let now = state.clock.now();
    let pending_code = match row.status {
        RequestStatus::Unverified => store::pending_code(conn, &row.id, now).await?,
        _ => None,
    };
    let same_kind_in_year = if console {
        same_kind(conn, row).await?
    } else {
        0
    };
    let fee_reason = row.fee_reason(&state.cipher)?;
    let requester_full = if console {
        row.requester_full(&state.cipher)?
    } else {
        String::new()
    };
    let licence = licence_file_id(conn, &row.id).await?;
    Ok(RequestDetail {
        requester_full,
        sms_available: state.transport.carries(OutboxChannel::Sms),
        summary: row.summary(now, console),
        ground: row.ground()?,
        details: row.details(&state.cipher)?,
        answer: row.answer(&state.cipher)?,
        refusal: row.refusal()?,
        steps: store::steps(conn, &row.id).await?,
        pending_code,
        same_kind_in_year,
        fee_allowed: console
            && fee_reason.is_none()
            && row.status.awaits_us()
            && rules::fee_allowed(same_kind_in_year, state.settings.rights_free_per_year),
        fee_reason,
        complaint_routes: state.settings.complaint_routes.clone(),
        copy: export::view(conn, &row.id).await?,
        correction: correction::detail(conn, &state.cipher, row, licence).await?,
    })
}

/// Housekeeping: unverified requests older than [`rules::LAPSE_DAYS`] lapse (their codes stop
/// working). Returns how many.
pub async fn lapse_unverified(state: &AppState) -> AppResult<u64> {
    let now = state.clock.now();
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM privacy_requests WHERE status = 'unverified' AND submitted_at < $1 ORDER BY id LIMIT 500",
    )
    .bind(rules::lapse_before(now).0)
    .fetch_all(state.db.pool())
    .await?;
    let mut n = 0;
    for id in ids {
        let mut tx = state.db.begin().await?;
        let (from, to) = ([RequestStatus::Unverified], RequestStatus::Lapsed);
        if store::move_status(&mut tx, &id, &from, to, now).await? {
            sqlx::query(
                "UPDATE privacy_request_codes SET used_at = $2 WHERE request_id = $1 AND used_at IS NULL",
            )
            .bind(&id)
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
            let step = RequestAction::Lapsed;
            store::add_step(&mut tx, &id, StepBy::Platform, None, step, "", now).await?;
            let t = target(&id);
            let actor = Actor::system();
            let event = Event::ok(&actor, "rights.lapsed", &t, "");
            audit::append(&mut tx, &event, now).await?;
            n += 1;
        }
        tx.commit().await?;
    }
    Ok(n)
}

/// A correction request's new licence (`stored_files.id`), if one was uploaded.
pub(crate) async fn licence_file_id(
    conn: &mut AnyConnection,
    id: &str,
) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar::<_, Option<String>>(
        "SELECT licence_file_id FROM privacy_requests WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .flatten())
}

/// Whether `user_id` is still the active admin of `enterprise_id` (an enterprise's request is
/// carried out, and its copy downloaded, only then).
pub(crate) async fn still_admin(
    conn: &mut AnyConnection,
    user_id: &str,
    enterprise_id: &str,
) -> AppResult<bool> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT id FROM users WHERE id = $1 AND enterprise_id = $2 AND role = 'admin' AND status = 'active'",
    )
    .bind(user_id)
    .bind(enterprise_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}
