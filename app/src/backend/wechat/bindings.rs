//! Which WeChat account is bound to which login person (P1.1.3; issue 15). One identity per
//! person and one person per identity. The openid and the unionid are kept encrypted and found
//! by keyed hashes; the nickname and the avatar only after the user authorised
//! `snsapi_userinfo`, the avatar as an encrypted file in the file store (not a hot link to
//! WeChat). Unbinding deletes all of it.

use crate::backend::audit::{self, Actor, Event};
use crate::backend::files::strip;
use crate::backend::ids::new_id;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::audit::AuditResult;
use crate::model::scan::{WechatBinding, AVATAR_MAX_BYTES};
use crate::model::wechat::{identity, IdentityKind, Scope};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

const OPENID: &str = "wechat.openid";
/// What a binding change tells its login person (a security notice: if it was not them, they
/// learn of it at once).
pub async fn tell(
    conn: &mut AnyConnection,
    state: &AppState,
    user_id: &str,
    bound: bool,
    now: UtcMillis,
) -> AppResult<()> {
    use crate::model::messages::MessageCategory;
    use crate::model::outbox::OutboxPurpose;
    use crate::model::Bilingual;
    let (title, body) = if bound {
        (
            Bilingual::new("您的账号绑定了微信".to_string(), "A WeChat account was bound to your account".to_string()),
            Bilingual::new(
                "您的账号已绑定一个微信账号，此后可用该微信扫码登录。如果这不是您本人的操作，请立即在“账号设置”中解除绑定并修改密码。".to_string(),
                "A WeChat account was bound to your account; it can now log you in by scanning. If this was not you, unbind it in account settings and change your password at once.".to_string(),
            ),
        )
    } else {
        (
            Bilingual::new("您的账号已解除微信绑定".to_string(), "WeChat was unbound from your account".to_string()),
            Bilingual::new(
                "您的账号已解除微信绑定，微信昵称和头像已删除。如果这不是您本人的操作，请立即修改密码。".to_string(),
                "The WeChat account was unbound from your account, and its nickname and avatar deleted. If this was not you, change your password at once.".to_string(),
            ),
        )
    };
    let notice = crate::backend::messages::Notice {
        category: MessageCategory::Security,
        purpose: OutboxPurpose::WechatBinding,
        title: &title,
        body: &body,
        source: "",
        email_only: false,
    };
    crate::backend::messages::tell(state, conn, user_id, &notice, now).await?;
    Ok(())
}

/// Serialises the transactions that bind this login person or this WeChat identity (two tabs,
/// two phones): PostgreSQL takes advisory locks; SQLite's write transaction already does.
pub async fn lock(
    conn: &mut AnyConnection,
    state: &AppState,
    user_id: &str,
    ids: &WxIds,
) -> AppResult<()> {
    let engine = state.db.engine();
    let mut keys = vec![
        format!("wechat:user:{user_id}"),
        format!("wechat:openid:{}", state.index.of(OPENID, &ids.openid)),
    ];
    if let Some(u) = ids.unionid.as_deref().filter(|u| !u.is_empty()) {
        keys.push(format!("wechat:unionid:{}", state.index.of(UNIONID, u)));
    }
    // Always in the same order, so two binders cannot wait on each other.
    keys.sort();
    for key in keys {
        crate::backend::db::lock_key(conn, engine, &key).await?;
    }
    Ok(())
}
const UNIONID: &str = "wechat.unionid";

/// A WeChat identity as an authorisation gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WxIds {
    pub openid: String,
    pub unionid: Option<String>,
    pub scope: Scope,
}

/// Whether `user_id` has a WeChat account bound.
pub async fn is_bound(conn: &mut AnyConnection, user_id: &str) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM wechat_bindings WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// The login person this WeChat identity is bound to: by its openid (what a silent login
/// yields) or its unionid (the same person under the platform's other WeChat application).
pub async fn bound_user(
    conn: &mut AnyConnection,
    state: &AppState,
    ids: &WxIds,
) -> AppResult<Option<String>> {
    let unionid_idx = ids
        .unionid
        .as_deref()
        .filter(|u| !u.is_empty())
        .map(|u| state.index.of(UNIONID, u));
    let found: Option<String> = sqlx::query_scalar(
        "SELECT user_id FROM wechat_bindings WHERE openid_idx = $1 \
         OR (unionid_idx IS NOT NULL AND unionid_idx = $2) ORDER BY bound_at LIMIT 1",
    )
    .bind(state.index.of(OPENID, &ids.openid))
    .bind(unionid_idx.unwrap_or_default())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found)
}

/// Binds `ids` to `user_id` (the caller checked neither is bound). `profile`: the nickname
/// and the stored avatar's file id, with the user's authorisation only.
pub async fn insert(
    conn: &mut AnyConnection,
    state: &AppState,
    user_id: &str,
    ids: &WxIds,
    profile: Option<(&str, Option<&str>)>,
    now: UtcMillis,
) -> AppResult<()> {
    let (kind, _) = identity(&ids.openid, ids.unionid.as_deref());
    let unionid = ids.unionid.as_deref().filter(|u| !u.is_empty());
    let ctx = |col: &str| format!("wechat_bindings.{col}:{user_id}");
    sqlx::query(
        "INSERT INTO wechat_bindings (user_id, identity_kind, openid_idx, unionid_idx, openid_enc, \
         unionid_enc, scope, nickname_enc, avatar_file_id, bound_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(user_id)
    .bind(kind.code())
    .bind(state.index.of(OPENID, &ids.openid))
    .bind(unionid.map(|u| state.index.of(UNIONID, u)))
    .bind(state.cipher.encrypt_text(&ids.openid, &ctx("openid")))
    .bind(unionid.map(|u| state.cipher.encrypt_text(u, &ctx("unionid"))))
    .bind(ids.scope.code())
    .bind(profile.map(|(n, _)| state.cipher.encrypt_text(n, &ctx("nickname"))))
    .bind(profile.and_then(|(_, a)| a))
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct BindingRow {
    #[sqlx(try_from = "String")]
    identity_kind: IdentityKind,
    #[sqlx(try_from = "String")]
    scope: Scope,
    nickname_enc: Option<String>,
    avatar_file_id: Option<String>,
    #[sqlx(try_from = "i64")]
    bound_at: UtcMillis,
}

/// The login person's binding, as account settings show it.
pub async fn of_user(state: &AppState, user_id: &str) -> AppResult<Option<WechatBinding>> {
    let row: Option<BindingRow> = sqlx::query_as(
        "SELECT identity_kind, scope, nickname_enc, avatar_file_id, bound_at \
         FROM wechat_bindings WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(state.db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let nickname = row
        .nickname_enc
        .map(|n| {
            state
                .cipher
                .decrypt_text(&n, &format!("wechat_bindings.nickname:{user_id}"))
        })
        .transpose()
        .map_err(AppError::internal)?;
    let avatar = match row.avatar_file_id {
        Some(id) => read_avatar(state, &id).await?,
        None => None,
    };
    Ok(Some(WechatBinding {
        identity_kind: row.identity_kind,
        profile_authorised: row.scope.reads_profile(),
        nickname,
        avatar,
        bound_at: row.bound_at,
    }))
}

/// Fetches the avatar at `url` (WeChat's image host) and keeps it in the file store, checked
/// by its content (JPEG or PNG, metadata stripped) and encrypted. `None` when there is none or
/// it is not an image; a failure to fetch it does not stop the binding.
pub async fn store_avatar(state: &AppState, url: &str) -> AppResult<Option<String>> {
    let Some(setup) = &state.wechat else {
        return Ok(None);
    };
    if url.is_empty() {
        return Ok(None);
    }
    let bytes = match setup.api.avatar(url).await {
        Ok(b) if b.len() <= AVATAR_MAX_BYTES => b,
        Ok(_) => return Ok(None),
        Err(e) => {
            tracing::warn!(error = ?e, "the WeChat avatar could not be fetched; bound without it");
            return Ok(None);
        }
    };
    let clean = tokio::task::spawn_blocking(move || {
        if bytes.starts_with(&[0xff, 0xd8]) {
            strip::strip_jpeg(&bytes).ok()
        } else if bytes.starts_with(b"\x89PNG") {
            strip::strip_png(&bytes).ok()
        } else {
            None
        }
    })
    .await
    .map_err(AppError::internal)?;
    let Some(clean) = clean else { return Ok(None) };
    let id = new_id();
    let sealed = state
        .cipher
        .encrypt(&clean, format!("file:{id}").as_bytes());
    let (store, key) = (state.files.clone(), id.clone());
    tokio::task::spawn_blocking(move || store.put(&key, &sealed))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    Ok(Some(id))
}

/// The stored avatar as a `data:` URL.
async fn read_avatar(state: &AppState, id: &str) -> AppResult<Option<String>> {
    let Some(bytes) = crate::backend::files::open_sealed(state, id, id).await? else {
        return Ok(None);
    };
    let mime = if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else {
        "image/jpeg"
    };
    Ok(Some(format!(
        "data:{mime};base64,{}",
        data_encoding::BASE64.encode(&bytes)
    )))
}

/// Deletes a stored avatar file (a binding that was not made, or one undone).
pub async fn delete_avatar(state: &AppState, id: &str) {
    let (store, key) = (state.files.clone(), id.to_string());
    if let Ok(Err(e)) = tokio::task::spawn_blocking(move || store.delete(&key)).await {
        tracing::warn!(error = %e, "a WeChat avatar file could not be deleted");
    }
}

/// Unbinds the caller's WeChat account: the binding, the nickname and the avatar file are
/// deleted (P1.1.3), and the change is audited. Not found when nothing is bound.
pub async fn unbind(
    state: &AppState,
    user_id: &str,
    actor: &Actor,
    enterprise_id: Option<&str>,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let avatar: Option<Option<String>> = sqlx::query_scalar(
        "DELETE FROM wechat_bindings WHERE user_id = $1 RETURNING avatar_file_id",
    )
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(avatar) = avatar else {
        return Err(AppError::NotFound);
    };
    tell(&mut tx, state, user_id, false, now).await?;
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id,
            action: "account.wechat.unbind",
            target: &format!("user:{user_id}"),
            result: AuditResult::Ok,
            detail: "",
        },
        now,
    )
    .await?;
    tx.commit().await?;
    if let Some(id) = avatar {
        delete_avatar(state, &id).await;
    }
    Ok(())
}
