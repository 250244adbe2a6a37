use crate::error::AppError;
use crate::i18n::use_lang;
use leptos::prelude::*;

/// An error as a user reads it, in their language, announced to screen readers.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="notice notice-error" role="alert">
            {move || error.message(lang.get())}
        </p>
    }
}
