//! The data map's invoice tables (issue 17, P1.1.4): the enterprise's invoice profile and its
//! history, and the applications, which are accounting records once issued.

use super::Category as C;
use super::Erasure::{Anonymise, Delete, Keep};
use super::Hold::AccountingArchives as Books;
use super::Holds::{Enterprise as E, Personal as P};
use super::Method::Blank;
use super::{f, Retention, Subject, TableMap, BOOKS};
use crate::model::purpose::Purpose;

pub const INVOICES: &[TableMap] = &[
    TableMap {
        table: "invoice_applications",
        subject: Subject::Enterprise,
        purpose: Purpose::Payments,
        retention: BOOKS,
        fields: &[
            f("amount", E, C::Transaction, true, Keep(Books)),
            f("kind", E, C::Transaction, true, Keep(Books)),
            f("medium", E, C::Transaction, true, Keep(Books)),
            f("goods", E, C::Transaction, true, Keep(Books)),
            f("remark", E, C::Transaction, true, Keep(Books)),
            // Where the electronic invoice was sent: a person's address, blanked at closure.
            f("emails_enc", P, C::Contact, true, Anonymise(Blank)),
            // The buyer as printed on the invoice (address, phone, bank): kept with it.
            f("buyer_enc", E, C::Business, true, Keep(Books)),
            // A paper invoice's mailing contact (a person's name, phone and address): blanked at
            // closure (in applications made before it was apart, blanked inside `buyer_enc`).
            f("mailing_enc", P, C::Contact, true, Anonymise(Blank)),
            f("buyer_title", E, C::Business, true, Keep(Books)),
            f("buyer_taxpayer_id", E, C::Business, true, Keep(Books)),
            f("invoice_number", E, C::Transaction, true, Keep(Books)),
            f("invoice_date", E, C::Transaction, true, Keep(Books)),
            f("tax_rate", E, C::Transaction, true, Keep(Books)),
            f("price", E, C::Transaction, true, Keep(Books)),
            f("tax", E, C::Transaction, true, Keep(Books)),
            f("file_key", E, C::Files, true, Keep(Books)),
            f("reason", E, C::Transaction, true, Keep(Books)),
            f("courier", E, C::Transaction, true, Keep(Books)),
            f("waybill", E, C::Transaction, true, Keep(Books)),
            f("red_number", E, C::Transaction, true, Keep(Books)),
            f("red_date", E, C::Transaction, true, Keep(Books)),
            f("red_reason", E, C::Transaction, true, Keep(Books)),
        ],
        technical: &[
            "id",
            "enterprise_id",
            "client_key",
            "part",
            "parts",
            "status",
            "applied_by",
            "applied_at",
            "started_by",
            "file_type",
            "file_sha256",
            "issued_by",
            "issued_at",
            "decided_by",
            "decided_at",
            "mailed_by",
            "mailed_at",
            "red_by",
            "red_at",
            "red_approved_by",
            "reversed_at",
            "updated_at",
        ],
    },
    TableMap {
        table: "invoice_profile_history",
        subject: Subject::Enterprise,
        purpose: Purpose::Payments,
        retention: Retention::WhileAccount,
        // Each saved version, sealed whole: it holds the mailing contact and the bank account.
        fields: &[f("snapshot_enc", P, C::Business, true, Delete)],
        technical: &["id", "enterprise_id", "changed_by", "changed_at"],
    },
    TableMap {
        table: "invoice_profiles",
        subject: Subject::Enterprise,
        purpose: Purpose::Payments,
        retention: Retention::WhileAccount,
        fields: &[
            f("taxpayer_type", E, C::Business, true, Delete),
            f("title", E, C::Business, true, Delete),
            f("taxpayer_id", E, C::Business, true, Delete),
            f("override_reason", E, C::Business, true, Delete),
            f("reg_address", E, C::Business, true, Delete),
            f("reg_phone", E, C::Business, true, Delete),
            f("bank_name", E, C::FinancialAccount, true, Delete),
            f("bank_account_enc", E, C::FinancialAccount, true, Delete),
            f("bank_account_hint", E, C::FinancialAccount, true, Delete),
            f("mail_name", P, C::Identity, true, Delete),
            f("mail_phone_enc", P, C::Contact, true, Delete),
            f("mail_phone_hint", P, C::Contact, true, Delete),
            f("mail_address", P, C::Contact, true, Delete),
            f("emails_enc", P, C::Contact, true, Delete),
        ],
        technical: &[
            "enterprise_id",
            "taxpayer_id_state",
            "override_by",
            "override_at",
            "updated_by",
            "updated_at",
        ],
    },
];
