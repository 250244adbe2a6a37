//! The task library (issue 18 §1, P1.1.6): the enterprise's members with the `tasks`
//! permission (and admins) write, send and close tasks; reviewers decide on them.

// A form's fields are the server function's arguments, one each.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::task::{TaskPage, TaskView, TasksPage};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
async fn tasks_member() -> Result<super::access::UserCaller, AppError> {
    super::access::member(Some(crate::model::account::Permission::Tasks)).await
}

/// The enterprise's tasks.
#[server(prefix = "/api", endpoint = "my_tasks")]
pub async fn load_my_tasks() -> Result<TasksPage, AppError> {
    let c = tasks_member().await?;
    crate::backend::tasks::page(&c.state, c.enterprise_id()?).await
}

/// One of the enterprise's tasks.
#[server(prefix = "/api", endpoint = "task")]
pub async fn load_task(id: String) -> Result<TaskPage, AppError> {
    let c = tasks_member().await?;
    crate::backend::tasks::get(&c.state, c.enterprise_id()?, &id).await
}

/// Saves a task — a new one (`id` empty; `key` makes a repeat harmless) or an editable one —
/// as a draft (`intent` = `draft`) or sends it for review (`submit`). Returns its id.
#[server(prefix = "/api", endpoint = "save_task")]
pub async fn save_task(
    id: String,
    key: String,
    intent: String,
    title: String,
    description: String,
    category: String,
    remote: Option<String>,
    city: String,
    pay_kind: String,
    unit_price: String,
    units: String,
    budget: String,
    workers: String,
    starts_on: String,
    ends_on: String,
) -> Result<String, AppError> {
    use crate::model::task::{TaskForm, TaskInput};
    let c = tasks_member().await?;
    let submit = match intent.as_str() {
        "submit" => true,
        "draft" => false,
        _ => return Err(AppError::invalid("intent", crate::error::Rule::Format)),
    };
    let today = c.state.clock.now().china_date();
    let form = TaskForm {
        title,
        description,
        category,
        remote,
        city,
        pay_kind,
        unit_price,
        units,
        budget,
        workers,
        starts_on,
        ends_on,
    };
    let input = TaskInput::parse(&form, &c.state.settings.task_categories, &today, !submit)
        .map_err(AppError::Invalid)?;
    let save = crate::backend::tasks::Save {
        id: Some(id.trim()).filter(|i| !i.is_empty()),
        key: &key,
        submit,
    };
    let eid = c.enterprise_id()?;
    crate::backend::tasks::save(&c.state, &c.actor(), eid, &input, save).await
}

/// The enterprise closes an open task.
#[server(prefix = "/api", endpoint = "close_task")]
pub async fn close_task(id: String) -> Result<(), AppError> {
    let c = tasks_member().await?;
    crate::backend::tasks::close(&c.state, &c.actor(), c.enterprise_id()?, &id).await
}

/// The reviewers' queue: tasks in review, oldest first (or those of `status`).
#[server(prefix = "/api", endpoint = "task_review_queue")]
pub async fn load_task_review_queue(status: String) -> Result<Vec<TaskView>, AppError> {
    use crate::model::task::TaskStatus;
    let c = super::access::operator(crate::model::access::roles::REVIEWERS).await?;
    // Drafts are the enterprise's work in progress: not the reviewers' to list.
    let status = match status.trim() {
        "" => None,
        s => Some(
            TaskStatus::from_code(s)
                .filter(|s| *s != TaskStatus::Draft)
                .ok_or_else(|| AppError::invalid("status", crate::error::Rule::Format))?,
        ),
    };
    crate::backend::tasks::queue(&c.state, status).await
}

/// A reviewer approves a task, asks for changes or rejects it (`decision`), with a `note` for
/// the last two.
#[server(prefix = "/api", endpoint = "decide_task")]
pub async fn decide_task(id: String, decision: String, note: String) -> Result<(), AppError> {
    use crate::model::task::TaskDecision;
    let c = super::access::operator(crate::model::access::roles::REVIEWERS).await?;
    let decision = TaskDecision::from_code(decision.trim())
        .ok_or_else(|| AppError::invalid("decision", crate::error::Rule::Required))?;
    crate::backend::tasks::decide(&c.state, &c.actor(), &id, decision, &note).await
}

/// Records work done on one of the enterprise's tasks: the worker (who joins the register)
/// and, per unit, the units done or, fixed, the milestone and its amount. Returns its id.
#[server(prefix = "/api", endpoint = "record_completion")]
pub async fn record_completion(
    task_id: String,
    name: String,
    id_number: String,
    mobile: String,
    channel: String,
    account: String,
    quantity: String,
    milestone: String,
    amount: String,
) -> Result<String, AppError> {
    use crate::model::task::completion::{CompletionForm, CompletionInput};
    use crate::model::worker::WorkerForm;
    let c = tasks_member().await?;
    let eid = c.enterprise_id()?;
    let page = crate::backend::tasks::get(&c.state, eid, &task_id).await?;
    let form = CompletionForm {
        worker: WorkerForm {
            name,
            id_number,
            mobile,
            channel,
            account,
        },
        quantity,
        milestone,
        amount,
    };
    let input = CompletionInput::parse(&form, &page.task.task).map_err(AppError::Invalid)?;
    crate::backend::tasks::completions::record(&c.state, &c.actor(), eid, &task_id, &input).await
}

/// The enterprise accepts a recorded completion (`step` = `accept`) or withdraws it
/// (`withdraw`).
#[server(prefix = "/api", endpoint = "completion_step")]
pub async fn completion_step(id: String, step: String) -> Result<(), AppError> {
    use crate::backend::tasks::completions::{self, Step};
    let c = tasks_member().await?;
    let step = match step.trim() {
        "accept" => Step::Accept,
        "withdraw" => Step::Withdraw,
        _ => return Err(AppError::invalid("step", crate::error::Rule::Format)),
    };
    completions::step(&c.state, &c.actor(), c.enterprise_id()?, &id, step).await
}

/// Turns a task's accepted, unpaid completions into a payment batch awaiting confirmation
/// (a funds action: the `funds` permission).
#[server(prefix = "/api", endpoint = "pay_completions")]
pub async fn pay_completions(task_id: String) -> Result<crate::model::funds::BatchView, AppError> {
    let c = super::access::member(Some(crate::model::account::Permission::Funds)).await?;
    crate::backend::tasks::completions::pay(&c.state, &c.actor(), c.enterprise_id()?, &task_id)
        .await
}

/// The enterprise's worker register (numbers masked).
#[server(prefix = "/api", endpoint = "workers")]
pub async fn load_workers() -> Result<Vec<crate::model::worker::WorkerView>, AppError> {
    let c = tasks_member().await?;
    crate::backend::workers::list(&c.state, c.enterprise_id()?, None).await
}
