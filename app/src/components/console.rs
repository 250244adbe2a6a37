use super::LangSwitch;
use crate::i18n::{localized_href, t, use_lang, Msg};
use crate::model::access::MemberNeeds;
use crate::model::account::OperatorRole;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_location;

/// One sidebar entry. A navigation list holds an entry only once its page exists, and shows
/// it only to those who may open it, so the console never shows a dead link or a refusal.
#[derive(Clone, Copy, Debug)]
pub struct NavItem {
    pub path: &'static str,
    pub label: Msg,
    pub needs: NavNeeds,
}

/// Who may open a navigation entry's page (the same rule the page and its server functions
/// apply, from [`crate::model::access`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NavNeeds {
    /// Whoever may see the layout.
    Anyone,
    /// A login person of an enterprise.
    Member(MemberNeeds),
    /// An operator with one of these roles (empty: super-admins).
    Operator(&'static [OperatorRole]),
}

/// The frame shared by the enterprise portal and the operator console: a left sidebar (behind
/// a menu button on phones), a top bar with the title and the language switch, and the page.
#[component]
pub fn ConsoleLayout(
    title: Msg,
    nav: &'static [NavItem],
    home: &'static str,
    /// The user menu, at the end of the top bar.
    #[prop(optional)]
    children: Option<Children>,
    /// Shown above every page of the layout (the portal's policy notices).
    #[prop(optional)]
    notice: Option<ViewFn>,
    /// Whether the viewer may open an entry's page; read inside a `Suspense`, so it may
    /// read the shell's login resource.
    may: Callback<NavNeeds, bool>,
) -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let items = move || {
        nav.iter()
            .filter(|item| may.run(item.needs))
            .map(|item| {
                let path = item.path;
                let current = move || {
                    (location.pathname.get().trim_end_matches('/') == path).then_some("page")
                };
                view! {
                    <li>
                        <a href=move || localized_href(path, lang.get()) aria-current=current>
                            {t(item.label)}
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <a class="skip-link" href="#main">{t(Msg::SkipToContent)}</a>
        <div class="console">
            <header class="console-topbar">
                // Inside the banner landmark; the styles follow it with `:has()`.
                <input type="checkbox" id="console-menu-toggle" class="menu-toggle"/>
                <label for="console-menu-toggle" class="menu-button">{t(Msg::Menu)}</label>
                <a class="brand" href=move || localized_href(home, lang.get())>
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">{t(title)}</span>
                </a>
            </header>
            // Beside the top bar on wide screens; on phones folded, with the navigation,
            // behind the menu button (the grid places it).
            <div class="console-actions" role="region" aria-label=t(Msg::UserMenu)>
                <LangSwitch/>
                <a class="btn btn-ghost" href=move || localized_href("/", lang.get())>
                    {t(Msg::NavHome)}
                </a>
                {children.map(|c| c())}
            </div>
            <nav class="console-sidebar" aria-label=t(Msg::MainNavigation)>
                <ul><Suspense fallback=|| ()>{items}</Suspense></ul>
            </nav>
            <main id="main" class="console-main">
                {notice.map(|n| n.run())}
                <Outlet/>
            </main>
        </div>
    }
}
