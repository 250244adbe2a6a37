//! 客服工单 `/ops/support` (support operators; issue 18 §3, P1.1.7): the queue with its
//! timeliness flags (overdue first) and the customers' verification state;
//! `/ops/support/{id}`: the thread (live), replying, files, resolving and closing, asking the
//! customer to verify their identity, and the account panel — refused by the server until the
//! customer is verified, every look audited with the ticket (`?panel=1` opens it, so it works
//! without scripts too).

use crate::api::support::{
    load_ops_ticket, load_support_queue, load_ticket_account_panel, OpsCloseTicket, OpsReplyTicket,
    RequestTicketVerification, ResolveTicket,
};
use crate::components::{
    action_error, code_options, live_updates, query_values, successes, verification_text,
    AreaHeader, Card, CodeSelect, Col, DataTable, Field, FileUpload, FilterForm, FormError,
    ItemButton, LangLink, LiveNote, Loader, StatusBadge, Tab, Thread, TicketHeader, TicketState,
};
use crate::i18n::{
    localized_href, role_label, t, ticket_category_label, ticket_status_label, use_lang, Msg,
    SupportMsg, Translate,
};
use crate::model::business::EnterpriseStatus;
use crate::model::support::{
    AccountPanel, PanelPerson, TicketPage, TicketStatus, TicketSummary, Verification, BODY_MAX,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn OpsSupportPage() -> impl IntoView {
    let query = query_values(["status", "overdue"]);
    let queue = Resource::new(query, |[status, overdue]| {
        load_support_queue(status, (overdue == "on").then_some(overdue))
    });
    let statuses = code_options(TicketStatus::ALL, TicketStatus::code, ticket_status_label);
    view! {
        <AreaHeader title=SupportMsg::Queue area=Msg::AreaOpsSupport>
            <Tab path="/ops/support" label=SupportMsg::Queue exact=true/>
        </AreaHeader>
        <Card testid="support-queue">
            <p class="muted">{t(SupportMsg::QueueIntro)}</p>
            <FilterForm submit=SupportMsg::Filter>
                <CodeSelect name="status" label=SupportMsg::Status all=SupportMsg::AllOpen options=statuses selected=Signal::derive(move || query()[0].clone())/>
                <label class="field-check"><input type="checkbox" name="overdue" value="on" checked=move || query()[1] == "on"/> {t(SupportMsg::OverdueOnly)}</label>
            </FilterForm>
            <Loader resource=queue let:q>
                <p class="muted" data-testid="support-targets">
                    {t(SupportMsg::Targets)} ": " {t(SupportMsg::FirstResponse)} " " {q.targets.first_response_minutes} " " {t(SupportMsg::Minutes)}
                    " · " {t(SupportMsg::Resolution)} " " {q.targets.resolution_minutes / 60} " " {t(SupportMsg::Hours)}
                </p>
                <DataTable cols=vec![Col::new(SupportMsg::Subject), Col::new(SupportMsg::Enterprise), Col::new(SupportMsg::Category), Col::new(SupportMsg::Status), Col::new(SupportMsg::Verification), Col::new(SupportMsg::FirstResponse), Col::new(SupportMsg::Resolution)]
                    rows=q.tickets row=queue_row empty=SupportMsg::NoQueue testid="support-queue-rows"/>
            </Loader>
        </Card>
    }
}

fn queue_row(x: TicketSummary) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/ops/support/{}", x.id);
    let category = ticket_category_label(x.category);
    let overdue = x.overdue();
    let tm = x.timeliness;
    let timer = move |late: bool, done: bool, due: crate::model::UtcMillis| {
        let flag = if late && !done {
            Some(
                view! { <span class="badge badge-failed" data-testid="overdue-flag">{t(SupportMsg::Overdue)}</span> " " },
            )
        } else {
            None
        };
        view! { {flag} <span class="muted">{t(SupportMsg::Due)} " " {due.china_display()}</span> }
    };
    let closed = x.status == TicketStatus::Closed;
    view! {
        <tr data-testid="support-item" data-overdue=overdue.to_string()>
            <td><LangLink href=href>{x.subject.clone()}</LangLink><br/><span class="muted">{x.created_at.china_display()}</span></td>
            <td>{x.enterprise_name.clone()}<br/><span class="muted">{x.opened_by.clone()}</span></td>
            <td>{move || category.text(lang.get())}</td>
            <td><StatusBadge status=x.status testid="queue-ticket-status"/></td>
            <td data-testid="queue-verification">{verification_text(x.verification)}</td>
            <td>{timer(tm.first_response_overdue, x.first_response_at.is_some() || closed, tm.first_response_due)}</td>
            <td>{timer(tm.resolution_overdue, x.resolved_at.is_some() || closed, tm.resolution_due)}</td>
        </tr>
    }
}

/// `/ops/support/{id}`: one ticket. The thread reloads with every change the stream
/// reports; the forms, the verification and the panel only when what they depend on changed.
#[component]
pub fn OpsTicketPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let reply = ServerAction::<OpsReplyTicket>::new();
    let resolve = ServerAction::<ResolveTicket>::new();
    let close = ServerAction::<OpsCloseTicket>::new();
    let ask = ServerAction::<RequestTicketVerification>::new();
    let uploaded = RwSignal::new(0u32);
    let live = live_updates(move || format!("/support/ops/tickets/{}/events", id()));
    let acted = [
        successes(reply),
        successes(resolve),
        successes(close),
        successes(ask),
    ];
    let ticket = Resource::new(
        move || {
            (
                id(),
                acted.map(|c| c.get()),
                uploaded.get(),
                live.forms.get(),
            )
        },
        |(id, ..)| load_ops_ticket(id),
    );
    let thread = Resource::new(
        move || {
            (
                id(),
                acted.map(|c| c.get()),
                uploaded.get(),
                live.thread.get(),
                live.forms.get(),
            )
        },
        |(id, ..)| load_ops_ticket(id),
    );
    let errors = StepErrors {
        resolve: action_error(resolve),
        close: action_error(close),
    };
    view! {
        <AreaHeader title=SupportMsg::Queue area=Msg::AreaOpsSupport>
            <Tab path="/ops/support" label=SupportMsg::Queue exact=true/>
        </AreaHeader>
        <p><a href=move || localized_href("/ops/support", lang.get())>"← " {t(SupportMsg::Back)}</a></p>
        <Loader resource=ticket page=true let:p>
            <Card testid="ticket">
                <TicketHeader ticket=p.ticket.clone() kept_days=p.kept_days_after_close/>
                <p class="muted">{p.ticket.enterprise_name.clone()}</p>
            </Card>
        </Loader>
        <Loader resource=thread let:p>
            <Card title=SupportMsg::Thread testid="ticket-thread">
                <TicketState ticket=p.ticket.clone()/>
                <LiveNote/>
                <Thread messages=p.messages.clone() files="/support/ops/files"/>
            </Card>
        </Loader>
        <Loader resource=ticket let:p>
            <OpsRespond p=p.clone() reply resolve close errors uploaded/>
            <VerifyCard p ask/>
        </Loader>
        <PanelCard forms=live.forms acted=acted[3]/>
    }
}

/// The errors of resolving and closing, made once.
#[derive(Clone, Copy)]
struct StepErrors {
    resolve: Signal<Option<crate::error::AppError>>,
    close: Signal<Option<crate::error::AppError>>,
}

/// Reply, attach, resolve and close while the ticket is not closed.
#[component]
fn OpsRespond(
    p: TicketPage,
    reply: ServerAction<OpsReplyTicket>,
    resolve: ServerAction<ResolveTicket>,
    close: ServerAction<OpsCloseTicket>,
    errors: StepErrors,
    uploaded: RwSignal<u32>,
) -> impl IntoView {
    if p.ticket.status == TicketStatus::Closed {
        return view! { <p class="notice notice-info">{t(SupportMsg::Closed)}</p> }.into_any();
    }
    let id = p.ticket.id.clone();
    let error = action_error(reply);
    let step_error = Signal::derive(move || errors.resolve.get().or(errors.close.get()));
    let on_done = Callback::new(move |_: String| uploaded.update(|n| *n += 1));
    let resolvable = p.ticket.status != TicketStatus::Resolved;
    let (reply_id, resolve_id) = (id.clone(), id.clone());
    view! {
        <Card title=SupportMsg::Reply testid="ticket-reply">
            <ActionForm action=reply attr:class="form" attr:novalidate=true>
                <FormError error/>
                <input type="hidden" name="id" value=reply_id/>
                <Field label=SupportMsg::Reply name="body" error multiline=true maxlength=BODY_MAX/>
                <button type="submit" class="btn btn-primary" data-testid="send-reply"
                    disabled=move || reply.pending().get()>{t(SupportMsg::SendReply)}</button>
            </ActionForm>
            <FileUpload action="/api/ops_attach_ticket_file" label=SupportMsg::Attach hint=SupportMsg::AttachHint
                accept="image/jpeg,image/png,application/pdf" name="ops-ticket-file".to_string()
                hidden=("ticket", id.clone()) on_done max_bytes=crate::model::application::MAX_UPLOAD_BYTES/>
            <FormError error=step_error/>
            <div class="form-actions">
                {resolvable.then(|| view! {
                    <ItemButton action=resolve value=resolve_id.clone() label=SupportMsg::Resolve class="btn btn-secondary" testid="resolve-ticket"/>
                })}
                <ItemButton action=close value=id.clone() label=SupportMsg::CloseTicket testid="ops-close-ticket"/>
            </div>
        </Card>
    }
    .into_any()
}

/// The customer's verification: its state, and asking for it (by a texted code, or by the
/// portal's confirmation).
#[component]
fn VerifyCard(p: TicketPage, ask: ServerAction<RequestTicketVerification>) -> impl IntoView {
    let error = action_error(ask);
    let id = p.ticket.id.clone();
    let open = p.ticket.status != TicketStatus::Closed;
    let verified = matches!(p.ticket.verification, Verification::Verified { .. });
    view! {
        <Card title=SupportMsg::Verification testid="ticket-verification">
            <p data-testid="ops-verification-state"><strong>{verification_text(p.ticket.verification)}</strong></p>
            <FormError error/>
            {(open && !verified).then(|| view! {
                <div class="form-actions">
                    <ItemButton action=ask value=id.clone() label=SupportMsg::ByCode class="btn btn-secondary" testid="ask-code">
                        <input type="hidden" name="method" value="sms_code"/>
                    </ItemButton>
                    <ItemButton action=ask value=id.clone() label=SupportMsg::ByPortal class="btn btn-secondary" testid="ask-portal">
                        <input type="hidden" name="method" value="portal"/>
                    </ItemButton>
                </div>
            })}
        </Card>
    }
}

/// The account panel: a link (`?panel=1`) asks the server for it; until the customer is
/// verified the server refuses, and says so.
#[component]
fn PanelCard(forms: ReadSignal<u32>, acted: ReadSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = query_values(["panel"]);
    let wanted = move || query()[0] == "1";
    // Asked again when the verification (or the ticket's closing) changes.
    let panel = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                wanted(),
                forms.get(),
                acted.get(),
            )
        },
        |(id, wanted, ..)| async move {
            if wanted {
                load_ticket_account_panel(id).await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    let href = move || {
        let id = params.read().get("id").unwrap_or_default();
        localized_href(&format!("/ops/support/{id}?panel=1"), lang.get())
    };
    view! {
        <Card title=SupportMsg::Panel testid="account-panel">
            <p class="muted">{t(SupportMsg::PanelClosed)}</p>
            <p><a href=href class="btn btn-secondary" data-testid="show-panel">{t(SupportMsg::ShowPanel)}</a></p>
            <Loader resource=panel let:p>
                {p.map(|p| view! { <PanelFacts p/> })}
            </Loader>
        </Card>
    }
}

#[component]
fn PanelFacts(p: AccountPanel) -> impl IntoView {
    let lang = use_lang();
    let status = match p.status {
        EnterpriseStatus::Active => SupportMsg::EntActive,
        EnterpriseStatus::Closed => SupportMsg::EntClosed,
    };
    let not_theirs = || view! { <p class="muted">{t(SupportMsg::NotTheirs)}</p> };
    view! {
        <dl class="facts" data-testid="panel-facts">
            <div><dt>{t(SupportMsg::Enterprise)}</dt><dd>{p.enterprise_name.clone()}</dd></div>
            <div><dt>{t(SupportMsg::CreditCode)}</dt><dd>{p.credit_code.clone()}</dd></div>
            <div><dt>{t(SupportMsg::AccountStatus)}</dt><dd>{move || status.text(lang.get())}</dd></div>
            <div><dt>{t(SupportMsg::Opened)}</dt><dd>{p.opened_at.china_display()}</dd></div>
            <div><dt>{t(SupportMsg::InvoicesWaiting)}</dt><dd>{match p.invoices_waiting {
                Some(n) => n.to_string().into_any(),
                None => view! { <span class="muted">{t(SupportMsg::NotTheirs)}</span> }.into_any(),
            }}</dd></div>
        </dl>
        <h3>{t(SupportMsg::RecentOrders)}</h3>
        {match p.funds {
            Some(f) => view! {
                <dl class="facts">
                    <div><dt>{t(SupportMsg::Available)}</dt><dd data-testid="panel-available">{f.available.to_string()}</dd></div>
                    <div><dt>{t(SupportMsg::Reserved)}</dt><dd>{f.reserved.to_string()}</dd></div>
                </dl>
                <DataTable cols=vec![Col::new(SupportMsg::OrderId), Col::new(SupportMsg::Payee), Col::num(SupportMsg::Amount), Col::new(SupportMsg::Status), Col::new(SupportMsg::When)]
                    rows=f.orders row=|x| view! { <tr><td>{x.order_id}</td><td>{x.payee}</td><td class="num">{x.amount.to_string()}</td><td><StatusBadge status=x.status/></td><td>{x.at.china_display()}</td></tr> } testid="panel-orders"/>
            }.into_any(),
            None => not_theirs().into_any(),
        }}
        <h3>{t(SupportMsg::People)}</h3>
        {match p.people {
            Some(people) => view! {
                <DataTable cols=vec![Col::new(SupportMsg::Name), Col::new(SupportMsg::Role), Col::new(SupportMsg::Status), Col::new(SupportMsg::Mobile)]
                    rows=people row=person_row testid="panel-people"/>
            }.into_any(),
            None => not_theirs().into_any(),
        }}
    }
}

fn person_row(x: PanelPerson) -> impl IntoView {
    let lang = use_lang();
    let role = x.role.map(role_label);
    view! {
        <tr>
            <td>{x.name}</td>
            <td>{move || role.map(|r| r.text(lang.get()))}</td>
            <td><StatusBadge status=x.status/></td>
            <td>{x.mobile}</td>
        </tr>
    }
}
