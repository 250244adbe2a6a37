//! The e-mail notices of a material policy change and of its withdrawal (P9): queued in the
//! outbox for every active login person, in the transaction that schedules or withdraws the
//! version, so a notice goes out exactly when the change does.

use crate::backend::outbox::{self, Message};
use crate::backend::AppState;
use crate::error::AppResult;
use crate::model::account::Email;
use crate::model::policy::{PolicyKind, PolicyVersion};
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// Which notice to send.
#[derive(Clone, Copy)]
pub enum Notice {
    /// The version will take effect on its date.
    Scheduled,
    /// The announced version was withdrawn and will not take effect.
    Withdrawn,
}

fn text(doc: &PolicyVersion, notice: Notice, link: &str) -> (String, String) {
    let (zh, en) = match doc.kind {
        PolicyKind::Privacy => ("隐私政策", "privacy policy"),
        PolicyKind::Terms => ("企业账户使用规则", "business account terms"),
    };
    let (v, date) = (&doc.version, doc.effective_at.china_date());
    match notice {
        Notice::Scheduled => (
            format!("{zh}将于 {date} 更新 / Our {en} changes on {date}"),
            format!(
                "{zh} {v} 版将于 {date}（北京时间）生效。变更摘要：{szh}\n\
                 生效后您再次使用企业门户时，需要阅读并确认新版本。全文及与现行版本的对比：{link}\n\n\
                 Version {v} of our {en} takes effect on {date} (China time). What changes: {sen}\n\
                 The next time you use the portal after that date you will be asked to review and \
                 accept it. Full text and comparison with the current version: {link}",
                szh = doc.summary_zh,
                sen = doc.summary_en,
            ),
        ),
        Notice::Withdrawn => (
            format!("{zh} {v} 版已撤回 / Version {v} of our {en} is withdrawn"),
            format!(
                "我们此前通知将于 {date} 生效的{zh} {v} 版已撤回，不会生效；现行版本继续适用。{link}\n\n\
                 Version {v} of our {en}, announced for {date}, has been withdrawn and will not take \
                 effect; the current version still applies. {link}"
            ),
        ),
    }
}

/// Queues `notice` about `doc` for every active login person; returns how many were queued.
/// A stored address that no longer decrypts is skipped and logged, not allowed to stop the
/// notice to everyone else.
pub async fn queue(
    state: &AppState,
    tx: &mut AnyConnection,
    doc: &PolicyVersion,
    notice: Notice,
    now: UtcMillis,
) -> AppResult<usize> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, email_enc FROM users WHERE status = 'active' ORDER BY id")
            .fetch_all(&mut *tx)
            .await?;
    let origin = state
        .settings
        .public_origin
        .as_deref()
        .unwrap_or("")
        .trim_end_matches('/');
    let link = format!("{origin}{}#changes", doc.href());
    let (subject, body) = text(doc, notice, &link);
    let mut sent = 0;
    for (id, enc) in rows {
        let email = match state
            .cipher
            .decrypt_text(&enc, &format!("users.email:{id}"))
        {
            Ok(email) => email,
            Err(e) => {
                tracing::warn!(user = %id, error = ?e, "policy notice skipped: the stored e-mail does not decrypt");
                continue;
            }
        };
        let masked = Email::parse(&email)
            .map(|e| e.masked())
            .unwrap_or_else(|_| "***".into());
        let message = Message {
            channel: crate::model::outbox::OutboxChannel::Email,
            recipient: &email,
            recipient_masked: &masked,
            subject: &subject,
            body: &body,
            purpose: crate::model::outbox::OutboxPurpose::PolicyChange,
        };
        outbox::enqueue(&mut *tx, &state.cipher, &message, now).await?;
        sent += 1;
    }
    Ok(sent)
}
