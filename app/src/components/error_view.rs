use crate::error::AppError;
use crate::i18n::{localized_href, t, use_lang, PolicyMsg};
use leptos::prelude::*;

/// An error as a user reads it, in their language, announced to screen readers. A refusal
/// because the policies in force are not accepted links to where they are (P9).
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let lang = use_lang();
    let gated = error == AppError::PolicyNotAccepted;
    view! {
        <p class="notice notice-error" role="alert">
            {move || error.message(lang.get())}
            {gated.then(|| view! {
                " " <a href=move || localized_href("/portal/policy-update", lang.get())>{t(PolicyMsg::ReviewAgain)}</a>
            })}
        </p>
    }
}
