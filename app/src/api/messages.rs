//! Delivery of messages in the console: re-sending a message, and the development mailbox
//! (P7.1). The outbox list itself is `review::list_outbox`.

use crate::error::AppError;
use crate::model::outbox::MailboxMessage;
use leptos::server;

#[cfg(feature = "ssr")]
use crate::model::access::roles::PRIVACY_OFFICERS;

/// Sends a dead (or sent) message again: it is pending at once, with a fresh count of
/// attempts. Super-admins and privacy officers; audited.
#[server(prefix = "/api", endpoint = "resend_outbox")]
pub async fn resend_outbox(id: String) -> Result<(), AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    crate::backend::delivery::resend(&caller.state, &caller.actor(), id.trim()).await
}

/// What the development mailbox delivered, in full (development only: with an SMTP server
/// configured there is no such mailbox, and the answer is 404). Super-admins and privacy
/// officers.
#[server(prefix = "/api", endpoint = "dev_mailbox")]
pub async fn dev_mailbox() -> Result<Vec<MailboxMessage>, AppError> {
    let caller = super::access::operator(PRIVACY_OFFICERS).await?;
    let state = &caller.state;
    if !state.transport.is_dev_mailbox() || state.settings.production {
        return Err(AppError::NotFound);
    }
    crate::backend::delivery::dev_mailbox(&state.db, &state.cipher, 100).await
}
