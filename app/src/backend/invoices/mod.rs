//! VAT invoices (issue 17, P1.1.4): the enterprise's invoice profile, applications against the
//! invoiceable amount derived from the ledger, and finance's issuing, rejection, mailing and
//! red-letter reversal. The pure rules (tax arithmetic, splitting, the state machine, numbers,
//! file types) are in `model/invoice`.
//!
//! - `profile.rs`: the profile, its history, the reviewer's override of a legacy taxpayer ID.
//! - `applications.rs`: applying (idempotent, split, never over the not-yet-invoiced amount
//!   under concurrency), cancelling, the enterprise's pages and statistics.
//! - `issuing.rs`: finance's queue and steps, and the invoice file.
//! - `store.rs`: the SQL that reads applications and the standing.

pub mod applications;
pub mod issuing;
pub mod profile;
pub mod store;

use crate::backend::messages::{self, Notice};
use crate::backend::AppState;
use crate::error::AppResult;
use crate::model::messages::MessageCategory;
use crate::model::outbox::OutboxPurpose;
use crate::model::{Bilingual, UtcMillis};
use sqlx::AnyConnection;

/// Tells the enterprise's active admins about its invoices (a reviewer's decision on its
/// taxpayer ID).
async fn tell_admins(
    state: &AppState,
    conn: &mut AnyConnection,
    enterprise_id: &str,
    title: &Bilingual,
    body: &Bilingual,
    now: UtcMillis,
) -> AppResult<()> {
    let admins: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM users WHERE enterprise_id = $1 AND role = 'admin' AND status = 'active'",
    )
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    for id in admins {
        messages::tell(state, conn, &id, &notice(title, body), now).await?;
    }
    Ok(())
}

fn notice<'a>(title: &'a Bilingual, body: &'a Bilingual) -> Notice<'a> {
    Notice {
        category: MessageCategory::Funds,
        purpose: OutboxPurpose::InvoiceStatus,
        title,
        body,
        source: "",
        email_only: false,
    }
}

/// Tells the applicant of an application about its step (issue 17: every status change is
/// delivered through the messages capability), if they are still an active login person.
async fn tell_applicant(
    state: &AppState,
    conn: &mut AnyConnection,
    user_id: &str,
    title: &Bilingual,
    body: &Bilingual,
    now: UtcMillis,
) -> AppResult<()> {
    let active: Option<String> =
        sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND status = 'active'")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    if active.is_some() {
        messages::tell(state, conn, user_id, &notice(title, body), now).await?;
    }
    Ok(())
}
