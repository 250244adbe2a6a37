//! The data map's task tables (issue 18, P1.1.6): the tasks an enterprise publishes. Their texts
//! are the enterprise's; they go when its data is erased after closure.

use super::Category as C;
use super::Erasure::Delete;
use super::Holds::Enterprise as E;
use super::{f, Retention, Subject, TableMap};
use crate::model::purpose::Purpose;

pub const TASKS: &[TableMap] = &[TableMap {
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
}];
