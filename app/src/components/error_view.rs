use crate::error::AppError;
use crate::i18n::{list_separator, localized_href, t, use_lang, Msg, PolicyMsg, Translate};
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

/// The page a user may not open: a real 403, saying whom to ask. `admins` are the names of the
/// enterprise's admins (portal); empty means a super-admin decides (console).
#[component]
pub fn Forbidden(admins: Vec<String>) -> impl IntoView {
    crate::components::set_http_status(403);
    let lang = use_lang();
    let ask = move || {
        let lang = lang.get();
        if admins.is_empty() {
            Msg::ForbiddenAskSuperAdmin.text(lang).to_string()
        } else {
            crate::i18n::text::forbidden_ask_admins(lang, admins.join(list_separator(lang)))
        }
    };
    view! {
        <section class="card empty-state" data-testid="forbidden">
            <p class="empty-state-code" aria-hidden="true">"403"</p>
            <h1>{t(Msg::ForbiddenTitle)}</h1>
            <p>{t(Msg::ForbiddenText)}</p>
            <p data-testid="forbidden-ask">{ask}</p>
        </section>
    }
}
