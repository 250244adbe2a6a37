//! The task library (issue 18 §1, P1.1.6): an enterprise's members with the `tasks` permission
//! write tasks (drafts may be incomplete) and send them for review; reviewers approve them, send
//! them back for changes or reject them, with a reason the publisher is told; only approved
//! tasks are open; the enterprise closes one, or the end date does. The rules are in
//! `model/task.rs`; the SQL in `store.rs`.

pub mod completions;
pub mod store;

use crate::backend::audit::{self, Actor, Event};
use crate::backend::messages::{self, Notice};
use crate::backend::AppState;
use crate::error::{AppError, AppResult};
use crate::model::audit::AuditResult;
use crate::model::conflict::Conflict;
use crate::model::form::parse_multiline;
use crate::model::messages::MessageCategory;
use crate::model::outbox::OutboxPurpose;
use crate::model::task::{
    TaskDecision, TaskInput, TaskPage, TaskStatus, TaskStep, TaskView, TasksPage, NOTE_MAX,
};
use crate::model::{Bilingual, UtcMillis};
use sqlx::AnyConnection;

/// The enterprise's tasks, newest first, with the categories and a fresh form key.
pub async fn page(state: &AppState, enterprise_id: &str) -> AppResult<TasksPage> {
    let mut conn = state.db.conn().await?;
    Ok(TasksPage {
        tasks: unflagged(
            store::views(&mut conn, "t.enterprise_id = $1", &[enterprise_id], false).await?,
        ),
        categories: state.settings.task_categories.clone(),
        key: crate::backend::ids::new_id(),
    })
}

/// One of the enterprise's tasks (another's is not found).
pub async fn get(state: &AppState, enterprise_id: &str, id: &str) -> AppResult<TaskPage> {
    let mut conn = state.db.conn().await?;
    let task = store::views(
        &mut conn,
        "t.id = $1 AND t.enterprise_id = $2",
        &[id, enterprise_id],
        false,
    )
    .await?;
    let task = unflagged(task)
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    Ok(TaskPage {
        task,
        categories: state.settings.task_categories.clone(),
        completions: completions::list(&mut conn, enterprise_id, id).await?,
        money: completions::money(&mut conn, enterprise_id, id).await?,
    })
}

/// The enterprise's own view: which forbidden terms matched is the reviewers' (it would show
/// how to get past them).
fn unflagged(mut tasks: Vec<TaskView>) -> Vec<TaskView> {
    for t in &mut tasks {
        t.flags.clear();
    }
    tasks
}

/// What a save does.
pub struct Save<'a> {
    /// An existing task (a draft, or one sent back for changes); `None` writes a new one.
    pub id: Option<&'a str>,
    /// The new-task form's key: sent twice, one task.
    pub key: &'a str,
    /// Send it for review (every field needed), or keep it as a draft.
    pub submit: bool,
}

/// Writes a task (new, or an editable one changed) and, with `submit`, sends it for review with
/// the forbidden terms it contains. Returns its id.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    enterprise_id: &str,
    input: &TaskInput,
    s: Save<'_>,
) -> AppResult<String> {
    let now = state.clock.now();
    let flags = if s.submit {
        input.flags(&state.settings.task_forbidden_terms).join("\n")
    } else {
        String::new()
    };
    let status = if s.submit {
        TaskStatus::InReview
    } else {
        TaskStatus::Draft
    };
    let mut tx = state.db.begin().await?;
    let id = match s.id {
        None => {
            let key = crate::model::form::parse_text(s.key, 64)
                .map_err(|r| AppError::invalid("key", r))?;
            let client_key = format!("{enterprise_id}/{key}");
            let id = crate::backend::ids::new_id();
            let made = store::insert(
                &mut tx,
                &id,
                enterprise_id,
                &client_key,
                input,
                &actor.id,
                now,
            )
            .await?;
            if made {
                id
            } else {
                // The same form sent again (a lost reply, a second click): while its task may
                // still change this is its newer content; once sent, a repeat of it is the
                // same task, and other content under the key a mistake.
                let found = store::by_key(&mut tx, &client_key)
                    .await?
                    .ok_or(AppError::Conflict(Conflict::KeyReused))?;
                if found.status.editable() {
                    let status = found.status;
                    if !store::update(&mut tx, &found.id, enterprise_id, status, input, now).await?
                    {
                        return Err(AppError::Conflict(Conflict::TaskMovedOn));
                    }
                } else if found.title == input.title && s.submit {
                    return Ok(found.id);
                } else {
                    return Err(AppError::Conflict(Conflict::KeyReused));
                }
                found.id
            }
        }
        Some(id) => {
            let current = store::status_of(&mut tx, id, enterprise_id)
                .await?
                .ok_or(AppError::NotFound)?;
            if !current.editable() {
                return Err(AppError::Conflict(Conflict::TaskMovedOn));
            }
            if !store::update(&mut tx, id, enterprise_id, current, input, now).await? {
                return Err(AppError::Conflict(Conflict::TaskMovedOn));
            }
            id.to_string()
        }
    };
    if s.submit {
        let moved = store::set_status(
            &mut tx,
            &id,
            &[TaskStatus::Draft, TaskStatus::ChangesRequested],
            status,
            "flags = $4, submitted_at = $3, review_note = ''",
            &[&flags],
            now,
        )
        .await?;
        if !moved {
            return Err(AppError::Conflict(Conflict::TaskMovedOn));
        }
    }
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: if s.submit { "task.submit" } else { "task.save" },
            target: &format!("task:{id}"),
            result: AuditResult::Ok,
            detail: &input.title,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The review queue: tasks in review, oldest first (or those of one status).
pub async fn queue(state: &AppState, status: Option<TaskStatus>) -> AppResult<Vec<TaskView>> {
    let mut conn = state.db.conn().await?;
    let status = status.unwrap_or(TaskStatus::InReview);
    store::views(&mut conn, "t.status = $1", &[status.code()], true).await
}

/// A reviewer's decision, with a reason for a rejection or a request for changes; the publisher
/// is told.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: &str,
    decision: TaskDecision,
    note: &str,
) -> AppResult<()> {
    let note = if decision.needs_note() {
        parse_multiline(note, NOTE_MAX).map_err(|r| AppError::invalid("note", r))?
    } else if note.trim().is_empty() {
        String::new()
    } else {
        parse_multiline(note, NOTE_MAX).map_err(|r| AppError::invalid("note", r))?
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let row = store::publisher_of(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = row
        .status
        .after(decision.step())
        .ok_or(AppError::Conflict(Conflict::TaskMovedOn))?;
    // A task whose end date passed while it waited is not opened (it would close at once): the
    // publisher is asked for new dates instead.
    if decision == TaskDecision::Approve && row.ends_on.as_str() < now.china_date().as_str() {
        return Err(AppError::Conflict(Conflict::TaskEnded));
    }
    let moved = store::set_status(
        &mut tx,
        id,
        &[row.status],
        to,
        "review_note = $4, decided_by = $5, decided_at = $3",
        &[&note, &actor.id],
        now,
    )
    .await?;
    if !moved {
        return Err(AppError::Conflict(Conflict::TaskMovedOn));
    }
    let (zh, en) = match decision {
        TaskDecision::Approve => ("已通过审核，任务已开放", "approved: the task is open"),
        TaskDecision::Reject => ("未通过审核", "rejected"),
        TaskDecision::AskChanges => (
            "需要修改后重新提交",
            "needs changes before it is sent again",
        ),
    };
    let reason = if note.is_empty() {
        (String::new(), String::new())
    } else {
        (format!("\n原因：{note}"), format!("\nReason: {note}"))
    };
    let title = Bilingual::new(format!("任务审核：{zh}"), format!("Task review: {en}"));
    let body = Bilingual::new(
        format!("您发布的任务“{}”{zh}。{}", row.title, reason.0),
        format!("Your task \"{}\" was {en}.{}", row.title, reason.1),
    );
    let eid = &row.enterprise_id;
    tell_publisher(state, &mut tx, eid, &row.created_by, &title, &body, now).await?;
    // The reason stays on record (the task's note is cleared when it is sent again).
    let detail = if note.is_empty() {
        row.title.clone()
    } else {
        format!("{}: {note}", row.title)
    };
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(&row.enterprise_id),
            action: match decision {
                TaskDecision::Approve => "task.approve",
                TaskDecision::Reject => "task.reject",
                TaskDecision::AskChanges => "task.ask_changes",
            },
            target: &format!("task:{id}"),
            result: AuditResult::Ok,
            detail: &detail,
        },
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// The enterprise closes an open task.
pub async fn close(
    state: &AppState,
    actor: &Actor,
    enterprise_id: &str,
    id: &str,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let status = store::status_of(&mut tx, id, enterprise_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = status
        .after(TaskStep::Close)
        .ok_or(AppError::Conflict(Conflict::TaskMovedOn))?;
    if !store::set_status(&mut tx, id, &[status], to, "closed_at = $3", &[], now).await? {
        return Err(AppError::Conflict(Conflict::TaskMovedOn));
    }
    audit::append(
        &mut tx,
        &Event {
            actor,
            enterprise_id: Some(enterprise_id),
            action: "task.close",
            target: &format!("task:{id}"),
            result: AuditResult::Ok,
            detail: "",
        },
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Housekeeping: open tasks whose end date (China time) has passed are closed, and their
/// publishers told. Returns how many.
pub async fn close_ended(state: &AppState) -> AppResult<u32> {
    let now = state.clock.now();
    let today = now.china_date();
    let mut conn = state.db.conn().await?;
    let ended = store::ended(&mut conn, &today).await?;
    drop(conn);
    let mut closed = 0;
    for row in ended {
        // One task that cannot be closed is logged; the others still are.
        match close_one_ended(state, &row, now).await {
            Ok(true) => closed += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(task = %row.id, error = ?e, "an ended task was not closed"),
        }
    }
    Ok(closed)
}

/// Closes one open task past its end date and tells its publisher; `false` when it had moved
/// on meanwhile.
async fn close_one_ended(state: &AppState, row: &store::Ended, now: UtcMillis) -> AppResult<bool> {
    let mut tx = state.db.begin().await?;
    let done = store::set_status(
        &mut tx,
        &row.id,
        &[TaskStatus::Open],
        TaskStatus::Closed,
        "closed_at = $3",
        &[],
        now,
    )
    .await?;
    if !done {
        return Ok(false);
    }
    let title = Bilingual::new("任务已到期关闭".to_string(), "A task ended".to_string());
    let body = Bilingual::new(
        format!(
            "任务“{}”已过结束日期（{}），已自动关闭。",
            row.title, row.ends_on
        ),
        format!(
            "The task \"{}\" passed its end date ({}) and was closed.",
            row.title, row.ends_on
        ),
    );
    let eid = &row.enterprise_id;
    tell_publisher(state, &mut tx, eid, &row.created_by, &title, &body, now).await?;
    audit::append(
        &mut tx,
        &Event {
            actor: &Actor::system(),
            enterprise_id: Some(&row.enterprise_id),
            action: "task.close",
            target: &format!("task:{}", row.id),
            result: AuditResult::Ok,
            detail: "ended",
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Tells the task's publisher — or, when they are no longer an active login person, the
/// enterprise's active admins (a decision always reaches someone who can act on it).
async fn tell_publisher(
    state: &AppState,
    conn: &mut AnyConnection,
    enterprise_id: &str,
    user_id: &str,
    title: &Bilingual,
    body: &Bilingual,
    now: UtcMillis,
) -> AppResult<()> {
    let mut to: Vec<String> =
        sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND status = 'active'")
            .bind(user_id)
            .fetch_all(&mut *conn)
            .await?;
    if to.is_empty() {
        to = crate::backend::messages::admins_of(conn, enterprise_id).await?;
    }
    let notice = Notice {
        category: MessageCategory::Tasks,
        purpose: OutboxPurpose::TaskReview,
        title,
        body,
        source: "",
        email_only: false,
    };
    for id in to {
        messages::tell(state, conn, &id, &notice, now).await?;
    }
    Ok(())
}
