//! What the invoice pages show and send (issue 17): the profile, applications, the console's
//! queue, and the application form parsed with the server's own rules.

use super::profile::{parse_emails, TaxpayerIdState};
use super::{InvoiceKind, InvoiceStatus, Medium, Standing, TaxRate, TaxpayerType};
use crate::model::account::Email;
use crate::model::error::{FieldError, Rule};
use crate::model::form::{check, parse_text};
use crate::model::money::Fen;
use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

/// The stored profile as its enterprise sees it: the bank account and the mailing phone in
/// full for the edit form (the admin and finance members only), masked for showing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub taxpayer_type: TaxpayerType,
    pub title: String,
    pub taxpayer_id: String,
    pub taxpayer_id_state: TaxpayerIdState,
    /// The reviewer's reason for accepting or refusing a legacy ID.
    pub override_reason: String,
    pub reg_address: String,
    pub reg_phone: String,
    pub bank_name: String,
    pub bank_account: String,
    pub bank_account_masked: String,
    pub mail_name: String,
    pub mail_phone: String,
    pub mail_phone_masked: String,
    pub mail_address: String,
    pub emails: Vec<String>,
    pub updated_at: UtcMillis,
    pub updated_by: String,
}

/// One field of a profile change, before and after (masked where the list masks it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One change of the profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileChange {
    pub at: UtcMillis,
    pub by: String,
    pub changes: Vec<FieldChange>,
}

/// The profile page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfilePage {
    pub profile: Option<ProfileView>,
    pub history: Vec<ProfileChange>,
}

/// A legacy taxpayer ID waiting for a reviewer (console).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingTaxpayerId {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub credit_code: String,
    pub title: String,
    pub taxpayer_id: String,
    pub updated_at: UtcMillis,
}

/// The buyer as it stood when the application was made: what finance prints on the invoice and
/// where a paper one is sent (opened for finance only; every opening audited).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BuyerView {
    pub title: String,
    pub taxpayer_id: String,
    pub reg_address: String,
    pub reg_phone: String,
    pub bank_name: String,
    pub bank_account: String,
    pub mail_name: String,
    pub mail_phone: String,
    pub mail_address: String,
}

/// One application (one invoice; a split application is several, `part` of `parts`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub id: String,
    pub enterprise_name: String,
    pub amount: Fen,
    pub kind: InvoiceKind,
    pub medium: Medium,
    pub goods: String,
    pub remark: String,
    pub status: InvoiceStatus,
    pub part: u32,
    pub parts: u32,
    pub buyer_title: String,
    pub buyer_taxpayer_id: String,
    /// The buyer's details, for finance's queue only.
    pub buyer: Option<BuyerView>,
    /// The receiving addresses, masked.
    pub emails: Vec<String>,
    pub applied_by: String,
    pub applied_at: UtcMillis,
    pub number: Option<String>,
    pub date: Option<String>,
    pub rate: Option<TaxRate>,
    pub price: Option<Fen>,
    pub tax: Option<Fen>,
    pub has_file: bool,
    pub issued_by: Option<String>,
    pub reason: String,
    pub courier: Option<String>,
    pub waybill: Option<String>,
    pub red_number: Option<String>,
    pub red_reason: String,
    /// A red-letter invoice is recorded and waits for a second finance operator.
    pub reversal_pending: bool,
    /// Whole days since it was applied for (for the queue; computed by the server, so that the
    /// page hydrates with the same figure).
    pub days_waiting: u32,
    pub updated_at: UtcMillis,
}

/// The enterprise's invoices page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicesPage {
    pub standing: Standing,
    /// Why no application can be made yet (no profile, a taxpayer ID waiting), if so.
    pub blocked: Option<ApplyBlock>,
    pub applications: Vec<InvoiceView>,
    /// A fresh idempotency key for the form.
    pub form_key: String,
    /// The configured goods or service names.
    pub goods: Vec<String>,
    /// The per-invoice limit: larger amounts are split.
    pub limit: Fen,
    /// The profile's receiving addresses, to prefill the form.
    pub default_emails: String,
}

/// Why an enterprise cannot apply yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplyBlock {
    NoProfile,
    TaxpayerIdPending,
    TaxpayerIdRefused,
}

/// One month of the statistics chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceMonth {
    /// `2026-11` (China time).
    pub month: String,
    /// What became invoiceable that month (paid orders and fees less returns).
    pub invoiceable: Fen,
    /// Invoices issued that month, less red-letter reversals recorded that month.
    pub invoiced: Fen,
}

/// The statistics page (开票统计).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceStats {
    pub standing: Standing,
    pub months: Vec<InvoiceMonth>,
}

/// The application form as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyForm {
    pub amount: String,
    pub kind: String,
    pub medium: String,
    pub goods: String,
    pub remark: String,
    pub emails: String,
    pub key: String,
}

/// A parsed application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplyInput {
    pub amount: Fen,
    pub kind: InvoiceKind,
    pub medium: Medium,
    pub goods: String,
    pub remark: String,
    pub emails: Vec<Email>,
}

impl ApplyInput {
    /// Parses the form; `goods` must be one of the configured names. An electronic invoice
    /// needs at least one receiving address.
    pub fn parse(f: &ApplyForm, goods: &[String]) -> Result<ApplyInput, Vec<FieldError>> {
        let mut errs = Vec::new();
        let amount = check(&mut errs, "amount", Fen::parse_positive_yuan(&f.amount));
        let kind = check(
            &mut errs,
            "kind",
            InvoiceKind::from_code(f.kind.trim()).ok_or(Rule::Required),
        );
        let medium = check(
            &mut errs,
            "medium",
            Medium::from_code(f.medium.trim()).ok_or(Rule::Required),
        );
        let chosen = f.goods.trim();
        let goods_name = check(
            &mut errs,
            "goods",
            if chosen.is_empty() {
                Err(Rule::Required)
            } else if goods.iter().any(|g| g == chosen) {
                Ok(chosen.to_string())
            } else {
                Err(Rule::Format)
            },
        );
        let remark = check(
            &mut errs,
            "remark",
            if f.remark.trim().is_empty() {
                Ok(String::new())
            } else {
                parse_text(&f.remark, 200)
            },
        );
        let emails = check(&mut errs, "emails", parse_emails(&f.emails));
        if let (Some(Medium::Electronic), Some(list)) = (medium, &emails) {
            if list.is_empty() {
                errs.push(FieldError::new("emails", Rule::Required));
            }
        }
        match (amount, kind, medium, goods_name, remark, emails) {
            (Some(amount), Some(kind), Some(medium), Some(goods), Some(remark), Some(emails))
                if errs.is_empty() =>
            {
                Ok(ApplyInput {
                    amount,
                    kind,
                    medium,
                    goods,
                    remark,
                    emails,
                })
            }
            _ => Err(errs),
        }
    }
}

/// Finance's issue form as posted (the file travels beside it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueForm {
    pub id: String,
    pub number: String,
    pub date: String,
    pub rate: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goods() -> Vec<String> {
        vec!["*现代服务*服务费".to_string()]
    }

    fn form() -> ApplyForm {
        ApplyForm {
            amount: "1,060.00".into(),
            kind: "ordinary".into(),
            medium: "electronic".into(),
            goods: "*现代服务*服务费".into(),
            remark: String::new(),
            emails: "ap@example.com".into(),
            key: "k".into(),
        }
    }

    #[test]
    fn p1_1_4_an_application_is_parsed_with_the_configured_goods() {
        let ok = ApplyInput::parse(&form(), &goods()).unwrap();
        assert_eq!(ok.amount, Fen(106_000));
        let errs = ApplyInput::parse(
            &ApplyForm {
                goods: "*其他*".into(),
                amount: "0".into(),
                emails: String::new(),
                ..form()
            },
            &goods(),
        )
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.rule)).collect();
        assert_eq!(
            fields,
            [
                ("amount", Rule::Amount),
                ("goods", Rule::Format),
                ("emails", Rule::Required)
            ]
        );
        // Paper needs no e-mail.
        assert!(ApplyInput::parse(
            &ApplyForm {
                medium: "paper".into(),
                emails: String::new(),
                ..form()
            },
            &goods()
        )
        .is_ok());
    }
}
