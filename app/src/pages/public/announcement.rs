use crate::api::announcement::get_announcement;
use crate::components::{ErrorNotice, PublicLayout};
use crate::i18n::{localized_href, t, use_lang, Msg};
use crate::pages::set_http_status;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/announcements/:id`: one service announcement or incident notice (P5.5, P7.2).
#[component]
pub fn AnnouncementPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let item = Resource::new(id, get_announcement);
    view! {
        <PublicLayout>
            <article class="card page-card" data-testid="announcement">
                <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                    {move || item.get().map(|result| match result {
                        Ok(a) => view! {
                            <Title text={
                                let title = a.title.clone();
                                move || title.get(lang.get()).to_string()
                            }/>
                            <p class="eyebrow">{t(Msg::AnnouncementsTitle)}</p>
                            <h1>{
                                let title = a.title.clone();
                                move || title.get(lang.get()).to_string()
                            }</h1>
                            <p class="muted">
                                <time datetime=a.published_at.rfc3339()>{a.published_at.china_display()}</time>
                            </p>
                            <div class="prose">
                                {move || a.body.get(lang.get()).split("\n\n").map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}
                            </div>
                        }.into_any(),
                        Err(e) => {
                            set_http_status(e.status());
                            view! {
                                <h1>{t(Msg::AnnouncementsTitle)}</h1>
                                <ErrorNotice error=e/>
                            }
                            .into_any()
                        }
                    })}
                </Suspense>
                <p><a href=move || localized_href("/", lang.get())>{t(Msg::BackHome)}</a></p>
            </article>
        </PublicLayout>
    }
}
