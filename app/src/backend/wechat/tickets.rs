//! The desktop's side of scan-login (P1.1.3; issue 15): a ticket is created for one browser
//! (the hash of its `esp_wx_browser` cookie is kept with it), drawn as a QR code of the phone
//! page's URL, followed until the phone confirms, and finished once: the login then follows
//! the password login's rules (`accounts::proven_login`).

use crate::backend::accounts::proven_login::login_proven;
use crate::backend::accounts::sessions::ClientMeta;
use crate::backend::crypto::{random_token, sha256_hex};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::account::LoginMethod;
use crate::model::conflict::Conflict;
use crate::model::net::rate_key;
use crate::model::scan::{
    TicketProgress, TicketPurpose, TicketStatus, TicketView, FINISH_GRACE_MS, TICKET_TTL_MS,
};
use crate::model::{Lang, UtcMillis};

/// Creates a ticket for this browser (`browser`: its cookie's value). A bind ticket names the
/// logged-in login person (`bind_user`). `origin` is where phones reach the site.
pub async fn create(
    state: &AppState,
    purpose: TicketPurpose,
    bind_user: Option<&str>,
    browser: &str,
    meta: &ClientMeta,
    lang: Lang,
    origin: &str,
) -> AppResult<TicketView> {
    if state.wechat.is_none() {
        return Err(AppError::Conflict(Conflict::WechatUnavailable));
    }
    let now = state.clock.now();
    if !state.scan_limiter.allow(&rate_key(&meta.ip), now.0) {
        return Err(AppError::RateLimited);
    }
    if let Some(user) = bind_user {
        let mut conn = state.db.conn().await?;
        if super::bindings::is_bound(&mut conn, user).await? {
            return Err(AppError::Conflict(Conflict::WechatAlreadyBound));
        }
    }
    let ticket = random_token();
    let expires_at = UtcMillis(now.0 + TICKET_TTL_MS);
    sqlx::query(
        "INSERT INTO wechat_tickets (id_hash, purpose, browser_hash, bind_user_id, lang, status, \
         desktop_ip, desktop_agent, created_at, expires_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9)",
    )
    .bind(sha256_hex(ticket.as_bytes()))
    .bind(purpose.code())
    .bind(sha256_hex(browser.as_bytes()))
    .bind(bind_user)
    .bind(lang.code())
    .bind(TicketStatus::Waiting.code())
    .bind(&meta.ip)
    .bind(meta.stored_agent())
    .bind(now.0)
    .bind(expires_at.0)
    .execute(state.db.pool())
    .await?;
    let lang_query = if lang == Lang::En { "?lang=en" } else { "" };
    let scan_url = format!("{}/wx/scan/{ticket}{lang_query}", origin.trim_end_matches('/'));
    let qr_svg = qrcode::QrCode::new(scan_url.as_bytes())
        .map_err(AppError::internal)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    Ok(TicketView {
        ticket,
        purpose,
        scan_url,
        qr_svg,
        expires_at,
    })
}

/// A ticket's row as the desktop's questions read it.
#[derive(sqlx::FromRow)]
struct DesktopRow {
    #[sqlx(try_from = "String")]
    purpose: TicketPurpose,
    browser_hash: String,
    #[sqlx(try_from = "String")]
    status: TicketStatus,
    #[sqlx(try_from = "i64")]
    expires_at: UtcMillis,
}

/// This browser's ticket; another browser's is not found (it cannot follow or finish it).
async fn desktop_row(state: &AppState, ticket: &str, browser: &str) -> AppResult<DesktopRow> {
    let row: Option<DesktopRow> = sqlx::query_as(
        "SELECT purpose, browser_hash, status, expires_at FROM wechat_tickets WHERE id_hash = $1",
    )
    .bind(sha256_hex(ticket.as_bytes()))
    .fetch_optional(state.db.pool())
    .await?;
    row.filter(|r| {
        crate::backend::crypto::constant_time_eq(
            r.browser_hash.as_bytes(),
            sha256_hex(browser.as_bytes()).as_bytes(),
        )
    })
    .ok_or(AppError::NotFound)
}

/// Where this browser's ticket stands.
pub async fn progress(state: &AppState, ticket: &str, browser: &str) -> AppResult<TicketProgress> {
    let row = desktop_row(state, ticket, browser).await?;
    Ok(TicketProgress {
        state: row.status.desktop(row.expires_at, state.clock.now()),
        expires_at: row.expires_at,
    })
}

/// Finishes a login ticket the phone confirmed: the ticket is used up, and the bound login
/// person logged in on this browser (a new session; `old_token`'s ends). Returns the token.
pub async fn finish_login(
    state: &AppState,
    ticket: &str,
    browser: &str,
    old_token: Option<&str>,
    meta: &ClientMeta,
) -> AppResult<String> {
    let row = desktop_row(state, ticket, browser).await?;
    if row.purpose != TicketPurpose::Login {
        return Err(AppError::NotFound);
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let user: Option<Option<String>> = sqlx::query_scalar(
        "UPDATE wechat_tickets SET status = $1, updated_at = $2 \
         WHERE id_hash = $3 AND status = $4 AND expires_at > $2 RETURNING user_id",
    )
    .bind(TicketStatus::Done.code())
    .bind(now.0)
    .bind(sha256_hex(ticket.as_bytes()))
    .bind(TicketStatus::Confirmed.code())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(Some(user_id)) = user else {
        return Err(AppError::Conflict(Conflict::ScanNotConfirmed));
    };
    let outcome =
        login_proven(&mut tx, state, &user_id, old_token, meta, LoginMethod::Wechat, now).await?;
    tx.commit().await?;
    outcome
}

/// The phone confirmed: the desktop has at least [`FINISH_GRACE_MS`] to finish.
pub fn finish_deadline(expires_at: UtcMillis, now: UtcMillis) -> UtcMillis {
    UtcMillis(expires_at.0.max(now.0 + FINISH_GRACE_MS))
}

/// Deletes tickets and `state`s an hour after they expired (with the WeChat identities and
/// profiles they held while they lived).
pub async fn purge_expired(db: &crate::backend::db::Db, now: UtcMillis) -> Result<(), sqlx::Error> {
    let before = now.0 - 3_600_000;
    sqlx::query("DELETE FROM wechat_tickets WHERE expires_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?;
    sqlx::query("DELETE FROM wechat_states WHERE expires_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?;
    Ok(())
}
