//! Security incidents (P5.5): the record a privacy officer keeps, who is affected, and what
//! each affected person was told. Shared by the console's form (the browser checks with the
//! server's rules) and the server.

use super::credit_code::CreditCode;
use super::outbox::OutboxStatus;
use super::{Bilingual, UtcMillis};
use crate::error::{FieldError, Rule};
use serde::{Deserialize, Serialize};

pub const TEXT_MAX: u32 = 4000;
pub const TITLE_MAX: u32 = 120;

/// An incident as the officer writes it, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentDraft {
    pub title: Bilingual,
    pub what_happened: String,
    pub discovered_at: UtcMillis,
    pub impact: String,
    pub measures: String,
    /// What affected people should do: sent to them, in their language.
    pub advice: Bilingual,
    pub remedies: String,
    /// When it was reported to the regulator, if it was.
    pub reported_at: Option<UtcMillis>,
    /// The affected enterprises, by credit code.
    pub enterprises: Vec<CreditCode>,
}

/// The form's fields, as they arrive.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentForm {
    pub title_zh: String,
    pub title_en: String,
    pub what_happened: String,
    pub discovered_at: String,
    pub impact: String,
    pub measures: String,
    pub advice_zh: String,
    pub advice_en: String,
    pub remedies: String,
    pub reported_at: String,
    /// Credit codes, one per line (or separated by commas).
    pub enterprises: String,
}

impl IncidentForm {
    /// Checks every field; all problems at once, each under its field.
    pub fn parse(&self) -> Result<IncidentDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut text = |field: &str, value: &str, max: u32| {
            let v = value.trim();
            if v.is_empty() {
                errors.push(FieldError::new(field, Rule::Required));
            } else if v.chars().count() > max as usize {
                errors.push(FieldError::new(field, Rule::TooLong { max }));
            }
            v.to_string()
        };
        let title = Bilingual::new(
            text("title_zh", &self.title_zh, TITLE_MAX),
            text("title_en", &self.title_en, TITLE_MAX),
        );
        let what_happened = text("what_happened", &self.what_happened, TEXT_MAX);
        let impact = text("impact", &self.impact, TEXT_MAX);
        let measures = text("measures", &self.measures, TEXT_MAX);
        let advice = Bilingual::new(
            text("advice_zh", &self.advice_zh, TEXT_MAX),
            text("advice_en", &self.advice_en, TEXT_MAX),
        );
        let remedies = text("remedies", &self.remedies, TEXT_MAX);
        let discovered_at = UtcMillis::china_minute(&self.discovered_at);
        if discovered_at.is_none() {
            errors.push(FieldError::new("discovered_at", Rule::Format));
        }
        let reported_at = match self.reported_at.trim() {
            "" => None,
            at => {
                let t = UtcMillis::china_minute(at);
                if t.is_none() {
                    errors.push(FieldError::new("reported_at", Rule::Format));
                }
                t
            }
        };
        let mut enterprises = Vec::new();
        for code in self
            .enterprises
            .split(['\n', ',', '，', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            // The shape only: an account admitted despite a failing check character exists.
            match CreditCode::parse_shape(code) {
                Ok(c) if !enterprises.contains(&c) => enterprises.push(c),
                Ok(_) => {}
                Err(rule) => {
                    errors.push(FieldError::new("enterprises", rule));
                    break;
                }
            }
        }
        if enterprises.is_empty() && !errors.iter().any(|e| e.field == "enterprises") {
            errors.push(FieldError::new("enterprises", Rule::Required));
        }
        match discovered_at {
            Some(discovered_at) if errors.is_empty() => Ok(IncidentDraft {
                title,
                what_happened,
                discovered_at,
                impact,
                measures,
                advice,
                remedies,
                reported_at,
                enterprises,
            }),
            _ => Err(errors),
        }
    }
}

/// One change in an incident's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: UtcMillis,
    pub actor: String,
    pub what: String,
}

/// What one affected person was told, and how it went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonResult {
    pub name: String,
    pub enterprise: String,
    /// `None` until notified.
    pub read_at: Option<UtcMillis>,
    pub in_site: bool,
    pub email: Option<OutboxStatus>,
    pub sms: Option<OutboxStatus>,
}

/// An incident as the console shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    pub id: String,
    /// The notice each affected person gets, exactly (the preview before sending).
    pub notice_title: Bilingual,
    pub notice_body: Bilingual,
    pub form: IncidentForm,
    pub discovered_at: UtcMillis,
    pub enterprise_names: Vec<String>,
    /// How many active login persons the affected enterprises have now.
    pub affected: u32,
    /// How many of them have not been told yet (all, before the first notice).
    pub untold: u32,
    pub notified_at: Option<UtcMillis>,
    /// The public incident announcement, once published.
    pub announcement_id: Option<String>,
    pub timeline: Vec<TimelineEntry>,
    pub results: Vec<PersonResult>,
    pub created_at: UtcMillis,
}

/// A line of the incident list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentSummary {
    pub id: String,
    pub title: Bilingual,
    pub discovered_at: UtcMillis,
    pub notified_at: Option<UtcMillis>,
    pub announced: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> IncidentForm {
        IncidentForm {
            title_zh: "数据泄露".into(),
            title_en: "Data leak".into(),
            what_happened: "x".into(),
            discovered_at: "2026-11-30T09:00".into(),
            impact: "x".into(),
            measures: "x".into(),
            advice_zh: "请修改密码".into(),
            advice_en: "Change your password".into(),
            remedies: "x".into(),
            reported_at: String::new(),
            enterprises: "91350100M000100Y43\n91350100M000100Y43".into(),
        }
    }

    /// P5.5: the record needs every part the policy names, and real credit codes.
    #[test]
    fn p5_5_a_record_needs_every_part_and_valid_enterprises() {
        let ok = form().parse().unwrap();
        assert_eq!(ok.enterprises.len(), 1, "a repeated code counts once");
        let mut bad = form();
        bad.impact = " ".into();
        bad.discovered_at = "yesterday".into();
        // Not the shape of a credit code (17 characters); a failing check character alone is
        // accepted, as the enterprise may have been admitted with it.
        bad.enterprises = "91350100M000100Y4".into();
        let fields: Vec<_> = bad
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["impact", "discovered_at", "enterprises"]);
        let mut none = form();
        none.enterprises = String::new();
        assert_eq!(none.parse().unwrap_err()[0].field, "enterprises");
        let mut admitted = form();
        admitted.enterprises = "91350100M000100Y4X".into();
        assert!(admitted.parse().is_ok());
    }
}
