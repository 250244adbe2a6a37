//! VAT invoices (issue 17, P1.1.4): the enterprise's invoice profile, applications against the
//! invoiceable amount derived from the ledger, and finance's issuing, rejection, mailing and
//! red-letter reversal. The pure rules (tax arithmetic, splitting, the state machine, numbers,
//! file types) are in `model/invoice`.
//!
//! - `profile.rs`: the profile, its history, the reviewer's override of a legacy taxpayer ID.
//! - `applications.rs`: applying (idempotent, split, never over the not-yet-invoiced amount
//!   under concurrency), cancelling, the enterprise's pages and statistics.
//! - `issuing.rs`: finance's queue and steps, and the invoice file.
//! - `red.rs`: the red-letter reversal (record, withdraw, approve).
//! - `store.rs`: the SQL that reads applications and the standing.

pub mod applications;
pub mod issuing;
pub mod profile;
pub mod red;
pub mod store;

use crate::backend::messages::{self, Notice};
use crate::backend::outbox::Attachment;
use crate::backend::AppState;
use crate::error::AppResult;
use crate::model::invoice::InvoiceFile;
use crate::model::messages::MessageCategory;
use crate::model::outbox::OutboxPurpose;
use crate::model::{Bilingual, Fen, UtcMillis};
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
    let admins = messages::admins_of(conn, enterprise_id).await?;
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

/// E-mails an electronic invoice's file to the application's receiving addresses (issue 17),
/// through the messages capability, in the issuing transaction. Returns how many were queued.
#[allow(clippy::too_many_arguments)]
pub(super) async fn send_file(
    state: &AppState,
    conn: &mut AnyConnection,
    id: &str,
    row: &store::StepRow,
    number: &str,
    date: &str,
    key: &str,
    file_type: InvoiceFile,
    now: UtcMillis,
) -> AppResult<usize> {
    let emails = store::receiving(state, id, &row.emails_enc)?;
    if emails.is_empty() {
        return Ok(0);
    }
    let amount = Fen(row.amount).to_yuan_plain();
    let buyer = &row.buyer_title;
    let title = Bilingual::new(
        format!("电子发票 {number}（{buyer}）"),
        format!("Electronic invoice {number} ({buyer})"),
    );
    let body = Bilingual::new(
        format!(
            "附件是开给“{buyer}”的电子发票：发票号码 {number}，开票日期 {date}，价税合计 ¥{amount}。\n\
             本邮件发送至开票申请填写的收票邮箱。"
        ),
        format!(
            "Attached is the electronic invoice issued to \"{buyer}\": number {number}, dated {date}, \
             total ¥{amount} including tax.\nThis e-mail goes to the receiving addresses given in the \
             invoice application."
        ),
    );
    let source = format!("invoice:{id}");
    let notice = Notice {
        category: MessageCategory::Funds,
        purpose: OutboxPurpose::InvoiceFile,
        title: &title,
        body: &body,
        source: &source,
        email_only: true,
    };
    let name = file_type.file_name(number);
    let file = Attachment {
        key,
        name: &name,
        content_type: file_type.mime(),
    };
    messages::send_file(state, conn, &emails, &notice, file, now).await
}
