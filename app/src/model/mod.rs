//! Shared serde types and pure rules. Compiled for the browser and the server alike, so the
//! browser validates with the server's own code.

/// `code()`, `from_code()` and `ALL` for a field-less enum whose codes are stored in the
/// database and sent in forms (the same snake_case names serde uses).
macro_rules! codes {
    ($name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }
            pub fn from_code(s: &str) -> Option<Self> {
                match s {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
            /// Reads a code stored in `column` (`table.column`): an unknown code is an
            /// error naming the column and the value, never a default.
            pub fn from_stored(s: &str, column: &'static str) -> Result<Self, $crate::model::UnknownCode> {
                Self::from_code(s).ok_or_else(|| $crate::model::UnknownCode::new(stringify!($name), column, s))
            }
            /// Reads a comma-separated list of stored codes (empty for none); any unknown
            /// code is an error.
            pub fn list_from_stored(s: &str, column: &'static str) -> Result<Vec<Self>, $crate::model::UnknownCode> {
                s.split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(|c| Self::from_stored(c, column))
                    .collect()
            }
        }
        /// For `#[sqlx(try_from = "String")]` on typed rows (sqlx names the column).
        impl TryFrom<String> for $name {
            type Error = $crate::model::UnknownCode;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::from_stored(&s, "")
            }
        }
    };
}

/// A stored code that no variant has: data written by a newer version or by hand. Reading
/// it fails closed (an internal error naming the column and the value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownCode {
    pub kind: &'static str,
    pub column: &'static str,
    pub value: String,
}

impl UnknownCode {
    pub fn new(kind: &'static str, column: &'static str, value: &str) -> Self {
        UnknownCode {
            kind,
            column,
            value: value.chars().take(64).collect(),
        }
    }
}

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} code {:?}", self.kind, self.value)?;
        if !self.column.is_empty() {
            write!(f, " in {}", self.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownCode {}
pub(crate) use codes;

pub mod access;
pub mod account;
pub mod agreement;
pub mod announcement;
pub mod application;
pub mod approval;
pub mod audit;
pub mod business;
pub mod callbacks;
pub mod conflict;
pub mod consent;
pub mod credit_code;
pub mod csv;
pub mod dashboard;
pub mod data_map;
pub mod disclosure;
pub mod error;
pub mod form;
pub mod funds;
pub mod incident;
pub mod invoice;
pub mod lang;
pub mod members;
pub mod messages;
pub mod money;
pub mod net;
pub mod openapi;
pub mod operators;
pub mod orders;
pub mod outbox;
pub mod policy;
pub mod policy_change;
pub mod provision;
pub mod purpose;
pub mod receipt;
pub mod retention;
pub mod rights;
pub mod scan;
pub mod sharing;
pub mod sms;
pub mod statement;
pub mod stats;
pub mod succession;
pub mod support;
pub mod system;
pub mod task;
pub mod time;
pub mod transfers;
pub mod wechat;
pub mod worker;

pub use money::Fen;
pub use time::UtcMillis;

pub use lang::Lang;
use serde::{Deserialize, Serialize};

/// Text in both UI languages (announcements, the operator's name, the storage region).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Bilingual {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::account::{MemberRole, OperatorRole, Permission};
    use super::application::{ApplicationStatus, Decision, FilePurpose};
    use super::policy::PolicyKind;

    fn round_trips<T: Copy + PartialEq + std::fmt::Debug + serde::Serialize>(
        all: &[T],
        code: fn(T) -> &'static str,
        from: fn(&str) -> Option<T>,
    ) {
        for &v in all {
            assert_eq!(from(code(v)), Some(v));
            // The stored code is the name serde uses on the wire.
            assert_eq!(serde_json::to_value(v).unwrap(), code(v));
        }
        assert_eq!(from("nonsense"), None);
    }

    #[test]
    fn every_stored_code_round_trips() {
        round_trips(MemberRole::ALL, MemberRole::code, MemberRole::from_code);
        round_trips(Permission::ALL, Permission::code, Permission::from_code);
        round_trips(
            OperatorRole::ALL,
            OperatorRole::code,
            OperatorRole::from_code,
        );
        round_trips(
            ApplicationStatus::ALL,
            ApplicationStatus::code,
            ApplicationStatus::from_code,
        );
        round_trips(Decision::ALL, Decision::code, Decision::from_code);
        round_trips(FilePurpose::ALL, FilePurpose::code, FilePurpose::from_code);
        round_trips(PolicyKind::ALL, PolicyKind::code, PolicyKind::from_code);
        assert_eq!(OperatorRole::ALL.len(), 5);
    }
}
