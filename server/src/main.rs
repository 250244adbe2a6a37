#![recursion_limit = "512"]

use app::backend::seed::{demo_present, DEMO};
use clap::Parser;
use server::config::{Cli, Command};
use server::{telemetry, Application};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version print in full; a bad flag is one line and exit code 2.
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            let text = e.to_string();
            eprintln!(
                "{}",
                text.lines().next().unwrap_or("error: invalid arguments")
            );
            return ExitCode::from(2);
        }
    };
    telemetry::init(cli.serve.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command.as_ref().unwrap_or(&Command::Serve) {
        Command::Migrate => {
            let db = app::backend::db::Db::connect(&cli.serve.database_url(), 2)
                .await
                .map_err(|e| format!("database: {e}"))?;
            db.migrate().await.map_err(|e| format!("database: {e}"))?;
            println!("migrations applied ({})", db.engine().name());
            Ok(())
        }
        Command::Serve => serve(cli).await,
    }
}

async fn serve(cli: Cli) -> Result<(), String> {
    let application = Application::build(&cli.serve)
        .await
        .map_err(|e| e.to_string())?;
    let addr = application.local_addr();
    if !cli.serve.production && demo_present(&application.state.db).await.unwrap_or(false) {
        print_demo_logins(application.seeded_demo);
    }
    tracing::info!(%addr, engine = application.state.db.engine().name(), production = cli.serve.production, "listening");
    println!("综合服务平台 listening on http://{addr}");
    application
        .run_until(shutdown_signal())
        .await
        .map_err(|e| format!("server: {e}"))?;
    tracing::info!("shut down cleanly");
    Ok(())
}

fn print_demo_logins(created_now: bool) {
    let state = if created_now { "created" } else { "present" };
    println!("Demo data {state} (development mode only):");
    println!(
        "  Operator console  /ops     login {}  password {}",
        DEMO.operator_login, DEMO.operator_password
    );
    println!(
        "  Enterprise portal /portal  {}  ({} or {})  password {}",
        DEMO.enterprise_name, DEMO.admin_email, DEMO.admin_mobile, DEMO.admin_password
    );
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received; finishing requests in flight");
}
