//! Where a copy of one's data finds its rows (issue 16 §3, P6.1): for each table the data map
//! marks exportable, how its rows are found for a person and for an enterprise, which of its
//! technical columns explain a row (its key and times), and how its encrypted columns are
//! opened. What is exported is the map's: a column goes into the copy because the map says
//! `export: true`, never because it is listed here, and the tests below fail when a mapped
//! table has no source or a source strays from the map.

/// One table's rows for a copy.
pub struct Source {
    pub table: &'static str,
    /// The rows of a person (`$1` is the user's id), if a person's copy has any.
    pub person: Option<&'static str>,
    /// The rows of an enterprise (`$1` is its id), if an enterprise's copy has any.
    pub enterprise: Option<&'static str>,
    /// Technical columns shown with every row (its key and times), and the order.
    pub context: &'static [&'static str],
    /// Encrypted columns: the column, and the column whose value completes the cipher's
    /// context `"{table}.{column without _enc}:{value}"` (the row's id unless said).
    pub sealed: &'static [(&'static str, &'static str)],
    /// An uploaded file that goes into `files/`: the column with its storage key, and the
    /// column with the id its encryption is bound to (`file:{id}`).
    pub file: Option<(&'static str, &'static str)>,
    /// In an enterprise's copy, only these of the exportable fields (its rows are other
    /// people's too); `None`: all.
    pub enterprise_fields: Option<&'static [&'static str]>,
}

const fn s(
    table: &'static str,
    person: Option<&'static str>,
    enterprise: Option<&'static str>,
    context: &'static [&'static str],
) -> Source {
    Source {
        table,
        person,
        enterprise,
        context,
        sealed: &[],
        file: None,
        enterprise_fields: None,
    }
}

const BY_USER: Option<&str> = Some("user_id = $1");
const BY_ENTERPRISE: Option<&str> = Some("enterprise_id = $1");

pub const SOURCES: &[Source] = &[
    // The open API's callbacks (issue 19): the address, and the deliveries' payloads.
    s("api_callbacks", None, BY_ENTERPRISE, &["set_at"]),
    s(
        "callback_deliveries",
        None,
        BY_ENTERPRISE,
        &["id", "event", "subject", "status", "created_at", "delivered_at"],
    ),
    // The task library (issue 18): the enterprise's tasks.
    s(
        "tasks",
        None,
        BY_ENTERPRISE,
        &["id", "status", "created_at", "submitted_at", "decided_at", "closed_at"],
    ),
    // The worker register and the completion records (issue 18): the enterprise's payees,
    // their numbers opened for the copy (contexts `workers.{column}:{id}`, and so on).
    Source {
        sealed: &[("id_number_enc", "id"), ("mobile_enc", "id")],
        ..s(
            "workers",
            None,
            BY_ENTERPRISE,
            &["id", "source", "created_at", "updated_at"],
        )
    },
    Source {
        sealed: &[("account_enc", "id")],
        ..s(
            "worker_accounts",
            None,
            BY_ENTERPRISE,
            &["id", "worker_id", "channel", "created_at"],
        )
    },
    Source {
        sealed: &[("mobile_enc", "id")],
        ..s(
            "worker_sign_invites",
            None,
            BY_ENTERPRISE,
            &["id", "worker_id", "created_at", "expires_at", "used_at"],
        )
    },
    s(
        "worker_signatures",
        None,
        BY_ENTERPRISE,
        &["id", "worker_id", "version", "signed_at", "method", "released_at"],
    ),
    s(
        "task_completions",
        None,
        BY_ENTERPRISE,
        &["id", "task_id", "worker_id", "status", "order_ref", "recorded_at", "accepted_at"],
    ),
    // Customer service (issue 18 §3): the tickets a person opened (an enterprise's copy: all of
    // its tickets), their recorded conversations and files.
    s(
        "support_tickets",
        Some("opened_by = $1"),
        BY_ENTERPRISE,
        &["id", "status", "created_at", "closed_at"],
    ),
    s(
        "support_messages",
        Some("ticket_id IN (SELECT id FROM support_tickets WHERE opened_by = $1)"),
        Some("ticket_id IN (SELECT id FROM support_tickets WHERE enterprise_id = $1)"),
        &["ticket_id", "seq", "author", "created_at"],
    ),
    Source {
        file: Some(("id", "id")),
        ..s(
            "support_attachments",
            Some("ticket_id IN (SELECT id FROM support_tickets WHERE opened_by = $1)"),
            Some("ticket_id IN (SELECT id FROM support_tickets WHERE enterprise_id = $1)"),
            &["ticket_id", "message_id", "kind", "created_at"],
        )
    },
    // A person's own tables.
    Source {
        sealed: &[("mobile_enc", "id"), ("email_enc", "id")],
        // An enterprise's copy names its login persons and their roles; their contact details
        // are each person's own (the members page shows them masked).
        enterprise_fields: Some(&["name"]),
        ..s(
            "users",
            Some("id = $1"),
            BY_ENTERPRISE,
            &["id", "role", "permissions", "status", "created_at", "lang"],
        )
    },
    s(
        "consent_records",
        BY_USER,
        None,
        &["id", "revision", "lang", "created_at"],
    ),
    s(
        "inbox_messages",
        BY_USER,
        None,
        &["id", "category", "created_at", "read_at"],
    ),
    s(
        "login_events",
        Some("principal_kind = 'user' AND principal_id = $1"),
        None,
        &["id", "at"],
    ),
    s(
        "message_preferences",
        BY_USER,
        None,
        &["category", "channel", "updated_at"],
    ),
    Source {
        // The text of what was sent; the address is the user's own (in `users`).
        sealed: &[("body_enc", "id"), ("sms_enc", "id")],
        ..s(
            "outbox",
            BY_USER,
            None,
            &[
                "id",
                "channel",
                "purpose",
                "status",
                "created_at",
                "sent_at",
            ],
        )
    },
    s(
        "policy_acceptances",
        BY_USER,
        None,
        &[
            "id",
            "privacy_version_id",
            "terms_version_id",
            "accepted_at",
        ],
    ),
    s(
        "policy_declines",
        BY_USER,
        None,
        &[
            "id",
            "privacy_version_id",
            "terms_version_id",
            "declined_at",
        ],
    ),
    s(
        "purpose_consents",
        BY_USER,
        None,
        &["id", "purpose", "created_at"],
    ),
    s(
        "sessions",
        Some("principal_kind = 'user' AND principal_id = $1"),
        None,
        &["created_at", "last_seen_at", "expires_at"],
    ),
    Source {
        sealed: &[
            ("openid_enc", "user_id"),
            ("unionid_enc", "user_id"),
            ("nickname_enc", "user_id"),
        ],
        file: Some(("avatar_file_id", "avatar_file_id")),
        ..s(
            "wechat_bindings",
            BY_USER,
            None,
            &["identity_kind", "scope", "bound_at"],
        )
    },
    Source {
        sealed: &[
            ("details_enc", "id"),
            ("answer_enc", "id"),
            ("fee_reason_enc", "id"),
        ],
        ..s(
            "privacy_requests",
            BY_USER,
            Some("enterprise_id = $1 AND scope = 'enterprise'"),
            &[
                "id",
                "kind",
                "scope",
                "status",
                "submitted_at",
                "due_at",
                "answered_at",
                "refusal",
            ],
        )
    },
    Source {
        sealed: &[("proposed_enc", "id"), ("before_enc", "id")],
        ..s(
            "privacy_corrections",
            Some("request_id IN (SELECT id FROM privacy_requests WHERE user_id = $1)"),
            Some(
                "request_id IN (SELECT id FROM privacy_requests WHERE enterprise_id = $1 AND scope = 'enterprise')",
            ),
            &["id", "request_id", "field", "applied_at"],
        )
    },
    // The enterprise's records (a person's copy has the application they filed).
    s(
        "applications",
        BY_USER,
        BY_ENTERPRISE,
        &["id", "status", "submitted_at", "decided_at", "created_at"],
    ),
    Source {
        file: Some(("storage_key", "id")),
        ..s(
            "stored_files",
            Some("application_id IN (SELECT id FROM applications WHERE user_id = $1)"),
            Some("application_id IN (SELECT id FROM applications WHERE enterprise_id = $1)"),
            &[
                "id",
                "application_id",
                "purpose",
                "content_type",
                "size_bytes",
                "sha256",
                "created_at",
            ],
        )
    },
    s(
        "enterprises",
        None,
        Some("id = $1"),
        &["id", "status", "created_at", "closed_at"],
    ),
    Source {
        sealed: &[("payer_account_enc", "id")],
        ..s(
            "bank_credits",
            None,
            BY_ENTERPRISE,
            &["id", "bank_ref", "value_date", "status", "created_at"],
        )
    },
    s(
        "ledger_accounts",
        None,
        BY_ENTERPRISE,
        &["id", "kind", "updated_at"],
    ),
    s(
        "ledger_transactions",
        None,
        BY_ENTERPRISE,
        &["id", "kind", "reference", "reverses", "created_at"],
    ),
    s(
        "ledger_postings",
        None,
        BY_ENTERPRISE,
        &["seq", "tx_id", "account_id", "category", "created_at"],
    ),
    s(
        "monthly_bills",
        None,
        BY_ENTERPRISE,
        &["month", "generated_at"],
    ),
    s(
        "payment_batches",
        None,
        BY_ENTERPRISE,
        &["id", "status", "created_at", "decided_at"],
    ),
    Source {
        // The cipher's context is `payment_orders.{column}:{id}`.
        sealed: &[
            ("id_number_enc", "id"),
            ("account_enc", "id"),
            ("mobile_enc", "id"),
        ],
        ..s(
            "payment_orders",
            None,
            BY_ENTERPRISE,
            &[
                "id",
                "order_id",
                "batch_id",
                "channel",
                "status",
                "reason",
                "created_at",
                "paid_at",
                "receipt_code",
            ],
        )
    },
    s("receiving_accounts", None, BY_ENTERPRISE, &["created_at"]),
    Source {
        // A transfer keeps the withdrawal account's number as it was sealed there.
        sealed: &[("account_no_enc", "enterprise_id")],
        ..s(
            "transfers",
            None,
            BY_ENTERPRISE,
            &["id", "status", "reason", "requested_at", "decided_at"],
        )
    },
    Source {
        sealed: &[("account_no_enc", "enterprise_id")],
        ..s("withdrawal_accounts", None, BY_ENTERPRISE, &["updated_at"])
    },
    // Invoices (issue 17): the profile, its versions, the applications and their files.
    Source {
        sealed: &[
            ("bank_account_enc", "enterprise_id"),
            ("mail_phone_enc", "enterprise_id"),
            ("emails_enc", "enterprise_id"),
        ],
        ..s(
            "invoice_profiles",
            None,
            BY_ENTERPRISE,
            &["taxpayer_id_state", "updated_at"],
        )
    },
    Source {
        sealed: &[("snapshot_enc", "id")],
        ..s(
            "invoice_profile_history",
            None,
            BY_ENTERPRISE,
            &["id", "changed_at"],
        )
    },
    Source {
        sealed: &[
            ("emails_enc", "id"),
            ("buyer_enc", "id"),
            ("mailing_enc", "id"),
        ],
        file: Some(("file_key", "file_key")),
        ..s(
            "invoice_applications",
            None,
            BY_ENTERPRISE,
            &[
                "id",
                "status",
                "part",
                "parts",
                "applied_at",
                "issued_at",
                "mailed_at",
                "reversed_at",
            ],
        )
    },
];

impl Source {
    /// The exportable fields of this table in a copy of a person's (`enterprise` false) or an
    /// enterprise's data.
    pub fn exported(&self, enterprise: bool) -> Vec<&'static crate::model::data_map::Field> {
        let Some(map) = crate::model::data_map::table(self.table) else {
            return Vec::new();
        };
        map.fields
            .iter()
            .filter(|f| f.export)
            .filter(|f| match (enterprise, self.enterprise_fields) {
                (true, Some(only)) => only.contains(&f.column),
                _ => true,
            })
            .collect()
    }

    /// The context an encrypted column of this table is sealed with, for the row whose
    /// `key` column holds `key_value`.
    pub fn seal_context(&self, column: &str, key_value: &str) -> String {
        let table = match (self.table, column) {
            // A transfer's number is the withdrawal account's, sealed there.
            ("transfers", "account_no_enc") => "withdrawal_accounts",
            (t, _) => t,
        };
        let name = column.strip_suffix("_enc").unwrap_or(column);
        format!("{table}.{name}:{key_value}")
    }

    /// The column completing an encrypted column's context.
    pub fn seal_key(&self, column: &str) -> Option<&'static str> {
        self.sealed
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, k)| *k)
    }
}

/// The source of `table`.
pub fn source(table: &str) -> Option<&'static Source> {
    SOURCES.iter().find(|s| s.table == table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::data_map::{self, Subject};

    #[test]
    fn p6_1_every_exportable_table_of_the_map_has_a_source() {
        for t in data_map::tables() {
            if !t.fields.iter().any(|f| f.export) {
                continue;
            }
            let src = source(t.table).unwrap_or_else(|| panic!("{}: no export source", t.table));
            match t.subject {
                Subject::Person => assert!(src.person.is_some(), "{}: a person's rows", t.table),
                Subject::Enterprise => {
                    assert!(
                        src.enterprise.is_some(),
                        "{}: an enterprise's rows",
                        t.table
                    )
                }
                other => panic!("{}: a {other:?} table is exportable", t.table),
            }
        }
    }

    #[test]
    fn p6_1_sources_stay_within_the_map() {
        for src in SOURCES {
            let t = data_map::table(src.table)
                .unwrap_or_else(|| panic!("{}: not in the data map", src.table));
            assert!(
                t.fields.iter().any(|f| f.export),
                "{}: nothing to export",
                src.table
            );
            // Context columns are technical: no personal value enters a copy unless the map
            // marks it exportable.
            for c in src.context {
                assert!(
                    t.technical.contains(c),
                    "{}.{c} is not a technical column",
                    t.table
                );
            }
            // Every exportable encrypted column can be opened, and nothing else is listed.
            for f in t
                .fields
                .iter()
                .filter(|f| f.export && f.column.ends_with("_enc"))
            {
                let key = src
                    .seal_key(f.column)
                    .unwrap_or_else(|| panic!("{}.{}: no cipher context", t.table, f.column));
                assert!(data_map::knows(t.table, key), "{}.{key}", t.table);
            }
            for (c, _) in src.sealed {
                assert!(
                    t.fields.iter().any(|f| f.column == *c && f.export),
                    "{}.{c} is sealed here but not exportable",
                    t.table
                );
            }
            // An opened column is named without `_enc`: no two names of a row may meet.
            let mut names: Vec<&str> = src.context.to_vec();
            for f in t.fields.iter().filter(|f| f.export) {
                let name = f.column.strip_suffix("_enc").unwrap_or(f.column);
                assert!(!names.contains(&name), "{}.{name} twice in a copy", t.table);
                names.push(name);
            }
            if let Some((key, id)) = src.file {
                assert!(data_map::knows(t.table, key), "{}.{key}", t.table);
                assert!(data_map::knows(t.table, id), "{}.{id}", t.table);
            }
        }
        assert_eq!(
            source("payment_orders")
                .unwrap()
                .seal_context("id_number_enc", "o1"),
            "payment_orders.id_number:o1"
        );
        assert_eq!(
            source("transfers")
                .unwrap()
                .seal_context("account_no_enc", "e1"),
            "withdrawal_accounts.account_no:e1"
        );
    }
}
