//! `server bench-export`: builds a copy of one enterprise's data (issue 16 §3, P6.1) with
//! `--lines` ledger lines (100,000 by default) and reports the server time, the CPU time, and
//! the resident memory at the start and the most it reached during the build (sampled every
//! 5 ms), so that "flat memory" is a figure. Runs on a fresh SQLite database in a temporary
//! directory, or on the empty PostgreSQL database named by `--database-url`. The copy is then opened and its ledger lines counted, so a fast build that
//! leaves lines out fails.

use crate::config::{BenchExportArgs, ServeArgs};
use crate::startup::open_state;
use app::backend::clock::SystemClock;
use app::backend::files::sealed_stream;
use app::backend::rights::export;
use app::model::Fen;
use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The benchmark's result.
#[derive(Debug)]
pub struct Report {
    pub engine: &'static str,
    pub lines: u32,
    pub zip_bytes: u64,
    pub elapsed: Duration,
    pub cpu: Duration,
    /// Resident memory (KiB) when the build began, and the most it reached during it
    /// (sampled every 5 ms).
    pub rss_start_kib: i64,
    pub rss_max_kib: i64,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: a copy with {} ledger lines in {:.2} s ({:.2} s CPU), {:.1} MB ZIP; resident memory {:.1} MB at the start, at most {:.1} MB during the build",
            self.engine,
            self.lines,
            self.elapsed.as_secs_f64(),
            self.cpu.as_secs_f64(),
            self.zip_bytes as f64 / 1e6,
            self.rss_start_kib as f64 / 1024.0,
            self.rss_max_kib as f64 / 1024.0,
        )
    }
}

/// User + system CPU time of this process.
fn cpu() -> Duration {
    // SAFETY: getrusage writes the struct it is given; a zeroed rusage is a valid value.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let t = |tv: libc::timeval| Duration::new(tv.tv_sec as u64, tv.tv_usec as u32 * 1000);
    t(u.ru_utime) + t(u.ru_stime)
}

/// Resident memory of this process now (KiB), from `/proc/self/statm` (0 where there is none).
fn rss_kib() -> i64 {
    let pages = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<i64>().ok())
        .unwrap_or(0);
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as i64;
    pages * page / 1024
}

pub async fn run(serve: &ServeArgs, args: &BenchExportArgs) -> Result<Report, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut serve = serve.clone();
    serve.data_dir = tmp.path().to_path_buf();
    crate::bench::refuse_used_database(&serve, "bench-export").await?;
    let (state, _) = open_state(&serve, Arc::new(SystemClock))
        .await
        .map_err(|e| e.to_string())?;
    let e = |e: sqlx::Error| e.to_string();
    let eid = crate::bench::funded_enterprise(&state, 0, Fen(100_000_000)).await?;
    let now = state.clock.now().0;
    let uid = app::backend::ids::new_id();
    let mut tx = state.db.begin().await.map_err(e)?;
    let c = &state.cipher;
    sqlx::query(
        "INSERT INTO users (id, enterprise_id, name, mobile_enc, mobile_idx, email_enc, email_idx, password_hash, role, status, created_at, updated_at) \
         VALUES ($1, $2, 'Bench Admin', $3, $4, $5, $6, '-', 'admin', 'active', $7, $7)",
    )
    .bind(&uid)
    .bind(&eid)
    .bind(c.encrypt_text("13500000000", &format!("users.mobile:{uid}")))
    .bind(format!("bench-m-{uid}"))
    .bind(c.encrypt_text("bench@example.com", &format!("users.email:{uid}")))
    .bind(format!("bench-e-{uid}"))
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(e)?;
    // The lines: one transaction of two lines each, on the enterprise's own accounts.
    let accounts: Vec<String> =
        sqlx::query_scalar("SELECT id FROM ledger_accounts WHERE enterprise_id = $1 ORDER BY id")
            .bind(&eid)
            .fetch_all(&mut *tx)
            .await
            .map_err(e)?;
    let (a, b) = (&accounts[0], &accounts[accounts.len() - 1]);
    let txs = args.lines.div_ceil(2);
    for chunk in (0..txs).collect::<Vec<_>>().chunks(200) {
        let mut t_sql = String::from(
            "INSERT INTO ledger_transactions (id, enterprise_id, kind, reference, memo, created_at) VALUES ",
        );
        let mut p_sql = String::from(
            "INSERT INTO ledger_postings (tx_id, account_id, enterprise_id, category, amount, balance_after, created_at) VALUES ",
        );
        for (i, n) in chunk.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            let tid = format!("bench-tx-{n:08}");
            t_sql.push_str(&format!(
                "{sep}('{tid}', '{eid}', 'bench', 'B-{n}', 'bench line', {})",
                now + i64::from(*n)
            ));
            p_sql.push_str(&format!(
                "{sep}('{tid}', '{a}', '{eid}', 'payment', -{amt}, {bal}, {t}),('{tid}', '{b}', '{eid}', 'payment', {amt}, {amt}, {t})",
                amt = 100 + n % 900,
                bal = 1_000_000 - i64::from(*n),
                t = now + i64::from(*n),
            ));
        }
        sqlx::query(sqlx::AssertSqlSafe(t_sql))
            .execute(&mut *tx)
            .await
            .map_err(e)?;
        sqlx::query(sqlx::AssertSqlSafe(p_sql))
            .execute(&mut *tx)
            .await
            .map_err(e)?;
    }
    let rid = app::backend::ids::new_id();
    sqlx::query(
        "INSERT INTO privacy_requests (id, user_id, enterprise_id, kind, scope, details_enc, status, form_key, submitted_at, updated_at) \
         VALUES ($1, $2, $3, 'copy', 'enterprise', $4, 'completed', $1, $5, $5)",
    )
    .bind(&rid)
    .bind(&uid)
    .bind(&eid)
    .bind(c.encrypt_text("", &format!("privacy_requests.details:{rid}")))
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(e)?;
    export::create(&mut tx, &rid, state.clock.now())
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(e)?;
    let lines: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM ledger_postings WHERE enterprise_id = $1")
            .bind(&eid)
            .fetch_one(state.db.pool())
            .await
            .map_err(e)?;

    // The lines were just written in one transaction: SQLite checkpoints its write-ahead log
    // now, as it would have long before anyone asks for a copy, not during the build.
    if state.db.engine() == app::backend::db::Engine::Sqlite {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(state.db.pool())
            .await
            .map_err(e)?;
    }
    let rss_start_kib = rss_kib();
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        std::thread::spawn(move || {
            let mut max = 0;
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                max = max.max(rss_kib());
                std::thread::sleep(Duration::from_millis(5));
            }
            max
        })
    };
    let cpu_before = cpu();
    let started = Instant::now();
    let made = export::run_pending(&state).await.map_err(|e| e.to_string());
    let elapsed = started.elapsed();
    let cpu_after = cpu();
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    let rss_max_kib = sampler.join().unwrap_or(0).max(rss_start_kib);
    let made = made?;
    if made != 1 {
        return Err("the copy was not built".into());
    }

    // Check it: the sealed file opens, and the CSV of ledger lines has every line.
    let (xid, zip_bytes): (String, i64) =
        sqlx::query_as("SELECT id, size_bytes FROM privacy_exports WHERE request_id = $1")
            .bind(&rid)
            .fetch_one(state.db.pool())
            .await
            .map_err(e)?;
    let sealed = std::fs::read(state.exports_dir.join(&xid)).map_err(|e| e.to_string())?;
    let zip = sealed_stream::open_all(
        state.cipher.clone(),
        &format!("privacy_export:{xid}"),
        &sealed,
    )
    .map_err(|e| e.to_string())?;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).map_err(|e| e.to_string())?;
    let mut csv = String::new();
    archive
        .by_name("csv/ledger_postings.csv")
        .map_err(|e| e.to_string())?
        .read_to_string(&mut csv)
        .map_err(|e| e.to_string())?;
    let exported = csv.lines().count() as i64 - 1;
    if exported != lines {
        return Err(format!("the copy has {exported} of {lines} ledger lines"));
    }
    Ok(Report {
        engine: state.db.engine().name(),
        lines: lines as u32,
        zip_bytes: zip_bytes as u64,
        elapsed,
        cpu: cpu_after.saturating_sub(cpu_before),
        rss_start_kib,
        rss_max_kib,
    })
}
