//! 入驻审核 `/ops/applications`: the review queue and one application's materials and
//! decision (P1.1.1). Opening an application is audited.

use crate::api::review::{review_application, review_queue, DecideApplication};
use crate::components::{action_error, Col, DataTable, FormError, Loader, StatusBadge, Tone};
use crate::i18n::text;
use crate::i18n::{list_separator, localized_href, t, use_lang, AccMsg, BizMsg, Msg, Translate};
use crate::model::application::{ApplicationStatus, ApplicationSummary, Decision};
use crate::pages::public::{status_label, ApplicationSummaryView, FileList};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ApplicationsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let status = move || {
        query
            .read()
            .get("status")
            .unwrap_or_else(|| "submitted".into())
    };
    let list = Resource::new(status, |s| review_queue(Some(s)));
    let tabs = [
        ApplicationStatus::Submitted,
        ApplicationStatus::MoreInfo,
        ApplicationStatus::Rejected,
        ApplicationStatus::Approved,
    ];
    view! {
        <Title text=t(Msg::AreaApplications)/>
            <h1 class="page-title">{t(Msg::AreaApplications)}</h1>
            <nav class="tabs" aria-label=t(AccMsg::Status)>
                {tabs.into_iter().map(|s| {
                    let href = format!("/ops/applications?status={}", s.code());
                    view! {
                        <a href=move || localized_href(&href, lang.get())
                            aria-current=move || (status() == s.code()).then_some("page")>
                            {move || status_label(s).text(lang.get())}
                        </a>
                    }
                }).collect_view()}
            </nav>
            <Loader resource=list let:rows>
                <DataTable cols=vec![Col::new(BizMsg::EnterpriseName), Col::new(BizMsg::CreditCode), Col::new(BizMsg::SubmittedAt), Col::new(AccMsg::Status)]
                    rows row=queue_row empty=BizMsg::QueueEmpty testid="review-queue"/>
            </Loader>
    }
}

fn queue_row(a: ApplicationSummary) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/ops/applications/{}", a.id);
    view! {
        <tr>
            <td><a href=move || localized_href(&href, lang.get())>{a.enterprise_name}</a></td>
            <td>{a.credit_code}
                {(!a.credit_code_check_ok).then(|| view! { " " <span class=Tone::Pending.class()>{t(BizMsg::ManualCheckBadge)}</span> })}
                {a.duplicates.any().then(|| view! { " " <span class=Tone::Failed.class() data-testid="duplicate-badge">{t(BizMsg::DuplicateBadge)}</span> })}
            </td>
            <td>{a.submitted_at.map(|t| t.china_display())}</td>
            <td><StatusBadge status=a.status/></td>
        </tr>
    }
}

#[component]
pub fn ApplicationReviewPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let decide = ServerAction::<DecideApplication>::new();
    let app = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                decide.version().get(),
            )
        },
        |(id, _)| review_application(id),
    );
    // What the decision did, and to whom (the page then shows the new status).
    let done = move || {
        decide.value().get().and_then(Result::ok).map(|d| {
            let say = match d.decision {
                Decision::Approve => text::decided_approve,
                Decision::Reject => text::decided_reject,
                Decision::RequestMore => text::decided_request_more,
            };
            say(
                lang.get(),
                &d.enterprise_name,
                &d.applicant_name,
                &d.notified,
            )
        })
    };
    view! {
        <Title text=t(Msg::AreaApplications)/>
        <p><a href=move || localized_href("/ops/applications", lang.get())>{t(BizMsg::BackToQueue)}</a></p>
        <div aria-live="polite">
            {move || done().map(|m| view! { <p class="notice notice-success" role="status" data-testid="decision-done">{m}</p> })}
        </div>
        <Loader resource=app page=true let:a>
            {
                let pending = a.status == ApplicationStatus::Submitted;
                let needs_override = !a.credit_code_check_ok || !a.duplicates.registered.is_empty();
                let id = a.id.clone();
                view! {
                    <ReviewMaterials a/>
                    {pending.then(|| view! { <DecisionForm decide id needs_override/> })}
                }
            }
        </Loader>
    }
}

/// What the applicant sent, with the warnings a reviewer must see first.
#[component]
fn ReviewMaterials(a: crate::model::application::ApplicationView) -> impl IntoView {
    let lang = use_lang();
    let dup = a.duplicates.clone();
    let dup_text = move || {
        let lang = lang.get();
        let mut lines = Vec::new();
        if !dup.registered.is_empty() {
            lines.push(text::duplicate_registered(
                lang,
                dup.registered.join(list_separator(lang)),
            ));
        }
        if dup.pending > 0 {
            lines.push(text::duplicate_pending(lang, dup.pending));
        }
        lines.join(" ")
    };
    view! {
                        <h1 class="page-title">{a.input.enterprise_name.clone()}</h1>
                        <section class="card" data-testid="review-materials">
                            <dl class="facts">
                                <div><dt>{t(AccMsg::Status)}</dt><dd><StatusBadge status=a.status testid="review-status"/></dd></div>
                                <div><dt>{t(BizMsg::Applicant)}</dt><dd>{a.applicant_name.clone()}</dd></div>
                                <div><dt>{t(BizMsg::SubmittedAt)}</dt><dd>{a.submitted_at.map(|t| t.china_display())}</dd></div>
                            </dl>
                            {(!a.reviewer_message.is_empty()).then(|| view! {
                                <p class="notice notice-info"><strong>{t(BizMsg::ReviewerMessage)} ": "</strong>{a.reviewer_message.clone()}</p>
                            })}
                            {a.duplicates.any().then(|| view! {
                                <p class="notice notice-warning" data-testid="duplicate-warning">{dup_text}</p>
                            })}
                            {(!a.override_reason.is_empty()).then(|| view! {
                                <p class="notice notice-warning"><strong>{t(BizMsg::OverrideReason)} ": "</strong>{a.override_reason.clone()}</p>
                            })}
                            <ApplicationSummaryView app=a.clone()/>
                            <h2>{t(BizMsg::Materials)}</h2>
                            <FileList files=a.files.clone()/>
                        </section>
    }
}

/// Approve, ask for more, or reject; an override reason when the credit code needs one.
#[component]
fn DecisionForm(
    decide: ServerAction<DecideApplication>,
    id: String,
    needs_override: bool,
) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(decide);
    view! {
                            <section class="card" data-testid="decision">
                                <h2>{t(BizMsg::Decision)}</h2>
                                <ActionForm action=decide attr:class="form" attr:novalidate=true>
                                    <FormError error/>
                                    <input type="hidden" name="id" value=id.clone()/>
                                    <div class="field">
                                        <label for="f-message">{t(BizMsg::MessageToApplicant)}</label>
                                        <textarea id="f-message" name="message" rows="3" maxlength="1000" aria-describedby="f-message-error"></textarea>
                                        <span class="hint">{t(BizMsg::MessageHint)}</span>
                                        <span class="error" id="f-message-error" data-field-error="message">
                                            {move || error.get().and_then(|e| e.field_message("message", lang.get()))}
                                        </span>
                                    </div>
                                    {needs_override.then(|| view! {
                                        <div class="field">
                                            <label for="f-override_reason">{t(BizMsg::OverrideReason)}</label>
                                            <textarea id="f-override_reason" name="override_reason" rows="2" maxlength="500"></textarea>
                                            <span class="hint">{t(BizMsg::OverrideHint)}</span>
                                            <span class="error" data-field-error="override_reason">
                                                {move || error.get().and_then(|e| e.field_message("override_reason", lang.get()))}
                                            </span>
                                        </div>
                                    })}
                                    <div class="form-actions">
                                        <button type="submit" name="decision" value="approve" class="btn btn-primary">{t(BizMsg::Approve)}</button>
                                        <button type="submit" name="decision" value="request_more" class="btn btn-secondary">{t(BizMsg::RequestMore)}</button>
                                        <button type="submit" name="decision" value="reject" class="btn btn-danger">{t(BizMsg::Reject)}</button>
                                    </div>
                                </ActionForm>
                            </section>
    }
}
