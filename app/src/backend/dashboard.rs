//! The dashboards' queue registry. Each entry names a queue, who may act on it, and one query
//! returning `(count, oldest)`; the portal's take the enterprise as `$1`. A later domain
//! (invoices, privacy requests, tickets, tasks) adds its queue here.

use super::AppState;
use crate::error::AppResult;
use crate::model::access::{member_may, operator_may, roles, MemberNeeds};
use crate::model::account::{MemberRole, OperatorRole, Permission};
use crate::model::dashboard::{Dashboard, Queue, Tile};
use crate::model::UtcMillis;

/// A console queue: the roles that work it, and its query.
pub struct OpsTile {
    pub queue: Queue,
    pub roles: &'static [OperatorRole],
    pub sql: &'static str,
}

/// A portal queue: who in the enterprise works it, and its query (`$1`: the enterprise;
/// `$2`, if used: now).
pub struct PortalTile {
    pub queue: Queue,
    pub needs: MemberNeeds,
    pub sql: &'static str,
}

pub const OPS_TILES: &[OpsTile] = &[
    OpsTile {
        queue: Queue::Applications,
        roles: roles::REVIEWERS,
        sql: "SELECT COUNT(*), MIN(submitted_at) FROM applications WHERE status = 'submitted'",
    },
    OpsTile {
        queue: Queue::UnmatchedCredits,
        roles: roles::FINANCE,
        sql: "SELECT COUNT(*), MIN(created_at) FROM bank_credits WHERE status = 'unmatched'",
    },
    OpsTile {
        queue: Queue::CreditsToCheck,
        roles: roles::FINANCE,
        sql: "SELECT COUNT(*), MIN(created_at) FROM bank_credits WHERE status = 'held'",
    },
    OpsTile {
        queue: Queue::TransfersToApprove,
        roles: roles::FINANCE,
        sql: "SELECT COUNT(*), MIN(requested_at) FROM transfers WHERE status IN ('requested', 'checked')",
    },
    OpsTile {
        queue: Queue::OutboxFailed,
        roles: roles::PRIVACY_OFFICERS,
        sql: "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = 'dead'",
    },
    OpsTile {
        queue: Queue::RightsRequests,
        roles: roles::PRIVACY_OFFICERS,
        sql: "SELECT COUNT(*), MIN(submitted_at) FROM privacy_requests WHERE status IN ('verified', 'in_progress')",
    },
    OpsTile {
        queue: Queue::InvoicesToIssue,
        roles: roles::FINANCE,
        sql: "SELECT COUNT(*), MIN(applied_at) FROM invoice_applications WHERE status IN ('submitted', 'issuing')",
    },
    OpsTile {
        queue: Queue::RedLettersToApprove,
        roles: roles::FINANCE,
        sql: "SELECT COUNT(*), MIN(red_at) FROM invoice_applications \
              WHERE red_number IS NOT NULL AND status IN ('issued', 'mailed')",
    },
    OpsTile {
        queue: Queue::TaxpayerIds,
        roles: roles::REVIEWERS,
        sql: "SELECT COUNT(*), MIN(updated_at) FROM invoice_profiles WHERE taxpayer_id_state = 'pending'",
    },
    OpsTile {
        queue: Queue::TasksToReview,
        roles: roles::REVIEWERS,
        sql: "SELECT COUNT(*), MIN(submitted_at) FROM tasks WHERE status = 'in_review'",
    },
    OpsTile {
        queue: Queue::TicketsWaiting,
        roles: roles::SUPPORT,
        sql: "SELECT COUNT(*), MIN(updated_at) FROM support_tickets WHERE status IN ('open', 'waiting_us')",
    },
];

pub const PORTAL_TILES: &[PortalTile] = &[
    PortalTile {
        queue: Queue::BatchesToConfirm,
        needs: MemberNeeds::Permission(Permission::Funds),
        sql: "SELECT COUNT(*), MIN(created_at) FROM payment_batches \
              WHERE enterprise_id = $1 AND status = 'awaiting_confirmation'",
    },
    PortalTile {
        queue: Queue::SuspendedOrders,
        needs: MemberNeeds::Permission(Permission::Funds),
        sql: "SELECT COUNT(*), MIN(updated_at) FROM payment_orders \
              WHERE enterprise_id = $1 AND status = 'suspended'",
    },
    PortalTile {
        queue: Queue::MyTransfersWaiting,
        needs: MemberNeeds::Permission(Permission::Funds),
        sql: "SELECT COUNT(*), MIN(requested_at) FROM transfers \
              WHERE enterprise_id = $1 AND status IN ('requested', 'checked')",
    },
    PortalTile {
        queue: Queue::OpenInvites,
        needs: MemberNeeds::Admin,
        sql: "SELECT COUNT(*), MIN(created_at) FROM invites \
              WHERE enterprise_id = $1 AND used_at IS NULL AND expires_at > $2",
    },
    PortalTile {
        queue: Queue::MyInvoicesWaiting,
        needs: MemberNeeds::Permission(Permission::Finance),
        sql: "SELECT COUNT(*), MIN(applied_at) FROM invoice_applications \
              WHERE enterprise_id = $1 AND status IN ('submitted', 'issuing')",
    },
    PortalTile {
        queue: Queue::TasksToChange,
        needs: MemberNeeds::Permission(Permission::Tasks),
        sql: "SELECT COUNT(*), MIN(decided_at) FROM tasks WHERE enterprise_id = $1 AND status = 'changes_requested'",
    },
];

fn tile(queue: Queue, (count, oldest): (i64, Option<i64>)) -> Tile {
    Tile {
        queue,
        count,
        oldest_at: oldest.filter(|_| count > 0).map(UtcMillis),
    }
}

/// The console's tiles for an operator holding `held`.
pub async fn ops(state: &AppState, held: &[OperatorRole]) -> AppResult<Dashboard> {
    let mut conn = state.db.conn().await?;
    let mut tiles = Vec::new();
    for t in OPS_TILES.iter().filter(|t| operator_may(held, t.roles)) {
        let row: (i64, Option<i64>) = sqlx::query_as(t.sql).fetch_one(&mut *conn).await?;
        tiles.push(tile(t.queue, row));
    }
    Ok(Dashboard {
        now: state.clock.now(),
        tiles,
    })
}

/// The portal's tiles for a login person of `enterprise_id`.
pub async fn portal(
    state: &AppState,
    enterprise_id: &str,
    role: MemberRole,
    permissions: &[Permission],
) -> AppResult<Dashboard> {
    let now = state.clock.now();
    let mut conn = state.db.conn().await?;
    let mut tiles = Vec::new();
    for t in PORTAL_TILES
        .iter()
        .filter(|t| member_may(role, permissions, t.needs))
    {
        let mut query = sqlx::query_as(t.sql).bind(enterprise_id);
        if t.sql.contains("$2") {
            query = query.bind(now.0);
        }
        let row: (i64, Option<i64>) = query.fetch_one(&mut *conn).await?;
        tiles.push(tile(t.queue, row));
    }
    Ok(Dashboard { now, tiles })
}
