//! The data map's task tables (issue 18, P1.1.6): the tasks an enterprise publishes. Their texts
//! are the enterprise's; they go when its data is erased after closure.

use super::Category as C;
use super::Erasure::Delete;
use super::Holds::{Enterprise as E, Personal as P, Sensitive as S};
use super::{f, Retention, Subject, TableMap};
use crate::model::purpose::Purpose;

pub const TASKS: &[TableMap] = &[
    TableMap {
        table: "tasks",
        subject: Subject::Enterprise,
        purpose: Purpose::Tasks,
        retention: Retention::WhileAccount,
        fields: &[
            f("title", E, C::Business, true, Delete),
            f("description", E, C::Business, true, Delete),
            f("category", E, C::Business, true, Delete),
            f("remote", E, C::Business, true, Delete),
            f("city", E, C::Business, true, Delete),
            f("pay_kind", E, C::Business, true, Delete),
            f("unit_price", E, C::Business, true, Delete),
            f("units", E, C::Business, true, Delete),
            f("budget", E, C::Business, true, Delete),
            f("workers", E, C::Business, true, Delete),
            f("starts_on", E, C::Business, true, Delete),
            f("ends_on", E, C::Business, true, Delete),
            f("review_note", E, C::Business, true, Delete),
        ],
        technical: &[
            "id",
            "enterprise_id",
            "client_key",
            "status",
            "flags",
            "created_by",
            "created_at",
            "updated_at",
            "submitted_at",
            "decided_by",
            "decided_at",
            "closed_at",
        ],
    },
    // The worker register (issue 18 §2): the people the enterprise pays, found by a keyed hash
    // of the ID number; they go with the enterprise's data (the payment orders keep what the
    // books need).
    TableMap {
        table: "workers",
        subject: Subject::Enterprise,
        purpose: Purpose::Payments,
        retention: Retention::WhileAccount,
        fields: &[
            f("name", P, C::Identity, true, Delete),
            f("id_number_enc", S, C::IdNumber, true, Delete),
            f("id_hint", S, C::IdNumber, true, Delete),
            f("mobile_enc", P, C::Contact, true, Delete),
            f("mobile_hint", P, C::Contact, true, Delete),
        ],
        technical: &[
            "id",
            "enterprise_id",
            "id_index",
            "source",
            "created_at",
            "updated_at",
        ],
    },
    TableMap {
        table: "worker_accounts",
        subject: Subject::Enterprise,
        purpose: Purpose::Payments,
        retention: Retention::WhileAccount,
        fields: &[
            f("account_enc", S, C::FinancialAccount, true, Delete),
            f("account_hint", S, C::FinancialAccount, true, Delete),
        ],
        technical: &[
            "id",
            "worker_id",
            "enterprise_id",
            "channel",
            "account_index",
            "created_at",
        ],
    },
    // Completion records (issue 18 §1): work done on a task and its acceptance.
    TableMap {
        table: "task_completions",
        subject: Subject::Enterprise,
        purpose: Purpose::Tasks,
        retention: Retention::WhileAccount,
        fields: &[
            f("quantity", E, C::Business, true, Delete),
            f("milestone", E, C::Business, true, Delete),
            f("amount", E, C::Transaction, true, Delete),
        ],
        technical: &[
            "id",
            "task_id",
            "enterprise_id",
            "worker_id",
            "account_id",
            "status",
            "order_ref",
            "recorded_by",
            "recorded_at",
            "accepted_by",
            "accepted_at",
        ],
    },
    // Signing the worker service agreement (issue 18 §2, P6.1): the platform's versions, the
    // invitations and codes (expiring), and each signature's record.
    TableMap {
        table: "worker_agreements",
        subject: Subject::Platform,
        purpose: Purpose::Records,
        retention: Retention::Published,
        fields: &[],
        technical: &[
            "id",
            "version",
            "content_zh",
            "content_en",
            "content_hash",
            "published_by",
            "published_at",
        ],
    },
    TableMap {
        table: "worker_sign_invites",
        subject: Subject::Enterprise,
        purpose: Purpose::Payments,
        retention: Retention::WhileAccount,
        fields: &[
            f("mobile_enc", P, C::Contact, true, Delete),
            f("mobile_hint", P, C::Contact, true, Delete),
        ],
        technical: &[
            "id",
            "worker_id",
            "enterprise_id",
            "token_hash",
            "created_by",
            "created_at",
            "expires_at",
            "used_at",
            "notice_for",
        ],
    },
    TableMap {
        table: "worker_sign_codes",
        subject: Subject::Enterprise,
        purpose: Purpose::Payments,
        retention: super::EXPIRES,
        fields: &[],
        technical: &[
            "id",
            "invite_id",
            "code_hash",
            "attempts",
            "expires_at",
            "used_at",
            "created_at",
        ],
    },
    TableMap {
        table: "worker_signatures",
        subject: Subject::Enterprise,
        purpose: Purpose::Payments,
        retention: Retention::WhileAccount,
        fields: &[
            f("ip", P, C::Device, true, Delete),
            f("user_agent", P, C::Device, true, Delete),
            f("release_reason", E, C::Business, true, Delete),
        ],
        technical: &[
            "id",
            "worker_id",
            "enterprise_id",
            "agreement_id",
            "version",
            "invite_id",
            "signed_at",
            "method",
            "released_at",
            "released_by",
        ],
    },
];
