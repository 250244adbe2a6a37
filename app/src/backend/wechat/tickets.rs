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
    TicketProgress, TicketPurpose, TicketStatus, TicketView, FINISH_GRACE_MS,
};
use crate::model::{Lang, UtcMillis};

/// Creates a ticket for this browser (`browser`: its cookie's value), or draws again the one it
/// has that still waits with at least [`REUSE_MIN_MS`] to go (a reload, a language switch, a
/// crawler following the tab do not use up the address's allowance). A bind ticket names the
/// logged-in login person (`bind_user`), and a new one is made only with `new_bind` (after the
/// password was entered again). `origin` is where phones reach the site.
pub async fn create(
    state: &AppState,
    purpose: TicketPurpose,
    bind_user: Option<&str>,
    desktop: &Desktop<'_>,
    new_bind: bool,
) -> AppResult<TicketView> {
    let Desktop {
        browser,
        meta,
        lang,
        origin,
    } = *desktop;
    if state.wechat.is_none() {
        return Err(AppError::Conflict(Conflict::WechatUnavailable));
    }
    let now = state.clock.now();
    let browser_hash = sha256_hex(browser.as_bytes());
    if let Some(user) = bind_user {
        let mut conn = state.db.conn().await?;
        if super::bindings::is_bound(&mut conn, user).await? {
            return Err(AppError::Conflict(Conflict::WechatAlreadyBound));
        }
    }
    let live: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT id_hash, ticket_enc, expires_at FROM wechat_tickets WHERE browser_hash = $1 \
         AND status = $2 AND purpose = $3 AND COALESCE(bind_user_id, '') = $4 AND expires_at > $5 \
         ORDER BY expires_at DESC LIMIT 1",
    )
    .bind(&browser_hash)
    .bind(TicketStatus::Waiting.code())
    .bind(purpose.code())
    .bind(bind_user.unwrap_or(""))
    .bind(now.0 + reuse_min(state, purpose))
    .fetch_optional(state.db.pool())
    .await?;
    let (ticket, expires_at) = match live {
        Some((hash, enc, expires_at)) => {
            let ticket = state
                .cipher
                .decrypt_text(&enc, &format!("wechat_tickets.ticket:{hash}"))
                .map_err(AppError::internal)?;
            sqlx::query("UPDATE wechat_tickets SET lang = $1 WHERE id_hash = $2")
                .bind(lang.code())
                .bind(&hash)
                .execute(state.db.pool())
                .await?;
            (ticket, UtcMillis(expires_at))
        }
        // A binding code is made only after the password was entered again (`begin_bind`).
        None if purpose == TicketPurpose::Bind && !new_bind => {
            return Err(AppError::Conflict(Conflict::WechatBindNeedsPassword));
        }
        None => {
            if !state.scan_limiter.allow(&rate_key(&meta.ip), now.0) {
                return Err(AppError::RateLimited);
            }
            let ticket = random_token();
            let expires_at = UtcMillis(now.0 + state.settings.wechat_ticket_ttl_ms);
            insert(
                state,
                &ticket,
                purpose,
                bind_user,
                &browser_hash,
                meta,
                lang,
                expires_at,
            )
            .await?;
            (ticket, expires_at)
        }
    };
    let lang_query = if lang == Lang::En { "?lang=en" } else { "" };
    let page = format!("/wx/scan/{ticket}{lang_query}");
    let scan_url = format!("{}{page}", origin.trim_end_matches('/'));
    let sim_open = state.wechat.as_ref().and_then(|w| w.sim_open(&page));
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
        sim_open,
    })
}

/// The desktop browser asking for a code: its cookie's value, its address and browser, the
/// page's language, and the origin phones reach the site at.
#[derive(Clone, Copy)]
pub struct Desktop<'a> {
    pub browser: &'a str,
    pub meta: &'a ClientMeta,
    pub lang: Lang,
    pub origin: &'a str,
}

/// A drawn ticket is drawn again while it has at least this long to go (a login code; half
/// its life when codes are short).
pub const REUSE_MIN_MS: i64 = 60_000;

/// How long a ticket must still have to be drawn again: a binding code (made after the
/// password) as long as it lives; a login code [`REUSE_MIN_MS`], or half its life.
fn reuse_min(state: &AppState, purpose: TicketPurpose) -> i64 {
    match purpose {
        TicketPurpose::Bind => 5_000,
        TicketPurpose::Login => REUSE_MIN_MS.min(state.settings.wechat_ticket_ttl_ms / 2),
    }
}

/// This browser's ticket: what it is for, whom it binds, and its language (WeChat's own QR
/// page goes on from it). Another browser's is not found.
pub async fn owner(
    state: &AppState,
    ticket: &str,
    browser: &str,
) -> AppResult<(TicketPurpose, Option<String>, Lang, TicketProgress)> {
    let row = desktop_row(state, ticket, browser).await?;
    let extra: (Option<String>, String) =
        sqlx::query_as("SELECT bind_user_id, lang FROM wechat_tickets WHERE id_hash = $1")
            .bind(sha256_hex(ticket.as_bytes()))
            .fetch_one(state.db.pool())
            .await?;
    let progress = TicketProgress {
        state: row.status.desktop(row.expires_at, state.clock.now()),
        expires_at: row.expires_at,
    };
    Ok((
        row.purpose,
        extra.0,
        Lang::parse(&extra.1).unwrap_or_default(),
        progress,
    ))
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    state: &AppState,
    ticket: &str,
    purpose: TicketPurpose,
    bind_user: Option<&str>,
    browser_hash: &str,
    meta: &ClientMeta,
    lang: Lang,
    expires_at: UtcMillis,
) -> AppResult<()> {
    let now = state.clock.now();
    let id_hash = sha256_hex(ticket.as_bytes());
    let ticket_enc = state
        .cipher
        .encrypt_text(ticket, &format!("wechat_tickets.ticket:{id_hash}"));
    sqlx::query(
        "INSERT INTO wechat_tickets (id_hash, ticket_enc, purpose, browser_hash, bind_user_id, lang, \
         status, desktop_ip, desktop_agent, created_at, expires_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10)",
    )
    .bind(&id_hash)
    .bind(ticket_enc)
    .bind(purpose.code())
    .bind(browser_hash)
    .bind(bind_user)
    .bind(lang.code())
    .bind(TicketStatus::Waiting.code())
    .bind(&meta.ip)
    .bind(meta.stored_agent())
    .bind(now.0)
    .bind(expires_at.0)
    .execute(state.db.pool())
    .await?;
    Ok(())
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
/// person logged in on this browser (a new session; `old_token`'s ends), if the WeChat account
/// is still bound to them. Returns the token and the login person.
pub async fn finish_login(
    state: &AppState,
    ticket: &str,
    browser: &str,
    old_token: Option<&str>,
    meta: &ClientMeta,
) -> AppResult<(String, String)> {
    let row = desktop_row(state, ticket, browser).await?;
    if row.purpose != TicketPurpose::Login {
        return Err(AppError::NotFound);
    }
    let now = state.clock.now();
    let ticket_hash = sha256_hex(ticket.as_bytes());
    let mut tx = state.db.begin().await?;
    let used: Option<UsedRow> = sqlx::query_as(
        "UPDATE wechat_tickets SET status = $1, updated_at = $2 \
             WHERE id_hash = $3 AND status = $4 AND expires_at > $2 \
             RETURNING user_id, wx_openid_enc, wx_unionid_enc, wx_scope",
    )
    .bind(TicketStatus::Done.code())
    .bind(now.0)
    .bind(&ticket_hash)
    .bind(TicketStatus::Confirmed.code())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(UsedRow {
        user_id: Some(user_id),
        wx_openid_enc: Some(openid),
        wx_unionid_enc: unionid,
        wx_scope: Some(scope),
    }) = used
    else {
        return Err(AppError::Conflict(Conflict::ScanNotConfirmed));
    };
    // Unbound (or bound to someone else) since the phone scanned: nobody is logged in.
    let decrypt = |v: &str, col: &str| {
        state
            .cipher
            .decrypt_text(v, &format!("wechat_tickets.{col}:{ticket_hash}"))
            .map_err(AppError::internal)
    };
    let ids = super::bindings::WxIds {
        openid: decrypt(&openid, "openid")?,
        unionid: unionid.map(|u| decrypt(&u, "unionid")).transpose()?,
        scope: crate::model::wechat::Scope::from_stored(&scope, "wechat_tickets.wx_scope")?,
    };
    if super::bindings::bound_user(&mut tx, state, &ids)
        .await?
        .as_deref()
        != Some(user_id.as_str())
    {
        tx.commit().await?;
        return Err(AppError::Conflict(Conflict::ScanNotConfirmed));
    }
    let outcome = login_proven(
        &mut tx,
        state,
        &user_id,
        old_token,
        meta,
        LoginMethod::Wechat,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((outcome?, user_id))
}

/// A ticket as finishing used it up: who the phone named, and the WeChat identity it scanned.
#[derive(sqlx::FromRow)]
struct UsedRow {
    user_id: Option<String>,
    wx_openid_enc: Option<String>,
    wx_unionid_enc: Option<String>,
    wx_scope: Option<String>,
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
