use app::backend::crypto::SecretKey;
use clap::Parser;
use server::config::Cli;
use server::Application;
use sqlx::{Connection, Executor};
use std::net::SocketAddr;
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
    SERVER_RUNTIME
        .spawn(async move { Application::build(&cli.serve).await })
        .await
        .expect("build task")
}

/// A running application with its own database and data directory.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub engine: &'static str,
    /// The app's own database, for arranging data a test needs.
    pub db: app::backend::db::Db,
    pub _data_dir: tempfile::TempDir,
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
    let cli = Cli::try_parse_from(args).expect("valid test flags");
    let app = build(cli).await.expect("the app starts");
    assert_eq!(app.state.db.engine().name(), engine());
    let addr = app.local_addr();
    let db = app.state.db.clone();
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
        _data_dir: dir,
    }
}

impl TestApp {
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
        self.client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request")
    }
}

/// A production-grade key, for tests that start in production mode.
pub fn hex_key() -> String {
    SecretKey::generate().to_hex()
}
