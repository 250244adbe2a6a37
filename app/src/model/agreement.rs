//! Versions of the worker service agreement (签约; issue 18 §2). The platform publishes a new
//! version from the console (the privacy officer, who publishes the policies); it applies to a
//! worker once they sign it (the agreement's §6), and every worker who holds a signature of an
//! earlier version is told by text, with a link to read and sign the new one. Pure rules,
//! shared by the browser and the server.

use super::error::{AppError, FieldError};
use super::policy_change::{text_field, VersionLabel};
use super::UtcMillis;
use serde::{Deserialize, Serialize};

/// The most characters of each language's text.
pub const AGREEMENT_MAX: usize = 20_000;

/// A new version as the console's form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementInput {
    pub version: String,
    pub content_zh: String,
    pub content_en: String,
}

/// Checks a new version: a label newer than the newest published one (`latest`), and both
/// texts, each different from the newest version's (a new version changes something).
pub fn check_agreement(
    input: &AgreementInput,
    latest: Option<(&str, &str, &str)>,
) -> Result<VersionLabel, AppError> {
    let mut errors = Vec::new();
    let label = VersionLabel::parse(&input.version);
    match (&label, latest.and_then(|(v, ..)| VersionLabel::parse(v))) {
        (None, _) => errors.push(FieldError::new("version", super::error::Rule::Format)),
        (Some(new), Some(old)) if *new <= old => {
            errors.push(FieldError::new("version", super::error::Rule::NotNewer))
        }
        _ => {}
    }
    text_field(&mut errors, "content_zh", &input.content_zh, AGREEMENT_MAX);
    text_field(&mut errors, "content_en", &input.content_en, AGREEMENT_MAX);
    if let Some((_, zh, en)) = latest {
        if errors.is_empty()
            && input.content_zh.trim() == zh.trim()
            && input.content_en.trim() == en.trim()
        {
            errors.push(FieldError::new("content_zh", super::error::Rule::Unchanged));
        }
    }
    match label {
        Some(label) if errors.is_empty() => Ok(label),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// A published version, as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementVersion {
    pub id: String,
    pub version: String,
    pub content_zh: String,
    pub content_en: String,
    /// SHA-256 of the two texts (zh, a line holding NUL, en): what was signed is provable.
    pub content_hash: String,
    pub published_at: UtcMillis,
    /// The operator who published it (empty for the first version, shipped with the product).
    pub published_by: String,
    /// Workers whose signature in force is of this version.
    pub signed: i64,
    /// Workers the platform texted about this version when it was published.
    pub told: i64,
}

/// The console's page: every version, newest (the one workers sign now) first, and how many
/// workers a new version would be texted to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementAdmin {
    pub versions: Vec<AgreementVersion>,
    pub signed_workers: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::error::Rule;

    fn input(version: &str, zh: &str, en: &str) -> AgreementInput {
        AgreementInput {
            version: version.into(),
            content_zh: zh.into(),
            content_en: en.into(),
        }
    }

    fn rules(r: Result<VersionLabel, AppError>) -> Vec<(String, Rule)> {
        match r {
            Err(AppError::Invalid(errors)) => {
                errors.into_iter().map(|e| (e.field, e.rule)).collect()
            }
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_new_agreement_version_is_newer_and_changes_both_texts() {
        let latest = Some(("1.0", "甲", "A"));
        assert!(check_agreement(&input("1.1", "乙", "B"), latest).is_ok());
        assert!(check_agreement(&input("2", "甲", "B"), latest).is_ok());
        assert_eq!(
            rules(check_agreement(&input("1.0", "乙", "B"), latest)),
            vec![("version".into(), Rule::NotNewer)]
        );
        assert_eq!(
            rules(check_agreement(&input("v2", "乙", "B"), latest)),
            vec![("version".into(), Rule::Format)]
        );
        assert_eq!(
            rules(check_agreement(&input("1.1", " ", ""), latest)),
            vec![
                ("content_zh".into(), Rule::Required),
                ("content_en".into(), Rule::Required)
            ]
        );
        assert_eq!(
            rules(check_agreement(&input("1.1", "甲", "A "), latest)),
            vec![("content_zh".into(), Rule::Unchanged)]
        );
        let long = "字".repeat(AGREEMENT_MAX + 1);
        assert_eq!(
            rules(check_agreement(&input("1.1", &long, "B"), latest)),
            vec![(
                "content_zh".into(),
                Rule::TooLong {
                    max: AGREEMENT_MAX as u32
                }
            )]
        );
        assert!(check_agreement(&input("0.1", "乙", "B"), None).is_ok());
    }
}
