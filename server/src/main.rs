#![recursion_limit = "512"]

use app::backend::accounts::operators;
use app::backend::audit;
use app::backend::clock::SystemClock;
use app::backend::db::Db;
use app::backend::seed::{demo_present, DEMO};
use app::error::AppError;
use app::i18n::Lang;
use app::model::account::OperatorRole;
use clap::Parser;
use server::config::{
    Cli, Command, CreateOperatorArgs, ServeArgs, SmsSimulatorArgs, WechatSimArgs,
};
use server::startup::open_state;
use server::{telemetry, Application};
use std::process::ExitCode;
use std::sync::Arc;

/// jemalloc, for the server's Rust and C code alike (see `server/Cargo.toml`).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
    if matches!(cli.command, Some(Command::StripPdf)) {
        return strip_pdf();
    }
    telemetry::init(cli.serve.log_format);
    server::http::install_crypto_provider();
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

/// `server strip-pdf` (internal, issue 14): the PDF on standard input, without its metadata, on
/// standard output. It limits itself first (heap, CPU time, no core file), so a crafted file can
/// only make this process fail; the server then refuses the upload as damaged. Exit codes:
/// 0, or `EXIT_DAMAGED`/`EXIT_ENCRYPTED` of `app::backend::files::pdf_helper`.
fn strip_pdf() -> ExitCode {
    use app::backend::files::pdf_helper::{
        CPU_SECONDS, EXIT_DAMAGED, EXIT_ENCRYPTED, MEMORY_BYTES,
    };
    use std::io::{Read, Write};
    let set = |resource, value: u64| {
        let limit = libc::rlimit {
            rlim_cur: value,
            rlim_max: value,
        };
        // SAFETY: `limit` is a valid rlimit that lives across the call.
        unsafe { libc::setrlimit(resource, &limit) == 0 }
    };
    // RLIMIT_DATA counts the heap (brk and private mappings), not the executable's mapping.
    if !(set(libc::RLIMIT_DATA, MEMORY_BYTES)
        && set(libc::RLIMIT_CPU, CPU_SECONDS)
        && set(libc::RLIMIT_CORE, 0))
    {
        return ExitCode::FAILURE;
    }
    let mut input = Vec::new();
    let max = app::model::application::MAX_UPLOAD_BYTES as u64;
    if std::io::stdin()
        .lock()
        .take(max + 1)
        .read_to_end(&mut input)
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    match app::backend::files::pdf::strip_pdf(&input) {
        Ok(out) => match std::io::stdout().lock().write_all(&out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        },
        Err(app::error::Rule::PdfEncrypted) => ExitCode::from(EXIT_ENCRYPTED as u8),
        Err(_) => ExitCode::from(EXIT_DAMAGED as u8),
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command.as_ref().unwrap_or(&Command::Serve) {
        Command::Migrate => {
            let db = Db::connect(&cli.serve.database_url(), 2)
                .await
                .map_err(|e| format!("database: {e}"))?;
            db.migrate().await.map_err(|e| format!("database: {e}"))?;
            println!("migrations applied ({})", db.engine().name());
            Ok(())
        }
        Command::Serve => serve(cli).await,
        Command::CreateOperator(args) => create_operator(&cli.serve, args).await,
        Command::VerifyAudit => verify_audit(&cli.serve).await,
        Command::VerifyLedger => verify_ledger(&cli.serve).await,
        Command::Backup(args) => server::backup::backup(&cli.serve, args)
            .await
            .map(|file| println!("backup written: {}", file.display())),
        Command::Restore(args) => server::backup::restore(&cli.serve, args).await.map(|()| {
            println!(
                "restored {}; run verify-ledger and verify-audit",
                args.file.display()
            )
        }),
        Command::SmsSimulator(args) => sms_simulator(&cli.serve, args).await,
        Command::WechatSim(args) => wechat_sim(args).await,
        Command::StripPdf => Err("strip-pdf runs before the runtime starts".into()),
        Command::BenchOrders(args) => {
            let report = server::bench::run(&cli.serve, args).await?;
            println!("{report}");
            Ok(())
        }
        Command::BenchApi(args) => {
            let report = server::bench_api::run(&cli.serve, args).await?;
            println!("{report}");
            Ok(())
        }
        Command::BenchExport(args) => {
            let report = server::bench_export::run(&cli.serve, args).await?;
            println!("{report}");
            Ok(())
        }
    }
}

/// `server create-operator --login … --name … --roles …` (password on standard input).
async fn create_operator(serve: &ServeArgs, args: &CreateOperatorArgs) -> Result<(), String> {
    let mut roles = Vec::new();
    for code in &args.roles {
        roles.push(OperatorRole::from_code(code.trim()).ok_or_else(|| {
            format!("unknown role {code:?} (use reviewer, finance, privacy_officer, support, super_admin)")
        })?);
    }
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let password = password.trim_end_matches(['\r', '\n']);
    let (state, _) = open_state(serve, Arc::new(SystemClock))
        .await
        .map_err(|e| e.to_string())?;
    let mut tx = state
        .db
        .begin()
        .await
        .map_err(|e| format!("database: {e}"))?;
    let created = operators::create(
        &mut tx,
        &state.cipher,
        &args.login,
        &args.name,
        password,
        &roles,
        None,
        &state.settings.operator_name.zh,
        state.clock.now(),
    )
    .await
    .map_err(|e| match e {
        AppError::Invalid(errs) => errs
            .iter()
            .map(|f| format!("{}: {}", f.field, f.rule.message(Lang::En)))
            .collect::<Vec<_>>()
            .join("; "),
        AppError::Conflict(_) => format!("an operator with login {:?} already exists", args.login),
        other => other.to_string(),
    })?;
    tx.commit().await.map_err(|e| format!("database: {e}"))?;
    println!("operator created: {} (id {})", args.login, created.id);
    println!(
        "TOTP secret (enrol it now; it is not shown again): {}",
        created.totp_secret
    );
    println!("otpauth URI: {}", created.otpauth_uri);
    Ok(())
}

/// `server verify-audit`: re-computes the audit chain and checks its seals with the key
/// (the same key flags or files as the server).
async fn verify_audit(serve: &ServeArgs) -> Result<(), String> {
    // The seals verify only with the server's key: never generate a new one here.
    let key_file = serve.data_dir.join("secrets").join("field.key");
    if serve.field_key.is_none() && !key_file.exists() {
        return Err(format!(
            "no field key: give --field-key (ESP_FIELD_KEY) or the server's --data-dir ({} is missing)",
            key_file.display()
        ));
    }
    let secrets = server::secrets::load(
        serve
            .session_key
            .as_ref()
            .map(server::config::SecretArg::expose),
        serve
            .field_key
            .as_ref()
            .map(server::config::SecretArg::expose),
        &serve.data_dir,
        serve.production,
    )
    .map_err(|e| e.to_string())?;
    let db = Db::connect(&serve.database_url(), 2)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let report = audit::verify(&db, &audit::seal_key(&secrets.field_key))
        .await
        .map_err(|e| format!("database: {e}"))?;
    match report.first_broken {
        None => {
            println!(
                "audit chain intact: {} entries, sealed through entry {}",
                report.entries, report.sealed_through
            );
            Ok(())
        }
        Some(seq) => Err(format!(
            "audit chain broken at entry {seq} ({} entries verify before it)",
            report.entries
        )),
    }
}

/// `server verify-ledger`: re-derives every balance from the postings (P1.1.5).
async fn verify_ledger(serve: &ServeArgs) -> Result<(), String> {
    let db = Db::connect(&serve.database_url(), 2)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let d = app::backend::ledger::verify(&db)
        .await
        .map_err(|e| format!("database: {e}"))?;
    if d.is_clean() {
        println!(
            "ledger balanced: {} accounts, {} transactions, {} postings, drift 0",
            d.accounts, d.transactions, d.postings
        );
        Ok(())
    } else {
        Err(format!(
            "ledger drift: balances {:?}, running balances {:?}, unbalanced transactions {:?}, negative {:?}, total {}",
            d.balance_drift, d.running_balance_drift, d.unbalanced_transactions, d.negative_balances, d.total
        ))
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
    if cli.serve.production && cli.serve.public_origin.is_none() {
        tracing::warn!(
            "--public-origin is not set: links that leave the page (invitations) are built from each request's Host header; set it to the origin users reach"
        );
    }
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
        "  Operator console  /ops     login {}  password {}  TOTP secret {}",
        DEMO.operator_login, DEMO.operator_password, DEMO.operator_totp_secret
    );
    println!(
        "  Second approver   /ops     login {}  password {}  TOTP secret {}  (finance and privacy: transfers and disclosures need two)",
        DEMO.checker_login, DEMO.checker_password, DEMO.checker_totp_secret
    );
    println!(
        "  Enterprise portal /portal  {}  ({} or {})  password {}",
        DEMO.enterprise_name, DEMO.admin_email, DEMO.admin_mobile, DEMO.admin_password
    );
    println!(
        "  Applicant         /register  ({} or {})  password {}  (an application waits in the review queue)",
        DEMO.applicant_email, DEMO.applicant_mobile, DEMO.applicant_password
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

/// `server wechat-sim`: WeChat's login (authorisation pages, code exchange, refresh, profile)
/// on a local port, for development (issue 15).
async fn wechat_sim(args: &WechatSimArgs) -> Result<(), String> {
    use server::wechat::simulator::{SimConfig, Simulator};
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let sim = Simulator::new(SimConfig {
        appid: args.appid.clone(),
        secret: args.secret.clone(),
        unionid: args.unionid,
        clock: Arc::new(SystemClock),
        mount: String::new(),
        public_base: format!("http://{local}"),
        callback_hosts: args.callback_hosts.clone(),
    });
    println!(
        "WeChat simulator on http://{} (appid {}; users: /_sim/users)",
        args.listen, args.appid
    );
    axum::serve(listener, sim.router::<()>())
        .await
        .map_err(|e| format!("WeChat simulator: {e}"))
}

/// `server sms-simulator`: Alibaba Cloud's SMS API on a local port, registered with the same
/// account, sign and templates as the server's `--sms-*` settings (so both read the same
/// environment).
async fn sms_simulator(serve: &ServeArgs, args: &SmsSimulatorArgs) -> Result<(), String> {
    let templates = server::sms::parse_templates(&serve.sms_template)?
        .into_iter()
        .map(|((kind, lang), code)| (code, kind.wording(lang).to_string()))
        .collect();
    let sim = server::sms::simulator::Simulator::new(server::sms::simulator::SimConfig {
        access_key_id: serve.sms_access_key_id.clone().unwrap_or_default(),
        access_key_secret: serve
            .sms_access_key_secret
            .as_ref()
            .map(|s| s.expose().to_string())
            .unwrap_or_default(),
        sign_name: serve.sms_sign_name.clone(),
        templates,
        reply_url: args.reply_url.clone(),
        clock: Arc::new(SystemClock),
    });
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    println!(
        "SMS simulator on http://{} (texts: /_sim/messages)",
        args.listen
    );
    axum::serve(listener, sim.router())
        .await
        .map_err(|e| format!("SMS simulator: {e}"))
}
