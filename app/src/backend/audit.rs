//! The audit log (P1.1.5, P5.1, P5.2): append-only and tamper-evident. Each entry carries the
//! SHA-256 of the previous entry's hash and its own fields, so editing, deleting or reordering
//! any entry breaks the chain at that point, which [`verify`] names.
//!
//! Anyone who can write to the database could recompute the whole chain after an edit, so the
//! head is sealed regularly ([`seal`]): its sequence number and hash with an HMAC under a key
//! derived from the key file ([`seal_key`]), which is not in the database. [`verify`] checks
//! every seal against the chain: a recomputed chain no longer matches the sealed hashes.
//!
//! Appends run inside the caller's transaction, so an action and its record commit together.
//! The single `audit_head` row is updated first, which serialises concurrent appends on both
//! engines (a row lock on PostgreSQL, the write lock on SQLite).

use super::crypto::{hmac_sha256, hmac_sha256_verify, sha256_hex, SecretKey};
use crate::model::audit::{ActorKind, ActorRole, AuditQuery, AuditRecord, AuditResult};
use crate::model::{UnknownCode, UtcMillis};
use sqlx::AnyConnection;

/// Who did something.
#[derive(Clone, Debug)]
pub struct Actor {
    pub kind: ActorKind,
    pub id: String,
    pub role: String,
    pub ip: String,
}

impl Actor {
    pub fn system() -> Actor {
        Actor {
            kind: ActorKind::System,
            id: "system".into(),
            role: "system".into(),
            ip: "-".into(),
        }
    }
}

/// One thing to record.
#[derive(Clone, Debug)]
pub struct Event<'a> {
    pub actor: &'a Actor,
    /// The enterprise the action concerns, if any: its admin sees it in the operation records.
    pub enterprise_id: Option<&'a str>,
    /// A dotted verb, e.g. `application.approve`.
    pub action: &'a str,
    /// What was acted on, e.g. `application:<id>`.
    pub target: &'a str,
    pub result: AuditResult,
    /// A short note without secrets or personal data in clear.
    pub detail: &'a str,
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The chain's head: the last sequence number and hash.
const HEAD: &str = "SELECT last_seq, last_hash FROM audit_head WHERE id = 1";

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &str,
    seq: i64,
    at: i64,
    actor_kind: &str,
    actor_id: &str,
    actor_role: &str,
    enterprise_id: &str,
    action: &str,
    target: &str,
    result: &str,
    ip: &str,
    detail: &str,
) -> String {
    let fields = [
        prev,
        &seq.to_string(),
        &at.to_string(),
        actor_kind,
        actor_id,
        actor_role,
        enterprise_id,
        action,
        target,
        result,
        ip,
        detail,
    ];
    sha256_hex(fields.join("\u{1f}").as_bytes())
}

/// Appends one entry; returns its sequence number.
impl<'a> Event<'a> {
    /// A successful action of `actor` that concerns no single enterprise.
    pub fn ok(actor: &'a Actor, action: &'a str, target: &'a str, detail: &'a str) -> Self {
        Event {
            actor,
            enterprise_id: None,
            action,
            target,
            result: AuditResult::Ok,
            detail,
        }
    }

    /// An action on `enterprise_id`'s data that went through.
    pub fn in_enterprise(
        actor: &'a Actor,
        enterprise_id: &'a str,
        action: &'a str,
        target: &'a str,
        detail: &'a str,
    ) -> Self {
        Event {
            enterprise_id: Some(enterprise_id),
            ..Event::ok(actor, action, target, detail)
        }
    }
}

pub async fn append(
    conn: &mut AnyConnection,
    event: &Event<'_>,
    now: UtcMillis,
) -> Result<i64, sqlx::Error> {
    sqlx::query("UPDATE audit_head SET last_seq = last_seq + 1 WHERE id = 1")
        .execute(&mut *conn)
        .await?;
    let (seq, prev): (i64, String) = sqlx::query_as(HEAD).fetch_one(&mut *conn).await?;
    let a = event.actor;
    let enterprise = event.enterprise_id.unwrap_or("");
    let hash = entry_hash(
        &prev,
        seq,
        now.0,
        a.kind.code(),
        &a.id,
        &a.role,
        enterprise,
        event.action,
        event.target,
        event.result.code(),
        &a.ip,
        event.detail,
    );
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_role, enterprise_id, action, \
         target, result, ip, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(seq)
    .bind(now.0)
    .bind(a.kind.code())
    .bind(&a.id)
    .bind(&a.role)
    .bind(event.enterprise_id)
    .bind(event.action)
    .bind(event.target)
    .bind(event.result.code())
    .bind(&a.ip)
    .bind(event.detail)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
    Ok(seq)
}

/// Appends many entries with three statements, whatever their number (group commit of
/// payment orders): the head row is advanced by `n` first (which locks it), the chain is
/// computed in memory, the entries go in with multi-row inserts.
pub async fn append_many(
    conn: &mut AnyConnection,
    events: &[Event<'_>],
    now: UtcMillis,
) -> Result<(), sqlx::Error> {
    if events.is_empty() {
        return Ok(());
    }
    let n = events.len() as i64;
    sqlx::query("UPDATE audit_head SET last_seq = last_seq + $1 WHERE id = 1")
        .bind(n)
        .execute(&mut *conn)
        .await?;
    let (last, mut prev): (i64, String) = sqlx::query_as(HEAD).fetch_one(&mut *conn).await?;
    let mut rows = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        let seq = last - n + 1 + i as i64;
        let a = e.actor;
        let hash = entry_hash(
            &prev,
            seq,
            now.0,
            a.kind.code(),
            &a.id,
            &a.role,
            e.enterprise_id.unwrap_or(""),
            e.action,
            e.target,
            e.result.code(),
            &a.ip,
            e.detail,
        );
        rows.push((seq, std::mem::replace(&mut prev, hash.clone()), hash));
    }
    for (chunk_events, chunk_rows) in events.chunks(200).zip(rows.chunks(200)) {
        let p = super::ledger::store::Params::of(conn);
        let sql = format!(
            "INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_role, enterprise_id, action, \
             target, result, ip, detail, prev_hash, hash) VALUES {}",
            p.rows(chunk_events.len(), 13)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (e, (seq, prev_hash, hash)) in chunk_events.iter().zip(chunk_rows) {
            q = q
                .bind(*seq)
                .bind(now.0)
                .bind(e.actor.kind.code())
                .bind(&e.actor.id)
                .bind(&e.actor.role)
                .bind(e.enterprise_id)
                .bind(e.action)
                .bind(e.target)
                .bind(e.result.code())
                .bind(&e.actor.ip)
                .bind(e.detail)
                .bind(prev_hash)
                .bind(hash);
        }
        q.execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
        .bind(&prev)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Appends in a transaction of its own (for records that accompany no other write, such as
/// an operator viewing materials, or a refused attempt).
pub async fn record(
    db: &super::db::Db,
    event: &Event<'_>,
    now: UtcMillis,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let seq = append(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(seq)
}

/// The result of a chain check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    pub entries: i64,
    /// The first entry whose hash, link, sequence or seal does not verify.
    pub first_broken: Option<i64>,
    /// The last entry covered by a verified seal (0: none yet).
    pub sealed_through: i64,
    /// The hash of the last entry checked (empty when broken).
    pub head_hash: String,
}

/// The seals' key, derived from the field-encryption key (which lives in the key file or the
/// environment, never in the database).
pub fn seal_key(field_key: &SecretKey) -> SecretKey {
    SecretKey::from_bytes(hmac_sha256(field_key.as_bytes(), b"esp audit seal v1"))
}

/// What a seal's HMAC covers: the seal before it, and the head it seals.
fn seal_message(prev_seal: i64, seq: i64, hash: &str) -> String {
    format!("audit-seal\u{1f}{prev_seal}\u{1f}{seq}\u{1f}{hash}")
}

/// Seals the chain as far as it verifies: the whole chain and every earlier seal are checked
/// first, and only the head that verified is sealed, so a rewrite since the last seal is
/// never approved. Each seal's HMAC covers the seal before it, so a seal removed from the
/// middle breaks the next one; each is also logged (shipped logs are an anchor outside the
/// database against removing the newest seals). Returns the sealed sequence number when it
/// wrote a seal; `None` when the head was sealed already or the chain does not verify.
pub async fn seal(
    db: &super::db::Db,
    key: &SecretKey,
    now: UtcMillis,
) -> Result<Option<i64>, sqlx::Error> {
    let report = verify(db, key).await?;
    if let Some(seq) = report.first_broken {
        tracing::error!(entry = seq, "audit chain broken: not sealed");
        return Ok(None);
    }
    let (seq, hash) = (report.entries, report.head_hash);
    let mut tx = db.begin().await?;
    // One sealer at a time (two processes, or housekeeping beside a console check): the head
    // row is locked on PostgreSQL; SQLite's write transaction already serialises.
    sqlx::query("UPDATE audit_head SET last_seq = last_seq WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    let last: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM audit_seals")
        .fetch_one(&mut *tx)
        .await?;
    if seq == 0 || last.is_some_and(|l| l >= seq) {
        return Ok(None);
    }
    let prev = last.unwrap_or(0);
    let mac = hex::encode(hmac_sha256(
        key.as_bytes(),
        seal_message(prev, seq, &hash).as_bytes(),
    ));
    sqlx::query("INSERT INTO audit_seals (seq, hash, mac, at) VALUES ($1, $2, $3, $4)")
        .bind(seq)
        .bind(&hash)
        .bind(&mac)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(seq, hash = %hash, mac = %mac, "audit chain sealed");
    Ok(Some(seq))
}

/// Re-computes the whole chain, page by page, and checks every seal against it.
pub async fn verify(db: &super::db::Db, key: &SecretKey) -> Result<ChainReport, sqlx::Error> {
    // The seals first, then the head: a seal names a head of its time, so every seal is at or
    // below the head read after it, unless entries were removed from the end.
    let seals: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT seq, hash, mac FROM audit_seals ORDER BY seq")
            .fetch_all(db.pool())
            .await?;
    // Every entry up to the head has committed (they are written in the head's transaction),
    // and entries appended while the check runs are left for the next check.
    let (last_seq, last_hash): (i64, String) = sqlx::query_as(HEAD).fetch_one(db.pool()).await?;
    if let Some((seq, _, _)) = seals.iter().find(|(seq, _, _)| *seq > last_seq) {
        return Ok(ChainReport {
            entries: 0,
            first_broken: Some(last_seq.min(*seq) + 1),
            sealed_through: 0,
            head_hash: String::new(),
        });
    }
    let mut sealed = std::collections::BTreeMap::new();
    let mut prev_seal = 0;
    for (seq, hash, mac) in seals {
        let message = seal_message(prev_seal, seq, &hash);
        let genuine = hex::decode(&mac)
            .is_ok_and(|m| hmac_sha256_verify(key.as_bytes(), message.as_bytes(), &m));
        if !genuine {
            // A seal this key did not make, or one whose predecessor was removed.
            return Ok(ChainReport {
                entries: 0,
                first_broken: Some(seq),
                sealed_through: 0,
                head_hash: String::new(),
            });
        }
        sealed.insert(seq, hash);
        prev_seal = seq;
    }
    let mut sealed_through = 0;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1i64;
    let mut entries = 0i64;
    loop {
        let rows: Vec<ChainRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS}, prev_hash, hash FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT 1000"
        )))
        .bind(expected_seq)
        .bind(last_seq)
        .fetch_all(db.pool())
        .await?;
        if rows.is_empty() {
            break;
        }
        for ChainRow {
            entry: r,
            prev_hash: stored_prev,
            hash: stored_hash,
        } in rows
        {
            let computed = entry_hash(
                &prev,
                r.seq,
                r.at,
                &r.actor_kind,
                &r.actor_id,
                &r.actor_role,
                r.enterprise_id.as_deref().unwrap_or(""),
                &r.action,
                &r.target,
                &r.result,
                &r.ip,
                &r.detail,
            );
            let seal_differs = sealed.get(&r.seq).is_some_and(|h| *h != stored_hash);
            if r.seq != expected_seq
                || stored_prev != prev
                || stored_hash != computed
                || seal_differs
            {
                return Ok(ChainReport {
                    entries,
                    first_broken: Some(expected_seq.min(r.seq)),
                    sealed_through,
                    head_hash: String::new(),
                });
            }
            if sealed.contains_key(&r.seq) {
                sealed_through = r.seq;
            }
            prev = stored_hash;
            expected_seq += 1;
            entries += 1;
        }
    }
    // Entries removed from the end show up against the head.
    let first_broken = (last_seq != entries || last_hash != prev).then_some(entries + 1);
    Ok(ChainReport {
        entries,
        first_broken,
        sealed_through,
        head_hash: prev,
    })
}

/// The columns of an entry, without its links.
const COLUMNS: &str =
    "seq, at, actor_kind, actor_id, actor_role, enterprise_id, action, target, result, ip, detail";

/// An entry as [`COLUMNS`] selects it, with the codes as stored: the chain is checked over
/// the stored text, so a changed code shows as a broken link rather than a failed read.
#[derive(sqlx::FromRow)]
struct EntryRow {
    seq: i64,
    at: i64,
    actor_kind: String,
    actor_id: String,
    actor_role: String,
    enterprise_id: Option<String>,
    action: String,
    target: String,
    result: String,
    ip: String,
    detail: String,
}

/// An entry with its links, for the chain check.
#[derive(sqlx::FromRow)]
struct ChainRow {
    #[sqlx(flatten)]
    entry: EntryRow,
    prev_hash: String,
    hash: String,
}

/// The codes are read here, for display: an unknown one fails the read.
impl TryFrom<EntryRow> for AuditRecord {
    type Error = UnknownCode;
    fn try_from(r: EntryRow) -> Result<Self, Self::Error> {
        let actor_kind = ActorKind::from_stored(&r.actor_kind, "audit_log.actor_kind")?;
        Ok(AuditRecord {
            seq: r.seq,
            at: UtcMillis(r.at),
            actor_kind,
            actor_id: r.actor_id,
            actor_role: ActorRole::from_stored(actor_kind, &r.actor_role)?,
            enterprise_id: r.enterprise_id,
            action: r.action,
            target: r.target,
            result: AuditResult::from_stored(&r.result, "audit_log.result")?,
            ip: r.ip,
            detail: r.detail,
        })
    }
}

/// Searches the log, newest first (console search, P5.1). Every filter is optional; `before`
/// is the cursor (a sequence number).
pub async fn search(db: &super::db::Db, q: &AuditQuery) -> Result<Vec<AuditRecord>, sqlx::Error> {
    let limit = i64::from(q.limit.clamp(1, 200));
    let like = |s: &Option<String>| s.as_deref().map(super::db::like_pattern);
    let rows: Vec<EntryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM audit_log \
         WHERE ($1 IS NULL OR LOWER(actor_id) LIKE $1 ESCAPE '\\') \
           AND ($2 IS NULL OR LOWER(action) LIKE $2 ESCAPE '\\') \
           AND ($3 IS NULL OR LOWER(target) LIKE $3 ESCAPE '\\') \
           AND ($4 IS NULL OR enterprise_id = $4) \
           AND ($5 IS NULL OR seq < $5) \
         ORDER BY seq DESC LIMIT $6"
    )))
    .bind(like(&q.actor))
    .bind(like(&q.action))
    .bind(like(&q.target))
    .bind(q.enterprise_id.clone())
    .bind(q.before)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    let records = rows
        .into_iter()
        .map(AuditRecord::try_from)
        .collect::<Result<_, _>>()?;
    Ok(records)
}
