use crate::api::announcement::get_announcement;
use crate::components::{LangLink, Loader, PublicLayout};
use crate::i18n::{t, use_lang, Msg};
use crate::model::announcement::Announcement;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/announcements/:id`: one service announcement or incident notice (P5.5, P7.2).
#[component]
pub fn AnnouncementPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let item = Resource::new(id, get_announcement);
    view! {
        <PublicLayout>
            <article class="card page-card" data-testid="announcement">
                <p class="eyebrow">{t(Msg::AnnouncementsTitle)}</p>
                <Loader resource=item page=true let:a>
                    <AnnouncementBody a/>
                </Loader>
                <p><LangLink href="/">{t(Msg::BackHome)}</LangLink></p>
            </article>
        </PublicLayout>
    }
}

/// The announcement in the reader's language: title, date, paragraphs.
#[component]
fn AnnouncementBody(a: Announcement) -> impl IntoView {
    let lang = use_lang();
    let title = a.title.clone();
    let heading = a.title.clone();
    view! {
        <Title text=move || title.get(lang.get()).to_string()/>
        <h1>{move || heading.get(lang.get()).to_string()}</h1>
        <p class="muted">
            <time datetime=a.published_at.rfc3339()>{a.published_at.china_display()}</time>
        </p>
        <div class="prose">
            {move || a.body.get(lang.get()).split("\n\n").map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}
        </div>
    }
}
