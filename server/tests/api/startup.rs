//! A bad start fails with a clear message: bad configuration, unreachable database, port in
//! use, missing production secrets.

use crate::helpers::{build, hex_key, spawn_app, test_args};
use clap::Parser;
use server::config::Cli;
use server::Application;

/// Starts an instance; the data directory lives as long as the returned guard.
async fn start(extra: &[&str]) -> Result<(Application, tempfile::TempDir), String> {
    let dir = tempfile::tempdir().unwrap();
    let mut args = test_args(dir.path()).await;
    args.extend(extra.iter().map(|s| s.to_string()));
    let cli = Cli::try_parse_from(args).map_err(|e| e.to_string())?;
    let app = Application::build(&cli.serve)
        .await
        .map_err(|e| e.to_string())?;
    Ok((app, dir))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_port_in_use_is_reported() {
    let app = spawn_app().await;
    let err = start(&["--listen", &app.addr.to_string()])
        .await
        .err()
        .expect("must fail");
    assert!(
        err.starts_with(&format!("cannot listen on {}", app.addr)),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_or_unsupported_database_is_reported() {
    let err = start(&["--database-url", "postgres://nobody@127.0.0.1:1/none"])
        .await
        .err()
        .unwrap();
    assert!(
        err.starts_with("database: cannot connect to the database"),
        "{err}"
    );
    let err = start(&["--database-url", "mysql://localhost/x"])
        .await
        .err()
        .unwrap();
    assert!(err.contains("unsupported database URL"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_needs_its_secrets() {
    let err = start(&["--production"]).await.err().unwrap();
    assert!(
        err.contains("ESP_SESSION_KEY is required in production"),
        "{err}"
    );
    let k = hex_key();
    // Production sends e-mail: it needs an SMTP server, or to be told not to send at all.
    let err = start(&["--production", "--session-key", &k, "--field-key", &k])
        .await
        .err()
        .unwrap();
    assert!(err.contains("--smtp-host"), "{err}");
    // Its e-mails carry links: the origin they point at is required with SMTP.
    let err = start(&[
        "--production",
        "--session-key",
        &k,
        "--field-key",
        &k,
        "--smtp-host",
        "smtp.example.com",
    ])
    .await
    .err()
    .unwrap();
    assert!(err.contains("--public-origin"), "{err}");
    for outbound in [
        &["--no-outbound"][..],
        &[
            "--smtp-host",
            "smtp.example.com",
            "--smtp-region",
            "cn-mainland",
            "--public-origin",
            "https://platform.example.com",
        ],
    ] {
        let mut args = vec!["--production", "--session-key", &k, "--field-key", &k];
        args.extend_from_slice(outbound);
        let app = start(&args).await;
        assert!(app.is_ok(), "{outbound:?}: {:?}", app.err());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_has_no_demo_data() {
    let k = hex_key();
    let (app, _dir) = start(&[
        "--production",
        "--session-key",
        &k,
        "--field-key",
        &k,
        "--no-outbound",
    ])
    .await
    .unwrap();
    assert!(!app.seeded_demo);
    assert!(!app::backend::seed::demo_present(&app.state.db)
        .await
        .unwrap());
}

/// Issue 14: development mode fails closed. It listens on loopback only unless told to show
/// the demo on the network, and production refuses a database that holds the demo's
/// published logins.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn development_mode_fails_closed() {
    let err = start(&["--listen", "0.0.0.0:0"]).await.err().unwrap();
    assert!(
        err.contains("development mode listens only on loopback"),
        "{err}"
    );
    assert!(start(&["--listen", "0.0.0.0:0", "--expose-demo"])
        .await
        .is_ok());

    let dir = tempfile::tempdir().unwrap();
    let mut args = test_args(dir.path()).await;
    assert!(
        build(Cli::try_parse_from(&args).unwrap())
            .await
            .unwrap()
            .seeded_demo
    );
    let k = hex_key();
    args.extend(
        [
            "--production",
            "--session-key",
            &k,
            "--field-key",
            &k,
            "--no-outbound",
        ]
        .map(String::from),
    );
    let err = build(Cli::try_parse_from(&args).unwrap())
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("holds the demo data"), "{err}");
}

/// P4.1 (issue 16 §8): a provider outside the storage region is refused at start; production
/// must say where its e-mail server is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p4_1_providers_outside_the_storage_region_are_refused() {
    let smtp = [
        "--smtp-host",
        "smtp.example.sg",
        "--public-origin",
        "https://p.example.com",
    ];
    let err = start(&[&smtp[..], &["--smtp-region", "ap-southeast-1"]].concat())
        .await
        .err()
        .unwrap();
    assert!(
        err.contains("the e-mail server (--smtp-host) is in region \"ap-southeast-1\", outside the storage region \"cn-mainland\""),
        "{err}"
    );
    let sms = [
        "--sms-access-key-id",
        "k",
        "--sms-access-key-secret",
        "s",
        "--sms-sign-name",
        "平台",
        "--sms-template",
        "notice=S1,code=S2,promotion=S3,request_code=S4,signing_link=S5,agreement_changed=S6",
        "--sms-endpoint",
        "https://dysmsapi.ap-southeast-1.aliyuncs.com/",
    ];
    let err = start(&sms).await.err().unwrap();
    assert!(err.contains("the SMS gateway"), "{err}");
    // Stored elsewhere by configuration, the same gateway is accepted.
    let ok = start(
        &[
            &sms[..],
            &[
                "--storage-region-code",
                "ap-southeast-1",
                "--storage-region",
                "新加坡",
            ],
        ]
        .concat(),
    )
    .await;
    assert!(ok.is_ok(), "{:?}", ok.err());
    let k = crate::helpers::hex_key();
    let err = start(
        &[
            &smtp[..],
            &["--production", "--session-key", &k, "--field-key", &k],
        ]
        .concat(),
    )
    .await
    .err()
    .unwrap();
    assert!(err.contains("--smtp-region"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_configuration_is_reported() {
    let err = start(&["--contact-email", "nobody"]).await.err().unwrap();
    assert!(err.starts_with("configuration: --contact-email"), "{err}");
    let err = start(&["--listen", "not-an-address"]).await.err().unwrap();
    assert!(err.contains("invalid value 'not-an-address'"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_is_seeded_once() {
    let dir = tempfile::tempdir().unwrap();
    let args = test_args(dir.path()).await;
    let first = build(Cli::try_parse_from(&args).unwrap()).await.unwrap();
    assert!(first.seeded_demo);
    drop(first);
    let second = build(Cli::try_parse_from(&args).unwrap()).await.unwrap();
    assert!(!second.seeded_demo, "a restart does not seed again");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM enterprises")
        .fetch_one(second.state.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 1);
}

/// P5.2: tokens that are credentials never reach the access log.
#[test]
fn credentials_in_paths_are_not_logged() {
    for (path, logged) in [
        ("/invite/abc", "/invite/…"),
        ("/reset-password/abc", "/reset-password/…"),
        ("/ops/enrol/abc", "/ops/enrol/…"),
        ("/unsubscribe/u.mac", "/unsubscribe/…"),
        ("/portal/messages", "/portal/messages"),
    ] {
        assert_eq!(server::http::loggable_path(path), logged);
    }
}

/// On PostgreSQL every pooled connection ends a session left idle inside a transaction after
/// 15 s, so a dropped transaction's locks cannot outlive it by the pool's idle timeout.
#[tokio::test]
async fn postgres_sessions_idle_in_a_transaction_are_ended() {
    let app = spawn_app().await;
    if app.engine != "postgres" {
        return;
    }
    let timeout: String = sqlx::query_scalar("SHOW idle_in_transaction_session_timeout")
        .fetch_one(app.db.pool())
        .await
        .expect("show");
    assert_eq!(timeout, "15s");
}
