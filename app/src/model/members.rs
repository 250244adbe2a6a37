//! Login persons of an enterprise and their invitations (P1.1.2).

use crate::model::account::{MemberRole, Permission};
use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

/// How long an invitation link works.
pub const INVITE_TTL_MS: i64 = 72 * 3_600_000;

/// A login person as their admin sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: String,
    pub name: String,
    pub mobile_masked: String,
    pub email_masked: String,
    pub role: MemberRole,
    pub permissions: Vec<Permission>,
    pub status: crate::model::account::AccountStatus,
    pub is_self: bool,
}

/// An invitation not used yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteView {
    pub id: String,
    pub name: String,
    pub email_masked: String,
    pub role: MemberRole,
    pub permissions: Vec<Permission>,
    pub expires_at: UtcMillis,
    pub expired: bool,
}

/// The members page: people and open invitations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersPage {
    pub members: Vec<MemberView>,
    pub invites: Vec<InviteView>,
}

/// What the admin gets back from an invitation: the one-time link, shown once (it is also in
/// the outbox for delivery).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteCreated {
    pub link: String,
    pub expires_at: UtcMillis,
}

/// What the invitee sees before accepting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteDetails {
    pub enterprise_name: String,
    pub name: String,
    pub email_masked: String,
    pub mobile_masked: String,
    pub role: MemberRole,
}

/// Reads the permission checkboxes of a form (`on` when ticked).
pub fn permissions_from_form(
    funds: &Option<String>,
    finance: &Option<String>,
    tasks: &Option<String>,
) -> Vec<Permission> {
    let on = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
    let mut p = Vec::new();
    if on(funds) {
        p.push(Permission::Funds);
    }
    if on(finance) {
        p.push(Permission::Finance);
    }
    if on(tasks) {
        p.push(Permission::Tasks);
    }
    p
}
