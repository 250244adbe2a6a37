//! The data map's customer-service tables (issue 18 §3, P1.1.7): tickets and their recorded
//! conversations, kept for [`TRANSCRIPT_DAYS`] after the ticket closed (the ticket forms and the
//! thread's header announce this period), then deleted by the retention job; erased sooner
//! with the person who opened them, or with a closed enterprise's data.

use super::Category as C;
use super::Erasure::Delete;
use super::Holds::{Enterprise as E, Personal as P};
use super::{f, Retention, Subject, TableMap};
use crate::model::purpose::Purpose;

/// Three years after closing: long enough to settle a complaint about the service.
pub const TRANSCRIPT_DAYS: u32 = 3 * 365;
const KEPT: Retention = Retention::AfterClosing(TRANSCRIPT_DAYS);

pub const SUPPORT: &[TableMap] = &[
    TableMap {
        table: "support_tickets",
        subject: Subject::Person,
        purpose: Purpose::CustomerService,
        retention: KEPT,
        fields: &[
            f("subject", P, C::Communication, true, Delete),
            f("category", E, C::Communication, true, Delete),
            f("rating", P, C::Communication, true, Delete),
            f("rating_note", P, C::Communication, true, Delete),
        ],
        technical: &[
            "id",
            "enterprise_id",
            "opened_by",
            "client_key",
            "status",
            "created_at",
            "updated_at",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "verify_method",
            "verify_requested_at",
            "verified_at",
            "rated_at",
        ],
    },
    TableMap {
        table: "support_messages",
        subject: Subject::Person,
        purpose: Purpose::CustomerService,
        retention: KEPT,
        fields: &[
            f("author_name", P, C::Identity, true, Delete),
            f("body", P, C::Communication, true, Delete),
        ],
        technical: &[
            "id",
            "ticket_id",
            "seq",
            "author",
            "author_id",
            "created_at",
        ],
    },
    TableMap {
        table: "support_attachments",
        subject: Subject::Person,
        purpose: Purpose::CustomerService,
        retention: KEPT,
        fields: &[f("file_name", P, C::Files, true, Delete)],
        technical: &[
            "id",
            "ticket_id",
            "message_id",
            "kind",
            "size_bytes",
            "sha256",
            "created_at",
        ],
    },
    TableMap {
        table: "support_verify_codes",
        subject: Subject::Person,
        purpose: Purpose::AccountSecurity,
        retention: super::EXPIRES,
        fields: &[],
        technical: &[
            "id",
            "ticket_id",
            "code_hash",
            "attempts",
            "expires_at",
            "used_at",
            "created_at",
        ],
    },
];

#[cfg(test)]
mod tests {
    /// P1.1.7: the period the ticket forms announce is the map's rule for the transcripts, and
    /// the retention job's.
    #[test]
    fn p1_1_7_the_recording_notice_reads_the_maps_period() {
        use crate::model::retention::{RetentionDays, RetentionRule};
        assert_eq!(super::super::transcript_days(), super::TRANSCRIPT_DAYS);
        assert_eq!(
            RetentionDays::default().of(RetentionRule::SupportTranscripts),
            super::TRANSCRIPT_DAYS
        );
    }
}
