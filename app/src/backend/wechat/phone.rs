//! The phone's side of scan-login (P1.1.3; issue 15). Inside WeChat, the phone page sends its
//! browser through WeChat's OAuth (`snsapi_base` to log in, silently; `snsapi_userinfo` to
//! bind, with the user's authorisation) with a `state` that is random, single-use and bound to
//! the phone's own cookie (`esp_wx_phone`) and the ticket; WeChat's return is checked, the code
//! exchanged once, and the ticket marked scanned by that phone. The phone then confirms or
//! cancels; only the phone that scanned may.

use super::bindings::{self, WxIds};
use super::tickets::finish_deadline;
use crate::backend::accounts::sessions::ClientMeta;
use crate::backend::accounts::users;
use crate::backend::audit::{self, Actor, Event};
use crate::backend::crypto::{constant_time_eq, random_token, sha256_hex};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::account::device_summary;
use crate::model::audit::{ActorKind, AuditResult};
use crate::model::scan::{
    place_of, same_network, ScanDecision, ScanProblem, ScanView, TicketPurpose, TicketStatus,
    STATE_TTL_MS,
};
use crate::model::wechat::{authorize_url, qrconnect_url, Scope};
use crate::model::{Lang, UtcMillis};

/// How many times a ticket's page may send phones into WeChat's authorisation.
const MAX_STATES_PER_TICKET: i64 = 20;

/// A ticket's row as the phone's questions read it.
#[derive(sqlx::FromRow)]
struct PhoneRow {
    id_hash: String,
    #[sqlx(try_from = "String")]
    purpose: TicketPurpose,
    bind_user_id: Option<String>,
    lang: String,
    #[sqlx(try_from = "String")]
    status: TicketStatus,
    phone_hash: Option<String>,
    user_id: Option<String>,
    wx_scope: Option<String>,
    wx_openid_enc: Option<String>,
    wx_unionid_enc: Option<String>,
    wx_nickname_enc: Option<String>,
    wx_avatar_url_enc: Option<String>,
    desktop_ip: String,
    desktop_agent: String,
    phone_ip: Option<String>,
    #[sqlx(try_from = "i64")]
    expires_at: UtcMillis,
}

impl PhoneRow {
    fn scanned_by(&self, phone: Option<&str>) -> bool {
        match (&self.phone_hash, phone) {
            (Some(h), Some(p)) => {
                constant_time_eq(h.as_bytes(), sha256_hex(p.as_bytes()).as_bytes())
            }
            _ => false,
        }
    }
    fn live(&self, now: UtcMillis) -> bool {
        now.0 < self.expires_at.0
    }
    fn decrypt(
        &self,
        state: &AppState,
        col: &str,
        v: &Option<String>,
    ) -> AppResult<Option<String>> {
        v.as_deref()
            .map(|c| {
                state
                    .cipher
                    .decrypt_text(c, &format!("wechat_tickets.{col}:{}", self.id_hash))
            })
            .transpose()
            .map_err(AppError::internal)
    }
}

const ROW: &str = "SELECT id_hash, purpose, bind_user_id, lang, status, phone_hash, user_id, \
    wx_scope, wx_openid_enc, wx_unionid_enc, wx_nickname_enc, wx_avatar_url_enc, desktop_ip, \
    desktop_agent, phone_ip, expires_at FROM wechat_tickets WHERE id_hash = $1";

async fn row(conn: &mut sqlx::AnyConnection, ticket_hash: &str) -> AppResult<Option<PhoneRow>> {
    Ok(sqlx::query_as(ROW)
        .bind(ticket_hash)
        .fetch_optional(&mut *conn)
        .await?)
}

/// The phone page's own path (with the desktop's language).
pub fn page_path(ticket: &str, lang: &str) -> String {
    let q = if lang == Lang::En.code() {
        "?lang=en"
    } else {
        ""
    };
    format!("/wx/scan/{ticket}{q}")
}

fn with_problem(path: &str, problem: ScanProblem) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}problem={}", problem.code())
}

/// The phone, inside WeChat, opened a ticket's page: WeChat's authorisation URL to send it to
/// (a new `state` bound to `phone`, its cookie), or `None` when the page itself has something
/// to show (the ticket is gone, or this phone scanned it already).
pub async fn begin(
    state: &AppState,
    ticket: &str,
    phone: &str,
    origin: &str,
    ip: &str,
) -> AppResult<Option<String>> {
    let Some(setup) = &state.wechat else {
        return Ok(None);
    };
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let Some(t) = row(&mut conn, &sha256_hex(ticket.as_bytes())).await? else {
        return Ok(None);
    };
    if !t.status.scannable() || !t.live(now) {
        return Ok(None);
    }
    let started: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM wechat_states WHERE ticket_hash = $1")
            .bind(&t.id_hash)
            .fetch_one(&mut *conn)
            .await?;
    // Each start writes a `state`: limited per ticket, and per address (with the tickets'
    // allowance).
    if started >= MAX_STATES_PER_TICKET
        || !state
            .scan_limiter
            .allow(&format!("phone:{}", crate::model::net::rate_key(ip)), now.0)
    {
        return Err(AppError::RateLimited);
    }
    let oauth_state = random_token();
    let state_hash = sha256_hex(oauth_state.as_bytes());
    // A website application's desktop logs in on WeChat's own QR page (`snsapi_login`).
    let scope = if setup.website {
        Scope::Login
    } else {
        t.purpose.scope()
    };
    sqlx::query(
        "INSERT INTO wechat_states (state_hash, ticket_hash, ticket_enc, phone_hash, scope, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&state_hash)
    .bind(&t.id_hash)
    .bind(state.cipher.encrypt_text(ticket, &format!("wechat_states.ticket:{state_hash}")))
    .bind(sha256_hex(phone.as_bytes()))
    .bind(scope.code())
    .bind(now.0)
    .bind(now.0 + STATE_TTL_MS)
    .execute(&mut *conn)
    .await?;
    let redirect_uri = format!("{}/wx/callback", origin.trim_end_matches('/'));
    Ok(Some(if setup.website {
        let english = t.lang == crate::model::Lang::En.code();
        qrconnect_url(
            &setup.open_base,
            &setup.appid,
            &redirect_uri,
            &oauth_state,
            english,
        )
    } else {
        authorize_url(
            &setup.open_base,
            &setup.appid,
            &redirect_uri,
            scope,
            &oauth_state,
        )
    }))
}

/// WeChat sent the phone back (`code` absent when the user refused). Returns the local path
/// to send the phone to: its ticket's page, with a problem when something went wrong.
pub async fn callback(
    state: &AppState,
    code: Option<&str>,
    oauth_state: &str,
    phone: Option<&str>,
    meta: &ClientMeta,
) -> AppResult<String> {
    let Some(setup) = state.wechat.clone() else {
        return Err(AppError::Conflict(
            crate::model::conflict::Conflict::WechatUnavailable,
        ));
    };
    let now = state.clock.now();
    let state_hash = sha256_hex(oauth_state.as_bytes());
    let nowhere = if setup.website {
        super::website::problem_path(TicketPurpose::Login, "", ScanProblem::BadState)
    } else {
        with_problem("/wx/scan/-", ScanProblem::BadState)
    };
    let Some(phone) = phone else {
        return Ok(nowhere);
    };
    // Single use: the first return claims the state; a replay, a late one, or one carried to
    // another phone (CSRF) does not.
    let claimed: Option<(String, String, String)> = sqlx::query_as(
        "UPDATE wechat_states SET used_at = $1 WHERE state_hash = $2 AND used_at IS NULL \
         AND expires_at > $1 AND phone_hash = $3 RETURNING ticket_hash, ticket_enc, scope",
    )
    .bind(now.0)
    .bind(&state_hash)
    .bind(sha256_hex(phone.as_bytes()))
    .fetch_optional(state.db.pool())
    .await?;
    let Some((ticket_hash, ticket_enc, scope)) = claimed else {
        return Ok(nowhere);
    };
    let ticket = state
        .cipher
        .decrypt_text(&ticket_enc, &format!("wechat_states.ticket:{state_hash}"))
        .map_err(AppError::internal)?;
    let mut conn = state.db.conn().await?;
    let Some(t) = row(&mut conn, &ticket_hash).await? else {
        return Ok(nowhere);
    };
    drop(conn);
    let page = page_path(&ticket, &t.lang);
    // WeChat's own QR page (a website application) came back to the desktop itself: problems
    // are told on the desktop's page.
    let website = scope == Scope::Login.code();
    let with_problem = |page: &str, p: ScanProblem| {
        if website {
            super::website::problem_path(t.purpose, &t.lang, p)
        } else {
            with_problem(page, p)
        }
    };
    let Some(code) = code.filter(|c| !c.is_empty()) else {
        return Ok(with_problem(&page, ScanProblem::Refused));
    };
    let tokens = match setup.api.exchange_code(code).await {
        Ok(t) => t,
        Err(e) => {
            tracing::info!(error = ?e, "WeChat's code exchange failed");
            return Ok(with_problem(&page, ScanProblem::from(&e)));
        }
    };
    if tokens.is_snapshot_user() {
        return Ok(with_problem(&page, ScanProblem::SnapshotUser));
    }
    let asked = Scope::from_stored(&scope, "wechat_states.scope")?;
    // A profile is read only to bind, and only when the user authorised it
    // (`snsapi_userinfo`, or `snsapi_login` on WeChat's own QR page).
    let (profile, tokens) = if asked.reads_profile() && t.purpose == TicketPurpose::Bind {
        match super::profile(setup.api.as_ref(), tokens).await {
            Ok((info, tokens)) => (Some(info), tokens),
            Err(e) => {
                tracing::info!(error = ?e, "WeChat's profile could not be read");
                return Ok(with_problem(&page, ScanProblem::from(&e)));
            }
        }
    } else {
        (None, tokens)
    };
    let ids = WxIds {
        openid: tokens.openid.clone(),
        unionid: tokens
            .unionid
            .clone()
            .or_else(|| profile.as_ref().and_then(|p| p.unionid.clone())),
        scope: asked,
    };
    let mut tx = state.db.begin().await?;
    let bound = bindings::bound_user(&mut tx, state, &ids).await?;
    let (status, user_id) = match (t.purpose, bound) {
        (TicketPurpose::Login, Some(user)) => (TicketStatus::Scanned, Some(user)),
        (TicketPurpose::Login, None) => (TicketStatus::NotBound, None),
        (TicketPurpose::Bind, Some(user)) => {
            let problem = if t.bind_user_id.as_deref() == Some(user.as_str()) {
                ScanProblem::AlreadyBound
            } else {
                ScanProblem::BoundElsewhere
            };
            return Ok(with_problem(&page, problem));
        }
        (TicketPurpose::Bind, None) => (TicketStatus::Scanned, t.bind_user_id.clone()),
    };
    let ctx = |col: &str| format!("wechat_tickets.{col}:{ticket_hash}");
    let enc = |v: &str, col: &str| state.cipher.encrypt_text(v, &ctx(col));
    let marked = sqlx::query(
        "UPDATE wechat_tickets SET status = $1, phone_hash = $2, phone_ip = $3, user_id = $4, \
         wx_scope = $5, wx_openid_enc = $6, wx_unionid_enc = $7, wx_nickname_enc = $8, \
         wx_avatar_url_enc = $9, updated_at = $10 \
         WHERE id_hash = $11 AND status = $12 AND expires_at > $10",
    )
    .bind(status.code())
    .bind(sha256_hex(phone.as_bytes()))
    .bind(&meta.ip)
    .bind(user_id)
    .bind(asked.code())
    .bind(enc(&ids.openid, "openid"))
    .bind(ids.unionid.as_deref().map(|u| enc(u, "unionid")))
    .bind(profile.as_ref().map(|p| enc(&p.nickname, "nickname")))
    .bind(profile.as_ref().map(|p| enc(&p.headimgurl, "avatar_url")))
    .bind(now.0)
    .bind(&ticket_hash)
    .bind(TicketStatus::Waiting.code())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    if marked.rows_affected() == 0 && !t.scanned_by(Some(phone)) && t.phone_hash.is_some() {
        return Ok(with_problem(&page, ScanProblem::OtherPhone));
    }
    if website {
        if marked.rows_affected() == 0 {
            // Back after the ticket expired or was used.
            return Ok(with_problem(&page, ScanProblem::BadState));
        }
        return super::website::after_scan(state, &ticket, t.purpose, &t.lang, status, phone, meta)
            .await;
    }
    Ok(page)
}

/// What the phone page shows for `ticket` to this phone.
pub async fn view(
    state: &AppState,
    ticket: &str,
    phone: Option<&str>,
    in_wechat: bool,
    problem: Option<ScanProblem>,
) -> AppResult<ScanView> {
    if !in_wechat {
        let sim_open = state
            .wechat
            .as_ref()
            .and_then(|w| w.sim_open(&format!("/wx/scan/{ticket}")));
        return Ok(ScanView::OutsideWechat { sim_open });
    }
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let t = row(&mut conn, &sha256_hex(ticket.as_bytes())).await?;
    drop(conn);
    let Some(t) = t.filter(|t| t.live(now) || t.status == TicketStatus::Done) else {
        return Ok(match problem {
            Some(p) => ScanView::Problem {
                problem: p,
                retry: None,
            },
            None => ScanView::Gone,
        });
    };
    let retry = (t.status.scannable() && t.live(now)).then(|| page_path(ticket, &t.lang));
    if let Some(problem) = problem {
        return Ok(ScanView::Problem { problem, retry });
    }
    if t.status.scannable() {
        return Ok(ScanView::Authorize {
            href: page_path(ticket, &t.lang),
        });
    }
    if !t.scanned_by(phone) {
        return Ok(ScanView::Problem {
            problem: ScanProblem::OtherPhone,
            retry: None,
        });
    }
    Ok(match t.status {
        TicketStatus::Scanned => ScanView::Decide(decision(state, &t, phone_ip(&t)).await?),
        TicketStatus::NotBound => ScanView::NotBound,
        TicketStatus::Confirmed | TicketStatus::Done => ScanView::Confirmed { purpose: t.purpose },
        TicketStatus::Cancelled => ScanView::Cancelled,
        TicketStatus::Waiting => ScanView::Gone,
    })
}

fn phone_ip(t: &PhoneRow) -> &str {
    t.phone_ip.as_deref().unwrap_or("")
}

/// "Log in on the computer?" (or "bind?"): who, which computer, roughly where.
async fn decision(state: &AppState, t: &PhoneRow, phone_ip: &str) -> AppResult<ScanDecision> {
    let user_id = t.user_id.as_deref().ok_or(AppError::NotFound)?;
    let mut conn = state.db.conn().await?;
    let user = users::get(&mut conn, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let mobile = crate::model::account::Mobile::parse(&user.mobile(&state.cipher)?)
        .map(|m| m.masked())
        .unwrap_or_default();
    let nickname = t.decrypt(state, "nickname", &t.wx_nickname_enc)?;
    Ok(ScanDecision {
        purpose: t.purpose,
        account: format!("{} {mobile}", user.name).trim().to_string(),
        desktop_device: device_summary(&t.desktop_agent),
        desktop_place: place_of(&t.desktop_ip),
        same_network: same_network(&t.desktop_ip, phone_ip),
        nickname,
        avatar: None,
        expires_at: t.expires_at,
    })
}

/// The phone confirms (`confirm`) or cancels. Only the phone that scanned, while the ticket
/// lives. Confirming a login lets the desktop finish; confirming a binding binds (the avatar
/// is fetched and stored first).
pub async fn decide(
    state: &AppState,
    ticket: &str,
    phone: Option<&str>,
    confirm: bool,
    meta: &ClientMeta,
) -> AppResult<ScanView> {
    let now = state.clock.now();
    let ticket_hash = sha256_hex(ticket.as_bytes());
    let mut conn = state.db.conn().await?;
    let t = row(&mut conn, &ticket_hash)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    if !t.scanned_by(phone) {
        return Err(AppError::NotFound);
    }
    if !t.status.decidable() || !t.live(now) {
        return Err(AppError::Conflict(
            crate::model::conflict::Conflict::AlreadyDone,
        ));
    }
    if !confirm {
        let mut conn = state.db.conn().await?;
        set_status(
            &mut conn,
            &ticket_hash,
            TicketStatus::Cancelled,
            t.expires_at,
            now,
        )
        .await?;
        return Ok(ScanView::Cancelled);
    }
    if t.purpose == TicketPurpose::Login {
        let until = finish_deadline(t.expires_at, now);
        let mut conn = state.db.conn().await?;
        set_status(&mut conn, &ticket_hash, TicketStatus::Confirmed, until, now).await?;
        return Ok(ScanView::Confirmed { purpose: t.purpose });
    }
    bind(state, &t, meta).await
}

/// Moves a scanned ticket on (to confirmed or cancelled, with its new expiry); a ticket no
/// longer scanned (decided meanwhile) is a conflict.
async fn set_status(
    conn: &mut sqlx::AnyConnection,
    ticket_hash: &str,
    to: TicketStatus,
    expires_at: UtcMillis,
    now: UtcMillis,
) -> AppResult<()> {
    let r = sqlx::query(
        "UPDATE wechat_tickets SET status = $1, expires_at = $2, updated_at = $3 \
         WHERE id_hash = $4 AND status = $5",
    )
    .bind(to.code())
    .bind(expires_at.0)
    .bind(now.0)
    .bind(ticket_hash)
    .bind(TicketStatus::Scanned.code())
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::Conflict(
            crate::model::conflict::Conflict::AlreadyDone,
        ));
    }
    Ok(())
}

/// Binds the ticket's WeChat identity to the login person who asked for the ticket.
async fn bind(state: &AppState, t: &PhoneRow, meta: &ClientMeta) -> AppResult<ScanView> {
    let now = state.clock.now();
    let user_id = t.bind_user_id.clone().ok_or(AppError::NotFound)?;
    let openid = t
        .decrypt(state, "openid", &t.wx_openid_enc)?
        .ok_or(AppError::NotFound)?;
    let scope = match &t.wx_scope {
        Some(s) => Scope::from_stored(s, "wechat_tickets.wx_scope")?,
        None => return Err(AppError::NotFound),
    };
    let ids = WxIds {
        openid,
        unionid: t.decrypt(state, "unionid", &t.wx_unionid_enc)?,
        scope,
    };
    let nickname = t.decrypt(state, "nickname", &t.wx_nickname_enc)?;
    let avatar_url = t.decrypt(state, "avatar_url", &t.wx_avatar_url_enc)?;
    let avatar = match (&nickname, avatar_url) {
        (Some(_), Some(url)) => bindings::store_avatar(state, &url).await?,
        _ => None,
    };
    let result: AppResult<Option<ScanProblem>> = async {
        let mut tx = state.db.begin().await?;
        // Checked under locks on the person and the identity: parallel scans cannot bind twice.
        bindings::lock(&mut tx, state, &user_id, &ids).await?;
        let problem = match bindings::bound_user(&mut tx, state, &ids).await? {
            Some(other) if other != user_id => Some(ScanProblem::BoundElsewhere),
            Some(_) => Some(ScanProblem::AlreadyBound),
            None if bindings::is_bound(&mut tx, &user_id).await? => Some(ScanProblem::AlreadyBound),
            None => None,
        };
        // Confirmed (a binding made near the end still shows on the desktop), or cancelled
        // when it cannot be made: both screens learn the outcome.
        let (to, until) = match problem {
            None => (TicketStatus::Confirmed, finish_deadline(t.expires_at, now)),
            Some(_) => (TicketStatus::Cancelled, t.expires_at),
        };
        set_status(&mut tx, &t.id_hash, to, until, now).await?;
        if problem.is_some() {
            tx.commit().await?;
            return Ok(problem);
        }
        let profile = nickname.as_deref().map(|n| (n, avatar.as_deref()));
        bindings::insert(&mut tx, state, &user_id, &ids, profile, now).await?;
        let user = users::get(&mut tx, &user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let actor = Actor {
            kind: ActorKind::User,
            id: user_id.clone(),
            role: user.role_code().into(),
            ip: meta.ip.clone(),
        };
        let detail = format!("scope={}", scope.code());
        audit::append(
            &mut tx,
            &Event {
                actor: &actor,
                enterprise_id: user.enterprise_id.as_deref(),
                action: "account.wechat.bind",
                target: &format!("user:{user_id}"),
                result: AuditResult::Ok,
                detail: &detail,
            },
            now,
        )
        .await?;
        bindings::tell(&mut tx, state, &user_id, true, now).await?;
        tx.commit().await?;
        Ok(None)
    }
    .await;
    if !matches!(result, Ok(None)) {
        if let Some(id) = &avatar {
            bindings::delete_avatar(state, id).await;
        }
    }
    match result? {
        None => Ok(ScanView::Confirmed {
            purpose: TicketPurpose::Bind,
        }),
        Some(problem) => Ok(ScanView::Problem {
            problem,
            retry: None,
        }),
    }
}
