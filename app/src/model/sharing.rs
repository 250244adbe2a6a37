//! The sharing register (issue 19; P3.1.1-P3.1.4, P3.4): who outside the platform receives
//! personal information, for what purpose and on what basis, which of the data map's fields
//! each may receive, where, under which agreement and when; and the log of every time data left
//! (a payout submitted, a text or an e-mail handed to its provider). Pure rules, shared by the
//! browser and the server.
//!
//! **Minimal provision (P3.1.4).** What goes to a recipient is built with a [`Provision`]: only
//! the fields registered for that recipient can be put in, so a payload with any other field
//! cannot be built at all, and what was sent is exactly the list the log keeps.

use super::data_map::{self, Category};
use super::purpose::{LegalBasis, Purpose};
use super::{Bilingual, UtcMillis};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
}

super::codes!(RecipientKind {
    Affiliate => "affiliate",
    Processor => "processor",
    Authority => "authority",
    EnterpriseSystem => "enterprise_system",
});

/// The stable codes of the recipients the product itself sends to.
pub mod codes {
    /// The payout channels (bank, Alipay, WeChat Pay): the payee's name, account and amount.
    pub const PAYOUT_CHANNEL: &str = "payout_channel";
    /// The SMS provider: the number and the text.
    pub const SMS_PROVIDER: &str = "sms_provider";
    /// The e-mail relay: the address and the message.
    pub const MAIL_RELAY: &str = "mail_relay";
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

/// Why a payload could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProvisionError {
    /// The field is not registered for this recipient (P3.1.4).
    #[error("{field} is not registered for {recipient}")]
    NotRegistered { recipient: String, field: String },
    /// The recipient is not active now.
    #[error("{0} is not an active recipient")]
    Inactive(String),
}

/// A payload for one recipient, built from its registered fields only (P3.1.4).
#[derive(Debug)]
pub struct Provision<'a> {
    recipient: &'a Recipient,
    values: BTreeMap<&'static str, String>,
}

impl<'a> Provision<'a> {
    /// A payload for `recipient`, which must be active at `now`.
    pub fn new(recipient: &'a Recipient, now: UtcMillis) -> Result<Self, ProvisionError> {
        if !recipient.active_at(now) {
            return Err(ProvisionError::Inactive(recipient.code.clone()));
        }
        Ok(Provision {
            recipient,
            values: BTreeMap::new(),
        })
    }

    /// Puts `value` in as `field` (`table.column` of the data map); refused for a field not
    /// registered for the recipient.
    pub fn put(
        mut self,
        field: &'static str,
        value: impl Into<String>,
    ) -> Result<Self, ProvisionError> {
        if !self.recipient.may_receive(field) {
            return Err(ProvisionError::NotRegistered {
                recipient: self.recipient.code.clone(),
                field: field.to_string(),
            });
        }
        self.values.insert(field, value.into());
        Ok(self)
    }

    /// A value put in (empty if it was not).
    pub fn get(&self, field: &str) -> &str {
        self.values.get(field).map(String::as_str).unwrap_or("")
    }

    /// The fields put in: what the log records as sent.
    pub fn fields(&self) -> Vec<String> {
        self.values.keys().map(|f| f.to_string()).collect()
    }

    pub fn recipient(&self) -> &Recipient {
        self.recipient
    }
}

/// One time data left the platform, as the enterprise's privacy centre shows it (P3.1.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharingEvent {
    pub at: UtcMillis,
    pub recipient: Bilingual,
    pub kind: RecipientKind,
    pub purpose: Purpose,
    pub basis: LegalBasis,
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

    /// P3.1.4: a payload carries registered fields only; another one cannot be put in.
    #[test]
    fn p3_1_4_an_unregistered_field_cannot_be_sent() {
        let r = payout();
        let p = Provision::new(&r, UtcMillis(2_000))
            .and_then(|p| p.put("payment_orders.payee_name", "张三"))
            .and_then(|p| p.put("payment_orders.amount", "100"))
            .expect("registered fields");
        assert_eq!(p.get("payment_orders.payee_name"), "张三");
        assert_eq!(
            p.fields(),
            ["payment_orders.amount", "payment_orders.payee_name"]
        );
        let refused = p.put("payment_orders.id_number_enc", "110105199001011232");
        assert_eq!(
            refused.map(|_| ()),
            Err(ProvisionError::NotRegistered {
                recipient: "payout_channel".into(),
                field: "payment_orders.id_number_enc".into()
            })
        );
        // Outside its active period nothing is built for it.
        assert!(matches!(
            Provision::new(&r, UtcMillis(5_000)),
            Err(ProvisionError::Inactive(_))
        ));
        assert!(Provision::new(&r, UtcMillis(999)).is_err());
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
}
