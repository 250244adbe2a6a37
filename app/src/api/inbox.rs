//! The message centre (消息中心, P7.1, P7.2): a login person's inbox and preferences, and the
//! one-click unsubscribe a promotional e-mail carries. Each inbox function is bound to the
//! caller's own user id: nobody reaches another person's messages. The promotions switch is
//! the consent centre's `set_purpose` (one fact, P1.2).

use crate::error::AppError;
use crate::model::messages::{Inbox, Preferences};
use leptos::server;

/// The caller's in-site messages, newest first, from `cursor`; with the unread count.
#[server(prefix = "/api", endpoint = "my_inbox")]
pub async fn my_inbox(cursor: Option<String>) -> Result<Inbox, AppError> {
    let caller = super::access::user().await?;
    crate::backend::messages::inbox::list(&caller.state, &caller.user.id, cursor.as_deref()).await
}

/// Marks one of the caller's messages read; another person's message is `NotFound`.
#[server(prefix = "/api", endpoint = "mark_message_read")]
pub async fn mark_message_read(id: String) -> Result<(), AppError> {
    let caller = super::access::user().await?;
    crate::backend::messages::inbox::mark_read(&caller.state, &caller.user.id, id.trim()).await
}

/// Marks every message of the caller read; answers how many were unread.
#[server(prefix = "/api", endpoint = "mark_all_messages_read")]
pub async fn mark_all_messages_read() -> Result<u32, AppError> {
    let caller = super::access::user().await?;
    crate::backend::messages::inbox::mark_all_read(&caller.state, &caller.user.id).await
}

/// The caller's preferences: every category and channel, the promotions purpose, the language.
#[server(prefix = "/api", endpoint = "message_preferences")]
pub async fn message_preferences() -> Result<Preferences, AppError> {
    let caller = super::access::user().await?;
    crate::backend::messages::prefs::get(&caller.state, &caller.user.id).await
}

/// Turns a category on a channel on (`on` = `on`) or off. Service announcements and security
/// notices cannot be turned off (P7.2). Audited.
#[server(prefix = "/api", endpoint = "set_message_preference")]
pub async fn set_message_preference(
    category: String,
    channel: String,
    on: Option<String>,
) -> Result<(), AppError> {
    use crate::error::Rule;
    use crate::model::messages::{Channel, MessageCategory};
    let caller = super::access::user().await?;
    let category = MessageCategory::from_code(category.trim())
        .ok_or_else(|| AppError::invalid("category", Rule::Format))?;
    let channel = Channel::from_code(channel.trim())
        .ok_or_else(|| AppError::invalid("channel", Rule::Format))?;
    let on = on.as_deref() == Some("on");
    crate::backend::messages::prefs::set(&caller.state, &caller.actor(), category, channel, on)
        .await
}

/// The language of the caller's e-mails and text messages (`zh-CN` or `en`).
#[server(prefix = "/api", endpoint = "set_message_lang")]
pub async fn set_message_lang(lang: String) -> Result<(), AppError> {
    let caller = super::access::user().await?;
    let lang = crate::model::Lang::parse(&lang)
        .ok_or_else(|| AppError::invalid("lang", crate::error::Rule::Format))?;
    crate::backend::messages::prefs::set_lang(&caller.state, &caller.user.id, lang).await
}

/// Unsubscribes from promotions with the signed link of a promotional e-mail, without a login
/// (P7.1). Recorded and audited as a consent withdrawal. Public; a forged link is `NotFound`.
#[server(prefix = "/api", endpoint = "unsubscribe")]
pub async fn unsubscribe(token: String) -> Result<(), AppError> {
    let state = super::access::public()?;
    let meta = super::access::client_meta();
    let token = token.trim();
    crate::backend::messages::prefs::unsubscribe(&state, token, &meta).await?;
    // Without the WASM client the form posted here: back to the page, which says it is done.
    leptos_axum::redirect(&format!("/unsubscribe/{token}?done=1"));
    Ok(())
}
