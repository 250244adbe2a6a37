//! The privacy officer's steps on a rights request: start, answer (complete or refuse with a
//! listed reason), mark a cost fee (P6.5); each answer is told to the requester with the
//! complaint routes (P10.2). A completed closure closes the account (`closure.rs`); a
//! completed deletion erases the requester as the data map says (`deletion.rs`).

use super::{closure, deletion, same_kind, store, target};
use crate::backend::audit::{self, Actor, Event};
use crate::backend::messages::{self, Notice};
use crate::backend::AppState;
use crate::error::{AppError, AppResult, Rule};
use crate::i18n::{kind_label, refusal_label, Lang, Translate};
use crate::model::conflict::Conflict;
use crate::model::messages::MessageCategory;
use crate::model::outbox::OutboxPurpose;
use crate::model::rights::{self as rules, RefusalReason, RequestAction, RequestStatus, StepBy};
use crate::model::{Bilingual, UtcMillis};
use sqlx::AnyConnection;
use store::RequestRow;

/// The officer starts handling a verified request.
pub async fn start(state: &AppState, actor: &Actor, id: &str) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let (from, to) = ([RequestStatus::Verified], RequestStatus::InProgress);
    if !store::move_status(&mut tx, id, &from, to, now).await? {
        return Err(AppError::Conflict(Conflict::RequestNotOpen));
    }
    sqlx::query("UPDATE privacy_requests SET handled_by = $2 WHERE id = $1")
        .bind(id)
        .bind(&actor.id)
        .execute(&mut *tx)
        .await?;
    let step = RequestAction::Started;
    store::add_step(&mut tx, id, StepBy::Officer, Some(&actor.id), step, "", now).await?;
    let t = target(id);
    audit::append(&mut tx, &Event::ok(actor, "rights.started", &t, ""), now).await?;
    tx.commit().await?;
    Ok(())
}

/// How a request was answered.
pub enum Outcome {
    Completed,
    Refused(RefusalReason),
}

/// The officer answers a verified request: completed, or refused with one of the listed
/// reasons that fits its kind. The answer is delivered to the requester with the complaint
/// routes.
pub async fn answer(
    state: &AppState,
    actor: &Actor,
    id: &str,
    outcome: Outcome,
    answer: &str,
) -> AppResult<()> {
    use RequestStatus as S;
    let answer = rules::parse_answer(answer).map_err(|e| AppError::Invalid(vec![e]))?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let row = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let (to, step, refusal) = match outcome {
        Outcome::Completed => (S::Completed, RequestAction::Completed, None),
        Outcome::Refused(reason) => {
            if !reason.applies_to(row.kind) {
                return Err(AppError::invalid("reason", Rule::Format));
            }
            (S::Refused, RequestAction::Refused, Some(reason))
        }
    };
    if !store::move_status(&mut tx, id, &[S::Verified, S::InProgress], to, now).await? {
        return Err(AppError::Conflict(Conflict::RequestNotOpen));
    }
    // An enterprise's request is carried out only while the one who asked is still its active
    // admin (a closure, a copy of its data, a correction of its details).
    let enterprise_wide = row.scope == crate::model::rights::RequestScope::Enterprise;
    if to == S::Completed && enterprise_wide {
        let eid = row
            .enterprise_id
            .as_deref()
            .ok_or_else(|| AppError::internal("an enterprise request without its enterprise"))?;
        if !super::still_admin(&mut tx, &row.user_id, eid).await? {
            return Err(AppError::Conflict(
                if row.kind == crate::model::rights::RequestKind::Closure {
                    Conflict::ClosureNotAdmin
                } else {
                    Conflict::RequesterNotAdmin
                },
            ));
        }
        // Completing a closure closes the account (refused, and nothing changed, while money
        // is there or in flight).
        if row.kind == crate::model::rights::RequestKind::Closure {
            closure::close(&mut tx, eid, actor, now).await?;
        }
    }
    // Completing a deletion erases the requester (P6.3): refused, nothing changed, for the only
    // active admin of an open enterprise or under a legal hold; their messages go before the
    // answer is queued.
    let deleting = to == S::Completed && row.kind == crate::model::rights::RequestKind::Deletion;
    if deleting {
        deletion::prepare(&mut tx, &row).await?;
    }
    // Completing a correction applies its values, the values before kept (P6.2).
    let mut corrected = String::new();
    if to == S::Completed && row.kind == crate::model::rights::RequestKind::Correction {
        let licence = super::licence_file_id(&mut tx, id).await?;
        let fields =
            super::correction::apply(&mut tx, &state.cipher, &row, licence.as_deref(), now).await?;
        corrected = fields
            .iter()
            .map(|f| f.code())
            .collect::<Vec<_>>()
            .join(",");
    }
    sqlx::query(
        "UPDATE privacy_requests SET answer_enc = $2, refusal = $3, answered_at = $4, \
         handled_by = COALESCE(handled_by, $5) WHERE id = $1",
    )
    .bind(id)
    .bind(store::seal(&state.cipher, id, "answer", &answer))
    .bind(refusal.map(|r| r.code()))
    .bind(now.0)
    .bind(&actor.id)
    .execute(&mut *tx)
    .await?;
    let detail = refusal.map(|r| r.code()).unwrap_or("");
    store::add_step(
        &mut tx,
        id,
        StepBy::Officer,
        Some(&actor.id),
        step,
        detail,
        now,
    )
    .await?;
    let erased_words = deleting.then(|| {
        let words = |l| {
            crate::i18n::deletion_done(&state.settings.retention, state.settings.backup_max_days, l)
        };
        Bilingual::new(words(Lang::ZhCn), words(Lang::En))
    });
    let (title, body) = answer_notice(state, &row, refusal, &answer, erased_words.as_ref());
    tell(state, &mut tx, &row, &title, &body, now).await?;
    let erased = if deleting {
        Some(deletion::carry_out(state, &mut tx, &row, now).await?)
    } else {
        None
    };
    // A copy request's copy is built in the background once the answer is in (P6.1).
    let copy = to == S::Completed && row.kind == crate::model::rights::RequestKind::Copy;
    if copy {
        super::export::create(&mut tx, id, now).await?;
    }
    let t = target(id);
    let action = match refusal {
        None => "rights.completed",
        Some(_) => "rights.refused",
    };
    let detail = match corrected.as_str() {
        _ if deleting => "erased=person".to_string(),
        "" => detail.to_string(),
        fields => format!("corrected={fields}"),
    };
    audit::append(&mut tx, &Event::ok(actor, action, &t, &detail), now).await?;
    tx.commit().await?;
    // A closed account's API keys stop at once (the open API's credential cache, issue 19).
    state.api_keys.clear();
    if copy {
        super::export::kick(state);
    }
    if let Some(erased) = erased {
        erased.remove(state);
        crate::backend::retention::erase::journal(state, &row.user_id, &row.id);
    }
    Ok(())
}

/// The officer marks a request for a cost fee, with a reason: only beyond the free number of
/// same-kind requests in 12 months (P6.5). The requester is told.
pub async fn mark_fee(state: &AppState, actor: &Actor, id: &str, reason: &str) -> AppResult<()> {
    let reason = rules::parse_answer(reason).map_err(|e| {
        AppError::Invalid(vec![crate::error::FieldError::new("fee_reason", e.rule)])
    })?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let row = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let count = same_kind(&mut tx, &row).await?;
    if row.status.awaits_us() && !rules::fee_allowed(count, state.settings.rights_free_per_year) {
        return Err(AppError::Conflict(Conflict::FeeNotAllowed));
    }
    // Only while it waits for us, and once: the update decides (a completion or a second mark
    // at the same moment finds it done).
    let marked = sqlx::query(
        "UPDATE privacy_requests SET fee_reason_enc = $2, updated_at = $3 WHERE id = $1 \
         AND fee_reason_enc IS NULL AND status IN ('verified', 'in_progress')",
    )
    .bind(id)
    .bind(store::seal(&state.cipher, id, "fee_reason", &reason))
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    if marked.rows_affected() != 1 {
        let again = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        return Err(AppError::Conflict(if again.status.awaits_us() {
            Conflict::AlreadyDone
        } else {
            Conflict::RequestNotOpen
        }));
    }
    let step = RequestAction::FeeMarked;
    store::add_step(&mut tx, id, StepBy::Officer, Some(&actor.id), step, "", now).await?;
    let kind = |l: Lang| kind_label(row.kind).text(l);
    let title = Bilingual::new(
        format!("您的“{}”请求将收取成本费用", kind(Lang::ZhCn)),
        format!("A cost fee applies to your request: {}", kind(Lang::En)),
    );
    let body = Bilingual::new(
        format!("对多次重复、超出合理限度的请求，平台可视情况收取一定成本费用。理由：{reason}"),
        format!("For repeated requests beyond a reasonable limit the platform may charge a cost fee. Reason: {reason}"),
    );
    tell(state, &mut tx, &row, &title, &body, now).await?;
    let t = target(id);
    let detail = format!("same_kind_in_year={count}");
    audit::append(
        &mut tx,
        &Event::ok(actor, "rights.fee_marked", &t, &detail),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The words of an answer: what was asked, the outcome (with the refusal's reason), the
/// officer's answer (and what a deletion erased and kept, `extra`), and where to complain
/// (P10.2).
fn answer_notice(
    state: &AppState,
    row: &RequestRow,
    refusal: Option<RefusalReason>,
    answer: &str,
    extra: Option<&Bilingual>,
) -> (Bilingual, Bilingual) {
    let words = |l: Lang| {
        let answer = match extra {
            Some(extra) => format!("{answer}\n\n{}", extra.get(l)),
            None => answer.to_string(),
        };
        let kind = kind_label(row.kind).text(l);
        let date = row.submitted_at.china_date();
        let routes: String = state
            .settings
            .complaint_routes
            .iter()
            .map(|r| format!("\n- {}：{}", r.name.get(l), r.contact))
            .collect();
        let complain = crate::i18n::RightsMsg::ComplaintRoutes.text(l);
        match (l, refusal) {
            (Lang::ZhCn, None) => (
                format!("您的“{kind}”请求已答复"),
                format!("您于 {date} 提交的“{kind}”请求已完成。\n\n答复：{answer}\n\n{complain}{routes}"),
            ),
            (Lang::ZhCn, Some(r)) => (
                format!("您的“{kind}”请求未能办理"),
                format!(
                    "您于 {date} 提交的“{kind}”请求被拒绝。理由：{}。\n\n说明：{answer}\n\n{complain}{routes}",
                    refusal_label(r).text(l)
                ),
            ),
            (Lang::En, None) => (
                format!("Your request was answered: {kind}"),
                format!("Your request of {date} ({kind}) is complete.\n\nAnswer: {answer}\n\n{complain}{routes}"),
            ),
            (Lang::En, Some(r)) => (
                format!("Your request was refused: {kind}"),
                format!(
                    "Your request of {date} ({kind}) was refused. Reason: {}.\n\nExplanation: {answer}\n\n{complain}{routes}",
                    refusal_label(r).text(l)
                ),
            ),
        }
    };
    let (zh, en) = (words(Lang::ZhCn), words(Lang::En));
    (Bilingual::new(zh.0, en.0), Bilingual::new(zh.1, en.1))
}

/// Tells the requester through the messages capability.
async fn tell(
    state: &AppState,
    conn: &mut AnyConnection,
    row: &RequestRow,
    title: &Bilingual,
    body: &Bilingual,
    now: UtcMillis,
) -> AppResult<()> {
    let source = format!("privacy_request:{}", row.id);
    let notice = Notice {
        category: MessageCategory::Privacy,
        purpose: OutboxPurpose::RightsRequest,
        title,
        body,
        source: &source,
        email_only: false,
    };
    messages::tell(state, conn, &row.user_id, &notice, now).await?;
    Ok(())
}
