//! 隐私中心 → 个人信息请求 `/portal/privacy/requests` (issue 16 §2; P6.2, P6.3, P6.5, P10.2):
//! the person's requests with their clocks, and a new request (password, then a code sent to
//! the registered mobile or e-mail); `/portal/privacy/requests/:id`: one request — entering
//! its code, a new code, withdrawing, its steps and its answer.

use crate::api::rights::{
    my_privacy_request, my_privacy_requests, ResendPrivacyCode, SubmitPrivacyRequest,
    VerifyPrivacyRequest, WithdrawPrivacyRequest,
};
use crate::components::{
    action_error, code_options, successes, Card, Col, ComplaintRoutes, CopyCard, CorrectionCard,
    DataTable, Field, FileUpload, FormError, ItemButton, Label, LangLink, Loader, RequestAnswer,
    RequestClock, RequestFacts, RequestSteps, SelectField, StatusBadge, Submit,
};
use crate::i18n::{
    ground_label, kind_label, scope_label, t, use_lang, AccMsg, Msg, PolicyMsg, RightsMsg,
    Translate,
};
use crate::model::account::ContactKind;
use crate::model::rights::{
    DeletionGround, MyRequests, RequestDetail, RequestKind, RequestScope, RequestStatus,
    RequestSummary, DETAILS_MAX,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PrivacyRequestsPage() -> impl IntoView {
    let submit = ServerAction::<SubmitPrivacyRequest>::new();
    let done = successes(submit);
    let page = Resource::new(move || done.get(), |_| my_privacy_requests());
    view! {
        <Title text=t(RightsMsg::Title)/>
        <section class="card">
            <h1>{t(RightsMsg::Title)}</h1>
            <p>{t(RightsMsg::Intro)}</p>
            <p class="muted">{t(RightsMsg::ConsentElsewhere)} " " <LangLink href="/portal/privacy">{t(PolicyMsg::CentreTitle)}</LangLink></p>
        </section>
        <Card title=RightsMsg::Mine testid="my-requests">
            <Loader resource=page let:p>
                <DataTable cols=vec![Col::new(RightsMsg::Kind), Col::new(RightsMsg::Submitted), Col::new(RightsMsg::Status), Col::new(RightsMsg::DueDate), Col::new(Msg::Actions)]
                    rows=p.requests row=my_row empty=RightsMsg::None testid="my-requests-table"/>
            </Loader>
        </Card>
        <Loader resource=page let:p>
            <NewRequest p=p.clone() submit/>
            <Card title=RightsMsg::ComplaintTitle>
                <ComplaintRoutes routes=p.complaint_routes.clone()/>
            </Card>
        </Loader>
    }
}

fn my_row(r: RequestSummary) -> impl IntoView {
    view! {
        <tr data-testid="my-request">
            <td>{t(kind_label(r.kind))}</td>
            <td>{r.submitted_at.china_display()}</td>
            <td><StatusBadge status=r.status/></td>
            <td><RequestClock s=r.clone()/></td>
            <td><LangLink href=format!("/portal/privacy/requests/{}", r.id)>{t(RightsMsg::Open)}</LangLink></td>
        </tr>
    }
}

/// The form: what, about whom, why (a deletion), the details, where the code goes, and the
/// password. Works without JavaScript (the answer's page is where the code is entered).
#[component]
fn NewRequest(p: MyRequests, submit: ServerAction<SubmitPrivacyRequest>) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(submit);
    let label = |k: crate::i18n::RightsCode| Label::from(k);
    let kinds: Vec<(&'static str, Label)> = RequestKind::ALL
        .iter()
        .filter(|k| p.may_ask_for_enterprise || k.scopes().contains(&RequestScope::Person))
        .map(|&k| (k.code(), label(kind_label(k))))
        .collect();
    let scopes: Vec<(&'static str, Label)> = RequestScope::ALL
        .iter()
        .filter(|&&s| p.may_ask_for_enterprise || s == RequestScope::Person)
        .map(|&s| (s.code(), label(scope_label(s))))
        .collect();
    let grounds = code_options(DeletionGround::ALL, DeletionGround::code, |g| {
        label(ground_label(g))
    });
    // E-mail first; text messages only when the platform can send them.
    let channels: Vec<_> = [
        (ContactKind::Email, AccMsg::Email, p.email_masked.clone()),
        (ContactKind::Mobile, AccMsg::Mobile, p.mobile_masked.clone()),
    ]
    .into_iter()
    .filter(|(kind, ..)| p.sms_available || *kind == ContactKind::Email)
    .collect();
    view! {
        <Card title=RightsMsg::New testid="new-request">
            {(!p.may_ask_for_enterprise).then(|| view! { <p class="muted">{t(RightsMsg::AdminOnly)}</p> })}
            <ActionForm action=submit attr:class="form" attr:novalidate=true>
                <FormError error/>
                <input type="hidden" name="key" value=p.form_key.clone()/>
                <SelectField label=RightsMsg::Kind name="kind" error options=kinds blank=RightsMsg::ChooseKind/>
                <SelectField label=RightsMsg::Scope name="scope" error options=scopes blank=RightsMsg::ScopeAsKind/>
                <SelectField label=RightsMsg::Ground name="ground" error options=grounds blank=RightsMsg::NoGround/>
                <p class="muted" data-testid="deletion-hint">{t(RightsMsg::DeletionHint)}</p>
                <Field label=RightsMsg::Details name="details" error multiline=true required=false maxlength=DETAILS_MAX hint=RightsMsg::DetailsHint/>
                <fieldset class="fieldset" data-testid="correction-fields">
                    <legend>{t(RightsMsg::CorrectionLegend)}</legend>
                    <Field label=RightsMsg::NewName name="new_name" error required=false maxlength=40/>
                    {p.may_ask_for_enterprise.then(|| view! {
                        <Field label=RightsMsg::NewEnterpriseName name="new_enterprise_name" error required=false maxlength=100/>
                        <Field label=RightsMsg::NewAddress name="new_registered_address" error required=false multiline=true maxlength=200/>
                        <Field label=RightsMsg::NewScope name="new_business_scope" error required=false multiline=true maxlength=1000/>
                        <p class="muted">{t(RightsMsg::CorrectionHint)}</p>
                    })}
                </fieldset>
                {(!p.sms_available).then(|| view! { <p class="muted">{t(RightsMsg::SmsOff)}</p> })}
                <div class="field">
                    <label for="f-channel">{t(RightsMsg::Channel)}</label>
                    <select id="f-channel" name="channel" data-testid="select-channel">
                        {channels.into_iter().map(|(kind, name, masked)| view! {
                            <option value=kind.code()>{move || name.text(lang.get())} " " {masked.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Field label=RightsMsg::Password name="password" error kind="password" autocomplete="current-password"/>
                <div class="form-actions"><Submit label=RightsMsg::Submit pending=submit.pending().into()/></div>
            </ActionForm>
        </Card>
    }
}

#[component]
pub fn PrivacyRequestPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let verify = ServerAction::<VerifyPrivacyRequest>::new();
    let resend = ServerAction::<ResendPrivacyCode>::new();
    let withdraw = ServerAction::<WithdrawPrivacyRequest>::new();
    // Reloaded after every code entered, a wrong one too (its tries left change).
    let (a, b, c) = (verify.version(), successes(resend), successes(withdraw));
    // Asked again every second while a copy is being built.
    let poll = RwSignal::new(0u32);
    let refresh = Callback::new(move |_| poll.update(|n| *n += 1));
    let request = Resource::new(
        move || (id(), a.get(), b.get(), c.get(), poll.get()),
        |(id, ..)| my_privacy_request(id),
    );
    view! {
        <Title text=t(RightsMsg::Title)/>
        <h1 class="page-title">{t(RightsMsg::Title)}</h1>
        <p><LangLink href="/portal/privacy/requests">{t(RightsMsg::BackToList)}</LangLink></p>
        <FormError error=action_error(resend)/>
        <FormError error=action_error(withdraw)/>
        <Loader resource=request page=true let:d>
            <RequestFacts d=d.clone()/>
            {(d.summary.status == RequestStatus::Unverified).then(|| view! { <VerifyCard d=d.clone() verify resend/> })}
            <RequestAnswer d=d.clone()/>
            {d.copy.clone().map(|copy| view! { <CopyCard copy download=true refresh/> })}
            {d.correction.clone().map(|c| {
                let upload = (c.needs_licence && d.summary.status.is_open()).then(|| {
                    let hidden = ("request", d.summary.id.clone());
                    view! {
                        <FileUpload action="/api/upload_correction_licence" label=RightsMsg::LicenceUpload hint=RightsMsg::LicenceNeeded
                            accept="image/jpeg,image/png,application/pdf" name="correction-licence".to_string() hidden
                            on_done=Callback::new(move |_| refresh.run(())) max_bytes=crate::model::application::MAX_UPLOAD_BYTES/>
                    }
                });
                view! { <CorrectionCard c answered=!d.summary.status.is_open()>{upload}</CorrectionCard> }
            })}
            {d.summary.status.is_open().then(|| view! {
                <Card title=RightsMsg::Withdraw testid="withdraw">
                    <p class="muted">{t(RightsMsg::WithdrawHint)}</p>
                    <ItemButton action=withdraw value=d.summary.id.clone() label=RightsMsg::Withdraw class="btn btn-secondary" testid="withdraw-request"/>
                </Card>
            })}
            <RequestSteps steps=d.steps.clone()/>
        </Loader>
    }
}

/// Entering the code (P6.5: 10 minutes, 3 tries), or asking for a new one.
#[component]
fn VerifyCard(
    d: RequestDetail,
    verify: ServerAction<VerifyPrivacyRequest>,
    resend: ServerAction<ResendPrivacyCode>,
) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(verify);
    let id = d.summary.id.clone();
    let resend_buttons = [
        (ContactKind::Email, AccMsg::Email),
        (ContactKind::Mobile, AccMsg::Mobile),
    ]
    .into_iter()
    .filter(|(kind, _)| d.sms_available || *kind == ContactKind::Email)
    .map(|(kind, label)| {
        view! {
            <ItemButton action=resend value=id.clone() label=label testid="resend-code">
                <input type="hidden" name="channel" value=kind.code()/>
            </ItemButton>
        }
    })
    .collect_view();
    view! {
        <Card title=RightsMsg::Verify testid="verify-request">
            {match d.pending_code.clone() {
                Some(c) => view! {
                    <p data-testid="code-sent">{move || crate::i18n::rights::code_sent_to(lang.get(), &c.sent_to, c.expires_at.china_display(), c.tries_left)}</p>
                }.into_any(),
                None => view! { <p class="notice notice-warning" data-testid="no-live-code">{t(RightsMsg::NoLiveCode)}</p> }.into_any(),
            }}
            <ActionForm action=verify attr:class="form" attr:novalidate=true>
                <FormError error/>
                <input type="hidden" name="id" value=id.clone()/>
                <Field label=RightsMsg::CodeLabel name="code" error autocomplete="one-time-code" maxlength=6/>
                <div class="form-actions"><Submit label=RightsMsg::VerifyButton pending=verify.pending().into()/></div>
            </ActionForm>
            <p class="muted">{t(RightsMsg::NewCode)} ":"</p>
            {resend_buttons}
        </Card>
    }
}
