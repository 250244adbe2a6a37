//! The work on a task (issue 18 §1, P1.1.6), on `/portal/tasks/{id}`: its budget and what is
//! recorded, accepted and paid (reconciled with the ledger); the completion records with their
//! acceptance and payment; the form to record one; and the button that pays the accepted ones
//! as a payment batch. `/portal/tasks/workers`: the worker register.

use crate::api::tasks::{load_workers, CompletionStep, PayCompletions, RecordCompletion};
use crate::components::{
    action_error, code_options, AreaHeader, Col, DataTable, Field, FormError, ItemButton, LangLink,
    Loader, SelectField, StatusBadge, Submit, Tab,
};
use crate::i18n::SignMsg;
use crate::i18n::{channel_label, t, worker_source_label, FundMsg, Msg, TaskMsg};
use crate::model::funds::Channel;
use crate::model::task::completion::{CompletionStatus, CompletionView, TaskMoney, MILESTONE_MAX};
use crate::model::task::{PayKind, TaskView};
use crate::model::worker::{WorkerView, NAME_MAX};
use leptos::prelude::*;

/// The task's budget against its records and payments.
#[component]
pub fn TaskMoneyCard(x: TaskView, money: TaskMoney) -> impl IntoView {
    let ok = money.reconciled();
    view! {
        <section class="card" data-testid="task-money">
            <h2>{t(TaskMsg::Money)}</h2>
            <dl class="facts">
                <div><dt>{t(TaskMsg::Budget)}</dt><dd class="num" data-testid="money-budget">{x.task.budget.to_string()}</dd></div>
                <div><dt>{t(TaskMsg::RecordedAmt)}</dt><dd class="num" data-testid="money-recorded">{money.recorded.to_string()}</dd></div>
                <div><dt>{t(TaskMsg::AcceptedAmt)}</dt><dd class="num" data-testid="money-accepted">{money.accepted.to_string()}</dd></div>
                <div><dt>{t(TaskMsg::PaidAmt)}</dt><dd class="num" data-testid="money-paid">{money.paid.to_string()}</dd></div>
            </dl>
            <p class=if ok { "notice notice-success" } else { "notice notice-error" } data-testid="money-reconciled">
                {if ok { t(TaskMsg::Reconciled) } else { t(TaskMsg::NotReconciled) }}
            </p>
        </section>
    }
}

/// The completion records, the actions on them, and the form to record one.
#[component]
pub fn CompletionsCard(
    x: TaskView,
    completions: Vec<CompletionView>,
    record: ServerAction<RecordCompletion>,
    step: ServerAction<CompletionStep>,
    pay: ServerAction<PayCompletions>,
) -> impl IntoView {
    let payable = completions.iter().any(CompletionView::payable);
    let can_record = x.status.accepts_completions();
    let task_id = x.id.clone();
    view! {
        <section class="card" data-testid="completions">
            <h2>{t(TaskMsg::Completions)}</h2>
            <p class="muted">{t(TaskMsg::CompletionsIntro)}</p>
            <FormError error=action_error(step)/>
            <DataTable cols=vec![Col::new(TaskMsg::Worker), Col::new(TaskMsg::Work), Col::num(TaskMsg::Amount), Col::new(TaskMsg::Status), Col::new(TaskMsg::Payment), Col::new(Msg::Actions)]
                rows=completions row=move |c| completion_row(c, step) empty=TaskMsg::NoCompletions testid="completion-rows"/>
            {payable.then(|| view! { <PayButton pay task_id=task_id.clone()/> })}
        </section>
        {can_record.then(|| view! { <RecordForm record x=x.clone()/> })}
    }
}

fn completion_row(c: CompletionView, step: ServerAction<CompletionStep>) -> impl IntoView {
    let work = if c.quantity > 0 {
        format!("× {} {}", c.quantity, c.milestone)
    } else {
        c.milestone.clone()
    };
    let recorded = c.status == CompletionStatus::Recorded;
    let payment = c.order.clone().map(|(id, status)| {
        view! {
            <LangLink href=format!("/portal/funds/orders/{id}")>
                <StatusBadge status testid="completion-payment"/>
            </LangLink>
        }
    });
    view! {
        <tr data-testid="completion-row">
            <td>{c.worker_name.clone()}<br/><span class="muted mono">{c.id_masked.clone()}</span>
                <br/><span class="muted">{t(channel_label(c.channel))} " " <span class="mono">{c.account_masked.clone()}</span></span></td>
            <td>{work}</td>
            <td class="num">{c.amount.to_string()}</td>
            <td><StatusBadge status=c.status testid="completion-status"/>
                {c.accepted_at.map(|a| view! { <br/><span class="muted">{c.accepted_by.clone()} " " {a.china_display()}</span> })}</td>
            <td>{payment.map_or_else(|| view! { <span class="muted">{t(TaskMsg::NotPaid)}</span> }.into_any(), IntoAny::into_any)}</td>
            <td>
                {recorded.then(|| view! {
                    <ItemButton action=step value=c.id.clone() label=TaskMsg::Accept class="btn btn-primary" testid="accept-completion">
                        <input type="hidden" name="step" value="accept"/>
                    </ItemButton>
                    <ItemButton action=step value=c.id.clone() label=TaskMsg::Withdraw testid="withdraw-completion">
                        <input type="hidden" name="step" value="withdraw"/>
                    </ItemButton>
                })}
            </td>
        </tr>
    }
}

/// Pays the accepted records as a batch, and links to it once made.
#[component]
fn PayButton(pay: ServerAction<PayCompletions>, task_id: String) -> impl IntoView {
    view! {
        <div data-testid="pay-completions">
            <p class="muted">{t(TaskMsg::PayIntro)}</p>
            <FormError error=action_error(pay)/>
            <ItemButton action=pay name="task_id" value=task_id label=TaskMsg::PayAccepted class="btn btn-primary" testid="pay-accepted"/>
        </div>
    }
}

/// The batch a payment made (shown above the records after the click).
#[component]
pub fn BatchMade(pay: ServerAction<PayCompletions>) -> impl IntoView {
    move || {
        pay.value().get().and_then(Result::ok).map(|b| {
            view! {
                <p class="notice notice-success" role="status" data-testid="batch-made">
                    {t(TaskMsg::BatchMade)}
                    <LangLink href=format!("/portal/funds/orders?batch={}", b.id)>{b.file_name.clone()}</LangLink>
                    " · " {b.total_amount.to_string()}
                </p>
            }
        })
    }
}

/// Records work done: the worker (joining the register) and the work.
#[component]
fn RecordForm(record: ServerAction<RecordCompletion>, x: TaskView) -> impl IntoView {
    let error = action_error(record);
    let channels = code_options(Channel::ALL, Channel::code, channel_label);
    let per_unit = x.task.pay_kind == Some(PayKind::PerUnit);
    view! {
        <section class="card" data-testid="record-completion">
            <h2>{t(TaskMsg::RecordCompletion)}</h2>
            <ActionForm action=record attr:class="form" attr:novalidate=true>
                <FormError error/>
                <input type="hidden" name="task_id" value=x.id.clone()/>
                <Field label=FundMsg::PayeeName name="name" error maxlength=NAME_MAX/>
                <Field label=FundMsg::IdNumber name="id_number" error maxlength=18/>
                <Field label=FundMsg::Mobile name="mobile" kind="tel" error/>
                <SelectField label=FundMsg::Channel name="channel" error options=channels/>
                <Field label=FundMsg::Account name="account" error hint=FundMsg::AccountHint/>
                {if per_unit {
                    view! {
                        <Field label=TaskMsg::Quantity name="quantity" error/>
                        <Field label=TaskMsg::MilestoneNote name="milestone" error required=false maxlength=MILESTONE_MAX/>
                        <input type="hidden" name="amount" value=""/>
                    }.into_any()
                } else {
                    view! {
                        <input type="hidden" name="quantity" value=""/>
                        <Field label=TaskMsg::Milestone name="milestone" error maxlength=MILESTONE_MAX/>
                        <Field label=FundMsg::AmountYuan name="amount" error/>
                    }.into_any()
                }}
                <div class="form-actions"><Submit label=TaskMsg::Record pending=record.pending().into()/></div>
            </ActionForm>
        </section>
    }
}

/// `/portal/tasks/workers`: the worker register.
#[component]
pub fn WorkersPage() -> impl IntoView {
    let workers = Resource::new(|| (), |_| load_workers());
    view! {
        <AreaHeader title=TaskMsg::WorkerRegister area=Msg::AreaTasks>
            <Tab path="/portal/tasks" label=TaskMsg::Library exact=true/>
            <Tab path="/portal/tasks/workers" label=TaskMsg::WorkerRegister exact=true/>
        </AreaHeader>
        <section class="card">
            <p class="muted">{t(TaskMsg::WorkersIntro)}</p>
            <Loader resource=workers page=true let:list>
                <DataTable cols=vec![Col::new(FundMsg::PayeeName), Col::new(FundMsg::IdNumber), Col::new(FundMsg::Mobile), Col::new(TaskMsg::Accounts), Col::new(SignMsg::Status), Col::new(TaskMsg::Source), Col::new(TaskMsg::Since)]
                    rows=list row=worker_row empty=TaskMsg::NoWorkers testid="workers"/>
            </Loader>
        </section>
    }
}

fn worker_row(w: WorkerView) -> impl IntoView {
    view! {
        <tr data-testid="worker-row">
            <td><LangLink href=format!("/portal/tasks/workers/{}", w.id)>{w.name}</LangLink></td>
            <td class="mono" data-testid="worker-id">{w.id_masked}</td>
            <td class="mono">{w.mobile_masked}</td>
            <td>{w.accounts.into_iter().map(|a| view! {
                <span class="muted">{t(channel_label(a.channel))}</span> " " <span class="mono">{a.masked}</span><br/>
            }).collect_view()}</td>
            <td><StatusBadge status=w.signing testid="worker-signing"/>
                {(!w.signed_version.is_empty()).then(|| view! { <br/><span class="muted">{w.signed_version.clone()}</span> })}
                {w.signed_earlier.then(|| view! { <br/><span class="badge badge-pending" data-testid="worker-signed-earlier">{t(SignMsg::EarlierVersion)}</span> })}</td>
            <td>{t(worker_source_label(w.source))}</td>
            <td>{w.created_at.china_display()}</td>
        </tr>
    }
}
