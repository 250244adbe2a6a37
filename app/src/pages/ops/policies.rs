//! 隐私 → 政策版本 `/ops/privacy/policies` (privacy officer, P0.1, P9): every version with its
//! status, drafting a new one from the version in force, the editor with the diff, scheduling
//! with the notice period, and withdrawing a version before its date.

use crate::api::policy::{
    policy_draft, policy_versions, SavePolicyDraft, SchedulePolicy, StartPolicyDraft,
    WithdrawPolicy,
};
use crate::components::{action_error, successes, ErrorNotice, Field, FormError, Submit};
use crate::i18n::{localized_href, t, use_lang, Msg, PolicyMsg};
use crate::model::policy::PolicyKind;
use crate::model::policy_change::{PolicyDraftView, PolicyStanding, PolicyStatus};
use crate::pages::public::PolicyDiff;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn kind_label(kind: PolicyKind) -> Msg {
    match kind {
        PolicyKind::Privacy => Msg::PrivacyTitle,
        PolicyKind::Terms => Msg::TermsTitle,
    }
}

/// A standing's label and badge.
fn standing_badge(standing: PolicyStanding) -> (PolicyMsg, &'static str) {
    match standing {
        PolicyStanding::Draft => (PolicyMsg::StatusDraft, "badge badge-neutral"),
        PolicyStanding::Withdrawn => (PolicyMsg::StatusWithdrawn, "badge badge-failed"),
        PolicyStanding::Scheduled => (PolicyMsg::StatusScheduled, "badge badge-pending"),
        PolicyStanding::InForce => (PolicyMsg::StatusInForce, "badge badge-done"),
        PolicyStanding::Superseded => (PolicyMsg::StatusSuperseded, "badge badge-neutral"),
    }
}

#[component]
pub fn OpsPoliciesPage() -> impl IntoView {
    let lang = use_lang();
    let start = ServerAction::<StartPolicyDraft>::new();
    let withdraw = ServerAction::<WithdrawPolicy>::new();
    let withdrawn = successes(withdraw);
    let list = Resource::new(move || withdrawn.get(), |_| policy_versions());
    let error = Signal::derive(move || {
        action_error(start)
            .get()
            .or_else(|| action_error(withdraw).get())
    });
    view! {
        <Title text=t(PolicyMsg::VersionsTitle)/>
        <h1 class="page-title">{t(PolicyMsg::VersionsTitle)}</h1>
        <FormError error/>
        <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(data) => {
                    let days = data.notice_days;
                    let rows = data.items.into_iter().map(|item| {
                        let (label, class) = standing_badge(item.standing);
                        let href = format!("/ops/privacy/policies/{}", item.doc.id);
                        let scheduled = item.standing == PolicyStanding::Scheduled;
                        let published = (item.status != PolicyStatus::Draft).then(|| item.doc.published_at.china_display());
                        let effective = (item.status != PolicyStatus::Draft).then(|| item.doc.effective_at.china_date());
                        let id = item.doc.id.clone();
                        let label_version = item.doc.version.clone();
                        view! {
                            <tr data-testid=format!("policy-row-{}-{}", item.doc.kind.code(), item.doc.version)>
                                <td>{t(kind_label(item.doc.kind))}</td>
                                <td><a href=move || localized_href(&href, lang.get())>{item.doc.version.clone()}</a></td>
                                <td><span class=class data-testid="policy-status">{t(label)}</span></td>
                                <td>{t(if item.doc.material { PolicyMsg::Material } else { PolicyMsg::NotMaterial })}</td>
                                <td>{published}</td>
                                <td>{effective}</td>
                                <td>{scheduled.then(|| view! {
                                    <ActionForm action=withdraw attr:class="inline-form">
                                        <input type="hidden" name="id" value=id/>
                                        <button type="submit" class="btn btn-secondary btn-sm"
                                            aria-label=move || crate::i18n::text::withdraw_version(lang.get(), &label_version)>
                                            {t(PolicyMsg::Withdraw)}
                                        </button>
                                    </ActionForm>
                                })}</td>
                            </tr>
                        }
                    }).collect_view();
                    view! {
                        <p>{move || crate::i18n::text::versions_intro(lang.get(), days)}</p>
                        <div class="form-actions">
                            {PolicyKind::ALL.iter().map(|&kind| view! {
                                <ActionForm action=start attr:class="inline-form">
                                    <input type="hidden" name="kind" value=kind.code()/>
                                    <button type="submit" class="btn btn-primary" data-testid=format!("policy-new-{}", kind.code())>
                                        {t(PolicyMsg::NewDraft)} ": " {t(kind_label(kind))}
                                    </button>
                                </ActionForm>
                            }).collect_view()}
                        </div>
                        <div class="table-wrap" tabindex="0">
                            <table data-testid="policy-versions-admin">
                                <thead><tr>
                                    <th scope="col">{t(PolicyMsg::Document)}</th>
                                    <th scope="col">{t(PolicyMsg::Version)}</th>
                                    <th scope="col">{t(PolicyMsg::Status)}</th>
                                    <th scope="col">{t(PolicyMsg::Material)}</th>
                                    <th scope="col">{t(PolicyMsg::Published)}</th>
                                    <th scope="col">{t(PolicyMsg::Effective)}</th>
                                    <th scope="col"><span class="visually-hidden">{t(PolicyMsg::Withdraw)}</span></th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The draft's form: label, material flag, summaries and both texts.
#[component]
fn DraftForm(data: PolicyDraftView, save: ServerAction<SavePolicyDraft>) -> impl IntoView {
    let error = action_error(save);
    let doc = data.item.doc;
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <ActionForm action=save attr:class="form" attr:data-testid="policy-draft-form">
            <input type="hidden" name="id" value=doc.id.clone()/>
            <input type="hidden" name="updated_at" value=doc.updated_at.0/>
            <FormError error/>
            <Field label=PolicyMsg::Version name="version" error value=doc.version.clone() maxlength=16/>
            <div class="field">
                <label class="check">
                    <input type="checkbox" name="material" value="on" checked=doc.material data-testid="policy-material"/>
                    <span>{t(PolicyMsg::MaterialField)}</span>
                </label>
            </div>
            <Field label=PolicyMsg::SummaryZh name="summary_zh" error value=doc.summary_zh.clone() multiline=true/>
            <Field label=PolicyMsg::SummaryEn name="summary_en" error value=doc.summary_en.clone() multiline=true/>
            <p class="muted">{t(PolicyMsg::FormatHelp)}</p>
            <Field label=PolicyMsg::ContentZh name="content_zh" error value=doc.content_zh.clone() multiline=true/>
            <Field label=PolicyMsg::ContentEn name="content_en" error value=doc.content_en.clone() multiline=true/>
            <Submit label=PolicyMsg::SaveDraft pending=save.pending().into()/>
            {move || saved().then(|| view! { <p class="notice notice-success" role="status" data-testid="policy-saved">{t(PolicyMsg::Saved)}</p> })}
        </ActionForm>
    }
}

/// Publishing: the effective date, at least the notice period ahead for a material change.
#[component]
fn ScheduleForm(data: PolicyDraftView, schedule: ServerAction<SchedulePolicy>) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(schedule);
    let earliest = data.earliest_material_date.clone();
    let material = data.item.doc.material;
    let min = material.then(|| earliest.clone());
    view! {
        <ActionForm action=schedule attr:class="form" attr:data-testid="policy-schedule-form">
            <input type="hidden" name="id" value=data.item.doc.id.clone()/>
            <input type="hidden" name="updated_at" value=data.item.doc.updated_at.0/>
            <p class="muted">{t(PolicyMsg::ScheduleHint)}</p>
            {material.then(|| view! {
                <p class="notice notice-info">{move || crate::i18n::text::earliest_material(lang.get(), &earliest)}</p>
            })}
            <FormError error/>
            <div class="field">
                <label for="f-effective_date">{t(PolicyMsg::EffectiveDate)}</label>
                <input id="f-effective_date" type="date" name="effective_date" required=true min=min
                    aria-invalid=move || error.get().and_then(|e| e.field_message("effective_date", lang.get())).is_some().to_string()/>
                {move || error.get().and_then(|e| e.field_message("effective_date", lang.get())).map(|m| view! {
                    <span class="error" role="alert">{m}</span>
                })}
            </div>
            <Submit label=PolicyMsg::Schedule pending=schedule.pending().into()/>
        </ActionForm>
    }
}

/// `/ops/privacy/policies/:id`: a draft to edit and publish, or a published version to read.
#[component]
pub fn OpsPolicyPage() -> impl IntoView {
    let params = use_params_map();
    let save = ServerAction::<SavePolicyDraft>::new();
    let schedule = ServerAction::<SchedulePolicy>::new();
    let saves = successes(save);
    let data = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), saves.get()),
        |(id, _)| policy_draft(id),
    );
    view! {
        <Title text=t(PolicyMsg::VersionsTitle)/>
        <p><a href="/ops/privacy/policies">{t(PolicyMsg::VersionsTitle)}</a></p>
        <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(v) => {
                    let draft = v.item.status == PolicyStatus::Draft;
                    let doc = v.item.doc.clone();
                    view! {
                        <h1 class="page-title">{t(kind_label(doc.kind))} " " {doc.version.clone()}</h1>
                        {(!draft).then(|| view! { <p class="notice notice-info">{t(PolicyMsg::NotEditable)}</p> })}
                        <div class="grid-2">
                            <section class="card">
                                {draft.then(|| view! { <DraftForm data=v.clone() save/> })}
                                {(!draft).then(|| view! { <crate::pages::public::PolicyContent doc=doc.clone()/> })}
                            </section>
                            <section class="card" data-testid="policy-admin-diff">
                                <h2>{t(PolicyMsg::Diff)}</h2>
                                <p class="muted">{t(PolicyMsg::DiffAgainst)} " " {v.current.version.clone()}</p>
                                <PolicyDiff old=v.current.clone() new=doc.clone()/>
                            </section>
                        </div>
                        {draft.then(|| view! { <section class="card"><ScheduleForm data=v.clone() schedule/></section> })}
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
