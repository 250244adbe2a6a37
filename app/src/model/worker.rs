//! The worker register (issue 18 §2): the people an enterprise pays, one per ID number. Their
//! ID and account numbers are sealed at rest and found by a keyed hash (a blind index), so the
//! same person from a batch file and from a completion record is one worker.

use super::account::Mobile;
use super::error::{FieldError, Rule};
use super::form::{check, parse_text};
use super::funds::Channel;
use super::orders::{IdNumber, PayeeAccount};
use super::UtcMillis;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: u32 = 30;

/// Where a worker first came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerSource {
    /// A payment batch file's row.
    Batch,
    /// A task's completion record.
    Completion,
    /// A single payment order that waited for the payee's signature.
    Order,
}

super::codes!(WorkerSource { Batch => "batch", Completion => "completion", Order => "order" });

/// A worker's details as typed (on a completion form; a batch file's row has the same).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerForm {
    pub name: String,
    pub id_number: String,
    pub mobile: String,
    pub channel: String,
    pub account: String,
}

/// A worker's parsed details, with the payout account the work is paid to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerInput {
    pub name: String,
    pub id_number: IdNumber,
    pub mobile: Mobile,
    pub channel: Channel,
    pub account: PayeeAccount,
}

impl WorkerInput {
    pub fn parse(f: &WorkerForm, errs: &mut Vec<FieldError>) -> Option<WorkerInput> {
        let name = check(errs, "name", parse_text(&f.name, NAME_MAX));
        let id_number = check(errs, "id_number", IdNumber::parse(&f.id_number));
        let mobile = check(errs, "mobile", Mobile::parse(&f.mobile));
        let channel = check(
            errs,
            "channel",
            Channel::parse(&f.channel).ok_or(if f.channel.trim().is_empty() {
                Rule::Required
            } else {
                Rule::Format
            }),
        );
        let account =
            channel.and_then(|c| check(errs, "account", PayeeAccount::parse(c, &f.account)));
        Some(WorkerInput {
            name: name?,
            id_number: id_number?,
            mobile: mobile?,
            channel: channel?,
            account: account?,
        })
    }
}

/// One payout account of a worker, masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutAccountView {
    pub channel: Channel,
    pub masked: String,
}

/// A worker as the register lists them (numbers masked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerView {
    pub id: String,
    pub name: String,
    pub id_masked: String,
    pub mobile_masked: String,
    pub accounts: Vec<PayoutAccountView>,
    pub source: WorkerSource,
    pub created_at: UtcMillis,
    pub signing: SigningStatus,
    /// The agreement version of the latest signature.
    pub signed_version: String,
    /// Signed, but an earlier version than the one workers sign now: the new one applies once
    /// they sign it (the agreement's §6).
    pub signed_earlier: bool,
}

/// Where a worker stands with the platform's worker service agreement (签约; issue 18 §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SigningStatus {
    NotSigned,
    Signed,
    /// The enterprise ended the agreement (recorded, with its reason).
    Released,
}

super::codes!(SigningStatus { NotSigned => "not_signed", Signed => "signed", Released => "released" });

impl SigningStatus {
    /// The status a worker's latest signature gives: none, or released, or standing.
    pub fn of(latest: Option<&SignatureView>) -> SigningStatus {
        match latest {
            None => SigningStatus::NotSigned,
            Some(s) if s.released_at.is_some() => SigningStatus::Released,
            Some(_) => SigningStatus::Signed,
        }
    }
}

/// How a signature was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignMethod {
    /// On the phone page reached from the text's link, confirmed with a code sent by text.
    SmsCode,
}

super::codes!(SignMethod { SmsCode => "sms_code" });

/// One signature, as the enterprise and an operator see it (P6.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureView {
    pub version: String,
    pub signed_at: UtcMillis,
    pub method: SignMethod,
    /// Truncated (the network, not the device).
    pub ip: String,
    pub user_agent: String,
    pub released_at: Option<UtcMillis>,
    /// Who released it (a login person's name) and why.
    pub released_by: String,
    pub release_reason: String,
}

/// One worker with their signing history (newest first) and the invitations sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerPage {
    pub worker: WorkerView,
    pub signatures: Vec<SignatureView>,
    /// When invitations to sign were sent, newest first, and whether each was used.
    pub invites: Vec<(UtcMillis, bool)>,
}

/// How long an invitation's link works.
pub const INVITE_DAYS: i64 = 7;
/// A code is sent again no sooner than this.
pub const RESEND_SECONDS: i64 = 60;

/// What the phone's signing page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SigningView {
    /// An unknown, expired or used link.
    Gone,
    /// Signed through this link (the version and when).
    Signed {
        version: String,
        at: UtcMillis,
    },
    Ask(SigningAsk),
}

/// The agreement to sign, and where the code stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningAsk {
    /// The version of the worker's signature in force, when it is an earlier one.
    pub earlier: Option<String>,
    pub enterprise: String,
    /// The worker's name and mobile, masked.
    pub worker: String,
    pub mobile: String,
    pub version: String,
    pub content: String,
    /// A code was sent and still works.
    pub code_sent: bool,
    /// Wrong tries of the current code, and how many are left.
    pub wrong_tries: i64,
    pub tries_left: i64,
}

/// A worker's name shown to someone holding only the link: the family name and a mask.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.count().max(1);
            format!("{first}{}", "*".repeat(rest))
        }
        None => String::new(),
    }
}
