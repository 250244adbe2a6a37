//! Correction requests (issue 16 §4, P6.2): what can be corrected, the proposed values'
//! rules (the same as where the values are first entered), and which changes need a new
//! business licence. The reviewer applies the proposals or refuses the request with a reason;
//! the values before and after are kept and shown.

use super::RequestScope;
use crate::model::error::{FieldError, Rule};
use crate::model::form::{parse_multiline, parse_text};
use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

/// A value a correction request can change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionField {
    /// The login person's own name.
    PersonName,
    /// The enterprise's name (a new licence shows it).
    EnterpriseName,
    /// The enterprise's registered address (a new licence shows it).
    RegisteredAddress,
    /// The enterprise's business scope.
    BusinessScope,
}

super::super::codes!(CorrectionField {
    PersonName => "person_name",
    EnterpriseName => "enterprise_name",
    RegisteredAddress => "registered_address",
    BusinessScope => "business_scope",
});

impl CorrectionField {
    /// Whose information it is.
    pub fn scope(self) -> RequestScope {
        match self {
            CorrectionField::PersonName => RequestScope::Person,
            _ => RequestScope::Enterprise,
        }
    }

    /// The form field holding the proposed value.
    pub fn form_name(self) -> &'static str {
        match self {
            CorrectionField::PersonName => "new_name",
            CorrectionField::EnterpriseName => "new_enterprise_name",
            CorrectionField::RegisteredAddress => "new_registered_address",
            CorrectionField::BusinessScope => "new_business_scope",
        }
    }

    /// Whether the change needs a new business licence (the licence shows the value).
    pub fn needs_licence(self) -> bool {
        matches!(
            self,
            CorrectionField::EnterpriseName | CorrectionField::RegisteredAddress
        )
    }

    /// The proposed value, by the rules of where it is first entered (registration and the
    /// application).
    pub fn parse(self, input: &str) -> Result<String, Rule> {
        match self {
            CorrectionField::PersonName => {
                crate::model::account::PersonName::parse(input).map(|n| n.as_str().to_string())
            }
            CorrectionField::EnterpriseName => parse_text(input, 100),
            CorrectionField::RegisteredAddress => parse_multiline(input, 200),
            CorrectionField::BusinessScope => parse_multiline(input, 1000),
        }
    }
}

/// The proposed values of a correction form, `(field, raw input)`: those of the request's
/// scope that are filled in, each checked. A correction proposes at least one; a value of the
/// other scope is an error (the enterprise's details are corrected in an enterprise request).
pub fn parse_proposals(
    scope: RequestScope,
    inputs: &[(CorrectionField, String)],
) -> Result<Vec<(CorrectionField, String)>, Vec<FieldError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (field, raw) in inputs {
        if raw.trim().is_empty() {
            continue;
        }
        if field.scope() != scope {
            errors.push(FieldError::new(field.form_name(), Rule::Format));
            continue;
        }
        match field.parse(raw) {
            Ok(v) => out.push((*field, v)),
            Err(rule) => errors.push(FieldError::new(field.form_name(), rule)),
        }
    }
    if out.is_empty() && errors.is_empty() {
        let first = CorrectionField::ALL
            .iter()
            .find(|f| f.scope() == scope)
            .map_or("new_name", |f| f.form_name());
        errors.push(FieldError::new(first, Rule::Required));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// One proposed change as both sides see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionView {
    pub field: CorrectionField,
    /// The value now (while the request is open), or before it was applied.
    pub before: String,
    pub proposed: String,
    /// When it was applied (none while open, or when the request was refused or withdrawn).
    pub applied_at: Option<UtcMillis>,
}

/// A correction's proposals, and the new licence when one is needed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionDetail {
    pub changes: Vec<CorrectionView>,
    /// Whether a change needs a new business licence.
    pub needs_licence: bool,
    /// The uploaded licence (`/files/<id>`), if any.
    pub licence_file_id: Option<String>,
}

/// One applied correction in the enterprise's history (business info page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRecord {
    pub request_id: String,
    pub field: CorrectionField,
    pub before: String,
    pub after: String,
    pub applied_at: UtcMillis,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(field: CorrectionField, v: &str) -> (CorrectionField, String) {
        (field, v.to_string())
    }

    #[test]
    fn p6_2_proposals_follow_the_rules_of_their_fields_and_scope() {
        use CorrectionField as F;
        let ok = parse_proposals(
            RequestScope::Enterprise,
            &[
                p(F::EnterpriseName, " 新名称科技有限公司 "),
                p(F::RegisteredAddress, ""),
                p(F::BusinessScope, "软件开发；信息技术咨询"),
            ],
        )
        .unwrap();
        assert_eq!(
            ok,
            vec![
                p(F::EnterpriseName, "新名称科技有限公司"),
                p(F::BusinessScope, "软件开发；信息技术咨询")
            ]
        );
        // Nothing proposed.
        let none = parse_proposals(RequestScope::Person, &[p(F::PersonName, "  ")]).unwrap_err();
        assert_eq!(none, vec![FieldError::new("new_name", Rule::Required)]);
        // Another scope's value, and a value too long.
        let bad = parse_proposals(
            RequestScope::Person,
            &[p(F::PersonName, &"名".repeat(41)), p(F::BusinessScope, "x")],
        )
        .unwrap_err();
        assert_eq!(bad[0].field, "new_name");
        assert_eq!(bad[1], FieldError::new("new_business_scope", Rule::Format));
        assert!(F::EnterpriseName.needs_licence() && !F::BusinessScope.needs_licence());
    }
}
