//! A ticket's files (issue 18 §3): an upload on its way into the thread, and reading one back
//! for the people of the ticket (support's looks audited with the ticket).

use super::{store, visible, Party};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};

/// A file for the thread, already checked, stripped and sealed.
pub struct Attachment {
    pub sealed: crate::backend::applications::Sealed,
    pub name: String,
}

/// An attached file for `party` (an operator's look is audited with the ticket): its name,
/// type and bytes.
pub async fn read_file(
    state: &AppState,
    actor: &Actor,
    party: Party<'_>,
    id: &str,
) -> AppResult<(String, crate::model::application::FileKind, Vec<u8>)> {
    let mut conn = state.db.conn().await?;
    let row = store::file(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    visible(&mut conn, party, &row.ticket_id).await?;
    drop(conn);
    let kind = crate::model::application::FileKind::from_mime(&row.kind)
        .ok_or_else(|| AppError::internal("support_attachments.kind"))?;
    let bytes = crate::backend::files::open_sealed(state, &row.id, &row.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Party::Operator { .. } = party {
        let target = format!("support_ticket:{}", row.ticket_id);
        let event = Event {
            enterprise_id: Some(&row.enterprise_id),
            ..Event::ok(actor, "support.file.view", &target, &row.id)
        };
        audit::record(&state.db, &event, state.clock.now()).await?;
    }
    Ok((row.file_name, kind, bytes))
}
