//! Signing the worker service agreement (签约; issue 18 §2, P6.1). The enterprise invites a
//! worker: a text carries a link to the phone page (`/sign/{token}`; the token is kept as a
//! hash, valid [`INVITE_DAYS`]). There the worker reads the current version, asks for a code
//! by text and signs with it (codes: [`codes::Table::WorkerSigning`], 30 minutes, five tries).
//! The signature records the version, time, method, truncated network address and browser;
//! the enterprise may release it, with a reason (recorded). Orders to the worker that waited
//! for the signature ([`Reason::PayeeNotSigned`]) go on when they sign. New versions of the
//! agreement, and the texts that tell the workers who signed an earlier one: [`versions`].

use crate::backend::accounts::codes::{self, Table};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::crypto::sha256_hex;
use crate::backend::messages::{self, CodeTo};
use crate::backend::request::ClientMeta;
use crate::backend::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::model::account::Mobile;
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::outbox::OutboxPurpose;
use crate::model::worker::{
    mask_name, SignMethod, SigningAsk, SigningView, INVITE_DAYS, RESEND_SECONDS,
};
use crate::model::{Lang, UtcMillis};
use sqlx::AnyConnection;

mod record;
pub mod versions;

pub use record::{history, operator_view, page};

const DAY_MS: i64 = 86_400_000;
/// Codes one invitation may send.
pub const MAX_CODES: i64 = 10;

fn token_hash(token: &str) -> String {
    sha256_hex(format!("worker-sign-invite:{}", token.trim()).as_bytes())
}

/// What an invitation needs of its worker.
#[derive(sqlx::FromRow)]
struct WorkerRow {
    name: String,
    mobile_enc: String,
    enterprise_name: String,
}

async fn worker(
    conn: &mut AnyConnection,
    enterprise_id: &str,
    worker_id: &str,
) -> AppResult<WorkerRow> {
    sqlx::query_as(
        "SELECT w.name, w.mobile_enc, e.name AS enterprise_name FROM workers w \
         JOIN enterprises e ON e.id = w.enterprise_id WHERE w.id = $1 AND w.enterprise_id = $2",
    )
    .bind(worker_id)
    .bind(enterprise_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// The sealed mobile of an invitation is bound to its row.
fn invite_ctx(id: &str) -> String {
    format!("worker_sign_invites.mobile:{id}")
}

/// Opens a sealed mobile number (`ctx`: its table, column and row).
fn mobile_of(state: &AppState, ctx: &str, stored: &str) -> AppResult<Mobile> {
    let plain = state
        .cipher
        .decrypt_text(stored, ctx)
        .map_err(AppError::internal)?;
    Mobile::parse(&plain).map_err(|_| AppError::internal("a worker's stored mobile does not parse"))
}

/// Who an invitation is from, and what it is for.
struct InviteFor<'a> {
    worker_id: &'a str,
    enterprise_id: &'a str,
    /// The login person who sent it (none: the platform's notice of a new version).
    created_by: Option<&'a str>,
    /// The new version the platform's notice announced.
    notice_for: Option<&'a str>,
}

/// Records an invitation for the worker's registered mobile (sealed mobile `mobile_enc`) and
/// returns that number and the link (`origin` is the site's).
async fn new_invite(
    state: &AppState,
    conn: &mut AnyConnection,
    to: InviteFor<'_>,
    mobile_enc: &str,
    origin: &str,
    now: UtcMillis,
) -> AppResult<(Mobile, String)> {
    let token = crate::backend::ids::new_id();
    let id = crate::backend::ids::new_id();
    // The number texted now is the one the codes go to, whatever the register says later.
    let ctx = format!("workers.mobile:{}", to.worker_id);
    let mobile = mobile_of(state, &ctx, mobile_enc)?;
    let sealed = state.cipher.encrypt_text(mobile.as_str(), &invite_ctx(&id));
    sqlx::query(
        "INSERT INTO worker_sign_invites (id, worker_id, enterprise_id, token_hash, mobile_enc, mobile_hint, \
         created_by, created_at, expires_at, notice_for) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(to.worker_id)
    .bind(to.enterprise_id)
    .bind(token_hash(&token))
    .bind(&sealed)
    .bind(mobile.masked())
    .bind(to.created_by)
    .bind(now.0)
    .bind(now.0 + INVITE_DAYS * DAY_MS)
    .bind(to.notice_for)
    .execute(&mut *conn)
    .await?;
    Ok((
        mobile,
        format!("{}/sign/{token}", origin.trim_end_matches('/')),
    ))
}

/// Sends the worker a text with a link to sign (`origin` is the site's, for the link): a
/// worker who has not signed, was released, or signed an earlier version.
pub async fn invite(
    state: &AppState,
    actor: &Actor,
    enterprise_id: &str,
    worker_id: &str,
    origin: &str,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let w = worker(&mut tx, enterprise_id, worker_id).await?;
    let current = current(&mut tx).await?;
    if signed_version(&mut tx, worker_id).await?.as_deref() == Some(current.version.as_str()) {
        return Err(AppError::Conflict(Conflict::WorkerSigned));
    }
    let to = InviteFor {
        worker_id,
        enterprise_id,
        created_by: Some(&actor.id),
        notice_for: None,
    };
    let (mobile, link) = new_invite(state, &mut tx, to, &w.mobile_enc, origin, now).await?;
    let sms = crate::model::sms::SmsContent::signing_link(&w.enterprise_name, &link, Lang::ZhCn);
    if !messages::send_signing_link(state, &mut tx, &mobile, &sms, now).await? {
        return Err(AppError::Conflict(Conflict::SmsUnavailable));
    }
    log(
        &mut tx,
        actor,
        enterprise_id,
        "worker.invite",
        worker_id,
        &w.name,
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// A live invitation, by its link's token.
#[derive(sqlx::FromRow)]
struct InviteRow {
    id: String,
    worker_id: String,
    enterprise_id: String,
    mobile_enc: String,
    mobile_hint: String,
    used_at: Option<i64>,
    expires_at: i64,
}

async fn invite_by_token(conn: &mut AnyConnection, token: &str) -> AppResult<Option<InviteRow>> {
    Ok(sqlx::query_as(
        "SELECT id, worker_id, enterprise_id, mobile_enc, mobile_hint, used_at, expires_at FROM worker_sign_invites \
         WHERE token_hash = $1",
    )
    .bind(token_hash(token))
    .fetch_optional(&mut *conn)
    .await?)
}

/// The current agreement: its id, version and texts.
#[derive(sqlx::FromRow)]
pub(super) struct AgreementRow {
    pub id: String,
    pub version: String,
    pub content_zh: String,
    pub content_en: String,
}

/// The version workers sign now, its row locked for the transaction (an update that changes
/// nothing): a signature and a publication take turns on both engines, so a worker who signs
/// while a new version is published either signs the new one or is texted about it.
pub(super) async fn current_locked(conn: &mut AnyConnection) -> AppResult<AgreementRow> {
    let latest = current(conn).await?;
    sqlx::query("UPDATE worker_agreements SET published_at = published_at WHERE id = $1")
        .bind(&latest.id)
        .execute(&mut *conn)
        .await?;
    current(conn).await
}

/// The version workers sign now: the newest published.
pub(super) async fn current(conn: &mut AnyConnection) -> AppResult<AgreementRow> {
    sqlx::query_as(
        "SELECT id, version, content_zh, content_en FROM worker_agreements ORDER BY published_at DESC, id DESC LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::internal("no worker agreement is published"))
}

/// What the phone's page shows for `token`.
pub async fn view(state: &AppState, token: &str, lang: Lang) -> AppResult<SigningView> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let Some(inv) = invite_by_token(&mut conn, token).await? else {
        return Ok(SigningView::Gone);
    };
    if inv.used_at.is_some() {
        let signed: Option<(String, i64)> =
            sqlx::query_as("SELECT version, signed_at FROM worker_signatures WHERE invite_id = $1")
                .bind(&inv.id)
                .fetch_optional(&mut *conn)
                .await?;
        return Ok(match signed {
            Some((version, at)) => SigningView::Signed {
                version,
                at: UtcMillis(at),
            },
            None => SigningView::Gone,
        });
    }
    if inv.expires_at <= now.0 {
        return Ok(SigningView::Gone);
    }
    let w = worker(&mut conn, &inv.enterprise_id, &inv.worker_id).await?;
    let a = current(&mut conn).await?;
    let code: Option<(i64, i64)> = sqlx::query_as(
        "SELECT attempts, expires_at FROM worker_sign_codes WHERE invite_id = $1 AND used_at IS NULL \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(&inv.id)
    .fetch_optional(&mut *conn)
    .await?;
    let tries = Table::WorkerSigning.tries();
    let (code_sent, wrong_tries) = match code {
        Some((attempts, expires)) if expires > now.0 && attempts < tries => (true, attempts),
        Some((attempts, _)) => (false, attempts),
        None => (false, 0),
    };
    // A worker who signed an earlier version is told what changes: the new one applies once
    // they sign it.
    let earlier = signed_version(&mut conn, &inv.worker_id)
        .await?
        .filter(|v| *v != a.version);
    Ok(SigningView::Ask(SigningAsk {
        earlier,
        enterprise: w.enterprise_name,
        worker: mask_name(&w.name),
        mobile: inv.mobile_hint,
        version: a.version,
        content: match lang {
            Lang::ZhCn => a.content_zh,
            Lang::En => a.content_en,
        },
        code_sent,
        wrong_tries,
        tries_left: (tries - wrong_tries).max(0),
    }))
}

/// Sends a signing code to the invited worker's mobile (at most one a minute).
pub async fn send_code(state: &AppState, token: &str) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let inv = live(&mut tx, token, now).await?;
    let (sent, last): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MAX(created_at) FROM worker_sign_codes WHERE invite_id = $1",
    )
    .bind(&inv.id)
    .fetch_one(&mut *tx)
    .await?;
    // A link gets [`MAX_CODES`] codes (so at most that many times five guesses): then the
    // enterprise sends a new one.
    if sent >= MAX_CODES {
        return Err(AppError::Conflict(Conflict::SigningLinkGone));
    }
    if last.is_some_and(|t| now.0 - t < RESEND_SECONDS * 1000) {
        return Err(AppError::Conflict(Conflict::SigningCodeTooSoon));
    }
    let mobile = mobile_of(state, &invite_ctx(&inv.id), &inv.mobile_enc)?;
    let id = crate::backend::ids::new_id();
    let code = codes::new_code();
    sqlx::query(
        "INSERT INTO worker_sign_codes (id, invite_id, code_hash, attempts, expires_at, created_at) \
         VALUES ($1, $2, $3, 0, $4, $5)",
    )
    .bind(&id)
    .bind(&inv.id)
    .bind(codes::hash(Table::WorkerSigning, &id, &code))
    .bind(now.0 + crate::model::sms::CODE_MINUTES * 60_000)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    let to = CodeTo::Mobile(&mobile);
    let purpose = OutboxPurpose::WorkerSigningCode;
    if !messages::send_code(state, &mut tx, to, None, &code, Lang::ZhCn, purpose, now).await? {
        return Err(AppError::Conflict(Conflict::SmsUnavailable));
    }
    Ok(tx.commit().await?)
}

/// An invitation that may still be signed with, its row locked for the transaction (an update
/// that changes nothing: two requests with the same link take turns on both engines).
async fn live(conn: &mut AnyConnection, token: &str, now: UtcMillis) -> AppResult<InviteRow> {
    sqlx::query("UPDATE worker_sign_invites SET used_at = used_at WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(&mut *conn)
        .await?;
    match invite_by_token(conn, token).await? {
        Some(inv) if inv.used_at.is_none() && inv.expires_at > now.0 => Ok(inv),
        _ => Err(AppError::Conflict(Conflict::SigningLinkGone)),
    }
}

/// Locks the worker's row for the transaction: a signature, a release and an order's check of
/// the payee's signature take turns.
async fn lock_worker(conn: &mut AnyConnection, worker_id: &str) -> AppResult<()> {
    sqlx::query("UPDATE workers SET updated_at = updated_at WHERE id = $1")
        .bind(worker_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Closes the worker's other open invitations (signed, or released: a new one is needed).
async fn close_invites(conn: &mut AnyConnection, worker_id: &str, now: UtcMillis) -> AppResult<()> {
    sqlx::query(
        "UPDATE worker_sign_invites SET used_at = $2 WHERE worker_id = $1 AND used_at IS NULL",
    )
    .bind(worker_id)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The worker signs with the code they were sent, having ticked that they read and agree.
/// What the worker sent to sign: the code, the tick, and the version they read.
pub struct Signature<'a> {
    pub code: &'a str,
    pub agree: bool,
    pub version: &'a str,
}

pub async fn sign(
    state: &AppState,
    token: &str,
    form: Signature<'_>,
    meta: &ClientMeta,
) -> AppResult<SigningView> {
    let Signature {
        code,
        agree,
        version,
    } = form;
    if !agree {
        return Err(AppError::invalid("agree", Rule::MustAccept));
    }
    let code = code.trim();
    if !codes::well_formed(code) {
        return Err(AppError::invalid("code", Rule::Format));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let inv = live(&mut tx, token, now).await?;
    // What is signed is the version the worker read (a newer one needs reading first).
    let a = current_locked(&mut tx).await?;
    if a.version != version.trim() {
        return Err(AppError::Conflict(Conflict::AgreementChanged));
    }
    let candidates: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, code_hash FROM worker_sign_codes WHERE invite_id = $1 AND used_at IS NULL AND expires_at > $2 \
         ORDER BY created_at DESC, id DESC",
    )
    .bind(&inv.id)
    .bind(now.0)
    .fetch_all(&mut *tx)
    .await?;
    let worker_actor = Actor {
        kind: crate::model::audit::ActorKind::System,
        id: format!("worker:{}", inv.worker_id),
        role: "worker".into(),
        ip: meta.stored_ip(),
    };
    if codes::redeem(&mut tx, Table::WorkerSigning, &candidates, code, now)
        .await?
        .is_none()
    {
        let target = format!("worker:{}", inv.worker_id);
        let event = Event {
            result: AuditResult::Denied,
            ..Event::ok(&worker_actor, "worker.sign", &target, "wrong code")
        };
        audit::append(&mut tx, &event, now).await?;
        // The try taken counts.
        tx.commit().await?;
        return Err(AppError::Conflict(Conflict::SigningCodeWrong));
    }
    lock_worker(&mut tx, &inv.worker_id).await?;
    let used = sqlx::query(
        "UPDATE worker_sign_invites SET used_at = $2 WHERE id = $1 AND used_at IS NULL",
    )
    .bind(&inv.id)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    if used.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::SigningLinkGone));
    }
    close_invites(&mut tx, &inv.worker_id, now).await?;
    sqlx::query(
        "INSERT INTO worker_signatures (id, worker_id, enterprise_id, agreement_id, version, invite_id, signed_at, \
         method, ip, user_agent, release_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '')",
    )
    .bind(crate::backend::ids::new_id())
    .bind(&inv.worker_id)
    .bind(&inv.enterprise_id)
    .bind(&a.id)
    .bind(&a.version)
    .bind(&inv.id)
    .bind(now.0)
    .bind(SignMethod::SmsCode.code())
    .bind(meta.stored_ip())
    .bind(meta.stored_agent())
    .execute(&mut *tx)
    .await?;
    // Orders that waited for the signature go on, in the same transaction.
    let index: String = sqlx::query_scalar("SELECT id_index FROM workers WHERE id = $1")
        .bind(&inv.worker_id)
        .fetch_one(&mut *tx)
        .await?;
    let resumed =
        crate::backend::orders::resume_signed(&mut tx, &inv.enterprise_id, &index, now).await?;
    let detail = format!("version {}; {resumed} waiting orders reserved", a.version);
    log(
        &mut tx,
        &worker_actor,
        &inv.enterprise_id,
        "worker.sign",
        &inv.worker_id,
        &detail,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(SigningView::Signed {
        version: a.version,
        at: now,
    })
}

/// The enterprise releases a worker from the agreement, with a reason (recorded).
pub async fn release(
    state: &AppState,
    actor: &Actor,
    enterprise_id: &str,
    worker_id: &str,
    reason: &str,
) -> AppResult<()> {
    let reason =
        crate::model::form::parse_text(reason, 200).map_err(|r| AppError::invalid("reason", r))?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let w = worker(&mut tx, enterprise_id, worker_id).await?;
    lock_worker(&mut tx, worker_id).await?;
    close_invites(&mut tx, worker_id, now).await?;
    let done = sqlx::query(
        "UPDATE worker_signatures SET released_at = $1, released_by = $2, release_reason = $3 \
         WHERE worker_id = $4 AND enterprise_id = $5 AND released_at IS NULL",
    )
    .bind(now.0)
    .bind(&actor.id)
    .bind(&reason)
    .bind(worker_id)
    .bind(enterprise_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(Conflict::WorkerNotSigned));
    }
    let detail = format!("{}: {reason}", w.name);
    log(
        &mut tx,
        actor,
        enterprise_id,
        "worker.release",
        worker_id,
        &detail,
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// The version of the worker's signature in force (none: never signed, or released).
async fn signed_version(conn: &mut AnyConnection, worker_id: &str) -> AppResult<Option<String>> {
    let latest: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT version, released_at FROM worker_signatures WHERE worker_id = $1 ORDER BY signed_at DESC, id DESC LIMIT 1",
    )
    .bind(worker_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(latest.and_then(|(v, released)| released.is_none().then_some(v)))
}

async fn log(
    conn: &mut AnyConnection,
    actor: &Actor,
    enterprise_id: &str,
    action: &str,
    worker_id: &str,
    detail: &str,
    now: UtcMillis,
) -> AppResult<()> {
    let target = format!("worker:{worker_id}");
    let event = Event::in_enterprise(actor, enterprise_id, action, &target, detail);
    audit::append(conn, &event, now).await?;
    Ok(())
}
