//! The sharing register and its log (issue 19; P3.1.1-P3.1.4): the recipients
//! (`sharing_recipients`), and a row in `sharing_events` each time data leaves — a payout
//! submitted to the payout channel ([`crate::backend::payouts::worker`]), a text or an e-mail
//! handed to its provider ([`crate::backend::delivery`]). What is sent is built with a
//! [`Provision`] from the recipient's registered fields, and the log keeps exactly the fields
//! put in. The enterprise reads the log in its privacy centre (P3.1.3).

use crate::backend::db::Db;
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::provision::{Consent, Grounds, Pseudonymise};
use crate::model::purpose::{LegalBasis, Purpose};
use crate::model::sharing::{Provision, Recipient, RecipientKind, SharingEvent, SharingLog};
use crate::model::{Bilingual, UtcMillis};
use sqlx::AnyConnection;

pub mod disclosures;
pub mod register;
pub mod succession;

#[derive(sqlx::FromRow)]
struct RecipientRow {
    id: String,
    code: String,
    name_zh: String,
    name_en: String,
    #[sqlx(try_from = "String")]
    kind: RecipientKind,
    #[sqlx(try_from = "String")]
    purpose: Purpose,
    fields: String,
    region: String,
    contract_ref: String,
    active_from: i64,
    active_to: Option<i64>,
}

impl From<RecipientRow> for Recipient {
    fn from(r: RecipientRow) -> Self {
        Recipient {
            id: r.id,
            code: r.code,
            name: Bilingual::new(r.name_zh, r.name_en),
            kind: r.kind,
            purpose: r.purpose,
            fields: split(&r.fields),
            region: r.region,
            contract_ref: r.contract_ref,
            active_from: UtcMillis(r.active_from),
            active_to: r.active_to.map(UtcMillis),
        }
    }
}

fn split(fields: &str) -> Vec<String> {
    fields
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect()
}

const COLUMNS: &str = "id, code, name_zh, name_en, kind, purpose, fields, region, contract_ref, active_from, active_to";

/// The recipient registered as `code`, if any.
pub async fn find(conn: &mut AnyConnection, code: &str) -> AppResult<Option<Recipient>> {
    let sql = format!("SELECT {COLUMNS} FROM sharing_recipients WHERE code = $1");
    let row: Option<RecipientRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(Recipient::from))
}

/// The recipient registered as `code` (one the product sends to: its absence is a fault).
pub async fn recipient(conn: &mut AnyConnection, code: &str) -> AppResult<Recipient> {
    find(conn, code)
        .await?
        .ok_or_else(|| AppError::internal(format!("no recipient {code} is registered")))
}

/// Every recipient, by name.
pub async fn recipients(conn: &mut AnyConnection) -> AppResult<Vec<Recipient>> {
    let sql = format!("SELECT {COLUMNS} FROM sharing_recipients ORDER BY kind, code");
    let rows: Vec<RecipientRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(Recipient::from).collect())
}

/// Writes where each processor the product sends to is (`code`, region), as this start's
/// configuration declares them (P4.1 refused any outside the storage region already).
pub async fn declare_regions(db: &Db, regions: &[(&str, String)]) -> AppResult<()> {
    for (code, region) in regions {
        sqlx::query("UPDATE sharing_recipients SET region = $1 WHERE code = $2")
            .bind(region)
            .bind(*code)
            .execute(db.pool())
            .await?;
    }
    Ok(())
}

/// Whose data left: the enterprise, and the login person when it was one of theirs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Whose<'a> {
    pub enterprise_id: Option<&'a str>,
    pub user_id: Option<&'a str>,
}

/// Logs that `sent` went to its recipient, about `whose`, for `reference`, with the grounds
/// and purpose it was built on (P3.1.1). A provision resting on a person's consent is logged
/// about that person only.
pub async fn record(
    conn: &mut AnyConnection,
    sent: &Provision<'_>,
    whose: Whose<'_>,
    reference: &str,
    now: UtcMillis,
) -> AppResult<()> {
    if let Some(consenting) = sent.consenting() {
        if whose.user_id != Some(consenting) {
            return Err(AppError::internal(
                "a provision on one person's consent logged about another",
            ));
        }
    }
    let grounds = (sent.grounds().code(), sent.purpose().code());
    insert(
        conn,
        sent.recipient(),
        &sent.fields(),
        grounds,
        whose,
        reference,
        now,
    )
    .await
}

/// Logs that `fields` went to `r` about `whose`, for `reference`, on `r`'s registered basis:
/// for what left outside a [`Provision`] (a lawful disclosure, handed over by an officer).
pub async fn record_fields(
    conn: &mut AnyConnection,
    r: &Recipient,
    fields: &[String],
    whose: Whose<'_>,
    reference: &str,
    now: UtcMillis,
) -> AppResult<()> {
    let grounds = (r.basis().code(), r.purpose.code());
    insert(conn, r, fields, grounds, whose, reference, now).await
}

/// One row of the log; `(basis, purpose)` are the codes of what it rested on.
async fn insert(
    conn: &mut AnyConnection,
    r: &Recipient,
    fields: &[String],
    (basis, purpose): (&str, &str),
    whose: Whose<'_>,
    reference: &str,
    now: UtcMillis,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO sharing_events (id, recipient_id, enterprise_id, user_id, fields, basis, purpose, reference, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(crate::backend::ids::new_id())
    .bind(&r.id)
    .bind(whose.enterprise_id)
    .bind(whose.user_id)
    .bind(fields.join(","))
    .bind(basis)
    .bind(purpose)
    .bind(reference)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The consent `user_id` has given to `purpose` now — their newest switch of it, if on — to
/// build a [`Provision`] on (P3.1.1). `None`: never given, or withdrawn.
pub async fn consent(
    conn: &mut AnyConnection,
    user_id: &str,
    purpose: Purpose,
) -> AppResult<Option<Consent>> {
    if purpose.basis() != LegalBasis::Consent {
        return Ok(None);
    }
    Ok(
        crate::backend::purpose_switch::latest(conn, user_id, purpose)
            .await?
            .filter(|(on, _)| *on)
            .map(|(_, at)| Consent::recorded(user_id, purpose, at)),
    )
}

/// De-identified payloads' pseudonyms (P3.1.1): the blind index's keyed hash in a domain of
/// the recipient and field — never equal to the database's own indexes, different for each
/// recipient, and not reversible without the platform's key.
impl Pseudonymise for crate::backend::crypto::BlindIndex {
    fn pseudonym(&self, recipient: &str, field: &str, value: &str) -> String {
        let mut hash = self.of(&format!("sharing/{recipient}/{field}"), value);
        hash.truncate(32);
        hash
    }
}

/// Logs that the open API answered with orders (`(enterprise, order_id)`): each carried the
/// order's personal fields
/// ([`codes::API_ORDER_FIELDS`](crate::model::sharing::codes::API_ORDER_FIELDS)), which must be
/// registered for the enterprise's own system — otherwise nothing is answered (P3.1.4) — one
/// multi-row insert per 100.
pub async fn record_api_orders(
    conn: &mut AnyConnection,
    orders: &[(&str, &str)],
    now: UtcMillis,
) -> AppResult<()> {
    use crate::model::sharing::codes;
    let r = recipient(conn, codes::ENTERPRISE_API).await?;
    if !r.active_at(now) {
        return Err(AppError::internal(
            "the enterprise_api recipient is not active",
        ));
    }
    if let Some(f) = codes::API_ORDER_FIELDS.iter().find(|f| !r.may_receive(f)) {
        return Err(AppError::internal(format!(
            "{f} is not registered for the enterprise's own system"
        )));
    }
    let fields = codes::API_ORDER_FIELDS.join(",");
    for chunk in orders.chunks(100) {
        let sql = format!(
            "INSERT INTO sharing_events (id, recipient_id, enterprise_id, user_id, fields, basis, purpose, reference, at) VALUES {}",
            crate::backend::ledger::store::Params::of(conn).rows(chunk.len(), 9)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (enterprise_id, order_id) in chunk {
            q = q
                .bind(crate::backend::ids::new_time_ordered_id())
                .bind(&r.id)
                .bind(*enterprise_id)
                .bind(None::<String>)
                .bind(&fields)
                .bind(r.basis().code())
                .bind(r.purpose.code())
                .bind(*order_id)
                .bind(now.0);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// A login person's enterprise, for the log (none: not one of an enterprise's people).
pub async fn enterprise_of(conn: &mut AnyConnection, user_id: &str) -> AppResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT enterprise_id FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?
            .flatten(),
    )
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: String,
    at: i64,
    recipient_id: String,
    fields: String,
    basis: String,
    purpose: String,
    reference: String,
    user_name: Option<String>,
}

/// Who may read which events: the enterprise's, all or `own` person's only, of `recipient`.
struct Scope<'a> {
    enterprise_id: &'a str,
    own: Option<&'a str>,
    recipient_id: Option<String>,
}

/// The scope's events, newest first, after the event `(at, id)`, at most `limit`.
async fn fetch(
    conn: &mut AnyConnection,
    recipients: &[Recipient],
    scope: &Scope<'_>,
    after: Option<(i64, String)>,
    limit: i64,
) -> AppResult<Vec<(String, SharingEvent)>> {
    let (at, id) = after.unwrap_or((i64::MAX, "\u{10FFFF}".to_string()));
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.id, e.at, e.recipient_id, e.fields, e.basis, e.purpose, e.reference, u.name AS user_name FROM sharing_events e \
         LEFT JOIN users u ON u.id = e.user_id \
         WHERE e.enterprise_id = $1 AND ($2 = '' OR e.user_id = $2) AND ($3 = '' OR e.recipient_id = $3) \
         AND (e.at < $4 OR (e.at = $4 AND e.id < $5)) ORDER BY e.at DESC, e.id DESC LIMIT $6",
    )
    .bind(scope.enterprise_id)
    .bind(scope.own.unwrap_or(""))
    .bind(scope.recipient_id.as_deref().unwrap_or(""))
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let r = recipients.iter().find(|r| r.id == row.recipient_id)?;
            let fields = split(&row.fields);
            let event = SharingEvent {
                at: UtcMillis(row.at),
                recipient: r.name.clone(),
                kind: r.kind,
                // What it rested on when it left (older entries: the recipient's).
                purpose: Purpose::from_code(&row.purpose).unwrap_or(r.purpose),
                basis: Grounds::from_code(&row.basis).unwrap_or(Grounds::Registered(r.basis())),
                categories: crate::model::sharing::categories(&fields),
                subject: row
                    .user_name
                    .map(|n| crate::model::rights::mask_name(&n))
                    .unwrap_or_default(),
                reference: row.reference,
            };
            Some((row.id, event))
        })
        .collect())
}

/// The recipients, and the scope of a reader (`recipient`: a recipient's code, or empty).
async fn scope<'a>(
    conn: &mut AnyConnection,
    enterprise_id: &'a str,
    own: Option<&'a str>,
    recipient: Option<&str>,
) -> AppResult<(Vec<Recipient>, Scope<'a>)> {
    let mut recipients = recipients(conn).await?;
    // A successor is shown only to the enterprises whose information it took (P3.2).
    let successors: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT e.recipient_id FROM sharing_events e JOIN sharing_recipients r \
         ON r.id = e.recipient_id WHERE r.kind = 'successor' AND e.enterprise_id = $1",
    )
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    recipients.retain(|r| r.kind != RecipientKind::Successor || successors.contains(&r.id));
    let recipient_id = recipient
        .filter(|c| !c.is_empty())
        .map(|c| {
            recipients
                .iter()
                .find(|r| r.code == c)
                .map(|r| r.id.clone())
                .ok_or_else(|| AppError::invalid("recipient", crate::error::Rule::Format))
        })
        .transpose()?;
    let scope = Scope {
        enterprise_id,
        own,
        recipient_id,
    };
    Ok((recipients, scope))
}

/// The enterprise's log, newest first, a page of [`PAGE`] after `cursor` (an event's id):
/// everything about the enterprise and its people for its admin (`own` none), a member's own
/// otherwise; `recipient` filters by a recipient's code.
pub async fn log(
    state: &AppState,
    enterprise_id: &str,
    own: Option<&str>,
    recipient: Option<&str>,
    cursor: Option<&str>,
) -> AppResult<SharingLog> {
    let mut conn = state.db.conn().await?;
    let (recipients, scope) = scope(&mut conn, enterprise_id, own, recipient).await?;
    // The cursor event's time: the page goes on from it (time, then id, descending).
    let after: Option<(i64, String)> = match cursor.filter(|c| !c.is_empty()) {
        Some(c) => {
            sqlx::query_as("SELECT at, id FROM sharing_events WHERE id = $1 AND enterprise_id = $2")
                .bind(c)
                .bind(enterprise_id)
                .fetch_optional(&mut *conn)
                .await?
        }
        None => None,
    };
    let mut rows = fetch(&mut conn, &recipients, &scope, after, PAGE + 1).await?;
    let next = (rows.len() as i64 > PAGE).then(|| rows[PAGE as usize - 1].0.clone());
    rows.truncate(PAGE as usize);
    Ok(SharingLog {
        recipients,
        events: rows.into_iter().map(|(_, e)| e).collect(),
        next,
    })
}

/// The whole log of a reader's scope for the CSV download, newest first (at most
/// [`EXPORT_MAX`] entries).
pub async fn export(
    state: &AppState,
    enterprise_id: &str,
    own: Option<&str>,
    recipient: Option<&str>,
) -> AppResult<Vec<SharingEvent>> {
    let mut conn = state.db.conn().await?;
    let (recipients, scope) = scope(&mut conn, enterprise_id, own, recipient).await?;
    let rows = fetch(&mut conn, &recipients, &scope, None, EXPORT_MAX).await?;
    Ok(rows.into_iter().map(|(_, e)| e).collect())
}

/// Events a page of the log holds.
pub const PAGE: i64 = 50;
/// Entries a CSV download holds at most.
pub const EXPORT_MAX: i64 = 100_000;
