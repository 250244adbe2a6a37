//! Lawful disclosures (issue 19; P3.1.2, P3.4; console `/ops/privacy/disclosures`): one privacy
//! officer records what an authority demanded and was given; a second one approves it (four
//! eyes) or refuses it. An approved disclosure the subject is to be told of is logged as a
//! sharing event (so it shows in the enterprise's privacy centre, P3.1.3) and told through the
//! messages capability to the enterprise's admins and the person it names; one the law forbids
//! telling stays in this register only, with the reason. Every step is audited.

use crate::backend::audit::{self, Actor, Event};
use crate::backend::messages::{self, Notice};
use crate::backend::AppState;
use crate::error::{AppError, AppResult, FieldError, Rule};
use crate::model::approval::Decision;
use crate::model::disclosure::{
    disclosure_next, DisclosureForm, DisclosureGround, DisclosureStatus, DisclosureView,
};
use crate::model::messages::MessageCategory;
use crate::model::outbox::OutboxPurpose;
use crate::model::sharing::codes;
use crate::model::{Bilingual, Lang, UtcMillis};
use sqlx::AnyConnection;

/// The register lists this many disclosures, newest first.
pub const LIST_MAX: i64 = 200;

/// Records a disclosure (pending a second officer). Every problem is a field error, nothing is
/// written: an unknown credit code, a mobile that is not one of the enterprise's login persons.
pub async fn record(state: &AppState, actor: &Actor, form: &DisclosureForm) -> AppResult<String> {
    let now = state.clock.now();
    let d = form.parse(now).map_err(AppError::Invalid)?;
    let mut tx = state.db.begin().await?;
    // The accounts with the credit code (a reviewer may have opened a second one): the named
    // person's, or else the oldest open one.
    let accounts: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM enterprises WHERE credit_code = $1 \
         ORDER BY CASE WHEN status = 'active' THEN 0 ELSE 1 END, created_at, id",
    )
    .bind(d.credit_code.as_str())
    .fetch_all(&mut *tx)
    .await?;
    let Some(first) = accounts.first().cloned() else {
        return Err(AppError::Invalid(vec![FieldError::new(
            "credit_code",
            Rule::NotRegistered,
        )]));
    };
    let (enterprise_id, user_id): (String, Option<String>) = match &d.person_mobile {
        None => (first, None),
        Some(m) => {
            let found: Option<(String, String)> = sqlx::query_as(
                "SELECT id, enterprise_id FROM users WHERE mobile_idx = $1 AND enterprise_id IS NOT NULL",
            )
            .bind(state.index.of("mobile", m.as_str()))
            .fetch_optional(&mut *tx)
            .await?;
            match found {
                Some((user, eid)) if accounts.contains(&eid) => (eid, Some(user)),
                _ => {
                    return Err(AppError::Invalid(vec![FieldError::new(
                        "person_mobile",
                        Rule::NotMember,
                    )]))
                }
            }
        }
    };
    let id = crate::backend::ids::new_id();
    sqlx::query(
        "INSERT INTO lawful_disclosures (id, authority, ground, legal_basis, document_ref, fields, \
         enterprise_id, user_id, disclosed_at, tell, tell_reason, status, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&id)
    .bind(&d.authority)
    .bind(d.ground.code())
    .bind(&d.legal_basis)
    .bind(&d.document_ref)
    .bind(d.fields.join(","))
    .bind(&enterprise_id)
    .bind(user_id.as_deref())
    .bind(d.disclosed_at.0)
    .bind(i64::from(d.tell))
    .bind(&d.tell_reason)
    .bind(DisclosureStatus::Pending.code())
    .bind(&actor.id)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    let detail = format!(
        "ground={} document={} fields={} tell={}",
        d.ground.code(),
        d.document_ref,
        d.fields.join(","),
        d.tell
    );
    let target = format!("disclosure:{id}");
    let event = Event::in_enterprise(actor, &enterprise_id, "disclosure.record", &target, &detail);
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    authority: String,
    #[sqlx(try_from = "String")]
    ground: DisclosureGround,
    legal_basis: String,
    document_ref: String,
    fields: String,
    enterprise_id: String,
    enterprise_name: String,
    credit_code: String,
    user_id: Option<String>,
    user_name: Option<String>,
    disclosed_at: i64,
    tell: i64,
    tell_reason: String,
    #[sqlx(try_from = "String")]
    status: DisclosureStatus,
    recorded_by: String,
    recorded_at: i64,
    decided_by: Option<String>,
    decided_at: Option<i64>,
    reject_reason: String,
}

const SELECT: &str =
    "SELECT d.id, d.authority, d.ground, d.legal_basis, d.document_ref, d.fields, \
     d.enterprise_id, e.name AS enterprise_name, e.credit_code, d.user_id, u.name AS user_name, \
     d.disclosed_at, d.tell, d.tell_reason, d.status, d.recorded_by, d.recorded_at, d.decided_by, \
     d.decided_at, d.reject_reason FROM lawful_disclosures d \
     JOIN enterprises e ON e.id = d.enterprise_id LEFT JOIN users u ON u.id = d.user_id";

impl Row {
    fn view(self, actor_id: &str) -> DisclosureView {
        DisclosureView {
            can_approve: self.status == DisclosureStatus::Pending && self.recorded_by != actor_id,
            id: self.id,
            authority: self.authority,
            ground: self.ground,
            legal_basis: self.legal_basis,
            document_ref: self.document_ref,
            fields: super::split(&self.fields),
            enterprise: format!("{} · {}", self.enterprise_name, self.credit_code),
            person: self
                .user_name
                .map(|n| crate::model::rights::mask_name(&n))
                .unwrap_or_default(),
            disclosed_at: UtcMillis(self.disclosed_at),
            tell: self.tell != 0,
            tell_reason: self.tell_reason,
            status: self.status,
            recorded_by: self.recorded_by,
            recorded_at: UtcMillis(self.recorded_at),
            decided_by: self.decided_by,
            decided_at: self.decided_at.map(UtcMillis),
            reject_reason: self.reject_reason,
        }
    }
}

/// The newest disclosures (at most [`LIST_MAX`]); pending ones first.
pub async fn list(conn: &mut AnyConnection, actor_id: &str) -> AppResult<Vec<DisclosureView>> {
    let sql = format!(
        "{SELECT} ORDER BY CASE WHEN d.status = 'pending' THEN 0 ELSE 1 END, d.recorded_at DESC, d.id LIMIT $1"
    );
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(LIST_MAX)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|r| r.view(actor_id)).collect())
}

/// A second officer approves disclosure `id`, or any officer refuses it (with `reason`). An
/// approved one the subject is told of is logged as a sharing event and told to the
/// enterprise's admins and the person it names, in the same transaction.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: &str,
    decision: Decision,
    reason: &str,
) -> AppResult<DisclosureStatus> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let sql = format!("{SELECT} WHERE d.id = $1");
    let row: Row = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = format!("disclosure:{id}");
    let next = match disclosure_next(row.status, decision, &row.recorded_by, &actor.id) {
        Ok(next) => next,
        Err(c) => {
            drop(tx);
            let detail = format!("refused: {c:?}");
            let event = Event {
                result: crate::model::audit::AuditResult::Denied,
                ..Event::in_enterprise(
                    actor,
                    &row.enterprise_id,
                    "disclosure.decide",
                    &target,
                    &detail,
                )
            };
            audit::record(&state.db, &event, now).await?;
            return Err(AppError::Conflict(c));
        }
    };
    let done = sqlx::query(
        "UPDATE lawful_disclosures SET status = $1, decided_by = $2, decided_at = $3, \
         reject_reason = $4 WHERE id = $5 AND status = 'pending'",
    )
    .bind(next.code())
    .bind(&actor.id)
    .bind(now.0)
    .bind(reason)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(
            crate::model::conflict::Conflict::AlreadyDone,
        ));
    }
    if next == DisclosureStatus::Approved && row.tell != 0 {
        tell_subject(state, &mut tx, &row, now).await?;
    }
    let action = match next {
        DisclosureStatus::Approved => "disclosure.approve",
        _ => "disclosure.reject",
    };
    let detail = format!("tell={} reason={reason}", row.tell != 0);
    let event = Event::in_enterprise(actor, &row.enterprise_id, action, &target, &detail);
    audit::append(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(next)
}

/// Logs the approved disclosure as a sharing event about its subject and tells the enterprise's
/// admins and the named person (P3.1.2, P3.1.3).
async fn tell_subject(
    state: &AppState,
    conn: &mut AnyConnection,
    row: &Row,
    now: UtcMillis,
) -> AppResult<()> {
    let authorities = super::recipient(conn, codes::PUBLIC_AUTHORITIES).await?;
    let fields = super::split(&row.fields);
    let whose = super::Whose {
        enterprise_id: Some(&row.enterprise_id),
        user_id: row.user_id.as_deref(),
    };
    let reference = format!("{} · {}", row.authority, row.document_ref);
    super::record_fields(conn, &authorities, &fields, whose, &reference, now).await?;
    let categories = |lang: Lang| {
        crate::model::sharing::categories(&fields)
            .into_iter()
            .map(|c| crate::i18n::data_category_label(c).text(lang))
            .collect::<Vec<_>>()
    };
    use crate::i18n::Translate;
    let ground = |lang| crate::i18n::disclosure_ground_label(row.ground).text(lang);
    let date = UtcMillis(row.disclosed_at).china_display();
    let title = Bilingual::new(
        "我们依法向国家机关提供了您的信息",
        "We provided your information to an authority as the law requires",
    );
    let body = Bilingual::new(
        format!(
            "{date}，应{}的要求（{}，依据：{}；情形：{}），平台提供了以下信息：{}。详情见隐私中心的“数据共享记录”。如有疑问，请联系平台的个人信息保护负责人。",
            row.authority,
            row.document_ref,
            row.legal_basis,
            ground(Lang::ZhCn),
            categories(Lang::ZhCn).join("、"),
        ),
        format!(
            "On {date}, at the demand of {} ({}, under {}; ground: {}), the platform provided: {}. The privacy centre's \"Who received what\" shows it. Questions go to the platform's personal information protection officer.",
            row.authority,
            row.document_ref,
            row.legal_basis,
            ground(Lang::En),
            categories(Lang::En).join("; "),
        ),
    );
    let source = format!("disclosure:{}", row.id);
    let notice = Notice {
        category: MessageCategory::Privacy,
        purpose: OutboxPurpose::LawfulDisclosure,
        title: &title,
        body: &body,
        source: &source,
        email_only: false,
    };
    let mut to = messages::admins_of(conn, &row.enterprise_id).await?;
    if let Some(u) = &row.user_id {
        if !to.contains(u) {
            to.push(u.clone());
        }
    }
    for user in to {
        messages::tell(state, conn, &user, &notice, now).await?;
    }
    Ok(())
}
