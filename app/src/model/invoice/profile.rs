//! The invoice profile (开票信息, issue 17): who the buyer on an enterprise's invoices is, and
//! where its invoices go. Parsed here, so that the portal checks the form (the taxpayer ID as it
//! is typed) with the server's own rules.

use super::{InvoiceKind, TaxpayerType};
use crate::model::account::Email;
use crate::model::credit_code::CreditCode;
use crate::model::error::{FieldError, Rule};
use crate::model::form::{check, parse_text};
use crate::model::funds::parse_corporate_account;
use serde::{Deserialize, Serialize};

/// At most this many receiving e-mail addresses.
pub const MAX_EMAILS: usize = 5;

/// A taxpayer ID (纳税人识别号) as the profile takes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxpayerId {
    /// A unified social credit code whose check character is right (the shared rule,
    /// GB 32100-2015).
    CreditCode(CreditCode),
    /// Any other 15–20 letters and digits: an older 15-digit registration number, a legacy
    /// taxpayer ID, or an early credit code that fails its check. Accepted only once a reviewer
    /// overrides it with a reason — never silently.
    Legacy(String),
}

impl TaxpayerId {
    /// Normalises (spaces removed, upper case) and classifies.
    pub fn parse(input: &str) -> Result<TaxpayerId, Rule> {
        let id: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if id.is_empty() {
            return Err(Rule::Required);
        }
        if let Ok(code) = CreditCode::parse_shape(&id) {
            if code.check_ok() {
                return Ok(TaxpayerId::CreditCode(code));
            }
        }
        if (15..=20).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(TaxpayerId::Legacy(id))
        } else {
            Err(Rule::Format)
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            TaxpayerId::CreditCode(c) => c.as_str(),
            TaxpayerId::Legacy(s) => s,
        }
    }

    /// Whether a reviewer must accept it before invoices are issued to it.
    pub fn needs_override(&self) -> bool {
        matches!(self, TaxpayerId::Legacy(_))
    }
}

/// Where a profile's taxpayer ID stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxpayerIdState {
    /// A credit code that passes its check.
    Valid,
    /// A legacy ID waiting for a reviewer's override: no application is taken meanwhile.
    Pending,
    /// A legacy ID a reviewer accepted, with a recorded reason.
    Overridden,
    /// A legacy ID a reviewer refused, with a reason: the enterprise must correct it.
    Refused,
}

crate::model::codes!(TaxpayerIdState {
    Valid => "valid",
    Pending => "pending",
    Overridden => "overridden",
    Refused => "refused",
});

impl TaxpayerIdState {
    /// Invoices may be applied for.
    pub fn usable(self) -> bool {
        matches!(self, TaxpayerIdState::Valid | TaxpayerIdState::Overridden)
    }
}

/// A phone number as invoices print it (注册电话, a landline or a mobile): digits with
/// `+ - ( )` and spaces, 7 to 15 digits.
pub fn parse_phone(input: &str) -> Result<String, Rule> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Rule::Required);
    }
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let allowed = s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '(' | ')' | ' '));
    if allowed && (7..=15).contains(&digits) && s.len() <= 24 {
        Ok(s.to_string())
    } else {
        Err(Rule::Format)
    }
}

/// Up to [`MAX_EMAILS`] addresses, separated by commas, semicolons, spaces or lines;
/// duplicates refused. Empty is allowed here (an application decides whether it needs one).
pub fn parse_emails(input: &str) -> Result<Vec<Email>, Rule> {
    let mut out: Vec<Email> = Vec::new();
    for part in input
        .split([',', ';', '，', '；', ' ', '\n', '\r', '\t'])
        .filter(|p| !p.trim().is_empty())
    {
        let email = Email::parse(part)?;
        if out.contains(&email) {
            return Err(Rule::Duplicate);
        }
        out.push(email);
    }
    if out.len() > MAX_EMAILS {
        return Err(Rule::TooMany {
            max: MAX_EMAILS as u32,
        });
    }
    Ok(out)
}

/// The profile form as posted (one string per field).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub taxpayer_type: String,
    pub title: String,
    pub taxpayer_id: String,
    pub reg_address: String,
    pub reg_phone: String,
    pub bank_name: String,
    pub bank_account: String,
    pub mail_name: String,
    pub mail_phone: String,
    pub mail_address: String,
    pub emails: String,
}

/// A parsed profile. The title and taxpayer ID are required; the rest may be blank for
/// ordinary invoices ([`ProfileInput::complete_for`] says what a special one needs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileInput {
    pub taxpayer_type: TaxpayerType,
    pub title: String,
    pub taxpayer_id: TaxpayerId,
    pub reg_address: String,
    pub reg_phone: String,
    pub bank_name: String,
    pub bank_account: String,
    pub mail_name: String,
    pub mail_phone: String,
    pub mail_address: String,
    pub emails: Vec<Email>,
}

/// An optional text: blank, or within `max` characters.
fn optional(input: &str, max: u32) -> Result<String, Rule> {
    if input.trim().is_empty() {
        Ok(String::new())
    } else {
        parse_text(input, max)
    }
}

/// An optional value with its own rule when present.
fn optional_with(input: &str, rule: fn(&str) -> Result<String, Rule>) -> Result<String, Rule> {
    if input.trim().is_empty() {
        Ok(String::new())
    } else {
        rule(input)
    }
}

impl ProfileInput {
    pub fn parse(f: &ProfileForm) -> Result<ProfileInput, Vec<FieldError>> {
        let mut errs = Vec::new();
        let taxpayer_type = check(
            &mut errs,
            "taxpayer_type",
            TaxpayerType::from_code(f.taxpayer_type.trim()).ok_or(Rule::Required),
        );
        let title = check(&mut errs, "title", parse_text(&f.title, 100));
        let taxpayer_id = check(&mut errs, "taxpayer_id", TaxpayerId::parse(&f.taxpayer_id));
        let reg_address = check(&mut errs, "reg_address", optional(&f.reg_address, 200));
        let reg_phone = check(
            &mut errs,
            "reg_phone",
            optional_with(&f.reg_phone, parse_phone),
        );
        let bank_name = check(&mut errs, "bank_name", optional(&f.bank_name, 100));
        let bank_account = check(
            &mut errs,
            "bank_account",
            optional_with(&f.bank_account, parse_corporate_account),
        );
        let mail_name = check(&mut errs, "mail_name", optional(&f.mail_name, 40));
        let mail_phone = check(
            &mut errs,
            "mail_phone",
            optional_with(&f.mail_phone, parse_phone),
        );
        let mail_address = check(&mut errs, "mail_address", optional(&f.mail_address, 200));
        let emails = check(&mut errs, "emails", parse_emails(&f.emails));
        // The bank's name and the account go together.
        if let (Some(name), Some(account)) = (&bank_name, &bank_account) {
            if name.is_empty() != account.is_empty() {
                let field = if name.is_empty() {
                    "bank_name"
                } else {
                    "bank_account"
                };
                errs.push(FieldError::new(field, Rule::Required));
            }
        }
        match (
            taxpayer_type,
            title,
            taxpayer_id,
            reg_address,
            reg_phone,
            bank_name,
            bank_account,
            mail_name,
            mail_phone,
            mail_address,
            emails,
        ) {
            (
                Some(taxpayer_type),
                Some(title),
                Some(taxpayer_id),
                Some(reg_address),
                Some(reg_phone),
                Some(bank_name),
                Some(bank_account),
                Some(mail_name),
                Some(mail_phone),
                Some(mail_address),
                Some(emails),
            ) if errs.is_empty() => Ok(ProfileInput {
                taxpayer_type,
                title,
                taxpayer_id,
                reg_address,
                reg_phone,
                bank_name,
                bank_account,
                mail_name,
                mail_phone,
                mail_address,
                emails,
            }),
            _ => Err(errs),
        }
    }
}

/// What a profile holds, for the rules an application checks (the stored profile, opened).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileFacts {
    pub has_reg_address: bool,
    pub has_reg_phone: bool,
    pub has_bank: bool,
    pub has_mailing: bool,
    pub email_count: usize,
}

impl ProfileFacts {
    /// The fields an invoice of `kind` still needs. A special invoice (专票) needs the buyer's
    /// registered address and phone and bank details, all present (the title and taxpayer ID
    /// always are).
    pub fn missing_for(&self, kind: InvoiceKind) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if kind == InvoiceKind::Special {
            if !self.has_reg_address {
                missing.push("reg_address");
            }
            if !self.has_reg_phone {
                missing.push("reg_phone");
            }
            if !self.has_bank {
                missing.push("bank_account");
            }
        }
        missing
    }
}

impl ProfileInput {
    pub fn facts(&self) -> ProfileFacts {
        ProfileFacts {
            has_reg_address: !self.reg_address.is_empty(),
            has_reg_phone: !self.reg_phone.is_empty(),
            has_bank: !self.bank_account.is_empty(),
            has_mailing: !self.mail_name.is_empty()
                && !self.mail_phone.is_empty()
                && !self.mail_address.is_empty(),
            email_count: self.emails.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ProfileForm {
        ProfileForm {
            taxpayer_type: "general".into(),
            title: "测试科技有限公司".into(),
            taxpayer_id: "91350100M000100Y43".into(),
            reg_address: "北京市朝阳区建国路 1 号".into(),
            reg_phone: "010-12345678".into(),
            bank_name: "中国工商银行北京分行".into(),
            bank_account: "0200 0012 3456 7890 123".into(),
            mail_name: "张三".into(),
            mail_phone: "13800000000".into(),
            mail_address: "北京市朝阳区建国路 1 号 8 层".into(),
            emails: "a@example.com; b@example.com".into(),
        }
    }

    #[test]
    fn p1_1_4_taxpayer_ids_use_the_shared_credit_code_rule() {
        assert!(matches!(
            TaxpayerId::parse(" 91350100m000100y43 "),
            Ok(TaxpayerId::CreditCode(_))
        ));
        // A wrong check character: a legacy ID, which needs a reviewer's override.
        let early = TaxpayerId::parse("91350100M000100Y44").unwrap();
        assert!(early.needs_override());
        // A 15-digit registration number, a 20-character legacy ID.
        assert!(TaxpayerId::parse("110108000000016")
            .unwrap()
            .needs_override());
        assert!(TaxpayerId::parse("11010800000001600AB1")
            .unwrap()
            .needs_override());
        assert_eq!(TaxpayerId::parse(""), Err(Rule::Required));
        for bad in ["1234", "110108-000000016", "123456789012345678901"] {
            assert_eq!(TaxpayerId::parse(bad), Err(Rule::Format), "{bad}");
        }
    }

    #[test]
    fn p1_1_4_a_special_invoice_needs_every_field() {
        let full = ProfileInput::parse(&form()).unwrap();
        assert!(full.facts().missing_for(InvoiceKind::Special).is_empty());
        assert_eq!(full.bank_account, "0200001234567890123");
        assert_eq!(full.emails.len(), 2);
        let bare = ProfileInput::parse(&ProfileForm {
            reg_address: String::new(),
            reg_phone: String::new(),
            bank_name: String::new(),
            bank_account: String::new(),
            ..form()
        })
        .unwrap();
        assert!(bare.facts().missing_for(InvoiceKind::Ordinary).is_empty());
        assert_eq!(
            bare.facts().missing_for(InvoiceKind::Special),
            ["reg_address", "reg_phone", "bank_account"]
        );
    }

    #[test]
    fn p1_1_4_profile_fields_are_checked() {
        let errs = ProfileInput::parse(&ProfileForm {
            taxpayer_type: "x".into(),
            title: " ".into(),
            reg_phone: "call me".into(),
            bank_account: "12".into(),
            emails: "a@example.com, a@example.com".into(),
            ..form()
        })
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.rule)).collect();
        assert!(fields.contains(&("taxpayer_type", Rule::Required)));
        assert!(fields.contains(&("title", Rule::Required)));
        assert!(fields.contains(&("reg_phone", Rule::Format)));
        assert!(fields.contains(&("bank_account", Rule::Format)));
        assert!(fields.contains(&("emails", Rule::Duplicate)));
        // A bank name without an account.
        let errs = ProfileInput::parse(&ProfileForm {
            bank_account: String::new(),
            ..form()
        })
        .unwrap_err();
        assert_eq!(errs[0].field, "bank_account");
        let six = "a@x.cn b@x.cn c@x.cn d@x.cn e@x.cn f@x.cn";
        assert_eq!(parse_emails(six), Err(Rule::TooMany { max: 5 }));
    }
}
