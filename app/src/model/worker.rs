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
}

super::codes!(WorkerSource { Batch => "batch", Completion => "completion" });

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
}
