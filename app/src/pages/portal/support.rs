//! 客户服务 `/portal/support` (issue 18 §3, P1.1.7): the caller's tickets (the admin's: the
//! enterprise's) and the form to open one, with the recording notice; `/portal/support/{id}`:
//! the thread (new replies appear live), replying, files, the identity check support asked
//! for, closing, and the rating once closed. Every form works before the WASM loads.

use crate::api::support::{
    load_support_home, load_support_ticket, CloseTicket, ConfirmTicketIdentity, OpenTicket,
    RateTicket, ReplyTicket,
};
use crate::components::{
    action_error, code_options, live_updates, successes, AreaHeader, Card, Col, DataTable, Field,
    FileUpload, FormError, ItemButton, LangLink, LiveNote, Loader, RecordingNotice, SelectField,
    StatusBadge, Tab, Thread, TicketHeader, TicketState,
};
use crate::i18n::{
    localized_href, t, text, ticket_category_label, use_lang, Msg, SupportMsg, Translate,
};
use crate::model::support::{
    TicketCategory, TicketPage, TicketStatus, TicketSummary, Verification, VerifyMethod, BODY_MAX,
    RATING_NOTE_MAX, SUBJECT_MAX,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SupportPage() -> impl IntoView {
    let open = ServerAction::<OpenTicket>::new();
    let opened = successes(open);
    let home = Resource::new(move || opened.get(), |_| load_support_home());
    view! {
        <AreaHeader title=SupportMsg::Title area=Msg::AreaSupport>
            <Tab path="/portal/support" label=SupportMsg::Tickets exact=true/>
        </AreaHeader>
        <Loader resource=home page=true let:h>
            <NewTicket open key=h.key.clone() kept_days=h.kept_days_after_close/>
            <Card title=SupportMsg::Tickets testid="tickets">
                <DataTable cols=vec![Col::new(SupportMsg::Subject), Col::new(SupportMsg::Category), Col::new(SupportMsg::OpenedBy), Col::new(SupportMsg::Opened), Col::new(SupportMsg::Status)]
                    rows=h.tickets row=ticket_row empty=SupportMsg::NoTickets testid="ticket-rows"/>
            </Card>
        </Loader>
    }
}

/// The new-ticket form, with the recording notice.
#[component]
fn NewTicket(open: ServerAction<OpenTicket>, key: String, kept_days: u32) -> impl IntoView {
    let error = action_error(open);
    let categories = code_options(
        TicketCategory::ALL,
        TicketCategory::code,
        ticket_category_label,
    );
    view! {
        <Card title=SupportMsg::New testid="new-ticket">
            <p class="muted">{t(SupportMsg::Intro)}</p>
            <RecordingNotice kept_days/>
            <ActionForm action=open attr:class="form" attr:novalidate=true>
                <FormError error/>
                <input type="hidden" name="key" value=key/>
                <SelectField label=SupportMsg::Category name="category" error options=categories blank=SupportMsg::ChooseCategory/>
                <Field label=SupportMsg::Subject name="subject" error maxlength=SUBJECT_MAX/>
                <Field label=SupportMsg::Body name="body" error multiline=true maxlength=BODY_MAX/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="open-ticket"
                        disabled=move || open.pending().get()>{t(SupportMsg::Send)}</button>
                </div>
            </ActionForm>
        </Card>
    }
}

fn ticket_row(x: TicketSummary) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/portal/support/{}", x.id);
    let category = ticket_category_label(x.category);
    view! {
        <tr data-testid="ticket-row">
            <td><LangLink href=href>{x.subject.clone()}</LangLink></td>
            <td>{move || category.text(lang.get())}</td>
            <td>{x.opened_by.clone()}</td>
            <td>{x.created_at.china_display()}</td>
            <td><StatusBadge status=x.status testid="ticket-row-status"/></td>
        </tr>
    }
}

/// `/portal/support/{id}`: one ticket. The thread (and where the ticket stands) reloads with
/// every change the stream reports; the forms only when what they depend on changed, so what
/// the customer is typing survives support's replies.
#[component]
pub fn SupportTicketPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let reply = ServerAction::<ReplyTicket>::new();
    let close = ServerAction::<CloseTicket>::new();
    let confirm = ServerAction::<ConfirmTicketIdentity>::new();
    let rate = ServerAction::<RateTicket>::new();
    let uploaded = RwSignal::new(0u32);
    let live = live_updates(move || format!("/support/tickets/{}/events", id()));
    let acted = [
        successes(reply),
        successes(close),
        successes(confirm),
        successes(rate),
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
        |(id, ..)| load_support_ticket(id),
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
        |(id, ..)| load_support_ticket(id),
    );
    view! {
        <AreaHeader title=SupportMsg::Title area=Msg::AreaSupport>
            <Tab path="/portal/support" label=SupportMsg::Tickets exact=true/>
        </AreaHeader>
        <p><a href=move || localized_href("/portal/support", lang.get())>"← " {t(SupportMsg::Back)}</a></p>
        <Loader resource=ticket page=true let:p>
            <Card testid="ticket">
                <TicketHeader ticket=p.ticket.clone() kept_days=p.kept_days_after_close/>
                <Verify p=p.clone() confirm/>
            </Card>
        </Loader>
        <Loader resource=thread let:p>
            <Card title=SupportMsg::Thread testid="ticket-thread">
                <TicketState ticket=p.ticket.clone()/>
                <LiveNote/>
                <Thread messages=p.messages.clone() files="/support/files"/>
            </Card>
        </Loader>
        <Loader resource=ticket let:p>
            <Respond p reply close rate uploaded/>
        </Loader>
    }
}

/// The identity check support asked for, for the person who opened the ticket.
#[component]
fn Verify(p: TicketPage, confirm: ServerAction<ConfirmTicketIdentity>) -> impl IntoView {
    let error = action_error(confirm);
    let lang = use_lang();
    let id = p.ticket.id.clone();
    match (p.ticket.verification, p.may_verify) {
        (Verification::Requested { method, .. }, true) => {
            let hint = p.mobile_hint.clone();
            view! {
                <div class="notice notice-warning" data-testid="verify-box">
                    <FormError error/>
                    {if method == VerifyMethod::Portal {
                        view! {
                            <p>{t(SupportMsg::VerifyAskedPortal)}</p>
                            <ActionForm action=confirm>
                                <input type="hidden" name="id" value=id.clone()/>
                                <button type="submit" class="btn btn-primary" data-testid="confirm-identity">{t(SupportMsg::ConfirmItsMe)}</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! {
                            <p>{t(SupportMsg::VerifyAskedCode)} " " {move || text::support_code_sent(lang.get(), &hint)}</p>
                            <ActionForm action=confirm attr:class="form" attr:novalidate=true>
                                <input type="hidden" name="id" value=id.clone()/>
                                <Field label=SupportMsg::Code name="code" error autocomplete="one-time-code" maxlength=6/>
                                <button type="submit" class="btn btn-primary" data-testid="submit-code">{t(SupportMsg::SubmitCode)}</button>
                            </ActionForm>
                        }.into_any()
                    }}
                </div>
            }
            .into_any()
        }
        (Verification::Requested { .. }, false) => {
            view! { <p class="notice notice-info">{t(SupportMsg::OnlyOpener)}</p> }.into_any()
        }
        (Verification::Verified { .. }, _) => {
            view! { <p class="notice notice-success" data-testid="verified-note">{t(SupportMsg::VerifiedNote)}</p> }.into_any()
        }
        (Verification::NotRequested, _) => ().into_any(),
    }
}

/// Reply, attach and close while the ticket is open; rate it once closed.
#[component]
fn Respond(
    p: TicketPage,
    reply: ServerAction<ReplyTicket>,
    close: ServerAction<CloseTicket>,
    rate: ServerAction<RateTicket>,
    uploaded: RwSignal<u32>,
) -> impl IntoView {
    let id = p.ticket.id.clone();
    if p.ticket.status == TicketStatus::Closed {
        return view! { <RateCard p rate/> }.into_any();
    }
    let error = action_error(reply);
    let close_error = action_error(close);
    let on_done = Callback::new(move |_: String| uploaded.update(|n| *n += 1));
    let reply_id = id.clone();
    view! {
        <Card title=SupportMsg::Reply testid="ticket-reply">
            <ActionForm action=reply attr:class="form" attr:novalidate=true>
                <FormError error/>
                <input type="hidden" name="id" value=reply_id/>
                <Field label=SupportMsg::Reply name="body" error multiline=true maxlength=BODY_MAX/>
                <button type="submit" class="btn btn-primary" data-testid="send-reply"
                    disabled=move || reply.pending().get()>{t(SupportMsg::SendReply)}</button>
            </ActionForm>
            <FileUpload action="/api/attach_ticket_file" label=SupportMsg::Attach hint=SupportMsg::AttachHint
                accept="image/jpeg,image/png,application/pdf" name="ticket-file".to_string()
                hidden=("ticket", id.clone()) on_done max_bytes=crate::model::application::MAX_UPLOAD_BYTES/>
            <FormError error=close_error/>
            <ItemButton action=close value=id.clone() label=SupportMsg::CloseTicket testid="close-ticket"/>
        </Card>
    }
    .into_any()
}

/// The rating of a closed ticket: the form for the person who opened it, or the rating given.
#[component]
fn RateCard(p: TicketPage, rate: ServerAction<RateTicket>) -> impl IntoView {
    let error = action_error(rate);
    view! {
        <Card title=SupportMsg::RateTitle testid="ticket-rating">
            <p class="muted">{t(SupportMsg::Closed)}</p>
            {match (p.rating.clone(), p.may_verify) {
                (Some((r, note)), _) => view! {
                    <p data-testid="rating-given">{t(SupportMsg::Rated)} ": " <strong>{"★".repeat(r as usize)}</strong> " " {note}</p>
                }.into_any(),
                (None, true) => view! {
                    <ActionForm action=rate attr:class="form" attr:novalidate=true>
                        <FormError error/>
                        <input type="hidden" name="id" value=p.ticket.id.clone()/>
                        <div class="field">
                            <label for="f-rating">{t(SupportMsg::Rating)}</label>
                            <select id="f-rating" name="rating" data-testid="select-rating">
                                {[5u8, 4, 3, 2, 1].map(|r| view! { <option value=r.to_string()>{format!("{r} {}", "★".repeat(r as usize))}</option> }).into_iter().collect_view()}
                            </select>
                        </div>
                        <Field label=SupportMsg::RatingNote name="note" error multiline=true required=false maxlength=RATING_NOTE_MAX/>
                        <button type="submit" class="btn btn-primary" data-testid="rate-ticket">{t(SupportMsg::Rate)}</button>
                    </ActionForm>
                }.into_any(),
                (None, false) => ().into_any(),
            }}
        </Card>
    }
}
