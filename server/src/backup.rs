//! Backups (issue 16 §7, P5.1): `server backup` makes an online, consistent copy of the
//! database, encrypts it and keeps the newest N; `server restore <file>` puts one back.
//!
//! - **SQLite:** `VACUUM INTO` a temporary file (a consistent snapshot while the server runs),
//!   then encrypted. **PostgreSQL:** `pg_dump --format=custom` (a consistent snapshot too),
//!   streamed into the encryption; restored with `pg_restore --clean --if-exists`.
//! - **Encryption:** AES-256-GCM with a key derived from the field key (the key files or
//!   `--field-key`, as the server's), in 1 MiB chunks, each sealed with its number and whether
//!   it is the last — a reordered, changed or truncated file is refused whole. The plain copy
//!   never stays on disk: the temporary file is removed.
//! - **Rotation:** after each backup only the newest `--keep` (default 7) remain, and none
//!   older than `--backup-max-days` (default 30), so erased personal data leaves the backups
//!   when they are next rotated — the answer to a deletion request names that period (P6.3).
//!   The SQLite database a restore replaced (`<db>.pre-restore`) follows the same age rule; a
//!   person erased on request stays erased after a restore (the erasure journal, replayed at
//!   start-up: `app::backend::retention::erase::replay`).
//! - **Restore** refuses a file that does not decrypt, or a SQLite copy that fails its
//!   integrity check, and (unless `--force`) a database whose server ran in the last
//!   ten minutes.

use crate::config::{BackupArgs, RestoreArgs, ServeArgs};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use app::backend::db::Db;
use rand::RngCore;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"ESPBAK1\n";
const CHUNK: usize = 1 << 20;
const SQLITE: u8 = b's';
const POSTGRES: u8 = b'p';

/// The key backups are sealed with, derived from the field key (never the field key itself).
fn backup_key(field_key: &app::backend::crypto::SecretKey) -> Aes256Gcm {
    let key = app::backend::crypto::hmac_sha256(field_key.as_bytes(), b"platform backup v1");
    Aes256Gcm::new(&key.into())
}

fn nonce(prefix: &[u8; 8], n: u32) -> [u8; 12] {
    let mut out = [0u8; 12];
    out[..8].copy_from_slice(prefix);
    out[8..].copy_from_slice(&n.to_be_bytes());
    out
}

/// Encrypts everything `input` yields into `out`.
fn seal(
    cipher: &Aes256Gcm,
    engine: u8,
    mut input: impl Read,
    mut out: impl Write,
) -> Result<(), String> {
    let mut prefix = [0u8; 8];
    rand::rng().fill_bytes(&mut prefix);
    out.write_all(MAGIC).map_err(io)?;
    out.write_all(&[engine]).map_err(io)?;
    out.write_all(&prefix).map_err(io)?;
    let mut current = read_chunk(&mut input)?;
    let mut n: u32 = 0;
    loop {
        let next = if current.len() == CHUNK {
            read_chunk(&mut input)?
        } else {
            Vec::new()
        };
        let last = next.is_empty();
        let aad = [engine, u8::from(last)];
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce(&prefix, n)),
                Payload {
                    msg: &current,
                    aad: &aad,
                },
            )
            .map_err(|_| "encryption failed".to_string())?;
        out.write_all(&(sealed.len() as u32).to_be_bytes())
            .map_err(io)?;
        out.write_all(&sealed).map_err(io)?;
        if last {
            return out.flush().map_err(io);
        }
        current = next;
        n = n.checked_add(1).ok_or("backup too large")?;
    }
}

fn read_chunk(input: &mut impl Read) -> Result<Vec<u8>, String> {
    let mut buf = Vec::with_capacity(CHUNK);
    input.take(CHUNK as u64).read_to_end(&mut buf).map_err(io)?;
    Ok(buf)
}

/// Decrypts a backup into `out`; returns its engine. Fails on any change, reordering or
/// truncation.
fn open(cipher: &Aes256Gcm, mut input: impl Read, mut out: impl Write) -> Result<u8, String> {
    let mut head = [0u8; 17];
    input
        .read_exact(&mut head)
        .map_err(|_| "not a platform backup (too short)".to_string())?;
    if &head[..8] != MAGIC {
        return Err("not a platform backup".into());
    }
    let engine = head[8];
    let prefix: [u8; 8] = head[9..17].try_into().expect("eight bytes");
    let mut n: u32 = 0;
    loop {
        let mut len = [0u8; 4];
        input
            .read_exact(&mut len)
            .map_err(|_| "the backup is truncated".to_string())?;
        let len = u32::from_be_bytes(len) as usize;
        if len > CHUNK + 16 {
            return Err("the backup is damaged".into());
        }
        let mut sealed = vec![0u8; len];
        input
            .read_exact(&mut sealed)
            .map_err(|_| "the backup is truncated".to_string())?;
        let nonce = nonce(&prefix, n);
        let try_open = |last: bool| {
            cipher
                .decrypt(
                    Nonce::from_slice(&nonce),
                    Payload {
                        msg: &sealed,
                        aad: &[engine, u8::from(last)],
                    },
                )
                .ok()
        };
        if let Some(plain) = try_open(false) {
            out.write_all(&plain).map_err(io)?;
            n = n.checked_add(1).ok_or("the backup is damaged")?;
            continue;
        }
        let plain = try_open(true).ok_or(
            "the backup does not decrypt: another key, or the file was changed".to_string(),
        )?;
        out.write_all(&plain).map_err(io)?;
        let mut rest = [0u8; 1];
        if input.read(&mut rest).map_err(io)? != 0 {
            return Err("the backup has data after its end".into());
        }
        out.flush().map_err(io)?;
        return Ok(engine);
    }
}

fn io(e: std::io::Error) -> String {
    e.to_string()
}

/// A file only the owner can read, created fresh.
fn private_file(path: &Path) -> Result<File, String> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn field_key(serve: &ServeArgs) -> Result<app::backend::crypto::SecretKey, String> {
    // Only an existing key: a backup sealed with a new one could never be restored. The field
    // key alone: a backup job needs no session key.
    let key_file = serve.data_dir.join("secrets").join("field.key");
    let hex = match &serve.field_key {
        Some(k) => k.expose().to_string(),
        None if key_file.exists() => fs::read_to_string(&key_file)
            .map_err(|e| format!("{}: {e}", key_file.display()))?,
        None => {
            return Err(format!(
                "no field key: give --field-key (ESP_FIELD_KEY) or the server's --data-dir ({} is missing)",
                key_file.display()
            ))
        }
    };
    app::backend::crypto::SecretKey::from_hex(hex.trim()).map_err(|e| format!("the field key: {e}"))
}

fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    Some(PathBuf::from(path))
}

/// `server backup`: writes `platform-<UTC time>.bak` into the backup directory and keeps the
/// newest `--keep`. Returns the new file.
pub async fn backup(serve: &ServeArgs, args: &BackupArgs) -> Result<PathBuf, String> {
    let cipher = backup_key(&field_key(serve)?);
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| serve.data_dir.join("backups"));
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let stamp = chrono_stamp();
    let target = dir.join(format!("platform-{stamp}.bak"));
    let partial = dir.join(format!(".platform-{stamp}.bak.partial"));
    let url = serve.database_url();
    clean_stale(&serve.data_dir);
    let written = if let Some(db_file) = sqlite_path(&url) {
        if !db_file.exists() {
            return Err(format!(
                "{} does not exist: check --database-url",
                db_file.display()
            ));
        }
        // The database a restore replaced is a plain copy: it follows the backups' age rule.
        let replaced = PathBuf::from(format!("{}.pre-restore", db_file.display()));
        let max_age = std::time::Duration::from_secs(u64::from(serve.backup_max_days) * 86_400);
        let expired = fs::metadata(&replaced)
            .and_then(|m| m.modified())
            .is_ok_and(|at| at.elapsed().is_ok_and(|age| age > max_age));
        if expired {
            fs::remove_file(&replaced).map_err(|e| format!("{}: {e}", replaced.display()))?;
        }
        // The plain snapshot: in the data directory (never the backup directory, which may be
        // elsewhere), readable by the owner only, and removed at once.
        let snapshot = serve.data_dir.join(format!(".platform-{stamp}.snapshot"));
        drop(private_file(&snapshot)?);
        let result = sqlite_snapshot(&url, &snapshot).await.and_then(|()| {
            let input = File::open(&snapshot).map_err(io)?;
            seal(&cipher, SQLITE, input, private_file(&partial)?)
        });
        let _ = fs::remove_file(&snapshot);
        result
    } else {
        let (url, password) = without_password(&url);
        let mut child = std::process::Command::new(&args.pg_dump)
            .args([
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--dbname",
                &url,
            ])
            .envs(password.map(|p| ("PGPASSWORD", p)))
            .stdout(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: {e}", args.pg_dump))?;
        let stdout = child.stdout.take().ok_or("pg_dump gave no output")?;
        let sealed = seal(&cipher, POSTGRES, stdout, private_file(&partial)?);
        let status = child.wait().map_err(io)?;
        sealed.and_then(|()| {
            status
                .success()
                .then_some(())
                .ok_or_else(|| format!("pg_dump failed ({status})"))
        })
    };
    if let Err(e) = written {
        let _ = fs::remove_file(&partial);
        return Err(e);
    }
    File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    fs::rename(&partial, &target).map_err(io)?;
    File::open(&dir).and_then(|d| d.sync_all()).map_err(io)?;
    let oldest = stamp_of(app::model::UtcMillis(
        app::model::UtcMillis::now().0 - i64::from(serve.backup_max_days) * 86_400_000,
    ));
    rotate(&dir, usize::from(args.keep), &oldest)?;
    Ok(target)
}

/// A consistent copy of the live SQLite database (`VACUUM INTO`).
async fn sqlite_snapshot(url: &str, snapshot: &Path) -> Result<(), String> {
    let db = Db::connect(url, 1)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let path = snapshot.display().to_string().replace('\'', "''");
    sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{path}'")))
        .execute(db.pool())
        .await
        .map_err(|e| format!("VACUUM INTO: {e}"))?;
    db.pool().close().await;
    Ok(())
}

/// The time as `YYYYMMDDTHHMMSSZ` (sorts as it happened), with milliseconds so that two
/// backups in one second do not collide.
fn chrono_stamp() -> String {
    stamp_of(app::model::UtcMillis::now())
}

fn stamp_of(now: app::model::UtcMillis) -> String {
    let rfc = now.rfc3339(); // 2026-12-01T16:05:32Z or with millis
    let digits: String = rfc.chars().filter(|c| c.is_ascii_digit()).collect();
    format!(
        "{}T{}{:03}Z",
        &digits[..8],
        &digits[8..14],
        now.0.rem_euclid(1000)
    )
}

/// Keeps the newest `keep` backups of `dir` made at `oldest` (a stamp) or later; deletes the
/// rest.
fn rotate(dir: &Path, keep: usize, oldest: &str) -> Result<(), String> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("platform-") && n.ends_with(".bak"))
        })
        .collect();
    found.sort();
    let excess = found.len().saturating_sub(keep.max(1));
    let too_old = |p: &PathBuf| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n < format!("platform-{oldest}.bak").as_str())
    };
    let expired = found.iter().filter(|p| too_old(p)).count();
    for old in &found[..excess.max(expired)] {
        fs::remove_file(old).map_err(|e| format!("{}: {e}", old.display()))?;
    }
    Ok(())
}

/// `server restore <file>`: puts a backup back into the configured database.
pub async fn restore(serve: &ServeArgs, args: &RestoreArgs) -> Result<(), String> {
    let cipher = backup_key(&field_key(serve)?);
    let url = serve.database_url();
    let input = File::open(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let dir = serve.data_dir.clone();
    fs::create_dir_all(&dir).map_err(io)?;
    clean_stale(&dir);
    let plain = dir.join(format!(".restore-{}.tmp", app::backend::ids::new_id()));
    // The file is checked whole first (a changed one is refused before anything else).
    let result = async {
        let engine = open(
            &cipher,
            std::io::BufReader::new(input),
            private_file(&plain)?,
        )?;
        if !args.force {
            refuse_if_running(&url).await?;
        }
        restore_from(engine, &plain, &url, args).await
    }
    .await;
    let _ = fs::remove_file(&plain);
    result
}

async fn restore_from(
    engine: u8,
    plain: &Path,
    url: &str,
    args: &RestoreArgs,
) -> Result<(), String> {
    match (engine, sqlite_path(url)) {
        (SQLITE, Some(db_file)) => {
            let check = Db::connect(&format!("sqlite:{}", plain.display()), 1)
                .await
                .map_err(|e| format!("the restored copy: {e}"))?;
            let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(check.pool())
                .await
                .map_err(|e| format!("the restored copy: {e}"))?;
            check.pool().close().await;
            if ok != "ok" {
                return Err(format!("the restored copy fails its integrity check: {ok}"));
            }
            // Beside the database, complete and on disk, then renamed over it: a failure
            // half-way leaves the old database as it was. The old one is kept as
            // `<db>.pre-restore`.
            let staged = PathBuf::from(format!("{}.restoring", db_file.display()));
            let _ = fs::remove_file(&staged);
            fs::copy(plain, &staged).map_err(|e| format!("{}: {e}", staged.display()))?;
            File::open(&staged).and_then(|f| f.sync_all()).map_err(io)?;
            if db_file.exists() {
                let old = format!("{}.pre-restore", db_file.display());
                fs::copy(&db_file, &old).map_err(|e| format!("{old}: {e}"))?;
            }
            for suffix in ["-wal", "-shm"] {
                let _ = fs::remove_file(format!("{}{suffix}", db_file.display()));
            }
            fs::rename(&staged, &db_file).map_err(|e| format!("{}: {e}", db_file.display()))?;
            if let Some(parent) = db_file.parent() {
                let _ = File::open(parent).and_then(|d| d.sync_all());
            }
            Ok(())
        }
        (POSTGRES, None) => {
            // Into an empty database: objects the dump does not have (a newer migration's)
            // would survive beside it.
            if postgres_tables(url).await? > 0 && !args.force {
                return Err("the PostgreSQL database is not empty: restore into a new database (createdb), then point DATABASE_URL at it (or give --force)".into());
            }
            let (url, password) = without_password(url);
            let status = std::process::Command::new(&args.pg_restore)
                .args([
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--dbname",
                    &url,
                ])
                .envs(password.map(|p| ("PGPASSWORD", p)))
                .arg(plain)
                .status()
                .map_err(|e| format!("{}: {e}", args.pg_restore))?;
            status
                .success()
                .then_some(())
                .ok_or_else(|| format!("pg_restore failed ({status})"))
        }
        (SQLITE, None) => {
            Err("this is a SQLite backup; the configured database is PostgreSQL".into())
        }
        (POSTGRES, Some(_)) => {
            Err("this is a PostgreSQL backup; the configured database is SQLite".into())
        }
        _ => Err("the backup names an unknown engine".into()),
    }
}

/// How many tables the PostgreSQL database at `url` has.
async fn postgres_tables(url: &str) -> Result<i64, String> {
    let db = Db::connect(url, 1)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let n = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()",
    )
    .fetch_one(db.pool())
    .await
    .map_err(|e| format!("database: {e}"))?;
    db.pool().close().await;
    Ok(n)
}

/// The URL without its password, and the password (given to `pg_dump`/`pg_restore` in
/// `PGPASSWORD`, never on a command line other users can read).
fn without_password(url: &str) -> (String, Option<String>) {
    match reqwest::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let password = u.password().map(percent_decode);
            let _ = u.set_password(None);
            (u.to_string(), password)
        }
        _ => (url.to_string(), None),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removes plain snapshots and restore files a crash may have left in the data directory.
fn clean_stale(data_dir: &Path) {
    if let Ok(entries) = fs::read_dir(data_dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if (name.starts_with(".platform-") && name.ends_with(".snapshot"))
                || (name.starts_with(".restore-") && name.ends_with(".tmp"))
            {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// Refuses while a server on this database held a job lease in the last ten minutes (it would
/// keep writing to what is being replaced). A database that cannot be read is refused too
/// (`--force` restores anyway); one that does not exist yet is fine.
async fn refuse_if_running(url: &str) -> Result<(), String> {
    let why = |e: String| format!("{e} (give --force to restore anyway)");
    match sqlite_path(url) {
        Some(p) if !p.exists() => return Ok(()),
        None if postgres_tables(url).await.map_err(why)? == 0 => return Ok(()),
        _ => {}
    }
    let db = Db::connect(url, 1)
        .await
        .map_err(|e| why(format!("database: {e}")))?;
    let recent: Option<i64> = sqlx::query_scalar("SELECT MAX(until_at) FROM job_leases")
        .fetch_one(db.pool())
        .await
        .map_err(|e| why(format!("database: {e}")))?;
    db.pool().close().await;
    let now = app::model::UtcMillis::now().0;
    match recent {
        Some(until) if until > now - 600_000 => Err(
            "a server used this database in the last ten minutes: stop it first (or give --force)"
                .into(),
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cipher() -> Aes256Gcm {
        backup_key(&app::backend::crypto::SecretKey::from_bytes([7; 32]))
    }

    /// P5.1: what is sealed opens again, whole, for every size around the chunk boundaries;
    /// a changed byte, a truncation or another key is refused.
    #[test]
    fn p5_1_backups_round_trip_and_refuse_changes() {
        for size in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 5] {
            let data: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let mut sealed = Vec::new();
            seal(&cipher(), SQLITE, &data[..], &mut sealed).unwrap();
            let mut back = Vec::new();
            assert_eq!(open(&cipher(), &sealed[..], &mut back).unwrap(), SQLITE);
            assert_eq!(back, data, "size {size}");
            let mut changed = sealed.clone();
            let at = changed.len() - 3;
            changed[at] ^= 1;
            assert!(open(&cipher(), &changed[..], &mut Vec::new()).is_err());
            if size > CHUNK {
                // Cut after the first chunk: no chunk says it is the last.
                let cut = 17 + 4 + CHUNK + 16;
                assert!(open(&cipher(), &sealed[..cut], &mut Vec::new()).is_err());
            }
            let other = backup_key(&app::backend::crypto::SecretKey::from_bytes([8; 32]));
            assert!(open(&other, &sealed[..], &mut Vec::new()).is_err());
        }
    }

    #[test]
    fn p6_3_stamps_sort_as_time_and_rotation_keeps_the_newest_within_the_age() {
        let s = chrono_stamp();
        assert_eq!(s.len(), "20261201T160532123Z".len(), "{s}");
        let dir = tempfile::tempdir().unwrap();
        for n in [
            "20260101T000000000Z",
            "20260102T000000000Z",
            "20260103T000000000Z",
        ] {
            fs::write(dir.path().join(format!("platform-{n}.bak")), b"x").unwrap();
        }
        fs::write(dir.path().join("notes.txt"), b"x").unwrap();
        rotate(dir.path(), 5, "20260101T120000000Z").unwrap();
        assert!(
            !dir.path().join("platform-20260101T000000000Z.bak").exists(),
            "older than the maximum age (P6.3)"
        );
        rotate(dir.path(), 2, "20250101T000000000Z").unwrap();
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "notes.txt",
                "platform-20260102T000000000Z.bak",
                "platform-20260103T000000000Z.bak"
            ]
        );
    }
}
