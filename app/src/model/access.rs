//! Who may open what: one rule for the server's checks, the navigation and the pages' 403s,
//! so that a menu never offers what the server would refuse.

use super::account::{MemberRole, MyEnterprise, OperatorMe, OperatorRole, Permission};

/// What a portal page (or a server function) asks of a login person of an open business
/// account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberNeeds {
    /// Any login person of the enterprise.
    Member,
    /// A member holding this permission (admins hold every permission).
    Permission(Permission),
    /// The enterprise's admin.
    Admin,
}

/// The rule: admins may do everything; members what their permissions allow.
pub fn member_may(role: MemberRole, permissions: &[Permission], needs: MemberNeeds) -> bool {
    match (role, needs) {
        (MemberRole::Admin, _) => true,
        (MemberRole::Member, MemberNeeds::Member) => true,
        (MemberRole::Member, MemberNeeds::Permission(p)) => permissions.contains(&p),
        (MemberRole::Member, MemberNeeds::Admin) => false,
    }
}

/// The console's areas by role (site map), shared by the server functions, the console's
/// navigation and its pages.
pub mod roles {
    use super::OperatorRole;
    pub const REVIEWERS: &[OperatorRole] = &[OperatorRole::Reviewer];
    pub const ENTERPRISE_VIEWERS: &[OperatorRole] =
        &[OperatorRole::Reviewer, OperatorRole::Support];
    pub const FINANCE: &[OperatorRole] = &[OperatorRole::Finance];
    /// Customer service's queue and tickets (issue 18 §3).
    pub const SUPPORT: &[OperatorRole] = &[OperatorRole::Support];
    pub const PRIVACY_OFFICERS: &[OperatorRole] = &[OperatorRole::PrivacyOfficer];
    /// Operators, the audit log: super-admins only.
    pub const SUPER_ADMINS: &[OperatorRole] = &[];
    /// Every operator (the dashboard).
    pub const ANY_OPERATOR: &[OperatorRole] = &[
        OperatorRole::Reviewer,
        OperatorRole::Finance,
        OperatorRole::PrivacyOfficer,
        OperatorRole::Support,
    ];
}

/// The operator rule: a super-admin may do everything; others need one of `needed` (an
/// empty list means super-admins only).
pub fn operator_may(held: &[OperatorRole], needed: &[OperatorRole]) -> bool {
    held.contains(&OperatorRole::SuperAdmin) || needed.iter().any(|r| held.contains(r))
}

impl MyEnterprise {
    pub fn may(&self, needs: MemberNeeds) -> bool {
        member_may(self.role, &self.permissions, needs)
    }
}

impl OperatorMe {
    pub fn may(&self, needed: &[OperatorRole]) -> bool {
        operator_may(&self.roles, needed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_may_everything_members_what_they_hold() {
        use MemberNeeds::{Admin, Member};
        let holds = MemberNeeds::Permission;
        let funds = [Permission::Funds];
        assert!(member_may(MemberRole::Admin, &[], Admin));
        assert!(member_may(MemberRole::Admin, &[], holds(Permission::Tasks)));
        assert!(member_may(MemberRole::Member, &[], Member));
        assert!(member_may(
            MemberRole::Member,
            &funds,
            holds(Permission::Funds)
        ));
        assert!(!member_may(
            MemberRole::Member,
            &funds,
            holds(Permission::Finance)
        ));
        assert!(!member_may(MemberRole::Member, &funds, Admin));
    }

    #[test]
    fn super_admins_may_everything_others_their_roles() {
        use OperatorRole::*;
        assert!(operator_may(&[SuperAdmin], &[]));
        assert!(operator_may(&[SuperAdmin], &[Finance]));
        assert!(!operator_may(&[Reviewer], &[]));
        assert!(operator_may(&[Reviewer, Support], &[Support]));
        assert!(!operator_may(&[Reviewer], &[Finance, PrivacyOfficer]));
    }
}
