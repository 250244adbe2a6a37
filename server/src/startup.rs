//! Building the application: configuration, secrets, database, router, listener.

use crate::config::{SecretArg, ServeArgs};
use crate::secrets;
use app::backend::accounts::sessions::SessionPolicy;
use app::backend::clock::{OffsetClock, SharedClock, SystemClock};
use app::backend::crypto::{BlindIndex, FieldCipher};
use app::backend::db::Db;
use app::backend::files::LocalFileStore;
use app::backend::funds;
use app::backend::orders::committer::Committer;
use app::backend::payouts::simulator::SimulatedChannel;
use app::backend::payouts::{PayoutChannel, Unconfigured};
use app::backend::policy;
use app::backend::ratelimit::RateLimiter;
use app::backend::{seed, AppParts, AppState, Settings};
use axum::Router;
use leptos::prelude::*;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

/// How long requests in flight may take to finish after a shutdown signal.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(20);

pub use crate::routes::{route_list, router};
pub use crate::state::{ServerParts, ServerState, StartupError};

pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
    pub state: AppState,
    /// True when this start created the demo data.
    pub seeded_demo: bool,
    /// How often the payout worker runs (`None`: it does not).
    pub payout_interval: Option<std::time::Duration>,
    /// How often the delivery worker runs (`None`: it does not).
    pub delivery_interval: Option<std::time::Duration>,
}

impl Application {
    pub async fn build(args: &ServeArgs) -> Result<Application, StartupError> {
        if args.dev_clock {
            if args.production {
                return Err(StartupError::Config(
                    "--dev-clock is for development and tests only".into(),
                ));
            }
            let clock = Arc::new(OffsetClock::default());
            let mut app = Self::build_with_clock(args, clock.clone()).await?;
            app.router = app.router.route(
                "/dev/clock/advance",
                axum::routing::post(advance_dev_clock).with_state(clock),
            );
            return Ok(app);
        }
        Self::build_with_clock(args, Arc::new(SystemClock)).await
    }

    /// [`Application::build`] with a given clock (tests move time instead of sleeping).
    pub async fn build_with_clock(
        args: &ServeArgs,
        clock: SharedClock,
    ) -> Result<Application, StartupError> {
        crate::http::install_crypto_provider();
        let (mut state, seeded_demo) = open_state(args, clock.clone()).await?;
        if args.production && crate::outbound::smtp_host(args).is_none() && !args.no_outbound {
            return Err(StartupError::Config(
                "production sends e-mail: give --smtp-host (and --mail-from), or --no-outbound to run without sending".into(),
            ));
        }
        if crate::outbound::smtp_host(args).is_some() && args.public_origin.is_none() {
            return Err(StartupError::Config(
                "e-mails carry links (invitations, policy notices, unsubscribe): give --public-origin with --smtp-host".into(),
            ));
        }
        crate::regions::check(args).map_err(StartupError::Config)?;
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|source| StartupError::Bind {
                addr: args.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: args.listen,
            source,
        })?;
        // Development without `--wechat-appid`: WeChat's simulator inside this server (issue 15),
        // so scan-login can be tried on one machine.
        let mut simulator = None;
        if !args.production && state.wechat.is_none() {
            let origin = args
                .public_origin
                .clone()
                .unwrap_or_else(|| format!("http://{addr}"));
            let (setup, sim) = crate::wechat::in_process(&origin, addr, clock, args.wechat_website)
                .map_err(StartupError::Config)?;
            state
                .parts_mut()
                .ok_or_else(|| {
                    StartupError::Config("the state was shared before the start".into())
                })?
                .wechat = Some(setup);
            simulator = Some(sim);
        }
        let leptos_options = LeptosOptions::builder()
            .output_name("platform")
            .site_root(args.site_root.display().to_string())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .hash_files(args.hash_files)
            .build();
        let mut router = router(ServerState::from(ServerParts {
            leptos_options,
            app: state.clone(),
            public_origin: args.public_origin.as_deref().map(Arc::from),
            trust_forwarded_for: args.trust_forwarded_for,
            sms_reply_token: args
                .sms_reply_token
                .as_ref()
                .map(|t| t.expose().trim())
                .filter(|t| !t.is_empty())
                .map(Arc::from),
            api: Arc::new(crate::openapi_guard::Guard::new(
                args.work.api_rate_per_second,
            )),
        }));
        if let Some(sim) = simulator {
            router = router.nest(crate::wechat::SIM_MOUNT, sim.router());
        }
        Ok(Application {
            listener,
            router,
            state,
            seeded_demo,
            payout_interval: (args.payout_interval_ms > 0)
                .then(|| std::time::Duration::from_millis(args.payout_interval_ms)),
            // `--no-outbound`: nothing is sent; messages wait in the outbox.
            delivery_interval: (args.delivery_interval_ms > 0 && !args.no_outbound)
                .then(|| std::time::Duration::from_millis(args.delivery_interval_ms)),
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `shutdown` completes, then lets the requests in flight finish, for at
    /// most [`SHUTDOWN_GRACE`].
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let db = self.state.db.clone();
        let jobs = tokio::spawn(crate::jobs::run(self.state.clone()));
        let payouts = self.payout_interval.map(|every| {
            tokio::spawn(app::backend::payouts::worker::run(
                self.state.clone(),
                every,
            ))
        });
        let stop_delivery = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let delivery = self.delivery_interval.map(|every| {
            tokio::spawn(app::backend::delivery::run(
                self.state.clone(),
                every,
                stop_delivery.clone(),
            ))
        });
        // The open API's callbacks go with the outbox (none with `--no-outbound`).
        let callbacks = self.delivery_interval.map(|every| {
            tokio::spawn(app::backend::callbacks::deliver::run(
                self.state.clone(),
                every,
            ))
        });
        let (signalled_tx, signalled_rx) = tokio::sync::oneshot::channel::<()>();
        let signal = async move {
            shutdown.await;
            let _ = signalled_tx.send(());
        };
        let serve = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(signal);
        let deadline = async move {
            if signalled_rx.await.is_ok() {
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            result = serve => result?,
            () = deadline => tracing::warn!("requests still in flight after the grace period; stopping"),
        }
        jobs.abort();
        if let Some(p) = payouts {
            p.abort();
        }
        if let Some(c) = callbacks {
            c.abort();
        }
        // The delivery worker finishes the message in hand (a send cut in half would be dead,
        // needing an operator), for at most the grace period.
        stop_delivery.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(mut d) = delivery {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut d).await.is_err() {
                d.abort();
            }
        }
        db.close().await;
        Ok(())
    }
}

/// Checks the configuration, loads the secrets, opens and migrates the database, publishes
/// the first policy versions and (in development) seeds the demo data. Shared by the server
/// and the CLI commands. Returns the state and whether the demo data was created now.
pub async fn open_state(
    args: &ServeArgs,
    clock: SharedClock,
) -> Result<(AppState, bool), StartupError> {
    // Issue 14: development mode fails closed. Its demo logins are public.
    if !args.production && !args.listen.ip().is_loopback() && !args.expose_demo {
        return Err(StartupError::Config(format!(
            "development mode listens only on loopback (its demo logins are published): \
             use --production, or --expose-demo to show the demo on {}",
            args.listen
        )));
    }
    if args.contact_email.trim().is_empty() || !args.contact_email.contains('@') {
        return Err(StartupError::Config(format!(
            "--contact-email {:?} is not an e-mail address",
            args.contact_email
        )));
    }
    std::fs::create_dir_all(&args.data_dir).map_err(|e| {
        StartupError::Config(format!(
            "cannot create data directory {}: {e}",
            args.data_dir.display()
        ))
    })?;
    let secrets = secrets::load(
        args.session_key.as_ref().map(SecretArg::expose),
        args.field_key.as_ref().map(SecretArg::expose),
        &args.data_dir,
        args.production,
    )?;
    let db = Db::connect(&args.database_url(), args.db_max_connections).await?;
    db.migrate().await?;
    if args.production
        && seed::demo_present(&db)
            .await
            .map_err(|e| StartupError::Seed(e.to_string()))?
    {
        return Err(StartupError::Config(
            "this database holds the demo data, whose logins are published: production needs a database of its own".into(),
        ));
    }
    if args.receiving_prefix.is_empty()
        || args.receiving_prefix.len() > 12
        || !args.receiving_prefix.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(StartupError::Config(format!(
            "--receiving-prefix {:?} must be 1 to 12 digits",
            args.receiving_prefix
        )));
    }
    let simulator = Arc::new(SimulatedChannel::new(
        db.clone(),
        clock.clone(),
        i64::try_from(args.payout_settle_ms).unwrap_or(i64::MAX),
    ));
    // The simulator is a development and test tool: in production no payout is marked paid
    // until a real channel is configured.
    let (payouts, simulator): (Arc<dyn PayoutChannel>, _) = if args.production {
        (Arc::new(Unconfigured), None)
    } else {
        (simulator.clone(), Some(simulator))
    };
    let payout = crate::regions::payout_provider(&payouts.region(), &args.storage_region_code);
    crate::regions::check_provider(&payout, &args.storage_region_code)
        .map_err(StartupError::Config)?;
    let state: AppState = AppParts {
        policy_in_force: Default::default(),
        public_pages: Default::default(),
        orders: Committer::start(db.clone(), clock.clone()),
        payouts,
        simulator,
        db,
        settings: Arc::new(Settings {
            operator_name: bilingual(
                &args.operator_name,
                &args.operator_name_en,
                (
                    "综合服务平台运营方（演示）",
                    "Enterprise Service Platform Operator (demo)",
                ),
            ),
            contact_email: args.contact_email.clone(),
            storage_region: bilingual(
                &args.storage_region,
                &args.storage_region_en,
                ("中国大陆", "Mainland China"),
            ),
            storage_region_code: args.storage_region_code.trim().to_string(),
            affiliates: args
                .affiliates
                .iter()
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect(),
            public_origin: args.public_origin.clone(),
            production: args.production,
            fees: app::model::funds::FeeRule {
                service_fee_bp: args.service_fee_bp,
                min_fee: app::model::Fen(args.min_service_fee_fen),
                tax_bp: args.tax_bp,
            },
            receiving_bank: args.receiving_bank.clone(),
            receiving_prefix: args.receiving_prefix.clone(),
            policy_notice_days: args.policy_notice_days,
            mail_from: args.mail_from.clone(),
            credit_check_above: app::model::Fen(args.credit_check_above_fen),
            invoice_limit: app::model::Fen(args.invoice_limit_fen),
            invoice_goods: crate::config::list(&args.invoice_goods),
            task_categories: crate::config::list(&args.work.task_categories),
            task_forbidden_terms: crate::config::list(&args.work.task_forbidden_terms),
            pay_signed_workers_only: args.work.pay_signed_workers_only,
            support_targets: args.work.support_targets(),
            wechat_ticket_ttl_ms: i64::from(args.wechat_ticket_seconds) * 1000,
            complaint_routes: args.complaint_routes().map_err(StartupError::Config)?,
            rights_free_per_year: args.rights_free_per_year,
            backup_max_days: args.backup_max_days,
            retention: app::model::retention::RetentionDays {
                accounting: args.retention_accounting_days,
                network_logs: args.retention_network_log_days,
                closed_account: args.retention_closed_account_days,
                application: args.retention_application_days,
                invitation: args.retention_invitation_days,
                visitor_consent: args.retention_visitor_consent_days,
            },
            privacy_office_email: args.privacy_office_email().map_err(StartupError::Config)?,
        }),
        transport: crate::outbound::transport(args).map_err(StartupError::Config)?,
        wechat: crate::wechat::configured(args).map_err(StartupError::Config)?,
        api_keys: Default::default(),
        shown_once: Default::default(),
        callbacks: Arc::new(
            crate::callbacks::HttpSender::for_mode(args.production)
                .map_err(StartupError::Config)?,
        ),
        cipher: Arc::new(FieldCipher::new(1, &secrets.field_key)),
        audit_key: Arc::new(app::backend::audit::seal_key(&secrets.field_key)),
        index: Arc::new(BlindIndex::new(&secrets.field_key)),
        session_key: Arc::new(secrets.session_key),
        clock,
        sessions: SessionPolicy {
            idle_ms: i64::from(args.session_idle_minutes) * 60_000,
            absolute_ms: i64::from(args.session_max_hours) * 3_600_000,
        },
        gpc_limiter: Arc::new(RateLimiter::new(
            app::model::consent::GPC_RECORDS_PER_HOUR,
            3_600_000,
        )),
        scan_limiter: Arc::new(RateLimiter::new(
            args.wechat_tickets_per_minute as usize,
            60_000,
        )),
        login_limiter: Arc::new(RateLimiter::new(
            args.login_attempts_per_ip as usize,
            10 * 60_000,
        )),
        pdf_helper: Arc::new(crate::state::pdf_helper(args)?),
        files: Arc::new(
            LocalFileStore::new(args.data_dir.join("files")).map_err(|e| {
                StartupError::Config(format!(
                    "cannot create the file store in {}: {e}",
                    args.data_dir.display()
                ))
            })?,
        ),
        exports_dir: Arc::new(args.data_dir.join("exports")),
        erasure_journal: Arc::new(args.data_dir.join("erasures.log")),
    }
    .into();
    policy::ensure_initial(&state.db, &state.settings, state.clock.now())
        .await
        .map_err(|e| StartupError::Seed(e.to_string()))?;
    let regions = crate::regions::recipient_regions(args, &payout);
    app::backend::sharing::declare_regions(&state.db, &regions)
        .await
        .map_err(|e| StartupError::Seed(e.to_string()))?;
    let seeded_demo = if args.production {
        false
    } else {
        seed::seed_demo(&state)
            .await
            .map_err(|e| StartupError::Seed(e.to_string()))?
    };
    funds::open_all(&state)
        .await
        .map_err(|e| StartupError::Seed(e.to_string()))?;
    funds::credits::seal_payer_accounts(&state.db, &state.cipher)
        .await
        .map_err(|e| StartupError::Seed(e.to_string()))?;
    // Persons erased on request stay erased after a restore of an older backup (P6.3).
    let replayed = app::backend::retention::erase::replay(&state)
        .await
        .map_err(|e| StartupError::Seed(format!("the erasure journal: {e}")))?;
    if replayed > 0 {
        tracing::warn!(
            replayed,
            "erased again persons a restored backup had brought back"
        );
    }
    Ok((state, seeded_demo))
}

/// A configured text with its English form. Without an English form, the default's English
/// goes with the default's text, and any other text is shown as configured: a configured name
/// or region is never replaced by the demo's.
fn bilingual(zh: &str, en: &str, (default_zh, default_en): (&str, &str)) -> app::model::Bilingual {
    let (zh, en) = (zh.trim(), en.trim());
    let en = match (en.is_empty(), zh == default_zh) {
        (false, _) => en,
        (true, true) => default_en,
        (true, false) => zh,
    };
    app::model::Bilingual::new(zh, en)
}

#[derive(serde::Deserialize)]
struct Advance {
    days: i64,
}

/// `POST /dev/clock/advance?days=N` (only with `--dev-clock`, and only from a program on this
/// machine): moves the clock forward.
async fn advance_dev_clock(
    axum::extract::State(clock): axum::extract::State<Arc<OffsetClock>>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<SocketAddr>,
    axum::extract::Query(q): axum::extract::Query<Advance>,
    headers: http::HeaderMap,
) -> Result<String, http::StatusCode> {
    // Not from another machine, and not from a web page (browsers send `Origin` with a POST).
    if !peer.ip().is_loopback() || headers.contains_key(http::header::ORIGIN) {
        return Err(http::StatusCode::FORBIDDEN);
    }
    clock.advance_ms(q.days.clamp(0, 3650) * 86_400_000);
    tracing::warn!(days = q.days, "development clock moved forward");
    Ok(app::backend::clock::Clock::now(&*clock).rfc3339())
}
