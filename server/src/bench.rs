//! `server bench-orders`: creates payment orders through the service layer (validated,
//! priced, encrypted, balance-checked, idempotent, durable) from many concurrent callers for
//! many enterprises, and reports orders per second and latency percentiles. Runs against a
//! fresh SQLite database in a temporary directory, or against the PostgreSQL database named
//! by `--database-url` (use an empty one).
//!
//! `--instances 2` splits the callers over two application states on the one database, each
//! with its own pool and group committer and nothing shared in memory, as two server
//! processes behind a load balancer are (issue 14 §5).

use crate::config::{BenchArgs, ServeArgs};
use crate::startup::open_state;
use app::backend::audit::Actor;
use app::backend::clock::SystemClock;
use app::backend::{funds, ledger, orders};
use app::model::audit::ActorKind;
use app::model::orders::{OrderForm, OrderInput};
use app::model::Fen;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The benchmark's result.
#[derive(Debug)]
pub struct Report {
    pub engine: &'static str,
    /// Application states (as server processes) sharing the database.
    pub instances: usize,
    pub orders: u32,
    pub accepted: u32,
    pub suspended: u32,
    pub replayed: u32,
    pub elapsed: Duration,
    pub p50: Duration,
    pub p99: Duration,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({} instance(s)): {} calls in {:.2} s = {:.0} orders/s; p50 {:.2} ms, p99 {:.2} ms; {} accepted, {} suspended (balance guard), {} idempotent replays",
            self.engine,
            self.instances,
            self.orders,
            self.elapsed.as_secs_f64(),
            f64::from(self.orders) / self.elapsed.as_secs_f64(),
            self.p50.as_secs_f64() * 1000.0,
            self.p99.as_secs_f64() * 1000.0,
            self.accepted,
            self.suspended,
            self.replayed,
        )
    }
}

/// An ID-card number with a valid check character for a running number.
pub(crate) fn id_number(n: u32) -> String {
    let body = format!("11010519900101{:03}", n % 1000);
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{body}{}", char::from(b"10X98765432"[(sum % 11) as usize]))
}

pub async fn run(serve: &ServeArgs, args: &BenchArgs) -> Result<Report, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    // Keys, files and (unless a database is named) the SQLite database go to a temporary
    // directory, never into a real data directory.
    let mut serve = serve.clone();
    serve.data_dir = tmp.path().to_path_buf();
    serve.db_max_connections = serve.db_max_connections.max(8);
    refuse_used_database(&serve, "bench-orders").await?;
    let (state, _) = open_state(&serve, Arc::new(SystemClock))
        .await
        .map_err(|e| e.to_string())?;
    let enterprises = args.enterprises.max(1);
    let per_enterprise = args.orders.div_ceil(enterprises);
    // Each enterprise is funded for about 95% of its orders (at most 100 yuan each), so the
    // balance guard suspends the rest.
    let mut ids = Vec::new();
    for e in 0..enterprises {
        let amount = Fen(i64::from(per_enterprise) * 10_600 * 95 / 100);
        ids.push(funded_enterprise(&state, e, amount).await?);
    }
    // Further instances open the same database (and the same key file) as more processes do.
    let mut states = vec![state];
    for _ in 1..args.instances.max(1) {
        let (more, _) = open_state(&serve, Arc::new(SystemClock))
            .await
            .map_err(|e| e.to_string())?;
        states.push(more);
    }
    let ids = Arc::new(ids);
    let next = Arc::new(AtomicU32::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..args.callers.max(1) {
        let state = states[c as usize % states.len()].clone();
        let (ids, next) = (ids.clone(), next.clone());
        let actor = Actor {
            kind: ActorKind::User,
            id: "bench".into(),
            role: "admin".into(),
            ip: "127.0.0.1".into(),
        };
        let total = args.orders;
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let (mut accepted, mut suspended, mut replayed) = (0u32, 0u32, 0u32);
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    break;
                }
                // Every 20th call retries an earlier order_id with the same body.
                let k = if n % 20 == 19 { n - 10 } else { n };
                let eid = &ids[(k % ids.len() as u32) as usize];
                let form = OrderForm {
                    order_id: format!("B-{k}"),
                    payee_name: "张三".into(),
                    id_number: id_number(k),
                    channel: "bank".into(),
                    account: format!("6222021234{:06}", k % 1_000_000),
                    mobile: "13800000001".into(),
                    amount: "100.00".into(),
                    remark: "bench".into(),
                    project: String::new(),
                };
                let input = OrderInput::parse(&form).map_err(|e| format!("{e:?}"))?;
                let t = Instant::now();
                let out = orders::create(&state, eid, &actor, &input)
                    .await
                    .map_err(|e| e.to_string())?;
                lat.push(t.elapsed());
                match (out.replayed, out.order.status) {
                    (true, _) => replayed += 1,
                    (false, app::model::funds::OrderStatus::Accepted) => accepted += 1,
                    _ => suspended += 1,
                }
            }
            Ok::<_, String>((lat, [accepted, suspended, replayed]))
        }));
    }
    let (lat, [accepted, suspended, replayed]) = gather(tasks).await?;
    let elapsed = started.elapsed();
    let pct = |p: f64| percentile(&lat, p);
    let state = &states[0];
    no_drift(state).await?;
    let report = Report {
        engine: state.db.engine().name(),
        instances: states.len(),
        orders: args.orders,
        accepted,
        suspended,
        replayed,
        elapsed,
        p50: pct(0.50),
        p99: pct(0.99),
    };
    for s in &states {
        s.db.close().await;
    }
    Ok(report)
}

/// What a caller measured: its latencies and three counts.
pub(crate) type Measured = (Vec<Duration>, [u32; 3]);

/// Waits for the callers: every latency, sorted, and the counts summed.
pub(crate) async fn gather(
    tasks: Vec<tokio::task::JoinHandle<Result<Measured, String>>>,
) -> Result<Measured, String> {
    let (mut lat, mut counts) = (Vec::new(), [0u32; 3]);
    for t in tasks {
        let (l, c) = t.await.map_err(|e| e.to_string())??;
        lat.extend(l);
        for (sum, n) in counts.iter_mut().zip(c) {
            *sum += n;
        }
    }
    lat.sort();
    Ok((lat, counts))
}

/// The `p` quantile of sorted latencies.
pub(crate) fn percentile(lat: &[Duration], p: f64) -> Duration {
    lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default()
}

/// Fails when the ledger drifted (P1.1.5).
pub(crate) async fn no_drift(state: &app::backend::AppState) -> Result<(), String> {
    let drift = ledger::verify(&state.db).await.map_err(|e| e.to_string())?;
    if !drift.is_clean() {
        return Err(format!("ledger drift after the benchmark: {drift:?}"));
    }
    Ok(())
}

/// A bench enterprise (`Bench {e}`) with its ledger accounts, topped up with `amount`.
pub(crate) async fn funded_enterprise(
    state: &app::backend::AppState,
    e: u32,
    amount: Fen,
) -> Result<String, String> {
    let now = state.clock.now();
    let eid = app::backend::ids::new_id();
    let mut tx = state.db.begin().await.map_err(|e| e.to_string())?;
    sqlx::query("INSERT INTO enterprises (id, name, credit_code, status, registered_address, business_scope, created_at) VALUES ($1, $2, $3, 'active', '-', '-', $4)")
        .bind(&eid)
        .bind(format!("Bench {e}"))
        .bind(format!("BENCH{e:013}"))
        .bind(now.0)
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    funds::open_enterprise(&mut tx, &state.settings, &eid, now.0)
        .await
        .map_err(|e| e.to_string())?;
    let account = funds::receiving_account(&mut tx, &eid)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no account")?;
    let credit = app::model::orders::BankCreditInput {
        bank_ref: format!("BENCH-{eid}"),
        value_date: now.china_date(),
        payer_name: "Bench".into(),
        payer_account: "6225880012345678".into(),
        receiving_account_no: account.account_no,
        amount,
        bank_fee: Fen(0),
    };
    funds::credits::record_in(
        &mut tx,
        &state.cipher,
        Fen(0),
        &credit,
        "bench",
        &Actor::system(),
        now.0,
    )
    .await
    .map_err(|e| e.to_string())?
    .map_err(|_| "top-up refused")?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(eid)
}

/// A benchmark writes enterprises, top-ups and more: it refuses a database that holds any
/// already, so it can never run against a real one.
pub(crate) async fn refuse_used_database(serve: &ServeArgs, name: &str) -> Result<(), String> {
    if serve.database_url.is_some() {
        let db = app::backend::db::Db::connect(&serve.database_url(), 1)
            .await
            .map_err(|e| e.to_string())?;
        let used: Result<i64, _> = sqlx::query_scalar("SELECT COUNT(*) FROM enterprises")
            .fetch_one(db.pool())
            .await;
        db.close().await;
        if used.is_ok_and(|n| n > 0) {
            return Err(format!(
                "{name} needs an empty database (this one has enterprises)"
            ));
        }
    }
    Ok(())
}
