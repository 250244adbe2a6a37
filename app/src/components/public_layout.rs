use super::{use_platform_info, LangSwitch};
use crate::api::account::Logout;
use crate::i18n::{localized_href, t, use_lang, AccMsg, Msg};
use leptos::prelude::*;

/// The frame of every public page: header with navigation, main content, footer.
#[component]
pub fn PublicLayout(
    /// The logged-in user, on pages that know them (the applicant's `/register`): the header
    /// then offers logging out instead of logging in and registering.
    #[prop(optional)]
    signed_in: Option<Signal<bool>>,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    let logout = ServerAction::<Logout>::new();
    let signed_in = signed_in.unwrap_or(Signal::stored(false));
    let href = move |path: &'static str| move || localized_href(path, lang.get());
    view! {
        <a class="skip-link" href="#main">{t(Msg::SkipToContent)}</a>
        <header class="site-header">
            <div class="site-header-inner">
                <a class="brand" href=href("/")>
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">{t(Msg::AppName)}</span>
                </a>
                <input type="checkbox" id="site-menu-toggle" class="menu-toggle"/>
                <label for="site-menu-toggle" class="menu-button">{t(Msg::Menu)}</label>
                <nav class="site-nav" aria-label=t(Msg::MainNavigation)>
                    <ul>
                        <li><a href=href("/")>{t(Msg::NavHome)}</a></li>
                        <li><a href=href("/privacy")>{t(Msg::NavPrivacy)}</a></li>
                        <li><a href=href("/terms")>{t(Msg::NavTerms)}</a></li>
                    </ul>
                    <div class="site-actions">
                        <LangSwitch/>
                        <Suspense fallback=|| ()>
                            {move || if signed_in.get() {
                                view! {
                                    <ActionForm action=logout attr:class="inline-form">
                                        <button type="submit" class="btn btn-ghost" data-testid="public-logout">{t(AccMsg::Logout)}</button>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! {
                                    <a class="btn btn-ghost" href=href("/login")>{t(Msg::NavLogin)}</a>
                                    <a class="btn btn-primary" href=href("/register")>{t(Msg::NavRegister)}</a>
                                }.into_any()
                            }}
                        </Suspense>
                    </div>
                </nav>
            </div>
        </header>
        <main id="main" class="site-main">{children()}</main>
        <Footer/>
    }
}

/// Operator name, contact e-mail (P10.1) and storage region (P4.1), from configuration.
#[component]
pub fn Footer() -> impl IntoView {
    let info = use_platform_info();
    let lang = use_lang();
    view! {
        <footer class="site-footer">
            <Suspense fallback=|| ()>
                {move || {
                    info.get()
                        .and_then(Result::ok)
                        .map(|info| {
                            let mailto = format!("mailto:{}", info.contact_email);
                            view! {
                                <dl class="footer-facts">
                                    <div>
                                        <dt>{t(Msg::FooterOperator)}</dt>
                                        <dd>{info.operator_name.get(lang.get()).to_string()}</dd>
                                    </div>
                                    <div>
                                        <dt>{t(Msg::FooterContact)}</dt>
                                        <dd><a href=mailto>{info.contact_email.clone()}</a></dd>
                                    </div>
                                    <div>
                                        <dt>{t(Msg::FooterStorage)}</dt>
                                        <dd>{info.storage_region.get(lang.get()).to_string()}</dd>
                                    </div>
                                    <div>
                                        <dt>{t(Msg::FooterVersion)}</dt>
                                        <dd>{info.version.clone()}</dd>
                                    </div>
                                </dl>
                            }
                        })
                }}
            </Suspense>
            <p class="footer-links">
                <a href=move || localized_href("/privacy", lang.get())>{t(Msg::NavPrivacy)}</a>
                <a href=move || localized_href("/terms", lang.get())>{t(Msg::NavTerms)}</a>
            </p>
        </footer>
    }
}

/// A public page that is one narrow card (login, forgotten password, invitation): the
/// document title, the public frame, the card and its heading.
#[component]
pub fn NarrowPage(
    #[prop(into)] title: super::Label,
    testid: &'static str,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    let heading = title.clone();
    view! {
        <leptos_meta::Title text=move || title.text(lang.get())/>
        <PublicLayout>
            <section class="card page-card narrow" data-testid=testid>
                <h1>{move || heading.text(lang.get())}</h1>
                {children()}
            </section>
        </PublicLayout>
    }
}
