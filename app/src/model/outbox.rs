//! Outgoing messages as the console lists them (no body: it may hold an invitation link).

use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

/// How a message travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxChannel {
    Email,
    Sms,
}

super::codes!(OutboxChannel { Email => "email", Sms => "sms" });

/// Why a message is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxPurpose {
    Invitation,
    ApplicationResult,
    JoinRequest,
    PolicyChange,
}

super::codes!(OutboxPurpose {
    Invitation => "invitation",
    ApplicationResult => "application_result",
    JoinRequest => "join_request",
    PolicyChange => "policy_change",
});

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting for the messages capability to deliver it.
    Pending,
    Sent,
}

super::codes!(OutboxStatus { Pending => "pending", Sent => "sent" });

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: String,
    pub channel: OutboxChannel,
    pub recipient_masked: String,
    pub subject: String,
    pub purpose: OutboxPurpose,
    pub status: OutboxStatus,
    pub created_at: UtcMillis,
    pub sent_at: Option<UtcMillis>,
}
