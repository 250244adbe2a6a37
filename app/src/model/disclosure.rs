//! Lawful disclosures (issue 19; P3.1.2, P3.4): what a privacy officer records when an
//! authority demands personal information — the authority, the ground among the policy's
//! exceptions (§三.4), the law it rests on, the document, the fields and whose, and when — and
//! the decision whether the subject is told, with its reason, since the law may forbid telling.
//! A second officer approves it (four eyes) before it counts as disclosed. Pure rules, shared by
//! the console's form and the server.

use super::account::Mobile;
use super::approval::Decision;
use super::conflict::Conflict;
use super::credit_code::CreditCode;
use super::UtcMillis;
use crate::error::{FieldError, Rule};
use serde::{Deserialize, Serialize};

pub const AUTHORITY_MAX: u32 = 100;
pub const BASIS_MAX: u32 = 200;
pub const DOCUMENT_MAX: u32 = 100;
pub const REASON_MAX: u32 = 500;
/// Fields one disclosure may name at most.
pub const FIELDS_MAX: u32 = 60;

/// The policy's exceptions where sharing or disclosing needs no prior consent (§三.4, P3.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureGround {
    /// (1) National security or national defence.
    NationalSecurity,
    /// (2) Public safety, public health, a major public interest.
    PublicSafety,
    /// (3) Criminal investigation, prosecution, trial and enforcement of judgments.
    CriminalJustice,
    /// (4) Protecting life or property when consent cannot be had in time.
    VitalInterests,
    /// (5) Information the person made public themselves.
    SelfPublished,
    /// (6) Information from lawfully public sources.
    LawfullyPublic,
    /// (7) The exceptions of §一.3, chiefly a statutory duty or obligation.
    LegalDuty,
}

super::codes!(DisclosureGround {
    NationalSecurity => "national_security",
    PublicSafety => "public_safety",
    CriminalJustice => "criminal_justice",
    VitalInterests => "vital_interests",
    SelfPublished => "self_published",
    LawfullyPublic => "lawfully_public",
    LegalDuty => "legal_duty",
});

/// Where a disclosure stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureStatus {
    /// Recorded by one officer, waiting for a second.
    Pending,
    /// Approved by a second officer: disclosed.
    Approved,
    /// Refused: nothing is disclosed.
    Rejected,
}

super::codes!(DisclosureStatus {
    Pending => "pending",
    Approved => "approved",
    Rejected => "rejected",
});

/// The state a disclosure moves to when `actor` decides (four eyes): only a pending one is
/// decided; approving needs an officer other than the one who recorded it, refusing is anyone's.
pub fn disclosure_next(
    status: DisclosureStatus,
    decision: Decision,
    recorded_by: &str,
    actor: &str,
) -> Result<DisclosureStatus, Conflict> {
    match (status, decision) {
        (DisclosureStatus::Pending, Decision::Reject) => Ok(DisclosureStatus::Rejected),
        (DisclosureStatus::Pending, Decision::Approve) if recorded_by == actor => {
            Err(Conflict::SecondOfficerNeeded)
        }
        (DisclosureStatus::Pending, Decision::Approve) => Ok(DisclosureStatus::Approved),
        _ => Err(Conflict::AlreadyDone),
    }
}

/// The record's form, as it arrives.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureForm {
    pub authority: String,
    pub ground: String,
    pub legal_basis: String,
    pub document_ref: String,
    /// The data map's fields (`table.column`), one per line or separated by commas.
    pub fields: String,
    /// The enterprise whose information it is, by credit code.
    pub credit_code: String,
    /// One of its login persons, by mobile number (empty: the enterprise's own information).
    pub person_mobile: String,
    /// When it was handed over, China time (`YYYY-MM-DDTHH:MM`).
    pub disclosed_at: String,
    /// `yes` when the subject is told, `no` when not.
    pub tell: String,
    /// Why: required when the subject is not told.
    pub tell_reason: String,
}

/// A disclosure as recorded, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisclosureDraft {
    pub authority: String,
    pub ground: DisclosureGround,
    pub legal_basis: String,
    pub document_ref: String,
    pub fields: Vec<String>,
    pub credit_code: CreditCode,
    pub person_mobile: Option<Mobile>,
    pub disclosed_at: UtcMillis,
    pub tell: bool,
    pub tell_reason: String,
}

/// The fields named in `input` (one per line or separated by commas), each once, in order;
/// every one must be a field of the data map (so the record says exactly what left).
pub fn parse_fields(input: &str, max: u32) -> Result<Vec<String>, Rule> {
    let mut out: Vec<String> = Vec::new();
    for f in input
        .split(['\n', ',', '，', ' ', '\r', '\t'])
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        if super::sharing::field_category(f).is_none() {
            return Err(Rule::UnknownField);
        }
        if !out.iter().any(|o| o == f) {
            out.push(f.to_string());
        }
    }
    if out.is_empty() {
        return Err(Rule::Required);
    }
    if out.len() > max as usize {
        return Err(Rule::TooMany { max });
    }
    Ok(out)
}

impl DisclosureForm {
    /// Checks every field; all problems at once, each under its field. `now`: a disclosure is
    /// recorded after it happened, never ahead.
    pub fn parse(&self, now: UtcMillis) -> Result<DisclosureDraft, Vec<FieldError>> {
        use super::form::{check, parse_multiline, parse_text};
        let mut errs = Vec::new();
        let authority = check(
            &mut errs,
            "authority",
            parse_text(&self.authority, AUTHORITY_MAX),
        );
        let ground = check(
            &mut errs,
            "ground",
            DisclosureGround::from_code(self.ground.trim()).ok_or(Rule::Required),
        );
        let legal_basis = check(
            &mut errs,
            "legal_basis",
            parse_text(&self.legal_basis, BASIS_MAX),
        );
        let document_ref = check(
            &mut errs,
            "document_ref",
            parse_text(&self.document_ref, DOCUMENT_MAX),
        );
        let fields = check(&mut errs, "fields", parse_fields(&self.fields, FIELDS_MAX));
        let credit_code = check(
            &mut errs,
            "credit_code",
            CreditCode::parse_shape(&self.credit_code),
        );
        let person_mobile = match self.person_mobile.trim() {
            "" => Some(None),
            m => check(&mut errs, "person_mobile", Mobile::parse(m)).map(Some),
        };
        let disclosed_at = check(
            &mut errs,
            "disclosed_at",
            match UtcMillis::china_minute(&self.disclosed_at) {
                None if self.disclosed_at.trim().is_empty() => Err(Rule::Required),
                None => Err(Rule::Format),
                Some(t) if t > now => Err(Rule::OutOfRange),
                Some(t) => Ok(t),
            },
        );
        let tell = check(
            &mut errs,
            "tell",
            match self.tell.trim() {
                "yes" => Ok(true),
                "no" => Ok(false),
                _ => Err(Rule::Required),
            },
        );
        // Not telling is the exception: it needs its reason (the law that forbids it).
        let tell_reason = match (tell, self.tell_reason.trim()) {
            (Some(false), "") => {
                errs.push(FieldError::new("tell_reason", Rule::Required));
                None
            }
            (_, r) => check(
                &mut errs,
                "tell_reason",
                if r.is_empty() {
                    Ok(String::new())
                } else {
                    parse_multiline(r, REASON_MAX)
                },
            ),
        };
        match (
            authority,
            ground,
            legal_basis,
            document_ref,
            fields,
            credit_code,
            person_mobile,
            disclosed_at,
            tell,
            tell_reason,
        ) {
            (
                Some(authority),
                Some(ground),
                Some(legal_basis),
                Some(document_ref),
                Some(fields),
                Some(credit_code),
                Some(person_mobile),
                Some(disclosed_at),
                Some(tell),
                Some(tell_reason),
            ) if errs.is_empty() => Ok(DisclosureDraft {
                authority,
                ground,
                legal_basis,
                document_ref,
                fields,
                credit_code,
                person_mobile,
                disclosed_at,
                tell,
                tell_reason,
            }),
            _ => Err(errs),
        }
    }
}

/// One disclosure as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureView {
    pub id: String,
    pub authority: String,
    pub ground: DisclosureGround,
    pub legal_basis: String,
    pub document_ref: String,
    pub fields: Vec<String>,
    /// The enterprise's name and credit code.
    pub enterprise: String,
    /// The login person's masked name (empty: the enterprise's own information).
    pub person: String,
    pub disclosed_at: UtcMillis,
    pub tell: bool,
    pub tell_reason: String,
    pub status: DisclosureStatus,
    pub recorded_by: String,
    pub recorded_at: UtcMillis,
    /// The second officer who decided, and when.
    pub decided_by: Option<String>,
    pub decided_at: Option<UtcMillis>,
    pub reject_reason: String,
    /// Whether the caller may approve it (pending, and recorded by someone else).
    pub can_approve: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> DisclosureForm {
        DisclosureForm {
            authority: "某市公安局经济犯罪侦查支队".into(),
            ground: "criminal_justice".into(),
            legal_basis: "《刑事诉讼法》第五十四条".into(),
            document_ref: "（2026）某公经调字第 12 号".into(),
            fields: "payment_orders.payee_name\npayment_orders.amount, payment_orders.amount"
                .into(),
            credit_code: "91350100M000100Y43".into(),
            person_mobile: String::new(),
            disclosed_at: "2026-11-30T10:00".into(),
            tell: "no".into(),
            tell_reason: "侦查期间依法不得告知".into(),
        }
    }

    const NOW: UtcMillis = UtcMillis(1_800_000_000_000);

    /// P3.1.2: the record names the authority, the ground, the law, the document, the fields
    /// and the subject; not telling needs a reason.
    #[test]
    fn p3_1_2_a_disclosure_record_is_complete() {
        let d = form().parse(NOW).expect("a complete record");
        assert_eq!(d.ground, DisclosureGround::CriminalJustice);
        assert_eq!(
            d.fields,
            ["payment_orders.payee_name", "payment_orders.amount"]
        );
        assert!(!d.tell);

        let bad = DisclosureForm {
            authority: " ".into(),
            ground: "because".into(),
            fields: "payment_orders.payee_name\nusers.shoe_size".into(),
            person_mobile: "123".into(),
            disclosed_at: "2099-01-01T00:00".into(),
            tell_reason: " ".into(),
            ..form()
        };
        let errs = bad.parse(NOW).expect_err("refused");
        let rules: Vec<(&str, Rule)> = errs.iter().map(|e| (e.field.as_str(), e.rule)).collect();
        assert_eq!(
            rules,
            [
                ("authority", Rule::Required),
                ("ground", Rule::Required),
                ("fields", Rule::UnknownField),
                ("person_mobile", Rule::Format),
                ("disclosed_at", Rule::OutOfRange),
                ("tell_reason", Rule::Required),
            ]
        );
        // Telling needs no reason.
        let told = DisclosureForm {
            tell: "yes".into(),
            tell_reason: String::new(),
            ..form()
        };
        assert!(told.parse(NOW).expect("told").tell);
    }

    /// Four eyes: the recorder cannot approve; a second officer can; a decided one stays.
    #[test]
    fn p3_1_2_four_eyes() {
        use DisclosureStatus as S;
        assert_eq!(
            disclosure_next(S::Pending, Decision::Approve, "a", "a"),
            Err(Conflict::SecondOfficerNeeded)
        );
        assert_eq!(
            disclosure_next(S::Pending, Decision::Approve, "a", "b"),
            Ok(S::Approved)
        );
        assert_eq!(
            disclosure_next(S::Pending, Decision::Reject, "a", "a"),
            Ok(S::Rejected)
        );
        for s in [S::Approved, S::Rejected] {
            assert_eq!(
                disclosure_next(s, Decision::Approve, "a", "b"),
                Err(Conflict::AlreadyDone)
            );
        }
    }
}
