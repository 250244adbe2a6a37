//! The open API's tasks (issue 19; scope `tasks`): the enterprise's tasks, and the work done on
//! them — recording a completion (the worker joins the register, as in the portal), the
//! completions of a task, and accepting or withdrawing one. A completion's payee details go in
//! and are never read back (the answers carry ids, amounts and statuses only).

use super::{answer, audit_read, ApiError, Path, Signed, Tasks};
use crate::state::ServerState;
use app::error::{AppError, Rule};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub(super) struct ApiTask {
    id: String,
    title: String,
    category: String,
    /// `draft`, `in_review`, `changes_requested`, `open`, `rejected`, `closed`.
    status: String,
    /// `per_unit` or `fixed`.
    pay_kind: Option<String>,
    budget: String,
    workers: i64,
    starts_on: String,
    ends_on: String,
    updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct TaskList {
    tasks: Vec<ApiTask>,
}

/// The enterprise's tasks, newest first.
#[utoipa::path(operation_id = "list_tasks", get, path = "/openapi/v1/tasks", tag = "tasks", security(("signed" = [])),
    responses((status = 200, description = "The tasks", body = TaskList),
        (status = "4XX", description = "Refused", body = ApiError)))]
pub(super) async fn list(State(s): State<ServerState>, req: Signed<Tasks>) -> Response {
    let c = &req.caller;
    let read = async {
        let p = app::backend::tasks::page(&s.app, &c.enterprise_id).await?;
        audit_read(&s.app, c, "tasks").await?;
        Ok(TaskList {
            tasks: p
                .tasks
                .into_iter()
                .map(|t| ApiTask {
                    id: t.id,
                    title: t.task.title,
                    category: t.task.category,
                    status: t.status.code().into(),
                    pay_kind: t.task.pay_kind.map(|k| k.code().to_string()),
                    budget: t.task.budget.to_yuan_plain(),
                    workers: t.task.workers,
                    starts_on: t.task.starts_on,
                    ends_on: t.task.ends_on,
                    updated_at: t.updated_at.rfc3339(),
                })
                .collect(),
        })
    };
    answer(&req.rid, StatusCode::OK, read.await)
}

/// Work done on a task by a worker: the worker's details (they join the register), and the
/// quantity (per-unit tasks), the milestone and amount (fixed-price tasks).
#[derive(Deserialize, Default, ToSchema)]
#[serde(default)]
pub(super) struct CompletionBody {
    name: String,
    /// The worker's resident ID number.
    id_number: String,
    mobile: String,
    /// `bank`, `alipay` or `wechat`.
    channel: String,
    account: String,
    #[schema(example = "2")]
    quantity: String,
    milestone: String,
    #[schema(example = "")]
    amount: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct Recorded {
    /// The completion's id.
    id: String,
}

/// Records work done on an open task (`task_not_open`, `over_budget` otherwise).
#[utoipa::path(operation_id = "record_completion", post, path = "/openapi/v1/tasks/{task_id}/completions", tag = "tasks",
    params(("task_id" = String, Path, description = "The task's id")),
    request_body = CompletionBody, security(("signed" = [])),
    responses((status = 201, description = "Recorded", body = Recorded),
        (status = "4XX", description = "Refused, not found, not open or over budget", body = ApiError)))]
pub(super) async fn record_completion(
    State(s): State<ServerState>,
    Path(task_id): Path<String>,
    req: Signed<Tasks>,
) -> Response {
    use app::model::task::completion::{CompletionForm, CompletionInput};
    use app::model::worker::WorkerForm;
    let b: CompletionBody = match req.json("the completion's fields") {
        Ok(b) => b,
        Err(res) => return res,
    };
    let c = &req.caller;
    let recorded = async {
        let page = app::backend::tasks::get(&s.app, &c.enterprise_id, &task_id).await?;
        let form = CompletionForm {
            worker: WorkerForm {
                name: b.name,
                id_number: b.id_number,
                mobile: b.mobile,
                channel: b.channel,
                account: b.account,
            },
            quantity: b.quantity,
            milestone: b.milestone,
            amount: b.amount,
        };
        let input = CompletionInput::parse(&form, &page.task.task).map_err(AppError::Invalid)?;
        let id = app::backend::tasks::completions::record(
            &s.app,
            &c.actor(),
            &c.enterprise_id,
            &task_id,
            &input,
        )
        .await?;
        Ok(Recorded { id })
    };
    answer(&req.rid, StatusCode::CREATED, recorded.await)
}

#[derive(Serialize, ToSchema)]
pub(super) struct ApiCompletion {
    id: String,
    worker_id: String,
    quantity: i64,
    milestone: String,
    amount: String,
    /// `recorded`, `accepted` or `withdrawn`.
    status: String,
    recorded_at: String,
    accepted_at: Option<String>,
    /// The status of its latest payment order, if it has one.
    payment_status: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct CompletionList {
    completions: Vec<ApiCompletion>,
}

/// A task's completions, oldest first.
#[utoipa::path(operation_id = "list_completions", get, path = "/openapi/v1/tasks/{task_id}/completions", tag = "tasks",
    params(("task_id" = String, Path, description = "The task's id")),
    security(("signed" = [])),
    responses((status = 200, description = "The completions", body = CompletionList),
        (status = "4XX", description = "Refused or not found", body = ApiError)))]
pub(super) async fn completions(
    State(s): State<ServerState>,
    Path(task_id): Path<String>,
    req: Signed<Tasks>,
) -> Response {
    let c = &req.caller;
    let read = async {
        let page = app::backend::tasks::get(&s.app, &c.enterprise_id, &task_id).await?;
        audit_read(&s.app, c, &format!("task_completions:{task_id}")).await?;
        Ok(CompletionList {
            completions: page
                .completions
                .into_iter()
                .map(|r| ApiCompletion {
                    id: r.id,
                    worker_id: r.worker_id,
                    quantity: r.quantity,
                    milestone: r.milestone,
                    amount: r.amount.to_yuan_plain(),
                    status: r.status.code().into(),
                    recorded_at: r.recorded_at.rfc3339(),
                    accepted_at: r.accepted_at.map(|t| t.rfc3339()),
                    payment_status: r.order.map(|(_, st)| st.code().to_string()),
                })
                .collect(),
        })
    };
    answer(&req.rid, StatusCode::OK, read.await)
}

#[derive(Serialize, ToSchema)]
pub(super) struct Stepped {
    id: String,
    step: String,
}

/// Accepts a recorded completion (`accept`: it may be paid) or withdraws it (`withdraw`).
#[utoipa::path(operation_id = "completion_step", post, path = "/openapi/v1/completions/{id}/{step}", tag = "tasks",
    params(("id" = String, Path, description = "The completion's id"),
        ("step" = String, Path, description = "`accept` or `withdraw`")),
    security(("signed" = [])),
    responses((status = 200, description = "Done", body = Stepped),
        (status = "4XX", description = "Refused, not found or no longer recorded", body = ApiError)))]
pub(super) async fn completion_step(
    State(s): State<ServerState>,
    Path((id, step)): Path<(String, String)>,
    req: Signed<Tasks>,
) -> Response {
    use app::backend::tasks::completions::{self, Step};
    let c = &req.caller;
    let done = async {
        let st = match step.as_str() {
            "accept" => Step::Accept,
            "withdraw" => Step::Withdraw,
            _ => return Err(AppError::invalid("step", Rule::Format)),
        };
        completions::step(&s.app, &c.actor(), &c.enterprise_id, &id, st).await?;
        Ok(Stepped { id, step })
    };
    answer(&req.rid, StatusCode::OK, done.await)
}
