//! Backups (issue 16 §7, P5.1): `server backup` while the server runs, data changes, `server
//! restore` of the earlier copy into another database, and the ledger and the audit chain
//! verify there as the verification commands check them; rotation keeps the newest; a changed
//! file or another key is refused.

use crate::helpers::{fresh_database_url, spawn_app, TestApp};
use clap::Parser;
use server::config::{Cli, Command};

/// The CLI as the server's own flags plus `extra` (a subcommand and its arguments).
fn cli(app: &TestApp, extra: &[&str]) -> Cli {
    let mut args = app.args.clone();
    args.extend(extra.iter().map(|s| s.to_string()));
    Cli::try_parse_from(args).expect("valid flags")
}

async fn backup(app: &TestApp, dir: &std::path::Path, keep: &str) -> std::path::PathBuf {
    let cli = cli(
        app,
        &[
            "backup",
            "--backup-dir",
            dir.to_str().unwrap(),
            "--keep",
            keep,
        ],
    );
    let Some(Command::Backup(args)) = &cli.command else {
        panic!("a backup command")
    };
    server::backup::backup(&cli.serve, args)
        .await
        .expect("a backup")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p5_1_a_backup_restores_with_a_sound_ledger_and_audit_chain() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "备份公司", "100").await;
    let dir = tempfile::tempdir().unwrap();
    let first = backup(&app, dir.path(), "2").await;
    let postings_then = app.count("ledger_postings").await;
    let audit_then = app.count("audit_log").await;

    // Data changes after the backup.
    app.top_up(&ops, &ent, "50").await;
    assert!(app.count("ledger_postings").await > postings_then);
    let raw = std::fs::read(&first).unwrap();
    assert!(
        !raw.windows("备份公司".len())
            .any(|w| w == "备份公司".as_bytes()),
        "the backup is encrypted"
    );

    // Rotation keeps the newest two.
    app.clock.advance_ms(1_000);
    let second = backup(&app, dir.path(), "2").await;
    std::thread::sleep(std::time::Duration::from_millis(5));
    let third = backup(&app, dir.path(), "2").await;
    let mut left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    left.sort();
    assert_eq!(left, [second.clone(), third.clone()], "the oldest is gone");

    // The first copy, kept elsewhere, restores into a fresh database.
    let kept = app.data_dir().join("kept.bak");
    std::fs::write(&kept, &raw).unwrap();
    let target_dir = tempfile::tempdir().unwrap();
    let target = match app.engine {
        "postgres" => fresh_database_url(target_dir.path()).await,
        _ => format!("sqlite:{}", target_dir.path().join("restored.db").display()),
    };
    let restore = |file: &std::path::Path| {
        let cli = cli(
            &app,
            &["--database-url", &target, "restore", file.to_str().unwrap()],
        );
        async move {
            let Some(Command::Restore(args)) = &cli.command else {
                panic!("a restore command")
            };
            server::backup::restore(&cli.serve, args).await
        }
    };
    restore(&kept).await.expect("the first backup restores");
    let db = app::backend::db::Db::connect(&target, 2).await.unwrap();
    let count = |table: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {table}"
            )))
            .fetch_one(db.pool())
            .await
            .unwrap()
        }
    };
    assert_eq!(
        count("ledger_postings").await,
        postings_then,
        "as it was then"
    );
    assert_eq!(count("audit_log").await, audit_then);
    let ledger = app::backend::ledger::verify(&db).await.unwrap();
    assert!(ledger.is_clean(), "the restored ledger balances");
    let chain = app::backend::audit::verify(&db, &app.state.audit_key)
        .await
        .unwrap();
    assert_eq!(chain.first_broken, None, "the restored audit chain holds");

    // A changed byte is refused, and the database is left as it was.
    let mut changed = raw.clone();
    let at = changed.len() / 2;
    changed[at] ^= 0x40;
    let bad = app.data_dir().join("changed.bak");
    std::fs::write(&bad, &changed).unwrap();
    let err = restore(&bad).await.unwrap_err();
    assert!(err.contains("does not decrypt"), "{err}");
    assert_eq!(count("ledger_postings").await, postings_then);

    // Over a database that holds data: refused while a server uses it (the live one), and —
    // PostgreSQL — unless it is empty; `--force` restores the newer copy over the older one.
    let live = cli(&app, &["restore", third.to_str().unwrap()]);
    let Some(Command::Restore(args)) = &live.command else {
        panic!("a restore command")
    };
    let err = server::backup::restore(&live.serve, args)
        .await
        .unwrap_err();
    assert!(err.contains("a server used this database"), "{err}");
    db.pool().close().await;
    let forced = cli(
        &app,
        &[
            "--database-url",
            &target,
            "restore",
            "--force",
            third.to_str().unwrap(),
        ],
    );
    let Some(Command::Restore(args)) = &forced.command else {
        panic!("a restore command")
    };
    server::backup::restore(&forced.serve, args)
        .await
        .expect("the newer copy over the older one");
    let db = app::backend::db::Db::connect(&target, 2).await.unwrap();
    let postings: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ledger_postings")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert!(postings > postings_then, "the newer copy is there");
    assert!(app::backend::ledger::verify(&db).await.unwrap().is_clean());
}

/// P6.3: a person erased on request after a backup stays erased when that backup is restored:
/// the erasure journal (`<data-dir>/erasures.log`, outside the database) is replayed when the
/// server starts on the restored database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_3_a_restored_backup_does_not_bring_an_erased_person_back() {
    use crate::rights_deletion::{complete, deletion, member, EMAIL};
    let app = spawn_app().await;
    let ops = app.finance().await;
    let (admin, _) = app.open_enterprise_login("恢复公司").await;
    let cookie = member(&app, &admin, EMAIL).await;
    let user_id = crate::messages::user_id(&app, &cookie).await;
    let id = deletion(&app, &cookie, EMAIL).await;
    let dir = tempfile::tempdir().unwrap();
    let before = backup(&app, dir.path(), "2").await;
    assert_eq!(complete(&app, &ops, &id).await.status(), 200);
    let journal = std::fs::read_to_string(app.data_dir().join("erasures.log")).unwrap();
    assert_eq!(
        journal.lines().collect::<Vec<_>>(),
        [format!("{user_id} {id}")]
    );

    // The backup from before the deletion, restored into a fresh database, holds them …
    let target_dir = tempfile::tempdir().unwrap();
    let target = match app.engine {
        "postgres" => fresh_database_url(target_dir.path()).await,
        _ => format!("sqlite:{}", target_dir.path().join("restored.db").display()),
    };
    let restore = cli(
        &app,
        &[
            "--database-url",
            &target,
            "restore",
            before.to_str().unwrap(),
        ],
    );
    let Some(Command::Restore(args)) = &restore.command else {
        panic!("a restore command")
    };
    server::backup::restore(&restore.serve, args)
        .await
        .expect("restored");
    let db = app::backend::db::Db::connect(&target, 2).await.unwrap();
    let name = |db: app::backend::db::Db| {
        let user_id = user_id.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT name FROM users WHERE id = $1")
                .bind(&user_id)
                .fetch_one(db.pool())
                .await
                .unwrap()
        }
    };
    assert_eq!(name(db.clone()).await, crate::rights_deletion::NAME);
    db.pool().close().await;
    // … until a server starts on it: erased again, audited.
    let started = crate::helpers::build(cli(&app, &["--database-url", &target]))
        .await
        .expect("the server starts on the restored database");
    let db = started.state.db.clone();
    assert_eq!(name(db.clone()).await, app::backend::retention::ANON_NAME);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'rights.erased_again'")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(audited, 1);
}
