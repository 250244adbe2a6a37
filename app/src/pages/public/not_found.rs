use crate::components::PublicLayout;
use crate::i18n::{localized_href, t, use_lang, Msg};
use leptos::prelude::*;
use leptos_meta::Title;

/// Any unknown path: a real 404 status and a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    super::super::set_http_status(404);
    let lang = use_lang();
    view! {
        <Title text=t(Msg::NotFoundTitle)/>
        <PublicLayout>
            <section class="card empty-state" data-testid="not-found">
                <p class="empty-state-code" aria-hidden="true">"404"</p>
                <h1>{t(Msg::NotFoundTitle)}</h1>
                <p>{t(Msg::NotFoundText)}</p>
                <a class="btn btn-primary" href=move || localized_href("/", lang.get())>{t(Msg::BackHome)}</a>
            </section>
        </PublicLayout>
    }
}
