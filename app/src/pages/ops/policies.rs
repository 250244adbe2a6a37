//! 隐私 → 政策版本 `/ops/privacy/policies` (privacy officer, P0.1, P9): every version with its
//! status, drafting a new one from the version in force, the editor with the diff, scheduling
//! with the notice period, and withdrawing a version before its date.

use crate::api::policy::{
    policy_draft, policy_versions, SavePolicyDraft, SchedulePolicy, StartPolicyDraft,
    WithdrawPolicy,
};
use crate::components::{
    action_error, successes, Col, DataTable, Field, FormError, LangLink, Loader, StatusBadge,
    Submit,
};
use crate::i18n::{t, use_lang, Msg, PolicyMsg};
use crate::model::policy::PolicyKind;
use crate::model::policy_change::{PolicyAdminItem, PolicyDraftView, PolicyStanding, PolicyStatus};
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
    let row = move |item: PolicyAdminItem| view! { <VersionRow item withdraw/> };
    view! {
        <super::incidents::PrivacyTabs title=PolicyMsg::VersionsTitle/>
        <FormError error/>
        <Loader resource=list let:data>
            <p>{move || crate::i18n::text::versions_intro(lang.get(), data.notice_days)}</p>
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
            <DataTable cols=vec![Col::new(PolicyMsg::Document), Col::new(PolicyMsg::Version), Col::new(PolicyMsg::Status), Col::new(PolicyMsg::Material), Col::new(PolicyMsg::Published), Col::new(PolicyMsg::Effective), Col::new(Msg::Actions)]
                rows=data.items row testid="policy-versions-admin"/>
        </Loader>
    }
}

/// One version: its standing, dates, and (while scheduled) withdrawal.
#[component]
fn VersionRow(item: PolicyAdminItem, withdraw: ServerAction<WithdrawPolicy>) -> impl IntoView {
    let lang = use_lang();
    let doc = item.doc;
    let dated = item.status != PolicyStatus::Draft;
    let version = doc.version.clone();
    let testid = format!("policy-row-{}-{}", doc.kind.code(), doc.version);
    view! {
        <tr data-testid=testid>
            <td>{t(kind_label(doc.kind))}</td>
            <td><LangLink href=format!("/ops/privacy/policies/{}", doc.id)>{doc.version.clone()}</LangLink></td>
            <td><StatusBadge status=item.standing testid="policy-status"/></td>
            <td>{t(if doc.material { PolicyMsg::Material } else { PolicyMsg::NotMaterial })}</td>
            <td>{dated.then(|| doc.published_at.china_display())}</td>
            <td>{dated.then(|| doc.effective_at.china_date())}</td>
            <td>{(item.standing == PolicyStanding::Scheduled).then(|| view! {
                <ActionForm action=withdraw attr:class="inline-form">
                    <input type="hidden" name="id" value=doc.id/>
                    <button type="submit" class="btn btn-secondary btn-sm"
                        aria-label=move || crate::i18n::text::withdraw_version(lang.get(), &version)>
                        {t(PolicyMsg::Withdraw)}
                    </button>
                </ActionForm>
            })}</td>
        </tr>
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
        <p><LangLink href="/ops/privacy/policies">{t(PolicyMsg::VersionsTitle)}</LangLink></p>
        <Loader resource=data page=true let:v>
            <PolicyEditor v save schedule/>
        </Loader>
    }
}

/// A draft's forms (or a published version's text) beside the diff against the version in
/// force.
#[component]
fn PolicyEditor(
    v: PolicyDraftView,
    save: ServerAction<SavePolicyDraft>,
    schedule: ServerAction<SchedulePolicy>,
) -> impl IntoView {
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
    }
}
