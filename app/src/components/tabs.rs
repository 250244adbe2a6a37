//! An area's tab bar: links that keep the language and mark the current page.

use crate::i18n::{localized_href, t, use_lang, Translate};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The tab bar, named for screen readers.
#[component]
pub fn Tabs(label: impl Translate, children: Children) -> impl IntoView {
    view! { <nav class="tabs" aria-label=t(label)>{children()}</nav> }
}

/// One tab. It is current on its own path, and (unless `exact`) on the pages below it.
#[component]
pub fn Tab(
    path: &'static str,
    label: impl Translate,
    #[prop(optional)] exact: bool,
) -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let current = move || {
        let here = location.pathname.get();
        let below = !exact && here.starts_with(path) && here[path.len()..].starts_with('/');
        (here == path || below).then_some("page")
    };
    view! { <a href=move || localized_href(path, lang.get()) aria-current=current>{t(label)}</a> }
}
