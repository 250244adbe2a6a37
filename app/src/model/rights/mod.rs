//! Rights requests (issue 16 §2; P6.2, P6.3, P6.5, P10.2): what a person may ask of the
//! platform about their information, the request's life cycle, the 15-day clock, the reasons a
//! request may be refused, and the cost-fee rule. Shared by the portal's form (the browser
//! checks with the server's rules), the console and the server.
//!
//! Life cycle (each step is audited and shown to the requester with its time):
//!
//! ```text
//! unverified ──verify──▶ verified ──start──▶ in_progress ──complete──▶ completed
//!     │                     │  └──────complete/refuse──────┐   └──refuse──▶ refused
//!     ├──withdraw──▶ withdrawn ◀──withdraw── (any open state)
//!     └──(7 days without the code)──▶ lapsed
//! ```
//!
//! A request is complete — submitted, in the policy's sense — once the requester's identity is
//! verified: its 15 days count from then.

use super::account::ContactKind;
use super::Bilingual;
use crate::error::{FieldError, Rule};
use serde::{Deserialize, Serialize};

mod clock;
mod copy;
mod correction;
mod view;
pub use clock::*;
pub use copy::*;
pub use correction::*;
pub use view::*;

/// P10.2: every request is answered within 15 days of its submission (its verification).
pub const DUE_DAYS: i64 = 15;
/// An unverified request lapses after this many days.
pub const LAPSE_DAYS: i64 = 7;
pub(crate) const DAY_MS: i64 = 86_400_000;
/// P6.5: a verification code lasts 10 minutes …
pub const CODE_MINUTES: i64 = 10;
/// … and three tries.
pub const CODE_TRIES: i64 = 3;
/// The longest description a request may carry.
pub const DETAILS_MAX: u32 = 2000;
/// The longest answer or reason an officer may write.
pub const ANSWER_MAX: u32 = 4000;

/// What is asked for. Consent changes stay in the consent centre (P6.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// A copy of my data (P6.1).
    Copy,
    /// Correct information that is wrong (P6.2).
    Correction,
    /// Delete information, in one of the five situations (P6.3).
    Deletion,
    /// Close the enterprise's account (P6.3).
    Closure,
    /// A question about personal information (P10.2).
    Question,
    /// A complaint about how personal information is handled (P10.2).
    Complaint,
}

super::codes!(RequestKind {
    Copy => "copy",
    Correction => "correction",
    Deletion => "deletion",
    Closure => "closure",
    Question => "question",
    Complaint => "complaint",
});

/// Whom a request is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestScope {
    /// The requester's own information.
    Person,
    /// The whole enterprise's information: only its admin may ask (P6.5).
    Enterprise,
}

super::codes!(RequestScope { Person => "person", Enterprise => "enterprise" });

impl RequestKind {
    /// The scopes this kind may have: a closure is always the enterprise's, a copy or a
    /// correction either, the rest are the person's own.
    pub fn scopes(self) -> &'static [RequestScope] {
        match self {
            RequestKind::Closure => &[RequestScope::Enterprise],
            RequestKind::Copy | RequestKind::Correction => {
                &[RequestScope::Person, RequestScope::Enterprise]
            }
            _ => &[RequestScope::Person],
        }
    }
    /// Whether the requester must say what the request is about.
    pub fn needs_details(self) -> bool {
        matches!(self, RequestKind::Question | RequestKind::Complaint)
    }
}

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Submitted; the requester has not yet entered the code (P6.5).
    Unverified,
    /// The requester's identity is verified: waiting for an officer.
    Verified,
    InProgress,
    Completed,
    /// Refused, with one of the policy's reasons.
    Refused,
    /// Withdrawn by the requester.
    Withdrawn,
    /// Never verified: it lapsed after [`LAPSE_DAYS`].
    Lapsed,
}

super::codes!(RequestStatus {
    Unverified => "unverified",
    Verified => "verified",
    InProgress => "in_progress",
    Completed => "completed",
    Refused => "refused",
    Withdrawn => "withdrawn",
    Lapsed => "lapsed",
});

/// A step of a request's life, as its timeline shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestAction {
    Submitted,
    /// A code was sent (the detail names the channel).
    CodeSent,
    Verified,
    Started,
    /// The officer marked the request for a cost fee (P6.5).
    FeeMarked,
    Completed,
    Refused,
    Withdrawn,
    /// Never verified: the platform closed it.
    Lapsed,
}

super::codes!(RequestAction {
    Submitted => "submitted",
    CodeSent => "code_sent",
    Verified => "verified",
    Started => "started",
    FeeMarked => "fee_marked",
    Completed => "completed",
    Refused => "refused",
    Withdrawn => "withdrawn",
    Lapsed => "lapsed",
});

impl RequestStatus {
    /// The state `action` leads to from this one, or `None` when it is not allowed here.
    /// Marking a fee and sending a code leave the state as it is.
    pub fn after(self, action: RequestAction) -> Option<RequestStatus> {
        use RequestAction as A;
        use RequestStatus as S;
        match (self, action) {
            (S::Unverified, A::CodeSent) => Some(S::Unverified),
            (S::Unverified, A::Verified) => Some(S::Verified),
            (S::Verified, A::Started) => Some(S::InProgress),
            (S::Verified | S::InProgress, A::FeeMarked) => Some(self),
            (S::Verified | S::InProgress, A::Completed) => Some(S::Completed),
            (S::Verified | S::InProgress, A::Refused) => Some(S::Refused),
            (S::Unverified | S::Verified | S::InProgress, A::Withdrawn) => Some(S::Withdrawn),
            (S::Unverified, A::Lapsed) => Some(S::Lapsed),
            _ => None,
        }
    }
    /// Still to be answered.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            RequestStatus::Unverified | RequestStatus::Verified | RequestStatus::InProgress
        )
    }
    /// Waiting for the platform (the clock's flags apply): verified and not yet answered.
    pub fn awaits_us(self) -> bool {
        matches!(self, RequestStatus::Verified | RequestStatus::InProgress)
    }
}

/// The five situations in which a person may ask for deletion (the policy's 六.3; P6.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeletionGround {
    /// (1) The purpose is achieved, cannot be achieved, or no longer needs the information.
    PurposeDone,
    /// (2) The platform stopped providing the service, or the retention period is over.
    ServiceEnded,
    /// (3) Consent was withdrawn.
    ConsentWithdrawn,
    /// (4) The processing broke a law, a regulation or the agreement.
    Unlawful,
    /// (5) Another situation laws and regulations provide for.
    OtherLaw,
}

super::codes!(DeletionGround {
    PurposeDone => "purpose_done",
    ServiceEnded => "service_ended",
    ConsentWithdrawn => "consent_withdrawn",
    Unlawful => "unlawful",
    OtherLaw => "other_law",
});

/// Why a request is refused: one of the cases the policy lists (the policy's 六.5; P6.5,
/// PIPL Art. 50 asks for the reason).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    // Requests the platform may refuse.
    /// Groundlessly repeated.
    Repeated,
    /// Would need excessive technical means (a new system, a fundamental change of practice).
    ExcessiveMeans,
    /// Would put others' lawful rights and interests at risk.
    RiskToOthers,
    /// Very impractical.
    Impractical,
    // The eight cases in which the platform cannot respond.
    /// (1) Related to the platform's legal obligations.
    LegalObligation,
    /// (2) Directly related to national security or national defence.
    NationalSecurity,
    /// (3) Directly related to public safety, public health or a major public interest.
    PublicInterest,
    /// (4) Directly related to criminal investigation, prosecution, trial or enforcement.
    CriminalJustice,
    /// (5) Sufficient evidence of malice or abuse of rights by the subject.
    Abuse,
    /// (6) To protect the life or property of the subject or others when consent is hard to get.
    VitalInterests,
    /// (7) Responding would seriously harm the rights of the subject or others.
    SeriousHarm,
    /// (8) Trade secrets are involved.
    TradeSecret,
    /// A deletion request in none of the five situations (the policy's 六.3).
    NoDeletionGround,
}

super::codes!(RefusalReason {
    Repeated => "repeated",
    ExcessiveMeans => "excessive_means",
    RiskToOthers => "risk_to_others",
    Impractical => "impractical",
    LegalObligation => "legal_obligation",
    NationalSecurity => "national_security",
    PublicInterest => "public_interest",
    CriminalJustice => "criminal_justice",
    Abuse => "abuse",
    VitalInterests => "vital_interests",
    SeriousHarm => "serious_harm",
    TradeSecret => "trade_secret",
    NoDeletionGround => "no_deletion_ground",
});

impl RefusalReason {
    /// Whether this reason can answer a request of `kind` (only a deletion can lack one of
    /// the five situations).
    pub fn applies_to(self, kind: RequestKind) -> bool {
        self != RefusalReason::NoDeletionGround || kind == RequestKind::Deletion
    }
}

/// P6.5: requests are free in principle; the officer may mark one for a cost fee only when the
/// subject made more than `free_per_year` requests of the same kind in the last 12 months
/// (`count` includes this one). `free_per_year` is configuration.
pub fn fee_allowed(count: u32, free_per_year: u32) -> bool {
    count > free_per_year
}

/// Where a person may complain to a regulator (P10.2): configuration, shown with every
/// answer and in the privacy centre.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintRoute {
    pub name: Bilingual,
    /// A telephone number, a web address or both, as the regulator publishes them.
    pub contact: String,
}

impl ComplaintRoute {
    /// Parses `中文名|English name|contact` (the configuration's form).
    pub fn parse(s: &str) -> Option<ComplaintRoute> {
        let mut parts = s.split('|').map(str::trim);
        let (zh, en, contact) = (parts.next()?, parts.next()?, parts.next()?);
        if zh.is_empty() || en.is_empty() || contact.is_empty() || parts.next().is_some() {
            return None;
        }
        Some(ComplaintRoute {
            name: Bilingual::new(zh.to_string(), en.to_string()),
            contact: contact.to_string(),
        })
    }
}

/// The routes used when none are configured: the CAC's reporting centre for illegal and
/// harmful information, and the market regulator's consumer line.
pub const DEFAULT_COMPLAINT_ROUTES: &[&str] = &[
    "中央网信办（国家互联网信息办公室）违法和不良信息举报中心|Cyberspace Administration of China, Illegal and Harmful Information Reporting Centre|www.12377.cn · 12377",
    "市场监督管理部门消费者投诉举报|Market regulation consumer complaints line|www.12315.cn · 12315",
];

/// A name as the console's lists show it: the first character, the rest starred.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// A request as the requester writes it, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestDraft {
    pub kind: RequestKind,
    pub scope: RequestScope,
    pub ground: Option<DeletionGround>,
    pub details: String,
    /// Where the verification code goes: the registered mobile or e-mail.
    pub channel: ContactKind,
    /// A correction's proposed values (P6.2); empty for other kinds.
    pub corrections: Vec<(CorrectionField, String)>,
}

/// The request form's fields, as they arrive.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestForm {
    pub kind: String,
    pub scope: String,
    pub ground: String,
    pub details: String,
    pub channel: String,
    /// A correction's proposed values as entered (`new_name`, `new_enterprise_name`, …).
    pub corrections: Vec<(CorrectionField, String)>,
}

impl RequestForm {
    /// Checks every field; all problems at once, each under its field.
    pub fn parse(&self) -> Result<RequestDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = RequestKind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", Rule::Required));
        }
        let scope = match (kind, self.scope.trim()) {
            (Some(k), "") => Some(k.scopes()[0]),
            (Some(k), s) => match RequestScope::from_code(s) {
                Some(s) if k.scopes().contains(&s) => Some(s),
                _ => {
                    errors.push(FieldError::new("scope", Rule::Format));
                    None
                }
            },
            (None, _) => None,
        };
        let ground = match (kind, self.ground.trim()) {
            (Some(RequestKind::Deletion), "") => {
                errors.push(FieldError::new("ground", Rule::Required));
                None
            }
            (Some(RequestKind::Deletion), g) => {
                let g = DeletionGround::from_code(g);
                if g.is_none() {
                    errors.push(FieldError::new("ground", Rule::Format));
                }
                g
            }
            _ => None,
        };
        let details = self.details.trim().to_string();
        if details.chars().count() > DETAILS_MAX as usize {
            errors.push(FieldError::new(
                "details",
                Rule::TooLong { max: DETAILS_MAX },
            ));
        } else if details.is_empty() && kind.is_some_and(RequestKind::needs_details) {
            errors.push(FieldError::new("details", Rule::Required));
        }
        let channel = ContactKind::from_code(self.channel.trim());
        if channel.is_none() {
            errors.push(FieldError::new("channel", Rule::Required));
        }
        // A correction proposes new values (P6.2); other kinds ignore the correction fields.
        let mut corrections = Vec::new();
        if let (Some(RequestKind::Correction), Some(scope)) = (kind, scope) {
            match parse_proposals(scope, &self.corrections) {
                Ok(c) => corrections = c,
                Err(e) => errors.extend(e),
            }
        }
        match (kind, scope, channel) {
            (Some(kind), Some(scope), Some(channel)) if errors.is_empty() => Ok(RequestDraft {
                kind,
                scope,
                ground,
                details,
                channel,
                corrections,
            }),
            _ => Err(errors),
        }
    }
}

/// The officer's answer, parsed: completing needs words to the requester; refusing needs one
/// of the listed reasons that fits the kind, and words.
pub fn parse_answer(answer: &str) -> Result<String, FieldError> {
    let a = answer.trim();
    if a.is_empty() {
        Err(FieldError::new("answer", Rule::Required))
    } else if a.chars().count() > ANSWER_MAX as usize {
        Err(FieldError::new("answer", Rule::TooLong { max: ANSWER_MAX }))
    } else {
        Ok(a.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: &str) -> RequestForm {
        RequestForm {
            kind: kind.into(),
            channel: "mobile".into(),
            ..Default::default()
        }
    }

    /// P6.5: the life cycle; only open requests move, each step only from its states.
    #[test]
    fn p6_5_the_life_cycle() {
        use RequestAction as A;
        use RequestStatus as S;
        assert_eq!(S::Unverified.after(A::Verified), Some(S::Verified));
        assert_eq!(S::Unverified.after(A::Started), None, "verify first");
        assert_eq!(S::Unverified.after(A::Completed), None);
        assert_eq!(S::Unverified.after(A::Refused), None);
        assert_eq!(S::Verified.after(A::Started), Some(S::InProgress));
        assert_eq!(S::InProgress.after(A::Completed), Some(S::Completed));
        assert_eq!(S::Verified.after(A::Refused), Some(S::Refused));
        assert_eq!(S::InProgress.after(A::FeeMarked), Some(S::InProgress));
        for s in [S::Unverified, S::Verified, S::InProgress] {
            assert_eq!(s.after(A::Withdrawn), Some(S::Withdrawn));
            assert!(s.is_open());
        }
        assert_eq!(S::Unverified.after(A::Lapsed), Some(S::Lapsed));
        assert_eq!(
            S::Verified.after(A::Lapsed),
            None,
            "a verified request never lapses"
        );
        for s in [S::Completed, S::Refused, S::Withdrawn, S::Lapsed] {
            assert!(!s.is_open());
            for a in RequestAction::ALL {
                assert_eq!(s.after(*a), None, "{s:?} is final");
            }
        }
    }

    /// P6.3, P6.5: a deletion names one of the five situations; a closure is the
    /// enterprise's; questions and complaints say what they are about.
    #[test]
    fn p6_3_the_form_rules() {
        let fields = |f: RequestForm| -> Vec<String> {
            f.parse()
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(fields(form("deletion")), ["ground"]);
        let mut d = form("deletion");
        d.ground = "consent_withdrawn".into();
        assert_eq!(
            d.parse().unwrap().ground,
            Some(DeletionGround::ConsentWithdrawn)
        );
        let c = form("closure").parse().unwrap();
        assert_eq!(c.scope, RequestScope::Enterprise);
        let mut personal_closure = form("closure");
        personal_closure.scope = "person".into();
        assert_eq!(fields(personal_closure), ["scope"]);
        let mut enterprise_question = form("question");
        enterprise_question.scope = "enterprise".into();
        enterprise_question.details = "x".into();
        assert_eq!(fields(enterprise_question), ["scope"]);
        assert_eq!(fields(form("complaint")), ["details"]);
        let mut copy = form("copy");
        copy.scope = "enterprise".into();
        assert_eq!(copy.parse().unwrap().scope, RequestScope::Enterprise);
        let mut bad = form("x");
        bad.channel = "fax".into();
        assert_eq!(fields(bad), ["kind", "channel"]);
        let mut long = form("question");
        long.details = "字".repeat(DETAILS_MAX as usize + 1);
        assert_eq!(fields(long), ["details"]);
    }

    /// P6.5: a fee only beyond the free number of same-kind requests a year; a refusal names a
    /// reason that fits the kind.
    #[test]
    fn p6_5_fees_and_refusal_reasons() {
        assert!(!fee_allowed(1, 2));
        assert!(!fee_allowed(2, 2));
        assert!(fee_allowed(3, 2));
        assert!(RefusalReason::NoDeletionGround.applies_to(RequestKind::Deletion));
        assert!(!RefusalReason::NoDeletionGround.applies_to(RequestKind::Copy));
        assert!(RefusalReason::TradeSecret.applies_to(RequestKind::Copy));
        assert_eq!(
            RefusalReason::ALL.len(),
            13,
            "4 may-refuse, 8 cannot-respond, 1 deletion"
        );
        assert!(parse_answer("  ").is_err());
        assert!(parse_answer(&"字".repeat(ANSWER_MAX as usize + 1)).is_err());
    }

    /// P10.2: complaint routes from configuration.
    #[test]
    fn p10_2_complaint_routes_parse() {
        for r in DEFAULT_COMPLAINT_ROUTES {
            assert!(ComplaintRoute::parse(r).is_some(), "{r}");
        }
        assert!(ComplaintRoute::parse("a|b").is_none());
        assert!(ComplaintRoute::parse("a||c").is_none());
        assert!(ComplaintRoute::parse("a|b|c|d").is_none());
    }
}
