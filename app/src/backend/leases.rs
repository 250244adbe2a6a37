//! Job leases: a periodic job runs once across the server processes that share a database
//! (issue 14 §5, more than one server).
//!
//! A process claims the lease of a job before a pass. The claim is one conditional upsert: it
//! takes a lease that has expired, or renews the one the process already holds, and changes
//! nothing otherwise, so of two processes claiming at once exactly one gets it (the row's
//! primary key serialises them on both engines). The lease outlives the pass; a process that
//! stops keeps it only until it expires, and then another process takes over.
//!
//! Jobs whose every step is already a compare-and-set (payouts, delivery) need no lease: they
//! may run in every process at once.

use super::db::Db;
use crate::model::UtcMillis;

/// Claims (or renews) the lease `name` for `holder` until `now + ttl_ms`. True when this
/// process holds it now.
pub async fn claim(
    db: &Db,
    name: &str,
    holder: &str,
    now: UtcMillis,
    ttl_ms: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO job_leases (name, holder, until_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_at = excluded.until_at \
         WHERE job_leases.until_at <= $4 OR job_leases.holder = excluded.holder",
    )
    .bind(name)
    .bind(holder)
    .bind(now.0.saturating_add(ttl_ms))
    .bind(now.0)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}
