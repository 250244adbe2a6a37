//! Operator management (`/ops/operators`, super-admins): enrolment links and what the
//! enrolment page shows.

use super::UtcMillis;
use serde::{Deserialize, Serialize};

/// A one-time enrolment link, shown once to the super-admin who created or reset the operator
/// (it is the credential: only its hash is stored).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentLink {
    pub operator_id: String,
    pub link: String,
    pub expires_at: UtcMillis,
}

/// What a super-admin resets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorReset {
    /// A new password is set through the link; the authenticator stays.
    Password,
    /// A new TOTP secret (a lost phone) and a new password, through the link.
    Totp,
}

super::codes!(OperatorReset {
    Password => "password",
    Totp => "totp",
});

/// The enrolment page (`/ops/enrol/:token`). When a new authenticator is to be set up, it
/// carries the TOTP secret as an `otpauth://` URI and its QR code (SVG): this page is the one
/// place the secret is ever shown, to the holder of the link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorEnrolment {
    pub login: String,
    pub display_name: String,
    /// `None` when only the password is being reset.
    pub authenticator: Option<Authenticator>,
    pub expires_at: UtcMillis,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authenticator {
    pub otpauth_uri: String,
    /// The secret in base32, for typing in when the QR code cannot be scanned.
    pub secret: String,
    pub qr_svg: String,
}

/// How long an enrolment link works.
pub const ENROLMENT_TTL_MS: i64 = 72 * 3_600_000;
