//! `/cookies`: the cookie policy, drawn from the same registry the banner and the server's
//! cookie writer use (P2.1, P2.2), with the visitor's choice to change.

use crate::components::{CookieChoice, PublicLayout};
use crate::i18n::{t, use_lang, ConsentMsg, Lang, Translate};
use crate::model::consent::{CookieCategory, COOKIES, COOKIE_REVISION};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CookiePolicyPage() -> impl IntoView {
    let lang = use_lang();
    let lifetime = move |secs: Option<i64>| match secs {
        None => ConsentMsg::SessionLifetime.text(lang.get()).to_string(),
        Some(s) => crate::i18n::text::days(lang.get(), s / 86_400),
    };
    view! {
        <Title text=t(ConsentMsg::PolicyTitle)/>
        <PublicLayout>
            <section class="card" data-testid="cookie-policy">
                <h1>{t(ConsentMsg::PolicyTitle)}</h1>
                <p>{t(ConsentMsg::PolicyIntro)}</p>
                <p class="muted">{t(ConsentMsg::Revision)} " " {COOKIE_REVISION}</p>
                <div class="table-wrap" tabindex="0">
                    <table>
                        <thead><tr>
                            <th>{t(ConsentMsg::Name)}</th><th>{t(ConsentMsg::Category)}</th>
                            <th>{t(ConsentMsg::Purpose)}</th><th>{t(ConsentMsg::Lifetime)}</th>
                        </tr></thead>
                        <tbody>
                            {COOKIES.iter().map(|c| view! {
                                <tr>
                                    <td><code>{c.name}</code></td>
                                    <td>{move || match c.category {
                                        CookieCategory::Necessary => ConsentMsg::Necessary.text(lang.get()),
                                        CookieCategory::Convenience => ConsentMsg::Convenience.text(lang.get()),
                                    }}</td>
                                    <td>{move || if lang.get() == Lang::En { c.purpose.1 } else { c.purpose.0 }}</td>
                                    <td>{move || lifetime(c.max_age_secs)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
            <section class="card" data-testid="cookie-choice">
                <CookieChoice/>
            </section>
        </PublicLayout>
    }
}
