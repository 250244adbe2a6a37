//! Entry pages that the accounts capability fills in: login, registration, and the policy
//! documents (P0.1-P0.4). Until then they say so plainly and show the operator's contact.

use crate::components::{use_platform_info, PublicLayout};
use crate::i18n::{t, Msg};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn EntryPage(title: Msg, intro: Option<Msg>, testid: &'static str) -> impl IntoView {
    view! {
        <Title text=t(title)/>
        <PublicLayout>
            <section class="card page-card" data-testid=testid>
                <h1>{t(title)}</h1>
                {intro.map(|m| view! { <p class="lead">{t(m)}</p> })}
                <p class="notice notice-info">{t(Msg::NotOpenYet)}</p>
            </section>
        </PublicLayout>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    view! { <EntryPage title=Msg::LoginTitle intro=Some(Msg::LoginIntro) testid="login"/> }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    view! { <EntryPage title=Msg::RegisterTitle intro=Some(Msg::RegisterIntro) testid="register"/> }
}

/// A policy document page: who publishes it and how to reach them (P10.1).
#[component]
fn PolicyPage(title: Msg, testid: &'static str) -> impl IntoView {
    let info = use_platform_info();
    view! {
        <Title text=t(title)/>
        <PublicLayout>
            <article class="card page-card" data-testid=testid>
                <h1>{t(title)}</h1>
                <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                    {move || info.get().and_then(Result::ok).map(|info| view! {
                        <dl class="facts">
                            <div><dt>{t(Msg::PolicyPublisher)}</dt><dd>{info.operator_name}</dd></div>
                            <div><dt>{t(Msg::PolicyContact)}</dt><dd>{info.contact_email}</dd></div>
                        </dl>
                    })}
                </Suspense>
                <p class="notice notice-info">{t(Msg::PolicyNotPublished)}</p>
            </article>
        </PublicLayout>
    }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! { <PolicyPage title=Msg::PrivacyTitle testid="privacy"/> }
}

#[component]
pub fn TermsPage() -> impl IntoView {
    view! { <PolicyPage title=Msg::TermsTitle testid="terms"/> }
}
