//! One-time codes (a password reset by text message, a new mobile number or e-mail address):
//! six digits, kept only as a hash bound to their row, valid 30 minutes and for five tries
//! (a rights request's: 10 minutes and three, P6.5).
//!
//! A try is **taken before** the code is compared — an atomic `attempts = attempts + 1 … WHERE
//! attempts < 5` — so parallel guesses cannot get past the five on either engine (on PostgreSQL
//! the row lock makes the second wait and re-check). Every live code of the person is tried,
//! each with its own tries, so a code that arrived first still works after a second was asked
//! for.

use crate::backend::crypto::{constant_time_eq, sha256_hex};
use crate::error::AppResult;
use crate::model::UtcMillis;
use sqlx::AnyConnection;

/// Wrong tries a code gets.
pub const TRIES: i64 = 5;

/// Where codes are kept.
#[derive(Clone, Copy)]
pub enum Table {
    PasswordResets,
    ContactChanges,
    /// A registration's last code (its account is created when it is right).
    Registrations,
    /// A registration's e-mailed code when a texted one follows: right, it confirms the
    /// address and does not use the registration up.
    RegistrationEmail,
    /// The code that verifies a rights request's requester (issue 16, P6.5): three tries.
    RightsRequests,
    /// The code a worker confirms their signature of the service agreement with (issue 18).
    WorkerSigning,
    /// The code that verifies a support ticket's customer before account details are
    /// discussed (issue 18 §3, P1.1.7).
    SupportVerification,
}

impl Table {
    fn take_try(self) -> &'static str {
        match self {
            Table::PasswordResets => "UPDATE password_resets SET attempts = attempts + 1 WHERE id = $1 AND used_at IS NULL AND attempts < $2",
            Table::ContactChanges => "UPDATE contact_changes SET attempts = attempts + 1 WHERE id = $1 AND used_at IS NULL AND attempts < $2",
            Table::Registrations | Table::RegistrationEmail => "UPDATE registrations SET attempts = attempts + 1 WHERE id = $1 AND used_at IS NULL AND attempts < $2",
            Table::RightsRequests => "UPDATE privacy_request_codes SET attempts = attempts + 1 WHERE id = $1 AND used_at IS NULL AND attempts < $2",
            Table::WorkerSigning => "UPDATE worker_sign_codes SET attempts = attempts + 1 WHERE id = $1 AND used_at IS NULL AND attempts < $2",
            Table::SupportVerification => "UPDATE support_verify_codes SET attempts = attempts + 1 WHERE id = $1 AND used_at IS NULL AND attempts < $2",
        }
    }
    fn claim(self) -> &'static str {
        match self {
            Table::PasswordResets => {
                "UPDATE password_resets SET used_at = $2 WHERE id = $1 AND used_at IS NULL"
            }
            Table::ContactChanges => {
                "UPDATE contact_changes SET used_at = $2 WHERE id = $1 AND used_at IS NULL"
            }
            Table::Registrations => {
                "UPDATE registrations SET used_at = $2 WHERE id = $1 AND used_at IS NULL"
            }
            Table::RegistrationEmail => {
                "UPDATE registrations SET email_confirmed_at = $2 WHERE id = $1 AND used_at IS NULL AND email_confirmed_at IS NULL"
            }
            Table::RightsRequests => {
                "UPDATE privacy_request_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL"
            }
            Table::WorkerSigning => {
                "UPDATE worker_sign_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL"
            }
            Table::SupportVerification => {
                "UPDATE support_verify_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL"
            }
        }
    }
    fn salt(self) -> &'static str {
        match self {
            Table::PasswordResets => "reset-code",
            Table::ContactChanges => "contact-code",
            Table::Registrations | Table::RegistrationEmail => "registration-code",
            Table::RightsRequests => "rights-code",
            Table::WorkerSigning => "signing-code",
            Table::SupportVerification => "support-code",
        }
    }
    /// Wrong tries a code of this table gets.
    pub fn tries(self) -> i64 {
        match self {
            Table::RightsRequests => crate::model::rights::CODE_TRIES,
            _ => TRIES,
        }
    }
}

/// A fresh six-digit code.
pub fn new_code() -> String {
    format!("{:06}", rand::random::<u32>() % 1_000_000)
}

/// The stored hash of `code` for row `id`.
pub fn hash(table: Table, id: &str, code: &str) -> String {
    sha256_hex(format!("{}:{id}:{code}", table.salt()).as_bytes())
}

/// Whether `code` is six digits (anything else is the person's typing, not a try).
pub fn well_formed(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// Tries `code` against the live `candidates` (`(id, hash)`, newest first), taking a try on
/// each before comparing; the one it matches is used up and returned. The caller commits
/// either way, so that wrong tries count.
pub async fn redeem(
    conn: &mut AnyConnection,
    table: Table,
    candidates: &[(String, String)],
    code: &str,
    now: UtcMillis,
) -> AppResult<Option<String>> {
    for (id, stored) in candidates {
        let took = sqlx::query(table.take_try())
            .bind(id)
            .bind(table.tries())
            .execute(&mut *conn)
            .await?;
        if took.rows_affected() != 1 {
            continue;
        }
        if constant_time_eq(hash(table, id, code).as_bytes(), stored.as_bytes()) {
            let claimed = sqlx::query(table.claim())
                .bind(id)
                .bind(now.0)
                .execute(&mut *conn)
                .await?;
            if claimed.rows_affected() == 1 {
                return Ok(Some(id.clone()));
            }
        }
    }
    Ok(None)
}
