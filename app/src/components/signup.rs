//! The fields a new login person fills in wherever they join (registration, an invitation):
//! a new password with its strength meter, and the consent to the policy and the terms.

use super::{Label, PasswordMeter};
use crate::error::AppError;
use crate::i18n::{localized_href, t, use_lang, AccMsg, Msg};
use leptos::prelude::*;

/// A new password: the field, the policy hint, the strength meter and the field's error.
#[component]
pub fn NewPassword(#[prop(into)] label: Label, error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let (password, set_password) = signal(String::new());
    let message = move || {
        error
            .get()
            .and_then(|e| e.field_message("password", lang.get()))
    };
    view! {
        <div class="field">
            <label for="f-password">{move || label.text(lang.get())}</label>
            <input id="f-password" name="password" type="password" autocomplete="new-password"
                required=true aria-describedby="f-password-error f-password-hint"
                aria-invalid=move || message().is_some().to_string()
                on:input=move |ev| set_password.set(event_target_value(&ev))/>
            <span class="hint" id="f-password-hint">{t(AccMsg::PasswordPolicy)}</span>
            <PasswordMeter password/>
            <span class="error" id="f-password-error" data-field-error="password">{message}</span>
        </div>
    }
}

/// The consent checkbox (`accept`) for the privacy policy and the account terms, each a link
/// that opens in a new tab; `versions` names the versions accepted.
#[component]
pub fn AcceptTerms(
    error: Signal<Option<AppError>>,
    #[prop(optional)] versions: Option<(String, String)>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field">
            <label class="check">
                <input type="checkbox" name="accept" value="on" aria-describedby="f-accept-error"/>
                <span>
                    {t(AccMsg::AcceptPrefix)} " "
                    <a href=move || localized_href("/privacy", lang.get()) target="_blank">{t(Msg::PrivacyTitle)}</a>
                    " " {t(AccMsg::And)} " "
                    <a href=move || localized_href("/terms", lang.get()) target="_blank">{t(Msg::TermsTitle)}</a>
                    {versions.map(|(privacy, terms)| view! {
                        " (" {t(AccMsg::PolicyVersion)} " " {privacy} " / " {terms} ")"
                    })}
                </span>
            </label>
            <span class="error" id="f-accept-error" data-field-error="accept">
                {move || error.get().and_then(|e| e.field_message("accept", lang.get()))}
            </span>
        </div>
    }
}
