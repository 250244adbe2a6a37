//! The sharing register (issue 19; P3.1.1-P3.1.4, P3.4): who outside the platform receives
//! personal information, for what purpose and on what basis, which of the data map's fields
//! each may receive, where, under which agreement and when; and the log of every time data left
//! (a payout submitted, a text or an e-mail handed to its provider). Pure rules, shared by the
//! browser and the server.
//!
//! What goes to a recipient is built with a [`Provision`] ([`super::provision`]): only its
//! registered fields (P3.1.4), on its registered basis, the person's consent or de-identified
//! (P3.1.1).

use super::data_map::{self, Category};
pub use super::provision::{Provision, ProvisionError};
use super::purpose::{LegalBasis, Purpose};
use super::{Bilingual, UtcMillis};
use serde::{Deserialize, Serialize};

/// What a recipient is to the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    /// A company of the platform's group.
    Affiliate,
    /// Processes data on the platform's behalf: payout channels, SMS and e-mail providers.
    Processor,
    /// A public authority (lawful disclosures, P3.1.2).
    Authority,
    /// The enterprise's own system, through the open API.
    EnterpriseSystem,
    /// The successor in a merger, an acquisition, a bankruptcy or an asset transfer (P3.2).
    Successor,
}

super::codes!(RecipientKind {
    Affiliate => "affiliate",
    Processor => "processor",
    Authority => "authority",
    EnterpriseSystem => "enterprise_system",
    Successor => "successor",
});

/// The stable codes of the recipients the product itself sends to.
pub mod codes {
    /// The payout channels (bank, Alipay, WeChat Pay): the payee's name, account and amount.
    pub const PAYOUT_CHANNEL: &str = "payout_channel";
    /// The SMS provider: the number and the text.
    pub const SMS_PROVIDER: &str = "sms_provider";
    /// The e-mail relay: the address and the message.
    pub const MAIL_RELAY: &str = "mail_relay";
    /// Public authorities on lawful demand (P3.1.2): what each demand names, recorded in the
    /// disclosure register and approved by a second officer.
    pub const PUBLIC_AUTHORITIES: &str = "public_authorities";
    /// The enterprise's own systems through the open API: the orders it reads back, and the
    /// callbacks it is sent (orders, invoice applications, tasks).
    pub const ENTERPRISE_API: &str = "enterprise_api";

    /// The recipients the product itself sends to, with the fields it puts in their payloads:
    /// the register cannot take these away or end them (the product would stop working), only
    /// an operator's configuration replaces a provider.
    pub const BUILT_IN: &[(&str, &[&str])] = &[
        (
            PAYOUT_CHANNEL,
            &[
                "payment_orders.payee_name",
                "payment_orders.account_enc",
                "payment_orders.amount",
            ],
        ),
        (SMS_PROVIDER, &["outbox.recipient_enc", "outbox.sms_enc"]),
        (
            MAIL_RELAY,
            &["outbox.recipient_enc", "outbox.subject", "outbox.body_enc"],
        ),
        (
            ENTERPRISE_API,
            &[
                "payment_orders.payee_name",
                "payment_orders.id_hint",
                "payment_orders.account_hint",
                "payment_orders.amount",
                "payment_orders.fee",
                "payment_orders.tax",
                "payment_orders.received",
                "payment_orders.remark",
                "invoice_applications.amount",
                "invoice_applications.invoice_number",
            ],
        ),
    ];

    /// The personal fields of a payment order as the open API answers it (its `ApiOrder`).
    pub const API_ORDER_FIELDS: &[&str] = &[
        "payment_orders.payee_name",
        "payment_orders.id_hint",
        "payment_orders.account_hint",
        "payment_orders.amount",
        "payment_orders.fee",
        "payment_orders.tax",
        "payment_orders.received",
        "payment_orders.remark",
    ];

    /// The fields the product puts in `code`'s payloads (`None`: not a built-in recipient).
    pub fn built_in(code: &str) -> Option<&'static [&'static str]> {
        BUILT_IN.iter().find(|(c, _)| *c == code).map(|(_, f)| *f)
    }
}

/// One recipient of the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub id: String,
    pub code: String,
    pub name: Bilingual,
    pub kind: RecipientKind,
    pub purpose: Purpose,
    /// The data map's fields (`table.column`) it may receive.
    pub fields: Vec<String>,
    /// Where it keeps what it receives (a region code, as `--storage-region-code`).
    pub region: String,
    /// The contract or agreement the sharing rests on.
    pub contract_ref: String,
    pub active_from: UtcMillis,
    pub active_to: Option<UtcMillis>,
}

impl Recipient {
    pub fn basis(&self) -> LegalBasis {
        self.purpose.basis()
    }

    pub fn may_receive(&self, field: &str) -> bool {
        self.fields.iter().any(|f| f == field)
    }

    pub fn active_at(&self, now: UtcMillis) -> bool {
        self.active_from <= now && self.active_to.is_none_or(|to| now < to)
    }

    /// The kinds of information it may receive, from the data map, in the map's order.
    pub fn categories(&self) -> Vec<Category> {
        categories(&self.fields)
    }
}

/// The data map's categories of `fields` (`table.column`), each once, in the map's order of
/// categories.
pub fn categories(fields: &[String]) -> Vec<Category> {
    let mut out: Vec<Category> = Vec::new();
    for f in fields {
        if let Some(c) = field_category(f) {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out.sort_by_key(|c| *c as u8);
    out
}

/// The category of a data map field `table.column` (`None`: the map has no such field).
pub fn field_category(field: &str) -> Option<Category> {
    let (table, column) = field.split_once('.')?;
    data_map::table(table)?
        .fields
        .iter()
        .find(|f| f.column == column)
        .map(|f| f.category)
}

pub const NAME_MAX: u32 = 100;
pub const CONTRACT_MAX: u32 = 200;
/// Fields one recipient may be registered for at most.
pub const RECIPIENT_FIELDS_MAX: u32 = 60;

/// The register's form for a recipient, new or changed (keyed by its code), as it arrives.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientForm {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: String,
    pub purpose: String,
    /// The data map's fields (`table.column`), one per line or separated by commas.
    pub fields: String,
    pub region: String,
    pub contract_ref: String,
    /// China dates (`YYYY-MM-DD`); the end is optional.
    pub active_from: String,
    pub active_to: String,
}

impl RecipientForm {
    /// The form of a registered recipient, to change it.
    pub fn of(r: &Recipient) -> Self {
        RecipientForm {
            code: r.code.clone(),
            name_zh: r.name.zh.clone(),
            name_en: r.name.en.clone(),
            kind: r.kind.code().into(),
            purpose: r.purpose.code().into(),
            fields: r.fields.join("\n"),
            region: r.region.clone(),
            contract_ref: r.contract_ref.clone(),
            active_from: r.active_from.china_date(),
            active_to: r.active_to.map(|t| t.china_date()).unwrap_or_default(),
        }
    }

    /// Checks every field against the register's rules; all problems at once, each under its
    /// field. `storage_region`: the configured region (P4.1: no recipient outside it);
    /// `existing`: the recipient registered under the same code, if any (P3.1.3: its purpose
    /// cannot change — a new purpose needs new consent, so a new entry).
    pub fn parse(
        &self,
        storage_region: &str,
        existing: Option<&Recipient>,
        now: UtcMillis,
    ) -> Result<Recipient, Vec<crate::error::FieldError>> {
        use super::form::{check, parse_text};
        use crate::error::{FieldError, Rule};
        let mut errs = Vec::new();
        let code = self.code.trim();
        let code_ok = (2..=40).contains(&code.len())
            && code.starts_with(|c: char| c.is_ascii_lowercase())
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !code_ok {
            errs.push(FieldError::new("code", Rule::Format));
        } else if code == codes::PUBLIC_AUTHORITIES {
            // Kept by the disclosure register, never edited here.
            errs.push(FieldError::new("code", Rule::ProductSends));
        }
        let name_zh = check(&mut errs, "name_zh", parse_text(&self.name_zh, NAME_MAX));
        let name_en = check(&mut errs, "name_en", parse_text(&self.name_en, NAME_MAX));
        let built_in = codes::built_in(code);
        // The product's own recipients keep their kind and stay active (it sends to them).
        let kind = check(
            &mut errs,
            "kind",
            match (RecipientKind::from_code(self.kind.trim()), existing) {
                (None, _) => Err(Rule::Required),
                (Some(k), Some(e)) if built_in.is_some() && k != e.kind => Err(Rule::ProductSends),
                (Some(k), _) => Ok(k),
            },
        );
        let purpose = check(
            &mut errs,
            "purpose",
            match (Purpose::from_code(self.purpose.trim()), existing) {
                (None, _) => Err(Rule::Required),
                (Some(p), Some(e)) if p != e.purpose => Err(Rule::PurposeFixed),
                (Some(p), _) => Ok(p),
            },
        );
        let fields = check(
            &mut errs,
            "fields",
            super::disclosure::parse_fields(&self.fields, RECIPIENT_FIELDS_MAX).and_then(|f| {
                match built_in {
                    Some(needed) if needed.iter().any(|n| !f.iter().any(|g| g == n)) => {
                        Err(Rule::ProductSends)
                    }
                    _ => Ok(f),
                }
            }),
        );
        let region = self.region.trim();
        if region.is_empty() {
            errs.push(FieldError::new("region", Rule::Required));
        } else if region != storage_region {
            errs.push(FieldError::new("region", Rule::OutsideRegion));
        }
        let contract_ref = check(
            &mut errs,
            "contract_ref",
            parse_text(&self.contract_ref, CONTRACT_MAX),
        );
        let active_from = check(
            &mut errs,
            "active_from",
            match UtcMillis::china_day_start(&self.active_from) {
                None => Err(Rule::Format),
                Some(t) if built_in.is_some() && t > now => Err(Rule::ProductSends),
                Some(t) => Ok(t),
            },
        );
        let active_to = match self.active_to.trim() {
            "" => Some(None),
            _ if built_in.is_some() => {
                errs.push(FieldError::new("active_to", Rule::ProductSends));
                None
            }
            to => match (UtcMillis::china_day_start(to), active_from) {
                (None, _) => {
                    errs.push(FieldError::new("active_to", Rule::Format));
                    None
                }
                (Some(to), Some(from)) if to <= from => {
                    errs.push(FieldError::new("active_to", Rule::OutOfRange));
                    None
                }
                (Some(to), _) => Some(Some(to)),
            },
        };
        match (
            name_zh,
            name_en,
            kind,
            purpose,
            fields,
            contract_ref,
            active_from,
            active_to,
        ) {
            (
                Some(zh),
                Some(en),
                Some(kind),
                Some(purpose),
                Some(fields),
                Some(contract_ref),
                Some(active_from),
                Some(active_to),
            ) if errs.is_empty() => Ok(Recipient {
                id: existing.map(|e| e.id.clone()).unwrap_or_default(),
                code: code.to_string(),
                name: Bilingual::new(zh, en),
                kind,
                purpose,
                fields,
                region: region.to_string(),
                contract_ref,
                active_from,
                active_to,
            }),
            _ => Err(errs),
        }
    }
}

/// The console's register (privacy officers): every recipient, the storage region recipients
/// must be in, and the lawful disclosures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    pub recipients: Vec<Recipient>,
    pub storage_region: String,
    pub disclosures: Vec<super::disclosure::DisclosureView>,
}

/// One time data left the platform, as the enterprise's privacy centre shows it (P3.1.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharingEvent {
    pub at: UtcMillis,
    pub recipient: Bilingual,
    pub kind: RecipientKind,
    /// What it was sent for: the recipient's purpose, or the consented one (P3.1.1).
    pub purpose: Purpose,
    /// What it rested on: the registered basis, the person's consent, or de-identification.
    pub basis: super::provision::Grounds,
    /// The kinds of information sent (from the fields the log keeps).
    pub categories: Vec<Category>,
    /// Whose: the enterprise, or one of its people (masked name).
    pub subject: String,
    /// The business reference: a payment order's number, or the code of what a message was for
    /// (an outbox purpose, shown by its label).
    pub reference: String,
}

/// The privacy centre's sharing page: the recipients and one page of the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharingLog {
    pub recipients: Vec<Recipient>,
    pub events: Vec<SharingEvent>,
    /// The cursor of the next page (none: this is the last).
    pub next: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payout() -> Recipient {
        Recipient {
            id: "r1".into(),
            code: codes::PAYOUT_CHANNEL.into(),
            name: Bilingual::new("代付通道", "Payout channels"),
            kind: RecipientKind::Processor,
            purpose: Purpose::Payments,
            fields: vec![
                "payment_orders.payee_name".into(),
                "payment_orders.account_enc".into(),
                "payment_orders.amount".into(),
            ],
            region: "cn-mainland".into(),
            contract_ref: "DPA-1".into(),
            active_from: UtcMillis(1_000),
            active_to: Some(UtcMillis(5_000)),
        }
    }

    #[test]
    fn a_recipients_fields_are_the_data_maps() {
        let r = payout();
        assert_eq!(
            r.categories(),
            [
                Category::Identity,
                Category::FinancialAccount,
                Category::Transaction
            ]
        );
        assert_eq!(field_category("payment_orders.nope"), None);
        assert_eq!(field_category("nope"), None);
    }

    fn new_recipient() -> RecipientForm {
        RecipientForm {
            code: "group_finance".into(),
            name_zh: "集团财务共享中心".into(),
            name_en: "Group finance shared service centre".into(),
            kind: "affiliate".into(),
            purpose: "records".into(),
            fields: "payment_orders.amount\npayment_orders.payee_name".into(),
            region: "cn-mainland".into(),
            contract_ref: "集团内部数据处理协议 2026-07".into(),
            active_from: "2026-12-01".into(),
            active_to: "2027-12-01".into(),
        }
    }

    /// The register's rules (P3.1.3, P4.1): data-map fields only, the storage region only, an
    /// end after the start, a purpose that never changes, the product's own fields kept.
    #[test]
    fn p3_1_3_the_registers_rules() {
        let r = new_recipient()
            .parse("cn-mainland", None, UtcMillis(1_900_000_000_000))
            .expect("a good entry");
        assert_eq!(r.kind, RecipientKind::Affiliate);
        assert_eq!(r.fields.len(), 2);
        assert_eq!(r.active_to, UtcMillis::china_day_start("2027-12-01"));
        let rules = |f: RecipientForm, existing: Option<&Recipient>| -> Vec<(String, Rule)> {
            f.parse("cn-mainland", existing, UtcMillis(1_900_000_000_000))
                .expect_err("refused")
                .into_iter()
                .map(|e| (e.field, e.rule))
                .collect()
        };
        use crate::error::Rule;
        let bad = RecipientForm {
            code: "Group Finance".into(),
            fields: "payment_orders.amount\nusers.shoe_size".into(),
            region: "us-east".into(),
            active_to: "2026-11-01".into(),
            ..new_recipient()
        };
        assert_eq!(
            rules(bad, None),
            [
                ("code".to_string(), Rule::Format),
                ("fields".to_string(), Rule::UnknownField),
                ("region".to_string(), Rule::OutsideRegion),
                ("active_to".to_string(), Rule::OutOfRange),
            ]
        );
        // A change of purpose needs new consent: a new entry, not a changed one.
        let changed = RecipientForm {
            purpose: "promotions".into(),
            ..new_recipient()
        };
        assert_eq!(
            rules(changed, Some(&r)),
            [("purpose".to_string(), Rule::PurposeFixed)]
        );
        // The payout channel keeps the fields the product sends it, and no end date.
        let payout = RecipientForm {
            code: codes::PAYOUT_CHANNEL.into(),
            kind: "processor".into(),
            purpose: "payments".into(),
            fields: "payment_orders.amount".into(),
            ..new_recipient()
        };
        assert_eq!(
            rules(payout, None),
            [
                ("fields".to_string(), Rule::ProductSends),
                ("active_to".to_string(), Rule::ProductSends),
            ]
        );
        // Nor a start in the future, nor another kind: it would stop the product's sending.
        let later = RecipientForm {
            code: codes::PAYOUT_CHANNEL.into(),
            kind: "affiliate".into(),
            purpose: "payments".into(),
            fields: codes::built_in(codes::PAYOUT_CHANNEL).unwrap().join("\n"),
            active_from: "2031-01-01".into(),
            active_to: String::new(),
            ..new_recipient()
        };
        let mut payout_now = r.clone();
        payout_now.kind = RecipientKind::Processor;
        payout_now.purpose = Purpose::Payments;
        assert_eq!(
            rules(later, Some(&payout_now)),
            [
                ("kind".to_string(), Rule::ProductSends),
                ("active_from".to_string(), Rule::ProductSends),
            ]
        );
        let authorities = RecipientForm {
            code: codes::PUBLIC_AUTHORITIES.into(),
            ..new_recipient()
        };
        assert_eq!(
            rules(authorities, None),
            [("code".to_string(), Rule::ProductSends)]
        );
    }
}
