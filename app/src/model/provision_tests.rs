use super::*;
use crate::model::sharing::codes;
use crate::model::Bilingual;

fn recipient(code: &str, kind: RecipientKind, purpose: Purpose, fields: &[&str]) -> Recipient {
    Recipient {
        id: format!("id-{code}"),
        code: code.into(),
        name: Bilingual::new(code, code),
        kind,
        purpose,
        fields: fields.iter().map(|f| f.to_string()).collect(),
        region: "cn-mainland".into(),
        contract_ref: "DPA-1".into(),
        active_from: UtcMillis(1_000),
        active_to: Some(UtcMillis(5_000)),
    }
}

fn payout() -> Recipient {
    recipient(
        codes::PAYOUT_CHANNEL,
        RecipientKind::Processor,
        Purpose::Payments,
        &[
            "payment_orders.payee_name",
            "payment_orders.account_enc",
            "payment_orders.amount",
        ],
    )
}

/// An affiliate that receives for promotions: its basis is the person's consent.
fn marketing() -> Recipient {
    recipient(
        "group_marketing",
        RecipientKind::Affiliate,
        Purpose::Promotions,
        &[
            "users.name",
            "users.mobile_enc",
            "payment_orders.amount",
            "payment_orders.remark",
            "outbox.body_enc",
        ],
    )
}

/// Pseudonyms as the server makes them (a keyed hash), here with a fixed key.
struct Keys;

impl Pseudonymise for Keys {
    fn pseudonym(&self, recipient: &str, field: &str, value: &str) -> String {
        format!("ps({recipient}/{field}/{})", value.len())
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

/// P3.1.1: a consent-based recipient gets nothing about a person on the recipient's word
/// alone; the person's own consent to that purpose (or de-identification) is needed.
#[test]
fn p3_1_1_a_consent_based_recipient_needs_the_persons_consent() {
    let r = marketing();
    let now = UtcMillis(2_000);
    assert_eq!(
        Provision::new(&r, now).map(|_| ()),
        Err(ProvisionError::ConsentRequired {
            recipient: "group_marketing".into(),
            purpose: "promotions".into()
        })
    );
    let given = Consent::recorded("u1", Purpose::Promotions, UtcMillis(1_500));
    let p = Provision::with_consent(&r, &given, now)
        .and_then(|p| p.put("users.name", "张三"))
        .expect("consented");
    assert_eq!(p.grounds(), Grounds::Consent);
    assert_eq!(p.grounds().code(), "consent");
    assert_eq!(p.consenting(), Some("u1"));
    assert_eq!(p.purpose(), Purpose::Promotions);
    assert_eq!(p.get("users.name"), "张三");
    // A consent to another purpose does not cover it (P3.1.3: new purpose, new consent).
    let other = Consent::recorded("u1", Purpose::Personalisation, UtcMillis(1_500));
    assert!(matches!(
        Provision::with_consent(&r, &other, now),
        Err(ProvisionError::ConsentNotCovering { .. })
    ));
    // Registered fields still bind it.
    let refused = Provision::with_consent(&r, &given, now)
        .and_then(|p| p.put("payment_orders.id_number_enc", "110105199001011232"));
    assert!(matches!(refused, Err(ProvisionError::NotRegistered { .. })));
}

/// P3.1.1: a processor carries what the platform does on the person's consent (the e-mail
/// relay with a promotion), logged as consent for that purpose; a "consent" to a purpose that
/// does not rest on consent is no ground, and an affiliate registered for another purpose is
/// not covered.
#[test]
fn p3_1_1_a_processor_carries_consented_processing_only_for_consent_purposes() {
    let relay = recipient(
        codes::MAIL_RELAY,
        RecipientKind::Processor,
        Purpose::ServiceNotices,
        &["outbox.recipient_enc", "outbox.subject", "outbox.body_enc"],
    );
    let now = UtcMillis(2_000);
    let promo = Consent::recorded("u1", Purpose::Promotions, UtcMillis(1_000));
    let p = Provision::with_consent(&relay, &promo, now).expect("a processor");
    assert_eq!(
        (p.grounds(), p.purpose()),
        (Grounds::Consent, Purpose::Promotions)
    );
    let contract = Consent::recorded("u1", Purpose::Payments, UtcMillis(1_000));
    assert!(Provision::with_consent(&relay, &contract, now).is_err());
    let affiliate = recipient(
        "group_analytics",
        RecipientKind::Affiliate,
        Purpose::Personalisation,
        &["users.name"],
    );
    assert!(Provision::with_consent(&affiliate, &promo, now).is_err());
    // Nor a processor registered for another consent-based purpose.
    let profiler = recipient(
        "profiling_processor",
        RecipientKind::Processor,
        Purpose::Personalisation,
        &["users.name"],
    );
    assert!(Provision::with_consent(&profiler, &promo, now).is_err());
    // The registered basis of a processor is its purpose's.
    let n = Provision::new(&relay, now).expect("contract");
    assert_eq!(n.grounds(), Grounds::Registered(LegalBasis::Contract));
    assert_eq!(n.grounds().code(), "contract");
}

/// P3.1.1: de-identified, a consent-based recipient may receive — names and numbers as keyed
/// pseudonyms, amounts as they are, free text not at all.
#[test]
fn p3_1_1_de_identified_sharing_replaces_what_identifies_and_refuses_free_text() {
    let r = marketing();
    let p = Provision::deidentified(&r, &Keys, UtcMillis(2_000))
        .and_then(|p| p.put("users.name", "张三"))
        .and_then(|p| p.put("users.mobile_enc", "13800000001"))
        .and_then(|p| p.put("payment_orders.amount", "10000"))
        .expect("de-identified");
    assert_eq!(p.grounds().code(), DEIDENTIFIED);
    assert_eq!(p.consenting(), None);
    assert_eq!(p.get("users.name"), "ps(group_marketing/users.name/6)");
    assert!(!p.get("users.mobile_enc").contains("138"));
    assert_eq!(p.get("payment_orders.amount"), "10000");
    let text = Provision::deidentified(&r, &Keys, UtcMillis(2_000))
        .and_then(|p| p.put("outbox.body_enc", "您好，张三"));
    assert_eq!(
        text.map(|_| ()),
        Err(ProvisionError::NotDeidentifiable("outbox.body_enc".into()))
    );
    // A remark is free text, even in a field of amounts' category: it may name anyone.
    for remark in ["张三的报酬", "pay John"] {
        let refused = Provision::deidentified(&r, &Keys, UtcMillis(2_000))
            .and_then(|p| p.put("payment_orders.remark", remark));
        assert_eq!(
            refused.map(|_| ()),
            Err(ProvisionError::NotDeidentifiable(
                "payment_orders.remark".into()
            ))
        );
    }
    // Inactive recipients get nothing, whatever the grounds.
    assert!(Provision::deidentified(&r, &Keys, UtcMillis(6_000)).is_err());
}
