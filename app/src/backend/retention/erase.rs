//! Erasure as the data map says (`crate::model::data_map`; issue 16 §5 and §6, P4.2, P6.3):
//! a login person (a completed deletion request, or a closed account past its period), a
//! closed enterprise's own records, a payee on an order past the accounting period. What the
//! map keeps under a legal hold stays (login events: network logs; the audit trail; the
//! books); everything else about the subject is deleted or anonymised. The bytes of files and
//! copies go after the transaction commits ([`Erased::remove`]).
//!
//! `server/tests/api/rights_deletion.rs` proves it with a scan of every column of every table.

use super::ANON_NAME;
use crate::backend::{outbox, AppState};
use crate::error::AppResult;
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// What is left to remove once the erasure has committed: stored files and copies of data.
#[derive(Default)]
pub struct Erased {
    pub files: Vec<String>,
    pub copies: Vec<String>,
}

impl Erased {
    pub fn extend(&mut self, other: Erased) {
        self.files.extend(other.files);
        self.copies.extend(other.copies);
    }

    /// Removes the bytes (after the commit: a rolled-back erasure keeps its files).
    pub fn remove(self, state: &AppState) {
        for f in self.files {
            let _ = state.files.delete(&f);
        }
        for c in self.copies {
            let _ = std::fs::remove_file(state.exports_dir.join(c));
        }
    }
}

/// The blind indexes of a login person's mobile number and e-mail address.
async fn indexes(conn: &mut AnyConnection, user_id: &str) -> AppResult<(String, String)> {
    let found: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT mobile_idx, email_idx FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    let (m, e) = found.unwrap_or_default();
    Ok((m.unwrap_or_default(), e.unwrap_or_default()))
}

/// Every message to or about a login person in the outbox, whatever its state: the ones
/// carrying their id (a notice to an old address too), the ones sent to their number or address
/// before they had an account (an invitation, a code), and notices naming them to others (a
/// join request). Call before the person's contacts are anonymised.
///
/// The person's row is locked first (as a deletion's check and the members' actions lock it),
/// so that the outbox is never locked before it. Messages to their number or address without an
/// owner count only from shortly before the account was made ([`outbox::forget_unowned`]): the
/// number or address may have been someone else's before.
pub async fn forget_messages(conn: &mut AnyConnection, user_id: &str) -> AppResult<()> {
    sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    let (mobile_idx, email_idx) = indexes(conn, user_id).await?;
    sqlx::query("DELETE FROM outbox WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM outbox WHERE source = $1")
        .bind(crate::backend::messages::about_person(user_id))
        .execute(&mut *conn)
        .await?;
    for idx in [mobile_idx, email_idx].iter().filter(|i| !i.is_empty()) {
        outbox::forget_unowned(conn, user_id, idx).await?;
    }
    Ok(())
}

/// Messages to erased persons once delivered or given up (the answer to a deletion is the
/// last one): deleted with every housekeeping pass. How many.
pub async fn purge_delivered_to_erased(state: &AppState) -> AppResult<u64> {
    // Those erased in the last 30 days (the answer is delivered or given up long before).
    let since = state.clock.now().0 - 30 * 86_400_000;
    let done = sqlx::query(
        "DELETE FROM outbox WHERE status IN ('sent', 'dead') AND user_id IN \
         (SELECT id FROM users WHERE anonymised_at >= $1)",
    )
    .bind(since)
    .execute(state.db.pool())
    .await?;
    Ok(done.rows_affected())
}

/// A login person, as the data map says: the name replaced, contact details and credentials
/// emptied (sealed empty, so readers still open them), and their sessions, bindings, messages,
/// preferences, consent and policy decisions, codes, invitation, registration, scan tickets,
/// applications that never opened an account, and privacy requests deleted — except
/// `keep_request` (the deletion request being answered: its kind, ground, dates and steps stay
/// as the record that it was answered; what the person and the officer wrote is emptied, the
/// answer having been sent). Login events stay for their own period; the audit trail and the books
/// stay. The outbox is [`forget_messages`]'s.
pub async fn person(
    state: &AppState,
    conn: &mut AnyConnection,
    user_id: &str,
    keep_request: Option<&str>,
    now: UtcMillis,
) -> AppResult<Erased> {
    let c = &state.cipher;
    let (mobile_idx, email_idx) = indexes(conn, user_id).await?;
    // Their address among the enterprise's addresses for receiving invoices (issue 17).
    let held: Option<(Option<String>, String)> =
        sqlx::query_as("SELECT enterprise_id, email_enc FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some((Some(enterprise_id), email_enc)) = held {
        let email = c
            .decrypt_text(&email_enc, &format!("users.email:{user_id}"))
            .map_err(crate::error::AppError::internal)?;
        if !email.is_empty() {
            crate::backend::invoices::profile::forget_address(state, conn, &enterprise_id, &email)
                .await?;
        }
    }
    sqlx::query(
        "DELETE FROM registrations WHERE ($1 <> '' AND mobile_idx = $1) OR ($2 <> '' AND email_idx = $2)",
    )
    .bind(&mobile_idx)
    .bind(&email_idx)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE users SET name = $2, mobile_enc = $3, email_enc = $4, mobile_idx = $5, email_idx = $6, \
         password_hash = '!', status = 'disabled', anonymised_at = $7, updated_at = $7 WHERE id = $1",
    )
    .bind(user_id)
    .bind(ANON_NAME)
    .bind(c.encrypt_text("", &format!("users.mobile:{user_id}")))
    .bind(c.encrypt_text("", &format!("users.email:{user_id}")))
    .bind(format!("anonymised-m:{user_id}"))
    .bind(format!("anonymised-e:{user_id}"))
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    let avatar: Option<Option<String>> =
        sqlx::query_scalar("SELECT avatar_file_id FROM wechat_bindings WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    // Applications that never opened an account are the person's alone (one that did is the
    // enterprise's record).
    let never_opened = "SELECT id FROM applications WHERE user_id = $1 AND enterprise_id IS NULL";
    let mut files: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT storage_key FROM stored_files WHERE application_id IN ({never_opened})"
    )))
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    for sql in [
        format!("DELETE FROM stored_files WHERE application_id IN ({never_opened})"),
        "DELETE FROM applications WHERE user_id = $1 AND enterprise_id IS NULL".into(),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    }
    files.extend(avatar.flatten());
    let theirs = "SELECT id FROM privacy_requests WHERE user_id = $1 AND id <> $2";
    let copies: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM privacy_exports WHERE request_id IN ({theirs})"
    )))
    .bind(user_id)
    .bind(keep_request.unwrap_or(""))
    .fetch_all(&mut *conn)
    .await?;
    let by_user = [
        "DELETE FROM sessions WHERE principal_kind = 'user' AND principal_id = $1",
        "DELETE FROM wechat_bindings WHERE user_id = $1",
        "DELETE FROM wechat_tickets WHERE user_id = $1 OR bind_user_id = $1",
        "DELETE FROM message_preferences WHERE user_id = $1",
        "DELETE FROM inbox_messages WHERE user_id = $1",
        "DELETE FROM contact_changes WHERE user_id = $1",
        "DELETE FROM password_resets WHERE user_id = $1",
        "DELETE FROM purpose_consents WHERE user_id = $1",
        "DELETE FROM consent_records WHERE user_id = $1",
        "DELETE FROM policy_acceptances WHERE user_id = $1",
        "DELETE FROM policy_declines WHERE user_id = $1",
        // The invitation that brought them in names them; the ones they sent name others.
        "DELETE FROM invites WHERE used_by = $1",
    ];
    for sql in by_user {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    // Notices naming them in others' message centres (a join request).
    sqlx::query("DELETE FROM inbox_messages WHERE source = $1")
        .bind(crate::backend::messages::about_person(user_id))
        .execute(&mut *conn)
        .await?;
    let requests = [
        format!("DELETE FROM privacy_exports WHERE request_id IN ({theirs})"),
        format!("DELETE FROM privacy_corrections WHERE request_id IN ({theirs})"),
        format!("DELETE FROM privacy_request_codes WHERE request_id IN ({theirs})"),
        format!("DELETE FROM privacy_request_steps WHERE request_id IN ({theirs})"),
        "DELETE FROM privacy_requests WHERE user_id = $1 AND id <> $2".into(),
    ];
    for sql in requests {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .bind(keep_request.unwrap_or(""))
            .execute(&mut *conn)
            .await?;
    }
    if let Some(kept) = keep_request {
        // Sealed empty as the request's store seals it (`privacy_requests.{column}:{id}`).
        let empty = |column: &str| c.encrypt_text("", &format!("privacy_requests.{column}:{kept}"));
        sqlx::query("DELETE FROM privacy_request_codes WHERE request_id = $1")
            .bind(kept)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE privacy_requests SET details_enc = $2, answer_enc = $3, fee_reason_enc = NULL WHERE id = $1",
        )
        .bind(kept)
        .bind(empty("details"))
        .bind(empty("answer"))
        .execute(&mut *conn)
        .await?;
    }
    // Their support tickets with the recorded conversations (issue 18 §3); their name on the
    // replies they wrote (an admin) in their colleagues' tickets.
    files.extend(crate::backend::support::store::erase(conn, "opened_by = $1", user_id).await?);
    sqlx::query(
        "UPDATE support_messages SET author_name = $2 WHERE author = 'customer' AND author_id = $1",
    )
    .bind(user_id)
    .bind(ANON_NAME)
    .execute(&mut *conn)
    .await?;
    Ok(Erased { files, copies })
}
/// A closed enterprise past its period: its application's files and texts (the name and credit
/// code stay: the books name the enterprise), its address and business scope, its withdrawal
/// account and open invitations, its invoice profile and the invoices' receiving addresses and
/// mailing contacts. Returns the stored files to delete.
pub async fn enterprise(
    state: &AppState,
    conn: &mut AnyConnection,
    enterprise_id: &str,
    now: UtcMillis,
) -> AppResult<Vec<String>> {
    let files: Vec<String> = sqlx::query_scalar(
        "SELECT storage_key FROM stored_files WHERE application_id IN \
         (SELECT id FROM applications WHERE enterprise_id = $1)",
    )
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    let steps = [
        "DELETE FROM stored_files WHERE application_id IN (SELECT id FROM applications WHERE enterprise_id = $1)",
        "UPDATE applications SET registered_address = '', business_scope = '', platform_name = '', \
         platform_url = '', platform_description = '', outsourced_work = '', reviewer_message = '', \
         override_reason = '' WHERE enterprise_id = $1",
        "DELETE FROM withdrawal_accounts WHERE enterprise_id = $1",
        // Invoices (issue 17): the profile and its versions go; the invoices stay with the books,
        // the addresses they were sent to and the paper ones' mailing contacts blanked.
        "DELETE FROM invoice_profiles WHERE enterprise_id = $1",
        "DELETE FROM invoice_profile_history WHERE enterprise_id = $1",
        "UPDATE invoice_applications SET emails_enc = '', mailing_enc = '' WHERE enterprise_id = $1",
        // Its tasks (issue 18): the enterprise's own texts, the completion records and the
        // worker register (the payment orders keep what the books need).
        "DELETE FROM task_completions WHERE enterprise_id = $1",
        "DELETE FROM worker_signatures WHERE enterprise_id = $1",
        "DELETE FROM worker_sign_codes WHERE invite_id IN (SELECT id FROM worker_sign_invites WHERE enterprise_id = $1)",
        "DELETE FROM worker_sign_invites WHERE enterprise_id = $1",
        "DELETE FROM worker_accounts WHERE enterprise_id = $1",
        "DELETE FROM workers WHERE enterprise_id = $1",
        "DELETE FROM tasks WHERE enterprise_id = $1",
        // The open API's callbacks (issue 19): the address and the deliveries' log.
        "DELETE FROM callback_deliveries WHERE enterprise_id = $1",
        "DELETE FROM api_callbacks WHERE enterprise_id = $1",
        "DELETE FROM invites WHERE enterprise_id = $1 AND used_at IS NULL",
    ];
    // Its support tickets and their recorded conversations (issue 18 §3).
    let mut files = files;
    files.extend(
        crate::backend::support::store::erase(conn, "enterprise_id = $1", enterprise_id).await?,
    );
    for sql in steps {
        sqlx::query(sql)
            .bind(enterprise_id)
            .execute(&mut *conn)
            .await?;
    }
    legacy_mailing(state, conn, enterprise_id).await?;
    sqlx::query(
        "UPDATE enterprises SET registered_address = '', business_scope = '', anonymised_at = $2 WHERE id = $1",
    )
    .bind(enterprise_id)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    Ok(files)
}

/// Applications made before the mailing contact was sealed apart (migration 0029) hold it in
/// the buyer's JSON: it is blanked there, the buyer's printed details kept.
async fn legacy_mailing(
    state: &AppState,
    conn: &mut AnyConnection,
    enterprise_id: &str,
) -> AppResult<()> {
    use crate::backend::invoices::store::ctx;
    use crate::error::AppError;
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, buyer_enc FROM invoice_applications WHERE enterprise_id = $1")
            .bind(enterprise_id)
            .fetch_all(&mut *conn)
            .await?;
    for (id, enc) in rows {
        let json = state
            .cipher
            .decrypt_text(&enc, &ctx("buyer", &id))
            .map_err(AppError::internal)?;
        let mut buyer: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&json).map_err(AppError::internal)?;
        let before = buyer.len();
        buyer.retain(|k, _| !k.starts_with("mail_"));
        if buyer.len() == before {
            continue;
        }
        let json = serde_json::to_string(&buyer).map_err(AppError::internal)?;
        sqlx::query("UPDATE invoice_applications SET buyer_enc = $2 WHERE id = $1")
            .bind(&id)
            .bind(state.cipher.encrypt_text(&json, &ctx("buyer", &id)))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A payment order past the accounting period: the payee's details anonymised, the amounts
/// kept with the books.
pub async fn payee(state: &AppState, conn: &mut AnyConnection, order_id: &str) -> AppResult<()> {
    let seal = |col: &str| {
        state
            .cipher
            .encrypt_text("", &crate::backend::orders::ctx(col, order_id))
    };
    sqlx::query(
        "UPDATE payment_orders SET payee_name = $2, id_number_enc = $3, id_hint = '', account_enc = $4, \
         account_hint = '', mobile_enc = $5, mobile_hint = '' WHERE id = $1",
    )
    .bind(order_id)
    .bind(ANON_NAME)
    .bind(seal("id_number"))
    .bind(seal("account"))
    .bind(seal("mobile"))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Notes in the erasure journal that login person `user_id` was erased on request
/// `request_id` (after the erasure committed). A failure is logged, not returned: the erasure
/// itself is done.
pub fn journal(state: &AppState, user_id: &str, request_id: &str) {
    use std::io::Write;
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(state.erasure_journal.as_ref())
        .and_then(|mut f| {
            f.write_all(format!("{user_id} {request_id}\n").as_bytes())?;
            f.sync_all()
        });
    if let Err(e) = written {
        tracing::error!(user = %user_id, error = %e, "the erasure journal could not be written");
    }
}

fn is_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Erases again every person of the journal whom the database holds un-erased (a restored
/// backup from before their deletion), keeping their deletion request; how many. Run at
/// start-up, before any request. Lines that are not `<user id> <request id>` are logged and
/// skipped.
pub async fn replay(state: &AppState) -> AppResult<u32> {
    let text = match std::fs::read_to_string(state.erasure_journal.as_ref()) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(crate::error::AppError::internal(e)),
    };
    let mut entries = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut parts = line.split_whitespace();
        match (parts.next(), parts.next(), parts.next()) {
            (Some(user), Some(request), None) if is_id(user) && is_id(request) => {
                entries.push((user, request))
            }
            _ => tracing::warn!(line, "an erasure journal line skipped: not two ids"),
        }
    }
    let mut again = 0;
    for chunk in entries.chunks(500) {
        let marks = (1..=chunk.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT id FROM users WHERE anonymised_at IS NULL AND id IN ({marks})");
        let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
        for (user, _) in chunk {
            query = query.bind(*user);
        }
        let back = query.fetch_all(state.db.pool()).await?;
        for (user, request) in chunk.iter().filter(|(u, _)| back.iter().any(|b| b == u)) {
            let now = state.clock.now();
            let mut tx = state.db.begin().await?;
            // Claimed: a second server starting at the same moment finds them erased.
            let claimed = sqlx::query(
                "UPDATE users SET updated_at = updated_at WHERE id = $1 AND anonymised_at IS NULL",
            )
            .bind(*user)
            .execute(&mut *tx)
            .await?;
            if claimed.rows_affected() != 1 {
                continue;
            }
            forget_messages(&mut tx, user).await?;
            let erased = person(state, &mut tx, user, Some(request), now).await?;
            let (system, target) = (
                crate::backend::audit::Actor::system(),
                format!("user:{user}"),
            );
            let detail = format!("restored backup; request={request}");
            let event =
                crate::backend::audit::Event::ok(&system, "rights.erased_again", &target, &detail);
            crate::backend::audit::append(&mut tx, &event, now).await?;
            tx.commit().await?;
            erased.remove(state);
            again += 1;
        }
    }
    Ok(again)
}
