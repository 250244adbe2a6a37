//! The business-account application and its admission review (P1.1.1): the form's rules,
//! the review's state machine and the upload rules. Shared, so the browser checks the same
//! rules (the credit code's check character included) before anything is sent.

use crate::model::credit_code::CreditCode;
use crate::model::error::{FieldError, Rule};
use crate::model::form::{check, parse_multiline, parse_text};
use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Being filled in; never submitted.
    Draft,
    /// Waiting for a reviewer.
    Submitted,
    /// The reviewer asked for more material; the applicant edits and resubmits.
    MoreInfo,
    /// Refused with a reason; the applicant may correct and resubmit.
    Rejected,
    /// The business account is open.
    Approved,
}

super::codes!(ApplicationStatus {
    Draft => "draft",
    Submitted => "submitted",
    MoreInfo => "more_info",
    Rejected => "rejected",
    Approved => "approved",
});

impl ApplicationStatus {
    /// The applicant may change the application and its files.
    pub fn editable(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Draft | ApplicationStatus::MoreInfo | ApplicationStatus::Rejected
        )
    }
    /// The status after `decision`, if a reviewer may take it now.
    pub fn after(self, decision: Decision) -> Option<ApplicationStatus> {
        match (self, decision) {
            (ApplicationStatus::Submitted, Decision::Approve) => Some(ApplicationStatus::Approved),
            (ApplicationStatus::Submitted, Decision::Reject) => Some(ApplicationStatus::Rejected),
            (ApplicationStatus::Submitted, Decision::RequestMore) => {
                Some(ApplicationStatus::MoreInfo)
            }
            _ => None,
        }
    }
}

/// A reviewer's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
    RequestMore,
}

super::codes!(Decision { Approve => "approve", Reject => "reject", RequestMore => "request_more" });

/// What a reviewer's decision did, for the confirmation the reviewer reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionDone {
    pub decision: Decision,
    pub status: ApplicationStatus,
    pub enterprise_name: String,
    pub applicant_name: String,
    /// Where the applicant is told (masked).
    pub notified: String,
}

/// The application form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationInput {
    pub enterprise_name: String,
    pub credit_code: String,
    /// The applicant says an early code that fails the check character is genuine: it goes
    /// to the reviewer, who may accept it only explicitly, with a reason.
    pub credit_code_manual_check: bool,
    /// The applicant, told that the code already has an account, asks a reviewer to decide;
    /// the reviewer may approve only with a recorded reason.
    #[serde(default)]
    pub duplicate_review: bool,
    pub registered_address: String,
    pub business_scope: String,
    pub platform_name: String,
    pub platform_url: String,
    pub platform_description: String,
    pub outsourced_work: String,
}

/// The application form after parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationFields {
    pub enterprise_name: String,
    pub credit_code: CreditCode,
    pub credit_code_check_ok: bool,
    pub registered_address: String,
    pub business_scope: String,
    pub platform_name: String,
    pub platform_url: String,
    pub platform_description: String,
    pub outsourced_work: String,
}

impl ApplicationInput {
    /// Every rule of the form, all errors at once.
    pub fn parse(&self) -> Result<ApplicationFields, Vec<FieldError>> {
        let mut errs = Vec::new();
        let name = check(
            &mut errs,
            "enterprise_name",
            parse_text(&self.enterprise_name, 100),
        );
        let code = check(
            &mut errs,
            "credit_code",
            CreditCode::parse_shape(&self.credit_code).and_then(|c| {
                if c.check_ok() || self.credit_code_manual_check {
                    Ok(c)
                } else {
                    Err(Rule::CheckCharacter)
                }
            }),
        );
        let address = check(
            &mut errs,
            "registered_address",
            parse_multiline(&self.registered_address, 200),
        );
        let scope = check(
            &mut errs,
            "business_scope",
            parse_multiline(&self.business_scope, 1000),
        );
        let platform = check(
            &mut errs,
            "platform_name",
            parse_text(&self.platform_name, 100),
        );
        let url = check(
            &mut errs,
            "platform_url",
            parse_text(&self.platform_url, 200),
        );
        let desc = check(
            &mut errs,
            "platform_description",
            parse_multiline(&self.platform_description, 1000),
        );
        let work = check(
            &mut errs,
            "outsourced_work",
            parse_multiline(&self.outsourced_work, 500),
        );
        match (name, code, address, scope, platform, url, desc, work) {
            (Some(n), Some(c), Some(a), Some(s), Some(p), Some(u), Some(d), Some(w))
                if errs.is_empty() =>
            {
                Ok(ApplicationFields {
                    enterprise_name: n,
                    credit_code_check_ok: c.check_ok(),
                    credit_code: c,
                    registered_address: a,
                    business_scope: s,
                    platform_name: p,
                    platform_url: u,
                    platform_description: d,
                    outsourced_work: w,
                })
            }
            _ => Err(errs),
        }
    }
}

/// What a stored file is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilePurpose {
    /// 营业执照: one, JPEG, PNG or PDF.
    Licence,
    /// 作业场景照片: up to 9, JPEG or PNG.
    ScenePhoto,
    /// A new business licence for a correction of the enterprise's name or address (issue 16
    /// §4, P6.2): uploaded with the correction request, kept with the enterprise's application.
    CorrectionLicence,
}

super::codes!(FilePurpose {
    Licence => "licence",
    ScenePhoto => "scene_photo",
    CorrectionLicence => "correction_licence",
});

impl FilePurpose {
    /// How many files of this purpose an application may hold.
    pub fn max_count(self) -> usize {
        match self {
            FilePurpose::Licence | FilePurpose::CorrectionLicence => 1,
            FilePurpose::ScenePhoto => 9,
        }
    }
    /// Whether an applicant uploads it with the application (a correction's licence comes with
    /// its request).
    pub fn with_application(self) -> bool {
        self != FilePurpose::CorrectionLicence
    }
    pub fn allows(self, kind: FileKind) -> bool {
        match self {
            FilePurpose::Licence | FilePurpose::CorrectionLicence => true,
            FilePurpose::ScenePhoto => kind != FileKind::Pdf,
        }
    }
}

/// The largest accepted upload (10 MiB).
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// A file type recognised from the content's first bytes, never from the name or the
/// declared MIME type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Jpeg,
    Png,
    Pdf,
}

impl FileKind {
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else {
            None
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Pdf => "application/pdf",
        }
    }
    pub fn from_mime(s: &str) -> Option<Self> {
        [FileKind::Jpeg, FileKind::Png, FileKind::Pdf]
            .into_iter()
            .find(|k| k.mime() == s)
    }
}

/// A stored file as the applicant and the reviewer see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFileInfo {
    pub id: String,
    pub purpose: FilePurpose,
    pub kind: FileKind,
    pub size_bytes: i64,
    pub original_name: String,
    pub uploaded_at: UtcMillis,
}

/// An application as its applicant and the reviewers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: String,
    pub status: ApplicationStatus,
    pub input: ApplicationInput,
    pub credit_code_check_ok: bool,
    /// For the reviewer: whether the code is a duplicate, and of what.
    #[serde(default)]
    pub duplicates: Duplicates,
    pub reviewer_message: String,
    pub override_reason: String,
    pub files: Vec<StoredFileInfo>,
    pub submitted_at: Option<UtcMillis>,
    pub decided_at: Option<UtcMillis>,
    pub applicant_name: String,
}

/// Other holders of an application's credit code, flagged in the review queue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicates {
    /// Open enterprises that already hold the code (their names).
    pub registered: Vec<String>,
    /// Other applications with the code that wait for review.
    pub pending: u32,
}

impl Duplicates {
    pub fn any(&self) -> bool {
        !self.registered.is_empty() || self.pending > 0
    }
}

/// A row of the review queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    pub id: String,
    pub status: ApplicationStatus,
    pub enterprise_name: String,
    pub credit_code: String,
    pub credit_code_check_ok: bool,
    pub duplicates: Duplicates,
    pub submitted_at: Option<UtcMillis>,
}

/// P1.1.1: the application's rules and the review's state machine.
#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> ApplicationInput {
        ApplicationInput {
            enterprise_name: "测试科技有限公司".into(),
            credit_code: "91350100M000100Y43".into(),
            credit_code_manual_check: false,
            duplicate_review: false,
            registered_address: "福州市".into(),
            business_scope: "软件开发".into(),
            platform_name: "众包平台".into(),
            platform_url: "https://crowd.example.com".into(),
            platform_description: "连接企业与个人服务者".into(),
            outsourced_work: "数据标注".into(),
        }
    }

    #[test]
    fn p1_1_1_valid_form_parses() {
        let f = valid().parse().unwrap();
        assert!(f.credit_code_check_ok);
    }

    #[test]
    fn p1_1_1_wrong_check_character_needs_an_explicit_manual_check() {
        let mut input = valid();
        input.credit_code = "91350100M000100Y44".into();
        let errs = input.parse().unwrap_err();
        assert_eq!(
            errs,
            vec![FieldError::new("credit_code", Rule::CheckCharacter)]
        );
        input.credit_code_manual_check = true;
        assert!(!input.parse().unwrap().credit_code_check_ok);
    }

    #[test]
    fn p1_1_1_every_field_is_checked_at_once() {
        let errs = ApplicationInput::default().parse().unwrap_err();
        assert_eq!(errs.len(), 8);
    }

    #[test]
    fn p1_1_1_review_state_machine() {
        use ApplicationStatus::*;
        assert_eq!(Submitted.after(Decision::Approve), Some(Approved));
        assert_eq!(Submitted.after(Decision::RequestMore), Some(MoreInfo));
        assert_eq!(Submitted.after(Decision::Reject), Some(Rejected));
        for s in [Draft, MoreInfo, Rejected, Approved] {
            assert_eq!(s.after(Decision::Approve), None, "{s:?}");
        }
        assert!(Draft.editable() && MoreInfo.editable() && Rejected.editable());
        assert!(!Submitted.editable() && !Approved.editable());
    }

    #[test]
    fn p1_1_1_file_types_come_from_the_content() {
        assert_eq!(
            FileKind::sniff(b"\xFF\xD8\xFF\xE0rest"),
            Some(FileKind::Jpeg)
        );
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(FileKind::Png)
        );
        assert_eq!(FileKind::sniff(b"%PDF-1.7"), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(b"<script>alert(1)</script>"), None);
        assert_eq!(FileKind::sniff(b"GIF89a"), None);
        assert!(!FilePurpose::ScenePhoto.allows(FileKind::Pdf));
        assert!(FilePurpose::Licence.allows(FileKind::Pdf));
    }
}
