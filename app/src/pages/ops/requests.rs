//! 隐私 → 权利请求 `/ops/privacy/requests` (issue 16 §2; P6.5, P10.2; privacy officers): the
//! queue with each request's days left (open ones soonest due first); and
//! `/ops/privacy/requests/:id`: one request (the look is audited) — start, complete with an
//! answer, refuse with one of the policy's reasons, or mark a cost fee.

use super::incidents::PrivacyTabs;
use crate::api::rights::{
    privacy_request, privacy_request_queue, CompletePrivacyRequest, MarkPrivacyFee,
    RefusePrivacyRequest, StartPrivacyRequest,
};
use crate::components::{
    action_error, successes, Card, Col, CopyCard, CorrectionCard, DataTable, Field, FormError,
    ItemButton, Label, LangLink, Loader, RequestAnswer, RequestClock, RequestFacts, RequestSteps,
    SelectField, StatusBadge, Submit,
};
use crate::i18n::{kind_label, localized_href, refusal_label, t, use_lang, RightsMsg};
use crate::model::rights::{RefusalReason, RequestDetail, RequestSummary, ANSWER_MAX};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

const FILTERS: [(&str, RightsMsg); 4] = [
    ("open", RightsMsg::FilterOpen),
    ("unverified", RightsMsg::FilterUnverified),
    ("closed", RightsMsg::FilterClosed),
    ("all", RightsMsg::FilterAll),
];

#[component]
pub fn RequestsQueuePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = move || query.read().get("filter").unwrap_or_else(|| "open".into());
    let list = Resource::new(filter, |f| privacy_request_queue(Some(f)));
    view! {
        <PrivacyTabs title=RightsMsg::Queue/>
        <p class="muted">{t(RightsMsg::QueueIntro)}</p>
        <nav class="tabs" aria-label=t(RightsMsg::Status)>
            {FILTERS.into_iter().map(|(code, label)| {
                let href = format!("/ops/privacy/requests?filter={code}");
                view! {
                    <a href=move || localized_href(&href, lang.get())
                        aria-current=move || (filter() == code).then_some("page")>{t(label)}</a>
                }
            }).collect_view()}
        </nav>
        <Loader resource=list let:rows>
            <DataTable cols=vec![Col::new(RightsMsg::Requester), Col::new(RightsMsg::Enterprise), Col::new(RightsMsg::Kind), Col::new(RightsMsg::Submitted), Col::new(RightsMsg::Status), Col::new(RightsMsg::DueDate)]
                rows row=queue_row empty=RightsMsg::None testid="request-queue"/>
        </Loader>
    }
}

fn queue_row(r: RequestSummary) -> impl IntoView {
    let clock = view! { <RequestClock s=r.clone()/> };
    view! {
        <tr data-testid="queue-request">
            <td><LangLink href=format!("/ops/privacy/requests/{}", r.id)>{r.requester.clone()}</LangLink></td>
            <td>{r.enterprise.clone()}</td>
            <td>{t(kind_label(r.kind))}{r.fee.then(|| view! { " " <span class="badge badge-neutral">{t(RightsMsg::FeeMarked)}</span> })}</td>
            <td>{r.submitted_at.china_display()}</td>
            <td><StatusBadge status=r.status/></td>
            <td>{clock}</td>
        </tr>
    }
}

#[component]
pub fn RequestReviewPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let start = ServerAction::<StartPrivacyRequest>::new();
    let complete = ServerAction::<CompletePrivacyRequest>::new();
    let refuse = ServerAction::<RefusePrivacyRequest>::new();
    let fee = ServerAction::<MarkPrivacyFee>::new();
    let versions = (
        successes(start),
        successes(complete),
        successes(refuse),
        successes(fee),
    );
    let request = Resource::new(
        move || {
            let (a, b, c, d) = versions;
            (id(), a.get(), b.get(), c.get(), d.get())
        },
        |(id, ..)| privacy_request(id),
    );
    view! {
        <PrivacyTabs title=RightsMsg::Queue/>
        <p><LangLink href="/ops/privacy/requests">{t(RightsMsg::BackToList)}</LangLink></p>
        <FormError error=action_error(start)/>
        <Loader resource=request page=true let:d>
            <RequestFacts d=d.clone()/>
            {d.summary.status.awaits_us().then(|| view! {
                <AnswerCards d=d.clone() start complete refuse/>
                <FeeCard d=d.clone() fee/>
            })}
            <RequestAnswer d=d.clone()/>
            {d.copy.clone().map(|copy| view! { <CopyCard copy download=false/> })}
            {d.correction.clone().map(|c| view! { <CorrectionCard c answered=!d.summary.status.is_open()/> })}
            <RequestSteps steps=d.steps.clone()/>
        </Loader>
    }
}

/// Start, complete with an answer, or refuse with a listed reason.
#[component]
fn AnswerCards(
    d: RequestDetail,
    start: ServerAction<StartPrivacyRequest>,
    complete: ServerAction<CompletePrivacyRequest>,
    refuse: ServerAction<RefusePrivacyRequest>,
) -> impl IntoView {
    let id = d.summary.id.clone();
    let kind = d.summary.kind;
    let reasons: Vec<(&'static str, Label)> = RefusalReason::ALL
        .iter()
        .filter(|r| r.applies_to(kind))
        .map(|&r| (r.code(), Label::from(refusal_label(r))))
        .collect();
    let (complete_error, refuse_error) = (action_error(complete), action_error(refuse));
    let start_button = (d.summary.status == crate::model::rights::RequestStatus::Verified).then(|| {
        view! {
            <div class="form-actions"><ItemButton action=start value=id.clone() label=RightsMsg::Start class="btn btn-secondary" testid="start-request"/></div>
        }
    });
    let complete_id = id.clone();
    view! {
        {start_button}
        <Card title=RightsMsg::Complete testid="complete-request">
            <p class="muted">{t(RightsMsg::CompleteHint)}</p>
            {(kind == crate::model::rights::RequestKind::Deletion).then(|| view! {
                <p class="notice notice-warning" data-testid="deletion-warning">{t(RightsMsg::DeletionWarning)}</p>
            })}
            <ActionForm action=complete attr:class="form" attr:novalidate=true>
                <FormError error=complete_error/>
                <input type="hidden" name="id" value=complete_id/>
                <Field label=RightsMsg::Answer name="answer" error=complete_error multiline=true maxlength=ANSWER_MAX/>
                <div class="form-actions"><Submit label=RightsMsg::Complete pending=complete.pending().into()/></div>
            </ActionForm>
        </Card>
        <Card title=RightsMsg::Refuse testid="refuse-request">
            <p class="muted">{t(RightsMsg::RefuseHint)}</p>
            <ActionForm action=refuse attr:class="form" attr:novalidate=true>
                <FormError error=refuse_error/>
                <input type="hidden" name="id" value=id/>
                <SelectField label=RightsMsg::RefusalReason name="reason" error=refuse_error options=reasons blank=RightsMsg::ChooseKind/>
                <Field label=RightsMsg::Answer name="answer" id="f-refuse-answer" error=refuse_error multiline=true maxlength=ANSWER_MAX/>
                <div class="form-actions"><Submit label=RightsMsg::Refuse class="btn btn-danger" pending=refuse.pending().into()/></div>
            </ActionForm>
        </Card>
    }
}

/// P6.5: the same-kind count, and the fee mark when it is beyond the free number.
#[component]
fn FeeCard(d: RequestDetail, fee: ServerAction<MarkPrivacyFee>) -> impl IntoView {
    let error = action_error(fee);
    view! {
        <Card title=RightsMsg::MarkFee testid="fee-request">
            <p>{t(RightsMsg::SameKind)} " " <strong data-testid="same-kind">{d.same_kind_in_year}</strong></p>
            {if d.fee_allowed {
                view! {
                    <ActionForm action=fee attr:class="form" attr:novalidate=true>
                        <FormError error/>
                        <input type="hidden" name="id" value=d.summary.id.clone()/>
                        <Field label=RightsMsg::FeeReason name="fee_reason" error multiline=true maxlength=ANSWER_MAX/>
                        <div class="form-actions"><Submit label=RightsMsg::MarkFee class="btn btn-secondary" pending=fee.pending().into()/></div>
                    </ActionForm>
                }.into_any()
            } else if d.fee_reason.is_none() {
                view! { <p class="muted" data-testid="fee-not-yet">{t(RightsMsg::FeeNotYet)}</p> }.into_any()
            } else {
                ().into_any()
            }}
        </Card>
    }
}
