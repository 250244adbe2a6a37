use crate::components::PublicLayout;
use crate::i18n::{localized_href, t, use_lang, Lang, Msg, Translate};
use leptos::prelude::*;
use leptos_meta::Title;

/// Any unknown path: a real 404 status and a way back. A dead link rarely carries `?lang=`,
/// so the page also says it in the other language, with a way to that language's home page.
#[component]
pub fn NotFound() -> impl IntoView {
    super::super::set_http_status(404);
    let lang = use_lang();
    let other = move || match lang.get() {
        Lang::ZhCn => Lang::En,
        Lang::En => Lang::ZhCn,
    };
    view! {
        <Title text=t(Msg::NotFoundTitle)/>
        <PublicLayout>
            <section class="card empty-state" data-testid="not-found">
                <p class="empty-state-code" aria-hidden="true">"404"</p>
                <h1>{t(Msg::NotFoundTitle)}</h1>
                <p>{t(Msg::NotFoundText)}</p>
                <a class="btn btn-primary" href=move || localized_href("/", lang.get())>{t(Msg::BackHome)}</a>
                <p class="muted" lang=move || other().code() data-testid="not-found-other">
                    {move || Msg::NotFoundText.text(other())} " "
                    <a href=move || localized_href("/", other())>{move || Msg::BackHome.text(other())}</a>
                </p>
            </section>
        </PublicLayout>
    }
}
