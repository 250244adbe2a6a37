//! An applicant whose credit code already has an account asks that account's admins to
//! invite them (issue 11). The applicant learns nothing about the account or its admins; the
//! admins are told, through the message centre, who asks and how to invite them. Limited to
//! [`JOIN_REQUESTS_PER_DAY`] a day per applicant, and audited.

use super::store;
use crate::backend::accounts::users::UserRow;
use crate::backend::audit::{self, Actor, Event};
use crate::backend::messages;
use crate::backend::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::model::account::{Email, Mobile};
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::credit_code::CreditCode;
use crate::model::messages::MessageCategory;
use crate::model::outbox::OutboxPurpose;
use crate::model::Bilingual;

pub const JOIN_REQUESTS_PER_DAY: i64 = 3;

/// An active admin of an active enterprise holding the credit code.
#[derive(sqlx::FromRow)]
struct AdminRow {
    id: String,
    name: String,
    enterprise_id: String,
}

/// Sends the request; answers how many admins were told (0 when the code has no account,
/// which says nothing an applicant could not learn by submitting).
pub async fn request(
    state: &AppState,
    user: &UserRow,
    credit_code: &str,
    actor: &Actor,
) -> AppResult<u32> {
    let code = CreditCode::parse_shape(credit_code)
        .map_err(|rule| AppError::invalid("credit_code", rule))?
        .to_string();
    if user.enterprise_id.is_some() {
        return Err(AppError::Conflict(Conflict::AlreadyMember));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'application.join_request' AND actor_id = $1 AND at > $2",
    )
    .bind(&user.id)
    .bind(now.0 - 86_400_000)
    .fetch_one(&mut *tx)
    .await
    ?;
    if recent >= JOIN_REQUESTS_PER_DAY {
        return Err(AppError::RateLimited);
    }
    let application_id = store::by_user(&mut tx, &user.id)
        .await?
        .map(|a| a.id)
        .unwrap_or_default();
    if store::registered_holders(&mut tx, &code, &application_id)
        .await?
        .is_empty()
    {
        return Err(AppError::invalid("credit_code", Rule::NotRegistered));
    }
    let admins: Vec<AdminRow> = sqlx::query_as(
        "SELECT u.id, e.name, e.id AS enterprise_id FROM users u JOIN enterprises e ON e.id = u.enterprise_id \
         WHERE e.credit_code = $1 AND e.status = 'active' AND u.role = 'admin' AND u.status = 'active' ORDER BY u.id",
    )
    .bind(&code)
    .fetch_all(&mut *tx)
    .await
    ?;
    let who = format!(
        "{} ({}, {})",
        user.name,
        Email::parse(&user.email(&state.cipher)?)
            .map(|e| e.masked())
            .unwrap_or_default(),
        Mobile::parse(&user.mobile(&state.cipher)?)
            .map(|m| m.masked())
            .unwrap_or_default(),
    );
    let mut told = 0u32;
    let mut enterprises = Vec::new();
    // It names them: erased with them (P6.3).
    let about = messages::about_person(&user.id);
    let title = Bilingual::new(
        "有人请求加入贵企业账户",
        "Someone asks to join your business account",
    );
    for AdminRow {
        id,
        name,
        enterprise_id: eid,
    } in admins
    {
        let body = Bilingual::new(
            format!("{who} 使用贵企业（{name}）的统一社会信用代码申请开户，并请您邀请其成为登录人员。如认识此人，请在“业务中心 → 成员”中发送邀请；如不认识，无需处理。"),
            format!("{who} applied for a business account with the credit code of your enterprise ({name}) and asks you to invite them as a login person. If you know them, invite them under Business → Members; if not, there is nothing to do."),
        );
        let notice = messages::Notice {
            category: MessageCategory::Account,
            purpose: OutboxPurpose::JoinRequest,
            title: &title,
            body: &body,
            source: &about,
            email_only: false,
        };
        messages::tell(state, &mut tx, &id, &notice, now).await?;
        told += 1;
        if !enterprises.contains(&eid) {
            enterprises.push(eid);
        }
    }
    for eid in &enterprises {
        audit::append(
            &mut tx,
            &Event {
                actor,
                enterprise_id: Some(eid),
                action: "application.join_request",
                target: &format!("enterprise:{eid}"),
                result: AuditResult::Ok,
                detail: "",
            },
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(told)
}
