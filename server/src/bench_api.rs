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

const PATH: &str = "/openapi/v1/orders";

/// One caller's HTTP/1.1 keep-alive connection, as load generators such as `wrk` keep them: a
/// request is written in one piece and its answer read by its `Content-Length`, so that the
/// client's own work (a general client's pool, header maps and body streams) takes as little as
/// possible of the CPU the server is measured on — the client runs on the same two cores.
struct Conn {
    stream: tokio::net::TcpStream,
    host: String,
    buf: Vec<u8>,
}

impl Conn {
    async fn open(addr: std::net::SocketAddr) -> Result<Conn, String> {
        let stream = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| e.to_string())?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        Ok(Conn {
            stream,
            host: addr.to_string(),
            buf: Vec::with_capacity(4096),
        })
    }

    /// POSTs `body` with `headers`; the answer's status (its body is read and dropped).
    async fn post(
        &mut self,
        path: &str,
        headers: &[(String, String)],
        body: &str,
    ) -> Result<u16, String> {
        use std::fmt::Write as _;
        use tokio::io::AsyncWriteExt;
        let mut req = String::with_capacity(512 + body.len());
        let _ = write!(
            req,
            "POST {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
            self.host,
            body.len()
        );
        for (h, v) in headers {
            let _ = write!(req, "{h}: {v}\r\n");
        }
        req.push_str("\r\n");
        req.push_str(body);
        self.stream
            .write_all(req.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        self.buf.clear();
        let (head_end, status, len) = loop {
            if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = std::str::from_utf8(&self.buf[..end]).map_err(|e| e.to_string())?;
                let status = head
                    .get(9..12)
                    .and_then(|s| s.parse::<u16>().ok())
                    .ok_or_else(|| format!("not an HTTP answer: {head}"))?;
                let len = head
                    .lines()
                    .find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.trim()
                            .eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse::<usize>().ok())?
                    })
                    .ok_or("an answer without Content-Length")?;
                break (end + 4, status, len);
            }
            self.read_more().await?;
        };
        while self.buf.len() < head_end + len {
            self.read_more().await?;
        }
        Ok(status)
    }

    async fn read_more(&mut self) -> Result<(), String> {
        use tokio::io::AsyncReadExt;
        match self.stream.read_buf(&mut self.buf).await {
            Ok(0) => Err("the server closed the connection".into()),
            Ok(_) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
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
    let next = Arc::new(AtomicU32::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..args.callers.max(1) {
        let (keys, next) = (keys.clone(), next.clone());
        let total = args.orders;
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(addr).await?;
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
                let headers = sign(key, PATH, &body, &nonce);
                let t = Instant::now();
                let status = conn.post(PATH, &headers, &body).await?;
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
