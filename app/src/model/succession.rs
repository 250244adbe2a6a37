//! Transfers of personal information in a merger, an acquisition, a bankruptcy or an asset
//! transfer (issue 19; P3.2; the policy's §三.2): the privacy officer records the successor,
//! what happens, on which basis — the successor is bound by this policy, or it must ask for
//! consent again, or the law requires the transfer — from when, and whose information it takes
//! (every enterprise, or those named). Recorded like sharing: the successor enters the register
//! and each affected enterprise's log, and every affected login person is told through the
//! messages capability. Pure rules, shared by the console's form and the server.

use super::credit_code::CreditCode;
use super::UtcMillis;
use crate::error::{FieldError, Rule};
use serde::{Deserialize, Serialize};

pub const SUCCESSOR_MAX: u32 = 100;
pub const SUMMARY_MAX: u32 = 1000;

/// What happens to the platform's operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuccessionKind {
    Merger,
    Acquisition,
    Bankruptcy,
    AssetTransfer,
}

super::codes!(SuccessionKind {
    Merger => "merger",
    Acquisition => "acquisition",
    Bankruptcy => "bankruptcy",
    AssetTransfer => "asset_transfer",
});

/// Why the transfer may happen (§三.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuccessionBasis {
    /// The successor is bound by this privacy policy.
    Bound,
    /// The successor is not bound: it must ask each person for consent again.
    Reconsent,
    /// Applicable law, legal procedure or a mandatory order requires it.
    Law,
}

super::codes!(SuccessionBasis {
    Bound => "bound",
    Reconsent => "reconsent",
    Law => "law",
});

/// The record's form, as it arrives.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuccessionForm {
    pub successor: String,
    pub kind: String,
    pub basis: String,
    /// China date (`YYYY-MM-DD`).
    pub effective_on: String,
    /// `on`: every enterprise's information goes; otherwise `enterprises` names them.
    pub everyone: String,
    /// Credit codes, one per line (or separated by commas).
    pub enterprises: String,
    pub summary_zh: String,
    pub summary_en: String,
}

/// A transfer as recorded, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuccessionDraft {
    pub successor: String,
    pub kind: SuccessionKind,
    pub basis: SuccessionBasis,
    pub effective_on: UtcMillis,
    /// Empty: every enterprise.
    pub enterprises: Vec<CreditCode>,
    pub summary: super::Bilingual,
}

impl SuccessionForm {
    /// Checks every field; all problems at once, each under its field.
    pub fn parse(&self) -> Result<SuccessionDraft, Vec<FieldError>> {
        use super::form::{check, parse_multiline, parse_text};
        let mut errs = Vec::new();
        let successor = check(
            &mut errs,
            "successor",
            parse_text(&self.successor, SUCCESSOR_MAX),
        );
        let kind = check(
            &mut errs,
            "kind",
            SuccessionKind::from_code(self.kind.trim()).ok_or(Rule::Required),
        );
        let basis = check(
            &mut errs,
            "basis",
            SuccessionBasis::from_code(self.basis.trim()).ok_or(Rule::Required),
        );
        let effective_on = check(
            &mut errs,
            "effective_on",
            UtcMillis::china_day_start(&self.effective_on).ok_or(Rule::Format),
        );
        let everyone = self.everyone.trim() == "on";
        let mut enterprises = Vec::new();
        if !everyone {
            for code in self
                .enterprises
                .split(['\n', ',', '，', ' '])
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                match CreditCode::parse_shape(code) {
                    Ok(c) if !enterprises.contains(&c) => enterprises.push(c),
                    Ok(_) => {}
                    Err(rule) => {
                        errs.push(FieldError::new("enterprises", rule));
                        break;
                    }
                }
            }
            if enterprises.is_empty() && !errs.iter().any(|e| e.field == "enterprises") {
                errs.push(FieldError::new("enterprises", Rule::Required));
            }
        }
        let zh = check(
            &mut errs,
            "summary_zh",
            parse_multiline(&self.summary_zh, SUMMARY_MAX),
        );
        let en = check(
            &mut errs,
            "summary_en",
            parse_multiline(&self.summary_en, SUMMARY_MAX),
        );
        match (successor, kind, basis, effective_on, zh, en) {
            (Some(successor), Some(kind), Some(basis), Some(effective_on), Some(zh), Some(en))
                if errs.is_empty() =>
            {
                Ok(SuccessionDraft {
                    successor,
                    kind,
                    basis,
                    effective_on,
                    enterprises,
                    summary: super::Bilingual::new(zh, en),
                })
            }
            _ => Err(errs),
        }
    }
}

/// One recorded transfer, as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuccessionView {
    pub id: String,
    pub successor: String,
    pub kind: SuccessionKind,
    pub basis: SuccessionBasis,
    pub effective_on: UtcMillis,
    pub summary: super::Bilingual,
    /// Affected enterprises, and the login persons told.
    pub enterprises: u32,
    pub told: u32,
    pub recorded_by: String,
    pub recorded_at: UtcMillis,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SuccessionForm {
        SuccessionForm {
            successor: "某某数字科技有限公司".into(),
            kind: "merger".into(),
            basis: "bound".into(),
            effective_on: "2027-01-01".into(),
            everyone: "on".into(),
            enterprises: String::new(),
            summary_zh: "本平台运营方与某某数字科技有限公司合并。".into(),
            summary_en: "The platform's operator merges into X Digital Technology.".into(),
        }
    }

    /// P3.2: a transfer names its successor, kind, basis, date and whose information.
    #[test]
    fn p3_2_a_transfer_record_is_complete() {
        let d = form().parse().expect("complete");
        assert!(d.enterprises.is_empty(), "every enterprise");
        assert_eq!(d.basis, SuccessionBasis::Bound);
        let named = SuccessionForm {
            everyone: String::new(),
            enterprises: "91350100M000100Y43, 91350100M000100Y43".into(),
            ..form()
        };
        assert_eq!(named.parse().expect("named").enterprises.len(), 1);
        let bad = SuccessionForm {
            successor: " ".into(),
            basis: "because".into(),
            everyone: String::new(),
            effective_on: "2027-13-01".into(),
            ..form()
        };
        let rules: Vec<(String, Rule)> = bad
            .parse()
            .expect_err("refused")
            .into_iter()
            .map(|e| (e.field, e.rule))
            .collect();
        assert_eq!(
            rules,
            [
                ("successor".to_string(), Rule::Required),
                ("basis".to_string(), Rule::Required),
                ("effective_on".to_string(), Rule::Format),
                ("enterprises".to_string(), Rule::Required),
            ]
        );
    }
}
