//! `server bench-api` (issue 19): creates payment orders through the signed open API — the
//! whole server (router, middleware, signature check, rate limit, idempotent creation in the
//! group committer, the sharing log) on a fresh SQLite database in a temporary directory, or on
//! the PostgreSQL database named by `--database-url` (use an empty one) — from many concurrent
//! HTTP clients on this machine, each request signed as `clients/openapi_client.py` signs, and
//! reports orders per second with p50 and p99 latency (request sent to answer read).

use crate::config::{BenchArgs, ServeArgs};
use crate::startup::Application;
use app::backend::audit::Actor;
use app::model::audit::ActorKind;
use app::model::openapi::{CredentialDraft, Scope};
use app::model::Fen;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The benchmark's result.
#[derive(Debug)]
pub struct Report {
    pub engine: &'static str,
    pub orders: u32,
    pub created: u32,
    pub replayed: u32,
    pub refused: u32,
    pub elapsed: Duration,
    pub p50: Duration,
    pub p99: Duration,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} through the signed API: {} requests in {:.2} s = {:.0} orders/s; p50 {:.2} ms, p99 {:.2} ms; {} created, {} idempotent replays, {} refused",
            self.engine,
            self.orders,
            self.elapsed.as_secs_f64(),
            f64::from(self.orders) / self.elapsed.as_secs_f64(),
            self.p50.as_secs_f64() * 1000.0,
            self.p99.as_secs_f64() * 1000.0,
            self.created,
            self.replayed,
            self.refused,
        )
    }
}

/// A key of the benchmark: its id, secret and enterprise.
struct Key {
    key_id: String,
    secret: String,
}

/// The signed headers of a request, as the reference client makes them.
fn sign(key: &Key, path: &str, body: &str, nonce: &str) -> [(String, String); 4] {
    let ts = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs())
    .to_string();
    let canonical =
        app::backend::openapi::verify::canonical("POST", path, "", &ts, nonce, body.as_bytes());
    let sig = hex::encode(app::backend::crypto::hmac_sha256(
        key.secret.as_bytes(),
        canonical.as_bytes(),
    ));
    [
        ("x-key-id".into(), key.key_id.clone()),
        ("x-timestamp".into(), ts),
        ("x-nonce".into(), nonce.into()),
        ("x-signature".into(), sig),
    ]
}

pub async fn run(serve: &ServeArgs, args: &BenchArgs) -> Result<Report, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut serve = serve.clone();
    serve.data_dir = tmp.path().to_path_buf();
    serve.listen = "127.0.0.1:0".parse().map_err(|_| "address")?;
    serve.db_max_connections = serve.db_max_connections.max(8);
    serve.payout_interval_ms = 0;
    serve.delivery_interval_ms = 0;
    serve.work.api_rate_per_second = u32::MAX;
    crate::bench::refuse_used_database(&serve, "bench-api").await?;
    let server = Application::build(&serve)
        .await
        .map_err(|e| e.to_string())?;
    let addr = server.local_addr();
    let state = server.state.clone();
    let stop = Arc::new(tokio::sync::Notify::new());
    let stopped = stop.clone();
    let serving = tokio::spawn(server.run_until(async move { stopped.notified().await }));

    let enterprises = args.enterprises.max(1);
    let per_enterprise = args.orders.div_ceil(enterprises);
    let mut keys = Vec::new();
    let admin = Actor {
        kind: ActorKind::User,
        id: "bench".into(),
        role: "admin".into(),
        ip: "127.0.0.1".into(),
    };
    for e in 0..enterprises {
        let amount = Fen(i64::from(per_enterprise) * 10_600);
        let eid = crate::bench::funded_enterprise(&state, e, amount).await?;
        let draft = CredentialDraft {
            name: "bench".into(),
            scopes: vec![Scope::Orders],
            ip_allow: Vec::new(),
            valid_days: 30,
        };
        let issued = app::backend::openapi::create(&state, &admin, &eid, &draft)
            .await
            .map_err(|e| e.to_string())?;
        keys.push(Key {
            key_id: issued.key_id,
            secret: issued.secret,
        });
    }
    let keys = Arc::new(keys);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.callers as usize)
        .build()
        .map_err(|e| e.to_string())?;
    let url = format!("http://{addr}/openapi/v1/orders");
    let next = Arc::new(AtomicU32::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..args.callers.max(1) {
        let (keys, next, client, url) = (keys.clone(), next.clone(), client.clone(), url.clone());
        let total = args.orders;
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let (mut created, mut replayed, mut refused) = (0u32, 0u32, 0u32);
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    break;
                }
                // Every 20th call retries an earlier order_id with the same body.
                let k = if n % 20 == 19 { n - 10 } else { n };
                let key = &keys[(k % keys.len() as u32) as usize];
                let body = serde_json::json!({
                    "order_id": format!("A-{k}"), "payee_name": "张三",
                    "id_number": crate::bench::id_number(k), "channel": "bank",
                    "account": format!("6222021234{:06}", k % 1_000_000),
                    "mobile": "13800000001", "amount": "100.00", "remark": "bench",
                })
                .to_string();
                let nonce = format!("{c}-{n}");
                let mut req = client.post(&url).body(body.clone());
                for (h, v) in sign(key, "/openapi/v1/orders", &body, &nonce) {
                    req = req.header(h, v);
                }
                let t = Instant::now();
                let res = req.send().await.map_err(|e| e.to_string())?;
                let status = res.status().as_u16();
                let _ = res.bytes().await.map_err(|e| e.to_string())?;
                lat.push(t.elapsed());
                match status {
                    201 => created += 1,
                    200 => replayed += 1,
                    _ => refused += 1,
                }
            }
            Ok::<_, String>((lat, [created, replayed, refused]))
        }));
    }
    let (lat, [created, replayed, refused]) = crate::bench::gather(tasks).await?;
    let elapsed = started.elapsed();
    let pct = |p: f64| crate::bench::percentile(&lat, p);
    crate::bench::no_drift(&state).await?;
    let report = Report {
        engine: state.db.engine().name(),
        orders: args.orders,
        created,
        replayed,
        refused,
        elapsed,
        p50: pct(0.50),
        p99: pct(0.99),
    };
    stop.notify_one();
    let _ = serving.await;
    state.db.close().await;
    Ok(report)
}
