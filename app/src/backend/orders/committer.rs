//! Group commit for payment orders: orders from many concurrent callers share one database
//! transaction, without weakening any guarantee.
//!
//! - A caller is answered only after the transaction holding its order has committed.
//! - Idempotency: an order whose key exists is not inserted again; the caller gets the
//!   original (same body) or a conflict (different body). Duplicates inside one group are
//!   answered from their first occurrence.
//! - The balance guard is per order (see [`crate::backend::ledger::group`]): an order that
//!   does not fit is suspended, its neighbours are not affected.
//! - If the group's transaction fails for any other reason, each order is retried in a
//!   transaction of its own, so one bad order never fails its neighbours.
//!
//! SQLite has one writer, so one committer task serves it. On PostgreSQL orders are spread
//! over several committers by enterprise (the same enterprise always goes to the same one).

use super::store::{self, PreparedOrder};
use crate::backend::audit::{self, Event};
use crate::backend::clock::SharedClock;
use crate::backend::db::{Db, Engine};
use crate::backend::ledger::group::{self, Reservation, Reserved};
use crate::error::AppError;
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::funds::{OrderOutcome, OrderStatus, Reason};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Most orders in one transaction.
pub const MAX_GROUP: usize = 512;

struct Job {
    order: PreparedOrder,
    reply: oneshot::Sender<Result<OrderOutcome, AppError>>,
}

/// The handle services submit orders through.
#[derive(Clone)]
pub struct Committer {
    shards: Arc<Vec<mpsc::Sender<Job>>>,
}

impl Committer {
    /// Starts the committer tasks on the current runtime.
    pub fn start(db: Db, clock: SharedClock) -> Committer {
        let n = match db.engine() {
            Engine::Sqlite => 1,
            Engine::Postgres => 4,
        };
        let shards = (0..n)
            .map(|_| {
                let (tx, rx) = mpsc::channel(MAX_GROUP * 4);
                tokio::spawn(run(db.clone(), clock.clone(), rx));
                tx
            })
            .collect();
        Committer {
            shards: Arc::new(shards),
        }
    }

    /// Creates the order (or finds the original) and answers once it has committed.
    pub async fn submit(&self, order: PreparedOrder) -> Result<OrderOutcome, AppError> {
        let shard = shard_of(&order.enterprise_id, self.shards.len());
        let (reply, answer) = oneshot::channel();
        self.shards[shard]
            .send(Job { order, reply })
            .await
            .map_err(|_| AppError::Unavailable)?;
        answer.await.map_err(|_| AppError::Unavailable)?
    }
}

fn shard_of(enterprise_id: &str, n: usize) -> usize {
    let h = enterprise_id
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    (h % n as u64) as usize
}

async fn run(db: Db, clock: SharedClock, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let now = clock.now().0;
        let orders: Vec<&PreparedOrder> = jobs.iter().map(|j| &j.order).collect();
        let results = match commit_group(&db, &orders, now).await {
            Ok(results) => results,
            Err(err) if jobs.len() > 1 => {
                tracing::warn!(error = %err, orders = jobs.len(), "group commit failed; committing one by one");
                let mut results = Vec::with_capacity(jobs.len());
                for o in &orders {
                    results.push(match commit_group(&db, &[o], now).await {
                        Ok(mut r) => r.remove(0),
                        Err(err) => Err(AppError::internal(err)),
                    });
                }
                results
            }
            Err(err) => vec![Err(AppError::internal(err))],
        };
        for (job, result) in jobs.into_iter().zip(results) {
            let _ = job.reply.send(result);
        }
    }
}

/// Commits one group and returns each order's answer, in order.
pub async fn commit_group(
    db: &Db,
    orders: &[&PreparedOrder],
    now: i64,
) -> Result<Vec<Result<OrderOutcome, AppError>>, sqlx::Error> {
    // The first occurrence of each key leads; later ones are answered from it.
    let mut leader_of: HashMap<&str, usize> = HashMap::new();
    let mut leaders: Vec<&PreparedOrder> = Vec::new();
    for (i, o) in orders.iter().enumerate() {
        leader_of.entry(o.client_key.as_str()).or_insert_with(|| {
            leaders.push(o);
            i
        });
    }
    let mut tx = db.begin().await?;
    let inserted = store::insert_new(
        &mut tx,
        &leaders,
        OrderStatus::Accepted,
        Reason::FundsReserved,
        now,
    )
    .await?;
    let inserted: std::collections::HashSet<&str> = inserted.iter().map(String::as_str).collect();
    let missing: Vec<&str> = leaders
        .iter()
        .map(|o| o.client_key.as_str())
        .filter(|k| !inserted.contains(k))
        .collect();
    let existing = store::by_client_keys(&mut tx, &missing).await?;
    let existing: HashMap<&str, (&crate::model::funds::OrderView, &str)> = existing
        .iter()
        .map(|(k, v, h)| (k.as_str(), (v, h.as_str())))
        .collect();

    // Reserve the new orders, enterprise by enterprise in id order.
    let mut by_enterprise: BTreeMap<&str, Vec<&PreparedOrder>> = BTreeMap::new();
    for o in leaders
        .iter()
        .filter(|o| inserted.contains(o.client_key.as_str()))
    {
        by_enterprise.entry(&o.enterprise_id).or_default().push(o);
    }
    let mut ledger = Reserved::default();
    let items: Vec<Vec<Reservation>> = by_enterprise
        .values()
        .map(|list| {
            list.iter()
                .map(|o| Reservation {
                    reference: &o.id,
                    memo: &o.order_id,
                    gross: o.charges.gross.0,
                })
                .collect()
        })
        .collect();
    let groups: Vec<(&str, &[Reservation])> = by_enterprise
        .keys()
        .zip(&items)
        .map(|(eid, list)| (*eid, list.as_slice()))
        .collect();
    let accepted = group::reserve_groups(&mut tx, &groups, now, &mut ledger).await?;
    let mut suspended: Vec<&str> = Vec::new();
    for (list, accepted) in by_enterprise.values().zip(&accepted) {
        suspended.extend(
            list.iter()
                .zip(accepted)
                .filter(|(_, ok)| !**ok)
                .map(|(o, _)| o.id.as_str()),
        );
    }
    store::set_status_many(
        &mut tx,
        &suspended,
        OrderStatus::Suspended,
        Reason::InsufficientBalance,
        now,
    )
    .await?;
    // Every new order is recorded in the audit log in the same transaction.
    let audit: Vec<(String, String)> = leaders
        .iter()
        .filter(|o| inserted.contains(o.client_key.as_str()))
        .map(|o| {
            (
                format!("order:{}", o.id),
                format!("{} {}", o.order_id, o.charges.amount.to_yuan_plain()),
            )
        })
        .collect();
    let events: Vec<Event> = leaders
        .iter()
        .filter(|o| inserted.contains(o.client_key.as_str()))
        .zip(&audit)
        .map(|(o, (target, detail))| Event {
            actor: &o.actor,
            enterprise_id: Some(&o.enterprise_id),
            action: "order.create",
            target,
            result: AuditResult::Ok,
            detail,
        })
        .collect();
    audit::append_many(&mut tx, &events, crate::model::UtcMillis(now)).await?;
    group::write(&mut tx, &ledger).await?;

    let suspended: std::collections::HashSet<&str> = suspended.into_iter().collect();
    let results: Vec<Result<OrderOutcome, AppError>> = orders
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let leader = orders[leader_of[o.client_key.as_str()]];
            let is_leader = leader_of[o.client_key.as_str()] == i;
            if inserted.contains(leader.client_key.as_str()) {
                if !is_leader && o.request_hash != leader.request_hash {
                    return Err(AppError::Conflict(Conflict::OrderIdReused));
                }
                let (status, reason) = if suspended.contains(leader.id.as_str()) {
                    (OrderStatus::Suspended, Reason::InsufficientBalance)
                } else {
                    (OrderStatus::Accepted, Reason::FundsReserved)
                };
                Ok(OrderOutcome {
                    order: leader.view(status, reason, now),
                    replayed: !is_leader,
                })
            } else {
                match existing.get(o.client_key.as_str()) {
                    Some((view, hash)) if *hash == o.request_hash => Ok(OrderOutcome {
                        order: (*view).clone(),
                        replayed: true,
                    }),
                    Some(_) => Err(AppError::Conflict(Conflict::OrderIdReused)),
                    None => Err(AppError::internal("order neither inserted nor found")),
                }
            }
        })
        .collect();
    // The open API's answers (created or replayed, not refused) are sharing events (P3.1.3),
    // written with the orders.
    let shared: Vec<(&str, &str)> = orders
        .iter()
        .zip(&results)
        .filter(|(o, r)| o.via_api && r.is_ok())
        .map(|(o, _)| (o.enterprise_id.as_str(), o.order_id.as_str()))
        .collect();
    if !shared.is_empty() {
        crate::backend::sharing::record_api_orders(&mut tx, &shared, crate::model::UtcMillis(now))
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    }
    tx.commit().await?;
    Ok(results)
}
