//! What the pages show of rights requests: lists, one request with its steps, the
//! requester's page.

use super::{
    ComplaintRoute, DeletionGround, Due, RefusalReason, RequestAction, RequestKind, RequestScope,
    RequestStatus,
};
use crate::model::account::ContactKind;
use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

/// A line of a request list (the requester's, or the console's queue).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: String,
    pub kind: RequestKind,
    pub scope: RequestScope,
    pub status: RequestStatus,
    pub submitted_at: UtcMillis,
    /// The clock, once the identity is verified (it starts then).
    pub due: Option<Due>,
    pub answered_at: Option<UtcMillis>,
    pub fee: bool,
    /// The console's queue: who asked (masked name) and their enterprise; empty for the
    /// requester's own list.
    pub requester: String,
    pub enterprise: String,
}

/// Who took a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepBy {
    Requester,
    Officer,
    /// The platform itself (a lapse).
    Platform,
}

crate::model::codes!(StepBy { Requester => "requester", Officer => "officer", Platform => "platform" });

/// One step of a request's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestStep {
    pub at: UtcMillis,
    pub by: StepBy,
    pub action: RequestAction,
    /// A code (the channel of a code, a refusal reason), never free text.
    pub detail: String,
}

/// The verification code waiting to be entered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCode {
    pub channel: ContactKind,
    pub sent_to: String,
    pub expires_at: UtcMillis,
    pub tries_left: i64,
}

/// A request with everything its page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub summary: RequestSummary,
    pub ground: Option<DeletionGround>,
    pub details: String,
    pub answer: Option<String>,
    pub refusal: Option<RefusalReason>,
    pub fee_reason: Option<String>,
    pub steps: Vec<RequestStep>,
    /// While unverified: the code waiting (none when it expired or its tries are used).
    pub pending_code: Option<PendingCode>,
    /// The console: who asked (full name, masked mobile number, their account's id), for the
    /// officer to carry the request out; empty for the requester.
    pub requester_full: String,
    /// Whether codes can go by text message (an SMS gateway is configured).
    pub sms_available: bool,
    /// The console: verified requests of the same kind by the same subject in the last 12
    /// months (this one included), and whether a fee may be marked.
    pub same_kind_in_year: u32,
    pub fee_allowed: bool,
    pub complaint_routes: Vec<ComplaintRoute>,
    /// A completed copy request's copy: its progress, then its download (P6.1).
    pub copy: Option<super::CopyView>,
    /// A correction request's proposed values, before and after (P6.2).
    pub correction: Option<super::CorrectionDetail>,
}

/// The requester's page: their requests, a fresh form key, and which kinds they may ask for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRequests {
    pub requests: Vec<RequestSummary>,
    pub form_key: String,
    /// Whether the enterprise-wide scopes are open to this person (the admin only).
    pub may_ask_for_enterprise: bool,
    pub mobile_masked: String,
    pub email_masked: String,
    /// Whether codes can go by text message (an SMS gateway is configured).
    pub sms_available: bool,
    pub complaint_routes: Vec<ComplaintRoute>,
}
