//! Why the platform processes data (P1.2, P1.3, P6.4): every purpose with its legal basis. The
//! consent centre lists them all; only those based on consent can be switched, and they start
//! off. Switching is recorded and stops the processing from then on; what was done before
//! stays done (P6.4).

use super::UtcMillis;
use serde::{Deserialize, Serialize};

/// The legal basis of a purpose (PIPL Art. 13).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// The user's consent: can be withdrawn.
    Consent,
    /// Needed to conclude or perform the contract with the enterprise.
    Contract,
    /// Needed to meet a legal duty (accounting, tax, network logs).
    LegalDuty,
    /// Needed to keep accounts and the platform secure.
    Security,
}

super::codes!(LegalBasis {
    Consent => "consent",
    Contract => "contract",
    LegalDuty => "legal_duty",
    Security => "security",
});

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// The admission review of a business account.
    Admission,
    /// Logging in, sessions, lockouts and security notices.
    AccountSecurity,
    /// Prepayments, payment orders, transfers, bills.
    Payments,
    /// Publishing tasks, their review, and the work done for them (issue 18, P1.1.6).
    Tasks,
    /// Answering the customer's questions: support tickets, their recorded conversations and
    /// the identity verification before account details are discussed (issue 18, P1.1.7).
    CustomerService,
    /// Keeping accounting, tax and operation records as the law requires.
    Records,
    /// Service notices such as maintenance and incidents.
    ServiceNotices,
    /// Personalised features: the portal overview suggests the areas the user works in most
    /// (P1.2). Off until switched on.
    Personalisation,
    /// Promotional messages by e-mail or SMS. Off until switched on.
    Promotions,
    /// Convenience cookies (login name, language), set from the cookie banner (P2.2).
    ConvenienceCookies,
}

super::codes!(Purpose {
    Admission => "admission",
    AccountSecurity => "account_security",
    Payments => "payments",
    Tasks => "tasks",
    CustomerService => "customer_service",
    Records => "records",
    ServiceNotices => "service_notices",
    Personalisation => "personalisation",
    Promotions => "promotions",
    ConvenienceCookies => "convenience_cookies",
});

impl Purpose {
    pub fn basis(self) -> LegalBasis {
        match self {
            Purpose::Admission
            | Purpose::Payments
            | Purpose::Tasks
            | Purpose::CustomerService
            | Purpose::ServiceNotices => LegalBasis::Contract,
            Purpose::AccountSecurity => LegalBasis::Security,
            Purpose::Records => LegalBasis::LegalDuty,
            Purpose::Personalisation | Purpose::Promotions | Purpose::ConvenienceCookies => {
                LegalBasis::Consent
            }
        }
    }
    /// Purposes switched in the consent centre and stored per user (the convenience cookies
    /// are a browser's choice, stored in the cookie-consent records).
    pub fn per_user_switch(self) -> bool {
        matches!(self, Purpose::Personalisation | Purpose::Promotions)
    }
}

/// A purpose as the consent centre shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposeState {
    pub purpose: Purpose,
    pub basis: LegalBasis,
    /// On or off; purposes not based on consent are always on.
    pub on: bool,
    /// When the user last switched it, if ever.
    pub changed_at: Option<UtcMillis>,
}

/// One entry of a user's consent history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    PolicyAccepted,
    PolicyDeclined,
    CookieChoice,
    PurposeOn,
    PurposeOff,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: UtcMillis,
    pub kind: HistoryKind,
    /// What was decided: the versions, the cookie categories and method, or the purpose code.
    pub detail: String,
}

/// The consent centre (隐私中心): purposes, the browser's cookie choice and the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentCentre {
    pub purposes: Vec<PurposeState>,
    pub history: Vec<HistoryEntry>,
    pub gate: Option<super::policy_change::PolicyGate>,
}

/// A portal area suggested to a user with personalised features on (P1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Orders,
    Transfers,
    Members,
    Account,
}

impl Area {
    pub fn path(self) -> &'static str {
        match self {
            Area::Orders => "/portal/funds/orders",
            Area::Transfers => "/portal/funds/transfers",
            Area::Members => "/portal/business/members",
            Area::Account => "/portal/account",
        }
    }
    /// The area an audited action of a login person belongs to.
    pub fn of_action(action: &str) -> Option<Area> {
        let prefix = action.split('.').next()?;
        Some(match prefix {
            "order" | "batch" => Area::Orders,
            "transfer" => Area::Transfers,
            "member" | "invite" => Area::Members,
            "profile" | "password" => Area::Account,
            _ => return None,
        })
    }
}

/// The user's most used areas, most used first, from `(action, count)` pairs; at most `n`.
pub fn frequent_areas(actions: &[(String, i64)], n: usize) -> Vec<Area> {
    let mut counts: Vec<(Area, i64)> = Vec::new();
    for (action, count) in actions {
        let Some(area) = Area::of_action(action) else {
            continue;
        };
        match counts.iter_mut().find(|(a, _)| *a == area) {
            Some((_, c)) => *c += count,
            None => counts.push((area, *count)),
        }
    }
    counts.sort_by_key(|(_, c)| std::cmp::Reverse(*c));
    counts.into_iter().take(n).map(|(a, _)| a).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p1_2_frequent_areas_rank_the_users_own_actions() {
        let actions = vec![
            ("member.invite".to_string(), 2),
            ("order.create".to_string(), 3),
            ("batch.confirm".to_string(), 1),
            ("access.denied".to_string(), 9),
            ("password.change".to_string(), 1),
        ];
        assert_eq!(
            frequent_areas(&actions, 2),
            vec![Area::Orders, Area::Members]
        );
        assert!(frequent_areas(&[], 3).is_empty());
    }

    /// P1.2, P1.3: only consent-based purposes can be switched; the rest name their basis.
    #[test]
    fn p1_3_every_purpose_has_a_basis_and_only_consent_is_switchable() {
        for p in Purpose::ALL {
            assert_eq!(
                p.per_user_switch() || *p == Purpose::ConvenienceCookies,
                p.basis() == LegalBasis::Consent,
                "{p:?}"
            );
            assert_eq!(Purpose::from_code(p.code()), Some(*p));
        }
    }
}
