//! Security incidents (P5.5; console `/ops/privacy/incidents`, privacy officers): the record
//! (what happened, when it was discovered, the possible impact, the measures taken, advice,
//! remedies, the affected enterprises, when the regulator was told) with every change kept in
//! a timeline; notifying every affected person individually through the message centre (a
//! security notice: in-site, e-mail and SMS, which cannot be turned off), once, after the
//! officer confirmed the number shown; the delivery result per person; and a public incident
//! announcement from the same record when individual notice is impractical. Audited.

use super::audit::{self, Actor, Event};
use super::ids::new_id;
use super::messages::{self, Notice};
use super::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::model::announcement::{AnnouncementDraft, AnnouncementKind};
use crate::model::conflict::Conflict;
use crate::model::incident::{
    Incident, IncidentForm, IncidentSummary, PersonResult, TimelineEntry,
};
use crate::model::messages::MessageCategory;
use crate::model::outbox::{OutboxPurpose, OutboxStatus};
use crate::model::{Bilingual, UtcMillis};
use sqlx::AnyConnection;

fn form_of(f: &IncidentForm) -> [(&'static str, &str); 11] {
    [
        ("title_zh", &f.title_zh),
        ("title_en", &f.title_en),
        ("what_happened", &f.what_happened),
        ("discovered_at", &f.discovered_at),
        ("impact", &f.impact),
        ("measures", &f.measures),
        ("advice_zh", &f.advice_zh),
        ("advice_en", &f.advice_en),
        ("remedies", &f.remedies),
        ("reported_at", &f.reported_at),
        ("enterprises", &f.enterprises),
    ]
}

/// Records a new incident (`id` `None`) or a change to one; each save that changes something
/// adds a timeline entry naming the parts that changed (a save without a change writes
/// nothing). Audited.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    id: Option<&str>,
    form: &IncidentForm,
) -> AppResult<String> {
    let draft = form.parse().map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let enterprises =
        super::business::accounts_with_codes(&mut tx, &draft.enterprises, "enterprises").await?;
    let (id, changed) = match id {
        None => {
            let id = new_id();
            sqlx::query(
                "INSERT INTO incidents (id, title_zh, title_en, what_happened, discovered_at, impact, measures, advice_zh, advice_en, remedies, reported_at, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
            )
            .bind(&id)
            .bind(&draft.title.zh)
            .bind(&draft.title.en)
            .bind(&draft.what_happened)
            .bind(draft.discovered_at.0)
            .bind(&draft.impact)
            .bind(&draft.measures)
            .bind(&draft.advice.zh)
            .bind(&draft.advice.en)
            .bind(&draft.remedies)
            .bind(draft.reported_at.map(|t| t.0))
            .bind(&actor.id)
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
            (id, "recorded".to_string())
        }
        Some(id) => {
            let before = load_form(&mut tx, id).await?.ok_or(AppError::NotFound)?;
            let changed: Vec<&str> = form_of(&before)
                .iter()
                .zip(form_of(form).iter())
                .filter(|((_, a), (_, b))| a.trim() != b.trim())
                .map(|((name, _), _)| *name)
                .collect();
            if changed.is_empty() {
                // Saved without a change: nothing to record.
                return Ok(id.to_string());
            }
            sqlx::query(
                "UPDATE incidents SET title_zh = $2, title_en = $3, what_happened = $4, discovered_at = $5, impact = $6, measures = $7, \
                 advice_zh = $8, advice_en = $9, remedies = $10, reported_at = $11, updated_at = $12 WHERE id = $1",
            )
            .bind(id)
            .bind(&draft.title.zh)
            .bind(&draft.title.en)
            .bind(&draft.what_happened)
            .bind(draft.discovered_at.0)
            .bind(&draft.impact)
            .bind(&draft.measures)
            .bind(&draft.advice.zh)
            .bind(&draft.advice.en)
            .bind(&draft.remedies)
            .bind(draft.reported_at.map(|t| t.0))
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM incident_enterprises WHERE incident_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            (id.to_string(), format!("changed: {}", changed.join(", ")))
        }
    };
    for eid in &enterprises {
        sqlx::query(
            "INSERT INTO incident_enterprises (incident_id, enterprise_id) VALUES ($1, $2)",
        )
        .bind(&id)
        .bind(eid)
        .execute(&mut *tx)
        .await?;
    }
    timeline(&mut tx, &id, actor, &changed, now).await?;
    let action = if changed == "recorded" {
        "incident.record"
    } else {
        "incident.edit"
    };
    audit::append(
        &mut tx,
        &Event::ok(actor, action, &format!("incident:{id}"), &changed),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn timeline(
    conn: &mut AnyConnection,
    id: &str,
    actor: &Actor,
    what: &str,
    now: UtcMillis,
) -> AppResult<()> {
    sqlx::query("INSERT INTO incident_events (id, incident_id, at, actor_id, what) VALUES ($1, $2, $3, $4, $5)")
        .bind(new_id())
        .bind(id)
        .bind(now.0)
        .bind(&actor.id)
        .bind(what)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    title_zh: String,
    title_en: String,
    what_happened: String,
    discovered_at: i64,
    impact: String,
    measures: String,
    advice_zh: String,
    advice_en: String,
    remedies: String,
    reported_at: Option<i64>,
    notified_at: Option<i64>,
    announcement_id: Option<String>,
    created_at: i64,
}

const COLUMNS: &str = "id, title_zh, title_en, what_happened, discovered_at, impact, measures, advice_zh, advice_en, remedies, reported_at, notified_at, announcement_id, created_at";

async fn row(conn: &mut AnyConnection, id: &str) -> AppResult<Option<Row>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM incidents WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The stored record as the form shows it (times in China time, codes one per line).
async fn load_form(conn: &mut AnyConnection, id: &str) -> AppResult<Option<IncidentForm>> {
    let Some(r) = row(conn, id).await? else {
        return Ok(None);
    };
    let codes: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT e.credit_code FROM incident_enterprises i JOIN enterprises e ON e.id = i.enterprise_id WHERE i.incident_id = $1 ORDER BY e.credit_code",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(IncidentForm {
        title_zh: r.title_zh,
        title_en: r.title_en,
        what_happened: r.what_happened,
        discovered_at: UtcMillis(r.discovered_at).china_input(),
        impact: r.impact,
        measures: r.measures,
        advice_zh: r.advice_zh,
        advice_en: r.advice_en,
        remedies: r.remedies,
        reported_at: r
            .reported_at
            .map(|t| UtcMillis(t).china_input())
            .unwrap_or_default(),
        enterprises: codes.join("\n"),
    }))
}

/// The active login persons of the affected enterprises: (user id, name, enterprise name).
async fn affected(conn: &mut AnyConnection, id: &str) -> AppResult<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.name, e.name FROM incident_enterprises i JOIN users u ON u.enterprise_id = i.enterprise_id \
         JOIN enterprises e ON e.id = i.enterprise_id WHERE i.incident_id = $1 AND u.status = 'active' ORDER BY e.name, u.name, u.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?)
}

/// The affected people not told yet (everyone before the first notice; afterwards, those who
/// joined an affected enterprise or whose enterprise was added to the record since). Each told
/// person has the in-site message (security notices cannot be turned off).
async fn untold(conn: &mut AnyConnection, id: &str) -> AppResult<Vec<(String, String, String)>> {
    let told: Vec<String> =
        sqlx::query_scalar("SELECT user_id FROM inbox_messages WHERE source = $1")
            .bind(format!("incident:{id}"))
            .fetch_all(&mut *conn)
            .await?;
    let told: std::collections::HashSet<String> = told.into_iter().collect();
    Ok(affected(conn, id)
        .await?
        .into_iter()
        .filter(|(user, _, _)| !told.contains(user))
        .collect())
}

pub async fn list(state: &AppState) -> AppResult<Vec<IncidentSummary>> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM incidents ORDER BY discovered_at DESC, id LIMIT 200"
    )))
    .fetch_all(state.db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| IncidentSummary {
            id: r.id,
            title: Bilingual::new(r.title_zh, r.title_en),
            discovered_at: UtcMillis(r.discovered_at),
            notified_at: r.notified_at.map(UtcMillis),
            announced: r.announcement_id.is_some(),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct ResultRow {
    name: String,
    enterprise: String,
    read_at: Option<i64>,
    inbox_id: Option<String>,
    email: Option<String>,
    sms: Option<String>,
}

/// One incident with its timeline, who is affected and, once notified, each person's result.
/// What each affected person is sent: the title and the text, in both languages (the page
/// shows it before the officer sends it).
fn notice_text(r: &Row) -> (Bilingual, Bilingual) {
    let title = Bilingual::new(
        format!("安全事件通知：{}", r.title_zh),
        format!("Security incident: {}", r.title_en),
    );
    let body = Bilingual::new(
        format!(
            "我们于 {} 发现一起可能影响您的安全事件。\n发生了什么：{}\n可能的影响：{}\n我们已采取的措施：{}\n建议您：{}\n补救措施：{}",
            UtcMillis(r.discovered_at).china_display(),
            r.what_happened,
            r.impact,
            r.measures,
            r.advice_zh,
            r.remedies
        ),
        format!(
            "On {} we discovered a security incident that may affect you.\nWhat happened: {}\nPossible impact: {}\nWhat we have done: {}\nWhat we advise: {}\nRemedies: {}",
            UtcMillis(r.discovered_at).china_display(),
            r.what_happened,
            r.impact,
            r.measures,
            r.advice_en,
            r.remedies
        ),
    );
    (title, body)
}

pub async fn get(state: &AppState, id: &str) -> AppResult<Incident> {
    let mut conn = state.db.conn().await?;
    let r = row(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let form = load_form(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let enterprise_names: Vec<String> = sqlx::query_scalar(
        "SELECT e.name FROM incident_enterprises i JOIN enterprises e ON e.id = i.enterprise_id WHERE i.incident_id = $1 ORDER BY e.name",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let affected = affected(&mut conn, id).await?.len();
    let untold = untold(&mut conn, id).await?.len();
    let events: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT v.at, COALESCE(o.display_name, v.actor_id), v.what FROM incident_events v LEFT JOIN operators o ON o.id = v.actor_id \
         WHERE v.incident_id = $1 ORDER BY v.at, v.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let results: Vec<ResultRow> = sqlx::query_as(
        "SELECT u.name, COALESCE(e.name, '') AS enterprise, m.read_at, m.id AS inbox_id, \
         (SELECT o.status FROM outbox o WHERE o.inbox_id = m.id AND o.channel = 'email') AS email, \
         (SELECT o.status FROM outbox o WHERE o.inbox_id = m.id AND o.channel = 'sms') AS sms \
         FROM inbox_messages m JOIN users u ON u.id = m.user_id LEFT JOIN enterprises e ON e.id = u.enterprise_id \
         WHERE m.source = $1 ORDER BY enterprise, u.name, u.id",
    )
    .bind(format!("incident:{id}"))
    .fetch_all(&mut *conn)
    .await?;
    let status = |s: Option<String>| -> AppResult<Option<OutboxStatus>> {
        s.map(|s| OutboxStatus::from_stored(&s, "outbox.status"))
            .transpose()
            .map_err(AppError::from)
    };
    let mut people = Vec::new();
    for p in results {
        people.push(PersonResult {
            name: p.name,
            enterprise: p.enterprise,
            read_at: p.read_at.map(UtcMillis),
            in_site: p.inbox_id.is_some(),
            email: status(p.email)?,
            sms: status(p.sms)?,
        });
    }
    let (notice_title, notice_body) = notice_text(&r);
    Ok(Incident {
        id: r.id,
        notice_title,
        notice_body,
        form,
        discovered_at: UtcMillis(r.discovered_at),
        enterprise_names,
        affected: u32::try_from(affected).unwrap_or(u32::MAX),
        untold: u32::try_from(untold).unwrap_or(u32::MAX),
        notified_at: r.notified_at.map(UtcMillis),
        announcement_id: r.announcement_id,
        timeline: events
            .into_iter()
            .map(|(at, actor, what)| TimelineEntry {
                at: UtcMillis(at),
                actor,
                what,
            })
            .collect(),
        results: people,
        created_at: UtcMillis(r.created_at),
    })
}

/// Tells every affected person not told yet, individually, once: `expected` is the number the
/// officer saw and confirmed ("send to N people"); if that set changed since, nothing is sent
/// and the page shows the new number. People who join an affected enterprise (or whose
/// enterprise is added) after the first notice are told by the next one. Returns how many were
/// told. Audited.
pub async fn notify(state: &AppState, actor: &Actor, id: &str, expected: u32) -> AppResult<u32> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let r = row(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    // The record is locked first (the first notice's time is kept), so an edit or a second
    // officer cannot change who is told between counting and sending; a mismatch rolls back.
    sqlx::query("UPDATE incidents SET notified_at = COALESCE(notified_at, $2) WHERE id = $1")
        .bind(id)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
    // Everyone the first time; afterwards only those not told yet, each once.
    let people = untold(&mut tx, id).await?;
    if people.is_empty() {
        return Err(match r.notified_at {
            Some(_) => AppError::Conflict(Conflict::AlreadyDone),
            None => AppError::invalid("expected", Rule::Required),
        });
    }
    if people.len() != expected as usize {
        return Err(AppError::Conflict(Conflict::AffectedChanged));
    }
    let (title, body) = notice_text(&r);
    let source = format!("incident:{id}");
    let notice = Notice {
        category: MessageCategory::Security,
        purpose: OutboxPurpose::Incident,
        title: &title,
        body: &body,
        source: &source,
        email_only: false,
    };
    for (user, _, _) in &people {
        messages::tell(state, &mut tx, user, &notice, now).await?;
    }
    let what = format!("notified {} people", people.len());
    timeline(&mut tx, id, actor, &what, now).await?;
    audit::append(
        &mut tx,
        &Event::ok(actor, "incident.notify", &source, &what),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(u32::try_from(people.len()).unwrap_or(u32::MAX))
}

/// Publishes a public incident announcement from the record (when individual notice is
/// impractical): on the home page and in every inbox (P7.2). Once. Audited.
pub async fn announce(state: &AppState, actor: &Actor, id: &str) -> AppResult<String> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let r = row(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let draft = AnnouncementDraft {
        kind: AnnouncementKind::Incident,
        title: Bilingual::new(r.title_zh, r.title_en),
        body: Bilingual::new(
            format!(
                "{}\n\n可能的影响：{}\n我们已采取的措施：{}\n建议您：{}",
                r.what_happened, r.impact, r.measures, r.advice_zh
            ),
            format!(
                "{}\n\nPossible impact: {}\nWhat we have done: {}\nWhat we advise: {}",
                r.what_happened, r.impact, r.measures, r.advice_en
            ),
        ),
        publish_at: None,
    };
    // The announcement's own limit: a record too long for one is shortened in the console first.
    let max = crate::model::announcement::BODY_MAX;
    if draft.body.zh.chars().count() > max as usize || draft.body.en.chars().count() > max as usize
    {
        return Err(AppError::invalid("what_happened", Rule::TooLong { max }));
    }
    // One transaction: two clicks make one announcement (the second finds it linked and
    // rolls its own back).
    let announcement =
        super::announcement::author::save_in(state, &mut tx, actor, None, &draft).await?;
    let linked = sqlx::query(
        "UPDATE incidents SET announcement_id = $2 WHERE id = $1 AND announcement_id IS NULL",
    )
    .bind(id)
    .bind(&announcement)
    .execute(&mut *tx)
    .await?;
    if linked.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::AlreadyDone));
    }
    let what = format!("public notice announcement:{announcement}");
    timeline(&mut tx, id, actor, &what, now).await?;
    audit::append(
        &mut tx,
        &Event::ok(actor, "incident.announce", &format!("incident:{id}"), &what),
        now,
    )
    .await?;
    tx.commit().await?;
    state.public_pages.changed();
    Ok(announcement)
}
