//! The one application error type. Server functions return it as a value; the UI shows its
//! localised message; the server maps it to an HTTP status. Expected failures (bad input, no
//! permission, a conflict) are variants the user can act on; unexpected ones become
//! [`AppError::Internal`] with a reference that is also written to the server log.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A validation rule that a field broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    Required,
    TooShort {
        min: u32,
    },
    TooLong {
        max: u32,
    },
    Format,
    OutOfRange,
    Amount,
    /// The password breaks the policy (P5.4).
    WeakPassword,
    /// The credit code's check character is wrong (GB 32100-2015).
    CheckCharacter,
    /// Another account already uses this value.
    Taken,
    /// The box must be ticked.
    MustAccept,
    /// Does not match (the current password, a confirmation, a code).
    Mismatch,
    /// The file is larger than allowed.
    FileTooLarge {
        max_mb: u32,
    },
    /// The file's content is not an accepted type.
    FileType,
    /// The file is damaged or incomplete.
    FileDamaged,
    /// An image declares more pixels than a reviewer's browser should be asked to draw
    /// (a decompression bomb, or a scan far larger than needed).
    ImageTooLarge,
    /// A password-protected PDF: its metadata cannot be removed, nor can a reviewer open it.
    PdfEncrypted,
    /// No more of these are allowed.
    TooMany {
        max: u32,
    },
    /// The file is not UTF-8 text.
    Encoding,
    /// The value appears twice where it must be unique.
    Duplicate,
    /// A required column is missing from the file's header.
    MissingColumn,
    /// The version is not newer than the latest published one (P0.1).
    NotNewer,
    /// The same as the latest version: a new version must change something.
    Unchanged,
    /// A material policy change needs this many days' notice (P9).
    NoticeTooShort {
        days: u32,
    },
    /// The credit code belongs to an enterprise that already has an account.
    CreditCodeRegistered,
    /// The value names more than one record (a credit code held by two enterprises).
    Ambiguous,
    /// No open enterprise holds this credit code.
    NotRegistered,
    /// This cannot be turned off (service announcements and security notices, P7.2).
    Mandatory,
    /// Not a field of the data map (`table.column`), P3.1.4.
    UnknownField,
    /// Outside the storage region (P4.1).
    OutsideRegion,
    /// A recipient's purpose cannot change: a new purpose needs new consent (P3.1.3).
    PurposeFixed,
    /// The product itself sends this to the recipient: it cannot be taken away or ended.
    ProductSends,
    /// Not a login person of this enterprise.
    NotMember,
    /// Must be an `https://` address (callbacks in production, issue 19).
    HttpsRequired,
    /// Must be a public internet address, not a local or private one (SSRF, issue 19).
    PublicAddress,
}

/// One field's problem, shown inline under that field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub rule: Rule,
}

impl FieldError {
    pub fn new(field: impl Into<String>, rule: Rule) -> Self {
        Self {
            field: field.into(),
            rule,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    /// The user's input broke one or more rules.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// The request itself was malformed (missing or undecodable arguments).
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("not authenticated")]
    Unauthenticated,
    /// The login or password is wrong (which one is not said).
    #[error("bad credentials")]
    BadCredentials,
    /// Too many wrong attempts: locked until the given time (P5.2).
    #[error("account locked")]
    Locked { until: crate::model::UtcMillis },
    /// The account has been disabled by its admin or the platform.
    #[error("account disabled")]
    AccountDisabled,
    #[error("forbidden")]
    Forbidden,
    /// The caller has not accepted the policy versions in force (P9): business functions wait
    /// until they do.
    #[error("policy not accepted")]
    PolicyNotAccepted,
    #[error("not found")]
    NotFound,
    /// The action conflicts with the current state.
    #[error("conflict: {0}")]
    Conflict(crate::model::conflict::Conflict),
    #[error("rate limited")]
    RateLimited,
    #[error("service unavailable")]
    Unavailable,
    /// An unexpected failure; `reference` is in the server log next to the cause.
    #[error("internal error (reference {reference})")]
    Internal { reference: String },
    /// The browser could not reach the server or understand its answer.
    #[error("network: {0}")]
    Network(String),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, rule: Rule) -> Self {
        AppError::Invalid(vec![FieldError::new(field, rule)])
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::BadRequest(_) => 400,
            AppError::Unauthenticated | AppError::BadCredentials => 401,
            AppError::Locked { .. } => 423,
            AppError::AccountDisabled => 403,
            AppError::Forbidden | AppError::PolicyNotAccepted => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::RateLimited => 429,
            AppError::Unavailable | AppError::Network(_) => 503,
            AppError::Internal { .. } => 500,
        }
    }

    /// The rule `field` broke, if any.
    pub fn field_rule(&self, field: &str) -> Option<Rule> {
        match self {
            AppError::Invalid(errors) => errors.iter().find(|e| e.field == field).map(|e| e.rule),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => AppError::BadRequest(m),
            // On the server, a body that does not decode is the caller's mistake.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(m) => AppError::BadRequest(m),
            #[cfg(not(feature = "ssr"))]
            ServerFnErrorErr::Deserialization(m) => AppError::Network(m),
            // On the server, failing to serialise a response is our failure, not the network's.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Serialization(m) => AppError::internal(m),
            #[cfg(not(feature = "ssr"))]
            ServerFnErrorErr::Serialization(m) => AppError::Network(m),
            ServerFnErrorErr::Request(m) => AppError::Network(m),
            ServerFnErrorErr::Registration(m)
            | ServerFnErrorErr::UnsupportedRequestMethod(m)
            | ServerFnErrorErr::ServerError(m)
            | ServerFnErrorErr::MiddlewareError(m)
            | ServerFnErrorErr::Response(m) => {
                #[cfg(feature = "ssr")]
                {
                    AppError::internal(m)
                }
                #[cfg(not(feature = "ssr"))]
                {
                    AppError::Network(m)
                }
            }
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::conflict::Conflict;

    #[test]
    fn statuses_follow_the_kind_of_failure() {
        assert_eq!(AppError::invalid("name", Rule::Required).status(), 422);
        assert_eq!(AppError::Unauthenticated.status(), 401);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::Conflict(Conflict::LastAdmin).status(), 409);
        assert_eq!(AppError::RateLimited.status(), 429);
        assert_eq!(
            AppError::Internal {
                reference: "r".into()
            }
            .status(),
            500
        );
        assert_eq!(
            AppError::from_server_fn_error(ServerFnErrorErr::Args("x".into())).status(),
            400,
            "a malformed request is the caller's mistake, never a 500"
        );
    }

    #[test]
    fn round_trips_as_json() {
        let e = AppError::Invalid(vec![FieldError::new("amount", Rule::Amount)]);
        let back = AppError::de(e.ser());
        assert_eq!(back, e);
    }
}
