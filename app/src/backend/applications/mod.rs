//! The business-account application and the admission review (P1.1.1).
//!
//! The applicant fills in the form, uploads the business licence and up to 9 work-scene
//! photos, and submits. A reviewer approves (the enterprise opens and the applicant becomes
//! its admin), rejects with a reason, or asks for more material; the applicant sees the
//! status and the message and can resubmit. Every step is audited, and every reviewer look
//! at the materials too.

mod files;
pub mod join;
pub mod store;

pub(crate) use files::clean_name;
pub use files::{delete_file, read_file, seal_checked, seal_upload, upload, Reader, Sealed};

use super::accounts::users::UserRow;
use super::audit::{self, Actor, Event};
use super::ids::new_id;
use super::AppState;
use crate::error::{AppError, AppResult, FieldError, Rule};
use crate::model::account::{Email, MemberRole};
use crate::model::application::{
    ApplicationInput, ApplicationStatus, ApplicationSummary, ApplicationView, Decision,
    DecisionDone, FilePurpose,
};
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::credit_code::CreditCode;
use crate::model::Bilingual;
use store::AppRow;

/// The application with its files; a reviewer also sees the other holders of its credit code
/// (an applicant does not learn which enterprises are customers).
async fn with_files(
    state: &AppState,
    row: AppRow,
    applicant_name: String,
    for_reviewer: bool,
) -> AppResult<ApplicationView> {
    let mut conn = state.db.conn().await?;
    let files = store::files_of(&mut conn, &row.id)
        .await?
        .into_iter()
        .map(|f| f.info)
        .collect();
    let duplicates = if for_reviewer {
        store::duplicates(&mut conn, &row.id, &row.input.credit_code).await?
    } else {
        Default::default()
    };
    Ok(ApplicationView {
        id: row.id,
        status: row.status,
        input: row.input,
        credit_code_check_ok: row.credit_code_check_ok,
        duplicates,
        reviewer_message: row.reviewer_message,
        override_reason: row.override_reason,
        files,
        submitted_at: row.submitted_at,
        decided_at: row.decided_at,
        applicant_name,
    })
}

pub(super) async fn own(state: &AppState, user: &UserRow) -> AppResult<AppRow> {
    let mut conn = state.db.conn().await?;
    store::by_user(&mut conn, &user.id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The caller's own application.
pub async fn mine(state: &AppState, user: &UserRow) -> AppResult<ApplicationView> {
    let row = own(state, user).await?;
    with_files(state, row, user.name.clone(), false).await
}

/// Keeps a draft's text within bounds without requiring completeness.
fn bounded(input: &ApplicationInput) -> Result<(), Vec<FieldError>> {
    let limits = [
        ("enterprise_name", &input.enterprise_name, 100u32),
        ("credit_code", &input.credit_code, 40),
        ("registered_address", &input.registered_address, 200),
        ("business_scope", &input.business_scope, 1000),
        ("platform_name", &input.platform_name, 100),
        ("platform_url", &input.platform_url, 200),
        ("platform_description", &input.platform_description, 1000),
        ("outsourced_work", &input.outsourced_work, 500),
    ];
    let errs: Vec<FieldError> = limits
        .iter()
        .filter(|(_, v, max)| v.chars().count() > *max as usize)
        .map(|(f, _, max)| FieldError::new(*f, Rule::TooLong { max: *max }))
        .collect();
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}

/// Saves the form; with `submit`, checks everything (the licence included) and submits it
/// for review.
pub async fn save(
    state: &AppState,
    user: &UserRow,
    input: ApplicationInput,
    submit: bool,
    actor: &Actor,
) -> AppResult<ApplicationStatus> {
    let now = state.clock.now();
    let row = own(state, user).await?;
    if !row.status.editable() {
        return Err(AppError::Conflict(Conflict::ApplicationLocked));
    }
    let mut errs = Vec::new();
    let (mut clean, check_ok) = if submit {
        match input.parse() {
            Ok(f) => (
                ApplicationInput {
                    enterprise_name: f.enterprise_name,
                    credit_code: f.credit_code.to_string(),
                    credit_code_manual_check: !f.credit_code_check_ok,
                    duplicate_review: input.duplicate_review,
                    registered_address: f.registered_address,
                    business_scope: f.business_scope,
                    platform_name: f.platform_name,
                    platform_url: f.platform_url,
                    platform_description: f.platform_description,
                    outsourced_work: f.outsourced_work,
                },
                f.credit_code_check_ok,
            ),
            Err(e) => {
                errs.extend(e);
                (input, true)
            }
        }
    } else {
        bounded(&input).map_err(AppError::Invalid)?;
        let t = |v: &String| v.trim().to_string();
        let input = ApplicationInput {
            enterprise_name: t(&input.enterprise_name),
            credit_code: t(&input.credit_code),
            credit_code_manual_check: input.credit_code_manual_check,
            duplicate_review: input.duplicate_review,
            registered_address: t(&input.registered_address),
            business_scope: t(&input.business_scope),
            platform_name: t(&input.platform_name),
            platform_url: t(&input.platform_url),
            platform_description: t(&input.platform_description),
            outsourced_work: t(&input.outsourced_work),
        };
        let check_ok = CreditCode::parse_shape(&input.credit_code)
            .map(|c| c.check_ok())
            .unwrap_or(true);
        (input, check_ok)
    };
    let mut tx = state.db.begin().await?;
    // Status and files are checked inside the transaction, after locking the row: a save
    // racing a submission cannot change a submitted application.
    store::lock_editable(&mut tx, &row.id, now).await?;
    if submit {
        let has_licence = store::files_of(&mut tx, &row.id)
            .await?
            .iter()
            .any(|f| f.info.purpose == FilePurpose::Licence);
        if !has_licence {
            errs.push(FieldError::new("licence", Rule::Required));
        }
        // One account per enterprise: a code that already has one is refused, unless the
        // applicant asks a reviewer to decide (who approves only with a recorded reason).
        let registered = !clean.credit_code.is_empty()
            && !store::registered_holders(&mut tx, &clean.credit_code, &row.id)
                .await?
                .is_empty();
        if registered && !clean.duplicate_review {
            errs.push(FieldError::new("credit_code", Rule::CreditCodeRegistered));
        }
        // Asking for a review is kept only while the code is in fact registered.
        clean.duplicate_review &= registered;
        if !errs.is_empty() {
            return Err(AppError::Invalid(errs));
        }
    }
    store::save_fields(&mut tx, &row.id, &clean, check_ok, now).await?;
    let status = if submit {
        let moved = store::transition(
            &mut tx,
            &row.id,
            &[
                ApplicationStatus::Draft,
                ApplicationStatus::MoreInfo,
                ApplicationStatus::Rejected,
            ],
            ApplicationStatus::Submitted,
            now,
        )
        .await?;
        if !moved {
            return Err(AppError::Conflict(Conflict::ApplicationLocked));
        }
        ApplicationStatus::Submitted
    } else {
        row.status
    };
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: None,
            action: if submit {
                "application.submit"
            } else {
                "application.save"
            },
            target: &format!("application:{}", row.id),
            result: AuditResult::Ok,
            detail: match (check_ok, clean.duplicate_review) {
                (true, false) => "",
                (false, false) => "credit code fails the check character: manual check asked",
                (true, true) => "credit code already registered: review asked",
                (false, true) => {
                    "credit code fails the check character and is registered: review asked"
                }
            },
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(status)
}

/// The review queue.
pub async fn queue(
    state: &AppState,
    status: ApplicationStatus,
) -> AppResult<Vec<ApplicationSummary>> {
    let mut conn = state.db.conn().await?;
    store::queue(&mut conn, status).await
}

/// One application for a reviewer; the look is audited (P5.1).
pub async fn review_view(state: &AppState, id: &str, actor: &Actor) -> AppResult<ApplicationView> {
    let mut conn = state.db.conn().await?;
    let row = store::by_id(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let applicant = super::accounts::users::get(&mut conn, &row.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    audit::record(
        &state.db,
        &Event {
            actor,
            enterprise_id: row.enterprise_id.as_deref(),
            action: "application.view",
            target: &format!("application:{id}"),
            result: AuditResult::Ok,
            detail: "",
        },
        state.clock.now(),
    )
    .await?;
    with_files(state, row, applicant.name, true).await
}

/// A reviewer's decision. Approving opens the enterprise and makes the applicant its admin;
/// a code that fails the check character needs an explicit override reason. Rejecting and
/// asking for more need a message. The applicant is notified through the outbox.
pub async fn decide(
    state: &AppState,
    id: &str,
    decision: Decision,
    message: &str,
    override_reason: &str,
    actor: &Actor,
) -> AppResult<DecisionDone> {
    let now = state.clock.now();
    let message = message.trim();
    let override_reason = override_reason.trim();
    if message.chars().count() > 1000 {
        return Err(AppError::invalid("message", Rule::TooLong { max: 1000 }));
    }
    if override_reason.chars().count() > 500 {
        return Err(AppError::invalid(
            "override_reason",
            Rule::TooLong { max: 500 },
        ));
    }
    let mut tx = state.db.begin().await?;
    let row = store::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    // The applicant's row first (as their deletion locks it, before their applications): an
    // applicant erased meanwhile has no application left to decide (P6.3).
    let applicant = sqlx::query(
        "UPDATE users SET updated_at = updated_at WHERE id = $1 AND anonymised_at IS NULL",
    )
    .bind(&row.user_id)
    .execute(&mut *tx)
    .await?;
    if applicant.rows_affected() != 1 {
        return Err(AppError::Conflict(Conflict::ApplicationNotPending));
    }
    let to = row
        .status
        .after(decision)
        .ok_or(AppError::Conflict(Conflict::ApplicationNotPending))?;
    if decision != Decision::Approve && message.is_empty() {
        return Err(AppError::invalid("message", Rule::Required));
    }
    // An early code that fails the check character, or a code that already has an account
    // (another enterprise may have been approved since the submission), needs an explicit,
    // recorded reason.
    let registered = if decision == Decision::Approve {
        store::lock_credit_code(&mut tx, state.db.engine(), &row.input.credit_code).await?;
        store::registered_holders(&mut tx, &row.input.credit_code, id).await?
    } else {
        Vec::new()
    };
    let needs_override = !row.credit_code_check_ok || !registered.is_empty();
    if decision == Decision::Approve && needs_override && override_reason.is_empty() {
        return Err(AppError::invalid("override_reason", Rule::Required));
    }
    if !store::transition(&mut tx, id, &[ApplicationStatus::Submitted], to, now).await? {
        return Err(AppError::Conflict(Conflict::ApplicationNotPending));
    }
    let mut sessions_ended = 0;
    let enterprise_id = if decision == Decision::Approve {
        let eid = new_id();
        sqlx::query(
            "INSERT INTO enterprises (id, name, credit_code, status, registered_address, business_scope, application_id, created_at) \
             VALUES ($1, $2, $3, 'active', $4, $5, $6, $7)",
        )
        .bind(&eid)
        .bind(&row.input.enterprise_name)
        .bind(&row.input.credit_code)
        .bind(&row.input.registered_address)
        .bind(&row.input.business_scope)
        .bind(id)
        .bind(now.0)
        .execute(&mut *tx)
        .await
        ?;
        sqlx::query(
            "UPDATE users SET enterprise_id = $1, role = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(&eid)
        .bind(MemberRole::Admin.code())
        .bind(now.0)
        .bind(&row.user_id)
        .execute(&mut *tx)
        .await?;
        // Its ledger accounts and dedicated receiving account (P1.1.5).
        super::funds::open_enterprise(&mut tx, &state.settings, &eid, now.0).await?;
        // The admin's rights come only with a new session (issue 14): every session the
        // applicant opened while applying ends, so one fixed or stolen then never becomes an
        // admin's. The applicant logs in again (the notice below says so).
        use super::accounts::sessions::{self, PrincipalKind};
        sessions_ended = sessions::end_all(&mut tx, PrincipalKind::User, &row.user_id).await?;
        Some(eid)
    } else {
        None
    };
    let kept_override = if decision == Decision::Approve && needs_override {
        override_reason
    } else {
        ""
    };
    store::record_decision(
        &mut tx,
        id,
        &actor.id,
        message,
        kept_override,
        enterprise_id.as_deref(),
    )
    .await?;
    let (title, body) = match decision {
        Decision::Approve => (
            Bilingual::new("企业账户已开通", "Your business account is open"),
            Bilingual::new(
                "您的开户申请已通过审核。请重新登录企业门户，即可使用全部功能。",
                "Your application has been approved. Log in again to use the whole portal.",
            ),
        ),
        Decision::Reject => (
            Bilingual::new("开户申请未通过", "Application not approved"),
            Bilingual::new(
                format!("您的开户申请未通过审核。审核意见：{message}"),
                format!("Your application was not approved. The reviewer's reason: {message}"),
            ),
        ),
        Decision::RequestMore => (
            Bilingual::new("请补充开户资料", "More material needed"),
            Bilingual::new(
                format!("审核人员需要您补充开户资料：{message}\n请登录后在“开户申请”中补充并重新提交。"),
                format!("The reviewer needs more material: {message}\nLog in and add it to your application, then submit it again."),
            ),
        ),
    };
    let source = format!("application:{id}");
    let notice = super::messages::Notice {
        category: crate::model::messages::MessageCategory::Account,
        purpose: crate::model::outbox::OutboxPurpose::ApplicationResult,
        title: &title,
        body: &body,
        source: &source,
        email_only: false,
    };
    super::messages::tell(state, &mut tx, &row.user_id, &notice, now).await?;
    let applicant = super::accounts::users::get(&mut tx, &row.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let masked = Email::parse(&applicant.email(&state.cipher)?)
        .map(|e| e.masked())
        .unwrap_or_else(|_| "***".into());
    let detail = match (decision, kept_override.is_empty()) {
        (Decision::Approve, false) if !registered.is_empty() => format!(
            "approved although the credit code is registered to {}: {kept_override}",
            registered.join(", ")
        ),
        (Decision::Approve, false) => {
            format!("approved with credit-code override: {kept_override}")
        }
        _ => decision.code().to_string(),
    };
    // The applicant's sessions ended at the approval are part of the record (issue 14).
    let detail = if sessions_ended > 0 {
        format!("{detail}; {sessions_ended} applicant session(s) ended")
    } else {
        detail
    };
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: enterprise_id.as_deref(),
            action: "application.decide",
            target: &format!("application:{id}"),
            result: AuditResult::Ok,
            detail: &detail,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(DecisionDone {
        decision,
        status: to,
        enterprise_name: row.input.enterprise_name,
        applicant_name: applicant.name,
        notified: masked,
    })
}
