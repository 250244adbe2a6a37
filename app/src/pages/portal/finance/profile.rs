//! 开票信息 `/portal/finance/profile` (issue 17): the buyer on the enterprise's invoices, the
//! taxpayer ID checked as it is typed (the shared credit-code rule), and every change kept.

use super::FinanceTabs;
use crate::api::invoices::{load_invoice_profile, SaveInvoiceProfile};
use crate::components::{
    action_error, code_options, successes, Col, DataTable, Field, FormError, Loader, SelectField,
    Submit,
};
use crate::error::AppError;
use crate::i18n::{
    id_state_label, profile_field_label, t, taxpayer_type_label, use_lang, InvMsg, Translate,
};
use crate::model::invoice::{ProfileChange, ProfileView, TaxpayerId, TaxpayerType};
use leptos::prelude::*;

#[component]
pub fn InvoiceProfilePage() -> impl IntoView {
    let save = ServerAction::<SaveInvoiceProfile>::new();
    let saved = successes(save);
    let page = Resource::new(move || saved.get(), |_| load_invoice_profile());
    view! {
        <FinanceTabs title=InvMsg::TabProfile/>
        <Loader resource=page page=true let:p>
            <ProfileForm profile=p.profile.clone() action=save/>
            <section class="card">
                <h2>{t(InvMsg::History)}</h2>
                <DataTable cols=vec![Col::new(InvMsg::When), Col::new(InvMsg::By), Col::new(InvMsg::Field), Col::new(InvMsg::Before), Col::new(InvMsg::After)]
                    rows=p.history row=change_rows empty=InvMsg::NoHistory testid="profile-history"/>
            </section>
        </Loader>
    }
}

/// One change: a row per field changed.
fn change_rows(c: ProfileChange) -> impl IntoView {
    let (at, by) = (c.at.china_display(), c.by);
    c.changes
        .into_iter()
        .map(|f| {
            let label = profile_field_label(&f.field);
            view! {
                <tr>
                    <td>{at.clone()}</td><td>{by.clone()}</td><td>{t(label)}</td>
                    <td>{f.before}</td><td>{f.after}</td>
                </tr>
            }
        })
        .collect_view()
}

#[component]
fn ProfileForm(
    profile: Option<ProfileView>,
    action: ServerAction<SaveInvoiceProfile>,
) -> impl IntoView {
    let error = action_error(action);
    let p = profile.clone().unwrap_or_else(|| ProfileView {
        taxpayer_type: TaxpayerType::General,
        title: String::new(),
        taxpayer_id: String::new(),
        taxpayer_id_state: crate::model::invoice::TaxpayerIdState::Valid,
        override_reason: String::new(),
        reg_address: String::new(),
        reg_phone: String::new(),
        bank_name: String::new(),
        bank_account: String::new(),
        bank_account_masked: String::new(),
        mail_name: String::new(),
        mail_phone: String::new(),
        mail_phone_masked: String::new(),
        mail_address: String::new(),
        emails: Vec::new(),
        updated_at: crate::model::UtcMillis(0),
        updated_by: String::new(),
    });
    let types = code_options(TaxpayerType::ALL, TaxpayerType::code, taxpayer_type_label);
    view! {
        <section class="card" data-testid="invoice-profile">
            <h2>{t(InvMsg::TabProfile)}</h2>
            <p class="muted">{t(InvMsg::ProfileIntro)}</p>
            {profile.as_ref().map(|p| view! {
                <dl class="facts">
                    <div><dt>{t(InvMsg::IdState)}</dt><dd data-testid="taxpayer-id-state">{t(id_state_label(p.taxpayer_id_state))}</dd></div>
                    {(!p.override_reason.is_empty()).then(|| view! {
                        <div><dt>{t(InvMsg::ReviewerNote)}</dt><dd>{p.override_reason.clone()}</dd></div>
                    })}
                    <div><dt>{t(InvMsg::BankAccount)}</dt><dd class="mono">{p.bank_account_masked.clone()}</dd></div>
                </dl>
            })}
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error/>
                <SelectField label=InvMsg::TaxpayerType name="taxpayer_type" error options=types selected=p.taxpayer_type.code().to_string()/>
                <Field label=InvMsg::Title name="title" error value=p.title maxlength=100/>
                <TaxpayerIdField value=p.taxpayer_id error/>
                <Field label=InvMsg::RegAddress name="reg_address" error value=p.reg_address required=false maxlength=200/>
                <Field label=InvMsg::RegPhone name="reg_phone" error value=p.reg_phone required=false maxlength=24/>
                <Field label=InvMsg::BankName name="bank_name" error value=p.bank_name required=false maxlength=100/>
                <Field label=InvMsg::BankAccount name="bank_account" error value=p.bank_account required=false maxlength=40/>
                <Field label=InvMsg::MailName name="mail_name" error value=p.mail_name required=false maxlength=40/>
                <Field label=InvMsg::MailPhone name="mail_phone" error value=p.mail_phone required=false maxlength=24/>
                <Field label=InvMsg::MailAddress name="mail_address" error value=p.mail_address required=false maxlength=200/>
                <Field label=InvMsg::Emails name="emails" error value=p.emails.join(", ") required=false maxlength=400/>
                <div class="form-actions"><Submit label=InvMsg::SaveProfile pending=action.pending().into()/></div>
            </ActionForm>
        </section>
    }
}

/// The taxpayer ID with its live check (the same rule the server applies).
#[component]
fn TaxpayerIdField(value: String, error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let typed = RwSignal::new(value.clone());
    let check = move || {
        let v = typed.get();
        if v.trim().is_empty() {
            return None;
        }
        Some(match TaxpayerId::parse(&v) {
            Ok(TaxpayerId::CreditCode(_)) => (InvMsg::CodeValid, "hint hint-ok"),
            Ok(TaxpayerId::Legacy(_)) => (InvMsg::CodeLegacy, "hint hint-warn"),
            Err(_) => (InvMsg::CodeFormat, "hint hint-warn"),
        })
    };
    let message = move || {
        error
            .get()
            .and_then(|e| e.field_message("taxpayer_id", lang.get()))
    };
    view! {
        <div class="field">
            <label for="f-taxpayer_id">{t(InvMsg::TaxpayerId)}</label>
            <input id="f-taxpayer_id" name="taxpayer_id" type="text" value=value maxlength="24" required=true
                autocomplete="off" data-testid="taxpayer-id"
                on:input=move |ev| typed.set(event_target_value(&ev))
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                aria-describedby="f-taxpayer_id-check f-taxpayer_id-error"/>
            <span id="f-taxpayer_id-check" aria-live="polite" data-testid="taxpayer-id-check"
                class=move || check().map_or("hint", |(_, c)| c)>
                {move || check().map(|(m, _)| m.text(lang.get()))}
            </span>
            <span class="error" id="f-taxpayer_id-error" data-field-error="taxpayer_id">{message}</span>
        </div>
    }
}
