//! What leaves the platform for one recipient, built by rule (issue 19): a [`Provision`].
//!
//! - **Minimal provision (P3.1.4).** Only the fields registered for the recipient can be put
//!   in, so a payload with any other field cannot be built at all, and what was sent is exactly
//!   the list the log keeps.
//! - **Consent or another recorded basis (P3.1.1).** A provision rests on its [`Grounds`]: the
//!   recipient's registered purpose when its basis is not consent (a contract, a legal duty,
//!   security); the person's own recorded [`Consent`] to a consent-based purpose (read from
//!   their switches when the payload is built, so a withdrawal stops the next one); or
//!   de-identification, where every value that could point at the person is replaced by a keyed
//!   pseudonym the recipient cannot reverse and free text cannot go at all. Without one of
//!   these, a payload for a consent-based purpose cannot be built.

use super::data_map::Category;
use super::purpose::{LegalBasis, Purpose};
use super::sharing::{field_category, Recipient, RecipientKind};
use super::UtcMillis;
use std::collections::BTreeMap;

/// Why a payload could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProvisionError {
    /// The field is not registered for this recipient (P3.1.4).
    #[error("{field} is not registered for {recipient}")]
    NotRegistered { recipient: String, field: String },
    /// The recipient is not active now.
    #[error("{0} is not an active recipient")]
    Inactive(String),
    /// The recipient's purpose rests on consent: a payload about a person needs that person's
    /// consent, or must be de-identified (P3.1.1).
    #[error("{recipient} receives for {purpose}, which needs the person's consent")]
    ConsentRequired { recipient: String, purpose: String },
    /// The consent given is for another purpose than the recipient's, or for a purpose that
    /// does not rest on consent (P3.1.3: a change of purpose needs new consent).
    #[error("a consent to {consent} does not cover {recipient}")]
    ConsentNotCovering { recipient: String, consent: String },
    /// The field's values cannot be de-identified (free text, files, secrets).
    #[error("{0} cannot be sent de-identified")]
    NotDeidentifiable(String),
}

/// A person's recorded consent to a consent-based purpose (P3.1.1): made only by the sharing
/// layer (`backend::sharing::consent`) from the person's newest switch of that purpose, at the
/// moment a payload is built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consent {
    user_id: String,
    purpose: Purpose,
    given_at: UtcMillis,
}

impl Consent {
    /// The consent `user_id` recorded at `given_at` (their newest switch of `purpose`, on).
    #[cfg(any(feature = "ssr", test))]
    pub(crate) fn recorded(user_id: &str, purpose: Purpose, given_at: UtcMillis) -> Self {
        Consent {
            user_id: user_id.to_string(),
            purpose,
            given_at,
        }
    }

    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    pub fn purpose(&self) -> Purpose {
        self.purpose
    }

    pub fn given_at(&self) -> UtcMillis {
        self.given_at
    }
}

/// Keyed pseudonyms for de-identified payloads: the same value gives the same pseudonym for one
/// recipient and field (so it can count and join), a different one for another recipient (so
/// two recipients cannot link theirs), and without the platform's key nothing leads back.
pub trait Pseudonymise: Sync {
    fn pseudonym(&self, recipient: &str, field: &str, value: &str) -> String;
}

/// What a provision rests on (P3.1.1); the log records it as the event's basis, by its code
/// (`contract`, `legal_duty`, `security`, `consent`, `deidentified`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grounds {
    /// The recipient's registered purpose, on its basis (never consent).
    Registered(LegalBasis),
    /// The subject's own consent to the purpose.
    Consent,
    /// Nothing in the payload identifies anyone to the recipient.
    Deidentified,
}

impl Grounds {
    /// The code the sharing log keeps.
    pub fn code(self) -> &'static str {
        match self {
            Grounds::Registered(b) => b.code(),
            Grounds::Consent => LegalBasis::Consent.code(),
            Grounds::Deidentified => DEIDENTIFIED,
        }
    }

    pub fn from_code(code: &str) -> Option<Grounds> {
        match LegalBasis::from_code(code) {
            _ if code == DEIDENTIFIED => Some(Grounds::Deidentified),
            Some(LegalBasis::Consent) => Some(Grounds::Consent),
            Some(b) => Some(Grounds::Registered(b)),
            None => None,
        }
    }
}

impl serde::Serialize for Grounds {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Grounds {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Grounds::from_code(&code).ok_or_else(|| serde::de::Error::custom("unknown grounds"))
    }
}

/// The log's basis code of a de-identified provision.
pub const DEIDENTIFIED: &str = "deidentified";

/// A payload for one recipient, built from its registered fields only (P3.1.4), on recorded
/// grounds (P3.1.1).
pub struct Provision<'a> {
    recipient: &'a Recipient,
    values: BTreeMap<&'static str, String>,
    grounds: Grounds,
    purpose: Purpose,
    /// Whose consent it rests on.
    consenting: Option<String>,
    pseudonyms: Option<&'a dyn Pseudonymise>,
}

impl std::fmt::Debug for Provision<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provision")
            .field("recipient", &self.recipient.code)
            .field("fields", &self.fields())
            .field("grounds", &self.grounds)
            .finish_non_exhaustive()
    }
}

impl<'a> Provision<'a> {
    fn start(recipient: &'a Recipient, now: UtcMillis) -> Result<Self, ProvisionError> {
        if !recipient.active_at(now) {
            return Err(ProvisionError::Inactive(recipient.code.clone()));
        }
        Ok(Provision {
            recipient,
            values: BTreeMap::new(),
            grounds: Grounds::Registered(recipient.basis()),
            purpose: recipient.purpose,
            consenting: None,
            pseudonyms: None,
        })
    }

    /// A payload for `recipient`, which must be active at `now`, on its registered purpose's
    /// basis — refused when that basis is consent (then [`Provision::with_consent`] or
    /// [`Provision::deidentified`]).
    pub fn new(recipient: &'a Recipient, now: UtcMillis) -> Result<Self, ProvisionError> {
        if recipient.basis() == LegalBasis::Consent {
            return Err(ProvisionError::ConsentRequired {
                recipient: recipient.code.clone(),
                purpose: recipient.purpose.code().into(),
            });
        }
        Self::start(recipient, now)
    }

    /// A payload about the person who gave `consent`. It covers a recipient registered for
    /// the consented purpose, and a processor (which handles data on the platform's behalf for
    /// whatever the platform does, e.g. the e-mail relay carrying a promotion).
    pub fn with_consent(
        recipient: &'a Recipient,
        consent: &Consent,
        now: UtcMillis,
    ) -> Result<Self, ProvisionError> {
        // A processor registered for a purpose that rests on contract (the e-mail relay) may
        // carry consented processing; one registered for another consent-based purpose may not.
        let processor = recipient.kind == RecipientKind::Processor
            && recipient.purpose.basis() != LegalBasis::Consent;
        let covers = consent.purpose.basis() == LegalBasis::Consent
            && (recipient.purpose == consent.purpose || processor);
        if !covers {
            return Err(ProvisionError::ConsentNotCovering {
                recipient: recipient.code.clone(),
                consent: consent.purpose.code().into(),
            });
        }
        let mut p = Self::start(recipient, now)?;
        p.grounds = Grounds::Consent;
        p.purpose = consent.purpose;
        p.consenting = Some(consent.user_id.clone());
        Ok(p)
    }

    /// A de-identified payload: values that could identify someone (names, contacts, numbers,
    /// accounts, devices, third-party ids) go as `pseudonyms` of them; amounts, counts and
    /// dates go as they are; anything else — free text (a remark, a reason, a description),
    /// sealed columns, files, secrets — cannot be put in.
    pub fn deidentified(
        recipient: &'a Recipient,
        pseudonyms: &'a dyn Pseudonymise,
        now: UtcMillis,
    ) -> Result<Self, ProvisionError> {
        let mut p = Self::start(recipient, now)?;
        p.grounds = Grounds::Deidentified;
        p.pseudonyms = Some(pseudonyms);
        Ok(p)
    }

    /// Puts `value` in as `field` (`table.column` of the data map); refused for a field not
    /// registered for the recipient (and, de-identified, for a field that cannot be).
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
        let value = value.into();
        let value = match self.pseudonyms {
            None => value,
            Some(keys) => match deidentify(field) {
                Treatment::Keep if plain(&value) => value,
                Treatment::Pseudonym => keys.pseudonym(&self.recipient.code, field, &value),
                Treatment::Keep | Treatment::Refuse => {
                    return Err(ProvisionError::NotDeidentifiable(field.to_string()))
                }
            },
        };
        self.values.insert(field, value);
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

    pub fn grounds(&self) -> Grounds {
        self.grounds
    }

    /// The purpose it is sent for: the recipient's, or the consented one.
    pub fn purpose(&self) -> Purpose {
        self.purpose
    }

    /// The person whose consent it rests on, if it does.
    pub fn consenting(&self) -> Option<&str> {
        self.consenting.as_deref()
    }
}

/// How a de-identified payload treats a field's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Treatment {
    Keep,
    Pseudonym,
    Refuse,
}

/// An amount, a count or a time: digits with `.`, `-`, `:`, `+`, `T`, `Z` (what may go as it
/// is; a word may name someone).
fn plain(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 40
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | ':' | '+' | 'T' | 'Z'))
}

/// By the field's data-map category: identifying ones become pseudonyms; amounts, business
/// figures, activity and decisions may go as they are unless sealed (`_enc`); the rest, and a
/// field the map does not know, are refused.
fn deidentify(field: &str) -> Treatment {
    match field_category(field) {
        Some(
            Category::Identity
            | Category::Contact
            | Category::Device
            | Category::FinancialAccount
            | Category::IdNumber
            | Category::ThirdPartyAccount,
        ) => Treatment::Pseudonym,
        Some(
            Category::Transaction | Category::Business | Category::Activity | Category::Consent,
        ) if !field.ends_with("_enc") => Treatment::Keep,
        _ => Treatment::Refuse,
    }
}

#[cfg(test)]
#[path = "provision_tests.rs"]
mod tests;
