//! 隐私 → 共享登记 `/ops/privacy/sharing` (issue 19; P3.1.1, P3.1.3, P4.1; privacy officers):
//! every outside recipient with its purpose, basis, fields, region, agreement and dates, a form
//! that registers a new one, and `/ops/privacy/sharing/:code` to change one under the same rules
//! (the server's: [`crate::model::sharing::RecipientForm::parse`]).

use crate::api::sharing::{sharing_register, SaveRecipient};
use crate::components::{
    action_error, load_once, successes, Card, Col, DataTable, Field, FormError, Label, LangLink,
    Loader, SelectField, Submit,
};
use crate::i18n::{
    basis_text, categories_text, purpose_text, recipient_kind_label, t, use_lang, ShareMsg,
};
use crate::model::purpose::Purpose;
use crate::model::sharing::{codes, Recipient, RecipientForm, RecipientKind, Register};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn OpsSharingPage() -> impl IntoView {
    let save = ServerAction::<SaveRecipient>::new();
    let saved = successes(save);
    let register = Resource::new(move || saved.get(), |_| sharing_register());
    view! {
        <super::incidents::PrivacyTabs title=ShareMsg::RegisterTitle/>
        <p class="muted">{t(ShareMsg::RegisterIntro)}</p>
        <Loader resource=register let:data>
            <p>{t(ShareMsg::StorageRegion)} ": " <span class="mono" data-testid="storage-region">{data.storage_region.clone()}</span></p>
            <DataTable cols=vec![Col::new(ShareMsg::Recipient), Col::new(ShareMsg::Kind), Col::new(ShareMsg::Purpose), Col::new(ShareMsg::Fields), Col::new(ShareMsg::Region), Col::new(ShareMsg::Agreement), Col::new(ShareMsg::Active), Col::new(crate::i18n::Msg::Actions)]
                rows=data.recipients.clone() row=register_row testid="register"/>
            <Card title=ShareMsg::AddRecipient testid="recipient-new">
                <RecipientFields save form=RecipientForm { region: data.storage_region.clone(), ..RecipientForm::default() }/>
            </Card>
        </Loader>
    }
}

/// `/ops/privacy/sharing/:code`: the recipient's form, filled in.
#[component]
pub fn OpsRecipientPage() -> impl IntoView {
    let save = ServerAction::<SaveRecipient>::new();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let found = move |data: &Register| data.recipients.iter().find(|r| r.code == code()).cloned();
    view! {
        <super::incidents::PrivacyTabs title=ShareMsg::ChangeRecipient/>
        <p><LangLink href="/ops/privacy/sharing">{t(ShareMsg::BackToRegister)}</LangLink></p>
        <Loader resource=load_once(sharing_register) let:data>
            {match found(&data) {
                Some(r) => view! {
                    <Card title=ShareMsg::ChangeRecipient testid="recipient-change">
                        <RecipientFields save form=RecipientForm::of(&r)/>
                    </Card>
                }.into_any(),
                None => view! { <crate::components::ErrorNotice error=crate::error::AppError::NotFound/> }.into_any(),
            }}
        </Loader>
    }
}

fn register_row(r: Recipient) -> impl IntoView {
    let lang = use_lang();
    let (purpose, _) = purpose_text(r.purpose);
    let (basis, _) = basis_text(r.basis());
    let name = r.name.clone();
    let fields = if r.fields.is_empty() {
        None
    } else {
        Some(r.fields.join(", "))
    };
    let cats = r.categories();
    let active = format!(
        "{} – {}",
        r.active_from.china_date(),
        r.active_to.map(|t| t.china_date()).unwrap_or_default()
    );
    // The authorities' entry is kept by the disclosure register, a successor's by its transfer.
    let editable = r.code != codes::PUBLIC_AUTHORITIES && r.kind != RecipientKind::Successor;
    view! {
        <tr data-testid="register-row" data-code=r.code.clone()>
            <td>{move || name.get(lang.get()).to_string()} <br/><span class="mono muted">{r.code.clone()}</span></td>
            <td>{t(recipient_kind_label(r.kind))}</td>
            <td>{t(purpose)} <br/><span class="muted">{t(basis)}</span></td>
            <td>{match fields {
                Some(f) => view! { {move || categories_text(&cats, lang.get())} <br/><span class="mono muted small">{f}</span> }.into_any(),
                None => view! { {t(ShareMsg::PerDemand)} }.into_any(),
            }}</td>
            <td class="mono">{r.region.clone()}</td>
            <td>{r.contract_ref.clone()}</td>
            <td>{active} {r.active_to.is_none().then(|| view! { <span class="muted">{t(ShareMsg::Open)}</span> })}</td>
            <td>{editable.then(|| view! {
                <LangLink href=format!("/ops/privacy/sharing/{}", r.code)>{t(ShareMsg::Change)}</LangLink>
            })}</td>
        </tr>
    }
}

/// The recipient's fields (new, or a registered one: its code and purpose then stay).
#[component]
fn RecipientFields(save: ServerAction<SaveRecipient>, form: RecipientForm) -> impl IntoView {
    let error = action_error(save);
    let f = form;
    let kinds: Vec<(&'static str, Label)> = RecipientKind::ALL
        .iter()
        .map(|k| (k.code(), recipient_kind_label(*k).into()))
        .collect();
    let purposes: Vec<(&'static str, Label)> = Purpose::ALL
        .iter()
        .map(|p| (p.code(), purpose_text(*p).0.into()))
        .collect();
    view! {
        <ActionForm action=save attr:class="form" attr:novalidate=true attr:data-testid="recipient-form">
            <FormError error/>
            <Field label=ShareMsg::Code name="code" error value=f.code maxlength=40/>
            <Field label=ShareMsg::NameZh name="name_zh" error value=f.name_zh maxlength=crate::model::sharing::NAME_MAX/>
            <Field label=ShareMsg::NameEn name="name_en" error value=f.name_en maxlength=crate::model::sharing::NAME_MAX/>
            <SelectField label=ShareMsg::Kind name="kind" error options=kinds selected=f.kind/>
            <SelectField label=ShareMsg::Purpose name="purpose" error options=purposes selected=f.purpose/>
            <Field label=ShareMsg::FieldList name="fields" error value=f.fields multiline=true/>
            <MapFields/>
            <Field label=ShareMsg::Region name="region" error value=f.region maxlength=40/>
            <Field label=ShareMsg::Agreement name="contract_ref" error value=f.contract_ref maxlength=crate::model::sharing::CONTRACT_MAX/>
            <Field label=ShareMsg::ActiveFrom name="active_from" error value=f.active_from kind="date"/>
            <Field label=ShareMsg::ActiveTo name="active_to" error value=f.active_to kind="date" required=false/>
            <Submit label=ShareMsg::Save pending=save.pending().into()/>
        </ActionForm>
    }
}

/// The data map's fields a recipient or a disclosure may name, by table.
#[component]
pub(super) fn MapFields() -> impl IntoView {
    let tables = crate::model::data_map::tables()
        .filter(|t| !t.fields.is_empty())
        .map(|t| {
            let names = t
                .fields
                .iter()
                .map(|f| format!("{}.{}", t.table, f.column))
                .collect::<Vec<_>>()
                .join(" ");
            view! { <li class="mono small">{names}</li> }
        })
        .collect_view();
    view! {
        <details class="field" data-testid="map-fields">
            <summary>{t(ShareMsg::MapFields)}</summary>
            <ul class="plain">{tables}</ul>
        </details>
    }
}
