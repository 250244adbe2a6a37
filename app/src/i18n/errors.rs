//! The messages of [`AppError`] and [`Rule`]: the error types are data (`crate::error`); what a
//! user reads about them is here, with every other message.

use crate::error::{AppError, Rule};
use crate::i18n::{Lang, Msg, Translate};

impl Rule {
    pub fn message(self, lang: Lang) -> String {
        let base = match self {
            Rule::Required => Msg::RuleRequired,
            Rule::TooShort { .. } => Msg::RuleTooShort,
            Rule::TooLong { .. } => Msg::RuleTooLong,
            Rule::Format => Msg::RuleFormat,
            Rule::OutOfRange => Msg::RuleOutOfRange,
            Rule::Amount => Msg::RuleAmount,
            Rule::WeakPassword => Msg::RuleWeakPassword,
            Rule::CheckCharacter => Msg::RuleCheckCharacter,
            Rule::Taken => Msg::RuleTaken,
            Rule::MustAccept => Msg::RuleMustAccept,
            Rule::Mismatch => Msg::RuleMismatch,
            Rule::FileTooLarge { .. } => Msg::RuleFileTooLarge,
            Rule::FileType => Msg::RuleFileType,
            Rule::FileDamaged => Msg::RuleFileDamaged,
            Rule::ImageTooLarge => Msg::RuleImageTooLarge,
            Rule::PdfEncrypted => Msg::RulePdfEncrypted,
            Rule::TooMany { .. } => Msg::RuleTooMany,
            Rule::Encoding => Msg::RuleEncoding,
            Rule::Duplicate => Msg::RuleDuplicate,
            Rule::MissingColumn => Msg::RuleMissingColumn,
            Rule::NotNewer => Msg::RuleNotNewer,
            Rule::Unchanged => Msg::RuleUnchanged,
            Rule::NoticeTooShort { .. } => Msg::RuleNoticeTooShort,
            Rule::CreditCodeRegistered => Msg::RuleCreditCodeRegistered,
            Rule::Ambiguous => Msg::RuleAmbiguous,
            Rule::NotRegistered => Msg::RuleNotRegistered,
            Rule::Mandatory => Msg::RuleMandatory,
            Rule::UnknownField => Msg::RuleUnknownField,
            Rule::OutsideRegion => Msg::RuleOutsideRegion,
            Rule::PurposeFixed => Msg::RulePurposeFixed,
            Rule::ProductSends => Msg::RuleProductSends,
            Rule::NotMember => Msg::RuleNotMember,
            Rule::HttpsRequired => Msg::RuleHttpsRequired,
            Rule::PublicAddress => Msg::RulePublicAddress,
        }
        .text(lang);
        let limit = match self {
            Rule::TooShort { min } => crate::i18n::text::rule_at_least_chars(lang, min),
            Rule::TooLong { max } => crate::i18n::text::rule_at_most_chars(lang, max),
            Rule::FileTooLarge { max_mb } => crate::i18n::text::rule_at_most_mb(lang, max_mb),
            Rule::TooMany { max } => crate::i18n::text::rule_at_most_count(lang, max),
            Rule::NoticeTooShort { days } => crate::i18n::text::rule_at_least_days(lang, days),
            _ => String::new(),
        };
        format!("{base}{limit}")
    }
}

impl AppError {
    /// The message a user reads, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let key = match self {
            AppError::Invalid(_) | AppError::BadRequest(_) => Msg::ErrInvalid,
            AppError::Unauthenticated => Msg::ErrUnauthenticated,
            AppError::BadCredentials => Msg::ErrBadCredentials,
            AppError::AccountDisabled => Msg::ErrAccountDisabled,
            AppError::Locked { until } => {
                return crate::i18n::text::err_locked(lang, until.china_display());
            }
            AppError::Forbidden => Msg::ErrForbidden,
            AppError::PolicyNotAccepted => Msg::ErrPolicyNotAccepted,
            AppError::NotFound => Msg::ErrNotFound,
            AppError::Conflict(c) => return crate::i18n::conflict_text(*c, lang).to_string(),
            AppError::RateLimited => Msg::ErrRateLimited,
            AppError::Unavailable => Msg::ErrUnavailable,
            AppError::Network(_) => Msg::ErrNetwork,
            AppError::Internal { reference } => {
                return format!("{} {reference}", Msg::ErrInternal.text(lang));
            }
        };
        key.text(lang).to_string()
    }

    /// The inline error for `field`, if the input broke a rule there.
    pub fn field_message(&self, field: &str, lang: Lang) -> Option<String> {
        self.field_rule(field).map(|r| r.message(lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldError;

    #[test]
    fn messages_are_localised() {
        let e = AppError::Forbidden;
        assert_ne!(e.message(Lang::ZhCn), e.message(Lang::En));
        let internal = AppError::Internal {
            reference: "AB12".into(),
        };
        assert!(internal.message(Lang::En).ends_with("AB12"));
        assert!(internal.message(Lang::ZhCn).ends_with("AB12"));
    }

    #[test]
    fn field_messages_point_at_the_field() {
        let e = AppError::Invalid(vec![FieldError::new("email", Rule::TooLong { max: 254 })]);
        assert_eq!(e.field_message("name", Lang::En), None);
        assert_eq!(
            e.field_message("email", Lang::En).as_deref(),
            Some("This is too long (at most 254 characters)")
        );
    }
}
