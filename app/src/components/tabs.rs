//! An area's tab bar (links that keep the language and mark the current page), the head of
//! a page in such an area, and the card that pages are made of.

use super::Label;
use crate::i18n::{localized_href, t, use_lang, Msg, Translate};
use leptos::prelude::*;
use leptos_meta::Title;
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

/// The head of a page in an area with tabs: the document title, the area's heading and the
/// tab bar (its `<Tab>`s are the children).
#[component]
pub fn AreaHeader(
    /// The page's own title (the browser tab).
    #[prop(into)]
    title: Label,
    area: Msg,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=move || title.text(lang.get())/>
        <h1 class="page-title">{t(area)}</h1>
        <Tabs label=area>{children()}</Tabs>
    }
}

/// A card with an optional heading.
#[component]
pub fn Card(
    #[prop(optional, into)] title: Option<Label>,
    #[prop(optional)] testid: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" data-testid=testid>
            {title.map(|title| view! { <h2>{move || title.text(lang.get())}</h2> })}
            {children()}
        </section>
    }
}
