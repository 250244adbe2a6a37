//! The authorisation walk's fixture: the ids of enterprise A's things (made in `authz.rs`),
//! which the walk's callers must never reach, and a helper that makes an operator with given roles.

use crate::helpers::TestApp;
use app::model::account::OperatorRole;

/// Ids of enterprise A's things, which enterprise B must never reach.
#[derive(Default)]
pub struct Fixture {
    pub a_member_id: String,
    pub a_invite_id: String,
    pub a_session_handle: String,
    pub a_file_id: String,
    pub a_application_id: String,
    pub a_enterprise_id: String,
    pub a_order_id: String,
    pub a_batch_id: String,
    /// An in-site message of A's admin.
    pub a_message_id: String,
    /// A WeChat scan-login ticket of A's admin's browser (issue 15).
    pub a_ticket: String,
    /// A rights request of A's admin, waiting for its code (issue 16).
    pub a_request_id: String,
    /// An invoice application of A, waiting (issue 17).
    pub a_invoice_id: String,
    /// A task of A, in review (issue 18).
    pub a_task_id: String,
    /// An open task of A with a recorded completion (issue 18).
    pub a_open_task_id: String,
    pub a_completion_id: String,
    /// A's worker (recorded on that completion), signed (issue 18).
    pub a_worker_id: String,
    /// A support ticket of A's admin, its verification asked for by code (issue 18 §3).
    pub a_support_ticket_id: String,
    /// An open API credential of A, active (issue 19).
    pub a_api_credential_id: String,
    /// A callback delivery of A (its address set; issue 19).
    pub a_callback_delivery_id: String,
}

/// A logged-in operator `login` holding `roles` (its session cookie).
pub(crate) async fn operator_with(app: &TestApp, login: &str, roles: &[OperatorRole]) -> String {
    let mut tx = app.db.pool().begin().await.unwrap();
    let created = app::backend::accounts::operators::create(
        &mut tx,
        &app.state.cipher,
        login,
        "测试运营",
        "Ops-Pass-2026",
        roles,
        None,
        "test",
        app::backend::clock::Clock::now(&*app.clock),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    app.ops_login(login, "Ops-Pass-2026", &created.totp_secret)
        .await
}
