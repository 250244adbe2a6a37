//! The real binary: one-line errors with a non-zero exit, and a graceful stop on SIGTERM.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_server");

#[test]
fn a_bad_start_prints_one_line_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args([
            "--data-dir",
            &dir.path().display().to_string(),
            "--production",
            "--listen",
            "127.0.0.1:0",
        ])
        .env_remove("ESP_SESSION_KEY")
        .env_remove("ESP_FIELD_KEY")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: secrets: ESP_SESSION_KEY is required"),
        "{stderr}"
    );
}

#[test]
fn a_bad_flag_is_one_line_too() {
    let out = Command::new(BIN)
        .args(["--listen", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("invalid value 'nowhere' for '--listen"),
        "{stderr}"
    );
}

/// Sends one raw HTTP/1.1 request and returns the response head and body.
fn http_get(port: u16, path: &str, request_id: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\nx-request-id: {request_id}\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = Command::new(BIN)
        .args([
            "--data-dir",
            &dir.path().display().to_string(),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--log-format",
            "json",
        ])
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let res = http_get(port, "/healthz", "req-test-42");
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    assert!(res.contains("x-request-id: req-test-42"), "{res}");

    // A request in flight when the signal arrives: its body is only half sent.
    use std::io::{Read, Write};
    let mut slow = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let body = "limit=3";
    write!(
        slow,
        "POST /api/announcements HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\nlimit=",
        body.len()
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let status = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", child.id())])
        .status()
        .unwrap();
    assert!(status.success());
    std::thread::sleep(Duration::from_millis(300));
    slow.write_all(b"3").unwrap();
    let mut answer = String::new();
    slow.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "the request in flight finishes: {answer}"
    );
    assert!(answer.contains("平台服务上线公告"), "{answer}");

    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit {:?}", out.status);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let logs = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("Demo data created"), "{stdout}");
    assert!(
        stdout.contains("demo-operator"),
        "the demo logins are printed"
    );
    assert!(logs.contains("shut down cleanly"), "{logs}");
    // Structured logs: the request's line is JSON and names its request id.
    let line = logs
        .lines()
        .find(|l| l.contains("req-test-42"))
        .expect("a log line for the request");
    let json: serde_json::Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert_eq!(json["span"]["request_id"], "req-test-42", "{line}");
    assert_eq!(
        json["status"].to_string().trim_matches('"'),
        "200",
        "{line}"
    );
}

/// Operator CLI: `create-operator` reads the password from standard input and prints the
/// TOTP secret once; `verify-audit` checks the chain and names the first broken entry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_cli_creates_operators_and_verifies_the_audit_chain() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let create = |login: &str, roles: &str, password: &str| {
        let mut child = Command::new(BIN)
            .args([
                "--data-dir",
                &data,
                "create-operator",
                "--login",
                login,
                "--name",
                "复核员",
                "--roles",
                roles,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let out = create("reviewer.li", "reviewer,support", "Reviewer-Pass-2026");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("TOTP secret") && stdout.contains("otpauth://totp/"),
        "{stdout}"
    );

    for (login, roles, password, expected) in [
        (
            "reviewer.li",
            "reviewer",
            "Reviewer-Pass-2026",
            "already exists",
        ),
        ("x", "reviewer", "Reviewer-Pass-2026", "login"),
        ("ok.name", "root", "Reviewer-Pass-2026", "unknown role"),
        ("ok.name", "reviewer", "weak", "password"),
    ] {
        let out = create(login, roles, password);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success()
                && stderr.trim().lines().count() == 1
                && stderr.contains(expected),
            "{login}: {stderr}"
        );
    }

    let verify = || {
        Command::new(BIN)
            .args(["--data-dir", &data, "verify-audit"])
            .output()
            .unwrap()
    };
    let out = verify();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("audit chain intact"));

    // Tamper with the second entry.
    let db = app::backend::db::Db::connect(&format!("sqlite:{}/platform.db", data), 1)
        .await
        .unwrap();
    crate::helpers::drop_audit_guard(&db).await;
    sqlx::query("UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = 2")
        .execute(db.pool())
        .await
        .unwrap();
    db.close().await;
    let out = verify();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken at entry 2"), "{stderr}");
}

/// Starts the real server on a fresh port with a fast payout worker and simulator.
fn start_with_payouts(dir: &std::path::Path) -> (std::process::Child, u16) {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = Command::new(BIN)
        .args([
            "--data-dir",
            &dir.display().to_string(),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--payout-interval-ms",
            "20",
            "--payout-settle-ms",
            "150",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, port)
}

/// Counts orders by status straight from the database file.
async fn order_statuses(db: &sqlx::AnyPool) -> std::collections::HashMap<String, i64> {
    sqlx::query_as::<_, (String, i64)>(
        "SELECT status, COUNT(*) FROM payment_orders GROUP BY status",
    )
    .fetch_all(db)
    .await
    .unwrap()
    .into_iter()
    .collect()
}

/// P1.1.5: `kill -9` of the server in the middle of settlement, then a restart on the same
/// database: every acknowledged order is still there, each is paid (or failed) exactly once,
/// and the ledger balances.
#[tokio::test]
async fn p1_1_5_kill_9_mid_settlement_loses_nothing_and_pays_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port) = start_with_payouts(dir.path());
    server::http::install_crypto_provider();
    let client = reqwest::Client::new();
    let url = |p: &str| format!("http://127.0.0.1:{port}{p}");
    let res = client
        .post(url("/api/login"))
        .header("accept", "application/json")
        .form(&[
            ("login", app::backend::seed::DEMO.admin_mobile),
            ("password", app::backend::seed::DEMO.admin_password),
        ])
        .send()
        .await
        .unwrap();
    let cookie = crate::helpers::session_cookie(&res, "esp_session").expect("logged in");
    let n = 40;
    for i in 0..n {
        let account = if i % 10 == 0 {
            "6222021234560002"
        } else {
            "6222021234561234"
        };
        let id = format!("K-{i}");
        let res = client
            .post(url("/api/create_order"))
            .header("accept", "application/json")
            .header("cookie", &cookie)
            .form(&crate::helpers::order_form(&id, "bank", account, "10"))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "order {i}: {}", res.status());
    }
    sqlx::any::install_default_drivers();
    let db_url = format!(
        "sqlite:{}?mode=ro",
        dir.path().join("platform.db").display()
    );
    let db = sqlx::AnyPool::connect(&db_url).await.unwrap();
    // Kill once some orders are settled and others are still in flight.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let s = order_statuses(&db).await;
        let settled = s.get("paid").copied().unwrap_or(0) + s.get("failed").copied().unwrap_or(0);
        if settled > 0 && settled < n {
            break;
        }
        assert!(
            Instant::now() < deadline && settled < n,
            "never caught mid-settlement: {s:?}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let at_kill = order_statuses(&db).await;

    let (mut child, _) = start_with_payouts(dir.path());
    let deadline = Instant::now() + Duration::from_secs(30);
    let finished = loop {
        let s = order_statuses(&db).await;
        if s.get("paid").copied().unwrap_or(0) + s.get("failed").copied().unwrap_or(0) == n {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "orders did not finish after the restart: {s:?} (at the kill: {at_kill:?})"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(finished.get("failed").copied(), Some(4), "{finished:?}");
    let payouts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sim_payouts")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(payouts, n, "one payout per order");
    let posts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'order_post'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(posts, 36, "each paid order posted once");
    db.close().await;
    let out = Command::new(BIN)
        .args([
            "--data-dir",
            &dir.path().display().to_string(),
            "verify-ledger",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("drift 0"));
}
