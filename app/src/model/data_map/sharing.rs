//! The sharing register and its log (issue 19; P3.1.1-P3.1.4): the recipients are the
//! platform's own records; the log names whose data left (the enterprise and person ids), the
//! fields sent (data map names, not values), the basis and the business reference, and is kept
//! as long as the audit trail: it proves what left and why.

use super::Category as C;
use super::Holds::Enterprise as E;
use super::{f, Erasure, Hold, Retention, Subject, TableMap};
use crate::model::purpose::Purpose;

pub const SHARING: &[TableMap] = &[
    TableMap {
        table: "sharing_recipients",
        subject: Subject::Platform,
        purpose: Purpose::Records,
        retention: Retention::Published,
        fields: &[],
        technical: &[
            "id",
            "code",
            "name_zh",
            "name_en",
            "kind",
            "purpose",
            "fields",
            "region",
            "contract_ref",
            "active_from",
            "active_to",
            "created_at",
        ],
    },
    TableMap {
        table: "sharing_events",
        subject: Subject::Enterprise,
        purpose: Purpose::Records,
        retention: Retention::Legal(Hold::AuditTrail),
        fields: &[],
        technical: &[
            "id",
            "recipient_id",
            "enterprise_id",
            "user_id",
            "fields",
            "basis",
            "purpose",
            "reference",
            "at",
        ],
    },
    // Lawful disclosures (P3.1.2): who demanded what about whom, on which ground and
    // document, who recorded and who approved, and whether the subject was told. It holds ids,
    // field names and the authority's references, no personal values, and proves a disclosure
    // as the audit trail does.
    TableMap {
        table: "lawful_disclosures",
        subject: Subject::Enterprise,
        purpose: Purpose::Records,
        retention: Retention::Legal(Hold::AuditTrail),
        fields: &[],
        technical: &[
            "id",
            "authority",
            "ground",
            "legal_basis",
            "document_ref",
            "fields",
            "enterprise_id",
            "user_id",
            "disclosed_at",
            "tell",
            "tell_reason",
            "status",
            "recorded_by",
            "recorded_at",
            "decided_by",
            "decided_at",
            "reject_reason",
        ],
    },
    // Transfers in a merger or the like (P3.2): the successor's name, the kind, basis and date,
    // what affected people were told and how many. About the platform's operator, not a person.
    TableMap {
        table: "data_successions",
        subject: Subject::Platform,
        purpose: Purpose::Records,
        retention: Retention::Legal(Hold::AuditTrail),
        fields: &[],
        technical: &[
            "id",
            "successor",
            "kind",
            "basis",
            "effective_on",
            "everyone",
            "summary_zh",
            "summary_en",
            "recipient_id",
            "enterprises",
            "told",
            "recorded_by",
            "recorded_at",
        ],
    },
    // The open API's credentials: the enterprise's own labels, scopes and allow-list, the
    // secret encrypted (never shown again after it is issued), dates.
    TableMap {
        table: "api_credentials",
        subject: Subject::Enterprise,
        purpose: Purpose::Payments,
        retention: Retention::WhileAccount,
        fields: &[],
        technical: &[
            "id",
            "enterprise_id",
            "key_id",
            "name",
            "secret_enc",
            "scopes",
            "ip_allow",
            "created_by",
            "created_at",
            "expires_at",
            "active_until",
            "rotated_to",
            "revoked_at",
            "last_used_at",
        ],
    },
    // The open API's callbacks: the enterprise's address (its own system's), the signing secret
    // encrypted, and the deliveries' log, whose payloads carry the registered fields only
    // (amounts, an invoice's number); both go when the account is closed.
    TableMap {
        table: "api_callbacks",
        subject: Subject::Enterprise,
        purpose: Purpose::Payments,
        retention: Retention::WhileAccount,
        fields: &[f("url", E, C::Business, true, Erasure::Delete)],
        technical: &["enterprise_id", "secret_enc", "set_by", "set_at"],
    },
    TableMap {
        table: "callback_deliveries",
        subject: Subject::Enterprise,
        purpose: Purpose::Payments,
        // A transport log: the retention job deletes delivered and given-up deliveries after
        // the network-log period (and all of them when the account closes).
        retention: Retention::Legal(Hold::NetworkLogs),
        fields: &[f("payload", E, C::Transaction, true, Erasure::Delete)],
        technical: &[
            "id",
            "enterprise_id",
            "event",
            "subject",
            "fields",
            "status",
            "attempts",
            "window_from",
            "window_attempts",
            "next_at",
            "claimed_until",
            "last_status",
            "last_error",
            "created_at",
            "delivered_at",
        ],
    },
];
