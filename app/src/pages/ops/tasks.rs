//! 任务审核 `/ops/tasks` (reviewers; issue 18 §1, P1.1.6): tasks waiting for review, the
//! oldest first, with the terms that flag them; approve, ask for changes or reject with a
//! reason (the publisher is told). A status filter shows the others.

use crate::api::tasks::{load_task_review_queue, DecideTask};
use crate::components::{
    action_error, code_options, query_values, AreaHeader, Card, CodeSelect, Col, DataTable,
    FilterForm, FormError, ItemButton, Loader, StatusBadge, Tab,
};
use crate::i18n::{t, task_pay, task_place, task_status_label, use_lang, Msg, TaskMsg};
use crate::model::task::{TaskStatus, TaskView};
use leptos::prelude::*;

#[component]
pub fn OpsTasksPage() -> impl IntoView {
    let query = query_values(["status"]);
    let decide = ServerAction::<DecideTask>::new();
    let decided = crate::components::successes(decide);
    let queue = Resource::new(
        move || (query(), decided.get()),
        |([status], _)| load_task_review_queue(status),
    );
    let listed: Vec<TaskStatus> = TaskStatus::ALL
        .iter()
        .copied()
        .filter(|s| *s != TaskStatus::Draft)
        .collect();
    let statuses = code_options(&listed, TaskStatus::code, task_status_label);
    view! {
        <AreaHeader title=TaskMsg::Queue area=Msg::AreaOpsTasks>
            <Tab path="/ops/tasks" label=TaskMsg::Queue exact=true/>
        </AreaHeader>
        <Card testid="task-queue">
            <p class="muted">{t(TaskMsg::QueueIntro)}</p>
            <FilterForm submit=TaskMsg::Filter>
                <CodeSelect name="status" label=TaskMsg::Status all=TaskMsg::InReviewOnly options=statuses selected=Signal::derive(move || query()[0].clone())/>
            </FilterForm>
            <FormError error=action_error(decide)/>
            <Loader resource=queue let:items>
                <DataTable cols=vec![Col::new(TaskMsg::Title), Col::new(TaskMsg::Enterprise), Col::new(TaskMsg::PayKind), Col::new(TaskMsg::Dates), Col::new(TaskMsg::Submitted), Col::new(TaskMsg::Status), Col::new(TaskMsg::Decision)]
                    rows=items row=move |x| queue_row(x, decide) empty=TaskMsg::NoQueue testid="task-queue-rows"/>
            </Loader>
        </Card>
    }
}

fn queue_row(x: TaskView, decide: ServerAction<DecideTask>) -> impl IntoView {
    let lang = use_lang();
    let pay = task_pay(&x, lang.get_untracked());
    let place = task_place(&x, lang.get_untracked());
    let flags = (!x.flags.is_empty()).then(|| {
        view! {
            <p class="notice notice-warning" data-testid="task-flags">
                {t(TaskMsg::FlagsNote)} " " <strong>{x.flags.join("、")}</strong>
            </p>
        }
    });
    let waiting = x.status == TaskStatus::InReview;
    let id = x.id.clone();
    view! {
        <tr data-testid="task-item">
            <td>
                <strong>{x.task.title.clone()}</strong> " · " {x.task.category.clone()} " · " {place}
                <p class="pre-line muted">{x.task.description.clone()}</p>
                {flags}
            </td>
            <td>{x.enterprise_name.clone()}<br/><span class="muted">{x.publisher.clone()}</span></td>
            <td>{pay}<br/><span class="muted">{t(TaskMsg::Workers)} ": " {x.task.workers}</span></td>
            <td>{x.task.starts_on.clone()} " – " {x.task.ends_on.clone()}</td>
            <td>{x.submitted_at.map(|s| s.china_display())}</td>
            <td><StatusBadge status=x.status testid="queue-task-status"/></td>
            <td class="actions">
                {waiting.then(|| view! {
                    <ItemButton action=decide value=id.clone() label=TaskMsg::Approve class="btn btn-primary" testid="approve-task">
                        <input type="hidden" name="decision" value="approve"/>
                        <input type="hidden" name="note" value=""/>
                    </ItemButton>
                    <ItemButton action=decide value=id.clone() label=TaskMsg::AskChanges testid="ask-changes">
                        <input type="hidden" name="decision" value="ask_changes"/>
                        <label>{t(TaskMsg::Note)} <input name="note" maxlength="500" required=true data-testid="changes-note"/></label>
                    </ItemButton>
                    <ItemButton action=decide value=id.clone() label=TaskMsg::Reject class="btn btn-danger" testid="reject-task">
                        <input type="hidden" name="decision" value="reject"/>
                        <label>{t(TaskMsg::Note)} <input name="note" maxlength="500" required=true data-testid="reject-note"/></label>
                    </ItemButton>
                })}
            </td>
        </tr>
    }
}
