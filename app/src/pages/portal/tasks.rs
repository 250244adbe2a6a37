//! 任务库 `/portal/tasks` (issue 18 §1, P1.1.6): the enterprise's tasks with their statuses and
//! the reviewers' notes, and the form to publish one (a draft, or sent for review);
//! `/portal/tasks/{id}`: one task, its form while it may be changed.

use super::task_work::{BatchMade, CompletionsCard, TaskMoneyCard};
use crate::api::tasks::{
    load_my_tasks, load_task, CloseTask, CompletionStep, PayCompletions, RecordCompletion, SaveTask,
};
use crate::components::{
    action_error, code_options, successes, AreaHeader, Col, DataTable, Field, FormError,
    ItemButton, LangLink, Loader, SelectField, StatusBadge, Tab,
};
use crate::i18n::{
    localized_href, pay_kind_label, t, task_pay, task_place, use_lang, Msg, TaskMsg,
};
use crate::model::access::MemberNeeds;
use crate::model::account::Permission;
use crate::model::task::{PayKind, TaskForm, TaskStatus, TaskView, DESCRIPTION_MAX, TITLE_MAX};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// What the task pages need (the same permission their server functions check).
pub const TASKS: MemberNeeds = MemberNeeds::Permission(Permission::Tasks);

#[component]
pub fn TasksPage() -> impl IntoView {
    let save = ServerAction::<SaveTask>::new();
    let close = ServerAction::<CloseTask>::new();
    let (saved, closed) = (successes(save), successes(close));
    let page = Resource::new(move || (saved.get(), closed.get()), |_| load_my_tasks());
    view! {
        <AreaHeader title=TaskMsg::Library area=Msg::AreaTasks>
            <TaskTabs/>
        </AreaHeader>
        <Loader resource=page page=true let:p>
            <section class="card" data-testid="new-task">
                <h2>{t(TaskMsg::New)}</h2>
                <p class="muted">{t(TaskMsg::Intro)}</p>
                <TaskFormFields action=save categories=p.categories.clone() key=p.key.clone()
                    id=String::new() form=TaskForm::default()/>
            </section>
            <section class="card">
                <h2>{t(TaskMsg::Tasks)}</h2>
                <FormError error=action_error(close)/>
                <DataTable cols=vec![Col::new(TaskMsg::Title), Col::new(TaskMsg::Category), Col::new(TaskMsg::PayKind), Col::num(TaskMsg::Workers), Col::new(TaskMsg::Dates), Col::new(TaskMsg::Status), Col::new(Msg::Actions)]
                    rows=p.tasks row=move |x| task_row(x, close) empty=TaskMsg::NoTasks testid="tasks"/>
            </section>
        </Loader>
    }
}

fn task_row(x: TaskView, close: ServerAction<CloseTask>) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/portal/tasks/{}", x.id);
    let note = (!x.review_note.is_empty()).then(|| x.review_note.clone());
    let pay = task_pay(&x, lang.get_untracked());
    let place = task_place(&x, lang.get_untracked());
    let when = dates(&x);
    view! {
        <tr data-testid="task-row">
            <td><LangLink href=href>{x.task.title.clone()}</LangLink><br/><span class="muted">{place}</span></td>
            <td>{x.task.category.clone()}</td>
            <td>{pay}</td>
            <td class="num">{(x.task.workers > 0).then_some(x.task.workers)}</td>
            <td>{when}</td>
            <td>
                <StatusBadge status=x.status testid="task-status"/>
                {note.map(|n| view! { <br/><span class="muted" data-testid="task-note">{n}</span> })}
            </td>
            <td>
                {(x.status == TaskStatus::Open).then(|| view! {
                    <ItemButton action=close value=x.id.clone() label=TaskMsg::Close testid="close-task"/>
                })}
            </td>
        </tr>
    }
}

/// The task area's tabs.
#[component]
fn TaskTabs() -> impl IntoView {
    view! {
        <Tab path="/portal/tasks" label=TaskMsg::Library exact=true/>
        <Tab path="/portal/tasks/workers" label=TaskMsg::WorkerRegister exact=true/>
    }
}

/// "2026-12-01 – 2026-12-31", or what a draft has of it.
fn dates(x: &TaskView) -> String {
    match (x.task.starts_on.as_str(), x.task.ends_on.as_str()) {
        ("", "") => String::new(),
        (s, e) => format!("{s} – {e}"),
    }
}

/// The task's fields, with "save the draft" and "send for review".
#[component]
fn TaskFormFields(
    action: ServerAction<SaveTask>,
    categories: Vec<String>,
    key: String,
    id: String,
    form: TaskForm,
) -> impl IntoView {
    let error = action_error(action);
    let lang = use_lang();
    let pays = code_options(PayKind::ALL, PayKind::code, pay_kind_label);
    let category = form.category.clone();
    let remote = form.remote.is_some();
    view! {
        <ActionForm action attr:class="form" attr:novalidate=true>
            <FormError error/>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="key" value=key/>
            <Field label=TaskMsg::Title name="title" error value=form.title maxlength=TITLE_MAX/>
            <Field label=TaskMsg::Description name="description" error value=form.description multiline=true required=false maxlength=DESCRIPTION_MAX/>
            <div class="field">
                <label for="f-category">{t(TaskMsg::Category)}</label>
                <select id="f-category" name="category" data-testid="select-category" aria-describedby="f-category-error">
                    <option value="">{t(TaskMsg::ChooseCategory)}</option>
                    {categories.into_iter().map(|c| {
                        let chosen = c == category;
                        view! { <option value=c.clone() selected=chosen>{c.clone()}</option> }
                    }).collect_view()}
                </select>
                <span class="error" id="f-category-error" data-field-error="category">
                    {move || error.get().and_then(|e| e.field_message("category", lang.get()))}
                </span>
            </div>
            <div class="field field-check">
                <label><input type="checkbox" name="remote" value="on" checked=remote data-testid="task-remote"/> {t(TaskMsg::Remote)}</label>
            </div>
            <Field label=TaskMsg::City name="city" error value=form.city required=false maxlength=20/>
            <SelectField label=TaskMsg::PayKind name="pay_kind" error options=pays blank=TaskMsg::ChoosePay selected=form.pay_kind/>
            <Field label=TaskMsg::UnitPrice name="unit_price" error value=form.unit_price required=false/>
            <Field label=TaskMsg::Units name="units" error value=form.units required=false/>
            <Field label=TaskMsg::Budget name="budget" error value=form.budget required=false/>
            <Field label=TaskMsg::Workers name="workers" error value=form.workers required=false/>
            <Field label=TaskMsg::StartsOn name="starts_on" kind="date" error value=form.starts_on required=false/>
            <Field label=TaskMsg::EndsOn name="ends_on" kind="date" error value=form.ends_on required=false/>
            <div class="form-actions">
                <button type="submit" name="intent" value="draft" class="btn btn-secondary" data-testid="save-draft"
                    disabled=move || action.pending().get()>{t(TaskMsg::SaveDraft)}</button>
                <button type="submit" name="intent" value="submit" class="btn btn-primary" data-testid="send-for-review"
                    disabled=move || action.pending().get()>{t(TaskMsg::SendForReview)}</button>
            </div>
        </ActionForm>
    }
}

/// `/portal/tasks/{id}`: the task; its form while it is a draft or sent back for changes.
#[component]
pub fn TaskPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let save = ServerAction::<SaveTask>::new();
    let record = ServerAction::<RecordCompletion>::new();
    let step = ServerAction::<CompletionStep>::new();
    let pay = ServerAction::<PayCompletions>::new();
    let changes = [
        successes(save),
        successes(record),
        successes(step),
        successes(pay),
    ];
    let task = Resource::new(
        move || {
            let id = params.read().get("id").unwrap_or_default();
            (id, changes.map(|c| c.get()))
        },
        |(id, _)| load_task(id),
    );
    view! {
        <AreaHeader title=TaskMsg::Edit area=Msg::AreaTasks>
            <TaskTabs/>
        </AreaHeader>
        <p><a href=move || localized_href("/portal/tasks", lang.get())>"← " {t(TaskMsg::Back)}</a></p>
        <Loader resource=task page=true let:p>
            {
                let x = p.task;
                let editable = x.status.editable();
                let form = x.task.form();
                let work = x.status.accepts_completions().then(|| view! {
                    <TaskMoneyCard x=x.clone() money=p.money/>
                    <BatchMade pay/>
                    <CompletionsCard x=x.clone() completions=p.completions.clone() record step pay/>
                });
                view! {
                    <section class="card" data-testid="task-detail">
                        <h2>{x.task.title.clone()}</h2>
                        <p><StatusBadge status=x.status testid="task-status"/></p>
                        {(!x.review_note.is_empty()).then(|| view! {
                            <p class="notice notice-info" data-testid="task-note">{t(TaskMsg::ReviewNote)} ": " {x.review_note.clone()}</p>
                        })}
                        {if editable {
                            view! { <TaskFormFields action=save categories=p.categories.clone() key=String::new() id=x.id.clone() form/> }.into_any()
                        } else {
                            view! { <TaskFacts x=x.clone()/> }.into_any()
                        }}
                    </section>
                    {work}
                }
            }
        </Loader>
    }
}

/// A task's facts, read-only.
#[component]
fn TaskFacts(x: TaskView) -> impl IntoView {
    let lang = use_lang();
    let pay = task_pay(&x, lang.get_untracked());
    let place = task_place(&x, lang.get_untracked());
    view! {
        <dl class="facts">
            <div><dt>{t(TaskMsg::Category)}</dt><dd>{x.task.category.clone()}</dd></div>
            <div><dt>{t(TaskMsg::Place)}</dt><dd>{place}</dd></div>
            <div><dt>{t(TaskMsg::PayKind)}</dt><dd>{pay}</dd></div>
            <div><dt>{t(TaskMsg::Workers)}</dt><dd>{x.task.workers}</dd></div>
            <div><dt>{t(TaskMsg::Dates)}</dt><dd>{dates(&x)}</dd></div>
            <div><dt>{t(TaskMsg::Publisher)}</dt><dd>{x.publisher.clone()}</dd></div>
        </dl>
        <p class="pre-line">{x.task.description.clone()}</p>
    }
}
