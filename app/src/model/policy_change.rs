//! New policy versions (P0.1, P0.4, P9): the draft the privacy officer writes, the rules for
//! scheduling it, the block diff against the version in force, and what a user is shown before
//! and after it takes effect. Pure rules, shared by the browser and the server.

use super::policy::{blocks, Block, PolicyKind, PolicyVersion};
use super::UtcMillis;
use crate::model::error::{AppError, FieldError, Rule};
use serde::{Deserialize, Serialize};

/// Where a version is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyStatus {
    /// Being written; not public.
    Draft,
    /// Public from its publish date, in force from its effective date.
    Published,
    /// Cancelled before it took effect.
    Withdrawn,
}

super::codes!(PolicyStatus { Draft => "draft", Published => "published", Withdrawn => "withdrawn" });

pub const VERSION_MAX: usize = 16;
pub const SUMMARY_MAX: usize = 2_000;
pub const CONTENT_MAX: usize = 100_000;
/// The default notice period of a material change, in days (P9; `--policy-notice-days`).
pub const DEFAULT_NOTICE_DAYS: u32 = 7;
/// How long after it takes effect a new version is still announced.
pub const RECENT_NOTICE_DAYS: i64 = 30;
const DAY_MS: i64 = 86_400_000;

/// A draft as the officer submits it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftInput {
    pub version: String,
    pub material: bool,
    pub summary_zh: String,
    pub summary_en: String,
    pub content_zh: String,
    pub content_en: String,
}

impl From<&PolicyVersion> for DraftInput {
    /// A stored draft, to check again before it is published.
    fn from(doc: &PolicyVersion) -> Self {
        DraftInput {
            version: doc.version.clone(),
            material: doc.material,
            summary_zh: doc.summary_zh.clone(),
            summary_en: doc.summary_en.clone(),
            content_zh: doc.content_zh.clone(),
            content_en: doc.content_en.clone(),
        }
    }
}

/// A version label: digits separated by dots (`1.1`, `2.0.1`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct VersionLabel(Vec<u32>);

impl VersionLabel {
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.is_empty() || s.len() > VERSION_MAX {
            return None;
        }
        s.split('.')
            .map(|p| {
                (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| p.parse().ok())
                    .flatten()
            })
            .collect::<Option<Vec<u32>>>()
            .map(VersionLabel)
    }
}

impl std::fmt::Display for VersionLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(u32::to_string).collect();
        f.write_str(&parts.join("."))
    }
}

/// A required text field of at most `max` characters.
pub fn text_field(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) {
    let len = value.trim().chars().count();
    if len == 0 {
        errors.push(FieldError::new(field, Rule::Required));
    } else if len > max {
        errors.push(FieldError::new(field, Rule::TooLong { max: max as u32 }));
    }
}

/// Checks a draft: a version label newer than every published one (`latest`), both summaries,
/// both contents in the document format with a heading, and as many important clauses in
/// English as in Chinese (P0.4: the same clauses are bold in both).
pub fn check_draft(input: &DraftInput, latest: Option<&str>) -> Result<VersionLabel, AppError> {
    let mut errors = Vec::new();
    let label = VersionLabel::parse(&input.version);
    match (&label, latest.and_then(VersionLabel::parse)) {
        (None, _) => errors.push(FieldError::new("version", Rule::Format)),
        (Some(new), Some(old)) if *new <= old => {
            errors.push(FieldError::new("version", Rule::NotNewer))
        }
        _ => {}
    }
    text_field(&mut errors, "summary_zh", &input.summary_zh, SUMMARY_MAX);
    text_field(&mut errors, "summary_en", &input.summary_en, SUMMARY_MAX);
    for (field, content) in [
        ("content_zh", &input.content_zh),
        ("content_en", &input.content_en),
    ] {
        text_field(&mut errors, field, content, CONTENT_MAX);
        let has_heading = blocks(content)
            .iter()
            .any(|b| matches!(b, Block::Heading(_)));
        if !content.trim().is_empty() && !has_heading {
            errors.push(FieldError::new(field, Rule::Format));
        }
    }
    let important = |c: &str| super::policy::important_clauses(c).len();
    if important(&input.content_zh) != important(&input.content_en)
        && !errors.iter().any(|e| e.field.starts_with("content"))
    {
        errors.push(FieldError::new("content_en", Rule::Mismatch));
    }
    match label {
        Some(label) if errors.is_empty() => Ok(label),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Checks the effective date of a version being scheduled (P9). A material change needs
/// `notice_days` full days of notice; any change takes effect after the one in force
/// (`current_effective`) and not in the past; today means from now.
pub fn check_schedule(
    material: bool,
    effective_at: Option<UtcMillis>,
    now: UtcMillis,
    notice_days: u32,
    current_effective: UtcMillis,
) -> Result<UtcMillis, AppError> {
    let Some(at) = effective_at else {
        return Err(AppError::invalid("effective_date", Rule::Format));
    };
    if at.0 < now.china_day_floor().0 {
        return Err(AppError::invalid("effective_date", Rule::OutOfRange));
    }
    // Today (China time) means from now on.
    let at = UtcMillis(at.0.max(now.0));
    if material && at.0 < now.0 + i64::from(notice_days) * DAY_MS {
        return Err(AppError::invalid(
            "effective_date",
            Rule::NoticeTooShort { days: notice_days },
        ));
    }
    if at.0 <= current_effective.0 {
        return Err(AppError::invalid("effective_date", Rule::OutOfRange));
    }
    Ok(at)
}

/// The earliest date (China time, `YYYY-MM-DD`) a material change may take effect.
pub fn earliest_material_date(now: UtcMillis, notice_days: u32) -> String {
    let at = UtcMillis(now.0 + i64::from(notice_days) * DAY_MS);
    let floor = at.china_day_floor();
    let day = if floor.0 < at.0 {
        UtcMillis(floor.0 + DAY_MS)
    } else {
        floor
    };
    day.china_date()
}

/// How a block changed between two versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Same,
    Added,
    Removed,
}

/// One block of a diff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffBlock {
    pub change: Change,
    pub heading: bool,
    pub important: bool,
    pub text: String,
}

/// The block-by-block difference between two documents (longest common subsequence): what
/// the new version removed and added, in reading order.
pub fn diff(old: &str, new: &str) -> Vec<DiffBlock> {
    let a = blocks(old);
    let b = blocks(new);
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the common length of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let block = |change, blk: &Block<'_>| match *blk {
        Block::Heading(h) => DiffBlock {
            change,
            heading: true,
            important: false,
            text: h.to_string(),
        },
        Block::Paragraph { text, important } => DiffBlock {
            change,
            heading: false,
            important,
            text: text.to_string(),
        },
    };
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n.max(m));
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(block(Change::Same, &a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(block(Change::Removed, &a[i]));
            i += 1;
        } else {
            out.push(block(Change::Added, &b[j]));
            j += 1;
        }
    }
    out
}

/// Where a version stands, as the console shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyStanding {
    Draft,
    /// Published, waiting for its effective date.
    Scheduled,
    /// The version in force.
    InForce,
    /// Was in force; a later one is now.
    Superseded,
    Withdrawn,
}

impl PolicyStanding {
    /// `current`: this is the version of its document in force now.
    pub fn of(
        status: PolicyStatus,
        effective_at: UtcMillis,
        now: UtcMillis,
        current: bool,
    ) -> Self {
        match status {
            PolicyStatus::Draft => PolicyStanding::Draft,
            PolicyStatus::Withdrawn => PolicyStanding::Withdrawn,
            PolicyStatus::Published if effective_at > now => PolicyStanding::Scheduled,
            PolicyStatus::Published if current => PolicyStanding::InForce,
            PolicyStatus::Published => PolicyStanding::Superseded,
        }
    }
}

/// A version as the console lists and edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyAdminItem {
    pub doc: PolicyVersion,
    pub status: PolicyStatus,
    pub standing: PolicyStanding,
}

/// The console's policy page: every version of each kind, and the notice period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyAdminList {
    pub items: Vec<PolicyAdminItem>,
    pub notice_days: u32,
    pub earliest_material_date: String,
}

/// One draft being edited, with the version in force to compare against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDraftView {
    pub item: PolicyAdminItem,
    pub current: PolicyVersion,
    pub notice_days: u32,
    pub earliest_material_date: String,
}

/// A published version announced to users: before it takes effect, and for a while after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyNotice {
    pub kind: PolicyKind,
    pub version: String,
    pub material: bool,
    pub published_at: UtcMillis,
    pub effective_at: UtcMillis,
    pub summary_zh: String,
    pub summary_en: String,
    /// It has taken effect (the notice then says "updated" rather than "will change").
    pub in_force: bool,
}

impl PolicyNotice {
    pub fn summary(&self, lang: crate::model::Lang) -> &str {
        match lang {
            crate::model::Lang::ZhCn => &self.summary_zh,
            crate::model::Lang::En => &self.summary_en,
        }
    }
    /// The version's public page, at the summary and diff.
    pub fn changes_href(&self) -> String {
        format!("{}/versions/{}#changes", self.kind.path(), self.version)
    }
    pub fn href(&self) -> String {
        format!("{}/versions/{}", self.kind.path(), self.version)
    }
}

/// A login person who has not accepted the material versions in force (P9). Until they do,
/// only the privacy centre, the re-consent page, account security and logout are open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyGate {
    /// They were asked and declined (they are sent to the privacy centre, not asked again at
    /// every page).
    pub declined_at: Option<UtcMillis>,
}

/// A user's answer on the re-consent page (P9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyAnswer {
    Accept,
    Decline,
}

super::codes!(PolicyAnswer { Accept => "accept", Decline => "decline" });

/// Portal pages an applicant (a login person without a business account yet) may open: the
/// privacy centre and its requests (issue 16: their rights do not wait for an account).
pub fn open_to_applicants(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    path == "/portal/privacy" || path.starts_with("/portal/privacy/")
}

/// Portal paths open to a user who has not accepted the versions in force.
pub fn open_while_gated(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    [
        "/portal/privacy",
        "/portal/policy-update",
        "/portal/account",
    ]
    .iter()
    .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// The re-consent page: each version to accept, with its summary and important clauses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyUpdate {
    pub versions: Vec<PolicyVersion>,
    pub gate: Option<PolicyGate>,
    /// The versions in force the page asks about: accepting names them, so a version that
    /// takes effect while the user reads is never accepted unseen.
    pub privacy_id: String,
    pub terms_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str) -> UtcMillis {
        UtcMillis::china_day_start(d).unwrap()
    }

    fn draft() -> DraftInput {
        DraftInput {
            version: "1.1".into(),
            material: true,
            summary_zh: "新增第十一节。".into(),
            summary_en: "Adds section 11.".into(),
            content_zh: "## 一\n\n!! 重要。\n\n普通。".into(),
            content_en: "## 1\n\n!! Important.\n\nPlain.".into(),
        }
    }

    fn fields(e: AppError) -> Vec<(String, Rule)> {
        match e {
            AppError::Invalid(v) => v.into_iter().map(|f| (f.field, f.rule)).collect(),
            other => panic!("{other:?}"),
        }
    }

    /// P0.1, P9: a new version has a newer label, summaries of the change in both languages,
    /// and (P0.4) the same important clauses in both.
    #[test]
    fn p9_draft_rules() {
        assert_eq!(
            check_draft(&draft(), Some("1.0")).unwrap().to_string(),
            "1.1"
        );
        let older = DraftInput {
            version: "1.0".into(),
            ..draft()
        };
        assert_eq!(
            fields(check_draft(&older, Some("1.0")).unwrap_err()),
            vec![("version".into(), Rule::NotNewer)]
        );
        assert!(check_draft(
            &DraftInput {
                version: "1.10".into(),
                ..draft()
            },
            Some("1.9")
        )
        .is_ok());
        for bad in ["", "v2", "1..2", "1.x", "12345678901234567"] {
            let d = DraftInput {
                version: bad.into(),
                ..draft()
            };
            assert_eq!(
                fields(check_draft(&d, None).unwrap_err())[0],
                ("version".into(), Rule::Format),
                "{bad}"
            );
        }
        let d = DraftInput {
            summary_en: " ".into(),
            content_zh: "没有标题。".into(),
            ..draft()
        };
        assert_eq!(
            fields(check_draft(&d, None).unwrap_err()),
            vec![
                ("summary_en".into(), Rule::Required),
                ("content_zh".into(), Rule::Format)
            ]
        );
        let d = DraftInput {
            content_en: "## 1\n\nImportant, but not marked.".into(),
            ..draft()
        };
        assert_eq!(
            fields(check_draft(&d, None).unwrap_err()),
            vec![("content_en".into(), Rule::Mismatch)]
        );
    }

    /// P9: a material change is announced at least the notice period ahead; no version takes
    /// effect in the past or before the one in force.
    #[test]
    fn p9_scheduling_rules() {
        let now = day("2026-11-29").plus_minutes(10 * 60);
        let current = day("2026-01-01");
        let ok = |material, d| check_schedule(material, Some(day(d)), now, 7, current);
        assert!(ok(true, "2026-12-06").is_err(), "6.6 days is less than 7");
        assert_eq!(ok(true, "2026-12-07").unwrap(), day("2026-12-07"));
        assert_eq!(earliest_material_date(now, 7), "2026-12-07");
        assert_eq!(
            fields(ok(true, "2026-12-01").unwrap_err()),
            vec![("effective_date".into(), Rule::NoticeTooShort { days: 7 })]
        );
        // Not material: any day from today on; today means now.
        assert_eq!(ok(false, "2026-11-29").unwrap(), now);
        assert_eq!(
            fields(ok(false, "2026-11-28").unwrap_err())[0].1,
            Rule::OutOfRange
        );
        assert!(check_schedule(false, Some(day("2026-11-30")), now, 7, day("2026-11-30")).is_err());
        assert!(check_schedule(false, None, now, 7, current).is_err());
        // A configured period of 0 days allows a material change today.
        assert!(check_schedule(true, Some(day("2026-11-29")), now, 0, current).is_ok());
    }

    #[test]
    fn p9_diff_shows_removed_and_added_blocks_in_order() {
        let old = "## A\n\nkeep\n\n!! old rule\n\ntail";
        let new = "## A\n\nkeep\n\n!! new rule\n\ntail\n\nmore";
        let d: Vec<(Change, String)> = diff(old, new)
            .into_iter()
            .map(|b| (b.change, b.text))
            .collect();
        assert_eq!(
            d,
            vec![
                (Change::Same, "A".to_string()),
                (Change::Same, "keep".into()),
                (Change::Removed, "old rule".into()),
                (Change::Added, "new rule".into()),
                (Change::Same, "tail".into()),
                (Change::Added, "more".into()),
            ]
        );
        assert!(diff(old, old).iter().all(|b| b.change == Change::Same));
    }

    #[test]
    fn p9_gated_users_keep_the_privacy_centre_and_account_security() {
        for open in [
            "/portal/privacy",
            "/portal/privacy/",
            "/portal/policy-update",
            "/portal/account",
        ] {
            assert!(open_while_gated(open), "{open}");
        }
        for closed in [
            "/portal",
            "/portal/funds",
            "/portal/privacyx",
            "/portal/business/members",
        ] {
            assert!(!open_while_gated(closed), "{closed}");
        }
    }
}
