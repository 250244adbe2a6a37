//! The notices of a material policy change and of its withdrawal (P9): told to every active
//! login person through the message centre (inbox, e-mail, SMS), in the transaction that schedules or withdraws the
//! version, so a notice goes out exactly when the change does.

use crate::backend::messages;
use crate::backend::AppState;
use crate::error::AppResult;
use crate::model::messages::MessageCategory;
use crate::model::outbox::OutboxPurpose;
use crate::model::policy::{PolicyKind, PolicyVersion};
use crate::model::{Bilingual, UtcMillis};
use sqlx::AnyConnection;

/// Which notice to send.
#[derive(Clone, Copy)]
pub enum Notice {
    /// The version will take effect on its date.
    Scheduled,
    /// The announced version was withdrawn and will not take effect.
    Withdrawn,
}

fn text(doc: &PolicyVersion, notice: Notice, link: &str) -> (Bilingual, Bilingual) {
    let (zh, en) = match doc.kind {
        PolicyKind::Privacy => ("隐私政策", "privacy policy"),
        PolicyKind::Terms => ("企业账户使用规则", "business account terms"),
    };
    let (v, date) = (&doc.version, doc.effective_at.china_date());
    match notice {
        Notice::Scheduled => (
            Bilingual::new(
                format!("{zh}将于 {date} 更新"),
                format!("Our {en} changes on {date}"),
            ),
            Bilingual::new(
                format!(
                    "{zh} {v} 版将于 {date}（北京时间）生效。变更摘要：{szh}\n\
                     生效后您再次使用企业门户时，需要阅读并确认新版本。全文及与现行版本的对比：{link}",
                    szh = doc.summary_zh,
                ),
                format!(
                    "Version {v} of our {en} takes effect on {date} (China time). What changes: {sen}\n\
                     The next time you use the portal after that date you will be asked to review and \
                     accept it. Full text and comparison with the current version: {link}",
                    sen = doc.summary_en,
                ),
            ),
        ),
        Notice::Withdrawn => (
            Bilingual::new(
                format!("{zh} {v} 版已撤回"),
                format!("Version {v} of our {en} is withdrawn"),
            ),
            Bilingual::new(
                format!("我们此前通知将于 {date} 生效的{zh} {v} 版已撤回，不会生效；现行版本继续适用。{link}"),
                format!(
                    "Version {v} of our {en}, announced for {date}, has been withdrawn and will not take \
                     effect; the current version still applies. {link}"
                ),
            ),
        ),
    }
}

/// Tells every active login person about `notice` (a service announcement: it cannot be turned
/// off, P7.2); returns how many were told.
pub async fn queue(
    state: &AppState,
    tx: &mut AnyConnection,
    doc: &PolicyVersion,
    notice: Notice,
    now: UtcMillis,
) -> AppResult<usize> {
    let users: Vec<String> =
        sqlx::query_scalar("SELECT id FROM users WHERE status = 'active' ORDER BY id")
            .fetch_all(&mut *tx)
            .await?;
    let origin = state
        .settings
        .public_origin
        .as_deref()
        .unwrap_or("")
        .trim_end_matches('/');
    let link = format!("{origin}{}#changes", doc.href());
    let (title, body) = text(doc, notice, &link);
    let source = format!("policy:{}", doc.id);
    let message = messages::Notice {
        category: MessageCategory::Announcement,
        purpose: OutboxPurpose::PolicyChange,
        title: &title,
        body: &body,
        source: &source,
        email_only: false,
    };
    for id in &users {
        messages::tell(state, &mut *tx, id, &message, now).await?;
    }
    Ok(users.len())
}
