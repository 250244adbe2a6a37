use crate::api::announcement::list_announcements;
use crate::components::{ItemList, LangLink, Loader, PublicLayout};
use crate::i18n::{localized_href, t, use_lang, Msg};
use crate::model::announcement::Announcement;
use leptos::prelude::*;
use leptos_meta::Title;

/// What the platform offers today; each capability adds its own entry when it lands.
const FEATURES: [(Msg, Msg); 3] = [
    (Msg::HomeFeatureAccountTitle, Msg::HomeFeatureAccountText),
    (Msg::HomeFeatureFundsTitle, Msg::HomeFeatureFundsText),
    (Msg::HomeFeaturePrivacyTitle, Msg::HomeFeaturePrivacyText),
];

/// `/`: what the platform does, and its announcements.
#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let href = move |path: &'static str| move || localized_href(path, lang.get());
    let features = FEATURES
        .iter()
        .map(|(title, text)| {
            view! {
                <li class="card feature">
                    <h3>{t(*title)}</h3>
                    <p>{t(*text)}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <Title text=t(Msg::AppName)/>
        <PublicLayout>
            <crate::components::PolicyNotices/>
            <section class="hero">
                <h1>{t(Msg::HomeHeroTitle)}</h1>
                <p class="lead">{t(Msg::HomeHeroLead)}</p>
                <div class="hero-actions">
                    <a class="btn btn-primary btn-lg" href=href("/register")>{t(Msg::HomeCtaRegister)}</a>
                    <a class="btn btn-secondary btn-lg" href=href("/login")>{t(Msg::HomeCtaLogin)}</a>
                </div>
            </section>
            <AnnouncementList/>
            <section aria-labelledby="services-title">
                <h2 id="services-title" class="section-title">{t(Msg::HomeServicesTitle)}</h2>
                <ul class="feature-grid">{features}</ul>
            </section>
        </PublicLayout>
    }
}

/// The newest announcements, each linking to its own page (the home page and the portal's
/// overview).
#[component]
pub fn AnnouncementList() -> impl IntoView {
    let items = Resource::new(|| (), |_| list_announcements(5));
    view! {
        <section class="card announcements" aria-labelledby="announcements-title">
            <h2 id="announcements-title">{t(Msg::AnnouncementsTitle)}</h2>
            <Loader resource=items let:list>
                <ItemList items=list item=announcement_item empty=Msg::AnnouncementsEmpty class="announcement-list"/>
            </Loader>
        </section>
    }
}

fn announcement_item(a: Announcement) -> impl IntoView {
    let lang = use_lang();
    view! {
        <li>
            <LangLink href=format!("/announcements/{}", a.id)>
                {move || a.title.get(lang.get()).to_string()}
            </LangLink>
            <time datetime=a.published_at.rfc3339()>{a.published_at.china_date()}</time>
        </li>
    }
}
