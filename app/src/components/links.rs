//! Links the router must treat specially: redirects that keep the language, and downloads,
//! which are server routes the client-side router must leave alone.

use crate::i18n::{localized_href, use_lang};
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// A redirect to a local page in the current language (the language lives in the URL).
#[component]
pub fn LocalRedirect(#[prop(into)] path: String) -> impl IntoView {
    let lang = use_lang().get_untracked();
    view! { <Redirect path=localized_href(&path, lang)/> }
}

/// A file download (CSV, receipt, template): a plain link that the client-side router does
/// not handle (`rel="external"` and `download`), so the browser fetches the file itself
/// instead of the router showing its 404 page.
#[component]
pub fn DownloadLink(
    #[prop(into)] href: Signal<String>,
    /// The file name the browser saves under (empty: the server's `Content-Disposition`).
    #[prop(optional, into)]
    file_name: String,
    #[prop(default = "btn btn-ghost")] class: &'static str,
    #[prop(optional)] testid: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <a class=class href=href download=file_name rel="external" data-testid=testid>
            {children()}
        </a>
    }
}

/// A link to a local page in the current language (the language lives in the URL).
#[component]
pub fn LangLink(
    #[prop(into)] href: String,
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional)] testid: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <a class=class href=move || localized_href(&href, lang.get()) data-testid=testid>
            {children()}
        </a>
    }
}

/// A link that leaves the platform (P8): marked with an icon and, for screen readers, words
/// saying so; opened in a new tab that is told neither where it came from nor given a handle on
/// this page (`rel="noopener noreferrer"`). With `third_party` (another organisation's
/// service), a short notice follows: the platform's privacy policy does not cover it. `href`
/// must come from [`crate::model::net::web_address`] (only `http`/`https`).
#[component]
pub fn ExternalLink(
    href: String,
    #[prop(optional)] third_party: bool,
    children: Children,
) -> impl IntoView {
    use crate::i18n::{t, Msg};
    view! {
        <a href=href target="_blank" rel="external noopener noreferrer" data-external="true" class="external-link">
            {children()}
            <span class="external-icon" aria-hidden="true">"↗"</span>
            <span class="sr-only">{t(Msg::LeavesPlatform)}</span>
        </a>
        {third_party.then(|| view! { " " <small class="muted external-note">{t(Msg::ThirdPartyNotice)}</small> })}
    }
}
