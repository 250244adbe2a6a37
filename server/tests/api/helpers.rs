use app::backend::clock::Clock;
use app::backend::clock::ManualClock;
use app::model::UtcMillis;
use clap::Parser;
use server::config::Cli;
use server::Application;
use sqlx::{Connection, Executor};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::LazyLock;

/// Every test app runs on this one runtime, as in production, whatever runtime the test itself
/// uses: server tasks then never depend on a test's runtime that has already shut down.
static SERVER_RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("server runtime")
});

/// Builds an application on the shared server runtime.
pub async fn build(cli: Cli) -> Result<Application, server::StartupError> {
    build_with_clock(cli, ManualClock::new(UtcMillis::now())).await
}

pub async fn build_with_clock(
    cli: Cli,
    clock: Arc<ManualClock>,
) -> Result<Application, server::StartupError> {
    SERVER_RUNTIME
        .spawn(async move { Application::build_with_clock(&cli.serve, clock).await })
        .await
        .expect("build task")
}

/// The runtime every test app runs on.
pub fn server_runtime() -> &'static tokio::runtime::Runtime {
    &SERVER_RUNTIME
}

/// Runs `f` on the server runtime (where the app's connections live) and waits for it.
pub async fn on_server<F>(f: F) -> F::Output
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    SERVER_RUNTIME.spawn(f).await.expect("server task")
}

/// A running application with its own database and data directory.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub engine: &'static str,
    /// The app's own database, for arranging data a test needs.
    pub db: app::backend::db::Db,
    /// The app's clock: tests move it instead of sleeping.
    pub clock: Arc<ManualClock>,
    /// The app's state, for arranging what only the CLI can do (such as operators).
    pub state: app::backend::AppState,
    /// Shared by the two servers of [`spawn_pair`].
    pub _data_dir: Arc<tempfile::TempDir>,
    /// The flags it was started with (for the CLI's commands on the same database and keys).
    pub args: Vec<String>,
}

/// The flags of a fresh test instance: random port, own data directory, own database.
pub async fn test_args(data_dir: &std::path::Path) -> Vec<String> {
    let database_url = fresh_database_url(data_dir).await;
    vec![
        "server".into(),
        "--listen".into(),
        "127.0.0.1:0".into(),
        "--data-dir".into(),
        data_dir.display().to_string(),
        "--database-url".into(),
        database_url,
        "--db-max-connections".into(),
        "4".into(),
        // Tests drive the payout and delivery workers themselves (`TestApp::payouts`,
        // `TestApp::deliver`).
        "--payout-interval-ms".into(),
        "0".into(),
        "--delivery-interval-ms".into(),
        "0".into(),
        // The test binary is not the server: PDFs go to the server's executable (issue 14).
        "--pdf-helper".into(),
        env!("CARGO_BIN_EXE_server").into(),
    ]
}

/// SQLite in the data directory, or a new database in the PostgreSQL cluster named by
/// `TEST_DATABASE_URL`.
pub async fn fresh_database_url(data_dir: &std::path::Path) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin) if admin.starts_with("postgres") => {
            sqlx::any::install_default_drivers();
            let name = format!("t_{}", app::backend::ids::new_id());
            let mut conn = sqlx::AnyConnection::connect(&admin)
                .await
                .expect("connect to the test cluster");
            conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .expect("create a test database");
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            format!("{base}/{name}")
        }
        _ => format!("sqlite:{}", data_dir.join("test.db").display()),
    }
}

pub fn engine() -> &'static str {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(u) if u.starts_with("postgres") => "postgres",
        _ => "sqlite",
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

pub async fn spawn_app_with(extra: &[&str]) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut args = test_args(dir.path()).await;
    args.extend(extra.iter().map(|s| s.to_string()));
    start(&args, ManualClock::new(UtcMillis::now()), Arc::new(dir)).await
}

/// Two servers on one database and one data directory (so one key file), with one clock, as
/// two processes behind a load balancer (issue 14 §5). The second starts after the first has
/// migrated and seeded the database.
pub async fn spawn_pair(extra: &[&str]) -> (TestApp, TestApp) {
    let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
    let mut args = test_args(dir.path()).await;
    args.extend(extra.iter().map(|s| s.to_string()));
    let clock = ManualClock::new(UtcMillis::now());
    let a = start(&args, clock.clone(), dir.clone()).await;
    let b = start(&args, clock, dir).await;
    (a, b)
}

async fn start(args: &[String], clock: Arc<ManualClock>, dir: Arc<tempfile::TempDir>) -> TestApp {
    let cli = Cli::try_parse_from(args).expect("valid test flags");
    let app = build_with_clock(cli, clock.clone())
        .await
        .expect("the app starts");
    assert_eq!(app.state.db.engine().name(), engine());
    let addr = app.local_addr();
    let db = app.state.db.clone();
    let state = app.state.clone();
    SERVER_RUNTIME.spawn(app.run_until(std::future::pending()));
    TestApp {
        addr,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .expect("client"),
        engine: engine(),
        db,
        clock,
        state,
        _data_dir: dir,
        args: args.to_vec(),
    }
}

impl TestApp {
    pub fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// Calls a server function the way the browser does: a form-encoded POST.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.call_as("", endpoint, form).await
    }

    /// [`TestApp::call`] with a `Cookie` header (`""` for none).
    pub async fn call_as(
        &self,
        cookie: &str,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json");
        if !cookie.is_empty() {
            req = req.header("cookie", cookie);
        }
        req.form(form).send().await.expect("request")
    }

    /// GET with a `Cookie` header and `Accept-Encoding: gzip`, as every browser asks: the body
    /// must arrive whole and decompress. Returns the status and the decompressed text.
    pub async fn get_compressed(&self, cookie: &str, path: &str) -> (u16, String) {
        let (status, bytes) = self.get_compressed_bytes(cookie, path).await;
        (status, String::from_utf8(bytes).expect("UTF-8"))
    }

    /// [`TestApp::get_compressed`] for any file: the decompressed bytes.
    pub async fn get_compressed_bytes(&self, cookie: &str, path: &str) -> (u16, Vec<u8>) {
        let res = self
            .client
            .get(self.url(path))
            .header("cookie", cookie)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        let gzip = res
            .headers()
            .get("content-encoding")
            .is_some_and(|v| v == "gzip");
        let bytes = res.bytes().await.expect("the whole body arrives");
        let body = if gzip {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
                .expect("a complete gzip stream");
            out
        } else {
            bytes.to_vec()
        };
        (status, body)
    }

    /// GET with a `Cookie` header, as a browser asks for a page.
    pub async fn get_as(&self, cookie: &str, path: &str) -> reqwest::Response {
        let mut req = self
            .client
            .get(self.url(path))
            .header("accept", "text/html");
        if !cookie.is_empty() {
            req = req.header("cookie", cookie);
        }
        req.send().await.expect("request")
    }

    /// Logs a login person in; returns the `Cookie` header value for later calls.
    pub async fn login(&self, login: &str, password: &str) -> String {
        let res = self
            .call("login", &[("login", login), ("password", password)])
            .await;
        assert!(res.status().is_success(), "login failed: {}", res.status());
        session_cookie(&res, "esp_session").expect("a session cookie")
    }

    /// Logs an operator in with password and TOTP; returns the `Cookie` header value.
    pub async fn ops_login(&self, login: &str, password: &str, totp_secret: &str) -> String {
        let res = self
            .call("ops_login", &[("login", login), ("password", password)])
            .await;
        assert!(
            res.status().is_success(),
            "ops_login failed: {}",
            res.status()
        );
        let half = session_cookie(&res, "esp_ops_session").expect("an operator cookie");
        // Each TOTP code works once: move to a fresh 30-second step first.
        self.clock.advance_ms(30_000);
        let code = totp_now(totp_secret, &self.clock);
        let res = self.call_as(&half, "ops_totp", &[("code", &code)]).await;
        assert!(
            res.status().is_success(),
            "ops_totp failed: {}",
            res.status()
        );
        session_cookie(&res, "esp_ops_session").expect("a rotated operator cookie")
    }

    /// Registers an applicant (accepting the current policies); returns their cookie.
    pub async fn register(&self, name: &str, mobile: &str, email: &str, password: &str) -> String {
        let started = self.start_registration(name, mobile, email, password).await;
        let id = started["id"].as_str().expect("a registration id");
        let res = self.confirm_registration(id, email, mobile).await;
        assert!(
            res.status().is_success(),
            "confirm_registration failed: {} {}",
            res.status(),
            res.text().await.unwrap_or_default()
        );
        session_cookie(&res, "esp_session").expect("a session cookie")
    }

    /// Registers an applicant with fresh contact details; returns their cookie.
    pub async fn register_unique(&self) -> String {
        self.register_unique_login().await.0
    }

    /// [`TestApp::register_unique`], also returning the mobile number to log in with
    /// (the password is [`APPLICANT_PW`]).
    pub async fn register_unique_login(&self) -> (String, String) {
        let n: u32 = rand::random::<u32>() % 100_000_000;
        let mobile = format!("135{n:08}");
        let cookie = self
            .register(
                "测试申请人",
                &mobile,
                &format!("applicant{n}@example.com"),
                APPLICANT_PW,
            )
            .await;
        (cookie, mobile)
    }

    /// Opens a business account through the real flow (register, upload the licence, submit,
    /// a reviewer approves); returns the new admin's cookie.
    pub async fn open_enterprise(&self, name: &str) -> String {
        self.open_enterprise_login(name).await.0
    }

    /// [`TestApp::open_enterprise`], also returning the admin's mobile number.
    pub async fn open_enterprise_login(&self, name: &str) -> (String, String) {
        let (cookie, mobile) = self.register_unique_login().await;
        let body: String = (0..17)
            .map(|_| char::from(b'0' + rand::random::<u8>() % 10))
            .collect();
        let check = app::model::credit_code::check_char(body.as_bytes()).expect("digits") as char;
        let code = format!("{body}{check}");
        let res = self
            .upload_png(
                &cookie,
                "upload_application_file",
                &[("purpose", "licence")],
                "licence.png",
            )
            .await;
        assert!(
            res.status().is_success(),
            "licence upload: {}",
            res.status()
        );
        let res = self
            .call_as(
                &cookie,
                "save_application",
                &[
                    ("enterprise_name", name),
                    ("credit_code", &code),
                    ("registered_address", "上海市"),
                    ("business_scope", "软件"),
                    ("platform_name", "平台"),
                    ("platform_url", "app"),
                    ("platform_description", "众包"),
                    ("outsourced_work", "配送"),
                    ("intent", "submit"),
                ],
            )
            .await;
        assert!(
            res.status().is_success(),
            "submit: {}",
            res.text().await.unwrap_or_default()
        );
        let app: serde_json::Value = self
            .call_as(&cookie, "my_application", &[])
            .await
            .json()
            .await
            .expect("json");
        let ops = self
            .ops_login(
                app::backend::seed::DEMO.operator_login,
                app::backend::seed::DEMO.operator_password,
                app::backend::seed::DEMO.operator_totp_secret,
            )
            .await;
        let res = self
            .call_as(
                &ops,
                "decide_application",
                &[
                    ("id", app["id"].as_str().expect("id")),
                    ("decision", "approve"),
                ],
            )
            .await;
        assert!(res.status().is_success(), "approve: {}", res.status());
        // The approval ended the applicant's sessions (issue 14): the admin logs in again.
        drop(cookie);
        (self.login(&mobile, APPLICANT_PW).await, mobile)
    }

    /// The demo operator (a super-admin, so also finance), logged in.
    pub async fn finance(&self) -> String {
        let d = &app::backend::seed::DEMO;
        self.ops_login(
            d.operator_login,
            d.operator_password,
            d.operator_totp_secret,
        )
        .await
    }

    /// Opens an enterprise and, when `yuan` is not empty, tops it up through finance.
    pub async fn funded_enterprise(&self, ops: &str, name: &str, yuan: &str) -> Ent {
        let (cookie, mobile) = self.open_enterprise_login(name).await;
        let overview = json(self.call_as(&cookie, "funds_overview", &[]).await).await;
        let account_no = overview["receiving"]["account_no"]
            .as_str()
            .expect("a receiving account")
            .to_string();
        let id: String = sqlx::query_scalar(
            "SELECT enterprise_id FROM receiving_accounts WHERE account_no = $1",
        )
        .bind(&account_no)
        .fetch_one(self.db.pool())
        .await
        .expect("enterprise id");
        let ent = Ent {
            cookie,
            id,
            account_no,
            mobile,
        };
        if !yuan.is_empty() {
            self.top_up(ops, &ent, yuan).await;
        }
        ent
    }

    /// Records a bank credit to the enterprise's receiving account (checked, then confirmed,
    /// as finance does in the console).
    pub async fn top_up(&self, ops: &str, ent: &Ent, yuan: &str) {
        let bank_ref = format!("T{}", &app::backend::ids::new_id()[..20]);
        let date = self.clock.now().china_date();
        let mut form = vec![
            ("bank_ref", bank_ref.as_str()),
            ("value_date", date.as_str()),
            ("payer_name", "付款企业"),
            ("payer_account", "6225880012345678"),
            ("receiving_account_no", ent.account_no.as_str()),
            ("amount", yuan),
            ("bank_fee", ""),
        ];
        let preview = json(self.call_as(ops, "record_credit", &form).await).await;
        assert!(
            preview["Preview"]["enterprise"].is_string(),
            "preview: {preview}"
        );
        form.push(("confirm", "yes"));
        let res = self.call_as(ops, "record_credit", &form).await;
        assert!(res.status().is_success(), "top-up: {}", res.status());
        let done = json(res).await;
        assert_eq!(
            done["Credited"]["enterprise"], preview["Preview"]["enterprise"],
            "{done}"
        );
    }

    /// Runs the payout worker once (after moving time past the simulator's settle delay).
    pub async fn payouts(&self, advance_ms: i64) -> app::backend::payouts::worker::Tick {
        self.clock.advance_ms(advance_ms);
        let state = self.state.clone();
        on_server(async move { app::backend::payouts::worker::tick(&state).await })
            .await
            .expect("a payout pass")
    }

    /// Asserts that the ledger has no drift (P1.1.5).
    /// One pass of the delivery worker (the outbox to its transport).
    pub async fn deliver(&self) -> app::backend::delivery::Tick {
        let state = self.state.clone();
        on_server(
            async move { app::backend::delivery::tick(&state, state.transport.as_ref()).await },
        )
        .await
        .expect("a delivery pass")
    }

    /// The body of the newest message in the development mailbox that `wanted` picks.
    pub async fn mailbox_body(
        &self,
        what: &str,
        wanted: impl Fn(&serde_json::Value) -> bool,
    ) -> String {
        let ops = self.finance().await;
        let mail = json(self.call_as(&ops, "dev_mailbox", &[]).await).await;
        mail.as_array()
            .expect("the mailbox")
            .iter()
            .find(|m| wanted(m))
            .unwrap_or_else(|| panic!("{what} in the development mailbox"))["body"]
            .as_str()
            .expect("a body")
            .to_string()
    }

    /// The newest one-time code the development mailbox holds for `to` (a text or an e-mail),
    /// after delivering what is queued.
    /// (Not the code of the registration that texted the number too.)
    pub async fn code_sent_to(&self, to: &str) -> String {
        self.deliver_all().await;
        let registration = self
            .registration_code(to)
            .await
            .map(|c| format!("验证码为{c}"));
        let body = self
            .mailbox_body("a code", |m| {
                let body = m["body"].as_str().unwrap_or("");
                m["recipient"] == to
                    && body.contains("验证码为")
                    && registration.as_ref().is_none_or(|r| !body.contains(r))
            })
            .await;
        let at = body.find("验证码为").expect("the code") + "验证码为".len();
        body[at..at + 6].to_string()
    }

    /// Delivers everything queued, moving time on a minute at a time so that the limit of one
    /// text a minute per number lets each through.
    pub async fn deliver_all(&self) {
        for _ in 0..30 {
            if self.deliver().await.held == 0 {
                return;
            }
            self.clock.advance_ms(61_000);
        }
        panic!("texts still held after 30 minutes");
    }

    pub async fn assert_ledger_clean(&self) {
        let db = self.db.clone();
        let d = on_server(async move { app::backend::ledger::verify(&db).await })
            .await
            .expect("verify");
        assert!(d.is_clean(), "ledger drift: {d:?}");
    }

    /// The enterprise's (available, reserved, pending withdrawal) balances in fen.
    pub async fn balances(&self, ent: &Ent) -> (i64, i64, i64) {
        let v = json(self.call_as(&ent.cookie, "funds_overview", &[]).await).await;
        (
            v["available"].as_i64().expect("available"),
            v["reserved"].as_i64().expect("reserved"),
            v["pending_withdrawal"].as_i64().expect("pending"),
        )
    }

    pub async fn current_policy_ids(&self) -> (String, String) {
        let p: serde_json::Value = self
            .call("current_policies", &[])
            .await
            .json()
            .await
            .expect("json");
        (
            p["privacy"]["id"].as_str().expect("privacy id").to_string(),
            p["terms"]["id"].as_str().expect("terms id").to_string(),
        )
    }

    /// Counts rows of a table (for "nothing was written" checks).
    pub async fn count(&self, table: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n FROM {table}"
        )))
        .fetch_one(self.db.pool())
        .await
        .expect("count")
        .try_get::<i64, _>("n")
        .expect("n")
    }

    /// How many audit entries record `action`.
    pub async fn audit_count(&self, action: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(self.db.pool())
            .await
            .expect("audit count")
    }
}

pub use crate::fixtures::*;
